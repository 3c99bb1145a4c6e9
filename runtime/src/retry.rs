//! When and how long to wait before trying a call again.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How the runtime retries calls.
///
/// Only operations marked `retry_safe` in the catalogue (reads, idempotent writes) are retried,
/// and only on errors where [`crate::Error::is_retryable`] is true: connect errors, timeouts,
/// HTTP 429 and 5xx, API codes 429 and 503. A write that is not `retry_safe` is sent once.
///
/// The wait before attempt `n + 1` is drawn uniformly from
/// `0 ..= min(max_backoff, initial_backoff * 2^(n-1))` ("full jitter"), or is that bound itself
/// when `jitter` is false. When the answer carries `Retry-After` (seconds, or an HTTP date), the
/// runtime waits exactly that long instead, provided it is at most `max_retry_after`; a longer `Retry-After`
/// ends the retries and the error is returned at once (waiting less than the server asked
/// would only earn another refusal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The most attempts of one call, the first included (1: no retries).
    pub max_attempts: u32,
    /// The wait bound before the first retry.
    pub initial_backoff: Duration,
    /// The largest wait bound between two attempts.
    pub max_backoff: Duration,
    /// The largest `Retry-After` the runtime waits for.
    pub max_retry_after: Duration,
    /// Whether waits are drawn at random below their bound (full jitter).
    pub jitter: bool,
}

impl Default for RetryPolicy {
    /// 3 attempts, 100 ms initial backoff, 5 s cap, full jitter, `Retry-After` up to 30 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// This policy with `max_attempts` attempts at most.
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// This policy with the given backoff bounds.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// This policy with jitter on or off.
    pub fn with_jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// This policy waiting for a `Retry-After` of at most `max`.
    pub fn with_max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// The wait after failed attempt `attempt` (1-based), or `None` to stop retrying.
    /// `random` is a uniformly distributed number (used only with jitter).
    pub(crate) fn delay(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        random: u64,
    ) -> Option<Duration> {
        if let Some(wait) = retry_after {
            return (wait <= self.max_retry_after).then_some(wait);
        }
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let bound = self
            .initial_backoff
            .checked_mul(factor)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff);
        if !self.jitter {
            return Some(bound);
        }
        // random / 2^64 is uniform in [0, 1).
        let fraction = (random >> 11) as f64 / (1u64 << 53) as f64;
        Some(bound.mul_f64(fraction))
    }
}

/// A small, lock-free source of jitter: splitmix64 over an atomic counter.
#[derive(Debug)]
pub(crate) struct Jitter {
    state: AtomicU64,
}

impl Jitter {
    /// A generator seeded from the clock and the address of a local (different per process).
    pub(crate) fn new() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let local = 0u8;
        let address = &local as *const u8 as u64;
        Jitter {
            state: AtomicU64::new(nanos ^ address.rotate_left(32)),
        }
    }

    /// The next pseudo-random number.
    pub(crate) fn next(&self) -> u64 {
        let mut z = self
            .state
            .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
            .wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Parses `Retry-After`: seconds, or an HTTP date (the wait until then, from `now`; a date
/// already past is no wait).
pub(crate) fn parse_retry_after(value: &[u8], now: std::time::SystemTime) -> Option<Duration> {
    let text = std::str::from_utf8(value).ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(text).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed() -> RetryPolicy {
        RetryPolicy::default()
            .with_jitter(false)
            .with_backoff(Duration::from_millis(100), Duration::from_secs(1))
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = fixed();
        let waits: Vec<_> = (1..=6).map(|n| p.delay(n, None, 0)).collect();
        let ms = |m| Some(Duration::from_millis(m));
        assert_eq!(
            waits,
            vec![ms(100), ms(200), ms(400), ms(800), ms(1000), ms(1000)]
        );
        assert_eq!(
            p.delay(200, None, 0),
            ms(1000),
            "huge attempt numbers saturate"
        );
    }

    #[test]
    fn full_jitter_stays_below_the_bound() {
        let p = fixed().with_jitter(true);
        let jitter = Jitter::new();
        let mut seen_small = false;
        for _ in 0..1000 {
            let d = p.delay(3, None, jitter.next()).unwrap_or_default();
            assert!(d <= Duration::from_millis(400), "{d:?}");
            seen_small |= d < Duration::from_millis(200);
        }
        assert!(seen_small, "jitter never drew below half the bound");
        assert_eq!(
            p.delay(1, None, u64::MAX)
                .map(|d| d <= Duration::from_millis(100)),
            Some(true)
        );
    }

    #[test]
    fn retry_after_is_honoured_up_to_its_cap() {
        let p = fixed().with_max_retry_after(Duration::from_secs(10));
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(3)), 0),
            Some(Duration::from_secs(3))
        );
        assert_eq!(p.delay(1, Some(Duration::from_secs(11)), 0), None);
    }

    #[test]
    fn parses_retry_after_seconds_and_http_dates() {
        let now = std::time::UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        assert_eq!(parse_retry_after(b" 2 ", now), Some(Duration::from_secs(2)));
        // 07:28:00 GMT is 10 s after `now`, in each of the three forms HTTP allows.
        for date in [
            &b"Wed, 21 Oct 2015 07:28:00 GMT"[..],
            b"Wednesday, 21-Oct-15 07:28:00 GMT",
            b"Wed Oct 21 07:28:00 2015",
        ] {
            assert_eq!(parse_retry_after(date, now), Some(Duration::from_secs(10)));
        }
        let later = now + Duration::from_secs(60);
        assert_eq!(
            parse_retry_after(b"Wed, 21 Oct 2015 07:28:00 GMT", later),
            Some(Duration::ZERO),
            "a date already past is no wait"
        );
        assert_eq!(parse_retry_after(b"soon", now), None);
        assert_eq!(parse_retry_after(&[0xff], now), None);
    }

    #[test]
    fn disabled_means_one_attempt() {
        assert_eq!(RetryPolicy::disabled().max_attempts, 1);
        assert_eq!(RetryPolicy::default().max_attempts, 3);
    }
}
