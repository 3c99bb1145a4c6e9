//! The catalogue's JSON templates of frames and message parts, compiled once: JSON whose
//! strings hold `{placeholders}`, filled with the session's and the caller's values when a
//! frame is sent. Keeping their shape in the catalogue means no Rust names a frame's field.

use chatrace_vocab::{Placeholder, Spelled};
use serde_json::{Map, Value};

/// A template, its placeholders resolved: filling it parses nothing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Template {
    root: Node,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    /// A value without placeholders, sent as it is.
    Fixed(Value),
    /// A string that is exactly one placeholder: its value, of any JSON kind.
    Whole(Placeholder),
    /// A string with placeholders among other text: their text.
    Text(Vec<Piece>),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Literal(String),
    Slot(Placeholder),
}

impl Template {
    /// Compiles the JSON text of a template.
    ///
    /// # Errors
    ///
    /// The text is not JSON, or names a placeholder the vocabulary does not know.
    pub(crate) fn parse(text: &str) -> Result<Template, String> {
        let json: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        Ok(Template {
            root: compile(json)?,
        })
    }

    /// The template filled: a string that is exactly `{name}` becomes the value of `name`
    /// (keeping its JSON kind: a number stays a number); a string holding placeholders among
    /// other text gets their text. A member whose whole value is a placeholder with no value is
    /// left out (an item of a list becomes `null`), so that what is not known is not sent.
    pub(crate) fn fill(&self, value_of: &dyn Fn(Placeholder) -> Option<Value>) -> Value {
        fill(&self.root, value_of).unwrap_or(Value::Null)
    }
}

fn compile(json: Value) -> Result<Node, String> {
    Ok(match json {
        Value::String(text) => compile_text(text)?,
        Value::Array(items) => {
            let items = items.into_iter().map(compile).collect::<Result<_, _>>()?;
            fixed_or(Node::Array(items))
        }
        Value::Object(map) => {
            let members = map
                .into_iter()
                .map(|(key, value)| Ok((key, compile(value)?)))
                .collect::<Result<_, String>>()?;
            fixed_or(Node::Object(members))
        }
        other => Node::Fixed(other),
    })
}

/// A list or object with no placeholder inside, as one fixed value.
fn fixed_or(node: Node) -> Node {
    fn fixed(node: &Node) -> Option<Value> {
        match node {
            Node::Fixed(value) => Some(value.clone()),
            Node::Array(items) => items
                .iter()
                .map(fixed)
                .collect::<Option<_>>()
                .map(Value::Array),
            Node::Object(members) => members
                .iter()
                .map(|(key, node)| Some((key.clone(), fixed(node)?)))
                .collect::<Option<Map<_, _>>>()
                .map(Value::Object),
            Node::Whole(_) | Node::Text(_) => None,
        }
    }
    fixed(&node).map_or(node, Node::Fixed)
}

fn compile_text(text: String) -> Result<Node, String> {
    let mut pieces = Vec::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        let slot = Placeholder::from_spelling(name).ok_or_else(|| {
            format!(
                "unknown placeholder `{{{name}}}` (known: {})",
                Placeholder::expected()
            )
        })?;
        if start > 0 {
            pieces.push(Piece::Literal(rest[..start].to_owned()));
        }
        pieces.push(Piece::Slot(slot));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Literal(rest.to_owned()));
    }
    Ok(match pieces.as_slice() {
        [Piece::Slot(slot)] => Node::Whole(*slot),
        _ if pieces.iter().all(|p| matches!(p, Piece::Literal(_))) => {
            Node::Fixed(Value::String(text))
        }
        _ => Node::Text(pieces),
    })
}

/// A node filled; `None` when it is one placeholder that has no value.
fn fill(node: &Node, value_of: &dyn Fn(Placeholder) -> Option<Value>) -> Option<Value> {
    Some(match node {
        Node::Fixed(value) => value.clone(),
        Node::Whole(slot) => return value_of(*slot),
        Node::Text(pieces) => {
            let mut out = String::new();
            for piece in pieces {
                match piece {
                    Piece::Literal(text) => out.push_str(text),
                    Piece::Slot(slot) => match value_of(*slot) {
                        Some(Value::String(s)) => out.push_str(&s),
                        Some(Value::Null) | None => {}
                        Some(other) => out.push_str(&other.to_string()),
                    },
                }
            }
            Value::String(out)
        }
        Node::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| fill(item, value_of).unwrap_or(Value::Null))
                .collect(),
        ),
        Node::Object(members) => {
            let mut out = Map::new();
            for (key, node) in members {
                if let Some(value) = fill(node, value_of) {
                    out.insert(key.clone(), value);
                }
            }
            Value::Object(out)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values(name: Placeholder) -> Option<Value> {
        match name {
            Placeholder::Account => Some(json!(1234567)),
            Placeholder::Text => Some(json!("Hi there")),
            Placeholder::User => Some(json!("1000000002")),
            Placeholder::Parts => Some(json!([{"type": "text"}])),
            _ => None,
        }
    }

    fn filled(template: Value) -> Value {
        Template::parse(&template.to_string())
            .expect("a template")
            .fill(&values)
    }

    #[test]
    fn whole_placeholders_keep_their_json_kind_and_unknown_ones_are_left_out() {
        let template = json!({
            "account_id": "{account}", "from": "{user}", "platform": "{platform}", "dir": 0,
            "message": [{"type": "text", "text": "{text}", "replyingTo": "{replying_to}"}],
            "parts": "{parts}",
            "label": "to {user}: {text}{hash}, {account}"
        });
        assert_eq!(
            filled(template),
            json!({
                "account_id": 1234567, "from": "1000000002", "dir": 0,
                "message": [{"type": "text", "text": "Hi there"}],
                "parts": [{"type": "text"}],
                "label": "to 1000000002: Hi there, 1234567"
            })
        );
        assert_eq!(filled(json!(["{token}", 1])), json!([null, 1]));
    }

    #[test]
    fn text_without_placeholders_and_unclosed_braces_are_kept() {
        assert_eq!(
            filled(json!({"a": "plain", "b": "half {open", "c": [1, {"d": true}]})),
            json!({"a": "plain", "b": "half {open", "c": [1, {"d": true}]})
        );
    }

    #[test]
    fn bad_text_and_unknown_placeholders_are_refused_with_why() {
        assert!(Template::parse("{not json").is_err());
        let error = Template::parse(r#"{"text": "{body}"}"#).unwrap_err();
        assert!(error.contains("unknown placeholder `{body}`"), "{error}");
        assert!(
            error.contains("replying_to"),
            "names the known ones: {error}"
        );
    }
}
