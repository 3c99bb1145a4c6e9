//! The realtime connection against a scripted tokio-tungstenite server on 127.0.0.1.
//!
//! The frames and the event type are hand-written here, shaped like the generated ones. Every
//! wait is for something the server or the connection reports; timeouts are only safety nets.
//!
//! Run with `cargo test -p chatrace-runtime --features realtime --test realtime`.

#[path = "realtime/server.rs"]
mod server;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use chatrace_runtime::realtime::{
    Action, Connection, EventFrame, RealtimeError, RealtimeEvent, RealtimeOptions,
};
use chatrace_runtime::{ErrorCodeMeta, ErrorSource, RetryPolicy};
use futures::{Stream, StreamExt};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;

use server::{within, AuthAnswer, Seen, Server};

const TOKEN: &str = "tok-SECRET-4242";

#[derive(Serialize)]
struct Authenticate {
    platform: &'static str,
    account_id: u64,
    user_id: u64,
    token: &'static str,
}

impl Action for Authenticate {
    const ACTION: &'static str = "\"authenticate\"";
    const NAME: &'static str = "authenticate";
}

fn authenticate() -> Authenticate {
    Authenticate {
        platform: "web",
        account_id: 1001,
        user_id: 42,
        token: TOKEN,
    }
}

fn authenticate_json() -> Value {
    json!({"action": "authenticate", "data": {
        "platform": "web", "account_id": 1001, "user_id": 42, "token": TOKEN}})
}

#[derive(Serialize)]
struct Subscribe {
    ms_id: u64,
    hash: &'static str,
}

impl Action for Subscribe {
    const ACTION: &'static str = "-1";
    const NAME: &'static str = "subscribe";
}

fn subscribe_json(ms_id: u64, hash: &str) -> Value {
    json!({"action": -1, "data": {"ms_id": ms_id, "hash": hash}})
}

#[derive(Serialize)]
struct SendMessage {
    ms_id: u64,
    text: String,
    token: &'static str,
}

impl Action for SendMessage {
    const ACTION: &'static str = "0";
    const NAME: &'static str = "send_message";
}

fn message(ms_id: u64, text: impl Into<String>) -> SendMessage {
    SendMessage {
        ms_id,
        text: text.into(),
        token: TOKEN,
    }
}

fn message_json(ms_id: u64, text: &str) -> Value {
    json!({"action": 0, "data": {"ms_id": ms_id, "text": text, "token": TOKEN}})
}

/// The event type, shaped like the generated union: known frames, and the rest kept whole.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
enum Inbox {
    Message(MessageEvent),
    Unknown(Value),
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct MessageEvent {
    #[serde(rename = "type")]
    kind: MessageKind,
    ms_id: u64,
    message: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
enum MessageKind {
    #[serde(rename = "message")]
    Message,
}

impl EventFrame for Inbox {
    const AT: &'static str = "data";
}

fn message_frame(ms_id: u64, text: &str) -> String {
    json!({"data": {"type": "message", "ms_id": ms_id, "message": [{"type": "text", "text": text}]}})
        .to_string()
}

fn message_event(ms_id: u64, text: &str) -> Inbox {
    Inbox::Message(MessageEvent {
        kind: MessageKind::Message,
        ms_id,
        message: vec![json!({"type": "text", "text": text})],
    })
}

fn fast_options() -> RealtimeOptions {
    RealtimeOptions::default()
        .with_reconnect(
            RetryPolicy::default()
                .with_max_attempts(0)
                .with_backoff(Duration::from_millis(5), Duration::from_millis(40)),
        )
        .with_connect_timeout(Duration::from_secs(5))
        // The scripted server answers at once; a short wait keeps the tests quick.
        .with_auth_wait(Duration::from_millis(50))
        .with_error_codes(&ERROR_CODES)
        .with_redact_token(TOKEN)
}

/// Options that listen long for the server's verdict: a refusal ends the wait at once.
fn patient_options() -> RealtimeOptions {
    fast_options().with_auth_wait(Duration::from_secs(3))
}

/// A table of error codes like the catalogue's.
static ERROR_CODES: [ErrorCodeMeta; 2] = [
    ErrorCodeMeta {
        code: 1,
        name: "invalid_session",
        meaning: "the session is not valid: log in again",
        fields: &[],
        unauthorized: true,
        retryable: false,
        fails_when_ok: false,
        source: ErrorSource::WebInbox,
    },
    ErrorCodeMeta {
        code: 4,
        name: "not_found",
        meaning: "not found",
        fields: &[],
        unauthorized: false,
        retryable: false,
        fails_when_ok: false,
        source: ErrorSource::WebInbox,
    },
];

fn refusal(text: Option<&str>, close: Option<u16>) -> AuthAnswer {
    AuthAnswer {
        text: text.map(str::to_owned),
        close,
        drop: false,
    }
}

/// Connects with `options` and checks that the server's first frame is `authenticate`.
async fn connect_with(server: &mut Server, options: RealtimeOptions) -> Connection<Inbox> {
    let connection = within(
        "connect",
        Connection::<Inbox>::connect(&server.url, authenticate(), options),
    )
    .await
    .expect("connects");
    let connection_id = server.connections() - 1;
    assert_eq!(server.next_seen().await, Seen::Opened(connection_id));
    assert_eq!(
        server.next_frame().await,
        (connection_id, authenticate_json())
    );
    connection
}

async fn connect(server: &mut Server) -> Connection<Inbox> {
    connect_with(server, fast_options()).await
}

/// The frames in `seen`, as JSON; no connection may open in between.
fn frames_of(seen: Vec<Seen>) -> Vec<Value> {
    seen.into_iter()
        .filter_map(|seen| match seen {
            Seen::Text { text, .. } => Some(serde_json::from_str(&text).expect("JSON")),
            Seen::Opened(_) => None,
            other => panic!("unexpected {other:?}"),
        })
        .collect()
}

async fn next_event<S>(events: &mut S) -> RealtimeEvent<Inbox>
where
    S: Stream<Item = RealtimeEvent<Inbox>> + Unpin,
{
    within("an event", events.next())
        .await
        .expect("the stream ended")
}

async fn expect_event<S>(events: &mut S) -> Inbox
where
    S: Stream<Item = RealtimeEvent<Inbox>> + Unpin,
{
    match next_event(events).await {
        RealtimeEvent::Event(event) => event,
        other => panic!("expected an event, got {other:?}"),
    }
}

async fn expect_disconnected<S>(events: &mut S) -> String
where
    S: Stream<Item = RealtimeEvent<Inbox>> + Unpin,
{
    match next_event(events).await {
        RealtimeEvent::Disconnected { reason } => reason,
        other => panic!("expected Disconnected, got {other:?}"),
    }
}

async fn expect_reconnected<S>(events: &mut S) -> (u32, usize)
where
    S: Stream<Item = RealtimeEvent<Inbox>> + Unpin,
{
    match next_event(events).await {
        RealtimeEvent::Reconnected {
            attempts,
            subscriptions,
        } => (attempts, subscriptions),
        other => panic!("expected Reconnected, got {other:?}"),
    }
}

async fn expect_end<S>(events: &mut S)
where
    S: Stream<Item = RealtimeEvent<Inbox>> + Unpin,
{
    if let Some(event) = within("the stream's end", events.next()).await {
        panic!("expected the stream to end, got {event:?}");
    }
}

#[tokio::test]
async fn connects_and_authenticates_first() {
    let mut server = Server::start().await;
    let connection = connect(&mut server).await;
    connection.send(&message(7, "hello")).await.expect("sent");
    assert_eq!(server.next_frame().await, (0, message_json(7, "hello")));
    // The frame is written as `{"action":…,"data":…}`, action first.
    connection.send(&message(7, "again")).await.expect("sent");
    let (_, text) = server.next_text().await;
    assert!(text.starts_with(r#"{"action":0,"data":{"#), "{text}");
}

#[tokio::test]
async fn subscribe_and_send_write_one_frame_each_in_order() {
    let mut server = Server::start().await;
    let connection = connect(&mut server).await;
    connection
        .subscribe(
            "contact-7",
            Subscribe {
                ms_id: 7,
                hash: "h7",
            },
        )
        .await
        .expect("subscribed");
    connection.send(&message(7, "hi")).await.expect("sent");
    assert_eq!(server.next_frame().await, (0, subscribe_json(7, "h7")));
    assert_eq!(server.next_frame().await, (0, message_json(7, "hi")));
    assert!(server.rest().is_empty(), "{:?}", server.rest());
}

#[tokio::test]
async fn events_decode_and_an_unknown_frame_arrives_whole() {
    let mut server = Server::start().await;
    let connection = connect(&mut server).await;
    let mut first = connection.events();
    let mut second = connection.events();
    let unknown =
        json!({"type": "typing_v2", "ms_id": null, "items": [{"fb_id": 3, "x": [1.5, "y", {}]}]});
    server.push_text(0, message_frame(7, "hello"));
    server.push_text(
        0,
        json!({"data": unknown, "beside": {"data": 1}}).to_string(),
    );
    for events in [&mut first, &mut second] {
        assert_eq!(expect_event(events).await, message_event(7, "hello"));
        match next_event(events).await {
            RealtimeEvent::Event(Inbox::Unknown(value)) => assert_eq!(value, unknown),
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn what_does_not_decode_is_reported_redacted_and_the_socket_stays_up() {
    let mut server = Server::start().await;
    let connection = connect(&mut server).await;
    let mut events = connection.events();
    server.push_text(0, format!("not json {TOKEN}"));
    server.push(0, Message::binary(vec![0xff, 0xfe, 0x00]));
    server.push(0, Message::Ping(b"are you there".to_vec().into()));
    server.push_text(0, "[1, 2]");
    server.push_text(0, r#"{"nodata": {"token": "abc", "n": 1}}"#);
    server.push(
        0,
        Message::binary(message_frame(8, "as binary").into_bytes()),
    );
    server.push_text(0, message_frame(9, "still up"));

    let mut undecodable = Vec::new();
    for _ in 0..4 {
        match next_event(&mut events).await {
            RealtimeEvent::Undecodable { text, error } => {
                assert!(!error.is_empty());
                undecodable.push(text);
            }
            other => panic!("expected Undecodable, got {other:?}"),
        }
    }
    assert_eq!(undecodable[0], "not json ***");
    assert_eq!(undecodable[1], "\u{fffd}\u{fffd}\u{0}");
    assert_eq!(undecodable[2], "[1, 2]");
    assert_eq!(undecodable[3], r#"{"nodata": {"token": "***", "n": 1}}"#);
    assert_eq!(
        expect_event(&mut events).await,
        message_event(8, "as binary")
    );
    assert_eq!(
        expect_event(&mut events).await,
        message_event(9, "still up")
    );
    connection.send(&message(9, "ok")).await.expect("still up");
    assert_eq!(server.next_frame().await, (0, message_json(9, "ok")));
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn a_frame_the_event_type_rejects_is_undecodable_with_a_redacted_reason() {
    #[derive(Debug, Clone, Deserialize)]
    struct Strict {
        #[allow(dead_code)]
        n: u64,
    }
    impl EventFrame for Strict {
        const AT: &'static str = "data";
    }
    let server = Server::start().await;
    let connection = within(
        "connect",
        Connection::<Strict>::connect(&server.url, authenticate(), fast_options()),
    )
    .await
    .expect("connects");
    let mut events = connection.events();
    server.push_text(0, json!({"data": {"n": TOKEN}}).to_string());
    match within("an event", events.next()).await {
        Some(RealtimeEvent::Undecodable { text, error }) => {
            assert_eq!(text, r#"{"data":{"n":"***"}}"#);
            assert!(error.contains("invalid type"), "{error}");
            assert!(error.contains("***") && !error.contains(TOKEN), "{error}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_server_killing_the_socket_is_reported_and_recovered_in_order() {
    let mut server = Server::start().await;
    let connection = connect(&mut server).await;
    let mut events = connection.events();
    let subscribe = |ms_id, hash| Subscribe { ms_id, hash };
    connection
        .subscribe("a", subscribe(7, "h7"))
        .await
        .expect("a");
    connection
        .subscribe("b", subscribe(8, "h8"))
        .await
        .expect("b");
    // Same key: replaces "a", which is now the last one made.
    connection
        .subscribe("a", subscribe(9, "h9"))
        .await
        .expect("a again");
    for (ms_id, hash) in [(7, "h7"), (8, "h8"), (9, "h9")] {
        assert_eq!(server.next_frame().await, (0, subscribe_json(ms_id, hash)));
    }

    server.kill(0);
    let reason = expect_disconnected(&mut events).await;
    assert!(!reason.is_empty());
    assert_eq!(expect_reconnected(&mut events).await, (1, 2));
    assert_eq!(
        server.until_closed(0).await,
        (vec![], false),
        "killed, not closed"
    );
    assert_eq!(server.next_seen().await, Seen::Opened(1));
    assert_eq!(server.next_frame().await, (1, authenticate_json()));
    assert_eq!(server.next_frame().await, (1, subscribe_json(8, "h8")));
    assert_eq!(server.next_frame().await, (1, subscribe_json(9, "h9")));

    connection.send(&message(9, "after")).await.expect("sent");
    assert_eq!(server.next_frame().await, (1, message_json(9, "after")));
    server.push_text(1, message_frame(9, "back"));
    assert_eq!(expect_event(&mut events).await, message_event(9, "back"));
}

#[tokio::test]
async fn reconnected_counts_the_attempts_it_took() {
    let mut server = Server::start().await;
    let connection = connect(&mut server).await;
    let mut events = connection.events();
    server.refuse_next(2);
    server.kill(0);
    expect_disconnected(&mut events).await;
    assert_eq!(expect_reconnected(&mut events).await, (3, 0));
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn a_send_while_down_is_unconfirmed_and_never_repeated() {
    let mut server = Server::start().await;
    let connection = connect(&mut server).await;
    let mut events = connection.events();
    server.pause();
    server.kill(0);
    expect_disconnected(&mut events).await;

    let error = connection
        .send(&message(7, "while down"))
        .await
        .expect_err("the socket is down");
    match &error {
        RealtimeError::Unconfirmed { frame, reason } => {
            assert_eq!(*frame, "send_message");
            assert!(reason.contains("down"), "{reason}");
        }
        other => panic!("{other:?}"),
    }

    server.resume();
    assert_eq!(expect_reconnected(&mut events).await.1, 0);
    connection
        .send(&message(7, "marker"))
        .await
        .expect("sent after the reconnection");
    connection.close().await;

    assert_eq!(server.until_closed(0).await, (vec![], false));
    let (seen, close_frame) = server.until_closed(1).await;
    assert!(close_frame, "close() sends a close frame");
    assert_eq!(
        frames_of(seen),
        vec![authenticate_json(), message_json(7, "marker")],
        "the unconfirmed frame was sent again"
    );
    assert!(server.rest().is_empty());
}

#[tokio::test]
async fn a_write_the_socket_does_not_take_is_unconfirmed_and_the_connection_recovers() {
    let mut server = Server::start().await;
    let options = fast_options().with_write_timeout(Duration::from_millis(300));
    let connection = connect_with(&mut server, options).await;
    let mut events = connection.events();
    server.stall(0);
    // Frames go into the socket buffers until they are full (nobody reads), then one write
    // cannot finish. The buffers are bounded by the kernel, so the loop is too.
    let chunk = "x".repeat(1 << 20);
    let mut written = 0;
    let error = loop {
        match within("a write", connection.send(&message(7, chunk.clone()))).await {
            Ok(()) => written += 1,
            Err(error) => break error,
        }
        assert!(written < 1024, "1 GiB written to a socket nobody reads");
    };
    match &error {
        RealtimeError::Unconfirmed { frame, reason } => {
            assert_eq!(*frame, "send_message");
            assert!(reason.contains("write_timeout"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let reason = expect_disconnected(&mut events).await;
    assert!(reason.contains("write_timeout"), "{reason}");
    expect_reconnected(&mut events).await;

    connection
        .send(&message(7, "small"))
        .await
        .expect("the new socket takes it");
    // The stalled connection 0 never read the huge frame; the new one never gets it.
    assert_eq!(server.next_frame().await, (1, authenticate_json()));
    assert_eq!(server.next_frame().await, (1, message_json(7, "small")));
}

#[tokio::test]
async fn a_frame_over_the_size_limit_drops_the_socket_and_the_connection_recovers() {
    let mut server = Server::start().await;
    let options = fast_options().with_max_frame_size(1024);
    let connection = connect_with(&mut server, options).await;
    let mut events = connection.events();
    server.push_text(0, format!(r#"{{"data":"{}"}}"#, "x".repeat(4096)));
    let reason = expect_disconnected(&mut events).await;
    assert!(reason.contains("larger than max_frame_size"), "{reason}");
    assert_eq!(expect_reconnected(&mut events).await, (1, 0));
    server.push_text(1, message_frame(7, "small"));
    assert_eq!(expect_event(&mut events).await, message_event(7, "small"));
}

#[tokio::test]
async fn a_close_frame_from_the_server_is_a_disconnection() {
    let mut server = Server::start().await;
    let connection = connect(&mut server).await;
    let mut events = connection.events();
    server.push(
        0,
        Message::Close(Some(CloseFrame {
            code: CloseCode::Away,
            reason: "going away".into(),
        })),
    );
    let reason = expect_disconnected(&mut events).await;
    assert!(
        reason.contains("1001") && reason.contains("going away"),
        "{reason}"
    );
    assert_eq!(expect_reconnected(&mut events).await, (1, 0));
}

#[tokio::test]
async fn a_subscription_made_while_down_is_sent_once_after_the_reconnection() {
    let mut server = Server::start().await;
    let connection = connect(&mut server).await;
    let mut events = connection.events();
    connection
        .subscribe(
            "a",
            Subscribe {
                ms_id: 7,
                hash: "h7",
            },
        )
        .await
        .expect("a");
    assert_eq!(server.next_frame().await, (0, subscribe_json(7, "h7")));
    server.pause();
    server.kill(0);
    expect_disconnected(&mut events).await;
    connection
        .subscribe(
            "b",
            Subscribe {
                ms_id: 8,
                hash: "h8",
            },
        )
        .await
        .expect("kept for the reconnection");
    server.resume();
    // Attempts while paused fail; how many is up to the clock.
    let (_, subscriptions) = expect_reconnected(&mut events).await;
    assert_eq!(subscriptions, 2);
    // Refused connections are not counted: the reconnection is connection 1.
    assert_eq!(server.next_frame().await, (1, authenticate_json()));
    assert_eq!(server.next_frame().await, (1, subscribe_json(7, "h7")));
    assert_eq!(server.next_frame().await, (1, subscribe_json(8, "h8")));
    connection.close().await;
    let (seen, _) = server.until_closed(1).await;
    assert!(seen.is_empty(), "sent twice: {seen:?}");
}

#[tokio::test]
async fn a_slow_reader_is_told_how_many_events_it_missed() {
    let mut server = Server::start().await;
    let connection = connect_with(&mut server, fast_options().with_event_buffer(4)).await;
    let mut slow = connection.events();
    let mut fast = connection.events();
    for n in 0..20 {
        server.push_text(0, message_frame(n, "burst"));
    }
    // The fast reader sees the last event: all 20 went through the buffer.
    loop {
        match next_event(&mut fast).await {
            RealtimeEvent::Event(Inbox::Message(event)) if event.ms_id == 19 => break,
            RealtimeEvent::Event(_) | RealtimeEvent::Lagged { .. } => {}
            other => panic!("{other:?}"),
        }
    }
    match next_event(&mut slow).await {
        RealtimeEvent::Lagged { dropped } => assert_eq!(dropped, 16),
        other => panic!("expected Lagged, got {other:?}"),
    }
    for n in 16..20 {
        assert_eq!(expect_event(&mut slow).await, message_event(n, "burst"));
    }
}

#[tokio::test]
async fn close_sends_a_close_frame_ends_the_streams_and_stops_reconnecting() {
    let mut server = Server::start().await;
    let connection = connect(&mut server).await;
    let clone = connection.clone();
    let mut events = connection.events();
    connection.close().await;
    expect_end(&mut events).await;
    expect_end(&mut connection.events()).await;
    assert_eq!(server.until_closed(0).await, (vec![], true));

    assert!(matches!(
        clone.send(&message(7, "after close")).await,
        Err(RealtimeError::Closed)
    ));
    assert!(matches!(
        clone
            .subscribe(
                "a",
                Subscribe {
                    ms_id: 7,
                    hash: "h7"
                }
            )
            .await,
        Err(RealtimeError::Closed)
    ));
    clone.close().await;
    assert_eq!(server.connections(), 1, "reconnected after close");
    assert!(server.rest().is_empty());
}

#[tokio::test]
async fn close_while_reconnecting_stops_at_once() {
    let mut server = Server::start().await;
    // Long waits between attempts: close must not wait for them.
    let options = fast_options().with_reconnect(
        RetryPolicy::default()
            .with_max_attempts(0)
            .with_backoff(Duration::from_secs(60), Duration::from_secs(60))
            .with_jitter(false),
    );
    let connection = connect_with(&mut server, options).await;
    let mut events = connection.events();
    server.kill(0);
    expect_disconnected(&mut events).await;
    within("close", connection.close()).await;
    expect_end(&mut events).await;
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn dropping_the_last_clone_closes_the_connection() {
    let mut server = Server::start().await;
    let connection = connect(&mut server).await;
    let clone = connection.clone();
    let mut events = connection.events();
    drop(connection);
    clone
        .send(&message(7, "clone alive"))
        .await
        .expect("a clone is left");
    drop(clone);
    expect_end(&mut events).await;
    let (seen, close_frame) = server.until_closed(0).await;
    assert!(close_frame);
    assert_eq!(frames_of(seen), vec![message_json(7, "clone alive")]);
}

#[tokio::test]
async fn reconnecting_gives_up_after_max_attempts_and_says_so() {
    let mut server = Server::start().await;
    let options = fast_options().with_reconnect(
        RetryPolicy::default()
            .with_max_attempts(2)
            .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
    );
    let connection = connect_with(&mut server, options).await;
    let mut events = connection.events();
    server.pause();
    server.kill(0);
    expect_disconnected(&mut events).await;
    let reason = expect_disconnected(&mut events).await;
    assert!(
        reason.contains("gave up reconnecting after 2 attempts"),
        "{reason}"
    );
    expect_end(&mut events).await;
    assert!(matches!(
        connection.send(&message(7, "after")).await,
        Err(RealtimeError::Closed)
    ));
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn failures_to_connect_are_connect_errors() {
    // A port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let refused = format!("ws://{}/chat", listener.local_addr().expect("address"));
    drop(listener);
    match Connection::<Inbox>::connect(&refused, authenticate(), fast_options()).await {
        Err(RealtimeError::Connect { url, reason }) => {
            assert_eq!(url, refused);
            assert!(!reason.is_empty());
        }
        other => panic!("{:?}", other.map(|_| ())),
    }

    for url in ["http://127.0.0.1:1/chat", "not a url at all", ""] {
        match Connection::<Inbox>::connect(url, authenticate(), fast_options()).await {
            Err(RealtimeError::Connect { reason, .. }) => assert!(!reason.is_empty()),
            other => panic!("{url}: {:?}", other.map(|_| ())),
        }
    }

    // Accepts TCP (the backlog does) but never answers the upgrade.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("ws://{}/chat", silent.local_addr().expect("address"));
    let options = fast_options().with_connect_timeout(Duration::from_millis(200));
    match within(
        "the connect timeout",
        Connection::<Inbox>::connect(&url, authenticate(), options),
    )
    .await
    {
        Err(RealtimeError::Connect { reason, .. }) => {
            assert!(reason.contains("connect_timeout"), "{reason}")
        }
        other => panic!("{:?}", other.map(|_| ())),
    }
}

#[tokio::test]
async fn a_frame_that_cannot_be_encoded_is_an_encode_error_and_nothing_is_sent() {
    struct Unencodable;
    impl Serialize for Unencodable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("no"))
        }
    }
    impl Action for Unencodable {
        const ACTION: &'static str = "0";
        const NAME: &'static str = "unencodable";
    }
    #[derive(Serialize)]
    struct BadAction;
    impl Action for BadAction {
        const ACTION: &'static str = "send";
        const NAME: &'static str = "bad_action";
    }

    let mut server = Server::start().await;
    assert!(matches!(
        Connection::<Inbox>::connect(&server.url, Unencodable, fast_options()).await,
        Err(RealtimeError::Encode {
            frame: "unencodable",
            ..
        })
    ));
    assert_eq!(
        server.connections(),
        0,
        "connected with a frame it cannot send"
    );

    let connection = connect(&mut server).await;
    assert!(matches!(
        connection.send(&Unencodable).await,
        Err(RealtimeError::Encode {
            frame: "unencodable",
            ..
        })
    ));
    assert!(matches!(
        connection.subscribe("x", BadAction).await,
        Err(RealtimeError::Encode {
            frame: "bad_action",
            ..
        })
    ));
    connection.send(&message(7, "next")).await.expect("sent");
    assert_eq!(server.next_frame().await, (0, message_json(7, "next")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_sends_from_fifty_tasks_arrive_once_and_in_order_per_task() {
    const TASKS: u64 = 50;
    const PER_TASK: u64 = 10;
    let mut server = Server::start().await;
    let connection = connect(&mut server).await;
    let senders: Vec<_> = (0..TASKS)
        .map(|task| {
            let connection = connection.clone();
            tokio::spawn(async move {
                for seq in 0..PER_TASK {
                    connection
                        .send(&message(task, format!("{seq}")))
                        .await
                        .expect("sent");
                }
            })
        })
        .collect();
    for sender in senders {
        within("a sending task", sender).await.expect("no panic");
    }

    let mut next_seq = vec![0u64; TASKS as usize];
    for _ in 0..TASKS * PER_TASK {
        let (connection_id, frame) = server.next_frame().await;
        assert_eq!(connection_id, 0);
        let task = frame["data"]["ms_id"].as_u64().expect("ms_id");
        let seq: u64 = frame["data"]["text"]
            .as_str()
            .and_then(|text| text.parse().ok())
            .expect("seq");
        assert_eq!(
            seq, next_seq[task as usize],
            "task {task}: out of order or twice"
        );
        next_seq[task as usize] += 1;
    }
    assert!(next_seq.iter().all(|&n| n == PER_TASK), "{next_seq:?}");
    connection.close().await;
    assert_eq!(
        server.until_closed(0).await,
        (vec![], true),
        "more than 500"
    );
}

/// Everything the tests of this binary trace, from the moment the first caller asks.
fn traces() -> &'static Capture {
    static CAPTURE: OnceLock<Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture = Capture::default();
        let writer = capture.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        // Global: the connection's task runs on whatever thread the runtime picks.
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
        capture
    })
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_token_is_in_no_debug_display_error_event_or_trace() {
    let capture = traces();
    let mut shown = Vec::new();
    let mut server = Server::start().await;
    let options = fast_options();
    shown.push(format!("{options:?}"));
    let connection = connect_with(&mut server, options).await;
    shown.push(format!("{connection:?}"));
    let mut events = connection.events();
    connection
        .subscribe(
            "a",
            Subscribe {
                ms_id: 7,
                hash: TOKEN,
            },
        )
        .await
        .expect("subscribed");
    connection.send(&message(7, TOKEN)).await.expect("sent");
    assert_eq!(server.next_frame().await, (0, subscribe_json(7, TOKEN)));
    assert_eq!(server.next_frame().await, (0, message_json(7, TOKEN)));

    server.push_text(0, format!("garbage {TOKEN}"));
    // Event(E) shows what E shows (the generated types redact their secrets): only frames
    // that do not decode are the runtime's to redact.
    server.push_text(
        0,
        json!({"no_data": {"type": "x", "token": TOKEN}}).to_string(),
    );
    server.push(
        0,
        Message::Close(Some(CloseFrame {
            code: CloseCode::Policy,
            reason: format!("bad token {TOKEN}").into(),
        })),
    );
    for _ in 0..4 {
        shown.push(format!("{:?}", next_event(&mut events).await));
    }
    assert!(shown[2].contains("Undecodable"), "{}", shown[2]);
    assert!(shown[3].contains("Undecodable"), "{}", shown[3]);
    assert!(shown[4].contains("Disconnected"), "{}", shown[4]);
    assert!(shown[4].contains("bad token ***"), "{}", shown[4]);
    assert!(shown[5].contains("Reconnected"), "{}", shown[5]);

    server.pause();
    server.kill(1);
    shown.push(expect_disconnected(&mut events).await);
    let error = connection.send(&message(7, TOKEN)).await.expect_err("down");
    shown.push(format!("{error} {error:?}"));
    connection.close().await;

    let with_token = format!("ws://127.0.0.1:1/chat?token={TOKEN}");
    let error = Connection::<Inbox>::connect(&with_token, authenticate(), fast_options())
        .await
        .map(|_| ())
        .expect_err("nobody listens on port 1");
    shown.push(format!("{error} {error:?}"));

    for text in &shown {
        assert!(!text.contains(TOKEN), "the token leaked: {text}");
    }
    let logs = capture.text();
    assert!(
        !logs.contains(TOKEN),
        "the token leaked into the traces: {logs}"
    );
    for expected in [
        "chatrace.realtime",
        "disconnected",
        "reconnected",
        "frame written",
    ] {
        assert!(
            logs.contains(expected),
            "no {expected:?} in the traces: {logs}"
        );
    }
}

#[tokio::test]
async fn a_refused_authentication_fails_connect_typed() {
    let server = Server::start().await;
    server.answer_authenticate([
        // What the sandbox does: the error, then a close with code 1008.
        refusal(Some(r#"{"status":"ERROR","code":1}"#), Some(1008)),
        // An unauthorized code alone is enough.
        refusal(
            Some(&format!(
                r#"{{"status":"ERROR","code":1,"message":"bad {TOKEN}"}}"#
            )),
            None,
        ),
        // A close with code 1008 alone.
        refusal(None, Some(1008)),
        // Another code, then a close of any kind.
        refusal(Some(r#"{"status":"ERROR","code":4}"#), Some(1000)),
    ]);
    for expected in [Some("1"), Some("1"), None, Some("4")] {
        let error = within(
            "the refusal",
            Connection::<Inbox>::connect(&server.url, authenticate(), patient_options()),
        )
        .await
        .expect_err("refused");
        let RealtimeError::Refused { reason, envelope } = &error else {
            panic!("expected Refused, got {error:?}");
        };
        assert_eq!(
            envelope
                .as_ref()
                .map(|e| e.code().map(|c| c.as_text().into_owned())),
            expected.map(|code| Some(code.to_owned())),
            "{reason}"
        );
        assert!(error.is_unauthorized());
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(TOKEN), "{shown}");
        assert!(
            error
                .to_string()
                .starts_with("realtime: the server refused the authentication: "),
            "{error}"
        );
    }
    assert_eq!(server.connections(), 4, "a refusal is not retried");
}

#[tokio::test]
async fn a_socket_that_drops_after_authenticate_is_a_connect_error_and_a_silent_one_is_accepted() {
    let server = Server::start().await;
    server.answer_authenticate([AuthAnswer {
        drop: true,
        ..AuthAnswer::default()
    }]);
    let error = within(
        "the drop",
        Connection::<Inbox>::connect(&server.url, authenticate(), patient_options()),
    )
    .await
    .expect_err("dropped");
    assert!(matches!(error, RealtimeError::Connect { .. }), "{error:?}");
    // Silence: accepted once the wait is over, and no later than the connect timeout.
    let options = fast_options()
        .with_auth_wait(Duration::from_secs(60))
        .with_connect_timeout(Duration::from_millis(300));
    let connection = within(
        "a silent acceptance",
        Connection::<Inbox>::connect(&server.url, authenticate(), options),
    )
    .await
    .expect("accepted");
    connection.close().await;
}

#[tokio::test]
async fn a_refused_reauthentication_ends_the_connection_with_a_final_event() {
    let mut server = Server::start().await;
    let connection = connect_with(&mut server, patient_options()).await;
    let mut events = connection.events();
    // The session ends: the next `authenticate` is refused.
    server.answer_authenticate([refusal(Some(r#"{"status":"ERROR","code":1}"#), Some(1008))]);
    server.kill(0);
    expect_disconnected(&mut events).await;
    match next_event(&mut events).await {
        RealtimeEvent::Refused { reason, envelope } => {
            assert!(reason.contains("API error 1"), "{reason}");
            assert_eq!(
                envelope.and_then(|e| e.code().and_then(|c| c.number())),
                Some(1)
            );
        }
        other => panic!("expected Refused, got {other:?}"),
    }
    expect_end(&mut events).await;
    assert!(matches!(
        connection.send(&message(7, "after")).await,
        Err(RealtimeError::Closed)
    ));
    assert_eq!(server.connections(), 2, "no attempt after the refusal");
}

#[tokio::test]
async fn a_drop_during_reauthentication_is_retried_and_error_frames_are_typed() {
    let mut server = Server::start().await;
    let connection = connect(&mut server).await;
    let mut events = connection.events();
    server.answer_authenticate([AuthAnswer {
        drop: true,
        ..AuthAnswer::default()
    }]);
    server.kill(0);
    expect_disconnected(&mut events).await;
    assert_eq!(expect_reconnected(&mut events).await, (2, 0));
    // An error frame on a live socket is a typed event, and the socket stays up.
    let live = server.connections() - 1;
    server.push_text(live, r#"{"status":"ERROR","code":4}"#);
    match next_event(&mut events).await {
        RealtimeEvent::ServerError(envelope) => {
            assert_eq!(envelope.code_meta().map(|m| m.name), Some("not_found"));
        }
        other => panic!("expected ServerError, got {other:?}"),
    }
    server.push_text(live, message_frame(9, "still up"));
    assert_eq!(
        expect_event(&mut events).await,
        message_event(9, "still up")
    );
}
