//! Telling the sockets what a successful HTTP call changed: the pushes of a [`Call`] as
//! event frames, queued on the [`Hub`] for the sockets subscribed to each conversation.
//!
//! [`Call`]: crate::call::Call

use super::events;
use super::hub::Hub;
use crate::call::{Change, Push};
use crate::state::State as Data;

/// The state changes every socket of the account hears, in account-wide frames.
const ACCOUNT_WIDE: &[&str] = &["assign", "live_chat", "followup", "archived"];

/// Tells the sockets subscribed to the conversations a successful HTTP write changed (and, of
/// a state change, the account's other sockets).
pub(crate) fn publish(hub: &Hub, state: &Data, account_id: u64, pushes: Vec<Push>) {
    let Some(account) = state.accounts.get(&account_id) else {
        return;
    };
    for push in pushes {
        let Some(contact) = account.contacts.get(push.contact_id.as_str()) else {
            continue;
        };
        let frame = match push.change {
            Change::Message => match contact.messages.last() {
                Some(message) => events::message(contact, message),
                None => continue,
            },
            Change::State { part, by, at_ms } => {
                // The other sockets of the account hear the conversation's state account-wide,
                // as the vendor's web inbox does for the conversations it has not open.
                let kind = part.get("type").and_then(serde_json::Value::as_str);
                if kind.is_some_and(|kind| ACCOUNT_WIDE.contains(&kind)) {
                    let wide = events::state_change(contact, part.clone(), by, at_ms, true);
                    hub.publish_account_wide(account_id, contact.id.as_str(), &wide);
                }
                events::state_change(contact, part, by, at_ms, false)
            }
        };
        hub.publish(account_id, contact.id.as_str(), &frame);
    }
}
