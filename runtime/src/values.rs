//! Values the server sends loosely, kept as the text it sent: ids and times.
//!
//! The server writes the same id as `833274349439` in one answer and `"833274349439"` in another,
//! message ids are not numbers at all (`"m_PGup8V…"`), and times come as milliseconds, seconds or
//! `YYYY-MM-DD HH:MM:SS` text. These types accept a JSON string or number, keep its text, and
//! read it on demand, so that an unexpected value is kept (and written back) instead of failing
//! the whole answer.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// The text of a JSON scalar: a string as it is, a number or boolean as its JSON text. The
/// field names what was expected, for the error of any other value.
pub(crate) struct ScalarText(pub(crate) &'static str);

impl Visitor<'_> for ScalarText {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (a string or a number)", self.0)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// What an id type is an id of: implemented by the marker types generated for the catalogue's
/// id types (`ContactIdKind` for `ContactId`).
pub trait IdKind: 'static {
    /// The id type's name, as `Debug` shows it (`ContactId`).
    const NAME: &'static str;
}

/// The marker of [`Id`], an id of no particular kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AnyId {}

impl IdKind for AnyId {
    const NAME: &'static str = "Id";
}

/// An id of something of kind `K`: each of the catalogue's id types (`ContactId`, `FlowId`, ...)
/// is a `TypedId` with its own marker, so that one cannot be passed where another is expected.
///
/// The value is kept as the text the server sent (`"833274349439"`, `"m_PGup8V…"`); it is
/// written as a JSON string, or as a number where the catalogue sends it `as: number`.
pub struct TypedId<K> {
    text: String,
    kind: PhantomData<fn() -> K>,
}

/// An id of no particular kind (the catalogue's `id`).
pub type Id = TypedId<AnyId>;

impl<K> TypedId<K> {
    /// An id from its text or number: `ContactId::new(2850008055041461u64)`,
    /// `ContactId::new("2850008055041461")`, or another id's value (`AdminId::new(&team.id)`).
    pub fn new(value: impl fmt::Display) -> Self {
        TypedId {
            text: value.to_string(),
            kind: PhantomData,
        }
    }

    /// The id's text, as the server sent it.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The id as a number, when it is one (`None` for `"m_PGup8V…"`).
    pub fn as_u64(&self) -> Option<u64> {
        self.text.parse().ok()
    }

    /// The id's text.
    pub fn into_string(self) -> String {
        self.text
    }

    /// The text, for the record decoder to fill.
    pub(crate) fn text_mut(&mut self) -> &mut String {
        &mut self.text
    }

    /// An id holding `text`, without formatting it.
    pub(crate) fn from_text(text: String) -> Self {
        TypedId {
            text,
            kind: PhantomData,
        }
    }
}

impl<K> Clone for TypedId<K> {
    fn clone(&self) -> Self {
        TypedId {
            text: self.text.clone(),
            kind: PhantomData,
        }
    }
}

impl<K> PartialEq for TypedId<K> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl<K> Eq for TypedId<K> {}

impl<K> PartialOrd for TypedId<K> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<K> Ord for TypedId<K> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.text.cmp(&other.text)
    }
}

impl<K> Hash for TypedId<K> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl<K: IdKind> fmt::Debug for TypedId<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple(K::NAME).field(&self.text).finish()
    }
}

impl<K> fmt::Display for TypedId<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<K> FromStr for TypedId<K> {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(TypedId::new(s))
    }
}

impl<K> AsRef<str> for TypedId<K> {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl<K> Serialize for TypedId<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de, K: IdKind> Deserialize<'de> for TypedId<K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarText(K::NAME)).map(|text| TypedId {
            text,
            kind: PhantomData,
        })
    }
}

/// Declares a time type kept as the server's text.
macro_rules! time_text {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name {
            text: String,
        }

        impl $name {
            /// A value from its text or number, as the server would send it.
            pub fn new(value: impl fmt::Display) -> Self {
                $name { text: value.to_string() }
            }

            /// The text the server sent.
            pub fn as_str(&self) -> &str {
                &self.text
            }

            /// The text, for the record decoder to fill.
            pub(crate) fn text_mut(&mut self) -> &mut String {
                &mut self.text
            }

            /// A value holding `text`, without formatting it.
            pub(crate) fn from_text(text: String) -> Self {
                $name { text }
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.text).finish()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.text)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.text)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(ScalarText($what)).map(|text| $name { text })
            }
        }
    };
}

time_text!(
    /// A time in milliseconds since 1970-01-01 UTC (`"1688201188610"`), kept as sent.
    UnixMillis,
    "a time in milliseconds"
);

time_text!(
    /// A time in seconds since 1970-01-01 UTC (`"1688459542"`), kept as sent.
    UnixSeconds,
    "a time in seconds"
);

time_text!(
    /// A date and time as text, `YYYY-MM-DD HH:MM:SS` (`"2023-05-22 17:57:43"`), in the
    /// account's local time (the server does not say which zone), kept as sent.
    DateTimeText,
    "a date and time"
);

impl UnixMillis {
    /// The number of milliseconds, when the text is one.
    pub fn as_i64(&self) -> Option<i64> {
        parse_integer(&self.text)
    }

    /// The time, when the text is a number of milliseconds.
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let millis = u64::try_from(self.as_i64()?).ok()?;
        UNIX_EPOCH.checked_add(Duration::from_millis(millis))
    }
}

impl UnixSeconds {
    /// The number of seconds, when the text is one.
    pub fn as_i64(&self) -> Option<i64> {
        parse_integer(&self.text)
    }

    /// The time, when the text is a number of seconds.
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let seconds = u64::try_from(self.as_i64()?).ok()?;
        UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
    }
}

/// The parts of a [`DateTimeText`]: what it says, without a time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTimeParts {
    /// The year.
    pub year: u16,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, 1 to 28, 29, 30 or 31 as the month has (leap years counted).
    pub day: u8,
    /// The hour, 0 to 23.
    pub hour: u8,
    /// The minute, 0 to 59.
    pub minute: u8,
    /// The second, 0 to 60 (a leap second).
    pub second: u8,
}

impl DateTimeParts {
    /// The date and time in UTC of a Unix time in seconds (the proleptic Gregorian calendar,
    /// H. Hinnant's `civil_from_days`); `None` outside the years 0 to 65535.
    pub fn from_unix(seconds: i64) -> Option<DateTimeParts> {
        let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Some(DateTimeParts {
            year: u16::try_from(year).ok()?,
            // Within range by construction: 1..=12, 1..=31, and the parts of a day.
            month: month as u8,
            day: day as u8,
            hour: (second_of_day / 3_600) as u8,
            minute: (second_of_day % 3_600 / 60) as u8,
            second: (second_of_day % 60) as u8,
        })
    }
}

impl DateTimeText {
    /// The date and time, when the text is `YYYY-MM-DD HH:MM:SS` (or `YYYY-MM-DD`, as midnight)
    /// and names a real one: `None` for 31 February, or 29 February outside a leap year.
    pub fn parts(&self) -> Option<DateTimeParts> {
        let text = trimmed(&self.text);
        let (date, time) = match text.split_once([' ', 'T']) {
            Some((date, time)) => (date, Some(time)),
            None => (text, None),
        };
        let mut date = date.split('-');
        let year = date.next()?.parse().ok()?;
        let month = date.next()?.parse().ok()?;
        let day = date.next()?.parse().ok()?;
        if date.next().is_some() {
            return None;
        }
        let (hour, minute, second) = match time {
            None => (0, 0, 0),
            Some(time) => {
                let mut time = time.split(':');
                let hour = time.next()?.parse().ok()?;
                let minute = time.next()?.parse().ok()?;
                let second = time.next().map_or(Some(0), |s| s.parse().ok())?;
                if time.next().is_some() {
                    return None;
                }
                (hour, minute, second)
            }
        };
        let parts = DateTimeParts {
            year,
            month,
            day,
            hour,
            minute,
            second,
        };
        let valid = (1..=12).contains(&parts.month)
            && (1..=days_in_month(parts.year, parts.month)).contains(&parts.day)
            && parts.hour < 24
            && parts.minute < 60
            && parts.second <= 60;
        valid.then_some(parts)
    }
}

/// The days of `month` (1 to 12) in `year` of the Gregorian calendar.
fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

fn parse_integer(text: &str) -> Option<i64> {
    let text = trimmed(text);
    text.parse().ok().or_else(|| {
        // A float with no fraction, as a loose server may write it.
        let float: f64 = text.parse().ok()?;
        (float.fract() == 0.0 && float.abs() < 9.0e15).then_some(float as i64)
    })
}

/// `text` without the whitespace around it, as [`str::trim`] gives it, but at once when its
/// first and last bytes are visible ASCII, as nearly every number or time the server writes:
/// `trim` decodes a character at each end to test it for Unicode whitespace.
#[inline]
pub(crate) fn trimmed(text: &str) -> &str {
    match text.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        [only] if only.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn trimmed_is_str_trim() {
        let ascii = [
            "", " ", "1", " 1", "1 ", "12", " 12 ", "\t5\n", "1.5e3", "x y",
        ];
        let unicode = [
            "\u{b}7",
            "7\u{b}",
            "\u{a0}8",
            "8\u{3000}",
            "é",
            " é ",
            "\u{a0}",
        ];
        for text in ascii.into_iter().chain(unicode) {
            assert_eq!(trimmed(text), text.trim(), "{text:?}");
        }
    }

    enum ContactKind {}
    impl IdKind for ContactKind {
        const NAME: &'static str = "ContactId";
    }
    type ContactId = TypedId<ContactKind>;

    #[test]
    fn ids_keep_the_text_of_strings_and_numbers() {
        let from_number: ContactId = serde_json::from_value(json!(2850008055041461u64)).unwrap();
        let from_string: ContactId = serde_json::from_value(json!("2850008055041461")).unwrap();
        assert_eq!(from_number, from_string);
        assert_eq!(from_number.as_u64(), Some(2850008055041461));
        let message: Id = serde_json::from_value(json!("m_PGup8V-a")).unwrap();
        assert_eq!((message.as_str(), message.as_u64()), ("m_PGup8V-a", None));
        assert_eq!(
            serde_json::to_value(&from_number).unwrap(),
            json!("2850008055041461")
        );
        assert_eq!(
            format!("{from_number:?}"),
            r#"ContactId("2850008055041461")"#
        );
        assert_eq!(ContactId::new(7u64).to_string(), "7");
        let err = serde_json::from_value::<ContactId>(json!([1])).unwrap_err();
        assert!(err.to_string().contains("ContactId"), "{err}");
    }

    #[test]
    fn times_read_their_text() {
        let ms: UnixMillis = serde_json::from_value(json!("1688201188610")).unwrap();
        assert_eq!(ms.as_i64(), Some(1688201188610));
        let since = ms
            .to_system_time()
            .unwrap()
            .duration_since(UNIX_EPOCH)
            .unwrap();
        assert_eq!(since.as_millis(), 1688201188610);
        let s: UnixSeconds = serde_json::from_value(json!(1688459542)).unwrap();
        assert_eq!(
            s.to_system_time()
                .unwrap()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_secs(),
            1688459542
        );
        let placeholder: UnixSeconds = serde_json::from_value(json!("[timestamp]")).unwrap();
        assert_eq!(
            (placeholder.as_i64(), placeholder.to_system_time()),
            (None, None)
        );
        assert_eq!(
            serde_json::to_value(&placeholder).unwrap(),
            json!("[timestamp]")
        );
        assert_eq!(UnixSeconds::new("-5").to_system_time(), None);
    }

    #[test]
    fn date_times_split_into_parts() {
        let dt = DateTimeText::new("2023-05-22 17:57:43");
        assert_eq!(
            dt.parts(),
            Some(DateTimeParts {
                year: 2023,
                month: 5,
                day: 22,
                hour: 17,
                minute: 57,
                second: 43
            })
        );
        assert_eq!(
            DateTimeText::new("2025-12-25").parts().map(|p| p.hour),
            Some(0)
        );
        for leap in ["2024-02-29", "2000-02-29 23:59:59", "2023-12-31"] {
            assert!(DateTimeText::new(leap).parts().is_some(), "{leap}");
        }
        for bad in [
            "...",
            "2023-13-01 00:00:00",
            "2023-05-22 25:00:00",
            "2023-02-31 00:00:00",
            "2023-02-29",
            "1900-02-29",
            "2023-04-31",
            "2023-05",
            "",
        ] {
            assert_eq!(DateTimeText::new(bad).parts(), None, "{bad}");
        }
    }

    #[test]
    fn unix_times_read_as_utc_dates() {
        let at = |s| {
            DateTimeParts::from_unix(s)
                .map(|p| (p.year, p.month, p.day, p.hour, p.minute, p.second))
        };
        assert_eq!(at(0), Some((1970, 1, 1, 0, 0, 0)));
        assert_eq!(at(1_717_243_200), Some((2024, 6, 1, 12, 0, 0)));
        assert_eq!(at(951_782_400), Some((2000, 2, 29, 0, 0, 0)));
        assert_eq!(at(-1), Some((1969, 12, 31, 23, 59, 59)));
        assert_eq!(at(i64::MAX), None);
        assert_eq!(at(i64::MIN), None);
    }
}
