//! What a command prints on stdout: answers in the format asked for (a table, JSON, JSON
//! lines), messages, lines of events and of what was sent, and the table of operations.

use std::io::{self, BufWriter, StdoutLock, Write};

use chatrace::{OperationMeta, Spelled};
use clap::ArgMatches;
use serde_json::{json, Value};

use crate::answer::items_of;
use crate::error::{CliError, Exit};
use crate::flags::kebab;
use crate::global;
use crate::table;
use crate::terminal::{visible, Terminal};

/// How results are printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Output {
    /// Aligned columns: the default on a terminal.
    Table,
    /// Indented JSON: the default when stdout is not a terminal.
    #[default]
    Pretty,
    /// Compact JSON on one line.
    Json,
    /// One compact JSON line per item of a list (an answer that is no list: one line).
    Jsonl,
}

impl Output {
    /// The `--output` of `matches` (or `CHATRACE_OUTPUT`); when neither is given, a table on a
    /// terminal and indented JSON elsewhere.
    pub fn choose(matches: &ArgMatches, terminal: &Terminal) -> Output {
        let given = matches
            .try_get_one::<String>(global::OUTPUT)
            .ok()
            .flatten()
            .map(String::as_str);
        match given {
            Some("table") => Output::Table,
            Some("pretty") => Output::Pretty,
            Some("json") => Output::Json,
            Some("jsonl") => Output::Jsonl,
            _ if terminal.stdout => Output::Table,
            _ => Output::Pretty,
        }
    }

    /// Whether the output is JSON of some form (for tools, not people).
    pub fn is_json(self) -> bool {
        self != Output::Table
    }
}

/// Prints an operation's answer on stdout in `output`'s format: a table (`columns` wide) of
/// the answer's items, or of the fields of an answer that is no list; JSON; or one JSON line
/// per item (see [`items_of`]).
///
/// # Errors
///
/// When stdout cannot be written (a closed pipe is not an error).
pub fn print_answer(
    answer: &Value,
    op: &'static OperationMeta,
    output: Output,
    columns: u16,
) -> Result<(), CliError> {
    match output {
        Output::Table => print_text(&table::render(answer, op, columns)),
        Output::Jsonl => {
            let mut lines = JsonLines::stdout();
            match items_of(answer, op) {
                Some(items) => lines.write_all(items)?,
                None => lines.write_all(std::slice::from_ref(answer))?,
            }
            lines.flush()
        }
        Output::Pretty | Output::Json => print_json(answer, output),
    }
}

/// JSON lines on stdout, buffered and flushed when asked (after each page); a closed pipe
/// (`| head`) ends the writing quietly.
pub struct JsonLines {
    out: BufWriter<StdoutLock<'static>>,
    closed: bool,
}

impl JsonLines {
    /// Lines on the process's stdout.
    pub fn stdout() -> Self {
        JsonLines {
            out: BufWriter::new(io::stdout().lock()),
            closed: false,
        }
    }

    /// Whether the reader went away (a closed pipe): nothing more is written.
    pub fn closed(&self) -> bool {
        self.closed
    }

    /// Writes each item as one line of compact JSON.
    ///
    /// # Errors
    ///
    /// When stdout cannot be written for another reason than a closed pipe.
    pub fn write_all(&mut self, items: &[Value]) -> Result<(), CliError> {
        for item in items {
            if self.closed {
                return Ok(());
            }
            let written = serde_json::to_writer(&mut self.out, item)
                .map_err(io::Error::from)
                .and_then(|()| self.out.write_all(b"\n"));
            self.check(written)?;
        }
        Ok(())
    }

    /// Writes what is buffered.
    ///
    /// # Errors
    ///
    /// When stdout cannot be written for another reason than a closed pipe.
    pub fn flush(&mut self) -> Result<(), CliError> {
        if self.closed {
            return Ok(());
        }
        let flushed = self.out.flush();
        self.check(flushed)
    }

    fn check(&mut self, result: io::Result<()>) -> Result<(), CliError> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            Err(e) => Err(CliError::usage(format!("cannot write to stdout: {e}"))),
            Ok(()) => Ok(()),
        }
    }
}

/// Prints a JSON value on stdout.
///
/// # Errors
///
/// When stdout cannot be written (a closed pipe, as in `| head`, is not an error).
pub fn print_json(value: &Value, output: Output) -> Result<(), CliError> {
    let text = match output {
        Output::Pretty | Output::Table => serde_json::to_string_pretty(value),
        Output::Json | Output::Jsonl => serde_json::to_string(value),
    }
    .map_err(|e| CliError::new(Exit::Transport, format!("cannot print the answer: {e}")))?;
    print_text(&text)
}

/// Prints a line of text on stdout.
///
/// # Errors
///
/// When stdout cannot be written (a closed pipe is not an error).
pub fn print_text(text: &str) -> Result<(), CliError> {
    let mut stdout = io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(CliError::usage(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}

/// The command that runs an operation: its kebab-case name, under `public` for the public
/// API's (`public get-contact-record`).
pub fn command_of(op: &OperationMeta) -> String {
    match op.http {
        Some(_) => format!("public {}", kebab(op.name)),
        None => kebab(op.name),
    }
}

/// The table of operations: one line per operation (command, provenance, a public API
/// operation's method and path, title), each followed by what is still inferred in it,
/// indented; with `--output json` (or `jsonl`), an array of `{name, command, api, operation,
/// provenance, method, path, title, inferred}` (`method` and `path` for the public API's).
pub fn ops_listing(ops: &[&'static OperationMeta], output: Output) -> String {
    if matches!(output, Output::Json | Output::Jsonl) {
        let list: Vec<Value> = ops
            .iter()
            .map(|op| {
                let mut entry = json!({
                    "name": kebab(op.name),
                    "command": command_of(op),
                    "api": op.api.spelling(),
                    "operation": op.name,
                    "provenance": op.provenance.spelling(),
                    "title": op.title,
                    "inferred": op.inferred,
                });
                if let Some(http) = op.http {
                    entry["method"] = json!(http.method.spelling());
                    entry["path"] = json!(http.path);
                }
                entry
            })
            .collect();
        return Value::Array(list).to_string();
    }
    let commands: Vec<String> = ops.iter().map(|op| command_of(op)).collect();
    let width = commands.iter().map(String::len).max().unwrap_or(0);
    let route = |op: &OperationMeta| {
        op.http
            .map(|http| format!("{} {}", http.method.spelling(), http.path))
    };
    let route_width = ops
        .iter()
        .filter_map(|op| route(op))
        .map(|r| r.len())
        .max()
        .unwrap_or(0);
    let mut lines = Vec::with_capacity(ops.len());
    for (op, command) in ops.iter().zip(&commands) {
        let route = route(op)
            .map(|route| format!("{route:<route_width$}  "))
            .unwrap_or_default();
        lines.push(format!(
            "{command:<width$}  {:<10}  {route}{}",
            op.provenance.spelling(),
            op.title.trim()
        ));
        for sentence in op.inferred {
            lines.push(format!("    inferred: {}", sentence.trim()));
        }
    }
    lines.join("\n")
}

/// Values printed on stdout one line each (events, what `send` sent): compact JSON with
/// `-o json` or `-o jsonl`, else a line of text; nothing more once stdout is closed.
pub(crate) struct Lines {
    output: Output,
    open: bool,
}

impl Lines {
    pub(crate) fn new(output: Output) -> Self {
        Lines { output, open: true }
    }

    /// Prints `json` (with `-o json`) or `text`; `false` once stdout is closed.
    pub(crate) fn print(&mut self, json: &Value, text: &str) -> bool {
        if !self.open {
            return false;
        }
        let line = self.line(json, text);
        let mut stdout = io::stdout().lock();
        self.open = writeln!(stdout, "{line}")
            .and_then(|()| stdout.flush())
            .is_ok();
        self.open
    }

    /// The line [`Lines::print`] prints: `json` compact (with `-o json`), or `text` with its
    /// control characters shown escaped ([`visible`]).
    fn line(&self, json: &Value, text: &str) -> String {
        match self.output {
            Output::Json | Output::Jsonl => json.to_string(),
            Output::Pretty | Output::Table => visible(text).into_owned(),
        }
    }
}

/// The line `send` prints once the message is written (over the socket, or over HTTP for a
/// template).
pub(crate) fn sent_line(report: &Value) -> String {
    let text_of = |key: &str| report.get(key).and_then(Value::as_str);
    let what = match (report.get("text"), text_of("file"), text_of("template")) {
        (Some(text), _, _) => text.to_string(),
        (_, Some(path), _) => format!("[{}] {path}", text_of("kind").unwrap_or("file")),
        (_, _, Some(template)) => format!(
            "[template] {template} ({})",
            text_of("language").unwrap_or("?")
        ),
        _ => String::new(),
    };
    format!(
        "sent to {} on channel {}: {what}",
        report.get("contact").and_then(Value::as_str).unwrap_or("?"),
        report.get("channel").unwrap_or(&Value::Null)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_a_line_per_operation_and_its_inferences() {
        let text = ops_listing(&chatrace::OPERATIONS, Output::Pretty);
        let heads: Vec<&str> = text.lines().filter(|l| !l.starts_with(' ')).collect();
        assert_eq!(heads.len(), chatrace::OPERATIONS.len());
        let inferred = text
            .lines()
            .filter(|l| l.starts_with("    inferred: "))
            .count();
        let expected: usize = chatrace::OPERATIONS
            .iter()
            .map(|op| op.inferred.len())
            .sum();
        assert_eq!(inferred, expected);
        for (line, op) in heads.iter().zip(chatrace::OPERATIONS.iter()) {
            assert!(line.starts_with(&kebab(op.name)), "{line}");
            assert!(line.contains(op.provenance.spelling()), "{line}");
        }
        let json: Value = serde_json::from_str(&ops_listing(&chatrace::OPERATIONS, Output::Json))
            .unwrap_or_default();
        assert_eq!(
            json.as_array().map(Vec::len),
            Some(chatrace::OPERATIONS.len())
        );
        assert!(json[0]["inferred"].is_array());
    }

    #[test]
    fn sent_lines_say_what_went_where() {
        let report = json!({"event": "sent", "contact": "7", "channel": 0, "text": "Hi"});
        assert_eq!(sent_line(&report), "sent to 7 on channel 0: \"Hi\"");
        let report = json!({"event": "sent", "contact": "7", "channel": 5, "file": "a.jpg", "kind": "image"});
        assert_eq!(sent_line(&report), "sent to 7 on channel 5: [image] a.jpg");
        let report = json!({"event": "sent", "contact": "7", "channel": 5, "template": "order_shipped", "language": "en_US"});
        assert_eq!(
            sent_line(&report),
            "sent to 7 on channel 5: [template] order_shipped (en_US)"
        );
    }

    #[test]
    fn lines_of_text_show_control_characters_escaped_and_json_stays() {
        let report = json!({"event": "sent", "contact": "7\u{1b}]0;x\u{7}", "channel": 0,
            "text": "Hi\u{1b}[2J"});
        let text = Lines::new(Output::Table).line(&report, &sent_line(&report));
        assert_eq!(
            text,
            r#"sent to 7\u{1b}]0;x\u{7} on channel 0: "Hi\u001b[2J""#
        );
        let event = crate::realtime::event_line(&chatrace::realtime::RealtimeEvent::Disconnected {
            reason: "gone\u{1b}[31m\u{9b}".into(),
        });
        assert_eq!(
            Lines::new(Output::Pretty).line(&report, &event),
            r"disconnected: gone\u{1b}[31m\u{9b}"
        );
        let json = Lines::new(Output::Json).line(&report, "unused");
        assert_eq!(serde_json::from_str::<Value>(&json).ok(), Some(report));
    }

    #[test]
    fn the_public_apis_operations_show_their_method_and_path() {
        let ops = crate::app::catalogue_operations();
        let text = ops_listing(&ops, Output::Pretty);
        let line = text
            .lines()
            .find(|l| l.starts_with("public get-contact-record "))
            .unwrap_or_else(|| panic!("no public get-contact-record: {text}"));
        assert!(
            line.contains("  swagger     GET /contacts/{contact_id} "),
            "{line}"
        );
        let heads = text.lines().filter(|l| !l.starts_with(' ')).count();
        assert_eq!(heads, ops.len());
        assert_eq!(
            text.lines().filter(|l| l.starts_with("public ")).count(),
            chatrace::PUBLIC_OPERATIONS.len()
        );
        let json: Value =
            serde_json::from_str(&ops_listing(&ops, Output::Json)).unwrap_or_default();
        let entry = json
            .as_array()
            .and_then(|list| list.iter().find(|e| e["operation"] == "add_tag_to_contact"))
            .cloned()
            .unwrap_or_default();
        assert_eq!(entry["command"], "public add-tag-to-contact");
        assert_eq!(entry["api"], "public");
        assert_eq!(entry["method"], "POST");
        assert_eq!(entry["path"], "/contacts/{contact_id}/tags/{tag_id}");
        assert_eq!(json[0]["api"], "mobile");
        assert!(json[0].get("method").is_none());
    }
}
