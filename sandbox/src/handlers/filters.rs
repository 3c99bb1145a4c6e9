//! The conditions (`cdts`) `list_conversations` takes, read as the vendor's web inbox writes
//! them:
//!
//! - a search: `atrb_name` `phone`, `email` or `user_name` with `oprt` `"6"` (contains) and the
//!   text in `value1` (`["+1312"]`); a phone matches on its digits, the others ignore case;
//! - a folder: `atrb_name` `live_chat`, `followup`, `archived`, `blocked` or `unread` with
//!   `oprt` `"0"`, where `value1` 0 keeps the conversations with the flag on and 1 those with
//!   it off (the web inbox shows the archived folder with `archived` 0 and the inbox with
//!   `archived` 1); `assigned_to` and `channel` with `oprt` `"0"` keep those equal to `value1`
//!   (`[admin id]`, `0` for nobody; `[channel number]`).
//!
//! Every condition must hold. Any other attribute or operator is refused.

use chatrace::types::ConversationFilter;
use serde_json::Value;

use crate::call::ApiError;
use crate::state::ContactRecord;

/// `oprt` of a comparison for equality.
const EQUALS: &str = "0";
/// `oprt` of a search.
const CONTAINS: &str = "6";

/// A flag of a conversation a folder keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flag {
    LiveChat,
    Followed,
    Archived,
    Blocked,
    Unread,
}

/// One condition, checked and ready to match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Condition {
    /// The flag is on (`true`) or off.
    Flag(Flag, bool),
    /// Assigned to this admin or team (`"0"`: nobody).
    AssignedTo(String),
    /// On this channel.
    Channel(i64),
    /// The phone number holds these digits.
    PhoneHas(String),
    /// The email address holds this text (lowercase).
    EmailHas(String),
    /// The full name holds this text (lowercase).
    NameHas(String),
}

/// The single value of `value1`: the first item of a list, or the value itself.
fn single(value: Option<&Value>) -> Option<&Value> {
    match value? {
        Value::Array(items) => items.first(),
        Value::Null => None,
        other => Some(other),
    }
}

/// A value's text: a string as it is, a number as its digits.
fn text_of(value: Option<&Value>) -> Option<String> {
    match single(value)? {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads one condition.
fn condition(filter: &ConversationFilter) -> Result<Condition, ApiError> {
    let attribute = filter.attribute.as_deref().unwrap_or_default();
    let operator = filter.operator.as_deref().unwrap_or_default().trim();
    let value = text_of(filter.value.as_ref());
    let refuse = |why: &str| ApiError::refused(format!("condition on `{attribute}`: {why}"));
    let flag = match attribute {
        "live_chat" => Some(Flag::LiveChat),
        "followup" => Some(Flag::Followed),
        "archived" => Some(Flag::Archived),
        "blocked" => Some(Flag::Blocked),
        "unread" => Some(Flag::Unread),
        _ => None,
    };
    let wanted_operator = match attribute {
        "phone" | "email" | "user_name" => CONTAINS,
        _ => EQUALS,
    };
    if flag.is_none()
        && !matches!(
            attribute,
            "assigned_to" | "channel" | "phone" | "email" | "user_name"
        )
    {
        return Err(refuse("the sandbox filters on live_chat, followup, archived, blocked, unread, assigned_to, channel, phone, email and user_name"));
    }
    if operator != wanted_operator {
        return Err(refuse(&format!("`oprt` must be \"{wanted_operator}\"")));
    }
    let value = value.ok_or_else(|| refuse("`value1` must hold a value"))?;
    if let Some(flag) = flag {
        return match value.as_str() {
            // The web inbox's folders: 0 keeps the flag on, 1 keeps it off.
            "0" => Ok(Condition::Flag(flag, true)),
            "1" => Ok(Condition::Flag(flag, false)),
            _ => Err(refuse("`value1` must be 0 or 1")),
        };
    }
    match attribute {
        "assigned_to" => Ok(Condition::AssignedTo(value)),
        "channel" => value
            .parse()
            .map(Condition::Channel)
            .map_err(|_| refuse("`value1` must be a channel number")),
        "phone" => {
            let digits: String = value.chars().filter(char::is_ascii_digit).collect();
            if digits.is_empty() {
                return Err(refuse("`value1` must hold digits"));
            }
            Ok(Condition::PhoneHas(digits))
        }
        "email" => Ok(Condition::EmailHas(value.to_lowercase())),
        _ => Ok(Condition::NameHas(value.to_lowercase())),
    }
}

/// Reads every condition, or refuses the first that does not make sense.
pub(super) fn conditions(filters: &[ConversationFilter]) -> Result<Vec<Condition>, ApiError> {
    filters.iter().map(condition).collect()
}

impl Condition {
    /// Whether the contact's conversation meets the condition.
    pub(super) fn matches(&self, c: &ContactRecord) -> bool {
        match self {
            Condition::Flag(flag, on) => {
                let value = match flag {
                    Flag::LiveChat => c.live_chat,
                    Flag::Followed => c.followed,
                    Flag::Archived => c.archived,
                    Flag::Blocked => c.blocked,
                    Flag::Unread => c.unread(),
                };
                value == *on
            }
            Condition::AssignedTo(id) => {
                c.assignee_id.as_ref().map_or("0", |a| a.as_str()) == id.as_str()
            }
            Condition::Channel(channel) => c.channel.as_i64() == *channel,
            Condition::PhoneHas(digits) => {
                let phone: String = c.phone.chars().filter(char::is_ascii_digit).collect();
                phone.contains(digits.as_str())
            }
            Condition::EmailHas(text) => c.email.to_lowercase().contains(text.as_str()),
            Condition::NameHas(text) => c.full_name().to_lowercase().contains(text.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn filter(attribute: &str, operator: &str, value: Value) -> ConversationFilter {
        {
            let mut built = ConversationFilter::default();
            built.attribute = Some(attribute.to_owned());
            built.operator = Some(operator.to_owned());
            built.value = Some(value);
            built.order = Some(0);
            built
        }
    }

    #[test]
    fn the_web_inbox_conditions_are_read() {
        let read = |a, o, v| condition(&filter(a, o, v)).map_err(|e| e.code);
        assert_eq!(
            read("archived", "0", json!(0)),
            Ok(Condition::Flag(Flag::Archived, true))
        );
        assert_eq!(
            read("blocked", "0", json!(1)),
            Ok(Condition::Flag(Flag::Blocked, false))
        );
        assert_eq!(
            read("live_chat", "0", json!("0")),
            Ok(Condition::Flag(Flag::LiveChat, true))
        );
        assert_eq!(
            read("unread", "0", json!(0)),
            Ok(Condition::Flag(Flag::Unread, true))
        );
        assert_eq!(
            read("assigned_to", "0", json!(["1000005"])),
            Ok(Condition::AssignedTo("1000005".into()))
        );
        assert_eq!(read("channel", "0", json!([5])), Ok(Condition::Channel(5)));
        assert_eq!(
            read("phone", "6", json!(["+1 (312) 555"])),
            Ok(Condition::PhoneHas("1312555".into()))
        );
        assert_eq!(
            read("user_name", "6", json!(["Olivia B"])),
            Ok(Condition::NameHas("olivia b".into()))
        );
        assert_eq!(
            read("email", "6", json!(["@Example.ORG"])),
            Ok(Condition::EmailHas("@example.org".into()))
        );
    }

    #[test]
    fn conditions_that_do_not_make_sense_are_refused() {
        let code = |a, o, v| condition(&filter(a, o, v)).map_err(|e| e.code).err();
        assert_eq!(code("jobs", "0", json!([1])), Some(crate::codes::REFUSED));
        assert_eq!(code("archived", "6", json!(0)), Some(crate::codes::REFUSED));
        assert_eq!(code("archived", "0", json!(2)), Some(crate::codes::REFUSED));
        assert_eq!(
            code("phone", "6", json!(["abc"])),
            Some(crate::codes::REFUSED)
        );
        assert_eq!(
            code("channel", "0", json!(["sms"])),
            Some(crate::codes::REFUSED)
        );
        assert_eq!(
            code("user_name", "6", Value::Null),
            Some(crate::codes::REFUSED)
        );
    }
}
