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
