//! Opening one WebSocket: URL, TCP, TLS, the upgrade, under a timeout.

use std::sync::Arc;
use std::time::Duration;

use futures::stream::{SplitSink, SplitStream};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::Uri;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};

use super::error::{describe, one_line, RealtimeError};
use super::options::RealtimeOptions;
use crate::secret::SecretToken;

/// One open WebSocket.
pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;
/// Its writing half, shared by the senders.
pub(crate) type Writer = SplitSink<Socket, Message>;
/// Its reading half, owned by the connection's task.
pub(crate) type Reader = SplitStream<Socket>;

/// Opens sockets to one URL, as often as the connection needs.
pub(crate) struct Dialer {
    url: String,
    /// The URL as errors and traces show it.
    shown_url: String,
    connector: Connector,
    config: WebSocketConfig,
    connect_timeout: Duration,
    token: Option<SecretToken>,
}

impl Dialer {
    /// Checks the URL (`ws://` or `wss://`) and prepares TLS for `wss://`.
    pub(crate) fn new(url: &str, options: &RealtimeOptions) -> Result<Self, RealtimeError> {
        let token = options.redact_token.clone();
        let shown_url = one_line(url, token.as_ref());
        let refuse = |reason: String| RealtimeError::Connect {
            url: shown_url.clone(),
            reason,
        };
        let uri: Uri = url
            .parse()
            .map_err(|error| refuse(format!("not a URL: {error}")))?;
        let connector = match uri.scheme_str() {
            Some("ws") => Connector::Plain,
            Some("wss") => Connector::Rustls(tls_config().map_err(refuse)?),
            _ => return Err(refuse("the URL's scheme is not ws:// or wss://".to_owned())),
        };
        let frame_limit = options.max_frame_size.max(1);
        let config = WebSocketConfig::default()
            .max_message_size(Some(frame_limit))
            .max_frame_size(Some(frame_limit));
        Ok(Dialer {
            url: url.to_owned(),
            shown_url,
            connector,
            config,
            connect_timeout: options.connect_timeout,
            token,
        })
    }

    /// The URL as errors and traces show it (the token masked).
    pub(crate) fn shown_url(&self) -> &str {
        &self.shown_url
    }

    /// Opens a socket, or says why not on one token-free line.
    pub(crate) async fn open(&self) -> Result<Socket, String> {
        let request = self
            .url
            .as_str()
            .into_client_request()
            .map_err(|error| describe(&error, self.token.as_ref()))?;
        let connecting = tokio_tungstenite::connect_async_tls_with_config(
            request,
            Some(self.config),
            // Frames are small and latency matters more than packet count.
            true,
            Some(self.connector.clone()),
        );
        match tokio::time::timeout(self.connect_timeout, connecting).await {
            Ok(Ok((socket, _response))) => Ok(socket),
            Ok(Err(error)) => Err(describe(&error, self.token.as_ref())),
            Err(_) => Err(format!(
                "no connection within {:?} (connect_timeout)",
                self.connect_timeout
            )),
        }
    }
}

/// TLS with the webpki roots and the process's default crypto provider, or `ring` when none is
/// installed. tungstenite's own default would panic in a program whose rustls has two providers
/// compiled in and none installed.
fn tls_config() -> Result<Arc<rustls::ClientConfig>, String> {
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| format!("TLS setup: {error}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}
