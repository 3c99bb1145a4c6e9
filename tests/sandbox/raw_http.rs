//! The sandbox over raw HTTP, without the SDK: the vendor's example requests (from the
//! catalogue's metadata, placeholders filled) get answers of the documented shape, and bad
//! requests get the real server's error envelope instead of crashing it.

use crate::common::{http, json_headers, post_raw, read, sandbox, RawAnswer, Sandbox};
use chatrace::{BodyEncoding, ExampleMeta, OperationMeta, OPERATIONS};
use futures::stream;
use serde_json::{json, Map, Value};

/// An example request as the sandbox can take it: placeholders filled with the demo account,
/// keys the catalogue corrects renamed, and for the upload form the demo account (a string).
fn example_body(meta: &OperationMeta, example: &ExampleMeta, sandbox: &Sandbox) -> Value {
    let account = sandbox.credentials().account_id;
    let text = example
        .request
        .replace("{{account_id}}", &account.to_string());
    let mut body: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{}: the example is not JSON: {e}", meta.name));
    let map = body.as_object_mut().expect("an example body is an object");
    for (from, to) in example.renamed {
        if let Some(value) = map.remove(*from) {
            map.insert((*to).to_owned(), value);
        }
    }
    if meta.body == BodyEncoding::Multipart {
        map.insert("account_id".to_owned(), Value::from(account.to_string()));
    }
    body
}

/// The example's headers, with the demo token for its placeholders.
fn example_headers<'a>(example: &'a ExampleMeta, token: &'a str) -> Vec<(&'a str, &'a str)> {
    example
        .headers
        .iter()
        .map(|(name, value)| match *value {
            "{{token}}" | "{{user_token}}" => (*name, token),
            _ => (*name, *value),
        })
        .collect()
}

/// Sends one example request as the app would: JSON, or the upload form.
async fn send_example(sandbox: &Sandbox, meta: &OperationMeta, example: &ExampleMeta) -> RawAnswer {
    let body = example_body(meta, example, sandbox);
    let token = sandbox.credentials().token.clone();
    let headers = example_headers(example, &token);
    if meta.body == BodyEncoding::Multipart {
        let form = reqwest::multipart::Form::new()
            .text("param", body.to_string())
            .part(
                "file",
                reqwest::multipart::Part::bytes(b"OggS voice".to_vec()).file_name("voice.ogg"),
            );
        let mut request = http().post(sandbox.base_url()).multipart(form);
        for (name, value) in headers
            .iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("content-type"))
        {
            request = request.header(*name, *value);
        }
        return read(request.send().await.expect("the sandbox answers")).await;
    }
    post_raw(sandbox, &headers, body.to_string()).await
}

/// Checks that `ours` has the shape of the vendor's `theirs` at `path`: every key the vendor
/// shows (but those it shows as null), objects where it has objects, lists (not empty when its list is not) where it has
/// lists, a value where it has a value. Scalars may differ in form (`"1"` and `1`): the server
/// is loose about them.
fn assert_shape(ours: &Value, theirs: &Value, path: &str) {
    match (theirs, ours) {
        (Value::Null, _) => {}
        (Value::Object(vendor), Value::Object(mine)) => {
            for (key, value) in vendor {
                let Some(found) = mine.get(key) else {
                    // A key the vendor shows as null may be left out.
                    assert!(
                        value.is_null(),
                        "{path}.{key}: missing (the vendor shows {value})"
                    );
                    continue;
                };
                assert_shape(found, value, &format!("{path}.{key}"));
            }
        }
        (Value::Array(vendor), Value::Array(mine)) => {
            if let Some(first) = vendor.first() {
                assert!(!mine.is_empty(), "{path}: an empty list");
                for item in mine {
                    assert_shape(item, first, &format!("{path}[]"));
                }
            }
        }
        (Value::Object(_) | Value::Array(_), other) => {
            panic!("{path}: {other} where the vendor has {theirs}")
        }
        (_, Value::Null | Value::Object(_) | Value::Array(_)) => {
            panic!("{path}: {ours} where the vendor has the value {theirs}")
        }
        _ => {}
    }
}

#[tokio::test]
async fn every_example_request_of_the_collection_gets_an_answer_of_its_shape() {
    let mut checked = 0;
    for meta in OPERATIONS {
        // A fresh sandbox per operation: its examples run in order, as the vendor lists them.
        let sandbox = sandbox().await;
        for example in meta.examples {
            let answer = send_example(&sandbox, meta, example).await;
            let label = format!("{} / {}", meta.name, example.name);
            assert_eq!(answer.status, 200, "{label}: {}", answer.text);
            let ours = answer.json();
            assert_eq!(ours["status"], "OK", "{label}: {}", answer.text);
            let theirs: Value = example
                .response
                .map(|text| serde_json::from_str(text).expect("a JSON example answer"))
                .unwrap_or(json!({"status": "OK"}));
            assert_shape(&ours, &theirs, &label);
            checked += 1;
        }
        assert!(
            sandbox.operation_count(meta.name) >= meta.examples.len() as u64,
            "{} was not read as itself",
            meta.name
        );
    }
    assert!(checked >= 60, "{checked} examples");
}

#[tokio::test]
async fn ids_are_taken_as_numbers_and_as_strings() {
    let sandbox = sandbox().await;
    let token = sandbox.credentials().token.clone();
    let account = sandbox.credentials().account_id;
    let headers = json_headers(&token);
    let mut ids = Vec::new();
    for ms_id in [json!("12345"), json!(12345)] {
        let body = json!({"account_id": account, "op": "users", "op1": "get", "ms_id": ms_id});
        let answer = post_raw(&sandbox, &headers, body.to_string()).await.json();
        ids.push(answer["data"]["ms_id"].clone());
    }
    assert_eq!(ids, [json!("12345"), json!("12345")]);
    for id in [json!(1000000), json!("1000000")] {
        let body = json!({"account_id": account.to_string(), "op": "ecommerce", "op1": "orders", "op2": "get", "id": id});
        let answer = post_raw(&sandbox, &headers, body.to_string()).await.json();
        assert_eq!(answer["data"]["id"], json!("1000000"), "{answer}");
    }
    // Flags as the templates write them ("1") and as the examples do (1).
    for value in [json!("1"), json!(1)] {
        let body = json!({"account_id": account, "op": "conversations", "op1": "update", "op2": "archived", "contact_id": 1234567, "data": {"value": value}});
        let answer = post_raw(&sandbox, &headers, body.to_string()).await;
        assert_eq!(answer.json(), json!({"status": "OK"}), "{value}");
    }
}

#[tokio::test]
async fn bad_requests_get_the_error_envelope_and_never_crash_the_sandbox() {
    let sandbox = sandbox().await;
    let token = sandbox.credentials().token.clone();
    let account = sandbox.credentials().account_id;
    let headers = json_headers(&token);
    let fingerprint = sandbox.state_fingerprint();

    let refused: Vec<String> = vec![
        "".into(),
        "   ".into(),
        "not json".into(),
        "{\"op\":".into(),
        "[1, 2]".into(),
        "\"op\"".into(),
        "42".into(),
        "null".into(),
        "{}".into(),
        json!({"op": "nothing", "account_id": account}).to_string(),
        json!({"op": "users", "op1": "get", "account_id": account}).to_string(),
        json!({"op": "ecommerce", "op1": "orders", "op2": "get", "id": {"x": 1}, "account_id": account}).to_string(),
        json!({"op": "ecommerce", "op1": "orders", "op2": "update", "id": 1000000, "data": {"status": "soon"}, "account_id": account}).to_string(),
        json!({"op": "tags", "op1": "get"}).to_string(),
        json!({"op": "tags", "op1": "get", "account_id": "twelve"}).to_string(),
        json!({"op": "conversations", "op1": "get", "account_id": account, "cdts": "all"}).to_string(),
    ];
    for body in &refused {
        let answer = post_raw(&sandbox, &headers, body.clone()).await;
        answer.assert_error(200, 2);
    }

    // A body over the limit is HTTP 413, declared or streamed.
    let big = format!(
        "{{\"op\":\"tags\",\"pad\":\"{}\"}}",
        "x".repeat(chatrace_sandbox::JSON_BODY_LIMIT)
    );
    post_raw(&sandbox, &headers, big.clone())
        .await
        .assert_error(413, 2);
    let chunks = stream::iter(
        big.into_bytes()
            .chunks(64 * 1024)
            .map(|c| Ok::<_, std::io::Error>(c.to_vec()))
            .collect::<Vec<_>>(),
    );
    post_raw(&sandbox, &headers, reqwest::Body::wrap_stream(chunks))
        .await
        .assert_error(413, 2);

    // Anything but POST /.
    read(http().get(sandbox.base_url()).send().await.unwrap())
        .await
        .assert_error(405, 2);
    let elsewhere = format!("{}php/user", sandbox.base_url());
    read(http().post(elsewhere).body("{}").send().await.unwrap())
        .await
        .assert_error(404, 2);

    // Bad upload forms.
    let upload = |param: Option<&str>, file: bool| {
        let mut form = reqwest::multipart::Form::new();
        if let Some(param) = param {
            form = form.text("param", param.to_owned());
        }
        if file {
            form = form.part(
                "file",
                reqwest::multipart::Part::bytes(vec![1, 2, 3]).file_name("a.bin"),
            );
        }
        http()
            .post(sandbox.base_url())
            .header("X-ACCESS-TOKEN", token.as_str())
            .multipart(form)
            .send()
    };
    let param = json!({"account_id": account.to_string(), "op": "flows", "op1": "upload", "op2": "file", "contact_id": "222222", "file_name": null, "uploadFB": false, "inbox": true}).to_string();
    for (param, file) in [
        (None, true),
        (Some("not json"), true),
        (Some("[1]"), true),
        (Some(param.as_str()), false),
    ] {
        read(upload(param, file).await.unwrap())
            .await
            .assert_error(200, 2);
    }
    let broken = http()
        .post(sandbox.base_url())
        .header("Content-Type", "multipart/form-data; boundary=xyz")
        .header("X-ACCESS-TOKEN", token.as_str())
        .body("--xyz\r\nContent-Disposition: form-data; name=\"param\"\r\n\r\n{\"op\"")
        .send()
        .await
        .unwrap();
    read(broken).await.assert_error(200, 2);
    assert!(sandbox.uploads().is_empty());

    // Sessions and accounts, over raw HTTP too.
    let tags = json!({"account_id": account, "op": "tags", "op1": "get"}).to_string();
    post_raw(&sandbox, &[], tags.clone())
        .await
        .assert_error(200, 1);
    post_raw(&sandbox, &json_headers("sbx-unknown"), tags)
        .await
        .assert_error(200, 1);
    let other =
        json!({"account_id": sandbox.credentials().other_account_id, "op": "tags", "op1": "get"});
    post_raw(&sandbox, &headers, other.to_string())
        .await
        .assert_error(200, 403);

    assert_eq!(sandbox.state_fingerprint(), fingerprint, "nothing changed");
    // And it still answers.
    let fine = json!({"account_id": account, "op": "tags", "op1": "get"}).to_string();
    let answer = post_raw(&sandbox, &headers, fine).await.json();
    assert_eq!(answer["status"], "OK");
    assert_eq!(answer["data"].as_array().map(Vec::len), Some(6));
}

#[tokio::test]
async fn an_upload_form_over_the_limit_is_refused_whole() {
    let sandbox = sandbox().await;
    let token = sandbox.credentials().token.clone();
    let param = json!({"account_id": sandbox.credentials().account_id.to_string(), "op": "flows", "op1": "upload", "op2": "video", "contact_id": "222222", "uploadFB": false, "inbox": true});
    let chunk = vec![0u8; 1024 * 1024];
    let chunks = (0..chatrace_sandbox::MULTIPART_BODY_LIMIT / chunk.len() + 2)
        .map(move |_| Ok::<_, std::io::Error>(chunk.clone()));
    let part = reqwest::multipart::Part::stream(reqwest::Body::wrap_stream(stream::iter(chunks)))
        .file_name("long.mp4");
    let form = reqwest::multipart::Form::new()
        .text("param", param.to_string())
        .part("file", part);
    let answer = http()
        .post(sandbox.base_url())
        .header("X-ACCESS-TOKEN", token.as_str())
        .multipart(form)
        .send()
        .await;
    // The server may answer before it has read the whole body, or close the connection.
    if let Ok(response) = answer {
        read(response).await.assert_error(413, 2);
    }
    assert!(sandbox.uploads().is_empty(), "nothing was stored");
    let tags = json!({"account_id": sandbox.credentials().account_id, "op": "tags", "op1": "get"});
    let answer = post_raw(&sandbox, &json_headers(&token), tags.to_string())
        .await
        .json();
    assert_eq!(answer["status"], "OK");
}

#[tokio::test]
async fn the_errors_carry_no_message_and_the_answers_put_status_first() {
    let sandbox = sandbox().await;
    let token = sandbox.credentials().token.clone();
    let missing = json!({"account_id": sandbox.credentials().account_id, "op": "ecommerce", "op1": "orders", "op2": "get", "id": 42});
    let answer = post_raw(&sandbox, &json_headers(&token), missing.to_string()).await;
    assert_eq!(answer.text, r#"{"status":"ERROR","code":4}"#);
    let otp = json!({"op": "login", "op1": "email", "op2": "sendOTP", "data": {"email": sandbox.credentials().email}});
    let answer = post_raw(
        &sandbox,
        &[("Content-Type", "application/json")],
        otp.to_string(),
    )
    .await;
    assert!(
        answer.text.starts_with(r#"{"status":"OK","rid":""#),
        "{}",
        answer.text
    );
    let map: Map<String, Value> = serde_json::from_str(&answer.text).unwrap();
    assert_eq!(map.len(), 2);
}

#[test]
fn the_shape_check_catches_what_is_missing_or_of_another_kind() {
    let vendor = json!({"status": "OK", "data": [{"id": "1", "tags": ["a"], "note": {"x": 1}, "gone": null}]});
    assert_shape(
        &json!({"status": "OK", "data": [{"id": 1, "tags": ["b", "c"], "note": {"x": "2", "y": 3}, "extra": true}]}),
        &vendor,
        "$",
    );
    for broken in [
        json!({"status": "OK"}),
        json!({"status": "OK", "data": []}),
        json!({"status": "OK", "data": [{"tags": ["a"], "note": {"x": 1}}]}),
        json!({"status": "OK", "data": [{"id": "1", "tags": "a", "note": {"x": 1}}]}),
        json!({"status": "OK", "data": [{"id": "1", "tags": ["a"], "note": {}}]}),
        json!({"status": "OK", "data": [{"id": null, "tags": ["a"], "note": {"x": 1}}]}),
    ] {
        let caught = std::panic::catch_unwind(|| assert_shape(&broken, &vendor, "$"));
        assert!(caught.is_err(), "{broken} passed the shape check");
    }
}
