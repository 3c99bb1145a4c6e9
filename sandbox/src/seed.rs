//! The deterministic seed: the same users, accounts, conversations and orders every time
//! (no randomness, fixed ids and texts).
//!
//! The demo user belongs to the demo account only; the other account belongs to another user.
//! The ids the vendor's docs use exist in the demo account: order `1000000` (and `569601`,
//! the list example), its contact `238847438434`, contact `833274349439`, and contact `12345`
//! (the `delete_contact` example).

use std::collections::BTreeMap;

use chatrace::types::{
    Admin, Appointment, AppointmentStatus, Calendar, Channel, ConversationMode, CustomField,
    CustomFieldType, CustomFieldValue, DripCampaign, EmailLoginSettings, Flow, FlowStep,
    GbmLocation, Message, MessageDirection, MessagePart, MessengerList, Note, OAuthClient, Order,
    OrderItem, OrderStatus, Product, SavedReply, SmtpSettings, Tag, Team, Whitelabel,
    WhitelabelColors,
};
use serde_json::{json, Map, Value};

use crate::checksum::Fnv1a;
use crate::state::{
    date, datetime, Account, ContactRecord, FlowRecord, OrderRecord, Session, State, User, EPOCH,
};
use crate::Credentials;

/// The demo account.
pub(crate) const DEMO_ACCOUNT: u64 = 1_234_567;
/// The account the demo user does not belong to.
pub(crate) const OTHER_ACCOUNT: u64 = 7_654_321;
/// The demo user's admin id.
const DEMO_USER: u64 = 4_012_345_678;
/// The other account's owner.
const OTHER_USER: u64 = 4_098_765_432;
/// The request id of the docs' `validate_email_otp` example, pending for the demo user.
pub(crate) const DOCS_RID: &str =
    "6ec08e8205fd05970f3923994d4759d2b6ca4d338258b6b5b5dd7a1f7ce86b1f";

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
            first_name: "Alex".into(),
            last_name: "Morgan".into(),
            email: credentials.email.clone(),
            profile_pic: avatar("alex-morgan"),
            accounts: vec![DEMO_ACCOUNT],
        },
    );
    state.users.insert(
        OTHER_USER,
        User {
            id: OTHER_USER,
            first_name: "Riley".into(),
            last_name: "Chen".into(),
            email: "riley.chen@example.net".into(),
            profile_pic: avatar("riley-chen"),
            accounts: vec![OTHER_ACCOUNT],
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
    let client = |id: &str| OAuthClient {
        client: Some(id.to_owned()),
        ios_redirect: None,
        tenant: None,
        extra: Map::new(),
    };
    Whitelabel {
        id: 1,
        name: Some("ChatRace Sandbox".into()),
        icon: Some("https://sandbox.chatrace.test/static/icon.png".into()),
        privacy_policy: Some("https://sandbox.chatrace.test/privacy".into()),
        terms_of_service: Some("https://sandbox.chatrace.test/terms".into()),
        color: Some(WhitelabelColors {
            primary: Some("#1F6FEB".into()),
            accent: Some("#F78166".into()),
            link: Some("#0969DA".into()),
            extra: Map::new(),
        }),
        app_domain: Some("sandbox.chatrace.test".into()),
        ws_url: Some("wss://sandbox.chatrace.test/ws".into()),
        websocket: Some("wss://sandbox.chatrace.test/ws".into()),
        active: Some(true),
        smtp: Some(SmtpSettings {
            active: Some(true),
            extra: Map::new(),
        }),
        email: Some(EmailLoginSettings {
            login: Some(true),
            extra: Map::new(),
        }),
        google: Some(client("sandbox-google-client.apps.googleusercontent.com")),
        apple: Some(client("test.chatrace.sandbox")),
        microsoft: Some(OAuthClient {
            client: Some("00000000-0000-0000-0000-00000000c0de".into()),
            ios_redirect: Some("msauth.test.chatrace.sandbox://auth".into()),
            tenant: Some("common".into()),
            extra: Map::new(),
        }),
        facebook: Some(client("100000000000001")),
        extra: Map::new(),
    }
}

fn avatar(slug: &str) -> String {
    format!("https://sandbox.chatrace.test/avatars/{slug}.jpg")
}

fn admin(id: u64, first: &str, last: &str) -> Admin {
    Admin {
        id,
        name: Some(format!("{first} {last}")),
        first_name: Some(first.to_owned()),
        last_name: Some(last.to_owned()),
        profile_pic: Some(avatar(&format!("{}-{}", first, last).to_lowercase())),
        extra: Map::new(),
    }
}

fn team(id: u64, name: &str) -> Team {
    Team {
        id,
        name: Some(name.to_owned()),
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

fn drip(id: u64, name: &str) -> DripCampaign {
    DripCampaign {
        id,
        name: Some(name.to_owned()),
        extra: Map::new(),
    }
}

fn field(id: u64, name: &str, kind: CustomFieldType) -> CustomField {
    CustomField {
        id,
        name: Some(name.to_owned()),
        kind: Some(kind),
        extra: Map::new(),
    }
}

fn otn(id: u64, name: &str) -> MessengerList {
    MessengerList {
        id,
        name: Some(name.to_owned()),
        extra: Map::new(),
    }
}

fn calendar(id: u64, name: &str) -> Calendar {
    Calendar {
        id,
        name: Some(name.to_owned()),
        status: Some(1),
        extra: Map::new(),
    }
}

fn saved_reply(id: u64, shortcode: &str, text: &str) -> SavedReply {
    SavedReply {
        id,
        shortcode: Some(shortcode.to_owned()),
        text: Some(text.to_owned()),
        extra: Map::new(),
    }
}

fn flow(id: u64, name: &str, channel: Channel, steps: &[(u64, &str)]) -> FlowRecord {
    FlowRecord {
        flow: Flow {
            id,
            name: Some(name.to_owned()),
            channel: Some(channel.clone()),
            extra: Map::new(),
        },
        steps: steps
            .iter()
            .map(|(id, name)| FlowStep {
                id: *id,
                name: Some((*name).to_owned()),
                channel: Some(channel.clone()),
                extra: Map::new(),
            })
            .collect(),
    }
}

fn product(id: u64, name: &str, price: f64, sku: &str, stock: i64) -> Product {
    Product {
        id,
        name: Some(name.to_owned()),
        price: Some(price),
        kind: Some(0),
        image: Some(format!("https://sandbox.chatrace.test/products/{id}.jpg")),
        sku: Some(sku.to_owned()),
        parent_product: Some(String::new()),
        stock: Some(stock),
        option0: Some(String::new()),
        option1: Some(String::new()),
        option2: Some(String::new()),
        extra: Map::new(),
    }
}

/// A message whose content is one text part.
pub(crate) fn text_message(
    id: String,
    channel: &Channel,
    inbound: bool,
    sent_by: u64,
    at_ms: i64,
    text: &str,
) -> Message {
    let direction = if inbound {
        MessageDirection::Inbound
    } else {
        MessageDirection::Outbound
    };
    let part = MessagePart {
        kind: None,
        text: Some(text.to_owned()),
        url: None,
        quick_replies: None,
        delay: None,
        channel: Some(channel.clone()),
        direction: Some(direction.clone()),
        sender_id: (sent_by != 0).then_some(sent_by),
        replying_to: None,
        extra: Map::new(),
    };
    Message {
        id,
        channel: Some(channel.clone()),
        direction: Some(direction),
        sent_by: Some(sent_by),
        content: Some(Value::Array(vec![json!(part)]).to_string()),
        sent_at: Some(at_ms),
        extra: Map::new(),
    }
}

/// A message id as the channel writes it: Messenger's `m_...`, a number elsewhere.
pub(crate) fn message_id(channel: &Channel, seed: &str) -> String {
    let hash = Fnv1a::hash(seed.as_bytes());
    if *channel == Channel::Messenger {
        format!("m_{hash:016x}{:08x}", hash >> 32)
    } else {
        (hash % 9_000_000_000 + 1_000_000_000).to_string()
    }
}

const FIRST_NAMES: [&str; 32] = [
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Lucas", "Sophia", "Mateo", "Isabella", "Ethan",
    "Mia", "James", "Amelia", "Benjamin", "Harper", "Elijah", "Evelyn", "Henry", "Abigail",
    "Samuel", "Chloe", "Daniel", "Zoe", "Leo", "Grace", "Jack", "Nora", "Owen", "Aria", "Julian",
    "Layla", "Gabriel",
];
const LAST_NAMES: [&str; 16] = [
    "Bennett", "Garcia", "Kim", "Novak", "Patel", "Rossi", "Silva", "Walsh", "Dubois", "Yamamoto",
    "Cohen", "Fischer", "Okoye", "Larsen", "Moreau", "Reyes",
];
const CITIES: [(&str, &str, &str, &str, &str); 6] = [
    ("Chicago", "IL", "60601", "America/Chicago", "en_US"),
    ("Austin", "TX", "73301", "America/Chicago", "en_US"),
    ("Portland", "OR", "97201", "America/Los_Angeles", "en_US"),
    ("Brooklyn", "NY", "11201", "America/New_York", "en_US"),
    ("Denver", "CO", "80202", "America/Denver", "en_US"),
    ("Miami", "FL", "33101", "America/New_York", "es_US"),
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
    /// The first name index offset, so that two accounts do not share names.
    name_offset: usize,
    tags: [u64; 6],
    drips: [u64; 3],
    otns: [u64; 2],
    fields: [u64; 5],
    agent: u64,
    team: u64,
    /// Contacts with this many messages instead of a few (for paging).
    long_conversation: usize,
}

fn contacts(plan: &ContactPlan) -> BTreeMap<u64, ContactRecord> {
    let mut out = BTreeMap::new();
    for i in 0..plan.count {
        let id = plan
            .fixed_ids
            .get(i)
            .copied()
            .unwrap_or(plan.id_base + i as u64 * 104_729);
        let first = FIRST_NAMES[(i + plan.name_offset) % FIRST_NAMES.len()];
        let last = LAST_NAMES[(i * 7 + plan.name_offset) % LAST_NAMES.len()];
        let (city, region, zip, tz, locale) = CITIES[i % CITIES.len()];
        let channel = if i % 5 == 4 {
            Channel::WebChat
        } else {
            Channel::Messenger
        };
        let last_active = EPOCH - 600 - i as i64 * 5_437;
        let count = if i == 0 {
            plan.long_conversation
        } else {
            4 + i % 5
        };
        let messages = (0..count)
            .map(|k| {
                let (inbound, text) = SCRIPT[(k + i) % SCRIPT.len()];
                let at_ms = (last_active * 1000) - (count - 1 - k) as i64 * 97_000;
                let sent_by = if inbound || k % 3 == 0 { 0 } else { plan.agent };
                let mid = message_id(&channel, &format!("{id}/{k}"));
                text_message(mid, &channel, inbound, sent_by, at_ms, text)
            })
            .collect();
        let tags = (0..6)
            .filter(|j| (i + j) % 4 == 0)
            .map(|j| plan.tags[j])
            .collect();
        let mut notes = Vec::new();
        if i % 4 == 1 || i == 0 {
            notes.push(Note {
                id: plan.id_base / 1_000_000 + 40_000 + i as u64,
                text: Some(
                    [
                        "Prefers oat milk; ask before suggesting dairy drinks.",
                        "Asked about wholesale pricing for a cafe opening in the fall.",
                        "Regular on Saturdays, usually buys two bags.",
                    ][i % 3]
                        .to_owned(),
                ),
                admin_id: Some(plan.agent),
                updated_at: Some(last_active - 86_400),
                extra: Map::new(),
            });
        }
        let mut custom_fields = vec![CustomFieldValue {
            field_id: plan.fields[1],
            kind: Some(CustomFieldType::Number),
            value: Some(json!(i as i64 * 15)),
            extra: Map::new(),
        }];
        if i % 2 == 0 {
            custom_fields.insert(
                0,
                CustomFieldValue {
                    field_id: plan.fields[0],
                    kind: Some(CustomFieldType::Text),
                    value: Some(json!(["Light", "Medium", "Dark"][i % 3])),
                    extra: Map::new(),
                },
            );
        }
        if i % 4 == 0 {
            custom_fields.push(CustomFieldValue {
                field_id: plan.fields[2],
                kind: Some(CustomFieldType::Date),
                value: Some(json!(date(EPOCH - (9_000 + i as i64 * 97) * 86_400))),
                extra: Map::new(),
            });
        }
        if i % 3 == 0 {
            custom_fields.push(CustomFieldValue {
                field_id: plan.fields[4],
                kind: Some(CustomFieldType::Boolean),
                value: Some(json!(i % 2 == 1)),
                extra: Map::new(),
            });
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
            gender: (i % 2) as i64 + 1,
            locale: locale.to_owned(),
            timezone_name: tz.to_owned(),
            email: if i % 3 == 2 {
                String::new()
            } else {
                format!("{}.{}@example.org", first, last).to_lowercase()
            },
            phone: if i % 2 == 0 {
                format!("+1312555{:04}", 1000 + i)
            } else {
                String::new()
            },
            country: "840".into(),
            state: region.to_owned(),
            city: city.to_owned(),
            zip: zip.to_owned(),
            channel,
            subscribed_at: EPOCH - (30 + i as i64 * 3) * 86_400,
            last_seen_ms: last_active * 1000,
            mode: if i % 4 == 0 {
                ConversationMode::Human
            } else {
                ConversationMode::Bot
            },
            assignee_id: match i % 6 {
                0 => plan.agent,
                3 => plan.team,
                _ => 0,
            },
            followed: i % 5 == 1,
            archived: i % 9 == 8,
            blocked: i == 41,
            last_read_at: if i % 3 == 0 { 0 } else { last_active },
            last_active,
            hash: format!("{:016x}", Fnv1a::hash(format!("contact/{id}").as_bytes())),
            tags,
            drip_campaigns: vec![plan.drips[i % 3]],
            messenger_lists: if i % 2 == 0 {
                vec![plan.otns[0]]
            } else {
                vec![]
            },
            notes,
            custom_fields,
            messages,
        };
        out.insert(id, record);
    }
    out
}

/// An order line of `product`.
fn item(product: &Product, quantity: i64, note: &str) -> OrderItem {
    OrderItem {
        id: product.id,
        price: product.price,
        name: product.name.clone(),
        short_description: Some(format!(
            "{} from Morgan Coffee",
            product.name.as_deref().unwrap_or("Product")
        )),
        image: Some(String::new()),
        parent_product: Some(0),
        quantity: Some(quantity),
        variant: Some(String::new()),
        user_note: Some(note.to_owned()),
        vendor: Some("Morgan Coffee Roasters".into()),
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
    let plan = ContactPlan {
        fixed_ids: &[238_847_438_434, 833_274_349_439, 12_345],
        count: 64,
        id_base: 300_000_000_000,
        name_offset: 0,
        tags: [7101, 7102, 7103, 7104, 7105, 7106],
        drips: [7201, 7202, 7203],
        otns: [7301, 7302],
        fields: [7401, 7402, 7403, 7404, 7405],
        agent: 4_012_345_679,
        team: 5102,
        long_conversation: 45,
    };
    let contacts = contacts(&plan);
    let products = vec![
        product(4_939_343, "Conical Burr Grinder", 20000.0, "GRD-CB-01", 12),
        product(
            4_939_344,
            "House Espresso Blend 1 kg",
            3200.0,
            "ESP-HB-1K",
            140,
        ),
        product(
            4_939_345,
            "Ethiopia Yirgacheffe 250 g",
            1450.0,
            "ETH-YG-250",
            64,
        ),
        product(4_939_346, "Colombia Huila 250 g", 1300.0, "COL-HU-250", 58),
        product(
            4_939_347,
            "Gooseneck Pour-Over Kettle",
            5400.0,
            "KTL-GN-01",
            20,
        ),
        product(4_939_348, "Ceramic Dripper", 2200.0, "DRP-CE-02", 35),
        product(
            4_939_349,
            "Monthly Coffee Subscription",
            2800.0,
            "SUB-MO-01",
            999,
        ),
        product(4_939_350, "Gift Card", 1000.0, "GFT-CARD", 999),
    ];
    let by_index: Vec<&ContactRecord> = {
        let mut v: Vec<&ContactRecord> = contacts.values().collect();
        v.sort_by_key(|c| std::cmp::Reverse(c.last_active));
        v
    };
    let mut orders = BTreeMap::new();
    // The docs' get_order example: one grinder, confirmed, rated 5.
    orders.insert(
        1_000_000,
        order(
            1_000_000,
            by_index[0],
            vec![item(&products[0], 1, "Please gift wrap it.")],
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
            by_index[1],
            vec![item(&products[7], 1, "")],
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
        let contact = by_index[(k as usize * 5) % by_index.len()];
        let first = &products[(k as usize) % 7];
        let mut items = vec![item(first, (k % 3 + 1) as i64, "")];
        if k % 4 == 0 {
            items.push(item(&products[5], 1, "Add a filter pack if possible."));
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
    let upcoming = |days: i64, hour: i64| EPOCH + days * 86_400 + hour * 3_600;
    let appointments = [
        (7711, 7701, 0, upcoming(1, 3), 30),
        (7712, 7701, 5, upcoming(2, 1), 30),
        (7713, 7702, 9, upcoming(3, 2), 60),
        (7714, 7701, 12, upcoming(6, 4), 30),
        (7715, 7701, 2, upcoming(-2, 1), 30),
        (7716, 7702, 17, upcoming(-5, 2), 60),
        (7717, 7701, 21, upcoming(-9, 3), 30),
        (7718, 7702, 3, upcoming(10, 0), 60),
    ]
    .into_iter()
    .map(|(id, calendar_id, who, at, duration)| {
        let contact = by_index[who];
        Appointment {
            id,
            hash: Some(format!(
                "{:016x}",
                Fnv1a::hash(format!("appointment/{id}").as_bytes())
            )),
            contact_id: Some(contact.id),
            name: Some(contact.full_name()),
            calendar_id: Some(calendar_id),
            starts_at: Some(datetime(at)),
            duration: Some(duration),
            status: Some(AppointmentStatus::Unknown(1)),
            extra: Map::new(),
        }
    })
    .collect();
    Account {
        id: DEMO_ACCOUNT,
        name: "Morgan Coffee Roasters".into(),
        picture: avatar("morgan-coffee"),
        username: "morgancoffee".into(),
        plan: 3,
        days_left: 24,
        messenger_id: "104857600123456".into(),
        currency: "USD".into(),
        currency_symbol: "$".into(),
        owner_id: DEMO_USER,
        admins: vec![
            admin(DEMO_USER, "Alex", "Morgan"),
            admin(4_012_345_679, "Priya", "Shah"),
            admin(4_012_345_680, "Diego", "Alvarez"),
            admin(4_012_345_681, "Hannah", "Okafor"),
        ],
        teams: vec![
            team(5101, "Sales"),
            team(5102, "Support"),
            team(5103, "Wholesale"),
        ],
        flows: vec![
            flow(
                7501,
                "Welcome",
                Channel::Any,
                &[(7511, "Greeting"), (7512, "Ask for name"), (7513, "Menu")],
            ),
            flow(
                7502,
                "Order status",
                Channel::Messenger,
                &[(7521, "Ask for order number"), (7522, "Show status")],
            ),
            flow(
                7503,
                "Book a tasting",
                Channel::Any,
                &[(7531, "Pick a day"), (7532, "Pick a time"), (7533, "Confirm")],
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
            drip(7201, "New subscriber onboarding"),
            drip(7202, "Abandoned cart"),
            drip(7203, "Win-back"),
        ],
        custom_fields: vec![
            field(7401, "Favourite roast", CustomFieldType::Text),
            field(7402, "Loyalty points", CustomFieldType::Number),
            field(7403, "Birthday", CustomFieldType::Date),
            field(7404, "Last visit", CustomFieldType::Datetime),
            field(7405, "Prefers decaf", CustomFieldType::Boolean),
        ],
        messenger_lists: vec![otn(7301, "Weekly deals"), otn(7302, "Restock alerts")],
        calendars: vec![calendar(7701, "Tasting room"), calendar(7702, "Barista workshop")],
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
            saved_reply(7801, "/welcome", "Hi! Thanks for reaching out to Morgan Coffee. How can we help?"),
            saved_reply(7802, "/hours", "We're open 7 am to 6 pm on weekdays and 8 am to 4 pm on weekends."),
            saved_reply(7803, "/shipping", "Orders ship within 2 business days; shipping is free over $50."),
        ],
        devices: BTreeMap::new(),
        contacts,
    }
}

fn other_account() -> Account {
    let plan = ContactPlan {
        fixed_ids: &[],
        count: 6,
        id_base: 500_000_000_000,
        name_offset: 11,
        tags: [8101, 8102, 8103, 8104, 8105, 8106],
        drips: [8201, 8202, 8203],
        otns: [8301, 8302],
        fields: [8401, 8402, 8403, 8404, 8405],
        agent: OTHER_USER,
        team: 5201,
        long_conversation: 6,
    };
    let contacts = contacts(&plan);
    let products = vec![
        product(5_100_001, "Commuter Bike Tune-Up", 8900.0, "SRV-TUNE", 999),
        product(5_100_002, "City Helmet", 6500.0, "HLM-CITY", 18),
    ];
    let first: Vec<&ContactRecord> = contacts.values().collect();
    let mut orders = BTreeMap::new();
    for (k, id) in [2_000_001u64, 2_000_002].into_iter().enumerate() {
        let mut record = order(
            id,
            first[k],
            vec![item(&products[k], 1, "")],
            0.0,
            OrderStatus::Confirmed,
            4,
            EPOCH - 5_000 - k as i64 * 86_400,
        );
        record.currency = "EUR".to_owned();
        orders.insert(id, record);
    }
    Account {
        id: OTHER_ACCOUNT,
        name: "Northwind Bikes".into(),
        picture: avatar("northwind-bikes"),
        username: "northwindbikes".into(),
        plan: 2,
        days_left: 11,
        messenger_id: "104857600654321".into(),
        currency: "EUR".into(),
        currency_symbol: "€".into(),
        owner_id: OTHER_USER,
        admins: vec![
            admin(OTHER_USER, "Riley", "Chen"),
            admin(4_098_765_433, "Tom", "Becker"),
        ],
        teams: vec![team(5201, "Workshop")],
        flows: vec![flow(
            8501,
            "Service booking",
            Channel::Any,
            &[(8511, "Pick a slot")],
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
            drip(8201, "Spring service"),
            drip(8202, "Winter storage"),
            drip(8203, "Loyalty"),
        ],
        custom_fields: vec![
            field(8401, "Frame size", CustomFieldType::Text),
            field(8402, "Bikes owned", CustomFieldType::Number),
            field(8403, "Purchase date", CustomFieldType::Date),
            field(8404, "Last service", CustomFieldType::Datetime),
            field(8405, "Has e-bike", CustomFieldType::Boolean),
        ],
        messenger_lists: vec![otn(8301, "Group rides"), otn(8302, "Sales")],
        calendars: vec![calendar(8701, "Workshop")],
        appointments: Vec::new(),
        orders,
        gbm_locations: Vec::new(),
        saved_replies: vec![saved_reply(8801, "/hello", "Hello from Northwind Bikes!")],
        devices: BTreeMap::new(),
        contacts,
    }
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
        assert!(demo.contacts.len() >= 60, "{}", demo.contacts.len());
        for id in [12_345, 238_847_438_434, 833_274_349_439] {
            assert!(demo.contacts.contains_key(&id), "contact {id}");
        }
        let docs_order = &demo.orders[&1_000_000].order;
        assert_eq!(docs_order.contact_id, Some(238_847_438_434));
        assert_eq!(docs_order.total, Some(20000.0));
        assert!(demo.orders.contains_key(&569_601));
        assert!(demo.orders.len() > 20);
        assert!(demo.contacts[&238_847_438_434].messages.len() > 40);
        let other = &a.accounts[&OTHER_ACCOUNT];
        assert!(other
            .contacts
            .keys()
            .all(|id| !demo.contacts.contains_key(id)));
    }
}
