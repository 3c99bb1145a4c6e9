//! `chatrace-sandbox`: runs the sandbox server until Ctrl-C, after printing how to reach it.
//!
//! ```text
//! $ chatrace-sandbox --addr 127.0.0.1:8787
//! url: http://127.0.0.1:8787/
//! email: alex.morgan@example.com
//! otp: 456788
//! token: sbx-demo-...
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

/// A stateful ChatRace API server on loopback, for running the SDK offline.
#[derive(Debug, Parser)]
#[command(name = "chatrace-sandbox", version)]
struct Args {
    /// The address to listen on (port 0: a free port).
    #[arg(long, default_value = "127.0.0.1:8787")]
    addr: SocketAddr,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let sandbox = match chatrace_sandbox::Sandbox::start_on(args.addr).await {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("chatrace-sandbox: cannot listen on {}: {e}", args.addr);
            return ExitCode::FAILURE;
        }
    };
    let c = sandbox.credentials();
    let banner = format!(
        "url: {}\nemail: {}\notp: {}\ntoken: {}\naccount_id: {}\nsecond_account_id: {}\n\
         other_account_id: {}\nadmin_id: {}\ncontact_id: {}\n",
        sandbox.base_url(),
        c.email,
        c.otp,
        c.token,
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
