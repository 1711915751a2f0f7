//! `faktura ledger`: the books at a glance: every issued invoice with its
//! status, and totals per month of issue.

use crate::money::money;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// The dunning level an invoice reached and the date of that letter
/// (SPEC 13): `2 on 2026-12-09 (MA-2026-00012)`; empty before any letter.
fn dunning(led: &crate::ledger::Ledger, invoice: &str) -> String {
    led.dunning_of(invoice)
        .max_by_key(|d| (d.level, d.date))
        .map_or(String::new(), |d| {
            format!("{} on {} ({})", d.level, d.date, d.letter)
        })
}

pub fn run(data: &Path) -> u8 {
    let led = match super::load_ledger(data) {
        Ok(l) => l,
        Err(code) => return code,
    };
    if led.invoices.is_empty() {
        println!(
            "no issued invoices in {}",
            data.join(crate::ledger::FILE).display()
        );
        return super::OK;
    }
    let head = [
        "invoice", "issued", "customer", "kind", "period", "net", "VAT", "gross", "status",
        "dunning",
    ];
    let mut rows: Vec<[String; 10]> = Vec::new();
    let mut months: BTreeMap<String, (usize, Decimal, Decimal, Decimal)> = BTreeMap::new();
    for i in &led.invoices {
        let status = match (&i.refers_to, led.cancelled_by.get(&i.number)) {
            (Some(orig), _) if i.is_cancellation() => format!("cancellation of {orig}"),
            (_, Some(by)) => format!("cancelled by {by}"),
            _ => "open".to_string(),
        };
        rows.push([
            i.number.clone(),
            i.issue_date.to_string(),
            i.customer.clone(),
            i.kind.clone(),
            i.period.clone(),
            money(i.net),
            money(i.vat),
            money(i.gross),
            status,
            dunning(&led, &i.number),
        ]);
        let m = months
            .entry(i.issue_date.format("%Y-%m").to_string())
            .or_default();
        m.0 += 1;
        m.1 += i.net;
        m.2 += i.vat;
        m.3 += i.gross;
    }
    let mut width = head.map(str::len);
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r.iter()) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut s = String::new();
    let line = |s: &mut String, r: &[String]| {
        let mut out = String::new();
        for (i, (c, w)) in r.iter().zip(width).enumerate() {
            let pad = " ".repeat(w.saturating_sub(c.chars().count()));
            if (5..=7).contains(&i) {
                out.push_str(&pad);
                out.push_str(c);
            } else {
                out.push_str(c);
                out.push_str(&pad);
            }
            out.push_str("  ");
        }
        let _ = writeln!(s, "{}", out.trim_end());
    };
    line(&mut s, &head.map(String::from));
    for r in &rows {
        line(&mut s, r);
    }
    let _ = writeln!(
        s,
        "\nmonth    invoices  net  VAT  gross (cancellations count negative)"
    );
    for (m, (n, net, vat, gross)) in &months {
        let _ = writeln!(
            s,
            "{m}  {n:>8}  {}  {}  {}",
            money(*net),
            money(*vat),
            money(*gross)
        );
    }
    print!("{s}");
    super::OK
}
