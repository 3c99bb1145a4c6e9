//! Reading a request body within its size limit: a JSON object, or the vendor's upload form
//! (`multipart/form-data` with a text field `param` holding the request's JSON and a `file`
//! part, measured as it streams by and never held whole).

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::StatusCode;
use serde_json::{Map, Value};

use crate::call::{ApiError, ReceivedFile};
use crate::checksum::Fnv1a;

/// The largest JSON body accepted (2 MiB).
pub const JSON_BODY_LIMIT: usize = 2 * 1024 * 1024;
/// The largest multipart body accepted (64 MiB).
pub const MULTIPART_BODY_LIMIT: usize = 64 * 1024 * 1024;

/// The form field that holds the request's JSON in the vendor's upload form.
const PARAM_FIELD: &str = "param";

/// A body that could not be read: the HTTP status to answer with (200 for everything but a
/// body over the limit) and the API error of the envelope.
#[derive(Debug)]
pub(crate) struct BadBody {
    pub status: StatusCode,
    pub error: ApiError,
}

impl BadBody {
    fn refused(reason: impl Into<String>) -> Self {
        BadBody {
            status: StatusCode::OK,
            error: ApiError::refused(reason),
        }
    }

    fn too_large(limit: usize) -> Self {
        BadBody {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            error: ApiError::refused(format!("the body is larger than {limit} bytes")),
        }
    }
}

/// Whether the request is a multipart form.
pub(crate) fn is_multipart(request: &Request) -> bool {
    request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/")
        })
}

/// The body as JSON (any JSON: whether it is an object is the request parser's business).
pub(crate) async fn read_json(request: Request) -> Result<Value, BadBody> {
    let bytes = read_bytes(request).await?;
    serde_json::from_slice(&bytes)
        .map_err(|e| BadBody::refused(format!("the body is not JSON: {e}")))
}

/// The body's bytes, at most [`JSON_BODY_LIMIT`] of them.
pub(crate) async fn read_bytes(request: Request) -> Result<axum::body::Bytes, BadBody> {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > JSON_BODY_LIMIT as u64) {
        return Err(BadBody::too_large(JSON_BODY_LIMIT));
    }
    axum::body::to_bytes(request.into_body(), JSON_BODY_LIMIT)
        .await
        .map_err(|e| {
            if is_length_limit(&e) {
                BadBody::too_large(JSON_BODY_LIMIT)
            } else {
                BadBody::refused(format!("cannot read the body: {e}"))
            }
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

/// The upload form: the JSON object of its `param` field, and its file parts measured.
pub(crate) async fn read_multipart(
    request: Request,
) -> Result<(Value, Vec<ReceivedFile>), BadBody> {
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|rejection| BadBody::refused(rejection.body_text()))?;
    let mut param: Option<Map<String, Value>> = None;
    let mut files = Vec::new();
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(multipart_error(&e)),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(str::to_owned);
        if name == PARAM_FIELD && file_name.is_none() {
            let text = field.text().await.map_err(|e| multipart_error(&e))?;
            if text.len() > JSON_BODY_LIMIT {
                return Err(BadBody::too_large(JSON_BODY_LIMIT));
            }
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(map)) => param = Some(map),
                _ => {
                    return Err(BadBody::refused(
                        "the `param` field must hold a JSON object",
                    ))
                }
            }
            continue;
        }
        // Every other part is measured as it streams by (a stray text field costs nothing).
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
    }
    let param = param.ok_or_else(|| BadBody::refused("the form has no `param` field"))?;
    Ok((Value::Object(param), files))
}

fn multipart_error(e: &axum::extract::multipart::MultipartError) -> BadBody {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        BadBody::too_large(MULTIPART_BODY_LIMIT)
    } else {
        BadBody::refused(format!("bad multipart body: {}", e.body_text()))
    }
}
