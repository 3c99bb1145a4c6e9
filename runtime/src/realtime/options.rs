//! How a realtime connection behaves.

use std::time::Duration;

use crate::meta::ErrorCodeMeta;
use crate::retry::RetryPolicy;
use crate::secret::SecretToken;

/// How a [`Connection`](super::Connection) connects, reconnects and buffers events.
///
/// Build it from [`RealtimeOptions::default`] and the `with_*` methods, or set its fields.
#[derive(Debug, Clone)]
pub struct RealtimeOptions {
    /// When to reconnect after the socket drops: before attempt `n` of an outage the task
    /// waits as [`RetryPolicy`] describes (below `initial_backoff * 2^(n-1)`, capped at
    /// `max_backoff`, drawn at random with `jitter`; `max_retry_after` is not used). A
    /// connection that drops again within `max_backoff` keeps the waits growing.
    /// `max_attempts` is the number of attempts per outage, 0 meaning forever; when they are
    /// spent, the connection closes. The first connection of
    /// [`Connection::connect`](super::Connection::connect) is tried once.
    pub reconnect: RetryPolicy,
    /// The longest one connection attempt may take: TCP, TLS and the WebSocket upgrade.
    pub connect_timeout: Duration,
    /// The longest a write may take (one frame, or the `authenticate` and subscriptions after a
    /// reconnect). A socket that does not take a frame in that time is treated as dead: the
    /// send is [`Unconfirmed`](super::RealtimeError::Unconfirmed) and the runtime reconnects.
    pub write_timeout: Duration,
    /// The events kept for each slow reader; when they overflow the oldest are dropped and the
    /// reader gets [`RealtimeEvent::Lagged`](super::RealtimeEvent::Lagged). Rounded up to a
    /// power of two, and kept between 1 and 2^20.
    pub event_buffer: usize,
    /// The largest message (and frame) the server may send, in bytes. A larger one cannot be
    /// read past: the connection reports it in `Disconnected` and reconnects.
    pub max_frame_size: usize,
    /// The session token the frames carry, to mask wherever text derived from frames is kept
    /// or shown (undecodable frames, error reasons). `Debug` shows it as `SecretToken(***)`.
    /// JSON members named `…token` are masked even without it.
    pub redact_token: Option<SecretToken>,
    /// How long to listen after `authenticate` for the server to refuse it, on every new
    /// socket: the protocol documents no answer to it, so silence means accepted. Within this
    /// wait, an error frame in answer to it, or a close that follows one (or whose code is
    /// 1008), is a refusal: [`Connection::connect`](super::Connection::connect) fails with
    /// [`RealtimeError::Refused`](super::RealtimeError::Refused), and a reconnection ends the
    /// connection with [`RealtimeEvent::Refused`](super::RealtimeEvent::Refused). The first
    /// connection waits at most what is left of `connect_timeout`. Zero: no wait (a refusal
    /// then shows as an error frame and a drop).
    pub auth_wait: Duration,
    /// The catalogue's table of API error codes, to read the error frames the server sends
    /// (the generated client sets it).
    pub error_codes: &'static [ErrorCodeMeta],
}

/// The default `connect_timeout` and `write_timeout`.
const DEFAULT_IO_TIMEOUT: Duration = Duration::from_secs(10);

/// The default `auth_wait`: a server that refuses answers at once; this is what every new
/// socket waits when it does not.
const DEFAULT_AUTH_WAIT: Duration = Duration::from_millis(500);

impl Default for RealtimeOptions {
    /// Reconnect forever, waiting up to 1 s before the first attempt (as the vendor's web app)
    /// and up to 30 s later on, with full jitter; 10 s to connect and to write; 500 ms to hear
    /// a refusal of `authenticate`; 1024 events per slow reader; frames up to 8 MiB; no token
    /// to mask; no table of error codes.
    fn default() -> Self {
        RealtimeOptions {
            reconnect: RetryPolicy::default()
                .with_max_attempts(0)
                .with_backoff(Duration::from_secs(1), Duration::from_secs(30))
                .with_jitter(true),
            connect_timeout: DEFAULT_IO_TIMEOUT,
            write_timeout: DEFAULT_IO_TIMEOUT,
            event_buffer: 1024,
            max_frame_size: 8 << 20,
            redact_token: None,
            auth_wait: DEFAULT_AUTH_WAIT,
            error_codes: &[],
        }
    }
}

impl RealtimeOptions {
    /// These options with this reconnection policy.
    pub fn with_reconnect(mut self, reconnect: RetryPolicy) -> Self {
        self.reconnect = reconnect;
        self
    }

    /// These options with this connection timeout.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// These options with this write timeout.
    pub fn with_write_timeout(mut self, timeout: Duration) -> Self {
        self.write_timeout = timeout;
        self
    }

    /// These options keeping `events` events for each slow reader.
    pub fn with_event_buffer(mut self, events: usize) -> Self {
        self.event_buffer = events;
        self
    }

    /// These options accepting messages of at most `bytes` bytes.
    pub fn with_max_frame_size(mut self, bytes: usize) -> Self {
        self.max_frame_size = bytes;
        self
    }

    /// These options masking `token` in every text derived from frames.
    pub fn with_redact_token(mut self, token: impl Into<SecretToken>) -> Self {
        self.redact_token = Some(token.into());
        self
    }

    /// These options listening `wait` after `authenticate` for a refusal.
    pub fn with_auth_wait(mut self, wait: Duration) -> Self {
        self.auth_wait = wait;
        self
    }

    /// These options reading error frames with the catalogue's table of error codes.
    pub fn with_error_codes(mut self, table: &'static [ErrorCodeMeta]) -> Self {
        self.error_codes = table;
        self
    }
}
