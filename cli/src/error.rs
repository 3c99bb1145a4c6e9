//! Errors of the CLI: one line on stderr and an exit code.

use std::fmt;
use std::process::ExitCode;

use crate::terminal::visible;

/// What an error of refused credentials tells the user to do.
pub const LOGIN_AGAIN: &str = "run `chatrace login` (or pass a valid --token)";

/// What a login refused by the server tells the user to do (logging in again is what failed).
pub const CHECK_CREDENTIALS: &str =
    "check what was given (an email's code is good once, and for a short time) and try again";

/// What an error of a refused API token (the public API's) tells the user to do.
pub const SET_API_TOKEN: &str = "set a valid API token: pass --api-token, set \
                                 CHATRACE_API_TOKEN or run `chatrace public set-token`";

/// How a command ended, as its exit code says (see `chatrace --help`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: the command succeeded.
    Success = 0,
    /// 1: the server answered with an API error.
    Api = 1,
    /// 2: a usage or configuration error: nothing was sent, or a local file is at fault.
    Usage = 2,
    /// 3: the exchange with the server failed (connection, timeout, not the API's envelope).
    Transport = 3,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// A failed command: what to print after `error: ` and the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    /// The exit code.
    pub exit: Exit,
    /// The message, on one line (`<operation>: <cause>`).
    pub message: String,
}

impl CliError {
    /// An error with this exit code; line breaks in `message` become spaces, and its other
    /// control characters (the server's text may hold some) are shown escaped
    /// ([`visible`]).
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        let message: String = message.into();
        let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
        let message = visible(&message).into_owned();
        CliError { exit, message }
    }

    /// A usage or configuration error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        CliError::new(Exit::Usage, message)
    }

    /// The error of a call of the SDK, for the subcommand `command`.
    ///
    /// Exit codes: [`chatrace::Error::Api`] and `Paging` (the server's pages never end) 1;
    /// `Config` and `Io` (a file to upload) 2; `Transport`, `Timeout`, `Http`, `Decode` and any
    /// cause a later SDK tells apart 3: the server was not reached or did not answer the API's
    /// envelope. An error that says the credentials were refused (API code 1,
    /// an invalid session) ends with what to do: run `chatrace login`.
    pub fn from_sdk(command: &str, error: &chatrace::Error) -> Self {
        CliError::from_sdk_of(command, error, chatrace::Api::Mobile)
    }

    /// The error of a call of the SDK to the operation of `api`, for the subcommand `command`.
    ///
    /// As [`CliError::from_sdk`]; for the public API, whose errors also come as an HTTP error
    /// status, an `Http` error of status 400 to 499 is an API error too (exit 1), and refused
    /// credentials (401, 403) end with what to do: set a valid API token.
    pub fn from_sdk_of(command: &str, error: &chatrace::Error, api: chatrace::Api) -> Self {
        use chatrace::Error as E;
        let public = api == chatrace::Api::Public;
        let exit = match error {
            E::Api { .. } | E::Paging { .. } => Exit::Api,
            E::Http { status, .. } if public && (400..500).contains(status) => Exit::Api,
            E::Config { .. } | E::Io { .. } => Exit::Usage,
            _ => Exit::Transport,
        };
        let mut cause = error.to_string();
        if let Some(operation) = error.operation() {
            if let Some(rest) = cause.strip_prefix(&format!("{operation}: ")) {
                cause = rest.to_owned();
            }
        }
        // The causes of a transport error (connection refused, DNS, ...), each said once.
        let mut source = std::error::Error::source(error);
        while let Some(inner) = source {
            let text = inner.to_string();
            if !text.is_empty() && !cause.contains(&text) {
                cause = format!("{cause}: {text}");
            }
            source = inner.source();
        }
        if exit == Exit::Api && error.is_unauthorized() {
            let logging_in = error.operation().is_some_and(|name| {
                chatrace::OPERATIONS.iter().any(|meta| {
                    meta.name == name && meta.session == Some(chatrace::SessionEffect::Start)
                })
            });
            let remedy = match (public, logging_in) {
                (true, _) => SET_API_TOKEN,
                (false, true) => CHECK_CREDENTIALS,
                (false, false) => LOGIN_AGAIN,
            };
            // A server's message may end its sentence: the remedy follows it after a colon.
            cause = format!("{}: {remedy}", cause.trim_end_matches('.'));
        }
        CliError::new(exit, format!("{command}: {cause}"))
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.message)
    }
}

impl std::error::Error for CliError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SDK's error of `operation` for an answer the SDK read as an API error.
    fn api_error(operation: &'static str, envelope: Option<chatrace::ApiError>) -> chatrace::Error {
        chatrace::Error::Api {
            operation,
            envelope: Box::new(envelope.expect("an error answer")),
        }
    }

    /// An API error of `operation` from the answer `answer`, read with the catalogue's table.
    fn api(operation: &'static str, answer: serde_json::Value) -> chatrace::Error {
        let envelope = chatrace::ApiError::from_answer(
            answer.as_object().expect("an object"),
            200,
            &chatrace::ERROR_CODES,
            None,
            chatrace::ResponseBody::default(),
        );
        api_error(operation, envelope)
    }

    #[test]
    fn api_errors_exit_1_with_the_message_on_one_line() {
        let e = api(
            "get_order",
            serde_json::json!({"status": "ERROR", "code": 98, "msg": "not\nallowed"}),
        );
        let cli = CliError::from_sdk("get-order", &e);
        assert_eq!(cli.exit, Exit::Api);
        assert_eq!(
            cli.to_string(),
            "error: get-order: API error 98: not allowed"
        );
    }

    #[test]
    fn control_characters_of_a_message_are_shown_escaped() {
        // A server's text in an error (a refusal's reason, an undecodable answer) is shown so.
        let reason = "no\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}\u{0}";
        let cli = CliError::new(Exit::Api, format!("watch: refused: {reason}\n(end)"));
        assert_eq!(
            cli.to_string(),
            r"error: watch: refused: no\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}\u{0} (end)"
        );
    }

    #[test]
    fn an_invalid_session_says_to_log_in_again() {
        let e = api(
            "list_tags",
            serde_json::json!({"status": "ERROR", "code": 1}),
        );
        let cli = CliError::from_sdk("list-tags", &e);
        assert_eq!(cli.exit, Exit::Api);
        assert!(
            cli.message
                .starts_with("list-tags: API error 1: the session is not valid"),
            "{}",
            cli.message
        );
        assert!(cli.message.ends_with(LOGIN_AGAIN), "{}", cli.message);
    }

    #[test]
    fn a_refused_login_says_to_check_what_was_given() {
        let e = api(
            "validate_email_otp",
            serde_json::json!({"status": "ERROR", "code": 401}),
        );
        let cli = CliError::from_sdk("validate-email-otp", &e);
        assert_eq!(cli.exit, Exit::Api);
        assert!(cli.message.ends_with(CHECK_CREDENTIALS), "{}", cli.message);
        assert!(!cli.message.contains("chatrace login"), "{}", cli.message);
    }

    /// A public API error from the answer `answer` with the HTTP status `status`.
    fn rest(operation: &'static str, answer: serde_json::Value, status: u16) -> chatrace::Error {
        let envelope = chatrace::ApiError::from_rest_answer(
            answer.as_object().expect("an object"),
            "error",
            status,
            None,
            chatrace::ResponseBody::default(),
        );
        api_error(operation, envelope)
    }

    #[test]
    fn public_api_errors_exit_1_and_a_refused_token_says_to_set_one() {
        let public = chatrace::Api::Public;
        let e = rest(
            "get_contact_record",
            serde_json::json!({"error": {"code": 404, "message": "Contact\nnot found"}}),
            200,
        );
        let cli = CliError::from_sdk_of("public get-contact-record", &e, public);
        assert_eq!(cli.exit, Exit::Api);
        assert_eq!(
            cli.to_string(),
            "error: public get-contact-record: API error 404: Contact not found"
        );
        let e = rest(
            "get_account",
            serde_json::json!({"error": {"code": 401, "message": "Invalid token"}}),
            401,
        );
        let cli = CliError::from_sdk_of("public get-account", &e, public);
        assert_eq!(cli.exit, Exit::Api);
        assert!(cli.message.ends_with(SET_API_TOKEN), "{}", cli.message);
        assert!(!cli.message.contains("chatrace login"), "{}", cli.message);
        // An HTTP error status without the error object: still the API's answer.
        let http = |status| chatrace::Error::Http {
            operation: "get_account",
            status,
            snippet: "Unauthorized".into(),
            body: chatrace::ResponseBody::default(),
        };
        let cli = CliError::from_sdk_of("public get-account", &http(401), public);
        assert_eq!(cli.exit, Exit::Api);
        assert!(cli.message.ends_with(SET_API_TOKEN), "{}", cli.message);
        let cli = CliError::from_sdk_of("public get-account", &http(502), public);
        assert_eq!(cli.exit, Exit::Transport);
        // The mobile API's HTTP errors stay transport errors.
        assert_eq!(
            CliError::from_sdk("get-account", &http(401)).exit,
            Exit::Transport
        );
    }

    #[test]
    fn other_errors_map_to_their_codes() {
        let timeout = chatrace::Error::Timeout {
            operation: "list_tags",
            limit: chatrace::TimeoutLimit::Deadline,
            after: std::time::Duration::from_secs(1),
            attempts: 2,
        };
        let cli = CliError::from_sdk("list-tags", &timeout);
        assert_eq!(cli.exit, Exit::Transport);
        assert_eq!(
            cli.message,
            "list-tags: the call's deadline of 1s passed (2 attempts)"
        );
        let paging = chatrace::Error::Paging {
            operation: "list_conversations",
            stop: chatrace::PagingStop::Cap { pages: 3 },
        };
        assert_eq!(
            CliError::from_sdk("list-conversations", &paging).exit,
            Exit::Api
        );
        let http = chatrace::Error::Http {
            operation: "list_tags",
            status: 502,
            snippet: "<html>".into(),
            body: chatrace::ResponseBody::default(),
        };
        assert_eq!(CliError::from_sdk("list-tags", &http).exit, Exit::Transport);
        let io = chatrace::Error::Io {
            operation: "upload_file",
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        };
        let cli = CliError::from_sdk("upload-file", &io);
        assert_eq!(cli.exit, Exit::Usage);
        assert!(cli.message.ends_with("no such file"), "{}", cli.message);
    }
}
