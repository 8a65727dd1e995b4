//! Pass `pagination`: a `stream()` on every list operation's builder.
//!
//! The set of paginated operations is derived from the schema by rule, not
//! listed by name, so new list endpoints get streams for free:
//!
//! * **offset paging**: a GET with integer query parameters `max` and
//!   `offset` whose 2xx body is an object with exactly one array property
//!   (the items), optionally an integer `totalSize`/`total`;
//! * **token paging**: a GET with a string query parameter naming a page
//!   token (`nextPageToken`, `page_token`) and a page-size parameter (`max`,
//!   `pageSize`, `page_size`), whose body has one array property and a
//!   `nextPageToken`/`next_page_token` property.
//!
//! The emitted `stream()` fetches pages lazily through the builder's own
//! `send()` (so through the throttle and retries), holds one page at a time
//! and stops on a short or empty page, on `totalSize`, or when the token
//! runs out. The helpers it calls live in `<support>::pagination`.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use quote::{ToTokens, format_ident, quote};
use serde_json::Value;

use super::Summary;
use crate::rules::walk::{METHODS, resolve};

#[derive(Debug, Clone)]
enum Paging {
    Offset {
        total: Option<String>,
    },
    Token {
        token_param: String,
        size_param: String,
        token_field: String,
    },
}

#[derive(Debug, Clone)]
struct PagedOperation {
    items: String,
    paging: Paging,
}

/// Finds the paginated operations of the schema, by operationId.
fn paged_operations(spec: &Value) -> BTreeMap<String, PagedOperation> {
    let mut out = BTreeMap::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for item in paths.values() {
        for method in METHODS {
            if method != "get" {
                continue;
            }
            let Some(op) = item.get(method) else { continue };
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let query: BTreeMap<String, &Value> = op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
                .filter_map(|p| {
                    Some((
                        p.get("name")?.as_str()?.to_owned(),
                        resolve(spec, p.get("schema")?),
                    ))
                })
                .collect();
            let Some(body) = op
                .get("responses")
                .and_then(Value::as_object)
                .and_then(|r| r.iter().find(|(c, _)| c.starts_with('2')).map(|(_, r)| r))
                .and_then(|r| r.pointer("/content/application~1json/schema"))
                .map(|s| resolve(spec, s))
            else {
                continue;
            };
            let Some(props) = body.get("properties").and_then(Value::as_object) else {
                continue;
            };
            let arrays: Vec<&String> = props
                .iter()
                .filter(|(_, p)| {
                    resolve(spec, p).get("type").and_then(Value::as_str) == Some("array")
                })
                .map(|(k, _)| k)
                .collect();
            let [items] = arrays.as_slice() else { continue };
            let is_type = |s: &Value, t: &str| s.get("type").and_then(Value::as_str) == Some(t);
            let int_param = |name: &str| query.get(name).is_some_and(|s| is_type(s, "integer"));
            let paging = if int_param("max") && int_param("offset") {
                let total = ["totalSize", "total"]
                    .into_iter()
                    .find(|t| {
                        props
                            .get(*t)
                            .is_some_and(|p| is_type(resolve(spec, p), "integer"))
                    })
                    .map(str::to_owned);
                Paging::Offset { total }
            } else {
                let token_param = query
                    .iter()
                    .find(|(n, s)| {
                        is_type(s, "string")
                            && n.to_lowercase().contains("token")
                            && n.to_lowercase().contains("page")
                    })
                    .map(|(n, _)| n.clone());
                let size_param = ["max", "pageSize", "page_size"]
                    .into_iter()
                    .find(|n| int_param(n))
                    .map(str::to_owned);
                let token_field = ["nextPageToken", "next_page_token"]
                    .into_iter()
                    .find(|t| {
                        props
                            .get(*t)
                            .is_some_and(|p| is_type(resolve(spec, p), "string"))
                    })
                    .map(str::to_owned);
                match (token_param, size_param, token_field) {
                    (Some(token_param), Some(size_param), Some(token_field)) => Paging::Token {
                        token_param,
                        size_param,
                        token_field,
                    },
                    _ => continue,
                }
            };
            out.insert(
                id.to_owned(),
                PagedOperation {
                    items: (*items).clone(),
                    paging,
                },
            );
        }
    }
    out
}

/// Rust field name typify gives a property.
fn field(name: &str) -> syn::Ident {
    let snake = name.to_snake_case();
    syn::parse_str::<syn::Ident>(&snake).unwrap_or_else(|_| format_ident!("{}_", snake))
}

/// `T` of `Vec<T>` (or `Option<Vec<T>>`) for `field` in struct `ty` of `types`.
fn item_type(types: &[syn::Item], ty: &str, field: &syn::Ident) -> Option<(syn::Type, bool)> {
    let s = types.iter().find_map(|i| match i {
        syn::Item::Struct(s) if s.ident == ty => Some(s),
        _ => None,
    })?;
    let syn::Fields::Named(fields) = &s.fields else {
        return None;
    };
    let f = fields
        .named
        .iter()
        .find(|f| f.ident.as_ref() == Some(field))?;
    let (mut ty, mut optional) = (&f.ty, false);
    loop {
        let syn::Type::Path(p) = ty else { return None };
        let last = p.path.segments.last()?;
        let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
            return None;
        };
        let Some(syn::GenericArgument::Type(inner)) = args.args.first() else {
            return None;
        };
        match last.ident.to_string().as_str() {
            "Option" => {
                optional = true;
                ty = inner;
            }
            "Vec" => return Some((inner.clone(), optional)),
            _ => return None,
        }
    }
}

pub(super) fn emit(
    file: &mut syn::File,
    spec: &Value,
    support: &syn::Path,
    summary: &mut Summary,
) -> Result<(), String> {
    let paged = paged_operations(spec);
    let types: Vec<syn::Item> = super::module_items_mut(file, "types")
        .ok_or("pagination: `mod types` not found")?
        .clone();
    let builder =
        super::module_items_mut(file, "builder").ok_or("pagination: `mod builder` not found")?;
    let mut impls = Vec::new();
    for item in builder.iter() {
        let syn::Item::Impl(imp) = item else { continue };
        let Some((operation_id, response)) = send_facts(imp) else {
            continue;
        };
        let Some(op) = paged.get(&operation_id) else {
            continue;
        };
        let items_field = field(&op.items);
        let Some((item_ty, items_optional)) = item_type(&types, &response, &items_field) else {
            return Err(format!(
                "pagination: {operation_id}: no `Vec` field `{items_field}` in `{response}`"
            ));
        };
        let item_ty = qualify(item_ty);
        let self_ty = &imp.self_ty;
        let response_ident = format_ident!("{}", response);
        let items_expr = if items_optional {
            quote!(page.#items_field.unwrap_or_default())
        } else {
            quote!(page.#items_field)
        };
        let doc = format!(
            " Streams every item of every page of `{operation_id}`, fetching pages lazily (one page in memory) \
             through `send()`, so each page goes through the throttle and retries. The page size is the `{}` set on \
             this builder, or {{DEFAULT_PAGE_SIZE}} items.\n\n ```no_run\n # async fn run(client: &seqera_tower::Client) -> Result<(), seqera_tower::Error> {{\n \
             use futures::TryStreamExt;\n let items: Vec<_> = client.{}().stream().try_collect().await?;\n # let _ = items; Ok(()) }}\n ```",
            match &op.paging {
                Paging::Offset { .. } => "max".to_owned(),
                Paging::Token { size_param, .. } => size_param.clone(),
            },
            summary.methods.iter().find(|(_, id)| **id == operation_id).map(|(m, _)| m.as_str()).unwrap_or("list"),
        )
        .replace("{DEFAULT_PAGE_SIZE}", "100");
        let tokens = match &op.paging {
            Paging::Offset { total } => {
                let total_expr = match total {
                    Some(t) => {
                        let t = field(t);
                        quote!(page.#t.map(|t| t as i64))
                    }
                    None => quote!(None),
                };
                quote! {
                    impl<'a> #self_ty {
                        #[doc = #doc]
                        pub fn stream(self) -> impl ::futures::Stream<Item = ::std::result::Result<#item_ty, #support::Error>> + Unpin + 'a {
                            let page_size = self.max.as_ref().ok().copied().flatten();
                            let start = self.offset.as_ref().ok().copied().flatten();
                            #support::pagination::offset_stream(
                                self,
                                page_size,
                                start,
                                |builder: Self, max: i32, offset: i32| builder.max(max).offset(offset).send(),
                                |page: types::#response_ident| (#items_expr, #total_expr),
                            )
                        }
                    }
                }
            }
            Paging::Token {
                token_param,
                size_param,
                token_field,
            } => {
                let token_setter = field(token_param);
                let size_setter = field(size_param);
                let token_field = field(token_field);
                quote! {
                    impl<'a> #self_ty {
                        #[doc = #doc]
                        pub fn stream(self) -> impl ::futures::Stream<Item = ::std::result::Result<#item_ty, #support::Error>> + Unpin + 'a {
                            let page_size = self.#size_setter.as_ref().ok().copied().flatten();
                            let first = self.#token_setter.as_ref().ok().cloned().flatten();
                            #support::pagination::token_stream(
                                self,
                                page_size,
                                first,
                                |builder: Self, size: i32, token: ::std::option::Option<::std::string::String>| {
                                    let builder = builder.#size_setter(size);
                                    match token {
                                        ::std::option::Option::Some(token) => builder.#token_setter(token),
                                        ::std::option::Option::None => builder,
                                    }
                                    .send()
                                },
                                |page: types::#response_ident| (#items_expr, page.#token_field),
                            )
                        }
                    }
                }
            }
        };
        impls.push(
            syn::parse2::<syn::Item>(tokens)
                .map_err(|e| format!("pagination: {operation_id}: {e}"))?,
        );
        summary.paginated.push(operation_id.clone());
    }
    let found: Vec<&String> = paged
        .keys()
        .filter(|k| !summary.paginated.contains(k))
        .collect();
    if !found.is_empty() {
        return Err(format!("pagination: no builder found for {found:?}"));
    }
    builder.extend(impls);
    Ok(())
}

/// Types named inside `mod types` are unqualified there; from `mod builder`
/// they are `types::X`.
fn qualify(mut ty: syn::Type) -> syn::Type {
    struct Qualify;
    impl syn::visit_mut::VisitMut for Qualify {
        fn visit_type_path_mut(&mut self, p: &mut syn::TypePath) {
            syn::visit_mut::visit_type_path_mut(self, p);
            let primitive = [
                "bool", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64", "str",
            ];
            if p.qself.is_none()
                && p.path.leading_colon.is_none()
                && p.path.segments.len() == 1
                && !primitive.iter().any(|t| p.path.segments[0].ident == t)
            {
                p.path = syn::parse_quote!(types::#p);
            }
        }
    }
    syn::visit_mut::VisitMut::visit_type_mut(&mut Qualify, &mut ty);
    ty
}

/// The operationId and the response type name of a builder's `send`.
fn send_facts(imp: &syn::ItemImpl) -> Option<(String, String)> {
    let send = imp.items.iter().find_map(|i| match i {
        syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
        _ => None,
    })?;
    let text = send.block.to_token_stream().to_string();
    let id = text
        .split("operation_id :")
        .nth(1)?
        .split('"')
        .nth(1)?
        .to_owned();
    let syn::ReturnType::Type(_, ty) = &send.sig.output else {
        return None;
    };
    // Result<ResponseValue<types::X>, _>
    let response = ty.to_token_stream().to_string();
    let inner = response
        .split("ResponseValue <")
        .nth(1)?
        .split('>')
        .next()?
        .trim();
    let name = inner.strip_prefix("types ::")?.trim().to_owned();
    Some((id, name))
}
