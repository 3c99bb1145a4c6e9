//! The connection handle: connecting, sending, subscribing, closing. The socket's writing half
//! lives here, shared by every clone; its reading half lives in the task (`task.rs`).

use std::fmt;
use std::sync::Arc;

use futures::Stream;
use tokio::sync::{Mutex, Notify};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::error::RealtimeError;
use super::events::{self, EventSource, RealtimeEvent};
use super::frames::{self, Action, EventFrame};
use super::options::RealtimeOptions;
use super::reconnect::Backoff;
use super::shared::{Link, Shared};
use super::socket::Dialer;
use super::task::Task;
use super::verdict::{await_verdict, Verdict};

/// The socket itself, under the typed session a generated crate gives (`chatrace::realtime::
/// Realtime`, through its `connection()`): it sends frames as they are given and decodes
/// events, with none of the session's lookups or checks. Cheap to clone (an `Arc`); every clone
/// sends on the same socket.
///
/// A task reads the socket, decodes what the server sends into `E`, hands it to every stream
/// of [`events`](Self::events), and reconnects when the socket drops. The connection closes
/// with [`close`](Self::close), or when its last clone is dropped.
///
/// Needs a Tokio runtime (the task is spawned on the current one).
pub struct Connection<E: EventFrame> {
    owner: Arc<Owner<E>>,
}

/// What the clones share. Dropping it (with the last clone) stops the task.
struct Owner<E> {
    shared: Arc<Shared>,
    events: EventSource<E>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl<E> Drop for Owner<E> {
    fn drop(&mut self) {
        self.shared.shutdown.cancel();
    }
}

impl<E: EventFrame> Connection<E> {
    /// Connects to `url` (`ws://` or `wss://`), sends `authenticate` as the first frame, and
    /// starts the task that reads frames and reconnects. After every reconnect it sends
    /// `authenticate` again, then every subscription, in the order they were made.
    ///
    /// This first connection is tried once, within
    /// [`connect_timeout`](RealtimeOptions::connect_timeout): a failure is
    /// [`RealtimeError::Connect`] (or [`RealtimeError::Encode`] when `authenticate` cannot be
    /// encoded). Then it listens up to [`auth_wait`](RealtimeOptions::auth_wait) (and no
    /// later than the connect timeout) for the server to refuse `authenticate`: a refusal is
    /// [`RealtimeError::Refused`], not retried.
    pub async fn connect<A: Action>(
        url: &str,
        authenticate: A,
        options: RealtimeOptions,
    ) -> Result<Self, RealtimeError> {
        let started = tokio::time::Instant::now();
        let token = options.redact_token.clone();
        let authenticate = frames::encode(&authenticate, token.as_ref())?;
        let dialer = Dialer::new(url, &options)?;
        let span = tracing::debug_span!("chatrace.realtime", url = %dialer.shown_url());
        let connect_error = |reason: String| RealtimeError::Connect {
            url: dialer.shown_url().to_owned(),
            reason,
        };
        let socket = dialer
            .open()
            .instrument(span.clone())
            .await
            .map_err(connect_error)?;
        let (mut writer, mut reader) = futures::StreamExt::split(socket);
        let shared = Arc::new(Shared {
            link: Mutex::new(Link {
                writer: None,
                broken: None,
                subscriptions: Vec::new(),
                closed: false,
            }),
            broken: Notify::new(),
            shutdown: CancellationToken::new(),
            token,
            codes: options.error_codes,
            auth_wait: options.auth_wait,
            write_timeout: options.write_timeout,
            url: dialer.shown_url().to_owned(),
        });
        shared
            .write_all(&mut writer, &[&authenticate])
            .instrument(span.clone())
            .await
            .map_err(|reason| connect_error(format!("`{}` not sent: {reason}", A::NAME)))?;
        let wait = options
            .auth_wait
            .min(options.connect_timeout.saturating_sub(started.elapsed()));
        let early = match await_verdict::<E>(&mut reader, wait, shared.reading())
            .instrument(span.clone())
            .await
        {
            Verdict::Accepted(early) => early,
            Verdict::Refused { reason, envelope } => {
                span.in_scope(|| tracing::debug!(%reason, "authentication refused"));
                return Err(RealtimeError::Refused { reason, envelope });
            }
            Verdict::Lost(reason) => {
                return Err(connect_error(format!(
                    "the socket closed right after `{}`: {reason}",
                    A::NAME
                )))
            }
        };
        shared.link.lock().await.writer = Some(writer);
        span.in_scope(|| tracing::debug!("connected and authenticated"));

        let (event_sender, events) = events::channel(options.event_buffer);
        let task = Task {
            shared: Arc::clone(&shared),
            events: event_sender,
            dialer,
            backoff: Backoff::new(options.reconnect),
            authenticate,
        };
        let task = tokio::spawn(task.run(reader, early).instrument(span));
        Ok(Connection {
            owner: Arc::new(Owner {
                shared,
                events,
                task: Mutex::new(Some(task)),
            }),
        })
    }

    /// Sends a subscription and remembers it under `key` (a later subscribe with the same key
    /// replaces it), to send again after each reconnect.
    ///
    /// `Ok` means the subscription is remembered, and either was written to the live socket
    /// or will be sent by the next reconnection (the socket is down, or the write failed and
    /// the runtime reconnects); [`RealtimeEvent::Reconnected`] counts it. After a reconnection
    /// the subscriptions are sent in the order of their last `subscribe`.
    /// Errors: [`RealtimeError::Encode`], [`RealtimeError::Closed`].
    pub async fn subscribe<A: Action>(
        &self,
        key: impl Into<String>,
        action: A,
    ) -> Result<(), RealtimeError> {
        let frame = frames::encode(&action, self.owner.shared.token.as_ref())?;
        self.owner.shared.subscribe(key.into(), frame).await
    }

    /// Sends one action once. `Ok` means the frame was written to a live socket and flushed
    /// (the protocol has no acknowledgement: not that the server acted on it).
    ///
    /// When the socket is down (reconnecting) or the write fails or times out, the error is
    /// [`RealtimeError::Unconfirmed`], and the frame is never sent again by the runtime (a
    /// message to a contact must not go twice). A failed write also makes the runtime
    /// reconnect. If this future is dropped before it completes, the frame may or may not
    /// have been written. Other errors: [`RealtimeError::Encode`], [`RealtimeError::Closed`].
    ///
    /// Concurrent sends are written one at a time, each whole, in the order they get the
    /// socket: the frames of one task arrive in the order it sent them.
    pub async fn send<A: Action>(&self, action: &A) -> Result<(), RealtimeError> {
        let frame = frames::encode(action, self.owner.shared.token.as_ref())?;
        self.owner.shared.send(frame).await
    }

    /// A new stream of what happens from now on: each stream gets every event. The first
    /// stream also gets what came before it, from the connection's start (a server may send
    /// an event right after `authenticate`), within the event buffer.
    ///
    /// A stream that falls more than [`event_buffer`](RealtimeOptions::event_buffer) events
    /// behind gets [`RealtimeEvent::Lagged`] in place of those it missed. The stream ends
    /// when the connection is closed (after yielding what it holds).
    pub fn events(&self) -> impl Stream<Item = RealtimeEvent<E>> + Send + Unpin {
        self.owner.events.stream()
    }

    /// Closes the socket (with a WebSocket close frame when it is up) and stops reconnecting.
    /// Returns when the task has stopped; then every stream of [`events`](Self::events) ends,
    /// and `send` and `subscribe` return [`RealtimeError::Closed`].
    pub async fn close(&self) {
        // Cancelled first: a reconnection listening for the server's verdict holds the link.
        self.owner.shared.shutdown.cancel();
        self.owner.shared.link.lock().await.closed = true;
        // Held while waiting, so that a second `close` returns after the task has stopped too.
        let mut task = self.owner.task.lock().await;
        if let Some(task) = task.take() {
            // The task does not panic; if it did, there is nothing left to close.
            let _ = task.await;
        }
    }
}

impl<E: EventFrame> Clone for Connection<E> {
    fn clone(&self) -> Self {
        Connection {
            owner: Arc::clone(&self.owner),
        }
    }
}

impl<E: EventFrame> fmt::Debug for Connection<E> {
    /// The connection's state, never a frame.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("url", &self.owner.shared.url)
            .finish_non_exhaustive()
    }
}
