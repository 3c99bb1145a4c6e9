//! What the realtime tests share: a sandbox with a wall clock, a fast-reconnecting
//! connection, and waits for events.

#![allow(dead_code)] // each test binary uses its own subset

use std::pin::Pin;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chatrace::realtime::{Realtime, RealtimeEvent, RealtimeOptions};
use chatrace::types::{
    Channel, ContactId, InboxEvent, MessageDirection, MessageEvent, MessagePart, Platform,
};
use chatrace::RetryPolicy;
use chatrace_sandbox::Sandbox;
use futures::{Stream, StreamExt};

/// The safety net of every wait.
pub const WAIT: Duration = Duration::from_secs(20);

pub type Events = Pin<Box<dyn Stream<Item = RealtimeEvent<InboxEvent>> + Send>>;

pub async fn sandbox() -> Sandbox {
    Sandbox::builder()
        .wall_clock()
        .reply_delay(Duration::from_millis(20))
        .start()
        .await
        .expect("the sandbox binds 127.0.0.1")
}

/// Reconnects fast, so that the tests do not wait for the default second.
pub fn options() -> RealtimeOptions {
    RealtimeOptions::default()
        .with_reconnect(
            RetryPolicy::default()
                .with_max_attempts(0)
                .with_backoff(Duration::from_millis(20), Duration::from_millis(200))
                .with_jitter(true),
        )
        .with_connect_timeout(Duration::from_secs(5))
        // The sandbox refuses at once: no need to listen long for it after `authenticate`.
        .with_auth_wait(Duration::from_millis(200))
        .with_event_buffer(8192)
}

pub async fn connect(sandbox: &Sandbox) -> Realtime {
    tokio::time::timeout(
        WAIT,
        sandbox
            .client()
            .realtime()
            .platform(Platform::Web)
            .options(options())
            .connect(),
    )
    .await
    .expect("connects in time")
    .expect("connects")
}

pub fn events(realtime: &Realtime) -> Events {
    Box::pin(realtime.events())
}

/// The first event `pick` takes, skipping the others.
pub async fn until<T>(
    events: &mut Events,
    mut pick: impl FnMut(&RealtimeEvent<InboxEvent>) -> Option<T>,
) -> T {
    let waiting = async {
        loop {
            let event = events.next().await.expect("the stream goes on");
            if let Some(found) = pick(&event) {
                return found;
            }
        }
    };
    tokio::time::timeout(WAIT, waiting)
        .await
        .expect("the event comes in time")
}

/// The text of a message event's first text part.
pub fn text_of(message: &MessageEvent) -> Option<&str> {
    message.parts.iter().flatten().find_map(|part| match part {
        MessagePart::Text(text) => text.text.as_deref(),
        _ => None,
    })
}

/// The message event of `contact` going `direction` whose text is `text`.
pub fn message<'a>(
    contact: &'a ContactId,
    direction: MessageDirection,
    text: &'a str,
) -> impl FnMut(&RealtimeEvent<InboxEvent>) -> Option<MessageEvent> + 'a {
    move |event| match event {
        RealtimeEvent::Event(InboxEvent::Message(m))
            if m.contact_id.as_ref() == Some(contact)
                && m.direction.as_ref() == Some(&direction)
                && text_of(m) == Some(text) =>
        {
            Some(m.clone())
        }
        _ => None,
    }
}

/// Subscribes to `contact` and waits for the echo of a text sent to it: the frames are handled
/// in order, so once the echo arrives the subscription is in place.
pub async fn subscribe_and_echo(
    realtime: &Realtime,
    events: &mut Events,
    contact: &ContactId,
    text: &str,
) {
    realtime.subscribe(contact).await.expect("subscribed");
    realtime
        .send_text(contact, Channel::Messenger, text)
        .await
        .expect("sent");
    until(events, message(contact, MessageDirection::ToContact, text)).await;
}

/// A WhatsApp contact (a 24-hour window) of the sandbox's demo account who last wrote more than
/// a day ago.
pub async fn late_whatsapp_contact(sandbox: &Sandbox) -> ContactId {
    let client = sandbox.client();
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as i64;
    for conversation in client
        .list_conversations()
        .limit(100)
        .send()
        .await
        .expect("the conversations")
    {
        if conversation.channel != Some(Channel::Whatsapp) || conversation.blocked == Some(true) {
            continue;
        }
        let contact = client
            .get_contact(conversation.contact_id.clone())
            .send()
            .await
            .expect("get_contact");
        let last = contact.last_interaction_at.and_then(|t| t.as_i64());
        if last.is_some_and(|last| now_ms - last > 25 * 3_600_000) {
            return conversation.contact_id;
        }
    }
    panic!("the seed has a WhatsApp contact who wrote more than a day ago")
}
