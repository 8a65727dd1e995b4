//! Throttle benchmark: 64 tasks share one client (the default throttle,
//! 20 calls/s) and call a loopback server as fast as they can for about
//! 30 s (`BENCH_SECONDS` to change). Reports the calls per second achieved
//! and the most calls the server saw in any one-second window.
//!
//! `cargo bench --bench throttle`

#[path = "support/server.rs"]
mod server;

use std::time::{Duration, Instant};

use seqera_tower::{Client, Throttle};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let seconds: u64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let server =
        server::start(r#"{"serviceInfo":{"version":"25.3.0","apiVersion":"1.187.0"}}"#.to_owned())
            .await;
    let client = Client::builder()
        .endpoint(&server.url)
        .token("bench-token")
        .throttle(Throttle::default())
        .build()
        .expect("client");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                let mut calls = 0u64;
                while Instant::now() < deadline {
                    client.info().send().await.expect("call");
                    calls += 1;
                }
                calls
            })
        })
        .collect();
    let mut calls = 0;
    for t in tasks {
        calls += t.await.expect("task");
    }
    let elapsed = started.elapsed().as_secs_f64();
    let arrivals = server.arrivals.lock().expect("arrivals").clone();
    // The rate over the span between the first and the last arrival: the
    // run's own start-up and the tasks' final in-flight calls excluded.
    let span = arrivals
        .iter()
        .max()
        .zip(arrivals.iter().min())
        .map(|(a, b)| a.duration_since(*b).as_secs_f64())
        .unwrap_or(0.0);
    let sustained = if span > 0.0 {
        (arrivals.len() - 1) as f64 / span
    } else {
        0.0
    };
    println!("throttle: 64 tasks, {seconds} s, default Throttle (20 calls/s)");
    println!("  calls completed          {calls} in {elapsed:.1} s");
    println!("  sustained rate           {sustained:.2} calls/s (first to last arrival)");
    println!(
        "  max in any 1 s window    {}",
        server::max_in_any_second(&arrivals)
    );
}
