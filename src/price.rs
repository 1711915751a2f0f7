//! Prices (RULES 5): rate lookup by date, rounding up to the increment and the
//! minimum, the surcharge window, the contract discount, and the two formulas
//! `unit_price` and `amount`. Exact decimals; every rounding names its
//! strategy (half away from zero, kaufmaennisch). No decisions about who pays.

use crate::model::{Minute, Rate, RateCard, Surcharge};
use crate::money::round2;
use chrono::NaiveDate;
use rust_decimal::Decimal;

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// Billed minutes of a part (RULES 5, F13): rounded up to the increment, then
/// at least the minimum, applied as written even if not a multiple.
pub fn billed_minutes(minutes: u32, rate: &Rate) -> u32 {
    let inc = rate.increment_minutes.max(1);
    (minutes.div_ceil(inc) * inc).max(rate.minimum_minutes)
}

/// F7: `[from, to)`, wrapping past midnight when `to < from`; `from == to`
/// is the whole day; `to` may be 24:00 (1440).
pub fn in_window(s: &Surcharge, start: Minute) -> bool {
    use std::cmp::Ordering::*;
    match s.from.cmp(&s.to) {
        Equal => true,
        Less => s.from <= start && start < s.to,
        Greater => start >= s.from || start < s.to,
    }
}

/// The surcharge of an entry starting at `start` on `date` (F7): per code the
/// row in force on the date; of those whose day and window match, the
/// highest percent wins (ties: the first code in byte order).
pub fn surcharge_on(card: &RateCard, date: NaiveDate, start: Minute) -> Option<&Surcharge> {
    surcharge_at(&surcharges_of_day(card, date), start)
}

/// The surcharge rows that may apply on `date`: per code the row in force,
/// if its days include the date's day kind; in code order.
pub fn surcharges_of_day(card: &RateCard, date: NaiveDate) -> Vec<&Surcharge> {
    let day = card.day_kind(date);
    card.surcharges
        .values()
        .filter_map(|rows| rows.iter().rev().find(|s| s.valid_from <= date))
        .filter(|s| s.days.contains(day))
        .collect()
}

/// Of a day's rows (`surcharges_of_day`), the one for a start: the highest
/// percent whose window holds it; ties go to the first code.
pub fn surcharge_at<'c>(rows: &[&'c Surcharge], start: Minute) -> Option<&'c Surcharge> {
    let mut best: Option<&Surcharge> = None;
    for s in rows {
        if in_window(s, start) && best.is_none_or(|b| s.percent > b.percent) {
            best = Some(s);
        }
    }
    best
}

/// `unit_price = round2(price * (100 + surcharge) / 100 * (100 - discount) / 100)`.
pub fn unit_price(price: Decimal, surcharge: Decimal, discount: Decimal) -> Decimal {
    round2(price * (HUNDRED + surcharge) / HUNDRED * (HUNDRED - discount) / HUNDRED)
}

/// `amount = round2(unit_price * billed_minutes / 60)`.
pub fn amount(unit_price: Decimal, billed_minutes: u32) -> Decimal {
    round2(unit_price * Decimal::from(billed_minutes) / Decimal::from(60))
}

/// A travel line (F12): no surcharge, the contract's discount.
pub fn travel_price(price: Decimal, discount: Decimal) -> Decimal {
    round2(price * (HUNDRED - discount) / HUNDRED)
}

/// A contract fee for a month covered `active` of `days` days (RULES 5).
pub fn prorated_fee(fee: Decimal, active: u32, days: u32) -> Decimal {
    round2(fee * Decimal::from(active) / Decimal::from(days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn round2_is_half_away_from_zero() {
        for (input, expected) in [
            ("2.345", "2.35"),
            ("2.355", "2.36"),
            ("-0.005", "-0.01"),
            ("45.125", "45.13"),
            ("1", "1.00"),
            ("0.004999", "0.00"),
        ] {
            assert_eq!(round2(d(input)).to_string(), expected, "{input}");
        }
    }

    #[test]
    fn spec_9_unit_prices() {
        assert_eq!(unit_price(d("96.00"), d("0"), d("10")), d("86.40"));
        assert_eq!(unit_price(d("96.00"), d("25"), d("10")), d("108.00"));
        assert_eq!(amount(d("86.40"), 30), d("43.20"));
        assert_eq!(amount(d("108.00"), 15), d("27.00"));
    }
}
