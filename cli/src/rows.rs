//! Which fields make a row of a table, and what kind of value each is.
//!
//! The catalogue says it: each struct type names the few fields of its row (`row:`), and its
//! fields' types say which are ids and times ([`chatrace::TYPES`]). An answer whose items are
//! of a type without a row shows their first few plain fields.

use chatrace::{OperationMeta, Scalar, TypeMeta, TypeShape};
use serde_json::Value;

/// How many columns a row the catalogue does not name shows at most.
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

impl FieldKind {
    /// How a value of `shape` is shown.
    pub fn of(shape: &TypeShape) -> FieldKind {
        match shape {
            TypeShape::Id { .. } | TypeShape::Scalar(Scalar::Id) => FieldKind::Id,
            TypeShape::Scalar(Scalar::Millis) => FieldKind::Millis,
            TypeShape::Scalar(Scalar::Seconds) => FieldKind::Seconds,
            _ => FieldKind::Other,
        }
    }
}

/// One column of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field's wire name: the column's header.
    pub name: String,
    /// How its values are shown.
    pub kind: FieldKind,
}

/// The columns of a table, and the type they come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// The columns, in order.
    pub fields: Vec<Field>,
    /// The catalogue's type of the items, when it is known.
    pub of: Option<&'static TypeMeta>,
}

impl Row {
    /// How the field `name` is shown: as its type in the catalogue says, else by its name.
    pub fn kind_of(&self, name: &str) -> FieldKind {
        match self.of.and_then(|meta| meta.field(name)) {
            Some(field) => FieldKind::of(&field.shape),
            None => guessed_kind(name),
        }
    }
}

/// The row of what `op` answers (its list items, or the answer itself), given some of the
/// items: the catalogue's row of their type, or else their first few plain fields.
pub fn row_of(op: &OperationMeta, items: &[Value]) -> Row {
    let of = answer_type(op);
    let declared = of.map(|meta| meta.row).unwrap_or_default();
    if declared.is_empty() {
        return Row {
            fields: fallback_fields(items, of),
            of,
        };
    }
    let fields = declared
        .iter()
        .map(|name| Field {
            name: (*name).to_owned(),
            kind: of
                .and_then(|meta| meta.field(name))
                .map_or(FieldKind::Other, |f| FieldKind::of(&f.shape)),
        })
        .collect();
    Row { fields, of }
}

/// The catalogue's struct type named `name`.
pub fn type_named(name: &str) -> Option<&'static TypeMeta> {
    chatrace::TYPES
        .iter()
        .copied()
        .find(|meta| meta.name == name)
}

/// The type of what `op` answers, as a table shows it: the items of a list (`list<T>`, or the
/// list field its paging names), or the answer itself.
pub fn answer_type(op: &OperationMeta) -> Option<&'static TypeMeta> {
    let named = |shape: &TypeShape| shape.name().and_then(type_named);
    match op.response? {
        TypeShape::List(item) => named(item),
        shape => {
            let answer = named(&shape)?;
            match op.paging.and_then(|paging| paging.items) {
                Some(field) => match answer.field(field)?.shape {
                    TypeShape::List(item) => named(item),
                    _ => None,
                },
                None => Some(answer),
            }
        }
    }
}

/// The first few plain (not list, not object) fields of the first item.
fn fallback_fields(items: &[Value], of: Option<&'static TypeMeta>) -> Vec<Field> {
    let Some(Value::Object(first)) = items.first() else {
        return Vec::new();
    };
    let row = Row {
        fields: Vec::new(),
        of,
    };
    first
        .iter()
        .filter(|(_, value)| !value.is_array() && !value.is_object())
        .take(FALLBACK_COLUMNS)
        .map(|(name, _)| Field {
            name: name.clone(),
            kind: row.kind_of(name),
        })
        .collect()
}

/// The kind of a field the catalogue says nothing of: an id when its name says so.
fn guessed_kind(name: &str) -> FieldKind {
    if name == "id" || name.ends_with("_id") {
        FieldKind::Id
    } else {
        FieldKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::operation as op;
    use serde_json::json;

    fn names(row: &Row) -> Vec<&str> {
        row.fields.iter().map(|f| f.name.as_str()).collect()
    }

    #[test]
    fn the_catalogue_names_the_row_of_a_lists_items() {
        let row = row_of(op("list_conversations"), &[]);
        assert_eq!(
            names(&row),
            ["full_name", "ms_id", "channel", "last_msg", "timestamp"]
        );
        assert_eq!(row.fields[1].kind, FieldKind::Id);
        assert_eq!(row.fields[4].kind, FieldKind::Millis);
        // The items of a page whose list is a field of the answer.
        let messages = row_of(op("list_messages"), &[]);
        assert_eq!(messages.of.map(|t| t.name), Some("Message"));
        assert_eq!(messages.kind_of("sentBy"), FieldKind::Id);
        // An answer that is no list: its own type, for the kinds of its fields.
        let contact = row_of(op("get_contact"), &[]);
        assert_eq!(contact.kind_of("last_active"), FieldKind::Seconds);
        assert_eq!(contact.kind_of("assigned_to"), FieldKind::Id);
        assert_eq!(contact.kind_of("not_declared_id"), FieldKind::Id);
    }

    #[test]
    fn a_type_without_a_row_shows_its_first_plain_fields() {
        let items = [json!({"a": 1, "b": [1], "c": {"d": 1}, "e_id": "x"})];
        let row = row_of(op("get_whitelabel"), &items);
        assert_eq!(names(&row), ["a", "e_id"]);
        assert_eq!(row.fields[1].kind, FieldKind::Id);
    }
}
