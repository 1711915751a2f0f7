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
