//! Valid example values synthesised from a schema, for calls whose every
//! argument a schema validator (Prism) must accept.
//!
//! The values are minimal but valid: objects carry their `required`
//! properties only (never `readOnly` ones, which a request must not send),
//! strings honour `enum`, `format`, `minLength` and `maxLength`, numbers
//! honour their bounds, and a discriminated `oneOf` takes its first mapped
//! variant with the discriminator property set to that mapping's key. A
//! string with a `pattern` and no `example` cannot be synthesised (there is
//! no generator for regular expressions here): the caller is told why.

use serde_json::{Map, Value, json};

use crate::rules::walk::try_resolve as resolve;

/// How deep `$ref`s may nest before a required cycle is declared
/// unsynthesisable.
const MAX_DEPTH: usize = 12;

/// How many objects deep optional properties are filled in by [`full_example`].
const OPTIONAL_DEPTH: usize = 4;

/// Synthesises a minimal valid value for `schema` (required properties
/// only), resolving `$ref`s in `spec`.
pub fn example(spec: &Value, schema: &Value) -> Result<Value, String> {
    Synth { spec, full: false }.value(schema, 0)
}

/// Like [`example`], but objects also carry their optional writable
/// properties (those a value can be synthesised for, down to
/// `OPTIONAL_DEPTH` objects deep), so that a request body exercises the
/// encoding of every field a user can set, unions included.
pub fn full_example(spec: &Value, schema: &Value) -> Result<Value, String> {
    Synth { spec, full: true }.value(schema, 0)
}

struct Synth<'a> {
    spec: &'a Value,
    full: bool,
}

impl Synth<'_> {
    fn value(&self, schema: &Value, depth: usize) -> Result<Value, String> {
        let spec = self.spec;
        if depth > MAX_DEPTH {
            return Err("required properties nest too deep (a cycle?)".into());
        }
        let schema = resolve(spec, schema)?;
        if let Some(first) = schema
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|e| e.iter().find(|v| !v.is_null()))
        {
            return Ok(first.clone());
        }
        if let Some(discriminated) = self.discriminated_variant(schema, depth)? {
            return Ok(discriminated);
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            let mut merged = Map::new();
            for part in parts {
                match self.value(part, depth + 1)? {
                    Value::Object(fields) => merged.extend(fields),
                    // `allOf: [$ref]` wraps a scalar (an enum, say) to add
                    // `nullable` or a description: the value is the scalar's.
                    scalar => return Ok(scalar),
                }
            }
            self.merge_own_properties(schema, depth, &mut merged)?;
            return Ok(Value::Object(merged));
        }
        if let Some(variants) = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Value::as_array)
        {
            let mut last_error = String::from("no variants");
            for variant in variants {
                match self.value(variant, depth + 1) {
                    Ok(value) => return Ok(value),
                    Err(e) => last_error = e,
                }
            }
            return Err(last_error);
        }
        let kind = schema.get("type").and_then(Value::as_str).unwrap_or(
            if schema.get("properties").is_some() {
                "object"
            } else {
                ""
            },
        );
        match kind {
            "object" => {
                let mut fields = Map::new();
                self.merge_own_properties(schema, depth, &mut fields)?;
                // A map (`additionalProperties: {schema}`) gets one entry, so
                // that its values' encoding is exercised too.
                if let (true, Some(values)) = (
                    fields.is_empty() && self.full,
                    schema.get("additionalProperties").filter(|v| v.is_object()),
                ) && let Ok(value) = self.value(values, depth + 2)
                {
                    fields.insert("key".to_owned(), value);
                }
                Ok(Value::Object(fields))
            }
            "array" => {
                let items = schema.get("items").unwrap_or(&Value::Null);
                Ok(Value::Array(vec![self.value(items, depth + 1)?]))
            }
            "string" => string(schema),
            "integer" => Ok(json!(integer(schema))),
            "number" => Ok(json!(number(schema))),
            "boolean" => Ok(json!(true)),
            // No type: any value is valid.
            _ => Ok(json!({})),
        }
    }

    /// A `oneOf` with a `discriminator`: its first mapped variant, tagged.
    fn discriminated_variant(&self, schema: &Value, depth: usize) -> Result<Option<Value>, String> {
        let Some(discriminator) = schema.get("discriminator") else {
            return Ok(None);
        };
        let Some(property) = discriminator.get("propertyName").and_then(Value::as_str) else {
            return Ok(None);
        };
        let Some((tag, target)) = discriminator
            .get("mapping")
            .and_then(Value::as_object)
            .and_then(|m| m.iter().next())
        else {
            return Ok(None);
        };
        let variant = self.value(&json!({ "$ref": target }), depth + 1)?;
        let mut fields = match variant {
            Value::Object(fields) => fields,
            other => {
                return Err(format!(
                    "discriminated variant {target} is not an object: {other}"
                ));
            }
        };
        fields.insert(property.to_owned(), json!(tag));
        Ok(Some(Value::Object(fields)))
    }

    /// Adds the `required`, writable properties of `schema` to `fields`.
    fn merge_own_properties(
        &self,
        schema: &Value,
        depth: usize,
        fields: &mut Map<String, Value>,
    ) -> Result<(), String> {
        let spec = self.spec;
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            let Some(property) = properties.and_then(|p| p.get(name)) else {
                return Err(format!("required property {name} is not declared"));
            };
            if resolve(spec, property)?
                .get("readOnly")
                .and_then(Value::as_bool)
                == Some(true)
                || property.get("readOnly").and_then(Value::as_bool) == Some(true)
            {
                continue;
            }
            let value = self
                .value(property, depth + 1)
                .map_err(|e| format!("property {name}: {e}"))?;
            fields.insert(name.to_owned(), value);
        }
        if self.full && depth <= OPTIONAL_DEPTH * 2 {
            for (name, property) in properties.into_iter().flatten() {
                let writable = resolve(spec, property)?
                    .get("readOnly")
                    .and_then(Value::as_bool)
                    != Some(true)
                    && property.get("readOnly").and_then(Value::as_bool) != Some(true);
                if writable && !fields.contains_key(name) && !self.discriminated(property) {
                    // An optional property no valid value can be made for is
                    // left out: it is optional.
                    // An empty object says no more than an absent optional
                    // one, and the SDK leaves empty collections out when it
                    // encodes (typify's `skip_serializing_if`), so the full
                    // example leaves them out too.
                    match self.value(property, depth + 2) {
                        Ok(Value::Object(o)) if o.is_empty() => {}
                        Ok(value) => {
                            fields.insert(name.clone(), value);
                        }
                        Err(_) => {}
                    }
                }
            }
        }
        Ok(())
    }

    /// True for a discriminated union. Optional ones are left out of full
    /// examples: a JSON Schema validator (Prism) checks `oneOf` without the
    /// discriminator, and when the variants overlap (all-optional
    /// properties, as in this API's unions) every value matches several
    /// variants and is rejected, however it is tagged. Their encoding is
    /// covered by the decoding tests, which re-encode every variant.
    fn discriminated(&self, schema: &Value) -> bool {
        resolve(self.spec, schema).is_ok_and(|s| {
            s.get("discriminator").is_some()
                || ["allOf", "oneOf"]
                    .iter()
                    .filter_map(|k| s.get(*k).and_then(Value::as_array))
                    .flatten()
                    .any(|part| self.discriminated(part))
        })
    }
}

fn string(schema: &Value) -> Result<Value, String> {
    if schema.get("pattern").is_some() {
        return schema
            .get("example")
            .cloned()
            .ok_or_else(|| "a string with a pattern and no example".to_owned());
    }
    let text = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => "2026-12-04T10:00:00Z".to_owned(),
        Some("date") => "2026-12-04".to_owned(),
        Some("email") => "ada@example.com".to_owned(),
        Some("uri" | "url") => "https://example.com/x".to_owned(),
        Some("uuid") => "123e4567-e89b-12d3-a456-426614174000".to_owned(),
        // Binary parts are built by the caller; this is their content.
        _ => {
            let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
            let max = schema
                .get("maxLength")
                .and_then(Value::as_u64)
                .unwrap_or(u64::MAX);
            let len = min.max(3).min(max);
            "x".repeat(usize::try_from(len).unwrap_or(3))
        }
    };
    Ok(json!(text))
}

fn integer(schema: &Value) -> i64 {
    let exclusive = schema.get("exclusiveMinimum").and_then(Value::as_bool) == Some(true);
    let low = schema
        .get("minimum")
        .and_then(Value::as_f64)
        .map(|m| m.ceil() as i64 + i64::from(exclusive));
    let high = schema
        .get("maximum")
        .and_then(Value::as_f64)
        .map(|m| m.floor() as i64);
    let value = low.map_or(1, |l| l.max(1));
    high.map_or(value, |h| value.min(h))
}

fn number(schema: &Value) -> f64 {
    let low = schema.get("minimum").and_then(Value::as_f64);
    let high = schema.get("maximum").and_then(Value::as_f64);
    let value = low.map_or(1.5, |l| l.max(1.5));
    high.map_or(value, |h| value.min(h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_carry_required_writable_properties_only() {
        let spec = json!({ "components": { "schemas": {
            "Run": { "type": "object", "required": ["name", "id", "when"], "properties": {
                "name": { "type": "string", "minLength": 5, "maxLength": 8 },
                "id": { "type": "string", "readOnly": true },
                "when": { "type": "string", "format": "date-time" },
                "note": { "type": "string" } } } } } });
        let value = example(&spec, &json!({ "$ref": "#/components/schemas/Run" })).unwrap();
        assert_eq!(
            value,
            json!({ "name": "xxxxx", "when": "2026-12-04T10:00:00Z" })
        );
    }

    #[test]
    fn discriminated_unions_take_their_first_mapped_variant_tagged() {
        let spec = json!({ "components": { "schemas": {
            "Config": { "type": "object", "discriminator": { "propertyName": "platform",
                "mapping": { "aws-batch": "#/components/schemas/Aws", "slurm": "#/components/schemas/Slurm" } },
                "oneOf": [ { "$ref": "#/components/schemas/Aws" }, { "$ref": "#/components/schemas/Slurm" } ] },
            "Aws": { "type": "object", "required": ["region"], "properties": { "region": { "type": "string", "enum": ["eu-west-1"] } } },
            "Slurm": { "type": "object" } } } });
        let value = example(&spec, &json!({ "$ref": "#/components/schemas/Config" })).unwrap();
        assert_eq!(
            value,
            json!({ "region": "eu-west-1", "platform": "aws-batch" })
        );
    }

    #[test]
    fn bounds_and_patterns() {
        let spec = json!({});
        assert_eq!(
            example(
                &spec,
                &json!({ "type": "integer", "minimum": 10, "maximum": 20 })
            )
            .unwrap(),
            json!(10)
        );
        assert_eq!(
            example(&spec, &json!({ "type": "integer", "maximum": 0 })).unwrap(),
            json!(0)
        );
        assert_eq!(
            example(
                &spec,
                &json!({ "type": "array", "items": { "type": "boolean" } })
            )
            .unwrap(),
            json!([true])
        );
        let error =
            example(&spec, &json!({ "type": "string", "pattern": "^[a-z]+$" })).unwrap_err();
        assert!(error.contains("pattern"), "{error}");
        assert_eq!(
            example(
                &spec,
                &json!({ "type": "string", "pattern": "^[a-z]+$", "example": "abc" })
            )
            .unwrap(),
            json!("abc")
        );
    }

    #[test]
    fn a_required_cycle_is_reported_not_overflowed() {
        let spec = json!({ "components": { "schemas": {
            "Node": { "type": "object", "required": ["next"], "properties": {
                "next": { "$ref": "#/components/schemas/Node" } } } } } });
        let error = example(&spec, &json!({ "$ref": "#/components/schemas/Node" })).unwrap_err();
        assert!(error.contains("too deep"), "{error}");
    }
}
