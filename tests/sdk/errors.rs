//! Errors carry what went wrong and where, and never the token.

use serde_json::{json, Value};
use std::time::Duration;

use crate::common::{client, Answer, Recorder, TOKEN};
use chatrace::types::OrderId;
use chatrace::{ApiCode, Error, MAX_DISPLAY_BYTES};

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
            envelope,
        } => {
            assert_eq!(*operation, "get_order");
            assert_eq!(envelope.code(), Some(&ApiCode::Unknown("404".into())));
            assert_eq!(envelope.message(), Some("order not found"));
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
    assert_eq!(error.api_code().as_deref(), Some("14"));
    assert_eq!(
        error.to_string(),
        "list_flows: API error 14: the bot must be connected to the admin before it can interact (the server sent no message)"
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

/// Every member an envelope can carry, each holding the token, one answer each; and all at once.
#[tokio::test]
async fn the_token_echoed_in_any_member_of_the_envelope_is_never_shown() {
    let echoes = [
        json!({"status": "ERROR", "code": TOKEN}),
        json!({"status": TOKEN, "code": 1}),
        json!({"status": "ERROR", "code": 1, "message": format!("bad {TOKEN}")}),
        json!({"status": "ERROR", "code": 98, "msg": TOKEN}),
        json!({"status": "ERROR", "code": 403, "subcode": TOKEN}),
        json!({"status": "OK", "code": 99, "url": format!("https://x/?t={TOKEN}"), "new_window": TOKEN}),
        json!({"status": "ERROR", "code": 1, "forced": TOKEN}),
        json!({"status": "ERROR", "code": 14, "data": {"ref": TOKEN, "channel": TOKEN, "text": TOKEN}}),
        json!({"status": "ERROR", "code": 1000, "data": {"name": [TOKEN]}}),
        json!({"status": "ERROR", "code": 1, "error": {"message": TOKEN}}),
        json!({"status": "ERROR", "code": 1, TOKEN: TOKEN, "token": "another secret"}),
    ];
    let everything = echoes.iter().fold(serde_json::Map::new(), |mut all, echo| {
        all.extend(echo.as_object().cloned().unwrap_or_default());
        all
    });
    let server = Recorder::start(Answer::json("{}")).await;
    for echo in echoes.iter().chain([&Value::Object(everything)]) {
        server.answer(Answer::json(echo.to_string()));
        let error = client(&server.url)
            .get_order(OrderId::new(9u64))
            .send()
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Api { .. }), "{echo}: {error:?}");
        assert_no_token(&error);
        let envelope = error.api().expect("an API error");
        let typed = format!(
            "{:?} {:?} {:?} {:?} {:?} {:?}",
            envelope.code(),
            envelope.message(),
            envelope.url(),
            envelope.data(),
            envelope.rest(),
            envelope.status()
        );
        assert!(!typed.contains(TOKEN), "{typed}");
        assert!(!typed.contains("another secret"), "{typed}");
        let body = error
            .body()
            .map(chatrace::ResponseBody::text)
            .unwrap_or_default();
        assert!(!body.contains(TOKEN) && body.contains("***"), "{body}");
    }
}

#[tokio::test]
async fn a_20_mb_value_that_does_not_fit_gives_an_error_line_under_1_kib() {
    let huge = "x".repeat(20 << 20);
    let body = format!(r#"{{"status":"OK","data":{{"id":1000000,"total":"{huge}"}}}}"#);
    let server = Recorder::start(Answer::json(body.clone())).await;
    let error = client(&server.url)
        .get_order(OrderId::new(1_000_000u64))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    let line = error.to_string();
    assert!(
        line.len() < 1024 && line.len() <= MAX_DISPLAY_BYTES,
        "{} bytes",
        line.len()
    );
    assert!(!line.contains('\n'));
    assert!(format!("{error:?}").len() < 4096, "Debug is bounded too");
    // The whole answer stays available to who asks.
    assert_eq!(
        error.body().map(chatrace::ResponseBody::len),
        Some(body.len())
    );
}

#[tokio::test]
async fn each_code_of_the_table_played_by_the_sandbox_is_typed_and_classified() {
    let sandbox = chatrace_sandbox::Sandbox::start().await.expect("sandbox");
    let client = sandbox
        .client_builder()
        .retry(chatrace::RetryPolicy::disabled())
        .build()
        .expect("client");
    for entry in chatrace::ERROR_CODES.iter() {
        sandbox.errors().for_operation("list_tags", entry.code);
        let error = client.list_tags().send().await.unwrap_err();
        let envelope = error.api().unwrap_or_else(|| panic!("{error:?}"));
        assert_eq!(envelope.code(), Some(&ApiCode::Known(entry)));
        let status = if entry.fails_when_ok { "OK" } else { "ERROR" };
        assert_eq!(envelope.status(), Some(status), "{}", entry.code);
        assert_eq!(
            error.is_unauthorized(),
            entry.unauthorized,
            "{}",
            entry.code
        );
        assert_eq!(error.is_retryable(), entry.retryable, "{}", entry.code);
        for field in entry.fields {
            assert!(
                envelope.field(field.path).is_some(),
                "{}: {}",
                entry.code,
                field.path
            );
        }
        let line = error.to_string();
        assert!(
            line.starts_with(&format!("list_tags: API error {}: ", entry.code)),
            "{line}"
        );
        assert!(line.len() < 1024 && !line.contains('\n'), "{line}");
    }
    // A switch on a session answers every call made with it, and leaves other sessions alone.
    sandbox.errors().clear();
    sandbox.errors().for_token(&sandbox.credentials().token, 99);
    let error = client.list_flows().send().await.unwrap_err();
    assert_eq!(error.api_code().as_deref(), Some("99"));
    assert!(error.api().and_then(|e| e.url()).is_some());
    sandbox.errors().clear();
    assert!(client.list_flows().send().await.is_ok());
}

/// The public API's error object, as public clients report it (HTTP 200 with `error`, or an
/// HTTP 4xx with it), with the API token echoed in every member: a typed `Error::Api` of the
/// REST form, one bounded line, the token never shown, and 401 unauthorized.
#[tokio::test]
async fn the_public_api_s_error_object_is_a_typed_error_without_the_token() {
    let server = Recorder::start(Answer::json("{}")).await;
    let api = chatrace::PublicClient::builder()
        .base_url(&server.url)
        .api_token(TOKEN)
        .retry(chatrace::RetryPolicy::disabled())
        .build()
        .expect("a public client");
    let body =
        json!({"error": {"code": 401, "message": format!("{TOKEN} is not valid"), "hint": TOKEN}});
    for status in [200, 401] {
        server.answer(Answer {
            status,
            ..Answer::json(body.to_string())
        });
        let error = api.get_account().send().await.unwrap_err();
        assert!(matches!(error, Error::Api { .. }), "{status}: {error:?}");
        assert_no_token(&error);
        let shown = error.to_string();
        assert!(
            !shown.contains('\n') && shown.len() <= MAX_DISPLAY_BYTES,
            "{shown}"
        );
        assert!(shown.contains("401"), "{shown}");
        let envelope = error.api().expect("an API error");
        assert_eq!(envelope.form(), chatrace::ErrorForm::Rest);
        assert_eq!(envelope.status_meant(), 401);
        assert!(error.is_unauthorized(), "{status}: {shown}");
    }
}

/// A public-API error object sent with HTTP 200 whose code is 429 is retried as an HTTP 429 is,
/// and one with a code that is no HTTP error status is not.
#[tokio::test]
async fn a_public_api_error_with_http_200_is_retried_by_its_code() {
    let server = Recorder::start(Answer::json(
        r#"{"error": {"code": 429, "message": "slow down"}}"#,
    ))
    .await;
    let api = chatrace::PublicClient::builder()
        .base_url(&server.url)
        .api_token(TOKEN)
        .retry(
            chatrace::RetryPolicy::default()
                .with_max_attempts(3)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(1)),
        )
        .build()
        .expect("a public client");
    let error = api.get_account().send().await.unwrap_err();
    assert!(error.is_retryable(), "{error}");
    assert_eq!(server.received().len(), 3, "three attempts");
    server.answer(Answer::json(
        r#"{"error": {"code": 7, "message": "bad field"}}"#,
    ));
    let error = api.get_account().send().await.unwrap_err();
    assert!(!error.is_retryable() && !error.is_unauthorized(), "{error}");
    assert_eq!(server.received().len(), 4, "one attempt more");
}
