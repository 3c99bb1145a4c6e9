//! The one error type of the SDK.
//!
//! Every variant but [`Error::Config`] names the operation it comes from, and its `Display`
//! says the cause. No error's `Display` or `Debug` holds the session token: body snippets and
//! server messages are redacted before they are stored.

use std::fmt;
use std::time::Duration;

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server answered with a `status` other than `"OK"`.
    #[error("{operation}: API error {}: {}", api_code_text(.status, .code.as_deref()), message_text(.message))]
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
    /// The request could not be sent or the response not received.
    #[error("{operation}: transport error: {source}")]
    Transport {
        /// The operation that failed.
        operation: &'static str,
        /// The HTTP client's error.
        source: reqwest::Error,
    },
    /// The call did not complete within its timeout.
    #[error("{operation}: timed out after {after:?}")]
    Timeout {
        /// The operation that failed.
        operation: &'static str,
        /// The timeout that expired.
        after: Duration,
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

fn api_code_text(status: &str, code: Option<&str>) -> String {
    match code {
        Some(code) => code.to_owned(),
        None => format!("(status {status})"),
    }
}

fn message_text(message: &str) -> &str {
    if message.is_empty() {
        "(no message)"
    } else {
        message
    }
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
            Error::Timeout { .. } => true,
            Error::Http { status, .. } => *status == 429 || (500..600).contains(status),
            Error::Api { code, .. } => matches!(code.as_deref(), Some("429" | "503")),
            Error::Decode { .. } | Error::Io { .. } | Error::Config { .. } => false,
        }
    }

    /// Whether the server refused the credentials: HTTP 401/403, or API code 401/403.
    pub fn is_unauthorized(&self) -> bool {
        match self {
            Error::Http { status, .. } | Error::Decode { status, .. } => {
                *status == 401 || *status == 403
            }
            Error::Api { code, .. } => matches!(code.as_deref(), Some("401" | "403")),
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
            "get_order: API error (status ERROR): (no message)"
        );
    }

    #[test]
    fn classification() {
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
        assert!(Error::Timeout {
            operation: "op",
            after: Duration::from_secs(1)
        }
        .is_retryable());
        let config = Error::config("no base URL");
        assert!(!config.is_retryable() && !config.is_unauthorized());
        assert_eq!(config.operation(), None);
        assert_eq!(http(502).operation(), Some("op"));
        assert_eq!(http(502).http_status(), Some(502));
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
            after: Duration::from_millis(250),
        };
        assert_eq!(t.to_string(), "get_order: timed out after 250ms");
    }
}
