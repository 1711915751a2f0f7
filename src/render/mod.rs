//! Values -> bytes. No decisions here: what to show was decided upstream.

pub mod cii;
pub mod csv;
pub mod dunning;
pub mod facturx;
pub mod font;
pub mod notice;
pub mod payments;
pub mod pdf;
pub mod pdf_file;
pub mod review;

use crate::decide::{Outcome, Part};
use crate::invoice::Invoice;
use crate::model::Dataset;

/// Where rendered files go as they are made: the shell's staging folder,
/// or memory (`Memory`, for verify and tests). Called from many threads.
pub trait Sink: Sync {
    /// One whole file.
    fn put(&self, name: &str, bytes: Vec<u8>);
    /// One file written piece by piece (the large CSVs).
    fn put_with(
        &self,
        name: &str,
        write: &mut dyn FnMut(&mut (dyn std::io::Write + Send)) -> std::io::Result<()>,
    );
}

/// Files kept in memory.
#[derive(Default)]
pub struct Memory(std::sync::Mutex<Vec<(String, Vec<u8>)>>);

impl Memory {
    /// The files, sorted by name.
    pub fn into_files(self) -> Vec<(String, Vec<u8>)> {
        let mut files = self.0.into_inner().expect("no renderer panicked");
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }
}

impl Sink for Memory {
    fn put(&self, name: &str, bytes: Vec<u8>) {
        self.0
            .lock()
            .expect("no renderer panicked")
            .push((name.to_string(), bytes));
    }
    fn put_with(
        &self,
        name: &str,
        write: &mut dyn FnMut(&mut (dyn std::io::Write + Send)) -> std::io::Result<()>,
    ) {
        let mut bytes = Vec::new();
        // Writing to memory cannot fail.
        write(&mut bytes).expect("write to memory");
        self.put(name, bytes);
    }
}

/// The invoices' own files: per invoice the EN 16931 XML (CII, or
/// XRechnung where `einvoice.csv` says so) and the PDF with that XML
/// embedded (Factur-X / ZUGFeRD, PDF/A-3), rendered in parallel and handed
/// to `sink` one by one; then `invoices.csv` and `invoice_lines.csv`.
/// `tick` is called once per PDF (the shell's progress bar).
pub fn invoice_files(
    ds: &Dataset,
    invoices: &[Invoice],
    tick: &(dyn Fn() + Sync),
    sink: &dyn Sink,
) {
    use rayon::prelude::*;
    let fonts = pdf::Fonts::load();
    invoices.par_iter().for_each(|inv| {
        let Some(customer) = ds.customers.get(&inv.customer) else {
            return;
        };
        let profile = ds.einvoice.profile_of(inv.customer.as_str());
        let xml = cii::invoice_xml(inv, &ds.company, customer, &profile);
        let hybrid = pdf::hybrid_invoice_pdf(inv, &ds.company, customer, &profile, &xml, &fonts);
        tick();
        sink.put(&inv.file_name(), hybrid);
        sink.put(&inv.xml_name(), xml);
    });
    sink.put("invoices.csv", csv::invoices(invoices));
    sink.put_with("invoice_lines.csv", &mut |w| {
        csv::write_invoice_lines(invoices, w)
    });
}

/// Every output file of a monthly run, handed to `sink`, the review page
/// (`index.html`, RULES 15) last.
pub fn run_files(
    ds: &Dataset,
    run: &crate::invoice::Run,
    period: crate::period::Period,
    tick: &(dyn Fn() + Sync),
    sink: &dyn Sink,
) {
    let (invoices, charges) = (&run.invoices, &run.charges);
    invoice_files(ds, invoices, tick, sink);
    sink.put_with("charges.csv", &mut |w| {
        csv::write_charges_numbered(ds, charges, w)
    });
    let held: Vec<&Part> = charges
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| p.outcome == Outcome::Held)
        .collect();
    sink.put_with("held.csv", &mut |w| csv::write_charges(ds, &held, w));
    let page = crate::review::of_run(
        ds,
        invoices,
        charges,
        &run.warnings,
        period,
        run.batch.is_some(),
    );
    sink.put(review::FILE, review::html(&page));
}
