//! What a connection's handle and its task share: the socket's writing half, the
//! subscriptions to send again on a new socket, and how frames are written and read.

use std::time::Duration;

use futures::SinkExt;
use tokio::sync::{Mutex, Notify};
use tokio_util::sync::CancellationToken;

use super::error::{describe, RealtimeError};
use super::frames::{FrameText, Reading};
use super::socket::Writer;
use crate::meta::ErrorCodeMeta;
use crate::secret::SecretToken;

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
    pub(crate) async fn send(&self, frame: FrameText) -> Result<(), RealtimeError> {
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
    pub(crate) async fn subscribe(
        &self,
        key: String,
        frame: FrameText,
    ) -> Result<(), RealtimeError> {
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
