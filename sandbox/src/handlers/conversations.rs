//! The inbox: conversations and their messages, the state of a conversation, AI drafts.

use chatrace::operations::{
    ArchiveConversationRequest, AssignConversationRequest, BlockConversationRequest,
    FollowConversationRequest, GenerateAiResponseRequest, ListConversationsRequest,
    ListMessagesRequest, MarkConversationReadRequest, MoveConversationRequest,
    UnassignConversationRequest,
};
use chatrace::types::{
    AiSuggestion, ContactId, ConversationMode, MessageDirection, MessageExpansions, MessagePage,
};
use chatrace::Operation;
use serde_json::{json, Map, Value};

use super::filters::conditions;
use super::page;
use crate::call::{data, done, envelope, ApiError, Call, Outcome};
use crate::ids;
use crate::state::{Account, ContactRecord};
use crate::views;

pub(super) fn list_conversations(call: &mut Call<'_>, r: ListConversationsRequest) -> Outcome {
    let conditions = conditions(r.filters.as_deref().unwrap_or_default())?;
    let account = call.account()?;
    let matching: Vec<_> = account
        .contacts_by_recency()
        .into_iter()
        .filter(|c| conditions.iter().all(|condition| condition.matches(c)))
        .collect();
    // Only the page is made into answers: inboxes may hold 100,000 conversations.
    let page = page(
        &matching,
        r.offset,
        r.limit,
        ListConversationsRequest::META.paging,
    )?;
    data(
        &page
            .into_iter()
            .map(views::conversation)
            .collect::<Vec<_>>(),
    )
}

/// What `expand` asked to add beside the messages: the contact's comments, refs and activity
/// (the sandbox keeps none) and appointments.
fn expansions(asked: &MessageExpansions, account: &Account, contact: &ContactRecord) -> Value {
    let mut out = Map::new();
    let none_kept = [
        ("comments", &asked.comments),
        ("refs", &asked.refs),
        ("inboxActions", &asked.inbox_actions),
    ];
    for (key, _) in none_kept.iter().filter(|(_, asked)| asked.is_some()) {
        out.insert((*key).to_owned(), Value::Array(Vec::new()));
    }
    if asked.appointments.is_some() {
        let theirs = views::appointments(
            account
                .appointments
                .iter()
                .filter(|a| a.appointment.contact_id.as_ref() == Some(&contact.id)),
        );
        out.insert(
            "appointments".to_owned(),
            serde_json::to_value(theirs).unwrap_or_default(),
        );
    }
    Value::Object(out)
}

pub(super) fn list_messages(call: &mut Call<'_>, r: ListMessagesRequest) -> Outcome {
    let contact = call.contact(&r.contact_id)?;
    let newest_first: Vec<_> = contact.messages.iter().rev().cloned().collect();
    let messages = page(
        &newest_first,
        r.offset,
        r.limit,
        ListMessagesRequest::META.paging,
    )?;
    let expansions = r
        .expansions
        .as_ref()
        .map(|asked| Ok::<_, ApiError>(expansions(asked, call.account()?, contact)))
        .transpose()?;
    envelope(&{
        let mut built = MessagePage::default();
        built.messages = Some(messages);
        built.conversation_hash = Some(contact.hash.clone());
        built.expansions = expansions;
        built.last_interaction = views::last_interaction(contact);
        built
    })
}

pub(super) fn assign_conversation(call: &mut Call<'_>, r: AssignConversationRequest) -> Outcome {
    call.contact(&r.contact_id)?;
    if !call.account()?.is_assignee(&r.assignee_id) {
        return Err(ApiError::not_found(format!(
            "no admin or team {} in the account",
            r.assignee_id
        )));
    }
    let (contact, _) = call.contact_mut(&r.contact_id)?;
    contact.assignee_id = Some(r.assignee_id.clone());
    let assignee = ids::id_json(r.assignee_id.as_str());
    call.push_change(
        &r.contact_id,
        json!({"type": "assign", "data": {"fb_id": assignee}}),
    );
    done()
}

pub(super) fn unassign_conversation(
    call: &mut Call<'_>,
    r: UnassignConversationRequest,
) -> Outcome {
    let (contact, _) = call.contact_mut(&r.contact_id)?;
    contact.assignee_id = None;
    call.push_change(
        &r.contact_id,
        json!({"type": "assign", "data": {"fb_id": 0}}),
    );
    done()
}

pub(super) fn move_conversation(call: &mut Call<'_>, r: MoveConversationRequest) -> Outcome {
    let live_chat = match r.mode {
        ConversationMode::Bot => false,
        ConversationMode::Human => true,
        other => {
            return Err(ApiError::refused(format!(
                "`enabled` must be 0 (bot) or 1 (human), not {other}"
            )))
        }
    };
    let (contact, _) = call.contact_mut(&r.contact_id)?;
    contact.live_chat = live_chat;
    call.push_change(
        &r.contact_id,
        json!({"type": "live_chat", "data": {"live_chat": live_chat}}),
    );
    done()
}

/// Sets one flag of a conversation.
fn set_flag(
    call: &mut Call<'_>,
    contact_id: &ContactId,
    flag: impl FnOnce(&mut ContactRecord) -> &mut bool,
    value: bool,
) -> Outcome {
    let (contact, _) = call.contact_mut(contact_id)?;
    *flag(contact) = value;
    done()
}

pub(super) fn archive_conversation(call: &mut Call<'_>, r: ArchiveConversationRequest) -> Outcome {
    set_flag(call, &r.contact_id, |c| &mut c.archived, r.archived)?;
    call.push_change(
        &r.contact_id,
        json!({"type": "archived", "data": {"archived": r.archived}}),
    );
    done()
}

pub(super) fn follow_conversation(call: &mut Call<'_>, r: FollowConversationRequest) -> Outcome {
    set_flag(call, &r.contact_id, |c| &mut c.followed, r.followed)?;
    call.push_change(
        &r.contact_id,
        json!({"type": "followup", "data": {"followup": r.followed}}),
    );
    done()
}

pub(super) fn block_conversation(call: &mut Call<'_>, r: BlockConversationRequest) -> Outcome {
    set_flag(call, &r.contact_id, |c| &mut c.blocked, r.blocked)
}

pub(super) fn mark_conversation_read(
    call: &mut Call<'_>,
    r: MarkConversationReadRequest,
) -> Outcome {
    let read_until = r
        .read_until
        .as_i64()
        .filter(|seconds| *seconds >= 0)
        .ok_or_else(|| {
            ApiError::refused(format!(
                "`timestamp` must be Unix seconds (0 for unread), not `{}`",
                r.read_until
            ))
        })?;
    let (contact, _) = call.contact_mut(&r.contact_id)?;
    contact.last_read_at = read_until;
    done()
}

pub(super) fn generate_ai_response(call: &mut Call<'_>, r: GenerateAiResponseRequest) -> Outcome {
    let contact = call.contact(&r.contact_id)?;
    let asked = contact
        .messages
        .iter()
        .rev()
        .find(|m| m.direction == Some(MessageDirection::FromContact))
        .map(views::preview);
    let first_name = contact.first_name.clone();
    let mut suggestions = vec![match &asked {
        Some(question) => format!(
            "Hi {first_name}! Thanks for your message (\"{question}\"). Let me check that for you."
        ),
        None => format!("Hi {first_name}! How can we help you today?"),
    }];
    suggestions.push(format!(
        "Thanks {first_name}, we're on it and will get back to you shortly."
    ));
    if let Some(prompt) = r.prompt.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        suggestions.insert(
            0,
            format!("{prompt} — {first_name}, here is what we can do."),
        );
    }
    let drafts: Vec<AiSuggestion> = suggestions
        .into_iter()
        .map(|text| {
            let mut built = AiSuggestion::default();
            built.text = Some(text);
            built
        })
        .collect();
    data(&drafts)
}
