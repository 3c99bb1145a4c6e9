//! Logins, sessions, the logged user and push devices.

use chatrace::operations::{
    GetCurrentUserRequest, GetWhitelabelRequest, LoginWithAppleRequest, LoginWithFacebookRequest,
    LoginWithGoogleRequest, LoginWithMicrosoftRequest, LogoutRequest, RegisterDeviceRequest,
    RequestEmailOtpRequest, ValidateEmailOtpRequest,
};
use chatrace::types::{
    AccountMembership, AuthToken, ConversationMode, CurrentAccount, CurrentUser, OtpRequest,
    Platform, UserProfile,
};
use serde_json::{json, Map};

use super::{ApiError, Call, Outcome, Reply};
use crate::state::{Device, Session};

/// The id token the docs' social login examples send (`"idToken":"..."`): accepted like the
/// sandbox's own test tokens, so that the examples run as written.
const DOCS_PLACEHOLDER_TOKEN: &str = "...";

pub(super) fn get_whitelabel(call: &mut Call<'_>, _r: GetWhitelabelRequest) -> Outcome {
    Reply::data(&call.state.whitelabel)
}

pub(super) fn request_email_otp(call: &mut Call<'_>, r: RequestEmailOtpRequest) -> Outcome {
    let email = r.email.trim().to_lowercase();
    if !email.contains('@') {
        return Err(ApiError::bad_request(format!(
            "`{}` is not an email address",
            r.email
        )));
    }
    if !call.state.users.values().any(|u| u.email == email) {
        return Err(ApiError::not_found(format!(
            "no user has the email {email}"
        )));
    }
    let rid = call.state.fresh_secret("", 4);
    call.state.otp_requests.insert(rid.clone(), email);
    Reply::beside(&OtpRequest {
        rid,
        extra: Map::new(),
    })
}

pub(super) fn validate_email_otp(call: &mut Call<'_>, r: ValidateEmailOtpRequest) -> Outcome {
    let Some(email) = call.state.otp_requests.get(&r.rid).cloned() else {
        return Err(ApiError::unauthorized(
            "unknown or used request id (`rid`): request a new code",
        ));
    };
    if r.code.trim() != call.state.credentials.otp {
        return Err(ApiError::unauthorized("wrong code"));
    }
    call.state.otp_requests.remove(&r.rid);
    let user_id = call
        .state
        .users
        .values()
        .find(|u| u.email == email)
        .map(|u| u.id)
        .ok_or_else(|| ApiError::not_found(format!("no user has the email {email}")))?;
    start_session(call, user_id)
}

pub(super) fn login_with_google(call: &mut Call<'_>, r: LoginWithGoogleRequest) -> Outcome {
    let expected = call.state.credentials.google_id_token.clone();
    social_login(call, &r.platform, &r.id_token, &expected, "Google id token")
}

pub(super) fn login_with_microsoft(call: &mut Call<'_>, r: LoginWithMicrosoftRequest) -> Outcome {
    let expected = call.state.credentials.microsoft_id_token.clone();
    social_login(
        call,
        &r.platform,
        &r.id_token,
        &expected,
        "Microsoft id token",
    )
}

pub(super) fn login_with_apple(call: &mut Call<'_>, r: LoginWithAppleRequest) -> Outcome {
    let expected = call.state.credentials.apple_identity_token.clone();
    social_login(
        call,
        &r.platform,
        &r.identity_token,
        &expected,
        "Apple identity token",
    )
}

pub(super) fn login_with_facebook(call: &mut Call<'_>, r: LoginWithFacebookRequest) -> Outcome {
    let expected = call.state.credentials.facebook_access_token.clone();
    social_login(
        call,
        &r.platform,
        &r.access_token,
        &expected,
        "Facebook access token",
    )
}

fn social_login(
    call: &mut Call<'_>,
    platform: &Platform,
    token: &str,
    expected: &str,
    what: &str,
) -> Outcome {
    check_platform(platform)?;
    if token != expected && token != DOCS_PLACEHOLDER_TOKEN {
        return Err(ApiError::unauthorized(format!(
            "invalid {what}: the sandbox accepts only its test token"
        )));
    }
    let user_id = call.state.credentials_user;
    start_session(call, user_id)
}

fn check_platform(platform: &Platform) -> Result<(), ApiError> {
    match platform {
        Platform::Ios | Platform::Android => Ok(()),
        Platform::Unknown(other) => Err(ApiError::bad_request(format!(
            "X-PLATFORM must be `ios` or `android`, not `{other}`"
        ))),
    }
}

fn start_session(call: &mut Call<'_>, user_id: u64) -> Outcome {
    let token = call.state.fresh_secret("sbx-", 2);
    call.state
        .sessions
        .insert(token.clone(), Session { user_id });
    Reply::data(&AuthToken {
        token,
        extra: Map::new(),
    })
}

pub(super) fn logout(call: &mut Call<'_>, r: LogoutRequest) -> Outcome {
    if let Some(platform) = &r.platform {
        check_platform(platform)?;
    }
    if let Some(token) = &call.token {
        call.state.sessions.remove(token);
    }
    Ok(Reply::Done)
}

pub(super) fn get_current_user(call: &mut Call<'_>, r: GetCurrentUserRequest) -> Outcome {
    if !r.me {
        return Err(ApiError::bad_request(
            "`me` must be true (without it, `admins/get` lists the account's admins)",
        ));
    }
    let user_id = call.user_id()?;
    let state = &*call.state;
    let user = state
        .users
        .get(&user_id)
        .ok_or_else(|| ApiError::unauthorized("the session's user no longer exists"))?;
    let memberships: Vec<AccountMembership> = user
        .accounts
        .iter()
        .filter_map(|id| state.accounts.get(id))
        .map(|a| AccountMembership {
            account_id: a.id,
            name: Some(a.name.clone()),
            picture: Some(a.picture.clone()),
            active: Some(true),
            username: Some(a.username.clone()),
            plan: Some(a.plan),
            days_left: Some(a.days_left),
            extra: Map::new(),
        })
        .collect();
    let open = user.accounts.first().and_then(|id| state.accounts.get(id));
    let live_chat = open.map(|a| {
        a.contacts
            .values()
            .filter(|c| c.mode == ConversationMode::Human && !c.archived)
            .count() as i64
    });
    let current_account = open.map(|a| CurrentAccount {
        account_id: a.id,
        name: Some(a.name.clone()),
        picture: Some(a.picture.clone()),
        active: Some(true),
        username: Some(a.username.clone()),
        plan: Some(a.plan),
        days_left: Some(a.days_left),
        messenger_id: Some(a.messenger_id.clone()),
        smtp: Some(true),
        features: Some(json!({
            "inbox": true, "flows": true, "ai": true, "booking": true, "ecommerce": true,
            "channels": { "messenger": true, "webchat": true }
        })),
        currency_symbol: Some(a.currency_symbol.clone()),
        decimals: Some(2),
        live_chat_count: live_chat,
        extra: Map::new(),
    });
    let answer = CurrentUser {
        account_id: open.map(|a| a.id),
        me: Some(UserProfile {
            id: user.id,
            first_name: Some(user.first_name.clone()),
            last_name: Some(user.last_name.clone()),
            profile_pic: Some(user.profile_pic.clone()),
            email: Some(user.email.clone()),
            account_id: open.map(|a| a.id),
            contact_id: Some(0),
            owner_id: open.map(|a| a.owner_id),
            extra: Map::new(),
        }),
        kind: Some("bot".into()),
        accounts: Some(memberships),
        current_account,
        live_chat_count: live_chat,
        extra: Map::new(),
    };
    Reply::beside(&answer)
}

pub(super) fn register_device(call: &mut Call<'_>, r: RegisterDeviceRequest) -> Outcome {
    check_platform(&r.platform)?;
    if r.fcm_token.trim().is_empty() {
        return Err(ApiError::bad_request("`firebaseToken` must not be empty"));
    }
    let user_id = call.user_id()?;
    call.state.tick();
    call.account_mut()?.devices.insert(
        r.fcm_token,
        Device {
            user_id,
            platform: r.platform.as_str().to_owned(),
            brand: r.brand,
            model: r.model,
        },
    );
    Ok(Reply::Done)
}
