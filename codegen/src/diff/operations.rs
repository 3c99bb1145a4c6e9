//! The comparison of operations: paired by name (or, renamed, by their API, discriminators or
//! REST route, and required params), then key by key.

use super::pairing::{pair, Pair};
use super::{Catalogues, ChangeKind, Differ, Impact};
use crate::emit::operation_without_positions;
use crate::model::*;
use crate::path_template::{PathTemplate, Segment};

/// The generated client an operation is a method of.
pub(super) fn client_of(op: &Operation) -> &'static str {
    match op.api {
        Api::Mobile => "Client",
        Api::Public => "PublicClient",
    }
}

/// How the server tells the operation apart: `op=..., op1=...`, or a REST operation's
/// `METHOD /path`.
fn route_text(op: &Operation) -> String {
    match &op.http {
        Some(http) => format!("{} {}", http.method, http.path),
        None => discriminators_text(&op.discriminators),
    }
}

/// What a server routes an operation by, whatever its params' names: its API, its
/// discriminators, and a REST operation's method and path shape (`/contacts/{}/tags`).
fn route_key(op: &Operation) -> (Api, &Discriminators, Option<(HttpMethod, String)>) {
    let http = op
        .http
        .as_ref()
        .map(|http| (http.method, path_shape(&http.path)));
    (op.api, &op.discriminators, http)
}

/// The shape of a path template (its text, when it does not parse: the catalogue was
/// validated, so it does).
fn path_shape(path: &str) -> String {
    PathTemplate::parse(path).map_or_else(|_| path.to_owned(), |t| t.shape())
}

/// The Rust names of a REST path's params, in the path's order.
fn path_rust_names(op: &Operation, path: &str) -> Vec<String> {
    let Ok(template) = PathTemplate::parse(path) else {
        return Vec::new();
    };
    template
        .segments
        .iter()
        .filter_map(|segment| match segment {
            Segment::Param(wire) => Some(
                op.params
                    .iter()
                    .find(|p| &p.wire == wire)
                    .map_or_else(|| wire.clone(), |p| p.rust.clone()),
            ),
            Segment::Literal(_) => None,
        })
        .collect()
}

/// How a REST route changed: `None` when it did not (for a user: a path param's new name is
/// the param's change, not the route's), else the change's impact.
fn route_change(old: &Operation, new: &Operation) -> Option<Impact> {
    let (Some(before), Some(after)) = (&old.http, &new.http) else {
        return None;
    };
    if before.method != after.method || path_shape(&before.path) != path_shape(&after.path) {
        return Some(Impact::Breaking);
    }
    let (old_names, new_names) = (
        path_rust_names(old, &before.path),
        path_rust_names(new, &after.path),
    );
    let mut sorted = (old_names.clone(), new_names.clone());
    sorted.0.sort();
    sorted.1.sort();
    if old_names != new_names && sorted.0 == sorted.1 {
        // The same params in other places: each value goes into another segment.
        return Some(Impact::Breaking);
    }
    let trailing = |path: &str| path.len() > 1 && path.ends_with('/');
    // The same route, written with or without a trailing `/`.
    (trailing(&before.path) != trailing(&after.path)).then_some(Impact::Patch)
}

/// `op=..., op1=...`.
fn discriminators_text(d: &[(String, String)]) -> String {
    d.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A response type, or `none`.
fn response_text(r: &Option<TypeRef>) -> String {
    r.as_ref()
        .map_or_else(|| "none".to_string(), |t| t.to_string())
}

/// Paging's keys and limits, or `none`.
fn paging_text(p: &Option<Paging>) -> String {
    match p {
        None => "none".into(),
        Some(p) if p.first_page_only.is_empty() => format!(
            "offset={}, limit={}, default_limit={}, max_limit={}",
            p.offset, p.limit, p.default_limit, p.max_limit
        ),
        Some(p) => format!(
            "offset={}, limit={}, default_limit={}, max_limit={}, first_page_only=[{}]",
            p.offset,
            p.limit,
            p.default_limit,
            p.max_limit,
            p.first_page_only.join(", ")
        ),
    }
}

impl Differ {
    /// Every operation: renamed, added, changed, then removed ones.
    pub(super) fn operations(&mut self, old: &Catalogue, new: &Catalogue) {
        let pairing = pair(
            &old.operations,
            &new.operations,
            |o, n| o.name == n.name,
            |o, n| route_key(o) == route_key(n) && o.required_paths() == n.required_paths(),
        );
        for paired in pairing.pairs {
            match paired {
                Pair::Kept {
                    old: before,
                    new: op,
                } => {
                    let item = format!("operation {}", op.name);
                    self.operation((old, new), &item, before, op);
                }
                Pair::Rekeyed {
                    old: before,
                    new: op,
                } => {
                    let item = format!("operation {}", op.name);
                    let detail = format!(
                        "renamed from `{}`: the method `{}::{}` is now `{}::{}`",
                        before.name,
                        client_of(before),
                        before.name,
                        client_of(op),
                        op.name
                    );
                    self.push(
                        ChangeKind::OperationRenamed,
                        &item,
                        detail,
                        Impact::Breaking,
                    );
                    self.operation((old, new), &item, before, op);
                }
                Pair::Added(op) => {
                    let item = format!("operation {}", op.name);
                    let detail = format!("added ({})", route_text(op));
                    self.push(ChangeKind::OperationAdded, &item, detail, Impact::Addition);
                }
            }
        }
        for op in pairing.removed {
            let item = format!("operation {}", op.name);
            self.push(
                ChangeKind::OperationRemoved,
                &item,
                "removed",
                Impact::Breaking,
            );
        }
    }

    /// One operation whose old form is `old`: each of its keys, its params included.
    fn operation(
        &mut self,
        catalogues: Catalogues<'_>,
        item: &str,
        old: &Operation,
        new: &Operation,
    ) {
        use ChangeKind as K;
        use Impact::*;
        let mut old_cmp = operation_without_positions(old);
        old_cmp.name = new.name.clone();
        if old_cmp == operation_without_positions(new) {
            return;
        }
        if old.title != new.title {
            let detail = format!("title `{}` -> `{}`", old.title, new.title);
            self.push(K::Title, item, detail, Patch);
        }
        if old.summary != new.summary {
            self.push(K::Summary, item, "summary changed", Patch);
        }
        if old.area != new.area {
            self.push(K::Summary, item, "area changed", Patch);
        }
        if old.provenance != new.provenance {
            let detail = format!("provenance {} -> {}", old.provenance, new.provenance);
            self.push(K::Provenance, item, detail, Patch);
        }
        if old.api != new.api {
            let detail = format!(
                "api {} -> {}: the method `{}::{}` is now `{}::{}`, and the call goes to \
                 the other API ({} -> {})",
                old.api,
                new.api,
                client_of(old),
                old.name,
                client_of(new),
                new.name,
                route_text(old),
                route_text(new)
            );
            self.push(K::OperationApi, item, detail, Breaking);
        } else if let Some(impact) = route_change(old, new) {
            let mut detail = format!("{} -> {}", route_text(old), route_text(new));
            detail.push_str(match impact {
                Breaking => ": the call reaches another route",
                _ => ": the same route, a trailing `/` added or removed",
            });
            self.push(K::Http, item, detail, impact);
        }
        let statuses = |o: &Operation| {
            o.http_errors
                .iter()
                .map(|e| (e.status, e.doc.clone()))
                .collect::<Vec<_>>()
        };
        if statuses(old) != statuses(new) {
            let list = |o: &Operation| {
                let codes: Vec<String> =
                    o.http_errors.iter().map(|e| e.status.to_string()).collect();
                format!("[{}]", codes.join(", "))
            };
            let detail = format!("http_errors {} -> {} (docs)", list(old), list(new));
            self.push(K::HttpErrors, item, detail, Patch);
        }
        // The keys of the mobile API's wire style: an operation that moved to the other API
        // changes them all (the move says it), and a REST operation's are fixed but for
        // `body`, which its params' `in` decide (their change says it).
        let mobile_keys = old.api == new.api && new.api == Api::Mobile;
        if mobile_keys && old.discriminators != new.discriminators {
            let detail = format!(
                "discriminators {} -> {}: the call reaches another server operation",
                discriminators_text(&old.discriminators),
                discriminators_text(&new.discriminators)
            );
            self.push(K::Discriminators, item, detail, Breaking);
        }
        if mobile_keys && old.auth != new.auth {
            let detail = format!(
                "auth {} -> {}: the session token is {} sent",
                old.auth,
                new.auth,
                if new.auth == Auth::Token {
                    "now"
                } else {
                    "no longer"
                }
            );
            self.push(K::Auth, item, detail, Breaking);
        }
        if mobile_keys && old.scope != new.scope {
            let detail =
                format!(
                "scope {} -> {}: `account_id` is {} sent, and the builder's `account_id` method {}",
                old.scope,
                new.scope,
                if new.scope == Scope::Account { "now" } else { "no longer" },
                if new.scope == Scope::Account { "appears" } else { "is gone" },
            );
            self.push(K::Scope, item, detail, Breaking);
        }
        if mobile_keys && old.session != new.session {
            let text = |s: Option<SessionEffect>| s.map_or("none", Spelled::spelling);
            let detail = format!(
                "session {} -> {}: what the call does to the client's token changes",
                text(old.session),
                text(new.session)
            );
            self.push(K::Session, item, detail, Breaking);
        }
        if mobile_keys && old.body != new.body {
            let detail = format!("body {} -> {}", old.body, new.body);
            self.push(K::Body, item, detail, Patch);
        }
        if old.kind != new.kind {
            let detail = format!(
                "kind {} -> {}: the retry policy changes",
                old.kind, new.kind
            );
            self.push(K::Kind, item, detail, Patch);
        }
        if old.idempotent != new.idempotent {
            let detail = format!(
                "idempotent {} -> {}: the retry policy changes",
                old.idempotent, new.idempotent
            );
            self.push(K::Idempotent, item, detail, Patch);
        }
        self.params(catalogues, item, old, new);
        if old.response != new.response {
            let detail = format!(
                "response {} -> {}: the call's output type changes",
                response_text(&old.response),
                response_text(&new.response)
            );
            self.push(K::Response, item, detail, Breaking);
        }
        if old.paging.as_ref().map(|p| {
            (
                &p.offset,
                &p.limit,
                p.default_limit,
                p.max_limit,
                &p.first_page_only,
            )
        }) != new.paging.as_ref().map(|p| {
            (
                &p.offset,
                &p.limit,
                p.default_limit,
                p.max_limit,
                &p.first_page_only,
            )
        }) {
            let impact = match (&old.paging, &new.paging) {
                (None, Some(_)) => Addition,
                (Some(_), None) => Breaking,
                _ => Patch,
            };
            let mut detail = format!(
                "paging {} -> {}",
                paging_text(&old.paging),
                paging_text(&new.paging)
            );
            match impact {
                Addition => detail.push_str(": the builder gains `pages`, `items` and `page_size`"),
                Breaking => detail.push_str(": the builder loses `pages`, `items` and `page_size`"),
                Patch => {}
            }
            self.push(K::Paging, item, detail, impact);
        }
        let examples = |o: &Operation| {
            o.examples
                .iter()
                .map(|e| {
                    (
                        e.name.clone(),
                        e.headers.clone(),
                        e.request.clone(),
                        e.response.clone(),
                        e.renamed.clone(),
                        e.note.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        if examples(old) != examples(new) {
            let detail = format!(
                "examples changed ({} -> {})",
                old.examples.len(),
                new.examples.len()
            );
            self.push(K::Example, item, detail, Patch);
        }
        let constants = |o: &Operation| {
            o.constants
                .iter()
                .map(|c| format!("{}: {}", c.path, c.value))
                .collect::<Vec<_>>()
        };
        if mobile_keys && constants(old) != constants(new) {
            let detail = format!(
                "constants {{{}}} -> {{{}}}",
                constants(old).join(", "),
                constants(new).join(", ")
            );
            self.push(K::Constants, item, detail, Patch);
        }
        if mobile_keys && old.response_in != new.response_in {
            let detail = format!("response_in {} -> {}", old.response_in, new.response_in);
            self.push(K::ResponseIn, item, detail, Patch);
        }
        if mobile_keys && old.account_as != new.account_as {
            let detail = format!("account_as {} -> {}", old.account_as, new.account_as);
            self.push(K::AccountAs, item, detail, Patch);
        }
        if old.inferred != new.inferred {
            self.push(K::Inferred, item, "what is inferred changed", Patch);
        }
    }
}
