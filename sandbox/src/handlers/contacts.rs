//! Contacts: reading and deleting them, their tags and custom field values, files for them.

use chatrace::operations::{
    DeleteContactRequest, DeleteCustomFieldValueRequest, GetContactRequest, RemoveTagRequest,
    SetCustomFieldRequest, UploadFileRequest,
};
use chatrace::types::{CustomFieldType, CustomFieldValue, UploadedFile};
use serde_json::{Map, Value};

use super::{ApiError, Call, Outcome, Reply};

pub(super) fn get_contact(call: &mut Call<'_>, r: GetContactRequest) -> Outcome {
    Reply::data(&call.contact(r.contact_id)?.details())
}

pub(super) fn delete_contact(call: &mut Call<'_>, r: DeleteContactRequest) -> Outcome {
    call.contact(r.contact_id)?;
    call.state.tick();
    call.account_mut()?.contacts.remove(&r.contact_id);
    Ok(Reply::Done)
}

pub(super) fn remove_tag(call: &mut Call<'_>, r: RemoveTagRequest) -> Outcome {
    if r.tag_ids.is_empty() {
        return Err(ApiError::bad_request("`tags` must name at least one tag"));
    }
    let account = call.account()?;
    if let Some(unknown) = r
        .tag_ids
        .iter()
        .find(|id| !account.tags.iter().any(|t| t.id == **id))
    {
        return Err(ApiError::not_found(format!("tag {unknown} not found")));
    }
    let (contact, _) = call.contact_mut(r.contact_id)?;
    contact.tags.retain(|id| !r.tag_ids.contains(id));
    Ok(Reply::Done)
}

/// The custom field `field_id` of the account, checked to have type `kind`.
fn check_field(call: &Call<'_>, field_id: u64, kind: &CustomFieldType) -> Result<(), ApiError> {
    let field = call
        .account()?
        .custom_fields
        .iter()
        .find(|f| f.id == field_id)
        .ok_or_else(|| ApiError::not_found(format!("custom field {field_id} not found")))?;
    if field.kind.as_ref() != Some(kind) {
        return Err(ApiError::bad_request(format!(
            "custom field {field_id} has type {}, not {}",
            type_name(field.kind.as_ref()),
            type_name(Some(kind))
        )));
    }
    Ok(())
}

fn type_name(kind: Option<&CustomFieldType>) -> String {
    match kind {
        Some(CustomFieldType::Text) => "0 (text)".into(),
        Some(CustomFieldType::Number) => "1 (number)".into(),
        Some(CustomFieldType::Date) => "2 (date)".into(),
        Some(CustomFieldType::Datetime) => "3 (date and time)".into(),
        Some(CustomFieldType::Boolean) => "4 (true or false)".into(),
        Some(CustomFieldType::Unknown(n)) => format!("{n} (unknown)"),
        None => "none".into(),
    }
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

/// `YYYY-MM-DD hh:mm[:ss]`.
fn is_datetime(text: &str) -> bool {
    let Some((day, time)) = text.split_once([' ', 'T']) else {
        return false;
    };
    let t = time.as_bytes();
    is_date(day)
        && (t.len() == 5 || t.len() == 8)
        && t.iter().enumerate().all(|(i, c)| {
            if i % 3 == 2 {
                *c == b':'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// The value as the field's type stores it, or why it does not fit.
fn coerce(kind: &CustomFieldType, value: Value) -> Result<Value, String> {
    match (kind, value) {
        (CustomFieldType::Text, Value::String(s)) => Ok(Value::String(s)),
        (CustomFieldType::Text, v @ (Value::Number(_) | Value::Bool(_))) => {
            Ok(Value::String(v.to_string()))
        }
        (CustomFieldType::Number, Value::Number(n)) => Ok(Value::Number(n)),
        (CustomFieldType::Number, Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .and_then(|f| {
                if f.fract() == 0.0 && f.abs() < 9e15 {
                    Some(Value::from(f as i64))
                } else {
                    serde_json::Number::from_f64(f).map(Value::Number)
                }
            })
            .ok_or_else(|| format!("`{s}` is not a number")),
        (CustomFieldType::Date, Value::String(s)) if is_date(s.trim()) => {
            Ok(Value::String(s.trim().to_owned()))
        }
        (CustomFieldType::Date, v) => Err(format!("{v} is not a date (YYYY-MM-DD)")),
        (CustomFieldType::Datetime, Value::String(s)) if is_datetime(s.trim()) => {
            Ok(Value::String(s.trim().to_owned()))
        }
        (CustomFieldType::Datetime, Value::Number(n)) if n.is_i64() => Ok(Value::Number(n)),
        (CustomFieldType::Datetime, v) => Err(format!(
            "{v} is not a date and time (YYYY-MM-DD hh:mm:ss or a Unix time)"
        )),
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
            "{v} does not fit a field of type {}",
            type_name(Some(kind))
        )),
    }
}

pub(super) fn set_custom_field(call: &mut Call<'_>, r: SetCustomFieldRequest) -> Outcome {
    call.contact(r.contact_id)?;
    check_field(call, r.field_id, &r.field_type)?;
    let value = coerce(&r.field_type, r.value)
        .map_err(|why| ApiError::bad_request(format!("invalid `value`: {why}")))?;
    let (contact, _) = call.contact_mut(r.contact_id)?;
    let entry = CustomFieldValue {
        field_id: r.field_id,
        kind: Some(r.field_type),
        value: Some(value),
        extra: Map::new(),
    };
    match contact
        .custom_fields
        .iter_mut()
        .find(|v| v.field_id == r.field_id)
    {
        Some(existing) => *existing = entry,
        None => contact.custom_fields.push(entry),
    }
    Ok(Reply::Done)
}

pub(super) fn delete_custom_field_value(
    call: &mut Call<'_>,
    r: DeleteCustomFieldValueRequest,
) -> Outcome {
    call.contact(r.contact_id)?;
    check_field(call, r.field_id, &r.field_type)?;
    let (contact, _) = call.contact_mut(r.contact_id)?;
    contact.custom_fields.retain(|v| v.field_id != r.field_id);
    Ok(Reply::Done)
}

pub(super) fn upload_file(call: &mut Call<'_>, r: UploadFileRequest) -> Outcome {
    call.contact(r.contact_id)?;
    let account_id = call.account()?.id;
    let file = call
        .files
        .iter()
        .find(|f| f.field == "file")
        .cloned()
        .ok_or_else(|| {
            ApiError::bad_request(
                "the `file` part is missing: send the file as a multipart part named `file`",
            )
        })?;
    call.state.tick();
    let id = call.state.fresh_id();
    let name = r
        .file_name
        .clone()
        .or(file.file_name.clone())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "file".to_owned());
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let url = format!("{}files/{id}/{safe}", call.base_url);
    call.state.uploads.push(crate::Upload {
        account_id,
        contact_id: r.contact_id,
        file_name: file.file_name,
        length: file.length,
        checksum: file.checksum,
        url: url.clone(),
    });
    Reply::beside(&UploadedFile {
        url,
        extra: Map::new(),
    })
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
        assert!(coerce(&T::Datetime, json!("2024-06-01 10:30")).is_ok());
        assert!(coerce(&T::Datetime, json!("2024-06-01")).is_err());
        assert_eq!(coerce(&T::Boolean, json!("1")), Ok(json!(true)));
        assert!(coerce(&T::Boolean, json!("yes")).is_err());
        assert!(coerce(&T::Unknown(9), json!(1)).is_err());
    }
}
