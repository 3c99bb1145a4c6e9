//! The one error type of the SDK.
//!
//! Every variant but [`Error::Config`] names the operation it comes from, and its `Display`
//! says the cause. No error's `Display` or `Debug` holds the session token: body snippets and
//! server messages are redacted before they are stored.

use std::fmt;
use std::time::Duration;

/// Why a call failed.
///
/// Non-exhaustive: a later version may tell more causes apart, so a `match` needs a `_` arm.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a `status` other than `"OK"`.
    #[error("{operation}: API error {}: {}", api_code_text(.status, .code.as_deref()), message_text(.code.as_deref(), .message))]
    Api {
        /// The operation that failed.
        operation: &'static str,
        /// The envelope's `status` (`"ERROR"`).
        status: String,
        /// The envelope's `code`, as text (`"401"`); when the envelope has none and the HTTP
        /// status is not 2xx, the HTTP status.
        code: Option<String>,
        /// The envelope's `message` (or `error`, or `msg`), redacted; empty when absent.
        message: String,
    },
    /// The server answered a non-2xx HTTP status without a JSON envelope.
    #[error("{operation}: HTTP {status}: {snippet}")]
    Http {
        /// The operation that failed.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The start of the body, secret-free.
        snippet: String,
    },
    /// A 2xx body that is not the envelope, or whose `data` does not match the response type.
    #[error("{operation}: cannot decode the response (HTTP {status}): {source}; body: {snippet}")]
    Decode {
        /// The operation that failed.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The start of the body, secret-free.
        snippet: String,
        /// What the decoder said.
        source: DecodeCause,
    },
    /// The request could not be sent or the response not received. `Display` gives the whole
    /// chain of causes on one line (`connection reset by peer`, `connection refused`, a DNS or
    /// TLS failure), not only the HTTP client's summary.
    #[error("{operation}: transport error: {}", cause_chain(.source))]
    Transport {
        /// The operation that failed.
        operation: &'static str,
        /// The HTTP client's error.
        source: reqwest::Error,
    },
    /// The call did not complete in time: which limit fired, and after how long.
    #[error("{operation}: {}", timeout_text(*.limit, *.after, *.attempts))]
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
    #[error("{operation}: paging stopped: {stop}")]
    Paging {
        /// The operation listed.
        operation: &'static str,
        /// Why it stopped.
        stop: PagingStop,
    },
    /// A file to upload could not be read.
    #[error("{operation}: cannot read the file to upload: {source}")]
    Io {
        /// The operation that failed.
        operation: &'static str,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The client or the call is misconfigured (no base URL, no account id, ...). Nothing was sent.
    #[error("{message}")]
    Config {
        /// What is wrong, naming the operation when there is one.
        message: String,
    },
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
    /// Wraps a decoder's message (already redacted).
    pub(crate) fn new(message: impl Into<String>) -> Self {
        DecodeCause {
            message: message.into(),
        }
    }

    /// The decoder's message (serde's, with line and column when it has them).
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

fn api_code_text(status: &str, code: Option<&str>) -> String {
    match code {
        Some(code) => code.to_owned(),
        None => format!("(status {status})"),
    }
}

fn message_text(code: Option<&str>, message: &str) -> String {
    match (message.is_empty(), code.and_then(api_code_meaning)) {
        (false, _) => message.to_owned(),
        (true, Some(meaning)) => format!("{meaning} (the server sent no message)"),
        (true, None) => "(the server sent no message)".to_owned(),
    }
}

/// What an API error code means, for the codes the vendor's own apps handle. The server
/// usually answers `{"status":"ERROR","code":N}` with no message, so this is often all an error
/// can say.
pub fn api_code_meaning(code: &str) -> Option<&'static str> {
    Some(match code {
        "1" => "the session is not valid: log in again",
        "2" => "the request was refused",
        "4" => "the server could not complete the request",
        "14" => "the bot is not connected to its channel",
        "98" => "the server refused the request with a message for the user",
        "99" => "the server asks the app to reload",
        "401" => "the credentials were refused",
        "403" => "the user may not do this",
        _ => return None,
    })
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
            | Error::Io { operation, .. } => Some(operation),
            Error::Config { .. } => None,
        }
    }

    /// The HTTP status of the answer, when there was one and the error carries it.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Http { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// The API error code (`"401"`), for [`Error::Api`].
    pub fn api_code(&self) -> Option<&str> {
        match self {
            Error::Api { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// Whether trying again later may succeed: connect errors, connections closed or reset
    /// while the request or the answer was in flight, timeouts, HTTP 429 and 5xx, API codes
    /// 429 and 503.
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
            Error::Api { code, .. } => matches!(code.as_deref(), Some("429" | "503")),
            Error::Decode { .. }
            | Error::Io { .. }
            | Error::Config { .. }
            | Error::Paging { .. } => false,
        }
    }

    /// Whether the server refused the credentials: API code 1 (the session is not valid), HTTP
    /// 401/403, or API code 401/403.
    pub fn is_unauthorized(&self) -> bool {
        match self {
            Error::Http { status, .. } | Error::Decode { status, .. } => {
                *status == 401 || *status == 403
            }
            Error::Api { code, .. } => matches!(code.as_deref(), Some("1" | "401" | "403")),
            Error::Transport { source, .. } => source
                .status()
                .is_some_and(|s| s.as_u16() == 401 || s.as_u16() == 403),
            _ => false,
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: Option<&str>, message: &str) -> Error {
        Error::Api {
            operation: "get_order",
            status: "ERROR".into(),
            code: code.map(str::to_owned),
            message: message.into(),
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
        assert!(api(Some("403"), "x").is_unauthorized());
        assert!(!api(Some("404"), "x").is_unauthorized());
        assert!(api(Some("429"), "x").is_retryable());
        assert!(api(Some("503"), "x").is_retryable());
        assert!(!api(Some("500"), "x").is_retryable());
        let http = |status| Error::Http {
            operation: "op",
            status,
            snippet: String::new(),
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
            source: DecodeCause::new("expected value at line 1 column 1"),
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
}
