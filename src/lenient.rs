//! Lenient field decoders used by the generated types.
//!
//! Real Tower servers send numbers as strings (`"exit": "0"`) and `null`
//! where the schema declares arrays. The code generator routes optional
//! numeric, boolean and date-time fields through [`scalar`] and defaulted
//! collections through [`null_as_default`]:
//!
//! * a number, boolean or RFC 3339 timestamp decodes as itself, and also
//!   from a string that parses as one (`"0"` → `0`, `"true"` → `true`);
//! * a value that cannot be read as the field's type (`"n/a"` for a number,
//!   an object for a boolean) decodes as `None` rather than failing the
//!   whole response: the field is absent to the caller;
//! * `null` for an array or a map decodes as empty;
//! * a `null` item of an array, or value of a map, is left out, as a
//!   `null` field is absent;
//! * in an array or map of scalars, each item is read as above, and an item
//!   that cannot be read is left out (`["1", "x", 3]` → `[1, 3]`).

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, Visitor};

/// A scalar a field can hold, read leniently.
#[doc(hidden)]
pub trait Scalar: Sized {
    /// From a JSON integer (none, unless the type is numeric).
    fn from_i64(_: i64) -> Option<Self> {
        None
    }
    /// From a JSON integer above `i64::MAX`.
    fn from_u64(_: u64) -> Option<Self> {
        None
    }
    /// From a JSON float.
    fn from_f64(_: f64) -> Option<Self> {
        None
    }
    /// From a JSON boolean.
    fn from_bool(_: bool) -> Option<Self> {
        None
    }
    /// From a JSON string.
    fn from_text(v: &str) -> Option<Self>;
}

macro_rules! integer {
    ($($t:ty),*) => {$(
        impl Scalar for $t {
            fn from_i64(v: i64) -> Option<Self> { <$t>::try_from(v).ok() }
            fn from_u64(v: u64) -> Option<Self> { <$t>::try_from(v).ok() }
            fn from_f64(v: f64) -> Option<Self> {
                // Only whole numbers in range: 3.0 is 3, 3.5 is not an integer.
                (v.fract() == 0.0 && v >= <$t>::MIN as f64 && v <= <$t>::MAX as f64).then(|| v as $t)
            }
            fn from_text(v: &str) -> Option<Self> {
                let v = v.trim();
                v.parse::<$t>().ok().or_else(|| v.parse::<f64>().ok().and_then(Self::from_f64))
            }
        }
    )*};
}
integer!(i8, i16, i32, i64, u8, u16, u32, u64);

macro_rules! float {
    ($($t:ty),*) => {$(
        impl Scalar for $t {
            fn from_i64(v: i64) -> Option<Self> { Some(v as $t) }
            fn from_u64(v: u64) -> Option<Self> { Some(v as $t) }
            fn from_f64(v: f64) -> Option<Self> { Some(v as $t) }
            fn from_text(v: &str) -> Option<Self> { v.trim().parse().ok() }
        }
    )*};
}
float!(f32, f64);

impl Scalar for bool {
    fn from_bool(v: bool) -> Option<Self> {
        Some(v)
    }
    fn from_text(v: &str) -> Option<Self> {
        match v.trim() {
            t if t.eq_ignore_ascii_case("true") => Some(true),
            t if t.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }
}

impl Scalar for chrono::DateTime<chrono::FixedOffset> {
    fn from_text(v: &str) -> Option<Self> {
        chrono::DateTime::parse_from_rfc3339(v.trim()).ok()
    }
}

struct ScalarVisitor<T>(PhantomData<T>);

impl<'de, T: Scalar> Visitor<'de> for ScalarVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scalar, a string holding one, or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        scalar(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(T::from_bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(T::from_i64(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(T::from_u64(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(T::from_f64(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(T::from_text(v))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// Decodes an optional scalar leniently (see the module docs).
#[doc(hidden)]
pub fn scalar<'de, D: Deserializer<'de>, T: Scalar>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    deserializer.deserialize_any(ScalarVisitor(PhantomData))
}

/// One item of a collection of scalars.
struct Item<T>(Option<T>);

impl<'de, T: Scalar> Deserialize<'de> for Item<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        scalar(deserializer).map(Item)
    }
}

/// Decodes an array of scalars leniently: `null` is empty, each item as
/// [`scalar`] reads it; an item that cannot be read is left out.
#[doc(hidden)]
pub fn scalar_vec<'de, D: Deserializer<'de>, T: Scalar>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    let items = Option::<Vec<Item<T>>>::deserialize(deserializer)?.unwrap_or_default();
    Ok(items.into_iter().filter_map(|i| i.0).collect())
}

/// Decodes a map of scalars leniently: `null` is empty, each value as
/// [`scalar`] reads it; an entry whose value cannot be read is left out.
#[doc(hidden)]
pub fn scalar_map<'de, D, K, T, M>(deserializer: D) -> Result<M, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Eq + std::hash::Hash + Ord,
    T: Scalar,
    M: Default + FromIterator<(K, T)>,
{
    let entries = Option::<std::collections::BTreeMap<K, Item<T>>>::deserialize(deserializer)?
        .unwrap_or_default();
    Ok(entries
        .into_iter()
        .filter_map(|(k, v)| v.0.map(|v| (k, v)))
        .collect())
}

/// Decodes an array: `null` is empty and `null` items are left out (a
/// `null` is the same as an absent value throughout the SDK).
#[doc(hidden)]
pub fn vec_skip_null<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    let items = Option::<Vec<Option<T>>>::deserialize(deserializer)?.unwrap_or_default();
    Ok(items.into_iter().flatten().collect())
}

/// Decodes a map: `null` is empty and entries whose value is `null` are
/// left out.
#[doc(hidden)]
pub fn map_skip_null<'de, D, K, T, M>(deserializer: D) -> Result<M, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Eq + std::hash::Hash + Ord,
    T: Deserialize<'de>,
    M: Default + FromIterator<(K, T)>,
{
    let entries = Option::<std::collections::BTreeMap<K, Option<T>>>::deserialize(deserializer)?
        .unwrap_or_default();
    Ok(entries
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect())
}

/// The `Option` forms of the collection decoders: `null` or absent is
/// `None`, anything else is decoded as the plain form decodes it.
macro_rules! optional {
    ($($(#[$doc:meta])* $name:ident => $plain:ident<$($g:ident),*> -> $out:ty where [$($bounds:tt)*];)*) => {$(
        $(#[$doc])*
        #[doc(hidden)]
        pub fn $name<'de, D: Deserializer<'de>, $($g),*>(deserializer: D) -> Result<Option<$out>, D::Error>
        where
            $($bounds)*
        {
            struct Wrap<$($g),*>($out, PhantomData<($($g,)*)>);
            impl<'de, $($g),*> Deserialize<'de> for Wrap<$($g),*>
            where
                $($bounds)*
            {
                fn deserialize<D2: Deserializer<'de>>(d: D2) -> Result<Self, D2::Error> {
                    $plain::<D2, $($g),*>(d).map(|v| Wrap(v, PhantomData))
                }
            }
            Ok(Option::<Wrap<$($g),*>>::deserialize(deserializer)?.map(|w| w.0))
        }
    )*};
}

optional! {
    /// `Option` form of [`scalar_vec`].
    opt_scalar_vec => scalar_vec<T> -> Vec<T> where [T: Scalar];
    /// `Option` form of [`vec_skip_null`].
    opt_vec_skip_null => vec_skip_null<T> -> Vec<T> where [T: Deserialize<'de>];
    /// `Option` form of [`scalar_map`].
    opt_scalar_map => scalar_map<K, T, M> -> M
        where [K: Deserialize<'de> + Eq + std::hash::Hash + Ord, T: Scalar, M: Default + FromIterator<(K, T)>];
    /// `Option` form of [`map_skip_null`].
    opt_map_skip_null => map_skip_null<K, T, M> -> M
        where [K: Deserialize<'de> + Eq + std::hash::Hash + Ord, T: Deserialize<'de>, M: Default + FromIterator<(K, T)>];
}

/// Decodes `null` as the type's default (an empty array or map).
#[doc(hidden)]
pub fn null_as_default<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(
    deserializer: D,
) -> Result<T, D::Error> {
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug, PartialEq)]
    struct S {
        #[serde(default, deserialize_with = "scalar")]
        n: Option<i64>,
        #[serde(default, deserialize_with = "scalar")]
        b: Option<bool>,
        #[serde(default, deserialize_with = "scalar")]
        f: Option<f64>,
        #[serde(default, deserialize_with = "null_as_default")]
        v: Vec<i64>,
    }

    fn s(json: &str) -> S {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn scalars_from_values_and_strings() {
        assert_eq!(
            s(r#"{"n": 3, "b": true, "f": 1.5}"#),
            S {
                n: Some(3),
                b: Some(true),
                f: Some(1.5),
                v: vec![]
            }
        );
        assert_eq!(
            s(r#"{"n": "0", "b": "false", "f": "2"}"#),
            S {
                n: Some(0),
                b: Some(false),
                f: Some(2.0),
                v: vec![]
            }
        );
        assert_eq!(s(r#"{"n": 4.0}"#).n, Some(4));
    }

    #[test]
    fn unreadable_values_become_none() {
        assert_eq!(
            s(r#"{"n": "n/a", "b": 1, "f": {"x": 1}, "v": null}"#),
            S {
                n: None,
                b: None,
                f: None,
                v: vec![]
            }
        );
        assert_eq!(s(r#"{"n": 4.5}"#).n, None);
        assert_eq!(
            s(r#"{"n": null, "b": null}"#),
            S {
                n: None,
                b: None,
                f: None,
                v: vec![]
            }
        );
        assert_eq!(
            s("{}"),
            S {
                n: None,
                b: None,
                f: None,
                v: vec![]
            }
        );
    }
}
