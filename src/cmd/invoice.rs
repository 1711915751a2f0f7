//! `faktura invoice`: the ad-hoc invoice of one accepted project, through the
//! same code path, numbering and ledger as the monthly run.

use crate::invoice::Mode;
use crate::money::money;
use crate::{decide, Refusal};
use std::path::Path;

pub fn run(data: &Path, project_id: &str, out: &Path, issue: bool, date: Option<&str>) -> u8 {
    let date = match super::parse_date_arg(date) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let super::Prepared {
        raw,
        ds,
        led,
        _lock,
    } = match super::prepare(data, out, issue) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let parts = decide::decide(&ds);
    let mode = Mode { issue, date };
    let (invoices, batch, mut files) =
        match crate::project_adhoc(&ds, &parts, &led, project_id, &mode, &|| {}) {
            Ok(v) => v,
            Err(Refusal::Unknown(m)) => {
                eprintln!("faktura: {m}");
                return super::USAGE;
            }
            Err(Refusal::Refused(m)) => {
                eprintln!("faktura: refused: {m}; nothing written");
                return super::REFUSED;
            }
        };
    let facts = crate::manifest::Facts {
        kind: "invoice".into(),
        project: Some(project_id.to_string()),
        issued: issue,
        date: date.map(|d| d.to_string()),
        ..super::facts(&led)
    };
    if let Err(code) = super::add_manifest(&raw, &facts, &mut files) {
        return code;
    }
    if let Err(code) = super::write_folder(data, out, &files, &led, batch.as_ref()) {
        return code;
    }
    let inv = &invoices[0];
    println!(
        "{} {} for project {} ({}): net {} + VAT {} = gross {} {}; written to {}",
        if batch.is_some() { "issued" } else { "draft" },
        inv.number,
        project_id,
        inv.customer,
        money(inv.net),
        money(inv.vat),
        money(inv.gross),
        inv.currency,
        out.display()
    );
    super::OK
}
