//! The plan (RULES 11): planned pieces of work, one row an item, read and
//! checked like the time log's rows (same field readers, vocabularies,
//! minutes F1, dates and references), every problem reported as
//! `plan.csv:line: column: ...` under the plan file's own name. A plan has
//! no staff, no approval and no project: projects are offered with `offer`.
//! Pure: bytes and the validated data set in, items and diagnostics out.

use crate::diagnostic::{self, Diagnostic};
use crate::load::Source;
use crate::model::*;
use crate::table::Table;
use crate::validate::{ACTIVITIES, CHANNELS, RESPONSIBILITIES};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

pub const COLUMNS: &[&str] = &[
    "item",
    "customer_id",
    "date",
    "start",
    "end",
    "channel",
    "responsibility",
    "activity",
    "ticket",
    "description",
];

/// One planned piece of work.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// The id the item will have as a time entry (`entry_id`).
    pub id: String,
    pub customer: CustomerId,
    pub date: NaiveDate,
    pub start: Minute,
    pub end: Minute,
    pub channel: Channel,
    pub responsibility: Responsibility,
    pub activity: Activity,
    pub ticket: Option<String>,
    pub description: String,
    pub line: u64,
}

impl Item {
    /// F1: `(end - start) mod 1440`.
    pub fn minutes(&self) -> u32 {
        (u32::from(self.end) + 1440 - u32::from(self.start)) % 1440
    }
}

/// Reads and checks the plan against the data set: all problems at once,
/// sorted by line. Items come back in file order, only when there is no
/// error.
pub fn read(src: &Source, ds: &Dataset) -> (Vec<Item>, Vec<Diagnostic>) {
    let file = src.name.as_str();
    let mut diags = Vec::new();
    let Some(bytes) = &src.bytes else {
        diags.push(Diagnostic::error(
            file,
            1,
            "file",
            format!(
                "not found at {} (expected a plan CSV with the columns {})",
                src.path.display(),
                COLUMNS.join(", ")
            ),
        ));
        return (Vec::new(), diags);
    };
    let Some(table) = Table::open(file, bytes, COLUMNS, &mut diags) else {
        return (Vec::new(), with_project_note(diags));
    };
    let logged: HashSet<&str> = ds.entries.iter().map(|e| e.id()).collect();
    let (items, row_diags) = table.rows(|r| {
        let id = r.str(0, "an item id (it becomes the entry_id)");
        let customer = match r.opt_str(1) {
            Ok(Some(c)) => match ds.customers.get_key_value(c) {
                Some((k, _)) => Some(k.clone()),
                None => {
                    r.error(
                        1,
                        format!("unknown customer '{c}' (expected the id of a row in customers.csv)"),
                    );
                    None
                }
            },
            Ok(None) => {
                r.error(1, "empty (expected a customer id)");
                None
            }
            Err(()) => None,
        };
        let date = r.date(2);
        let start = r.time(3, false);
        let end = r.time(4, false);
        let channel = r.choice(5, CHANNELS);
        let responsibility = r.choice(6, RESPONSIBILITIES);
        let activity = r.choice(7, ACTIVITIES);
        let ticket = r.opt_str(8);
        let description = r.str(9, "a description of the planned work");
        let mut ok = true;
        if let (Some(s), Some(e)) = (start, end) {
            if s == e {
                r.error(4, format!("end equals start {} (expected a duration above zero; an end before the start means past midnight, F1)", format_minute(s)));
                ok = false;
            }
        }
        if let Some(id) = id {
            if logged.contains(id) {
                r.error(0, format!("'{id}' is already an entry_id of timelog.csv (expected an id that is not in the time log yet: the item becomes that entry)"));
                ok = false;
            }
        }
        // A date with no valid rate for a code the item may need (RULES 3).
        if let (Some(date), Some(ch), Some(resp), Some(act)) = (date, channel, responsibility, activity) {
            let free_referral = resp == Responsibility::ThirdParty
                && matches!(act, Activity::Diagnosis | Activity::Referral);
            let travel = (ch == Channel::Onsite).then_some("travel");
            for code in std::iter::once(ch.as_str()).chain(travel) {
                if !free_referral && ds.rate_card.rate_on(code, date).is_none() {
                    r.error(2, format!("no rate for '{code}' valid on {date} (expected a row of the rate card with code {code} and valid_from on or before {date})"));
                    ok = false;
                }
            }
        }
        if !ok {
            return None;
        }
        Some(Item {
            id: id?.to_string(),
            customer: customer?,
            date: date?,
            start: start?,
            end: end?,
            channel: channel?,
            responsibility: responsibility?,
            activity: activity?,
            ticket: ticket.ok()?.map(str::to_string),
            description: description?.to_string(),
            line: r.line,
        })
    });
    diags.extend(row_diags);
    // Item ids are entry ids: unique within the plan too.
    let mut first: HashMap<&str, u64> = HashMap::new();
    for it in &items {
        if let Some(line) = first.get(it.id.as_str()) {
            diags.push(Diagnostic::error(
                file,
                it.line,
                "item",
                format!(
                    "duplicate item '{}' (expected each item id once; first on line {line})",
                    it.id
                ),
            ));
        } else {
            first.insert(&it.id, it.line);
        }
    }
    let mut diags = with_project_note(diags);
    diagnostic::sort(&mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return (Vec::new(), diags);
    }
    (items, diags)
}

/// A `project_id` column is refused with the reason, not as just another
/// unknown column: project work is offered with `faktura offer`.
fn with_project_note(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .map(|mut d| {
            if d.column == "project_id" && d.message.starts_with("unknown column") {
                d.message = "a plan has no project work (expected no project_id column; a project is offered with `faktura offer --project ID`)".into();
            }
            d
        })
        .collect()
}
