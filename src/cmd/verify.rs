//! `faktura verify`: reads an output folder's manifest, the inputs and the
//! ledger, lets `verify` recompute the run and compare, prints every
//! difference. Exit 0 when nothing differs, 1 otherwise (D28).

use crate::manifest;
use crate::verify::{self, Found};
use std::path::Path;

pub fn run(data: &Path, out: &Path) -> u8 {
    let manifest_path = out.join(manifest::FILE);
    let bytes = match crate::load::output_file(out, manifest::FILE) {
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
    if facts.kind == "prices" {
        return prices(data, out, &facts, &recorded);
    }
    let (raw, ds, _) = match super::load_valid(data) {
        Ok(v) => v,
        Err(code) => return code,
    };
    // The ledger is audited as it is read, against the decided parts; the
    // ledger as the run saw it is all that is kept whole.
    let parts = crate::decide::decide(&ds);
    let read = {
        let present = verify::Present::of(&ds, &parts);
        match audit_ledger(data, facts.ledger_batches + 1, &|i| present.key(i)) {
            Ok(r) => r,
            Err(code) => return code,
        }
    };
    let led = &read.before;
    // A payments run (and an export, which books the payments) also read
    // the statements, with the ledger as it was.
    let receivables = if facts.kind == "payments" || facts.kind == "export" {
        match super::load_receivables(data, &ds, led) {
            Ok(v) => Some(v),
            Err(code) => return code,
        }
    } else {
        None
    };
    // A remind run read the base rates and the payments of each invoice.
    let dunning = if facts.kind == "remind" {
        let (rates_src, rates) = match super::remind::base_rates(data) {
            Ok(v) => v,
            Err(code) => return code,
        };
        let (pay_src, payments) = match super::remind::payments_by_invoice(data, &ds, led) {
            Ok(v) => v,
            Err(code) => return code,
        };
        Some((rates_src, rates, pay_src, payments))
    } else {
        None
    };
    let mut sources = raw.sources();
    if let Some((src, _)) = &receivables {
        sources.extend(src.sources());
    }
    if let Some((rates_src, _, pay_src, _)) = &dunning {
        sources.extend(rates_src.iter().filter(|s| s.exists()));
        sources.extend(pay_src.sources());
    }
    // Every input's hash now (a streamed time log was hashed as it was read).
    let mut inputs = Vec::new();
    for src in sources {
        match src.size_and_sha256() {
            Ok((_, h)) => inputs.push((src.name.clone(), h)),
            Err(e) => {
                eprintln!("faktura: cannot read {}: {e}", src.path.display());
                return super::FAILED;
            }
        }
    }
    // The payments an export booked, with the ledger as the export saw it.
    let payments = match &receivables {
        Some((_, rec)) if facts.kind == "export" => super::export::booked_payments(rec, led),
        _ => Vec::new(),
    };
    // An estimate also read its plan, from the path the manifest names.
    let plan = match recorded.iter().find(|r| r.role == "plan") {
        Some(row) if facts.kind == "estimate" => match read_plan(&row.path, &ds) {
            Ok((items, sha)) => {
                inputs.push((row.path.clone(), sha));
                Some(items)
            }
            Err(code) => return code,
        },
        _ => None,
    };
    let listing = crate::load::folder_names(out);
    let open = |name: &str| crate::load::output_reader(out, name);
    let found = Found {
        facts: &facts,
        recorded: &recorded,
        inputs: &inputs,
        listing: &listing,
        open: &open,
        out: &out.display().to_string(),
        receivables: receivables.as_ref().map(|(_, rec)| rec),
        payments: &payments,
        plan: plan.as_deref(),
        dunning: dunning
            .as_ref()
            .map(|(_, rates, _, payments)| verify::Dunning {
                base_rates: rates,
                payments,
            }),
    };
    let report = match verify::verify(&ds, &parts, read, &found) {
        Ok(r) => r,
        Err(message) => {
            eprintln!("{message}");
            return super::INVALID_INPUT;
        }
    };
    for line in report.lines() {
        println!("{line}");
    }
    if report.is_clean() {
        super::OK
    } else {
        super::INVALID_INPUT
    }
}

/// The ledger read in blocks and audited (`audit::scan`); a malformed
/// committed row is an invalid input, named with the others.
fn audit_ledger(
    data: &Path,
    before: u64,
    key: &crate::audit::KeyOf<'_>,
) -> Result<crate::audit::Scanned, u8> {
    let src = crate::load::ledger_in_blocks(data).map_err(|e| {
        eprintln!("faktura: {e}");
        super::FAILED
    })?;
    let (read, diags) = crate::audit::scan(
        src.blocks(crate::audit::BLOCK),
        crate::audit::BLOCK,
        before,
        key,
    );
    for d in &diags {
        eprintln!("{d}");
    }
    if diags.iter().any(crate::diagnostic::Diagnostic::is_error) {
        eprintln!("{}; nothing written", crate::diagnostic::summary(&diags));
        return Err(super::INVALID_INPUT);
    }
    Ok(read)
}

/// The plan of an estimate, read and checked again; with its sha256.
fn read_plan(
    path: &str,
    ds: &crate::model::Dataset,
) -> Result<(Vec<crate::plan::Item>, String), u8> {
    let src = crate::load::plan(Path::new(path)).map_err(|e| {
        eprintln!("faktura: {e}");
        super::FAILED
    })?;
    let Some(bytes) = &src.bytes else {
        eprintln!("faktura: cannot read the plan {path} (expected it where the estimate read it)");
        return Err(super::FAILED);
    };
    let (items, diags) = crate::plan::read(&src, ds);
    if diags.iter().any(crate::diagnostic::Diagnostic::is_error) {
        for d in &diags {
            eprintln!("{d}");
        }
        return Err(super::INVALID_INPUT);
    }
    Ok((items, manifest::sha256(bytes)))
}

/// A price list: only `company.toml` and the rate card are read (RULES 11).
fn prices(data: &Path, out: &Path, facts: &manifest::Facts, recorded: &[manifest::FileRow]) -> u8 {
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
    let mut sources = vec![&company_src];
    if let Some(rc) = &card_src {
        sources.extend([&rc.rates, &rc.surcharges, &rc.holidays]);
    }
    let inputs: Vec<(String, String)> = sources
        .iter()
        .filter_map(|s| {
            s.bytes
                .as_ref()
                .map(|b| (s.name.clone(), manifest::sha256(b)))
        })
        .collect();
    let listing = crate::load::folder_names(out);
    let open = |name: &str| crate::load::output_reader(out, name);
    let found = Found {
        facts,
        recorded,
        inputs: &inputs,
        listing: &listing,
        open: &open,
        out: &out.display().to_string(),
        receivables: None,
        payments: &[],
        plan: None,
        dunning: None,
    };
    match verify::verify_prices(&company, &card, &found) {
        Ok(report) => {
            for line in report.lines() {
                println!("{line}");
            }
            if report.is_clean() {
                super::OK
            } else {
                super::INVALID_INPUT
            }
        }
        Err(message) => {
            eprintln!("{message}");
            super::INVALID_INPUT
        }
    }
}
