//! What users do every day: pagination streams and the default workspace.

mod common;

use futures::TryStreamExt;
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use seqera_tower::{Client, Error, RetryPolicy, Throttle};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

fn pipeline(i: usize) -> serde_json::Value {
    json!({ "pipelineId": i, "name": format!("pipeline-{i}"), "repository": "https://github.com/nf-core/rnaseq" })
}

/// Serves `total` pipelines in pages of the requested `max` from `offset`.
fn serve_pipelines(server: &MockServer, total: usize, with_total: bool) -> httpmock::Mock<'_> {
    server.mock(move |when, then| {
        when.method(GET).path("/pipelines");
        then.respond_with(move |req: &HttpMockRequest| {
            let query: std::collections::HashMap<String, String> =
                req.query_params().into_iter().collect();
            let max: usize = query.get("max").and_then(|v| v.parse().ok()).unwrap_or(10);
            let offset: usize = query
                .get("offset")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let items: Vec<_> = (offset..(offset + max).min(total)).map(pipeline).collect();
            let mut body = json!({ "pipelines": items });
            if with_total {
                body["totalSize"] = json!(total);
            }
            HttpMockResponse::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(body.to_string())
                .build()
        });
    })
}

async fn names(client: &Client, page: i32) -> Result<Vec<String>, Error> {
    client
        .list_pipelines()
        .workspace_id(1)
        .max(page)
        .stream()
        .map_ok(|p| p.name.unwrap_or_default())
        .try_collect()
        .await
}

#[tokio::test]
async fn pagination_over_one_two_and_many_pages() {
    for (total, page, with_total, calls) in [
        (3, 10, true, 1),   // one short page
        (20, 10, true, 2),  // two full pages; totalSize stops the stream
        (20, 10, false, 3), // without totalSize an empty third page ends it
        (95, 10, false, 10),
        (0, 10, true, 1), // nothing at all
    ] {
        let server = MockServer::start_async().await;
        let mock = serve_pipelines(&server, total, with_total);
        let got = names(&common::client_for(&server), page).await.unwrap();
        assert_eq!(
            got,
            (0..total)
                .map(|i| format!("pipeline-{i}"))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            mock.calls(),
            calls,
            "total {total}, with totalSize {with_total}"
        );
    }
}

#[tokio::test]
async fn pages_are_fetched_lazily() {
    let server = MockServer::start_async().await;
    let mock = serve_pipelines(&server, 1000, true);
    let client = common::client_for(&server);
    let first: Vec<_> = futures::StreamExt::take(client.list_pipelines().max(10).stream(), 15)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first.len(), 15);
    assert_eq!(mock.calls(), 2, "only the pages needed for 15 items");
}

#[tokio::test]
async fn a_page_failing_mid_stream_is_retried() {
    let server = MockServer::start_async().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    server.mock(move |when, then| {
        when.method(GET).path("/pipelines");
        then.respond_with(move |req: &HttpMockRequest| {
            let n = seen.fetch_add(1, Ordering::SeqCst);
            let offset: usize = req
                .query_params()
                .into_iter()
                .find(|(k, _)| k == "offset")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            // The second request (the second page) fails once with a 503.
            if n == 1 {
                return HttpMockResponse::builder().status(503).build();
            }
            let items: Vec<_> = (offset..(offset + 5).min(12)).map(pipeline).collect();
            HttpMockResponse::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(json!({ "pipelines": items, "totalSize": 12 }).to_string())
                .build()
        });
    });
    let client = Client::builder()
        .endpoint(server.base_url())
        .token("t")
        .throttle(Throttle::disabled())
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    let got = names(&client, 5).await.unwrap();
    assert_eq!(got.len(), 12);
    assert_eq!(calls.load(Ordering::SeqCst), 4, "3 pages + 1 retry");
}

#[tokio::test]
async fn an_error_ends_the_stream_after_it_is_yielded() {
    let server = MockServer::start_async().await;
    server.mock(|when, then| {
        when.method(GET).path("/pipelines");
        then.status(403);
    });
    let client = common::client_for(&server);
    let mut stream = client.list_pipelines().stream();
    let first = stream.try_next().await;
    assert!(matches!(first, Err(Error::Forbidden(_))), "{first:?}");
    assert!(futures::StreamExt::next(&mut stream).await.is_none());
}

#[tokio::test]
async fn token_pagination_follows_the_token() {
    let server = MockServer::start_async().await;
    let mock = server.mock(|when, then| {
        when.method(GET).path("/ga4gh/wes/v1/runs");
        then.respond_with(|req: &HttpMockRequest| {
            let token = req
                .query_params()
                .into_iter()
                .find(|(k, _)| k == "page_token")
                .map(|(_, v)| v);
            let (runs, next) = match token.as_deref() {
                None => (vec!["r1", "r2"], Some("p2")),
                Some("p2") => (vec!["r3"], Some("")),
                Some(other) => panic!("unexpected token {other}"),
            };
            let runs: Vec<_> = runs
                .into_iter()
                .map(|id| json!({ "run_id": id, "state": "COMPLETE" }))
                .collect();
            HttpMockResponse::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(json!({ "runs": runs, "next_page_token": next }).to_string())
                .build()
        });
    });
    let ids: Vec<_> = common::client_for(&server)
        .ga4gh_run_list()
        .page_size(2)
        .stream()
        .map_ok(|r| r.run_id.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["r1", "r2", "r3"]);
    assert_eq!(mock.calls(), 2);
}

#[tokio::test]
async fn the_default_workspace_applies_unless_the_call_sets_one() {
    let server = MockServer::start_async().await;
    let default = server.mock(|when, then| {
        when.method(GET)
            .path("/pipelines")
            .query_param("workspaceId", "111");
        then.status(200).json_body(json!({ "pipelines": [] }));
    });
    let explicit = server.mock(|when, then| {
        when.method(GET)
            .path("/pipelines")
            .query_param("workspaceId", "222");
        then.status(200).json_body(json!({ "pipelines": [] }));
    });
    let client = Client::builder()
        .endpoint(server.base_url())
        .token("t")
        .workspace_id(111)
        .build()
        .unwrap();
    client.list_pipelines().send().await.unwrap();
    client
        .list_pipelines()
        .workspace_id(222)
        .send()
        .await
        .unwrap();
    default.assert_calls(1);
    explicit.assert_calls(1);

    // A required path parameter is filled from the default too.
    let upload = server.mock(|when, then| {
        when.method(POST)
            .path("/workspaces/111/datasets/ds1/upload");
        then.status(200).json_body(json!({}));
    });
    client
        .upload_dataset()
        .dataset_id("ds1")
        .form(seqera_tower::multipart::MultipartForm::new().file(
            "file",
            "a.csv",
            "text/csv",
            b"a,b\n1,2\n".to_vec(),
        ))
        .send()
        .await
        .unwrap();
    upload.assert_calls(1);

    // Without a default, a required workspace is reported, not guessed.
    let e = common::client_for(&server)
        .upload_dataset()
        .dataset_id("ds1")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::InvalidRequest { message, .. } if message.contains("TOWER_WORKSPACE_ID")),
        "{e:?}"
    );
}

#[tokio::test]
async fn upload_body_on_the_wire() {
    let server = MockServer::start_async().await;
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/workspaces/7/datasets/ds1/upload")
            .query_param("header", "true")
            .header("content-type", seqera_tower::multipart::CONTENT_TYPE)
            .body_includes(
                "Content-Disposition: form-data; name=\"file\"; filename=\"samples.csv\"",
            )
            .body_includes("sample,fastq_1\nA,a.fq\n");
        then.status(200).json_body(
            json!({ "version": { "datasetId": "ds1", "version": 2, "fileName": "samples.csv" } }),
        );
    });
    let response = common::client_for(&server)
        .upload_dataset()
        .workspace_id(7)
        .dataset_id("ds1")
        .header(true)
        .form(seqera_tower::multipart::MultipartForm::new().file(
            "file",
            "samples.csv",
            "text/csv",
            b"sample,fastq_1\nA,a.fq\n".to_vec(),
        ))
        .send()
        .await
        .unwrap();
    mock.assert();
    assert_eq!(response.version.as_ref().and_then(|v| v.version), Some(2));
}
