//! Reads against the sandbox, through the SDK: the inbox pages as the vendor's web inbox pages
//! it, its conditions filter, messages come newest first with their parts and the
//! conversation's hash, and the account's lists hold the seed.

use std::collections::{BTreeSet, HashSet};

use crate::common::{all_conversations, client, contact, expect_code, long_conversation, sandbox};
use chatrace::types::{
    CalendarId, Channel, ContactId, ConversationFilter, CustomFieldType, FlowId, MessageDirection,
    MessageExpansions, MessagePart, OrderId,
};
use futures::TryStreamExt;
use serde_json::{json, Value};

/// A condition as the web inbox writes it.
fn condition(attribute: &str, operator: &str, value: Value) -> ConversationFilter {
    {
        let mut built = ConversationFilter::default();
        built.attribute = Some(attribute.to_owned());
        built.operator = Some(operator.to_owned());
        built.value = Some(value);
        built.second_value = Some(Value::Null);
        built.order = Some(if operator == "6" { 1 } else { 0 });
        built
    }
}

/// The contacts of the conversations meeting `conditions`.
async fn filtered(
    client: &chatrace::Client,
    conditions: Vec<ConversationFilter>,
) -> Vec<ContactId> {
    client
        .list_conversations()
        .filters(conditions)
        .items()
        .map_ok(|c| c.contact_id)
        .try_collect()
        .await
        .unwrap()
}

#[tokio::test]
async fn conversations_page_by_offset_and_limit_newest_first() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let first = client.list_conversations().send().await.unwrap();
    assert_eq!(first.len(), 50, "the default page is the web inbox's 50");
    let second = client.list_conversations().offset(50).send().await.unwrap();
    assert_eq!(second.len(), 16);
    let past_the_end = client
        .list_conversations()
        .offset(100)
        .send()
        .await
        .unwrap();
    assert!(past_the_end.is_empty());

    let all: Vec<_> = first.iter().chain(&second).collect();
    let ids: HashSet<_> = all.iter().map(|c| c.contact_id.clone()).collect();
    assert_eq!(ids.len(), 66, "no conversation twice");
    let times: Vec<i64> = all
        .iter()
        .map(|c| c.last_message_at.as_ref().and_then(|t| t.as_i64()).unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert!(
        times[0] > 1_700_000_000_000,
        "times are milliseconds: {}",
        times[0]
    );

    // The same list streamed page by page, and in one page.
    let streamed = all_conversations(&client).await;
    let one_page = client.list_conversations().limit(100).send().await.unwrap();
    assert_eq!(streamed, one_page);
    assert_eq!(streamed.len(), 66);
    let small_pages: Vec<_> = client
        .list_conversations()
        .page_size(7)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(small_pages, one_page);

    expect_code(client.list_conversations().limit(0).send().await, "2");
    expect_code(client.list_conversations().offset(-1).send().await, "2");

    // A conversation carries the real fields.
    let c = &first[0];
    assert!(c.full_name.as_deref().is_some_and(|n| !n.is_empty()));
    assert!(c.last_message.as_deref().is_some_and(|m| !m.is_empty()));
    assert!(c.last_read_at.as_ref().and_then(|t| t.as_i64()).is_some());
    assert!(c.assignee_id.is_some());
    assert!(c.channel.is_some() && c.live_chat.is_some() && c.archived.is_some());
}

#[tokio::test]
async fn conversation_folders_and_searches_filter_as_the_web_inbox_asks() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let all = all_conversations(&client).await;
    let where_ = |keep: &dyn Fn(&chatrace::types::Conversation) -> bool| -> BTreeSet<ContactId> {
        all.iter()
            .filter(|c| keep(c))
            .map(|c| c.contact_id.clone())
            .collect()
    };
    let set = |ids: Vec<ContactId>| ids.into_iter().collect::<BTreeSet<_>>();

    // Folders: value 0 keeps the flag on, 1 keeps it off.
    let archived = set(filtered(&client, vec![condition("archived", "0", json!(0))]).await);
    assert_eq!(archived.len(), 3);
    assert_eq!(archived, where_(&|c| c.archived == Some(true)));
    let inbox = set(filtered(
        &client,
        vec![
            condition("archived", "0", json!(1)),
            condition("blocked", "0", json!(1)),
        ],
    )
    .await);
    assert_eq!(inbox.len(), 62);
    assert_eq!(
        inbox,
        where_(&|c| c.archived == Some(false) && c.blocked == Some(false))
    );
    let humans = set(filtered(&client, vec![condition("live_chat", "0", json!(0))]).await);
    assert!(!humans.is_empty());
    assert_eq!(humans, where_(&|c| c.live_chat == Some(true)));
    let followed = set(filtered(&client, vec![condition("followup", "0", json!(0))]).await);
    assert!(!followed.is_empty());
    assert_eq!(followed, where_(&|c| c.followed == Some(true)));
    let unread = set(filtered(&client, vec![condition("unread", "0", json!(0))]).await);
    let read = set(filtered(&client, vec![condition("unread", "0", json!(1))]).await);
    assert!(!unread.is_empty() && !read.is_empty());
    assert!(unread.is_disjoint(&read));
    assert_eq!(unread.len() + read.len(), all.len());
    assert!(unread.contains(&long_conversation(&sandbox)));

    // Assignment and channel take a list holding the value.
    let admin = sandbox.credentials().admin_id.to_string();
    let mine = set(filtered(&client, vec![condition("assigned_to", "0", json!([admin]))]).await);
    assert!(!mine.is_empty());
    assert_eq!(
        mine,
        where_(&|c| c.assignee_id.as_ref().map(|a| a.as_str()) == Some(&admin))
    );
    let nobodys = set(filtered(&client, vec![condition("assigned_to", "0", json!(["0"]))]).await);
    assert_eq!(
        nobodys,
        where_(&|c| c.assignee_id.as_ref().map(|a| a.as_str()) == Some("0"))
    );
    let instagram = set(filtered(&client, vec![condition("channel", "0", json!([10]))]).await);
    assert!(!instagram.is_empty());
    assert_eq!(
        instagram,
        where_(&|c| c.channel == Some(Channel::Instagram))
    );

    // Searches: on the phone's digits, the email, the name; every condition must hold.
    let by_phone = set(filtered(
        &client,
        vec![condition("phone", "6", json!(["(312) 555-10"]))],
    )
    .await);
    assert!(!by_phone.is_empty());
    assert_eq!(
        by_phone,
        where_(&|c| c.phone.as_deref().is_some_and(|p| p.contains("131255510")))
    );
    let name = all[5].full_name.clone().unwrap();
    let first_name = name.split(' ').next().unwrap().to_uppercase();
    let by_name = set(filtered(
        &client,
        vec![condition("user_name", "6", json!([first_name]))],
    )
    .await);
    assert!(by_name.contains(&all[5].contact_id));
    assert!(by_name.iter().all(|id| {
        let c = all.iter().find(|c| c.contact_id == *id).unwrap();
        c.full_name
            .as_deref()
            .unwrap()
            .to_uppercase()
            .contains(&first_name)
    }));
    let by_email = filtered(
        &client,
        vec![condition("email", "6", json!(["@EXAMPLE.org"]))],
    )
    .await;
    assert!(!by_email.is_empty() && by_email.len() < all.len());
    for id in &by_email {
        let contact = client.get_contact(id.clone()).send().await.unwrap();
        assert!(contact.email.unwrap().ends_with("@example.org"));
    }
    let archived_humans = set(filtered(
        &client,
        vec![
            condition("archived", "0", json!(0)),
            condition("live_chat", "0", json!(0)),
        ],
    )
    .await);
    assert_eq!(archived_humans, &archived & &humans);

    for refused in [
        condition("jobs", "0", json!([1])),
        condition("archived", "6", json!(0)),
        condition("archived", "0", json!(5)),
        condition("phone", "6", json!(["no digits"])),
    ] {
        let answer = client
            .list_conversations()
            .filters(vec![refused.clone()])
            .send()
            .await;
        expect_code(answer, "2");
    }
}

#[tokio::test]
async fn messages_page_newest_first_with_their_parts_and_the_contacts_hash() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let contact = long_conversation(&sandbox);
    let page = client.list_messages(contact.clone()).send().await.unwrap();
    let messages = page.messages.clone().unwrap();
    assert_eq!(messages.len(), 20, "the default page is the web inbox's 20");
    let times: Vec<i64> = messages
        .iter()
        .map(|m| m.sent_at.as_ref().and_then(|t| t.as_i64()).unwrap())
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] > w[1]),
        "newest first: {times:?}"
    );
    assert!(messages.iter().all(|m| m.id.as_str().starts_with("m_")));
    let details = client.get_contact(contact.clone()).send().await.unwrap();
    let hash = page
        .conversation_hash
        .clone()
        .expect("the hash beside data");
    assert_eq!(hash.len(), 64);
    assert_eq!(details.conversation_hash, Some(hash));

    // Both ways, and the parts the inbox shows.
    let directions: BTreeSet<_> = messages
        .iter()
        .map(|m| m.direction.clone().unwrap().as_i64())
        .collect();
    assert_eq!(directions, [0, 1].into());
    let parts: Vec<&MessagePart> = messages
        .iter()
        .flat_map(|m| m.parts.as_deref().unwrap())
        .collect();
    assert!(parts.iter().any(|p| matches!(p, MessagePart::Typing(_))));
    assert!(parts
        .iter()
        .any(|p| matches!(p, MessagePart::Text(t) if t.quick_replies.is_some())));
    for message in &messages {
        let texts: Vec<_> = message
            .parts
            .as_deref()
            .unwrap()
            .iter()
            .filter_map(|p| match p {
                MessagePart::Text(t) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!(texts.len(), 1, "{message:?}");
        assert_eq!(texts[0].direction, message.direction);
    }

    // Later pages go further back, each message once.
    let second = client
        .list_messages(contact.clone())
        .offset(20)
        .limit(20)
        .send()
        .await
        .unwrap()
        .messages
        .unwrap();
    assert!(second[0].sent_at.as_ref().unwrap().as_i64() < times.last().copied());
    let everything: Vec<_> = client
        .list_messages(contact.clone())
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(everything.len(), 125);
    let ids: HashSet<_> = everything.iter().map(|m| m.id.clone()).collect();
    assert_eq!(ids.len(), 125);
    assert_eq!(&everything[..20], &messages[..]);
    assert_eq!(sandbox.operation_count("list_messages"), 2 + 7);

    // The first page's expansions: the contact's appointments among them.
    let expanded = client
        .list_messages(contact.clone())
        .expansions({
            let mut built = MessageExpansions::default();
            built.comments = Some(json!({}));
            built.refs = Some(json!({}));
            built.appointments = Some(json!({}));
            built.inbox_actions = Some(json!({}));
            built
        })
        .send()
        .await
        .unwrap();
    // Beside the page, as the vendor's web inbox reads it: the contact's last interaction.
    let known = client.get_contact(contact.clone()).send().await.unwrap();
    assert!(expanded.last_interaction.is_some());
    assert_eq!(expanded.last_interaction, known.last_interaction_at);
    let expansions = expanded.expansions.expect("expand beside data");
    assert_eq!(expansions["comments"], json!([]));
    assert_eq!(expansions["inboxActions"], json!([]));
    let appointments: BTreeSet<&str> = expansions["appointments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(appointments, ["328240", "569601"].into());
    assert!(page.expansions.is_none(), "not asked, not answered");

    // A file part from a contact who sent a photo.
    let photo = client
        .list_messages(crate::common::contact(12_345))
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    let file = photo
        .iter()
        .flat_map(|m| m.parts.clone().unwrap())
        .find_map(|p| match p {
            MessagePart::File(f) => Some(f),
            _ => None,
        })
        .expect("contact 12345 sent a photo");
    assert_eq!(file.direction, Some(MessageDirection::FromContact));
    assert!(file
        .attachment
        .and_then(|a| a.payload)
        .and_then(|p| p.url)
        .is_some());

    expect_code(client.list_messages(ContactId::new(404)).send().await, "4");
    let past_the_end = client
        .list_messages(contact)
        .offset(500)
        .send()
        .await
        .unwrap();
    assert_eq!(past_the_end.messages, Some(vec![]));
}

#[tokio::test]
async fn a_contact_holds_its_profile_conversation_notes_and_fields() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let c = client
        .get_contact(contact(2_850_008_055_041_461))
        .send()
        .await
        .unwrap();
    assert_eq!(c.contact_id.as_str(), "2850008055041461");
    assert_eq!(
        c.full_name,
        Some(format!(
            "{} {}",
            c.first_name.clone().unwrap(),
            c.last_name.clone().unwrap()
        ))
    );
    assert_eq!(c.channel, Some(Channel::Messenger));
    assert!(
        c.created_at.as_ref().and_then(|d| d.parts()).is_some(),
        "{:?}",
        c.created_at
    );
    assert!(c.timezone_name.as_deref().is_some_and(|z| z.contains('/')));
    assert!(c
        .last_interaction_at
        .as_ref()
        .and_then(|t| t.as_i64())
        .is_some());
    let notes = c.notes.clone().unwrap();
    assert!(notes.iter().any(|n| n.id.as_str() == "61897"));
    assert!(notes
        .iter()
        .all(|n| n.author_id.is_some() && n.updated_at.is_some()));
    let fields = c.custom_fields.clone().unwrap();
    assert!(fields
        .iter()
        .any(|f| f.field_id.as_str() == "740763" && f.field_type == Some(CustomFieldType::Number)));
    let known_tags: BTreeSet<_> = client
        .list_tags()
        .send()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    let tags = c.tag_ids.clone().unwrap();
    assert!(!tags.is_empty());
    assert!(tags.iter().all(|t| known_tags.contains(t)));
    assert_eq!(c.drip_campaign_ids.map(|d| d.len()), Some(1));
    assert_eq!(c.messenger_list_ids.map(|l| l.len()), Some(1));

    // The conversation's state is the one the inbox lists.
    let listed = crate::common::conversation(&client, &c.contact_id).await;
    assert_eq!(listed.live_chat, c.live_chat);
    assert_eq!(listed.assignee_id, c.assignee_id);
    assert_eq!(listed.last_read_at, c.last_read_at);
    assert_eq!(listed.full_name, c.full_name);

    expect_code(client.get_contact(contact(404)).send().await, "4");
    expect_code(
        client
            .get_contact(ContactId::new("not-a-contact"))
            .send()
            .await,
        "4",
    );
}

#[tokio::test]
async fn the_account_lists_answer_everything_in_one_call() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let admins = client.list_admins().send().await.unwrap();
    let admin_ids: BTreeSet<_> = admins
        .iter()
        .map(|a| a.admin_id.as_str().to_owned())
        .collect();
    assert!(admin_ids.contains("1000005"));
    assert!(admin_ids.contains(&sandbox.credentials().admin_id.to_string()));
    assert!(admins
        .iter()
        .all(|a| a.name.is_some() && a.first_name.is_some()));
    let teams = client.list_teams().send().await.unwrap();
    assert_eq!(
        teams.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["688206", "688207"]
    );

    let flows = client.list_flows().send().await.unwrap();
    assert_eq!(flows.len(), 4);
    assert!(flows.iter().any(|f| f.channel == Some(Channel::All)));
    assert!(flows.iter().any(|f| f.channel == Some(Channel::Whatsapp)));
    let steps = client
        .list_flow_steps(FlowId::new(1234))
        .send()
        .await
        .unwrap();
    assert_eq!(
        steps.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["1234", "1235"]
    );
    expect_code(client.list_flow_steps(FlowId::new(999)).send().await, "4");

    let products = client.list_products().send().await.unwrap();
    assert_eq!(products.len(), 7);
    let variant = products.iter().find(|p| p.id.as_str() == "688208").unwrap();
    assert_eq!(
        variant.parent_product_id.as_ref().map(|p| p.as_str()),
        Some("22222")
    );
    assert!(products
        .iter()
        .all(|p| p.price.is_some_and(|price| price > 0.0)));

    assert_eq!(client.list_tags().send().await.unwrap().len(), 6);
    assert_eq!(client.list_drip_campaigns().send().await.unwrap().len(), 3);
    let fields = client.list_custom_fields().send().await.unwrap();
    let types: BTreeSet<i64> = fields
        .iter()
        .filter_map(|f| f.field_type.as_ref())
        .map(|t| t.as_i64())
        .collect();
    assert_eq!(types, [0, 1, 2, 3, 4].into());
    assert_eq!(client.list_messenger_lists().send().await.unwrap().len(), 2);
    let calendars = client.list_calendars().send().await.unwrap();
    assert_eq!(
        calendars.iter().map(|c| c.status).collect::<Vec<_>>(),
        [Some(1), Some(1)]
    );
    let locations = client.list_gbm_locations().send().await.unwrap();
    assert_eq!(locations.len(), 2);
    assert!(locations
        .iter()
        .all(|l| l.id.as_str().starts_with("brands/")));
    let replies = client.list_saved_replies().send().await.unwrap();
    assert!(replies
        .iter()
        .any(|r| r.shortcode.as_deref() == Some("/welcome")));

    // Another account's lists are its own.
    let second = client
        .list_products()
        .account_id(sandbox.credentials().second_account_id)
        .send()
        .await
        .unwrap();
    assert_eq!(second.len(), 2);
    assert!(second.iter().all(|p| !products.contains(p)));
}

#[tokio::test]
async fn appointments_come_split_into_next_and_past() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let all = client.list_appointments().send().await.unwrap();
    let next = all.upcoming.unwrap();
    let past = all.past.unwrap();
    assert_eq!((next.len(), past.len()), (4, 3));
    let starts = |list: &[chatrace::types::Appointment]| -> Vec<String> {
        list.iter()
            .map(|a| a.starts_at.as_ref().unwrap().as_str().to_owned())
            .collect()
    };
    let (next_starts, past_starts) = (starts(&next), starts(&past));
    assert!(
        next_starts.windows(2).all(|w| w[0] <= w[1]),
        "soonest first"
    );
    assert!(past_starts.windows(2).all(|w| w[0] >= w[1]), "latest first");
    assert!(past_starts[0] < next_starts[0]);
    assert!(next.iter().any(|a| a.id.as_str() == "45595"));
    assert!(next
        .iter()
        .chain(&past)
        .all(|a| a.contact_id.is_some() && a.duration_minutes.is_some()));

    let tasting = client
        .list_appointments()
        .calendar_id(CalendarId::new(32_823))
        .send()
        .await
        .unwrap();
    let listed: Vec<_> = tasting
        .upcoming
        .unwrap()
        .into_iter()
        .chain(tasting.past.unwrap())
        .collect();
    assert_eq!(listed.len(), 4);
    assert!(listed
        .iter()
        .all(|a| a.calendar_id.as_ref().map(|c| c.as_str()) == Some("32823")));
    let unknown = client
        .list_appointments()
        .calendar_id(CalendarId::new(1))
        .send()
        .await;
    expect_code(unknown, "4");
}

#[tokio::test]
async fn orders_are_listed_newest_first_and_read_one_by_one() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let orders = client.list_orders().send().await.unwrap();
    assert_eq!(orders.len(), 24);
    let confirmed: Vec<i64> = orders
        .iter()
        .map(|o| {
            o.confirmed_at_unix
                .as_ref()
                .and_then(|t| t.as_i64())
                .unwrap()
        })
        .collect();
    assert!(confirmed.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert!(orders.iter().any(|o| o.id.as_str() == "569601"));

    let order = client
        .get_order(OrderId::new(1_000_000))
        .send()
        .await
        .unwrap();
    assert_eq!(
        order.contact_id.as_ref().map(|c| c.as_str()),
        Some("238847438434")
    );
    let products = order.products.clone().unwrap();
    assert_eq!(products[0].product_id.as_str(), "4939343");
    assert_eq!(order.item_count, Some(1));
    assert_eq!(order.total, Some(200.0));
    let contact = order.contact.clone().unwrap();
    assert_eq!(contact.id.as_str(), "238847438434");
    let listed = orders.iter().find(|o| o.id == order.id).unwrap();
    assert_eq!(listed.status, order.status);
    assert_eq!(listed.total, order.total);
    assert_eq!(listed.name, contact.name);

    expect_code(client.get_order(OrderId::new(424_242)).send().await, "4");
}
