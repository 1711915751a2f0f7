//! faktura: turns staff time logs and project completions into invoices, by
//! the company's cost decision scheme (`docs/RULES.md`).
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
//! - **plan**: planned work, one **item** a row, before it is done (RULES 11).
//! - **estimate**: what the run will bill for a plan's items; shown to the
//!   customer as the **cost notice** with a reply slip (the approval to sign).
//! - **price list**: the rates and surcharges in force (Verrechnungssätze).
//! - **offer**: a project's fixed price before its approval (Angebot).
//! - **payment**: money booked on a bank statement (camt.053) or written into
//!   `payments/manual.csv`; a return is a negative payment.
//! - **allocation**: the part of a payment that settles one invoice (M1, M2);
//!   what is left is the customer's **credit**.
//! - **open item**: an issued invoice with what is still open on a day.
//! - **RF reference**: an invoice's creditor reference (ISO 11649), printed
//!   with its GiroCode and named by the customer's transfer.
//! - **letter**: a payment reminder or dunning notice (level 1, 2 or 3) to
//!   one customer, numbered in its own range (`MA-...`); **default
//!   interest** and the **flat fee** are claimed on it, never invoiced.
//!
//! # The pipeline
//! `load` (files -> bytes) -> `validate` (bytes -> typed `Dataset` +
//! diagnostics) -> `decide` (entries -> parts, K1..K8, A1..A3) -> `price`
//! (rates, surcharges, discounts, the two formulas) -> `invoice` -> `render`.
//! After the invoice: `camt` (statements -> payments) -> `payment` (payments
//! and ledger -> allocations, credits, open items; M1..M3) -> `dunning`
//! (overdue invoices -> letters with interest and fees; D1..D4) -> `render`.
//! Only `load` and `write` touch the file system.

// The one `unsafe` of faktura is the binary's allocator setting
// (src/main.rs, DECISIONS D38); the library has none.
#![forbid(unsafe_code)]

pub mod audit;
pub mod bench_data;
pub mod camt;
pub mod cli;
pub mod cmd;
pub mod creditor_ref;
pub mod csvout;
pub mod decide;
pub mod diagnostic;
pub mod dunning;
pub mod einvoice;
pub mod estimate;
pub mod explain;
pub mod export;
pub mod girocode;
pub mod idmap;
pub mod invoice;
pub mod ledger;
pub mod load;
pub mod manifest;
pub mod model;
pub mod money;
pub mod offer;
pub mod order;
pub mod payment;
pub mod period;
pub mod plan;
pub mod price;
pub mod pricelist;
pub mod progress;
pub mod project;
pub mod render;
pub mod review;
pub mod table;
pub mod validate;
pub mod verify;
pub mod write;

use decide::Part;
use invoice::{Invoice, Mode};
use ledger::{Batch, Ledger};
use model::Dataset;
use period::Period;
use render::Sink;

/// The files of a run, as (name, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

/// The monthly run without I/O (RULES 6, 7): the decided parts and the
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
    let files = render::Memory::default();
    render::run_files(ds, &run, tick, &files, None);
    (run, files.into_files())
}

/// Why the ad-hoc invoice of a project cannot be made.
pub enum Refusal {
    /// No such project (a usage error).
    Unknown(String),
    /// Not accepted yet, or already invoiced: the sentence says which step.
    Refused(String),
}

/// The ad-hoc invoice of one accepted project without I/O (RULES 5, 6), by
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
            let batch = invoice::finish(
                ds,
                led,
                mode,
                &mut invoices,
                vec![vec![Some((item, "project".to_string()))]],
            );
            let files = render::Memory::default();
            render::invoice_files(ds, &invoices, tick, &files);
            // A project invoice's only line is its fee: no work rules to look up.
            let page = review::of_invoices(
                ds,
                review::Kind::Invoice {
                    project: p.id.to_string(),
                    issued: batch.is_some(),
                },
                &invoices,
                &|_, _| None,
            );
            files.put(render::review::FILE, render::review::html(&page));
            Ok((invoices, batch, files.into_files()))
        }
        _ => Err(Refusal::Refused(st.missing_step(ds).unwrap_or_default())),
    }
}

/// A cancellation invoice (Stornorechnung, RULES 6, F18) of the issued
/// invoice `number`, from the ledger alone: every line negated, the same VAT
/// treatment, a number of its own range. Its items are released for billing
/// again once the batch is in the ledger.
pub fn cancellation(
    ds: &Dataset,
    led: &Ledger,
    number: &str,
    reason: &str,
    date: chrono::NaiveDate,
    tick: &(dyn Fn() + Sync),
) -> Result<(Invoice, Batch, Files), Refusal> {
    use invoice::{InvoiceKind, Line, LineKind, Reference, TaxNote};
    let orig = led.invoice(number).ok_or_else(|| {
        Refusal::Refused(format!(
            "no invoice {number} in the ledger (expected the number of an issued invoice)"
        ))
    })?;
    if orig.is_cancellation() {
        return Err(Refusal::Refused(format!(
            "{number} is itself a cancellation (of {}); a cancellation cannot be cancelled",
            orig.refers_to.as_deref().unwrap_or("?")
        )));
    }
    if let Some(by) = led.cancelled_by.get(number) {
        return Err(Refusal::Refused(format!(
            "{number} is already cancelled by {by}"
        )));
    }
    let customer = model::CustomerId::new(&orig.customer);
    if !ds.customers.contains_key(&customer) {
        return Err(Refusal::Refused(format!(
            "customer {} of {number} is no longer in customers.csv",
            orig.customer
        )));
    }
    let neg = |d: rust_decimal::Decimal| {
        if d.is_zero() {
            rust_decimal::Decimal::ZERO
        } else {
            -d
        }
    };
    let mut items = Vec::new();
    let lines: Vec<Line> = led
        .lines_of(number)
        .map(|l| {
            items.push(l.item.clone().map(|i| (i, l.rule.to_string())));
            Line {
                kind: match &*l.kind {
                    "fee" => LineKind::Fee,
                    "travel" => LineKind::Travel,
                    "project" => LineKind::Project,
                    "proof" => LineKind::Proof,
                    _ => LineKind::Work,
                },
                entry: l.entry.as_ref().map(|(e, _)| model::EntryId::new(e)),
                part: l.entry.as_ref().map(|(_, p)| *p),
                date: l.date,
                description: l.description.clone(),
                quantity: neg(l.quantity),
                minutes: l.minutes,
                unit: match &*l.unit {
                    "month" => "month",
                    "visit" => "visit",
                    "project" => "project",
                    _ => "h",
                },
                unit_price: l.unit_price,
                amount: neg(l.amount),
            }
        })
        .collect();
    let year = chrono::Datelike::year(&date);
    let mut inv = Invoice {
        number: ledger::format_number(
            &ds.company.cancellation_number_format,
            year,
            led.next_seq(year, true),
        ),
        draft: false,
        kind: InvoiceKind::Cancellation,
        customer,
        project: orig.project.as_deref().map(model::ProjectId::new),
        period: Period::parse(&orig.period).unwrap_or(Period::of(orig.service_to)),
        issue_date: Some(date),
        due_date: None,
        service_from: orig.service_from,
        service_to: orig.service_to,
        lines,
        net: neg(orig.net),
        vat_rate: orig.vat_rate,
        vat: neg(orig.vat),
        gross: neg(orig.gross),
        tax_note: match orig.tax_note.as_str() {
            "reverse-charge" => TaxNote::ReverseCharge,
            "not-taxable-in-DE" => TaxNote::NotTaxableInDe,
            _ => TaxNote::None,
        },
        currency: ds.company.currency.clone(),
        refers_to: Some(Reference {
            number: orig.number.clone(),
            issue_date: orig.issue_date,
        }),
        reason: Some(reason.to_string()),
    };
    inv.draft = false;
    let mut batch = Batch {
        number: led.last_batch + 1,
        invoices: Vec::new(),
        lines: Vec::new(),
        ..Default::default()
    };
    invoice::record(&inv, &items, &mut batch);
    let files = render::Memory::default();
    render::invoice_files(ds, std::slice::from_ref(&inv), tick, &files);
    // The work lines' rules as the ledger recorded them.
    let rules: std::collections::HashMap<(&str, u32), &str> = led
        .lines_of(number)
        .filter_map(|l| l.entry.as_ref().map(|(e, p)| ((e.as_str(), *p), &*l.rule)))
        .collect();
    let page = review::of_invoices(
        ds,
        review::Kind::Cancel {
            number: number.to_string(),
        },
        std::slice::from_ref(&inv),
        &|e, p| rules.get(&(e, p)).map(ToString::to_string),
    );
    files.put(render::review::FILE, render::review::html(&page));
    Ok((inv, batch, files.into_files()))
}

/// The dunning letters of a date, as `reminders` makes them.
pub struct Reminders {
    /// Each letter with its number (`DRAFT-<customer>-<date>` as a draft).
    pub letters: Vec<(String, dunning::Letter)>,
    /// The ledger batch when issuing and there is a letter.
    pub batch: Option<Batch>,
    pub files: Files,
    /// Customers with overdue invoices who are no longer in customers.csv:
    /// no letter can be addressed to them.
    pub unknown_customers: Vec<String>,
}

/// Every issued invoice as the dunning core sees it (RULES 13): due date,
/// gross, cancelled or not, its payments (by invoice number) and the levels
/// its earlier letters reached. Cancellations themselves are not claims.
pub fn dunning_claims(
    led: &Ledger,
    payments: &std::collections::HashMap<String, Vec<(chrono::NaiveDate, rust_decimal::Decimal)>>,
) -> Vec<dunning::Claim> {
    led.invoices
        .iter()
        .filter(|i| !i.is_cancellation())
        .filter_map(|i| {
            Some(dunning::Claim {
                number: i.number.clone(),
                customer: i.customer.clone(),
                issue_date: i.issue_date,
                due_date: i.due_date?,
                gross: i.gross,
                cancelled: led.cancelled_by.contains_key(&i.number),
                payments: payments.get(&i.number).cloned().unwrap_or_default(),
                previous: led
                    .dunning_of(&i.number)
                    .map(|d| dunning::Previous {
                        date: d.date,
                        level: d.level,
                        fee: d.fee,
                    })
                    .collect(),
            })
        })
        .collect()
}

/// The reminders and dunning letters due on `date` without I/O (RULES 13):
/// the letters (numbered from their own range when issuing), the ledger
/// batch and the files (`reminders.csv`, one PDF per letter). `Err` lists
/// every day of an interest period without a base rate.
pub fn reminders(
    ds: &Dataset,
    led: &Ledger,
    claims: &[dunning::Claim],
    base_rates: &[model::BaseRate],
    date: chrono::NaiveDate,
    issue: bool,
) -> Result<Reminders, Vec<dunning::MissingRate>> {
    use chrono::Datelike;
    let customer = |id: &str| ds.customers.get(&model::CustomerId::new(id));
    let (known, unknown): (Vec<&dunning::Claim>, Vec<&dunning::Claim>) =
        claims.iter().partition(|c| customer(&c.customer).is_some());
    let known: Vec<dunning::Claim> = known.into_iter().cloned().collect();
    let holiday = |d: chrono::NaiveDate| ds.rate_card.holidays.contains_key(&d);
    let rules = dunning::Rules {
        terms: &ds.company.dunning,
        base_rates,
        holiday: &holiday,
    };
    let consumer = |id: &str| customer(id).is_some_and(|c| c.consumer);
    let letters = dunning::letters(&known, date, &consumer, &rules)?;
    // Customers gone from customers.csv, if one of their invoices is due.
    let mut unknown_customers: Vec<String> = unknown
        .iter()
        .filter(|c| {
            dunning::next_item(c, date, false, &rules)
                .map(|i| i.is_some())
                .unwrap_or(true)
        })
        .map(|c| c.customer.clone())
        .collect();
    unknown_customers.sort();
    unknown_customers.dedup();
    let mut seq = led.next_letter_seq(date.year());
    let letters: Vec<(String, dunning::Letter)> = letters
        .into_iter()
        .map(|l| {
            let no = if issue {
                seq += 1;
                ledger::format_number(&ds.company.dunning.number_format, date.year(), seq - 1)
            } else {
                format!("DRAFT-{}-{}", l.customer, date)
            };
            (no, l)
        })
        .collect();
    let batch = (issue && !letters.is_empty()).then(|| {
        let mut b = Batch {
            number: led.last_batch + 1,
            ..Default::default()
        };
        for (no, l) in &letters {
            b.letters.push(ledger::LetterRecord {
                number: no.clone(),
                date,
                customer: l.customer.clone(),
                level: l.level,
                pay_by: l.pay_by,
                claim: l.claim,
                batch: b.number,
                line: 0,
            });
            for (k, i) in l.items.iter().enumerate() {
                b.dunned.push(ledger::DunnedRecord {
                    letter: no.clone(),
                    date,
                    customer: l.customer.clone(),
                    invoice: i.invoice.clone(),
                    position: k as u32 + 1,
                    level: i.level,
                    due_date: i.due_date,
                    interest_from: i.interest.as_ref().map(|x| x.from),
                    interest_to: i.interest.as_ref().map(|x| x.to),
                    open: i.open,
                    interest: i.interest_amount(),
                    fee: i.fee,
                    claim: i.claim,
                    batch: b.number,
                    line: 0,
                });
            }
        }
        b
    });
    let fonts = render::pdf::Fonts::load();
    let mut files: Files = letters
        .iter()
        .filter_map(|(no, l)| {
            let c = customer(&l.customer)?;
            let pdf = render::dunning::letter_pdf(l, no, !issue, &ds.company, c, &fonts);
            Some((render::dunning::file_name(no), pdf))
        })
        .collect();
    files.push((
        render::dunning::CSV.to_string(),
        render::dunning::reminders_csv(&letters),
    ));
    // The review page (RULES 15) links the PDFs written above.
    let written: std::collections::HashSet<String> = files.iter().map(|f| f.0.clone()).collect();
    let pdf = |no: &str, _: &dunning::Letter| {
        Some(render::dunning::file_name(no)).filter(|f| written.contains(f))
    };
    let mut page = review::of_reminders(ds, &letters, &pdf, date, issue);
    page.files = [render::dunning::CSV, manifest::FILE]
        .map(String::from)
        .to_vec();
    files.push((
        render::review::FILE.to_string(),
        render::review::html(&page),
    ));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Reminders {
        letters,
        batch,
        files,
        unknown_customers,
    })
}
