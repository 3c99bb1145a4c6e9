//! What the connection tells its readers, and how every reader gets every event.

use std::pin::Pin;
use std::sync::{Mutex, PoisonError};

use futures::Stream;
use tokio::sync::broadcast;

use crate::api_error::ApiError;

/// What the stream of [`Connection::events`](super::Connection::events) yields.
///
/// No variant holds the session token: reasons and undecodable text are redacted (see
/// [`RealtimeOptions::redact_token`](super::RealtimeOptions::redact_token)).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum RealtimeEvent<E> {
    /// A frame from the server, decoded.
    Event(E),
    /// The connection dropped, with the reason (token-free); the runtime reconnects. When it
    /// gives up (see [`RetryPolicy::max_attempts`](crate::RetryPolicy::max_attempts)) a last
    /// `Disconnected` says so and the stream ends.
    Disconnected {
        /// Why, on one line.
        reason: String,
    },
    /// The server refused `authenticate` on a new socket (the session ended, say): the last
    /// event. The connection is closed and the stream ends; reconnecting would be refused
    /// again. A network drop is not a refusal: it is retried.
    Refused {
        /// Why, on one line.
        reason: String,
        /// The error the server answered, when it answered one (it may only close the socket).
        envelope: Option<Box<ApiError>>,
    },
    /// The server answered a frame with the HTTP API's error envelope
    /// (`{"status":"ERROR","code":N}`): a subscription or a message it refused. The connection
    /// goes on.
    ServerError(Box<ApiError>),
    /// Reconnected (after `attempts` tries), authenticated and re-subscribed.
    Reconnected {
        /// The connection attempts this reconnection took, the successful one included.
        attempts: u32,
        /// How many subscriptions were sent again.
        subscriptions: usize,
    },
    /// A frame that is not JSON or does not decode as `E`, kept as text (redacted).
    Undecodable {
        /// The frame's whole text, with the token and every `"…token": "…"` member masked.
        text: String,
        /// Why it does not decode, on one line.
        error: String,
    },
    /// Events were dropped because this reader was too slow: the `dropped` oldest ones that
    /// did not fit in [`RealtimeOptions::event_buffer`](super::RealtimeOptions::event_buffer).
    Lagged {
        /// How many events this reader missed.
        dropped: u64,
    },
}

/// The largest event buffer: the buffer is allocated up front, and rounded up to a power of two.
const MAX_EVENT_BUFFER: usize = 1 << 20;

/// The sending side, owned by the connection's task alone: when the task ends, every stream
/// ends after yielding what it holds.
pub(crate) struct EventSender<E> {
    sender: broadcast::Sender<RealtimeEvent<E>>,
}

/// Where new streams come from; it does not keep the streams open.
pub(crate) struct EventSource<E> {
    sender: broadcast::WeakSender<RealtimeEvent<E>>,
    /// The receiver made with the channel, for the first stream: it holds what the server sent
    /// before anyone asked for events (a frame right after `authenticate`), up to the buffer.
    first: Mutex<Option<broadcast::Receiver<RealtimeEvent<E>>>>,
}

/// A channel keeping `buffer` events (at least 1, at most 2^20, rounded up to a power of two)
/// for each slow reader.
pub(crate) fn channel<E: Clone + Send + 'static>(
    buffer: usize,
) -> (EventSender<E>, EventSource<E>) {
    let (sender, first) = broadcast::channel(buffer.clamp(1, MAX_EVENT_BUFFER));
    let source = EventSource {
        sender: sender.downgrade(),
        first: Mutex::new(Some(first)),
    };
    (EventSender { sender }, source)
}

impl<E: Clone + Send + 'static> EventSender<E> {
    /// Gives `event` to every stream open now, and keeps it for the first stream when none is
    /// open yet (within the buffer).
    pub(crate) fn emit(&self, event: RealtimeEvent<E>) {
        let _ = self.sender.send(event);
    }
}

/// The stream type of [`Connection::events`](super::Connection::events).
pub(crate) type EventStream<E> = Pin<Box<dyn Stream<Item = RealtimeEvent<E>> + Send>>;

impl<E: Clone + Send + 'static> EventSource<E> {
    /// A stream of every event emitted from now on (the first stream: from the connection's
    /// start); empty when the task has ended.
    pub(crate) fn stream(&self) -> EventStream<E> {
        let first = self
            .first
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let receiver = match first {
            Some(receiver) => receiver,
            None => {
                let Some(sender) = self.sender.upgrade() else {
                    return Box::pin(futures::stream::empty());
                };
                let receiver = sender.subscribe();
                // The receiver alone must keep nothing open: drop this strong sender now.
                drop(sender);
                receiver
            }
        };
        Box::pin(futures::stream::unfold(
            receiver,
            |mut receiver| async move {
                let event = match receiver.recv().await {
                    Ok(event) => event,
                    Err(broadcast::error::RecvError::Lagged(dropped)) => {
                        RealtimeEvent::Lagged { dropped }
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                };
                Some((event, receiver))
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    /// A server may send an event right after `authenticate`, before the caller asks for
    /// events: the first stream gets it; later streams start from when they were opened.
    #[tokio::test]
    async fn the_first_stream_gets_what_came_before_it() {
        let (sender, source) = channel::<u32>(8);
        sender.emit(RealtimeEvent::Event(1));
        let mut first = source.stream();
        let mut later = source.stream();
        sender.emit(RealtimeEvent::Event(2));
        drop(sender);
        assert!(matches!(first.next().await, Some(RealtimeEvent::Event(1))));
        assert!(matches!(first.next().await, Some(RealtimeEvent::Event(2))));
        assert!(matches!(later.next().await, Some(RealtimeEvent::Event(2))));
        assert!(later.next().await.is_none());
    }

    #[tokio::test]
    async fn every_stream_gets_every_event_and_ends_with_the_sender() {
        let (sender, source) = channel::<u32>(8);
        let mut first = source.stream();
        let mut second = source.stream();
        sender.emit(RealtimeEvent::Event(1));
        drop(sender);
        for stream in [&mut first, &mut second] {
            assert!(matches!(stream.next().await, Some(RealtimeEvent::Event(1))));
            assert!(stream.next().await.is_none());
        }
        assert!(source.stream().next().await.is_none());
    }

    #[tokio::test]
    async fn a_slow_stream_is_told_how_many_it_missed() {
        let (sender, source) = channel::<u32>(0);
        let mut slow = source.stream();
        for n in 0..5 {
            sender.emit(RealtimeEvent::Event(n));
        }
        assert!(matches!(
            slow.next().await,
            Some(RealtimeEvent::Lagged { dropped: 4 })
        ));
        assert!(matches!(slow.next().await, Some(RealtimeEvent::Event(4))));
    }
}
