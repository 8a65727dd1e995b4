//! A realistic, schema-valid `ListWorkflowsResponse`: `n` runs of
//! nf-core/rnaseq with every field the Platform fills in a listing (the
//! run, its config text, params, manifest, stats, progress, labels,
//! pipeline info), about 5 KB per item, so 50 items are about 250 KB.
//!
//! Valid against the schema as strict generated clients read it (the
//! Python peer of `benches/peers` decodes it): no `null`s in fields the
//! schema does not mark nullable, upper-case statuses, ISO 8601 times, every
//! `params` value an object (`additionalProperties: {type: object}`), every
//! required progress counter present.

#![allow(dead_code)]

use serde_json::{Value, json};

const STATUSES: [&str; 6] = [
    "SUCCEEDED",
    "FAILED",
    "RUNNING",
    "CANCELLED",
    "SUBMITTED",
    "UNKNOWN",
];

fn config_text() -> String {
    let mut lines = vec![
        "process {".to_owned(),
        "  executor = 'awsbatch'".to_owned(),
        "  queue = 'TowerForge-abc123-work'".to_owned(),
        "  errorStrategy = { task.exitStatus in [143,137,104,134,139] ? 'retry' : 'finish' }"
            .to_owned(),
        "  maxRetries = 1".to_owned(),
        "  maxErrors = '-1'".to_owned(),
    ];
    for (i, process) in ["FASTQC", "TRIMGALORE"].iter().enumerate() {
        lines.push(format!(
            "  withName: 'NFCORE_RNASEQ:RNASEQ:{process}' {{ cpus = {} ; memory = '{}.GB' ; time = '{}.h' }}",
            2 + i,
            8 * (i + 1),
            4 + i
        ));
    }
    lines.extend(
        [
            "}",
            "",
            "aws {",
            "  region = 'eu-west-1'",
            "  batch { cliPath = '/home/ec2-user/miniconda/bin/aws' ; maxParallelTransfers = 8 }",
            "}",
            "",
        ]
        .map(str::to_owned),
    );
    for k in 0..2 {
        lines.push(format!(
            "params.option_{k} = 'value-{k}-{}'",
            "x".repeat(40)
        ));
    }
    lines.extend(
        [
            "",
            "manifest {",
            "  name = 'nf-core/rnaseq'",
            "  homePage = 'https://github.com/nf-core/rnaseq'",
            "  description = 'RNA sequencing analysis pipeline'",
            "  mainScript = 'main.nf'",
            "  nextflowVersion = '!>=23.04.0'",
            "  version = '3.14.0'",
            "}",
            "",
            "trace { enabled = true ; file = 's3://bucket/results/pipeline_info/trace.txt' }",
            "dag { enabled = true ; file = 's3://bucket/results/pipeline_info/dag.svg' }",
            "wave { enabled = true }",
            "fusion { enabled = true }",
            "docker { enabled = true }",
        ]
        .map(str::to_owned),
    );
    lines.join("\n")
}

fn load(i: usize, extra: Value) -> Value {
    let mut load = json!({
        "pending": i % 3, "submitted": 1, "running": i % 2, "succeeded": 40 + i, "failed": i % 4,
        "cached": 3, "ignored": 0, "retries": 1, "aborted": 0,
        "loadCpus": 8, "loadMemory": 34359738368u64, "peakCpus": 32, "peakMemory": 137438953472u64,
        "peakTasks": 12, "loadTasks": 4, "cpus": 96, "cpuTime": 123456789, "cpuLoad": 98765432,
        "memoryRss": 45678901234u64, "memoryReq": 68719476736u64, "readBytes": 987654321012u64,
        "writeBytes": 123456789012u64, "volCtxSwitch": 123456, "invCtxSwitch": 7890,
        "cpuEfficiency": 87.5, "memoryEfficiency": 62.25,
        "dateCreated": "2026-11-03T09:15:27Z", "lastUpdated": "2026-11-03T11:42:10.123Z",
    });
    if let (Value::Object(load), Value::Object(extra)) = (&mut load, extra) {
        load.extend(extra);
    }
    load
}

fn element(i: usize, config_text: &str) -> Value {
    let status = STATUSES[i % STATUSES.len()];
    let id = format!("{i:04x}Ab3dE5f7G9h");
    let mut workflow = json!({
        "id": id,
        "runName": format!("nostalgic_turing_{i}"),
        "sessionId": format!("6f1c2b3a-4d5e-4f60-8a7b-{i:012}"),
        "status": status,
        "submit": "2026-11-03T09:15:27Z",
        "start": "2026-11-03T09:17:02.481Z",
        "complete": "2026-11-03T11:42:10.123Z",
        "dateCreated": "2026-11-03T09:15:27Z",
        "lastUpdated": "2026-11-03T11:42:10.123+00:00",
        "duration": 8708000 + i,
        "exitStatus": if status == "SUCCEEDED" { 0 } else { 1 },
        "success": status == "SUCCEEDED",
        "projectName": "nf-core/rnaseq",
        "repository": "https://github.com/nf-core/rnaseq",
        "revision": "3.14.0",
        "commitId": "b89fac32650aacc86fcda9ee77e00612a1d77066",
        "commandLine": format!("nextflow run nf-core/rnaseq -name nostalgic_turing_{i} -with-tower -r 3.14.0 -profile test,docker --input s3://bucket/samplesheet.csv --outdir s3://bucket/results/{i} --genome GRCh38 -resume"),
        "scriptName": "main.nf",
        "scriptFile": "/home/ec2-user/.nextflow/assets/nf-core/rnaseq/main.nf",
        "scriptId": "6c1e3d7a9b2f4e5d8c0a1b3c5d7e9f0a2b4c6d8e",
        "projectDir": "/home/ec2-user/.nextflow/assets/nf-core/rnaseq",
        "homeDir": "/home/ec2-user",
        "launchDir": format!("/mnt/efs/launch/{i}"),
        "workDir": format!("s3://acme-bucket/work/{id}"),
        "launchId": format!("3Xk9fPq2Lm7Rt5Vw{i:06}"),
        "userName": "ada-lovelace",
        "ownerId": 42,
        "profile": "test,docker",
        "container": "quay.io/nf-core/rnaseq:3.14.0",
        "containerEngine": "docker",
        "resume": i.is_multiple_of(5),
        "requiresAttention": false,
        "deleted": false,
        "configFiles": [
            "/home/ec2-user/.nextflow/assets/nf-core/rnaseq/nextflow.config",
            format!("/mnt/efs/launch/{i}/nextflow.config"),
            format!("/mnt/efs/launch/{i}/tower.config"),
        ],
        "configText": config_text,
        "params": {
            "input": {"path": "s3://bucket/samplesheet.csv", "format": "csv"},
            "outdir": {"path": format!("s3://bucket/results/{i}")},
            "genome": {"name": "GRCh38", "igenomes_base": "s3://ngi-igenomes/igenomes"},
            "aligner": {"name": "star_salmon", "options": {"twopass": true, "threads": 12}},
            "trimmer": {"name": "trimgalore", "extra_args": "--quality 20"},
            "skip": {"qc": false, "markduplicates": true},
        },
        "manifest": {
            "author": "Harshil Patel, Phil Ewels, Rickard Hammaren",
            "defaultBranch": "master",
            "description": "RNA sequencing analysis pipeline for gene/isoform quantification and extensive quality control.",
            "gitmodules": "",
            "homePage": "https://github.com/nf-core/rnaseq",
            "icon": "",
            "mainScript": "main.nf",
            "name": "nf-core/rnaseq",
            "nextflowVersion": "!>=23.04.0",
            "version": "3.14.0",
        },
        "nextflow": {"version": "24.10.2", "build": "5932", "timestamp": "2024-11-27T15:22:10Z"},
        "stats": {
            "computeTimeFmt": "(a few seconds)",
            "cachedCount": 3, "failedCount": i % 4, "ignoredCount": 0, "succeedCount": 40 + i,
            "cachedCountFmt": "3", "succeedCountFmt": (40 + i).to_string(), "failedCountFmt": (i % 4).to_string(),
            "ignoredCountFmt": "0", "cachedPct": 6.5, "failedPct": 1.25, "succeedPct": 92.25,
            "ignoredPct": 0.0, "cachedDuration": 123456, "failedDuration": 2345, "succeedDuration": 8700000,
        },
    });
    if status == "FAILED" {
        workflow["errorMessage"] = json!(
            "Process `NFCORE_RNASEQ:RNASEQ:STAR_ALIGN (WT_REP1)` terminated with an error exit status (137)"
        );
        workflow["errorReport"] = json!(
            "Error executing process > 'NFCORE_RNASEQ:RNASEQ:STAR_ALIGN (WT_REP1)'\n\nCaused by:\n  Process terminated with an error exit status (137)\n\nCommand executed:\n\n  STAR --genomeDir star --readFilesIn WT_REP1_1.fq.gz WT_REP1_2.fq.gz --runThreadN 12\n"
        );
    }
    json!({
        "workflow": workflow,
        "progress": {
            "workflowProgress": load(i, json!({
                "cost": 12.34, "netCost": 11.2, "executors": ["awsbatch"], "netCpus": 90,
                "netCpuTime": 120000000, "netMemoryConsumption": 1234.5, "numSpotInterruptions": 0,
                "requestedCpuTime": 150000000, "requestedMemory": 70000000000u64, "version": 7,
            })),
            "processesProgress": [],
            "totalProcesses": 5,
        },
        "labels": [{
            "id": 1000 + i, "name": "project", "value": "rnaseq-2026", "resource": true,
            "isDefault": false, "isDynamic": false, "isInterpolated": false,
            "dateCreated": "2026-01-01T00:00:00Z",
        }],
        "pipelineInfo": {
            "id": 77, "workspaceId": 1,
            "version": {
                "id": "3Xk9fPq2Lm7Rt5Vw", "name": "3.14.0", "hash": "b89fac32650aacc8",
                "isDefault": true, "isDraftVersion": false,
                "dateCreated": "2026-10-01T08:00:00Z", "lastUpdated": "2026-10-02T08:00:00Z",
            },
        },
        "optimized": i.is_multiple_of(2),
        "starred": i.is_multiple_of(7),
        "orgId": 9, "orgName": "acme",
        "workspaceId": 1, "workspaceName": "production",
    })
}

/// The body of a `ListWorkflows` page of `n` runs.
pub fn list_workflows_body(n: usize) -> String {
    let config_text = config_text();
    let workflows: Vec<Value> = (0..n).map(|i| element(i, &config_text)).collect();
    json!({ "workflows": workflows, "totalSize": 1234, "hasMore": true }).to_string()
}
