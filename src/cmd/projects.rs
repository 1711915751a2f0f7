//! `faktura projects`: every project's status, next step, due date and effort.

use crate::decide;
use crate::money::money;
use crate::project::{self, Status};
use rust_decimal::Decimal;
use std::fmt::Write;
use std::path::Path;

pub fn run(data: &Path, date: Option<&str>) -> u8 {
    let today = match date {
        None => chrono::Local::now().date_naive(),
        Some(d) => match crate::table::parse_date(d) {
            Some(d) => d,
            None => {
                eprintln!("faktura: --date '{d}' is not a date (expected YYYY-MM-DD)");
                return super::USAGE;
            }
        },
    };
    let (_raw, ds, _) = match super::load_valid(data) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let led = match super::load_ledger(data) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let parts = decide::decide(&ds);
    let states = project::states(&ds, &parts, &led);
    let mut s = String::new();
    let head = [
        "project",
        "customer",
        "status",
        "due",
        "fee",
        "effort h",
        "at list price",
        "next step",
    ];
    let mut rows: Vec<[String; 8]> = Vec::new();
    for st in &states {
        let p = st.project;
        let overdue = p.due_on.is_some_and(|d| d < today) && st.status < Status::Accepted;
        let minutes = st.effort_minutes();
        let value = project::effort_value(
            &ds,
            minutes,
            today
                .min(p.due_on.unwrap_or(today))
                .max(p.approved_on.unwrap_or(today)),
        );
        let over = value.is_some_and(|v| v > p.fee);
        rows.push([
            p.id.to_string(),
            p.customer.to_string(),
            st.invoice
                .as_ref()
                .map_or(st.status.as_str().to_string(), |i| format!("invoiced {i}")),
            p.due_on.map_or("-".into(), |d| {
                format!("{d}{}", if overdue { " !" } else { "" })
            }),
            money(p.fee),
            money(crate::money::round2(
                Decimal::from(minutes) / Decimal::from(60),
            )),
            value.map_or("-".into(), |v| {
                format!("{}{}", money(v), if over { " over" } else { "" })
            }),
            st.missing_step(&ds).unwrap_or_else(|| "-".into()),
        ]);
    }
    let mut width = head.map(str::len);
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r.iter()) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |s: &mut String, r: &[String]| {
        let mut out = String::new();
        for (i, (c, w)) in r.iter().zip(width).enumerate() {
            let pad = w.saturating_sub(c.chars().count());
            if (4..=6).contains(&i) {
                out.push_str(&" ".repeat(pad));
                out.push_str(c);
            } else {
                out.push_str(c);
                if i + 1 < r.len() {
                    out.push_str(&" ".repeat(pad));
                }
            }
            if i + 1 < r.len() {
                out.push_str("  ");
            }
        }
        let _ = writeln!(s, "{}", out.trim_end());
    };
    line(&mut s, &head.map(String::from));
    for r in &rows {
        line(&mut s, r);
    }
    let _ = writeln!(s, "\nEffort by staff (K1 parts):");
    for st in &states {
        if st.effort.is_empty() {
            let _ = writeln!(s, "  {}: none booked", st.project.id);
            continue;
        }
        let by: Vec<String> = st
            .effort
            .iter()
            .map(|(who, m)| {
                format!(
                    "{who} {}",
                    money(crate::money::round2(Decimal::from(*m) / Decimal::from(60)))
                )
            })
            .collect();
        let _ = writeln!(s, "  {}: {}", st.project.id, by.join(", "));
    }
    let _ = writeln!(s, "\nDue dates judged against {today}; ! = overdue and not accepted; 'over' = effort at list price exceeds the fee.");
    print!("{s}");
    super::OK
}
