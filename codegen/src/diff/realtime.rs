//! The comparison of the realtime section, as a whole: its doc alone is a patch, anything
//! else is counted as breaking.

use super::{ChangeKind, Differ, Impact};
use crate::model::*;

impl Differ {
    /// The realtime section, as a whole: its items are not matched one by one.
    pub(super) fn realtime(&mut self, old: &Catalogue, new: &Catalogue) {
        let (before, after) = (
            crate::emit::without_positions(old).realtime,
            crate::emit::without_positions(new).realtime,
        );
        let (detail, impact) = match (&before, &after) {
            (before, after) if before == after => return,
            (None, Some(_)) => (
                "added: the `realtime` module and `Client::realtime`",
                Impact::Addition,
            ),
            (Some(_), None) => (
                "removed: the `realtime` module and `Client::realtime` are gone",
                Impact::Breaking,
            ),
            (Some(b), Some(a)) if Realtime { doc: a.doc.clone(), ..b.clone() } == *a => {
                ("doc changed", Impact::Patch)
            }
            _ => (
                "changed: not classified further, so counted as breaking; review the `realtime` module of `chatrace-codegen expand`",
                Impact::Breaking,
            ),
        };
        self.push(ChangeKind::Realtime, "realtime", detail, impact);
    }
}
