//! Responses that drift from the catalogue still decode, and lose nothing.

mod common;

use chatrace::types::{Order, OrderStatus, OrderSummary};
use common::{client, Answer, Recorder};
use serde_json::json;

#[test]
fn numbers_sent_as_strings_decode() {
    let order: Order = serde_json::from_value(json!({
        "id": "1000000", "total": "12.50", "rating": "5", "number_items": 3, "status": "7"
    }))
    .expect("decodes");
    assert_eq!(order.id, 1_000_000);
    assert_eq!(order.total, Some(12.5));
    assert_eq!(order.rating, Some(5));
    assert_eq!(order.number_items, Some(3));
    assert_eq!(order.status, Some(OrderStatus::Delivered));
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
    assert_eq!(again["id"], 7);
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
fn absent_fields_are_none_and_not_written() {
    let order: Order = serde_json::from_value(json!({"id": 5})).unwrap();
    assert_eq!(order.total, None);
    assert_eq!(order.products, None);
    assert_eq!(serde_json::to_value(&order).unwrap(), json!({"id": 5}));
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
        .get_order(1_000_000)
        .send()
        .await
        .expect("decodes");
    assert_eq!(order.id, 1_000_000);
    assert_eq!(order.total, Some(20000.0));
    assert_eq!(order.status, Some(OrderStatus::Unknown(42)));
    assert_eq!(order.extra["loyalty_points"], "12");
    let product = &order.products.as_ref().unwrap()[0];
    assert_eq!(product.id, 4_939_343);
    assert_eq!(product.extra["color"], "red");
}
