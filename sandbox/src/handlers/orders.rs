//! The shop's orders.

use chatrace::operations::{GetOrderRequest, ListOrdersRequest, UpdateOrderRequest};
use chatrace::types::OrderStatus;
use chatrace::Operation;

use super::{page, ApiError, Call, Outcome, Reply};
use crate::state::{datetime, OrderRecord};

fn not_found(id: u64) -> ApiError {
    ApiError::not_found(format!("order {id} not found"))
}

pub(super) fn list_orders(call: &mut Call<'_>, r: ListOrdersRequest) -> Outcome {
    let mut orders: Vec<&OrderRecord> = call.account()?.orders.values().collect();
    // Newest first; the id breaks ties, so pages are stable while nothing is written.
    orders.sort_by(|a, b| {
        b.confirmed_at
            .cmp(&a.confirmed_at)
            .then_with(|| b.order.id.cmp(&a.order.id))
    });
    let all: Vec<_> = orders.iter().map(|o| o.summary()).collect();
    Reply::data(&page(
        &all,
        r.offset,
        r.limit,
        ListOrdersRequest::META.paging,
    )?)
}

pub(super) fn get_order(call: &mut Call<'_>, r: GetOrderRequest) -> Outcome {
    let order = call
        .account()?
        .orders
        .get(&r.id)
        .ok_or_else(|| not_found(r.id))?;
    Reply::data(&order.order)
}

pub(super) fn update_order(call: &mut Call<'_>, r: UpdateOrderRequest) -> Outcome {
    if let OrderStatus::Unknown(other) = r.status {
        return Err(ApiError::bad_request(format!(
            "`status` must be one of 4, 6, 7, 10, 13, not {other}"
        )));
    }
    if !call.account()?.orders.contains_key(&r.id) {
        return Err(not_found(r.id));
    }
    let now = call.state.tick();
    let record = call
        .account_mut()?
        .orders
        .get_mut(&r.id)
        .ok_or_else(|| not_found(r.id))?;
    if r.status == OrderStatus::Delivered && record.order.status != Some(OrderStatus::Delivered) {
        record.order.date_delivered = Some(datetime(now));
    }
    record.order.status = Some(r.status);
    Ok(Reply::Done)
}
