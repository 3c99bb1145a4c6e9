//! The sandbox's clock and the time forms the real server writes: Unix seconds, Unix
//! milliseconds, and `YYYY-MM-DD HH:MM:SS` text.

/// The sandbox's "now" when it starts: 2024-06-01 12:00:00 UTC. The clock moves one second per
/// write, so that the same calls always give the same answers.
pub(crate) const EPOCH: i64 = 1_717_243_200;

/// The wall clock, in Unix seconds (0 before 1970).
pub(crate) fn wall_clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// `YYYY-MM-DD HH:MM:SS` (UTC) of a Unix time in seconds, as the server writes dates (empty
/// outside the years 0 to 65535).
pub(crate) fn datetime(unix: i64) -> String {
    match chatrace::DateTimeParts::from_unix(unix) {
        Some(p) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            p.year, p.month, p.day, p.hour, p.minute, p.second
        ),
        None => String::new(),
    }
}

/// Whether `text` is a date `YYYY-MM-DD` with a real month and day.
pub(crate) fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return false;
    }
    let month: u32 = text[5..7].parse().unwrap_or(0);
    let day: u32 = text[8..10].parse().unwrap_or(0);
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_format_in_utc() {
        assert_eq!(datetime(0), "1970-01-01 00:00:00");
        assert_eq!(datetime(1_706_209_200), "2024-01-25 19:00:00");
        assert_eq!(datetime(EPOCH), "2024-06-01 12:00:00");
        assert_eq!(datetime(951_782_400), "2000-02-29 00:00:00");
    }

    #[test]
    fn dates_are_recognised() {
        assert!(is_date("1990-04-12"));
        assert!(!is_date("1990-13-12"));
        assert!(!is_date("12/04/1990"));
        assert!(!is_date("1990-04-1"));
    }
}
