//! How records look on the wire: each view builds the SDK's own answer type from the state, so
//! that what the sandbox sends is what the SDK reads.

use chatrace::operations::GetCurrentUserRequest;
use chatrace::types::{
    Account as AccountView, AccountId, AdminId, AdminProfile, Appointment, Contact, ContactId,
    Conversation, CurrentAccount, CurrentUser, Message, MessageDirection, MessagePart,
    OrderContact, OrderSummary,
};
use chatrace::{DateTimeText, Operation, UnixMillis, UnixSeconds};
use serde_json::{json, Map, Value};

use crate::state::{Account, AppointmentRecord, ContactRecord, OrderRecord, User};
use crate::time::datetime;

/// The wire form of "nobody" where an admin id is expected.
const NOBODY: &str = "0";

/// What a conversation list shows of a message: its first text, else what kind of part it is.
pub(crate) fn preview(message: &Message) -> String {
    let parts = message.parts.as_deref().unwrap_or_default();
    let text = parts.iter().find_map(|part| match part {
        MessagePart::Text(text) => text.text.clone().filter(|t| !t.is_empty()),
        _ => None,
    });
    text.unwrap_or_else(|| {
        let kind = parts.iter().find_map(|part| match part {
            MessagePart::File(file) => Some(
                file.attachment
                    .as_ref()
                    .and_then(|a| a.kind.as_ref())
                    .map_or("file", |k| k.as_str())
                    .to_owned(),
            ),
            MessagePart::Unknown(map) => map.get("type").and_then(Value::as_str).map(str::to_owned),
            _ => None,
        });
        format!("[{}]", kind.as_deref().unwrap_or("message"))
    })
}

/// Milliseconds as the server writes them.
fn millis(ms: i64) -> Option<UnixMillis> {
    (ms > 0).then(|| UnixMillis::new(ms))
}

fn assignee(c: &ContactRecord) -> AdminId {
    c.assignee_id
        .clone()
        .unwrap_or_else(|| AdminId::new(NOBODY))
}

/// A contact's conversation as the inbox lists it.
pub(crate) fn conversation(c: &ContactRecord) -> Conversation {
    let last = c.messages.last();
    let sent = c.last_ms(&MessageDirection::ToContact);
    let heard = c.last_ms(&MessageDirection::FromContact);
    Conversation {
        contact_id: c.id.clone(),
        full_name: Some(c.full_name()),
        channel: Some(c.channel.clone()),
        last_message: Some(last.map(preview).unwrap_or_default()),
        profile_pic: Some(c.profile_pic.clone()),
        phone: Some(c.phone.clone()),
        last_message_at: millis(c.last_message_ms()),
        live_chat: Some(c.live_chat),
        followed: Some(c.followed),
        archived: Some(c.archived),
        blocked: Some(c.blocked),
        last_read_at: Some(UnixSeconds::new(c.last_read_at)),
        assignee_id: Some(assignee(c)),
        last_active_at: Some(UnixSeconds::new(heard / 1000)),
        last_sent_at: millis(sent),
        // The seed's contacts got and saw everything sent to them.
        last_delivered_at: millis(sent),
        last_seen_at: millis(sent),
        extra: Map::new(),
    }
}

/// Everything about a contact, as `get_contact` answers it.
pub(crate) fn contact(c: &ContactRecord) -> Contact {
    let sent = c.last_ms(&MessageDirection::ToContact);
    let heard = c.last_ms(&MessageDirection::FromContact);
    Contact {
        contact_id: c.id.clone(),
        live_chat: Some(c.live_chat),
        first_name: Some(c.first_name.clone()),
        last_name: Some(c.last_name.clone()),
        full_name: Some(c.full_name()),
        profile_pic: Some(c.profile_pic.clone()),
        locale: Some(c.locale.clone()),
        language_id: Some(c.language_id),
        gender: Some(c.gender),
        email: Some(c.email.clone()),
        email_opted_in: Some(c.email_opted_in),
        email_verified: Some(c.email_verified),
        phone: Some(c.phone.clone()),
        phone_opted_in: Some(c.phone_opted_in),
        phone_verified: Some(c.phone_verified),
        timezone_offset: Some(-1),
        timezone_name: Some(c.timezone_name.clone()),
        code: Some(c.code.clone()),
        source: Some(0),
        last_seen_at: millis(sent),
        last_interaction_at: millis(heard),
        guest: Some(c.guest),
        created_at: Some(DateTimeText::new(datetime(c.created_at))),
        status: Some(1),
        channel: Some(c.channel.clone()),
        assignee_id: Some(assignee(c)),
        last_read_at: Some(UnixSeconds::new(c.last_read_at)),
        last_active_at: Some(UnixSeconds::new(heard / 1000)),
        followed: Some(c.followed),
        archived: Some(c.archived),
        blocked: Some(c.blocked),
        instagram_username: Some(c.instagram_username.clone()),
        instagram_verified: Some(false),
        conversation_hash: Some(c.hash.clone()),
        country: Some(c.country.clone()),
        state: Some(c.state.clone()),
        city: Some(c.city.clone()),
        postal_code: Some(c.zip.clone()),
        tag_ids: Some(c.tag_ids.clone()),
        drip_campaign_ids: Some(c.drip_campaign_ids.clone()),
        messenger_list_ids: Some(c.messenger_list_ids.clone()),
        notes: Some(c.notes.clone()),
        custom_fields: Some(c.field_values.clone()),
        extra: Map::new(),
    }
}

/// The contact of an order, in short.
pub(crate) fn order_contact(c: &ContactRecord) -> OrderContact {
    OrderContact {
        id: c.id.clone(),
        name: Some(c.full_name()),
        channel: Some(c.channel.clone()),
        extra: Map::new(),
    }
}

/// An order as the list of orders shows it.
pub(crate) fn order_summary(record: &OrderRecord) -> OrderSummary {
    let o = &record.order;
    OrderSummary {
        id: o.id.clone(),
        contact_id: o.contact_id.clone(),
        name: Some(record.name.clone()),
        currency: Some(record.currency.clone()),
        total: o.total,
        subtotal: o.subtotal,
        shipping_price: o.shipping_price,
        rating: o.rating,
        status: o.status.clone(),
        confirmed_at: Some(DateTimeText::new(datetime(record.confirmed_at))),
        confirmed_at_unix: Some(UnixSeconds::new(record.confirmed_at)),
        extra: Map::new(),
    }
}

/// The appointments of `records`, each as the list shows it.
pub(crate) fn appointments<'a>(
    records: impl Iterator<Item = &'a AppointmentRecord>,
) -> Vec<Appointment> {
    records.map(|r| r.appointment.clone()).collect()
}

/// An account in the list of accounts the user may open.
fn account_entry(account: &Account) -> AccountView {
    AccountView {
        account_id: AccountId::new(account.id),
        name: Some(account.name.clone()),
        picture: Some(account.picture.clone()),
        active: Some(true),
        username: Some(String::new()),
        plan: Some(account.plan),
        plan_days_left: Some(account.days_left),
        extra: Map::new(),
    }
}

/// The features every sandbox account has (`curPage.pers`): those of the collection's example
/// of `get_current_user`, so that the sandbox names the same ones; a few when it has none.
fn features() -> Value {
    let example = GetCurrentUserRequest::META
        .examples
        .first()
        .and_then(|e| e.response)
        .and_then(|text| serde_json::from_str::<Value>(text).ok())
        .and_then(|answer| answer.pointer("/curPage/pers").cloned());
    example.unwrap_or_else(
        || json!({"inbox": true, "flows": true, "contacts": true, "ecommerce": {"general": true}}),
    )
}

/// The settings of the account open now.
fn current_account(account: &Account) -> CurrentAccount {
    let live_chats = live_chat_count(account);
    CurrentAccount {
        account_id: AccountId::new(account.id),
        nav: Some(0),
        smtp: Some(false),
        messenger_page_id: Some(chatrace::Id::new(&account.messenger_page_id)),
        voice: Some(Value::Null),
        features: Some(features()),
        name: Some(account.name.clone()),
        picture: Some(account.picture.clone()),
        active: Some(true),
        username: Some(String::new()),
        sm: Some(0),
        beta: Some(false),
        telegram: Some(Value::String(String::new())),
        viber: Some(Value::Null),
        viber_business: Some(Value::Null),
        viber_business_id: Some(chatrace::Id::new(0)),
        instagram: Some(Value::Null),
        whatsapp: Some(Value::Null),
        wit_ai: Some(false),
        bt: Some(0),
        office: Some(2),
        store_integration_type: Some(0),
        currency_symbol: Some(account.currency_symbol.clone()),
        price_decimals: Some(2),
        products_enabled: Some(!account.products.is_empty()),
        news: Some(false),
        events: Some(false),
        plan: Some(account.plan),
        catalog: Some(Value::Null),
        live_chat_count: Some(live_chats),
        plan_days_left: Some(account.days_left),
        google_business_messages: Some(Value::Null),
        sms: Some(Value::Null),
        extra: Map::new(),
    }
}

/// How many of the account's conversations a human answers.
fn live_chat_count(account: &Account) -> i64 {
    account.contacts.values().filter(|c| c.live_chat).count() as i64
}

/// The logged user as `get_current_user` answers it: `open` is the account open now, `pages`
/// the accounts the user may open.
pub(crate) fn current_user(user: &User, open: &Account, pages: &[&Account]) -> CurrentUser {
    let admin_id = AdminId::new(user.admin_id);
    // Permission levels as the vendor's example gives them for an account's owner.
    let level = |n: i64| Some(n);
    CurrentUser {
        account_id: Some(AccountId::new(open.id)),
        profile: Some(AdminProfile {
            first_name: Some(user.first_name.clone()),
            last_name: Some(user.last_name.clone()),
            profile_pic: Some(user.picture.clone()),
            account_id: Some(AccountId::new(open.id)),
            contact_id: Some(ContactId::new(0)),
            admin_id,
            email: Some(user.email.clone()),
            permission_u: level(2),
            permission_q: level(2),
            permission_o: level(2),
            permission_s: level(2),
            permission_t: level(2),
            permission_m: level(2),
            permission_e: level(5),
            permission_eo: level(1),
            permission_mg_all: level(1),
            permission_c: level(2),
            owner_id: Some(AdminId::new(open.owner_id)),
            extra: Map::new(),
        }),
        kind: Some("bot".to_owned()),
        accounts: Some(pages.iter().map(|a| account_entry(a)).collect()),
        current_account: Some(current_account(open)),
        live_chat_count: Some(live_chat_count(open)),
        extra: Map::new(),
    }
}
