//! Whether stdout and stderr are terminals and how wide: detected, or forced with
//! `CHATRACE_FORCE_TTY` (for tests, and for a pipe into a pager).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, IsTerminal};

/// The variable that makes the CLI act as on a terminal even when its output is redirected:
/// a number is the width in columns; any other non-empty value keeps the detected width (or
/// [`DEFAULT_WIDTH`]).
pub const FORCE_TTY: &str = "CHATRACE_FORCE_TTY";

/// The width assumed when a terminal does not say its own.
pub const DEFAULT_WIDTH: u16 = 100;

/// What the process writes to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Terminal {
    /// Whether stdout is a terminal (or is forced to count as one).
    pub stdout: bool,
    /// Whether stderr is a terminal (or is forced to count as one).
    pub stderr: bool,
    /// Whether `CHATRACE_FORCE_TTY` decided it.
    pub forced: bool,
    /// The width of the terminal in columns, when known.
    pub width: Option<u16>,
}

impl Terminal {
    /// The process's terminal, as detected or forced.
    pub fn detect() -> Terminal {
        let size = terminal_size::terminal_size_of(io::stdout())
            .or_else(|| terminal_size::terminal_size_of(io::stderr()))
            .map(|(width, _)| width.0);
        Terminal::decide(
            std::env::var(FORCE_TTY).ok().as_deref(),
            io::stdout().is_terminal(),
            io::stderr().is_terminal(),
            size,
        )
    }

    /// The terminal that `force` (the variable's value), the detected terminals and the
    /// detected width make.
    pub fn decide(force: Option<&str>, stdout: bool, stderr: bool, size: Option<u16>) -> Self {
        match force.map(str::trim).filter(|value| !value.is_empty()) {
            Some(value) => Terminal {
                stdout: true,
                stderr: true,
                forced: true,
                width: value
                    .parse::<u16>()
                    .ok()
                    .filter(|width| *width > 0)
                    .or(size),
            },
            None => Terminal {
                stdout,
                stderr,
                forced: false,
                width: size,
            },
        }
    }

    /// The width tables fit in.
    pub fn columns(&self) -> u16 {
        self.width.unwrap_or(DEFAULT_WIDTH)
    }
}

/// `text` as a terminal may be given it: every control character (C0, DEL and C1: what
/// [`char::is_control`] says) is written as its escape `\u{..}` in hex, ESC as `\u{1b}`, BEL
/// as `\u{7}`, a line break as `\u{a}`; every other character is kept as it is (a backslash
/// too). A text from the server (a contact's name, a message) thus cannot move the cursor,
/// ring the bell, set the window's title or start any other escape sequence (CSI, OSC), and
/// every character shown takes the columns a table counts for it.
///
/// Every human-readable output of a text from the server goes through it: table cells and
/// headers, the lines of `send` and `watch`, and error messages. JSON output escapes control
/// characters itself.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            let _ = write!(shown, "{}", c.escape_unicode());
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variable_forces_a_terminal_and_may_give_its_width() {
        let piped = Terminal::decide(None, false, false, None);
        assert!(!piped.stdout && !piped.stderr && !piped.forced);
        assert_eq!(piped.columns(), DEFAULT_WIDTH);
        let forced = Terminal::decide(Some("72"), false, false, Some(200));
        assert!(forced.stdout && forced.stderr && forced.forced);
        assert_eq!(forced.columns(), 72);
        let any = Terminal::decide(Some("yes"), false, false, Some(120));
        assert!(any.stdout);
        assert_eq!(any.columns(), 120);
        let empty = Terminal::decide(Some(" "), true, false, Some(90));
        assert!(empty.stdout && !empty.stderr && !empty.forced);
        assert_eq!(empty.columns(), 90);
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        assert!(matches!(
            visible("Zoë 👋 a\\b"),
            Cow::Borrowed("Zoë 👋 a\\b")
        ));
        assert_eq!(
            visible("\u{1b}]0;pwned\u{7}\u{1b}[2Jhi\0"),
            "\\u{1b}]0;pwned\\u{7}\\u{1b}[2Jhi\\u{0}"
        );
        assert_eq!(visible("a\tb\nc\rd"), "a\\u{9}b\\u{a}c\\u{d}d");
        assert_eq!(
            visible("\u{7f}\u{80}\u{9b}31m\u{9f}"),
            "\\u{7f}\\u{80}\\u{9b}31m\\u{9f}"
        );
        assert_eq!(visible("\u{a0}"), "\u{a0}", "no-break space is no control");
    }
}
