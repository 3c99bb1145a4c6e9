//! Lenient decoding of the loosely typed values the server sends.
//!
//! The API writes the same field as `"total": "1000"` in one answer and `"total": 20000` in
//! another. Generated fields use
//! `#[serde(default, deserialize_with = "::chatrace_runtime::lenient::deserialize")]`, which
//! accepts:
//!
//! | type                | accepts |
//! |---------------------|---------|
//! | `String`            | a string; a number or boolean as its text |
//! | `i64`, `u64`, `f64` | a number, or a string holding one (`" 12 "`, `"12.50"`); integers also take a float with no fraction (`5.0`) |
//! | `bool`              | `true`/`false`, `0`/`1`, `"0"`/`"1"`, `"true"`/`"false"` |
//! | `serde_json::Value` | anything |
//! | `Option<T>`         | `null` (None), or what `T` accepts; for numbers and booleans also `""` (None) |
//! | `Vec<T>`            | a sequence of what `T` accepts; `null` (empty); an object keyed `"0"`, `"1"`, ... (its values, in order) |

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{
    BoolDeserializer, BorrowedStrDeserializer, F64Deserializer, I64Deserializer,
    MapAccessDeserializer, SeqAccessDeserializer, StrDeserializer, StringDeserializer,
    U64Deserializer,
};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Unexpected, Visitor};

/// Decodes a `T` leniently (see the module docs). Use with `deserialize_with`.
pub fn deserialize<'de, D: Deserializer<'de>, T: LenientDe<'de>>(d: D) -> Result<T, D::Error> {
    T::deserialize_lenient(d)
}

/// A type that can be decoded leniently (see the module docs).
pub trait LenientDe<'de>: Sized {
    /// Whether an empty string means "absent" for this type inside an `Option`.
    const EMPTY_IS_NONE: bool = false;

    /// Decodes the value leniently.
    fn deserialize_lenient<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

// ---------------------------------------------------------------------------------------------
// String

impl<'de> LenientDe<'de> for String {
    fn deserialize_lenient<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(crate::values::ScalarText("a string"))
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers

/// Converts the forms a number arrives in to one numeric type.
trait Numeric: Sized + std::str::FromStr {
    const EXPECTING: &'static str;
    fn from_i64(v: i64) -> Option<Self>;
    fn from_u64(v: u64) -> Option<Self>;
    fn from_f64(v: f64) -> Option<Self>;
}

impl Numeric for i64 {
    const EXPECTING: &'static str = "an integer, or a string holding one";
    fn from_i64(v: i64) -> Option<Self> {
        Some(v)
    }
    fn from_u64(v: u64) -> Option<Self> {
        i64::try_from(v).ok()
    }
    fn from_f64(v: f64) -> Option<Self> {
        // i64::MIN is exactly representable; 2^63 is the first value out of range.
        let in_range = (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&v);
        (v.fract() == 0.0 && in_range).then_some(v as i64)
    }
}

impl Numeric for u64 {
    const EXPECTING: &'static str = "a non-negative integer, or a string holding one";
    fn from_i64(v: i64) -> Option<Self> {
        u64::try_from(v).ok()
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(v)
    }
    fn from_f64(v: f64) -> Option<Self> {
        let in_range = (0.0..18_446_744_073_709_551_616.0).contains(&v);
        (v.fract() == 0.0 && in_range).then_some(v as u64)
    }
}

impl Numeric for f64 {
    const EXPECTING: &'static str = "a number, or a string holding one";
    fn from_i64(v: i64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(v)
    }
}

struct NumberVisitor<N>(PhantomData<N>);

impl<N: Numeric> NumberVisitor<N> {
    fn parse<E: de::Error>(&self, v: &str) -> Result<N, E> {
        let text = crate::values::trimmed(v);
        if let Ok(n) = text.parse::<N>() {
            return Ok(n);
        }
        // "5.0" for an integer type.
        match text.parse::<f64>().ok().and_then(N::from_f64) {
            Some(n) if !text.is_empty() => Ok(n),
            _ => Err(E::invalid_value(Unexpected::Str(v), self)),
        }
    }
}

impl<N: Numeric> Visitor<'_> for NumberVisitor<N> {
    type Value = N;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(N::EXPECTING)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<N, E> {
        N::from_i64(v).ok_or_else(|| E::invalid_value(Unexpected::Signed(v), &self))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<N, E> {
        N::from_u64(v).ok_or_else(|| E::invalid_value(Unexpected::Unsigned(v), &self))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<N, E> {
        N::from_f64(v).ok_or_else(|| E::invalid_value(Unexpected::Float(v), &self))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<N, E> {
        self.parse(v)
    }
}

macro_rules! lenient_number {
    ($($t:ty),*) => {$(
        impl<'de> LenientDe<'de> for $t {
            const EMPTY_IS_NONE: bool = true;
            fn deserialize_lenient<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(NumberVisitor::<$t>(PhantomData))
            }
        }
    )*};
}

lenient_number!(i64, u64, f64);

// ---------------------------------------------------------------------------------------------
// bool

struct BoolVisitor;

impl Visitor<'_> for BoolVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean, 0 or 1, or \"true\", \"false\", \"0\", \"1\"")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(Unexpected::Signed(v), &self)),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(Unexpected::Unsigned(v), &self)),
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        let text = crate::values::trimmed(v);
        if text == "1" || text.eq_ignore_ascii_case("true") {
            Ok(true)
        } else if text == "0" || text.eq_ignore_ascii_case("false") {
            Ok(false)
        } else {
            Err(E::invalid_value(Unexpected::Str(v), &self))
        }
    }
}

impl<'de> LenientDe<'de> for bool {
    const EMPTY_IS_NONE: bool = true;
    fn deserialize_lenient<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(BoolVisitor)
    }
}

// ---------------------------------------------------------------------------------------------
// serde_json::Value

impl<'de> LenientDe<'de> for serde_json::Value {
    fn deserialize_lenient<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::Deserialize::deserialize(d)
    }
}

// ---------------------------------------------------------------------------------------------
// Option<T>

/// Sees the value once, maps `null` (and `""` for numbers and booleans) to `None`, and hands
/// anything else to `T` through a deserializer over what was seen.
struct OptionVisitor<T>(PhantomData<T>);

impl<'de, T: LenientDe<'de>> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("null or a value")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        T::deserialize_lenient(d).map(Some)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        T::deserialize_lenient(BoolDeserializer::<E>::new(v)).map(Some)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::deserialize_lenient(I64Deserializer::<E>::new(v)).map(Some)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::deserialize_lenient(U64Deserializer::<E>::new(v)).map(Some)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        T::deserialize_lenient(F64Deserializer::<E>::new(v)).map(Some)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.is_empty() && T::EMPTY_IS_NONE {
            return Ok(None);
        }
        T::deserialize_lenient(StrDeserializer::<E>::new(v)).map(Some)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        if v.is_empty() && T::EMPTY_IS_NONE {
            return Ok(None);
        }
        T::deserialize_lenient(BorrowedStrDeserializer::<E>::new(v)).map(Some)
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        if v.is_empty() && T::EMPTY_IS_NONE {
            return Ok(None);
        }
        T::deserialize_lenient(StringDeserializer::<E>::new(v)).map(Some)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        T::deserialize_lenient(SeqAccessDeserializer::new(seq)).map(Some)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize_lenient(MapAccessDeserializer::new(map)).map(Some)
    }
}

impl<'de, T: LenientDe<'de>> LenientDe<'de> for Option<T> {
    fn deserialize_lenient<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OptionVisitor(PhantomData))
    }
}

// ---------------------------------------------------------------------------------------------
// Vec<T>

/// Decodes a `T` leniently where serde takes a seed: the values of a generated struct's
/// `visit_map` (`map.next_value_seed(Lenient::new())`) and the items of a lenient list.
pub struct Lenient<T>(PhantomData<fn() -> T>);

impl<T> Lenient<T> {
    /// The seed.
    pub const fn new() -> Self {
        Lenient(PhantomData)
    }
}

impl<T> Default for Lenient<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'de, T: LenientDe<'de>> DeserializeSeed<'de> for Lenient<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::deserialize_lenient(d)
    }
}

struct VecVisitor<T>(PhantomData<T>);

impl<'de, T: LenientDe<'de>> Visitor<'de> for VecVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        // Cap the hint: it comes from the input.
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(Lenient::<T>::new())? {
            items.push(item);
        }
        Ok(items)
    }
    /// PHP encodes a sparse array as an object keyed by index: take its values in order.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some((_, item)) =
            map.next_entry_seed(PhantomData::<de::IgnoredAny>, Lenient::<T>::new())?
        {
            items.push(item);
        }
        Ok(items)
    }
}

impl<'de, T: LenientDe<'de>> LenientDe<'de> for Vec<T> {
    fn deserialize_lenient<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(VecVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    struct Sample {
        #[serde(default, deserialize_with = "crate::lenient::deserialize")]
        id: u64,
        #[serde(default, deserialize_with = "crate::lenient::deserialize")]
        total: Option<i64>,
        #[serde(default, deserialize_with = "crate::lenient::deserialize")]
        price: Option<f64>,
        #[serde(default, deserialize_with = "crate::lenient::deserialize")]
        name: Option<String>,
        #[serde(default, deserialize_with = "crate::lenient::deserialize")]
        active: Option<bool>,
        #[serde(default, deserialize_with = "crate::lenient::deserialize")]
        tags: Vec<u64>,
        #[serde(default, deserialize_with = "crate::lenient::deserialize")]
        maybe_tags: Option<Vec<String>>,
        #[serde(default, deserialize_with = "crate::lenient::deserialize")]
        extra: serde_json::Value,
    }

    fn parse(text: &str) -> Result<Sample, serde_json::Error> {
        serde_json::from_str(text)
    }

    fn one<T: for<'de> super::LenientDe<'de>>(v: serde_json::Value) -> Result<T, String> {
        super::deserialize(v).map_err(|e| e.to_string())
    }

    #[test]
    fn numbers_from_numbers_and_strings() {
        assert_eq!(one::<i64>(json!(-5)), Ok(-5));
        assert_eq!(one::<i64>(json!("1000")), Ok(1000));
        assert_eq!(one::<i64>(json!(" 42 ")), Ok(42));
        assert_eq!(one::<i64>(json!(7.0)), Ok(7));
        assert_eq!(one::<u64>(json!("833274349439")), Ok(833_274_349_439));
        assert_eq!(one::<u64>(json!(5.0)), Ok(5));
        assert_eq!(one::<u64>(json!("5.0")), Ok(5));
        assert_eq!(one::<u64>(json!(u64::MAX)), Ok(u64::MAX));
        assert_eq!(one::<f64>(json!("12.50")), Ok(12.5));
        assert_eq!(one::<f64>(json!(3)), Ok(3.0));
    }

    #[test]
    fn numbers_reject_what_is_not_one_and_say_what_was_found() {
        let err = one::<u64>(json!(-1)).unwrap_err();
        assert!(err.contains("-1") && err.contains("non-negative"), "{err}");
        let err = one::<u64>(json!(5.5)).unwrap_err();
        assert!(err.contains("5.5"), "{err}");
        let err = one::<i64>(json!("abc")).unwrap_err();
        assert!(err.contains("\"abc\"") && err.contains("integer"), "{err}");
        assert!(one::<i64>(json!("")).is_err());
        assert!(one::<i64>(json!(true)).is_err());
        assert!(one::<i64>(json!(1e30)).is_err());
        assert!(one::<f64>(json!("1,5")).is_err());
        assert!(one::<u64>(json!(null)).is_err());
    }

    #[test]
    fn strings_from_anything_scalar() {
        assert_eq!(one::<String>(json!("x")), Ok("x".into()));
        assert_eq!(one::<String>(json!(12)), Ok("12".into()));
        assert_eq!(one::<String>(json!(-3)), Ok("-3".into()));
        assert_eq!(one::<String>(json!(1.5)), Ok("1.5".into()));
        assert_eq!(one::<String>(json!(true)), Ok("true".into()));
        assert!(one::<String>(json!({"a": 1})).is_err());
        assert!(one::<String>(json!(null)).is_err());
    }

    #[test]
    fn booleans_in_every_documented_form() {
        for (v, want) in [
            (json!(true), true),
            (json!(false), false),
            (json!(1), true),
            (json!(0), false),
            (json!("1"), true),
            (json!("0"), false),
            (json!("true"), true),
            (json!("FALSE"), false),
        ] {
            assert_eq!(one::<bool>(v.clone()), Ok(want), "{v}");
        }
        assert!(one::<bool>(json!(2)).is_err());
        assert!(one::<bool>(json!("yes")).is_err());
    }

    #[test]
    fn options_map_null_and_empty_numbers_to_none() {
        assert_eq!(one::<Option<i64>>(json!(null)), Ok(None));
        assert_eq!(one::<Option<i64>>(json!("")), Ok(None));
        assert_eq!(one::<Option<bool>>(json!("")), Ok(None));
        assert_eq!(one::<Option<i64>>(json!("7")), Ok(Some(7)));
        assert_eq!(one::<Option<String>>(json!("")), Ok(Some(String::new())));
        assert_eq!(one::<Option<String>>(json!(5)), Ok(Some("5".into())));
        assert_eq!(
            one::<Option<Vec<u64>>>(json!(["1", 2])),
            Ok(Some(vec![1, 2]))
        );
        assert_eq!(one::<Option<Option<u64>>>(json!("3")), Ok(Some(Some(3))));
        assert!(one::<Option<i64>>(json!("x")).is_err());
    }

    #[test]
    fn vectors_are_lenient_per_element() {
        assert_eq!(one::<Vec<u64>>(json!(["1", 2, 3.0])), Ok(vec![1, 2, 3]));
        assert_eq!(one::<Vec<u64>>(json!(null)), Ok(vec![]));
        assert_eq!(
            one::<Vec<String>>(json!({"0": "a", "2": 5})),
            Ok(vec!["a".into(), "5".into()])
        );
        assert_eq!(
            one::<Vec<Option<i64>>>(json!([null, "", "4"])),
            Ok(vec![None, None, Some(4)])
        );
        assert!(one::<Vec<u64>>(json!(["x"])).is_err());
        assert!(one::<Vec<u64>>(json!("1")).is_err());
    }

    #[test]
    fn in_a_struct_from_a_real_reader() {
        let s = parse(
            r#"{"id":"569601","total":"1000","price":"12.5","name":569,"active":"1",
                "tags":["1",2],"maybe_tags":null,"extra":{"k":[1]}}"#,
        )
        .unwrap_or_default();
        assert_eq!(
            s,
            Sample {
                id: 569_601,
                total: Some(1000),
                price: Some(12.5),
                name: Some("569".into()),
                active: Some(true),
                tags: vec![1, 2],
                maybe_tags: None,
                extra: json!({"k": [1]}),
            }
        );
        let absent = parse("{}").unwrap_or_else(|_| Sample {
            id: 9,
            ..Sample::default()
        });
        assert_eq!(absent, Sample::default());
        let err = parse(r#"{"total":"ten"}"#)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(err.contains("ten") && err.contains("line 1"), "{err}");
    }

    #[test]
    fn value_accepts_anything() {
        assert_eq!(
            one::<serde_json::Value>(json!([1, "a", null])),
            Ok(json!([1, "a", null]))
        );
    }
}
