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
use super::walk::for_each_operation;

pub(super) fn apply(spec: &mut Value) -> RuleOutcome {
    let mut touched = Vec::new();
    for_each_operation(spec, |op| {
        let Some(params) = op.op.get_mut("parameters").and_then(Value::as_array_mut) else {
            return;
        };
        for p in params {
            let name = p
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_owned();
            let mut removed = p
                .as_object_mut()
                .and_then(|o| o.remove("nullable"))
                .is_some();
            if let Some(schema) = p.get_mut("schema").and_then(Value::as_object_mut) {
                removed |= schema.remove("nullable").is_some();
            }
            if removed {
                touched.push(format!("{}.{name}", op.id));
            }
        }
    });
    RuleOutcome {
        rule: "nullable-parameters",
        summary: "`nullable` removed from parameters (optionality comes from `required`)",
        touched,
        note: String::new(),
    }
}
