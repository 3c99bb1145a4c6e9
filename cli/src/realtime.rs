//! `chatrace send` and `chatrace watch`: the inbox's realtime socket, through the SDK's
//! generated realtime client (`Client::realtime`).
//!
//! `send` connects, sends one message to a contact (a text, a reply, or a file uploaded first),
//! and with `--wait-reply` waits for the contact's answer. `watch` connects, subscribes to the
//! conversations given, and prints one line per event until Ctrl-C (or `--count` events).
//!
//! With `--sandbox`, the embedded sandbox runs on the time of day (the SDK refuses to write to
//! a contact whose reply window has closed, and the default sandbox clock is in 2024), its
//! contacts answer what is sent to them, and for `watch` the contact writes once its
//! conversation is subscribed: something happens.

use std::time::Duration;

use chatrace::realtime::{Realtime, RealtimeError, RealtimeEvent, RealtimeOptions};
use chatrace::types::{
    Channel, ContactId, InboxEvent, MessageDirection, MessageId, MessagePart, Platform, UploadKind,
};
use chatrace::{Client, FileUpload};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Arg, ArgAction, ArgGroup, ArgMatches, Command};
use futures::StreamExt;
use serde_json::{json, Value};

use crate::error::{CliError, Exit, LOGIN_AGAIN};
use crate::flags::enum_values;
use crate::output::{sent_line, Lines};
use crate::sandbox::EmbeddedSandbox;
use crate::settings::{check_sandbox_flags, sandbox_wanted, sdk_client, Settings};

/// The name of the `send` subcommand.
pub const SEND: &str = "send";
/// The name of the `watch` subcommand.
pub const WATCH: &str = "watch";

/// What the sandbox's contact writes when `watch --sandbox` subscribes to its conversation.
pub const SANDBOX_GREETING: &str = "Hi! Is anyone there?";

/// `--channel`: one of the catalogue's channels, as its number, checked before anything is sent.
fn channel_arg() -> Arg {
    let arg = Arg::new("channel")
        .long("channel")
        .value_name("CHANNEL")
        .allow_negative_numbers(true)
        .help("The channel to send on, as its number (default: the contact's channel)");
    let channels = enum_values("Channel");
    if channels.is_empty() {
        return arg.value_parser(clap::value_parser!(i64));
    }
    arg.value_parser(PossibleValuesParser::new(channels).try_map(|number| number.parse::<i64>()))
}

fn platform_arg() -> Arg {
    let values = enum_values("Platform");
    let arg = Arg::new("platform")
        .long("platform")
        .value_name("PLATFORM")
        .help("The platform sent when authenticating and with each message (none by default)");
    if values.is_empty() {
        arg
    } else {
        arg.value_parser(values)
    }
}

/// `chatrace send`.
pub fn send_command() -> Command {
    let kinds = enum_values("UploadKind");
    let mut kind = Arg::new("kind")
        .long("kind")
        .value_name("KIND")
        .requires("file")
        .conflicts_with("text")
        .help("What kind of file --file is (default: file)");
    if !kinds.is_empty() {
        kind = kind.value_parser(kinds);
    }
    Command::new(SEND)
        .about("Send a message to a contact over the realtime socket")
        .long_about(
            "Send a message to a contact over the inbox's realtime socket: a text (--text), a \
             reply to one of the conversation's messages (--text with --reply-to), or a file \
             (--file, uploaded first, then sent as a file part). The channel is the contact's \
             unless --channel is given. Nothing is sent to a contact outside the channel's reply \
             window (exit 1): past WhatsApp's 24 hours, send an approved template instead \
             (--template NAME, its body's placeholders filled by --param, in order; over HTTP). \
             A message is sent once: if the socket cannot confirm it, the \
             command fails (exit 3) and does not send it again. With --wait-reply, the command \
             then waits for the contact's answer and prints it (the sandbox's contacts answer).",
        )
        .arg(
            Arg::new("contact")
                .long("contact")
                .value_name("ID")
                .required(true)
                .help("The contact to write to (their `ms_id`)"),
        )
        .arg(
            Arg::new("text")
                .long("text")
                .value_name("TEXT")
                .value_parser(clap::builder::NonEmptyStringValueParser::new())
                .help("The text to send (not empty)"),
        )
        .arg(
            Arg::new("reply_to")
                .long("reply-to")
                .value_name("MESSAGE_ID")
                .requires("text")
                .help("The message of the conversation the text answers"),
        )
        .arg(
            Arg::new("file")
                .long("file")
                .value_name("PATH")
                .conflicts_with_all(["text", "reply_to"])
                .value_parser(|text: &str| {
                    if std::path::Path::new(text).is_file() {
                        Ok(text.to_owned())
                    } else {
                        Err(format!("`{text}` is not a file that can be read"))
                    }
                })
                .help("A file to upload, then send"),
        )
        .arg(kind)
        .args(crate::template::template_args())
        .group(
            ArgGroup::new("what")
                .args(["text", "file", "template"])
                .required(true),
        )
        .arg(channel_arg())
        .arg(platform_arg())
        .arg(
            Arg::new("wait_reply")
                .long("wait-reply")
                .value_name("SECONDS")
                .value_parser(clap::value_parser!(u64).range(1..))
                .help("Then wait up to SECONDS for the contact's answer, and print it"),
        )
}

/// `chatrace watch`.
pub fn watch_command() -> Command {
    Command::new(WATCH)
        .about("Print what happens in the inbox, one line per event, from the realtime socket")
        .long_about(
            "Connect to the inbox's realtime socket and print one line per event until Ctrl-C: \
             messages (-> to the contact, <- from them), state changes (assignment, live chat, \
             follow-up, archive), seen and delivered, frames the catalogue does not know, and \
             the connection's own news (disconnected, reconnected: it reconnects by itself). \
             --contact subscribes to a conversation (repeat it for more). With --output json, \
             one JSON object per line: {\"event\":\"inbox\",\"data\":{...}} for what the server \
             sent, {\"event\":\"disconnected\",...} and the like for the connection. With \
             --sandbox, the demo contact's conversation is watched when no --contact is given, \
             and each watched contact writes once it is subscribed.",
        )
        .arg(
            Arg::new("contact")
                .long("contact")
                .value_name("ID")
                .action(ArgAction::Append)
                .help("A contact whose conversation to hear (repeat for more)"),
        )
        .arg(
            Arg::new("count")
                .long("count")
                .value_name("N")
                .value_parser(clap::value_parser!(u64).range(1..))
                .help("Stop after N events from the server (the connection's own do not count)"),
        )
        .arg(platform_arg())
}

/// Runs `send` or `watch` (`name`), with an embedded sandbox for `--sandbox`.
///
/// # Errors
///
/// What the command fails with, with its exit code.
pub async fn run(name: &str, matches: &ArgMatches) -> Result<(), CliError> {
    let mut settings = Settings::from_matches(matches);
    let sandbox = if sandbox_wanted(matches) {
        check_sandbox_flags(matches)?;
        let greeting = (name == WATCH).then_some(SANDBOX_GREETING);
        let sandbox = EmbeddedSandbox::start_live(greeting).await?;
        settings.sandbox = Some(sandbox.info().clone());
        Some(sandbox)
    } else {
        None
    };
    let result = match name {
        WATCH => watch(matches, &settings).await,
        _ => send(matches, &settings).await,
    };
    if let Some(sandbox) = sandbox {
        sandbox.shutdown().await;
    }
    result
}

/// Connects to the socket with the client's session.
async fn connect(
    command: &str,
    client: &Client,
    matches: &ArgMatches,
    settings: &Settings,
) -> Result<Realtime, CliError> {
    let mut options = RealtimeOptions::default();
    if let Some(timeout) = settings.timeout {
        options = options
            .with_connect_timeout(timeout)
            .with_write_timeout(timeout);
    }
    let mut builder = client.realtime().options(options);
    if let Some(platform) = matches.try_get_one::<String>("platform").ok().flatten() {
        let platform: Platform = serde_json::from_value(Value::from(platform.as_str()))
            .map_err(|e| CliError::usage(format!("{command}: --platform: {e}")))?;
        builder = builder.platform(platform);
    }
    builder
        .connect()
        .await
        .map_err(|e| realtime_error(command, &e))
}

/// The error of the realtime client, with its exit code: 1 for an API error, a refused
/// authentication (with what to do) or a contact the channel's reply window closed on (nothing
/// was sent), 2 for what the catalogue's frames do not fit, 3 for the connection.
pub fn realtime_error(command: &str, error: &RealtimeError) -> CliError {
    match error {
        RealtimeError::Call(inner) => CliError::from_sdk(command, inner),
        RealtimeError::Refused { .. } => {
            CliError::new(Exit::Api, format!("{command}: {error}: {LOGIN_AGAIN}"))
        }
        RealtimeError::Unreachable {
            past_window_operation,
            ..
        } => {
            let hint = if past_window_operation.is_some() {
                "; here: chatrace send --template NAME --param VALUE..."
            } else {
                ""
            };
            CliError::new(Exit::Api, format!("{command}: {error}{hint}"))
        }
        RealtimeError::Frame { .. } | RealtimeError::Encode { .. } => {
            CliError::usage(format!("{command}: {error}"))
        }
        _ => CliError::new(Exit::Transport, format!("{command}: {error}")),
    }
}

/// `chatrace send`.
async fn send(matches: &ArgMatches, settings: &Settings) -> Result<(), CliError> {
    let command = SEND;
    let text_flag = |id: &str| matches.try_get_one::<String>(id).ok().flatten().cloned();
    let contact = ContactId::new(text_flag("contact").unwrap_or_default().trim());
    let (client, _) = sdk_client(command, settings)?;
    if matches.contains_id("template") {
        return crate::template::send_template(command, matches, &client, contact, settings).await;
    }
    let channel = match matches.try_get_one::<i64>("channel").ok().flatten() {
        Some(number) => channel_of(*number),
        None => client
            .get_contact(contact.clone())
            .send()
            .await
            .map_err(|e| CliError::from_sdk(command, &e))?
            .channel
            .ok_or_else(|| {
                CliError::usage(format!(
                    "{command}: the contact's channel is not known: pass --channel"
                ))
            })?,
    };
    let realtime = connect(command, &client, matches, settings).await?;
    let wait = matches
        .try_get_one::<u64>("wait_reply")
        .ok()
        .flatten()
        .copied();
    let mut events = realtime.events();
    if wait.is_some() {
        realtime
            .subscribe(&contact)
            .await
            .map_err(|e| realtime_error(command, &e))?;
    }
    let channel_number = serde_json::to_value(&channel).unwrap_or(Value::Null);
    let (sent, what) = match (text_flag("text"), text_flag("file")) {
        (_, Some(path)) => {
            let kind = text_flag("kind").unwrap_or_else(|| "file".to_owned());
            let upload_kind: UploadKind = serde_json::from_value(Value::from(kind.as_str()))
                .map_err(|e| CliError::usage(format!("{command}: --kind: {e}")))?;
            let result = realtime
                .send_file(
                    &contact,
                    channel.clone(),
                    upload_kind,
                    FileUpload::from_path(&path),
                )
                .await;
            (result, json!({"file": path, "kind": kind}))
        }
        (Some(text), None) => {
            let result = match text_flag("reply_to") {
                Some(id) => {
                    realtime
                        .reply(&contact, channel.clone(), &MessageId::new(id.trim()), &text)
                        .await
                }
                None => realtime.send_text(&contact, channel.clone(), &text).await,
            };
            (result, json!({"text": text}))
        }
        (None, None) => return Err(CliError::usage(format!("{command}: give --text or --file"))),
    };
    if let Err(error) = sent {
        realtime.close().await;
        return Err(realtime_error(command, &error));
    }
    let mut report =
        json!({"event": "sent", "contact": contact.as_str(), "channel": channel_number});
    if let (Some(report), Value::Object(what)) = (report.as_object_mut(), what) {
        report.extend(what);
    }
    let mut out = Lines::new(settings.output);
    out.print(&report, &sent_line(&report));
    let result = match wait {
        Some(seconds) => {
            let answer = tokio::time::timeout(Duration::from_secs(seconds), async {
                while let Some(event) = events.next().await {
                    if let RealtimeEvent::Event(InboxEvent::Message(message)) = &event {
                        if message.contact_id.as_ref() == Some(&contact)
                            && message.direction == Some(MessageDirection::FromContact)
                        {
                            return Some(event);
                        }
                    }
                }
                None
            })
            .await;
            match answer {
                Ok(Some(event)) => {
                    print_event(&mut out, &event);
                    Ok(())
                }
                Ok(None) => Err(CliError::new(
                    Exit::Transport,
                    format!("{command}: the connection closed before the contact answered"),
                )),
                Err(_) => Err(CliError::new(
                    Exit::Transport,
                    format!("{command}: no answer from the contact within {seconds} s"),
                )),
            }
        }
        None => Ok(()),
    };
    realtime.close().await;
    result
}

/// A channel from its wire number.
fn channel_of(number: i64) -> Channel {
    serde_json::from_value(Value::from(number)).unwrap_or(Channel::Unknown(number))
}

/// `chatrace watch`.
async fn watch(matches: &ArgMatches, settings: &Settings) -> Result<(), CliError> {
    let command = WATCH;
    let mut contacts: Vec<ContactId> = matches
        .try_get_many::<String>("contact")
        .ok()
        .flatten()
        .into_iter()
        .flatten()
        .map(|id| ContactId::new(id.trim()))
        .collect();
    if contacts.is_empty() {
        if let Some(sandbox) = &settings.sandbox {
            contacts.push(ContactId::new(sandbox.contact_id));
        }
    }
    let limit = matches.try_get_one::<u64>("count").ok().flatten().copied();
    let (client, _) = sdk_client(command, settings)?;
    let realtime = connect(command, &client, matches, settings).await?;
    let mut events = realtime.events();
    for contact in &contacts {
        if let Err(error) = realtime.subscribe(contact).await {
            realtime.close().await;
            return Err(realtime_error(command, &error));
        }
    }
    let mut out = Lines::new(settings.output);
    let mut heard = 0u64;
    let stopped = tokio::signal::ctrl_c();
    tokio::pin!(stopped);
    let result = loop {
        let event = tokio::select! {
            event = events.next() => event,
            _ = &mut stopped => break Ok(()),
        };
        let Some(event) = event else {
            break Err(CliError::new(
                Exit::Transport,
                format!("{command}: the connection closed"),
            ));
        };
        if !print_event(&mut out, &event) {
            // Nobody reads any more (`| head`).
            break Ok(());
        }
        if let RealtimeEvent::Refused { reason, .. } = &event {
            // The last event: the server refused the session on a reconnection.
            break Err(CliError::new(
                Exit::Api,
                format!(
                    "{command}: the server refused the authentication: {reason}: {LOGIN_AGAIN}"
                ),
            ));
        }
        if matches!(event, RealtimeEvent::Event(_)) {
            heard += 1;
            if limit.is_some_and(|limit| heard >= limit) {
                break Ok(());
            }
        }
    };
    realtime.close().await;
    result
}

/// Prints an event as one line; `false` once stdout is closed.
fn print_event(out: &mut Lines, event: &RealtimeEvent<InboxEvent>) -> bool {
    out.print(&event_json(event), &event_line(event))
}

/// An event as one JSON object: `{"event":"inbox","data":...}` for what the server sent (a
/// message's parts as an array, as the socket sends them), `{"event":"disconnected",...}` and
/// the like for the connection.
pub fn event_json(event: &RealtimeEvent<InboxEvent>) -> Value {
    match event {
        RealtimeEvent::Event(inbox) => {
            let mut data = serde_json::to_value(inbox).unwrap_or(Value::Null);
            // The typed message writes its parts back as a string, as HTTP answers hold them.
            if let Some(parts) = data.get_mut("message") {
                if let Some(decoded) = parts
                    .as_str()
                    .and_then(|text| serde_json::from_str::<Value>(text).ok())
                {
                    *parts = decoded;
                }
            }
            json!({"event": "inbox", "data": data})
        }
        RealtimeEvent::Disconnected { reason } => {
            json!({"event": "disconnected", "reason": reason})
        }
        RealtimeEvent::Reconnected {
            attempts,
            subscriptions,
        } => json!({"event": "reconnected", "attempts": attempts, "subscriptions": subscriptions}),
        RealtimeEvent::Undecodable { text, error } => {
            json!({"event": "undecodable", "text": text, "error": error})
        }
        RealtimeEvent::Lagged { dropped } => json!({"event": "lagged", "dropped": dropped}),
        RealtimeEvent::ServerError(envelope) => json!({
            "event": "server_error",
            "code": envelope.code().map(|c| c.as_text().into_owned()),
            "error": envelope.to_string(),
        }),
        RealtimeEvent::Refused { reason, envelope } => json!({
            "event": "refused",
            "code": envelope.as_ref().and_then(|e| e.code()).map(|c| c.as_text().into_owned()),
            "reason": reason,
        }),
        other => json!({"event": "other", "debug": format!("{other:?}")}),
    }
}

/// An event as one line of text.
pub fn event_line(event: &RealtimeEvent<InboxEvent>) -> String {
    match event {
        RealtimeEvent::Event(InboxEvent::Message(message)) => {
            let arrow = match message.direction {
                Some(MessageDirection::FromContact) => "<-",
                Some(MessageDirection::ToContact) => "->",
                _ => "--",
            };
            let parts: Vec<String> = message.parts.iter().flatten().map(part_text).collect();
            let mut line = format!(
                "message {} {arrow} {}",
                message
                    .contact_id
                    .as_ref()
                    .map_or("(account)", |c| c.as_str()),
                parts.join(" + ")
            );
            if let Some(id) = &message.id {
                line.push_str(&format!(" ({id})"));
            }
            line
        }
        RealtimeEvent::Event(InboxEvent::Seen(seen)) => format!(
            "seen {} up to {}",
            seen.contact_id.as_ref().map_or("?", |c| c.as_str()),
            seen.seen_at.as_ref().and_then(|t| t.as_i64()).unwrap_or(0)
        ),
        RealtimeEvent::Event(InboxEvent::Delivered(delivered)) => format!(
            "delivered {} up to {}",
            delivered.contact_id.as_ref().map_or("?", |c| c.as_str()),
            delivered
                .delivered_at
                .as_ref()
                .and_then(|t| t.as_i64())
                .unwrap_or(0)
        ),
        RealtimeEvent::Event(InboxEvent::Unknown(object)) => format!(
            "event {}: {}",
            object.get("type").and_then(Value::as_str).unwrap_or("?"),
            Value::Object(object.clone())
        ),
        RealtimeEvent::Event(other) => format!("event {other:?}"),
        RealtimeEvent::Disconnected { reason } => format!("disconnected: {reason}"),
        RealtimeEvent::Reconnected {
            attempts,
            subscriptions,
        } => format!(
            "reconnected after {attempts} attempt(s); {subscriptions} subscription(s) sent again"
        ),
        RealtimeEvent::Undecodable { text, error } => {
            format!("undecodable frame ({error}): {text}")
        }
        RealtimeEvent::Lagged { dropped } => format!("lagged: {dropped} events dropped"),
        RealtimeEvent::ServerError(envelope) => format!("server error: {envelope}"),
        RealtimeEvent::Refused { reason, .. } => {
            format!("refused: the server refused the authentication: {reason}")
        }
        other => format!("{other:?}"),
    }
}

/// A state change in parentheses, naming its contact when the part names one (an account-wide
/// event's parts do).
fn with_contact(contact: Option<&ContactId>, state: String) -> String {
    match contact {
        Some(contact) => format!("({contact}: {state})"),
        None => format!("({state})"),
    }
}

/// A state change that turns a flag on or off: `[on, off]` say which.
fn flag_change(contact: Option<&ContactId>, value: Option<bool>, [on, off]: [&str; 2]) -> String {
    let state = if value == Some(true) { on } else { off };
    with_contact(contact, state.to_owned())
}

/// One part of a message, readably.
fn part_text(part: &MessagePart) -> String {
    match part {
        MessagePart::Text(text) => {
            let mut line = format!("{:?}", text.text.as_deref().unwrap_or(""));
            if let Some(id) = &text.replying_to {
                line.push_str(&format!(" (replying to {id})"));
            }
            line
        }
        MessagePart::Typing(_) => "(typing)".to_owned(),
        MessagePart::File(file) => {
            let attachment = file.attachment.as_ref();
            format!(
                "[{}] {}",
                attachment
                    .and_then(|a| a.kind.as_ref())
                    .map_or("file", |k| k.as_str()),
                attachment
                    .and_then(|a| a.payload.as_ref())
                    .and_then(|p| p.url.as_deref())
                    .unwrap_or("?")
            )
        }
        MessagePart::Assigned(assigned) => {
            let to = assigned
                .change
                .as_ref()
                .and_then(|change| change.assignee_id.as_ref());
            let state = match to.map(|a| a.as_str()) {
                None | Some("0") => "unassigned".to_owned(),
                Some(to) => format!("assigned to {to}"),
            };
            with_contact(assigned.contact_id.as_ref(), state)
        }
        MessagePart::LiveChat(p) => flag_change(
            p.contact_id.as_ref(),
            p.change.as_ref().and_then(|c| c.live_chat),
            ["live chat on", "live chat off"],
        ),
        MessagePart::FollowUp(p) => flag_change(
            p.contact_id.as_ref(),
            p.change.as_ref().and_then(|c| c.followed),
            ["follow-up on", "follow-up off"],
        ),
        MessagePart::Archived(p) => flag_change(
            p.contact_id.as_ref(),
            p.change.as_ref().and_then(|c| c.archived),
            ["archived", "unarchived"],
        ),
        MessagePart::WhatsAppTemplate(part) => {
            let template = part.template.as_ref();
            format!(
                "[template] {} ({})",
                template
                    .and_then(|t| t.template_id.as_ref())
                    .map_or("?", |id| id.as_str()),
                template
                    .and_then(|t| t.language.as_ref())
                    .and_then(|l| l.code.as_deref())
                    .unwrap_or("?")
            )
        }
        MessagePart::Unknown(object) => format!(
            "({} part)",
            object
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("unknown")
        ),
        other => format!("({other:?})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inbox(data: Value) -> RealtimeEvent<InboxEvent> {
        RealtimeEvent::Event(serde_json::from_value(data).expect("an inbox event"))
    }

    #[test]
    fn events_print_as_one_line_of_text_or_json() {
        let message = inbox(json!({"type": "message", "ms_id": 7, "id": "m_1", "dir": 1,
            "message": [{"type": "text", "text": "Hi"}, {"type": "assign", "data": {"fb_id": 3}},
                        {"type": "live_chat", "data": {"live_chat": "1"}}, {"type": "poll"}]}));
        assert_eq!(
            event_line(&message),
            "message 7 <- \"Hi\" + (assigned to 3) + (live chat on) + (poll part) (m_1)"
        );
        // An account-wide frame: `ms_id` null, each part names its contact.
        let account_wide = inbox(json!({"type": "message", "ms_id": null, "message": [
            {"type": "assign", "ms_id": 8, "data": {"fb_id": 0}},
            {"type": "followup", "ms_id": 9, "data": {"followup": true}},
            {"type": "archived", "ms_id": 9, "data": {"archived": 0}}]}));
        assert_eq!(
            event_line(&account_wide),
            "message (account) -- (8: unassigned) + (9: follow-up on) + (9: unarchived)"
        );
        let json = event_json(&message);
        assert_eq!(json["event"], "inbox");
        assert_eq!(json["data"]["message"][0]["text"], "Hi", "{json}");
        assert_eq!(json["data"]["type"], "message");

        let seen = inbox(json!({"type": "seen", "ms_id": 7, "timestamp": 5}));
        assert_eq!(event_line(&seen), "seen 7 up to 5");
        let unknown = inbox(json!({"type": "reaction", "emoji": "+1"}));
        assert!(event_line(&unknown).starts_with("event reaction: {"));
        assert_eq!(event_json(&unknown)["data"]["emoji"], "+1");

        let dropped: RealtimeEvent<InboxEvent> = RealtimeEvent::Disconnected {
            reason: "reset".into(),
        };
        assert_eq!(event_line(&dropped), "disconnected: reset");
        assert_eq!(
            event_json(&dropped),
            json!({"event": "disconnected", "reason": "reset"})
        );
    }

    #[test]
    fn the_cli_lists_the_catalogues_values() {
        let has = |ty: &str, wire: &str| enum_values(ty).iter().any(|v| v.get_name() == wire);
        assert!(has("UploadKind", "voice"));
        assert!(has("Platform", "web"));
        assert!(enum_values("NoSuchType").is_empty());
        let whatsapp = enum_values("Channel")
            .into_iter()
            .find(|v| v.get_name() == "5")
            .and_then(|v| v.get_help().map(ToString::to_string));
        assert_eq!(whatsapp.as_deref(), Some("whatsapp"));
        assert_eq!(channel_of(5), Channel::Whatsapp);
        assert_eq!(channel_of(99), Channel::Unknown(99));
    }
}
