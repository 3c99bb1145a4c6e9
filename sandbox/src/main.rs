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

use clap::Parser;

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
    /// How many conversations the demo account holds (default: the seed's 66); those added
    /// are made the same way at every start, older than the seed's.
    #[arg(long, value_name = "N")]
    conversations: Option<usize>,
    /// How many messages each added conversation holds (default: 4 to 8).
    #[arg(long, value_name = "N", requires = "conversations")]
    messages: Option<usize>,
    /// The demo account's API token for the public API (default: the sandbox's own, printed
    /// as `api_token`).
    #[arg(long, value_name = "TOKEN")]
    api_token: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
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
