//! Contacts: reading and deleting them, their tags and their custom field values.
//!
//! Besides the account's own custom fields, the system fields can be set and cleared the same
//! way (field type -1): -1 the first name, -2 the last name, -8 the phone number. The full
//! name (-10) is made of the first two and cannot be set itself.

use chatrace::operations::{
    DeleteContactRequest, DeleteCustomFieldValueRequest, GetContactRequest, RemoveTagRequest,
    SetCustomFieldRequest,
};
use chatrace::types::{ContactFieldValue, CustomFieldId, CustomFieldType};

use crate::call::{data, done, ApiError, Call, Outcome};
use crate::state::{Account, ContactRecord};
use crate::time::is_date;
use crate::views;

/// A system field of every contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SystemField {
    FirstName,
    LastName,
    Phone,
    FullName,
}

impl SystemField {
    fn of(id: &CustomFieldId) -> Option<SystemField> {
        match id.as_str().trim() {
            "-1" => Some(SystemField::FirstName),
            "-2" => Some(SystemField::LastName),
            "-8" => Some(SystemField::Phone),
            "-10" => Some(SystemField::FullName),
            _ => None,
        }
    }

    /// Refuses the full name, which is made of the first and last names.
    fn check_settable(self) -> Result<(), ApiError> {
        if self == SystemField::FullName {
            return Err(ApiError::refused(
                "the full name (-10) is made of the first and last names: set those",
            ));
        }
        Ok(())
    }

    /// The contact's property the field is, to write (none for the full name).
    fn property(self, contact: &mut ContactRecord) -> Option<&mut String> {
        match self {
            SystemField::FirstName => Some(&mut contact.first_name),
            SystemField::LastName => Some(&mut contact.last_name),
            SystemField::Phone => Some(&mut contact.phone),
            SystemField::FullName => None,
        }
    }

    /// The contact's property the field is, to read.
    fn text(self, contact: &ContactRecord) -> String {
        match self {
            SystemField::FirstName => contact.first_name.clone(),
            SystemField::LastName => contact.last_name.clone(),
            SystemField::Phone => contact.phone.clone(),
            SystemField::FullName => contact.full_name(),
        }
    }
}

/// Which field a request names: a system field, or one of the account's (with its type).
pub(crate) enum Field {
    System(SystemField),
    Custom(CustomFieldType),
}

impl Field {
    /// The field `id` of `account` (a system field is settable unless it is the full name),
    /// and the type its values are read as.
    pub(crate) fn of(
        account: &Account,
        id: &CustomFieldId,
    ) -> Result<(Field, CustomFieldType), ApiError> {
        match SystemField::of(id) {
            Some(system) => {
                system.check_settable()?;
                Ok((Field::System(system), CustomFieldType::System))
            }
            None => {
                let kind = account
                    .custom_fields
                    .iter()
                    .find(|f| f.id == *id)
                    .ok_or_else(|| ApiError::not_found(format!("custom field {id} not found")))?
                    .field_type
                    .clone()
                    .unwrap_or(CustomFieldType::Text);
                Ok((Field::Custom(kind.clone()), kind))
            }
        }
    }

    /// Sets the contact's value of the field `id` (this field) to `value`, already normalized.
    pub(crate) fn write(&self, contact: &mut ContactRecord, id: &CustomFieldId, value: String) {
        match self {
            Field::System(system) => {
                if let Some(property) = system.property(contact) {
                    *property = value;
                }
            }
            Field::Custom(kind) => {
                match contact.field_values.iter_mut().find(|v| v.field_id == *id) {
                    Some(existing) => existing.value = Some(value),
                    None => contact.field_values.push({
                        let mut built = ContactFieldValue::new(id.clone());
                        built.value = Some(value);
                        built.field_type = Some(kind.clone());
                        built
                    }),
                }
            }
        }
    }

    /// The contact's value of the field `id` (this field), if it has one.
    pub(crate) fn read(&self, contact: &ContactRecord, id: &CustomFieldId) -> Option<String> {
        match self {
            Field::System(system) => Some(system.text(contact)).filter(|t| !t.is_empty()),
            Field::Custom(_) => contact
                .field_values
                .iter()
                .find(|v| v.field_id == *id)
                .and_then(|v| v.value.clone()),
        }
    }

    /// Clears the contact's value of the field `id` (this field).
    pub(crate) fn clear(&self, contact: &mut ContactRecord, id: &CustomFieldId) {
        match self {
            Field::System(system) => {
                if let Some(property) = system.property(contact) {
                    property.clear();
                }
            }
            Field::Custom(_) => contact.field_values.retain(|v| v.field_id != *id),
        }
    }
}

/// The field `id` of the call's account, checked against the type the request gives.
fn field(call: &Call<'_>, id: &CustomFieldId, given: &CustomFieldType) -> Result<Field, ApiError> {
    let (field, kind) = Field::of(call.account()?, id)?;
    if *given != kind {
        return Err(ApiError::refused(format!(
            "custom field {id} is of type {}, not {}",
            kind.as_i64(),
            given.as_i64()
        )));
    }
    Ok(field)
}

/// The value as the field's type keeps it, or why it does not fit.
pub(crate) fn normalize(kind: &CustomFieldType, value: &str) -> Result<String, String> {
    let value = value.trim();
    match kind {
        CustomFieldType::Number => value
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(|_| value.to_owned())
            .ok_or_else(|| format!("`{value}` is not a number")),
        CustomFieldType::Date if is_date(value) => Ok(value.to_owned()),
        CustomFieldType::Date => Err(format!("`{value}` is not a date (YYYY-MM-DD)")),
        CustomFieldType::DateTime => value
            .parse::<u64>()
            .map(|seconds| seconds.to_string())
            .map_err(|_| format!("`{value}` is not a date and time (Unix seconds)")),
        CustomFieldType::Boolean => match value {
            "1" | "true" => Ok("1".to_owned()),
            "0" | "false" => Ok("0".to_owned()),
            _ => Err(format!("`{value}` is not true or false (1 or 0)")),
        },
        CustomFieldType::Text | CustomFieldType::System | CustomFieldType::Unknown(_)
            if value.is_empty() =>
        {
            Err("an empty value: use `delete_custom_field_value` to clear it".to_owned())
        }
        // Text, and types the sandbox does not know, keep what was sent.
        _ => Ok(value.to_owned()),
    }
}

pub(super) fn get_contact(call: &mut Call<'_>, r: GetContactRequest) -> Outcome {
    data(&views::contact(call.contact(&r.contact_id)?))
}

pub(super) fn delete_contact(call: &mut Call<'_>, r: DeleteContactRequest) -> Outcome {
    call.contact(&r.contact_id)?;
    call.state.tick();
    call.account_mut()?.contacts.remove(r.contact_id.as_str());
    done()
}

pub(super) fn remove_tag(call: &mut Call<'_>, r: RemoveTagRequest) -> Outcome {
    if r.tag_ids.is_empty() {
        return Err(ApiError::refused("`tags` must name a tag"));
    }
    call.contact(&r.contact_id)?;
    let account = call.account()?;
    if let Some(unknown) = r
        .tag_ids
        .iter()
        .find(|id| !account.tags.iter().any(|t| t.id == **id))
    {
        return Err(ApiError::not_found(format!("tag {unknown} not found")));
    }
    let (contact, _) = call.contact_mut(&r.contact_id)?;
    // A tag the contact does not carry is already removed.
    contact.tag_ids.retain(|id| !r.tag_ids.contains(id));
    done()
}

pub(super) fn set_custom_field(call: &mut Call<'_>, r: SetCustomFieldRequest) -> Outcome {
    call.contact(&r.contact_id)?;
    let field = field(call, &r.field_id, &r.field_type)?;
    let value = normalize(&r.field_type, &r.value)
        .map_err(|why| ApiError::refused(format!("value of custom field {}: {why}", r.field_id)))?;
    let (contact, _) = call.contact_mut(&r.contact_id)?;
    field.write(contact, &r.field_id, value);
    done()
}

pub(super) fn delete_custom_field_value(
    call: &mut Call<'_>,
    r: DeleteCustomFieldValueRequest,
) -> Outcome {
    call.contact(&r.contact_id)?;
    let field = field(call, &r.field_id, &r.field_type)?;
    let (contact, _) = call.contact_mut(&r.contact_id)?;
    field.clear(contact, &r.field_id);
    done()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_against_the_field_type() {
        use CustomFieldType as T;
        assert_eq!(normalize(&T::Number, " 12.5 "), Ok("12.5".to_owned()));
        assert!(normalize(&T::Number, "twelve").is_err());
        assert!(normalize(&T::Number, "NaN").is_err());
        assert_eq!(
            normalize(&T::Date, "1990-04-12"),
            Ok("1990-04-12".to_owned())
        );
        assert!(normalize(&T::Date, "12/04/1990").is_err());
        assert_eq!(
            normalize(&T::DateTime, "1717243200"),
            Ok("1717243200".to_owned())
        );
        assert!(normalize(&T::DateTime, "2024-06-01").is_err());
        assert_eq!(normalize(&T::Boolean, "true"), Ok("1".to_owned()));
        assert!(normalize(&T::Boolean, "yes").is_err());
        assert_eq!(normalize(&T::Text, "Red"), Ok("Red".to_owned()));
        assert!(normalize(&T::Text, "  ").is_err());
    }

    #[test]
    fn system_fields_are_known_by_their_negative_ids() {
        assert_eq!(
            SystemField::of(&CustomFieldId::new(-1)),
            Some(SystemField::FirstName)
        );
        assert_eq!(
            SystemField::of(&CustomFieldId::new("-8")),
            Some(SystemField::Phone)
        );
        assert_eq!(SystemField::of(&CustomFieldId::new(473_991)), None);
    }
}
