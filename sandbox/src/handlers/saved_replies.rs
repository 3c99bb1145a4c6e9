//! Saved replies: canned answers admins insert by typing their name.

use chatrace::operations::{
    AddSavedReplyRequest, DeleteSavedReplyRequest, ListSavedRepliesRequest, UpdateSavedReplyRequest,
};
use chatrace::types::SavedReply;
use chatrace::Operation;
use serde_json::Map;

use super::{page, ApiError, Call, Outcome, Reply};

/// Checks a name and text, and that no other saved reply (than `except`) has the name.
fn check(
    call: &Call<'_>,
    name: Option<&str>,
    text: Option<&str>,
    except: Option<u64>,
) -> Result<(), ApiError> {
    if let Some(name) = name {
        if name.trim().is_empty() || name.chars().any(char::is_whitespace) {
            return Err(ApiError::bad_request(format!(
                "`name` must be one word, such as `welcome`, not `{name}`"
            )));
        }
        let taken = call
            .account()?
            .saved_replies
            .iter()
            .any(|s| Some(s.id) != except && s.name.as_deref() == Some(name));
        if taken {
            return Err(ApiError::bad_request(format!(
                "a saved reply named `{name}` exists"
            )));
        }
    }
    if text.is_some_and(|t| t.trim().is_empty()) {
        return Err(ApiError::bad_request("`text` must not be empty"));
    }
    Ok(())
}

fn not_found(id: u64) -> ApiError {
    ApiError::not_found(format!("saved reply {id} not found"))
}

pub(super) fn list_saved_replies(call: &mut Call<'_>, r: ListSavedRepliesRequest) -> Outcome {
    let paging = ListSavedRepliesRequest::META.paging;
    Reply::data(&page(
        &call.account()?.saved_replies,
        r.offset,
        r.limit,
        paging,
    )?)
}

pub(super) fn add_saved_reply(call: &mut Call<'_>, r: AddSavedReplyRequest) -> Outcome {
    check(call, Some(&r.name), Some(&r.text), None)?;
    call.state.tick();
    let reply = SavedReply {
        id: call.state.fresh_id(),
        name: Some(r.name),
        text: Some(r.text),
        extra: Map::new(),
    };
    call.account_mut()?.saved_replies.push(reply.clone());
    Reply::data(&reply)
}

pub(super) fn update_saved_reply(call: &mut Call<'_>, r: UpdateSavedReplyRequest) -> Outcome {
    if !call.account()?.saved_replies.iter().any(|s| s.id == r.id) {
        return Err(not_found(r.id));
    }
    if r.name.is_none() && r.text.is_none() {
        return Err(ApiError::bad_request(
            "give `name`, `text` or both: nothing to change",
        ));
    }
    check(call, r.name.as_deref(), r.text.as_deref(), Some(r.id))?;
    call.state.tick();
    let reply = call
        .account_mut()?
        .saved_replies
        .iter_mut()
        .find(|s| s.id == r.id)
        .ok_or_else(|| not_found(r.id))?;
    if let Some(name) = r.name {
        reply.name = Some(name);
    }
    if let Some(text) = r.text {
        reply.text = Some(text);
    }
    Reply::data(&*reply)
}

pub(super) fn delete_saved_reply(call: &mut Call<'_>, r: DeleteSavedReplyRequest) -> Outcome {
    if !call.account()?.saved_replies.iter().any(|s| s.id == r.id) {
        return Err(not_found(r.id));
    }
    call.state.tick();
    call.account_mut()?.saved_replies.retain(|s| s.id != r.id);
    Ok(Reply::Done)
}
