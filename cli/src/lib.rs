//! `chatrace`: the ChatRace mobile API from a terminal.
//!
//! The command line is generated at run time from the same catalogue as the SDK: every
//! operation of `api-spec.yaml` is a subcommand (`chatrace get-order --id 1000000`) whose flags
//! are its params, built by [`commands::operation_commands`] from the generated
//! [`chatrace::OPERATIONS`] metadata alone. A new operation in the catalogue is a new
//! subcommand after a rebuild, with no Rust written.
//!
//! - [`commands`]: the clap command tree (operations, `login`, `logout`, `ops`, `completions`);
//! - [`request`]: parsed flags back to a request body, headers and files;
//! - [`app`]: running a command line: settings, sandbox, call, output, exit code;
//! - [`config`]: the credentials file `chatrace login` writes (mode 0600);
//! - [`error`]: one-line errors and exit codes (0 success, 1 API, 2 usage, 3 transport);
//! - [`sandbox`]: `--sandbox`, the in-memory server started for one command.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod app;
pub mod commands;
pub mod config;
pub mod error;
pub mod request;
pub mod sandbox;

pub use app::{main, run};
pub use commands::{build_cli, operation_commands};
