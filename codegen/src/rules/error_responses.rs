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
