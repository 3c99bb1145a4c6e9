//! Writes against the sandbox, through the SDK: every write shows in the next read, and a
//! refused write changes nothing.

use crate::common::{
    all_conversations, client, contact, conversation, expect_code, long_conversation, sandbox,
};
use chatrace::types::{
    AdminId, AppointmentId, AppointmentStatus, Channel, ContactFieldValue, ContactId,
    ConversationFilter, ConversationMode, CustomFieldId, CustomFieldType, FlowId, MessageDirection,
    MessagePart, NoteId, OrderId, OrderStatus, Platform, ProductId, SavedReplyId, StepId, TagId,
    UploadKind,
};
use chatrace::{Client, FileUpload, UnixSeconds};
use futures::TryStreamExt;
use serde_json::json;

/// The contact's value of `field`, if any.
async fn field_value(api: &Client, who: &ContactId, field: u64) -> Option<ContactFieldValue> {
    api.get_contact(who.clone())
        .send()
        .await
        .unwrap()
        .custom_fields
        .unwrap_or_default()
        .into_iter()
        .find(|v| v.field_id.as_u64() == Some(field))
}

/// The texts of the newest message of the contact's conversation, and its direction.
async fn newest_message(api: &Client, who: &ContactId) -> (Vec<String>, MessageDirection, String) {
    let page = api
        .list_messages(who.clone())
        .limit(1)
        .send()
        .await
        .unwrap();
    let message = page.messages.unwrap().remove(0);
    let texts = message
        .parts
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| match p {
            MessagePart::Text(t) => t.text,
            _ => None,
        })
        .collect();
    let sender = message.sent_by.map(|s| s.into_string()).unwrap_or_default();
    (texts, message.direction.unwrap(), sender)
}

#[tokio::test]
async fn notes_are_added_updated_and_deleted_on_the_contact() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let who = contact(12_345);
    let notes = |api: Client, who: ContactId| async move {
        api.get_contact(who)
            .send()
            .await
            .unwrap()
            .notes
            .unwrap_or_default()
    };
    let before = notes(api.clone(), who.clone()).await;
    assert_eq!(before.len(), 1);

    let note = api
        .add_note(who.clone(), "Wants the grinder gift-wrapped.")
        .send()
        .await
        .unwrap();
    assert_eq!(
        note.text.as_deref(),
        Some("Wants the grinder gift-wrapped.")
    );
    assert_eq!(
        note.author_id.as_ref().and_then(|a| a.as_u64()),
        Some(sandbox.credentials().admin_id)
    );
    let written = note.updated_at.as_ref().and_then(|t| t.as_i64()).unwrap();
    let after_add = notes(api.clone(), who.clone()).await;
    assert_eq!(after_add.len(), 2);
    assert_eq!(after_add.last(), Some(&note));

    let updated = api
        .update_note(who.clone(), note.id.clone(), "Gift-wrapped, with a card.")
        .send()
        .await
        .unwrap();
    assert_eq!(updated.id, note.id);
    assert!(
        updated
            .updated_at
            .as_ref()
            .and_then(|t| t.as_i64())
            .unwrap()
            > written
    );
    let after_update = notes(api.clone(), who.clone()).await;
    assert_eq!(
        after_update.last().and_then(|n| n.text.as_deref()),
        Some("Gift-wrapped, with a card.")
    );

    api.update_note(
        who.clone(),
        NoteId::new(88_888),
        "The collection's note, edited",
    )
    .send()
    .await
    .unwrap();
    api.delete_note(who.clone(), note.id.clone())
        .send()
        .await
        .unwrap();
    let after_delete = notes(api.clone(), who.clone()).await;
    assert_eq!(after_delete.len(), 1);
    assert_eq!(
        after_delete[0].text.as_deref(),
        Some("The collection's note, edited")
    );

    let fingerprint = sandbox.state_fingerprint();
    expect_code(
        api.delete_note(who.clone(), note.id.clone()).send().await,
        "4",
    );
    expect_code(
        api.update_note(who.clone(), note.id, "gone").send().await,
        "4",
    );
    expect_code(api.add_note(who.clone(), "   ").send().await, "2");
    expect_code(api.add_note(contact(404), "nobody").send().await, "4");
    // A note is known on its own contact only.
    expect_code(
        api.delete_note(contact(12_345_678), NoteId::new(88_888))
            .send()
            .await,
        "4",
    );
    assert_eq!(sandbox.state_fingerprint(), fingerprint);
}

#[tokio::test]
async fn custom_field_values_are_set_replaced_and_cleared() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let who = contact(23_238_238);
    api.set_custom_field(
        who.clone(),
        CustomFieldId::new(123_456),
        CustomFieldType::Text,
        "Morgan & Co",
    )
    .send()
    .await
    .unwrap();
    let value = field_value(&api, &who, 123_456).await.unwrap();
    assert_eq!(value.value.as_deref(), Some("Morgan & Co"));
    assert_eq!(value.field_type, Some(CustomFieldType::Text));

    for (field, kind, text, stored) in [
        (740_763, CustomFieldType::Number, "120.5", "120.5"),
        (688_208, CustomFieldType::Date, "1990-04-12", "1990-04-12"),
        (
            688_209,
            CustomFieldType::DateTime,
            "1717243200",
            "1717243200",
        ),
        (688_210, CustomFieldType::Boolean, "true", "1"),
    ] {
        api.set_custom_field(who.clone(), CustomFieldId::new(field), kind.clone(), text)
            .send()
            .await
            .unwrap();
        let value = field_value(&api, &who, field).await.unwrap();
        assert_eq!(
            (value.value.as_deref(), value.field_type),
            (Some(stored), Some(kind))
        );
    }
    // A second value replaces the first.
    api.set_custom_field(
        who.clone(),
        CustomFieldId::new(740_763),
        CustomFieldType::Number,
        "7",
    )
    .send()
    .await
    .unwrap();
    let values = api
        .get_contact(who.clone())
        .send()
        .await
        .unwrap()
        .custom_fields
        .unwrap();
    assert_eq!(
        values
            .iter()
            .filter(|v| v.field_id.as_str() == "740763")
            .count(),
        1
    );
    assert_eq!(
        field_value(&api, &who, 740_763)
            .await
            .unwrap()
            .value
            .as_deref(),
        Some("7")
    );

    api.delete_custom_field_value(
        who.clone(),
        CustomFieldId::new(123_456),
        CustomFieldType::Text,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(field_value(&api, &who, 123_456).await, None);
    // Clearing a value the contact does not have is no error.
    api.delete_custom_field_value(
        who.clone(),
        CustomFieldId::new(123_456),
        CustomFieldType::Text,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(field_value(&api, &who, 123_456).await, None);

    let fingerprint = sandbox.state_fingerprint();

    let refused = [
        api.set_custom_field(
            who.clone(),
            CustomFieldId::new(740_763),
            CustomFieldType::Number,
            "lots",
        )
        .send()
        .await,
        api.set_custom_field(
            who.clone(),
            CustomFieldId::new(688_208),
            CustomFieldType::Date,
            "12/04/1990",
        )
        .send()
        .await,
        api.set_custom_field(
            who.clone(),
            CustomFieldId::new(688_210),
            CustomFieldType::Boolean,
            "maybe",
        )
        .send()
        .await,
        api.set_custom_field(
            who.clone(),
            CustomFieldId::new(740_763),
            CustomFieldType::Text,
            "7",
        )
        .send()
        .await,
        api.set_custom_field(
            who.clone(),
            CustomFieldId::new(123_456),
            CustomFieldType::Text,
            "",
        )
        .send()
        .await,
        api.set_custom_field(
            who.clone(),
            CustomFieldId::new(-10),
            CustomFieldType::System,
            "A B",
        )
        .send()
        .await,
    ];
    for result in refused {
        expect_code(result, "2");
    }
    expect_code(
        api.set_custom_field(
            who.clone(),
            CustomFieldId::new(1),
            CustomFieldType::Text,
            "x",
        )
        .send()
        .await,
        "4",
    );
    expect_code(
        api.set_custom_field(
            contact(404),
            CustomFieldId::new(123_456),
            CustomFieldType::Text,
            "x",
        )
        .send()
        .await,
        "4",
    );
    assert_eq!(sandbox.state_fingerprint(), fingerprint, "nothing changed");
}

#[tokio::test]
async fn system_fields_set_the_contacts_name_and_phone() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let who = contact(1_234_567);
    let system = CustomFieldType::System;
    api.set_custom_field(who.clone(), CustomFieldId::new(-1), system.clone(), "Robin")
        .send()
        .await
        .unwrap();
    api.set_custom_field(
        who.clone(),
        CustomFieldId::new(-8),
        system.clone(),
        "+13125559999",
    )
    .send()
    .await
    .unwrap();
    let details = api.get_contact(who.clone()).send().await.unwrap();
    assert_eq!(details.first_name.as_deref(), Some("Robin"));
    assert!(details.full_name.as_deref().unwrap().starts_with("Robin "));
    let listed = conversation(&api, &who).await;
    assert_eq!(listed.full_name, details.full_name);
    assert_eq!(listed.phone.as_deref(), Some("+13125559999"));
    api.delete_custom_field_value(who.clone(), CustomFieldId::new(-8), system)
        .send()
        .await
        .unwrap();
    assert_eq!(conversation(&api, &who).await.phone.as_deref(), Some(""));
}

#[tokio::test]
async fn a_new_custom_field_is_listed_and_takes_values() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let field = api
        .create_custom_field("Grinder model", CustomFieldType::Text)
        .send()
        .await
        .unwrap();
    assert_eq!(field.name.as_deref(), Some("Grinder model"));
    assert_eq!(field.field_type, Some(CustomFieldType::Text));
    let listed = api.list_custom_fields().send().await.unwrap();
    assert_eq!(listed.last(), Some(&field));

    let who = long_conversation(&sandbox);
    api.set_custom_field(
        who.clone(),
        field.id.clone(),
        CustomFieldType::Text,
        "Baratza Encore",
    )
    .send()
    .await
    .unwrap();
    let value = field_value(&api, &who, field.id.as_u64().unwrap())
        .await
        .unwrap();
    assert_eq!(value.value.as_deref(), Some("Baratza Encore"));

    let fingerprint = sandbox.state_fingerprint();
    expect_code(
        api.create_custom_field("grinder MODEL", CustomFieldType::Text)
            .send()
            .await,
        "2",
    );
    expect_code(
        api.create_custom_field(" ", CustomFieldType::Number)
            .send()
            .await,
        "2",
    );
    expect_code(
        api.create_custom_field("Shoe size", CustomFieldType::Unknown(9))
            .send()
            .await,
        "2",
    );
    // System fields are every contact's own; none can be added.
    expect_code(
        api.create_custom_field("Middle name", CustomFieldType::System)
            .send()
            .await,
        "2",
    );
    assert_eq!(sandbox.state_fingerprint(), fingerprint);
    assert_eq!(
        api.list_custom_fields().send().await.unwrap().len(),
        listed.len()
    );
}

#[tokio::test]
async fn removed_tags_are_gone_from_the_contact() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let who = contact(1_234_567);
    let tags = api
        .get_contact(who.clone())
        .send()
        .await
        .unwrap()
        .tag_ids
        .unwrap();
    assert!(tags.len() >= 2, "{tags:?}");
    assert!(tags.contains(&TagId::new(345)));
    api.remove_tag(vec![TagId::new(345)], who.clone())
        .send()
        .await
        .unwrap();
    let left = api
        .get_contact(who.clone())
        .send()
        .await
        .unwrap()
        .tag_ids
        .unwrap();
    assert_eq!(left.len(), tags.len() - 1);
    assert!(!left.contains(&TagId::new(345)));
    // Removing a tag the contact does not carry changes nothing; the account's tags stay.
    api.remove_tag(vec![TagId::new(345)], who.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        api.get_contact(who.clone())
            .send()
            .await
            .unwrap()
            .tag_ids
            .unwrap(),
        left
    );
    assert_eq!(api.list_tags().send().await.unwrap().len(), 6);
    api.remove_tag(left.clone(), who.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        api.get_contact(who.clone()).send().await.unwrap().tag_ids,
        Some(vec![])
    );

    let fingerprint = sandbox.state_fingerprint();
    expect_code(
        api.remove_tag(vec![TagId::new(9_999)], who.clone())
            .send()
            .await,
        "4",
    );
    expect_code(api.remove_tag(vec![], who.clone()).send().await, "2");
    expect_code(
        api.remove_tag(vec![TagId::new(346)], contact(404))
            .send()
            .await,
        "4",
    );
    assert_eq!(sandbox.state_fingerprint(), fingerprint);
}

#[tokio::test]
async fn conversation_state_changes_show_in_the_next_read() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let who = contact(12_345_678);
    let start = conversation(&api, &who).await;
    assert_eq!(
        (start.archived, start.followed, start.blocked),
        (Some(false), Some(false), Some(false))
    );

    api.archive_conversation(who.clone(), true)
        .send()
        .await
        .unwrap();
    api.follow_conversation(who.clone(), true)
        .send()
        .await
        .unwrap();
    api.move_conversation(who.clone(), ConversationMode::Human)
        .send()
        .await
        .unwrap();
    api.assign_conversation(who.clone(), AdminId::new(1_000_005))
        .send()
        .await
        .unwrap();
    let now = conversation(&api, &who).await;
    assert_eq!(
        (now.archived, now.followed, now.live_chat),
        (Some(true), Some(true), Some(true))
    );
    assert_eq!(
        now.assignee_id.as_ref().map(|a| a.as_str()),
        Some("1000005")
    );
    let details = api.get_contact(who.clone()).send().await.unwrap();
    assert_eq!(
        (details.archived, details.followed, details.live_chat),
        (Some(true), Some(true), Some(true))
    );
    assert_eq!(details.assignee_id, now.assignee_id);
    // The folders agree.
    let archived: Vec<ContactId> = api
        .list_conversations()
        .filters(vec![{
            let mut built = ConversationFilter::default();
            built.attribute = Some("archived".into());
            built.operator = Some("0".into());
            built.value = Some(json!(0));
            built
        }])
        .items()
        .map_ok(|c| c.contact_id)
        .try_collect()
        .await
        .unwrap();
    assert!(archived.contains(&who));

    api.archive_conversation(who.clone(), false)
        .send()
        .await
        .unwrap();
    api.follow_conversation(who.clone(), false)
        .send()
        .await
        .unwrap();
    api.block_conversation(who.clone(), true)
        .send()
        .await
        .unwrap();
    api.move_conversation(who.clone(), ConversationMode::Bot)
        .send()
        .await
        .unwrap();
    api.assign_conversation(who.clone(), AdminId::new(688_207))
        .send()
        .await
        .unwrap();
    let now = conversation(&api, &who).await;
    assert_eq!(
        (now.archived, now.followed, now.blocked, now.live_chat),
        (Some(false), Some(false), Some(true), Some(false))
    );
    assert_eq!(
        now.assignee_id.as_ref().map(|a| a.as_str()),
        Some("688207"),
        "a team"
    );
    api.unassign_conversation(who.clone()).send().await.unwrap();
    api.block_conversation(who.clone(), false)
        .send()
        .await
        .unwrap();
    let now = conversation(&api, &who).await;
    assert_eq!(now.assignee_id.as_ref().map(|a| a.as_str()), Some("0"));
    assert_eq!(now.blocked, Some(false));

    let fingerprint = sandbox.state_fingerprint();
    expect_code(
        api.assign_conversation(who.clone(), AdminId::new(4_242))
            .send()
            .await,
        "4",
    );
    expect_code(
        api.archive_conversation(contact(404), true).send().await,
        "4",
    );
    expect_code(
        api.move_conversation(who.clone(), ConversationMode::Unknown(7))
            .send()
            .await,
        "2",
    );
    assert_eq!(sandbox.state_fingerprint(), fingerprint);
}

#[tokio::test]
async fn conversations_are_marked_read_and_unread() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let who = long_conversation(&sandbox);
    let unread_folder = |api: Client| async move {
        api.list_conversations()
            .filters(vec![{
                let mut built = ConversationFilter::default();
                built.attribute = Some("unread".into());
                built.operator = Some("0".into());
                built.value = Some(json!(0));
                built
            }])
            .items()
            .map_ok(|c| c.contact_id)
            .try_collect::<Vec<_>>()
            .await
            .unwrap()
    };
    assert!(unread_folder(api.clone()).await.contains(&who));
    let last = conversation(&api, &who)
        .await
        .last_message_at
        .unwrap()
        .as_i64()
        .unwrap();

    api.mark_conversation_read(who.clone(), UnixSeconds::new(last / 1000 + 1))
        .send()
        .await
        .unwrap();
    let read = conversation(&api, &who).await;
    assert_eq!(
        read.last_read_at.and_then(|t| t.as_i64()),
        Some(last / 1000 + 1)
    );
    assert!(!unread_folder(api.clone()).await.contains(&who));

    api.mark_conversation_read(who.clone(), UnixSeconds::new(0))
        .send()
        .await
        .unwrap();
    let unread = api.get_contact(who.clone()).send().await.unwrap();
    assert_eq!(unread.last_read_at.and_then(|t| t.as_i64()), Some(0));
    assert!(unread_folder(api.clone()).await.contains(&who));

    expect_code(
        api.mark_conversation_read(who.clone(), UnixSeconds::new("yesterday"))
            .send()
            .await,
        "2",
    );
}

#[tokio::test]
async fn sent_flows_steps_and_products_are_the_newest_messages() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let who = long_conversation(&sandbox);
    let before = conversation(&api, &who).await;
    let count_before = api
        .list_messages(who.clone())
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len();

    api.send_flow(FlowId::new(1234), who.clone(), Channel::Messenger)
        .send()
        .await
        .unwrap();
    let (texts, direction, sender) = newest_message(&api, &who).await;
    assert_eq!(
        texts,
        ["Hi! Welcome to Morgan Coffee Roasters. What can we brew for you today?"]
    );
    assert_eq!(
        (direction, sender.as_str()),
        (MessageDirection::ToContact, "0")
    );

    api.send_step(StepId::new(1237), who.clone(), Channel::Messenger)
        .send()
        .await
        .unwrap();
    let (texts, _, _) = newest_message(&api, &who).await;
    assert_eq!(
        texts,
        ["Your order is on its way and should arrive within 2 business days."]
    );

    api.send_products(
        vec![ProductId::new(1111), ProductId::new(3333)],
        who.clone(),
        Channel::Messenger,
    )
    .send()
    .await
    .unwrap();
    let (texts, direction, sender) = newest_message(&api, &who).await;
    assert_eq!(
        texts,
        [
            "House Espresso Blend 1 kg — $32.00",
            "Ceramic Dripper — $22.00"
        ]
    );
    assert_eq!(direction, MessageDirection::ToContact);
    assert_eq!(
        sender,
        sandbox.credentials().admin_id.to_string(),
        "sent by the admin"
    );

    let after = conversation(&api, &who).await;
    assert_eq!(
        after.last_message.as_deref(),
        Some("House Espresso Blend 1 kg — $32.00")
    );
    assert!(after.last_message_at.unwrap().as_i64() > before.last_message_at.unwrap().as_i64());
    assert!(after.last_sent_at.unwrap().as_i64() > before.last_sent_at.unwrap().as_i64());
    let all = all_conversations(&api).await;
    assert_eq!(all[0].contact_id, who, "the conversation is the newest");
    let count_after = api
        .list_messages(who.clone())
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len();
    assert_eq!(count_after, count_before + 3);

    let fingerprint = sandbox.state_fingerprint();
    // Another channel than the contact's, a flow made for WhatsApp, things that do not exist.
    expect_code(
        api.send_flow(FlowId::new(1234), who.clone(), Channel::Instagram)
            .send()
            .await,
        "14",
    );
    expect_code(
        api.send_flow(FlowId::new(688_207), who.clone(), Channel::Messenger)
            .send()
            .await,
        "2",
    );
    expect_code(
        api.send_flow(FlowId::new(9), who.clone(), Channel::Messenger)
            .send()
            .await,
        "4",
    );
    expect_code(
        api.send_step(StepId::new(9), who.clone(), Channel::Messenger)
            .send()
            .await,
        "4",
    );
    expect_code(
        api.send_products(vec![ProductId::new(9)], who.clone(), Channel::Messenger)
            .send()
            .await,
        "4",
    );
    expect_code(
        api.send_products(vec![], who.clone(), Channel::Messenger)
            .send()
            .await,
        "2",
    );
    expect_code(
        api.send_flow(FlowId::new(1234), contact(404), Channel::Messenger)
            .send()
            .await,
        "4",
    );
    assert_eq!(sandbox.state_fingerprint(), fingerprint);

    // A blocked contact gets nothing.
    api.block_conversation(who.clone(), true)
        .send()
        .await
        .unwrap();
    let blocked = sandbox.state_fingerprint();
    expect_code(
        api.send_flow(FlowId::new(1234), who.clone(), Channel::Messenger)
            .send()
            .await,
        "2",
    );
    assert_eq!(sandbox.state_fingerprint(), blocked);
}

#[tokio::test]
async fn a_deleted_contact_is_gone_everywhere() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let who = contact(12_345);
    let before = all_conversations(&api).await.len();
    api.delete_contact(who.clone()).send().await.unwrap();
    expect_code(api.get_contact(who.clone()).send().await, "4");
    expect_code(api.list_messages(who.clone()).send().await, "4");
    expect_code(api.add_note(who.clone(), "too late").send().await, "4");
    let after = all_conversations(&api).await;
    assert_eq!(after.len(), before - 1);
    assert!(after.iter().all(|c| c.contact_id != who));
    expect_code(api.delete_contact(who).send().await, "4");
}

#[tokio::test]
async fn saved_replies_are_created_read_updated_and_deleted() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let reply = api
        .add_saved_reply("/loyalty", "Every 10th coffee is on us.")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.shortcode.as_deref(), Some("/loyalty"));
    assert!(api
        .list_saved_replies()
        .send()
        .await
        .unwrap()
        .contains(&reply));

    let updated = api
        .update_saved_reply(reply.id.clone(), "/loyal", "Every 8th coffee is on us.")
        .send()
        .await
        .unwrap();
    assert_eq!(updated.id, reply.id);
    let listed = api.list_saved_replies().send().await.unwrap();
    assert!(listed.contains(&updated));
    assert!(!listed.contains(&reply));

    api.delete_saved_reply(reply.id.clone())
        .send()
        .await
        .unwrap();
    let listed = api.list_saved_replies().send().await.unwrap();
    assert!(listed.iter().all(|r| r.id != reply.id));
    assert_eq!(listed.len(), 3);

    let fingerprint = sandbox.state_fingerprint();
    expect_code(api.delete_saved_reply(reply.id.clone()).send().await, "4");
    expect_code(
        api.update_saved_reply(reply.id, "/x", "y").send().await,
        "4",
    );
    expect_code(api.add_saved_reply("two words", "text").send().await, "2");
    expect_code(api.add_saved_reply("/empty", "").send().await, "2");
    expect_code(
        api.update_saved_reply(SavedReplyId::new(569_602), "/hours", " ")
            .send()
            .await,
        "2",
    );
    assert_eq!(sandbox.state_fingerprint(), fingerprint);

    // Two saved replies may share a shortcode, as the collection's examples do.
    let twin = api
        .add_saved_reply("/welcome", "Welcome back!")
        .send()
        .await
        .unwrap();
    let welcomes = api
        .list_saved_replies()
        .send()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.shortcode.as_deref() == Some("/welcome"))
        .count();
    assert_eq!(welcomes, 2);
    assert_ne!(twin.id, SavedReplyId::new(569_601));
}

#[tokio::test]
async fn appointments_are_cancelled_and_deleted() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let find = |api: Client, id: &'static str| async move {
        let all = api.list_appointments().send().await.unwrap();
        all.upcoming
            .unwrap()
            .into_iter()
            .chain(all.past.unwrap())
            .find(|a| a.id.as_str() == id)
    };
    assert_eq!(
        find(api.clone(), "45595").await.unwrap().status,
        Some(AppointmentStatus::Unknown(1))
    );
    api.cancel_appointment(AppointmentId::new(45_595))
        .send()
        .await
        .unwrap();
    assert_eq!(
        find(api.clone(), "45595").await.unwrap().status,
        Some(AppointmentStatus::Cancelled)
    );
    // Cancelling again is no change.
    let fingerprint = sandbox.state_fingerprint();
    api.cancel_appointment(AppointmentId::new(45_595))
        .send()
        .await
        .unwrap();
    assert_eq!(sandbox.state_fingerprint(), fingerprint);

    api.delete_appointment(AppointmentId::new(45_595))
        .send()
        .await
        .unwrap();
    assert_eq!(find(api.clone(), "45595").await, None);

    let fingerprint = sandbox.state_fingerprint();
    expect_code(
        api.delete_appointment(AppointmentId::new(45_595))
            .send()
            .await,
        "4",
    );
    expect_code(
        api.cancel_appointment(AppointmentId::new(45_595))
            .send()
            .await,
        "4",
    );
    expect_code(
        api.cancel_appointment(AppointmentId::new(328_238))
            .send()
            .await,
        "2",
    );
    assert_eq!(sandbox.state_fingerprint(), fingerprint);
    assert_eq!(
        find(api.clone(), "328238").await.unwrap().status,
        Some(AppointmentStatus::Unknown(1))
    );
}

#[tokio::test]
async fn order_status_updates_take_the_collections_values_only() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let id = OrderId::new(1_000_000);
    let before = api.get_order(id.clone()).send().await.unwrap();
    assert_eq!(before.status, Some(OrderStatus::Confirmed));
    assert_eq!(
        before.delivered_at.as_ref().map(|d| d.as_str()),
        Some(""),
        "not delivered yet"
    );

    api.update_order(id.clone(), OrderStatus::Shipped)
        .send()
        .await
        .unwrap();
    assert_eq!(
        api.get_order(id.clone()).send().await.unwrap().status,
        Some(OrderStatus::Shipped)
    );
    api.update_order(id.clone(), OrderStatus::Delivered)
        .send()
        .await
        .unwrap();
    let delivered = api.get_order(id.clone()).send().await.unwrap();
    assert_eq!(delivered.status, Some(OrderStatus::Delivered));
    assert!(delivered
        .delivered_at
        .as_ref()
        .and_then(|d| d.parts())
        .is_some());
    let listed = api.list_orders().send().await.unwrap();
    let summary = listed.iter().find(|o| o.id == id).unwrap();
    assert_eq!(summary.status, Some(OrderStatus::Delivered));

    let fingerprint = sandbox.state_fingerprint();
    expect_code(
        api.update_order(id.clone(), OrderStatus::Unknown(5))
            .send()
            .await,
        "2",
    );
    expect_code(
        api.update_order(OrderId::new(42), OrderStatus::Shipped)
            .send()
            .await,
        "4",
    );
    assert_eq!(sandbox.state_fingerprint(), fingerprint);
}

#[tokio::test]
async fn devices_are_registered_once_per_token() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    assert!(sandbox.devices().is_empty());
    api.register_device("fcm-token-1", Platform::Ios)
        .brand("iPhone")
        .model("15 PRO")
        .send()
        .await
        .unwrap();
    let devices = sandbox.devices();
    assert_eq!(devices.len(), 1);
    assert_eq!(
        (devices[0].platform.as_str(), devices[0].model.as_deref()),
        ("ios", Some("15 PRO"))
    );
    assert_eq!(devices[0].account_id, sandbox.credentials().account_id);
    assert!(
        !format!("{:?}", devices[0]).contains("fcm-token-1"),
        "Debug hides the token"
    );

    let fingerprint = sandbox.state_fingerprint();
    api.register_device("fcm-token-1", Platform::Ios)
        .brand("iPhone")
        .model("15 PRO")
        .send()
        .await
        .unwrap();
    assert_eq!(
        sandbox.state_fingerprint(),
        fingerprint,
        "the same device again changes nothing"
    );
    api.register_device("fcm-token-1", Platform::Ios)
        .model("16")
        .send()
        .await
        .unwrap();
    api.register_device("fcm-token-2", Platform::Android)
        .send()
        .await
        .unwrap();
    let devices = sandbox.devices();
    assert_eq!(devices.len(), 2);
    assert_eq!(devices[0].model.as_deref(), Some("16"));
    assert_eq!(devices[1].platform, "android");

    expect_code(api.register_device(" ", Platform::Ios).send().await, "2");
    expect_code(
        api.register_device("fcm-token-3", Platform::Unknown("palm".into()))
            .send()
            .await,
        "2",
    );
    assert_eq!(sandbox.devices().len(), 2);
}

#[tokio::test]
async fn uploads_are_measured_and_answer_their_url() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let bytes = b"OggS a short voice note".to_vec();
    let uploaded = api
        .upload_file(
            UploadKind::Voice,
            contact(222_222),
            FileUpload::from_bytes("note.ogg", bytes.clone()).with_mime("audio/ogg"),
        )
        .send()
        .await
        .unwrap();
    let received = sandbox.uploads();
    assert_eq!(received.len(), 1);
    let upload = &received[0];
    assert_eq!(upload.url, uploaded.url);
    assert!(uploaded.url.starts_with(&sandbox.base_url()));
    assert_eq!(upload.length, bytes.len() as u64);
    assert_eq!(upload.checksum, chatrace_sandbox::Fnv1a::hash(&bytes));
    assert_eq!(
        (upload.kind.as_str(), upload.contact_id.as_str()),
        ("voice", "222222")
    );
    assert_eq!(upload.file_name.as_deref(), Some("note.ogg"));
    assert_eq!(upload.mime_type.as_deref(), Some("audio/ogg"));
    assert_eq!(upload.account_id, sandbox.credentials().account_id);

    let named = api
        .upload_file(
            UploadKind::File,
            contact(222_222),
            FileUpload::from_bytes("x.bin", vec![0u8; 10]),
        )
        .file_name("menu.pdf")
        .send()
        .await
        .unwrap();
    assert!(named.url.ends_with("/menu.pdf"), "{}", named.url);
    assert_ne!(named.url, uploaded.url);

    let refused = api
        .upload_file(
            UploadKind::Image,
            contact(404),
            FileUpload::from_bytes("a.png", vec![1u8]),
        )
        .send()
        .await;
    expect_code(refused, "4");
    assert_eq!(sandbox.uploads().len(), 2);
}

#[tokio::test]
async fn ai_drafts_answer_the_contact_and_change_nothing() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let fingerprint = sandbox.state_fingerprint();
    let who = long_conversation(&sandbox);
    let drafts = api.generate_ai_response(who.clone()).send().await.unwrap();
    assert!(drafts.len() >= 2);
    let first = drafts[0].text.clone().unwrap();
    assert!(first.contains("Do you grind it for pour-over?"), "{first}");
    let prompted = api
        .generate_ai_response(who)
        .prompt("Offer 10% off")
        .send()
        .await
        .unwrap();
    assert!(prompted[0]
        .text
        .as_deref()
        .unwrap()
        .starts_with("Offer 10% off"));
    assert_eq!(sandbox.state_fingerprint(), fingerprint);
    expect_code(api.generate_ai_response(contact(404)).send().await, "4");
}
