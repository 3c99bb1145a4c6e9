//! The HTTP side: one handler for `POST /` that reads the body (JSON or multipart, within a
//! size limit), reads it as the SDK's own `AnyRequest`, checks the session and the account,
//! runs the operation on the state and writes the envelope. The fault layer sits in front.

use std::collections::BTreeMap;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};

use axum::extract::connect_info::Connected;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use chatrace::{AnyRequest, Auth, Scope};
use serde_json::{Map, Value};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use crate::checksum::Fnv1a;
use crate::faults::{Fault, Faults};
use crate::handlers::{dispatch, ApiError, Call, ReceivedFile, Reply};
use crate::state::State as Data;

/// The largest JSON body accepted (2 MiB).
pub const JSON_BODY_LIMIT: usize = 2 * 1024 * 1024;
/// The largest multipart body accepted (64 MiB).
pub const MULTIPART_BODY_LIMIT: usize = 64 * 1024 * 1024;

/// What the handler shares with the [`crate::Sandbox`] handle.
pub(crate) struct Shared {
    state: Mutex<Data>,
    pub faults: Faults,
    requests: AtomicU64,
    per_operation: Mutex<BTreeMap<&'static str, u64>>,
    pub base_url: String,
}

impl Shared {
    pub fn new(state: Data, base_url: String) -> Self {
        Shared {
            state: Mutex::new(state),
            faults: Faults::default(),
            requests: AtomicU64::new(0),
            per_operation: Mutex::new(BTreeMap::new()),
            base_url,
        }
    }

    /// The state, even after a panic elsewhere (the state stays consistent: handlers check
    /// before they write).
    pub fn state(&self) -> MutexGuard<'_, Data> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn requests_seen(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }

    pub fn operation_counts(&self) -> BTreeMap<&'static str, u64> {
        self.per_operation
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn count(&self, operation: &'static str) {
        *self
            .per_operation
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(operation)
            .or_default() += 1;
    }
}

/// Serves until `stop` fires (or its sender is dropped).
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>, stop: oneshot::Receiver<()>) {
    let app = Router::new()
        .route("/", post(handle))
        .fallback(not_the_api)
        .layer(DefaultBodyLimit::max(MULTIPART_BODY_LIMIT))
        .with_state(shared);
    let served = axum::serve(
        ResettableListener { inner: listener },
        app.into_make_service_with_connect_info::<ConnHandle>(),
    )
    .with_graceful_shutdown(async {
        let _ = stop.await;
    })
    .await;
    if let Err(e) = served {
        tracing::warn!(error = %e, "the sandbox server stopped");
    }
}

// ---------------------------------------------------------------------------------------------
// Connections that a fault can reset

/// A TCP listener whose connections can be reset from the handler.
struct ResettableListener {
    inner: TcpListener,
}

/// An accepted connection and its reset switch.
struct Conn {
    stream: TcpStream,
    reset: Arc<AtomicBool>,
}

/// The handler's side of a connection: flips its reset switch.
#[derive(Clone)]
struct ConnHandle {
    reset: Arc<AtomicBool>,
}

impl ConnHandle {
    fn reset(&self) {
        self.reset.store(true, Ordering::SeqCst);
    }
}

impl axum::serve::Listener for ResettableListener {
    type Io = Conn;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Conn, SocketAddr) {
        loop {
            match self.inner.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    let conn = Conn {
                        stream,
                        reset: Arc::new(AtomicBool::new(false)),
                    };
                    return (conn, addr);
                }
                Err(e) => {
                    // Too many open files and the like: wait, then accept again.
                    tracing::debug!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

impl Connected<axum::serve::IncomingStream<'_, ResettableListener>> for ConnHandle {
    fn connect_info(stream: axum::serve::IncomingStream<'_, ResettableListener>) -> Self {
        ConnHandle {
            reset: stream.io().reset.clone(),
        }
    }
}

impl Conn {
    /// After a reset was asked for: the socket closes with RST, and every I/O fails.
    fn check(&self) -> io::Result<()> {
        if self.reset.load(Ordering::SeqCst) {
            let _ = self.stream.set_zero_linger();
            return Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "reset by the fault layer",
            ));
        }
        Ok(())
    }
}

impl AsyncRead for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.check()?;
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

// ---------------------------------------------------------------------------------------------
// Envelopes

/// A JSON object with its keys in the given order (`status` first, as the docs show it).
fn ordered_object(entries: &[(&str, &Value)]) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&Value::from(*key).to_string());
        out.push(':');
        out.push_str(&value.to_string());
    }
    out.push('}');
    out
}

/// `{"status":"ERROR","code":...,"message":...}`.
fn error_envelope(code: u16, message: &str) -> String {
    ordered_object(&[
        ("status", &Value::from("ERROR")),
        ("code", &Value::from(code)),
        ("message", &Value::from(message)),
    ])
}

/// `{"status":"OK"}`, with `data` when there is.
fn ok_envelope(reply: &Reply) -> String {
    let ok = Value::from("OK");
    match reply {
        Reply::Done => ordered_object(&[("status", &ok)]),
        Reply::Data(data) => ordered_object(&[("status", &ok), ("data", data)]),
    }
}

/// A JSON answer.
fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// An answer the handler could not get to an operation: an HTTP error with an envelope.
struct Refusal {
    status: StatusCode,
    code: u16,
    message: String,
}

impl Refusal {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Refusal {
            status,
            code: status.as_u16(),
            message: message.into(),
        }
    }

    /// An envelope error answered with HTTP 200, as the real API does.
    fn api(error: ApiError) -> Self {
        Refusal {
            status: StatusCode::OK,
            code: error.code,
            message: error.message,
        }
    }

    fn too_large(limit: usize) -> Self {
        Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is larger than the limit of {} bytes", limit),
        )
    }
}

// ---------------------------------------------------------------------------------------------
// The handler

async fn not_the_api() -> Response {
    let body = error_envelope(404, "the API has one URL: send a POST to `/`");
    json_response(StatusCode::NOT_FOUND, body.into_bytes())
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    request: Request,
) -> Response {
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let (delay, fault) = shared.faults.take();
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    match fault {
        Some(Fault::Fail {
            status,
            retry_after,
        }) => return failure(status, retry_after),
        Some(Fault::Reset) => {
            conn.reset();
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        Some(Fault::Html) => return html_page(),
        Some(Fault::Truncate) | None => {}
    }
    let (status, envelope) = match answer(&shared, request).await {
        Ok(envelope) => (StatusCode::OK, envelope),
        Err(refusal) => (
            refusal.status,
            error_envelope(refusal.code, &refusal.message),
        ),
    };
    let mut body = envelope.into_bytes();
    if fault == Some(Fault::Truncate) {
        body.truncate(body.len() / 2);
    }
    json_response(status, body)
}

fn failure(status: u16, retry_after: Option<u64>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let text = format!(
        "{} {} (injected by the sandbox's fault layer)",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    let mut response = (status, text).into_response();
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

fn html_page() -> Response {
    let page = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\
                <body><h1>Bad Gateway</h1><p>The upstream server sent an invalid response \
                (injected by the sandbox's fault layer).</p></body></html>\n";
    let mut response = (StatusCode::OK, page).into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// Reads, authenticates and runs one request.
async fn answer(shared: &Shared, request: Request) -> Result<String, Refusal> {
    let headers = request.headers().clone();
    let multipart = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/")
        });
    let (body, files) = if multipart {
        read_multipart(request).await?
    } else {
        (read_json(request).await?, Vec::new())
    };
    let account_id = body.get("account_id").and_then(id_of);
    let token = headers
        .get("x-access-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .filter(|t| !t.is_empty());
    let request = AnyRequest::from_json(body, |name| header_text(&headers, name))
        .map_err(|e| Refusal::api(ApiError::bad_request(e.to_string())))?;
    let meta = request.meta();
    shared.count(meta.name);

    let mut state = shared.state();
    let user_id = match meta.auth {
        Auth::None => None,
        Auth::Token => {
            let Some(token) = token.as_deref() else {
                return Err(Refusal::api(ApiError::unauthorized(
                    "the X-ACCESS-TOKEN header is missing: log in first",
                )));
            };
            match state.sessions.get(token) {
                Some(session) => Some(session.user_id),
                None => {
                    return Err(Refusal::api(ApiError::unauthorized(
                        "the session token is invalid or has expired: log in again",
                    )))
                }
            }
        }
    };
    if meta.scope == Scope::Account {
        let Some(account) = account_id else {
            return Err(Refusal::api(ApiError::bad_request(format!(
                "`account_id` is required: {} is account-scoped",
                meta.name
            ))));
        };
        let member = user_id
            .and_then(|id| state.users.get(&id))
            .is_some_and(|user| user.belongs_to(account));
        if !member {
            return Err(Refusal::api(ApiError::forbidden(format!(
                "the user does not belong to account {account}"
            ))));
        }
    }
    let mut call = Call {
        state: &mut state,
        user_id,
        account_id,
        token,
        files,
        base_url: shared.base_url.clone(),
    };
    let outcome = dispatch(&mut call, request);
    drop(state);
    match outcome {
        Ok(reply) => {
            tracing::debug!(operation = meta.name, "sandbox answered OK");
            Ok(ok_envelope(&reply))
        }
        Err(error) => {
            tracing::debug!(
                operation = meta.name,
                code = error.code,
                "sandbox answered an error"
            );
            Err(Refusal::api(error))
        }
    }
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// An id sent as a JSON number or as a string holding one.
fn id_of(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The body as JSON.
async fn read_json(request: Request) -> Result<Value, Refusal> {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > JSON_BODY_LIMIT as u64) {
        return Err(Refusal::too_large(JSON_BODY_LIMIT));
    }
    let bytes = axum::body::to_bytes(request.into_body(), JSON_BODY_LIMIT)
        .await
        .map_err(|e| {
            if is_length_limit(&e) {
                Refusal::too_large(JSON_BODY_LIMIT)
            } else {
                Refusal::new(
                    StatusCode::BAD_REQUEST,
                    format!("cannot read the body: {e}"),
                )
            }
        })?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            "the body is empty: send a JSON object with `op` and the operation's params",
        ));
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            format!("the body is not valid JSON: {e}"),
        )
    })
}

/// Whether reading a body failed on its length limit.
fn is_length_limit(error: &axum::Error) -> bool {
    let mut cause: Option<&dyn std::error::Error> = Some(error);
    while let Some(e) = cause {
        if e.to_string().contains("length limit exceeded") {
            return true;
        }
        cause = e.source();
    }
    false
}

/// A multipart body: text fields as a JSON object (`data` and `param` parsed as JSON), file
/// parts measured as they stream by (never held whole).
async fn read_multipart(request: Request) -> Result<(Value, Vec<ReceivedFile>), Refusal> {
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|rejection| Refusal::new(rejection.status(), rejection.body_text()))?;
    let mut fields = Map::new();
    let mut files = Vec::new();
    let mut text_bytes = 0usize;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(multipart_error(&e)),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(str::to_owned);
        if file_name.is_some() || name == "file" {
            let mut checksum = Fnv1a::new();
            let mut length = 0u64;
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) => {
                        checksum.update(&chunk);
                        length += chunk.len() as u64;
                    }
                    Ok(None) => break,
                    Err(e) => return Err(multipart_error(&e)),
                }
            }
            files.push(ReceivedFile {
                field: name,
                file_name,
                content_type,
                length,
                checksum: checksum.finish(),
            });
            continue;
        }
        let text = field.text().await.map_err(|e| multipart_error(&e))?;
        text_bytes += text.len();
        if text_bytes > JSON_BODY_LIMIT {
            return Err(Refusal::too_large(JSON_BODY_LIMIT));
        }
        match name.as_str() {
            "data" => {
                let data = serde_json::from_str(&text).map_err(|e| {
                    Refusal::api(ApiError::bad_request(format!(
                        "the `data` field is not JSON: {e}"
                    )))
                })?;
                fields.insert(name, data);
            }
            // The docs' upload sends every field as JSON in one `param` field.
            "param" => match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(params)) => fields.extend(params),
                _ => {
                    return Err(Refusal::api(ApiError::bad_request(
                        "the `param` field must hold a JSON object",
                    )))
                }
            },
            _ => {
                fields.insert(name, Value::String(text));
            }
        }
    }
    Ok((Value::Object(fields), files))
}

fn multipart_error(e: &axum::extract::multipart::MultipartError) -> Refusal {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        Refusal::too_large(MULTIPART_BODY_LIMIT)
    } else {
        Refusal::new(e.status(), format!("bad multipart body: {}", e.body_text()))
    }
}
