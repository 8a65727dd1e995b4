//! Post-processing of progenitor's output with `syn`.
//!
//! Some fixes cannot be expressed in the schema: they are about how the
//! generated code talks to the hand-written layer. Each pass is about a
//! construct, finds its targets from the normalisation [`Report`], and fails
//! the build when it does not find every target it expects (so a progenitor
//! upgrade that changes its output shape is caught at build time, not by a
//! user).

mod builders;
mod client;
mod lenient;
pub mod mock;
mod pagination;
mod unions;

use serde_json::Value;
use std::collections::BTreeMap;

use crate::generate::Target;
use crate::rules::walk::METHODS;
use crate::rules::{COMMA_SEPARATED_EXTENSION, MULTIPART_EXTENSION, MultipartField, Report};

/// Counts of what each pass changed.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Builder `send` methods rewritten to return `seqera_tower::Error`.
    pub sends_wrapped: usize,
    /// JSON decoders routed through the lenient decoder.
    pub decoders_replaced: usize,
    /// `api-version` headers removed.
    pub api_version_headers_removed: usize,
    /// Query parameters switched to comma-separated encoding.
    pub comma_separated_params: usize,
    /// Operations given a multipart `form` setter.
    pub multipart_operations: usize,
    /// Union enums emitted.
    pub unions: usize,
    /// Optional scalar fields that accept strings (`scalars-from-strings`).
    pub lenient_scalars: usize,
    /// Defaulted collections that accept `null` (`null-collections`).
    pub null_collections: usize,
    /// String enums given an `Other` variant (`open-enums`).
    pub open_enums: usize,
    /// Date-time and float types made wire-faithful (`faithful-scalars`).
    pub faithful_scalars: usize,
    /// Structs given `#[derive(Default)]` (`struct-defaults`).
    pub struct_defaults: usize,
    /// Method name (snake case) → operationId, for every operation generated.
    pub methods: BTreeMap<String, String>,
    /// Builders whose `workspace_id` starts from the client's default.
    pub workspace_defaults: usize,
    /// Operations given a `stream()` (`pagination`).
    pub paginated: Vec<String>,
    /// Component schema name → the Rust type generated for it in `types`,
    /// for every component that became a named type.
    pub schema_types: BTreeMap<String, String>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rows = [
            (
                "send-errors",
                self.sends_wrapped,
                "send() methods returning seqera_tower::Error",
            ),
            (
                "lenient-decoder",
                self.decoders_replaced,
                "JSON decoders (empty body = null, decode errors with status and path)",
            ),
            (
                "api-version-header",
                self.api_version_headers_removed,
                "api-version headers removed (Accept-Version is sent instead)",
            ),
            (
                "comma-separated-arrays",
                self.comma_separated_params,
                "query parameters joined with commas",
            ),
            (
                "multipart-bodies",
                self.multipart_operations,
                "builders with a typed form() setter",
            ),
            (
                "workspace-default",
                self.workspace_defaults,
                "builders starting from the client's default workspace",
            ),
            ("unions", self.unions, "discriminated-union enums emitted"),
            (
                "scalars-from-strings",
                self.lenient_scalars,
                "optional number/boolean/date-time fields read leniently",
            ),
            (
                "null-collections",
                self.null_collections,
                "array and map fields reading null (and null items) leniently",
            ),
            (
                "faithful-scalars",
                self.faithful_scalars,
                "DateTime<Utc> -> DateTime<FixedOffset> and f32 -> f64 rewrites",
            ),
            (
                "struct-defaults",
                self.struct_defaults,
                "structs given Default",
            ),
            (
                "open-enums",
                self.open_enums,
                "string enums with an Other(String) variant",
            ),
            (
                "pagination",
                self.paginated.len(),
                "list operations with a stream()",
            ),
        ];
        for (name, count, what) in rows {
            writeln!(f, "{name:<26} {count:>4}  {what}")?;
        }
        Ok(())
    }
}

/// What the passes need to know about one operation, keyed by method name.
#[derive(Debug, Clone, Default)]
pub(crate) struct OperationFacts {
    pub operation_id: String,
    pub comma_separated: Vec<String>,
    pub multipart: Option<Vec<MultipartField>>,
}

/// The items of progenitor's top-level module `name` (`types`, `builder`).
pub(crate) fn module_items_mut<'a>(
    file: &'a mut syn::File,
    name: &str,
) -> Option<&'a mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The Rust identifier typify gives a component schema name.
pub fn type_ident(name: &str) -> String {
    use heck::ToUpperCamelCase;
    name.to_upper_camel_case()
}

/// The method name progenitor gives an operationId.
pub fn method_name(operation_id: &str) -> String {
    use heck::ToSnakeCase;
    operation_id.to_snake_case()
}

fn operation_facts(spec: &Value) -> BTreeMap<String, OperationFacts> {
    let mut facts = BTreeMap::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return facts;
    };
    for item in paths.values() {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let comma_separated = op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|p| p.get(COMMA_SEPARATED_EXTENSION).and_then(Value::as_bool) == Some(true))
                .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_owned))
                .collect();
            let multipart = op
                .get(MULTIPART_EXTENSION)
                .map(MultipartField::from_extension);
            facts.insert(
                method_name(id),
                OperationFacts {
                    operation_id: id.to_owned(),
                    comma_separated,
                    multipart,
                },
            );
        }
    }
    facts
}

/// Component schemas and the type each became.
fn schema_types(file: &syn::File, spec: &Value) -> BTreeMap<String, String> {
    let mut names = std::collections::BTreeSet::new();
    for item in &file.items {
        let syn::Item::Mod(m) = item else { continue };
        if m.ident != "types" {
            continue;
        }
        for item in m.content.iter().flat_map(|(_, items)| items) {
            match item {
                syn::Item::Struct(s) => names.insert(s.ident.to_string()),
                syn::Item::Enum(e) => names.insert(e.ident.to_string()),
                syn::Item::Type(t) => names.insert(t.ident.to_string()),
                _ => false,
            };
        }
    }
    spec.pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, _)| {
            let ident = type_ident(name);
            names.contains(&ident).then(|| (name.clone(), ident))
        })
        .collect()
}

/// Runs every pass over the generated file.
pub fn run(
    file: &mut syn::File,
    spec: &Value,
    report: &Report,
    target: &Target,
) -> Result<Summary, String> {
    let facts = operation_facts(spec);
    let support: syn::Path = syn::parse_str(&target.support_path)
        .map_err(|e| format!("support path `{}`: {e}", target.support_path))?;
    let mut summary = Summary::default();
    client::remove_constructors(file)?;
    builders::rewrite(file, &facts, &support, &mut summary)?;
    unions::emit(file, &report.unions, &mut summary)?;
    lenient::apply(file, &support, &mut summary)?;
    pagination::emit(file, spec, &support, &mut summary)?;
    summary.schema_types = schema_types(file, spec);

    let expected_comma: usize = facts.values().map(|f| f.comma_separated.len()).sum();
    if summary.comma_separated_params != expected_comma {
        return Err(format!(
            "comma-separated-arrays: rewrote {} query parameters, the schema marks {expected_comma}",
            summary.comma_separated_params
        ));
    }
    let expected_multipart = facts.values().filter(|f| f.multipart.is_some()).count();
    if summary.multipart_operations != expected_multipart {
        return Err(format!(
            "multipart-bodies: gave {} operations a form setter, the schema marks {expected_multipart}",
            summary.multipart_operations
        ));
    }
    Ok(summary)
}
