//! The account's lists, each answered whole in one call: admins, teams, flows and their steps,
//! products, tags, drip campaigns, custom fields (and creating one), Messenger Lists,
//! calendars, Google Business Messages locations.

use chatrace::operations::{
    CreateCustomFieldRequest, ListAdminsRequest, ListCalendarsRequest, ListCustomFieldsRequest,
    ListDripCampaignsRequest, ListFlowStepsRequest, ListFlowsRequest, ListGbmLocationsRequest,
    ListMessengerListsRequest, ListProductsRequest, ListTagsRequest, ListTeamsRequest,
};
use chatrace::types::{CustomField, CustomFieldId, CustomFieldType, FlowStep};

use super::non_empty;
use crate::call::{data, envelope, ApiError, Call, Outcome};

pub(super) fn list_admins(call: &mut Call<'_>, _r: ListAdminsRequest) -> Outcome {
    data(&call.account()?.admins)
}

pub(super) fn list_teams(call: &mut Call<'_>, _r: ListTeamsRequest) -> Outcome {
    data(&call.account()?.teams)
}

pub(super) fn list_flows(call: &mut Call<'_>, _r: ListFlowsRequest) -> Outcome {
    let flows: Vec<_> = call
        .account()?
        .flows
        .iter()
        .map(|f| f.flow.clone())
        .collect();
    data(&flows)
}

pub(super) fn list_flow_steps(call: &mut Call<'_>, r: ListFlowStepsRequest) -> Outcome {
    let flow = call
        .account()?
        .flows
        .iter()
        .find(|f| f.flow.id == r.flow_id)
        .ok_or_else(|| ApiError::not_found(format!("flow {} not found", r.flow_id)))?;
    let steps: Vec<FlowStep> = flow.steps.iter().map(|s| s.step.clone()).collect();
    data(&steps)
}

pub(super) fn list_products(call: &mut Call<'_>, _r: ListProductsRequest) -> Outcome {
    data(&call.account()?.products)
}

pub(super) fn list_tags(call: &mut Call<'_>, _r: ListTagsRequest) -> Outcome {
    data(&call.account()?.tags)
}

pub(super) fn list_drip_campaigns(call: &mut Call<'_>, _r: ListDripCampaignsRequest) -> Outcome {
    data(&call.account()?.drip_campaigns)
}

pub(super) fn list_custom_fields(call: &mut Call<'_>, _r: ListCustomFieldsRequest) -> Outcome {
    data(&call.account()?.custom_fields)
}

pub(super) fn create_custom_field(call: &mut Call<'_>, r: CreateCustomFieldRequest) -> Outcome {
    envelope(&add_custom_field(call, &r.name, r.field_type)?)
}

/// Adds a custom field named `name` of `field_type` to the call's account, and answers it.
/// Refused: an empty name, a name the account has (whatever its case), a type the API does
/// not have.
pub(crate) fn add_custom_field(
    call: &mut Call<'_>,
    name: &str,
    field_type: CustomFieldType,
) -> Result<CustomField, ApiError> {
    non_empty("name", name)?;
    let name = name.trim().to_owned();
    if let CustomFieldType::Unknown(_) | CustomFieldType::System = field_type {
        return Err(ApiError::refused(format!(
            "`type` must be 0 (text), 1 (number), 2 (date), 3 (date and time) or 4 (true or false), not {}",
            field_type.as_i64()
        )));
    }
    let taken = call.account()?.custom_fields.iter().any(|f| {
        f.name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(&name))
    });
    if taken {
        return Err(ApiError::refused(format!(
            "a custom field named `{name}` exists"
        )));
    }
    call.state.tick();
    let field = {
        let mut built = CustomField::new(CustomFieldId::new(call.state.fresh_id()));
        built.name = Some(name);
        built.field_type = Some(field_type);
        built
    };
    call.account_mut()?.custom_fields.push(field.clone());
    Ok(field)
}

pub(super) fn list_messenger_lists(call: &mut Call<'_>, _r: ListMessengerListsRequest) -> Outcome {
    data(&call.account()?.messenger_lists)
}

pub(super) fn list_calendars(call: &mut Call<'_>, _r: ListCalendarsRequest) -> Outcome {
    data(&call.account()?.calendars)
}

pub(super) fn list_gbm_locations(call: &mut Call<'_>, _r: ListGbmLocationsRequest) -> Outcome {
    data(&call.account()?.gbm_locations)
}
