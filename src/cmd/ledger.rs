//! `faktura ledger`: the books at a glance: every issued invoice with what
//! was paid, what is open and its status on the `--as-of` day (RULES 12),
//! each customer's credit, and totals per month of issue.

use crate::money::money;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// The dunning level an invoice reached and the date of that letter
/// (RULES 13): `2 on 2026-12-09 (MA-2026-00012)`; empty before any letter.
fn dunning(led: &crate::ledger::Ledger, invoice: &str) -> String {
    led.dunning_of(invoice)
        .max_by_key(|d| (d.level, d.date))
        .map_or(String::new(), |d| {
            format!("{} on {} ({})", d.level, d.date, d.letter)
        })
}

pub fn run(data: &Path, as_of: Option<&str>) -> u8 {
    let as_of = match super::as_of_or_today(as_of) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let led = match super::load_ledger(data) {
        Ok(l) => l,
        Err(code) => return code,
    };
    // Payments need the data set (currency, customer ids); without a
    // payments folder the ledger alone will do, as before.
    let src = match crate::load::payments(data) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("faktura: {e}");
            return super::FAILED;
        }
    };
    let rec = if src.folder {
        let (_, ds, _) = match super::load_valid(data) {
            Ok(v) => v,
            Err(code) => return code,
        };
        match super::receivables(&src, &ds, &led) {
            Ok(rec) => rec,
            Err(code) => return code,
        }
    } else {
        crate::payment::Receivables::default()
    };
    if led.invoices.is_empty() {
        println!(
            "no issued invoices in {}",
            data.join(crate::ledger::FILE).display()
        );
        return super::OK;
    }
    let head = [
        "invoice", "issued", "customer", "kind", "period", "net", "VAT", "gross", "paid", "open",
        "status", "dunning",
    ];
    let mut rows: Vec<[String; 12]> = Vec::new();
    let mut months: BTreeMap<String, (usize, Decimal, Decimal, Decimal)> = BTreeMap::new();
    for i in &led.invoices {
        let item = rec.item(&led, i, as_of);
        let (paid, open) = if i.is_cancellation() {
            (String::new(), String::new())
        } else {
            (money(item.paid), money(item.open))
        };
        let status = match (&i.refers_to, led.cancelled_by.get(&i.number)) {
            (Some(orig), _) if i.is_cancellation() => format!("cancellation of {orig}"),
            (_, Some(by)) => format!("cancelled by {by}"),
            _ if item.status == crate::payment::Status::Overdue => {
                format!("overdue {} d", item.days_overdue)
            }
            _ => item.status.as_str().to_string(),
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
            paid,
            open,
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
            if (5..=9).contains(&i) {
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
    let credits: Vec<(&String, Decimal)> = rec
        .credits
        .keys()
        .map(|c| (c, rec.credit(c, as_of)))
        .filter(|(_, x)| !x.is_zero())
        .collect();
    if !credits.is_empty() {
        let _ = writeln!(s, "\ncustomer credits (overpayments) on {as_of}:");
        for (c, x) in credits {
            let _ = writeln!(s, "{c}  {}", money(x));
        }
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
