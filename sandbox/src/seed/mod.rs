//! The deterministic seed: the same users, accounts and data at every start (fixed ids and
//! texts, no randomness).
//!
//! The demo user may open the demo account and a second one; a third account belongs to
//! another user. The ids of the vendor's collection exist in the demo account, so that its
//! example requests run as written: contacts `2850008055041461`, `100000000001`, `12345`,
//! `12345678`, `1234567`, `23238238`, `223239339`, `222222`, `833274349439`, `238847438434`,
//! `23883723`; admin `1000005`; flows `1234` and `1234567890` and step `1234`; products `1111`,
//! `22222`, `3333`; tag `345`; custom field `123456`; note `88888`; saved reply `569601`;
//! appointment `45595`; orders `1000000` and `569601`.

mod contacts;
mod public;
mod templates;

use chatrace::types::{
    Admin, AdminId, Appointment, AppointmentId, AppointmentStatus, Calendar, CalendarId, Channel,
    CustomField, CustomFieldId, CustomFieldType, DripCampaign, DripCampaignId, Flow, FlowId,
    FlowStep, GbmLocation, GbmLocationId, MessengerList, MessengerListId, Order, OrderId,
    OrderItem, OrderStatus, Product, ProductId, SavedReply, SavedReplyId, StepId, Tag, TagId, Team,
    TeamId,
};
use chatrace::DateTimeText;

use crate::ids;
use crate::state::{
    Account, AppointmentRecord, ContactRecord, FlowRecord, OrderRecord, Session, State, StepRecord,
    User,
};
use crate::time::datetime;
use crate::views;
use crate::Credentials;
use contacts::{contacts, contacts_in, ContactPlan};

/// How many conversations the demo account of a sandbox holds unless
/// [`SandboxBuilder::conversations`](crate::SandboxBuilder::conversations) says more.
pub const DEMO_CONVERSATIONS: usize = 66;

/// The most conversations [`SandboxBuilder::conversations`](crate::SandboxBuilder::conversations)
/// takes: twice the large inbox of the command line's example (`--conversations 100000
/// --messages 3`, about 0.8 GB). A conversation takes about 3 KB of memory, a message about
/// 1.7 KB.
pub const MAX_CONVERSATIONS: usize = 200_000;

/// The most messages
/// [`SandboxBuilder::messages_per_conversation`](crate::SandboxBuilder::messages_per_conversation)
/// gives each added conversation.
pub const MAX_MESSAGES_PER_CONVERSATION: usize = 1_000;

/// The most messages the added conversations hold in all: the conversations times the
/// messages each (times [`DEFAULT_MOST_MESSAGES`] when their count is not given), about 3.5 GB
/// with their conversations, at most.
pub const MAX_ALL_MESSAGES: usize = 2_000_000;

/// The most messages a conversation added without a count of messages holds (it holds 4 to
/// 8): what each counts for towards [`MAX_ALL_MESSAGES`].
pub const DEFAULT_MOST_MESSAGES: usize = 8;

/// The size of the demo account's inbox: more conversations than the seed's own, for tests
/// and benchmarks of paging at scale.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct InboxSize {
    /// How many conversations the demo account holds (`None`, or less than
    /// [`DEMO_CONVERSATIONS`]: the seed's own).
    pub conversations: Option<usize>,
    /// How many messages each conversation added to the seed's holds (`None`: 4 to 8).
    pub messages_each: Option<usize>,
}

impl InboxSize {
    /// Whether the inbox is within [`MAX_CONVERSATIONS`], [`MAX_MESSAGES_PER_CONVERSATION`]
    /// and [`MAX_ALL_MESSAGES`]; if not, an `InvalidInput` error naming the builder's setting,
    /// its value and the limit. Allocates nothing but the error.
    pub(crate) fn check(self) -> std::io::Result<()> {
        let refuse = |message: String| {
            Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                message,
            ))
        };
        let conversations = self.conversations.unwrap_or(0);
        if conversations > MAX_CONVERSATIONS {
            return refuse(format!(
                "conversations({conversations}) asks for more than MAX_CONVERSATIONS \
                 ({MAX_CONVERSATIONS}) conversations"
            ));
        }
        if let Some(each) = self
            .messages_each
            .filter(|each| *each > MAX_MESSAGES_PER_CONVERSATION)
        {
            return refuse(format!(
                "messages_per_conversation({each}) asks for more than \
                 MAX_MESSAGES_PER_CONVERSATION ({MAX_MESSAGES_PER_CONVERSATION}) messages in a \
                 conversation"
            ));
        }
        let each = self.messages_each.unwrap_or(DEFAULT_MOST_MESSAGES);
        // Both are bounded: the product fits.
        let all = conversations * each;
        if all > MAX_ALL_MESSAGES {
            let each = match self.messages_each {
                Some(each) => format!("messages_per_conversation({each})"),
                None => format!("up to {DEFAULT_MOST_MESSAGES} messages"),
            };
            return refuse(format!(
                "conversations({conversations}) of {each} are {all} messages, more than \
                 MAX_ALL_MESSAGES ({MAX_ALL_MESSAGES}) in all"
            ));
        }
        Ok(())
    }
}

/// The demo account.
const DEMO_ACCOUNT: u64 = 1_234_567;
/// The demo user's second account.
const SECOND_ACCOUNT: u64 = 1_234_568;
/// The account the demo user may not open.
const OTHER_ACCOUNT: u64 = 7_654_321;
/// The demo user's admin id (the collection's example `fb_id`).
const DEMO_USER: u64 = 1_000_000_002;
/// The other account's owner.
const OTHER_USER: u64 = 1_000_000_900;
/// Admins of the demo account besides its owner (the first is the collection's list example,
/// the second its assign example).
const PRIYA: u64 = 100_000_001;
const DIEGO: u64 = 1_000_005;
/// The contact with the long conversation (the collection's list_messages example).
const LONG_CONVERSATION: u64 = 100_000_000_001;
/// The request id of the collection's validate_email_otp example, pending for the demo user.
const EXAMPLE_RID: &str = "6ec08e8205fd05970f3923994d4759d2b6ca4d338258b6b5b5dd7a1f7ce86b1f";
/// Where the seed's pictures and files live.
const DOMAIN: &str = "sandbox.chatrace.test";

/// The demo credentials of a fresh sandbox.
pub(crate) fn credentials() -> Credentials {
    Credentials {
        email: "alex.morgan@example.com".to_owned(),
        // The collection's example code, so that its validate_email_otp example runs as written.
        otp: "456788".to_owned(),
        pending_otp_request_id: EXAMPLE_RID.to_owned(),
        token: "sbx-demo-7f3a9c21e4b05d68a1c2".to_owned(),
        api_token: "sbx-api-1234567-9e2f6b".to_owned(),
        admin_id: DEMO_USER,
        account_id: DEMO_ACCOUNT,
        second_account_id: SECOND_ACCOUNT,
        other_account_id: OTHER_ACCOUNT,
        contact_id: LONG_CONVERSATION,
        google_id_token: "sandbox-google-id-token".to_owned(),
        apple_identity_token: "sandbox-apple-identity-token".to_owned(),
        microsoft_id_token: "sandbox-microsoft-id-token".to_owned(),
        facebook_access_token: "sandbox-facebook-access-token".to_owned(),
    }
}

/// The seeded state, its clock at `now` (Unix seconds): every seeded time is set relative to
/// it (the last messages minutes to days before, appointments days around it). The demo
/// account's inbox is of `size`: the conversations added to the seed's own are older than
/// them, so the seed's come first in the inbox and keep their data.
pub(crate) fn state(credentials: &Credentials, now: i64, size: InboxSize) -> State {
    let mut state = State::empty(credentials.clone(), now);
    state.users.insert(
        DEMO_USER,
        User {
            admin_id: DEMO_USER,
            first_name: "Alex".into(),
            last_name: "Morgan".into(),
            email: credentials.email.clone(),
            picture: picture("alex-morgan"),
            accounts: vec![DEMO_ACCOUNT, SECOND_ACCOUNT],
        },
    );
    state.users.insert(
        OTHER_USER,
        User {
            admin_id: OTHER_USER,
            first_name: "Riley".into(),
            last_name: "Chen".into(),
            email: "riley.chen@example.net".into(),
            picture: picture("riley-chen"),
            accounts: vec![OTHER_ACCOUNT],
        },
    );
    state.sessions.insert(
        credentials.token.clone(),
        Session {
            admin_id: DEMO_USER,
            account_id: DEMO_ACCOUNT,
        },
    );
    state
        .otp_requests
        .insert(EXAMPLE_RID.to_owned(), credentials.email.clone());
    let mut demo = demo_account(now, size);
    public::demo(&mut demo, credentials.api_token.clone(), DEMO_USER, now);
    for account in [demo, second_account(now), other_account(now)] {
        state.accounts.insert(account.id, account);
    }
    state
}

fn picture(slug: &str) -> String {
    format!("https://{DOMAIN}/avatars/{slug}.jpg")
}

// ---------------------------------------------------------------------------------------------
// Builders of the account's lists

fn admin(id: u64, first: &str, last: &str) -> Admin {
    {
        let mut built = Admin::new(AdminId::new(id));
        built.name = Some(format!("{first} {last}"));
        built.first_name = Some(first.to_owned());
        built.last_name = Some(last.to_owned());
        built.profile_pic = Some(picture(&format!("{first}-{last}").to_lowercase()));
        built
    }
}

fn team(id: u64, name: &str) -> Team {
    {
        let mut built = Team::new(TeamId::new(id));
        built.name = Some(name.to_owned());
        built
    }
}

fn tag(id: u64, name: &str) -> Tag {
    {
        let mut built = Tag::new(TagId::new(id));
        built.name = Some(name.to_owned());
        built
    }
}

fn drip(id: u64, name: &str) -> DripCampaign {
    {
        let mut built = DripCampaign::new(DripCampaignId::new(id));
        built.name = Some(name.to_owned());
        built
    }
}

fn field(id: u64, name: &str, kind: CustomFieldType) -> CustomField {
    {
        let mut built = CustomField::new(CustomFieldId::new(id));
        built.name = Some(name.to_owned());
        built.field_type = Some(kind);
        built
    }
}

fn messenger_list(id: u64, name: &str) -> MessengerList {
    {
        let mut built = MessengerList::new(MessengerListId::new(id));
        built.name = Some(name.to_owned());
        built
    }
}

fn calendar(id: u64, name: &str) -> Calendar {
    {
        let mut built = Calendar::new(CalendarId::new(id));
        built.name = Some(name.to_owned());
        built.status = Some(1);
        built
    }
}

fn saved_reply(id: u64, shortcode: &str, text: &str) -> SavedReply {
    {
        let mut built = SavedReply::new(SavedReplyId::new(id));
        built.shortcode = Some(shortcode.to_owned());
        built.text = Some(text.to_owned());
        built
    }
}

fn gbm_location(brand: &str, location: &str, place: &str, name: &str) -> GbmLocation {
    {
        let mut built = GbmLocation::new(GbmLocationId::new(format!(
            "brands/{brand}/locations/{location}"
        )));
        built.place_id = Some(place.to_owned());
        built.name = Some(name.to_owned());
        built
    }
}

/// A flow made for `channel` and its steps: (step id, name, what the bot says).
fn flow(id: u64, name: &str, channel: Channel, steps: &[(u64, &str, &str)]) -> FlowRecord {
    FlowRecord {
        flow: {
            let mut built = Flow::new(FlowId::new(id));
            built.name = Some(name.to_owned());
            built.channel = Some(channel.clone());
            built
        },
        steps: steps
            .iter()
            .map(|(step, name, text)| StepRecord {
                step: {
                    let mut built = FlowStep::new(StepId::new(step));
                    built.name = Some((*name).to_owned());
                    built.channel = Some(channel.clone());
                    built
                },
                text: (*text).to_owned(),
            })
            .collect(),
    }
}

/// A product: (id, name, price, stock, sku), a variant of `parent` when given.
fn product(
    (id, name, price, stock, sku): (u64, &str, f64, i64, &str),
    parent: Option<(u64, &str)>,
) -> Product {
    {
        let mut built = Product::new(ProductId::new(id));
        built.name = Some(name.to_owned());
        built.price = Some(price);
        built.kind = Some(0);
        built.image = Some(format!("https://{DOMAIN}/products/{id}.jpg"));
        built.sku = Some(sku.to_owned());
        built.parent_product_id = Some(ProductId::new(
            parent.map_or(String::new(), |p| p.0.to_string()),
        ));
        built.stock = Some(stock);
        built.option0 = Some(parent.map_or("", |p| p.1).to_owned());
        built.option1 = Some(String::new());
        built.option2 = Some(String::new());
        built
    }
}

/// An appointment of `contact` in `calendar`: (id, calendar, contact, start, minutes,
/// cancelled).
fn appointment(
    (id, calendar, contact, starts_at, minutes, cancelled): (
        u64,
        u64,
        &ContactRecord,
        i64,
        i64,
        bool,
    ),
    account: u64,
) -> AppointmentRecord {
    AppointmentRecord {
        appointment: {
            let mut built = Appointment::new(AppointmentId::new(id));
            built.booking_hash = Some(ids::hex(&format!("booking/{account}/{id}"), 1));
            built.contact_id = Some(contact.id.clone());
            built.name = Some(contact.full_name());
            built.calendar_id = Some(CalendarId::new(calendar));
            built.starts_at = Some(DateTimeText::new(datetime(starts_at)));
            built.duration_minutes = Some(minutes);
            // Booked (1) or cancelled (-1): the collection names only -1.
            built.status = Some(if cancelled {
                AppointmentStatus::Cancelled
            } else {
                AppointmentStatus::Unknown(1)
            });
            built
        },
        starts_at,
    }
}

/// An order line of `quantity` times `product`.
pub(crate) fn item(product: &Product, quantity: i64, note: &str, vendor: &str) -> OrderItem {
    {
        let mut built = OrderItem::new(product.id.clone());
        built.price = product.price;
        built.name = product.name.clone();
        built.short_description = Some(format!(
            "{} from {vendor}.",
            product.name.as_deref().unwrap_or("A product")
        ));
        built.image = product.image.clone();
        built.parent_product_id = Some(ProductId::new(0));
        built.quantity = Some(quantity);
        built.variant = product.option0.clone();
        built.customer_note = Some(note.to_owned());
        built.vendor = Some(vendor.to_owned());
        built.addon_of_product_id = Some(ProductId::new(0));
        built
    }
}

/// An order of `contact`: (id, lines, shipping, status, rating, confirmed at).
pub(crate) fn order(
    (id, items, shipping, status, rating, confirmed_at): (
        u64,
        Vec<OrderItem>,
        f64,
        OrderStatus,
        i64,
        i64,
    ),
    contact: &ContactRecord,
    currency: &str,
) -> OrderRecord {
    let subtotal: f64 = items
        .iter()
        .map(|i| i.price.unwrap_or(0.0) * i.quantity.unwrap_or(1) as f64)
        .sum();
    let delivered = matches!(status, OrderStatus::Delivered | OrderStatus::Refunded);
    OrderRecord {
        order: {
            let mut built = Order::new(OrderId::new(id));
            built.contact_id = Some(contact.id.clone());
            built.total = Some(subtotal + shipping);
            built.subtotal = Some(subtotal);
            built.shipping_price = Some(shipping);
            built.other_taxes = Some(0.0);
            built.item_count = Some(items.iter().map(|i| i.quantity.unwrap_or(1)).sum());
            built.rating = Some(rating);
            built.status = Some(status);
            built.confirmed_at = Some(DateTimeText::new(datetime(confirmed_at)));
            // An order not delivered yet has an empty delivery date.
            built.delivered_at = Some(DateTimeText::new(if delivered {
                datetime(confirmed_at + 2 * 86_400)
            } else {
                String::new()
            }));
            built.products = Some(items);
            built.contact = Some(views::order_contact(contact));
            built
        },
        name: contact.full_name(),
        currency: currency.to_owned(),
        confirmed_at,
    }
}

/// An account with its settings and no data yet.
fn account(id: u64, name: &str, owner: u64, plan: i64) -> Account {
    Account {
        id,
        name: name.to_owned(),
        picture: picture(&name.to_lowercase().replace(' ', "-")),
        plan,
        days_left: -1,
        owner_id: owner,
        messenger_page_id: format!("10000000{id}"),
        currency_symbol: "$".to_owned(),
        admins: Vec::new(),
        teams: Vec::new(),
        flows: Vec::new(),
        products: Vec::new(),
        tags: Vec::new(),
        drip_campaigns: Vec::new(),
        custom_fields: Vec::new(),
        messenger_lists: Vec::new(),
        calendars: Vec::new(),
        appointments: Vec::new(),
        orders: Vec::new(),
        gbm_locations: Vec::new(),
        saved_replies: Vec::new(),
        whatsapp_templates: Vec::new(),
        contacts: Default::default(),
        public: Default::default(),
    }
}

/// The contact at `id` of `account` (the seed names only contacts it made).
fn seeded(account: &Account, id: u64) -> &ContactRecord {
    match account.contacts.get(&id.to_string()) {
        Some(contact) => contact,
        None => unreachable!("the seed names contact {id}, which it made"),
    }
}

// ---------------------------------------------------------------------------------------------
// The accounts

fn demo_account(now: i64, size: InboxSize) -> Account {
    let mut account = account(DEMO_ACCOUNT, "Morgan Coffee Roasters", DEMO_USER, 10);
    account.admins = vec![
        admin(DEMO_USER, "Alex", "Morgan"),
        admin(PRIYA, "Priya", "Shah"),
        admin(DIEGO, "Diego", "Alvarez"),
        admin(1_000_006, "Hannah", "Okafor"),
    ];
    account.teams = vec![team(688_206, "Baristas"), team(688_207, "Wholesale")];
    account.flows = vec![
        flow(
            1234,
            "Welcome",
            Channel::All,
            &[
                (
                    1234,
                    "Greeting",
                    "Hi! Welcome to Morgan Coffee Roasters. What can we brew for you today?",
                ),
                (
                    1235,
                    "Menu",
                    "I can help with orders, opening hours and tastings.",
                ),
            ],
        ),
        flow(
            1_234_567_890,
            "Order status",
            Channel::All,
            &[
                (
                    1236,
                    "Ask for the order number",
                    "Sure! What is your order number?",
                ),
                (
                    1237,
                    "Show the status",
                    "Your order is on its way and should arrive within 2 business days.",
                ),
            ],
        ),
        flow(
            688_206,
            "Book a tasting",
            Channel::All,
            &[
                (1238, "Pick a day", "Which day works best for your tasting?"),
                (
                    1239,
                    "Confirm",
                    "You're booked! See you in the Tasting room.",
                ),
            ],
        ),
        flow(
            688_207,
            "WhatsApp reorder",
            Channel::Whatsapp,
            &[(
                1240,
                "Offer a reorder",
                "Want the same beans as last time? Reply YES to reorder.",
            )],
        ),
    ];
    account.products = vec![
        product(
            (4_939_343, "Conical Burr Grinder", 200.0, 12, "GR-01"),
            None,
        ),
        product(
            (1111, "House Espresso Blend 1 kg", 32.0, 140, "ES-1K"),
            None,
        ),
        product(
            (22_222, "Ethiopia Yirgacheffe 250 g", 14.5, 64, "ET-250"),
            None,
        ),
        product((3333, "Ceramic Dripper", 22.0, 35, "DR-02"), None),
        product((688_206, "Gooseneck Kettle", 54.0, 20, "KT-01"), None),
        product(
            (688_207, "Monthly Coffee Subscription", 28.0, 999, "SUB-M"),
            None,
        ),
        product(
            (688_208, "Ethiopia Yirgacheffe 1 kg", 52.0, 10, "ET-1K"),
            Some((22_222, "1 kg")),
        ),
    ];
    account.tags = vec![
        tag(345, "VIP"),
        tag(346, "Wholesale lead"),
        tag(347, "Newsletter"),
        tag(348, "Coffee subscription"),
        tag(349, "Needs follow-up"),
        tag(350, "Returning customer"),
    ];
    account.drip_campaigns = vec![
        drip(688_206, "New subscriber onboarding"),
        drip(688_207, "Abandoned cart"),
        drip(688_208, "Win-back"),
    ];
    account.custom_fields = vec![
        field(473_991, "Favourite roast", CustomFieldType::Text),
        field(740_763, "Loyalty points", CustomFieldType::Number),
        field(123_456, "Company name", CustomFieldType::Text),
        field(688_208, "Birthday", CustomFieldType::Date),
        field(688_209, "Last visit", CustomFieldType::DateTime),
        field(688_210, "Prefers decaf", CustomFieldType::Boolean),
    ];
    account.messenger_lists = vec![
        messenger_list(569_601, "Weekly deals"),
        messenger_list(569_602, "Restock alerts"),
    ];
    account.calendars = vec![
        calendar(32_823, "Tasting room"),
        calendar(32_824, "Barista workshop"),
    ];
    account.gbm_locations = vec![
        gbm_location(
            "7c3dad98-9ec8-470f-844f-5d1e0b2a7c41",
            "90bfe1d1-3933-4ded-b5c8-2f64a1e9d035",
            "ChIJ7cv00DwsDogRAMDACa2m4K8",
            "Morgan Coffee Downtown",
        ),
        gbm_location(
            "7c3dad98-9ec8-470f-844f-5d1e0b2a7c41",
            "1a4e9c77-52b0-4f3e-9d1a-6b8c0e2f4a19",
            "ChIJQ2hS5ZwsDogR4LX0YbGWq9E",
            "Morgan Coffee Riverside",
        ),
    ];
    account.saved_replies = vec![
        saved_reply(
            569_601,
            "/welcome",
            "Hi! Thanks for reaching out to Morgan Coffee. How can we help?",
        ),
        saved_reply(
            569_602,
            "/hours",
            "We're open 7 am to 6 pm on weekdays and 8 am to 4 pm on weekends.",
        ),
        saved_reply(
            569_603,
            "/shipping",
            "Orders ship within 2 business days; shipping is free over $50.",
        ),
    ];
    account.whatsapp_templates = templates::demo_templates();
    let plan = ContactPlan {
        account_id: DEMO_ACCOUNT,
        fixed_ids: &[
            LONG_CONVERSATION,
            2_850_008_055_041_461,
            12_345,
            12_345_678,
            1_234_567,
            23_238_238,
            223_239_339,
            222_222,
            833_274_349_439,
            238_847_438_434,
            23_883_723,
        ],
        count: DEMO_CONVERSATIONS,
        id_base: 300_000_000_000,
        name_offset: 0,
        domain: DOMAIN,
        tags: &[345, 346, 347, 348, 349, 350],
        drips: &[688_206, 688_207, 688_208],
        lists: &[569_601, 569_602],
        fields: [473_991, 740_763, 688_208, 688_210],
        agents: [PRIYA, DEMO_USER],
        team: 688_207,
        long_conversation: 125,
        messages_each: None,
        fixed_notes: &[(0, 61_896), (0, 61_898), (1, 61_897), (2, 88_888)],
        now,
    };
    account.contacts = contacts(&plan);
    let at = |days: i64, hour: i64| now + days * 86_400 + hour * 3_600;
    let appointments = [
        (45_595, 32_823, 833_274_349_439, at(1, 3), 30, false),
        (569_601, 32_823, LONG_CONVERSATION, at(2, 1), 30, false),
        (569_602, 32_824, 2_850_008_055_041_461, at(3, 2), 60, false),
        (569_603, 32_824, 12_345, at(6, 4), 60, true),
        (328_238, 32_823, 23_883_723, at(-2, 1), 30, false),
        (328_239, 32_824, 1_234_567, at(-9, 3), 60, false),
        (328_240, 32_823, LONG_CONVERSATION, at(-20, 2), 30, false),
    ]
    .map(|(id, calendar, contact, starts, minutes, cancelled)| {
        appointment(
            (
                id,
                calendar,
                seeded(&account, contact),
                starts,
                minutes,
                cancelled,
            ),
            DEMO_ACCOUNT,
        )
    });
    account.appointments = appointments.to_vec();
    account.orders = demo_orders(&account, now);
    if let Some(count) = size.conversations.filter(|n| *n > DEMO_CONVERSATIONS) {
        // Added after the orders and appointments, which name the seed's own contacts.
        let added = ContactPlan {
            messages_each: size.messages_each,
            ..plan
        };
        account
            .contacts
            .extend(contacts_in(&added, DEMO_CONVERSATIONS..count));
    }
    account
}

/// The demo account's orders: the collection's two and 22 more, over many contacts.
fn demo_orders(account: &Account, now: i64) -> Vec<OrderRecord> {
    let vendor = "Morgan Coffee Roasters";
    let p = &account.products;
    let mut orders = vec![
        order(
            (
                1_000_000,
                vec![item(&p[0], 1, "Please gift wrap it.", vendor)],
                0.0,
                OrderStatus::Confirmed,
                5,
                now - 3_600,
            ),
            seeded(account, 238_847_438_434),
            "USD",
        ),
        order(
            (
                569_601,
                vec![item(&p[5], 1, "", vendor)],
                0.0,
                OrderStatus::Confirmed,
                3,
                1_706_209_200,
            ),
            seeded(account, 833_274_349_439),
            "USD",
        ),
    ];
    let statuses = [
        OrderStatus::Confirmed,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
        OrderStatus::Refunded,
    ];
    let by_recency: Vec<&ContactRecord> = account.contacts_by_recency();
    for k in 1..=22u64 {
        let contact = by_recency[(k as usize * 5) % by_recency.len()];
        let mut items = vec![item(
            &p[k as usize % p.len()],
            (k % 3 + 1) as i64,
            "",
            vendor,
        )];
        if k % 4 == 0 {
            items.push(item(&p[3], 1, "Add a filter pack if possible.", vendor));
        }
        orders.push(order(
            (
                1_000_000 + k,
                items,
                if k % 2 == 0 { 0.0 } else { 6.5 },
                statuses[k as usize % statuses.len()].clone(),
                (k % 5 + 1) as i64,
                now - 7_200 - k as i64 * 43_200,
            ),
            contact,
            "USD",
        ));
    }
    orders
}

/// A small account: a few contacts and one of each list. `base` makes its ids apart.
fn small_account(
    (id, name, owner, admins): (u64, &str, u64, [(u64, &str, &str); 2]),
    base: u64,
    name_offset: usize,
    products: [(&str, f64); 2],
    now: i64,
) -> Account {
    let mut account = account(id, name, owner, 13);
    account.admins = admins
        .iter()
        .map(|(a, first, last)| admin(*a, first, last))
        .collect();
    account.teams = vec![team(base + 1, "Team")];
    account.flows = vec![flow(
        base + 2,
        "Welcome",
        Channel::All,
        &[(base + 3, "Greeting", "Hello! How can we help?")],
    )];
    account.products = products
        .iter()
        .enumerate()
        .map(|(n, (title, price))| product((base + 10 + n as u64, title, *price, 25, ""), None))
        .collect();
    account.tags = vec![tag(base + 20, "Customer"), tag(base + 21, "Lead")];
    account.drip_campaigns = vec![drip(base + 30, "Onboarding")];
    account.custom_fields = vec![
        field(base + 40, "Notes", CustomFieldType::Text),
        field(base + 41, "Orders placed", CustomFieldType::Number),
        field(base + 42, "Anniversary", CustomFieldType::Date),
        field(base + 43, "Newsletter", CustomFieldType::Boolean),
    ];
    account.messenger_lists = vec![messenger_list(base + 50, "News")];
    account.calendars = vec![calendar(base + 60, "Appointments")];
    account.saved_replies = vec![saved_reply(
        base + 70,
        "/hello",
        &format!("Hello from {name}!"),
    )];
    account.contacts = contacts(&ContactPlan {
        account_id: id,
        fixed_ids: &[],
        count: 6,
        id_base: base * 1_000_000,
        name_offset,
        domain: DOMAIN,
        tags: &[],
        drips: &[],
        lists: &[],
        fields: [base + 40, base + 41, base + 42, base + 43],
        agents: [admins[0].0, admins[1].0],
        team: base + 1,
        long_conversation: 6,
        messages_each: None,
        fixed_notes: &[],
        now,
    });
    let first = account.contacts_by_recency()[0].clone();
    account.appointments = vec![appointment(
        (base + 80, base + 60, &first, now + 86_400, 60, false),
        id,
    )];
    let line = item(&account.products[0], 1, "", name);
    account.orders = vec![order(
        (
            base + 90,
            vec![line],
            0.0,
            OrderStatus::Confirmed,
            4,
            now - 5_000,
        ),
        &first,
        "USD",
    )];
    public::small(&mut account, base);
    account
}

fn second_account(now: i64) -> Account {
    small_account(
        (
            SECOND_ACCOUNT,
            "Morgan Coffee Wholesale",
            DEMO_USER,
            [(DEMO_USER, "Alex", "Morgan"), (1_000_007, "Sam", "Ortiz")],
        ),
        880_000,
        5,
        [("Espresso Blend 5 kg", 140.0), ("Decaf Blend 5 kg", 150.0)],
        now,
    )
}

fn other_account(now: i64) -> Account {
    small_account(
        (
            OTHER_ACCOUNT,
            "Northwind Bikes",
            OTHER_USER,
            [
                (OTHER_USER, "Riley", "Chen"),
                (1_000_000_901, "Tom", "Becker"),
            ],
        ),
        990_000,
        11,
        [("Commuter Bike Tune-Up", 89.0), ("City Helmet", 65.0)],
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_is_deterministic_and_holds_the_collections_ids() {
        let creds = credentials();
        let a = state(&creds, crate::time::EPOCH, InboxSize::default());
        let b = state(&creds, crate::time::EPOCH, InboxSize::default());
        assert_eq!(a.fingerprint(), b.fingerprint());
        let demo = &a.accounts[&DEMO_ACCOUNT];
        for id in [
            "2850008055041461",
            "100000000001",
            "12345",
            "12345678",
            "1234567",
            "23238238",
            "223239339",
            "222222",
            "833274349439",
            "238847438434",
            "23883723",
        ] {
            assert!(demo.contacts.contains_key(id), "contact {id}");
        }
        assert!(demo.contacts.len() > 60);
        assert!(demo.contacts[&LONG_CONVERSATION.to_string()].messages.len() > 100);
        assert!(demo.contacts["12345"]
            .notes
            .iter()
            .any(|n| n.id.as_str() == "88888"));
        assert!(demo.contacts["1234567"]
            .tag_ids
            .iter()
            .any(|t| t.as_str() == "345"));
        assert!(demo.orders.iter().any(|o| o.order.id.as_str() == "1000000"));
        assert!(demo
            .appointments
            .iter()
            .any(|a| a.appointment.id.as_str() == "45595"));
        let other = &a.accounts[&OTHER_ACCOUNT];
        assert!(other
            .contacts
            .keys()
            .all(|id| !demo.contacts.contains_key(id)));
    }

    #[test]
    fn ids_are_unique_where_they_must_be() {
        let state = state(&credentials(), crate::time::EPOCH, InboxSize::default());
        let mut messages = std::collections::BTreeSet::new();
        let mut notes = std::collections::BTreeSet::new();
        for account in state.accounts.values() {
            for contact in account.contacts.values() {
                for message in &contact.messages {
                    assert!(messages.insert(message.id.clone()), "{:?}", message.id);
                }
                for note in &contact.notes {
                    assert!(notes.insert((account.id, note.id.clone())), "{:?}", note.id);
                }
            }
            let mut steps = std::collections::BTreeSet::new();
            for flow in &account.flows {
                for step in &flow.steps {
                    assert!(steps.insert(step.step.id.clone()), "{:?}", step.step.id);
                }
            }
        }
    }

    #[test]
    fn the_inbox_is_bounded_and_its_limits_are_accepted() {
        let size = |conversations: Option<usize>, messages_each: Option<usize>| InboxSize {
            conversations,
            messages_each,
        };
        let most_conversations = MAX_ALL_MESSAGES / MAX_MESSAGES_PER_CONVERSATION;
        for accepted in [
            InboxSize::default(),
            size(Some(MAX_CONVERSATIONS), None),
            size(Some(MAX_CONVERSATIONS), Some(0)),
            size(Some(MAX_CONVERSATIONS), Some(10)),
            size(None, Some(MAX_MESSAGES_PER_CONVERSATION)),
            size(
                Some(most_conversations),
                Some(MAX_MESSAGES_PER_CONVERSATION),
            ),
        ] {
            assert!(accepted.check().is_ok(), "{accepted:?}");
        }
        let refused = |size: InboxSize| {
            let error = size.check().err();
            let kind = error.as_ref().map(std::io::Error::kind);
            assert_eq!(kind, Some(std::io::ErrorKind::InvalidInput), "{size:?}");
            error.map(|e| e.to_string()).unwrap_or_default()
        };
        assert_eq!(
            refused(size(Some(usize::MAX), None)),
            format!(
                "conversations({}) asks for more than MAX_CONVERSATIONS (200000) conversations",
                usize::MAX
            )
        );
        assert_eq!(
            refused(size(Some(MAX_CONVERSATIONS + 1), Some(1))),
            "conversations(200001) asks for more than MAX_CONVERSATIONS (200000) conversations"
        );
        assert_eq!(
            refused(size(None, Some(usize::MAX))),
            format!(
                "messages_per_conversation({}) asks for more than \
                 MAX_MESSAGES_PER_CONVERSATION (1000) messages in a conversation",
                usize::MAX
            )
        );
        assert_eq!(
            refused(size(Some(10), Some(MAX_MESSAGES_PER_CONVERSATION + 1))),
            "messages_per_conversation(1001) asks for more than MAX_MESSAGES_PER_CONVERSATION \
             (1000) messages in a conversation"
        );
        assert_eq!(
            refused(size(
                Some(most_conversations + 1),
                Some(MAX_MESSAGES_PER_CONVERSATION)
            )),
            "conversations(2001) of messages_per_conversation(1000) are 2001000 messages, more \
             than MAX_ALL_MESSAGES (2000000) in all"
        );
        // A conversation added without a count of messages holds up to the default's most.
        let added = size(Some(DEMO_CONVERSATIONS + 10), None);
        let state = state(&credentials(), crate::time::EPOCH, added);
        let most = state.accounts[&DEMO_ACCOUNT].contacts_by_recency()[DEMO_CONVERSATIONS..]
            .iter()
            .map(|c| c.messages.len())
            .max();
        assert_eq!(most, Some(DEFAULT_MOST_MESSAGES));
    }

    #[test]
    fn a_larger_inbox_adds_older_conversations_and_keeps_the_seeds() {
        let creds = credentials();
        let seed = state(&creds, crate::time::EPOCH, InboxSize::default());
        let size = InboxSize {
            conversations: Some(500),
            messages_each: Some(3),
        };
        let large = state(&creds, crate::time::EPOCH, size);
        let again = state(&creds, crate::time::EPOCH, size);
        assert_eq!(large.fingerprint(), again.fingerprint(), "deterministic");
        let (small, big) = (
            &seed.accounts[&DEMO_ACCOUNT],
            &large.accounts[&DEMO_ACCOUNT],
        );
        assert_eq!(big.contacts.len(), 500);
        for (id, contact) in &small.contacts {
            let same = big.contacts.get(id).map(|c| serde_json::to_value(c).ok());
            assert_eq!(same, Some(serde_json::to_value(contact).ok()), "{id}");
        }
        let order: Vec<&str> = big
            .contacts_by_recency()
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        let seeds: Vec<&str> = small
            .contacts_by_recency()
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(
            &order[..seeds.len()],
            seeds.as_slice(),
            "the seed's come first"
        );
        let added = big.contacts_by_recency()[DEMO_CONVERSATIONS];
        assert_eq!(added.messages.len(), 3);
        let unique: std::collections::BTreeSet<&str> = order.iter().copied().collect();
        assert_eq!(unique.len(), 500);
        let fewer = InboxSize {
            conversations: Some(3),
            messages_each: None,
        };
        let fewer = state(&creds, crate::time::EPOCH, fewer);
        assert_eq!(
            fewer.fingerprint(),
            seed.fingerprint(),
            "never fewer than the seed's"
        );
    }
}
