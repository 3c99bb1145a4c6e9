//! The YAML scalar writers: plain, quoted, literal (`|`) and folded (`>-`) scalars, flow
//! mappings and JSON as flow values, each chosen so that the text reads back the same.

/// The widest line the emitter writes when it has the choice (long flow mappings may exceed it).
const WIDTH: usize = 100;

/// A sequence item of text at `indent`: `- text`, quoted when it must be.
pub(super) fn block_entry_item(out: &mut String, indent: usize, text: &str) {
    let pad = " ".repeat(indent);
    out.push_str(&format!("{pad}- {}\n", block_scalar_inline(text)));
}

/// A JSON value as a YAML flow value that reads back as the same JSON.
pub(super) fn flow_json(value: &serde_json::Value) -> String {
    use serde_json::Value as Json;
    match value {
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        Json::String(s) => double_quoted(s),
        Json::Array(items) => {
            let inner: Vec<String> = items.iter().map(flow_json).collect();
            format!("[{}]", inner.join(", "))
        }
        Json::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", double_quoted(k), flow_json(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scalars.

/// `{ a: b, c: d }`.
pub(super) fn flow_map(entries: &[(&str, String)]) -> String {
    let inner: Vec<String> = entries.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("{{ {} }}", inner.join(", "))
}

/// A mapping key: plain when it can be, else double-quoted.
pub(super) fn key(text: &str) -> String {
    flow_scalar(text)
}

/// A scalar inside a flow mapping: plain when YAML reads it back as the same text, else quoted.
pub(super) fn flow_scalar(text: &str) -> String {
    if plain_ok(text, true) {
        text.to_string()
    } else {
        double_quoted(text)
    }
}

/// A single-line scalar after `key: ` in block context.
pub(super) fn block_scalar_inline(text: &str) -> String {
    if plain_ok(text, false) {
        text.to_string()
    } else {
        double_quoted(text)
    }
}

/// Writes `key: value` at `indent`, choosing the style: plain or quoted on one line when it
/// fits, folded (`>-`) when a long single line does not, literal (`|`) for multi-line text.
pub(super) fn block_entry(out: &mut String, indent: usize, key_name: &str, text: &str) {
    let pad = " ".repeat(indent);
    if text.contains('\n') {
        if let Some(block) = literal_block(text, indent + 2) {
            out.push_str(&format!("{pad}{key_name}: {block}"));
        } else {
            out.push_str(&format!("{pad}{key_name}: {}\n", double_quoted(text)));
        }
        return;
    }
    let inline = block_scalar_inline(text);
    if indent + key_name.len() + 2 + inline.len() <= WIDTH {
        out.push_str(&format!("{pad}{key_name}: {inline}\n"));
    } else if let Some(block) = folded_block(text, indent + 2) {
        out.push_str(&format!("{pad}{key_name}: {block}"));
    } else {
        out.push_str(&format!("{pad}{key_name}: {inline}\n"));
    }
}

fn forbidden_char(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Whether `text` can be written as a plain scalar and read back as the same text, by this
/// crate's loader and by other YAML tools (no word that YAML would read as a null, boolean or
/// number).
fn plain_ok(text: &str, in_flow: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if text != text.trim() || text.chars().any(|c| forbidden_char(c) || c == '\n') {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if text.contains(": ") || text.contains(" #") || text.ends_with(':') {
        return false;
    }
    if in_flow && text.contains([',', '[', ']', '{', '}']) {
        return false;
    }
    !looks_typed(text)
}

/// Whether a plain scalar would be read as something other than text by YAML 1.1 or 1.2.
fn looks_typed(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) || text.parse::<f64>().is_ok()
        || lower.starts_with("0x")
        || lower.starts_with("0o")
        || lower.starts_with(".inf")
        || lower.starts_with(".nan")
        || lower.starts_with("+.inf")
}

/// `"..."` with YAML's escapes.
pub(super) fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if forbidden_char(c) => {
                let code = c as u32;
                if code <= 0xff {
                    out.push_str(&format!("\\x{code:02x}"));
                } else {
                    out.push_str(&format!("\\u{code:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `|` (text ending with one newline) or `|-` (no final newline) with its lines at `indent`,
/// when the text can be written so; `None` sends the caller to a quoted scalar.
fn literal_block(text: &str, indent: usize) -> Option<String> {
    let (body, indicator) = match text.strip_suffix('\n') {
        Some(body) if !body.ends_with('\n') => (body, "|"),
        Some(_) => return None,
        None => (text, "|-"),
    };
    let first = body.lines().next()?;
    if first.is_empty() || first.starts_with(' ') {
        return None;
    }
    if body.chars().any(|c| forbidden_char(c) || c == '\t') {
        return None;
    }
    // A line of spaces only is ambiguous in a block scalar.
    if body
        .split('\n')
        .any(|l| !l.is_empty() && l.trim().is_empty())
    {
        return None;
    }
    let pad = " ".repeat(indent);
    let mut out = format!("{indicator}\n");
    for line in body.split('\n') {
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
        out.push('\n');
    }
    Some(out)
}

/// `>-` with the text wrapped at single spaces to fit [`WIDTH`], when it can be folded back
/// into the same text.
fn folded_block(text: &str, indent: usize) -> Option<String> {
    if text != text.trim() || text.chars().any(forbidden_char) || text.contains('\n') {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut word = String::new();
    let room = WIDTH.saturating_sub(indent).max(20);
    for (i, &c) in chars.iter().enumerate() {
        // Only a single space between two non-spaces may become a line break.
        let breakable =
            c == ' ' && i > 0 && chars[i - 1] != ' ' && chars.get(i + 1).is_some_and(|n| *n != ' ');
        if breakable {
            if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > room {
                lines.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(&std::mem::take(&mut word));
        } else {
            word.push(c);
        }
    }
    if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > room {
        lines.push(std::mem::take(&mut current));
    }
    if !current.is_empty() {
        current.push(' ');
    }
    current.push_str(&word);
    lines.push(current);
    let pad = " ".repeat(indent);
    let mut out = String::from(">-\n");
    for line in lines {
        out.push_str(&pad);
        out.push_str(&line);
        out.push('\n');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Catalogue;

    fn read(text: &str) -> Catalogue {
        let root = crate::yaml::parse(text).unwrap().unwrap();
        let mut diags = crate::diag::Diagnostics::default();
        crate::load::read_catalogue(&root, &mut diags).expect("reads")
    }

    #[test]
    fn plain_scalars_are_chosen_only_when_safe() {
        assert_eq!(flow_scalar("ecommerce"), "ecommerce");
        assert_eq!(flow_scalar("live-chat"), "live-chat");
        assert_eq!(flow_scalar("a, b"), "\"a, b\"");
        assert_eq!(flow_scalar("{{token}}"), "\"{{token}}\"");
        assert_eq!(flow_scalar("true"), "\"true\"");
        assert_eq!(flow_scalar("12"), "\"12\"");
        assert_eq!(flow_scalar("a: b"), "\"a: b\"");
        assert_eq!(flow_scalar(""), "\"\"");
        assert_eq!(block_scalar_inline("a, b"), "a, b");
        assert_eq!(double_quoted("say \"hi\"\\\n"), r#""say \"hi\"\\\n""#);
    }

    #[test]
    fn folding_keeps_the_text() {
        let text = "word ".repeat(60).trim().to_string() + "  two  spaces stay";
        let mut out = String::from("format: 1\napi:\n");
        block_entry(&mut out, 2, "title", &text);
        out.push_str("operations: []\n");
        assert!(out.contains(">-"), "{out}");
        assert!(out.lines().all(|l| l.len() <= WIDTH), "{out}");
        assert_eq!(read(&out).api.title, text);
    }

    #[test]
    fn literal_blocks_keep_the_text() {
        for text in [
            "{  \n  \"a\": 1,\n\n  \"b\": \"#x: y\"\n}\n",
            "{\n  \"a\": 1\n}",
            "  leading spaces\n",
            "trailing blank lines\n\n\n",
            "tab\there\n",
            "spaces-only line\n   \nafter\n",
        ] {
            let mut out = String::from("format: 1\napi:\n");
            block_entry(&mut out, 2, "title", text);
            out.push_str("operations: []\n");
            assert_eq!(read(&out).api.title, text, "{out}");
        }
    }
}
