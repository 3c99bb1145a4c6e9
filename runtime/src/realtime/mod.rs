//! The realtime WebSocket: one generic connection that sends [`Action`] frames and yields
//! [`EventFrame`] events (crate feature `realtime`).
//!
//! ChatRace sends and receives inbox messages over a WebSocket. The client sends
//! `{"action": <value>, "data": {...}}` frames; the server sends JSON frames whose `data` is
//! the event. The frames themselves are declared in the catalogue; this module knows no
//! particular frame: a [`Connection`] sends any [`Action`] and decodes any [`EventFrame`].
//!
//! A [`Connection`] authenticates first, then reads frames on a task of its own. When the
//! socket drops it says so ([`RealtimeEvent::Disconnected`]), reconnects with the backoff and
//! jitter of a [`RetryPolicy`](crate::RetryPolicy), sends `authenticate` again then every
//! subscription in order, and says so ([`RealtimeEvent::Reconnected`]). A refused
//! `authenticate` is not a drop: [`Connection::connect`] fails with
//! [`RealtimeError::Refused`], and a reconnection that is refused ends the connection with
//! [`RealtimeEvent::Refused`] (see [`RealtimeOptions::auth_wait`]). A
//! [`send`](Connection::send) is written once: if it cannot be confirmed it is reported
//! ([`RealtimeError::Unconfirmed`]) and never sent again by the runtime.
//!
//! ```no_run
//! use chatrace_runtime::realtime::{Action, Connection, EventFrame, RealtimeEvent, RealtimeOptions};
//! use futures::StreamExt;
//!
//! #[derive(serde::Serialize)]
//! struct Authenticate { platform: &'static str, user_id: u64, token: String }
//! impl Action for Authenticate {
//!     const ACTION: &'static str = "\"authenticate\"";
//!     const NAME: &'static str = "authenticate";
//! }
//!
//! #[derive(serde::Deserialize, Clone, Debug)]
//! struct Inbox { r#type: String, ms_id: Option<u64> }
//! impl EventFrame for Inbox {
//!     const AT: &'static str = "data";
//! }
//!
//! # async fn run(token: String) -> Result<(), chatrace_runtime::realtime::RealtimeError> {
//! let options = RealtimeOptions::default().with_redact_token(token.clone());
//! let authenticate = Authenticate { platform: "web", user_id: 7, token };
//! let connection =
//!     Connection::<Inbox>::connect("wss://ws.example.com/chat", authenticate, options).await?;
//! let mut events = connection.events();
//! while let Some(event) = events.next().await {
//!     match event {
//!         RealtimeEvent::Event(inbox) => println!("{} from {:?}", inbox.r#type, inbox.ms_id),
//!         RealtimeEvent::Disconnected { reason } => eprintln!("reconnecting: {reason}"),
//!         other => eprintln!("{other:?}"),
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! # The inbox session
//!
//! Above the connection, a [`Session`] is what `Client::realtime` of the generated crate gives:
//! it finds the socket's URL and the logged user, authenticates, looks up each contact it
//! writes to (once), refuses a message outside the contact's reply window before anything is
//! sent, and fills the catalogue's templates of frames and message parts, checked against the
//! catalogue's types. The generated code only declares the catalogue's side, as an [`Inbox`]
//! (types, templates, reply windows, and the lookups as one-line calls of the client).
//!
//! # The session token
//!
//! Frames carry the token, so no frame is ever logged (traces name a frame and its size), and
//! what is kept of a frame (the text of [`RealtimeEvent::Undecodable`], error reasons) is
//! redacted: give the token in [`RealtimeOptions::redact_token`]; JSON members named `…token`
//! are masked in any case. tungstenite's own `log` records at `trace` level print whole frames:
//! keep `tungstenite=trace` off where the token must not be seen.

mod connection;
mod error;
mod events;
mod frames;
mod inbox;
mod options;
mod reconnect;
mod session;
mod shared;
mod socket;
mod spec;
mod task;
mod template;
mod verdict;

/// The catalogue's message parts, which [`Inbox::PARTS`] names.
pub use chatrace_vocab::RealtimePart;
pub use connection::Connection;
pub use error::RealtimeError;
pub use events::RealtimeEvent;
pub use frames::{Action, EventFrame};
pub use inbox::{ContactFacts, ReplyWindows, SinceEpoch};
pub use options::RealtimeOptions;
pub use session::{Session, SessionBuilder};
pub use spec::{first_text, FrameSpec, Inbox, Uploads};

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, serde::Deserialize)]
    struct Event;

    impl EventFrame for Event {
        const AT: &'static str = "data";
    }

    fn shared_across_tasks<T: Send + Sync + 'static>() {}
    fn sent_to_a_task<T: Send>(_: &T) {}

    #[test]
    fn public_types_can_cross_threads() {
        shared_across_tasks::<Connection<Event>>();
        shared_across_tasks::<RealtimeError>();
        shared_across_tasks::<RealtimeOptions>();
    }

    #[allow(dead_code)]
    fn streams_and_futures_can_cross_threads(connection: Connection<Event>) {
        sent_to_a_task(&connection.events());
        sent_to_a_task(&connection.close());
        sent_to_a_task(&connection.send(&()));
        sent_to_a_task(&connection.subscribe("key", ()));
    }

    impl Action for () {
        const ACTION: &'static str = "0";
        const NAME: &'static str = "unit";
    }
}
