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
    let v = validate::validate(&raw);
    for d in &v.diagnostics {
        eprintln!("{d}");
    }
    if v.diagnostics.is_empty() {
        let files = raw.sources().len();
        let rows: Vec<String> = v.counts.iter().map(|(f, n)| format!("{f} {n}")).collect();
        eprintln!(
            "0 errors, 0 warnings in {files} files checked ({})",
            rows.join(", ")
        );
    } else {
        eprintln!("{}", diagnostic::summary(&v.diagnostics));
    }
    if v.errors() > 0 {
        super::INVALID_INPUT
    } else {
        super::OK
    }
}
