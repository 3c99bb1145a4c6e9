//! Reading request bodies back into typed requests: what a server (the sandbox) needs to
//! answer the SDK's own requests with the SDK's own types.

use crate::Operation;
use serde_json::{Map, Value};
use std::fmt;

/// Why a request body could not be read as a request of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseRequestError {
    /// The body is not a JSON object.
    NotAnObject,
    /// The discriminators name no operation of the catalogue.
    UnknownOperation {
        /// The discriminators that were sent, as `op=.. op1=..`.
        discriminators: String,
    },
    /// The body names an operation but does not fit its params.
    Invalid {
        /// The operation's name.
        operation: &'static str,
        /// What does not fit, as serde says it.
        message: String,
    },
}

impl ParseRequestError {
    /// The error for a body whose discriminators match no operation.
    pub fn unknown_operation(body: &Value) -> Self {
        let sent: Vec<String> = ["op", "op1", "op2", "op3"]
            .iter()
            .filter_map(|key| body.get(key).map(|v| format!("{key}={v}")))
            .collect();
        ParseRequestError::UnknownOperation {
            discriminators: if sent.is_empty() {
                "none".to_string()
            } else {
                sent.join(" ")
            },
        }
    }
}

impl fmt::Display for ParseRequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseRequestError::NotAnObject => f.write_str("the request body is not a JSON object"),
            ParseRequestError::UnknownOperation { discriminators } => {
                write!(
                    f,
                    "unknown operation: no operation has the discriminators {discriminators}"
                )
            }
            ParseRequestError::Invalid { operation, message } => {
                write!(f, "invalid {operation} request: {message}")
            }
        }
    }
}

impl std::error::Error for ParseRequestError {}

/// Checks that `body` is an object and copies the header params the server received into it,
/// under their header names, so that request types read them like body keys.
pub fn prepare_request_body(
    body: Value,
    header_names: &[&str],
    header: impl Fn(&str) -> Option<String>,
) -> Result<Value, ParseRequestError> {
    let Value::Object(mut map) = body else {
        return Err(ParseRequestError::NotAnObject);
    };
    for name in header_names {
        if let Some(value) = header(name) {
            map.insert((*name).to_string(), Value::String(value));
        }
    }
    Ok(Value::Object(map))
}

/// The `op`, `op1`, `op2` and `op3` strings of a body (absent or not a string: `None`).
pub fn discriminators_of(body: &Value) -> [Option<&str>; 4] {
    ["op", "op1", "op2", "op3"].map(|key| body.get(key).and_then(Value::as_str))
}

/// Whether every path (`id`, `data.code`) is present in `body` and not null.
pub fn has_paths(body: &Value, paths: &[&str]) -> bool {
    paths.iter().all(|path| {
        let mut value = body;
        for part in path.split('.') {
            match value.get(part) {
                Some(inner) => value = inner,
                None => return false,
            }
        }
        !value.is_null()
    })
}

/// Whether every constant (`(path, JSON text)`, as `("data.fb_id", "0")`) holds in `body`. A
/// number and a string holding it count as the same value, as the server reads them.
pub fn holds_constants(body: &Value, constants: &[(&str, &str)]) -> bool {
    constants.iter().all(|(path, text)| {
        let mut value = body;
        for part in path.split('.') {
            match value.get(part) {
                Some(inner) => value = inner,
                None => return false,
            }
        }
        match serde_json::from_str::<Value>(text) {
            Ok(expected) => loosely_equal(value, &expected),
            Err(_) => false,
        }
    })
}

/// JSON values equal once a number and a string holding it are taken as the same.
fn loosely_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) => {
            n.to_string() == s.trim()
        }
        _ => a == b,
    }
}

/// What one discriminator (`op`, `op1`, `op2`, `op3`) of a body must be for a [`Route`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discriminator {
    /// Absent (or not a string).
    Absent,
    /// Any string: the caller chooses it (it is a param).
    Any,
    /// This string.
    Is(&'static str),
}

impl Discriminator {
    fn admits(self, sent: Option<&str>) -> bool {
        match self {
            Discriminator::Absent => sent.is_none(),
            Discriminator::Any => sent.is_some(),
            Discriminator::Is(value) => sent == Some(value),
        }
    }
}

/// How a server recognizes the body of one operation, and reads it. Generated code declares one
/// per operation of the catalogue, in the order they are tried (the most specific first); see
/// [`route_request`].
#[derive(Debug)]
pub struct Route<R: 'static> {
    /// What `op`, `op1`, `op2` and `op3` must be.
    pub discriminators: [Discriminator; 4],
    /// The constants the body must hold (`(path, JSON text)`, see [`holds_constants`]).
    pub constants: &'static [(&'static str, &'static str)],
    /// The paths of the required params, which the body must have (see [`has_paths`]).
    pub required: &'static [&'static str],
    /// Reads the body as the operation's request.
    pub parse: fn(&Value) -> Result<R, ParseRequestError>,
}

impl<R> Route<R> {
    /// Whether this route recognizes `body`, whose discriminators are `sent`.
    fn recognizes(&self, body: &Value, sent: &[Option<&str>; 4]) -> bool {
        self.discriminators
            .iter()
            .zip(sent)
            .all(|(wanted, sent)| wanted.admits(*sent))
            && holds_constants(body, self.constants)
            && has_paths(body, self.required)
    }
}

/// Reads a request body as the vendor's server tells operations apart: the header params
/// (`header` is called with each of `header_names`) are copied into the body, then the first
/// of `routes` whose discriminators, constants and required params the body has reads it.
///
/// # Errors
///
/// [`ParseRequestError::NotAnObject`], [`ParseRequestError::UnknownOperation`] when no route
/// recognizes the body, or the recognizing route's [`ParseRequestError::Invalid`].
pub fn route_request<R>(
    body: Value,
    header_names: &[&str],
    header: impl Fn(&str) -> Option<String>,
    routes: &[Route<R>],
) -> Result<R, ParseRequestError> {
    let body = prepare_request_body(body, header_names, header)?;
    let sent = discriminators_of(&body);
    match routes.iter().find(|route| route.recognizes(&body, &sent)) {
        Some(route) => (route.parse)(&body),
        None => Err(ParseRequestError::unknown_operation(&body)),
    }
}

/// Decodes `body` as a request of `Op`.
pub fn parse_request<Op: Operation + serde::de::DeserializeOwned>(
    body: &Value,
) -> Result<Op, ParseRequestError> {
    Op::deserialize(body).map_err(|e| ParseRequestError::Invalid {
        operation: Op::META.name,
        message: e.to_string(),
    })
}

/// A body as a JSON map, for servers that edit it before parsing.
pub fn body_map(body: Value) -> Result<Map<String, Value>, ParseRequestError> {
    match body {
        Value::Object(map) => Ok(map),
        _ => Err(ParseRequestError::NotAnObject),
    }
}

#[cfg(test)]
mod tests {
    use super::Discriminator::{Absent, Any, Is};
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_are_found_through_data() {
        let body = json!({"id": 1, "data": {"code": "1"}, "gone": null});
        assert!(has_paths(&body, &["id", "data.code"]));
        assert!(!has_paths(&body, &["data.other"]));
        assert!(!has_paths(&body, &["gone"]));
    }

    #[test]
    fn constants_hold_loosely() {
        let body = json!({"me": true, "account_id": null, "data": {"fb_id": "0"}});
        assert!(holds_constants(
            &body,
            &[("me", "true"), ("account_id", "null")]
        ));
        assert!(holds_constants(&body, &[("data.fb_id", "0")]));
        assert!(!holds_constants(&body, &[("basic_info", "true")]));
        assert!(!holds_constants(
            &json!({"data": {"fb_id": 7}}),
            &[("data.fb_id", "0")]
        ));
        assert!(!holds_constants(
            &json!({"account_id": 5}),
            &[("account_id", "null")]
        ));
    }

    /// Two routes sharing their discriminators, told apart by a constant, the most specific
    /// first; a third whose `op1` the caller chooses.
    const ROUTES: &[Route<&str>] = &[
        Route {
            discriminators: [Is("admins"), Is("get"), Absent, Absent],
            constants: &[("me", "true")],
            required: &[],
            parse: |_| Ok("get_current_user"),
        },
        Route {
            discriminators: [Is("admins"), Is("get"), Absent, Absent],
            constants: &[],
            required: &[],
            parse: |_| Ok("list_admins"),
        },
        Route {
            discriminators: [Is("upload"), Any, Absent, Absent],
            constants: &[],
            required: &["data.file"],
            parse: |body| match body["op1"].as_str() {
                Some("image") => Ok("upload_image"),
                _ => Err(ParseRequestError::Invalid {
                    operation: "upload",
                    message: "not an image".to_owned(),
                }),
            },
        },
    ];

    fn route(body: Value) -> Result<&'static str, ParseRequestError> {
        route_request(body, &["X-PLATFORM"], |_| None, ROUTES)
    }

    #[test]
    fn the_first_route_that_recognizes_a_body_reads_it() {
        assert_eq!(
            route(json!({"op": "admins", "op1": "get", "me": true})),
            Ok("get_current_user")
        );
        assert_eq!(
            route(json!({"op": "admins", "op1": "get"})),
            Ok("list_admins")
        );
        assert_eq!(
            route(json!({"op": "upload", "op1": "image", "data": {"file": 1}})),
            Ok("upload_image")
        );
        assert!(matches!(
            route(json!({"op": "upload", "op1": "video", "data": {"file": 1}})),
            Err(ParseRequestError::Invalid { .. })
        ));
    }

    #[test]
    fn a_body_no_route_recognizes_is_an_unknown_operation() {
        for body in [
            json!({"op": "admins", "op1": "get", "op2": "x"}),
            json!({"op": "upload", "data": {"file": 1}}),
            json!({"op": "upload", "op1": "image"}),
            json!({"op": "nope"}),
        ] {
            assert!(
                matches!(
                    route(body.clone()),
                    Err(ParseRequestError::UnknownOperation { .. })
                ),
                "{body}"
            );
        }
        assert_eq!(route(json!([])), Err(ParseRequestError::NotAnObject));
    }

    #[test]
    fn headers_are_copied_into_the_body() {
        let body = prepare_request_body(json!({"op": "x"}), &["X-PLATFORM"], |name| {
            (name == "X-PLATFORM").then(|| "ios".to_string())
        })
        .unwrap();
        assert_eq!(body["X-PLATFORM"], "ios");
        assert_eq!(
            prepare_request_body(json!([1]), &[], |_| None),
            Err(ParseRequestError::NotAnObject)
        );
    }

    #[test]
    fn unknown_operations_name_what_was_sent() {
        let error = ParseRequestError::unknown_operation(&json!({"op": "nope", "op1": "x"}));
        assert_eq!(
            error.to_string(),
            r#"unknown operation: no operation has the discriminators op="nope" op1="x""#
        );
    }
}
