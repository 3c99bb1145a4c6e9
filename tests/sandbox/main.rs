//! The SDK against the sandbox: every operation, sessions and accounts, raw HTTP bodies as the
//! vendor's docs send them, reads and writes. One test binary, so that the SDK and the sandbox
//! are linked once.

#[path = "../sandbox_common/mod.rs"]
mod common;

mod all_operations;
mod auth;
mod public_api;
mod public_operations;
mod raw_http;
mod reads;
mod writes;
