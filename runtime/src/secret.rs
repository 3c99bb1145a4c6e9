//! The session token, kept out of logs and error messages, and the header that carries it.

use std::fmt;
use std::sync::Arc;

use reqwest::header::HeaderName;

/// The header carrying the session token (and the public API's token).
pub(crate) const X_ACCESS_TOKEN: HeaderName = HeaderName::from_static("x-access-token");

/// A session token: its `Debug` and `Display` print `SecretToken(***)`.
///
/// Cloning is cheap (the text is shared). Call [`SecretToken::expose`] to read it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(Arc<str>);

impl SecretToken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        SecretToken(Arc::from(token.into()))
    }

    /// The token itself. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretToken(***)")
    }
}

impl fmt::Display for SecretToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretToken(***)")
    }
}

/// What a call's errors and kept bodies must not show: the session token and the values of the
/// request's secret params (an email's code, a sign-in's id token), each masked where it
/// appears. Cloning is cheap (the list is shared): a session keeps its own, which a call with
/// no secret param uses as it is.
#[derive(Clone, Default)]
pub(crate) struct Secrets(Option<Arc<[SecretToken]>>);

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secrets({} masked)", self.texts().len())
    }
}

impl Secrets {
    /// These secrets.
    pub(crate) fn new(secrets: &[SecretToken]) -> Self {
        Secrets((!secrets.is_empty()).then(|| Arc::from(secrets)))
    }

    /// These secrets and `more` (these themselves when there are no more).
    pub(crate) fn with(&self, more: &[SecretToken]) -> Self {
        if more.is_empty() {
            return self.clone();
        }
        let all: Vec<SecretToken> = self.iter().chain(more).cloned().collect();
        Secrets::new(&all)
    }

    fn iter(&self) -> impl Iterator<Item = &SecretToken> {
        self.0.iter().flat_map(|secrets| secrets.iter())
    }

    /// Their texts, the empty ones left out, for the redaction functions.
    pub(crate) fn texts(&self) -> Vec<&str> {
        self.iter()
            .map(SecretToken::expose)
            .filter(|text| !text.is_empty())
            .collect()
    }
}

impl From<Option<SecretToken>> for Secrets {
    fn from(token: Option<SecretToken>) -> Self {
        Secrets::new(token.as_slice())
    }
}

impl From<String> for SecretToken {
    fn from(token: String) -> Self {
        SecretToken::new(token)
    }
}

impl From<&str> for SecretToken {
    fn from(token: &str) -> Self {
        SecretToken::new(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_token() {
        let token = SecretToken::new("s3cr3t-value");
        assert_eq!(format!("{token:?}"), "SecretToken(***)");
        assert_eq!(format!("{token}"), "SecretToken(***)");
        assert_eq!(
            format!("{:?}", Some(token.clone())),
            "Some(SecretToken(***))"
        );
        assert_eq!(token.expose(), "s3cr3t-value");
    }
}
