//! The one error type of the SDK.
//!
//! Every variant but [`Error::Config`] names the operation it comes from, and its `Display`
//! says the cause on one line of at most [`MAX_DISPLAY_BYTES`] bytes: causes, messages and
//! snippets are cut short (the whole answer stays available through [`Error::body`]). No
//! error's `Display` or `Debug` holds the session token: every string taken from an answer is
//! redacted before it is stored, and the body when it is read.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use crate::api_error::{ApiCode, ApiError, ResponseBody};
use crate::redact;

/// The most bytes of an error's `Display`: one line, whatever the server sent.
pub const MAX_DISPLAY_BYTES: usize = 1000;

/// Why a call failed.
///
/// Non-exhaustive: a later version may tell more causes apart, so a `match` needs a `_` arm.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered an error: a `status` other than `"OK"`, or a code the catalogue's
    /// table calls a failure even with `"OK"` (99). The envelope is kept whole and typed.
    Api {
        /// The operation that failed.
        operation: &'static str,
        /// The error the server answered.
        envelope: Box<ApiError>,
    },
    /// The server answered a non-2xx HTTP status without a JSON envelope.
    Http {
        /// The operation that failed.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The start of the body, secret-free.
        snippet: String,
        /// The whole body, redacted when read.
        body: ResponseBody,
    },
    /// A 2xx body that is not the envelope, or whose `data` does not match the response type.
    Decode {
        /// The operation that failed.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The start of the body, secret-free.
        snippet: String,
        /// What the decoder said.
        source: DecodeCause,
        /// The whole body, redacted when read.
        body: ResponseBody,
    },
    /// The request could not be sent or the response not received. `Display` gives the whole
    /// chain of causes on one line (`connection reset by peer`, `connection refused`, a DNS or
    /// TLS failure), not only the HTTP client's summary.
    Transport {
        /// The operation that failed.
        operation: &'static str,
        /// The HTTP client's error.
        source: reqwest::Error,
    },
    /// The call did not complete in time: which limit fired, and after how long.
    Timeout {
        /// The operation that failed.
        operation: &'static str,
        /// Which limit fired.
        limit: TimeoutLimit,
        /// The limit that expired.
        after: Duration,
        /// How many attempts were sent.
        attempts: u32,
    },
    /// A paged listing stopped before the server's data ended, and why.
    Paging {
        /// The operation listed.
        operation: &'static str,
        /// Why it stopped.
        stop: PagingStop,
    },
    /// The answer's body was larger than the client reads
    /// ([`ClientBuilder::max_answer_bytes`](crate::ClientBuilder::max_answer_bytes)): the call
    /// stopped reading it there.
    TooLarge {
        /// The operation that failed.
        operation: &'static str,
        /// The HTTP status of the answer.
        status: u16,
        /// The most bytes an answer may have.
        limit: u64,
    },
    /// A file to upload could not be read.
    Io {
        /// The operation that failed.
        operation: &'static str,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The client or the call is misconfigured (no base URL, no account id, ...). Nothing was sent.
    Config {
        /// What is wrong, naming the operation when there is one.
        message: String,
    },
}

impl fmt::Display for Error {
    /// One line of at most [`MAX_DISPLAY_BYTES`] bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = match self {
            Error::Api {
                operation,
                envelope,
            } => format!("{operation}: {envelope}"),
            Error::Http {
                operation,
                status,
                snippet,
                ..
            } => format!("{operation}: HTTP {status}: {snippet}"),
            Error::Decode {
                operation,
                status,
                snippet,
                source,
                ..
            } => format!(
                "{operation}: cannot decode the response (HTTP {status}): {source}; body: {snippet}"
            ),
            Error::Transport { operation, source } => {
                format!("{operation}: transport error: {}", cause_chain(source))
            }
            Error::Timeout {
                operation,
                limit,
                after,
                attempts,
            } => format!("{operation}: {}", timeout_text(*limit, *after, *attempts)),
            Error::Paging { operation, stop } => format!("{operation}: paging stopped: {stop}"),
            Error::TooLarge {
                operation,
                status,
                limit,
            } => format!(
                "{operation}: the answer (HTTP {status}) is larger than {limit} bytes, the most the client reads (see ClientBuilder::max_answer_bytes)"
            ),
            Error::Io { operation, source } => {
                format!("{operation}: cannot read the file to upload: {source}")
            }
            Error::Config { message } => message.clone(),
        };
        f.write_str(&bounded(&line))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode { source, .. } => Some(source),
            Error::Transport { source, .. } => Some(source),
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// `line` on one line of at most [`MAX_DISPLAY_BYTES`] bytes, cut on a character boundary.
fn bounded(line: &str) -> Cow<'_, str> {
    if line.len() <= MAX_DISPLAY_BYTES && !line.contains(char::is_control) {
        return Cow::Borrowed(line);
    }
    let line = redact::one_line(line, MAX_DISPLAY_BYTES);
    if line.len() <= MAX_DISPLAY_BYTES {
        return Cow::Owned(line);
    }
    // Wide characters: cut by bytes, on a character boundary, keeping room for the ellipsis.
    let mut end = MAX_DISPLAY_BYTES - '…'.len_utf8();
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}…", &line[..end]))
}

/// The limit a [`Error::Timeout`] hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutLimit {
    /// No connection within the connect timeout.
    Connect,
    /// One attempt got no whole answer within the timeout of an attempt.
    Attempt,
    /// The whole call (every attempt and the waits between them) passed its deadline.
    Deadline,
}

fn timeout_text(limit: TimeoutLimit, after: Duration, attempts: u32) -> String {
    let tries = if attempts == 1 {
        "1 attempt".to_owned()
    } else {
        format!("{attempts} attempts")
    };
    match limit {
        TimeoutLimit::Connect => format!("could not connect within {after:?} ({tries})"),
        TimeoutLimit::Attempt => {
            format!("no answer within the attempt timeout of {after:?} ({tries})")
        }
        TimeoutLimit::Deadline => format!("the call's deadline of {after:?} passed ({tries})"),
    }
}

/// Why paging stopped before the server's data ended (see [`Error::Paging`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PagingStop {
    /// The page at `offset` holds the same items as the one before it: the server seems to
    /// ignore the offset, and going on would never end.
    RepeatedPage {
        /// The offset of the repeated page.
        offset: u64,
    },
    /// The cap on the number of pages was reached.
    Cap {
        /// The cap.
        pages: u32,
    },
}

impl fmt::Display for PagingStop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PagingStop::RepeatedPage { offset } => write!(
                f,
                "the page at offset {offset} repeats the previous one (the server seems to ignore the offset)"
            ),
            PagingStop::Cap { pages } => write!(
                f,
                "{pages} pages were read, the cap (raise it with `max_pages`)"
            ),
        }
    }
}

/// What a decoder reported, redacted (see [`Error::Decode`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeCause {
    message: String,
}

impl DecodeCause {
    /// Wraps a decoder's message, redacted with the call's `secrets` and cut to one line of 300
    /// characters (its start and its end, where serde says the line and column).
    pub(crate) fn new(message: &str, secrets: &[&str]) -> Self {
        DecodeCause {
            message: redact::masked_line(message, secrets, redact::CAUSE_CHARS),
        }
    }

    /// The decoder's message (serde's, with line and column when it has them), redacted and
    /// cut short.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DecodeCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DecodeCause {}

/// An error and its causes on one line, each cause once: the HTTP client's summary ("error
/// sending request for url (...)") says little; the cause at the bottom ("connection reset by
/// peer") says what happened.
fn cause_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

impl Error {
    /// The operation the error comes from (`None` for [`Error::Config`]).
    pub fn operation(&self) -> Option<&str> {
        match self {
            Error::Api { operation, .. }
            | Error::Http { operation, .. }
            | Error::Decode { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Paging { operation, .. }
            | Error::TooLarge { operation, .. }
            | Error::Io { operation, .. } => Some(operation),
            Error::Config { .. } => None,
        }
    }

    /// The HTTP status of the answer, when there was one and the error carries it.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Http { status, .. }
            | Error::Decode { status, .. }
            | Error::TooLarge { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// The error the server answered, for [`Error::Api`].
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api { envelope, .. } => Some(envelope),
            _ => None,
        }
    }

    /// The API error's code, for [`Error::Api`].
    pub fn code(&self) -> Option<&ApiCode> {
        self.api().and_then(ApiError::code)
    }

    /// The API error's code as text (`"401"`), for [`Error::Api`].
    pub fn api_code(&self) -> Option<Cow<'_, str>> {
        self.code().map(ApiCode::as_text)
    }

    /// The whole body of the answer, for errors that had one ([`Error::Api`], [`Error::Http`],
    /// [`Error::Decode`]): as long as the server sent it, redacted when read.
    pub fn body(&self) -> Option<&ResponseBody> {
        match self {
            Error::Api { envelope, .. } => Some(envelope.body()),
            Error::Http { body, .. } | Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Whether trying again later may succeed: connect errors, connections closed or reset
    /// while the request or the answer was in flight, timeouts, HTTP 429 and 5xx, and API
    /// errors whose code the catalogue's table calls retryable (or whose answer was HTTP 429
    /// or 5xx).
    ///
    /// The runtime retries such errors by itself only for operations marked `retry_safe`.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { source, .. } => {
                source.is_connect()
                    || source.is_timeout()
                    || source.is_request()
                    || source.is_body()
            }
            // Retrying after the deadline passed would pass it further.
            Error::Timeout { limit, .. } => *limit != TimeoutLimit::Deadline,
            Error::Http { status, .. } => *status == 429 || (500..600).contains(status),
            Error::Api { envelope, .. } => envelope.is_retryable(),
            Error::Decode { .. }
            | Error::TooLarge { .. }
            | Error::Io { .. }
            | Error::Config { .. }
            | Error::Paging { .. } => false,
        }
    }

    /// Whether the server refused the credentials: HTTP 401/403 without an envelope, or an API
    /// error whose code the catalogue's table calls unauthorized (1: the session is not valid;
    /// 401) or whose answer was HTTP 401 or 403.
    pub fn is_unauthorized(&self) -> bool {
        match self {
            Error::Http { status, .. } | Error::Decode { status, .. } => {
                *status == 401 || *status == 403
            }
            Error::Api { envelope, .. } => envelope.is_unauthorized(),
            Error::Transport { source, .. } => source
                .status()
                .is_some_and(|s| s.as_u16() == 401 || s.as_u16() == 403),
            _ => false,
        }
    }

    /// [`Error::Config`].
    pub fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::api_error::test_table::TABLE;
    use serde_json::{json, Map, Value};

    fn api(code: Option<&str>, message: &str) -> Error {
        let mut answer = Map::new();
        answer.insert("status".into(), json!("ERROR"));
        if let Some(code) = code {
            answer.insert("code".into(), json!(code));
        }
        if !message.is_empty() {
            answer.insert("message".into(), json!(message));
        }
        let envelope = ApiError::from_answer(&answer, 200, &TABLE, None, ResponseBody::default())
            .expect("an error");
        Error::Api {
            operation: "get_order",
            envelope: Box::new(envelope),
        }
    }

    #[test]
    fn api_error_display_names_operation_code_and_message() {
        assert_eq!(
            api(Some("401"), "invalid token").to_string(),
            "get_order: API error 401: invalid token"
        );
        assert_eq!(
            api(None, "").to_string(),
            "get_order: API error (status ERROR): (the server sent no message)"
        );
        assert_eq!(
            api(Some("1"), "").to_string(),
            "get_order: API error 1: the session is not valid: log in again (the server sent no message)"
        );
        assert_eq!(
            api(Some("77"), "").to_string(),
            "get_order: API error 77: (the server sent no message)"
        );
    }

    #[test]
    fn classification() {
        assert!(api(Some("1"), "").is_unauthorized());
        assert!(!api(Some("14"), "").is_unauthorized());
        assert!(api(Some("401"), "x").is_unauthorized());
        assert!(
            !api(Some("403"), "x").is_unauthorized(),
            "not allowed is not logged out"
        );
        assert!(!api(Some("404"), "x").is_unauthorized());
        assert!(api(Some("429"), "x").is_retryable());
        assert!(api(Some("503"), "x").is_retryable());
        assert!(!api(Some("500"), "x").is_retryable());
        let http = |status| Error::Http {
            operation: "op",
            status,
            snippet: String::new(),
            body: ResponseBody::default(),
        };
        assert!(http(502).is_retryable() && http(429).is_retryable());
        assert!(!http(404).is_retryable() && !http(401).is_retryable());
        assert!(http(401).is_unauthorized() && http(403).is_unauthorized());
        let timeout = |limit| Error::Timeout {
            operation: "op",
            limit,
            after: Duration::from_secs(1),
            attempts: 1,
        };
        assert!(timeout(TimeoutLimit::Attempt).is_retryable());
        assert!(timeout(TimeoutLimit::Connect).is_retryable());
        assert!(!timeout(TimeoutLimit::Deadline).is_retryable());
        let config = Error::config("no base URL");
        assert!(!config.is_retryable() && !config.is_unauthorized());
        assert_eq!(config.operation(), None);
        assert_eq!(http(502).operation(), Some("op"));
        assert_eq!(http(502).http_status(), Some(502));
    }

    #[test]
    fn a_cause_chain_is_one_line_without_repeats() {
        #[derive(Debug)]
        struct Layer(&'static str, Option<Box<Layer>>);
        impl fmt::Display for Layer {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0)
            }
        }
        impl std::error::Error for Layer {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                self.1
                    .as_deref()
                    .map(|l| l as &(dyn std::error::Error + 'static))
            }
        }
        let error = Layer(
            "error sending request",
            Some(Box::new(Layer(
                "client error (SendRequest)",
                Some(Box::new(Layer(
                    "connection reset by peer",
                    Some(Box::new(Layer("reset by peer", None))),
                ))),
            ))),
        );
        assert_eq!(
            cause_chain(&error),
            "error sending request: client error (SendRequest): connection reset by peer"
        );
    }

    #[test]
    fn decode_and_timeout_display() {
        let e = Error::Decode {
            operation: "list_tags",
            status: 200,
            snippet: "<html>".into(),
            source: DecodeCause::new("expected value at line 1 column 1", &[]),
            body: ResponseBody::default(),
        };
        assert_eq!(
            e.to_string(),
            "list_tags: cannot decode the response (HTTP 200): expected value at line 1 column 1; body: <html>"
        );
        let t = Error::Timeout {
            operation: "get_order",
            limit: TimeoutLimit::Attempt,
            after: Duration::from_millis(250),
            attempts: 1,
        };
        assert_eq!(
            t.to_string(),
            "get_order: no answer within the attempt timeout of 250ms (1 attempt)"
        );
        let d = Error::Timeout {
            operation: "list_orders",
            limit: TimeoutLimit::Deadline,
            after: Duration::from_secs(2),
            attempts: 3,
        };
        assert_eq!(
            d.to_string(),
            "list_orders: the call's deadline of 2s passed (3 attempts)"
        );
        let p = Error::Paging {
            operation: "list_conversations",
            stop: PagingStop::RepeatedPage { offset: 50 },
        };
        assert!(p
            .to_string()
            .starts_with("list_conversations: paging stopped: the page at offset 50 repeats"));
    }

    #[test]
    fn every_display_is_one_bounded_line() {
        let huge = format!(
            "invalid type: string \"{}\", expected u64 at line 1 column 9",
            "é".repeat(2_000_000)
        );
        let decode = Error::Decode {
            operation: "get_order",
            status: 200,
            snippet: String::new(),
            source: DecodeCause::new(&huge, &[]),
            body: ResponseBody::default(),
        };
        let line = decode.to_string();
        assert!(line.len() <= MAX_DISPLAY_BYTES, "{}", line.len());
        assert!(line.ends_with("column 9; body: "), "{line}");
        let config = Error::config(format!("bad\n{}", "ü".repeat(5000)));
        let line = config.to_string();
        assert!(line.len() <= MAX_DISPLAY_BYTES && !line.contains('\n'));
        assert!(line.ends_with('…'), "{line}");
        let value: Value = json!(1);
        assert_eq!(bounded(&value.to_string()), "1");
    }
}
