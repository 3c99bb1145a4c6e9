//! Hooks see every attempt and answer, may add headers, and may recover an unauthorized call
//! with a new session token, once.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use chatrace_runtime::{
    AnswerContext, CallContext, Error, Hook, HookFuture, Recovery, RequestContext,
};

use crate::common::*;

/// Adds a trace header to every attempt.
struct TraceHeader;

impl Hook for TraceHeader {
    fn before_send(&self, request: &mut RequestContext<'_>) {
        let value = format!("{}-{}", request.operation.name, request.attempt);
        request
            .insert_header("X-Trace", &value)
            .expect("a valid header");
    }
}

/// Records the status of every answer and the number of attempts of failed calls.
#[derive(Default, Clone)]
struct Recorder {
    answers: Arc<Mutex<Vec<(u32, u16)>>>,
    failures: Arc<Mutex<Vec<u32>>>,
}

impl Hook for Recorder {
    fn after_answer(&self, answer: &AnswerContext) {
        assert!(answer.elapsed.as_secs() < 10, "a plausible duration");
        self.answers
            .lock()
            .unwrap()
            .push((answer.attempt, answer.status));
    }

    fn on_error<'a>(
        &'a self,
        _error: &'a Error,
        call: &'a CallContext,
    ) -> HookFuture<'a, Recovery> {
        self.failures.lock().unwrap().push(call.attempts);
        Box::pin(async { Recovery::Fail })
    }
}

/// Logs in again on any error, counting how often it was asked.
struct Relogin {
    asked: Arc<AtomicU32>,
}

impl Hook for Relogin {
    fn on_error<'a>(
        &'a self,
        _error: &'a Error,
        _call: &'a CallContext,
    ) -> HookFuture<'a, Recovery> {
        Box::pin(async move {
            self.asked.fetch_add(1, Ordering::SeqCst);
            // A real hook would log in here; the new token is what matters.
            Recovery::RetryWithToken("fresh-token".into())
        })
    }
}

#[tokio::test]
async fn a_hook_adds_headers_to_every_attempt() {
    let server = Server::script(vec![Reply::status(503, "busy"), Reply::ok(r#"{"id": 1}"#)]).await;
    let handle: chatrace_runtime::Handle = builder(&server.url)
        .retry(fast_retries())
        .hook(TraceHeader)
        .build()
        .expect("a handle");
    handle
        .execute(FakeGet::new(1))
        .await
        .expect("the retry succeeds");
    let traces: Vec<String> = server
        .received()
        .iter()
        .map(|r| r.header("x-trace").unwrap_or("none").to_owned())
        .collect();
    assert_eq!(traces, ["fake_get-1", "fake_get-2"]);
}

#[tokio::test]
async fn a_hook_sees_every_answer_and_the_failure() {
    let server = Server::always(Reply::status(503, "busy")).await;
    let recorder = Recorder::default();
    let handle: chatrace_runtime::Handle = builder(&server.url)
        .retry(fast_retries())
        .hook(recorder.clone())
        .build()
        .expect("a handle");
    let error = handle.execute(FakeGet::new(1)).await.expect_err("503s");
    assert!(
        matches!(error, Error::Http { status: 503, .. }),
        "{error:?}"
    );
    let answers = recorder.answers.lock().unwrap().clone();
    let attempts = server.count() as u32;
    assert!(attempts > 1, "the read was retried");
    let expected: Vec<(u32, u16)> = (1..=attempts).map(|a| (a, 503)).collect();
    assert_eq!(answers, expected);
    assert_eq!(*recorder.failures.lock().unwrap(), [attempts]);
}

#[tokio::test]
async fn an_unauthorized_call_is_sent_once_more_with_the_hooks_token() {
    let server = Server::start(|request, _| {
        if request.header("x-access-token") == Some("fresh-token") {
            Reply::ok(r#"{"id": 7}"#)
        } else {
            Reply::json(r#"{"status":"ERROR","code":1}"#)
        }
    })
    .await;
    let asked = Arc::new(AtomicU32::new(0));
    let handle: chatrace_runtime::Handle = builder(&server.url)
        .hook(Relogin {
            asked: asked.clone(),
        })
        .build()
        .expect("a handle");
    let order = handle.execute(FakeGet::new(7)).await.expect("recovered");
    assert_eq!(order.id, 7);
    assert_eq!(asked.load(Ordering::SeqCst), 1);
    assert_eq!(server.count(), 2);
    assert_eq!(
        handle.token().map(|t| t.expose().to_owned()).as_deref(),
        Some("fresh-token"),
        "the client keeps the new token"
    );
}

#[tokio::test]
async fn recovery_happens_once_per_call() {
    let server = Server::always(Reply::json(r#"{"status":"ERROR","code":1}"#)).await;
    let asked = Arc::new(AtomicU32::new(0));
    let handle: chatrace_runtime::Handle = builder(&server.url)
        .hook(Relogin {
            asked: asked.clone(),
        })
        .build()
        .expect("a handle");
    let error = handle
        .execute(FakeGet::new(7))
        .await
        .expect_err("still refused");
    assert!(error.is_unauthorized());
    assert_eq!(asked.load(Ordering::SeqCst), 1);
    assert_eq!(server.count(), 2, "the first send and one more");
}

#[tokio::test]
async fn a_token_offered_for_another_error_does_not_resend_a_write() {
    let server = Server::always(Reply::status(503, "busy")).await;
    let asked = Arc::new(AtomicU32::new(0));
    let handle: chatrace_runtime::Handle = builder(&server.url)
        .hook(Relogin {
            asked: asked.clone(),
        })
        .build()
        .expect("a handle");
    let error = handle
        .execute(FakeWrite::new(1, 7))
        .await
        .expect_err("a 503");
    assert!(
        matches!(error, Error::Http { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(asked.load(Ordering::SeqCst), 1, "the hook was asked");
    assert_eq!(server.count(), 1, "the write was not sent again");
}
