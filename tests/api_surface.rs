//! The generated surface: every operation callable, unions decoded by tag,
//! query encodings as the schema says.

mod common;

use httpmock::prelude::*;
use seqera_tower::types;
use serde_json::{Value, json};

/// The snake-case method name of an operationId, computed independently of
/// the code generator (word boundaries at lower→upper and before the last
/// capital of an acronym, `_` kept).
fn snake(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1);
            let boundary = match prev {
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                _ => false,
            };
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn every_operation_of_the_schema_has_a_method() {
    let spec = common::schema();
    let operations = common::operations(&spec);
    assert!(
        operations.len() > 200,
        "the schema lists {} operations",
        operations.len()
    );
    let mut missing = Vec::new();
    for (id, method, path) in &operations {
        let found = seqera_tower::OPERATIONS
            .iter()
            .find(|o| o.operation_id == id);
        match found {
            Some(op) => assert_eq!(op.method, snake(id), "{id}: method name"),
            None => missing.push(format!("{id} ({method} {path})")),
        }
    }
    println!(
        "coverage: {} of {} operations of the {} schema have a method on Client",
        operations.len() - missing.len(),
        operations.len(),
        seqera_tower::API_VERSION
    );
    assert!(
        missing.is_empty(),
        "operations without a method: {missing:#?}"
    );
    assert_eq!(
        seqera_tower::OPERATIONS.len(),
        operations.len(),
        "no method without an operation"
    );
}

#[test]
fn api_version_is_the_schemas() {
    let spec = common::schema();
    assert_eq!(
        spec["info"]["version"].as_str(),
        Some(seqera_tower::API_VERSION)
    );
}

/// For each tag of ComputeConfig's discriminator, a body with that tag and
/// one string field that only the mapped schema declares (when there is one)
/// decodes into its own variant and serialises back to the same JSON.
#[test]
fn each_compute_platform_decodes_into_its_own_variant() {
    let spec = common::schema();
    let union = &spec["components"]["schemas"]["ComputeConfig"];
    let property = union["discriminator"]["propertyName"]
        .as_str()
        .expect("propertyName");
    let mapping = union["discriminator"]["mapping"]
        .as_object()
        .expect("mapping");
    assert!(mapping.len() >= 10, "{} platforms", mapping.len());
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    let string_props = |name: &str| -> Vec<String> {
        schemas[name]["properties"]
            .as_object()
            .map(|p| {
                p.iter()
                    .filter(|(k, v)| {
                        v["type"] == "string"
                            && v.get("enum").is_none()
                            && v.get("format").is_none()
                            && k.as_str() != property
                    })
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut distinct_fields = 0;
    for (tag, target) in mapping {
        let target = target.as_str().unwrap().rsplit('/').next().unwrap();
        // Prefer a field no other variant has, so that decoding into the
        // wrong variant would drop it.
        let others: Vec<String> = mapping
            .values()
            .map(|t| t.as_str().unwrap().rsplit('/').next().unwrap().to_owned())
            .filter(|t| t != target)
            .flat_map(|t| string_props(&t))
            .collect();
        let own = string_props(target);
        let field = own.iter().find(|f| !others.contains(f)).or(own.first());
        let mut body = json!({ property: tag, "workDir": "s3://bucket/work" });
        if let Some(field) = field {
            if !others.contains(field) {
                distinct_fields += 1;
            }
            body[field] = json!(format!("value-of-{field}"));
        }
        let decoded: types::ComputeConfig =
            serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{tag}: {e}"));
        assert_eq!(decoded.tag(), Some(tag.as_str()), "{tag}");
        assert!(
            !matches!(decoded, types::ComputeConfig::Other(_)),
            "{tag} fell through to Other"
        );
        assert_eq!(
            serde_json::to_value(&decoded).unwrap(),
            body,
            "{tag} round trip"
        );
    }
    assert!(
        distinct_fields >= 5,
        "only {distinct_fields} platforms had a field of their own"
    );
}

#[test]
fn slurm_does_not_decode_as_aws_batch() {
    let body = json!({ "discriminator": "slurm-platform", "workDir": "/scratch", "headQueue": "long", "launchDir": "/home/me" });
    let decoded: types::ComputeConfig = serde_json::from_value(body.clone()).unwrap();
    let types::ComputeConfig::SlurmPlatform(slurm) = &decoded else {
        panic!("decoded as {decoded:?}")
    };
    assert_eq!(slurm.head_queue.as_deref(), Some("long"));
    assert_eq!(slurm.launch_dir.as_deref(), Some("/home/me"));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), body);
}

#[test]
fn an_unlisted_tag_is_kept_whole() {
    let body = json!({ "discriminator": "quantum-platform", "qubits": 4096, "workDir": "/q" });
    let decoded: types::ComputeConfig = serde_json::from_value(body.clone()).unwrap();
    assert!(matches!(decoded, types::ComputeConfig::Other(_)));
    assert_eq!(decoded.tag(), Some("quantum-platform"));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), body);
}

#[test]
fn encoding_a_variant_sets_its_tag() {
    let config = types::ComputeConfig::from(types::SlurmComputeConfig {
        head_queue: Some("q".into()),
        ..Default::default()
    });
    let value = serde_json::to_value(&config).unwrap();
    assert_eq!(value["discriminator"], "slurm-platform");
    assert_eq!(value["headQueue"], "q");
}

#[tokio::test]
async fn explode_false_arrays_go_comma_separated() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/workflow")
                .query_param("attributes", "labels,optimized")
                .query_param("workspaceId", "7");
            then.status(200)
                .json_body(json!({ "workflows": [], "totalSize": 0 }));
        })
        .await;
    let client = common::client_for(&server);
    let response = client
        .list_workflows()
        .workspace_id(7)
        .attributes(vec![
            types::WorkflowQueryAttribute::Labels,
            types::WorkflowQueryAttribute::Optimized,
        ])
        .send()
        .await
        .expect("the mock matches a comma-separated attributes parameter");
    mock.assert_async().await;
    assert_eq!(response.total_size, Some(0));
}

#[tokio::test]
async fn no_api_version_header_is_sent() {
    let server = MockServer::start_async().await;
    let with_header = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/service-info")
                .header_exists("api-version");
            then.status(500);
        })
        .await;
    let without = server
        .mock_async(|when, then| {
            when.method(GET).path("/service-info");
            then.status(200)
                .json_body(json!({ "serviceInfo": { "version": "25.1.0" } }));
        })
        .await;
    let client = common::client_for(&server);
    client
        .info()
        .send()
        .await
        .expect("served by the mock without api-version");
    with_header.assert_calls_async(0).await;
    without.assert_async().await;
}

#[test]
fn snake_case_matches_known_drifting_names() {
    assert_eq!(
        snake("FinishDataLinkUploadWithPath"),
        "finish_data_link_upload_with_path"
    );
    assert_eq!(snake("ListAuditLogsV2"), "list_audit_logs_v2");
    assert_eq!(snake("Ga4ghRunCreate"), "ga4gh_run_create");
    let _: Value = json!(null);
}

#[tokio::test]
async fn free_form_query_arrays_are_sent_as_strings() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/data-links/dl1/script/download")
                .query_param("files", "a/b.txt");
            then.status(200).json_body(json!({}));
        })
        .await;
    let spec = common::schema();
    let has_op = common::operations(&spec)
        .iter()
        .any(|(id, _, _)| id == "GenerateDownloadScript");
    if !has_op {
        return;
    }
    common::client_for(&server)
        .generate_download_script()
        .data_link_id("dl1")
        .files(vec!["a/b.txt".to_owned()])
        .send()
        .await
        .expect("files is a list of strings on the wire");
    mock.assert_async().await;
}

#[tokio::test]
async fn a_nullable_header_parameter_is_an_optional_header() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .header("origin", "https://app.example.org");
            then.status(200).json_body(json!({}));
        })
        .await;
    let result = common::client_for(&server)
        .generate_data_link_upload_url()
        .data_link_id("dl1")
        .origin("https://app.example.org")
        .body(types::DataLinkMultiPartUploadRequest::default())
        .send()
        .await;
    assert!(result.is_ok(), "{result:?}");
    mock.assert_async().await;
}
