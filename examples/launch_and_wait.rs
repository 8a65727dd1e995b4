//! Launches a pipeline and waits for the run to end.
//!
//! `cargo run --example launch_and_wait -- <launchpad name | repository URL> [revision]`
//! (offline without `TOWER_ACCESS_TOKEN`, where it launches the mock's run).

#[path = "support/mod.rs"]
mod support;

use std::time::Duration;

use seqera_tower::runs::WaitOptions;

#[tokio::main]
async fn main() -> Result<(), seqera_tower::Error> {
    let connection = support::connect()?;
    let client = &connection.client;
    let mut args = std::env::args().skip(1);
    let pipeline = args
        .next()
        .unwrap_or_else(|| "https://github.com/nf-core/hello".to_owned());
    let mut launch = client.launch(&pipeline);
    if let Some(revision) = args.next() {
        launch = launch.revision(revision);
    }
    let run_id = launch.send().await?;
    println!("launched {pipeline}: run {run_id}");

    let options = WaitOptions::default()
        .poll_interval(Duration::from_secs(1), Duration::from_secs(60))
        .timeout(Duration::from_secs(12 * 3600))
        .on_progress(|state| {
            if let Some(status) = state.workflow.as_ref().and_then(|w| w.status.as_ref()) {
                println!("  {status}");
            }
        });
    let done = client.wait_for_workflow(&run_id, options).await?;
    let workflow = done.workflow.unwrap_or_default();
    println!(
        "run {run_id} ended {} (exit status {})",
        workflow.status.map(|s| s.to_string()).unwrap_or_default(),
        workflow
            .exit_status
            .map(|s| s.to_string())
            .unwrap_or_else(|| "-".into())
    );
    Ok(())
}
