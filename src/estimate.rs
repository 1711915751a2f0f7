//! The estimate of planned work (RULES 11, E1..E5): what `run` will bill for
//! each item of a plan once it is logged with an approval. There is no
//! second set of rules here: the items become time entries (no staff) that
//! name a covering approval of their customer (granted before, no ticket,
//! no budget), and are decided by `decide::decide` *together with the time
//! log* as one log, so contract hours, travel (F12), surcharges, discounts
//! and rounding are the run's own. Only the items' parts are reported, per
//! customer with VAT (F15), the proposed approval of the reply slip (E4)
//! and the existing approvals that would already cover an item (E5).
//! Pure: the data set, the items and the notice's date in, values out.

use crate::decide::{self, Outcome, Part, Rule};
use crate::invoice::{tax_of, TaxNote};
use crate::model::*;
use crate::plan::Item;
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// The estimate of a whole plan.
pub struct Estimate {
    /// The data set with the items appended as entries `first_item..`;
    /// after deciding they name no approval (E2: `approval_id` empty).
    pub ds: Dataset,
    pub first_item: usize,
    /// The items' own parts, in `decide`'s (date, start, entry_id, part) order.
    pub parts: Vec<Part>,
    /// The notice's date and the last day it stands (E3).
    pub date: NaiveDate,
    pub valid_until: NaiveDate,
    /// One per customer of the plan, by customer id.
    pub notices: Vec<Notice>,
}

/// What one customer is told (E3).
pub struct Notice {
    pub customer: CustomerId,
    /// Indices into `Estimate::parts`, in order.
    pub parts: Vec<usize>,
    pub net: Decimal,
    pub vat_rate: Decimal,
    pub vat: Decimal,
    pub gross: Decimal,
    pub tax_note: TaxNote,
    /// The approval to sign; `None` when every item is free.
    pub proposal: Option<Proposal>,
    /// E5: approvals already granted that would cover an item.
    pub existing: Vec<Existing>,
}

/// The proposed approval of the reply slip (E3, E4): a row of
/// `approvals.csv` with `granted_on` left for the clerk.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    pub id: ApprovalId,
    pub kind: ApprovalKind,
    pub ticket: Option<String>,
    /// The items' billed chargeable minutes / 60, rounded up to two
    /// decimals and to whole minutes (approvals.csv takes whole minutes).
    pub max_hours: Decimal,
    pub valid_until: NaiveDate,
    /// The billed chargeable minutes the approval has to cover.
    pub billed_minutes: u32,
}

/// A chargeable item dated before the notice: an approval signed on the
/// notice's date or later would not cover it (A2 `approved-after-work`).
pub fn dated_before_notice(est: &Estimate) -> Vec<&Entry> {
    let mut out: Vec<&Entry> = est
        .parts
        .iter()
        .filter(|p| is_chargeable_work(p))
        .map(|p| est.entry_of(p))
        .filter(|e| e.date < est.date)
        .collect();
    out.dedup_by_key(|e| e.id());
    out
}

/// An approval on file that would already cover an item (E5).
#[derive(Clone, Debug, PartialEq)]
pub struct Existing {
    pub approval: ApprovalId,
    pub kind: ApprovalKind,
    /// Hours left (`None`: no limit), after every logged entry that used it.
    pub hours_left: Option<Decimal>,
    /// The items it would cover.
    pub items: Vec<String>,
}

impl Estimate {
    /// The item (entry) a part belongs to.
    pub fn entry_of(&self, p: &Part) -> &Entry {
        &self.ds.entries[p.entry]
    }
    /// The parts of one notice.
    pub fn parts_of<'e>(&'e self, n: &'e Notice) -> impl Iterator<Item = &'e Part> + 'e {
        n.parts.iter().map(|&i| &self.parts[i])
    }
}

/// Chargeable work (not travel): what an approval's hours must cover.
pub fn is_chargeable_work(p: &Part) -> bool {
    p.outcome == Outcome::Billable && p.rule != Rule::Travel
}

/// E1..E5 for `items` (checked by `plan::read`) against `ds`; `date` is the
/// notice's date (default: the earliest item date).
pub fn estimate(ds: &Dataset, items: &[Item], date: Option<NaiveDate>) -> Estimate {
    let date = date
        .or_else(|| items.iter().map(|i| i.date).min())
        .unwrap_or_default();
    let valid_until = date + Days::new(u64::from(ds.company.estimate_valid_days));
    let mut all = ds.clone();
    let first_item = all.entries.len();
    let logged_approvals = all.approvals.len();
    // No staff: one nameless member stands for the plan.
    let staff = all.staff.len() as RowNo;
    all.staff.push(Arc::from(""));
    let customer_no = |c: &CustomerId| {
        ds.customer_ids
            .binary_search(c)
            .expect("plan::read checked the customer") as RowNo
    };
    // E1: per customer one covering approval: granted before every item,
    // no end, no ticket, no budget, so that every chargeable part is A1.
    let earliest = items.iter().map(|i| i.date).min().unwrap_or(date);
    let mut covering: BTreeMap<CustomerId, RowNo> = BTreeMap::new();
    for it in items {
        covering.entry(it.customer.clone()).or_insert_with(|| {
            all.approvals.push(Approval {
                id: ApprovalId::new(&format!("(estimate {})", it.customer)),
                customer: it.customer.clone(),
                kind: ApprovalKind::Approval,
                granted_on: earliest,
                valid_until: None,
                ticket: None,
                max_minutes: None,
                line: 0,
            });
            (all.approvals.len() - 1) as RowNo
        });
    }
    let entry = |it: &Item, approval: Option<RowNo>| {
        let ticket = it.ticket.as_deref().unwrap_or("");
        let text = Arc::new(format!("{}{ticket}{}", it.id, it.description));
        Entry::new(
            text,
            0,
            [
                it.id.len() as u32,
                ticket.len() as u32,
                it.description.len() as u32,
            ],
            EntryFields {
                date: it.date,
                start: it.start,
                end: it.end,
                staff,
                customer: customer_no(&it.customer),
                approval,
                project: None,
                line: u32::try_from(it.line).unwrap_or(u32::MAX),
                channel: Some(it.channel),
                responsibility: Some(it.responsibility),
                activity: Some(it.activity),
            },
        )
    };
    all.entries.extend(
        items
            .iter()
            .map(|it| entry(it, Some(covering[&it.customer]))),
    );
    let decided = decide::decide(&all);

    // E5 needs what the logged entries used of each approval.
    let mut used = vec![0u32; logged_approvals];
    for p in &decided {
        if p.entry < first_item && p.rule != Rule::Travel && p.outcome == Outcome::Billable {
            if let Some(a) = all.entries[p.entry].approval_no() {
                used[a] += p.billed_minutes.get().unwrap_or(0);
            }
        }
    }
    let parts: Vec<Part> = decided
        .into_iter()
        .filter(|p| p.entry >= first_item)
        .collect();
    // The items as they are reported: without the covering approval.
    for (k, it) in items.iter().enumerate() {
        all.entries[first_item + k] = entry(it, None);
    }
    all.approvals.truncate(logged_approvals);

    let mut by_customer: BTreeMap<CustomerId, Vec<usize>> = BTreeMap::new();
    for (i, p) in parts.iter().enumerate() {
        let c = all.customer_of(&all.entries[p.entry]).clone();
        by_customer.entry(c).or_default().push(i);
    }
    let taken: HashSet<&str> = ds.approvals.iter().map(|a| a.id.as_str()).collect();
    let mut proposed: HashSet<String> = HashSet::new();
    let notices = by_customer
        .into_iter()
        .map(|(customer, idx)| {
            let cu = &ds.customers[&customer];
            let (vat_rate, tax_note) = tax_of(&ds.company, cu);
            let net: Decimal = idx.iter().filter_map(|&i| parts[i].amount()).sum();
            let vat = crate::money::round2(net * vat_rate / Decimal::ONE_HUNDRED);
            let mine: Vec<&Item> = items.iter().filter(|i| i.customer == customer).collect();
            let charged: Vec<&Part> = idx
                .iter()
                .map(|&i| &parts[i])
                .filter(|p| is_chargeable_work(p))
                .collect();
            let proposal = (!charged.is_empty()).then(|| {
                let billed: u32 = charged.iter().filter_map(|p| p.billed_minutes.get()).sum();
                let charged_items: Vec<&Entry> =
                    charged.iter().map(|p| &all.entries[p.entry]).collect();
                let first_ticket = charged_items[0].ticket();
                let ticket = first_ticket
                    .filter(|t| charged_items.iter().all(|e| e.ticket() == Some(t)))
                    .map(str::to_string);
                let last = charged_items.iter().map(|e| e.date).max().unwrap_or(date);
                let contract = mine.iter().any(|it| {
                    ds.contracts
                        .iter()
                        .any(|c| c.customer == customer && c.active_on(it.date))
                });
                let kind = if contract {
                    ApprovalKind::Approval
                } else {
                    ApprovalKind::Order
                };
                Proposal {
                    id: proposal_id(&date, &customer, &taken, &mut proposed),
                    kind,
                    ticket,
                    max_hours: max_hours(billed),
                    valid_until: last.max(date)
                        + Days::new(u64::from(ds.company.estimate_valid_days)),
                    billed_minutes: billed,
                }
            });
            let existing = existing_cover(ds, &used, &customer, &mine, &parts, &all);
            Notice {
                customer,
                parts: idx,
                net,
                vat_rate,
                vat,
                gross: net + vat,
                tax_note,
                proposal,
                existing,
            }
        })
        .collect();
    Estimate {
        ds: all,
        first_item,
        parts,
        date,
        valid_until,
        notices,
    }
}

/// `EST-<date>-<customer>`, with `-2`, `-3`, ... where that id is an
/// approval already (E4: a proposed id never equals an existing one).
fn proposal_id(
    date: &NaiveDate,
    customer: &CustomerId,
    taken: &HashSet<&str>,
    proposed: &mut HashSet<String>,
) -> ApprovalId {
    let base = format!("EST-{}-{customer}", date.format("%Y%m%d"));
    let mut id = base.clone();
    let mut n = 1;
    while taken.contains(id.as_str()) || proposed.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    proposed.insert(id.clone());
    ApprovalId::new(&id)
}

/// Billed minutes as the `max_hours` of an approval: rounded up to two
/// decimals (E3), and up to a whole number of minutes, which is all that
/// `approvals.csv` takes (multiples of 0.05 h = 3 minutes always are).
pub fn max_hours(billed_minutes: u32) -> Decimal {
    let exact = Decimal::from(billed_minutes) / Decimal::from(60);
    let two = exact.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::AwayFromZero);
    let whole_minutes = (two * Decimal::from(60)).fract().is_zero();
    let mut h = if whole_minutes {
        two
    } else {
        Decimal::from(billed_minutes.div_ceil(3) * 3) / Decimal::from(60)
    };
    h.rescale(2);
    h
}

/// E5: the customer's approvals on file that would cover a chargeable item:
/// granted on or before its date, not expired, for its ticket (or none),
/// with hours left after what logged entries used.
fn existing_cover(
    ds: &Dataset,
    used: &[u32],
    customer: &CustomerId,
    items: &[&Item],
    parts: &[Part],
    all: &Dataset,
) -> Vec<Existing> {
    let chargeable: HashSet<&str> = parts
        .iter()
        .filter(|p| is_chargeable_work(p))
        .map(|p| all.entries[p.entry].id())
        .collect();
    let mut out: Vec<Existing> = Vec::new();
    for (a_no, a) in ds.approvals.iter().enumerate() {
        if &a.customer != customer {
            continue;
        }
        let left = a.max_minutes.map(|m| m.saturating_sub(used[a_no]));
        if left == Some(0) {
            continue;
        }
        let covered: Vec<String> = items
            .iter()
            .filter(|it| chargeable.contains(it.id.as_str()))
            .filter(|it| {
                a.granted_on <= it.date
                    && a.valid_until.is_none_or(|u| it.date <= u)
                    && a.ticket
                        .as_deref()
                        .is_none_or(|t| it.ticket.as_deref() == Some(t))
            })
            .map(|it| it.id.clone())
            .collect();
        if !covered.is_empty() {
            out.push(Existing {
                approval: a.id.clone(),
                kind: a.kind,
                hours_left: left.map(|m| {
                    let mut h = crate::money::round2(Decimal::from(m) / Decimal::from(60));
                    h.rescale(2);
                    h
                }),
                items: covered,
            });
        }
    }
    out
}

/// `approvals-proposed.csv` rows (E4) in the columns of `approvals.csv`.
pub fn proposals(est: &Estimate) -> Vec<(&CustomerId, &Proposal)> {
    est.notices
        .iter()
        .filter_map(|n| n.proposal.as_ref().map(|p| (&n.customer, p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::max_hours;

    /// E3: billed minutes / 60 rounded up to two decimals, and to whole
    /// minutes (what approvals.csv can hold).
    #[test]
    fn e3_max_hours_cover_every_billed_minute() {
        for (minutes, hours) in [
            (15, "0.25"),
            (30, "0.50"),
            (75, "1.25"),
            (60, "1.00"),
            (10, "0.20"), // 0.1667 -> 0.17 h = 10.2 min -> 0.20 h = 12 min
            (20, "0.35"), // 0.3333 -> 0.34 h = 20.4 min -> 0.35 h = 21 min
            (1, "0.05"),
            (2400, "40.00"),
        ] {
            let h = max_hours(minutes);
            assert_eq!(h.to_string(), hours, "{minutes} min");
            let m = h * rust_decimal::Decimal::from(60);
            assert!(m.fract().is_zero() && m >= rust_decimal::Decimal::from(minutes));
        }
    }
}
