//! `cargo xtask refresh-spec` end to end: the binary, run on the published
//! schemas, local files and a loopback HTTP server. Every test writes only
//! into a scratch directory of its own (never the workspace's openapi.yaml).

mod support;

use std::fs;

use support::{
    NEW, OLD, Server, TempDir, closed_port, operation_ids, operation_lines, refresh_spec,
    shared_schema, stderr, stdout, summary,
};

/// A schema the normalisation rejects: a multipart-only body whose schema
/// has no properties.
const MULTIPART_WITHOUT_FIELDS: &str = r#"openapi: 3.0.1
info:
  title: t
  version: "1"
paths:
  /upload:
    post:
      operationId: uploadThing
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
      responses:
        "204":
          description: done
"#;

#[test]
fn writes_a_local_file_in_place_of_a_link() {
    let dir = TempDir::new("local");
    let target = dir.join("openapi.yaml");
    std::os::unix::fs::symlink(shared_schema(OLD), &target).unwrap();
    let output = refresh_spec(&[
        &"--from",
        &shared_schema(NEW),
        &"--out",
        &target,
        &"--against",
        &target,
    ]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}{}", stderr(&output));
    assert!(!fs::symlink_metadata(&target).unwrap().is_symlink());
    assert_eq!(
        fs::read(&target).unwrap(),
        fs::read(shared_schema(NEW)).unwrap()
    );
    assert_eq!(dir.entries(), ["openapi.yaml"], "no temporary file left");
    // Compared with what the link pointed to: 1.159.0 → 1.187.0 only adds.
    let (added, removed, _, breaking) = summary(&out);
    assert!(added > 0, "{out}");
    assert_eq!((removed, breaking), (0, 0), "{out}");
    assert!(
        out.contains("multipart-bodies"),
        "the normalisation report: {out}"
    );
    assert!(
        out.contains(&format!("wrote {}", target.display())),
        "{out}"
    );
}

#[test]
fn downloads_from_a_url() {
    let dir = TempDir::new("url");
    let target = dir.join("openapi.yaml");
    let body = fs::read(shared_schema(NEW)).unwrap();
    let server = Server::start("200 OK", body.clone(), 1);
    let url = server.url.clone();
    let output = refresh_spec(&[
        &"--from",
        &url,
        &"--out",
        &target,
        &"--against",
        &shared_schema(OLD),
    ]);
    let requests = server.finish();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(requests, ["GET /openapi/seqera-api-latest.yml HTTP/1.1"]);
    assert_eq!(fs::read(&target).unwrap(), body);
    assert!(stdout(&output).contains(&format!("new:     {url}")));
}

#[test]
fn report_counts_match_operation_ids_in_both_directions() {
    for (from, to) in [(OLD, NEW), (NEW, OLD)] {
        let output = refresh_spec(&[
            &"--from",
            &shared_schema(to),
            &"--against",
            &shared_schema(from),
            &"--check",
        ]);
        let out = stdout(&output);
        assert_eq!(output.status.code(), Some(1), "{out}{}", stderr(&output));
        let before = operation_ids(&shared_schema(from));
        let after = operation_ids(&shared_schema(to));
        let added: std::collections::BTreeSet<String> =
            after.difference(&before).cloned().collect();
        let removed: std::collections::BTreeSet<String> =
            before.difference(&after).cloned().collect();
        let (n_added, n_removed, _, breaking) = summary(&out);
        assert_eq!(
            (n_added, n_removed),
            (added.len(), removed.len()),
            "{from} → {to}"
        );
        assert!(breaking >= n_removed);
        assert_eq!(operation_lines(&out, '+'), added, "{from} → {to}");
        assert_eq!(operation_lines(&out, '-'), removed, "{from} → {to}");
        for line in out.lines().filter(|l| l.starts_with("- ")) {
            assert!(line.contains("(breaking)"), "{line}");
        }
        for line in out.lines().filter(|l| l.starts_with("+ ")) {
            assert!(!line.contains("(breaking)"), "{line}");
        }
    }
}

#[test]
fn check_exits_0_when_the_same_and_1_when_different() {
    let dir = TempDir::new("check");
    // The same schema as JSON: semantically equal, textually different.
    let yaml = fs::read_to_string(shared_schema(NEW)).unwrap();
    let value: serde_json::Value = serde_yaml_ng::from_str(&yaml).unwrap();
    let json = dir.write("schema.json", &serde_json::to_string(&value).unwrap());
    let target = dir.join("openapi.yaml");

    let same = refresh_spec(&[
        &"--check",
        &"--from",
        &json,
        &"--against",
        &shared_schema(NEW),
        &"--out",
        &target,
    ]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    assert!(
        stdout(&same).contains("0 operations added, 0 removed, 0 changed (0 breaking)"),
        "{}",
        stdout(&same)
    );

    let different = refresh_spec(&[
        &"--check",
        &"--from",
        &json,
        &"--against",
        &shared_schema(OLD),
        &"--out",
        &target,
    ]);
    assert_eq!(different.status.code(), Some(1), "{}", stderr(&different));
    assert_eq!(dir.entries(), ["schema.json"], "--check writes nothing");
}

/// Runs refresh-spec into a scratch openapi.yaml that already holds a
/// schema, expects exit code 2 with `expected` on stderr, and checks that
/// nothing in the directory changed.
fn assert_fails(name: &str, from: &str, files: &[(&str, &str)], expected: &[&str]) {
    let dir = TempDir::new(name);
    let target = dir.write("openapi.yaml", "sentinel: the current schema\n");
    for (file, contents) in files {
        dir.write(file, contents);
    }
    let before = dir.entries();
    let from = from.replace("{dir}", &dir.path().display().to_string());
    let output = refresh_spec(&[&"--from", &from, &"--out", &target, &"--against", &target]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{name}: {err}");
    for needle in expected {
        assert!(err.contains(needle), "{name}: `{needle}` not in {err}");
    }
    assert_eq!(
        fs::read_to_string(&target).unwrap(),
        "sentinel: the current schema\n",
        "{name}"
    );
    assert_eq!(dir.entries(), before, "{name}: no file added");
}

#[test]
fn unreachable_url() {
    let url = format!("http://127.0.0.1:{}/seqera-api-latest.yml", closed_port());
    assert_fails("unreachable", &url, &[], &["cannot download", &url]);
}

#[test]
fn http_error_status() {
    let server = Server::start("404 Not Found", b"no such file".to_vec(), 1);
    let url = server.url.clone();
    assert_fails("http-404", &url, &[], &["cannot download", "HTTP 404"]);
    server.finish();
}

#[test]
fn missing_file() {
    assert_fails(
        "missing",
        "{dir}/nowhere.yaml",
        &[],
        &["cannot read the schema file", "nowhere.yaml"],
    );
}

#[test]
fn not_yaml() {
    assert_fails(
        "not-yaml",
        "{dir}/garbage.yaml",
        &[("garbage.yaml", "openapi: [3.0.1\n  paths: {{{\n")],
        &["garbage.yaml", "not valid YAML or JSON"],
    );
    assert_fails(
        "not-a-mapping",
        "{dir}/words.txt",
        &[("words.txt", "just some words\n")],
        &["words.txt", "not a YAML or JSON mapping"],
    );
}

#[test]
fn not_openapi_3_0() {
    assert_fails(
        "swagger",
        "{dir}/swagger.yaml",
        &[(
            "swagger.yaml",
            "swagger: \"2.0\"\ninfo:\n  title: t\n  version: \"1\"\npaths: {}\n",
        )],
        &["swagger.yaml", "not an OpenAPI 3.0 schema"],
    );
    assert_fails(
        "openapi-3.1",
        "{dir}/v31.yaml",
        &[(
            "v31.yaml",
            "openapi: 3.1.0\ninfo:\n  title: t\n  version: \"1\"\npaths: {}\n",
        )],
        &["v31.yaml", "openapi: 3.1.0", "only OpenAPI 3.0.x"],
    );
}

#[test]
fn a_construct_the_normalisation_rejects() {
    assert_fails(
        "multipart",
        "{dir}/multipart.yaml",
        &[("multipart.yaml", MULTIPART_WITHOUT_FIELDS)],
        &["multipart.yaml", "uploadThing", "multipart/form-data"],
    );
}

#[test]
fn errors_leave_a_link_in_place() {
    let dir = TempDir::new("link-kept");
    let target = dir.join("openapi.yaml");
    std::os::unix::fs::symlink(shared_schema(OLD), &target).unwrap();
    let bad = dir.write("swagger.yaml", "swagger: \"2.0\"\n");
    let output = refresh_spec(&[&"--from", &bad, &"--out", &target]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(fs::symlink_metadata(&target).unwrap().is_symlink());
    assert_eq!(fs::read_link(&target).unwrap(), shared_schema(OLD));
    assert_eq!(dir.entries(), ["openapi.yaml", "swagger.yaml"]);
}

#[test]
fn usage_errors_exit_2() {
    for args in [&["--bogus"][..], &["--from"], &["--check=1"]] {
        let args: Vec<&dyn AsRef<std::ffi::OsStr>> = args
            .iter()
            .map(|a| a as &dyn AsRef<std::ffi::OsStr>)
            .collect();
        let output = refresh_spec(&args);
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr(&output).contains("usage: cargo xtask refresh-spec"));
    }
}
