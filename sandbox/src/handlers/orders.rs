//! The shop's orders: all of them newest first, one with its products, a change of status.

use chatrace::operations::{GetOrderRequest, ListOrdersRequest, UpdateOrderRequest};
use chatrace::types::{OrderId, OrderStatus};
use chatrace::DateTimeText;

use crate::call::{data, done, ApiError, Call, Outcome};
use crate::state::OrderRecord;
use crate::time::datetime;
use crate::views;

fn not_found(id: &OrderId) -> ApiError {
    ApiError::not_found(format!("order {id} not found"))
}

pub(super) fn list_orders(call: &mut Call<'_>, _r: ListOrdersRequest) -> Outcome {
    let mut orders: Vec<&OrderRecord> = call.account()?.orders.iter().collect();
    // Newest first; the id breaks ties, so the order is stable while nothing is written.
    orders.sort_by(|a, b| {
        b.confirmed_at
            .cmp(&a.confirmed_at)
            .then_with(|| b.order.id.cmp(&a.order.id))
    });
    let summaries: Vec<_> = orders.into_iter().map(views::order_summary).collect();
    data(&summaries)
}

pub(super) fn get_order(call: &mut Call<'_>, r: GetOrderRequest) -> Outcome {
    let record = call
        .account()?
        .orders
        .iter()
        .find(|o| o.order.id == r.order_id)
        .ok_or_else(|| not_found(&r.order_id))?;
    data(&record.order)
}

pub(super) fn update_order(call: &mut Call<'_>, r: UpdateOrderRequest) -> Outcome {
    if let OrderStatus::Unknown(other) = r.status {
        return Err(ApiError::refused(format!(
            "`status` must be one of 4, 6, 7, 10 and 13, not {other}"
        )));
    }
    if !call
        .account()?
        .orders
        .iter()
        .any(|o| o.order.id == r.order_id)
    {
        return Err(not_found(&r.order_id));
    }
    let now = call.state.tick();
    let record = call
        .account_mut()?
        .orders
        .iter_mut()
        .find(|o| o.order.id == r.order_id)
        .ok_or_else(|| not_found(&r.order_id))?;
    set_status(record, r.status, now);
    done()
}

/// Gives the order `status` at `now` (Unix seconds): an order delivered now gets its delivery
/// date.
pub(crate) fn set_status(record: &mut OrderRecord, status: OrderStatus, now: i64) {
    if status == OrderStatus::Delivered && record.order.status != Some(OrderStatus::Delivered) {
        record.order.delivered_at = Some(DateTimeText::new(datetime(now)));
    }
    record.order.status = Some(status);
}
