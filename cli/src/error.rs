//! Errors of the CLI: one line on stderr and an exit code.

use std::fmt;
use std::process::ExitCode;

/// What an error of refused credentials tells the user to do.
pub const LOGIN_AGAIN: &str = "run `chatrace login` (or pass a valid --token)";

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
    /// An error with this exit code; line breaks in `message` become spaces.
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        let message: String = message.into();
        let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
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
        use chatrace::Error as E;
        let exit = match error {
            E::Api { .. } | E::Paging { .. } => Exit::Api,
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
            cause.push_str(&format!(": {LOGIN_AGAIN}"));
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

    /// An API error of `operation` from the answer `answer`, read with the catalogue's table.
    fn api(operation: &'static str, answer: serde_json::Value) -> chatrace::Error {
        let envelope = chatrace::ApiError::from_answer(
            answer.as_object().expect("an object"),
            200,
            &chatrace::ERROR_CODES,
            None,
            chatrace::ResponseBody::default(),
        )
        .expect("an error answer");
        chatrace::Error::Api {
            operation,
            envelope: Box::new(envelope),
        }
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
