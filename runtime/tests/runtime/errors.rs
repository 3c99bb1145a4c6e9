//! Failed calls become errors that name the operation and the cause.

use std::time::Duration;

use chatrace_runtime::{ApiCode, CallOptions, Error, RetryPolicy, TimeoutLimit};

use crate::common::*;

fn once() -> CallOptions {
    CallOptions::new().with_retry(RetryPolicy::disabled())
}

#[tokio::test]
async fn an_error_envelope_is_an_api_error() {
    let server = Server::always(Reply::json(
        r#"{"status":"ERROR","code":"404","message":"order not found"}"#,
    ))
    .await;
    let error = handle(&server.url)
        .execute(FakeGet::new(9))
        .await
        .expect_err("an API error");
    match &error {
        Error::Api {
            operation,
            envelope,
        } => {
            assert_eq!(*operation, "fake_get");
            assert_eq!(envelope.status(), Some("ERROR"));
            assert_eq!(envelope.code(), Some(&ApiCode::Unknown("404".into())));
            assert_eq!(envelope.message(), Some("order not found"));
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "fake_get: API error 404: order not found"
    );
    assert!(!error.is_retryable() && !error.is_unauthorized());
    assert_eq!(server.count(), 1, "an API error is not retried");
}

#[tokio::test]
async fn an_html_502_is_an_http_error_naming_the_operation() {
    let server = Server::always(
        Reply::status(502, "<html><body><h1>502 Bad Gateway</h1></body></html>")
            .header("content-type", "text/html"),
    )
    .await;
    let error = handle(&server.url)
        .execute_with(FakeGet::new(1), &once())
        .await
        .expect_err("a 502");
    match &error {
        Error::Http {
            operation,
            status,
            snippet,
            ..
        } => {
            assert_eq!((*operation, *status), ("fake_get", 502));
            assert!(snippet.contains("502 Bad Gateway"), "{snippet}");
        }
        other => panic!("expected an HTTP error, got {other:?}"),
    }
    assert!(
        error.to_string().starts_with("fake_get: HTTP 502"),
        "{error}"
    );
    assert!(error.is_retryable());
}

#[tokio::test]
async fn garbage_with_200_is_a_decode_error_with_a_redacted_snippet() {
    let server = Server::always(Reply::json(format!("<?php fatal error near {TOKEN} ?>"))).await;
    let error = handle(&server.url)
        .execute(FakeGet::new(1))
        .await
        .expect_err("garbage");
    match &error {
        Error::Decode {
            operation,
            status,
            snippet,
            source,
            ..
        } => {
            assert_eq!((*operation, *status), ("fake_get", 200));
            assert_eq!(snippet, "<?php fatal error near *** ?>");
            assert!(source.message().contains("line 1"), "{source}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_no_token(&error);
}

#[tokio::test]
async fn data_of_the_wrong_shape_is_a_decode_error() {
    let server = Server::always(Reply::ok(r#"{"id":"not a number"}"#)).await;
    let error = handle(&server.url)
        .execute(FakeGet::new(1))
        .await
        .expect_err("bad data");
    assert!(
        matches!(error, Error::Decode { status: 200, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("not a number"), "{error}");
}

#[tokio::test]
async fn unauthorized_by_http_status_or_api_code() {
    let server = Server::script(vec![
        Reply::json(format!(
            r#"{{"status":"ERROR","code":401,"message":"invalid token {TOKEN}"}}"#
        )),
        Reply::status(401, "Unauthorized").header("content-type", "text/plain"),
        Reply::status(403, r#"{"status":"ERROR","message":"forbidden"}"#),
    ])
    .await;
    let handle = handle(&server.url);
    for _ in 0..3 {
        let error = handle.execute(FakeGet::new(1)).await.expect_err("refused");
        assert!(error.is_unauthorized(), "{error:?}");
        assert!(!error.is_retryable(), "{error:?}");
        assert_no_token(&error);
    }
    assert_eq!(server.count(), 3, "refusals are not retried");
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout() {
    let server = Server::always(Reply::ok(r#"{"id":1}"#).delayed(Duration::from_secs(3))).await;
    let handle = builder(&server.url)
        .timeout(Duration::from_millis(300))
        .build()
        .expect("valid");
    let error = handle
        .execute_with(FakeGet::new(1), &once())
        .await
        .expect_err("too slow");
    match error {
        Error::Timeout {
            operation,
            limit,
            after,
            attempts,
        } => {
            assert_eq!(operation, "fake_get");
            assert_eq!(limit, TimeoutLimit::Attempt);
            assert_eq!(after, Duration::from_millis(300));
            assert_eq!(attempts, 1);
        }
        other => panic!("expected a timeout, got {other:?}"),
    }

    // A per-call timeout overrides the client's.
    let patient = builder(&server.url).build().expect("valid");
    let options = once().with_timeout(Duration::from_millis(200));
    let error = patient
        .execute_with(FakeGet::new(1), &options)
        .await
        .expect_err("too slow");
    assert!(
        matches!(error, Error::Timeout { after, .. } if after == Duration::from_millis(200)),
        "{error:?}"
    );
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_refused_connection_is_a_retryable_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/api", listener.local_addr().expect("address"));
    drop(listener);
    let error = handle(&url)
        .execute(FakeGet::new(1))
        .await
        .expect_err("nobody listens");
    assert!(
        matches!(
            error,
            Error::Transport {
                operation: "fake_get",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_retryable(), "{error:?}");
    assert!(
        error.to_string().starts_with("fake_get: transport error"),
        "{error}"
    );
}

#[tokio::test]
async fn a_reset_connection_displays_its_cause_on_one_line() {
    // A server that accepts and closes at once, without answering.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            drop(socket);
        }
    });
    let error = handle(&url)
        .execute_with(FakeGet::new(1), &once())
        .await
        .expect_err("a transport error");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let shown = error.to_string();
    assert!(!shown.contains('\n'), "one line: {shown}");
    // The HTTP client's summary ends at the URL; what happened comes after it.
    let cause = shown
        .rsplit_once("/)")
        .map_or("", |(_, rest)| rest)
        .to_ascii_lowercase();
    assert!(
        cause.contains("reset") || cause.contains("closed"),
        "the cause is shown, not only the summary: {shown}"
    );
}

#[tokio::test]
async fn a_refused_connection_says_refused() {
    // A port nothing listens on: bound, then closed.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    let error = handle(&url)
        .execute_with(FakeGet::new(1), &once())
        .await
        .expect_err("a transport error");
    let shown = error.to_string();
    assert!(
        shown.to_ascii_lowercase().contains("refused"),
        "the cause is shown: {shown}"
    );
}

/// A server that accepts connections and never answers.
async fn silent_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    url
}

#[tokio::test]
async fn a_silent_server_fails_the_call_at_its_deadline_not_after_every_attempt() {
    // The attempt timeout alone would allow 3 x 400 ms; the deadline cuts the call at 600 ms.
    let url = silent_server().await;
    let handle = builder(&url)
        .timeout(Duration::from_millis(400))
        .deadline(Duration::from_millis(600))
        .retry(fast_retries())
        .build()
        .expect("valid");
    let started = std::time::Instant::now();
    let error = handle
        .execute(FakeGet::new(1))
        .await
        .expect_err("nobody answers");
    let elapsed = started.elapsed();
    match &error {
        Error::Timeout {
            limit,
            after,
            attempts,
            ..
        } => {
            assert_eq!(*limit, TimeoutLimit::Deadline);
            assert_eq!(*after, Duration::from_millis(600));
            assert_eq!(
                *attempts, 2,
                "the first attempt timed out, the second hit the deadline"
            );
        }
        other => panic!("expected the deadline, got {other:?}"),
    }
    assert!(
        elapsed < Duration::from_millis(1100),
        "the call ended at its deadline: {elapsed:?}"
    );
    assert_eq!(
        error.to_string(),
        "fake_get: the call's deadline of 600ms passed (2 attempts)"
    );
    assert!(!error.is_retryable(), "a passed deadline is not retried");
}

#[tokio::test]
async fn a_call_can_set_its_own_deadline() {
    let url = silent_server().await;
    let options = CallOptions::new().with_deadline(Duration::from_millis(150));
    let error = handle(&url)
        .execute_with(FakeGet::new(1), &options)
        .await
        .expect_err("nobody answers");
    assert!(
        matches!(error, Error::Timeout { limit: TimeoutLimit::Deadline, after, attempts: 1, .. } if after == Duration::from_millis(150)),
        "{error:?}"
    );
}

#[tokio::test]
async fn ok_with_code_99_is_an_error_and_a_retryable_code_is_retried() {
    let server = Server::script(vec![
        Reply::json(r#"{"status":"OK","code":99,"url":"https://app.example.com/update"}"#),
        Reply::json(r#"{"status":"ERROR","code":503}"#),
        Reply::ok(r#"{"id":3}"#),
    ])
    .await;
    let handle = handle(&server.url);
    let error = handle
        .execute(FakeGet::new(1))
        .await
        .expect_err("99 is not a success");
    assert_eq!(
        error.api().and_then(|e| e.url()),
        Some("https://app.example.com/update")
    );
    assert_eq!(server.count(), 1, "99 is not retried");
    let got = handle.execute(FakeGet::new(3)).await.expect("retried");
    assert_eq!(got.id, 3);
    assert_eq!(server.count(), 3, "503 was retried once");
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    // A date in the past: retry at once (a date ahead would slow the test).
    let server = Server::script(vec![
        Reply::status(503, "busy").header("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"),
        Reply::ok(r#"{"id":4}"#),
    ])
    .await;
    let got = handle(&server.url)
        .execute(FakeGet::new(4))
        .await
        .expect("retried");
    assert_eq!((got.id, server.count()), (4, 2));
}
