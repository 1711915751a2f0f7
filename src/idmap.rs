//! A map from id texts to values for the time log's million lookups (its
//! customer, approval, project and staff references). Ids of up to 23 bytes,
//! which is every id and most names, are kept inside the table as three
//! words: a lookup hashes and compares integers and touches one bucket,
//! where a map of `&str` would follow a pointer to each candidate's text
//! and call `memcmp` (both showed in the profile of the draft run).

use rustc_hash::FxHashMap;

/// An id of up to 23 bytes with its length in the last byte.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Short([u64; 3]);

const SHORT: usize = 23;

impl Short {
    fn of(id: &str) -> Option<Short> {
        let b = id.as_bytes();
        if b.len() > SHORT {
            return None;
        }
        let mut bytes = [0u8; 24];
        bytes[..b.len()].copy_from_slice(b);
        bytes[SHORT] = b.len() as u8;
        let word =
            |i: usize| u64::from_le_bytes(bytes[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
        Some(Short([word(0), word(1), word(2)]))
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
