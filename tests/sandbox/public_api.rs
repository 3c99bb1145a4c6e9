//! The two APIs over one state: what the public API writes (a contact, a tag, a field value, a
//! text, a flow, a paid cart) the inbox API reads and the realtime socket hears, and the
//! reverse; the API token checked (a wrong one changes nothing); the REST wire as the sandbox
//! reads and answers it, without the SDK.

use std::time::Duration;

use chatrace::realtime::RealtimeEvent;
use chatrace::types::*;
use chatrace::Error;
use chatrace_sandbox::Sandbox;
use futures::{Stream, StreamExt};
use serde_json::json;

use crate::common::{
    client, conversation, expect_code, http, long_conversation, newest_message, public_client,
    read, sandbox, RawAnswer, CALL_TIMEOUT,
};

/// The demo account's tag `Newsletter` and text field `Favourite roast`.
const NEWSLETTER: u64 = 347;
const FAVOURITE_ROAST: u64 = 473_991;

/// The texts of a message's text parts.
fn texts(message: &Message) -> Vec<String> {
    message
        .parts
        .iter()
        .flatten()
        .filter_map(|part| match part {
            MessagePart::Text(text) => text.text.clone(),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_contact_created_over_the_public_api_is_in_the_inbox_with_its_tag_and_field() {
    let sandbox = sandbox().await;
    let api = public_client(&sandbox);
    let created = api
        .create_contact()
        .phone("+1 (415) 555-0142")
        .first_name("Rosa")
        .last_name("Diaz")
        .gender("female")
        .actions(vec![
            ContactAction::AddTag(AddTagAction::new("Newsletter".to_owned())),
            ContactAction::SetFieldValue(SetFieldValueAction::new(
                "Favourite roast".to_owned(),
                "Ethiopia".to_owned(),
            )),
        ])
        .send()
        .await
        .expect("created");
    let id = created.contact_id.expect("the new contact's id");
    let record = created.contact.expect("the new contact");
    assert_eq!(record.channel, Some(Channel::Whatsapp), "made by phone");
    assert_eq!(
        record
            .tags
            .unwrap_or_default()
            .iter()
            .map(|t| t.id.clone())
            .collect::<Vec<_>>(),
        [TagId::new(NEWSLETTER)]
    );

    // The inbox lists the conversation, and finds it by phone as its search does.
    let inbox = client(&sandbox);
    let listed = conversation(&inbox, &id).await;
    assert_eq!(listed.full_name.as_deref(), Some("Rosa Diaz"));
    assert_eq!(listed.phone.as_deref(), Some("+14155550142"));
    let mut search = ConversationFilter::default();
    search.attribute = Some("phone".to_owned());
    search.operator = Some("6".to_owned());
    search.value = Some(json!(["4155550142"]));
    search.order = Some(1);
    let found = inbox
        .list_conversations()
        .filters(vec![search])
        .send()
        .await
        .expect("the search");
    assert_eq!(
        found
            .iter()
            .map(|c| c.contact_id.clone())
            .collect::<Vec<_>>(),
        std::slice::from_ref(&id)
    );
    let contact = inbox
        .get_contact(id.clone())
        .send()
        .await
        .expect("the contact");
    assert_eq!(contact.tag_ids, Some(vec![TagId::new(NEWSLETTER)]));
    let value = contact
        .custom_fields
        .unwrap_or_default()
        .into_iter()
        .find(|v| v.field_id == CustomFieldId::new(FAVOURITE_ROAST))
        .and_then(|v| v.value);
    assert_eq!(value.as_deref(), Some("Ethiopia"));

    // The public API finds it by phone, in any spelling of the number.
    let by_phone = api
        .find_contacts_by_custom_field(CustomFieldId::new("phone"), "14155550142")
        .send()
        .await
        .expect("found");
    let ids: Vec<ContactId> = by_phone
        .contacts
        .unwrap_or_default()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, std::slice::from_ref(&id));
    // ... and a path takes its phone number for its id.
    let again = api
        .get_contact_record(ContactId::new("14155550142"))
        .send()
        .await
        .expect("by phone number");
    assert_eq!(again.id, id);
}

#[tokio::test]
async fn tags_and_field_values_set_on_one_api_are_read_on_the_other() {
    let sandbox = sandbox().await;
    let api = public_client(&sandbox);
    let inbox = client(&sandbox);
    let contact = long_conversation(&sandbox);

    // Public -> inbox: a tag and a value.
    api.add_tag_to_contact(contact.clone(), TagId::new(NEWSLETTER))
        .send()
        .await
        .expect("tagged");
    api.set_contact_custom_field(
        contact.clone(),
        CustomFieldId::new(FAVOURITE_ROAST),
        "Kenya AA",
    )
    .send()
    .await
    .expect("set");
    let seen = inbox
        .get_contact(contact.clone())
        .send()
        .await
        .expect("the contact");
    assert!(seen
        .tag_ids
        .unwrap_or_default()
        .contains(&TagId::new(NEWSLETTER)));
    let value = seen
        .custom_fields
        .unwrap_or_default()
        .into_iter()
        .find(|v| v.field_id == CustomFieldId::new(FAVOURITE_ROAST))
        .and_then(|v| v.value);
    assert_eq!(value.as_deref(), Some("Kenya AA"));

    // Inbox -> public: the tag removed, another value set.
    inbox
        .remove_tag(vec![TagId::new(NEWSLETTER)], contact.clone())
        .send()
        .await
        .expect("untagged");
    inbox
        .set_custom_field(
            contact.clone(),
            CustomFieldId::new(FAVOURITE_ROAST),
            CustomFieldType::Text,
            "Colombia",
        )
        .send()
        .await
        .expect("set in the inbox");
    let tags = api
        .list_contact_tags(contact.clone())
        .send()
        .await
        .expect("tags");
    assert!(
        !tags.iter().any(|t| t.id == TagId::new(NEWSLETTER)),
        "{tags:?}"
    );
    let read = api
        .get_contact_custom_field(contact.clone(), CustomFieldId::new(FAVOURITE_ROAST))
        .send()
        .await
        .expect("read");
    assert_eq!(read.value.as_deref(), Some("Colombia"));
    assert_eq!(read.name.as_deref(), Some("Favourite roast"));

    // A value the field's type does not read is refused by both, and nothing changes.
    let before = sandbox.state_fingerprint();
    let refused = api
        .set_contact_custom_field(contact.clone(), CustomFieldId::new(740_763), "many")
        .send()
        .await;
    expect_code(refused, "400");
    assert_eq!(sandbox.state_fingerprint(), before);
}

#[tokio::test]
async fn the_accounts_tags_and_fields_are_one_list_for_both_apis() {
    let sandbox = sandbox().await;
    let api = public_client(&sandbox);
    let inbox = client(&sandbox);
    let contact = long_conversation(&sandbox);

    // A tag made over the public API is in the inbox's list, and a field made in the inbox is
    // found by name over the public API.
    let made = api.create_tag("Wholesale").send().await.expect("created");
    let tags = inbox.list_tags().send().await.expect("the inbox's tags");
    let listed = tags.iter().find(|t| t.id == made.id).expect("listed");
    assert_eq!(listed.name.as_deref(), Some("Wholesale"));
    let field = inbox
        .create_custom_field("Grinder model", CustomFieldType::Text)
        .send()
        .await
        .expect("created in the inbox");
    let found = api
        .get_custom_field_by_name("Grinder model")
        .send()
        .await
        .expect("found by name");
    assert_eq!(found.id, field.id);
    assert_eq!(found.field_type, Some(CustomFieldType::Text));

    // A tag deleted over the public API is gone from the inbox's list and its contacts.
    api.add_tag_to_contact(contact.clone(), made.id.clone())
        .send()
        .await
        .expect("tagged");
    api.delete_tag(made.id.clone())
        .send()
        .await
        .expect("deleted");
    let tags = inbox.list_tags().send().await.expect("the inbox's tags");
    assert!(!tags.iter().any(|t| t.id == made.id), "{tags:?}");
    let seen = inbox
        .get_contact(contact.clone())
        .send()
        .await
        .expect("the contact");
    assert!(!seen.tag_ids.unwrap_or_default().contains(&made.id));
}

#[tokio::test]
async fn a_text_and_a_flow_sent_over_the_public_api_are_the_bots_messages_in_the_inbox() {
    let sandbox = sandbox().await;
    let api = public_client(&sandbox);
    let contact = long_conversation(&sandbox);
    let before = client(&sandbox)
        .get_contact(contact.clone())
        .send()
        .await
        .expect("the contact");

    api.send_text_to_contact(contact.clone(), "Your beans ship today.")
        .send()
        .await
        .expect("sent");
    let message = newest_message(&client(&sandbox), &contact).await;
    assert_eq!(texts(&message), ["Your beans ship today."]);
    assert_eq!(message.direction, Some(MessageDirection::ToContact));
    assert_eq!(message.sent_by, Some(AdminId::new(0)), "sent by the bot");

    api.send_flow_to_contact(contact.clone(), FlowId::new(1234))
        .send()
        .await
        .expect("the flow");
    let message = newest_message(&client(&sandbox), &contact).await;
    assert_eq!(
        texts(&message),
        ["Hi! Welcome to Morgan Coffee Roasters. What can we brew for you today?"],
        "the flow's first step"
    );

    // The conversation stays with whoever answered it.
    let after = client(&sandbox)
        .get_contact(contact.clone())
        .send()
        .await
        .expect("the contact");
    assert_eq!(after.live_chat, before.live_chat);

    // A channel the contact does not talk on is refused, and nothing is sent.
    let fingerprint = sandbox.state_fingerprint();
    let refused = api
        .send_text_to_contact(contact.clone(), "Hello on WhatsApp")
        .channel(ChannelName::Whatsapp)
        .send()
        .await;
    expect_code(refused, "400");
    assert_eq!(sandbox.state_fingerprint(), fingerprint);
}

/// The first message event of `contact`'s conversation with a text part `wanted`, skipping the
/// other events.
async fn heard(
    events: &mut (impl Stream<Item = RealtimeEvent<InboxEvent>> + Unpin),
    contact: &ContactId,
    wanted: &str,
) -> MessageEvent {
    let found = async {
        while let Some(event) = events.next().await {
            if let RealtimeEvent::Event(InboxEvent::Message(message)) = event {
                let says = message.parts.iter().flatten().any(
                    |part| matches!(part, MessagePart::Text(t) if t.text.as_deref() == Some(wanted)),
                );
                if message.contact_id.as_ref() == Some(contact) && says {
                    return Some(message);
                }
            }
        }
        None
    };
    tokio::time::timeout(CALL_TIMEOUT, found)
        .await
        .expect("heard in time")
        .expect("the stream goes on")
}

#[tokio::test]
async fn a_text_sent_over_the_public_api_is_heard_on_the_realtime_socket() {
    let sandbox = Sandbox::builder()
        .wall_clock()
        .reply_delay(Duration::from_millis(20))
        .start()
        .await
        .expect("the sandbox binds 127.0.0.1");
    let contact = long_conversation(&sandbox);
    let inbox = client(&sandbox);
    let realtime = inbox.realtime().connect().await.expect("connected");
    let mut events = Box::pin(realtime.events());
    realtime.subscribe(&contact).await.expect("subscribed");
    // Frames are handled in order: once the echo of a text sent on the socket is heard, the
    // subscription is in place.
    realtime
        .send_text(&contact, Channel::Messenger, "Checking in.")
        .await
        .expect("sent on the socket");
    heard(&mut events, &contact, "Checking in.").await;

    public_client(&sandbox)
        .send_text_to_contact(contact.clone(), "Sent from the shop's back office.")
        .send()
        .await
        .expect("sent over the public API");
    let event = heard(&mut events, &contact, "Sent from the shop's back office.").await;
    assert_eq!(event.direction, Some(MessageDirection::ToContact));
    assert_eq!(event.sent_by, Some(AdminId::new(0)), "the bot");
    realtime.close().await;
}

#[tokio::test]
async fn a_paid_cart_is_an_order_of_the_inbox_and_status_changes_cross_over() {
    let sandbox = sandbox().await;
    let api = public_client(&sandbox);
    let inbox = client(&sandbox);
    let shopper = ContactId::new(12_345u64);
    api.add_to_cart(shopper.clone(), ProductId::new(22_222u64), 2)
        .send()
        .await
        .expect("added");
    let cart = api
        .get_cart(shopper.clone())
        .send()
        .await
        .expect("the cart");
    let order_id = cart.order_id.clone().expect("the cart's order");
    // 2 x 32.00 + 1 x 22.00 (the seed's), + 2 x 14.50.
    assert_eq!(cart.total, Some(115.0));
    assert_eq!(cart.item_count, Some(5));
    expect_code(
        api.mark_order_paid(shopper.clone(), order_id.clone(), 11_499)
            .send()
            .await,
        "400",
    );
    api.mark_order_paid(shopper.clone(), order_id.clone(), 11_500)
        .send()
        .await
        .expect("paid");

    let listed = inbox.list_orders().send().await.expect("the orders");
    let summary = listed
        .iter()
        .find(|o| o.id == order_id)
        .expect("listed in the inbox");
    assert_eq!(summary.contact_id.as_ref(), Some(&shopper));
    assert_eq!(summary.status, Some(OrderStatus::Confirmed));
    let order = inbox
        .get_order(order_id.clone())
        .send()
        .await
        .expect("the order");
    assert_eq!(order.total, Some(115.0));
    assert!(
        api.get_cart(shopper.clone())
            .send()
            .await
            .expect("the cart")
            .line_items
            .unwrap_or_default()
            .is_empty(),
        "checked out"
    );

    // Public -> inbox, then inbox -> public.
    api.set_order_status(shopper.clone(), order_id.clone(), OrderStatus::Shipped)
        .send()
        .await
        .expect("shipped");
    let order = inbox
        .get_order(order_id.clone())
        .send()
        .await
        .expect("the order");
    assert_eq!(order.status, Some(OrderStatus::Shipped));
    inbox
        .update_order(order_id.clone(), OrderStatus::Delivered)
        .send()
        .await
        .expect("delivered");
    let read = api
        .get_contact_order(shopper.clone(), order_id.clone())
        .send()
        .await
        .expect("read");
    assert_eq!(read.status, Some(OrderStatus::Delivered));
    assert_eq!(read.line_items.map(|l| l.len()), Some(3));
    // A status it has already is the Swagger page's 402.
    expect_code(
        api.set_order_status(shopper, order_id, OrderStatus::Delivered)
            .send()
            .await,
        "402",
    );
}

/// The HTTP status of an error answer, whatever form it took.
fn status_of(error: &Error) -> Option<u16> {
    error
        .http_status()
        .or_else(|| error.api().map(|api| api.http_status()))
}

/// The public API's error of `result`: its HTTP status and whether the SDK calls it
/// unauthorized.
fn refusal<T: std::fmt::Debug>(result: Result<T, Error>) -> (Option<u16>, bool) {
    match result {
        Ok(value) => panic!("expected a refusal, got {value:?}"),
        Err(error) => (status_of(&error), error.is_unauthorized()),
    }
}

#[tokio::test]
async fn a_missing_or_wrong_api_token_is_refused_and_changes_nothing() {
    let sandbox = sandbox().await;
    let before = sandbox.state_fingerprint();
    let creds = sandbox.credentials().clone();
    let contact = long_conversation(&sandbox);
    for token in ["not-the-token", creds.token.as_str()] {
        let api = sandbox
            .public_client_builder()
            .api_token(token)
            .timeout(CALL_TIMEOUT)
            .build()
            .expect("a client");
        let calls = [
            refusal(api.create_contact().phone("+14155550100").send().await),
            refusal(
                api.add_tag_to_contact(contact.clone(), TagId::new(NEWSLETTER))
                    .send()
                    .await,
            ),
            refusal(api.send_text_to_contact(contact.clone(), "Hi").send().await),
            refusal(api.delete_tag(TagId::new(345)).send().await),
            refusal(api.get_account().send().await),
        ];
        for call in calls {
            assert_eq!(call, (Some(401), true), "with {token:?}");
        }
    }
    assert_eq!(sandbox.state_fingerprint(), before);

    // Without the header at all, the raw answer is the public API's error object.
    let answer = read(
        http()
            .post(format!("{}contacts", sandbox.public_api_url()))
            .json(&json!({"phone": "+14155550100"}))
            .send()
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(answer.status, 401, "{}", answer.text);
    assert_eq!(
        answer.json(),
        json!({"error": {"code": 401, "message": "No valid API key provided."}})
    );
    assert_eq!(sandbox.state_fingerprint(), before);

    // The API token does not open the inbox API either.
    let inbox = sandbox
        .client_builder()
        .token(creds.api_token.clone())
        .build()
        .expect("a client");
    expect_code(inbox.list_tags().send().await, "1");
}

/// A raw request to the public API with the demo account's API token.
async fn raw(
    sandbox: &Sandbox,
    method: reqwest::Method,
    path: &str,
    body: Option<(&str, String)>,
) -> RawAnswer {
    let mut request = http()
        .request(method, format!("{}{path}", sandbox.public_api_url()))
        .header("X-ACCESS-TOKEN", &sandbox.credentials().api_token);
    if let Some((content_type, text)) = body {
        request = request.header("Content-Type", content_type).body(text);
    }
    read(request.send().await.expect("answered")).await
}

#[tokio::test]
async fn the_rest_wire_routes_by_method_and_path_and_reads_forms_and_json() {
    let sandbox = sandbox().await;
    let contact = long_conversation(&sandbox);
    let text = raw(
        &sandbox,
        reqwest::Method::POST,
        &format!("contacts/{contact}/send/text"),
        Some(("application/json", json!({"text": "Routed"}).to_string())),
    )
    .await;
    assert_eq!((text.status, text.json()), (200, json!({"success": true})));
    assert_eq!(
        texts(&newest_message(&client(&sandbox), &contact).await),
        ["Routed"]
    );
    assert_eq!(sandbox.operation_count("send_text_to_contact"), 1);
    assert_eq!(sandbox.operation_count("send_flow_to_contact"), 0);

    // A form body, and a path param escaped.
    let set = raw(
        &sandbox,
        reqwest::Method::POST,
        &format!("contacts/{contact}/custom_fields/{FAVOURITE_ROAST}"),
        Some((
            "application/x-www-form-urlencoded",
            "value=Sumatra+%26+Java".to_owned(),
        )),
    )
    .await;
    assert_eq!(set.status, 200, "{}", set.text);
    let tag = raw(
        &sandbox,
        reqwest::Method::GET,
        "accounts/tags/name/Wholesale%20lead",
        None,
    )
    .await;
    assert_eq!(tag.json(), json!({"id": "346", "name": "Wholesale lead"}));
    let value = raw(
        &sandbox,
        reqwest::Method::GET,
        &format!("contacts/{contact}/custom_fields/{FAVOURITE_ROAST}"),
        None,
    )
    .await;
    assert_eq!(value.json()["value"], json!("Sumatra & Java"));

    // What is not a route, a route of another method, a body that does not fit.
    let unknown = raw(&sandbox, reqwest::Method::GET, "contacts/7/notes", None).await;
    assert_eq!(unknown.status, 404, "{}", unknown.text);
    assert_eq!(unknown.json()["error"]["code"], json!(404));
    let wrong_method = raw(&sandbox, reqwest::Method::PUT, "accounts/tags", None).await;
    assert_eq!(wrong_method.status, 405, "{}", wrong_method.text);
    let no_text = raw(
        &sandbox,
        reqwest::Method::POST,
        &format!("contacts/{contact}/send/text"),
        Some(("application/json", "{}".to_owned())),
    )
    .await;
    assert_eq!(no_text.status, 400, "{}", no_text.text);
    let not_an_object = raw(
        &sandbox,
        reqwest::Method::POST,
        "accounts/tags",
        Some(("application/json", "[\"VIP\"]".to_owned())),
    )
    .await;
    assert_eq!(not_an_object.status, 400, "{}", not_an_object.text);
    let missing = raw(&sandbox, reqwest::Method::GET, "contacts/4242", None).await;
    assert_eq!(missing.status, 404, "{}", missing.text);
    assert_eq!(
        missing.json(),
        json!({"error": {"code": 404, "message": "contact 4242 not found"}})
    );
}

#[tokio::test]
async fn played_errors_and_faults_reach_the_public_api_too() {
    let sandbox = sandbox().await;
    let once = sandbox
        .public_client_builder()
        .retry(chatrace::RetryPolicy::disabled())
        .timeout(CALL_TIMEOUT)
        .build()
        .expect("a client");
    assert!(sandbox.errors().for_operation("get_account", 429));
    let error = once.get_account().send().await.expect_err("played");
    assert_eq!(status_of(&error), Some(429));
    assert!(error.is_retryable(), "{error}");
    sandbox.errors().clear();
    // An error object with HTTP 200, the API's other form.
    sandbox.errors().for_operation("get_account", 1);
    let error = once.get_account().send().await.expect_err("played");
    assert_eq!(error.api_code().as_deref(), Some("1"), "{error}");
    assert_eq!(status_of(&error), Some(200));
    sandbox.errors().clear();
    once.get_account().send().await.expect("answers again");

    // Answered from its example instead of its handler: the Swagger page's model.
    assert!(sandbox.answer_from_example("get_account"));
    let example = once.get_account().send().await.expect("the example");
    assert_eq!(example.name.as_deref(), Some("string"));

    let api = public_client(&sandbox);

    sandbox.faults().fail_next(1, 503, None);
    let seen = sandbox.requests_seen();
    api.get_account().send().await.expect("a read is retried");
    assert_eq!(sandbox.requests_seen(), seen + 2);
}

/// The ids of the public API's own records are JSON numbers in the sandbox's answers, where
/// the Swagger page's models show numbers (`"id": 0`, `"assigned_admins": [0]`). The records
/// the mobile API shares (tags, custom fields, flows) keep the text the collection shows.
#[tokio::test]
async fn the_public_records_ids_are_numbers_as_in_the_swagger_models() {
    let sandbox = sandbox().await;
    let checks: [(&str, &str, &[&str]); 7] = [
        ("get_account", "accounts/me", &["/page_id"]),
        ("list_account_admins", "accounts/admins", &["/0/id"]),
        (
            "get_contact_record",
            "contacts/100000000001",
            &["/id", "/page_id"],
        ),
        (
            "list_pipeline_stages",
            "pipelines/71001/stages",
            &["/data/0/id"],
        ),
        (
            "get_opportunity",
            "pipelines/71001/opportunities/71101",
            &[
                "/id",
                "/contact_id",
                "/assigned_admins/0",
                "/created_by",
                "/stage/id",
            ],
        ),
        (
            "get_cart",
            "contacts/12345/cart",
            &["/page_id", "/user_id", "/line_items/0/id"],
        ),
        ("get_product", "products/3333", &["/id", "/category_id"]),
    ];
    for (name, path, pointers) in checks {
        let meta = chatrace::PUBLIC_OPERATIONS
            .iter()
            .find(|meta| meta.name == name)
            .expect("in the catalogue");
        let model: serde_json::Value =
            serde_json::from_str(meta.examples[0].response.expect("the Swagger page's model"))
                .expect("the model is JSON");
        let answer = raw(&sandbox, reqwest::Method::GET, path, None).await;
        assert_eq!(answer.status, 200, "{name}: {}", answer.text);
        let ours = answer.json();
        for pointer in pointers {
            assert!(
                model.pointer(pointer).is_some_and(|v| v.is_number()),
                "{name}{pointer}: the model has no number there"
            );
            let value = ours.pointer(pointer);
            assert!(
                value.is_some_and(|v| v.is_number()),
                "{name}{pointer}: {value:?} in {ours}"
            );
        }
    }
}
