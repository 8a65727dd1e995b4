//! Helpers shared by the xtask tests: the two published schemas, scratch
//! directories, a one-file loopback HTTP server and the xtask binary.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::thread::JoinHandle;

/// A published schema in `../shared/openapi/` beside the repository (read
/// only, never copied).
pub fn shared_schema(version: &str) -> PathBuf {
    shared_openapi_dir().join(format!("seqera-api-{version}.yaml"))
}

/// `../shared/openapi/` beside the repository; in a clone elsewhere (CI's
/// older-schema run), the directory the workspace's `openapi.yaml` link
/// points into.
fn shared_openapi_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let beside = manifest.join("../../shared/openapi");
    let linked = std::fs::canonicalize(manifest.join("../openapi.yaml"))
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf));
    std::iter::once(beside.clone())
        .chain(linked)
        .find(|dir| {
            [OLD, NEW]
                .iter()
                .all(|v| dir.join(format!("seqera-api-{v}.yaml")).is_file())
        })
        .unwrap_or(beside)
}

pub const OLD: &str = "1.159.0";
pub const NEW: &str = "1.187.0";

/// The operationIds of a schema, read with a YAML parser of their own.
pub fn operation_ids(path: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    let mut ids = BTreeSet::new();
    for (_, item) in doc["paths"].as_mapping().unwrap() {
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            if let Some(op) = item.get(method) {
                ids.insert(op["operationId"].as_str().unwrap().to_owned());
            }
        }
    }
    ids
}

/// The names under `components/schemas`, read independently.
pub fn schema_names(path: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    doc["components"]["schemas"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap().to_owned())
        .collect()
}

/// A scratch directory removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "xtask-test-{name}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// The names in the directory, sorted.
    pub fn entries(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A loopback HTTP/1.1 server answering `requests` requests with one status
/// and body, then stopping.
pub struct Server {
    pub url: String,
    handle: Option<JoinHandle<Vec<String>>>,
}

impl Server {
    pub fn start(status: &str, body: Vec<u8>, requests: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let status = status.to_owned();
        let handle = std::thread::spawn(move || {
            let mut request_lines = Vec::new();
            for stream in listener.incoming().take(requests) {
                let mut stream = stream.unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut first = String::new();
                reader.read_line(&mut first).unwrap();
                request_lines.push(first.trim_end().to_owned());
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                        break;
                    }
                }
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: application/yaml\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                stream.write_all(head.as_bytes()).unwrap();
                stream.write_all(&body).unwrap();
                stream.flush().unwrap();
            }
            request_lines
        });
        Self {
            url: format!("http://{addr}/openapi/seqera-api-latest.yml"),
            handle: Some(handle),
        }
    }

    /// Waits for the server to have answered, and returns the request lines.
    pub fn finish(mut self) -> Vec<String> {
        self.handle.take().unwrap().join().unwrap()
    }
}

/// A loopback port with nothing listening on it.
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Runs `xtask refresh-spec <args>`, with no proxy in the environment.
pub fn refresh_spec(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.arg("refresh-spec");
    for arg in args {
        command.arg(arg);
    }
    for var in [
        "ALL_PROXY",
        "all_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
    ] {
        command.env_remove(var);
    }
    command.output().unwrap()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `(added, removed, changed, breaking)` from the summary line
/// `N operations added, M removed, K changed (B breaking)`.
pub fn summary(stdout: &str) -> (usize, usize, usize, usize) {
    let line = stdout
        .lines()
        .find(|l| l.contains(" operations added, "))
        .unwrap_or_else(|| panic!("no summary line in:\n{stdout}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(numbers.len(), 4, "{line}");
    let rebuilt = format!(
        "{} operations added, {} removed, {} changed ({} breaking)",
        numbers[0], numbers[1], numbers[2], numbers[3]
    );
    assert_eq!(line, rebuilt, "the summary line has exactly this form");
    (numbers[0], numbers[1], numbers[2], numbers[3])
}

/// The names on report lines starting with `sign` in the Operations section.
pub fn operation_lines(stdout: &str, sign: char) -> BTreeSet<String> {
    let section = stdout
        .split("\nOperations:\n")
        .nth(1)
        .and_then(|s| s.split("\nSchemas:\n").next())
        .unwrap_or_else(|| panic!("no Operations section in:\n{stdout}"));
    section
        .lines()
        .filter_map(|l| l.strip_prefix(sign)?.strip_prefix(' '))
        .map(|l| l.split_whitespace().next().unwrap().to_owned())
        .collect()
}
