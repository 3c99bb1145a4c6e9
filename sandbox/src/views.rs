//! How records look on the wire: each view builds the SDK's own answer type from the state, so
//! that what the sandbox sends is what the SDK reads.

use chatrace::operations::GetCurrentUserRequest;
use chatrace::types::{
    Account as AccountView, AccountId, AdminId, AdminProfile, Appointment, Contact, ContactId,
    Conversation, CurrentAccount, CurrentUser, Message, MessageDirection, MessagePart,
    OrderContact, OrderSummary,
};
use chatrace::{DateTimeText, Operation, UnixMillis, UnixSeconds};
use serde_json::{json, Value};

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
            MessagePart::WhatsAppTemplate(_) => Some("template".to_owned()),
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

/// When the contact last wrote: `get_contact`'s `t_last_interaction`, and `list_messages`'s
/// `lastInteraction`.
pub(crate) fn last_interaction(c: &ContactRecord) -> Option<UnixMillis> {
    millis(c.last_ms(&MessageDirection::FromContact))
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
    {
        let mut built = Conversation::new(c.id.clone());
        built.full_name = Some(c.full_name());
        built.channel = Some(c.channel.clone());
        built.last_message = Some(last.map(preview).unwrap_or_default());
        built.profile_pic = Some(c.profile_pic.clone());
        built.phone = Some(c.phone.clone());
        built.last_message_at = millis(c.last_message_ms());
        built.live_chat = Some(c.live_chat);
        built.followed = Some(c.followed);
        built.archived = Some(c.archived);
        built.blocked = Some(c.blocked);
        built.last_read_at = Some(UnixSeconds::new(c.last_read_at));
        built.assignee_id = Some(assignee(c));
        built.last_active_at = Some(UnixSeconds::new(heard / 1000));
        built.last_sent_at = millis(sent);
        // The seed's contacts got and saw everything sent to them.
        built.last_delivered_at = millis(sent);
        built.last_seen_at = millis(sent);
        built
    }
}

/// Everything about a contact, as `get_contact` answers it.
pub(crate) fn contact(c: &ContactRecord) -> Contact {
    let sent = c.last_ms(&MessageDirection::ToContact);
    let heard = c.last_ms(&MessageDirection::FromContact);
    {
        let mut built = Contact::new(c.id.clone());
        built.live_chat = Some(c.live_chat);
        built.first_name = Some(c.first_name.clone());
        built.last_name = Some(c.last_name.clone());
        built.full_name = Some(c.full_name());
        built.profile_pic = Some(c.profile_pic.clone());
        built.locale = Some(c.locale.clone());
        built.language_id = Some(c.language_id);
        built.gender = Some(c.gender);
        built.email = Some(c.email.clone());
        built.email_opted_in = Some(c.email_opted_in);
        built.email_verified = Some(c.email_verified);
        built.phone = Some(c.phone.clone());
        built.phone_opted_in = Some(c.phone_opted_in);
        built.phone_verified = Some(c.phone_verified);
        built.timezone_offset = Some(-1);
        built.timezone_name = Some(c.timezone_name.clone());
        built.code = Some(c.code.clone());
        built.source = Some(0);
        built.last_seen_at = millis(sent);
        built.last_interaction_at = last_interaction(c);
        built.guest = Some(c.guest);
        built.created_at = Some(DateTimeText::new(datetime(c.created_at)));
        built.status = Some(1);
        built.channel = Some(c.channel.clone());
        built.assignee_id = Some(assignee(c));
        built.last_read_at = Some(UnixSeconds::new(c.last_read_at));
        built.last_active_at = Some(UnixSeconds::new(heard / 1000));
        built.followed = Some(c.followed);
        built.archived = Some(c.archived);
        built.blocked = Some(c.blocked);
        built.instagram_username = Some(c.instagram_username.clone());
        built.instagram_verified = Some(false);
        built.conversation_hash = Some(c.hash.clone());
        built.country = Some(c.country.clone());
        built.state = Some(c.state.clone());
        built.city = Some(c.city.clone());
        built.postal_code = Some(c.zip.clone());
        built.tag_ids = Some(c.tag_ids.clone());
        built.drip_campaign_ids = Some(c.drip_campaign_ids.clone());
        built.messenger_list_ids = Some(c.messenger_list_ids.clone());
        built.notes = Some(c.notes.clone());
        built.custom_fields = Some(c.field_values.clone());
        built
    }
}

/// The contact of an order, in short.
pub(crate) fn order_contact(c: &ContactRecord) -> OrderContact {
    {
        let mut built = OrderContact::new(c.id.clone());
        built.name = Some(c.full_name());
        built.channel = Some(c.channel.clone());
        built
    }
}

/// An order as the list of orders shows it.
pub(crate) fn order_summary(record: &OrderRecord) -> OrderSummary {
    let o = &record.order;
    {
        let mut built = OrderSummary::new(o.id.clone());
        built.contact_id = o.contact_id.clone();
        built.name = Some(record.name.clone());
        built.currency = Some(record.currency.clone());
        built.total = o.total;
        built.subtotal = o.subtotal;
        built.shipping_price = o.shipping_price;
        built.rating = o.rating;
        built.status = o.status.clone();
        built.confirmed_at = Some(DateTimeText::new(datetime(record.confirmed_at)));
        built.confirmed_at_unix = Some(UnixSeconds::new(record.confirmed_at));
        built
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
    {
        let mut built = AccountView::new(AccountId::new(account.id));
        built.name = Some(account.name.clone());
        built.picture = Some(account.picture.clone());
        built.active = Some(true);
        built.username = Some(String::new());
        built.plan = Some(account.plan);
        built.plan_days_left = Some(account.days_left);
        built
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
    {
        let mut built = CurrentAccount::new(AccountId::new(account.id));
        built.nav = Some(0);
        built.smtp = Some(false);
        built.messenger_page_id = Some(chatrace::Id::new(&account.messenger_page_id));
        built.voice = Some(Value::Null);
        built.features = Some(features());
        built.name = Some(account.name.clone());
        built.picture = Some(account.picture.clone());
        built.active = Some(true);
        built.username = Some(String::new());
        built.sm = Some(0);
        built.beta = Some(false);
        built.telegram = Some(Value::String(String::new()));
        built.viber = Some(Value::Null);
        built.viber_business = Some(Value::Null);
        built.viber_business_id = Some(chatrace::Id::new(0));
        built.instagram = Some(Value::Null);
        built.whatsapp = Some(Value::Null);
        built.wit_ai = Some(false);
        built.bt = Some(0);
        built.office = Some(2);
        built.store_integration_type = Some(0);
        built.currency_symbol = Some(account.currency_symbol.clone());
        built.price_decimals = Some(2);
        built.products_enabled = Some(!account.products.is_empty());
        built.news = Some(false);
        built.events = Some(false);
        built.plan = Some(account.plan);
        built.catalog = Some(Value::Null);
        built.live_chat_count = Some(live_chats);
        built.plan_days_left = Some(account.days_left);
        built.google_business_messages = Some(Value::Null);
        built.sms = Some(Value::Null);
        built
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
    {
        let mut built = CurrentUser::default();
        built.account_id = Some(AccountId::new(open.id));
        built.profile = Some({
            let mut built = AdminProfile::new(admin_id);
            built.first_name = Some(user.first_name.clone());
            built.last_name = Some(user.last_name.clone());
            built.profile_pic = Some(user.picture.clone());
            built.account_id = Some(AccountId::new(open.id));
            built.contact_id = Some(ContactId::new(0));
            built.email = Some(user.email.clone());
            built.permission_u = level(2);
            built.permission_q = level(2);
            built.permission_o = level(2);
            built.permission_s = level(2);
            built.permission_t = level(2);
            built.permission_m = level(2);
            built.permission_e = level(5);
            built.permission_eo = level(1);
            built.permission_mg_all = level(1);
            built.permission_c = level(2);
            built.owner_id = Some(AdminId::new(open.owner_id));
            built
        });
        built.kind = Some("bot".to_owned());
        built.accounts = Some(pages.iter().map(|a| account_entry(a)).collect());
        built.current_account = Some(current_account(open));
        built.live_chat_count = Some(live_chat_count(open));
        built
    }
}
