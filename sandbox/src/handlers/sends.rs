//! What admins send to a contact through the HTTP API: a flow, a step of a flow, products.
//! Each becomes the conversation's newest message, sent to the contact (`dir` 0); the other
//! sends (WhatsApp templates, the public API's sends) deliver through [`deliver`] too.

use chatrace::operations::{SendFlowRequest, SendProductsRequest, SendStepRequest};
use chatrace::types::{
    AdminId, Channel, ContactId, Message, MessageDirection, MessageId, MessagePart, ProductId,
    TextPart,
};
use chatrace::UnixMillis;

use crate::call::{done, ApiError, Call, Outcome};
use crate::ids;
use crate::state::{Account, FlowRecord};

/// The bot, as a sender.
pub(crate) const BOT: u64 = 0;

/// A text part sent to the contact on `channel` by `sent_by`.
pub(crate) fn text_part(text: &str, channel: &Channel, sent_by: u64) -> MessagePart {
    MessagePart::Text({
        let mut built = TextPart::default();
        built.text = Some(text.to_owned());
        built.channel = Some(channel.clone());
        built.direction = Some(MessageDirection::ToContact);
        built.sent_by = Some(AdminId::new(sent_by));
        built
    })
}

/// Appends a message of text parts, one per line of `texts`, from `sent_by` to the contact's
/// conversation, after checking that the contact can get it on `channel`.
pub(crate) fn deliver_texts(
    call: &mut Call<'_>,
    contact_id: &ContactId,
    channel: &Channel,
    sent_by: u64,
    texts: &[String],
) -> Result<(), ApiError> {
    let parts = texts
        .iter()
        .map(|text| text_part(text, channel, sent_by))
        .collect();
    deliver(call, contact_id, channel, sent_by, parts)
}

/// Appends a message of `parts` from `sent_by` to the contact's conversation, after checking
/// that the contact can get it on `channel`, and tells the sockets subscribed to it.
pub(crate) fn deliver(
    call: &mut Call<'_>,
    contact_id: &ContactId,
    channel: &Channel,
    sent_by: u64,
    parts: Vec<MessagePart>,
) -> Result<(), ApiError> {
    let contact = call.contact(contact_id)?;
    if contact.blocked {
        return Err(ApiError::refused(format!(
            "contact {contact_id} is blocked: unblock them first"
        )));
    }
    if let Channel::Unknown(other) = channel {
        return Err(ApiError::refused(format!("no channel {other}")));
    }
    if *channel != contact.channel {
        return Err(ApiError::not_connected(format!(
            "contact {contact_id} talks on channel {}, not {channel}",
            contact.channel
        )));
    }
    let serial = call.state.fresh_id();
    let account_id = call.account()?.id;
    let (contact, now) = call.contact_mut(contact_id)?;
    contact.messages.push({
        let mut built = Message::new(MessageId::new(ids::message_id(&format!(
            "sent/{account_id}/{contact_id}/{serial}"
        ))));
        built.channel = Some(channel.clone());
        built.direction = Some(MessageDirection::ToContact);
        built.sent_by = Some(AdminId::new(sent_by));
        built.parts = Some(parts);
        built.sent_at = Some(UnixMillis::new(now * 1000));
        built
    });
    call.push_message(contact_id);
    Ok(())
}

/// Refuses a flow made for another channel than `channel`.
pub(crate) fn check_flow_channel(flow: &FlowRecord, channel: &Channel) -> Result<(), ApiError> {
    match &flow.flow.channel {
        None | Some(Channel::All) => Ok(()),
        Some(made_for) if made_for == channel => Ok(()),
        Some(made_for) => Err(ApiError::refused(format!(
            "flow {} is made for channel {made_for}, not {channel}",
            flow.flow.id
        ))),
    }
}

pub(super) fn send_flow(call: &mut Call<'_>, r: SendFlowRequest) -> Outcome {
    let flow = call
        .account()?
        .flows
        .iter()
        .find(|f| f.flow.id == r.flow_id)
        .ok_or_else(|| ApiError::not_found(format!("flow {} not found", r.flow_id)))?;
    check_flow_channel(flow, &r.channel)?;
    let text = first_text(flow);
    deliver_texts(call, &r.contact_id, &r.channel, BOT, &[text])?;
    done()
}

/// What a contact gets when a flow is sent: the bot runs it from its start, so its first
/// step's text (the flow's name when it has no step).
pub(crate) fn first_text(flow: &FlowRecord) -> String {
    match flow.steps.first() {
        Some(step) => step.text.clone(),
        None => flow.flow.name.clone().unwrap_or_default(),
    }
}

pub(super) fn send_step(call: &mut Call<'_>, r: SendStepRequest) -> Outcome {
    let (flow, step) = call
        .account()?
        .flows
        .iter()
        .find_map(|f| {
            f.steps
                .iter()
                .find(|s| s.step.id == r.step_id)
                .map(|s| (f, s))
        })
        .ok_or_else(|| ApiError::not_found(format!("step {} not found", r.step_id)))?;
    check_flow_channel(flow, &r.channel)?;
    let text = step.text.clone();
    deliver_texts(call, &r.contact_id, &r.channel, BOT, &[text])?;
    done()
}

pub(super) fn send_products(call: &mut Call<'_>, r: SendProductsRequest) -> Outcome {
    let lines = product_lines(call.account()?, &r.product_ids)?;
    let admin = call.admin_id()?;
    deliver_texts(call, &r.contact_id, &r.channel, admin, &lines)?;
    done()
}

/// The lines of a message showing the products `ids` of the shop, each with its price.
pub(crate) fn product_lines(account: &Account, ids: &[ProductId]) -> Result<Vec<String>, ApiError> {
    if ids.is_empty() {
        return Err(ApiError::refused("`product_ids` must name a product"));
    }
    let mut lines = Vec::new();
    for id in ids {
        let product = account
            .products
            .iter()
            .find(|p| p.id == *id)
            .ok_or_else(|| ApiError::not_found(format!("product {id} not found")))?;
        lines.push(format!(
            "{} — {}{:.2}",
            product.name.as_deref().unwrap_or("Product"),
            account.currency_symbol,
            product.price.unwrap_or_default()
        ));
    }
    Ok(lines)
}
