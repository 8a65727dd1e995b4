//! Memory of pagination: peak RSS while streaming N workflows through
//! `list_workflows().stream()` against collecting them into a `Vec`, for
//! N = 10,000 and 100,000 (pages of 100 from a loopback server). Each
//! measurement runs in a child process of its own so that peaks do not mix.
//!
//! `cargo bench --bench memory`

use std::io::Write;

use futures::{StreamExt, TryStreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn workflow(i: usize) -> String {
    format!(
        r#"{{"workflow":{{"id":"wf{i:08}","runName":"run_{i}","status":"SUCCEEDED","projectName":"nf-core/rnaseq","repository":"https://github.com/nf-core/rnaseq","revision":"3.14.0","userName":"ada","workDir":"s3://bucket/work/{i}","submit":"2026-12-04T10:00:00Z","commandLine":"nextflow run nf-core/rnaseq -profile docker --input samples.csv --outdir results"}},"workspaceId":1,"orgName":"acme"}}"#
    )
}

/// Serves `total` workflows in the pages the client asks for.
async fn serve(total: usize) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let Ok(n) = socket.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
                        buf.drain(..end + 4);
                        let param = |name: &str| -> usize {
                            head.split(['?', '&', ' '])
                                .find_map(|kv| {
                                    kv.strip_prefix(name)?.strip_prefix('=')?.parse().ok()
                                })
                                .unwrap_or(0)
                        };
                        let (max, offset) = (param("max"), param("offset"));
                        let items: Vec<String> =
                            (offset..(offset + max).min(total)).map(workflow).collect();
                        let body = format!(
                            r#"{{"workflows":[{}],"totalSize":{total}}}"#,
                            items.join(",")
                        );
                        let response = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if socket.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    url
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_owned)
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

async fn child(mode: &str, total: usize) {
    let url = serve(total).await;
    let client = seqera_tower::Client::builder()
        .endpoint(url)
        .token("bench-token")
        .throttle(seqera_tower::Throttle::disabled())
        .build()
        .expect("client");
    let count = if mode == "stream" {
        client
            .list_workflows()
            .max(100)
            .stream()
            .map(|r| r.map(|_| 1usize))
            .try_fold(0, |a, b| async move { Ok(a + b) })
            .await
    } else {
        client
            .list_workflows()
            .max(100)
            .stream()
            .try_collect::<Vec<_>>()
            .await
            .map(|v| v.len())
    }
    .expect("the listing succeeds");
    assert_eq!(count, total);
    print!("{}", peak_rss_kib());
    let _ = std::io::stdout().flush();
}

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    if let (Some(mode), Some(total)) = (args.next(), args.next().and_then(|t| t.parse().ok())) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(child(&mode, total));
        return;
    }
    let exe = std::env::current_exe().expect("the bench binary");
    println!("memory: peak RSS listing N workflows in pages of 100 (each in its own process)");
    for total in [10_000usize, 100_000] {
        let peak = |mode: &str| -> f64 {
            let out = std::process::Command::new(&exe)
                .args([mode, &total.to_string()])
                .output()
                .expect("child");
            String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse::<f64>()
                .unwrap_or(f64::NAN)
                / 1024.0
        };
        let (stream, collect) = (peak("stream"), peak("collect"));
        println!("  N = {total:>7}   stream {stream:7.1} MiB   collect {collect:7.1} MiB");
    }
}
