//! faktura: turns staff time logs and project completions into invoices, by
//! the company's cost decision scheme (SPEC.md).
//!
//! # Glossary
//! - **entry**: one piece of staff work from `timelog.csv`.
//! - **part**: an entry's decided piece; an entry splits into parts at a
//!   contract's monthly quota (K5/K7) or an approval's budget (A3).
//! - **rule**: K1..K8 decide who pays, A1..A3 whether consent exists.
//! - **covered**: free under the maintenance contract (K5).
//! - **referral**: free pointer to the responsible third party (K2).
//! - **billable**: chargeable and approved (A1): goes on an invoice.
//! - **held**: chargeable without valid consent (A2/A3): reported, never billed.
//! - **rate card**: prices, surcharges and holidays (`rates/`).
//! - **approval**: the customer's prior consent (order form or Freigabe).
//! - **ledger**: what was issued, so nothing is billed or numbered twice.
//!
//! # The pipeline
//! `load` (files -> bytes) -> `validate` (bytes -> typed `Dataset` +
//! diagnostics) -> `decide` (entries -> parts, K1..K8, A1..A3) -> `price`
//! (rates, surcharges, discounts, the two formulas) -> `invoice` -> `render`.
//! Only `load` and `write` touch the file system.

pub mod cli;
pub mod cmd;
pub mod decide;
pub mod diagnostic;
pub mod einvoice;
pub mod explain;
pub mod invoice;
pub mod ledger;
pub mod load;
pub mod manifest;
pub mod model;
pub mod period;
pub mod price;
pub mod progress;
pub mod project;
pub mod render;
pub mod table;
pub mod validate;
pub mod verify;
pub mod write;

use decide::Part;
use invoice::{Invoice, Mode};
use ledger::{Batch, Ledger};
use model::Dataset;
use period::Period;

/// The files of a run, as (name, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

/// The monthly run without I/O (SPEC 6, 7): the decided parts and the
/// ledger in, the invoices, the ledger batch (when issuing) and every output
/// file out. `tick` is called once per rendered PDF.
pub fn month_end<'p>(
    ds: &Dataset,
    parts: &'p [Part],
    led: &Ledger,
    period: Period,
    mode: &Mode,
    tick: &(dyn Fn() + Sync),
) -> (invoice::Run<'p>, Files) {
    let run = invoice::monthly_run(ds, parts, period, led, mode);
    let files = render::run_files(ds, &run.invoices, &run.charges, tick);
    (run, files)
}

/// Why the ad-hoc invoice of a project cannot be made.
pub enum Refusal {
    /// No such project (a usage error).
    Unknown(String),
    /// Not accepted yet, or already invoiced: the sentence says which step.
    Refused(String),
}

/// The ad-hoc invoice of one accepted project without I/O (SPEC 5, 6), by
/// the same code as the monthly run's project invoices.
pub fn project_adhoc(
    ds: &Dataset,
    parts: &[Part],
    led: &Ledger,
    project_id: &str,
    mode: &Mode,
    tick: &(dyn Fn() + Sync),
) -> Result<(Vec<Invoice>, Option<Batch>, Files), Refusal> {
    use project::Status;
    let p = ds.projects.get(project_id).ok_or_else(|| {
        Refusal::Unknown(format!(
            "no project '{project_id}' in projects.csv (expected a project_id of projects.csv)"
        ))
    })?;
    let states = project::states(ds, parts, led);
    let st = states
        .iter()
        .find(|s| s.project.id == p.id)
        .ok_or_else(|| Refusal::Unknown(project_id.into()))?;
    match (st.status, st.accepted) {
        (Status::Invoiced, _) => {
            let no = st.invoice.clone().unwrap_or_default();
            let when = led
                .invoices
                .iter()
                .find(|i| i.number == no)
                .map_or(String::new(), |i| format!(" (issued {})", i.issue_date));
            Err(Refusal::Refused(format!(
                "project {} is already invoiced on {no}{when}",
                p.id
            )))
        }
        (Status::Accepted, Some(accepted)) => {
            let inv = invoice::project_invoice(ds, p, accepted, Period::of(accepted)).ok_or_else(
                || Refusal::Unknown(format!("customer of project {} not found", p.id)),
            )?;
            let mut invoices = vec![inv];
            let item = ledger::Item::Project {
                project: p.id.to_string(),
            };
            let billed = ledger::Billed {
                invoice: String::new(),
                rule: "project".into(),
                minutes: None,
                amount: invoices[0].net,
            };
            let batch = invoice::finish(ds, led, mode, &mut invoices, vec![vec![(item, billed)]]);
            let files = render::invoice_files(ds, &invoices, tick);
            Ok((invoices, batch, files))
        }
        _ => Err(Refusal::Refused(st.missing_step(ds).unwrap_or_default())),
    }
}
