//! Where a field's value goes when decoded and comes from when encoded, by its Rust type.

use serde_json::{Map, Value};

use super::Record;
use crate::values::{DateTimeText, IdKind, TypedId, UnixMillis, UnixSeconds};

/// A field's value as the decoder and the encoder see it. Implemented by the runtime for the
/// scalars (and their options and lists), ids and times, by [`Record`]s, and by the generated
/// enums and unions; `Option` and `Vec` of a [`Strict`] type follow from it.
pub trait Slot {
    /// Where the decoder puts a value.
    fn target(&mut self) -> Target<'_>;
    /// What the encoder writes; [`Source::Absent`] for an unset option.
    fn source(&self) -> Source<'_>;
}

/// A value to start decoding from: what an option or a list fills before decoding into it.
pub trait Blank {
    /// The value.
    fn blank() -> Self;
}

/// A type decoded by its own rules rather than leniently, so that `Option<T>` reads `null` as
/// `None` and `Vec<T>` must be a list: ids, times, records, enums and unions.
pub trait Strict: Slot + Blank {}

/// Where the decoder puts one value.
pub enum Target<'a> {
    /// A scalar, or an option or list of scalars, decoded leniently.
    Lenient(LenientMut<'a>),
    /// An id or a time, kept as text; `expecting` names it in errors.
    Text {
        /// The text.
        text: &'a mut String,
        /// What the value is, for "expected ..." in errors.
        expecting: &'static str,
    },
    /// An option of a [`Strict`] type.
    Option(&'a mut dyn OptionSlot),
    /// A list of a [`Strict`] type.
    List(&'a mut dyn ListSlot),
    /// A nested record.
    Record(&'a mut dyn Record),
    /// An enum sent as a number.
    IntEnum(&'a mut dyn IntEnumSlot),
    /// An enum sent as a string.
    TextEnum(&'a mut dyn TextEnumSlot),
    /// A union, told apart by a tag inside the object.
    Union(&'a mut dyn UnionSlot),
    /// A record's map of unknown keys (the index after its last field).
    Extra(&'a mut Map<String, Value>),
    /// Nowhere: the value is read and dropped (an index past a record's extra map).
    Skip,
}

/// What the encoder writes for one value.
pub enum Source<'a> {
    /// Nothing: an unset option, left out of its object.
    Absent,
    /// A string.
    Str(&'a str),
    /// An integer.
    Int(i64),
    /// A number.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// Any JSON.
    Json(&'a Value),
    /// A list.
    List(&'a dyn ListSlot),
    /// A nested record.
    Record(&'a dyn Record),
    /// A union.
    Union(&'a dyn UnionSlot),
    /// A scalar list, or anything else the runtime writes with its own `Serialize`.
    Lenient(LenientRef<'a>),
    /// A record's map of unknown keys (the index after its last field).
    Extra(&'a Map<String, Value>),
}

/// An `Option` of a [`Strict`] type, as the decoder fills it.
pub trait OptionSlot {
    /// Sets it to `None`.
    fn clear(&mut self);
    /// Sets it to a blank value and returns where that value is decoded.
    fn fill(&mut self) -> Target<'_>;
}

/// A `Vec` of a [`Strict`] type.
pub trait ListSlot {
    /// Appends a blank value and returns where it is decoded.
    fn push(&mut self) -> Target<'_>;
    /// Reserves room for `additional` more values.
    fn reserve(&mut self, additional: usize);
    /// How many values it holds.
    fn len(&self) -> usize;
    /// Whether it is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The value at `index`, to be written.
    fn item(&self, index: usize) -> Source<'_>;
}

/// A generated enum sent as a number.
pub trait IntEnumSlot {
    /// Sets the variant of a wire value (`Unknown` for a value the catalogue does not list).
    fn set_wire(&mut self, value: i64);
}

/// A generated enum sent as a string.
pub trait TextEnumSlot {
    /// Sets the variant of a wire value (`Unknown` for a value the catalogue does not list).
    fn set_wire(&mut self, value: &str);
}

/// A generated union: decoded from the object it was buffered in, written as JSON.
pub trait UnionSlot {
    /// Sets the variant the object's tag names.
    fn set_value(&mut self, value: Value) -> Result<(), serde_json::Error>;
    /// The value as JSON, with its tag.
    fn to_value(&self) -> Result<Value, serde_json::Error>;
}

impl<T: Strict> Slot for Option<T> {
    #[inline]
    fn target(&mut self) -> Target<'_> {
        Target::Option(self)
    }
    #[inline]
    fn source(&self) -> Source<'_> {
        match self {
            Some(value) => value.source(),
            None => Source::Absent,
        }
    }
}

impl<T: Strict> OptionSlot for Option<T> {
    fn clear(&mut self) {
        *self = None;
    }
    fn fill(&mut self) -> Target<'_> {
        self.insert(T::blank()).target()
    }
}

impl<T> Blank for Option<T> {
    #[inline]
    fn blank() -> Self {
        None
    }
}

impl<T: Strict> Slot for Vec<T> {
    #[inline]
    fn target(&mut self) -> Target<'_> {
        Target::List(self)
    }
    #[inline]
    fn source(&self) -> Source<'_> {
        Source::List(self)
    }
}

/// A list of a strict type is strict itself: `Option<Vec<T>>` and `Vec<Vec<T>>` follow.
impl<T: Strict> Strict for Vec<T> {}

impl<T: Strict> ListSlot for Vec<T> {
    fn push(&mut self) -> Target<'_> {
        self.push(T::blank());
        match self.last_mut() {
            Some(value) => value.target(),
            None => unreachable!("a value was just pushed"),
        }
    }
    fn reserve(&mut self, additional: usize) {
        Vec::reserve(self, additional);
    }
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn item(&self, index: usize) -> Source<'_> {
        self.get(index).map_or(Source::Absent, Slot::source)
    }
}

impl<T> Blank for Vec<T> {
    #[inline]
    fn blank() -> Self {
        Vec::new()
    }
}

impl<K: IdKind> Slot for TypedId<K> {
    #[inline]
    fn target(&mut self) -> Target<'_> {
        Target::Text {
            text: self.text_mut(),
            expecting: K::NAME,
        }
    }
    #[inline]
    fn source(&self) -> Source<'_> {
        Source::Str(self.as_str())
    }
}

impl<K> Blank for TypedId<K> {
    #[inline]
    fn blank() -> Self {
        // Not `new("")`: that formats, and a blank is made for every id decoded.
        TypedId::from_text(String::new())
    }
}

impl<K: IdKind> Strict for TypedId<K> {}

/// The time types: text with the description their own `Deserialize` gives.
macro_rules! time_slots {
    ($($name:ident => $what:literal),*) => {$(
        impl Slot for $name {
            #[inline]
            fn target(&mut self) -> Target<'_> {
                Target::Text { text: self.text_mut(), expecting: $what }
            }
            #[inline]
            fn source(&self) -> Source<'_> {
                Source::Str(self.as_str())
            }
        }

        impl Blank for $name {
            #[inline]
            fn blank() -> Self {
                $name::from_text(String::new())
            }
        }

        impl Strict for $name {}
    )*};
}

time_slots!(
    UnixMillis => "a time in milliseconds",
    UnixSeconds => "a time in seconds",
    DateTimeText => "a date and time"
);

/// A lenient scalar field, or an option or list of one, as the decoder fills it.
pub enum LenientMut<'a> {
    /// `String`.
    Text(&'a mut String),
    /// `Option<String>`.
    OptText(&'a mut Option<String>),
    /// `Vec<String>`.
    Texts(&'a mut Vec<String>),
    /// `Option<Vec<String>>`.
    OptTexts(&'a mut Option<Vec<String>>),
    /// `i64`.
    Int(&'a mut i64),
    /// `Option<i64>`.
    OptInt(&'a mut Option<i64>),
    /// `Vec<i64>`.
    Ints(&'a mut Vec<i64>),
    /// `Option<Vec<i64>>`.
    OptInts(&'a mut Option<Vec<i64>>),
    /// `f64`.
    Float(&'a mut f64),
    /// `Option<f64>`.
    OptFloat(&'a mut Option<f64>),
    /// `Vec<f64>`.
    Floats(&'a mut Vec<f64>),
    /// `Option<Vec<f64>>`.
    OptFloats(&'a mut Option<Vec<f64>>),
    /// `bool`.
    Bool(&'a mut bool),
    /// `Option<bool>`.
    OptBool(&'a mut Option<bool>),
    /// `Vec<bool>`.
    Bools(&'a mut Vec<bool>),
    /// `Option<Vec<bool>>`.
    OptBools(&'a mut Option<Vec<bool>>),
    /// `serde_json::Value`.
    Json(&'a mut Value),
    /// `Option<serde_json::Value>`.
    OptJson(&'a mut Option<Value>),
    /// `Vec<serde_json::Value>`.
    Jsons(&'a mut Vec<Value>),
    /// `Option<Vec<serde_json::Value>>`.
    OptJsons(&'a mut Option<Vec<Value>>),
}

/// A list of lenient scalars, as the encoder writes it.
pub enum LenientRef<'a> {
    /// `[String]`.
    Texts(&'a [String]),
    /// `[i64]`.
    Ints(&'a [i64]),
    /// `[f64]`.
    Floats(&'a [f64]),
    /// `[bool]`.
    Bools(&'a [bool]),
    /// `[serde_json::Value]`.
    Jsons(&'a [Value]),
}

/// The slots of one lenient scalar type: the value, its option, its list and its optional
/// list.
macro_rules! lenient_slots {
    ($ty:ty, $one:ident, $opt:ident, $many:ident, $opt_many:ident, $source:expr) => {
        impl Slot for $ty {
            #[inline]
            fn target(&mut self) -> Target<'_> {
                Target::Lenient(LenientMut::$one(self))
            }
            #[inline]
            fn source(&self) -> Source<'_> {
                let source: fn(&$ty) -> Source<'_> = $source;
                source(self)
            }
        }

        impl Slot for Option<$ty> {
            #[inline]
            fn target(&mut self) -> Target<'_> {
                Target::Lenient(LenientMut::$opt(self))
            }
            #[inline]
            fn source(&self) -> Source<'_> {
                self.as_ref().map_or(Source::Absent, Slot::source)
            }
        }

        impl Slot for Vec<$ty> {
            #[inline]
            fn target(&mut self) -> Target<'_> {
                Target::Lenient(LenientMut::$many(self))
            }
            #[inline]
            fn source(&self) -> Source<'_> {
                Source::Lenient(LenientRef::$many(self))
            }
        }

        impl Slot for Option<Vec<$ty>> {
            #[inline]
            fn target(&mut self) -> Target<'_> {
                Target::Lenient(LenientMut::$opt_many(self))
            }
            #[inline]
            fn source(&self) -> Source<'_> {
                self.as_deref().map_or(Source::Absent, |list| {
                    Source::Lenient(LenientRef::$many(list))
                })
            }
        }

        impl Blank for $ty {
            #[inline]
            fn blank() -> Self {
                <$ty>::default()
            }
        }
    };
}

lenient_slots!(String, Text, OptText, Texts, OptTexts, |v| Source::Str(v));
lenient_slots!(i64, Int, OptInt, Ints, OptInts, |v| Source::Int(*v));
lenient_slots!(f64, Float, OptFloat, Floats, OptFloats, |v| Source::Float(
    *v
));
lenient_slots!(bool, Bool, OptBool, Bools, OptBools, |v| Source::Bool(*v));
lenient_slots!(Value, Json, OptJson, Jsons, OptJsons, |v| Source::Json(v));
