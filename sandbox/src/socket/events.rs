//! The frames the server sends: events (`{"data": {...}}`) and errors.
//!
//! Events are written as the vendor's web inbox receives them: `data.type` is `message`,
//! `seen` or `delivered`; a message's parts are an array (not a string holding one, as HTTP
//! answers have them); ids that are numbers are written as numbers.

use chatrace::types::Message;
use serde_json::{json, Map, Value};
use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::ids::id_json;
use crate::state::ContactRecord;

/// `{"data": <event>}` as frame text.
fn frame(event: Value) -> Utf8Bytes {
    Utf8Bytes::from(json!({ "data": event }).to_string())
}

/// The error frame: `{"status":"ERROR","code":N}`, the HTTP API's error envelope.
pub(crate) fn error(code: u16) -> Utf8Bytes {
    Utf8Bytes::from(format!("{{\"status\":\"ERROR\",\"code\":{code}}}"))
}

/// A `message` event for a message of `contact`'s conversation.
pub(crate) fn message(contact: &ContactRecord, message: &Message) -> Utf8Bytes {
    let parts = serde_json::to_value(message.parts.as_deref().unwrap_or_default())
        .unwrap_or_else(|_| Value::Array(Vec::new()));
    frame(json!({
        "type": "message",
        "ms_id": id_json(contact.id.as_str()),
        "id": message.id.as_str(),
        "message": parts,
        "dir": serde_json::to_value(&message.direction).unwrap_or(Value::Null),
        "timestamp": crate::state::sent_at_ms(message),
        "from": message.sent_by.as_ref().map_or(Value::Null, |by| id_json(by.as_str())),
        "liveChat": contact.live_chat,
        "channel": serde_json::to_value(&message.channel).unwrap_or(Value::Null),
    }))
}

/// A `message` event whose one part is a state change of `contact`'s conversation (`assign`,
/// `live_chat`, `followup`, `archived` with their value in `data`; `note`), made by `by` at
/// `at_ms`: the conversation's own frame, or with `account_wide` the account's (`ms_id` null,
/// as the vendor's web inbox reads it for the conversations it has not open). The part names
/// its contact (`ms_id`), `from` and `timestamp` unless it has them.
pub(crate) fn state_change(
    contact: &ContactRecord,
    mut part: Map<String, Value>,
    by: u64,
    at_ms: i64,
    account_wide: bool,
) -> Utf8Bytes {
    part.entry("ms_id")
        .or_insert_with(|| id_json(contact.id.as_str()));
    part.entry("from").or_insert_with(|| Value::from(by));
    part.entry("timestamp")
        .or_insert_with(|| Value::from(at_ms));
    let ms_id = if account_wide {
        Value::Null
    } else {
        id_json(contact.id.as_str())
    };
    frame(json!({
        "type": "message",
        "ms_id": ms_id,
        "message": [part],
        "dir": 0,
        "timestamp": at_ms,
        "from": by,
        "liveChat": contact.live_chat,
        "channel": serde_json::to_value(&contact.channel).unwrap_or(Value::Null),
    }))
}

/// A `seen` or `delivered` event: the messages of `contact`'s conversation sent up to `at_ms`
/// were seen, or reached the contact.
pub(crate) fn receipt(kind: &str, contact: &ContactRecord, at_ms: i64) -> Utf8Bytes {
    frame(json!({
        "type": kind,
        "ms_id": id_json(contact.id.as_str()),
        "timestamp": at_ms,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_frame_carries_its_code_and_no_message() {
        assert_eq!(error(2).as_str(), r#"{"status":"ERROR","code":2}"#);
    }
}
