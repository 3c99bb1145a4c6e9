//! JSON read with the keys of its objects in document order (`serde_json::Value` sorts them),
//! so that params and fields come out in the order the vendor wrote them.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;
use std::fmt;

/// A JSON value whose objects keep their keys in document order.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Ordered {
    /// `null`, a boolean, a number or a string.
    Scalar(Json),
    /// A list.
    Array(Vec<Ordered>),
    /// An object, its entries in document order.
    Object(Vec<(String, Ordered)>),
}

impl Ordered {
    /// Parses `text`, which must be one JSON value.
    pub(super) fn parse(text: &str) -> Result<Ordered, serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let value = Ordered::deserialize(&mut deserializer)?;
        deserializer.end()?;
        Ok(value)
    }

    /// The entries of an object.
    pub(super) fn entries(&self) -> Option<&[(String, Ordered)]> {
        match self {
            Ordered::Object(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value of `key` in an object (the last one, as JSON parsers read duplicates).
    pub(super) fn get(&self, key: &str) -> Option<&Ordered> {
        self.entries()?
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// The value as a `serde_json::Value`.
    pub(super) fn to_json(&self) -> Json {
        match self {
            Ordered::Scalar(value) => value.clone(),
            Ordered::Array(items) => Json::Array(items.iter().map(Ordered::to_json).collect()),
            Ordered::Object(entries) => Json::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Ordered, D::Error> {
        deserializer.deserialize_any(OrderedVisitor)
    }
}

struct OrderedVisitor;

impl<'de> Visitor<'de> for OrderedVisitor {
    type Value = Ordered;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(Json::Null))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(Json::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(Json::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(Json::from(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(
            serde_json::Number::from_f64(v).map_or(Json::Null, Json::Number),
        ))
    }

    fn visit_str<E>(self, v: &str) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(Json::String(v.to_string())))
    }

    fn visit_string<E>(self, v: String) -> Result<Ordered, E> {
        Ok(Ordered::Scalar(Json::String(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Ordered::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Ordered::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_document_order() {
        let value = Ordered::parse(r#"{"z": 1, "a": {"y": [true, null], "b": "x"}}"#).unwrap();
        let keys: Vec<&str> = value
            .entries()
            .unwrap()
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(keys, ["z", "a"]);
        let inner: Vec<&str> = value
            .get("a")
            .unwrap()
            .entries()
            .unwrap()
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(inner, ["y", "b"]);
        assert_eq!(
            value.to_json(),
            serde_json::json!({"z": 1, "a": {"y": [true, null], "b": "x"}})
        );
        assert!(Ordered::parse("{} x").is_err());
    }
}
