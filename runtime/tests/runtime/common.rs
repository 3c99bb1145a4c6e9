//! A recording, scripted server and fake operations shaped like the generated ones.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use chatrace_runtime::meta::*;
use chatrace_runtime::{ClientBuilder, FileUpload, Handle, Operation, Paged, RetryPolicy};
use serde::{Deserialize, Serialize};

/// The token the tests' handles use; no output may contain it.
pub const TOKEN: &str = "tok-9c1f2e77ab30";
/// The default account of the tests' handles.
pub const ACCOUNT: u64 = 1_234_567;

// ---------------------------------------------------------------------------------------------
// The server

/// One request the server received.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: Bytes,
    pub at: Instant,
}

impl Received {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A scripted answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    /// A 200 JSON answer with this body.
    pub fn json(body: impl Into<String>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("content-type", "application/json; charset=utf-8".into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    /// `{"status":"OK","data":<data>}`.
    pub fn ok(data: &str) -> Reply {
        Reply::json(format!(r#"{{"status":"OK","data":{data}}}"#))
    }

    /// An answer with another HTTP status.
    pub fn status(status: u16, body: impl Into<String>) -> Reply {
        Reply {
            status,
            ..Reply::json(body)
        }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

type Responder = dyn Fn(&Received, usize) -> Reply + Send + Sync;

/// A server on 127.0.0.1 that records requests and answers what its responder says.
pub struct Server {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Server {
    /// Answers `responder(request, index of the request)`.
    pub async fn start(
        responder: impl Fn(&Received, usize) -> Reply + Send + Sync + 'static,
    ) -> Server {
        let received = Arc::new(Mutex::new(Vec::new()));
        let responder: Arc<Responder> = Arc::new(responder);
        let log = received.clone();
        let app = Router::new().fallback(move |headers: HeaderMap, body: Bytes| {
            let (log, responder) = (log.clone(), responder.clone());
            async move {
                let request = Received {
                    headers,
                    body,
                    at: Instant::now(),
                };
                let reply = {
                    let mut log = log.lock().unwrap_or_else(|e| e.into_inner());
                    let reply = responder(&request, log.len());
                    log.push(request);
                    reply
                };
                tokio::time::sleep(reply.delay).await;
                let mut response: Response = (
                    StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK),
                    reply.body,
                )
                    .into_response();
                for (name, value) in reply.headers {
                    if let Ok(value) = value.parse() {
                        response.headers_mut().insert(name, value);
                    }
                }
                response
            }
        });
        Server::serve(app, received).await
    }

    /// Answers the replies in order, the last one again once they run out.
    pub async fn script(replies: Vec<Reply>) -> Server {
        Server::start(move |_, i| replies[i.min(replies.len() - 1)].clone()).await
    }

    /// Answers `reply` to every request.
    pub async fn always(reply: Reply) -> Server {
        Server::script(vec![reply]).await
    }

    /// Serves `app` on a fresh loopback port.
    pub async fn serve(app: Router, received: Arc<Mutex<Vec<Received>>>) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let url = format!(
            "http://{}/api",
            listener.local_addr().expect("local address")
        );
        tokio::spawn(async move { axum::serve(listener, app).await });
        Server { url, received }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn count(&self) -> usize {
        self.received
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }

    pub fn last(&self) -> Received {
        self.received()
            .pop()
            .expect("the server received a request")
    }
}

/// A handle on `url` with [`TOKEN`] and [`ACCOUNT`], and fast retries without jitter.
pub fn handle(url: &str) -> Handle {
    builder(url).build().expect("a valid handle")
}

/// A table of error codes like the catalogue's (the generated crate hands the real one over).
pub static ERROR_CODES: [ErrorCodeMeta; 4] = [
    code(1, "invalid_session", true, false, false),
    code(99, "redirect", false, false, true),
    code(401, "login_refused", true, false, false),
    code(503, "unavailable", false, true, false),
];

const fn code(
    code: i64,
    name: &'static str,
    unauthorized: bool,
    retryable: bool,
    fails_when_ok: bool,
) -> ErrorCodeMeta {
    ErrorCodeMeta {
        code,
        name,
        meaning: name,
        fields: &[],
        unauthorized,
        retryable,
        fails_when_ok,
        source: ErrorSource::Inferred,
    }
}

pub fn builder(url: &str) -> ClientBuilder<Handle> {
    ClientBuilder::new()
        .error_codes(&ERROR_CODES)
        .base_url(url)
        .token(TOKEN)
        .account_id(ACCOUNT)
        .retry(fast_retries())
}

pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_backoff(Duration::from_millis(5), Duration::from_millis(20))
        .with_jitter(false)
}

/// Asserts that neither the Display nor the Debug of `value` shows the token.
pub fn assert_no_token(value: &(impl std::fmt::Display + std::fmt::Debug)) {
    let shown = format!("{value} {value:?}");
    assert!(!shown.contains(TOKEN), "the token leaked: {shown}");
}

// ---------------------------------------------------------------------------------------------
// Fake operations

const fn meta(
    name: &'static str,
    kind: OperationKind,
    retry_safe: bool,
    auth: Auth,
    scope: Scope,
) -> OperationMeta {
    OperationMeta {
        name,
        title: name,
        summary: "A fake operation of the runtime's tests.",
        api: chatrace_runtime::Api::Mobile,
        http: None,
        provenance: Provenance::Inferred,
        inferred: &[],
        kind,
        discriminators: &[("op", "ecommerce"), ("op1", "orders"), ("op2", "get")],
        auth,
        scope,
        account_as: WireAs::Number,
        session: None,
        body: BodyEncoding::Json,
        retry_safe,
        constants: &[],
        params: &[],
        paging: None,
        response: None,
        response_in: ResponseIn::Data,
        examples: &[],
    }
}

/// An order, decoded leniently.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FakeOrder {
    #[serde(deserialize_with = "chatrace_runtime::lenient::deserialize")]
    pub id: u64,
    #[serde(default, deserialize_with = "chatrace_runtime::lenient::deserialize")]
    pub total: Option<i64>,
}

/// A read: `ecommerce/orders/get` with an `id`, an optional `X-PLATFORM` header.
#[derive(Debug, Clone, Serialize)]
pub struct FakeGet {
    op: &'static str,
    op1: &'static str,
    op2: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<u64>,
    pub id: u64,
    #[serde(skip)]
    pub platform: Option<String>,
}

pub static GET_META: OperationMeta = meta(
    "fake_get",
    OperationKind::Read,
    true,
    Auth::Token,
    Scope::Account,
);

impl FakeGet {
    pub fn new(id: u64) -> Self {
        FakeGet {
            op: "ecommerce",
            op1: "orders",
            op2: "get",
            account_id: None,
            id,
            platform: None,
        }
    }
}

impl Operation for FakeGet {
    type Output = FakeOrder;
    const META: &'static OperationMeta = &GET_META;
    fn account_id(&self) -> Option<u64> {
        self.account_id
    }
    fn set_account_id(&mut self, id: u64) {
        self.account_id = Some(id);
    }
    fn headers(&self) -> Vec<(&'static str, String)> {
        self.platform
            .iter()
            .map(|p| ("X-PLATFORM", p.clone()))
            .collect()
    }
}

/// A write answering no data: `ecommerce/orders/update`.
#[derive(Debug, Clone, Serialize)]
pub struct FakeWrite {
    op: &'static str,
    op1: &'static str,
    op2: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_id: Option<u64>,
    id: u64,
    data: FakeWriteData,
}

#[derive(Debug, Clone, Serialize)]
struct FakeWriteData {
    status: i64,
}

pub static WRITE_META: OperationMeta = meta(
    "fake_write",
    OperationKind::Write,
    false,
    Auth::Token,
    Scope::Account,
);

impl FakeWrite {
    pub fn new(id: u64, status: i64) -> Self {
        FakeWrite {
            op: "ecommerce",
            op1: "orders",
            op2: "update",
            account_id: None,
            id,
            data: FakeWriteData { status },
        }
    }
}

impl Operation for FakeWrite {
    type Output = ();
    const META: &'static OperationMeta = &WRITE_META;
    fn account_id(&self) -> Option<u64> {
        self.account_id
    }
    fn set_account_id(&mut self, id: u64) {
        self.account_id = Some(id);
    }
}

/// An unscoped read without auth: `whitelabel/get`.
#[derive(Debug, Clone, Serialize)]
pub struct FakePublic {
    op: &'static str,
}

pub static PUBLIC_META: OperationMeta = meta(
    "fake_public",
    OperationKind::Read,
    true,
    Auth::None,
    Scope::None,
);

impl FakePublic {
    pub fn new() -> Self {
        FakePublic { op: "whitelabel" }
    }
}

impl Operation for FakePublic {
    type Output = serde_json::Value;
    const META: &'static OperationMeta = &PUBLIC_META;
    fn account_id(&self) -> Option<u64> {
        None
    }
    fn set_account_id(&mut self, _id: u64) {}
}

/// A login (`session: start`).
#[derive(Debug, Clone, Serialize)]
pub struct FakeLogin {
    op: &'static str,
    code: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LoginData {
    pub token: String,
}

pub static LOGIN_META: OperationMeta = OperationMeta {
    session: Some(SessionEffect::Start),
    ..meta(
        "fake_login",
        OperationKind::Write,
        false,
        Auth::None,
        Scope::None,
    )
};

impl FakeLogin {
    pub fn new(code: &str) -> Self {
        FakeLogin {
            op: "login",
            code: code.into(),
        }
    }
}

impl Operation for FakeLogin {
    type Output = LoginData;
    const META: &'static OperationMeta = &LOGIN_META;
    fn account_id(&self) -> Option<u64> {
        None
    }
    fn set_account_id(&mut self, _id: u64) {}
    fn session_token(output: &LoginData) -> Option<&str> {
        Some(&output.token)
    }
}

/// A logout (`session: end`).
#[derive(Debug, Clone, Serialize)]
pub struct FakeLogout {
    op: &'static str,
}

pub static LOGOUT_META: OperationMeta = OperationMeta {
    session: Some(SessionEffect::End),
    ..meta(
        "fake_logout",
        OperationKind::Write,
        false,
        Auth::Token,
        Scope::None,
    )
};

impl FakeLogout {
    pub fn new() -> Self {
        FakeLogout { op: "logout" }
    }
}

impl Operation for FakeLogout {
    type Output = ();
    const META: &'static OperationMeta = &LOGOUT_META;
    fn account_id(&self) -> Option<u64> {
        None
    }
    fn set_account_id(&mut self, _id: u64) {}
}

/// A paged list with top-level `offset` and `limit`.
#[derive(Debug, Clone, Serialize)]
pub struct FakeList {
    op: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<i64>,
}

pub static LIST_META: OperationMeta = OperationMeta {
    paging: Some(PagingMeta {
        offset: "offset",
        limit: "limit",
        items: None,
        default_limit: 20,
        max_limit: 100,
        first_page_only: &[],
    }),
    ..meta(
        "fake_list",
        OperationKind::Read,
        true,
        Auth::Token,
        Scope::Account,
    )
};

impl FakeList {
    pub fn new() -> Self {
        FakeList {
            op: "tags",
            account_id: None,
            offset: None,
            limit: None,
        }
    }

    /// The list from `offset` on, as a caller's `.offset(..)` sets it.
    pub fn from_offset(offset: i64) -> Self {
        FakeList {
            offset: Some(offset),
            ..FakeList::new()
        }
    }
}

impl Operation for FakeList {
    type Output = Vec<u64>;
    const META: &'static OperationMeta = &LIST_META;
    fn account_id(&self) -> Option<u64> {
        self.account_id
    }
    fn set_account_id(&mut self, id: u64) {
        self.account_id = Some(id);
    }
}

impl Paged for FakeList {
    type Item = u64;
    fn set_page(&mut self, offset: u64, limit: u64) {
        self.offset = Some(offset as i64);
        self.limit = Some(limit as i64);
    }
    fn into_items(output: Vec<u64>) -> Vec<u64> {
        output
    }
    fn start_offset(&self) -> Option<u64> {
        self.offset.and_then(|o| u64::try_from(o).ok())
    }
}

/// A multipart upload: a file param and a `data` param.
#[derive(Debug, Clone, Serialize)]
pub struct FakeUpload {
    op: &'static str,
    op1: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_id: Option<u64>,
    /// Serialized too (as its name): the runtime must not send it as a text field.
    file: FileUpload,
    data: FakeUploadData,
}

#[derive(Debug, Clone, Serialize)]
struct FakeUploadData {
    caption: String,
}

pub static UPLOAD_META: OperationMeta = OperationMeta {
    body: BodyEncoding::Multipart,
    ..meta(
        "fake_upload",
        OperationKind::Write,
        false,
        Auth::Token,
        Scope::Account,
    )
};

impl FakeUpload {
    pub fn new(file: FileUpload, caption: &str) -> Self {
        FakeUpload {
            op: "upload",
            op1: "file",
            account_id: None,
            file,
            data: FakeUploadData {
                caption: caption.into(),
            },
        }
    }
}

impl Operation for FakeUpload {
    type Output = serde_json::Value;
    const META: &'static OperationMeta = &UPLOAD_META;
    fn account_id(&self) -> Option<u64> {
        self.account_id
    }
    fn set_account_id(&mut self, id: u64) {
        self.account_id = Some(id);
    }
    fn take_files(&mut self) -> Vec<(&'static str, FileUpload)> {
        vec![("file", std::mem::take(&mut self.file))]
    }
}
