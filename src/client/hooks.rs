//! The hooks progenitor's generated `send()` calls: headers before a
//! request, and the throttled, retried execution of it.

use std::time::Duration;

use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::{AUTHORIZATION, HeaderName};
use tracing::Instrument;

use super::Inner;
use crate::retry;

static ACCEPT_VERSION: HeaderName = HeaderName::from_static("accept-version");

impl ClientHooks<Inner> for crate::Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let shared = &self.inner.shared;
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, shared.token.header().clone());
        headers.insert(ACCEPT_VERSION.clone(), shared.accept_version.clone());
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let span = tracing::debug_span!(
            "seqera_tower.request",
            operation = info.operation_id,
            method = %request.method(),
            path = request.url().path(),
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            wait_ms = tracing::field::Empty,
        );
        self.execute_with_retries(request).instrument(span).await
    }
}

impl crate::Client {
    /// Sends `request`, waiting for the throttle before every attempt and
    /// retrying what the policy allows.
    async fn execute_with_retries(
        &self,
        request: reqwest::Request,
    ) -> reqwest::Result<reqwest::Response> {
        let shared = &self.inner.shared;
        let policy = &shared.retry;
        let span = tracing::Span::current();
        let started = tokio::time::Instant::now();
        let method = request.method().clone();
        let mut request = request;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            // Keep a copy for a retry; a streaming body cannot be copied and
            // is therefore sent once.
            let spare = if attempt < policy.max_attempts {
                request.try_clone()
            } else {
                None
            };
            if let Some(limiter) = &shared.limiter {
                limiter.acquire().await;
            }
            span.record("attempt", attempt);
            let result = self.client.execute(request).await;
            if let Ok(response) = &result {
                span.record("status", response.status().as_u16());
            }
            let retry = spare.and_then(|spare| match &result {
                Ok(response)
                    if retry::is_idempotent(&method)
                        && retry::is_retryable_status(response.status()) =>
                {
                    let hinted = retry::retry_after(response.headers(), None);
                    Some((spare, hinted.unwrap_or_else(|| policy.backoff(attempt))))
                }
                Err(error) if retry::is_retryable_error(&method, error) => {
                    Some((spare, policy.backoff(attempt)))
                }
                _ => None,
            });
            let Some((next, wait)) = retry else {
                return result;
            };
            if started.elapsed() + wait > policy.max_elapsed {
                tracing::debug!(
                    attempt,
                    wait_ms = wait.as_millis() as u64,
                    "retry budget exhausted"
                );
                return result;
            }
            span.record("wait_ms", wait.as_millis() as u64);
            tracing::debug!(
                attempt,
                wait_ms = wait.as_millis() as u64,
                status = result.as_ref().ok().map(|r| r.status().as_u16()),
                error = result.as_ref().err().map(|e| e.to_string()),
                "retrying"
            );
            // Drop the failed response (its connection returns to the pool)
            // before sleeping.
            drop(result);
            if wait > Duration::ZERO {
                tokio::time::sleep(wait).await;
            }
            request = next;
        }
    }
}
