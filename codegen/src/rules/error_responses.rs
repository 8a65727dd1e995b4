//! Rule `error-responses`: non-2xx responses are handled by the client layer.
//!
//! The schema declares a JSON `ErrorResponse` for 400 and body-less 403/404/409
//! on most operations; progenitor asserts that an operation's error responses
//! share one type and fails on the mix. Every error the API sends has the same
//! shape (`{"message": "..."}` or no body), so the hand-written layer maps all
//! of them into `seqera_tower::Error` uniformly (status, message, Error ID).
//! The rule removes non-2xx and `default` responses before generation.
//! Cost: none for users: the typed error bodies were never distinct; the
//! raw body stays available through `Error::body()`.

use serde_json::Value;

use super::RuleOutcome;
use super::walk::{for_each_operation, is_success};

pub(super) fn apply(spec: &mut Value) -> RuleOutcome {
    let mut touched = Vec::new();
    for_each_operation(spec, |op| {
        let Some(responses) = op.op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        let before = responses.len();
        responses.retain(|code, _| is_success(code));
        if responses.len() != before {
            touched.push(op.id.clone());
        }
    });
    RuleOutcome {
        rule: "error-responses",
        summary: "non-2xx responses removed: the client layer maps every error status into seqera_tower::Error",
        touched,
        note: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn non_2xx_and_default_responses_are_removed() {
        let mut s = json!({
            "openapi": "3.0.1",
            "paths": { "/things": {
                "get": {
                    "operationId": "ListThings",
                    "responses": {
                        "200": { "description": "OK", "content": { "application/json": {
                            "schema": { "$ref": "#/components/schemas/Things" }
                        } } },
                        "400": { "description": "Bad request", "content": { "application/json": {
                            "schema": { "$ref": "#/components/schemas/ErrorResponse" }
                        } } },
                        "403": { "description": "Forbidden" },
                        "4XX": { "description": "Client error" },
                        "default": { "description": "Error" }
                    }
                },
                "delete": {
                    "operationId": "DeleteThings",
                    "responses": {
                        "204": { "description": "No content" },
                        "404": { "description": "Not found" }
                    }
                }
            } }
        });
        let outcome = apply(&mut s);
        assert_eq!(outcome.rule, "error-responses");
        // Methods are visited in METHODS order (get before delete).
        assert_eq!(outcome.touched, vec!["ListThings", "DeleteThings"]);
        assert_eq!(
            s["paths"]["/things"]["get"]["responses"],
            json!({ "200": { "description": "OK", "content": { "application/json": {
                "schema": { "$ref": "#/components/schemas/Things" }
            } } } })
        );
        assert_eq!(
            s["paths"]["/things"]["delete"]["responses"],
            json!({ "204": { "description": "No content" } })
        );
    }

    #[test]
    fn success_only_operations_are_left_alone() {
        let mut s = json!({
            "openapi": "3.0.1",
            "paths": { "/things": {
                "post": {
                    "operationId": "CreateThing",
                    "responses": {
                        "200": { "description": "OK" },
                        "201": { "description": "Created" },
                        "2XX": { "description": "Success" }
                    }
                },
                "get": { "operationId": "NoResponses" }
            } }
        });
        let before = s.clone();
        let outcome = apply(&mut s);
        assert!(outcome.touched.is_empty());
        assert_eq!(s, before);
    }
}
