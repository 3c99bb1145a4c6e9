//! A REST request's params gathered into one JSON object by wire name, as
//! `AnyRequest::from_operation` reads them: the path params, the query, and the form or JSON
//! body. Path, query and form values are text; the typed request reads numbers and flags from
//! text as the SDK's decoding does everywhere.

use serde_json::{Map, Value};

/// A request body, read by its `Content-Type`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Body {
    /// No body (or only blanks).
    Empty,
    /// `application/x-www-form-urlencoded`: its fields in order.
    Form(Vec<(String, String)>),
    /// A JSON object.
    Json(Map<String, Value>),
}

/// The body `bytes` sent with `content_type`: a form when the type says so, else JSON, which
/// must be an object.
pub(crate) fn read_body(content_type: Option<&str>, bytes: &[u8]) -> Result<Body, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Body::Empty);
    }
    let media = content_type
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if media == "application/x-www-form-urlencoded" {
        return Ok(Body::Form(pairs(bytes)));
    }
    if media.starts_with("multipart/") {
        return Err("the public API takes a form or a JSON object, not a multipart body".into());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(Body::Json(map)),
        Ok(other) => Err(format!(
            "the body must be a JSON object, not {}",
            kind(&other)
        )),
        Err(e) => Err(format!("the body is not JSON: {e}")),
    }
}

/// The params of a request in one object: the body's members, then the query's, then the path
/// params (a later source wins, so that nothing in a body or a query redirects the route's
/// ids). A key repeated in a query or a form keeps its last value.
pub(crate) fn gather(
    path_params: Vec<(&str, String)>,
    query: Option<&str>,
    body: Body,
) -> Map<String, Value> {
    let mut params = match body {
        Body::Empty => Map::new(),
        Body::Json(map) => map,
        Body::Form(fields) => texts(fields),
    };
    params.extend(texts(pairs(query.unwrap_or_default().as_bytes())));
    params.extend(
        path_params
            .into_iter()
            .map(|(name, value)| (name.to_owned(), Value::String(value))),
    );
    params
}

fn pairs(encoded: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(encoded).into_owned().collect()
}

fn texts(pairs: Vec<(String, String)>) -> Map<String, Value> {
    pairs
        .into_iter()
        .map(|(key, value)| (key, Value::String(value)))
        .collect()
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bodies_are_read_by_their_content_type() {
        assert_eq!(read_body(None, b" \n"), Ok(Body::Empty));
        assert_eq!(
            read_body(
                Some("application/x-www-form-urlencoded; charset=utf-8"),
                b"value=Red+roast&amount_received=4200"
            ),
            Ok(Body::Form(vec![
                ("value".to_owned(), "Red roast".to_owned()),
                ("amount_received".to_owned(), "4200".to_owned())
            ]))
        );
        let json = read_body(Some("application/json"), br#"{"text": "Hi"}"#);
        assert_eq!(
            json,
            Ok(Body::Json(
                json!({"text": "Hi"}).as_object().unwrap().clone()
            ))
        );
        // A body without a type is read as JSON, as the API's clients send it.
        assert!(matches!(read_body(None, b"{}"), Ok(Body::Json(_))));
        assert!(read_body(Some("application/json"), b"[1]")
            .unwrap_err()
            .contains("a list"));
        assert!(read_body(Some("application/json"), b"{").is_err());
        assert!(read_body(Some("multipart/form-data; boundary=x"), b"--x").is_err());
    }

    #[test]
    fn path_params_win_over_the_query_which_wins_over_the_body() {
        let body = Body::Json(
            json!({"contact_id": "from the body", "text": "Hi", "offset": 5})
                .as_object()
                .unwrap()
                .clone(),
        );
        let params = gather(
            vec![("contact_id", "7".to_owned())],
            Some("offset=10&limit=2&limit=3&field_id=phone"),
            body,
        );
        assert_eq!(
            Value::Object(params),
            json!({
                "contact_id": "7",
                "text": "Hi",
                "offset": "10",
                "limit": "3",
                "field_id": "phone"
            })
        );
        let params = gather(
            Vec::new(),
            None,
            Body::Form(vec![("value".to_owned(), "a+b".to_owned())]),
        );
        assert_eq!(Value::Object(params), json!({"value": "a+b"}));
    }
}
