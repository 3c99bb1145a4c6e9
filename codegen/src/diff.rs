//! What changed between two catalogues, and what each change means for a Rust user of the
//! generated crate: breaking (their code may stop compiling, or a call now does something
//! else), a compatible addition, or a compatible patch (docs, or a change of the wire form the
//! Rust API does not show). `chatrace-codegen diff OLD NEW` prints it; docs/regenerating.md has
//! the table.
//!
//! Matching: operations by `name` (a removed name and an added name with the same
//! discriminators and required params are a rename); params by wire name (a removed and an
//! added param with the same Rust name are a wire-name change); types by name; fields by wire
//! name (paired by Rust name the same way); enum values by wire value and union variants by tag
//! value (paired by name).

use crate::emit::{operation_without_positions, type_without_positions};
use crate::model::*;
use std::fmt;

/// How a change affects a user of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Docs, or a wire form the Rust API does not show: a patch release.
    Patch,
    /// Something new that no existing code can notice: a minor release.
    Addition,
    /// Existing code may stop compiling or behave differently: a major release.
    Breaking,
}

/// The semver bump a set of changes implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Only patches.
    Patch,
    /// Additions, nothing breaking.
    Minor,
    /// At least one breaking change.
    Major,
}

impl Bump {
    /// `none`, `patch`, `minor` or `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// The version after `current` (`MAJOR.MINOR.PATCH`) under Cargo's semver rules: in a
    /// `0.x` crate a breaking change bumps the minor number and an addition the patch number;
    /// in a `0.0.x` crate every change bumps the patch number. `None` when `current` is not a
    /// plain version.
    pub fn next_version(self, current: &str) -> Option<String> {
        let parts: Vec<u64> = current
            .trim()
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let [major, minor, patch] = parts[..] else {
            return None;
        };
        let next = match (self, major, minor) {
            (Bump::None, ..) => (major, minor, patch),
            (_, 0, 0) => (0, 0, patch + 1),
            (Bump::Major, 0, _) => (0, minor + 1, 0),
            (_, 0, _) => (0, minor, patch + 1),
            (Bump::Major, ..) => (major + 1, 0, 0),
            (Bump::Minor, ..) => (major, minor + 1, 0),
            (Bump::Patch, ..) => (major, minor, patch + 1),
        };
        Some(format!("{}.{}.{}", next.0, next.1, next.2))
    }
}

impl Impact {
    /// The bump this one change implies.
    pub fn bump(self) -> Bump {
        match self {
            Impact::Patch => Bump::Patch,
            Impact::Addition => Bump::Minor,
            Impact::Breaking => Bump::Major,
        }
    }
}

/// What kind of change it is; its name (`param_added`...) is what `--format json` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// The `api` header's title, source or doc (patch).
    Api,
    /// A new operation: a new `Client` method (minor).
    OperationAdded,
    /// An operation is gone, and its method with it (breaking).
    OperationRemoved,
    /// Same discriminators and required params under a new name: the method is renamed (breaking).
    OperationRenamed,
    /// The vendor's title (patch: docs).
    Title,
    /// The summary (patch: docs).
    Summary,
    /// `collection` <-> `inferred` (patch: docs).
    Provenance,
    /// `read` <-> `write`: the retry policy (patch).
    Kind,
    /// `idempotent`: the retry policy (patch).
    Idempotent,
    /// The `op`... values: the call reaches another server operation (breaking).
    Discriminators,
    /// Whether the session token is sent (breaking).
    Auth,
    /// Whether `account_id` is sent, and the builder's `account_id` method (breaking).
    Scope,
    /// What the call does to the client's session token (breaking).
    Session,
    /// JSON <-> multipart body (patch: wire change).
    Body,
    /// The keys always sent with a fixed value (patch: wire change).
    Constants,
    /// Where the answer is read: `data` or the whole envelope (patch: wire change).
    ResponseIn,
    /// The JSON form of `account_id` (patch: wire change).
    AccountAs,
    /// What the operation still infers (patch: docs).
    Inferred,
    /// A new param: breaking when required (a new method argument), minor when optional (a new setter).
    ParamAdded,
    /// A param is gone (breaking).
    ParamRemoved,
    /// A param's type (breaking; a patch when only `encoded<..>` changes, the Rust type staying).
    ParamType,
    /// Required <-> optional: argument <-> setter (breaking).
    ParamRequired,
    /// A param's Rust name (breaking).
    ParamRustName,
    /// A param's wire name, its Rust name unchanged (patch: wire change).
    ParamWireName,
    /// A param's `in` (patch: wire change).
    ParamLocation,
    /// A param's `as` (patch: wire change).
    ParamWireAs,
    /// What an unset param sends (patch: wire change).
    ParamDefault,
    /// A param's doc, or its `inferred` or `secret` mark (patch).
    ParamDoc,
    /// The response type, added or removed included (breaking).
    Response,
    /// Paging: added (minor), removed (breaking) or retuned (patch).
    Paging,
    /// The vendor's examples (patch).
    Example,
    /// A new shared type (minor).
    TypeAdded,
    /// A shared type is gone (breaking).
    TypeRemoved,
    /// Struct <-> enum <-> id <-> union, or an enum's `integer` <-> `string` (breaking).
    TypeShape,
    /// A type's doc, or the doc of a union's variant (patch).
    TypeDoc,
    /// A new struct field: minor when optional (generated structs are `#[non_exhaustive]` and
    /// built with `new`/`default` and field assignments), breaking when required (`new` takes it,
    /// and an answer without it no longer decodes).
    FieldAdded,
    /// A struct field is gone (breaking).
    FieldRemoved,
    /// A field's type (breaking; a patch when only `encoded<..>` changes, the Rust type staying).
    FieldType,
    /// Required <-> optional: `T` <-> `Option<T>` (breaking).
    FieldRequired,
    /// A field's Rust name (breaking).
    FieldRustName,
    /// A field's wire name, its Rust name unchanged (patch: wire change).
    FieldWireName,
    /// A field's doc, or its `inferred` or `secret` mark (patch).
    FieldDoc,
    /// A new enum value: minor (generated enums are `#[non_exhaustive]`, so every `match` has a
    /// `_` arm); the value decodes as its variant instead of `Unknown`.
    EnumValueAdded,
    /// An enum value is gone (breaking).
    EnumValueRemoved,
    /// An enum value's variant name (breaking).
    EnumValueRenamed,
    /// An enum variant's wire value (patch: wire change).
    EnumValueWire,
    /// An enum value's doc, or its `inferred` mark (patch).
    EnumValueDoc,
    /// A union's tag key, or the variant of an object without the tag (patch: wire change).
    UnionTag,
    /// A new union variant: minor (generated unions are `#[non_exhaustive]`, so every `match`
    /// has a `_` arm); objects with its tag decode as it instead of `Unknown`.
    UnionVariantAdded,
    /// A union variant is gone (breaking).
    UnionVariantRemoved,
    /// A union variant's Rust name (breaking).
    UnionVariantRenamed,
    /// The struct a union variant holds (breaking).
    UnionVariantType,
    /// A union variant's tag value, its Rust name unchanged (patch: wire change).
    UnionVariantWire,
    /// The `realtime` section: added (minor), its doc (patch), anything else (breaking: not
    /// classified further).
    Realtime,
}

impl ChangeKind {
    /// The snake_case name of the kind.
    pub fn as_str(self) -> &'static str {
        use ChangeKind::*;
        match self {
            Api => "api",
            OperationAdded => "operation_added",
            OperationRemoved => "operation_removed",
            OperationRenamed => "operation_renamed",
            Title => "title",
            Summary => "summary",
            Provenance => "provenance",
            Kind => "kind",
            Idempotent => "idempotent",
            Discriminators => "discriminators",
            Auth => "auth",
            Scope => "scope",
            Session => "session",
            Body => "body",
            Constants => "constants",
            ResponseIn => "response_in",
            AccountAs => "account_as",
            Inferred => "inferred",
            ParamAdded => "param_added",
            ParamRemoved => "param_removed",
            ParamType => "param_type",
            ParamRequired => "param_required",
            ParamRustName => "param_rust_name",
            ParamWireName => "param_wire_name",
            ParamLocation => "param_location",
            ParamWireAs => "param_wire_as",
            ParamDefault => "param_default",
            ParamDoc => "param_doc",
            Response => "response",
            Paging => "paging",
            Example => "example",
            TypeAdded => "type_added",
            TypeRemoved => "type_removed",
            TypeShape => "type_shape",
            TypeDoc => "type_doc",
            FieldAdded => "field_added",
            FieldRemoved => "field_removed",
            FieldType => "field_type",
            FieldRequired => "field_required",
            FieldRustName => "field_rust_name",
            FieldWireName => "field_wire_name",
            FieldDoc => "field_doc",
            EnumValueAdded => "enum_value_added",
            EnumValueRemoved => "enum_value_removed",
            EnumValueRenamed => "enum_value_renamed",
            EnumValueWire => "enum_value_wire",
            EnumValueDoc => "enum_value_doc",
            UnionTag => "union_tag",
            UnionVariantAdded => "union_variant_added",
            UnionVariantRemoved => "union_variant_removed",
            UnionVariantRenamed => "union_variant_renamed",
            UnionVariantType => "union_variant_type",
            UnionVariantWire => "union_variant_wire",
            Realtime => "realtime",
        }
    }

    /// Whether a change of this kind alters what is sent or read on the wire while the Rust
    /// API stays the same.
    pub fn is_wire_only(self) -> bool {
        use ChangeKind::*;
        matches!(
            self,
            ParamWireName
                | ParamLocation
                | ParamWireAs
                | ParamDefault
                | Body
                | Constants
                | ResponseIn
                | AccountAs
                | FieldWireName
                | EnumValueWire
                | UnionTag
                | UnionVariantWire
        )
    }
}

/// One change between two catalogues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What kind of change.
    pub kind: ChangeKind,
    /// The item changed: `operation get_order`, `operation get_order: param id`,
    /// `type Order: field total`, `type OrderStatus: value 4`.
    pub item: String,
    /// What changed, old -> new.
    pub detail: String,
    /// What it means for a user of the generated crate.
    pub impact: Impact,
}

impl Change {
    /// Whether the change breaks users.
    pub fn is_breaking(&self) -> bool {
        self.impact == Impact::Breaking
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = if self.is_breaking() {
            "BREAKING"
        } else {
            "compatible"
        };
        let wire = if self.kind.is_wire_only() {
            " (wire change)"
        } else {
            ""
        };
        write!(
            f,
            "{label:<10}  {}: {}{wire} [{}]",
            self.item,
            self.detail,
            self.impact.bump().as_str()
        )
    }
}

/// Every change between two catalogues.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// The changes: API header, then operations, then types, each in the new file's order, then
    /// the realtime section.
    pub changes: Vec<Change>,
}

impl Diff {
    /// Whether any change breaks users.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(Change::is_breaking)
    }

    /// The semver bump the changes imply.
    pub fn bump(&self) -> Bump {
        self.changes
            .iter()
            .map(|c| c.impact.bump())
            .max()
            .unwrap_or(Bump::None)
    }

    /// The report as text: one line per change, then a summary with the implied bump from
    /// `version` (the crate's current version).
    pub fn to_text(&self, version: &str) -> String {
        let mut out = String::new();
        for change in &self.changes {
            out.push_str(&change.to_string());
            out.push('\n');
        }
        let breaking = self.changes.iter().filter(|c| c.is_breaking()).count();
        let bump = self.bump();
        if self.changes.is_empty() {
            out.push_str("no changes; implied bump: none\n");
            return out;
        }
        out.push_str(&format!(
            "{} change(s): {breaking} breaking, {} compatible; implied bump: {}",
            self.changes.len(),
            self.changes.len() - breaking,
            bump.as_str()
        ));
        if let Some(next) = bump.next_version(version) {
            out.push_str(&format!(" ({version} -> {next}"));
            if version.starts_with("0.") && bump == Bump::Major {
                out.push_str(": a 0.x crate bumps its minor number on a breaking change");
            }
            out.push(')');
        }
        out.push('\n');
        out
    }

    /// The report as JSON: `changes` (each with `kind`, `item`, `detail`, `breaking`, `bump`,
    /// `wire`), `breaking`, `bump`, and the versions before and after.
    pub fn to_json(&self, version: &str) -> serde_json::Value {
        let changes: Vec<serde_json::Value> = self
            .changes
            .iter()
            .map(|c| {
                serde_json::json!({
                    "kind": c.kind.as_str(),
                    "item": c.item,
                    "detail": c.detail,
                    "breaking": c.is_breaking(),
                    "bump": c.impact.bump().as_str(),
                    "wire": c.kind.is_wire_only(),
                })
            })
            .collect();
        let bump = self.bump();
        serde_json::json!({
            "changes": changes,
            "breaking": self.is_breaking(),
            "bump": bump.as_str(),
            "version": version,
            "next_version": bump.next_version(version),
        })
    }
}

/// The changes from `old` to `new`.
pub fn diff(old: &Catalogue, new: &Catalogue) -> Diff {
    let mut d = Differ {
        changes: Vec::new(),
    };
    d.api(&old.api, &new.api);
    d.operations(old, new);
    d.types(old, new);
    d.realtime(old, new);
    Diff { changes: d.changes }
}

/// The old and the new catalogue, which say how a param of a named type is sent.
type Catalogues<'a> = (&'a Catalogue, &'a Catalogue);

struct Differ {
    changes: Vec<Change>,
}

fn yes_no(flag: bool, yes: &str, no: &str) -> String {
    if flag { yes } else { no }.to_string()
}

fn discriminators_text(d: &[(String, String)]) -> String {
    d.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn json_text(value: &Option<serde_json::Value>) -> String {
    value
        .as_ref()
        .map_or_else(|| "(not sent)".to_string(), |v| v.to_string())
}

fn kind_text(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "struct",
        TypeKind::Enum { .. } => "enum",
        TypeKind::Id => "id",
        TypeKind::Union(_) => "union",
    }
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

fn response_text(r: &Option<TypeRef>) -> String {
    r.as_ref()
        .map_or_else(|| "none".to_string(), |t| t.to_string())
}

fn paging_text(p: &Option<Paging>) -> String {
    match p {
        None => "none".into(),
        Some(p) => format!(
            "offset={}, limit={}, default_limit={}, max_limit={}",
            p.offset, p.limit, p.default_limit, p.max_limit
        ),
    }
}

impl Differ {
    fn push(&mut self, kind: ChangeKind, item: &str, detail: impl Into<String>, impact: Impact) {
        self.changes.push(Change {
            kind,
            item: item.to_string(),
            detail: detail.into(),
            impact,
        });
    }

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

    /// The realtime section, as a whole: its items are not matched one by one.
    fn realtime(&mut self, old: &Catalogue, new: &Catalogue) {
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

    fn operations(&mut self, old: &Catalogue, new: &Catalogue) {
        let mut removed: Vec<&Operation> = old
            .operations
            .iter()
            .filter(|o| new.operation_named(&o.name).is_none())
            .collect();
        for op in &new.operations {
            let item = format!("operation {}", op.name);
            if let Some(before) = old.operation_named(&op.name) {
                self.operation((old, new), &item, before, op);
                continue;
            }
            let renamed_from = removed.iter().position(|r| {
                r.discriminators == op.discriminators && r.required_paths() == op.required_paths()
            });
            match renamed_from {
                Some(i) => {
                    let before = removed.remove(i);
                    let detail = format!(
                        "renamed from `{}`: the method `Client::{}` is now `Client::{}`",
                        before.name, before.name, op.name
                    );
                    self.push(
                        ChangeKind::OperationRenamed,
                        &item,
                        detail,
                        Impact::Breaking,
                    );
                    self.operation((old, new), &item, before, op);
                }
                None => {
                    let detail = format!("added ({})", discriminators_text(&op.discriminators));
                    self.push(ChangeKind::OperationAdded, &item, detail, Impact::Addition);
                }
            }
        }
        for op in removed {
            let item = format!("operation {}", op.name);
            self.push(
                ChangeKind::OperationRemoved,
                &item,
                "removed",
                Impact::Breaking,
            );
        }
    }

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
        if old.discriminators != new.discriminators {
            let detail = format!(
                "discriminators {} -> {}: the call reaches another server operation",
                discriminators_text(&old.discriminators),
                discriminators_text(&new.discriminators)
            );
            self.push(K::Discriminators, item, detail, Breaking);
        }
        if old.auth != new.auth {
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
        if old.scope != new.scope {
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
        if old.session != new.session {
            let text = |s: Option<SessionEffect>| s.map_or("none", Spelled::spelling);
            let detail = format!(
                "session {} -> {}: what the call does to the client's token changes",
                text(old.session),
                text(new.session)
            );
            self.push(K::Session, item, detail, Breaking);
        }
        if old.body != new.body {
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
        if old
            .paging
            .as_ref()
            .map(|p| (&p.offset, &p.limit, p.default_limit, p.max_limit))
            != new
                .paging
                .as_ref()
                .map(|p| (&p.offset, &p.limit, p.default_limit, p.max_limit))
        {
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
        if constants(old) != constants(new) {
            let detail = format!(
                "constants {{{}}} -> {{{}}}",
                constants(old).join(", "),
                constants(new).join(", ")
            );
            self.push(K::Constants, item, detail, Patch);
        }
        if old.response_in != new.response_in {
            let detail = format!("response_in {} -> {}", old.response_in, new.response_in);
            self.push(K::ResponseIn, item, detail, Patch);
        }
        if old.account_as != new.account_as {
            let detail = format!("account_as {} -> {}", old.account_as, new.account_as);
            self.push(K::AccountAs, item, detail, Patch);
        }
        if old.inferred != new.inferred {
            self.push(K::Inferred, item, "what is inferred changed", Patch);
        }
    }

    fn params(&mut self, catalogues: Catalogues<'_>, item: &str, old: &Operation, new: &Operation) {
        use ChangeKind as K;
        use Impact::*;
        let key = |p: &Param| (p.location == Location::Header, p.wire.clone());
        let mut removed: Vec<&Param> = old
            .params
            .iter()
            .filter(|p| !new.params.iter().any(|n| key(n) == key(p)))
            .collect();
        for param in &new.params {
            let before = match old.params.iter().find(|p| key(p) == key(param)) {
                Some(before) => before,
                None => match removed.iter().position(|r| r.rust == param.rust) {
                    Some(i) => {
                        let before = removed.remove(i);
                        let detail = format!(
                            "wire name `{}` -> `{}` (Rust name `{}` unchanged)",
                            before.wire, param.wire, param.rust
                        );
                        let param_item = format!("{item}: param {}", param.wire);
                        self.push(K::ParamWireName, &param_item, detail, Patch);
                        before
                    }
                    None => {
                        let param_item = format!("{item}: param {}", param.wire);
                        if param.required {
                            let detail = format!(
                                "added, required ({}): `Client::{}` takes a new argument",
                                param.ty, new.name
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
                },
            };
            let param_item = format!("{item}: param {}", param.wire);
            self.param(catalogues, &param_item, before, param);
        }
        for param in removed {
            let param_item = format!("{item}: param {}", param.wire);
            let detail = format!(
                "removed (was {}, {})",
                param.ty,
                yes_no(param.required, "required", "optional")
            );
            self.push(K::ParamRemoved, &param_item, detail, Breaking);
        }
    }

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

    fn types(&mut self, old: &Catalogue, new: &Catalogue) {
        use ChangeKind as K;
        use Impact::*;
        for ty in &new.types {
            let item = format!("type {}", ty.name);
            match old.type_named(&ty.name) {
                None => self.push(K::TypeAdded, &item, "added", Addition),
                Some(before) => self.type_def(&item, before, ty),
            }
        }
        for ty in &old.types {
            if new.type_named(&ty.name).is_none() {
                let item = format!("type {}", ty.name);
                self.push(K::TypeRemoved, &item, "removed", Breaking);
            }
        }
    }

    fn type_def(&mut self, item: &str, old: &TypeDef, new: &TypeDef) {
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
                self.fields(item, &new.name, before, after)
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

    fn fields(&mut self, item: &str, type_name: &str, old: &[Field], new: &[Field]) {
        use ChangeKind as K;
        use Impact::*;
        let mut removed: Vec<&Field> = old
            .iter()
            .filter(|f| !new.iter().any(|n| n.wire == f.wire))
            .collect();
        for field in new {
            let field_item = format!("{item}: field {}", field.wire);
            let before = match old.iter().find(|f| f.wire == field.wire) {
                Some(before) => before,
                None => match removed.iter().position(|r| r.rust == field.rust) {
                    Some(i) => {
                        let before = removed.remove(i);
                        let detail = format!(
                            "wire name `{}` -> `{}` (Rust name `{}` unchanged)",
                            before.wire, field.wire, field.rust
                        );
                        self.push(K::FieldWireName, &field_item, detail, Patch);
                        before
                    }
                    None => {
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
                },
            };
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
            if let Some(detail) = doc_change(
                (&before.doc, before.inferred, before.secret),
                (&field.doc, field.inferred, field.secret),
            ) {
                self.push(K::FieldDoc, &field_item, detail, Patch);
            }
        }
        for field in removed {
            let field_item = format!("{item}: field {}", field.wire);
            let detail = format!("removed (was {})", field.ty);
            self.push(K::FieldRemoved, &field_item, detail, Breaking);
        }
    }

    fn union(&mut self, item: &str, type_name: &str, old: &Union, new: &Union) {
        use ChangeKind as K;
        use Impact::*;
        let variant_of =
            |v: &UnionVariant| format!("{type_name}::{}", crate::names::pascal_case(&v.name));
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
        let mut removed: Vec<&UnionVariant> = old
            .variants
            .iter()
            .filter(|v| !new.variants.iter().any(|n| n.tag_value == v.tag_value))
            .collect();
        for variant in &new.variants {
            let variant_item = format!("{item}: variant {}", variant.tag_value);
            let before = match old
                .variants
                .iter()
                .find(|v| v.tag_value == variant.tag_value)
            {
                Some(before) => before,
                None => match removed.iter().position(|r| r.name == variant.name) {
                    Some(i) => {
                        let before = removed.remove(i);
                        let detail = format!(
                            "tag value `{}` -> `{}` (`{}` unchanged)",
                            before.tag_value,
                            variant.tag_value,
                            variant_of(variant)
                        );
                        self.push(K::UnionVariantWire, &variant_item, detail, Patch);
                        before
                    }
                    None => {
                        let detail = format!(
                            "added (`{}`, holding {}): `{type_name}` is #[non_exhaustive], so every `match` on it has a `_` arm; such objects now decode as it instead of `Unknown`",
                            variant_of(variant),
                            variant.ty
                        );
                        self.push(K::UnionVariantAdded, &variant_item, detail, Addition);
                        continue;
                    }
                },
            };
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
        for variant in removed {
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

    fn values(&mut self, item: &str, type_name: &str, old: &[EnumValue], new: &[EnumValue]) {
        use ChangeKind as K;
        use Impact::*;
        let mut removed: Vec<&EnumValue> = old
            .iter()
            .filter(|v| !new.iter().any(|n| n.value == v.value))
            .collect();
        for value in new {
            let value_item = format!("{item}: value {}", value.value);
            let before = match old.iter().find(|v| v.value == value.value) {
                Some(before) => before,
                None => match removed.iter().position(|r| r.name == value.name) {
                    Some(i) => {
                        let before = removed.remove(i);
                        let detail = format!(
                            "wire value {} -> {} (variant `{}` unchanged)",
                            before.value, value.value, value.name
                        );
                        self.push(K::EnumValueWire, &value_item, detail, Patch);
                        before
                    }
                    None => {
                        let variant = crate::names::pascal_case(&value.name);
                        let detail = format!(
                            "added (variant `{variant}`): `{type_name}` is #[non_exhaustive], so every `match` on it has a `_` arm; the value now decodes as `{variant}` instead of `Unknown`"
                        );
                        self.push(K::EnumValueAdded, &value_item, detail, Addition);
                        continue;
                    }
                },
            };
            if before.name != value.name {
                let detail = format!(
                    "variant `{}` -> `{}`",
                    crate::names::pascal_case(&before.name),
                    crate::names::pascal_case(&value.name)
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
        for value in removed {
            let value_item = format!("{item}: value {}", value.value);
            let detail = format!(
                "removed (variant `{}`): the value now decodes as `Unknown`",
                crate::names::pascal_case(&value.name)
            );
            self.push(K::EnumValueRemoved, &value_item, detail, Breaking);
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
