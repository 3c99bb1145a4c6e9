//! What generated metadata says of a struct type (its fields' shapes, and the few fields that
//! make its row when a tool shows a list of it) and of an enum type (its values' names).

use crate::TypeShape;

/// A struct type of the catalogue, as tools read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeMeta {
    /// The type's name (`Conversation`).
    pub name: &'static str,
    /// Its fields, in the catalogue's order.
    pub fields: &'static [FieldMeta],
    /// The wire names of the fields that make its row in a table (the catalogue's `row`), in
    /// order; empty when the catalogue names none.
    pub row: &'static [&'static str],
}

/// One field of a struct type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldMeta {
    /// The field's JSON key.
    pub wire: &'static str,
    /// The shape of its type.
    pub shape: TypeShape,
}

impl TypeMeta {
    /// The field whose JSON key is `wire`.
    pub fn field(&self, wire: &str) -> Option<&'static FieldMeta> {
        self.fields.iter().find(|field| field.wire == wire)
    }
}

/// An enum type of the catalogue, as tools read it: what each wire value is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnumMeta {
    /// The type's name (`ConversationMode`).
    pub name: &'static str,
    /// Each value the catalogue lists: its wire form as text (as [`TypeShape::Enum`] gives it)
    /// and its snake_case name (`("1", "human")`), in the catalogue's order.
    pub values: &'static [(&'static str, &'static str)],
}

impl EnumMeta {
    /// The name of the value whose wire form is `wire`.
    pub fn name_of(&self, wire: &str) -> Option<&'static str> {
        self.values
            .iter()
            .find(|(value, _)| *value == wire)
            .map(|(_, name)| *name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scalar;

    #[test]
    fn fields_are_found_by_their_key() {
        const TAG: TypeMeta = TypeMeta {
            name: "Tag",
            fields: &[
                FieldMeta {
                    wire: "id",
                    shape: TypeShape::Id { name: "TagId" },
                },
                FieldMeta {
                    wire: "name",
                    shape: TypeShape::Scalar(Scalar::String),
                },
            ],
            row: &["id", "name"],
        };
        assert_eq!(
            TAG.field("name").map(|f| f.shape),
            Some(TypeShape::Scalar(Scalar::String))
        );
        assert_eq!(TAG.field("other"), None);
    }

    #[test]
    fn enum_values_are_named_by_their_wire_form() {
        const MODE: EnumMeta = EnumMeta {
            name: "ConversationMode",
            values: &[("0", "bot"), ("1", "human")],
        };
        assert_eq!(MODE.name_of("1"), Some("human"));
        assert_eq!(MODE.name_of("2"), None);
    }
}
