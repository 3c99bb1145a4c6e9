//! The sandbox's data: users and sessions, and per account everything the API reads and
//! writes. Records hold what the server knows; `views` turns them into the SDK's own answer
//! types. Lists keep their order (the order answers show), and maps are ordered, so that the
//! state serializes the same way every time (see [`State::fingerprint`]).

use std::collections::BTreeMap;

use chatrace::types::{
    Admin, AdminId, Appointment, Calendar, Channel, ContactFieldValue, ContactId, CustomField,
    DripCampaign, DripCampaignId, Flow, FlowStep, GbmLocation, Message, MessageDirection,
    MessengerList, MessengerListId, Note, Order, Product, SavedReply, Tag, TagId, Team,
    WhatsAppTemplate,
};
use serde::Serialize;

use crate::checksum::Fnv1a;
use crate::{Credentials, RegisteredDevice, Upload};

mod public;
pub(crate) use public::{CartRecord, OpportunityRecord, PipelineRecord, PublicData};

/// The first id given to things created through the API (notes, saved replies, fields...).
const FIRST_FRESH_ID: u64 = 90_000_000;

/// Everything the sandbox knows.
#[derive(Debug, Serialize)]
pub(crate) struct State {
    /// The logical clock, in Unix seconds.
    pub clock: i64,
    /// Whether the clock keeps up with the wall clock (see [`State::tick`]).
    #[serde(skip)]
    pub follows_wall_clock: bool,
    /// The next id of something created through the API.
    pub next_id: u64,
    /// How many tokens and request ids were made (they are derived from it).
    pub serial: u64,
    /// The users who can log in, by admin id (`fb_id`).
    pub users: BTreeMap<u64, User>,
    /// Live sessions, by token.
    pub sessions: BTreeMap<String, Session>,
    /// Pending email logins, by request id (`rid`): the email each is for.
    pub otp_requests: BTreeMap<String, String>,
    /// Devices registered for push notifications, in order.
    pub devices: Vec<RegisteredDevice>,
    /// The accounts, by id.
    pub accounts: BTreeMap<u64, Account>,
    /// The files `upload_file` received, in order.
    pub uploads: Vec<Upload>,
    /// The demo credentials: the OTP code and the test tokens the logins accept.
    #[serde(skip)]
    pub credentials: Credentials,
}

/// A person who can log in: an admin of the accounts they may open.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct User {
    /// The admin id (`fb_id`), the same in every account.
    pub admin_id: u64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub picture: String,
    /// The accounts the user may open; a new session opens the first.
    pub accounts: Vec<u64>,
}

impl User {
    /// Whether the user may open `account`.
    pub fn may_open(&self, account: u64) -> bool {
        self.accounts.contains(&account)
    }
}

/// A live session.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Session {
    /// Who logged in (their admin id).
    pub admin_id: u64,
    /// The account open now: the last one an account-scoped call named.
    pub account_id: u64,
}

/// A business account and all its data.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Account {
    pub id: u64,
    pub name: String,
    pub picture: String,
    /// The subscription plan, as the vendor numbers it.
    pub plan: i64,
    /// Days left on the plan; negative when it does not run out.
    pub days_left: i64,
    /// The admin who owns the account.
    pub owner_id: u64,
    /// The id of the account's Facebook page.
    pub messenger_page_id: String,
    /// The currency symbol of the shop (`$`).
    pub currency_symbol: String,
    pub admins: Vec<Admin>,
    pub teams: Vec<Team>,
    pub flows: Vec<FlowRecord>,
    pub products: Vec<Product>,
    pub tags: Vec<Tag>,
    pub drip_campaigns: Vec<DripCampaign>,
    pub custom_fields: Vec<CustomField>,
    pub messenger_lists: Vec<MessengerList>,
    pub calendars: Vec<Calendar>,
    pub appointments: Vec<AppointmentRecord>,
    pub orders: Vec<OrderRecord>,
    pub gbm_locations: Vec<GbmLocation>,
    pub saved_replies: Vec<SavedReply>,
    /// The approved WhatsApp templates, one entry per template and language.
    pub whatsapp_templates: Vec<WhatsAppTemplateRecord>,
    /// The contacts, by id (their text).
    pub contacts: BTreeMap<String, ContactRecord>,
    /// What only the public API reads and writes: the API token, pipelines, carts...
    pub public: PublicData,
}

/// A flow and its steps.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FlowRecord {
    pub flow: Flow,
    pub steps: Vec<StepRecord>,
}

/// A step of a flow, with the text the bot sends when it runs it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StepRecord {
    pub step: FlowStep,
    pub text: String,
}

/// An approved WhatsApp template in one language, with the name the inbox shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WhatsAppTemplateRecord {
    pub name: String,
    pub template: WhatsAppTemplate,
}

/// An appointment, with its start as a Unix time (to split coming from past).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AppointmentRecord {
    pub appointment: Appointment,
    pub starts_at: i64,
}

/// An order with what the list of orders shows besides.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OrderRecord {
    pub order: Order,
    /// The name the order is listed under (its contact's).
    pub name: String,
    /// The ISO 4217 currency code.
    pub currency: String,
    /// When the order was confirmed, in Unix seconds.
    pub confirmed_at: i64,
}

/// A contact, the state of its conversation, its messages, notes and field values.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ContactRecord {
    pub id: ContactId,
    pub first_name: String,
    pub last_name: String,
    pub profile_pic: String,
    pub locale: String,
    pub language_id: i64,
    pub gender: i64,
    pub email: String,
    pub email_opted_in: bool,
    pub email_verified: bool,
    pub phone: String,
    pub phone_opted_in: bool,
    pub phone_verified: bool,
    pub timezone_name: String,
    pub code: String,
    /// An anonymous web chat visitor.
    pub guest: bool,
    /// When the contact was added, in Unix seconds.
    pub created_at: i64,
    pub channel: Channel,
    pub live_chat: bool,
    pub followed: bool,
    pub archived: bool,
    pub blocked: bool,
    /// The admin or team the conversation is assigned to; `None`: nobody (`0` on the wire).
    pub assignee_id: Option<AdminId>,
    /// When an admin last read the conversation, in Unix seconds (0: never).
    pub last_read_at: i64,
    pub instagram_username: String,
    pub country: String,
    pub state: String,
    pub city: String,
    pub zip: String,
    /// The key of the conversation on the realtime socket.
    pub hash: String,
    pub tag_ids: Vec<TagId>,
    pub drip_campaign_ids: Vec<DripCampaignId>,
    pub messenger_list_ids: Vec<MessengerListId>,
    pub notes: Vec<Note>,
    /// The contact's custom field values, in the order they were first set.
    pub field_values: Vec<ContactFieldValue>,
    /// The messages, oldest first.
    pub messages: Vec<Message>,
}

impl State {
    /// An empty state whose clock starts at `now` (Unix seconds); the seed fills it.
    pub fn empty(credentials: Credentials, now: i64) -> Self {
        State {
            clock: now,
            follows_wall_clock: false,
            next_id: FIRST_FRESH_ID,
            serial: 0,
            users: BTreeMap::new(),
            sessions: BTreeMap::new(),
            otp_requests: BTreeMap::new(),
            devices: Vec::new(),
            accounts: BTreeMap::new(),
            uploads: Vec::new(),
            credentials,
        }
    }

    /// Moves the clock one second on (or, when it follows the wall clock, to the wall clock's
    /// time if that is later) and answers the new time (Unix seconds).
    pub fn tick(&mut self) -> i64 {
        self.clock += 1;
        if self.follows_wall_clock {
            self.clock = self.clock.max(crate::time::wall_clock());
        }
        self.clock
    }

    /// A new id for something created through the API.
    pub fn fresh_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// A new secret: `prefix` and `rounds` times 16 hex digits, from a serial number.
    pub fn fresh_secret(&mut self, prefix: &str, rounds: usize) -> String {
        self.serial += 1;
        format!(
            "{prefix}{}",
            crate::ids::hex(&format!("secret/{prefix}/{}", self.serial), rounds)
        )
    }

    /// A hash of everything the API can read or write (not the request counters).
    pub fn fingerprint(&self) -> u64 {
        match serde_json::to_vec(self) {
            Ok(bytes) => Fnv1a::hash(&bytes),
            Err(_) => 0,
        }
    }
}

/// When a message was sent, in Unix milliseconds (0 when unreadable).
pub(crate) fn sent_at_ms(message: &Message) -> i64 {
    message
        .sent_at
        .as_ref()
        .and_then(|t| t.as_i64())
        .unwrap_or(0)
}

impl ContactRecord {
    /// The full name.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_owned()
    }

    /// The newest message going `direction`, in Unix milliseconds (0: none).
    pub fn last_ms(&self, direction: &MessageDirection) -> i64 {
        self.messages
            .iter()
            .rev()
            .find(|m| m.direction.as_ref() == Some(direction))
            .map_or(0, sent_at_ms)
    }

    /// When the conversation's last message was sent, in Unix milliseconds (0: never).
    pub fn last_message_ms(&self) -> i64 {
        self.messages.last().map_or(0, sent_at_ms)
    }

    /// Whether the contact wrote after an admin last read the conversation.
    pub fn unread(&self) -> bool {
        self.last_ms(&MessageDirection::FromContact) > self.last_read_at.saturating_mul(1000)
    }
}

impl Account {
    /// The contacts, the conversation with the newest message first (the id breaks ties, so
    /// pages are stable while nothing is written).
    pub fn contacts_by_recency(&self) -> Vec<&ContactRecord> {
        let mut contacts: Vec<&ContactRecord> = self.contacts.values().collect();
        // Each key read once: an inbox of 100,000 conversations is sorted at every page.
        contacts.sort_by_cached_key(|c| {
            let c: &ContactRecord = c;
            (
                std::cmp::Reverse(c.last_message_ms()),
                std::cmp::Reverse(&c.id),
            )
        });
        contacts
    }

    /// Whether `id` is an admin or a team of the account: someone a conversation can be
    /// assigned to.
    pub fn is_assignee(&self, id: &AdminId) -> bool {
        self.admins.iter().any(|a| a.admin_id == *id)
            || self.teams.iter().any(|t| t.id.as_str() == id.as_str())
    }
}
