//! Helpers generated code uses to write and read wire forms.

use std::borrow::Cow;
use std::fmt::{self, Display};

use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::{Serialize, Serializer};

/// Serializes a value as a JSON string of its `Display` text, for params sent `as: string`
/// (`"contact_id": "12345"`).
#[derive(Debug, Clone, Copy)]
pub struct AsString<'a, T: Display + ?Sized>(pub &'a T);

impl<T: Display + ?Sized> Serialize for AsString<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self.0)
    }
}

/// `serialize_with` form of [`AsString`]: writes `value` as a string.
pub fn as_string<T: Display, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

/// `serialize_with` form of [`AsString`] for optional params: writes `Some(v)` as a string and
/// `None` as `null` (pair it with `skip_serializing_if = "Option::is_none"`).
pub fn as_string_opt<T: Display, S: Serializer>(
    value: &Option<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => serializer.collect_str(v),
        None => serializer.serialize_none(),
    }
}

/// A key of a JSON object, borrowed from the input when it can be: what generated
/// `visit_map` code matches field names against without allocating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key<'de>(Cow<'de, str>);

impl<'de> Key<'de> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key as an owned string, for keeping an unknown field.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// Reads the wire value of an integer enum: a number, or a string holding one (`4` or `"4"`).
pub fn int_enum<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(IntEnumVisitor)
}

/// Reads the wire value of a string enum: a string, or a number or boolean as its text.
pub fn str_enum<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    <String as crate::lenient::LenientDe>::deserialize_lenient(d)
}

struct IntEnumVisitor;

impl Visitor<'_> for IntEnumVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer enum value (a number or a string holding one)")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        let in_range = (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&v);
        if v.fract() == 0.0 && in_range {
            Ok(v as i64)
        } else {
            Err(E::invalid_value(Unexpected::Float(v), &self))
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(Unexpected::Str(v), &self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Serialize)]
    struct Body<'a> {
        contact_id: AsString<'a, u64>,
        #[serde(serialize_with = "as_string")]
        id: u64,
        #[serde(
            serialize_with = "as_string_opt",
            skip_serializing_if = "Option::is_none"
        )]
        other: Option<i64>,
        #[serde(
            serialize_with = "as_string_opt",
            skip_serializing_if = "Option::is_none"
        )]
        absent: Option<i64>,
    }

    #[test]
    fn as_string_writes_strings() {
        let body = Body {
            contact_id: AsString(&12345),
            id: 7,
            other: Some(-1),
            absent: None,
        };
        assert_eq!(
            serde_json::to_value(&body).ok(),
            Some(json!({"contact_id": "12345", "id": "7", "other": "-1"}))
        );
        assert_eq!(
            serde_json::to_string(&AsString("x")).ok().as_deref(),
            Some("\"x\"")
        );
    }

    fn int(v: serde_json::Value) -> Result<i64, String> {
        int_enum(v).map_err(|e| e.to_string())
    }

    #[test]
    fn int_enum_accepts_numbers_and_numeric_strings() {
        assert_eq!(int(json!(4)), Ok(4));
        assert_eq!(int(json!("13")), Ok(13));
        assert_eq!(int(json!(-2)), Ok(-2));
        assert_eq!(int(json!(7.0)), Ok(7));
        let err = int(json!("shipped")).unwrap_err();
        assert!(
            err.contains("\"shipped\"") && err.contains("integer enum"),
            "{err}"
        );
        let err = int(json!(true)).unwrap_err();
        assert!(err.contains("boolean"), "{err}");
        assert!(int(json!(u64::MAX)).is_err());
    }

    #[test]
    fn str_enum_accepts_strings_and_scalars() {
        assert_eq!(str_enum(json!("ios")).ok().as_deref(), Some("ios"));
        assert_eq!(str_enum(json!(3)).ok().as_deref(), Some("3"));
        let err = str_enum(json!([1])).map_err(|e| e.to_string()).unwrap_err();
        assert!(
            err.contains("sequence") && err.contains("a string"),
            "{err}"
        );
    }
}
