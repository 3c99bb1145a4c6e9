//! Logins, sessions and accounts against the sandbox, through the SDK: the email code flow,
//! the social logins, logout as the collection sends it, the session token, and the accounts a
//! user may open.

use crate::common::{
    anonymous_client, client, contact, expect_code, json_headers, post_raw, sandbox, CALL_TIMEOUT,
};
use chatrace::types::{ContactId, OrderId, OrderStatus, OtpRequestId, Platform};

#[tokio::test]
async fn the_email_code_flow_gives_a_working_session() {
    let sandbox = sandbox().await;
    let creds = sandbox.credentials().clone();
    let client = anonymous_client(&sandbox);

    let otp = client.request_email_otp(&creds.email).send().await.unwrap();
    let rid = otp.request_id.clone();
    assert_eq!(rid.as_str().len(), 64, "{rid:?}");
    assert!(rid.as_str().bytes().all(|b| b.is_ascii_hexdigit()));
    let again = client.request_email_otp(&creds.email).send().await.unwrap();
    assert_ne!(again.request_id, rid, "each request gets its own id");

    client
        .validate_email_otp(rid.clone(), &creds.otp)
        .send()
        .await
        .unwrap();
    let token = client.token().expect("the session token is kept");
    assert_ne!(token.expose(), creds.token);

    let me = client.get_current_user().send().await.unwrap();
    assert_eq!(
        me.account_id.as_ref().map(|a| a.as_str()),
        Some(creds.account_id.to_string().as_str())
    );
    let profile = me.profile.expect("the profile");
    assert_eq!(profile.admin_id.as_u64(), Some(creds.admin_id));
    assert_eq!(profile.email.as_deref(), Some(creds.email.as_str()));
    let pages: Vec<u64> = me
        .accounts
        .unwrap_or_default()
        .iter()
        .filter_map(|a| a.account_id.as_u64())
        .collect();
    assert_eq!(pages, [creds.account_id, creds.second_account_id]);
    let open = me.current_account.expect("curPage");
    assert_eq!(open.account_id.as_u64(), Some(creds.account_id));
    assert_eq!(open.name.as_deref(), Some("Morgan Coffee Roasters"));
    let live_chats = crate::common::all_conversations(&client)
        .await
        .iter()
        .filter(|c| c.live_chat == Some(true))
        .count() as i64;
    assert!(live_chats > 0);
    assert_eq!(me.live_chat_count, Some(live_chats));

    // The request id is used up.
    let used = client.validate_email_otp(rid, &creds.otp).send().await;
    expect_code(used, "401");
}

#[tokio::test]
async fn a_wrong_code_or_an_unknown_request_id_logs_nobody_in() {
    let sandbox = sandbox().await;
    let creds = sandbox.credentials().clone();
    let client = anonymous_client(&sandbox);
    let fingerprint = sandbox.state_fingerprint();

    let error = client
        .request_email_otp("not an email")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.api_code().as_deref(), Some("2"));
    assert_eq!(sandbox.state_fingerprint(), fingerprint);

    let rid = client
        .request_email_otp(&creds.email)
        .send()
        .await
        .unwrap()
        .request_id;
    let wrong = client
        .validate_email_otp(rid.clone(), "000000")
        .send()
        .await
        .unwrap_err();
    assert_eq!(wrong.api_code().as_deref(), Some("401"));
    assert!(wrong.is_unauthorized());
    assert!(client.token().is_none());
    let unknown = client
        .validate_email_otp(OtpRequestId::new("f".repeat(64)), &creds.otp)
        .send()
        .await;
    expect_code(unknown, "401");
    // A wrong code does not use the request id up.
    client
        .validate_email_otp(rid, &creds.otp)
        .send()
        .await
        .unwrap();
    assert!(client.token().is_some());

    // An address nobody logs in with gets a request id too, whose code is never accepted.
    let stranger = anonymous_client(&sandbox);
    let rid = stranger
        .request_email_otp("nobody@example.org")
        .send()
        .await
        .unwrap()
        .request_id;
    let refused = stranger.validate_email_otp(rid, &creds.otp).send().await;
    expect_code(refused, "401");
    assert!(stranger.token().is_none());
}

#[tokio::test]
async fn the_collections_pending_request_id_takes_its_code() {
    let sandbox = sandbox().await;
    let creds = sandbox.credentials().clone();
    let client = anonymous_client(&sandbox);
    client
        .validate_email_otp(OtpRequestId::new(&creds.pending_otp_request_id), "456788")
        .send()
        .await
        .unwrap();
    let contact = client.get_contact(contact(12_345)).send().await.unwrap();
    assert_eq!(contact.contact_id.as_str(), "12345");
}

#[tokio::test]
async fn the_social_logins_accept_the_test_tokens_only() {
    let sandbox = sandbox().await;
    let creds = sandbox.credentials().clone();

    type Login = fn(
        &chatrace::Client,
        String,
    ) -> futures::future::BoxFuture<'_, Result<(), chatrace::Error>>;
    let logins: [(&str, String, Login); 4] = [
        ("google", creds.google_id_token.clone(), |c, t| {
            Box::pin(async move {
                c.login_with_google(t)
                    .platform(Platform::Ios)
                    .send()
                    .await
                    .map(drop)
            })
        }),
        ("microsoft", creds.microsoft_id_token.clone(), |c, t| {
            Box::pin(async move { c.login_with_microsoft(t).send().await.map(drop) })
        }),
        ("apple", creds.apple_identity_token.clone(), |c, t| {
            Box::pin(async move {
                c.login_with_apple(t)
                    .platform(Platform::Android)
                    .send()
                    .await
                    .map(drop)
            })
        }),
        ("facebook", creds.facebook_access_token.clone(), |c, t| {
            Box::pin(async move { c.login_with_facebook(t).send().await.map(drop) })
        }),
    ];
    for (provider, token, login) in logins {
        let client = anonymous_client(&sandbox);
        let refused = login(&client, "a token from elsewhere".to_owned()).await;
        let error = refused.expect_err(provider);
        assert_eq!(
            error.api_code().as_deref(),
            Some("401"),
            "{provider}: {error}"
        );
        assert!(error.is_unauthorized());
        assert!(client.token().is_none(), "{provider}");

        login(&client, token)
            .await
            .unwrap_or_else(|e| panic!("{provider}: {e}"));
        let session = client.token().expect("a session token");
        assert_ne!(session.expose(), creds.token, "{provider}");
        client
            .list_tags()
            .send()
            .await
            .unwrap_or_else(|e| panic!("{provider}: {e}"));

        // The collection's placeholder token works as the examples send it.
        let example = anonymous_client(&sandbox);
        login(&example, "...".to_owned()).await.unwrap();
        assert!(example.token().is_some(), "{provider}");
    }

    let client = anonymous_client(&sandbox);
    let odd_platform = client
        .login_with_google(creds.google_id_token.clone())
        .platform(Platform::Unknown("symbian".into()))
        .send()
        .await;
    expect_code(odd_platform, "2");
}

#[tokio::test]
async fn no_token_or_a_dead_token_is_code_1_and_unauthorized() {
    let sandbox = sandbox().await;
    let anonymous = anonymous_client(&sandbox);
    let error = anonymous
        .get_contact(contact(12_345))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.api_code().as_deref(), Some("1"));
    assert!(error.is_unauthorized());
    assert!(!error.is_retryable());

    let bogus = sandbox
        .client_builder()
        .token("sbx-not-a-session")
        .timeout(CALL_TIMEOUT)
        .build()
        .unwrap();
    for error in [
        bogus.list_tags().send().await.unwrap_err(),
        bogus.get_current_user().send().await.unwrap_err(),
        bogus
            .archive_conversation(contact(12_345), true)
            .send()
            .await
            .unwrap_err(),
    ] {
        assert_eq!(error.api_code().as_deref(), Some("1"), "{error}");
        assert!(error.is_unauthorized());
    }
    let fresh = crate::common::sandbox().await;
    assert_eq!(
        sandbox.state_fingerprint(),
        fresh.state_fingerprint(),
        "refused calls changed nothing"
    );

    // The white-label's settings are read before login.
    let whitelabel = anonymous.get_whitelabel().send().await.unwrap();
    assert_eq!(whitelabel.name.as_deref(), Some("ChatRace Sandbox"));
    assert_eq!(whitelabel.email.and_then(|e| e.enabled), Some(true));
}

#[tokio::test]
async fn logout_answers_ok_and_the_client_forgets_its_token() {
    let sandbox = sandbox().await;
    let creds = sandbox.credentials().clone();
    let client = anonymous_client(&sandbox);
    client
        .validate_email_otp(OtpRequestId::new(&creds.pending_otp_request_id), &creds.otp)
        .send()
        .await
        .unwrap();
    let token = client.token().expect("logged in").expose().to_owned();

    client
        .logout()
        .platform(Platform::Ios)
        .send()
        .await
        .unwrap();
    assert!(client.token().is_none());
    expect_code(client.list_tags().send().await, "1");

    // The collection sends logout without a token: the server could not end the session, so
    // the token still works where it is kept.
    client.set_token(token.clone());
    client.list_tags().send().await.unwrap();

    // A logout that does send its token ends that session.
    let raw = post_raw(&sandbox, &json_headers(&token), r#"{"op":"logout"}"#).await;
    assert_eq!(raw.json(), serde_json::json!({"status": "OK"}));
    let error = client.list_tags().send().await.unwrap_err();
    assert_eq!(error.api_code().as_deref(), Some("1"));
    assert!(error.is_unauthorized());
    // Other sessions live on.
    crate::common::client(&sandbox)
        .list_tags()
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn an_account_the_user_may_not_open_is_refused_and_nothing_changes() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    let other = sandbox.credentials().other_account_id;
    // The ids are the demo account's: the account is refused before anything is looked up.
    let fingerprint = sandbox.state_fingerprint();
    let errors = [
        client
            .list_orders()
            .account_id(other)
            .send()
            .await
            .unwrap_err(),
        client
            .get_order(OrderId::new(1_000_000))
            .account_id(other)
            .send()
            .await
            .unwrap_err(),
        client
            .update_order(OrderId::new(1_000_000), OrderStatus::Shipped)
            .account_id(other)
            .send()
            .await
            .unwrap_err(),
        client
            .add_note(contact(12_345), "not here")
            .account_id(other)
            .send()
            .await
            .unwrap_err(),
        client
            .delete_contact(contact(12_345))
            .account_id(other)
            .send()
            .await
            .unwrap_err(),
        client
            .list_conversations()
            .account_id(424_242)
            .send()
            .await
            .unwrap_err(),
    ];
    for error in &errors {
        assert_eq!(error.api_code().as_deref(), Some("403"), "{error}");
        // Not allowed is not a refused session: a new token would not help.
        assert!(!error.is_unauthorized());
    }
    assert_eq!(sandbox.state_fingerprint(), fingerprint, "nothing changed");
    let me = client.get_current_user().send().await.unwrap();
    assert_eq!(
        me.account_id.and_then(|a| a.as_u64()),
        Some(sandbox.credentials().account_id),
        "the refused account was not opened"
    );
}

#[tokio::test]
async fn the_second_account_opens_on_a_call_and_holds_its_own_data() {
    let sandbox = sandbox().await;
    let creds = sandbox.credentials().clone();
    let client = client(&sandbox);
    let demo_tags = client.list_tags().send().await.unwrap();
    let second_tags = client
        .list_tags()
        .account_id(creds.second_account_id)
        .send()
        .await
        .unwrap();
    assert!(!second_tags.is_empty());
    assert!(second_tags.iter().all(|t| !demo_tags.contains(t)));

    let me = client.get_current_user().send().await.unwrap();
    assert_eq!(
        me.account_id.and_then(|a| a.as_u64()),
        Some(creds.second_account_id)
    );
    let open = me.current_account.expect("curPage");
    assert_eq!(open.name.as_deref(), Some("Morgan Coffee Wholesale"));

    // A contact of the demo account is not one of the second account's.
    let elsewhere = client
        .get_contact(ContactId::new(12_345))
        .account_id(creds.second_account_id)
        .send()
        .await;
    expect_code(elsewhere, "4");
    client.list_tags().send().await.unwrap();
    let me = client.get_current_user().send().await.unwrap();
    assert_eq!(
        me.account_id.and_then(|a| a.as_u64()),
        Some(creds.account_id)
    );
}
