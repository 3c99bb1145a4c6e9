//! The token never shows: not in Debug, not in errors (traces: `tests/traces.rs`).

use chatrace_runtime::{CallOptions, RetryPolicy};

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
