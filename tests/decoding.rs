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

use serde_json::{Value, json};

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

    let built_schema = common::schema();
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
            // The fixtures are labelled against the vendored schema; an
            // older schema may not have the type at all.
            if built_schema["components"]["schemas"].get(schema).is_none() {
                skipped.push(format!(
                    "{file} ({schema} is not in the {} schema)",
                    seqera_tower::API_VERSION
                ));
            } else {
                failures.push(format!("{file}: no generated type for schema {schema}"));
            }
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
    // Every labelled body decodes against the vendored schema (93 of 95,
    // two have no declared body); an older schema lacks a few types.
    assert!(decoded >= 80, "only {decoded} bodies decoded");
}

// ------------------------------------------------------------------ property tests
//
// Beyond the fixtures: schema-valid bodies generated from the schema for
// every type a response can hold, then damaged the way real servers damage
// them (nulls, dropped fields, unknown fields, unknown enum values, numbers
// and booleans as strings, unreadable scalars). Decoding must never fail or
// panic, and re-encoding must give back every value the SDK promises to keep.

mod generate {
    use serde_json::{Map, Value, json};

    /// A tiny deterministic generator over a schema (seeded by proptest).
    pub struct Gen<'a> {
        pub spec: &'a Value,
        pub rng: fastrand::Rng,
    }

    impl Gen<'_> {
        fn resolve<'s>(&'s self, mut schema: &'s Value) -> &'s Value {
            while let Some(r) = schema.get("$ref").and_then(Value::as_str) {
                match r.strip_prefix('#').and_then(|p| self.spec.pointer(p)) {
                    Some(s) => schema = s,
                    None => break,
                }
            }
            schema
        }

        /// A union's discriminator: its own or one in an `allOf` member.
        fn discriminator(schema: &Value) -> Option<(String, Map<String, Value>)> {
            let d = schema.get("discriminator").or_else(|| {
                schema
                    .get("allOf")?
                    .as_array()?
                    .iter()
                    .find_map(|m| m.get("discriminator"))
            })?;
            Some((
                d.get("propertyName")?.as_str()?.to_owned(),
                d.get("mapping")?.as_object()?.clone(),
            ))
        }

        pub fn value(&mut self, schema: &Value, depth: usize) -> Value {
            let schema = self.resolve(schema).clone();
            if let Some(one_of) = schema.get("oneOf").and_then(Value::as_array) {
                let pick = one_of[self.rng.usize(..one_of.len())].clone();
                let mut v = self.value(&pick, depth);
                if let Some((prop, mapping)) = Self::discriminator(&schema) {
                    let target = pick.get("$ref").and_then(Value::as_str).unwrap_or("");
                    let tag = mapping
                        .iter()
                        .find(|(_, r)| r.as_str() == Some(target))
                        .map(|(t, _)| t.clone())
                        .unwrap_or_else(|| target.rsplit('/').next().unwrap_or("").to_owned());
                    if let Value::Object(o) = &mut v {
                        o.insert(prop.clone(), json!(tag));
                    }
                }
                return v;
            }
            if let Some(all_of) = schema.get("allOf").and_then(Value::as_array) {
                let mut merged = Map::new();
                for part in all_of.clone() {
                    match self.value(&part, depth) {
                        Value::Object(o) => merged.extend(o),
                        other if all_of.len() == 1 => return other,
                        _ => {}
                    }
                }
                return Value::Object(merged);
            }
            if let Some(values) = schema.get("enum").and_then(Value::as_array) {
                return values[self.rng.usize(..values.len())].clone();
            }
            match schema.get("type").and_then(Value::as_str) {
                Some("string") => match schema.get("format").and_then(Value::as_str) {
                    Some("date-time") => {
                        let samples = [
                            "2024-01-02T03:04:05Z",
                            "2021-06-18T12:10:32+02:00",
                            "2023-04-12T14:30:44.541301+02:00",
                        ];
                        json!(samples[self.rng.usize(..samples.len())])
                    }
                    Some("date") => json!("2024-01-02"),
                    _ => json!(format!("s{}", self.rng.u32(..1000))),
                },
                Some("integer") => json!(self.rng.i32(0..100_000)),
                Some("number") => json!(f64::from(self.rng.u32(0..10_000)) / 100.0),
                Some("boolean") => json!(self.rng.bool()),
                Some("array") => {
                    let n = if depth > 5 { 0 } else { self.rng.usize(0..3) };
                    let items = schema.get("items").cloned().unwrap_or(json!({}));
                    Value::Array((0..n).map(|_| self.value(&items, depth + 1)).collect())
                }
                _ => {
                    let mut o = Map::new();
                    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                        for (k, p) in props.clone() {
                            if depth < 6 && self.rng.f32() < 0.7 {
                                let v = self.value(&p, depth + 1);
                                o.insert(k, v);
                            }
                        }
                    } else if let Some(extra) =
                        schema.get("additionalProperties").filter(|a| a.is_object())
                    {
                        for i in 0..self.rng.usize(0..3) {
                            let v = if depth < 6 {
                                self.value(&extra.clone(), depth + 1)
                            } else {
                                json!("x")
                            };
                            o.insert(format!("key{i}"), v);
                        }
                    } else if schema.get("type").is_none() {
                        return [json!("any"), json!(1), json!(true)][self.rng.usize(..3)].clone();
                    }
                    Value::Object(o)
                }
            }
        }

        /// Damages `value` where `schema` describes it, returning the body to
        /// send and the body the SDK must give back (which differs where a
        /// documented coercion applies).
        pub fn damage(&mut self, schema: &Value, value: &Value) -> (Value, Value) {
            let schema = self.resolve(schema).clone();
            if let (Some((prop, mapping)), Value::Object(o)) = (
                Self::discriminator(&schema).filter(|_| schema.get("oneOf").is_some()),
                value,
            ) {
                let prop = prop.as_str();
                // A union: damage the variant the tag selects, never the tag
                // itself (a body without its tag is kept whole as `Other`).
                let Some(variant) = o
                    .get(prop)
                    .and_then(Value::as_str)
                    .and_then(|t| mapping.get(t))
                else {
                    return (value.clone(), value.clone());
                };
                let variant = json!({ "$ref": variant });
                let mut rest = o.clone();
                let tag = rest.remove(prop).unwrap_or(Value::Null);
                let (mut sent, mut expect) = self.damage(&variant, &Value::Object(rest));
                for v in [&mut sent, &mut expect] {
                    if let Value::Object(m) = v {
                        m.insert(prop.to_owned(), tag.clone());
                    }
                }
                return (sent, expect);
            }
            match value {
                Value::Object(o) => {
                    let mut sent = Map::new();
                    let mut expect = Map::new();
                    let props = self.properties(&schema);
                    for (k, v) in o {
                        let sub = props
                            .get(k)
                            .or_else(|| {
                                schema.get("additionalProperties").filter(|a| a.is_object())
                            })
                            .cloned()
                            .unwrap_or(json!({}));
                        match self.rng.u8(0..20) {
                            0 => {
                                sent.insert(k.clone(), Value::Null);
                            }
                            1 => {}
                            _ => {
                                let (s, e) = self.damage(&sub, v);
                                sent.insert(k.clone(), s);
                                // An unreadable scalar is absent afterwards.
                                if !e.is_null() {
                                    expect.insert(k.clone(), e);
                                }
                            }
                        }
                    }
                    // Unknown fields go into objects with declared fields
                    // (a map has no "unknown" keys).
                    if !props.is_empty() && self.rng.u8(0..4) == 0 {
                        let extra = json!({ "addedByNewerServer": [1, "two", { "three": null }] });
                        let key = format!("unknownField{}", self.rng.u32(..100));
                        sent.insert(key.clone(), extra.clone());
                        expect.insert(key, extra);
                    }
                    (Value::Object(sent), Value::Object(expect))
                }
                Value::Array(items) => {
                    let item_schema = schema.get("items").cloned().unwrap_or(json!({}));
                    let (s, e): (Vec<_>, Vec<_>) =
                        items.iter().map(|v| self.damage(&item_schema, v)).unzip();
                    // An unreadable scalar item is left out of the array.
                    let e = e.into_iter().filter(|v| !v.is_null()).collect();
                    (Value::Array(s), Value::Array(e))
                }
                Value::String(_) if schema.get("enum").is_some() && self.rng.u8(0..4) == 0 => {
                    let unknown = json!(format!("VALUE_ADDED_LATER_{}", self.rng.u32(..100)));
                    (unknown.clone(), unknown)
                }
                // Coercions apply to declared numbers and booleans only; an
                // undeclared field is kept verbatim.
                Value::Number(n)
                    if matches!(
                        schema.get("type").and_then(Value::as_str),
                        Some("integer" | "number")
                    ) =>
                {
                    match self.rng.u8(0..6) {
                        0 => (json!(n.to_string()), value.clone()),
                        1 => (json!("n/a"), Value::Null),
                        _ => (value.clone(), value.clone()),
                    }
                }
                Value::Bool(b)
                    if schema.get("type").and_then(Value::as_str) == Some("boolean")
                        && self.rng.u8(0..4) == 0 =>
                {
                    (json!(b.to_string()), value.clone())
                }
                _ => (value.clone(), value.clone()),
            }
        }

        /// The properties of an object schema, through `allOf`.
        fn properties(&self, schema: &Value) -> Map<String, Value> {
            let mut out = schema
                .get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            for part in schema
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                out.extend(self.properties(self.resolve(part)));
            }
            for part in schema
                .get("oneOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                out.extend(self.properties(self.resolve(part)));
            }
            out
        }
    }
}

/// Component schemas reachable from a 2xx response, from the schema itself.
fn response_schemas(spec: &Value) -> Vec<String> {
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                for (k, x) in o {
                    match (k.as_str(), x) {
                        ("$ref", Value::String(r)) => {
                            out.extend(r.strip_prefix("#/components/schemas/").map(str::to_owned))
                        }
                        ("mapping", Value::Object(m)) => out.extend(m.values().filter_map(|r| {
                            r.as_str()?
                                .strip_prefix("#/components/schemas/")
                                .map(str::to_owned)
                        })),
                        _ => refs(x, out),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut todo = Vec::new();
    for item in spec["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, i)| i)
    {
        for op in item.as_object().into_iter().flatten().map(|(_, o)| o) {
            for (code, r) in op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if code.starts_with('2') {
                    refs(r, &mut todo);
                }
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    while let Some(n) = todo.pop() {
        if seen.insert(n.clone()) {
            refs(&spec["components"]["schemas"][&n], &mut todo);
        }
    }
    seen.into_iter().collect()
}

mod props {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn spec() -> &'static (Value, Vec<String>) {
        static SPEC: OnceLock<(Value, Vec<String>)> = OnceLock::new();
        SPEC.get_or_init(|| {
            let spec = common::schema();
            let names = response_schemas(&spec)
                .into_iter()
                .filter(|n| decoder(n).is_some())
                .collect();
            (spec, names)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn damaged_bodies_decode_and_keep_what_is_promised(pick in any::<prop::sample::Index>(), seed in any::<u64>()) {
            let (spec, names) = spec();
            prop_assume!(!names.is_empty());
            let name = &names[pick.index(names.len())];
            let schema = json!({ "$ref": format!("#/components/schemas/{name}") });
            let mut generator = generate::Gen { spec, rng: fastrand::Rng::with_seed(seed) };
            let valid = generator.value(&schema, 0);
            let (sent, expected) = generator.damage(&schema, &valid);
            let body = serde_json::to_vec(&sent).unwrap();
            let decode = decoder(name).unwrap();
            let back = decode(&body).map_err(|e| TestCaseError::fail(format!("{name}: {e}\nbody: {sent}")))?;
            let mut diffs = Vec::new();
            compare("$", &expected, &back, &mut diffs);
            prop_assert!(diffs.is_empty(), "{name}: {}\nsent: {sent}", diffs.join("; "));
        }
    }

    #[test]
    fn every_response_type_is_exercised_by_the_generator() {
        let (spec, names) = spec();
        assert!(names.len() > 300, "{} response schemas", names.len());
        let mut failures = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let schema = json!({ "$ref": format!("#/components/schemas/{name}") });
            let mut generator = generate::Gen {
                spec,
                rng: fastrand::Rng::with_seed(i as u64),
            };
            let valid = generator.value(&schema, 0);
            if let Err(e) = decoder(name).unwrap()(&serde_json::to_vec(&valid).unwrap()) {
                failures.push(format!("{name}: {e}"));
            }
        }
        assert!(
            failures.is_empty(),
            "valid bodies that failed:\n{}",
            failures.join("\n")
        );
    }
}
