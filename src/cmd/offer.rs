//! `faktura offer`: the offer (Angebot) of a project whose solution is done
//! and which is not approved yet (RULES 11, P6): PDF and CSV in a new folder.

use crate::money::money;
use crate::offer::{self, NoOffer};
use crate::write;
use std::path::Path;

pub fn run(data: &Path, project_id: &str, date: &str, out: &Path) -> u8 {
    let Ok(Some(date)) = super::parse_date_arg(Some(date)) else {
        return super::USAGE;
    };
    let super::Prepared { raw, ds, led, .. } = match super::prepare(data, out, false) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let o = match offer::offer(&ds, project_id, date) {
        Ok(o) => o,
        Err(NoOffer::Unknown(m)) => {
            eprintln!("faktura: {m}");
            return super::USAGE;
        }
        Err(NoOffer::Refused(m)) => {
            eprintln!("faktura: refused: {m}; nothing written");
            return super::REFUSED;
        }
    };
    let mut files = crate::render::notice::offer_files(&o, &ds.company);
    let facts = crate::manifest::Facts {
        kind: "offer".into(),
        project: Some(project_id.to_string()),
        date: Some(date.to_string()),
        ..super::facts(&led)
    };
    if let Err(code) = super::add_manifest(&raw, &facts, &mut files) {
        return code;
    }
    if let Err(e) = write::write_outputs(out, &files) {
        eprintln!("faktura: {e}");
        return super::FAILED;
    }
    println!(
        "offer for project {} ({}): net {} + VAT {} = gross {} {}, valid until {}; written to {}",
        o.project.id,
        o.customer.id,
        money(o.fee),
        money(o.vat),
        money(o.gross),
        ds.company.currency,
        o.valid_until,
        out.display()
    );
    super::OK
}
