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
//! The schema itself is not modified. Cost: none; the variant structs are the
//! typify-generated component types.

use serde_json::Value;

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

pub(super) fn collect(spec: &Value) -> Result<(RuleOutcome, Vec<Union>), String> {
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
            .map(|u| format!("{} ({} variants)", u.name, u.variants.len()))
            .collect(),
    };
    Ok((outcome, unions))
}
