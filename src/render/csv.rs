//! The CSV outputs of SPEC 7, formatted by F14: money with two decimals,
//! percentages without trailing zeros, minutes as integers, UTF-8 without
//! BOM, `\n` line ends, quotes only where needed.

use crate::decide::Part;
use crate::model::Dataset;
use rust_decimal::Decimal;

pub const CHARGES_HEADER: &[&str] = &[
    "entry_id",
    "part",
    "date",
    "customer_id",
    "rule",
    "outcome",
    "reason",
    "minutes",
    "billed_minutes",
    "rate_code",
    "price",
    "surcharge_percent",
    "discount_percent",
    "unit_price",
    "amount",
    "approval_id",
    "invoice_no",
];

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

pub fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

/// `charges.csv` (or `held.csv`): one row per part, in the order given.
pub fn charges<'p>(
    ds: &Dataset,
    parts: impl IntoIterator<Item = &'p Part>,
    invoice_no: impl Fn(&Part) -> Option<String>,
) -> Vec<u8> {
    let mut w = writer();
    // Writing to a Vec cannot fail.
    w.write_record(CHARGES_HEADER).expect("write to memory");
    let opt = |v: Option<String>| v.unwrap_or_default();
    for p in parts {
        let e = &ds.entries[p.entry];
        let pr = p.priced.as_ref();
        let row = [
            e.id.to_string(),
            p.part.to_string(),
            e.date.to_string(),
            e.customer.to_string(),
            p.rule.to_string(),
            p.outcome.as_str().to_string(),
            opt(p.reason.map(|r| r.as_str().to_string())),
            opt(p.minutes.map(|m| m.to_string())),
            opt(p.billed_minutes.map(|m| m.to_string())),
            opt(pr.map(|x| x.rate_code.to_string())),
            opt(pr.map(|x| money(x.price))),
            opt(pr.map(|x| percent(x.surcharge_percent))),
            opt(pr.map(|x| percent(x.discount_percent))),
            opt(pr.map(|x| money(x.unit_price))),
            opt(p.amount.map(money)),
            opt(p.approval.as_ref().map(|a| a.to_string())),
            opt(invoice_no(p)),
        ];
        w.write_record(&row).expect("write to memory");
    }
    w.into_inner().expect("flush to memory")
}
