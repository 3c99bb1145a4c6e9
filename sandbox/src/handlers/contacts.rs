//! Contacts: reading and deleting them, their tags and custom field values.

use chatrace::operations::{
    DeleteContactRequest, DeleteCustomFieldValueRequest, GetContactRequest, RemoveTagRequest,
    SetCustomFieldRequest,
};
use chatrace::types::{CustomField, CustomFieldType};
use serde_json::Value;

use super::{ApiError, Call, Outcome, Reply};

pub(super) fn get_contact(call: &mut Call<'_>, r: GetContactRequest) -> Outcome {
    let contact = call.contact(r.contact_id)?;
    Reply::data(&call.account()?.contact(contact))
}

pub(super) fn delete_contact(call: &mut Call<'_>, r: DeleteContactRequest) -> Outcome {
    call.contact(r.contact_id)?;
    call.state.tick();
    call.account_mut()?.contacts.remove(&r.contact_id);
    Ok(Reply::Done)
}

pub(super) fn remove_tag(call: &mut Call<'_>, r: RemoveTagRequest) -> Outcome {
    if !call.account()?.tags.iter().any(|t| t.id == r.tag_id) {
        return Err(ApiError::not_found(format!("tag {} not found", r.tag_id)));
    }
    if !call.contact(r.contact_id)?.tags.contains(&r.tag_id) {
        return Err(ApiError::not_found(format!(
            "contact {} does not carry tag {}",
            r.contact_id, r.tag_id
        )));
    }
    let (contact, _) = call.contact_mut(r.contact_id)?;
    contact.tags.retain(|id| *id != r.tag_id);
    Ok(Reply::Done)
}

/// The custom field `field_id` of the account.
fn field<'c>(call: &'c Call<'_>, field_id: u64) -> Result<&'c CustomField, ApiError> {
    call.account()?
        .custom_fields
        .iter()
        .find(|f| f.id == field_id)
        .ok_or_else(|| ApiError::not_found(format!("custom field {field_id} not found")))
}

/// `YYYY-MM-DD`, digits where digits belong.
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The value as the field's type stores it, or why it does not fit.
fn coerce(kind: &CustomFieldType, value: Value) -> Result<Value, String> {
    match (kind, value) {
        (CustomFieldType::Json, v) => Ok(v),
        (_, Value::Null) => Err("null is not a value: use `delete_custom_field_value`".into()),
        (CustomFieldType::Text, Value::String(s)) => Ok(Value::String(s)),
        (CustomFieldType::Text, v @ (Value::Number(_) | Value::Bool(_))) => {
            Ok(Value::String(v.to_string()))
        }
        (CustomFieldType::Number, Value::Number(n)) => Ok(Value::Number(n)),
        (CustomFieldType::Number, Value::String(s)) => number_of(&s),
        (CustomFieldType::Date, Value::String(s)) if is_date(s.trim()) => {
            Ok(Value::String(s.trim().to_owned()))
        }
        (CustomFieldType::Date, v) => Err(format!("{v} is not a date (`YYYY-MM-DD`)")),
        (CustomFieldType::Datetime, Value::Number(n)) if n.is_i64() || n.is_u64() => {
            Ok(Value::Number(n))
        }
        (CustomFieldType::Datetime, Value::String(s)) => match s.trim().parse::<i64>() {
            Ok(seconds) => Ok(Value::from(seconds)),
            Err(_) => Err(format!("`{s}` is not a date and time (Unix seconds)")),
        },
        (CustomFieldType::Datetime, v) => Err(format!("{v} is not a date and time (Unix seconds)")),
        (CustomFieldType::Boolean, Value::Bool(b)) => Ok(Value::Bool(b)),
        (CustomFieldType::Boolean, Value::Number(n)) if n.as_u64() == Some(0) => {
            Ok(Value::Bool(false))
        }
        (CustomFieldType::Boolean, Value::Number(n)) if n.as_u64() == Some(1) => {
            Ok(Value::Bool(true))
        }
        (CustomFieldType::Boolean, Value::String(s)) => match s.trim() {
            "true" | "1" => Ok(Value::Bool(true)),
            "false" | "0" => Ok(Value::Bool(false)),
            other => Err(format!("`{other}` is not true or false")),
        },
        (kind, v) => Err(format!(
            "{v} does not fit a field of type `{}`",
            kind.as_str()
        )),
    }
}

/// A number from its text (`"12"`, `"12.5"`).
fn number_of(text: &str) -> Result<Value, String> {
    let not_a_number = || format!("`{text}` is not a number");
    if let Ok(n) = text.trim().parse::<i64>() {
        return Ok(Value::from(n));
    }
    let f = text.trim().parse::<f64>().map_err(|_| not_a_number())?;
    serde_json::Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(not_a_number)
}

pub(super) fn set_custom_field(call: &mut Call<'_>, r: SetCustomFieldRequest) -> Outcome {
    call.contact(r.contact_id)?;
    let kind = field(call, r.field_id)?
        .field_type
        .clone()
        .unwrap_or(CustomFieldType::Json);
    let value = coerce(&kind, r.value).map_err(|why| {
        ApiError::bad_request(format!(
            "invalid `value` for custom field {}: {why}",
            r.field_id
        ))
    })?;
    let (contact, _) = call.contact_mut(r.contact_id)?;
    contact.custom_fields.insert(r.field_id, value);
    Ok(Reply::Done)
}

pub(super) fn delete_custom_field_value(
    call: &mut Call<'_>,
    r: DeleteCustomFieldValueRequest,
) -> Outcome {
    call.contact(r.contact_id)?;
    field(call, r.field_id)?;
    let (contact, _) = call.contact_mut(r.contact_id)?;
    contact.custom_fields.remove(&r.field_id);
    Ok(Reply::Done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_checked_against_the_field_type() {
        use CustomFieldType as T;
        assert_eq!(coerce(&T::Number, json!("12")), Ok(json!(12)));
        assert_eq!(coerce(&T::Number, json!("12.5")), Ok(json!(12.5)));
        assert!(coerce(&T::Number, json!("twelve")).is_err());
        assert_eq!(coerce(&T::Text, json!(7)), Ok(json!("7")));
        assert_eq!(
            coerce(&T::Date, json!("1990-04-12")),
            Ok(json!("1990-04-12"))
        );
        assert!(coerce(&T::Date, json!("12/04/1990")).is_err());
        assert_eq!(
            coerce(&T::Datetime, json!("1717243200")),
            Ok(json!(1_717_243_200))
        );
        assert!(coerce(&T::Datetime, json!("2024-06-01")).is_err());
        assert_eq!(coerce(&T::Boolean, json!("1")), Ok(json!(true)));
        assert!(coerce(&T::Boolean, json!("yes")).is_err());
        assert_eq!(coerce(&T::Json, json!({"a": [1]})), Ok(json!({"a": [1]})));
        assert!(coerce(&T::Text, Value::Null).is_err());
        assert!(coerce(&T::Unknown("color".into()), json!(1)).is_err());
    }
}
