//! The public API on the wire. Every REST operation of the catalogue, built from its params as
//! the Swagger page gives them (the body example verbatim, a sample for each path and query
//! param), goes out with the method, the filled path, the query, the body and the token header
//! its metadata says; and every example model of the Swagger page decodes into the typed
//! output and back with nothing lost. The fixtures are the catalogue's examples, which are the
//! Swagger page's verbatim.

use chatrace::{
    AnyRequest, CallOptions, HttpMethod, OperationMeta, ParamLocation, PublicClient, RetryPolicy,
    TypeShape, PUBLIC_OPERATIONS,
};
use serde_json::{json, Map, Value};

use crate::common::{Answer, Received, Recorder, TOKEN};

/// A public client of `url` with the tests' API token and `retry`.
fn public_client(url: &str, retry: RetryPolicy) -> PublicClient {
    PublicClient::builder()
        .base_url(url)
        .api_token(TOKEN)
        .retry(retry)
        .build()
        .expect("a public client")
}

/// A sample value of a param the Swagger page gives no example of.
fn sample(shape: &TypeShape, wire: &str) -> Value {
    match shape.innermost() {
        TypeShape::Enum { values, .. } => values.first().map_or(Value::Null, |v| {
            v.parse::<i64>().map_or(json!(v), Value::from)
        }),
        TypeShape::Scalar(chatrace::Scalar::Integer | chatrace::Scalar::Number) => json!(5),
        TypeShape::Scalar(chatrace::Scalar::Boolean) => json!(true),
        TypeShape::Id { .. } | TypeShape::Scalar(chatrace::Scalar::Id) => json!("15551234567"),
        _ => json!(format!("{wire} value/with space")),
    }
}

/// The params of a call of `meta`: the example request's body members, and a sample of every
/// other path, query, form and body param (optional ones too, so that every place is seen).
fn params_of(meta: &OperationMeta, request: &str) -> Map<String, Value> {
    let mut params = match serde_json::from_str::<Value>(request) {
        Ok(Value::Object(body)) => body,
        _ => Map::new(),
    };
    for param in meta.params {
        if !params.contains_key(param.wire) {
            params.insert(param.wire.to_owned(), sample(&param.ty, param.wire));
        }
    }
    params
}

fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// What `received` should be for a call of `meta` with `params`; the first difference.
fn check_request(
    meta: &OperationMeta,
    params: &Map<String, Value>,
    received: &Received,
) -> Result<(), String> {
    let name = meta.name;
    let http = meta.http.ok_or_else(|| format!("{name}: no route"))?;
    let method = match http.method {
        HttpMethod::Get => "GET",
        HttpMethod::Post => "POST",
        HttpMethod::Put => "PUT",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Delete => "DELETE",
    };
    if received.method.as_str() != method {
        return Err(format!("{name}: sent {} for {method}", received.method));
    }
    // The path: the template with each `{param}` its value, escaped as one segment.
    let expected_path: String = http
        .path
        .split('/')
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(param) => text(&params[param])
                    .replace('%', "%25")
                    .replace(' ', "%20")
                    .replace('/', "%2F"),
                None => segment.to_owned(),
            },
        )
        .collect::<Vec<_>>()
        .join("/");
    if received.uri.path() != expected_path {
        return Err(format!(
            "{name}: path {} for {expected_path}",
            received.uri.path()
        ));
    }
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(received.uri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let mut expected_query: Vec<(String, String)> = meta
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|p| (p.wire.to_owned(), text(&params[p.wire])))
        .collect();
    expected_query.sort();
    let mut sorted = query.clone();
    sorted.sort();
    if sorted != expected_query {
        return Err(format!("{name}: query {query:?} for {expected_query:?}"));
    }
    if received.header("x-access-token") != Some(TOKEN) {
        return Err(format!("{name}: the API token is not in X-ACCESS-TOKEN"));
    }
    if received.header("accept") != Some("application/json") {
        return Err(format!("{name}: no Accept: application/json"));
    }
    let of = |location: ParamLocation| -> Map<String, Value> {
        meta.params
            .iter()
            .filter(|p| p.location == location)
            .map(|p| (p.wire.to_owned(), params[p.wire].clone()))
            .collect()
    };
    let (form, body) = (of(ParamLocation::Form), of(ParamLocation::Body));
    let content_type = received.header("content-type").unwrap_or_default();
    if !form.is_empty() {
        let sent: Map<String, Value> = url::form_urlencoded::parse(&received.body)
            .into_owned()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        let expected: Map<String, Value> = form
            .iter()
            .map(|(k, v)| (k.clone(), json!(text(v))))
            .collect();
        if sent != expected || content_type != "application/x-www-form-urlencoded" {
            return Err(format!(
                "{name}: form {sent:?} ({content_type}) for {expected:?}"
            ));
        }
    } else if !body.is_empty() {
        let sent = received.json();
        crate::loose::check(&sent, &Value::Object(body))
            .map_err(|diff| format!("{name}: the JSON body differs: {diff}"))?;
    } else if method == "POST" && !received.body.is_empty() {
        return Err(format!("{name}: a body without body params"));
    }
    Ok(())
}

#[tokio::test]
async fn every_public_operation_sends_its_route_and_reads_its_example_model() {
    let server = Recorder::start(Answer::json("{}")).await;
    let client = public_client(&server.url, RetryPolicy::disabled());
    let mut failures = Vec::new();
    let mut checked = 0;
    for meta in PUBLIC_OPERATIONS {
        let examples: Vec<(&str, Option<&str>)> = if meta.examples.is_empty() {
            vec![("", None)]
        } else {
            meta.examples
                .iter()
                .map(|e| (e.request, e.response))
                .collect()
        };
        for (request, response) in examples {
            let params = params_of(meta, request);
            server.answer(Answer::json(response.unwrap_or("")));
            let call = match AnyRequest::from_operation(meta.name, Value::Object(params.clone())) {
                Ok(call) => call,
                Err(e) => {
                    failures.push(format!("{}: the params do not fit: {e}", meta.name));
                    continue;
                }
            };
            let output = call.send(client.handle(), &CallOptions::default()).await;
            if let Err(failure) = check_request(meta, &params, &server.last()) {
                failures.push(failure);
                continue;
            }
            match (output, response) {
                // Without a model the recorder answers nothing, which a required member of
                // the answer's type rightly refuses: only the request is checked then.
                (Err(chatrace::Error::Decode { .. }), None) => {}
                (Err(e), _) => failures.push(format!("{}: {e}", meta.name)),
                (Ok(output), Some(model)) if meta.response.is_some() => {
                    let model: Value = serde_json::from_str(model).expect("the model is JSON");
                    if let Err(diff) = crate::loose::check(&output, &model) {
                        failures.push(format!("{}: the model lost or changed {diff}", meta.name));
                    }
                }
                _ => {}
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        checked >= PUBLIC_OPERATIONS.len(),
        "{checked} calls checked"
    );
}

#[tokio::test]
async fn a_white_label_base_url_is_a_folder_the_paths_join() {
    let server = Recorder::start(Answer::json(r#"{"page_id": 7, "name": "Shop"}"#)).await;
    let client = PublicClient::builder()
        .base_url(format!("{}api", server.url))
        .api_token(TOKEN)
        .build()
        .expect("a public client");
    client.get_account().send().await.expect("the account");
    assert_eq!(server.last().uri.path(), "/api/accounts/me");
    assert_eq!(PublicClient::DEFAULT_BASE_URL, "https://api.chatrace.com/");
}

/// Ids in a path, a query or a form go out as the text given: the Swagger page types
/// `order_id` as a string, and a number would drop an order id's leading zeros or a sign.
#[tokio::test]
async fn an_id_goes_out_as_its_text() {
    use chatrace::types::{ContactId, OrderId};
    let server = Recorder::start(Answer::json(r#"{"data": {}}"#)).await;
    let client = public_client(&server.url, RetryPolicy::default());
    let _ = client
        .get_contact_order(ContactId::new("0042"), OrderId::new("000123"))
        .send()
        .await;
    assert_eq!(server.last().uri.path(), "/contacts/0042/order/000123");
    let _ = client
        .get_contact_order(ContactId::new("15551234567"), OrderId::new(123u64))
        .send()
        .await;
    assert_eq!(server.last().uri.path(), "/contacts/15551234567/order/123");
}

/// A whole number goes out as the Swagger page's example writes it (`"value": 300`), not as a
/// float (`300.0`); a fraction stays.
#[tokio::test]
async fn a_whole_number_goes_out_as_an_integer() {
    use chatrace::types::{ContactId, PipelineId};
    let server = Recorder::start(Answer::json(r#"{"data": []}"#)).await;
    let client = public_client(&server.url, RetryPolicy::default());
    let opportunity = |value| {
        client
            .create_opportunity(PipelineId::new(5u64), ContactId::new("12345678"), "Deal")
            .value(value)
    };
    let _ = opportunity(300.0).send().await;
    let body: Value = serde_json::from_slice(&server.last().body).expect("a JSON body");
    assert_eq!(body["value"].to_string(), "300");
    let _ = opportunity(12.5).send().await;
    let body: Value = serde_json::from_slice(&server.last().body).expect("a JSON body");
    assert_eq!(body["value"].to_string(), "12.5");
}

/// Ids inside a body's records go out as the Swagger page's examples write them: a flow of
/// `create_contact`'s actions and a custom field of `create_opportunity` as numbers
/// (`"flow_id": 11111`, `"id": 1234`), beside `"contact_id": "12345678"` as text. The body sent
/// from each example is the example itself, value for value and form for form.
#[tokio::test]
async fn ids_inside_body_records_go_out_in_the_examples_forms() {
    let server = Recorder::start(Answer::json("{}")).await;
    let client = public_client(&server.url, RetryPolicy::disabled());
    for name in ["create_contact", "create_opportunity"] {
        let meta = PUBLIC_OPERATIONS
            .iter()
            .find(|meta| meta.name == name)
            .expect("in the catalogue");
        let example: Value =
            serde_json::from_str(meta.examples[0].request).expect("the example is JSON");
        let params = params_of(meta, meta.examples[0].request);
        let call = AnyRequest::from_operation(name, Value::Object(params)).expect("fits");
        let _ = call.send(client.handle(), &CallOptions::default()).await;
        assert_eq!(server.last().json(), example, "{name}");
    }
}
