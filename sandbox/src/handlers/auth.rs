//! The white-label, logins and sessions, the logged user, push devices.

use chatrace::operations::{
    GetCurrentUserRequest, GetWhitelabelRequest, LoginWithAppleRequest, LoginWithFacebookRequest,
    LoginWithGoogleRequest, LoginWithMicrosoftRequest, LogoutRequest, RegisterDeviceRequest,
    RequestEmailOtpRequest, ValidateEmailOtpRequest,
};
use chatrace::types::{
    AuthToken, EmailLogin, LoginClient, MicrosoftLogin, OtpRequest, OtpRequestId, Platform,
    SmtpSettings, Whitelabel, WhitelabelColors,
};

use super::non_empty;
use crate::call::{data, done, envelope, ApiError, Call, Outcome};
use crate::state::{Account, Session};
use crate::views;
use crate::RegisteredDevice;

/// The token the vendor's social login examples send (`"idToken":"..."`): accepted like the
/// sandbox's own test tokens, so that the examples run as written.
const EXAMPLE_PLACEHOLDER_TOKEN: &str = "...";

pub(super) fn get_whitelabel(call: &mut Call<'_>, _r: GetWhitelabelRequest) -> Outcome {
    let host = call
        .base_url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let client = |provider: &str| {
        let mut built = LoginClient::default();
        built.client = Some(format!("sandbox-{provider}-client"));
        built
    };
    data(&{
        let mut built = Whitelabel::new(chatrace::Id::new(1));
        built.name = Some("ChatRace Sandbox".to_owned());
        built.icon = Some(format!("{}static/icon.png", call.base_url));
        built.privacy_policy_url = Some(format!("{}privacy", call.base_url));
        built.terms_of_service_url = Some(format!("{}terms", call.base_url));
        built.colors = Some({
            let mut built = WhitelabelColors::default();
            built.primary = Some("#1F6FEB".to_owned());
            built.accent = Some("#F78166".to_owned());
            built.link = Some("#1F6FEB".to_owned());
            built
        });
        // The realtime socket, on the same port (`GET /ws`).
        let socket = format!("ws://{host}{}", crate::paths::SOCKET);
        built.app_domain = Some(host);
        built.ws_url = Some(socket.clone());
        built.active = Some(true);
        built.smtp = Some({
            let mut built = SmtpSettings::default();
            built.active = Some(false);
            built
        });
        built.facebook = Some(client("facebook"));
        built.microsoft = Some({
            let mut built = MicrosoftLogin::default();
            built.client = Some("sandbox-microsoft-client".to_owned());
            built.ios_redirect_uri = Some("msauth.test.chatrace.sandbox://auth".to_owned());
            built.tenant = Some("common".to_owned());
            built
        });
        built.google = Some(client("google"));
        built.apple = Some(client("apple"));
        built.email = Some({
            let mut built = EmailLogin::default();
            built.enabled = Some(true);
            built
        });
        built.websocket_url = Some(socket);
        built
    })
}

/// Whether `text` looks like an email address.
fn looks_like_email(text: &str) -> bool {
    text.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
    }) && !text.contains(char::is_whitespace)
}

pub(super) fn request_email_otp(call: &mut Call<'_>, r: RequestEmailOtpRequest) -> Outcome {
    let email = r.email.trim().to_lowercase();
    if !looks_like_email(&email) {
        return Err(ApiError::refused(format!(
            "`{}` is not an email address",
            r.email
        )));
    }
    // A request id is made for any address, known or not, so that the answer does not tell
    // who has an account; only a known user's code is ever accepted.
    let rid = call.state.fresh_secret("", 4);
    call.state.otp_requests.insert(rid.clone(), email);
    envelope(&OtpRequest::new(OtpRequestId::new(rid)))
}

pub(super) fn validate_email_otp(call: &mut Call<'_>, r: ValidateEmailOtpRequest) -> Outcome {
    let rid = r.request_id.as_str();
    let Some(email) = call.state.otp_requests.get(rid).cloned() else {
        return Err(ApiError::login_refused(
            "unknown or used request id (`rid`)",
        ));
    };
    if r.code.trim() != call.state.credentials.otp {
        return Err(ApiError::login_refused("wrong code"));
    }
    let admin_id = call
        .state
        .users
        .values()
        .find(|u| u.email == email)
        .map(|u| u.admin_id)
        .ok_or_else(|| ApiError::login_refused(format!("no user has the email {email}")))?;
    call.state.otp_requests.remove(rid);
    start_session(call, admin_id)
}

pub(super) fn login_with_google(call: &mut Call<'_>, r: LoginWithGoogleRequest) -> Outcome {
    let expected = call.state.credentials.google_id_token.clone();
    social_login(call, r.platform.as_ref(), &r.id_token, &expected)
}

pub(super) fn login_with_microsoft(call: &mut Call<'_>, r: LoginWithMicrosoftRequest) -> Outcome {
    let expected = call.state.credentials.microsoft_id_token.clone();
    social_login(call, r.platform.as_ref(), &r.id_token, &expected)
}

pub(super) fn login_with_apple(call: &mut Call<'_>, r: LoginWithAppleRequest) -> Outcome {
    let expected = call.state.credentials.apple_identity_token.clone();
    social_login(call, r.platform.as_ref(), &r.identity_token, &expected)
}

pub(super) fn login_with_facebook(call: &mut Call<'_>, r: LoginWithFacebookRequest) -> Outcome {
    let expected = call.state.credentials.facebook_access_token.clone();
    social_login(call, r.platform.as_ref(), &r.access_token, &expected)
}

/// Logs the demo user in when `token` is the sandbox's test token for the provider.
fn social_login(
    call: &mut Call<'_>,
    platform: Option<&Platform>,
    token: &str,
    expected: &str,
) -> Outcome {
    if let Some(platform) = platform {
        check_platform(platform)?;
    }
    if token != expected && token != EXAMPLE_PLACEHOLDER_TOKEN {
        return Err(ApiError::login_refused(
            "the sandbox accepts only its test token for this provider",
        ));
    }
    let admin_id = call.state.credentials.admin_id;
    start_session(call, admin_id)
}

fn check_platform(platform: &Platform) -> Result<(), ApiError> {
    match platform {
        Platform::Ios | Platform::Android | Platform::Web => Ok(()),
        other => Err(ApiError::refused(format!(
            "the platform must be ios, android or web, not `{other}`"
        ))),
    }
}

/// A new session for the user, on the first account they may open.
fn start_session(call: &mut Call<'_>, admin_id: u64) -> Outcome {
    let account_id = call
        .state
        .users
        .get(&admin_id)
        .and_then(|u| u.accounts.first().copied())
        .ok_or_else(|| ApiError::login_refused(format!("user {admin_id} may open no account")))?;
    let token = call.state.fresh_secret("sbx-", 2);
    call.state.sessions.insert(
        token.clone(),
        Session {
            admin_id,
            account_id,
        },
    );
    data(&AuthToken::new(token))
}

/// The SDK (following the vendor's collection) sends no token with logout: the server cannot
/// know which session ends, and answers OK. A token sent anyway ends its session.
pub(super) fn logout(call: &mut Call<'_>, r: LogoutRequest) -> Outcome {
    if let Some(platform) = &r.platform {
        check_platform(platform)?;
    }
    if let Some(token) = &call.token {
        call.state.sessions.remove(token);
    }
    done()
}

pub(super) fn get_current_user(call: &mut Call<'_>, _r: GetCurrentUserRequest) -> Outcome {
    let admin_id = call.admin_id()?;
    let user = call
        .state
        .users
        .get(&admin_id)
        .ok_or_else(|| ApiError::invalid_session("the session's user no longer exists"))?;
    let open = call.account()?;
    let pages: Vec<&Account> = user
        .accounts
        .iter()
        .filter_map(|id| call.state.accounts.get(id))
        .collect();
    envelope(&views::current_user(user, open, &pages))
}

pub(super) fn register_device(call: &mut Call<'_>, r: RegisterDeviceRequest) -> Outcome {
    check_platform(&r.platform)?;
    non_empty("firebaseToken", &r.fcm_token)?;
    let device = RegisteredDevice {
        fcm_token: r.fcm_token,
        platform: r.platform.as_str().to_owned(),
        brand: r.brand,
        model: r.model,
        account_id: call.account()?.id,
        admin_id: call.admin_id()?,
    };
    let devices = &mut call.state.devices;
    match devices.iter().position(|d| d.fcm_token == device.fcm_token) {
        // Registering the same device again changes nothing.
        Some(at) if devices[at] == device => {}
        Some(at) => {
            devices[at] = device;
            call.state.tick();
        }
        None => {
            devices.push(device);
            call.state.tick();
        }
    }
    done()
}

#[cfg(test)]
mod tests {
    use super::looks_like_email;

    #[test]
    fn emails_are_told_from_other_text() {
        assert!(looks_like_email("alex.morgan@example.com"));
        assert!(!looks_like_email("alex.morgan"));
        assert!(!looks_like_email("@example.com"));
        assert!(!looks_like_email("alex@localhost"));
        assert!(!looks_like_email("alex @example.com"));
    }
}
