//! Shared helpers of the sandbox tests: a sandbox per test, clients, ids, raw HTTP, error
//! checks.

#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use chatrace::types::{Channel, ContactId, Conversation, Message};
pub use chatrace_sandbox::Sandbox;
use futures::TryStreamExt;
use serde_json::Value;

/// Every test is bounded: a call that hangs fails the test instead.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// A fresh sandbox on 127.0.0.1.
pub async fn sandbox() -> Sandbox {
    Sandbox::start().await.expect("the sandbox binds 127.0.0.1")
}

/// The newest message of a conversation, as the inbox lists it.
pub async fn newest_message(client: &chatrace::Client, contact: &ContactId) -> Message {
    client
        .list_messages(contact.clone())
        .limit(1)
        .send()
        .await
        .expect("list_messages")
        .messages
        .unwrap_or_default()
        .into_iter()
        .next()
        .expect("a message")
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

/// A public API client of the sandbox with the demo account's API token, and a bounded
/// timeout.
pub fn public_client(sandbox: &Sandbox) -> chatrace::PublicClient {
    sandbox
        .public_client_builder()
        .timeout(CALL_TIMEOUT)
        .build()
        .expect("a valid public client")
}

/// A call whose typed answer is given back as JSON.
pub type JsonCall<'a> = Pin<Box<dyn Future<Output = Result<Value, chatrace::Error>> + 'a>>;

/// The call `sent` (a builder's `send()`), its typed answer as JSON.
pub fn json_of<'a, T: serde::Serialize>(
    sent: impl Future<Output = Result<T, chatrace::Error>> + 'a,
) -> JsonCall<'a> {
    Box::pin(async move {
        let output = sent.await?;
        Ok(serde_json::to_value(&output).expect("an answer serializes"))
    })
}

/// A contact id.
pub fn contact(id: u64) -> ContactId {
    ContactId::new(id)
}

/// The demo contact with the long conversation.
pub fn long_conversation(sandbox: &Sandbox) -> ContactId {
    ContactId::new(sandbox.credentials().contact_id)
}

/// The API error code of an error (`"4"`), or a panic naming what the error was instead.
pub fn api_code(error: &chatrace::Error) -> String {
    match error.api_code() {
        Some(code) => code.into_owned(),
        None => panic!("expected an API error, got {error:?}"),
    }
}

/// Asserts that `result` is an API error with `code`.
#[track_caller]
pub fn expect_code<T: std::fmt::Debug>(result: Result<T, chatrace::Error>, code: &str) {
    match result {
        Ok(value) => panic!("expected API error {code}, got Ok({value:?})"),
        Err(error) => assert_eq!(api_code(&error), code, "{error}"),
    }
}

/// Every conversation of the client's account, page after page.
pub async fn all_conversations(client: &chatrace::Client) -> Vec<Conversation> {
    client
        .list_conversations()
        .items()
        .try_collect()
        .await
        .expect("the conversations list")
}

/// A contact of the client's account who talks on WhatsApp and is not blocked.
pub async fn whatsapp_contact(client: &chatrace::Client) -> ContactId {
    all_conversations(client)
        .await
        .into_iter()
        .find(|c| c.channel == Some(Channel::Whatsapp) && c.blocked != Some(true))
        .map(|c| c.contact_id)
        .expect("the seed has a WhatsApp contact")
}

/// The conversation of `contact` as the inbox lists it.
pub async fn conversation(client: &chatrace::Client, contact: &ContactId) -> Conversation {
    all_conversations(client)
        .await
        .into_iter()
        .find(|c| c.contact_id == *contact)
        .unwrap_or_else(|| panic!("no conversation of {contact}"))
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

    /// Asserts the answer is the real server's error: HTTP `http`, exactly
    /// `{"status":"ERROR","code":code}` (no message).
    #[track_caller]
    pub fn assert_error(&self, http: u16, code: u64) {
        assert_eq!(self.status, http, "{}", self.text);
        assert_eq!(
            self.json(),
            serde_json::json!({"status": "ERROR", "code": code}),
            "{}",
            self.text
        );
    }
}

/// A plain HTTP client with the tests' timeout.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(CALL_TIMEOUT)
        .build()
        .expect("a reqwest client")
}

/// POSTs `body` verbatim to the sandbox with `headers`, without the SDK.
pub async fn post_raw(
    sandbox: &Sandbox,
    headers: &[(&str, &str)],
    body: impl Into<reqwest::Body>,
) -> RawAnswer {
    let mut request = http().post(sandbox.base_url()).body(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    read(request.send().await.expect("the sandbox answers")).await
}

/// The status and text of a response.
pub async fn read(response: reqwest::Response) -> RawAnswer {
    let status = response.status().as_u16();
    let text = response.text().await.expect("a readable body");
    RawAnswer { status, text }
}

/// The headers the collection's examples send, with the demo token.
pub fn json_headers(token: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("Content-Type", "application/json"),
        ("User-Agent", "mobile-app"),
        ("X-ACCESS-TOKEN", token),
    ]
}
