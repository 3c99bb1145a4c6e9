//! Progress on stderr, for people: pages and items of `--all` and `export`, bytes of an
//! upload. Shown only when stderr is a terminal and the output is not `-o json`.

use std::io::{self, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle, TermLike};

use crate::output::Output;
use crate::terminal::Terminal;

/// How often a spinner moves on its own.
const TICK: Duration = Duration::from_millis(120);

/// A progress line on stderr, or nothing.
#[derive(Debug, Clone)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Nothing is shown.
    pub fn hidden() -> Progress {
        Progress { bar: None }
    }

    /// Whether progress is shown for `output` on `terminal`.
    pub fn wanted(terminal: &Terminal, output: Output) -> bool {
        terminal.stderr && output != Output::Json
    }

    /// A count of pages and items, `what` naming the listing.
    pub fn items(terminal: &Terminal, output: Output, what: &str) -> Progress {
        Progress::start(
            terminal,
            output,
            None,
            "{spinner} {prefix}: {msg} ({elapsed})",
            what,
        )
    }

    /// A count of bytes out of `total`, `what` naming the file.
    pub fn bytes(terminal: &Terminal, output: Output, total: u64, what: &str) -> Progress {
        Progress::start(
            terminal,
            output,
            Some(total),
            "{prefix} [{wide_bar}] {bytes}/{total_bytes} {bytes_per_sec}",
            what,
        )
    }

    fn start(
        terminal: &Terminal,
        output: Output,
        total: Option<u64>,
        template: &str,
        what: &str,
    ) -> Progress {
        if !Progress::wanted(terminal, output) {
            return Progress::hidden();
        }
        let target = if terminal.forced {
            // Drawn even where stderr is no terminal: the variable says to act as on one.
            ProgressDrawTarget::term_like(Box::new(ForcedTerminal {
                width: terminal.columns(),
            }))
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(total, target);
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(what.to_owned());
        if total.is_none() {
            bar.enable_steady_tick(TICK);
        }
        Progress { bar: Some(bar) }
    }

    /// Records a page: the pages and items so far.
    pub fn page(&self, pages: u64, items: u64) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{pages} pages, {items} items"));
        }
    }

    /// Records a step of a listing of listings: what is done so far.
    pub fn say(&self, message: String) {
        if let Some(bar) = &self.bar {
            bar.set_message(message);
        }
    }

    /// Records bytes sent so far.
    pub fn position(&self, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(bytes);
        }
    }

    /// Ends the line, leaving its last state on screen.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish();
        }
    }
}

/// stderr as a terminal of a given width, whatever it is (see
/// [`FORCE_TTY`](crate::terminal::FORCE_TTY)).
#[derive(Debug)]
struct ForcedTerminal {
    width: u16,
}

impl ForcedTerminal {
    fn write(&self, text: &str) -> io::Result<()> {
        io::stderr().lock().write_all(text.as_bytes())
    }

    /// Moves the cursor `n` cells in the direction of the ANSI code `direction`.
    fn cursor(&self, n: usize, direction: char) -> io::Result<()> {
        if n == 0 {
            return Ok(());
        }
        self.write(&format!("\x1b[{n}{direction}"))
    }
}

impl TermLike for ForcedTerminal {
    fn width(&self) -> u16 {
        self.width
    }

    fn move_cursor_up(&self, n: usize) -> io::Result<()> {
        self.cursor(n, 'A')
    }

    fn move_cursor_down(&self, n: usize) -> io::Result<()> {
        self.cursor(n, 'B')
    }

    fn move_cursor_right(&self, n: usize) -> io::Result<()> {
        self.cursor(n, 'C')
    }

    fn move_cursor_left(&self, n: usize) -> io::Result<()> {
        self.cursor(n, 'D')
    }

    fn write_line(&self, line: &str) -> io::Result<()> {
        self.write(&format!("{line}\n"))
    }

    fn write_str(&self, text: &str) -> io::Result<()> {
        self.write(text)
    }

    fn clear_line(&self) -> io::Result<()> {
        self.write("\r\x1b[2K")
    }

    fn flush(&self) -> io::Result<()> {
        io::stderr().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_for_a_terminal_and_never_for_json() {
        let terminal = Terminal::decide(Some("80"), false, false, None);
        let pipe = Terminal::decide(None, false, false, None);
        assert!(Progress::wanted(&terminal, Output::Table));
        assert!(Progress::wanted(&terminal, Output::Jsonl));
        assert!(!Progress::wanted(&terminal, Output::Json));
        assert!(!Progress::wanted(&pipe, Output::Table));
        assert!(Progress::items(&pipe, Output::Table, "x").bar.is_none());
    }
}
