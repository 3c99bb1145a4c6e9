//! `--sandbox`: the in-memory ChatRace server, started in-process for one command.

use crate::error::{CliError, Exit};

/// What a command needs of a running sandbox.
#[derive(Clone, PartialEq, Eq)]
pub struct SandboxInfo {
    /// The sandbox's API URL.
    pub base_url: String,
    /// The email its OTP login accepts.
    pub email: String,
    /// The one-time code its OTP login accepts.
    pub otp: String,
    /// Its demo session token.
    pub token: String,
    /// The demo account.
    pub account_id: u64,
}

impl std::fmt::Debug for SandboxInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxInfo")
            .field("base_url", &self.base_url)
            .field("email", &self.email)
            .field("otp", &"***")
            .field("token", &"***")
            .field("account_id", &self.account_id)
            .finish()
    }
}

/// A sandbox running for the current command.
pub struct EmbeddedSandbox {
    server: chatrace_sandbox::Sandbox,
    info: SandboxInfo,
}

impl EmbeddedSandbox {
    /// Starts the sandbox on a free loopback port. Failing to start is a transport error
    /// (exit 3).
    pub async fn start() -> Result<EmbeddedSandbox, CliError> {
        let server = chatrace_sandbox::Sandbox::start().await.map_err(|e| {
            CliError::new(Exit::Transport, format!("cannot start the sandbox: {e}"))
        })?;
        let credentials = server.credentials();
        let info = SandboxInfo {
            base_url: server.base_url(),
            email: credentials.email.to_string(),
            otp: credentials.otp.to_string(),
            token: credentials.token.to_string(),
            account_id: credentials.account_id,
        };
        Ok(EmbeddedSandbox { server, info })
    }

    /// Its URL, login and demo data.
    pub fn info(&self) -> &SandboxInfo {
        &self.info
    }

    /// Stops the sandbox.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}
