//! `faktura verify`: the comparisons, without I/O. A recomputed run is
//! compared with the files found, CSVs field by field and PDFs byte by byte;
//! the ledger is checked on its own (numbers gapless and unique, each
//! invoice's net the sum of its items, VAT and gross right, no item twice,
//! every billed entry part still in the time log). Every difference is a
//! line `file:line: column: expected X, found Y`.

use crate::decide::Part;
use crate::invoice::tax_of;
use crate::ledger::{self, Item, Ledger};
use crate::model::Dataset;
use crate::money::money;
use crate::money::round2;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Compares two CSV files field by field.
pub fn compare_csv(file: &str, expected: &[u8], found: &[u8]) -> Vec<String> {
    let read = |b: &[u8]| -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(b)
            .records()
            .filter_map(Result::ok)
            .map(|r| r.iter().map(str::to_string).collect())
            .collect()
    };
    let (e, f) = (read(expected), read(found));
    let header = e.first().cloned().unwrap_or_default();
    let mut out = Vec::new();
    for i in 0..e.len().max(f.len()) {
        let line = i + 1;
        match (e.get(i), f.get(i)) {
            (Some(x), Some(y)) => {
                for c in 0..x.len().max(y.len()) {
                    let (a, b) = (
                        x.get(c).map_or("", String::as_str),
                        y.get(c).map_or("", String::as_str),
                    );
                    if a != b {
                        let col = header
                            .get(c)
                            .map_or(format!("column {}", c + 1), String::clone);
                        out.push(format!("{file}:{line}: {col}: expected {a:?}, found {b:?}"));
                    }
                }
            }
            (Some(x), None) => out.push(format!(
                "{file}:{line}: row: expected {:?}, found no row",
                x.join(",")
            )),
            (None, Some(y)) => out.push(format!(
                "{file}:{line}: row: expected no row, found {:?}",
                y.join(",")
            )),
            (None, None) => {}
        }
    }
    if out.is_empty() && expected != found {
        out.push(format!(
            "{file}:1: bytes: same fields, different bytes (quoting or line ends)"
        ));
    }
    out
}

/// Compares two binary files; the first differing byte.
pub fn compare_bytes(file: &str, expected: &[u8], found: &[u8]) -> Option<String> {
    if expected == found {
        return None;
    }
    let at = expected
        .iter()
        .zip(found)
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(found.len()));
    Some(format!(
        "{file}: bytes differ from offset {at} (expected {} bytes, found {}; the recomputed file is not the one on disk)",
        expected.len(),
        found.len()
    ))
}

/// The ledger's own consistency, against the current inputs.
pub fn check_ledger(ds: &Dataset, parts: &[Part], led: &Ledger) -> Vec<String> {
    let f = ledger::FILE;
    let mut out = Vec::new();
    // Numbers: unique, and per year of issue the gapless sequence 1..n.
    let mut seen = HashSet::new();
    let mut by_year: BTreeMap<(i32, bool), Vec<&ledger::IssuedInvoice>> = BTreeMap::new();
    for inv in &led.invoices {
        if !seen.insert(&inv.number) {
            out.push(format!(
                "{f}: invoice_no: {} is used twice (expected unique numbers)",
                inv.number
            ));
        }
        by_year
            .entry((
                chrono::Datelike::year(&inv.issue_date),
                inv.is_cancellation(),
            ))
            .or_default()
            .push(inv);
    }
    for ((year, cancellation), invs) in &by_year {
        let format = if *cancellation {
            &ds.company.cancellation_number_format
        } else {
            &ds.company.invoice_number_format
        };
        for (i, inv) in invs.iter().enumerate() {
            let want = ledger::format_number(format, *year, i as u32 + 1);
            if inv.number != want {
                out.push(format!(
                    "{f}:{}: invoice_no: expected {want} as number {} of {year}, found {} (a gap or a number out of sequence)",
                    inv.line,
                    i + 1,
                    inv.number
                ));
                break;
            }
        }
    }
    out.extend(check_letters(ds, led));
    // Net = sum of lines; VAT and gross; cancellations negate their original.
    let mut sums: HashMap<&str, Decimal> = HashMap::new();
    for l in &led.lines {
        *sums.entry(l.invoice.as_str()).or_default() += l.amount;
        if !seen.contains(&l.invoice) {
            out.push(format!(
                "{f}:{}: invoice_no: line of {} which is not in the ledger",
                l.line, l.invoice
            ));
        }
    }
    for inv in &led.invoices {
        let sum = sums.get(inv.number.as_str()).copied().unwrap_or_default();
        if sum != inv.net {
            out.push(format!(
                "{f}:{}: net: {}: expected {} (the sum of its lines), found {}",
                inv.line,
                inv.number,
                money(sum),
                money(inv.net)
            ));
        }
        if let Some(c) = ds.customers.get(inv.customer.as_str()) {
            let (rate, _) = tax_of(&ds.company, c);
            let vat = round2(inv.net * rate / Decimal::ONE_HUNDRED);
            if vat != inv.vat || rate != inv.vat_rate {
                out.push(format!(
                    "{f}:{}: vat: {}: expected {} ({} % of {}), found {} ({} %)",
                    inv.line,
                    inv.number,
                    money(vat),
                    rate.normalize(),
                    money(inv.net),
                    money(inv.vat),
                    inv.vat_rate.normalize()
                ));
            }
        }
        if inv.net + inv.vat != inv.gross {
            out.push(format!(
                "{f}:{}: gross: {}: expected {}, found {}",
                inv.line,
                inv.number,
                money(inv.net + inv.vat),
                money(inv.gross)
            ));
        }
        if let (true, Some(orig)) = (inv.is_cancellation(), &inv.refers_to) {
            let a: Vec<&ledger::LineRow> = led.lines_of(orig).collect();
            let b: Vec<&ledger::LineRow> = led.lines_of(&inv.number).collect();
            let negated = a.len() == b.len()
                && a.iter().zip(&b).all(|(x, y)| {
                    x.amount == -y.amount && x.item == y.item && x.unit_price == y.unit_price
                });
            if led.invoice(orig).is_none() || !negated {
                out.push(format!(
                    "{f}:{}: refers_to: cancellation {} does not negate every line of {orig}",
                    inv.line, inv.number
                ));
            }
        }
    }
    // No item on two live invoices.
    let live = |n: &str| {
        led.invoice(n).is_some_and(|i| !i.is_cancellation()) && !led.cancelled_by.contains_key(n)
    };
    let mut item_seen: HashMap<&Item, (&str, u64)> = HashMap::new();
    for l in &led.lines {
        let Some(item) = &l.item else { continue };
        if !live(&l.invoice) {
            continue;
        }
        if let Some((other, first)) = item_seen.insert(item, (&l.invoice, l.line)) {
            out.push(format!(
                "{f}:{}: ref: {} {} is billed on {} and on {} (line {first}) (expected once)",
                l.line,
                item.kind(),
                item.reference(),
                l.invoice,
                other
            ));
        }
    }
    // Every billed entry part still in the time log.
    let present: HashSet<(&str, u32)> = parts
        .iter()
        .map(|p| (ds.entries[p.entry].id(), p.part))
        .collect();
    for l in &led.lines {
        if let Some(Item::Part { entry, part }) = &l.item {
            if live(&l.invoice) && !present.contains(&(entry.as_str(), *part)) {
                out.push(format!(
                    "{f}:{}: ref: {entry}#{part} on {} is no longer in timelog.csv (expected every billed entry part to stay)",
                    l.line, l.invoice
                ));
            }
        }
    }
    out
}

/// The dunning letters in the ledger (SPEC 13): numbers unique and gapless
/// per year in their own range; each dunned invoice issued, its levels
/// rising one by one, never one twice; claim = open + interest + fee, and
/// a letter's claim the sum of its invoices'.
pub fn check_letters(ds: &Dataset, led: &Ledger) -> Vec<String> {
    let f = ledger::FILE;
    let mut out = Vec::new();
    let mut by_year: BTreeMap<i32, Vec<&ledger::LetterRecord>> = BTreeMap::new();
    let mut seen = HashSet::new();
    for l in &led.letters {
        if !seen.insert(l.number.as_str()) {
            out.push(format!(
                "{f}:{}: invoice_no: letter {} is used twice (expected unique numbers)",
                l.line, l.number
            ));
        }
        by_year
            .entry(chrono::Datelike::year(&l.date))
            .or_default()
            .push(l);
    }
    for (year, letters) in &by_year {
        for (i, l) in letters.iter().enumerate() {
            let want =
                ledger::format_number(&ds.company.dunning.number_format, *year, i as u32 + 1);
            if l.number != want {
                out.push(format!(
                    "{f}:{}: invoice_no: expected {want} as letter {} of {year}, found {} (a gap or a number out of sequence)",
                    l.line,
                    i + 1,
                    l.number
                ));
                break;
            }
        }
    }
    let mut levels: HashMap<&str, u8> = HashMap::new();
    let mut claims: HashMap<&str, Decimal> = HashMap::new();
    for d in &led.dunned {
        if led.invoice(&d.invoice).is_none() {
            out.push(format!(
                "{f}:{}: refers_to: {} on letter {} is not an issued invoice",
                d.line, d.invoice, d.letter
            ));
        }
        if !seen.contains(d.letter.as_str()) {
            out.push(format!(
                "{f}:{}: invoice_no: {} is on letter {} which is not in the ledger",
                d.line, d.invoice, d.letter
            ));
        }
        let before = levels.insert(&d.invoice, d.level).unwrap_or(0);
        if d.level != before + 1 {
            out.push(format!(
                "{f}:{}: rule: {} reaches level {} on letter {} after level {before} (expected level {}: never a level twice, none skipped)",
                d.line, d.invoice, d.level, d.letter, before + 1
            ));
        }
        if d.open + d.interest + d.fee != d.claim {
            out.push(format!(
                "{f}:{}: gross: {} on letter {}: expected {} (open + interest + fee), found {}",
                d.line,
                d.invoice,
                d.letter,
                money(d.open + d.interest + d.fee),
                money(d.claim)
            ));
        }
        *claims.entry(d.letter.as_str()).or_default() += d.claim;
    }
    for l in &led.letters {
        let sum = claims.get(l.number.as_str()).copied().unwrap_or_default();
        if sum != l.claim {
            out.push(format!(
                "{f}:{}: gross: letter {}: expected {} (the sum of its invoices' claims), found {}",
                l.line,
                l.number,
                money(sum),
                money(l.claim)
            ));
        }
    }
    out
}
