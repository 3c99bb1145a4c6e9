//! The fault layer: failures a test switches on to see how a client copes with a bad server.
//!
//! Faults are queued and each request takes the next one, in the order they were queued:
//! `fail_next(2, ..)` then `html_next(1)` fails two requests and answers HTML to the third.
//! Delays are queued apart and combine with whatever answer follows (a delayed 503, a delayed
//! normal answer).

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// What the sandbox does instead of (or to) its normal answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Answer this HTTP status with a plain-text body, without handling the request.
    Fail {
        status: u16,
        retry_after: Option<u64>,
    },
    /// Close the connection with a TCP reset before answering, without handling the request.
    Reset,
    /// Answer `200` with an HTML error page (a proxy's, a crashed PHP's), without handling
    /// the request.
    Html,
    /// Handle the request, then cut its JSON answer in half.
    Truncate,
    /// Handle the request normally: a place in the queue, so that the faults queued after it
    /// hit a later request.
    Pass,
}

#[derive(Debug, Default)]
struct Queues {
    answers: VecDeque<Fault>,
    delays: VecDeque<Duration>,
}

/// Switches faults on for the next requests (see [`crate::Sandbox::faults`]).
///
/// Every method applies to the requests that arrive after it is called; [`Faults::clear`]
/// switches everything off.
#[derive(Debug, Default)]
pub struct Faults {
    queues: Mutex<Queues>,
}

impl Faults {
    fn with<R>(&self, f: impl FnOnce(&mut Queues) -> R) -> R {
        f(&mut self.queues.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn push(&self, n: usize, fault: Fault) {
        self.with(|q| q.answers.extend(std::iter::repeat_n(fault, n)));
    }

    /// Fails the next `n` requests with HTTP `status` (a plain-text body, no envelope) and, when
    /// `retry_after` is given, a `Retry-After: <seconds>` header. The requests are not handled:
    /// nothing changes in the state. A `status` that is not a valid HTTP status becomes 503.
    pub fn fail_next(&self, n: usize, status: u16, retry_after: Option<u64>) {
        self.push(
            n,
            Fault::Fail {
                status,
                retry_after,
            },
        );
    }

    /// Delays the answers to the next `n` requests by `delay` each (the delay comes before any
    /// other fault or the normal answer).
    pub fn delay_next(&self, n: usize, delay: Duration) {
        self.with(|q| q.delays.extend(std::iter::repeat_n(delay, n)));
    }

    /// Resets the connection of the next `n` requests (TCP RST) before answering; the
    /// requests are not handled.
    pub fn reset_next(&self, n: usize) {
        self.push(n, Fault::Reset);
    }

    /// Answers the next `n` requests with `200` and an HTML error page instead of JSON; the
    /// requests are not handled.
    pub fn html_next(&self, n: usize) {
        self.push(n, Fault::Html);
    }

    /// Handles the next `n` requests normally (their writes happen) but cuts each JSON answer
    /// in half.
    pub fn truncate_next(&self, n: usize) {
        self.push(n, Fault::Truncate);
    }

    /// Lets the next `n` requests through untouched, so that the faults queued after this hit
    /// the requests after them: `pass_next(4)` then `html_next(1)` fails the fifth request
    /// (the fifth page of a listing).
    pub fn pass_next(&self, n: usize) {
        self.push(n, Fault::Pass);
    }

    /// Switches every pending fault and delay off.
    pub fn clear(&self) {
        self.with(|q| {
            q.answers.clear();
            q.delays.clear();
        });
    }

    /// How many faults and delays are still waiting for a request.
    pub fn pending(&self) -> usize {
        self.with(|q| q.answers.len() + q.delays.len())
    }

    /// The delay and the fault of the request that just arrived.
    pub(crate) fn take(&self) -> (Option<Duration>, Option<Fault>) {
        self.with(|q| {
            let fault = q.answers.pop_front().filter(|f| *f != Fault::Pass);
            (q.delays.pop_front(), fault)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_apply_in_order_and_delays_apart() {
        let faults = Faults::default();
        faults.fail_next(2, 503, Some(1));
        faults.html_next(1);
        faults.delay_next(1, Duration::from_millis(5));
        assert_eq!(faults.pending(), 4);
        let fail = Fault::Fail {
            status: 503,
            retry_after: Some(1),
        };
        assert_eq!(faults.take(), (Some(Duration::from_millis(5)), Some(fail)));
        assert_eq!(faults.take(), (None, Some(fail)));
        assert_eq!(faults.take(), (None, Some(Fault::Html)));
        assert_eq!(faults.take(), (None, None));
        faults.pass_next(2);
        faults.reset_next(1);
        assert_eq!(faults.take(), (None, None));
        assert_eq!(faults.take(), (None, None));
        assert_eq!(faults.take(), (None, Some(Fault::Reset)));
        faults.reset_next(3);
        faults.truncate_next(1);
        faults.clear();
        assert_eq!(faults.pending(), 0);
        assert_eq!(faults.take(), (None, None));
    }
}
