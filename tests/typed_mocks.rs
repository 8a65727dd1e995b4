//! The `mock` feature's typed httpmock helpers, generated from the same
//! schema as the client, driving the client.
#![cfg(feature = "mock")]

mod common;

use futures::TryStreamExt;
use seqera_tower::mock::MockServerExt;
use seqera_tower::types;

fn run(
    id: &str,
    status: types::WorkflowStatus,
) -> types::ListWorkflowsResponseListWorkflowsElement {
    types::ListWorkflowsResponseListWorkflowsElement {
        workflow: Some(types::WorkflowDbDto {
            id: Some(id.into()),
            status: Some(status),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[tokio::test]
async fn typed_mocks_answer_the_client() {
    let server = httpmock::MockServer::start_async().await;
    let describe = server.describe_workflow(|when, then| {
        let when = when.workflow_id("4Bm6vQeEtGc3hA").workspace_id(7);
        let _ = when;
        then.ok(&types::DescribeWorkflowResponse {
            workflow: Some(types::WorkflowMaxDbDto {
                id: Some("4Bm6vQeEtGc3hA".into()),
                status: Some(types::WorkflowStatus::Running),
                ..Default::default()
            }),
            ..Default::default()
        });
    });
    let list = server.list_workflows(|when, then| {
        let _ = when.workspace_id(7).attributes(&vec![
            types::WorkflowQueryAttribute::Labels,
            types::WorkflowQueryAttribute::Optimized,
        ]);
        then.ok(&types::ListWorkflowsResponse {
            workflows: vec![
                run("a", types::WorkflowStatus::Succeeded),
                run("b", types::WorkflowStatus::Other("PAUSED".into())),
            ],
            total_size: Some(2),
            ..Default::default()
        });
    });
    let client = seqera_tower::Client::builder()
        .endpoint(server.base_url())
        .token("t")
        .workspace_id(7)
        .throttle(seqera_tower::Throttle::disabled())
        .build()
        .unwrap();
    let state = client
        .describe_workflow()
        .workflow_id("4Bm6vQeEtGc3hA")
        .send()
        .await
        .unwrap();
    assert_eq!(
        state.workflow.as_ref().and_then(|w| w.status.clone()),
        Some(types::WorkflowStatus::Running)
    );
    let runs: Vec<_> = client
        .list_workflows()
        .attributes(vec![
            types::WorkflowQueryAttribute::Labels,
            types::WorkflowQueryAttribute::Optimized,
        ])
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(runs.len(), 2);
    // A status the schema does not list survives the round trip.
    assert_eq!(
        runs[1].workflow.as_ref().and_then(|w| w.status.clone()),
        Some(types::WorkflowStatus::Other("PAUSED".into()))
    );
    describe.assert();
    list.assert();
}

/// A launch by launchpad name, every route a typed mock; the launch request
/// is matched by value (`when.body(&SubmitWorkflowLaunchRequest)` compares
/// the whole JSON body), so this pins exactly what `client.launch` sends.
#[tokio::test]
async fn a_launch_sends_exactly_the_expected_request() {
    let server = httpmock::MockServer::start_async().await;
    let pipelines = server.list_pipelines(|when, then| {
        let _ = when.search("rnaseq").workspace_id(5);
        then.ok(&serde_json::from_value(serde_json::json!({ "pipelines": [
            { "pipelineId": 1, "name": "rnaseq-dev" },
            { "pipelineId": 2, "name": "rnaseq" }
        ], "totalSize": 2 }))
        .unwrap());
    });
    let launchpad = server.describe_pipeline_launch(|when, then| {
        let _ = when.pipeline_id(2).workspace_id(5);
        then.ok(&serde_json::from_value(serde_json::json!({ "launch": {
            "id": "L1", "pipeline": "https://github.com/nf-core/rnaseq", "workDir": "s3://bucket/work",
            "revision": "3.13.0", "computeEnv": { "id": "ce1", "name": "aws" }, "configProfiles": ["docker"]
        } }))
        .unwrap());
    });
    let expected: types::SubmitWorkflowLaunchRequest =
        serde_json::from_value(serde_json::json!({ "launch": {
            "id": "L1", "pipeline": "https://github.com/nf-core/rnaseq", "computeEnvId": "ce1",
            "workDir": "s3://bucket/work", "revision": "3.14.0", "configProfiles": ["docker"],
            "paramsText": "{\"input\":\"s3://bucket/samples.csv\"}"
        } }))
        .unwrap();
    let launch = server.create_workflow_launch(|when, then| {
        let _ = when.workspace_id(5).body(&expected);
        then.ok(&types::SubmitWorkflowLaunchResponse {
            workflow_id: Some("wf123".into()),
            ..Default::default()
        });
    });
    let client = seqera_tower::Client::builder()
        .endpoint(server.base_url())
        .token("t")
        .workspace_id(5)
        .throttle(seqera_tower::Throttle::disabled())
        .build()
        .unwrap();
    let id = client
        .launch("rnaseq")
        .revision("3.14.0")
        .params(serde_json::json!({ "input": "s3://bucket/samples.csv" }))
        .send()
        .await
        .unwrap();
    assert_eq!(id, "wf123");
    pipelines.assert();
    launchpad.assert();
    launch.assert();
}
