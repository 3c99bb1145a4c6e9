//! The public API's HTTP side, under `/api/` on the sandbox's port (a white-label serves it at
//! `https://<app domain>/api/`): the account's API token checked, the route matched
//! ([`route`]), the params gathered ([`params`]) and read as the SDK's own request
//! (`AnyRequest::from_operation`), the operation run on the state the mobile API shares
//! (`handlers::public`), and the answer written: the body itself, or the public API's error
//! object with an HTTP status.

mod params;
mod route;

use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::Response;
use chatrace::AnyRequest;
use serde_json::Value;

use crate::body::read_bytes;
use crate::call::Call;
use crate::connection::ConnHandle;
use crate::front::{before_request, json_response};
use crate::handlers::public::{dispatch, example_answer, RestError};
use crate::paths::PUBLIC_PREFIX;
use crate::shared::Shared;
use crate::state::State as Data;

/// What the API answers a missing or wrong `X-ACCESS-TOKEN` with: HTTP 401 and this message in
/// the error object. Inferred: the Swagger page documents no answer for it; public clients
/// report a 401 with `{"error": {...}}` and this message.
const NO_VALID_TOKEN: &str = "No valid API key provided.";

/// Serves one request of the public API.
pub(crate) async fn handle(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    request: Request,
) -> Response {
    let truncate = match before_request(&shared, &conn).await {
        Ok(truncate) => truncate,
        Err(injected) => return injected,
    };
    let (status, text) = match answer(&shared, request).await {
        Ok(body) => (StatusCode::OK, body.to_string()),
        Err(error) => (
            StatusCode::from_u16(error.status).unwrap_or(StatusCode::BAD_REQUEST),
            error.body(),
        ),
    };
    let mut body = text.into_bytes();
    if truncate {
        body.truncate(body.len() / 2);
    }
    json_response(status, body)
}

/// The account whose API token `token` is.
fn account_of_token(state: &Data, token: Option<&str>) -> Result<u64, RestError> {
    let token = token.filter(|t| !t.is_empty());
    token
        .and_then(|token| {
            state
                .accounts
                .values()
                .find(|account| account.public.api_token == token)
        })
        .map(|account| account.id)
        .ok_or_else(|| RestError::new(401, NO_VALID_TOKEN))
}

/// Authenticates, reads and runs one request.
async fn answer(shared: &Shared, request: Request) -> Result<Value, RestError> {
    let headers = request.headers();
    let token = headers
        .get("x-access-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // The token first: a caller without one learns nothing, not even which routes exist.
    let account_id = account_of_token(&shared.state(), token.as_deref())?;
    let uri = request.uri().clone();
    let path = uri.path().strip_prefix(PUBLIC_PREFIX).unwrap_or(uri.path());
    let (meta, path_params) = match route::route(request.method().as_str(), path) {
        route::Routed::Operation { meta, path_params } => (meta, path_params),
        route::Routed::WrongMethod => {
            return Err(RestError::new(
                405,
                format!("{} {path} is not a route of the API", request.method()),
            ))
        }
        route::Routed::Unknown => {
            return Err(RestError::not_found(format!(
                "{path} is not a route of the API"
            )))
        }
    };
    let bytes = read_bytes(request).await.map_err(|bad| {
        let status = if bad.status == StatusCode::PAYLOAD_TOO_LARGE {
            413
        } else {
            400
        };
        RestError::new(status, bad.error.reason)
    })?;
    let body =
        params::read_body(content_type.as_deref(), &bytes).map_err(RestError::bad_request)?;
    let params = params::gather(path_params, uri.query(), body);
    let request = AnyRequest::from_operation(meta.name, Value::Object(params))
        .map_err(|e| RestError::bad_request(e.to_string()))?;
    shared.count(meta.name);
    if let Some(code) = shared.played.code_for(meta.name, token.as_deref()) {
        tracing::debug!(operation = meta.name, code, "sandbox plays an error");
        return Err(RestError::played(code));
    }
    let outcome = {
        let mut state = shared.state();
        let call = Call {
            state: &mut state,
            admin_id: None,
            account_id: Some(account_id),
            token: None,
            files: Vec::new(),
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
            status = error.status,
            reason = %shared.masked(&error.message, token.as_deref()),
            "sandbox answered an error"
        ),
    }
    outcome
}
