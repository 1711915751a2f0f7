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
    let (raw, ds, _) = match super::load_valid(data) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let led = match super::load_ledger(data) {
        Ok(l) => l,
        Err(code) => return code,
    };
    // A payments run also read the statements (with the ledger as it was).
    let receivables = if facts.kind == "payments" {
        let before = led.before(facts.ledger_batches + 1);
        match super::load_receivables(data, &ds, &before) {
            Ok(v) => Some(v),
            Err(code) => return code,
        }
    } else {
        None
    };
    // A remind run read the base rates and the payments of each invoice.
    let dunning = if facts.kind == "remind" {
        let before = led.before(facts.ledger_batches + 1);
        let (rates_src, rates) = match super::remind::base_rates(data) {
            Ok(v) => v,
            Err(code) => return code,
        };
        let (pay_src, payments) = match super::remind::payments_by_invoice(data, &ds, &before) {
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
    let listing = crate::load::folder_names(out);
    let read = |name: &str| crate::load::output_file(out, name).ok();
    let found = Found {
        facts: &facts,
        recorded: &recorded,
        inputs: &inputs,
        listing: &listing,
        read: &read,
        out: &out.display().to_string(),
        receivables: receivables.as_ref().map(|(_, rec)| rec),
        dunning: dunning
            .as_ref()
            .map(|(_, rates, _, payments)| verify::Dunning {
                base_rates: rates,
                payments,
            }),
    };
    let report = match verify::verify(&ds, &led, &found) {
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
