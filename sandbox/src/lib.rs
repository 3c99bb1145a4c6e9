//! # chatrace-sandbox
//!
//! A stateful ChatRace server on loopback, for running the whole API offline: no account, no
//! network. It reads every request with the SDK's own generated request types
//! ([`chatrace::AnyRequest`]) and answers with the SDK's own response types, so the sandbox and
//! the SDK cannot drift apart. Unlike a stateless mock, it keeps state: a write shows up in the
//! next read.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = chatrace_sandbox::Sandbox::start().await?;
//! let client = sandbox.client(); // demo token and account preset
//! let order = client.get_order(1_000_000).send().await?;
//! println!("order {} is {:?}", order.id, order.status);
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! What it holds (seeded the same way every time): a demo user who belongs to one account
//! ([`Credentials::account_id`]) and another account the user does not belong to
//! ([`Credentials::other_account_id`]); admins, inbox teams, 68 contacts (64 conversations in
//! the inbox, the others archived or blocked) with messages and notes, tags, custom fields,
//! flows with steps, products, drip campaigns, saved replies, Messenger Lists, calendars and
//! appointments, orders with items, Google Business Messages locations. The ids of the
//! vendor's docs exist (order `1000000`, contact `12345`...), so the docs' examples run as
//! written. The clock starts at 2024-06-01 12:00:00 UTC and moves one second per write.
//!
//! How it answers: `POST /` only. Success is `{"status":"OK","data":...}` (or
//! `{"status":"OK"}`). An API error is `{"status":"ERROR","code":...,"message":...}` with HTTP
//! 200, as the real API does: code 401 without a live session token, 403 for an account the
//! user does not belong to (nothing changes), 404 for a missing thing, 400 for a request that
//! does not fit its operation (the message names the operation and the problem). A body that
//! is not JSON gets HTTP 400, a body over the limit ([`JSON_BODY_LIMIT`],
//! [`MULTIPART_BODY_LIMIT`]) HTTP 413, both with an error envelope. Internal notes show in
//! `list_messages` as messages of type `note`.
//!
//! Tests switch failures on with [`Sandbox::faults`] and count what arrived with
//! [`Sandbox::requests_seen`] and [`Sandbox::operation_count`].

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod checksum;
mod faults;
mod handlers;
mod seed;
mod server;
mod state;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use checksum::Fnv1a;
pub use faults::Faults;
pub use server::{JSON_BODY_LIMIT, MULTIPART_BODY_LIMIT};

use server::Shared;

/// The demo credentials of a sandbox: who can log in and how.
///
/// The same for every sandbox (the seed is deterministic); the session token in
/// [`Credentials::token`] is live from the start.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The demo user's email, for `request_email_otp`.
    pub email: String,
    /// The one-time code `validate_email_otp` accepts (the docs' example code, `456788`).
    pub otp: String,
    /// A live session token of the demo user, ready to send as `X-ACCESS-TOKEN`.
    pub token: String,
    /// The account the demo user belongs to.
    pub account_id: u64,
    /// An account the demo user does NOT belong to: calls for it are refused (API error 403).
    pub other_account_id: u64,
    /// The id token `login_with_google` accepts (the docs' placeholder `...` too).
    pub google_id_token: String,
    /// The identity token `login_with_apple` accepts (the docs' placeholder `...` too).
    pub apple_identity_token: String,
    /// The id token `login_with_microsoft` accepts.
    pub microsoft_id_token: String,
    /// The access token `login_with_facebook` accepts.
    pub facebook_access_token: String,
}

impl std::fmt::Debug for Credentials {
    /// Shows everything but the session token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("email", &self.email)
            .field("otp", &self.otp)
            .field("token", &"***")
            .field("account_id", &self.account_id)
            .field("other_account_id", &self.other_account_id)
            .finish_non_exhaustive()
    }
}

/// A file `upload_file` received: how long it was and its checksum, measured as it streamed
/// in (the sandbox does not keep the bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Upload {
    /// The account it was uploaded to.
    pub account_id: u64,
    /// The file name of the multipart part.
    pub file_name: Option<String>,
    /// The media type the request gave (`image`, `video`, `audio`, `file`), if any.
    pub media_type: Option<String>,
    /// The MIME type the sandbox answered: the part's, or guessed from the file name.
    pub mime_type: String,
    /// How many bytes arrived.
    pub length: u64,
    /// The FNV-1a 64-bit hash of the bytes (see [`Fnv1a`]).
    pub checksum: u64,
    /// The URL the sandbox answered for it.
    pub url: String,
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

    /// The demo credentials.
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

    /// How many requests named the operation `name` (`get_order`) and parsed as its request
    /// type, whatever the answer (faulted requests are not read, so not counted).
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

    /// The files `upload_file` received, in order.
    pub fn uploads(&self) -> Vec<Upload> {
        self.shared.state().uploads.clone()
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
