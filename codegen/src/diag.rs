//! Diagnostics: what is wrong with a catalogue, and where.

use std::fmt;

/// A position in a catalogue file, both 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct Pos {
    /// The line, from 1.
    pub line: u32,
    /// The column, from 1.
    pub column: u32,
}

/// One problem found in a catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where the problem is.
    pub pos: Pos,
    /// The item it belongs to, e.g. "operation `get_order`", or empty at the top level.
    pub context: String,
    /// What is wrong.
    pub message: String,
}

/// Every problem found in one catalogue file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueError {
    /// The file, as it was named to the loader.
    pub file: String,
    /// The problems, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl CatalogueError {
    /// A single problem that concerns the whole file (it cannot be read, say).
    pub fn whole_file(file: impl Into<String>, message: impl Into<String>) -> Self {
        CatalogueError {
            file: file.into(),
            diagnostics: vec![Diagnostic {
                pos: Pos { line: 1, column: 1 },
                context: String::new(),
                message: message.into(),
            }],
        }
    }

    /// The first problem, which a compiler error points at.
    pub fn first(&self) -> Option<&Diagnostic> {
        self.diagnostics.first()
    }

    /// One problem formatted as `file:line:column: context: message`.
    pub fn render(&self, diagnostic: &Diagnostic) -> String {
        let Diagnostic {
            pos,
            context,
            message,
        } = diagnostic;
        if context.is_empty() {
            format!("{}:{}:{}: {message}", self.file, pos.line, pos.column)
        } else {
            format!(
                "{}:{}:{}: {context}: {message}",
                self.file, pos.line, pos.column
            )
        }
    }
}

impl CatalogueError {
    /// One problem as rustc shows its errors: the message, `--> file:line:column`, then the
    /// offending line of `source` (the catalogue's text) with a caret under what is wrong. Falls
    /// back to [`CatalogueError::render`] when the line is not in `source`.
    pub fn render_snippet(&self, diagnostic: &Diagnostic, source: &str) -> String {
        let Diagnostic {
            pos,
            context,
            message,
        } = diagnostic;
        let Some(line) = source
            .lines()
            .nth(pos.line.saturating_sub(1) as usize)
            .filter(|_| pos.line > 0)
        else {
            return self.render(diagnostic);
        };
        let headline = if context.is_empty() {
            message.clone()
        } else {
            format!("{context}: {message}")
        };
        let number = pos.line.to_string();
        let gutter = " ".repeat(number.len());
        let line = line.trim_end();
        // The column counts characters; the caret goes under the word that starts there.
        let start = (pos.column.max(1) - 1) as usize;
        let indent: String = line
            .chars()
            .take(start)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let width = line
            .chars()
            .skip(start)
            .take_while(|c| {
                !c.is_whitespace() && !matches!(c, ',' | ':' | '{' | '}' | '[' | ']' | '#')
            })
            .count()
            .max(1);
        format!(
            "{headline}\n{gutter}--> {}:{}:{}\n{gutter} |\n{number} | {line}\n{gutter} | {indent}{}",
            self.file,
            pos.line,
            pos.column,
            "^".repeat(width)
        )
    }
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            f.write_str(&self.render(d))?;
        }
        Ok(())
    }
}

impl std::error::Error for CatalogueError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(line: u32, column: u32) -> (CatalogueError, Diagnostic) {
        let diagnostic = Diagnostic {
            pos: Pos { line, column },
            context: "operation `get_thing` param `id`".into(),
            message: "unknown key `requird`; did you mean `required`?".into(),
        };
        let error = CatalogueError {
            file: "api-spec.yaml".into(),
            diagnostics: vec![diagnostic.clone()],
        };
        (error, diagnostic)
    }

    #[test]
    fn a_snippet_shows_the_line_and_a_caret_under_the_word() {
        let source = "operations:\n  - name: get_thing\n    params:\n      id: { type: id, requird: true }\n";
        let (error, diagnostic) = error(4, 23);
        assert_eq!(
            error.render_snippet(&diagnostic, source),
            "operation `get_thing` param `id`: unknown key `requird`; did you mean `required`?\n --> api-spec.yaml:4:23\n  |\n4 |       id: { type: id, requird: true }\n  |                       ^^^^^^^"
        );
    }

    #[test]
    fn a_position_outside_the_text_falls_back_to_one_line() {
        let (error, diagnostic) = error(40, 1);
        assert_eq!(
            error.render_snippet(&diagnostic, "one line"),
            error.render(&diagnostic)
        );
    }
}

/// Collects diagnostics while a catalogue is read and checked.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a problem.
    pub fn push(&mut self, pos: Pos, context: &str, message: impl Into<String>) {
        self.items.push(Diagnostic {
            pos,
            context: context.to_string(),
            message: message.into(),
        });
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The problems, sorted by position, as an error of `file`.
    pub fn into_error(mut self, file: &str) -> CatalogueError {
        self.items.sort_by_key(|d| d.pos);
        CatalogueError {
            file: file.to_string(),
            diagnostics: self.items,
        }
    }
}
