//! The cost decision scheme (RULES 4): every entry of the time log becomes one
//! or more parts, each with the rules that decided it (K1..K8, then A1..A3
//! for chargeable work) and, where chargeable, its price (RULES 5). Contract
//! hours and approval budgets are consumed in (date, start, entry_id) order.
//! Pure: the same data set in any row order gives the same parts.

use crate::model::*;
use crate::price;
use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use std::fmt;
use std::sync::Arc;

/// Who pays, by the first rule that matches (RULES 4).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum K {
    /// K1: entry has a project_id -> project effort, never billed by the hour (P6).
    K1,
    /// K2: third_party, diagnosis or referral -> referral, free (P3).
    K2,
    /// K3: third_party, fix or support -> chargeable (P4a, P4b).
    K3,
    /// K4: tampering, any activity -> chargeable (P4c).
    K4,
    /// K5: ours, active contract covers the channel, monthly hours left -> covered (P2).
    K5,
    /// K6: ours, active contract, channel not covered -> chargeable (P1).
    K6,
    /// K7: ours, covering contract, monthly hours used up -> chargeable overage (P1).
    K7,
    /// K8: ours, no active contract -> chargeable on demand (P5).
    K8,
}

/// Whether chargeable work has the customer's prior consent (RULES 4).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum A {
    /// A1: a valid approval with hours left -> billable.
    A1,
    /// A2: no approval, granted after the work, expired, or another ticket -> held.
    A2,
    /// A3: the approval's max_hours used up -> held (over-budget) beyond it.
    A3,
}

impl K {
    pub fn id(self) -> &'static str {
        match self {
            K::K1 => "K1",
            K::K2 => "K2",
            K::K3 => "K3",
            K::K4 => "K4",
            K::K5 => "K5",
            K::K6 => "K6",
            K::K7 => "K7",
            K::K8 => "K8",
        }
    }
}

impl A {
    pub fn id(self) -> &'static str {
        match self {
            A::A1 => "A1",
            A::A2 => "A2",
            A::A3 => "A3",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Rule {
    Decided(K, Option<A>),
    /// F12: the call-out fee of a day with billable on-site work.
    Travel,
}

impl fmt::Display for Rule {
    /// F11: ids joined by `;`, e.g. `K7;A1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Travel => f.write_str("travel"),
            Rule::Decided(k, a) => {
                f.write_str(k.id())?;
                if let Some(a) = a {
                    write!(f, ";{}", a.id())?;
                }
                Ok(())
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Outcome {
    Covered,
    Referral,
    Project,
    Billable,
    Held,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Covered => "covered",
            Outcome::Referral => "referral",
            Outcome::Project => "project",
            Outcome::Billable => "billable",
            Outcome::Held => "held",
        }
    }
}

/// Why chargeable work is held (A2 reasons in F9 order, then A3).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum HeldReason {
    NoApproval,
    ApprovedAfterWork,
    ApprovalExpired,
    TicketMismatch,
    OverBudget,
}

impl HeldReason {
    pub fn as_str(self) -> &'static str {
        match self {
            HeldReason::NoApproval => "no-approval",
            HeldReason::ApprovedAfterWork => "approved-after-work",
            HeldReason::ApprovalExpired => "approval-expired",
            HeldReason::TicketMismatch => "ticket-mismatch",
            HeldReason::OverBudget => "over-budget",
        }
    }
}

/// The price of a chargeable part, with the rows it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Priced {
    pub rate_code: Arc<str>,
    pub price: Decimal,
    /// The rate card row used: its line and valid_from.
    pub rate_line: u64,
    pub rate_valid_from: NaiveDate,
    pub surcharge_percent: Decimal,
    /// The surcharge row used (code, line), if any.
    pub surcharge: Option<(Arc<str>, u64)>,
    pub discount_percent: Decimal,
    pub unit_price: Decimal,
}

/// One decided piece of an entry (or its travel line).
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    /// Index of the entry in `Dataset::entries`.
    pub entry: usize,
    /// Counts from 1 within the entry (RULES 7).
    pub part: u32,
    pub rule: Rule,
    pub outcome: Outcome,
    pub reason: Option<HeldReason>,
    /// Raw minutes; none on travel rows.
    pub minutes: Minutes,
    /// On billable work rows only.
    pub billed_minutes: Minutes,
    /// Shared by every part priced alike (same rate row, surcharge row and
    /// discount): a million parts need only a few thousand of these.
    pub priced: Option<Arc<Priced>>,
    /// Contract minutes of the month used before this entry (K5/K7 rows).
    pub quota_used_before: Minutes,
    /// Approval minutes used before this part (chargeable rows with a valid approval).
    pub budget_used_before: Minutes,
}

/// An optional count of minutes in 4 bytes where `Option<u32>` takes 8:
/// a part holds four, a large month a million parts (40 bytes a part
/// instead of 56). `get` gives the `Option`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Minutes(u32);

impl Minutes {
    pub const NONE: Minutes = Minutes(u32::MAX);
    pub fn some(m: u32) -> Minutes {
        // Minutes of one month of work are far below 2^32 - 1.
        debug_assert!(m != u32::MAX);
        Minutes(m)
    }
    pub fn get(self) -> Option<u32> {
        (self.0 != u32::MAX).then_some(self.0)
    }
}

impl From<Option<u32>> for Minutes {
    fn from(m: Option<u32>) -> Minutes {
        m.map_or(Minutes::NONE, Minutes::some)
    }
}

impl std::fmt::Debug for Minutes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl Part {
    /// On billable rows only: what is invoiced (RULES 5: `amount =
    /// round2(unit_price * billed_minutes / 60)`; a travel line is its unit
    /// price). Computed, not stored: it follows from the fields.
    pub fn amount(&self) -> Option<Decimal> {
        let pr = self.priced.as_ref()?;
        match (self.rule, self.outcome, self.billed_minutes.get()) {
            (Rule::Travel, _, _) => Some(pr.unit_price),
            (_, Outcome::Billable, Some(b)) => Some(price::amount(pr.unit_price, b)),
            _ => None,
        }
    }
    /// F9: the entry's approval, shown on chargeable and travel rows.
    pub fn approval<'d>(&self, ds: &'d Dataset) -> Option<&'d ApprovalId> {
        self.approval_no(ds).map(|a| &ds.approvals[a].id)
    }
    /// `approval` as an index into `Dataset::approvals`.
    pub fn approval_no(&self, ds: &Dataset) -> Option<usize> {
        self.priced
            .as_ref()
            .and_then(|_| ds.entries[self.entry].approval_no())
    }
}

/// The entries' indices in (date, start, entry_id) order (RULES 4), each
/// with its lane: the customer's number modulo `lanes`.
fn chronological(ds: &Dataset, lanes: usize) -> Vec<(u32, u32)> {
    // The first eight bytes of the id, big-endian, order like the id
    // itself as far as they go.
    let prefix = |id: &str| {
        let mut b = [0u8; 8];
        let n = id.len().min(8);
        b[..n].copy_from_slice(&id.as_bytes()[..n]);
        u64::from_be_bytes(b)
    };
    // (minute, id prefix, index, lane): the lane rides in what would be
    // padding.
    let keys: Vec<(u64, u64, u32, u32)> = ds
        .entries
        .par_iter()
        .enumerate()
        .map(|(i, e)| {
            (
                e.start_minute(),
                prefix(e.id()),
                i as u32,
                (e.customer as usize % lanes) as u32,
            )
        })
        .collect();
    let (lo, hi) = keys
        .par_iter()
        .fold(|| (u64::MAX, 0), |(l, h), k| (l.min(k.0), h.max(k.0)))
        .reduce(|| (u64::MAX, 0), |a, b| (a.0.min(b.0), a.1.max(b.1)));
    // Minutes by counting where their span is not much larger than the
    // number of entries (a month or a year of them), else by comparison.
    let span = hi.saturating_sub(lo) as usize + 1;
    let mut order = if span <= keys.len().saturating_mul(4).max(1 << 16) {
        let sorted = crate::order::by_bucket(&keys, span, |k| (k.0 - lo) as usize).0;
        drop(keys);
        sorted
    } else {
        let mut keys = keys;
        keys.par_sort_unstable_by_key(|k| k.0);
        keys
    };
    // Within a minute by id: by its prefix, and where prefixes agree by the
    // whole id.
    order
        .par_chunk_by_mut(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
        .for_each(|run| {
            run.sort_unstable_by(|a, b| {
                a.1.cmp(&b.1).then_with(|| {
                    ds.entries[a.2 as usize]
                        .id()
                        .cmp(ds.entries[b.2 as usize].id())
                })
            })
        });
    order
        .into_par_iter()
        .map(|(_, _, i, lane)| (i, lane))
        .collect()
}

/// Decides and prices every entry. Parts come back in (date, start,
/// entry_id, part) order: the entries are passed in that order, so that
/// contract hours and approval budgets are consumed chronologically and
/// nothing needs sorting afterwards. Customers are independent (contracts
/// and approvals belong to one), so each thread passes over the entries of
/// its share of the customers (its lane), window by window, and each
/// window's parts are put back in order; the result is that of one pass.
pub fn decide(ds: &Dataset) -> Vec<Part> {
    let lanes = rayon::current_num_threads().clamp(1, 64);
    let order = chronological(ds, lanes);
    let mut passes: Vec<Pass> = (0..lanes).map(|_| Pass::new(ds)).collect();
    let mut parts = Vec::with_capacity(order.len() + order.len() / 4);
    // Every entry has at least one part.
    crate::model::touch_pages(&mut parts, order.len());
    const WINDOW: usize = 1 << 16;
    const AHEAD: usize = 24;
    for window in order.chunks(WINDOW) {
        // Each lane's parts of the window in order, with the number of
        // parts of each of its entries.
        let lanes_out: Vec<(Vec<Part>, Vec<u8>)> = passes
            .par_iter_mut()
            .enumerate()
            .map(|(lane, pass)| {
                let (mut out, mut counts) = (Vec::new(), Vec::new());
                let mine: Vec<u32> = window
                    .iter()
                    .filter(|(_, l)| *l as usize == lane)
                    .map(|&(i, _)| i)
                    .collect();
                for (k, &i) in mine.iter().enumerate() {
                    // The file's order is not the date's: without a hint
                    // the pass waits for every entry (profiled).
                    if let Some(&next) = mine.get(k + AHEAD) {
                        ds.prefetch_entry(next as usize);
                    }
                    let before = out.len();
                    pass.entry(i as usize, &mut out);
                    counts.push((out.len() - before) as u8);
                }
                (out, counts)
            })
            .collect();
        // Back in window order: each entry's parts from its lane.
        let mut lanes_out: Vec<_> = lanes_out
            .into_iter()
            .map(|(out, counts)| (out.into_iter(), counts.into_iter()))
            .collect();
        for &(_, lane) in window {
            let (out, counts) = &mut lanes_out[lane as usize];
            let n = counts.next().unwrap_or(0);
            parts.extend(out.by_ref().take(usize::from(n)));
        }
    }
    parts
}

/// The rate rows of each channel and of travel, newest last.
struct RateIndex<'d> {
    channel: [&'d [Rate]; 5],
    travel: &'d [Rate],
}

impl<'d> RateIndex<'d> {
    fn new(card: &'d RateCard) -> Self {
        let rows = |code: &str| card.rates.get(code).map_or(&[][..], |v| v.as_slice());
        RateIndex {
            channel: Channel::ALL.map(|c| rows(c.as_str())),
            travel: rows("travel"),
        }
    }
    fn on(rows: &'d [Rate], date: NaiveDate) -> Option<&'d Rate> {
        rows.iter().rev().find(|r| r.valid_from <= date)
    }
}

/// The state of the chronological pass.
struct Pass<'d> {
    ds: &'d Dataset,
    /// Per contract: the month (year * 12 + month) being consumed and the
    /// minutes used in it (F5: one pool per calendar month).
    quota: Vec<Option<(i32, u32)>>,
    /// Per approval: billed minutes used so far (F10, across months).
    budget: Vec<u32>,
    /// Per customer: the last day that got a travel line (F12).
    travel_day: Vec<Option<NaiveDate>>,
    /// Prices shared by parts priced alike, by (rate row, surcharge row, discount).
    /// (The rows by address: they live as long as the data set.)
    priced: FxHashMap<(usize, usize, Decimal), Arc<Priced>>,
    rates: RateIndex<'d>,
    /// The surcharge rows of the day being decided (days come in order).
    day: Option<(NaiveDate, Vec<&'d Surcharge>)>,
}

/// A chargeable piece before consent: its K rule and raw minutes.
struct Chargeable {
    k: K,
    minutes: u32,
}

impl<'d> Pass<'d> {
    fn new(ds: &'d Dataset) -> Self {
        Pass {
            ds,
            quota: vec![None; ds.contracts.len()],
            budget: vec![0; ds.approvals.len()],
            travel_day: vec![None; ds.customer_ids.len()],
            priced: FxHashMap::default(),
            rates: RateIndex::new(&ds.rate_card),
            day: None,
        }
    }

    fn entry(&mut self, i: usize, parts: &mut Vec<Part>) {
        let ds = self.ds;
        let e = &ds.entries[i];
        let first = parts.len();
        let contract = ds.contract_index_of(e);
        self.decide_entry(i, e, contract, parts);
        // F12: the first entry of each day with a billable on-site part
        // gets the travel line, right after its own parts.
        let onsite_billable = e.channel == Some(Channel::Onsite)
            && parts[first..]
                .iter()
                .any(|p| p.outcome == Outcome::Billable);
        let day = &mut self.travel_day[e.customer as usize];
        if !onsite_billable || *day == Some(e.date) {
            return;
        }
        *day = Some(e.date);
        let Some(rate) = RateIndex::on(self.rates.travel, e.date) else {
            return; // validation guarantees a travel rate for on-site entries
        };
        let discount = contract.map_or(Decimal::ZERO, |c| ds.contracts[c].discount_percent);
        let priced = self
            .priced
            .entry((rate as *const Rate as usize, 0, discount))
            .or_insert_with(|| {
                Arc::new(Priced {
                    rate_code: rate.code.clone(),
                    price: rate.price,
                    rate_line: rate.line,
                    rate_valid_from: rate.valid_from,
                    surcharge_percent: Decimal::ZERO,
                    surcharge: None,
                    discount_percent: discount,
                    unit_price: price::travel_price(rate.price, discount),
                })
            });
        parts.push(Part {
            entry: i,
            part: (parts.len() - first) as u32 + 1,
            rule: Rule::Travel,
            outcome: Outcome::Billable,
            reason: None,
            minutes: Minutes::NONE,
            billed_minutes: Minutes::NONE,
            priced: Some(priced.clone()),
            quota_used_before: Minutes::NONE,
            budget_used_before: Minutes::NONE,
        });
    }

    fn decide_entry(
        &mut self,
        i: usize,
        e: &'d Entry,
        contract: Option<usize>,
        parts: &mut Vec<Part>,
    ) {
        let ds = self.ds;
        let minutes = e.minutes();
        let free = |k: K, outcome: Outcome, minutes: u32| Part {
            entry: i,
            part: 0,
            rule: Rule::Decided(k, None),
            outcome,
            reason: None,
            minutes: Minutes::some(minutes),
            billed_minutes: Minutes::NONE,
            priced: None,
            quota_used_before: Minutes::NONE,
            budget_used_before: Minutes::NONE,
        };
        let first = parts.len();
        let mut chargeable: Option<Chargeable> = None;
        let mut quota_before = None;

        if e.is_project_work() {
            parts.push(free(K::K1, Outcome::Project, minutes));
        } else {
            // Validation guarantees all three on an entry without project.
            let (Some(channel), Some(resp), Some(act)) = (e.channel, e.responsibility, e.activity)
            else {
                return;
            };
            match resp {
                Responsibility::ThirdParty
                    if matches!(act, Activity::Diagnosis | Activity::Referral) =>
                {
                    parts.push(free(K::K2, Outcome::Referral, minutes));
                }
                Responsibility::ThirdParty => chargeable = Some(Chargeable { k: K::K3, minutes }),
                Responsibility::Tampering => chargeable = Some(Chargeable { k: K::K4, minutes }),
                Responsibility::Ours => match contract {
                    None => chargeable = Some(Chargeable { k: K::K8, minutes }),
                    Some(ci) if !ds.contracts[ci].channels.contains(channel) => {
                        chargeable = Some(Chargeable { k: K::K6, minutes })
                    }
                    Some(ci) => {
                        let c = &ds.contracts[ci];
                        // F5: raw minutes, one pool per contract and calendar
                        // month; months come in order, so a new one starts at 0.
                        let month = chrono::Datelike::year(&e.date) * 12
                            + chrono::Datelike::month(&e.date) as i32;
                        let pool = &mut self.quota[ci];
                        if pool.is_none_or(|(m, _)| m != month) {
                            *pool = Some((month, 0));
                        }
                        let used = &mut pool.as_mut().expect("set above").1;
                        quota_before = Some(*used);
                        let left = c
                            .included_minutes
                            .map_or(u32::MAX, |inc| inc.saturating_sub(*used));
                        let covered = minutes.min(left);
                        if covered > 0 {
                            let mut p = free(K::K5, Outcome::Covered, covered);
                            p.quota_used_before = quota_before.into();
                            parts.push(p);
                            *used += covered;
                        }
                        if minutes > covered {
                            chargeable = Some(Chargeable {
                                k: K::K7,
                                minutes: minutes - covered,
                            });
                        }
                    }
                },
            }
        }

        if let Some(ch) = chargeable {
            self.consent(i, e, contract, ch, quota_before, parts);
        }
        for (n, p) in parts[first..].iter_mut().enumerate() {
            p.part = n as u32 + 1;
        }
    }

    /// A1..A3 for a chargeable piece, priced (RULES 4, 5; F8..F10).
    fn consent(
        &mut self,
        i: usize,
        e: &'d Entry,
        contract: Option<usize>,
        ch: Chargeable,
        quota_before: Option<u32>,
        out: &mut Vec<Part>,
    ) {
        let ds = self.ds;
        // Validation guarantees a rate for the channel on the date.
        let Some(channel) = e.channel else {
            return;
        };
        let Some(rate) = RateIndex::on(self.rates.channel[channel as usize], e.date) else {
            return;
        };
        if self.day.as_ref().is_none_or(|(d, _)| *d != e.date) {
            self.day = Some((e.date, price::surcharges_of_day(&ds.rate_card, e.date)));
        }
        let day_rows = self
            .day
            .as_ref()
            .map_or(&[][..], |(_, rows)| rows.as_slice());
        let surcharge = price::surcharge_at(day_rows, e.start);
        let discount = contract.map_or(Decimal::ZERO, |c| ds.contracts[c].discount_percent);
        let key = (
            rate as *const Rate as usize,
            surcharge.map_or(0, |s| s as *const Surcharge as usize),
            discount,
        );
        let priced = self.priced.entry(key).or_insert_with(|| {
            let surcharge_percent = surcharge.map_or(Decimal::ZERO, |s| s.percent);
            Arc::new(Priced {
                rate_code: rate.code.clone(),
                price: rate.price,
                rate_line: rate.line,
                rate_valid_from: rate.valid_from,
                surcharge_percent,
                surcharge: surcharge.map(|s| (s.code.clone(), s.line)),
                discount_percent: discount,
                unit_price: price::unit_price(rate.price, surcharge_percent, discount),
            })
        });
        // (Borrowed, not cloned: each part's clone is the only count.)
        let priced: &Arc<Priced> = priced;
        let part = |a: A,
                    outcome,
                    reason,
                    minutes: u32,
                    billed: Option<u32>,
                    budget_before: Option<u32>| Part {
            entry: i,
            part: 0,
            rule: Rule::Decided(ch.k, Some(a)),
            outcome,
            reason,
            minutes: Minutes::some(minutes),
            billed_minutes: billed.into(),
            priced: Some(priced.clone()),
            quota_used_before: quota_before.into(),
            budget_used_before: budget_before.into(),
        };
        let approval = e.approval_no().map(|a| (a, &ds.approvals[a]));
        let a2 = match approval {
            None => Some(HeldReason::NoApproval),
            Some((_, ap)) if ap.granted_on > e.date => Some(HeldReason::ApprovedAfterWork),
            Some((_, ap)) if ap.valid_until.is_some_and(|u| u < e.date) => {
                Some(HeldReason::ApprovalExpired)
            }
            Some((_, ap)) if ap.ticket.as_deref().is_some_and(|t| e.ticket() != Some(t)) => {
                Some(HeldReason::TicketMismatch)
            }
            Some(_) => None,
        };
        let (Some((a_no, ap)), None) = (approval, a2) else {
            out.push(part(A::A2, Outcome::Held, a2, ch.minutes, None, None));
            return;
        };
        let billed = price::billed_minutes(ch.minutes, rate);
        let used = &mut self.budget[a_no];
        let before = *used;
        let left = ap
            .max_minutes
            .map_or(u32::MAX, |m| m.saturating_sub(before));
        if billed <= left {
            *used += billed;
            out.push(part(
                A::A1,
                Outcome::Billable,
                None,
                ch.minutes,
                Some(billed),
                Some(before),
            ));
            return;
        }
        // F10: the largest multiple of the increment that fits is billable.
        let inc = rate.increment_minutes.max(1);
        let k = left / inc * inc;
        if k == 0 || k < rate.minimum_minutes {
            out.push(part(
                A::A3,
                Outcome::Held,
                Some(HeldReason::OverBudget),
                ch.minutes,
                None,
                Some(before),
            ));
            return;
        }
        *used += k;
        out.push(part(
            A::A1,
            Outcome::Billable,
            None,
            k,
            Some(k),
            Some(before),
        ));
        out.push(part(
            A::A3,
            Outcome::Held,
            Some(HeldReason::OverBudget),
            ch.minutes - k,
            None,
            Some(before + k),
        ));
    }
}
