//! Decode throughput of the largest real bodies in `../shared/fixtures`:
//! into their typed schema values (with the lenient rules, unions and the
//! kept-unknown-fields maps) against into `serde_json::Value`, side by side
//! in interleaved rounds. Reports MB/s medians and the ratio.
//!
//! `cargo bench --bench decode`

use std::path::PathBuf;
use std::time::Instant;

type Decode = fn(&[u8]);

/// Both sides decode as the SDK does (`src/decode.rs`): UTF-8 checked once,
/// then parsed as a `str`.
fn text(body: &[u8]) -> &str {
    std::str::from_utf8(body).expect("the fixture is UTF-8")
}

fn typed<T: serde::de::DeserializeOwned>(body: &[u8]) {
    let value: T = serde_json::from_str(text(body)).expect("the fixture decodes");
    std::hint::black_box(value);
}

macro_rules! schema_types {
    ($(($name:literal, $ty:ident)),* $(,)?) => {
        fn decoder(schema: &str) -> Option<Decode> {
            match schema {
                $($name => Some(typed::<seqera_tower::types::$ty>),)*
                _ => None,
            }
        }
    };
}
include!(concat!(env!("OUT_DIR"), "/schema_types.rs"));

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let shared =
        std::fs::canonicalize(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("openapi.yaml"))
            .ok()
            .and_then(|p| Some(p.parent()?.parent()?.to_path_buf()))
            .expect("openapi.yaml resolves into shared/openapi");
    let fixtures = shared.join("fixtures");
    let table = std::fs::read_to_string(fixtures.join("cases.tsv")).expect("cases.tsv");
    let mut cases: Vec<(String, String, Vec<u8>)> = table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            let (file, schema) = (cells.first()?, cells.get(7)?);
            let body = std::fs::read(fixtures.join("responses").join(file)).ok()?;
            decoder(schema).map(|_| (file.to_string(), schema.to_string(), body))
        })
        .collect();
    cases.sort_by_key(|(_, _, body)| std::cmp::Reverse(body.len()));
    cases.truncate(5);
    println!("decode: the 5 largest captured bodies, 9 interleaved rounds of ~50 ms each");
    for (file, schema, body) in &cases {
        let decode = decoder(schema).expect("checked above");
        let iterations = (20_000_000 / body.len()).clamp(20, 20_000);
        let (mut typed_mbs, mut value_mbs) = (Vec::new(), Vec::new());
        for _ in 0..9 {
            let t = Instant::now();
            for _ in 0..iterations {
                decode(body);
            }
            typed_mbs.push((body.len() * iterations) as f64 / t.elapsed().as_secs_f64() / 1e6);
            let t = Instant::now();
            for _ in 0..iterations {
                let v: serde_json::Value = serde_json::from_str(text(body)).expect("JSON");
                std::hint::black_box(v);
            }
            value_mbs.push((body.len() * iterations) as f64 / t.elapsed().as_secs_f64() / 1e6);
        }
        let (t, v) = (median(typed_mbs), median(value_mbs));
        println!(
            "  {file:<36} {:>7} B  typed {t:7.1} MB/s  Value {v:7.1} MB/s  typed/Value {:.2}",
            body.len(),
            t / v
        );
    }
}
