//! Errors carry what went wrong and where, and never the token.

mod common;

use chatrace::types::OrderId;
use chatrace::Error;
use common::{client, Answer, Recorder, TOKEN};

fn assert_no_token(error: &Error) {
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(TOKEN), "the token leaked: {shown}");
}

#[tokio::test]
async fn an_error_envelope_is_an_api_error_with_code_and_message() {
    let server = Recorder::start(Answer::json(
        r#"{"status":"ERROR","code":404,"message":"order not found"}"#,
    ))
    .await;
    let error = client(&server.url)
        .get_order(OrderId::new(9u64))
        .send()
        .await
        .unwrap_err();
    match &error {
        Error::Api {
            operation,
            code,
            message,
            ..
        } => {
            assert_eq!(*operation, "get_order");
            assert_eq!(code.as_deref(), Some("404"));
            assert_eq!(message, "order not found");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    let shown = error.to_string();
    assert!(
        shown.contains("get_order") && shown.contains("order not found"),
        "{shown}"
    );
    assert!(!error.is_unauthorized());
    assert_no_token(&error);
}

#[tokio::test]
async fn the_real_servers_error_without_a_message_says_operation_and_code() {
    // What the real server answers: HTTP 200 and a code, no message.
    let server = Recorder::start(Answer::json(r#"{"status":"ERROR","code":14}"#)).await;
    let error = client(&server.url).list_flows().send().await.unwrap_err();
    assert_eq!(error.api_code(), Some("14"));
    assert_eq!(
        error.to_string(),
        "list_flows: API error 14: the bot is not connected to its channel (the server sent no message)"
    );
    assert!(!error.is_unauthorized() && !error.is_retryable());
}

#[tokio::test]
async fn code_1_is_an_invalid_session() {
    let server = Recorder::start(Answer::json(r#"{"status":"ERROR","code":1}"#)).await;
    let error = client(&server.url)
        .list_conversations()
        .send()
        .await
        .unwrap_err();
    assert!(error.is_unauthorized(), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("list_conversations: API error 1: the session is not valid"),
        "{error}"
    );
    // The same for an answer read beside `status` (the logged user's).
    let error = client(&server.url)
        .get_current_user()
        .send()
        .await
        .unwrap_err();
    assert!(error.is_unauthorized(), "{error:?}");
    assert_no_token(&error);
}

#[tokio::test]
async fn a_null_body_is_a_typed_error_naming_the_operation() {
    // Seen in answer to a login call.
    let server = Recorder::start(Answer::json("null")).await;
    let error = client(&server.url)
        .login_with_google("id-token")
        .send()
        .await
        .unwrap_err();
    match &error {
        Error::Decode { operation, .. } => assert_eq!(*operation, "login_with_google"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(error.to_string().contains("found null"), "{error}");
}

#[tokio::test]
async fn an_html_502_names_the_operation() {
    let server = Recorder::start(Answer {
        status: 502,
        content_type: "text/html",
        body: "<html><body><h1>502 Bad Gateway</h1></body></html>".into(),
    })
    .await;
    let error = client(&server.url).list_orders().send().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Http { status: 502, .. } | Error::Decode { status: 502, .. }
        ),
        "{error:?}"
    );
    let shown = error.to_string();
    assert!(shown.contains("list_orders"), "{shown}");
    assert!(shown.contains("502"), "{shown}");
    assert!(error.is_retryable(), "a 502 may be retried");
    assert_no_token(&error);
}

#[tokio::test]
async fn garbage_with_200_is_a_decode_error_with_a_snippet() {
    let server = Recorder::start(Answer::json(format!("not json at all, echoing {TOKEN}"))).await;
    let error = client(&server.url).list_orders().send().await.unwrap_err();
    match &error {
        Error::Decode {
            operation,
            status,
            snippet,
            ..
        } => {
            assert_eq!(*operation, "list_orders");
            assert_eq!(*status, 200);
            assert!(snippet.starts_with("not json at all"), "{snippet}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_no_token(&error);
}

#[tokio::test]
async fn unauthorized_errors_are_recognised() {
    let server = Recorder::start(Answer::json(
        r#"{"status":"ERROR","code":401,"message":"invalid token"}"#,
    ))
    .await;
    let error = client(&server.url)
        .get_current_user()
        .send()
        .await
        .unwrap_err();
    assert!(error.is_unauthorized(), "{error:?}");
    assert_no_token(&error);

    server.answer(Answer {
        status: 401,
        content_type: "text/plain",
        body: "Unauthorized".into(),
    });
    let error = client(&server.url)
        .get_current_user()
        .send()
        .await
        .unwrap_err();
    assert!(error.is_unauthorized(), "{error:?}");
    assert_no_token(&error);
}

#[tokio::test]
async fn a_scoped_call_without_an_account_is_a_config_error_before_sending() {
    let server = Recorder::start(Answer::json(r#"{"status":"OK","data":[]}"#)).await;
    let client = chatrace::Client::builder()
        .base_url(&server.url)
        .token(TOKEN)
        .build()
        .unwrap();
    let error = client.list_orders().send().await.unwrap_err();
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
    assert!(error.to_string().contains("list_orders"), "{error}");
    assert!(server.received().is_empty(), "nothing was sent");
}

#[test]
fn debug_of_client_and_builders_redacts_the_token() {
    let client = client("http://127.0.0.1:9/");
    let shown = format!("{client:?} {:?}", client.get_order(OrderId::new(1u64)));
    assert!(!shown.contains(TOKEN), "{shown}");
}
