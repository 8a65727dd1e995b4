//! Query-string encodings the generated code cannot express on its own.

use serde::{Serialize, Serializer};

/// Serialises an array query parameter as one comma-separated value
/// (`attributes=labels,optimized`), as OpenAPI's `form` style with
/// `explode: false` requires. Used by the generated code for the parameters
/// the `comma-separated-arrays` rule marks.
#[doc(hidden)]
pub struct CommaSeparated<'a, V: ?Sized>(pub &'a V);

/// A value that can be written as a comma-separated list.
#[doc(hidden)]
pub trait CommaList {
    /// The items as strings, or `None` when the parameter is absent.
    fn items(&self) -> Option<Vec<String>>;
}

fn item_text<T: Serialize>(item: &T) -> String {
    // Items are strings, enums or numbers: serde_json gives their wire form.
    match serde_json::to_value(item) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(e) => format!("<unserialisable: {e}>"),
    }
}

impl<T: Serialize> CommaList for Vec<T> {
    fn items(&self) -> Option<Vec<String>> {
        Some(self.iter().map(item_text).collect())
    }
}

impl<T: Serialize> CommaList for Option<Vec<T>> {
    fn items(&self) -> Option<Vec<String>> {
        self.as_ref().and_then(CommaList::items)
    }
}

impl<V: CommaList + ?Sized> Serialize for CommaSeparated<'_, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.items() {
            Some(items) => serializer.serialize_str(&items.join(",")),
            None => serializer.serialize_none(),
        }
    }
}
