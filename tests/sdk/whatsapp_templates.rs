//! WhatsApp templates, the way past a WhatsApp contact's 24-hour window:
//!
//! - the wire form of the three operations, from the vendor's web inbox's requests (a
//!   recording server): the same discriminators and `data`, with the collection's `account_id`
//!   and `contact_id` for the web inbox's `page_id` and `ms_id`;
//! - the sandbox's handlers: the seeded templates, a sent one read back in `list_messages` and
//!   heard on the socket, the vendor-style errors, nothing changed by a refused send;
//! - past the window: a text is refused and the error names the template operation, while the
//!   template goes through.

use std::time::Duration;

use crate::common::{Answer, Recorder, ACCOUNT_ID, TOKEN};
use crate::realtime_common::{connect, events, late_whatsapp_contact, until};
use crate::sandbox_common::{
    expect_code, json_headers, newest_message, post_raw, whatsapp_contact,
};
use chatrace::realtime::{RealtimeError, RealtimeEvent};
use chatrace::types::*;
use chatrace::{AnyRequest, Client};
use serde_json::{json, Value};

/// An answer of `list_whatsapp_templates` in the shape the web inbox reads (ours: the vendor
/// publishes none): `json_builder` is JSON in a string, and a field the catalogue does not
/// declare (`status`) is kept.
const TEMPLATES_ANSWER: &str = r#"{"status":"OK","data":[{"id":"order_shipped","language":"en_US","status":"APPROVED","json_builder":"{\"namespace\":\"5f1c_ns\",\"header\":{\"format\":\"TEXT\",\"text\":\"Order {{1}}\",\"pers\":1},\"body\":{\"text\":\"Hi {{1}}, your order is on its way.\",\"pers\":\"1\"},\"footer\":{\"text\":\"Morgan Coffee\"},\"buttons\":{\"buttons\":[{\"type\":\"QUICK_REPLY\",\"text\":\"Track\"}]},\"category\":\"UTILITY\"}"}]}"#;

/// An answer of `list_whatsapp_template_names` in the shape the web inbox reads (ours).
const NAMES_ANSWER: &str = r#"{"status":"OK","data":[{"id":"order_shipped","name":"order_shipped","lngs":["en_US","es_MX"]}]}"#;

/// One value of a placeholder, labelled as the web inbox labels it.
fn value(n: usize, text: &str) -> WhatsAppTemplateValue {
    let mut built = WhatsAppTemplateValue::default();
    built.label = Some(format!("{{{{{n}}}}}"));
    built.value = Some(text.to_owned());
    built
}

/// The values of the body's placeholders, in order.
fn body(values: &[&str]) -> WhatsAppTemplateComponents {
    let mut text = WhatsAppTemplateValues::default();
    text.values = Some(
        values
            .iter()
            .enumerate()
            .map(|(n, v)| value(n + 1, v))
            .collect(),
    );
    let mut components = WhatsAppTemplateComponents::default();
    components.body = Some(text);
    components
}

/// The body of a request as the server read it, and that the server tells it apart as `name`.
fn sent(server: &Recorder, name: &str) -> Value {
    let received = server.last();
    assert_eq!(received.header("x-access-token"), Some(TOKEN));
    assert_eq!(received.header("user-agent"), Some("mobile-app"));
    let body = received.json();
    let read = AnyRequest::from_json(body.clone(), |_| None).expect("a request of the catalogue");
    assert_eq!(read.meta().name, name);
    body
}

#[tokio::test]
async fn the_lists_send_the_web_inboxs_discriminators_and_decode_its_answer() {
    let server = Recorder::start(Answer::json(TEMPLATES_ANSWER)).await;
    let client = crate::common::client(&server.url);
    let templates = client
        .list_whatsapp_templates()
        .send()
        .await
        .expect("decoded");
    // The web inbox sends {page_id, op: "whatsapp", op1: "templates", op2: "get"}.
    assert_eq!(
        sent(&server, "list_whatsapp_templates"),
        json!({"account_id": ACCOUNT_ID, "op": "whatsapp", "op1": "templates", "op2": "get"})
    );
    let layout = templates[0].layout.as_ref().expect("json_builder decoded");
    assert_eq!(layout.namespace.as_deref(), Some("5f1c_ns"));
    assert_eq!(
        layout.header.as_ref().and_then(|h| h.format.clone()),
        Some(WhatsAppHeaderFormat::Text)
    );
    // A count sent as a string is read as the number it holds.
    assert_eq!(
        layout.body.as_ref().and_then(|b| b.placeholder_count),
        Some(1)
    );
    let buttons = layout.buttons.as_ref().and_then(|b| b.buttons.as_deref());
    assert_eq!(
        buttons.and_then(|b| b[0].text.as_deref()),
        Some("Track"),
        "{buttons:?}"
    );
    // Nothing is lost: written back, the answer is the server's (json_builder a string again).
    let theirs: Value = serde_json::from_str(TEMPLATES_ANSWER).unwrap();
    let ours = serde_json::to_value(&templates).unwrap();
    assert!(ours[0]["json_builder"].is_string(), "{ours}");
    crate::loose::check(&ours, &theirs["data"]).unwrap_or_else(|diff| panic!("{diff}"));

    server.answer(Answer::json(NAMES_ANSWER));
    let names = client
        .list_whatsapp_template_names()
        .send()
        .await
        .expect("decoded");
    assert_eq!(
        sent(&server, "list_whatsapp_template_names"),
        json!({"account_id": ACCOUNT_ID, "op": "whatsapp", "op1": "templateNames", "op2": "get"})
    );
    assert_eq!(
        names[0].languages.as_deref(),
        Some(&["en_US".to_owned(), "es_MX".to_owned()][..])
    );
    let theirs: Value = serde_json::from_str(NAMES_ANSWER).unwrap();
    crate::loose::check(&serde_json::to_value(&names).unwrap(), &theirs["data"])
        .unwrap_or_else(|diff| panic!("{diff}"));
}

/// The web inbox reads both lists from `results` (`json[1].results`, `json[4].results` in
/// `original /inbox.js`): an answer in that form gives the same lists, not empty ones.
#[tokio::test]
async fn the_lists_read_the_web_inboxs_results_too() {
    let in_results = |answer: &str| answer.replacen(r#""data":"#, r#""results":"#, 1);
    let server = Recorder::start(Answer::json(in_results(TEMPLATES_ANSWER))).await;
    let client = crate::common::client(&server.url);
    let templates = client
        .list_whatsapp_templates()
        .send()
        .await
        .expect("decoded");
    assert_eq!(templates.len(), 1);
    assert_eq!(
        templates[0]
            .layout
            .as_ref()
            .and_then(|l| l.namespace.as_deref()),
        Some("5f1c_ns")
    );
    server.answer(Answer::json(in_results(NAMES_ANSWER)));
    let names = client
        .list_whatsapp_template_names()
        .send()
        .await
        .expect("decoded");
    assert_eq!(names.len(), 1);
    assert_eq!(names[0].name.as_deref(), Some("order_shipped"));
}

#[tokio::test]
async fn the_send_is_the_web_inboxs_request_in_the_collections_forms() {
    let server = Recorder::start(Answer::json(r#"{"status":"OK"}"#)).await;
    let client = crate::common::client(&server.url);
    let mut components = body(&["Ana"]);
    components.header = Some({
        let mut header = WhatsAppTemplateHeaderValues::default();
        header.format = Some(WhatsAppHeaderFormat::Image);
        header.url = Some("https://files.example.com/beans.jpg".to_owned());
        header.file_name = Some("beans.jpg".to_owned());
        header
    });
    client
        .send_whatsapp_template(
            ContactId::new(100_000_000_001u64),
            WhatsAppTemplateId::new("order_shipped"),
            "en_US",
            components,
            "5f1c_ns",
        )
        .send()
        .await
        .expect("sent");
    // The web inbox sends {op, op1, op2: "waTemplate", ms_id, channel: 5, data: {id, language,
    // components, namespace}}; the contact goes as the collection's send_flow sends it.
    assert_eq!(
        sent(&server, "send_whatsapp_template"),
        json!({
            "account_id": ACCOUNT_ID,
            "op": "conversations", "op1": "send", "op2": "waTemplate",
            "channel": 5,
            "contact_id": "100000000001",
            "data": {
                "id": "order_shipped",
                "language": "en_US",
                "components": {
                    "header": {"format": "IMAGE", "url": "https://files.example.com/beans.jpg", "fileName": "beans.jpg"},
                    "body": {"pers": [{"label": "{{1}}", "value": "Ana"}]}
                },
                "namespace": "5f1c_ns"
            }
        })
    );
    // A send is never repeated: a failure is reported once.
    server.answer(Answer {
        status: 503,
        content_type: "text/plain",
        body: "busy".into(),
    });
    let before = server.received().len();
    let retrying = Client::builder()
        .base_url(&server.url)
        .token(TOKEN)
        .account_id(ACCOUNT_ID)
        .build()
        .expect("a client with the default retries");
    retrying
        .send_whatsapp_template(
            ContactId::new(7u64),
            WhatsAppTemplateId::new("order_shipped"),
            "en_US",
            body(&["Ana"]),
            "5f1c_ns",
        )
        .send()
        .await
        .expect_err("the server failed");
    assert_eq!(server.received().len(), before + 1);
}

// ---------------------------------------------------------------------------------------------
// The sandbox

/// The seed's template `id` in `language`, read from the sandbox.
async fn seeded(client: &Client, id: &str, language: &str) -> WhatsAppTemplate {
    client
        .list_whatsapp_templates()
        .send()
        .await
        .expect("templates")
        .into_iter()
        .find(|t| t.id.as_str() == id && t.language.as_deref() == Some(language))
        .unwrap_or_else(|| panic!("the seed has {id} in {language}"))
}

fn namespace(template: &WhatsAppTemplate) -> String {
    template
        .layout
        .as_ref()
        .and_then(|l| l.namespace.clone())
        .expect("a namespace")
}

/// Sends the seed's template `id` in `language` to `contact`, filled with `components`.
async fn send_seeded(
    client: &Client,
    contact: &ContactId,
    (id, language): (&str, &str),
    components: WhatsAppTemplateComponents,
) -> Result<(), chatrace::Error> {
    let template = seeded(client, id, language).await;
    client
        .send_whatsapp_template(
            contact.clone(),
            template.id.clone(),
            language,
            components,
            namespace(&template),
        )
        .send()
        .await
}

/// A sent template as plain text: its name, its language, and the values that filled it, by
/// component (`body`, and the header's text or file).
#[derive(Debug, PartialEq)]
struct Sent {
    name: String,
    language: String,
    components: Vec<(String, Vec<String>)>,
}

/// The template of a message whose one part is a template.
fn template_of(message: &Message) -> Option<Sent> {
    let parts = message.parts.as_deref()?;
    let [MessagePart::WhatsAppTemplate(part)] = parts else {
        return None;
    };
    let template = part.template.as_ref()?;
    let components = template
        .components
        .iter()
        .flatten()
        .map(|c| {
            let values = c
                .parameters
                .iter()
                .flatten()
                .map(|p| {
                    p.text
                        .clone()
                        .or_else(|| p.image.as_ref().and_then(|i| i.link.clone()))
                        .unwrap_or_default()
                })
                .collect();
            (c.kind.clone().unwrap_or_default(), values)
        })
        .collect();
    Some(Sent {
        name: template.template_id.as_ref()?.to_string(),
        language: template.language.as_ref()?.code.clone()?,
        components,
    })
}

#[tokio::test]
async fn the_sandbox_lists_its_templates_by_version_and_by_name() {
    let sandbox = crate::sandbox_common::sandbox().await;
    let client = crate::sandbox_common::client(&sandbox);
    let versions = client.list_whatsapp_templates().send().await.unwrap();
    assert_eq!(versions.len(), 4);
    let names = client.list_whatsapp_template_names().send().await.unwrap();
    let summary: Vec<(&str, Vec<String>)> = names
        .iter()
        .map(|n| (n.id.as_str(), n.languages.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "order_shipped",
                vec!["en_US".to_owned(), "es_MX".to_owned()]
            ),
            ("we_miss_you", vec!["en_US".to_owned()]),
            ("tasting_invite", vec!["en_US".to_owned()]),
        ]
    );
    // Each name's languages are the versions the other list has.
    for name in &names {
        for language in name.languages.iter().flatten() {
            assert!(versions
                .iter()
                .any(|v| v.id == name.id && v.language.as_ref() == Some(language)));
        }
    }
    // The answer carries the layout as JSON in a string, as the web inbox parses it.
    let raw = post_raw(
        &sandbox,
        &json_headers(&sandbox.credentials().token),
        json!({"account_id": sandbox.credentials().account_id, "op": "whatsapp", "op1": "templates", "op2": "get"})
            .to_string(),
    )
    .await
    .json();
    let builder = raw["data"][0]["json_builder"].as_str().expect("a string");
    let layout: Value = serde_json::from_str(builder).expect("JSON inside");
    assert_eq!(layout["body"]["pers"], json!(2));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_sent_template_is_the_conversations_newest_message_and_is_heard_on_the_socket() {
    let sandbox = crate::realtime_common::sandbox().await;
    let client = sandbox.client();
    let contact = whatsapp_contact(&client).await;
    let realtime = connect(&sandbox).await;
    let mut heard = events(&realtime);
    realtime.subscribe(&contact).await.expect("subscribed");
    send_seeded(
        &client,
        &contact,
        ("order_shipped", "es_MX"),
        body(&["Ana", "#1042"]),
    )
    .await
    .expect("sent");

    let message = newest_message(&client, &contact).await;
    assert_eq!(message.direction, Some(MessageDirection::ToContact));
    assert_eq!(message.channel, Some(Channel::Whatsapp));
    assert_eq!(
        message.sent_by.as_ref().and_then(|a| a.as_u64()),
        Some(sandbox.credentials().admin_id)
    );
    let expected = Some(Sent {
        name: "order_shipped".to_owned(),
        language: "es_MX".to_owned(),
        components: vec![(
            "body".to_owned(),
            vec!["Ana".to_owned(), "#1042".to_owned()],
        )],
    });
    assert_eq!(template_of(&message), expected);
    // The inbox lists the conversation with it last.
    let conversation = crate::sandbox_common::conversation(&client, &contact).await;
    assert_eq!(conversation.last_message.as_deref(), Some("[template]"));

    let echoed = until(&mut heard, |event| match event {
        RealtimeEvent::Event(InboxEvent::Message(m)) if m.contact_id.as_ref() == Some(&contact) => {
            m.parts.as_deref().and_then(|parts| match parts {
                [MessagePart::WhatsAppTemplate(part)] => Some(part.clone()),
                _ => None,
            })
        }
        _ => None,
    })
    .await;
    assert_eq!(
        echoed.template.and_then(|t| t.template_id),
        Some(WhatsAppTemplateId::new("order_shipped"))
    );
    realtime.close().await;
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_media_header_goes_as_whatsapp_gets_it() {
    let sandbox = crate::sandbox_common::sandbox().await;
    let client = crate::sandbox_common::client(&sandbox);
    let contact = whatsapp_contact(&client).await;
    let url = "https://sandbox.chatrace.test/files/beans.jpg";
    let mut components = body(&["Friday"]);
    components.header = Some({
        let mut header = WhatsAppTemplateHeaderValues::default();
        header.format = Some(WhatsAppHeaderFormat::Image);
        header.url = Some(url.to_owned());
        header
    });
    send_seeded(&client, &contact, ("tasting_invite", "en_US"), components)
        .await
        .expect("sent");
    let sent = template_of(&newest_message(&client, &contact).await).expect("a template");
    assert_eq!(
        sent.components,
        [
            ("header".to_owned(), vec![url.to_owned()]),
            ("body".to_owned(), vec!["Friday".to_owned()]),
        ]
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn what_the_account_does_not_have_is_refused_as_the_vendor_refuses_and_nothing_changes() {
    let sandbox = crate::sandbox_common::sandbox().await;
    let client = crate::sandbox_common::client(&sandbox);
    let contact = whatsapp_contact(&client).await;
    let template = seeded(&client, "order_shipped", "en_US").await;
    let ns = namespace(&template);
    let before = sandbox.state_fingerprint();
    let send = |id: &str, language: &str, components: WhatsAppTemplateComponents, ns: &str| {
        client
            .send_whatsapp_template(
                contact.clone(),
                WhatsAppTemplateId::new(id),
                language,
                components,
                ns,
            )
            .send()
    };
    // A template or a language the account does not have.
    expect_code(
        send("no_such_template", "en_US", body(&["a", "b"]), &ns).await,
        "4",
    );
    expect_code(
        send("order_shipped", "fr_FR", body(&["a", "b"]), &ns).await,
        "4",
    );
    // Values that do not fill it, or another namespace.
    expect_code(send("order_shipped", "en_US", body(&["a"]), &ns).await, "2");
    expect_code(
        send("order_shipped", "en_US", body(&["a", " "]), &ns).await,
        "2",
    );
    expect_code(
        send("order_shipped", "en_US", body(&["a", "b"]), "other").await,
        "2",
    );
    expect_code(
        send("tasting_invite", "en_US", body(&["Friday"]), &ns).await,
        "2",
    );
    // A contact who is not on WhatsApp.
    let messenger = ContactId::new(sandbox.credentials().contact_id);
    expect_code(
        client
            .send_whatsapp_template(
                messenger,
                template.id.clone(),
                "en_US",
                body(&["a", "b"]),
                &ns,
            )
            .send()
            .await,
        "14",
    );
    assert_eq!(sandbox.state_fingerprint(), before, "nothing changed");

    // On the wire, exactly the real server's error: no message.
    let raw = post_raw(
        &sandbox,
        &json_headers(&sandbox.credentials().token),
        json!({
            "account_id": sandbox.credentials().account_id,
            "op": "conversations", "op1": "send", "op2": "waTemplate", "channel": 5,
            "contact_id": contact.as_str(),
            "data": {"id": "order_shipped", "language": "de_DE", "components": {}, "namespace": ns}
        })
        .to_string(),
    )
    .await;
    raw.assert_error(200, 4);
    sandbox.shutdown().await;
}

// ---------------------------------------------------------------------------------------------
// Past the reply window

#[tokio::test]
async fn past_the_window_a_text_is_refused_with_the_way_on_and_a_template_goes_through() {
    let sandbox = crate::realtime_common::sandbox().await;
    let client = sandbox.client();
    let late = late_whatsapp_contact(&sandbox).await;
    let realtime = connect(&sandbox).await;
    let mut heard = events(&realtime);
    realtime.subscribe(&late).await.expect("subscribed");

    let error = realtime
        .send_text(&late, Channel::Whatsapp, "still there?")
        .await
        .expect_err("past the window");
    match &error {
        RealtimeError::Unreachable {
            channel,
            since_last_message,
            past_window_operation,
            ..
        } => {
            assert_eq!(*channel, 5);
            assert!(
                since_last_message.is_some_and(|since| since > Duration::from_secs(24 * 3600)),
                "{since_last_message:?}"
            );
            assert_eq!(*past_window_operation, Some("send_whatsapp_template"));
        }
        other => panic!("expected Unreachable, got {other:?}"),
    }
    let text = error.to_string();
    assert!(
        text.ends_with("send an approved template instead (send_whatsapp_template)"),
        "{text}"
    );
    // The operation it names is the catalogue's.
    assert!(chatrace::OPERATIONS
        .iter()
        .any(|op| op.name == "send_whatsapp_template"));
    assert_eq!(sandbox.socket_stats().send, 0, "the text was not sent");

    send_seeded(
        &client,
        &late,
        ("order_shipped", "en_US"),
        body(&["Ana", "#1042"]),
    )
    .await
    .expect("a template goes past the window");
    let message = newest_message(&client, &late).await;
    assert_eq!(
        template_of(&message).map(|sent| sent.name).as_deref(),
        Some("order_shipped")
    );
    until(&mut heard, |event| match event {
        RealtimeEvent::Event(InboxEvent::Message(m))
            if m.contact_id.as_ref() == Some(&late)
                && matches!(m.parts.as_deref(), Some([MessagePart::WhatsAppTemplate(_)])) =>
        {
            Some(())
        }
        _ => None,
    })
    .await;
    realtime.close().await;
    sandbox.shutdown().await;
}
