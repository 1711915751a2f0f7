//! The cost decision scheme (SPEC 4): every entry of the time log becomes one
//! or more parts, each with the rules that decided it (K1..K8, then A1..A3
//! for chargeable work) and, where chargeable, its price (SPEC 5). Contract
//! hours and approval budgets are consumed in (date, start, entry_id) order.
//! Pure: the same data set in any row order gives the same parts.

use crate::model::*;
use crate::price;
use chrono::NaiveDate;
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// Who pays, by the first rule that matches (SPEC 4).
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

/// Whether chargeable work has the customer's prior consent (SPEC 4).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum A {
    /// A1: a valid approval with hours left -> billable.
    A1,
    /// A2: no approval, granted after the work, expired, or another ticket -> held.
    A2,
    /// A3: the approval's max_hours used up -> held (over-budget) beyond it.
    A3,
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
                write!(f, "{k:?}")?;
                if let Some(a) = a {
                    write!(f, ";{a:?}")?;
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
    /// Counts from 1 within the entry (SPEC 7).
    pub part: u32,
    pub rule: Rule,
    pub outcome: Outcome,
    pub reason: Option<HeldReason>,
    /// Raw minutes; `None` on travel rows.
    pub minutes: Option<u32>,
    /// On billable work rows only.
    pub billed_minutes: Option<u32>,
    pub priced: Option<Priced>,
    /// On billable rows only: what is invoiced.
    pub amount: Option<Decimal>,
    /// F9: shown on chargeable and travel rows where the entry names one.
    pub approval: Option<ApprovalId>,
    /// Contract minutes of the month used before this entry (K5/K7 rows).
    pub quota_used_before: Option<u32>,
    /// Approval minutes used before this part (chargeable rows with a valid approval).
    pub budget_used_before: Option<u32>,
}

/// Decides and prices every entry. Parts come back in (date, start,
/// entry_id, part) order. Customers are independent (contracts and
/// approvals belong to one customer), so they are decided in parallel.
pub fn decide(ds: &Dataset) -> Vec<Part> {
    // One chronological order for everything; ranks make the sorts after it
    // integer-only (many entries share a date and start).
    let n = ds.entries.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.par_sort_unstable_by(|&a, &b| ds.entries[a].order_key().cmp(&ds.entries[b].order_key()));
    let mut rank = vec![0u32; n];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r as u32;
    }
    // Each customer's entries, already in order. Customer ids are shared
    // `Arc`s (validation hands out the one of customers.csv), but the text
    // is the key, so a data set built otherwise groups the same.
    let mut by_customer: HashMap<&str, Vec<usize>> = HashMap::new();
    for &i in &order {
        by_customer
            .entry(ds.entries[i].customer.as_str())
            .or_default()
            .push(i);
    }
    let groups: Vec<Vec<usize>> = by_customer.into_values().collect();
    let mut parts: Vec<Part> = groups
        .into_par_iter()
        .flat_map_iter(|idx| decide_customer(ds, &idx))
        .collect();
    parts.par_sort_unstable_by_key(|p| (rank[p.entry], p.part));
    parts
}

/// The chronological pass over one customer's entries.
fn decide_customer(ds: &Dataset, order: &[usize]) -> Vec<Part> {
    let mut quota_used: HashMap<(usize, i32, u32), u32> = HashMap::new();
    let mut budget_used: HashMap<&ApprovalId, u32> = HashMap::new();
    let mut parts = Vec::with_capacity(order.len());
    // F12: the first entry of each day with a billable on-site part.
    let mut travel_days: Vec<(NaiveDate, usize, u32)> = Vec::new();
    for &i in order {
        let e = &ds.entries[i];
        let first = parts.len();
        decide_entry(ds, i, e, &mut quota_used, &mut budget_used, &mut parts);
        let onsite_billable = e.channel == Some(Channel::Onsite)
            && parts[first..]
                .iter()
                .any(|p| p.outcome == Outcome::Billable);
        if onsite_billable && travel_days.last().is_none_or(|(d, _, _)| *d != e.date) {
            travel_days.push((e.date, i, (parts.len() - first) as u32));
        }
    }
    for (date, i, n) in travel_days {
        let e = &ds.entries[i];
        let Some(rate) = ds.rate_card.rate_on("travel", date) else {
            continue; // validation guarantees a travel rate for on-site entries
        };
        let discount = ds
            .contract_on(&e.customer, date)
            .map_or(Decimal::ZERO, |c| c.discount_percent);
        let unit = price::travel_price(rate.price, discount);
        parts.push(Part {
            entry: i,
            part: n + 1,
            rule: Rule::Travel,
            outcome: Outcome::Billable,
            reason: None,
            minutes: None,
            billed_minutes: None,
            priced: Some(Priced {
                rate_code: rate.code.clone(),
                price: rate.price,
                rate_line: rate.line,
                rate_valid_from: rate.valid_from,
                surcharge_percent: Decimal::ZERO,
                surcharge: None,
                discount_percent: discount,
                unit_price: unit,
            }),
            amount: Some(unit),
            approval: e.approval.clone(),
            quota_used_before: None,
            budget_used_before: None,
        });
    }
    parts
}

/// A chargeable piece before consent: its K rule and raw minutes.
struct Chargeable {
    k: K,
    minutes: u32,
}

fn decide_entry<'d>(
    ds: &'d Dataset,
    i: usize,
    e: &'d Entry,
    quota_used: &mut HashMap<(usize, i32, u32), u32>,
    budget_used: &mut HashMap<&'d ApprovalId, u32>,
    parts: &mut Vec<Part>,
) {
    let minutes = e.minutes();
    let free = |k: K, outcome: Outcome, minutes: u32| Part {
        entry: i,
        part: 0,
        rule: Rule::Decided(k, None),
        outcome,
        reason: None,
        minutes: Some(minutes),
        billed_minutes: None,
        priced: None,
        amount: None,
        approval: None,
        quota_used_before: None,
        budget_used_before: None,
    };
    let mut out: Vec<Part> = Vec::with_capacity(2);
    let mut chargeable: Option<Chargeable> = None;
    let mut quota_before = None;

    if e.project.is_some() {
        out.push(free(K::K1, Outcome::Project, minutes));
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
                out.push(free(K::K2, Outcome::Referral, minutes));
            }
            Responsibility::ThirdParty => chargeable = Some(Chargeable { k: K::K3, minutes }),
            Responsibility::Tampering => chargeable = Some(Chargeable { k: K::K4, minutes }),
            Responsibility::Ours => match ds.contract_index_on(&e.customer, e.date) {
                None => chargeable = Some(Chargeable { k: K::K8, minutes }),
                Some(ci) if !ds.contracts[ci].channels.contains(channel) => {
                    chargeable = Some(Chargeable { k: K::K6, minutes })
                }
                Some(ci) => {
                    let c = &ds.contracts[ci];
                    // F5: raw minutes, one pool per contract and calendar month.
                    let key = (
                        ci,
                        chrono::Datelike::year(&e.date),
                        chrono::Datelike::month(&e.date),
                    );
                    let used = quota_used.entry(key).or_insert(0);
                    quota_before = Some(*used);
                    let left = c
                        .included_minutes
                        .map_or(u32::MAX, |inc| inc.saturating_sub(*used));
                    let covered = minutes.min(left);
                    if covered > 0 {
                        let mut p = free(K::K5, Outcome::Covered, covered);
                        p.quota_used_before = quota_before;
                        out.push(p);
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
        consent(ds, i, e, ch, quota_before, budget_used, &mut out);
    }
    let base = parts.iter().rev().take_while(|p| p.entry == i).count() as u32;
    for (n, mut p) in out.into_iter().enumerate() {
        p.part = base + n as u32 + 1;
        parts.push(p);
    }
}

/// A1..A3 for a chargeable piece, priced (SPEC 4, 5; F8..F10).
fn consent<'d>(
    ds: &'d Dataset,
    i: usize,
    e: &'d Entry,
    ch: Chargeable,
    quota_before: Option<u32>,
    budget_used: &mut HashMap<&'d ApprovalId, u32>,
    out: &mut Vec<Part>,
) {
    let card = &ds.rate_card;
    // Validation guarantees a rate for the channel on the date.
    let channel = e.channel.map_or("", Channel::as_str);
    let Some(rate) = card.rate_on(channel, e.date) else {
        return;
    };
    let surcharge = price::surcharge_on(card, e.date, e.start);
    let surcharge_percent = surcharge.map_or(Decimal::ZERO, |s| s.percent);
    let discount = ds
        .contract_on(&e.customer, e.date)
        .map_or(Decimal::ZERO, |c| c.discount_percent);
    let priced = Priced {
        rate_code: rate.code.clone(),
        price: rate.price,
        rate_line: rate.line,
        rate_valid_from: rate.valid_from,
        surcharge_percent,
        surcharge: surcharge.map(|s| (s.code.clone(), s.line)),
        discount_percent: discount,
        unit_price: price::unit_price(rate.price, surcharge_percent, discount),
    };
    let approval = e.approval.as_ref().and_then(|a| ds.approvals.get(a));
    let part = |a: A, outcome, reason, minutes: u32, billed: Option<u32>, budget_before| Part {
        entry: i,
        part: 0,
        rule: Rule::Decided(ch.k, Some(a)),
        outcome,
        reason,
        minutes: Some(minutes),
        billed_minutes: billed,
        amount: billed.map(|b| price::amount(priced.unit_price, b)),
        priced: Some(priced.clone()),
        approval: e.approval.clone(),
        quota_used_before: quota_before,
        budget_used_before: budget_before,
    };
    let a2 = match approval {
        None => Some(HeldReason::NoApproval),
        Some(ap) if ap.granted_on > e.date => Some(HeldReason::ApprovedAfterWork),
        Some(ap) if ap.valid_until.is_some_and(|u| u < e.date) => Some(HeldReason::ApprovalExpired),
        Some(ap)
            if ap
                .ticket
                .as_deref()
                .is_some_and(|t| e.ticket.as_deref() != Some(t)) =>
        {
            Some(HeldReason::TicketMismatch)
        }
        Some(_) => None,
    };
    let (Some(ap), None) = (approval, a2) else {
        out.push(part(A::A2, Outcome::Held, a2, ch.minutes, None, None));
        return;
    };
    let billed = price::billed_minutes(ch.minutes, rate);
    let used = budget_used.entry(&ap.id).or_insert(0);
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
