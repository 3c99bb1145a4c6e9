//! # chatrace-sandbox
//!
//! A stateful ChatRace server on loopback, for running the whole platform offline: no account,
//! no network. It speaks the real wire of both APIs, the mobile (inbox) API of the vendor's
//! Postman collection and the public (REST) API of its Swagger page, over one state; it reads
//! every request with the SDK's own request types ([`chatrace::AnyRequest`]) and answers with
//! the SDK's own answer types, so the sandbox and the SDK cannot drift apart. Unlike a
//! stateless mock, it keeps state: a write shows in the next read, over either API.
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
//! The demo account holds admins and inbox teams; 66 contacts ([`DEMO_CONVERSATIONS`], or as
//! many as [`SandboxBuilder::conversations`] says) known by their `ms_id`, each with
//! a conversation (channel, `live_chat`, `followup`, `archived`, `blocked`, `assigned_to`,
//! `last_read_page`), messages whose `message` is a string holding the JSON array of their
//! parts (text, typing pauses, quick replies, files), `dir` 0 to the contact and 1 from them,
//! ids like the real ones (`m_…`), times in milliseconds; notes and custom field values on the
//! contact; tags, drip campaigns, Messenger Lists; flows with steps, products, saved replies,
//! calendars and appointments, orders, Google Business Messages locations, approved WhatsApp
//! templates (`order_shipped` in `en_US` and `es_MX`, `we_miss_you` with a text header,
//! `tasting_invite` with a picture header; sending one is never refused for the time since the
//! contact last wrote: that is what templates are for). The ids of the
//! vendor's examples exist (contact `2850008055041461`, `100000000001`, `12345`; order
//! `1000000`; note `88888`; saved reply `569601`; appointment `45595`...), so the collection's
//! example requests run as written. The clock starts at 2024-06-01 12:00:00 UTC and moves one
//! second per write; the seed's times are set relative to its start ([`Sandbox::builder`]
//! can start it elsewhere, or at the time of day and keep it there:
//! [`SandboxBuilder::wall_clock`]).
//!
//! ## How it answers
//!
//! The mobile API: `POST /` only, JSON bodies and the vendor's upload form (`multipart/form-data`: a text
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
//! | 2    | the body is not JSON, not an object, names no operation or does not fit it; a value the operation does not take (empty text, an order status other than 4, 6, 7, 10, 13, a custom field value of the wrong type, a filter the inbox does not have, a WhatsApp template's values that do not fill its placeholders or its media header, another namespace than the template's); a send to a blocked contact |
//! | 4    | the request names something the account does not have: a contact, an order, a note, a saved reply, an appointment, a calendar, a flow or step, a product, a tag, a custom field, an admin or team to assign, a WhatsApp template or a language it is not approved in |
//! | 14   | a send on a channel the contact does not talk on |
//! | 401  | a refused login: a wrong code, an unknown or used `rid`, a social token that is not the sandbox's |
//! | 403  | an account the user may not open; nothing changes |
//!
//! A body over the limit ([`JSON_BODY_LIMIT`], [`MULTIPART_BODY_LIMIT`]) is answered HTTP 413,
//! and anything but `POST /`, `/api/...` and `GET /ws` HTTP 404 or 405, each with
//! `{"status":"ERROR","code":2}`.
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
//! [`Sandbox::answer_from_example`]). Tests switch failures on with [`Sandbox::faults`], play
//! any API error code of the catalogue's table per operation or per session token with
//! [`Sandbox::errors`], and count what arrived with [`Sandbox::requests_seen`] and
//! [`Sandbox::operation_count`].
//!
//! ## The public API
//!
//! Under `/api/` on the same port ([`Sandbox::public_api_url`], as a white-label serves it at
//! `https://<app domain>/api/`; [`Sandbox::public_client`] is a `PublicClient` of it). A
//! request is routed by its method and path against the catalogue's routes (a literal segment
//! wins over a param: `POST /api/contacts/7/send/text` sends a text, not the flow `text`); its
//! path params, query and body (a form, or a JSON object) are gathered into one object and
//! read with the SDK's own request type. `X-ACCESS-TOKEN` must be the account's API token
//! ([`Credentials::api_token`], [`SandboxBuilder::api_token`]; each account has its own, and
//! a session token of the mobile API is not one): without it, every request is answered HTTP
//! 401 with `{"error": {"code": 401, "message": "No valid API key provided."}}` and nothing
//! changes (the form public clients report; the Swagger page shows none). An answer is the
//! whole body (`{"success": true}` for a write that returns nothing else); an error is the
//! error object with its HTTP status: 400 for a request that does not fit its operation or a
//! value it does not take, 404 for something the account does not have (a contact, a tag, a
//! field, a pipeline...), 402 for an order paid already or given the status it has, 404 and
//! 405 for a path that is not a route or a method the path does not take.
//!
//! It works on the accounts the mobile API works on, as the real platform does:
//!
//! - contacts (a path takes a contact's id or its phone number, digits only): read, found by
//!   `phone`, `email` or a custom field's value (the most recent conversation first, at most
//!   100), created with actions (field values by name, then tags by name, then a flow) as
//!   WhatsApp contacts when made by phone number and web chat ones when made by email (a phone
//!   number the account has already is refused); they are conversations of the inbox at once;
//! - tags and custom fields of the account (the inbox's own lists: created, read by id and by
//!   name, a tag deleted with it gone from every contact) and each contact's tags and values,
//!   checked against the field's type as the inbox checks them; bot fields;
//! - sends: a text, a file (by URL, with its caption), several messages and actions, products,
//!   a flow (its first step, as the mobile API's `send_flow`): each is a message of the bot
//!   (`sentBy` 0) on the contact's channel, in `list_messages` and on the realtime socket, and
//!   the conversation stays with whoever answers it. A flow the account does not have sends
//!   nothing and answers success, as public clients report the API does;
//! - the shop: a contact's cart (a quantity added adds to what the cart holds, within the
//!   stock); paying the cart's order (`mark_order_paid` with at least its total in cents)
//!   makes it a confirmed order of the inbox's `list_orders`, takes its products out of the
//!   stock and empties the cart; a contact's orders and their status (6, 7, 10 or 13), shared
//!   with the inbox's `update_order`; products (price, stock, on sale or not);
//! - sales pipelines, their stages and custom fields; opportunities created (at the first stage
//!   unless one is given), read, changed, deleted, listed page by page (`offset`, `limit`,
//!   and by contact) with their comments; the API token acts as the account's owner
//!   (`created_by`, `updated_by`).
//!
//! `generate_template_link` and `list_account_integrations` answer their documented example
//! (none for the latter: `{}`), as will an operation the catalogue gains later. The fault
//! layer ([`Sandbox::faults`]) and the played errors ([`Sandbox::errors`]) apply to the public
//! API too.
//!
//! ## The realtime socket
//!
//! `GET /ws` on the same port is the inbox's WebSocket ([`Sandbox::socket_url`]), which
//! `get_whitelabel` announces as `wsurl` and `websocket`. It reads the frames the catalogue's
//! `realtime` section writes (`{"action": ..., "data": {...}}`), each `data` with the SDK's
//! own frame type, in the order they arrive:
//!
//! - `authenticate` (`"action": "authenticate"`): `token` must be a live session, `user_id`
//!   (when given) its user, and `account_id` an account the user may open, as over HTTP. It
//!   is answered with nothing; a refused one gets the error frame (code 1, 2 or 403) and the
//!   socket is closed (close code 1008).
//! - `subscribe` (`"action": -1`): the conversation of `ms_id` (or of `hash`; when both are
//!   given they must agree) is heard on this socket from now on. `page_id`, when given, must
//!   be the authenticated account.
//! - `send` (`"action": 0`): a message of the parts in `message` (an array) to the contact
//!   `contact_id` (or `ms_id`) of `account_id` (or `page_id`). It is stored as the real server
//!   stores it (the conversation's newest message, `dir` 0, `sentBy` the authenticated admin,
//!   `message` a string holding the parts in HTTP answers) and echoed as a `message` event to
//!   the sockets subscribed to the conversation. Then the contact answers (unless
//!   [`SandboxBuilder::contact_replies`] is off): `delivered` at once, then after
//!   [`SandboxBuilder::reply_delay`] `seen` and a `message` from the contact (`dir` 1) whose
//!   text is [`scripted_reply`] of what they got, also stored. A `token` in `data`, when
//!   given, must be the socket's. The sandbox does not check reply windows (the SDK does,
//!   before it sends).
//!
//! Events are `{"data": {"type": "message" | "seen" | "delivered", "ms_id": ..., ...}}`,
//! a message's parts an array, and go to the sockets of the account subscribed to the
//! conversation. Writes made over HTTP are heard too, as `message` events of one part: the
//! state changes `assign` (`data.fb_id`, 0 when unassigned) for `assign_conversation` and
//! `unassign_conversation`, `live_chat` (`data.live_chat`) for `move_conversation`,
//! `followup` (`data.followup`) and `archived` (`data.archived`) for `follow_conversation`
//! and `archive_conversation`, each part with its contact's `ms_id`, `from` and `timestamp`,
//! as the vendor's web inbox reads them; the account's sockets not subscribed to the
//! conversation hear these four in an account-wide frame (`ms_id` null). Also `note` (`id`,
//! `text`; a part the catalogue does not declare) for `add_note` and `update_note`, and the
//! messages `send_flow`, `send_step` and `send_products` add, and those the public API's sends
//! add.
//!
//! A frame that cannot be done is answered with the HTTP API's error envelope as a text frame,
//! `{"status":"ERROR","code":N}`, and the socket stays open: code 2 for a frame that is not
//! JSON, not an object, has no known `action` (`"authenticate"`, `-1`, `0`, or their text),
//! or whose `data` does not fit (no parts, a contact that is blocked, an unknown channel);
//! 1 for a frame before `authenticate` or with another session's `token`; 4 for a contact
//! (or `hash`) the account does not have; 14 for a channel the contact does not talk on; 403
//! for another account. After the session ends (a logout), the next frame gets code 1 and the
//! socket is closed. Pings are answered; a message over 1 MiB ends the socket.
//!
//! With [`SandboxBuilder::greeting`], a contact also writes each time a socket subscribes to
//! their conversation (something to hear for a client that only listens).
//!
//! Tests see what the sockets did with [`Sandbox::socket_stats`], cut every socket off with
//! [`Sandbox::kill_sockets`] (a client reconnects), write any frame with
//! [`Sandbox::push_frame`], and make a contact write with [`Sandbox::contact_writes`].
//!
//! The SDK checks reply windows against the time of day, and the default clock is in 2024,
//! where every contact's window has long closed: start the sandbox with
//! [`SandboxBuilder::wall_clock`] to send on the socket.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use chatrace::types::{Channel, ContactId};
//! use chatrace_sandbox::Sandbox;
//!
//! let sandbox = Sandbox::builder().wall_clock().start().await?;
//! let realtime = sandbox.client().realtime().connect().await?;
//! let contact = ContactId::new(sandbox.credentials().contact_id);
//! realtime.subscribe(&contact).await?;
//! realtime.send_text(&contact, Channel::Messenger, "Hello!").await?;
//! # Ok(()) }
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod body;
mod call;
mod checksum;
pub mod codes;
mod connection;
mod faults;
mod front;
mod handlers;
mod ids;
mod paths;
mod played;
mod rest;
mod seed;
mod server;
mod shared;
mod socket;
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
pub use played::PlayedErrors;
pub use seed::{
    DEFAULT_MOST_MESSAGES, DEMO_CONVERSATIONS, MAX_ALL_MESSAGES, MAX_CONVERSATIONS,
    MAX_MESSAGES_PER_CONVERSATION,
};
pub use socket::{scripted_reply, scripted_reply_to_text};

use chatrace::types::{ContactId, MessageId};
use shared::Shared;

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
    /// The demo account's API token: what the public API takes in `X-ACCESS-TOKEN`
    /// ([`Sandbox::public_client`]); [`SandboxBuilder::api_token`] sets another.
    pub api_token: String,
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
            .field("api_token", &"***")
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
    /// The request's `file_name` param: the name the app gave the file (the vendor's web inbox
    /// sends the file's own; its collection's example sends `null`).
    pub named: Option<String>,
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

/// What the realtime sockets of a sandbox did so far (see [`Sandbox::socket_stats`]).
///
/// Frames are counted by their `action` as they arrive, accepted or not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SocketStats {
    /// Sockets opened (WebSocket handshakes completed).
    pub opened: u64,
    /// Sockets open now.
    pub open: usize,
    /// `authenticate` frames received.
    pub authenticate: u64,
    /// `subscribe` frames (action -1) received.
    pub subscribe: u64,
    /// `send` frames (action 0) received.
    pub send: u64,
    /// Frames answered with an error frame (of any action, or none).
    pub refused: u64,
}

/// How long after a message sent on the socket the contact sees it and answers, by default.
pub const DEFAULT_REPLY_DELAY: Duration = Duration::from_millis(200);

/// Starts a sandbox with settings of its own: made by [`Sandbox::builder`].
#[derive(Clone)]
#[must_use = "nothing starts until `start().await`"]
pub struct SandboxBuilder {
    addr: SocketAddr,
    clock_start: i64,
    wall_clock: bool,
    contact_replies: bool,
    reply_delay: Duration,
    greeting: Option<String>,
    inbox: seed::InboxSize,
    api_token: Option<String>,
}

impl std::fmt::Debug for SandboxBuilder {
    /// Shows everything but the API token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxBuilder")
            .field("addr", &self.addr)
            .field("clock_start", &self.clock_start)
            .field("wall_clock", &self.wall_clock)
            .field("contact_replies", &self.contact_replies)
            .field("reply_delay", &self.reply_delay)
            .field("greeting", &self.greeting)
            .field("inbox", &self.inbox)
            .field("api_token", &self.api_token.as_ref().map(|_| "***"))
            .finish()
    }
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        SandboxBuilder {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            clock_start: time::EPOCH,
            wall_clock: false,
            contact_replies: true,
            reply_delay: DEFAULT_REPLY_DELAY,
            greeting: None,
            inbox: seed::InboxSize::default(),
            api_token: None,
        }
    }
}

impl SandboxBuilder {
    /// The address to listen on (default `127.0.0.1:0`: a free loopback port).
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Starts the clock at the current time, and keeps it up with the wall clock: every time
    /// of the seed is set relative to the start, so the contacts' last messages are minutes
    /// to days old, as the SDK's realtime client sees them when it checks a channel's reply
    /// window against the time of day. What the realtime client sends needs it (or
    /// [`clock_starts_at`](Self::clock_starts_at) near now).
    pub fn wall_clock(mut self) -> Self {
        self.clock_start = time::wall_clock();
        self.wall_clock = true;
        self
    }

    /// Starts the clock at `unix_seconds` (default 2024-06-01 12:00:00 UTC), moving one
    /// second per write: the same calls give the same answers.
    pub fn clock_starts_at(mut self, unix_seconds: i64) -> Self {
        self.clock_start = unix_seconds;
        self.wall_clock = false;
        self
    }

    /// Whether contacts answer what is sent to them on the socket (default yes): `delivered`
    /// at once, then after [`reply_delay`](Self::reply_delay) `seen` and a message from the
    /// contact ([`scripted_reply`]).
    pub fn contact_replies(mut self, on: bool) -> Self {
        self.contact_replies = on;
        self
    }

    /// How long after a message the contact sees it and answers (default
    /// [`DEFAULT_REPLY_DELAY`]).
    pub fn reply_delay(mut self, delay: Duration) -> Self {
        self.reply_delay = delay;
        self
    }

    /// Each time a socket subscribes to a conversation, its contact writes `text` (after
    /// [`reply_delay`](Self::reply_delay)): something to hear for a client that only listens
    /// (none by default).
    pub fn greeting(mut self, text: impl Into<String>) -> Self {
        self.greeting = Some(text.into());
        self
    }

    /// The demo account holds `count` conversations instead of the seed's
    /// [`DEMO_CONVERSATIONS`] (a smaller count keeps the seed's): the seed's own, then older
    /// ones made the same way, the same at every start, for paging and exports at scale. At
    /// most [`MAX_CONVERSATIONS`], and [`MAX_ALL_MESSAGES`] messages in all:
    /// [`start`](Self::start) refuses more.
    pub fn conversations(mut self, count: usize) -> Self {
        self.inbox.conversations = Some(count);
        self
    }

    /// Each conversation added by [`conversations`](Self::conversations) holds `count`
    /// messages (default: 4 to 8, as the seed's). At most [`MAX_MESSAGES_PER_CONVERSATION`],
    /// and [`MAX_ALL_MESSAGES`] in all: [`start`](Self::start) refuses more.
    pub fn messages_per_conversation(mut self, count: usize) -> Self {
        self.inbox.messages_each = Some(count);
        self
    }

    /// The demo account's API token for the public API (default: [`Credentials::api_token`]
    /// of a default sandbox).
    pub fn api_token(mut self, token: impl Into<String>) -> Self {
        self.api_token = Some(token.into());
        self
    }

    /// Starts the sandbox. Must be called within a Tokio runtime.
    ///
    /// # Errors
    ///
    /// When the address cannot be bound; or, as `InvalidInput`, when the
    /// [`api_token`](Self::api_token) is empty or holds anything but printable ASCII, or a
    /// count of the inbox is over its limit (the message names the setting, its value and the
    /// limit):
    ///
    /// - [`conversations`](Self::conversations) is more than [`MAX_CONVERSATIONS`];
    /// - [`messages_per_conversation`](Self::messages_per_conversation) is more than
    ///   [`MAX_MESSAGES_PER_CONVERSATION`];
    /// - the conversations times their messages (or [`DEFAULT_MOST_MESSAGES`] each, when not
    ///   given) are more than [`MAX_ALL_MESSAGES`].
    ///
    /// The token and the counts are checked first: nothing is bound or allocated for a sandbox
    /// refused.
    pub async fn start(self) -> std::io::Result<Sandbox> {
        self.inbox.check()?;
        let mut credentials = seed::credentials();
        if let Some(token) = self.api_token {
            // What an HTTP header carries as it is, so that every client can send it.
            if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "the API token must be printable ASCII without spaces",
                ));
            }
            credentials.api_token = token;
        }
        let listener = TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        let mut state = seed::state(&credentials, self.clock_start, self.inbox);
        state.follows_wall_clock = self.wall_clock;
        let (replies, queue) = tokio::sync::mpsc::unbounded_channel();
        let script = socket::ReplyScript {
            enabled: self.contact_replies,
            delay: self.reply_delay,
            greeting: self.greeting,
        };
        let shared = Arc::new(Shared::new(
            state,
            format!("http://{addr}/"),
            socket::Hub::new(script, replies),
        ));
        tokio::spawn(socket::play_replies(Arc::downgrade(&shared), queue));
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
}

impl Sandbox {
    /// Starts a freshly seeded sandbox on 127.0.0.1 on a free port, its clock at 2024-06-01
    /// 12:00:00 UTC. Must be called within a Tokio runtime. To send on the realtime socket,
    /// start it with [`SandboxBuilder::wall_clock`] instead.
    ///
    /// # Errors
    ///
    /// When the port cannot be bound.
    pub async fn start() -> std::io::Result<Sandbox> {
        Sandbox::builder().start().await
    }

    /// Starts a freshly seeded sandbox on `addr` (port 0: a free port). Must be called within a
    /// Tokio runtime.
    ///
    /// # Errors
    ///
    /// When the address cannot be bound.
    pub async fn start_on(addr: SocketAddr) -> std::io::Result<Sandbox> {
        Sandbox::builder().addr(addr).start().await
    }

    /// A sandbox with settings of its own: the address, the clock, the contacts' replies.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// The realtime socket's URL: `ws://127.0.0.1:PORT/ws` (also what `get_whitelabel`
    /// answers as `wsurl` and `websocket`).
    pub fn socket_url(&self) -> String {
        format!("ws://{}{}", self.addr, paths::SOCKET)
    }

    /// What the realtime sockets did so far: sockets opened and open, frames received.
    pub fn socket_stats(&self) -> SocketStats {
        self.shared.hub.stats()
    }

    /// Drops every open socket at once, without a close frame, as a network failure would (a
    /// client then reconnects); answers how many there were.
    pub fn kill_sockets(&self) -> usize {
        self.shared.hub.kill_all()
    }

    /// Writes `text` as it is, as one text frame, to every authenticated socket (to see how a
    /// client takes a frame it does not know, or one that is not JSON); answers how many got
    /// it.
    pub fn push_frame(&self, text: &str) -> usize {
        self.shared.hub.push_to_all(&text.to_owned().into())
    }

    /// The contact `contact_id` of the demo account writes `text`: a new message from them
    /// (`dir` 1) in the conversation, which the sockets subscribed to it hear. Answers the
    /// message's id, or `None` when the demo account has no such contact.
    pub fn contact_writes(&self, contact_id: &ContactId, text: &str) -> Option<MessageId> {
        let mut state = self.shared.state();
        socket::contact_writes(
            &mut state,
            &self.shared.hub,
            self.credentials.account_id,
            contact_id,
            text,
        )
    }

    /// The API URL: `http://127.0.0.1:PORT/`.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The public API's base URL: `http://127.0.0.1:PORT/api/`, as a white-label serves it.
    pub fn public_api_url(&self) -> String {
        format!(
            "{}{}/",
            self.shared.base_url,
            paths::PUBLIC_PREFIX.trim_start_matches('/')
        )
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

    /// The API errors to answer instead of handling calls, per operation or per session token:
    /// each code of the catalogue's table, with the members it carries, as the real server
    /// answers it (see [`PlayedErrors`]).
    pub fn errors(&self) -> &PlayedErrors {
        &self.shared.played
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

    /// Answers the operation `name` (of either API) from its first documented example from now
    /// on, as an operation without a handler does (after the same session, account or API
    /// token checks), leaving the state alone. Answers whether the catalogue has the operation.
    pub fn answer_from_example(&self, name: &str) -> bool {
        let mut operations = chatrace::OPERATIONS
            .iter()
            .chain(chatrace::PUBLIC_OPERATIONS.iter());
        match operations.find(|meta| meta.name == name) {
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

    /// A public API client builder preset with the sandbox's public API URL and the demo
    /// account's API token; set timeouts or a retry policy, then `build()`.
    pub fn public_client_builder(&self) -> chatrace::PublicClientBuilder {
        chatrace::PublicClient::builder()
            .base_url(self.public_api_url())
            .api_token(self.credentials.api_token.clone())
    }

    /// A public API client of the sandbox, with the demo account's API token.
    pub fn public_client(&self) -> chatrace::PublicClient {
        match self.public_client_builder().build() {
            Ok(client) => client,
            // The URL is `http://127.0.0.1:PORT/api/` and the token one a header can carry.
            Err(e) => unreachable!("the sandbox's own public client settings are valid: {e}"),
        }
    }

    /// Stops the server and waits (up to 5 s) for it to finish; requests still in flight after
    /// that are abandoned.
    pub async fn shutdown(mut self) {
        self.shared.hub.close_all();
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
        self.shared.hub.close_all();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
