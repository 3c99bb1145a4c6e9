//! The generated metadata is the catalogue: one entry per operation, in its order, with its
//! wire facts, so the CLI and the sandbox (which read the metadata) agree with the SDK.

use chatrace::Provenance;
use chatrace_codegen::model;

#[test]
fn operations_metadata_matches_the_catalogue() {
    let catalogue =
        chatrace_codegen::load_file(concat!(env!("CARGO_MANIFEST_DIR"), "/api-spec.yaml"))
            .expect("the catalogue is valid");
    let (public, mobile): (Vec<&model::Operation>, Vec<&model::Operation>) =
        catalogue.operations.iter().partition(|op| op.is_rest());
    // The collection's 54, and the 3 WhatsApp template operations of the vendor's web inbox.
    assert_eq!(mobile.len(), 57);
    assert_eq!(public.len(), 55);
    for (table, ops) in [
        (&chatrace::OPERATIONS[..], &mobile),
        (&chatrace::PUBLIC_OPERATIONS[..], &public),
    ] {
        assert_eq!(table.len(), ops.len());
        for (meta, op) in table.iter().zip(ops.iter()) {
            matches_the_catalogue(meta, op);
        }
    }
}

#[test]
fn enums_metadata_names_every_value_of_every_enum_of_the_catalogue() {
    let catalogue =
        chatrace_codegen::load_file(concat!(env!("CARGO_MANIFEST_DIR"), "/api-spec.yaml"))
            .expect("the catalogue is valid");
    let enums: Vec<_> = catalogue
        .types
        .iter()
        .filter_map(|ty| match &ty.kind {
            model::TypeKind::Enum { values, .. } => Some((ty.name.as_str(), values)),
            _ => None,
        })
        .collect();
    assert_eq!(chatrace::ENUMS.len(), enums.len());
    for (meta, (name, values)) in chatrace::ENUMS.iter().zip(&enums) {
        assert_eq!(meta.name, *name);
        let listed: Vec<(String, &str)> = values
            .iter()
            .map(|v| (v.value.to_string(), v.name.as_str()))
            .collect();
        let generated: Vec<(String, &str)> = meta
            .values
            .iter()
            .map(|(wire, named)| ((*wire).to_owned(), *named))
            .collect();
        assert_eq!(generated, listed, "{name}");
    }
    let mode = chatrace::ENUMS
        .iter()
        .find(|e| e.name == "ConversationMode")
        .expect("ConversationMode");
    assert_eq!(mode.name_of("1"), Some("human"));
}

fn matches_the_catalogue(meta: &chatrace::OperationMeta, op: &model::Operation) {
    {
        assert_eq!(meta.name, op.name);
        assert_eq!(meta.title, op.title);
        assert_eq!(meta.api, op.api, "{}", op.name);
        assert_eq!(
            meta.http.map(|http| (http.method, http.path)),
            op.http
                .as_ref()
                .map(|route| (route.method, route.path.as_str())),
            "{}",
            op.name
        );
        let discriminators: Vec<(String, String)> = meta
            .discriminators
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(discriminators, op.discriminators, "{}", op.name);
        assert_eq!(meta.provenance, op.provenance, "{}", op.name);
        assert_eq!(meta.examples.len(), op.examples.len(), "{}", op.name);
        assert_eq!(meta.inferred.len(), op.inferred.len(), "{}", op.name);
        assert_eq!(meta.constants.len(), op.constants.len(), "{}", op.name);
        assert_eq!(meta.auth, op.auth, "{}", op.name);
        assert_eq!(meta.scope, op.scope, "{}", op.name);
        assert_eq!(meta.body, op.body, "{}", op.name);
        assert_eq!(meta.retry_safe, op.retry_safe(), "{}", op.name);
        assert_eq!(meta.params.len(), op.params.len(), "{}", op.name);
        for (param, declared) in meta.params.iter().zip(&op.params) {
            assert_eq!(param.wire, declared.wire, "{}", op.name);
            assert_eq!(param.location, declared.location, "{}", op.name);
            assert_eq!(
                param.required, declared.required,
                "{} {}",
                op.name, declared.wire
            );
        }
    }
}

#[test]
fn every_mobile_operation_s_wire_form_is_the_vendor_s() {
    let from_collection = chatrace::OPERATIONS
        .iter()
        .filter(|m| m.provenance == Provenance::Collection)
        .count();
    assert_eq!(
        from_collection, 54,
        "every operation's wire form is the vendor's"
    );
}

#[test]
fn any_request_round_trips_every_operation_the_sdk_serializes() {
    // A request serialized by the SDK is read back by `AnyRequest` as the same operation:
    // discriminators (and required params) pick the right one, including the two that share
    // `ecommerce/orders/get`.
    let list = serde_json::to_value(chatrace::operations::ListOrdersRequest::new()).unwrap();
    let one = serde_json::to_value(chatrace::operations::GetOrderRequest::new(
        chatrace::types::OrderId::new(7u64),
    ))
    .unwrap();
    let read = |body: serde_json::Value| chatrace::AnyRequest::from_json(body, |_| None).unwrap();
    assert_eq!(read(list).meta().name, "list_orders");
    match read(one) {
        chatrace::AnyRequest::GetOrder(request) => assert_eq!(request.order_id.as_u64(), Some(7)),
        other => panic!("read as {}", other.meta().name),
    }
    let unknown = chatrace::AnyRequest::from_json(serde_json::json!({"op": "nope"}), |_| None);
    assert!(unknown.unwrap_err().to_string().contains("op=\"nope\""));
}

#[test]
fn operations_that_share_discriminators_are_told_apart_as_the_vendor_does() {
    use chatrace::operations::*;
    use chatrace::types::{AdminId, ContactId};
    let read = |body: serde_json::Value| {
        chatrace::AnyRequest::from_json(body, |_| None)
            .unwrap()
            .meta()
            .name
    };
    let json = |request: &dyn erased::Body| request.json();
    let contact = || ContactId::new("12345");
    let cases: Vec<(&str, serde_json::Value)> = vec![
        ("get_current_user", json(&GetCurrentUserRequest::new())),
        ("list_admins", json(&ListAdminsRequest::new())),
        ("list_conversations", json(&ListConversationsRequest::new())),
        ("list_messages", json(&ListMessagesRequest::new(contact()))),
        ("list_flows", json(&ListFlowsRequest::new())),
        (
            "list_flow_steps",
            json(&ListFlowStepsRequest::new(chatrace::types::FlowId::new(
                9u64,
            ))),
        ),
        (
            "assign_conversation",
            json(&AssignConversationRequest::new(
                contact(),
                AdminId::new(5u64),
            )),
        ),
        (
            "unassign_conversation",
            json(&UnassignConversationRequest::new(contact())),
        ),
    ];
    for (name, body) in cases {
        assert_eq!(read(body.clone()), name, "{body}");
    }
}

/// Serializing any request to JSON, without naming its type.
mod erased {
    pub trait Body {
        fn json(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Body for T {
        fn json(&self) -> serde_json::Value {
            serde_json::to_value(self).expect("a request serializes")
        }
    }
}
