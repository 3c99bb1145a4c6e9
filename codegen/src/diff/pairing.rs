//! Pairs the items of an old and a new list: by their key first (a wire name, a name), then,
//! among the old items whose key is gone, by a second likeness (the Rust name, the
//! discriminators), so that a change of the key alone reads as a change, not as a removal
//! and an addition.

/// What one item of the new list is to the old list.
#[derive(Debug, PartialEq)]
pub(super) enum Pair<'a, T> {
    /// An old item has the same key.
    Kept {
        /// The old item.
        old: &'a T,
        /// The new item.
        new: &'a T,
    },
    /// No old item has its key, and one whose key is gone is like it the second way.
    Rekeyed {
        /// The old item.
        old: &'a T,
        /// The new item.
        new: &'a T,
    },
    /// The item is new.
    Added(&'a T),
}

/// The pairs, one per item of the new list in its order, and the old items paired with none,
/// in theirs.
#[derive(Debug, PartialEq)]
pub(super) struct Pairing<'a, T> {
    /// One per item of the new list.
    pub(super) pairs: Vec<Pair<'a, T>>,
    /// The old items no new item took.
    pub(super) removed: Vec<&'a T>,
}

/// Pairs `old` and `new`: `same_key(old, new)` first, then `alike(old, new)` among the old
/// items whose key no new item has (each taken once, the first that fits).
pub(super) fn pair<'a, T>(
    old: &'a [T],
    new: &'a [T],
    same_key: impl Fn(&T, &T) -> bool,
    alike: impl Fn(&T, &T) -> bool,
) -> Pairing<'a, T> {
    let mut removed: Vec<&T> = old
        .iter()
        .filter(|o| !new.iter().any(|n| same_key(o, n)))
        .collect();
    let pairs = new
        .iter()
        .map(|n| {
            if let Some(o) = old.iter().find(|o| same_key(o, n)) {
                return Pair::Kept { old: o, new: n };
            }
            match removed.iter().position(|o| alike(o, n)) {
                Some(i) => Pair::Rekeyed {
                    old: removed.remove(i),
                    new: n,
                },
                None => Pair::Added(n),
            }
        })
        .collect();
    Pairing { pairs, removed }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (key, second likeness)
    type Item = (&'static str, &'static str);

    fn pairing<'a>(old: &'a [Item], new: &'a [Item]) -> Pairing<'a, Item> {
        pair(old, new, |o, n| o.0 == n.0, |o, n| o.1 == n.1)
    }

    #[test]
    fn items_pair_by_key_then_by_likeness() {
        let old = [("a", "x"), ("b", "y"), ("c", "z")];
        let new = [("a", "q"), ("d", "y"), ("e", "w")];
        let result = pairing(&old, &new);
        assert_eq!(
            result.pairs,
            [
                Pair::Kept {
                    old: &old[0],
                    new: &new[0]
                },
                Pair::Rekeyed {
                    old: &old[1],
                    new: &new[1]
                },
                Pair::Added(&new[2]),
            ]
        );
        assert_eq!(result.removed, [&old[2]]);
    }

    #[test]
    fn a_kept_key_is_not_taken_by_likeness() {
        // `b` keeps its key, so it cannot also be the old item of `c`, though they are alike;
        // and an old item is taken by likeness once.
        let old = [("a", "x"), ("b", "y")];
        let new = [("b", "y"), ("c", "y"), ("d", "x"), ("e", "x")];
        let result = pairing(&old, &new);
        assert_eq!(
            result.pairs,
            [
                Pair::Kept {
                    old: &old[1],
                    new: &new[0]
                },
                Pair::Added(&new[1]),
                Pair::Rekeyed {
                    old: &old[0],
                    new: &new[2]
                },
                Pair::Added(&new[3]),
            ]
        );
        assert!(result.removed.is_empty());
    }
}
