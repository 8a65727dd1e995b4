//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The schema the crate was built from (what `openapi.yaml` resolved to).
pub fn schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("openapi.yaml")
}

/// The schema, parsed at test time.
pub fn schema() -> serde_json::Value {
    let text = std::fs::read_to_string(schema_path()).expect("openapi.yaml resolves");
    serde_yaml_ng::from_str(&text).expect("openapi.yaml parses")
}

/// The `shared/` folder: found through the schema link (`openapi.yaml` →
/// `shared/openapi/<version>.yaml`), so that a checkout elsewhere whose link
/// points at the shared schemas (CI's older-schema build) finds it too;
/// `../shared` beside the project otherwise.
pub fn shared_dir() -> PathBuf {
    std::fs::canonicalize(schema_path())
        .ok()
        .and_then(|schema| Some(schema.parent()?.parent()?.to_path_buf()))
        .filter(|dir| dir.join("fixtures").is_dir())
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join("shared")
        })
}

/// A client for a mock server, with no throttle and no retries unless set.
pub fn client_for(server: &httpmock::MockServer) -> seqera_tower::Client {
    seqera_tower::Client::builder()
        .endpoint(server.base_url())
        .token("test-token-0123456789")
        .throttle(seqera_tower::Throttle::disabled())
        .retry(seqera_tower::RetryPolicy::disabled())
        .build()
        .expect("a valid test configuration")
}

/// Every `(operationId, method, path)` of the schema.
pub fn operations(spec: &serde_json::Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if let Some(id) = op.get("operationId").and_then(|v| v.as_str()) {
                out.push((id.to_owned(), method.to_uppercase(), path.clone()));
            }
        }
    }
    out
}
