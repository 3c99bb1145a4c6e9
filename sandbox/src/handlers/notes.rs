//! Internal notes on a conversation: admins only see them, in the contact's `notes`.

use chatrace::operations::{AddNoteRequest, DeleteNoteRequest, UpdateNoteRequest};
use chatrace::types::{AdminId, ContactId, Note, NoteId};
use chatrace::UnixSeconds;
use serde_json::Map;

use super::{data, done, non_empty, ApiError, Call, Outcome};

/// Checks that the contact's conversation has the note `id`.
fn check_note(call: &Call<'_>, contact_id: &ContactId, id: &NoteId) -> Result<(), ApiError> {
    if call.contact(contact_id)?.notes.iter().any(|n| n.id == *id) {
        Ok(())
    } else {
        Err(ApiError::not_found(format!(
            "note {id} not found on contact {contact_id}"
        )))
    }
}

pub(super) fn add_note(call: &mut Call<'_>, r: AddNoteRequest) -> Outcome {
    non_empty("text", &r.text)?;
    let author = call.admin_id()?;
    call.contact(&r.contact_id)?;
    let id = call.state.fresh_id();
    let (contact, now) = call.contact_mut(&r.contact_id)?;
    let note = Note {
        id: NoteId::new(id),
        text: Some(r.text),
        updated_at: Some(UnixSeconds::new(now)),
        author_id: Some(AdminId::new(author)),
        extra: Map::new(),
    };
    contact.notes.push(note.clone());
    data(&note)
}

pub(super) fn update_note(call: &mut Call<'_>, r: UpdateNoteRequest) -> Outcome {
    non_empty("text", &r.text)?;
    check_note(call, &r.contact_id, &r.note_id)?;
    let (contact, now) = call.contact_mut(&r.contact_id)?;
    let note = contact
        .notes
        .iter_mut()
        .find(|n| n.id == r.note_id)
        .ok_or_else(|| ApiError::not_found(format!("note {} not found", r.note_id)))?;
    note.text = Some(r.text);
    note.updated_at = Some(UnixSeconds::new(now));
    data(&*note)
}

pub(super) fn delete_note(call: &mut Call<'_>, r: DeleteNoteRequest) -> Outcome {
    check_note(call, &r.contact_id, &r.note_id)?;
    let (contact, _) = call.contact_mut(&r.contact_id)?;
    contact.notes.retain(|n| n.id != r.note_id);
    done()
}
