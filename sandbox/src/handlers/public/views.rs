//! How records look on the public API: each view builds the SDK's own answer type of the public
//! API from the state the mobile API's views read too.

use chatrace::types::{
    AccountId, CartItem, ContactFieldValue, ContactOrder, ContactRecord as ContactView,
    MessageDirection, Opportunity, Product, ProductId, ProductRecord, Tag,
};
use chatrace::Id;
use serde_json::Value;

use crate::state::{Account, ContactRecord, OpportunityRecord, OrderRecord};
use crate::time::datetime;

/// Unix seconds of a time in milliseconds (0: never).
fn seconds(ms: i64) -> i64 {
    ms / 1000
}

/// A contact as the public API answers it: profile, channel, subscription, tags and custom
/// field values (named with the account's lists).
pub(super) fn contact(account: &Account, c: &ContactRecord) -> ContactView {
    let sent = c.last_ms(&MessageDirection::ToContact);
    let heard = c.last_ms(&MessageDirection::FromContact);
    let mut built = ContactView::new(c.id.clone());
    built.account_id = Some(AccountId::new(account.id));
    built.first_name = Some(c.first_name.clone());
    built.last_name = Some(c.last_name.clone());
    built.channel = Some(c.channel.clone());
    built.profile_pic = Some(c.profile_pic.clone());
    built.locale = Some(c.locale.clone());
    built.gender = Some(c.gender.to_string());
    built.timezone_offset = Some(0.0);
    built.last_sent = Some(seconds(sent));
    // The sandbox's contacts get and see everything sent to them.
    built.last_delivered = Some(seconds(sent));
    built.last_seen = Some(seconds(sent));
    built.last_interaction = Some(seconds(heard));
    built.subscribed_at = Some(datetime(c.created_at));
    // 1 subscribed, 2 unsubscribed (a blocked contact gets nothing).
    built.subscribed = Some(if c.blocked { 2 } else { 1 });
    built.tags = Some(
        c.tag_ids
            .iter()
            .filter_map(|id| account.tags.iter().find(|t| t.id == *id).cloned())
            .collect::<Vec<Tag>>(),
    );
    built.custom_fields = Some(
        c.field_values
            .iter()
            .map(|v| field_value(account, v))
            .collect(),
    );
    built
}

/// A contact's value of a custom field, with the field's name and type.
pub(super) fn field_value(account: &Account, value: &ContactFieldValue) -> ContactFieldValue {
    let mut built = value.clone();
    if let Some(field) = account
        .custom_fields
        .iter()
        .find(|f| f.id == value.field_id)
    {
        built.name = field.name.clone();
        built.field_type = field.field_type.clone().or(built.field_type);
    }
    built
}

/// A line of a cart or an order: `quantity` of the product `id` (named from the shop when it
/// still has it).
pub(super) fn cart_item(account: &Account, id: &ProductId, quantity: i64) -> CartItem {
    let mut built = CartItem::new(id.clone());
    if let Some(product) = product_of(account, id) {
        built.name = product.name.clone();
        built.image = product.image.clone();
        built.price = product.price;
        built.variant = product.option0.clone();
    }
    built.quantity = Some(quantity);
    built.short_description = Some(String::new());
    built.vendor_id = Some(Id::new(account.id));
    built.customer_note = Some(String::new());
    built
}

/// The shop's product `id`.
pub(super) fn product_of<'a>(account: &'a Account, id: &ProductId) -> Option<&'a Product> {
    account.products.iter().find(|p| p.id == *id)
}

/// An order of a contact, as `get_contact_order` answers it.
pub(super) fn contact_order(account: &Account, record: &OrderRecord) -> ContactOrder {
    let order = &record.order;
    let lines: Vec<CartItem> = order
        .products
        .iter()
        .flatten()
        .map(|item| {
            let mut line = cart_item(account, &item.product_id, item.quantity.unwrap_or(1));
            // The order keeps what was sold, whatever the shop says now.
            line.name = item.name.clone().or(line.name);
            line.price = item.price.or(line.price);
            line.customer_note = item.customer_note.clone().or(line.customer_note);
            line
        })
        .collect();
    let mut built = ContactOrder::default();
    built.order_id = Some(order.id.clone());
    built.id = Some(order.id.clone());
    built.account_id = Some(AccountId::new(account.id));
    built.contact_id = order.contact_id.clone();
    built.status = order.status.clone();
    built.created_at = Some(datetime(record.confirmed_at));
    built.created_at_unix = Some(record.confirmed_at);
    built.currency = Some(record.currency.clone());
    built.total = order.total;
    built.subtotal = order.subtotal;
    built.shipping_cost = order.shipping_price;
    built.total_taxes = order.other_taxes;
    built.total_discounts = Some(0.0);
    built.item_count = order.item_count;
    built.coupon_discount = Some(0.0);
    built.coupon = Some(String::new());
    built.line_items = Some(lines);
    built.contact = order
        .contact_id
        .as_ref()
        .and_then(|id| account.contacts.get(id.as_str()))
        .map(|c| contact(account, c));
    built
}

/// A product of the shop, as the public API answers it.
pub(super) fn product(account: &Account, p: &Product) -> ProductRecord {
    let mut built = ProductRecord::new(p.id.clone());
    built.name = p.name.clone();
    built.price = p.price;
    built.sale_price = Some(0.0);
    built.category_id = Some(Id::new(0));
    built.category_name = Some(String::new());
    built.stock = p.stock;
    built.short_description = Some(String::new());
    built.image = p.image.clone();
    built.created_at = Some(String::new());
    // Whether it is offered: a member the Swagger model does not show, kept by the SDK.
    built.extra.insert(
        "active".to_owned(),
        Value::Bool(!account.public.inactive_products.contains(&p.id)),
    );
    built
}

/// An opportunity with its values of the pipeline's custom fields (a member the Swagger model
/// does not show, kept by the SDK).
pub(super) fn opportunity(record: &OpportunityRecord) -> Opportunity {
    let mut built = record.opportunity.clone();
    if !record.field_values.is_empty() {
        if let Ok(values) = serde_json::to_value(&record.field_values) {
            built.extra.insert("custom_fields".to_owned(), values);
        }
    }
    built
}
