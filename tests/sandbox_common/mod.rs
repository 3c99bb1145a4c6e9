//! Shared helpers of the sandbox tests: a sandbox per test, clients, raw HTTP, error checks.

#![allow(dead_code)]

use std::time::Duration;

pub use chatrace_sandbox::Sandbox;
use serde_json::Value;

/// Every test is bounded: a call that hangs fails the test instead.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// A fresh sandbox on 127.0.0.1.
pub async fn sandbox() -> Sandbox {
    Sandbox::start().await.expect("the sandbox binds 127.0.0.1")
}

/// A client of the sandbox logged in as the demo user, with a bounded timeout.
pub fn client(sandbox: &Sandbox) -> chatrace::Client {
    sandbox
        .client_builder()
        .timeout(CALL_TIMEOUT)
        .build()
        .expect("a valid client")
}

/// A client of the sandbox with the demo account but no session token.
pub fn anonymous_client(sandbox: &Sandbox) -> chatrace::Client {
    chatrace::Client::builder()
        .base_url(sandbox.base_url())
        .account_id(sandbox.credentials().account_id)
        .timeout(CALL_TIMEOUT)
        .build()
        .expect("a valid client")
}

/// The API error code of an error (`"401"`), or a panic naming what the error was instead.
pub fn api_code(error: &chatrace::Error) -> String {
    match error.api_code() {
        Some(code) => code.to_owned(),
        None => panic!("expected an API error, got {error:?}"),
    }
}

/// Asserts that `result` is an API error with `code`, and returns its message.
#[track_caller]
pub fn expect_api_error<T: std::fmt::Debug>(
    result: Result<T, chatrace::Error>,
    code: &str,
) -> String {
    match result {
        Ok(value) => panic!("expected API error {code}, got Ok({value:?})"),
        Err(error) => {
            assert_eq!(api_code(&error), code, "{error}");
            error.to_string()
        }
    }
}

/// An answer to a raw request.
#[derive(Debug)]
pub struct RawAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The body as text.
    pub text: String,
}

impl RawAnswer {
    /// The body as JSON (a panic with the text when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("the answer is not JSON ({e}): {}", self.text))
    }
}

/// POSTs `body` verbatim to the sandbox with `headers`, without the SDK.
pub async fn post_raw(
    sandbox: &Sandbox,
    headers: &[(&str, &str)],
    body: impl Into<reqwest::Body>,
) -> RawAnswer {
    let http = reqwest::Client::builder()
        .timeout(CALL_TIMEOUT)
        .build()
        .expect("a reqwest client");
    let mut request = http.post(sandbox.base_url()).body(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("the sandbox answers");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a readable body");
    RawAnswer { status, text }
}

/// The headers of the docs' curl examples, with the demo token where they hold `{{token}}`.
pub fn docs_headers(token: &str) -> Vec<(&'static str, String)> {
    vec![
        ("Content-Type", "application/json".to_owned()),
        ("X-ACCESS-TOKEN", token.to_owned()),
        ("User-Agent", "mobile-app".to_owned()),
    ]
}
