//! Passes that make the generated types decode what real servers send.
//!
//! * `scalars-from-strings`: optional numeric, boolean and date-time fields
//!   decode through `<support>::lenient::scalar`, which accepts the value or
//!   a string holding it (`"exit": "0"`), and reads anything it cannot parse
//!   as `None` instead of failing the whole response.
//! * `null-collections`: defaulted arrays and maps decode `null` as empty
//!   (`<support>::lenient::null_as_default`), and a `null` item or map value
//!   is left out, like a `null` field (`vec_skip_null`, `map_skip_null`);
//!   arrays and maps of scalars also read each item leniently
//!   (`scalar_vec`, `scalar_map`).
//! * `struct-defaults`: a struct whose every field has a natural default
//!   (`Option`, a defaulted collection, the flattened `extra` map of the
//!   `unknown-fields-kept` rule) derives `Default`, which typify stops doing
//!   once a struct has a flattened field; callers build request bodies with
//!   `..Default::default()`.
//! * `faithful-scalars`: date-times are `DateTime<FixedOffset>` (typify's
//!   `DateTime<Utc>` would rewrite `+02:00` as `Z`, losing the offset the
//!   server sent) and `format: float` numbers are `f64` (an `f32` rounds
//!   `66.7` to `66.69999694824219` on the way back out).
//! * `open-enums`: every string enum gains an `Other(String)` variant (or
//!   `OtherValue` where `Other` is taken) that keeps a value the schema does
//!   not list and writes it back unchanged; decoding never fails on a new
//!   enum value.

use quote::{ToTokens, format_ident, quote};

use super::Summary;

const SCALARS: [&str; 12] = [
    "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64", "bool", "DateTime",
];
const COLLECTIONS: [&str; 5] = ["Vec", "HashMap", "BTreeMap", "Map", "IndexMap"];

pub(super) fn apply(
    file: &mut syn::File,
    support: &syn::Path,
    summary: &mut Summary,
) -> Result<(), String> {
    let mut faithful = FaithfulScalars(0);
    syn::visit_mut::VisitMut::visit_file_mut(&mut faithful, file);
    summary.faithful_scalars = faithful.0;
    let types = super::module_items_mut(file, "types")
        .ok_or("lenient: progenitor's `mod types` was not found")?;
    let items = types;
    for item in items.iter_mut() {
        if let syn::Item::Struct(s) = item {
            lenient_fields(s, support, summary);
            derive_default(s, summary);
        }
    }
    open_enums(items, summary)
}

/// Rewrites `DateTime<Utc>` to `DateTime<FixedOffset>` and `f32` to `f64`.
struct FaithfulScalars(usize);

impl syn::visit_mut::VisitMut for FaithfulScalars {
    fn visit_type_path_mut(&mut self, ty: &mut syn::TypePath) {
        syn::visit_mut::visit_type_path_mut(self, ty);
        let single = ty.path.segments.len() == 1;
        let Some(last) = ty.path.segments.last_mut() else {
            return;
        };
        if last.ident == "f32" && single {
            last.ident = syn::Ident::new("f64", last.ident.span());
            self.0 += 1;
        } else if last.ident == "DateTime"
            && let syn::PathArguments::AngleBracketed(args) = &mut last.arguments
            && let Some(syn::GenericArgument::Type(syn::Type::Path(tz))) = args.args.first_mut()
            && tz.path.segments.last().is_some_and(|s| s.ident == "Utc")
        {
            *tz = syn::parse_quote!(::chrono::FixedOffset);
            self.0 += 1;
        }
    }
}

fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last(),
        _ => None,
    }
}

fn first_generic(segment: &syn::PathSegment) -> Option<&syn::Type> {
    match &segment.arguments {
        syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|g| match g {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}

/// The keys of a field's `#[serde(...)]` attributes (`rename`, `default`,
/// `flatten`…), parsed rather than searched for as text (a renamed field
/// such as `defaultDataRetentionPolicy` must not read as `default`).
fn serde_keys(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut keys = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(ident) = meta.path.get_ident() {
                keys.push(ident.to_string());
            }
            if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    keys
}

fn lenient_fields(s: &mut syn::ItemStruct, support: &syn::Path, summary: &mut Summary) {
    let syn::Fields::Named(fields) = &mut s.fields else {
        return;
    };
    for field in fields.named.iter_mut() {
        let serde = serde_keys(&field.attrs);
        let has = |k: &str| serde.iter().any(|s| s == k);
        if has("flatten") || has("deserialize_with") || has("with") {
            continue;
        }
        let Some(outer) = last_segment(&field.ty) else {
            continue;
        };
        let helper = if outer.ident == "Option" {
            let Some(inner) = first_generic(outer).and_then(last_segment) else {
                continue;
            };
            if SCALARS.iter().any(|s| inner.ident == s) {
                summary.lenient_scalars += 1;
                "scalar"
            } else {
                // `Option<Vec<Value>>` needs nothing: `null` is `None`.
                let optional = match collection_helper(inner) {
                    Some("scalar_vec") => "opt_scalar_vec",
                    Some("scalar_map") => "opt_scalar_map",
                    Some("vec_skip_null") => "opt_vec_skip_null",
                    Some("map_skip_null") => "opt_map_skip_null",
                    _ => continue,
                };
                summary.null_collections += 1;
                optional
            }
        } else if has("default") {
            let Some(helper) = collection_helper(outer) else {
                continue;
            };
            summary.null_collections += 1;
            helper
        } else {
            continue;
        };
        let path = format!(
            "{}::lenient::{helper}",
            support.to_token_stream().to_string().replace(' ', "")
        );
        field
            .attrs
            .push(syn::parse_quote!(#[serde(deserialize_with = #path)]));
        if !has("default") {
            field.attrs.push(syn::parse_quote!(#[serde(default)]));
        }
    }
}

fn derive_default(s: &mut syn::ItemStruct, summary: &mut Summary) {
    let syn::Fields::Named(fields) = &s.fields else {
        return;
    };
    let has_default = s.attrs.iter().any(|a| {
        a.path().is_ident("derive") && a.to_token_stream().to_string().contains("Default")
    });
    if has_default || fields.named.is_empty() {
        return;
    }
    let all_defaultable = fields.named.iter().all(|f| {
        let serde = serde_keys(&f.attrs);
        let has = |k: &str| serde.iter().any(|s| s == k);
        let is_option = last_segment(&f.ty).is_some_and(|s| s.ident == "Option");
        let is_map = last_segment(&f.ty).is_some_and(|s| COLLECTIONS.iter().any(|c| s.ident == c));
        is_option || has("default") || (has("flatten") && is_map)
    });
    if !all_defaultable {
        return;
    }
    for attr in s.attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        if let Ok(mut paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) {
            paths.push(syn::parse_quote!(Default));
            *attr = syn::parse_quote!(#[derive(#paths)]);
            summary.struct_defaults += 1;
            return;
        }
    }
}

/// The lenient decoder for a collection type, by its item type (`None` when
/// the type is not a collection).
fn collection_helper(collection: &syn::PathSegment) -> Option<&'static str> {
    if !COLLECTIONS.iter().any(|c| collection.ident == c) {
        return None;
    }
    let item = match &collection.arguments {
        syn::PathArguments::AngleBracketed(a) => a.args.iter().rev().find_map(|g| match g {
            syn::GenericArgument::Type(t) => last_segment(t),
            _ => None,
        }),
        _ => None,
    };
    let is_vec = collection.ident == "Vec";
    Some(match item {
        Some(seg) if SCALARS.iter().any(|s| seg.ident == s) => {
            if is_vec {
                "scalar_vec"
            } else {
                "scalar_map"
            }
        }
        // A JSON value holds `null` itself.
        Some(seg) if seg.ident == "Value" => "null_as_default",
        Some(_) if is_vec => "vec_skip_null",
        Some(_) => "map_skip_null",
        None => "null_as_default",
    })
}

/// A string enum: every variant a unit variant, its wire value in
/// `#[serde(rename)]` or its name.
fn string_enum_values(e: &syn::ItemEnum) -> Option<Vec<(syn::Ident, String)>> {
    let derives_deserialize = e.attrs.iter().any(|a| {
        a.path().is_ident("derive") && a.to_token_stream().to_string().contains("Deserialize")
    });
    if !derives_deserialize || e.variants.is_empty() {
        return None;
    }
    e.variants
        .iter()
        .map(|v| {
            if !matches!(v.fields, syn::Fields::Unit) {
                return None;
            }
            let mut value = v.ident.to_string();
            for attr in v.attrs.iter().filter(|a| a.path().is_ident("serde")) {
                let _ = attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("rename") {
                        let lit: syn::LitStr = meta.value()?.parse()?;
                        value = lit.value();
                    }
                    Ok(())
                });
            }
            Some((v.ident.clone(), value))
        })
        .collect()
}

struct OpenEnum {
    name: syn::Ident,
    other: syn::Ident,
    known: Vec<(syn::Ident, String)>,
}

fn open_enums(items: &mut Vec<syn::Item>, summary: &mut Summary) -> Result<(), String> {
    let mut enums: Vec<OpenEnum> = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Enum(e) = item else { continue };
        let Some(known) = string_enum_values(e) else {
            continue;
        };
        let other = if known.iter().any(|(v, _)| v == "Other") {
            format_ident!("OtherValue")
        } else {
            format_ident!("Other")
        };
        // The serde derives are replaced by impls that know the fallback;
        // `Copy` cannot hold a `String`.
        for attr in e.attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
            let kept: Vec<syn::Path> = attr
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
                )
                .map_err(|err| format!("open-enums: {}: {err}", e.ident))?
                .into_iter()
                .filter(|p| {
                    let last = p
                        .segments
                        .last()
                        .map(|s| s.ident.to_string())
                        .unwrap_or_default();
                    !matches!(last.as_str(), "Serialize" | "Deserialize" | "Copy")
                })
                .collect();
            *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
        }
        e.attrs.retain(|a| !a.path().is_ident("serde"));
        for v in e.variants.iter_mut() {
            v.attrs.retain(|a| !a.path().is_ident("serde"));
        }
        let doc = " A value this version of the schema does not list, kept as sent.";
        e.variants
            .push(syn::parse_quote!(#[doc = #doc] #other(::std::string::String)));
        enums.push(OpenEnum {
            name: e.ident.clone(),
            other,
            known,
        });
    }
    summary.open_enums = enums.len();
    // Patch the impls typify wrote for these enums.
    for item in items.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        let Some(seg) = last_segment(&imp.self_ty) else {
            continue;
        };
        let Some(open) = enums.iter().find(|e| seg.ident == e.name) else {
            continue;
        };
        let trait_name = imp
            .trait_
            .as_ref()
            .and_then(|(p, _)| p.segments.last())
            .map(|s| s.ident.to_string());
        match trait_name.as_deref() {
            Some("Display") => patch_display(imp, &open.other)?,
            Some("FromStr") => patch_from_str(imp, &open.other)?,
            _ => {}
        }
    }
    // `as_str` and the serde impls, from the variant list.
    for open in &enums {
        let OpenEnum { name, other, known } = open;
        let idents: Vec<&syn::Ident> = known.iter().map(|(i, _)| i).collect();
        let wire: Vec<&str> = known.iter().map(|(_, w)| w.as_str()).collect();
        let tokens = quote! {
            impl #name {
                /// The value as sent on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #( Self::#idents => #wire, )*
                        Self::#other(value) => value.as_str(),
                    }
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    struct Visitor;
                    impl ::serde::de::Visitor<'_> for Visitor {
                        type Value = #name;
                        fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            f.write_str("a string")
                        }
                        fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::std::result::Result<#name, E> {
                            ::std::result::Result::Ok(match value {
                                #( #wire => #name::#idents, )*
                                other => #name::#other(other.to_owned()),
                            })
                        }
                    }
                    deserializer.deserialize_str(Visitor)
                }
            }
        };
        let parsed: syn::File =
            syn::parse2(tokens).map_err(|err| format!("open-enums: {name}: {err}"))?;
        items.extend(parsed.items);
    }
    Ok(())
}

fn patch_display(imp: &mut syn::ItemImpl, other: &syn::Ident) -> Result<(), String> {
    let arm: syn::Arm = syn::parse_quote!(Self::#other(ref value) => f.write_str(value),);
    with_match(imp, "Display", |m| m.arms.push(arm.clone()))
}

fn patch_from_str(imp: &mut syn::ItemImpl, other: &syn::Ident) -> Result<(), String> {
    with_match(imp, "FromStr", |m| {
        if let Some(last) = m.arms.last_mut()
            && matches!(last.pat, syn::Pat::Wild(_))
        {
            *last = syn::parse_quote!(other => Ok(Self::#other(other.to_owned())),);
        }
    })
}

/// Applies `f` to the first `match` in the impl's only method.
fn with_match(
    imp: &mut syn::ItemImpl,
    what: &str,
    f: impl Fn(&mut syn::ExprMatch),
) -> Result<(), String> {
    struct Find<'a, F: Fn(&mut syn::ExprMatch)>(&'a F, bool);
    impl<F: Fn(&mut syn::ExprMatch)> syn::visit_mut::VisitMut for Find<'_, F> {
        fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
            if !self.1 {
                (self.0)(m);
                self.1 = true;
            }
        }
    }
    let mut find = Find(&f, false);
    syn::visit_mut::VisitMut::visit_item_impl_mut(&mut find, imp);
    if find.1 {
        Ok(())
    } else {
        Err(format!("open-enums: no match in the {what} impl"))
    }
}
