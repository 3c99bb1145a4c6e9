//! The sandbox's data: users and sessions, and per account everything the API reads and
//! writes. Records are plain data; answers are built from them as the SDK's own types.

use std::collections::BTreeMap;

use chatrace::types::{
    Admin, Appointment, Calendar, Channel, Contact, ContactDetails, Conversation, ConversationMode,
    CustomField, CustomFieldValue, DripCampaign, Flow, FlowStep, GbmLocation, Message,
    MessengerList, Note, Order, OrderSummary, Product, SavedReply, Tag, Team, Whitelabel,
};
use serde::Serialize;
use serde_json::Map;

use crate::checksum::Fnv1a;

/// The sandbox's "now" when it starts: 2024-06-01 12:00:00 UTC. The clock moves one second
/// per write, so that the same calls always give the same answers.
pub(crate) const EPOCH: i64 = 1_717_243_200;

/// The first id given to things created through the API (notes, saved replies, messages...).
const FIRST_FRESH_ID: u64 = 90_000_000;

/// Everything the sandbox knows.
#[derive(Debug, Serialize)]
pub(crate) struct State {
    /// The logical clock, in Unix seconds.
    pub clock: i64,
    /// The next id of something created through the API.
    pub next_id: u64,
    /// How many tokens and request ids were made (they are derived from it).
    pub serial: u64,
    /// The white-label the API answers for.
    pub whitelabel: Whitelabel,
    /// The users who can log in, by admin id.
    pub users: BTreeMap<u64, User>,
    /// Live sessions, by token.
    pub sessions: BTreeMap<String, Session>,
    /// Pending email logins, by request id (`rid`): the email they are for.
    pub otp_requests: BTreeMap<String, String>,
    /// The accounts, by id.
    pub accounts: BTreeMap<u64, Account>,
    /// The files received by `upload_file`, in order.
    pub uploads: Vec<crate::Upload>,
    /// The demo credentials (the OTP code and test tokens the logins accept).
    #[serde(skip)]
    pub credentials: crate::Credentials,
    /// The user the social logins log in.
    pub credentials_user: u64,
}

/// A person who can log in.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct User {
    pub id: u64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub profile_pic: String,
    /// The accounts the user belongs to, the first being the one opened at login.
    pub accounts: Vec<u64>,
}

/// A live session.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Session {
    pub user_id: u64,
}

/// A business account (a "page" on the wire) and all its data.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Account {
    pub id: u64,
    pub name: String,
    pub picture: String,
    pub username: String,
    pub plan: i64,
    pub days_left: i64,
    pub messenger_id: String,
    pub currency: String,
    pub currency_symbol: String,
    pub owner_id: u64,
    pub admins: Vec<Admin>,
    pub teams: Vec<Team>,
    pub flows: Vec<FlowRecord>,
    pub products: Vec<Product>,
    pub tags: Vec<Tag>,
    pub drip_campaigns: Vec<DripCampaign>,
    pub custom_fields: Vec<CustomField>,
    pub messenger_lists: Vec<MessengerList>,
    pub calendars: Vec<Calendar>,
    pub appointments: Vec<Appointment>,
    pub orders: BTreeMap<u64, OrderRecord>,
    pub gbm_locations: Vec<GbmLocation>,
    pub saved_replies: Vec<SavedReply>,
    /// Registered push devices, by FCM token.
    pub devices: BTreeMap<String, Device>,
    pub contacts: BTreeMap<u64, ContactRecord>,
}

/// A flow and its steps.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FlowRecord {
    pub flow: Flow,
    pub steps: Vec<FlowStep>,
}

/// A device registered for push notifications.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Device {
    pub user_id: u64,
    pub platform: String,
    pub brand: Option<String>,
    pub model: Option<String>,
}

/// A contact, its conversation and its messages.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ContactRecord {
    pub id: u64,
    pub first_name: String,
    pub last_name: String,
    pub profile_pic: String,
    pub gender: i64,
    pub locale: String,
    pub timezone_name: String,
    pub email: String,
    pub phone: String,
    pub country: String,
    pub state: String,
    pub city: String,
    pub zip: String,
    pub channel: Channel,
    /// When the contact subscribed, in Unix seconds.
    pub subscribed_at: i64,
    /// When the contact was last seen, in Unix milliseconds.
    pub last_seen_ms: i64,
    pub mode: ConversationMode,
    pub assignee_id: u64,
    pub followed: bool,
    pub archived: bool,
    pub blocked: bool,
    /// When an admin last read the conversation, in Unix seconds (0: unread).
    pub last_read_at: i64,
    /// When the conversation last had activity, in Unix seconds.
    pub last_active: i64,
    pub hash: String,
    pub tags: Vec<u64>,
    pub drip_campaigns: Vec<u64>,
    pub messenger_lists: Vec<u64>,
    pub notes: Vec<Note>,
    pub custom_fields: Vec<CustomFieldValue>,
    /// The messages, oldest first.
    pub messages: Vec<Message>,
}

/// An order with what the list of orders shows besides.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OrderRecord {
    pub order: Order,
    /// The name the order is listed under.
    pub name: String,
    pub currency: String,
    /// When the order was confirmed, in Unix seconds.
    pub confirmed_at: i64,
}

impl State {
    /// Moves the clock one second on and answers the new time (Unix seconds).
    pub fn tick(&mut self) -> i64 {
        self.clock += 1;
        self.clock
    }

    /// A new id for something created through the API.
    pub fn fresh_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// A new secret: `prefix` and 16 hex digits per round, derived from a serial number.
    pub fn fresh_secret(&mut self, prefix: &str, rounds: usize) -> String {
        self.serial += 1;
        let mut out = String::from(prefix);
        for round in 0..rounds {
            let seed = format!("chatrace-sandbox/{prefix}/{}/{round}", self.serial);
            out.push_str(&format!("{:016x}", Fnv1a::hash(seed.as_bytes())));
        }
        out
    }

    /// An empty state (the seed fills it).
    pub fn empty(whitelabel: Whitelabel, credentials: crate::Credentials, user: u64) -> Self {
        State {
            clock: EPOCH,
            next_id: FIRST_FRESH_ID,
            serial: 0,
            whitelabel,
            users: BTreeMap::new(),
            sessions: BTreeMap::new(),
            otp_requests: BTreeMap::new(),
            accounts: BTreeMap::new(),
            uploads: Vec::new(),
            credentials,
            credentials_user: user,
        }
    }

    /// A hash of everything the API can read or write (not the request counters).
    pub fn fingerprint(&self) -> u64 {
        match serde_json::to_vec(self) {
            Ok(bytes) => Fnv1a::hash(&bytes),
            Err(_) => 0,
        }
    }
}

impl ContactRecord {
    /// The full name.
    pub fn full_name(&self) -> String {
        match (self.first_name.is_empty(), self.last_name.is_empty()) {
            (false, false) => format!("{} {}", self.first_name, self.last_name),
            (false, true) => self.first_name.clone(),
            _ => self.last_name.clone(),
        }
    }

    /// The newest message the contact sent, in Unix milliseconds (0: never).
    fn last_inbound_ms(&self) -> i64 {
        self.messages
            .iter()
            .rev()
            .find(|m| m.direction == Some(chatrace::types::MessageDirection::Inbound))
            .and_then(|m| m.sent_at)
            .unwrap_or(0)
    }

    /// The newest message sent to the contact, in Unix milliseconds (0: never).
    fn last_outbound_ms(&self) -> i64 {
        self.messages
            .iter()
            .rev()
            .find(|m| m.direction == Some(chatrace::types::MessageDirection::Outbound))
            .and_then(|m| m.sent_at)
            .unwrap_or(0)
    }

    /// The start of the last message's text.
    fn last_message_text(&self) -> String {
        let Some(last) = self.messages.last() else {
            return String::new();
        };
        let parts: Vec<chatrace::types::MessagePart> = last
            .content
            .as_deref()
            .and_then(|c| serde_json::from_str(c).ok())
            .unwrap_or_default();
        let text = parts
            .iter()
            .find_map(|p| p.text.clone().or_else(|| p.url.clone()))
            .unwrap_or_default();
        text.chars().take(80).collect()
    }

    /// The contact as the inbox lists it.
    pub fn conversation(&self) -> Conversation {
        let last_out = self.last_outbound_ms();
        Conversation {
            contact_id: self.id,
            name: Some(self.full_name()),
            profile_pic: Some(self.profile_pic.clone()),
            phone: Some(self.phone.clone()),
            channel: Some(self.channel.clone()),
            last_message: Some(self.last_message_text()),
            timestamp: Some(self.last_inbound_ms()),
            mode: Some(self.mode.clone()),
            assignee_id: Some(self.assignee_id),
            followed: Some(self.followed),
            archived: Some(self.archived),
            blocked: Some(self.blocked),
            last_read_at: Some(self.last_read_at),
            last_active: Some(self.last_active),
            last_sent_at: Some(last_out),
            last_delivered_at: Some(last_out),
            last_seen_at: Some(self.last_seen_ms),
            extra: Map::new(),
        }
    }

    /// The contact in short form.
    pub fn short(&self) -> Contact {
        Contact {
            id: self.id,
            name: Some(self.full_name()),
            channel: Some(self.channel.clone()),
            extra: Map::new(),
        }
    }

    /// Everything about the contact.
    pub fn details(&self) -> ContactDetails {
        ContactDetails {
            contact_id: self.id,
            first_name: Some(self.first_name.clone()),
            last_name: Some(self.last_name.clone()),
            full_name: Some(self.full_name()),
            profile_pic: Some(self.profile_pic.clone()),
            gender: Some(self.gender),
            locale: Some(self.locale.clone()),
            language: Some(0),
            timezone: Some(-1),
            timezone_name: Some(self.timezone_name.clone()),
            email: Some(self.email.clone()),
            email_optin: Some(!self.email.is_empty()),
            email_verified: Some(!self.email.is_empty() && self.id % 2 == 0),
            phone: Some(self.phone.clone()),
            phone_optin: Some(!self.phone.is_empty()),
            phone_verified: Some(!self.phone.is_empty() && self.id % 3 == 0),
            country: Some(self.country.clone()),
            state: Some(self.state.clone()),
            city: Some(self.city.clone()),
            zip: Some(self.zip.clone()),
            ig_username: Some(String::new()),
            ig_verified: Some(false),
            channel: Some(self.channel.clone()),
            status: Some(1),
            source: Some(0),
            guest: Some(self.channel == Channel::WebChat && self.email.is_empty()),
            subscribed_at: Some(datetime(self.subscribed_at)),
            last_interaction_at: Some(self.last_inbound_ms()),
            last_seen_at: Some(self.last_seen_ms),
            mode: Some(self.mode.clone()),
            assignee_id: Some(self.assignee_id),
            followed: Some(self.followed),
            archived: Some(self.archived),
            blocked: Some(self.blocked),
            last_read_at: Some(self.last_read_at),
            last_active: Some(self.last_active),
            hash: Some(self.hash.clone()),
            tag_ids: Some(self.tags.clone()),
            drip_campaign_ids: Some(self.drip_campaigns.clone()),
            messenger_list_ids: Some(self.messenger_lists.clone()),
            notes: Some(self.notes.clone()),
            custom_fields: Some(self.custom_fields.clone()),
            extra: Map::new(),
        }
    }
}

impl OrderRecord {
    /// The order as the list of orders shows it.
    pub fn summary(&self) -> OrderSummary {
        let o = &self.order;
        OrderSummary {
            id: o.id,
            contact_id: o.contact_id,
            name: Some(self.name.clone()),
            currency: Some(self.currency.clone()),
            total: o.total,
            subtotal: o.subtotal,
            shipping_price: o.shipping_price,
            rating: o.rating,
            status: o.status.clone(),
            dt_confirmed: Some(datetime(self.confirmed_at)),
            t_confirmed: Some(self.confirmed_at),
            extra: Map::new(),
        }
    }
}

/// `YYYY-MM-DD hh:mm:ss` (UTC) of a Unix time in seconds.
pub(crate) fn datetime(unix: i64) -> String {
    let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// `YYYY-MM-DD` (UTC) of a Unix time in seconds.
pub(crate) fn date(unix: i64) -> String {
    let (y, m, d) = civil_from_days(unix.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_format_in_utc() {
        assert_eq!(datetime(0), "1970-01-01 00:00:00");
        assert_eq!(datetime(1_706_209_200), "2024-01-25 19:00:00");
        assert_eq!(datetime(EPOCH), "2024-06-01 12:00:00");
        assert_eq!(date(951_782_400), "2000-02-29");
    }
}
