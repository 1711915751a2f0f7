//! `faktura verify`: recomputes the run recorded in an output folder's
//! manifest from the inputs and reports every difference; checks the ledger.

use crate::invoice::Mode;
use crate::manifest::{self, sha256};
use crate::period::Period;
use crate::{decide, verify};
use std::path::Path;

pub fn run(data: &Path, out: &Path) -> u8 {
    let manifest_path = out.join(manifest::FILE);
    let bytes = match std::fs::read(&manifest_path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!(
                "faktura: cannot read {}: {e} (expected the output folder of a faktura run)",
                manifest_path.display()
            );
            return super::USAGE;
        }
    };
    let (facts, recorded) = match manifest::parse(&bytes) {
        Ok(v) => v,
        Err(diags) => {
            for d in diags {
                eprintln!("{d}");
            }
            return super::INVALID_INPUT;
        }
    };
    let (raw, ds, _) = match super::load_valid(data) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let led = match super::load_ledger(data) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let mut problems: Vec<String> = Vec::new();

    // Inputs: which changed since the run, by hash.
    for src in raw.sources() {
        let now = match src.size_and_sha256() {
            Ok((_, h)) => h,
            Err(e) => {
                eprintln!("faktura: cannot read {}: {e}", src.path.display());
                return super::FAILED;
            }
        };
        match recorded
            .iter()
            .find(|r| r.role != "output" && r.path == src.name)
        {
            Some(r) if r.sha256 != now => problems.push(format!(
                "{}: input changed since the run (sha256 {} at the run, now {})",
                src.name, r.sha256, now
            )),
            None => problems.push(format!("{}: input not in the manifest", src.name)),
            _ => {}
        }
    }

    // Recompute with the ledger as the run saw it.
    let before = led.before(facts.ledger_batches + 1);
    let date = facts.date.as_deref().and_then(crate::table::parse_date);
    let mode = Mode {
        issue: facts.issued,
        date,
    };
    let parts = decide::decide(&ds);
    let mut files = match facts.kind.as_str() {
        "run" => {
            let Some(period) = facts.period.as_deref().and_then(Period::parse) else {
                eprintln!(
                    "faktura: {}: period: missing (expected YYYY-MM)",
                    manifest::FILE
                );
                return super::INVALID_INPUT;
            };
            crate::month_end(&ds, &parts, &before, period, &mode, &|| {}).1
        }
        "invoice" => {
            let project = facts.project.clone().unwrap_or_default();
            match crate::project_adhoc(&ds, &parts, &before, &project, &mode, &|| {}) {
                Ok((_, _, files)) => files,
                Err(crate::Refusal::Unknown(m) | crate::Refusal::Refused(m)) => {
                    problems.push(format!(
                        "{}: the recorded invoice of project {project} cannot be recomputed: {m}",
                        manifest::FILE
                    ));
                    Vec::new()
                }
            }
        }
        "cancel" => {
            let number = facts.invoice.clone().unwrap_or_default();
            let reason = facts.reason.clone().unwrap_or_default();
            match date.map(|d| crate::cancellation(&ds, &before, &number, &reason, d, &|| {})) {
                Some(Ok((_, _, files))) => files,
                Some(Err(crate::Refusal::Unknown(m) | crate::Refusal::Refused(m))) => {
                    problems.push(format!(
                        "{}: the recorded cancellation of {number} cannot be recomputed: {m}",
                        manifest::FILE
                    ));
                    Vec::new()
                }
                None => {
                    problems.push(format!(
                        "{}: date: missing for a cancellation",
                        manifest::FILE
                    ));
                    Vec::new()
                }
            }
        }
        "remind" => {
            let (rates_src, rates) = match super::remind::base_rates(data) {
                Ok(v) => v,
                Err(code) => return code,
            };
            if let Some(src) = rates_src.as_ref().filter(|s| s.exists()) {
                let now = match src.size_and_sha256() {
                    Ok((_, h)) => h,
                    Err(e) => {
                        eprintln!("faktura: cannot read {}: {e}", src.path.display());
                        return super::FAILED;
                    }
                };
                match recorded
                    .iter()
                    .find(|r| r.role != "output" && r.path == src.name)
                {
                    Some(r) if r.sha256 != now => problems.push(format!(
                        "{}: input changed since the run (sha256 {} at the run, now {})",
                        src.name, r.sha256, now
                    )),
                    None => problems.push(format!("{}: input not in the manifest", src.name)),
                    _ => {}
                }
            }
            let payments = super::remind::payments_by_invoice(data, &ds, &before);
            let claims = crate::dunning_claims(&before, &payments);
            match date.map(|d| crate::reminders(&ds, &before, &claims, &rates, d, facts.issued)) {
                Some(Ok(r)) => r.files,
                Some(Err(missing)) => {
                    problems.push(format!(
                        "{}: the recorded letters cannot be recomputed: no base rate for {} (first day {})",
                        manifest::FILE,
                        missing[0].invoice,
                        missing[0].day
                    ));
                    Vec::new()
                }
                None => {
                    problems.push(format!("{}: date: missing for letters", manifest::FILE));
                    Vec::new()
                }
            }
        }
        other => {
            eprintln!(
                "faktura: {}: kind: unknown '{other}' (expected run, invoice, cancel or remind)",
                manifest::FILE
            );
            return super::INVALID_INPUT;
        }
    };
    files.sort_by(|a, b| a.0.cmp(&b.0));

    // Outputs: every recomputed file against the one on disk.
    for (name, expected) in &files {
        match std::fs::read(out.join(name)) {
            Err(_) => problems.push(format!(
                "{name}: missing from {} (expected by the recomputation)",
                out.display()
            )),
            Ok(found) => {
                if name.ends_with(".csv") {
                    problems.extend(verify::compare_csv(name, expected, &found));
                } else if let Some(p) = verify::compare_bytes(name, expected, &found) {
                    problems.push(p);
                }
                if let Some(r) = recorded
                    .iter()
                    .find(|r| r.role == "output" && &r.path == name)
                {
                    if r.sha256 != sha256(&found) {
                        problems.push(format!("{name}: sha256 differs from the manifest's (the file was changed after the run)"));
                    }
                }
            }
        }
    }
    for r in recorded.iter().filter(|r| r.role == "output") {
        if !files.iter().any(|(n, _)| n == &r.path) {
            problems.push(format!(
                "{}: in the manifest but not produced by the recomputation",
                r.path
            ));
        }
    }
    if let Ok(dir) = std::fs::read_dir(out) {
        let mut extra: Vec<String> = dir
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != manifest::FILE && !recorded.iter().any(|r| &r.path == n))
            .collect();
        extra.sort();
        for n in extra {
            problems.push(format!("{n}: in the output folder but not in the manifest"));
        }
    }

    // The ledger on its own.
    problems.extend(verify::check_ledger(&ds, &parts, &led));
    if facts.issued {
        let batch = facts.ledger_batches + 1;
        if !led.has_batch(batch) {
            problems.push(format!(
                "ledger.csv: batch {batch} of this issued run is missing from the ledger"
            ));
        }
    }

    for p in &problems {
        println!("{p}");
    }
    if problems.is_empty() {
        println!(
            "verified: {} output files recomputed from {} inputs, ledger consistent ({} invoices)",
            files.len(),
            raw.sources().len(),
            led.invoices.len()
        );
        super::OK
    } else {
        println!(
            "{} {} found",
            problems.len(),
            crate::diagnostic::plural(problems.len(), "difference", "differences")
        );
        super::INVALID_INPUT
    }
}
