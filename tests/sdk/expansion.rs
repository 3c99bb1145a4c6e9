//! The committed expansion (what `chatrace-codegen expand api-spec.yaml` prints) compiled as
//! plain source. Inside a macro's output the compiler skips its unused-code lints; a crate that
//! checks the expansion in gets them, so here they are errors.

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
    assert_eq!(
        serde_json::to_string(&plain_request).unwrap(),
        serde_json::to_string(&request).unwrap()
    );
}
