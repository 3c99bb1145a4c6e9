//! The realtime socket, SDK against hand-written, in one run: `cargo bench --bench realtime`.
//!
//! Both sides talk to the same sandbox socket on 127.0.0.1 (its contacts' scripted answers off,
//! so that the only event of a send is its echo), each over one connection subscribed to a
//! Messenger conversation of its own:
//!
//! - the SDK: the generated `Realtime::send_text`, then its events stream until the echo
//!   (decoded as `InboxEvent`);
//! - by hand: tokio-tungstenite, the same `send` frame built with `json!`, then the socket until
//!   a text frame whose `data.type` is `message` (parsed as a `serde_json::Value`).
//!
//! `round trip` times one send and its echo, in rounds that alternate which side goes first
//! (so that drift and the load of a shared machine hit both); the row shows each side's median
//! per round trip and the median of the per-round ratios (target: SDK / hand <= 1.10).
//! `throughput` sends N messages through one connection without waiting, while reading the
//! echoes, and reports messages per second until the last echo.
//!
//! The server runs on a runtime of its own (one worker thread), the clients on a
//! current-thread runtime. Without `--bench` (as `cargo test --benches` runs it), every case
//! runs a few times, as a smoke test.

use std::hint::black_box;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use chatrace::realtime::{Realtime, RealtimeEvent, RealtimeOptions};
use chatrace::types::{Channel, ContactId, InboxEvent};
use chatrace_sandbox::Sandbox;
use futures::{SinkExt, Stream, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

/// The text every message carries.
const TEXT: &str = "Your order #1000000 shipped today; it should arrive on Thursday.";

type Events = std::pin::Pin<Box<dyn Stream<Item = RealtimeEvent<InboxEvent>> + Send>>;
type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The SDK's side: the generated realtime client.
struct Sdk {
    realtime: Realtime,
    events: Events,
    contact: ContactId,
}

impl Sdk {
    async fn connect(sandbox: &Sandbox, contact: &ContactId) -> Sdk {
        let realtime = sandbox
            .client()
            .realtime()
            .options(RealtimeOptions::default().with_event_buffer(1 << 16))
            .connect()
            .await
            .expect("the SDK connects");
        let events: Events = Box::pin(realtime.events());
        realtime.subscribe(contact).await.expect("subscribed");
        let mut sdk = Sdk {
            realtime,
            events,
            contact: contact.clone(),
        };
        // The subscription is in place once a send is echoed.
        sdk.round_trips(1).await;
        sdk
    }

    async fn send(&self) {
        self.realtime
            .send_text(&self.contact, Channel::Messenger, black_box(TEXT))
            .await
            .expect("sent");
    }

    async fn echo(&mut self) {
        loop {
            match self.events.next().await {
                Some(RealtimeEvent::Event(InboxEvent::Message(message))) => {
                    black_box(message);
                    return;
                }
                Some(RealtimeEvent::Event(_)) => {}
                other => panic!("the SDK's connection did not hold: {other:?}"),
            }
        }
    }

    async fn round_trips(&mut self, n: usize) -> Duration {
        let started = Instant::now();
        for _ in 0..n {
            self.send().await;
            self.echo().await;
        }
        started.elapsed()
    }

    /// `n` sends without waiting, while reading the echoes; the time until the last echo.
    async fn burst(&mut self, n: usize) -> Duration {
        let started = Instant::now();
        let Sdk {
            realtime,
            events,
            contact,
        } = self;
        let sending = async {
            for _ in 0..n {
                realtime
                    .send_text(contact, Channel::Messenger, TEXT)
                    .await
                    .expect("sent");
            }
        };
        let receiving = async {
            let mut echoes = 0;
            while echoes < n {
                match events.next().await {
                    Some(RealtimeEvent::Event(InboxEvent::Message(m))) => {
                        black_box(m);
                        echoes += 1;
                    }
                    Some(RealtimeEvent::Event(_)) => {}
                    other => panic!("the SDK's connection did not hold: {other:?}"),
                }
            }
        };
        futures::join!(sending, receiving);
        started.elapsed()
    }
}

/// The hand-written side: tokio-tungstenite and `json!`.
struct Hand {
    socket: Socket,
    account: u64,
    user: String,
    token: String,
    contact: u64,
    hash: String,
}

impl Hand {
    async fn connect(sandbox: &Sandbox, contact: &ContactId, hash: &str) -> Hand {
        let (socket, _) = tokio_tungstenite::connect_async(sandbox.socket_url())
            .await
            .expect("the hand-written client connects");
        let c = sandbox.credentials();
        let mut hand = Hand {
            socket,
            account: c.account_id,
            user: c.admin_id.to_string(),
            token: c.token.clone(),
            contact: contact.as_u64().expect("a numeric contact id"),
            hash: hash.to_owned(),
        };
        let authenticate = json!({"action": "authenticate", "data": {
            "account_id": hand.account, "user_id": hand.user, "token": hand.token}});
        let subscribe = json!({"action": -1, "data": {
            "dir": 0, "from": hand.user, "channel": 0, "page_id": hand.account,
            "ms_id": hand.contact, "hash": hand.hash}});
        for frame in [authenticate, subscribe] {
            hand.socket
                .send(Message::text(frame.to_string()))
                .await
                .expect("written");
        }
        hand.round_trips(1).await;
        hand
    }

    fn frame(&self) -> Message {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let frame = json!({"action": 0, "data": {
            "dir": 0, "account_id": self.account, "contact_id": self.contact,
            "user_id": self.user, "token": self.token, "fromInbox": true, "channel": 0,
            "from": self.user, "hash": self.hash, "timestamp": now,
            "message": [{"type": "text", "text": black_box(TEXT), "dir": 0, "channel": 0,
                         "from": self.user}]}});
        Message::text(frame.to_string())
    }

    async fn echo(socket: &mut Socket) {
        loop {
            match socket.next().await {
                Some(Ok(Message::Text(text))) => {
                    let event: Value = serde_json::from_str(text.as_str()).expect("JSON");
                    if event["data"]["type"] == "message" {
                        black_box(event);
                        return;
                    }
                }
                Some(Ok(_)) => {}
                other => panic!("the hand-written connection did not hold: {other:?}"),
            }
        }
    }

    async fn round_trips(&mut self, n: usize) -> Duration {
        let started = Instant::now();
        for _ in 0..n {
            let frame = self.frame();
            self.socket.send(frame).await.expect("written");
            Hand::echo(&mut self.socket).await;
        }
        started.elapsed()
    }

    async fn burst(&mut self, n: usize) -> Duration {
        let started = Instant::now();
        let frames: Vec<Message> = (0..n).map(|_| self.frame()).collect();
        let (mut sink, mut stream) = (&mut self.socket).split();
        let sending = async {
            for frame in frames {
                sink.send(frame).await.expect("written");
            }
        };
        let receiving = async {
            let mut echoes = 0;
            while echoes < n {
                match stream.next().await {
                    Some(Ok(Message::Text(text))) => {
                        let event: Value = serde_json::from_str(text.as_str()).expect("JSON");
                        if event["data"]["type"] == "message" {
                            echoes += 1;
                        }
                    }
                    Some(Ok(_)) => {}
                    other => panic!("the hand-written connection did not hold: {other:?}"),
                }
            }
        };
        futures::join!(sending, receiving);
        started.elapsed()
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn show(seconds: f64) -> String {
    if seconds >= 1e-3 {
        format!("{:.2} ms", seconds * 1e3)
    } else {
        format!("{:.1} µs", seconds * 1e6)
    }
}

fn main() {
    let quick = !std::env::args().any(|arg| arg == "--bench");
    let (rounds, per_round, burst, bursts) = if quick {
        (2, 5, 50, 1)
    } else {
        (31, 300, 5_000, 5)
    };

    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("the server's runtime");
    let sandbox = server.block_on(async {
        Sandbox::builder()
            .wall_clock()
            .contact_replies(false)
            .start()
            .await
            .expect("the sandbox starts")
    });
    let clients = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the clients' runtime");
    let (mut sdk, mut hand) = clients.block_on(async {
        // Two Messenger conversations, one per side: each side hears only its own echoes.
        let client = sandbox.client();
        let contacts: Vec<ContactId> = client
            .list_conversations()
            .limit(100)
            .send()
            .await
            .expect("the conversations")
            .into_iter()
            .filter(|c| c.channel == Some(Channel::Messenger) && c.blocked != Some(true))
            .map(|c| c.contact_id)
            .take(2)
            .collect();
        let hash = client
            .get_contact(contacts[1].clone())
            .send()
            .await
            .expect("get_contact")
            .conversation_hash
            .expect("a hash");
        let sdk = Sdk::connect(&sandbox, &contacts[0]).await;
        let hand = Hand::connect(&sandbox, &contacts[1], &hash).await;
        (sdk, hand)
    });

    // Round trips, alternating which side goes first; one untimed round warms both.
    clients.block_on(async {
        sdk.round_trips(per_round).await;
        hand.round_trips(per_round).await;
    });
    let (mut sdk_times, mut hand_times, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (s, h) = clients.block_on(async {
            if round % 2 == 0 {
                let s = sdk.round_trips(per_round).await;
                (s, hand.round_trips(per_round).await)
            } else {
                let h = hand.round_trips(per_round).await;
                (sdk.round_trips(per_round).await, h)
            }
        });
        let (s, h) = (
            s.as_secs_f64() / per_round as f64,
            h.as_secs_f64() / per_round as f64,
        );
        sdk_times.push(s);
        hand_times.push(h);
        ratios.push(s / h);
    }
    let (sdk_rt, hand_rt, ratio) = (median(sdk_times), median(hand_times), median(ratios));

    // Throughput through one connection.
    let (mut sdk_rates, mut hand_rates) = (Vec::new(), Vec::new());
    for _ in 0..bursts {
        let (s, h) = clients.block_on(async { (sdk.burst(burst).await, hand.burst(burst).await) });
        sdk_rates.push(burst as f64 / s.as_secs_f64());
        hand_rates.push(burst as f64 / h.as_secs_f64());
    }
    let (sdk_rate, hand_rate) = (median(sdk_rates), median(hand_rates));

    let stats = sandbox.socket_stats();
    let expected = 2 * (1 + per_round * (rounds + 1) + burst * bursts) as u64;
    assert_eq!(
        stats.send, expected,
        "every send reached the server once: {stats:?}"
    );
    assert_eq!(stats.refused, 0);

    println!();
    println!(
        "{:<44} {:>12} {:>12} {:>7} {:>9} {:>4}",
        "case", "sdk", "hand", "ratio", "target", "ok?"
    );
    let ok = if quick {
        "-"
    } else if ratio <= 1.10 {
        "yes"
    } else {
        "NO"
    };
    println!(
        "{:<44} {:>12} {:>12} {:>7.3} {:>9} {:>4}",
        "round trip: send_text + its echo",
        show(sdk_rt),
        show(hand_rt),
        ratio,
        "<= 1.10",
        ok
    );
    println!(
        "{:<44} {:>12} {:>12} {:>7.3} {:>9} {:>4}",
        format!("throughput: {burst} sends, one connection"),
        format!("{sdk_rate:.0}/s"),
        format!("{hand_rate:.0}/s"),
        hand_rate / sdk_rate,
        "-",
        "-"
    );
    println!(
        "\n{} rounds of {per_round} round trips per side; throughput: median of {bursts} bursts{}",
        rounds,
        if quick { " (quick: no --bench)" } else { "" }
    );
    clients.block_on(async {
        sdk.realtime.close().await;
        let _ = hand.socket.close(None).await;
    });
    drop(clients);
    server.block_on(sandbox.shutdown());
}
