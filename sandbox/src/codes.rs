//! The API error codes the sandbox answers, in `{"status":"ERROR","code":N}` (HTTP 200, no
//! message, as the real server does). Each is one the vendor's own apps handle (see the
//! crate's documentation for what sends which).

/// The session is missing or no longer valid: no `X-ACCESS-TOKEN`, an unknown token, or one
/// that was logged out. The vendor's apps send the user back to login on it.
pub const INVALID_SESSION: u16 = 1;

/// The request was refused: the body is not a JSON object, names no operation, does not fit
/// its operation, or holds a value the operation does not take (an empty text, an order
/// status `update_order` does not accept, a custom field value of the wrong type...).
pub const REFUSED: u16 = 2;

/// The request names something that does not exist in the account: a contact, an order, a
/// note, a saved reply, an appointment, a flow, a tag... Also what the sandbox answers when it
/// cannot complete a request itself (an operation without a handler whose documented example
/// answer is broken): the vendor's apps show an error page on it.
pub const NOT_FOUND: u16 = 4;

/// The contact cannot be reached on the channel the request names: the bot is not connected
/// to them there.
pub const NOT_CONNECTED: u16 = 14;

/// A login was refused: a wrong or used email code, an unknown request id, or a social
/// login's token the sandbox does not accept.
pub const LOGIN_REFUSED: u16 = 401;

/// The logged user may not open the account the request names (or it does not exist).
/// Nothing changes.
pub const ACCOUNT_FORBIDDEN: u16 = 403;
