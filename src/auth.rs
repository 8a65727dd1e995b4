//! The access token.

use reqwest::header::HeaderValue;

/// A Seqera Platform access token.
///
/// It is only ever shown as `AccessToken(<redacted>)`, and the
/// `Authorization` header made from it is marked sensitive so that reqwest
/// and hyper never log it either.
///
/// ```
/// let token = seqera_tower::AccessToken::new("eyJ0aWQiOiAxfQ.secret").unwrap();
/// assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
/// ```
#[derive(Clone)]
pub struct AccessToken {
    header: HeaderValue,
}

impl AccessToken {
    /// Validates a token and prepares its `Authorization: Bearer` header.
    ///
    /// # Errors
    ///
    /// [`Error::Config`](crate::Error::Config) when the token is empty or
    /// holds characters a header cannot carry (a pasted newline, say). The
    /// error never contains the token.
    pub fn new(token: impl AsRef<str>) -> Result<Self, crate::Error> {
        let token = token.as_ref().trim();
        if token.is_empty() {
            return Err(crate::Error::Config(
                "the access token is empty: set TOWER_ACCESS_TOKEN or call .token(..)".into(),
            ));
        }
        let mut header = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
            crate::Error::Config(
                "the access token holds characters an HTTP header cannot carry (check for a stray newline or quote)"
                    .into(),
            )
        })?;
        header.set_sensitive(true);
        Ok(Self { header })
    }

    /// The `Authorization` header value (marked sensitive).
    pub(crate) fn header(&self) -> &HeaderValue {
        &self.header
    }
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

impl PartialEq for AccessToken {
    fn eq(&self, other: &Self) -> bool {
        self.header == other.header
    }
}

impl Eq for AccessToken {}
