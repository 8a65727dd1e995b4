//! Creates a dataset and uploads a samplesheet (CSV or TSV) as its first
//! version, with a multipart body.
//!
//! `cargo run --example upload_dataset -- <file.csv> [dataset name]`
//! (offline without `TOWER_ACCESS_TOKEN`; without a file it uploads a small
//! built-in samplesheet).

#[path = "support/mod.rs"]
mod support;

use seqera_tower::multipart::MultipartForm;
use seqera_tower::types;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let connection = support::connect()?;
    let client = &connection.client;
    let workspace = client
        .workspace_id()
        .ok_or("set TOWER_WORKSPACE_ID: datasets live in a workspace")?;
    let mut args = std::env::args().skip(1);
    let (file_name, content) = match args.next() {
        Some(path) => {
            let name = std::path::Path::new(&path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or(path.clone());
            (name, std::fs::read(&path)?)
        }
        None => (
            "samplesheet.csv".to_owned(),
            b"sample,fastq_1,fastq_2\nA,a_1.fq.gz,a_2.fq.gz\nB,b_1.fq.gz,b_2.fq.gz\n".to_vec(),
        ),
    };
    let media_type = if file_name.ends_with(".tsv") {
        "text/tab-separated-values"
    } else {
        "text/csv"
    };
    let name = args.next().unwrap_or_else(|| {
        file_name
            .trim_end_matches(".csv")
            .trim_end_matches(".tsv")
            .to_owned()
    });

    let created = client
        .create_dataset_v2()
        .workspace_id(workspace)
        .body(types::CreateDatasetRequest {
            name: Some(name.clone()),
            ..Default::default()
        })
        .send()
        .await?
        .into_inner();
    let dataset_id = created
        .dataset
        .and_then(|d| d.id)
        .ok_or("the platform returned no dataset id")?;
    println!("created dataset {name} ({dataset_id})");

    let uploaded = client
        .upload_dataset()
        .workspace_id(workspace)
        .dataset_id(&dataset_id)
        .header(true)
        .form(MultipartForm::new().file("file", &file_name, media_type, content))
        .send()
        .await?
        .into_inner();
    let version = uploaded.version.unwrap_or_default();
    println!(
        "uploaded {file_name} as version {}",
        version.version.unwrap_or_default()
    );
    Ok(())
}
