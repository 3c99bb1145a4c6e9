//! `diff`: each kind of change between two catalogues, its classification, and the exit code
//! of `chatrace-codegen diff`.
//!
//! Most tests edit `fixtures/diff/base.yaml` as text (one kind of change each) and diff the
//! result against it; the CLI tests use the fixture files next to it.

use chatrace_codegen::diff::{diff, Bump, ChangeKind, Diff, Impact};
use chatrace_codegen::{load_str, Catalogue};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(name)
}

fn base_text() -> String {
    std::fs::read_to_string(fixture("base.yaml")).expect("base.yaml")
}

fn load(text: &str, name: &str) -> Catalogue {
    load_str(text, name).unwrap_or_else(|e| panic!("{name} is invalid:\n{e}\n{text}"))
}

/// The diff from base.yaml to base.yaml with each `(from, to)` replacement made (each `from`
/// must occur exactly once).
fn changed(edits: &[(&str, &str)]) -> Diff {
    changed_from("base.yaml", edits)
}

/// The diff from the fixture `name` to the fixture with each `(from, to)` replacement made.
fn changed_from(name: &str, edits: &[(&str, &str)]) -> Diff {
    let old = std::fs::read_to_string(fixture(name)).expect(name);
    let mut new = old.clone();
    for (from, to) in edits {
        assert_eq!(new.matches(from).count(), 1, "`{from}` must occur once");
        new = new.replacen(from, to, 1);
    }
    diff(&load(&old, name), &load(&new, "new.yaml"))
}

/// Asserts the diff holds exactly one change of `kind` on `item`, with `impact`, and returns
/// its detail.
fn assert_change(d: &Diff, kind: ChangeKind, item: &str, impact: Impact) -> String {
    let found: Vec<_> = d
        .changes
        .iter()
        .filter(|c| c.kind == kind && c.item == item)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one {kind:?} on `{item}` expected; got {d:#?}"
    );
    assert_eq!(found[0].impact, impact, "{:#?}", found[0]);
    found[0].detail.clone()
}

const GET_ORDER_ID: &str =
    "      id: { type: id, required: true, in: top, as: number, doc: The order id. }\n    response: Order";
const LOGIN_TOKEN: &str = "      idToken: { type: string, required: true, doc: The id token. }\n";
const NEW_OPERATION: &str = "
  - name: list_tags
    title: Get list of tags
    summary: Lists the tags.
    provenance: inferred
    kind: read
    discriminators: { op: tags, op1: get }
";

#[test]
fn no_change_is_no_change() {
    let d = changed(&[]);
    assert!(d.changes.is_empty(), "{d:#?}");
    assert!(!d.is_breaking());
    assert_eq!(d.bump(), Bump::None);
    assert!(d.to_text("0.1.0").contains("no changes"));
}

#[test]
fn an_added_operation_is_a_minor_change() {
    let old = base_text();
    let new = format!("{old}{NEW_OPERATION}");
    let d = diff(&load(&old, "old"), &load(&new, "new"));
    let detail = assert_change(
        &d,
        ChangeKind::OperationAdded,
        "operation list_tags",
        Impact::Addition,
    );
    assert!(detail.contains("op=tags, op1=get"), "{detail}");
    assert_eq!(d.changes.len(), 1);
    assert!(!d.is_breaking());
    assert_eq!(d.bump(), Bump::Minor);
    assert_eq!(d.bump().next_version("0.1.0").as_deref(), Some("0.1.1"));
}

#[test]
fn a_removed_operation_is_breaking() {
    let old = base_text();
    let new = old[..old.find("  - name: login_with_google").unwrap()].to_string();
    let d = diff(&load(&old, "old"), &load(&new, "new"));
    assert_change(
        &d,
        ChangeKind::OperationRemoved,
        "operation login_with_google",
        Impact::Breaking,
    );
    assert!(d.is_breaking());
    assert_eq!(d.bump(), Bump::Major);
    assert_eq!(d.bump().next_version("0.1.0").as_deref(), Some("0.2.0"));
    assert_eq!(d.bump().next_version("1.2.3").as_deref(), Some("2.0.0"));
}

#[test]
fn a_renamed_operation_is_breaking_and_not_an_add_and_a_remove() {
    let d = changed(&[("  - name: update_order\n", "  - name: set_order_status\n")]);
    let detail = assert_change(
        &d,
        ChangeKind::OperationRenamed,
        "operation set_order_status",
        Impact::Breaking,
    );
    assert!(detail.contains("renamed from `update_order`"), "{detail}");
    assert_eq!(d.changes.len(), 1, "{d:#?}");
}

#[test]
fn a_new_name_with_other_discriminators_is_an_add_and_a_remove() {
    let d = changed(&[
        ("  - name: update_order\n", "  - name: set_order_status\n"),
        ("op2: update }", "op2: set }"),
    ]);
    assert!(d
        .changes
        .iter()
        .any(|c| c.kind == ChangeKind::OperationAdded && c.item == "operation set_order_status"));
    assert!(d
        .changes
        .iter()
        .any(|c| c.kind == ChangeKind::OperationRemoved && c.item == "operation update_order"));
}

#[test]
fn a_new_required_param_is_breaking_and_an_optional_one_is_not() {
    let required = changed(&[(
        LOGIN_TOKEN,
        "      idToken: { type: string, required: true, doc: The id token. }\n      nonce: { type: string, required: true }\n",
    )]);
    assert_change(
        &required,
        ChangeKind::ParamAdded,
        "operation login_with_google: param nonce",
        Impact::Breaking,
    );
    assert!(required.is_breaking());

    let optional = changed(&[(
        LOGIN_TOKEN,
        "      idToken: { type: string, required: true, doc: The id token. }\n      nonce: { type: string }\n",
    )]);
    assert_change(
        &optional,
        ChangeKind::ParamAdded,
        "operation login_with_google: param nonce",
        Impact::Addition,
    );
    assert!(!optional.is_breaking());
    assert_eq!(optional.bump(), Bump::Minor);
}

#[test]
fn a_removed_param_is_breaking() {
    let d = changed(&[("      filter: { type: Filter, doc: Which orders. }\n", "")]);
    assert_change(
        &d,
        ChangeKind::ParamRemoved,
        "operation list_orders: param filter",
        Impact::Breaking,
    );
}

#[test]
fn a_param_type_change_is_breaking() {
    let d = changed(&[(
        GET_ORDER_ID,
        "      id: { type: string, required: true, in: top, doc: The order id. }\n    response: Order",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::ParamType,
        "operation get_order: param id",
        Impact::Breaking,
    );
    assert_eq!(detail, "type id -> string");
    let line = d.to_text("0.1.0");
    assert!(
        line.starts_with("BREAKING    operation get_order: param id: type id -> string"),
        "{line}"
    );
}

#[test]
fn a_param_required_or_rust_name_change_is_breaking() {
    let d = changed(&[(
        LOGIN_TOKEN,
        "      idToken: { type: string, doc: The id token. }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::ParamRequired,
        "operation login_with_google: param idToken",
        Impact::Breaking,
    );
    assert!(detail.starts_with("required -> optional"), "{detail}");

    let d = changed(&[(
        LOGIN_TOKEN,
        "      idToken: { type: string, required: true, rust: google_token, doc: The id token. }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::ParamRustName,
        "operation login_with_google: param idToken",
        Impact::Breaking,
    );
    assert_eq!(detail, "Rust name `id_token` -> `google_token`");
}

#[test]
fn wire_only_param_changes_are_patches() {
    // `as`
    let d = changed(&[(
        GET_ORDER_ID,
        "      id: { type: id, required: true, in: top, as: string, doc: The order id. }\n    response: Order",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::ParamWireAs,
        "operation get_order: param id",
        Impact::Patch,
    );
    assert_eq!(detail, "as: number -> string");
    assert!(d.to_text("0.1.0").contains("(wire change)"));
    assert_eq!(d.bump(), Bump::Patch);
    assert_eq!(d.bump().next_version("0.1.0").as_deref(), Some("0.1.1"));

    // `in`
    let d = changed(&[(
        GET_ORDER_ID,
        "      id: { type: id, required: true, as: number, doc: The order id. }\n    response: Order",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::ParamLocation,
        "operation get_order: param id",
        Impact::Patch,
    );
    assert_eq!(detail, "in: top -> data");

    // the wire name, the Rust name staying
    let d = changed(&[(
        LOGIN_TOKEN,
        "      id_token: { type: string, required: true, doc: The id token. }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::ParamWireName,
        "operation login_with_google: param id_token",
        Impact::Patch,
    );
    assert!(detail.contains("`idToken` -> `id_token`"), "{detail}");
    assert_eq!(d.changes.len(), 1, "{d:#?}");
    assert!(!d.is_breaking());
}

#[test]
fn discriminators_auth_and_scope_changes_are_breaking() {
    let d = changed(&[("op2: update }", "op2: edit }")]);
    assert_change(
        &d,
        ChangeKind::Discriminators,
        "operation update_order",
        Impact::Breaking,
    );
    let d = changed(&[("    auth: none\n", "")]);
    let detail = assert_change(
        &d,
        ChangeKind::Auth,
        "operation login_with_google",
        Impact::Breaking,
    );
    assert!(detail.starts_with("auth none -> token"), "{detail}");
    let d = changed(&[("    scope: none\n", "")]);
    assert_change(
        &d,
        ChangeKind::Scope,
        "operation login_with_google",
        Impact::Breaking,
    );
}

#[test]
fn a_response_change_is_breaking() {
    let d = changed(&[("    response: Order\n", "    response: json\n")]);
    let detail = assert_change(
        &d,
        ChangeKind::Response,
        "operation get_order",
        Impact::Breaking,
    );
    assert!(detail.starts_with("response Order -> json"), "{detail}");
    let d = changed(&[("    response: Order\n", "")]);
    assert_change(
        &d,
        ChangeKind::Response,
        "operation get_order",
        Impact::Breaking,
    );
}

#[test]
fn response_fields_added_are_compatible_and_removed_or_changed_are_breaking() {
    let note = "      note: { type: string, doc: The customer's note. }\n";
    let d = changed(&[(
        note,
        "      note: { type: string, doc: The customer's note. }\n      currency: { type: string }\n",
    )]);
    assert_change(
        &d,
        ChangeKind::FieldAdded,
        "type Order: field currency",
        Impact::Addition,
    );
    assert!(!d.is_breaking());

    let d = changed(&[(note, "")]);
    assert_change(
        &d,
        ChangeKind::FieldRemoved,
        "type Order: field note",
        Impact::Breaking,
    );

    let d = changed(&[(
        "      total: { type: number, doc: The total. }\n",
        "      total: { type: string, doc: The total. }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::FieldType,
        "type Order: field total",
        Impact::Breaking,
    );
    assert_eq!(detail, "type number -> string");

    let d = changed(&[(
        "      id: { type: id, required: true, doc: The order id. }\n",
        "      id: { type: id, doc: The order id. }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::FieldRequired,
        "type Order: field id",
        Impact::Breaking,
    );
    assert_eq!(detail, "required -> optional: id -> Option<id>");

    let d = changed(&[(
        "      total: { type: number, doc: The total. }\n",
        "      total: { type: number, rust: amount, doc: The total. }\n",
    )]);
    assert_change(
        &d,
        ChangeKind::FieldRustName,
        "type Order: field total",
        Impact::Breaking,
    );

    let d = changed(&[(
        "      total: { type: number, doc: The total. }\n",
        "      grand_total: { type: number, rust: total, doc: The total. }\n",
    )]);
    assert_change(
        &d,
        ChangeKind::FieldWireName,
        "type Order: field grand_total",
        Impact::Patch,
    );
    assert!(!d.is_breaking(), "{d:#?}");
}

#[test]
fn a_fields_as_is_a_wire_only_patch() {
    // An id field keeps its text by default: `as: number` changes the wire alone.
    let d = changed(&[(
        "      id: { type: id, required: true, doc: The order id. }\n",
        "      id: { type: id, required: true, as: number, doc: The order id. }\n",
    )]);
    // Its JSON form is its wire type: a field type change that keeps the Rust type, as
    // `encoded<..>` is.
    let detail = assert_change(
        &d,
        ChangeKind::FieldType,
        "type Order: field id",
        Impact::Patch,
    );
    assert_eq!(detail, "as: string -> number");
    assert_eq!(d.bump(), Bump::Patch);

    // Saying the default is no change.
    let d = changed(&[(
        "      id: { type: id, required: true, doc: The order id. }\n",
        "      id: { type: id, required: true, as: string, doc: The order id. }\n",
    )]);
    assert!(
        !d.changes.iter().any(|c| c.kind == ChangeKind::FieldType),
        "{d:#?}"
    );
}

#[test]
fn a_field_added_to_a_type_users_send_is_minor_when_optional_and_breaking_when_required() {
    // `Filter` is built by users (`list_orders` takes one); generated structs are
    // #[non_exhaustive] and built with `Default`/`new` and field assignments, never a literal.
    let tag = "      tag: { type: string, doc: A tag name. }\n";
    let d = changed(&[(
        tag,
        "      tag: { type: string, doc: A tag name. }\n      since: { type: integer }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::FieldAdded,
        "type Filter: field since",
        Impact::Addition,
    );
    assert!(detail.contains("#[non_exhaustive]"), "{detail}");
    assert_eq!(d.bump(), Bump::Minor);

    // A required field: `Filter::new(since)` replaces `Filter::default()`, and an answer
    // without it no longer decodes.
    let d = changed(&[(
        tag,
        "      tag: { type: string, doc: A tag name. }\n      since: { type: integer, required: true }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::FieldAdded,
        "type Filter: field since",
        Impact::Breaking,
    );
    assert!(
        detail.contains("`Filter` no longer derives `Default`: `Filter::new` takes it"),
        "{detail}"
    );
    assert!(d.is_breaking());
}

#[test]
fn enum_values_added_are_minor_whether_the_enum_is_read_or_only_sent() {
    // `OrderStatus` is read (in `Order`) and sent; generated enums are #[non_exhaustive], so
    // every `match` on one already has a `_` arm.
    let d = changed(&[(
        "      - { value: 7, name: delivered, doc: Delivered. }\n",
        "      - { value: 7, name: delivered, doc: Delivered. }\n      - { value: 10, name: cancelled }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::EnumValueAdded,
        "type OrderStatus: value 10",
        Impact::Addition,
    );
    assert!(detail.contains("#[non_exhaustive]"), "{detail}");
    assert!(
        detail.contains("decodes as `Cancelled` instead of `Unknown`"),
        "{detail}"
    );
    assert!(!d.is_breaking());
    assert_eq!(d.bump(), Bump::Minor);

    // Platform is only ever sent (a header param), never read: the same.
    let d = changed(&[(
        "      - { value: android, name: android }\n",
        "      - { value: android, name: android }\n      - { value: web, name: web }\n",
    )]);
    assert_change(
        &d,
        ChangeKind::EnumValueAdded,
        "type Platform: value web",
        Impact::Addition,
    );
    assert!(!d.is_breaking());
}

#[test]
fn enum_values_removed_or_renamed_are_breaking_and_rewired_are_patches() {
    let delivered = "      - { value: 7, name: delivered, doc: Delivered. }\n";
    let d = changed(&[(delivered, "")]);
    assert_change(
        &d,
        ChangeKind::EnumValueRemoved,
        "type OrderStatus: value 7",
        Impact::Breaking,
    );
    let d = changed(&[(
        delivered,
        "      - { value: 7, name: shipped, doc: Delivered. }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::EnumValueRenamed,
        "type OrderStatus: value 7",
        Impact::Breaking,
    );
    assert_eq!(detail, "variant `Delivered` -> `Shipped`");
    let d = changed(&[(
        delivered,
        "      - { value: 8, name: delivered, doc: Delivered. }\n",
    )]);
    assert_change(
        &d,
        ChangeKind::EnumValueWire,
        "type OrderStatus: value 8",
        Impact::Patch,
    );
    assert!(!d.is_breaking(), "{d:#?}");
}

#[test]
fn types_added_are_compatible_and_removed_or_reshaped_are_breaking() {
    let d = changed(&[(
        "operations:\n",
        "  Tag:\n    doc: A tag.\n    fields:\n      id: { type: id, required: true }\n\noperations:\n",
    )]);
    assert_change(&d, ChangeKind::TypeAdded, "type Tag", Impact::Addition);
    assert!(!d.is_breaking());

    let d = changed(&[
        (
            "  Filter:\n    doc: A filter users build and send.\n    fields:\n      tag: { type: string, doc: A tag name. }\n",
            "",
        ),
        ("      filter: { type: Filter, doc: Which orders. }\n", ""),
    ]);
    assert_change(&d, ChangeKind::TypeRemoved, "type Filter", Impact::Breaking);

    let d = changed(&[("    enum: integer\n", "    enum: string\n")]);
    let detail = assert_change(
        &d,
        ChangeKind::TypeShape,
        "type OrderStatus",
        Impact::Breaking,
    );
    assert!(detail.starts_with("enum integer -> string"), "{detail}");
}

#[test]
fn docs_titles_summaries_examples_and_retry_policy_are_patches() {
    let d = changed(&[
        ("    title: Update order\n", "    title: Update an order\n"),
        (
            "    summary: Lists the orders.\n",
            "    summary: Lists the orders, newest first.\n",
        ),
        ("    doc: An order.\n", "    doc: An order of the shop.\n"),
        ("doc: The total. }", "doc: The total with taxes. }"),
        (
            "name: delivered, doc: Delivered. }",
            "name: delivered, doc: Handed over. }",
        ),
        (
            "doc: How many to skip. }",
            "doc: How many orders to skip. }",
        ),
        (
            "    kind: write\n    discriminators: { op: ecommerce",
            "    kind: write\n    idempotent: true\n    discriminators: { op: ecommerce",
        ),
    ]);
    assert_change(
        &d,
        ChangeKind::Title,
        "operation update_order",
        Impact::Patch,
    );
    assert_change(
        &d,
        ChangeKind::Summary,
        "operation list_orders",
        Impact::Patch,
    );
    assert_change(&d, ChangeKind::TypeDoc, "type Order", Impact::Patch);
    assert_change(
        &d,
        ChangeKind::FieldDoc,
        "type Order: field total",
        Impact::Patch,
    );
    assert_change(
        &d,
        ChangeKind::EnumValueDoc,
        "type OrderStatus: value 7",
        Impact::Patch,
    );
    assert_change(
        &d,
        ChangeKind::ParamDoc,
        "operation list_orders: param offset",
        Impact::Patch,
    );
    assert_change(
        &d,
        ChangeKind::Idempotent,
        "operation update_order",
        Impact::Patch,
    );
    assert_eq!(d.changes.len(), 7, "{d:#?}");
    assert_eq!(d.bump(), Bump::Patch);
}

#[test]
fn paging_added_is_compatible_and_removed_is_breaking() {
    let paging =
        "    paging: { offset: offset, limit: limit, default_limit: 20, max_limit: 100 }\n";
    let d = changed(&[(paging, "")]);
    assert_change(
        &d,
        ChangeKind::Paging,
        "operation list_orders",
        Impact::Breaking,
    );
    let old = base_text().replacen(paging, "", 1);
    let d = diff(&load(&old, "old"), &load(&base_text(), "new"));
    assert_change(
        &d,
        ChangeKind::Paging,
        "operation list_orders",
        Impact::Addition,
    );
    let d = changed(&[(
        paging,
        "    paging: { offset: offset, limit: limit, default_limit: 50, max_limit: 100 }\n",
    )]);
    assert_change(
        &d,
        ChangeKind::Paging,
        "operation list_orders",
        Impact::Patch,
    );
    // A param sent with the first page only changes what later pages send: a patch.
    let d = changed(&[(
        paging,
        "    paging: { offset: offset, limit: limit, default_limit: 20, max_limit: 100, first_page_only: [filter] }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::Paging,
        "operation list_orders",
        Impact::Patch,
    );
    assert!(detail.ends_with("first_page_only=[filter]"), "{detail}");
}

#[test]
fn the_json_report_has_every_change() {
    let d = changed(&[
        (GET_ORDER_ID, "      id: { type: string, required: true, in: top, doc: The order id. }\n    response: Order"),
        ("    summary: Lists the orders.\n", "    summary: Lists orders.\n"),
    ]);
    let json = d.to_json("0.1.0");
    assert_eq!(json["breaking"], true);
    assert_eq!(json["bump"], "major");
    assert_eq!(json["next_version"], "0.2.0");
    let changes = json["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0]["kind"], "param_type");
    assert_eq!(changes[0]["item"], "operation get_order: param id");
    assert_eq!(changes[0]["detail"], "type id -> string");
    assert_eq!(changes[0]["breaking"], true);
    assert_eq!(changes[1]["kind"], "summary");
    assert_eq!(changes[1]["breaking"], false);
    assert_eq!(changes[1]["bump"], "patch");
}

// ---------------------------------------------------------------------------------------------
// The format's newer keys, on features.yaml: constants, `response_in`, `account_as`, defaults,
// unions, ids, `encoded<T>`, `secret` and `inferred`.

fn features_changed(edits: &[(&str, &str)]) -> Diff {
    changed_from("features.yaml", edits)
}

const SEND_CONSTANTS: &str = "    constants: { data.channel: 0 }\n";

#[test]
fn constant_changes_are_wire_patches() {
    let d = features_changed(&[(SEND_CONSTANTS, "    constants: { data.channel: 1 }\n")]);
    let detail = assert_change(
        &d,
        ChangeKind::Constants,
        "operation send_message",
        Impact::Patch,
    );
    assert_eq!(detail, "constants {data.channel: 0} -> {data.channel: 1}");
    assert_eq!(d.changes.len(), 1, "{d:#?}");
    assert!(d.to_text("0.1.0").contains("(wire change) [patch]"));

    let d = features_changed(&[(
        SEND_CONSTANTS,
        "    constants: { data.channel: 0, inbox: true }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::Constants,
        "operation send_message",
        Impact::Patch,
    );
    assert_eq!(
        detail,
        "constants {data.channel: 0} -> {data.channel: 0, inbox: true}"
    );

    let d = features_changed(&[(SEND_CONSTANTS, "")]);
    assert_change(
        &d,
        ChangeKind::Constants,
        "operation send_message",
        Impact::Patch,
    );
    assert_eq!(d.bump(), Bump::Patch);
}

#[test]
fn response_in_and_account_as_changes_are_wire_patches() {
    let d = features_changed(&[(
        "    response: Sent\n",
        "    response: Sent\n    response_in: envelope\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::ResponseIn,
        "operation send_message",
        Impact::Patch,
    );
    assert_eq!(detail, "response_in data -> envelope");
    assert_eq!(d.changes.len(), 1, "{d:#?}");

    let d = features_changed(&[(
        "    discriminators: { op: conversations",
        "    account_as: string\n    discriminators: { op: conversations",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::AccountAs,
        "operation send_message",
        Impact::Patch,
    );
    assert_eq!(detail, "account_as number -> string");
    assert_eq!(d.changes.len(), 1, "{d:#?}");
    assert!(!d.is_breaking());
    let json = d.to_json("0.1.0");
    assert_eq!(json["changes"][0]["kind"], "account_as");
    assert_eq!(json["changes"][0]["wire"], true);
}

#[test]
fn a_param_default_change_is_a_wire_patch() {
    let tag = "      tag: { type: string, default: \"\", doc: A tag. }\n";
    let d = features_changed(&[(
        tag,
        "      tag: { type: string, default: none, doc: A tag. }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::ParamDefault,
        "operation send_message: param tag",
        Impact::Patch,
    );
    assert_eq!(detail, "default \"\" -> \"none\"");

    let d = features_changed(&[(tag, "      tag: { type: string, doc: A tag. }\n")]);
    let detail = assert_change(
        &d,
        ChangeKind::ParamDefault,
        "operation send_message: param tag",
        Impact::Patch,
    );
    assert_eq!(detail, "default \"\" -> (not sent)");
    assert_eq!(d.changes.len(), 1, "{d:#?}");
    assert_eq!(d.bump(), Bump::Patch);
}

#[test]
fn an_as_that_only_writes_out_the_default_is_no_change() {
    // Ids are sent as numbers unless the catalogue says otherwise.
    let get = "      contact_id: { type: ContactId, required: true, in: top, as: string, doc: The contact. }\n    response: Contact";
    let old = std::fs::read_to_string(fixture("features.yaml"))
        .unwrap()
        .replacen(
            get,
            "      contact_id: { type: ContactId, required: true, in: top, doc: The contact. }\n    response: Contact",
            1,
        );
    let new = old.replacen(
        "in: top, doc: The contact. }\n    response: Contact",
        "in: top, as: number, doc: The contact. }\n    response: Contact",
        1,
    );
    assert_ne!(old, new);
    let d = diff(&load(&old, "old"), &load(&new, "new"));
    assert!(d.changes.is_empty(), "{d:#?}");

    // `as: string` is a change.
    let d = diff(&load(&old, "old"), &load(&base_features(), "new"));
    let detail = assert_change(
        &d,
        ChangeKind::ParamWireAs,
        "operation get_contact: param contact_id",
        Impact::Patch,
    );
    assert_eq!(detail, "as: number -> string");
}

fn base_features() -> String {
    std::fs::read_to_string(fixture("features.yaml")).unwrap()
}

#[test]
fn union_variants_added_are_minor_and_removed_renamed_or_retyped_are_breaking() {
    let variants = "        text: { type: TextPart, doc: Text. }\n        file: { type: FilePart, doc: A file. }\n";
    // A new variant: the union is #[non_exhaustive], so every `match` on it has a `_` arm.
    let d = features_changed(&[(
        variants,
        "        text: { type: TextPart, doc: Text. }\n        file: { type: FilePart, doc: A file. }\n        image: { type: FilePart }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::UnionVariantAdded,
        "type Part: variant image",
        Impact::Addition,
    );
    assert!(
        detail.starts_with("added (`Part::Image`, holding FilePart)"),
        "{detail}"
    );
    assert!(detail.contains("instead of `Unknown`"), "{detail}");
    assert_eq!(d.changes.len(), 1, "{d:#?}");
    assert_eq!(d.bump(), Bump::Minor);
    // A variant removed.
    let d = features_changed(&[(variants, "        text: { type: TextPart, doc: Text. }\n")]);
    let detail = assert_change(
        &d,
        ChangeKind::UnionVariantRemoved,
        "type Part: variant file",
        Impact::Breaking,
    );
    assert!(detail.starts_with("removed (`Part::File`)"), "{detail}");
    // Renamed in Rust: the same tag value, another variant name.
    let d = features_changed(&[(
        variants,
        "        text: { type: TextPart, doc: Text. }\n        file: { type: FilePart, name: attachment, doc: A file. }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::UnionVariantRenamed,
        "type Part: variant file",
        Impact::Breaking,
    );
    assert_eq!(detail, "`Part::File` -> `Part::Attachment`");
    assert_eq!(d.changes.len(), 1, "{d:#?}");
    // Holding another struct.
    let d = features_changed(&[(
        variants,
        "        text: { type: TextPart, doc: Text. }\n        file: { type: TextPart, doc: A file. }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::UnionVariantType,
        "type Part: variant file",
        Impact::Breaking,
    );
    assert!(detail.starts_with("type FilePart -> TextPart"), "{detail}");
    assert_eq!(d.changes.len(), 1, "{d:#?}");
}

#[test]
fn union_tags_and_defaults_are_wire_patches_and_variant_docs_are_patches() {
    let variants = "        text: { type: TextPart, doc: Text. }\n        file: { type: FilePart, doc: A file. }\n";
    // Another tag value for the same variant: the Rust API is the same.
    let d = features_changed(&[(
        variants,
        "        text: { type: TextPart, doc: Text. }\n        attachment: { type: FilePart, name: file, doc: A file. }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::UnionVariantWire,
        "type Part: variant attachment",
        Impact::Patch,
    );
    assert_eq!(
        detail,
        "tag value `file` -> `attachment` (`Part::File` unchanged)"
    );
    assert_eq!(d.changes.len(), 1, "{d:#?}");
    assert!(d.to_text("0.1.0").contains("(wire change) [patch]"));
    // The tag's key.
    let d = features_changed(&[("      tag: type\n", "      tag: kind\n")]);
    let detail = assert_change(&d, ChangeKind::UnionTag, "type Part", Impact::Patch);
    assert!(detail.starts_with("tag `type` -> `kind`"), "{detail}");
    assert_eq!(d.changes.len(), 1, "{d:#?}");
    // The variant of an object without the tag.
    let d = features_changed(&[("      default: text\n", "")]);
    let detail = assert_change(&d, ChangeKind::UnionTag, "type Part", Impact::Patch);
    assert_eq!(
        detail,
        "default `Part::Text` -> `Unknown`: an object without `type` now decodes as `Unknown`"
    );
    assert_eq!(d.changes.len(), 1, "{d:#?}");
    assert!(!d.is_breaking());
    let json = d.to_json("0.1.0");
    assert_eq!(json["changes"][0]["kind"], "union_tag");
    assert_eq!(json["changes"][0]["wire"], true);
    // The variant an object without the tag is by its members.
    let d = features_changed(&[(
        "      default: text\n",
        "      default: text\n      by_member: { url: file }\n",
    )]);
    let detail = assert_change(&d, ChangeKind::UnionTag, "type Part", Impact::Patch);
    assert_eq!(
        detail,
        "by_member {} -> {`url`: `file`}: an object without `type` is told apart by these members"
    );
    assert_eq!(d.changes.len(), 1, "{d:#?}");
    // A default that follows its variant's new tag value is no change of the default.
    let d = features_changed(&[
        ("      default: text\n", "      default: plain\n"),
        (
            variants,
            "        plain: { type: TextPart, name: text, doc: Text. }\n        file: { type: FilePart, doc: A file. }\n",
        ),
    ]);
    assert_change(
        &d,
        ChangeKind::UnionVariantWire,
        "type Part: variant plain",
        Impact::Patch,
    );
    assert_eq!(d.changes.len(), 1, "{d:#?}");
    // A variant's doc is docs.
    let d = features_changed(&[("doc: A file. }", "doc: A file the contact sent. }")]);
    let detail = assert_change(&d, ChangeKind::TypeDoc, "type Part", Impact::Patch);
    assert!(detail.contains("variant `file`"), "{detail}");
    assert_eq!(d.changes.len(), 1, "{d:#?}");
}

#[test]
fn a_field_added_to_a_union_variant_users_send_is_minor_when_optional() {
    // `Part` is sent (`send_message` takes its parts), so its variants' structs are built by
    // users, with `new` and field assignments: an optional field breaks none of it.
    let url = "      url: { type: string, required: true, doc: Where the file is. }\n";
    let d = features_changed(&[(
        url,
        "      url: { type: string, required: true, doc: Where the file is. }\n      name: { type: string }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::FieldAdded,
        "type FilePart: field name",
        Impact::Addition,
    );
    assert!(detail.contains("#[non_exhaustive]"), "{detail}");
    // A required one changes `FilePart::new`.
    let d = features_changed(&[(
        url,
        "      url: { type: string, required: true, doc: Where the file is. }\n      name: { type: string, required: true }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::FieldAdded,
        "type FilePart: field name",
        Impact::Breaking,
    );
    assert!(detail.contains("`FilePart::new` takes it,"), "{detail}");
}

#[test]
fn id_type_changes_are_breaking() {
    // An id type becomes a struct.
    let d = features_changed(&[(
        "  ContactId:\n    doc: A contact.\n    id: true\n",
        "  ContactId:\n    doc: A contact.\n    fields:\n      id: { type: id }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::TypeShape,
        "type ContactId",
        Impact::Breaking,
    );
    assert_eq!(detail, "id -> struct");

    // A param takes a plain id instead of the id type: another Rust type.
    let d = features_changed(&[(
        "      contact_id: { type: ContactId, required: true, in: top, as: string, doc: The contact. }\n    response: Contact",
        "      contact_id: { type: id, required: true, in: top, as: string, doc: The contact. }\n    response: Contact",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::ParamType,
        "operation get_contact: param contact_id",
        Impact::Breaking,
    );
    assert_eq!(detail, "type ContactId -> id");
    assert_eq!(d.changes.len(), 1, "{d:#?}");

    // A field too.
    let d = features_changed(&[(
        "      id: { type: ContactId, required: true, doc: The contact. }\n",
        "      id: { type: string, required: true, doc: The contact. }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::FieldType,
        "type Contact: field id",
        Impact::Breaking,
    );
    assert_eq!(detail, "type ContactId -> string");

    // A new id type is an addition.
    let d = features_changed(&[(
        "  TextPart:\n",
        "  FlowId:\n    doc: A flow.\n    id: true\n\n  TextPart:\n",
    )]);
    assert_change(&d, ChangeKind::TypeAdded, "type FlowId", Impact::Addition);
    assert_eq!(d.changes.len(), 1, "{d:#?}");
}

#[test]
fn encoded_on_or_off_keeps_the_rust_type_and_is_a_patch() {
    // `encoded<list<Part>>` and `list<Part>` are both `Vec<Part>` in Rust: only the JSON changes.
    let d = features_changed(&[(
        "      parts: { type: encoded<list<Part>>, required: true, doc: What to send. }\n",
        "      parts: { type: list<Part>, required: true, doc: What to send. }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::ParamType,
        "operation send_message: param parts",
        Impact::Patch,
    );
    assert!(
        detail.starts_with("type encoded<list<Part>> -> list<Part>"),
        "{detail}"
    );
    let d = features_changed(&[(
        "      last: { type: encoded<list<Part>>, doc: The last message. }\n",
        "      last: { type: list<Part>, doc: The last message. }\n",
    )]);
    assert_change(
        &d,
        ChangeKind::FieldType,
        "type Contact: field last",
        Impact::Patch,
    );
    assert!(!d.is_breaking(), "{d:#?}");
    // Another Rust type is breaking.
    let d = features_changed(&[(
        "      last: { type: encoded<list<Part>>, doc: The last message. }\n",
        "      last: { type: encoded<Part>, doc: The last message. }\n",
    )]);
    assert_change(
        &d,
        ChangeKind::FieldType,
        "type Contact: field last",
        Impact::Breaking,
    );
}

#[test]
fn secret_and_inferred_changes_are_reported_as_patches() {
    let d = features_changed(&[(
        "      token: { type: string, secret: true, doc: Its token. }\n",
        "      token: { type: string, doc: Its token. }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::FieldDoc,
        "type Contact: field token",
        Impact::Patch,
    );
    assert!(detail.contains("secret true -> false"), "{detail}");

    let d = features_changed(&[(
        "      rid: { type: string, doc: The request id. }\n",
        "      rid: { type: string, doc: The request id., inferred: true }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::FieldDoc,
        "type Sent: field rid",
        Impact::Patch,
    );
    assert!(detail.contains("inferred false -> true"), "{detail}");

    let d = features_changed(&[(
        "      tag: { type: string, default: \"\", doc: A tag. }\n",
        "      tag: { type: string, default: \"\", doc: A tag., secret: true, inferred: true }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::ParamDoc,
        "operation send_message: param tag",
        Impact::Patch,
    );
    assert!(detail.contains("secret false -> true"), "{detail}");
    assert!(detail.contains("inferred false -> true"), "{detail}");

    let d = features_changed(&[(
        "    summary: Sends a message.\n",
        "    summary: Sends a message.\n    inferred:\n      - What the answer's `rid` is.\n",
    )]);
    assert_change(
        &d,
        ChangeKind::Inferred,
        "operation send_message",
        Impact::Patch,
    );
    assert_eq!(d.bump(), Bump::Patch);
}

#[test]
fn every_edit_of_the_features_fixture_is_reported() {
    // Whatever changes, diff does not answer "no changes".
    for (from, to) in [
        (SEND_CONSTANTS, "    constants: { data.channel: 2 }\n"),
        ("doc: Text. }", "doc: Some text. }"),
        ("secret: true, doc: Its token. }", "doc: Its token. }"),
        (
            "    provenance: inferred\n    kind: write",
            "    provenance: inferred\n    kind: read",
        ),
        ("doc: A tag. }", "doc: A tag., inferred: true }"),
    ] {
        let d = features_changed(&[(from, to)]);
        assert!(!d.changes.is_empty(), "`{from}` -> `{to}` is not reported");
    }
}

// ---------------------------------------------------------------------------------------------
// The realtime section, on the project's catalogue (the fixtures have none).

fn api_spec_text() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../api-spec.yaml"))
        .expect("the catalogue")
}

#[test]
fn realtime_changes_are_reported_added_as_minor_docs_as_patches_the_rest_as_breaking() {
    let text = api_spec_text();
    let start = text.find("\nrealtime:\n").expect("a realtime section") + 1;
    let end = start + text[start..].find("\noperations:\n").unwrap();
    let without = format!("{}{}", &text[..start], &text[end..]);
    let with = load(&text, "api-spec.yaml");

    let d = diff(&load(&without, "old.yaml"), &with);
    let detail = assert_change(&d, ChangeKind::Realtime, "realtime", Impact::Addition);
    assert!(detail.contains("`Client::realtime`"), "{detail}");
    assert_eq!(d.changes.len(), 1, "{d:#?}");

    let d = diff(&with, &load(&without, "new.yaml"));
    assert_change(&d, ChangeKind::Realtime, "realtime", Impact::Breaking);

    let edited = |from: &str, to: &str| {
        assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once");
        diff(&with, &load(&text.replacen(from, to, 1), "new.yaml"))
    };
    let d = edited("The inbox's WebSocket,", "The inbox's socket,");
    let detail = assert_change(&d, ChangeKind::Realtime, "realtime", Impact::Patch);
    assert_eq!(detail, "doc changed");
    assert_eq!(d.changes.len(), 1, "{d:#?}");

    // Anything else is not classified further: breaking, and the detail says so.
    let d = edited("\"5\": 24,", "\"5\": 48,");
    let detail = assert_change(&d, ChangeKind::Realtime, "realtime", Impact::Breaking);
    assert!(detail.contains("not classified further"), "{detail}");

    // Positions alone are no change.
    let d = diff(
        &with,
        &load(
            &text.replacen("\nrealtime:\n", "\n\nrealtime:\n", 1),
            "new.yaml",
        ),
    );
    assert!(d.changes.is_empty(), "{d:#?}");
}

// -------------------------------------------------------------------------------------------------
// The public API: REST operations (fixtures/diff/rest.yaml) and the `public_api` header.
// -------------------------------------------------------------------------------------------------

/// The diff from rest.yaml to rest.yaml with each `(from, to)` replacement made.
fn rest_changed(edits: &[(&str, &str)]) -> Diff {
    changed_from("rest.yaml", edits)
}

const SET_FIELD_ROUTE: &str =
    r#"http: { method: POST, path: "/contacts/{contact_id}/fields/{field}" }"#;
const SET_FIELD_VALUE: &str = "      value: { type: string, required: true, in: form }\n";
const NEW_REST_OPERATION: &str = r#"
  - name: list_contact_tags
    api: public
    title: Get contact tags
    summary: Lists a contact's tags.
    provenance: swagger
    kind: read
    http: { method: GET, path: "/contacts/{contact_id}/tags" }
    params:
      contact_id: { type: ContactId, required: true, in: path }
"#;

#[test]
fn an_added_rest_operation_is_minor_and_named_by_its_route() {
    let old = std::fs::read_to_string(fixture("rest.yaml")).expect("rest.yaml");
    let new = format!("{old}{NEW_REST_OPERATION}");
    let d = diff(&load(&old, "old"), &load(&new, "new"));
    let detail = assert_change(
        &d,
        ChangeKind::OperationAdded,
        "operation list_contact_tags",
        Impact::Addition,
    );
    assert_eq!(detail, "added (GET /contacts/{contact_id}/tags)");
    assert_eq!(d.changes.len(), 1, "{d:#?}");
    assert_eq!(d.bump(), Bump::Minor);
}

#[test]
fn a_changed_method_or_path_is_breaking() {
    let method = rest_changed(&[(
        SET_FIELD_ROUTE,
        r#"http: { method: PUT, path: "/contacts/{contact_id}/fields/{field}" }"#,
    )]);
    let detail = assert_change(
        &method,
        ChangeKind::Http,
        "operation set_field",
        Impact::Breaking,
    );
    assert_eq!(
        detail,
        "POST /contacts/{contact_id}/fields/{field} -> PUT /contacts/{contact_id}/fields/{field}: \
         the call reaches another route"
    );
    assert_eq!(method.changes.len(), 1, "{method:#?}");
    assert_eq!(method.bump(), Bump::Major);

    let path = rest_changed(&[(
        SET_FIELD_ROUTE,
        r#"http: { method: POST, path: "/contacts/{contact_id}/custom_fields/{field}" }"#,
    )]);
    assert_change(
        &path,
        ChangeKind::Http,
        "operation set_field",
        Impact::Breaking,
    );

    // The same params, each in the other's place: every value goes into another segment.
    let swapped = rest_changed(&[(
        SET_FIELD_ROUTE,
        r#"http: { method: POST, path: "/contacts/{field}/fields/{contact_id}" }"#,
    )]);
    assert_change(
        &swapped,
        ChangeKind::Http,
        "operation set_field",
        Impact::Breaking,
    );
}

#[test]
fn a_path_params_new_wire_name_is_not_a_new_route() {
    // `{field}` -> `{field_name}`, its Rust name kept: the URL sent is the same.
    let d = rest_changed(&[
        (
            SET_FIELD_ROUTE,
            r#"http: { method: POST, path: "/contacts/{contact_id}/fields/{field_name}" }"#,
        ),
        (
            "      field: { type: string, required: true, in: path }\n",
            "      field_name: { type: string, required: true, in: path, rust: field }\n",
        ),
    ]);
    assert_change(
        &d,
        ChangeKind::ParamWireName,
        "operation set_field: param field_name",
        Impact::Patch,
    );
    assert_eq!(d.changes.len(), 1, "{d:#?}");
}

#[test]
fn a_trailing_slash_alone_is_a_patch() {
    let d = rest_changed(&[("path: /pipelines/ }", "path: /pipelines }")]);
    let detail = assert_change(
        &d,
        ChangeKind::Http,
        "operation list_pipelines",
        Impact::Patch,
    );
    assert!(detail.contains("the same route"), "{detail}");
    assert_eq!(d.bump(), Bump::Patch);
}

#[test]
fn a_new_optional_query_param_is_minor_and_a_required_one_breaks_the_public_client() {
    let optional = rest_changed(&[(
        "      value: { type: string, required: true, in: query }\n",
        "      value: { type: string, required: true, in: query }\n      sort: { type: string, in: query }\n",
    )]);
    let detail = assert_change(
        &optional,
        ChangeKind::ParamAdded,
        "operation find_contacts: param sort",
        Impact::Addition,
    );
    assert_eq!(detail, "added, optional (string): a new setter `sort`");
    assert_eq!(optional.bump(), Bump::Minor);

    let required = rest_changed(&[(
        SET_FIELD_VALUE,
        "      value: { type: string, required: true, in: form }\n      source: { type: string, required: true, in: form }\n",
    )]);
    let detail = assert_change(
        &required,
        ChangeKind::ParamAdded,
        "operation set_field: param source",
        Impact::Breaking,
    );
    assert!(
        detail.ends_with("`PublicClient::set_field` takes a new argument"),
        "{detail}"
    );
}

#[test]
fn a_params_new_location_is_a_wire_patch() {
    // A form field that becomes a JSON member, and a query param that becomes a form field:
    // the same setter or argument, sent elsewhere.
    for (edit, item) in [
        (
            (
                SET_FIELD_VALUE,
                "      value: { type: string, required: true, in: body }\n",
            ),
            "operation set_field: param value",
        ),
        (
            (
                "      value: { type: string, required: true, in: query }\n",
                "      value: { type: string, required: true, in: form }\n",
            ),
            "operation find_contacts: param value",
        ),
    ] {
        let d = rest_changed(&[edit]);
        let detail = assert_change(&d, ChangeKind::ParamLocation, item, Impact::Patch);
        assert!(detail.starts_with("in: "), "{detail}");
        assert!(
            d.to_text("0.1.0").contains("(wire change) [patch]"),
            "{d:#?}"
        );
        assert_eq!(d.changes.len(), 1, "{d:#?}");
    }
}

#[test]
fn documented_error_statuses_are_docs() {
    let d = rest_changed(&[(
        "      - { status: 404, doc: User not found }\n",
        "      - { status: 404, doc: User not found }\n      - { status: 400, doc: Invalid parameters }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::HttpErrors,
        "operation get_contact_record",
        Impact::Patch,
    );
    assert_eq!(detail, "http_errors [404] -> [404, 400] (docs)");
}

#[test]
fn an_operation_moved_to_the_other_api_is_breaking() {
    let d = rest_changed(&[(
        "    provenance: inferred\n    kind: read\n    discriminators: { op: admins, op1: get }\n",
        "    api: public\n    provenance: inferred\n    kind: read\n    http: { method: GET, path: /accounts/me }\n",
    )]);
    let detail = assert_change(
        &d,
        ChangeKind::OperationApi,
        "operation get_me",
        Impact::Breaking,
    );
    assert_eq!(
        detail,
        "api mobile -> public: the method `Client::get_me` is now `PublicClient::get_me`, and the \
         call goes to the other API (op=admins, op1=get -> GET /accounts/me)"
    );
    assert_eq!(d.changes.len(), 1, "{d:#?}");
}

#[test]
fn rest_operations_are_renamed_only_when_their_route_is_the_same() {
    // Same method, path and required params under a new name: a rename of a PublicClient method.
    let renamed = rest_changed(&[("  - name: send_flow\n", "  - name: send_flow_to_contact\n")]);
    let detail = assert_change(
        &renamed,
        ChangeKind::OperationRenamed,
        "operation send_flow_to_contact",
        Impact::Breaking,
    );
    assert!(
        detail.ends_with("`PublicClient::send_flow` is now `PublicClient::send_flow_to_contact`"),
        "{detail}"
    );
    // Two REST operations without params or discriminators are not alike for that alone.
    let replaced = rest_changed(&[
        ("  - name: list_pipelines\n", "  - name: list_flows\n"),
        ("path: /pipelines/ }", "path: /flows }"),
    ]);
    assert_change(
        &replaced,
        ChangeKind::OperationAdded,
        "operation list_flows",
        Impact::Addition,
    );
    assert_change(
        &replaced,
        ChangeKind::OperationRemoved,
        "operation list_pipelines",
        Impact::Breaking,
    );
}

#[test]
fn the_public_api_header_changes_the_wire_or_the_docs() {
    let base_url = rest_changed(&[(
        "  base_url: https://api.example.com/\n",
        "  base_url: https://api.example.org/v2/\n",
    )]);
    let detail = assert_change(
        &base_url,
        ChangeKind::PublicApiWire,
        "public_api",
        Impact::Patch,
    );
    assert!(
        detail.starts_with("base_url https://api.example.com/ -> https://api.example.org/v2/"),
        "{detail}"
    );
    assert!(
        base_url.to_text("0.1.0").contains("(wire change) [patch]"),
        "{base_url:#?}"
    );
    let auth = rest_changed(&[("header: X-ACCESS-TOKEN,", "header: X-API-KEY,")]);
    let detail = assert_change(
        &auth,
        ChangeKind::PublicApiWire,
        "public_api",
        Impact::Patch,
    );
    assert_eq!(
        detail,
        "auth header X-ACCESS-TOKEN -> X-API-KEY: the API token is sent in another header"
    );
    let error = rest_changed(&[("error: { at: error,", "error: { at: errors,")]);
    assert_change(
        &error,
        ChangeKind::PublicApiWire,
        "public_api",
        Impact::Patch,
    );
    let docs = rest_changed(&[(
        "  title: Tiny public API\n",
        "  title: Tiny public API\n  doc: The account's REST API.\n",
    )]);
    assert_change(&docs, ChangeKind::PublicApi, "public_api", Impact::Patch);
    for d in [&base_url, &auth, &error, &docs] {
        assert_eq!(d.changes.len(), 1, "{d:#?}");
    }
}

#[test]
fn the_public_api_added_is_minor_and_removed_is_breaking() {
    let with = std::fs::read_to_string(fixture("rest.yaml")).expect("rest.yaml");
    // The mobile operation alone, without the header.
    let header = with.find("public_api:\n").expect("public_api");
    let types = with.find("types:\n").expect("types");
    let rest = with
        .find("  - name: get_contact_record\n")
        .expect("REST operations");
    let without = format!("{}{}", &with[..header], &with[types..rest]);
    let added = diff(&load(&without, "without"), &load(&with, "with"));
    let detail = assert_change(
        &added,
        ChangeKind::PublicApi,
        "public_api",
        Impact::Addition,
    );
    assert!(detail.contains("`PublicClient`"), "{detail}");
    assert!(!added.is_breaking(), "{added:#?}");
    assert_eq!(added.bump(), Bump::Minor);
    let removed = diff(&load(&with, "with"), &load(&without, "without"));
    assert_change(
        &removed,
        ChangeKind::PublicApi,
        "public_api",
        Impact::Breaking,
    );
    assert!(removed.is_breaking());
}
