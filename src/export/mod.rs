//! The books for the accountant (RULES 14): every issued invoice and
//! cancellation of a date range, from the ledger, and every payment booked
//! in it, as bookings, rendered as a DATEV Buchungsstapel (`datev`, X1) or
//! an hledger journal (`hledger`, X2). This module selects and checks what
//! goes into the books (which documents, which customer, which tax case);
//! the two renderers only turn that into bytes. Pure: data set, ledger and
//! payments in, files and diagnostics out; the same inputs give the same
//! bytes (X3).

pub mod datev;
pub mod hledger;

use crate::diagnostic::Diagnostic;
use crate::ledger::{IssuedInvoice, Ledger};
use crate::model::{Customer, Dataset};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A payment allocated to an invoice (or, without one, a customer's
/// credit), as the payments module (RULES 12) books it: what the exports
/// need of it. `amount` is signed: a returned payment is negative.
#[derive(Clone, PartialEq, Debug)]
pub struct BookedPayment {
    /// Booking date on the bank statement (or of the manual row).
    pub date: NaiveDate,
    pub amount: Decimal,
    /// The invoice the amount is allocated to; `None` for a credit.
    pub invoice_no: Option<String>,
    pub customer_id: String,
    /// `payments.csv`'s id (`<file>:<entry>`, or the manual row's id).
    pub payment_id: String,
}

/// The two formats of `faktura export --format`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    Datev,
    Hledger,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "datev" => Some(Format::Datev),
            "hledger" => Some(Format::Hledger),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Datev => "datev",
            Format::Hledger => "hledger",
        }
    }
}

/// The dates an export covers, both inclusive.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Range {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Range {
    /// `None` when `from` is after `to`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Option<Range> {
        (from <= to).then_some(Range { from, to })
    }
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

/// How an invoice is taxed (RULES 6, F15): it decides the revenue account.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TaxCase {
    /// Taxable in Germany at the rate (the company's, 19 %).
    Domestic(Decimal),
    /// Another EU member with a VAT id: the recipient owes the VAT.
    EuReverseCharge,
    /// Outside the EU: not taxable in Germany.
    NonEu,
}

impl TaxCase {
    /// From the ledger's `tax_note` and rate, as the invoice was issued.
    pub fn of(inv: &IssuedInvoice) -> TaxCase {
        match inv.tax_note.as_str() {
            "reverse-charge" => TaxCase::EuReverseCharge,
            "not-taxable-in-DE" => TaxCase::NonEu,
            _ => TaxCase::Domestic(inv.vat_rate),
        }
    }
}

/// An issued invoice or cancellation with what the books need of it.
#[derive(Clone, Debug)]
pub struct Document<'a> {
    pub invoice: &'a IssuedInvoice,
    pub customer: &'a Customer,
    pub case: TaxCase,
}

impl Document<'_> {
    pub fn is_cancellation(&self) -> bool {
        self.invoice.is_cancellation()
    }
}

/// A payment with its customer.
#[derive(Clone, Debug)]
pub struct Payment<'a> {
    pub payment: &'a BookedPayment,
    pub customer: &'a Customer,
}

/// One thing to book, in the order of the books.
#[derive(Clone, Debug)]
pub enum Entry<'a> {
    Document(Document<'a>),
    Payment(Payment<'a>),
}

impl Entry<'_> {
    pub fn date(&self) -> NaiveDate {
        match self {
            Entry::Document(d) => d.invoice.issue_date,
            Entry::Payment(p) => p.payment.date,
        }
    }
    pub fn customer(&self) -> &Customer {
        match self {
            Entry::Document(d) => d.customer,
            Entry::Payment(p) => p.customer,
        }
    }
    /// Order within a day: invoices, then cancellations, then payments,
    /// each by number (or payment id).
    fn key(&self) -> (NaiveDate, u8, &str) {
        match self {
            Entry::Document(d) => (
                d.invoice.issue_date,
                u8::from(d.is_cancellation()),
                &d.invoice.number,
            ),
            Entry::Payment(p) => (p.payment.date, 2, &p.payment.payment_id),
        }
    }
}

/// What the range holds, in booking order: every issued invoice and
/// cancellation dated in it (issue date) and every payment booked in it.
/// A document or payment whose customer is no longer in `customers.csv` is
/// an error.
pub fn select<'a>(
    ds: &'a Dataset,
    led: &'a Ledger,
    payments: &'a [BookedPayment],
    range: Range,
) -> (Vec<Entry<'a>>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut entries = Vec::new();
    for inv in led.invoices.iter().filter(|i| range.contains(i.issue_date)) {
        match ds.customers.get(inv.customer.as_str()) {
            Some(customer) => entries.push(Entry::Document(Document {
                invoice: inv,
                customer,
                case: TaxCase::of(inv),
            })),
            None => diags.push(Diagnostic::error(
                crate::ledger::FILE,
                inv.line,
                "customer_id",
                format!(
                    "customer '{}' of {} is not in customers.csv (expected every invoiced customer to stay, to book its invoices)",
                    inv.customer, inv.number
                ),
            )),
        }
    }
    for p in payments.iter().filter(|p| range.contains(p.date)) {
        match ds.customers.get(p.customer_id.as_str()) {
            Some(customer) => entries.push(Entry::Payment(Payment {
                payment: p,
                customer,
            })),
            None => diags.push(Diagnostic::error(
                "payments",
                0,
                "customer_id",
                format!(
                    "payment {}: customer '{}' is not in customers.csv (expected the customer the payment is allocated to)",
                    p.payment_id, p.customer_id
                ),
            )),
        }
    }
    entries.sort_by(|a, b| a.key().cmp(&b.key()));
    (entries, diags)
}

/// What an export made: its one file, the warnings, and what it holds.
#[derive(Debug)]
pub struct Exported {
    pub files: crate::Files,
    pub warnings: Vec<Diagnostic>,
    pub invoices: usize,
    pub cancellations: usize,
    pub payments: usize,
}

/// The export of `range` in `format`: the book (its name and bytes) and the
/// warnings; or every error, and nothing to write.
pub fn export(
    ds: &Dataset,
    led: &Ledger,
    payments: &[BookedPayment],
    format: Format,
    range: Range,
) -> Result<Exported, Vec<Diagnostic>> {
    let (entries, mut diags) = select(ds, led, payments, range);
    let file = match format {
        Format::Datev => datev::buchungsstapel(&ds.company, &entries, range, &mut diags),
        Format::Hledger => Some(hledger::journal(&ds.company, &entries, range, &mut diags)),
    };
    crate::diagnostic::sort(&mut diags);
    match file {
        Some(f) if !diags.iter().any(Diagnostic::is_error) => {
            let count = |cancellation: bool| {
                entries
                    .iter()
                    .filter(
                        |e| matches!(e, Entry::Document(d) if d.is_cancellation() == cancellation),
                    )
                    .count()
            };
            Ok(Exported {
                files: vec![f],
                warnings: diags,
                invoices: count(false),
                cancellations: count(true),
                payments: entries
                    .iter()
                    .filter(|e| matches!(e, Entry::Payment(_)))
                    .count(),
            })
        }
        _ => Err(diags),
    }
}
