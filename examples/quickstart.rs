//! The ChatRace SDK in one page, against the sandbox (no account, no network):
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! It starts the sandbox in this process and runs the flow of the vendor's own inbox app: the
//! white-label, the email login, the logged user and their accounts, the conversations, the
//! messages of one, the contact, a note, a custom field, assignment, live chat, archive, the
//! shop's orders, the public API (a back office finding a contact by phone number, tagging it
//! and sending it a flow, seen in the inbox), and the realtime socket (a text to the contact,
//! and the contact's answer), printing one line per step. Against the real APIs, build the
//! inbox client with your white-label's API URL (`https://<app domain>/php/user`) and account
//! and log in with your own email, and the public client with `https://api.chatrace.com/` (or
//! `https://<app domain>/api/`) and your account's API token.

use std::collections::HashMap;
use std::time::Duration;

use chatrace::realtime::RealtimeEvent;
use chatrace::types::{
    Channel, ConversationMode, CustomFieldId, CustomFieldType, InboxEvent, MessageDirection,
    MessagePart, OrderStatus,
};
use chatrace::{ApiCode, Client, Error, PublicClient};
use futures::{StreamExt, TryStreamExt};

/// How long the quickstart waits for the contact's answer on the socket.
const ANSWER_WITHIN: Duration = Duration::from_secs(10);

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // On the time of day: the realtime client checks the channel's reply window against it.
    let sandbox = chatrace_sandbox::Sandbox::builder()
        .wall_clock()
        .start()
        .await?;
    let creds = sandbox.credentials().clone();
    println!(
        "ChatRace quickstart, against the sandbox at {}",
        sandbox.base_url()
    );

    // A client: the API URL and the account to work on. No token yet.
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .account_id(creds.account_id)
        .build()?;

    // 1. The white-label: what the app shows before login, and where its realtime socket is.
    let brand = client.get_whitelabel().send().await?;
    step(format!(
        "white-label {:?}; email login {}; socket {}",
        brand.name.as_deref().unwrap_or("?"),
        if brand.email.and_then(|e| e.enabled) == Some(true) {
            "on"
        } else {
            "off"
        },
        brand.websocket_url.as_deref().unwrap_or("?")
    ));

    // 2. Log in: the email gets a one-time code (`sendOTP` answers a request id); the code gets
    //    a session token (`validateOTP`), which the client keeps for the next calls.
    let otp = client.request_email_otp(&creds.email).send().await?;
    client
        .validate_email_otp(otp.request_id, &creds.otp)
        .send()
        .await?;
    let me = client.get_current_user().send().await?;
    let profile = me.profile.ok_or("the logged user has no profile")?;
    let accounts: Vec<String> = me
        .accounts
        .unwrap_or_default()
        .into_iter()
        .map(|a| a.name.unwrap_or_else(|| a.account_id.to_string()))
        .collect();
    step(format!(
        "logged in as {} {} (admin {}); accounts: {}",
        profile.first_name.as_deref().unwrap_or(""),
        profile.last_name.as_deref().unwrap_or(""),
        profile.admin_id,
        accounts.join(", ")
    ));

    // 3. The inbox: the first page, then every conversation, streamed page by page.
    let page = client.list_conversations().send().await?;
    let all: Vec<_> = client
        .list_conversations()
        .page_size(25)
        .items()
        .try_collect()
        .await?;
    let newest = page.first().ok_or("the inbox is empty")?;
    let contact_id = newest.contact_id.clone();
    step(format!(
        "listed {} of {} conversations; newest: {} ({:?})",
        page.len(),
        all.len(),
        newest.full_name.as_deref().unwrap_or("?"),
        newest.last_message.as_deref().unwrap_or("")
    ));

    // 4. The conversation's latest messages, newest first, each with its parts.
    let messages = client
        .list_messages(contact_id.clone())
        .limit(5)
        .send()
        .await?;
    step(format!(
        "the last {} messages with {}:",
        messages.messages.as_ref().map_or(0, Vec::len),
        newest.full_name.as_deref().unwrap_or("?")
    ));
    for message in messages.messages.iter().flatten() {
        let arrow = match message.direction {
            Some(MessageDirection::FromContact) => "<-",
            Some(MessageDirection::ToContact) => "->",
            _ => "--",
        };
        let parts: Vec<String> = message.parts.iter().flatten().map(describe).collect();
        println!("      {arrow} {}", parts.join(" + "));
    }

    // 5. The contact: its conversation's hash (the key of the realtime socket), tags, notes
    //    and custom fields, named with the account's lists.
    let contact = client.get_contact(contact_id.clone()).send().await?;
    let tag_names: HashMap<_, _> = client
        .list_tags()
        .send()
        .await?
        .into_iter()
        .map(|t| (t.id, t.name.unwrap_or_default()))
        .collect();
    let tags: Vec<&str> = contact
        .tag_ids
        .iter()
        .flatten()
        .filter_map(|id| tag_names.get(id).map(String::as_str))
        .collect();
    step(format!(
        "contact {}: {} on {}, hash {}…, tags [{}], {} notes, {} custom fields",
        contact.contact_id,
        contact.full_name.as_deref().unwrap_or("?"),
        shown(&contact.channel),
        contact
            .conversation_hash
            .as_deref()
            .map_or("?", |h| &h[..h.len().min(12)]),
        tags.join(", "),
        contact.notes.as_ref().map_or(0, Vec::len),
        contact.custom_fields.as_ref().map_or(0, Vec::len)
    ));

    // 6. Write, then read back: a note, and a custom field.
    let note = client
        .add_note(
            contact_id.clone(),
            "Called back: wants the grinder gift-wrapped.",
        )
        .send()
        .await?;
    let fields = client.list_custom_fields().send().await?;
    let company = fields
        .iter()
        .find(|f| f.field_type == Some(CustomFieldType::Text))
        .ok_or("no text custom field")?;
    client
        .set_custom_field(
            contact_id.clone(),
            company.id.clone(),
            CustomFieldType::Text,
            "Acme Coffee",
        )
        .send()
        .await?;
    let contact = client.get_contact(contact_id.clone()).send().await?;
    let value = contact
        .custom_fields
        .iter()
        .flatten()
        .find(|v| v.field_id == company.id)
        .and_then(|v| v.value.clone());
    step(format!(
        "added note {} (the contact has {} now); set {:?} to {:?}",
        note.id,
        contact.notes.as_ref().map_or(0, Vec::len),
        company.name.as_deref().unwrap_or("?"),
        value.unwrap_or_default()
    ));

    // 7. Take the conversation: assign it to the logged admin, move it to a human (the bot
    //    stays silent), then archive it.
    client
        .assign_conversation(contact_id.clone(), profile.admin_id.clone())
        .send()
        .await?;
    client
        .move_conversation(contact_id.clone(), ConversationMode::Human)
        .send()
        .await?;
    client
        .archive_conversation(contact_id.clone(), true)
        .send()
        .await?;
    let contact = client.get_contact(contact_id.clone()).send().await?;
    step(format!(
        "assigned to {}, live chat {}, archived {}",
        contact
            .assignee_id
            .as_ref()
            .map_or("nobody", |a| a.as_str()),
        contact.live_chat == Some(true),
        contact.archived == Some(true)
    ));

    // 8. The shop: list orders, move one forward, read it back.
    let orders = client.list_orders().send().await?;
    let order = orders
        .iter()
        .find(|o| o.status == Some(OrderStatus::Confirmed))
        .ok_or("no confirmed order")?;
    client
        .update_order(order.id.clone(), OrderStatus::Delivered)
        .send()
        .await?;
    let read_back = client.get_order(order.id.clone()).send().await?;
    step(format!(
        "listed {} orders; order {} of {}: {} -> {}",
        orders.len(),
        order.id,
        order.name.as_deref().unwrap_or("?"),
        shown(&order.status),
        shown(&read_back.status)
    ));

    // 9. Errors are typed: the real server answers `{"status":"ERROR","code":N}`.
    match client
        .get_order(chatrace::types::OrderId::new(42u64))
        .send()
        .await
    {
        Err(error @ Error::Api { .. }) => step(format!("order 42: {error}")),
        other => return Err(format!("expected an API error, got {other:?}").into()),
    }
    //    The sandbox plays any code of the catalogue's error table on request, so that its
    //    handling can be tried offline: here 99, which sends the app elsewhere even though the
    //    answer's `status` is "OK".
    sandbox
        .errors()
        .for_operation("get_order", chatrace::error_codes::REDIRECT);
    match client.get_order(order.id.clone()).send().await {
        Err(error)
            if error.code().and_then(ApiCode::number) == Some(chatrace::error_codes::REDIRECT) =>
        {
            let url = error.api().and_then(|e| e.url()).unwrap_or("(reload)");
            step(format!("a played error 99, handled: go to {url}"));
        }
        other => return Err(format!("expected the played error 99, got {other:?}").into()),
    }
    sandbox.errors().clear();

    // 10. The public API, as a back office uses it: its own client (the account's API token,
    //     the `/api/` base URL), over the same account. Find a contact by phone number, tag
    //     it, send it a flow; the inbox sees both, and the `ContactId` found goes straight into
    //     the inbox client (the two clients share their types).
    let public = PublicClient::builder()
        .base_url(sandbox.public_api_url())
        .api_token(creds.api_token.clone())
        .build()?;
    // The shop's records know a customer by phone number: here, one from the inbox.
    let phone = all
        .iter()
        .filter(|c| c.contact_id != contact_id)
        .filter_map(|c| c.phone.clone())
        .find(|p| !p.is_empty())
        .ok_or("no conversation has a phone number")?;
    let found = public
        .find_contacts_by_custom_field(CustomFieldId::new("phone"), phone.as_str())
        .send()
        .await?;
    let customer = found
        .contacts
        .unwrap_or_default()
        .into_iter()
        .next()
        .ok_or("nobody has that phone number")?;
    let vip = public.get_tag_by_name("VIP").send().await?;
    let tagged =
        |contact: &chatrace::types::Contact| contact.tag_ids.iter().flatten().any(|t| *t == vip.id);
    let before = tagged(&client.get_contact(customer.id.clone()).send().await?);
    public
        .add_tag_to_contact(customer.id.clone(), vip.id.clone())
        .send()
        .await?;
    let flows = public.list_account_flows().send().await?;
    let welcome = flows
        .iter()
        .find(|f| matches!(f.channel, None | Some(Channel::All)) || f.channel == customer.channel)
        .ok_or("no flow for the contact's channel")?;
    public
        .send_flow_to_contact(customer.id.clone(), welcome.id.clone())
        .send()
        .await?;
    let in_inbox = client.get_contact(customer.id.clone()).send().await?;
    let last = client
        .list_messages(customer.id.clone())
        .limit(1)
        .send()
        .await?;
    let got: Vec<String> = last
        .messages
        .iter()
        .flatten()
        .flat_map(|m| m.parts.iter().flatten().map(describe))
        .collect();
    step(format!(
        "public API: {phone} is {} {}; tagged {:?} (in the inbox: {before} -> {}); sent flow {:?}, \
         the inbox's newest message: {}",
        customer.first_name.as_deref().unwrap_or(""),
        customer.last_name.as_deref().unwrap_or(""),
        vip.name.as_deref().unwrap_or("?"),
        tagged(&in_inbox),
        welcome.name.as_deref().unwrap_or("?"),
        got.join(" + ")
    ));

    // 11. The realtime socket: connect (the white-label names it; the client's session
    //     authenticates), hear the conversation, send a text, and print the contact's answer
    //     (the sandbox's contacts answer what they get).
    let realtime = client.realtime().connect().await?;
    let mut events = realtime.events();
    realtime.subscribe(&contact_id).await?;
    let channel = contact.channel.clone().unwrap_or(Channel::Messenger);
    realtime
        .send_text(&contact_id, channel, "Your grinder ships today!")
        .await?;
    let answer = tokio::time::timeout(ANSWER_WITHIN, async {
        while let Some(event) = events.next().await {
            match event {
                RealtimeEvent::Event(InboxEvent::Message(message))
                    if message.contact_id.as_ref() == Some(&contact_id)
                        && message.direction == Some(MessageDirection::FromContact) =>
                {
                    let parts: Vec<String> = message.parts.iter().flatten().map(describe).collect();
                    return Some(parts.join(" + "));
                }
                _ => {}
            }
        }
        None
    })
    .await;
    realtime.close().await;
    match answer {
        Ok(Some(answer)) => step(format!(
            "sent a text over the socket; {} answered {answer}",
            newest.full_name.as_deref().unwrap_or("?")
        )),
        Ok(None) => step("sent a text over the socket; the connection closed first".to_owned()),
        Err(_) => step(format!(
            "sent a text over the socket; no answer within {ANSWER_WITHIN:?}"
        )),
    }

    // 12. Log out: the client forgets its token, and the next call is refused.
    client.logout().send().await?;
    let after = client.list_tags().send().await;
    step(format!(
        "logged out; the next call is refused: {}",
        after.err().map(|e| e.to_string()).unwrap_or_default()
    ));

    sandbox.shutdown().await;
    println!("done");
    Ok(())
}

/// One line of the report.
fn step(line: String) {
    println!("  - {line}");
}

/// A message part, readably.
fn describe(part: &MessagePart) -> String {
    match part {
        MessagePart::Text(text) => {
            let mut line = format!("{:?}", text.text.as_deref().unwrap_or(""));
            let replies: Vec<&str> = text
                .quick_replies
                .iter()
                .flatten()
                .filter_map(|r| r.title.as_deref())
                .collect();
            if !replies.is_empty() {
                line.push_str(&format!(" [{}]", replies.join(" | ")));
            }
            line
        }
        MessagePart::Typing(typing) => format!("(typing {}s)", typing.delay.unwrap_or(0)),
        MessagePart::File(file) => {
            let attachment = file.attachment.as_ref();
            let kind = attachment.and_then(|a| a.kind.as_ref());
            let url = attachment
                .and_then(|a| a.payload.as_ref())
                .and_then(|p| p.url.as_deref());
            format!(
                "[{}] {}",
                kind.map_or("file", |k| k.as_str()),
                url.unwrap_or("?")
            )
        }
        MessagePart::Unknown(object) => format!(
            "(a {} part)",
            object
                .get("type")
                .and_then(|t| t.as_str())
                .unwrap_or("untyped")
        ),
        // Kinds of parts a later catalogue declares.
        other => format!("({other:?})"),
    }
}

/// A value the server may leave out, as its variant's name or `?`.
fn shown<T: std::fmt::Debug>(value: &Option<T>) -> String {
    value
        .as_ref()
        .map_or_else(|| "?".to_owned(), |v| format!("{v:?}"))
}
