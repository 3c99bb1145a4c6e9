//! The connection's task: reads the socket, hands events to the streams, and reconnects.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::Instant;

use futures::future::{select, Either};
use futures::StreamExt;
use tokio_util::sync::CancellationToken;

use super::error::describe;
use super::events::{EventSender, RealtimeEvent};
use super::frames::{self, EventFrame, FrameText, Incoming};
use super::reconnect::Backoff;
use super::shared::Shared;
use super::socket::{Dialer, Reader};
use super::verdict::{await_verdict, Verdict};
use crate::api_error::ApiError;

/// The state of the task; it owns the event sender, so the streams end when it returns.
pub(crate) struct Task<E> {
    pub(crate) shared: Arc<Shared>,
    pub(crate) events: EventSender<E>,
    pub(crate) dialer: Dialer,
    pub(crate) backoff: Backoff,
    /// Sent first on every new socket.
    pub(crate) authenticate: FrameText,
}

/// Why reading a socket stopped.
enum Down {
    /// `close`, or the last clone dropped.
    Shutdown,
    /// The socket is gone, for this token-free reason.
    Lost(String),
}

/// Why reconnecting stopped without a socket.
enum Stop {
    Shutdown,
    GaveUp {
        attempts: u32,
        last: String,
    },
    /// The server refused `authenticate`: reconnecting again would be refused again.
    Refused {
        reason: String,
        envelope: Option<Box<ApiError>>,
    },
}

/// A new socket, authenticated and re-subscribed.
struct Reconnected<E> {
    reader: Reader,
    attempts: u32,
    subscriptions: usize,
    /// What the server sent while the runtime listened for its verdict.
    early: Vec<RealtimeEvent<E>>,
}

impl<E: EventFrame> Task<E> {
    /// Hands `early` (what the server sent while `connect` listened for its verdict) to the
    /// streams, then reads `reader` until the socket drops, reconnects, reads the new one, and
    /// so on, until shutdown or until reconnecting gives up or is refused; then closes the
    /// socket.
    pub(crate) async fn run(mut self, mut reader: Reader, early: Vec<RealtimeEvent<E>>) {
        for event in early {
            self.events.emit(event);
        }
        loop {
            let up_since = Instant::now();
            let reason = match self.read(reader).await {
                Down::Shutdown => break,
                Down::Lost(reason) => reason,
            };
            self.drop_socket().await;
            tracing::warn!(%reason, "disconnected; reconnecting");
            self.events.emit(RealtimeEvent::Disconnected { reason });
            self.backoff.connection_ended(up_since.elapsed());
            match self.reconnect().await {
                Ok(Reconnected {
                    reader: new_reader,
                    attempts,
                    subscriptions,
                    early,
                }) => {
                    reader = new_reader;
                    tracing::info!(attempts, subscriptions, "reconnected");
                    self.events.emit(RealtimeEvent::Reconnected {
                        attempts,
                        subscriptions,
                    });
                    for event in early {
                        self.events.emit(event);
                    }
                }
                Err(Stop::Shutdown) => break,
                Err(Stop::Refused { reason, envelope }) => {
                    tracing::warn!(%reason, "authentication refused: connection closed");
                    self.shared.link.lock().await.closed = true;
                    self.events
                        .emit(RealtimeEvent::Refused { reason, envelope });
                    break;
                }
                Err(Stop::GaveUp { attempts, last }) => {
                    let reason = format!(
                        "gave up reconnecting after {attempts} attempts; the last one failed: {last}"
                    );
                    tracing::warn!(%reason, "connection closed");
                    self.shared.link.lock().await.closed = true;
                    self.events.emit(RealtimeEvent::Disconnected { reason });
                    break;
                }
            }
        }
        self.finish().await;
    }

    /// Reads frames until the socket drops or the connection shuts down; drops the reader
    /// then, so that a dead socket is not kept open while reconnecting.
    async fn read(&self, mut reader: Reader) -> Down {
        let token = self.shared.token.as_ref();
        let reading = self.shared.reading();
        loop {
            // Shutdown first, then a writer's report of a broken socket, then a frame.
            let broken = pin!(self.shared.broken.notified());
            let woke = select(broken, reader.next());
            let Some(woke) = unless_shut_down(&self.shared.shutdown, woke).await else {
                return Down::Shutdown;
            };
            match woke {
                Either::Left(((), _)) => {
                    // A stale wake-up (for a socket already replaced) finds no reason.
                    if let Some(reason) = self.shared.link.lock().await.broken.take() {
                        return Down::Lost(reason);
                    }
                }
                Either::Right((message, _)) => {
                    let message = match message {
                        Some(Ok(message)) => message,
                        Some(Err(error)) => return Down::Lost(describe(&error, token)),
                        None => return Down::Lost("the server closed the socket".to_owned()),
                    };
                    match frames::incoming::<E>(message, reading) {
                        Incoming::Event(event) => {
                            match &event {
                                RealtimeEvent::Undecodable { error, .. } => {
                                    tracing::debug!(%error, "undecodable frame");
                                }
                                RealtimeEvent::ServerError(envelope) => {
                                    tracing::debug!(error = %envelope, "error frame");
                                }
                                _ => tracing::trace!("event received"),
                            }
                            self.events.emit(event);
                        }
                        Incoming::Nothing => {}
                        Incoming::Closed { reason, .. } => return Down::Lost(reason),
                    }
                }
            }
        }
    }

    /// Forgets the dropped socket: sends fail fast as unconfirmed until the next one is up.
    async fn drop_socket(&self) {
        let mut link = self.shared.link.lock().await;
        link.writer = None;
        link.broken = None;
    }

    /// Opens a new socket, waiting before each attempt, writes `authenticate` then every
    /// subscription to it before any sender can, and listens for the server's verdict on
    /// `authenticate` (senders wait meanwhile). Returns its reader, the attempts it took, the
    /// subscriptions sent and what the server sent meanwhile; a refusal ends the reconnection.
    async fn reconnect(&mut self) -> Result<Reconnected<E>, Stop> {
        let shutdown = self.shared.shutdown.clone();
        let mut attempt = 0u32;
        let mut last = String::new();
        loop {
            attempt = attempt.saturating_add(1);
            if !self.backoff.allows(attempt) {
                return Err(Stop::GaveUp {
                    attempts: attempt - 1,
                    last,
                });
            }
            let wait = self.backoff.next_wait();
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "reconnecting");
            let opening = async {
                tokio::time::sleep(wait).await;
                self.dialer.open().await
            };
            let Some(opened) = unless_shut_down(&shutdown, opening).await else {
                return Err(Stop::Shutdown);
            };
            let socket = match opened {
                Ok(socket) => socket,
                Err(reason) => {
                    tracing::debug!(attempt, %reason, "reconnection failed");
                    last = reason;
                    continue;
                }
            };
            let (mut writer, mut reader) = socket.split();
            let mut link = self.shared.link.lock().await;
            if link.closed || shutdown.is_cancelled() {
                return Err(Stop::Shutdown);
            }
            // Collected before the write: rustc cannot prove `Send` (which `tokio::spawn` needs)
            // for a future that holds this iterator's closure across an await.
            let frames: Vec<&FrameText> = std::iter::once(&self.authenticate)
                .chain(link.subscriptions.iter().map(|(_, frame)| frame))
                .collect();
            if let Err(reason) = self.shared.write_all(&mut writer, &frames).await {
                tracing::debug!(attempt, %reason, "re-authentication failed");
                last = reason;
                continue;
            }
            let listening =
                await_verdict::<E>(&mut reader, self.shared.auth_wait, self.shared.reading());
            let Some(verdict) = unless_shut_down(&shutdown, listening).await else {
                return Err(Stop::Shutdown);
            };
            let early = match verdict {
                Verdict::Accepted(early) => early,
                Verdict::Refused { reason, envelope } => {
                    return Err(Stop::Refused { reason, envelope })
                }
                Verdict::Lost(reason) => {
                    tracing::debug!(attempt, %reason, "the new socket closed at once");
                    last = reason;
                    continue;
                }
            };
            let subscriptions = link.subscriptions.len();
            link.writer = Some(writer);
            link.broken = None;
            return Ok(Reconnected {
                reader,
                attempts: attempt,
                subscriptions,
                early,
            });
        }
    }

    /// Marks the connection closed and closes the socket with a close frame, if it is up.
    async fn finish(&self) {
        let mut link = self.shared.link.lock().await;
        link.closed = true;
        if let Some(mut writer) = link.writer.take() {
            let closing = futures::SinkExt::close(&mut writer);
            let _ = tokio::time::timeout(self.shared.write_timeout, closing).await;
        }
        tracing::debug!("closed");
    }
}

/// `work`'s output, or `None` when the connection shuts down first. Shutdown is looked at
/// first on every wake-up, so nothing new starts after `close` even when `work` is ready too.
/// (`tokio::select!` with `biased` does the same through tokio's proc-macro, which every user
/// of the crate would then compile.)
async fn unless_shut_down<F: Future>(shutdown: &CancellationToken, work: F) -> Option<F::Output> {
    match select(pin!(shutdown.cancelled()), pin!(work)).await {
        Either::Left(((), _)) => None,
        Either::Right((output, _)) => Some(output),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_to_its_end_while_nothing_shuts_down() {
        let shutdown = CancellationToken::new();
        let work = async {
            tokio::task::yield_now().await;
            7
        };
        assert_eq!(unless_shut_down(&shutdown, work).await, Some(7));
    }

    #[tokio::test]
    async fn shutdown_wins_over_work_that_is_ready_too() {
        let shutdown = CancellationToken::new();
        shutdown.cancel();
        assert_eq!(unless_shut_down(&shutdown, async { 7 }).await, None);
    }

    #[tokio::test]
    async fn shutdown_during_the_work_drops_it() {
        let shutdown = CancellationToken::new();
        let dropped = Arc::new(std::sync::atomic::AtomicBool::new(false));
        struct Flag(Arc<std::sync::atomic::AtomicBool>);
        impl Drop for Flag {
            fn drop(&mut self) {
                self.0.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        }
        let flag = Flag(dropped.clone());
        let work = async move {
            let _flag = flag;
            std::future::pending::<()>().await
        };
        let cancel = async {
            tokio::task::yield_now().await;
            shutdown.cancel();
        };
        let (stopped, ()) = tokio::join!(unless_shut_down(&shutdown, work), cancel);
        assert_eq!(stopped, None);
        assert!(dropped.load(std::sync::atomic::Ordering::SeqCst));
    }
}
