//! One file per subcommand: read, call the core, write, choose the exit code.

pub mod check;
pub mod explain;
pub mod run;

use crate::diagnostic::Diagnostic;
use crate::load;
use crate::model::Dataset;
use crate::validate::{self, Validated};
use std::path::Path;

/// Exit codes (SPEC 8, plus 4 for a failed run).
pub const OK: u8 = 0;
pub const INVALID_INPUT: u8 = 1;
pub const USAGE: u8 = 2;
pub const REFUSED: u8 = 3;
pub const FAILED: u8 = 4;

/// Loads and validates the data folder; prints the diagnostics to stderr.
/// `Err(exit code)` when the data cannot be used.
pub fn load_valid(data: &Path) -> Result<(load::RawInputs, Dataset, Vec<Diagnostic>), u8> {
    let raw = load::load(data).map_err(|e| {
        eprintln!("faktura: {e}");
        FAILED
    })?;
    let Validated {
        dataset,
        diagnostics,
        ..
    } = validate::validate(&raw);
    for d in &diagnostics {
        eprintln!("{d}");
    }
    match dataset {
        Some(ds) => Ok((raw, ds, diagnostics)),
        None => {
            eprintln!(
                "{}; nothing written",
                crate::diagnostic::summary(&diagnostics)
            );
            Err(INVALID_INPUT)
        }
    }
}

/// Reads and checks the ledger; errors in it are input errors.
pub fn load_ledger(data: &Path) -> Result<crate::ledger::Ledger, u8> {
    let src = load::ledger(data).map_err(|e| {
        eprintln!("faktura: {e}");
        FAILED
    })?;
    let Some(bytes) = src.bytes else {
        return Ok(crate::ledger::Ledger::default());
    };
    let (led, diags) = crate::ledger::parse(&bytes);
    for d in &diags {
        eprintln!("{d}");
    }
    if diags.iter().any(Diagnostic::is_error) {
        eprintln!("{}; nothing written", crate::diagnostic::summary(&diags));
        return Err(INVALID_INPUT);
    }
    Ok(led)
}

/// Every output file of a run, as (name, bytes).
pub fn render_outputs(
    ds: &Dataset,
    invoices: &[crate::invoice::Invoice],
    charges: &[(&crate::decide::Part, Option<String>)],
) -> Vec<(String, Vec<u8>)> {
    use crate::decide::Outcome;
    use crate::render::csv;
    let rows = || charges.iter().map(|(p, _)| *p);
    let mut files = vec![
        ("invoices.csv".to_string(), csv::invoices(invoices)),
        (
            "invoice_lines.csv".to_string(),
            csv::invoice_lines(invoices),
        ),
        (
            "charges.csv".to_string(),
            csv::charges_numbered(ds, charges.iter().map(|(p, n)| (*p, n.clone()))),
        ),
        (
            "held.csv".to_string(),
            csv::charges(ds, rows().filter(|p| p.outcome == Outcome::Held), |_| None),
        ),
    ];
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Takes the data folder's lock and finishes or undoes an interrupted issue.
pub fn lock_and_recover(data: &Path) -> Result<crate::write::Lock, u8> {
    let lock = crate::write::lock(data).map_err(|e| {
        eprintln!("faktura: {e}");
        REFUSED
    })?;
    match crate::write::recover(data) {
        Ok(Some(msg)) => eprintln!("faktura: {msg}"),
        Ok(None) => {}
        Err(e) => {
            eprintln!("faktura: {e}");
            return Err(FAILED);
        }
    }
    Ok(lock)
}
