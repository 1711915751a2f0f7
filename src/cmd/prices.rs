//! `faktura prices`: the price list (Verrechnungssätze, RULES 11) valid on a
//! date, as CSV and as a PDF in German and in English. Reads nothing but
//! `company.toml` and the rate card it names.

use crate::{load, manifest, pricelist, validate, write};
use std::path::Path;

pub fn run(data: &Path, date: &str, out: &Path) -> u8 {
    let Ok(Some(date)) = super::parse_date_arg(Some(date)) else {
        return super::USAGE;
    };
    if let Err(e) = write::check_out(out) {
        eprintln!("faktura: {e}");
        return super::REFUSED;
    }
    let (company_src, card_src) = match load::company_and_card(data) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("faktura: {e}");
            return super::FAILED;
        }
    };
    let (valid, diags) = validate::company_and_card(&company_src, card_src.as_ref());
    for d in &diags {
        eprintln!("{d}");
    }
    let Some((company, card)) = valid else {
        eprintln!("{}; nothing written", crate::diagnostic::summary(&diags));
        return super::INVALID_INPUT;
    };
    let pl = pricelist::on(&company, &card, date);
    if pl.rates.is_empty() {
        eprintln!("faktura: no rate of the rate card is valid on {date} (expected rows with valid_from on or before {date}); nothing written");
        return super::INVALID_INPUT;
    }
    let mut files = crate::render::notice::price_list_files(&pl, &company);
    let facts = manifest::Facts {
        kind: "prices".into(),
        date: Some(date.to_string()),
        ..super::facts(&crate::ledger::Ledger::default())
    };
    let mut rows = Vec::new();
    let mut inputs = vec![("input", &company_src)];
    if let Some(rc) = &card_src {
        inputs.extend([
            ("rate-card", &rc.rates),
            ("rate-card", &rc.surcharges),
            ("rate-card", &rc.holidays),
        ]);
    }
    for (role, src) in inputs {
        if let Some(b) = &src.bytes {
            rows.push(manifest::file_row(role, &src.name, b));
        }
    }
    rows.extend(
        files
            .iter()
            .map(|(n, b)| manifest::file_row("output", n, b)),
    );
    files.push((manifest::FILE.to_string(), manifest::build(&facts, &rows)));
    if let Err(e) = write::write_outputs(out, &files) {
        eprintln!("faktura: {e}");
        return super::FAILED;
    }
    println!(
        "price list of {date}: {} rates, {} surcharges; written to {}",
        pl.rates.len(),
        pl.surcharges.len(),
        out.display()
    );
    super::OK
}
