//! Writes against the sandbox, through the SDK: each one shows up in the next read, and a
//! refused write changes nothing.

mod sandbox_common;

use chatrace::types::{
    AppointmentStatus, ConversationFolder, ConversationMode, CustomFieldType, MessageDirection,
    MessageType, OrderStatus, Platform,
};
use chatrace::{Client, FileUpload};
use sandbox_common::{client, expect_api_error, sandbox};
use serde_json::{json, Value};

const CONTACT: u64 = 833_274_349_439;

/// The conversation of `contact` as the list shows it, whatever its folder.
async fn conversation(api: &Client, contact: u64) -> chatrace::types::Conversation {
    for folder in [
        ConversationFolder::Inbox,
        ConversationFolder::Archived,
        ConversationFolder::Blocked,
    ] {
        let page = api
            .list_conversations()
            .folder(folder)
            .limit(100)
            .send()
            .await
            .unwrap();
        if let Some(found) = page.into_iter().find(|c| c.contact_id == contact) {
            return found;
        }
    }
    panic!("conversation {contact} is in no folder");
}

/// The contact's custom field value `field`, if set.
async fn field_value(api: &Client, contact: u64, field: u64) -> Option<Value> {
    api.get_contact(contact)
        .send()
        .await
        .unwrap()
        .custom_fields
        .unwrap()
        .into_iter()
        .find(|f| f.field_id == field)
        .and_then(|f| f.value)
}

#[tokio::test]
async fn notes_are_added_updated_and_deleted() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let note = api
        .add_note(CONTACT, "Allergic to hazelnut.")
        .send()
        .await
        .unwrap();
    assert_eq!(note.contact_id, Some(CONTACT));
    assert_eq!(note.created_at, note.updated_at);
    let newest = api.list_messages(CONTACT).limit(1).send().await.unwrap();
    assert_eq!(newest[0].id, note.id);
    assert_eq!(newest[0].kind, Some(MessageType::Note));
    assert_eq!(newest[0].text.as_deref(), Some("Allergic to hazelnut."));

    let updated = api
        .update_note(note.id, CONTACT, "Allergic to hazelnut and almond.")
        .send()
        .await
        .unwrap();
    assert!(updated.updated_at > note.updated_at);
    let newest = api.list_messages(CONTACT).limit(1).send().await.unwrap();
    assert_eq!(
        newest[0].text.as_deref(),
        Some("Allergic to hazelnut and almond.")
    );

    api.delete_note(note.id, CONTACT).send().await.unwrap();
    let all = api.list_messages(CONTACT).limit(200).send().await.unwrap();
    assert!(all.iter().all(|m| m.id != note.id));
    expect_api_error(api.delete_note(note.id, CONTACT).send().await, "404");
    expect_api_error(
        api.update_note(note.id, CONTACT, "again").send().await,
        "404",
    );
    expect_api_error(api.add_note(CONTACT, "  ").send().await, "400");
}

#[tokio::test]
async fn custom_field_values_are_set_and_deleted() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    // Loyalty points (number), from a string.
    api.set_custom_field(CONTACT, 7402, json!("250"))
        .send()
        .await
        .unwrap();
    assert_eq!(field_value(&api, CONTACT, 7402).await, Some(json!(250)));
    // Birthday (date), then a value that is no date: refused, unchanged.
    api.set_custom_field(CONTACT, 7403, json!("1990-04-12"))
        .send()
        .await
        .unwrap();
    let before = sandbox.state_fingerprint();
    let refused = api
        .set_custom_field(CONTACT, 7403, json!("April 12th"))
        .send()
        .await;
    assert!(expect_api_error(refused, "400").contains("7403"));
    assert_eq!(sandbox.state_fingerprint(), before);
    assert_eq!(
        field_value(&api, CONTACT, 7403).await,
        Some(json!("1990-04-12"))
    );
    // A JSON field takes anything.
    let setup = json!({"grinder": "hand", "brewer": "Kalita"});
    api.set_custom_field(CONTACT, 7406, setup.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(field_value(&api, CONTACT, 7406).await, Some(setup));

    api.delete_custom_field_value(CONTACT, 7403)
        .send()
        .await
        .unwrap();
    assert_eq!(field_value(&api, CONTACT, 7403).await, None);
    let fields = api.list_custom_fields().send().await.unwrap();
    assert!(
        fields.iter().any(|f| f.id == 7403),
        "the field itself stays"
    );
    expect_api_error(
        api.set_custom_field(CONTACT, 1, json!(1)).send().await,
        "404",
    );

    let created = api
        .create_custom_field("Visits", CustomFieldType::Number)
        .send()
        .await
        .unwrap();
    assert_eq!(created.field_type, Some(CustomFieldType::Number));
    let fields = api.list_custom_fields().send().await.unwrap();
    assert!(fields.contains(&created));
    api.set_custom_field(CONTACT, created.id, json!(3))
        .send()
        .await
        .unwrap();
    assert_eq!(field_value(&api, CONTACT, created.id).await, Some(json!(3)));
    expect_api_error(
        api.create_custom_field("visits", CustomFieldType::Text)
            .send()
            .await,
        "400",
    );
}

#[tokio::test]
async fn a_removed_tag_is_gone_from_the_contact_and_its_conversation() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let tags = |c: &chatrace::types::Contact| -> Vec<u64> {
        c.tags.as_ref().unwrap().iter().map(|t| t.id).collect()
    };
    let before = api.get_contact(238_847_438_434).send().await.unwrap();
    assert_eq!(tags(&before), vec![7101, 7105]);
    api.remove_tag(238_847_438_434, 7105).send().await.unwrap();
    let after = api.get_contact(238_847_438_434).send().await.unwrap();
    assert_eq!(tags(&after), vec![7101]);
    let listed = conversation(&api, 238_847_438_434).await;
    assert_eq!(listed.tags.unwrap().len(), 1);
    let message = expect_api_error(api.remove_tag(238_847_438_434, 7105).send().await, "404");
    assert!(message.contains("does not carry"), "{message}");
    expect_api_error(api.remove_tag(238_847_438_434, 1).send().await, "404");
}

#[tokio::test]
async fn conversation_state_changes_show_in_the_next_read() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let me = api.get_current_user().send().await.unwrap().id;

    api.assign_conversation(CONTACT)
        .admin_id(me)
        .send()
        .await
        .unwrap();
    let c = conversation(&api, CONTACT).await;
    assert_eq!(c.assigned_admin_id, Some(me));
    let mine = api
        .list_conversations()
        .folder(ConversationFolder::Mine)
        .send()
        .await
        .unwrap();
    assert_eq!(
        mine.iter().map(|c| c.contact_id).collect::<Vec<_>>(),
        vec![CONTACT]
    );
    api.assign_conversation(CONTACT)
        .team_id(5101)
        .send()
        .await
        .unwrap();
    let c = api.get_contact(CONTACT).send().await.unwrap();
    assert_eq!(
        (c.assigned_admin_id, c.assigned_team_id),
        (Some(me), Some(5101))
    );
    expect_api_error(api.assign_conversation(CONTACT).send().await, "400");
    expect_api_error(
        api.assign_conversation(CONTACT).team_id(1).send().await,
        "404",
    );
    api.unassign_conversation(CONTACT).send().await.unwrap();
    let c = conversation(&api, CONTACT).await;
    assert_eq!((c.assigned_admin_id, c.assigned_team_id), (None, None));

    api.move_conversation(CONTACT, ConversationMode::Human)
        .send()
        .await
        .unwrap();
    assert_eq!(
        api.get_contact(CONTACT).send().await.unwrap().mode,
        Some(ConversationMode::Human)
    );
    api.move_conversation(CONTACT, ConversationMode::Bot)
        .send()
        .await
        .unwrap();
    assert_eq!(
        conversation(&api, CONTACT).await.mode,
        Some(ConversationMode::Bot)
    );

    api.follow_conversation(CONTACT, false)
        .send()
        .await
        .unwrap();
    assert_eq!(conversation(&api, CONTACT).await.followed, Some(false));
    api.follow_conversation(CONTACT, true).send().await.unwrap();
    assert_eq!(conversation(&api, CONTACT).await.followed, Some(true));

    api.mark_conversation_read(CONTACT, false)
        .send()
        .await
        .unwrap();
    assert_eq!(conversation(&api, CONTACT).await.unread_count, Some(1));
    api.mark_conversation_read(CONTACT, true)
        .send()
        .await
        .unwrap();
    assert_eq!(conversation(&api, CONTACT).await.unread_count, Some(0));

    let inbox = |api: &Client| {
        let api = api.clone();
        async move {
            api.list_conversations()
                .limit(100)
                .send()
                .await
                .unwrap()
                .iter()
                .any(|c| c.contact_id == CONTACT)
        }
    };
    api.archive_conversation(CONTACT, true)
        .send()
        .await
        .unwrap();
    assert!(!inbox(&api).await, "archived conversations leave the inbox");
    assert_eq!(conversation(&api, CONTACT).await.archived, Some(true));
    api.archive_conversation(CONTACT, false)
        .send()
        .await
        .unwrap();
    assert!(inbox(&api).await);

    api.block_conversation(CONTACT, true).send().await.unwrap();
    assert!(!inbox(&api).await);
    assert_eq!(conversation(&api, CONTACT).await.blocked, Some(true));
    let blocked = api.send_flow(CONTACT, 7501).send().await;
    assert!(expect_api_error(blocked, "400").contains("blocked"));
    api.block_conversation(CONTACT, false).send().await.unwrap();
    assert!(inbox(&api).await);
}

#[tokio::test]
async fn sent_flows_steps_and_products_are_the_newest_messages() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let last = api.list_conversations().limit(100).send().await.unwrap();
    assert_ne!(last[0].contact_id, CONTACT);

    api.send_flow(CONTACT, 7503).send().await.unwrap();
    let newest = api.list_messages(CONTACT).limit(1).send().await.unwrap();
    assert_eq!(
        newest[0].text.as_deref(),
        Some("Book a tasting › Pick a day")
    );
    assert_eq!(newest[0].direction, Some(MessageDirection::Outbound));
    api.send_step(CONTACT, 7503, 7534).send().await.unwrap();
    let newest = api.list_messages(CONTACT).limit(1).send().await.unwrap();
    assert_eq!(newest[0].text.as_deref(), Some("Book a tasting › Confirm"));
    api.send_products(CONTACT, vec![4_939_345, 4_939_348])
        .send()
        .await
        .unwrap();
    let newest = api.list_messages(CONTACT).limit(1).send().await.unwrap();
    assert_eq!(newest[0].kind, Some(MessageType::Product));
    assert_eq!(
        newest[0].text.as_deref(),
        Some("Ethiopia Yirgacheffe 250 g, Ceramic Dripper")
    );
    // The conversation is now the most recent one, with that last message.
    let first = &api.list_conversations().limit(1).send().await.unwrap()[0];
    assert_eq!(first.contact_id, CONTACT);
    assert_eq!(first.last_message, newest[0].text);

    expect_api_error(api.send_flow(CONTACT, 1).send().await, "404");
    expect_api_error(api.send_step(CONTACT, 7503, 7511).send().await, "404");
    expect_api_error(api.send_products(CONTACT, vec![]).send().await, "400");
    expect_api_error(api.send_products(CONTACT, vec![1]).send().await, "404");
}

#[tokio::test]
async fn a_deleted_contact_is_gone() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    api.get_contact(12_345).send().await.unwrap();
    api.delete_contact(12_345).send().await.unwrap();
    let message = expect_api_error(api.get_contact(12_345).send().await, "404");
    assert!(message.contains("12345"), "{message}");
    let all = api.list_conversations().limit(100).send().await.unwrap();
    assert_eq!(all.len(), 63);
    assert!(all.iter().all(|c| c.contact_id != 12_345));
    expect_api_error(api.delete_contact(12_345).send().await, "404");
    expect_api_error(api.add_note(12_345, "hello?").send().await, "404");
}

#[tokio::test]
async fn saved_replies_are_created_read_updated_and_deleted() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let added = api
        .add_saved_reply("decaf", "Yes, we have a Swiss Water decaf.")
        .send()
        .await
        .unwrap();
    let listed = api.list_saved_replies().send().await.unwrap();
    assert_eq!(listed.last(), Some(&added));
    let renamed = api
        .update_saved_reply(added.id)
        .name("decaffeinated")
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.text, added.text, "the text is kept");
    let retexted = api
        .update_saved_reply(added.id)
        .text("Yes: Colombia, Swiss Water process.")
        .send()
        .await
        .unwrap();
    assert_eq!(retexted.name.as_deref(), Some("decaffeinated"));
    let listed = api.list_saved_replies().send().await.unwrap();
    assert!(listed.contains(&retexted));
    expect_api_error(api.add_saved_reply("welcome", "dup").send().await, "400");
    expect_api_error(api.update_saved_reply(added.id).send().await, "400");
    api.delete_saved_reply(added.id).send().await.unwrap();
    let listed = api.list_saved_replies().send().await.unwrap();
    assert!(listed.iter().all(|r| r.id != added.id));
    assert_eq!(listed.len(), 3);
    expect_api_error(api.delete_saved_reply(added.id).send().await, "404");
}

#[tokio::test]
async fn appointments_are_cancelled_and_deleted() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let booked = api
        .list_appointments()
        .status(AppointmentStatus::Booked)
        .send()
        .await
        .unwrap();
    let first = booked[0].clone();
    api.cancel_appointment(first.id)
        .reason("The contact asked to move it.")
        .send()
        .await
        .unwrap();
    let all = api.list_appointments().send().await.unwrap();
    let cancelled = all.iter().find(|a| a.id == first.id).unwrap();
    assert_eq!(cancelled.status, Some(AppointmentStatus::Cancelled));
    assert!(cancelled
        .notes
        .as_deref()
        .unwrap()
        .ends_with("Cancelled: The contact asked to move it."));
    let still_booked = api
        .list_appointments()
        .status(AppointmentStatus::Booked)
        .send()
        .await
        .unwrap();
    assert_eq!(still_booked.len(), booked.len() - 1);
    // Cancelling again changes nothing; a past appointment cannot be cancelled.
    api.cancel_appointment(first.id).send().await.unwrap();
    let completed = all
        .iter()
        .find(|a| a.status == Some(AppointmentStatus::Completed))
        .unwrap();
    expect_api_error(api.cancel_appointment(completed.id).send().await, "400");

    api.delete_appointment(first.id).send().await.unwrap();
    let after = api.list_appointments().send().await.unwrap();
    assert_eq!(after.len(), all.len() - 1);
    assert!(after.iter().all(|a| a.id != first.id));
    expect_api_error(api.delete_appointment(first.id).send().await, "404");
    expect_api_error(api.cancel_appointment(first.id).send().await, "404");
}

#[tokio::test]
async fn order_status_updates_take_the_documented_values_only() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    let order = api.get_order(1_000_000).send().await.unwrap();
    assert_eq!(order.status, Some(OrderStatus::Confirmed));
    assert_eq!(order.date_delivered.as_deref(), Some(""));
    for status in [
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Refunded,
        OrderStatus::Cancelled,
        OrderStatus::Confirmed,
    ] {
        api.update_order(1_000_000, status.clone())
            .send()
            .await
            .unwrap();
        let read = api.get_order(1_000_000).send().await.unwrap();
        assert_eq!(read.status, Some(status.clone()));
        let listed = api.list_orders().send().await.unwrap();
        let summary = listed.iter().find(|o| o.id == 1_000_000).unwrap();
        assert_eq!(summary.status, Some(status));
    }
    let delivered = api.get_order(1_000_000).send().await.unwrap();
    assert_ne!(delivered.date_delivered.as_deref(), Some(""));

    let before = sandbox.state_fingerprint();
    for undocumented in [0, 5, 8, 99] {
        let refused = api
            .update_order(1_000_000, OrderStatus::Unknown(undocumented))
            .send()
            .await;
        assert!(expect_api_error(refused, "400").contains("4, 6, 7, 10, 13"));
    }
    expect_api_error(
        api.update_order(42, OrderStatus::Shipped).send().await,
        "404",
    );
    assert_eq!(sandbox.state_fingerprint(), before);
    assert_eq!(
        api.get_order(1_000_000).send().await.unwrap().status,
        Some(OrderStatus::Confirmed)
    );
}

#[tokio::test]
async fn devices_and_uploads_are_recorded() {
    let sandbox = sandbox().await;
    let api = client(&sandbox);
    api.register_device("fcm-1", Platform::Ios)
        .device_name("Alex's iPhone")
        .send()
        .await
        .unwrap();
    let once = sandbox.state_fingerprint();
    api.register_device("fcm-1", Platform::Ios)
        .device_name("Alex's iPhone")
        .send()
        .await
        .unwrap();
    assert_eq!(
        sandbox.state_fingerprint(),
        once,
        "registering again changes nothing"
    );
    api.register_device("fcm-1", Platform::Ios)
        .device_name("Alex's old iPhone")
        .send()
        .await
        .unwrap();
    assert_ne!(sandbox.state_fingerprint(), once);
    expect_api_error(
        api.register_device(" ", Platform::Android).send().await,
        "400",
    );

    let photo = vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
    let uploaded = api
        .upload_file(FileUpload::from_bytes("latte.jpg", photo.clone()))
        .media_type("image")
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.name.as_deref(), Some("latte.jpg"));
    assert_eq!(uploaded.mime_type.as_deref(), Some("image/jpeg"));
    assert_eq!(uploaded.size, Some(7));
    let recorded = sandbox.uploads();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].url, uploaded.url);
    assert_eq!(recorded[0].checksum, chatrace_sandbox::Fnv1a::hash(&photo));
    expect_api_error(
        api.upload_file(FileUpload::from_bytes("a.bin", vec![1]))
            .media_type("hologram")
            .send()
            .await,
        "400",
    );
}
