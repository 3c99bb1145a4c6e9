//! Records: the catalogue's structs, read and written by the runtime from a table of their
//! fields.
//!
//! A generated struct declares its fields, a [`RecordShape`] (each field's wire key, whether it
//! is required, the JSON form it is written in) and where each field lives
//! ([`Record::target`], [`Record::source`]); its `Serialize` and `Deserialize` call
//! [`serialize`] and [`deserialize`]. What a field accepts follows from its Rust type through
//! [`Slot`]: text, numbers, booleans and JSON leniently (see [`crate::lenient`]), ids and times
//! as text, nested records, enums, unions, lists and options by their own rules. Keys the
//! shape does not list are kept in the record's `extra` map and written back after the known
//! fields. The decoding and encoding logic is compiled once here rather than written out per
//! struct, which is most of what the generated crate would otherwise have to type-check.

mod decode;
mod encode;
mod slot;

pub use decode::deserialize;
pub use encode::serialize;
pub use slot::{
    Blank, IntEnumSlot, LenientMut, LenientRef, ListSlot, OptionSlot, Slot, Source, Strict, Target,
    TextEnumSlot, UnionSlot,
};

/// What the runtime knows of a record's type: its name and its fields, in declaration order.
#[derive(Debug)]
pub struct RecordShape {
    /// The type's name, for error messages (`an object (Conversation)`).
    pub name: &'static str,
    /// The fields, in the order they are declared and written.
    pub fields: &'static [FieldShape],
    /// How many of the fields are required: counted once, by the generator (or by
    /// [`RecordShape::new`]), so that the end of each decoded object compares one count.
    pub required: usize,
}

/// One field of a record.
#[derive(Debug)]
pub struct FieldShape {
    /// Its key on the wire.
    pub wire: &'static str,
    /// Whether an object without it is an error.
    pub required: bool,
    /// How its value is written; decoding takes every form.
    pub form: FieldForm,
}

/// How a field's value is written: the catalogue's `encoded<T>` and a field's `as`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldForm {
    /// As its type writes itself.
    Natural,
    /// As a string holding its JSON (`encoded<T>`); read as that string or as the value.
    Encoded,
    /// As a JSON number (`as: number`; an id field without `as` keeps its text): an id or a
    /// time whose text is exactly a number (see [`crate::wire::exact_integer`]; other text
    /// stays a string), a boolean as `1`/`0`, a whole float as an integer; each item of a list
    /// so.
    Number,
    /// As a JSON string (`as: string`): a number or a boolean as its text; each item of a list
    /// so.
    Text,
}

impl RecordShape {
    /// The shape of the type `name` with these fields, their required ones counted.
    pub const fn new(name: &'static str, fields: &'static [FieldShape]) -> RecordShape {
        let (mut required, mut index) = (0, 0);
        while index < fields.len() {
            if fields[index].required {
                required += 1;
            }
            index += 1;
        }
        RecordShape {
            name,
            fields,
            required,
        }
    }

    /// The index of the field whose wire key is `key`, looking first at `hint`: a server
    /// writes an object's keys in one order, usually the catalogue's, so the field after the
    /// last one found is the likely next.
    pub(crate) fn index_from(&self, key: &str, hint: usize) -> Option<usize> {
        let fields = self.fields;
        if fields
            .get(hint)
            .is_some_and(|field| same_key(field.wire, key))
        {
            return Some(hint);
        }
        fields.iter().position(|field| same_key(field.wire, key))
    }
}

/// Whether two keys are equal: lengths first, then the bytes in word-sized loads (the last
/// load overlapping the one before it). Keys are short, and a call to `memcmp` per candidate
/// cost more than the comparison itself in the decode benchmark.
#[inline]
fn same_key(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        0 => true,
        1 => a[0] == b[0],
        2..=3 => word::<2>(a, 0) == word::<2>(b, 0) && word::<2>(a, n - 2) == word::<2>(b, n - 2),
        4..=7 => word::<4>(a, 0) == word::<4>(b, 0) && word::<4>(a, n - 4) == word::<4>(b, n - 4),
        _ => {
            let mut at = 0;
            while at + 8 < n {
                if word::<8>(a, at) != word::<8>(b, at) {
                    return false;
                }
                at += 8;
            }
            word::<8>(a, n - 8) == word::<8>(b, n - 8)
        }
    }
}

/// The `N` bytes of `bytes` from `at` (zeros if they are not all there, which the callers
/// rule out).
#[inline]
fn word<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
    bytes
        .get(at..at + N)
        .and_then(|word| word.try_into().ok())
        .unwrap_or([0; N])
}

/// A generated struct, seen by the runtime through its shape and its fields.
pub trait Record {
    /// The type's shape.
    fn shape(&self) -> &'static RecordShape;
    /// The field at `index` of the shape, to be filled by the decoder; at the index after the
    /// last field, [`Target::Extra`]: the map of the keys the shape does not list.
    fn target(&mut self, index: usize) -> Target<'_>;
    /// The field at `index` of the shape, to be written by the encoder; at the index after the
    /// last field, [`Source::Extra`].
    fn source(&self, index: usize) -> Source<'_>;
    /// A value to decode into: optional fields unset, required ones holding placeholders
    /// that decoding replaces (a required field that stays missing is an error).
    fn blank() -> Self
    where
        Self: Sized;
}

impl<T: Record> Slot for T {
    #[inline]
    fn target(&mut self) -> Target<'_> {
        Target::Record(self)
    }
    #[inline]
    fn source(&self) -> Source<'_> {
        Source::Record(self)
    }
}

impl<T: Record> Blank for T {
    #[inline]
    fn blank() -> Self {
        <T as Record>::blank()
    }
}

impl<T: Record> Strict for T {}

/// The map of a record's unknown keys: its slot at the index after its last field.
impl Slot for serde_json::Map<String, serde_json::Value> {
    #[inline]
    fn target(&mut self) -> Target<'_> {
        Target::Extra(self)
    }
    #[inline]
    fn source(&self) -> Source<'_> {
        Source::Extra(self)
    }
}

#[cfg(test)]
mod tests;
