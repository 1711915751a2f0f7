//! `faktura export`: the books of a date range for the accountant (SPEC 14):
//! a DATEV Buchungsstapel or an hledger journal, with `MANIFEST.csv`.

use crate::export::{self, BookedPayment, Format, Range};
use crate::write;
use std::path::Path;

pub fn run(data: &Path, from: &str, to: &str, format: &str, out: &Path) -> u8 {
    let Some(format) = Format::parse(format) else {
        eprintln!("faktura: --format '{format}' is unknown (expected datev or hledger)");
        return super::USAGE;
    };
    let Some(range) = range(from, to) else {
        return super::USAGE;
    };
    let super::Prepared { raw, ds, led, .. } = match super::prepare(data, out, false) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if format == Format::Datev {
        if let Err(m) = export::datev::check_range(&ds.company.datev, range) {
            eprintln!("faktura: {m}");
            return super::USAGE;
        }
    }
    let payments = booked_payments(&raw, &ds, &led);
    let done = match export::export(&ds, &led, &payments, format, range) {
        Ok(done) => done,
        Err(diags) => {
            for d in &diags {
                eprintln!("{d}");
            }
            eprintln!("{}; nothing written", crate::diagnostic::summary(&diags));
            return super::INVALID_INPUT;
        }
    };
    for w in &done.warnings {
        eprintln!("{w}");
    }
    let mut files = done.files;
    let book = files.first().map(|(n, _)| n.clone()).unwrap_or_default();
    let facts = crate::manifest::Facts {
        kind: "export".into(),
        format: Some(format.as_str().into()),
        from: Some(range.from.to_string()),
        to: Some(range.to.to_string()),
        ..super::facts(&led)
    };
    if let Err(code) = super::add_manifest(&raw, &facts, &mut files) {
        return code;
    }
    if let Err(e) = write::write_outputs(out, &files) {
        eprintln!("faktura: {e}");
        return super::FAILED;
    }
    let count = |n: usize, one: &str, many: &str| {
        format!("{n} {}", crate::diagnostic::plural(n, one, many))
    };
    println!(
        "{}..{}: {}, {}, {} exported to {}",
        range.from,
        range.to,
        count(done.invoices, "invoice", "invoices"),
        count(done.cancellations, "cancellation", "cancellations"),
        count(done.payments, "payment", "payments"),
        out.join(book).display()
    );
    super::OK
}

/// The payments to book: SPEC 12's allocations, as `BookedPayment`s (the
/// export keeps those booked in its range). `verify` asks here too, so that
/// it recomputes an export from the same payments.
pub fn booked_payments(
    _raw: &crate::load::RawInputs,
    _ds: &crate::model::Dataset,
    _led: &crate::ledger::Ledger,
) -> Vec<BookedPayment> {
    // payments: wired when the payments module lands
    Vec::new()
}

/// `--from` and `--to` as a range; a bad date, or `--from` after `--to`,
/// is a usage error (printed).
pub fn range(from: &str, to: &str) -> Option<Range> {
    let date = |flag: &str, s: &str| {
        let d = crate::table::parse_date(s);
        if d.is_none() {
            eprintln!("faktura: {flag} '{s}' is not a date (expected YYYY-MM-DD)");
        }
        d
    };
    let (from, to) = (date("--from", from)?, date("--to", to)?);
    let r = Range::new(from, to);
    if r.is_none() {
        eprintln!("faktura: --from {from} is after --to {to} (expected a range whose first day is not after its last)");
    }
    r
}
