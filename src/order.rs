//! Sorting a million keys that fall into few known buckets (days, staff
//! numbers, hash prefixes): one counting pass places every key in its
//! bucket, then the buckets are sorted on their own, in parallel. Each
//! bucket fits in a core's cache, where one sort of the whole million
//! would reach into memory on every level of its recursion.

use rayon::prelude::*;
use std::cmp::Ordering;

/// The items `item(0..n)` ordered by `bucket(i)` (each below `buckets`),
/// then by `within`. Items are made straight into their place, so only
/// one array of them is ever held.
pub fn by_buckets<T: Copy + Default + Send>(
    n: usize,
    buckets: usize,
    bucket: impl Fn(usize) -> usize,
    item: impl Fn(usize) -> T,
    within: impl Fn(&T, &T) -> Ordering + Sync,
) -> Vec<T> {
    let mut start = vec![0usize; buckets + 1];
    for i in 0..n {
        start[bucket(i) + 1] += 1;
    }
    for b in 0..buckets {
        start[b + 1] += start[b];
    }
    let mut next = start.clone();
    let mut out = vec![T::default(); n];
    for i in 0..n {
        let b = bucket(i);
        out[next[b]] = item(i);
        next[b] += 1;
    }
    let mut slices = Vec::new();
    let mut rest = &mut out[..];
    for w in start.windows(2) {
        let (slice, tail) = rest.split_at_mut(w[1] - w[0]);
        if slice.len() > 1 {
            slices.push(slice);
        }
        rest = tail;
    }
    slices
        .into_par_iter()
        .for_each(|s| s.sort_unstable_by(&within));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn equals_one_sort(items in prop::collection::vec((0u8..20, any::<u16>()), 0..400)) {
            let sorted = by_buckets(
                items.len(),
                20,
                |i| items[i].0 as usize,
                |i| items[i],
                |a, b| a.1.cmp(&b.1),
            );
            let mut expected = items;
            expected.sort_unstable();
            prop_assert_eq!(sorted, expected);
        }
    }
}
