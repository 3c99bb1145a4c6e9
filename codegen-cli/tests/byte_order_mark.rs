//! A catalogue that starts with a byte order mark (U+FEFF, as some editors save UTF-8) is
//! read as the same catalogue without it, its errors at the same lines and columns.

mod common;

use common::{run, TempFile};

const TINY: &str = "format: 1
api:
  title: Tiny API
operations:
  - name: get_thing
    title: Get a thing
    summary: Reads one thing.
    provenance: inferred
    kind: read
    discriminators: { op: things, op1: get }
";

#[test]
fn a_leading_byte_order_mark_is_no_part_of_the_catalogue() {
    let marked = TempFile::new("bom", "yaml", &format!("\u{feff}{TINY}"));
    let (code, out, err) = run(&["check", &marked.arg()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(": ok"), "{out}");

    let bad = TempFile::new("bom-bad", "yaml", &format!("\u{feff}formt: 1\n{TINY}"));
    let (code, _, err) = run(&["check", &bad.arg()]);
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains('\u{feff}'), "{err:?}");
    assert!(err.contains(":1:1\n"), "{err}");
    // The line as written after the mark, the caret under its first word.
    assert!(err.contains("\n1 | formt: 1\n  | ^^^^^\n"), "{err}");
}
