//! The 8 documented operations: the request the SDK sends equals the docs' curl example (body
//! as a JSON value, and headers), and the docs' example response decodes.

mod common;

use chatrace::types::{OrderStatus, Platform};
use common::{client, Answer, Recorder, ACCOUNT_ID, TOKEN};
use serde_json::Value;

/// The documented operation's example from the catalogue (copied verbatim from the docs).
fn example(name: &str) -> chatrace_codegen::model::Example {
    let catalogue =
        chatrace_codegen::load_file(concat!(env!("CARGO_MANIFEST_DIR"), "/api-spec.yaml"))
            .expect("the catalogue is valid");
    let op = catalogue
        .operation_named(name)
        .unwrap_or_else(|| panic!("{name} is in the catalogue"));
    assert_eq!(
        op.provenance,
        chatrace_codegen::model::Provenance::Documented,
        "{name} is documented"
    );
    op.example
        .clone()
        .expect("documented operations carry their example")
}

/// Starts a server that answers the docs' example response of `name`.
async fn server_for(name: &str) -> (Recorder, chatrace_codegen::model::Example) {
    let example = example(name);
    let response = example.response.clone().expect("the docs give a response");
    (Recorder::start(Answer::json(response)).await, example)
}

/// Asserts that what the server received is the docs' example: body and headers.
fn assert_matches_docs(recorder: &Recorder, example: &chatrace_codegen::model::Example) {
    let received = recorder.last();
    let expected: Value = example
        .request_json(ACCOUNT_ID)
        .expect("the example parses");
    assert_eq!(received.json(), expected, "body differs from the docs");
    for (name, value) in &example.headers {
        let sent = received
            .header(name)
            .unwrap_or_else(|| panic!("header {name} was not sent"));
        if value.starts_with("{{") {
            assert_eq!(sent, TOKEN, "header {name} carries the session token");
        } else {
            assert_eq!(sent, value, "header {name}");
        }
    }
    if !example.headers.iter().any(|(k, _)| k == "X-ACCESS-TOKEN") {
        assert!(
            received.header("X-ACCESS-TOKEN").is_none(),
            "an operation without auth sends no token"
        );
    }
}

#[tokio::test]
async fn validate_email_otp_is_sent_as_documented() {
    let (server, example) = server_for("validate_email_otp").await;
    let client = client(&server.url);
    let token = client
        .validate_email_otp(
            "6ec08e8205fd05970f3923994d4759d2b6ca4d338258b6b5b5dd7a1f7ce86b1f",
            "456788",
        )
        .send()
        .await
        .expect("the docs' response decodes");
    assert_matches_docs(&server, &example);
    assert_eq!(token.token, "...");
    assert_eq!(
        client.token().map(|t| t.expose().to_string()).as_deref(),
        Some("..."),
        "session: start stores the new token"
    );
}

#[tokio::test]
async fn login_with_google_is_sent_as_documented() {
    let (server, example) = server_for("login_with_google").await;
    let client = client(&server.url);
    let token = client
        .login_with_google("...")
        .platform(Platform::Ios)
        .server_auth_code("")
        .send()
        .await
        .expect("the docs' response decodes");
    assert_matches_docs(&server, &example);
    // The docs' HEADERS section lists X-PLATFORM (ios|android); its curl example omits it.
    assert_eq!(server.last().header("X-PLATFORM"), Some("ios"));
    assert_eq!(token.token, ".....................");
}

#[tokio::test]
async fn login_with_apple_is_sent_as_documented() {
    let (server, example) = server_for("login_with_apple").await;
    let client = client(&server.url);
    let token = client
        .login_with_apple("...")
        .platform(Platform::Android)
        .authorization_code("")
        .send()
        .await
        .expect("the docs' response decodes");
    assert_matches_docs(&server, &example);
    assert_eq!(server.last().header("X-PLATFORM"), Some("android"));
    assert_eq!(token.token, ".....................");
}

#[tokio::test]
async fn delete_contact_is_sent_as_documented() {
    let (server, example) = server_for("delete_contact").await;
    client(&server.url)
        .delete_contact(12345)
        .send()
        .await
        .expect("the docs' response decodes");
    assert_matches_docs(&server, &example);
    assert_eq!(server.last().json()["contact_id"], Value::from("12345"));
}

#[tokio::test]
async fn list_orders_is_sent_as_documented() {
    let (server, example) = server_for("list_orders").await;
    let orders = client(&server.url)
        .list_orders()
        .send()
        .await
        .expect("the docs' response decodes");
    assert_matches_docs(&server, &example);
    assert_eq!(orders.len(), 1);
    let order = &orders[0];
    assert_eq!(order.id, 569_601, "an id sent as a string decodes");
    assert_eq!(order.contact_id, Some(833_274_349_439));
    assert_eq!(
        order.total,
        Some(1000.0),
        "a total sent as a string decodes"
    );
    assert_eq!(order.rating, Some(3));
    assert_eq!(
        order.status,
        Some(OrderStatus::Confirmed),
        "\"4\" is Confirmed"
    );
    assert_eq!(order.t_confirmed, Some(1_706_209_200));
    assert_eq!(order.dt_confirmed.as_deref(), Some("2024-01-25 19:00:00"));
}

#[tokio::test]
async fn get_order_is_sent_as_documented() {
    let (server, example) = server_for("get_order").await;
    let order = client(&server.url)
        .get_order(1_000_000)
        .send()
        .await
        .expect("the docs' response decodes");
    assert_matches_docs(&server, &example);
    assert_eq!(order.id, 1_000_000);
    assert_eq!(order.contact_id, Some(238_847_438_434));
    assert_eq!(order.total, Some(20000.0));
    assert_eq!(order.status, Some(OrderStatus::Confirmed));
    let products = order.products.expect("products");
    assert_eq!(products[0].name.as_deref(), Some("Test Product"));
    assert_eq!(products[0].quantity, Some(1));
    let contact = order.contact.expect("contact");
    assert_eq!(contact.id, 238_847_438_434);
    assert_eq!(contact.name.as_deref(), Some("Test User"));
}

#[tokio::test]
async fn update_order_is_sent_as_documented() {
    let (server, example) = server_for("update_order").await;
    client(&server.url)
        .update_order(1_000_000, OrderStatus::Delivered)
        .send()
        .await
        .expect("the docs' response decodes");
    assert_matches_docs(&server, &example);
}

#[tokio::test]
async fn list_gbm_locations_is_sent_as_documented() {
    let (server, example) = server_for("list_gbm_locations").await;
    let locations = client(&server.url)
        .list_gbm_locations()
        .send()
        .await
        .expect("the docs' response decodes");
    assert_matches_docs(&server, &example);
    assert_eq!(locations.len(), 1);
    assert_eq!(
        locations[0].place_id.as_deref(),
        Some("dksdskdsjdjddsjdsdkddsk")
    );
    assert!(locations[0].id.starts_with("brands/7c3dad98"));
}

#[tokio::test]
async fn a_per_call_account_overrides_the_default() {
    let (server, _) = server_for("list_orders").await;
    client(&server.url)
        .list_orders()
        .account_id(42)
        .send()
        .await
        .expect("decodes");
    assert_eq!(server.last().json()["account_id"], Value::from(42));
}

#[test]
fn every_documented_example_parses_back_into_its_operation() {
    // The docs' example bodies, read with the SDK's own request parser, land on the
    // operation that documents them, with the params the catalogue declares.
    let catalogue =
        chatrace_codegen::load_file(concat!(env!("CARGO_MANIFEST_DIR"), "/api-spec.yaml"))
            .expect("valid");
    let mut documented = 0;
    for op in catalogue.operations.iter().filter(|o| o.example.is_some()) {
        let example = op.example.as_ref().unwrap();
        let body = example.request_json(ACCOUNT_ID).expect("parses");
        let platform = op.param("X-PLATFORM").map(|_| "ios".to_string());
        let request = chatrace::AnyRequest::from_json(body.clone(), |_| platform.clone())
            .unwrap_or_else(|e| panic!("{}: {e}", op.name));
        assert_eq!(request.meta().name, op.name);
        for (key, value) in &op.discriminators {
            assert_eq!(body[key], Value::from(value.as_str()), "{} {key}", op.name);
        }
        for param in op.params.iter().filter(|p| p.required) {
            let present = match param.location {
                chatrace_codegen::model::Location::Top => body.get(&param.wire).is_some(),
                chatrace_codegen::model::Location::Data => body["data"].get(&param.wire).is_some(),
                chatrace_codegen::model::Location::Header => true,
            };
            assert!(
                present,
                "{}: required {} in the example",
                op.name, param.wire
            );
        }
        documented += 1;
    }
    assert_eq!(documented, 8);
}
