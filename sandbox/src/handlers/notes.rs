//! Internal notes on conversations.

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

fn note_not_found(contact_id: u64, id: u64) -> ApiError {
    ApiError::not_found(format!("note {id} not found on contact {contact_id}"))
}

pub(super) fn add_note(call: &mut Call<'_>, r: AddNoteRequest) -> Outcome {
    check_text(&r.text)?;
    let admin = call.user_id()?;
    call.contact(r.contact_id)?;
    let id = call.state.fresh_id();
    let (contact, now) = call.contact_mut(r.contact_id)?;
    let note = Note {
        id,
        text: Some(r.text),
        admin_id: Some(admin),
        updated_at: Some(now),
        extra: Map::new(),
    };
    contact.notes.push(note.clone());
    Reply::data(&note)
}

pub(super) fn update_note(call: &mut Call<'_>, r: UpdateNoteRequest) -> Outcome {
    check_text(&r.text)?;
    let admin = call.user_id()?;
    if !call
        .contact(r.contact_id)?
        .notes
        .iter()
        .any(|n| n.id == r.id)
    {
        return Err(note_not_found(r.contact_id, r.id));
    }
    let (contact, now) = call.contact_mut(r.contact_id)?;
    let note = contact
        .notes
        .iter_mut()
        .find(|n| n.id == r.id)
        .ok_or_else(|| note_not_found(r.contact_id, r.id))?;
    note.text = Some(r.text);
    note.admin_id = Some(admin);
    note.updated_at = Some(now);
    Reply::data(&*note)
}

pub(super) fn delete_note(call: &mut Call<'_>, r: DeleteNoteRequest) -> Outcome {
    if !call
        .contact(r.contact_id)?
        .notes
        .iter()
        .any(|n| n.id == r.id)
    {
        return Err(note_not_found(r.contact_id, r.id));
    }
    let (contact, _) = call.contact_mut(r.contact_id)?;
    contact.notes.retain(|n| n.id != r.id);
    Ok(Reply::Done)
}
