//! Developer tasks: `cargo xtask <task>`.
//!
//! Exit codes of `refresh-spec`: 0 on success (with `--check`: the schemas
//! are the same), 1 with `--check` when they differ, 2 on any error (the
//! message is on stderr and no file was changed).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use xtask::refresh::{self, Baseline, Options, Outcome};
use xtask::source::DEFAULT_URL;

const USAGE: &str = "\
usage: cargo xtask refresh-spec [--from <URL or FILE>] [--check] [--out <FILE>] [--against <FILE>]

Fetches the Seqera Platform OpenAPI schema, checks that the crate's build
accepts it, reports what changed for SDK users and replaces openapi.yaml.

  --from <URL or FILE>  the new schema (default: {DEFAULT_URL})
  --check               write nothing; exit 1 when the new schema differs
                        from the current one, 0 when it is the same
  --out <FILE>          the file to replace (default: openapi.yaml at the
                        workspace root; a symbolic link is replaced by a file)
  --against <FILE>      the current schema to compare with (default:
                        openapi.yaml at the workspace root)

Exit codes: 0 done (or same), 1 --check found a difference, 2 error.";

fn usage() -> String {
    USAGE.replace("{DEFAULT_URL}", DEFAULT_URL)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("refresh-spec") => {}
        Some("-h" | "--help" | "help") => {
            println!("{}", usage());
            return ExitCode::SUCCESS;
        }
        Some(other) => return usage_error(&format!("unknown task `{other}`")),
        None => return usage_error("no task given"),
    }
    let options = match parse_refresh_spec(&args[1..], &workspace_root()) {
        Ok(Parsed::Run(options)) => options,
        Ok(Parsed::Help) => {
            println!("{}", usage());
            return ExitCode::SUCCESS;
        }
        Err(e) => return usage_error(&e),
    };
    let stdout = std::io::stdout();
    match refresh::run(&options, &mut stdout.lock()) {
        Ok(Outcome::Written(_) | Outcome::Same) => ExitCode::SUCCESS,
        Ok(Outcome::Differs) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: refresh-spec: {e}");
            eprintln!(
                "nothing was written: {} is left as it was",
                options.out.display()
            );
            ExitCode::from(2)
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{}", usage());
    ExitCode::from(2)
}

/// The workspace root: the xtask crate sits right under it.
fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map_or_else(|| manifest.join(".."), Path::to_path_buf)
}

#[derive(Debug)]
enum Parsed {
    Run(Options),
    Help,
}

/// Parses the arguments after `refresh-spec` (`--flag value` or `--flag=value`).
fn parse_refresh_spec(args: &[String], root: &Path) -> Result<Parsed, String> {
    let vendored = root.join("openapi.yaml");
    let mut from = None;
    let mut out = None;
    let mut against = None;
    let mut check = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let slot = match flag {
            "-h" | "--help" => return Ok(Parsed::Help),
            "--check" if inline.is_none() => {
                check = true;
                continue;
            }
            "--from" => &mut from,
            "--out" => &mut out,
            "--against" => &mut against,
            _ => return Err(format!("unexpected argument `{arg}`")),
        };
        let value = match inline {
            Some(value) => value,
            None => args
                .next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))?,
        };
        if value.is_empty() {
            return Err(format!("{flag} needs a value"));
        }
        if slot.replace(value).is_some() {
            return Err(format!("{flag} given twice"));
        }
    }
    Ok(Parsed::Run(Options {
        from: from.unwrap_or_else(|| DEFAULT_URL.to_owned()),
        check,
        out: out.map_or_else(|| vendored.clone(), PathBuf::from),
        against: against.map_or(Baseline::Vendored(vendored), |p| {
            Baseline::File(PathBuf::from(p))
        }),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Parsed, String> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse_refresh_spec(&args, Path::new("/ws"))
    }

    fn options(args: &[&str]) -> Options {
        match parse(args) {
            Ok(Parsed::Run(options)) => options,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let o = options(&[]);
        assert_eq!(o.from, DEFAULT_URL);
        assert!(!o.check);
        assert_eq!(o.out, Path::new("/ws/openapi.yaml"));
        assert!(matches!(o.against, Baseline::Vendored(p) if p == Path::new("/ws/openapi.yaml")));
    }

    #[test]
    fn flags() {
        let o = options(&[
            "--from",
            "a.yaml",
            "--check",
            "--out=b.yaml",
            "--against",
            "c.yaml",
        ]);
        assert_eq!(o.from, "a.yaml");
        assert!(o.check);
        assert_eq!(o.out, Path::new("b.yaml"));
        assert!(matches!(o.against, Baseline::File(p) if p == Path::new("c.yaml")));
        assert!(matches!(parse(&["--help"]), Ok(Parsed::Help)));
    }

    #[test]
    fn bad_arguments() {
        for args in [
            &["--from"][..],
            &["--from", "a", "--from", "b"],
            &["--out="],
            &["--bogus"],
            &["positional"],
            &["--check=yes"],
        ] {
            assert!(parse(args).is_err(), "{args:?}");
        }
    }
}
