//! The path of one call: a thin generic shim per operation over one non-generic transport loop.
//!
//! [`Handle::execute_with`] resolves the account, serializes the request and hands the bytes to
//! [`Inner::send`], which is compiled once: it builds the headers, sends, retries and traces.
//! The only other generic step is the small closure that decodes each answer into the output.

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER,
    USER_AGENT,
};
use serde_json::Value;
use tracing::field::Empty;
use tracing::Instrument;

use crate::client::{CallOptions, Handle, Inner, Session};
use crate::envelope::{self, RawResponse};
use crate::error::{Error, TimeoutLimit};
use crate::hooks::{AnswerContext, CallContext, Recovery, RequestContext};
use crate::meta::{Auth, BodyEncoding, OperationMeta, ParamLocation, Scope, SessionEffect};
use crate::operation::Operation;
use crate::rest::{self, RestCall};
use crate::retry::parse_retry_after;
use crate::secret::{SecretToken, Secrets, X_ACCESS_TOKEN};
use crate::upload::{FileUpload, PartError};

/// A request body, ready to be sent (again, on retries).
pub(crate) enum RequestBody {
    /// The JSON body of a mobile operation, POSTed to the API URL.
    Json(Bytes),
    /// A REST call of the public API: its own method, URL and body.
    Rest(RestCall),
    /// Text fields and file parts; the form is rebuilt for each attempt.
    Multipart {
        fields: Vec<(String, String)>,
        files: Vec<(&'static str, FileUpload)>,
    },
}

/// When a call started, its deadline, and the attempts sent so far (shared by the sends of a
/// call, a hook's recovery included).
struct Clock<'a> {
    started: Instant,
    deadline: Duration,
    attempts: &'a mut u32,
}

/// The time limit of one attempt: how long it may wait, and what a timeout of it reports.
#[derive(Clone, Copy)]
struct Limit {
    kind: TimeoutLimit,
    wait: Duration,
    reported: Duration,
}

impl Limit {
    fn error(self, meta: &'static OperationMeta, attempts: u32) -> Error {
        Error::Timeout {
            operation: meta.name,
            limit: self.kind,
            after: self.reported,
            attempts,
        }
    }
}

/// Called with each answer; decodes it (storing the output) or says why it failed.
type OnResponse<'a> = dyn FnMut(&RawResponse) -> Result<(), Error> + Send + 'a;

impl Handle {
    /// Sends a request with the client's settings and returns its decoded `data`.
    pub async fn execute<Op: Operation>(&self, op: Op) -> Result<Op::Output, Error> {
        self.execute_with(op, &CallOptions::default()).await
    }

    /// Sends a request with per-call overrides and returns its decoded `data`.
    ///
    /// For account-scoped operations the account is the request's own `account_id`, else
    /// `options.account_id`, else the client's default; with none, the call fails with
    /// [`Error::Config`] before anything is sent. Operations with `auth: token` carry the
    /// session token in `X-ACCESS-TOKEN` when the handle has one (without one the request goes
    /// out without it and the server decides). A `session: start` operation stores the token it
    /// returns; a `session: end` operation clears the token after success.
    ///
    /// Only `retry_safe` operations are retried (see [`crate::RetryPolicy`]); every attempt
    /// is traced in the `chatrace.call` span (operation, attempt, HTTP status, duration).
    pub async fn execute_with<Op: Operation>(
        &self,
        mut op: Op,
        options: &CallOptions,
    ) -> Result<Op::Output, Error> {
        let meta = Op::META;
        if let Some(account_id) = self.inner.account_for(meta, op.account_id(), options)? {
            op.set_account_id(account_id);
        }
        let headers = op.headers();
        let secret_params = secret_values(meta, &op)?;
        let body = match (meta.http, meta.body) {
            (Some(http), _) => {
                let params = serde_json::to_value(&op).map_err(|e| encode_error(meta, e))?;
                RequestBody::Rest(rest::call(meta, &http, &self.inner.url, params)?)
            }
            (None, BodyEncoding::Json | BodyEncoding::Form) => RequestBody::Json(
                serde_json::to_vec(&op)
                    .map_err(|e| encode_error(meta, e))?
                    .into(),
            ),
            (None, BodyEncoding::Multipart) => {
                let files = op.take_files();
                let value = serde_json::to_value(&op).map_err(|e| encode_error(meta, e))?;
                multipart_body(meta, value, files)?
            }
        };
        drop(op);
        let mut output = None;
        self.inner
            .send(
                meta,
                body,
                headers,
                &secret_params,
                options,
                &mut |raw: &RawResponse| {
                    output = Some(match meta.http {
                        None => envelope::decode::<Op::Output>(meta, raw)?,
                        Some(_) => envelope::decode_rest::<Op::Output>(meta, raw)?,
                    });
                    Ok(())
                },
            )
            .await?;
        let output = output.ok_or_else(|| no_output(meta))?;
        match meta.session {
            Some(SessionEffect::Start) => self.start_session(meta, Op::session_token(&output)),
            Some(SessionEffect::End) => self.clear_token(),
            None => {}
        }
        Ok(output)
    }

    fn start_session(&self, meta: &'static OperationMeta, token: Option<&str>) {
        match token {
            Some(token) => self.set_token(token),
            None => tracing::warn!(operation = meta.name, "the login answer carries no token"),
        }
    }
}

impl Inner {
    /// The account of a call, or `None` for unscoped operations.
    fn account_for(
        &self,
        meta: &'static OperationMeta,
        own: Option<u64>,
        options: &CallOptions,
    ) -> Result<Option<u64>, Error> {
        if meta.scope == Scope::None {
            return Ok(None);
        }
        own.or(options.account_id)
            .or(self.default_account_id)
            .map(Some)
            .ok_or_else(|| {
                Error::config(format!(
                    "{}: no account id: set one with ClientBuilder::account_id, \
                     CallOptions::account_id or the request's account_id",
                    meta.name
                ))
            })
    }

    /// Sends a call, retrying when allowed, until `on_response` accepts an answer or the call
    /// fails for good; then, if a hook recovers the failure with a new session token, sends it
    /// once more with that token. Not generic: compiled once for all operations.
    async fn send(
        &self,
        meta: &'static OperationMeta,
        body: RequestBody,
        extra_headers: Vec<(&'static str, String)>,
        secret_params: &[SecretToken],
        options: &CallOptions,
        on_response: &mut OnResponse<'_>,
    ) -> Result<(), Error> {
        let span = tracing::debug_span!(
            "chatrace.call",
            operation = meta.name,
            attempt = Empty,
            http.status = Empty,
            duration_ms = Empty,
        );
        let deadline = options.deadline.unwrap_or(self.deadline);
        let call = async {
            let span = tracing::Span::current();
            let started = Instant::now();
            let mut attempts = 0;
            let mut recovered = false;
            loop {
                let session = self.current_session();
                let headers = self.headers(meta, session.as_ref(), &extra_headers)?;
                // What the call's errors must not show: the token it is sent with, and the
                // values of the request's secret params (an email's code).
                let secrets = match session {
                    Some(session) => session.secrets.with(secret_params),
                    None => Secrets::new(secret_params),
                };
                let outcome = self
                    .run_attempts(
                        meta,
                        &body,
                        &headers,
                        secrets,
                        options,
                        on_response,
                        Clock {
                            started,
                            deadline,
                            attempts: &mut attempts,
                        },
                    )
                    .await;
                let error = match outcome {
                    Ok(()) => {
                        span.record("duration_ms", started.elapsed().as_millis() as u64);
                        return Ok(());
                    }
                    Err(error) => error,
                };
                if !recovered && !self.hooks.is_empty() {
                    let context = CallContext {
                        operation: meta,
                        attempts,
                        elapsed: started.elapsed(),
                    };
                    if let Some(token) = self.recover(&error, &context).await {
                        self.set_session(&token)?;
                        recovered = true;
                        tracing::debug!(attempts, "a hook gave a new session token: sending again");
                        continue;
                    }
                }
                span.record("duration_ms", started.elapsed().as_millis() as u64);
                return Err(error);
            }
        };
        call.instrument(span).await
    }

    /// The attempts of a call with one set of headers: sends, retries what may be retried, and
    /// returns the first accepted answer or the error the last attempt ended with. Each attempt
    /// gets the attempt timeout, or what is left of the call's deadline when that is shorter;
    /// no retry starts whose wait would pass the deadline.
    #[allow(clippy::too_many_arguments)]
    async fn run_attempts(
        &self,
        meta: &'static OperationMeta,
        body: &RequestBody,
        headers: &HeaderMap,
        secrets: Secrets,
        options: &CallOptions,
        on_response: &mut OnResponse<'_>,
        clock: Clock<'_>,
    ) -> Result<(), Error> {
        let Clock {
            started,
            deadline,
            attempts,
        } = clock;
        let span = tracing::Span::current();
        let policy = options.retry.as_ref().unwrap_or(&self.retry);
        let max_attempts = if meta.retry_safe {
            policy.max_attempts.max(1)
        } else {
            1
        };
        let timeout = options.timeout.unwrap_or(self.timeout);
        let mut attempt = 1;
        loop {
            let remaining = deadline.saturating_sub(started.elapsed());
            if remaining.is_zero() {
                return Err(Error::Timeout {
                    operation: meta.name,
                    limit: TimeoutLimit::Deadline,
                    after: deadline,
                    attempts: *attempts,
                });
            }
            // The limit this attempt runs under, and what a timeout of it reports.
            let limit = if remaining < timeout {
                Limit {
                    kind: TimeoutLimit::Deadline,
                    wait: remaining,
                    reported: deadline,
                }
            } else {
                Limit {
                    kind: TimeoutLimit::Attempt,
                    wait: timeout,
                    reported: timeout,
                }
            };
            *attempts += 1;
            span.record("attempt", *attempts);
            let attempt_started = Instant::now();
            let hooked;
            let headers = if self.hooks.is_empty() {
                headers
            } else {
                let mut own = headers.clone();
                let mut context = RequestContext {
                    operation: meta,
                    attempt: *attempts,
                    headers: &mut own,
                };
                for hook in &self.hooks {
                    hook.before_send(&mut context);
                }
                hooked = own;
                &hooked
            };
            let sent = tokio::time::timeout(
                limit.wait,
                self.attempt(meta, body, headers, limit, *attempts),
            )
            .await
            .unwrap_or_else(|_| Err(limit.error(meta, *attempts)));
            let outcome = match sent {
                Ok((status, body, retry_after)) => {
                    span.record("http.status", status);
                    let elapsed = attempt_started.elapsed();
                    if !self.hooks.is_empty() {
                        let answer = AnswerContext {
                            operation: meta,
                            attempt: *attempts,
                            status,
                            elapsed,
                        };
                        for hook in &self.hooks {
                            hook.after_answer(&answer);
                        }
                    }
                    let raw = RawResponse {
                        status,
                        body,
                        retry_after,
                        secrets: secrets.clone(),
                        codes: self.error_codes,
                        rest_error: self.rest_error,
                    };
                    tracing::debug!(
                        attempt,
                        http.status = status,
                        elapsed_ms = elapsed.as_millis() as u64,
                        "answer received"
                    );
                    tracing::trace!(body = %raw.snippet(), "answer body");
                    on_response(&raw).map_err(|e| (e, raw.retry_after))
                }
                Err(e) => Err((e, None)),
            };
            let (error, retry_after) = match outcome {
                Ok(()) => return Ok(()),
                Err(failed) => failed,
            };
            let delay = if attempt < max_attempts && error.is_retryable() {
                policy.delay(attempt, retry_after, self.jitter.next())
            } else {
                None
            };
            // A wait that would pass the deadline is not started: the last error says more
            // than a timeout would.
            let delay = delay.filter(|d| *d < deadline.saturating_sub(started.elapsed()));
            let Some(delay) = delay else {
                tracing::debug!(attempt, error = %error, "call failed");
                return Err(error);
            };
            tracing::debug!(
                attempt,
                error = %error,
                delay_ms = delay.as_millis() as u64,
                "retrying"
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// Asks the hooks whether a failed call can be recovered with a new session token: only an
    /// unauthorized error can, since the server refused the call and so did nothing.
    async fn recover(&self, error: &Error, context: &CallContext) -> Option<String> {
        for hook in &self.hooks {
            match hook.on_error(error, context).await {
                Recovery::RetryWithToken(token) if error.is_unauthorized() => return Some(token),
                Recovery::RetryWithToken(_) => tracing::warn!(
                    operation = context.operation.name,
                    "a hook offered a new token for an error that is not unauthorized: the call is not sent again, as the server may have acted"
                ),
                Recovery::Fail => {}
            }
        }
        None
    }

    /// One attempt: the HTTP status, the whole body and `Retry-After`.
    async fn attempt(
        &self,
        meta: &'static OperationMeta,
        body: &RequestBody,
        headers: &HeaderMap,
        limit: Limit,
        attempts: u32,
    ) -> Result<(u16, Bytes, Option<Duration>), Error> {
        // The attempt's time limit is the `tokio::time::timeout` around this call: one timer per
        // attempt, not a second one inside the HTTP client.
        let request = match body {
            RequestBody::Rest(call) => self.http.request(call.method.clone(), call.url.clone()),
            _ => self.http.post(self.url.clone()),
        }
        .headers(headers.clone());
        let request = match body {
            RequestBody::Json(bytes) => request.body(bytes.clone()),
            RequestBody::Rest(RestCall { body: None, .. }) => request,
            // The HTTP client leaves out `Content-Length: 0` for an empty body; the public API
            // answers 411 to a POST without it.
            RequestBody::Rest(RestCall {
                body: Some((kind, bytes)),
                ..
            }) if bytes.is_empty() => request
                .header(CONTENT_TYPE, kind.clone())
                .header(CONTENT_LENGTH, HeaderValue::from_static("0"))
                .body(bytes.clone()),
            RequestBody::Rest(RestCall {
                body: Some((kind, bytes)),
                ..
            }) => request
                .header(CONTENT_TYPE, kind.clone())
                .body(bytes.clone()),
            RequestBody::Multipart { fields, files } => {
                request.multipart(multipart_form(meta, fields, files).await?)
            }
        };
        let response = request
            .send()
            .await
            .map_err(|e| self.transport_error(meta, e, limit, attempts))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| parse_retry_after(v.as_bytes(), std::time::SystemTime::now()));
        let too_large = || Error::TooLarge {
            operation: meta.name,
            status,
            limit: self.max_answer_bytes,
        };
        let body = match response.content_length() {
            Some(length) if length > self.max_answer_bytes => return Err(too_large()),
            // The HTTP client reads no more than the declared length: read it whole at once.
            Some(_) => response.bytes().await.map_err(Some),
            None => read_capped(response, self.max_answer_bytes).await,
        }
        .map_err(|e| {
            e.map_or_else(too_large, |e| {
                self.transport_error(meta, e, limit, attempts)
            })
        })?;
        Ok((status, body, retry_after))
    }

    fn transport_error(
        &self,
        meta: &'static OperationMeta,
        source: reqwest::Error,
        limit: Limit,
        attempts: u32,
    ) -> Error {
        if source.is_timeout() {
            match self.connect_timeout {
                Some(connect) if source.is_connect() => Error::Timeout {
                    operation: meta.name,
                    limit: TimeoutLimit::Connect,
                    after: connect,
                    attempts,
                },
                _ => limit.error(meta, attempts),
            }
        } else {
            Error::Transport {
                operation: meta.name,
                source,
            }
        }
    }

    /// The headers of every attempt of a call.
    fn headers(
        &self,
        meta: &'static OperationMeta,
        session: Option<&Session>,
        extra: &[(&'static str, String)],
    ) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::with_capacity(4 + extra.len());
        // A REST call's content type goes with its body (see `attempt`).
        if meta.body == BodyEncoding::Json && meta.http.is_none() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        // The public API's clients ask for JSON, as its reference lists among the shared
        // headers; the mobile API's collection sends no `Accept`.
        if meta.http.is_some() {
            headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        }
        headers.insert(USER_AGENT, self.user_agent.clone());
        if meta.auth == Auth::Token {
            match session {
                Some(session) => {
                    headers.insert(X_ACCESS_TOKEN, session.header.clone());
                }
                None => tracing::debug!(operation = meta.name, "no session token to send"),
            }
        }
        for (name, value) in extra {
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::config(format!(
                    "{}: `{name}` is not a valid header name",
                    meta.name
                ))
            })?;
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::config(format!(
                    "{}: the value of header `{name}` is not a valid header value",
                    meta.name
                ))
            })?;
            headers.insert(header, value);
        }
        Ok(headers)
    }
}

/// The vendor's upload form: one text field `param` holding the JSON of the request (without
/// its file params), and one file part per file param.
fn multipart_body(
    meta: &'static OperationMeta,
    value: Value,
    files: Vec<(&'static str, FileUpload)>,
) -> Result<RequestBody, Error> {
    let Value::Object(mut map) = value else {
        return Err(Error::config(format!(
            "{}: the request does not serialize to a JSON object",
            meta.name
        )));
    };
    for (name, _) in &files {
        map.remove(*name);
    }
    let param = serde_json::to_string(&map).map_err(|e| encode_error(meta, e))?;
    Ok(RequestBody::Multipart {
        fields: vec![(MULTIPART_PARAM_FIELD.to_owned(), param)],
        files,
    })
}

/// The text field of an upload form that holds the request's JSON.
pub(crate) const MULTIPART_PARAM_FIELD: &str = "param";

/// The form of one attempt (files are opened again for each).
async fn multipart_form(
    meta: &'static OperationMeta,
    fields: &[(String, String)],
    files: &[(&'static str, FileUpload)],
) -> Result<reqwest::multipart::Form, Error> {
    let mut form = reqwest::multipart::Form::new();
    for (key, text) in fields {
        form = form.text(key.clone(), text.clone());
    }
    for (name, file) in files {
        let part = file.to_part().await.map_err(|e| match e {
            PartError::Io(source) => Error::Io {
                operation: meta.name,
                source,
            },
            PartError::Mime(mime) => {
                Error::config(format!("{}: `{mime}` is not a valid MIME type", meta.name))
            }
        })?;
        form = form.part(*name, part);
    }
    Ok(form)
}

impl Handle {
    /// Sends a request (as [`execute_with`](Self::execute_with)) and returns its decoded answer
    /// as JSON: for tools that handle any operation, such as the CLI through `AnyRequest`.
    ///
    /// # Errors
    ///
    /// The errors of [`execute_with`](Self::execute_with), and those of [`output_to_json`].
    pub async fn execute_json<Op>(&self, op: Op, options: &CallOptions) -> Result<Value, Error>
    where
        Op: Operation,
        Op::Output: serde::Serialize,
    {
        let output = self.execute_with(op, options).await?;
        output_to_json(Op::META, &output)
    }
}

/// A decoded answer as JSON, for tools that handle any operation.
///
/// # Errors
///
/// [`Error::Config`] naming the operation if the answer does not serialize (a bug of the
/// generated type).
pub fn output_to_json<T: serde::Serialize>(
    meta: &'static OperationMeta,
    output: &T,
) -> Result<Value, Error> {
    serde_json::to_value(output)
        .map_err(|e| Error::config(format!("{}: cannot encode the answer: {e}", meta.name)))
}

fn encode_error(meta: &'static OperationMeta, e: serde_json::Error) -> Error {
    Error::config(format!("{}: cannot encode the request: {e}", meta.name))
}

/// Unreachable in practice: `send` returns `Ok` only after the decoder stored an output.
fn no_output(meta: &'static OperationMeta) -> Error {
    Error::config(format!("{}: no answer was decoded", meta.name))
}

/// The values of `op`'s secret params (`secret: true` in the catalogue: an email's code, a
/// sign-in's id token), read from the request as it goes out, for its errors to mask: a server
/// may echo the request in an error's message. Nothing is serialized for an operation without
/// one.
fn secret_values<Op: Operation>(
    meta: &'static OperationMeta,
    op: &Op,
) -> Result<Vec<SecretToken>, Error> {
    if !meta.params.iter().any(|p| p.secret) {
        return Ok(Vec::new());
    }
    let request = serde_json::to_value(op).map_err(|e| encode_error(meta, e))?;
    let values = meta.params.iter().filter(|p| p.secret).filter_map(|p| {
        let value = match p.location {
            ParamLocation::Data => request.get("data")?.get(p.wire)?,
            _ => request.get(p.wire)?,
        };
        match value {
            Value::String(text) => Some(text.clone()),
            Value::Number(number) => Some(number.to_string()),
            _ => None,
        }
    });
    Ok(values.map(SecretToken::new).collect())
}

/// The body of `response`, read chunk by chunk up to `limit` bytes: `Err(None)` past it (the
/// rest is not read), `Err(Some(_))` when reading failed. One chunk is kept as it came.
async fn read_capped(
    mut response: reqwest::Response,
    limit: u64,
) -> Result<Bytes, Option<reqwest::Error>> {
    let fits = |length: usize| length as u64 <= limit;
    let Some(first) = response.chunk().await? else {
        return Ok(Bytes::new());
    };
    if !fits(first.len()) {
        return Err(None);
    }
    let Some(second) = response.chunk().await? else {
        return Ok(first);
    };
    let mut body = BytesMut::with_capacity(first.len() + second.len());
    body.extend_from_slice(&first);
    let mut next = Some(second);
    while let Some(chunk) = next {
        if !fits(body.len() + chunk.len()) {
            return Err(None);
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await?;
    }
    Ok(body.freeze())
}
