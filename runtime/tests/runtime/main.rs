//! Integration tests of the runtime against a scripted HTTP server on 127.0.0.1.
//!
//! One test binary (faster to link); each module covers one concern. The operations are
//! hand-written fakes in `common`, shaped like the generated ones.

mod answer_size;
mod calls;
mod common;
mod concurrency;
mod errors;
mod hooks;
mod paging;
mod redaction;
mod retry;
mod session;
mod upload;
