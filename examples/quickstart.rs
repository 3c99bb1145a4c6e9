//! The ChatRace SDK in one page, against the sandbox (no account, no network):
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! It starts the sandbox in this process, logs in with the email code, works through the inbox
//! and the shop, and prints one line per step. Against the real API, build the client with
//! your API URL and account instead, and log in with your own email.

use chatrace::types::{OrderStatus, Tag};
use chatrace::{Client, Error};
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = chatrace_sandbox::Sandbox::start().await?;
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

    // 1. Log in: the email gets a one-time code; the code gets a session token, which the
    //    client keeps for the next calls.
    let otp = client.request_email_otp(&creds.email).send().await?;
    client
        .validate_email_otp(otp.rid, &creds.otp)
        .send()
        .await?;
    let me = client.get_current_user().send().await?;
    let account = me
        .accounts
        .unwrap_or_default()
        .into_iter()
        .find(|a| a.id == creds.account_id)
        .and_then(|a| a.name)
        .unwrap_or_default();
    step(format!(
        "logged in as {} with the email code; account {account:?}",
        me.email.unwrap_or_default()
    ));

    // 2. The inbox: the first page, then every conversation, streamed page by page.
    let page = client.list_conversations().send().await?;
    let all: Vec<_> = client
        .list_conversations()
        .page_size(25)
        .items()
        .try_collect()
        .await?;
    let newest = page.first().ok_or("the inbox is empty")?;
    step(format!(
        "listed {} of {} conversations; newest: {} ({:?})",
        page.len(),
        all.len(),
        newest.name.as_deref().unwrap_or("?"),
        newest.last_message.as_deref().unwrap_or("")
    ));

    // 3. One contact, with its tags and custom fields.
    let contact = client.get_contact(newest.contact_id).send().await?;
    let tags = contact.tags.clone().unwrap_or_default();
    let channel = contact.channel.as_ref().map(|c| format!("{c:?}"));
    step(format!(
        "contact {}: {}, on {}, tags [{}]",
        contact.id,
        contact.name.as_deref().unwrap_or("?"),
        channel.as_deref().unwrap_or("?"),
        names(&tags)
    ));

    // 4. Write, then read back: a note (it shows as a `note` message), a custom field, a tag.
    let note = client
        .add_note(contact.id, "Called back: wants the grinder gift-wrapped.")
        .send()
        .await?;
    let latest = client.list_messages(contact.id).limit(1).send().await?;
    let kind = latest.first().and_then(|m| m.kind.as_ref());
    step(format!(
        "added note {}; the newest message is now of type {}",
        note.id,
        kind.map_or("?", |k| k.as_str())
    ));

    let fields = client.list_custom_fields().send().await?;
    let points = fields
        .iter()
        .find(|f| f.name.as_deref() == Some("Loyalty points"))
        .ok_or("no loyalty points field")?;
    client
        .set_custom_field(contact.id, points.id, serde_json::json!(120))
        .send()
        .await?;
    let value = client
        .get_contact(contact.id)
        .send()
        .await?
        .custom_fields
        .unwrap_or_default()
        .into_iter()
        .find(|v| v.field_id == points.id)
        .and_then(|v| v.value);
    step(format!(
        "set custom field {:?} to {}",
        points.name.as_deref().unwrap_or("?"),
        value.unwrap_or_default()
    ));

    if let Some(tag) = tags.first() {
        client.remove_tag(contact.id, tag.id).send().await?;
        let left = client.get_contact(contact.id).send().await?.tags;
        step(format!(
            "removed tag {:?}; tags now [{}]",
            tag.name.as_deref().unwrap_or("?"),
            names(&left.unwrap_or_default())
        ));
    }

    // 5. The shop: list orders, move one forward, read it back.
    let orders = client.list_orders().send().await?;
    let order = orders
        .iter()
        .find(|o| o.status == Some(OrderStatus::Confirmed))
        .ok_or("no confirmed order")?;
    step(format!(
        "listed {} orders; order {} of {} is {}",
        orders.len(),
        order.id,
        order.name.as_deref().unwrap_or("?"),
        status_name(order.status.as_ref())
    ));
    client
        .update_order(order.id, OrderStatus::Delivered)
        .send()
        .await?;
    let read_back = client.get_order(order.id).send().await?;
    step(format!(
        "order {}: {} -> {} (delivered {})",
        order.id,
        status_name(order.status.as_ref()),
        status_name(read_back.status.as_ref()),
        read_back.date_delivered.as_deref().unwrap_or("?")
    ));

    // 6. Errors are typed: the server's code and message, and whether to retry.
    match client.get_order(42).send().await {
        Err(error @ Error::Api { .. }) => step(format!(
            "order 42: {error} (retryable: {})",
            error.is_retryable()
        )),
        other => return Err(format!("expected an API error, got {other:?}").into()),
    }

    // 7. Log out: the session ends on the server, and the client forgets its token.
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

/// The names of some tags, comma separated.
fn names(tags: &[Tag]) -> String {
    tags.iter()
        .filter_map(|t| t.name.as_deref())
        .collect::<Vec<_>>()
        .join(", ")
}

/// An order status as a word.
fn status_name(status: Option<&OrderStatus>) -> String {
    match status {
        Some(OrderStatus::Confirmed) => "confirmed".into(),
        Some(OrderStatus::Shipped) => "shipped".into(),
        Some(OrderStatus::Delivered) => "delivered".into(),
        Some(OrderStatus::Cancelled) => "cancelled".into(),
        Some(OrderStatus::Refunded) => "refunded".into(),
        Some(OrderStatus::Unknown(n)) => format!("status {n}"),
        None => "unknown".into(),
    }
}
