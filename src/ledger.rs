//! The ledger: what was issued. One append-only CSV file in the data folder,
//! `ledger.csv`, written in batches; each batch ends with a `commit` row, so
//! a batch cut short by a crash is recognised and dropped (old state). It
//! records every issued invoice and every item it billed, so that no item is
//! billed twice and no number is used twice. Pure: bytes in, values out.

use crate::diagnostic::Diagnostic;
use crate::period::Period;
use crate::table::{self, Table};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::collections::HashMap;

pub const FILE: &str = "ledger.csv";

pub const COLUMNS: &[&str] = &[
    "record",
    "invoice_no",
    "issue_date",
    "customer_id",
    "kind",
    "period",
    "item",
    "ref",
    "rule",
    "minutes",
    "amount",
    "net",
    "vat",
    "gross",
    "batch",
];

/// What an invoice line bills, as the ledger keys it.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Item {
    /// An entry's part: `T-000123#2`.
    Part { entry: String, part: u32 },
    /// A contract's fee for a month: `V-1@2026-10`.
    Fee { contract: String, month: Period },
    /// A customer's call-out fee of a day: `K-1001@2026-10-22`.
    Travel { customer: String, date: NaiveDate },
    /// A project's fee.
    Project { project: String },
}

impl Item {
    pub fn kind(&self) -> &'static str {
        match self {
            Item::Part { .. } => "part",
            Item::Fee { .. } => "fee",
            Item::Travel { .. } => "travel",
            Item::Project { .. } => "project",
        }
    }
    pub fn reference(&self) -> String {
        match self {
            Item::Part { entry, part } => format!("{entry}#{part}"),
            Item::Fee { contract, month } => format!("{contract}@{month}"),
            Item::Travel { customer, date } => format!("{customer}@{date}"),
            Item::Project { project } => project.clone(),
        }
    }
    fn parse(kind: &str, r: &str) -> Option<Item> {
        match kind {
            "part" => {
                let (e, p) = r.rsplit_once('#')?;
                Some(Item::Part {
                    entry: e.into(),
                    part: p.parse().ok()?,
                })
            }
            "fee" => {
                let (c, m) = r.rsplit_once('@')?;
                Some(Item::Fee {
                    contract: c.into(),
                    month: Period::parse(m)?,
                })
            }
            "travel" => {
                let (c, d) = r.rsplit_once('@')?;
                Some(Item::Travel {
                    customer: c.into(),
                    date: table::parse_date(d)?,
                })
            }
            "project" => Some(Item::Project { project: r.into() }),
            _ => None,
        }
    }
}

/// An issued invoice as the ledger keeps it.
#[derive(Clone, PartialEq, Debug)]
pub struct IssuedInvoice {
    pub number: String,
    pub issue_date: NaiveDate,
    pub customer: String,
    pub kind: String,
    pub period: String,
    pub net: Decimal,
    pub vat: Decimal,
    pub gross: Decimal,
    pub batch: u64,
}

/// A billed item: on which invoice, and what it was when billed (for F18).
#[derive(Clone, PartialEq, Debug)]
pub struct Billed {
    pub invoice: String,
    pub rule: String,
    pub minutes: Option<u32>,
    pub amount: Decimal,
}

/// One `item` row as read, with its line and batch.
#[derive(Clone, Debug)]
pub struct ItemRow {
    pub item: Item,
    pub billed: Billed,
    pub line: u64,
    pub batch: u64,
}

#[derive(Clone, Default, Debug)]
pub struct Ledger {
    pub invoices: Vec<IssuedInvoice>,
    pub items: HashMap<Item, Billed>,
    /// Items in file order, for checks (no item twice).
    pub item_rows: Vec<ItemRow>,
    pub last_batch: u64,
    /// Bytes of the committed part: anything after it is an unfinished batch.
    pub committed_len: usize,
    /// Rows after the last commit (a crash during an append), dropped.
    pub dropped_rows: usize,
}

impl Ledger {
    pub fn is_billed(&self, item: &Item) -> Option<&Billed> {
        self.items.get(item)
    }
    /// The next gapless sequence number of `year` (issue date's year).
    pub fn next_seq(&self, year: i32) -> u32 {
        self.invoices
            .iter()
            .filter(|i| i.issue_date.year() == year)
            .count() as u32
            + 1
    }
    pub fn has_batch(&self, batch: u64) -> bool {
        self.last_batch >= batch && batch > 0
    }
    /// The ledger as it was before batch `batch` was appended (for verify).
    pub fn before(&self, batch: u64) -> Ledger {
        let item_rows: Vec<ItemRow> = self
            .item_rows
            .iter()
            .filter(|r| r.batch < batch)
            .cloned()
            .collect();
        Ledger {
            invoices: self
                .invoices
                .iter()
                .filter(|i| i.batch < batch)
                .cloned()
                .collect(),
            items: item_rows
                .iter()
                .map(|r| (r.item.clone(), r.billed.clone()))
                .collect(),
            item_rows,
            last_batch: self.last_batch.min(batch.saturating_sub(1)),
            committed_len: 0,
            dropped_rows: 0,
        }
    }
}

/// Formats an invoice number: `{year}`, `{seq}` and `{seq:05}` (zero-padded).
pub fn format_number(format: &str, year: i32, seq: u32) -> String {
    let mut out = format.replace("{year}", &year.to_string());
    while let Some(start) = out.find("{seq") {
        let Some(len) = out[start..].find('}') else {
            break;
        };
        let spec = &out[start + 4..start + len];
        let width: usize = spec
            .trim_start_matches(':')
            .trim_start_matches('0')
            .parse()
            .unwrap_or(0);
        let n = format!("{seq:0width$}");
        out.replace_range(start..=start + len, &n);
    }
    out
}

/// Reads the ledger. Rows after the last `commit` are an unfinished batch
/// and are dropped; a malformed committed row is an error.
pub fn parse(bytes: &[u8]) -> (Ledger, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut ledger = Ledger::default();
    let Some(t) = Table::open(FILE, bytes, COLUMNS, &mut diags) else {
        return (ledger, diags);
    };
    enum Row {
        Invoice(IssuedInvoice),
        Item(Item, Billed, u64, u64),
        Commit(u64, u64),
    }
    let (rows, d) = t.rows(|r| {
        let record = r.str(0, "invoice, item or commit")?;
        match record {
            "invoice" => {
                let number = r.str(1, "an invoice number")?.to_string();
                let issue_date = r.date(2)?;
                let customer = r.str(3, "a customer id")?.to_string();
                let kind = r.str(4, "monthly or project")?.to_string();
                let period = r.opt_str(5).ok()?.unwrap_or_default().to_string();
                let net = signed(r, 11)?;
                let vat = signed(r, 12)?;
                let gross = signed(r, 13)?;
                let batch = r.uint(14, "a batch number")? as u64;
                Some(Row::Invoice(IssuedInvoice {
                    number,
                    issue_date,
                    customer,
                    kind,
                    period,
                    net,
                    vat,
                    gross,
                    batch,
                }))
            }
            "item" => {
                let invoice = r.str(1, "an invoice number")?.to_string();
                let kind = r.str(6, "part, fee, travel or project")?;
                let reference = r.str(7, "the item's reference")?;
                let Some(item) = Item::parse(kind, reference) else {
                    r.error(7, format!("'{reference}' is not a {kind} reference"));
                    return None;
                };
                let rule = r.opt_str(8).ok()?.unwrap_or_default().to_string();
                let minutes = r.opt_str(9).ok()?.and_then(|m| m.parse().ok());
                let amount = signed(r, 10)?;
                let batch = r.uint(14, "a batch number")? as u64;
                Some(Row::Item(
                    item,
                    Billed {
                        invoice,
                        rule,
                        minutes,
                        amount,
                    },
                    r.line,
                    batch,
                ))
            }
            "commit" => {
                let batch = r.uint(14, "a batch number")? as u64;
                Some(Row::Commit(batch, r.line))
            }
            other => {
                r.error(
                    0,
                    format!("unknown record '{other}' (expected invoice, item or commit)"),
                );
                None
            }
        }
    });
    // The byte length of the committed part: up to the end of the last commit row.
    let mut pending_invoices = Vec::new();
    let mut pending_items = Vec::new();
    let mut last_commit_line = 0;
    for row in rows {
        match row {
            Row::Invoice(i) => pending_invoices.push(i),
            Row::Item(i, b, l, batch) => pending_items.push(ItemRow {
                item: i,
                billed: b,
                line: l,
                batch,
            }),
            Row::Commit(batch, line) => {
                ledger.invoices.append(&mut pending_invoices);
                for row in pending_items.drain(..) {
                    ledger.items.insert(row.item.clone(), row.billed.clone());
                    ledger.item_rows.push(row);
                }
                ledger.last_batch = ledger.last_batch.max(batch);
                last_commit_line = line;
            }
        }
    }
    ledger.dropped_rows = pending_invoices.len() + pending_items.len();
    // A row cut short by a crash is part of the dropped batch, not an error.
    diags.extend(d.into_iter().filter(|x| x.line <= last_commit_line));
    ledger.committed_len = end_of_line(bytes, last_commit_line);
    (ledger, diags)
}

fn signed(r: &mut table::Row, col: usize) -> Option<Decimal> {
    let s = r.str(col, "an amount")?;
    match table::parse_decimal(s) {
        Some(d) => Some(d),
        None => {
            r.error(col, format!("'{s}' is not an amount"));
            None
        }
    }
}

/// Byte offset just after line `line` (1-based); 0 for line 0 keeps the header.
fn end_of_line(bytes: &[u8], line: u64) -> usize {
    let line = line.max(1);
    let mut n = 0u64;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            n += 1;
            if n == line {
                return i + 1;
            }
        }
    }
    bytes.len()
}

/// A new batch to append: invoices and their items, then the commit row.
pub struct Batch {
    pub number: u64,
    pub invoices: Vec<IssuedInvoice>,
    pub items: Vec<(Item, Billed)>,
}

/// The header line, for a new ledger.
pub fn header() -> Vec<u8> {
    let mut w = crate::render::csv::writer();
    w.write_record(COLUMNS).expect("write to memory");
    w.into_inner().expect("flush to memory")
}

/// The rows of a batch, ending with its commit row.
pub fn batch_bytes(b: &Batch) -> Vec<u8> {
    use crate::render::csv::money;
    let mut w = crate::render::csv::writer();
    let batch = b.number.to_string();
    for i in &b.invoices {
        w.write_record([
            "invoice",
            &i.number,
            &i.issue_date.to_string(),
            &i.customer,
            &i.kind,
            &i.period,
            "",
            "",
            "",
            "",
            "",
            &money(i.net),
            &money(i.vat),
            &money(i.gross),
            &batch,
        ])
        .expect("write to memory");
    }
    for (item, billed) in &b.items {
        w.write_record([
            "item",
            &billed.invoice,
            "",
            "",
            "",
            "",
            item.kind(),
            &item.reference(),
            &billed.rule,
            &billed.minutes.map(|m| m.to_string()).unwrap_or_default(),
            &money(billed.amount),
            "",
            "",
            "",
            &batch,
        ])
        .expect("write to memory");
    }
    w.write_record([
        "commit", "", "", "", "", "", "", "", "", "", "", "", "", "", &batch,
    ])
    .expect("write to memory");
    w.into_inner().expect("flush to memory")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(
            format_number("RE-{year}-{seq:05}", 2026, 42),
            "RE-2026-00042"
        );
        assert_eq!(format_number("{seq}/{year}", 2027, 7), "7/2027");
    }

    #[test]
    fn an_unfinished_batch_is_dropped() {
        let b = Batch {
            number: 1,
            invoices: vec![IssuedInvoice {
                number: "RE-2026-00001".into(),
                issue_date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
                customer: "C2".into(),
                kind: "monthly".into(),
                period: "2026-10".into(),
                net: Decimal::new(22020, 2),
                vat: Decimal::new(4184, 2),
                gross: Decimal::new(26204, 2),
                batch: 1,
            }],
            items: vec![(
                Item::Part {
                    entry: "e2".into(),
                    part: 2,
                },
                Billed {
                    invoice: "RE-2026-00001".into(),
                    rule: "K7;A1".into(),
                    minutes: Some(30),
                    amount: Decimal::new(4320, 2),
                },
            )],
        };
        let mut bytes = header();
        bytes.extend(batch_bytes(&b));
        let committed = bytes.len();
        let (l, d) = parse(&bytes);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(l.invoices.len(), 1);
        assert_eq!(l.committed_len, committed);
        assert_eq!(l.next_seq(2026), 2);
        // A second batch cut short before its commit row.
        let mut b2 = batch_bytes(&Batch { number: 2, ..b });
        b2.truncate(b2.len() - 20);
        bytes.extend(b2);
        let (l, _) = parse(&bytes);
        assert_eq!(l.invoices.len(), 1);
        assert_eq!(l.dropped_rows, 2);
        assert_eq!(l.committed_len, committed);
    }
}
