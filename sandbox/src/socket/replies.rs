//! The contacts' side of the socket: after a message reaches a contact, the contact sees it and
//! answers, a moment later, with a text derived from what they got ([`scripted_reply`]).
//!
//! One task plays every reply, in the order the messages arrived: the replies of one
//! conversation come in the order of its messages.

use std::sync::Weak;

use chatrace::types::{
    AdminId, ContactId, Message, MessageDirection, MessageId, MessagePart, TextPart,
};
use chatrace::UnixMillis;
use tokio::sync::mpsc;

use super::events;
use super::hub::{Hub, Scheduled};
use crate::ids;
use crate::shared::Shared;
use crate::state::State;

/// The sender the seed gives the contacts' own messages.
const FROM_CONTACT: u64 = 0;

/// The answer of a contact to a message of `parts`: `Thanks! You wrote: <text>` for the first
/// text part that has text, `Thanks for the <kind>!` for a file (`image`, `video`...), else
/// `Thanks!`.
pub fn scripted_reply(parts: &[MessagePart]) -> String {
    let text = parts.iter().find_map(|part| match part {
        MessagePart::Text(text) => text.text.as_deref().filter(|t| !t.trim().is_empty()),
        _ => None,
    });
    if let Some(text) = text {
        return scripted_reply_to_text(text);
    }
    let file = parts.iter().find_map(|part| match part {
        MessagePart::File(file) => Some(
            file.attachment
                .as_ref()
                .and_then(|a| a.kind.as_ref())
                .map_or("file", |kind| kind.as_str())
                .to_owned(),
        ),
        _ => None,
    });
    match file {
        Some(kind) => format!("Thanks for the {kind}!"),
        None => "Thanks!".to_owned(),
    }
}

/// [`scripted_reply`] to a message whose text is `text`: `Thanks! You wrote: <text>`.
pub fn scripted_reply_to_text(text: &str) -> String {
    format!("Thanks! You wrote: {text}")
}

/// Plays the replies queued on `queue` until the sandbox is gone.
pub(crate) async fn run(shared: Weak<Shared>, mut queue: mpsc::UnboundedReceiver<Scheduled>) {
    while let Some(reply) = queue.recv().await {
        tokio::time::sleep_until(reply.due).await;
        let Some(shared) = shared.upgrade() else {
            return;
        };
        let mut state = shared.state();
        let Some(contact) = state
            .accounts
            .get(&reply.account)
            .and_then(|account| account.contacts.get(reply.contact.as_str()))
        else {
            // Deleted in the meantime.
            continue;
        };
        if contact.blocked {
            continue;
        }
        if let Some(sent_at_ms) = reply.sent_at_ms {
            let seen = events::receipt("seen", contact, sent_at_ms);
            shared
                .hub
                .publish(reply.account, reply.contact.as_str(), &seen);
        }
        contact_writes(
            &mut state,
            &shared.hub,
            reply.account,
            &reply.contact,
            &reply.reply,
        );
    }
}

/// Adds a message of `text` from the contact to its conversation (the newest, `dir` 1) and
/// tells the sockets subscribed to it. Answers the message's id, or `None` when the account
/// has no such contact.
pub(crate) fn contact_writes(
    state: &mut State,
    hub: &Hub,
    account: u64,
    contact_id: &ContactId,
    text: &str,
) -> Option<MessageId> {
    let channel = state
        .accounts
        .get(&account)?
        .contacts
        .get(contact_id.as_str())?
        .channel
        .clone();
    let serial = state.fresh_id();
    let now = state.tick();
    let contact = state
        .accounts
        .get_mut(&account)?
        .contacts
        .get_mut(contact_id.as_str())?;
    let id = MessageId::new(ids::message_id(&format!(
        "contact/{account}/{contact_id}/{serial}"
    )));
    let message = {
        let mut built = Message::new(id.clone());
        built.channel = Some(channel.clone());
        built.direction = Some(MessageDirection::FromContact);
        built.sent_by = Some(AdminId::new(FROM_CONTACT));
        built.parts = Some(vec![MessagePart::Text({
            let mut built = TextPart::default();
            built.text = Some(text.to_owned());
            built.channel = Some(channel);
            built.direction = Some(MessageDirection::FromContact);
            built
        })]);
        built.sent_at = Some(UnixMillis::new(now.saturating_mul(1000)));
        built
    };
    let event = events::message(contact, &message);
    contact.messages.push(message);
    hub.publish(account, contact_id.as_str(), &event);
    Some(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chatrace::types::{Attachment, AttachmentKind, FilePart};

    #[test]
    fn replies_follow_what_the_contact_got() {
        let text = MessagePart::Text({
            let mut built = TextPart::default();
            built.text = Some("Hello".to_owned());
            built
        });
        let file = MessagePart::File({
            let mut built = FilePart::default();
            built.attachment = Some({
                let mut built = Attachment::default();
                built.kind = Some(AttachmentKind::Image);
                built
            });
            built
        });
        assert_eq!(
            scripted_reply(&[file.clone(), text]),
            "Thanks! You wrote: Hello"
        );
        assert_eq!(scripted_reply(&[file]), "Thanks for the image!");
        assert_eq!(scripted_reply(&[]), "Thanks!");
    }
}
