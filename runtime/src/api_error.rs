//! The error a server answers, typed: its code (known to the catalogue's table or not), the
//! members the envelope carries, and the whole body behind a method.
//!
//! Every string kept here went through the redaction of the call (the session token and every
//! `"…token"` member masked) before it was stored; the body is redacted when it is read.

use std::fmt;

use bytes::Bytes;
use serde_json::{Map, Value};

use crate::meta::ErrorCodeMeta;
use crate::redact;
use crate::secret::{SecretToken, Secrets};

/// The most characters of an error code `Display` shows (a server may echo anything there).
const CODE_CHARS: usize = 40;
/// The most characters of one member's value `Display` shows.
const FIELD_CHARS: usize = 120;

/// The code of an API error: an entry of the catalogue's `errors` table, or a code it does not
/// list, as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiCode {
    /// A code the catalogue's table lists.
    Known(&'static ErrorCodeMeta),
    /// A code the table does not list (or any code, for a client built without the table):
    /// its text as sent (`"77"`, `"E_FAIL"`), redacted.
    Unknown(String),
}

impl ApiCode {
    /// The code as text: `"1"`, `"99"`, or the unknown code's text.
    pub fn as_text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            ApiCode::Known(meta) => meta.code.to_string().into(),
            ApiCode::Unknown(text) => text.as_str().into(),
        }
    }

    /// The code as a number, when it is one.
    pub fn number(&self) -> Option<i64> {
        match self {
            ApiCode::Known(meta) => Some(meta.code),
            ApiCode::Unknown(text) => text.trim().parse().ok(),
        }
    }

    /// The table's entry of the code.
    pub fn meta(&self) -> Option<&'static ErrorCodeMeta> {
        match self {
            ApiCode::Known(meta) => Some(meta),
            ApiCode::Unknown(_) => None,
        }
    }

    /// The code of `text` in `table`: known when the text is a number the table lists.
    pub fn resolve(text: &str, table: &'static [ErrorCodeMeta]) -> ApiCode {
        text.trim()
            .parse()
            .ok()
            .and_then(|number| ErrorCodeMeta::find(table, number))
            .map_or_else(|| ApiCode::Unknown(text.to_owned()), ApiCode::Known)
    }
}

impl fmt::Display for ApiCode {
    /// The code's text, on one line of at most 40 characters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact::one_line(&self.as_text(), CODE_CHARS))
    }
}

/// The form an API error came in. The mobile API has one; the public REST API's forms (HTTP
/// 4xx, or HTTP 200 with an `error` object) join as variants of their own, mapped into the
/// same [`ApiError`] (code, message, data, the rest kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorForm {
    /// The mobile API's envelope: `{"status":"ERROR","code":N, ...}` (usually with HTTP 200),
    /// or `{"status":"OK","code":N}` with a code the table calls a failure even then.
    Envelope,
    /// The public API's: an answer object with an `error` member (`{"error": {"code": ..,
    /// "message": ..}}`), with an HTTP error status or with 200.
    Rest,
}

/// The whole body of an answer, kept for who asks: its text is redacted when read.
///
/// `Debug` shows its size only. Cloning is cheap (the bytes are shared).
#[derive(Clone, Default)]
pub struct ResponseBody {
    bytes: Bytes,
    secrets: Secrets,
}

impl ResponseBody {
    /// A body, whose text will be read with `token` masked.
    pub fn new(bytes: impl Into<Vec<u8>>, token: Option<SecretToken>) -> Self {
        ResponseBody::shared(Bytes::from(bytes.into()), token.into())
    }

    pub(crate) fn shared(bytes: Bytes, secrets: Secrets) -> Self {
        ResponseBody { bytes, secrets }
    }

    /// The whole body as text (invalid UTF-8 replaced), with the session token, the values of
    /// the request's secret params and every `"…token": "…"` member masked. As long as the
    /// body: not for a log line.
    pub fn text(&self) -> String {
        redact::redact(&String::from_utf8_lossy(&self.bytes), &self.secrets.texts())
    }

    /// The body's size in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResponseBody({} bytes)", self.bytes.len())
    }
}

/// An error the server answered: the whole envelope, typed, every string redacted.
///
/// The envelope's members are lifted into typed fields when they have the expected form
/// (`code`, `subcode`, `message` or `msg`, `url`, `new_window`, `forced`, `data`); every other
/// member, and one that does not have its form, stays in [`rest`](Self::rest).
/// [`field`](Self::field) reads any member by its dotted path, as the table names them.
#[derive(Debug, Clone)]
pub struct ApiError {
    form: ErrorForm,
    http_status: u16,
    status: Option<String>,
    code: Option<ApiCode>,
    subcode: Option<i64>,
    message: Option<String>,
    url: Option<String>,
    new_window: Option<bool>,
    forced: Option<bool>,
    data: Option<Value>,
    rest: Map<String, Value>,
    body: ResponseBody,
}

impl ApiError {
    /// The error an answer object stands for, or `None` when it is a success: its `status` is
    /// `"OK"` and its `code` is not one the table calls a failure even then. An object without
    /// `status` is not an envelope (`None`).
    ///
    /// `http_status` is the answer's; when the envelope has no `code` and the status is not
    /// 2xx, the HTTP status is the code. Every string is redacted with `token`.
    pub fn from_answer(
        answer: &Map<String, Value>,
        http_status: u16,
        table: &'static [ErrorCodeMeta],
        token: Option<&SecretToken>,
        body: ResponseBody,
    ) -> Option<ApiError> {
        let token = token.map(SecretToken::expose);
        ApiError::from_answer_masking(answer, http_status, table, token.as_slice(), body)
    }

    /// As the public form, with every secret of the call masked (the session token and the
    /// values of the request's secret params).
    pub(crate) fn from_answer_masking(
        answer: &Map<String, Value>,
        http_status: u16,
        table: &'static [ErrorCodeMeta],
        secrets: &[&str],
        body: ResponseBody,
    ) -> Option<ApiError> {
        let status = answer.get("status")?;
        let code = code_text(answer.get("code"));
        let ok = status.as_str() == Some("OK");
        if ok {
            let fails = code
                .as_deref()
                .and_then(|code| code.trim().parse().ok())
                .and_then(|number| ErrorCodeMeta::find(table, number))
                .is_some_and(|meta| meta.fails_when_ok);
            if !fails {
                return None;
            }
        }
        let mut rest = redact::redact_map(answer.clone(), secrets);
        let status = rest.remove("status").map(|status| match status {
            Value::String(text) => text,
            other => other.to_string(),
        });
        rest.remove("code");
        let code = code
            .map(|text| redact::redact(&text, secrets))
            .or_else(|| (!(200..300).contains(&http_status)).then(|| http_status.to_string()))
            .map(|text| ApiCode::resolve(&text, table));
        let subcode = take_if(&mut rest, "subcode", integer);
        let message = take_message(&mut rest);
        let url = take_if(&mut rest, "url", |v| v.as_str().map(str::to_owned));
        let new_window = take_if(&mut rest, "new_window", flag);
        let forced = take_if(&mut rest, "forced", flag);
        let data = rest.remove("data").filter(|data| !data.is_null());
        Some(ApiError {
            form: ErrorForm::Envelope,
            http_status,
            status,
            code,
            subcode,
            message,
            url,
            new_window,
            forced,
            data,
            rest,
            body,
        })
    }

    /// The error of a public API answer whose object carries an error at `member` (`error`),
    /// or `None` when it carries none (the member is absent, `null` or `false`). The error
    /// member may be an object (`code`, `message`, the rest kept), or a bare message or code.
    /// With no code, a non-2xx HTTP status is the code. Every string is redacted with `token`.
    pub fn from_rest_answer(
        answer: &Map<String, Value>,
        member: &str,
        http_status: u16,
        token: Option<&SecretToken>,
        body: ResponseBody,
    ) -> Option<ApiError> {
        let token = token.map(SecretToken::expose);
        ApiError::from_rest_answer_masking(answer, member, http_status, token.as_slice(), body)
    }

    /// As the public form, with every secret of the call masked (the session token and the
    /// values of the request's secret params).
    pub(crate) fn from_rest_answer_masking(
        answer: &Map<String, Value>,
        member: &str,
        http_status: u16,
        secrets: &[&str],
        body: ResponseBody,
    ) -> Option<ApiError> {
        let error = answer.get(member)?;
        let mut rest = match error {
            Value::Null | Value::Bool(false) => return None,
            Value::Object(map) => redact::redact_map(map.clone(), secrets),
            Value::String(text) => {
                let mut map = Map::new();
                map.insert(
                    "message".to_owned(),
                    Value::from(redact::redact(text, secrets)),
                );
                map
            }
            other => {
                let mut map = Map::new();
                map.insert("code".to_owned(), other.clone());
                map
            }
        };
        let code = code_text(rest.remove("code").as_ref())
            .map(|text| redact::redact(&text, secrets))
            .or_else(|| (!(200..300).contains(&http_status)).then(|| http_status.to_string()))
            // The public API's codes are its own: the mobile API's table does not name them.
            .map(ApiCode::Unknown);
        let subcode = take_if(&mut rest, "subcode", integer);
        let message = take_message(&mut rest);
        let data = rest.remove("data").filter(|data| !data.is_null());
        Some(ApiError {
            form: ErrorForm::Rest,
            http_status,
            status: None,
            code,
            subcode,
            message,
            url: None,
            new_window: None,
            forced: None,
            data,
            rest,
            body,
        })
    }

    /// The form the error came in.
    pub fn form(&self) -> ErrorForm {
        self.form
    }

    /// The HTTP status of the answer (200 for the mobile API's errors, as a rule).
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// The envelope's `status` (`"ERROR"`; `"OK"` for a code that fails even then).
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// The code: the envelope's `code`, else the HTTP status of a non-2xx answer.
    pub fn code(&self) -> Option<&ApiCode> {
        self.code.as_ref()
    }

    /// The table's entry of the code.
    pub fn code_meta(&self) -> Option<&'static ErrorCodeMeta> {
        self.code.as_ref().and_then(ApiCode::meta)
    }

    /// The envelope's `subcode` (code 403 has 1 or 2).
    pub fn subcode(&self) -> Option<i64> {
        self.subcode
    }

    /// The server's message: `message`, else `msg` (code 98), else `error`.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// `url`: where code 99 sends the app.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// `new_window`: code 99 opens `url` in a new window.
    pub fn new_window(&self) -> Option<bool> {
        self.new_window
    }

    /// `forced`: code 1 sends the user to login without a way back.
    pub fn forced(&self) -> Option<bool> {
        self.forced
    }

    /// `data`: what codes 10, 14 and 1000 say more (`ref`, `channel`, `text`, `name`).
    pub fn data(&self) -> Option<&Value> {
        self.data.as_ref()
    }

    /// The envelope's other members.
    pub fn rest(&self) -> &Map<String, Value> {
        &self.rest
    }

    /// A member of the envelope by its dotted wire path (`data.ref`, `url`, `subcode`), as the
    /// table's [`fields`](ErrorCodeMeta::fields) name them.
    pub fn field(&self, path: &str) -> Option<Value> {
        let (first, inner) = match path.split_once('.') {
            Some((first, inner)) => (first, Some(inner)),
            None => (path, None),
        };
        let top = match first {
            "status" => self.status.clone().map(Value::from),
            "code" => self
                .code
                .as_ref()
                .map(|c| Value::from(c.as_text().into_owned())),
            "subcode" => self.subcode.map(Value::from),
            "message" | "msg" if self.message.is_some() => self.message.clone().map(Value::from),
            "url" => self.url.clone().map(Value::from),
            "new_window" => self.new_window.map(Value::from),
            "forced" => self.forced.map(Value::from),
            "data" => self.data.clone(),
            other => self.rest.get(other).cloned(),
        }?;
        match inner {
            None => Some(top),
            Some(inner) => inner
                .split('.')
                .try_fold(&top, |value, key| value.get(key))
                .cloned(),
        }
    }

    /// The whole body of the answer (redacted when read).
    pub fn body(&self) -> &ResponseBody {
        &self.body
    }

    /// What the code means, from the table.
    pub fn meaning(&self) -> Option<&'static str> {
        self.code_meta().map(|meta| meta.meaning)
    }

    /// Whether the credentials were refused: the table says so of the code, or the error
    /// [stands for](Self::status_meant) HTTP 401 or 403.
    pub fn is_unauthorized(&self) -> bool {
        self.code_meta().is_some_and(|meta| meta.unauthorized)
            || matches!(self.status_meant(), 401 | 403)
    }

    /// Whether the same call may succeed later: the table says so of the code, or the error
    /// [stands for](Self::status_meant) HTTP 429 or 5xx.
    pub fn is_retryable(&self) -> bool {
        let status = self.status_meant();
        self.code_meta().is_some_and(|meta| meta.retryable)
            || status == 429
            || (500..600).contains(&status)
    }

    /// The HTTP status the error stands for: the answer's own, except for a public-API error
    /// object sent with a 2xx status, which stands for its `code` when that is an HTTP error
    /// status (`{"error": {"code": 401, ..}}` with HTTP 200 is a 401). Public clients report such
    /// answers from the live API; that their codes are HTTP statuses is our reading (the
    /// Swagger page documents 400, 402 and 404 as HTTP statuses, with the same object).
    pub fn status_meant(&self) -> u16 {
        let in_body = || {
            let code = u16::try_from(self.code.as_ref()?.number()?).ok()?;
            (400..600).contains(&code).then_some(code)
        };
        match self.form {
            ErrorForm::Rest if (200..300).contains(&self.http_status) => {
                in_body().unwrap_or(self.http_status)
            }
            _ => self.http_status,
        }
    }
}

impl fmt::Display for ApiError {
    /// One bounded line: `API error <code>: <message, or the code's meaning>`, then the members
    /// the table says the code carries (`url: …`), each cut short.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "API error {code}: ")?,
            None => write!(
                f,
                "API error (status {}): ",
                redact::one_line(self.status.as_deref().unwrap_or("none"), CODE_CHARS)
            )?,
        }
        match (&self.message, self.meaning()) {
            (Some(message), _) if !message.trim().is_empty() => {
                f.write_str(&redact::one_line(message, redact::CAUSE_CHARS))?
            }
            (_, Some(meaning)) => write!(f, "{} (the server sent no message)", clause(meaning))?,
            (_, None) => f.write_str("(the server sent no message)")?,
        }
        let carried: Vec<String> = self
            .code_meta()
            .map(|meta| meta.fields)
            .unwrap_or_default()
            .iter()
            .filter(|field| !matches!(field.path, "message" | "msg"))
            .filter_map(|field| {
                let value = self.field(field.path)?;
                let text = match &value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                Some(format!(
                    "{}: {}",
                    field.path,
                    redact::one_line(&text, FIELD_CHARS)
                ))
            })
            .collect();
        if !carried.is_empty() {
            write!(f, " [{}]", carried.join("; "))?;
        }
        Ok(())
    }
}

/// A sentence of the table as a clause of a line: no final period, no capital but in a word
/// that is all capitals (`API`).
fn clause(sentence: &str) -> String {
    let sentence = sentence.trim().trim_end_matches('.');
    let mut chars = sentence.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => first
            .to_lowercase()
            .chain(sentence.chars().skip(1))
            .collect(),
        _ => sentence.to_owned(),
    }
}

/// The text of a `code` member: a string trimmed, a number, or any other value's JSON; `null`
/// is none.
fn code_text(code: Option<&Value>) -> Option<String> {
    match code? {
        Value::Null => None,
        Value::String(text) => Some(text.trim().to_owned()),
        other => Some(other.to_string()),
    }
}

/// Removes `key` from `map` when `read` accepts its value.
fn take_if<T>(
    map: &mut Map<String, Value>,
    key: &str,
    read: impl Fn(&Value) -> Option<T>,
) -> Option<T> {
    let value = read(map.get(key)?)?;
    map.remove(key);
    Some(value)
}

/// The server's message: the first of `message`, `msg`, `error` that is a string, or an object
/// with a string `message` (which stays in the rest).
fn take_message(map: &mut Map<String, Value>) -> Option<String> {
    for key in ["message", "msg", "error"] {
        match map.get(key) {
            Some(Value::String(_)) => {
                return map.remove(key).and_then(|v| v.as_str().map(str::to_owned))
            }
            Some(Value::Object(inner)) => {
                if let Some(Value::String(text)) = inner.get("message") {
                    return Some(text.clone());
                }
            }
            _ => {}
        }
    }
    None
}

fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// A flag as the server writes them: `true`/`false`, `1`/`0`, `"1"`/`"0"`, `"true"`/`"false"`.
fn flag(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(flag) => Some(*flag),
        Value::Number(number) => match number.as_i64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        Value::String(text) => match text.trim() {
            "1" | "true" => Some(true),
            "0" | "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A table like the catalogue's, for the runtime's own tests.
#[cfg(test)]
pub(crate) mod test_table {
    use crate::meta::{ErrorCodeMeta, ErrorFieldMeta, ErrorSource};

    const fn entry(code: i64, name: &'static str, meaning: &'static str) -> ErrorCodeMeta {
        ErrorCodeMeta {
            code,
            name,
            meaning,
            fields: &[],
            unauthorized: false,
            retryable: false,
            fails_when_ok: false,
            source: ErrorSource::WebInbox,
        }
    }

    pub(crate) static TABLE: [ErrorCodeMeta; 7] = [
        ErrorCodeMeta {
            code: 1,
            name: "invalid_session",
            meaning: "the session is not valid: log in again",
            fields: &[ErrorFieldMeta {
                path: "forced",
                doc: "no way back",
            }],
            unauthorized: true,
            retryable: false,
            fails_when_ok: false,
            source: ErrorSource::WebInbox,
        },
        ErrorCodeMeta {
            code: 99,
            name: "redirect",
            meaning: "the app must go to another page",
            fields: &[
                ErrorFieldMeta {
                    path: "url",
                    doc: "where",
                },
                ErrorFieldMeta {
                    path: "new_window",
                    doc: "how",
                },
            ],
            unauthorized: false,
            retryable: false,
            fails_when_ok: true,
            source: ErrorSource::WebInbox,
        },
        entry(
            14,
            "bot_not_connected",
            "the bot is not connected to its channel",
        ),
        ErrorCodeMeta {
            unauthorized: true,
            ..entry(401, "login_refused", "the credentials were refused")
        },
        entry(403, "not_allowed", "the user may not do this"),
        ErrorCodeMeta {
            retryable: true,
            ..entry(429, "too_many_requests", "too many requests: wait")
        },
        ErrorCodeMeta {
            retryable: true,
            ..entry(503, "unavailable", "the server is unavailable for now")
        },
    ];
}

#[cfg(test)]
mod tests {
    use super::test_table::TABLE;
    use super::*;
    use serde_json::json;

    fn parse(answer: Value) -> Option<ApiError> {
        let token = SecretToken::new("tok-S");
        ApiError::from_answer(
            answer.as_object().expect("an object"),
            200,
            &TABLE,
            Some(&token),
            ResponseBody::default(),
        )
    }

    #[test]
    fn ok_is_a_success_unless_the_code_fails_even_then() {
        assert!(parse(json!({"status": "OK", "data": 1})).is_none());
        assert!(parse(json!({"status": "OK", "code": 1})).is_none());
        assert!(parse(json!({"data": 1})).is_none(), "not an envelope");
        let redirect =
            parse(json!({"status": "OK", "code": 99, "url": "https://x/y", "new_window": 1}))
                .expect("99 fails");
        assert_eq!(redirect.code_meta().map(|m| m.name), Some("redirect"));
        assert_eq!(
            (redirect.url(), redirect.new_window()),
            (Some("https://x/y"), Some(true))
        );
        assert_eq!(
            redirect.to_string(),
            "API error 99: the app must go to another page (the server sent no message) [url: https://x/y; new_window: true]"
        );
    }

    #[test]
    fn the_envelope_is_kept_whole_and_typed() {
        let error = parse(json!({
            "status": "ERROR", "code": "1", "forced": true, "subcode": "2",
            "msg": "see you", "data": {"ref": "r"}, "extra": [1]
        }))
        .expect("an error");
        assert!(matches!(error.code(), Some(ApiCode::Known(meta)) if meta.code == 1));
        assert!(error.is_unauthorized() && !error.is_retryable());
        assert_eq!(
            (error.forced(), error.subcode(), error.message()),
            (Some(true), Some(2), Some("see you"))
        );
        assert_eq!(error.field("data.ref"), Some(json!("r")));
        assert_eq!(error.rest().get("extra"), Some(&json!([1])));
        assert_eq!(error.field("extra"), Some(json!([1])));
        assert_eq!(error.status(), Some("ERROR"));
        let odd = parse(json!({"status": "ERROR", "code": [7], "new_window": "maybe"}))
            .expect("an error");
        assert_eq!(odd.code(), Some(&ApiCode::Unknown("[7]".into())));
        assert_eq!(odd.rest().get("new_window"), Some(&json!("maybe")));
    }

    #[test]
    fn every_member_is_redacted_and_display_is_bounded() {
        let huge = "x".repeat(100_000);
        let error = parse(json!({
            "status": "tok-S", "code": "tok-S", "message": format!("tok-S {huge}"),
            "url": "tok-S", "data": {"token": "other", "t": "tok-S"}, "tok-S": "tok-S"
        }))
        .expect("an error");
        let shown = format!("{error} {error:?}");
        assert!(
            !shown.contains("tok-S") && !shown.contains("other"),
            "leaked"
        );
        assert!(
            error.to_string().len() < 1024,
            "{}",
            error.to_string().len()
        );
        assert_eq!(error.code(), Some(&ApiCode::Unknown("***".into())));
    }

    #[test]
    fn a_public_api_error_sent_with_200_stands_for_its_code() {
        let rest = |error: Value, http_status| {
            ApiError::from_rest_answer(
                json!({ "error": error }).as_object().expect("an object"),
                "error",
                http_status,
                None,
                ResponseBody::default(),
            )
            .expect("an error")
        };
        let refused = rest(
            json!({"code": 401, "message": "No valid API key provided."}),
            200,
        );
        assert_eq!(refused.status_meant(), 401);
        assert!(refused.is_unauthorized() && !refused.is_retryable());
        let busy = rest(json!({"code": "429"}), 200);
        assert!(busy.is_retryable() && !busy.is_unauthorized());
        assert!(rest(json!({"code": 503}), 201).is_retryable());
        // A code that is no HTTP error status, or an HTTP error status of its own, stays as is.
        for (error, http_status, meant) in [
            (json!({"code": 7, "message": "bad field"}), 200, 200),
            (json!({"code": "invalid"}), 200, 200),
            (json!({"code": 70000}), 200, 200),
            (json!({"code": 401}), 404, 404),
            (json!({"code": 429}), 400, 400),
        ] {
            let error = rest(error, http_status);
            assert_eq!(error.status_meant(), meant, "{error:?}");
            assert!(
                !error.is_unauthorized() && !error.is_retryable(),
                "{error:?}"
            );
        }
        // The mobile API's envelope keeps its own table: its codes are not HTTP statuses.
        let envelope = parse(json!({"status": "ERROR", "code": 404})).expect("an error");
        assert_eq!(envelope.status_meant(), 200);
    }

    #[test]
    fn a_meaning_reads_as_a_clause() {
        assert_eq!(clause("The session ended."), "the session ended");
        assert_eq!(clause("API refused"), "API refused");
        assert_eq!(clause(""), "");
    }

    #[test]
    fn a_code_is_the_http_status_when_the_envelope_has_none() {
        let error = ApiError::from_answer(
            json!({"status": "ERROR"}).as_object().expect("an object"),
            503,
            &TABLE,
            None,
            ResponseBody::default(),
        )
        .expect("an error");
        assert_eq!(
            error.code().map(|c| c.as_text().into_owned()),
            Some("503".into())
        );
        assert!(error.is_retryable());
        let body = ResponseBody::new(b"a tok-S b".to_vec(), Some(SecretToken::new("tok-S")));
        assert_eq!(body.text(), "a *** b");
        assert_eq!(format!("{body:?}"), "ResponseBody(9 bytes)");
    }
}
