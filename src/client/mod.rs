//! The client: shared state and the hooks every generated request runs
//! through (token, `Accept-Version`, throttle, retries, tracing).

mod builder;
mod hooks;

pub use builder::{ClientBuilder, install_crypto_provider};

use std::sync::Arc;

use reqwest::header::HeaderValue;

use crate::auth::AccessToken;
use crate::retry::RetryPolicy;
use crate::throttle::RateLimiter;

/// The state every clone of a [`Client`](crate::Client) shares: the token,
/// headers, throttle and retry policy. Made by [`ClientBuilder::build`];
/// opaque to users.
#[derive(Clone)]
pub struct Inner {
    shared: Arc<Shared>,
}

impl Inner {
    /// The same state with another default workspace (the throttle and the
    /// retry policy stay shared).
    pub(crate) fn with_workspace_id(&self, workspace_id: Option<i64>) -> Inner {
        let s = &self.shared;
        Inner {
            shared: Arc::new(Shared {
                token: s.token.clone(),
                accept_version: s.accept_version.clone(),
                workspace_id,
                limiter: s.limiter.clone(),
                retry: s.retry.clone(),
            }),
        }
    }
}

struct Shared {
    token: AccessToken,
    accept_version: HeaderValue,
    workspace_id: Option<i64>,
    limiter: Option<Arc<dyn RateLimiter>>,
    retry: RetryPolicy,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = &self.shared;
        f.debug_struct("Inner")
            .field("token", &s.token)
            .field("accept_version", &s.accept_version)
            .field("workspace_id", &s.workspace_id)
            .field("throttle", &s.limiter)
            .field("retry", &s.retry)
            .finish()
    }
}

impl crate::Client {
    /// Starts configuring a client.
    ///
    /// ```
    /// let client = seqera_tower::Client::builder()
    ///     .token("my-access-token")
    ///     .workspace_id(1234)
    ///     .build()?;
    /// # Ok::<(), seqera_tower::Error>(())
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment, as `tw` and Nextflow read
    /// it: `TOWER_ACCESS_TOKEN` (required), `TOWER_API_ENDPOINT` (default
    /// `https://api.cloud.seqera.io`) and `TOWER_WORKSPACE_ID` (optional).
    ///
    /// # Errors
    ///
    /// [`Error::Config`](crate::Error::Config) naming the variable that is
    /// missing or malformed.
    pub fn from_env() -> Result<Self, crate::Error> {
        ClientBuilder::default().from_env()?.build()
    }

    /// The base URL requests go to.
    pub fn endpoint(&self) -> &str {
        &self.baseurl
    }

    /// The default workspace, if the client was given one.
    pub fn workspace_id(&self) -> Option<i64> {
        self.inner.shared.workspace_id
    }
}
