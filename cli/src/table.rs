//! `-o table`: an answer as aligned columns that fit the terminal.
//!
//! A list is one row per item, its columns the few fields the catalogue names for the item's
//! type (see [`crate::rows`]); an answer that is no list is one line per field. Times are shown
//! as dates, ids whole, long texts cut to a line. Control characters in what the server
//! sent are shown escaped ([`visible`]), never written to the terminal.

use chatrace::{DateTimeParts, OperationMeta};
use comfy_table::{presets, ColumnConstraint, ContentArrangement, LineStyle, Table, Width};
use serde_json::{Map, Value};

use crate::answer::items_of;
use crate::rows::{row_of, FieldKind, Row};
use crate::terminal::visible;

/// The longest a cell of text is shown (ids are never cut).
const MAX_TEXT: usize = 48;

/// What an empty list is shown as.
pub const NO_ITEMS: &str = "(no items)";

/// The table of `answer`, an answer of `op`, fitted to `columns` columns.
pub fn render(answer: &Value, op: &'static OperationMeta, columns: u16) -> String {
    match (items_of(answer, op), answer) {
        (Some([]), _) => NO_ITEMS.to_owned(),
        (Some(items), _) => list_table(items, &row_of(op, items), columns),
        (None, Value::Object(fields)) => fields_table(fields, &row_of(op, &[]), columns),
        (None, other) => cell(other, FieldKind::Other),
    }
}

/// One row per item, the row's fields as columns.
fn list_table(items: &[Value], row: &Row, columns: u16) -> String {
    let mut table = new_table(columns);
    table.set_header(row.fields.iter().map(|f| visible(&f.name)));
    for item in items {
        let fields = item.as_object();
        table.add_row(row.fields.iter().map(|field| {
            let value = fields
                .and_then(|f| f.get(&field.name))
                .unwrap_or(&Value::Null);
            cell(value, field.kind)
        }));
    }
    keep_whole(&mut table, row.fields.iter().map(|f| f.kind), columns);
    table.trim_fmt()
}

/// One line per field of an object: its name and its value.
fn fields_table(fields: &Map<String, Value>, row: &Row, columns: u16) -> String {
    let mut table = new_table(columns);
    table.set_header(["field", "value"]);
    for (name, value) in fields {
        table.add_row([visible(name).into_owned(), cell(value, row.kind_of(name))]);
    }
    table.trim_fmt()
}

fn new_table(columns: u16) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING.header_separator(LineStyle::none().fill('─').junction('─')))
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(columns);
    table
}

/// Ids and times are shown whole: their columns are at least as wide as their content (ids
/// up to two thirds of the terminal: an id longer than that wraps rather than push the table
/// off it).
fn keep_whole(table: &mut Table, kinds: impl Iterator<Item = FieldKind>, columns: u16) {
    /// A cell's padding, one space each side.
    const PADDING: u16 = 2;
    let widths = table.column_max_content_widths();
    for (index, kind) in kinds.enumerate() {
        let Some(content) = widths.get(index) else {
            continue;
        };
        let width = match kind {
            FieldKind::Id => (*content).min(columns / 3 * 2),
            FieldKind::Millis | FieldKind::Seconds => *content,
            FieldKind::Other => continue,
        };
        if let Some(column) = table.column_mut(index) {
            let width = Width::Fixed(width + PADDING);
            column.set_constraint(ColumnConstraint::LowerBoundary(width));
        }
    }
}

/// The text of one cell, its control characters shown escaped ([`visible`]).
pub fn cell(value: &Value, kind: FieldKind) -> String {
    match (value, kind) {
        (Value::Null, _) => String::new(),
        (_, FieldKind::Millis) => match integer(value) {
            Some(0) => String::new(),
            Some(ms) => date_time(ms.div_euclid(1000)),
            None => visible(&plain(value)).into_owned(),
        },
        (_, FieldKind::Seconds) => match integer(value) {
            Some(0) => String::new(),
            Some(s) => date_time(s),
            None => visible(&plain(value)).into_owned(),
        },
        (_, FieldKind::Id) => match value {
            Value::String(text) => visible(text).into_owned(),
            other => other.to_string(),
        },
        (Value::Array(items), _) => match items.len() {
            1 => "1 item".to_owned(),
            n => format!("{n} items"),
        },
        _ => shortened(&plain(value)),
    }
}

/// A value as text: a string as it is (or, when it holds JSON, as the texts in it), anything
/// else as compact JSON.
fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => texts_inside(text).unwrap_or_else(|| text.clone()),
        other => other.to_string(),
    }
}

/// The `text` values of the JSON a string holds (the server sends a message's parts so), in
/// order; `None` when it holds no JSON, or no text.
fn texts_inside(text: &str) -> Option<String> {
    fn collect<'a>(value: &'a Value, texts: &mut Vec<&'a str>) {
        match value {
            Value::Array(items) => items.iter().for_each(|item| collect(item, texts)),
            Value::Object(fields) => {
                for (key, value) in fields {
                    match (key.as_str(), value) {
                        ("text", Value::String(text)) => texts.push(text),
                        _ => collect(value, texts),
                    }
                }
            }
            _ => {}
        }
    }
    let trimmed = text.trim_start();
    if !trimmed.starts_with('[') && !trimmed.starts_with('{') {
        return None;
    }
    let value: Value = serde_json::from_str(text).ok()?;
    let mut texts = Vec::new();
    collect(&value, &mut texts);
    (!texts.is_empty()).then(|| texts.join(" "))
}

/// One line of at most [`MAX_TEXT`] characters, control characters escaped ([`visible`]):
/// an escape counts as the characters it is shown with, and is never cut.
fn shortened(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let shown = visible(&line);
    if shown.chars().count() <= MAX_TEXT {
        return shown.into_owned();
    }
    let mut cut = String::new();
    let mut count = 0;
    for c in line.chars() {
        let mut buffer = [0; 4];
        let piece = visible(c.encode_utf8(&mut buffer));
        let width = piece.chars().count();
        if count + width > MAX_TEXT - 1 {
            break;
        }
        cut.push_str(&piece);
        count += width;
    }
    cut.push('…');
    cut
}

/// An integer, or the text of one.
fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// A Unix time as `YYYY-MM-DD HH:MM UTC` (as its number, outside the years 0 to 65535).
pub fn date_time(unix_seconds: i64) -> String {
    match DateTimeParts::from_unix(unix_seconds) {
        Some(p) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02} UTC",
            p.year, p.month, p.day, p.hour, p.minute
        ),
        None => unix_seconds.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn times_read_as_dates_in_utc() {
        assert_eq!(date_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(date_time(1_717_243_200), "2024-06-01 12:00 UTC");
        assert_eq!(date_time(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(date_time(-86_400), "1969-12-31 00:00 UTC");
        assert_eq!(date_time(i64::MAX), i64::MAX.to_string());
        assert_eq!(
            cell(&json!("1688201188610"), FieldKind::Millis),
            "2023-07-01 08:46 UTC"
        );
        assert_eq!(
            cell(&json!(1_688_459_542), FieldKind::Seconds),
            "2023-07-04 08:32 UTC"
        );
        assert_eq!(cell(&json!("0"), FieldKind::Seconds), "");
        assert_eq!(cell(&json!("soon"), FieldKind::Seconds), "soon");
    }

    #[test]
    fn ids_stay_whole_and_texts_are_cut_to_a_line() {
        let long = "word ".repeat(30);
        assert_eq!(cell(&json!(long), FieldKind::Id).len(), long.len());
        let text = cell(&json!(long), FieldKind::Other);
        assert_eq!(text.chars().count(), MAX_TEXT);
        assert!(text.ends_with('…'));
        assert_eq!(cell(&json!("two\nlines"), FieldKind::Other), "two lines");
        assert_eq!(cell(&json!([1, 2]), FieldKind::Other), "2 items");
        assert_eq!(cell(&Value::Null, FieldKind::Id), "");
        assert_eq!(
            cell(&json!(2850008055041461u64), FieldKind::Id),
            "2850008055041461"
        );
        let parts =
            r#"[{"type":"typing","delay":1},{"text":"Hi!","quick_replies":[{"title":"Yes"}]}]"#;
        assert_eq!(cell(&json!(parts), FieldKind::Other), "Hi!");
        assert_eq!(cell(&json!("[not json"), FieldKind::Other), "[not json");
    }

    #[test]
    fn control_characters_in_cells_are_shown_escaped() {
        let name = "E\u{1b}]0;x\u{7}\u{1b}[31mR\u{9b}0m\0\u{7f}";
        let shown = "E\\u{1b}]0;x\\u{7}\\u{1b}[31mR\\u{9b}0m\\u{0}\\u{7f}";
        assert_eq!(cell(&json!(name), FieldKind::Other), shown);
        assert_eq!(cell(&json!(name), FieldKind::Id), shown);
        assert_eq!(cell(&json!(name), FieldKind::Millis), shown);
        assert_eq!(cell(&json!(name), FieldKind::Seconds), shown);
        let parts = json!(r#"[{"text":"hi\u001b[2J"}]"#);
        assert_eq!(cell(&parts, FieldKind::Other), "hi\\u{1b}[2J");
        // A long text is cut to MAX_TEXT characters as shown, never inside an escape.
        let long = format!("{}\u{1b}{}", "a".repeat(MAX_TEXT - 4), "b".repeat(10));
        let text = cell(&json!(long), FieldKind::Other);
        assert_eq!(text.chars().count(), MAX_TEXT - 3, "{text}");
        assert_eq!(text, format!("{}…", "a".repeat(MAX_TEXT - 4)));

        let op = crate::test_support::operation("list_conversations");
        let answer = json!([
            {"full_name": name, "ms_id": "1\u{1b}[8m", "last_msg": "ok", "timestamp": 0},
            {"full_name": "Bob", "ms_id": "2", "last_msg": "\u{7}ding", "timestamp": 0}
        ]);
        let table = render(&answer, op, 100);
        assert!(
            !table.chars().any(|c| c.is_control() && c != '\n'),
            "{table:?}"
        );
        assert!(table.contains(shown), "{table}");
        assert!(table.contains("1\\u{1b}[8m"), "{table}");
        let widths: Vec<usize> = table.lines().map(|l| l.chars().count()).collect();
        assert!(widths.iter().all(|w| *w <= 100), "{table}");
        // Every row starts its columns where the header does.
        let header = table.lines().next().unwrap_or_default();
        let column = header.find("ms_id").unwrap_or_default();
        for line in table.lines().skip(2) {
            let at = line.chars().nth(column).unwrap_or(' ');
            assert!(at == '1' || at == '2', "{line:?} at {column}: {table}");
        }

        let fields = json!({"na\u{1b}me": "x"});
        let table = render(&fields, crate::test_support::operation("get_contact"), 100);
        assert!(table.contains("na\\u{1b}me"), "{table}");
    }
}
