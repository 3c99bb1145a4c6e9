//! The account over the public API: its details and admins, its tags and custom fields (the
//! same lists the mobile API reads), its flows, bot fields and booking calendars.

use chatrace::operations::{
    ClearBotFieldRequest, CreateAccountCustomFieldRequest, CreateTagRequest, DeleteTagRequest,
    GetAccountRequest, GetBookingCalendarRequest, GetBotFieldRequest, GetCustomFieldByNameRequest,
    GetCustomFieldRequest, GetTagByNameRequest, GetTagRequest, ListAccountAdminsRequest,
    ListAccountCustomFieldsRequest, ListAccountFlowsRequest, ListAccountTagsRequest,
    ListBookingCalendarsRequest, SetBotFieldRequest,
};
use chatrace::types::{
    AccountDetails, AccountId, AdminId, AdminRecord, BotFieldValue, Calendar, CalendarList,
    CalendarRecord, CustomFieldCreated, CustomFieldType, Flow, Tag, TagCreated, TagId,
};

use super::{answer, success, RestError, RestOutcome};
use crate::call::Call;
use crate::handlers::catalogue::add_custom_field;
use crate::handlers::contacts::normalize;
use crate::handlers::non_empty;
use crate::state::Account;
use crate::time::datetime;

pub(super) fn get_account(call: &mut Call<'_>, _r: GetAccountRequest) -> RestOutcome {
    let account = call.account()?;
    let mut details = AccountDetails::default();
    details.account_id = Some(AccountId::new(account.id));
    details.name = Some(account.name.clone());
    details.active = Some(true);
    // The account is as old as its oldest contact.
    details.created_at = account.contacts.values().map(|c| c.created_at).min();
    details.contact_count = Some(account.contacts.len() as i64);
    answer(&details)
}

pub(super) fn list_account_admins(
    call: &mut Call<'_>,
    _r: ListAccountAdminsRequest,
) -> RestOutcome {
    let account = call.account()?;
    let admins: Vec<AdminRecord> = account
        .admins
        .iter()
        .map(|admin| {
            let mut built = AdminRecord::new(admin.admin_id.clone());
            built.first_name = admin.first_name.clone();
            built.last_name = admin.last_name.clone();
            built.full_name = admin.name.clone();
            built.profile_pic = admin.profile_pic.clone();
            built.email = admin_email(call, &admin.admin_id);
            built
        })
        .collect();
    answer(&admins)
}

/// The email of an admin who can log in.
fn admin_email(call: &Call<'_>, id: &AdminId) -> Option<String> {
    let id: u64 = id.as_str().parse().ok()?;
    call.state.users.get(&id).map(|user| user.email.clone())
}

pub(super) fn list_account_tags(call: &mut Call<'_>, _r: ListAccountTagsRequest) -> RestOutcome {
    answer(&call.account()?.tags)
}

/// The tag `id` of the account.
fn tag<'a>(account: &'a Account, id: &TagId) -> Result<&'a Tag, RestError> {
    account
        .tags
        .iter()
        .find(|t| t.id == *id)
        .ok_or_else(|| RestError::not_found(format!("tag {id} not found")))
}

pub(super) fn create_tag(call: &mut Call<'_>, r: CreateTagRequest) -> RestOutcome {
    non_empty("name", &r.name)?;
    let name = r.name.trim().to_owned();
    if call
        .account()?
        .tags
        .iter()
        .any(|t| t.name.as_deref() == Some(&name))
    {
        return Err(RestError::bad_request(format!(
            "a tag named `{name}` exists"
        )));
    }
    call.state.tick();
    let id = TagId::new(call.state.fresh_id());
    call.account_mut()?.tags.push({
        let mut built = Tag::new(id.clone());
        built.name = Some(name);
        built
    });
    answer(&TagCreated::new(id))
}

pub(super) fn get_tag(call: &mut Call<'_>, r: GetTagRequest) -> RestOutcome {
    answer(tag(call.account()?, &r.tag_id)?)
}

pub(super) fn delete_tag(call: &mut Call<'_>, r: DeleteTagRequest) -> RestOutcome {
    tag(call.account()?, &r.tag_id)?;
    call.state.tick();
    let account = call.account_mut()?;
    account.tags.retain(|t| t.id != r.tag_id);
    // The contacts that carried it no longer do.
    for contact in account.contacts.values_mut() {
        contact.tag_ids.retain(|id| *id != r.tag_id);
    }
    success()
}

pub(super) fn get_tag_by_name(call: &mut Call<'_>, r: GetTagByNameRequest) -> RestOutcome {
    let found = call
        .account()?
        .tags
        .iter()
        .find(|t| t.name.as_deref() == Some(r.tag_name.as_str()))
        .ok_or_else(|| RestError::not_found(format!("no tag is named `{}`", r.tag_name)))?;
    answer(found)
}

pub(super) fn list_account_flows(call: &mut Call<'_>, _r: ListAccountFlowsRequest) -> RestOutcome {
    let flows: Vec<Flow> = call
        .account()?
        .flows
        .iter()
        .map(|f| f.flow.clone())
        .collect();
    answer(&flows)
}

pub(super) fn list_account_custom_fields(
    call: &mut Call<'_>,
    _r: ListAccountCustomFieldsRequest,
) -> RestOutcome {
    answer(&call.account()?.custom_fields)
}

pub(super) fn create_account_custom_field(
    call: &mut Call<'_>,
    r: CreateAccountCustomFieldRequest,
) -> RestOutcome {
    let field = add_custom_field(call, &r.name, r.field_type)?;
    let mut created = CustomFieldCreated::new(field.id);
    created.name = field.name;
    answer(&created)
}

pub(super) fn get_custom_field(call: &mut Call<'_>, r: GetCustomFieldRequest) -> RestOutcome {
    let found = call
        .account()?
        .custom_fields
        .iter()
        .find(|f| f.id == r.custom_field_id)
        .ok_or_else(|| {
            RestError::not_found(format!("custom field {} not found", r.custom_field_id))
        })?;
    answer(found)
}

pub(super) fn get_custom_field_by_name(
    call: &mut Call<'_>,
    r: GetCustomFieldByNameRequest,
) -> RestOutcome {
    let found = call
        .account()?
        .custom_fields
        .iter()
        .find(|f| f.name.as_deref() == Some(r.custom_field_name.as_str()))
        .ok_or_else(|| {
            RestError::not_found(format!(
                "no custom field is named `{}`",
                r.custom_field_name
            ))
        })?;
    answer(found)
}

/// The bot field `id` of the account.
fn bot_field<'a>(account: &'a Account, id: &str) -> Result<&'a BotFieldValue, RestError> {
    account
        .public
        .bot_fields
        .iter()
        .find(|f| f.id.as_str() == id)
        .ok_or_else(|| RestError::not_found(format!("bot field {id} not found")))
}

/// Sets the bot field `id` to `value` (`None`: clears it), once it is known to exist.
fn write_bot_field(call: &mut Call<'_>, id: &str, value: Option<String>) -> RestOutcome {
    call.state.tick();
    if let Some(field) = call
        .account_mut()?
        .public
        .bot_fields
        .iter_mut()
        .find(|f| f.id.as_str() == id)
    {
        field.value = value;
    }
    success()
}

pub(super) fn get_bot_field(call: &mut Call<'_>, r: GetBotFieldRequest) -> RestOutcome {
    answer(bot_field(call.account()?, r.bot_field_id.as_str())?)
}

pub(super) fn set_bot_field(call: &mut Call<'_>, r: SetBotFieldRequest) -> RestOutcome {
    let field = bot_field(call.account()?, r.bot_field_id.as_str())?;
    let kind = field.field_type.clone().unwrap_or(CustomFieldType::Text);
    let value = normalize(&kind, &r.value).map_err(|why| {
        RestError::bad_request(format!("value of bot field {}: {why}", r.bot_field_id))
    })?;
    write_bot_field(call, r.bot_field_id.as_str(), Some(value))
}

pub(super) fn clear_bot_field(call: &mut Call<'_>, r: ClearBotFieldRequest) -> RestOutcome {
    bot_field(call.account()?, r.bot_field_id.as_str())?;
    write_bot_field(call, r.bot_field_id.as_str(), None)
}

/// A booking calendar as the public API answers it; the account's owner made it.
fn calendar(account: &Account, calendar: &Calendar) -> CalendarRecord {
    let mut built = CalendarRecord::new(calendar.id.clone());
    built.name = calendar.name.clone();
    // The length of the calendar's appointments, when it has any.
    built.duration_minutes = account
        .appointments
        .iter()
        .find(|a| a.appointment.calendar_id.as_ref() == Some(&calendar.id))
        .and_then(|a| a.appointment.duration_minutes);
    built.created_at = account
        .contacts
        .values()
        .map(|c| c.created_at)
        .min()
        .map(datetime);
    built.created_by = Some(AdminId::new(account.owner_id));
    built
}

pub(super) fn list_booking_calendars(
    call: &mut Call<'_>,
    _r: ListBookingCalendarsRequest,
) -> RestOutcome {
    let account = call.account()?;
    let mut list = CalendarList::default();
    list.calendars = Some(
        account
            .calendars
            .iter()
            .map(|c| calendar(account, c))
            .collect(),
    );
    answer(&list)
}

pub(super) fn get_booking_calendar(
    call: &mut Call<'_>,
    r: GetBookingCalendarRequest,
) -> RestOutcome {
    let account = call.account()?;
    let found = account
        .calendars
        .iter()
        .find(|c| c.id == r.calendar_id)
        .ok_or_else(|| RestError::not_found(format!("calendar {} not found", r.calendar_id)))?;
    answer(&calendar(account, found))
}
