//! Rule `unknown-fields-kept`: fields a newer server sends that this schema
//! does not declare.
//!
//! Seqera adds fields without notice. Ignoring them on decode is enough for
//! reading, but a read-modify-write (describe, change one field, update)
//! would silently drop them. The rule gives every object schema with
//! declared properties `additionalProperties: {}`, which typify renders as a
//! flattened `pub extra: HashMap<String, serde_json::Value>`: unknown fields
//! are kept on decode and written back on encode. Objects that declare
//! `additionalProperties` themselves, or a property named `extra`, are left
//! as they are. Cost: decoding a struct with a flattened map goes through
//! serde's buffered path (measured in the decode benchmark), and every
//! struct has one more field.

use heck::ToSnakeCase;
use serde_json::{Value, json};

use super::RuleOutcome;
use super::schema_walk::for_each_schema_mut;

pub(super) fn apply(spec: &mut Value) -> RuleOutcome {
    let mut touched = Vec::new();
    let mut count = 0;
    if let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            let before = count;
            for_each_schema_mut(schema, &mut |obj| {
                let Some(props) = obj.get("properties").and_then(Value::as_object) else {
                    return;
                };
                let named_extra = props.keys().any(|k| k.to_snake_case() == "extra");
                let open = matches!(
                    obj.get("additionalProperties"),
                    None | Some(Value::Bool(true))
                );
                if open && !named_extra && !props.is_empty() {
                    obj.insert("additionalProperties".into(), json!({}));
                    count += 1;
                }
            });
            if count > before {
                touched.push(name.clone());
            }
        }
    }
    RuleOutcome {
        rule: "unknown-fields-kept",
        summary: "objects keep undeclared fields in a flattened `extra` map (read-modify-write safe)",
        touched,
        note: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(schemas: Value) -> Value {
        json!({ "openapi": "3.0.1", "paths": {}, "components": { "schemas": schemas } })
    }

    #[test]
    fn objects_with_properties_keep_unknown_fields() {
        let mut s = spec(json!({
            "Pet": {
                "type": "object",
                "properties": {
                    "name": { "type": "string" },
                    "owner": { "type": "object", "properties": { "id": { "type": "string" } } }
                }
            },
            "Open": { "type": "object", "additionalProperties": true,
                      "properties": { "a": { "type": "string" } } },
            "Composed": { "allOf": [
                { "$ref": "#/components/schemas/Pet" },
                { "type": "object", "properties": { "b": { "type": "integer" } } }
            ] }
        }));
        let outcome = apply(&mut s);
        assert_eq!(outcome.rule, "unknown-fields-kept");
        assert_eq!(outcome.touched, vec!["Pet", "Open", "Composed"]);
        assert_eq!(
            s["components"]["schemas"],
            json!({
                "Pet": {
                    "type": "object",
                    "properties": {
                        "name": { "type": "string" },
                        "owner": { "type": "object", "properties": { "id": { "type": "string" } },
                                   "additionalProperties": {} }
                    },
                    "additionalProperties": {}
                },
                "Open": { "type": "object", "additionalProperties": {},
                          "properties": { "a": { "type": "string" } } },
                "Composed": { "allOf": [
                    { "$ref": "#/components/schemas/Pet" },
                    { "type": "object", "properties": { "b": { "type": "integer" } },
                      "additionalProperties": {} }
                ] }
            })
        );
    }

    #[test]
    fn declared_additional_properties_and_extra_fields_are_left_alone() {
        let mut s = spec(json!({
            "Closed": { "type": "object", "additionalProperties": false,
                        "properties": { "a": { "type": "string" } } },
            "Typed": { "type": "object", "additionalProperties": { "type": "string" },
                       "properties": { "a": { "type": "string" } } },
            "HasExtra": { "type": "object", "properties": { "extra": { "type": "string" } } },
            "HasExtraCamel": { "type": "object", "properties": { "Extra": { "type": "string" } } },
            "NoProperties": { "type": "object", "properties": {} },
            "Map": { "type": "object", "additionalProperties": { "type": "integer" } },
            "Scalar": { "type": "string" }
        }));
        let before = s.clone();
        let outcome = apply(&mut s);
        assert!(outcome.touched.is_empty());
        assert_eq!(s, before);
    }

    #[test]
    fn a_nested_object_is_opened_even_when_its_parent_has_extra() {
        let mut s = spec(json!({
            "Outer": { "type": "object", "properties": {
                "extra": { "type": "string" },
                "inner": { "type": "object", "properties": { "x": { "type": "string" } } }
            } }
        }));
        let outcome = apply(&mut s);
        assert_eq!(outcome.touched, vec!["Outer"]);
        assert_eq!(
            s["components"]["schemas"]["Outer"],
            json!({ "type": "object", "properties": {
                "extra": { "type": "string" },
                "inner": { "type": "object", "properties": { "x": { "type": "string" } },
                           "additionalProperties": {} }
            } })
        );
    }
}
