//! Secret-free snippets of response bodies and server messages for errors and logs.

/// The most characters of a body an error or log line carries.
pub(crate) const SNIPPET_CHARS: usize = 200;

/// What replaces a secret.
const MASK: &str = "***";

/// A short, printable, secret-free excerpt of `body`: at most [`SNIPPET_CHARS`] characters (cut
/// on a character boundary, `…` appended when cut), control characters turned into spaces, every
/// occurrence of `token` and the value of every `"…token": "…"` JSON member replaced by `***`.
pub(crate) fn snippet(body: &[u8], token: Option<&str>) -> String {
    // Redact before cutting, so that a token straddling the cut is still found whole.
    let window = SNIPPET_CHARS * 4 + token.map_or(0, str::len) + 64;
    let head = &body[..body.len().min(window)];
    let text = redact(&String::from_utf8_lossy(head), token);
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

/// `text` with every occurrence of `token` and every `"…token": "…"` JSON string value masked.
pub(crate) fn redact(text: &str, token: Option<&str>) -> String {
    let text = match token {
        Some(token) if !token.is_empty() && text.contains(token) => text.replace(token, MASK),
        _ => text.to_owned(),
    };
    mask_token_members(&text)
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
        let s = snippet(b"bad tok-123 and tok-123 again", Some("tok-123"));
        assert_eq!(s, "bad *** and *** again");
    }

    #[test]
    fn masks_token_members_of_json() {
        let s = snippet(
            br#"{"status":"OK","data":{"token" : "abc\"def","idToken":"xyz","n":1}}"#,
            None,
        );
        assert_eq!(
            s,
            r#"{"status":"OK","data":{"token" : "***","idToken":"***","n":1}}"#
        );
        assert!(!s.contains("abc") && !s.contains("xyz"));
    }

    #[test]
    fn unterminated_token_member_is_masked_to_the_end() {
        assert_eq!(redact(r#"{"token":"abcdef"#, None), r#"{"token":"***"#);
        assert_eq!(redact(r#"{"token":"ab\"#, None), r#"{"token":"***"#);
    }

    #[test]
    fn is_cut_on_a_char_boundary_with_an_ellipsis() {
        let body = "é".repeat(500);
        let s = snippet(body.as_bytes(), None);
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
        let s = snippet(body.as_bytes(), Some(token));
        assert!(!s.contains("SECRE"), "{s}");
    }

    #[test]
    fn control_characters_become_spaces_and_short_bodies_are_whole() {
        assert_eq!(
            snippet(b"<html>\n<b>502</b>\r\n</html>", None),
            "<html> <b>502</b>  </html>"
        );
        assert_eq!(snippet(b"", None), "");
    }

    #[test]
    fn invalid_utf8_does_not_panic() {
        let s = snippet(&[0xff, 0xfe, b'a'], Some("t"));
        assert!(s.ends_with('a'));
    }
}
