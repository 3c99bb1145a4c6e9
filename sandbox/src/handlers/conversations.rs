//! The inbox: conversations, their messages and their state, and what admins send.

use chatrace::operations::{
    ArchiveConversationRequest, AssignConversationRequest, BlockConversationRequest,
    FollowConversationRequest, GenerateAiResponseRequest, ListConversationsRequest,
    ListMessagesRequest, MarkConversationReadRequest, MoveConversationRequest, SendFlowRequest,
    SendProductsRequest, SendStepRequest, UnassignConversationRequest,
};
use chatrace::types::{AiResponse, ConversationFolder, ConversationMode, Message, MessageType};
use chatrace::Operation;
use serde_json::Map;

use super::{page, ApiError, Call, Outcome, Reply};
use crate::seed::NewMessage;
use crate::state::ContactRecord;

/// Whether a contact's conversation is in `folder` for `user`.
fn in_folder(c: &ContactRecord, folder: &ConversationFolder, user: u64) -> bool {
    let open = !c.archived && !c.blocked;
    match folder {
        ConversationFolder::Inbox => open,
        ConversationFolder::Unassigned => {
            open && c.assigned_admin_id.is_none() && c.assigned_team_id.is_none()
        }
        ConversationFolder::Mine => open && c.assigned_admin_id == Some(user),
        ConversationFolder::Archived => c.archived,
        ConversationFolder::Followed => c.followed && !c.blocked,
        ConversationFolder::Blocked => c.blocked,
        ConversationFolder::Unknown(_) => false,
    }
}

pub(super) fn list_conversations(call: &mut Call<'_>, r: ListConversationsRequest) -> Outcome {
    let folder = r.folder.clone().unwrap_or(ConversationFolder::Inbox);
    if let ConversationFolder::Unknown(other) = &folder {
        return Err(ApiError::bad_request(format!(
            "`folder` must be one of inbox, unassigned, mine, archived, followed, blocked, not `{other}`"
        )));
    }
    let user = call.user_id()?;
    let account = call.account()?;
    let search = r
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase);
    let matches = |c: &ContactRecord| {
        in_folder(c, &folder, user)
            && r.channel.as_ref().is_none_or(|ch| c.channel == *ch)
            && r.tag_id.is_none_or(|tag| c.tags.contains(&tag))
            && (r.unread_only != Some(true) || c.unread > 0)
            && search.as_deref().is_none_or(|needle| {
                c.full_name().to_lowercase().contains(needle)
                    || c.messages.iter().any(|m| {
                        m.text
                            .as_deref()
                            .is_some_and(|t| t.to_lowercase().contains(needle))
                    })
            })
    };
    let all: Vec<_> = account
        .contacts_by_recency()
        .into_iter()
        .filter(|c| matches(c))
        .map(|c| account.conversation(c))
        .collect();
    let paging = ListConversationsRequest::META.paging;
    Reply::data(&page(&all, r.offset, r.limit, paging)?)
}

pub(super) fn list_messages(call: &mut Call<'_>, r: ListMessagesRequest) -> Outcome {
    let contact = call.contact(r.contact_id)?;
    let mut timeline = contact.timeline();
    if let Some(before) = r.before_id {
        let at = timeline
            .iter()
            .position(|m| m.id == before)
            .ok_or_else(|| {
                ApiError::not_found(format!(
                    "message {before} not found in the conversation of contact {}",
                    r.contact_id
                ))
            })?;
        timeline.truncate(at);
    }
    timeline.reverse();
    let paging = ListMessagesRequest::META.paging;
    Reply::data(&page(&timeline, r.offset, r.limit, paging)?)
}

pub(super) fn assign_conversation(call: &mut Call<'_>, r: AssignConversationRequest) -> Outcome {
    if r.admin_id.is_none() && r.team_id.is_none() {
        return Err(ApiError::bad_request(
            "give `admin_id`, `team_id` or both (`unassign_conversation` removes them)",
        ));
    }
    let account = call.account()?;
    if let Some(admin) = r.admin_id {
        if !account.admins.iter().any(|a| a.id == admin) {
            return Err(ApiError::not_found(format!("admin {admin} not found")));
        }
    }
    if let Some(team) = r.team_id {
        if !account.teams.iter().any(|t| t.id == team) {
            return Err(ApiError::not_found(format!("team {team} not found")));
        }
    }
    let (contact, _) = call.contact_mut(r.contact_id)?;
    if r.admin_id.is_some() {
        contact.assigned_admin_id = r.admin_id;
    }
    if r.team_id.is_some() {
        contact.assigned_team_id = r.team_id;
    }
    Ok(Reply::Done)
}

pub(super) fn unassign_conversation(
    call: &mut Call<'_>,
    r: UnassignConversationRequest,
) -> Outcome {
    let (contact, _) = call.contact_mut(r.contact_id)?;
    contact.assigned_admin_id = None;
    contact.assigned_team_id = None;
    Ok(Reply::Done)
}

pub(super) fn move_conversation(call: &mut Call<'_>, r: MoveConversationRequest) -> Outcome {
    if let ConversationMode::Unknown(other) = &r.mode {
        return Err(ApiError::bad_request(format!(
            "`mode` must be `bot` or `human`, not `{other}`"
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
    let (contact, _) = call.contact_mut(r.contact_id)?;
    contact.unread = if r.read { 0 } else { contact.unread.max(1) };
    Ok(Reply::Done)
}

/// Appends a message the bot (or, with `admin`, an admin) sends to the contact.
fn send(
    call: &mut Call<'_>,
    contact_id: u64,
    admin: Option<u64>,
    kind: MessageType,
    text: String,
) -> Result<Message, ApiError> {
    if call.contact(contact_id)?.blocked {
        return Err(ApiError::bad_request(format!(
            "contact {contact_id} is blocked: unblock them first"
        )));
    }
    let id = call.state.fresh_id();
    let (contact, now) = call.contact_mut(contact_id)?;
    let message = NewMessage {
        id,
        contact_id,
        channel: &contact.channel.clone(),
        inbound: false,
        admin_id: admin,
        sent_at: now,
        kind,
        text,
        attachment: None,
    }
    .build();
    contact.messages.push(message.clone());
    Ok(message)
}

pub(super) fn send_flow(call: &mut Call<'_>, r: SendFlowRequest) -> Outcome {
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
    let text = format!("{} › {first}", flow.flow.name.as_deref().unwrap_or("Flow"));
    send(call, r.contact_id, None, MessageType::Text, text)?;
    Ok(Reply::Done)
}

pub(super) fn send_step(call: &mut Call<'_>, r: SendStepRequest) -> Outcome {
    let flow = call
        .account()?
        .flows
        .iter()
        .find(|f| f.flow.id == r.flow_id)
        .ok_or_else(|| ApiError::not_found(format!("flow {} not found", r.flow_id)))?;
    let step = flow
        .steps
        .iter()
        .find(|s| s.id == r.step_id)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "step {} not found in flow {}",
                r.step_id, r.flow_id
            ))
        })?;
    let text = format!(
        "{} › {}",
        flow.flow.name.as_deref().unwrap_or("Flow"),
        step.name.as_deref().unwrap_or("Step")
    );
    send(call, r.contact_id, None, MessageType::Text, text)?;
    Ok(Reply::Done)
}

pub(super) fn send_products(call: &mut Call<'_>, r: SendProductsRequest) -> Outcome {
    if r.product_ids.is_empty() {
        return Err(ApiError::bad_request(
            "`product_ids` must name at least one product",
        ));
    }
    let account = call.account()?;
    let mut names = Vec::new();
    for id in &r.product_ids {
        let product = account
            .products
            .iter()
            .find(|p| p.id == *id)
            .ok_or_else(|| ApiError::not_found(format!("product {id} not found")))?;
        names.push(product.name.clone().unwrap_or_default());
    }
    let admin = call.user_id()?;
    send(
        call,
        r.contact_id,
        Some(admin),
        MessageType::Product,
        names.join(", "),
    )?;
    Ok(Reply::Done)
}

pub(super) fn generate_ai_response(call: &mut Call<'_>, r: GenerateAiResponseRequest) -> Outcome {
    let contact = call.contact(r.contact_id)?;
    let asked = contact
        .messages
        .iter()
        .rev()
        .find(|m| m.direction == Some(chatrace::types::MessageDirection::Inbound))
        .and_then(|m| m.text.clone())
        .unwrap_or_default();
    let mut text = format!("Hi {}! Thanks for your message", contact.first_name);
    if !asked.is_empty() {
        text.push_str(&format!(" (\"{asked}\")"));
    }
    text.push_str(". Let me check that for you right away.");
    if let Some(instruction) = r.instruction.as_deref().map(str::trim) {
        if !instruction.is_empty() {
            text.push_str(&format!(" [{instruction}]"));
        }
    }
    Reply::data(&AiResponse {
        text,
        extra: Map::new(),
    })
}
