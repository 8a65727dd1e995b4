//! Rule `optional-success-bodies`: operations whose 2xx responses disagree on
//! having a body.
//!
//! Some operations answer 200 with a body but 202/204 without one (and a 204
//! can never carry a body, whatever the schema says). progenitor asserts a
//! single success type; dropping the body-less response would turn a
//! successful 202/204 into an error. The rule gives every 2xx response of such
//! an operation the body's schema made nullable, so the method returns
//! `Option<T>`: `Some` for a body, `None` for an empty 202/204 (the
//! generated decoder reads an empty body as `null`). Operations whose
//! successes all lack a body are left alone (progenitor returns `()`), and so
//! are operations whose bodies differ in schema, which are reported as an
//! error naming the operation. A body declared on a 204 is dropped (even when
//! no other 2xx response has one). A non-JSON body (CSV, plain text) keeps
//! its media type: progenitor returns it as a raw byte stream, and an empty
//! 202/204 is an empty stream.
//! Cost: `Option<T>` instead of `T` on the touched operations.

use serde_json::{Value, json};

use super::RuleOutcome;
use super::walk::{for_each_operation, is_success};

/// True for the media types progenitor decodes as JSON.
fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.starts_with("application/json;")
}

/// The media type and schema of a response body: the JSON entry when there
/// is one (the one progenitor decodes), else the first.
fn body(response: &Value) -> Option<(String, Value)> {
    let content = response.get("content")?.as_object()?;
    let (media_type, media) = content
        .iter()
        .find(|(m, _)| is_json(m))
        .or_else(|| content.iter().next())?;
    Some((media_type.clone(), media.get("schema")?.clone()))
}

pub(super) fn apply(spec: &mut Value) -> Result<RuleOutcome, String> {
    let mut touched = Vec::new();
    let mut error = None;
    for_each_operation(spec, |op| {
        let Some(responses) = op.op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        let successes: Vec<(String, Option<(String, Value)>)> = responses
            .iter()
            .filter(|(code, _)| is_success(code))
            .map(|(code, r)| {
                // HTTP forbids a body on 204 whatever the schema declares.
                let body = if code == "204" { None } else { body(r) };
                (code.clone(), body)
            })
            .collect();
        let bodies: Vec<&(String, Value)> =
            successes.iter().filter_map(|(_, b)| b.as_ref()).collect();
        let Some((media_type, first)) = bodies.first().copied() else {
            // No success has a body: a body declared on a 204 is dropped so
            // that progenitor returns `()` rather than decoding nothing.
            let dropped = responses
                .get_mut("204")
                .and_then(Value::as_object_mut)
                .and_then(|r| r.remove("content"))
                .is_some();
            if dropped {
                touched.push(format!("{} (204 body dropped)", op.id));
            }
            return;
        };
        if bodies.iter().any(|(_, s)| s != first) {
            error = Some(format!(
                "{}: its 2xx responses declare different body schemas",
                op.id
            ));
            return;
        }
        if bodies.iter().any(|(m, _)| m != media_type) {
            error = Some(format!(
                "{}: its 2xx responses declare bodies of different media types",
                op.id
            ));
            return;
        }
        if bodies.len() == successes.len() {
            return;
        }
        let content = if is_json(media_type) {
            json!({ "application/json": { "schema": { "nullable": true, "allOf": [first] } } })
        } else {
            // A non-JSON body is a raw byte stream in progenitor, which an
            // empty 202/204 fits as it is: every 2xx gets the same raw body.
            json!({ media_type: { "schema": first } })
        };
        for (code, _) in &successes {
            if let Some(r) = responses.get_mut(code).and_then(Value::as_object_mut) {
                r.insert("content".into(), content.clone());
            }
        }
        touched.push(op.id.clone());
    });
    match error {
        Some(e) => Err(e),
        None => Ok(RuleOutcome {
            rule: "optional-success-bodies",
            summary: "2xx responses with and without a body: Option<T>, an empty 202/204 is None",
            touched,
            note: String::new(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(responses: Value) -> Value {
        json!({
            "openapi": "3.0.1",
            "paths": { "/things": { "post": { "operationId": "Op", "responses": responses } } }
        })
    }

    fn responses(spec: &Value) -> &Value {
        &spec["paths"]["/things"]["post"]["responses"]
    }

    fn thing() -> Value {
        json!({ "$ref": "#/components/schemas/Thing" })
    }

    fn with_body(schema: Value) -> Value {
        json!({ "description": "OK", "content": { "application/json": { "schema": schema } } })
    }

    fn nullable_thing() -> Value {
        json!({ "application/json": { "schema": { "nullable": true, "allOf": [thing()] } } })
    }

    #[test]
    fn body_and_empty_204_become_an_optional_body() {
        let mut s = spec(json!({
            "200": with_body(thing()),
            "204": { "description": "No content" }
        }));
        let outcome = apply(&mut s).unwrap();
        assert_eq!(outcome.rule, "optional-success-bodies");
        assert_eq!(outcome.touched, vec!["Op"]);
        assert_eq!(
            *responses(&s),
            json!({
                "200": { "description": "OK", "content": nullable_thing() },
                "204": { "description": "No content", "content": nullable_thing() }
            })
        );
    }

    #[test]
    fn body_and_empty_202_become_an_optional_body() {
        let mut s = spec(json!({
            "200": with_body(thing()),
            "202": { "description": "Accepted" }
        }));
        let outcome = apply(&mut s).unwrap();
        assert_eq!(outcome.touched, vec!["Op"]);
        assert_eq!(
            *responses(&s),
            json!({
                "200": { "description": "OK", "content": nullable_thing() },
                "202": { "description": "Accepted", "content": nullable_thing() }
            })
        );
    }

    #[test]
    fn a_body_declared_on_a_204_beside_a_200_body_counts_as_none() {
        let mut s = spec(json!({
            "200": with_body(thing()),
            "204": with_body(thing())
        }));
        let outcome = apply(&mut s).unwrap();
        assert_eq!(outcome.touched, vec!["Op"]);
        assert_eq!(
            *responses(&s),
            json!({
                "200": { "description": "OK", "content": nullable_thing() },
                "204": { "description": "OK", "content": nullable_thing() }
            })
        );
    }

    #[test]
    fn error_responses_do_not_count_as_body_less_successes() {
        let mut s = spec(json!({
            "200": with_body(thing()),
            "404": { "description": "Not found" },
            "default": { "description": "Error" }
        }));
        let before = s.clone();
        let outcome = apply(&mut s).unwrap();
        assert!(outcome.touched.is_empty());
        assert_eq!(s, before);
    }

    #[test]
    fn json_only_successes_with_the_same_schema_are_left_alone() {
        let mut s = spec(json!({
            "200": with_body(thing()),
            "201": with_body(thing())
        }));
        let before = s.clone();
        let outcome = apply(&mut s).unwrap();
        assert!(outcome.touched.is_empty());
        assert_eq!(s, before);
    }

    #[test]
    fn a_204_only_operation_is_left_alone() {
        let mut s = spec(json!({ "204": { "description": "No content" } }));
        let before = s.clone();
        let outcome = apply(&mut s).unwrap();
        assert!(outcome.touched.is_empty());
        assert_eq!(s, before);
    }

    #[test]
    fn body_less_successes_are_left_alone() {
        let mut s = spec(json!({
            "200": { "description": "OK" },
            "202": { "description": "Accepted" }
        }));
        let before = s.clone();
        let outcome = apply(&mut s).unwrap();
        assert!(outcome.touched.is_empty());
        assert_eq!(s, before);
    }

    #[test]
    fn a_body_declared_on_a_lone_204_is_dropped() {
        // Before the fix the content stayed: progenitor then decoded the
        // (always empty) 204 body as `Thing` instead of returning `()`.
        let mut s = spec(json!({
            "200": { "description": "OK" },
            "204": with_body(thing())
        }));
        let outcome = apply(&mut s).unwrap();
        assert_eq!(outcome.touched, vec!["Op (204 body dropped)"]);
        assert_eq!(
            *responses(&s),
            json!({
                "200": { "description": "OK" },
                "204": { "description": "OK" }
            })
        );
    }

    #[test]
    fn a_non_json_body_keeps_its_media_type() {
        // Before the fix a CSV download beside a 204 was relabelled
        // application/json, so every successful download failed to decode.
        let csv = json!({ "text/csv": { "schema": { "type": "string", "format": "binary" } } });
        let mut s = spec(json!({
            "200": { "description": "OK", "content": csv.clone() },
            "204": { "description": "No content" }
        }));
        let outcome = apply(&mut s).unwrap();
        assert_eq!(outcome.touched, vec!["Op"]);
        assert_eq!(
            *responses(&s),
            json!({
                "200": { "description": "OK", "content": csv.clone() },
                "204": { "description": "No content", "content": csv }
            })
        );
    }

    #[test]
    fn the_json_entry_is_preferred_over_an_earlier_media_type() {
        let mut s = spec(json!({
            "200": { "description": "OK", "content": {
                "text/plain": { "schema": { "type": "string" } },
                "application/json": { "schema": thing() }
            } },
            "202": { "description": "Accepted" }
        }));
        let outcome = apply(&mut s).unwrap();
        assert_eq!(outcome.touched, vec!["Op"]);
        assert_eq!(
            *responses(&s),
            json!({
                "200": { "description": "OK", "content": nullable_thing() },
                "202": { "description": "Accepted", "content": nullable_thing() }
            })
        );
    }

    #[test]
    fn successes_with_different_schemas_are_an_error() {
        let mut s = spec(json!({
            "200": with_body(thing()),
            "201": with_body(json!({ "$ref": "#/components/schemas/Other" })),
            "204": { "description": "No content" }
        }));
        assert_eq!(
            apply(&mut s).unwrap_err(),
            "Op: its 2xx responses declare different body schemas"
        );
    }

    #[test]
    fn successes_with_different_media_types_are_an_error() {
        let mut s = spec(json!({
            "200": with_body(json!({ "type": "string" })),
            "201": { "description": "OK", "content": {
                "text/plain": { "schema": { "type": "string" } }
            } },
            "204": { "description": "No content" }
        }));
        assert_eq!(
            apply(&mut s).unwrap_err(),
            "Op: its 2xx responses declare bodies of different media types"
        );
    }
}
