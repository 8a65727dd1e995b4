//! Configuration defaults and the environment variables `tw` and Nextflow read.

/// The public Seqera Platform API.
pub const DEFAULT_ENDPOINT: &str = "https://api.cloud.seqera.io";

/// The API version sent in `Accept-Version` unless configured otherwise.
pub const DEFAULT_ACCEPT_VERSION: &str = "1";

/// Environment variable holding the access token.
pub const ENV_ACCESS_TOKEN: &str = "TOWER_ACCESS_TOKEN";

/// Environment variable holding the API endpoint.
pub const ENV_API_ENDPOINT: &str = "TOWER_API_ENDPOINT";

/// Environment variable holding the default workspace id.
pub const ENV_WORKSPACE_ID: &str = "TOWER_WORKSPACE_ID";

/// Reads an environment variable, treating an empty value as unset.
pub(crate) fn env_var(name: &str) -> Result<Option<String>, crate::Error> {
    match std::env::var(name) {
        Ok(v) if v.trim().is_empty() => Ok(None),
        Ok(v) => Ok(Some(v)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(crate::Error::Config(format!("{name} is not valid UTF-8")))
        }
    }
}

/// Parses a workspace id (a positive integer), naming `source` on failure.
pub(crate) fn parse_workspace_id(value: &str, source: &str) -> Result<i64, crate::Error> {
    value
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            crate::Error::Config(format!(
                "{source} must be a positive numeric workspace id, got {value:?}"
            ))
        })
}
