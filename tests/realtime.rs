//! The generated realtime client (`Client::realtime`) end to end, against the sandbox's socket:
//! connect, authenticate, subscribe, send (text, file, reply), the echo, the contact's scripted
//! answer, `delivered` and `seen`, state changes made over HTTP, reconnection after the server
//! drops the socket, frames the catalogue does not know, 500 concurrent sends and reply windows
//! (the token kept out of traces is `realtime_traces.rs`).
//!
//! Every wait is for an event; timeouts are only safety nets.

use chatrace::realtime::{RealtimeError, RealtimeEvent};
use chatrace::types::{
    AccountId, AdminId, Channel, ContactId, ConversationMode, InboxEvent, MessageDirection,
    MessageId, MessagePart, PushNotification, UploadKind,
};
use chatrace::FileUpload;
use chatrace_sandbox::{scripted_reply_to_text, Sandbox};
use futures::StreamExt;
use serde_json::{json, Value};

mod realtime_common;
use realtime_common::*;

/// The first `count` Messenger contacts of the demo account that can be written to.
async fn messenger_contacts(sandbox: &Sandbox, count: usize) -> Vec<ContactId> {
    let conversations = sandbox
        .client()
        .list_conversations()
        .limit(100)
        .send()
        .await
        .expect("the conversations");
    let found: Vec<ContactId> = conversations
        .into_iter()
        .filter(|c| c.channel == Some(Channel::Messenger) && c.blocked != Some(true))
        .map(|c| c.contact_id)
        .take(count)
        .collect();
    assert_eq!(found.len(), count, "the demo account has {count} of them");
    found
}

/// The newest messages of a conversation, newest first.
async fn newest(
    sandbox: &Sandbox,
    contact: &ContactId,
    limit: i64,
) -> Vec<chatrace::types::Message> {
    sandbox
        .client()
        .list_messages(contact.clone())
        .limit(limit)
        .send()
        .await
        .expect("list_messages")
        .messages
        .unwrap_or_default()
}

/// `list_messages` as raw JSON, to see the wire form the real server stores.
async fn raw_messages(sandbox: &Sandbox, contact: &ContactId, limit: u64) -> Value {
    let c = sandbox.credentials();
    let body = json!({"account_id": c.account_id, "op": "conversations", "op1": "get",
        "id": contact.as_u64(), "offset": 0, "limit": limit});
    reqwest::Client::new()
        .post(sandbox.base_url())
        .header("X-ACCESS-TOKEN", &c.token)
        .header("User-Agent", "mobile-app")
        .json(&body)
        .send()
        .await
        .expect("the API answers")
        .json()
        .await
        .expect("JSON")
}

#[tokio::test]
async fn texts_files_and_replies_are_echoed_delivered_seen_and_answered() {
    let sandbox = sandbox().await;
    let realtime = connect(&sandbox).await;
    let mut events = events(&realtime);
    let contact = ContactId::new(sandbox.credentials().contact_id);
    let admin = AdminId::new(sandbox.credentials().admin_id);
    realtime.subscribe(&contact).await.expect("subscribed");

    // A text: the echo, delivered, seen, and the contact's answer.
    realtime
        .send_text(&contact, Channel::Messenger, "Hello from the SDK")
        .await
        .expect("sent");
    let echo = until(
        &mut events,
        message(&contact, MessageDirection::ToContact, "Hello from the SDK"),
    )
    .await;
    assert_eq!(echo.sent_by.as_ref(), Some(&admin));
    assert_eq!(echo.channel, Some(Channel::Messenger));
    let sent_at = echo.sent_at.clone().expect("a time");
    let delivered = until(&mut events, |e| match e {
        RealtimeEvent::Event(InboxEvent::Delivered(d)) => Some(d.clone()),
        _ => None,
    })
    .await;
    assert_eq!(delivered.contact_id.as_ref(), Some(&contact));
    assert_eq!(delivered.delivered_at.as_ref(), Some(&sent_at));
    let seen = until(&mut events, |e| match e {
        RealtimeEvent::Event(InboxEvent::Seen(s)) => Some(s.clone()),
        _ => None,
    })
    .await;
    assert_eq!(seen.seen_at.as_ref(), Some(&sent_at));
    let answer_text = scripted_reply_to_text("Hello from the SDK");
    let answer = until(
        &mut events,
        message(&contact, MessageDirection::FromContact, &answer_text),
    )
    .await;

    // Stored as the real server stores them: the parts as a string, `dir`, `sentBy`.
    let raw = raw_messages(&sandbox, &contact, 2).await;
    let stored = &raw["data"];
    assert_eq!(
        stored[0]["id"],
        json!(answer.id.as_ref().map(MessageId::as_str))
    );
    assert_eq!(
        stored[1]["id"],
        json!(echo.id.as_ref().map(MessageId::as_str))
    );
    assert_eq!(stored[1]["dir"], json!(0), "{raw}");
    assert_eq!(
        stored[1]["sentBy"].to_string().trim_matches('"'),
        admin.as_str()
    );
    let parts: Value =
        serde_json::from_str(stored[1]["message"].as_str().expect("a string")).expect("JSON parts");
    assert_eq!(parts[0]["text"], "Hello from the SDK", "{raw}");
    assert_eq!(stored[0]["dir"], json!(1), "{raw}");

    // A file: uploaded over HTTP, then sent as a file part with the upload's URL.
    let photo = b"\xff\xd8\xff\xe0 a small picture".to_vec();
    realtime
        .send_file(
            &contact,
            Channel::Messenger,
            UploadKind::Image,
            FileUpload::from_bytes("photo.jpg", photo.clone()),
        )
        .await
        .expect("sent");
    let uploads = sandbox.uploads();
    assert_eq!(uploads.len(), 1);
    assert_eq!(uploads[0].length, photo.len() as u64);
    // The upload names the file, as the vendor's web inbox does (`file_name: file.name`).
    assert_eq!(uploads[0].named.as_deref(), Some("photo.jpg"));
    let file = until(&mut events, |e| match e {
        RealtimeEvent::Event(InboxEvent::Message(m))
            if m.direction == Some(MessageDirection::ToContact) =>
        {
            m.parts.iter().flatten().find_map(|p| match p {
                MessagePart::File(f) => Some(f.clone()),
                _ => None,
            })
        }
        _ => None,
    })
    .await;
    let attachment = file.attachment.expect("an attachment");
    assert_eq!(attachment.kind.as_ref().map(|k| k.as_str()), Some("image"));
    assert_eq!(
        attachment.payload.and_then(|p| p.url).as_deref(),
        Some(uploads[0].url.as_str())
    );
    let info = file.file.expect("the file's details");
    assert_eq!(info.name.as_deref(), Some("photo.jpg"));
    assert_eq!(info.length, Some(photo.len() as i64));
    until(
        &mut events,
        message(
            &contact,
            MessageDirection::FromContact,
            "Thanks for the image!",
        ),
    )
    .await;

    // A reply to the contact's message.
    let answered = answer.id.expect("the answer's id");
    realtime
        .reply(&contact, Channel::Messenger, &answered, "Answering you")
        .await
        .expect("sent");
    let reply = until(
        &mut events,
        message(&contact, MessageDirection::ToContact, "Answering you"),
    )
    .await;
    let replying_to = reply.parts.iter().flatten().find_map(|p| match p {
        MessagePart::Text(t) => t.replying_to.clone(),
        _ => None,
    });
    assert_eq!(replying_to, Some(answered));

    let stats = sandbox.socket_stats();
    assert_eq!(
        (
            stats.opened,
            stats.authenticate,
            stats.subscribe,
            stats.send,
            stats.refused
        ),
        (1, 1, 1, 3, 0)
    );
    realtime.close().await;
    assert!(matches!(
        realtime
            .send_text(&contact, Channel::Messenger, "closed")
            .await,
        Err(RealtimeError::Closed)
    ));
}

#[tokio::test]
async fn writes_over_http_arrive_as_state_changes() {
    let sandbox = sandbox().await;
    let realtime = connect(&sandbox).await;
    let mut events = events(&realtime);
    let contact = ContactId::new(sandbox.credentials().contact_id);
    let admin = AdminId::new(sandbox.credentials().admin_id);
    subscribe_and_echo(&realtime, &mut events, &contact, "ready").await;

    let client = sandbox.client();
    client
        .assign_conversation(contact.clone(), admin.clone())
        .send()
        .await
        .expect("assign");
    client
        .move_conversation(contact.clone(), ConversationMode::Human)
        .send()
        .await
        .expect("move");
    client
        .follow_conversation(contact.clone(), true)
        .send()
        .await
        .expect("follow");
    client
        .archive_conversation(contact.clone(), true)
        .send()
        .await
        .expect("archive");
    client
        .unassign_conversation(contact.clone())
        .send()
        .await
        .expect("unassign");
    let note = client
        .add_note(contact.clone(), "Call back after 5")
        .send()
        .await
        .expect("note");

    /// The one part of a state change of the conversation.
    fn change(contact: &ContactId, event: &RealtimeEvent<InboxEvent>) -> Option<MessagePart> {
        match event {
            RealtimeEvent::Event(InboxEvent::Message(m))
                if m.contact_id.as_ref() == Some(contact) =>
            {
                match m.parts.as_deref() {
                    Some([part]) if !matches!(part, MessagePart::Text(_)) => Some(part.clone()),
                    _ => None,
                }
            }
            _ => None,
        }
    }
    let mut parts = Vec::new();
    for _ in 0..6 {
        parts.push(until(&mut events, |e| change(&contact, e)).await);
    }
    match &parts[0] {
        MessagePart::Assigned(a) => {
            assert_eq!(
                a.change.as_ref().and_then(|c| c.assignee_id.as_ref()),
                Some(&admin)
            );
            assert_eq!(a.contact_id.as_ref(), Some(&contact));
            assert_eq!(a.changed_by.as_ref(), Some(&admin));
            assert!(a.changed_at.is_some());
        }
        other => panic!("expected an assignment, got {other:?}"),
    }
    assert!(
        matches!(&parts[1], MessagePart::LiveChat(l) if l.change.as_ref().and_then(|c| c.live_chat) == Some(true)),
        "{:?}",
        parts[1]
    );
    assert!(
        matches!(&parts[2], MessagePart::FollowUp(f) if f.change.as_ref().and_then(|c| c.followed) == Some(true)),
        "{:?}",
        parts[2]
    );
    assert!(
        matches!(&parts[3], MessagePart::Archived(a) if a.change.as_ref().and_then(|c| c.archived) == Some(true)),
        "{:?}",
        parts[3]
    );
    assert!(
        matches!(&parts[4], MessagePart::Assigned(a) if a.change.as_ref().and_then(|c| c.assignee_id.as_ref()).map(AdminId::as_str) == Some("0")),
        "{:?}",
        parts[4]
    );
    // A note is a part the catalogue does not declare: kept whole.
    match &parts[5] {
        MessagePart::Unknown(object) => {
            assert_eq!(object.get("type"), Some(&json!("note")));
            assert_eq!(object.get("text"), Some(&json!("Call back after 5")));
            assert_eq!(
                object.get("id").map(|id| id.to_string()),
                Some(note.id.as_str().to_owned())
            );
        }
        other => panic!("expected the note kept whole, got {other:?}"),
    }
}

#[tokio::test]
async fn a_socket_dropped_by_the_server_is_reconnected_and_resubscribed() {
    let sandbox = sandbox().await;
    let realtime = connect(&sandbox).await;
    let mut events = events(&realtime);
    let contact = ContactId::new(sandbox.credentials().contact_id);
    subscribe_and_echo(&realtime, &mut events, &contact, "before the drop").await;

    assert_eq!(sandbox.kill_sockets(), 1);
    until(&mut events, |e| match e {
        RealtimeEvent::Disconnected { .. } => Some(()),
        _ => None,
    })
    .await;
    let (attempts, subscriptions) = until(&mut events, |e| match e {
        RealtimeEvent::Reconnected {
            attempts,
            subscriptions,
        } => Some((*attempts, *subscriptions)),
        _ => None,
    })
    .await;
    assert!(attempts >= 1);
    assert_eq!(subscriptions, 1);

    // Events flow again: the echo goes to the conversation's subscribers only, so it proves
    // the subscription was sent again.
    realtime
        .send_text(&contact, Channel::Messenger, "after the drop")
        .await
        .expect("sent on the new socket");
    until(
        &mut events,
        message(&contact, MessageDirection::ToContact, "after the drop"),
    )
    .await;
    until(
        &mut events,
        message(
            &contact,
            MessageDirection::FromContact,
            &scripted_reply_to_text("after the drop"),
        ),
    )
    .await;
    sandbox
        .client()
        .follow_conversation(contact.clone(), true)
        .send()
        .await
        .expect("follow");
    until(&mut events, |e| match e {
        RealtimeEvent::Event(InboxEvent::Message(m)) => m
            .parts
            .iter()
            .flatten()
            .any(|p| matches!(p, MessagePart::FollowUp(_)))
            .then_some(()),
        _ => None,
    })
    .await;
    let stats = sandbox.socket_stats();
    assert_eq!(
        (
            stats.opened,
            stats.open,
            stats.authenticate,
            stats.subscribe,
            stats.send
        ),
        (2, 1, 2, 2, 2)
    );
}

#[tokio::test]
async fn frames_the_catalogue_does_not_know_arrive_whole() {
    let sandbox = sandbox().await;
    let realtime = connect(&sandbox).await;
    let mut events = events(&realtime);
    let contact = ContactId::new(sandbox.credentials().contact_id);
    subscribe_and_echo(&realtime, &mut events, &contact, "ready").await;

    let unknown = json!({"type": "reaction", "ms_id": contact.as_u64(), "emoji": "👍",
        "on": {"id": "m_1", "list": [1, "two", null, {"deep": true}]}, "timestamp": 1.5});
    let part = json!({"type": "carousel", "cards": [{"title": "A"}, {"title": "B"}]});
    assert_eq!(
        sandbox.push_frame(&json!({"data": unknown, "beside": "the data"}).to_string()),
        1
    );
    assert_eq!(
        sandbox.push_frame(
            &json!({"data": {"type": "message", "ms_id": contact.as_u64(), "dir": 0,
                "message": [part, {"type": "text", "text": "with a carousel"}]}})
            .to_string()
        ),
        1
    );
    assert_eq!(sandbox.push_frame("<html>not JSON</html>"), 1);

    let kept = until(&mut events, |e| match e {
        RealtimeEvent::Event(InboxEvent::Unknown(object)) => Some(Value::Object(object.clone())),
        _ => None,
    })
    .await;
    assert_eq!(kept, unknown);
    let carousel = until(&mut events, |e| match e {
        RealtimeEvent::Event(InboxEvent::Message(m)) if text_of(m) == Some("with a carousel") => {
            m.parts.clone()
        }
        _ => None,
    })
    .await;
    match &carousel[0] {
        MessagePart::Unknown(object) => assert_eq!(Value::Object(object.clone()), part),
        other => panic!("expected the part kept whole, got {other:?}"),
    }
    let (text, error) = until(&mut events, |e| match e {
        RealtimeEvent::Undecodable { text, error } => Some((text.clone(), error.clone())),
        _ => None,
    })
    .await;
    assert_eq!(text, "<html>not JSON</html>");
    assert!(!error.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_messages_from_fifty_tasks_all_arrive_once_in_order_per_contact() {
    const TASKS: usize = 50;
    const EACH: usize = 10;
    const CONTACTS: usize = 10;
    let sandbox = Sandbox::builder()
        .wall_clock()
        .contact_replies(false)
        .start()
        .await
        .expect("the sandbox binds 127.0.0.1");
    let realtime = connect(&sandbox).await;
    let contacts = messenger_contacts(&sandbox, CONTACTS).await;
    for contact in &contacts {
        realtime.subscribe(contact).await.expect("subscribed");
    }
    // Every echo, in the order it arrives.
    let mut events = events(&realtime);
    let collector = tokio::spawn(async move {
        let mut echoes: Vec<(ContactId, String)> = Vec::new();
        while echoes.len() < TASKS * EACH {
            match events.next().await {
                Some(RealtimeEvent::Event(InboxEvent::Message(m))) => {
                    if let (Some(contact), Some(text)) = (m.contact_id.clone(), text_of(&m)) {
                        echoes.push((contact, text.to_owned()));
                    }
                }
                Some(RealtimeEvent::Event(_)) => {}
                Some(other) => panic!("the connection did not hold: {other:?}"),
                None => break,
            }
        }
        echoes
    });
    let senders: Vec<_> = (0..TASKS)
        .map(|task| {
            let realtime = realtime.clone();
            let contact = contacts[task % CONTACTS].clone();
            tokio::spawn(async move {
                for n in 0..EACH {
                    realtime
                        .send_text(&contact, Channel::Messenger, &format!("t{task:02}-m{n:02}"))
                        .await
                        .expect("sent");
                }
            })
        })
        .collect();
    for sender in senders {
        tokio::time::timeout(WAIT, sender)
            .await
            .expect("the sends end in time")
            .expect("no sender panicked");
    }
    let echoes = tokio::time::timeout(WAIT, collector)
        .await
        .expect("every echo arrives in time")
        .expect("the collector did not panic");

    assert_eq!(echoes.len(), TASKS * EACH);
    let mut seen = std::collections::BTreeSet::new();
    for (_, text) in &echoes {
        assert!(seen.insert(text.clone()), "{text} arrived twice");
    }
    for (c, contact) in contacts.iter().enumerate() {
        let theirs: Vec<&str> = echoes
            .iter()
            .filter(|(to, _)| to == contact)
            .map(|(_, text)| text.as_str())
            .collect();
        assert_eq!(theirs.len(), TASKS / CONTACTS * EACH);
        // Each task's messages in the order it sent them.
        for task in (c..TASKS).step_by(CONTACTS) {
            let order: Vec<&str> = theirs
                .iter()
                .copied()
                .filter(|text| text.starts_with(&format!("t{task:02}-")))
                .collect();
            let sent: Vec<String> = (0..EACH).map(|n| format!("t{task:02}-m{n:02}")).collect();
            assert_eq!(order, sent, "task {task}");
        }
        // The conversation stores them in the order they were echoed.
        let stored: Vec<String> = newest(&sandbox, contact, (TASKS / CONTACTS * EACH) as i64)
            .await
            .iter()
            .rev()
            .filter_map(|m| match m.parts.as_deref() {
                Some([MessagePart::Text(t)]) => t.text.clone(),
                _ => None,
            })
            .collect();
        assert_eq!(stored, theirs, "contact {contact}");
    }
    assert_eq!(sandbox.socket_stats().send, (TASKS * EACH) as u64);
}

#[tokio::test]
async fn a_contact_outside_its_reply_window_is_unreachable_and_nothing_is_sent() {
    let sandbox = sandbox().await;
    let late = late_whatsapp_contact(&sandbox).await;
    let before = newest(&sandbox, &late, 1).await;

    let realtime = connect(&sandbox).await;
    let error = realtime
        .send_text(&late, Channel::Whatsapp, "too late?")
        .await
        .expect_err("refused");
    match &error {
        RealtimeError::Unreachable {
            channel,
            reason,
            past_window_operation,
            ..
        } => {
            assert_eq!(*channel, 5);
            assert!(reason.contains("24 hours"), "{reason}");
            assert_eq!(*past_window_operation, Some("send_whatsapp_template"));
        }
        other => panic!("expected Unreachable, got {other:?}"),
    }
    let error = realtime
        .send_file(
            &late,
            Channel::Whatsapp,
            UploadKind::Image,
            FileUpload::from_bytes("late.jpg", b"bytes".to_vec()),
        )
        .await
        .expect_err("refused");
    assert!(
        matches!(error, RealtimeError::Unreachable { channel: 5, .. }),
        "{error:?}"
    );
    // Nothing goes on a channel without a window (calls), whoever the contact is.
    let reachable = ContactId::new(sandbox.credentials().contact_id);
    let error = realtime
        .send_text(&reachable, Channel::Voice, "a call?")
        .await
        .expect_err("refused");
    assert!(
        matches!(error, RealtimeError::Unreachable { channel: 15, .. }),
        "{error:?}"
    );

    assert_eq!(
        sandbox.socket_stats().send,
        0,
        "no send frame reached the server"
    );
    assert!(sandbox.uploads().is_empty(), "nothing was uploaded");
    assert_eq!(newest(&sandbox, &late, 1).await, before);

    // The contact writes: the window opens again, and the same connection, which read the
    // contact when it was closed, now sends.
    sandbox
        .contact_writes(&late, "I'm back")
        .expect("the sandbox has this contact");
    let mut events = events(&realtime);
    realtime.subscribe(&late).await.expect("subscribed");
    realtime
        .send_text(&late, Channel::Whatsapp, "welcome back")
        .await
        .expect("the window is open again");
    until(
        &mut events,
        message(&late, MessageDirection::ToContact, "welcome back"),
    )
    .await;
    assert_eq!(sandbox.socket_stats().send, 1);
}

/// The parts of a message event, when it is one.
fn parts_of(event: &RealtimeEvent<InboxEvent>) -> Option<(Option<ContactId>, Vec<MessagePart>)> {
    match event {
        RealtimeEvent::Event(InboxEvent::Message(m)) => {
            Some((m.contact_id.clone(), m.parts.clone().unwrap_or_default()))
        }
        _ => None,
    }
}

#[tokio::test]
async fn state_changes_in_the_vendors_shape_are_typed_account_wide_and_per_conversation() {
    let sandbox = sandbox().await;
    let realtime = connect(&sandbox).await;
    let mut events = events(&realtime);
    // Frames as the vendor's web inbox reads them (`ws.onmessage` in its inbox.js): each
    // state item's value nested in `data`; account-wide frames have `ms_id` null and name the
    // contact in each item.
    let account_wide = json!({"data": {"type": "message", "ms_id": null, "message": [
        {"type": "assign", "ms_id": 501, "data": {"fb_id": 7001}},
        {"type": "live_chat", "ms_id": 502, "data": {"live_chat": "1"}},
        {"type": "followup", "ms_id": 503, "data": {"followup": 1}},
        {"type": "archived", "ms_id": 504, "data": {"archived": false}}]}});
    let conversation = json!({"data": {"type": "message", "ms_id": 501, "dir": 0, "message": [
        {"type": "assign", "ms_id": 501, "data": {"fb_id": 0}},
        {"type": "live_chat", "ms_id": 501, "data": {"live_chat": 0}}]}});
    assert_eq!(sandbox.push_frame(&account_wide.to_string()), 1);
    assert_eq!(sandbox.push_frame(&conversation.to_string()), 1);

    let (contact, parts) = until(&mut events, parts_of).await;
    assert_eq!(contact, None, "account-wide");
    let contacts: Vec<Option<&str>> = parts
        .iter()
        .map(|part| match part {
            MessagePart::Assigned(p) => p.contact_id.as_ref().map(ContactId::as_str),
            MessagePart::LiveChat(p) => p.contact_id.as_ref().map(ContactId::as_str),
            MessagePart::FollowUp(p) => p.contact_id.as_ref().map(ContactId::as_str),
            MessagePart::Archived(p) => p.contact_id.as_ref().map(ContactId::as_str),
            _ => None,
        })
        .collect();
    assert_eq!(
        contacts,
        [Some("501"), Some("502"), Some("503"), Some("504")]
    );
    match &parts[..] {
        [MessagePart::Assigned(assign), MessagePart::LiveChat(live), MessagePart::FollowUp(follow), MessagePart::Archived(archived)] =>
        {
            let to = assign.change.as_ref().and_then(|c| c.assignee_id.as_ref());
            assert_eq!(to.map(AdminId::as_str), Some("7001"), "assigned to whom");
            assert_eq!(live.change.as_ref().and_then(|c| c.live_chat), Some(true));
            assert_eq!(follow.change.as_ref().and_then(|c| c.followed), Some(true));
            assert_eq!(
                archived.change.as_ref().and_then(|c| c.archived),
                Some(false)
            );
        }
        other => panic!("expected the four state changes, got {other:?}"),
    }
    let (contact, parts) = until(&mut events, parts_of).await;
    assert_eq!(contact.as_ref().map(ContactId::as_str), Some("501"));
    match &parts[..] {
        [MessagePart::Assigned(assign), MessagePart::LiveChat(live)] => {
            let to = assign.change.as_ref().and_then(|c| c.assignee_id.as_ref());
            assert_eq!(to.map(AdminId::as_str), Some("0"), "unassigned");
            assert_eq!(live.change.as_ref().and_then(|c| c.live_chat), Some(false));
        }
        other => panic!("expected two state changes, got {other:?}"),
    }
}

#[tokio::test]
async fn frames_without_a_type_are_messages_as_the_vendors_web_inbox_reads_them() {
    let sandbox = sandbox().await;
    let realtime = connect(&sandbox).await;
    let mut events = events(&realtime);
    // The web inbox never reads `data.type` of an account-wide frame, and shows a conversation's
    // frame as messages unless its type is `seen` or `delivered`; these carry no type at all.
    let account_wide = json!({"action": 0, "data": {"ms_id": null, "message": [
        {"type": "assign", "ms_id": 501, "data": {"fb_id": 7001}}]}});
    let conversation = json!({"action": 0, "data": {"ms_id": 501, "dir": 1, "timestamp": 1717243200000u64,
        "message": [{"type": "text", "text": "no type on the frame", "dir": 1}]}});
    let seen = json!({"data": {"type": "seen", "ms_id": 501, "timestamp": 1717243300000u64}});
    for frame in [&account_wide, &conversation, &seen] {
        assert_eq!(sandbox.push_frame(&frame.to_string()), 1);
    }

    let heard: Vec<InboxEvent> = until(&mut events, {
        let mut heard = Vec::new();
        move |event| {
            if let RealtimeEvent::Event(inbox) = event {
                heard.push(inbox.clone());
            }
            (heard.len() == 3).then(|| heard.clone())
        }
    })
    .await;
    match &heard[..] {
        [InboxEvent::Message(wide), InboxEvent::Message(one), InboxEvent::Seen(seen_event)] => {
            assert_eq!(wide.contact_id, None, "account-wide");
            match wide.parts.as_deref() {
                Some([MessagePart::Assigned(assign)]) => {
                    let to = assign.change.as_ref().and_then(|c| c.assignee_id.as_ref());
                    assert_eq!(to.map(AdminId::as_str), Some("7001"));
                }
                other => panic!("expected the assignment, got {other:?}"),
            }
            assert_eq!(one.contact_id.as_ref().map(ContactId::as_str), Some("501"));
            assert_eq!(one.direction, Some(MessageDirection::FromContact));
            assert_eq!(text_of(one), Some("no type on the frame"));
            assert_eq!(
                seen_event.seen_at.as_ref().and_then(|t| t.as_i64()),
                Some(1717243300000)
            );
        }
        other => panic!("expected two messages and a seen, got {other:?}"),
    }
    // Written back without a `type`, as it came; one that came with it keeps it.
    let written = serde_json::to_value(&heard[1]).unwrap();
    assert_eq!(written.get("type"), None, "{written}");
    let written = serde_json::to_value(&heard[2]).unwrap();
    assert_eq!(written["type"], json!("seen"), "{written}");
}

#[test]
fn a_push_notification_in_the_guides_form_decodes_as_firebase_hands_it_over() {
    // The vendor's guide for mobile apps (`docs/chatracemobile.md`), verbatim: its values are
    // placeholders in typographic quotes, filled here in order.
    let guide = r#"{
    "type": "message",
    "account_id": “...”,
    "contact_id": “...”,
    "wt": “...”,
    "subtype": "text",
    "text": "..."
}"#;
    let mut filled = guide.to_owned();
    for value in ["\"1234567\"", "\"100000000001\"", "\"701\""] {
        filled = filled.replacen("“...”", value, 1);
    }
    let from_json: PushNotification = serde_json::from_str(&filled).unwrap();
    assert_eq!(from_json.kind.as_deref(), Some("message"));
    assert_eq!(
        from_json.account_id.as_ref().map(AccountId::as_str),
        Some("1234567")
    );
    assert_eq!(
        from_json.contact_id.as_ref().map(ContactId::as_str),
        Some("100000000001")
    );
    assert_eq!(
        from_json.whitelabel_id.as_ref().map(|id| id.as_str()),
        Some("701")
    );
    assert_eq!(from_json.subtype.as_deref(), Some("text"));
    assert_eq!(from_json.text.as_deref(), Some("..."));
    // Firebase gives an app the data as strings; numbers sent as numbers read the same.
    let as_numbers: PushNotification = serde_json::from_value(json!({"type": "message",
        "account_id": 1234567, "contact_id": 100000000001u64, "wt": 701,
        "subtype": "text", "text": "..."}))
    .unwrap();
    assert_eq!(as_numbers, from_json);
}

#[tokio::test]
async fn a_write_is_heard_account_wide_by_a_socket_not_subscribed_to_the_conversation() {
    let sandbox = sandbox().await;
    let realtime = connect(&sandbox).await;
    let mut events = events(&realtime);
    let contact = ContactId::new(sandbox.credentials().contact_id);
    let admin = AdminId::new(sandbox.credentials().admin_id);
    sandbox
        .client()
        .assign_conversation(contact.clone(), admin.clone())
        .send()
        .await
        .expect("assign");
    let (frame_contact, parts) = until(&mut events, parts_of).await;
    assert_eq!(
        frame_contact, None,
        "not subscribed: the account-wide frame"
    );
    match &parts[..] {
        [MessagePart::Assigned(assign)] => {
            assert_eq!(assign.contact_id.as_ref(), Some(&contact));
            let to = assign.change.as_ref().and_then(|c| c.assignee_id.as_ref());
            assert_eq!(to, Some(&admin));
        }
        other => panic!("expected an assignment, got {other:?}"),
    }
}

#[tokio::test]
async fn a_refused_authentication_fails_connect_and_ends_a_running_connection() {
    let sandbox = sandbox().await;
    let token = sandbox.credentials().token.clone();
    sandbox.errors().for_token(&token, 1);
    let error = sandbox
        .client()
        .realtime()
        .options(options())
        .connect()
        .await
        .map(|_| ())
        .expect_err("refused");
    match &error {
        RealtimeError::Refused { envelope, .. } => {
            let envelope = envelope.as_ref().expect("the server's error");
            assert_eq!(envelope.code().and_then(|c| c.number()), Some(1));
            assert!(envelope.is_unauthorized());
        }
        // The lookups over HTTP come first, and the same session is refused there.
        RealtimeError::Call(inner) => assert!(inner.is_unauthorized(), "{inner}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(!format!("{error} {error:?}").contains(&token));
    sandbox.errors().clear();

    // A running connection whose re-authentication is refused stops with a final event.
    let realtime = connect(&sandbox).await;
    let mut events = events(&realtime);
    sandbox.errors().for_token(&token, 1);
    assert_eq!(sandbox.kill_sockets(), 1);
    let (reason, code) = until(&mut events, |event| match event {
        RealtimeEvent::Refused { reason, envelope } => Some((
            reason.clone(),
            envelope
                .as_ref()
                .and_then(|e| e.code())
                .and_then(|c| c.number()),
        )),
        _ => None,
    })
    .await;
    assert_eq!(code, Some(1), "{reason}");
    assert!(events.next().await.is_none(), "the stream ends");
}
