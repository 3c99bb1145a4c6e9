//! Encoding from a [`Source`]: known fields in declaration order (unset options left out),
//! then the record's `extra` keys.

use serde::ser::{self, Serialize, SerializeMap, SerializeSeq, Serializer};

use super::slot::{LenientRef, ListSlot, Source};
use super::{FieldForm, Record};
use crate::wire::{self, EncodedRef};

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
            match (record.source(index), field.form) {
                (Source::Absent, _) => {}
                (source, FieldForm::Encoded) => {
                    map.serialize_entry(field.wire, &EncodedRef(&Out(source, FieldForm::Natural)))?;
                }
                (source, form) => map.serialize_entry(field.wire, &Out(source, form))?,
            }
        }
        for (key, value) in extra.into_iter().flatten() {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// One value, written in its field's form: as its type's own `Serialize` writes it, or as the
/// JSON number or string the catalogue's `as` asks for. A nested record's fields follow its own
/// shape.
struct Out<'a>(Source<'a>, FieldForm);

impl Serialize for Out<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let form = self.1;
        match (&self.0, form) {
            // Only ids and times reach here as text under `Number`: the catalogue refuses
            // `as: number` on a string field.
            (Source::Str(text), FieldForm::Number) => wire::number_or_text(text, serializer),
            (Source::Bool(value), FieldForm::Number) => serializer.serialize_u8(u8::from(*value)),
            (Source::Float(value), FieldForm::Number) => wire::whole_or_float(*value, serializer),
            (Source::Int(value), FieldForm::Text) => serializer.collect_str(value),
            (Source::Float(value), FieldForm::Text) => serializer.collect_str(value),
            (Source::Bool(value), FieldForm::Text) => serializer.collect_str(value),
            (Source::Lenient(list), FieldForm::Number | FieldForm::Text) => {
                LenientOut(list, form).serialize(serializer)
            }
            (Source::Absent, _) => serializer.serialize_none(),
            (Source::Str(text), _) => serializer.serialize_str(text),
            (Source::Int(value), _) => serializer.serialize_i64(*value),
            (Source::Float(value), _) => serializer.serialize_f64(*value),
            (Source::Bool(value), _) => serializer.serialize_bool(*value),
            (Source::Json(value), _) => value.serialize(serializer),
            (Source::Extra(map), _) => map.serialize(serializer),
            (Source::List(list), _) => ListOut(*list, form).serialize(serializer),
            (Source::Record(record), _) => RecordOut(*record).serialize(serializer),
            (Source::Union(union), _) => union
                .to_value()
                .map_err(ser::Error::custom)?
                .serialize(serializer),
            (Source::Lenient(LenientRef::Texts(list)), _) => list.serialize(serializer),
            (Source::Lenient(LenientRef::Ints(list)), _) => list.serialize(serializer),
            (Source::Lenient(LenientRef::Floats(list)), _) => list.serialize(serializer),
            (Source::Lenient(LenientRef::Bools(list)), _) => list.serialize(serializer),
            (Source::Lenient(LenientRef::Jsons(list)), _) => list.serialize(serializer),
        }
    }
}

/// A list of scalars in a form other than their own: each item written as [`Out`] writes one.
struct LenientOut<'a, 'b>(&'b LenientRef<'a>, FieldForm);

impl Serialize for LenientOut<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let form = self.1;
        match self.0 {
            LenientRef::Texts(list) => {
                serializer.collect_seq(list.iter().map(|v| Out(Source::Str(v), form)))
            }
            LenientRef::Ints(list) => {
                serializer.collect_seq(list.iter().map(|v| Out(Source::Int(*v), form)))
            }
            LenientRef::Floats(list) => {
                serializer.collect_seq(list.iter().map(|v| Out(Source::Float(*v), form)))
            }
            LenientRef::Bools(list) => {
                serializer.collect_seq(list.iter().map(|v| Out(Source::Bool(*v), form)))
            }
            LenientRef::Jsons(list) => list.serialize(serializer),
        }
    }
}

struct ListOut<'a>(&'a dyn ListSlot, FieldForm);

impl Serialize for ListOut<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let list = self.0;
        let mut seq = serializer.serialize_seq(Some(list.len()))?;
        for index in 0..list.len() {
            seq.serialize_element(&Out(list.item(index), self.1))?;
        }
        seq.end()
    }
}
