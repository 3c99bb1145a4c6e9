//! The sandbox's realtime socket, spoken by hand (a bare tokio-tungstenite client): the frames
//! of the catalogue's templates, the events, the error frame, and the test hooks. The SDK's
//! own realtime client is tested against it in the root crate's `tests/realtime.rs`.
//!
//! Every wait is for a frame or the end of a socket; timeouts are only safety nets.

use std::time::Duration;

use chatrace::types::{Channel, ContactId, ConversationMode, MessageDirection, MessagePart};
use chatrace_sandbox::{scripted_reply_to_text, Sandbox};
use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The safety net of every wait.
const WAIT: Duration = Duration::from_secs(10);

async fn sandbox() -> Sandbox {
    Sandbox::builder()
        .wall_clock()
        .reply_delay(Duration::from_millis(20))
        .start()
        .await
        .expect("the sandbox binds 127.0.0.1")
}

async fn connect(sandbox: &Sandbox) -> Ws {
    let (ws, _) =
        tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(sandbox.socket_url()))
            .await
            .expect("connects in time")
            .expect("the handshake succeeds");
    ws
}

async fn send(ws: &mut Ws, frame: Value) {
    ws.send(Message::text(frame.to_string()))
        .await
        .expect("the frame is written");
}

/// The next text frame, as JSON.
async fn next(ws: &mut Ws) -> Value {
    loop {
        let message = tokio::time::timeout(WAIT, ws.next())
            .await
            .expect("a frame in time")
            .expect("the socket is open")
            .expect("a frame");
        match message {
            Message::Text(text) => {
                return serde_json::from_str(text.as_str()).expect("the server sends JSON")
            }
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("expected a text frame, got {other:?}"),
        }
    }
}

/// Reads until the socket ends; answers the close frame's code, if one came.
async fn end(ws: &mut Ws) -> Option<CloseCode> {
    let mut code = None;
    loop {
        match tokio::time::timeout(WAIT, ws.next())
            .await
            .expect("the socket ends in time")
        {
            Some(Ok(Message::Close(frame))) => code = frame.map(|f| f.code),
            Some(Ok(other)) => panic!("expected the end, got {other:?}"),
            Some(Err(_)) | None => return code,
        }
    }
}

fn authenticate_frame(sandbox: &Sandbox) -> Value {
    let c = sandbox.credentials();
    json!({"action": "authenticate", "data": {
        "platform": "web", "account_id": c.account_id,
        "user_id": c.admin_id.to_string(), "token": c.token}})
}

async fn hash_of(sandbox: &Sandbox, contact: &ContactId) -> String {
    sandbox
        .client()
        .get_contact(contact.clone())
        .send()
        .await
        .expect("get_contact")
        .conversation_hash
        .expect("a hash")
}

fn subscribe_frame(sandbox: &Sandbox, contact: &ContactId, hash: &str) -> Value {
    let c = sandbox.credentials();
    json!({"action": -1, "data": {
        "dir": 0, "from": c.admin_id, "channel": 0, "page_id": c.account_id,
        "ms_id": contact.as_u64(), "hash": hash}})
}

fn send_frame(sandbox: &Sandbox, contact: &ContactId, text: &str) -> Value {
    let c = sandbox.credentials();
    json!({"action": 0, "data": {
        "platform": "web", "dir": 0, "account_id": c.account_id, "contact_id": contact.as_u64(),
        "user_id": c.admin_id, "token": c.token, "fromInbox": true, "channel": 0,
        "from": c.admin_id, "timestamp": 1, "message": [
            {"type": "text", "text": text, "dir": 0, "channel": 0, "from": c.admin_id}]}})
}

/// A socket authenticated and subscribed to the demo contact's conversation.
async fn subscribed(sandbox: &Sandbox) -> (Ws, ContactId) {
    let contact = ContactId::new(sandbox.credentials().contact_id);
    let hash = hash_of(sandbox, &contact).await;
    let mut ws = connect(sandbox).await;
    send(&mut ws, authenticate_frame(sandbox)).await;
    send(&mut ws, subscribe_frame(sandbox, &contact, &hash)).await;
    (ws, contact)
}

/// A contact of the demo account that is a Messenger contact, not blocked, with its hash.
async fn messenger_contact(sandbox: &Sandbox, skip: usize) -> ContactId {
    let conversations = sandbox
        .client()
        .list_conversations()
        .limit(100)
        .send()
        .await
        .expect("the conversations");
    conversations
        .into_iter()
        .filter(|c| c.channel == Some(Channel::Messenger) && c.blocked != Some(true))
        .nth(skip)
        .expect("a Messenger contact")
        .contact_id
}

#[tokio::test]
async fn the_white_label_announces_the_socket_on_the_same_port() {
    let sandbox = sandbox().await;
    let brand = sandbox
        .client()
        .get_whitelabel()
        .send()
        .await
        .expect("get_whitelabel");
    let url = format!("ws://{}/ws", sandbox.addr());
    assert_eq!(sandbox.socket_url(), url);
    assert_eq!(brand.ws_url.as_deref(), Some(url.as_str()));
    assert_eq!(brand.websocket_url.as_deref(), Some(url.as_str()));
}

#[tokio::test]
async fn a_sent_message_is_echoed_stored_and_answered_by_the_contact() {
    let sandbox = sandbox().await;
    let (mut ws, contact) = subscribed(&sandbox).await;
    let admin = sandbox.credentials().admin_id;
    send(
        &mut ws,
        send_frame(&sandbox, &contact, "Hi from a raw socket"),
    )
    .await;

    let echo = next(&mut ws).await;
    let data = &echo["data"];
    assert_eq!(data["type"], "message", "{echo}");
    assert_eq!(data["ms_id"], json!(contact.as_u64()), "{echo}");
    assert_eq!(data["dir"], 0, "{echo}");
    assert_eq!(data["from"], json!(admin), "{echo}");
    assert_eq!(data["channel"], 0, "{echo}");
    assert!(data["message"].is_array(), "parts are an array: {echo}");
    assert_eq!(data["message"][0]["text"], "Hi from a raw socket", "{echo}");
    let id = data["id"].as_str().expect("the message id").to_owned();
    assert!(id.starts_with("m_"), "{id}");
    let sent_at = data["timestamp"].as_i64().expect("a time");

    let delivered = next(&mut ws).await;
    assert_eq!(
        delivered["data"],
        json!({"type": "delivered", "ms_id": contact.as_u64(), "timestamp": sent_at})
    );
    let seen = next(&mut ws).await;
    assert_eq!(
        seen["data"],
        json!({"type": "seen", "ms_id": contact.as_u64(), "timestamp": sent_at})
    );
    let reply = next(&mut ws).await;
    assert_eq!(reply["data"]["type"], "message", "{reply}");
    assert_eq!(reply["data"]["dir"], 1, "{reply}");
    assert_eq!(
        reply["data"]["message"][0]["text"],
        scripted_reply_to_text("Hi from a raw socket"),
        "{reply}"
    );

    // Both are the conversation's newest messages, as HTTP reads them.
    let page = sandbox
        .client()
        .list_messages(contact.clone())
        .limit(2)
        .send()
        .await
        .expect("list_messages");
    let messages = page.messages.expect("messages");
    assert_eq!(messages[1].id.as_str(), id);
    assert_eq!(messages[1].direction, Some(MessageDirection::ToContact));
    assert_eq!(
        messages[1].sent_by.as_ref().map(|a| a.as_str().to_owned()),
        Some(admin.to_string())
    );
    assert!(matches!(
        messages[1].parts.as_deref(),
        Some([MessagePart::Text(t)]) if t.text.as_deref() == Some("Hi from a raw socket")
    ));
    assert_eq!(messages[0].direction, Some(MessageDirection::FromContact));
    let stats = sandbox.socket_stats();
    assert_eq!(
        (
            stats.opened,
            stats.open,
            stats.authenticate,
            stats.subscribe,
            stats.send,
            stats.refused
        ),
        (1, 1, 1, 1, 1, 0)
    );
}

#[tokio::test]
async fn a_refused_authentication_gets_the_error_frame_and_the_socket_is_closed() {
    let sandbox = sandbox().await;
    let c = sandbox.credentials().clone();
    let cases = [
        (
            json!({"account_id": c.account_id, "token": "not-a-session"}),
            1,
        ),
        (json!({"account_id": c.account_id}), 1),
        (
            json!({"account_id": c.account_id, "user_id": 42, "token": c.token}),
            1,
        ),
        (
            json!({"account_id": c.other_account_id, "token": c.token}),
            403,
        ),
        (json!({"token": c.token}), 2),
        (json!("not an object"), 2),
    ];
    for (data, code) in cases {
        let mut ws = connect(&sandbox).await;
        send(&mut ws, json!({"action": "authenticate", "data": data})).await;
        assert_eq!(
            next(&mut ws).await,
            json!({"status": "ERROR", "code": code}),
            "{data}"
        );
        assert_eq!(end(&mut ws).await, Some(CloseCode::Policy), "{data}");
    }
    let stats = sandbox.socket_stats();
    assert_eq!((stats.authenticate, stats.refused), (6, 6));
    // The sandbox still serves.
    let (mut ws, contact) = subscribed(&sandbox).await;
    send(&mut ws, send_frame(&sandbox, &contact, "still here")).await;
    assert_eq!(
        next(&mut ws).await["data"]["message"][0]["text"],
        "still here"
    );
}

#[tokio::test]
async fn bad_frames_get_the_error_frame_and_the_socket_lives_on() {
    let sandbox = sandbox().await;
    let contact = ContactId::new(sandbox.credentials().contact_id);
    let hash = hash_of(&sandbox, &contact).await;
    let mut ws = connect(&sandbox).await;
    // Before authenticate: code 1, and the socket stays.
    send(&mut ws, subscribe_frame(&sandbox, &contact, &hash)).await;
    assert_eq!(next(&mut ws).await, json!({"status": "ERROR", "code": 1}));
    send(&mut ws, authenticate_frame(&sandbox)).await;
    let bad: [Message; 10] = [
        Message::text("not json"),
        Message::text("[1, 2]"),
        Message::text("{\"data\": {}}"),
        Message::text("{\"action\": 7, \"data\": {}}"),
        Message::text("{\"action\": \"send\", \"data\": {}}"),
        Message::text("{\"action\": 0, \"data\": \"hello\"}"),
        Message::text(
            json!({"action": 0, "data": {"ms_id": 1, "message": "a string"}}).to_string(),
        ),
        Message::text(
            json!({"action": 0, "data": {"contact_id": contact.as_u64(), "message": []}})
                .to_string(),
        ),
        Message::binary(vec![0xff, 0xfe, 0x00]),
        Message::text("{\"action\": -1, \"data\": {\"dir\": \"not a direction\"}}"),
    ];
    for frame in bad {
        let shown = format!("{frame:?}");
        ws.send(frame).await.expect("written");
        assert_eq!(
            next(&mut ws).await,
            json!({"status": "ERROR", "code": 2}),
            "{shown}"
        );
    }
    // A contact the account does not have, a hash that is not the contact's, another account.
    for (frame, code) in [
        (json!({"action": -1, "data": {"ms_id": 5}}), 4),
        (
            json!({"action": -1, "data": {"ms_id": contact.as_u64(), "hash": "00"}}),
            4,
        ),
        (
            json!({"action": -1, "data": {"ms_id": contact.as_u64(), "page_id": sandbox.credentials().other_account_id}}),
            403,
        ),
        (json!({"action": -1, "data": {}}), 2),
    ] {
        send(&mut ws, frame.clone()).await;
        assert_eq!(
            next(&mut ws).await,
            json!({"status": "ERROR", "code": code}),
            "{frame}"
        );
    }
    // The socket still works: a subscription by hash alone, then a message.
    send(&mut ws, json!({"action": "-1", "data": {"hash": hash}})).await;
    send(
        &mut ws,
        send_frame(&sandbox, &contact, "after the bad ones"),
    )
    .await;
    assert_eq!(
        next(&mut ws).await["data"]["message"][0]["text"],
        "after the bad ones"
    );
    assert_eq!(sandbox.socket_stats().refused, 15);
}

#[tokio::test]
async fn a_send_the_contact_cannot_get_is_refused_and_stores_nothing() {
    let sandbox = sandbox().await;
    let (mut ws, contact) = subscribed(&sandbox).await;
    let before = sandbox.state_fingerprint();
    let mut wrong_channel = send_frame(&sandbox, &contact, "on WhatsApp?");
    wrong_channel["data"]["channel"] = json!(5);
    let mut unknown_channel = send_frame(&sandbox, &contact, "on 99?");
    unknown_channel["data"]["channel"] = json!(99);
    let mut other_token = send_frame(&sandbox, &contact, "as someone else");
    other_token["data"]["token"] = json!("someone-else");
    let mut other_account = send_frame(&sandbox, &contact, "elsewhere");
    other_account["data"]["account_id"] = json!(sandbox.credentials().other_account_id);
    for (frame, code) in [
        (wrong_channel, 14),
        (unknown_channel, 2),
        (other_token, 1),
        (other_account, 403),
    ] {
        send(&mut ws, frame.clone()).await;
        assert_eq!(
            next(&mut ws).await,
            json!({"status": "ERROR", "code": code}),
            "{frame}"
        );
    }
    let blocked = sandbox.client();
    blocked
        .block_conversation(contact.clone(), true)
        .send()
        .await
        .expect("blocked");
    let after_block = sandbox.state_fingerprint();
    send(&mut ws, send_frame(&sandbox, &contact, "blocked?")).await;
    assert_eq!(next(&mut ws).await, json!({"status": "ERROR", "code": 2}));
    assert_ne!(before, after_block);
    assert_eq!(sandbox.state_fingerprint(), after_block, "nothing stored");
}

#[tokio::test]
async fn http_writes_are_heard_as_state_changes() {
    let sandbox = sandbox().await;
    let (mut ws, contact) = subscribed(&sandbox).await;
    let client = sandbox.client();
    let admin = sandbox.credentials().admin_id;
    // Frames are done in order: once this echo arrives, the subscription is in place.
    send(&mut ws, send_frame(&sandbox, &contact, "ready")).await;
    assert_eq!(next(&mut ws).await["data"]["message"][0]["text"], "ready");
    for _ in 0..3 {
        next(&mut ws).await; // delivered, seen, the reply
    }
    let assignee = chatrace::types::AdminId::new(admin);
    client
        .assign_conversation(contact.clone(), assignee)
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
        .add_note(contact.clone(), "Heard on the socket")
        .send()
        .await
        .expect("note");
    let flow = client
        .list_flows()
        .send()
        .await
        .expect("flows")
        .into_iter()
        .find(|f| {
            matches!(
                f.channel,
                None | Some(Channel::All) | Some(Channel::Messenger)
            )
        })
        .expect("a flow for Messenger");
    client
        .send_flow(flow.id.clone(), contact.clone(), Channel::Messenger)
        .send()
        .await
        .expect("send_flow");

    let expected = [
        // The vendor's shape: each state's value nested in `data`, the part naming its contact.
        json!({"type": "assign", "data": {"fb_id": admin}, "ms_id": contact.as_u64()}),
        json!({"type": "live_chat", "data": {"live_chat": true}}),
        json!({"type": "followup", "data": {"followup": true}}),
        json!({"type": "archived", "data": {"archived": true}}),
        json!({"type": "assign", "data": {"fb_id": 0}}),
        json!({"type": "note", "id": note.id.as_u64(), "text": "Heard on the socket"}),
    ];
    for want in expected {
        let event = next(&mut ws).await;
        let data = &event["data"];
        assert_eq!(data["type"], "message", "{event}");
        assert_eq!(data["ms_id"], json!(contact.as_u64()), "{event}");
        let part = &data["message"][0];
        for (key, value) in want.as_object().expect("an object") {
            assert_eq!(&part[key], value, "{key} of {event}");
        }
        assert_eq!(part["from"], json!(admin), "{event}");
        assert!(part["timestamp"].as_i64().is_some(), "{event}");
    }
    let sent = next(&mut ws).await;
    assert_eq!(sent["data"]["dir"], 0, "{sent}");
    assert_eq!(sent["data"]["liveChat"], true, "{sent}");
    assert!(sent["data"]["message"][0]["text"].is_string(), "{sent}");
}

#[tokio::test]
async fn killed_sockets_end_without_a_close_frame_and_pushed_frames_arrive_as_written() {
    let sandbox = sandbox().await;
    let (mut first, contact) = subscribed(&sandbox).await;
    let mut anonymous = connect(&sandbox).await;
    // Make sure both are registered and the first is authenticated.
    send(&mut first, send_frame(&sandbox, &contact, "one")).await;
    next(&mut first).await;
    send(&mut anonymous, json!({"action": 9})).await;
    assert_eq!(next(&mut anonymous).await["code"], 2);

    assert_eq!(sandbox.push_frame("{\"data\":{\"type\":\"mystery\"}}"), 1);
    loop {
        let frame = next(&mut first).await;
        if frame["data"]["type"] == "mystery" {
            break;
        }
    }
    assert_eq!(sandbox.socket_stats().open, 2);
    assert_eq!(sandbox.kill_sockets(), 2);
    assert_eq!(sandbox.socket_stats().open, 0);
    assert_eq!(end(&mut anonymous).await, None);
    // The first may still get the reply frames queued before the kill; then it ends.
    loop {
        match tokio::time::timeout(WAIT, first.next())
            .await
            .expect("ends in time")
        {
            Some(Ok(Message::Text(_))) => continue,
            Some(Ok(Message::Close(_))) => panic!("a killed socket gets no close frame"),
            Some(Ok(_)) => continue,
            Some(Err(_)) | None => break,
        }
    }
    // New sockets are served.
    let (mut again, contact) = subscribed(&sandbox).await;
    send(&mut again, send_frame(&sandbox, &contact, "two")).await;
    assert_eq!(next(&mut again).await["data"]["message"][0]["text"], "two");
    assert_eq!(sandbox.socket_stats().opened, 3);
}

#[tokio::test]
async fn a_contact_that_writes_is_heard_and_stored() {
    let sandbox = sandbox().await;
    let other = messenger_contact(&sandbox, 3).await;
    let hash = hash_of(&sandbox, &other).await;
    let mut ws = connect(&sandbox).await;
    send(&mut ws, authenticate_frame(&sandbox)).await;
    let mut subscribe = subscribe_frame(&sandbox, &other, &hash);
    subscribe["data"]["ms_id"] = json!(other.as_str());
    send(&mut ws, subscribe).await;
    // The subscription is in place once a frame after it is answered.
    send(&mut ws, json!({"action": 9})).await;
    assert_eq!(next(&mut ws).await["code"], 2);
    let id = sandbox
        .contact_writes(&other, "Are you open today?")
        .expect("the contact exists");
    let event = next(&mut ws).await;
    assert_eq!(event["data"]["id"], id.as_str(), "{event}");
    assert_eq!(event["data"]["dir"], 1, "{event}");
    assert_eq!(event["data"]["message"][0]["text"], "Are you open today?");
    let newest = sandbox
        .client()
        .list_messages(other.clone())
        .limit(1)
        .send()
        .await
        .expect("list_messages")
        .messages
        .expect("messages");
    assert_eq!(newest[0].id, id);
    assert!(sandbox
        .contact_writes(&ContactId::new(5u64), "nobody")
        .is_none());
}

#[tokio::test]
async fn a_socket_whose_session_ended_is_closed_on_its_next_frame() {
    let sandbox = sandbox().await;
    let (mut ws, contact) = subscribed(&sandbox).await;
    send(&mut ws, send_frame(&sandbox, &contact, "before")).await;
    next(&mut ws).await;
    // A logout that sends the session's token ends it (the SDK's logout sends none).
    let body = r#"{"op":"logout"}"#;
    let (status, answer) = raw_http(
        &sandbox,
        &format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             X-ACCESS-TOKEN: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            sandbox.addr(),
            sandbox.credentials().token,
            body.len()
        ),
    )
    .await;
    assert!(status.contains(" 200 "), "{status}");
    assert_eq!(answer, r#"{"status":"OK"}"#);
    send(&mut ws, send_frame(&sandbox, &contact, "after")).await;
    loop {
        let frame = next(&mut ws).await;
        if frame.get("status").is_some() {
            assert_eq!(frame, json!({"status": "ERROR", "code": 1}));
            break;
        }
    }
    assert_eq!(end(&mut ws).await, Some(CloseCode::Policy));
}

#[tokio::test]
async fn stopping_the_sandbox_closes_its_sockets() {
    let sandbox = sandbox().await;
    let (mut ws, contact) = subscribed(&sandbox).await;
    send(&mut ws, send_frame(&sandbox, &contact, "bye")).await;
    next(&mut ws).await;
    sandbox.shutdown().await;
    loop {
        match tokio::time::timeout(WAIT, ws.next())
            .await
            .expect("ends in time")
        {
            Some(Ok(Message::Close(frame))) => {
                assert_eq!(frame.map(|f| f.code), Some(CloseCode::Away));
                break;
            }
            Some(Ok(_)) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    }
}

/// One raw HTTP exchange with the sandbox: the status line and the body.
async fn raw_http(sandbox: &Sandbox, request: &str) -> (String, String) {
    let mut stream = tokio::net::TcpStream::connect(sandbox.addr())
        .await
        .expect("connects");
    stream.write_all(request.as_bytes()).await.expect("written");
    let mut answer = Vec::new();
    tokio::time::timeout(WAIT, stream.read_to_end(&mut answer))
        .await
        .expect("answered in time")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer.lines().next().unwrap_or_default().to_owned();
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[tokio::test]
async fn what_is_not_a_websocket_handshake_is_refused_with_the_error_envelope() {
    let sandbox = sandbox().await;
    let host = sandbox.addr();
    let (status, body) = raw_http(
        &sandbox,
        &format!("GET /ws HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
    .await;
    assert!(status.contains(" 400 "), "{status}");
    assert_eq!(body, r#"{"status":"ERROR","code":2}"#);
    let (status, body) = raw_http(
        &sandbox,
        &format!(
            "POST /ws HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
    )
    .await;
    assert!(status.contains(" 405 "), "{status}");
    assert_eq!(body, r#"{"status":"ERROR","code":2}"#);
    assert_eq!(sandbox.socket_stats().opened, 0);
}

#[tokio::test]
async fn with_a_greeting_the_contact_writes_on_each_subscription() {
    let sandbox = Sandbox::builder()
        .wall_clock()
        .reply_delay(Duration::from_millis(10))
        .greeting("Hello? Anyone there?")
        .start()
        .await
        .expect("the sandbox binds 127.0.0.1");
    let (mut ws, contact) = subscribed(&sandbox).await;
    let event = next(&mut ws).await;
    assert_eq!(event["data"]["type"], "message", "{event}");
    assert_eq!(event["data"]["ms_id"], json!(contact.as_u64()), "{event}");
    assert_eq!(event["data"]["dir"], 1, "{event}");
    assert_eq!(event["data"]["message"][0]["text"], "Hello? Anyone there?");
    let stored = sandbox
        .client()
        .list_messages(contact.clone())
        .limit(1)
        .send()
        .await
        .expect("list_messages")
        .messages
        .expect("messages");
    assert_eq!(
        stored[0].id.as_str(),
        event["data"]["id"].as_str().unwrap_or_default()
    );
}

#[tokio::test]
async fn deep_or_huge_frames_do_not_bring_the_server_down() {
    let sandbox = sandbox().await;
    let mut ws = connect(&sandbox).await;
    // Nested past serde_json's recursion limit: refused like any frame that is not JSON.
    let deep = format!(
        "{{\"action\":0,\"data\":{}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    send_text(&mut ws, deep).await;
    assert_eq!(next(&mut ws).await, json!({"status": "ERROR", "code": 2}));
    // Over the size limit: that socket ends.
    let huge = format!("{{\"action\":0,\"data\":\"{}\"}}", "x".repeat(2 << 20));
    let _ = ws.send(Message::text(huge)).await;
    assert_eq!(end(&mut ws).await, None);
    // The server still serves.
    let (mut again, contact) = subscribed(&sandbox).await;
    send(&mut again, send_frame(&sandbox, &contact, "still up")).await;
    assert_eq!(
        next(&mut again).await["data"]["message"][0]["text"],
        "still up"
    );
}

async fn send_text(ws: &mut Ws, text: String) {
    ws.send(Message::text(text))
        .await
        .expect("the frame is written");
}
