//! Rule `free-form-query-arrays`: query parameters declared as arrays of
//! free-form objects (`items: {type: object}` with no properties).
//!
//! An object cannot be url-encoded into a query string, so the generated call
//! fails at run time. The server binds these parameters as plain strings
//! (paths, quota names), so the rule types the items as strings.
//! Cost: a parameter whose server really expects structured items would have
//! to be encoded by the caller; none in the published schemas does.

use serde_json::{Value, json};

use super::RuleOutcome;
use super::walk::{for_each_operation, resolve};

pub(super) fn apply(spec: &mut Value) -> RuleOutcome {
    let snapshot = spec.clone();
    let mut touched = Vec::new();
    for_each_operation(spec, |op| {
        let Some(params) = op.op.get_mut("parameters").and_then(Value::as_array_mut) else {
            return;
        };
        for p in params {
            if p.get("in").and_then(Value::as_str) != Some("query") {
                continue;
            }
            let name = p
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_owned();
            let Some(schema) = p.get_mut("schema").and_then(Value::as_object_mut) else {
                continue;
            };
            if schema.get("type").and_then(Value::as_str) != Some("array") {
                continue;
            }
            let Some(items) = schema.get("items") else {
                continue;
            };
            let items = resolve(&snapshot, items);
            let free_form = items.get("type").and_then(Value::as_str) == Some("object")
                && items.get("properties").is_none();
            if free_form {
                schema.insert("items".into(), json!({ "type": "string" }));
                touched.push(format!("{}.{name}", op.id));
            }
        }
    });
    RuleOutcome {
        rule: "free-form-query-arrays",
        summary: "query arrays of free-form objects typed as arrays of strings",
        touched,
        note: String::new(),
    }
}
