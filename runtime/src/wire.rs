//! Helpers generated code uses to write and read wire forms.

use std::borrow::Cow;
use std::fmt::{self, Display};

use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Unexpected,
    Visitor,
};
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

/// Serializes a value as a JSON number where the catalogue sends it `as: number`: a boolean as
/// `1`/`0`, an id or a time as the number its text holds (as its text when it holds none, or
/// one that a number would change: see [`exact_integer`]), and each item of a list so.
#[derive(Debug, Clone, Copy)]
pub struct AsNumber<'a, T: ?Sized>(pub &'a T);

impl Serialize for AsNumber<'_, bool> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(u8::from(*self.0))
    }
}

impl Serialize for AsNumber<'_, f64> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        whole_or_float(*self.0, serializer)
    }
}

/// Writes a float as an integer when it is a whole number (see [`whole_number`]).
pub(crate) fn whole_or_float<S: Serializer>(value: f64, serializer: S) -> Result<S::Ok, S::Error> {
    match whole_number(value) {
        Some(n) => serializer.serialize_i64(n),
        None => serializer.serialize_f64(value),
    }
}

/// A float with no fraction, as the integer it is when every JSON reader holds that exactly:
/// `300.0` is written `300`, as the vendor's examples write a price.
fn whole_number(value: f64) -> Option<i64> {
    // Within ±2^53 the cast is exact.
    (value.fract() == 0.0 && value.abs() <= EXACT_INTEGER_MAX as f64).then_some(value as i64)
}

impl<K> Serialize for AsNumber<'_, crate::TypedId<K>> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        number_or_text(self.0.as_str(), serializer)
    }
}

impl Serialize for AsNumber<'_, crate::UnixSeconds> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        number_or_text(self.0.as_str(), serializer)
    }
}

impl Serialize for AsNumber<'_, crate::UnixMillis> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        number_or_text(self.0.as_str(), serializer)
    }
}

impl<T> Serialize for AsNumber<'_, Vec<T>>
where
    for<'b> AsNumber<'b, T>: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(AsNumber))
    }
}

/// Writes an id's or a time's text as the number it is, or as text when it is not exactly
/// one (see [`exact_integer`]).
pub(crate) fn number_or_text<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    match exact_integer(text) {
        Some(n) => serializer.serialize_i64(n),
        None => serializer.serialize_str(text),
    }
}

/// The largest integer every JSON reader holds exactly (2^53 − 1: RFC 8259, section 6, on
/// numbers that interoperate; a JavaScript server reads a larger one rounded).
const EXACT_INTEGER_MAX: i64 = (1 << 53) - 1;

/// The integer `text` holds when writing it as a JSON number loses nothing: the text is that
/// number's own spelling (no sign `+`, no leading zero, no spaces: an order id `000123` or a
/// phone number `+1555…` stays text) and every JSON reader holds it exactly (a 17-digit
/// Instagram contact id stays text).
pub fn exact_integer(text: &str) -> Option<i64> {
    let n = text.parse::<i64>().ok()?;
    (n.unsigned_abs() <= EXACT_INTEGER_MAX as u64 && n.to_string() == text).then_some(n)
}

/// A constant or default of the catalogue that is not a plain scalar (`[{"a": 1}]`), written
/// from its JSON text.
#[derive(Debug, Clone, Copy)]
pub struct RawJson(pub &'static str);

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde_json::from_str::<serde_json::Value>(self.0)
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

/// Writes a value as a JSON string holding its JSON (the catalogue's `encoded<T>`).
#[derive(Debug, Clone, Copy)]
pub struct EncodedRef<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> Serialize for EncodedRef<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(self.0).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

/// Reads the catalogue's `encoded<T>`: a JSON string holding the JSON of a `T`, or a `T` itself
/// (the realtime socket sends the parts of a message as an array, HTTP answers as a string).
pub struct Encoded<T>(PhantomData<fn() -> T>);

impl<T> Encoded<T> {
    /// The seed.
    pub fn new() -> Self {
        Encoded(PhantomData)
    }
}

impl<T> Default for Encoded<T> {
    fn default() -> Self {
        Encoded::new()
    }
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Encoded<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(EncodedVisitor(PhantomData::<T>))
    }
}

/// Reads `encoded<T>` into any seed that decodes from input of any lifetime: `PhantomData<T>`
/// here, a record's field in the record codec. The inner JSON must be all of the string.
pub(crate) struct EncodedVisitor<S>(pub(crate) S);

impl<'de, S, V> Visitor<'de> for EncodedVisitor<S>
where
    S: for<'any> DeserializeSeed<'any, Value = V>,
{
    type Value = V;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value, or a string holding one")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<V, E> {
        let mut inner = serde_json::Deserializer::from_str(v);
        self.0
            .deserialize(&mut inner)
            .and_then(|value| inner.end().map(|()| value))
            .map_err(|e| E::custom(format!("in the JSON held by a string: {e}")))
    }
    fn visit_unit<E: de::Error>(self) -> Result<V, E> {
        // `null`: what the inner type makes of it (`None` for an optional lenient scalar).
        self.0
            .deserialize(de::IntoDeserializer::<E>::into_deserializer(()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V, A::Error> {
        self.0.deserialize(SeqAccessDeserializer::new(seq))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V, A::Error> {
        self.0.deserialize(MapAccessDeserializer::new(map))
    }
}

/// [`Encoded`] for an optional field: `null` is `None`.
pub struct EncodedOption<T>(PhantomData<fn() -> T>);

impl<T> EncodedOption<T> {
    /// The seed.
    pub fn new() -> Self {
        EncodedOption(PhantomData)
    }
}

impl<T> Default for EncodedOption<T> {
    fn default() -> Self {
        EncodedOption::new()
    }
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for EncodedOption<T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        struct OptionVisitor<T>(PhantomData<fn() -> T>);
        impl<'de, T: DeserializeOwned> Visitor<'de> for OptionVisitor<T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("null, a JSON value, or a string holding one")
            }
            fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
                Encoded::<T>::new().deserialize(d).map(Some)
            }
        }
        d.deserialize_option(OptionVisitor(PhantomData))
    }
}

/// Which variant of a union an object is: the index in `values` of its `tag` member's string;
/// for an object without `tag`, the variant of the first of `by_member` whose member it has,
/// else `default`; `None` (an unknown object) when the tag is not one of `values`, or not a
/// string.
pub fn variant_of(
    map: &serde_json::Map<String, serde_json::Value>,
    tag: &str,
    values: &[&str],
    by_member: &[(&str, usize)],
    default: Option<usize>,
) -> Option<usize> {
    match map.get(tag) {
        None => by_member
            .iter()
            .find(|(member, _)| map.contains_key(*member))
            .map(|&(_, index)| index)
            .or(default),
        Some(value) => {
            let value = value.as_str()?;
            values.iter().position(|known| *known == value)
        }
    }
}

/// A union's value from the object of its variant `wrap`: the variant when the object fits its
/// type, else the object kept whole by `keep` (see [`variant_from_map`]). Never an error: the
/// `Result` is the union's `Deserialize`'s.
pub fn variant<T: DeserializeOwned, U, E>(
    map: serde_json::Map<String, serde_json::Value>,
    wrap: fn(T) -> U,
    keep: fn(serde_json::Map<String, serde_json::Value>) -> U,
) -> Result<U, E> {
    Ok(variant_from_map(map).map_or_else(keep, wrap))
}

/// The object of a union variant, read from the map it was buffered in; the map given back when
/// the object does not fit `T`, for the union to keep it whole as `Unknown`: one part the
/// catalogue does not describe (a WhatsApp text part, whose `text` is an object) must not cost
/// the whole answer it came in.
///
/// # Errors
///
/// The map itself, when the object does not fit `T`.
pub fn variant_from_map<T: DeserializeOwned>(
    map: serde_json::Map<String, serde_json::Value>,
) -> Result<T, serde_json::Map<String, serde_json::Value>> {
    let object = serde_json::Value::Object(map);
    let read = T::deserialize(&object);
    match (read, object) {
        (Ok(variant), _) => Ok(variant),
        (Err(error), serde_json::Value::Object(map)) => {
            tracing::debug!(%error, "an object does not fit its variant's type: kept whole");
            Err(map)
        }
        // Built as an object three lines up.
        (Err(_), _) => Err(serde_json::Map::new()),
    }
}

/// Writes a union variant with its tag: the variant's object, plus `tag: value` when it does
/// not carry the tag already.
pub fn tagged<T: Serialize, S: Serializer>(
    variant: &T,
    tag: &'static str,
    value: &'static str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match serde_json::to_value(variant).map_err(serde::ser::Error::custom)? {
        serde_json::Value::Object(mut map) => {
            if !map.contains_key(tag) {
                map.insert(tag.to_owned(), serde_json::Value::from(value));
            }
            map.serialize(serializer)
        }
        other => other.serialize(serializer),
    }
}

/// `deserialize_with` form of [`Encoded`].
pub fn encoded<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<T, D::Error> {
    Encoded::<T>::new().deserialize(d)
}

/// `deserialize_with` form of [`EncodedOption`].
pub fn encoded_option<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Option<T>, D::Error> {
    EncodedOption::<T>::new().deserialize(d)
}

/// Shows a secret in `Debug` as `***` (and an unset one as `None`), for generated types that
/// hold credentials.
#[derive(Clone, Copy)]
pub struct Redacted<'a, T: ?Sized>(pub &'a T);

/// Whether a secret holds a value, for [`Redacted`].
pub trait SecretValue {
    /// Whether a value is set (`false` for `None`).
    fn is_set(&self) -> bool;
}

impl SecretValue for String {
    fn is_set(&self) -> bool {
        true
    }
}

impl<T> SecretValue for Option<T> {
    fn is_set(&self) -> bool {
        self.is_some()
    }
}

impl<T: SecretValue + ?Sized> fmt::Debug for Redacted<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_set() {
            f.write_str("***")
        } else {
            f.write_str("None")
        }
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

    /// The key, borrowed from the input when it was.
    pub fn into_cow(self) -> Cow<'de, str> {
        self.0
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
#[inline]
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
        crate::values::trimmed(v)
            .parse()
            .map_err(|_| E::invalid_value(Unexpected::Str(v), &self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_union_variant_is_told_by_its_tag_or_the_default() {
        let values = ["message", "seen"];
        let of = |object: serde_json::Value, default| match object {
            serde_json::Value::Object(map) => variant_of(&map, "type", &values, &[], default),
            _ => unreachable!("objects only"),
        };
        assert_eq!(of(json!({"type": "seen"}), None), Some(1));
        assert_eq!(of(json!({"type": "typing"}), Some(0)), None, "unknown tag");
        assert_eq!(of(json!({"type": 1}), Some(0)), None, "not a string");
        assert_eq!(
            of(json!({"text": "hi"}), Some(0)),
            Some(0),
            "no tag: the default"
        );
        assert_eq!(of(json!({"text": "hi"}), None), None);
    }

    #[test]
    fn an_untagged_object_is_told_by_its_members_before_the_default() {
        let values = ["text", "file"];
        let by_member = [("attachment", 1)];
        let of = |object: serde_json::Value| match object {
            serde_json::Value::Object(map) => {
                variant_of(&map, "type", &values, &by_member, Some(0))
            }
            _ => unreachable!("objects only"),
        };
        let image = json!({"attachment": {"type": "image", "payload": {"url": "u"}}});
        assert_eq!(of(image), Some(1));
        assert_eq!(of(json!({"text": "hi"})), Some(0));
        // The tag, when there is one, decides.
        assert_eq!(of(json!({"type": "text", "attachment": {}})), Some(0));
    }

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

    #[test]
    fn as_number_writes_numbers_where_the_text_holds_one() {
        let ids = vec![
            crate::Id::new(1111u64),
            crate::Id::new("m_x"),
            crate::Id::new("-2"),
        ];
        assert_eq!(
            serde_json::to_value(AsNumber(&ids)).ok(),
            Some(json!([1111, "m_x", -2]))
        );
        assert_eq!(serde_json::to_value(AsNumber(&true)).ok(), Some(json!(1)));
        assert_eq!(serde_json::to_value(AsNumber(&false)).ok(), Some(json!(0)));
        // A number that would change the text is not written: leading zeros, a sign, a space,
        // or more than a JSON reader holds exactly.
        let kept = [
            "000123",
            "+15551234567",
            " 12",
            "17841412345678901",
            "-0",
            "9007199254740992",
        ]
        .map(crate::Id::new);
        assert_eq!(
            serde_json::to_value(AsNumber(&kept.to_vec())).ok(),
            Some(json!([
                "000123",
                "+15551234567",
                " 12",
                "17841412345678901",
                "-0",
                "9007199254740992"
            ]))
        );
        assert_eq!(
            exact_integer("9007199254740991"),
            Some(9_007_199_254_740_991)
        );
        assert_eq!(
            exact_integer("-9007199254740991"),
            Some(-9_007_199_254_740_991)
        );
        assert_eq!(exact_integer("0"), Some(0));
        // A float with no fraction is an integer; others, and the non-finite, stay floats.
        let floats = vec![300.0, 40.5, -2.0, 1e300, f64::NAN];
        assert_eq!(
            serde_json::to_string(&AsNumber(&floats)).ok().as_deref(),
            Some("[300,40.5,-2,1e+300,null]")
        );
        let read = crate::UnixSeconds::new(1688483203);
        assert_eq!(
            serde_json::to_value(AsNumber(&read)).ok(),
            Some(json!(1688483203))
        );
        assert_eq!(
            serde_json::to_value(RawJson(r#"[{"a":1}]"#)).ok(),
            Some(json!([{"a": 1}]))
        );
    }

    #[test]
    fn encoded_reads_a_string_or_the_value_and_writes_a_string() {
        let from_string = Encoded::<Vec<u8>>::new()
            .deserialize(json!("[1,2]"))
            .unwrap();
        let from_array = Encoded::<Vec<u8>>::new()
            .deserialize(json!([1, 2]))
            .unwrap();
        assert_eq!((from_string.clone(), from_array), (vec![1, 2], vec![1, 2]));
        let err = Encoded::<Vec<u8>>::new()
            .deserialize(json!("[1,"))
            .unwrap_err();
        assert!(err.to_string().contains("held by a string"), "{err}");
        assert_eq!(
            EncodedOption::<Vec<u8>>::new()
                .deserialize(json!(null))
                .unwrap(),
            None
        );
        assert_eq!(
            EncodedOption::<Vec<u8>>::new()
                .deserialize(json!("[3]"))
                .unwrap(),
            Some(vec![3])
        );
        assert_eq!(
            serde_json::to_value(EncodedRef(&from_string)).ok(),
            Some(json!("[1,2]"))
        );
    }

    #[test]
    fn tagged_adds_the_tag_only_when_missing() {
        let plain = json!({"delay": 0});
        let with_tag = json!({"delay": 0, "type": "typing"});
        let write = |v: &serde_json::Value| {
            tagged(v, "type", "typing", serde_json::value::Serializer).unwrap()
        };
        assert_eq!(write(&plain), with_tag);
        assert_eq!(write(&json!({"type": "other"})), json!({"type": "other"}));
        let back: serde_json::Value =
            variant_from_map(with_tag.as_object().unwrap().clone()).unwrap();
        assert_eq!(back, with_tag);
    }

    #[test]
    fn an_object_that_does_not_fit_its_variant_is_given_back_whole() {
        #[derive(Debug, serde::Deserialize)]
        struct Text {
            #[allow(dead_code)] // read to check the shape
            text: Option<String>,
        }
        let fits = json!({"type": "text", "text": "hola"});
        assert!(variant_from_map::<Text>(fits.as_object().unwrap().clone()).is_ok());
        let whatsapp = json!({"wa": 1, "type": "text", "text": {"body": "hola"}});
        let kept = variant_from_map::<Text>(whatsapp.as_object().unwrap().clone())
            .expect_err("the text is an object");
        assert_eq!(serde_json::Value::Object(kept), whatsapp);
    }
}
