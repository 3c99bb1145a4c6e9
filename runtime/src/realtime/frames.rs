//! Frames: the two traits the generated code implements, the encoding of what the client
//! sends, and the decoding of what the server sends. No frame is named here.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

use super::error::{one_line, RealtimeError};
use super::events::RealtimeEvent;
use crate::api_error::{ApiError, ResponseBody};
use crate::meta::ErrorCodeMeta;
use crate::secret::SecretToken;

/// A frame the client sends: `{"action": ACTION, "data": <self>}`.
///
/// Implemented by the generated frame types (`authenticate`, `subscribe`, `send_message`); the
/// runtime knows no frame but through this trait.
pub trait Action: serde::Serialize + Send + Sync + 'static {
    /// The JSON text of the frame's `action` value: `"\"authenticate\""`, `"0"`, `"-1"`.
    const ACTION: &'static str;
    /// The frame's name in errors and traces (`send_message`).
    const NAME: &'static str;
}

/// What the server sends: the event type, decoded from the frame's member [`AT`](Self::AT).
///
/// Unknown frames must decode too: the generated event type is a union with an `Unknown`
/// variant that keeps the frame whole. A frame that still does not decode becomes
/// [`RealtimeEvent::Undecodable`].
///
/// `Clone`, because every stream of [`Connection::events`](super::Connection::events) gets
/// its own copy of each event.
pub trait EventFrame: DeserializeOwned + Clone + Send + 'static {
    /// The member of the frame the event is decoded from: `"data"`; `""` for the whole frame.
    const AT: &'static str;
}

/// The text of one outgoing frame.
///
/// Frames carry the session token: `Debug` shows the frame's name and size only, and the text
/// is never logged.
#[derive(Clone)]
pub(crate) struct FrameText {
    name: &'static str,
    text: Utf8Bytes,
}

impl FrameText {
    /// The frame's name ([`Action::NAME`]).
    pub(crate) fn name(&self) -> &'static str {
        self.name
    }

    /// The frame's size in bytes.
    pub(crate) fn len(&self) -> usize {
        self.text.len()
    }

    /// The WebSocket message that carries the frame (cheap: the text is shared).
    pub(crate) fn message(&self) -> Message {
        Message::Text(self.text.clone())
    }
}

impl fmt::Debug for FrameText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FrameText({}, {} bytes)", self.name, self.text.len())
    }
}

/// Encodes `{"action": A::ACTION, "data": action}`.
pub(crate) fn encode<A: Action>(
    action: &A,
    token: Option<&SecretToken>,
) -> Result<FrameText, RealtimeError> {
    // ACTION is pasted into the frame as it is: check that it is one JSON value, so that a
    // mistyped constant is an error here rather than a frame the server cannot read.
    if serde_json::from_str::<IgnoredAny>(A::ACTION).is_err() {
        return Err(RealtimeError::Encode {
            frame: A::NAME,
            reason: format!("its action {:?} is not JSON text", A::ACTION),
        });
    }
    let data = serde_json::to_string(action).map_err(|error| RealtimeError::Encode {
        frame: A::NAME,
        reason: one_line(&error.to_string(), token),
    })?;
    let mut text = String::with_capacity(data.len() + A::ACTION.len() + 20);
    text.push_str("{\"action\":");
    text.push_str(A::ACTION);
    text.push_str(",\"data\":");
    text.push_str(&data);
    text.push('}');
    Ok(FrameText {
        name: A::NAME,
        text: text.into(),
    })
}

/// What one message from the server means to the connection.
pub(crate) enum Incoming<E> {
    /// An event (possibly [`RealtimeEvent::Undecodable`] or [`RealtimeEvent::ServerError`]) for
    /// the streams.
    Event(RealtimeEvent<E>),
    /// Nothing for the streams: pings and pongs (tungstenite answers pings itself).
    Nothing,
    /// The server closed the connection, with this token-free reason; `policy` when its close
    /// code is 1008 (policy violation: what a server that refuses a client sends).
    Closed { reason: String, policy: bool },
}

/// What reading a frame needs: the token to mask, the catalogue's table of error codes.
#[derive(Clone, Copy)]
pub(crate) struct Reading<'a> {
    pub(crate) token: Option<&'a SecretToken>,
    pub(crate) codes: &'static [ErrorCodeMeta],
}

/// Reads one message from the server. Never fails: an error envelope the event type does not
/// decode is a [`RealtimeEvent::ServerError`]; anything else that does not decode is reported
/// as [`RealtimeEvent::Undecodable`], with its text and error redacted.
pub(crate) fn incoming<E: EventFrame>(message: Message, reading: Reading<'_>) -> Incoming<E> {
    let token = reading.token;
    match message {
        Message::Text(text) => Incoming::Event(event_from_text(text.as_str(), reading)),
        // The protocol is text, but a server may send the same JSON in a binary message.
        Message::Binary(bytes) => match std::str::from_utf8(&bytes) {
            Ok(text) => Incoming::Event(event_from_text(text, reading)),
            Err(_) => Incoming::Event(RealtimeEvent::Undecodable {
                text: redact_whole(&String::from_utf8_lossy(&bytes), token),
                error: format!(
                    "a binary message of {} bytes that is not UTF-8",
                    bytes.len()
                ),
            }),
        },
        Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => Incoming::Nothing,
        Message::Close(frame) => match frame {
            Some(frame) => Incoming::Closed {
                reason: one_line(
                    &format!(
                        "the server closed the connection (code {}: {})",
                        u16::from(frame.code),
                        frame.reason.as_str()
                    ),
                    token,
                ),
                policy: u16::from(frame.code) == POLICY_VIOLATION,
            },
            None => Incoming::Closed {
                reason: "the server closed the connection".to_owned(),
                policy: false,
            },
        },
    }
}

/// The WebSocket close code of a server that refuses what a client sent.
const POLICY_VIOLATION: u16 = 1008;

fn event_from_text<E: EventFrame>(text: &str, reading: Reading<'_>) -> RealtimeEvent<E> {
    match decode::<E>(text) {
        Ok(event) => RealtimeEvent::Event(event),
        Err(error) => match error_frame(text, reading) {
            Some(envelope) => RealtimeEvent::ServerError(Box::new(envelope)),
            None => RealtimeEvent::Undecodable {
                text: redact_whole(text, reading.token),
                error: one_line(&error, reading.token),
            },
        },
    }
}

/// The HTTP API's error envelope (`{"status":"ERROR","code":N}`), when a frame is one.
fn error_frame(text: &str, reading: Reading<'_>) -> Option<ApiError> {
    let serde_json::Value::Object(answer) = serde_json::from_str(text).ok()? else {
        return None;
    };
    let body = ResponseBody::new(text.as_bytes(), reading.token.cloned());
    ApiError::from_answer(&answer, 200, reading.codes, reading.token, body)
}

/// The whole text, with the token and every `"…token": "…"` member masked.
fn redact_whole(text: &str, token: Option<&SecretToken>) -> String {
    crate::redact::redact(text, token.map(SecretToken::expose).as_slice())
}

/// Decodes the event from the member `E::AT` of the frame (the whole frame when `AT` is empty),
/// in one pass over the text; the frame's other members are skipped, not parsed into values.
pub(crate) fn decode<E: EventFrame>(text: &str) -> Result<E, String> {
    if E::AT.is_empty() {
        return serde_json::from_str(text).map_err(|error| error.to_string());
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let found = MemberSeed::<E> {
        name: E::AT,
        event: PhantomData,
    }
    .deserialize(&mut deserializer)
    .and_then(|found| deserializer.end().map(|()| found))
    .map_err(|error| error.to_string())?;
    found.ok_or_else(|| format!("the frame has no member `{}`", E::AT))
}

/// Deserializes a JSON object into the value of its member `name` (the first one, should the
/// object repeat it), or `None` when it has no such member.
struct MemberSeed<'a, E> {
    name: &'a str,
    event: PhantomData<fn() -> E>,
}

impl<'de, E: DeserializeOwned> DeserializeSeed<'de> for MemberSeed<'_, E> {
    type Value = Option<E>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Option<E>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, E: DeserializeOwned> Visitor<'de> for MemberSeed<'_, E> {
    type Value = Option<E>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object with a member `{}`", self.name)
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Option<E>, M::Error> {
        let mut found = None;
        while let Some(is_it) = map.next_key_seed(KeyIs(self.name))? {
            if is_it && found.is_none() {
                found = Some(map.next_value::<E>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// Deserializes a map key into whether it is the given name, without allocating it.
struct KeyIs<'a>(&'a str);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<Er: de::Error>(self, key: &str) -> Result<bool, Er> {
        Ok(key == self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Deserialize)]
    struct Data {
        n: u32,
    }

    impl EventFrame for Data {
        const AT: &'static str = "data";
    }

    #[derive(Debug, Clone, PartialEq, Deserialize)]
    struct Whole {
        data: Data,
    }

    impl EventFrame for Whole {
        const AT: &'static str = "";
    }

    #[derive(Serialize)]
    struct Ping {
        token: &'static str,
    }

    impl Action for Ping {
        const ACTION: &'static str = "\"authenticate\"";
        const NAME: &'static str = "ping";
    }

    #[derive(Serialize)]
    struct Mistyped;

    impl Action for Mistyped {
        const ACTION: &'static str = "authenticate";
        const NAME: &'static str = "mistyped";
    }

    struct Failing;

    impl Serialize for Failing {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("cannot hold tok-SECRET"))
        }
    }

    impl Action for Failing {
        const ACTION: &'static str = "0";
        const NAME: &'static str = "failing";
    }

    #[test]
    fn encodes_action_then_data() {
        let frame = encode(&Ping { token: "t" }, None).expect("encodes");
        assert_eq!(
            frame.message(),
            Message::text(r#"{"action":"authenticate","data":{"token":"t"}}"#)
        );
        assert_eq!(frame.name(), "ping");
        assert_eq!(format!("{frame:?}"), "FrameText(ping, 46 bytes)");
    }

    #[test]
    fn an_action_that_is_not_json_or_data_that_cannot_serialize_is_an_encode_error() {
        let error = encode(&Mistyped, None).expect_err("not JSON");
        assert!(
            matches!(
                error,
                RealtimeError::Encode {
                    frame: "mistyped",
                    ..
                }
            ),
            "{error:?}"
        );
        let token = SecretToken::new("tok-SECRET");
        let error = encode(&Failing, Some(&token)).expect_err("fails");
        let text = format!("{error} {error:?}");
        assert!(
            text.contains("failing") && text.contains("cannot hold ***"),
            "{text}"
        );
        assert!(!text.contains("tok-SECRET"), "{text}");
    }

    #[test]
    fn decodes_the_member_and_skips_the_rest() {
        let text = r#"{"before":{"x":[1,2,{"data":0}]},"data":{"n":7},"after":"data"}"#;
        assert_eq!(decode::<Data>(text), Ok(Data { n: 7 }));
        assert_eq!(
            decode::<Whole>(r#"{"data":{"n":1}}"#),
            Ok(Whole {
                data: Data { n: 1 }
            })
        );
        assert_eq!(
            decode::<Data>(r#"{"data":{"n":1},"data":{"n":2}}"#),
            Ok(Data { n: 1 }),
            "the first member wins"
        );
        assert_eq!(
            decode::<Data>(r#"{"d\u0061ta":{"n":3}}"#),
            Ok(Data { n: 3 }),
            "an escaped name is still the name"
        );
    }

    #[test]
    fn what_does_not_decode_says_why() {
        let missing = decode::<Data>(r#"{"other":1}"#).expect_err("no data");
        assert_eq!(missing, "the frame has no member `data`");
        for text in [
            "",
            "null",
            "[1]",
            "{\"data\":{\"n\":\"x\"}}",
            "{\"data\":{\"n\":1}} x",
            "{",
        ] {
            assert!(decode::<Data>(text).is_err(), "{text:?} decoded");
        }
    }

    #[test]
    fn deeply_nested_frames_do_not_overflow_the_stack() {
        let deep = "[".repeat(1 << 20) + &"]".repeat(1 << 20);
        // Skipped members are skipped without recursion.
        let skipped = format!(r#"{{"before":{deep},"data":{{"n":1}}}}"#);
        assert_eq!(decode::<Data>(&skipped), Ok(Data { n: 1 }));
        // Decoded ones hit serde_json's recursion limit.
        for text in [format!(r#"{{"data":{deep}}}"#), deep] {
            assert!(decode::<Data>(&text).is_err());
            assert!(decode::<serde_json::Value>(&text).is_err());
            assert!(decode::<Whole>(&text).is_err());
        }
    }

    impl EventFrame for serde_json::Value {
        const AT: &'static str = "data";
    }

    #[test]
    fn undecodable_text_and_error_are_redacted() {
        let token = SecretToken::new("tok-SECRET");
        let message = Message::text(r#"{"data":{"n":"tok-SECRET"},"token":"other"}"#);
        let reading = Reading {
            token: Some(&token),
            codes: &[],
        };
        let Incoming::Event(RealtimeEvent::<Data>::Undecodable { text, error }) =
            incoming(message, reading)
        else {
            panic!("not undecodable");
        };
        assert_eq!(text, r#"{"data":{"n":"***"},"token":"***"}"#);
        assert!(
            error.contains("***") && !error.contains("tok-SECRET"),
            "{error}"
        );
    }

    #[test]
    fn binary_pings_and_closes_are_handled() {
        let reading = Reading {
            token: None,
            codes: &[],
        };
        let event = |message| incoming::<Data>(message, reading);
        assert!(matches!(
            event(Message::binary(&br#"{"data":{"n":2}}"#[..])),
            Incoming::Event(RealtimeEvent::Event(Data { n: 2 }))
        ));
        assert!(matches!(
            event(Message::binary(vec![0xff, 0xfe])),
            Incoming::Event(RealtimeEvent::Undecodable { .. })
        ));
        assert!(matches!(
            event(Message::Ping(Default::default())),
            Incoming::Nothing
        ));
        assert!(matches!(
            event(Message::Close(None)),
            Incoming::Closed { policy: false, .. }
        ));
        let refused = tokio_tungstenite::tungstenite::protocol::CloseFrame {
            code: POLICY_VIOLATION.into(),
            reason: "refused".into(),
        };
        assert!(matches!(
            event(Message::Close(Some(refused))),
            Incoming::Closed { policy: true, .. }
        ));
    }

    #[test]
    fn an_error_envelope_is_a_server_error_with_the_token_masked() {
        let token = SecretToken::new("tok-SECRET");
        let reading = Reading {
            token: Some(&token),
            codes: &[],
        };
        let message = Message::text(r#"{"status":"ERROR","code":4,"message":"no tok-SECRET"}"#);
        let Incoming::Event(RealtimeEvent::<Data>::ServerError(envelope)) =
            incoming(message, reading)
        else {
            panic!("not a server error");
        };
        assert_eq!(
            envelope.code().map(|c| c.as_text().into_owned()),
            Some("4".into())
        );
        assert_eq!(envelope.message(), Some("no ***"));
        assert_eq!(
            envelope.body().text(),
            r#"{"status":"ERROR","code":4,"message":"no ***"}"#
        );
    }
}
