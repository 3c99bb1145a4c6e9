//! Secret-free, bounded text for errors and logs: snippets of bodies, server messages, JSON
//! values.

use serde_json::{Map, Value};

/// The most characters of a body an error or log line carries.
pub(crate) const SNIPPET_CHARS: usize = 200;

/// The most characters of a cause (a decoder's message, a server's message) an error's
/// `Display` carries.
pub(crate) const CAUSE_CHARS: usize = 300;

/// What replaces a secret.
const MASK: &str = "***";

/// A short, printable, secret-free excerpt of `body`: at most [`SNIPPET_CHARS`] characters (cut
/// on a character boundary, `…` appended when cut), control characters turned into spaces, every
/// occurrence of `token` and the value of every `"…token": "…"` JSON member replaced by `***`.
pub(crate) fn snippet(body: &[u8], secrets: &[&str]) -> String {
    // Redact before cutting, so that a secret straddling the cut is still found whole (escaped,
    // a secret takes at most twice its length).
    let longest = secrets.iter().map(|s| s.len()).max().unwrap_or(0);
    let window = SNIPPET_CHARS * 4 + 2 * longest + 64;
    let head = &body[..body.len().min(window)];
    let text = redact(&String::from_utf8_lossy(head), secrets);
    let mut out: String = text
        .chars()
        .take(SNIPPET_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(SNIPPET_CHARS).is_some() || body.len() > window {
        out.push('…');
    }
    out
}

/// `text` with every occurrence of each secret (as is, or as JSON writes it inside a string)
/// and every `"…token": "…"` JSON string value masked.
pub(crate) fn redact(text: &str, secrets: &[&str]) -> String {
    mask_token_members(&mask_secrets(text, secrets))
}

/// `text` with every occurrence of each secret masked, in each of the forms it takes in an
/// answer: as is, and as JSON writes it inside a string (`"` and `\` escaped, and `/` as `\/`
/// too, which PHP, the vendor's server, writes by default).
fn mask_secrets(text: &str, secrets: &[&str]) -> String {
    let mut masked = text.to_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let escaped = serde_json::to_string(secret).unwrap_or_default();
        let escaped = escaped
            .strip_prefix('"')
            .and_then(|e| e.strip_suffix('"'))
            .unwrap_or(secret);
        let php = escaped.replace('/', "\\/");
        for form in [secret, escaped, php.as_str()] {
            if masked.contains(form) {
                masked = masked.replace(form, MASK);
            }
        }
    }
    masked
}

/// Masks the string value of every JSON member whose key ends in `token` (any case):
/// `"token":"abc"`, `"access_token" : "abc"`, `"idToken":"abc"`.
fn mask_token_members(text: &str) -> String {
    const KEY_END: &[u8] = b"token\"";
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i + KEY_END.len() <= bytes.len() {
        if !bytes[i..i + KEY_END.len()].eq_ignore_ascii_case(KEY_END) {
            i += 1;
            continue;
        }
        let mut j = skip_spaces(bytes, i + KEY_END.len());
        if bytes.get(j) != Some(&b':') {
            i += 1;
            continue;
        }
        j = skip_spaces(bytes, j + 1);
        if bytes.get(j) != Some(&b'"') {
            i += 1;
            continue;
        }
        let start = j + 1;
        let mut end = start;
        while end < bytes.len() && bytes[end] != b'"' {
            end += if bytes[end] == b'\\' { 2 } else { 1 };
        }
        let end = end.min(bytes.len());
        // `start` follows an ASCII quote and `end` is an ASCII quote or the end: both are
        // character boundaries.
        out.push_str(&text[copied..start]);
        out.push_str(MASK);
        copied = end;
        i = end;
    }
    out.push_str(&text[copied..]);
    out
}

/// `text` on one line of at most `max_chars` characters, with every secret of `secrets` and
/// every `"…token": "…"` JSON member masked: what the SDK does to every string it puts in an
/// error or a log line. Control characters become spaces; a longer text keeps its start and its
/// end (where a decoder says the line and column) around a `…`.
///
/// For servers and tools that log what they receive (the sandbox does).
pub fn masked_line(text: &str, secrets: &[&str], max_chars: usize) -> String {
    one_line(&mask_token_members(&mask_secrets(text, secrets)), max_chars)
}

/// `text` with control characters turned into spaces, cut to `max_chars` characters: its
/// first two thirds and last third around a `…`, cut on character boundaries.
pub(crate) fn one_line(text: &str, max_chars: usize) -> String {
    let printable = |c: char| if c.is_control() { ' ' } else { c };
    let count = text.chars().count();
    if count <= max_chars {
        return text.chars().map(printable).collect();
    }
    let tail = max_chars.saturating_sub(1) / 3;
    let head = max_chars.saturating_sub(1) - tail;
    let mut out: String = text.chars().take(head).map(printable).collect();
    out.push('…');
    out.extend(text.chars().skip(count - tail).map(printable));
    out
}

/// `value` with the secrets masked in every string (keys included) and the string value of every
/// member whose key ends in `token` masked, at any depth.
pub(crate) fn redact_value(value: Value, secrets: &[&str]) -> Value {
    match value {
        Value::String(text) => Value::String(redact(&text, secrets)),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| redact_value(item, secrets))
                .collect(),
        ),
        Value::Object(map) => Value::Object(redact_map(map, secrets)),
        other => other,
    }
}

/// [`redact_value`] of every member of an object.
pub(crate) fn redact_map(map: Map<String, Value>, secrets: &[&str]) -> Map<String, Value> {
    map.into_iter()
        .map(|(key, value)| {
            let value = match value {
                Value::String(_) if key.to_ascii_lowercase().ends_with("token") => {
                    Value::String(MASK.to_owned())
                }
                other => redact_value(other, secrets),
            };
            (redact(&key, secrets), value)
        })
        .collect()
}

fn skip_spaces(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && bytes[at].is_ascii_whitespace() {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_current_token_everywhere() {
        let s = snippet(b"bad tok-123 and tok-123 again", &["tok-123"]);
        assert_eq!(s, "bad *** and *** again");
    }

    /// The vendor's server is PHP, whose `json_encode` writes `/` as `\/`: a token echoed back
    /// in a JSON string is masked in that form too, and in JSON's own escaping.
    #[test]
    fn a_token_is_masked_as_json_writes_it_too() {
        let token = "AbC/dEf+GhI=";
        let echoed = r#"{"status":"OK","session":"AbC\/dEf+GhI=","raw":"AbC/dEf+GhI="}"#;
        assert_eq!(
            redact(echoed, &[token]),
            r#"{"status":"OK","session":"***","raw":"***"}"#
        );
        let quoted = r#"say "hi"\now"#;
        let echoed = r#"{"m":"say \"hi\"\\now"}"#;
        assert_eq!(redact(echoed, &[quoted]), r#"{"m":"***"}"#);
        assert_eq!(
            masked_line(r#"x AbC\/dEf+GhI= y"#, &[token], 100),
            "x *** y"
        );
    }

    #[test]
    fn masks_token_members_of_json() {
        let s = snippet(
            br#"{"status":"OK","data":{"token" : "abc\"def","idToken":"xyz","n":1}}"#,
            &[],
        );
        assert_eq!(
            s,
            r#"{"status":"OK","data":{"token" : "***","idToken":"***","n":1}}"#
        );
        assert!(!s.contains("abc") && !s.contains("xyz"));
    }

    #[test]
    fn unterminated_token_member_is_masked_to_the_end() {
        assert_eq!(redact(r#"{"token":"abcdef"#, &[]), r#"{"token":"***"#);
        assert_eq!(redact(r#"{"token":"ab\"#, &[]), r#"{"token":"***"#);
    }

    #[test]
    fn is_cut_on_a_char_boundary_with_an_ellipsis() {
        let body = "é".repeat(500);
        let s = snippet(body.as_bytes(), &[]);
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1);
        assert!(s.ends_with('…'));
        assert!(s.starts_with("éé"));
    }

    #[test]
    fn a_token_straddling_the_cut_is_not_leaked_in_part() {
        let token = "SECRETSECRETSECRET";
        let body = format!(
            "{}{}{}",
            "x".repeat(SNIPPET_CHARS - 5),
            token,
            "y".repeat(50)
        );
        let s = snippet(body.as_bytes(), &[token]);
        assert!(!s.contains("SECRE"), "{s}");
    }

    #[test]
    fn control_characters_become_spaces_and_short_bodies_are_whole() {
        assert_eq!(
            snippet(b"<html>\n<b>502</b>\r\n</html>", &[]),
            "<html> <b>502</b>  </html>"
        );
        assert_eq!(snippet(b"", &[]), "");
    }

    #[test]
    fn a_long_line_keeps_its_start_and_end() {
        let text = format!(
            "invalid type: string \"{}\", at line 1 column 9",
            "x".repeat(5000)
        );
        let cut = masked_line(&text, &[], CAUSE_CHARS);
        assert_eq!(cut.chars().count(), CAUSE_CHARS);
        assert!(cut.starts_with("invalid type: string \"xxx"), "{cut}");
        assert!(cut.ends_with("at line 1 column 9"), "{cut}");
        assert!(cut.contains('…'));
        assert_eq!(one_line("a\nb", 10), "a b");
    }

    #[test]
    fn every_secret_is_masked_before_the_cut() {
        let text = format!("{}tok-1 and tok-2{}", "a".repeat(100), "b".repeat(500));
        let cut = masked_line(&text, &["tok-1", "tok-2", ""], 200);
        assert!(cut.contains("*** and ***"), "{cut}");
        assert!(!cut.contains("tok-"), "{cut}");
    }

    #[test]
    fn json_values_are_redacted_at_any_depth() {
        let value = serde_json::json!({
            "a": ["x tok-S y", {"idToken": "abc", "tok-S": 1}],
            "token": "plain",
            "n": 5
        });
        let redacted = redact_value(value, &["tok-S"]).to_string();
        assert!(
            !redacted.contains("tok-S") && !redacted.contains("abc"),
            "{redacted}"
        );
        assert!(!redacted.contains("plain"), "{redacted}");
        assert!(
            redacted.contains("x *** y") && redacted.contains("\"n\":5"),
            "{redacted}"
        );
    }

    #[test]
    fn invalid_utf8_does_not_panic() {
        let s = snippet(&[0xff, 0xfe, b'a'], &["t"]);
        assert!(s.ends_with('a'));
    }
}
