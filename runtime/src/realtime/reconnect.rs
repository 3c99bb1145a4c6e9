//! When to try connecting again: the [`RetryPolicy`]'s backoff with full jitter.

use std::time::Duration;

use crate::retry::{Jitter, RetryPolicy};

/// The waits between reconnection attempts.
///
/// The wait before attempt `n` is the policy's `delay(n)`: drawn below
/// `min(max_backoff, initial_backoff * 2^(n-1))` when the policy has jitter, so that clients
/// cut off together do not come back together. The growth is not reset by a connection that
/// drops again within `max_backoff`: a server that accepts the socket and closes it at once
/// (a rejected token, say) is not hammered every `initial_backoff`.
#[derive(Debug)]
pub(crate) struct Backoff {
    policy: RetryPolicy,
    jitter: Jitter,
    /// Attempts since the last connection that lived at least `max_backoff`.
    step: u32,
}

impl Backoff {
    pub(crate) fn new(policy: RetryPolicy) -> Self {
        Backoff {
            policy,
            jitter: Jitter::new(),
            step: 0,
        }
    }

    /// Whether attempt `attempt` (1-based) of one outage may be made: `max_attempts` 0 means
    /// always.
    pub(crate) fn allows(&self, attempt: u32) -> bool {
        self.policy.max_attempts == 0 || attempt <= self.policy.max_attempts
    }

    /// The wait before the next attempt.
    pub(crate) fn next_wait(&mut self) -> Duration {
        self.step = self.step.saturating_add(1);
        self.policy
            .delay(self.step, None, self.jitter.next())
            .unwrap_or(self.policy.max_backoff)
    }

    /// A connection that was up for `lived` has dropped.
    pub(crate) fn connection_ended(&mut self, lived: Duration) {
        if lived >= self.policy.max_backoff {
            self.step = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(max_attempts: u32) -> Backoff {
        Backoff::new(
            RetryPolicy::default()
                .with_jitter(false)
                .with_max_attempts(max_attempts)
                .with_backoff(Duration::from_millis(100), Duration::from_secs(1)),
        )
    }

    #[test]
    fn waits_double_up_to_the_cap() {
        let mut backoff = fixed(0);
        let waits: Vec<u64> = (0..6)
            .map(|_| backoff.next_wait().as_millis() as u64)
            .collect();
        assert_eq!(waits, [100, 200, 400, 800, 1000, 1000]);
    }

    #[test]
    fn only_a_connection_that_lived_long_enough_resets_the_growth() {
        let mut backoff = fixed(0);
        backoff.next_wait();
        backoff.next_wait();
        backoff.connection_ended(Duration::from_millis(10));
        assert_eq!(backoff.next_wait(), Duration::from_millis(400), "flapping");
        backoff.connection_ended(Duration::from_secs(1));
        assert_eq!(backoff.next_wait(), Duration::from_millis(100), "stable");
    }

    #[test]
    fn max_attempts_zero_is_forever() {
        assert!(fixed(0).allows(u32::MAX));
        let three = fixed(3);
        assert!(three.allows(3) && !three.allows(4));
    }

    #[test]
    fn jittered_waits_stay_below_the_bound() {
        let mut backoff = Backoff::new(
            RetryPolicy::default().with_backoff(Duration::from_millis(100), Duration::from_secs(1)),
        );
        let first = backoff.next_wait();
        assert!(first <= Duration::from_millis(100), "{first:?}");
    }
}
