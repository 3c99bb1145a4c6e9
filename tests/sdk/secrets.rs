//! Credentials never show in `Debug`: every shared type with a `secret` field and every request
//! with a `secret` param, as the catalogue marks them (a secret added later is walked too); nor
//! in the errors of a call whose server echoes them.

use chatrace::{AnyRequest, Scope, OPERATIONS};
use chatrace_codegen::model::{Scalar, TypeKind, TypeRef};
use serde_json::{json, Map, Value};

const SENTINEL: &str = "SENTINEL-7f3c9e-credential";

/// A plausible value of a required field that is not the secret.
fn sample(ty: &TypeRef) -> Value {
    match ty {
        TypeRef::Scalar(Scalar::Boolean) => json!(true),
        TypeRef::Scalar(Scalar::Integer | Scalar::Number) => json!(1),
        TypeRef::List(_) => json!([]),
        _ => json!("1"),
    }
}

#[test]
fn every_type_holding_a_secret_redacts_it_in_debug() {
    let catalogue =
        chatrace_codegen::load_file(concat!(env!("CARGO_MANIFEST_DIR"), "/api-spec.yaml"))
            .expect("the catalogue is valid");
    let mut checked = Vec::new();
    for ty in &catalogue.types {
        let TypeKind::Struct { fields } = &ty.kind else {
            continue;
        };
        if !fields.iter().any(|f| f.secret) {
            continue;
        }
        let mut object = Map::new();
        for field in fields {
            if field.secret {
                object.insert(field.wire.clone(), json!(SENTINEL));
            } else if field.required {
                object.insert(field.wire.clone(), sample(&field.ty));
            }
        }
        let debug = chatrace::types::debug_of_secret_holder(&ty.name, Value::Object(object))
            .unwrap_or_else(|| panic!("{} holds a secret but has no Debug check", ty.name))
            .unwrap_or_else(|e| panic!("{} does not decode: {e}", ty.name));
        assert!(
            !debug.contains(SENTINEL),
            "{} shows its secret: {debug}",
            ty.name
        );
        assert!(debug.contains("***"), "{}: {debug}", ty.name);
        checked.push(ty.name.clone());
    }
    assert!(
        checked.iter().any(|name| name == "AuthToken"),
        "the login answer's token is a secret: {checked:?}"
    );
}

#[test]
fn every_request_with_a_secret_param_redacts_it_in_debug() {
    let mut checked = Vec::new();
    for meta in OPERATIONS
        .iter()
        .filter(|m| m.params.iter().any(|p| p.secret))
    {
        let mut body = Map::new();
        for (key, value) in meta.discriminators {
            body.insert((*key).to_owned(), json!(value));
        }
        if meta.scope == Scope::Account {
            body.insert("account_id".into(), json!(1));
        }
        let mut data = Map::new();
        for param in meta.params {
            let value = if param.secret {
                json!(SENTINEL)
            } else if !param.required {
                continue;
            } else if let chatrace::TypeShape::Enum {
                values: [first, ..],
                ..
            } = param.ty
            {
                json!(first)
            } else {
                json!("1")
            };
            match param.location {
                chatrace::ParamLocation::Top => body.insert(param.wire.to_owned(), value),
                chatrace::ParamLocation::Data => data.insert(param.wire.to_owned(), value),
                // Headers are not in the body; `OPERATIONS` holds mobile operations only, whose
                // params have no REST location.
                chatrace::ParamLocation::Header
                | chatrace::ParamLocation::Path
                | chatrace::ParamLocation::Query
                | chatrace::ParamLocation::Form
                | chatrace::ParamLocation::Body => None,
            };
        }
        if !data.is_empty() {
            body.insert("data".into(), Value::Object(data));
        }
        let request = AnyRequest::from_json(Value::Object(body), |_| None)
            .unwrap_or_else(|e| panic!("{}: {e}", meta.name));
        assert_eq!(request.meta().name, meta.name);
        let debug = format!("{request:?}");
        assert!(
            !debug.contains(SENTINEL),
            "{} shows its secret: {debug}",
            meta.name
        );
        assert!(debug.contains("***"), "{}: {debug}", meta.name);
        checked.push(meta.name);
    }
    for login in [
        "login_with_google",
        "login_with_microsoft",
        "login_with_apple",
        "login_with_facebook",
        "validate_email_otp",
    ] {
        let has_secret = OPERATIONS
            .iter()
            .find(|m| m.name == login)
            .is_some_and(|m| m.params.iter().any(|p| p.secret));
        if has_secret {
            assert!(checked.contains(&login), "{login} was checked");
        }
    }
    assert!(
        checked.len() >= 4,
        "the social logins carry credentials: {checked:?}"
    );
}

/// A server that echoes the request in its error (`you sent {..."code":"987654"}`) does not get
/// a secret param's value (an email's one-time code) into the error: not in `Display`, not in
/// `Debug`, not in the body the error keeps, whether it echoes it as is or JSON-escaped.
#[tokio::test]
async fn a_secret_param_echoed_in_an_error_is_masked() {
    let code = "987654";
    let echo = json!({
        "status": "ERROR",
        "code": 2,
        "message": format!(r#"you sent {{"data":{{"code":"{code}"}}}}"#),
        "sent": {"data": {"code": code}},
    });
    let server =
        crate::common::Recorder::start(crate::common::Answer::json(echo.to_string())).await;
    let client = crate::common::client(&server.url);
    let error = client
        .validate_email_otp(chatrace::types::OtpRequestId::new("r-1"), code)
        .send()
        .await
        .expect_err("refused");
    let shown = format!(
        "{error} {error:?} {}",
        error.body().map(|b| b.text()).unwrap_or_default()
    );
    assert!(!shown.contains(code), "{shown}");
    assert!(shown.contains("you sent"), "{shown}");
    // The request did carry it.
    assert!(String::from_utf8_lossy(&server.last().body).contains(code));
}
