//! Rule `multipart-bodies`: `multipart/form-data` request bodies.
//!
//! progenitor rejects any operation whose request body is multipart. Two cases:
//!
//! * The operation also offers another media type (JSON): the multipart entry
//!   is dropped and the generated method sends JSON, which carries the same
//!   schema. Cost: the form-encoded variant is not offered.
//! * Multipart is the only media type: the body becomes an opaque
//!   `application/octet-stream` body so that progenitor generates the rest of
//!   the operation (path, query, response), and the form's fields are recorded
//!   in the operation extension [`MULTIPART_EXTENSION`]. The code generator
//!   then gives the builder a typed `.form(MultipartForm)` setter that writes
//!   the form with its boundary. Cost: the parts are built by the caller with
//!   `seqera_tower::multipart::MultipartForm`, not checked by the compiler
//!   against the form's field names (the field names are listed in the docs).

use serde_json::{Value, json};

use super::RuleOutcome;
use super::walk::{for_each_operation, resolve};

/// Operation extension listing the fields of a multipart-only request body.
pub const MULTIPART_EXTENSION: &str = "x-seqera-multipart";

const MULTIPART: &str = "multipart/form-data";

/// One field of a multipart form, as recorded in [`MULTIPART_EXTENSION`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipartField {
    /// The form field's name.
    pub name: String,
    /// True when the schema declares the field as binary (a file part).
    pub binary: bool,
}

impl MultipartField {
    /// Reads the fields recorded on an operation by this rule.
    pub fn from_extension(value: &Value) -> Vec<Self> {
        value
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| {
                Some(Self {
                    name: f.get("name")?.as_str()?.to_owned(),
                    binary: f.get("binary").and_then(Value::as_bool).unwrap_or(false),
                })
            })
            .collect()
    }
}

pub(super) fn apply(spec: &mut Value) -> Result<RuleOutcome, String> {
    let snapshot = spec.clone();
    let mut touched = Vec::new();
    let mut error = None;
    for_each_operation(spec, |op| {
        let Some(content) = op
            .op
            .get_mut("requestBody")
            .and_then(|b| b.get_mut("content"))
            .and_then(Value::as_object_mut)
        else {
            return;
        };
        let Some(form) = content.get(MULTIPART).cloned() else {
            return;
        };
        if content.len() > 1 {
            content.remove(MULTIPART);
            touched.push(format!(
                "{} (multipart dropped, other media type kept)",
                op.id
            ));
            return;
        }
        let schema = resolve(&snapshot, form.get("schema").unwrap_or(&Value::Null));
        let Some(props) = schema.get("properties").and_then(Value::as_object) else {
            error = Some(format!(
                "{}: the multipart/form-data request body has no object schema with properties",
                op.id
            ));
            return;
        };
        let fields: Vec<Value> = props
            .iter()
            .map(|(name, prop)| {
                let prop = resolve(&snapshot, prop);
                let binary = prop.get("format").and_then(Value::as_str) == Some("binary");
                json!({ "name": name, "binary": binary })
            })
            .collect();
        content.clear();
        content.insert(
            "application/octet-stream".into(),
            json!({ "schema": { "type": "string", "format": "binary" } }),
        );
        op.op
            .insert(MULTIPART_EXTENSION.into(), Value::Array(fields));
        touched.push(op.id.clone());
    });
    match error {
        Some(e) => Err(e),
        None => Ok(RuleOutcome {
            rule: "multipart-bodies",
            summary: "multipart/form-data request bodies: JSON alternative kept, else a typed multipart form setter",
            touched,
            note: String::new(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(request_body: Value) -> Value {
        json!({
            "openapi": "3.0.1",
            "paths": { "/upload": { "post": {
                "operationId": "Upload",
                "requestBody": request_body,
                "responses": { "200": { "description": "OK" } }
            } } },
            "components": { "schemas": {
                "UploadForm": {
                    "type": "object",
                    "properties": {
                        "file": { "$ref": "#/components/schemas/Blob" },
                        "name": { "type": "string" },
                        "raw": { "type": "string", "format": "binary" }
                    }
                },
                "Blob": { "type": "string", "format": "binary" }
            } }
        })
    }

    fn operation(spec: &Value) -> &Value {
        &spec["paths"]["/upload"]["post"]
    }

    #[test]
    fn multipart_only_body_becomes_octet_stream_with_recorded_fields() {
        let mut s = spec(json!({
            "required": true,
            "content": { "multipart/form-data": {
                "schema": { "$ref": "#/components/schemas/UploadForm" }
            } }
        }));
        let components = s["components"].clone();
        let outcome = apply(&mut s).unwrap();
        assert_eq!(outcome.rule, "multipart-bodies");
        assert_eq!(outcome.touched, vec!["Upload"]);
        assert_eq!(
            *operation(&s),
            json!({
                "operationId": "Upload",
                "requestBody": {
                    "required": true,
                    "content": { "application/octet-stream": {
                        "schema": { "type": "string", "format": "binary" }
                    } }
                },
                "responses": { "200": { "description": "OK" } },
                "x-seqera-multipart": [
                    { "name": "file", "binary": true },
                    { "name": "name", "binary": false },
                    { "name": "raw", "binary": true }
                ]
            })
        );
        // The form's component schema is not rewritten.
        assert_eq!(s["components"], components);
        assert_eq!(
            MultipartField::from_extension(&operation(&s)[MULTIPART_EXTENSION]),
            vec![
                MultipartField {
                    name: "file".into(),
                    binary: true
                },
                MultipartField {
                    name: "name".into(),
                    binary: false
                },
                MultipartField {
                    name: "raw".into(),
                    binary: true
                },
            ]
        );
    }

    #[test]
    fn inline_multipart_schema_is_read_too() {
        let mut s = spec(json!({ "content": { "multipart/form-data": { "schema": {
            "type": "object",
            "properties": { "note": { "type": "string" } }
        } } } }));
        let outcome = apply(&mut s).unwrap();
        assert_eq!(outcome.touched, vec!["Upload"]);
        assert_eq!(
            operation(&s)[MULTIPART_EXTENSION],
            json!([{ "name": "note", "binary": false }])
        );
        assert_eq!(
            operation(&s)["requestBody"],
            json!({ "content": { "application/octet-stream": {
                "schema": { "type": "string", "format": "binary" }
            } } })
        );
    }

    #[test]
    fn multipart_beside_json_is_dropped_and_json_kept() {
        let form = json!({ "$ref": "#/components/schemas/UploadForm" });
        let mut s = spec(json!({ "content": {
            "multipart/form-data": { "schema": form.clone() },
            "application/json": { "schema": form.clone() }
        } }));
        let outcome = apply(&mut s).unwrap();
        assert_eq!(
            outcome.touched,
            vec!["Upload (multipart dropped, other media type kept)"]
        );
        assert_eq!(
            *operation(&s),
            json!({
                "operationId": "Upload",
                "requestBody": { "content": { "application/json": { "schema": form } } },
                "responses": { "200": { "description": "OK" } }
            })
        );
    }

    #[test]
    fn json_only_body_is_left_alone() {
        let mut s = spec(json!({ "content": { "application/json": {
            "schema": { "$ref": "#/components/schemas/UploadForm" }
        } } }));
        let before = s.clone();
        let outcome = apply(&mut s).unwrap();
        assert!(outcome.touched.is_empty());
        assert_eq!(s, before);
    }

    #[test]
    fn operation_without_body_is_left_alone() {
        let mut s = json!({
            "openapi": "3.0.1",
            "paths": { "/things": { "get": {
                "responses": { "200": { "description": "OK" } }
            } } }
        });
        let before = s.clone();
        let outcome = apply(&mut s).unwrap();
        assert!(outcome.touched.is_empty());
        assert_eq!(s, before);
    }

    #[test]
    fn operation_without_id_is_named_by_method_and_path() {
        let mut s = json!({
            "openapi": "3.0.1",
            "paths": { "/files/{id}": { "put": {
                "requestBody": { "content": { "multipart/form-data": { "schema": {
                    "type": "object",
                    "properties": { "f": { "type": "string", "format": "binary" } }
                } } } }
            } } }
        });
        let outcome = apply(&mut s).unwrap();
        assert_eq!(outcome.touched, vec!["PUT /files/{id}"]);
    }

    #[test]
    fn multipart_body_without_properties_is_an_error() {
        let mut s = spec(json!({ "content": { "multipart/form-data": {
            "schema": { "type": "object" }
        } } }));
        assert_eq!(
            apply(&mut s).unwrap_err(),
            "Upload: the multipart/form-data request body has no object schema with properties"
        );
    }

    #[test]
    fn multipart_body_without_schema_is_an_error() {
        let mut s = spec(json!({ "content": { "multipart/form-data": {} } }));
        assert_eq!(
            apply(&mut s).unwrap_err(),
            "Upload: the multipart/form-data request body has no object schema with properties"
        );
    }

    #[test]
    fn multipart_body_referring_to_a_propertyless_component_is_an_error() {
        let mut s = spec(json!({ "content": { "multipart/form-data": {
            "schema": { "$ref": "#/components/schemas/Blob" }
        } } }));
        assert_eq!(
            apply(&mut s).unwrap_err(),
            "Upload: the multipart/form-data request body has no object schema with properties"
        );
    }
}
