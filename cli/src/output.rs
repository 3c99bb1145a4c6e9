//! What a command prints on stdout: answers as JSON, messages, and the table of operations.

use std::io::{self, Write};

use chatrace::{OperationMeta, Spelled};
use clap::ArgMatches;
use serde_json::{json, Value};

use crate::commands::global;
use crate::error::{CliError, Exit};
use crate::flags::kebab;

/// How results are printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Output {
    /// Indented JSON (the default).
    #[default]
    Pretty,
    /// Compact JSON on one line.
    Json,
}

impl Output {
    /// The `--output` of `matches`.
    pub fn of(matches: &ArgMatches) -> Output {
        match matches
            .try_get_one::<String>(global::OUTPUT)
            .ok()
            .flatten()
            .map(String::as_str)
        {
            Some("json") => Output::Json,
            _ => Output::Pretty,
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
        Output::Pretty => serde_json::to_string_pretty(value),
        Output::Json => serde_json::to_string(value),
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

/// The table of operations: one line per operation (subcommand, provenance, title), each
/// followed by what is still inferred in it, indented; with `--output json`, an array of
/// `{name, operation, provenance, title, inferred}`.
pub fn ops_listing(ops: &[&'static OperationMeta], output: Output) -> String {
    if output == Output::Json {
        let list: Vec<Value> = ops
            .iter()
            .map(|op| {
                json!({
                    "name": kebab(op.name),
                    "operation": op.name,
                    "provenance": op.provenance.spelling(),
                    "title": op.title,
                    "inferred": op.inferred,
                })
            })
            .collect();
        return Value::Array(list).to_string();
    }
    let width = ops.iter().map(|op| op.name.len()).max().unwrap_or(0);
    let mut lines = Vec::with_capacity(ops.len());
    for op in ops {
        lines.push(format!(
            "{:<width$}  {:<10}  {}",
            kebab(op.name),
            op.provenance.spelling(),
            op.title.trim()
        ));
        for sentence in op.inferred {
            lines.push(format!("    inferred: {}", sentence.trim()));
        }
    }
    lines.join("\n")
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
}
