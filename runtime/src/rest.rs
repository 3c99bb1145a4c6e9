//! The public API's wire: how a REST call goes out. The request's params, written as one JSON
//! object by wire name, are sent where the operation's metadata puts each: a `{name}` of the
//! path (escaped), the query, a form body or a JSON body.

use bytes::Bytes;
use reqwest::header::HeaderValue;
use reqwest::{Method, Url};
use serde_json::{Map, Value};

use crate::error::Error;
use crate::meta::{HttpMeta, HttpMethod, OperationMeta, ParamLocation};

/// A REST call, ready to send (again, on retries).
#[derive(Debug, Clone)]
pub(crate) struct RestCall {
    /// The method.
    pub(crate) method: Method,
    /// The base URL joined with the filled path, and the query.
    pub(crate) url: Url,
    /// The body and its content type; `None` for a method without one.
    pub(crate) body: Option<(HeaderValue, Bytes)>,
}

/// The call of `meta` (a REST operation, its route `http`) with the params in `params`,
/// against the base URL `base`.
pub(crate) fn call(
    meta: &'static OperationMeta,
    http: &HttpMeta,
    base: &Url,
    params: Value,
) -> Result<RestCall, Error> {
    let mut params = match params {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        _ => return Err(config(meta, "the request does not write a JSON object")),
    };
    let mut url = base.clone();
    {
        let mut segments = url
            .path_segments_mut()
            .map_err(|()| config(meta, "the base URL cannot take a path"))?;
        // The base is a folder: `https://app.example.com/api` and `.../api/` are the same.
        segments.pop_if_empty();
        for segment in http.path.trim_start_matches('/').split('/') {
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => {
                    let value = params
                        .remove(name)
                        .filter(|v| !v.is_null())
                        .ok_or_else(|| {
                            config(meta, &format!("the path param `{name}` has no value"))
                        })?;
                    let text = scalar_text(&value).ok_or_else(|| {
                        config(
                            meta,
                            &format!("the path param `{name}` is not text or a number"),
                        )
                    })?;
                    segments.push(&text);
                }
                None => {
                    segments.push(segment);
                }
            }
        }
    }
    let taken = |params: &mut Map<String, Value>, location: ParamLocation| {
        meta.params
            .iter()
            .filter(|p| p.location == location)
            .filter_map(|p| Some((p.wire, params.remove(p.wire)?)))
            .filter(|(_, v)| !v.is_null())
            .collect::<Vec<(&str, Value)>>()
    };
    let query = taken(&mut params, ParamLocation::Query);
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (key, value) in &query {
            for text in texts(value) {
                pairs.append_pair(key, &text);
            }
        }
    }
    let form = taken(&mut params, ParamLocation::Form);
    let json = taken(&mut params, ParamLocation::Body);
    let body = if !form.is_empty() {
        let mut encoder = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in &form {
            for text in texts(value) {
                encoder.append_pair(key, &text);
            }
        }
        Some((
            HeaderValue::from_static("application/x-www-form-urlencoded"),
            Bytes::from(encoder.finish()),
        ))
    } else if !json.is_empty() {
        let object: Map<String, Value> = json
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect();
        let bytes = serde_json::to_vec(&object)
            .map_err(|e| config(meta, &format!("cannot encode the request: {e}")))?;
        Some((
            HeaderValue::from_static("application/json"),
            Bytes::from(bytes),
        ))
    } else if carries_body(http.method) {
        // A write with nothing to send still says so (`Content-Length: 0`): the server refuses
        // a POST without a length.
        Some((HeaderValue::from_static("application/json"), Bytes::new()))
    } else {
        None
    };
    Ok(RestCall {
        method: method(http.method),
        url,
        body,
    })
}

/// Whether requests of `method` carry a body.
fn carries_body(method: HttpMethod) -> bool {
    matches!(
        method,
        HttpMethod::Post | HttpMethod::Put | HttpMethod::Patch
    )
}

/// The HTTP client's method.
fn method(method: HttpMethod) -> Method {
    match method {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Delete => Method::DELETE,
    }
}

/// The text of a scalar as a URL or a form carries it: a string as it is, a number or a
/// boolean as JSON writes it; `None` for arrays, objects and null.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// The texts a query or form key carries for `value`: one per item of a list (the key is
/// repeated), a JSON text for an object.
fn texts(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().flat_map(texts).collect(),
        other => vec![scalar_text(other).unwrap_or_else(|| other.to_string())],
    }
}

fn config(meta: &'static OperationMeta, what: &str) -> Error {
    Error::config(format!("{}: {what}", meta.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{
        Api, Auth, BodyEncoding, OperationKind, ParamMeta, Provenance, ResponseIn, Scalar, Scope,
        TypeShape, WireAs,
    };
    use serde_json::json;

    const fn param(wire: &'static str, location: ParamLocation) -> ParamMeta {
        ParamMeta {
            wire,
            rust: wire,
            ty: TypeShape::Scalar(Scalar::String),
            required: false,
            location,
            wire_as: WireAs::String,
            doc: "",
            default: None,
            secret: false,
        }
    }

    const fn meta(
        method: HttpMethod,
        path: &'static str,
        params: &'static [ParamMeta],
    ) -> OperationMeta {
        OperationMeta {
            name: "an_operation",
            title: "",
            summary: "",
            api: Api::Public,
            http: Some(HttpMeta { method, path }),
            provenance: Provenance::Swagger,
            inferred: &[],
            kind: OperationKind::Read,
            discriminators: &[],
            auth: Auth::Token,
            scope: Scope::None,
            account_as: WireAs::Number,
            session: None,
            body: BodyEncoding::Json,
            retry_safe: true,
            constants: &[],
            params,
            paging: None,
            response: None,
            response_in: ResponseIn::Data,
            examples: &[],
        }
    }

    fn sent(meta: &'static OperationMeta, base: &str, params: Value) -> RestCall {
        let http = meta.http.expect("a REST operation");
        call(meta, &http, &Url::parse(base).expect("a URL"), params).expect("a call")
    }

    fn body_text(call: &RestCall) -> Option<(String, String)> {
        call.body.as_ref().map(|(kind, bytes)| {
            (
                kind.to_str().unwrap_or_default().to_owned(),
                String::from_utf8_lossy(bytes).into_owned(),
            )
        })
    }

    static FIND: OperationMeta = meta(
        HttpMethod::Get,
        "/contacts/find_by_custom_field",
        &[
            param("field_id", ParamLocation::Query),
            param("value", ParamLocation::Query),
        ],
    );

    #[test]
    fn query_params_are_encoded_and_joined_to_the_base_folder() {
        for base in ["https://api.chatrace.com/", "https://api.chatrace.com"] {
            let call = sent(
                &FIND,
                base,
                json!({"field_id": "phone", "value": "+1 555&x"}),
            );
            assert_eq!(call.method, Method::GET);
            assert_eq!(
                call.url.as_str(),
                "https://api.chatrace.com/contacts/find_by_custom_field?field_id=phone&value=%2B1+555%26x"
            );
            assert!(call.body.is_none());
        }
        // A white-label serves the API under a folder of its own.
        let call = sent(
            &FIND,
            "https://app.example.com/api",
            json!({"field_id": "-8", "value": 1}),
        );
        assert_eq!(
            call.url.as_str(),
            "https://app.example.com/api/contacts/find_by_custom_field?field_id=-8&value=1"
        );
    }

    static SET_FIELD: OperationMeta = meta(
        HttpMethod::Post,
        "/contacts/{contact_id}/custom_fields/{custom_field_id}",
        &[
            param("contact_id", ParamLocation::Path),
            param("custom_field_id", ParamLocation::Path),
            param("value", ParamLocation::Form),
        ],
    );

    #[test]
    fn path_params_are_escaped_segments_and_form_params_a_form() {
        let call = sent(
            &SET_FIELD,
            "https://api.chatrace.com/",
            json!({"contact_id": 15551234, "custom_field_id": "a/b c", "value": "x=1&y"}),
        );
        assert_eq!(call.method, Method::POST);
        assert_eq!(
            call.url.as_str(),
            "https://api.chatrace.com/contacts/15551234/custom_fields/a%2Fb%20c"
        );
        assert_eq!(
            body_text(&call),
            Some((
                "application/x-www-form-urlencoded".to_owned(),
                "value=x%3D1%26y".to_owned()
            ))
        );
        let missing = call_error(&SET_FIELD, json!({"contact_id": 1, "value": "v"}));
        assert!(
            missing.contains("`custom_field_id` has no value"),
            "{missing}"
        );
    }

    fn call_error(meta: &'static OperationMeta, params: Value) -> String {
        let http = meta.http.expect("a REST operation");
        let base = Url::parse("https://api.chatrace.com/").expect("a URL");
        match call(meta, &http, &base, params) {
            Ok(call) => panic!("sent {call:?}"),
            Err(error) => error.to_string(),
        }
    }

    static SEND_TEXT: OperationMeta = meta(
        HttpMethod::Post,
        "/contacts/{contact_id}/send/text",
        &[
            param("contact_id", ParamLocation::Path),
            param("text", ParamLocation::Body),
            param("channel", ParamLocation::Body),
        ],
    );

    static SEND_FLOW: OperationMeta = meta(
        HttpMethod::Post,
        "/contacts/{contact_id}/send/{flow_id}",
        &[
            param("contact_id", ParamLocation::Path),
            param("flow_id", ParamLocation::Path),
        ],
    );

    static DELETE_TAG: OperationMeta = meta(
        HttpMethod::Delete,
        "/accounts/tags/{tag_id}",
        &[param("tag_id", ParamLocation::Path)],
    );

    #[test]
    fn body_params_make_a_json_object_and_a_bare_write_an_empty_body() {
        let call = sent(
            &SEND_TEXT,
            "https://api.chatrace.com/",
            json!({"contact_id": "7", "text": "Hi", "channel": null}),
        );
        assert_eq!(call.url.path(), "/contacts/7/send/text");
        assert_eq!(
            body_text(&call),
            Some(("application/json".to_owned(), r#"{"text":"Hi"}"#.to_owned()))
        );
        let call = sent(
            &SEND_FLOW,
            "https://api.chatrace.com/",
            json!({"contact_id": "7", "flow_id": 9}),
        );
        assert_eq!(call.url.path(), "/contacts/7/send/9");
        assert_eq!(
            body_text(&call),
            Some(("application/json".to_owned(), String::new()))
        );
        let call = sent(
            &DELETE_TAG,
            "https://api.chatrace.com/",
            json!({"tag_id": 3}),
        );
        assert_eq!((call.method, call.body.is_none()), (Method::DELETE, true));
    }

    #[test]
    fn lists_repeat_their_key() {
        assert_eq!(texts(&json!([1, "a", [true]])), vec!["1", "a", "true"]);
        assert_eq!(texts(&json!({"a": 1})), vec![r#"{"a":1}"#]);
    }
}
