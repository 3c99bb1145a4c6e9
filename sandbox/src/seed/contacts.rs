//! The seed's contacts and their conversations: names, channels, flags, tags, field values,
//! notes and messages, all derived from the contact's place in the list (no randomness).

use std::collections::BTreeMap;
use std::ops::Range;

use chatrace::types::{
    AdminId, Attachment, AttachmentKind, AttachmentPayload, Channel, ContactFieldValue, ContactId,
    CustomFieldId, CustomFieldType, DripCampaignId, FileInfo, FilePart, Message, MessageDirection,
    MessageId, MessagePart, MessengerListId, Note, NoteId, QuickReply, TagId, TextPart, TypingPart,
};
use chatrace::{UnixMillis, UnixSeconds};

use crate::ids;
use crate::state::ContactRecord;

/// What the contacts of one account are made of.
#[derive(Clone)]
pub(super) struct ContactPlan {
    pub account_id: u64,
    /// The ids of the first contacts (the collection's ids in the demo account); the others
    /// are derived from `id_base`.
    pub fixed_ids: &'static [u64],
    pub count: usize,
    pub id_base: u64,
    /// Offsets into the name lists, so that two accounts do not share names.
    pub name_offset: usize,
    /// The domain of the contacts' pictures and files.
    pub domain: &'static str,
    pub tags: &'static [u64],
    pub drips: &'static [u64],
    pub lists: &'static [u64],
    /// Text, number, date and boolean fields (in that order) to give values of.
    pub fields: [u64; 4],
    /// The admins who answer; the first also gets assigned conversations.
    pub agents: [u64; 2],
    /// A team conversations are assigned to.
    pub team: u64,
    /// How many messages the first contact's conversation has (for paging).
    pub long_conversation: usize,
    /// How many messages each other conversation has (`None`: 4 to 8).
    pub messages_each: Option<usize>,
    /// The ids of the notes the first contacts carry (the collection's in the demo account).
    pub fixed_notes: &'static [(usize, u64)],
    /// The clock's start (Unix seconds): the conversations' last messages are before it.
    pub now: i64,
}

const FIRST_NAMES: [(&str, i64); 32] = [
    ("Olivia", 2),
    ("Liam", 1),
    ("Emma", 2),
    ("Noah", 1),
    ("Ava", 2),
    ("Lucas", 1),
    ("Sophia", 2),
    ("Mateo", 1),
    ("Isabella", 2),
    ("Ethan", 1),
    ("Mia", 2),
    ("James", 1),
    ("Amelia", 2),
    ("Benjamin", 1),
    ("Harper", 2),
    ("Elijah", 1),
    ("Evelyn", 2),
    ("Henry", 1),
    ("Abigail", 2),
    ("Samuel", 1),
    ("Chloe", 2),
    ("Daniel", 1),
    ("Zoe", 2),
    ("Leo", 1),
    ("Grace", 2),
    ("Jack", 1),
    ("Nora", 2),
    ("Owen", 1),
    ("Aria", 2),
    ("Julian", 1),
    ("Layla", 2),
    ("Gabriel", 1),
];

const LAST_NAMES: [&str; 16] = [
    "Bennett", "Garcia", "Kim", "Novak", "Patel", "Rossi", "Silva", "Walsh", "Dubois", "Yamamoto",
    "Cohen", "Fischer", "Okoye", "Larsen", "Moreau", "Reyes",
];

/// (time zone, locale, language number, state, city, zip).
const PLACES: [(&str, &str, i64, &str, &str, &str); 5] = [
    ("America/Chicago", "en_US", 8, "IL", "Chicago", "60607"),
    ("America/Los_Angeles", "en_US", 8, "CA", "Oakland", "94612"),
    ("America/New_York", "en_US", 8, "NY", "Brooklyn", "11211"),
    ("America/Denver", "en_US", 8, "CO", "Denver", "80205"),
    ("America/New_York", "es_US", 12, "FL", "Miami", "33130"),
];

/// One line of a conversation: from the contact?, the text, quick replies offered with it.
type Line = (bool, &'static str, &'static [&'static str]);

/// The conversation every contact has a part of, looped for long conversations.
const SCRIPT: [Line; 10] = [
    (
        true,
        "Hi! Do you still have the Ethiopia Yirgacheffe in stock?",
        &[],
    ),
    (
        false,
        "Hi there! Yes, we roasted a fresh batch on Monday.",
        &[],
    ),
    (true, "Great. Can I pick it up at the Downtown shop?", &[]),
    (false, "Of course, it will be ready after 2 pm.", &[]),
    (true, "Do you grind it for pour-over?", &[]),
    (
        false,
        "We do. Medium-fine is our usual setting for pour-over.",
        &[],
    ),
    (true, "Perfect, thank you!", &[]),
    (
        false,
        "You're welcome. Anything else we can help with?",
        &["Opening hours", "No, thanks"],
    ),
    (true, "What time do you close on Sundays?", &[]),
    (false, "We're open 8 am to 4 pm on Sundays.", &[]),
];

const NOTES: [&str; 3] = [
    "Prefers oat milk; ask before suggesting dairy drinks.",
    "Asked about wholesale pricing for a cafe opening in the fall.",
    "Regular on Saturdays, usually buys two bags.",
];

fn channel_of(i: usize) -> Channel {
    match i % 10 {
        3 => Channel::Instagram,
        6 => Channel::Whatsapp,
        9 => Channel::WebChat,
        _ => Channel::Messenger,
    }
}

/// The id of the contact at `i`.
fn contact_id(plan: &ContactPlan, i: usize) -> u64 {
    plan.fixed_ids
        .get(i)
        .copied()
        .unwrap_or(plan.id_base + i as u64 * 104_729)
}

/// A text part of a message going `direction`.
fn text(text: &str, channel: &Channel, direction: &MessageDirection) -> MessagePart {
    MessagePart::Text({
        let mut built = TextPart::default();
        built.text = Some(text.to_owned());
        built.channel = Some(channel.clone());
        built.direction = Some(direction.clone());
        built
    })
}

/// The parts of line `k` of a conversation.
fn parts(
    plan: &ContactPlan,
    contact: u64,
    i: usize,
    k: usize,
    line: &Line,
    channel: &Channel,
) -> Vec<MessagePart> {
    let (from_contact, said, replies) = *line;
    let direction = if from_contact {
        MessageDirection::FromContact
    } else {
        MessageDirection::ToContact
    };
    let mut parts = Vec::new();
    // The bot pauses (a typing part) before what it says.
    if !from_contact && k.is_multiple_of(3) {
        parts.push(MessagePart::Typing({
            let mut built = TypingPart::default();
            built.delay = Some(1);
            built.direction = Some(direction.clone());
            built.channel = Some(channel.clone());
            built
        }));
    }
    // Every seventh contact first sends a photo of their brewer.
    if from_contact && k == 0 && i % 7 == 2 {
        let url = format!("https://{}/uploads/{contact}/brewer.jpg", plan.domain);
        parts.push(MessagePart::File({
            let mut built = FilePart::default();
            built.attachment = Some({
                let mut built = Attachment::default();
                built.kind = Some(AttachmentKind::Image);
                built.payload = Some({
                    let mut built = AttachmentPayload::default();
                    built.url = Some(url.clone());
                    built
                });
                built
            });
            built.file = Some({
                let mut built = FileInfo::default();
                built.url = Some(url);
                built.name = Some("brewer.jpg".to_owned());
                built.length = Some(182_044);
                built.kind = Some(AttachmentKind::Image);
                built
            });
            built.direction = Some(direction.clone());
            built.channel = Some(channel.clone());
            built
        }));
    }
    let mut part = text(said, channel, &direction);
    if let MessagePart::Text(t) = &mut part {
        if !replies.is_empty() {
            t.quick_replies = Some(
                replies
                    .iter()
                    .map(|title| {
                        let mut built = QuickReply::default();
                        built.content_type = Some("text".to_owned());
                        built.title = Some((*title).to_owned());
                        built.payload = Some(title.to_uppercase().replace(' ', "_"));
                        built
                    })
                    .collect(),
            );
        }
    }
    parts.push(part);
    parts
}

/// The conversation of the contact at `i`, oldest first; `last_at` is when its last message
/// was sent (Unix seconds).
fn messages(plan: &ContactPlan, i: usize, channel: &Channel, last_at: i64) -> Vec<Message> {
    let contact = contact_id(plan, i);
    let count = match (i, plan.messages_each) {
        (0, _) => plan.long_conversation,
        (_, Some(count)) => count,
        (_, None) => 4 + i % 5,
    };
    (0..count)
        .map(|k| {
            let line = &SCRIPT[(k + i) % SCRIPT.len()];
            let from_contact = line.0;
            let seconds = last_at - (count - 1 - k) as i64 * 97;
            let sent_by = match (from_contact, k % 3) {
                (true, _) | (false, 0) => 0,
                (false, 1) => plan.agents[0],
                (false, _) => plan.agents[1],
            };
            {
                let mut built = Message::new(MessageId::new(ids::message_id(&format!(
                    "seed/{}/{contact}/{k}",
                    plan.account_id
                ))));
                built.channel = Some(channel.clone());
                built.direction = Some(if from_contact {
                    MessageDirection::FromContact
                } else {
                    MessageDirection::ToContact
                });
                built.sent_by = Some(AdminId::new(sent_by));
                built.parts = Some(parts(plan, contact, i, k, line, channel));
                built.sent_at = Some(UnixMillis::new(seconds * 1000 + (k as i64 * 37) % 1000));
                built
            }
        })
        .collect()
}

/// The custom field values of the contact at `i`.
fn field_values(plan: &ContactPlan, i: usize) -> Vec<ContactFieldValue> {
    let value = |field: u64, kind: CustomFieldType, text: String| {
        let mut built = ContactFieldValue::new(CustomFieldId::new(field));
        built.value = Some(text);
        built.field_type = Some(kind);
        built
    };
    let [text_field, number, date, boolean] = plan.fields;
    let mut values = Vec::new();
    if i.is_multiple_of(2) {
        let roast = ["Light", "Medium", "Dark"][i % 3];
        values.push(value(text_field, CustomFieldType::Text, roast.to_owned()));
    }
    values.push(value(number, CustomFieldType::Number, (i * 15).to_string()));
    if i.is_multiple_of(4) {
        let birthday = format!("19{:02}-{:02}-{:02}", 60 + i % 40, 1 + i % 12, 1 + i % 28);
        values.push(value(date, CustomFieldType::Date, birthday));
    }
    if i.is_multiple_of(3) {
        let decaf = if i % 2 == 1 { "1" } else { "0" };
        values.push(value(boolean, CustomFieldType::Boolean, decaf.to_owned()));
    }
    values
}

/// The notes on the conversation of the contact at `i`.
fn notes(plan: &ContactPlan, i: usize, last_at: i64) -> Vec<Note> {
    let mut ids: Vec<u64> = plan
        .fixed_notes
        .iter()
        .filter(|(at, _)| *at == i)
        .map(|(_, id)| *id)
        .collect();
    if ids.is_empty() && i % 4 == 1 {
        ids.push(plan.id_base / 1_000_000 + 700_000 + i as u64);
    }
    ids.iter()
        .enumerate()
        .map(|(n, id)| {
            let mut built = Note::new(NoteId::new(id));
            built.text = Some(NOTES[(i + n) % NOTES.len()].to_owned());
            built.updated_at = Some(UnixSeconds::new(last_at - 86_400 * (n as i64 + 1)));
            built.author_id = Some(AdminId::new(plan.agents[n % 2]));
            built
        })
        .collect()
}

/// The contacts of an account, by id.
pub(super) fn contacts(plan: &ContactPlan) -> BTreeMap<String, ContactRecord> {
    contacts_in(plan, 0..plan.count)
}

/// The contacts at `places` of an account's list (see [`contacts`]), by id.
pub(super) fn contacts_in(
    plan: &ContactPlan,
    places: Range<usize>,
) -> BTreeMap<String, ContactRecord> {
    places
        .map(|i| {
            let record = contact(plan, i);
            (record.id.as_str().to_owned(), record)
        })
        .collect()
}

fn contact(plan: &ContactPlan, i: usize) -> ContactRecord {
    let id = contact_id(plan, i);
    let (first, gender) = FIRST_NAMES[(i + plan.name_offset) % FIRST_NAMES.len()];
    let last = LAST_NAMES[(i * 7 + plan.name_offset) % LAST_NAMES.len()];
    let (timezone, locale, language, state, city, zip) = PLACES[i % PLACES.len()];
    let channel = channel_of(i);
    let last_at = plan.now - 600 - i as i64 * 5_437;
    let messages = messages(plan, i, &channel, last_at);
    let email = if i % 3 == 2 {
        String::new()
    } else {
        format!("{first}.{last}@example.org").to_lowercase()
    };
    let phone = if i.is_multiple_of(2) || channel == Channel::Whatsapp {
        format!("+1312555{:04}", 1000 + i)
    } else {
        String::new()
    };
    // Every third conversation has news the admins have not read.
    let last_read_at = if i.is_multiple_of(3) {
        last_at - 3_600
    } else {
        last_at + 60
    };
    let instagram_username = if channel == Channel::Instagram {
        format!("{first}.{last}").to_lowercase()
    } else {
        String::new()
    };
    let assignee = match i % 6 {
        0 if i.is_multiple_of(12) => Some(plan.agents[0]),
        0 => Some(plan.agents[1]),
        3 => Some(plan.team),
        _ => None,
    };
    ContactRecord {
        id: ContactId::new(id),
        first_name: first.to_owned(),
        last_name: last.to_owned(),
        profile_pic: if channel == Channel::WebChat {
            String::new()
        } else {
            format!("https://{}/avatars/contact-{id}.jpg", plan.domain)
        },
        locale: locale.to_owned(),
        language_id: language,
        gender,
        guest: channel == Channel::WebChat && email.is_empty(),
        email_opted_in: i.is_multiple_of(2),
        email_verified: !email.is_empty() && i.is_multiple_of(4),
        email,
        phone_opted_in: !phone.is_empty() && i % 4 != 2,
        phone_verified: !phone.is_empty() && i.is_multiple_of(2),
        phone,
        timezone_name: timezone.to_owned(),
        code: format!("{:08}", 50_597_721 + i * 7_919),
        created_at: plan.now - (30 + i as i64 * 3) * 86_400,
        channel,
        live_chat: i.is_multiple_of(4) || i == 1,
        followed: i % 5 == 1,
        archived: matches!(i, 20 | 33 | 47),
        blocked: i == 41,
        assignee_id: assignee.map(AdminId::new),
        last_read_at,
        instagram_username,
        country: "840".to_owned(),
        state: state.to_owned(),
        city: city.to_owned(),
        zip: zip.to_owned(),
        hash: ids::conversation_hash(plan.account_id, &id.to_string()),
        tag_ids: (0..plan.tags.len())
            .filter(|j| (i + j).is_multiple_of(4))
            .map(|j| TagId::new(plan.tags[j]))
            .collect(),
        drip_campaign_ids: plan
            .drips
            .get(i % plan.drips.len().max(1))
            .map(|d| vec![DripCampaignId::new(d)])
            .unwrap_or_default(),
        messenger_list_ids: plan
            .lists
            .get(i % plan.lists.len().max(1))
            .map(|l| vec![MessengerListId::new(l)])
            .unwrap_or_default(),
        notes: notes(plan, i, last_at),
        field_values: field_values(plan, i),
        messages,
    }
}
