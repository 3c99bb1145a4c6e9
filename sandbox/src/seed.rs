//! The deterministic seed: the same users, accounts, conversations and orders every time
//! (no randomness, fixed ids and texts).
//!
//! The demo user belongs to the demo account only; the other account belongs to another user.
//! The ids of the vendor's docs exist in the demo account: order `1000000` and its contact
//! `238847438434`, order `569601` (the list example) and its contact `833274349439`, and
//! contact `12345` (the `delete_contact` example).

use std::collections::BTreeMap;

use chatrace::types::{
    Admin, Appointment, AppointmentStatus, Attachment, BrandColors, Calendar, Channel,
    ConversationMode, CustomField, CustomFieldType, DripCampaign, Flow, FlowStep, GbmLocation,
    LoginMethods, Message, MessageDirection, MessageType, MessengerList, Note, Order, OrderItem,
    OrderStatus, Product, SavedReply, Tag, Team, Whitelabel,
};
use serde_json::{json, Map};

use crate::state::{
    date, datetime, Account, ContactRecord, FlowRecord, OrderRecord, Session, State, User, EPOCH,
};
use crate::Credentials;

/// The demo account.
pub(crate) const DEMO_ACCOUNT: u64 = 1_234_567;
/// The account the demo user does not belong to.
pub(crate) const OTHER_ACCOUNT: u64 = 7_654_321;
/// The demo user's id (an admin id).
const DEMO_USER: u64 = 4_012_345_678;
/// The other account's owner.
const OTHER_USER: u64 = 4_098_765_432;
/// The request id of the docs' `validate_email_otp` example, pending for the demo user.
pub(crate) const DOCS_RID: &str =
    "6ec08e8205fd05970f3923994d4759d2b6ca4d338258b6b5b5dd7a1f7ce86b1f";
/// The white-label's domain.
pub(crate) const DOMAIN: &str = "sandbox.chatrace.test";

/// The demo credentials of a fresh sandbox.
pub(crate) fn credentials() -> Credentials {
    Credentials {
        email: "alex.morgan@example.com".to_owned(),
        // The code of the docs' validate_email_otp example, so that it runs as written.
        otp: "456788".to_owned(),
        token: "sbx-demo-7f3a9c21e4b05d68a1c2".to_owned(),
        account_id: DEMO_ACCOUNT,
        other_account_id: OTHER_ACCOUNT,
        google_id_token: "sandbox-google-id-token".to_owned(),
        apple_identity_token: "sandbox-apple-identity-token".to_owned(),
        microsoft_id_token: "sandbox-microsoft-id-token".to_owned(),
        facebook_access_token: "sandbox-facebook-access-token".to_owned(),
    }
}

/// The seeded state.
pub(crate) fn state(credentials: &Credentials) -> State {
    let mut state = State::empty(whitelabel(), credentials.clone(), DEMO_USER);
    state.users.insert(
        DEMO_USER,
        User {
            id: DEMO_USER,
            name: "Alex Morgan".into(),
            email: credentials.email.clone(),
            picture: avatar("alex-morgan"),
            accounts: vec![(DEMO_ACCOUNT, "owner".into())],
        },
    );
    state.users.insert(
        OTHER_USER,
        User {
            id: OTHER_USER,
            name: "Riley Chen".into(),
            email: "riley.chen@example.net".into(),
            picture: avatar("riley-chen"),
            accounts: vec![(OTHER_ACCOUNT, "owner".into())],
        },
    );
    state
        .sessions
        .insert(credentials.token.clone(), Session { user_id: DEMO_USER });
    state
        .otp_requests
        .insert(DOCS_RID.to_owned(), credentials.email.clone());
    state.accounts.insert(DEMO_ACCOUNT, demo_account());
    state.accounts.insert(OTHER_ACCOUNT, other_account());
    state
}

fn whitelabel() -> Whitelabel {
    Whitelabel {
        name: Some("ChatRace Sandbox".into()),
        domain: Some(DOMAIN.into()),
        logo: Some(format!("https://{DOMAIN}/static/logo.png")),
        icon: Some(format!("https://{DOMAIN}/static/icon.png")),
        colors: Some(BrandColors {
            primary: Some("#1F6FEB".into()),
            secondary: Some("#57606A".into()),
            accent: Some("#F78166".into()),
            extra: Map::new(),
        }),
        login_methods: Some(LoginMethods {
            email: Some(true),
            google: Some(true),
            apple: Some(true),
            microsoft: Some(true),
            facebook: Some(true),
            extra: Map::new(),
        }),
        support_email: Some(format!("support@{DOMAIN}")),
        privacy_policy_url: Some(format!("https://{DOMAIN}/privacy")),
        terms_url: Some(format!("https://{DOMAIN}/terms")),
        extra: Map::new(),
    }
}

fn avatar(slug: &str) -> String {
    format!("https://{DOMAIN}/avatars/{slug}.jpg")
}

fn admin(id: u64, name: &str, role: &str, online: bool) -> Admin {
    let slug = name.to_lowercase().replace(' ', "-");
    Admin {
        id,
        name: Some(name.to_owned()),
        email: Some(format!("{}@morgancoffee.example", slug.replace('-', "."))),
        picture: Some(avatar(&slug)),
        role: Some(role.to_owned()),
        online: Some(online),
        extra: Map::new(),
    }
}

fn team(id: u64, name: &str, admin_ids: &[u64]) -> Team {
    Team {
        id,
        name: Some(name.to_owned()),
        admin_ids: Some(admin_ids.to_vec()),
        extra: Map::new(),
    }
}

fn tag(id: u64, name: &str) -> Tag {
    Tag {
        id,
        name: Some(name.to_owned()),
        extra: Map::new(),
    }
}

fn drip(id: u64, name: &str, active: bool) -> DripCampaign {
    DripCampaign {
        id,
        name: Some(name.to_owned()),
        active: Some(active),
        subscriber_count: Some(0),
        extra: Map::new(),
    }
}

fn field(id: u64, name: &str, kind: CustomFieldType, description: &str) -> CustomField {
    CustomField {
        id,
        name: Some(name.to_owned()),
        field_type: Some(kind),
        description: Some(description.to_owned()),
        extra: Map::new(),
    }
}

fn messenger_list(id: u64, name: &str) -> MessengerList {
    MessengerList {
        id,
        name: Some(name.to_owned()),
        subscriber_count: Some(0),
        extra: Map::new(),
    }
}

fn calendar(id: u64, name: &str, minutes: i64) -> Calendar {
    Calendar {
        id,
        name: Some(name.to_owned()),
        timezone: Some("America/Chicago".into()),
        duration_minutes: Some(minutes),
        extra: Map::new(),
    }
}

fn saved_reply(id: u64, name: &str, text: &str) -> SavedReply {
    SavedReply {
        id,
        name: Some(name.to_owned()),
        text: Some(text.to_owned()),
        extra: Map::new(),
    }
}

fn flow(id: u64, name: &str, folder: &str, steps: &[(u64, &str, &str)]) -> FlowRecord {
    FlowRecord {
        flow: Flow {
            id,
            name: Some(name.to_owned()),
            folder: Some(folder.to_owned()),
            step_count: Some(steps.len() as i64),
            extra: Map::new(),
        },
        steps: steps
            .iter()
            .map(|(step, name, kind)| FlowStep {
                id: *step,
                flow_id: Some(id),
                name: Some((*name).to_owned()),
                kind: Some((*kind).to_owned()),
                extra: Map::new(),
            })
            .collect(),
    }
}

fn product(id: u64, name: &str, price: f64, description: &str, stock: i64) -> Product {
    Product {
        id,
        name: Some(name.to_owned()),
        price: Some(price),
        currency: Some("USD".into()),
        image: Some(format!("https://{DOMAIN}/products/{id}.jpg")),
        description: Some(description.to_owned()),
        stock: Some(stock),
        extra: Map::new(),
    }
}

/// A text message (or, with `attachment`, a media message with a caption).
pub(crate) struct NewMessage<'a> {
    pub id: u64,
    pub contact_id: u64,
    pub channel: &'a Channel,
    pub inbound: bool,
    pub admin_id: Option<u64>,
    pub sent_at: i64,
    pub kind: MessageType,
    pub text: String,
    pub attachment: Option<Attachment>,
}

impl NewMessage<'_> {
    pub(crate) fn build(self) -> Message {
        Message {
            id: self.id,
            contact_id: Some(self.contact_id),
            channel: Some(self.channel.clone()),
            direction: Some(if self.inbound {
                MessageDirection::Inbound
            } else {
                MessageDirection::Outbound
            }),
            kind: Some(self.kind),
            text: Some(self.text),
            attachment: self.attachment,
            sent_at: Some(self.sent_at),
            admin_id: self.admin_id,
            extra: Map::new(),
        }
    }
}

const FIRST_NAMES: [(&str, &str); 32] = [
    ("Olivia", "female"),
    ("Liam", "male"),
    ("Emma", "female"),
    ("Noah", "male"),
    ("Ava", "female"),
    ("Lucas", "male"),
    ("Sophia", "female"),
    ("Mateo", "male"),
    ("Isabella", "female"),
    ("Ethan", "male"),
    ("Mia", "female"),
    ("James", "male"),
    ("Amelia", "female"),
    ("Benjamin", "male"),
    ("Harper", "female"),
    ("Elijah", "male"),
    ("Evelyn", "female"),
    ("Henry", "male"),
    ("Abigail", "female"),
    ("Samuel", "male"),
    ("Chloe", "female"),
    ("Daniel", "male"),
    ("Zoe", "female"),
    ("Leo", "male"),
    ("Grace", "female"),
    ("Jack", "male"),
    ("Nora", "female"),
    ("Owen", "male"),
    ("Aria", "female"),
    ("Julian", "male"),
    ("Layla", "female"),
    ("Gabriel", "male"),
];
const LAST_NAMES: [&str; 16] = [
    "Bennett", "Garcia", "Kim", "Novak", "Patel", "Rossi", "Silva", "Walsh", "Dubois", "Yamamoto",
    "Cohen", "Fischer", "Okoye", "Larsen", "Moreau", "Reyes",
];
const PLACES: [(&str, &str); 6] = [
    ("America/Chicago", "en_US"),
    ("America/Chicago", "en_US"),
    ("America/Los_Angeles", "en_US"),
    ("America/New_York", "en_US"),
    ("America/Denver", "en_US"),
    ("America/New_York", "es_US"),
];
/// A conversation script: (from the contact?, text).
const SCRIPT: [(bool, &str); 10] = [
    (
        true,
        "Hi! Do you still have the Ethiopia Yirgacheffe in stock?",
    ),
    (false, "Hi there! Yes, we roasted a fresh batch on Monday."),
    (true, "Great. Can I pick it up at the Downtown shop?"),
    (false, "Of course, it will be ready after 2 pm."),
    (true, "Do you grind it for pour-over?"),
    (
        false,
        "We do. Medium-fine is our usual setting for pour-over.",
    ),
    (true, "Perfect, thank you!"),
    (false, "You're welcome. Anything else we can help with?"),
    (true, "What time do you close on Sundays?"),
    (false, "We're open 8 am to 4 pm on Sundays."),
];

/// The seed of one account's contacts.
struct ContactPlan {
    /// Fixed ids for the first contacts (the docs' ids); the rest are derived.
    fixed_ids: &'static [u64],
    count: usize,
    id_base: u64,
    /// The base of message and note ids.
    message_base: u64,
    /// Offsets into the name lists, so that two accounts do not share names.
    name_offset: usize,
    tags: [u64; 6],
    drips: [u64; 3],
    lists: [u64; 2],
    /// Text, number, date, datetime, boolean, json.
    fields: [u64; 6],
    agent: u64,
    team: u64,
    /// The first contact's conversation has this many messages (for paging).
    long_conversation: usize,
}

fn channel_of(i: usize) -> Channel {
    match i % 10 {
        3 => Channel::Instagram,
        6 => Channel::Whatsapp,
        9 => Channel::WebChat,
        _ => Channel::Messenger,
    }
}

fn contacts(plan: &ContactPlan) -> BTreeMap<u64, ContactRecord> {
    let mut out = BTreeMap::new();
    let mut next_message = plan.message_base;
    for i in 0..plan.count {
        let id = plan
            .fixed_ids
            .get(i)
            .copied()
            .unwrap_or(plan.id_base + i as u64 * 104_729);
        let (first, gender) = FIRST_NAMES[(i + plan.name_offset) % FIRST_NAMES.len()];
        let last = LAST_NAMES[(i * 7 + plan.name_offset) % LAST_NAMES.len()];
        let (timezone, locale) = PLACES[i % PLACES.len()];
        let channel = channel_of(i);
        let last_at = EPOCH - 600 - i as i64 * 5_437;
        let count = if i == 0 {
            plan.long_conversation
        } else {
            4 + i % 5
        };
        let mut messages = Vec::with_capacity(count);
        for k in 0..count {
            let (inbound, text) = SCRIPT[(k + i) % SCRIPT.len()];
            let sent_at = last_at - (count - 1 - k) as i64 * 97;
            // Every 7th contact sent a photo of their brewer in their first message.
            let photo = inbound && k == 0 && i % 7 == 2;
            next_message += 1;
            messages.push(
                NewMessage {
                    id: next_message,
                    contact_id: id,
                    channel: &channel,
                    inbound,
                    admin_id: (!inbound && k % 3 != 0).then_some(plan.agent),
                    sent_at,
                    kind: if photo {
                        MessageType::Image
                    } else {
                        MessageType::Text
                    },
                    text: text.to_owned(),
                    attachment: photo.then(|| Attachment {
                        url: Some(format!("https://{DOMAIN}/uploads/{id}/brewer.jpg")),
                        mime_type: Some("image/jpeg".into()),
                        name: Some("brewer.jpg".into()),
                        size: Some(182_044),
                        extra: Map::new(),
                    }),
                }
                .build(),
            );
        }
        let mut notes = Vec::new();
        if i % 4 == 1 || i == 0 {
            next_message += 1;
            let at = last_at - 86_400;
            notes.push(Note {
                id: next_message,
                contact_id: Some(id),
                text: Some(
                    [
                        "Prefers oat milk; ask before suggesting dairy drinks.",
                        "Asked about wholesale pricing for a cafe opening in the fall.",
                        "Regular on Saturdays, usually buys two bags.",
                    ][i % 3]
                        .to_owned(),
                ),
                admin_id: Some(plan.agent),
                created_at: Some(at),
                updated_at: Some(at),
                extra: Map::new(),
            });
        }
        let mut custom_fields = BTreeMap::new();
        if i % 2 == 0 {
            custom_fields.insert(plan.fields[0], json!(["Light", "Medium", "Dark"][i % 3]));
        }
        custom_fields.insert(plan.fields[1], json!(i as i64 * 15));
        if i % 4 == 0 {
            custom_fields.insert(
                plan.fields[2],
                json!(date(EPOCH - (9_000 + i as i64 * 97) * 86_400)),
            );
        }
        if i % 3 == 0 {
            custom_fields.insert(plan.fields[4], json!(i % 2 == 1));
        }
        if i % 5 == 0 {
            let brewer = ["V60", "AeroPress", "Chemex", "French press"][i % 4];
            custom_fields.insert(
                plan.fields[5],
                json!({ "grinder": "Conical Burr Grinder", "brewer": brewer }),
            );
        }
        let record = ContactRecord {
            id,
            first_name: first.to_owned(),
            last_name: last.to_owned(),
            profile_pic: if channel == Channel::WebChat {
                String::new()
            } else {
                avatar(&format!("contact-{id}"))
            },
            email: if i % 3 == 2 {
                String::new()
            } else {
                format!("{first}.{last}@example.org").to_lowercase()
            },
            phone: if i % 2 == 0 || channel == Channel::Whatsapp {
                format!("+1312555{:04}", 1000 + i)
            } else {
                String::new()
            },
            locale: locale.to_owned(),
            timezone: timezone.to_owned(),
            gender: gender.to_owned(),
            channel,
            subscribed_at: EPOCH - (30 + i as i64 * 3) * 86_400,
            mode: if i % 4 == 0 {
                ConversationMode::Human
            } else {
                ConversationMode::Bot
            },
            assigned_admin_id: (i % 6 == 0).then_some(plan.agent),
            assigned_team_id: (i % 6 == 0 || i % 6 == 3).then_some(plan.team),
            archived: matches!(i, 8 | 26 | 44),
            followed: i % 5 == 1,
            blocked: i == 41,
            unread: if i % 3 == 0 { (i % 4) as i64 + 1 } else { 0 },
            tags: (0..6)
                .filter(|j| (i + j) % 4 == 0)
                .map(|j| plan.tags[j])
                .collect(),
            custom_fields,
            drip_campaigns: vec![plan.drips[i % 3]],
            messenger_lists: if i % 2 == 0 {
                vec![plan.lists[0]]
            } else {
                vec![plan.lists[1]]
            },
            messages,
            notes,
        };
        out.insert(id, record);
    }
    out
}

/// Sets the subscriber counts of drip campaigns and Messenger Lists from the contacts.
fn count_subscribers(account: &mut Account) {
    for drip in &mut account.drip_campaigns {
        let n = account
            .contacts
            .values()
            .filter(|c| c.drip_campaigns.contains(&drip.id))
            .count();
        drip.subscriber_count = Some(n as i64);
    }
    for list in &mut account.messenger_lists {
        let n = account
            .contacts
            .values()
            .filter(|c| c.messenger_lists.contains(&list.id))
            .count();
        list.subscriber_count = Some(n as i64);
    }
}

/// An order line of `product`.
fn item(product: &Product, quantity: i64, note: &str, vendor: &str) -> OrderItem {
    OrderItem {
        id: product.id,
        price: product.price,
        name: product.name.clone(),
        short_description: product.description.clone(),
        image: Some(String::new()),
        parent_product: Some(0),
        quantity: Some(quantity),
        variant: Some(String::new()),
        user_note: Some(note.to_owned()),
        vendor: Some(vendor.to_owned()),
        addon_of: Some(String::new()),
        extra: Map::new(),
    }
}

fn order(
    id: u64,
    contact: &ContactRecord,
    items: Vec<OrderItem>,
    shipping: f64,
    status: OrderStatus,
    rating: i64,
    confirmed_at: i64,
) -> OrderRecord {
    let subtotal: f64 = items
        .iter()
        .map(|i| i.price.unwrap_or(0.0) * i.quantity.unwrap_or(1) as f64)
        .sum();
    let number_items = items.iter().map(|i| i.quantity.unwrap_or(1)).sum();
    let delivered = matches!(status, OrderStatus::Delivered | OrderStatus::Refunded);
    OrderRecord {
        order: Order {
            id,
            contact_id: Some(contact.id),
            total: Some(subtotal + shipping),
            subtotal: Some(subtotal),
            shipping_price: Some(shipping),
            other_taxes: Some(0.0),
            number_items: Some(number_items),
            rating: Some(rating),
            status: Some(status),
            date_confirmed: Some(datetime(confirmed_at)),
            date_delivered: Some(if delivered {
                datetime(confirmed_at + 2 * 86_400)
            } else {
                String::new()
            }),
            products: Some(items),
            contact: Some(contact.short()),
            extra: Map::new(),
        },
        name: contact.full_name(),
        currency: "USD".to_owned(),
        confirmed_at,
    }
}

fn demo_account() -> Account {
    const AGENT: u64 = 4_012_345_679;
    let plan = ContactPlan {
        fixed_ids: &[238_847_438_434, 833_274_349_439, 12_345],
        count: 68,
        id_base: 300_000_000_000,
        message_base: 10_000_000,
        name_offset: 0,
        tags: [7101, 7102, 7103, 7104, 7105, 7106],
        drips: [7201, 7202, 7203],
        lists: [7301, 7302],
        fields: [7401, 7402, 7403, 7404, 7405, 7406],
        agent: AGENT,
        team: 5102,
        long_conversation: 120,
    };
    let contacts = contacts(&plan);
    let vendor = "Morgan Coffee Roasters";
    let products = vec![
        product(
            4_939_343,
            "Conical Burr Grinder",
            20000.0,
            "40 grind settings, espresso to cold brew.",
            12,
        ),
        product(
            4_939_344,
            "House Espresso Blend 1 kg",
            3200.0,
            "Chocolate, hazelnut, a hint of cherry.",
            140,
        ),
        product(
            4_939_345,
            "Ethiopia Yirgacheffe 250 g",
            1450.0,
            "Floral, bergamot, lemon.",
            64,
        ),
        product(
            4_939_346,
            "Colombia Huila 250 g",
            1300.0,
            "Caramel, red apple, round body.",
            58,
        ),
        product(
            4_939_347,
            "Gooseneck Pour-Over Kettle",
            5400.0,
            "1 l, thermometer in the lid.",
            20,
        ),
        product(
            4_939_348,
            "Ceramic Dripper",
            2200.0,
            "Hand-glazed, fits 02 filters.",
            35,
        ),
        product(
            4_939_349,
            "Monthly Coffee Subscription",
            2800.0,
            "Two fresh bags every month.",
            999,
        ),
        product(
            4_939_350,
            "Gift Card",
            1000.0,
            "Good in the shops and online.",
            999,
        ),
    ];
    let by_recency: Vec<&ContactRecord> = {
        let mut v: Vec<&ContactRecord> = contacts.values().collect();
        v.sort_by_key(|c| std::cmp::Reverse(c.last_message_at()));
        v
    };
    let mut orders = BTreeMap::new();
    // The docs' get_order example: one grinder, confirmed, rated 5.
    orders.insert(
        1_000_000,
        order(
            1_000_000,
            by_recency[0],
            vec![item(&products[0], 1, "Please gift wrap it.", vendor)],
            0.0,
            OrderStatus::Confirmed,
            5,
            EPOCH - 3_600,
        ),
    );
    // The docs' list_orders example.
    orders.insert(
        569_601,
        order(
            569_601,
            by_recency[1],
            vec![item(&products[7], 1, "", vendor)],
            0.0,
            OrderStatus::Confirmed,
            3,
            1_706_209_200,
        ),
    );
    let statuses = [
        OrderStatus::Confirmed,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
        OrderStatus::Refunded,
    ];
    for k in 1..=28u64 {
        let contact = by_recency[(k as usize * 5) % by_recency.len()];
        let mut items = vec![item(
            &products[(k as usize) % 7],
            (k % 3 + 1) as i64,
            "",
            vendor,
        )];
        if k % 4 == 0 {
            items.push(item(
                &products[5],
                1,
                "Add a filter pack if possible.",
                vendor,
            ));
        }
        orders.insert(
            1_000_000 + k,
            order(
                1_000_000 + k,
                contact,
                items,
                if k % 2 == 0 { 0.0 } else { 650.0 },
                statuses[k as usize % statuses.len()].clone(),
                (k % 5 + 1) as i64,
                EPOCH - 7_200 - k as i64 * 43_200,
            ),
        );
    }
    let at = |days: i64, hour: i64| EPOCH + days * 86_400 + hour * 3_600;
    let appointments = [
        (
            7711,
            7701,
            0,
            at(1, 3),
            30,
            "First tasting, bringing a friend.",
        ),
        (7712, 7701, 5, at(2, 1), 30, ""),
        (7713, 7702, 9, at(3, 2), 60, "Wants to learn latte art."),
        (7714, 7701, 12, at(6, 4), 30, ""),
        (7715, 7701, 2, at(-2, 1), 30, ""),
        (7716, 7702, 17, at(-5, 2), 60, ""),
        (
            7717,
            7701,
            21,
            at(-9, 3),
            30,
            "Called to say they were sick.",
        ),
        (7718, 7702, 3, at(10, 0), 60, ""),
        (7719, 7701, 30, at(14, 2), 30, ""),
        (7720, 7702, 33, at(-14, 1), 60, ""),
    ]
    .into_iter()
    .map(
        |(id, calendar_id, who, starts, minutes, notes)| Appointment {
            id,
            calendar_id: Some(calendar_id),
            contact_id: Some(by_recency[who].id),
            starts_at: Some(starts),
            ends_at: Some(starts + minutes * 60),
            status: Some(if starts > EPOCH {
                AppointmentStatus::Booked
            } else if id == 7717 {
                AppointmentStatus::NoShow
            } else {
                AppointmentStatus::Completed
            }),
            notes: Some(notes.to_owned()),
            extra: Map::new(),
        },
    )
    .collect();
    let mut account = Account {
        id: DEMO_ACCOUNT,
        name: "Morgan Coffee Roasters".into(),
        picture: avatar("morgan-coffee"),
        currency: "USD".into(),
        admins: vec![
            admin(DEMO_USER, "Alex Morgan", "owner", true),
            admin(AGENT, "Priya Shah", "admin", true),
            admin(4_012_345_680, "Diego Alvarez", "agent", false),
            admin(4_012_345_681, "Hannah Okafor", "agent", false),
        ],
        teams: vec![
            team(5101, "Sales", &[4_012_345_680]),
            team(5102, "Support", &[AGENT, 4_012_345_681]),
            team(5103, "Wholesale", &[DEMO_USER, 4_012_345_680]),
        ],
        flows: vec![
            flow(
                7501,
                "Welcome",
                "Onboarding",
                &[
                    (7511, "Greeting", "message"),
                    (7512, "Ask for name", "message"),
                    (7513, "Save name", "action"),
                    (7514, "Menu", "message"),
                ],
            ),
            flow(
                7502,
                "Order status",
                "Shop",
                &[
                    (7521, "Ask for order number", "message"),
                    (7522, "Has an order?", "condition"),
                    (7523, "Show status", "message"),
                ],
            ),
            flow(
                7503,
                "Book a tasting",
                "Booking",
                &[
                    (7531, "Pick a day", "message"),
                    (7532, "Pick a time", "message"),
                    (7533, "Wait for confirmation", "delay"),
                    (7534, "Confirm", "message"),
                ],
            ),
            flow(
                7504,
                "Win-back offer",
                "Marketing",
                &[
                    (7541, "Offer 10% off", "message"),
                    (7542, "Tag as win-back", "action"),
                ],
            ),
        ],
        products,
        tags: vec![
            tag(7101, "VIP"),
            tag(7102, "Wholesale lead"),
            tag(7103, "Newsletter"),
            tag(7104, "Coffee subscription"),
            tag(7105, "Needs follow-up"),
            tag(7106, "Returning customer"),
        ],
        drip_campaigns: vec![
            drip(7201, "New subscriber onboarding", true),
            drip(7202, "Abandoned cart", true),
            drip(7203, "Win-back", false),
        ],
        custom_fields: vec![
            field(
                7401,
                "Favourite roast",
                CustomFieldType::Text,
                "Light, medium or dark.",
            ),
            field(
                7402,
                "Loyalty points",
                CustomFieldType::Number,
                "Points earned; 100 buy a bag.",
            ),
            field(
                7403,
                "Birthday",
                CustomFieldType::Date,
                "For the birthday coupon.",
            ),
            field(
                7404,
                "Last visit",
                CustomFieldType::Datetime,
                "When the contact last came to a shop.",
            ),
            field(
                7405,
                "Prefers decaf",
                CustomFieldType::Boolean,
                "Offer decaf first.",
            ),
            field(
                7406,
                "Brew setup",
                CustomFieldType::Json,
                "The contact's grinder and brewer.",
            ),
        ],
        messenger_lists: vec![
            messenger_list(7301, "Weekly deals"),
            messenger_list(7302, "Restock alerts"),
        ],
        calendars: vec![
            calendar(7701, "Tasting room", 30),
            calendar(7702, "Barista workshop", 60),
        ],
        appointments,
        orders,
        gbm_locations: vec![
            GbmLocation {
                id: "brands/7c3dad98-9ec8-470f-844f-5d1e0b2a7c41/locations/90bfe1d1-3933-4ded-b5c8-2f64a1e9d035".into(),
                place_id: Some("ChIJ7cv00DwsDogRAMDACa2m4K8".into()),
                name: Some("Morgan Coffee Downtown".into()),
                extra: Map::new(),
            },
            GbmLocation {
                id: "brands/7c3dad98-9ec8-470f-844f-5d1e0b2a7c41/locations/1a4e9c77-52b0-4f3e-9d1a-6b8c0e2f4a19".into(),
                place_id: Some("ChIJQ2hS5ZwsDogR4LX0YbGWq9E".into()),
                name: Some("Morgan Coffee Riverside".into()),
                extra: Map::new(),
            },
        ],
        saved_replies: vec![
            saved_reply(
                7801,
                "welcome",
                "Hi! Thanks for reaching out to Morgan Coffee. How can we help?",
            ),
            saved_reply(
                7802,
                "hours",
                "We're open 7 am to 6 pm on weekdays and 8 am to 4 pm on weekends.",
            ),
            saved_reply(
                7803,
                "shipping",
                "Orders ship within 2 business days; shipping is free over $50.",
            ),
        ],
        contacts,
    };
    count_subscribers(&mut account);
    account
}

fn other_account() -> Account {
    let plan = ContactPlan {
        fixed_ids: &[],
        count: 6,
        id_base: 500_000_000_000,
        message_base: 20_000_000,
        name_offset: 11,
        tags: [8101, 8102, 8103, 8104, 8105, 8106],
        drips: [8201, 8202, 8203],
        lists: [8301, 8302],
        fields: [8401, 8402, 8403, 8404, 8405, 8406],
        agent: OTHER_USER,
        team: 5201,
        long_conversation: 6,
    };
    let contacts = contacts(&plan);
    let products = vec![
        product(
            5_100_001,
            "Commuter Bike Tune-Up",
            8900.0,
            "Brakes, gears, chain.",
            999,
        ),
        product(5_100_002, "City Helmet", 6500.0, "MIPS, rear light.", 18),
    ];
    let first: Vec<&ContactRecord> = contacts.values().collect();
    let mut orders = BTreeMap::new();
    for (k, id) in [2_000_001u64, 2_000_002].into_iter().enumerate() {
        let mut record = order(
            id,
            first[k],
            vec![item(&products[k], 1, "", "Northwind Bikes")],
            0.0,
            OrderStatus::Confirmed,
            4,
            EPOCH - 5_000 - k as i64 * 86_400,
        );
        record.currency = "EUR".to_owned();
        orders.insert(id, record);
    }
    let mut account = Account {
        id: OTHER_ACCOUNT,
        name: "Northwind Bikes".into(),
        picture: avatar("northwind-bikes"),
        currency: "EUR".into(),
        admins: vec![
            admin(OTHER_USER, "Riley Chen", "owner", true),
            admin(4_098_765_433, "Tom Becker", "agent", false),
        ],
        teams: vec![team(5201, "Workshop", &[4_098_765_433])],
        flows: vec![flow(
            8501,
            "Service booking",
            "Workshop",
            &[(8511, "Pick a slot", "message")],
        )],
        products,
        tags: vec![
            tag(8101, "Road"),
            tag(8102, "Gravel"),
            tag(8103, "Commuter"),
            tag(8104, "Kids"),
            tag(8105, "E-bike"),
            tag(8106, "Fleet"),
        ],
        drip_campaigns: vec![
            drip(8201, "Spring service", true),
            drip(8202, "Winter storage", true),
            drip(8203, "Loyalty", false),
        ],
        custom_fields: vec![
            field(8401, "Frame size", CustomFieldType::Text, ""),
            field(8402, "Bikes owned", CustomFieldType::Number, ""),
            field(8403, "Purchase date", CustomFieldType::Date, ""),
            field(8404, "Last service", CustomFieldType::Datetime, ""),
            field(8405, "Has e-bike", CustomFieldType::Boolean, ""),
            field(8406, "Bike specs", CustomFieldType::Json, ""),
        ],
        messenger_lists: vec![
            messenger_list(8301, "Group rides"),
            messenger_list(8302, "Sales"),
        ],
        calendars: vec![calendar(8701, "Workshop", 60)],
        appointments: vec![Appointment {
            id: 8711,
            calendar_id: Some(8701),
            contact_id: first.first().map(|c| c.id),
            starts_at: Some(EPOCH + 86_400),
            ends_at: Some(EPOCH + 86_400 + 3_600),
            status: Some(AppointmentStatus::Booked),
            notes: Some(String::new()),
            extra: Map::new(),
        }],
        orders,
        gbm_locations: Vec::new(),
        saved_replies: vec![saved_reply(8801, "hello", "Hello from Northwind Bikes!")],
        contacts,
    };
    count_subscribers(&mut account);
    account
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_is_deterministic_and_holds_the_docs_ids() {
        let creds = credentials();
        let a = state(&creds);
        let b = state(&creds);
        assert_eq!(a.fingerprint(), b.fingerprint());
        let demo = &a.accounts[&DEMO_ACCOUNT];
        let open = demo
            .contacts
            .values()
            .filter(|c| !c.archived && !c.blocked)
            .count();
        assert!(open >= 60, "{open} open conversations");
        for id in [12_345, 238_847_438_434, 833_274_349_439] {
            assert!(demo.contacts.contains_key(&id), "contact {id}");
        }
        let docs_order = &demo.orders[&1_000_000].order;
        assert_eq!(docs_order.contact_id, Some(238_847_438_434));
        assert_eq!(docs_order.total, Some(20000.0));
        assert!(demo.orders.contains_key(&569_601));
        assert!(demo.orders.len() > 20);
        assert!(demo.contacts[&238_847_438_434].messages.len() > 100);
        let other = &a.accounts[&OTHER_ACCOUNT];
        assert!(other
            .contacts
            .keys()
            .all(|id| !demo.contacts.contains_key(id)));
        let mut ids: Vec<u64> = a
            .accounts
            .values()
            .flat_map(|acc| acc.contacts.values())
            .flat_map(|c| c.timeline())
            .map(|m| m.id)
            .collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "message and note ids are unique");
    }
}
