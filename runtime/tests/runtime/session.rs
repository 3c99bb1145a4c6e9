//! Login stores the token; logout clears it.

use crate::common::*;

#[tokio::test]
async fn login_stores_the_token_and_logout_clears_it() {
    let server = Server::script(vec![
        Reply::ok(r#"{"token":"fresh-session-token"}"#),
        Reply::ok(r#"{"id":1}"#),
        Reply::json(r#"{"status":"OK"}"#),
        Reply::ok(r#"{"id":1}"#),
    ])
    .await;
    let handle = chatrace_runtime::ClientBuilder::<chatrace_runtime::Handle>::new()
        .base_url(&server.url)
        .account_id(ACCOUNT)
        .build()
        .expect("valid");
    assert!(handle.token().is_none());

    let login = handle
        .execute(FakeLogin::new("456788"))
        .await
        .expect("logged in");
    assert_eq!(login.token, "fresh-session-token");
    assert_eq!(
        handle.token().map(|t| t.expose().to_owned()).as_deref(),
        Some("fresh-session-token")
    );
    assert_eq!(
        server.last().header("x-access-token"),
        None,
        "login sends no token"
    );

    let clone = handle.clone();
    clone.execute(FakeGet::new(1)).await.expect("authenticated");
    assert_eq!(
        server.last().header("x-access-token"),
        Some("fresh-session-token")
    );

    handle.execute(FakeLogout::new()).await.expect("logged out");
    assert_eq!(
        server.last().header("x-access-token"),
        Some("fresh-session-token")
    );
    assert!(handle.token().is_none() && clone.token().is_none());

    handle.execute(FakeGet::new(1)).await.expect("sent");
    assert_eq!(server.last().header("x-access-token"), None);
}

#[tokio::test]
async fn a_failed_logout_keeps_the_token() {
    let server = Server::always(Reply::json(
        r#"{"status":"ERROR","code":500,"message":"try later"}"#,
    ))
    .await;
    let handle = handle(&server.url);
    handle.execute(FakeLogout::new()).await.expect_err("failed");
    assert_eq!(
        handle.token().map(|t| t.expose().to_owned()).as_deref(),
        Some(TOKEN)
    );
}
