//! Contacts over the public API: reading one, finding them by a field's value, their tags and
//! custom field values, and creating one with actions. They are the inbox's contacts: a contact
//! created here is a conversation of the mobile API, and a tag or a value set on one side is
//! read on the other.

use chatrace::operations::{
    AddTagToContactRequest, ClearContactCustomFieldRequest, CreateContactRequest,
    FindContactsByCustomFieldRequest, GetContactCustomFieldRequest, GetContactRecordRequest,
    ListContactCustomFieldsRequest, ListContactTagsRequest, RemoveTagFromContactRequest,
    SetContactCustomFieldRequest,
};
use chatrace::types::{
    Channel, ContactCreated, ContactFieldValue, ContactId, ContactList, CustomFieldId, TagId,
};

use super::sends::Actions;
use super::{answer, digits_of, success, views, RestError, RestOutcome};
use crate::call::Call;
use crate::handlers::contacts::{normalize, Field};
use crate::ids;
use crate::state::{Account, ContactRecord};

/// The most contacts `find_contacts_by_custom_field` answers.
const FOUND_AT_MOST: usize = 100;

pub(super) fn get_contact_record(call: &mut Call<'_>, r: GetContactRecordRequest) -> RestOutcome {
    let id = call.resolve_contact(&r.contact_id)?;
    let account = call.account()?;
    answer(&views::contact(account, call.contact(&id)?))
}

pub(super) fn find_contacts_by_custom_field(
    call: &mut Call<'_>,
    r: FindContactsByCustomFieldRequest,
) -> RestOutcome {
    let value = r.value.trim();
    if value.is_empty() {
        return Err(RestError::bad_request("`value` must not be empty"));
    }
    let account = call.account()?;
    let matches: Box<dyn Fn(&ContactRecord) -> bool> = match r.field_id.as_str().trim() {
        // The phone field, by name or by its system id, compared digit by digit.
        "phone" | "-8" => {
            let digits = digits_of(value);
            Box::new(move |c| !digits.is_empty() && digits_of(&c.phone) == digits)
        }
        "email" => {
            let email = value.to_owned();
            Box::new(move |c| c.email.eq_ignore_ascii_case(&email))
        }
        id => {
            let id = CustomFieldId::new(id);
            let (field, _) =
                Field::of(account, &id).map_err(|e| RestError::bad_request(e.reason))?;
            let value = value.to_owned();
            Box::new(move |c| field.read(c, &id).as_deref() == Some(value.as_str()))
        }
    };
    let mut found = ContactList::default();
    found.contacts = Some(
        account
            .contacts_by_recency()
            .into_iter()
            .filter(|c| matches(c))
            .take(FOUND_AT_MOST)
            .map(|c| views::contact(account, c))
            .collect(),
    );
    answer(&found)
}

pub(super) fn list_contact_tags(call: &mut Call<'_>, r: ListContactTagsRequest) -> RestOutcome {
    let id = call.resolve_contact(&r.contact_id)?;
    answer(&views::contact(call.account()?, call.contact(&id)?).tags)
}

/// The tag `id` of the account.
fn known_tag(account: &Account, id: &TagId) -> Result<(), RestError> {
    if account.tags.iter().any(|t| t.id == *id) {
        Ok(())
    } else {
        Err(RestError::not_found(format!("tag {id} not found")))
    }
}

pub(super) fn add_tag_to_contact(call: &mut Call<'_>, r: AddTagToContactRequest) -> RestOutcome {
    let id = call.resolve_contact(&r.contact_id)?;
    known_tag(call.account()?, &r.tag_id)?;
    let (contact, _) = call.contact_mut(&id)?;
    // A tag the contact carries already is added once.
    if !contact.tag_ids.contains(&r.tag_id) {
        contact.tag_ids.push(r.tag_id);
    }
    success()
}

pub(super) fn remove_tag_from_contact(
    call: &mut Call<'_>,
    r: RemoveTagFromContactRequest,
) -> RestOutcome {
    let id = call.resolve_contact(&r.contact_id)?;
    known_tag(call.account()?, &r.tag_id)?;
    let (contact, _) = call.contact_mut(&id)?;
    contact.tag_ids.retain(|t| *t != r.tag_id);
    success()
}

/// The gender's number (as the mobile API has it) of a word.
fn gender_number(word: Option<&str>) -> i64 {
    match word.map(|w| w.trim().to_ascii_lowercase()).as_deref() {
        Some("male") => 1,
        Some("female") => 2,
        _ => 0,
    }
}

pub(super) fn create_contact(call: &mut Call<'_>, r: CreateContactRequest) -> RestOutcome {
    let phone = r.phone.as_deref().map(digits_of).unwrap_or_default();
    let email = r
        .email
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    if phone.is_empty() && email.is_empty() {
        return Err(RestError::bad_request(
            "a contact needs a phone number or an email address",
        ));
    }
    let account = call.account()?;
    if !phone.is_empty()
        && account
            .contacts
            .values()
            .any(|c| digits_of(&c.phone) == phone)
    {
        return Err(RestError::bad_request(format!(
            "a contact has the phone number +{phone}: find it with find_contacts_by_custom_field"
        )));
    }
    // A contact made by phone number talks on WhatsApp, one made by email on the web chat.
    let channel = if phone.is_empty() {
        Channel::WebChat
    } else {
        Channel::Whatsapp
    };
    let actions = Actions::check(
        account,
        r.actions.as_deref().unwrap_or_default(),
        (&channel, false),
    )?;
    let account_id = account.id;
    let now = call.state.tick();
    let id = ContactId::new(call.state.fresh_id());
    let record = ContactRecord {
        id: id.clone(),
        first_name: r.first_name.unwrap_or_default(),
        last_name: r.last_name.unwrap_or_default(),
        profile_pic: String::new(),
        locale: "en_US".to_owned(),
        language_id: 8,
        gender: gender_number(r.gender.as_deref()),
        email,
        email_opted_in: false,
        email_verified: false,
        phone_opted_in: !phone.is_empty(),
        phone_verified: false,
        channel,
        phone: if phone.is_empty() {
            String::new()
        } else {
            format!("+{phone}")
        },
        timezone_name: "UTC".to_owned(),
        code: String::new(),
        guest: false,
        created_at: now,
        live_chat: false,
        followed: false,
        archived: false,
        blocked: false,
        assignee_id: None,
        last_read_at: 0,
        instagram_username: String::new(),
        country: String::new(),
        state: String::new(),
        city: String::new(),
        zip: String::new(),
        hash: ids::conversation_hash(account_id, id.as_str()),
        tag_ids: Vec::new(),
        drip_campaign_ids: Vec::new(),
        messenger_list_ids: Vec::new(),
        notes: Vec::new(),
        field_values: Vec::new(),
        messages: Vec::new(),
    };
    call.account_mut()?
        .contacts
        .insert(id.as_str().to_owned(), record);
    actions.run(call, &id)?;
    let mut created = ContactCreated::default();
    created.success = Some(true);
    created.contact = Some(views::contact(call.account()?, call.contact(&id)?));
    created.contact_id = Some(id);
    answer(&created)
}

pub(super) fn list_contact_custom_fields(
    call: &mut Call<'_>,
    r: ListContactCustomFieldsRequest,
) -> RestOutcome {
    let id = call.resolve_contact(&r.contact_id)?;
    answer(&views::contact(call.account()?, call.contact(&id)?).custom_fields)
}

pub(super) fn get_contact_custom_field(
    call: &mut Call<'_>,
    r: GetContactCustomFieldRequest,
) -> RestOutcome {
    let id = call.resolve_contact(&r.contact_id)?;
    let account = call.account()?;
    let (field, kind) = Field::of(account, &r.custom_field_id)?;
    let mut value = ContactFieldValue::new(r.custom_field_id.clone());
    value.field_type = Some(kind);
    value.value = field.read(call.contact(&id)?, &r.custom_field_id);
    answer(&views::field_value(account, &value))
}

pub(super) fn set_contact_custom_field(
    call: &mut Call<'_>,
    r: SetContactCustomFieldRequest,
) -> RestOutcome {
    let id = call.resolve_contact(&r.contact_id)?;
    let (field, kind) = Field::of(call.account()?, &r.custom_field_id)?;
    let value = normalize(&kind, &r.value).map_err(|why| {
        RestError::bad_request(format!(
            "value of custom field {}: {why}",
            r.custom_field_id
        ))
    })?;
    let (contact, _) = call.contact_mut(&id)?;
    field.write(contact, &r.custom_field_id, value);
    success()
}

pub(super) fn clear_contact_custom_field(
    call: &mut Call<'_>,
    r: ClearContactCustomFieldRequest,
) -> RestOutcome {
    let id = call.resolve_contact(&r.contact_id)?;
    let (field, _) = Field::of(call.account()?, &r.custom_field_id)?;
    let (contact, _) = call.contact_mut(&id)?;
    field.clear(contact, &r.custom_field_id);
    success()
}
