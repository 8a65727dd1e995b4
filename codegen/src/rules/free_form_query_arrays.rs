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
use super::walk::{resolve, rewrite_parameters};

pub(super) fn apply(spec: &mut Value) -> RuleOutcome {
    let snapshot = spec.clone();
    let touched = rewrite_parameters(spec, |p| {
        if p.get("in").and_then(Value::as_str) != Some("query") {
            return false;
        }
        let Some(schema) = p.get_mut("schema").and_then(Value::as_object_mut) else {
            return false;
        };
        if schema.get("type").and_then(Value::as_str) != Some("array") {
            return false;
        }
        let Some(items) = schema.get("items") else {
            return false;
        };
        let items = resolve(&snapshot, items);
        let free_form = items.get("type").and_then(Value::as_str) == Some("object")
            && items.get("properties").is_none();
        if free_form {
            schema.insert("items".into(), json!({ "type": "string" }));
        }
        free_form
    });
    RuleOutcome {
        rule: "free-form-query-arrays",
        summary: "query arrays of free-form objects typed as arrays of strings",
        touched,
        note: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(parameters: Value) -> Value {
        json!({
            "openapi": "3.0.1",
            "paths": { "/quotas": { "get": {
                "operationId": "ListQuotas",
                "parameters": parameters,
                "responses": { "200": { "description": "OK" } }
            } } },
            "components": { "schemas": {
                "FreeForm": { "type": "object" },
                "Named": { "type": "object", "properties": { "id": { "type": "string" } } }
            } }
        })
    }

    fn parameters(spec: &Value) -> &Value {
        &spec["paths"]["/quotas"]["get"]["parameters"]
    }

    #[test]
    fn free_form_item_objects_become_strings() {
        let mut s = spec(json!([
            { "name": "paths", "in": "query",
              "schema": { "type": "array", "items": { "type": "object" } } },
            { "name": "quotas", "in": "query", "description": "Quota names",
              "schema": { "type": "array", "items": { "$ref": "#/components/schemas/FreeForm" } } },
            { "name": "maps", "in": "query", "schema": { "type": "array",
              "items": { "type": "object", "additionalProperties": { "type": "string" } } } }
        ]));
        let components = s["components"].clone();
        let outcome = apply(&mut s);
        assert_eq!(outcome.rule, "free-form-query-arrays");
        assert_eq!(
            outcome.touched,
            vec!["ListQuotas.paths", "ListQuotas.quotas", "ListQuotas.maps"]
        );
        assert_eq!(
            *parameters(&s),
            json!([
                { "name": "paths", "in": "query",
                  "schema": { "type": "array", "items": { "type": "string" } } },
                { "name": "quotas", "in": "query", "description": "Quota names",
                  "schema": { "type": "array", "items": { "type": "string" } } },
                { "name": "maps", "in": "query",
                  "schema": { "type": "array", "items": { "type": "string" } } }
            ])
        );
        // The referenced component itself is not rewritten.
        assert_eq!(s["components"], components);
    }

    #[test]
    fn look_alikes_are_left_alone() {
        let mut s = spec(json!([
            // Items with properties (inline and through a $ref).
            { "name": "inline", "in": "query", "schema": { "type": "array",
              "items": { "type": "object", "properties": { "id": { "type": "string" } } } } },
            { "name": "named", "in": "query",
              "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Named" } } },
            // Arrays of scalars.
            { "name": "ids", "in": "query",
              "schema": { "type": "array", "items": { "type": "integer" } } },
            // Not in the query string.
            { "name": "X-Objects", "in": "header",
              "schema": { "type": "array", "items": { "type": "object" } } },
            // A free-form object that is not an array.
            { "name": "filter", "in": "query", "schema": { "type": "object" } },
            // An array without items, and a parameter without schema.
            { "name": "loose", "in": "query", "schema": { "type": "array" } },
            { "name": "content", "in": "query", "content": {} }
        ]));
        let before = s.clone();
        let outcome = apply(&mut s);
        assert!(outcome.touched.is_empty());
        assert_eq!(s, before);
    }
}
