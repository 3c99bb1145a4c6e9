//! `TypeShape`: what a value of a param or an answer is, as generated metadata describes it.

use core::fmt;

use crate::{EnumRepr, Scalar, Spelled};

/// The shape of a type of the catalogue, resolved: a tool reads what a value is (a scalar, a
/// typed id, an enum and its values, a struct, a list of one of these) without parsing the
/// catalogue's type expression. `Display` writes that expression (`list<OrderItem>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TypeShape {
    /// A built-in scalar (`string`, `integer`, `id`, `file`, ...).
    Scalar(Scalar),
    /// A typed id of the catalogue (`ContactId`), given as text.
    Id {
        /// The type's name.
        name: &'static str,
    },
    /// An enum of the catalogue.
    Enum {
        /// The type's name.
        name: &'static str,
        /// The wire form of its values.
        repr: EnumRepr,
        /// The wire values the catalogue lists, as text (`"4"`, `"image"`).
        values: &'static [&'static str],
    },
    /// A struct of the catalogue, given as a JSON object.
    Struct {
        /// The type's name.
        name: &'static str,
    },
    /// A union of the catalogue (objects told apart by a tag key), given as a JSON object.
    Union {
        /// The type's name.
        name: &'static str,
    },
    /// `list<T>`: a sequence of `T`.
    List(&'static TypeShape),
    /// `encoded<T>`: a string holding the JSON of a `T` on the wire; a `T` to the caller.
    Encoded(&'static TypeShape),
}

impl TypeShape {
    /// The shape inside any `list<..>` and `encoded<..>`: what one value is.
    pub const fn innermost(&self) -> &TypeShape {
        match self {
            TypeShape::List(inner) | TypeShape::Encoded(inner) => inner.innermost(),
            other => other,
        }
    }

    /// Whether the type is a `list<..>`, at any depth of `encoded<..>`.
    pub const fn is_list(&self) -> bool {
        match self {
            TypeShape::List(_) => true,
            TypeShape::Encoded(inner) => inner.is_list(),
            _ => false,
        }
    }

    /// The declared type's name, for the shapes that have one.
    pub const fn name(&self) -> Option<&'static str> {
        match self {
            TypeShape::Id { name }
            | TypeShape::Enum { name, .. }
            | TypeShape::Struct { name }
            | TypeShape::Union { name } => Some(name),
            TypeShape::Scalar(_) | TypeShape::List(_) | TypeShape::Encoded(_) => None,
        }
    }
}

impl fmt::Display for TypeShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeShape::Scalar(scalar) => f.write_str(scalar.spelling()),
            TypeShape::List(inner) => write!(f, "list<{inner}>"),
            TypeShape::Encoded(inner) => write!(f, "encoded<{inner}>"),
            named => f.write_str(named.name().unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: TypeShape = TypeShape::Enum {
        name: "OrderStatus",
        repr: EnumRepr::Integer,
        values: &["4", "7"],
    };

    #[test]
    fn display_is_the_catalogue_expression() {
        const ITEMS: TypeShape = TypeShape::List(&TypeShape::Struct { name: "OrderItem" });
        assert_eq!(ITEMS.to_string(), "list<OrderItem>");
        assert_eq!(
            TypeShape::Encoded(&TypeShape::List(&TypeShape::Scalar(Scalar::Integer))).to_string(),
            "encoded<list<integer>>"
        );
        assert_eq!(STATUS.to_string(), "OrderStatus");
    }

    #[test]
    fn innermost_and_list_see_through_wrappers() {
        const WRAPPED: TypeShape = TypeShape::Encoded(&TypeShape::List(&STATUS));
        assert_eq!(*WRAPPED.innermost(), STATUS);
        assert!(WRAPPED.is_list());
        assert!(!STATUS.is_list());
        assert_eq!(WRAPPED.name(), None);
        assert_eq!(STATUS.name(), Some("OrderStatus"));
    }
}
