//! Lists every run of the workspace, page by page, as one stream.
//!
//! `cargo run --example list_runs [search]` (offline without `TOWER_ACCESS_TOKEN`).

#[path = "support/mod.rs"]
mod support;

use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), seqera_tower::Error> {
    let connection = support::connect()?;
    let mut list = connection.client.list_workflows().max(50);
    if let Some(search) = std::env::args().nth(1) {
        list = list.search(search);
    }
    let mut runs = list.stream();
    let mut count = 0;
    while let Some(item) = runs.try_next().await? {
        let Some(run) = item.workflow else { continue };
        count += 1;
        println!(
            "{:<16} {:<20} {:<10} {:<28} {}",
            run.id.unwrap_or_default(),
            run.run_name.unwrap_or_default(),
            run.status.map(|s| s.to_string()).unwrap_or_default(),
            run.submit.map(|t| t.to_rfc3339()).unwrap_or_default(),
            run.project_name.unwrap_or_default()
        );
    }
    println!("{count} runs");
    Ok(())
}
