//! Values -> bytes. No decisions here: what to show was decided upstream.

pub mod cii;
pub mod csv;
pub mod facturx;
pub mod pdf;

use crate::decide::{Outcome, Part};
use crate::invoice::Invoice;
use crate::model::Dataset;

/// The invoices' own files: one PDF each (rendered in parallel), and
/// `invoices.csv` and `invoice_lines.csv`. `tick` is called once per PDF
/// (the shell's progress bar).
pub fn invoice_files(
    ds: &Dataset,
    invoices: &[Invoice],
    tick: &(dyn Fn() + Sync),
) -> Vec<(String, Vec<u8>)> {
    use rayon::prelude::*;
    let fonts = pdf::Fonts::load();
    let mut files: Vec<(String, Vec<u8>)> = invoices
        .par_iter()
        .filter_map(|inv| {
            let customer = ds.customers.get(&inv.customer)?;
            let bytes = pdf::invoice_pdf(inv, &ds.company, customer, &fonts);
            tick();
            Some((inv.file_name(), bytes))
        })
        .collect();
    files.push(("invoices.csv".to_string(), csv::invoices(invoices)));
    files.push((
        "invoice_lines.csv".to_string(),
        csv::invoice_lines(invoices),
    ));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Every output file of a monthly run, as (name, bytes), sorted by name.
pub fn run_files(
    ds: &Dataset,
    invoices: &[Invoice],
    charges: &[(&Part, Option<String>)],
    tick: &(dyn Fn() + Sync),
) -> Vec<(String, Vec<u8>)> {
    let mut files = invoice_files(ds, invoices, tick);
    files.push((
        "charges.csv".to_string(),
        csv::charges_numbered(ds, charges.iter().map(|(p, n)| (*p, n.clone()))),
    ));
    files.push((
        "held.csv".to_string(),
        csv::charges(
            ds,
            charges
                .iter()
                .map(|(p, _)| *p)
                .filter(|p| p.outcome == Outcome::Held),
            |_| None,
        ),
    ));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}
