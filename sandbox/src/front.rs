//! The front of both APIs' HTTP handlers: the fault layer every request passes first
//! ([`before_request`]), and the JSON answer they write ([`json_response`]).

use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::connection::ConnHandle;
use crate::faults::Fault;
use crate::shared::Shared;

/// A JSON answer.
pub(crate) fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// The fault layer, in front of every request of both APIs: counts the request, waits the
/// injected delay, and answers the injected failure in its place (`Err`); else whether to cut
/// the answer in half.
pub(crate) async fn before_request(shared: &Shared, conn: &ConnHandle) -> Result<bool, Response> {
    shared.count_request();
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
