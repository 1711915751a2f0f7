//! A map from id texts to values for the time log's million lookups (its
//! customer, approval, project and staff references). Ids of up to 23 bytes,
//! which is every id and most names, are kept inside the table as three
//! words: a lookup hashes and compares integers and touches one bucket,
//! where a map of `&str` would follow a pointer to each candidate's text
//! and call `memcmp` (both showed in the profile of the draft run).

use rustc_hash::FxHashMap;

/// An id of up to 23 bytes with its length in the last byte.
#[derive(Clone, Copy, Eq)]
struct Short([u64; 3]);

const SHORT: usize = 23;

// Word by word, so that hashing and comparing stay in registers: the
// derived ones hash the words as 24 bytes and compare them as a 16-byte
// and an 8-byte load from the stack, which waited for the key's three
// 8-byte stores (profiled: most of a lookup).
impl PartialEq for Short {
    #[inline]
    fn eq(&self, o: &Short) -> bool {
        let (a, b) = (self.0, o.0);
        ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2])) == 0
    }
}

impl std::hash::Hash for Short {
    #[inline]
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        for w in self.0 {
            h.write_u64(w);
        }
    }
}

impl Short {
    /// Built in registers: going through a byte array on the stack made
    /// every lookup wait for its stores to reach the loads (profiled).
    #[inline]
    fn of(id: &str) -> Option<Short> {
        let b = id.as_bytes();
        let n = b.len();
        if n > SHORT {
            return None;
        }
        let word = |from: usize| match b.get(from..from + 8) {
            Some(w) => u64::from_le_bytes(w.try_into().expect("8 bytes")),
            None => tail_word(b.get(from..).unwrap_or(&[])),
        };
        Some(Short([word(0), word(8), word(16) | (n as u64) << 56]))
    }
}

/// Up to seven bytes as a little-endian word, from overlapping loads.
#[inline]
fn tail_word(b: &[u8]) -> u64 {
    let n = b.len();
    let u32_at = |i: usize| u64::from(u32::from_le_bytes(b[i..i + 4].try_into().expect("4 bytes")));
    match n {
        0 => 0,
        1..=3 => {
            u64::from(b[0])
                | u64::from(b[n / 2]) << (n / 2 * 8)
                | u64::from(b[n - 1]) << ((n - 1) * 8)
        }
        _ => u32_at(0) | u32_at(n - 4) << ((n - 4) * 8),
    }
}

#[derive(Clone)]
pub struct IdMap<V> {
    short: FxHashMap<Short, V>,
    long: FxHashMap<Box<str>, V>,
}

impl<V> Default for IdMap<V> {
    fn default() -> Self {
        IdMap {
            short: FxHashMap::default(),
            long: FxHashMap::default(),
        }
    }
}

impl<V: Copy> IdMap<V> {
    #[inline]
    pub fn get(&self, id: &str) -> Option<V> {
        match Short::of(id) {
            Some(k) => self.short.get(&k).copied(),
            None => self.long.get(id).copied(),
        }
    }

    /// Keeps the first value of an id, as `HashMap::entry().or_insert` would.
    pub fn insert_first(&mut self, id: &str, v: V) -> V {
        match Short::of(id) {
            Some(k) => *self.short.entry(k).or_insert(v),
            None => *self.long.entry(Box::from(id)).or_insert(v),
        }
    }
}

impl<'a, V: Copy> FromIterator<(&'a str, V)> for IdMap<V> {
    /// A later pair of the same id replaces the earlier, as `collect` into
    /// a `HashMap` does.
    fn from_iter<I: IntoIterator<Item = (&'a str, V)>>(pairs: I) -> Self {
        let mut map = IdMap::default();
        for (id, v) in pairs {
            match Short::of(id) {
                Some(k) => map.short.insert(k, v),
                None => map.long.insert(Box::from(id), v),
            };
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn short_keys_are_the_bytes_and_the_length(id in "\\PC{0,12}") {
            let mut bytes = [0u8; 24];
            if let Some(k) = Short::of(&id) {
                bytes[..id.len()].copy_from_slice(id.as_bytes());
                bytes[SHORT] = id.len() as u8;
                let w = |i: usize| u64::from_le_bytes(bytes[i * 8..i * 8 + 8].try_into().unwrap());
                prop_assert!(k == Short([w(0), w(1), w(2)]));
            } else {
                prop_assert!(id.len() > SHORT);
            }
        }
    }

    #[test]
    fn short_and_long_ids_are_found_and_distinct() {
        let long = "a-name-of-twenty-four-b";
        assert_eq!(long.len(), SHORT);
        let ids = [
            "",
            "K-1",
            "K-1\0",
            "K-10",
            long,
            "a-name-of-twenty-four-by",
            "Jürgen Weiß",
        ];
        let map: IdMap<usize> = ids.iter().enumerate().map(|(i, s)| (*s, i)).collect();
        for (i, s) in ids.iter().enumerate() {
            assert_eq!(map.get(s), Some(i), "{s:?}");
        }
        assert_eq!(map.get("K-2"), None);
        assert_eq!(map.get("a-name-of-twenty-four-bz"), None);
        let mut m = IdMap::default();
        assert_eq!(m.insert_first("x", 1), 1);
        assert_eq!(m.insert_first("x", 2), 1);
        assert_eq!(m.insert_first(&"y".repeat(40), 3), 3);
        assert_eq!(m.insert_first(&"y".repeat(40), 4), 3);
    }
}
