//! Errors the sandbox answers on request, so that a client's handling of each code of the
//! catalogue's table can be tried offline: a switch per operation or per session token.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use chatrace::ErrorCodeMeta;
use serde_json::{Map, Value};

/// Which calls get which error (see [`crate::Sandbox::errors`]).
///
/// A played error is answered instead of handling the call (nothing changes in the state), as
/// the real server answers it: HTTP 200 and the envelope `{"status":"ERROR","code":N}` with the
/// members the catalogue's `errors` table says the code carries, filled with sample values
/// (`{"status":"OK","code":99,"url":...}` for code 99, which fails even with `"OK"`). A code
/// the table does not list is answered with `status` and `code` alone. An operation of the
/// public API answers its error object, `{"error": {"code": N, "message": ...}}`, with HTTP
/// status N when N is an HTTP error status (400 to 599), else with HTTP 200 (both forms public
/// clients report). A switch on a session
/// token also refuses that session's `authenticate` on the realtime socket: the envelope as an
/// error frame, then a close with code 1008.
#[derive(Debug, Default)]
pub struct PlayedErrors {
    switches: Mutex<Switches>,
}

#[derive(Debug, Default)]
struct Switches {
    operations: BTreeMap<String, i64>,
    tokens: BTreeMap<String, i64>,
}

impl PlayedErrors {
    fn with<R>(&self, f: impl FnOnce(&mut Switches) -> R) -> R {
        f(&mut self.switches.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Answers every call of the operation `name` (`get_order`) with the error `code`, until
    /// [`clear`](Self::clear). Answers whether the catalogue has the operation (nothing is
    /// switched on for one it does not).
    pub fn for_operation(&self, name: &str, code: i64) -> bool {
        let known = chatrace::OPERATIONS
            .iter()
            .chain(chatrace::PUBLIC_OPERATIONS.iter())
            .any(|meta| meta.name == name);
        if known {
            self.with(|s| s.operations.insert(name.to_owned(), code));
        }
        known
    }

    /// Answers every call made with the session `token` (in `X-ACCESS-TOKEN`), and its
    /// `authenticate` on the socket, with the error `code`, until [`clear`](Self::clear).
    pub fn for_token(&self, token: &str, code: i64) {
        self.with(|s| s.tokens.insert(token.to_owned(), code));
    }

    /// Switches every played error off.
    pub fn clear(&self) {
        self.with(|s| {
            s.operations.clear();
            s.tokens.clear();
        });
    }

    /// The code to answer a call of `operation` made with `token`, if one is switched on (the
    /// token's first).
    pub(crate) fn code_for(&self, operation: &str, token: Option<&str>) -> Option<i64> {
        self.with(|s| {
            token
                .and_then(|token| s.tokens.get(token))
                .or_else(|| s.operations.get(operation))
                .copied()
        })
    }

    /// The code switched on for the session `token`.
    pub(crate) fn code_for_token(&self, token: &str) -> Option<i64> {
        self.with(|s| s.tokens.get(token).copied())
    }
}

/// The envelope of error `code`: `status` (`"OK"` for a code that fails even then), `code`,
/// and a sample value of each member the table says it carries. `base_url` makes the sample
/// `url`.
pub(crate) fn envelope(code: i64, base_url: &str) -> String {
    let entry = ErrorCodeMeta::find(&chatrace::ERROR_CODES, code);
    let status = if entry.is_some_and(|e| e.fails_when_ok) {
        "OK"
    } else {
        "ERROR"
    };
    let mut rest = Map::new();
    for field in entry.map(|e| e.fields).unwrap_or_default() {
        insert_path(&mut rest, field.path, sample(field.path, code, base_url));
    }
    // `status` and `code` first, as the real server writes them.
    let mut text = format!("{{\"status\":\"{status}\",\"code\":{code}");
    for (key, value) in &rest {
        text.push_str(&format!(",{}:{value}", Value::from(key.as_str())));
    }
    text.push('}');
    text
}

/// A value of the member at `path` a client can show.
fn sample(path: &str, code: i64, base_url: &str) -> Value {
    match path.rsplit('.').next().unwrap_or(path) {
        "forced" | "new_window" => Value::Bool(false),
        "subcode" => Value::from(1),
        "channel" => Value::from(0),
        "url" => Value::from(format!("{base_url}played/{code}")),
        "message" | "msg" | "text" => Value::from(format!(
            "The sandbox plays error {code} (switched on by a test)."
        )),
        other => Value::from(format!("sandbox-{other}")),
    }
}

/// Sets the member at the dotted `path`, making the objects on the way.
fn insert_path(map: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            map.insert(path.to_owned(), value);
        }
        Some((first, rest)) => {
            let inner = map
                .entry(first.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(inner) = inner {
                insert_path(inner, rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_played_envelope_carries_what_the_table_says() {
        let redirect: Value = serde_json::from_str(&envelope(99, "http://x/")).expect("JSON");
        assert_eq!(redirect["status"], "OK");
        assert_eq!(redirect["url"], "http://x/played/99");
        assert_eq!(redirect["new_window"], false);
        let connect: Value = serde_json::from_str(&envelope(10, "http://x/")).expect("JSON");
        assert_eq!(connect["status"], "ERROR");
        assert_eq!(connect["data"]["channel"], 0);
        assert!(connect["data"]["ref"].is_string() && connect["data"]["text"].is_string());
        assert_eq!(
            envelope(7777, "http://x/"),
            r#"{"status":"ERROR","code":7777}"#
        );
    }

    #[test]
    fn a_token_switch_wins_over_an_operation_switch() {
        let played = PlayedErrors::default();
        assert!(played.for_operation("get_order", 4));
        assert!(
            played.for_operation("get_contact_record", 404),
            "a public operation"
        );
        assert!(!played.for_operation("no_such_operation", 4));
        played.for_token("tok", 1);
        assert_eq!(played.code_for("get_order", Some("tok")), Some(1));
        assert_eq!(played.code_for("get_order", Some("other")), Some(4));
        assert_eq!(played.code_for("list_tags", None), None);
        played.clear();
        assert_eq!(played.code_for("get_order", Some("tok")), None);
    }
}
