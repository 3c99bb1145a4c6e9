//! What the HTTP handlers of both APIs, the realtime sockets and the [`crate::Sandbox`] handle
//! share: the state behind its lock, the faults and errors a test switched on, the counters of
//! requests, and the hub of the sockets.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::call::Call;
use crate::faults::Faults;
use crate::played::PlayedErrors;
use crate::socket::hub::Hub;
use crate::socket::publish::publish;
use crate::state::State as Data;

/// The most characters of a reason a trace shows.
const TRACE_CHARS: usize = 300;

/// What the handler shares with the [`crate::Sandbox`] handle.
pub(crate) struct Shared {
    state: Mutex<Data>,
    pub faults: Faults,
    /// The errors a test switched on, per operation or per token.
    pub played: PlayedErrors,
    requests: AtomicU64,
    per_operation: Mutex<BTreeMap<&'static str, u64>>,
    /// Operations answered from their documented example instead of their handler.
    from_examples: Mutex<BTreeSet<&'static str>>,
    pub base_url: String,
    /// The realtime sockets: who is subscribed to what, and what to push to them.
    pub hub: Hub,
}

impl Shared {
    pub fn new(state: Data, base_url: String, hub: Hub) -> Self {
        Shared {
            state: Mutex::new(state),
            faults: Faults::default(),
            played: PlayedErrors::default(),
            requests: AtomicU64::new(0),
            per_operation: Mutex::new(BTreeMap::new()),
            from_examples: Mutex::new(BTreeSet::new()),
            base_url,
            hub,
        }
    }

    /// The state, even after a panic elsewhere (the state stays consistent: handlers check
    /// before they write).
    pub fn state(&self) -> MutexGuard<'_, Data> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts one more request (of either API), as the fault layer sees it arrive.
    pub(crate) fn count_request(&self) {
        self.requests.fetch_add(1, Ordering::SeqCst);
    }

    pub fn requests_seen(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }

    pub fn operation_counts(&self) -> BTreeMap<&'static str, u64> {
        self.per_operation
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn count(&self, operation: &'static str) {
        *self
            .per_operation
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(operation)
            .or_default() += 1;
    }

    /// Answers `operation` from its documented example from now on.
    pub fn answer_from_example(&self, operation: &'static str) {
        self.from_examples
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(operation);
    }

    /// `reason` as a trace shows it: on one line of at most 300 characters, with `token` and
    /// every live session token masked, and every `"…token"` JSON member (what the SDK does to
    /// what it logs): a reason may quote what a request sent.
    pub fn masked(&self, reason: &str, token: Option<&str>) -> String {
        let state = self.state();
        let secrets: Vec<&str> = token
            .into_iter()
            .chain(state.sessions.keys().map(String::as_str))
            .collect();
        chatrace::masked_line(reason, &secrets, TRACE_CHARS)
    }

    /// Runs a call of the operation `name` on the locked state: `run`, or `example` when the
    /// sandbox answers the operation from its example. What a successful call sent is told to
    /// its account's sockets while the state is still locked, so that events go out in the
    /// order of the writes.
    pub(crate) fn run_call<T, E>(
        &self,
        mut call: Call<'_>,
        name: &str,
        example: impl FnOnce() -> Result<T, E>,
        run: impl FnOnce(&mut Call<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let outcome = if self.answers_from_example(name) {
            example()
        } else {
            run(&mut call)
        };
        let pushes = std::mem::take(&mut call.pushes);
        if let (true, Some(account)) = (outcome.is_ok(), call.account_id) {
            publish(&self.hub, call.state, account, pushes);
        }
        outcome
    }

    pub(crate) fn answers_from_example(&self, operation: &str) -> bool {
        self.from_examples
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(operation)
    }
}
