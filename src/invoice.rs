//! Parts -> what a run bills and shows (SPEC 6, 7).

use crate::decide::{Outcome, Part};
use crate::model::Dataset;
use crate::period::Period;

/// The rows of `charges.csv` for a period (SPEC 7): every part of an entry
/// dated in the period, plus the billable work and travel rows of earlier
/// entries that are not yet on an issued invoice (`billed` says which are).
pub fn charges_of_period<'p>(
    ds: &Dataset,
    parts: &'p [Part],
    period: Period,
    billed: impl Fn(&Part) -> bool,
) -> Vec<&'p Part> {
    let first = period.first_day();
    parts
        .iter()
        .filter(|p| {
            let d = ds.entries[p.entry].date;
            period.contains(d) || (d < first && p.outcome == Outcome::Billable && !billed(p))
        })
        .collect()
}
