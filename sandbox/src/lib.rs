//! # chatrace-sandbox
//!
//! A stateful ChatRace server on loopback, for running the whole API offline: no account, no
//! network. It speaks the real wire of the vendor's Postman collection, reads every request with
//! the SDK's own request types ([`chatrace::AnyRequest`]) and answers with the SDK's own answer
//! types, so the sandbox and the SDK cannot drift apart. Unlike a stateless mock, it keeps
//! state: a write shows in the next read.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use chatrace::types::ContactId;
//! let sandbox = chatrace_sandbox::Sandbox::start().await?;
//! let client = sandbox.client(); // demo session and account preset
//! let contact = ContactId::new(sandbox.credentials().contact_id);
//! let page = client.list_messages(contact).send().await?;
//! println!("{} messages, newest first", page.messages.unwrap_or_default().len());
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! ## What it holds
//!
//! The same data at every start (no randomness; two sandboxes are independent). A demo user
//! ([`Credentials::email`], admin id [`Credentials::admin_id`]) who may open two accounts
//! ([`Credentials::account_id`], [`Credentials::second_account_id`]), and a third account of
//! another user that the demo user may not open ([`Credentials::other_account_id`]).
//!
//! The demo account holds admins and inbox teams; 66 contacts known by their `ms_id`, each with
//! a conversation (channel, `live_chat`, `followup`, `archived`, `blocked`, `assigned_to`,
//! `last_read_page`), messages whose `message` is a string holding the JSON array of their
//! parts (text, typing pauses, quick replies, files), `dir` 0 to the contact and 1 from them,
//! ids like the real ones (`m_…`), times in milliseconds; notes and custom field values on the
//! contact; tags, drip campaigns, Messenger Lists; flows with steps, products, saved replies,
//! calendars and appointments, orders, Google Business Messages locations. The ids of the
//! vendor's examples exist (contact `2850008055041461`, `100000000001`, `12345`; order
//! `1000000`; note `88888`; saved reply `569601`; appointment `45595`...), so the collection's
//! example requests run as written. The clock starts at 2024-06-01 12:00:00 UTC and moves one
//! second per write.
//!
//! ## How it answers
//!
//! `POST /` only, JSON bodies and the vendor's upload form (`multipart/form-data`: a text
//! field `param` holding the request's JSON, with `account_id` as a string, and a `file` part,
//! measured as it streams by: [`Sandbox::uploads`]). Success is `{"status":"OK", ...}`: `data`,
//! or the keys the collection puts beside `status` (`rid` for `request_email_otp`, `url` for
//! `upload_file`, the new field for `create_custom_field`, `page_id`/`me`/`my_pages`/`curPage`
//! for `get_current_user`, `hash` beside `data` for `list_messages`).
//!
//! An error is the real server's: HTTP 200 with `{"status":"ERROR","code":N}` and no message.
//! The codes ([`codes`]), among those the vendor's apps handle:
//!
//! | code | when |
//! |------|------|
//! | 1    | no `X-ACCESS-TOKEN`, or a token that is unknown or logged out |
//! | 2    | the body is not JSON, not an object, names no operation or does not fit it; a value the operation does not take (empty text, an order status other than 4, 6, 7, 10, 13, a custom field value of the wrong type, a filter the inbox does not have); a send to a blocked contact |
//! | 4    | the request names something the account does not have: a contact, an order, a note, a saved reply, an appointment, a calendar, a flow or step, a product, a tag, a custom field, an admin or team to assign |
//! | 14   | a send on a channel the contact does not talk on |
//! | 401  | a refused login: a wrong code, an unknown or used `rid`, a social token that is not the sandbox's |
//! | 403  | an account the user may not open; nothing changes |
//!
//! A body over the limit ([`JSON_BODY_LIMIT`], [`MULTIPART_BODY_LIMIT`]) is answered HTTP 413,
//! and anything but `POST /` HTTP 404 or 405, each with `{"status":"ERROR","code":2}`.
//!
//! ## Sessions and paging
//!
//! Logins (the email code: `request_email_otp` answers `rid`, `validate_email_otp` takes it with
//! [`Credentials::otp`]; the social logins with the test tokens of [`Credentials`], or the
//! collection's placeholder `...`) answer a session token for `X-ACCESS-TOKEN`. A session opens
//! the user's first account; an account-scoped call opens the account it names, and
//! `get_current_user` answers the one open. `logout` answers OK: the SDK, as the collection,
//! sends it without a token, so the server cannot know which session ends (a token sent anyway
//! ends its session). `get_whitelabel` needs no session.
//!
//! Conversations (50 by default) and messages (20, newest first) page by `offset` and `limit`
//! (at most 100); the other lists answer everything at once. Conversations come newest first
//! and take the web inbox's conditions in `cdts` (see `list_conversations` in the crate's
//! source, `handlers/filters.rs`): searches on `phone`, `email`, `user_name` (`oprt` "6"), and
//! folders `live_chat`, `followup`, `archived`, `blocked`, `unread` (`oprt` "0", `value1` 0 for
//! the flag on, 1 for off, as the web inbox sends them), `assigned_to` and `channel`. Without
//! conditions every conversation is listed. A conversation is unread when the contact wrote
//! after its `last_read_page`.
//!
//! Every operation of the catalogue has a handler; one the catalogue gains later answers its
//! first documented example until it gets one (as does any operation passed to
//! [`Sandbox::answer_from_example`]). Tests switch failures on with [`Sandbox::faults`] and
//! count what arrived with [`Sandbox::requests_seen`] and [`Sandbox::operation_count`].

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod body;
mod checksum;
pub mod codes;
mod connection;
mod faults;
mod handlers;
mod ids;
mod seed;
mod server;
mod state;
mod time;
mod views;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use body::{JSON_BODY_LIMIT, MULTIPART_BODY_LIMIT};
pub use checksum::Fnv1a;
pub use faults::Faults;

use server::Shared;

/// The demo credentials and ids of a sandbox: who can log in and how, and where the data is.
///
/// The same for every sandbox (the seed is deterministic); the session token in
/// [`Credentials::token`] is live from the start.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The demo user's email, for `request_email_otp`.
    pub email: String,
    /// The one-time code `validate_email_otp` accepts (the collection's example code,
    /// `456788`).
    pub otp: String,
    /// A request id (`rid`) pending for the demo user from the start: the collection's
    /// example one, so that its `validate_email_otp` example runs as written.
    pub pending_otp_request_id: String,
    /// A live session token of the demo user, ready to send as `X-ACCESS-TOKEN`.
    pub token: String,
    /// The demo user's admin id (`fb_id`): how assignments and notes name them.
    pub admin_id: u64,
    /// The demo account: the one a new session opens.
    pub account_id: u64,
    /// A second account the demo user may open.
    pub second_account_id: u64,
    /// An account the demo user may NOT open: calls naming it are refused (API error 403).
    pub other_account_id: u64,
    /// A contact of the demo account with a long conversation (more than five pages of
    /// messages), notes and custom field values.
    pub contact_id: u64,
    /// The id token `login_with_google` accepts (the collection's placeholder `...` too).
    pub google_id_token: String,
    /// The identity token `login_with_apple` accepts (the placeholder `...` too).
    pub apple_identity_token: String,
    /// The id token `login_with_microsoft` accepts (the placeholder `...` too).
    pub microsoft_id_token: String,
    /// The access token `login_with_facebook` accepts (the placeholder `...` too).
    pub facebook_access_token: String,
}

impl std::fmt::Debug for Credentials {
    /// Shows everything but the secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("email", &self.email)
            .field("otp", &"***")
            .field("token", &"***")
            .field("admin_id", &self.admin_id)
            .field("account_id", &self.account_id)
            .field("second_account_id", &self.second_account_id)
            .field("other_account_id", &self.other_account_id)
            .field("contact_id", &self.contact_id)
            .finish_non_exhaustive()
    }
}

/// A file `upload_file` received: how long it was and its checksum, measured as it streamed
/// in (the sandbox does not keep the bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Upload {
    /// The account it was uploaded to.
    pub account_id: u64,
    /// The contact of the conversation it is for.
    pub contact_id: String,
    /// What kind of file the request said it is (`op2`: image, video, audio, voice, file).
    pub kind: String,
    /// The file name of the multipart part.
    pub file_name: Option<String>,
    /// The `Content-Type` of the multipart part.
    pub mime_type: Option<String>,
    /// How many bytes arrived.
    pub length: u64,
    /// The FNV-1a 64-bit hash of the bytes (see [`Fnv1a`]).
    pub checksum: u64,
    /// The URL the sandbox answered for it.
    pub url: String,
}

/// A device `register_device` registered for push notifications.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct RegisteredDevice {
    /// The device's Firebase Cloud Messaging token (a secret: `Debug` hides it).
    pub fcm_token: String,
    /// `ios`, `android` or `web`.
    pub platform: String,
    /// The device's brand, when given.
    pub brand: Option<String>,
    /// The device's model, when given.
    pub model: Option<String>,
    /// The account it was registered for.
    pub account_id: u64,
    /// The admin id of the user who registered it.
    pub admin_id: u64,
}

impl std::fmt::Debug for RegisteredDevice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegisteredDevice")
            .field("fcm_token", &"***")
            .field("platform", &self.platform)
            .field("brand", &self.brand)
            .field("model", &self.model)
            .field("account_id", &self.account_id)
            .field("admin_id", &self.admin_id)
            .finish()
    }
}

/// A running sandbox server on 127.0.0.1.
///
/// Dropping it stops the server (open connections finish their current request);
/// [`Sandbox::shutdown`] also waits for it to stop.
pub struct Sandbox {
    addr: SocketAddr,
    credentials: Credentials,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url())
            .field("credentials", &self.credentials)
            .field("requests_seen", &self.requests_seen())
            .finish()
    }
}

impl Sandbox {
    /// Starts a freshly seeded sandbox on 127.0.0.1 on a free port. Must be called within a
    /// Tokio runtime.
    ///
    /// # Errors
    ///
    /// When the port cannot be bound.
    pub async fn start() -> std::io::Result<Sandbox> {
        Sandbox::start_on(SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts a freshly seeded sandbox on `addr` (port 0: a free port). Must be called within a
    /// Tokio runtime.
    ///
    /// # Errors
    ///
    /// When the address cannot be bound.
    pub async fn start_on(addr: SocketAddr) -> std::io::Result<Sandbox> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let credentials = seed::credentials();
        let shared = Arc::new(Shared::new(
            seed::state(&credentials),
            format!("http://{addr}/"),
        ));
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(server::serve(listener, Arc::clone(&shared), stopped));
        tracing::debug!(%addr, "sandbox started");
        Ok(Sandbox {
            addr,
            credentials,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The API URL: `http://127.0.0.1:PORT/`.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The demo credentials and ids.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The fault layer: failures to inject into the next requests.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// How many requests reached the server (every `POST /`, faulted or not).
    pub fn requests_seen(&self) -> u64 {
        self.shared.requests_seen()
    }

    /// How many requests were read as the operation `name` (`get_order`), whatever the answer
    /// (faulted requests are not read, so not counted).
    pub fn operation_count(&self, name: &str) -> u64 {
        self.shared
            .operation_counts()
            .get(name)
            .copied()
            .unwrap_or(0)
    }

    /// [`Sandbox::operation_count`] of every operation that was called at least once.
    pub fn operation_counts(&self) -> BTreeMap<String, u64> {
        self.shared
            .operation_counts()
            .into_iter()
            .map(|(name, count)| (name.to_owned(), count))
            .collect()
    }

    /// Answers the operation `name` from its first documented example from now on, as an
    /// operation without a handler does (after the same session and account checks), leaving
    /// the state alone. Answers whether the catalogue has the operation.
    pub fn answer_from_example(&self, name: &str) -> bool {
        match chatrace::OPERATIONS.iter().find(|meta| meta.name == name) {
            Some(meta) => {
                self.shared.answer_from_example(meta.name);
                true
            }
            None => false,
        }
    }

    /// The files `upload_file` received, in order.
    pub fn uploads(&self) -> Vec<Upload> {
        self.shared.state().uploads.clone()
    }

    /// The devices `register_device` registered, in order (one per token).
    pub fn devices(&self) -> Vec<RegisteredDevice> {
        self.shared.state().devices.clone()
    }

    /// A hash of all the state the API can read or write (users, sessions, accounts and their
    /// data), to check that a refused request changed nothing.
    pub fn state_fingerprint(&self) -> u64 {
        self.shared.state().fingerprint()
    }

    /// A client builder preset with the sandbox's URL, the demo token and the demo account; set
    /// timeouts or a retry policy, then `build()`.
    pub fn client_builder(&self) -> chatrace::ClientBuilder {
        chatrace::Client::builder()
            .base_url(self.base_url())
            .token(self.credentials.token.clone())
            .account_id(self.credentials.account_id)
    }

    /// A client of the sandbox, logged in as the demo user on the demo account.
    pub fn client(&self) -> chatrace::Client {
        match self.client_builder().build() {
            Ok(client) => client,
            // The URL is `http://127.0.0.1:PORT/` and the token plain ASCII: always valid.
            Err(e) => unreachable!("the sandbox's own client settings are valid: {e}"),
        }
    }

    /// Stops the server and waits (up to 5 s) for it to finish; requests still in flight after
    /// that are abandoned.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
