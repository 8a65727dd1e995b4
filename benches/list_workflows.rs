//! Per-call cost of `list_workflows` (a 50-run page, about 250 KB) over
//! loopback, three ways side by side in one run:
//!
//! * `sdk`: `client.list_workflows().workspace_id(1).max(50).send()`
//!   (token, Accept-Version, retries armed, error mapping, lenient decoding;
//!   throttle disabled, so that the rate limit does not hide the cost);
//! * `raw_typed`: reqwest's `.json::<ListWorkflowsResponse>()` into the same
//!   generated type, no layer (what a hand-written client does; it decodes
//!   with `serde_json::from_slice`);
//! * `raw_typed_str`: the same, decoding as the SDK does (UTF-8 checked
//!   once, then `serde_json::from_str`), so that `sdk / raw_typed_str` is
//!   the cost of the layer alone;
//! * `raw_bytes`: reqwest, the body read but not decoded (the floor).
//!
//! Two groups: `list_workflows/wall` (criterion's wall-clock time per call,
//! and calls/s as throughput) and `list_workflows/cpu` (CPU time of the
//! whole process per call, `CLOCK_PROCESS_CPUTIME_ID`).
//!
//! ```text
//! cargo bench --bench list_workflows                  # in-process server
//! SEQERA_BENCH_URL=http://127.0.0.1:PORT cargo bench --bench list_workflows
//! ```
//!
//! With the in-process server the CPU group also counts the server's work
//! (the same for all three); `benches/peers/side_by_side.sh` runs the server
//! in a process of its own (`SEQERA_BENCH_SERVE=1` turns this binary into
//! that server) so that the CPU group measures the client alone, and runs
//! the Python client generated from the same schema against it.

// The body generator's `json!` literals are deep.
#![recursion_limit = "256"]

#[path = "support/server.rs"]
mod server;
#[path = "support/workflows.rs"]
mod workflows;

use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{Criterion, Throughput};
use seqera_tower::{Client, Throttle, types};

const ITEMS: usize = 50;

/// CPU time consumed by the whole process (all threads).
struct ProcessCpuTime;

fn process_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_PROCESS_CPUTIME_ID is
    // supported on every Linux this runs on, and a failure leaves `ts` zero.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

impl Measurement for ProcessCpuTime {
    type Intermediate = Duration;
    type Value = Duration;
    fn start(&self) -> Duration {
        process_cpu_time()
    }
    fn end(&self, start: Duration) -> Duration {
        process_cpu_time().saturating_sub(start)
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuFormatter
    }
}

/// Shows nanoseconds of CPU as µs or ms of CPU.
struct CpuFormatter;

impl ValueFormatter for CpuFormatter {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (divisor, unit) = if typical >= 1e6 {
            (1e6, "ms cpu")
        } else {
            (1e3, "µs cpu")
        };
        values.iter_mut().for_each(|v| *v /= divisor);
        unit
    }
    fn scale_throughputs(
        &self,
        typical: f64,
        throughput: &Throughput,
        values: &mut [f64],
    ) -> &'static str {
        let per = match throughput {
            Throughput::Elements(n) => *n as f64,
            _ => 1.0,
        };
        // Calls per CPU-second.
        values.iter_mut().for_each(|v| *v = per * 1e9 / *v);
        let _ = typical;
        "calls/cpu-s"
    }
    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns cpu"
    }
}

/// The request the SDK makes, made with reqwest alone.
async fn raw_get(raw: &reqwest::Client, url: &str) -> reqwest::Response {
    raw.get(url)
        .bearer_auth("bench-token")
        .header("accept-version", "1")
        .send()
        .await
        .expect("raw call")
}

/// Its body, read but not decoded.
async fn raw_body(raw: &reqwest::Client, url: &str) -> bytes::Bytes {
    raw_get(raw, url).await.bytes().await.expect("raw body")
}

fn bench<M: Measurement + 'static>(c: &mut Criterion<M>, group: &str, url: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let sdk = Client::builder()
        .endpoint(url)
        .token("bench-token")
        .throttle(Throttle::disabled())
        .build()
        .expect("client");
    seqera_tower::install_crypto_provider();
    let raw = reqwest::Client::new();
    let list_url = format!("{url}/workflow?workspaceId=1&max={ITEMS}");

    // Check once, outside the timings, that every way sees all the items.
    rt.block_on(async {
        let page = sdk
            .list_workflows()
            .workspace_id(1)
            .max(ITEMS as i32)
            .send()
            .await;
        let page = page.expect("sdk call");
        assert_eq!(page.workflows.len(), ITEMS, "sdk");
    });

    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Elements(1));
    g.bench_function("sdk", |b| {
        b.to_async(&rt).iter(|| async {
            let page = sdk
                .list_workflows()
                .workspace_id(1)
                .max(ITEMS as i32)
                .send()
                .await
                .expect("sdk call");
            std::hint::black_box(page);
        })
    });
    g.bench_function("raw_typed", |b| {
        b.to_async(&rt).iter(|| async {
            let page: types::ListWorkflowsResponse =
                raw_get(&raw, &list_url).await.json().await.expect("decode");
            std::hint::black_box(page);
        })
    });
    g.bench_function("raw_typed_str", |b| {
        b.to_async(&rt).iter(|| async {
            let bytes = raw_body(&raw, &list_url).await;
            let text = std::str::from_utf8(&bytes).expect("UTF-8");
            let page: types::ListWorkflowsResponse = serde_json::from_str(text).expect("decode");
            std::hint::black_box(page);
        })
    });
    g.bench_function("raw_bytes", |b| {
        b.to_async(&rt).iter(|| async {
            let bytes = raw_body(&raw, &list_url).await;
            std::hint::black_box(bytes);
        })
    });
    g.finish();
}

fn main() {
    let body = workflows::list_workflows_body(ITEMS);
    if std::env::var_os("SEQERA_BENCH_SERVE").is_some() {
        // Server mode, for side_by_side.sh: serve the page until killed.
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async {
            let server = server::start(body).await;
            println!("{}", server.url);
            std::future::pending::<()>().await;
        });
        return;
    }
    if let Some(path) = std::env::var_os("SEQERA_BENCH_WRITE_BODY") {
        std::fs::write(path, &body).expect("write the body");
        return;
    }

    let server_rt = tokio::runtime::Runtime::new().expect("runtime");
    let url = match std::env::var("SEQERA_BENCH_URL") {
        Ok(url) => url,
        Err(_) => server_rt.block_on(server::start(body.clone())).url,
    };
    eprintln!(
        "list_workflows: {ITEMS} runs, {} KB per page, server {url}",
        body.len() / 1000
    );
    let mut wall = Criterion::default()
        .measurement_time(Duration::from_secs(8))
        .configure_from_args();
    bench(&mut wall, "list_workflows/wall", &url);
    let mut cpu = Criterion::default()
        .with_measurement(ProcessCpuTime)
        .measurement_time(Duration::from_secs(8))
        .configure_from_args();
    bench(&mut cpu, "list_workflows/cpu", &url);
    wall.final_summary();
    cpu.final_summary();
}
