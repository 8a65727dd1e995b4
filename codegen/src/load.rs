//! Reading a schema file into a JSON value.

use std::path::Path;

/// Reads `path` (YAML or JSON) into a JSON value.
pub fn read_schema(path: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the schema at {}: {e}", path.display()))?;
    parse_schema(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses schema text (YAML, of which JSON is a subset).
pub fn parse_schema(text: &str) -> Result<serde_json::Value, String> {
    serde_yaml_ng::from_str(text).map_err(|e| format!("not valid YAML or JSON: {e}"))
}
