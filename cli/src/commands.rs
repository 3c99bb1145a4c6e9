//! The clap command tree, built at run time from the generated operation metadata.
//!
//! Nothing here knows about a particular operation: every operation subcommand and every flag
//! comes from an [`OperationMeta`] of the catalogue (see [`crate::flags`] for the flags), so a
//! new operation in `api-spec.yaml` is a new subcommand after a rebuild, with no Rust written.
//! The mobile API's operations are subcommands of the root; the public API's (REST: an
//! `OperationMeta` with `http`) are subcommands of the `public` group.

use chatrace::{OperationMeta, ParamLocation, Provenance, ResponseIn, SessionEffect, Spelled};
use clap::{Arg, ArgAction, Command};

use crate::flags::{flag_of, kebab, param_arg, param_flags};
use crate::global::global_args;

/// The id of the `--all` flag of paged operations.
pub const ALL: &str = "all";
/// The id of the `--max-pages` flag of paged operations: the page cap of `--all`.
pub const MAX_PAGES: &str = "max-pages";

/// Names of the subcommands that are not operations.
pub mod builtin {
    /// `chatrace login`: the email OTP flow.
    pub const LOGIN: &str = "login";
    /// `chatrace logout`: ends the session and removes the stored credentials.
    pub const LOGOUT: &str = "logout";
    /// `chatrace ops`: the table of operations.
    pub const OPS: &str = "ops";
    /// `chatrace completions <shell>`.
    pub const COMPLETIONS: &str = "completions";
    /// clap's own `help` subcommand.
    pub const HELP: &str = "help";
    /// `chatrace send`: a message to a contact over the realtime socket.
    pub const SEND: &str = crate::realtime::SEND;
    /// `chatrace watch`: the realtime socket's events, one line each.
    pub const WATCH: &str = crate::realtime::WATCH;
    /// `chatrace export`: the inbox as JSON-lines files.
    pub const EXPORT: &str = crate::export::EXPORT;
    /// `chatrace public`: the public API's group.
    pub const PUBLIC: &str = "public";
    /// Every built-in name, which an operation subcommand must not take.
    pub const ALL: [&str; 9] = [
        LOGIN,
        LOGOUT,
        OPS,
        COMPLETIONS,
        HELP,
        SEND,
        WATCH,
        EXPORT,
        PUBLIC,
    ];

    /// Names of the `public` group's subcommands that are not operations.
    pub mod public {
        /// `chatrace public set-token`: stores the account's API token.
        pub const SET_TOKEN: &str = "set-token";
        /// `chatrace public forget-token`: removes the stored API token.
        pub const FORGET_TOKEN: &str = "forget-token";
        /// Every built-in name of the group, which an operation subcommand must not take.
        pub const ALL: [&str; 3] = [SET_TOKEN, FORGET_TOKEN, super::HELP];
    }
}

/// The body keys a param may take to carry a discriminator the caller chooses.
const CALLER_DISCRIMINATORS: [&str; 3] = ["op1", "op2", "op3"];

/// The exit codes, as `--help` states them.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  1  API error: the server answered a status other than OK (its code and what it means are
     shown; code 1, an invalid session, says to run `chatrace login`).
     The public API (`chatrace public ...`) answers its errors with an HTTP status of 400 to 499
     or an `error` object: both exit 1 (401 and 403 say to set a valid API token).
  2  usage error: a bad or missing flag, no base URL, token or account id, an unreadable file
  3  transport error: the server could not be reached, timed out, or answered something that is
     not the API's envelope (an HTTP error page, a body that does not decode)

Settings: --base-url, --token and --account-id are also read from CHATRACE_BASE_URL,
CHATRACE_TOKEN and CHATRACE_ACCOUNT_ID. The token is --token, else CHATRACE_TOKEN, else the one
`chatrace login` stored (used only against the base URL it was stored for; the stored base URL
is the default). Credentials live in $CHATRACE_CONFIG_DIR/credentials.json, by default
$XDG_CONFIG_HOME/chatrace/credentials.json (~/.config/chatrace/credentials.json).
The public API's --api-token and --public-base-url are also read from CHATRACE_API_TOKEN and
CHATRACE_PUBLIC_BASE_URL; `chatrace public set-token` stores the token in api-token.json beside
the credentials (mode 0600), used only against the base URL it was stored for.";

/// One subcommand per operation, in the order given, built only from the metadata.
///
/// Each has the operation's title as its about text; its summary, provenance, what is still
/// inferred, its wire form and its answer as its long help; one `--<kebab rust name>` flag per
/// param (see [`crate::flags`]); and `--all` when the operation pages.
pub fn operation_commands(ops: &[&'static OperationMeta]) -> Vec<Command> {
    ops.iter().map(|op| operation_command(op)).collect()
}

/// The subcommand of one operation (see [`operation_commands`]).
pub fn operation_command(op: &'static OperationMeta) -> Command {
    let mut command = Command::new(kebab(op.name))
        .about(op.title.trim().to_owned())
        .long_about(long_about(op));
    for flag in param_flags(op) {
        command = command.arg(param_arg(&flag));
    }
    if let Some(paging) = op.paging {
        let answer = match paging.items {
            Some(items) => format!("print the first answer with `{items}` holding every item"),
            None => "print one array".to_owned(),
        };
        command = command.arg(
            Arg::new(ALL)
                .long("all")
                .action(ArgAction::SetTrue)
                .help(format!(
                    "Fetch every page (from --{offset}, or 0; pages of --{limit}, or {default}, \
                     at most {max}) and {answer}",
                    offset = flag_of(op, paging.offset),
                    limit = flag_of(op, paging.limit),
                    default = paging.default_limit,
                    max = paging.max_limit,
                )),
        );
        command = command.arg(
            Arg::new(MAX_PAGES)
                .long("max-pages")
                .value_name("N")
                .requires(ALL)
                .value_parser(clap::value_parser!(u32).range(1..))
                .help(format!(
                    "With --all, read at most N pages (default {}); a listing that reaches \
                     the cap fails and says so",
                    chatrace::DEFAULT_MAX_PAGES
                )),
        );
    }
    command
}

/// The long help of an operation: what the catalogue says of it.
fn long_about(op: &'static OperationMeta) -> String {
    let provenance = match op.provenance {
        Provenance::Collection => "the vendor's Postman collection gives this wire form",
        Provenance::Swagger => "the public API's Swagger page gives this wire form",
        Provenance::Inferred => {
            "the collection does not have this operation; its wire form is our inference"
        }
    };
    let mut text = format!(
        "{title}\n\n{summary}\n\nProvenance: {name} ({provenance}).",
        title = op.title.trim(),
        summary = op.summary.trim(),
        name = op.provenance,
    );
    if !op.inferred.is_empty() {
        text.push_str("\nStill inferred:");
        for sentence in op.inferred {
            text.push_str(&format!("\n  - {}", sentence.trim()));
        }
    }
    text.push_str(&format!("\n\nWire: {}", wire_form(op)));
    let answer = match (op.response, op.response_in, op.http) {
        (None, ..) => "none".to_owned(),
        (Some(ty), _, Some(_)) => format!("{ty} (the whole body)"),
        (Some(ty), ResponseIn::Data, None) => ty.to_string(),
        (Some(ty), ResponseIn::Envelope, None) => {
            format!("{ty} (the whole answer beside `status`)")
        }
    };
    text.push_str(&format!("; answer: {answer}."));
    text
}

/// How an operation is told apart on the wire: a REST operation's method and path
/// (`GET /contacts/{contact_id}`); a mobile operation's discriminators (the one the caller
/// chooses by its flag) and constants (`op=users op1=get`).
pub fn wire_form(op: &'static OperationMeta) -> String {
    if let Some(http) = op.http {
        return format!("{} {}", http.method.spelling(), http.path);
    }
    let mut wire: Vec<String> = op
        .discriminators
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    // The discriminator the caller chooses (`op2` of upload_file), by its flag.
    wire.extend(
        param_flags(op)
            .into_iter()
            .filter(|f| f.param.location == ParamLocation::Top)
            .filter(|f| CALLER_DISCRIMINATORS.contains(&f.param.wire))
            .map(|f| format!("{}=<--{}>", f.param.wire, f.long)),
    );
    wire.extend(op.constants.iter().map(|(k, v)| format!("{k}={v}")));
    wire.join(" ")
}

/// What a subcommand of the tree runs.
#[derive(Debug, Clone, Copy)]
pub enum Route {
    /// An operation of the catalogue.
    Operation(&'static OperationMeta),
    /// `login`.
    Login,
    /// `logout`, with the catalogue's session-ending operation when there is one.
    Logout(Option<&'static OperationMeta>),
    /// `ops`.
    Ops,
    /// `completions`.
    Completions,
    /// `send` or `watch`: the realtime socket.
    Realtime(&'static str),
    /// `export`.
    Export,
    /// `public`: the public API's group, whose subcommand is routed by [`Cli::public_route`].
    Public,
    /// `public set-token`.
    SetApiToken,
    /// `public forget-token`.
    ForgetApiToken,
}

/// The whole command tree and what each subcommand runs.
#[derive(Debug, Clone)]
pub struct Cli {
    /// The root `chatrace` command.
    pub command: Command,
    /// Subcommand name -> what it runs.
    pub routes: Vec<(String, Route)>,
    /// Subcommand name of the `public` group -> what it runs.
    pub public_routes: Vec<(String, Route)>,
}

impl Cli {
    /// What the subcommand `name` runs.
    pub fn route(&self, name: &str) -> Option<Route> {
        find_route(&self.routes, name)
    }

    /// What the subcommand `name` of the `public` group runs.
    pub fn public_route(&self, name: &str) -> Option<Route> {
        find_route(&self.public_routes, name)
    }
}

fn find_route(routes: &[(String, Route)], name: &str) -> Option<Route> {
    routes
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, route)| *route)
}

/// The root command: global flags, the built-in subcommands and one subcommand per mobile
/// operation of `ops`; the public API's operations of `ops` (those with `http`) are
/// subcommands of the `public` group, which is there when there is one.
///
/// An operation whose subcommand name is a built-in's is renamed `api-<name>`, except the
/// catalogue's session-ending operation: `logout` is that operation (same flags), followed by
/// the removal of the stored credentials.
pub fn build_cli(ops: &[&'static OperationMeta]) -> Cli {
    let (public_ops, ops): (Vec<&'static OperationMeta>, Vec<&'static OperationMeta>) =
        ops.iter().copied().partition(|op| op.http.is_some());
    let logout_op = ops
        .iter()
        .copied()
        .find(|op| op.session == Some(SessionEffect::End));
    let mut command = root_command();
    let skipped = logout_op.filter(|op| kebab(op.name) == builtin::LOGOUT);
    let (subcommands, mut routes) = operation_routes(&ops, &builtin::ALL, skipped);
    command = command.subcommands(subcommands);
    let mut public_routes = Vec::new();
    if !public_ops.is_empty() {
        let (subcommands, operations) = operation_routes(&public_ops, &builtin::public::ALL, None);
        command = command.subcommand(public_command().subcommands(subcommands));
        public_routes = operations;
        public_routes.push((builtin::public::SET_TOKEN.into(), Route::SetApiToken));
        public_routes.push((builtin::public::FORGET_TOKEN.into(), Route::ForgetApiToken));
        routes.push((builtin::PUBLIC.into(), Route::Public));
    }
    command = command
        .subcommand(crate::realtime::send_command())
        .subcommand(crate::realtime::watch_command())
        .subcommand(crate::export::export_command())
        .subcommand(login_command())
        .subcommand(logout_command(logout_op))
        .subcommand(
            Command::new(builtin::OPS)
                .about(
                    "List every operation: name, provenance, the public API's method and path, \
                     title, and what is inferred",
                )
                .long_about(
                    "List every operation: subcommand name, provenance (collection: the vendor's \
                     Postman collection gives the wire form; swagger: the public API's Swagger \
                     page does; inferred: it is our inference) and title, each followed by what \
                     in it is still inferred. The public API's operations (`public <name>`) show \
                     their method and path before the title (`GET /contacts/{contact_id}`). \
                     With --output json: a JSON array.",
                ),
        )
        .subcommand(
            Command::new(builtin::COMPLETIONS)
                .about("Print a shell completion script (bash, zsh, fish, elvish, powershell)")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_name("SHELL")
                        .help("The shell to complete in")
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        );
    routes.push((builtin::LOGIN.into(), Route::Login));
    routes.push((builtin::LOGOUT.into(), Route::Logout(logout_op)));
    routes.push((builtin::OPS.into(), Route::Ops));
    routes.push((builtin::COMPLETIONS.into(), Route::Completions));
    routes.push((builtin::SEND.into(), Route::Realtime(builtin::SEND)));
    routes.push((builtin::WATCH.into(), Route::Realtime(builtin::WATCH)));
    routes.push((builtin::EXPORT.into(), Route::Export));
    Cli {
        command,
        routes,
        public_routes,
    }
}

/// The subcommands of `ops` and their routes; a name in `taken` becomes `api-<name>`, and
/// `skipped` (the operation `logout` stands for) has none.
fn operation_routes(
    ops: &[&'static OperationMeta],
    taken: &[&str],
    skipped: Option<&'static OperationMeta>,
) -> (Vec<Command>, Vec<(String, Route)>) {
    let mut subcommands = Vec::with_capacity(ops.len());
    let mut routes = Vec::with_capacity(ops.len() + 8);
    for (op, sub) in ops.iter().copied().zip(operation_commands(ops)) {
        if Some(op) == skipped {
            continue;
        }
        let name = sub.get_name().to_string();
        let (name, sub) = if taken.contains(&name.as_str()) {
            let renamed = format!("api-{name}");
            (renamed.clone(), sub.name(renamed))
        } else {
            (name, sub)
        };
        routes.push((name, Route::Operation(op)));
        subcommands.push(sub);
    }
    (subcommands, routes)
}

/// The `public` group, without its operations: why it is a group, and its token commands.
fn public_command() -> Command {
    Command::new(builtin::PUBLIC)
        .about(
            "The public API (REST, the account's API token): one subcommand per operation, \
             and set-token",
        )
        .long_about(format!(
            "The account's public API (REST): one subcommand per operation of the catalogue, \
             params as flags. They are grouped here, apart from the inbox's operations, because \
             they take other settings: the account's API token (--api-token, \
             CHATRACE_API_TOKEN, or the one `chatrace public set-token` stored) instead of a \
             login's session, and the public API's base URL (--public-base-url, \
             CHATRACE_PUBLIC_BASE_URL, or the stored one; default {}) instead of the inbox's. \
             `chatrace ops` lists them with their method and path.",
            chatrace::PublicClient::DEFAULT_BASE_URL
        ))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new(builtin::public::SET_TOKEN)
                .about("Store the account's API token for the public API (mode 0600)")
                .long_about(
                    "Store the account's API token (made in the account's settings) for the \
                     public API's commands, in api-token.json in the config dir, a file only \
                     you can read (mode 0600). The token is --api-token or CHATRACE_API_TOKEN, \
                     else the first line of stdin (typed at a prompt on a terminal, not \
                     echoed). It is kept for the base URL of --public-base-url (default: the \
                     catalogue's), and sent to no other. It is never printed.",
                ),
        )
        .subcommand(
            Command::new(builtin::public::FORGET_TOKEN)
                .about("Remove the stored API token")
                .long_about("Remove the API token `chatrace public set-token` stored."),
        )
}

fn root_command() -> Command {
    Command::new("chatrace")
        .version(env!("CARGO_PKG_VERSION"))
        .about(
            "The ChatRace mobile API and public API from a terminal: one subcommand per \
             operation",
        )
        .long_about(
            "The ChatRace mobile (inbox) API and public API from a terminal: one subcommand per \
             operation of the catalogue (api-spec.yaml), params as flags; the public API's \
             are under `chatrace public`. `chatrace ops` lists them; `chatrace <operation> \
             --help` shows an operation's flags.",
        )
        .after_help(EXIT_CODES_HELP)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global_args())
}

fn login_command() -> Command {
    Command::new(builtin::LOGIN)
        .about("Log in with a one-time code sent by email, and store the session token")
        .long_about(
            "Log in with a one-time code sent by email: asks the server to email a code, \
             then exchanges the code (--code, or typed at the prompt) for a session token, \
             stored in the config dir in a file only you can read (mode 0600). \
             With --sandbox, the sandbox's email and code are used.",
        )
        .arg(
            Arg::new("email")
                .long("email")
                .value_name("EMAIL")
                .help("The email address to log in with (prompted for when absent)"),
        )
        .arg(
            Arg::new("code")
                .long("code")
                .value_name("CODE")
                .help("The one-time code received by email (prompted for when absent)"),
        )
}

fn logout_command(op: Option<&'static OperationMeta>) -> Command {
    let about = "End the session on the server (when a token is known) and remove the stored \
                 credentials";
    let base = match op {
        Some(op) => operation_command(op).name(builtin::LOGOUT),
        None => Command::new(builtin::LOGOUT),
    };
    base.about(about).long_about(about)
}
