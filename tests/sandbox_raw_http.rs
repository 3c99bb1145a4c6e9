//! The sandbox over raw HTTP, without the SDK: the vendor docs' curl examples sent verbatim
//! (with `{{account_id}}` and the token filled in) get answers of the documented shape, and bad
//! requests get clear errors instead of crashing it.

mod sandbox_common;

use sandbox_common::{post_raw, sandbox, RawAnswer, Sandbox, CALL_TIMEOUT};
use serde_json::Value;

/// The docs' example of `validate_email_otp`, verbatim.
const VALIDATE_OTP: &str = r#"{  
  "op":"login",
  "op1":"email",
  "op2":"validateOTP",
  "rid":"6ec08e8205fd05970f3923994d4759d2b6ca4d338258b6b5b5dd7a1f7ce86b1f",
  "data":{
    "code":"456788"
  }
}"#;
const VALIDATE_OTP_ANSWER: &str = r#"{
 "status": "OK",
 "data": {
  "token": "..."
 }
}"#;

/// The docs' example of `login_with_google`, verbatim.
const LOGIN_GOOGLE: &str = r#"{  
  "op":"login",
  "op1":"authentication",
  "op2":"validate",
  "op3":"google",
  "data":{
    "idToken":"...",
    "serverAuthCode":""
  }
}
  "#;
/// The docs' example of `login_with_apple`, verbatim.
const LOGIN_APPLE: &str = r#"{  
  "op":"login",
  "op1":"authentication",
  "op2":"validate",
  "op3":"apple",
  "data":{
    "identityToken":"...",
    "authorizationCode":""
  }
}
  "#;
const LOGIN_ANSWER: &str = r#"{
 "status": "OK",
 "data": {
  "token": "....................."
 }
}"#;

/// The docs' example of `delete_contact`, verbatim.
const DELETE_CONTACT: &str = r#"{
  "account_id": {{account_id}},
  "op":"users",
  "op1":"delete",
  "contact_id":"12345"
}
  "#;
const OK_ANSWER: &str = r#"{
 "status": "OK"
}"#;

/// The docs' example of `list_orders`, verbatim.
const LIST_ORDERS: &str = r#"{
  "account_id": {{account_id}},
  "op":"ecommerce",
  "op1":"orders",
  "op2":"get"
}"#;
const LIST_ORDERS_ANSWER: &str = r#"{
 "status": "OK",
 "data": [
  {
   "id": "569601",
   "contact_id": "833274349439",
   "name": "Name 1",
   "currency": "USD",
   "total": "1000",
   "subtotal": "1000",
   "shipping_price": "0",
   "rating": "3",
   "status": "4",
   "dt_confirmed": "2024-01-25 19:00:00",
   "t_confirmed": "1706209200"
  }
 ]
}"#;

/// The docs' example of `get_order`, verbatim.
const GET_ORDER: &str = r#"{
  "account_id": {{account_id}},
  "op":"ecommerce",
  "op1":"orders",
  "op2":"get",
  "id": 1000000
}"#;
const GET_ORDER_ANSWER: &str = r#"{
 "status": "OK",
 "data": {
  "id": 1000000,
  "contact_id": "238847438434",
  "total": 20000,
  "subtotal": 20000,
  "shipping_price": 0,
  "other_taxes": 0,
  "number_items": 1,
  "rating": 5,
  "status": 4,
  "date_confirmed": "...",
  "date_delivered": "...",
  "products": [
   {
    "id": 4939343,
    "price": 20000,
    "name": "Test Product",
    "short_description": "...",
    "image": "",
    "parent_product": 0,
    "quantity": 1,
    "variant": "",
    "user_note": "...",
    "vendor": "...",
    "addon_of": "..."
   }
  ],
  "contact": {
   "id": 238847438434,
   "name": "Test User",
   "channel": 0
  }
 }
}"#;

/// The docs' example of `update_order`, verbatim.
const UPDATE_ORDER: &str = r#"{
  "account_id": {{account_id}},
  "op":"ecommerce",
  "op1":"orders",
  "op2":"update",
  "id": 1000000,
  "data":{
    "status":7
  }
}"#;

/// The docs' example of `list_gbm_locations`, verbatim.
const LIST_GBM: &str = r#"{
  "account_id": {{account_id}},
  "op":"googleBM",
  "op1":"location",
  "op2":"get"
}
  "#;
const LIST_GBM_ANSWER: &str = r#"{
 "status": "OK",
 "data": [
  {
   "id": "brands/7c3dad98-9ec8-470f-844f-----------/locations/90bfe1d1-3933-4ded-b5c8--------------",
   "place_id": "dksdskdsjdjddsjdsdkddsk",
   "name": "Name 1"
  }
 ]
}"#;

/// A docs example with `{{account_id}}` filled in.
fn fill(example: &str, sandbox: &Sandbox) -> String {
    example.replace(
        "{{account_id}}",
        &sandbox.credentials().account_id.to_string(),
    )
}

/// The headers of the docs' curl examples that carry a token.
fn with_token(token: &str) -> [(&'static str, &str); 3] {
    [
        ("Content-Type", "application/json"),
        ("X-ACCESS-TOKEN", token),
        ("User-Agent", "mobile-app"),
    ]
}

/// The headers of the docs' login examples: exactly the curl's two (the docs' header table also
/// lists `X-PLATFORM`, which the curl leaves out and the catalogue makes optional).
const LOGIN_HEADERS: [(&str, &str); 2] = [
    ("Content-Type", "application/json"),
    ("User-Agent", "mobile-app"),
];

/// Whether a JSON number and a string holding a number (as the docs mix them) agree in kind.
fn numeric_text(text: &str) -> bool {
    text.trim().parse::<f64>().is_ok()
}

/// Asserts that `got` has the shape of the docs' `expected`: every key the docs show, with a
/// value of the same kind (a number and a string holding a number count as the same, as the
/// docs write both); every element of a list like the docs' first.
fn assert_shape(expected: &Value, got: &Value, path: &str) {
    match (expected, got) {
        (Value::Object(keys), Value::Object(actual)) => {
            for (key, value) in keys {
                let inner = actual
                    .get(key)
                    .unwrap_or_else(|| panic!("{path}.{key} is missing in {got}"));
                assert_shape(value, inner, &format!("{path}.{key}"));
            }
        }
        (Value::Array(items), Value::Array(actual)) => {
            assert!(!actual.is_empty(), "{path} is an empty list");
            if let Some(first) = items.first() {
                for (i, item) in actual.iter().enumerate() {
                    assert_shape(first, item, &format!("{path}[{i}]"));
                }
            }
        }
        (Value::String(_), Value::String(_)) | (Value::Number(_), Value::Number(_)) => {}
        (Value::String(text), Value::Number(_)) if numeric_text(text) => {}
        (Value::Number(_), Value::String(text)) if numeric_text(text) => {}
        (Value::Bool(_), Value::Bool(_)) | (Value::Null, Value::Null) => {}
        _ => panic!("{path}: the docs show {expected}, the sandbox answered {got}"),
    }
}

/// Asserts a 200 JSON answer of the documented shape, and returns it.
fn documented(answer: &RawAnswer, docs_answer: &str) -> Value {
    assert_eq!(answer.status, 200, "{}", answer.text);
    let got = answer.json();
    let expected: Value = serde_json::from_str(docs_answer).unwrap();
    assert_eq!(got["status"], "OK", "{got}");
    assert_shape(&expected, &got, "$");
    got
}

/// Asserts an error envelope with `code`, and returns its message.
#[track_caller]
fn envelope_error(answer: &RawAnswer, http: u16, code: u64) -> String {
    assert_eq!(answer.status, http, "{}", answer.text);
    let body = answer.json();
    assert_eq!(body["status"], "ERROR", "{body}");
    assert_eq!(body["code"].as_u64(), Some(code), "{body}");
    let message = body["message"].as_str().unwrap_or_default().to_owned();
    assert!(!message.is_empty(), "{body}");
    message
}

#[tokio::test]
async fn the_docs_examples_get_answers_of_the_documented_shape() {
    let sandbox = sandbox().await;
    let demo = sandbox.credentials().token.clone();

    let login = post_raw(&sandbox, &LOGIN_HEADERS[..2], VALIDATE_OTP).await;
    let token = documented(&login, VALIDATE_OTP_ANSWER)["data"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    // The token works.
    let orders = post_raw(&sandbox, &with_token(&token), fill(LIST_ORDERS, &sandbox)).await;
    documented(&orders, LIST_ORDERS_ANSWER);

    for example in [LOGIN_GOOGLE, LOGIN_APPLE] {
        let answer = post_raw(&sandbox, &LOGIN_HEADERS, example).await;
        let token = documented(&answer, LOGIN_ANSWER)["data"]["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let gbm = post_raw(&sandbox, &with_token(&token), fill(LIST_GBM, &sandbox)).await;
        documented(&gbm, LIST_GBM_ANSWER);
    }

    let listed = post_raw(&sandbox, &with_token(&demo), fill(LIST_ORDERS, &sandbox)).await;
    let listed = documented(&listed, LIST_ORDERS_ANSWER);
    assert_eq!(
        listed["data"].as_array().unwrap().len(),
        20,
        "the default page"
    );
    // The docs' order of January is further back, on the second page.
    let second = LIST_ORDERS.replace(r#""op2":"get""#, r#""op2":"get", "offset": 20"#);
    let second = post_raw(&sandbox, &with_token(&demo), fill(&second, &sandbox)).await;
    let second = documented(&second, LIST_ORDERS_ANSWER);
    let docs_order = second["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == 569_601)
        .expect("order 569601");
    assert_eq!(docs_order["dt_confirmed"], "2024-01-25 19:00:00");
    assert_eq!(docs_order["t_confirmed"], 1_706_209_200);

    let order = post_raw(&sandbox, &with_token(&demo), fill(GET_ORDER, &sandbox)).await;
    let order = documented(&order, GET_ORDER_ANSWER);
    assert_eq!(order["data"]["id"], 1_000_000);
    assert_eq!(order["data"]["status"], 4);

    let update = post_raw(&sandbox, &with_token(&demo), fill(UPDATE_ORDER, &sandbox)).await;
    assert_eq!(
        documented(&update, OK_ANSWER),
        serde_json::json!({"status": "OK"})
    );
    let order = post_raw(&sandbox, &with_token(&demo), fill(GET_ORDER, &sandbox)).await;
    assert_eq!(documented(&order, GET_ORDER_ANSWER)["data"]["status"], 7);

    let delete = post_raw(&sandbox, &with_token(&demo), fill(DELETE_CONTACT, &sandbox)).await;
    documented(&delete, OK_ANSWER);
    // Deleted: a second delete is an API error.
    let again = post_raw(&sandbox, &with_token(&demo), fill(DELETE_CONTACT, &sandbox)).await;
    let message = envelope_error(&again, 200, 404);
    assert!(message.contains("12345"), "{message}");

    let gbm = post_raw(&sandbox, &with_token(&demo), fill(LIST_GBM, &sandbox)).await;
    documented(&gbm, LIST_GBM_ANSWER);

    // The docs' rid was used up by the first login.
    let reused = post_raw(&sandbox, &LOGIN_HEADERS[..2], VALIDATE_OTP).await;
    envelope_error(&reused, 200, 401);
}

#[tokio::test]
async fn a_login_with_an_unknown_platform_names_it() {
    let sandbox = sandbox().await;
    // The docs' header table allows `ios|android`; anything else is refused by name.
    let answer = post_raw(
        &sandbox,
        &[("Content-Type", "application/json"), ("X-PLATFORM", "web")],
        LOGIN_GOOGLE,
    )
    .await;
    let message = envelope_error(&answer, 200, 400);
    assert!(message.contains("web"), "{message}");
}

#[tokio::test]
async fn ids_are_accepted_as_numbers_and_as_strings() {
    let sandbox = sandbox().await;
    let token = sandbox.credentials().token.clone();
    let account = sandbox.credentials().account_id;
    let headers = with_token(&token);
    for body in [
        format!(
            r#"{{"account_id":{account},"op":"ecommerce","op1":"orders","op2":"get","id":"1000000"}}"#
        ),
        format!(
            r#"{{"account_id":"{account}","op":"ecommerce","op1":"orders","op2":"get","id":1000000}}"#
        ),
    ] {
        let answer = post_raw(&sandbox, &headers, body).await;
        assert_eq!(answer.json()["data"]["id"], 1_000_000, "{}", answer.text);
    }
    for contact in ["833274349439", "\"833274349439\""] {
        let body = format!(
            r#"{{"account_id":{account},"op":"users","op1":"get","contact_id":{contact}}}"#
        );
        let answer = post_raw(&sandbox, &headers, body).await;
        assert_eq!(
            answer.json()["data"]["id"],
            833_274_349_439_u64,
            "{}",
            answer.text
        );
    }
    // The docs' update_order template sends the status as a string.
    let body = format!(
        r#"{{"account_id":{account},"op":"ecommerce","op1":"orders","op2":"update","id":"1000001","data":{{"status":"13"}}}}"#
    );
    let answer = post_raw(&sandbox, &headers, body).await;
    assert_eq!(answer.json()["status"], "OK", "{}", answer.text);
    let body = format!(
        r#"{{"account_id":{account},"op":"ecommerce","op1":"orders","op2":"get","id":1000001}}"#
    );
    let answer = post_raw(&sandbox, &headers, body).await;
    assert_eq!(answer.json()["data"]["status"], 13, "{}", answer.text);
    // A contact id as a number where the catalogue sends a string.
    let body =
        format!(r#"{{"account_id":{account},"op":"users","op1":"delete","contact_id":12345}}"#);
    let answer = post_raw(&sandbox, &headers, body).await;
    assert_eq!(answer.json()["status"], "OK", "{}", answer.text);
}

#[tokio::test]
async fn bad_requests_get_clear_errors_and_never_crash_the_sandbox() {
    let sandbox = sandbox().await;
    let token = sandbox.credentials().token.clone();
    let account = sandbox.credentials().account_id;
    let headers = with_token(&token);
    let before = sandbox.state_fingerprint();

    // Not JSON at all: HTTP 400, still with an envelope.
    let answer = post_raw(&sandbox, &headers, "op=ecommerce&op1=orders").await;
    let message = envelope_error(&answer, 400, 400);
    assert!(message.contains("not valid JSON"), "{message}");
    let answer = post_raw(&sandbox, &headers, "").await;
    assert!(envelope_error(&answer, 400, 400).contains("empty"));
    // Malformed JSON.
    let answer = post_raw(&sandbox, &headers, r#"{"op":"ecommerce","#).await;
    let message = envelope_error(&answer, 400, 400);
    assert!(message.contains("line 1"), "{message}");
    // JSON that is not an object.
    let answer = post_raw(&sandbox, &headers, "[1, 2, 3]").await;
    assert!(envelope_error(&answer, 200, 400).contains("not a JSON object"));
    // Unknown discriminators, named back.
    let answer = post_raw(&sandbox, &headers, r#"{"op":"teleport","op1":"now"}"#).await;
    let message = envelope_error(&answer, 200, 400);
    assert!(
        message.contains("unknown operation") && message.contains("teleport"),
        "{message}"
    );
    let answer = post_raw(&sandbox, &headers, r#"{"account_id":1}"#).await;
    assert!(envelope_error(&answer, 200, 400).contains("none"));
    // A missing param, named with its operation.
    let body = format!(
        r#"{{"account_id":{account},"op":"ecommerce","op1":"orders","op2":"update","id":1000000}}"#
    );
    let message = envelope_error(&post_raw(&sandbox, &headers, body).await, 200, 400);
    assert!(
        message.contains("update_order") && message.contains("data"),
        "{message}"
    );
    let body = format!(
        r#"{{"account_id":{account},"op":"ecommerce","op1":"orders","op2":"update","id":1000000,"data":{{}}}}"#
    );
    let message = envelope_error(&post_raw(&sandbox, &headers, body).await, 200, 400);
    assert!(message.contains("status"), "{message}");
    // Mistyped params.
    let body = format!(
        r#"{{"account_id":{account},"op":"ecommerce","op1":"orders","op2":"get","id":"one million"}}"#
    );
    let message = envelope_error(&post_raw(&sandbox, &headers, body).await, 200, 400);
    assert!(
        message.contains("get_order") && message.contains("one million"),
        "{message}"
    );
    let body = format!(
        r#"{{"account_id":{account},"op":"conversations","op1":"archive","contact_id":"12345","data":{{"archived":"maybe"}}}}"#
    );
    let message = envelope_error(&post_raw(&sandbox, &headers, body).await, 200, 400);
    assert!(message.contains("archive_conversation"), "{message}");
    // A status the docs do not list.
    let body = format!(
        r#"{{"account_id":{account},"op":"ecommerce","op1":"orders","op2":"update","id":1000000,"data":{{"status":5}}}}"#
    );
    let message = envelope_error(&post_raw(&sandbox, &headers, body).await, 200, 400);
    assert!(message.contains("4, 6, 7, 10, 13"), "{message}");
    // A body over the limit: 413 with an envelope.
    let huge = format!(
        r#"{{"account_id":{account},"op":"notes","op1":"add","contact_id":"12345","data":{{"text":"{}"}}}}"#,
        "x".repeat(chatrace_sandbox::JSON_BODY_LIMIT + 1)
    );
    let message = envelope_error(&post_raw(&sandbox, &headers, huge).await, 413, 413);
    assert!(message.contains("limit"), "{message}");
    // The same without a Content-Length (chunked): the limit holds while reading.
    let chunks = (0..12).map(|_| Ok::<_, std::io::Error>(vec![b' '; 256 * 1024]));
    let chunked = reqwest::Body::wrap_stream(futures::stream::iter(chunks));
    let message = envelope_error(&post_raw(&sandbox, &headers, chunked).await, 413, 413);
    assert!(message.contains("limit"), "{message}");
    // Not the API's URL or method.
    let http = reqwest::Client::builder()
        .timeout(CALL_TIMEOUT)
        .build()
        .unwrap();
    let other = http
        .post(format!("{}v2/orders", sandbox.base_url()))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status().as_u16(), 404);
    let get = http.get(sandbox.base_url()).send().await.unwrap();
    assert_eq!(get.status().as_u16(), 405);

    // Nothing changed, and the sandbox still answers.
    assert_eq!(sandbox.state_fingerprint(), before);
    let order = post_raw(&sandbox, &headers, fill(GET_ORDER, &sandbox)).await;
    documented(&order, GET_ORDER_ANSWER);
}

#[tokio::test]
async fn refused_requests_over_raw_http_change_nothing() {
    let sandbox = sandbox().await;
    let token = sandbox.credentials().token.clone();
    let other = sandbox.credentials().other_account_id;
    let before = sandbox.state_fingerprint();
    let delete_in_other = format!(
        r#"{{"account_id":{other},"op":"users","op1":"delete","contact_id":"500000000000"}}"#
    );
    let update_in_other = format!(
        r#"{{"account_id":{other},"op":"ecommerce","op1":"orders","op2":"update","id":2000001,"data":{{"status":10}}}}"#
    );
    for body in [delete_in_other, update_in_other] {
        let message = envelope_error(
            &post_raw(&sandbox, &with_token(&token), body).await,
            200,
            403,
        );
        assert!(message.contains(&other.to_string()), "{message}");
    }
    // Without a token, with a wrong one: 401.
    let no_token = [("Content-Type", "application/json")];
    let message = envelope_error(
        &post_raw(&sandbox, &no_token, fill(UPDATE_ORDER, &sandbox)).await,
        200,
        401,
    );
    assert!(message.contains("X-ACCESS-TOKEN"), "{message}");
    let message = envelope_error(
        &post_raw(
            &sandbox,
            &with_token("sbx-not-a-token"),
            fill(UPDATE_ORDER, &sandbox),
        )
        .await,
        200,
        401,
    );
    assert!(!message.contains("sbx-not-a-token"), "{message}");
    // Without account_id.
    let message = envelope_error(
        &post_raw(
            &sandbox,
            &with_token(&token),
            r#"{"op":"ecommerce","op1":"orders","op2":"update","id":1000000,"data":{"status":7}}"#,
        )
        .await,
        200,
        400,
    );
    assert!(message.contains("account_id"), "{message}");
    assert_eq!(
        sandbox.state_fingerprint(),
        before,
        "refused requests changed the state"
    );
}
