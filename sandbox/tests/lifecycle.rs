//! The sandbox's life: it starts on a free loopback port, answers, and stops when shut down or
//! dropped; the binary prints how to reach it and stops on Ctrl-C.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chatrace::types::{ContactId, OrderId};
use chatrace_sandbox::Sandbox;

async fn refuses_connections(addr: std::net::SocketAddr) -> bool {
    // The listener closes as soon as the server task sees the stop signal.
    for _ in 0..50 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test]
async fn start_answer_shutdown() {
    let sandbox = Sandbox::start().await.unwrap();
    let addr = sandbox.addr();
    assert!(addr.ip().is_loopback());
    assert_ne!(addr.port(), 0);
    assert_eq!(
        sandbox.base_url(),
        format!("http://127.0.0.1:{}/", addr.port())
    );
    let order = sandbox
        .client()
        .get_order(OrderId::new(1_000_000))
        .send()
        .await
        .unwrap();
    assert_eq!(order.id.as_str(), "1000000");
    assert_eq!(sandbox.requests_seen(), 1);
    assert_eq!(sandbox.operation_count("get_order"), 1);
    let debug = format!("{sandbox:?}");
    assert!(!debug.contains(&sandbox.credentials().token), "{debug}");
    let started = Instant::now();
    sandbox.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(refuses_connections(addr).await);
}

#[tokio::test]
async fn dropping_the_sandbox_stops_the_server() {
    let sandbox = Sandbox::start().await.unwrap();
    let addr = sandbox.addr();
    let client = sandbox.client();
    client.list_tags().send().await.unwrap();
    drop(sandbox);
    assert!(refuses_connections(addr).await);
    assert!(client.list_tags().send().await.is_err());
}

#[tokio::test]
async fn two_sandboxes_are_independent_and_seeded_alike() {
    let a = Sandbox::start().await.unwrap();
    let b = Sandbox::start().await.unwrap();
    assert_ne!(a.base_url(), b.base_url());
    assert_eq!(a.state_fingerprint(), b.state_fingerprint());
    let contact = ContactId::new(12_345);
    a.client()
        .delete_contact(contact.clone())
        .send()
        .await
        .unwrap();
    assert_ne!(a.state_fingerprint(), b.state_fingerprint());
    let gone = a.client().get_contact(contact.clone()).send().await;
    assert_eq!(gone.unwrap_err().api_code().as_deref(), Some("4"));
    assert!(b.client().get_contact(contact).send().await.is_ok());
}

#[tokio::test]
async fn counts_of_the_inbox_over_their_limits_are_refused_before_anything_is_made() {
    use chatrace_sandbox::{MAX_ALL_MESSAGES, MAX_CONVERSATIONS, MAX_MESSAGES_PER_CONVERSATION};
    // Made, the first would panic ("capacity overflow") and the last two take gigabytes; the
    // second is checked even without conversations to add.
    let most_conversations = MAX_ALL_MESSAGES / MAX_MESSAGES_PER_CONVERSATION;
    let cases = [
        (
            Sandbox::builder().conversations(usize::MAX),
            format!(
                "conversations({}) asks for more than MAX_CONVERSATIONS ({MAX_CONVERSATIONS})",
                usize::MAX
            ),
        ),
        (
            Sandbox::builder().messages_per_conversation(MAX_MESSAGES_PER_CONVERSATION + 1),
            format!(
                "messages_per_conversation({}) asks for more than \
                 MAX_MESSAGES_PER_CONVERSATION ({MAX_MESSAGES_PER_CONVERSATION})",
                MAX_MESSAGES_PER_CONVERSATION + 1
            ),
        ),
        (
            Sandbox::builder().conversations(MAX_CONVERSATIONS + 1),
            format!(
                "conversations({}) asks for more than MAX_CONVERSATIONS",
                MAX_CONVERSATIONS + 1
            ),
        ),
        (
            Sandbox::builder()
                .conversations(most_conversations + 1)
                .messages_per_conversation(MAX_MESSAGES_PER_CONVERSATION),
            format!(
                "conversations({}) of messages_per_conversation({MAX_MESSAGES_PER_CONVERSATION}) \
                 are {} messages, more than MAX_ALL_MESSAGES ({MAX_ALL_MESSAGES}) in all",
                most_conversations + 1,
                (most_conversations + 1) * MAX_MESSAGES_PER_CONVERSATION
            ),
        ),
    ];
    for (builder, needle) in cases {
        let started = Instant::now();
        let error = builder.start().await.err();
        assert!(started.elapsed() < Duration::from_secs(1), "{needle}");
        let kind = error.as_ref().map(std::io::Error::kind);
        assert_eq!(kind, Some(std::io::ErrorKind::InvalidInput), "{needle}");
        let message = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains(&needle), "{message}");
    }

    // Within the limits, the inbox is made.
    let sandbox = Sandbox::builder()
        .conversations(100)
        .messages_per_conversation(2)
        .start()
        .await
        .unwrap();
    let page = sandbox
        .client()
        .list_conversations()
        .offset(99)
        .send()
        .await
        .unwrap();
    assert_eq!(page.len(), 1, "the 100th conversation is the last");
    let oldest = page[0].contact_id.clone();
    let messages = sandbox.client().list_messages(oldest).send().await.unwrap();
    assert_eq!(messages.messages.map(|m| m.len()), Some(2));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_bad_api_token_is_refused_before_the_address_is_bound() {
    // The address is taken: were the port bound first, the error would be `AddrInUse`.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    for token in ["", "has space", "t\u{e9}l\u{e9}"] {
        let error = Sandbox::builder()
            .addr(addr)
            .api_token(token)
            .start()
            .await
            .err();
        let kind = error.as_ref().map(std::io::Error::kind);
        assert_eq!(kind, Some(std::io::ErrorKind::InvalidInput), "{token:?}");
        let message = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("API token"), "{message}");
    }
    // A good token on the same address meets the taken port.
    let error = Sandbox::builder()
        .addr(addr)
        .api_token("ok")
        .start()
        .await
        .err();
    assert_eq!(
        error.as_ref().map(std::io::Error::kind),
        Some(std::io::ErrorKind::AddrInUse)
    );
}

/// The binary's process, killed if the test fails before it stops.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

#[test]
fn the_binary_prints_its_credentials_and_stops_on_ctrl_c() {
    let mut running = Running(
        Command::new(env!("CARGO_BIN_EXE_chatrace-sandbox"))
            .args(["--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let child = &mut running.0;
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut info = std::collections::BTreeMap::new();
    let mut keys = Vec::new();
    for _ in 0..12 {
        let line = lines.next().unwrap().unwrap();
        let (key, value) = line.split_once(": ").unwrap();
        keys.push(key.to_owned());
        info.insert(key.to_owned(), value.to_owned());
    }
    assert_eq!(
        keys,
        [
            "url",
            "socket",
            "public_api",
            "email",
            "otp",
            "token",
            "api_token",
            "account_id",
            "second_account_id",
            "other_account_id",
            "admin_id",
            "contact_id"
        ]
    );
    assert!(info["url"].starts_with("http://127.0.0.1:"), "{info:?}");
    assert_eq!(
        info["socket"],
        format!(
            "ws://{}/ws",
            info["url"]
                .trim_start_matches("http://")
                .trim_end_matches('/')
        )
    );

    // The printed credentials work.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = chatrace::Client::builder()
            .base_url(info["url"].clone())
            .token(info["token"].clone())
            .account_id(info["account_id"].parse().unwrap())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let contact = ContactId::new(&info["contact_id"]);
        let page = client.list_messages(contact).send().await.unwrap();
        assert_eq!(page.messages.unwrap_or_default().len(), 20);
        let other: u64 = info["other_account_id"].parse().unwrap();
        let refused = client.list_orders().account_id(other).send().await;
        assert_eq!(refused.unwrap_err().api_code().as_deref(), Some("403"));
        let public = chatrace::PublicClient::builder()
            .base_url(info["public_api"].clone())
            .api_token(info["api_token"].clone())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let account = public.get_account().send().await.unwrap();
        assert_eq!(
            account.account_id.map(|a| a.to_string()),
            Some(info["account_id"].clone())
        );
    });

    // Ctrl-C (SIGINT) stops it cleanly.
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "the sandbox did not stop on SIGINT"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}");
}

#[tokio::test]
async fn an_operation_answered_from_its_example_leaves_the_state_alone() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client();
    assert!(!sandbox.answer_from_example("no_such_operation"));
    assert!(sandbox.answer_from_example("get_order"));
    assert!(sandbox.answer_from_example("add_note"));
    let fingerprint = sandbox.state_fingerprint();

    // Any order id gets the collection's example order, which the sandbox does not have.
    let order = client.get_order(OrderId::new(42)).send().await.unwrap();
    assert_eq!(order.id.as_str(), "1000000");
    assert_eq!(order.total, Some(20000.0));
    assert_eq!(
        order.contact.map(|c| c.id.into_string()).as_deref(),
        Some("238847438434")
    );
    let note = client
        .add_note(ContactId::new(12_345), "never stored")
        .send()
        .await
        .unwrap();
    assert_eq!(note.id.as_str(), "12345");
    assert_eq!(note.text.as_deref(), Some("this is a note"));
    assert_eq!(
        sandbox.state_fingerprint(),
        fingerprint,
        "nothing was written"
    );

    // The session is still checked first.
    let anonymous = chatrace::Client::builder()
        .base_url(sandbox.base_url())
        .account_id(sandbox.credentials().account_id)
        .build()
        .unwrap();
    let refused = anonymous
        .get_order(OrderId::new(42))
        .send()
        .await
        .unwrap_err();
    assert!(refused.is_unauthorized(), "{refused:?}");
    assert_eq!(refused.api_code().as_deref(), Some("1"));
}
