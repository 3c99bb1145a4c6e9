//! Hooks: code of the user's that runs around every call, without forking the runtime.
//!
//! A [`Hook`] sees each attempt before it is sent (and may add headers), each answer (its
//! status and how long it took), and the error a call ends with, which it may recover from by
//! giving a new session token: the call is then sent once more with it.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::Error;
use crate::meta::OperationMeta;

/// A future a hook returns, boxed so that hooks can be stored as trait objects.
pub type HookFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Code that runs around every call of a client. Every method has a default that does nothing,
/// so a hook implements only what it needs. Hooks run in the order they were added.
///
/// ```
/// use chatrace_runtime::{AnswerContext, Hook};
/// use std::sync::atomic::{AtomicU64, Ordering};
///
/// /// Counts the answers of every call.
/// #[derive(Default)]
/// struct CountAnswers(AtomicU64);
///
/// impl Hook for CountAnswers {
///     fn after_answer(&self, _answer: &AnswerContext) {
///         self.0.fetch_add(1, Ordering::Relaxed);
///     }
/// }
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Runs before each attempt is sent; may add or replace headers.
    fn before_send(&self, _request: &mut RequestContext<'_>) {}

    /// Runs for each HTTP answer, whatever its status, before it is decoded.
    fn after_answer(&self, _answer: &AnswerContext) {}

    /// Runs when a call fails for good (after its retries). Answering
    /// [`Recovery::RetryWithToken`] to an unauthorized error (the server refused the session,
    /// so it did nothing) stores that token in the client and sends the call once more; for any
    /// other error the answer is ignored, since the server may have acted.
    fn on_error<'a>(
        &'a self,
        _error: &'a Error,
        _call: &'a CallContext,
    ) -> HookFuture<'a, Recovery> {
        Box::pin(async { Recovery::Fail })
    }
}

/// What [`Hook::on_error`] decides.
#[derive(Clone, PartialEq, Eq)]
pub enum Recovery {
    /// Return the error to the caller.
    Fail,
    /// Store this session token and send the call once more (unauthorized errors only).
    RetryWithToken(String),
}

impl std::fmt::Debug for Recovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Recovery::Fail => f.write_str("Fail"),
            Recovery::RetryWithToken(_) => f.write_str("RetryWithToken(***)"),
        }
    }
}

/// A call as [`Hook::on_error`] sees it.
#[derive(Debug, Clone)]
pub struct CallContext {
    /// The operation called.
    pub operation: &'static OperationMeta,
    /// How many attempts were sent.
    pub attempts: u32,
    /// How long the call took.
    pub elapsed: Duration,
}

/// An attempt about to be sent, as [`Hook::before_send`] sees it.
#[derive(Debug)]
pub struct RequestContext<'a> {
    /// The operation called.
    pub operation: &'static OperationMeta,
    /// The attempt, from 1.
    pub attempt: u32,
    pub(crate) headers: &'a mut HeaderMap,
}

impl RequestContext<'_> {
    /// Adds a header to this attempt, replacing one of the same name. The session token
    /// header (`X-ACCESS-TOKEN`) is marked sensitive either way.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the name or the value is not valid in HTTP.
    pub fn insert_header(&mut self, name: &str, value: &str) -> Result<(), Error> {
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            Error::config(format!(
                "{}: a hook's header name `{name}` is not valid",
                self.operation.name
            ))
        })?;
        let mut value = HeaderValue::from_str(value).map_err(|_| {
            Error::config(format!(
                "{}: a hook's value for header `{name}` is not valid",
                self.operation.name
            ))
        })?;
        if header == crate::secret::X_ACCESS_TOKEN {
            value.set_sensitive(true);
        }
        self.headers.insert(header, value);
        Ok(())
    }

    /// The headers of the attempt so far (the token's value is not shown by `Debug`).
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }
}

/// An HTTP answer, as [`Hook::after_answer`] sees it.
#[derive(Debug, Clone)]
pub struct AnswerContext {
    /// The operation called.
    pub operation: &'static OperationMeta,
    /// The attempt, from 1.
    pub attempt: u32,
    /// The HTTP status.
    pub status: u16,
    /// How long the attempt took, from sending to the end of the answer's body.
    pub elapsed: Duration,
}
