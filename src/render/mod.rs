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
use crate::invoice::{Invoice, Run};
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

/// What rendering a monthly run leaves behind: each invoice without its
/// lines (for the summary), and when asked the rows of the ledger batch.
pub struct Rendered {
    pub invoices: Vec<Invoice>,
    /// What the invoices invoiced, by category (the review page's chart).
    pub revenue: std::collections::BTreeMap<crate::review::Revenue, rust_decimal::Decimal>,
    /// Why the ledger batch's rows could not all be written, if so.
    pub batch_error: Option<std::io::Error>,
}

/// Every output file of a monthly run, handed to `sink`, the review page
/// (`index.html`, RULES 15) last. Each invoice is made from its plan,
/// rendered and dropped; its rows of `invoice_lines.csv` (and, given
/// `batch`, of the ledger batch, without its commit row) are written in
/// order as they come. So a large month holds the invoices being rendered,
/// not all of them.
pub fn run_files(
    ds: &Dataset,
    run: &Run,
    tick: &(dyn Fn() + Sync),
    sink: &dyn Sink,
    mut batch: Option<&mut (dyn std::io::Write + Send)>,
) -> Rendered {
    let batch_no = run.batch.map(|b| b.number).filter(|_| batch.is_some());
    let mut done = None;
    sink.put_with("invoice_lines.csv", &mut |w| {
        let mut d = monthly_invoice_files(ds, run, tick, sink, batch_no, w, batch.as_deref_mut());
        let error = d.error.take();
        done = Some(d);
        error.map_or(Ok(()), Err)
    });
    // A sink that could not open invoice_lines.csv still gets every invoice.
    let done = done.unwrap_or_else(|| {
        let lines = &mut std::io::sink();
        monthly_invoice_files(ds, run, tick, sink, batch_no, lines, batch)
    });
    let period = run.period;
    sink.put("invoices.csv", csv::invoices(&done.invoices));
    sink.put_with("charges.csv", &mut |w| {
        csv::write_charges_numbered(ds, &run.charges, w)
    });
    let held: Vec<&Part> = run
        .charges
        .parts()
        .filter(|p| p.outcome == Outcome::Held)
        .collect();
    sink.put_with("held.csv", &mut |w| csv::write_charges(ds, &held, w));
    drop(held);
    let page = crate::review::of_run(
        ds,
        &done.invoices,
        &done.revenue,
        run.charges.parts(),
        &run.warnings,
        period,
        run.batch.is_some(),
    );
    sink.put_with(review::FILE, &mut |w| review::write_html(&page, w));
    Rendered {
        invoices: done.invoices,
        revenue: done.revenue,
        batch_error: done.batch_error,
    }
}

/// The invoices of a run rendered in parallel, their lines' rows written to
/// `lines` in number order.
struct Done {
    invoices: Vec<Invoice>,
    revenue: std::collections::BTreeMap<crate::review::Revenue, rust_decimal::Decimal>,
    error: Option<std::io::Error>,
    batch_error: Option<std::io::Error>,
}

fn monthly_invoice_files<'c>(
    ds: &Dataset,
    run: &Run,
    tick: &(dyn Fn() + Sync),
    sink: &dyn Sink,
    batch_no: Option<u64>,
    lines: &mut (dyn std::io::Write + Send),
    batch_rows: Option<&mut (dyn std::io::Write + Send + 'c)>,
) -> Done {
    use rayon::prelude::*;
    use std::collections::BTreeMap;
    /// One invoice's share, waiting for those before it.
    struct Piece {
        head: Invoice,
        lines: Vec<u8>,
        batch: Vec<u8>,
        revenue: Vec<(crate::review::Revenue, rust_decimal::Decimal)>,
    }
    struct InOrder<'w, 'c> {
        next: usize,
        waiting: BTreeMap<usize, Piece>,
        lines: &'w mut (dyn std::io::Write + Send),
        batch: Option<&'w mut (dyn std::io::Write + Send + 'c)>,
        done: Done,
    }
    impl InOrder<'_, '_> {
        fn take(&mut self, k: usize, piece: Piece) {
            self.waiting.insert(k, piece);
            while let Some(p) = self.waiting.remove(&self.next) {
                self.next += 1;
                if self.done.error.is_none() {
                    if let Err(e) = self.lines.write_all(&p.lines) {
                        self.done.error = Some(e);
                    }
                }
                if let (Some(w), None) = (&mut self.batch, &self.done.batch_error) {
                    if let Err(e) = w.write_all(&p.batch) {
                        self.done.batch_error = Some(e);
                    }
                }
                for (c, a) in p.revenue {
                    *self.done.revenue.entry(c).or_default() += a;
                }
                self.done.invoices.push(p.head);
            }
        }
    }
    let mut state = InOrder {
        next: 0,
        waiting: BTreeMap::new(),
        lines,
        batch: batch_rows,
        done: Done {
            invoices: Vec::with_capacity(run.len()),
            revenue: BTreeMap::new(),
            error: None,
            batch_error: None,
        },
    };
    if let Err(e) = state.lines.write_all(&csv::lines_header()) {
        state.done.error = Some(e);
    }
    let state = std::sync::Mutex::new(state);
    let fonts = pdf::Fonts::load();
    // Taken in number order (par_bridge hands them out one by one), so the
    // invoices waiting for an earlier one stay few.
    (0..run.len()).par_bridge().for_each(|k| {
        let (mut inv, its) = run.invoice(ds, k);
        if let Some(customer) = ds.customers.get(&inv.customer) {
            let profile = ds.einvoice.profile_of(inv.customer.as_str());
            let xml = cii::invoice_xml(&inv, &ds.company, customer, &profile);
            let hybrid =
                pdf::hybrid_invoice_pdf(&inv, &ds.company, customer, &profile, &xml, &fonts);
            tick();
            sink.put(&inv.file_name(), hybrid);
            sink.put(&inv.xml_name(), xml);
        }
        let lines = csv::invoice_lines_of(&inv);
        let batch = batch_no.map_or(Vec::new(), |number| {
            let mut rows = Vec::new();
            csv::ledger_rows_of(&inv, &its, number, &mut rows);
            rows
        });
        drop(its);
        let mut revenue = BTreeMap::new();
        let rules: std::collections::HashMap<(&str, u32), String> = run
            .work(k)
            .iter()
            .map(|p| ((ds.entries[p.entry].id(), p.part), p.rule.to_string()))
            .collect();
        crate::review::add_revenue(&mut revenue, &inv, &|e, p| rules.get(&(e, p)).cloned());
        inv.lines = Vec::new();
        let piece = Piece {
            head: inv,
            lines,
            batch,
            revenue: revenue.into_iter().collect(),
        };
        state.lock().expect("no renderer panicked").take(k, piece);
    });
    let state = state.into_inner().expect("no renderer panicked");
    debug_assert!(state.waiting.is_empty());
    state.done
}
