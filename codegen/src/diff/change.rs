//! The change model and its report: what kind of change, its impact on users, the semver bump
//! a set of changes implies, and the report as text or JSON.

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
    /// The `public_api` header: added (minor: `PublicClient` appears), removed (breaking), or
    /// its title, source or docs (patch).
    PublicApi,
    /// The `public_api` header's base URL, auth header or error object (patch: wire change).
    PublicApiWire,
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
    /// The API an operation belongs to (`api`): its method moves between `Client` and
    /// `PublicClient` (breaking).
    OperationApi,
    /// A REST operation's method or path: the call reaches another route (breaking; a
    /// trailing `/` alone is a patch).
    Http,
    /// The HTTP error statuses a REST operation documents (patch: docs).
    HttpErrors,
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
    /// A field's type (breaking; a patch when only its JSON form changes, `encoded<..>` or `as`,
    /// the Rust type staying).
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
            PublicApi => "public_api",
            PublicApiWire => "public_api_wire",
            OperationAdded => "operation_added",
            OperationRemoved => "operation_removed",
            OperationRenamed => "operation_renamed",
            Title => "title",
            Summary => "summary",
            Provenance => "provenance",
            Kind => "kind",
            Idempotent => "idempotent",
            Discriminators => "discriminators",
            OperationApi => "operation_api",
            Http => "http",
            HttpErrors => "http_errors",
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
                | PublicApiWire
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
