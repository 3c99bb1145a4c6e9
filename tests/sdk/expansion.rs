//! The committed expansion (what `chatrace-codegen expand --server api-spec.yaml` prints)
//! compiled as plain source. Inside a macro's output the compiler skips its unused-code lints,
//! and clippy skips it whole; a crate that checks the expansion in gets them, so here they are
//! errors (clippy's in CI's lint run).

// Unused here, and only here: the items and re-exports that the crate exports (a test binary
// exports nothing).
#[deny(warnings)]
#[allow(dead_code, unused_imports)]
mod plain {
    include!("../../codegen-cli/tests/snapshots/api-spec.expanded.rs");
}

#[test]
fn the_expansion_compiles_as_plain_source_and_is_the_crate_s_code() {
    assert_eq!(plain::OPERATIONS.len(), chatrace::OPERATIONS.len());
    assert_eq!(
        plain::PUBLIC_OPERATIONS.len(),
        chatrace::PUBLIC_OPERATIONS.len()
    );
    let plain_request = plain::operations::GetOrderRequest::new(plain::types::OrderId::new(7u64));
    let request = chatrace::operations::GetOrderRequest::new(chatrace::types::OrderId::new(7u64));
    let body = serde_json::to_string(&plain_request).unwrap();
    assert_eq!(body, serde_json::to_string(&request).unwrap());
    // The server side reads the body back as the same request.
    let read =
        plain::AnyRequest::from_json(serde_json::from_str(&body).unwrap(), |_| None).unwrap();
    assert_eq!(read, plain::AnyRequest::GetOrder(plain_request));
}
