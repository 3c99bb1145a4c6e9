//! One call of an operation as its handler sees it ([`Call`]: the state, who calls, for which
//! account, what it changed for the realtime sockets) and the mobile API's answer to it
//! ([`Reply`] or [`ApiError`]), shared by the HTTP sides, the handlers and the sockets.

use chatrace::types::ContactId;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::codes;
use crate::state::{Account, ContactRecord, State};

/// A file part the server received with the request, measured as it streamed by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReceivedFile {
    /// The form field's name.
    pub field: String,
    /// The file name the part carried.
    pub file_name: Option<String>,
    /// The part's `Content-Type`.
    pub content_type: Option<String>,
    /// How many bytes arrived.
    pub length: u64,
    /// The FNV-1a 64 of the bytes.
    pub checksum: u64,
}

/// One call, past the session and account checks: the state, who calls, and for which
/// account.
pub(crate) struct Call<'a> {
    pub state: &'a mut State,
    /// The logged user's admin id (`None` for operations that need no session).
    pub admin_id: Option<u64>,
    /// The account of the call: the one the body names for account-scoped operations (checked
    /// to be one the user may open), the session's open account for the others.
    pub account_id: Option<u64>,
    /// The `X-ACCESS-TOKEN` the call came with.
    pub token: Option<String>,
    /// The file parts of a multipart request.
    pub files: Vec<ReceivedFile>,
    /// The server's base URL, for URLs of uploaded files.
    pub base_url: String,
    /// What the call changed in conversations, for the realtime sockets subscribed to them
    /// (sent once the call succeeds).
    pub pushes: Vec<Push>,
}

/// A change of a conversation that the realtime sockets subscribed to it hear.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Push {
    /// The contact whose conversation changed.
    pub contact_id: ContactId,
    /// What changed.
    pub change: Change,
}

/// What changed in a conversation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Change {
    /// A new message: the conversation's newest (a flow, a step, products sent over HTTP).
    Message,
    /// A state change, as one part of a `message` event (`assign`, `live_chat`, `followup`,
    /// `archived`, `note`), made by `by` at `at_ms`.
    State {
        part: Map<String, Value>,
        by: u64,
        at_ms: i64,
    },
}

/// A successful answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reply {
    /// `{"status":"OK"}` with these keys beside `status` (`data`, or `rid`, `url`...).
    Ok(Map<String, Value>),
    /// A documented example answer, as the catalogue has it (its own `status` included).
    Example(Map<String, Value>),
}

/// An error answer: `{"status":"ERROR","code":N}`. The reason is for the sandbox's traces only:
/// the real server sends no message, and neither does the sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub code: u16,
    pub reason: String,
    /// A code a test switched on ([`crate::PlayedErrors`]): its whole envelope is answered.
    pub played: Option<i64>,
}

impl ApiError {
    fn new(code: u16, reason: impl Into<String>) -> Self {
        ApiError {
            code,
            reason: reason.into(),
            played: None,
        }
    }

    /// The error a test switched on.
    pub fn played(code: i64) -> Self {
        ApiError {
            code: u16::try_from(code).unwrap_or(u16::MAX),
            reason: format!("error {code} switched on by a test"),
            played: Some(code),
        }
    }
    /// [`codes::INVALID_SESSION`].
    pub fn invalid_session(reason: impl Into<String>) -> Self {
        ApiError::new(codes::INVALID_SESSION, reason)
    }
    /// [`codes::REFUSED`].
    pub fn refused(reason: impl Into<String>) -> Self {
        ApiError::new(codes::REFUSED, reason)
    }
    /// [`codes::NOT_FOUND`].
    pub fn not_found(reason: impl Into<String>) -> Self {
        ApiError::new(codes::NOT_FOUND, reason)
    }
    /// [`codes::NOT_FOUND`] too: the sandbox could not complete the request (it cannot encode
    /// its own answer, or a documented example is broken).
    pub fn failed(reason: impl Into<String>) -> Self {
        ApiError::new(codes::NOT_FOUND, reason)
    }
    /// [`codes::NOT_CONNECTED`].
    pub fn not_connected(reason: impl Into<String>) -> Self {
        ApiError::new(codes::NOT_CONNECTED, reason)
    }
    /// [`codes::LOGIN_REFUSED`].
    pub fn login_refused(reason: impl Into<String>) -> Self {
        ApiError::new(codes::LOGIN_REFUSED, reason)
    }
    /// [`codes::ACCOUNT_FORBIDDEN`].
    pub fn account_forbidden(reason: impl Into<String>) -> Self {
        ApiError::new(codes::ACCOUNT_FORBIDDEN, reason)
    }
}

/// The result of a handler.
pub(crate) type Outcome = Result<Reply, ApiError>;

/// `{"status":"OK"}`.
pub(crate) fn done() -> Outcome {
    Ok(Reply::Ok(Map::new()))
}

/// `{"status":"OK","data":...}`.
pub(crate) fn data(value: &impl Serialize) -> Outcome {
    let value = serde_json::to_value(value)
        .map_err(|e| ApiError::failed(format!("cannot encode the answer: {e}")))?;
    let mut beside = Map::new();
    beside.insert("data".to_owned(), value);
    Ok(Reply::Ok(beside))
}

/// `{"status":"OK", ...}` with the keys of `value` (an object) beside `status`, for the
/// operations whose answer is the envelope itself.
pub(crate) fn envelope(value: &impl Serialize) -> Outcome {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => Ok(Reply::Ok(map)),
        Ok(other) => Err(ApiError::failed(format!(
            "an envelope answer must be an object, not {other}"
        ))),
        Err(e) => Err(ApiError::failed(format!("cannot encode the answer: {e}"))),
    }
}

impl Call<'_> {
    /// The logged user's admin id.
    pub fn admin_id(&self) -> Result<u64, ApiError> {
        self.admin_id
            .ok_or_else(|| ApiError::invalid_session("this operation needs a session"))
    }

    /// The account of the call.
    pub fn account(&self) -> Result<&Account, ApiError> {
        let id = self.account_id.ok_or_else(|| {
            ApiError::account_forbidden("the call has no account: log in, or send `account_id`")
        })?;
        self.state
            .accounts
            .get(&id)
            .ok_or_else(|| ApiError::account_forbidden(format!("no account {id}")))
    }

    /// The account of the call, to change it.
    pub fn account_mut(&mut self) -> Result<&mut Account, ApiError> {
        let id = self.account_id.ok_or_else(|| {
            ApiError::account_forbidden("the call has no account: log in, or send `account_id`")
        })?;
        self.state
            .accounts
            .get_mut(&id)
            .ok_or_else(|| ApiError::account_forbidden(format!("no account {id}")))
    }

    /// A contact of the account.
    pub fn contact(&self, id: &ContactId) -> Result<&ContactRecord, ApiError> {
        self.account()?
            .contacts
            .get(id.as_str())
            .ok_or_else(|| contact_not_found(id))
    }

    /// Tells the sockets of the account that `contact_id`'s conversation changed: `part` is the
    /// state change, its value nested in `data` as the vendor sends it
    /// (`{"type": "assign", "data": {"fb_id": ...}}`), to which the contact, the logged admin
    /// and the time of the change are added as `ms_id`, `from` and `timestamp`.
    pub fn push_change(&mut self, contact_id: &ContactId, part: Value) {
        let Value::Object(part) = part else {
            return;
        };
        self.pushes.push(Push {
            contact_id: contact_id.clone(),
            change: Change::State {
                part,
                by: self.admin_id.unwrap_or(0),
                at_ms: self.state.clock.saturating_mul(1000),
            },
        });
    }

    /// Tells the sockets subscribed to `contact_id`'s conversation of its newest message.
    pub fn push_message(&mut self, contact_id: &ContactId) {
        self.pushes.push(Push {
            contact_id: contact_id.clone(),
            change: Change::Message,
        });
    }

    /// A contact of the account, to change it, and the time of the change: the clock moves
    /// (only once the contact is known to exist, so a refused write leaves it where it was).
    pub fn contact_mut(&mut self, id: &ContactId) -> Result<(&mut ContactRecord, i64), ApiError> {
        self.contact(id)?;
        let now = self.state.tick();
        let contact = self
            .account_mut()?
            .contacts
            .get_mut(id.as_str())
            .ok_or_else(|| contact_not_found(id))?;
        Ok((contact, now))
    }
}

fn contact_not_found(id: &ContactId) -> ApiError {
    ApiError::not_found(format!("contact {id} not found"))
}
