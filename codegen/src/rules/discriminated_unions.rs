//! Rule `discriminated-unions`: `oneOf` + `discriminator` component schemas
//! (compute configs, security keys, platform metainfo, action configs and
//! events).
//!
//! typify renders these as `#[serde(untagged)]` enums; since every variant's
//! fields are optional, the first variant matches every body and a Slurm
//! compute environment silently decodes as AWS Batch, dropping its fields.
//! The rule collects each such union (its discriminator property and the
//! tag → variant schema mapping, explicit or implicit by schema name); the
//! code generator replaces typify's type with an enum that dispatches on the
//! discriminator value, one newtype variant per tag, plus an `Other` variant
//! that keeps a body with a tag this schema does not list (a newer server).
//! A union written inline (a property whose schema has `oneOf` and a
//! discriminator, possibly inside an `allOf` member, as audit-log states
//! are) is first hoisted into a component named as typify would name the
//! inline type (`{Component}{Property}`), so it is handled the same way.
//! Cost: none; the variant structs are the typify-generated component types.

use serde_json::{Value, json};

use super::RuleOutcome;
use super::walk::ref_name;

/// A discriminated union found in `components/schemas`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Union {
    /// The component name (`ComputeConfig`).
    pub name: String,
    /// The union's description, for docs.
    pub description: Option<String>,
    /// The discriminator property (`discriminator`, `platform`…).
    pub property: String,
    /// Variants in schema order.
    pub variants: Vec<UnionVariant>,
}

/// One tag of a discriminated union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnionVariant {
    /// The discriminator value on the wire (`slurm-platform`).
    pub tag: String,
    /// The component schema the tag selects (`SlurmComputeConfig`).
    pub schema: String,
}

/// The discriminator of a schema node: its own, or one declared in an
/// `allOf` member.
fn discriminator_of(node: &serde_json::Map<String, Value>) -> Option<Value> {
    node.get("discriminator").cloned().or_else(|| {
        node.get("allOf")?
            .as_array()?
            .iter()
            .find_map(|m| m.get("discriminator").cloned())
    })
}

/// Moves inline `oneOf` + discriminator schemas into components.
fn hoist_inline_unions(spec: &mut Value) -> Vec<String> {
    use heck::ToUpperCamelCase;
    let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return Vec::new();
    };
    let mut hoisted: Vec<(String, Value)> = Vec::new();
    let taken: std::collections::BTreeSet<String> = schemas.keys().cloned().collect();
    for (name, schema) in schemas.iter_mut() {
        let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
            continue;
        };
        for (prop, node) in props.iter_mut() {
            let Some(obj) = node.as_object() else {
                continue;
            };
            if !obj.contains_key("oneOf") {
                continue;
            }
            let Some(discriminator) = discriminator_of(obj) else {
                continue;
            };
            let mut union_name = format!(
                "{}{}",
                name.to_upper_camel_case(),
                prop.to_upper_camel_case()
            );
            while taken.contains(&union_name) || hoisted.iter().any(|(n, _)| *n == union_name) {
                union_name.push('_');
            }
            let mut union = serde_json::Map::new();
            union.insert("oneOf".into(), obj["oneOf"].clone());
            union.insert("discriminator".into(), discriminator);
            if let Some(d) = obj.get("description") {
                union.insert("description".into(), d.clone());
            }
            let reference = json!({ "$ref": format!("#/components/schemas/{union_name}") });
            *node = match obj.get("description") {
                Some(d) => json!({ "allOf": [reference], "description": d }),
                None => reference,
            };
            hoisted.push((union_name, Value::Object(union)));
        }
    }
    let names = hoisted.iter().map(|(n, _)| n.clone()).collect();
    schemas.extend(hoisted);
    names
}

pub(super) fn collect(spec: &mut Value) -> Result<(RuleOutcome, Vec<Union>), String> {
    let hoisted = hoist_inline_unions(spec);
    let mut unions = Vec::new();
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (name, schema) in &schemas {
        let (Some(one_of), Some(disc)) = (
            schema.get("oneOf").and_then(Value::as_array),
            schema.get("discriminator"),
        ) else {
            continue;
        };
        let property = disc
            .get("propertyName")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                format!("components/schemas/{name}: discriminator without propertyName")
            })?
            .to_owned();
        let mapping = disc.get("mapping").and_then(Value::as_object);
        let mut variants = Vec::new();
        for member in one_of {
            let target = ref_name(member).ok_or_else(|| {
                format!("components/schemas/{name}: a oneOf member of a discriminated union is not a $ref")
            })?;
            // Explicit mappings first (a schema may be selected by several
            // tags); without one, OpenAPI's implicit tag is the schema name.
            let tags: Vec<String> = mapping
                .into_iter()
                .flatten()
                .filter(|(_, r)| r.as_str().and_then(|r| r.rsplit('/').next()) == Some(target))
                .map(|(tag, _)| tag.clone())
                .collect();
            let tags = if tags.is_empty() {
                vec![target.to_owned()]
            } else {
                tags
            };
            for tag in tags {
                variants.push(UnionVariant {
                    tag,
                    schema: target.to_owned(),
                });
            }
        }
        unions.push(Union {
            name: name.clone(),
            description: schema
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned),
            property,
            variants,
        });
    }
    let outcome = RuleOutcome {
        rule: "discriminated-unions",
        summary: "oneOf+discriminator unions decoded by tag (one variant per tag, plus Other)",
        touched: unions
            .iter()
            .map(|u| {
                let inline = if hoisted.contains(&u.name) {
                    ", hoisted from an inline schema"
                } else {
                    ""
                };
                format!("{} ({} variants{inline})", u.name, u.variants.len())
            })
            .collect(),
        note: format!(
            "{} variants, {} hoisted from inline schemas",
            unions.iter().map(|u| u.variants.len()).sum::<usize>(),
            hoisted.len()
        ),
    };
    Ok((outcome, unions))
}
