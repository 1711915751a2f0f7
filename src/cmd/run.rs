//! `faktura run`: the monthly run. Drafts by default; with `--issue` numbers
//! are assigned and the ledger written. All outputs appear whole or not at
//! all; one run at a time per data folder.

use crate::decide::{self, Outcome};
use crate::invoice::{self, Mode};
use crate::period::Period;
use crate::render;
use crate::{ledger, write};
use rust_decimal::Decimal;
use std::path::Path;

pub fn run(data: &Path, period: &str, out: &Path, issue: bool, date: Option<&str>) -> u8 {
    let Some(period) = Period::parse(period) else {
        eprintln!("faktura: --period '{period}' is not a month (expected YYYY-MM, e.g. 2026-10)");
        return super::USAGE;
    };
    let date = match super::parse_date_arg(date) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let super::Prepared {
        raw,
        ds,
        led,
        _lock,
    } = match super::prepare(data, out, issue) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let parts = decide::decide(&ds);
    let mode = Mode { issue, date };
    let run = invoice::monthly_run(&ds, &parts, period, &led, &mode);
    for w in &run.warnings {
        eprintln!("warning: {w}");
    }
    if issue && run.is_empty() {
        println!(
            "{period}: nothing new to issue ({} items of the period are already on issued invoices); nothing written",
            run.already_billed
        );
        return super::OK;
    }
    // Every file goes into the staging folder as it is rendered: a large
    // run never holds its PDFs and CSVs in memory.
    let staging = match &run.batch {
        Some(b) => write::Staging::begin_issue(data, out, b.number),
        None => write::Staging::begin(out),
    };
    let staging = match staging {
        Ok(s) => s,
        Err(e) => {
            eprintln!("faktura: {e}");
            return super::FAILED;
        }
    };
    // The ledger batch's rows go into the ledger invoice by invoice beside
    // the files, after its last commit row (`write::Append`).
    let mut ledger_rows = match run.batch {
        Some(_) => match write::Append::open(data, led.committed_len) {
            Ok(a) => Some(a),
            Err(e) => {
                eprintln!("faktura: {e}");
                return super::FAILED;
            }
        },
        None => None,
    };
    let sink = super::StagingSink::new(&staging);
    let bar = crate::progress::bar(run.len() as u64, "rendering invoices");
    let rendered = render::run_files(
        &ds,
        &run,
        &|| bar.inc(1),
        &sink,
        ledger_rows
            .as_mut()
            .map(|a| a as &mut (dyn std::io::Write + Send)),
    );
    bar.finish_and_clear();
    if let Some(e) = sink.error() {
        eprintln!("faktura: {e}");
        return super::FAILED;
    }
    if let Some(e) = &rendered.batch_error {
        eprintln!(
            "faktura: cannot write {}: {e}",
            data.join(ledger::FILE).display()
        );
        return super::FAILED;
    }
    let facts = crate::manifest::Facts {
        kind: "run".into(),
        period: Some(period.to_string()),
        issued: issue,
        date: date.map(|d| d.to_string()),
        ..super::facts(&led)
    };
    let manifest = match super::manifest(&raw, &facts, &staging.written()) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let written = staging
        .put(crate::manifest::FILE, &manifest)
        .and_then(|()| match (ledger_rows, run.batch) {
            (Some(rows), Some(b)) => staging.issue(rows, &ledger::commit_row(b.number)),
            _ => staging.finish(),
        });
    if let Err(e) = written {
        eprintln!("faktura: {e}");
        return super::FAILED;
    }
    print!("{}", summary(&ds, &run, &rendered.invoices, period, out));
    drop(run);
    super::drop_both(parts, ds);
    super::OK
}

/// The terminal summary: per customer the invoice, net, VAT, gross and held hours.
fn summary(
    ds: &crate::model::Dataset,
    run: &invoice::Run,
    invoices: &[invoice::Invoice],
    period: Period,
    out: &Path,
) -> String {
    use std::collections::BTreeMap;
    use std::fmt::Write;
    let money = crate::money::money;
    let mut held: BTreeMap<&str, u32> = BTreeMap::new();
    for p in run.charges.parts() {
        if p.outcome == Outcome::Held {
            *held
                .entry(ds.customer_of(&ds.entries[p.entry]).as_str())
                .or_default() += p.minutes.get().unwrap_or(0);
        }
    }
    let mut rows: Vec<[String; 6]> = Vec::new();
    for inv in invoices {
        let h = if inv.project.is_none() {
            held.remove(inv.customer.as_str())
        } else {
            None
        };
        rows.push([
            inv.customer.to_string(),
            inv.number.clone(),
            money(inv.net),
            money(inv.vat),
            money(inv.gross),
            h.map_or(String::new(), hours),
        ]);
    }
    for (c, m) in held {
        rows.push([
            c.to_string(),
            "(none)".into(),
            String::new(),
            String::new(),
            String::new(),
            hours(m),
        ]);
    }
    let head = ["customer", "invoice", "net", "VAT", "gross", "held h"];
    let mut width = head.map(str::len);
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut s = String::new();
    let line = |s: &mut String, r: &[String; 6]| {
        let _ = writeln!(
            s,
            "{:<w0$}  {:<w1$}  {:>w2$}  {:>w3$}  {:>w4$}  {:>w5$}",
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            w0 = width[0],
            w1 = width[1],
            w2 = width[2],
            w3 = width[3],
            w4 = width[4],
            w5 = width[5]
        );
    };
    line(&mut s, &head.map(String::from));
    for r in &rows {
        line(&mut s, r);
    }
    let net: Decimal = invoices.iter().map(|i| i.net).sum();
    let vat: Decimal = invoices.iter().map(|i| i.vat).sum();
    let gross: Decimal = invoices.iter().map(|i| i.gross).sum();
    line(
        &mut s,
        &[
            "total".into(),
            format!("{} invoices", invoices.len()),
            money(net),
            money(vat),
            money(gross),
            String::new(),
        ],
    );
    let kind = if run.batch.is_some() {
        "issued"
    } else {
        "drafts"
    };
    let _ = writeln!(
        s,
        "{period} ({kind}, {}): written to {}",
        ds.company.currency,
        out.display()
    );
    s
}

fn hours(minutes: u32) -> String {
    crate::money::money(crate::money::round2(
        Decimal::from(minutes) / Decimal::from(60),
    ))
}
