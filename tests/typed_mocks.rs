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
