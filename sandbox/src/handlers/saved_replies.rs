//! Saved replies: canned answers admins insert by typing their shortcode.

use chatrace::operations::{
    AddSavedReplyRequest, DeleteSavedReplyRequest, ListSavedRepliesRequest, UpdateSavedReplyRequest,
};
use chatrace::types::{SavedReply, SavedReplyId};

use super::non_empty;
use crate::call::{data, done, ApiError, Call, Outcome};

/// Checks a shortcode (one word, such as `/welcome`) and a text. Two saved replies may share a
/// shortcode: the collection's own examples add a `/welcome` beside the one it lists.
fn check(shortcode: &str, text: &str) -> Result<(), ApiError> {
    non_empty("shortcode", shortcode)?;
    non_empty("value", text)?;
    if shortcode.trim().contains(char::is_whitespace) {
        return Err(ApiError::refused(format!(
            "`shortcode` must be one word, such as `/welcome`, not `{shortcode}`"
        )));
    }
    Ok(())
}

fn check_exists(call: &Call<'_>, id: &SavedReplyId) -> Result<(), ApiError> {
    if call.account()?.saved_replies.iter().any(|s| s.id == *id) {
        Ok(())
    } else {
        Err(ApiError::not_found(format!("saved reply {id} not found")))
    }
}

pub(super) fn list_saved_replies(call: &mut Call<'_>, _r: ListSavedRepliesRequest) -> Outcome {
    data(&call.account()?.saved_replies)
}

pub(super) fn add_saved_reply(call: &mut Call<'_>, r: AddSavedReplyRequest) -> Outcome {
    check(&r.shortcode, &r.text)?;
    call.state.tick();
    let reply = {
        let mut built = SavedReply::new(SavedReplyId::new(call.state.fresh_id()));
        built.shortcode = Some(r.shortcode.trim().to_owned());
        built.text = Some(r.text);
        built
    };
    call.account_mut()?.saved_replies.push(reply.clone());
    data(&reply)
}

pub(super) fn update_saved_reply(call: &mut Call<'_>, r: UpdateSavedReplyRequest) -> Outcome {
    check_exists(call, &r.saved_reply_id)?;
    check(&r.shortcode, &r.text)?;
    call.state.tick();
    let reply = call
        .account_mut()?
        .saved_replies
        .iter_mut()
        .find(|s| s.id == r.saved_reply_id)
        .ok_or_else(|| {
            ApiError::not_found(format!("saved reply {} not found", r.saved_reply_id))
        })?;
    reply.shortcode = Some(r.shortcode.trim().to_owned());
    reply.text = Some(r.text);
    data(&*reply)
}

pub(super) fn delete_saved_reply(call: &mut Call<'_>, r: DeleteSavedReplyRequest) -> Outcome {
    check_exists(call, &r.saved_reply_id)?;
    call.state.tick();
    call.account_mut()?
        .saved_replies
        .retain(|s| s.id != r.saved_reply_id);
    done()
}
