//! Parts -> what a run bills and shows (SPEC 6, 7).

use crate::decide::{Outcome, Part};
use crate::model::Dataset;
use crate::period::Period;

/// The rows of `charges.csv` for a period (SPEC 7): every part of an entry
/// dated in the period, plus the billable work and travel rows of earlier
/// entries that are not yet on an issued invoice (`billed` says which are).
pub fn charges_of_period<'p>(
    ds: &Dataset,
    parts: &'p [Part],
    period: Period,
    billed: impl Fn(&Part) -> bool,
) -> Vec<&'p Part> {
    let first = period.first_day();
    parts
        .iter()
        .filter(|p| {
            let d = ds.entries[p.entry].date;
            period.contains(d) || (d < first && p.outcome == Outcome::Billable && !billed(p))
        })
        .collect()
}

use crate::model::{CustomerId, EntryId, ProjectId};
use chrono::NaiveDate;
use rust_decimal::Decimal;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum InvoiceKind {
    Monthly,
    Project,
}

impl InvoiceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceKind::Monthly => "monthly",
            InvoiceKind::Project => "project",
        }
    }
}

/// Why an invoice carries no German VAT (F15), or `None` for 19 %.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TaxNote {
    None,
    /// Another EU member with a VAT id: the customer owes the tax.
    ReverseCharge,
    /// Outside the EU: not taxable in Germany.
    NotTaxableInDe,
}

impl TaxNote {
    pub fn as_str(self) -> &'static str {
        match self {
            TaxNote::None => "",
            TaxNote::ReverseCharge => "reverse-charge",
            TaxNote::NotTaxableInDe => "not-taxable-in-DE",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LineKind {
    Fee,
    Work,
    Travel,
    Project,
    /// Covered or referral work shown at 0.00 as proof of work.
    Proof,
}

impl LineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Fee => "fee",
            LineKind::Work => "work",
            LineKind::Travel => "travel",
            LineKind::Project => "project",
            LineKind::Proof => "proof",
        }
    }
}

/// One line of an invoice.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub kind: LineKind,
    pub entry: Option<EntryId>,
    pub part: Option<u32>,
    pub date: Option<NaiveDate>,
    /// In the customer's language.
    pub description: String,
    /// Hours for work and proof lines (billed minutes / 60, shown rounded);
    /// 1 for fee, travel and project lines.
    pub quantity: Decimal,
    /// Minutes billed (work) or worked (proof); `None` for other lines.
    pub minutes: Option<u32>,
    /// `h`, `month`, `visit` or `project`.
    pub unit: &'static str,
    pub unit_price: Decimal,
    pub amount: Decimal,
}

/// One invoice, draft or issued.
#[derive(Clone, Debug, PartialEq)]
pub struct Invoice {
    /// `RE-2026-00042` when issued, `DRAFT-C2-2026-10` / `DRAFT-P-1` as a draft.
    pub number: String,
    pub draft: bool,
    pub kind: InvoiceKind,
    pub customer: CustomerId,
    pub project: Option<ProjectId>,
    pub period: Period,
    pub issue_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub service_from: NaiveDate,
    pub service_to: NaiveDate,
    pub lines: Vec<Line>,
    pub net: Decimal,
    pub vat_rate: Decimal,
    pub vat: Decimal,
    pub gross: Decimal,
    pub tax_note: TaxNote,
    pub currency: String,
}

impl Invoice {
    /// The PDF's file name in the output folder.
    pub fn file_name(&self) -> String {
        format!("{}.pdf", self.number)
    }
}
