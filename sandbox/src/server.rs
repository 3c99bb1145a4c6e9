//! The HTTP side of the mobile API: one handler for `POST /` that reads the body, reads it as
//! the SDK's own `AnyRequest`, checks the session and the account, runs the operation on the
//! state and writes the envelope. The fault layer sits in front of it and of the public API's
//! handler (`rest`); the router sends each API its requests.

use std::sync::Arc;

use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{any, get, post};
use axum::Router;
use chatrace::{AnyRequest, Auth, OperationMeta, Scope};
use serde_json::{Map, Value};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::body::{is_multipart, read_json, read_multipart, BadBody, MULTIPART_BODY_LIMIT};
use crate::call::{ApiError, Call, Reply};
use crate::connection::{ConnHandle, ResettableListener};
use crate::front::{before_request, json_response};
use crate::handlers::dispatch::{dispatch, example_answer, open_before_login};
use crate::paths;
use crate::played;
use crate::rest;
use crate::shared::Shared;
use crate::socket;
use crate::state::State as Data;

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
