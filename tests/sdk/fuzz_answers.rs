//! Every operation's decoder fed mutated forms of the vendor's own example answers (the
//! collection's, as the catalogue keeps them): members turned null, numbers, huge numbers,
//! strings, long strings, arrays, deep nesting, the session token; members removed or
//! repeated; the status or code changed (99 with OK, a code that echoes the token); bodies cut
//! short, made invalid UTF-8, or replaced by an HTML page.
//!
//! Whatever comes back, the call does not panic and ends in a typed answer or a typed error,
//! whose `Display` is one line of at most `MAX_DISPLAY_BYTES` and shows the token nowhere (nor
//! does its `Debug`). `CASES` cases, each one HTTP exchange over loopback.

use crate::common::{client, Answer, Recorder, ACCOUNT_ID, TOKEN};
use chatrace::{AnyRequest, CallOptions, Error, OperationMeta, RetryPolicy, MAX_DISPLAY_BYTES};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;

/// How many mutated answers are tried.
const CASES: u32 = 3_000;

/// One example answer and the request that gets it.
struct Case {
    meta: &'static OperationMeta,
    request: AnyRequest,
    answer: Value,
}

/// Every example of the catalogue that has an answer, with its request read back.
fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for meta in chatrace::OPERATIONS.iter() {
        for example in meta.examples {
            let Some(response) = example.response else {
                continue;
            };
            let Ok(answer) = serde_json::from_str::<Value>(response) else {
                continue;
            };
            let filled = example
                .request
                .replace("{{account_id}}", &ACCOUNT_ID.to_string());
            let Ok(mut body) = serde_json::from_str::<Value>(&filled) else {
                continue;
            };
            if let Value::Object(map) = &mut body {
                for (from, to) in example.renamed {
                    if let Some(value) = map.remove(*from) {
                        map.insert((*to).to_owned(), value);
                    }
                }
            }
            let headers = example.headers;
            let request = AnyRequest::from_json(body, |name| {
                headers
                    .iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(name))
                    .map(|(_, value)| (*value).to_owned())
            });
            if let Ok(request) = request {
                cases.push(Case {
                    meta,
                    request,
                    answer,
                });
            }
        }
    }
    cases
}

/// What replaces a member's value.
#[derive(Debug, Clone)]
enum Value2 {
    Null,
    Bool(bool),
    Number(i64),
    Float(f64),
    /// A number no integer type holds.
    Huge,
    Text(String),
    /// A string of this many bytes.
    Long(usize),
    Array(Vec<i64>),
    /// Arrays nested this deep.
    Deep(usize),
    Object,
    /// The session token.
    Token,
}

impl Value2 {
    /// The JSON text of the value.
    fn text(&self) -> String {
        match self {
            Value2::Null => "null".to_owned(),
            Value2::Bool(b) => b.to_string(),
            Value2::Number(n) => n.to_string(),
            Value2::Float(f) => Value::from(*f).to_string(),
            Value2::Huge => "340282366920938463463374607431768211456123".to_owned(),
            Value2::Text(t) => Value::from(t.as_str()).to_string(),
            Value2::Long(n) => format!("\"{}\"", "y".repeat(*n)),
            Value2::Array(items) => Value::from(items.clone()).to_string(),
            Value2::Deep(depth) => "[".repeat(*depth) + &"]".repeat(*depth),
            Value2::Object => r#"{"unexpected":{"deep":[1,"two",null]}}"#.to_owned(),
            Value2::Token => format!("\"{TOKEN}\""),
        }
    }
}

/// What is done to an example answer.
#[derive(Debug, Clone)]
enum Mutation {
    /// The member (or item) picked by the index among all, its value replaced.
    Replace(usize, Value2),
    /// The member picked by the index removed.
    Remove(usize),
    /// The first member of the answer written twice, the second time with this value.
    Duplicate(Value2),
    /// The status or the code changed.
    Status(StatusChange),
    /// The text cut at this fraction (per mille) of its length.
    Truncate(usize),
    /// An invalid UTF-8 byte put at this fraction (per mille) of the text.
    InvalidUtf8(usize),
    /// An HTML page instead.
    Html,
}

#[derive(Debug, Clone)]
enum StatusChange {
    Error(Option<i64>),
    OkWithCode(i64),
    CodeIsToken,
    NoStatus,
}

fn value_strategy() -> impl Strategy<Value = Value2> {
    prop_oneof![
        Just(Value2::Null),
        any::<bool>().prop_map(Value2::Bool),
        any::<i64>().prop_map(Value2::Number),
        any::<f64>().prop_map(Value2::Float),
        Just(Value2::Huge),
        proptest::collection::vec(any::<char>(), 0..24)
            .prop_map(|chars| Value2::Text(chars.into_iter().collect())),
        prop_oneof![Just(300usize), Just(70_000), Just(1 << 20)].prop_map(Value2::Long),
        proptest::collection::vec(any::<i64>(), 0..4).prop_map(Value2::Array),
        prop_oneof![Just(20usize), Just(200), Just(5_000)].prop_map(Value2::Deep),
        Just(Value2::Object),
        Just(Value2::Token),
    ]
}

fn mutation_strategy() -> impl Strategy<Value = Mutation> {
    let codes = prop_oneof![
        Just(1i64),
        Just(2),
        Just(4),
        Just(10),
        Just(14),
        Just(99),
        Just(403),
        Just(1000),
        any::<i64>()
    ];
    prop_oneof![
        6 => (any::<usize>(), value_strategy()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        1 => any::<usize>().prop_map(Mutation::Remove),
        1 => value_strategy().prop_map(Mutation::Duplicate),
        2 => prop_oneof![
            proptest::option::of(codes.clone()).prop_map(StatusChange::Error),
            codes.prop_map(StatusChange::OkWithCode),
            Just(StatusChange::CodeIsToken),
            Just(StatusChange::NoStatus),
        ]
        .prop_map(Mutation::Status),
        1 => (0usize..1000).prop_map(Mutation::Truncate),
        1 => (0usize..1000).prop_map(Mutation::InvalidUtf8),
        1 => Just(Mutation::Html),
    ]
}

/// The JSON pointers of every value in `value`, the root excepted.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                let here = format!("{at}/{escaped}");
                out.push(here.clone());
                pointers(inner, here, out);
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                let here = format!("{at}/{i}");
                out.push(here.clone());
                pointers(inner, here, out);
            }
        }
        _ => {}
    }
}

/// The answer `mutation` makes of `answer`, as bytes.
fn mutate(answer: &Value, mutation: &Mutation) -> Vec<u8> {
    let mut all = Vec::new();
    pointers(answer, String::new(), &mut all);
    let pick = |i: usize| all.get(i % all.len().max(1)).cloned().unwrap_or_default();
    let text = answer.to_string();
    match mutation {
        Mutation::Replace(i, with) => {
            let pointer = pick(*i);
            let marker = "\u{1}MUTATED\u{1}";
            let mut value = answer.clone();
            match value.pointer_mut(&pointer) {
                Some(slot) if !pointer.is_empty() => *slot = Value::from(marker),
                _ => return with.text().into_bytes(),
            }
            // Spliced as text, so that values serde_json would not build (huge numbers, deep
            // nesting) are sent as they are.
            value
                .to_string()
                .replacen(&Value::from(marker).to_string(), &with.text(), 1)
                .into_bytes()
        }
        Mutation::Remove(i) => {
            let pointer = pick(*i);
            let mut value = answer.clone();
            if let Some((parent, key)) = pointer.rsplit_once('/') {
                match value.pointer_mut(parent) {
                    Some(Value::Object(map)) => {
                        map.remove(&key.replace("~1", "/").replace("~0", "~"));
                    }
                    Some(Value::Array(items)) => {
                        if let Ok(index) = key.parse::<usize>() {
                            if index < items.len() {
                                items.remove(index);
                            }
                        }
                    }
                    _ => {}
                }
            }
            value.to_string().into_bytes()
        }
        Mutation::Duplicate(with) => match answer {
            Value::Object(map) => match map.keys().next() {
                Some(first) => {
                    let key = Value::from(first.as_str()).to_string();
                    let inner = text.strip_suffix('}').unwrap_or(&text);
                    format!("{inner},{key}:{}}}", with.text()).into_bytes()
                }
                None => text.into_bytes(),
            },
            _ => text.into_bytes(),
        },
        Mutation::Status(change) => {
            let mut value = answer.clone();
            if let Value::Object(map) = &mut value {
                match change {
                    StatusChange::Error(code) => {
                        map.insert("status".into(), "ERROR".into());
                        match code {
                            Some(code) => map.insert("code".into(), (*code).into()),
                            None => map.remove("code"),
                        };
                    }
                    StatusChange::OkWithCode(code) => {
                        map.insert("status".into(), "OK".into());
                        map.insert("code".into(), (*code).into());
                    }
                    StatusChange::CodeIsToken => {
                        map.insert("status".into(), "ERROR".into());
                        map.insert("code".into(), TOKEN.into());
                    }
                    StatusChange::NoStatus => {
                        map.remove("status");
                    }
                }
            }
            value.to_string().into_bytes()
        }
        Mutation::Truncate(per_mille) => {
            let mut bytes = text.into_bytes();
            bytes.truncate(bytes.len() * per_mille / 1000);
            bytes
        }
        Mutation::InvalidUtf8(per_mille) => {
            let mut bytes = text.into_bytes();
            let at = bytes.len() * per_mille / 1000;
            bytes.insert(at, 0xff);
            bytes
        }
        Mutation::Html => b"<!DOCTYPE html><html><body><h1>500</h1></body></html>".to_vec(),
    }
}

/// What the decoder's outcome must be: an answer, or a typed error that is one bounded line
/// without the token.
fn check(meta: &OperationMeta, outcome: Result<Value, Error>) -> Result<(), TestCaseError> {
    let error = match outcome {
        Ok(_) => return Ok(()),
        Err(error) => error,
    };
    prop_assert!(
        matches!(
            error,
            Error::Api { .. } | Error::Decode { .. } | Error::Http { .. }
        ),
        "{}: an answer that is not one of the API's gives {error:?}",
        meta.name
    );
    prop_assert_eq!(error.operation(), Some(meta.name));
    let line = error.to_string();
    prop_assert!(line.len() <= MAX_DISPLAY_BYTES, "{} bytes", line.len());
    prop_assert!(!line.contains('\n') && !line.contains('\r'), "{line}");
    prop_assert!(!line.contains(TOKEN), "the token in Display: {line}");
    let debug = format!("{error:?}");
    prop_assert!(!debug.contains(TOKEN), "the token in Debug");
    if let Some(body) = error.body() {
        prop_assert!(!body.text().contains(TOKEN), "the token in the body");
    }
    Ok(())
}

#[test]
fn mutated_vendor_answers_give_typed_results_or_bounded_token_free_errors() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let server = runtime.block_on(Recorder::start(Answer::json("{}")));
    let client = client(&server.url);
    let options = CallOptions::new().with_retry(RetryPolicy::disabled());
    let cases = cases();
    let covered: std::collections::BTreeSet<&str> = cases.iter().map(|c| c.meta.name).collect();
    // Operations the catalogue infers (the web inbox's WhatsApp templates) have no vendor
    // example to mutate.
    let documented: std::collections::BTreeSet<&str> = chatrace::OPERATIONS
        .iter()
        .filter(|meta| meta.examples.iter().any(|e| e.response.is_some()))
        .map(|meta| meta.name)
        .collect();
    assert_eq!(
        covered, documented,
        "every documented operation's decoder is fed"
    );
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (0..cases.len(), mutation_strategy());
    let result = runner.run(&strategy, |(index, mutation)| {
        let case = &cases[index];
        // A login stores the token its answer carries and a logout clears it: each case starts
        // with the session whose token the answers echo.
        client.set_token(TOKEN);
        let body = mutate(&case.answer, &mutation);
        server.answer(Answer {
            status: 200,
            content_type: "application/json",
            body,
        });
        let outcome = runtime.block_on(case.request.clone().send(client.handle(), &options));
        check(case.meta, outcome)
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
}
