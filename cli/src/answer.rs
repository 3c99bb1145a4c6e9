//! The shape of an operation's answer: where its list items are.

use chatrace::OperationMeta;
use serde_json::Value;

/// The items of a list answer: the answer itself when it is an array, or the field the
/// operation's paging names (`list_messages`: `data`); `None` for an answer that is no list.
pub fn items_of<'a>(answer: &'a Value, op: &OperationMeta) -> Option<&'a [Value]> {
    match (answer, op.paging.and_then(|p| p.items)) {
        (Value::Array(items), _) => Some(items),
        (Value::Object(fields), Some(field)) => fields.get(field)?.as_array().map(Vec::as_slice),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::operation as op;
    use serde_json::json;

    #[test]
    fn items_are_the_answer_or_the_paging_field() {
        let conversations = op("list_conversations");
        let list = json!([{"ms_id": "1"}, {"ms_id": "2"}]);
        assert_eq!(items_of(&list, conversations).map(<[Value]>::len), Some(2));
        let messages = op("list_messages");
        let page = json!({"data": [{"id": "m_1"}], "hash": "h"});
        assert_eq!(items_of(&page, messages).map(<[Value]>::len), Some(1));
        assert_eq!(items_of(&json!({"hash": "h"}), messages), None);
        assert_eq!(items_of(&json!({"ms_id": "1"}), op("get_contact")), None);
    }
}
