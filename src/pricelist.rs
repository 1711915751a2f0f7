//! The price list ("Verrechnungssätze", RULES 11, P5): every rate and
//! surcharge of the rate card in force on a date, with the gross price at
//! the company's VAT rate. Reads nothing but the company and the rate card.
//! Pure.

use crate::model::{Channel, Company, Rate, RateCard, Surcharge};
use crate::money::round2;
use chrono::NaiveDate;
use rust_decimal::Decimal;

pub struct PriceList {
    pub date: NaiveDate,
    pub vat_rate: Decimal,
    pub currency: String,
    /// The rows in force: the support channels in the order of RULES 2, then
    /// travel, then any other code in byte order.
    pub rates: Vec<Rate>,
    /// The surcharges in force, in code order.
    pub surcharges: Vec<Surcharge>,
}

/// The price list valid on `date`.
pub fn on(company: &Company, card: &RateCard, date: NaiveDate) -> PriceList {
    let rank = |code: &str| {
        Channel::ALL
            .iter()
            .position(|c| c.as_str() == code)
            .unwrap_or(if code == "travel" { 5 } else { 6 })
    };
    let mut rates: Vec<Rate> = card
        .rates
        .keys()
        .filter_map(|code| card.rate_on(code, date).cloned())
        .collect();
    rates.sort_by(|a, b| (rank(&a.code), &a.code).cmp(&(rank(&b.code), &b.code)));
    let surcharges = card
        .surcharges
        .values()
        .filter_map(|rows| rows.iter().rev().find(|s| s.valid_from <= date).cloned())
        .collect();
    PriceList {
        date,
        vat_rate: company.vat_rate,
        currency: company.currency.clone(),
        rates,
        surcharges,
    }
}

/// A net price with the VAT rate on top, rounded to cents (half away from zero).
pub fn gross(price: Decimal, vat_rate: Decimal) -> Decimal {
    round2(price * (Decimal::ONE_HUNDRED + vat_rate) / Decimal::ONE_HUNDRED)
}
