//! Internal notes on a conversation: admins only see them, in the contact's `notes`.

use chatrace::operations::{AddNoteRequest, DeleteNoteRequest, UpdateNoteRequest};
use chatrace::types::{AdminId, ContactId, Note, NoteId};
use chatrace::UnixSeconds;
use serde_json::json;

use super::non_empty;
use crate::call::{data, done, ApiError, Call, Outcome};

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
    let note = {
        let mut built = Note::new(NoteId::new(id));
        built.text = Some(r.text);
        built.updated_at = Some(UnixSeconds::new(now));
        built.author_id = Some(AdminId::new(author));
        built
    };
    contact.notes.push(note.clone());
    push_note(call, &r.contact_id, &note);
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
    let note = note.clone();
    push_note(call, &r.contact_id, &note);
    data(&note)
}

/// Tells the sockets subscribed to the conversation of the note: a `note` part, which the
/// catalogue does not declare (an SDK reads it as an unknown part, kept whole).
fn push_note(call: &mut Call<'_>, contact_id: &ContactId, note: &Note) {
    call.push_change(
        contact_id,
        json!({
            "type": "note",
            "id": crate::ids::id_json(note.id.as_str()),
            "text": note.text,
        }),
    );
}

pub(super) fn delete_note(call: &mut Call<'_>, r: DeleteNoteRequest) -> Outcome {
    check_note(call, &r.contact_id, &r.note_id)?;
    let (contact, _) = call.contact_mut(&r.contact_id)?;
    contact.notes.retain(|n| n.id != r.note_id);
    done()
}
