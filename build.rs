//! Generates the Seqera Platform client from `openapi.yaml` at build time.
//!
//! `openapi.yaml` is a link to the vendored schema in `../shared/openapi/`.
//! The schema is normalised and handed to progenitor by the
//! `seqera-tower-codegen` crate (shared with `cargo xtask refresh-spec`); the
//! formatted result is written to `$OUT_DIR/seqera_api.rs` and included by
//! `src/generated.rs`. Nothing is written outside `OUT_DIR`.

use std::path::PathBuf;

use seqera_tower_codegen::{Target, generate, load};

fn main() {
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let link = manifest_dir.join("openapi.yaml");

    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=openapi.yaml");
    let schema_path = match std::fs::canonicalize(&link) {
        Ok(path) => path,
        Err(e) => {
            eprintln!(
                "error: seqera-tower cannot read its OpenAPI schema at {} ({e}).\n\
                 `openapi.yaml` is a link to the vendored schema in ../shared/openapi/; \
                 run `cargo xtask refresh-spec` to fetch a schema, or restore the link.",
                link.display()
            );
            std::process::exit(1);
        }
    };
    // The link may be re-pointed at an older file, whose mtime would not
    // trigger a rebuild: watching the resolved target catches that too.
    println!("cargo::rerun-if-changed={}", schema_path.display());

    let spec = match load::read_schema(&schema_path) {
        Ok(spec) => spec,
        Err(e) => fail(&e),
    };
    let version = spec
        .pointer("/info/version")
        .and_then(|v| v.as_str())
        .unwrap_or("unknown")
        .to_owned();
    let target = Target {
        inner_type: "crate::client::Inner".into(),
        types_path: "crate::types".into(),
        support_path: "crate".into(),
    };
    let generated = match generate(spec, &target) {
        Ok(generated) => generated,
        Err(e) => fail(&e),
    };
    let outputs = [
        ("seqera_api.rs", generated.code.clone()),
        ("operations.rs", operations_table(&generated)),
        ("mock.rs", generated.mock.clone()),
        ("conformance.rs", generated.conformance.clone()),
        ("schema_types.rs", schema_types_table(&generated)),
        (
            "normalisation-report.txt",
            format!(
                "schema rules\n{}\npost-processing passes\n{}",
                generated.report, generated.postprocess
            ),
        ),
    ];
    for (name, contents) in outputs {
        let path = out_dir.join(name);
        std::fs::write(&path, contents)
            .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", path.display())));
    }

    println!("cargo::rustc-env=SEQERA_TOWER_API_VERSION={version}");
    println!(
        "cargo::rustc-env=SEQERA_TOWER_SCHEMA_PATH={}",
        schema_path.display()
    );
}

/// `(operationId, method name)` for every generated builder, as Rust source.
fn operations_table(generated: &seqera_tower_codegen::Generated) -> String {
    let mut out = String::from("&[\n");
    for (method, operation_id) in &generated.postprocess.methods {
        out.push_str(&format!(
            "    Operation {{ operation_id: {operation_id:?}, method: {method:?} }},\n"
        ));
    }
    out.push(']');
    out
}

/// `schema_types! { ("SchemaName", TypeName), … }` for tests that need to
/// reach a type by its schema name at run time (the fixture decoder).
fn schema_types_table(generated: &seqera_tower_codegen::Generated) -> String {
    let mut out = String::from("schema_types! {\n");
    for (schema, ty) in &generated.postprocess.schema_types {
        out.push_str(&format!("    ({schema:?}, {ty}),\n"));
    }
    out.push('}');
    out
}

fn fail(message: &str) -> ! {
    eprintln!("error: seqera-tower could not generate its client from openapi.yaml: {message}");
    std::process::exit(1);
}
