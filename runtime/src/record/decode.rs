//! Decoding into a [`Target`]: one visitor per kind of target, generic over the deserializer
//! only, so that each deserializer type compiles it once for every record.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize as _;
use serde_json::{Map, Value};

use super::slot::{LenientMut, ListSlot, OptionSlot, Target};
use super::{FieldForm, Record, RecordShape};
use crate::lenient::LenientDe;
use crate::values::ScalarText;
use crate::wire::{EncodedVisitor, Key};

/// Decodes a record: what a generated struct's `Deserialize` calls.
pub fn deserialize<'de, D: Deserializer<'de>, T: Record>(deserializer: D) -> Result<T, D::Error> {
    let mut value = T::blank();
    // The record's own type, not `dyn Record`: its fields are then reached by direct calls
    // that inline (a list of records decodes each element here, through serde's `Vec`).
    deserializer.deserialize_map(RecordVisitor(&mut value))?;
    Ok(value)
}

/// Decodes one value into its target.
struct Seed<'a>(Target<'a>);

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.0 {
            Target::Lenient(slot) => lenient(slot, d),
            Target::Text { text, expecting } => {
                *text = d.deserialize_any(ScalarText(expecting))?;
                Ok(())
            }
            Target::Option(slot) => d.deserialize_option(OptionVisitor {
                slot,
                encoded: false,
            }),
            Target::List(slot) => d.deserialize_seq(ListVisitor(slot)),
            Target::Record(record) => d.deserialize_map(RecordVisitor(record)),
            Target::IntEnum(slot) => {
                slot.set_wire(crate::wire::int_enum(d)?);
                Ok(())
            }
            Target::TextEnum(slot) => {
                slot.set_wire(&crate::wire::str_enum(d)?);
                Ok(())
            }
            Target::Union(slot) => {
                let map = Map::<String, Value>::deserialize(d)?;
                slot.set_value(Value::Object(map))
                    .map_err(de::Error::custom)
            }
            Target::Extra(extra) => {
                extra.extend(Map::<String, Value>::deserialize(d)?);
                Ok(())
            }
            Target::Skip => de::IgnoredAny::deserialize(d).map(drop),
        }
    }
}

/// A lenient scalar, or an option or list of one, by the rules of [`crate::lenient`].
#[inline]
fn lenient<'de, D: Deserializer<'de>>(slot: LenientMut<'_>, d: D) -> Result<(), D::Error> {
    #[inline]
    fn put<'de, T: LenientDe<'de>, D: Deserializer<'de>>(
        place: &mut T,
        d: D,
    ) -> Result<(), D::Error> {
        *place = T::deserialize_lenient(d)?;
        Ok(())
    }
    match slot {
        LenientMut::Text(v) => put(v, d),
        LenientMut::OptText(v) => put(v, d),
        LenientMut::Texts(v) => put(v, d),
        LenientMut::OptTexts(v) => put(v, d),
        LenientMut::Int(v) => put(v, d),
        LenientMut::OptInt(v) => put(v, d),
        LenientMut::Ints(v) => put(v, d),
        LenientMut::OptInts(v) => put(v, d),
        LenientMut::Float(v) => put(v, d),
        LenientMut::OptFloat(v) => put(v, d),
        LenientMut::Floats(v) => put(v, d),
        LenientMut::OptFloats(v) => put(v, d),
        LenientMut::Bool(v) => put(v, d),
        LenientMut::OptBool(v) => put(v, d),
        LenientMut::Bools(v) => put(v, d),
        LenientMut::OptBools(v) => put(v, d),
        LenientMut::Json(v) => put(v, d),
        LenientMut::OptJson(v) => put(v, d),
        LenientMut::Jsons(v) => put(v, d),
        LenientMut::OptJsons(v) => put(v, d),
    }
}

/// `null` is `None`; anything else is the value (serde's rule for `Option`), or, for an
/// encoded field, the value or a string holding its JSON.
struct OptionVisitor<'a> {
    slot: &'a mut dyn OptionSlot,
    encoded: bool,
}

impl<'de> Visitor<'de> for OptionVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.encoded {
            "null, a JSON value, or a string holding one"
        } else {
            "an optional value"
        })
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.slot.clear();
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.slot.clear();
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let target = self.slot.fill();
        if self.encoded {
            d.deserialize_any(EncodedVisitor(Seed(target)))
        } else {
            Seed(target).deserialize(d)
        }
    }
}

/// A list: each element decoded in turn (serde's rule for `Vec`).
struct ListVisitor<'a>(&'a mut dyn ListSlot);

impl<'de> Visitor<'de> for ListVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // As serde does: trust the hint only up to a bound, so that a lying one costs little.
        self.0.reserve(seq.size_hint().unwrap_or(0).min(4096));
        // `next_element_seed` reports the end before it calls the seed, so a blank element is
        // pushed only for an element that is there.
        while let Some(()) = seq.next_element_seed(ElementSeed(&mut *self.0))? {}
        Ok(())
    }
}

/// One list element: pushed only when the sequence has one more.
struct ElementSeed<'a>(&'a mut dyn ListSlot);

impl<'de> DeserializeSeed<'de> for ElementSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        Seed(self.0.push()).deserialize(d)
    }
}

/// An object: each known key into its field, every other key kept in `extra`; a required
/// field that never came is an error naming it.
struct RecordVisitor<'a, R: ?Sized>(&'a mut R);

impl<'de, R: Record + ?Sized> Visitor<'de> for RecordVisitor<'_, R> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object ({})", self.0.shape().name)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let record = self.0;
        let shape = record.shape();
        let mut seen = Seen::new(shape);
        let mut hint = 0;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match shape.index_from(key.as_str(), hint) {
                Some(index) => {
                    hint = index + 1;
                    let field = &shape.fields[index];
                    if field.form == FieldForm::Encoded {
                        map.next_value_seed(EncodedSeed(record.target(index)))?;
                    } else {
                        map.next_value_seed(Seed(record.target(index)))?;
                    }
                    seen.mark(index, shape);
                }
                None => {
                    let value = map.next_value::<Value>()?;
                    if let Target::Extra(extra) = record.target(shape.fields.len()) {
                        extra.insert(key.into_string(), value);
                    }
                }
            }
        }
        match seen.first_missing(shape) {
            Some(wire) => Err(de::Error::missing_field(wire)),
            None => Ok(()),
        }
    }
}

/// Which required fields an object had: a bit per field for the first 128, a list beyond,
/// and how many, so that the end of a complete object costs one count.
struct Seen {
    bits: u128,
    more: Vec<bool>,
    required: usize,
}

impl Seen {
    #[inline]
    fn new(shape: &RecordShape) -> Seen {
        // No call at all for the records of 128 fields or fewer: every record here.
        let more = match shape.fields.len() {
            0..=128 => Vec::new(),
            n => vec![false; n - 128],
        };
        Seen {
            bits: 0,
            more,
            required: 0,
        }
    }
    fn mark(&mut self, index: usize, shape: &RecordShape) {
        if !shape.fields[index].required || self.has(index) {
            return;
        }
        self.required += 1;
        match index.checked_sub(128) {
            None => self.bits |= 1 << index,
            Some(beyond) => self.more[beyond] = true,
        }
    }
    fn has(&self, index: usize) -> bool {
        match index.checked_sub(128) {
            None => self.bits & (1 << index) != 0,
            Some(beyond) => self.more[beyond],
        }
    }
    #[inline]
    fn first_missing(&self, shape: &RecordShape) -> Option<&'static str> {
        debug_assert_eq!(
            shape.required,
            shape.fields.iter().filter(|field| field.required).count(),
            "the shape of {} counts its required fields",
            shape.name
        );
        if self.required == shape.required {
            return None;
        }
        shape
            .fields
            .iter()
            .enumerate()
            .find(|(index, field)| field.required && !self.has(*index))
            .map(|(_, field)| field.wire)
    }
}

/// The catalogue's `encoded<T>`: a string holding the JSON of the value, or the value itself
/// (the realtime socket sends a message's parts as an array, HTTP answers as a string);
/// `null` for an option is `None`.
struct EncodedSeed<'a>(Target<'a>);

impl<'de> DeserializeSeed<'de> for EncodedSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.0 {
            Target::Option(slot) => d.deserialize_option(OptionVisitor {
                slot,
                encoded: true,
            }),
            target => d.deserialize_any(EncodedVisitor(Seed(target))),
        }
    }
}
