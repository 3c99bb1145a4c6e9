//! Saved replies: canned answers admins insert by shortcode.

use chatrace::operations::{
    AddSavedReplyRequest, DeleteSavedReplyRequest, ListSavedRepliesRequest, UpdateSavedReplyRequest,
};
use chatrace::types::SavedReply;
use serde_json::Map;

use super::{ApiError, Call, Outcome, Reply};

/// Checks a shortcode and text, and that no other saved reply (than `except`) has the shortcode.
fn check(
    call: &Call<'_>,
    shortcode: &str,
    text: &str,
    except: Option<u64>,
) -> Result<(), ApiError> {
    if shortcode.trim().is_empty() || shortcode.chars().any(char::is_whitespace) {
        return Err(ApiError::bad_request(format!(
            "`shortcode` must be one word, such as `/welcome`, not `{shortcode}`"
        )));
    }
    if text.trim().is_empty() {
        return Err(ApiError::bad_request("`value` must not be empty"));
    }
    let taken = call
        .account()?
        .saved_replies
        .iter()
        .any(|s| Some(s.id) != except && s.shortcode.as_deref() == Some(shortcode));
    if taken {
        return Err(ApiError::bad_request(format!(
            "the shortcode `{shortcode}` is taken"
        )));
    }
    Ok(())
}

fn not_found(id: u64) -> ApiError {
    ApiError::not_found(format!("saved reply {id} not found"))
}

pub(super) fn list_saved_replies(call: &mut Call<'_>, _r: ListSavedRepliesRequest) -> Outcome {
    Reply::data(&call.account()?.saved_replies)
}

pub(super) fn add_saved_reply(call: &mut Call<'_>, r: AddSavedReplyRequest) -> Outcome {
    check(call, &r.shortcode, &r.text, None)?;
    call.state.tick();
    let reply = SavedReply {
        id: call.state.fresh_id(),
        shortcode: Some(r.shortcode),
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
    check(call, &r.shortcode, &r.text, Some(r.id))?;
    call.state.tick();
    let reply = call
        .account_mut()?
        .saved_replies
        .iter_mut()
        .find(|s| s.id == r.id)
        .ok_or_else(|| not_found(r.id))?;
    reply.shortcode = Some(r.shortcode);
    reply.text = Some(r.text);
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
