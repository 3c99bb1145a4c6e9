//! The comparison of shared types: paired by name, then by kind: struct fields by wire name
//! (or by Rust name), enum values by wire value and union variants by tag value (or by name).

use super::pairing::{pair, Pair};
use super::{doc_change, type_change, Catalogues, ChangeKind, Differ, Impact};
use crate::emit::type_without_positions;
use crate::model::*;
use crate::names::pascal_case;

/// `struct`, `enum`, `id` or `union`.
fn kind_text(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "struct",
        TypeKind::Enum { .. } => "enum",
        TypeKind::Id => "id",
        TypeKind::Union(_) => "union",
    }
}

impl Differ {
    /// Every shared type (by name): added or changed, then removed ones.
    pub(super) fn types(&mut self, old: &Catalogue, new: &Catalogue) {
        use ChangeKind as K;
        use Impact::*;
        for ty in &new.types {
            let item = format!("type {}", ty.name);
            match old.type_named(&ty.name) {
                None => self.push(K::TypeAdded, &item, "added", Addition),
                Some(before) => self.type_def((old, new), &item, before, ty),
            }
        }
        for ty in &old.types {
            if new.type_named(&ty.name).is_none() {
                let item = format!("type {}", ty.name);
                self.push(K::TypeRemoved, &item, "removed", Breaking);
            }
        }
    }

    /// One type whose old form is `old`.
    fn type_def(&mut self, catalogues: Catalogues<'_>, item: &str, old: &TypeDef, new: &TypeDef) {
        use ChangeKind as K;
        use Impact::*;
        if type_without_positions(old) == type_without_positions(new) {
            return;
        }
        if old.doc != new.doc {
            self.push(K::TypeDoc, item, "doc changed", Patch);
        }
        match (&old.kind, &new.kind) {
            (TypeKind::Struct { fields: before }, TypeKind::Struct { fields: after }) => {
                self.fields(catalogues, item, &new.name, before, after)
            }
            (
                TypeKind::Enum {
                    repr: old_repr,
                    values: before,
                },
                TypeKind::Enum {
                    repr: new_repr,
                    values: after,
                },
            ) => {
                if old_repr != new_repr {
                    let detail = format!(
                        "enum {} -> {}: `Unknown` and the wire accessor change type",
                        old_repr, new_repr
                    );
                    self.push(K::TypeShape, item, detail, Breaking);
                    return;
                }
                self.values(item, &new.name, before, after);
            }
            (TypeKind::Id, TypeKind::Id) => {}
            (TypeKind::Union(before), TypeKind::Union(after)) => {
                self.union(item, &new.name, before, after)
            }
            (before, after) => {
                let detail = format!("{} -> {}", kind_text(before), kind_text(after));
                self.push(K::TypeShape, item, detail, Breaking)
            }
        }
    }

    /// The fields of a struct: added, changed, then removed ones.
    fn fields(
        &mut self,
        catalogues: Catalogues<'_>,
        item: &str,
        type_name: &str,
        old: &[Field],
        new: &[Field],
    ) {
        use ChangeKind as K;
        use Impact::*;
        let pairing = pair(old, new, |o, n| o.wire == n.wire, |o, n| o.rust == n.rust);
        for paired in pairing.pairs {
            let (before, field) = match paired {
                Pair::Kept { old, new } => (old, new),
                Pair::Rekeyed {
                    old: before,
                    new: field,
                } => {
                    let field_item = format!("{item}: field {}", field.wire);
                    let detail = format!(
                        "wire name `{}` -> `{}` (Rust name `{}` unchanged)",
                        before.wire, field.wire, field.rust
                    );
                    self.push(K::FieldWireName, &field_item, detail, Patch);
                    (before, field)
                }
                Pair::Added(field) => {
                    let field_item = format!("{item}: field {}", field.wire);
                    if field.required {
                        let built = if old.iter().any(|f| f.required) {
                            format!("`{type_name}::new` takes it")
                        } else {
                            format!("`{type_name}` no longer derives `Default`: `{type_name}::new` takes it")
                        };
                        let detail = format!(
                            "added ({}), required: {built}, and an answer without it no longer decodes",
                            field.ty
                        );
                        self.push(K::FieldAdded, &field_item, detail, Breaking);
                    } else {
                        let detail = format!(
                            "added ({}), optional: `{type_name}` is #[non_exhaustive], so no code that builds or reads it breaks",
                            field.ty
                        );
                        self.push(K::FieldAdded, &field_item, detail, Addition);
                    }
                    continue;
                }
            };
            let field_item = format!("{item}: field {}", field.wire);
            if before.ty != field.ty {
                let (detail, impact) = type_change(&before.ty, &field.ty);
                self.push(K::FieldType, &field_item, detail, impact);
            }
            if before.required != field.required {
                let detail = if field.required {
                    format!(
                        "optional -> required: Option<{}> -> {}, and a response without it no longer decodes",
                        field.ty, field.ty
                    )
                } else {
                    format!("required -> optional: {} -> Option<{}>", field.ty, field.ty)
                };
                self.push(K::FieldRequired, &field_item, detail, Breaking);
            }
            if before.rust != field.rust {
                let detail = format!("Rust name `{}` -> `{}`", before.rust, field.rust);
                self.push(K::FieldRustName, &field_item, detail, Breaking);
            }
            let (old_as, new_as) = (before.sent_as(catalogues.0), field.sent_as(catalogues.1));
            if before.ty == field.ty && old_as != new_as {
                let detail = format!("as: {old_as} -> {new_as}");
                self.push(K::FieldType, &field_item, detail, Patch);
            }
            if let Some(detail) = doc_change(
                (&before.doc, before.inferred, before.secret),
                (&field.doc, field.inferred, field.secret),
            ) {
                self.push(K::FieldDoc, &field_item, detail, Patch);
            }
        }
        for field in pairing.removed {
            let field_item = format!("{item}: field {}", field.wire);
            let detail = format!("removed (was {})", field.ty);
            self.push(K::FieldRemoved, &field_item, detail, Breaking);
        }
    }

    /// A union: its tag, its default, then its variants (added, changed, then removed ones).
    fn union(&mut self, item: &str, type_name: &str, old: &Union, new: &Union) {
        use ChangeKind as K;
        use Impact::*;
        let variant_of = |v: &UnionVariant| format!("{type_name}::{}", pascal_case(&v.name));
        if old.tag != new.tag {
            let detail = format!(
                "tag `{}` -> `{}`: the same variants, told apart by another key",
                old.tag, new.tag
            );
            self.push(K::UnionTag, item, detail, Patch);
        }
        // The default by the variant it names: a tag value changed with its variant's is no
        // change of the default.
        let default_of = |u: &Union| {
            u.default.as_ref().map(|tag_value| {
                u.variants
                    .iter()
                    .find(|v| &v.tag_value == tag_value)
                    .map_or_else(|| tag_value.clone(), variant_of)
            })
        };
        let (old_default, new_default) = (default_of(old), default_of(new));
        if old_default != new_default {
            let text = |d: &Option<String>| {
                d.as_ref()
                    .map_or("`Unknown`".to_string(), |v| format!("`{v}`"))
            };
            let detail = format!(
                "default {} -> {}: an object without `{}` now decodes as {}",
                text(&old_default),
                text(&new_default),
                new.tag,
                text(&new_default)
            );
            self.push(K::UnionTag, item, detail, Patch);
        }
        if old.by_member != new.by_member {
            let text = |u: &Union| {
                let members: Vec<String> = u
                    .by_member
                    .iter()
                    .map(|(member, tag_value)| format!("`{member}`: `{tag_value}`"))
                    .collect();
                format!("{{{}}}", members.join(", "))
            };
            let detail = format!(
                "by_member {} -> {}: an object without `{}` is told apart by these members",
                text(old),
                text(new),
                new.tag
            );
            self.push(K::UnionTag, item, detail, Patch);
        }
        let pairing = pair(
            &old.variants,
            &new.variants,
            |o, n| o.tag_value == n.tag_value,
            |o, n| o.name == n.name,
        );
        for paired in pairing.pairs {
            let (before, variant) = match paired {
                Pair::Kept { old, new } => (old, new),
                Pair::Rekeyed {
                    old: before,
                    new: variant,
                } => {
                    let variant_item = format!("{item}: variant {}", variant.tag_value);
                    let detail = format!(
                        "tag value `{}` -> `{}` (`{}` unchanged)",
                        before.tag_value,
                        variant.tag_value,
                        variant_of(variant)
                    );
                    self.push(K::UnionVariantWire, &variant_item, detail, Patch);
                    (before, variant)
                }
                Pair::Added(variant) => {
                    let variant_item = format!("{item}: variant {}", variant.tag_value);
                    let detail = format!(
                        "added (`{}`, holding {}): `{type_name}` is #[non_exhaustive], so every `match` on it has a `_` arm; such objects now decode as it instead of `Unknown`",
                        variant_of(variant),
                        variant.ty
                    );
                    self.push(K::UnionVariantAdded, &variant_item, detail, Addition);
                    continue;
                }
            };
            let variant_item = format!("{item}: variant {}", variant.tag_value);
            if before.name != variant.name {
                let detail = format!("`{}` -> `{}`", variant_of(before), variant_of(variant));
                self.push(K::UnionVariantRenamed, &variant_item, detail, Breaking);
            }
            if before.ty != variant.ty {
                let detail = format!(
                    "type {} -> {}: `{}` holds another struct",
                    before.ty,
                    variant.ty,
                    variant_of(variant)
                );
                self.push(K::UnionVariantType, &variant_item, detail, Breaking);
            }
            if before.doc != variant.doc {
                let detail = format!("variant `{}` doc changed", variant.tag_value);
                self.push(K::TypeDoc, item, detail, Patch);
            }
        }
        for variant in pairing.removed {
            let detail = format!(
                "removed (`{}`): objects tagged `{}` now decode as `Unknown`",
                variant_of(variant),
                variant.tag_value
            );
            self.push(
                K::UnionVariantRemoved,
                &format!("{item}: variant {}", variant.tag_value),
                detail,
                Breaking,
            );
        }
    }

    /// The values of an enum: added, changed, then removed ones.
    fn values(&mut self, item: &str, type_name: &str, old: &[EnumValue], new: &[EnumValue]) {
        use ChangeKind as K;
        use Impact::*;
        let pairing = pair(old, new, |o, n| o.value == n.value, |o, n| o.name == n.name);
        for paired in pairing.pairs {
            let (before, value) = match paired {
                Pair::Kept { old, new } => (old, new),
                Pair::Rekeyed {
                    old: before,
                    new: value,
                } => {
                    let value_item = format!("{item}: value {}", value.value);
                    let detail = format!(
                        "wire value {} -> {} (variant `{}` unchanged)",
                        before.value, value.value, value.name
                    );
                    self.push(K::EnumValueWire, &value_item, detail, Patch);
                    (before, value)
                }
                Pair::Added(value) => {
                    let value_item = format!("{item}: value {}", value.value);
                    let variant = pascal_case(&value.name);
                    let detail = format!(
                        "added (variant `{variant}`): `{type_name}` is #[non_exhaustive], so every `match` on it has a `_` arm; the value now decodes as `{variant}` instead of `Unknown`"
                    );
                    self.push(K::EnumValueAdded, &value_item, detail, Addition);
                    continue;
                }
            };
            let value_item = format!("{item}: value {}", value.value);
            if before.name != value.name {
                let detail = format!(
                    "variant `{}` -> `{}`",
                    pascal_case(&before.name),
                    pascal_case(&value.name)
                );
                self.push(K::EnumValueRenamed, &value_item, detail, Breaking);
            }
            if let Some(detail) = doc_change(
                (&before.doc, before.inferred, false),
                (&value.doc, value.inferred, false),
            ) {
                self.push(K::EnumValueDoc, &value_item, detail, Patch);
            }
        }
        for value in pairing.removed {
            let value_item = format!("{item}: value {}", value.value);
            let detail = format!(
                "removed (variant `{}`): the value now decodes as `Unknown`",
                pascal_case(&value.name)
            );
            self.push(K::EnumValueRemoved, &value_item, detail, Breaking);
        }
    }
}
