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
    if v.errors() > 0 {
        super::INVALID_INPUT
    } else {
        super::OK
    }
}
