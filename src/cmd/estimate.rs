//! `faktura estimate`: the cost notices of a plan (RULES 11, E1..E5):
//! `estimate.csv`, one `estimate-<customer>.pdf` per customer and
//! `approvals-proposed.csv`, beside `MANIFEST.csv`, in a new folder.

use crate::money::money;
use crate::{estimate, load, plan, write};
use std::path::Path;

pub fn run(data: &Path, plan_path: &Path, out: &Path, date: Option<&str>) -> u8 {
    let date = match super::parse_date_arg(date) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let super::Prepared { raw, ds, led, .. } = match super::prepare(data, out, false) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let src = match load::plan(plan_path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("faktura: {e}");
            return super::FAILED;
        }
    };
    let (items, diags) = plan::read(&src, &ds);
    for d in &diags {
        eprintln!("{d}");
    }
    if diags.iter().any(crate::diagnostic::Diagnostic::is_error) {
        eprintln!("{}; nothing written", crate::diagnostic::summary(&diags));
        return super::INVALID_INPUT;
    }
    if items.is_empty() {
        eprintln!("faktura: {} has no items; nothing written", src.name);
        return super::INVALID_INPUT;
    }
    let est = estimate::estimate(&ds, &items, date);
    for e in estimate::dated_before_notice(&est) {
        eprintln!(
            "warning: item {} is dated {}, before the notice's date {}: an approval granted after the work does not cover it (A2 approved-after-work)",
            e.id(),
            e.date,
            est.date
        );
    }
    let mut files = crate::render::notice::estimate_files(&est);
    let facts = crate::manifest::Facts {
        kind: "estimate".into(),
        date: Some(est.date.to_string()),
        ..super::facts(&led)
    };
    // The plan lives outside the data folder: named by its path as given,
    // so that `verify` can read it again.
    let mut rows = vec![crate::manifest::file_row(
        "plan",
        &plan_path.display().to_string(),
        src.bytes.as_deref().unwrap_or_default(),
    )];
    rows.extend(
        files
            .iter()
            .map(|(name, bytes)| crate::manifest::file_row("output", name, bytes)),
    );
    let manifest = match super::manifest(&raw, &facts, &rows) {
        Ok(m) => m,
        Err(code) => return code,
    };
    files.push((crate::manifest::FILE.to_string(), manifest));
    if let Err(e) = write::write_outputs(out, &files) {
        eprintln!("faktura: {e}");
        return super::FAILED;
    }
    for n in &est.notices {
        let slip = match &n.proposal {
            Some(p) => format!(
                "{} {} for {} h",
                p.kind.as_str(),
                p.id,
                crate::money::percent(p.max_hours)
            ),
            None => "all free, no approval needed".to_string(),
        };
        println!(
            "{}: net {} + VAT {} = gross {} {}; {slip}",
            n.customer,
            money(n.net),
            money(n.vat),
            money(n.gross),
            ds.company.currency
        );
    }
    println!(
        "{} items of {} customers estimated; written to {}",
        items.len(),
        est.notices.len(),
        out.display()
    );
    super::OK
}
