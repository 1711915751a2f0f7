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
    if matches!(facts.kind.as_str(), "estimate" | "offer" | "prices") {
        return before_the_work(data, out, &facts, &recorded);
    }
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
        other => {
            eprintln!(
                "faktura: {}: kind: unknown '{other}' (expected run, invoice or cancel)",
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

/// The documents before the work (SPEC 11): a cost notice, a price list or
/// an offer, recomputed from the inputs its manifest names (the plan by
/// its path as given; the price list from company.toml and the rate card
/// alone) and compared file by file. They touch no ledger.
fn before_the_work(
    data: &Path,
    out: &Path,
    facts: &manifest::Facts,
    recorded: &[manifest::FileRow],
) -> u8 {
    let mut problems: Vec<String> = Vec::new();
    let mut inputs: Vec<crate::load::Source> = Vec::new();
    let Some(date) = facts.date.as_deref().and_then(crate::table::parse_date) else {
        eprintln!(
            "faktura: {}: date: missing (expected YYYY-MM-DD)",
            manifest::FILE
        );
        return super::INVALID_INPUT;
    };
    let files = if facts.kind == "prices" {
        let (company_src, card_src) = match crate::load::company_and_card(data) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("faktura: {e}");
                return super::FAILED;
            }
        };
        let (valid, diags) = crate::validate::company_and_card(&company_src, card_src.as_ref());
        for d in &diags {
            eprintln!("{d}");
        }
        let Some((company, card)) = valid else {
            return super::INVALID_INPUT;
        };
        inputs.push(company_src);
        if let Some(rc) = card_src {
            inputs.extend([rc.rates, rc.surcharges, rc.holidays]);
        }
        let pl = crate::pricelist::on(&company, &card, date);
        crate::render::notice::price_list_files(&pl, &company)
    } else {
        let (raw, ds, _) = match super::load_valid(data) {
            Ok(v) => v,
            Err(code) => return code,
        };
        inputs.extend(raw.sources().into_iter().cloned());
        if facts.kind == "offer" {
            let project = facts.project.clone().unwrap_or_default();
            match crate::offer::offer(&ds, &project, date) {
                Ok(o) => crate::render::notice::offer_files(&o, &ds.company),
                Err(crate::offer::NoOffer::Unknown(m) | crate::offer::NoOffer::Refused(m)) => {
                    problems.push(format!(
                        "{}: the recorded offer of project {project} cannot be recomputed: {m}",
                        manifest::FILE
                    ));
                    Vec::new()
                }
            }
        } else {
            let Some(plan_row) = recorded.iter().find(|r| r.role == "plan") else {
                eprintln!(
                    "faktura: {}: no plan row (expected the plan an estimate read)",
                    manifest::FILE
                );
                return super::INVALID_INPUT;
            };
            let src = match crate::load::plan(Path::new(&plan_row.path)) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("faktura: {e}");
                    return super::FAILED;
                }
            };
            let Some(bytes) = &src.bytes else {
                eprintln!(
                    "faktura: cannot read the plan {} (expected it where the estimate read it)",
                    plan_row.path
                );
                return super::FAILED;
            };
            if sha256(bytes) != plan_row.sha256 {
                problems.push(format!(
                    "{}: plan changed since the estimate (sha256 {} at the estimate, now {})",
                    plan_row.path,
                    plan_row.sha256,
                    sha256(bytes)
                ));
            }
            let (items, diags) = crate::plan::read(&src, &ds);
            if diags.iter().any(crate::diagnostic::Diagnostic::is_error) {
                for d in &diags {
                    eprintln!("{d}");
                }
                return super::INVALID_INPUT;
            }
            let est = crate::estimate::estimate(&ds, &items, Some(date));
            crate::render::notice::estimate_files(&est)
        }
    };
    for src in &inputs {
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
                "{}: input changed since the {} (sha256 {} then, now {})",
                src.name, facts.kind, r.sha256, now
            )),
            None => problems.push(format!("{}: input not in the manifest", src.name)),
            _ => {}
        }
    }
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
    for p in &problems {
        println!("{p}");
    }
    if problems.is_empty() {
        println!(
            "verified: {} output files of the {} recomputed from {} inputs",
            files.len(),
            facts.kind,
            inputs.len() + usize::from(facts.kind == "estimate")
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
