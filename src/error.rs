//! The one error type the SDK returns.
//!
//! Every generated `send()` returns [`Error`]; so do the client builder and
//! the helpers. Error statuses are mapped by status code, with the server's
//! `message`, the `Error ID` it contains and, for 429, the wait it asked for.

use std::time::Duration;

use bytes::Bytes;
use progenitor_client::ResponseValue;
use reqwest::StatusCode;

/// How much of a body an error keeps (and shows).
const EXCERPT_LEN: usize = 512;

/// What the server said in an error response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The operation that failed (`describe_workflow`), when known.
    pub operation: Option<String>,
    /// The HTTP status.
    pub status: StatusCode,
    /// The `message` of the JSON body (or `msg`, as GA4GH endpoints send),
    /// or the body's text when it is not JSON.
    pub message: Option<String>,
    /// The `Error ID` the server put in the message, for support requests.
    pub error_id: Option<String>,
    /// The start of the body, for diagnostics.
    pub body_excerpt: String,
    /// The response's headers (a request id, `Retry-After`, a proxy's
    /// diagnostics). They come from the server: no request header, and so
    /// never the token, is among them. Boxed to keep `Error` small on the
    /// happy path (`Result<T, Error>` is returned everywhere).
    pub headers: Box<reqwest::header::HeaderMap>,
}

impl ApiError {
    fn describe(&self) -> String {
        let mut s = String::new();
        if let Some(op) = &self.operation {
            s.push_str(op);
            s.push_str(": ");
        }
        s.push_str(&self.status.to_string());
        if let Some(m) = &self.message {
            s.push_str(": ");
            s.push_str(m);
        }
        s
    }
}

/// Every failure the SDK reports.
///
/// Match on the variant to react to a kind of failure, or use the accessors
/// ([`status`](Error::status), [`message`](Error::message),
/// [`error_id`](Error::error_id)) to log it.
///
/// ```
/// # async fn run(client: &seqera_tower::Client) -> Result<(), seqera_tower::Error> {
/// match client.describe_workflow().workflow_id("4Bm6vQeEtGc3hA").send().await {
///     Ok(run) => println!("{:?}", run.workflow),
///     Err(seqera_tower::Error::NotFound(_)) => println!("no such run"),
///     Err(e) => return Err(e),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client was configured wrongly (no token, a malformed endpoint…).
    #[error("invalid client configuration: {0}")]
    Config(String),

    /// A request argument was missing or invalid (detected before sending).
    #[error("invalid arguments for {operation}: {message}")]
    InvalidRequest {
        /// The operation.
        operation: String,
        /// What was wrong.
        message: String,
    },

    /// 400: the server could not process the request.
    #[error("bad request: {}", .0.describe())]
    BadRequest(ApiError),

    /// 401: the request carried no valid credentials.
    #[error("unauthorized: {}; check TOWER_ACCESS_TOKEN", .0.describe())]
    Unauthorized(ApiError),

    /// 403: the access token is invalid or expired, or the endpoint is not
    /// available to it (Seqera answers both with 403).
    #[error(
        "forbidden: {}; the access token was rejected or may not use this endpoint: check TOWER_ACCESS_TOKEN and the workspace",
        .0.describe()
    )]
    Forbidden(ApiError),

    /// 404: the resource does not exist (or is not visible in this workspace).
    #[error("not found: {}", .0.describe())]
    NotFound(ApiError),

    /// 409: the request conflicts with the resource's state (a duplicate name…).
    #[error("conflict: {}", .0.describe())]
    Conflict(ApiError),

    /// 429: the rate limit was exceeded (after any retries).
    #[error("rate limited: {}{}", .error.describe(), .retry_after.map(|d| format!("; the server asked to wait {d:?}")).unwrap_or_default())]
    RateLimited {
        /// The response (boxed: with the wait beside it, it would make
        /// every `Result<T, Error>` larger).
        error: Box<ApiError>,
        /// The wait the server asked for (`Retry-After`, or the message's
        /// "Wait Nsecs").
        retry_after: Option<Duration>,
    },

    /// 5xx: the server failed.
    #[error("server error: {}", .0.describe())]
    Server(ApiError),

    /// Any other non-success status.
    #[error("unexpected status: {}", .0.describe())]
    UnexpectedStatus(ApiError),

    /// The request or the response timed out.
    #[error("{operation}: the request timed out")]
    Timeout {
        /// The operation.
        operation: String,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },

    /// The request could not be sent or the response could not be read
    /// (connection refused, TLS, reset…).
    #[error("{operation}: transport error: {source}")]
    Transport {
        /// The operation.
        operation: String,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },

    /// [`Client::wait_for_workflow`](crate::Client::wait_for_workflow) gave
    /// up before the run ended.
    #[error("workflow {workflow_id} did not end within {waited:?} (last status: {})", .last_status.as_deref().unwrap_or("unknown"))]
    WaitTimeout {
        /// The run.
        workflow_id: String,
        /// The last status seen.
        last_status: Option<String>,
        /// How long the client waited.
        waited: Duration,
    },

    /// A success response whose body could not be decoded.
    #[error(
        "{operation}: cannot decode the {status} response at `{path}`: {source}; body starts: {excerpt}"
    )]
    Decode {
        /// The operation.
        operation: String,
        /// The response's status.
        status: StatusCode,
        /// Where in the body decoding failed (`workflow.status`).
        path: String,
        /// The start of the body.
        excerpt: String,
        /// The decoder's error.
        #[source]
        source: serde_json::Error,
    },
}

impl Error {
    /// The HTTP status, when the failure is a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Decode { status, .. } => Some(*status),
            Error::Timeout { source, .. } | Error::Transport { source, .. } => source.status(),
            other => other.api_error().map(|e| e.status),
        }
    }

    /// The server's message (or this error's own description when the server
    /// sent none).
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Config(m) | Error::InvalidRequest { message: m, .. } => Some(m),
            other => other.api_error().and_then(|e| e.message.as_deref()),
        }
    }

    /// The `Error ID` the server gave (`54apnFENQxbvCr23JaIjLb`), to quote to
    /// Seqera support.
    pub fn error_id(&self) -> Option<&str> {
        self.api_error().and_then(|e| e.error_id.as_deref())
    }

    /// The wait a 429 asked for.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The details of an error response.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::BadRequest(e)
            | Error::Unauthorized(e)
            | Error::Forbidden(e)
            | Error::NotFound(e)
            | Error::Conflict(e)
            | Error::Server(e)
            | Error::UnexpectedStatus(e) => Some(e),
            Error::RateLimited { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Maps an error status and its body.
    pub(crate) fn from_status(
        operation: Option<&str>,
        status: StatusCode,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) -> Error {
        let message = error_message(body);
        let error = ApiError {
            operation: operation.map(str::to_owned),
            status,
            error_id: message.as_deref().and_then(parse_error_id),
            body_excerpt: excerpt(body),
            message,
            headers: Box::new(headers.clone()),
        };
        match status.as_u16() {
            400 => Error::BadRequest(error),
            401 => Error::Unauthorized(error),
            403 => Error::Forbidden(error),
            404 => Error::NotFound(error),
            409 => Error::Conflict(error),
            429 => Error::RateLimited {
                retry_after: crate::retry::retry_after(headers, error.message.as_deref()),
                error: Box::new(error),
            },
            500..=599 => Error::Server(error),
            _ => Error::UnexpectedStatus(error),
        }
    }

    pub(crate) fn from_reqwest(operation: &str, source: reqwest::Error) -> Error {
        if source.is_timeout() {
            Error::Timeout {
                operation: operation.to_owned(),
                source,
            }
        } else {
            Error::Transport {
                operation: operation.to_owned(),
                source,
            }
        }
    }
}

/// The `message` (or GA4GH `msg`) of a JSON error body, or its text.
fn error_message(body: &[u8]) -> Option<String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) {
        for key in ["message", "msg", "error"] {
            if let Some(serde_json::Value::String(m)) = map.get(key) {
                return Some(m.clone());
            }
        }
    }
    Some(excerpt(body))
}

/// Extracts the id from "... Error ID: 54apnFENQxbvCr23JaIjLb".
fn parse_error_id(message: &str) -> Option<String> {
    let (_, rest) = message.split_once("Error ID:")?;
    let id: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!id.is_empty()).then_some(id)
}

/// The first [`EXCERPT_LEN`] bytes of a body as text, cut at a char boundary.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_LEN)]);
    let mut s = text.trim_end_matches('\u{FFFD}').to_string();
    if body.len() > EXCERPT_LEN {
        s.push('…');
    }
    s
}

/// A decode failure carried from [`crate::decode`] to [`from_generated`]
/// inside a rebuilt response's extensions.
#[derive(Clone)]
pub(crate) struct DecodeFailure {
    pub(crate) path: String,
    pub(crate) error: std::sync::Arc<serde_json::Error>,
    pub(crate) body: Bytes,
}

/// Converts the result of a generated `send()` into the crate's error type.
/// Called by every generated `send()` (see the `send-errors` pass).
#[doc(hidden)]
pub async fn from_generated<T>(
    operation: &str,
    result: Result<ResponseValue<T>, progenitor_client::Error<()>>,
) -> Result<ResponseValue<T>, Error> {
    use progenitor_client::Error as G;
    let error = match result {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    Err(match error {
        G::InvalidRequest(message) => Error::InvalidRequest {
            operation: operation.to_owned(),
            message,
        },
        G::CommunicationError(e) | G::InvalidUpgrade(e) | G::ResponseBodyError(e) => {
            Error::from_reqwest(operation, e)
        }
        G::ErrorResponse(value) => {
            Error::from_status(Some(operation), value.status(), value.headers(), &[])
        }
        // The generated code decodes through `crate::decode`, which reports
        // failures as `UnexpectedResponse` with the real status (below);
        // progenitor's own decoder, which loses the status, is no longer
        // called. Should a future progenitor call it again, the failure is
        // still a decode error, of a success response.
        G::InvalidResponsePayload(body, source) => Error::Decode {
            operation: operation.to_owned(),
            status: StatusCode::OK,
            path: String::from("."),
            excerpt: excerpt(&body),
            source,
        },
        G::UnexpectedResponse(mut response) => {
            if let Some(failure) = response.extensions_mut().remove::<DecodeFailure>() {
                let source = std::sync::Arc::try_unwrap(failure.error).unwrap_or_else(|shared| {
                    serde_json::Error::io(std::io::Error::other(shared.to_string()))
                });
                return Err(Error::Decode {
                    operation: operation.to_owned(),
                    status: response.status(),
                    path: failure.path,
                    excerpt: excerpt(&failure.body),
                    source,
                });
            }
            let status = response.status();
            let headers = response.headers().clone();
            match response.bytes().await {
                Ok(body) => Error::from_status(Some(operation), status, &headers, &body),
                Err(e) => {
                    Error::from_status(Some(operation), status, &headers, e.to_string().as_bytes())
                }
            }
        }
        G::Custom(message) => Error::InvalidRequest {
            operation: operation.to_owned(),
            message,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_400() {
        let body = br#"{"message": "Oops... Unable to process request - Error ID: 54apnFENQxbvCr23JaIjLb"}"#;
        let e = Error::from_status(
            Some("list_workflows"),
            StatusCode::BAD_REQUEST,
            &Default::default(),
            body,
        );
        assert!(matches!(e, Error::BadRequest(_)));
        assert_eq!(e.error_id(), Some("54apnFENQxbvCr23JaIjLb"));
        assert_eq!(
            e.message(),
            Some("Oops... Unable to process request - Error ID: 54apnFENQxbvCr23JaIjLb")
        );
        assert_eq!(e.status(), Some(StatusCode::BAD_REQUEST));
    }

    #[test]
    fn excerpt_is_bounded_and_utf8_safe() {
        let body = "é".repeat(600);
        let e = excerpt(body.as_bytes());
        assert!(e.ends_with('…'));
        assert!(e.len() <= EXCERPT_LEN + '…'.len_utf8());
    }

    #[test]
    fn forbidden_says_what_to_check() {
        let e = Error::from_status(None, StatusCode::FORBIDDEN, &Default::default(), b"");
        assert!(e.to_string().contains("TOWER_ACCESS_TOKEN"), "{e}");
        assert_eq!(e.message(), None);
    }
}
