//! Pass `mock-helpers`: adapts progenitor's typed httpmock helpers to the
//! normalised schema.
//!
//! * An array query parameter is matched as the client sends it: items
//!   joined with commas (the `comma-separated-arrays` encoding); progenitor
//!   calls `to_string()` on the `Vec`, which does not compile.
//! * A responder whose body is optional (the `optional-success-bodies`
//!   rule) takes `Option<&T>` and writes `null` for `None`; progenitor
//!   passes the `Option` where a reference is expected.

use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};

struct Rewrite {
    vec_value: bool,
    optional_body: bool,
    count: usize,
}

impl VisitMut for Rewrite {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        let sig = f.sig.to_token_stream().to_string();
        self.vec_value = sig.contains("Vec <");
        self.optional_body = f.sig.inputs.iter().any(|arg| match arg {
            syn::FnArg::Typed(t) => {
                t.pat.to_token_stream().to_string() == "value"
                    && t.ty.to_token_stream().to_string().starts_with("Option < &")
            }
            _ => false,
        });
        visit_mut::visit_impl_item_fn_mut(self, f);
    }

    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        visit_mut::visit_expr_mut(self, e);
        match e {
            syn::Expr::MethodCall(call)
                if self.vec_value
                    && call.method == "to_string"
                    && call.receiver.to_token_stream().to_string() == "value" =>
            {
                *e = syn::parse_quote!(
                    value
                        .iter()
                        .map(|item| item.to_string())
                        .collect::<::std::vec::Vec<_>>()
                        .join(",")
                );
                self.count += 1;
            }
            syn::Expr::MethodCall(call) if self.optional_body && call.method == "json_body_obj" => {
                if let Some(arg) = call.args.first_mut()
                    && arg.to_token_stream().to_string() == "value"
                {
                    *arg = syn::parse_quote!(&value);
                    self.count += 1;
                }
            }
            _ => {}
        }
    }
}

/// Rewrites the mock file; returns how many expressions changed.
pub fn apply(file: &mut syn::File) -> usize {
    let mut rewrite = Rewrite {
        vec_value: false,
        optional_body: false,
        count: 0,
    };
    rewrite.visit_file_mut(file);
    rewrite.count
}
