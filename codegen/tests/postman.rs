//! `import-postman` on the vendor's own collection (`tests/fixtures/chatrace.postman_collection.json`
//! at the repository root, its source in tests/fixtures/README.md): every request becomes an
//! operation with all of its examples, the wire form the import infers is the catalogue's, a
//! merge into api-spec.yaml changes nothing, a merge of an edited collection updates the wire
//! and keeps what was written by hand, and malformed collections give clear errors.

use chatrace_codegen::diff::{diff, ChangeKind, Impact};
use chatrace_codegen::emit::{emit, emit_over, without_positions};
use chatrace_codegen::load_str;
use chatrace_codegen::model::*;
use chatrace_codegen::postman::{
    import, merge, parse_collection, read_collection, Collection, Import, NoteKind, PostmanError,
};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/postman")
        .join(name)
}

/// The vendor's collection, verbatim.
fn vendor_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/chatrace.postman_collection.json")
}

fn vendor() -> Collection {
    read_collection(vendor_path()).expect("the vendor's collection parses")
}

fn vendor_json() -> Value {
    serde_json::from_str(&std::fs::read_to_string(vendor_path()).unwrap()).unwrap()
}

fn api_spec() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../api-spec.yaml")
}

fn catalogue() -> (String, Catalogue) {
    let text = std::fs::read_to_string(api_spec()).unwrap();
    let catalogue = load_str(&text, "api-spec.yaml").expect("api-spec.yaml is valid");
    (text, catalogue)
}

fn imported() -> Import {
    import(&vendor()).expect("the vendor's collection imports")
}

fn op<'a>(catalogue: &'a Catalogue, title: &str) -> &'a Operation {
    catalogue
        .operations
        .iter()
        .find(|o| o.title == title)
        .unwrap_or_else(|| panic!("no operation titled `{title}`"))
}

fn notes_text(import: &Import) -> String {
    import
        .notes
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn has_note(import: &Import, kind: NoteKind, item: &str, needle: &str) -> bool {
    import
        .notes
        .iter()
        .any(|n| n.kind == kind && n.item == item && n.detail.contains(needle))
}

#[track_caller]
fn assert_note(import: &Import, kind: NoteKind, item: &str, needle: &str) {
    assert!(
        has_note(import, kind, item, needle),
        "no {kind:?} note on `{item}` containing `{needle}`:\n{}",
        notes_text(import)
    );
}

// ---------------------------------------------------------------------------------------------
// Reading the vendor's collection.

#[test]
fn the_vendor_s_collection_is_read_whole() {
    let collection = vendor();
    assert_eq!(collection.name, "Chatrace");
    assert_eq!(collection.requests.len(), 54);
    assert!(collection.skipped.is_empty(), "{:?}", collection.skipped);
    let examples: usize = collection.requests.iter().map(|r| r.examples.len()).sum();
    assert_eq!(examples, 60);
    let upload = collection
        .requests
        .iter()
        .find(|r| r.name == "Upload a file")
        .unwrap();
    assert_eq!(upload.encoding, BodyEncoding::Multipart);
    assert_eq!(upload.file_parts, ["file"]);
    assert!(upload
        .body
        .starts_with("{\"account_id\":\"{{account_id}}\""));
    let saved = upload.examples[0].request_body.as_deref().unwrap();
    assert!(saved.contains("\"op2\":\"voice\""), "{saved}");
    for request in &collection.requests {
        assert_eq!(request.method, "POST");
        assert!(request.url.starts_with("{{api_url}}"), "{}", request.url);
    }
}

// ---------------------------------------------------------------------------------------------
// Importing it alone.

#[test]
fn importing_gives_54_operations_with_all_60_examples_verbatim() {
    let imported = imported();
    let ops = &imported.catalogue.operations;
    assert_eq!(ops.len(), 54);
    assert_eq!(ops.iter().map(|o| o.examples.len()).sum::<usize>(), 60);
    let raw = vendor_json();
    for (item, op) in raw["item"].as_array().unwrap().iter().zip(ops) {
        assert_eq!(item["name"], json!(op.title));
        assert_eq!(op.provenance, Provenance::Collection, "{}", op.name);
        let saved = item["response"].as_array().unwrap();
        assert_eq!(op.examples.len(), saved.len(), "{}", op.name);
        for (example, saved) in op.examples.iter().zip(saved) {
            assert_eq!(json!(example.name), saved["name"], "{}", op.name);
            let body = &saved["originalRequest"]["body"];
            let request = match body["mode"].as_str().unwrap() {
                "raw" => body["raw"].as_str().unwrap().to_string(),
                _ => body["formdata"][0]["value"].as_str().unwrap().to_string(),
            };
            // Verbatim but for line ends and the blank space after the last line.
            let verbatim = |text: &str| format!("{}\n", text.replace("\r\n", "\n").trim_end());
            assert_eq!(
                example.request.as_deref(),
                Some(verbatim(&request).as_str()),
                "{}",
                op.name
            );
            assert_eq!(
                example.response.as_deref(),
                Some(verbatim(saved["body"].as_str().unwrap()).as_str()),
                "{}",
                op.name
            );
            assert!(
                !example
                    .request
                    .as_deref()
                    .unwrap_or_default()
                    .contains('\r'),
                "{}",
                op.name
            );
            let headers: Vec<(String, String)> = saved["originalRequest"]["header"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| {
                    (
                        h["key"].as_str().unwrap().to_string(),
                        h["value"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            assert_eq!(example.headers, headers, "{}", op.name);
        }
    }
    // A valid catalogue, which emits and reads back as itself.
    let text = emit(&imported.catalogue);
    let again = load_str(&text, "imported.yaml").unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(
        without_positions(&again),
        without_positions(&imported.catalogue)
    );
}

/// A param's wire form: where it goes, the JSON form its values are sent in, and what is sent
/// when it is not set.
fn wire_params(catalogue: &Catalogue, op: &Operation) -> BTreeSet<String> {
    op.params
        .iter()
        .map(|p| {
            let name = if p.location == Location::Header {
                p.wire.to_ascii_lowercase()
            } else {
                p.wire.clone()
            };
            let default = p.default.as_ref().map_or("-".to_string(), Value::to_string);
            format!(
                "{name} in {:?} as {:?} default {default}{}",
                p.location,
                p.sent_as(catalogue),
                if p.is_file() { " (file)" } else { "" }
            )
        })
        .collect()
}

fn constants(op: &Operation) -> BTreeSet<String> {
    op.constants
        .iter()
        .map(|c| format!("{} = {}", c.path, c.value))
        .collect()
}

/// Does the collection show anything beside `data` in this operation's answers?
fn answers_beside_data(op: &Operation) -> bool {
    op.examples.iter().any(|e| {
        let answer: Value = serde_json::from_str(e.response.as_deref().unwrap_or("{}")).unwrap();
        answer
            .as_object()
            .unwrap()
            .keys()
            .any(|k| k != "status" && k != "data")
    })
}

#[test]
fn the_import_infers_the_catalogue_s_wire_form_of_every_operation() {
    // The collection is the mobile API's: the public API's REST operations are not in it, nor
    // the operations the catalogue infers from the vendor's web inbox.
    let mut catalogue = catalogue().1;
    catalogue
        .operations
        .retain(|op| !op.is_rest() && op.provenance == Provenance::Collection);
    let imported = imported();
    let got_catalogue = &imported.catalogue;
    assert_eq!(catalogue.operations.len(), got_catalogue.operations.len());
    for expected in &catalogue.operations {
        let got = op(got_catalogue, &expected.title);
        let name = &expected.name;
        assert_eq!(
            got.discriminator_pattern(),
            expected.discriminator_pattern(),
            "{name}"
        );
        assert_eq!(got.auth, expected.auth, "{name}");
        assert_eq!(got.scope, expected.scope, "{name}");
        assert_eq!(got.account_as, expected.account_as, "{name}");
        assert_eq!(got.body, expected.body, "{name}");
        assert_eq!(got.kind, expected.kind, "{name}");
        assert_eq!(constants(got), constants(expected), "{name}");
        // The params the SDK sends, in the form it sends them; where the catalogue sends a key
        // under another name than its example (`renamed`), the import has the example's.
        let mut want = wire_params(&catalogue, expected);
        for (from, to) in expected.examples.iter().flat_map(|e| &e.renamed) {
            let renamed: Vec<String> = want
                .iter()
                .filter(|p| p.starts_with(&format!("{to} in")))
                .cloned()
                .collect();
            for p in renamed {
                want.remove(&p);
                want.insert(p.replacen(to.as_str(), from, 1));
            }
        }
        assert_eq!(wire_params(got_catalogue, got), want, "{name}");
        // What is required differs only where the catalogue made a param optional by hand.
        for param in got.params.iter().filter(|p| !p.required) {
            let declared = expected
                .params
                .iter()
                .find(|p| p.wire.eq_ignore_ascii_case(&param.wire))
                .unwrap();
            assert!(!declared.required, "{name}: {} optional", param.wire);
        }
        assert_eq!(
            got.response.is_some(),
            expected.response.is_some(),
            "{name}"
        );
        assert!(
            got.response_in == expected.response_in
                || (expected.response_in == ResponseIn::Envelope && !answers_beside_data(got)),
            "{name}"
        );
        assert_eq!(
            got.session == Some(SessionEffect::Start),
            expected.session == Some(SessionEffect::Start),
            "{name}"
        );
        assert_eq!(got.paging.is_some(), expected.paging.is_some(), "{name}");
    }
}

/// A collection of one request, with its saved examples `(name, request, response)`.
fn one_request(title: &str, template: &str, examples: &[(&str, &str, &str)]) -> Collection {
    let headers = json!([
        { "key": "Content-Type", "value": "application/json" },
        { "key": "X-ACCESS-TOKEN", "value": "{{token}}" },
        { "key": "User-Agent", "value": "mobile-app" }
    ]);
    let request = |raw: &str| json!({ "method": "POST", "header": headers, "body": { "mode": "raw", "raw": raw }, "url": "{{api_url}}" });
    let responses: Vec<Value> = examples
        .iter()
        .map(|(name, raw, answer)| {
            json!({ "name": name, "originalRequest": request(raw), "code": 200, "body": answer })
        })
        .collect();
    let collection = json!({
        "info": { "name": "Rules", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
        "item": [ { "name": "Shop", "item": [ { "name": title, "request": request(template), "response": responses } ] } ]
    });
    parse_collection(&collection.to_string()).expect("parses")
}

#[test]
fn constants_and_params_follow_the_template_and_the_examples() {
    let template = r#"{
        "account_id": {{account_id}},
        "op": "things", "op1": "get",
        "fixed": true,
        "who": "[contact_id]",
        "mode": "fast|slow",
        "level": "[1|2|3]",
        "flag": "[1|0]",
        "note": null,
        "tags": [],
        "offset": 0, "limit": 25,
        "old": "x",
        "varies": 1,
        "data": { "text": "", "zero": 0 }
    }"#;
    let first = r#"{
        "account_id": {{account_id}}, "op": "things", "op1": "get", "fixed": true,
        "who": "42", "mode": "fast", "level": 2, "flag": 1, "note": null, "tags": [],
        "offset": 0, "limit": 25, "varies": 1, "extra": "e",
        "data": { "text": "hi", "zero": 0 }
    }"#;
    let second = r#"{
        "account_id": {{account_id}}, "op": "things", "op1": "get", "fixed": true,
        "who": "43", "mode": "slow", "level": 3, "flag": 0, "note": null, "tags": [],
        "offset": 25, "limit": 25, "varies": 2,
        "data": { "text": "yo", "zero": 0 }
    }"#;
    let answer = r#"{"status":"OK","data":[{"id":"1","when":"1688201188610","n":"3","at":"2023-05-22 17:57:43"}]}"#;
    let imported = import(&one_request(
        "List things",
        template,
        &[
            ("First page", first, answer),
            ("Second page", second, answer),
        ],
    ))
    .expect("imports");
    let catalogue = &imported.catalogue;
    let things = &catalogue.operations[0];
    assert_eq!(things.name, "list_things");
    assert_eq!(things.area.as_deref(), Some("Shop"));
    assert_eq!(things.examples.len(), 2);
    // The same literal in the template and every example: a constant.
    assert_eq!(
        constants(things),
        BTreeSet::from(["fixed = true".to_string(), "data.zero = 0".to_string()])
    );
    let param = |wire: &str| {
        things
            .param(wire)
            .unwrap_or_else(|| panic!("no param {wire}"))
    };
    let shape = |p: &Param| {
        (
            p.ty.to_string(),
            p.required,
            p.location,
            p.sent_as(catalogue),
            p.default.clone(),
        )
    };
    use Location::{Data, Top};
    use WireAs::{Number, String as Str};
    // A placeholder that names an id: an id, sent as the examples send it.
    assert_eq!(shape(param("who")), ("id".into(), true, Top, Str, None));
    // Values listed by the template: enums; `1|0` is a flag.
    assert_eq!(
        shape(param("mode")),
        ("ListThingsMode".into(), true, Top, Str, None)
    );
    assert_eq!(
        shape(param("level")),
        ("ListThingsLevel".into(), true, Top, Number, None)
    );
    assert_eq!(
        shape(param("flag")),
        ("boolean".into(), true, Top, Number, None)
    );
    let level = catalogue.type_named("ListThingsLevel").unwrap();
    assert!(
        matches!(&level.kind, TypeKind::Enum { repr: EnumRepr::Integer, values } if values.iter().map(|v| v.value.to_string()).collect::<Vec<_>>() == ["1", "2", "3"])
    );
    // Sent empty by an example: optional, with that default.
    assert_eq!(
        shape(param("note")),
        ("json".into(), false, Top, Str, Some(Value::Null))
    );
    assert_eq!(
        shape(param("tags")),
        ("list<json>".into(), false, Top, Str, Some(json!([])))
    );
    // Paging keys are params even when the template and the examples agree.
    assert_eq!(
        shape(param("offset")),
        ("integer".into(), false, Top, Number, None)
    );
    assert_eq!(
        shape(param("limit")),
        ("integer".into(), false, Top, Number, None)
    );
    let paging = things.paging.as_ref().expect("pages");
    assert_eq!((paging.default_limit, paging.max_limit), (25, 100));
    // A literal the examples change: a param.
    assert_eq!(
        shape(param("varies")),
        ("integer".into(), true, Top, Number, None)
    );
    // Sent by one example only: optional; the template's empty text is not a default.
    assert_eq!(
        shape(param("extra")),
        ("string".into(), false, Top, Str, None)
    );
    assert_eq!(
        shape(param("text")),
        ("string".into(), true, Data, Str, None)
    );
    // Only in the template: left out, and said.
    assert!(things.param("old").is_none());
    assert_note(
        &imported,
        NoteKind::Guessed,
        "operation list_things",
        "the template sends `old`, which no example sends: left out",
    );
    assert_note(
        &imported,
        NoteKind::Guessed,
        "operation list_things",
        "constant fixed: true",
    );
    assert_note(
        &imported,
        NoteKind::Guessed,
        "operation list_things: param who",
        "id sent as a string, required",
    );
    // The answer, typed loosely: ids as text, times by their size, digits as numbers.
    assert_eq!(
        things.response,
        Some(TypeRef::parse("list<ListThingsItem>").unwrap())
    );
    let TypeKind::Struct { fields } = &catalogue.type_named("ListThingsItem").unwrap().kind else {
        panic!("a struct")
    };
    let types: Vec<(&str, String)> = fields
        .iter()
        .map(|f| (f.wire.as_str(), f.ty.to_string()))
        .collect();
    assert_eq!(
        types,
        [
            ("id", "id".to_string()),
            ("when", "millis".to_string()),
            ("n", "integer".to_string()),
            ("at", "datetime".to_string())
        ]
    );
    // The result is a valid catalogue.
    load_str(&emit(catalogue), "rules.yaml").unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn account_id_as_null_is_a_constant_and_as_a_string_sets_account_as() {
    let answer = r#"{"status":"OK"}"#;
    let body = r#"{"account_id": null, "op": "me", "op1": "get"}"#;
    let imported = import(&one_request("Me", body, &[("Example", body, answer)])).unwrap();
    let me = &imported.catalogue.operations[0];
    assert_eq!(me.scope, Scope::None);
    assert_eq!(
        constants(me),
        BTreeSet::from(["account_id = null".to_string()])
    );
    let body = r#"{"account_id": "{{account_id}}", "op": "x"}"#;
    let example = r#"{"account_id": "111", "op": "x"}"#;
    let imported = import(&one_request("X", body, &[("Example", example, answer)])).unwrap();
    let x = &imported.catalogue.operations[0];
    assert_eq!((x.scope, x.account_as), (Scope::Account, WireAs::String));
}

#[test]
fn requests_that_share_discriminators_are_told_apart() {
    let imported = imported();
    let catalogue = &imported.catalogue;
    let identity = |title: &str| {
        let op = op(catalogue, title);
        (constants(op), op.required_paths())
    };
    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let set = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    // By a key's presence.
    assert_eq!(identity("Get list of orders"), (set(&[]), strings(&[])));
    assert_eq!(
        identity("Get order information"),
        (set(&[]), strings(&["id"]))
    );
    assert_eq!(
        identity("Get list of conversations (contacts)"),
        (set(&[]), strings(&[]))
    );
    assert_eq!(
        identity("Get list of messages from a conversation"),
        (set(&[]), strings(&["id"]))
    );
    // By a constant.
    assert_eq!(
        identity("Get logged user information"),
        (set(&["account_id = null", "me = true"]), strings(&[]))
    );
    assert_eq!(
        identity("Get list of admins"),
        (set(&["basic_info = true"]), strings(&[]))
    );
    assert_eq!(
        identity("Get list of Steps from a flow"),
        (set(&["steps = true"]), strings(&["data.flowID"]))
    );
    assert_eq!(identity("Get list of flows"), (set(&[]), strings(&[])));
    assert_eq!(
        identity("Unassign a conversation"),
        (set(&["data.fb_id = 0"]), strings(&["contact_id"]))
    );
    assert_eq!(
        identity("Assign a conversation to admin/team"),
        (set(&[]), strings(&["contact_id", "data.fb_id"]))
    );
    assert_eq!(
        identity("Cancel an appointment"),
        (set(&["status = -1"]), strings(&["id"]))
    );
    // list_messages: the template is a copy of the conversations one; the examples win.
    let messages = op(catalogue, "Get list of messages from a conversation");
    assert!(messages.param("cdts").is_none());
    assert!(!messages.param("expand").unwrap().required);
    assert_note(
        &imported,
        NoteKind::Guessed,
        "operation get_list_of_messages_from_a_conversation",
        "the template sends `cdts`, which no example sends",
    );
}

#[test]
fn the_upload_is_a_multipart_operation_whose_kind_the_caller_chooses() {
    let imported = imported();
    let catalogue = &imported.catalogue;
    let upload = op(catalogue, "Upload a file");
    assert_eq!(upload.body, BodyEncoding::Multipart);
    assert_eq!(upload.account_as, WireAs::String);
    assert_eq!(
        upload.discriminators,
        [
            ("op".to_string(), "flows".to_string()),
            ("op1".into(), "upload".into())
        ]
    );
    assert_eq!(
        constants(upload),
        BTreeSet::from(["inbox = true".to_string(), "uploadFB = false".to_string()])
    );
    let kind = upload.discriminator_param().expect("op2 is the caller's");
    assert_eq!((kind.wire.as_str(), kind.rust.as_str()), ("op2", "kind"));
    let TypeKind::Enum { repr, values } = &catalogue.type_named(&kind.ty.to_string()).unwrap().kind
    else {
        panic!("an enum")
    };
    assert_eq!(*repr, EnumRepr::String);
    let values: Vec<String> = values.iter().map(|v| v.value.to_string()).collect();
    assert_eq!(values, ["image", "video", "audio", "voice", "file"]);
    let file = upload.param("file").unwrap();
    assert!(file.is_file() && file.required);
    let file_name = upload.param("file_name").unwrap();
    assert_eq!(
        (file_name.required, &file_name.default),
        (false, &Some(Value::Null))
    );
    assert_eq!(upload.response_in, ResponseIn::Envelope);
}

#[test]
fn answers_become_types() {
    let imported = imported();
    let catalogue = &imported.catalogue;
    let fields = |name: &str| -> Vec<(String, String)> {
        match &catalogue.type_named(name).unwrap().kind {
            TypeKind::Struct { fields } => fields
                .iter()
                .map(|f| (f.wire.clone(), f.ty.to_string()))
                .collect(),
            other => panic!("{name} is {other:?}"),
        }
    };
    let field = |name: &str, wire: &str| -> String {
        fields(name)
            .into_iter()
            .find(|(w, _)| w == wire)
            .unwrap_or_else(|| panic!("{name} has no {wire}"))
            .1
    };
    // Beside `data`: the logged user, the OTP request, the new custom field, the upload's URL.
    for title in [
        "Get logged user information",
        "Request OTP to log in with email",
        "Add new custom field",
        "Upload a file",
    ] {
        let op = op(catalogue, title);
        assert_eq!(op.response_in, ResponseIn::Envelope, "{title}");
    }
    let user = op(catalogue, "Get logged user information")
        .response
        .clone()
        .unwrap()
        .to_string();
    let user_fields: Vec<String> = fields(&user).into_iter().map(|(w, _)| w).collect();
    assert_eq!(
        user_fields,
        [
            "page_id",
            "me",
            "type",
            "my_pages",
            "curPage",
            "num_live_chat"
        ]
    );
    assert_eq!(field(&user, "page_id"), "id");
    assert!(field(&user, "my_pages").starts_with("list<"));
    // In `data`: loose values read as what they hold.
    let messages = op(catalogue, "Get list of messages from a conversation");
    let TypeRef::List(item) = messages.response.clone().unwrap() else {
        panic!("a list")
    };
    let item = item.to_string();
    assert_eq!(field(&item, "id"), "id");
    assert_eq!(field(&item, "timestamp"), "millis");
    assert!(
        field(&item, "message").starts_with("encoded<list<"),
        "{}",
        field(&item, "message")
    );
    let conversations = op(catalogue, "Get list of conversations (contacts)");
    let TypeRef::List(item) = conversations.response.clone().unwrap() else {
        panic!("a list")
    };
    assert_eq!(field(&item.to_string(), "last_active"), "seconds");
    assert_eq!(field(&item.to_string(), "live_chat"), "integer");
    let contact = op(catalogue, "Get contact information")
        .response
        .clone()
        .unwrap()
        .to_string();
    assert_eq!(field(&contact, "dt"), "datetime");
    assert!(field(&contact, "notes").starts_with("list<"));
    // A login answers a token: the session starts, and the token is a required secret.
    let google = op(catalogue, "Login with Google");
    assert_eq!(google.session, Some(SessionEffect::Start));
    let TypeKind::Struct { fields: token } = &catalogue
        .type_named(&google.response.clone().unwrap().to_string())
        .unwrap()
        .kind
    else {
        panic!()
    };
    assert!(token[0].required && token[0].secret);
    // `{"status":"OK"}` answers nothing.
    assert_eq!(op(catalogue, "Delete a contact").response, None);
    // The X-PLATFORM header and register's `platform` list the same values: one enum.
    let google_platform = op(catalogue, "Login with Google")
        .param("X-PLATFORM")
        .unwrap();
    let device_platform = op(catalogue, "Register device for Firebase Cloud Messaging")
        .param("platform")
        .unwrap();
    assert_eq!(google_platform.ty, TypeRef::Named("Platform".into()));
    assert_eq!(device_platform.ty, google_platform.ty);
    assert!(!google_platform.required, "no example sends X-PLATFORM");
    // Where the template lists values: enums with them.
    let status = op(catalogue, "Update order").param("status").unwrap();
    let TypeKind::Enum { values, .. } = &catalogue.type_named(&status.ty.to_string()).unwrap().kind
    else {
        panic!()
    };
    let values: Vec<String> = values.iter().map(|v| v.value.to_string()).collect();
    assert_eq!(values, ["4", "6", "7", "10", "13"]);
}

#[test]
fn the_report_says_per_operation_what_it_guessed_and_could_not_infer() {
    let imported = imported();
    let count = |kind: NoteKind| imported.notes.iter().filter(|n| n.kind == kind).count();
    assert_eq!(count(NoteKind::Added), 54);
    for op in &imported.catalogue.operations {
        let item = format!("operation {}", op.name);
        assert_note(&imported, NoteKind::Guessed, &item, "kind: ");
        // The collection has no descriptions.
        assert_note(&imported, NoteKind::NotInferred, &item, "no description");
    }
    assert_note(
        &imported,
        NoteKind::Guessed,
        "operation add_new_custom_field",
        "the examples send `mame`, which the template does not",
    );
    assert_note(
        &imported,
        NoteKind::Guessed,
        "operation get_list_of_appointments: param calendarID",
        "optional, default null",
    );
    assert!(
        imported
            .notes
            .iter()
            .all(|n| n.item.starts_with("operation ")),
        "{}",
        notes_text(&imported)
    );
}

// ---------------------------------------------------------------------------------------------
// Merging it into the catalogue.

#[test]
fn merging_the_vendor_s_collection_into_the_catalogue_changes_nothing() {
    let (text, existing) = catalogue();
    let merged = merge(&existing, &vendor()).expect("merges");
    let changes = diff(&existing, &merged.catalogue);
    assert!(changes.changes.is_empty(), "{:#?}", changes.changes);
    assert_eq!(
        without_positions(&merged.catalogue),
        without_positions(&existing)
    );
    // Not one byte of the file is rewritten.
    assert!(emit_over(&merged.catalogue, &text) == text);
    let count = |kind: NoteKind| merged.notes.iter().filter(|n| n.kind == kind).count();
    assert_eq!(count(NoteKind::Matched), 54, "{}", notes_text(&merged));
    assert_eq!(count(NoteKind::Updated), 0, "{}", notes_text(&merged));
    assert_eq!(count(NoteKind::Added), 0, "{}", notes_text(&merged));
    // Each request found its own operation; the public API's and the inferred ones are not the
    // collection's.
    let from_collection = existing
        .operations
        .iter()
        .filter(|op| op.provenance == Provenance::Collection);
    for op in from_collection {
        assert_note(
            &merged,
            NoteKind::Matched,
            &format!("operation {}", op.name),
            &format!("is `{}` of the collection", op.title),
        );
    }
}

/// The item of the request titled `title`.
fn request_item<'a>(collection: &'a mut Value, title: &str) -> &'a mut Value {
    collection["item"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|i| i["name"] == title)
        .unwrap_or_else(|| panic!("no request `{title}`"))
}

/// Replaces `from` with `to` in the request's template and in every example's request.
fn edit_requests(item: &mut Value, from: &str, to: &str) {
    let mut edited = false;
    let mut edit = |body: &mut Value| {
        let text = match body["mode"].as_str() {
            Some("raw") => &mut body["raw"],
            _ => &mut body["formdata"][0]["value"],
        };
        let new = text.as_str().unwrap().replace(from, to);
        edited |= new != text.as_str().unwrap();
        *text = json!(new);
    };
    edit(&mut item["request"]["body"]);
    for response in item["response"].as_array_mut().unwrap() {
        edit(&mut response["originalRequest"]["body"]);
    }
    assert!(edited, "`{from}` is in no request body");
}

/// The vendor's collection, edited as the vendor might edit it.
fn edited_collection() -> Collection {
    let mut c = vendor_json();
    // get_order: the examples now send the id as a string.
    edit_requests(
        request_item(&mut c, "Get order information"),
        "\"id\": 1000000",
        "\"id\": \"1000000\"",
    );
    // update_order: a new key in `data`, and a new title.
    let update = request_item(&mut c, "Update order");
    edit_requests(
        update,
        "\"status\":7",
        "\"status\":7,\n        \"note\":\"gift\"",
    );
    edit_requests(
        update,
        "\"status\":\"[4|6|7|10|13]\"",
        "\"status\":\"[4|6|7|10|13]\",\n        \"note\":\"...\"",
    );
    update["name"] = json!("Update an order");
    // delete_contact: another op1 (found by its title).
    edit_requests(
        request_item(&mut c, "Delete a contact"),
        "\"op1\":\"delete\"",
        "\"op1\":\"remove\"",
    );
    // cancel_appointment: another constant status.
    edit_requests(
        request_item(&mut c, "Cancel an appointment"),
        "\"status\":-1",
        "\"status\":-2",
    );
    // upload_file: the constant `uploadFB` changes.
    edit_requests(
        request_item(&mut c, "Upload a file"),
        "\"uploadFB\":false",
        "\"uploadFB\":true",
    );
    // move_conversation: a third example.
    let moving = request_item(&mut c, "Move conversation to bot/human");
    let mut third = moving["response"][1].clone();
    third["name"] = json!("Move conversation to human again");
    moving["response"].as_array_mut().unwrap().push(third);
    // list_gbm_locations: the saved answer is an HTML error page.
    request_item(&mut c, "Get list of Google Business Message locations")["response"][0]["body"] =
        json!("<html>502 Bad Gateway</html>");
    // A new request, with a value list and an answer.
    let mut widgets = request_item(&mut c, "Get list of tags").clone();
    widgets["name"] = json!("Get list of widgets");
    edit_requests(&mut widgets, "\"op\":\"tags\"", "\"op\":\"widgets\"");
    edit_requests(
        &mut widgets,
        "\"op1\":\"get\"",
        "\"op1\":\"get\",\n    \"size\":\"small|large\"",
    );
    c["item"].as_array_mut().unwrap().push(widgets);
    parse_collection(&c.to_string()).expect("the edited collection parses")
}

#[test]
fn a_merge_updates_the_wire_and_keeps_what_is_written_by_hand() {
    let (text, mut existing) = catalogue();
    // As it was before the collection was imported: list_tags our inference.
    let tags = existing
        .operations
        .iter_mut()
        .find(|o| o.name == "list_tags")
        .unwrap();
    tags.provenance = Provenance::Inferred;
    tags.examples.clear();
    let merged = merge(&existing, &edited_collection()).expect("merges");
    let out = emit_over(&merged.catalogue, &text);
    let written =
        load_str(&out, "merged.yaml").unwrap_or_else(|e| panic!("{e}\n{}", notes_text(&merged)));
    let note = |kind: NoteKind, item: &str, needle: &str| assert_note(&merged, kind, item, needle);

    // Nothing dropped or renamed: every operation and type is still there, in its place.
    assert_eq!(written.operations.len(), existing.operations.len() + 1);
    for (before, after) in existing.operations.iter().zip(&written.operations) {
        assert_eq!(before.name, after.name);
        assert_eq!(before.summary, after.summary, "{}", before.name);
        assert_eq!(before.area, after.area, "{}", before.name);
        assert_eq!(before.response, after.response, "{}", before.name);
    }
    assert_eq!(
        without_positions(&written).types[..existing.types.len()],
        without_positions(&existing).types[..]
    );

    // get_order: the wire form follows the examples; the id type and the doc stay.
    let declared = existing
        .operation_named("get_order")
        .unwrap()
        .param("id")
        .unwrap();
    let id = written
        .operation_named("get_order")
        .unwrap()
        .param("id")
        .unwrap();
    assert_eq!((&id.ty, id.wire_as), (&declared.ty, Some(WireAs::String)));
    assert_eq!(id.doc, declared.doc);
    note(
        NoteKind::Updated,
        "operation get_order: param id",
        "sent as a string",
    );

    // update_order: its title, name and `OrderStatus` kept; `note` added.
    let update = written.operation_named("update_order").unwrap();
    assert_eq!(update.title, "Update order");
    assert_eq!(
        update.param("status").unwrap().ty,
        TypeRef::Named("OrderStatus".into())
    );
    let added = update.param("note").expect("the new param");
    assert_eq!((added.location, added.required), (Location::Data, true));
    note(
        NoteKind::Kept,
        "operation update_order",
        "title `Update order` kept",
    );
    note(
        NoteKind::Added,
        "operation update_order: param note",
        "required",
    );

    // delete_contact: found by its title, its discriminators updated.
    let delete = written.operation_named("delete_contact").unwrap();
    assert_eq!(delete.discriminators[1], ("op1".into(), "remove".into()));
    note(
        NoteKind::Updated,
        "operation delete_contact",
        "discriminators",
    );

    // Constants follow the collection.
    let cancel = written.operation_named("cancel_appointment").unwrap();
    assert_eq!(
        constants(cancel),
        BTreeSet::from(["status = -2".to_string()])
    );
    note(
        NoteKind::Updated,
        "operation cancel_appointment",
        "constant status: -1 -> -2",
    );
    let upload = written.operation_named("upload_file").unwrap();
    assert!(constants(upload).contains("uploadFB = true"));

    // Examples: all of the collection's, the hand-written `renamed` and `note` kept.
    assert_eq!(
        written
            .operation_named("move_conversation")
            .unwrap()
            .examples
            .len(),
        3
    );
    note(
        NoteKind::Updated,
        "operation move_conversation",
        "examples: 3 from the collection",
    );
    let custom = written.operation_named("create_custom_field").unwrap();
    assert_eq!(
        custom.examples[0].renamed,
        [("mame".to_string(), "name".to_string())]
    );
    assert!(custom.examples[0].note.is_some());

    // list_tags was inferred: now from the collection, with its example; its type kept.
    let tags = written.operation_named("list_tags").unwrap();
    assert_eq!(tags.provenance, Provenance::Collection);
    assert_eq!(tags.examples.len(), 1);
    assert_eq!(tags.response, Some(TypeRef::parse("list<Tag>").unwrap()));
    note(
        NoteKind::Updated,
        "operation list_tags",
        "provenance inferred -> collection",
    );

    // list_gbm_locations: the broken answer is reported, the catalogue's kept.
    note(
        NoteKind::NotInferred,
        "operation list_gbm_locations",
        "not a JSON envelope",
    );
    let gbm = |c: &Catalogue| {
        without_positions(c)
            .operation_named("list_gbm_locations")
            .unwrap()
            .examples
            .clone()
    };
    assert_eq!(gbm(&written), gbm(&existing));

    // The new request: added last, named from its title, with the types its values show.
    let widgets = written.operations.last().unwrap();
    assert_eq!(widgets.name, "get_list_of_widgets");
    assert_eq!(widgets.kind, OperationKind::Read);
    assert_eq!(
        widgets.response,
        Some(TypeRef::parse("list<GetListOfWidgetsItem>").unwrap())
    );
    assert_eq!(
        widgets.param("size").unwrap().ty,
        TypeRef::Named("GetListOfWidgetsSize".into())
    );
    let new_types: Vec<&str> = written.types[existing.types.len()..]
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(new_types, ["GetListOfWidgetsSize", "GetListOfWidgetsItem"]);
    note(NoteKind::Added, "operation get_list_of_widgets", "new");

    // What diff makes of it.
    let changes = diff(&existing, &written);
    let impact = |kind: ChangeKind, item: &str| {
        changes
            .changes
            .iter()
            .find(|c| c.kind == kind && c.item == item)
            .unwrap_or_else(|| panic!("no {kind:?} on {item}: {:#?}", changes.changes))
            .impact
    };
    assert_eq!(
        impact(ChangeKind::ParamWireAs, "operation get_order: param id"),
        Impact::Patch
    );
    assert_eq!(
        impact(ChangeKind::ParamAdded, "operation update_order: param note"),
        Impact::Breaking
    );
    assert_eq!(
        impact(ChangeKind::Discriminators, "operation delete_contact"),
        Impact::Breaking
    );
    assert_eq!(
        impact(ChangeKind::Constants, "operation cancel_appointment"),
        Impact::Patch
    );
    assert_eq!(
        impact(ChangeKind::Example, "operation move_conversation"),
        Impact::Patch
    );
    assert_eq!(
        impact(ChangeKind::Provenance, "operation list_tags"),
        Impact::Patch
    );
    assert_eq!(
        impact(ChangeKind::OperationAdded, "operation get_list_of_widgets"),
        Impact::Addition
    );
    assert_eq!(
        impact(ChangeKind::TypeAdded, "type GetListOfWidgetsItem"),
        Impact::Addition
    );
    assert!(changes.is_breaking());

    // Only the changed operations were rewritten: the others keep their text.
    let start = text.find("  - name: login_with_google\n").unwrap();
    let end = text.find("  - name: login_with_microsoft").unwrap();
    assert!(out.contains(&text[start..end]));
    assert!(
        out.starts_with(&text[..text.find("format:").unwrap()]),
        "header comments kept"
    );
}

#[test]
fn a_merge_keeps_an_id_s_default_json_form_when_the_example_agrees() {
    // get_order's `id` without `as`: an id type goes as a number, as the example sends it.
    let text = std::fs::read_to_string(api_spec()).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("id: { type: OrderId, required: true, in: top, as: number"))
        .expect("get_order's id param");
    let text = text.replacen(line, &line.replacen(" as: number,", "", 1), 1);
    let existing = load_str(&text, "api-spec.yaml").unwrap();
    let merged = merge(&existing, &vendor()).expect("merges");
    let id = merged
        .catalogue
        .operation_named("get_order")
        .unwrap()
        .param("id")
        .unwrap();
    assert_eq!(id.wire_as, None, "no `as` written where none is needed");
    assert!(diff(&existing, &merged.catalogue).changes.is_empty());
}

#[test]
fn a_merge_reports_what_the_catalogue_keeps_against_the_collection() {
    let (_, mut existing) = catalogue();
    // A param the examples send empty, made required by hand; a default that differs.
    let microsoft = existing
        .operations
        .iter_mut()
        .find(|o| o.name == "login_with_microsoft")
        .unwrap();
    let access = microsoft
        .params
        .iter_mut()
        .find(|p| p.wire == "accessToken")
        .unwrap();
    access.required = true;
    access.default = None;
    let appointments = existing
        .operations
        .iter_mut()
        .find(|o| o.name == "list_appointments")
        .unwrap();
    appointments.params[0].default = Some(json!(0));
    let merged = merge(&existing, &vendor()).expect("merges");
    assert_note(
        &merged,
        NoteKind::Kept,
        "operation login_with_microsoft: param accessToken",
        "required, though an example sends it empty",
    );
    assert_note(
        &merged,
        NoteKind::Updated,
        "operation list_appointments: param calendarID",
        "default 0 -> null",
    );
    assert_note(
        &merged,
        NoteKind::Kept,
        "operation list_messages",
        "response_in: envelope kept",
    );
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
    let form = |fields: Value| json!({ "name": "Upload", "request": { "method": "POST", "body": { "mode": "formdata", "formdata": fields } } });
    let param = |value: &str| json!({ "key": "param", "value": value, "type": "text" });
    let file = json!({ "key": "file", "type": "file", "src": [] });
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
        (collection(json!([form(json!([file]))])).to_string(), "Upload: the form has no text field `param`"),
        (collection(json!([form(json!([param("{\"op\":"), file]))])).to_string(), "Upload: the body is not JSON"),
        (collection(json!([form(json!([param("{\"op\":\"flows\"}")]))])).to_string(), "Upload: the form has no file part"),
        (collection(json!([form(json!([param("{\"op\":\"flows\"}"), { "key": "note", "value": "x" }, file]))])).to_string(), "the form has a text field `note`"),
        (collection(json!([{ "name": "Encoded", "request": { "method": "POST", "body": { "mode": "urlencoded", "urlencoded": [] } } }])).to_string(), "holds no requests it can import\n  Encoded: not imported: its body's mode is `urlencoded`"),
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
fn every_malformed_request_is_reported_at_once_with_its_path() {
    let mut c = vendor_json();
    request_item(&mut c, "Logout")["request"]["method"] = json!("GET");
    request_item(&mut c, "Delete a note")["request"]["body"]["raw"] = json!("{\"op\": ");
    request_item(&mut c, "Upload a file")["request"]["body"]["formdata"][0]["key"] =
        json!("params");
    let error = parse_collection(&c.to_string()).unwrap_err();
    let PostmanError::Items(items) = &error else {
        panic!("{error:?}")
    };
    let paths: Vec<&str> = items.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(paths, ["Logout", "Delete a note", "Upload a file"]);
    assert!(
        items[2].message.contains("a text field `params`"),
        "{}",
        items[2].message
    );
}

#[test]
fn requests_of_other_body_modes_are_skipped_and_reported() {
    let mut c = vendor_json();
    c["item"].as_array_mut().unwrap().push(json!({
        "name": "Send a form",
        "request": { "method": "POST", "body": { "mode": "urlencoded", "urlencoded": [] }, "url": "{{api_url}}" }
    }));
    let collection = parse_collection(&c.to_string()).expect("parses");
    assert_eq!(collection.requests.len(), 54);
    assert_eq!(collection.skipped.len(), 1);
    let imported = import(&collection).expect("imports the others");
    assert_eq!(imported.catalogue.operations.len(), 54);
    assert_note(
        &imported,
        NoteKind::NotInferred,
        "request `Send a form`",
        "`urlencoded`",
    );
}

#[test]
fn an_example_that_disagrees_with_its_request_is_left_out_and_reported() {
    let mut c = vendor_json();
    let moving = request_item(&mut c, "Move conversation to bot/human");
    let raw = moving["response"][1]["originalRequest"]["body"]["raw"]
        .as_str()
        .unwrap()
        .replace("\"op2\":\"live-chat\"", "\"op2\":\"archived\"");
    moving["response"][1]["originalRequest"]["body"]["raw"] = json!(raw);
    let imported = import(&parse_collection(&c.to_string()).unwrap()).unwrap();
    let moving = op(&imported.catalogue, "Move conversation to bot/human");
    assert_eq!(moving.examples.len(), 1);
    assert_note(
        &imported,
        NoteKind::NotInferred,
        "operation move_conversation_to_bot_human",
        "example `Move conversation to human` sends another `op2` than the request's template: not imported",
    );
}

#[test]
fn a_request_without_saved_examples_is_imported_from_its_template() {
    let template =
        r#"{"account_id": {{account_id}}, "op": "things", "op1": "get", "id": "[thing_id]"}"#;
    let imported = import(&one_request("Get a thing", template, &[])).expect("imports");
    let thing = &imported.catalogue.operations[0];
    assert_eq!(thing.examples.len(), 1);
    assert_eq!(thing.examples[0].name, "Example");
    assert_eq!(thing.examples[0].response, None);
    assert!(thing.param("id").unwrap().required);
    assert_note(
        &imported,
        NoteKind::Guessed,
        "operation get_a_thing",
        "no saved example: the example and the params come from the request's template",
    );
    load_str(&emit(&imported.catalogue), "thing.yaml").unwrap_or_else(|e| panic!("{e}"));
}
