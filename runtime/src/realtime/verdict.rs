//! Whether the server accepted `authenticate` on a new socket, from what it sends right after.
//!
//! The protocol documents no answer to `authenticate`, so silence means accepted. A server that
//! refuses it answers the HTTP API's error envelope and (or) closes the socket: within the
//! wait, an error frame first, whose code the table calls unauthorized or that the close
//! follows, or a close with code 1008, is a refusal. Anything else the server sends first
//! (an event, or a second frame after a first error: that error answered a subscription) means
//! accepted. A socket that drops before anything is a network failure, not a refusal.

use std::time::Duration;

use futures::StreamExt;

use super::error::describe;
use super::events::RealtimeEvent;
use super::frames::{self, EventFrame, Incoming, Reading};
use super::socket::Reader;
use crate::api_error::ApiError;

/// What the first frames after `authenticate` said.
pub(crate) enum Verdict<E> {
    /// Accepted, or nothing was said within the wait. The events read meanwhile, in order,
    /// for the streams.
    Accepted(Vec<RealtimeEvent<E>>),
    /// Refused, and why.
    Refused {
        reason: String,
        envelope: Option<Box<ApiError>>,
    },
    /// The socket went first, for this token-free reason: a network failure.
    Lost(String),
}

/// Reads `reader` for at most `wait` after `authenticate` was written, until the server has
/// said whether it accepts it.
pub(crate) async fn await_verdict<E: EventFrame>(
    reader: &mut Reader,
    wait: Duration,
    reading: Reading<'_>,
) -> Verdict<E> {
    let until = tokio::time::Instant::now() + wait;
    // An error frame that came first: the answer to `authenticate`, unless more follows.
    let mut first_error: Option<Box<ApiError>> = None;
    loop {
        let Ok(message) = tokio::time::timeout_at(until, reader.next()).await else {
            return accepted(first_error, None);
        };
        let gone = match message {
            None => "the server closed the socket".to_owned(),
            Some(Err(error)) => describe(&error, reading.token),
            Some(Ok(message)) => match frames::incoming::<E>(message, reading) {
                Incoming::Nothing => continue,
                Incoming::Closed { reason, policy } => {
                    if policy && first_error.is_none() {
                        return Verdict::Refused {
                            reason,
                            envelope: None,
                        };
                    }
                    reason
                }
                Incoming::Event(RealtimeEvent::ServerError(envelope)) if first_error.is_none() => {
                    if envelope.is_unauthorized() {
                        return refused(envelope);
                    }
                    first_error = Some(envelope);
                    continue;
                }
                Incoming::Event(event) => return accepted(first_error, Some(event)),
            },
        };
        return match first_error {
            Some(envelope) => refused(envelope),
            None => Verdict::Lost(gone),
        };
    }
}

fn refused<E>(envelope: Box<ApiError>) -> Verdict<E> {
    Verdict::Refused {
        reason: envelope.to_string(),
        envelope: Some(envelope),
    }
}

fn accepted<E>(first_error: Option<Box<ApiError>>, next: Option<RealtimeEvent<E>>) -> Verdict<E> {
    let events = first_error
        .map(RealtimeEvent::ServerError)
        .into_iter()
        .chain(next)
        .collect();
    Verdict::Accepted(events)
}
