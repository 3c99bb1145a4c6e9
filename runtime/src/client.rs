//! Client configuration and the shared handle every generated client wraps.

use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::error::Error;
use crate::hooks::Hook;
use crate::meta::ErrorCodeMeta;
use crate::retry::{Jitter, RetryPolicy};
use crate::secret::{SecretToken, Secrets};

/// The member of a public API answer that carries its error, unless the builder names
/// another ([`ClientBuilder::rest_error_member`]).
pub const DEFAULT_REST_ERROR_MEMBER: &str = "error";

/// The `User-Agent` the API expects from the mobile app.
pub const DEFAULT_USER_AGENT: &str = "mobile-app";
/// The default timeout of one attempt.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default deadline of a whole call: every attempt and the waits between them.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);
/// The default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default largest answer body the client reads (64 MiB): a page of the largest lists is a
/// few hundred KiB.
pub const DEFAULT_MAX_ANSWER_BYTES: u64 = 64 << 20;

/// Per-call settings that override the client's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// The account of account-scoped operations (over the client's default; a request's own
    /// `account_id` wins over both).
    pub account_id: Option<u64>,
    /// The timeout of each attempt (over the client's).
    pub timeout: Option<Duration>,
    /// The deadline of the whole call, retries included (over the client's).
    pub deadline: Option<Duration>,
    /// The retry policy (over the client's).
    pub retry: Option<RetryPolicy>,
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// These options with an account id.
    pub fn with_account_id(mut self, account_id: u64) -> Self {
        self.account_id = Some(account_id);
        self
    }

    /// These options with a timeout per attempt.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// These options with a deadline for the whole call.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// These options with a retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }
}

/// Builds a client `C` (the generated `Client`, or a bare [`Handle`]).
///
/// ```no_run
/// # fn main() -> Result<(), chatrace_runtime::Error> {
/// use chatrace_runtime::{ClientBuilder, Handle};
/// let handle: Handle = ClientBuilder::new()
///     .base_url("https://api.example.com/mobile")
///     .token("session-token")
///     .account_id(1_000_001)
///     .build()?;
/// # Ok(()) }
/// ```
pub struct ClientBuilder<C> {
    config: Config,
    _product: PhantomData<fn() -> C>,
}

/// What the builder collected (not generic, so the work is compiled once).
#[derive(Default)]
struct Config {
    base_url: Option<String>,
    token: Option<SecretToken>,
    account_id: Option<u64>,
    user_agent: Option<String>,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_answer_bytes: Option<u64>,
    retry: Option<RetryPolicy>,
    http_client: Option<reqwest::Client>,
    hooks: Vec<Arc<dyn Hook>>,
    error_codes: &'static [ErrorCodeMeta],
    rest_error: Option<&'static str>,
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            config: Config::default(),
            _product: PhantomData,
        }
    }
}

impl<C> ClientBuilder<C> {
    /// A builder with nothing set.
    pub fn new() -> Self {
        ClientBuilder::default()
    }

    /// The API URL (`{{api_url}}` in the vendor's docs); required.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.config.base_url = Some(url.into());
        self
    }

    /// A session token to start with (otherwise a login operation sets one).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.config.token = Some(SecretToken::new(token));
        self
    }

    /// The account's API token, for the public API (made in the account's settings; a secret
    /// that opens the account). It is sent as the session token is, in `X-ACCESS-TOKEN`, and
    /// never shown by `Debug`, `Display` or traces.
    pub fn api_token(self, token: impl Into<String>) -> Self {
        self.token(token)
    }

    /// The default account of account-scoped operations.
    pub fn account_id(mut self, account_id: u64) -> Self {
        self.config.account_id = Some(account_id);
        self
    }

    /// The `User-Agent` header (default `mobile-app`, which the API expects).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.config.user_agent = Some(user_agent.into());
        self
    }

    /// The timeout of each attempt, from connecting to the end of the body (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = Some(timeout);
        self
    }

    /// The deadline of a whole call: every attempt and every wait between retries (default
    /// 60 s). An attempt gets the attempt timeout or what is left of the deadline, whichever is
    /// shorter, and no retry starts that the deadline would cut short.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.config.deadline = Some(deadline);
        self
    }

    /// The connect timeout (default 10 s). Ignored with [`ClientBuilder::http_client`], whose
    /// own setting applies.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = Some(timeout);
        self
    }

    /// The largest answer body the client reads (default [`DEFAULT_MAX_ANSWER_BYTES`]): past
    /// it, the call stops reading and fails with [`Error::TooLarge`], rather than hold all of a
    /// runaway answer in memory.
    pub fn max_answer_bytes(mut self, bytes: u64) -> Self {
        self.config.max_answer_bytes = Some(bytes);
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.config.retry = Some(retry);
        self
    }

    /// Uses this HTTP client (and its connection pool, proxy and TLS settings).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.config.http_client = Some(client);
        self
    }

    /// The catalogue's table of API error codes, which classifies the errors the server
    /// answers ([`Error::is_unauthorized`], [`Error::is_retryable`], code 99's failure despite
    /// `"OK"`). The generated `Client::builder()` sets it; a bare [`Handle`] has none, and then
    /// only HTTP statuses classify.
    pub fn error_codes(mut self, table: &'static [ErrorCodeMeta]) -> Self {
        self.config.error_codes = table;
        self
    }

    /// The member of a public API answer object that carries its error (`error`, the
    /// catalogue's `public_api.error.at`): an answer with it is an [`Error::Api`] whatever its
    /// HTTP status. Without it, `error` is read.
    pub fn rest_error_member(mut self, member: &'static str) -> Self {
        self.config.rest_error = Some(member);
        self
    }

    /// Adds a hook that runs around every call (see [`Hook`]); hooks run in the order added.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.config.hooks.push(Arc::new(hook));
        self
    }
}

impl<C: From<Handle>> ClientBuilder<C> {
    /// Builds the client. Fails with [`Error::Config`] when the base URL is missing or does not
    /// parse, or a header value (token, user agent) is not valid in HTTP.
    pub fn build(self) -> Result<C, Error> {
        self.config.build().map(C::from)
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.config;
        f.debug_struct("ClientBuilder")
            .field("base_url", &c.base_url)
            .field("token", &c.token)
            .field("account_id", &c.account_id)
            .field("user_agent", &c.user_agent)
            .field("timeout", &c.timeout)
            .field("deadline", &c.deadline)
            .field("connect_timeout", &c.connect_timeout)
            .field("max_answer_bytes", &c.max_answer_bytes)
            .field("retry", &c.retry)
            .field("http_client", &c.http_client.is_some())
            .field("hooks", &c.hooks.len())
            .field("error_codes", &c.error_codes.len())
            .finish()
    }
}

impl Config {
    fn build(self) -> Result<Handle, Error> {
        let base_url = self.base_url.ok_or_else(|| {
            Error::config("the base URL is missing: set it with ClientBuilder::base_url")
        })?;
        let url = reqwest::Url::parse(&base_url).map_err(|e| {
            Error::config(format!("the base URL `{base_url}` is not a valid URL: {e}"))
        })?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(Error::config(format!(
                "the base URL `{base_url}` is not an http(s) URL"
            )));
        }
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent).map_err(|_| {
            Error::config(format!(
                "the user agent `{user_agent}` is not a valid HTTP header value"
            ))
        })?;
        let session = self.token.map(Session::new).transpose()?;
        let (http, connect_timeout) = match self.http_client {
            Some(client) => (client, None),
            None => {
                let timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
                let client = reqwest::Client::builder()
                    .connect_timeout(timeout)
                    .build()
                    .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))?;
                (client, Some(timeout))
            }
        };
        Ok(Handle {
            inner: Arc::new(Inner {
                http,
                url,
                base_url,
                user_agent,
                default_account_id: self.account_id,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                deadline: self.deadline.unwrap_or(DEFAULT_DEADLINE),
                connect_timeout,
                max_answer_bytes: self.max_answer_bytes.unwrap_or(DEFAULT_MAX_ANSWER_BYTES),
                retry: self.retry.unwrap_or_default(),
                session: RwLock::new(session),
                jitter: Jitter::new(),
                hooks: self.hooks,
                error_codes: self.error_codes,
                rest_error: self.rest_error.unwrap_or(DEFAULT_REST_ERROR_MEMBER),
            }),
        })
    }
}

/// The runtime side of a client: configuration, connection pool and session, shared by clones.
///
/// Cloning is cheap (one `Arc`); every clone sees the same session token.
#[derive(Clone)]
pub struct Handle {
    pub(crate) inner: Arc<Inner>,
}

/// What every clone of a [`Handle`] shares.
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) url: reqwest::Url,
    pub(crate) base_url: String,
    pub(crate) user_agent: HeaderValue,
    pub(crate) default_account_id: Option<u64>,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Duration,
    /// `None` when the HTTP client was given (its own connect timeout is unknown).
    pub(crate) connect_timeout: Option<Duration>,
    /// The largest answer body read.
    pub(crate) max_answer_bytes: u64,
    pub(crate) retry: RetryPolicy,
    pub(crate) session: RwLock<Option<Session>>,
    pub(crate) jitter: Jitter,
    pub(crate) hooks: Vec<Arc<dyn Hook>>,
    /// The catalogue's table of API error codes.
    pub(crate) error_codes: &'static [ErrorCodeMeta],
    /// The member of a public API answer that carries its error.
    pub(crate) rest_error: &'static str,
}

impl Inner {
    /// The session, cloned out of the lock (cheap: two reference counts).
    pub(crate) fn current_session(&self) -> Option<Session> {
        self.session
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Replaces the session token.
    pub(crate) fn set_session(&self, token: &str) -> Result<(), Error> {
        let session = Session::new(SecretToken::new(token))?;
        *self.session.write().unwrap_or_else(PoisonError::into_inner) = Some(session);
        Ok(())
    }
}

/// The session token, its ready-made header value, and what its calls' errors mask.
#[derive(Clone)]
pub(crate) struct Session {
    pub(crate) token: SecretToken,
    pub(crate) header: HeaderValue,
    pub(crate) secrets: Secrets,
}

impl Session {
    fn new(token: SecretToken) -> Result<Self, Error> {
        let mut header = HeaderValue::from_str(token.expose())
            .map_err(|_| Error::config("the token is not a valid HTTP header value (a line break or another control character)"))?;
        header.set_sensitive(true);
        let secrets = Secrets::new(std::slice::from_ref(&token));
        Ok(Session {
            token,
            header,
            secrets,
        })
    }
}

impl Handle {
    /// A builder of bare handles (same as `ClientBuilder::<Handle>::new()`).
    pub fn builder() -> ClientBuilder<Handle> {
        ClientBuilder::new()
    }

    /// The catalogue's table of API error codes this handle reads errors with (see
    /// [`ClientBuilder::error_codes`]).
    pub fn error_codes(&self) -> &'static [ErrorCodeMeta] {
        self.inner.error_codes
    }

    /// The current session token.
    pub fn token(&self) -> Option<SecretToken> {
        self.session().map(|s| s.token)
    }

    /// Sets the session token. A token that is not a valid HTTP header value (a line break, say)
    /// is rejected with a warning and the previous token is kept; use [`Handle::try_set_token`]
    /// to get the error.
    pub fn set_token(&self, token: impl Into<String>) {
        if let Err(e) = self.try_set_token(token) {
            tracing::warn!(error = %e, "session token not set");
        }
    }

    /// Sets the session token, or fails with [`Error::Config`] when it is not a valid HTTP
    /// header value.
    pub fn try_set_token(&self, token: impl Into<String>) -> Result<(), Error> {
        self.inner.set_session(&token.into())
    }

    /// Forgets the session token.
    pub fn clear_token(&self) {
        *self
            .inner
            .session
            .write()
            .unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// The default account of account-scoped operations.
    pub fn default_account_id(&self) -> Option<u64> {
        self.inner.default_account_id
    }

    /// The API URL.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The session, cloned out of the lock (cheap: two reference counts).
    pub(crate) fn session(&self) -> Option<Session> {
        self.inner.current_session()
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Handle")
            .field("base_url", &inner.base_url)
            .field("default_account_id", &inner.default_account_id)
            .field("token", &self.token())
            .field("user_agent", &inner.user_agent)
            .field("timeout", &inner.timeout)
            .field("deadline", &inner.deadline)
            .field("connect_timeout", &inner.connect_timeout)
            .field("retry", &inner.retry)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(b: ClientBuilder<Handle>) -> Result<Handle, String> {
        b.build().map_err(|e| e.to_string())
    }

    #[test]
    fn base_url_is_required_and_must_parse() {
        let missing = build(Handle::builder()).unwrap_err();
        assert!(missing.contains("base URL is missing"), "{missing}");
        let bad = build(Handle::builder().base_url("not a url")).unwrap_err();
        assert!(bad.contains("not a valid URL"), "{bad}");
        let ftp = build(Handle::builder().base_url("ftp://x.example")).unwrap_err();
        assert!(ftp.contains("http(s)"), "{ftp}");
    }

    #[test]
    fn defaults_and_accessors() {
        let h = build(
            Handle::builder()
                .base_url("http://127.0.0.1:9/api")
                .account_id(5),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(h.base_url(), "http://127.0.0.1:9/api");
        assert_eq!(h.default_account_id(), Some(5));
        assert_eq!(h.inner.timeout, DEFAULT_TIMEOUT);
        assert_eq!(h.inner.connect_timeout, Some(DEFAULT_CONNECT_TIMEOUT));
        assert_eq!(h.inner.user_agent, "mobile-app");
        assert!(h.token().is_none());
        h.set_token("abc");
        assert_eq!(h.token().map(|t| t.expose().to_owned()), Some("abc".into()));
        h.set_token("bad\ntoken");
        assert_eq!(h.token().map(|t| t.expose().to_owned()), Some("abc".into()));
        assert!(h.try_set_token("bad\r\n").is_err());
        h.clone().clear_token();
        assert!(h.token().is_none(), "clones share the session");
    }

    #[test]
    fn debug_redacts_the_token() {
        let b = Handle::builder()
            .base_url("http://127.0.0.1:9")
            .token("very-secret-token");
        let debug = format!("{b:?}");
        assert!(
            !debug.contains("very-secret-token") && debug.contains("***"),
            "{debug}"
        );
        let h = build(b).unwrap_or_else(|e| panic!("{e}"));
        let debug = format!("{h:?}");
        assert!(
            !debug.contains("very-secret-token") && debug.contains("***"),
            "{debug}"
        );
    }

    #[test]
    fn invalid_header_values_are_config_errors() {
        let e = build(Handle::builder().base_url("http://h").user_agent("a\nb")).unwrap_err();
        assert!(e.contains("user agent"), "{e}");
        let e = build(Handle::builder().base_url("http://h").token("x\ny")).unwrap_err();
        assert!(e.contains("token") && !e.contains("x\ny"), "{e}");
    }
}
