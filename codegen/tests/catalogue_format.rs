//! The keys the format gained for the vendor's collection, on a small valid catalogue
//! (`fixtures/every_key.yaml`): the loader reads each one into the model, `emit` writes each one
//! back so that the text reads back as the same model, and `diff` sees no change in it.

use chatrace_codegen::diff::{diff, ChangeKind, Impact};
use chatrace_codegen::emit::{emit, emit_over, without_positions};
use chatrace_codegen::model::*;
use chatrace_codegen::{load_file, load_str, Catalogue};
use serde_json::json;
use std::path::PathBuf;

fn fixture_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/every_key.yaml")
}

fn every_key() -> Catalogue {
    load_file(fixture_path()).expect("every_key.yaml is valid")
}

fn op<'c>(catalogue: &'c Catalogue, name: &str) -> &'c Operation {
    catalogue
        .operation_named(name)
        .unwrap_or_else(|| panic!("no operation `{name}`"))
}

fn param<'o>(op: &'o Operation, wire: &str) -> &'o Param {
    op.param(wire)
        .unwrap_or_else(|| panic!("`{}` has no param `{wire}`", op.name))
}

fn kind<'c>(catalogue: &'c Catalogue, name: &str) -> &'c TypeKind {
    &catalogue
        .type_named(name)
        .unwrap_or_else(|| panic!("no type `{name}`"))
        .kind
}

fn field<'c>(catalogue: &'c Catalogue, ty: &str, wire: &str) -> &'c Field {
    let TypeKind::Struct { fields } = kind(catalogue, ty) else {
        panic!("`{ty}` is not a struct")
    };
    fields
        .iter()
        .find(|f| f.wire == wire)
        .unwrap_or_else(|| panic!("`{ty}` has no field `{wire}`"))
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.into())
}

#[test]
fn the_error_table_is_read_with_its_fields_and_classes() {
    let c = every_key();
    let codes: Vec<(i64, &str, ErrorSource)> = c
        .errors
        .iter()
        .map(|e| (e.code, e.name.as_str(), e.source))
        .collect();
    assert_eq!(
        codes,
        [
            (1, "invalid_session", ErrorSource::WebInbox),
            (99, "redirect", ErrorSource::Observed),
            (503, "unavailable", ErrorSource::Inferred),
        ]
    );
    let flags = |e: &ErrorCode| (e.unauthorized, e.retryable, e.fails_when_ok);
    assert_eq!(flags(&c.errors[0]), (true, false, false));
    assert_eq!(flags(&c.errors[1]), (false, false, true));
    assert_eq!(flags(&c.errors[2]), (false, true, false));
    assert_eq!(
        c.errors[1].fields,
        [
            ("url".to_owned(), "Where.".to_owned()),
            ("data.ref".to_owned(), "A reference.".to_owned())
        ]
    );
    assert_eq!(c.errors[2].meaning, "Try again later.");
}

#[test]
fn a_bad_error_table_is_refused_with_its_lines() {
    let text = "format: 1\napi: { title: T }\nerrors:\n  - { code: 1, name: a, source: web_inbox, meaning: M }\n  - { code: 1, name: B, source: somewhere, meaning: M }\n  - { code: 2, name: c, source: inferred, meaning: M, fields: { \"a b\": x } }\n  - { code: x, name: d, source: inferred, meaning: M }\noperations:\n  - { name: ping, title: Ping, summary: S, provenance: inferred, kind: read, discriminators: { op: ping } }\n";
    let error = load_str(text, "bad.yaml").map(|_| ()).unwrap_err();
    let shown = error.to_string();
    for needle in [
        "`source` must be one of web_inbox, observed, inferred",
        "is not a dotted path of wire names",
        "`code` must be an integer",
    ] {
        assert!(shown.contains(needle), "{needle}: {shown}");
    }
    let fixed = text.replace("source: somewhere", "source: observed");
    let shown = load_str(&fixed, "bad.yaml")
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(shown.contains("duplicate error code"), "{shown}");
    assert!(
        shown.contains("snake_case") || shown.contains("`B`"),
        "{shown}"
    );
}

#[test]
fn the_api_header_and_an_id_type_are_read() {
    let c = every_key();
    assert_eq!(c.api.title, "Every key API");
    assert_eq!(c.api.source.as_deref(), Some("https://example.com/docs"));
    assert_eq!(c.api.doc.as_deref(), Some("A catalogue for the tests."));
    assert_eq!(kind(&c, "ContactId"), &TypeKind::Id);
    assert_eq!(c.type_named("ContactId").unwrap().doc, "A contact.");
    // An id type is sent as a number unless `as` says otherwise, as `id` is.
    assert_eq!(c.natural_form(&named("ContactId")), NaturalForm::IdText);
}

#[test]
fn a_union_is_read_with_its_tag_default_and_variants() {
    let c = every_key();
    let TypeKind::Union(union) = kind(&c, "MessagePart") else {
        panic!("MessagePart is not a union")
    };
    assert_eq!(union.tag, "type");
    assert_eq!(union.default.as_deref(), Some("text"));
    let variants: Vec<(&str, &str, &str, Option<&str>)> = union
        .variants
        .iter()
        .map(|v| {
            (
                v.tag_value.as_str(),
                v.name.as_str(),
                v.ty.as_str(),
                v.doc.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        variants,
        [
            ("text", "text", "TextPart", Some("Text.")),
            ("file", "attachment", "FilePart", None),
        ]
    );
    assert_eq!(c.natural_form(&named("MessagePart")), NaturalForm::Other);
}

#[test]
fn enum_values_carry_their_inferred_mark() {
    let c = every_key();
    let TypeKind::Enum { repr, values } = kind(&c, "UploadKind") else {
        panic!("UploadKind is not an enum")
    };
    assert_eq!(*repr, EnumRepr::String);
    let read: Vec<(EnumLiteral, &str, bool)> = values
        .iter()
        .map(|v| (v.value.clone(), v.name.as_str(), v.inferred))
        .collect();
    assert_eq!(
        read,
        [
            (EnumLiteral::String("image".into()), "image", false),
            (EnumLiteral::String("voice".into()), "voice_note", true),
        ]
    );
    let TypeKind::Enum { values, .. } = kind(&c, "Channel") else {
        panic!("Channel is not an enum")
    };
    assert_eq!(values[1].value, EnumLiteral::Integer(9));
    assert!(values[1].inferred);
}

#[test]
fn fields_are_read_with_the_new_scalars_encoded_secret_inferred_and_as() {
    let c = every_key();
    let id = field(&c, "Contact", "id");
    assert_eq!((&id.ty, id.required), (&named("ContactId"), true));
    let last = field(&c, "Contact", "last_message");
    assert_eq!(
        last.ty,
        TypeRef::Encoded(Box::new(TypeRef::List(Box::new(named("MessagePart")))))
    );
    assert_eq!(last.ty.to_string(), "encoded<list<MessagePart>>");
    assert_eq!(last.ty.named(), Some("MessagePart"));
    let token = field(&c, "Contact", "token");
    assert!(token.secret && !token.inferred);
    let seen = field(&c, "Contact", "seen_ms");
    assert_eq!(seen.ty, TypeRef::Scalar(Scalar::Millis));
    assert_eq!(seen.rust, "seen_at");
    assert!(seen.inferred && !seen.secret);
    let created = field(&c, "Contact", "created");
    assert_eq!(created.ty, TypeRef::Scalar(Scalar::Seconds));
    assert_eq!(created.wire_as, Some(WireAs::Number));
    assert_eq!(created.form(&c), ValueForm::AsNumber);
    // An id without `as` keeps its text, unlike a param's.
    assert_eq!((id.wire_as, id.form(&c)), (None, ValueForm::Natural));
    assert_eq!(
        field(&c, "Contact", "updated").ty,
        TypeRef::Scalar(Scalar::DateTime)
    );
    // Not said: neither secret nor inferred.
    let channel = field(&c, "Contact", "channel");
    assert!(!channel.secret && !channel.inferred);
    assert_eq!(channel.form(&c), ValueForm::Natural);
}

#[test]
fn an_operation_from_the_collection_is_read_with_its_inferences_paging_and_examples() {
    let c = every_key();
    let list = op(&c, "list_contacts");
    assert_eq!(list.provenance, Provenance::Collection);
    assert_eq!(list.inferred, ["The largest page size.", "What `hash` is."]);
    assert_eq!(list.account_as, WireAs::String);
    assert_eq!(list.response, Some(named("ContactPage")));
    assert_eq!(list.response_in, ResponseIn::Envelope);
    let paging = list.paging.as_ref().expect("paged");
    assert_eq!(
        (
            paging.offset.as_str(),
            paging.limit.as_str(),
            paging.items.as_deref(),
            paging.default_limit,
            paging.max_limit
        ),
        ("offset", "limit", Some("data"), 20, 50)
    );
    assert_eq!(paging.first_page_only, ["search"]);
    assert_eq!(list.examples.len(), 1);
    let example = &list.examples[0];
    assert_eq!(example.name, "First page");
    assert_eq!(
        example.headers,
        [
            ("Content-Type".to_string(), "application/json".to_string()),
            ("X-ACCESS-TOKEN".to_string(), "{{token}}".to_string()),
        ]
    );
    let request = example
        .request
        .as_deref()
        .expect("the example has a request");
    assert!(request.starts_with("{\"account_id\":\"{{account_id}}\""));
    assert!(request.ends_with("}\n"));
    assert_eq!(
        example.response.as_deref(),
        Some("{\"status\":\"OK\",\"data\":[{\"id\":\"1\",\"channel\":\"0\"}],\"hash\":\"abc\"}\n")
    );
    assert_eq!(
        example.note.as_deref(),
        Some("The vendor's web inbox sends `channel` as a string.")
    );
    assert!(example.renamed.is_empty());
}

#[test]
fn params_are_read_with_their_default_secret_inferred_and_optional_as() {
    let c = every_key();
    let list = op(&c, "list_contacts");
    // No `as`: the type's own form.
    let offset = param(list, "offset");
    assert_eq!((offset.wire_as, &offset.default), (None, &None));
    assert_eq!(offset.sent_as(&c), WireAs::Number);
    // `as: string` on an integer enum, `default: null`, `inferred`.
    let channel = param(list, "channel");
    assert_eq!(channel.wire_as, Some(WireAs::String));
    assert_eq!(channel.default, Some(json!(null)));
    assert!(channel.inferred && !channel.secret);
    assert_eq!(channel.form(&c), ValueForm::AsString);
    assert_eq!(channel.sent_as(&c), WireAs::String);
    // `default: ""` inside `data`.
    let search = param(list, "search");
    assert_eq!(
        (search.location, &search.default),
        (Location::Data, &Some(json!("")))
    );
    // An id type without `as` goes as a number; with `as: string`, as a string.
    let id = param(op(&c, "get_contact"), "id");
    assert_eq!((id.wire_as, id.rust.as_str()), (None, "contact_id"));
    assert_eq!(id.form(&c), ValueForm::AsNumber);
    assert_eq!(id.sent_as(&c), WireAs::Number);
    let contact = param(op(&c, "upload_file"), "contact_id");
    assert_eq!(contact.wire_as, Some(WireAs::String));
    assert_eq!(contact.sent_as(&c), WireAs::String);
    // `secret`.
    let password = param(op(&c, "send_message"), "password");
    assert!(password.secret && !password.inferred);
    assert!(param(op(&c, "login_with_google"), "idToken").secret);
    // Defaults of the operation keys.
    let get = op(&c, "get_contact");
    assert_eq!(
        (get.account_as, get.response_in, get.provenance),
        (WireAs::Number, ResponseIn::Data, Provenance::Inferred)
    );
    assert!(get.inferred.is_empty() && get.constants.is_empty() && get.examples.is_empty());
}

#[test]
fn constants_are_read_as_json_at_the_top_or_in_data() {
    let c = every_key();
    let me = op(&c, "get_current_user");
    assert_eq!(me.scope, Scope::None);
    let constants: Vec<(&str, serde_json::Value)> = me
        .constants
        .iter()
        .map(|k| (k.path.as_str(), k.value.clone()))
        .collect();
    assert_eq!(
        constants,
        [("account_id", json!(null)), ("me", json!(true))]
    );
    assert_eq!(me.constants[1].location(), (Location::Top, "me"));
    assert!(!me.has_data());

    let send = op(&c, "send_message");
    assert_eq!(send.constants[0].path, "data.fb_id");
    assert_eq!(send.constants[0].value, json!(0));
    assert_eq!(send.constants[0].location(), (Location::Data, "fb_id"));
    assert!(send.has_data());
    // list_admins shares get_current_user's discriminators; its constant tells them apart.
    let admins = op(&c, "list_admins");
    assert_eq!(admins.discriminators, me.discriminators);
    assert_eq!(admins.constants[0].value, json!(true));
}

#[test]
fn a_discriminator_the_caller_chooses_is_a_param() {
    let c = every_key();
    let upload = op(&c, "upload_file");
    assert_eq!(upload.body, BodyEncoding::Multipart);
    let chosen = upload.discriminator_param().expect("op2 is the caller's");
    assert_eq!(
        (chosen.wire.as_str(), chosen.rust.as_str()),
        ("op2", "kind")
    );
    assert_eq!(chosen.ty, named("UploadKind"));
    assert!(chosen.is_discriminator() && !param(upload, "contact_id").is_discriminator());
    assert_eq!(
        upload.discriminator_pattern(),
        [
            ("op".to_string(), Some("flows".to_string())),
            ("op1".to_string(), Some("upload".to_string())),
            ("op2".to_string(), None),
        ]
    );
    // Neither the discriminator nor the file tells operations apart.
    assert_eq!(upload.required_paths(), ["contact_id"]);
    assert!(param(upload, "file").is_file());
    assert_eq!(op(&c, "list_contacts").discriminator_param(), None);
}

#[test]
fn an_example_s_renamed_keys_are_read_and_applied() {
    let c = every_key();
    let send = op(&c, "send_message");
    let example = &send.examples[0];
    assert_eq!(
        example.renamed,
        [("ms_id".to_string(), "contact_id".to_string())]
    );
    let request = example.request_json(7).expect("the example is JSON");
    assert_eq!(request["account_id"], json!(7));
    assert_eq!(request["contact_id"], json!("5"));
    assert!(request.get("ms_id").is_none());
    // An encoded param's example value is the JSON text.
    assert_eq!(
        request["data"]["message"],
        json!("[{\"type\":\"text\",\"text\":\"Hi\"}]")
    );
    let message = param(send, "message");
    assert_eq!(message.ty.to_string(), "encoded<list<MessagePart>>");
    assert_eq!(c.natural_form(&message.ty), NaturalForm::Other);
}

#[test]
fn a_session_start_with_a_secret_token_is_read() {
    let c = every_key();
    let login = op(&c, "login_with_google");
    assert_eq!(login.session, Some(SessionEffect::Start));
    assert_eq!((login.auth, login.scope), (Auth::None, Scope::None));
    assert!(login.idempotent && login.retry_safe());
    assert!(field(&c, "AuthToken", "token").secret);
}

// ---------------------------------------------------------------------------------------------
// Emit.

#[test]
fn emit_writes_every_key_and_reads_back_the_same_model() {
    let catalogue = every_key();
    let text = emit(&catalogue);
    let again = load_str(&text, "emitted.yaml")
        .unwrap_or_else(|e| panic!("the emitted catalogue is invalid:\n{e}\n{text}"));
    assert_eq!(without_positions(&again), without_positions(&catalogue));
    // Emitting is a fixpoint.
    assert_eq!(emit(&again), text);
    for written in [
        "  ContactId:\n    doc: A contact.\n    id: true\n",
        "    union:\n      tag: type\n      default: text\n      by_member: { url: file }\n      variants:\n",
        "        text: { type: TextPart, doc: Text. }\n",
        "        file: { type: FilePart, name: attachment }\n",
        "      - { value: voice, name: voice_note, doc: \"A voice note, we think.\", inferred: true }\n",
        "      last_message: { type: encoded<list<MessagePart>>, doc: The last message. }\n",
        "      token: { type: string, doc: Its token., secret: true }\n",
        "      seen_ms: { type: millis, rust: seen_at, doc: When it was last seen., inferred: true }\n",
        "      created: { type: seconds, as: number }\n",
        "      updated: { type: datetime }\n",
        "    provenance: collection\n    inferred:\n      - The largest page size.\n      - What `hash` is.\n",
        "    account_as: string\n",
        "      channel: { type: Channel, in: top, as: string, default: null, doc: Only this channel., inferred: true }\n",
        "      search: { type: string, default: \"\" }\n",
        "    response_in: envelope\n",
        "    paging: { offset: offset, limit: limit, items: data, default_limit: 20, max_limit: 50, first_page_only: [search] }\n",
        "    examples:\n      - name: First page\n        headers:\n",
        "        note: The vendor's web inbox sends `channel` as a string.\n",
        "    constants: { account_id: null, me: true }\n",
        "    constants: { data.fb_id: 0 }\n",
        "      op2: { type: UploadKind, required: true, in: top, rust: kind, doc: What kind of file it is. }\n",
        "        renamed: { ms_id: contact_id }\n",
        "      password: { type: string, doc: A secret., secret: true }\n",
        "      id: { type: ContactId, required: true, in: top, rust: contact_id }\n",
    ] {
        assert!(text.contains(written), "`{written}` not in:\n{text}");
    }
}

#[test]
fn emit_over_the_fixture_gives_it_back() {
    let text = std::fs::read_to_string(fixture_path()).unwrap();
    let catalogue = load_str(&text, "every_key.yaml").unwrap();
    assert_eq!(emit_over(&catalogue, &text), text);
}

#[test]
fn json_values_of_constants_and_defaults_round_trip() {
    let source = r#"format: 1
api:
  title: JSON values
operations:
  - name: odd_values
    title: Odd values
    summary: Sends every kind of JSON value as a constant or a default.
    provenance: inferred
    kind: write
    discriminators: { op: odd }
    constants: { zero_text: "0", minus: -1, half: 1.5, list: [1, "x", null], object: { k: v, n: 2 }, yes_text: "true", empty: "", quote: "say \"hi\"", data.nested: { a: [] } }
    params:
      empty_list: { type: json, default: [] }
      empty_object: { type: json, default: {} }
      null_text: { type: string, default: "null" }
      number_text: { type: string, default: "12" }
"#;
    let catalogue = load_str(source, "odd.yaml").unwrap_or_else(|e| panic!("{e}"));
    let odd = op(&catalogue, "odd_values");
    let constants: Vec<(&str, serde_json::Value)> = odd
        .constants
        .iter()
        .map(|c| (c.path.as_str(), c.value.clone()))
        .collect();
    assert_eq!(
        constants,
        [
            ("zero_text", json!("0")),
            ("minus", json!(-1)),
            ("half", json!(1.5)),
            ("list", json!([1, "x", null])),
            ("object", json!({ "k": "v", "n": 2 })),
            ("yes_text", json!("true")),
            ("empty", json!("")),
            ("quote", json!("say \"hi\"")),
            ("data.nested", json!({ "a": [] })),
        ]
    );
    let defaults: Vec<Option<serde_json::Value>> =
        odd.params.iter().map(|p| p.default.clone()).collect();
    assert_eq!(
        defaults,
        [
            Some(json!([])),
            Some(json!({})),
            Some(json!("null")),
            Some(json!("12"))
        ]
    );
    let text = emit(&catalogue);
    let again = load_str(&text, "emitted.yaml").unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(
        without_positions(&again),
        without_positions(&catalogue),
        "{text}"
    );
}

#[test]
fn the_fixture_has_no_change_against_itself_or_its_emitted_text() {
    let catalogue = every_key();
    assert!(diff(&catalogue, &catalogue).changes.is_empty());
    let emitted = load_str(&emit(&catalogue), "emitted.yaml").unwrap();
    let d = diff(&catalogue, &emitted);
    assert!(d.changes.is_empty(), "{d:#?}");
    // An example's note is part of the examples (docs: a patch).
    let mut noted = catalogue.clone();
    noted.operations[0].examples[0].note = Some("Another note.".into());
    let d = diff(&catalogue, &noted);
    assert_eq!(d.changes.len(), 1, "{d:#?}");
    assert_eq!(
        (d.changes[0].kind, d.changes[0].impact),
        (ChangeKind::Example, Impact::Patch)
    );
}
