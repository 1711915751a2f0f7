//! Money on the ground floor: the one rounding of amounts (half away from
//! zero to cents) and the one text form of money and percentages (F14).
//! Everything that computes or prints an amount calls these; this module
//! calls nothing of faktura.

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds to cents, half away from zero: 2.345 -> 2.35, -0.005 -> -0.01.
pub fn round2(d: Decimal) -> Decimal {
    let mut r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

/// Money as F14 wants it: exactly two decimals.
pub fn money(d: Decimal) -> String {
    let mut r = d;
    r.rescale(2);
    r.to_string()
}

/// A percentage as a plain number: `25`, `12.5`, `0`.
pub fn percent(d: Decimal) -> String {
    d.normalize().to_string()
}
