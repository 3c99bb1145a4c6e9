//! The clap command tree, built at run time from the generated operation metadata.
//!
//! Nothing here knows about a particular operation: every operation subcommand and every flag
//! comes from an [`OperationMeta`] of the catalogue, so a new operation in `api-spec.yaml` is a
//! new subcommand after a rebuild, with no Rust written.

use std::collections::HashSet;

use chatrace::{OperationMeta, ParamMeta, Provenance, SessionEffect};
use clap::builder::{PossibleValuesParser, TypedValueParser, ValueParser};
use clap::{Arg, ArgAction, Command};
use serde_json::Value;

/// The id of the `--all` flag of paged operations.
pub const ALL: &str = "all";

/// The id of the `--data-json` flag every operation subcommand has.
pub const DATA_JSON: &str = "data_json";

/// Ids of the global flags (they are also the flag names, kebab-cased).
pub mod global {
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
}

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
    /// Every built-in name, which an operation subcommand must not take.
    pub const ALL: [&str; 5] = [LOGIN, LOGOUT, OPS, COMPLETIONS, HELP];
}

/// Flag names an operation param cannot take: clap's own, the globals and `--data-json`.
const RESERVED_FLAGS: [&str; 10] = [
    "help",
    "all",
    "version",
    "base-url",
    "token",
    "account-id",
    "output",
    "sandbox",
    "timeout",
    "data-json",
];

/// The help heading of the global flags (the operation's own flags come first).
const GLOBAL_HEADING: &str = "Global options";

/// The exit codes, as `--help` states them.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  1  API error: the server answered a status other than OK (its code and message are shown)
  2  usage error: a bad or missing flag, no base URL, token or account id, an unreadable file
  3  transport error: the server could not be reached, timed out, or answered something that is
     not the API's envelope (an HTTP error page, a body that does not decode)

Settings: --base-url, --token and --account-id are also read from CHATRACE_BASE_URL,
CHATRACE_TOKEN and CHATRACE_ACCOUNT_ID. The token is --token, else CHATRACE_TOKEN, else the one
`chatrace login` stored (used only against the base URL it was stored for; the stored base URL
is the default). Credentials live in $CHATRACE_CONFIG_DIR/credentials.json, by default
$XDG_CONFIG_HOME/chatrace/credentials.json (~/.config/chatrace/credentials.json).";

/// The subcommand name of an operation: its snake_case name in kebab-case.
pub fn kebab(name: &str) -> String {
    name.trim_start_matches("r#").replace('_', "-")
}

/// The text of a provenance, as `chatrace ops` and the help show it.
pub fn provenance_text(provenance: Provenance) -> &'static str {
    match provenance {
        Provenance::Documented => "documented",
        Provenance::Inferred => "inferred",
    }
}

/// One param of an operation as a flag: the clap arg id and the long flag name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamFlag {
    /// The param's metadata.
    pub param: &'static ParamMeta,
    /// The clap id of the arg (`param:<rust name>`, apart from the global ids).
    pub id: String,
    /// The long flag, without `--` (the kebab-case Rust name; `param-<name>` when that is
    /// taken by a global flag or another param).
    pub long: String,
}

/// The flags of an operation's params, in catalogue order.
pub fn param_flags(op: &'static OperationMeta) -> Vec<ParamFlag> {
    let mut taken: HashSet<String> = RESERVED_FLAGS.iter().map(|s| s.to_string()).collect();
    op.params
        .iter()
        .map(|param| {
            let base = kebab(param.rust);
            let mut long = base.clone();
            let mut n = 1;
            while taken.contains(&long) {
                long = if n == 1 {
                    format!("param-{base}")
                } else {
                    format!("param-{base}-{n}")
                };
                n += 1;
            }
            taken.insert(long.clone());
            ParamFlag {
                param,
                id: format!("param:{}", param.rust.trim_start_matches("r#")),
                long,
            }
        })
        .collect()
}

/// The element type of a type expression (`id` for `list<id>`), and whether it is a list.
pub fn element_type(ty: &str) -> (&str, bool) {
    match ty
        .trim()
        .strip_prefix("list<")
        .and_then(|rest| rest.strip_suffix('>'))
    {
        Some(inner) => (inner.trim(), true),
        None => (ty.trim(), false),
    }
}

/// Whether an enum is sent as JSON numbers: every value the catalogue lists is an integer.
/// (The metadata gives enum values as text; integer enums serialize as numbers.)
pub fn enum_is_integer(values: &[&str]) -> bool {
    !values.is_empty() && values.iter().all(|v| v.parse::<i64>().is_ok())
}

/// One subcommand per operation, in the order given, built only from the metadata.
///
/// Each has the operation's title as its about text, its summary and provenance as its long
/// help, one `--<kebab rust name>` flag per param (help: the param's doc; required when the
/// param is; values parsed by its type), and `--data-json` for a raw `data` object.
pub fn operation_commands(ops: &[&'static OperationMeta]) -> Vec<Command> {
    ops.iter().map(|op| operation_command(op)).collect()
}

/// The long flag of the param whose wire name is `wire` (the wire name when none).
fn flag_of(op: &'static OperationMeta, wire: &str) -> String {
    param_flags(op)
        .into_iter()
        .find(|f| f.param.wire == wire)
        .map(|f| f.long)
        .unwrap_or_else(|| wire.to_owned())
}

/// The subcommand of one operation (see [`operation_commands`]).
pub fn operation_command(op: &'static OperationMeta) -> Command {
    let discriminators: Vec<String> = op
        .discriminators
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let provenance = match op.provenance {
        Provenance::Documented => "Provenance: documented (the vendor's docs show this wire form).",
        Provenance::Inferred => {
            "Provenance: inferred (the wire form follows the documented operations' conventions; \
             it is not confirmed)."
        }
    };
    let long_about = format!(
        "{title}\n\n{summary}\n\n{provenance}\nWire: {wire}; response: {response}.",
        title = op.title,
        summary = op.summary.trim(),
        wire = discriminators.join(" "),
        response = op.response.unwrap_or("none"),
    );
    let mut command = Command::new(kebab(op.name))
        .about(op.title)
        .long_about(long_about);
    for flag in param_flags(op) {
        command = command.arg(param_arg(&flag));
    }
    if let Some(paging) = op.paging {
        command = command.arg(
            Arg::new(ALL)
                .long("all")
                .action(ArgAction::SetTrue)
                .help(format!(
                    "Fetch every page (from --{offset}, or 0; pages of --{limit}, or {default}, \
                     at most {max}) and print one array",
                    offset = flag_of(op, paging.offset),
                    limit = flag_of(op, paging.limit),
                    default = paging.default_limit,
                    max = paging.max_limit,
                )),
        );
    }
    command.arg(
        Arg::new(DATA_JSON)
            .long("data-json")
            .value_name("JSON")
            .help("A raw JSON object for the body's `data` (flags win over its keys)")
            .value_parser(ValueParser::new(parse_json_object)),
    )
}

/// The clap arg of one param.
fn param_arg(flag: &ParamFlag) -> Arg {
    let param = flag.param;
    let (element, is_list) = element_type(param.ty);
    let mut arg = Arg::new(flag.id.clone())
        .long(flag.long.clone())
        .help(param.doc.to_string())
        .required(param.required)
        .value_name(value_name(element, param));
    arg = match element {
        "id" => arg
            .value_parser(ValueParser::new(parse_id))
            .allow_negative_numbers(true),
        "integer" => arg
            .value_parser(ValueParser::new(parse_integer))
            .allow_negative_numbers(true),
        "number" => arg
            .value_parser(ValueParser::new(parse_number))
            .allow_negative_numbers(true),
        "boolean" => {
            let arg = arg.value_parser(
                PossibleValuesParser::new(["true", "false"]).map(|s| Value::Bool(s == "true")),
            );
            if is_list {
                arg
            } else {
                // `--me` alone means `--me true`.
                arg.num_args(0..=1).default_missing_value("true")
            }
        }
        "string" => arg.value_parser(ValueParser::new(parse_string)),
        "file" => arg.value_parser(ValueParser::new(parse_path)),
        "json" => arg
            .value_parser(ValueParser::new(parse_json))
            .allow_negative_numbers(true),
        _ if !param.enum_values.is_empty() => {
            let integer = enum_is_integer(param.enum_values);
            arg.value_parser(
                PossibleValuesParser::new(param.enum_values.iter().copied()).map(move |s| match s
                    .parse::<i64>()
                {
                    Ok(n) if integer => Value::from(n),
                    _ => Value::String(s),
                }),
            )
            .allow_negative_numbers(true)
        }
        // A shared struct type: its JSON.
        _ => arg.value_parser(ValueParser::new(parse_json)),
    };
    if is_list {
        arg = arg.action(ArgAction::Append);
        // Strings and JSON may hold commas: only repeated flags for them.
        if !matches!(element, "string" | "json" | "file") && element_is_scalar_or_enum(param) {
            arg = arg.value_delimiter(',');
        }
    }
    arg
}

fn element_is_scalar_or_enum(param: &ParamMeta) -> bool {
    let (element, _) = element_type(param.ty);
    matches!(element, "id" | "integer" | "number" | "boolean") || !param.enum_values.is_empty()
}

fn value_name(element: &str, param: &ParamMeta) -> String {
    match element {
        "id" => "ID".into(),
        "integer" => "INTEGER".into(),
        "number" => "NUMBER".into(),
        "boolean" => "BOOL".into(),
        "string" => "TEXT".into(),
        "file" => "PATH".into(),
        "json" => "JSON".into(),
        _ if !param.enum_values.is_empty() => "VALUE".into(),
        _ => "JSON".into(),
    }
}

fn parse_id(s: &str) -> Result<Value, String> {
    s.trim()
        .parse::<u64>()
        .map(Value::from)
        .map_err(|_| format!("`{s}` is not an id (a whole number from 0)"))
}

fn parse_integer(s: &str) -> Result<Value, String> {
    s.trim()
        .parse::<i64>()
        .map(Value::from)
        .map_err(|_| format!("`{s}` is not an integer"))
}

fn parse_number(s: &str) -> Result<Value, String> {
    s.trim()
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
        .ok_or_else(|| format!("`{s}` is not a finite number"))
}

fn parse_string(s: &str) -> Result<Value, String> {
    Ok(Value::String(s.to_owned()))
}

fn parse_path(s: &str) -> Result<Value, String> {
    if s.is_empty() {
        Err("the path is empty".into())
    } else {
        Ok(Value::String(s.to_owned()))
    }
}

fn parse_json(s: &str) -> Result<Value, String> {
    serde_json::from_str(s).map_err(|e| format!("not valid JSON: {e}"))
}

fn parse_json_object(s: &str) -> Result<Value, String> {
    match parse_json(s)? {
        Value::Object(map) => Ok(Value::Object(map)),
        _ => Err("expected a JSON object (`{...}`)".into()),
    }
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
}

/// The whole command tree and what each subcommand runs.
#[derive(Debug, Clone)]
pub struct Cli {
    /// The root `chatrace` command.
    pub command: Command,
    /// Subcommand name -> what it runs.
    pub routes: Vec<(String, Route)>,
}

impl Cli {
    /// What the subcommand `name` runs.
    pub fn route(&self, name: &str) -> Option<Route> {
        self.routes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, route)| *route)
    }
}

/// The root command: global flags, the built-in subcommands and one subcommand per operation.
///
/// An operation whose subcommand name is a built-in's is renamed `api-<name>`, except the
/// catalogue's session-ending operation: `logout` is that operation (same flags), followed by
/// the removal of the stored credentials.
pub fn build_cli(ops: &[&'static OperationMeta]) -> Cli {
    let logout_op = ops
        .iter()
        .copied()
        .find(|op| op.session == Some(SessionEffect::End));
    let mut routes = Vec::with_capacity(ops.len() + 4);
    let mut command = root_command();
    for (op, sub) in ops.iter().copied().zip(operation_commands(ops)) {
        let name = sub.get_name().to_string();
        if Some(op) == logout_op && name == builtin::LOGOUT {
            continue;
        }
        let (name, sub) = if builtin::ALL.contains(&name.as_str()) {
            let renamed = format!("api-{name}");
            (renamed.clone(), sub.name(renamed))
        } else {
            (name, sub)
        };
        routes.push((name, Route::Operation(op)));
        command = command.subcommand(sub);
    }
    command = command
        .subcommand(login_command())
        .subcommand(logout_command(logout_op))
        .subcommand(
            Command::new(builtin::OPS)
                .about("List every operation: name, provenance (documented or inferred), title")
                .long_about(
                    "List every operation: subcommand name, provenance (documented: the vendor's \
                     docs show the wire form; inferred: it follows their conventions) and title. \
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
    Cli { command, routes }
}

fn root_command() -> Command {
    Command::new("chatrace")
        .version(env!("CARGO_PKG_VERSION"))
        .about("The ChatRace mobile API from a terminal: one subcommand per operation")
        .long_about(
            "The ChatRace mobile API from a terminal: one subcommand per operation of the \
             catalogue (api-spec.yaml), params as flags. `chatrace ops` lists them; \
             `chatrace <operation> --help` shows an operation's flags.",
        )
        .after_help(EXIT_CODES_HELP)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new(global::BASE_URL)
                .long("base-url")
                .env("CHATRACE_BASE_URL")
                .value_name("URL")
                .global(true)
                .help_heading(GLOBAL_HEADING)
                .help("The API URL ({{api_url}} in the vendor's docs)"),
        )
        .arg(
            Arg::new(global::TOKEN)
                .long("token")
                .env("CHATRACE_TOKEN")
                .hide_env_values(true)
                .value_name("TOKEN")
                .global(true)
                .help_heading(GLOBAL_HEADING)
                .help("The session token (default: the one `chatrace login` stored)"),
        )
        .arg(
            Arg::new(global::ACCOUNT_ID)
                .long("account-id")
                .env("CHATRACE_ACCOUNT_ID")
                .value_name("ID")
                .global(true)
                .help_heading(GLOBAL_HEADING)
                .value_parser(clap::value_parser!(u64))
                .help("The account of account-scoped operations"),
        )
        .arg(
            Arg::new(global::OUTPUT)
                .long("output")
                .short('o')
                .value_name("FORMAT")
                .global(true)
                .help_heading(GLOBAL_HEADING)
                .value_parser(["pretty", "json"])
                .default_value("pretty")
                .help("pretty: indented JSON; json: compact JSON on one line, for scripts"),
        )
        .arg(
            Arg::new(global::TIMEOUT)
                .long("timeout")
                .value_name("SECONDS")
                .global(true)
                .help_heading(GLOBAL_HEADING)
                .value_parser(clap::value_parser!(u64).range(1..))
                .help("The timeout of each attempt, in seconds (default 30)"),
        )
        .arg(
            Arg::new(global::SANDBOX)
                .long("sandbox")
                .global(true)
                .help_heading(GLOBAL_HEADING)
                .action(ArgAction::SetTrue)
                .help(
                    "Run against an embedded in-memory sandbox started for this command \
                     (its base URL, demo token and account unless given)",
                ),
        )
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
        Some(op) => operation_command(op)
            .name(builtin::LOGOUT)
            .mut_arg(DATA_JSON, |arg| arg.hide(true)),
        None => Command::new(builtin::LOGOUT),
    };
    base.about(about).long_about(about)
}
