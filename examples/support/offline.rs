//! An embedded mock Tower with realistic data: a user in two workspaces,
//! recent runs, a primary compute environment, and a launch whose run goes
//! from SUBMITTED through RUNNING to SUCCEEDED as it is polled.
//!
//! Built with the typed helpers of `seqera_tower::mock` (the `mock`
//! feature, which the examples enable through the crate's dev-dependency on
//! itself): each route is named by its operation, matched by typed
//! parameters and answered with values of the schema's own types, so the
//! mock cannot drift from the API the client is generated from.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use seqera_tower::mock::MockServerExt;
use seqera_tower::types;
use serde_json::{Value, json};

pub const WORKSPACE_ID: i64 = 138659136604200;
const USER_ID: i64 = 4242;
const RUN_ID: &str = "4Bm6vQeEtGc3hA";

/// A value of one of the schema's types, written as the JSON the API sends.
fn typed<T: serde::de::DeserializeOwned>(body: Value) -> T {
    // The bodies below are constants of this file, so a mismatch is a bug
    // in the example, reported when it starts.
    serde_json::from_value(body).expect("mock bodies match the schema's types")
}

fn json_response(body: &impl serde::Serialize) -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(serde_json::to_string(body).unwrap_or_default())
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
    server.user_info(|_, then| {
        then.ok(&typed(json!({
            "user": { "id": USER_ID, "userName": "ada", "email": "ada@acme-bio.example" }
        })));
    });
    server.list_workspaces_user(|when, then| {
        when.user_id(USER_ID);
        then.ok(&typed(json!({ "orgsAndWorkspaces": [
            { "orgId": 1, "orgName": "acme-bio", "workspaceId": WORKSPACE_ID, "workspaceName": "genomics", "workspaceFullName": "Genomics core" },
            { "orgId": 1, "orgName": "acme-bio", "workspaceId": 27101983, "workspaceName": "proteomics", "workspaceFullName": "Proteomics lab" },
            { "orgId": 2, "orgName": "community", "workspaceId": null, "workspaceName": null }
        ] })));
    });
    server.list_workflows(|when, then| {
        when.workspace_id(WORKSPACE_ID);
        then.ok(&typed(json!({ "workflows": [
            run("3xFsHdMaZyB0Vd", "cheeky_darwin", "SUCCEEDED", "2026-12-03T09:12:44Z"),
            run("1jPxQw7EaB2GfR", "focused_curie", "FAILED", "2026-12-02T17:40:03+01:00"),
            run("6tYhNbVcX9ZpLk", "brave_turing", "RUNNING", "2026-12-04T07:55:10Z")
        ], "totalSize": 3 })));
    });
    server.list_compute_envs(|when, then| {
        when.workspace_id(WORKSPACE_ID);
        then.ok(&typed(json!({ "computeEnvs": [
            { "id": "5Wk3e6a9ZGZ0bN", "name": "aws-batch-eu", "platform": "aws-batch", "status": "AVAILABLE", "primary": true, "workDir": "s3://seqera-demo/work", "region": "eu-west-1" }
        ] })));
    });
    server.create_workflow_launch(|when, then| {
        when.workspace_id(WORKSPACE_ID);
        then.ok(&typed(json!({ "workflowId": RUN_ID })));
    });
    let polls = Arc::new(AtomicUsize::new(0));
    server.describe_workflow(move |when, then| {
        when.workflow_id(RUN_ID);
        // A run that moves on at every poll: a typed body per answer.
        then.into_inner().respond_with(move |_: &HttpMockRequest| {
            let n = polls.fetch_add(1, Ordering::SeqCst);
            let (status, succeeded, running) = match n {
                0 => ("SUBMITTED", 0, 0),
                1 => ("RUNNING", 1, 2),
                2 => ("RUNNING", 3, 1),
                _ => ("SUCCEEDED", 4, 0),
            };
            let mut body = run(RUN_ID, "quiet_hopper", status, "2026-12-04T10:00:00Z");
            body["progress"] = json!({ "workflowProgress": { "succeeded": succeeded, "running": running, "pending": 4 - succeeded - running } });
            json_response(&typed::<types::DescribeWorkflowResponse>(body))
        });
    });
    server.list_workflow_tasks(|when, then| {
        when.workflow_id(RUN_ID);
        // Raw JSON on purpose: real servers send `"exit": "0"`, a string
        // where the schema says integer, and the SDK reads it as 0.
        let tasks: Vec<Value> = ["FASTQC (sample1)", "FASTQC (sample2)", "SALMON_QUANT (sample1)", "MULTIQC"]
            .iter()
            .enumerate()
            .map(|(i, name)| json!({ "task": { "taskId": i + 1, "name": name, "process": name.split(' ').next(), "status": "COMPLETED", "exit": "0", "duration": 40_000 + 7_000 * i } }))
            .collect();
        then.into_inner()
            .status(200)
            .json_body(json!({ "tasks": tasks, "total": 4 }));
    });
    server.create_dataset_v2(|when, then| {
        when.workspace_id(WORKSPACE_ID);
        then.ok(&typed(json!({ "dataset": { "id": "2Qx8fYbFx7Wd0p", "name": "samplesheet", "mediaType": "text/csv" } })));
    });
    server.upload_dataset(|when, then| {
        when.workspace_id(WORKSPACE_ID);
        then.ok(&typed(json!({ "version": { "datasetId": "2Qx8fYbFx7Wd0p", "version": 1, "fileName": "samplesheet.csv", "mediaType": "text/csv", "hasHeader": true } })));
    });
    server
}
