//! What changed between two catalogues, and what each change means for a Rust user of the
//! generated crate: breaking (their code may stop compiling, or a call now does something
//! else), a compatible addition, or a compatible patch (docs, or a change of the wire form the
//! Rust API does not show). `chatrace-codegen diff OLD NEW` prints it; docs/regenerating.md has
//! the table.
//!
//! Matching: operations by `name` (a removed name and an added name of the same API with the
//! same discriminators, or the same REST method and path, and the same required params are a
//! rename); params by wire name (a removed and an added param with the same Rust name are a
//! wire-name change); types by name; fields by wire name (paired by Rust name the same way);
//! enum values by wire value and union variants by tag value (paired by name).
//!
//! The parts: `change` (the change model and the report), `pairing` (old and new items paired
//! by key, then by likeness), and the comparisons: `public_api`, `operations` (with their REST
//! routes), `params`, `types`, `realtime`.

mod change;
mod operations;
mod pairing;
mod params;
mod public_api;
mod realtime;
mod types;

pub use change::{Bump, Change, ChangeKind, Diff, Impact};

use crate::model::*;

/// The changes from `old` to `new`.
pub fn diff(old: &Catalogue, new: &Catalogue) -> Diff {
    let mut d = Differ {
        changes: Vec::new(),
    };
    d.api(&old.api, &new.api);
    d.public_api(&old.public_api, &new.public_api);
    d.operations(old, new);
    d.types(old, new);
    d.realtime(old, new);
    Diff { changes: d.changes }
}

/// The old and the new catalogue, which say how a param of a named type is sent.
type Catalogues<'a> = (&'a Catalogue, &'a Catalogue);

/// The changes found so far, in the report's order.
struct Differ {
    changes: Vec<Change>,
}

/// `yes` or `no`, by `flag`.
fn yes_no(flag: bool, yes: &str, no: &str) -> String {
    if flag { yes } else { no }.to_string()
}

/// A type change: breaking, unless only `encoded<..>` was added or removed, which keeps the
/// Rust type and changes the JSON form (a patch).
fn type_change(old: &TypeRef, new: &TypeRef) -> (String, Impact) {
    fn rust_shape(ty: &TypeRef) -> TypeRef {
        match ty {
            TypeRef::Encoded(inner) => rust_shape(inner),
            TypeRef::List(inner) => TypeRef::List(Box::new(rust_shape(inner))),
            other => other.clone(),
        }
    }
    let detail = format!("type {old} -> {new}");
    if rust_shape(old) == rust_shape(new) {
        let detail = format!("{detail}: the Rust type is the same, the JSON form changes");
        (detail, Impact::Patch)
    } else {
        (detail, Impact::Breaking)
    }
}

/// What changed in a member's docs: its `doc`, and its `inferred` and `secret` marks (rustdoc
/// and `Debug`); `None` when nothing did.
fn doc_change(
    old: (&Option<String>, bool, bool),
    new: (&Option<String>, bool, bool),
) -> Option<String> {
    let mut parts = Vec::new();
    if old.0 != new.0 {
        parts.push("doc changed".to_string());
    }
    if old.1 != new.1 {
        parts.push(format!("inferred {} -> {}", old.1, new.1));
    }
    if old.2 != new.2 {
        parts.push(format!("secret {} -> {}", old.2, new.2));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

impl Differ {
    /// Records one change.
    fn push(&mut self, kind: ChangeKind, item: &str, detail: impl Into<String>, impact: Impact) {
        self.changes.push(Change {
            kind,
            item: item.to_string(),
            detail: detail.into(),
            impact,
        });
    }

    /// The `api` header: title, source, doc.
    fn api(&mut self, old: &ApiInfo, new: &ApiInfo) {
        if old.title != new.title {
            let detail = format!("title `{}` -> `{}`", old.title, new.title);
            self.push(ChangeKind::Api, "api", detail, Impact::Patch);
        }
        if old.source != new.source || old.doc != new.doc {
            self.push(
                ChangeKind::Api,
                "api",
                "source or doc changed",
                Impact::Patch,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_cargo_semver() {
        assert_eq!(Bump::Major.next_version("0.1.0").unwrap(), "0.2.0");
        assert_eq!(Bump::Minor.next_version("0.1.0").unwrap(), "0.1.1");
        assert_eq!(Bump::Patch.next_version("0.1.3").unwrap(), "0.1.4");
        assert_eq!(Bump::Major.next_version("1.4.2").unwrap(), "2.0.0");
        assert_eq!(Bump::Minor.next_version("1.4.2").unwrap(), "1.5.0");
        assert_eq!(Bump::Patch.next_version("1.4.2").unwrap(), "1.4.3");
        assert_eq!(Bump::Major.next_version("0.0.3").unwrap(), "0.0.4");
        assert_eq!(Bump::None.next_version("0.1.0").unwrap(), "0.1.0");
        assert_eq!(Bump::Major.next_version("1.0"), None);
        assert_eq!(Bump::Major.next_version("1.0.0-rc.1"), None);
    }
}
