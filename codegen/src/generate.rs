//! Running progenitor on the normalised schema and post-processing its output.

use progenitor_impl::{
    GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl,
};
use quote::quote;

use crate::conformance;
use crate::postprocess;
use crate::rules::{self, Report};

/// Where the generated code will live in the crate that includes it.
#[derive(Debug, Clone)]
pub struct Target {
    /// Path of the type stored in the generated `Client` (progenitor's inner type).
    pub inner_type: String,
    /// Absolute path under which the generated `types` module is reachable.
    pub types_path: String,
    /// Absolute path of the hand-written support module the post-processed
    /// code calls into (`decode`, `error`, `multipart`, `query`).
    pub support_path: String,
}

/// The result of a generation run.
pub struct Generated {
    /// Formatted Rust source.
    pub code: String,
    /// What the normalisation rules did.
    pub report: Report,
    /// What the post-processing passes did.
    pub postprocess: postprocess::Summary,
    /// progenitor's typed httpmock helpers (one per operation), formatted;
    /// compiled by the crate only with its `mock` feature.
    pub mock: String,
    /// The conformance table (see [`crate::conformance`]), as macro
    /// invocations for `tests/conformance.rs`.
    pub conformance: String,
}

/// Normalises `spec`, runs progenitor, post-processes and formats the result.
pub fn generate(mut spec: serde_json::Value, target: &Target) -> Result<Generated, String> {
    // The conformance table synthesises arguments from the schema as the API
    // states it, before the rules relax it for decoding.
    let original = spec.clone();
    let report = rules::normalise(&mut spec)?;
    check_patterns(&spec, "#")?;
    let api: openapiv3::OpenAPI = serde_json::from_value(spec.clone())
        .map_err(|e| format!("the normalised schema is not a valid OpenAPI 3.0 document: {e}"))?;

    let inner: proc_macro2::TokenStream = target
        .inner_type
        .parse()
        .map_err(|e| format!("inner type: {e}"))?;
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote!(#inner))
        .with_derive("PartialEq");
    for union in &report.unions {
        // The union is emitted by `postprocess::unions`; typify only needs to
        // refer to it.
        let path = format!(
            "{}::{}",
            target.types_path,
            postprocess::type_ident(&union.name)
        );
        settings.with_replacement(
            postprocess::type_ident(&union.name),
            path,
            std::iter::empty::<TypeImpl>(),
        );
    }
    let mut generator = Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&api)
        .map_err(|e| format!("progenitor rejected the normalised schema: {e}"))?;
    let mock_tokens = generator
        .httpmock(&api, "crate")
        .map_err(|e| format!("progenitor could not generate the httpmock helpers: {e}"))?;
    let mut mock_file: syn::File = syn::parse2(mock_tokens)
        .map_err(|e| format!("progenitor produced invalid httpmock helpers: {e}"))?;
    postprocess::mock::apply(&mut mock_file);
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("progenitor produced invalid Rust: {e}"))?;
    let summary = postprocess::run(&mut file, &spec, &report, target)?;
    let conformance = conformance::render(&conformance::table(&file, &original, &summary));
    Ok(Generated {
        code: prettyplease::unparse(&file),
        report,
        postprocess: summary,
        mock: prettyplease::unparse(&mock_file),
        conformance,
    })
}

/// typify compiles each string `pattern` the (request-side) types keep with
/// `regress::Regex::new(..).unwrap()` on first use. Compiling every pattern
/// here, with the same engine, makes those unwraps provably infallible: a
/// schema whose pattern does not compile fails the build, naming it,
/// instead of panicking in a user's program.
fn check_patterns(value: &serde_json::Value, path: &str) -> Result<(), String> {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                if let (true, serde_json::Value::String(pattern)) = (key == "pattern", child)
                    && let Err(e) = regress::Regex::new(pattern)
                {
                    return Err(format!(
                        "the pattern {pattern:?} at {path}/{key} does not compile: {e}"
                    ));
                }
                check_patterns(child, &format!("{path}/{key}"))?;
            }
            Ok(())
        }
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| check_patterns(v, &format!("{path}/{i}"))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_that_does_not_compile_is_named() {
        let spec = serde_json::json!({ "components": { "schemas": { "Name": { "type": "string", "pattern": "(unclosed" } } } });
        let error = check_patterns(&spec, "#").unwrap_err();
        assert!(
            error.contains("(unclosed") && error.contains("#/components/schemas/Name/pattern"),
            "{error}"
        );
        let ok = serde_json::json!({ "properties": { "pattern": { "type": "string" } }, "pattern": "^[a-z]+$" });
        assert!(check_patterns(&ok, "#").is_ok());
    }
}
