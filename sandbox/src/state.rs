//! The sandbox's data: users and sessions, and per account everything the API reads and
//! writes. Records are plain data; answers are built from them as the SDK's own types.

use std::collections::BTreeMap;

use chatrace::types::{
    Admin, Appointment, Calendar, Channel, Contact, Conversation, ConversationMode, CustomField,
    CustomFieldValue, DripCampaign, Flow, FlowStep, GbmLocation, Message, MessageDirection,
    MessageType, MessengerList, Note, Order, OrderSummary, Product, SavedReply, Tag, Team,
    Whitelabel,
};
use serde::Serialize;
use serde_json::{Map, Value};

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
    /// The users who can log in, by id.
    pub users: BTreeMap<u64, User>,
    /// Live sessions, by token.
    pub sessions: BTreeMap<String, Session>,
    /// Pending email logins, by request id (`rid`): the email they are for.
    pub otp_requests: BTreeMap<String, String>,
    /// Push devices, by FCM token.
    pub devices: BTreeMap<String, Device>,
    /// The accounts, by id.
    pub accounts: BTreeMap<u64, Account>,
    /// The files received by `upload_file`, in order.
    pub uploads: Vec<crate::Upload>,
    /// The demo credentials (the OTP code and test tokens the logins accept).
    #[serde(skip)]
    pub credentials: crate::Credentials,
    /// The user the social logins log in.
    pub demo_user: u64,
}

/// A person who can log in.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct User {
    pub id: u64,
    pub name: String,
    pub email: String,
    pub picture: String,
    /// The accounts the user belongs to, with the user's role in each.
    pub accounts: Vec<(u64, String)>,
}

impl User {
    /// Whether the user belongs to `account`.
    pub fn belongs_to(&self, account: u64) -> bool {
        self.accounts.iter().any(|(id, _)| *id == account)
    }
}

/// A live session.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Session {
    pub user_id: u64,
}

/// A device registered for push notifications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Device {
    pub user_id: u64,
    pub platform: String,
    pub name: Option<String>,
}

/// A business account and all its data.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Account {
    pub id: u64,
    pub name: String,
    pub picture: String,
    pub currency: String,
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
    pub contacts: BTreeMap<u64, ContactRecord>,
}

/// A flow and its steps.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FlowRecord {
    pub flow: Flow,
    pub steps: Vec<FlowStep>,
}

/// A contact, its conversation, its messages and the notes on it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ContactRecord {
    pub id: u64,
    pub first_name: String,
    pub last_name: String,
    pub profile_pic: String,
    pub email: String,
    pub phone: String,
    pub locale: String,
    pub timezone: String,
    pub gender: String,
    pub channel: Channel,
    /// When the contact subscribed, in Unix seconds.
    pub subscribed_at: i64,
    pub mode: ConversationMode,
    pub assigned_admin_id: Option<u64>,
    pub assigned_team_id: Option<u64>,
    pub archived: bool,
    pub followed: bool,
    pub blocked: bool,
    /// How many of the contact's messages no admin has read.
    pub unread: i64,
    pub tags: Vec<u64>,
    /// Custom field values, by field id.
    pub custom_fields: BTreeMap<u64, Value>,
    pub drip_campaigns: Vec<u64>,
    pub messenger_lists: Vec<u64>,
    /// The messages, oldest first.
    pub messages: Vec<Message>,
    /// The internal notes, oldest first.
    pub notes: Vec<Note>,
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
    /// An empty state (the seed fills it).
    pub fn empty(whitelabel: Whitelabel, credentials: crate::Credentials, demo_user: u64) -> Self {
        State {
            clock: EPOCH,
            next_id: FIRST_FRESH_ID,
            serial: 0,
            whitelabel,
            users: BTreeMap::new(),
            sessions: BTreeMap::new(),
            otp_requests: BTreeMap::new(),
            devices: BTreeMap::new(),
            accounts: BTreeMap::new(),
            uploads: Vec::new(),
            credentials,
            demo_user,
        }
    }

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
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_owned()
    }

    /// When the contact last wrote, in Unix seconds.
    pub fn last_interaction_at(&self) -> Option<i64> {
        self.messages
            .iter()
            .rev()
            .find(|m| m.direction == Some(MessageDirection::Inbound))
            .and_then(|m| m.sent_at)
    }

    /// When the conversation's last message was sent (0: never), for sorting.
    pub fn last_message_at(&self) -> i64 {
        self.messages.last().and_then(|m| m.sent_at).unwrap_or(0)
    }

    /// The contact in short form, as an order carries it.
    pub fn short(&self) -> Contact {
        Contact {
            id: self.id,
            name: Some(self.full_name()),
            channel: Some(self.channel.clone()),
            first_name: None,
            last_name: None,
            profile_pic: None,
            email: None,
            phone: None,
            locale: None,
            timezone: None,
            gender: None,
            subscribed_at: None,
            last_interaction_at: None,
            tags: None,
            custom_fields: None,
            mode: None,
            assigned_admin_id: None,
            assigned_team_id: None,
            extra: Map::new(),
        }
    }

    /// The messages and the notes (as `note` messages), oldest first.
    pub fn timeline(&self) -> Vec<Message> {
        let mut all = self.messages.clone();
        all.extend(self.notes.iter().map(|note| Message {
            id: note.id,
            contact_id: Some(self.id),
            channel: Some(self.channel.clone()),
            direction: Some(MessageDirection::Outbound),
            kind: Some(MessageType::Note),
            text: note.text.clone(),
            attachment: None,
            sent_at: note.created_at,
            admin_id: note.admin_id,
            extra: Map::new(),
        }));
        all.sort_by_key(|m| (m.sent_at.unwrap_or(0), m.id));
        all
    }
}

impl Account {
    /// The tags `ids` names, in the account's order.
    fn tags_of(&self, ids: &[u64]) -> Vec<Tag> {
        self.tags
            .iter()
            .filter(|t| ids.contains(&t.id))
            .cloned()
            .collect()
    }

    /// A contact's conversation as the inbox lists it.
    pub fn conversation(&self, c: &ContactRecord) -> Conversation {
        let last = c.messages.last();
        let last_message = last.map(|m| match (&m.text, &m.kind) {
            (Some(text), _) if !text.is_empty() => text.clone(),
            (_, Some(kind)) => format!("[{}]", kind.as_str()),
            _ => String::new(),
        });
        Conversation {
            contact_id: c.id,
            name: Some(c.full_name()),
            profile_pic: Some(c.profile_pic.clone()),
            channel: Some(c.channel.clone()),
            last_message,
            last_message_at: last.and_then(|m| m.sent_at),
            unread_count: Some(c.unread),
            assigned_admin_id: c.assigned_admin_id,
            assigned_team_id: c.assigned_team_id,
            mode: Some(c.mode.clone()),
            archived: Some(c.archived),
            followed: Some(c.followed),
            blocked: Some(c.blocked),
            tags: Some(self.tags_of(&c.tags)),
            extra: Map::new(),
        }
    }

    /// Everything about a contact, as `get_contact` answers it.
    pub fn contact(&self, c: &ContactRecord) -> Contact {
        let custom_fields = c
            .custom_fields
            .iter()
            .map(|(field_id, value)| CustomFieldValue {
                field_id: *field_id,
                name: self
                    .custom_fields
                    .iter()
                    .find(|f| f.id == *field_id)
                    .and_then(|f| f.name.clone()),
                value: Some(value.clone()),
                extra: Map::new(),
            })
            .collect();
        Contact {
            id: c.id,
            name: Some(c.full_name()),
            channel: Some(c.channel.clone()),
            first_name: Some(c.first_name.clone()),
            last_name: Some(c.last_name.clone()),
            profile_pic: Some(c.profile_pic.clone()),
            email: Some(c.email.clone()),
            phone: Some(c.phone.clone()),
            locale: Some(c.locale.clone()),
            timezone: Some(c.timezone.clone()),
            gender: Some(c.gender.clone()),
            subscribed_at: Some(c.subscribed_at),
            last_interaction_at: c.last_interaction_at(),
            tags: Some(self.tags_of(&c.tags)),
            custom_fields: Some(custom_fields),
            mode: Some(c.mode.clone()),
            assigned_admin_id: c.assigned_admin_id,
            assigned_team_id: c.assigned_team_id,
            extra: Map::new(),
        }
    }

    /// The contacts, the conversation with the newest message first (the id breaks ties, so
    /// pages are stable while nothing is written).
    pub fn contacts_by_recency(&self) -> Vec<&ContactRecord> {
        let mut contacts: Vec<&ContactRecord> = self.contacts.values().collect();
        contacts.sort_by(|a, b| {
            b.last_message_at()
                .cmp(&a.last_message_at())
                .then_with(|| b.id.cmp(&a.id))
        });
        contacts
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
