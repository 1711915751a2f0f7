//! `faktura check`: validate everything, print every problem, write nothing.

use crate::{diagnostic, load, validate};
use std::path::Path;

pub fn run(data: &Path) -> u8 {
    let raw = match load::load(data) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("faktura: {e}");
            return super::FAILED;
        }
    };
    let mut v = validate::validate(&raw);
    let mut files = raw.sources().len();
    // The rate card's base rates (for dunning letters), when it has them.
    match load::base_rates(data) {
        Ok(Some(src)) if src.exists() => {
            let (rates, diags) = validate::base_rates(&src);
            v.counts.push((src.name.clone(), rates.len()));
            v.diagnostics.extend(diags);
            diagnostic::sort(&mut v.diagnostics);
            files += 1;
        }
        Ok(_) => {}
        Err(e) => {
            eprintln!("faktura: {e}");
            return super::FAILED;
        }
    }
    match payments(data, &v) {
        Ok((n, diags)) => {
            files += n;
            v.diagnostics.extend(diags);
            diagnostic::sort(&mut v.diagnostics);
        }
        Err(code) => return code,
    }
    for d in &v.diagnostics {
        eprintln!("{d}");
    }
    if v.diagnostics.is_empty() {
        let rows: Vec<String> = v.counts.iter().map(|(f, n)| format!("{f} {n}")).collect();
        eprintln!(
            "0 errors, 0 warnings in {files} files checked ({})",
            rows.join(", ")
        );
    } else {
        eprintln!("{}", diagnostic::summary(&v.diagnostics));
    }
    if v.diagnostics.iter().any(diagnostic::Diagnostic::is_error) {
        super::INVALID_INPUT
    } else {
        super::OK
    }
}

/// The statements and `manual.csv` of `payments/` (RULES 12), when there
/// is such a folder: how many files, and their problems. `manual.csv` is
/// checked against the ledger and the customers only when both are usable.
fn payments(
    data: &Path,
    v: &validate::Validated,
) -> Result<(usize, Vec<diagnostic::Diagnostic>), u8> {
    let src = load::payments(data).map_err(|e| {
        eprintln!("faktura: {e}");
        super::FAILED
    })?;
    if !src.folder {
        return Ok((0, Vec::new()));
    }
    let led = load::ledger(data).map_err(|e| {
        eprintln!("faktura: {e}");
        super::FAILED
    })?;
    let led = led.bytes.map(|b| crate::ledger::parse(&b));
    let (bank, mut diags) = crate::camt::read_all(&src.statement_bytes());
    let ledger = match led {
        None => Some(crate::ledger::Ledger::default()),
        Some((l, d)) if !d.iter().any(diagnostic::Diagnostic::is_error) => Some(l),
        Some(_) => None,
    };
    if let (Some(bytes), Some(ds), Some(led)) = (&src.manual.bytes, &v.dataset, &ledger) {
        let customers = super::customer_ids(ds);
        let (_, _, d) =
            crate::payment::parse_manual(bytes, &bank, led, &customers, &ds.company.currency);
        diags.extend(d);
    }
    Ok((src.sources().len(), diags))
}
