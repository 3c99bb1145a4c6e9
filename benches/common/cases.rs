//! The encode cases: each documented operation's request as the docs' example gives it, built
//! and serialized by the SDK, and as a hand-written `serde_json::json!` body of the same shape.

use chatrace::operations::{
    DeleteContactRequest, GetOrderRequest, ListGbmLocationsRequest, ListOrdersRequest,
    LoginWithAppleRequest, LoginWithGoogleRequest, UpdateOrderRequest, ValidateEmailOtpRequest,
};
use chatrace::types::{ContactId, OrderId, OrderStatus, OtpRequestId, Platform};
use chatrace::Operation;
use serde_json::json;

use super::{number_or_text_value, ACCOUNT_ID};

/// The request id of the docs' `validate_email_otp` example.
const RID: &str = "6ec08e8205fd05970f3923994d4759d2b6ca4d338258b6b5b5dd7a1f7ce86b1f";

/// The ids of the docs' examples, as text: the SDK's typed ids hold text, and the baselines
/// start from the same text (an id read from an earlier answer).
const CONTACT_ID: &str = "12345";
const ORDER_ID: &str = "1000000";

/// One documented operation: how the SDK and a hand-written client write its body.
pub struct EncodeCase {
    /// The operation's name.
    pub name: &'static str,
    /// Builds the SDK's request (and sets the account, as `send` does) and serializes it.
    pub sdk: fn() -> Vec<u8>,
    /// Builds the `json!` body and serializes it.
    pub hand: fn() -> Vec<u8>,
}

/// What `send` does before the body leaves: the account set on account-scoped requests, then
/// `serde_json::to_vec`.
fn sdk_bytes<Op: Operation>(mut op: Op) -> Vec<u8> {
    op.set_account_id(ACCOUNT_ID);
    serde_json::to_vec(&op).expect("the request serializes")
}

fn hand_bytes(value: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&value).expect("the body serializes")
}

/// The 8 documented operations.
pub const ENCODE_CASES: &[EncodeCase] = &[
    EncodeCase {
        name: "validate_email_otp",
        sdk: || {
            sdk_bytes(ValidateEmailOtpRequest::new(
                OtpRequestId::new(RID),
                "456788",
            ))
        },
        hand: || {
            hand_bytes(json!({
                "op": "login", "op1": "email", "op2": "validateOTP",
                "rid": RID,
                "data": { "code": "456788" },
            }))
        },
    },
    EncodeCase {
        name: "login_with_google",
        sdk: || {
            let mut request = LoginWithGoogleRequest::new("...");
            request.platform = Some(Platform::Ios);
            request.server_auth_code = Some(String::new());
            sdk_bytes(request)
        },
        hand: || {
            hand_bytes(json!({
                "op": "login", "op1": "authentication", "op2": "validate", "op3": "google",
                "data": { "idToken": "...", "serverAuthCode": "" },
            }))
        },
    },
    EncodeCase {
        name: "login_with_apple",
        sdk: || {
            let mut request = LoginWithAppleRequest::new("...");
            request.platform = Some(Platform::Ios);
            request.authorization_code = Some(String::new());
            sdk_bytes(request)
        },
        hand: || {
            hand_bytes(json!({
                "op": "login", "op1": "authentication", "op2": "validate", "op3": "apple",
                "data": { "identityToken": "...", "authorizationCode": "" },
            }))
        },
    },
    EncodeCase {
        name: "delete_contact",
        sdk: || sdk_bytes(DeleteContactRequest::new(ContactId::new(CONTACT_ID))),
        hand: || {
            hand_bytes(json!({
                "account_id": ACCOUNT_ID, "op": "users", "op1": "delete",
                "contact_id": CONTACT_ID,
            }))
        },
    },
    EncodeCase {
        name: "list_orders",
        sdk: || sdk_bytes(ListOrdersRequest::new()),
        hand: || {
            hand_bytes(json!({
                "account_id": ACCOUNT_ID, "op": "ecommerce", "op1": "orders", "op2": "get",
            }))
        },
    },
    EncodeCase {
        name: "get_order",
        sdk: || sdk_bytes(GetOrderRequest::new(OrderId::new(ORDER_ID))),
        hand: || {
            hand_bytes(json!({
                "account_id": ACCOUNT_ID, "op": "ecommerce", "op1": "orders", "op2": "get",
                "id": number_or_text_value(ORDER_ID),
            }))
        },
    },
    EncodeCase {
        name: "update_order",
        sdk: || {
            sdk_bytes(UpdateOrderRequest::new(
                OrderId::new(ORDER_ID),
                OrderStatus::Delivered,
            ))
        },
        hand: || {
            hand_bytes(json!({
                "account_id": ACCOUNT_ID, "op": "ecommerce", "op1": "orders", "op2": "update",
                "id": number_or_text_value(ORDER_ID),
                "data": { "status": 7 },
            }))
        },
    },
    EncodeCase {
        name: "list_gbm_locations",
        sdk: || sdk_bytes(ListGbmLocationsRequest::new()),
        hand: || {
            hand_bytes(json!({
                "account_id": ACCOUNT_ID, "op": "googleBM", "op1": "location", "op2": "get",
            }))
        },
    },
];

/// Panics unless every case's two bodies are the same JSON value (the comparison is fair).
pub fn check_encode_cases() {
    for case in ENCODE_CASES {
        let sdk: serde_json::Value =
            serde_json::from_slice(&(case.sdk)()).expect("the SDK wrote JSON");
        let hand: serde_json::Value =
            serde_json::from_slice(&(case.hand)()).expect("the baseline wrote JSON");
        assert_eq!(
            sdk, hand,
            "{}: the SDK and the baseline write different bodies",
            case.name
        );
    }
}
