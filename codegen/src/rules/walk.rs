//! Helpers to visit the operations and schemas of a JSON-form OpenAPI document.

use serde_json::{Map, Value};

/// The HTTP methods an OpenAPI path item may hold.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation, as found under `paths`.
pub struct OperationRef<'a> {
    pub path: &'a str,
    pub method: &'static str,
    pub id: String,
    pub op: &'a mut Map<String, Value>,
}

/// Calls `f` on every operation of the document.
pub fn for_each_operation(spec: &mut Value, mut f: impl FnMut(OperationRef<'_>)) {
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for method in METHODS {
            let Some(op) = item.get_mut(method).and_then(Value::as_object_mut) else {
                continue;
            };
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| format!("{} {path}", method.to_uppercase()));
            f(OperationRef {
                path,
                method,
                id,
                op,
            });
        }
    }
}

/// Calls `rewrite` on every parameter listed on an operation and returns
/// `OperationId.name` for each one it reports rewritten (`true`).
pub fn rewrite_parameters(
    spec: &mut Value,
    mut rewrite: impl FnMut(&mut Map<String, Value>) -> bool,
) -> Vec<String> {
    let mut touched = Vec::new();
    for_each_operation(spec, |op| {
        let Some(params) = op.op.get_mut("parameters").and_then(Value::as_array_mut) else {
            return;
        };
        for param in params.iter_mut().filter_map(Value::as_object_mut) {
            if rewrite(param) {
                let name = param.get("name").and_then(Value::as_str).unwrap_or("?");
                touched.push(format!("{}.{name}", op.id));
            }
        }
    });
    touched
}

/// Resolves a local `$ref` (`#/components/schemas/X`) to the schema it names,
/// following chains of references.
pub fn resolve<'a>(spec: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..32 {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| spec.pointer(p)) {
                Some(target) => schema = target,
                None => return schema,
            },
            None => return schema,
        }
    }
    schema
}

/// Like [`resolve`], but a reference that points outside the document or at
/// nothing is an error naming it (for callers that must not silently go on
/// with the `$ref` object itself).
pub fn try_resolve<'a>(spec: &'a Value, schema: &'a Value) -> Result<&'a Value, String> {
    let resolved = resolve(spec, schema);
    match resolved.get("$ref").and_then(Value::as_str) {
        Some(reference) if reference.starts_with('#') => {
            Err(format!("unresolved reference {reference}"))
        }
        Some(reference) => Err(format!("external reference {reference}")),
        None => Ok(resolved),
    }
}

/// The component name a `$ref` points to (`#/components/schemas/X` → `X`).
pub fn ref_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
}

/// True when `code` is a 2xx status (or the `2XX` range).
pub fn is_success(code: &str) -> bool {
    code.starts_with('2')
}
