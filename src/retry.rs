//! Retries: which failures are retried, how long to wait, and when to stop.
//!
//! Idempotent requests (GET, HEAD, PUT, DELETE, OPTIONS) are retried on
//! connection errors, 429, 502, 503 and 504. A POST or PATCH (a launch, say)
//! is retried only when it provably never reached the server (the connection
//! could not be established): a timed-out or 5xx launch is never resent,
//! because the run may already exist.

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// The retry policy given to [`ClientBuilder::retry`](crate::ClientBuilder::retry).
///
/// ```
/// use std::time::Duration;
/// use seqera_tower::RetryPolicy;
///
/// let policy = RetryPolicy::default().max_attempts(5).max_elapsed(Duration::from_secs(30));
/// # let _ = policy;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// Up to 4 attempts, backoff from 250 ms doubling to at most 8 s (full
    /// jitter), giving up once 60 s have passed.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_elapsed: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Attempts in all, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first backoff; each retry doubles it, up to [`max_backoff`](Self::max_backoff).
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait between two attempts (a server's `Retry-After` may
    /// ask for more, within [`max_elapsed`](Self::max_elapsed)).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// No retry starts once this much time has passed since the first attempt.
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// The wait before retry number `retry` (1-based): full jitter over an
    /// exponential ceiling.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)))
            .min(self.max_backoff);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// Whether a method may be sent twice without changing the outcome.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

/// Statuses worth retrying for idempotent requests.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// Whether a transport error may be retried for `method`.
pub(crate) fn is_retryable_error(method: &Method, error: &reqwest::Error) -> bool {
    // `is_connect`: the connection was never established, so the request
    // never reached the server and even a POST is safe to resend.
    error.is_connect() || (is_idempotent(method) && (error.is_timeout() || error.is_request()))
}

/// The wait a 429 asked for: the `Retry-After` header (seconds), else the
/// message's "Wait Nsecs" ("Maximum request rate exceeded. Wait 0secs before
/// issuing a new request").
pub(crate) fn retry_after(headers: &HeaderMap, message: Option<&str>) -> Option<Duration> {
    let from_header = headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    from_header.or_else(|| {
        let rest = message?.split_once("Wait ")?.1;
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let secs = digits.parse::<u64>().ok()?;
        rest[digits.len()..]
            .starts_with("sec")
            .then(|| Duration::from_secs(secs))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_from_header_and_message() {
        let mut headers = HeaderMap::new();
        assert_eq!(
            retry_after(
                &headers,
                Some("Maximum request rate exceeded. Wait 3secs before issuing a new request")
            ),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            retry_after(&headers, Some("Wait 0secs before")),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers, Some("no hint")), None);
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(
            retry_after(&headers, Some("Wait 3secs")),
            Some(Duration::from_secs(7))
        );
    }

    #[test]
    fn backoff_is_bounded_and_grows() {
        let p = RetryPolicy::default();
        for retry in 1..20 {
            assert!(p.backoff(retry) <= p.max_backoff);
        }
        assert!(p.backoff(1) <= p.initial_backoff);
    }

    #[test]
    fn only_idempotent_methods() {
        assert!(
            is_idempotent(&Method::GET)
                && is_idempotent(&Method::DELETE)
                && is_idempotent(&Method::PUT)
        );
        assert!(!is_idempotent(&Method::POST) && !is_idempotent(&Method::PATCH));
    }
}
