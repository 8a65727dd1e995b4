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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_free_form_objects_become_any_value() {
        let mut s = json!({
            "openapi": "3.0.1",
            "paths": {},
            "components": { "schemas": { "Job": {
                "type": "object",
                "properties": {
                    "meta": { "type": "object", "description": "Anything", "title": "Meta",
                              "nullable": true, "readOnly": true, "example": { "a": 1 } },
                    "open": { "type": "object", "additionalProperties": true },
                    "empty": { "type": "object", "additionalProperties": {} },
                    // A map of free-form objects: its values loosen first, and
                    // the map is then free-form too (the whole field is a Value).
                    "params": { "type": "object",
                                "additionalProperties": { "type": "object" } },
                    "resources": { "type": "array", "items": { "type": "object" } },
                    "labels": { "type": "object", "additionalProperties": { "type": "string" } },
                    "closed": { "type": "object", "additionalProperties": false },
                    "typed": { "type": "object", "properties": { "a": { "type": "string" } } },
                    "composed": { "type": "object", "allOf": [ { "$ref": "#/components/schemas/X" } ] },
                    "choice": { "type": "object", "enum": [ { "a": 1 } ] },
                    "text": { "type": "string" }
                }
            } } }
        });
        let outcome = apply(&mut s);
        assert_eq!(outcome.rule, "free-form-values");
        // meta, open, empty, params' values, params, resources' items.
        assert_eq!(outcome.touched, vec!["Job (6)"]);
        assert_eq!(
            s["components"]["schemas"]["Job"],
            json!({
                "type": "object",
                "properties": {
                    "meta": { "description": "Anything", "title": "Meta",
                              "nullable": true, "readOnly": true },
                    "open": {},
                    "empty": {},
                    "params": {},
                    "resources": { "type": "array", "items": {} },
                    "labels": { "type": "object", "additionalProperties": { "type": "string" } },
                    "closed": { "type": "object", "additionalProperties": false },
                    "typed": { "type": "object", "properties": { "a": { "type": "string" } } },
                    "composed": { "type": "object", "allOf": [ { "$ref": "#/components/schemas/X" } ] },
                    "choice": { "type": "object", "enum": [ { "a": 1 } ] },
                    "text": { "type": "string" }
                }
            })
        );
    }

    #[test]
    fn free_form_components_at_top_level_stay_named_maps() {
        let mut s = json!({
            "openapi": "3.0.1",
            "paths": {},
            "components": { "schemas": {
                "Bag": { "type": "object", "description": "Opaque" },
                "OpenBag": { "type": "object", "additionalProperties": true },
                "Strings": { "type": "object", "additionalProperties": { "type": "string" } },
                "Typed": { "type": "object", "properties": { "id": { "type": "string" } } }
            } }
        });
        let before = s.clone();
        let outcome = apply(&mut s);
        assert!(outcome.touched.is_empty());
        assert_eq!(s, before);
    }

    #[test]
    fn a_top_level_map_of_free_form_objects_becomes_any_value() {
        let mut s = json!({
            "openapi": "3.0.1",
            "paths": {},
            "components": { "schemas": {
                "Params": { "type": "object", "description": "Launch parameters",
                            "additionalProperties": { "type": "object" } }
            } }
        });
        let outcome = apply(&mut s);
        assert_eq!(outcome.touched, vec!["Params (2)"]);
        assert_eq!(
            s["components"]["schemas"]["Params"],
            json!({ "description": "Launch parameters" })
        );
    }

    #[test]
    fn operation_bodies_are_loosened_but_parameters_are_not() {
        let mut s = json!({
            "openapi": "3.0.1",
            "paths": { "/launch": { "post": {
                "operationId": "Launch",
                "parameters": [ { "name": "filter", "in": "query",
                                  "schema": { "type": "object" } } ],
                "requestBody": { "content": { "application/json": {
                    "schema": { "type": "object", "properties": {
                        "config": { "type": "object" }
                    } }
                } } },
                "responses": {
                    "200": { "description": "OK", "content": { "application/json": {
                        "schema": { "type": "array", "items": { "type": "object" } }
                    } } },
                    "204": { "description": "No content" }
                }
            } } }
        });
        let outcome = apply(&mut s);
        assert_eq!(outcome.touched, vec!["Launch (2)"]);
        let op = &s["paths"]["/launch"]["post"];
        assert_eq!(
            op["parameters"],
            json!([ { "name": "filter", "in": "query", "schema": { "type": "object" } } ])
        );
        assert_eq!(
            op["requestBody"],
            json!({ "content": { "application/json": {
                "schema": { "type": "object", "properties": { "config": {} } }
            } } })
        );
        assert_eq!(
            op["responses"],
            json!({
                "200": { "description": "OK", "content": { "application/json": {
                    "schema": { "type": "array", "items": {} }
                } } },
                "204": { "description": "No content" }
            })
        );
    }
}
