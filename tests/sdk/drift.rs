//! Answers that drift from the catalogue still decode, and lose nothing: numbers as strings,
//! ids as numbers or text, unknown fields and enum values, placeholders where times should be.

use crate::common::{client, Answer, Recorder};
use chatrace::types::{
    Channel, Conversation, Message, MessagePart, Order, OrderId, OrderStatus, OrderSummary,
};
use serde_json::{json, Value};

#[test]
fn numbers_sent_as_strings_decode() {
    let order: Order = serde_json::from_value(json!({
        "id": "1000000", "total": "12.50", "rating": "5", "number_items": 3, "status": "7"
    }))
    .expect("decodes");
    assert_eq!(order.id, OrderId::new(1_000_000u64));
    assert_eq!(order.total, Some(12.5));
    assert_eq!(order.rating, Some(5));
    assert_eq!(order.item_count, Some(3));
    assert_eq!(order.status, Some(OrderStatus::Delivered));
}

#[test]
fn ids_are_the_same_whether_sent_as_numbers_or_text() {
    let as_number: Order = serde_json::from_value(json!({"id": 1000000})).unwrap();
    let as_text: Order = serde_json::from_value(json!({"id": "1000000"})).unwrap();
    assert_eq!(as_number.id, as_text.id);
    assert_eq!(as_number.id.as_u64(), Some(1_000_000));
}

#[test]
fn flags_and_times_arrive_as_strings() {
    let conversation: Conversation = serde_json::from_value(json!({
        "ms_id": "2850008055041461", "channel": "10", "live_chat": "1", "archived": "0",
        "timestamp": "1688201188610", "last_active": "1688459542"
    }))
    .expect("decodes");
    assert_eq!(conversation.channel, Some(Channel::Instagram));
    assert_eq!(conversation.live_chat, Some(true));
    assert_eq!(conversation.archived, Some(false));
    let sent = conversation
        .last_message_at
        .as_ref()
        .and_then(|t| t.as_i64());
    assert_eq!(sent, Some(1_688_201_188_610));
    let active = conversation
        .last_active_at
        .as_ref()
        .and_then(|t| t.to_system_time());
    let seconds = active.map(|t| t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs());
    assert_eq!(seconds, Some(1_688_459_542));
}

#[test]
fn unknown_fields_are_kept_and_written_back() {
    let sent = json!({"id": 7, "coupon": {"code": "SPRING", "percent": 10}, "gift": true});
    let order: Order = serde_json::from_value(sent.clone()).expect("decodes");
    assert_eq!(order.extra["coupon"]["code"], "SPRING");
    assert_eq!(order.extra["gift"], true);
    let again = serde_json::to_value(&order).expect("serializes");
    assert_eq!(again["coupon"], sent["coupon"]);
    assert_eq!(again["gift"], true);
    assert_eq!(again["id"], "7");
}

#[test]
fn unknown_enum_values_are_kept() {
    let order: OrderSummary = serde_json::from_value(json!({"id": 1, "status": 99})).unwrap();
    assert_eq!(order.status, Some(OrderStatus::Unknown(99)));
    let again = serde_json::to_value(&order).unwrap();
    assert_eq!(again["status"], 99, "written back unchanged");
    let order: OrderSummary = serde_json::from_value(json!({"id": 1, "status": "13"})).unwrap();
    assert_eq!(order.status, Some(OrderStatus::Refunded));
}

#[test]
fn message_parts_decode_from_the_string_and_keep_unknown_parts() {
    let message: Message = serde_json::from_value(json!({
        "id": "m_PGup8V",
        "dir": "1",
        "message": "[{\"text\":\"Hello\",\"dir\":1,\"channel\":0},{\"type\":\"typing\",\"delay\":2},{\"type\":\"carousel\",\"cards\":[1,2]}]"
    }))
    .expect("decodes");
    let parts = message.parts.as_ref().expect("parts");
    assert_eq!(parts.len(), 3);
    match &parts[0] {
        MessagePart::Text(text) => assert_eq!(text.text.as_deref(), Some("Hello")),
        other => panic!("a text part, got {other:?}"),
    }
    assert!(matches!(&parts[1], MessagePart::Typing(t) if t.delay == Some(2)));
    match &parts[2] {
        MessagePart::Unknown(part) => assert_eq!(part["cards"], json!([1, 2])),
        other => panic!("an unknown part, kept whole, got {other:?}"),
    }
    // Written back as the string the server sent, with every part.
    let again = serde_json::to_value(&message).unwrap();
    let text = again["message"]
        .as_str()
        .expect("the parts are a string again");
    let reparsed: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(reparsed[2], json!({"type": "carousel", "cards": [1, 2]}));
    assert_eq!(reparsed[1]["type"], "typing");
    assert!(
        reparsed[0].get("type").is_none(),
        "the text part had no tag"
    );
}

/// A WhatsApp contact's parts come in WhatsApp's own form, as the vendor's web inbox reads them
/// (`chatarea.php`: `m2.wa == 1`, `m2.type == 'text'`, `m2.text.body`): a `text` part whose text
/// is an object. It does not fit `TextPart`; it is kept whole, and the page it came in decodes.
#[test]
fn a_part_that_does_not_fit_its_variant_is_kept_whole() {
    let whatsapp = json!({"wa": 1, "type": "text", "text": {"body": "hola"}, "dir": 1});
    let message: Message = serde_json::from_value(json!({
        "id": "m_wa1",
        "dir": "1",
        "message": serde_json::to_string(&json!([whatsapp, {"text": "Hello"}])).unwrap()
    }))
    .expect("the message decodes");
    let parts = message.parts.as_ref().expect("parts");
    match &parts[0] {
        MessagePart::Unknown(part) => assert_eq!(Value::Object(part.clone()), whatsapp),
        other => panic!("kept whole, got {other:?}"),
    }
    assert!(matches!(&parts[1], MessagePart::Text(t) if t.text.as_deref() == Some("Hello")));
    let again = serde_json::to_value(&message).unwrap();
    let reparsed: Value = serde_json::from_str(again["message"].as_str().unwrap()).unwrap();
    assert_eq!(reparsed[0], whatsapp, "written back unchanged");
}

/// The bot's flows store parts in Messenger's form, without `type`; the vendor's web inbox shows
/// one with `attachment` as a file (`chatarea.php`: `v-else-if="m2.attachment"`, its
/// `attachment.payload.url`). It decodes as a file part, not an empty text part.
#[test]
fn an_untagged_part_with_an_attachment_is_a_file() {
    let image =
        json!({"attachment": {"type": "image", "payload": {"url": "https://cdn/x.jpg"}}, "dir": 0});
    let message: Message = serde_json::from_value(json!({
        "id": "m_1",
        "message": serde_json::to_string(&json!([image, {"text": "Hi"}])).unwrap()
    }))
    .expect("decodes");
    let parts = message.parts.as_ref().expect("parts");
    match &parts[0] {
        MessagePart::File(file) => {
            let attachment = file.attachment.as_ref().expect("the attachment");
            assert_eq!(
                attachment.payload.as_ref().and_then(|p| p.url.as_deref()),
                Some("https://cdn/x.jpg")
            );
        }
        other => panic!("a file part, got {other:?}"),
    }
    assert!(matches!(&parts[1], MessagePart::Text(_)));
}

/// A stored part names the message it answers in `toMsg`, which the vendor's web inbox reads
/// from the messages it lists (`original /inbox.js`); the app sends `replyingTo`.
#[test]
fn a_stored_reply_names_the_message_it_answers() {
    let message: Message = serde_json::from_value(json!({
        "id": "m_2",
        "message": "[{\"text\":\"Yes\",\"toMsg\":\"m_1\"}]"
    }))
    .expect("decodes");
    match &message.parts.as_deref().expect("parts")[0] {
        MessagePart::Text(text) => {
            assert_eq!(text.replies_to.as_ref().map(|id| id.as_str()), Some("m_1"));
        }
        other => panic!("a text part, got {other:?}"),
    }
}

#[test]
fn placeholders_where_times_and_ids_should_be_are_kept() {
    let order: Order = serde_json::from_value(json!({"id": 1, "date_confirmed": "..."})).unwrap();
    let confirmed = order.confirmed_at.as_ref().expect("kept");
    assert_eq!((confirmed.as_str(), confirmed.parts()), ("...", None));
}

#[test]
fn absent_fields_are_none_and_not_written() {
    let order: Order = serde_json::from_value(json!({"id": 5})).unwrap();
    assert_eq!(order.total, None);
    assert_eq!(order.products, None);
    assert_eq!(serde_json::to_value(&order).unwrap(), json!({"id": "5"}));
}

#[test]
fn a_missing_required_field_is_an_error() {
    let error = serde_json::from_value::<Order>(json!({"total": 5})).unwrap_err();
    assert!(error.to_string().contains("id"), "{error}");
}

#[tokio::test]
async fn drift_survives_the_whole_call() {
    let server = Recorder::start(Answer::json(
        r#"{"status":"OK","data":{"id":"1000000","total":"20000","status":42,"loyalty_points":"12","products":[{"id":"4939343","price":"20000","color":"red"}]},"request_id":"abc"}"#,
    ))
    .await;
    let order = client(&server.url)
        .get_order(OrderId::new(1_000_000u64))
        .send()
        .await
        .expect("decodes");
    assert_eq!(order.id.as_u64(), Some(1_000_000));
    assert_eq!(order.total, Some(20000.0));
    assert_eq!(order.status, Some(OrderStatus::Unknown(42)));
    assert_eq!(order.extra["loyalty_points"], "12");
    let product = &order.products.as_ref().unwrap()[0];
    assert_eq!(product.product_id.as_str(), "4939343");
    assert_eq!(product.extra["color"], "red");
}
