//! `chatrace send` and `chatrace watch`, run as a user would: with `--sandbox`, and against a
//! sandbox this test starts (so that what the command sent can be read back).

#![cfg(feature = "sandbox")]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

mod common;

use chatrace::types::{Channel, ContactId, Message, MessageDirection, MessagePart};
use chatrace_sandbox::{scripted_reply_to_text, Sandbox};
use common::{run, tempdir, Run};
use serde_json::Value;

/// Each line of stdout as JSON.
fn json_lines(run: &Run) -> Vec<Value> {
    run.stdout
        .lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}\nstderr: {}", run.stderr))
        })
        .collect()
}

/// A sandbox on the time of day whose contacts greet each subscription, and answer what they
/// get (quickly) when `replies`.
async fn live_sandbox(replies: bool) -> Sandbox {
    Sandbox::builder()
        .wall_clock()
        .contact_replies(replies)
        .reply_delay(Duration::from_millis(20))
        .greeting("Hello from the sandbox")
        .start()
        .await
        .unwrap_or_else(|e| panic!("sandbox: {e}"))
}

/// The global flags that point the binary at `sandbox`.
fn against(sandbox: &Sandbox) -> Vec<String> {
    let c = sandbox.credentials();
    vec![
        "--base-url".into(),
        sandbox.base_url(),
        "--token".into(),
        c.token.clone(),
        "--account-id".into(),
        c.account_id.to_string(),
    ]
}

/// The newest `limit` messages of `contact`'s conversation, newest first.
async fn newest_messages(sandbox: &Sandbox, contact: &ContactId, limit: i64) -> Vec<Message> {
    sandbox
        .client()
        .list_messages(contact.clone())
        .limit(limit)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .messages
        .unwrap_or_default()
}

fn args<'a>(base: &'a [String], rest: &[&'a str]) -> Vec<&'a str> {
    base.iter()
        .map(String::as_str)
        .chain(rest.iter().copied())
        .collect()
}

#[test]
fn send_with_the_sandbox_prints_what_went_and_the_contacts_answer() {
    let dir = tempdir();
    let out = run(
        dir.path(),
        &[
            "--sandbox",
            "-o",
            "json",
            "send",
            "--contact",
            "100000000001",
            "--text",
            "Hello from the CLI",
            "--wait-reply",
            "20",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert_eq!(lines[0]["event"], "sent");
    assert_eq!(lines[0]["contact"], "100000000001");
    assert_eq!(lines[0]["channel"], 0);
    assert_eq!(lines[0]["text"], "Hello from the CLI");
    assert_eq!(lines[1]["event"], "inbox");
    let data = &lines[1]["data"];
    assert_eq!(data["type"], "message", "{}", out.stdout);
    assert_eq!(data["dir"], 1, "{}", out.stdout);
    assert_eq!(
        data["message"][0]["text"],
        scripted_reply_to_text("Hello from the CLI"),
        "{}",
        out.stdout
    );
}

#[test]
fn watch_with_the_sandbox_hears_the_demo_contact() {
    let dir = tempdir();
    let out = run(dir.path(), &["--sandbox", "watch", "--count", "1"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", out.stdout);
    assert!(
        lines[0].starts_with("message 100000000001 <- \"Hi! Is anyone there?\" (m_"),
        "{}",
        out.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_and_watch_against_a_running_server() {
    // Without the contacts' answers, the only event `watch` can hear is the greeting.
    let sandbox = live_sandbox(false).await;
    let base = against(&sandbox);
    let token = sandbox.credentials().token.clone();
    let contact = ContactId::new(sandbox.credentials().contact_id);
    let dir = tempdir();

    // A text: stored by the server as the newest message to the contact.
    let out = run(
        dir.path(),
        &args(
            &base,
            &[
                "send",
                "--contact",
                contact.as_str(),
                "--text",
                "Sent by the CLI",
            ],
        ),
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        out.stdout.trim(),
        format!("sent to {contact} on channel 0: \"Sent by the CLI\"")
    );
    let sent = newest_messages(&sandbox, &contact, 5).await;
    let ours = sent
        .iter()
        .find(|m| {
            m.direction == Some(MessageDirection::ToContact)
                && matches!(m.parts.as_deref(), Some([MessagePart::Text(t)]) if t.text.as_deref() == Some("Sent by the CLI"))
        })
        .unwrap_or_else(|| panic!("the message is stored: {sent:?}"));
    assert_eq!(
        ours.sent_by.as_ref().map(|a| a.as_str().to_owned()),
        Some(sandbox.credentials().admin_id.to_string())
    );

    // A reply to it, on the channel given.
    let out = run(
        dir.path(),
        &args(
            &base,
            &[
                "send",
                "--contact",
                contact.as_str(),
                "--channel",
                "0",
                "--text",
                "Replying",
                "--reply-to",
                ours.id.as_str(),
            ],
        ),
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let newest = newest_messages(&sandbox, &contact, 3).await;
    let replying_to = newest.iter().find_map(|m| match m.parts.as_deref() {
        Some([MessagePart::Text(t)]) if t.text.as_deref() == Some("Replying") => {
            t.replying_to.clone()
        }
        _ => None,
    });
    assert_eq!(replying_to.as_ref(), Some(&ours.id));

    // A file: uploaded, then sent.
    let path = dir.path().join("menu.pdf");
    std::fs::write(&path, b"%PDF-1.4 the menu").unwrap_or_else(|e| panic!("{e}"));
    let path_text = path.display().to_string();
    let out = run(
        dir.path(),
        &args(
            &base,
            &[
                "-o",
                "json",
                "send",
                "--contact",
                contact.as_str(),
                "--file",
                &path_text,
                "--kind",
                "file",
            ],
        ),
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let report = &json_lines(&out)[0];
    assert_eq!(report["file"], path_text.as_str());
    assert_eq!(report["kind"], "file");
    let uploads = sandbox.uploads();
    assert_eq!(uploads.len(), 1);
    assert_eq!(uploads[0].length, 17);
    assert_eq!(uploads[0].file_name.as_deref(), Some("menu.pdf"));

    // Watch: the server's greeting on the subscription.
    let out = run(
        dir.path(),
        &args(
            &base,
            &[
                "-o",
                "json",
                "watch",
                "--contact",
                contact.as_str(),
                "--count",
                "1",
            ],
        ),
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1, "{}", out.stdout);
    assert_eq!(
        lines[0]["data"]["message"][0]["text"], "Hello from the sandbox",
        "{}",
        out.stdout
    );

    let stats = sandbox.socket_stats();
    assert_eq!((stats.opened, stats.send, stats.subscribe), (4, 3, 1));
    for text in [&out.stdout, &out.stderr] {
        assert!(!text.contains(&token), "never print the token: {text}");
    }
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_outside_the_reply_window_is_exit_1_with_the_way_on_and_a_template_goes() {
    let sandbox = live_sandbox(true).await;
    let client = sandbox.client();
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as i64;
    let mut late = None;
    for conversation in client
        .list_conversations()
        .limit(100)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
    {
        if conversation.channel != Some(Channel::Whatsapp) {
            continue;
        }
        let last = client
            .get_contact(conversation.contact_id.clone())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .last_interaction_at
            .and_then(|t| t.as_i64());
        if last.is_some_and(|last| now_ms - last > 25 * 3_600_000) {
            late = Some(conversation.contact_id);
            break;
        }
    }
    let late = late.unwrap_or_else(|| panic!("a WhatsApp contact who wrote over a day ago"));
    let base = against(&sandbox);
    let dir = tempdir();
    let out = run(
        dir.path(),
        &args(
            &base,
            &["send", "--contact", late.as_str(), "--text", "too late?"],
        ),
    );
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(
        out.stderr.starts_with("error: send: realtime:") && out.stderr.contains("reply window"),
        "{}",
        out.stderr
    );
    // It says what still reaches the contact: the catalogue's operation, and the flag.
    assert!(
        out.stderr
            .contains("send an approved template instead (send_whatsapp_template)")
            && out.stderr.contains("chatrace send --template NAME"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert_eq!(sandbox.socket_stats().send, 0);

    // And the template goes, past the window, over HTTP.
    let out = run(
        dir.path(),
        &args(
            &base,
            &[
                "send",
                "--contact",
                late.as_str(),
                "--template",
                "order_shipped",
                "--param",
                "Ana",
                "--param",
                "#1042",
            ],
        ),
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        out.stdout.trim_end(),
        format!("sent to {late} on channel 5: [template] order_shipped (en_US)")
    );
    let newest = newest_messages(&sandbox, &late, 1).await;
    let sent = match newest.first().and_then(|m| m.parts.as_deref()) {
        Some([MessagePart::WhatsAppTemplate(part)]) => part.template.clone(),
        other => panic!("expected a template, got {other:?}"),
    };
    let sent = sent.unwrap_or_else(|| panic!("the template"));
    assert_eq!(sent.language.and_then(|l| l.code).as_deref(), Some("en_US"));
    let values: Vec<String> = sent
        .components
        .into_iter()
        .flatten()
        .flat_map(|c| c.parameters.unwrap_or_default())
        .filter_map(|p| p.text)
        .collect();
    assert_eq!(values, ["Ana", "#1042"]);
    assert_eq!(
        sandbox.socket_stats().send,
        0,
        "nothing went over the socket"
    );

    // What the account does not have, and values that do not fill the template.
    let template = |rest: &[&'static str]| {
        let mut all = vec!["send", "--contact", late.as_str(), "--template"];
        all.extend_from_slice(rest);
        run(dir.path(), &args(&base, &all))
    };
    let out = template(&["no_such_template"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("no approved WhatsApp template `no_such_template`")
            && out.stderr.contains("order_shipped"),
        "{}",
        out.stderr
    );
    let out = template(&["order_shipped", "--language", "fr_FR", "--param", "a"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("en_US, es_MX"), "{}", out.stderr);
    let out = template(&["order_shipped", "--param", "Ana"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("give --param 2 time(s), not 1"),
        "{}",
        out.stderr
    );
    sandbox.shutdown().await;
}

#[test]
fn usage_errors_are_exit_2_and_say_what_is_missing() {
    let dir = tempdir();
    for (args, says) in [
        (&["send", "--text", "hi"][..], "--contact"),
        (&["send", "--contact", "1"][..], "--text"),
        (
            &[
                "send",
                "--contact",
                "1",
                "--reply-to",
                "m_1",
                "--file",
                "Cargo.toml",
            ][..],
            "--reply-to",
        ),
        (
            &["send", "--contact", "1", "--file", "/no/such/file"][..],
            "not a file",
        ),
        (
            &["send", "--contact", "1", "--text", "hi", "--kind", "image"][..],
            "--kind",
        ),
        (
            &[
                "send",
                "--contact",
                "1",
                "--text",
                "hi",
                "--channel",
                "messenger",
            ][..],
            "--channel",
        ),
        (&["watch", "--count", "0"][..], "--count"),
        (
            &["send", "--contact", "1", "--template", "t", "--text", "hi"][..],
            "--text",
        ),
        (
            &["send", "--contact", "1", "--param", "x"][..],
            "--template",
        ),
        (
            &["send", "--contact", "1", "--text", "hi"][..],
            "no base URL",
        ),
        (&["watch"][..], "no base URL"),
    ] {
        let out = run(dir.path(), args);
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_the_account_does_not_have_is_the_apis_error() {
    let sandbox = live_sandbox(true).await;
    let base = against(&sandbox);
    let dir = tempdir();
    let out = run(
        dir.path(),
        &args(&base, &["send", "--contact", "5", "--text", "anyone?"]),
    );
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("API error 4"), "{}", out.stderr);
    let out = run(
        dir.path(),
        &args(&base, &["watch", "--contact", "5", "--count", "1"]),
    );
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("API error 4"), "{}", out.stderr);
    assert_eq!(sandbox.socket_stats().send, 0);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_exits_1_with_the_reason_when_the_server_refuses_the_session() {
    let sandbox = live_sandbox(false).await;
    let base = against(&sandbox);
    let token = sandbox.credentials().token.clone();
    let dir = tempdir();
    let watch = std::process::Command::new(assert_cmd::cargo::cargo_bin("chatrace"))
        .env("CHATRACE_CONFIG_DIR", dir.path())
        .env_remove("CHATRACE_BASE_URL")
        .env_remove("CHATRACE_TOKEN")
        .env_remove("CHATRACE_ACCOUNT_ID")
        .args(args(
            &base,
            &[
                "watch",
                "--contact",
                &sandbox.credentials().contact_id.to_string(),
            ],
        ))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run chatrace: {e}"));
    // Once `watch` is subscribed, the session is refused and the socket cut: the reconnection's
    // `authenticate` is refused.
    let subscribed = async {
        while sandbox.socket_stats().subscribe == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(30), subscribed)
        .await
        .unwrap_or_else(|_| panic!("watch never subscribed"));
    sandbox.errors().for_token(&token, 1);
    assert_eq!(sandbox.kill_sockets(), 1);
    let output = tokio::task::spawn_blocking(move || watch.wait_with_output())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: watch: the server refused the authentication: API error 1"),
        "{stderr}"
    );
    assert!(stderr.contains("chatrace login"), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("refused"), "{stdout}");
    assert!(!stderr.contains(&token) && !stdout.contains(&token));
}
