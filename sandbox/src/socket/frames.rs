//! What the client sends on the socket, read with the SDK's own frame types, and what the
//! server does with it: `authenticate`, `subscribe` (action -1), `send` (action 0).

use chatrace::types::{
    AdminId, AuthenticateData, Channel, ContactId, Message, MessageDirection, MessageId,
    SendMessageData, SubscribeData,
};
use chatrace::UnixMillis;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::time::Instant;

use super::events;
use super::hub::Scheduled;
use super::replies::scripted_reply;
use crate::codes;
use crate::ids;
use crate::shared::Shared;
use crate::state::{Account, ContactRecord, State};

/// Who authenticated on a socket.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Auth {
    token: String,
    admin_id: u64,
    account_id: u64,
}

/// One socket's side of the protocol.
pub(crate) struct Socket {
    pub id: u64,
    /// Set by a successful `authenticate`.
    auth: Option<Auth>,
}

impl Socket {
    pub(crate) fn new(id: u64) -> Self {
        Socket { id, auth: None }
    }
}

/// What the server answers a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    /// Nothing: the frame was done (its effects are events, if any).
    Done,
    /// The error frame with this code; the socket stays open.
    Error(u16),
    /// The error frame with this code, then the socket is closed (a refused `authenticate`, a
    /// session that ended).
    Refuse(u16),
    /// This error frame (an error a test switched on), then the socket is closed.
    RefuseWith(String),
}

/// Why a frame was refused, for the answer and the sandbox's traces (never the frame).
struct Refusal {
    code: u16,
    close: bool,
    reason: String,
    /// The whole error frame, for an error a test switched on.
    frame: Option<String>,
}

type Handled = Result<(), Refusal>;

fn error(code: u16, reason: impl Into<String>) -> Refusal {
    Refusal {
        code,
        close: false,
        reason: reason.into(),
        frame: None,
    }
}

fn closing(code: u16, reason: impl Into<String>) -> Refusal {
    Refusal {
        close: true,
        ..error(code, reason)
    }
}

/// The three actions a client sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Authenticate,
    Subscribe,
    Send,
}

/// The action of a frame's `action` value: `"authenticate"`, `-1`, `0` (numbers also as text).
fn action_of(value: &Value) -> Option<Action> {
    match value {
        Value::String(text) => match text.trim() {
            "authenticate" => Some(Action::Authenticate),
            "-1" => Some(Action::Subscribe),
            "0" => Some(Action::Send),
            _ => None,
        },
        Value::Number(number) => match number.as_i64() {
            Some(-1) => Some(Action::Subscribe),
            Some(0) => Some(Action::Send),
            _ => None,
        },
        _ => None,
    }
}

/// Reads one text frame and does what it asks.
pub(crate) fn handle(shared: &Shared, socket: &mut Socket, text: &str) -> Answer {
    let result = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(mut frame)) => match frame.get("action").and_then(action_of) {
            Some(action) => {
                shared.hub.count(|stats| match action {
                    Action::Authenticate => stats.authenticate += 1,
                    Action::Subscribe => stats.subscribe += 1,
                    Action::Send => stats.send += 1,
                });
                let data = frame.remove("data").unwrap_or(Value::Null);
                match action {
                    Action::Authenticate => authenticate(shared, socket, data),
                    Action::Subscribe => subscribe(shared, socket, data),
                    Action::Send => send(shared, socket, data),
                }
            }
            None => Err(error(
                codes::REFUSED,
                "no `action`, or not one the server knows",
            )),
        },
        Ok(_) => Err(error(codes::REFUSED, "the frame is not a JSON object")),
        Err(_) => Err(error(codes::REFUSED, "the frame is not JSON")),
    };
    match result {
        Ok(()) => Answer::Done,
        Err(refusal) => {
            let token = socket.auth.as_ref().map(|auth| auth.token.as_str());
            tracing::debug!(
                socket = socket.id,
                code = refusal.code,
                reason = %shared.masked(&refusal.reason, token),
                "socket frame refused"
            );
            shared.hub.count(|stats| stats.refused += 1);
            match (refusal.frame, refusal.close) {
                (Some(frame), _) => Answer::RefuseWith(frame),
                (None, true) => Answer::Refuse(refusal.code),
                (None, false) => Answer::Error(refusal.code),
            }
        }
    }
}

/// A frame's `data` read as the SDK's type for it.
fn decode<T: DeserializeOwned>(data: Value, what: &str) -> Result<T, Refusal> {
    if !data.is_object() {
        return Err(error(
            codes::REFUSED,
            format!("the `{what}` frame's `data` is not an object"),
        ));
    }
    serde_json::from_value(data).map_err(|e| {
        error(
            codes::REFUSED,
            format!("the `{what}` frame's `data` does not fit: {e}"),
        )
    })
}

/// An id written as a JSON number or string.
fn id_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) if !text.trim().is_empty() => Some(text.trim().to_owned()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn authenticate(shared: &Shared, socket: &mut Socket, data: Value) -> Handled {
    // A refused authentication closes the socket, whatever the reason.
    let close = |refusal: Refusal| Refusal {
        close: true,
        ..refusal
    };
    let data: AuthenticateData = decode(data, "authenticate").map_err(close)?;
    let state = shared.state();
    let token = data
        .token
        .as_deref()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| closing(codes::INVALID_SESSION, "no token"))?;
    if let Some(code) = shared.played.code_for_token(token) {
        return Err(Refusal {
            frame: Some(crate::played::envelope(code, &shared.base_url)),
            ..closing(
                u16::try_from(code).unwrap_or(u16::MAX),
                "an error switched on by a test",
            )
        });
    }
    let session = state.sessions.get(token).ok_or_else(|| {
        closing(
            codes::INVALID_SESSION,
            "the session token is unknown or ended",
        )
    })?;
    if let Some(user) = &data.user_id {
        if user.as_u64() != Some(session.admin_id) {
            return Err(closing(
                codes::INVALID_SESSION,
                format!("user {user} is not the session's"),
            ));
        }
    }
    let account = data
        .account_id
        .as_ref()
        .ok_or_else(|| closing(codes::REFUSED, "no `account_id`"))?
        .as_u64()
        .ok_or_else(|| closing(codes::REFUSED, "`account_id` is not an account number"))?;
    let may_open = state
        .users
        .get(&session.admin_id)
        .is_some_and(|user| user.may_open(account))
        && state.accounts.contains_key(&account);
    if !may_open {
        return Err(closing(
            codes::ACCOUNT_FORBIDDEN,
            format!("the user may not open account {account}"),
        ));
    }
    socket.auth = Some(Auth {
        token: token.to_owned(),
        admin_id: session.admin_id,
        account_id: account,
    });
    shared.hub.authenticated(socket.id, account);
    tracing::debug!(socket = socket.id, account, "socket authenticated");
    Ok(())
}

/// Who the socket is, checked against the live sessions: a frame before `authenticate` is
/// refused; one after the session ended (a logout) closes the socket.
fn authenticated(state: &State, socket: &Socket) -> Result<Auth, Refusal> {
    let auth = socket.auth.as_ref().ok_or_else(|| {
        error(
            codes::INVALID_SESSION,
            "not authenticated: send `authenticate` first",
        )
    })?;
    let live = state
        .sessions
        .get(&auth.token)
        .is_some_and(|session| session.admin_id == auth.admin_id);
    if !live {
        return Err(closing(codes::INVALID_SESSION, "the session ended"));
    }
    Ok(auth.clone())
}

/// The account the socket authenticated on; a frame naming another is refused.
fn account<'a>(
    state: &'a State,
    auth: &Auth,
    named: Option<String>,
) -> Result<&'a Account, Refusal> {
    if let Some(named) = named {
        if named.parse::<u64>().ok() != Some(auth.account_id) {
            return Err(error(
                codes::ACCOUNT_FORBIDDEN,
                format!(
                    "the socket is authenticated on account {}, not {named}",
                    auth.account_id
                ),
            ));
        }
    }
    state
        .accounts
        .get(&auth.account_id)
        .ok_or_else(|| error(codes::ACCOUNT_FORBIDDEN, "the account is gone"))
}

/// The contact a frame names by id (`ms_id`, `contact_id`) or by conversation `hash`; both,
/// when given, must agree.
fn contact<'a>(
    account: &'a Account,
    id: Option<String>,
    hash: Option<&str>,
) -> Result<&'a ContactRecord, Refusal> {
    let hash = hash.map(str::trim).filter(|h| !h.is_empty());
    let found = match (&id, hash) {
        (Some(id), _) => account.contacts.get(id.as_str()),
        (None, Some(hash)) => account.contacts.values().find(|c| c.hash == hash),
        (None, None) => return Err(error(codes::REFUSED, "no contact (`ms_id`) nor `hash`")),
    }
    .ok_or_else(|| error(codes::NOT_FOUND, "no such contact in the account"))?;
    if hash.is_some_and(|hash| hash != found.hash) {
        return Err(error(
            codes::NOT_FOUND,
            format!("the `hash` is not contact {}'s conversation", found.id),
        ));
    }
    Ok(found)
}

fn subscribe(shared: &Shared, socket: &mut Socket, data: Value) -> Handled {
    let data: SubscribeData = decode(data, "subscribe")?;
    let state = shared.state();
    let auth = authenticated(&state, socket)?;
    let named_account = data.account_id.as_ref().map(|a| a.as_str().to_owned());
    let account = account(&state, &auth, named_account)?;
    let named_contact = data.contact_id.as_ref().map(|c| c.as_str().to_owned());
    let contact = contact(account, named_contact, data.conversation_hash.as_deref())?;
    let hub = &shared.hub;
    hub.subscribe(socket.id, contact.id.as_str());
    tracing::debug!(socket = socket.id, contact = %contact.id, "socket subscribed");
    if let Some(greeting) = &hub.script.greeting {
        hub.schedule(Scheduled {
            due: Instant::now() + hub.script.delay,
            account: auth.account_id,
            contact: contact.id.clone(),
            sent_at_ms: None,
            reply: greeting.clone(),
        });
    }
    Ok(())
}

fn send(shared: &Shared, socket: &mut Socket, data: Value) -> Handled {
    let data: SendMessageData = decode(data, "send")?;
    let mut guard = shared.state();
    let state = &mut *guard;
    let auth = authenticated(state, socket)?;
    if data
        .token
        .as_deref()
        .is_some_and(|token| token != auth.token)
    {
        return Err(error(
            codes::INVALID_SESSION,
            "the frame's token is not the socket's session",
        ));
    }
    // The mobile guide names them `account_id` and `contact_id`, the web inbox `page_id`
    // and `ms_id`.
    let named_account = data
        .account_id
        .as_ref()
        .map(|a| a.as_str().to_owned())
        .or_else(|| id_text(data.extra.get("page_id")));
    let named_contact = data
        .contact_id
        .as_ref()
        .map(|c| c.as_str().to_owned())
        .or_else(|| id_text(data.extra.get("ms_id")));
    let parts = data
        .parts
        .filter(|parts| !parts.is_empty())
        .ok_or_else(|| error(codes::REFUSED, "the message has no parts (`message`)"))?;
    let account_id = account(state, &auth, named_account)?.id;
    let contact = contact(
        account(state, &auth, None)?,
        named_contact,
        data.conversation_hash.as_deref(),
    )?;
    if contact.blocked {
        return Err(error(
            codes::REFUSED,
            format!("contact {} is blocked: unblock them first", contact.id),
        ));
    }
    match &data.channel {
        Some(Channel::Unknown(other)) => {
            return Err(error(codes::REFUSED, format!("no channel {other}")));
        }
        Some(channel) if *channel != contact.channel => {
            return Err(error(
                codes::NOT_CONNECTED,
                format!(
                    "contact {} talks on channel {}, not {channel}",
                    contact.id, contact.channel
                ),
            ));
        }
        _ => {}
    }
    let contact_id: ContactId = contact.id.clone();
    let channel = contact.channel.clone();
    let serial = state.fresh_id();
    let now_ms = state.tick().saturating_mul(1000);
    let message = {
        let mut built = Message::new(MessageId::new(ids::message_id(&format!(
            "socket/{account_id}/{contact_id}/{serial}"
        ))));
        built.channel = Some(channel);
        built.direction = Some(MessageDirection::ToContact);
        built.sent_by = Some(AdminId::new(auth.admin_id));
        built.parts = Some(parts);
        built.sent_at = Some(UnixMillis::new(now_ms));
        built
    };
    let reply = scripted_reply(message.parts.as_deref().unwrap_or_default());
    let contact = state
        .accounts
        .get_mut(&account_id)
        .and_then(|account| account.contacts.get_mut(contact_id.as_str()))
        .ok_or_else(|| error(codes::NOT_FOUND, "the contact is gone"))?;
    let echo = events::message(contact, &message);
    contact.messages.push(message);
    let hub = &shared.hub;
    hub.publish(account_id, contact_id.as_str(), &echo);
    if hub.script.enabled {
        let delivered = events::receipt("delivered", contact, now_ms);
        hub.publish(account_id, contact_id.as_str(), &delivered);
        hub.schedule(Scheduled {
            due: Instant::now() + hub.script.delay,
            account: account_id,
            contact: contact_id,
            sent_at_ms: Some(now_ms),
            reply,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn actions_are_read_as_the_templates_write_them() {
        assert_eq!(
            action_of(&json!("authenticate")),
            Some(Action::Authenticate)
        );
        assert_eq!(action_of(&json!(-1)), Some(Action::Subscribe));
        assert_eq!(action_of(&json!("-1")), Some(Action::Subscribe));
        assert_eq!(action_of(&json!(0)), Some(Action::Send));
        assert_eq!(action_of(&json!(1)), None);
        assert_eq!(action_of(&json!("send")), None);
        assert_eq!(action_of(&json!(null)), None);
        assert_eq!(action_of(&json!(-1.5)), None);
    }

    #[test]
    fn ids_are_read_from_numbers_and_text() {
        assert_eq!(id_text(Some(&json!(12))), Some("12".to_owned()));
        assert_eq!(id_text(Some(&json!(" 12 "))), Some("12".to_owned()));
        assert_eq!(id_text(Some(&json!(""))), None);
        assert_eq!(id_text(Some(&json!([1]))), None);
        assert_eq!(id_text(None), None);
    }
}
