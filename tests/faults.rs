//! The production runtime against a misbehaving server: the sandbox's fault layer switched on,
//! everything through the SDK's `Client`.
//!
//! Tests here are serialized (one lock): they measure time and memory, which parallel tests
//! would disturb.

mod sandbox_common;

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chatrace::types::{ContactId, OrderId, UploadKind};
use chatrace::{Error, FileUpload, RetryPolicy};
use futures::TryStreamExt;
use sandbox_common::{client, contact, long_conversation, sandbox, CALL_TIMEOUT};

/// The collection's example order, which the sandbox holds.
fn example_order() -> OrderId {
    OrderId::new(1_000_000)
}

/// One test at a time in this file.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A retry policy with small, fixed backoffs.
fn quick_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(attempts)
        .with_backoff(Duration::from_millis(10), Duration::from_millis(40))
        .with_jitter(false)
}

/// A client of the sandbox with `retry` and the tests' call timeout.
fn client_with_retry(sandbox: &chatrace_sandbox::Sandbox, retry: RetryPolicy) -> chatrace::Client {
    sandbox
        .client_builder()
        .retry(retry)
        .timeout(CALL_TIMEOUT)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_read_succeeds_after_two_injected_503s() {
    let _serial = SERIAL.lock().await;
    let sandbox = sandbox().await;
    let client = client_with_retry(&sandbox, quick_retries(3));
    sandbox.faults().fail_next(2, 503, None);
    let before = sandbox.requests_seen();
    let order = client.get_order(example_order()).send().await.unwrap();
    assert_eq!(order.id, example_order());
    assert_eq!(
        sandbox.requests_seen() - before,
        3,
        "two refusals, then the answer"
    );
    assert_eq!(sandbox.faults().pending(), 0);

    // With one attempt fewer than faults, the 503 comes back as a retryable HTTP error.
    sandbox.faults().fail_next(2, 503, None);
    let error = client
        .get_order(example_order())
        .retry(quick_retries(2))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Http { status: 503, .. }),
        "{error:?}"
    );
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_write_not_marked_idempotent_is_sent_once() {
    let _serial = SERIAL.lock().await;
    let sandbox = sandbox().await;
    let client = client_with_retry(&sandbox, quick_retries(5));
    let contact = contact(833_274_349_439);
    let notes_before = client
        .get_contact(contact.clone())
        .send()
        .await
        .unwrap()
        .notes;
    let fingerprint = sandbox.state_fingerprint();

    sandbox.faults().fail_next(3, 503, None);
    let before = sandbox.requests_seen();
    let error = client
        .add_note(contact.clone(), "Called back about the grinder.")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Http { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(sandbox.requests_seen() - before, 1, "add_note is sent once");
    assert_eq!(sandbox.operation_count("add_note"), 0, "and never handled");
    assert_eq!(sandbox.state_fingerprint(), fingerprint, "nothing changed");
    sandbox.faults().clear();
    let notes_after = client.get_contact(contact).send().await.unwrap().notes;
    assert_eq!(notes_before, notes_after);
}

#[tokio::test]
async fn a_status_change_that_can_message_the_contact_is_sent_once() {
    // update_order can send the contact a message: a retry after a failure the server may
    // have acted on could send it twice, so the catalogue does not mark it idempotent.
    let _serial = SERIAL.lock().await;
    let sandbox = sandbox().await;
    let client = client_with_retry(&sandbox, quick_retries(5));
    let meta = chatrace::OPERATIONS
        .iter()
        .find(|m| m.name == "update_order")
        .expect("update_order");
    assert!(!meta.retry_safe, "update_order is not retried");
    sandbox.faults().fail_next(3, 503, None);
    let before = sandbox.requests_seen();
    let error = client
        .update_order(
            chatrace::types::OrderId::new(1_000_000u64),
            chatrace::types::OrderStatus::Delivered,
        )
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Http { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(
        sandbox.requests_seen() - before,
        1,
        "update_order is sent once"
    );
    sandbox.faults().clear();
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let _serial = SERIAL.lock().await;
    let sandbox = sandbox().await;
    let client = client_with_retry(&sandbox, quick_retries(3));
    sandbox.faults().fail_next(1, 503, Some(1));
    let before = sandbox.requests_seen();
    let started = Instant::now();
    let tags = client.list_tags().send().await.unwrap();
    let waited = started.elapsed();
    assert!(!tags.is_empty());
    assert_eq!(sandbox.requests_seen() - before, 2);
    assert!(
        waited >= Duration::from_secs(1),
        "the retry came after {waited:?}, before the 1 s Retry-After"
    );
    assert!(waited < Duration::from_secs(5), "{waited:?}");
    println!("Retry-After: 1 s; the retry came after {waited:?}");
}

#[tokio::test]
async fn a_delay_past_the_timeout_is_a_timeout_error() {
    let _serial = SERIAL.lock().await;
    let sandbox = sandbox().await;
    let client = sandbox
        .client_builder()
        .timeout(Duration::from_millis(300))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    sandbox.faults().delay_next(1, Duration::from_millis(1500));
    let started = Instant::now();
    let error = client.list_tags().send().await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout { operation: "list_tags", after, .. } if after == Duration::from_millis(300)),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert!(
        started.elapsed() < Duration::from_millis(1400),
        "{:?}",
        started.elapsed()
    );

    // A read retried after a timeout gets the next (undelayed) answer.
    sandbox.faults().delay_next(1, Duration::from_millis(1500));
    let tags = client
        .list_tags()
        .retry(quick_retries(2))
        .send()
        .await
        .unwrap();
    assert!(!tags.is_empty());
}

#[tokio::test]
async fn reset_html_and_truncated_answers_are_typed_errors() {
    let _serial = SERIAL.lock().await;
    let sandbox = sandbox().await;
    let client = client_with_retry(&sandbox, RetryPolicy::disabled());

    sandbox.faults().reset_next(1);
    let error = client.list_tags().send().await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(
        format!("{error:?}").contains("ConnectionReset"),
        "{error:?}"
    );
    assert!(error.is_retryable(), "a reset connection may be retried");
    assert_eq!(
        sandbox.operation_count("list_tags"),
        0,
        "a reset request is not handled"
    );

    sandbox.faults().html_next(1);
    let error = client.list_tags().send().await.unwrap_err();
    match &error {
        Error::Decode {
            status, snippet, ..
        } => {
            assert_eq!(*status, 200);
            assert!(snippet.contains("Bad Gateway"), "{snippet}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }

    // A truncated answer: the write happened, the answer cannot be read.
    sandbox.faults().truncate_next(1);
    let error = client
        .add_saved_reply("/loyalty", "Every 10th coffee is on us.")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    let replies = client.list_saved_replies().send().await.unwrap();
    assert!(replies
        .iter()
        .any(|r| r.shortcode.as_deref() == Some("/loyalty")));

    // After the faults, the same client works on a fresh connection.
    sandbox.faults().reset_next(1);
    assert!(client.list_tags().send().await.is_err());
    assert!(client.list_tags().send().await.is_ok());
}

#[tokio::test]
async fn a_paged_list_streams_every_item_exactly_once() {
    let _serial = SERIAL.lock().await;
    let sandbox = sandbox().await;
    let client = client_with_retry(&sandbox, quick_retries(3));
    let pages_before = sandbox.operation_count("list_conversations");
    let conversations: Vec<_> = client
        .list_conversations()
        .page_size(10)
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: HashSet<ContactId> = conversations.iter().map(|c| c.contact_id.clone()).collect();
    assert_eq!(conversations.len(), 66);
    assert_eq!(ids.len(), conversations.len(), "no conversation twice");
    let pages = sandbox.operation_count("list_conversations") - pages_before;
    assert_eq!(pages, 7, "six full pages and a short one end the list");
    // The same list in one page.
    let one_page = client.list_conversations().limit(100).send().await.unwrap();
    assert_eq!(one_page, conversations);

    // A failed page is retried, and no message comes twice or goes missing.
    let contact = long_conversation(&sandbox);
    sandbox.faults().fail_next(1, 503, None);
    let before = sandbox.requests_seen();
    let messages: Vec<_> = client
        .list_messages(contact)
        .page_size(20)
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: HashSet<_> = messages.iter().map(|m| m.id.clone()).collect();
    assert_eq!((messages.len(), ids.len()), (125, 125));
    assert_eq!(
        sandbox.requests_seen() - before,
        1 + 7,
        "one refusal, then seven pages"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_calls_on_one_client_all_succeed() {
    let _serial = SERIAL.lock().await;
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let before = sandbox.requests_seen();
    let calls = (0..200u64).map(|i| {
        let client = client.clone();
        tokio::spawn(async move {
            match i % 4 {
                0 => client
                    .get_order(example_order())
                    .send()
                    .await
                    .map(|o| o.item_count.unwrap_or(0) as u64),
                1 => client.list_tags().send().await.map(|t| t.len() as u64),
                2 => client
                    .get_contact(contact(12_345))
                    .send()
                    .await
                    .map(|c| c.notes.unwrap_or_default().len() as u64),
                _ => client
                    .list_conversations()
                    .offset((i % 60) as i64)
                    .limit(5)
                    .send()
                    .await
                    .map(|c| c.len() as u64),
            }
        })
    });
    let results = futures::future::join_all(calls).await;
    let failures: Vec<String> = results
        .into_iter()
        .filter_map(|joined| match joined {
            Ok(Ok(_)) => None,
            Ok(Err(e)) => Some(e.to_string()),
            Err(e) => Some(e.to_string()),
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(3)]
    );
    assert_eq!(sandbox.requests_seen() - before, 200);
}

/// Peak resident memory of this process so far (`VmHWM`), in bytes.
fn peak_memory() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("a VmHWM line");
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("VmHWM in kB");
    kib * 1024
}

/// FNV-1a 64, written here independently of the sandbox's.
fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x100_0000_01b3);
    }
    hash
}
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// A temporary file, removed when dropped (also when the test fails).
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_50_mb_upload_arrives_whole_without_buffering() {
    let _serial = SERIAL.lock().await;
    const SIZE: usize = 50 * 1024 * 1024;
    const CHUNK: usize = 1024 * 1024;
    let file = TempFile(std::env::temp_dir().join(format!(
        "chatrace-sandbox-upload-{}-{}.bin",
        std::process::id(),
        Instant::now().elapsed().as_nanos()
    )));
    // Pseudo-random bytes (xorshift), written and hashed one chunk at a time.
    let mut checksum = FNV_OFFSET;
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file.0).unwrap());
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut chunk = vec![0u8; CHUNK];
        for _ in 0..SIZE / CHUNK {
            for word in chunk.chunks_exact_mut(8) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                word.copy_from_slice(&x.to_le_bytes());
            }
            checksum = fnv1a(checksum, &chunk);
            out.write_all(&chunk).unwrap();
        }
        out.flush().unwrap();
    }
    assert_eq!(std::fs::metadata(&file.0).unwrap().len(), SIZE as u64);

    let sandbox = sandbox().await;
    let client = sandbox
        .client_builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let peak_before = peak_memory();
    let uploaded = client
        .upload_file(
            UploadKind::Video,
            contact(222_222),
            FileUpload::from_path(&file.0).with_file_name("beans.bin"),
        )
        .send()
        .await
        .unwrap();
    let peak_after = peak_memory();
    let growth = peak_after.saturating_sub(peak_before);
    println!(
        "50 MB upload: peak memory (VmHWM) {} MB before, {} MB after, growth {} MB",
        peak_before / 1_000_000,
        peak_after / 1_000_000,
        growth / 1_000_000
    );

    let received = sandbox.uploads();
    let upload = received.last().expect("the sandbox recorded the upload");
    assert_eq!(upload.length, SIZE as u64);
    assert_eq!(upload.checksum, checksum, "the bytes arrived unchanged");
    assert_eq!(upload.file_name.as_deref(), Some("beans.bin"));
    assert_eq!(upload.kind, "video");
    assert_eq!(uploaded.url, upload.url);
    assert!(
        uploaded.url.starts_with(&sandbox.base_url()),
        "{}",
        uploaded.url
    );
    assert!(growth < 100_000_000, "peak memory grew by {growth} bytes");
    drop(file);
}

/// A `MakeWriter` collecting everything in memory.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

#[tokio::test]
async fn the_token_never_shows_in_traces_errors_or_debug() {
    use tracing_subscriber::util::SubscriberInitExt;
    let _serial = SERIAL.lock().await;
    let capture = Capture::default();
    // This test's runtime is single-threaded: the sandbox, the client and reqwest all run on
    // this thread, under this subscriber.
    let _guard = tracing_subscriber::fmt()
        .with_writer(capture.clone())
        .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
        .with_ansi(false)
        .finish()
        .set_default();

    let sandbox = sandbox().await;
    let demo_token = sandbox.credentials().token.clone();
    let client = chatrace::Client::builder()
        .base_url(sandbox.base_url())
        .account_id(sandbox.credentials().account_id)
        .retry(quick_retries(3))
        .timeout(CALL_TIMEOUT)
        .build()
        .unwrap();
    let otp = client
        .request_email_otp(sandbox.credentials().email.clone())
        .send()
        .await
        .unwrap();
    client
        .validate_email_otp(otp.request_id, sandbox.credentials().otp.clone())
        .send()
        .await
        .unwrap();
    let token = client.token().expect("logged in").expose().to_owned();
    assert!(token.len() > 8);

    let mut errors = Vec::new();
    client.get_order(example_order()).send().await.unwrap();
    client.list_conversations().limit(3).send().await.unwrap();
    errors.push(
        client
            .get_order(OrderId::new(424_242))
            .send()
            .await
            .unwrap_err(),
    );
    errors.push(
        client
            .get_order(example_order())
            .account_id(sandbox.credentials().other_account_id)
            .send()
            .await
            .unwrap_err(),
    );
    sandbox.faults().fail_next(2, 503, None);
    client.list_tags().send().await.unwrap();
    sandbox.faults().html_next(1);
    errors.push(
        client
            .list_tags()
            .retry(RetryPolicy::disabled())
            .send()
            .await
            .unwrap_err(),
    );
    sandbox.faults().truncate_next(1);
    errors.push(
        client
            .get_contact(contact(12_345))
            .retry(RetryPolicy::disabled())
            .send()
            .await
            .unwrap_err(),
    );
    client.logout().send().await.unwrap();
    // After logout the client has no token: the server refuses the call (code 1).
    errors.push(client.get_order(example_order()).send().await.unwrap_err());
    assert!(errors.last().is_some_and(Error::is_unauthorized));
    assert!(errors.iter().all(|e| e.operation().is_some()));

    let captured = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        captured.contains("chatrace.call"),
        "the runtime traced the calls"
    );
    assert!(captured.lines().count() > 20, "{captured}");
    for secret in [&token, &demo_token] {
        assert!(
            !captured.contains(secret.as_str()),
            "a trace holds the token"
        );
        for error in &errors {
            let text = format!("{error} {error:?}");
            assert!(!text.contains(secret.as_str()), "{text}");
        }
        let debug = format!("{client:?} {sandbox:?} {:?}", sandbox.credentials());
        assert!(!debug.contains(secret.as_str()), "{debug}");
    }
    println!(
        "{} trace lines and {} errors checked: no token in any",
        captured.lines().count(),
        errors.len()
    );
}

#[tokio::test]
async fn a_read_is_retried_after_a_reset_connection() {
    let _serial = SERIAL.lock().await;
    let sandbox = sandbox().await;
    let client = sandbox
        .client_builder()
        .retry(
            RetryPolicy::default()
                .with_backoff(Duration::from_millis(5), Duration::from_millis(20)),
        )
        .timeout(CALL_TIMEOUT)
        .build()
        .unwrap();
    sandbox.faults().reset_next(1);
    let tags = client.list_tags().send().await.expect("the retry succeeds");
    assert!(!tags.is_empty());
    assert_eq!(
        sandbox.operation_count("list_tags"),
        1,
        "handled once, after the reset"
    );
}
