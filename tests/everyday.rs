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

/// Every run id `ga4gh_run_list().stream()` yields, in pages of 2.
async fn ga4gh_run_ids(server: &MockServer) -> Vec<String> {
    common::client_for(server)
        .ga4gh_run_list()
        .page_size(2)
        .stream()
        .map_ok(|r| r.run_id.unwrap_or_default())
        .try_collect()
        .await
        .unwrap()
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
    let ids = ga4gh_run_ids(&server).await;
    assert_eq!(ids, ["r1", "r2", "r3"]);
    assert_eq!(mock.calls(), 2);
}

#[tokio::test]
async fn a_server_repeating_its_page_token_does_not_loop() {
    let server = MockServer::start_async().await;
    let mock = server.mock(|when, then| {
        when.method(GET).path("/ga4gh/wes/v1/runs");
        then.status(200).json_body(json!({
            "runs": [{ "run_id": "r1" }, { "run_id": "r2" }],
            "next_page_token": "same"
        }));
    });
    let ids = ga4gh_run_ids(&server).await;
    // The first page hands out "same"; the second hands it back: stop there.
    assert_eq!(ids, ["r1", "r2", "r1", "r2"]);
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

// ------------------------------------------------------------------ runs

use seqera_tower::runs::WaitOptions;

#[tokio::test]
async fn launch_by_launchpad_name() {
    let server = MockServer::start_async().await;
    let list = server.mock(|when, then| {
        when.method(GET)
            .path("/pipelines")
            .query_param("search", "rnaseq")
            .query_param("workspaceId", "5");
        then.status(200).json_body(json!({ "pipelines": [
            { "pipelineId": 1, "name": "rnaseq-dev" },
            { "pipelineId": 2, "name": "rnaseq" }
        ], "totalSize": 2 }));
    });
    let describe = server.mock(|when, then| {
        when.method(GET).path("/pipelines/2/launch").query_param("workspaceId", "5");
        then.status(200).json_body(json!({ "launch": {
            "id": "L1", "pipeline": "https://github.com/nf-core/rnaseq", "workDir": "s3://bucket/work",
            "revision": "3.13.0", "computeEnv": { "id": "ce1", "name": "aws" }, "configProfiles": ["docker"]
        } }));
    });
    let launch = server.mock(|when, then| {
        when.method(POST)
            .path("/workflow/launch")
            .query_param("workspaceId", "5")
            .json_body_includes(
                json!({ "launch": {
                "id": "L1", "pipeline": "https://github.com/nf-core/rnaseq", "computeEnvId": "ce1",
                "workDir": "s3://bucket/work", "revision": "3.14.0", "configProfiles": ["docker"],
                "paramsText": "{\"input\":\"s3://bucket/samples.csv\"}"
            } })
                .to_string(),
            );
        then.status(200).json_body(json!({ "workflowId": "wf123" }));
    });
    let client = Client::builder()
        .endpoint(server.base_url())
        .token("t")
        .workspace_id(5)
        .build()
        .unwrap();
    let id = client
        .launch("rnaseq")
        .revision("3.14.0")
        .params(json!({ "input": "s3://bucket/samples.csv" }))
        .send()
        .await
        .unwrap();
    assert_eq!(id, "wf123");
    list.assert();
    describe.assert();
    launch.assert();
}

#[tokio::test]
async fn launch_by_repository_on_the_primary_compute_env() {
    let server = MockServer::start_async().await;
    server.mock(|when, then| {
        when.method(GET).path("/compute-envs");
        then.status(200).json_body(json!({ "computeEnvs": [
            { "id": "ce-other", "primary": false, "workDir": "/other" },
            { "id": "ce-main", "primary": true, "workDir": "s3://main/work" }
        ] }));
    });
    let launch = server.mock(|when, then| {
        when.method(POST).path("/workflow/launch").json_body_includes(
            json!({ "launch": { "pipeline": "https://github.com/nf-core/hello", "computeEnvId": "ce-main", "workDir": "s3://main/work" } })
                .to_string(),
        );
        then.status(200).json_body(json!({ "workflowId": "wf9" }));
    });
    let client = common::client_for(&server);
    assert_eq!(
        client
            .launch("https://github.com/nf-core/hello")
            .send()
            .await
            .unwrap(),
        "wf9"
    );
    launch.assert();

    // An unknown launchpad name is a clear error, and nothing is launched.
    server.mock(|when, then| {
        when.method(GET).path("/pipelines");
        then.status(200).json_body(json!({ "pipelines": [] }));
    });
    let e = client.launch("nope").send().await.unwrap_err();
    assert!(e.to_string().contains("no pipeline named \"nope\""), "{e}");
    launch.assert_calls(1);
}

/// Serves a run that moves through `statuses`, one per poll, then stays.
fn serve_run(server: &MockServer, statuses: &'static [&'static str]) -> Arc<AtomicUsize> {
    let polls = Arc::new(AtomicUsize::new(0));
    let seen = polls.clone();
    server.mock(move |when, then| {
        when.method(GET).path("/workflow/wf1");
        then.respond_with(move |_: &HttpMockRequest| {
            let n = seen.fetch_add(1, Ordering::SeqCst);
            let status = statuses[n.min(statuses.len() - 1)];
            HttpMockResponse::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(json!({ "workflow": { "id": "wf1", "status": status }, "progress": { "workflowProgress": { "succeeded": n } } }).to_string())
                .build()
        });
    });
    polls
}

fn quick() -> WaitOptions {
    WaitOptions::default().poll_interval(Duration::from_millis(5), Duration::from_millis(20))
}

#[tokio::test]
async fn waiting_ends_on_each_terminal_status() {
    for terminal in ["SUCCEEDED", "FAILED", "CANCELLED", "UNKNOWN"] {
        let statuses: &'static [&'static str] =
            Box::leak(vec!["SUBMITTED", "RUNNING", "RUNNING", terminal].into_boxed_slice());
        let server = MockServer::start_async().await;
        let polls = serve_run(&server, statuses);
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = seen.clone();
        let done = common::client_for(&server)
            .wait_for_workflow(
                "wf1",
                quick().on_progress(move |s| {
                    record.lock().unwrap().push(
                        s.workflow
                            .as_ref()
                            .and_then(|w| w.status.clone())
                            .map(|s| s.to_string())
                            .unwrap_or_default(),
                    )
                }),
            )
            .await
            .unwrap();
        assert_eq!(
            done.workflow
                .and_then(|w| w.status)
                .map(|s| s.to_string())
                .as_deref(),
            Some(terminal)
        );
        assert_eq!(polls.load(Ordering::SeqCst), 4);
        assert_eq!(
            *seen.lock().unwrap(),
            ["SUBMITTED", "RUNNING", "RUNNING", terminal]
        );
    }
}

#[tokio::test]
async fn waiting_times_out_with_the_last_status() {
    let server = MockServer::start_async().await;
    serve_run(&server, &["RUNNING"]);
    let e = common::client_for(&server)
        .wait_for_workflow("wf1", quick().timeout(Duration::from_millis(60)))
        .await
        .unwrap_err();
    let Error::WaitTimeout {
        workflow_id,
        last_status,
        ..
    } = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!(workflow_id, "wf1");
    assert_eq!(last_status.as_deref(), Some("RUNNING"));
}

#[tokio::test]
async fn a_run_log_downloads_as_a_stream() {
    let server = MockServer::start_async().await;
    let log: String = (0..5000).map(|i| format!("line {i}\n")).collect();
    let body = log.clone();
    server.mock(move |when, then| {
        when.method(GET)
            .path("/workflow/wf1/download")
            .query_param("fileName", "nf-wf1.log");
        then.status(200)
            .header("content-type", "text/plain")
            .body(body.clone());
    });
    let response = common::client_for(&server)
        .download_workflow_log()
        .workflow_id("wf1")
        .file_name("nf-wf1.log")
        .send()
        .await
        .unwrap();
    let mut stream = response.into_inner().into_inner();
    let mut received = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = futures::StreamExt::next(&mut stream).await {
        received.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert!(chunks >= 1);
    assert_eq!(String::from_utf8(received).unwrap(), log);
}

#[tokio::test]
async fn a_workspace_given_by_name_is_resolved() {
    let server = MockServer::start_async().await;
    server.mock(|when, then| {
        when.method(GET).path("/user-info");
        then.status(200)
            .json_body(json!({ "user": { "id": 42, "userName": "ada" } }));
    });
    server.mock(|when, then| {
        when.method(GET).path("/user/42/workspaces");
        then.status(200).json_body(json!({ "orgsAndWorkspaces": [
            { "orgName": "acme", "workspaceName": "genomics", "workspaceId": 77 },
            { "orgName": "acme", "workspaceName": null, "workspaceId": null }
        ] }));
    });
    let listed = server.mock(|when, then| {
        when.method(GET)
            .path("/pipelines")
            .query_param("workspaceId", "77");
        then.status(200).json_body(json!({ "pipelines": [] }));
    });
    let client = common::client_for(&server);
    assert_eq!(client.resolve_workspace("acme/genomics").await.unwrap(), 77);
    assert_eq!(client.resolve_workspace("123").await.unwrap(), 123);
    let scoped = client.with_workspace("acme/genomics").await.unwrap();
    assert_eq!(scoped.workspace_id(), Some(77));
    assert_eq!(
        client.workspace_id(),
        None,
        "the original client is unchanged"
    );
    scoped.list_pipelines().send().await.unwrap();
    listed.assert();
    let e = client.resolve_workspace("acme/nope").await.unwrap_err();
    assert!(e.to_string().contains("known: acme/genomics"), "{e}");
    let e = client.resolve_workspace("just-a-name").await.unwrap_err();
    assert!(e.to_string().contains("org/workspace"), "{e}");
}
