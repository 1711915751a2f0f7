//! A project's lifecycle (P6, F17): requirements paper -> solution
//! document with cost -> approval -> due date -> implementation -> internal
//! QA acceptance -> final customer acceptance -> invoice. The status is
//! derived from `projects.csv`, `acceptances.csv` and the ledger; the effort
//! booked on a project (K1 parts) is compared with its fixed fee. Pure.

use crate::decide::{Outcome, Part};
use crate::diagnostic::Diagnostic;
use crate::invoice::acceptance_date;
use crate::ledger::{Item, Ledger};
use crate::model::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Status {
    Requirements,
    Solution,
    Approved,
    InProgress,
    QaAccepted,
    Accepted,
    Invoiced,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Requirements => "requirements paper",
            Status::Solution => "solution document",
            Status::Approved => "approved",
            Status::InProgress => "in progress",
            Status::QaAccepted => "QA accepted",
            Status::Accepted => "accepted",
            Status::Invoiced => "invoiced",
        }
    }
}

/// Everything a manager or the invoice command needs to know of a project.
pub struct State<'d> {
    pub project: &'d Project,
    pub status: Status,
    /// The first QA acceptance and the acceptance date (F17).
    pub qa: Option<NaiveDate>,
    pub accepted: Option<NaiveDate>,
    /// The invoice that billed it, from the ledger.
    pub invoice: Option<String>,
    /// Minutes booked per staff member (K1 parts).
    pub effort: BTreeMap<String, u32>,
}

impl State<'_> {
    pub fn effort_minutes(&self) -> u32 {
        self.effort.values().sum()
    }

    /// What is missing before the project can be invoiced, as a sentence
    /// (also the refusal of `faktura invoice`, RULES 5).
    pub fn missing_step(&self, ds: &Dataset) -> Option<String> {
        let p = self.project;
        let early_customer = ds
            .acceptances
            .iter()
            .filter(|a| a.project == p.id && a.stage == Stage::Customer)
            .map(|a| a.date)
            .min();
        match self.status {
            Status::Invoiced => None,
            Status::Accepted => Some(format!(
                "project {} was accepted on {} and is not invoiced yet: faktura invoice --project {} --issue --date D",
                p.id,
                self.accepted.map_or(String::new(), |d| d.to_string()),
                p.id
            )),
            _ if p.approved_on.is_none() => Some(format!(
                "project {} has no approval (approved_on is empty in projects.csv:{}){}",
                p.id,
                p.line,
                match (p.concept_on, p.solution_on) {
                    (None, _) => "; the requirements paper (concept_on) is missing too".to_string(),
                    (Some(_), None) => "; the solution document (solution_on) is missing too".to_string(),
                    _ => String::new(),
                }
            )),
            _ => match self.qa {
                None => Some(format!(
                    "project {} was approved on {} but has no internal QA acceptance{}",
                    p.id,
                    p.approved_on.map_or(String::new(), |d| d.to_string()),
                    early_customer.map_or(String::new(), |d| format!(
                        " (its customer acceptance on {d} does not count before QA, F17)"
                    ))
                )),
                Some(qa) => Some(format!(
                    "project {} has internal QA acceptance on {qa} but no customer acceptance{}",
                    p.id,
                    early_customer
                        .filter(|d| *d < qa)
                        .map_or(String::new(), |d| format!(" on or after it (the one on {d} predates QA, F17)"))
                )),
            },
        }
    }
}

/// The state of every project, in project id order.
pub fn states<'d>(ds: &'d Dataset, parts: &[Part], led: &Ledger) -> Vec<State<'d>> {
    let mut effort: BTreeMap<&ProjectId, BTreeMap<String, u32>> = BTreeMap::new();
    for p in parts.iter().filter(|p| p.outcome == Outcome::Project) {
        let e = &ds.entries[p.entry];
        if let Some(pid) = ds.project_of(e) {
            *effort
                .entry(pid)
                .or_default()
                .entry(ds.staff_of(e).to_string())
                .or_default() += p.minutes.get().unwrap_or(0);
        }
    }
    ds.projects
        .values()
        .map(|p| {
            let qa = ds
                .acceptances
                .iter()
                .filter(|a| a.project == p.id && a.stage == Stage::Qa)
                .map(|a| a.date)
                .min();
            let accepted = acceptance_date(ds, p);
            let invoice = led
                .is_billed(&Item::Project {
                    project: p.id.to_string(),
                })
                .map(|b| b.invoice.to_string());
            let has_effort = effort.contains_key(&p.id);
            let status = if invoice.is_some() {
                Status::Invoiced
            } else if accepted.is_some() {
                Status::Accepted
            } else if p.approved_on.is_some() && qa.is_some() {
                Status::QaAccepted
            } else if p.approved_on.is_some() && has_effort {
                Status::InProgress
            } else if p.approved_on.is_some() {
                Status::Approved
            } else if p.solution_on.is_some() {
                Status::Solution
            } else {
                Status::Requirements
            };
            State {
                project: p,
                status,
                qa,
                accepted,
                invoice,
                effort: effort.remove(&p.id).unwrap_or_default(),
            }
        })
        .collect()
}

/// Acceptances that keep the data valid but look wrong: out of order, of a
/// project without approval, or a stage accepted twice (warnings, F17 still
/// decides when the project is invoiceable).
pub fn acceptance_warnings(ds: &Dataset, file: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<(&ProjectId, Stage), u64> = BTreeMap::new();
    let mut sorted: Vec<&Acceptance> = ds.acceptances.iter().collect();
    sorted.sort_by_key(|a| a.line);
    // Each project's earliest QA, found once (not per customer acceptance).
    let mut first_qa: BTreeMap<&ProjectId, NaiveDate> = BTreeMap::new();
    for x in ds.acceptances.iter().filter(|x| x.stage == Stage::Qa) {
        first_qa
            .entry(&x.project)
            .and_modify(|d| *d = (*d).min(x.date))
            .or_insert(x.date);
    }
    for a in sorted {
        let Some(p) = ds.projects.get(&a.project) else {
            continue;
        };
        if p.approved_on.is_none() {
            out.push(Diagnostic::warning(
                file,
                a.line,
                "project_id",
                format!("acceptance of project {} which has no approved_on (expected an approved project; it cannot be invoiced until approved)", p.id),
            ));
        }
        if let Some(first) = seen.get(&(&a.project, a.stage)) {
            out.push(Diagnostic::warning(
                file,
                a.line,
                "stage",
                format!("second '{}' acceptance of project {} (expected one per stage; the first is line {first}; F17 uses the earliest)", a.stage.as_str(), p.id),
            ));
        } else {
            seen.insert((&a.project, a.stage), a.line);
        }
        if a.stage == Stage::Customer {
            let qa = first_qa.get(&a.project).copied();
            if qa.is_none_or(|q| a.date < q) {
                out.push(Diagnostic::warning(
                    file,
                    a.line,
                    "date",
                    format!(
                        "customer acceptance of project {} on {} before {} (expected internal QA first; this acceptance does not make the project invoiceable, F17)",
                        p.id,
                        a.date,
                        qa.map_or("any QA acceptance".to_string(), |q| format!("its QA acceptance on {q}"))
                    ),
                ));
            }
        }
    }
    out
}

/// The list price of the effort: hours at the rate card's `remote` price
/// valid on `date` (a yardstick for fixed-price projects, not an invoice).
pub fn effort_value(ds: &Dataset, minutes: u32, date: NaiveDate) -> Option<Decimal> {
    let r = ds.rate_card.rate_on("remote", date)?;
    Some(crate::money::round2(
        r.price * Decimal::from(minutes) / Decimal::from(60),
    ))
}
