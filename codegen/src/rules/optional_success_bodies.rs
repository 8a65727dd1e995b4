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
//! error naming the operation.
//! Cost: `Option<T>` instead of `T` on the touched operations.

use serde_json::{Value, json};

use super::RuleOutcome;
use super::walk::{for_each_operation, is_success};

fn json_schema(response: &Value) -> Option<&Value> {
    response
        .get("content")?
        .as_object()?
        .values()
        .next()?
        .get("schema")
}

pub(super) fn apply(spec: &mut Value) -> Result<RuleOutcome, String> {
    let mut touched = Vec::new();
    let mut error = None;
    for_each_operation(spec, |op| {
        let Some(responses) = op.op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        let successes: Vec<(String, Option<Value>)> = responses
            .iter()
            .filter(|(code, _)| is_success(code))
            .map(|(code, r)| {
                // HTTP forbids a body on 204 whatever the schema declares.
                let schema = if code == "204" {
                    None
                } else {
                    json_schema(r).cloned()
                };
                (code.clone(), schema)
            })
            .collect();
        let bodies: Vec<&Value> = successes.iter().filter_map(|(_, s)| s.as_ref()).collect();
        let Some(first) = bodies.first().copied() else {
            return;
        };
        if bodies.iter().any(|b| *b != first) {
            error = Some(format!(
                "{}: its 2xx responses declare different body schemas",
                op.id
            ));
            return;
        }
        if bodies.len() == successes.len() {
            return;
        }
        let nullable = json!({ "nullable": true, "allOf": [first] });
        for (code, _) in &successes {
            if let Some(r) = responses.get_mut(code).and_then(Value::as_object_mut) {
                r.insert(
                    "content".into(),
                    json!({ "application/json": { "schema": nullable.clone() } }),
                );
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
