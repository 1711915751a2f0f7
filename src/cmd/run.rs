//! `faktura run`: the monthly run. Decides and prices, writes the period's
//! outputs into a new folder, all or nothing.

use crate::decide::{self, Outcome};
use crate::invoice;
use crate::period::Period;
use crate::render;
use crate::write;
use std::path::Path;

pub fn run(data: &Path, period: &str, out: &Path) -> u8 {
    let Some(period) = Period::parse(period) else {
        eprintln!("faktura: --period '{period}' is not a month (expected YYYY-MM, e.g. 2026-10)");
        return super::USAGE;
    };
    if let Err(e) = write::check_out(out) {
        eprintln!("faktura: {e}");
        return super::REFUSED;
    }
    let (_raw, ds, _warnings) = match super::load_valid(data) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let parts = decide::decide(&ds);
    let rows = invoice::charges_of_period(&ds, &parts, period, |_| false);
    let charges = render::csv::charges(&ds, rows.iter().copied(), |_| None);
    let held = render::csv::charges(
        &ds,
        rows.iter().copied().filter(|p| p.outcome == Outcome::Held),
        |_| None,
    );
    let files = vec![
        ("charges.csv".to_string(), charges),
        ("held.csv".to_string(), held),
    ];
    if let Err(e) = write::write_outputs(out, &files) {
        eprintln!("faktura: {e}");
        return super::FAILED;
    }
    let billable: rust_decimal::Decimal = rows.iter().filter_map(|p| p.amount).sum();
    let held_n = rows.iter().filter(|p| p.outcome == Outcome::Held).count();
    println!(
        "{period}: {} charge rows, billable {} {}, {held_n} held; written to {}",
        rows.len(),
        render::csv::money(billable),
        ds.company.currency,
        out.display()
    );
    super::OK
}
