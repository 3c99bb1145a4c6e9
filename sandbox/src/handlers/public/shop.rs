//! The shop over the public API: a contact's cart, paying for it (which makes it an order of
//! the account, listed by the mobile API's `list_orders`), a contact's orders and their
//! status, and the products.

use chatrace::operations::{
    AddToCartRequest, ClearCartRequest, GetCartRequest, GetContactOrderRequest, GetProductRequest,
    MarkOrderPaidRequest, RemoveFromCartRequest, SetOrderStatusRequest, UpdateProductRequest,
};
use chatrace::types::{
    AccountId, Cart, ContactId, OrderId, OrderItem, OrderStatus, Product, ProductId, ProductUpdated,
};

use super::{answer, success, views, RestError, RestOutcome};
use crate::call::Call;
use crate::handlers::orders::set_status;
use crate::seed;
use crate::state::{Account, CartRecord, OrderRecord};

/// The currency of every sandbox shop.
const CURRENCY: &str = "USD";

/// The product `id` of the shop.
fn product<'a>(account: &'a Account, id: &ProductId) -> Result<&'a Product, RestError> {
    views::product_of(account, id)
        .ok_or_else(|| RestError::not_found(format!("product {id} not found")))
}

/// The sum of the cart's lines at the shop's prices.
fn subtotal(account: &Account, cart: &CartRecord) -> f64 {
    cart.lines
        .iter()
        .map(|(id, quantity)| {
            views::product_of(account, id)
                .and_then(|p| p.price)
                .unwrap_or(0.0)
                * *quantity as f64
        })
        .sum()
}

/// An amount in cents.
fn cents(amount: f64) -> i64 {
    (amount * 100.0).round() as i64
}

pub(super) fn get_cart(call: &mut Call<'_>, r: GetCartRequest) -> RestOutcome {
    let id = call.resolve_contact(&r.contact_id)?;
    let account = call.account()?;
    let empty = CartRecord {
        order_id: OrderId::new(""),
        lines: Vec::new(),
    };
    let record = account.public.carts.get(id.as_str()).unwrap_or(&empty);
    let subtotal = subtotal(account, record);
    let mut cart = Cart::default();
    // An empty cart has no order yet.
    cart.order_id = account
        .public
        .carts
        .get(id.as_str())
        .map(|c| c.order_id.clone());
    cart.account_id = Some(AccountId::new(account.id));
    cart.contact_id = Some(id.clone());
    cart.currency = Some(CURRENCY.to_owned());
    cart.subtotal = Some(subtotal);
    cart.total = Some(subtotal);
    cart.item_count = Some(record.lines.iter().map(|(_, quantity)| quantity).sum());
    cart.coupon_discount = Some(0.0);
    cart.coupon = Some(String::new());
    cart.line_items = Some(
        record
            .lines
            .iter()
            .map(|(product, quantity)| views::cart_item(account, product, *quantity))
            .collect(),
    );
    cart.contact = Some(views::contact(account, call.contact(&id)?));
    answer(&cart)
}

pub(super) fn clear_cart(call: &mut Call<'_>, r: ClearCartRequest) -> RestOutcome {
    let id = call.resolve_contact(&r.contact_id)?;
    call.state.tick();
    call.account_mut()?.public.carts.remove(id.as_str());
    success()
}

pub(super) fn add_to_cart(call: &mut Call<'_>, r: AddToCartRequest) -> RestOutcome {
    if r.quantity < 1 {
        return Err(RestError::bad_request(format!(
            "`quantity` must be 1 or more, not {}",
            r.quantity
        )));
    }
    let id = call.resolve_contact(&r.contact_id)?;
    let account = call.account()?;
    let stock = product(account, &r.product_id)?.stock.unwrap_or(0);
    if account.public.inactive_products.contains(&r.product_id) {
        return Err(RestError::bad_request(format!(
            "product {} is not offered",
            r.product_id
        )));
    }
    let in_cart: i64 = account
        .public
        .carts
        .get(id.as_str())
        .into_iter()
        .flat_map(|c| &c.lines)
        .filter(|(p, _)| *p == r.product_id)
        .map(|(_, quantity)| quantity)
        .sum();
    // The quantity is added to what the cart holds (the API does not say; the sandbox's
    // reading).
    let wanted = in_cart.saturating_add(r.quantity);
    if wanted > stock {
        return Err(RestError::bad_request(format!(
            "only {stock} of product {} are in stock",
            r.product_id
        )));
    }
    call.state.tick();
    let order_id = OrderId::new(call.state.fresh_id());
    let cart = call
        .account_mut()?
        .public
        .carts
        .entry(id.as_str().to_owned())
        .or_insert(CartRecord {
            order_id,
            lines: Vec::new(),
        });
    match cart.lines.iter_mut().find(|(p, _)| *p == r.product_id) {
        Some((_, quantity)) => *quantity = wanted,
        None => cart.lines.push((r.product_id, r.quantity)),
    }
    success()
}

pub(super) fn remove_from_cart(call: &mut Call<'_>, r: RemoveFromCartRequest) -> RestOutcome {
    let id = call.resolve_contact(&r.contact_id)?;
    product(call.account()?, &r.product_id)?;
    call.state.tick();
    let carts = &mut call.account_mut()?.public.carts;
    if let Some(cart) = carts.get_mut(id.as_str()) {
        cart.lines.retain(|(p, _)| *p != r.product_id);
        if cart.lines.is_empty() {
            carts.remove(id.as_str());
        }
    }
    success()
}

/// The order `order_id` of the contact `contact`.
fn order_of<'a>(
    account: &'a Account,
    contact: &ContactId,
    order_id: &OrderId,
) -> Result<&'a OrderRecord, RestError> {
    account
        .orders
        .iter()
        .find(|o| o.order.id == *order_id && o.order.contact_id.as_ref() == Some(contact))
        .ok_or_else(|| RestError::not_found(format!("contact {contact} has no order {order_id}")))
}

pub(super) fn mark_order_paid(call: &mut Call<'_>, r: MarkOrderPaidRequest) -> RestOutcome {
    let id = call.resolve_contact(&r.contact_id)?;
    let account = call.account()?;
    let cart = account
        .public
        .carts
        .get(id.as_str())
        .filter(|c| c.order_id == r.order_id);
    let total = match cart {
        Some(cart) => subtotal(account, cart),
        None => order_of(account, &id, &r.order_id)?
            .order
            .total
            .unwrap_or(0.0),
    };
    if r.amount_received < cents(total) {
        return Err(RestError::bad_request(format!(
            "{} cents received, below the order's total of {} cents",
            r.amount_received,
            cents(total)
        )));
    }
    if account.public.payments.contains_key(r.order_id.as_str()) {
        return Err(RestError::new(
            402,
            format!("order {} is paid already", r.order_id),
        ));
    }
    if let Some(cart) = cart.cloned() {
        check_out(call, &id, cart)?;
    } else {
        call.state.tick();
    }
    call.account_mut()?
        .public
        .payments
        .insert(r.order_id.as_str().to_owned(), r.amount_received);
    success()
}

/// Turns the contact's paid cart into a confirmed order of the account (the products leave
/// the stock), and empties the cart.
fn check_out(call: &mut Call<'_>, contact: &ContactId, cart: CartRecord) -> Result<(), RestError> {
    let now = call.state.tick();
    let account = call.account()?;
    let record = call.contact(contact)?;
    let items: Vec<OrderItem> = cart
        .lines
        .iter()
        .filter_map(|(id, quantity)| {
            views::product_of(account, id).map(|p| seed::item(p, *quantity, "", &account.name))
        })
        .collect();
    let mut order = seed::order(
        (0, items, 0.0, OrderStatus::Confirmed, 0, now),
        record,
        CURRENCY,
    );
    // The order keeps the id the cart showed.
    order.order.id = cart.order_id.clone();
    let account = call.account_mut()?;
    for (id, quantity) in &cart.lines {
        if let Some(product) = account.products.iter_mut().find(|p| p.id == *id) {
            product.stock = Some(product.stock.unwrap_or(0).saturating_sub(*quantity));
        }
    }
    account.orders.push(order);
    account.public.carts.remove(contact.as_str());
    Ok(())
}

pub(super) fn get_contact_order(call: &mut Call<'_>, r: GetContactOrderRequest) -> RestOutcome {
    let id = call.resolve_contact(&r.contact_id)?;
    let account = call.account()?;
    answer(&views::contact_order(
        account,
        order_of(account, &id, &r.order_id)?,
    ))
}

pub(super) fn set_order_status(call: &mut Call<'_>, r: SetOrderStatusRequest) -> RestOutcome {
    let settable = matches!(
        r.status,
        OrderStatus::Shipped
            | OrderStatus::Delivered
            | OrderStatus::Cancelled
            | OrderStatus::Refunded
    );
    if !settable {
        return Err(RestError::bad_request(format!(
            "`status` must be 6, 7, 10 or 13, not {}",
            r.status.as_i64()
        )));
    }
    let id = call.resolve_contact(&r.contact_id)?;
    let record = order_of(call.account()?, &id, &r.order_id)?;
    if record.order.status.as_ref() == Some(&r.status) {
        return Err(RestError::new(
            402,
            format!("order {} has this status already", r.order_id),
        ));
    }
    let now = call.state.tick();
    if let Some(record) = call
        .account_mut()?
        .orders
        .iter_mut()
        .find(|o| o.order.id == r.order_id)
    {
        set_status(record, r.status, now);
    }
    success()
}

pub(super) fn get_product(call: &mut Call<'_>, r: GetProductRequest) -> RestOutcome {
    let account = call.account()?;
    answer(&views::product(account, product(account, &r.product_id)?))
}

pub(super) fn update_product(call: &mut Call<'_>, r: UpdateProductRequest) -> RestOutcome {
    let account = call.account()?;
    let current = product(account, &r.product_id)?;
    if r.stock.is_some_and(|s| s < 0) || r.price.is_some_and(|p| p.is_nan() || p < 0.0) {
        return Err(RestError::bad_request(
            "`stock` and `price` must be 0 or more",
        ));
    }
    let was_active = !account.public.inactive_products.contains(&r.product_id);
    let updated = r.stock.is_some_and(|s| current.stock != Some(s))
        || r.price.is_some_and(|p| current.price != Some(p))
        || r.active.is_some_and(|a| a != was_active);
    call.state.tick();
    let account = call.account_mut()?;
    if let Some(product) = account.products.iter_mut().find(|p| p.id == r.product_id) {
        product.stock = r.stock.or(product.stock);
        product.price = r.price.or(product.price);
    }
    match r.active {
        Some(false) => {
            account.public.inactive_products.insert(r.product_id);
        }
        Some(true) => {
            account.public.inactive_products.remove(&r.product_id);
        }
        None => {}
    }
    let mut outcome = ProductUpdated::default();
    outcome.success = Some(true);
    outcome.updated = Some(updated);
    answer(&outcome)
}
