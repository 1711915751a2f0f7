//! The project offer (Angebot, RULES 11, P6): the agreed fee of a project
//! whose solution document is done and which is not approved yet, with VAT
//! by the customer's country (F15) and the offer's validity. Pure.

use crate::invoice::{tax_of, TaxNote};
use crate::model::{Customer, Dataset, Project};
use crate::money::round2;
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

pub struct Offer<'d> {
    pub project: &'d Project,
    pub customer: &'d Customer,
    pub fee: Decimal,
    pub vat_rate: Decimal,
    pub vat: Decimal,
    pub gross: Decimal,
    pub tax_note: TaxNote,
    pub date: NaiveDate,
    pub valid_until: NaiveDate,
}

/// Why there is no offer.
#[derive(Debug, PartialEq)]
pub enum NoOffer {
    /// No such project (a usage error).
    Unknown(String),
    /// The project is past or not yet at the offer step (exit 3).
    Refused(String),
}

/// The offer of `project_id` dated `date`.
pub fn offer<'d>(ds: &'d Dataset, project_id: &str, date: NaiveDate) -> Result<Offer<'d>, NoOffer> {
    let p = ds.projects.get(project_id).ok_or_else(|| {
        NoOffer::Unknown(format!(
            "no project '{project_id}' in projects.csv (expected a project_id of projects.csv)"
        ))
    })?;
    if let Some(on) = p.approved_on {
        return Err(NoOffer::Refused(format!(
            "project {} is already approved (approved on {on}); an offer comes before the approval",
            p.id
        )));
    }
    if p.solution_on.is_none() {
        return Err(NoOffer::Refused(format!(
            "project {} has no solution yet (solution_on is empty); the solution document with the expected cost comes first",
            p.id
        )));
    }
    let customer = ds.customers.get(&p.customer).ok_or_else(|| {
        NoOffer::Unknown(format!(
            "customer {} of project {} not found",
            p.customer, p.id
        ))
    })?;
    let (vat_rate, tax_note) = tax_of(&ds.company, customer);
    let vat = round2(p.fee * vat_rate / Decimal::ONE_HUNDRED);
    Ok(Offer {
        project: p,
        customer,
        fee: p.fee,
        vat_rate,
        vat,
        gross: p.fee + vat,
        tax_note,
        date,
        valid_until: date + Days::new(u64::from(ds.company.estimate_valid_days)),
    })
}
