//! Logging in again when the session has expired, with a hook, against the sandbox:
//!
//! ```sh
//! cargo run --example refresh_token
//! ```
//!
//! The client starts with a token the server no longer knows. Its first call is refused with
//! `{"status":"ERROR","code":1}`; the hook logs in again with the email code, hands the new
//! token back, and the runtime sends the call once more with it. The calling code never sees
//! the expired session.

use chatrace::{CallContext, Client, Error, Hook, HookFuture, Recovery};

/// Logs in with the email code whenever the server refuses the session.
struct LogInAgain {
    /// A client of its own for the login calls, so that they do not run through this hook.
    login: Client,
    email: String,
    code: String,
}

impl Hook for LogInAgain {
    fn on_error<'a>(&'a self, error: &'a Error, call: &'a CallContext) -> HookFuture<'a, Recovery> {
        Box::pin(async move {
            if !error.is_unauthorized() {
                return Recovery::Fail;
            }
            println!(
                "  - {} was refused ({error}); logging in again",
                call.operation.name
            );
            let Ok(otp) = self.login.request_email_otp(&self.email).send().await else {
                return Recovery::Fail;
            };
            match self
                .login
                .validate_email_otp(otp.request_id, &self.code)
                .send()
                .await
            {
                Ok(session) => Recovery::RetryWithToken(session.token),
                Err(_) => Recovery::Fail,
            }
        })
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = chatrace_sandbox::Sandbox::start().await?;
    let creds = sandbox.credentials().clone();
    let login = Client::builder().base_url(sandbox.base_url()).build()?;
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .account_id(creds.account_id)
        .token("a-session-that-expired")
        .hook(LogInAgain {
            login,
            email: creds.email.clone(),
            code: creds.otp.clone(),
        })
        .build()?;

    let conversations = client.list_conversations().send().await?;
    println!(
        "  - listed {} conversations with the new session",
        conversations.len()
    );
    sandbox.shutdown().await;
    println!("done");
    Ok(())
}
