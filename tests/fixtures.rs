//! Every response body captured from real Tower servers (`../shared/fixtures`)
//! decodes into the schema type its case names, and encodes back to the same
//! values.
//!
//! The round trip compares the body with the re-encoded typed value. Values
//! must match, with these documented equivalences:
//! * `null`, an absent field, `[]` and `{}` are the same to the SDK (optional
//!   fields are skipped when empty);
//! * a number or boolean sent as a string equals the value it holds
//!   (`"0"` → `0`);
//! * numbers compare by value (`1.0` equals `1`);
//! * timestamps compare by instant and offset (`.1` equals `.100`, `Z`
//!   equals `+00:00`).

mod common;

use serde_json::Value;

type RoundTrip = fn(&[u8]) -> Result<Value, String>;

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(
    body: &[u8],
) -> Result<Value, String> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let typed: T = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| format!("at `{}`: {}", e.path(), e.inner()))?;
    serde_json::to_value(&typed).map_err(|e| format!("re-encoding: {e}"))
}

macro_rules! schema_types {
    ($(($name:literal, $ty:ident)),* $(,)?) => {
        /// Schema name → decoder, for every component that became a type.
        fn decoder(schema: &str) -> Option<RoundTrip> {
            match schema {
                $($name => Some(round_trip::<seqera_tower::types::$ty>),)*
                _ => None,
            }
        }
    };
}
include!(concat!(env!("OUT_DIR"), "/schema_types.rs"));

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    match (
        chrono::DateTime::parse_from_rfc3339(a),
        chrono::DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(a), Ok(b)) => a == b && a.offset() == b.offset(),
        _ => false,
    }
}

/// Differences between what was sent and what came back, as paths.
fn compare(path: &str, sent: &Value, back: &Value, out: &mut Vec<String>) {
    match (sent, back) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let p = format!("{path}.{k}");
                match b.get(k) {
                    Some(w) => compare(&p, v, w, out),
                    None if is_empty(v) => {}
                    None => out.push(format!("{p}: sent {v}, lost")),
                }
            }
            for (k, w) in b {
                if !a.contains_key(k) && !is_empty(w) {
                    out.push(format!("{path}.{k}: not sent, came back as {w}"));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                out.push(format!("{path}: {} items sent, {} back", a.len(), b.len()));
            }
            for (i, (v, w)) in a.iter().zip(b).enumerate() {
                compare(&format!("{path}[{i}]"), v, w, out);
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        (Value::String(s), Value::Number(n)) if s.trim().parse::<f64>().ok() == n.as_f64() => {}
        (Value::String(s), Value::Bool(b)) if s.trim().eq_ignore_ascii_case(&b.to_string()) => {}
        (Value::String(a), Value::String(b)) if same_instant(a, b) => {}
        (a, b) if is_empty(a) && is_empty(b) => {}
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{path}: sent {a}, came back as {b}")),
    }
}

#[test]
fn every_captured_response_decodes_and_round_trips() {
    let dir = common::shared_dir().join("fixtures");
    let table =
        std::fs::read_to_string(dir.join("cases.tsv")).expect("../shared/fixtures/cases.tsv");
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next().expect("a header").split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("column {name}"))
    };
    let (file_col, schema_col, op_col) = (col("case_file"), col("schema_name"), col("operationId"));

    let mut decoded = 0;
    let mut schema_violations = 0;
    let mut skipped = Vec::new();
    let mut failures = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let cells: Vec<&str> = line.split('\t').collect();
        let (file, schema, op) = (cells[file_col], cells[schema_col], cells[op_col]);
        if schema == "NONE" {
            skipped.push(format!("{file} ({op}: the schema declares no body)"));
            continue;
        }
        let Some(decode) = decoder(schema) else {
            failures.push(format!("{file}: no generated type for schema {schema}"));
            continue;
        };
        let body = std::fs::read(dir.join("responses").join(file)).expect("the case's body");
        let sent: Value = serde_json::from_slice(&body).expect("fixtures are JSON");
        if !line.contains("\tyes\t") {
            schema_violations += 1;
        }
        match decode(&body) {
            Ok(back) => {
                decoded += 1;
                let mut diffs = Vec::new();
                compare("$", &sent, &back, &mut diffs);
                if !diffs.is_empty() {
                    failures.push(format!("{file} as {schema}: {}", diffs.join("; ")));
                }
            }
            Err(e) => failures.push(format!("{file} as {schema}: {e}")),
        }
    }
    println!(
        "decoded {decoded} captured bodies ({schema_violations} of them violate the schema); skipped {}",
        skipped.len()
    );
    for s in &skipped {
        println!("  skipped {s}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} bodies failed:\n{}",
        failures.len(),
        decoded + failures.len(),
        failures.join("\n")
    );
    assert!(decoded >= 90, "only {decoded} bodies decoded");
}
