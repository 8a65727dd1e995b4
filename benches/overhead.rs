//! Per-call overhead of the hand-written layer. The same `service-info`
//! call to a loopback server, measured side by side in interleaved rounds:
//!
//! * `raw`: reqwest + serde_json into the same generated type, no layer;
//! * `sdk`: the SDK's `send()` (token, Accept-Version, retries armed, error
//!   mapping, lenient decoding), throttle disabled so that the rate limit
//!   does not hide the cost.
//!
//! Reports the median µs per call of each and their ratio.
//! `cargo bench --bench overhead`

#[path = "support/server.rs"]
mod server;

use std::time::Instant;

use seqera_tower::{Client, Throttle, types};

const CALLS_PER_ROUND: usize = 400;
const ROUNDS: usize = 15;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let body = r#"{"serviceInfo":{"version":"25.3.0","apiVersion":"1.187.0","commitId":"a1b2c3d","authTypes":["github","google"],"loginPath":"/login","navbar":{"menus":[]},"heartbeatInterval":60,"userWorkspaceEnabled":true,"allowInstanceCredentials":false,"landingUrl":null,"termsOfUseUrl":null,"contentUrl":"https://seqera.io","analytics":null,"allowLocalRepos":false,"contentMaxLength":262144,"waveEnabled":true,"groundswellEnabled":false,"groundswellAllowedWorkspaces":null,"seqeraComputeEnabled":true,"forgePrefix":"TowerForge","seqeraCloud":true,"evalWorkspaceIds":[],"contactEmail":"support@seqera.io","allowNextflowCliLogs":true}}"#;
    let server = server::start(body.to_owned()).await;
    let sdk = Client::builder()
        .endpoint(&server.url)
        .token("bench-token")
        .throttle(Throttle::disabled())
        .build()
        .expect("client");
    let raw = reqwest::Client::new();
    let url = format!("{}/service-info", server.url);

    let (mut sdk_us, mut raw_us) = (Vec::new(), Vec::new());
    for round in 0..=ROUNDS {
        let t = Instant::now();
        for _ in 0..CALLS_PER_ROUND {
            let bytes = raw
                .get(&url)
                .bearer_auth("bench-token")
                .header("accept-version", "1")
                .send()
                .await
                .expect("raw call")
                .bytes()
                .await
                .expect("raw body");
            let value: types::ServiceInfoResponse = serde_json::from_slice(&bytes).expect("decode");
            std::hint::black_box(value);
        }
        let raw_round = t.elapsed().as_secs_f64() * 1e6 / CALLS_PER_ROUND as f64;
        let t = Instant::now();
        for _ in 0..CALLS_PER_ROUND {
            std::hint::black_box(sdk.info().send().await.expect("sdk call"));
        }
        let sdk_round = t.elapsed().as_secs_f64() * 1e6 / CALLS_PER_ROUND as f64;
        if round > 0 {
            // Round 0 warms connections and caches.
            raw_us.push(raw_round);
            sdk_us.push(sdk_round);
        }
    }
    let (raw_m, sdk_m) = (median(raw_us), median(sdk_us));
    println!(
        "overhead: service-info over loopback, {ROUNDS} interleaved rounds of {CALLS_PER_ROUND} calls"
    );
    println!("  raw reqwest + serde_json  {raw_m:8.1} µs/call (median)");
    println!("  seqera-tower send()       {sdk_m:8.1} µs/call (median)");
    println!("  ratio sdk / raw           {:8.3}", sdk_m / raw_m);
}
