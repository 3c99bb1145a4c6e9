//! Every operation of the catalogue, called once through the typed `Client` against the
//! sandbox, and a check that the sandbox saw each name of `chatrace::OPERATIONS`.

mod sandbox_common;

use chatrace::types::{
    AppointmentStatus, ConversationFolder, ConversationMode, CustomFieldType, MessageType,
    OrderStatus, Platform,
};
use chatrace::FileUpload;
use sandbox_common::{anonymous_client, client, sandbox};
use serde_json::json;

#[tokio::test]
async fn every_operation_answers_through_the_sdk() {
    let sandbox = sandbox().await;
    let creds = sandbox.credentials().clone();
    let api = client(&sandbox);

    // Before login: the white-label and the five logins, each on its own client.
    let whitelabel = anonymous_client(&sandbox)
        .get_whitelabel()
        .send()
        .await
        .unwrap();
    assert_eq!(whitelabel.name.as_deref(), Some("ChatRace Sandbox"));
    assert_eq!(whitelabel.login_methods.unwrap().email, Some(true));

    let email = anonymous_client(&sandbox);
    let otp = email.request_email_otp(&creds.email).send().await.unwrap();
    assert_eq!(otp.rid.len(), 64);
    let token = email
        .validate_email_otp(otp.rid, &creds.otp)
        .send()
        .await
        .unwrap();
    assert_eq!(email.token().unwrap().expose(), token.token);

    let google = anonymous_client(&sandbox);
    google
        .login_with_google(&creds.google_id_token)
        .platform(Platform::Android)
        .server_auth_code("")
        .send()
        .await
        .unwrap();
    let microsoft = anonymous_client(&sandbox);
    microsoft
        .login_with_microsoft(&creds.microsoft_id_token)
        .platform(Platform::Ios)
        .send()
        .await
        .unwrap();
    let apple = anonymous_client(&sandbox);
    apple
        .login_with_apple(&creds.apple_identity_token)
        .platform(Platform::Ios)
        .send()
        .await
        .unwrap();
    let facebook = anonymous_client(&sandbox);
    facebook
        .login_with_facebook(&creds.facebook_access_token)
        .platform(Platform::Android)
        .send()
        .await
        .unwrap();
    for logged_in in [&email, &google, &microsoft, &apple, &facebook] {
        assert!(logged_in.token().is_some());
    }

    // The user and the device.
    let me = api.get_current_user().send().await.unwrap();
    assert_eq!(me.accounts.unwrap()[0].id, creds.account_id);
    api.register_device("fcm-token-of-a-pixel-8", Platform::Android)
        .device_name("Alex's Pixel")
        .send()
        .await
        .unwrap();

    // The inbox.
    let conversations = api.list_conversations().limit(5).send().await.unwrap();
    assert_eq!(conversations.len(), 5);
    let contact = 833_274_349_439;
    let details = api.get_contact(contact).send().await.unwrap();
    assert_eq!(details.id, contact);
    let messages = api.list_messages(contact).limit(3).send().await.unwrap();
    assert_eq!(messages.len(), 3);
    let admins = api.list_admins().send().await.unwrap();
    let teams = api.list_teams().send().await.unwrap();
    api.assign_conversation(contact)
        .admin_id(admins[1].id)
        .team_id(teams[0].id)
        .send()
        .await
        .unwrap();
    let flows = api.list_flows().send().await.unwrap();
    let steps = api.list_flow_steps(flows[0].id).send().await.unwrap();
    assert_eq!(steps[0].flow_id, Some(flows[0].id));
    api.send_flow(contact, flows[0].id).send().await.unwrap();
    api.send_step(contact, flows[0].id, steps[1].id)
        .send()
        .await
        .unwrap();
    let products = api.list_products().send().await.unwrap();
    api.send_products(contact, vec![products[0].id, products[1].id])
        .send()
        .await
        .unwrap();
    api.move_conversation(contact, ConversationMode::Human)
        .send()
        .await
        .unwrap();
    api.unassign_conversation(contact).send().await.unwrap();
    api.archive_conversation(contact, true)
        .send()
        .await
        .unwrap();
    api.follow_conversation(contact, true).send().await.unwrap();
    api.block_conversation(contact, false).send().await.unwrap();
    api.mark_conversation_read(contact, true)
        .send()
        .await
        .unwrap();
    let archived = api
        .list_conversations()
        .folder(ConversationFolder::Archived)
        .send()
        .await
        .unwrap();
    let mine = archived.iter().find(|c| c.contact_id == contact).unwrap();
    assert_eq!(
        (mine.mode.clone(), mine.followed, mine.unread_count),
        (Some(ConversationMode::Human), Some(true), Some(0))
    );

    // Tags and custom fields.
    let tags = api.list_tags().send().await.unwrap();
    assert!(!tags.is_empty());
    let carried = details.tags.unwrap()[0].id;
    api.remove_tag(contact, carried).send().await.unwrap();
    let drips = api.list_drip_campaigns().send().await.unwrap();
    assert!(!drips.is_empty());
    let fields = api.list_custom_fields().send().await.unwrap();
    let created = api
        .create_custom_field("Grind size", CustomFieldType::Text)
        .description("Espresso, filter or French press.")
        .send()
        .await
        .unwrap();
    assert!(!fields.iter().any(|f| f.id == created.id));
    api.set_custom_field(contact, created.id, json!("filter"))
        .send()
        .await
        .unwrap();
    api.delete_custom_field_value(contact, created.id)
        .send()
        .await
        .unwrap();
    let draft = api
        .generate_ai_response(contact)
        .instruction("offer a discount")
        .send()
        .await
        .unwrap();
    assert!(draft.text.contains("offer a discount"), "{}", draft.text);

    // Notes.
    let note = api
        .add_note(contact, "Wants the grinder in black.")
        .send()
        .await
        .unwrap();
    let note = api
        .update_note(note.id, contact, "Wants the grinder in white.")
        .send()
        .await
        .unwrap();
    assert_eq!(note.text.as_deref(), Some("Wants the grinder in white."));
    api.delete_note(note.id, contact).send().await.unwrap();
    let latest = api.list_messages(contact).limit(1).send().await.unwrap();
    assert_eq!(latest[0].kind, Some(MessageType::Product));

    // Contacts, saved replies, files.
    api.delete_contact(12_345).send().await.unwrap();
    let replies = api.list_saved_replies().send().await.unwrap();
    let added = api
        .add_saved_reply("thanks", "Thanks for your order!")
        .send()
        .await
        .unwrap();
    let updated = api
        .update_saved_reply(added.id)
        .text("Thank you for your order!")
        .send()
        .await
        .unwrap();
    assert_eq!(updated.name.as_deref(), Some("thanks"));
    api.delete_saved_reply(replies[0].id).send().await.unwrap();
    let uploaded = api
        .upload_file(FileUpload::from_bytes("menu.txt", &b"espresso 3.00\n"[..]))
        .media_type("file")
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.size, Some(14));
    let lists = api.list_messenger_lists().send().await.unwrap();
    assert!(!lists.is_empty());

    // Calendars and appointments.
    let calendars = api.list_calendars().send().await.unwrap();
    let booked = api
        .list_appointments()
        .calendar_id(calendars[0].id)
        .status(AppointmentStatus::Booked)
        .send()
        .await
        .unwrap();
    api.cancel_appointment(booked[0].id)
        .reason("Shop closed for inventory.")
        .send()
        .await
        .unwrap();
    api.delete_appointment(booked[1].id).send().await.unwrap();

    // Orders and locations.
    let orders = api.list_orders().send().await.unwrap();
    assert_eq!(orders.len(), 20);
    let order = api.get_order(1_000_000).send().await.unwrap();
    assert_eq!(order.status, Some(OrderStatus::Confirmed));
    api.update_order(1_000_000, OrderStatus::Shipped)
        .send()
        .await
        .unwrap();
    let locations = api.list_gbm_locations().send().await.unwrap();
    assert_eq!(locations.len(), 2);

    // Logout ends the session on the server and in the client.
    email.logout().send().await.unwrap();
    assert!(email.token().is_none());

    let missing: Vec<&str> = chatrace::OPERATIONS
        .iter()
        .map(|meta| meta.name)
        .filter(|name| sandbox.operation_count(name) == 0)
        .collect();
    assert!(missing.is_empty(), "never called: {missing:?}");
    assert_eq!(chatrace::OPERATIONS.len(), 54);
    assert_eq!(sandbox.operation_counts().len(), 54);
}
