//! Hooks through the generated client, against the sandbox: an expired session is recovered by
//! logging in again, once, and a hook sees every answer.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use chatrace::{AnswerContext, CallContext, Client, Error, Hook, HookFuture, Recovery};

struct LogInAgain {
    login: Client,
    email: String,
    code: String,
    asked: Arc<AtomicU32>,
}

impl Hook for LogInAgain {
    fn on_error<'a>(
        &'a self,
        error: &'a Error,
        _call: &'a CallContext,
    ) -> HookFuture<'a, Recovery> {
        Box::pin(async move {
            self.asked.fetch_add(1, Ordering::SeqCst);
            if !error.is_unauthorized() {
                return Recovery::Fail;
            }
            let otp = match self.login.request_email_otp(&self.email).send().await {
                Ok(otp) => otp,
                Err(_) => return Recovery::Fail,
            };
            match self
                .login
                .validate_email_otp(otp.request_id, &self.code)
                .send()
                .await
            {
                Ok(session) => Recovery::RetryWithToken(session.token),
                Err(_) => Recovery::Fail,
            }
        })
    }
}

#[derive(Default, Clone)]
struct Statuses(Arc<std::sync::Mutex<Vec<(String, u16)>>>);

impl Hook for Statuses {
    fn after_answer(&self, answer: &AnswerContext) {
        self.0
            .lock()
            .unwrap()
            .push((answer.operation.name.to_owned(), answer.status));
    }
}

#[tokio::test]
async fn an_expired_session_is_recovered_by_logging_in_again() {
    let sandbox = chatrace_sandbox::Sandbox::start().await.unwrap();
    let creds = sandbox.credentials().clone();
    let asked = Arc::new(AtomicU32::new(0));
    let statuses = Statuses::default();
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .account_id(creds.account_id)
        .token("a-session-that-expired")
        .hook(statuses.clone())
        .hook(LogInAgain {
            login: Client::builder()
                .base_url(sandbox.base_url())
                .build()
                .unwrap(),
            email: creds.email.clone(),
            code: creds.otp.clone(),
            asked: asked.clone(),
        })
        .build()
        .unwrap();
    let conversations = client
        .list_conversations()
        .send()
        .await
        .expect("recovered with a new session");
    assert!(!conversations.is_empty());
    assert_eq!(asked.load(Ordering::SeqCst), 1, "the hook was asked once");
    let token = client.token().expect("a token");
    assert_ne!(
        token.expose(),
        "a-session-that-expired",
        "the client keeps the new one"
    );
    // The next call goes out with the new session straight away.
    client
        .list_tags()
        .send()
        .await
        .expect("the new session works");
    assert_eq!(asked.load(Ordering::SeqCst), 1);
    let seen = statuses.0.lock().unwrap().clone();
    let names: Vec<&str> = seen.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["list_conversations", "list_conversations", "list_tags"]
    );
    sandbox.shutdown().await;
}
