//! Which calls are retried, and when.

use std::time::Duration;

use chatrace_runtime::{CallOptions, Error, RetryPolicy};

use crate::common::*;

#[tokio::test]
async fn a_read_is_retried_after_two_503s_and_succeeds() {
    let server = Server::script(vec![
        Reply::status(503, "busy"),
        Reply::status(503, "busy"),
        Reply::ok(r#"{"id":8}"#),
    ])
    .await;
    let order = handle(&server.url)
        .execute(FakeGet::new(8))
        .await
        .expect("the third attempt succeeds");
    assert_eq!(order.id, 8);
    let received = server.received();
    assert_eq!(received.len(), 3);
    assert!(
        received.iter().all(|r| r.body == received[0].body),
        "the same body each time"
    );
}

#[tokio::test]
async fn retries_stop_at_max_attempts() {
    let server = Server::always(Reply::status(500, "oops")).await;
    let options = CallOptions::new().with_retry(fast_retries().with_max_attempts(4));
    let error = handle(&server.url)
        .execute_with(FakeGet::new(1), &options)
        .await
        .expect_err("always 500");
    assert!(
        matches!(error, Error::Http { status: 500, .. }),
        "{error:?}"
    );
    assert_eq!(server.count(), 4);
}

#[tokio::test]
async fn a_write_is_sent_once() {
    let server = Server::script(vec![
        Reply::status(503, "busy"),
        Reply::json(r#"{"status":"OK"}"#),
    ])
    .await;
    let error = handle(&server.url)
        .execute(FakeWrite::new(1, 7))
        .await
        .expect_err("the write is not retried");
    assert!(
        matches!(error, Error::Http { status: 503, .. }),
        "{error:?}"
    );
    assert!(error.is_retryable(), "the caller may decide to retry");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_429_is_retried() {
    let server = Server::script(vec![
        Reply::status(429, "slow down"),
        Reply::ok(r#"{"id":1}"#),
    ])
    .await;
    handle(&server.url)
        .execute(FakeGet::new(1))
        .await
        .expect("retried");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn an_api_503_in_a_200_is_retried_for_reads() {
    let server = Server::script(vec![
        Reply::json(r#"{"status":"ERROR","code":503,"message":"maintenance"}"#),
        Reply::ok(r#"{"id":1}"#),
    ])
    .await;
    handle(&server.url)
        .execute(FakeGet::new(1))
        .await
        .expect("retried");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = Server::script(vec![
        Reply::status(429, "slow down").header("retry-after", "1"),
        Reply::ok(r#"{"id":1}"#),
    ])
    .await;
    // The backoff alone would wait 5 ms: only Retry-After explains a wait of a second.
    handle(&server.url)
        .execute(FakeGet::new(1))
        .await
        .expect("retried");
    let received = server.received();
    assert_eq!(received.len(), 2);
    let gap = received[1].at - received[0].at;
    assert!(gap >= Duration::from_millis(950), "waited only {gap:?}");
    assert!(gap < Duration::from_secs(5), "waited {gap:?}");
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_ends_the_retries() {
    let server = Server::script(vec![
        Reply::status(503, "down").header("retry-after", "120"),
        Reply::ok(r#"{"id":1}"#),
    ])
    .await;
    let started = std::time::Instant::now();
    let error = handle(&server.url)
        .execute(FakeGet::new(1))
        .await
        .expect_err("not worth waiting");
    assert!(
        matches!(error, Error::Http { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(server.count(), 1);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_disabled_policy_sends_a_read_once() {
    let server = Server::always(Reply::status(503, "busy")).await;
    let handle = builder(&server.url)
        .retry(RetryPolicy::disabled())
        .build()
        .expect("valid");
    handle.execute(FakeGet::new(1)).await.expect_err("503");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_timed_out_read_is_retried() {
    let server = Server::script(vec![
        Reply::ok(r#"{"id":1}"#).delayed(Duration::from_secs(10)),
        Reply::ok(r#"{"id":2}"#),
    ])
    .await;
    // Generous: the second answer must come within it even on a loaded machine.
    let options = CallOptions::new().with_timeout(Duration::from_secs(1));
    let order = handle(&server.url)
        .execute_with(FakeGet::new(1), &options)
        .await
        .expect("the second attempt answers in time");
    assert_eq!(order.id, 2);
    assert_eq!(server.count(), 2);
}
