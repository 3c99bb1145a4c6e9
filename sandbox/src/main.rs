//! `chatrace-sandbox`: runs the sandbox server until Ctrl-C, after printing how to reach it.
//!
//! ```text
//! $ chatrace-sandbox --addr 127.0.0.1:8787     # --conversations 100000 --messages 3: a large inbox
//! url: http://127.0.0.1:8787/
//! socket: ws://127.0.0.1:8787/ws
//! public_api: http://127.0.0.1:8787/api/
//! email: alex.morgan@example.com
//! otp: 456788
//! token: sbx-demo-...
//! api_token: sbx-api-...
//! account_id: 1234567
//! second_account_id: 1234568
//! other_account_id: 7654321
//! admin_id: 1000000002
//! contact_id: 100000000001
//! ```

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::builder::RangedU64ValueParser;
use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};

// The library's bounds of the inbox, which `SandboxBuilder::start` enforces too: checked
// here first, for clap's errors. The help texts below spell their values out (a test keeps
// them in step).
use chatrace_sandbox::{
    DEFAULT_MOST_MESSAGES, MAX_ALL_MESSAGES, MAX_CONVERSATIONS, MAX_MESSAGES_PER_CONVERSATION,
};

/// A stateful ChatRace API server on loopback, for running the SDK offline. Its realtime
/// socket is `ws://ADDR/ws`, and the public API is served under `http://ADDR/api/`.
#[derive(Debug, Parser)]
#[command(name = "chatrace-sandbox", version)]
struct Args {
    /// The address to listen on (port 0: a free port).
    #[arg(long, default_value = "127.0.0.1:8787")]
    addr: SocketAddr,
    /// The clock: `wall` starts it at the time of day and keeps it there (contacts wrote
    /// minutes to days ago, so the realtime client can answer them); `fixed` starts it at
    /// 2024-06-01 12:00:00 UTC and moves it one second per write (the same calls always give
    /// the same answers).
    #[arg(long, value_parser = ["wall", "fixed"], default_value = "wall")]
    clock: String,
    /// How many conversations the demo account holds (default: the seed's 66; at most
    /// 200000); those added are made the same way at every start, older than the seed's.
    #[arg(
        long,
        value_name = "N",
        value_parser = RangedU64ValueParser::<usize>::new().range(0..=MAX_CONVERSATIONS as u64)
    )]
    conversations: Option<usize>,
    /// How many messages each added conversation holds (default: 4 to 8; at most 1000, and
    /// 2000000 in all the added conversations).
    #[arg(
        long,
        value_name = "N",
        requires = "conversations",
        value_parser = RangedU64ValueParser::<usize>::new()
            .range(0..=MAX_MESSAGES_PER_CONVERSATION as u64)
    )]
    messages: Option<usize>,
    /// The demo account's API token for the public API (default: the sandbox's own, printed
    /// as `api_token`).
    #[arg(long, value_name = "TOKEN")]
    api_token: Option<String>,
}

impl Args {
    /// The arguments of the command line `args` (the program's name first), or clap's error:
    /// a count out of range, or more messages in all than [`MAX_ALL_MESSAGES`].
    fn parse_from_line<I, T>(args: I) -> Result<Args, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let args = Args::try_parse_from(args)?;
        let conversations = args.conversations.unwrap_or(0);
        let each = args.messages.unwrap_or(DEFAULT_MOST_MESSAGES);
        // Both are bounded: the product fits.
        if conversations * each > MAX_ALL_MESSAGES {
            let most = MAX_ALL_MESSAGES / conversations.max(1);
            return Err(Args::command().error(
                ErrorKind::ValueValidation,
                format!(
                    "{conversations} conversations of {each} messages are more than \
                     {MAX_ALL_MESSAGES} messages in all: give --messages {most} or fewer, or \
                     fewer --conversations"
                ),
            ));
        }
        Ok(args)
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse_from_line(std::env::args_os()).unwrap_or_else(|e| e.exit());
    let mut builder = chatrace_sandbox::Sandbox::builder().addr(args.addr);
    if args.clock == "wall" {
        builder = builder.wall_clock();
    }
    if let Some(count) = args.conversations {
        builder = builder.conversations(count);
    }
    if let Some(count) = args.messages {
        builder = builder.messages_per_conversation(count);
    }
    if let Some(token) = args.api_token {
        builder = builder.api_token(token);
    }
    let sandbox = match builder.start().await {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("chatrace-sandbox: cannot start on {}: {e}", args.addr);
            return ExitCode::FAILURE;
        }
    };
    let c = sandbox.credentials();
    let banner = format!(
        "url: {}\nsocket: {}\npublic_api: {}\nemail: {}\notp: {}\ntoken: {}\napi_token: {}\n\
         account_id: {}\nsecond_account_id: {}\nother_account_id: {}\nadmin_id: {}\n\
         contact_id: {}\n",
        sandbox.base_url(),
        sandbox.socket_url(),
        sandbox.public_api_url(),
        c.email,
        c.otp,
        c.token,
        c.api_token,
        c.account_id,
        c.second_account_id,
        c.other_account_id,
        c.admin_id,
        c.contact_id
    );
    let mut out = std::io::stdout().lock();
    if out
        .write_all(banner.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    drop(out);
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("chatrace-sandbox: cannot wait for Ctrl-C: {e}");
    }
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, clap::Error> {
        Args::parse_from_line(std::iter::once("chatrace-sandbox").chain(args.iter().copied()))
    }

    #[test]
    fn counts_of_the_inbox_are_bounded_with_a_clap_error() {
        let large = parse(&["--conversations", "100000", "--messages", "3"]);
        let large = large.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (large.conversations, large.messages),
            (Some(100_000), Some(3))
        );
        assert!(parse(&["--conversations", "200000"]).is_ok());
        assert!(parse(&["--conversations", "2000", "--messages", "1000"]).is_ok());

        for args in [
            &["--conversations", "18446744073709551615"][..],
            &["--conversations", "100000000"],
            &["--conversations", "200001"],
            &["--conversations=-1"],
            &[
                "--conversations",
                "10",
                "--messages",
                "18446744073709551615",
            ],
            &["--conversations", "10", "--messages", "1001"],
        ] {
            let error = parse(args).err();
            let kind = error.as_ref().map(clap::Error::kind);
            assert_eq!(
                kind,
                Some(ErrorKind::ValueValidation),
                "{args:?}: {error:?}"
            );
        }
        let error = parse(&["--conversations", "5000", "--messages", "1000"])
            .err()
            .map(|e| (e.kind(), e.to_string()));
        let (kind, text) = error.unwrap_or((ErrorKind::DisplayHelp, String::new()));
        assert_eq!(kind, ErrorKind::ValueValidation);
        assert!(text.contains("give --messages 400 or fewer"), "{text}");
        let text = parse(&["--conversations", "999999999"])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(text.contains("0..=200000"), "{text}");
    }

    #[test]
    fn the_help_spells_out_the_library_s_bounds() {
        let command = Args::command();
        let help = |id: &str| {
            command
                .get_arguments()
                .find(|arg| arg.get_id() == id)
                .and_then(|arg| arg.get_help())
                .map(ToString::to_string)
                .unwrap_or_default()
        };
        let conversations = help("conversations");
        let expected = format!(
            "(default: the seed's {}; at most {MAX_CONVERSATIONS})",
            chatrace_sandbox::DEMO_CONVERSATIONS
        );
        assert!(conversations.contains(&expected), "{conversations}");
        let messages = help("messages");
        let expected = format!(
            "(default: 4 to {DEFAULT_MOST_MESSAGES}; at most {MAX_MESSAGES_PER_CONVERSATION}, \
             and {MAX_ALL_MESSAGES} in all"
        );
        assert!(messages.contains(&expected), "{messages}");
    }
}
