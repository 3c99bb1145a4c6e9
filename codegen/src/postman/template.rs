//! What a value of a request's body template says, and what keys say: a literal the request
//! always sends, a placeholder for the caller's value (`"[contact_id]"`, `"..."`), or the list
//! of the values allowed (`"ios|android"`, `"[4|6|7|10|13]"`); a key or a placeholder that
//! names an id.

use super::json::Ordered;
use serde_json::Value as Json;

/// What a template value tells about its key.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum TemplateValue {
    /// A concrete value: what the request sends, unless the examples send others.
    Literal(Json),
    /// A stand-in for the caller's value.
    Placeholder {
        /// Whether it names an id (`"[flow_id]"`, `"[admin_id|team_id]"`, `["[tag_id]"]`).
        names_id: bool,
    },
    /// The values allowed.
    Choice(Choice),
}

/// The values a template lists.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Choice {
    /// `"[4|6|7|10|13]"`: integers, in brackets.
    Integers(Vec<i64>),
    /// `"ios|android"`: plain words, without brackets.
    Words(Vec<String>),
}

impl TemplateValue {
    /// Reads a template value.
    pub(super) fn of(value: &Ordered) -> TemplateValue {
        match value {
            Ordered::Scalar(Json::String(text)) => read_text(text),
            Ordered::Array(items)
                if !items.is_empty()
                    && items.iter().all(|item| {
                        matches!(TemplateValue::of(item), TemplateValue::Placeholder { .. })
                    }) =>
            {
                TemplateValue::Placeholder {
                    names_id: items.iter().any(|item| {
                        matches!(
                            TemplateValue::of(item),
                            TemplateValue::Placeholder { names_id: true }
                        )
                    }),
                }
            }
            other => TemplateValue::Literal(other.to_json()),
        }
    }

    /// Whether it is a placeholder that names an id.
    pub(super) fn names_id(&self) -> bool {
        matches!(self, TemplateValue::Placeholder { names_id: true })
    }
}

fn read_text(text: &str) -> TemplateValue {
    let trimmed = text.trim();
    let placeholder = |names_id: bool| TemplateValue::Placeholder { names_id };
    if trimmed.contains("{{") && trimmed.contains("}}") {
        return placeholder(false);
    }
    if let Some(inner) = trimmed
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
    {
        let parts: Vec<&str> = inner.split('|').map(str::trim).collect();
        if parts.len() >= 2 {
            let integers: Option<Vec<i64>> = parts.iter().map(|p| p.parse().ok()).collect();
            if let Some(integers) = integers {
                return TemplateValue::Choice(Choice::Integers(integers));
            }
        }
        return placeholder(words(inner).any(names_an_id));
    }
    if is_placeholder_text(trimmed) {
        return placeholder(words(trimmed).any(names_an_id));
    }
    if trimmed.contains('|') {
        let parts: Vec<&str> = trimmed.split('|').map(str::trim).collect();
        let plain = |p: &&str| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        };
        if parts.len() >= 2 && parts.iter().all(plain) {
            return TemplateValue::Choice(Choice::Words(
                parts.iter().map(|p| p.to_string()).collect(),
            ));
        }
        return placeholder(words(trimmed).any(names_an_id));
    }
    TemplateValue::Literal(Json::String(text.to_string()))
}

/// Whether a text stands for a value rather than being one: `"..."` (or a text with `...` in
/// it, `"https://..."`), `"[contact_id]"`, `"{{token}}"`.
pub(super) fn is_placeholder_text(text: &str) -> bool {
    let text = text.trim();
    text.contains("...")
        || text.contains('…')
        || (text.contains("{{") && text.contains("}}"))
        || (text.len() > 2
            && text.starts_with('[')
            && text.ends_with(']')
            && serde_json::from_str::<Json>(text).is_err())
}

/// Whether a placeholder text names an id: one of its words is `id`, `*_id` or `*Id`, perhaps
/// followed by digits (`[product_id1]`).
pub(super) fn placeholder_names_id(text: &str) -> bool {
    words(text).any(names_an_id)
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

fn names_an_id(word: &str) -> bool {
    let word = word.trim_end_matches(|c: char| c.is_ascii_digit());
    id_like(word) || word.to_ascii_lowercase().ends_with("_id")
}

/// Whether `key` names an id: `id`, `*_id`, `*Id`, `*ID`.
pub(super) fn id_like(key: &str) -> bool {
    key.eq_ignore_ascii_case("id")
        || key.ends_with("_id")
        || key.ends_with("Id")
        || key.ends_with("ID")
}

/// Whether `key` names a list of ids: `ids`, `*_ids`, `*Ids`, `*IDs`.
pub(super) fn ids_like(key: &str) -> bool {
    key.eq_ignore_ascii_case("ids")
        || key.ends_with("_ids")
        || key.ends_with("Ids")
        || key.ends_with("IDs")
}

/// Whether a value is empty: `null`, `""` or `[]`, what a request sends for "none".
pub(super) fn is_empty_value(value: &Ordered) -> bool {
    match value {
        Ordered::Scalar(Json::Null) => true,
        Ordered::Scalar(Json::String(s)) => s.is_empty(),
        Ordered::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// Whether a key's name says its value is a credential.
pub(super) fn names_a_secret(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["token", "password", "secret"]
        .iter()
        .any(|word| key.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> TemplateValue {
        TemplateValue::of(&Ordered::parse(text).unwrap())
    }

    #[test]
    fn template_values_are_read() {
        let placeholder = |names_id| TemplateValue::Placeholder { names_id };
        assert_eq!(of(r#""[contact_id]""#), placeholder(true));
        assert_eq!(of(r#""[admin_id|team_id]""#), placeholder(true));
        assert_eq!(of(r#""[Appointment_id]""#), placeholder(true));
        assert_eq!(
            of(r#""[[product_id1],[product_id2],...]""#),
            placeholder(true)
        );
        assert_eq!(of(r#"["[tag_id]"]"#), placeholder(true));
        assert_eq!(of(r#""[timestamp|0]""#), placeholder(false));
        assert_eq!(
            of(r#""[received_from_resquest_OTP_api]""#),
            placeholder(false)
        );
        assert_eq!(
            of(r#""[file_name | null for image|voice]""#),
            placeholder(false)
        );
        assert_eq!(of(r#""...""#), placeholder(false));
        assert_eq!(of(r#""iPhone|Samsung|Xiaomi|...""#), placeholder(false));
        assert_eq!(of(r#""{{account_id}}""#), placeholder(false));
        assert_eq!(
            of(r#""[4|6|7|10|13]""#),
            TemplateValue::Choice(Choice::Integers(vec![4, 6, 7, 10, 13]))
        );
        assert_eq!(
            of(r#""ios|android""#),
            TemplateValue::Choice(Choice::Words(vec!["ios".into(), "android".into()]))
        );
        assert_eq!(
            of(r#""image|video|audio|voice|file""#),
            TemplateValue::Choice(Choice::Words(
                ["image", "video", "audio", "voice", "file"]
                    .map(String::from)
                    .to_vec()
            ))
        );
        assert_eq!(of("true"), TemplateValue::Literal(Json::Bool(true)));
        assert_eq!(
            of(r#""""#),
            TemplateValue::Literal(Json::String(String::new()))
        );
        assert_eq!(of("-1"), TemplateValue::Literal(Json::from(-1)));
        assert_eq!(
            of(r#""2850008055041461""#),
            TemplateValue::Literal(Json::String("2850008055041461".into()))
        );
    }

    #[test]
    fn keys_naming_ids_and_secrets() {
        for key in ["id", "contact_id", "flowID", "calendarID", "fieldId"] {
            assert!(id_like(key), "{key}");
        }
        for key in ["rid", "idToken", "hidden", "valid"] {
            assert!(!id_like(key), "{key}");
        }
        assert!(ids_like("product_ids"));
        assert!(!ids_like("tags"));
        assert!(names_a_secret("idToken") && names_a_secret("firebaseToken"));
        assert!(!names_a_secret("email"));
        assert!(is_placeholder_text("[timestanp]"));
        assert!(!is_placeholder_text("[1, 2]"));
        assert!(!is_placeholder_text("Red"));
    }
}
