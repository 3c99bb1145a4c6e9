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
