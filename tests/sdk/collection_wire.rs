//! The vendor's collection is the wire truth. For every example of every operation:
//!
//! - the request built through the typed `Client` with the example's values is JSON-equal to
//!   the example, with the same headers (`typed_calls_send_the_vendors_examples`);
//! - a server that tells operations apart as the vendor's does (`AnyRequest::from_json`: the
//!   discriminators, then constants and required params) identifies it as its operation;
//! - the example answer decodes into the typed output and encodes back without losing a field.
//!
//! The examples are read from `api-spec.yaml` (through the generated metadata), verbatim.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;

use crate::common::{client, Answer, Received, Recorder, ACCOUNT_ID, TOKEN};
use chatrace::types::*;
use chatrace::{
    AnyRequest, BodyEncoding, CallOptions, Client, Error, ExampleMeta, FileUpload, OperationMeta,
    ResponseIn, UnixSeconds, OPERATIONS,
};
use serde_json::{json, Value};

/// The account the upload example's `param` names (the vendor wrote it in, not a placeholder).
const UPLOAD_ACCOUNT: u64 = 111_111;

type Call<'a> = Pin<Box<dyn Future<Output = Result<Value, Error>> + 'a>>;

/// Sends a builder and returns its decoded answer as JSON.
macro_rules! send {
    ($builder:expr) => {
        Box::pin(async move {
            let output = $builder.send().await?;
            Ok(serde_json::to_value(&output).expect("an answer serializes"))
        }) as Call<'_>
    };
}

/// The typed call that reproduces one example: (operation, example name, call).
fn typed_call<'a>(c: &'a Client, op: &str, example: &str) -> Option<Call<'a>> {
    let contact = |id: &str| ContactId::new(id);
    Some(match (op, example) {
        ("get_whitelabel", _) => send!(c.get_whitelabel()),
        ("request_email_otp", _) => send!(c.request_email_otp("example@gmail.com")),
        ("validate_email_otp", _) => send!(c.validate_email_otp(
            OtpRequestId::new("6ec08e8205fd05970f3923994d4759d2b6ca4d338258b6b5b5dd7a1f7ce86b1f"),
            "456788"
        )),
        ("login_with_google", _) => send!(c.login_with_google("...")),
        ("login_with_microsoft", _) => send!(c.login_with_microsoft("...")),
        ("login_with_apple", _) => send!(c.login_with_apple("...")),
        ("login_with_facebook", _) => send!(c.login_with_facebook("...")),
        ("logout", _) => send!(c.logout()),
        ("get_current_user", _) => send!(c.get_current_user()),
        ("register_device", _) => send!(c
            .register_device("123456789abcde...", Platform::Ios)
            .brand("iPhone")
            .model("15 PRO")),
        ("list_conversations", _) => send!(c.list_conversations().offset(0).limit(1)),
        ("get_contact", _) => send!(c.get_contact(contact("2850008055041461"))),
        ("list_messages", "Get last 20 messages from a conversation") => {
            let expansions = {
                let mut built = MessageExpansions::default();
                built.comments = Some(json!({}));
                built.refs = Some(json!({}));
                built.appointments = Some(json!({}));
                built
            };
            send!(c
                .list_messages(contact("100000000001"))
                .offset(0)
                .limit(20)
                .expansions(expansions))
        }
        ("list_messages", "Paginate messages") => send!(c
            .list_messages(contact("100000000001"))
            .offset(20)
            .limit(20)),
        ("list_admins", _) => send!(c.list_admins()),
        ("list_teams", _) => send!(c.list_teams()),
        ("assign_conversation", _) => {
            send!(c.assign_conversation(contact("12345"), AdminId::new("1000005")))
        }
        ("list_flows", _) => send!(c.list_flows()),
        ("list_flow_steps", _) => send!(c.list_flow_steps(FlowId::new(1234567890u64))),
        ("send_flow", _) => send!(c.send_flow(
            FlowId::new("1234"),
            contact("100000000001"),
            Channel::Messenger
        )),
        ("send_step", _) => send!(c.send_step(
            StepId::new("1234"),
            contact("100000000001"),
            Channel::Messenger
        )),
        ("list_products", _) => send!(c.list_products()),
        ("send_products", _) => send!(c.send_products(
            vec![
                ProductId::new(1111u64),
                ProductId::new(22222u64),
                ProductId::new(3333u64)
            ],
            contact("100000000001"),
            Channel::Messenger
        )),
        ("move_conversation", "Move conversation to bot") => {
            send!(c.move_conversation(contact("12345678"), ConversationMode::Bot))
        }
        ("move_conversation", "Move conversation to human") => {
            send!(c.move_conversation(contact("12345678"), ConversationMode::Human))
        }
        ("unassign_conversation", _) => send!(c.unassign_conversation(contact("12345"))),
        ("archive_conversation", "Archive a conversation") => {
            send!(c.archive_conversation(contact("1234567"), true))
        }
        ("archive_conversation", "Unarchive a conversation") => {
            send!(c.archive_conversation(contact("1234567"), false))
        }
        ("follow_conversation", "Follow a conversation") => {
            send!(c.follow_conversation(contact("1234567"), true))
        }
        ("follow_conversation", "Unfollow a conversation") => {
            send!(c.follow_conversation(contact("1234567"), false))
        }
        ("block_conversation", "Block a contact") => {
            send!(c.block_conversation(contact("1234567"), true))
        }
        ("block_conversation", "Unblock a contact") => {
            send!(c.block_conversation(contact("1234567"), false))
        }
        ("mark_conversation_read", "Mark a conversation as read") => {
            send!(c.mark_conversation_read(contact("1234567"), UnixSeconds::new(1688483203)))
        }
        ("mark_conversation_read", "Mark a conversation as unread") => {
            send!(c.mark_conversation_read(contact("1234567"), UnixSeconds::new(0)))
        }
        ("list_tags", _) => send!(c.list_tags()),
        ("remove_tag", _) => {
            send!(c.remove_tag(vec![TagId::new(345u64)], contact("1234567")))
        }
        ("list_drip_campaigns", _) => send!(c.list_drip_campaigns()),
        ("list_custom_fields", _) => send!(c.list_custom_fields()),
        ("create_custom_field", _) => {
            send!(c.create_custom_field("Company", CustomFieldType::Text))
        }
        ("set_custom_field", _) => send!(c.set_custom_field(
            contact("23238238"),
            CustomFieldId::new("123456"),
            CustomFieldType::Text,
            "My company name"
        )),
        ("delete_custom_field_value", _) => send!(c.delete_custom_field_value(
            contact("23238238"),
            CustomFieldId::new("123456"),
            CustomFieldType::Text
        )),
        ("generate_ai_response", _) => send!(c.generate_ai_response(contact("223239339"))),
        ("add_note", _) => send!(c.add_note(contact("12345"), "this is a note")),
        ("update_note", _) => {
            send!(c.update_note(contact("12345"), NoteId::new("88888"), "this is a note"))
        }
        ("delete_note", _) => send!(c.delete_note(contact("12345"), NoteId::new("88888"))),
        ("delete_contact", _) => send!(c.delete_contact(contact("12345"))),
        ("list_saved_replies", _) => send!(c.list_saved_replies()),
        ("add_saved_reply", _) => {
            send!(c.add_saved_reply("/welcome", "Hello, welcome to our bot..."))
        }
        ("update_saved_reply", _) => send!(c.update_saved_reply(
            SavedReplyId::new("569601"),
            "/welcome",
            "Hello, welcome to our bot..."
        )),
        ("delete_saved_reply", _) => {
            send!(c.delete_saved_reply(SavedReplyId::new(569601u64)))
        }
        ("upload_file", _) => send!(c
            .upload_file(
                UploadKind::Voice,
                contact("222222"),
                FileUpload::from_bytes("note.ogg", b"OggS voice".to_vec())
            )
            .account_id(UPLOAD_ACCOUNT)),
        ("list_messenger_lists", _) => send!(c.list_messenger_lists()),
        ("list_calendars", _) => send!(c.list_calendars()),
        ("list_appointments", _) => send!(c.list_appointments()),
        ("cancel_appointment", _) => send!(c.cancel_appointment(AppointmentId::new("45595"))),
        ("delete_appointment", _) => send!(c.delete_appointment(AppointmentId::new("45595"))),
        ("list_orders", _) => send!(c.list_orders()),
        ("get_order", _) => send!(c.get_order(OrderId::new(1000000u64))),
        ("update_order", _) => {
            send!(c.update_order(OrderId::new(1000000u64), OrderStatus::Delivered))
        }
        ("list_gbm_locations", _) => send!(c.list_gbm_locations()),
        _ => return None,
    })
}

/// The 54 operations of the vendor's collection: each of their examples has a typed call.
/// (An operation added to the catalogue later is still checked by the generic test below.)
const VENDOR_OPERATIONS: usize = 54;

/// The example request, as the SDK must send it: placeholders filled, keys the catalogue
/// corrects renamed.
fn expected_request(example: &ExampleMeta, account_id: u64) -> Value {
    let filled = example
        .request
        .replace("{{account_id}}", &account_id.to_string());
    let mut value: Value = serde_json::from_str(&filled)
        .unwrap_or_else(|e| panic!("example `{}` is not JSON: {e}", example.name));
    if let Value::Object(map) = &mut value {
        for (from, to) in example.renamed {
            if let Some(v) = map.remove(*from) {
                map.insert((*to).to_owned(), v);
            }
        }
    }
    value
}

/// The account a call of `meta` sends: the vendor's own for the upload example.
fn account_of(meta: &OperationMeta) -> u64 {
    if meta.body == BodyEncoding::Multipart {
        UPLOAD_ACCOUNT
    } else {
        ACCOUNT_ID
    }
}

/// The request body as JSON: the body itself, or the `param` field of an upload form.
fn sent_json(received: &Received) -> Value {
    let content_type = received.header("content-type").unwrap_or_default();
    if !content_type.starts_with("multipart/form-data") {
        return received.json();
    }
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .expect("a multipart body has a boundary");
    let body = String::from_utf8_lossy(&received.body);
    let part = body
        .split(&format!("--{boundary}"))
        .find(|part| part.contains("name=\"param\""))
        .expect("the form has a `param` field");
    let (_, text) = part.split_once("\r\n\r\n").expect("the part has a body");
    serde_json::from_str(text.trim_end_matches("\r\n")).expect("`param` holds JSON")
}

/// The headers the SDK chooses (not those of the HTTP stack), as the example names them.
fn sent_headers(received: &Received) -> BTreeSet<(String, String)> {
    ["content-type", "user-agent", "x-access-token", "x-platform"]
        .into_iter()
        .filter_map(|name| {
            let value = received.header(name)?;
            let value = value.split(';').next().unwrap_or(value).to_owned();
            Some((name.to_owned(), value))
        })
        .collect()
}

fn expected_headers(example: &ExampleMeta) -> BTreeSet<(String, String)> {
    example
        .headers
        .iter()
        .map(|(name, value)| {
            let value = if value.starts_with("{{") {
                TOKEN
            } else {
                value
            };
            (name.to_ascii_lowercase(), value.to_owned())
        })
        .collect()
}

/// What the typed output holds of the vendor's answer: `data`, or the whole answer without
/// `status`.
fn answer_payload(meta: &OperationMeta, response: &str) -> Option<Value> {
    let Value::Object(mut answer) = serde_json::from_str::<Value>(response).ok()? else {
        return None;
    };
    match meta.response_in {
        ResponseIn::Data => answer.remove("data"),
        ResponseIn::Envelope => {
            answer.remove("status");
            Some(Value::Object(answer))
        }
    }
}

/// Checks one example's round trip: what was sent, how the server read it, what came back.
fn check_example(
    meta: &OperationMeta,
    example: &ExampleMeta,
    received: &Received,
    output: Value,
) -> Result<(), String> {
    let name = format!("{} / {}", meta.name, example.name);
    let sent = sent_json(received);
    let expected = expected_request(example, account_of(meta));
    if sent != expected {
        return Err(format!(
            "{name}: body differs\n  sent:    {sent}\n  example: {expected}"
        ));
    }
    let (sent_h, expected_h) = (sent_headers(received), expected_headers(example));
    if sent_h != expected_h {
        return Err(format!(
            "{name}: headers differ\n  sent:    {sent_h:?}\n  example: {expected_h:?}"
        ));
    }
    let identified = AnyRequest::from_json(sent.clone(), |header| {
        received.header(header).map(str::to_owned)
    })
    .map_err(|e| format!("{name}: the server cannot read the request: {e}"))?;
    if identified.meta().name != meta.name {
        return Err(format!(
            "{name}: the server identifies it as {}",
            identified.meta().name
        ));
    }
    if meta.response.is_some() {
        let response = example.response.expect("the example has an answer");
        let payload = answer_payload(meta, response)
            .ok_or_else(|| format!("{name}: the example answer has no payload"))?;
        crate::loose::check(&output, &payload)
            .map_err(|diff| format!("{name}: the answer lost or changed a field: {diff}"))?;
    }
    Ok(())
}

#[tokio::test]
async fn typed_calls_send_the_vendors_examples() {
    let server = Recorder::start(Answer::json("{}")).await;
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut operations_with_calls = BTreeSet::new();
    for meta in OPERATIONS {
        for example in meta.examples {
            let response = example
                .response
                .expect("every vendor example has an answer");
            server.answer(Answer::json(response));
            // A fresh client each time: a login stores the token it answers, a logout clears it.
            let client = client(&server.url);
            let Some(call) = typed_call(&client, meta.name, example.name) else {
                continue;
            };
            operations_with_calls.insert(meta.name);
            let output = match call.await {
                Ok(output) => output,
                Err(e) => {
                    failures.push(format!("{} / {}: {e}", meta.name, example.name));
                    continue;
                }
            };
            if let Err(failure) = check_example(meta, example, &server.last(), output) {
                failures.push(failure);
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!(
        operations_with_calls.len(),
        VENDOR_OPERATIONS,
        "every operation of the vendor's collection has a typed call"
    );
    assert_eq!(checked, 60, "the collection's 60 examples");
}

#[tokio::test]
async fn every_example_is_identified_sent_and_decoded_through_any_request() {
    let server = Recorder::start(Answer::json("{}")).await;
    let mut failures = Vec::new();
    let mut checked = 0;
    for meta in OPERATIONS {
        for example in meta.examples {
            let Some(response) = example.response else {
                continue;
            };
            server.answer(Answer::json(response));
            let client = client(&server.url);
            let body = expected_request(example, account_of(meta));
            let headers = example.headers;
            let request = match AnyRequest::from_json(body, |name| {
                headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| (*v).to_owned())
            }) {
                Ok(request) => request,
                Err(e) => {
                    failures.push(format!("{} / {}: {e}", meta.name, example.name));
                    continue;
                }
            };
            if request.meta().name != meta.name {
                failures.push(format!(
                    "{} / {}: read as {}",
                    meta.name,
                    example.name,
                    request.meta().name
                ));
                continue;
            }
            let output = match request.send(client.handle(), &CallOptions::default()).await {
                Ok(output) => output,
                Err(e) => {
                    failures.push(format!("{} / {}: {e}", meta.name, example.name));
                    continue;
                }
            };
            if let Err(failure) = check_example(meta, example, &server.last(), output) {
                failures.push(failure);
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let total: usize = OPERATIONS.iter().map(|m| m.examples.len()).sum();
    assert_eq!(checked, total, "every example was checked");
}

#[test]
fn the_catalogue_keeps_the_vendors_examples_verbatim() {
    let collection: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/chatrace.postman_collection.json"
        ))
        .expect("the collection fixture"),
    )
    .expect("the collection is JSON");
    let requests = collection["item"].as_array().expect("items");
    assert_eq!(requests.len(), VENDOR_OPERATIONS);
    for (item, meta) in requests.iter().zip(OPERATIONS.iter()) {
        assert_eq!(
            item["name"], meta.title,
            "the collection's order and titles"
        );
        let examples = item["response"].as_array().expect("examples");
        assert_eq!(examples.len(), meta.examples.len(), "{}", meta.name);
        for (theirs, ours) in examples.iter().zip(meta.examples) {
            let request = &theirs["originalRequest"]["body"];
            let raw = match request["mode"].as_str() {
                Some("formdata") => request["formdata"][0]["value"].as_str(),
                _ => request["raw"].as_str(),
            }
            .expect("a body");
            let normalize = |text: &str| text.replace("\r\n", "\n").trim_end().to_owned();
            assert_eq!(normalize(ours.request), normalize(raw), "{}", meta.name);
            assert_eq!(
                ours.response.map(normalize),
                theirs["body"].as_str().map(normalize),
                "{}",
                meta.name
            );
            assert_eq!(theirs["name"], ours.name, "{}", meta.name);
        }
    }
}

/// Paging sends `expand` with the first page only, as the vendor's web inbox does
/// (`inbox.js` sets it when `messagePage == 0`); the other pages are the collection's request
/// without it. A single `send()` still sends what the caller set.
#[tokio::test]
async fn paging_messages_sends_expand_with_the_first_page_only() {
    let meta = OPERATIONS
        .iter()
        .find(|meta| meta.name == "list_messages")
        .expect("in the catalogue");
    // The collection's answer holds 4 messages: with pages of 2, every page is full, and the
    // listing goes on until the repeated answer stops it.
    let answer = meta.examples[0].response.expect("an example answer");
    let server = Recorder::start(Answer::json(answer)).await;
    let client = client(&server.url);
    let expansions = || {
        let mut asked = MessageExpansions::default();
        asked.comments = Some(json!({}));
        asked
    };
    let pages: Vec<_> = futures::StreamExt::collect(
        client
            .list_messages(ContactId::new("7417"))
            .expansions(expansions())
            .page_size(2)
            .pages(),
    )
    .await;
    assert!(pages.len() >= 2, "{pages:?}");
    let sent: Vec<Value> = server.received().iter().map(Received::json).collect();
    assert!(sent.len() >= 2, "{sent:?}");
    assert_eq!(sent[0]["expand"], json!({"comments": {}}), "{}", sent[0]);
    for later in &sent[1..] {
        assert!(later.get("expand").is_none(), "{later}");
        assert_eq!(later["op"], "conversations");
        assert_eq!(later["limit"], 2);
    }
    let _ = client
        .list_messages(ContactId::new("7417"))
        .expansions(expansions())
        .offset(20)
        .send()
        .await;
    assert_eq!(server.last().json()["expand"], json!({"comments": {}}));
}
