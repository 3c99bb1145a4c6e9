//! Every operation of the public API against the sandbox, through the typed `PublicClient`:
//! each answers and decodes into its typed output, on the route its metadata gives. An
//! operation the catalogue gains later is still called, through `AnyRequest::from_operation`
//! with params from the seed.

use std::collections::BTreeSet;

use chatrace::types::*;
use chatrace::{AnyRequest, CallOptions, PublicClient, PUBLIC_OPERATIONS};
use serde_json::{json, Map, Value};

use crate::common::{json_of, public_client, sandbox, JsonCall};

/// Seeded ids the calls name.
const LONG: u64 = 100_000_000_001;
const WITH_CART: u64 = 12_345;
const ORDERED: u64 = 238_847_438_434;
const SALES: u64 = 71_001;

/// The typed call of every operation, in an order where each finds what it needs (reads
/// first, deletes last).
fn typed_calls(api: &PublicClient) -> Vec<(&'static str, JsonCall<'_>)> {
    let long = || ContactId::new(LONG);
    let sales = || PipelineId::new(SALES);
    let beans = || OpportunityId::new(71_101);
    vec![
        ("get_account", json_of(api.get_account().send())),
        (
            "list_account_admins",
            json_of(api.list_account_admins().send()),
        ),
        ("list_account_tags", json_of(api.list_account_tags().send())),
        (
            "create_tag",
            json_of(api.create_tag("Trade show 2024").send()),
        ),
        ("get_tag", json_of(api.get_tag(TagId::new(345)).send())),
        (
            "get_tag_by_name",
            json_of(api.get_tag_by_name("VIP").send()),
        ),
        (
            "list_account_flows",
            json_of(api.list_account_flows().send()),
        ),
        (
            "list_account_custom_fields",
            json_of(api.list_account_custom_fields().send()),
        ),
        (
            "create_account_custom_field",
            json_of(
                api.create_account_custom_field("Lead score", CustomFieldType::Number)
                    .send(),
            ),
        ),
        (
            "get_custom_field",
            json_of(api.get_custom_field(CustomFieldId::new(473_991)).send()),
        ),
        (
            "get_custom_field_by_name",
            json_of(api.get_custom_field_by_name("Favourite roast").send()),
        ),
        (
            "get_bot_field",
            json_of(api.get_bot_field(BotFieldId::new(72_001)).send()),
        ),
        (
            "set_bot_field",
            json_of(api.set_bot_field(BotFieldId::new(72_002), "5").send()),
        ),
        (
            "clear_bot_field",
            json_of(api.clear_bot_field(BotFieldId::new(72_003)).send()),
        ),
        (
            "generate_template_link",
            json_of(api.generate_template_link(TemplateId::new("tpl-42")).send()),
        ),
        (
            "list_account_integrations",
            json_of(api.list_account_integrations().send()),
        ),
        (
            "get_contact_record",
            json_of(api.get_contact_record(long()).send()),
        ),
        (
            "find_contacts_by_custom_field",
            json_of(
                api.find_contacts_by_custom_field(CustomFieldId::new("phone"), "13125551000")
                    .send(),
            ),
        ),
        (
            "list_contact_tags",
            json_of(api.list_contact_tags(ContactId::new(1_234_567)).send()),
        ),
        (
            "add_tag_to_contact",
            json_of(api.add_tag_to_contact(long(), TagId::new(347)).send()),
        ),
        (
            "remove_tag_from_contact",
            json_of(api.remove_tag_from_contact(long(), TagId::new(347)).send()),
        ),
        (
            "create_contact",
            json_of(
                api.create_contact()
                    .phone("+1 415 555 0199")
                    .first_name("Rosa")
                    .last_name("Diaz")
                    .actions(vec![ContactAction::AddTag(AddTagAction::new(
                        "Wholesale lead".to_owned(),
                    ))])
                    .send(),
            ),
        ),
        (
            "list_contact_custom_fields",
            json_of(api.list_contact_custom_fields(long()).send()),
        ),
        (
            "get_contact_custom_field",
            json_of(
                api.get_contact_custom_field(long(), CustomFieldId::new(473_991))
                    .send(),
            ),
        ),
        (
            "set_contact_custom_field",
            json_of(
                api.set_contact_custom_field(long(), CustomFieldId::new(740_763), "120")
                    .send(),
            ),
        ),
        (
            "clear_contact_custom_field",
            json_of(
                api.clear_contact_custom_field(long(), CustomFieldId::new(740_763))
                    .send(),
            ),
        ),
        (
            "send_flow_to_contact",
            json_of(api.send_flow_to_contact(long(), FlowId::new(1234)).send()),
        ),
        (
            "send_text_to_contact",
            json_of(
                api.send_text_to_contact(long(), "Your beans are roasted.")
                    .channel(ChannelName::Messenger)
                    .send(),
            ),
        ),
        (
            "send_file_to_contact",
            json_of(
                api.send_file_to_contact(
                    long(),
                    "https://cdn.example.com/menu.pdf",
                    FileKind::Document,
                )
                .caption("This week's menu")
                .send(),
            ),
        ),
        (
            "send_content_to_contact",
            json_of(
                api.send_content_to_contact(long())
                    .messages(vec![ContentMessage::new({
                        let mut content = MessageContent::default();
                        content.text = Some("Two messages, one call.".to_owned());
                        content
                    })])
                    .send(),
            ),
        ),
        (
            "send_products_to_contact",
            json_of(
                api.send_products_to_contact(long(), vec![ProductId::new(1111)])
                    .send(),
            ),
        ),
        ("list_pipelines", json_of(api.list_pipelines().send())),
        ("get_pipeline", json_of(api.get_pipeline(sales()).send())),
        (
            "list_pipeline_stages",
            json_of(api.list_pipeline_stages(sales()).send()),
        ),
        (
            "list_pipeline_custom_fields",
            json_of(api.list_pipeline_custom_fields(sales()).send()),
        ),
        (
            "list_opportunities",
            json_of(api.list_opportunities(sales()).send()),
        ),
        (
            "create_opportunity",
            json_of(
                api.create_opportunity(sales(), ContactId::new(WITH_CART), "Espresso machine")
                    .value(900.0)
                    .send(),
            ),
        ),
        (
            "get_opportunity",
            json_of(api.get_opportunity(sales(), beans()).send()),
        ),
        (
            "update_opportunity",
            json_of(
                api.update_opportunity(sales(), beans())
                    .stage_id(StageId::new(71_013))
                    .send(),
            ),
        ),
        (
            "list_opportunity_comments",
            json_of(api.list_opportunity_comments(sales(), beans()).send()),
        ),
        (
            "add_opportunity_comment",
            json_of(
                api.add_opportunity_comment(sales(), beans(), "Tasting booked.")
                    .send(),
            ),
        ),
        (
            "delete_opportunity_comment",
            json_of(
                api.delete_opportunity_comment(sales(), beans(), CommentId::new(71_201))
                    .send(),
            ),
        ),
        (
            "delete_opportunity",
            json_of(
                api.delete_opportunity(sales(), OpportunityId::new(71_103))
                    .send(),
            ),
        ),
        (
            "get_cart",
            json_of(api.get_cart(ContactId::new(WITH_CART)).send()),
        ),
        (
            "add_to_cart",
            json_of(
                api.add_to_cart(ContactId::new(WITH_CART), ProductId::new(22_222), 1)
                    .send(),
            ),
        ),
        (
            "remove_from_cart",
            json_of(
                api.remove_from_cart(ContactId::new(WITH_CART), ProductId::new(22_222))
                    .send(),
            ),
        ),
        (
            "mark_order_paid",
            json_of(
                api.mark_order_paid(ContactId::new(WITH_CART), OrderId::new(1_000_100), 8_600)
                    .send(),
            ),
        ),
        (
            "clear_cart",
            json_of(api.clear_cart(ContactId::new(WITH_CART)).send()),
        ),
        (
            "get_contact_order",
            json_of(
                api.get_contact_order(ContactId::new(ORDERED), OrderId::new(1_000_000))
                    .send(),
            ),
        ),
        (
            "set_order_status",
            json_of(
                api.set_order_status(
                    ContactId::new(ORDERED),
                    OrderId::new(1_000_000),
                    OrderStatus::Shipped,
                )
                .send(),
            ),
        ),
        (
            "get_product",
            json_of(api.get_product(ProductId::new(3333)).send()),
        ),
        (
            "update_product",
            json_of(api.update_product(ProductId::new(3333)).stock(30).send()),
        ),
        (
            "list_booking_calendars",
            json_of(api.list_booking_calendars().send()),
        ),
        (
            "get_booking_calendar",
            json_of(api.get_booking_calendar(CalendarId::new(32_823)).send()),
        ),
        (
            "delete_tag",
            json_of(api.delete_tag(TagId::new(350)).send()),
        ),
    ]
}

/// Params from the seed for an operation of the catalogue that `typed_calls` does not know:
/// a seeded id for each path param, nothing else.
fn seeded_params(meta: &chatrace::OperationMeta) -> Map<String, Value> {
    meta.params
        .iter()
        .filter(|p| p.location == chatrace::ParamLocation::Path)
        .map(|p| {
            let id = match p.wire {
                "contact_id" => json!(LONG.to_string()),
                "pipeline_id" => json!(SALES.to_string()),
                _ => json!("1"),
            };
            (p.wire.to_owned(), id)
        })
        .collect()
}

#[tokio::test]
async fn every_public_operation_answers_through_the_typed_client() {
    let sandbox = sandbox().await;
    let api = public_client(&sandbox);
    let mut called = BTreeSet::new();
    for (name, call) in typed_calls(&api) {
        let answer = call.await.unwrap_or_else(|e| panic!("{name}: {e}"));
        if name.starts_with("list_") {
            let empty = match &answer {
                Value::Array(items) => items.is_empty(),
                Value::Object(map) => map
                    .get("data")
                    .and_then(Value::as_array)
                    .is_none_or(Vec::is_empty),
                _ => true,
            };
            // The account's integrations are the one list the sandbox has nothing of.
            assert!(
                !empty || name == "list_account_integrations",
                "{name} answered nothing: {answer}"
            );
        }
        if let Some(success) = answer.get("success") {
            assert_eq!(success, &json!(true), "{name}: {answer}");
        }
        assert!(called.insert(name), "{name} twice");
    }

    // Operations the catalogue gained after this list was written still answer.
    let uncalled: Vec<_> = PUBLIC_OPERATIONS
        .iter()
        .filter(|m| !called.contains(m.name))
        .collect();
    for meta in uncalled {
        AnyRequest::from_operation(meta.name, Value::Object(seeded_params(meta)))
            .unwrap_or_else(|e| panic!("{}: {e}", meta.name))
            .send(api.handle(), &CallOptions::default())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", meta.name));
        called.insert(meta.name);
    }

    let all: BTreeSet<&str> = PUBLIC_OPERATIONS.iter().map(|m| m.name).collect();
    assert_eq!(called, all);
    assert_eq!(all.len(), 55);
    let counts = sandbox.operation_counts();
    for name in &all {
        assert_eq!(
            counts.get(*name),
            Some(&1),
            "{name} reached the sandbox once"
        );
    }
}

#[tokio::test]
async fn the_public_api_pages_by_offset_and_limit() {
    let sandbox = sandbox().await;
    let api = public_client(&sandbox);
    let sales = PipelineId::new(SALES);
    let first = api
        .list_opportunities(sales.clone())
        .limit(2)
        .send()
        .await
        .expect("the first page");
    let second = api
        .list_opportunities(sales.clone())
        .offset(2)
        .limit(2)
        .send()
        .await
        .expect("the second page");
    let ids = |list: OpportunityList| -> Vec<String> {
        list.opportunities
            .unwrap_or_default()
            .into_iter()
            .map(|o| o.id.to_string())
            .collect()
    };
    assert_eq!(ids(first), ["71101", "71102"]);
    assert_eq!(ids(second), ["71103"]);
    // The stream walks the pages until one comes back short.
    use futures::TryStreamExt;
    let all: Vec<Opportunity> = api
        .list_opportunities(sales.clone())
        .page_size(1)
        .items()
        .try_collect()
        .await
        .expect("every opportunity");
    assert_eq!(all.len(), 3);
    let theirs = api
        .list_opportunities(sales)
        .contact_id(ContactId::new(WITH_CART))
        .send()
        .await
        .expect("one contact's");
    assert_eq!(ids(theirs), ["71102"]);
}
