//! Pass `unions`: emits the enums for the `discriminated-unions` rule.
//!
//! Each union becomes an enum with one newtype variant per discriminator tag
//! and an `Other(serde_json::Value)` variant for tags the schema does not
//! list. Decoding reads the discriminator property first and decodes the body
//! into exactly the variant it names; encoding writes the variant's fields
//! and sets the discriminator to the variant's tag, so a value round-trips to
//! the same JSON.

use heck::ToUpperCamelCase;
use quote::{format_ident, quote};

use super::{Summary, type_ident};
use crate::rules::Union;

const FALLBACK: &str = "Other";

pub(super) fn emit(
    file: &mut syn::File,
    unions: &[Union],
    summary: &mut Summary,
) -> Result<(), String> {
    let types = super::module_items_mut(file, "types")
        .ok_or("unions: progenitor's `mod types` was not found")?;
    for union in unions {
        let tokens = union_tokens(union)?;
        let file: syn::File =
            syn::parse2(tokens).map_err(|e| format!("unions: {}: {e}", union.name))?;
        types.extend(file.items);
        summary.unions += 1;
    }
    Ok(())
}

fn variant_ident(tag: &str, taken: &mut Vec<String>) -> syn::Ident {
    let mut name = tag.to_upper_camel_case();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name = format!("V{name}");
    }
    if name == FALLBACK {
        name.push_str("Variant");
    }
    while taken.contains(&name) {
        name.push('_');
    }
    taken.push(name.clone());
    format_ident!("{}", name)
}

fn union_tokens(union: &Union) -> Result<proc_macro2::TokenStream, String> {
    let name = format_ident!("{}", type_ident(&union.name));
    let property = &union.property;
    let mut taken = Vec::new();
    let idents: Vec<syn::Ident> = union
        .variants
        .iter()
        .map(|v| variant_ident(&v.tag, &mut taken))
        .collect();
    let tags: Vec<&str> = union.variants.iter().map(|v| v.tag.as_str()).collect();
    let types: Vec<syn::Ident> = union
        .variants
        .iter()
        .map(|v| format_ident!("{}", type_ident(&v.schema)))
        .collect();
    let variant_docs: Vec<String> = union
        .variants
        .iter()
        .map(|v| {
            format!(
                " `{}: \"{}\"`: a [`{}`].",
                union.property,
                v.tag,
                type_ident(&v.schema)
            )
        })
        .collect();
    let doc = format!(
        "{}\n\n A union selected by the `{property}` property. Decoding reads `{property}` and decodes the body \
         into the variant it names; a value the schema does not list decodes into [`{}::Other`] with the body kept \
         whole. Encoding sets `{property}` to the variant's tag.",
        union
            .description
            .as_deref()
            .map(|d| format!(" {d}"))
            .unwrap_or_else(|| format!(" `{}`", union.name)),
        type_ident(&union.name),
    );
    Ok(quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #( #[doc = #variant_docs] #idents(#types), )*
            /// A tag this version of the schema does not list, kept as sent.
            Other(::serde_json::Value),
        }

        impl #name {
            /// The name of the discriminator property.
            pub const DISCRIMINATOR: &'static str = #property;

            /// The discriminator value of this variant (`None` for an
            /// `Other` body that carries no string tag).
            pub fn tag(&self) -> ::std::option::Option<&str> {
                match self {
                    #( Self::#idents(_) => ::std::option::Option::Some(#tags), )*
                    Self::Other(value) => value.get(#property).and_then(::serde_json::Value::as_str),
                }
            }
        }

        #(
            impl ::std::convert::From<#types> for #name {
                fn from(value: #types) -> Self {
                    Self::#idents(value)
                }
            }
        )*

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::Error as _;
                let (tag, value) = match self {
                    #( Self::#idents(v) => (#tags, ::serde_json::to_value(v)), )*
                    Self::Other(value) => return ::serde::Serialize::serialize(value, serializer),
                };
                let mut value = value.map_err(S::Error::custom)?;
                if let ::serde_json::Value::Object(map) = &mut value {
                    map.insert(#property.to_owned(), ::serde_json::Value::String(tag.to_owned()));
                }
                ::serde::Serialize::serialize(&value, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                use ::serde::de::Error as _;
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(::serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #( ::std::option::Option::Some(#tags) => ::serde_json::from_value(value)
                        .map(Self::#idents)
                        .map_err(|e| D::Error::custom(::std::format!("{} `{}`: {e}", #property, #tags))), )*
                    _ => ::std::result::Result::Ok(Self::Other(value)),
                }
            }
        }
    })
}
