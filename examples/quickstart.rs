//! The five-minute tour: who am I, which workspaces, recent runs, then a
//! launch followed to the end and its tasks.
//!
//! `cargo run --example quickstart`: with `TOWER_ACCESS_TOKEN` set it talks
//! to the Platform (`TOWER_API_ENDPOINT`, `TOWER_WORKSPACE_ID`); it only
//! launches there when `QUICKSTART_PIPELINE` names a pipeline, so it never
//! spends your compute by surprise. Without a token it runs the same code
//! against an embedded mock Tower.

#[path = "support/mod.rs"]
mod support;

use std::time::Duration;

use futures::TryStreamExt;
use seqera_tower::runs::WaitOptions;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let connection = support::connect()?;
    let client = &connection.client;

    let me = client.user_info().send().await?.into_inner();
    let user = me.user.unwrap_or_default();
    println!(
        "Signed in as {} <{}>",
        user.user_name.unwrap_or_default(),
        user.email.unwrap_or_default()
    );

    if let Some(user_id) = user.id {
        let spaces = client
            .list_workspaces_user()
            .user_id(user_id)
            .send()
            .await?
            .into_inner();
        println!("\nWorkspaces:");
        for entry in spaces
            .orgs_and_workspaces
            .iter()
            .filter(|e| e.workspace_id.is_some())
        {
            println!(
                "  {:>16}  {}/{}",
                entry.workspace_id.unwrap_or_default(),
                entry.org_name.as_deref().unwrap_or("-"),
                entry.workspace_name.as_deref().unwrap_or("-")
            );
        }
    }

    println!("\nRecent runs:");
    let recent: Vec<_> = client
        .list_workflows()
        .max(5)
        .stream()
        .try_collect()
        .await?;
    for item in recent.iter().take(5) {
        if let Some(run) = &item.workflow {
            println!(
                "  {:<16} {:<18} {:<10} {}",
                run.id.as_deref().unwrap_or("-"),
                run.run_name.as_deref().unwrap_or("-"),
                run.status.as_ref().map(|s| s.as_str()).unwrap_or("-"),
                run.project_name.as_deref().unwrap_or("-")
            );
        }
    }

    let pipeline = match std::env::var("QUICKSTART_PIPELINE") {
        Ok(p) if !p.is_empty() => p,
        _ if connection.offline() => "https://github.com/nf-core/rnaseq".to_owned(),
        _ => {
            println!(
                "\nSet QUICKSTART_PIPELINE to a launchpad name or repository URL to launch and follow a run."
            );
            return Ok(());
        }
    };
    println!("\nLaunching {pipeline}…");
    let run_id = client.launch(&pipeline).send().await?;
    println!("  run {run_id} submitted");

    let mut status = support::Status::new();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let wait = client.wait_for_workflow(
        &run_id,
        WaitOptions::default()
            .poll_interval(Duration::from_secs(1), Duration::from_secs(30))
            .on_progress(move |state| {
                let run_status = state
                    .workflow
                    .as_ref()
                    .and_then(|w| w.status.as_ref())
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default();
                let done = state
                    .progress
                    .as_ref()
                    .and_then(|p| p.workflow_progress.as_ref())
                    .and_then(|w| w.succeeded)
                    .unwrap_or(0);
                let _ = tx.send(format!("{run_status}: {done} tasks succeeded"));
            }),
    );
    tokio::pin!(wait);
    let finished = loop {
        tokio::select! {
            done = &mut wait => break done?,
            Some(message) = rx.recv() => status.set(message),
        }
    };
    while let Ok(message) = rx.try_recv() {
        status.set(message);
    }
    status.finish();
    let final_status = finished
        .workflow
        .as_ref()
        .and_then(|w| w.status.as_ref())
        .map(|s| s.as_str().to_owned())
        .unwrap_or_default();
    println!("  run {run_id} ended: {final_status}");

    println!("\nTasks:");
    let tasks: Vec<_> = client
        .list_workflow_tasks()
        .workflow_id(&run_id)
        .stream()
        .try_collect()
        .await?;
    for item in tasks {
        if let Some(task) = item.task {
            println!(
                "  {:>3}  {:<26} {:<10} exit {}",
                task.task_id.unwrap_or_default(),
                task.name.as_deref().unwrap_or("-"),
                task.status.as_ref().map(|s| s.as_str()).unwrap_or("-"),
                task.exit
                    .map(|e| e.to_string())
                    .unwrap_or_else(|| "-".into())
            );
        }
    }
    Ok(())
}
