//! JSON templates of the catalogue: the realtime frames and message parts are written in
//! `api-spec.yaml` as JSON with `{placeholders}`, which generated code fills with typed values.
//! Keeping their shape in the catalogue means no Rust names a frame's field.

use std::sync::OnceLock;

use serde_json::{Map, Value};

/// A template of the catalogue, as generated code keeps it: its JSON text, parsed once at its
/// first use.
#[derive(Debug)]
pub struct Template {
    text: &'static str,
    parsed: OnceLock<Result<Value, String>>,
}

impl Template {
    /// A template of this JSON text (parsed when first used).
    pub const fn new(text: &'static str) -> Self {
        Template {
            text,
            parsed: OnceLock::new(),
        }
    }

    /// The template's JSON, or why its text is not JSON.
    ///
    /// # Errors
    ///
    /// The parse error of the text, on one line.
    pub fn parsed(&self) -> Result<&Value, String> {
        self.parsed
            .get_or_init(|| serde_json::from_str(self.text).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// Fills a template: a string that is exactly `{name}` becomes the value of `name` (keeping its
/// JSON kind: a number stays a number); a string holding placeholders among other text gets
/// their text. A member whose whole value is a placeholder with no value is left out (an item
/// of a list becomes `null`), so that what is not known is not sent.
pub fn fill(template: &Value, value_of: &dyn Fn(&str) -> Option<Value>) -> Value {
    match template {
        Value::String(text) => fill_text(text, value_of).unwrap_or(Value::Null),
        Value::Array(items) => Value::Array(items.iter().map(|i| fill(i, value_of)).collect()),
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (key, value) in map {
                if let Value::String(text) = value {
                    match fill_text(text, value_of) {
                        Some(filled) => out.insert(key.clone(), filled),
                        None => continue,
                    };
                } else {
                    out.insert(key.clone(), fill(value, value_of));
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// A template string filled; `None` when it is one placeholder that has no value.
fn fill_text(text: &str, value_of: &dyn Fn(&str) -> Option<Value>) -> Option<Value> {
    if let Some(name) = whole_placeholder(text) {
        return value_of(name);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push_str(&rest[..start]);
        let name = &rest[start + 1..start + len];
        match value_of(name) {
            Some(Value::String(s)) => out.push_str(&s),
            Some(Value::Null) | None => {}
            Some(other) => out.push_str(&other.to_string()),
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    Some(Value::String(out))
}

fn whole_placeholder(text: &str) -> Option<&str> {
    let name = text.strip_prefix('{')?.strip_suffix('}')?;
    (!name.is_empty() && !name.contains(['{', '}'])).then_some(name)
}

/// The value at a dotted path of member names (`me.fb_id`), when there is one that is not
/// `null` nor an empty string.
pub fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    let mut at = value;
    for part in path.split('.') {
        at = at.get(part)?;
    }
    match at {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        found => Some(found),
    }
}

/// An id as the realtime frames send it: a number when its text is one, else the text.
pub fn id_json(text: &str) -> Value {
    match text.parse::<u64>() {
        Ok(number) => Value::from(number),
        Err(_) => Value::String(text.to_owned()),
    }
}

/// A time the server sent (a number or text of digits), in milliseconds; `seconds` says the
/// value is in seconds.
pub fn time_ms(value: &Value, seconds: bool) -> Option<i64> {
    let number = match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }?;
    Some(if seconds {
        number.saturating_mul(1000)
    } else {
        number
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values(name: &str) -> Option<Value> {
        match name {
            "account" => Some(json!(1234567)),
            "text" => Some(json!("Hi there")),
            "user" => Some(json!("1000000002")),
            _ => None,
        }
    }

    #[test]
    fn whole_placeholders_keep_their_json_kind_and_unknown_ones_are_left_out() {
        let template = json!({
            "account_id": "{account}", "from": "{user}", "platform": "{platform}", "dir": 0,
            "message": [{"type": "text", "text": "{text}", "replyingTo": "{replying_to}"}],
            "label": "to {user}: {text}{missing}"
        });
        assert_eq!(
            fill(&template, &values),
            json!({
                "account_id": 1234567, "from": "1000000002", "dir": 0,
                "message": [{"type": "text", "text": "Hi there"}],
                "label": "to 1000000002: Hi there"
            })
        );
        assert_eq!(fill(&json!(["{nothing}", 1]), &values), json!([null, 1]));
    }

    #[test]
    fn paths_read_nested_members_and_skip_empty_ones() {
        let answer = json!({"me": {"fb_id": "1000000002"}, "wsurl": "", "websocket": "wss://x"});
        assert_eq!(lookup(&answer, "me.fb_id"), Some(&json!("1000000002")));
        assert_eq!(lookup(&answer, "wsurl"), None, "an empty URL is no URL");
        assert_eq!(lookup(&answer, "websocket"), Some(&json!("wss://x")));
        assert_eq!(lookup(&answer, "me.missing"), None);
    }

    #[test]
    fn templates_are_parsed_once_and_bad_text_says_why() {
        static GOOD: Template = Template::new(r#"{"text": "{text}"}"#);
        static BAD: Template = Template::new("{not json");
        let first = GOOD.parsed().expect("JSON") as *const Value;
        assert_eq!(GOOD.parsed(), Ok(&json!({"text": "{text}"})));
        assert_eq!(
            GOOD.parsed().expect("JSON") as *const Value,
            first,
            "parsed once"
        );
        assert!(BAD.parsed().is_err());
    }

    #[test]
    fn ids_and_times_read_as_the_frames_need_them() {
        assert_eq!(id_json("2850008055041461"), json!(2850008055041461u64));
        assert_eq!(id_json("m_PGup8V"), json!("m_PGup8V"));
        assert_eq!(time_ms(&json!("1688201188610"), false), Some(1688201188610));
        assert_eq!(time_ms(&json!(1688459542), true), Some(1688459542000));
        assert_eq!(time_ms(&json!("[timestamp]"), false), None);
    }
}
