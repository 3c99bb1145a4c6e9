//! The realtime client keeps the session token out of everything it shows: Debug of the
//! builder, options, connection and errors, undecodable frames, and every trace line, through
//! a drop and a reconnection. Alone in its binary, so that its subscriber is the process's.

mod realtime_common;

use std::sync::{Arc, Mutex};

use tracing_subscriber::util::SubscriberInitExt;

use chatrace::realtime::{RealtimeError, RealtimeEvent};
use chatrace::types::{Channel, ContactId, Platform};
use realtime_common::{events, options, sandbox, subscribe_and_echo, until};

/// A `fmt` subscriber writing into a buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(
            &self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
        .into_owned()
    }
}

#[tokio::test]
async fn the_token_never_shows_in_debug_errors_or_traces() {
    let captured = Captured::default();
    let writer = captured.clone();
    // The process's subscriber, set before anything traces: a thread-scoped one races the
    // first use of a callsite on other threads, which can leave a span disabled. This binary
    // holds this one test, so nothing else writes into the buffer. Everything at TRACE but
    // tungstenite's own `log` records, which print whole frames at TRACE (the runtime's
    // documentation says to keep them off).
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            "trace,tungstenite=debug,tokio_tungstenite=debug",
        ))
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    subscriber.try_init().expect("the only subscriber");

    let sandbox = sandbox().await;
    let token = sandbox.credentials().token.clone();
    let client = sandbox.client();
    let builder = client.realtime().platform(Platform::Ios).options(options());
    let mut shown = vec![
        format!("{builder:?}"),
        format!("{:?}", options().with_redact_token(token.clone())),
    ];
    let realtime = builder.connect().await.expect("connects");
    let mut events = events(&realtime);
    let contact = ContactId::new(sandbox.credentials().contact_id);
    subscribe_and_echo(&realtime, &mut events, &contact, "hello").await;

    // A frame that carries the token and does not decode: kept redacted.
    sandbox.push_frame(&format!("not JSON, with {token} in it"));
    sandbox.push_frame(&format!("{{\"token\":\"{token}\"}}"));
    for _ in 0..2 {
        let undecodable = until(&mut events, |e| {
            matches!(e, RealtimeEvent::Undecodable { .. }).then(|| e.clone())
        })
        .await;
        shown.push(format!("{undecodable:?}"));
    }
    // A drop and a reconnection.
    sandbox.kill_sockets();
    let reconnected = until(&mut events, |e| {
        matches!(e, RealtimeEvent::Reconnected { .. }).then(|| e.clone())
    })
    .await;
    shown.push(format!("{reconnected:?}"));
    // Errors: a contact the account does not have, a window, a closed connection.
    let missing = realtime
        .send_text(&ContactId::new(5u64), Channel::Messenger, "nobody")
        .await
        .expect_err("no such contact");
    assert!(matches!(missing, RealtimeError::Call(_)), "{missing:?}");
    let voice = realtime
        .send_text(&contact, Channel::Voice, "no")
        .await
        .expect_err("no window");
    shown.push(format!("{realtime:?}"));
    shown.push(format!("{:?}", realtime.connection()));
    realtime.close().await;
    let closed = realtime
        .send_text(&contact, Channel::Messenger, "closed")
        .await
        .expect_err("closed");
    for error in [&missing, &voice, &closed] {
        shown.push(format!("{error} {error:?}"));
    }
    // A connection that cannot be made.
    let unreachable = chatrace::Client::builder()
        .base_url("http://127.0.0.1:1/")
        .token(token.clone())
        .account_id(sandbox.credentials().account_id)
        .build()
        .expect("a client")
        .realtime()
        .connect()
        .await
        .expect_err("nobody listens there");
    shown.push(format!("{unreachable} {unreachable:?}"));

    let traces = captured.text();
    assert!(
        traces.contains("chatrace.realtime"),
        "the connection traced:\n{traces}"
    );
    assert!(traces.contains("reconnected"), "{traces}");
    for text in shown.iter().chain([&traces]) {
        assert!(!text.contains(&token), "the token shows in:\n{text}");
    }
    assert!(shown.iter().any(|s| s.contains("***")), "{shown:?}");
}
