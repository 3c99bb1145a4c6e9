//! What the public API sends to a contact: a flow, a text, a file, several messages with
//! actions, products; and the contact actions (field values, tags, flows) that such a send or
//! a new contact carries. Each is sent as the bot (`sentBy` 0) on the contact's channel and lands
//! in the conversation the mobile API lists, told to the realtime sockets like any message;
//! the conversation stays with whoever answers it (a send does not move it to a human).

use super::{success, RestError, RestOutcome};
use crate::call::Call;
use crate::handlers::contacts::{normalize, Field};
use crate::handlers::non_empty;
use crate::handlers::sends::{
    check_flow_channel, deliver, deliver_texts, first_text, product_lines, text_part, BOT,
};
use crate::state::Account;
use chatrace::operations::{
    SendContentToContactRequest, SendFileToContactRequest, SendFlowToContactRequest,
    SendProductsToContactRequest, SendTextToContactRequest,
};
use chatrace::types::{
    Attachment, AttachmentKind, AttachmentPayload, Channel, ChannelName, ContactAction, ContactId,
    CustomFieldId, FileInfo, FileKind, FilePart, FlowId, MessageDirection, MessagePart, Tag, TagId,
};

/// The channel a send goes through: the one it names, or the contact's own (`omnichannel`,
/// or none named). The contact must talk on it.
fn channel_for(
    call: &Call<'_>,
    contact: &ContactId,
    named: Option<&ChannelName>,
) -> Result<Channel, RestError> {
    match named {
        None | Some(ChannelName::Omnichannel) => Ok(call.contact(contact)?.channel.clone()),
        Some(ChannelName::Messenger) => Ok(Channel::Messenger),
        Some(ChannelName::Whatsapp) => Ok(Channel::Whatsapp),
        Some(other) => Err(RestError::bad_request(format!(
            "no channel is named `{}`",
            other.as_str()
        ))),
    }
}

/// Sends the flow `flow` to the contact `id` (which exists) on the contact's channel. A flow
/// the account does not have sends nothing and is no error: public clients report that the
/// API answers success for it.
pub(super) fn send_flow(
    call: &mut Call<'_>,
    id: &ContactId,
    flow: &FlowId,
) -> Result<(), RestError> {
    let channel = call.contact(id)?.channel.clone();
    let Some(record) = call.account()?.flows.iter().find(|f| f.flow.id == *flow) else {
        return Ok(());
    };
    check_flow_channel(record, &channel)?;
    let text = first_text(record);
    deliver_texts(call, id, &channel, BOT, &[text])?;
    Ok(())
}

/// What a list of contact actions does, checked against the account before anything changes:
/// the field values to set, the tags to add, the flows to send, in that order (the flows read
/// what was set, as public clients order them).
#[derive(Default)]
pub(super) struct Actions {
    values: Vec<(Field, CustomFieldId, String)>,
    tags: Vec<TagId>,
    flows: Vec<FlowId>,
}

impl Actions {
    /// The actions of `list` for a contact on `channel`, each naming a tag or a field (by name,
    /// with a value its type reads) the account has, or a flow the contact can get. An action
    /// of another kind is refused, as is a flow for a blocked contact: nothing can fail once
    /// the actions run.
    pub(super) fn check(
        account: &Account,
        list: &[ContactAction],
        (channel, blocked): (&Channel, bool),
    ) -> Result<Self, RestError> {
        let mut actions = Actions::default();
        for action in list {
            match action {
                ContactAction::AddTag(add) => {
                    let tag: &Tag = account
                        .tags
                        .iter()
                        .find(|t| t.name.as_deref() == Some(add.tag_name.as_str()))
                        .ok_or_else(|| {
                            RestError::bad_request(format!("no tag is named `{}`", add.tag_name))
                        })?;
                    actions.tags.push(tag.id.clone());
                }
                ContactAction::SetFieldValue(set) => {
                    let id = account
                        .custom_fields
                        .iter()
                        .find(|f| f.name.as_deref() == Some(set.field_name.as_str()))
                        .map(|f| f.id.clone())
                        .ok_or_else(|| {
                            RestError::bad_request(format!(
                                "no custom field is named `{}`",
                                set.field_name
                            ))
                        })?;
                    let (field, kind) = Field::of(account, &id)?;
                    let value = normalize(&kind, &set.value).map_err(|why| {
                        RestError::bad_request(format!("value of `{}`: {why}", set.field_name))
                    })?;
                    actions.values.push((field, id, value));
                }
                ContactAction::SendFlow(send) => {
                    if let Some(flow) = account.flows.iter().find(|f| f.flow.id == send.flow_id) {
                        if blocked {
                            return Err(RestError::bad_request(
                                "the contact is blocked: unblock them first",
                            ));
                        }
                        check_flow_channel(flow, channel)?;
                    }
                    actions.flows.push(send.flow_id.clone());
                }
                other => {
                    return Err(RestError::bad_request(format!(
                        "an action the API does not have: {}",
                        serde_json::to_string(other).unwrap_or_default()
                    )))
                }
            }
        }
        Ok(actions)
    }

    /// Runs the actions on the contact `id` (which exists).
    pub(super) fn run(self, call: &mut Call<'_>, id: &ContactId) -> Result<(), RestError> {
        let (contact, _) = call.contact_mut(id)?;
        for (field, field_id, value) in self.values {
            field.write(contact, &field_id, value);
        }
        for tag in self.tags {
            if !contact.tag_ids.contains(&tag) {
                contact.tag_ids.push(tag);
            }
        }
        for flow in self.flows {
            send_flow(call, id, &flow)?;
        }
        Ok(())
    }
}

pub(super) fn send_flow_to_contact(
    call: &mut Call<'_>,
    r: SendFlowToContactRequest,
) -> RestOutcome {
    let id = call.resolve_contact(&r.contact_id)?;
    send_flow(call, &id, &r.flow_id)?;
    success()
}

pub(super) fn send_text_to_contact(
    call: &mut Call<'_>,
    r: SendTextToContactRequest,
) -> RestOutcome {
    non_empty("text", &r.text)?;
    let id = call.resolve_contact(&r.contact_id)?;
    let channel = channel_for(call, &id, r.channel.as_ref())?;
    deliver_texts(call, &id, &channel, BOT, &[r.text])?;
    success()
}

/// The kind of a message part's attachment of a file `kind`.
fn attachment_kind(kind: &FileKind) -> Result<AttachmentKind, RestError> {
    match kind {
        FileKind::Image => Ok(AttachmentKind::Image),
        FileKind::Video => Ok(AttachmentKind::Video),
        FileKind::Audio => Ok(AttachmentKind::Audio),
        FileKind::Document => Ok(AttachmentKind::File),
        other => Err(RestError::bad_request(format!(
            "`type` must be image, video, audio or document, not {}",
            other.as_str()
        ))),
    }
}

/// A part carrying the file at `url`, named by the URL's last segment.
fn file_part(url: &str, kind: AttachmentKind, channel: &Channel) -> MessagePart {
    let name = url.rsplit('/').next().unwrap_or_default().to_owned();
    let mut attachment = Attachment::default();
    attachment.kind = Some(kind.clone());
    attachment.payload = Some({
        let mut payload = AttachmentPayload::default();
        payload.url = Some(url.to_owned());
        payload
    });
    let mut file = FileInfo::default();
    file.url = Some(url.to_owned());
    file.name = Some(name);
    file.kind = Some(kind);
    let mut part = FilePart::default();
    part.attachment = Some(attachment);
    part.file = Some(file);
    part.direction = Some(MessageDirection::ToContact);
    part.channel = Some(channel.clone());
    part.sent_by = Some(chatrace::types::AdminId::new(BOT));
    MessagePart::File(part)
}

pub(super) fn send_file_to_contact(
    call: &mut Call<'_>,
    r: SendFileToContactRequest,
) -> RestOutcome {
    non_empty("url", &r.url)?;
    let kind = attachment_kind(&r.kind)?;
    let id = call.resolve_contact(&r.contact_id)?;
    let channel = channel_for(call, &id, r.channel.as_ref())?;
    let mut parts = vec![file_part(r.url.trim(), kind, &channel)];
    if let Some(caption) = r.caption.filter(|c| !c.trim().is_empty()) {
        parts.push(text_part(&caption, &channel, BOT));
    }
    deliver(call, &id, &channel, BOT, parts)?;
    success()
}

pub(super) fn send_content_to_contact(
    call: &mut Call<'_>,
    r: SendContentToContactRequest,
) -> RestOutcome {
    let messages = r.messages.unwrap_or_default();
    let actions = r.actions.unwrap_or_default();
    if messages.is_empty() && actions.is_empty() {
        return Err(RestError::bad_request(
            "`messages` or `actions` must hold something to do",
        ));
    }
    let id = call.resolve_contact(&r.contact_id)?;
    let channel = channel_for(call, &id, r.channel.as_ref())?;
    let contact = call.contact(&id)?;
    let (own_channel, blocked) = (contact.channel.clone(), contact.blocked);
    let actions = Actions::check(call.account()?, &actions, (&own_channel, blocked))?;
    // A text is a text part; a content of another kind is kept whole, as a part the catalogue
    // does not declare.
    let parts: Vec<Vec<MessagePart>> = messages
        .into_iter()
        .map(|m| match m.message.text.filter(|t| !t.trim().is_empty()) {
            Some(text) => vec![text_part(&text, &channel, BOT)],
            None => vec![MessagePart::Unknown(m.message.extra)],
        })
        .collect();
    for message in parts {
        deliver(call, &id, &channel, BOT, message)?;
    }
    actions.run(call, &id)?;
    success()
}

pub(super) fn send_products_to_contact(
    call: &mut Call<'_>,
    r: SendProductsToContactRequest,
) -> RestOutcome {
    let id = call.resolve_contact(&r.contact_id)?;
    let account = call.account()?;
    if let Some(off) = r
        .product_ids
        .iter()
        .find(|p| account.public.inactive_products.contains(*p))
    {
        return Err(RestError::bad_request(format!(
            "product {off} is not offered"
        )));
    }
    let lines = product_lines(account, &r.product_ids)?;
    let channel = call.contact(&id)?.channel.clone();
    deliver_texts(call, &id, &channel, BOT, &lines)?;
    success()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn a_file_part_names_the_file_by_its_url() {
        let part = file_part(
            "https://cdn.example.com/menus/menu.pdf",
            AttachmentKind::File,
            &Channel::Whatsapp,
        );
        let json = serde_json::to_value(&part).unwrap_or(Value::Null);
        assert_eq!(json["attachment"]["type"], "file");
        assert_eq!(
            json["attachment"]["payload"]["url"],
            "https://cdn.example.com/menus/menu.pdf"
        );
        assert_eq!(json["file"]["name"], "menu.pdf");
        assert_eq!(json["from"], "0", "the bot");
        assert!(attachment_kind(&FileKind::Unknown("sticker".into())).is_err());
    }
}
