//! Sorting by counting for the million-row passes: the entries by minute
//! (decide) and by staff member (overlap check). A comparison sort of a
//! million keys was the largest single cost of those passes (profiled);
//! counting places each key with two reads and one write, and leaves only
//! small buckets to compare.

use rayon::prelude::*;

/// Stable counting sort: `items` by `bucket(item)`, every bucket below
/// `buckets`; items of one bucket keep their order. Returns the sorted
/// items and where each bucket starts (`buckets + 1` offsets).
///
/// The threads each scatter the items of their share of the buckets, so
/// each writes only its own part of the result (no shared writes).
pub fn by_bucket<T: Copy + Send + Sync>(
    items: &[T],
    buckets: usize,
    bucket: impl Fn(&T) -> usize + Sync,
) -> (Vec<T>, Vec<u32>) {
    assert!(u32::try_from(items.len()).is_ok(), "at most 2^32 - 1 items");
    let Some(&first) = items.first() else {
        return (Vec::new(), vec![0; buckets + 1]);
    };
    let parts = rayon::current_num_threads().max(1);
    let per = items.len().div_ceil(parts);
    let counts = items
        .par_chunks(per)
        .map(|c| {
            let mut n = vec![0u32; buckets];
            for it in c {
                n[bucket(it)] += 1;
            }
            n
        })
        .reduce_with(|mut a, b| {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
            a
        })
        .unwrap_or_default();
    let mut starts = Vec::with_capacity(buckets + 1);
    let mut at = 0u32;
    starts.push(0);
    for n in counts {
        at += n;
        starts.push(at);
    }
    // Bucket ranges of about equal numbers of items, one per thread.
    let mut cuts = vec![0usize];
    for p in 1..parts {
        let want = (items.len() * p / parts) as u32;
        let b = starts.partition_point(|&s| s < want).min(buckets);
        cuts.push(b.max(*cuts.last().unwrap_or(&0)));
    }
    cuts.push(buckets);
    let mut out = vec![first; items.len()];
    let mut pieces = Vec::with_capacity(parts);
    let mut rest = out.as_mut_slice();
    for w in cuts.windows(2) {
        let len = (starts[w[1]] - starts[w[0]]) as usize;
        let (piece, tail) = rest.split_at_mut(len);
        pieces.push((w[0]..w[1], piece));
        rest = tail;
    }
    pieces.into_par_iter().for_each(|(range, piece)| {
        let base = starts[range.start];
        let mut next: Vec<u32> = starts[range.clone()].iter().map(|s| s - base).collect();
        for it in items {
            let b = bucket(it);
            if range.contains(&b) {
                let k = &mut next[b - range.start];
                piece[*k as usize] = *it;
                *k += 1;
            }
        }
    });
    (out, starts)
}

/// The buckets of a result of `by_bucket`, each to be worked on alone.
pub fn buckets_mut<'a, T>(sorted: &'a mut [T], starts: &[u32]) -> Vec<&'a mut [T]> {
    let mut pieces = Vec::with_capacity(starts.len());
    let mut rest = sorted;
    for w in starts.windows(2) {
        let (piece, tail) = rest.split_at_mut((w[1] - w[0]) as usize);
        pieces.push(piece);
        rest = tail;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn by_bucket_is_a_stable_sort(items in proptest::collection::vec((0usize..40, any::<u32>()), 0..400)) {
            let (got, starts) = by_bucket(&items, 40, |it| it.0);
            let mut want = items.clone();
            want.sort_by_key(|it| it.0);
            prop_assert_eq!(&got, &want);
            prop_assert_eq!(starts.len(), 41);
            for b in 0..40 {
                let (s, e) = (starts[b] as usize, starts[b + 1] as usize);
                prop_assert!(got[s..e].iter().all(|it| it.0 == b));
            }
        }
    }

    #[test]
    fn empty_and_one_bucket() {
        let (v, s) = by_bucket::<u8>(&[], 3, |_| 0);
        assert!(v.is_empty());
        assert_eq!(s, vec![0, 0, 0, 0]);
        let (v, s) = by_bucket(&[5u8, 3, 4], 1, |_| 0);
        assert_eq!(v, vec![5, 3, 4]);
        assert_eq!(s, vec![0, 3]);
    }
}
