//! What a call sends and how answers decode.

use chatrace_runtime::{CallOptions, Error, Handle};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn writes_the_body_and_headers_and_decodes_data() {
    let server = Server::always(Reply::ok(r#"{"id":"1000000","total":"20000","extra":1}"#)).await;
    let mut op = FakeGet::new(1_000_000);
    op.platform = Some("ios".into());
    let order = handle(&server.url)
        .execute(op)
        .await
        .expect("the call succeeds");
    assert_eq!(
        order,
        FakeOrder {
            id: 1_000_000,
            total: Some(20_000)
        }
    );

    let got = server.last();
    assert_eq!(
        got.json(),
        json!({"op":"ecommerce","op1":"orders","op2":"get","account_id":ACCOUNT,"id":1_000_000})
    );
    assert_eq!(got.header("content-type"), Some("application/json"));
    assert_eq!(got.header("user-agent"), Some("mobile-app"));
    assert_eq!(got.header("x-access-token"), Some(TOKEN));
    assert_eq!(got.header("x-platform"), Some("ios"));
}

#[tokio::test]
async fn the_account_is_the_requests_then_the_calls_then_the_clients() {
    let server = Server::always(Reply::ok(r#"{"id":1}"#)).await;
    let handle = handle(&server.url);
    let account = |server: &Server| server.last().json()["account_id"].clone();

    handle.execute(FakeGet::new(1)).await.expect("default");
    assert_eq!(account(&server), json!(ACCOUNT));

    let options = CallOptions::new().with_account_id(42);
    handle
        .execute_with(FakeGet::new(1), &options)
        .await
        .expect("options");
    assert_eq!(account(&server), json!(42));

    let mut own = FakeGet::new(1);
    own.account_id = Some(7);
    handle.execute_with(own, &options).await.expect("own");
    assert_eq!(account(&server), json!(7));
}

#[tokio::test]
async fn no_account_is_a_config_error_before_sending() {
    let server = Server::always(Reply::ok(r#"{"id":1}"#)).await;
    let handle: Handle = chatrace_runtime::ClientBuilder::new()
        .base_url(&server.url)
        .token(TOKEN)
        .build()
        .expect("a valid handle");
    let error = handle
        .execute(FakeGet::new(1))
        .await
        .expect_err("no account");
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
    assert!(error.to_string().contains("fake_get"), "{error}");
    assert!(error.to_string().contains("account"), "{error}");
    assert_eq!(server.count(), 0, "nothing was sent");
}

#[tokio::test]
async fn unscoped_unauthenticated_operations_send_neither_account_nor_token() {
    let server = Server::always(Reply::ok(r#"{"name":"Brand"}"#)).await;
    let data = handle(&server.url)
        .execute(FakePublic::new())
        .await
        .expect("ok");
    assert_eq!(data, json!({"name": "Brand"}));
    let got = server.last();
    assert_eq!(got.json(), json!({"op": "whitelabel"}));
    assert_eq!(got.header("x-access-token"), None);
}

#[tokio::test]
async fn unit_outputs_accept_absent_null_or_any_data() {
    let server = Server::script(vec![
        Reply::json(r#"{"status":"OK"}"#),
        Reply::json(r#"{"status":"OK","data":null}"#),
        Reply::ok(r#"{"updated":[1,2,{"deep":true}]}"#),
    ])
    .await;
    let handle = handle(&server.url);
    for _ in 0..3 {
        handle
            .execute(FakeWrite::new(5, 7))
            .await
            .expect("a write answers OK");
    }
    assert_eq!(
        server.last().json(),
        json!({"op":"ecommerce","op1":"orders","op2":"update","account_id":ACCOUNT,"id":5,"data":{"status":7}})
    );
}

#[tokio::test]
async fn user_agent_is_configurable() {
    let server = Server::always(Reply::ok(r#"{"id":1}"#)).await;
    let handle = builder(&server.url)
        .user_agent("my-app/1.0")
        .build()
        .expect("valid");
    handle.execute(FakeGet::new(1)).await.expect("ok");
    assert_eq!(server.last().header("user-agent"), Some("my-app/1.0"));
}
