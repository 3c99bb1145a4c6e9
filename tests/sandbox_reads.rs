//! Reads against the seeded sandbox, through the SDK: lists page correctly and consistently,
//! filters filter, and the catalogue's lists hold what the seed promises.

mod sandbox_common;

use std::collections::HashSet;

use chatrace::types::{
    AppointmentStatus, Channel, ConversationFolder, CustomFieldType, MessageDirection, MessageType,
    OrderStatus,
};
use futures::TryStreamExt;
use sandbox_common::{client, expect_api_error, sandbox};

#[tokio::test]
async fn conversations_page_consistently_while_nothing_is_written() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let all = api.list_conversations().limit(100).send().await.unwrap();
    assert_eq!(all.len(), 64, "the inbox holds 64 open conversations");
    let default = api.list_conversations().send().await.unwrap();
    assert_eq!(default.len(), 20, "the catalogue's default page size");
    assert_eq!(default[..], all[..20]);

    // Pages of 7, by hand: the same list, in the same order, every item once.
    let mut paged = Vec::new();
    let mut offset = 0;
    loop {
        let page = api
            .list_conversations()
            .offset(offset)
            .limit(7)
            .send()
            .await
            .unwrap();
        let n = page.len() as i64;
        paged.extend(page);
        if n < 7 {
            break;
        }
        offset += n;
    }
    assert_eq!(paged, all);
    // Newest first.
    assert!(all
        .windows(2)
        .all(|w| w[0].last_message_at >= w[1].last_message_at));
    // Past the end, and nonsense.
    let beyond = api.list_conversations().offset(500).send().await.unwrap();
    assert!(beyond.is_empty());
    let capped = api.list_conversations().limit(1000).send().await.unwrap();
    assert_eq!(capped.len(), 64, "a page holds at most max_limit (100)");
    expect_api_error(api.list_conversations().limit(0).send().await, "400");
    expect_api_error(api.list_conversations().offset(-1).send().await, "400");
    // The same answers again.
    assert_eq!(
        api.list_conversations().limit(100).send().await.unwrap(),
        all
    );
}

#[tokio::test]
async fn conversation_filters_filter() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let folder = |f: ConversationFolder| api.list_conversations().folder(f).limit(100);

    let archived = folder(ConversationFolder::Archived).send().await.unwrap();
    assert_eq!(archived.len(), 3);
    assert!(archived.iter().all(|c| c.archived == Some(true)));
    let blocked = folder(ConversationFolder::Blocked).send().await.unwrap();
    assert_eq!(blocked.len(), 1);
    assert_eq!(blocked[0].blocked, Some(true));
    let unassigned = folder(ConversationFolder::Unassigned).send().await.unwrap();
    assert!(!unassigned.is_empty());
    assert!(unassigned
        .iter()
        .all(|c| c.assigned_admin_id.is_none() && c.assigned_team_id.is_none()));
    let followed = folder(ConversationFolder::Followed).send().await.unwrap();
    assert!(!followed.is_empty() && followed.iter().all(|c| c.followed == Some(true)));
    // Nothing is assigned to the demo user in the seed.
    let mine = folder(ConversationFolder::Mine).send().await.unwrap();
    assert!(mine.is_empty());

    let instagram = api
        .list_conversations()
        .channel(Channel::Instagram)
        .limit(100)
        .send()
        .await
        .unwrap();
    assert!(!instagram.is_empty());
    assert!(instagram
        .iter()
        .all(|c| c.channel == Some(Channel::Instagram)));
    let vip = api
        .list_conversations()
        .tag_id(7101)
        .limit(100)
        .send()
        .await
        .unwrap();
    assert!(!vip.is_empty());
    assert!(vip
        .iter()
        .all(|c| c.tags.as_ref().unwrap().iter().any(|t| t.id == 7101)));
    let unread = api
        .list_conversations()
        .unread_only(true)
        .limit(100)
        .send()
        .await
        .unwrap();
    assert!(!unread.is_empty() && unread.iter().all(|c| c.unread_count > Some(0)));
    let by_name = api
        .list_conversations()
        .search("olivia")
        .limit(100)
        .send()
        .await
        .unwrap();
    assert!(!by_name.is_empty());
    assert!(by_name
        .iter()
        .all(|c| c.name.as_deref().unwrap().contains("Olivia")));
    let by_text = api
        .list_conversations()
        .search("Latte art")
        .send()
        .await
        .unwrap();
    assert!(by_text.is_empty(), "no message mentions latte art");
    let unknown = api
        .list_conversations()
        .folder(ConversationFolder::Unknown("spam".into()))
        .send()
        .await;
    assert!(expect_api_error(unknown, "400").contains("spam"));
}

#[tokio::test]
async fn messages_page_newest_first_and_stream_each_once() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let contact = 238_847_438_434;
    let newest = api.list_messages(contact).send().await.unwrap();
    assert_eq!(newest.len(), 50, "the catalogue's default page size");
    assert!(newest.windows(2).all(|w| w[0].sent_at >= w[1].sent_at));
    assert!(newest.iter().all(|m| m.contact_id == Some(contact)));
    let all: Vec<_> = api
        .list_messages(contact)
        .page_size(30)
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: HashSet<u64> = all.iter().map(|m| m.id).collect();
    assert_eq!(all.len(), 121, "120 messages and one note");
    assert_eq!(ids.len(), all.len());
    assert_eq!(all[..50], newest[..]);
    let notes: Vec<_> = all
        .iter()
        .filter(|m| m.kind == Some(MessageType::Note))
        .collect();
    assert_eq!(notes.len(), 1);
    assert!(all
        .iter()
        .any(|m| m.direction == Some(MessageDirection::Inbound)));

    // Older than a given message.
    let pivot = &all[10];
    let older = api
        .list_messages(contact)
        .before_id(pivot.id)
        .limit(200)
        .send()
        .await
        .unwrap();
    assert_eq!(older[..], all[11..]);
    expect_api_error(api.list_messages(contact).before_id(1).send().await, "404");
    expect_api_error(api.list_messages(999).send().await, "404");
}

#[tokio::test]
async fn a_contact_holds_its_tags_fields_and_assignment() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let contact = api.get_contact(238_847_438_434).send().await.unwrap();
    assert_eq!(contact.id, 238_847_438_434);
    assert_eq!(contact.channel, Some(Channel::Messenger));
    assert_eq!(contact.name.as_deref(), Some("Olivia Bennett"));
    let tags: Vec<u64> = contact.tags.unwrap().iter().map(|t| t.id).collect();
    assert_eq!(tags, vec![7101, 7105]);
    let fields = contact.custom_fields.unwrap();
    let points = fields.iter().find(|f| f.field_id == 7402).unwrap();
    assert_eq!(points.name.as_deref(), Some("Loyalty points"));
    assert_eq!(contact.assigned_admin_id, Some(4_012_345_679));
    assert!(contact.last_interaction_at.is_some());
    let missing = api.get_contact(1).send().await;
    assert!(expect_api_error(missing, "404").contains("contact 1 "));
}

#[tokio::test]
async fn the_account_lists_hold_the_seed() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);

    let admins = api.list_admins().send().await.unwrap();
    assert_eq!(admins.len(), 4);
    let admin_ids: HashSet<u64> = admins.iter().map(|a| a.id).collect();
    let teams = api.list_teams().send().await.unwrap();
    assert_eq!(teams.len(), 3);
    assert!(teams
        .iter()
        .flat_map(|t| t.admin_ids.clone().unwrap())
        .all(|id| admin_ids.contains(&id)));

    let flows = api.list_flows().send().await.unwrap();
    assert_eq!(flows.len(), 4);
    for flow in &flows {
        let steps = api.list_flow_steps(flow.id).send().await.unwrap();
        assert_eq!(Some(steps.len() as i64), flow.step_count);
        assert!(steps.iter().all(|s| s.flow_id == Some(flow.id)));
    }
    expect_api_error(api.list_flow_steps(1).send().await, "404");
    let two = api.list_flows().offset(1).limit(2).send().await.unwrap();
    assert_eq!(two[..], flows[1..3]);

    let products = api.list_products().send().await.unwrap();
    assert_eq!(products.len(), 8);
    assert!(products.iter().any(|p| p.id == 4_939_343));
    let tags = api.list_tags().send().await.unwrap();
    assert_eq!(tags.len(), 6);
    let drips = api.list_drip_campaigns().send().await.unwrap();
    let subscribers: i64 = drips.iter().map(|d| d.subscriber_count.unwrap()).sum();
    assert_eq!(subscribers, 68, "every contact is in one drip campaign");
    let fields = api.list_custom_fields().send().await.unwrap();
    assert_eq!(fields.len(), 6);
    assert!(fields
        .iter()
        .any(|f| f.field_type == Some(CustomFieldType::Json)));
    let lists = api.list_messenger_lists().send().await.unwrap();
    assert_eq!(lists.len(), 2);
    let replies = api.list_saved_replies().send().await.unwrap();
    assert_eq!(replies.len(), 3);
    let locations = api.list_gbm_locations().send().await.unwrap();
    assert!(locations.iter().all(|l| l.id.starts_with("brands/")));
    let whitelabel = api.get_whitelabel().send().await.unwrap();
    assert_eq!(whitelabel.domain.as_deref(), Some("sandbox.chatrace.test"));
    let same = api
        .get_whitelabel()
        .domain("sandbox.chatrace.test")
        .send()
        .await
        .unwrap();
    assert_eq!(same, whitelabel);
    expect_api_error(
        api.get_whitelabel().domain("example.com").send().await,
        "404",
    );
}

#[tokio::test]
async fn appointments_filter_by_calendar_time_and_status() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let calendars = api.list_calendars().send().await.unwrap();
    assert_eq!(calendars.len(), 2);
    let all = api.list_appointments().send().await.unwrap();
    assert_eq!(all.len(), 10);
    assert!(all.windows(2).all(|w| w[0].starts_at <= w[1].starts_at));
    let tasting = api
        .list_appointments()
        .calendar_id(calendars[0].id)
        .send()
        .await
        .unwrap();
    assert!(!tasting.is_empty());
    assert!(tasting
        .iter()
        .all(|a| a.calendar_id == Some(calendars[0].id)));
    let now = 1_717_243_200;
    let upcoming = api.list_appointments().from(now).send().await.unwrap();
    assert!(upcoming.iter().all(|a| a.starts_at >= Some(now)));
    assert!(upcoming
        .iter()
        .all(|a| a.status == Some(AppointmentStatus::Booked)));
    let past = api.list_appointments().to(now).send().await.unwrap();
    assert_eq!(past.len() + upcoming.len(), all.len());
    let no_show = api
        .list_appointments()
        .status(AppointmentStatus::NoShow)
        .send()
        .await
        .unwrap();
    assert_eq!(no_show.len(), 1);
    expect_api_error(api.list_appointments().calendar_id(1).send().await, "404");
    expect_api_error(
        api.list_appointments().from(now).to(now - 1).send().await,
        "400",
    );
}

#[tokio::test]
async fn orders_page_newest_first_and_hold_the_docs_order() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let first = api.list_orders().send().await.unwrap();
    assert_eq!(first.len(), 20);
    let all: Vec<_> = api
        .list_orders()
        .page_size(20)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 30);
    assert_eq!(all[..20], first[..]);
    assert!(all.windows(2).all(|w| w[0].t_confirmed >= w[1].t_confirmed));
    let docs = all.iter().find(|o| o.id == 569_601).unwrap();
    assert_eq!(docs.t_confirmed, Some(1_706_209_200));
    assert_eq!(docs.dt_confirmed.as_deref(), Some("2024-01-25 19:00:00"));

    let order = api.get_order(1_000_000).send().await.unwrap();
    assert_eq!(order.contact_id, Some(238_847_438_434));
    assert_eq!(
        (order.total, order.number_items, order.rating),
        (Some(20000.0), Some(1), Some(5))
    );
    assert_eq!(order.status, Some(OrderStatus::Confirmed));
    assert_eq!(order.products.unwrap()[0].id, 4_939_343);
    assert_eq!(order.contact.unwrap().channel, Some(Channel::Messenger));
    expect_api_error(api.get_order(42).send().await, "404");
}
