//! Replacing the schema file atomically.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `contents` to `target` through a temporary file in the same
/// directory, renamed over `target` once complete. A symbolic link at
/// `target` is replaced by a regular file (its destination is not touched).
/// On any error the temporary file is removed and `target` is left as it was.
pub fn replace(target: &Path, contents: &[u8]) -> Result<(), String> {
    let name = target
        .file_name()
        .ok_or_else(|| format!("{} does not name a file", target.display()))?;
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()) {
        return Err(format!("{} is a directory", target.display()));
    }

    let (tmp, mut file) = create_temporary(&dir, &name.to_string_lossy())?;
    let written = file
        .write_all(contents)
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", tmp.display()));
    drop(file);
    let result = written.and_then(|()| {
        fs::rename(&tmp, target).map_err(|e| {
            format!(
                "cannot move {} over {}: {e}",
                tmp.display(),
                target.display()
            )
        })
    });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Creates a new, empty temporary file beside the target (never reusing an
/// existing path).
fn create_temporary(dir: &Path, name: &str) -> Result<(PathBuf, fs::File), String> {
    let pid = std::process::id();
    let mut last_error = None;
    for attempt in 0..100 {
        let tmp = dir.join(format!(".{name}.refresh-spec-{pid}-{attempt}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last_error = Some(e),
            Err(e) => {
                return Err(format!(
                    "cannot create a temporary file in {}: {e}",
                    dir.display()
                ));
            }
        }
    }
    Err(format!(
        "cannot create a temporary file in {}: {}",
        dir.display(),
        last_error.map_or_else(|| "no free name".to_owned(), |e| e.to_string())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "xtask-write-{name}-{}-{:?}",
            std::process::id(),
            std::time::SystemTime::now()
        ));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_new_and_replaces_existing_files() {
        let dir = scratch("files");
        let target = dir.join("openapi.yaml");
        replace(&target, b"one").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"one");
        replace(&target, b"two").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"two");
        assert_eq!(entries(&dir), ["openapi.yaml"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn replaces_a_link_not_its_destination() {
        let dir = scratch("link");
        let destination = dir.join("vendored.yaml");
        fs::write(&destination, b"old").unwrap();
        let link = dir.join("openapi.yaml");
        std::os::unix::fs::symlink(&destination, &link).unwrap();
        replace(&link, b"new").unwrap();
        assert!(!fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(fs::read(&link).unwrap(), b"new");
        assert_eq!(fs::read(&destination).unwrap(), b"old");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn failures_leave_nothing_behind() {
        let dir = scratch("fail");
        let target = dir.join("sub");
        fs::create_dir(&target).unwrap();
        assert!(replace(&target, b"x").is_err());
        assert!(replace(&dir.join("missing/openapi.yaml"), b"x").is_err());
        assert_eq!(entries(&dir), ["sub"]);
        fs::remove_dir_all(&dir).unwrap();
    }
}
