//! Encoding from a [`Source`]: known fields in declaration order (unset options left out),
//! then the record's `extra` keys.

use serde::ser::{self, Serialize, SerializeMap, SerializeSeq, Serializer};

use super::slot::{LenientRef, ListSlot, Source};
use super::Record;
use crate::wire::EncodedRef;

/// Encodes a record: what a generated struct's `Serialize` calls.
pub fn serialize<S: Serializer, T: Record>(record: &T, serializer: S) -> Result<S::Ok, S::Error> {
    RecordOut(record).serialize(serializer)
}

/// A record's fields: by the record's own type at the top, as `dyn Record` when nested.
struct RecordOut<'a, R: ?Sized>(&'a R);

impl<R: Record + ?Sized> Serialize for RecordOut<'_, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let record = self.0;
        let shape = record.shape();
        let present = (0..shape.fields.len())
            .filter(|&index| !matches!(record.source(index), Source::Absent))
            .count();
        let extra = match record.source(shape.fields.len()) {
            Source::Extra(extra) => Some(extra),
            _ => None,
        };
        let mut map = serializer.serialize_map(Some(present + extra.map_or(0, |e| e.len())))?;
        for (index, field) in shape.fields.iter().enumerate() {
            match record.source(index) {
                Source::Absent => {}
                source if field.encoded => {
                    map.serialize_entry(field.wire, &EncodedRef(&Out(source)))?;
                }
                source => map.serialize_entry(field.wire, &Out(source))?,
            }
        }
        for (key, value) in extra.into_iter().flatten() {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// One value, written as its type's own `Serialize` writes it.
struct Out<'a>(Source<'a>);

impl Serialize for Out<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Source::Absent => serializer.serialize_none(),
            Source::Str(text) => serializer.serialize_str(text),
            Source::Int(value) => serializer.serialize_i64(*value),
            Source::Float(value) => serializer.serialize_f64(*value),
            Source::Bool(value) => serializer.serialize_bool(*value),
            Source::Json(value) => value.serialize(serializer),
            Source::Extra(map) => map.serialize(serializer),
            Source::List(list) => ListOut(*list).serialize(serializer),
            Source::Record(record) => RecordOut(*record).serialize(serializer),
            Source::Union(union) => union
                .to_value()
                .map_err(ser::Error::custom)?
                .serialize(serializer),
            Source::Lenient(LenientRef::Texts(list)) => list.serialize(serializer),
            Source::Lenient(LenientRef::Ints(list)) => list.serialize(serializer),
            Source::Lenient(LenientRef::Floats(list)) => list.serialize(serializer),
            Source::Lenient(LenientRef::Bools(list)) => list.serialize(serializer),
            Source::Lenient(LenientRef::Jsons(list)) => list.serialize(serializer),
        }
    }
}

struct ListOut<'a>(&'a dyn ListSlot);

impl Serialize for ListOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let list = self.0;
        let mut seq = serializer.serialize_seq(Some(list.len()))?;
        for index in 0..list.len() {
            seq.serialize_element(&Out(list.item(index)))?;
        }
        seq.end()
    }
}
