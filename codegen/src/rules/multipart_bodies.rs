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
