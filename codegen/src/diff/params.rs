//! The comparison of an operation's params: paired by wire name (or, with a new wire name, by
//! Rust name), then key by key.

use super::pairing::{pair, Pair};
use super::{doc_change, type_change, yes_no, Catalogues, ChangeKind, Differ, Impact};
use crate::model::*;

/// A default's JSON, or `(not sent)`.
fn json_text(value: &Option<serde_json::Value>) -> String {
    value
        .as_ref()
        .map_or_else(|| "(not sent)".to_string(), |v| v.to_string())
}

impl Differ {
    /// The params of an operation whose old form is `old`: added, changed, then removed ones.
    pub(super) fn params(
        &mut self,
        catalogues: Catalogues<'_>,
        item: &str,
        old: &Operation,
        new: &Operation,
    ) {
        use ChangeKind as K;
        use Impact::*;
        // A header and a body param may share a wire name.
        let key = |p: &Param| (p.location == Location::Header, p.wire.clone());
        let pairing = pair(
            &old.params,
            &new.params,
            |o, n| key(o) == key(n),
            |o, n| o.rust == n.rust,
        );
        for paired in pairing.pairs {
            let (before, param) = match paired {
                Pair::Kept { old, new } => (old, new),
                Pair::Rekeyed {
                    old: before,
                    new: param,
                } => {
                    let detail = format!(
                        "wire name `{}` -> `{}` (Rust name `{}` unchanged)",
                        before.wire, param.wire, param.rust
                    );
                    let param_item = format!("{item}: param {}", param.wire);
                    self.push(K::ParamWireName, &param_item, detail, Patch);
                    (before, param)
                }
                Pair::Added(param) => {
                    let param_item = format!("{item}: param {}", param.wire);
                    if param.required {
                        let detail = format!(
                            "added, required ({}): `{}::{}` takes a new argument",
                            param.ty,
                            super::operations::client_of(new),
                            new.name
                        );
                        self.push(K::ParamAdded, &param_item, detail, Breaking);
                    } else {
                        let detail = format!(
                            "added, optional ({}): a new setter `{}`",
                            param.ty, param.rust
                        );
                        self.push(K::ParamAdded, &param_item, detail, Addition);
                    }
                    continue;
                }
            };
            let param_item = format!("{item}: param {}", param.wire);
            self.param(catalogues, &param_item, before, param);
        }
        for param in pairing.removed {
            let param_item = format!("{item}: param {}", param.wire);
            let detail = format!(
                "removed (was {}, {})",
                param.ty,
                yes_no(param.required, "required", "optional")
            );
            self.push(K::ParamRemoved, &param_item, detail, Breaking);
        }
    }

    /// One param whose old form is `old`.
    fn param(&mut self, catalogues: Catalogues<'_>, item: &str, old: &Param, new: &Param) {
        use ChangeKind as K;
        use Impact::*;
        if old.ty != new.ty {
            let (detail, impact) = type_change(&old.ty, &new.ty);
            self.push(K::ParamType, item, detail, impact);
        }
        if old.required != new.required {
            let detail = if new.required {
                "optional -> required: it becomes an argument of the method"
            } else {
                "required -> optional: it becomes a setter instead of an argument"
            };
            self.push(K::ParamRequired, item, detail, Breaking);
        }
        if old.rust != new.rust {
            let detail = format!("Rust name `{}` -> `{}`", old.rust, new.rust);
            self.push(K::ParamRustName, item, detail, Breaking);
        }
        if old.location != new.location {
            let detail = format!("in: {} -> {}", old.location, new.location);
            self.push(K::ParamLocation, item, detail, Patch);
        }
        if old.default != new.default {
            let detail = format!(
                "default {} -> {}",
                json_text(&old.default),
                json_text(&new.default)
            );
            self.push(K::ParamDefault, item, detail, Patch);
        }
        // The JSON form actually sent: `as` written out where it is the default (`as: number`
        // on an id) changes nothing, and a new type is reported as such, not also here.
        let (old_as, new_as) = (old.sent_as(catalogues.0), new.sent_as(catalogues.1));
        if old.ty == new.ty && old_as != new_as {
            let detail = format!("as: {old_as} -> {new_as}");
            self.push(K::ParamWireAs, item, detail, Patch);
        }
        if let Some(detail) = doc_change(
            (&old.doc, old.inferred, old.secret),
            (&new.doc, new.inferred, new.secret),
        ) {
            self.push(K::ParamDoc, item, detail, Patch);
        }
    }
}
