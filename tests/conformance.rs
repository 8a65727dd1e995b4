//! Conformance against an independent validator: every operation of the
//! schema, called through the SDK with valid arguments, against Prism
//! (`@stoplight/prism-cli`) serving the same `openapi.yaml`.
//!
//! Prism checks each request against the schema (an invalid one gets a 4xx
//! and its violations in the `sl-violations` header) and answers with the
//! schema's own examples, which the SDK must decode. The calls come from
//! the conformance table build.rs derives from the schema and the generated
//! builders (`seqera_tower_codegen::conformance`): nothing here names an
//! operation.
//!
//! `.ci/run` installs and starts Prism and sets `SEQERA_TOWER_PRISM_URL`
//! (and `SEQERA_TOWER_REQUIRE_PRISM=1`, so that a CI run without Prism
//! fails instead of skipping). Locally:
//!
//! ```text
//! npx @stoplight/prism-cli@5.14.2 mock -h 127.0.0.1 -p 4010 openapi.yaml &
//! SEQERA_TOWER_PRISM_URL=http://127.0.0.1:4010 cargo test --test conformance -- --nocapture
//! ```

mod common;

use std::future::Future;
use std::pin::Pin;

use futures::StreamExt;
use seqera_tower::multipart::MultipartForm;
use seqera_tower::{Client, RetryPolicy, Throttle, types};
use serde_json::{Value, json};

/// What Prism answered to one call, as the SDK saw it.
struct Reply {
    status: u16,
    violations: Option<String>,
}

/// Why a call did not conform.
enum Failure {
    /// The synthesised argument did not decode into the setter's type.
    Argument(String),
    /// The SDK returned an error (a 4xx from Prism names the violations).
    Sdk(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Argument(e) => write!(f, "argument does not decode: {e}"),
            Failure::Sdk(e) => write!(f, "{e}"),
        }
    }
}

type Run = fn(Client) -> Pin<Box<dyn Future<Output = Result<Reply, Failure>> + Send>>;

struct Call {
    operation_id: &'static str,
    method: &'static str,
    path: &'static str,
    run: Run,
}

/// Decodes a synthesised JSON argument into the type its setter takes, and
/// checks that the type encodes it back unchanged: what the SDK sends is
/// exactly the valid value.
fn argument<T: serde::de::DeserializeOwned + serde::Serialize>(
    setter: &str,
    json: &str,
) -> Result<T, Failure> {
    let fail = |e: String| Failure::Argument(format!("{setter} = {json}: {e}"));
    let value: T = serde_json::from_str(json).map_err(|e| fail(e.to_string()))?;
    let sent = serde_json::to_value(&value).map_err(|e| fail(e.to_string()))?;
    let synthesised: Value = serde_json::from_str(json).map_err(|e| fail(e.to_string()))?;
    if sent != synthesised {
        return Err(fail(format!("the SDK would send {sent}")));
    }
    Ok(value)
}

/// Prism's `sl-violations` header, if it sent one.
fn violations(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get("sl-violations")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// A multipart form with a small part per field.
fn form(fields: &[(&str, bool)]) -> MultipartForm {
    fields
        .iter()
        .fold(MultipartForm::new(), |form, &(name, binary)| {
            if binary {
                form.file(
                    name,
                    "sample.csv",
                    "text/csv",
                    b"sample,fastq\nS1,a.fq.gz\n".to_vec(),
                )
            } else {
                form.text(name, "x")
            }
        })
}

macro_rules! conformance_calls {
    ($({
        operation_id: $id:literal, method: $method:literal, path: $path:literal, builder: $builder:ident,
        args: [$(($setter:ident, $ty:ty, $value:literal)),* $(,)?],
        $(form: [$(($field:literal, $binary:literal)),* $(,)?],)?
    }),* $(,)?) => {
        fn calls() -> Vec<Call> {
            vec![$(Call {
                operation_id: $id,
                method: $method,
                path: $path,
                run: |client: Client| Box::pin(async move {
                    let request = client.$builder();
                    $(let request = request.$setter(argument::<$ty>(stringify!($setter), $value)?);)*
                    $(let request = request.form(form(&[$(($field, $binary)),*]));)?
                    match request.send().await {
                        Ok(response) => Ok(Reply {
                            status: response.status().as_u16(),
                            violations: violations(response.headers()),
                        }),
                        // A request Prism rejects is a 4xx, which the SDK
                        // maps to an error that keeps the headers.
                        Err(e) => match e.api_error() {
                            Some(api) => Ok(Reply {
                                status: api.status.as_u16(),
                                violations: violations(&api.headers),
                            }),
                            None => Err(Failure::Sdk(e.to_string())),
                        },
                    }
                }),
            }),*]
        }
    };
}

macro_rules! conformance_skipped {
    ($(($id:literal, $method:literal, $path:literal, $reason:literal)),* $(,)?) => {
        /// Operations the table could not call, with the reason.
        fn skipped() -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
            vec![$(($id, $method, $path, $reason)),*]
        }
    };
}

macro_rules! conformance_omitted {
    ($(($id:literal, $parameter:literal, $reason:literal)),* $(,)?) => {
        /// Optional parameters the table leaves out of its calls, and why.
        fn omitted() -> Vec<(&'static str, &'static str, &'static str)> {
            vec![$(($id, $parameter, $reason)),*]
        }
    };
}

include!(concat!(env!("OUT_DIR"), "/conformance.rs"));

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| spec.pointer(r.trim_start_matches('#')))
        .unwrap_or(schema)
}

/// Every schema `location` (property names and item indices) can reach
/// from `schema`, through `$ref`s and composition.
fn schemas_at<'a>(spec: &'a Value, schema: &'a Value, location: &[Value]) -> Vec<&'a Value> {
    let schema = resolve(spec, schema);
    let mut found: Vec<&Value> = ["allOf", "oneOf", "anyOf"]
        .iter()
        .filter_map(|k| schema.get(*k).and_then(Value::as_array))
        .flatten()
        .flat_map(|part| schemas_at(spec, part, location))
        .collect();
    match location.split_first() {
        None => found.push(schema),
        Some((segment, rest)) => {
            let next = match segment {
                Value::Number(_) => schema.get("items"),
                Value::String(s) if s.parse::<usize>().is_ok() => schema.get("items"),
                Value::String(name) => schema
                    .get("properties")
                    .and_then(|p| p.get(name))
                    .or_else(|| schema.get("additionalProperties")),
                _ => None,
            };
            found.extend(next.into_iter().flat_map(|n| schemas_at(spec, n, rest)));
        }
    }
    found
}

/// The schema of the operation's JSON request body (`side` = `request`)
/// or of its first 2xx JSON response (`response`).
fn body_schema<'a>(spec: &'a Value, method: &str, path: &str, side: &str) -> Option<&'a Value> {
    let op = &spec["paths"][path][method.to_lowercase()];
    let json = "/content/application~1json/schema";
    if side == "request" {
        return resolve(spec, &op["requestBody"]).pointer(json);
    }
    op["responses"]
        .as_object()?
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .find_map(|(_, r)| resolve(spec, r).pointer(json))
}

/// Violations Prism reports that the schema itself causes, by side.
#[derive(Default)]
struct SchemaAmbiguities {
    request: usize,
    response: usize,
}

/// Sorts Prism's violations for a call into real ones and those the
/// schema's discriminated unions cause. Prism checks a union (a
/// `discriminator` with a `oneOf`, or with a `mapping` inside an `allOf`)
/// as plain JSON Schema `oneOf`, ignoring the discriminator; this API's
/// variants overlap (all-optional properties, additional properties
/// allowed), so every value matches several variants and Prism reports
/// "must match exactly one schema in oneOf" whatever the tag:
///
/// * in a response, for the schema's own examples, which the SDK must
///   still decode (it did, or the call would have failed);
/// * in a request, for a *required* union (optional ones are left out of
///   the table's bodies); the value sent there is tagged with a mapping key
///   of the discriminator, and `argument` checked it is sent unchanged.
///
/// Any other violation, and any at a location that is not a discriminated
/// union, is real.
fn classify(
    spec: &Value,
    method: &str,
    path: &str,
    violations: &str,
) -> Result<SchemaAmbiguities, String> {
    let parsed: Vec<Value> = serde_json::from_str(violations)
        .map_err(|e| format!("unreadable sl-violations header ({e}): {violations}"))?;
    let mut ambiguities = SchemaAmbiguities::default();
    for violation in &parsed {
        let location = violation["location"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let side = location.first().and_then(Value::as_str).unwrap_or("");
        let in_body = location.get(1) == Some(&json!("body"));
        let at_discriminated_union = in_body
            && violation["code"] == "oneOf"
            && body_schema(spec, method, path, side).is_some_and(|schema| {
                schemas_at(spec, schema, &location[2..])
                    .iter()
                    .any(|s| s.get("discriminator").is_some())
            });
        match (at_discriminated_union, side) {
            (true, "request") => ambiguities.request += 1,
            (true, "response") => ambiguities.response += 1,
            _ => return Err(violation.to_string()),
        }
    }
    Ok(ambiguities)
}

#[test]
fn the_table_covers_every_operation_of_the_schema() {
    let spec = common::schema();
    let mut in_schema: Vec<String> = common::operations(&spec)
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    let mut in_table: Vec<String> = calls()
        .iter()
        .map(|c| c.operation_id.to_owned())
        .chain(skipped().iter().map(|s| s.0.to_owned()))
        .collect();
    in_schema.sort();
    in_table.sort();
    assert_eq!(in_table, in_schema);
    // Every operation is callable with synthesised arguments; a schema that
    // breaks this names the operation and the reason here.
    assert!(skipped().is_empty(), "not callable: {:#?}", skipped());
}

fn prism_url() -> Option<String> {
    match std::env::var("SEQERA_TOWER_PRISM_URL") {
        Ok(url) => Some(url),
        Err(_) if std::env::var_os("SEQERA_TOWER_REQUIRE_PRISM").is_some() => {
            panic!("SEQERA_TOWER_REQUIRE_PRISM is set but SEQERA_TOWER_PRISM_URL is not")
        }
        Err(_) => {
            eprintln!(
                "conformance: skipped (set SEQERA_TOWER_PRISM_URL to a Prism mock of openapi.yaml)"
            );
            None
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_conforms_to_the_schema_as_prism_reads_it() {
    let Some(url) = prism_url() else { return };
    let client = Client::builder()
        .endpoint(&url)
        .token("conformance-token")
        .throttle(Throttle::disabled())
        .retry(RetryPolicy::disabled())
        .build()
        .expect("a client for Prism");
    let calls = calls();
    let total = calls.len();
    let outcomes: Vec<(&Call, Result<Reply, Failure>)> = futures::stream::iter(&calls)
        .map(|call| {
            let client = client.clone();
            async move { (call, (call.run)(client).await) }
        })
        .buffer_unordered(8)
        .collect()
        .await;

    let spec = common::schema();
    let mut failures = Vec::new();
    let mut by_method = std::collections::BTreeMap::<&str, usize>::new();
    let (mut ambiguous_requests, mut ambiguous_responses) = (Vec::new(), Vec::new());
    for (call, outcome) in outcomes {
        let label = format!("{} {} {}", call.operation_id, call.method, call.path);
        let reply = match outcome {
            Ok(reply) => reply,
            Err(e) => {
                failures.push(format!("{label}: {e}"));
                continue;
            }
        };
        match reply
            .violations
            .map_or(Ok(SchemaAmbiguities::default()), |v| {
                classify(&spec, call.method, call.path, &v)
            }) {
            Ok(found) => {
                if found.request > 0 {
                    ambiguous_requests.push(format!("{label} ({})", found.request));
                } else if !(200..300).contains(&reply.status) {
                    failures.push(format!("{label}: status {}", reply.status));
                    continue;
                }
                if found.response > 0 {
                    ambiguous_responses.push(format!("{label} ({})", found.response));
                }
            }
            Err(violation) => {
                failures.push(format!("{label}: violation {violation}"));
                continue;
            }
        }
        *by_method.entry(call.method).or_default() += 1;
    }
    println!(
        "conformance: {} of {total} operations called through the SDK; no request violation and every response decoded ({by_method:?})",
        total - failures.len()
    );
    println!(
        "  {} responses built from the schema's discriminated-union examples, which Prism flags (oneOf matched by several variants): {}",
        ambiguous_responses.len(),
        ambiguous_responses.join(", ")
    );
    println!(
        "  {} requests with a required discriminated union, which Prism rejects whatever the tag (same cause): {}",
        ambiguous_requests.len(),
        ambiguous_requests.join(", ")
    );
    for (id, parameter, reason) in omitted() {
        println!("  {id}: optional parameter {parameter} left out: {reason}");
    }
    assert!(
        failures.is_empty(),
        "{} of {total} calls did not conform:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Prism must actually be validating: an integer query parameter sent as
/// a word is reported as a violation of that parameter (found in the
/// schema, not named here), and `classify` counts it as real.
#[tokio::test]
async fn prism_reports_a_request_that_breaks_the_schema() {
    let Some(url) = prism_url() else { return };
    let spec = common::schema();
    let (path, parameter) = spec["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .filter(|(path, item)| !path.contains('{') && item.get("get").is_some())
        .find_map(|(path, item)| {
            item["get"]["parameters"]
                .as_array()?
                .iter()
                .find(|p| p["in"] == "query" && resolve(&spec, &p["schema"])["type"] == "integer")
                .and_then(|p| p["name"].as_str())
                .map(|name| (path.clone(), name.to_owned()))
        })
        .expect("a GET with an integer query parameter");
    seqera_tower::install_crypto_provider();
    let response = reqwest::Client::new()
        .get(format!("{url}{path}"))
        .query(&[(parameter.as_str(), "not-a-number")])
        .bearer_auth("conformance-token")
        .send()
        .await
        .expect("Prism answers");
    assert!(response.status().is_client_error(), "{}", response.status());
    let violations = violations(response.headers()).expect("an sl-violations header");
    // Prism reports query parameter names lower-cased.
    assert!(
        violations.to_lowercase().contains(&format!(
            r#"["request","query","{}"]"#,
            parameter.to_lowercase()
        )),
        "{violations}"
    );
    assert!(classify(&spec, "GET", &path, &violations).is_err());
}
