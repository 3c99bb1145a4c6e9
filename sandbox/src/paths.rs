//! The paths the sandbox serves on its one port (the mobile API's, the realtime socket's and
//! the public API's), for the router and for the URLs the sandbox hands out.

/// The mobile API's one URL: every operation is a `POST` to it.
pub(crate) const MOBILE: &str = "/";

/// The realtime WebSocket's path.
pub(crate) const SOCKET: &str = "/ws";

/// The path under which the public API is served (a white-label serves it at
/// `https://<app domain>/api/`).
pub(crate) const PUBLIC_PREFIX: &str = "/api";

/// The router's route of the public API: everything under [`PUBLIC_PREFIX`].
pub(crate) const PUBLIC_ROUTE: &str = "/api/{*path}";
