//! Passes over the operation builders in progenitor's `mod builder`.
//!
//! * `send-errors`: every `send()` returns `seqera_tower::Error` instead of
//!   progenitor's `Error<()>`; the original body runs unchanged and its result
//!   goes through `<support>::error::from_generated`, which knows the
//!   operation and reads error bodies (message, Error ID, Retry-After).
//! * `lenient-decoder`: `ResponseValue::from_response` becomes
//!   `<support>::decode::json_response`, which reads an empty body as `null`
//!   (for the `optional-success-bodies` rule) and keeps the status and an
//!   excerpt of a body that fails to decode.
//! * `api-version-header`: progenitor adds `api-version: <schema version>` to
//!   every request. The Seqera API versions requests with `Accept-Version`
//!   (added by the client layer); the extra header is not part of the API and
//!   would leak the SDK's schema version, so it is removed.
//! * `comma-separated-arrays`: the query encoding of parameters marked by the
//!   rule of that name is wrapped in `<support>::query::CommaSeparated`.
//! * `operation-ids`: the `OperationInfo` the hooks receive names the schema's
//!   operationId (`DescribeWorkflow`), as errors and traces do, rather than
//!   progenitor's method name.
//! * `workspace-default`: a builder whose operation takes `workspaceId`
//!   starts with the client's default workspace (from
//!   `ClientBuilder::workspace_id` or `TOWER_WORKSPACE_ID`); a call that
//!   sets its own wins, and a required one still fails clearly when neither
//!   is set.
//! * `multipart-bodies`: operations marked by the rule of that name send
//!   `multipart/form-data` with the form's boundary, and their `body` setter
//!   becomes a typed `form(MultipartForm)` setter.

use std::collections::BTreeMap;

use quote::{ToTokens, quote};
use syn::visit_mut::{self, VisitMut};

use super::{OperationFacts, Summary};

pub(super) fn rewrite(
    file: &mut syn::File,
    facts: &BTreeMap<String, OperationFacts>,
    support: &syn::Path,
    summary: &mut Summary,
) -> Result<(), String> {
    let builder = super::module_items_mut(file, "builder")
        .ok_or("send-errors: progenitor's `mod builder` was not found")?;
    // Builder struct name → type of its `workspace_id` field.
    let workspace_fields: BTreeMap<String, String> = builder
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => {
                let syn::Fields::Named(fields) = &s.fields else {
                    return None;
                };
                let f = fields
                    .named
                    .iter()
                    .find(|f| f.ident.as_ref().is_some_and(|i| i == "workspace_id"))?;
                Some((
                    s.ident.to_string(),
                    f.ty.to_token_stream().to_string().replace(' ', ""),
                ))
            }
            _ => None,
        })
        .collect();
    for item in builder.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        if let Some(ty) = self_type_name(imp).and_then(|n| workspace_fields.get(&n))
            && default_workspace(imp, ty)
        {
            summary.workspace_defaults += 1;
        }
        let Some(operation) = send_operation_id(imp) else {
            continue;
        };
        let fact = facts.get(&operation).cloned().unwrap_or_default();
        let operation_id = if fact.operation_id.is_empty() {
            operation.clone()
        } else {
            fact.operation_id.clone()
        };
        summary
            .methods
            .insert(operation.clone(), operation_id.clone());
        rewrite_impl(imp, &operation_id, &fact, support, summary)?;
    }
    if summary.sends_wrapped == 0 {
        return Err(
            "send-errors: no builder `send` method was found in progenitor's output".into(),
        );
    }
    Ok(())
}

fn self_type_name(imp: &syn::ItemImpl) -> Option<String> {
    match &*imp.self_ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Starts `workspace_id` from the client's default in the builder's `new`.
fn default_workspace(imp: &mut syn::ItemImpl, field_type: &str) -> bool {
    let init: syn::Expr = match field_type {
        "Result<Option<i64>,String>" => syn::parse_quote!(Ok(client.workspace_id())),
        "Result<i64,String>" => syn::parse_quote!(client.workspace_id().ok_or_else(|| {
            "workspace_id was not set and the client has no default workspace \
             (set it on the call, with ClientBuilder::workspace_id, or with TOWER_WORKSPACE_ID)"
                .to_string()
        })),
        _ => return false,
    };
    let Some(new) = imp.items.iter_mut().find_map(|i| match i {
        syn::ImplItem::Fn(f) if f.sig.ident == "new" => Some(f),
        _ => None,
    }) else {
        return false;
    };
    struct Init(syn::Expr, bool);
    impl VisitMut for Init {
        fn visit_expr_struct_mut(&mut self, e: &mut syn::ExprStruct) {
            for field in e.fields.iter_mut() {
                if matches!(&field.member, syn::Member::Named(n) if n == "workspace_id") {
                    field.expr = self.0.clone();
                    self.1 = true;
                }
            }
        }
    }
    let mut init = Init(init, false);
    init.visit_block_mut(&mut new.block);
    init.1
}

/// The `operation_id` literal of the `OperationInfo` built in `send`.
fn send_operation_id(imp: &syn::ItemImpl) -> Option<String> {
    let send = find_send(imp)?;
    struct Find(Option<String>);
    impl syn::visit::Visit<'_> for Find {
        fn visit_expr_struct(&mut self, e: &syn::ExprStruct) {
            if e.path.is_ident("OperationInfo") {
                for f in &e.fields {
                    if let (syn::Member::Named(n), syn::Expr::Lit(l)) = (&f.member, &f.expr)
                        && let (true, syn::Lit::Str(s)) = (n == "operation_id", &l.lit)
                    {
                        self.0 = Some(s.value());
                    }
                }
            }
            syn::visit::visit_expr_struct(self, e);
        }
    }
    let mut find = Find(None);
    syn::visit::Visit::visit_impl_item_fn(&mut find, send);
    find.0
}

fn find_send(imp: &syn::ItemImpl) -> Option<&syn::ImplItemFn> {
    imp.items.iter().find_map(|i| match i {
        syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
        _ => None,
    })
}

fn rewrite_impl(
    imp: &mut syn::ItemImpl,
    operation_id: &str,
    fact: &OperationFacts,
    support: &syn::Path,
    summary: &mut Summary,
) -> Result<(), String> {
    if let Some(fields) = &fact.multipart {
        replace_body_setter(imp, fields, support)?;
        summary.multipart_operations += 1;
    }
    for item in imp.items.iter_mut() {
        let syn::ImplItem::Fn(f) = item else { continue };
        if f.sig.ident != "send" {
            continue;
        }
        let mut body = Body {
            support,
            fact,
            operation_id,
            summary,
            multipart_content_type: false,
        };
        body.visit_block_mut(&mut f.block);
        if fact.multipart.is_some() && !body.multipart_content_type {
            return Err(format!(
                "multipart-bodies: {operation_id}: the octet-stream content type was not found"
            ));
        }
        wrap_send(f, operation_id, support)?;
        summary.sends_wrapped += 1;
    }
    Ok(())
}

/// Rewrites the statements of one `send` body.
struct Body<'a> {
    support: &'a syn::Path,
    fact: &'a OperationFacts,
    operation_id: &'a str,
    summary: &'a mut Summary,
    multipart_content_type: bool,
}

impl VisitMut for Body<'_> {
    fn visit_expr_struct_mut(&mut self, e: &mut syn::ExprStruct) {
        if e.path.is_ident("OperationInfo") {
            for field in e.fields.iter_mut() {
                if matches!(&field.member, syn::Member::Named(n) if n == "operation_id") {
                    let id = self.operation_id;
                    field.expr = syn::parse_quote!(#id);
                }
            }
        }
        visit_mut::visit_expr_struct_mut(self, e);
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let before = block.stmts.len();
        block
            .stmts
            .retain(|s| !s.to_token_stream().to_string().contains("\"api-version\""));
        self.summary.api_version_headers_removed += before - block.stmts.len();
        visit_mut::visit_block_mut(self, block);
    }

    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        visit_mut::visit_expr_call_mut(self, call);
        let syn::Expr::Path(func) = &*call.func else {
            return;
        };
        let segments: Vec<String> = func
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let support = self.support;
        match segments
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["ResponseValue", "from_response"] => {
                *call.func = syn::parse_quote!(#support::decode::json_response);
                self.summary.decoders_replaced += 1;
            }
            [.., "QueryParam", "new"] if call.args.len() == 2 => {
                let Some(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(name),
                    ..
                })) = call.args.first()
                else {
                    return;
                };
                if self.fact.comma_separated.contains(&name.value()) {
                    let value = &call.args[1];
                    let wrapped: syn::Expr =
                        syn::parse_quote!(&#support::query::CommaSeparated(#value));
                    call.args[1] = wrapped;
                    self.summary.comma_separated_params += 1;
                }
            }
            [.., "HeaderValue", "from_static"] if self.fact.multipart.is_some() => {
                let is_octet = matches!(
                    call.args.first(),
                    Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. })) if s.value() == "application/octet-stream"
                );
                if is_octet {
                    call.args[0] = syn::parse_quote!(#support::multipart::CONTENT_TYPE);
                    self.multipart_content_type = true;
                }
            }
            _ => {}
        }
    }
}

/// Changes `send`'s error type to the crate's error and routes the generated
/// result through `from_generated`.
fn wrap_send(
    f: &mut syn::ImplItemFn,
    operation_id: &str,
    support: &syn::Path,
) -> Result<(), String> {
    let syn::ReturnType::Type(_, ty) = &f.sig.output else {
        return Err(format!(
            "send-errors: {operation_id}: `send` has no return type"
        ));
    };
    let ok = ok_type(ty)
        .ok_or_else(|| format!("send-errors: {operation_id}: unexpected return type of `send`"))?;
    let block = &f.block;
    let original: syn::Type = (**ty).clone();
    f.sig.output = syn::parse_quote!(-> ::std::result::Result<#ok, #support::error::Error>);
    f.block = syn::parse_quote!({
        let result: #original = async move #block.await;
        #support::error::from_generated(#operation_id, result).await
    });
    let doc = format!(
        " Sends the `{operation_id}` request.\n\n # Errors\n\n Every failure is a [`crate::Error`]: the request's arguments, the transport, an error status \
         (mapped by status, with the server's message and Error ID) or a body that cannot be decoded."
    );
    f.attrs.push(syn::parse_quote!(#[doc = #doc]));
    Ok(())
}

/// `T` in `Result<T, E>`.
fn ok_type(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    }
}

/// Replaces the octet-stream `body<B>()` setter with a typed `form()` setter.
fn replace_body_setter(
    imp: &mut syn::ItemImpl,
    fields: &[crate::rules::MultipartField],
    support: &syn::Path,
) -> Result<(), String> {
    let position = imp
        .items
        .iter()
        .position(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "body"))
        .ok_or("multipart-bodies: the builder has no `body` setter to replace")?;
    let listed = fields
        .iter()
        .map(|f| format!("`{}`{}", f.name, if f.binary { " (file)" } else { "" }))
        .collect::<Vec<_>>()
        .join(", ");
    let doc = format!(
        " The `multipart/form-data` request body. The schema declares the fields {listed}."
    );
    let setter: syn::ImplItem = syn::parse_quote! {
        #[doc = #doc]
        pub fn form(mut self, form: #support::multipart::MultipartForm) -> Self {
            self.body = form.into_body().map_err(|e| e.to_string());
            self
        }
    };
    imp.items[position] = setter;
    let _ = quote!();
    Ok(())
}
