//! `faktura export`: the books of a date range for the accountant (RULES 14):
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
    let (sources, receivables) = match super::load_receivables(data, &ds, &led) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let payments = booked_payments(&receivables, &led);
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
    let outputs: Vec<_> = files
        .iter()
        .map(|(name, bytes)| crate::manifest::file_row("output", name, bytes))
        .collect();
    match super::manifest_with(&raw, &sources.sources(), &facts, &outputs) {
        Ok(bytes) => files.push((crate::manifest::FILE.to_string(), bytes)),
        Err(code) => return code,
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

/// The payments to book: the allocations and credits of RULES 12 as
/// `BookedPayment`s (the export keeps those booked in its range). `verify`
/// asks here too, so that it recomputes an export from the same payments.
pub fn booked_payments(
    rec: &crate::payment::Receivables,
    led: &crate::ledger::Ledger,
) -> Vec<BookedPayment> {
    rec.bookings(led)
        .into_iter()
        .map(|b| BookedPayment {
            date: b.date,
            amount: b.amount,
            invoice_no: b.invoice,
            customer_id: b.customer,
            payment_id: b.payment_id,
        })
        .collect()
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
