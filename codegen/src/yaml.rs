//! A YAML tree that remembers where every node stands, so that each error names its line.

use crate::diag::Pos;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A YAML node and its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the node starts.
    pub pos: Pos,
}

/// The value of a node.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar, with whether it was quoted or a block (and so is text even when it looks
    /// like a number or `null`).
    Scalar {
        /// The scalar's text.
        text: String,
        /// Whether it was written plain (unquoted, not a block).
        plain: bool,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in file order.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The text of a scalar node.
    pub fn as_scalar(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// Whether this is a plain `null`, `~` or empty scalar.
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, plain: true } if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// A name for the node's kind, for messages.
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Scalar { .. } if self.is_null() => "null",
            Value::Scalar { .. } => "a scalar",
            Value::Seq(_) => "a sequence",
            Value::Map(_) => "a mapping",
        }
    }
}

/// A YAML syntax error or an unsupported construct, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Where the parser stopped.
    pub pos: Pos,
    /// What it found.
    pub message: String,
}

fn pos_of(mark: Marker) -> Pos {
    Pos {
        line: mark.line() as u32,
        column: mark.col() as u32 + 1,
    }
}

enum Frame {
    Seq(Pos, Vec<Node>),
    Map(Pos, Vec<(Node, Node)>, Option<Node>),
}

#[derive(Default)]
struct TreeBuilder {
    stack: Vec<Frame>,
    root: Option<Node>,
    error: Option<ParseError>,
}

impl TreeBuilder {
    fn complete(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, pending_key)) => match pending_key.take() {
                None => *pending_key = Some(node),
                Some(key) => entries.push((key, node)),
            },
        }
    }

    fn refuse(&mut self, pos: Pos, message: &str) {
        if self.error.is_none() {
            self.error = Some(ParseError {
                pos,
                message: message.to_string(),
            });
        }
    }
}

impl MarkedEventReceiver for TreeBuilder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let pos = pos_of(mark);
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    self.refuse(
                        pos,
                        "anchors and tags are not supported: write the value out",
                    );
                }
                let plain = style == TScalarStyle::Plain;
                self.complete(Node {
                    value: Value::Scalar { text, plain },
                    pos,
                });
            }
            Event::SequenceStart(anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    self.refuse(
                        pos,
                        "anchors and tags are not supported: write the value out",
                    );
                }
                self.stack.push(Frame::Seq(pos, Vec::new()));
            }
            Event::MappingStart(anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    self.refuse(
                        pos,
                        "anchors and tags are not supported: write the value out",
                    );
                }
                self.stack.push(Frame::Map(pos, Vec::new(), None));
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq(start, items)) = self.stack.pop() {
                    self.complete(Node {
                        value: Value::Seq(items),
                        pos: start,
                    });
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map(start, entries, _)) = self.stack.pop() {
                    self.complete(Node {
                        value: Value::Map(entries),
                        pos: start,
                    });
                }
            }
            Event::Alias(_) => {
                self.refuse(pos, "aliases are not supported: write the value out");
                self.complete(Node {
                    value: Value::Scalar {
                        text: String::new(),
                        plain: true,
                    },
                    pos,
                });
            }
            Event::DocumentStart if self.root.is_some() => {
                self.refuse(pos, "a catalogue is one YAML document; found a second one");
            }
            _ => {}
        }
    }
}

/// Parses `source` into a tree; `None` for an empty document.
pub fn parse(source: &str) -> Result<Option<Node>, ParseError> {
    let mut builder = TreeBuilder::default();
    let mut parser = Parser::new_from_str(source);
    parser.load(&mut builder, true).map_err(|e| ParseError {
        pos: pos_of(*e.marker()),
        message: format!("YAML syntax error: {}", e.info()),
    })?;
    if let Some(error) = builder.error {
        return Err(error);
    }
    Ok(builder.root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let root = parse("a: 1\nb:\n  - x\n").unwrap().unwrap();
        let Value::Map(entries) = &root.value else {
            panic!("not a map")
        };
        assert_eq!(entries[1].0.pos, Pos { line: 2, column: 1 });
        let Value::Seq(items) = &entries[1].1.value else {
            panic!("not a seq")
        };
        assert_eq!(items[0].pos, Pos { line: 3, column: 5 });
    }

    #[test]
    fn quoted_scalars_are_not_plain() {
        let root = parse("a: '1'\n").unwrap().unwrap();
        let Value::Map(entries) = &root.value else {
            panic!("not a map")
        };
        assert_eq!(
            entries[0].1.value,
            Value::Scalar {
                text: "1".into(),
                plain: false
            }
        );
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.pos.line >= 2, "{err:?}");
        assert!(err.message.contains("YAML syntax error"));
    }

    #[test]
    fn aliases_are_refused() {
        let err = parse("a: &x 1\nb: *x\n").unwrap_err();
        assert!(err.message.contains("not supported"));
        assert_eq!(err.pos.line, 1);
    }
}
