//! The token never shows: not in Debug, not in errors, not in traces.

use std::io::Write;
use std::sync::{Arc, Mutex};

use chatrace_runtime::{CallOptions, ClientBuilder, Handle, RetryPolicy};

use crate::common::*;

#[test]
fn debug_of_handle_and_builder_redacts_the_token() {
    let builder = builder("http://127.0.0.1:9/api");
    let shown = format!("{builder:?}");
    assert!(!shown.contains(TOKEN) && shown.contains("***"), "{shown}");
    let handle = builder.build().expect("valid");
    let shown = format!(
        "{handle:?} {:?} {}",
        handle.token(),
        handle.token().map(|t| t.to_string()).unwrap_or_default()
    );
    assert!(!shown.contains(TOKEN) && shown.contains("***"), "{shown}");
    assert_eq!(
        handle.token().map(|t| t.expose().to_owned()).as_deref(),
        Some(TOKEN)
    );
}

#[tokio::test]
async fn errors_that_echo_the_token_do_not_show_it() {
    let echo = format!("token={TOKEN}");
    let server = Server::script(vec![
        Reply::json(format!(
            r#"{{"status":"ERROR","code":401,"message":"{echo}","msg":"x"}}"#
        )),
        Reply::status(500, format!("<pre>{echo}</pre>")),
        Reply::json(echo.clone()),
        Reply::ok(&format!(r#"{{"id":"{echo}"}}"#)),
    ])
    .await;
    let handle = handle(&server.url);
    let once = CallOptions::new().with_retry(RetryPolicy::disabled());
    for _ in 0..4 {
        let error = handle
            .execute_with(FakeGet::new(1), &once)
            .await
            .expect_err("fails");
        assert_no_token(&error);
        assert!(error.to_string().contains("***"), "{error}");
    }
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn traces_show_each_attempt_and_never_the_token() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = Server::script(vec![
        Reply::status(503, format!("busy {TOKEN}")),
        Reply::ok(&format!(
            r#"{{"id":1,"note":"{TOKEN}","token":"another-secret"}}"#
        )),
    ])
    .await;
    let handle: Handle = ClientBuilder::new()
        .base_url(&server.url)
        .token(TOKEN)
        .account_id(ACCOUNT)
        .retry(fast_retries())
        .build()
        .expect("valid");
    handle
        .execute(FakeGet::new(1))
        .await
        .expect("the retry succeeds");

    let logs =
        String::from_utf8_lossy(&capture.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned();
    assert!(logs.contains("chatrace.call"), "{logs}");
    assert!(logs.contains("operation=\"fake_get\""), "{logs}");
    assert!(
        logs.contains("attempt=1") && logs.contains("attempt=2"),
        "{logs}"
    );
    assert!(
        logs.contains("http.status=503") && logs.contains("http.status=200"),
        "{logs}"
    );
    assert!(logs.contains("retrying"), "{logs}");
    assert!(
        !logs.contains(TOKEN),
        "the token leaked into the traces: {logs}"
    );
    assert!(
        !logs.contains("another-secret"),
        "a token member leaked: {logs}"
    );
}
