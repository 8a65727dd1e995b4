//! Rule `comma-separated-arrays`: array query parameters with `explode: false`.
//!
//! OpenAPI's `form` style with `explode: false` sends `attributes=a,b`;
//! progenitor always sends the exploded form `attributes=a&attributes=b`,
//! which the server reads as a single value. The rule marks such parameters
//! with [`COMMA_SEPARATED_EXTENSION`]; the code generator then rewrites the
//! generated query encoding of exactly those parameters to join the items
//! with commas. The builder still takes a typed `Vec<T>`.
//! Cost: none for callers; an item whose text contains a comma cannot be
//! represented (the schema's own encoding has the same limit).

use serde_json::Value;

use super::RuleOutcome;
use super::walk::{resolve, rewrite_parameters};

/// Parameter extension marking an array query parameter sent comma-separated.
pub const COMMA_SEPARATED_EXTENSION: &str = "x-seqera-comma-separated";

pub(super) fn apply(spec: &mut Value) -> RuleOutcome {
    let snapshot = spec.clone();
    let touched = rewrite_parameters(spec, |p| {
        let in_query = p.get("in").and_then(Value::as_str) == Some("query");
        let explode = p.get("explode").and_then(Value::as_bool);
        let style = p.get("style").and_then(Value::as_str).unwrap_or("form");
        let is_array = p
            .get("schema")
            .map(|s| resolve(&snapshot, s))
            .and_then(|s| s.get("type"))
            .and_then(Value::as_str)
            == Some("array");
        let marked = in_query && is_array && explode == Some(false) && style == "form";
        if marked {
            p.insert(COMMA_SEPARATED_EXTENSION.into(), Value::Bool(true));
        }
        marked
    });
    RuleOutcome {
        rule: "comma-separated-arrays",
        summary: "explode:false array query parameters sent as one comma-separated value",
        touched,
        note: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(parameters: Value) -> Value {
        json!({
            "openapi": "3.0.1",
            "paths": { "/runs": { "get": {
                "operationId": "ListRuns",
                "parameters": parameters,
                "responses": { "200": { "description": "OK" } }
            } } },
            "components": { "schemas": {
                "Attributes": { "type": "array", "items": { "type": "string" } }
            } }
        })
    }

    fn parameters(spec: &Value) -> &Value {
        &spec["paths"]["/runs"]["get"]["parameters"]
    }

    #[test]
    fn explode_false_query_arrays_are_marked() {
        let mut s = spec(json!([
            { "name": "attributes", "in": "query", "explode": false,
              "schema": { "type": "array", "items": { "type": "string" } } },
            { "name": "ids", "in": "query", "style": "form", "explode": false,
              "schema": { "type": "array", "items": { "type": "integer" } } },
            { "name": "named", "in": "query", "explode": false,
              "schema": { "$ref": "#/components/schemas/Attributes" } }
        ]));
        let components = s["components"].clone();
        let outcome = apply(&mut s);
        assert_eq!(outcome.rule, "comma-separated-arrays");
        assert_eq!(
            outcome.touched,
            vec!["ListRuns.attributes", "ListRuns.ids", "ListRuns.named"]
        );
        assert_eq!(
            *parameters(&s),
            json!([
                { "name": "attributes", "in": "query", "explode": false,
                  "schema": { "type": "array", "items": { "type": "string" } },
                  "x-seqera-comma-separated": true },
                { "name": "ids", "in": "query", "style": "form", "explode": false,
                  "schema": { "type": "array", "items": { "type": "integer" } },
                  "x-seqera-comma-separated": true },
                { "name": "named", "in": "query", "explode": false,
                  "schema": { "$ref": "#/components/schemas/Attributes" },
                  "x-seqera-comma-separated": true }
            ])
        );
        assert_eq!(s["components"], components);
    }

    #[test]
    fn look_alikes_are_left_alone() {
        let array = json!({ "type": "array", "items": { "type": "string" } });
        let mut s = spec(json!([
            // Exploded: explicitly, and by default for the form style.
            { "name": "exploded", "in": "query", "explode": true, "schema": array.clone() },
            { "name": "default", "in": "query", "schema": array.clone() },
            // Another style.
            { "name": "spaced", "in": "query", "style": "spaceDelimited", "explode": false,
              "schema": array.clone() },
            // Not in the query string.
            { "name": "ids", "in": "path", "required": true, "explode": false,
              "schema": array.clone() },
            { "name": "X-Ids", "in": "header", "explode": false, "schema": array },
            // Not an array.
            { "name": "status", "in": "query", "explode": false, "schema": { "type": "string" } }
        ]));
        let before = s.clone();
        let outcome = apply(&mut s);
        assert!(outcome.touched.is_empty());
        assert_eq!(s, before);
    }
}
