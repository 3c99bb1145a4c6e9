//! The HTTP side of the mobile API: one handler for `POST /` that reads the body, reads it as
//! the SDK's own `AnyRequest`, checks the session and the account, runs the operation on the
//! state and writes the envelope. The fault layer sits in front of it and of the public API's
//! handler (`rest`); the router sends each API its requests.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use chatrace::{AnyRequest, Auth, OperationMeta, Scope};
use serde_json::{Map, Value};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::body::{is_multipart, read_json, read_multipart, BadBody, MULTIPART_BODY_LIMIT};
use crate::call::{ApiError, Call, Reply};
use crate::connection::{ConnHandle, ResettableListener};
use crate::faults::{Fault, Faults};
use crate::handlers::dispatch::{dispatch, example_answer, open_before_login};
use crate::paths;
use crate::played::{self, PlayedErrors};
use crate::rest;
use crate::socket::{self, Hub};
use crate::state::State as Data;

/// The most characters of a reason a trace shows.
const TRACE_CHARS: usize = 300;

/// What the handler shares with the [`crate::Sandbox`] handle.
pub(crate) struct Shared {
    state: Mutex<Data>,
    pub faults: Faults,
    /// The errors a test switched on, per operation or per token.
    pub played: PlayedErrors,
    requests: AtomicU64,
    per_operation: Mutex<BTreeMap<&'static str, u64>>,
    /// Operations answered from their documented example instead of their handler.
    from_examples: Mutex<BTreeSet<&'static str>>,
    pub base_url: String,
    /// The realtime sockets: who is subscribed to what, and what to push to them.
    pub hub: Hub,
}

impl Shared {
    pub fn new(state: Data, base_url: String, hub: Hub) -> Self {
        Shared {
            state: Mutex::new(state),
            faults: Faults::default(),
            played: PlayedErrors::default(),
            requests: AtomicU64::new(0),
            per_operation: Mutex::new(BTreeMap::new()),
            from_examples: Mutex::new(BTreeSet::new()),
            base_url,
            hub,
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

    pub(crate) fn count(&self, operation: &'static str) {
        *self
            .per_operation
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(operation)
            .or_default() += 1;
    }

    /// Answers `operation` from its documented example from now on.
    pub fn answer_from_example(&self, operation: &'static str) {
        self.from_examples
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(operation);
    }

    /// `reason` as a trace shows it: on one line of at most 300 characters, with `token` and
    /// every live session token masked, and every `"…token"` JSON member (what the SDK does to
    /// what it logs): a reason may quote what a request sent.
    pub fn masked(&self, reason: &str, token: Option<&str>) -> String {
        let state = self.state();
        let secrets: Vec<&str> = token
            .into_iter()
            .chain(state.sessions.keys().map(String::as_str))
            .collect();
        chatrace::masked_line(reason, &secrets, TRACE_CHARS)
    }

    /// Runs a call of the operation `name` on the locked state: `run`, or `example` when the
    /// sandbox answers the operation from its example. What a successful call sent is told to
    /// its account's sockets while the state is still locked, so that events go out in the
    /// order of the writes.
    pub(crate) fn run_call<T, E>(
        &self,
        mut call: Call<'_>,
        name: &str,
        example: impl FnOnce() -> Result<T, E>,
        run: impl FnOnce(&mut Call<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let outcome = if self.answers_from_example(name) {
            example()
        } else {
            run(&mut call)
        };
        let pushes = std::mem::take(&mut call.pushes);
        if let (true, Some(account)) = (outcome.is_ok(), call.account_id) {
            socket::publish(&self.hub, call.state, account, pushes);
        }
        outcome
    }

    pub(crate) fn answers_from_example(&self, operation: &str) -> bool {
        self.from_examples
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(operation)
    }
}

/// Serves until `stop` fires (or its sender is dropped).
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>, stop: oneshot::Receiver<()>) {
    let app = Router::new()
        .route(paths::MOBILE, post(handle).fallback(not_a_post))
        .route(
            paths::SOCKET,
            get(socket::upgrade).fallback(socket::not_a_get),
        )
        .route(paths::PUBLIC_ROUTE, any(rest::handle))
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
// Envelopes

/// A JSON object with `status` first, then `rest` (the keys of an answer beside `status`).
fn envelope_text(status: &Value, rest: &Map<String, Value>) -> String {
    let mut out = format!("{{\"status\":{status}");
    for (key, value) in rest.iter().filter(|(key, _)| *key != "status") {
        out.push(',');
        out.push_str(&Value::from(key.as_str()).to_string());
        out.push(':');
        out.push_str(&value.to_string());
    }
    out.push('}');
    out
}

/// `{"status":"ERROR","code":N}`: the real server's error, without a message.
fn error_envelope(code: u16) -> String {
    let mut rest = Map::new();
    rest.insert("code".to_owned(), Value::from(code));
    envelope_text(&Value::from("ERROR"), &rest)
}

/// The envelope of a successful answer.
fn ok_envelope(reply: &Reply) -> String {
    match reply {
        Reply::Ok(rest) => envelope_text(&Value::from("OK"), rest),
        Reply::Example(whole) => {
            let status = whole.get("status").cloned().unwrap_or(Value::from("OK"));
            envelope_text(&status, whole)
        }
    }
}

/// A JSON answer.
pub(crate) fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

// ---------------------------------------------------------------------------------------------
// The handler

/// Anything but `POST /`: the API has one URL and takes POSTs only.
async fn not_the_api() -> Response {
    let body = error_envelope(crate::codes::REFUSED);
    json_response(StatusCode::NOT_FOUND, body.into_bytes())
}

async fn not_a_post() -> Response {
    let body = error_envelope(crate::codes::REFUSED);
    json_response(StatusCode::METHOD_NOT_ALLOWED, body.into_bytes())
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    request: Request,
) -> Response {
    let truncate = match before_request(&shared, &conn).await {
        Ok(truncate) => truncate,
        Err(injected) => return injected,
    };
    let (status, envelope) = match answer(&shared, request).await {
        Ok(reply) => (StatusCode::OK, ok_envelope(&reply)),
        Err(Refusal {
            status,
            error: ApiError {
                played: Some(code), ..
            },
        }) => (status, played::envelope(code, &shared.base_url)),
        Err(refusal) => (refusal.status, error_envelope(refusal.error.code)),
    };
    let mut body = envelope.into_bytes();
    if truncate {
        body.truncate(body.len() / 2);
    }
    json_response(status, body)
}

/// The fault layer, in front of every request of both APIs: counts the request, waits the
/// injected delay, and answers the injected failure in its place (`Err`); else whether to cut
/// the answer in half.
pub(crate) async fn before_request(shared: &Shared, conn: &ConnHandle) -> Result<bool, Response> {
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let (delay, fault) = shared.faults.take();
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    match fault {
        Some(Fault::Fail {
            status,
            retry_after,
        }) => Err(failure(status, retry_after)),
        Some(Fault::Reset) => {
            conn.reset();
            Err(StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
        Some(Fault::Html) => Err(html_page()),
        Some(Fault::Truncate) => Ok(true),
        Some(Fault::Pass) | None => Ok(false),
    }
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

/// An error answer: the API error, and the HTTP status it goes with.
struct Refusal {
    status: StatusCode,
    error: ApiError,
}

impl From<ApiError> for Refusal {
    /// The real server answers its errors with HTTP 200.
    fn from(error: ApiError) -> Self {
        Refusal {
            status: StatusCode::OK,
            error,
        }
    }
}

impl From<BadBody> for Refusal {
    fn from(bad: BadBody) -> Self {
        Refusal {
            status: bad.status,
            error: bad.error,
        }
    }
}

/// Reads, authenticates and runs one request.
async fn answer(shared: &Shared, request: Request) -> Result<Reply, Refusal> {
    let headers = request.headers().clone();
    let (body, files) = if is_multipart(&request) {
        read_multipart(request).await?
    } else {
        (read_json(request).await?, Vec::new())
    };
    let body_account = account_of(&body)?;
    let token = header_text(&headers, "x-access-token").filter(|t| !t.is_empty());
    let token_for_trace = token.clone();
    let request = AnyRequest::from_json(body, |name| header_text(&headers, name))
        .map_err(|e| ApiError::refused(e.to_string()))?;
    let meta = request.meta();
    shared.count(meta.name);
    if let Some(code) = shared.played.code_for(meta.name, token.as_deref()) {
        tracing::debug!(operation = meta.name, code, "sandbox plays an error");
        return Err(ApiError::played(code).into());
    }
    let outcome = {
        let mut state = shared.state();
        let (admin_id, account_id) =
            authorize(&mut state, meta, &request, token.as_deref(), body_account)?;
        let call = Call {
            state: &mut state,
            admin_id,
            account_id,
            token,
            files,
            base_url: shared.base_url.clone(),
            pushes: Vec::new(),
        };
        shared.run_call(
            call,
            meta.name,
            || example_answer(meta),
            |call| dispatch(call, request),
        )
    };
    match &outcome {
        Ok(_) => tracing::debug!(operation = meta.name, "sandbox answered OK"),
        Err(error) => tracing::debug!(
            operation = meta.name,
            code = error.code,
            reason = %shared.masked(&error.reason, token_for_trace.as_deref()),
            "sandbox answered an error"
        ),
    }
    Ok(outcome?)
}

/// The `account_id` of a body: a number, or a string holding one (the upload form's); absent
/// or null is none.
fn account_of(body: &Value) -> Result<Option<u64>, ApiError> {
    match body.get("account_id") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64()),
        Some(Value::String(s)) if s.trim().parse::<u64>().is_ok() => Ok(s.trim().parse().ok()),
        Some(other) => Err(ApiError::refused(format!(
            "`account_id` must be an account number, not {other}"
        ))),
    }
}

/// Who calls and for which account: the session the token names (required by operations that
/// send the token, but the white-label's), and the account (the body's, which the user must
/// be allowed to open and which the session then has open; else the session's open account).
fn authorize(
    state: &mut Data,
    meta: &OperationMeta,
    request: &AnyRequest,
    token: Option<&str>,
    body_account: Option<u64>,
) -> Result<(Option<u64>, Option<u64>), ApiError> {
    let session = token.and_then(|t| state.sessions.get(t)).cloned();
    let admin_id = match (meta.auth, token, &session) {
        (Auth::None, _, _) => None,
        (Auth::Token, _, _) if open_before_login(request) => session.as_ref().map(|s| s.admin_id),
        (Auth::Token, None, _) => {
            return Err(ApiError::invalid_session("no X-ACCESS-TOKEN: log in first"))
        }
        (Auth::Token, Some(_), None) => {
            return Err(ApiError::invalid_session(
                "the session token is unknown or ended: log in again",
            ))
        }
        (Auth::Token, Some(_), Some(s)) => Some(s.admin_id),
    };
    let account_id = match meta.scope {
        Scope::Account => {
            let id = body_account.ok_or_else(|| {
                ApiError::refused(format!("`account_id` is required by {}", meta.name))
            })?;
            let may_open = admin_id
                .and_then(|admin| state.users.get(&admin))
                .is_some_and(|user| user.may_open(id))
                && state.accounts.contains_key(&id);
            if !may_open {
                return Err(ApiError::account_forbidden(format!(
                    "the user may not open account {id}"
                )));
            }
            // The account is open in the session from now on (get_current_user shows it).
            if let Some(open) = token.and_then(|t| state.sessions.get_mut(t)) {
                open.account_id = id;
            }
            Some(id)
        }
        Scope::None => session.map(|s| s.account_id),
    };
    Ok((admin_id, account_id))
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn envelopes_put_status_first_and_errors_carry_no_message() {
        assert_eq!(error_envelope(4), r#"{"status":"ERROR","code":4}"#);
        let mut rest = Map::new();
        rest.insert("rid".to_owned(), json!("abc"));
        assert_eq!(
            ok_envelope(&Reply::Ok(rest)),
            r#"{"status":"OK","rid":"abc"}"#
        );
        let example = json!({"data": [1], "status": "OK"});
        assert_eq!(
            ok_envelope(&Reply::Example(example.as_object().unwrap().clone())),
            r#"{"status":"OK","data":[1]}"#
        );
    }

    #[test]
    fn account_ids_are_numbers_or_strings_holding_one() {
        assert_eq!(account_of(&json!({"account_id": 7})), Ok(Some(7)));
        assert_eq!(account_of(&json!({"account_id": "7"})), Ok(Some(7)));
        assert_eq!(account_of(&json!({"account_id": null})), Ok(None));
        assert_eq!(account_of(&json!({})), Ok(None));
        assert!(account_of(&json!({"account_id": "seven"})).is_err());
        assert!(account_of(&json!({"account_id": -7})).is_err());
    }
}
