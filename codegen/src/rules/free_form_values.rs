//! Rule `free-form-values`: objects the schema leaves free-form.
//!
//! `{type: object}` with no properties says nothing about its content, yet
//! typify would decode it as a JSON object and fail on anything else; real
//! servers send strings where such schemas say maps of objects
//! (`additionalProperties: {type: object}`). The rule turns a free-form
//! object into "any JSON value" (`{}`), so such fields are
//! `serde_json::Value` and maps of them `HashMap<String, serde_json::Value>`.
//! Cost: `serde_json::Value` where typify would have given
//! `serde_json::Map`; nothing typed is lost, since nothing was declared.

use serde_json::{Map, Value};

use super::RuleOutcome;
use super::schema_walk::for_each_schema_mut;
use super::walk::for_each_operation;

fn is_free_form_object(obj: &Map<String, Value>) -> bool {
    let structural = [
        "properties",
        "allOf",
        "oneOf",
        "anyOf",
        "items",
        "enum",
        "$ref",
        "discriminator",
    ];
    obj.get("type").and_then(Value::as_str) == Some("object")
        && !structural.iter().any(|k| obj.contains_key(*k))
        && match obj.get("additionalProperties") {
            None | Some(Value::Bool(true)) => true,
            Some(Value::Object(a)) => a.is_empty(),
            Some(_) => false,
        }
}

fn loosen(schema: &mut Value, count: &mut usize) {
    for_each_schema_mut(schema, &mut |obj| {
        if is_free_form_object(obj) {
            // Keep documentation, drop the type.
            obj.retain(|k, _| {
                matches!(
                    k.as_str(),
                    "description" | "title" | "readOnly" | "writeOnly" | "deprecated" | "nullable"
                )
            });
            *count += 1;
        }
    });
}

pub(super) fn apply(spec: &mut Value) -> RuleOutcome {
    let mut touched = Vec::new();
    if let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            let mut count = 0;
            // A component that is itself a free-form object stays a named
            // map (it has nothing nested to loosen).
            if !schema.as_object().is_some_and(is_free_form_object) {
                loosen(schema, &mut count);
            }
            if count > 0 {
                touched.push(format!("{name} ({count})"));
            }
        }
    }
    for_each_operation(spec, |op| {
        let mut count = 0;
        for key in ["requestBody", "responses"] {
            if let Some(v) = op.op.get_mut(key) {
                walk_media_schemas(v, &mut count);
            }
        }
        if count > 0 {
            touched.push(format!("{} ({count})", op.id));
        }
    });
    RuleOutcome {
        rule: "free-form-values",
        summary: "free-form objects (and maps of them) decode as serde_json::Value",
        touched,
        note: String::new(),
    }
}

/// Loosens every `schema` under a request body or responses object.
fn walk_media_schemas(value: &mut Value, count: &mut usize) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if k == "schema" {
                    loosen(v, count);
                } else {
                    walk_media_schemas(v, count);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| walk_media_schemas(v, count)),
        _ => {}
    }
}
