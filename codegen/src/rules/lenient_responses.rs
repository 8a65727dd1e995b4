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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema_ref(name: &str) -> Value {
        json!({ "$ref": format!("#/components/schemas/{name}") })
    }

    fn spec() -> Value {
        json!({
            "openapi": "3.0.1",
            "paths": { "/pets": {
                "get": {
                    "operationId": "ListPets",
                    "responses": {
                        "200": { "description": "OK", "content": { "application/json": {
                            "schema": { "type": "array", "items": schema_ref("Pet") }
                        } } },
                        "400": { "description": "Bad", "content": { "application/json": {
                            "schema": schema_ref("ErrorResponse")
                        } } }
                    }
                },
                "post": {
                    "operationId": "CreatePet",
                    "requestBody": { "content": { "application/json": {
                        "schema": schema_ref("NewPet")
                    } } },
                    "responses": {
                        "201": { "description": "Created", "content": { "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["id", "tags"],
                                "properties": {
                                    "id": { "type": "integer", "minimum": 1 },
                                    "tags": { "type": "array", "minItems": 1,
                                              "items": { "type": "string", "maxLength": 8 } }
                                }
                            }
                        } } }
                    }
                }
            } },
            "components": { "schemas": {
                "Pet": {
                    "type": "object",
                    "required": ["name", "owner"],
                    "discriminator": { "propertyName": "kind",
                                       "mapping": { "cat": "#/components/schemas/Cat" } },
                    "properties": {
                        "kind": { "type": "string" },
                        "name": { "type": "string", "pattern": "^[a-z]+$",
                                  "minLength": 1, "maxLength": 20 },
                        "owner": schema_ref("Owner"),
                        // A property whose *name* is a constraint keyword is kept.
                        "pattern": { "type": "string" }
                    }
                },
                "Cat": { "type": "object", "required": ["lives"], "properties": {
                    "lives": { "type": "integer", "minimum": 0, "maximum": 9,
                               "exclusiveMinimum": true, "exclusiveMaximum": false,
                               "multipleOf": 1 }
                } },
                "Owner": { "type": "object", "required": ["pets"], "properties": {
                    "pets": { "type": "array", "items": schema_ref("Pet"),
                              "maxItems": 5, "uniqueItems": true },
                    "address": schema_ref("Address")
                } },
                "Address": { "allOf": [ { "type": "object", "required": ["line"],
                    "properties": { "line": { "type": "string", "minLength": 1 } } } ] },
                "NewPet": { "type": "object", "required": ["name"], "properties": {
                    "name": { "type": "string", "pattern": "^[a-z]+$" }
                } },
                "ErrorResponse": { "type": "object", "required": ["message"], "properties": {
                    "message": { "type": "string", "minLength": 1 }
                } }
            } }
        })
    }

    #[test]
    fn response_schemas_lose_required_and_constraints() {
        let mut s = spec();
        let outcome = apply(&mut s);
        assert_eq!(outcome.rule, "lenient-response-schemas");
        // Reached through the 200's items, a property $ref, an allOf member
        // and a discriminator mapping (and the Pet <-> Owner cycle ends).
        assert_eq!(outcome.touched, vec!["Address", "Cat", "Owner", "Pet"]);
        // Pet 2 + Cat 1 + Owner 1 + Address 1 + the inline 201 schema 2.
        assert_eq!(outcome.note, "7 required properties made optional");
        let schemas = &s["components"]["schemas"];
        assert_eq!(
            schemas["Pet"],
            json!({
                "type": "object",
                "discriminator": { "propertyName": "kind",
                                   "mapping": { "cat": "#/components/schemas/Cat" } },
                "properties": {
                    "kind": { "type": "string" },
                    "name": { "type": "string" },
                    "owner": schema_ref("Owner"),
                    "pattern": { "type": "string" }
                }
            })
        );
        assert_eq!(
            schemas["Cat"],
            json!({ "type": "object", "properties": { "lives": { "type": "integer" } } })
        );
        assert_eq!(
            schemas["Owner"],
            json!({ "type": "object", "properties": {
                "pets": { "type": "array", "items": schema_ref("Pet") },
                "address": schema_ref("Address")
            } })
        );
        assert_eq!(
            schemas["Address"],
            json!({ "allOf": [ { "type": "object",
                "properties": { "line": { "type": "string" } } } ] })
        );
        assert_eq!(
            s["paths"]["/pets"]["post"]["responses"]["201"]["content"]["application/json"]["schema"],
            json!({
                "type": "object",
                "properties": {
                    "id": { "type": "integer" },
                    "tags": { "type": "array", "items": { "type": "string" } }
                }
            })
        );
    }

    #[test]
    fn request_and_error_schemas_keep_required_and_constraints() {
        let mut s = spec();
        let before = s.clone();
        apply(&mut s);
        let schemas = &s["components"]["schemas"];
        assert_eq!(schemas["NewPet"], before["components"]["schemas"]["NewPet"]);
        assert_eq!(
            schemas["ErrorResponse"],
            before["components"]["schemas"]["ErrorResponse"]
        );
        assert_eq!(
            s["paths"]["/pets"]["post"]["requestBody"],
            before["paths"]["/pets"]["post"]["requestBody"]
        );
        assert_eq!(
            s["paths"]["/pets"]["get"]["responses"]["400"],
            before["paths"]["/pets"]["get"]["responses"]["400"]
        );
    }

    #[test]
    fn reachability_follows_refs_and_mappings_only_from_successes() {
        let mut s = spec();
        let reached: Vec<String> = response_components(&mut s).into_iter().collect();
        assert_eq!(reached, vec!["Address", "Cat", "Owner", "Pet"]);
    }

    #[test]
    fn a_spec_without_responses_is_left_alone() {
        let mut s = json!({
            "openapi": "3.0.1",
            "paths": {},
            "components": { "schemas": {
                "Lonely": { "type": "object", "required": ["a"],
                            "properties": { "a": { "type": "string", "minLength": 3 } } }
            } }
        });
        let before = s.clone();
        let outcome = apply(&mut s);
        assert!(outcome.touched.is_empty());
        assert_eq!(outcome.note, "0 required properties made optional");
        assert_eq!(s, before);
    }
}
