//! Every operation of the catalogue against the sandbox, through the typed `Client`: each
//! answers OK and decodes into its typed output. An operation the catalogue gains later is
//! still called, through `AnyRequest` from its first documented example.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;

use crate::common::{anonymous_client, client, contact, sandbox, whatsapp_contact};
use chatrace::types::*;
use chatrace::{AnyRequest, CallOptions, Client, Error, FileUpload, UnixSeconds, OPERATIONS};
use serde_json::Value;

type Call<'a> = Pin<Box<dyn Future<Output = Result<Value, Error>> + 'a>>;

/// Sends a builder and returns its typed answer as JSON.
macro_rules! send {
    ($builder:expr) => {{
        let builder = $builder;
        Box::pin(async move {
            let output = builder.send().await?;
            Ok(serde_json::to_value(&output).expect("an answer serializes"))
        }) as Call<'_>
    }};
}

/// The typed call of every operation, in an order where each finds what it needs: `api` is
/// the demo session, `login` a client without one (for the logins and logout).
fn typed_calls<'a>(
    api: &'a Client,
    login: &'a Client,
    creds: &'a chatrace_sandbox::Credentials,
    whatsapp: &'a WhatsApp,
) -> Vec<(&'static str, Call<'a>)> {
    let long = contact(creds.contact_id);
    vec![
        ("get_whitelabel", send!(login.get_whitelabel())),
        (
            "request_email_otp",
            send!(login.request_email_otp(&creds.email)),
        ),
        (
            "validate_email_otp",
            send!(login
                .validate_email_otp(OtpRequestId::new(&creds.pending_otp_request_id), &creds.otp)),
        ),
        (
            "login_with_google",
            send!(login.login_with_google(&creds.google_id_token)),
        ),
        (
            "login_with_microsoft",
            send!(login.login_with_microsoft(&creds.microsoft_id_token)),
        ),
        (
            "login_with_apple",
            send!(login.login_with_apple(&creds.apple_identity_token)),
        ),
        (
            "login_with_facebook",
            send!(login.login_with_facebook(&creds.facebook_access_token)),
        ),
        ("logout", send!(login.logout())),
        ("get_current_user", send!(api.get_current_user())),
        (
            "register_device",
            send!(api
                .register_device("fcm-1", Platform::Android)
                .model("Pixel 8")),
        ),
        (
            "list_conversations",
            send!(api.list_conversations().limit(10)),
        ),
        ("get_contact", send!(api.get_contact(long.clone()))),
        ("list_messages", send!(api.list_messages(long.clone()))),
        ("list_admins", send!(api.list_admins())),
        ("list_teams", send!(api.list_teams())),
        (
            "assign_conversation",
            send!(api.assign_conversation(contact(12_345), AdminId::new(1_000_005))),
        ),
        ("list_flows", send!(api.list_flows())),
        (
            "list_flow_steps",
            send!(api.list_flow_steps(FlowId::new(1234))),
        ),
        (
            "send_flow",
            send!(api.send_flow(FlowId::new(1234), long.clone(), Channel::Messenger)),
        ),
        (
            "send_step",
            send!(api.send_step(StepId::new(1235), long.clone(), Channel::Messenger)),
        ),
        ("list_products", send!(api.list_products())),
        (
            "send_products",
            send!(api.send_products(vec![ProductId::new(1111)], long.clone(), Channel::Messenger)),
        ),
        (
            "list_whatsapp_templates",
            send!(api.list_whatsapp_templates()),
        ),
        (
            "list_whatsapp_template_names",
            send!(api.list_whatsapp_template_names()),
        ),
        (
            "send_whatsapp_template",
            send!(api.send_whatsapp_template(
                whatsapp.contact.clone(),
                WhatsAppTemplateId::new("we_miss_you"),
                "en_US",
                whatsapp.components.clone(),
                &whatsapp.namespace
            )),
        ),
        (
            "move_conversation",
            send!(api.move_conversation(long.clone(), ConversationMode::Bot)),
        ),
        (
            "unassign_conversation",
            send!(api.unassign_conversation(contact(12_345))),
        ),
        (
            "archive_conversation",
            send!(api.archive_conversation(contact(1_234_567), true)),
        ),
        (
            "follow_conversation",
            send!(api.follow_conversation(contact(1_234_567), true)),
        ),
        (
            "block_conversation",
            send!(api.block_conversation(contact(1_234_567), false)),
        ),
        (
            "mark_conversation_read",
            send!(api.mark_conversation_read(long.clone(), UnixSeconds::new(1_717_243_300))),
        ),
        ("list_tags", send!(api.list_tags())),
        (
            "remove_tag",
            send!(api.remove_tag(vec![TagId::new(345)], contact(1_234_567))),
        ),
        ("list_drip_campaigns", send!(api.list_drip_campaigns())),
        ("list_custom_fields", send!(api.list_custom_fields())),
        (
            "create_custom_field",
            send!(api.create_custom_field("Company size", CustomFieldType::Number)),
        ),
        (
            "set_custom_field",
            send!(api.set_custom_field(
                contact(23_238_238),
                CustomFieldId::new(123_456),
                CustomFieldType::Text,
                "Morgan & Co"
            )),
        ),
        (
            "delete_custom_field_value",
            send!(api.delete_custom_field_value(
                contact(23_238_238),
                CustomFieldId::new(123_456),
                CustomFieldType::Text
            )),
        ),
        (
            "generate_ai_response",
            send!(api.generate_ai_response(long.clone())),
        ),
        (
            "add_note",
            send!(api.add_note(contact(12_345), "Called back.")),
        ),
        (
            "update_note",
            send!(api.update_note(contact(12_345), NoteId::new(88_888), "Called back twice.")),
        ),
        (
            "delete_note",
            send!(api.delete_note(contact(12_345), NoteId::new(88_888))),
        ),
        (
            "delete_contact",
            send!(api.delete_contact(contact(223_239_339))),
        ),
        ("list_saved_replies", send!(api.list_saved_replies())),
        (
            "add_saved_reply",
            send!(api.add_saved_reply("/thanks", "Thank you!")),
        ),
        (
            "update_saved_reply",
            send!(api.update_saved_reply(SavedReplyId::new(569_601), "/hi", "Hi there!")),
        ),
        (
            "delete_saved_reply",
            send!(api.delete_saved_reply(SavedReplyId::new(569_602))),
        ),
        (
            "upload_file",
            send!(api.upload_file(
                UploadKind::Image,
                contact(222_222),
                FileUpload::from_bytes("latte.png", vec![0x89, b'P', b'N', b'G'])
            )),
        ),
        ("list_messenger_lists", send!(api.list_messenger_lists())),
        ("list_calendars", send!(api.list_calendars())),
        ("list_appointments", send!(api.list_appointments())),
        (
            "cancel_appointment",
            send!(api.cancel_appointment(AppointmentId::new(45_595))),
        ),
        (
            "delete_appointment",
            send!(api.delete_appointment(AppointmentId::new(569_602))),
        ),
        ("list_orders", send!(api.list_orders())),
        ("get_order", send!(api.get_order(OrderId::new(1_000_000)))),
        (
            "update_order",
            send!(api.update_order(OrderId::new(1_000_000), OrderStatus::Shipped)),
        ),
        ("list_gbm_locations", send!(api.list_gbm_locations())),
    ]
}

/// What the template call needs from the account: a WhatsApp contact, and the values and
/// namespace of the seed's `we_miss_you` (one placeholder, in its header).
struct WhatsApp {
    contact: ContactId,
    components: WhatsAppTemplateComponents,
    namespace: String,
}

impl WhatsApp {
    async fn of(api: &Client) -> WhatsApp {
        let templates = api
            .list_whatsapp_templates()
            .send()
            .await
            .expect("templates");
        let layout = templates
            .into_iter()
            .find(|t| t.id.as_str() == "we_miss_you")
            .and_then(|t| t.layout)
            .expect("the seed's we_miss_you");
        let mut header = WhatsAppTemplateHeaderValues::default();
        header.format = Some(WhatsAppHeaderFormat::Text);
        header.values = Some(vec![{
            let mut value = WhatsAppTemplateValue::default();
            value.label = Some("{{1}}".to_owned());
            value.value = Some("Ana".to_owned());
            value
        }]);
        let mut components = WhatsAppTemplateComponents::default();
        components.header = Some(header);
        WhatsApp {
            contact: whatsapp_contact(api).await,
            components,
            namespace: layout.namespace.unwrap_or_default(),
        }
    }
}

/// A request of `name` read from its first documented example, with the demo account.
fn from_example(name: &str, account_id: u64) -> AnyRequest {
    let meta = OPERATIONS
        .iter()
        .find(|m| m.name == name)
        .expect("a catalogue operation");
    let example = meta.examples.first().expect("a documented example");
    let body = example
        .request
        .replace("{{account_id}}", &account_id.to_string());
    let mut body: Value = serde_json::from_str(&body).expect("the example is JSON");
    if let Value::Object(map) = &mut body {
        for (from, to) in example.renamed {
            if let Some(value) = map.remove(*from) {
                map.insert((*to).to_owned(), value);
            }
        }
    }
    AnyRequest::from_json(body, |_| None).expect("the example reads as its operation")
}

#[tokio::test]
async fn every_operation_answers_through_the_typed_client() {
    let sandbox = sandbox().await;
    let creds = sandbox.credentials().clone();
    let api = client(&sandbox);
    let login = anonymous_client(&sandbox);
    let mut called = BTreeSet::new();
    let whatsapp = WhatsApp::of(&api).await;
    for (name, call) in typed_calls(&api, &login, &creds, &whatsapp) {
        let answer = call.await.unwrap_or_else(|e| panic!("{name}: {e}"));
        if name.starts_with("list_") {
            let empty = match &answer {
                Value::Array(items) => items.is_empty(),
                Value::Object(map) => map
                    .values()
                    .all(|v| v.as_array().is_some_and(Vec::is_empty)),
                _ => true,
            };
            assert!(!empty, "{name} answered nothing: {answer}");
        }
        assert!(called.insert(name), "{name} twice");
    }
    assert!(
        login.token().is_none(),
        "logout cleared the login client's token"
    );

    // Operations the catalogue gained after this list was written still answer.
    let uncalled: Vec<_> = OPERATIONS
        .iter()
        .filter(|m| !called.contains(m.name))
        .collect();
    for meta in uncalled {
        from_example(meta.name, creds.account_id)
            .send(api.handle(), &CallOptions::default())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", meta.name));
        called.insert(meta.name);
    }

    let all: BTreeSet<&str> = OPERATIONS.iter().map(|m| m.name).collect();
    assert_eq!(called, all);
    assert_eq!(all.len(), 57);
    let counts = sandbox.operation_counts();
    for name in &all {
        assert!(
            counts.get(*name).copied().unwrap_or(0) >= 1,
            "{name} never reached the sandbox"
        );
    }
}

#[tokio::test]
async fn the_generic_path_reads_the_collections_examples_as_written() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    // Reads, through `AnyRequest::send`, from the collection's own example requests.
    for name in [
        "get_contact",
        "list_messages",
        "list_orders",
        "get_order",
        "list_appointments",
    ] {
        let answer = from_example(name, sandbox.credentials().account_id)
            .send(api.handle(), &CallOptions::default())
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!answer.is_null(), "{name}");
    }
    assert_eq!(sandbox.operation_count("get_contact"), 1);
}
