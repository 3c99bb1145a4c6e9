// Catalogue names that are also names inside generated code (`map`, `key`, `value`,
// `handle`, `options`, ...) generate code that compiles, client and server side.
mod client {
    chatrace_macros::generate!("$CHATRACE_UI_DIR/odd_names.yaml");
}
mod server {
    chatrace_macros::generate!("$CHATRACE_UI_DIR/odd_names.yaml", server);
}

fn main() {
    let odd: client::types::Odd =
        serde_json::from_str(r#"{"map": "1", "key": "k", "type": "t", "other": 2}"#).unwrap();
    assert_eq!(odd.map, 1);
    assert_eq!(odd.r#type.as_deref(), Some("t"));
    assert_eq!(odd.extra["other"], 2);
    let body = serde_json::json!({"op": "odd", "op1": "get", "account_id": 1, "map": 2, "data": {"key": "k"}});
    let request = server::AnyRequest::from_json(body, |_| None).unwrap();
    assert_eq!(request.meta().name, "get_odd");
}
