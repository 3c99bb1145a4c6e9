//! The account's lists: admins, teams, flows and steps, products, tags, drip campaigns, custom
//! fields, Messenger Lists, calendars, Google Business Messages locations.

use chatrace::operations::{
    CreateCustomFieldRequest, ListAdminsRequest, ListCalendarsRequest, ListCustomFieldsRequest,
    ListDripCampaignsRequest, ListFlowStepsRequest, ListFlowsRequest, ListGbmLocationsRequest,
    ListMessengerListsRequest, ListProductsRequest, ListTagsRequest, ListTeamsRequest,
};
use chatrace::types::{CustomField, CustomFieldType};
use chatrace::Operation;
use serde_json::Map;

use super::{page, ApiError, Call, Outcome, Reply};

pub(super) fn list_admins(call: &mut Call<'_>, _r: ListAdminsRequest) -> Outcome {
    Reply::data(&call.account()?.admins)
}

pub(super) fn list_teams(call: &mut Call<'_>, _r: ListTeamsRequest) -> Outcome {
    Reply::data(&call.account()?.teams)
}

pub(super) fn list_flows(call: &mut Call<'_>, r: ListFlowsRequest) -> Outcome {
    let flows: Vec<_> = call
        .account()?
        .flows
        .iter()
        .map(|f| f.flow.clone())
        .collect();
    let paging = ListFlowsRequest::META.paging;
    Reply::data(&page(&flows, r.offset, r.limit, paging)?)
}

pub(super) fn list_flow_steps(call: &mut Call<'_>, r: ListFlowStepsRequest) -> Outcome {
    let flow = call
        .account()?
        .flows
        .iter()
        .find(|f| f.flow.id == r.flow_id)
        .ok_or_else(|| ApiError::not_found(format!("flow {} not found", r.flow_id)))?;
    Reply::data(&flow.steps)
}

pub(super) fn list_products(call: &mut Call<'_>, r: ListProductsRequest) -> Outcome {
    let paging = ListProductsRequest::META.paging;
    Reply::data(&page(&call.account()?.products, r.offset, r.limit, paging)?)
}

pub(super) fn list_tags(call: &mut Call<'_>, r: ListTagsRequest) -> Outcome {
    let paging = ListTagsRequest::META.paging;
    Reply::data(&page(&call.account()?.tags, r.offset, r.limit, paging)?)
}

pub(super) fn list_drip_campaigns(call: &mut Call<'_>, _r: ListDripCampaignsRequest) -> Outcome {
    Reply::data(&call.account()?.drip_campaigns)
}

pub(super) fn list_custom_fields(call: &mut Call<'_>, _r: ListCustomFieldsRequest) -> Outcome {
    Reply::data(&call.account()?.custom_fields)
}

pub(super) fn create_custom_field(call: &mut Call<'_>, r: CreateCustomFieldRequest) -> Outcome {
    let name = r.name.trim().to_owned();
    if name.is_empty() {
        return Err(ApiError::bad_request("`name` must not be empty"));
    }
    if let CustomFieldType::Unknown(other) = &r.field_type {
        return Err(ApiError::bad_request(format!(
            "`type` must be one of {}, not `{other}`",
            CustomFieldType::KNOWN_VALUES.join(", ")
        )));
    }
    let taken = call.account()?.custom_fields.iter().any(|f| {
        f.name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(&name))
    });
    if taken {
        return Err(ApiError::bad_request(format!(
            "a custom field named `{name}` already exists"
        )));
    }
    call.state.tick();
    let field = CustomField {
        id: call.state.fresh_id(),
        name: Some(name),
        field_type: Some(r.field_type),
        description: Some(r.description.unwrap_or_default()),
        extra: Map::new(),
    };
    call.account_mut()?.custom_fields.push(field.clone());
    Reply::data(&field)
}

pub(super) fn list_messenger_lists(call: &mut Call<'_>, _r: ListMessengerListsRequest) -> Outcome {
    Reply::data(&call.account()?.messenger_lists)
}

pub(super) fn list_calendars(call: &mut Call<'_>, _r: ListCalendarsRequest) -> Outcome {
    Reply::data(&call.account()?.calendars)
}

pub(super) fn list_gbm_locations(call: &mut Call<'_>, _r: ListGbmLocationsRequest) -> Outcome {
    Reply::data(&call.account()?.gbm_locations)
}
