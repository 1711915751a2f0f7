//! `faktura payments`: the bank statements and `manual.csv` matched to the
//! issued invoices (RULES 12); writes payments.csv, open_items.csv,
//! unmatched.csv and the manifest into a new folder, and prints a summary.

use crate::money::money;
use crate::payment::{Receivables, Rule, Status};
use rust_decimal::Decimal;
use std::path::Path;

pub fn run(data: &Path, as_of: Option<&str>, out: &Path) -> u8 {
    let as_of = match super::as_of_or_today(as_of) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let super::Prepared { raw, ds, led, .. } = match super::prepare(data, out, false) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let (src, rec) = match super::load_receivables(data, &ds, &led) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let files = crate::render::payments::files(&ds, &rec, &led, as_of);
    let staging = match crate::write::Staging::begin(out) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("faktura: {e}");
            return super::FAILED;
        }
    };
    for (name, bytes) in &files {
        if let Err(e) = staging.put(name, bytes) {
            eprintln!("faktura: {e}");
            return super::FAILED;
        }
    }
    let facts = crate::manifest::Facts {
        kind: "payments".into(),
        date: Some(as_of.to_string()),
        ..super::facts(&led)
    };
    let manifest = match super::manifest_with(&raw, &src.sources(), &facts, &staging.written()) {
        Ok(m) => m,
        Err(code) => return code,
    };
    if let Err(e) = staging
        .put(crate::manifest::FILE, &manifest)
        .and_then(|()| staging.finish())
    {
        eprintln!("faktura: {e}");
        return super::FAILED;
    }
    print!("{}", summary(&rec, &led, as_of, out));
    super::OK
}

/// Matched and unmatched payments, open and overdue totals, credits.
fn summary(
    rec: &Receivables,
    led: &crate::ledger::Ledger,
    as_of: chrono::NaiveDate,
    out: &Path,
) -> String {
    let booked: Vec<_> = rec
        .payments
        .iter()
        .filter(|m| m.payment.date <= as_of)
        .collect();
    let count = |r: Rule| booked.iter().filter(|m| m.rule == r).count();
    let sum = |r: Rule| -> Decimal {
        booked
            .iter()
            .filter(|m| m.rule == r)
            .map(|m| m.payment.amount)
            .sum()
    };
    let items = rec.open_items(led, as_of);
    let open: Decimal = items.iter().map(|i| i.open).sum();
    let overdue: Vec<_> = items
        .iter()
        .filter(|i| i.status == Status::Overdue)
        .collect();
    let overdue_sum: Decimal = overdue.iter().map(|i| i.open).sum();
    let credit: Decimal = rec.credits.keys().map(|c| rec.credit(c, as_of)).sum();
    let matched = count(Rule::M1) + count(Rule::M2) + count(Rule::Manual);
    let later = rec.payments.len() - booked.len();
    let mut s = format!(
        "payments as of {as_of}: {} read{}\n\
         matched    {matched:>4}  {:>12}  (M1 {}, M2 {}, manual {})\n\
         unmatched  {:>4}  {:>12}  (see unmatched.csv)\n\
         open       {:>4}  {:>12}  invoices with something open\n\
         overdue    {:>4}  {:>12}\n\
         credits          {:>12}  (customers' overpayments)\n",
        booked.len(),
        if later > 0 {
            format!(" ({later} booked after {as_of} left out)")
        } else {
            String::new()
        },
        money(sum(Rule::M1) + sum(Rule::M2) + sum(Rule::Manual)),
        count(Rule::M1),
        count(Rule::M2),
        count(Rule::Manual),
        count(Rule::M3),
        money(sum(Rule::M3)),
        items.iter().filter(|i| i.open > Decimal::ZERO).count(),
        money(open),
        overdue.len(),
        money(overdue_sum),
        money(credit),
    );
    s.push_str(&format!("written to {}\n", out.display()));
    s
}
