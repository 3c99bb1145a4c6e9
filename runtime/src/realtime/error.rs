//! What can go wrong on the realtime connection, and the token-free text of its causes.

use std::time::Duration;

use tokio_tungstenite::tungstenite::Error as WsError;

use crate::api_error::ApiError;
use crate::secret::SecretToken;

/// Why a realtime call failed.
///
/// No variant holds the session token: every reason is built from a cause whose text went
/// through the redaction of the connection (see [`RealtimeOptions::redact_token`]).
/// Non-exhaustive: a later version may tell more causes apart, so a `match` needs a `_` arm.
///
/// [`RealtimeOptions::redact_token`]: super::RealtimeOptions::redact_token
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RealtimeError {
    /// Could not connect (URL, DNS, TCP, TLS, HTTP upgrade, timeout, or the first
    /// `authenticate` frame not written), with the cause on one line.
    #[error("realtime: cannot connect to {url}: {reason}")]
    Connect {
        /// The URL as given, on one line of at most 200 characters, the token masked should it
        /// hold it.
        url: String,
        /// The cause, on one line.
        reason: String,
    },
    /// The server refused `authenticate`: it answered an error for it (the session is not
    /// valid, say), or closed the socket as refusing it (close code 1008), within
    /// [`auth_wait`](super::RealtimeOptions::auth_wait) of it. Connecting again would be
    /// refused again.
    #[error("realtime: the server refused the authentication: {reason}")]
    Refused {
        /// Why, on one line.
        reason: String,
        /// The error the server answered, when it answered one.
        envelope: Option<Box<ApiError>>,
    },
    /// The send of `frame` was not confirmed: it was not written because the socket was down
    /// (reconnecting), or the write failed or timed out. The runtime never sends it again:
    /// whether to, and when, is the caller's decision.
    #[error("realtime: `{frame}` was not confirmed and will not be sent again: {reason}")]
    Unconfirmed {
        /// The frame's name ([`Action::NAME`](super::Action::NAME)).
        frame: &'static str,
        /// Why, on one line.
        reason: String,
    },
    /// The connection is closed: by [`Connection::close`](super::Connection::close), or
    /// because reconnecting gave up after
    /// [`RetryPolicy::max_attempts`](crate::RetryPolicy::max_attempts) attempts (the events
    /// stream then ends with a `Disconnected` that says so).
    #[error("realtime: the connection is closed")]
    Closed,
    /// A frame could not be encoded: its `Serialize` failed, or its
    /// [`Action::ACTION`](super::Action::ACTION) is not JSON text.
    #[error("realtime: cannot encode `{frame}`: {reason}")]
    Encode {
        /// The frame's name ([`Action::NAME`](super::Action::NAME)).
        frame: &'static str,
        /// Why, on one line.
        reason: String,
    },
    /// A call the realtime client made over HTTP (to find the socket, the user, a contact, or
    /// to upload a file) failed.
    #[error("realtime: {0}")]
    Call(#[source] crate::Error),
    /// Something the connection needs could not be found (the socket's URL, the logged user,
    /// the session token).
    #[error("realtime: cannot find {what}: {reason}")]
    Lookup {
        /// What was looked for.
        what: &'static str,
        /// Why it was not found.
        reason: String,
    },
    /// The catalogue's template of `frame`, filled, does not fit its type: nothing was sent.
    #[error("realtime: the `{frame}` frame does not fit the catalogue's types: {reason}")]
    Frame {
        /// The frame.
        frame: &'static str,
        /// What does not fit.
        reason: String,
    },
    /// The contact cannot be written to on this channel now: nothing was sent. Past a reply
    /// window, [`past_window_operation`](RealtimeError::Unreachable::past_window_operation)
    /// names the catalogue's way on (on WhatsApp, an approved template), and Display says so.
    #[error("realtime: {reason}{}", past_window_hint(*past_window_operation))]
    Unreachable {
        /// The channel's wire value.
        channel: i64,
        /// Why: outside the channel's reply window, or a channel nothing can be sent on.
        reason: String,
        /// How long ago the contact last wrote, when the channel's reply window has closed on
        /// them; `None` on a channel nothing can be sent on.
        since_last_message: Option<Duration>,
        /// The operation of the catalogue that still reaches the contact on this channel past
        /// its window (`send_whatsapp_template`), when there is one.
        past_window_operation: Option<&'static str>,
    },
}

/// What Display adds to [`RealtimeError::Unreachable`] when the catalogue names a way on.
fn past_window_hint(operation: Option<&'static str>) -> String {
    operation.map_or_else(String::new, |operation| {
        format!("; past the window, send an approved template instead ({operation})")
    })
}

impl RealtimeError {
    /// Whether the server refused the credentials: a refused authentication, or a call over
    /// HTTP whose error says so.
    pub fn is_unauthorized(&self) -> bool {
        match self {
            RealtimeError::Refused { .. } => true,
            RealtimeError::Call(error) => error.is_unauthorized(),
            _ => false,
        }
    }

    /// [`RealtimeError::Call`].
    pub fn call(error: crate::Error) -> Self {
        RealtimeError::Call(error)
    }

    /// [`RealtimeError::Lookup`].
    pub fn lookup(what: &'static str, reason: impl Into<String>) -> Self {
        RealtimeError::Lookup {
            what,
            reason: reason.into(),
        }
    }

    /// [`RealtimeError::Frame`].
    pub fn frame(frame: &'static str, reason: impl Into<String>) -> Self {
        RealtimeError::Frame {
            frame,
            reason: reason.into(),
        }
    }
}

/// `text` on one short line (at most [`crate::redact::SNIPPET_CHARS`] characters), with the
/// token and every `"…token": "…"` JSON member masked.
pub(crate) fn one_line(text: &str, token: Option<&SecretToken>) -> String {
    crate::redact::snippet(text.as_bytes(), token.map(SecretToken::expose).as_slice())
}

/// The cause of a WebSocket failure, on one token-free line.
pub(crate) fn describe(error: &WsError, token: Option<&SecretToken>) -> String {
    let text = match error {
        // The read side stops at the first frame over the limit; the socket cannot be read on.
        WsError::Capacity(cause) => {
            format!("the server sent a frame larger than max_frame_size ({cause})")
        }
        WsError::ConnectionClosed | WsError::AlreadyClosed => "the connection is closed".to_owned(),
        WsError::Io(cause) => format!("I/O error: {cause}"),
        WsError::Http(response) => format!(
            "the server refused the WebSocket upgrade: HTTP {}",
            response.status()
        ),
        other => other.to_string(),
    };
    one_line(&text, token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_one_line_and_token_free() {
        let token = SecretToken::new("tok-SECRET");
        let line = one_line("bad\nframe tok-SECRET {\"token\":\"other\"}", Some(&token));
        assert_eq!(line, "bad frame *** {\"token\":\"***\"}");
    }

    #[test]
    fn a_frame_over_the_limit_says_so() {
        let error = WsError::Capacity(
            tokio_tungstenite::tungstenite::error::CapacityError::MessageTooLong {
                size: 10,
                max_size: 5,
            },
        );
        let text = describe(&error, None);
        assert!(text.contains("larger than max_frame_size"), "{text}");
        assert!(text.contains("10 > 5"), "{text}");
    }
}
