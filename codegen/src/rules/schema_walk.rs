//! Visiting every schema object nested in a schema (properties, items,
//! additionalProperties, compositions), bottom-up.

use serde_json::Value;

/// Calls `f` on every schema object under `schema` (children before
/// parents), including `schema` itself.
pub fn for_each_schema_mut(
    schema: &mut Value,
    f: &mut impl FnMut(&mut serde_json::Map<String, Value>),
) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        for p in props.values_mut() {
            for_each_schema_mut(p, f);
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = obj.get_mut(key)
            && child.is_object()
        {
            for_each_schema_mut(child, f);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(list) = obj.get_mut(key).and_then(Value::as_array_mut) {
            for child in list {
                for_each_schema_mut(child, f);
            }
        }
    }
    f(obj);
}

/// Every `$ref`ed component name (and discriminator mapping target) under `value`.
pub fn referenced_components(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => {
                        if let Some(name) = r.strip_prefix("#/components/schemas/") {
                            out.push(name.to_owned());
                        }
                    }
                    ("mapping", Value::Object(m)) => {
                        for target in m.values().filter_map(Value::as_str) {
                            if let Some(name) = target.strip_prefix("#/components/schemas/") {
                                out.push(name.to_owned());
                            }
                        }
                    }
                    _ => referenced_components(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| referenced_components(v, out)),
        _ => {}
    }
}
