//! Values -> bytes. No decisions here: what to show was decided upstream.

pub mod cii;
pub mod csv;
pub mod facturx;
pub mod pdf;

use crate::decide::{Outcome, Part};
use crate::invoice::Invoice;
use crate::model::Dataset;

/// The invoices' own files: per invoice the EN 16931 XML (CII, or
/// XRechnung where `einvoice.csv` says so) and the PDF with that XML
/// embedded (Factur-X / ZUGFeRD, PDF/A-3), rendered in parallel; then
/// `invoices.csv` and `invoice_lines.csv`. `tick` is called once per PDF
/// (the shell's progress bar).
pub fn invoice_files(
    ds: &Dataset,
    invoices: &[Invoice],
    tick: &(dyn Fn() + Sync),
) -> Vec<(String, Vec<u8>)> {
    use rayon::prelude::*;
    let fonts = pdf::Fonts::load();
    let per_invoice: Vec<[(String, Vec<u8>); 2]> = invoices
        .par_iter()
        .filter_map(|inv| {
            let customer = ds.customers.get(&inv.customer)?;
            let profile = ds.einvoice.profile_of(inv.customer.as_str());
            let xml = cii::invoice_xml(inv, &ds.company, customer, &profile);
            let plain = pdf::invoice_pdf(inv, &ds.company, customer, &fonts);
            let date = inv.issue_date.unwrap_or(inv.service_to);
            // The PDF was just written by printpdf, so lopdf can read it.
            let hybrid = facturx::embed_facturx(&plain, &xml, &profile, &inv.number, date)
                .expect("printpdf output is a PDF that lopdf reads");
            tick();
            Some([(inv.file_name(), hybrid), (inv.xml_name(), xml)])
        })
        .collect();
    let mut files: Vec<(String, Vec<u8>)> = per_invoice.into_iter().flatten().collect();
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
        csv::charges_numbered(ds, charges),
    ));
    files.push((
        "held.csv".to_string(),
        csv::charges(
            ds,
            &charges
                .iter()
                .map(|(p, _)| *p)
                .filter(|p| p.outcome == Outcome::Held)
                .collect::<Vec<_>>(),
        ),
    ));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}
