//! An embedded mock Tower with realistic data: a user in two workspaces,
//! recent runs, a primary compute environment, and a launch whose run goes
//! from SUBMITTED through RUNNING to SUCCEEDED as it is polled.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use serde_json::{Value, json};

pub const WORKSPACE_ID: i64 = 138659136604200;
const RUN_ID: &str = "4Bm6vQeEtGc3hA";

fn json_response(body: Value) -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(body.to_string())
        .build()
}

fn run(id: &str, name: &str, status: &str, submitted: &str) -> Value {
    json!({
        "workflow": {
            "id": id, "runName": name, "status": status, "submit": submitted,
            "projectName": "nf-core/rnaseq", "repository": "https://github.com/nf-core/rnaseq",
            "revision": "3.14.0", "userName": "ada", "workDir": "s3://seqera-demo/work"
        },
        "workspaceId": WORKSPACE_ID, "workspaceName": "genomics", "orgName": "acme-bio"
    })
}

/// Starts the mock and registers every route the examples use.
pub fn start() -> MockServer {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path("/user-info");
        then.status(200).json_body(
            json!({ "user": { "id": 4242, "userName": "ada", "email": "ada@acme-bio.example" } }),
        );
    });
    server.mock(|when, then| {
        when.method(GET).path("/user/4242/workspaces");
        then.status(200).json_body(json!({ "orgsAndWorkspaces": [
            { "orgId": 1, "orgName": "acme-bio", "workspaceId": WORKSPACE_ID, "workspaceName": "genomics", "workspaceFullName": "Genomics core" },
            { "orgId": 1, "orgName": "acme-bio", "workspaceId": 27101983, "workspaceName": "proteomics", "workspaceFullName": "Proteomics lab" },
            { "orgId": 2, "orgName": "community", "workspaceId": null, "workspaceName": null }
        ] }));
    });
    server.mock(|when, then| {
        when.method(GET).path("/workflow");
        then.status(200).json_body(json!({ "workflows": [
            run("3xFsHdMaZyB0Vd", "cheeky_darwin", "SUCCEEDED", "2026-12-03T09:12:44Z"),
            run("1jPxQw7EaB2GfR", "focused_curie", "FAILED", "2026-12-02T17:40:03+01:00"),
            run("6tYhNbVcX9ZpLk", "brave_turing", "RUNNING", "2026-12-04T07:55:10Z")
        ], "totalSize": 3 }));
    });
    server.mock(|when, then| {
        when.method(GET).path("/compute-envs");
        then.status(200).json_body(json!({ "computeEnvs": [
            { "id": "5Wk3e6a9ZGZ0bN", "name": "aws-batch-eu", "platform": "aws-batch", "status": "AVAILABLE", "primary": true, "workDir": "s3://seqera-demo/work", "region": "eu-west-1" }
        ] }));
    });
    server.mock(|when, then| {
        when.method(POST).path("/workflow/launch");
        then.status(200).json_body(json!({ "workflowId": RUN_ID }));
    });
    let polls = Arc::new(AtomicUsize::new(0));
    server.mock(move |when, then| {
        when.method(GET).path(format!("/workflow/{RUN_ID}"));
        then.respond_with(move |_: &HttpMockRequest| {
            let n = polls.fetch_add(1, Ordering::SeqCst);
            let (status, succeeded, running) = match n {
                0 => ("SUBMITTED", 0, 0),
                1 => ("RUNNING", 1, 2),
                2 => ("RUNNING", 3, 1),
                _ => ("SUCCEEDED", 4, 0),
            };
            let mut body = run(RUN_ID, "quiet_hopper", status, "2026-12-04T10:00:00Z");
            body["progress"] = json!({ "workflowProgress": { "succeeded": succeeded, "running": running, "pending": 4 - succeeded - running } });
            json_response(body)
        });
    });
    server.mock(|when, then| {
        when.method(GET).path(format!("/workflow/{RUN_ID}/tasks"));
        let tasks: Vec<Value> = ["FASTQC (sample1)", "FASTQC (sample2)", "SALMON_QUANT (sample1)", "MULTIQC"]
            .iter()
            .enumerate()
            .map(|(i, name)| json!({ "task": { "taskId": i + 1, "name": name, "process": name.split(' ').next(), "status": "COMPLETED", "exit": "0", "duration": 40_000 + 7_000 * i } }))
            .collect();
        then.status(200).json_body(json!({ "tasks": tasks, "total": 4 }));
    });
    server.mock(|when, then| {
        when.method(POST).path("/datasets");
        then.status(200).json_body(json!({ "dataset": { "id": "2Qx8fYbFx7Wd0p", "name": "samplesheet", "mediaType": "text/csv" } }));
    });
    server.mock(|when, then| {
        when.method(POST).path_matches(r"^/workspaces/\d+/datasets/[^/]+/upload$");
        then.status(200).json_body(json!({ "version": { "datasetId": "2Qx8fYbFx7Wd0p", "version": 1, "fileName": "samplesheet.csv", "mediaType": "text/csv", "hasHeader": true } }));
    });
    server
}
