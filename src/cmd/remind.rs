//! `faktura remind`: the reminders and dunning letters due on a date
//! (RULES 13), as drafts or, with `--issue`, numbered and recorded in the
//! ledger with the same lock, crash safety and all-or-nothing output as
//! issued invoices.

use crate::ledger::Ledger;
use crate::model::{BaseRate, Dataset};
use crate::money::money;
use crate::{load, validate};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::path::Path;

/// The payments of each issued invoice: (booking date, amount), by
/// number, as the payments feature matches and allocates the statements
/// and `manual.csv` of `payments/` (RULES 12); with their sources for the
/// manifest. Problems in them are input errors (printed).
pub fn payments_by_invoice(
    data: &Path,
    ds: &Dataset,
    led: &Ledger,
) -> Result<(load::PaymentSources, Payments), u8> {
    let (src, rec) = super::load_receivables(data, ds, led)?;
    let by_invoice = rec
        .allocations
        .iter()
        .map(|(no, a)| (no.clone(), a.iter().map(|x| (x.date, x.amount)).collect()))
        .collect();
    Ok((src, by_invoice))
}

/// Each invoice's payments: (booking date, amount), by invoice number.
pub type Payments = HashMap<String, Vec<(NaiveDate, Decimal)>>;

/// Reads and validates the rate card's `base_rates.csv`; prints its
/// problems. The source is for the manifest (absent file: no rows).
pub fn base_rates(data: &Path) -> Result<(Option<load::Source>, Vec<BaseRate>), u8> {
    let src = load::base_rates(data).map_err(|e| {
        eprintln!("faktura: {e}");
        super::FAILED
    })?;
    let Some(src) = src else {
        return Ok((None, Vec::new()));
    };
    if !src.exists() {
        return Ok((Some(src), Vec::new()));
    }
    let (rates, diags) = validate::base_rates(&src);
    for d in &diags {
        eprintln!("{d}");
    }
    if diags.iter().any(crate::diagnostic::Diagnostic::is_error) {
        eprintln!("{}; nothing written", crate::diagnostic::summary(&diags));
        return Err(super::INVALID_INPUT);
    }
    Ok((Some(src), rates))
}

/// Prints the days without a base rate as input errors of `base_rates.csv`.
pub fn report_missing(src: Option<&load::Source>, missing: &[crate::dunning::MissingRate]) {
    let name = src.map_or("base_rates.csv".to_string(), |s| s.name.clone());
    let absent = src.is_none_or(|s| !s.exists());
    // One line per day: the invoices that need it listed together.
    let mut days: Vec<(NaiveDate, Vec<&str>)> = Vec::new();
    for m in missing {
        match days.iter_mut().find(|(d, _)| *d == m.day) {
            Some((_, v)) => v.push(&m.invoice),
            None => days.push((m.day, vec![&m.invoice])),
        }
    }
    days.sort();
    for (day, invoices) in &days {
        let half = if day.month() <= 6 { 1 } else { 7 };
        let hint = if absent {
            " (the file is not in the rate card folder)"
        } else {
            ""
        };
        eprintln!(
            "{name}:1: valid_from: no base rate in force on {day} (needed for the default interest of {}; expected a row valid_from {}-{half:02}-01 with the Bundesbank's base rate for that half year){hint}",
            invoices.join(", "),
            day.year()
        );
    }
    eprintln!(
        "{} {} without a base rate; nothing written",
        missing.len(),
        crate::diagnostic::plural(missing.len(), "invoice's interest", "invoices' interest")
    );
}

pub fn run(data: &Path, date: &str, out: &Path, issue: bool) -> u8 {
    let date = match super::parse_date_arg(Some(date)) {
        Ok(Some(d)) => d,
        Ok(None) | Err(_) => return super::USAGE,
    };
    let super::Prepared {
        raw,
        ds,
        led,
        _lock,
    } = match super::prepare(data, out, issue) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let (rates_src, rates) = match base_rates(data) {
        Ok(v) => v,
        Err(code) => return code,
    };
    if issue {
        if let Some(last) = led.letters.iter().map(|l| l.date).max() {
            if date < last {
                eprintln!(
                    "faktura: refused: the ledger has letters dated {last}; letters are issued in date order (expected --date {last} or later); nothing written"
                );
                return super::REFUSED;
            }
        }
    }
    let (pay_src, payments) = match payments_by_invoice(data, &ds, &led) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let claims = crate::dunning_claims(&led, &payments);
    let r = match crate::reminders(&ds, &led, &claims, &rates, date, issue) {
        Ok(r) => r,
        Err(missing) => {
            report_missing(rates_src.as_ref(), &missing);
            return super::INVALID_INPUT;
        }
    };
    for c in &r.unknown_customers {
        eprintln!("faktura: warning: customer {c} has overdue invoices but is no longer in customers.csv; no letter for them");
    }
    if r.letters.is_empty() {
        println!(
            "{date}: no reminder or dunning letter is due (nothing new to send); nothing written"
        );
        return super::OK;
    }
    let facts = crate::manifest::Facts {
        kind: "remind".into(),
        issued: issue,
        date: Some(date.to_string()),
        ..super::facts(&led)
    };
    let mut files = r.files;
    let mut extra: Vec<&load::Source> = rates_src.iter().filter(|s| s.exists()).collect();
    extra.extend(pay_src.sources());
    if let Err(code) = super::add_manifest_with(&raw, &extra, &facts, &mut files) {
        return code;
    }
    if let Err(code) = super::write_folder(data, out, &files, &led, r.batch.as_ref()) {
        return code;
    }
    let cur = &ds.company.currency;
    for (no, l) in &r.letters {
        println!(
            "{} {no} to {} (level {}, {} {}): open {} + interest {} + fee {} = claim {} {cur}, pay by {}",
            if issue { "issued" } else { "draft" },
            l.customer,
            l.level,
            l.items.len(),
            crate::diagnostic::plural(l.items.len(), "invoice", "invoices"),
            money(l.open),
            money(l.interest),
            money(l.fee),
            money(l.claim),
            l.pay_by
        );
    }
    println!(
        "{date} ({}): {} {} written to {}",
        if issue { "issued" } else { "drafts" },
        r.letters.len(),
        crate::diagnostic::plural(r.letters.len(), "letter", "letters"),
        out.display()
    );
    super::OK
}
