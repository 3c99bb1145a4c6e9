//! The inbox: conversations, their messages and their state, and what admins send.

use chatrace::operations::{
    ArchiveConversationRequest, AssignConversationRequest, BlockConversationRequest,
    FollowConversationRequest, GenerateAiResponseRequest, ListConversationsRequest,
    ListMessagesRequest, MarkConversationReadRequest, MoveConversationRequest, SendFlowRequest,
    SendProductsRequest, SendStepRequest, UnassignConversationRequest,
};
use chatrace::types::{AiResponse, Channel, ConversationMode, Message, MessagePart};
use chatrace::Operation;
use serde_json::Map;

use super::{page, ApiError, Call, Outcome, Reply};
use crate::seed::{message_id, text_message};
use crate::state::ContactRecord;

pub(super) fn list_conversations(call: &mut Call<'_>, r: ListConversationsRequest) -> Outcome {
    if let Some(conditions) = &r.conditions {
        if !(conditions.is_array() || conditions.is_object() || conditions.is_null()) {
            return Err(ApiError::bad_request(
                "`cdts` must be a list of conditions (the sandbox applies none)",
            ));
        }
    }
    let mut contacts: Vec<&ContactRecord> = call.account()?.contacts.values().collect();
    // Most recent first; the id breaks ties, so pages are stable while nothing is written.
    contacts.sort_by(|a, b| {
        b.last_active
            .cmp(&a.last_active)
            .then_with(|| b.id.cmp(&a.id))
    });
    let all: Vec<_> = contacts.iter().map(|c| c.conversation()).collect();
    let meta = ListConversationsRequest::META;
    Reply::data(&page(&all, r.offset, r.limit, meta.paging)?)
}

pub(super) fn list_messages(call: &mut Call<'_>, r: ListMessagesRequest) -> Outcome {
    let contact = call.contact(r.contact_id)?;
    let newest_first: Vec<Message> = contact.messages.iter().rev().cloned().collect();
    let meta = ListMessagesRequest::META;
    Reply::data(&page(&newest_first, r.offset, r.limit, meta.paging)?)
}

pub(super) fn assign_conversation(call: &mut Call<'_>, r: AssignConversationRequest) -> Outcome {
    let account = call.account()?;
    let known = r.assignee_id == 0
        || account.admins.iter().any(|a| a.id == r.assignee_id)
        || account.teams.iter().any(|t| t.id == r.assignee_id);
    if !known {
        return Err(ApiError::not_found(format!(
            "no admin or team {} in this account",
            r.assignee_id
        )));
    }
    let (contact, _) = call.contact_mut(r.contact_id)?;
    contact.assignee_id = r.assignee_id;
    Ok(Reply::Done)
}

pub(super) fn unassign_conversation(
    call: &mut Call<'_>,
    r: UnassignConversationRequest,
) -> Outcome {
    let (contact, _) = call.contact_mut(r.contact_id)?;
    contact.assignee_id = 0;
    Ok(Reply::Done)
}

pub(super) fn move_conversation(call: &mut Call<'_>, r: MoveConversationRequest) -> Outcome {
    if let ConversationMode::Unknown(other) = r.mode {
        return Err(ApiError::bad_request(format!(
            "`enabled` must be 0 (bot) or 1 (human), not {other}"
        )));
    }
    let (contact, _) = call.contact_mut(r.contact_id)?;
    contact.mode = r.mode;
    Ok(Reply::Done)
}

pub(super) fn archive_conversation(call: &mut Call<'_>, r: ArchiveConversationRequest) -> Outcome {
    let (contact, _) = call.contact_mut(r.contact_id)?;
    contact.archived = r.archived;
    Ok(Reply::Done)
}

pub(super) fn follow_conversation(call: &mut Call<'_>, r: FollowConversationRequest) -> Outcome {
    let (contact, _) = call.contact_mut(r.contact_id)?;
    contact.followed = r.followed;
    Ok(Reply::Done)
}

pub(super) fn block_conversation(call: &mut Call<'_>, r: BlockConversationRequest) -> Outcome {
    let (contact, _) = call.contact_mut(r.contact_id)?;
    contact.blocked = r.blocked;
    Ok(Reply::Done)
}

pub(super) fn mark_conversation_read(
    call: &mut Call<'_>,
    r: MarkConversationReadRequest,
) -> Outcome {
    if r.read_at < 0 {
        return Err(ApiError::bad_request(format!(
            "`timestamp` must be 0 (unread) or a Unix time, not {}",
            r.read_at
        )));
    }
    let (contact, _) = call.contact_mut(r.contact_id)?;
    contact.last_read_at = r.read_at;
    Ok(Reply::Done)
}

/// Appends an outbound message of `parts` sent by the calling admin.
fn send(
    call: &mut Call<'_>,
    contact_id: u64,
    channel: &Channel,
    parts: Vec<MessagePart>,
) -> Outcome {
    let sender = call.user_id()?;
    call.contact(contact_id)?;
    let id_seed = format!("sent/{contact_id}/{}", call.state.fresh_id());
    let (contact, now) = call.contact_mut(contact_id)?;
    let content = serde_json::to_string(&parts)
        .map_err(|e| ApiError::internal(format!("cannot encode the message: {e}")))?;
    let mut message = text_message(
        message_id(channel, &id_seed),
        channel,
        false,
        sender,
        now * 1000,
        "",
    );
    message.content = Some(content);
    contact.messages.push(message);
    contact.last_active = now;
    Ok(Reply::Done)
}

fn text_part(channel: &Channel, sender: u64, text: String) -> MessagePart {
    MessagePart {
        kind: None,
        text: Some(text),
        url: None,
        quick_replies: None,
        delay: None,
        channel: Some(channel.clone()),
        direction: Some(chatrace::types::MessageDirection::Outbound),
        sender_id: Some(sender),
        replying_to: None,
        extra: Map::new(),
    }
}

pub(super) fn send_flow(call: &mut Call<'_>, r: SendFlowRequest) -> Outcome {
    let sender = call.user_id()?;
    let flow = call
        .account()?
        .flows
        .iter()
        .find(|f| f.flow.id == r.flow_id)
        .ok_or_else(|| ApiError::not_found(format!("flow {} not found", r.flow_id)))?;
    let first = flow
        .steps
        .first()
        .and_then(|s| s.name.clone())
        .unwrap_or_default();
    let text = format!("[{}] {first}", flow.flow.name.as_deref().unwrap_or("flow"));
    let parts = vec![text_part(&r.channel, sender, text)];
    send(call, r.contact_id, &r.channel, parts)
}

pub(super) fn send_step(call: &mut Call<'_>, r: SendStepRequest) -> Outcome {
    let sender = call.user_id()?;
    let (flow, step) = call
        .account()?
        .flows
        .iter()
        .find_map(|f| {
            f.steps
                .iter()
                .find(|s| s.id == r.step_id)
                .map(|s| (f.flow.name.clone(), s.name.clone()))
        })
        .ok_or_else(|| ApiError::not_found(format!("step {} not found", r.step_id)))?;
    let text = format!(
        "[{}] {}",
        flow.unwrap_or_default(),
        step.unwrap_or_default()
    );
    let parts = vec![text_part(&r.channel, sender, text)];
    send(call, r.contact_id, &r.channel, parts)
}

pub(super) fn send_products(call: &mut Call<'_>, r: SendProductsRequest) -> Outcome {
    let sender = call.user_id()?;
    if r.product_ids.is_empty() {
        return Err(ApiError::bad_request(
            "`product_ids` must name at least one product",
        ));
    }
    let account = call.account()?;
    let mut parts = Vec::new();
    for id in &r.product_ids {
        let product = account
            .products
            .iter()
            .find(|p| p.id == *id)
            .ok_or_else(|| ApiError::not_found(format!("product {id} not found")))?;
        let mut part = text_part(
            &r.channel,
            sender,
            format!(
                "{} ({}{:.2})",
                product.name.as_deref().unwrap_or("Product"),
                account.currency_symbol,
                product.price.unwrap_or(0.0) / 100.0
            ),
        );
        part.url = product.image.clone();
        parts.push(part);
    }
    send(call, r.contact_id, &r.channel, parts)
}

pub(super) fn generate_ai_response(call: &mut Call<'_>, r: GenerateAiResponseRequest) -> Outcome {
    let contact = call.contact(r.contact_id)?;
    let first = contact.first_name.clone();
    let answer = |text: String| AiResponse {
        text,
        extra: Map::new(),
    };
    let mut replies = vec![
        answer(format!(
            "Hi {first}! Thanks for your message. Let me check that for you."
        )),
        answer(format!(
            "Thanks {first}, happy to help. Could you tell me a bit more?"
        )),
    ];
    if let Some(prompt) = r.prompt.as_deref().filter(|p| !p.trim().is_empty()) {
        replies.insert(
            0,
            answer(format!(
                "Hi {first}! ({}) Here is what I can do for you.",
                prompt.trim()
            )),
        );
    }
    Reply::data(&replies)
}
