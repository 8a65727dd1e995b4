//! The conformance table: for every operation of the schema, a call through
//! its generated builder with valid arguments synthesised from the schema.
//!
//! A test (`tests/conformance.rs`) turns the table into real calls against
//! an independent validator (Prism) serving the same schema. The table is
//! derived from two sources so that neither can drift:
//!
//! * the *original* schema (before the normalisation rules, which relax
//!   `required` on response-reachable schemas) gives each argument a value
//!   the API accepts, via [`examples`];
//! * the *generated* builders give each setter's Rust type (`V:
//!   TryInto<T>`), so the test decodes the value into exactly the type the
//!   setter takes and nothing is spelled by hand.
//!
//! An operation that cannot be called (a required argument with no
//! synthesisable value, a setter the builder lacks) is listed with the
//! reason instead of being dropped.

pub mod examples;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use heck::ToUpperCamelCase;
use quote::ToTokens;
use serde_json::Value;

use crate::postprocess::{Summary, method_name};
use crate::rules::walk::{METHODS, try_resolve as resolve};

/// One entry of the table.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// A call the test makes.
    Call {
        operation_id: String,
        method: String,
        path: String,
        builder: String,
        /// `(setter, Rust type of its value, JSON value)`.
        args: Vec<(String, String, String)>,
        /// Multipart form fields `(name, is_file)`, for multipart bodies.
        form: Option<Vec<(String, bool)>>,
        /// Optional parameters left out, and why.
        omitted: Vec<(String, String)>,
    },
    /// An operation the table cannot call, and why.
    Skipped {
        operation_id: String,
        method: String,
        path: String,
        reason: String,
    },
}

/// Builds the table for every operation of `original_spec`, reading the
/// setters of the post-processed `file`.
pub fn table(file: &syn::File, original_spec: &Value, summary: &Summary) -> Vec<Entry> {
    let setters = builder_setters(file);
    let mut entries = Vec::new();
    let Some(paths) = original_spec.get("paths").and_then(Value::as_object) else {
        return entries;
    };
    for (path, item) in paths {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let builder = method_name(id);
            let skipped = |reason: String| Entry::Skipped {
                operation_id: id.to_owned(),
                method: method.to_uppercase(),
                path: path.clone(),
                reason,
            };
            let Some(available) = summary
                .methods
                .contains_key(&builder)
                .then(|| setters.get(&builder.to_upper_camel_case()))
                .flatten()
            else {
                entries.push(skipped(format!("no builder `{builder}` was generated")));
                continue;
            };
            match call_arguments(original_spec, item, op, available) {
                Ok((args, form, omitted)) => entries.push(Entry::Call {
                    operation_id: id.to_owned(),
                    method: method.to_uppercase(),
                    path: path.clone(),
                    builder,
                    args,
                    form,
                    omitted,
                }),
                Err(reason) => entries.push(skipped(reason)),
            }
        }
    }
    entries
}

/// Setter arguments, multipart fields, and the optional parameters left out
/// (with the reason).
type Arguments = (
    Vec<(String, String, String)>,
    Option<Vec<(String, bool)>>,
    Vec<(String, String)>,
);

fn call_arguments(
    spec: &Value,
    path_item: &Value,
    op: &Value,
    setters: &BTreeMap<String, String>,
) -> Result<Arguments, String> {
    let mut args = Vec::new();
    let mut omitted = Vec::new();
    let parameters = path_item
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .chain(op.get("parameters").and_then(Value::as_array))
        .flatten();
    for parameter in parameters {
        let parameter = resolve(spec, parameter)?;
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .ok_or("a parameter without a name")?;
        let required = parameter.get("required").and_then(Value::as_bool) == Some(true);
        let setter = method_name(name);
        let schema = parameter.get("schema").unwrap_or(&Value::Null);
        let synthesised = if parameter.get("in").and_then(Value::as_str) == Some("query")
            && object_in_query(spec, schema)
        {
            // `style: form` has no encoding for an object (or an array of
            // objects): no value of such a parameter can be valid on the
            // wire. The SDK sends these as strings (rule
            // `free-form-query-arrays`); a validator of the stated schema
            // must reject any of them, so the call leaves it out.
            Err("an object in a form-style query string has no valid encoding".to_owned())
        } else {
            examples::example(spec, schema)
        };
        let value = match synthesised {
            Ok(value) => value,
            Err(e) if required => return Err(format!("parameter {name}: {e}")),
            // An optional parameter that cannot be synthesised is left out,
            // and listed.
            Err(e) => {
                omitted.push((name.to_owned(), e));
                continue;
            }
        };
        // progenitor appends `_` to names that are Rust keywords.
        let Some((setter, ty)) = [setter.clone(), format!("{setter}_")]
            .into_iter()
            .find_map(|s| setters.get(&s).map(|ty| (s, ty)))
        else {
            return Err(format!(
                "the builder has no setter `{setter}` for parameter {name}"
            ));
        };
        args.push((setter, ty.clone(), value.to_string()));
    }
    let mut form = None;
    if let Some(body) = op.get("requestBody") {
        let body = resolve(spec, body)?;
        let content = body.get("content").and_then(Value::as_object);
        if let Some(media) = content.and_then(|c| c.get("application/json")) {
            let schema = media.get("schema").unwrap_or(&Value::Null);
            let value =
                examples::full_example(spec, schema).map_err(|e| format!("request body: {e}"))?;
            let ty = setters
                .get("body")
                .ok_or("the builder has no `body` setter for its JSON body")?;
            args.push(("body".to_owned(), ty.clone(), value.to_string()));
        } else if let Some(media) = content.and_then(|c| c.get("multipart/form-data")) {
            let schema = resolve(spec, media.get("schema").unwrap_or(&Value::Null))?;
            let fields = schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(name, property)| {
                    let binary = resolve(spec, property)
                        .ok()
                        .and_then(|p| p.get("format"))
                        .and_then(Value::as_str)
                        == Some("binary");
                    (name.clone(), binary)
                })
                .collect();
            form = Some(fields);
        } else if let Some(kind) = content.and_then(|c| c.keys().next()) {
            return Err(format!("a request body of type {kind}"));
        }
    }
    Ok((args, form, omitted))
}

/// True when a query parameter's schema is an object or an array of objects.
fn object_in_query(spec: &Value, schema: &Value) -> bool {
    let is_object = |s: &Value| {
        resolve(spec, s)
            .ok()
            .and_then(|s| s.get("type"))
            .and_then(Value::as_str)
            == Some("object")
    };
    is_object(schema)
        || resolve(spec, schema)
            .ok()
            .and_then(|s| s.get("items"))
            .is_some_and(is_object)
}

/// Builder name → setter name → the `T` of its `V: TryInto<T>` bound.
fn builder_setters(file: &syn::File) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut builders: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let items = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    });
    for item in items.into_iter().flatten() {
        let syn::Item::Impl(imp) = item else { continue };
        let syn::Type::Path(self_ty) = &*imp.self_ty else {
            continue;
        };
        let Some(name) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        let setters = builders.entry(name).or_default();
        for method in &imp.items {
            let syn::ImplItem::Fn(f) = method else {
                continue;
            };
            if let Some(target) = try_into_target(&f.sig) {
                setters.insert(f.sig.ident.to_string(), target);
            }
        }
    }
    builders
}

/// The `T` of a `where V: std::convert::TryInto<T>` bound, if the setter has one.
fn try_into_target(sig: &syn::Signature) -> Option<String> {
    let predicates = sig.generics.where_clause.as_ref()?.predicates.iter();
    for predicate in predicates {
        let syn::WherePredicate::Type(bound) = predicate else {
            continue;
        };
        for b in &bound.bounds {
            let syn::TypeParamBound::Trait(t) = b else {
                continue;
            };
            let Some(last) = t.path.segments.last() else {
                continue;
            };
            if last.ident != "TryInto" {
                continue;
            }
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                continue;
            };
            if let Some(syn::GenericArgument::Type(ty)) = args.args.first() {
                return Some(ty.to_token_stream().to_string());
            }
        }
    }
    None
}

/// The table as `conformance_calls! { … }`, `conformance_skipped! { … }`
/// and `conformance_omitted! { … }` invocations, for a test to define the
/// macros and `include!` the file.
pub fn render(entries: &[Entry]) -> String {
    let mut calls = String::from("conformance_calls! {\n");
    let mut skipped = String::from("conformance_skipped! {\n");
    let mut omitted_out = String::from("conformance_omitted! {\n");
    for entry in entries {
        match entry {
            Entry::Call {
                operation_id,
                method,
                path,
                builder,
                args,
                form,
                omitted,
            } => {
                for (name, reason) in omitted {
                    let _ = writeln!(omitted_out, "    ({operation_id:?}, {name:?}, {reason:?}),");
                }
                let _ = writeln!(
                    calls,
                    "    {{ operation_id: {operation_id:?}, method: {method:?}, path: {path:?}, builder: {builder},"
                );
                let _ = write!(calls, "      args: [");
                for (setter, ty, value) in args {
                    let _ = write!(calls, "({setter}, {ty}, {value:?}), ");
                }
                let _ = writeln!(calls, "],");
                if let Some(fields) = form {
                    let _ = write!(calls, "      form: [");
                    for (name, binary) in fields {
                        let _ = write!(calls, "({name:?}, {binary}), ");
                    }
                    let _ = writeln!(calls, "],");
                }
                let _ = writeln!(calls, "    }},");
            }
            Entry::Skipped {
                operation_id,
                method,
                path,
                reason,
            } => {
                let _ = writeln!(
                    skipped,
                    "    ({operation_id:?}, {method:?}, {path:?}, {reason:?}),"
                );
            }
        }
    }
    calls.push_str("}\n");
    skipped.push_str("}\n");
    omitted_out.push_str("}\n");
    calls + &skipped + &omitted_out
}
