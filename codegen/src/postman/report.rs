//! The notes the import collects about one operation: guesses, and what a person must write.

use super::{Note, NoteKind};

/// Collects the notes about one operation.
pub(super) struct Report {
    item: String,
    /// The notes about the operation.
    pub(super) notes: Vec<Note>,
    /// What the collection lacks or contradicts.
    pub(super) collection: Vec<Note>,
}

impl Report {
    pub(super) fn new(operation: &str) -> Report {
        Report {
            item: format!("operation {operation}"),
            notes: Vec::new(),
            collection: Vec::new(),
        }
    }

    /// A guess about the operation.
    pub(super) fn guessed(&mut self, detail: impl Into<String>) {
        let note = Note::new(NoteKind::Guessed, self.item.clone(), detail);
        self.notes.push(note);
    }

    /// A guess about one of its params.
    pub(super) fn guessed_param(&mut self, key: &str, detail: impl Into<String>) {
        let note = Note::new(
            NoteKind::Guessed,
            format!("{}: param {key}", self.item),
            detail,
        );
        self.notes.push(note);
    }

    /// Something a person must write.
    pub(super) fn not_inferred(&mut self, detail: impl Into<String>) {
        let note = Note::new(NoteKind::NotInferred, self.item.clone(), detail);
        self.notes.push(note);
    }

    /// What the collection lacks or contradicts: reported by merges too.
    pub(super) fn collection(&mut self, detail: impl Into<String>) {
        let note = Note::new(NoteKind::NotInferred, self.item.clone(), detail);
        self.collection.push(note);
    }
}
