//! Auth against the sandbox, through the SDK: the email OTP flow, the social logins, sessions
//! that end, and accounts the user does not belong to (refused, nothing changes).

mod sandbox_common;

use chatrace::types::{OrderStatus, Platform};
use sandbox_common::{anonymous_client, client, expect_api_error, sandbox};

#[tokio::test]
async fn the_email_otp_flow_gives_a_working_session() {
    let sandbox = sandbox().await;
    let creds = sandbox.credentials().clone();
    let api = anonymous_client(&sandbox);

    // Without a session, account calls are refused.
    let message = expect_api_error(api.list_orders().send().await, "401");
    assert!(message.contains("list_orders"), "{message}");

    let otp = api.request_email_otp(&creds.email).send().await.unwrap();
    let wrong = api
        .validate_email_otp(otp.rid.clone(), "000000")
        .send()
        .await;
    assert!(expect_api_error(wrong, "401").contains("wrong code"));
    assert!(api.token().is_none(), "a failed login stores no token");

    let session = api
        .validate_email_otp(otp.rid.clone(), &creds.otp)
        .send()
        .await
        .unwrap();
    assert_eq!(api.token().unwrap().expose(), session.token);
    assert_ne!(
        session.token, creds.token,
        "a new session, not the demo one"
    );
    let me = api.get_current_user().send().await.unwrap();
    assert_eq!(me.email.as_deref(), Some(creds.email.as_str()));
    let orders = api.list_orders().send().await.unwrap();
    assert!(!orders.is_empty());

    // A request id is good for one login.
    let again = api.validate_email_otp(otp.rid, &creds.otp).send().await;
    expect_api_error(again, "401");
    // Emails the sandbox does not know, and text that is no email.
    let unknown = api.request_email_otp("nobody@example.com").send().await;
    assert!(expect_api_error(unknown, "404").contains("nobody@example.com"));
    let not_an_email = api.request_email_otp("alex.morgan").send().await;
    expect_api_error(not_an_email, "400");
}

#[tokio::test]
async fn the_social_logins_accept_the_test_tokens_only() {
    let sandbox = sandbox().await;
    let creds = sandbox.credentials().clone();

    let google = anonymous_client(&sandbox);
    google
        .login_with_google(&creds.google_id_token)
        .platform(Platform::Ios)
        .send()
        .await
        .unwrap();
    let microsoft = anonymous_client(&sandbox);
    microsoft
        .login_with_microsoft(&creds.microsoft_id_token)
        .platform(Platform::Android)
        .access_token("")
        .send()
        .await
        .unwrap();
    let apple = anonymous_client(&sandbox);
    apple
        .login_with_apple(&creds.apple_identity_token)
        .platform(Platform::Ios)
        .authorization_code("")
        .send()
        .await
        .unwrap();
    let facebook = anonymous_client(&sandbox);
    facebook
        .login_with_facebook(&creds.facebook_access_token)
        .platform(Platform::Android)
        .send()
        .await
        .unwrap();
    let mut tokens = Vec::new();
    for api in [&google, &microsoft, &apple, &facebook] {
        let me = api.get_current_user().send().await.unwrap();
        assert_eq!(me.email.as_deref(), Some(creds.email.as_str()));
        tokens.push(api.token().unwrap().expose().to_owned());
    }
    tokens.sort();
    tokens.dedup();
    assert_eq!(tokens.len(), 4, "each login is its own session");

    let api = anonymous_client(&sandbox);
    let refused = [
        api.login_with_google("forged")
            .platform(Platform::Ios)
            .send()
            .await,
        api.login_with_microsoft(&creds.google_id_token)
            .platform(Platform::Ios)
            .send()
            .await,
        api.login_with_apple("")
            .platform(Platform::Ios)
            .send()
            .await,
        api.login_with_facebook("EAAB-not-it")
            .platform(Platform::Ios)
            .send()
            .await,
    ];
    for result in refused {
        let message = expect_api_error(result, "401");
        assert!(!message.contains("forged"), "no echo of tokens: {message}");
    }
    assert!(api.token().is_none());
    let web = api
        .login_with_google(&creds.google_id_token)
        .platform(Platform::Unknown("web".into()))
        .send()
        .await;
    assert!(expect_api_error(web, "400").contains("web"));
}

#[tokio::test]
async fn no_token_a_wrong_token_or_a_logged_out_token_is_refused() {
    let sandbox = sandbox().await;
    let creds = sandbox.credentials().clone();
    let before = sandbox.state_fingerprint();

    let anonymous = anonymous_client(&sandbox);
    expect_api_error(anonymous.get_order(1_000_000).send().await, "401");
    expect_api_error(anonymous.get_current_user().send().await, "401");
    expect_api_error(anonymous.logout().send().await, "401");
    let wrong = anonymous_client(&sandbox);
    wrong.set_token("sbx-0000000000000000");
    let error = wrong
        .update_order(1_000_000, OrderStatus::Cancelled)
        .send()
        .await
        .unwrap_err();
    assert!(error.is_unauthorized(), "{error}");
    expect_api_error(wrong.delete_contact(12_345).send().await, "401");
    assert_eq!(
        sandbox.state_fingerprint(),
        before,
        "refused writes changed the state"
    );

    // Log in, log out: the old token is dead, other sessions live on.
    let api = anonymous_client(&sandbox);
    let otp = api.request_email_otp(&creds.email).send().await.unwrap();
    api.validate_email_otp(otp.rid, &creds.otp)
        .send()
        .await
        .unwrap();
    let old = api.token().unwrap().expose().to_owned();
    api.logout().send().await.unwrap();
    assert!(api.token().is_none(), "the client forgets its token");
    api.set_token(old);
    let message = expect_api_error(api.list_tags().send().await, "401");
    assert!(message.contains("log in again"), "{message}");
    expect_api_error(api.logout().send().await, "401");
    let demo = client(&sandbox);
    assert!(
        demo.list_tags().send().await.is_ok(),
        "the demo session lives on"
    );
}

#[tokio::test]
async fn an_account_the_user_does_not_belong_to_is_refused_and_unchanged() {
    let sandbox = sandbox().await;
    let creds = sandbox.credentials().clone();
    let api = client(&sandbox);
    let other = creds.other_account_id;

    let me = api.get_current_user().send().await.unwrap();
    let accounts: Vec<u64> = me.accounts.unwrap().iter().map(|a| a.id).collect();
    assert_eq!(accounts, vec![creds.account_id]);

    let before = sandbox.state_fingerprint();
    let results = [
        api.get_order(2_000_001)
            .account_id(other)
            .send()
            .await
            .map(|_| ()),
        api.list_orders().account_id(other).send().await.map(|_| ()),
        api.list_conversations()
            .account_id(other)
            .send()
            .await
            .map(|_| ()),
        api.update_order(2_000_001, OrderStatus::Cancelled)
            .account_id(other)
            .send()
            .await,
        api.delete_contact(500_000_000_000)
            .account_id(other)
            .send()
            .await,
        api.add_note(500_000_000_000, "Sneaky note")
            .account_id(other)
            .send()
            .await
            .map(|_| ()),
        api.archive_conversation(500_000_000_000, true)
            .account_id(other)
            .send()
            .await,
        api.delete_saved_reply(8801).account_id(other).send().await,
        // An account that does not exist at all is refused the same way.
        api.list_tags().account_id(99).send().await.map(|_| ()),
    ];
    for result in results {
        let message = expect_api_error(result, "403");
        assert!(message.contains("does not belong"), "{message}");
    }
    assert_eq!(
        sandbox.state_fingerprint(),
        before,
        "refused writes changed the state"
    );

    // The ids of the other account do not leak through the user's own account either.
    expect_api_error(api.get_order(2_000_001).send().await, "404");
    expect_api_error(api.get_contact(500_000_000_000).send().await, "404");
}
