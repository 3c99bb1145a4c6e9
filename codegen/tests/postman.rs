//! `import-postman`: the documented requests of the docs, as a Postman collection, import into
//! the catalogue's 8 documented operations and merge into api-spec.yaml without a change;
//! merges update wire facts and keep what was written by hand; malformed collections give
//! clear errors.

use chatrace_codegen::diff::{diff, ChangeKind, Impact};
use chatrace_codegen::emit::{emit, emit_over, without_positions};
use chatrace_codegen::model::*;
use chatrace_codegen::postman::{
    import, merge, parse_collection, read_collection, Collection, NoteKind, PostmanError,
};
use chatrace_codegen::{load_file, load_str};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/postman")
        .join(name)
}

fn api_spec() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../api-spec.yaml")
}

const DOCUMENTED: &str = "chatrace-documented.postman_collection.json";

fn documented() -> Collection {
    read_collection(fixture(DOCUMENTED)).expect("the fixture collection parses")
}

fn documented_json() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(DOCUMENTED)).unwrap()).unwrap()
}

/// A unique temporary copy of `from`, removed when dropped.
struct TempCopy(PathBuf);

impl TempCopy {
    fn of(from: &Path, tag: &str) -> TempCopy {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let path = std::env::temp_dir().join(format!(
            "chatrace-postman-{tag}-{}-{nanos}.yaml",
            std::process::id()
        ));
        std::fs::copy(from, &path).expect("copy the catalogue");
        TempCopy(path)
    }
}

impl Drop for TempCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn run(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_chatrace-codegen"))
        .args(args)
        .output()
        .expect("run chatrace-codegen");
    (
        output.status.code().expect("exit code"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn body_params(op: &Operation) -> Vec<(String, Location)> {
    let mut params: Vec<(String, Location)> = op
        .params
        .iter()
        .map(|p| (p.wire.clone(), p.location))
        .collect();
    params.sort_by(|a, b| a.0.cmp(&b.0));
    params
}

#[test]
fn the_fixture_holds_the_eight_documented_requests_in_folders() {
    let collection = documented();
    assert_eq!(collection.name, "Chatrace");
    assert_eq!(collection.requests.len(), 8);
    let paths: Vec<String> = collection.requests.iter().map(|r| r.path()).collect();
    assert!(
        paths.contains(&"Login / Login with Google".to_string()),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"E-commerce / Update order".to_string()),
        "{paths:?}"
    );
    for request in &collection.requests {
        assert_eq!(request.method, "POST");
        assert_eq!(request.url, "{{api_url}}");
        assert_eq!(request.examples.len(), 1, "{}", request.name);
    }
}

#[test]
fn importing_gives_the_catalogue_s_documented_operations() {
    let catalogue = load_file(api_spec()).expect("api-spec.yaml is valid");
    let imported = import(&documented()).expect("imports");
    let ops = &imported.catalogue.operations;
    assert_eq!(ops.len(), 8);
    let documented: Vec<&Operation> = catalogue
        .operations
        .iter()
        .filter(|o| o.provenance == Provenance::Documented)
        .collect();
    assert_eq!(documented.len(), 8);
    for expected in documented {
        let op = ops
            .iter()
            .find(|o| o.title == expected.title)
            .unwrap_or_else(|| panic!("no imported operation titled `{}`", expected.title));
        let name = &expected.name;
        assert_eq!(op.provenance, Provenance::Documented, "{name}");
        assert_eq!(op.discriminators, expected.discriminators, "{name}");
        assert_eq!(op.auth, expected.auth, "{name}");
        assert_eq!(op.scope, expected.scope, "{name}");
        assert_eq!(op.kind, expected.kind, "{name}: kind guessed from `get`");
        // The header params (X-PLATFORM on the social logins).
        let headers = |o: &Operation| -> Vec<(String, String)> {
            o.params
                .iter()
                .filter(|p| p.location == Location::Header)
                .map(|p| (p.wire.clone(), p.rust.clone()))
                .collect()
        };
        assert_eq!(headers(op), headers(expected), "{name}");
        // Every body param the example sends, where the catalogue puts it and in its wire form.
        let sent: Vec<(String, Location)> = body_params(expected)
            .into_iter()
            .filter(|(wire, location)| {
                let example = expected.example.as_ref().unwrap().request_json(1).unwrap();
                match location {
                    Location::Top => example.get(wire).is_some(),
                    Location::Data => example["data"].get(wire).is_some(),
                    Location::Header => true,
                }
            })
            .collect();
        assert_eq!(body_params(op), sent, "{name}");
        for param in &op.params {
            let declared = expected.param(&param.wire).unwrap();
            if param.ty == TypeRef::Scalar(Scalar::Id) {
                assert_eq!(declared.ty, param.ty, "{name} {}", param.wire);
                assert_eq!(declared.wire_as, param.wire_as, "{name} {}", param.wire);
            }
        }
        // The example, verbatim.
        let (got, want) = (
            op.example.as_ref().unwrap(),
            expected.example.as_ref().unwrap(),
        );
        assert_eq!(got.headers, want.headers, "{name}");
        assert_eq!(got.request.trim_end(), want.request.trim_end(), "{name}");
        assert_eq!(
            got.response.as_deref().map(str::trim_end),
            want.response.as_deref().map(str::trim_end),
            "{name}"
        );
    }
    // Names come from the titles when there is no catalogue to take them from.
    assert!(ops.iter().any(|o| o.name == "get_order_information"));
    assert!(ops.iter().any(|o| o.name == "delete_a_contact"));
    // The import is a valid catalogue on its own.
    let text = emit(&imported.catalogue);
    load_str(&text, "imported.yaml").unwrap_or_else(|e| panic!("{e}\n{text}"));
}

#[test]
fn the_import_reports_its_guesses_and_what_it_could_not_infer() {
    let imported = import(&documented()).expect("imports");
    let has = |kind: NoteKind, item: &str, needle: &str| {
        imported
            .notes
            .iter()
            .any(|n| n.kind == kind && n.item == item && n.detail.contains(needle))
    };
    assert!(has(
        NoteKind::Guessed,
        "operation delete_a_contact: param contact_id",
        "id sent as a string, required"
    ));
    assert!(has(
        NoteKind::Guessed,
        "operation get_order_information",
        "kind: read"
    ));
    assert!(has(
        NoteKind::NotInferred,
        "operation get_order_information",
        "response type not inferred for get_order_information"
    ));
    assert!(has(
        NoteKind::Guessed,
        "operation login_with_google: param X-PLATFORM",
        "ios|android"
    ));
    // `{"status":"OK"}` answers nothing: a response of none is not a guess.
    let delete = imported
        .catalogue
        .operation_named("delete_a_contact")
        .unwrap();
    assert_eq!(delete.response, None);
    assert!(!has(
        NoteKind::NotInferred,
        "operation delete_a_contact",
        "response type"
    ));
}

#[test]
fn merging_into_a_copy_of_the_catalogue_changes_nothing() {
    let copy = TempCopy::of(&api_spec(), "merge");
    let before = std::fs::read_to_string(&copy.0).unwrap();
    let (code, out, err) = run(&[
        "import-postman",
        &fixture(DOCUMENTED).display().to_string(),
        "--into",
        &copy.0.display().to_string(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.is_empty(), "with --into nothing goes to stdout: {out}");
    assert!(err.contains("0 change(s), 0 breaking"), "{err}");
    assert!(
        err.contains("46 operation(s): not in the collection, kept"),
        "{err}"
    );
    let after = std::fs::read_to_string(&copy.0).unwrap();
    // The merged catalogue loads, and diff sees no change at all (so none breaking).
    let merged = load_file(&copy.0).expect("the merged catalogue is valid");
    let original = load_str(&before, "api-spec.yaml").unwrap();
    let changes = diff(&original, &merged);
    assert!(changes.changes.is_empty(), "{:#?}", changes.changes);
    let (code, out, err) = run(&[
        "diff",
        &api_spec().display().to_string(),
        &copy.0.display().to_string(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    // And the file is untouched, comments and all.
    assert!(before == after, "the merge rewrote text it did not change");
}

/// The fixture collection, edited as the vendor might edit it.
fn changed_collection() -> Collection {
    let mut c = documented_json();
    let items = c["item"].as_array_mut().unwrap();
    let find = |items: &mut Vec<Value>, folder: &str, name: &str| -> (usize, usize) {
        let f = items.iter().position(|i| i["name"] == folder).unwrap();
        let r = items[f]["item"]
            .as_array()
            .unwrap()
            .iter()
            .position(|i| i["name"] == name)
            .unwrap();
        (f, r)
    };
    // get_order: the example now sends the id as a string.
    let (f, r) = find(items, "E-commerce", "Get order information");
    let example = &mut items[f]["item"][r]["response"][0]["originalRequest"]["body"]["raw"];
    *example = json!(example
        .as_str()
        .unwrap()
        .replace("\"id\": 1000000", "\"id\": \"1000000\""));
    // update_order: the body gains a `note` in `data`, and the vendor retitled it.
    let (f, r) = find(items, "E-commerce", "Update order");
    items[f]["item"][r]["name"] = json!("Update an order");
    let example = &mut items[f]["item"][r]["response"][0]["originalRequest"]["body"]["raw"];
    *example = json!(example
        .as_str()
        .unwrap()
        .replace("\"status\":7", "\"status\":7,\n    \"note\":\"gift\""));
    // delete_contact: the vendor renamed its op1 (found by its title).
    let (f, r) = find(items, "Contacts", "Delete a contact");
    let item = &mut items[f]["item"][r];
    for raw in ["/request/body/raw", "/response/0/originalRequest/body/raw"] {
        let raw = item.pointer_mut(raw).unwrap();
        *raw = json!(raw
            .as_str()
            .unwrap()
            .replace("\"op1\":\"delete\"", "\"op1\":\"remove\""));
    }
    // list_gbm_locations: the saved response is an HTML error page.
    let (f, r) = find(
        items,
        "Google Business Messages",
        "Get list of Google Business Message locations",
    );
    items[f]["item"][r]["response"][0]["body"] = json!("<html>502 Bad Gateway</html>");
    // A request the catalogue has as `inferred` (list_tags), and a new one.
    let (f, r) = find(items, "Contacts", "Delete a contact");
    let tags = |title: &str, op: &str| {
        let mut item = items[f]["item"][r].clone();
        item["name"] = json!(title);
        let body = format!(
            "{{\n  \"account_id\": {{{{account_id}}}},\n  \"op\":\"{op}\",\n  \"op1\":\"get\"\n}}"
        );
        item["request"]["body"]["raw"] = json!(body);
        item["response"][0]["originalRequest"]["body"]["raw"] = json!(body);
        item["response"][0]["body"] =
            json!("{\n \"status\": \"OK\",\n \"data\": [ { \"id\": 1, \"name\": \"vip\" } ]\n}");
        item
    };
    let list_tags = tags("Get list of tags", "tags");
    let widgets = tags("Get list of widgets", "widgets");
    items[f]["item"].as_array_mut().unwrap().push(list_tags);
    items[f]["item"].as_array_mut().unwrap().push(widgets);
    parse_collection(&c.to_string()).expect("the edited collection parses")
}

#[test]
fn merging_updates_wire_facts_adds_what_is_new_and_keeps_what_was_written_by_hand() {
    let text = std::fs::read_to_string(api_spec()).unwrap();
    let existing = load_str(&text, "api-spec.yaml").unwrap();
    let merged = merge(&existing, &changed_collection()).expect("merges");
    let out = emit_over(&merged.catalogue, &text);
    let written = load_str(&out, "merged.yaml").unwrap_or_else(|e| panic!("{e}"));
    let note = |kind: NoteKind, item: &str, needle: &str| {
        assert!(
            merged
                .notes
                .iter()
                .any(|n| n.kind == kind && n.item == item && n.detail.contains(needle)),
            "no {kind:?} note on `{item}` containing `{needle}`:\n{}",
            merged
                .notes
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    };

    // Nothing dropped: every operation and type is still there, in its place.
    assert_eq!(written.operations.len(), existing.operations.len() + 1);
    assert_eq!(
        without_positions(&written).types,
        without_positions(&existing).types
    );
    for (before, after) in existing.operations.iter().zip(&written.operations) {
        assert_eq!(before.name, after.name);
        assert_eq!(before.summary, after.summary, "{}", before.name);
    }

    // get_order: the wire form follows the example; the type stays `id`.
    let get_order = written.operation_named("get_order").unwrap();
    let id = get_order.param("id").unwrap();
    assert_eq!(
        (&id.ty, id.wire_as),
        (&TypeRef::Scalar(Scalar::Id), WireAs::String)
    );
    assert_eq!(id.doc.as_deref(), Some("The order id."));
    note(
        NoteKind::Updated,
        "operation get_order: param id",
        "sent as a string",
    );

    // update_order: name, title and the hand-written `OrderStatus` kept; `note` added.
    let update = written.operation_named("update_order").unwrap();
    assert_eq!(update.title, "Update order");
    assert_eq!(
        update.param("status").unwrap().ty,
        TypeRef::Named("OrderStatus".into())
    );
    let note_param = update.param("note").expect("the new param");
    assert_eq!(
        (note_param.location, note_param.required),
        (Location::Data, true)
    );
    note(
        NoteKind::Kept,
        "operation update_order",
        "title `Update order` kept",
    );
    note(
        NoteKind::Added,
        "operation update_order: param note",
        "required (guessed",
    );

    // delete_contact: found by its title, its discriminators updated.
    let delete = written.operation_named("delete_contact").unwrap();
    assert_eq!(delete.discriminators[1], ("op1".into(), "remove".into()));
    note(
        NoteKind::Updated,
        "operation delete_contact",
        "discriminators",
    );

    // list_tags was inferred: now documented, with the example; its type kept.
    let tags = written.operation_named("list_tags").unwrap();
    assert_eq!(tags.provenance, Provenance::Documented);
    assert!(tags
        .example
        .as_ref()
        .unwrap()
        .request
        .contains("\"op\":\"tags\""));
    assert_eq!(tags.response, Some(TypeRef::parse("list<Tag>").unwrap()));
    note(
        NoteKind::Updated,
        "operation list_tags",
        "provenance inferred -> documented",
    );

    // list_gbm_locations: the broken saved response is reported, the documented one kept.
    note(
        NoteKind::NotInferred,
        "operation list_gbm_locations",
        "not a JSON envelope",
    );
    assert_eq!(
        written
            .operation_named("list_gbm_locations")
            .unwrap()
            .example,
        existing
            .operation_named("list_gbm_locations")
            .unwrap()
            .example
            .clone()
            .map(|mut e| {
                e.pos = written
                    .operation_named("list_gbm_locations")
                    .unwrap()
                    .example
                    .as_ref()
                    .unwrap()
                    .pos;
                e
            })
    );

    // The new request: added last, named from its title, response left for a human.
    let widgets = written.operations.last().unwrap();
    assert_eq!(widgets.name, "get_list_of_widgets");
    assert_eq!(widgets.kind, OperationKind::Read);
    assert_eq!(widgets.response, None);
    note(NoteKind::Added, "operation get_list_of_widgets", "new");
    note(
        NoteKind::NotInferred,
        "operation get_list_of_widgets",
        "response type not inferred for get_list_of_widgets",
    );

    // What diff makes of it.
    let changes = diff(&existing, &written);
    let find = |kind: ChangeKind, item: &str| {
        changes
            .changes
            .iter()
            .find(|c| c.kind == kind && c.item == item)
            .unwrap_or_else(|| panic!("no {kind:?} on {item}: {:#?}", changes.changes))
            .impact
    };
    assert_eq!(
        find(ChangeKind::ParamWireAs, "operation get_order: param id"),
        Impact::Patch
    );
    assert_eq!(
        find(ChangeKind::ParamAdded, "operation update_order: param note"),
        Impact::Breaking
    );
    assert_eq!(
        find(ChangeKind::Discriminators, "operation delete_contact"),
        Impact::Breaking
    );
    assert_eq!(
        find(ChangeKind::Provenance, "operation list_tags"),
        Impact::Patch
    );
    assert_eq!(
        find(ChangeKind::OperationAdded, "operation get_list_of_widgets"),
        Impact::Addition
    );
    assert!(changes.is_breaking());

    // Only the changed operations were rewritten: the text of the others is the original's.
    let unchanged = "  - name: login_with_google\n";
    let start = text.find(unchanged).unwrap();
    let end = text.find("  - name: login_with_microsoft").unwrap();
    assert!(out.contains(&text[start..end]));
    assert!(out.contains("# Provenance. The `documented` operations"));
}

// ---------------------------------------------------------------------------------------------
// Malformed collections: clear errors, never a panic.

#[test]
fn a_file_that_is_not_json_says_so() {
    let error = read_collection(fixture("not-json.postman_collection.json")).unwrap_err();
    assert!(
        matches!(error, PostmanError::NotJson { line: 1, .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().starts_with("the collection is not JSON"),
        "{error}"
    );
}

#[test]
fn a_v1_collection_is_refused_with_the_way_out() {
    let error = read_collection(fixture("v1.postman_collection.json")).unwrap_err();
    assert_eq!(error, PostmanError::V1Collection);
    let message = error.to_string();
    assert!(message.contains("Collection v1"), "{message}");
    assert!(
        message.contains("export the collection again as Collection v2.1"),
        "{message}"
    );
}

#[test]
fn a_request_without_a_body_is_named() {
    let error = read_collection(fixture("no-body.postman_collection.json")).unwrap_err();
    let PostmanError::Items(items) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].path, "E-commerce / Get list of orders");
    assert!(
        items[0].message.contains("has no body"),
        "{}",
        items[0].message
    );
}

#[test]
fn other_malformed_collections_give_errors() {
    let v21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";
    let collection =
        |items: Value| json!({ "info": { "name": "x", "schema": v21 }, "item": items });
    let request = |method: &str, raw: &str| json!({ "name": "Call", "request": { "method": method, "header": [], "body": { "mode": "raw", "raw": raw }, "url": "{{api_url}}" } });
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "not JSON"),
        ("[]".into(), "not a JSON object"),
        ("{}".into(), "info.schema"),
        (json!({ "info": { "schema": "https://schema.getpostman.com/json/collection/v3.0.0/" }, "item": [] }).to_string(), "unsupported collection schema"),
        (json!({ "info": { "schema": v21 } }).to_string(), "`item`"),
        (json!({ "info": { "schema": v21 }, "item": [] }).to_string(), "holds no requests it can import"),
        (collection(json!([1])).to_string(), "must be a JSON object"),
        (collection(json!([{ "name": "Lost" }])).to_string(), "neither a folder"),
        (collection(json!([{ "name": "F", "item": 3 }])).to_string(), "must be a list"),
        (collection(json!([{ "name": "U", "request": "{{api_url}}" }])).to_string(), "only a URL"),
        (collection(json!([request("GET", "{\"op\":\"x\"}")])).to_string(), "method GET"),
        (collection(json!([request("POST", "{\"op\": ")])).to_string(), "not JSON"),
        (collection(json!([request("POST", "[1, 2]")])).to_string(), "not a JSON object"),
        (collection(json!([request("POST", "{\"data\": {}}")])).to_string(), "no `op`"),
        (collection(json!([request("POST", "{\"op\": 1}")])).to_string(), "`op` is not a string"),
        (collection(json!([request("POST", "{\"op\": \"a\", \"op2\": \"b\"}")])).to_string(), "without the discriminators before it"),
        (collection(json!([{ "name": "Form", "request": { "method": "POST", "body": { "mode": "formdata", "formdata": [] } } }])).to_string(), "holds no requests it can import\n  Form: not imported: its body's mode is `formdata`"),
        (collection(json!([{ "name": "H", "request": { "method": "POST", "header": [{ "value": "x" }], "body": { "mode": "raw", "raw": "{}" } } }])).to_string(), "header has no `key`"),
    ];
    for (text, needle) in cases {
        let result = parse_collection(&text).and_then(|c| import(&c));
        let error = match result {
            Ok(_) => panic!("`{text}` imported"),
            Err(error) => error.to_string(),
        };
        assert!(
            error.contains(needle),
            "`{text}`: `{error}` lacks `{needle}`"
        );
    }
}

#[test]
fn requests_with_a_form_body_are_skipped_and_reported() {
    let mut c = documented_json();
    let upload = json!({
        "name": "Upload a file",
        "request": {
            "method": "POST",
            "header": [{ "key": "X-ACCESS-TOKEN", "value": "{{token}}" }],
            "body": { "mode": "formdata", "formdata": [{ "key": "file", "type": "file", "src": [] }] },
            "url": "{{api_url}}"
        }
    });
    c["item"][1]["item"].as_array_mut().unwrap().push(upload);
    let collection = parse_collection(&c.to_string()).expect("parses");
    assert_eq!(collection.requests.len(), 8);
    assert_eq!(collection.skipped.len(), 1);
    let imported = import(&collection).expect("imports the others");
    assert_eq!(imported.catalogue.operations.len(), 8);
    assert!(imported
        .notes
        .iter()
        .any(|n| n.kind == NoteKind::NotInferred
            && n.item == "request `Contacts / Upload a file`"
            && n.detail.contains("`formdata`")));
    let existing = load_file(api_spec()).unwrap();
    let merged = merge(&existing, &collection).expect("merges the others");
    assert_eq!(merged.catalogue.operations.len(), existing.operations.len());
    assert!(merged
        .notes
        .iter()
        .any(|n| n.item == "request `Contacts / Upload a file`"));
}

#[test]
fn the_cli_reports_malformed_collections_and_exits_1() {
    for (name, needle) in [
        ("not-json.postman_collection.json", "not JSON"),
        ("v1.postman_collection.json", "Collection v1"),
        (
            "no-body.postman_collection.json",
            "E-commerce / Get list of orders: the request has no body",
        ),
        ("missing.postman_collection.json", "cannot read"),
    ] {
        let (code, out, err) = run(&["import-postman", &fixture(name).display().to_string()]);
        assert_eq!(code, 1, "{name}: {out}{err}");
        assert!(err.contains(needle), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(out.is_empty(), "{name}: {out}");
    }
}

#[test]
fn the_cli_prints_an_imported_catalogue_that_validates() {
    let (code, out, err) = run(&["import-postman", &fixture(DOCUMENTED).display().to_string()]);
    assert_eq!(code, 0, "{err}");
    let catalogue = load_str(&out, "stdout").unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert_eq!(catalogue.operations.len(), 8);
    assert!(out.contains("    provenance: documented\n"));
    assert!(
        out.contains(
            "      X-PLATFORM: { type: string, required: true, in: header, rust: platform"
        ),
        "{out}"
    );
    assert!(
        err.contains("not inferred  operation get_list_of_orders: response type not inferred"),
        "{err}"
    );
}
