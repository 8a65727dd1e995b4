//! What changed between two versions of the schema, for SDK users.
//!
//! [`diff`] is a pure function over two parsed documents (JSON values, as
//! `seqera_tower_codegen::load::parse_schema` returns them). It never fails:
//! whatever is missing or malformed in a document is simply absent from the
//! comparison, so a missing current schema (`Value::Null`) reports everything
//! as added.
//!
//! Operations are matched by `operationId` (or `METHOD /path` when an
//! operation has none), schemas by their name under `components/schemas`.
//! Each entry is classified as breaking or not for code written against the
//! generated client:
//!
//! | change | breaking |
//! |---|---|
//! | operation, schema, optional parameter, field added | no |
//! | parameter now optional, enum value added | no |
//! | operation or schema removed | yes |
//! | method or path changed | yes |
//! | required parameter added, parameter removed, now required or retyped | yes |
//! | request body or 2xx response schema changed | yes |
//! | field removed or retyped, enum value removed | yes |

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use seqera_tower_codegen::rules::walk::{METHODS, is_success, resolve};
use serde_json::Value;

/// Whether an entry appeared, disappeared or differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Added,
    Removed,
    Changed,
}

impl Kind {
    fn sign(self) -> char {
        match self {
            Kind::Added => '+',
            Kind::Removed => '-',
            Kind::Changed => '~',
        }
    }
}

/// One difference inside a changed entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What changed, e.g. ``parameter `max` (query) removed``.
    pub text: String,
    /// Whether code written against the old schema may stop compiling or working.
    pub breaking: bool,
}

impl Change {
    fn breaking(text: String) -> Self {
        Self {
            text,
            breaking: true,
        }
    }

    fn compatible(text: String) -> Self {
        Self {
            text,
            breaking: false,
        }
    }
}

/// An operation or a schema that was added, removed or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: Kind,
    /// The operationId or the schema name.
    pub name: String,
    /// For operations, `METHOD /path` (the new one, or the old one when removed).
    pub location: Option<String>,
    /// The differences, for [`Kind::Changed`] entries.
    pub changes: Vec<Change>,
}

impl Entry {
    /// Whether this entry breaks SDK users.
    pub fn is_breaking(&self) -> bool {
        match self.kind {
            Kind::Added => false,
            Kind::Removed => true,
            Kind::Changed => self.changes.iter().any(|c| c.breaking),
        }
    }
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind.sign(), self.name)?;
        if let Some(location) = &self.location {
            write!(f, "  {location}")?;
        }
        if self.is_breaking() {
            write!(f, " (breaking)")?;
        }
        for (i, change) in self.changes.iter().enumerate() {
            let sep = if i == 0 { ": " } else { "; " };
            write!(f, "{sep}{}", change.text)?;
            if change.breaking {
                write!(f, " (breaking)")?;
            }
        }
        Ok(())
    }
}

/// Counts of one section of the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    /// Entries that break SDK users (removed ones and breaking changed ones).
    pub breaking: usize,
}

impl Counts {
    fn of(entries: &[Entry]) -> Self {
        let mut counts = Self::default();
        for entry in entries {
            match entry.kind {
                Kind::Added => counts.added += 1,
                Kind::Removed => counts.removed += 1,
                Kind::Changed => counts.changed += 1,
            }
            if entry.is_breaking() {
                counts.breaking += 1;
            }
        }
        counts
    }
}

/// The differences between two schemas.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Added, then removed, then changed operations, each sorted by name.
    pub operations: Vec<Entry>,
    /// Added, then removed, then changed schemas, each sorted by name.
    pub schemas: Vec<Entry>,
}

impl Report {
    pub fn operation_counts(&self) -> Counts {
        Counts::of(&self.operations)
    }

    pub fn schema_counts(&self) -> Counts {
        Counts::of(&self.schemas)
    }

    /// True when no operation and no schema differs (documentation-only
    /// changes are not reported).
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty() && self.schemas.is_empty()
    }

    /// `N operations added, M removed, K changed (B breaking)`, where B counts
    /// the removed operations and the changed ones with a breaking change.
    pub fn summary_line(&self) -> String {
        let c = self.operation_counts();
        format!(
            "{} operations added, {} removed, {} changed ({} breaking)",
            c.added, c.removed, c.changed, c.breaking
        )
    }

    /// The same line for `components/schemas`.
    pub fn schema_summary_line(&self) -> String {
        let c = self.schema_counts();
        format!(
            "{} schemas added, {} removed, {} changed ({} breaking)",
            c.added, c.removed, c.changed, c.breaking
        )
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Operations:")?;
        if self.operations.is_empty() {
            writeln!(f, "  (no change)")?;
        }
        for entry in &self.operations {
            writeln!(f, "{entry}")?;
        }
        writeln!(f)?;
        writeln!(f, "Schemas:")?;
        if self.schemas.is_empty() {
            writeln!(f, "  (no change)")?;
        }
        for entry in &self.schemas {
            writeln!(f, "{entry}")?;
        }
        writeln!(f)?;
        writeln!(f, "{}", self.schema_summary_line())?;
        writeln!(f, "{}", self.summary_line())
    }
}

/// Compares the `old` schema with the `new` one.
pub fn diff(old: &Value, new: &Value) -> Report {
    Report {
        operations: diff_operations(old, new),
        schemas: diff_schemas(old, new),
    }
}

// ---------------------------------------------------------------------------
// Operations

#[derive(Debug, PartialEq)]
struct Operation {
    method: String,
    path: String,
    /// `(location, name)` → parameter.
    params: BTreeMap<(String, String), Param>,
    request: Option<Body>,
    /// 2xx status → media type → schema (documentation stripped).
    responses: BTreeMap<String, BTreeMap<String, Value>>,
}

impl Operation {
    fn location(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }
}

#[derive(Debug, PartialEq)]
struct Param {
    required: bool,
    schema: Value,
}

#[derive(Debug, PartialEq)]
struct Body {
    required: bool,
    /// Media type → schema (documentation stripped).
    content: BTreeMap<String, Value>,
}

fn operations(spec: &Value) -> BTreeMap<String, Operation> {
    let mut out = BTreeMap::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let item = resolve(spec, item);
        let shared = item.get("parameters");
        for method in METHODS {
            let Some(op) = item.get(method).filter(|op| op.is_object()) else {
                continue;
            };
            let location = format!("{} {path}", method.to_uppercase());
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .map_or_else(|| location.clone(), str::to_owned);
            // A duplicated operationId (invalid, but possible) keeps both.
            let id = if out.contains_key(&id) {
                format!("{id} ({location})")
            } else {
                id
            };
            let mut params = BTreeMap::new();
            for list in [shared, op.get("parameters")] {
                for param in list.and_then(Value::as_array).into_iter().flatten() {
                    let param = resolve(spec, param);
                    let (Some(name), Some(place)) = (
                        param.get("name").and_then(Value::as_str),
                        param.get("in").and_then(Value::as_str),
                    ) else {
                        continue;
                    };
                    params.insert(
                        (place.to_owned(), name.to_owned()),
                        Param {
                            required: param.get("required").and_then(Value::as_bool) == Some(true),
                            schema: strip_docs(param.get("schema").unwrap_or(&Value::Null)),
                        },
                    );
                }
            }
            let request = op.get("requestBody").map(|body| {
                let body = resolve(spec, body);
                Body {
                    required: body.get("required").and_then(Value::as_bool) == Some(true),
                    content: content(body),
                }
            });
            let responses = op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter(|(code, _)| is_success(code))
                .map(|(code, response)| (code.clone(), content(resolve(spec, response))))
                .collect();
            out.insert(
                id,
                Operation {
                    method: method.to_owned(),
                    path: path.clone(),
                    params,
                    request,
                    responses,
                },
            );
        }
    }
    out
}

/// Media type → schema of a request body or a response.
fn content(holder: &Value) -> BTreeMap<String, Value> {
    holder
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(media, m)| {
            (
                media.clone(),
                strip_docs(m.get("schema").unwrap_or(&Value::Null)),
            )
        })
        .collect()
}

fn diff_operations(old: &Value, new: &Value) -> Vec<Entry> {
    let old = operations(old);
    let new = operations(new);
    let mut added = Vec::new();
    let mut removed = Vec::new();
    let mut changed = Vec::new();
    for (id, op) in &new {
        match old.get(id) {
            None => added.push(Entry {
                kind: Kind::Added,
                name: id.clone(),
                location: Some(op.location()),
                changes: Vec::new(),
            }),
            Some(before) => {
                let changes = operation_changes(before, op);
                if !changes.is_empty() {
                    changed.push(Entry {
                        kind: Kind::Changed,
                        name: id.clone(),
                        location: Some(op.location()),
                        changes,
                    });
                }
            }
        }
    }
    for (id, op) in &old {
        if !new.contains_key(id) {
            removed.push(Entry {
                kind: Kind::Removed,
                name: id.clone(),
                location: Some(op.location()),
                changes: Vec::new(),
            });
        }
    }
    added.extend(removed);
    added.extend(changed);
    added
}

fn operation_changes(old: &Operation, new: &Operation) -> Vec<Change> {
    let mut changes = Vec::new();
    if old.method != new.method || old.path != new.path {
        changes.push(Change::breaking(format!(
            "moved from {} to {}",
            old.location(),
            new.location()
        )));
    }

    for ((place, name), param) in &new.params {
        let what = format!("parameter `{name}` ({place})");
        match old.params.get(&(place.clone(), name.clone())) {
            None if param.required => {
                changes.push(Change::breaking(format!("required {what} added")));
            }
            None => changes.push(Change::compatible(format!("optional {what} added"))),
            Some(before) => {
                if param.required && !before.required {
                    changes.push(Change::breaking(format!("{what} now required")));
                } else if !param.required && before.required {
                    changes.push(Change::compatible(format!("{what} now optional")));
                }
                let (was, is) = (type_label(&before.schema), type_label(&param.schema));
                if was != is {
                    changes.push(Change::breaking(format!("{what} retyped: {was} → {is}")));
                }
            }
        }
    }
    for (place, name) in old.params.keys() {
        if !new.params.contains_key(&(place.clone(), name.clone())) {
            changes.push(Change::breaking(format!(
                "parameter `{name}` ({place}) removed"
            )));
        }
    }

    match (&old.request, &new.request) {
        (None, None) => {}
        (None, Some(body)) if body.required => changes.push(Change::breaking(format!(
            "required request body added: {}",
            content_label(&body.content)
        ))),
        (None, Some(body)) => changes.push(Change::compatible(format!(
            "optional request body added: {}",
            content_label(&body.content)
        ))),
        (Some(_), None) => changes.push(Change::breaking("request body removed".into())),
        (Some(before), Some(body)) => {
            if before.content != body.content {
                changes.push(Change::breaking(format!(
                    "request body changed: {}",
                    content_change(&before.content, &body.content)
                )));
            }
            if body.required && !before.required {
                changes.push(Change::breaking("request body now required".into()));
            }
        }
    }

    let codes: BTreeSet<&String> = old.responses.keys().chain(new.responses.keys()).collect();
    for code in codes {
        match (old.responses.get(code), new.responses.get(code)) {
            (Some(before), Some(after)) if before != after => {
                changes.push(Change::breaking(format!(
                    "response {code} changed: {}",
                    content_change(before, after)
                )));
            }
            (Some(_), None) => {
                changes.push(Change::breaking(format!("response {code} removed")));
            }
            (None, Some(after)) => changes.push(Change::breaking(format!(
                "response {code} added: {}",
                content_label(after)
            ))),
            _ => {}
        }
    }
    changes
}

/// `A → B` for two contents, or a note that only inline details differ.
fn content_change(old: &BTreeMap<String, Value>, new: &BTreeMap<String, Value>) -> String {
    let (was, is) = (content_label(old), content_label(new));
    if was == is {
        format!("{is} (inline schema differs)")
    } else {
        format!("{was} → {is}")
    }
}

/// A short label of a request or response content: the schema's label, with
/// the media types when there are several or when it is not JSON.
fn content_label(content: &BTreeMap<String, Value>) -> String {
    match content.len() {
        0 => "no body".into(),
        1 => content
            .iter()
            .map(|(media, schema)| {
                if media == "application/json" {
                    type_label(schema)
                } else {
                    format!("{media} {}", type_label(schema))
                }
            })
            .collect(),
        _ => content
            .iter()
            .map(|(media, schema)| format!("{media} {}", type_label(schema)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

// ---------------------------------------------------------------------------
// Schemas

fn diff_schemas(old: &Value, new: &Value) -> Vec<Entry> {
    let empty = serde_json::Map::new();
    let schemas = |spec: &Value| {
        spec.pointer("/components/schemas")
            .and_then(Value::as_object)
            .unwrap_or(&empty)
            .clone()
    };
    let (old, new) = (schemas(old), schemas(new));
    let mut added: Vec<&String> = new.keys().filter(|k| !old.contains_key(*k)).collect();
    let mut removed: Vec<&String> = old.keys().filter(|k| !new.contains_key(*k)).collect();
    added.sort();
    removed.sort();
    let entry = |kind, name: &String| Entry {
        kind,
        name: name.clone(),
        location: None,
        changes: Vec::new(),
    };
    let mut out: Vec<Entry> = added.into_iter().map(|n| entry(Kind::Added, n)).collect();
    out.extend(removed.into_iter().map(|n| entry(Kind::Removed, n)));
    let mut both: Vec<(&String, &Value)> =
        new.iter().filter(|(k, _)| old.contains_key(*k)).collect();
    both.sort_by(|a, b| a.0.cmp(b.0));
    for (name, schema) in both {
        let Some(before) = old.get(name) else {
            continue;
        };
        let changes = schema_changes(before, schema);
        if !changes.is_empty() {
            out.push(Entry {
                kind: Kind::Changed,
                name: name.clone(),
                location: None,
                changes,
            });
        }
    }
    out
}

fn schema_changes(old: &Value, new: &Value) -> Vec<Change> {
    let mut changes = Vec::new();
    let (was, is) = (type_label(old), type_label(new));
    if was != is {
        changes.push(Change::breaking(format!("type changed: {was} → {is}")));
    }

    let (before, after) = (fields(old), fields(new));
    for (name, field) in &after {
        match before.get(name) {
            None => changes.push(Change::compatible(format!(
                "field `{name}` added ({})",
                type_label(field)
            ))),
            Some(prev) => {
                let (was, is) = (type_label(prev), type_label(field));
                if was != is {
                    changes.push(Change::breaking(format!(
                        "field `{name}` retyped: {was} → {is}"
                    )));
                }
            }
        }
    }
    for name in before.keys() {
        if !after.contains_key(name) {
            changes.push(Change::breaking(format!("field `{name}` removed")));
        }
    }

    let (before, after) = (enum_values(old), enum_values(new));
    let added: Vec<&String> = after.difference(&before).collect();
    let removed: Vec<&String> = before.difference(&after).collect();
    if !added.is_empty() {
        changes.push(Change::compatible(format!(
            "enum values added: {}",
            join(&added)
        )));
    }
    if !removed.is_empty() {
        changes.push(Change::breaking(format!(
            "enum values removed: {}",
            join(&removed)
        )));
    }
    changes
}

fn join(values: &[&String]) -> String {
    values
        .iter()
        .map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The properties of an object schema, including those of inline `allOf`
/// members (referenced members are compared as schemas of their own).
fn fields(schema: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let inline_members = schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|m| m.get("$ref").is_none());
    for holder in std::iter::once(schema).chain(inline_members) {
        if let Some(props) = holder.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                out.insert(name.clone(), prop.clone());
            }
        }
    }
    out
}

fn enum_values(schema: &Value) -> BTreeSet<String> {
    schema
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Labels

/// A short description of a schema's type: a `$ref` by name, otherwise its
/// `type` and `format`, with the item type of arrays and the value type of
/// maps. Two schemas with different labels are "retyped".
pub fn type_label(schema: &Value) -> String {
    type_label_at(schema, 0)
}

fn type_label_at(schema: &Value, depth: usize) -> String {
    if depth > 16 {
        return "…".into();
    }
    let Some(obj) = schema.as_object() else {
        return if schema.is_null() {
            "none".into()
        } else {
            "any".into()
        };
    };
    if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_owned();
    }
    for (key, sep) in [("allOf", " & "), ("oneOf", " | "), ("anyOf", " | ")] {
        if let Some(members) = obj.get(key).and_then(Value::as_array) {
            let labels: Vec<String> = members
                .iter()
                .map(|m| type_label_at(m, depth + 1))
                .collect();
            return match labels.len() {
                1 => labels.into_iter().collect(),
                _ => format!("{key}({})", labels.join(sep)),
            };
        }
    }
    let format = obj.get("format").and_then(Value::as_str);
    match obj.get("type").and_then(Value::as_str) {
        Some("array") => format!(
            "array<{}>",
            obj.get("items")
                .map_or_else(|| "any".into(), |i| type_label_at(i, depth + 1))
        ),
        Some("object") | None
            if obj.get("properties").is_none()
                && obj
                    .get("additionalProperties")
                    .is_some_and(Value::is_object) =>
        {
            format!(
                "map<{}>",
                obj.get("additionalProperties")
                    .map_or_else(|| "any".into(), |v| type_label_at(v, depth + 1))
            )
        }
        Some(t) => match format {
            Some(f) => format!("{t}({f})"),
            None => t.to_owned(),
        },
        None if obj.contains_key("properties") => "object".into(),
        None => "any".into(),
    }
}

/// The schema without its documentation (`description`, `example`…), so that
/// re-worded docs are not reported as schema changes.
fn strip_docs(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| {
                    !matches!(
                        k.as_str(),
                        "description" | "example" | "examples" | "externalDocs" | "summary"
                    )
                })
                .map(|(k, v)| (k.clone(), strip_docs(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(strip_docs).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(paths: Value, schemas: Value) -> Value {
        json!({
            "openapi": "3.0.1",
            "info": { "title": "t", "version": "1" },
            "paths": paths,
            "components": { "schemas": schemas },
        })
    }

    fn get(id: &str, params: Value, response: Value) -> Value {
        json!({ "get": {
            "operationId": id,
            "parameters": params,
            "responses": { "200": { "description": "ok", "content": { "application/json": { "schema": response } } } },
        }})
    }

    fn names(entries: &[Entry], kind: Kind) -> Vec<&str> {
        entries
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.name.as_str())
            .collect()
    }

    #[test]
    fn identical_documents_have_no_changes() {
        let a = spec(
            json!({ "/a": get("A", json!([]), json!({ "$ref": "#/components/schemas/X" })) }),
            json!({ "X": { "type": "object", "properties": { "f": { "type": "string" } } } }),
        );
        let report = diff(&a, &a);
        assert!(report.is_empty());
        assert_eq!(
            report.summary_line(),
            "0 operations added, 0 removed, 0 changed (0 breaking)"
        );
    }

    #[test]
    fn added_and_removed_operations_and_schemas() {
        let old = spec(
            json!({ "/a": get("A", json!([]), json!({})), "/b": get("B", json!([]), json!({})) }),
            json!({ "Old": { "type": "string" }, "Kept": { "type": "string" } }),
        );
        let new = spec(
            json!({ "/a": get("A", json!([]), json!({})), "/c": get("C", json!([]), json!({})) }),
            json!({ "New": { "type": "string" }, "Kept": { "type": "string" } }),
        );
        let report = diff(&old, &new);
        assert_eq!(names(&report.operations, Kind::Added), ["C"]);
        assert_eq!(names(&report.operations, Kind::Removed), ["B"]);
        assert_eq!(names(&report.schemas, Kind::Added), ["New"]);
        assert_eq!(names(&report.schemas, Kind::Removed), ["Old"]);
        assert_eq!(
            report.summary_line(),
            "1 operations added, 1 removed, 0 changed (1 breaking)"
        );
        let text = report.to_string();
        assert!(text.contains("\n+ C  GET /c\n"), "{text}");
        assert!(text.contains("\n- B  GET /b (breaking)\n"), "{text}");
        assert!(text.contains("\n- Old (breaking)\n"), "{text}");
        assert!(text.contains("\n+ New\n"), "{text}");
    }

    #[test]
    fn everything_is_added_against_nothing() {
        let new = spec(
            json!({ "/a": get("A", json!([]), json!({})) }),
            json!({ "X": {} }),
        );
        let report = diff(&Value::Null, &new);
        assert_eq!(report.operation_counts().added, 1);
        assert_eq!(report.schema_counts().added, 1);
        assert_eq!(report.operation_counts().breaking, 0);
    }

    #[test]
    fn parameter_changes_are_classified() {
        let p = |name: &str, required: bool, ty: &str| json!({ "name": name, "in": "query", "required": required, "schema": { "type": ty } });
        let old = spec(
            json!({ "/a": get("A", json!([p("gone", false, "string"), p("tight", false, "string"), p("typed", false, "string")]), json!({})) }),
            json!({}),
        );
        let new = spec(
            json!({ "/a": get("A", json!([p("opt", false, "string"), p("tight", true, "string"), p("typed", false, "integer")]), json!({})) }),
            json!({}),
        );
        let report = diff(&old, &new);
        assert_eq!(report.operations.len(), 1);
        let entry = &report.operations[0];
        assert_eq!(entry.kind, Kind::Changed);
        let find = |needle: &str| {
            entry
                .changes
                .iter()
                .find(|c| c.text.contains(needle))
                .unwrap_or_else(|| panic!("no change mentions {needle}: {entry}"))
        };
        assert!(!find("optional parameter `opt`").breaking);
        assert!(find("`gone` (query) removed").breaking);
        assert!(find("`tight` (query) now required").breaking);
        assert!(find("`typed` (query) retyped: string → integer").breaking);
        assert!(entry.to_string().starts_with("~ A  GET /a (breaking): "));

        // Only an optional parameter added: changed, not breaking.
        let newer = spec(
            json!({ "/a": get("A", json!([p("gone", false, "string"), p("tight", false, "string"), p("typed", false, "string"), p("more", false, "string")]), json!({})) }),
            json!({}),
        );
        let report = diff(&old, &newer);
        assert_eq!(
            report.summary_line(),
            "0 operations added, 0 removed, 1 changed (0 breaking)"
        );
        // A required parameter added is breaking.
        let newest = spec(
            json!({ "/a": get("A", json!([p("gone", false, "string"), p("tight", false, "string"), p("typed", false, "string"), p("more", true, "string")]), json!({})) }),
            json!({}),
        );
        assert_eq!(diff(&old, &newest).operation_counts().breaking, 1);
    }

    #[test]
    fn path_level_and_referenced_parameters_count() {
        let mut old = spec(json!({ "/a": get("A", json!([]), json!({})) }), json!({}));
        let mut new = old.clone();
        new["paths"]["/a"]["parameters"] = json!([{ "$ref": "#/components/parameters/Ws" }]);
        new["components"]["parameters"] = json!({ "Ws": { "name": "workspaceId", "in": "query", "schema": { "type": "integer" } } });
        let report = diff(&old, &new);
        assert_eq!(report.operations.len(), 1);
        assert_eq!(
            report.operations[0].changes[0].text,
            "optional parameter `workspaceId` (query) added"
        );
        // Documentation-only changes are not changes.
        old["paths"]["/a"]["get"]["description"] = json!("old words");
        new["paths"]["/a"]["get"]["description"] = json!("new words");
        new["components"]["parameters"]["Ws"]["description"] = json!("doc");
        assert_eq!(diff(&old, &new).operations.len(), 1);
    }

    #[test]
    fn moved_operations_and_changed_bodies_are_breaking() {
        let old = spec(
            json!({ "/a": get("A", json!([]), json!({ "$ref": "#/components/schemas/X" })) }),
            json!({}),
        );
        let new = spec(
            json!({ "/b": get("A", json!([]), json!({ "$ref": "#/components/schemas/Y" })) }),
            json!({}),
        );
        let report = diff(&old, &new);
        let text = report.operations[0].to_string();
        assert!(
            text.contains("moved from GET /a to GET /b (breaking)"),
            "{text}"
        );
        assert!(
            text.contains("response 200 changed: X → Y (breaking)"),
            "{text}"
        );

        let with_body = |schema: Value| {
            let mut s = old.clone();
            s["paths"]["/a"]["get"]["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": schema } } });
            s
        };
        let a = with_body(json!({ "type": "object", "properties": { "n": { "type": "string" } } }));
        let b =
            with_body(json!({ "type": "object", "properties": { "n": { "type": "integer" } } }));
        let report = diff(&a, &b);
        assert_eq!(report.operation_counts().breaking, 1);
        assert!(
            report.operations[0].changes[0]
                .text
                .contains("inline schema differs"),
            "{report}"
        );
        assert!(diff(&old, &a).operations[0].changes[0].breaking);
        assert!(diff(&a, &old).operations[0].changes[0].breaking);
    }

    #[test]
    fn schema_fields_are_compared() {
        let old = spec(
            json!({}),
            json!({ "X": { "type": "object", "properties": {
                "kept": { "type": "string" },
                "gone": { "type": "string" },
                "retyped": { "type": "array", "items": { "$ref": "#/components/schemas/A" } },
                "when": { "type": "string", "format": "date-time" },
            }}, "E": { "type": "string", "enum": ["a", "b"] } }),
        );
        let new = spec(
            json!({}),
            json!({ "X": { "type": "object", "properties": {
                "kept": { "type": "string", "description": "now documented" },
                "new": { "type": "integer", "format": "int64" },
                "retyped": { "type": "array", "items": { "$ref": "#/components/schemas/B" } },
                "when": { "type": "string" },
            }}, "E": { "type": "string", "enum": ["b", "c"] } }),
        );
        let report = diff(&old, &new);
        let text = report.to_string();
        assert!(
            text.contains(
                "~ E (breaking): enum values added: c; enum values removed: a (breaking)"
            ),
            "{text}"
        );
        assert!(
            text.contains("field `new` added (integer(int64))"),
            "{text}"
        );
        assert!(text.contains("field `gone` removed (breaking)"), "{text}");
        assert!(
            text.contains("field `retyped` retyped: array<A> → array<B> (breaking)"),
            "{text}"
        );
        assert!(
            text.contains("field `when` retyped: string(date-time) → string (breaking)"),
            "{text}"
        );
        assert!(!text.contains("`kept`"), "{text}");
        assert!(text.contains("0 schemas added, 0 removed, 2 changed (2 breaking)"));
    }

    #[test]
    fn malformed_documents_do_not_panic() {
        for junk in [
            json!(null),
            json!("text"),
            json!([1, 2]),
            json!({ "paths": [] }),
            json!({ "paths": { "/a": { "get": "x", "post": { "parameters": [1, { "name": 2 }], "responses": [] } } } }),
            json!({ "components": { "schemas": { "X": { "properties": [], "allOf": {}, "enum": 3 } } } }),
        ] {
            let _ = diff(&junk, &junk).to_string();
            let _ = diff(&Value::Null, &junk).to_string();
            let _ = diff(&junk, &Value::Null).to_string();
        }
    }

    #[test]
    fn labels() {
        assert_eq!(
            type_label(&json!({ "$ref": "#/components/schemas/Foo" })),
            "Foo"
        );
        assert_eq!(
            type_label(&json!({ "type": "object", "additionalProperties": { "type": "string" } })),
            "map<string>"
        );
        assert_eq!(
            type_label(&json!({ "allOf": [{ "$ref": "#/components/schemas/Foo" }] })),
            "Foo"
        );
        assert_eq!(
            type_label(&json!({ "oneOf": [{ "$ref": "#/x/A" }, { "$ref": "#/x/B" }] })),
            "oneOf(A | B)"
        );
        assert_eq!(type_label(&json!({ "type": "array" })), "array<any>");
    }
}
