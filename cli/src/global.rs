//! The global flags: their ids, and their definitions on the root command.
//!
//! Every module that reads a global flag takes its id from here, so that the command tree and
//! the readers of the flags depend on this leaf and not on each other.

use clap::{Arg, ArgAction};

/// `--base-url`.
pub const BASE_URL: &str = "base_url";
/// `--token`.
pub const TOKEN: &str = "token";
/// `--account-id`.
pub const ACCOUNT_ID: &str = "account_id";
/// `--output`.
pub const OUTPUT: &str = "output";
/// `--sandbox`.
pub const SANDBOX: &str = "sandbox";
/// `--timeout`.
pub const TIMEOUT: &str = "timeout";
/// `--api-token`: the public API's token.
pub const API_TOKEN: &str = "api_token";
/// `--public-base-url`: the public API's base URL.
pub const PUBLIC_BASE_URL: &str = "public_base_url";

/// The values `--output` takes.
pub const OUTPUT_FORMATS: [&str; 4] = ["table", "pretty", "json", "jsonl"];

/// The help heading of the global flags (the operation's own flags come first).
const HEADING: &str = "Global options";

/// The global flags, as the root command declares them.
pub fn global_args() -> [Arg; 8] {
    [
        Arg::new(BASE_URL)
            .long("base-url")
            .env("CHATRACE_BASE_URL")
            .value_name("URL")
            .global(true)
            .help_heading(HEADING)
            .help("The API URL ({{api_url}} in the vendor's docs)"),
        Arg::new(TOKEN)
            .long("token")
            .env("CHATRACE_TOKEN")
            .hide_env_values(true)
            .value_name("TOKEN")
            .global(true)
            .help_heading(HEADING)
            .help("The session token (default: the one `chatrace login` stored)"),
        Arg::new(ACCOUNT_ID)
            .long("account-id")
            .env("CHATRACE_ACCOUNT_ID")
            .value_name("ID")
            .global(true)
            .help_heading(HEADING)
            .value_parser(clap::value_parser!(u64))
            .help("The account of account-scoped operations"),
        Arg::new(API_TOKEN)
            .long("api-token")
            .env("CHATRACE_API_TOKEN")
            .hide_env_values(true)
            .value_name("TOKEN")
            .global(true)
            .help_heading(HEADING)
            .help(
                "The account's API token, for `chatrace public` (default: the one \
                 `chatrace public set-token` stored)",
            ),
        Arg::new(PUBLIC_BASE_URL)
            .long("public-base-url")
            .env("CHATRACE_PUBLIC_BASE_URL")
            .value_name("URL")
            .global(true)
            .help_heading(HEADING)
            .help(
                "The public API's base URL, for `chatrace public` (default: the stored one, \
                 else the catalogue's; a white-label's is https://<app domain>/api/)",
            ),
        Arg::new(OUTPUT)
            .long("output")
            .short('o')
            .env("CHATRACE_OUTPUT")
            .value_name("FORMAT")
            .global(true)
            .help_heading(HEADING)
            .value_parser(OUTPUT_FORMATS)
            .help(
                "table: aligned columns (the default on a terminal); pretty: indented JSON (the \
                 default otherwise); json: compact JSON on one line, for scripts; jsonl: one \
                 JSON line per item of a list, printed as each page arrives",
            ),
        Arg::new(TIMEOUT)
            .long("timeout")
            .value_name("SECONDS")
            .global(true)
            .help_heading(HEADING)
            .value_parser(clap::value_parser!(u64).range(1..))
            .help("The timeout of each attempt, in seconds (default 30)"),
        Arg::new(SANDBOX)
            .long("sandbox")
            .global(true)
            .help_heading(HEADING)
            .action(ArgAction::SetTrue)
            .help(
                "Run against an embedded in-memory sandbox started for this command \
                 (its base URL, demo token and account unless given)",
            ),
    ]
}
