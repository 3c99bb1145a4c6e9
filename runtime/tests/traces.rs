//! The traces of a call show each attempt and never the token.
//!
//! In a test binary of its own: tracing caches, for the whole process, whether a callsite is
//! enabled, so tests running at the same time on threads without this test's subscriber could
//! switch the SDK's events off for it.

#[path = "runtime/common.rs"]
mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use chatrace_runtime::{ClientBuilder, Handle};

use common::*;

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
