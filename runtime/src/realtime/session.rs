//! The realtime session of the inbox: finds the socket and the logged user, connects and
//! authenticates, keeps what it learns of the contacts it writes to, checks their reply
//! windows, and fills the catalogue's frames and parts, checked against its types, for each
//! subscription and message. The catalogue's side comes from an [`Inbox`].

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, PoisonError};

use chatrace_vocab::{Placeholder, RealtimePart};
use serde::Serialize;
use serde_json::Value;

use super::error::one_line;
use super::inbox::{check_reply_window, json_of, now_ms, ContactFacts, ReplyWindows};
use super::spec::{FrameSpec, Inbox, Uploads};
use super::template::Template;
use super::{Action, Connection, RealtimeError, RealtimeEvent, RealtimeOptions};
use crate::secret::SecretToken;
use crate::FileUpload;

/// Connects a [`Session`]: the inbox it serves, the platform it names, the connection's
/// options. Generated code wraps it as the builder `Client::realtime` returns.
#[must_use = "nothing connects until `connect().await`"]
pub struct SessionBuilder<C: Inbox> {
    inbox: C,
    platform: Option<C::Platform>,
    options: RealtimeOptions,
}

impl<C: Inbox> fmt::Debug for SessionBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionBuilder")
            .field("inbox", &self.inbox)
            .field("platform", &self.platform)
            .field("options", &self.options)
            .finish()
    }
}

impl<C: Inbox> SessionBuilder<C> {
    /// A builder for `inbox`, with no platform and the default options.
    pub fn new(inbox: C) -> Self {
        SessionBuilder {
            inbox,
            platform: None,
            options: RealtimeOptions::default(),
        }
    }

    /// The platform the app runs on (`{platform}`), sent when authenticating and with each
    /// message; not sent when not set.
    pub fn platform(mut self, platform: C::Platform) -> Self {
        self.platform = Some(platform);
        self
    }

    /// The connection's options: reconnection, timeouts, event buffer.
    pub fn options(mut self, options: RealtimeOptions) -> Self {
        self.options = options;
        self
    }

    /// Finds the socket's URL, the logged user and the account, connects and authenticates.
    ///
    /// # Errors
    ///
    /// The client has no session token or no default account, a lookup call fails or names
    /// nothing, a template of the catalogue does not compile, the `authenticate` frame does
    /// not fit its type, or the socket cannot be reached.
    pub async fn connect(self) -> Result<Session<C>, RealtimeError> {
        let SessionBuilder {
            inbox,
            platform,
            options,
        } = self;
        let handle = inbox.handle();
        let error_codes = handle.error_codes();
        let token = handle.token().ok_or_else(|| {
            RealtimeError::lookup(
                "the session",
                "the client has no session token: log in first",
            )
        })?;
        let account = handle.default_account_id().ok_or_else(|| {
            RealtimeError::lookup("the account", "the client has no default account")
        })?;
        let templates = Templates::of::<C>()?;
        let url = inbox
            .socket_url()
            .await
            .map_err(RealtimeError::call)?
            .ok_or_else(|| {
                RealtimeError::lookup("the socket's URL", "the URL lookup's answer names none")
            })?;
        let user = inbox.logged_user().await.map_err(RealtimeError::call)?;
        let user = json_of("the logged user", user.as_ref())?.ok_or_else(|| {
            RealtimeError::lookup("the logged user", "the user lookup's answer names none")
        })?;
        let known = Known {
            platform: json_of("the platform", platform.as_ref())?,
            account,
            user,
            token: token.clone(),
            templates,
            windows: C::REPLY_WINDOWS,
            contacts: Mutex::default(),
            checked: Mutex::default(),
        };
        let state = State { inbox, known };
        let authenticate = state.authenticate()?;
        let mut options = options.with_redact_token(token);
        // The error frames are read with the client's table unless the options name one.
        if options.error_codes.is_empty() {
            options.error_codes = error_codes;
        }
        let connection = Connection::connect(&url, authenticate, options).await?;
        Ok(Session {
            connection,
            state: Arc::new(state),
        })
    }
}

/// A live realtime session: the connection, and what it knows of the logged user and of the
/// contacts it wrote to. Cheap to clone; every clone sends on the same socket. Generated code
/// wraps it as `Realtime`.
pub struct Session<C: Inbox> {
    connection: Connection<C::Event>,
    state: Arc<State<C>>,
}

impl<C: Inbox> Clone for Session<C> {
    fn clone(&self) -> Self {
        Session {
            connection: self.connection.clone(),
            state: Arc::clone(&self.state),
        }
    }
}

impl<C: Inbox> fmt::Debug for Session<C> {
    /// The account, never the token nor a frame.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Realtime")
            .field("account", &self.state.known.account)
            .finish_non_exhaustive()
    }
}

impl<C: Inbox> Session<C> {
    /// The connection itself, for frames the catalogue describes and the session does not
    /// wrap.
    pub fn connection(&self) -> &Connection<C::Event> {
        &self.connection
    }

    /// A new stream of what happens from now on (see [`Connection::events`]).
    pub fn events(&self) -> impl futures::Stream<Item = RealtimeEvent<C::Event>> + Send + Unpin {
        self.connection.events()
    }

    /// Closes the socket; no reconnection follows.
    pub async fn close(&self) {
        self.connection.close().await;
    }

    /// Hears a conversation: looks the contact up (once), then subscribes, and subscribes
    /// again after each reconnect.
    ///
    /// # Errors
    ///
    /// The contact cannot be looked up, the frame does not fit its type, or the subscription
    /// is not sent.
    pub async fn subscribe(&self, contact: &C::Contact) -> Result<(), RealtimeError> {
        let frame = self.state.subscription(contact).await?;
        self.connection.subscribe(contact.to_string(), frame).await
    }

    /// Sends a text to a contact on a channel.
    ///
    /// # Errors
    ///
    /// The contact cannot be looked up, is outside the channel's reply window (nothing is
    /// sent), the message does not fit the catalogue's types, or the send is not confirmed
    /// (it is not sent again).
    pub async fn send_text(
        &self,
        contact: &C::Contact,
        channel: &C::Channel,
        text: &str,
    ) -> Result<(), RealtimeError> {
        let values = vec![(Placeholder::Text, Value::from(text))];
        let frame = self
            .state
            .part_message(RealtimePart::Text, contact, channel, values)
            .await?;
        self.connection.send(&frame).await
    }

    /// Sends a text that answers the message `replying_to` of the conversation.
    ///
    /// # Errors
    ///
    /// As [`send_text`](Self::send_text).
    pub async fn reply<M: Serialize + ?Sized>(
        &self,
        contact: &C::Contact,
        channel: &C::Channel,
        replying_to: &M,
        text: &str,
    ) -> Result<(), RealtimeError> {
        let mut values = vec![(Placeholder::Text, Value::from(text))];
        values.extend(value_of(Placeholder::ReplyingTo, replying_to)?);
        let frame = self
            .state
            .part_message(RealtimePart::Reply, contact, channel, values)
            .await?;
        self.connection.send(&frame).await
    }

    /// Sends a message of parts the caller built.
    ///
    /// # Errors
    ///
    /// As [`send_text`](Self::send_text).
    pub async fn send_parts(
        &self,
        contact: &C::Contact,
        channel: &C::Channel,
        parts: &[C::Part],
    ) -> Result<(), RealtimeError> {
        let frame = self.state.parts_message(contact, channel, parts).await?;
        self.connection.send(&frame).await
    }
}

impl<C: Uploads> Session<C> {
    /// Sends a file to a contact: checks the reply window, uploads the file with the
    /// catalogue's upload operation, then sends a file part with its URL.
    ///
    /// # Errors
    ///
    /// As [`send_text`](Self::send_text), and the upload's errors.
    pub async fn send_file(
        &self,
        contact: &C::Contact,
        channel: &C::Channel,
        kind: &C::Kind,
        file: FileUpload,
    ) -> Result<(), RealtimeError> {
        let frame = self
            .state
            .file_message(contact, channel, kind, file)
            .await?;
        self.connection.send(&frame).await
    }
}

/// What a session knows, shared by its clones: the catalogue's side, and the rest.
struct State<C: Inbox> {
    inbox: C,
    known: Known,
}

/// A frame's name, and its check against the type its data must decode as.
#[derive(Clone, Copy)]
struct Checked {
    name: &'static str,
    check: fn(&Value) -> Result<(), serde_json::Error>,
}

impl Checked {
    fn of<F: FrameSpec>() -> Checked {
        Checked {
            name: F::NAME,
            check: check::<F::Data>,
        }
    }
}

/// Reads `value` as a `T`, in place (`&Value` is a deserializer): the check copies nothing.
fn check<T: serde::de::DeserializeOwned>(value: &Value) -> Result<(), serde_json::Error> {
    T::deserialize(value).map(drop)
}

/// What a session knows and does that does not depend on the catalogue's types: compiled
/// once, here, rather than for each catalogue.
struct Known {
    account: u64,
    user: Value,
    token: SecretToken,
    platform: Option<Value>,
    templates: Templates,
    /// The channels' reply windows, and what still reaches a contact past one.
    windows: ReplyWindows,
    /// What sending to a contact needs, by contact: read once, then kept.
    contacts: Mutex<HashMap<String, ContactFacts>>,
    /// The (part, contact) pairs whose `send` frame was checked against the catalogue's types
    /// (see [`Known::message`]).
    checked: Mutex<HashSet<(RealtimePart, String)>>,
}

impl Known {
    /// A template filled with `extra`, then the session's own values.
    fn fill(&self, template: &Template, extra: &[(Placeholder, Value)]) -> Value {
        template.fill(&|name| {
            if let Some((_, value)) = extra.iter().find(|(n, _)| *n == name) {
                return Some(value.clone());
            }
            match name {
                Placeholder::Account => Some(Value::from(self.account)),
                Placeholder::User => Some(self.user.clone()),
                Placeholder::Token => Some(Value::from(self.token.expose())),
                Placeholder::Platform => self.platform.clone(),
                Placeholder::Now => Some(Value::from(now_ms())),
                _ => None,
            }
        })
    }

    /// The frame `frame`'s template filled, checked against the type its data must decode as.
    fn fill_checked(
        &self,
        frame: Checked,
        template: &Template,
        extra: &[(Placeholder, Value)],
    ) -> Result<Value, RealtimeError> {
        let filled = self.fill(template, extra);
        (frame.check)(&filled).map_err(|e| self.frame_error(frame.name, &e))?;
        Ok(filled)
    }

    /// A frame that does not fit, its reason on one line without the token (a filled frame
    /// holds it, and serde may quote a value).
    fn frame_error(&self, frame: &'static str, error: &dyn fmt::Display) -> RealtimeError {
        RealtimeError::frame(frame, one_line(&error.to_string(), Some(&self.token)))
    }

    /// The facts kept of the contact whose id is `key`.
    fn kept(&self, key: &str) -> Option<ContactFacts> {
        self.contacts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .cloned()
    }

    /// Keeps the facts of the contact whose id is `key`.
    fn keep(&self, key: String, facts: &ContactFacts) {
        self.contacts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, facts.clone());
    }

    /// Whether a contact of these facts can be written to on `channel` now. The window is the
    /// conversation's, so it is checked on the contact's own channel too: naming another
    /// channel does not reopen it.
    fn window(&self, channel: &Value, facts: &ContactFacts) -> Result<(), RealtimeError> {
        check_reply_window(self.windows, channel, facts.last_interaction_ms)?;
        match &facts.channel {
            Some(own) if own != channel => {
                check_reply_window(self.windows, own, facts.last_interaction_ms)
            }
            _ => Ok(()),
        }
    }

    /// The `subscribe` frame's data for the contact whose id is `key`.
    fn subscription(
        &self,
        frame: Checked,
        key: &str,
        facts: &ContactFacts,
    ) -> Result<Value, RealtimeError> {
        let values = contact_values(key, facts, None);
        self.fill_checked(frame, &self.templates.subscribe, &values)
    }

    /// The parts of a message of one part: the part's template filled with `values` and the
    /// channel. It is checked as a part of the message, with the whole frame.
    fn one_part(
        &self,
        frame: &'static str,
        part: RealtimePart,
        channel: &Value,
        mut values: Vec<(Placeholder, Value)>,
    ) -> Result<Value, RealtimeError> {
        let template = self.templates.part(part, frame)?;
        values.push((Placeholder::Channel, channel.clone()));
        Ok(Value::Array(vec![self.fill(template, &values)]))
    }

    /// The `send` frame's data. It is checked against the catalogue's types; for a message of
    /// one of the catalogue's parts, once per part and contact: later ones differ from the
    /// first only in the caller's typed values (a text, an id, a number), which fit the same
    /// types.
    fn message(
        &self,
        frame: Checked,
        key: &str,
        facts: &ContactFacts,
        channel: Value,
        parts: Value,
        part: Option<RealtimePart>,
    ) -> Result<Value, RealtimeError> {
        let mut values = contact_values(key, facts, Some(channel));
        values.push((Placeholder::Parts, parts));
        let checked = part.map(|part| (part, key.to_owned()));
        let known = checked.as_ref().is_some_and(|checked| {
            self.checked
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .contains(checked)
        });
        if known {
            return Ok(self.fill(&self.templates.send, &values));
        }
        let data = self.fill_checked(frame, &self.templates.send, &values)?;
        if let Some(checked) = checked {
            self.checked
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(checked);
        }
        Ok(data)
    }
}

impl<C: Uploads> State<C> {
    /// A message of one file part: the reply window is checked before the file goes
    /// anywhere, then the file is uploaded and the part sends its URL.
    async fn file_message(
        &self,
        contact: &C::Contact,
        channel: &C::Channel,
        kind: &C::Kind,
        file: FileUpload,
    ) -> Result<Filled<C::SendFrame>, RealtimeError> {
        self.reachable(contact, &self.channel(channel)?).await?;
        let mut values: Vec<_> = value_of(Placeholder::Kind, kind)?.into_iter().collect();
        if let Some(name) = file.file_name() {
            values.push((Placeholder::FileName, Value::from(name)));
        }
        if let Some(length) = file.length().await {
            values.push((Placeholder::Length, Value::from(length)));
        }
        let url = self
            .inbox
            .upload(contact, kind, file)
            .await
            .map_err(RealtimeError::call)?
            .ok_or_else(|| {
                RealtimeError::lookup("the uploaded file's URL", "the upload's answer has none")
            })?;
        values.push((Placeholder::Url, Value::from(url)));
        self.part_message(RealtimePart::File, contact, channel, values)
            .await
    }
}

/// The generic side of a session: the calls of the catalogue's lookups, and the types of its
/// frames; the work is [`Known`]'s.
impl<C: Inbox> State<C> {
    /// The `authenticate` frame.
    fn authenticate(&self) -> Result<Filled<C::AuthenticateFrame>, RealtimeError> {
        let known = &self.known;
        let data = known.fill_checked(
            Checked::of::<C::AuthenticateFrame>(),
            &known.templates.authenticate,
            &[],
        )?;
        Ok(Filled::new(data))
    }

    /// The `subscribe` frame of `contact`, looked up once.
    async fn subscription(
        &self,
        contact: &C::Contact,
    ) -> Result<Filled<C::SubscribeFrame>, RealtimeError> {
        let facts = self.contact(contact).await?;
        let data = self.known.subscription(
            Checked::of::<C::SubscribeFrame>(),
            &contact.to_string(),
            &facts,
        )?;
        Ok(Filled::new(data))
    }

    /// A message of one part, once the contact's reply window is known to be open.
    async fn part_message(
        &self,
        part: RealtimePart,
        contact: &C::Contact,
        channel: &C::Channel,
        values: Vec<(Placeholder, Value)>,
    ) -> Result<Filled<C::SendFrame>, RealtimeError> {
        let channel = self.channel(channel)?;
        let facts = self.reachable(contact, &channel).await?;
        let parts = self
            .known
            .one_part(C::SendFrame::NAME, part, &channel, values)?;
        self.message(contact, &facts, channel, parts, Some(part))
    }

    /// A message of the caller's parts, once the contact's reply window is known to be open.
    async fn parts_message(
        &self,
        contact: &C::Contact,
        channel: &C::Channel,
        parts: &[C::Part],
    ) -> Result<Filled<C::SendFrame>, RealtimeError> {
        let channel = self.channel(channel)?;
        let facts = self.reachable(contact, &channel).await?;
        let parts = serde_json::to_value(parts)
            .map_err(|e| self.known.frame_error(C::SendFrame::NAME, &e))?;
        self.message(contact, &facts, channel, parts, None)
    }

    /// The `send` frame (see [`Known::message`]).
    fn message(
        &self,
        contact: &C::Contact,
        facts: &ContactFacts,
        channel: Value,
        parts: Value,
        part: Option<RealtimePart>,
    ) -> Result<Filled<C::SendFrame>, RealtimeError> {
        let data = self.known.message(
            Checked::of::<C::SendFrame>(),
            &contact.to_string(),
            facts,
            channel,
            parts,
            part,
        )?;
        Ok(Filled::new(data))
    }

    /// A channel as the frames send it.
    fn channel(&self, channel: &C::Channel) -> Result<Value, RealtimeError> {
        serde_json::to_value(channel).map_err(|e| self.known.frame_error(C::SendFrame::NAME, &e))
    }

    /// What sending to `contact` needs to know: read once, then kept.
    async fn contact(&self, contact: &C::Contact) -> Result<ContactFacts, RealtimeError> {
        match self.known.kept(&contact.to_string()) {
            Some(facts) => Ok(facts),
            None => self.read_contact(contact).await,
        }
    }

    /// The facts of `contact` for a send on `channel`, whose reply window must be open. The
    /// kept facts can be stale (the contact may have written since they were read), so a
    /// window they say is closed is checked again on fresh ones.
    async fn reachable(
        &self,
        contact: &C::Contact,
        channel: &Value,
    ) -> Result<ContactFacts, RealtimeError> {
        let facts = self.contact(contact).await?;
        if self.known.window(channel, &facts).is_ok() {
            return Ok(facts);
        }
        let facts = self.read_contact(contact).await?;
        self.known.window(channel, &facts)?;
        Ok(facts)
    }

    /// Reads `contact` from the server and keeps what sending needs.
    async fn read_contact(&self, contact: &C::Contact) -> Result<ContactFacts, RealtimeError> {
        let facts = self.inbox.contact(contact).await?;
        self.known.keep(contact.to_string(), &facts);
        Ok(facts)
    }
}

/// The values a frame about `contact` (its id's text) fills: its id, its hash, and the channel (the one given,
/// else the contact's own).
fn contact_values(
    contact: &str,
    facts: &ContactFacts,
    channel: Option<Value>,
) -> Vec<(Placeholder, Value)> {
    let mut values = vec![(Placeholder::Contact, id_json(contact))];
    if let Some(hash) = &facts.hash {
        values.push((Placeholder::Hash, hash.clone()));
    }
    if let Some(channel) = channel.or_else(|| facts.channel.clone()) {
        values.push((Placeholder::Channel, channel));
    }
    values
}

/// An id as the realtime frames send it: a number when its text is one that a number keeps
/// exactly ([`crate::wire::exact_integer`]), else the text.
fn id_json(text: &str) -> Value {
    match crate::wire::exact_integer(text) {
        Some(number) => Value::from(number),
        None => Value::String(text.to_owned()),
    }
}

/// The placeholder `name` with the JSON of a caller's typed `value` (none for `null` or an
/// empty string).
fn value_of<T: Serialize + ?Sized>(
    name: Placeholder,
    value: &T,
) -> Result<Option<(Placeholder, Value)>, RealtimeError> {
    json_of(name_of(name), Some(value)).map(|json| json.map(|json| (name, json)))
}

/// What a caller's value stands for, in errors.
fn name_of(name: Placeholder) -> &'static str {
    match name {
        Placeholder::ReplyingTo => "the message replied to",
        Placeholder::Kind => "the kind of file",
        _ => "a value of the message",
    }
}

/// The catalogue's templates, compiled when the session connects.
struct Templates {
    authenticate: Template,
    subscribe: Template,
    send: Template,
    parts: Vec<(RealtimePart, Template)>,
}

impl Templates {
    fn of<C: Inbox>() -> Result<Templates, RealtimeError> {
        fn frame<F: FrameSpec>() -> Result<Template, RealtimeError> {
            Template::parse(F::TEMPLATE)
                .map_err(|why| RealtimeError::frame(F::NAME, format!("its template: {why}")))
        }
        let parts = C::PARTS
            .iter()
            .map(|&(part, text)| {
                Template::parse(text)
                    .map(|template| (part, template))
                    .map_err(|why| {
                        RealtimeError::frame(
                            C::SendFrame::NAME,
                            format!("the template of the `{part}` part: {why}"),
                        )
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(Templates {
            authenticate: frame::<C::AuthenticateFrame>()?,
            subscribe: frame::<C::SubscribeFrame>()?,
            send: frame::<C::SendFrame>()?,
            parts,
        })
    }

    /// The template of `part`; the `send` frame (`frame`) cannot carry a part the catalogue
    /// does not have.
    fn part(&self, part: RealtimePart, frame: &'static str) -> Result<&Template, RealtimeError> {
        self.parts
            .iter()
            .find(|(p, _)| *p == part)
            .map(|(_, template)| template)
            .ok_or_else(|| {
                RealtimeError::frame(frame, format!("the catalogue has no `{part}` part"))
            })
    }
}

/// A frame's filled `data`, sent as `{"action": F::ACTION, "data": ...}`.
struct Filled<F> {
    data: Value,
    frame: PhantomData<fn() -> F>,
}

impl<F> Filled<F> {
    fn new(data: Value) -> Self {
        Filled {
            data,
            frame: PhantomData,
        }
    }
}

impl<F> Serialize for Filled<F> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.data.serialize(serializer)
    }
}

impl<F: FrameSpec> Action for Filled<F> {
    const ACTION: &'static str = F::ACTION;
    const NAME: &'static str = F::NAME;
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use serde::Deserialize;
    use serde_json::json;

    use super::*;
    use crate::realtime::EventFrame;
    use crate::{Error, Handle};

    const HOUR: i64 = 3_600_000;
    const WHATSAPP: i64 = 5;

    /// A catalogue's side, answering from memory and counting its calls.
    #[derive(Debug)]
    struct Fake {
        handle: Handle,
        url: Option<String>,
        user: Option<String>,
        /// What the contact lookup answers, for any contact.
        facts: Mutex<ContactFacts>,
        reads: AtomicUsize,
        uploads: AtomicUsize,
    }

    impl Fake {
        fn new() -> Fake {
            Fake {
                handle: Handle::builder()
                    .base_url("http://127.0.0.1:9")
                    .token("tok-SECRET")
                    .account_id(7)
                    .build()
                    .expect("a handle"),
                url: Some("ws://127.0.0.1:9/chat".to_owned()),
                user: Some("1000000002".to_owned()),
                facts: Mutex::new(ContactFacts {
                    hash: Some(json!("h-1")),
                    channel: Some(json!(0)),
                    last_interaction_ms: Some(now_ms() - HOUR),
                }),
                reads: AtomicUsize::new(0),
                uploads: AtomicUsize::new(0),
            }
        }

        /// The contact lookup answers that the contact last wrote `hours_ago`.
        fn last_wrote(&self, hours_ago: i64) {
            self.facts.lock().unwrap().last_interaction_ms = Some(now_ms() - hours_ago * HOUR);
        }

        fn reads(&self) -> usize {
            self.reads.load(Ordering::SeqCst)
        }

        /// The contact lookup answers that the contact talks on `channel`.
        fn talks_on(&self, channel: i64) {
            self.facts.lock().unwrap().channel = Some(json!(channel));
        }
    }

    #[derive(Deserialize)]
    #[allow(dead_code)] // read to check the frame's shape
    struct AuthData {
        account_id: u64,
        user_id: String,
        token: String,
        platform: Option<String>,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct SubscribeData {
        ms_id: u64,
        hash: String,
        channel: i64,
        page_id: u64,
    }

    /// How many `send` frames were checked against their type.
    static SEND_CHECKS: AtomicUsize = AtomicUsize::new(0);

    struct SendData;

    impl<'de> Deserialize<'de> for SendData {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            #[derive(Deserialize)]
            #[allow(dead_code)]
            struct Shape {
                contact_id: u64,
                channel: i64,
                message: Vec<Value>,
            }
            SEND_CHECKS.fetch_add(1, Ordering::SeqCst);
            Shape::deserialize(d).map(|_| SendData)
        }
    }

    enum Authenticate {}
    impl FrameSpec for Authenticate {
        const NAME: &'static str = "authenticate";
        const ACTION: &'static str = "\"authenticate\"";
        const TEMPLATE: &'static str = r#"{"account_id": "{account}", "user_id": "{user}",
            "token": "{token}", "platform": "{platform}"}"#;
        type Data = AuthData;
    }

    enum Subscribe {}
    impl FrameSpec for Subscribe {
        const NAME: &'static str = "subscribe";
        const ACTION: &'static str = "-1";
        const TEMPLATE: &'static str = r#"{"ms_id": "{contact}", "hash": "{hash}",
            "channel": "{channel}", "page_id": "{account}", "dir": 0}"#;
        type Data = SubscribeData;
    }

    enum Send {}
    impl FrameSpec for Send {
        const NAME: &'static str = "send";
        const ACTION: &'static str = "0";
        const TEMPLATE: &'static str = r#"{"contact_id": "{contact}", "hash": "{hash}",
            "channel": "{channel}", "token": "{token}", "timestamp": "{now}",
            "message": "{parts}"}"#;
        type Data = SendData;
    }

    /// A frame whose type wants the token as a number: it never fits.
    enum Strict {}
    impl FrameSpec for Strict {
        const NAME: &'static str = "strict";
        const ACTION: &'static str = "1";
        const TEMPLATE: &'static str = "{}";
        type Data = StrictData;
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct StrictData {
        token: u64,
    }

    #[derive(Clone, Deserialize)]
    struct Event;

    impl EventFrame for Event {
        const AT: &'static str = "data";
    }

    impl Inbox for Fake {
        type Contact = u64;
        type Channel = i64;
        type User = String;
        type Platform = &'static str;
        type Part = Value;
        type Event = Event;
        type AuthenticateFrame = Authenticate;
        type SubscribeFrame = Subscribe;
        type SendFrame = Send;

        const PARTS: &'static [(RealtimePart, &'static str)] = &[
            (
                RealtimePart::Text,
                r#"{"type": "text", "text": "{text}", "channel": "{channel}"}"#,
            ),
            (
                RealtimePart::Reply,
                r#"{"type": "text", "text": "{text}", "replyingTo": "{replying_to}"}"#,
            ),
            (
                RealtimePart::File,
                r#"{"type": "file", "file": {"url": "{url}", "name": "{file_name}",
                    "length": "{length}", "type": "{kind}"}}"#,
            ),
        ];
        const REPLY_WINDOWS: ReplyWindows = ReplyWindows {
            hours: &[(0, 168), (WHATSAPP, 24), (15, 0)],
            past_window: &[(WHATSAPP, "send_template")],
        };

        fn handle(&self) -> &Handle {
            &self.handle
        }

        async fn socket_url(&self) -> Result<Option<String>, Error> {
            Ok(self.url.clone())
        }

        async fn logged_user(&self) -> Result<Option<String>, Error> {
            Ok(self.user.clone())
        }

        async fn contact(&self, _: &u64) -> Result<ContactFacts, RealtimeError> {
            self.reads.fetch_add(1, Ordering::SeqCst);
            Ok(self.facts.lock().unwrap().clone())
        }
    }

    impl Uploads for Fake {
        type Kind = &'static str;

        async fn upload(
            &self,
            contact: &u64,
            kind: &&'static str,
            file: FileUpload,
        ) -> Result<Option<String>, Error> {
            self.uploads.fetch_add(1, Ordering::SeqCst);
            let name = file.file_name().unwrap_or("file");
            Ok(Some(format!(
                "https://files.example.com/{contact}/{kind}/{name}"
            )))
        }
    }

    /// A session's state, as `connect` leaves it, without a socket.
    fn state(fake: Fake) -> State<Fake> {
        let known = Known {
            account: 7,
            user: json!("1000000002"),
            token: SecretToken::new("tok-SECRET"),
            platform: Some(json!("web")),
            templates: Templates::of::<Fake>().expect("the templates compile"),
            windows: Fake::REPLY_WINDOWS,
            contacts: Mutex::default(),
            checked: Mutex::default(),
        };
        State { inbox: fake, known }
    }

    fn text(words: &str) -> Vec<(Placeholder, Value)> {
        vec![(Placeholder::Text, json!(words))]
    }

    #[test]
    fn the_authenticate_frame_holds_the_session() {
        let frame = state(Fake::new()).authenticate().expect("fits");
        assert_eq!(
            frame.data,
            json!({"account_id": 7, "user_id": "1000000002", "token": "tok-SECRET", "platform": "web"})
        );
    }

    #[tokio::test]
    async fn a_subscription_names_the_contact_its_hash_and_channel() {
        let state = state(Fake::new());
        let frame = state.subscription(&42).await.expect("fits");
        assert_eq!(
            frame.data,
            json!({"ms_id": 42, "hash": "h-1", "channel": 0, "page_id": 7, "dir": 0})
        );
    }

    #[tokio::test]
    async fn a_text_goes_as_one_part_with_the_channel_given() {
        let state = state(Fake::new());
        let frame = state
            .part_message(RealtimePart::Text, &42, &0, text("Hi"))
            .await
            .expect("fits");
        let data = frame.data;
        assert_eq!(data["contact_id"], json!(42));
        assert_eq!(data["token"], json!("tok-SECRET"));
        assert!(data["timestamp"].as_i64().is_some_and(|t| t > 0), "{data}");
        assert_eq!(
            data["message"],
            json!([{"type": "text", "text": "Hi", "channel": 0}])
        );
    }

    #[tokio::test]
    async fn a_contact_is_read_once_then_kept() {
        let state = state(Fake::new());
        state.subscription(&42).await.expect("fits");
        for words in ["one", "two"] {
            state
                .part_message(RealtimePart::Text, &42, &0, text(words))
                .await
                .expect("fits");
        }
        assert_eq!(state.inbox.reads(), 1);
        state.subscription(&43).await.expect("fits");
        assert_eq!(state.inbox.reads(), 2, "another contact is read");
    }

    /// The refusal of a send past WhatsApp's 24 hours, naming the template operation.
    fn past_whatsapps_window(error: &RealtimeError) -> bool {
        matches!(
            error,
            RealtimeError::Unreachable { channel: WHATSAPP, reason, past_window_operation: Some("send_template"), .. }
                if reason.contains("24 hours")
        )
    }

    #[tokio::test]
    async fn naming_another_channel_does_not_reopen_the_contacts_window() {
        let state = state(Fake::new());
        state.inbox.talks_on(WHATSAPP);
        state.inbox.last_wrote(30);
        for other in [0, 99] {
            let error = state
                .part_message(RealtimePart::Text, &42, &other, text("late?"))
                .await
                .err()
                .expect("refused");
            assert!(past_whatsapps_window(&error), "channel {other}: {error:?}");
        }
    }

    #[tokio::test]
    async fn a_window_the_kept_facts_call_closed_is_checked_on_fresh_ones() {
        let state = state(Fake::new());
        state.inbox.last_wrote(30);
        let error = state
            .part_message(RealtimePart::Text, &42, &WHATSAPP, text("late?"))
            .await
            .err()
            .expect("refused");
        assert!(past_whatsapps_window(&error), "{error:?}");
        assert_eq!(state.inbox.reads(), 2, "read, then read again to be sure");

        // The contact writes: the kept facts still say closed, fresh ones say open.
        state.inbox.last_wrote(0);
        state
            .part_message(RealtimePart::Text, &42, &WHATSAPP, text("welcome back"))
            .await
            .expect("open again");
        assert_eq!(state.inbox.reads(), 3);
        state
            .part_message(RealtimePart::Text, &42, &WHATSAPP, text("and again"))
            .await
            .expect("open");
        assert_eq!(state.inbox.reads(), 3, "open facts are kept");

        let error = state
            .part_message(RealtimePart::Text, &42, &15, text("a call?"))
            .await
            .err()
            .expect("nothing goes on channel 15");
        assert!(matches!(
            error,
            RealtimeError::Unreachable { channel: 15, .. }
        ));
    }

    #[tokio::test]
    async fn a_message_of_a_part_is_checked_once_per_part_and_contact() {
        let state = state(Fake::new());
        let checks = || SEND_CHECKS.load(Ordering::SeqCst);
        let before = checks();
        for _ in 0..2 {
            state
                .part_message(RealtimePart::Text, &1042, &0, text("Hi"))
                .await
                .expect("fits");
        }
        assert_eq!(checks() - before, 1, "the second text is not checked again");
        state
            .part_message(RealtimePart::Text, &1043, &0, text("Hi"))
            .await
            .expect("fits");
        let reply = vec![
            (Placeholder::Text, json!("Yes")),
            (Placeholder::ReplyingTo, json!("m_1")),
        ];
        let frame = state
            .part_message(RealtimePart::Reply, &1042, &0, reply)
            .await
            .expect("fits");
        assert_eq!(frame.data["message"][0]["replyingTo"], json!("m_1"));
        assert_eq!(checks() - before, 3, "another contact, another part");
        // The caller's own parts are checked every time.
        for _ in 0..2 {
            state
                .parts_message(&1042, &0, &[json!({"type": "text", "text": "mine"})])
                .await
                .expect("fits");
        }
        assert_eq!(checks() - before, 5);
    }

    #[test]
    fn a_contact_id_is_a_number_only_when_the_number_keeps_it() {
        assert_eq!(id_json("100000000001"), json!(100000000001u64));
        // An Instagram contact id: past 2^53 a JavaScript server would read it rounded.
        assert_eq!(id_json("17841412345678901"), json!("17841412345678901"));
        assert_eq!(id_json("0042"), json!("0042"));
        assert_eq!(id_json("m_abc"), json!("m_abc"));
    }

    #[test]
    fn a_frame_that_does_not_fit_is_refused_without_the_token() {
        let known = state(Fake::new()).known;
        let error = known
            .fill_checked(Checked::of::<Strict>(), &known.templates.authenticate, &[])
            .expect_err("the token is not a number");
        let RealtimeError::Frame { frame, reason } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(*frame, "strict");
        assert!(reason.contains("invalid type"), "{reason}");
        assert!(!error.to_string().contains("tok-SECRET"), "{error}");
    }

    #[tokio::test]
    async fn a_file_is_uploaded_after_the_window_check_and_sent_by_its_url() {
        let state = state(Fake::new());
        state.inbox.last_wrote(30);
        let file = || FileUpload::from_bytes("photo.jpg", b"12345".to_vec());
        let error = state
            .file_message(&42, &WHATSAPP, &"image", file())
            .await
            .err()
            .expect("refused");
        assert!(
            matches!(error, RealtimeError::Unreachable { .. }),
            "{error:?}"
        );
        assert_eq!(
            state.inbox.uploads.load(Ordering::SeqCst),
            0,
            "nothing uploaded"
        );

        let frame = state
            .file_message(&42, &0, &"image", file())
            .await
            .expect("sent");
        assert_eq!(
            frame.data["message"],
            json!([{"type": "file", "file": {
                "url": "https://files.example.com/42/image/photo.jpg",
                "name": "photo.jpg", "length": 5, "type": "image"
            }}])
        );
    }

    #[tokio::test]
    async fn connect_says_what_it_cannot_find_before_it_dials() {
        let what = |fake: Fake| async move {
            match SessionBuilder::new(fake).connect().await {
                Err(RealtimeError::Lookup { what, .. }) => what,
                other => panic!("{other:?}"),
            }
        };
        let no_token = Fake::new();
        no_token.handle.clear_token();
        assert_eq!(what(no_token).await, "the session");
        let no_url = Fake {
            url: None,
            ..Fake::new()
        };
        assert_eq!(what(no_url).await, "the socket's URL");
        let no_user = Fake {
            user: None,
            ..Fake::new()
        };
        assert_eq!(what(no_user).await, "the logged user");
        let empty_user = Fake {
            user: Some(String::new()),
            ..Fake::new()
        };
        assert_eq!(what(empty_user).await, "the logged user", "empty is none");
    }
}
