//! [`ClientBuilder`]: validated configuration for a [`Client`](crate::Client).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::{Inner, Shared};
use crate::Error;
use crate::auth::AccessToken;
use crate::config::{
    self, DEFAULT_ACCEPT_VERSION, DEFAULT_ENDPOINT, ENV_ACCESS_TOKEN, ENV_API_ENDPOINT,
    ENV_WORKSPACE_ID,
};
use crate::retry::RetryPolicy;
use crate::throttle::Throttle;

/// Configures a [`Client`](crate::Client); every check happens in
/// [`build`](Self::build), so a bad configuration fails before the first call.
///
/// ```
/// use std::time::Duration;
/// use seqera_tower::{Client, RetryPolicy, Throttle};
///
/// let client = Client::builder()
///     .endpoint("https://tower.example.org/api")
///     .token("my-access-token")
///     .workspace_id(1234)
///     .timeout(Duration::from_secs(30))
///     .throttle(Throttle::per_second(10))
///     .retry(RetryPolicy::default().max_attempts(3))
///     .build()?;
/// assert_eq!(client.endpoint(), "https://tower.example.org/api");
/// # Ok::<(), seqera_tower::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ClientBuilder {
    endpoint: Option<String>,
    token: Option<Result<AccessToken, String>>,
    workspace_id: Option<i64>,
    accept_version: Option<String>,
    user_agent: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    throttle: Option<Throttle>,
    retry: Option<RetryPolicy>,
    reqwest_client: Option<reqwest::Client>,
    allow_http: bool,
}

/// Default whole-request timeout.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default connection timeout.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl ClientBuilder {
    /// The API's base URL (default `https://api.cloud.seqera.io`); for
    /// Seqera Enterprise, the API root such as `https://tower.example.org/api`.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// The access token sent as `Authorization: Bearer <token>`.
    pub fn token(mut self, token: impl AsRef<str>) -> Self {
        self.token = Some(AccessToken::new(token).map_err(|e| e.to_string()));
        self
    }

    /// The default workspace for operations that take `workspaceId`.
    pub fn workspace_id(mut self, id: i64) -> Self {
        self.workspace_id = Some(id);
        self
    }

    /// The `Accept-Version` header (default `1`).
    pub fn accept_version(mut self, version: impl Into<String>) -> Self {
        self.accept_version = Some(version.into());
        self
    }

    /// The `User-Agent` (default `seqera-tower/<version>`).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = Some(agent.into());
        self
    }

    /// The whole-request timeout (default 60 s). Ignored with
    /// [`reqwest_client`](Self::reqwest_client).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The connection timeout (default 10 s). Ignored with
    /// [`reqwest_client`](Self::reqwest_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The client-side rate limit (default [`Throttle::default`]: 20 calls
    /// per second), shared by every clone of the built client.
    pub fn throttle(mut self, throttle: Throttle) -> Self {
        self.throttle = Some(throttle);
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Uses your own `reqwest::Client` (proxies, certificates, pools). The
    /// token, `Accept-Version`, throttle and retries still apply; timeouts
    /// and the user agent are then the client's own.
    pub fn reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.reqwest_client = Some(client);
        self
    }

    /// Allows a plain `http://` endpoint on a non-loopback host. Without it
    /// such an endpoint is refused, since the token would cross the network
    /// in clear text. Loopback hosts (tests, tunnels) are always allowed.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Fills what the environment provides, as `tw` does:
    /// `TOWER_ACCESS_TOKEN`, `TOWER_API_ENDPOINT`, `TOWER_WORKSPACE_ID`.
    /// Values already set on the builder win.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when a variable is set but malformed.
    pub fn from_env(mut self) -> Result<Self, Error> {
        if self.token.is_none()
            && let Some(token) = config::env_var(ENV_ACCESS_TOKEN)?
        {
            self = self.token(token);
        }
        if self.endpoint.is_none() {
            self.endpoint = config::env_var(ENV_API_ENDPOINT)?;
        }
        if self.workspace_id.is_none()
            && let Some(id) = config::env_var(ENV_WORKSPACE_ID)?
        {
            self.workspace_id = Some(config::parse_workspace_id(&id, ENV_WORKSPACE_ID)?);
        }
        Ok(self)
    }

    /// Validates the configuration and builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the token is missing or unusable, the endpoint
    /// is not an absolute `https://` URL (or `http://` to loopback, or with
    /// [`allow_insecure_http`](Self::allow_insecure_http)), the workspace id
    /// is not positive, or the HTTP client cannot be built.
    pub fn build(self) -> Result<crate::Client, Error> {
        let token = match self.token {
            Some(Ok(token)) => token,
            Some(Err(message)) => return Err(Error::Config(message)),
            None => {
                return Err(Error::Config(format!(
                    "no access token: set {ENV_ACCESS_TOKEN} or call .token(..) (create one under Your tokens in the Seqera Platform)"
                )));
            }
        };
        let endpoint = validate_endpoint(
            self.endpoint.as_deref().unwrap_or(DEFAULT_ENDPOINT),
            self.allow_http,
        )?;
        if let Some(id) = self.workspace_id
            && id <= 0
        {
            return Err(Error::Config(format!(
                "the workspace id must be positive, got {id}"
            )));
        }
        let version = self
            .accept_version
            .as_deref()
            .unwrap_or(DEFAULT_ACCEPT_VERSION);
        let accept_version = HeaderValue::from_str(version).map_err(|_| {
            Error::Config(format!(
                "Accept-Version {version:?} is not a valid header value"
            ))
        })?;
        let client = match self.reqwest_client {
            Some(client) => client,
            None => {
                install_crypto_provider();
                let user_agent = self.user_agent.unwrap_or_else(|| {
                    concat!("seqera-tower/", env!("CARGO_PKG_VERSION")).to_owned()
                });
                reqwest::Client::builder()
                    .user_agent(user_agent)
                    .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    .build()
                    .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?
            }
        };
        let shared = Shared {
            token,
            accept_version,
            workspace_id: self.workspace_id,
            limiter: self.throttle.unwrap_or_default().limiter(),
            retry: self.retry.unwrap_or_default(),
        };
        Ok(crate::Client {
            baseurl: endpoint,
            client,
            inner: Inner {
                shared: Arc::new(shared),
            },
        })
    }
}

/// Installs rustls' ring crypto provider as the process default, unless one
/// is installed already.
///
/// The crate builds reqwest without a default TLS provider (aws-lc-sys would
/// add a minute to every clean build); [`ClientBuilder::build`] calls this
/// for the client it makes. Call it yourself before building your own
/// `reqwest::Client` for [`ClientBuilder::reqwest_client`] when nothing else
/// in your application installs a provider (reqwest panics without one).
///
/// ```
/// seqera_tower::install_crypto_provider();
/// let http = reqwest::Client::builder().build().unwrap();
/// let client = seqera_tower::Client::builder().token("t").reqwest_client(http).build()?;
/// # let _ = client; Ok::<(), seqera_tower::Error>(())
/// ```
pub fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race to another thread's install is fine: either way a
        // provider is in place.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// Checks the endpoint and returns it without a trailing slash.
fn validate_endpoint(raw: &str, allow_http: bool) -> Result<String, Error> {
    let url = url::Url::parse(raw.trim()).map_err(|e| {
        Error::Config(format!(
            "the endpoint {raw:?} is not a valid URL ({e}); expected e.g. {DEFAULT_ENDPOINT}"
        ))
    })?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!(
            "the endpoint {raw:?} must not have a query or fragment"
        )));
    }
    match url.scheme() {
        "https" => {}
        "http" if allow_http || is_loopback(&url) => {}
        "http" => {
            return Err(Error::Config(format!(
                "the endpoint {raw:?} uses plain http to a non-loopback host, which would send the token in clear text; \
                 use https, or opt in with .allow_insecure_http(true)"
            )));
        }
        other => {
            return Err(Error::Config(format!(
                "the endpoint {raw:?} has scheme {other:?}; expected https"
            )));
        }
    }
    if url.host().is_none() {
        return Err(Error::Config(format!("the endpoint {raw:?} has no host")));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_rules() {
        assert_eq!(
            validate_endpoint("https://api.cloud.seqera.io/", false).unwrap(),
            "https://api.cloud.seqera.io"
        );
        assert_eq!(
            validate_endpoint("http://127.0.0.1:8080", false).unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            validate_endpoint("http://[::1]:8080/api", false).unwrap(),
            "http://[::1]:8080/api"
        );
        assert!(validate_endpoint("http://localhost:1", false).is_ok());
        assert!(
            validate_endpoint("http://tower.example.org", false)
                .unwrap_err()
                .to_string()
                .contains("allow_insecure_http")
        );
        assert!(validate_endpoint("http://tower.example.org", true).is_ok());
        assert!(validate_endpoint("not a url", false).is_err());
        assert!(validate_endpoint("ftp://x.org", false).is_err());
        assert!(validate_endpoint("https://x.org/?a=1", false).is_err());
    }
}
