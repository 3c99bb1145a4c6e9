//! `chatrace`: the ChatRace mobile API and public API from a terminal.
//!
//! The command line is generated at run time from the same catalogue as the SDK: every
//! operation of `api-spec.yaml` is a subcommand (`chatrace get-contact --contact-id 1`) whose
//! flags are its params, built from the generated [`chatrace::OPERATIONS`] metadata alone; the
//! public API's, from [`chatrace::PUBLIC_OPERATIONS`], are subcommands of `chatrace public`
//! (`chatrace public get-contact-record --contact-id 1`), with the account's API token. A
//! new operation in the catalogue is a new subcommand after a rebuild, with no Rust written.
//!
//! A command flows through the SDK's typed core: its flags become a wire-shaped JSON body
//! ([`body`]), which `chatrace::AnyRequest::from_json` reads into the operation's typed
//! request; files are attached to it, and `AnyRequest::send` sends it on the same path as the
//! `Client`'s methods ([`typed`]).
//!
//! - [`commands`]: the clap command tree (operations, `public` and its operations, `login`,
//!   `logout`, `ops`, `completions`, `export`);
//! - [`flags`]: one flag per param: name, help, and how its text becomes a JSON value;
//! - [`body`]: parsed flags to the wire-shaped request (body, headers, files);
//! - [`typed`]: the wire-shaped request to the typed request, and sending it;
//! - [`paging`]: `--all`, every page of a paged list, kept or printed page by page;
//! - [`answer`]: where an answer's list items are;
//! - [`rows`]: which fields make a row of a table (the catalogue's), and their kinds;
//! - [`table`]: `-o table`, answers as aligned columns;
//! - [`progress`]: progress on stderr (pages, items, bytes) on a terminal;
//! - [`terminal`]: whether stdout and stderr are terminals, detected or forced;
//! - [`global`]: the global flags;
//! - [`app`]: running a command line: parse, sandbox, call, print, exit code;
//! - [`settings`]: base URL, token and account of a command (the public API's base URL and
//!   API token), and its SDK handle;
//! - [`session`]: `login`, `logout`, and storing a login's token;
//! - [`api_token`]: `public set-token` and `public forget-token`, the public API's stored token;
//! - [`output`]: printing answers (table, JSON, JSON lines) and the table of operations;
//! - [`config`]: the credentials file `chatrace login` writes and the API token file
//!   `chatrace public set-token` writes (mode 0600);
//! - [`error`]: one-line errors and exit codes (0 success, 1 API, 2 usage, 3 transport);
//! - [`sandbox`]: `--sandbox`, the in-memory server started for one command;
//! - [`export`]: `export`, the inbox as JSON-lines files, resumable;
//! - [`realtime`]: `send` and `watch`, the inbox's realtime socket through the SDK's
//!   generated realtime client;
//! - [`template`]: `send --template`, an approved WhatsApp template over HTTP.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod answer;
pub mod api_token;
pub mod app;
pub mod body;
pub mod commands;
pub mod config;
pub mod error;
pub mod export;
pub mod flags;
pub mod global;
pub mod output;
pub mod paging;
pub mod progress;
pub mod realtime;
pub mod rows;
pub mod sandbox;
pub mod session;
pub mod settings;
pub mod table;
pub mod template;
pub mod terminal;
pub mod typed;

pub use app::{main, run};
pub use commands::{build_cli, operation_commands};

/// What the unit tests share.
#[cfg(test)]
mod test_support {
    use chatrace::OperationMeta;

    /// The operation `name` of the catalogue.
    pub(crate) fn operation(name: &str) -> &'static OperationMeta {
        chatrace::OPERATIONS
            .iter()
            .copied()
            .find(|op| op.name == name)
            .unwrap_or_else(|| panic!("no operation {name}"))
    }
}
