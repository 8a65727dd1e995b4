//! The hand-written layer: configuration, token, headers, error mapping,
//! retries, throttling and logging, against httpmock servers.

mod common;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use seqera_tower::throttle::RateLimiter;
use seqera_tower::{Client, Error, RetryPolicy, Throttle};
use serde_json::json;

const TOKEN: &str = "test-token-0123456789";

fn builder_for(server: &MockServer) -> seqera_tower::ClientBuilder {
    Client::builder()
        .endpoint(server.base_url())
        .token(TOKEN)
        .throttle(Throttle::disabled())
}

/// Counts `acquire` calls: one per attempt, since every attempt goes through
/// the throttle.
#[derive(Debug, Default)]
struct CountingLimiter(AtomicUsize);

impl RateLimiter for CountingLimiter {
    fn acquire(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async {})
    }
}

fn fast_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(attempts)
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

// ---------------------------------------------------------------- headers

#[tokio::test]
async fn every_request_carries_token_and_accept_version() {
    let server = MockServer::start_async().await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/user-info")
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("accept-version", "1");
            then.status(200).json_body(
                json!({ "user": { "id": 1, "userName": "ada", "email": "ada@example.org" } }),
            );
        })
        .await;
    let post = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/labels")
                .header("authorization", format!("Bearer {TOKEN}"))
                .header("accept-version", "1");
            then.status(200)
                .json_body(json!({ "id": 5, "name": "env", "value": "prod", "resource": true }));
        })
        .await;
    let client = common::client_for(&server);
    let me = client.user_info().send().await.unwrap();
    assert_eq!(
        me.user.as_ref().and_then(|u| u.user_name.as_deref()),
        Some("ada")
    );
    client
        .create_label()
        .body(seqera_tower::types::CreateLabelRequest {
            name: Some("env".into()),
            value: Some("prod".into()),
            ..Default::default()
        })
        .send()
        .await
        .unwrap();
    get.assert_async().await;
    post.assert_async().await;
}

#[tokio::test]
async fn accept_version_and_user_agent_are_configurable() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/service-info")
                .header("accept-version", "2")
                .header("user-agent", "my-operator/1.0");
            then.status(200).json_body(json!({}));
        })
        .await;
    let client = builder_for(&server)
        .accept_version("2")
        .user_agent("my-operator/1.0")
        .build()
        .unwrap();
    client.info().send().await.unwrap();
    mock.assert_async().await;
}

// ---------------------------------------------------------------- secrets

#[tokio::test]
async fn the_token_never_shows() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(403);
        })
        .await;
    let builder = builder_for(&server);
    assert!(!format!("{builder:?}").contains(TOKEN));
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains(TOKEN), "{client:?}");
    assert!(!format!("{:?}", client.clone()).contains(TOKEN));
    let token = seqera_tower::AccessToken::new(TOKEN).unwrap();
    assert!(!format!("{token:?}").contains(TOKEN));

    // Everything the SDK logs at the most verbose level, during a failing call.
    let logs = Arc::new(Mutex::new(Vec::<u8>::new()));
    let writer = {
        let logs = logs.clone();
        move || LogWriter(logs.clone())
    };
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(writer)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let error = client.user_info().send().await.unwrap_err();
    drop(_guard);
    assert!(matches!(error, Error::Forbidden(_)), "{error:?}");
    assert!(!error.to_string().contains(TOKEN));
    assert!(!format!("{error:?}").contains(TOKEN));
    let logs = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("seqera_tower.request"),
        "the call was traced: {logs}"
    );
    assert!(!logs.contains(TOKEN), "token in logs: {logs}");

    // A token that cannot be a header is refused without echoing it.
    let bad = "secret\nvalue";
    let e = Client::builder().token(bad).build().unwrap_err();
    assert!(!e.to_string().contains("secret"), "{e}");
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn nothing_is_logged_at_info() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(503);
        })
        .await;
    let client = builder_for(&server).retry(fast_retries(2)).build().unwrap();
    let logs = Arc::new(Mutex::new(Vec::<u8>::new()));
    let writer = {
        let logs = logs.clone();
        move || LogWriter(logs.clone())
    };
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_writer(writer)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let _ = client.info().send().await;
    drop(_guard);
    assert!(
        logs.lock().unwrap().is_empty(),
        "{}",
        String::from_utf8_lossy(&logs.lock().unwrap())
    );
}

// ---------------------------------------------------------------- configuration

#[test]
fn bad_configuration_fails_at_build() {
    let e = Client::builder().build().unwrap_err();
    assert!(
        matches!(e, Error::Config(_)) && e.to_string().contains("TOWER_ACCESS_TOKEN"),
        "{e}"
    );
    let e = Client::builder().token("  ").build().unwrap_err();
    assert!(e.to_string().contains("empty"), "{e}");
    let e = Client::builder()
        .token("t")
        .endpoint("api.cloud.seqera.io")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("not a valid URL"), "{e}");
    let e = Client::builder()
        .token("t")
        .endpoint("http://tower.example.org")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("allow_insecure_http"), "{e}");
    Client::builder()
        .token("t")
        .endpoint("http://tower.example.org")
        .allow_insecure_http(true)
        .build()
        .unwrap();
    Client::builder()
        .token("t")
        .endpoint("http://127.0.0.1:9")
        .build()
        .unwrap();
    let e = Client::builder()
        .token("t")
        .workspace_id(0)
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("workspace"), "{e}");
    let e = Client::builder()
        .token("t")
        .accept_version("1\n")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("Accept-Version"), "{e}");
    let client = Client::builder().token("t").build().unwrap();
    assert_eq!(client.endpoint(), "https://api.cloud.seqera.io");
}

#[test]
fn from_env_reads_what_tw_reads() {
    // The only test in this binary that touches the environment.
    // SAFETY: no other thread of this test binary reads or writes these
    // variables (the other tests never consult the environment).
    unsafe {
        std::env::set_var("TOWER_ACCESS_TOKEN", "env-token");
        std::env::set_var("TOWER_API_ENDPOINT", "https://tower.example.org/api/");
        std::env::set_var("TOWER_WORKSPACE_ID", "123");
    }
    let client = Client::from_env().unwrap();
    assert_eq!(client.endpoint(), "https://tower.example.org/api");
    assert_eq!(client.workspace_id(), Some(123));
    // Explicit settings win over the environment.
    let client = Client::builder()
        .workspace_id(9)
        .from_env()
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(client.workspace_id(), Some(9));
    unsafe { std::env::set_var("TOWER_WORKSPACE_ID", "my-workspace") };
    let e = Client::from_env().unwrap_err();
    assert!(e.to_string().contains("TOWER_WORKSPACE_ID"), "{e}");
    unsafe {
        std::env::remove_var("TOWER_WORKSPACE_ID");
        std::env::remove_var("TOWER_ACCESS_TOKEN");
    }
    let e = Client::from_env().unwrap_err();
    assert!(e.to_string().contains("TOWER_ACCESS_TOKEN"), "{e}");
    unsafe { std::env::remove_var("TOWER_API_ENDPOINT") };
}

// ---------------------------------------------------------------- errors

async fn error_for(
    status: u16,
    body: Option<&'static str>,
    headers: &[(&'static str, &'static str)],
) -> Error {
    let server = MockServer::start_async().await;
    let headers: Vec<(&'static str, &'static str)> = headers.to_vec();
    server
        .mock_async(move |when, then| {
            when.method(GET).path("/workflow/abc");
            let mut then = then.status(status);
            for (k, v) in &headers {
                then = then.header(*k, *v);
            }
            if let Some(body) = body {
                then.header("content-type", "application/json").body(body);
            }
        })
        .await;
    common::client_for(&server)
        .describe_workflow()
        .workflow_id("abc")
        .send()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn each_status_is_mapped() {
    let e = error_for(400, Some(r#"{"message": "Oops... Unable to process request - Error ID: 54apnFENQxbvCr23JaIjLb"}"#), &[]).await;
    assert!(matches!(e, Error::BadRequest(_)), "{e:?}");
    assert_eq!(e.error_id(), Some("54apnFENQxbvCr23JaIjLb"));
    assert_eq!(
        e.message(),
        Some("Oops... Unable to process request - Error ID: 54apnFENQxbvCr23JaIjLb")
    );
    assert_eq!(e.status().map(|s| s.as_u16()), Some(400));
    assert!(e.to_string().contains("DescribeWorkflow"), "{e}");

    let e = error_for(401, None, &[]).await;
    assert!(
        matches!(e, Error::Unauthorized(_)) && e.to_string().contains("TOWER_ACCESS_TOKEN"),
        "{e}"
    );
    let e = error_for(403, None, &[]).await;
    assert!(
        matches!(e, Error::Forbidden(_)) && e.to_string().contains("check TOWER_ACCESS_TOKEN"),
        "{e}"
    );
    assert_eq!(e.message(), None);
    let e = error_for(404, Some(r#"{"message":"Workflow not found"}"#), &[]).await;
    assert!(
        matches!(e, Error::NotFound(_)) && e.message() == Some("Workflow not found"),
        "{e:?}"
    );
    let e = error_for(409, Some(r#"{"message":"Duplicate name"}"#), &[]).await;
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");
    let e = error_for(429, Some(r#"{"message":"Maximum request rate exceeded. Wait 3secs before issuing a new request"}"#), &[]).await;
    assert!(matches!(e, Error::RateLimited { .. }), "{e:?}");
    assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
    let e = error_for(429, None, &[("retry-after", "2")]).await;
    assert_eq!(e.retry_after(), Some(Duration::from_secs(2)));
    // The response's headers are kept for diagnostics.
    let e = error_for(404, None, &[("x-request-id", "r-42")]).await;
    assert_eq!(
        e.api_error().and_then(|a| a.headers.get("x-request-id")),
        Some(&reqwest::header::HeaderValue::from_static("r-42"))
    );
    let e = error_for(500, Some("<html>Internal error</html>"), &[]).await;
    assert!(matches!(e, Error::Server(_)), "{e:?}");
    assert_eq!(e.message(), Some("<html>Internal error</html>"));
    let e = error_for(503, None, &[]).await;
    assert!(matches!(e, Error::Server(_)), "{e:?}");
    let e = error_for(418, None, &[]).await;
    assert!(matches!(e, Error::UnexpectedStatus(_)), "{e:?}");
}

#[tokio::test]
async fn undecodable_bodies_are_decode_errors() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/workflow/bad-json");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"workflow": {"id": "x", "status": "#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/workflow/html");
            then.status(200)
                .header("content-type", "text/html")
                .body("<html>maintenance</html>");
        })
        .await;
    let client = common::client_for(&server);
    let e = client
        .describe_workflow()
        .workflow_id("bad-json")
        .send()
        .await
        .unwrap_err();
    let Error::Decode {
        operation,
        status,
        excerpt,
        ..
    } = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!(operation, "DescribeWorkflow");
    assert_eq!(status.as_u16(), 200);
    assert!(excerpt.starts_with(r#"{"workflow""#), "{excerpt}");
    let e = client
        .describe_workflow()
        .workflow_id("html")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Decode { excerpt, .. } if excerpt.contains("maintenance")),
        "{e:?}"
    );
    assert!(e.to_string().contains("DescribeWorkflow"), "{e}");

    // Not UTF-8 inside a string: a decode error naming the field, no panic.
    server
        .mock_async(|when, then| {
            when.path("/workflow/latin1");
            then.status(200)
                .header("content-type", "application/json")
                .body(b"{\"workflow\": {\"runName\": \"caf\xe9\"}}");
        })
        .await;
    let e = client
        .describe_workflow()
        .workflow_id("latin1")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Decode { path, .. } if path.contains("runName")),
        "{e:?}"
    );
}

#[tokio::test]
async fn transport_and_timeout_errors() {
    // Nothing listens on this port.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .endpoint(format!("http://127.0.0.1:{port}"))
        .token(TOKEN)
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let e = client.info().send().await.unwrap_err();
    assert!(matches!(e, Error::Transport { .. }), "{e:?}");

    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200)
                .json_body(json!({}))
                .delay(Duration::from_secs(3));
        })
        .await;
    let client = builder_for(&server)
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let e = client.info().send().await.unwrap_err();
    assert!(matches!(e, Error::Timeout { .. }), "{e:?}");
}

#[tokio::test]
async fn invalid_arguments_are_reported_before_sending() {
    let server = MockServer::start_async().await;
    let client = common::client_for(&server);
    // A required path parameter left unset.
    let e = client.describe_workflow().send().await.unwrap_err();
    let Error::InvalidRequest { operation, message } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(operation, "DescribeWorkflow");
    assert!(message.contains("workflow_id"), "{message}");
}

// ---------------------------------------------------------------- retries

#[tokio::test]
async fn idempotent_requests_are_retried_until_success() {
    let server = MockServer::start_async().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let mock = server
        .mock_async(move |when, then| {
            when.method(GET).path("/service-info");
            then.respond_with(move |_: &HttpMockRequest| {
                let n = seen.fetch_add(1, Ordering::SeqCst);
                let status = if n < 2 { 503 } else { 200 };
                HttpMockResponse::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body("{}")
                    .build()
            });
        })
        .await;
    let limiter = Arc::new(CountingLimiter::default());
    let client = builder_for(&server)
        .retry(fast_retries(4))
        .throttle(Throttle::custom_shared(limiter.clone()))
        .build()
        .unwrap();
    client
        .info()
        .send()
        .await
        .expect("the third attempt succeeds");
    mock.assert_calls_async(3).await;
    assert_eq!(
        limiter.0.load(Ordering::SeqCst),
        3,
        "every attempt went through the throttle"
    );
}

#[tokio::test]
async fn retries_are_bounded_and_statuses_chosen() {
    for (status, method, expected) in [
        (503, GET, 3),
        (502, DELETE, 3),
        (504, PUT, 3),
        (429, GET, 3),
        (500, GET, 1),
        (404, GET, 1),
        (503, POST, 1),
        (429, POST, 1),
    ] {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.any_request();
                then.status(status);
            })
            .await;
        let client = builder_for(&server).retry(fast_retries(3)).build().unwrap();
        let result = match method {
            GET => client
                .describe_workflow()
                .workflow_id("w")
                .send()
                .await
                .map(|_| ()),
            DELETE => client
                .delete_workflow()
                .workflow_id("w")
                .send()
                .await
                .map(|_| ()),
            PUT => client
                .update_label()
                .label_id(1)
                .body(seqera_tower::types::UpdateLabelRequest::default())
                .send()
                .await
                .map(|_| ()),
            _ => client
                .create_workflow_launch()
                .body(seqera_tower::types::SubmitWorkflowLaunchRequest::default())
                .send()
                .await
                .map(|_| ()),
        };
        assert!(result.is_err());
        mock.assert_calls_async(expected).await;
    }
}

#[tokio::test]
async fn a_timed_out_launch_is_never_resent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/workflow/launch");
            then.status(200)
                .json_body(json!({ "workflowId": "w1" }))
                .delay(Duration::from_secs(2));
        })
        .await;
    let client = builder_for(&server)
        .timeout(Duration::from_millis(200))
        .retry(fast_retries(5))
        .build()
        .unwrap();
    let e = client
        .create_workflow_launch()
        .body(seqera_tower::types::SubmitWorkflowLaunchRequest::default())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Timeout { .. }), "{e:?}");
    // Let the server finish the delayed request before counting.
    tokio::time::sleep(Duration::from_millis(2200)).await;
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_launch_that_never_connected_is_retried() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let limiter = Arc::new(CountingLimiter::default());
    let client = Client::builder()
        .endpoint(format!("http://127.0.0.1:{port}"))
        .token(TOKEN)
        .retry(fast_retries(3))
        .throttle(Throttle::custom_shared(limiter.clone()))
        .build()
        .unwrap();
    let e = client
        .create_workflow_launch()
        .body(seqera_tower::types::SubmitWorkflowLaunchRequest::default())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Transport { .. }), "{e:?}");
    assert_eq!(
        limiter.0.load(Ordering::SeqCst),
        3,
        "connection refused: three attempts"
    );
}

#[tokio::test]
async fn retry_after_is_obeyed() {
    let server = MockServer::start_async().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    server
        .mock_async(move |when, then| {
            when.path("/service-info");
            then.respond_with(move |_: &HttpMockRequest| {
                if seen.fetch_add(1, Ordering::SeqCst) == 0 {
                    HttpMockResponse::builder()
                        .status(429)
                        .header("retry-after", "1")
                        .build()
                } else {
                    HttpMockResponse::builder()
                        .status(200)
                        .header("content-type", "application/json")
                        .body("{}")
                        .build()
                }
            });
        })
        .await;
    let client = builder_for(&server).retry(fast_retries(3)).build().unwrap();
    let started = std::time::Instant::now();
    client.info().send().await.unwrap();
    // A lower bound only: the client waited at least what the server asked
    // (its own backoff here is at most 20 ms).
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_returns_the_429() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(429).header("retry-after", "3600");
        })
        .await;
    let client = builder_for(&server)
        .retry(fast_retries(3).max_elapsed(Duration::from_secs(5)))
        .build()
        .unwrap();
    let e = client.info().send().await.unwrap_err();
    assert_eq!(e.retry_after(), Some(Duration::from_secs(3600)));
    mock.assert_calls_async(1).await;
}

// ---------------------------------------------------------------- throttle

/// Records the (tokio) time at which each call leaves the stock limiter.
#[derive(Debug)]
struct Recording {
    inner: Arc<dyn RateLimiter>,
    times: Mutex<Vec<tokio::time::Instant>>,
}

impl RateLimiter for Recording {
    fn acquire(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(async move {
            self.inner.acquire().await;
            self.times.lock().unwrap().push(tokio::time::Instant::now());
        })
    }
}

#[tokio::test(start_paused = true)]
async fn no_second_holds_more_than_twenty_calls_across_clones_and_tasks() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({}));
        })
        .await;
    let recording = Arc::new(Recording {
        inner: Throttle::default().limiter().unwrap(),
        times: Mutex::new(Vec::new()),
    });
    // reqwest's own timeouts are tokio timers, which the paused clock would
    // fire while a request waits on the socket: use a client without them.
    seqera_tower::install_crypto_provider();
    let client = builder_for(&server)
        .throttle(Throttle::custom_shared(recording.clone()))
        .reqwest_client(reqwest::Client::new())
        .build()
        .unwrap();
    let start = tokio::time::Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let clone = client.clone();
        for _ in 0..16 {
            let client = clone.clone();
            tasks.push(tokio::spawn(async move {
                for _ in 0..2 {
                    client.info().send().await.unwrap();
                }
            }));
        }
    }
    for t in tasks {
        t.await.unwrap();
    }
    let mut times = recording.times.lock().unwrap().clone();
    times.sort();
    assert_eq!(times.len(), 8 * 16 * 2);
    let mut worst = 0;
    for (i, t) in times.iter().enumerate() {
        let in_window = times[i..]
            .iter()
            .take_while(|u| **u - *t < Duration::from_secs(1))
            .count();
        worst = worst.max(in_window);
    }
    assert!(worst <= 20, "a one-second window held {worst} calls");
    assert_eq!(worst, 20, "the limit is used, not undershot");
    // 256 calls at 20/s take about 12.8 s of (virtual) time.
    let span = *times.last().unwrap() - start;
    assert!(span >= Duration::from_secs(12), "{span:?}");
}
