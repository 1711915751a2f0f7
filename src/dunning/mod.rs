//! Reminders and dunning (RULES 13, D1..D3): which overdue invoice gets which
//! letter on a date, the statutory default interest and the flat fee.
//!
//! Owns the levels, the start of default, the day-by-day interest and the
//! grouping into one letter per customer. Pure: it works on a small input
//! of its own ([`Claim`]: an issued invoice with its payments and the
//! dunning records it already has), so that it does not depend on where
//! payments come from (the shell feeds them in) and is tested with plain
//! values. Numbers, rendering and the ledger batch are the caller's.

use crate::model::{BaseRate, DunningTerms};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rust_decimal::Decimal;

/// An issued invoice as dunning sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    pub number: String,
    pub customer: String,
    pub issue_date: NaiveDate,
    /// The due date printed on the invoice (before BGB 193).
    pub due_date: NaiveDate,
    pub gross: Decimal,
    /// Cancelled by a cancellation invoice: nothing is open.
    pub cancelled: bool,
    /// Payments allocated to it: (booking date, amount); a return is negative.
    pub payments: Vec<(NaiveDate, Decimal)>,
    /// Its earlier dunning records, oldest first.
    pub previous: Vec<Previous>,
}

/// A level an invoice reached by an earlier letter.
#[derive(Clone, Debug, PartialEq)]
pub struct Previous {
    pub date: NaiveDate,
    pub level: u8,
    pub fee: Decimal,
}

/// One stretch of the interest period with one open amount and one rate.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: u32,
    pub open: Decimal,
    /// The base rate in force.
    pub base: Decimal,
    /// Base rate plus the points (9 business, 5 consumer).
    pub rate: Decimal,
}

/// Default interest on a claim (D2): the stretches and the sum, rounded once.
#[derive(Clone, Debug, PartialEq)]
pub struct Interest {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub spans: Vec<Span>,
    pub amount: Decimal,
}

/// An invoice at its next level, as it goes on a letter.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub invoice: String,
    pub issue_date: NaiveDate,
    pub level: u8,
    /// The due date moved to the next working day (BGB 193).
    pub due_date: NaiveDate,
    pub days_overdue: i64,
    pub gross: Decimal,
    pub paid: Decimal,
    pub open: Decimal,
    /// Levels 2 and 3 only.
    pub interest: Option<Interest>,
    pub fee: Decimal,
    /// The fee was claimed by an earlier letter (shown in words).
    pub fee_claimed_before: bool,
    pub claim: Decimal,
}

impl Item {
    pub fn interest_amount(&self) -> Decimal {
        self.interest.as_ref().map_or(Decimal::ZERO, |i| i.amount)
    }
}

/// The letter of one customer on one date.
#[derive(Clone, Debug, PartialEq)]
pub struct Letter {
    pub customer: String,
    pub date: NaiveDate,
    /// The highest level on it: its title.
    pub level: u8,
    pub pay_by: NaiveDate,
    pub consumer: bool,
    pub items: Vec<Item>,
    pub open: Decimal,
    pub interest: Decimal,
    pub fee: Decimal,
    pub claim: Decimal,
}

/// A day of an interest period without a base rate in force.
#[derive(Clone, Debug, PartialEq)]
pub struct MissingRate {
    pub invoice: String,
    pub day: NaiveDate,
}

/// The flat fee of BGB § 288 (5) for a business debtor (D3).
pub fn flat_fee() -> Decimal {
    Decimal::new(4000, 2)
}

/// Points above the base rate (BGB § 288 (1), (2)).
pub fn points(consumer: bool) -> Decimal {
    Decimal::from(if consumer { 5 } else { 9 })
}

/// The day a due date really falls on (BGB § 193): a Saturday, Sunday or
/// public holiday moves it to the next working day.
pub fn working_day(due: NaiveDate, holiday: &dyn Fn(NaiveDate) -> bool) -> NaiveDate {
    let mut d = due;
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) || holiday(d) {
        d += Duration::days(1);
    }
    d
}

/// What is open of `gross` at the end of `day`: payments lower it from
/// their booking date on. Never below zero (an overpayment is a credit).
pub fn open_on(gross: Decimal, payments: &[(NaiveDate, Decimal)], day: NaiveDate) -> Decimal {
    let paid: Decimal = payments
        .iter()
        .filter(|(d, _)| *d <= day)
        .map(|(_, a)| *a)
        .sum();
    (gross - paid).max(Decimal::ZERO)
}

/// The last day of the half year that starts on `from` (1 Jan or 1 Jul).
fn half_year_end(from: NaiveDate) -> NaiveDate {
    let (y, m) = (from.year(), from.month());
    if m <= 6 {
        NaiveDate::from_ymd_opt(y, 6, 30)
    } else {
        NaiveDate::from_ymd_opt(y, 12, 31)
    }
    .expect("a valid date")
}

/// The base rate in force on `day`: the row whose half year holds it.
/// A half year without a row has no rate (the file must be completed).
pub fn base_rate_on(rates: &[BaseRate], day: NaiveDate) -> Option<&BaseRate> {
    rates
        .iter()
        .rev()
        .find(|r| r.valid_from <= day)
        .filter(|r| day <= half_year_end(r.valid_from))
}

/// Default interest from `from` to `to` inclusive (D2): per day the open
/// amount times (base rate + points) / 100 / 365, summed exactly and
/// rounded once. A 366-day year also divides by 365 (the spec's rule; BGB
/// § 191 reckons a year as 365 days). Days with the same open amount and
/// rate form one span: the sum over a span's days is open * rate * days,
/// exact, so the spans give the same sum as day by day.
pub fn interest(
    gross: Decimal,
    payments: &[(NaiveDate, Decimal)],
    from: NaiveDate,
    to: NaiveDate,
    rates: &[BaseRate],
    points: Decimal,
) -> Result<Interest, NaiveDate> {
    let mut spans: Vec<Span> = Vec::new();
    let mut day = from;
    while day <= to {
        let base = base_rate_on(rates, day).ok_or(day)?.percent;
        let open = open_on(gross, payments, day);
        let rate = base + points;
        match spans.last_mut() {
            Some(s) if s.open == open && s.base == base && s.to + Duration::days(1) == day => {
                s.to = day;
                s.days += 1;
            }
            _ => spans.push(Span {
                from: day,
                to: day,
                days: 1,
                open,
                base,
                rate,
            }),
        }
        day += Duration::days(1);
    }
    let numerator: Decimal = spans
        .iter()
        .map(|s| s.open * s.rate * Decimal::from(s.days))
        .sum();
    let amount = crate::money::round2(numerator / Decimal::from(36500));
    Ok(Interest {
        from,
        to,
        spans,
        amount,
    })
}

/// The settings the rules need besides the claims.
pub struct Rules<'a> {
    pub terms: &'a DunningTerms,
    pub base_rates: &'a [BaseRate],
    pub holiday: &'a dyn Fn(NaiveDate) -> bool,
}

/// The next letter item of `claim` on `date`, if one is due (D1..D3).
/// `Err` names the first day without a base rate.
pub fn next_item(
    claim: &Claim,
    date: NaiveDate,
    consumer: bool,
    rules: &Rules,
) -> Result<Option<Item>, MissingRate> {
    if claim.cancelled {
        return Ok(None);
    }
    let payments: Vec<(NaiveDate, Decimal)> = claim
        .payments
        .iter()
        .filter(|(d, _)| *d <= date)
        .copied()
        .collect();
    let open = open_on(claim.gross, &payments, date);
    let due = working_day(claim.due_date, rules.holiday);
    let days_overdue = (date - due).num_days();
    // Nothing open, or not overdue: no letter.
    if open <= Decimal::ZERO || days_overdue <= 0 {
        return Ok(None);
    }
    let last = claim.previous.iter().max_by_key(|p| (p.level, p.date));
    let level = match last {
        None if days_overdue >= i64::from(rules.terms.reminder_after_days) => 1,
        None => return Ok(None),
        Some(p) if p.level >= 3 => return Ok(None),
        Some(p) if (date - p.date).num_days() >= i64::from(rules.terms.interval_days) => {
            p.level + 1
        }
        Some(_) => return Ok(None),
    };
    let paid = claim.gross - open;
    let mut item = Item {
        invoice: claim.number.clone(),
        issue_date: claim.issue_date,
        level,
        due_date: due,
        days_overdue,
        gross: claim.gross,
        paid,
        open,
        interest: None,
        fee: Decimal::ZERO,
        fee_claimed_before: false,
        claim: open,
    };
    if level >= 2 {
        let from = default_start(claim, due, consumer);
        if from <= date {
            let i = interest(
                claim.gross,
                &payments,
                from,
                date,
                rules.base_rates,
                points(consumer),
            )
            .map_err(|day| MissingRate {
                invoice: claim.number.clone(),
                day,
            })?;
            item.interest = Some(i);
        }
        item.fee_claimed_before = claim.previous.iter().any(|p| p.fee > Decimal::ZERO);
        if !consumer && !item.fee_claimed_before {
            item.fee = flat_fee();
        }
    }
    item.claim = item.open + item.interest_amount() + item.fee;
    Ok(Some(item))
}

/// The first day of default (D2): the day after the first level-1 letter;
/// for a business at the latest the 31st day after the (moved) due date
/// (BGB § 286 (3)).
pub fn default_start(claim: &Claim, due: NaiveDate, consumer: bool) -> NaiveDate {
    let by_letter = claim
        .previous
        .iter()
        .filter(|p| p.level == 1)
        .map(|p| p.date + Duration::days(1))
        .min();
    let by_law = due + Duration::days(31);
    match (by_letter, consumer) {
        (Some(l), true) => l,
        (Some(l), false) => l.min(by_law),
        (None, true) => NaiveDate::MAX,
        (None, false) => by_law,
    }
}

/// The letters due on `date`: one per customer with every invoice at its
/// next level (D1), in customer order, items oldest first. `consumer`
/// tells which customers are consumers. All days without a base rate are
/// returned together.
pub fn letters(
    claims: &[Claim],
    date: NaiveDate,
    consumer: &dyn Fn(&str) -> bool,
    rules: &Rules,
) -> Result<Vec<Letter>, Vec<MissingRate>> {
    let mut sorted: Vec<&Claim> = claims.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.customer, a.issue_date, &a.number).cmp(&(&b.customer, b.issue_date, &b.number))
    });
    let mut out: Vec<Letter> = Vec::new();
    let mut missing = Vec::new();
    for c in sorted {
        let is_consumer = consumer(&c.customer);
        let item = match next_item(c, date, is_consumer, rules) {
            Ok(Some(i)) => i,
            Ok(None) => continue,
            Err(m) => {
                missing.push(m);
                continue;
            }
        };
        match out.last_mut() {
            Some(l) if l.customer == c.customer => l.items.push(item),
            _ => out.push(Letter {
                customer: c.customer.clone(),
                date,
                level: 0,
                pay_by: date + Duration::days(i64::from(rules.terms.pay_days)),
                consumer: is_consumer,
                items: vec![item],
                open: Decimal::ZERO,
                interest: Decimal::ZERO,
                fee: Decimal::ZERO,
                claim: Decimal::ZERO,
            }),
        }
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    for l in &mut out {
        l.level = l.items.iter().map(|i| i.level).max().unwrap_or(1);
        l.open = l.items.iter().map(|i| i.open).sum();
        l.interest = l.items.iter().map(Item::interest_amount).sum();
        l.fee = l.items.iter().map(|i| i.fee).sum();
        l.claim = l.items.iter().map(|i| i.claim).sum();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::table::parse_date(s).unwrap()
    }
    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn base_rate_holds_for_its_half_year_only() {
        let rates = vec![
            BaseRate {
                valid_from: d("2025-07-01"),
                percent: dec("1.27"),
                line: 2,
            },
            BaseRate {
                valid_from: d("2026-01-01"),
                percent: dec("1.27"),
                line: 3,
            },
        ];
        assert!(base_rate_on(&rates, d("2025-06-30")).is_none());
        assert_eq!(base_rate_on(&rates, d("2025-12-31")).unwrap().line, 2);
        assert_eq!(base_rate_on(&rates, d("2026-06-30")).unwrap().line, 3);
        assert!(base_rate_on(&rates, d("2026-07-01")).is_none());
    }

    #[test]
    fn bgb_193_moves_weekends_and_holidays() {
        let none = |_: NaiveDate| false;
        // 2026-05-02 is a Saturday.
        assert_eq!(working_day(d("2026-05-02"), &none), d("2026-05-04"));
        let may_day = |x: NaiveDate| x == d("2026-05-01");
        // Friday 1 May is a holiday: the next working day is Monday.
        assert_eq!(working_day(d("2026-05-01"), &may_day), d("2026-05-04"));
        assert_eq!(working_day(d("2026-05-05"), &none), d("2026-05-05"));
    }
}
