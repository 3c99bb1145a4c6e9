//! Logins, sessions, the logged user and push devices.

use chatrace::operations::{
    GetCurrentUserRequest, GetWhitelabelRequest, LoginWithAppleRequest, LoginWithFacebookRequest,
    LoginWithGoogleRequest, LoginWithMicrosoftRequest, LogoutRequest, RegisterDeviceRequest,
    RequestEmailOtpRequest, ValidateEmailOtpRequest,
};
use chatrace::types::{AccountMembership, AuthToken, CurrentUser, OtpRequest, Platform};
use serde_json::Map;

use super::{ApiError, Call, Outcome, Reply};
use crate::state::{Device, Session};

/// The token the docs' social login examples send (`"idToken":"..."`): accepted like the
/// sandbox's own test tokens, so that the examples run as written.
const DOCS_PLACEHOLDER_TOKEN: &str = "...";

pub(super) fn get_whitelabel(call: &mut Call<'_>, r: GetWhitelabelRequest) -> Outcome {
    let ours = call.state.whitelabel.domain.as_deref().unwrap_or_default();
    if let Some(domain) = r.domain.as_deref().filter(|d| !d.is_empty()) {
        if !domain.eq_ignore_ascii_case(ours) {
            return Err(ApiError::not_found(format!(
                "no white-label has the domain {domain}"
            )));
        }
    }
    Reply::data(&call.state.whitelabel)
}

pub(super) fn request_email_otp(call: &mut Call<'_>, r: RequestEmailOtpRequest) -> Outcome {
    let email = r.email.trim().to_lowercase();
    let looks_like_email = email
        .split_once('@')
        .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
    if !looks_like_email {
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
    Reply::data(&OtpRequest {
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
    let user_id = call
        .state
        .users
        .values()
        .find(|u| u.email == email)
        .map(|u| u.id)
        .ok_or_else(|| ApiError::not_found(format!("no user has the email {email}")))?;
    call.state.otp_requests.remove(&r.rid);
    start_session(call, user_id)
}

pub(super) fn login_with_google(call: &mut Call<'_>, r: LoginWithGoogleRequest) -> Outcome {
    let expected = call.state.credentials.google_id_token.clone();
    social_login(
        call,
        r.platform.as_ref(),
        &r.id_token,
        &expected,
        "Google id token",
    )
}

pub(super) fn login_with_microsoft(call: &mut Call<'_>, r: LoginWithMicrosoftRequest) -> Outcome {
    let expected = call.state.credentials.microsoft_id_token.clone();
    social_login(
        call,
        r.platform.as_ref(),
        &r.id_token,
        &expected,
        "Microsoft id token",
    )
}

pub(super) fn login_with_apple(call: &mut Call<'_>, r: LoginWithAppleRequest) -> Outcome {
    let expected = call.state.credentials.apple_identity_token.clone();
    social_login(
        call,
        r.platform.as_ref(),
        &r.identity_token,
        &expected,
        "Apple identity token",
    )
}

pub(super) fn login_with_facebook(call: &mut Call<'_>, r: LoginWithFacebookRequest) -> Outcome {
    let expected = call.state.credentials.facebook_access_token.clone();
    social_login(
        call,
        r.platform.as_ref(),
        &r.access_token,
        &expected,
        "Facebook access token",
    )
}

fn social_login(
    call: &mut Call<'_>,
    platform: Option<&Platform>,
    token: &str,
    expected: &str,
    what: &str,
) -> Outcome {
    if let Some(platform) = platform {
        check_platform(platform)?;
    }
    if token != expected && token != DOCS_PLACEHOLDER_TOKEN {
        return Err(ApiError::unauthorized(format!(
            "invalid {what}: the sandbox accepts only its test token"
        )));
    }
    let user_id = call.state.demo_user;
    start_session(call, user_id)
}

fn check_platform(platform: &Platform) -> Result<(), ApiError> {
    match platform {
        Platform::Ios | Platform::Android => Ok(()),
        Platform::Unknown(other) => Err(ApiError::bad_request(format!(
            "the platform must be `ios` or `android`, not `{other}`"
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

pub(super) fn logout(call: &mut Call<'_>, _r: LogoutRequest) -> Outcome {
    if let Some(token) = &call.token {
        call.state.sessions.remove(token);
    }
    Ok(Reply::Done)
}

pub(super) fn get_current_user(call: &mut Call<'_>, _r: GetCurrentUserRequest) -> Outcome {
    let user = call.user()?;
    let accounts = user
        .accounts
        .iter()
        .filter_map(|(id, role)| {
            call.state.accounts.get(id).map(|a| AccountMembership {
                id: a.id,
                name: Some(a.name.clone()),
                role: Some(role.clone()),
                picture: Some(a.picture.clone()),
                extra: Map::new(),
            })
        })
        .collect();
    Reply::data(&CurrentUser {
        id: user.id,
        name: Some(user.name.clone()),
        email: Some(user.email.clone()),
        picture: Some(user.picture.clone()),
        accounts: Some(accounts),
        extra: Map::new(),
    })
}

pub(super) fn register_device(call: &mut Call<'_>, r: RegisterDeviceRequest) -> Outcome {
    check_platform(&r.platform)?;
    if r.fcm_token.trim().is_empty() {
        return Err(ApiError::bad_request("`fcm_token` must not be empty"));
    }
    let device = Device {
        user_id: call.user_id()?,
        platform: r.platform.as_str().to_owned(),
        name: r.device_name,
    };
    // Registering the same token again changes nothing.
    if call.state.devices.get(&r.fcm_token) != Some(&device) {
        call.state.tick();
        call.state.devices.insert(r.fcm_token, device);
    }
    Ok(Reply::Done)
}
