//! Where a new schema comes from: an `http(s)://` URL or a local file.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// The schema Seqera publishes for its cloud platform.
pub const DEFAULT_URL: &str = "https://cloud.seqera.io/openapi/seqera-api-latest.yml";

/// The published schema is about 0.6 MB: anything over this is not a schema.
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// A schema source given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Url(String),
    File(PathBuf),
}

impl Source {
    /// `http://…` and `https://…` are URLs, `file://…` and anything without a
    /// scheme are paths; any other scheme is refused.
    pub fn parse(arg: &str) -> Result<Self, String> {
        let lower = arg.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            Ok(Self::Url(arg.to_owned()))
        } else if let Some(path) = arg.strip_prefix("file://") {
            Ok(Self::File(PathBuf::from(path)))
        } else if let Some((scheme, _)) = arg.split_once("://")
            && !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        {
            Err(format!(
                "unsupported URL scheme `{scheme}` in `{arg}`: give an http(s):// URL or a file path"
            ))
        } else {
            Ok(Self::File(PathBuf::from(arg)))
        }
    }

    /// Downloads or reads the schema's text.
    pub fn fetch(&self) -> Result<String, String> {
        let bytes = match self {
            Self::Url(url) => download(url)?,
            Self::File(path) => std::fs::read(path)
                .map_err(|e| format!("cannot read the schema file {}: {e}", path.display()))?,
        };
        String::from_utf8(bytes)
            .map_err(|_| format!("{self} is not UTF-8 text, so it is not YAML or JSON"))
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Url(url) => f.write_str(url),
            Self::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// One blocking GET. Proxies are taken from the usual environment variables
/// (`HTTPS_PROXY`, `NO_PROXY`…); redirects are followed; a non-2xx status is
/// an error.
fn download(url: &str) -> Result<Vec<u8>, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(15)))
        .timeout_global(Some(Duration::from_secs(120)))
        .user_agent(concat!("seqera-tower-xtask/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent
        .get(url)
        .header(
            "Accept",
            "application/yaml, application/json;q=0.9, */*;q=0.5",
        )
        .call()
        .map_err(|e| match e {
            ureq::Error::StatusCode(code) => {
                format!("cannot download the schema from {url}: the server answered HTTP {code}")
            }
            other => format!("cannot download the schema from {url}: {other}"),
        })?;
    response
        .body_mut()
        .with_config()
        .limit(MAX_BYTES)
        .read_to_vec()
        .map_err(|e| format!("cannot download the schema from {url}: reading the body: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sources() {
        assert_eq!(
            Source::parse("https://x/y.yml"),
            Ok(Source::Url("https://x/y.yml".into()))
        );
        assert_eq!(
            Source::parse("HTTP://x/y.yml"),
            Ok(Source::Url("HTTP://x/y.yml".into()))
        );
        assert_eq!(
            Source::parse("file:///tmp/a.yaml"),
            Ok(Source::File("/tmp/a.yaml".into()))
        );
        assert_eq!(
            Source::parse("../a.yaml"),
            Ok(Source::File("../a.yaml".into()))
        );
        assert!(Source::parse("ftp://x/y").is_err());
    }
}
