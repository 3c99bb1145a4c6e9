//! Ids: deterministic names for what the sandbox makes up, and how an id is written in JSON.
//! Message ids are shaped like the real ones (`m_` and 43 URL-safe characters), conversation
//! hashes are 64 hex digits, and so are session tokens and OTP request ids. Each is derived
//! from a seed text, so the same seed always gives the same name and two sandboxes agree.

use serde_json::Value;

use crate::checksum::Fnv1a;

/// The URL-safe alphabet the real message ids are written in.
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `rounds` 64-bit hashes of `seed`, each salted with its round number.
fn hashes(seed: &str, rounds: usize) -> impl Iterator<Item = u64> + '_ {
    (0..rounds).map(move |round| {
        mix(Fnv1a::hash(
            format!("chatrace-sandbox/{seed}/{round}").as_bytes(),
        ))
    })
}

/// The SplitMix64 finalizer: spreads every input bit over the output, so that seeds that
/// differ in one character give names that look unrelated (FNV-1a alone does not).
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// `4 * rounds` 16-hex-digit words of `seed`'s hashes, concatenated.
pub(crate) fn hex(seed: &str, rounds: usize) -> String {
    hashes(seed, rounds).map(|h| format!("{h:016x}")).collect()
}

/// A message id like the real server's Messenger ids: `m_` and 43 URL-safe characters.
pub(crate) fn message_id(seed: &str) -> String {
    let mut id = String::from("m_");
    for hash in hashes(seed, 5) {
        // 9 characters of 6 bits each per hash: 45, of which 43 are kept.
        for shift in 0..9 {
            let index = (hash >> (shift * 6)) & 63;
            id.push(char::from(URL_SAFE[index as usize]));
        }
    }
    id.truncate(45);
    id
}

/// The key of a contact's conversation on the realtime socket: 64 hex digits.
pub(crate) fn conversation_hash(account_id: u64, contact_id: &str) -> String {
    hex(&format!("hash/{account_id}/{contact_id}"), 4)
}

/// An id as the socket (and a state change pushed to it) writes it: a number when its text is one, else the text.
pub(crate) fn id_json(text: &str) -> Value {
    if let Ok(number) = text.parse::<u64>() {
        return Value::from(number);
    }
    match text.parse::<i64>() {
        Ok(number) => Value::from(number),
        Err(_) => Value::String(text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_stable_and_shaped_like_the_real_ones() {
        let id = message_id("1234567/100000000001/0");
        assert_eq!(id, message_id("1234567/100000000001/0"));
        assert_ne!(id, message_id("1234567/100000000001/1"));
        assert!(id.starts_with("m_"));
        assert_eq!(id.len(), 45);
        assert!(id[2..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        let hash = conversation_hash(1_234_567, "12345");
        assert_eq!(hash.len(), 64);
        assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(hash, conversation_hash(1_234_568, "12345"));
        assert_eq!(hex("x", 2).len(), 32);
    }

    #[test]
    fn ids_are_numbers_when_they_are_numbers() {
        assert_eq!(id_json("100000000001"), json!(100000000001u64));
        assert_eq!(id_json("-1"), json!(-1));
        assert_eq!(id_json("m_x"), json!("m_x"));
    }
}
