//! Internal notes on conversations (they show in `list_messages` as `note` messages).

use chatrace::operations::{AddNoteRequest, DeleteNoteRequest, UpdateNoteRequest};
use chatrace::types::Note;
use serde_json::Map;

use super::{ApiError, Call, Outcome, Reply};

fn check_text(text: &str) -> Result<(), ApiError> {
    if text.trim().is_empty() {
        return Err(ApiError::bad_request("`text` must not be empty"));
    }
    Ok(())
}

/// Checks that the contact has the note `id`.
fn check_note(call: &Call<'_>, contact_id: u64, id: u64) -> Result<(), ApiError> {
    if call.contact(contact_id)?.notes.iter().any(|n| n.id == id) {
        Ok(())
    } else {
        Err(ApiError::not_found(format!(
            "note {id} not found on contact {contact_id}"
        )))
    }
}

pub(super) fn add_note(call: &mut Call<'_>, r: AddNoteRequest) -> Outcome {
    check_text(&r.text)?;
    let admin = call.user_id()?;
    call.contact(r.contact_id)?;
    let id = call.state.fresh_id();
    let (contact, now) = call.contact_mut(r.contact_id)?;
    let note = Note {
        id,
        contact_id: Some(r.contact_id),
        text: Some(r.text),
        admin_id: Some(admin),
        created_at: Some(now),
        updated_at: Some(now),
        extra: Map::new(),
    };
    contact.notes.push(note.clone());
    Reply::data(&note)
}

pub(super) fn update_note(call: &mut Call<'_>, r: UpdateNoteRequest) -> Outcome {
    check_text(&r.text)?;
    check_note(call, r.contact_id, r.id)?;
    let admin = call.user_id()?;
    let (contact, now) = call.contact_mut(r.contact_id)?;
    let mut updated = None;
    for note in contact.notes.iter_mut().filter(|n| n.id == r.id) {
        note.text = Some(r.text.clone());
        note.admin_id = Some(admin);
        note.updated_at = Some(now);
        updated = Some(note.clone());
    }
    match updated {
        Some(note) => Reply::data(&note),
        None => Err(ApiError::internal("the note vanished")),
    }
}

pub(super) fn delete_note(call: &mut Call<'_>, r: DeleteNoteRequest) -> Outcome {
    check_note(call, r.contact_id, r.id)?;
    let (contact, _) = call.contact_mut(r.contact_id)?;
    contact.notes.retain(|n| n.id != r.id);
    Ok(Reply::Done)
}
