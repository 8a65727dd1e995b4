//! `refresh-spec`: fetch, validate with the build's own code generator,
//! report, then write (or only compare, with `--check`).

use std::fmt::Display;
use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use seqera_tower_codegen::{Generated, Target, generate, load};
use serde_json::Value;

use crate::diff;
use crate::source::Source;
use crate::write;

/// What `refresh-spec` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// URL or file of the new schema.
    pub from: String,
    /// Compare only: write nothing.
    pub check: bool,
    /// The file to write (the workspace's `openapi.yaml` by default).
    pub out: PathBuf,
    /// The schema the new one is compared with.
    pub against: Baseline,
}

/// The schema the new one is compared with.
#[derive(Debug, Clone)]
pub enum Baseline {
    /// The vendored `openapi.yaml`: when it is missing or unreadable the
    /// report says so and lists everything as added.
    Vendored(PathBuf),
    /// A file given with `--against`: it must be readable.
    File(PathBuf),
}

/// How a run ended (errors are `Err`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The new schema was written to this file.
    Written(PathBuf),
    /// `--check`: the new schema is semantically the same as the current one.
    Same,
    /// `--check`: the new schema differs from the current one.
    Differs,
}

/// The target the crate's build.rs generates for: the same as build.rs, so
/// that a schema accepted here is a schema the build accepts.
pub fn build_target() -> Target {
    Target {
        inner_type: "crate::client::Inner".into(),
        types_path: "crate::types".into(),
        support_path: "crate".into(),
    }
}

/// Runs `refresh-spec`, printing the report to `out`. The file at
/// `options.out` is only ever replaced as a whole, after every check passed.
pub fn run(options: &Options, out: &mut dyn Write) -> Result<Outcome, String> {
    let source = Source::parse(&options.from)?;
    let text = source.fetch()?;
    let new = parse_document(&text, &source)?;
    let generated =
        validate(&new).map_err(|e| format!("{source} is not accepted by the build: {e}"))?;

    let (baseline_path, current, note) = read_baseline(&options.against)?;
    let report = diff::diff(current.as_ref().unwrap_or(&Value::Null), &new);

    let print = |out: &mut dyn Write, s: String| {
        writeln!(out, "{s}").map_err(|e| format!("cannot print the report: {e}"))
    };
    print(out, format!("new:     {source} ({})", describe(&new)))?;
    match &current {
        Some(current) => print(
            out,
            format!(
                "current: {} ({})",
                baseline_path.display(),
                describe(current)
            ),
        )?,
        None => print(out, format!("current: none ({note})"))?,
    }
    print(out, String::new())?;
    print(
        out,
        format!(
            "The build accepts the new schema ({} operations generated). Normalisation rules:\n{}",
            generated.postprocess.methods.len(),
            generated.report
        ),
    )?;
    print(out, report.to_string())?;

    if options.check {
        let same = current.as_ref() == Some(&new);
        print(
            out,
            format!(
                "check: the new schema is {} {}",
                if same {
                    "the same as"
                } else {
                    "different from"
                },
                baseline_path.display()
            ),
        )?;
        return Ok(if same {
            Outcome::Same
        } else {
            Outcome::Differs
        });
    }

    write::replace(&options.out, text.as_bytes())?;
    print(
        out,
        format!("wrote {} ({} bytes)", options.out.display(), text.len()),
    )?;
    Ok(Outcome::Written(options.out.clone()))
}

/// Parses schema text, which must be a YAML or JSON mapping.
pub fn parse_document(text: &str, origin: &dyn Display) -> Result<Value, String> {
    let value = load::parse_schema(text).map_err(|e| format!("{origin} is {e}"))?;
    if value.is_object() {
        Ok(value)
    } else {
        let kind = match value {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a plain string",
            Value::Array(_) => "a list",
            Value::Object(_) => "a mapping",
        };
        Err(format!(
            "{origin} is not a YAML or JSON mapping (it parses as {kind}), so not an OpenAPI schema"
        ))
    }
}

/// Runs the build's normalisation and code generation on `spec`; an
/// unexpected panic in the generator is reported as an error.
pub fn validate(spec: &Value) -> Result<Generated, String> {
    let spec = spec.clone();
    let target = build_target();
    match catch_unwind(AssertUnwindSafe(move || generate(spec, &target))) {
        Ok(result) => result,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".into());
            Err(format!("the code generator panicked: {message}"))
        }
    }
}

/// Reads the current schema. Returns its path, its value (if any) and, when
/// there is none, why.
fn read_baseline(baseline: &Baseline) -> Result<(PathBuf, Option<Value>, String), String> {
    match baseline {
        Baseline::File(path) => {
            let value = read_document(path)
                .map_err(|e| format!("cannot read the schema given with --against: {e}"))?;
            Ok((path.clone(), Some(value), String::new()))
        }
        Baseline::Vendored(path) => match read_document(path) {
            Ok(value) => Ok((path.clone(), Some(value), String::new())),
            Err(e) => Ok((
                path.clone(),
                None,
                format!("{e}; everything is reported as added"),
            )),
        },
    }
}

fn read_document(path: &Path) -> Result<Value, String> {
    let text = Source::File(path.to_path_buf()).fetch()?;
    parse_document(&text, &path.display())
}

/// `Seqera API 1.187.0, 256 operations, 600 schemas`.
fn describe(spec: &Value) -> String {
    let title = spec
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("untitled");
    let version = spec
        .pointer("/info/version")
        .and_then(Value::as_str)
        .unwrap_or("no version");
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map_or(0, serde_json::Map::len);
    let operations = diff::diff(&Value::Null, spec).operation_counts().added;
    format!("{title} {version}, {operations} operations, {schemas} schemas")
}
