//! The open sockets: which account each is authenticated on, which conversations it is
//! subscribed to, and the queue of what to write to it. Events are handed to the queues here;
//! each socket's own task writes its queue in order.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chatrace::types::ContactId;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::SocketStats;

/// Frames a socket may have waiting to be written. A reader that falls this far behind is cut
/// off, as a server does with a client that does not read.
const OUTBOX: usize = 16_384;

/// What the server writes to one socket.
#[derive(Debug)]
pub(crate) enum Out {
    /// A text frame.
    Text(Utf8Bytes),
    /// A close frame (code 1001, going away), then the end of the socket.
    GoingAway,
}

/// One open socket, as the hub knows it.
struct Entry {
    /// The account it authenticated on, once it has.
    account: Option<u64>,
    /// The contacts whose conversations it hears.
    subscriptions: BTreeSet<String>,
    outbox: mpsc::Sender<Out>,
}

/// How the contacts answer messages sent over the socket.
#[derive(Debug, Clone)]
pub(crate) struct ReplyScript {
    /// Whether they answer at all (with `delivered`, `seen` and a reply).
    pub enabled: bool,
    /// How long after the message the contact sees it and answers.
    pub delay: Duration,
    /// What a contact writes, after `delay`, when a socket subscribes to their conversation.
    pub greeting: Option<String>,
}

/// A contact's reply to play.
#[derive(Debug)]
pub(crate) struct Scheduled {
    /// When to play it.
    pub due: Instant,
    pub account: u64,
    pub contact: ContactId,
    /// When the message the contact answers was sent (Unix milliseconds): `seen` covers it.
    /// `None` for a message that answers nothing (a greeting).
    pub sent_at_ms: Option<i64>,
    /// The text of the reply.
    pub reply: String,
}

/// The registry of open sockets.
pub(crate) struct Hub {
    sockets: Mutex<BTreeMap<u64, Entry>>,
    stats: Mutex<SocketStats>,
    next_id: Mutex<u64>,
    pub(crate) script: ReplyScript,
    /// The queue of the task that plays the contacts' replies.
    replies: mpsc::UnboundedSender<Scheduled>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Hub {
    /// A hub whose scripted replies go to `replies`.
    pub(crate) fn new(script: ReplyScript, replies: mpsc::UnboundedSender<Scheduled>) -> Self {
        Hub {
            sockets: Mutex::new(BTreeMap::new()),
            stats: Mutex::new(SocketStats::default()),
            next_id: Mutex::new(0),
            script,
            replies,
        }
    }

    /// Registers a new socket: its id, and the queue its task writes.
    pub(crate) fn register(&self) -> (u64, mpsc::Receiver<Out>) {
        let (outbox, queue) = mpsc::channel(OUTBOX);
        let id = {
            let mut next = lock(&self.next_id);
            *next += 1;
            *next
        };
        lock(&self.sockets).insert(
            id,
            Entry {
                account: None,
                subscriptions: BTreeSet::new(),
                outbox,
            },
        );
        lock(&self.stats).opened += 1;
        (id, queue)
    }

    /// Forgets a socket that ended.
    pub(crate) fn unregister(&self, id: u64) {
        lock(&self.sockets).remove(&id);
    }

    /// Counts what a socket sent (see [`SocketStats`]).
    pub(crate) fn count(&self, count: impl FnOnce(&mut SocketStats)) {
        count(&mut lock(&self.stats));
    }

    /// What the sockets did so far.
    pub(crate) fn stats(&self) -> SocketStats {
        let mut stats = *lock(&self.stats);
        stats.open = lock(&self.sockets).len();
        stats
    }

    /// The socket authenticated on `account`: it hears that account's conversations from now
    /// on (those it subscribes to), and none it subscribed to before.
    pub(crate) fn authenticated(&self, id: u64, account: u64) {
        if let Some(entry) = lock(&self.sockets).get_mut(&id) {
            if entry.account != Some(account) {
                entry.subscriptions.clear();
            }
            entry.account = Some(account);
        }
    }

    /// The socket hears `contact`'s conversation from now on.
    pub(crate) fn subscribe(&self, id: u64, contact: &str) {
        if let Some(entry) = lock(&self.sockets).get_mut(&id) {
            entry.subscriptions.insert(contact.to_owned());
        }
    }

    /// Queues `frame` for every socket of `account` subscribed to `contact`; answers how many.
    pub(crate) fn publish(&self, account: u64, contact: &str, frame: &Utf8Bytes) -> usize {
        self.deliver(
            |entry| entry.account == Some(account) && entry.subscriptions.contains(contact),
            frame,
        )
    }

    /// Queues `frame` for every socket of `account` that is not subscribed to `contact` (those
    /// hear the conversation's own frame); answers how many.
    pub(crate) fn publish_account_wide(
        &self,
        account: u64,
        contact: &str,
        frame: &Utf8Bytes,
    ) -> usize {
        self.deliver(
            |entry| entry.account == Some(account) && !entry.subscriptions.contains(contact),
            frame,
        )
    }

    /// Queues `frame` for every authenticated socket; answers how many.
    pub(crate) fn push_to_all(&self, frame: &Utf8Bytes) -> usize {
        self.deliver(|entry| entry.account.is_some(), frame)
    }

    /// Queues `frame` for the sockets `to` picks. A socket whose queue is full is cut off.
    fn deliver(&self, to: impl Fn(&Entry) -> bool, frame: &Utf8Bytes) -> usize {
        let mut sockets = lock(&self.sockets);
        let mut delivered = 0;
        let mut cut = Vec::new();
        for (id, entry) in sockets.iter().filter(|(_, entry)| to(entry)) {
            match entry.outbox.try_send(Out::Text(frame.clone())) {
                Ok(()) => delivered += 1,
                Err(mpsc::error::TrySendError::Full(_)) => {
                    tracing::warn!(socket = id, "a socket does not read its frames: cut off");
                    cut.push(*id);
                }
                // Its task ended and is about to unregister it.
                Err(mpsc::error::TrySendError::Closed(_)) => {}
            }
        }
        for id in cut {
            sockets.remove(&id);
        }
        delivered
    }

    /// Drops every socket at once, without a close frame (as a network failure would); answers
    /// how many there were.
    pub(crate) fn kill_all(&self) -> usize {
        let killed = std::mem::take(&mut *lock(&self.sockets));
        // Dropping the queues' senders ends each socket's task, which drops its connection.
        killed.len()
    }

    /// Closes every socket with a close frame (the server is stopping).
    pub(crate) fn close_all(&self) {
        let closing = std::mem::take(&mut *lock(&self.sockets));
        for entry in closing.values() {
            let _ = entry.outbox.try_send(Out::GoingAway);
        }
    }

    /// Schedules a contact's reply (see `replies`).
    pub(crate) fn schedule(&self, reply: Scheduled) {
        // The task stops only with the sandbox; then nobody listens anyway.
        let _ = self.replies.send(reply);
    }
}
