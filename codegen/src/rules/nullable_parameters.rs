//! Rule `nullable-parameters`: `nullable: true` on parameter schemas.
//!
//! A parameter is either sent or not; it cannot be sent as JSON `null`.
//! progenitor turns a nullable header or path parameter into
//! `Option<Option<T>>`-shaped code that does not compile. Optionality is
//! already expressed by `required: false`, so the rule removes `nullable` from
//! every parameter schema (header, path, query, cookie). Cost: none; an
//! optional parameter is still `Option<T>` in the builder.

use serde_json::Value;

use super::RuleOutcome;
use super::walk::rewrite_parameters;

pub(super) fn apply(spec: &mut Value) -> RuleOutcome {
    let touched = rewrite_parameters(spec, |p| {
        let mut removed = p.remove("nullable").is_some();
        if let Some(schema) = p.get_mut("schema").and_then(Value::as_object_mut) {
            removed |= schema.remove("nullable").is_some();
        }
        removed
    });
    RuleOutcome {
        rule: "nullable-parameters",
        summary: "`nullable` removed from parameters (optionality comes from `required`)",
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
            "paths": { "/things/{id}": { "get": {
                "operationId": "GetThing",
                "parameters": parameters,
                "responses": { "200": { "description": "OK" } }
            } } }
        })
    }

    fn parameters(spec: &Value) -> &Value {
        &spec["paths"]["/things/{id}"]["get"]["parameters"]
    }

    #[test]
    fn nullable_is_removed_from_every_parameter_location() {
        let mut s = spec(json!([
            { "name": "id", "in": "path", "required": true,
              "schema": { "type": "string", "nullable": true } },
            { "name": "X-Trace", "in": "header",
              "schema": { "type": "string", "nullable": true } },
            { "name": "session", "in": "cookie", "nullable": true,
              "schema": { "type": "string" } },
            { "name": "workspaceId", "in": "query",
              "schema": { "type": "integer", "format": "int64", "nullable": false } }
        ]));
        let outcome = apply(&mut s);
        assert_eq!(outcome.rule, "nullable-parameters");
        assert_eq!(
            outcome.touched,
            vec![
                "GetThing.id",
                "GetThing.X-Trace",
                "GetThing.session",
                "GetThing.workspaceId"
            ]
        );
        assert_eq!(
            *parameters(&s),
            json!([
                { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } },
                { "name": "X-Trace", "in": "header", "schema": { "type": "string" } },
                { "name": "session", "in": "cookie", "schema": { "type": "string" } },
                { "name": "workspaceId", "in": "query",
                  "schema": { "type": "integer", "format": "int64" } }
            ])
        );
    }

    #[test]
    fn nullable_on_both_the_parameter_and_its_schema_is_one_touch() {
        let mut s = spec(json!([
            { "name": "q", "in": "query", "nullable": true,
              "schema": { "type": "string", "nullable": true } }
        ]));
        let outcome = apply(&mut s);
        assert_eq!(outcome.touched, vec!["GetThing.q"]);
        assert_eq!(
            *parameters(&s),
            json!([{ "name": "q", "in": "query", "schema": { "type": "string" } }])
        );
    }

    #[test]
    fn parameters_without_nullable_and_nullable_bodies_are_left_alone() {
        let mut s = json!({
            "openapi": "3.0.1",
            "paths": { "/things": { "post": {
                "operationId": "CreateThing",
                "parameters": [
                    { "name": "q", "in": "query", "schema": { "type": "string" } },
                    // Only the parameter's own schema is rewritten, not nested items.
                    { "name": "ids", "in": "query", "schema": {
                        "type": "array", "items": { "type": "string", "nullable": true }
                    } }
                ],
                "requestBody": { "content": { "application/json": {
                    "schema": { "type": "string", "nullable": true }
                } } },
                "responses": { "200": { "description": "OK" } }
            } } }
        });
        let before = s.clone();
        let outcome = apply(&mut s);
        assert!(outcome.touched.is_empty());
        assert_eq!(s, before);
    }
}
