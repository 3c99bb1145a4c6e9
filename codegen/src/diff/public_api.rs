//! The comparison of the `public_api` header: added or removed with the `PublicClient`, its
//! docs, and what it says about the wire (base URL, auth header, error object).

use super::{ChangeKind, Differ, Impact};
use crate::model::*;

/// `at` and the type of an error object, or `none`.
fn error_text(error: &Option<ErrorObject>) -> String {
    error.as_ref().map_or_else(
        || "none".into(),
        |e| format!("at: {}, type: {}", e.at, e.ty),
    )
}

impl Differ {
    /// The `public_api` header.
    pub(super) fn public_api(&mut self, old: &Option<PublicApi>, new: &Option<PublicApi>) {
        use ChangeKind as K;
        use Impact::*;
        const ITEM: &str = "public_api";
        let (old, new) = match (old, new) {
            (None, None) => return,
            (None, Some(new)) => {
                let detail = format!(
                    "added ({}, base URL {}): `PublicClient` and its builder",
                    new.title, new.base_url
                );
                return self.push(K::PublicApi, ITEM, detail, Addition);
            }
            (Some(_), None) => {
                let detail = "removed: `PublicClient` and its builder are gone";
                return self.push(K::PublicApi, ITEM, detail, Breaking);
            }
            (Some(old), Some(new)) => (old, new),
        };
        if old.title != new.title {
            let detail = format!("title `{}` -> `{}`", old.title, new.title);
            self.push(K::PublicApi, ITEM, detail, Patch);
        }
        if old.source != new.source || old.doc != new.doc || old.auth_doc != new.auth_doc {
            self.push(K::PublicApi, ITEM, "source or docs changed", Patch);
        }
        if old.base_url != new.base_url {
            let detail = format!(
                "base_url {} -> {}: `PublicClient::DEFAULT_BASE_URL`, where calls go unless a \
                 base URL is set",
                old.base_url, new.base_url
            );
            self.push(K::PublicApiWire, ITEM, detail, Patch);
        }
        if old.auth_header != new.auth_header {
            let detail = format!(
                "auth header {} -> {}: the API token is sent in another header",
                old.auth_header, new.auth_header
            );
            self.push(K::PublicApiWire, ITEM, detail, Patch);
        }
        let error = |e: &Option<ErrorObject>| e.as_ref().map(|e| (e.at.clone(), e.ty.clone()));
        if error(&old.error) != error(&new.error) {
            let detail = format!(
                "error {{{}}} -> {{{}}}: which answers are read as errors",
                error_text(&old.error),
                error_text(&new.error)
            );
            self.push(K::PublicApiWire, ITEM, detail, Patch);
        }
    }
}
