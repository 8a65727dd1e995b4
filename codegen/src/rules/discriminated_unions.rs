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

#[cfg(test)]
mod tests {
    use super::*;

    fn schema_ref(name: &str) -> Value {
        json!({ "$ref": format!("#/components/schemas/{name}") })
    }

    fn spec(schemas: Value) -> Value {
        json!({ "openapi": "3.0.1", "paths": {}, "components": { "schemas": schemas } })
    }

    fn variant(tag: &str, schema: &str) -> UnionVariant {
        UnionVariant {
            tag: tag.into(),
            schema: schema.into(),
        }
    }

    fn leaf() -> Value {
        json!({ "type": "object", "properties": { "discriminator": { "type": "string" } } })
    }

    #[test]
    fn explicit_and_implicit_tags_are_collected() {
        let mut s = spec(json!({
            "ComputeConfig": {
                "description": "A compute platform",
                "type": "object",
                "properties": { "discriminator": { "type": "string" } },
                "discriminator": {
                    "propertyName": "discriminator",
                    "mapping": {
                        "aws-batch": "#/components/schemas/AwsBatchConfig",
                        "slurm-platform": "#/components/schemas/SlurmConfig",
                        "slurm": "#/components/schemas/SlurmConfig",
                        // Not a member of the oneOf: ignored.
                        "lsf": "#/components/schemas/LsfConfig"
                    }
                },
                "oneOf": [
                    schema_ref("AwsBatchConfig"),
                    schema_ref("SlurmConfig"),
                    schema_ref("K8sConfig")
                ]
            },
            "AwsBatchConfig": leaf(),
            "SlurmConfig": leaf(),
            "K8sConfig": leaf()
        }));
        let before = s.clone();
        let (outcome, unions) = collect(&mut s).unwrap();
        assert_eq!(s, before);
        assert_eq!(outcome.rule, "discriminated-unions");
        assert_eq!(outcome.touched, vec!["ComputeConfig (4 variants)"]);
        assert_eq!(outcome.note, "4 variants, 0 hoisted from inline schemas");
        assert_eq!(
            unions,
            vec![Union {
                name: "ComputeConfig".into(),
                description: Some("A compute platform".into()),
                property: "discriminator".into(),
                variants: vec![
                    variant("aws-batch", "AwsBatchConfig"),
                    variant("slurm-platform", "SlurmConfig"),
                    variant("slurm", "SlurmConfig"),
                    variant("K8sConfig", "K8sConfig"),
                ],
            }]
        );
    }

    #[test]
    fn look_alikes_are_not_unions() {
        let mut s = spec(json!({
            // oneOf without a discriminator (component and inline).
            "Either": { "oneOf": [ schema_ref("A"), { "type": "string" } ] },
            "Holder": { "type": "object", "properties": {
                "value": { "oneOf": [ schema_ref("A"), schema_ref("B") ] },
                // A discriminator without oneOf (a polymorphic base).
                "base": { "type": "object", "discriminator": { "propertyName": "kind" } }
            } },
            "Base": { "type": "object", "discriminator": { "propertyName": "kind" } },
            "A": leaf(),
            "B": leaf()
        }));
        let before = s.clone();
        let (outcome, unions) = collect(&mut s).unwrap();
        assert_eq!(s, before);
        assert!(unions.is_empty());
        assert!(outcome.touched.is_empty());
        assert_eq!(outcome.note, "0 variants, 0 hoisted from inline schemas");
    }

    #[test]
    fn inline_unions_are_hoisted_into_components() {
        let disc = json!({
            "propertyName": "auditImageType",
            "mapping": {
                "compute_env": "#/components/schemas/ComputeEnvImage",
                "action": "#/components/schemas/ActionImage"
            }
        });
        let one_of = json!([schema_ref("ComputeEnvImage"), schema_ref("ActionImage")]);
        let mut s = spec(json!({
            "AuditLogTargetState": { "type": "object", "properties": {
                // Discriminator inside an allOf member, as audit-log states are.
                "newState": {
                    "allOf": [ schema_ref("AuditImage"), { "discriminator": disc.clone() } ],
                    "oneOf": one_of.clone()
                },
                // Discriminator on the node itself, with a description.
                "previous_state": {
                    "description": "Before the change",
                    "discriminator": disc.clone(),
                    "oneOf": one_of.clone()
                },
                "id": { "type": "string" }
            } },
            "AuditImage": leaf(),
            "ComputeEnvImage": leaf(),
            "ActionImage": leaf()
        }));
        let (outcome, unions) = collect(&mut s).unwrap();

        let schemas = s["components"]["schemas"].as_object().unwrap();
        let names: Vec<&str> = schemas.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            vec![
                "AuditLogTargetState",
                "AuditImage",
                "ComputeEnvImage",
                "ActionImage",
                "AuditLogTargetStateNewState",
                "AuditLogTargetStatePreviousState"
            ]
        );
        assert_eq!(
            schemas["AuditLogTargetState"],
            json!({ "type": "object", "properties": {
                "newState": schema_ref("AuditLogTargetStateNewState"),
                "previous_state": {
                    "allOf": [ schema_ref("AuditLogTargetStatePreviousState") ],
                    "description": "Before the change"
                },
                "id": { "type": "string" }
            } })
        );
        assert_eq!(
            schemas["AuditLogTargetStateNewState"],
            json!({ "oneOf": one_of.clone(), "discriminator": disc.clone() })
        );
        assert_eq!(
            schemas["AuditLogTargetStatePreviousState"],
            json!({ "oneOf": one_of, "discriminator": disc, "description": "Before the change" })
        );

        assert_eq!(
            outcome.touched,
            vec![
                "AuditLogTargetStateNewState (2 variants, hoisted from an inline schema)",
                "AuditLogTargetStatePreviousState (2 variants, hoisted from an inline schema)"
            ]
        );
        assert_eq!(outcome.note, "4 variants, 2 hoisted from inline schemas");
        let variants = vec![
            variant("compute_env", "ComputeEnvImage"),
            variant("action", "ActionImage"),
        ];
        assert_eq!(
            unions,
            vec![
                Union {
                    name: "AuditLogTargetStateNewState".into(),
                    description: None,
                    property: "auditImageType".into(),
                    variants: variants.clone(),
                },
                Union {
                    name: "AuditLogTargetStatePreviousState".into(),
                    description: Some("Before the change".into()),
                    property: "auditImageType".into(),
                    variants,
                },
            ]
        );
    }

    #[test]
    fn hoisted_names_avoid_existing_and_hoisted_components() {
        let union = json!({
            "discriminator": { "propertyName": "kind" },
            "oneOf": [ schema_ref("A") ]
        });
        let mut s = spec(json!({
            // "Job" + "StateInfo" and "JobState" + "Info" both name "JobStateInfo",
            // which is also an existing component.
            "Job": { "type": "object", "properties": { "stateInfo": union.clone() } },
            "JobState": { "type": "object", "properties": { "info": union } },
            "JobStateInfo": leaf(),
            "A": leaf()
        }));
        let (outcome, unions) = collect(&mut s).unwrap();
        let schemas = &s["components"]["schemas"];
        assert_eq!(
            schemas["Job"]["properties"]["stateInfo"],
            schema_ref("JobStateInfo_")
        );
        assert_eq!(
            schemas["JobState"]["properties"]["info"],
            schema_ref("JobStateInfo__")
        );
        assert_eq!(schemas["JobStateInfo"], leaf());
        let names: Vec<&str> = unions.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, vec!["JobStateInfo_", "JobStateInfo__"]);
        assert_eq!(outcome.note, "2 variants, 2 hoisted from inline schemas");
    }

    #[test]
    fn a_discriminator_without_property_name_is_an_error() {
        let mut s = spec(json!({
            "Shape": {
                "discriminator": { "mapping": { "circle": "#/components/schemas/Circle" } },
                "oneOf": [ schema_ref("Circle") ]
            },
            "Circle": leaf()
        }));
        assert_eq!(
            collect(&mut s).unwrap_err(),
            "components/schemas/Shape: discriminator without propertyName"
        );
    }

    #[test]
    fn a_non_ref_one_of_member_is_an_error() {
        let mut s = spec(json!({
            "Shape": {
                "discriminator": { "propertyName": "kind" },
                "oneOf": [ schema_ref("Circle"), { "type": "object", "properties": {
                    "kind": { "type": "string" }
                } } ]
            },
            "Circle": leaf()
        }));
        assert_eq!(
            collect(&mut s).unwrap_err(),
            "components/schemas/Shape: a oneOf member of a discriminated union is not a $ref"
        );
    }

    #[test]
    fn a_hoisted_union_with_a_non_ref_member_is_an_error_naming_it() {
        let mut s = spec(json!({
            "Holder": { "type": "object", "properties": { "shape": {
                "discriminator": { "propertyName": "kind" },
                "oneOf": [ { "type": "string" } ]
            } } }
        }));
        assert_eq!(
            collect(&mut s).unwrap_err(),
            "components/schemas/HolderShape: a oneOf member of a discriminated union is not a $ref"
        );
    }
}
