//! The connection handle: connecting, sending, subscribing, closing. The socket's writing half
//! lives here, shared by every clone; its reading half lives in the task (`task.rs`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use futures::{SinkExt, Stream};
use tokio::sync::{Mutex, Notify};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::error::{describe, RealtimeError};
use super::events::{self, EventSource, RealtimeEvent};
use super::frames::{self, Action, EventFrame, FrameText, Reading};
use super::options::RealtimeOptions;
use super::reconnect::Backoff;
use super::socket::{Dialer, Writer};
use super::task::Task;
use super::verdict::{await_verdict, Verdict};
use crate::meta::ErrorCodeMeta;
use crate::secret::SecretToken;

/// A live connection: cheap to clone (an `Arc`); every clone sends on the same socket.
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

/// What the handle and the task share.
pub(crate) struct Shared {
    /// The socket's writing half and what must be sent on every new socket. One lock, so that
    /// a subscription made during a reconnection is sent exactly once, and no frame is written
    /// to a new socket before `authenticate` and the subscriptions.
    pub(crate) link: Mutex<Link>,
    /// Wakes the task when a sender found the socket broken (`Link::broken`).
    pub(crate) broken: Notify,
    /// Cancelled by `close` and by the drop of the last clone.
    pub(crate) shutdown: CancellationToken,
    /// Masked in every reason and undecodable text (`RealtimeOptions::redact_token`).
    pub(crate) token: Option<SecretToken>,
    /// The catalogue's table of API error codes, to read error frames.
    pub(crate) codes: &'static [ErrorCodeMeta],
    /// How long a new socket listens after `authenticate` for a refusal.
    pub(crate) auth_wait: Duration,
    pub(crate) write_timeout: Duration,
    /// The URL as errors, traces and `Debug` show it.
    pub(crate) url: String,
}

pub(crate) struct Link {
    /// The socket's writing half; `None` while the socket is down.
    pub(crate) writer: Option<Writer>,
    /// Why a sender gave up on the current socket, for the task to report and reconnect.
    pub(crate) broken: Option<String>,
    /// The subscriptions, in the order they were last sent, each under its key.
    pub(crate) subscriptions: Vec<(String, FrameText)>,
    /// Set by `close`, and when reconnecting gives up: nothing is sent any more.
    pub(crate) closed: bool,
}

impl Link {
    /// Gives up on the current socket: the task reconnects when it sees `broken`.
    fn mark_broken(&mut self, reason: String) {
        self.writer = None;
        self.broken = Some(reason);
    }
}

impl Shared {
    /// What reading a frame needs.
    pub(crate) fn reading(&self) -> Reading<'_> {
        Reading {
            token: self.token.as_ref(),
            codes: self.codes,
        }
    }

    /// Writes `frames` in order and flushes, within the write timeout.
    pub(crate) async fn write_all(
        &self,
        writer: &mut Writer,
        frames: &[&FrameText],
    ) -> Result<(), String> {
        let writing = async {
            for frame in frames {
                writer.feed(frame.message()).await?;
                tracing::trace!(frame = frame.name(), bytes = frame.len(), "frame written");
            }
            writer.flush().await
        };
        match tokio::time::timeout(self.write_timeout, writing).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(error)) => Err(describe(&error, self.token.as_ref())),
            Err(_) => Err(format!(
                "not written within {:?} (write_timeout)",
                self.write_timeout
            )),
        }
    }

    /// Writes one frame to the live socket, once.
    async fn send(&self, frame: FrameText) -> Result<(), RealtimeError> {
        let mut link = self.link.lock().await;
        if link.closed {
            return Err(RealtimeError::Closed);
        }
        let Some(writer) = link.writer.as_mut() else {
            return Err(RealtimeError::Unconfirmed {
                frame: frame.name(),
                reason: "the connection is down (reconnecting); the frame was not written"
                    .to_owned(),
            });
        };
        match self.write_all(writer, &[&frame]).await {
            Ok(()) => Ok(()),
            Err(reason) => {
                tracing::debug!(frame = frame.name(), %reason, "send failed; reconnecting");
                link.mark_broken(reason.clone());
                self.broken.notify_one();
                Err(RealtimeError::Unconfirmed {
                    frame: frame.name(),
                    reason,
                })
            }
        }
    }

    /// Remembers a subscription under `key` and writes it if the socket is up.
    async fn subscribe(&self, key: String, frame: FrameText) -> Result<(), RealtimeError> {
        let mut link = self.link.lock().await;
        if link.closed {
            return Err(RealtimeError::Closed);
        }
        link.subscriptions.retain(|(existing, _)| *existing != key);
        link.subscriptions.push((key, frame.clone()));
        let Some(writer) = link.writer.as_mut() else {
            tracing::debug!(
                frame = frame.name(),
                "subscription kept for the reconnection"
            );
            return Ok(());
        };
        if let Err(reason) = self.write_all(writer, &[&frame]).await {
            // Kept: the reconnection sends it with the others.
            tracing::debug!(frame = frame.name(), %reason, "subscribe failed; reconnecting");
            link.mark_broken(reason);
            self.broken.notify_one();
        }
        Ok(())
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

    /// A new stream of what happens from now on: each stream gets every event.
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
