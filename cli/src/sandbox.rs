//! `--sandbox`: the in-memory ChatRace server, started in the process for one command.
//!
//! It needs the `sandbox` feature (on by default); a build without it answers `--sandbox` with
//! a usage error.

use crate::error::CliError;

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
    /// The demo contact with the long conversation.
    pub contact_id: u64,
    /// Where it serves the public API, and the API token it accepts.
    pub public: PublicSandbox,
}

/// Where a sandbox serves the public API, and the API token it accepts.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicSandbox {
    /// The base URL of its public API.
    pub base_url: String,
    /// The demo account's API token.
    pub api_token: String,
}

impl std::fmt::Debug for PublicSandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicSandbox")
            .field("base_url", &self.base_url)
            .field("api_token", &"***")
            .finish()
    }
}

impl std::fmt::Debug for SandboxInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxInfo")
            .field("base_url", &self.base_url)
            .field("email", &self.email)
            .field("otp", &"***")
            .field("token", &"***")
            .field("account_id", &self.account_id)
            .field("contact_id", &self.contact_id)
            .field("public", &self.public)
            .finish()
    }
}

/// A sandbox running for the current command.
pub struct EmbeddedSandbox {
    #[cfg(feature = "sandbox")]
    server: chatrace_sandbox::Sandbox,
    info: SandboxInfo,
}

impl EmbeddedSandbox {
    /// Starts the sandbox on a free loopback port.
    ///
    /// # Errors
    ///
    /// A transport error (exit 3) when it cannot start; a usage error (exit 2) in a build
    /// without the `sandbox` feature.
    #[cfg(feature = "sandbox")]
    pub async fn start() -> Result<EmbeddedSandbox, CliError> {
        EmbeddedSandbox::started(chatrace_sandbox::Sandbox::builder()).await
    }

    /// Starts the sandbox on a free loopback port for the realtime commands: its clock on the
    /// time of day (the SDK checks reply windows against it), and, with `greeting`, each
    /// contact writes it once its conversation is subscribed.
    ///
    /// # Errors
    ///
    /// As [`EmbeddedSandbox::start`].
    #[cfg(feature = "sandbox")]
    pub async fn start_live(greeting: Option<&str>) -> Result<EmbeddedSandbox, CliError> {
        let mut builder = chatrace_sandbox::Sandbox::builder().wall_clock();
        if let Some(greeting) = greeting {
            builder = builder.greeting(greeting);
        }
        EmbeddedSandbox::started(builder).await
    }

    #[cfg(feature = "sandbox")]
    async fn started(
        builder: chatrace_sandbox::SandboxBuilder,
    ) -> Result<EmbeddedSandbox, CliError> {
        let server = builder.start().await.map_err(|e| {
            CliError::new(
                crate::error::Exit::Transport,
                format!("cannot start the sandbox: {e}"),
            )
        })?;
        let credentials = server.credentials();
        let info = SandboxInfo {
            base_url: server.base_url(),
            email: credentials.email.to_string(),
            otp: credentials.otp.to_string(),
            token: credentials.token.to_string(),
            account_id: credentials.account_id,
            contact_id: credentials.contact_id,
            public: PublicSandbox {
                base_url: server.public_api_url(),
                api_token: credentials.api_token.to_string(),
            },
        };
        Ok(EmbeddedSandbox { server, info })
    }

    /// Starts the sandbox on a free loopback port.
    ///
    /// # Errors
    ///
    /// Always a usage error (exit 2): this build has no sandbox.
    #[cfg(not(feature = "sandbox"))]
    pub async fn start() -> Result<EmbeddedSandbox, CliError> {
        Err(CliError::usage(
            "--sandbox: this chatrace was built without the sandbox (the `sandbox` feature)",
        ))
    }

    /// Starts the sandbox for the realtime commands.
    ///
    /// # Errors
    ///
    /// Always a usage error (exit 2): this build has no sandbox.
    #[cfg(not(feature = "sandbox"))]
    pub async fn start_live(greeting: Option<&str>) -> Result<EmbeddedSandbox, CliError> {
        let _ = greeting;
        EmbeddedSandbox::start().await
    }

    /// Its URL, login and demo data.
    pub fn info(&self) -> &SandboxInfo {
        &self.info
    }

    /// Stops the sandbox.
    pub async fn shutdown(self) {
        #[cfg(feature = "sandbox")]
        self.server.shutdown().await;
    }
}
