//! Rule `lenient-response-schemas`: what real servers send does not follow
//! the schema's `required` lists or value constraints.
//!
//! Captured responses miss required fields and carry values outside declared
//! constraints. For every schema reachable from a 2xx response (through
//! `$ref`s and discriminator mappings), the rule removes `required` (so every
//! field is an `Option`, or a defaulted collection) and the constraints that
//! typify would enforce while decoding (`pattern`, `minLength`, `maxLength`,
//! `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`,
//! `multipleOf`, `minItems`, `maxItems`, `uniqueItems`).
//! Schemas used only in requests keep all of them, so what the SDK sends
//! stays as strict as the schema. Cost: fields that the schema requires are
//! `Option` in response types; constrained-string newtypes become `String`
//! there.

use std::collections::BTreeSet;

use serde_json::Value;

use super::RuleOutcome;
use super::schema_walk::{for_each_schema_mut, referenced_components};
use super::walk::{for_each_operation, is_success};

const CONSTRAINTS: [&str; 11] = [
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
];

/// Relaxes one schema tree; returns how many `required` entries it dropped.
fn relax(schema: &mut Value) -> usize {
    let mut dropped = 0;
    for_each_schema_mut(schema, &mut |obj| {
        if let Some(Value::Array(required)) = obj.remove("required") {
            dropped += required.len();
        }
        for key in CONSTRAINTS {
            obj.remove(key);
        }
    });
    dropped
}

/// The component schemas reachable from any 2xx response.
pub(super) fn response_components(spec: &mut Value) -> BTreeSet<String> {
    let mut roots = Vec::new();
    for_each_operation(spec, |op| {
        if let Some(responses) = op.op.get("responses").and_then(Value::as_object) {
            for (code, response) in responses {
                if is_success(code) {
                    referenced_components(response, &mut roots);
                }
            }
        }
    });
    let schemas = spec
        .pointer("/components/schemas")
        .cloned()
        .unwrap_or(Value::Null);
    let mut reached = BTreeSet::new();
    while let Some(name) = roots.pop() {
        if !reached.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = schemas.get(&name) {
            referenced_components(schema, &mut roots);
        }
    }
    reached
}

pub(super) fn apply(spec: &mut Value) -> RuleOutcome {
    let reached = response_components(spec);
    let mut touched = Vec::new();
    let mut required_dropped = 0;
    if let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for name in &reached {
            if let Some(schema) = schemas.get_mut(name) {
                required_dropped += relax(schema);
                touched.push(name.clone());
            }
        }
    }
    // Inline response schemas (not components) too.
    for_each_operation(spec, |op| {
        if let Some(responses) = op.op.get_mut("responses").and_then(Value::as_object_mut) {
            for (code, response) in responses.iter_mut() {
                if !is_success(code) {
                    continue;
                }
                if let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) {
                    for media in content.values_mut() {
                        if let Some(schema) = media.get_mut("schema") {
                            required_dropped += relax(schema);
                        }
                    }
                }
            }
        }
    });
    RuleOutcome {
        rule: "lenient-response-schemas",
        summary: "response schemas: `required` and value constraints dropped (requests keep them)",
        note: format!("{required_dropped} required properties made optional"),
        touched,
    }
}
