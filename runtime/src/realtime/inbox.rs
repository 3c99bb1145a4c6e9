//! What sending to a contact needs beyond the socket: the facts kept about a contact, and the
//! channels' reply windows. The catalogue supplies its part through an [`Inbox`](super::Inbox)
//! (which operation tells the facts, how long each window is, what reaches a contact past it); this module knows no operation
//! and no frame.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde_json::Value;

use super::RealtimeError;
use crate::values::{UnixMillis, UnixSeconds};

/// What a message to a contact needs to know of them, as the catalogue's contact lookup answers
/// it: kept by the connection once read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactFacts {
    /// The contact's conversation hash, which frames carry.
    pub hash: Option<Value>,
    /// The contact's channel (its wire value).
    pub channel: Option<Value>,
    /// When the contact last wrote, in milliseconds since 1970.
    pub last_interaction_ms: Option<i64>,
}

impl ContactFacts {
    /// The facts of the contact lookup's typed answer: its conversation hash and channel (as
    /// the frames send them) and when the contact last wrote. An empty hash or channel is no
    /// hash or channel.
    ///
    /// # Errors
    ///
    /// [`RealtimeError::Lookup`] when the hash or the channel does not serialize.
    pub fn read<H, C, T>(
        hash: Option<&H>,
        channel: Option<&C>,
        last_interaction: Option<&T>,
    ) -> Result<ContactFacts, RealtimeError>
    where
        H: Serialize + ?Sized,
        C: Serialize + ?Sized,
        T: SinceEpoch + ?Sized,
    {
        Ok(ContactFacts {
            hash: json_of("the contact's conversation hash", hash)?,
            channel: json_of("the contact's channel", channel)?,
            last_interaction_ms: last_interaction.and_then(SinceEpoch::epoch_millis),
        })
    }
}

/// `value` as the frames send it; `None` for nothing, `null` or an empty string.
pub(crate) fn json_of<T: Serialize + ?Sized>(
    what: &'static str,
    value: Option<&T>,
) -> Result<Option<Value>, RealtimeError> {
    let Some(value) = value else {
        return Ok(None);
    };
    match serde_json::to_value(value) {
        Ok(Value::Null) => Ok(None),
        Ok(Value::String(text)) if text.is_empty() => Ok(None),
        Ok(json) => Ok(Some(json)),
        Err(error) => Err(RealtimeError::lookup(what, error.to_string())),
    }
}

/// A time the server sends, read as milliseconds since 1970 (`None` when it is not one):
/// what the catalogue's contact lookup may name as when the contact last wrote.
pub trait SinceEpoch {
    /// The time in milliseconds since 1970, when it reads as one.
    fn epoch_millis(&self) -> Option<i64>;
}

impl SinceEpoch for UnixMillis {
    fn epoch_millis(&self) -> Option<i64> {
        self.as_i64()
    }
}

impl SinceEpoch for UnixSeconds {
    fn epoch_millis(&self) -> Option<i64> {
        self.as_i64().map(|seconds| seconds.saturating_mul(1000))
    }
}

/// An integer is taken as milliseconds.
impl SinceEpoch for i64 {
    fn epoch_millis(&self) -> Option<i64> {
        Some(*self)
    }
}

/// Text is taken as a number of milliseconds.
impl SinceEpoch for str {
    fn epoch_millis(&self) -> Option<i64> {
        self.trim().parse().ok()
    }
}

impl SinceEpoch for String {
    fn epoch_millis(&self) -> Option<i64> {
        self.as_str().epoch_millis()
    }
}

/// Now, in milliseconds since 1970.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The catalogue's reply windows: how long each channel stays open after the contact's last
/// message, and what still reaches them once it has closed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReplyWindows {
    /// Hours a contact stays reachable after they last wrote, by channel wire value; `0`:
    /// nothing can be sent on that channel.
    pub hours: &'static [(i64, u32)],
    /// The operation that still reaches a contact past the window, by channel wire value
    /// (on WhatsApp, one that sends an approved template).
    pub past_window: &'static [(i64, &'static str)],
}

/// Whether a contact who last wrote at `last_interaction_ms` can be written to on `channel`
/// now, by the catalogue's `windows`. A channel without a window, or a contact whose last
/// message is unknown, is not refused.
///
/// # Errors
///
/// [`RealtimeError::Unreachable`], saying why and, past a window, what still reaches the
/// contact, before anything is sent.
pub(crate) fn check_reply_window(
    windows: ReplyWindows,
    channel: &Value,
    last_interaction_ms: Option<i64>,
) -> Result<(), RealtimeError> {
    check_reply_window_at(windows, channel, last_interaction_ms, now_ms())
}

fn check_reply_window_at(
    windows: ReplyWindows,
    channel: &Value,
    last_interaction_ms: Option<i64>,
    now: i64,
) -> Result<(), RealtimeError> {
    let Some(channel) = channel
        .as_i64()
        .or_else(|| channel.as_str().and_then(|s| s.trim().parse().ok()))
    else {
        return Ok(());
    };
    let Some(&(_, hours)) = windows.hours.iter().find(|(c, _)| *c == channel) else {
        return Ok(());
    };
    if hours == 0 {
        return Err(RealtimeError::Unreachable {
            channel,
            reason: format!("nothing can be sent on channel {channel}"),
            since_last_message: None,
            past_window_operation: None,
        });
    }
    let Some(last) = last_interaction_ms else {
        return Ok(());
    };
    let since_ms = (now - last).max(0);
    let since_hours = since_ms / 3_600_000;
    if since_hours >= i64::from(hours) {
        return Err(RealtimeError::Unreachable {
            channel,
            reason: format!(
                "the contact last wrote {since_hours} hours ago, past channel {channel}'s reply window of {hours} hours: nothing was sent"
            ),
            since_last_message: Some(Duration::from_millis(since_ms.unsigned_abs())),
            past_window_operation: windows
                .past_window
                .iter()
                .find(|(c, _)| *c == channel)
                .map(|(_, operation)| *operation),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const WINDOWS: ReplyWindows = ReplyWindows {
        hours: &[(0, 168), (5, 24), (15, 0)],
        past_window: &[(5, "send_template")],
    };
    const HOUR: i64 = 3_600_000;
    const NOW: i64 = 1_700_000_000_000;

    #[test]
    fn a_contact_inside_the_window_is_reachable() {
        assert!(check_reply_window_at(WINDOWS, &json!(5), Some(NOW - 23 * HOUR), NOW).is_ok());
        assert!(check_reply_window_at(WINDOWS, &json!("0"), Some(NOW - 100 * HOUR), NOW).is_ok());
    }

    #[test]
    fn a_contact_past_the_window_is_refused_with_why() {
        let error =
            check_reply_window_at(WINDOWS, &json!(5), Some(NOW - 30 * HOUR), NOW).unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("30 hours ago") && text.contains("24 hours"),
            "{text}"
        );
        assert!(
            text.ends_with("; past the window, send an approved template instead (send_template)"),
            "{text}"
        );
        match error {
            RealtimeError::Unreachable {
                channel,
                since_last_message,
                past_window_operation,
                ..
            } => {
                assert_eq!(channel, 5);
                assert_eq!(since_last_message, Some(Duration::from_secs(30 * 3600)));
                assert_eq!(past_window_operation, Some("send_template"));
            }
            other => panic!("expected Unreachable, got {other:?}"),
        }
        // A channel without a way on says nothing of one.
        let error =
            check_reply_window_at(WINDOWS, &json!(0), Some(NOW - 200 * HOUR), NOW).unwrap_err();
        assert!(!error.to_string().contains("template"), "{error}");
    }

    #[test]
    fn facts_read_from_typed_values_as_the_frames_send_them() {
        let facts = ContactFacts::read(
            Some("h-1"),
            Some(&5),
            Some(&UnixMillis::new("1688201188610")),
        )
        .expect("serializable");
        assert_eq!(
            facts,
            ContactFacts {
                hash: Some(json!("h-1")),
                channel: Some(json!(5)),
                last_interaction_ms: Some(1688201188610),
            }
        );
        let empty =
            ContactFacts::read(Some(""), None::<&i64>, Some("[timestamp]")).expect("serializable");
        assert_eq!(
            empty,
            ContactFacts::default(),
            "empty and unreadable are unknown"
        );
        assert_eq!(
            UnixSeconds::new(1688459542).epoch_millis(),
            Some(1688459542000)
        );
        assert_eq!(1688201188610_i64.epoch_millis(), Some(1688201188610));
    }

    #[test]
    fn a_hash_that_does_not_serialize_is_an_error_not_a_blank() {
        struct Broken;
        impl Serialize for Broken {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("no JSON for this"))
            }
        }
        let error = ContactFacts::read(Some(&Broken), None::<&i64>, None::<&i64>).unwrap_err();
        assert!(
            matches!(&error, RealtimeError::Lookup { reason, .. } if reason.contains("no JSON")),
            "{error:?}"
        );
    }

    #[test]
    fn nothing_goes_on_a_closed_channel_and_unknowns_pass() {
        let error = check_reply_window_at(WINDOWS, &json!(15), None, NOW).unwrap_err();
        assert_eq!(
            error.to_string(),
            "realtime: nothing can be sent on channel 15"
        );
        assert!(
            check_reply_window_at(WINDOWS, &json!(9), Some(0), NOW).is_ok(),
            "no window"
        );
        assert!(
            check_reply_window_at(WINDOWS, &json!(5), None, NOW).is_ok(),
            "unknown last"
        );
        assert!(check_reply_window_at(WINDOWS, &json!(null), Some(0), NOW).is_ok());
    }
}
