//! The ledger: what was issued. One append-only CSV file in the data folder,
//! `ledger.csv`, written in batches; each batch ends with a `commit` row, so
//! a batch cut short by a crash is recognised and dropped (old state). It
//! keeps every issued invoice (cancellations included) with every line and
//! the item each line bills, so that no item is billed twice, no number is
//! used twice, and an issued invoice can be reproduced or cancelled from the
//! ledger alone. Pure: bytes in, values out.
//!
//! Dunning letters (RULES 13) are batches of the same file, so they share
//! the lock, the commit rows and the crash recovery of invoices: a
//! `letter` row per letter (`invoice_no` is the letter's number, `kind`
//! `dunning`, `rule` its level, `due_date` the new deadline, `gross` the
//! total claim) and a `dunned` row per invoice on it (`refers_to` the
//! invoice, `line` its position, `rule` its level, `due_date` the
//! invoice's due date as moved to a working day, `service_from`/`service_to`
//! the interest period, `net` the open amount, `unit_price` the interest,
//! `amount` the flat fee, `gross` the claim).

use crate::diagnostic::Diagnostic;
use crate::period::Period;
use crate::table::{self, Table};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::Arc;

pub const FILE: &str = "ledger.csv";

pub const COLUMNS: &[&str] = &[
    "record",
    "batch",
    "invoice_no",
    "issue_date",
    "customer_id",
    "kind",
    "project_id",
    "period",
    "service_from",
    "service_to",
    "due_date",
    "vat_rate",
    "tax_note",
    "refers_to",
    "reason",
    "net",
    "vat",
    "gross",
    "line",
    "line_kind",
    "item",
    "ref",
    "rule",
    "minutes",
    "date",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "amount",
    "entry",
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
}

/// An item as a ledger line names it, borrowed from the line: what an
/// audit reads of a line it does not keep (`audit`) costs no allocation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ItemRef<'a> {
    Part { entry: &'a str, part: u32 },
    Fee { contract: &'a str, month: Period },
    Travel { customer: &'a str, date: NaiveDate },
    Project { project: &'a str },
}

impl<'a> ItemRef<'a> {
    fn parse(kind: &str, r: &'a str) -> Option<ItemRef<'a>> {
        match kind {
            "part" => {
                let (e, p) = r.rsplit_once('#')?;
                Some(ItemRef::Part {
                    entry: e,
                    part: p.parse().ok()?,
                })
            }
            "fee" => {
                let (c, m) = r.rsplit_once('@')?;
                Some(ItemRef::Fee {
                    contract: c,
                    month: Period::parse(m)?,
                })
            }
            "travel" => {
                let (c, d) = r.rsplit_once('@')?;
                Some(ItemRef::Travel {
                    customer: c,
                    date: table::parse_date(d)?,
                })
            }
            "project" => Some(ItemRef::Project { project: r }),
            _ => None,
        }
    }
    pub fn owned(self) -> Item {
        match self {
            ItemRef::Part { entry, part } => Item::Part {
                entry: entry.into(),
                part,
            },
            ItemRef::Fee { contract, month } => Item::Fee {
                contract: contract.into(),
                month,
            },
            ItemRef::Travel { customer, date } => Item::Travel {
                customer: customer.into(),
                date,
            },
            ItemRef::Project { project } => Item::Project {
                project: project.into(),
            },
        }
    }
}

/// An issued invoice (or cancellation) as the ledger keeps it.
#[derive(Clone, PartialEq, Debug)]
pub struct IssuedInvoice {
    pub number: String,
    pub issue_date: NaiveDate,
    pub customer: String,
    /// `monthly`, `project` or `cancellation`.
    pub kind: String,
    pub project: Option<String>,
    pub period: String,
    pub service_from: NaiveDate,
    pub service_to: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub vat_rate: Decimal,
    pub tax_note: String,
    /// For a cancellation: the number of the invoice it cancels.
    pub refers_to: Option<String>,
    pub reason: Option<String>,
    pub net: Decimal,
    pub vat: Decimal,
    pub gross: Decimal,
    pub batch: u64,
    /// Line in `ledger.csv`.
    pub line: u64,
}

impl IssuedInvoice {
    pub fn is_cancellation(&self) -> bool {
        self.kind == "cancellation"
    }
}

/// One line of an issued invoice, with the item it bills (none for proof of work).
#[derive(Clone, PartialEq, Debug)]
pub struct LineRow {
    /// Shared by the lines of one invoice (and `kind`, `rule` and `unit`
    /// by every line with the same text): a year's ledger holds millions.
    pub invoice: Arc<str>,
    pub line_no: u32,
    pub kind: Arc<str>,
    pub item: Option<Item>,
    /// The entry part a line shows (work, travel and proof-of-work lines).
    pub entry: Option<(String, u32)>,
    pub rule: Arc<str>,
    pub minutes: Option<u32>,
    pub date: Option<NaiveDate>,
    pub description: String,
    pub quantity: Decimal,
    pub unit: Arc<str>,
    pub unit_price: Decimal,
    pub amount: Decimal,
    pub batch: u64,
    /// Line in `ledger.csv`.
    pub line: u64,
}

/// The items billed by invoices that are not cancelled (F18, RULES 6),
/// each found through the ledger line that bills it: the index keeps line
/// positions only, not a second copy of every item (a year's ledger has
/// millions).
#[derive(Clone, Default, Debug)]
pub struct BilledItems {
    at: hashbrown::HashTable<u32>,
}

fn item_hash(item: &Item) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(item)
}

impl BilledItems {
    /// The live lines' items; a later line of the same item wins.
    fn of(lines: &[LineRow], live: impl Fn(&str) -> bool) -> BilledItems {
        let mut at = hashbrown::HashTable::new();
        let item = |j: &u32| lines[*j as usize].item.as_ref();
        for (k, r) in lines.iter().enumerate() {
            let Some(it) = r.item.as_ref().filter(|_| live(&r.invoice)) else {
                continue;
            };
            let hash = item_hash(it);
            match at.entry(
                hash,
                |j| item(j) == Some(it),
                |j| item(j).map_or(0, item_hash),
            ) {
                hashbrown::hash_table::Entry::Occupied(mut o) => *o.get_mut() = k as u32,
                hashbrown::hash_table::Entry::Vacant(v) => {
                    v.insert(k as u32);
                }
            }
        }
        BilledItems { at }
    }
}

/// A dunning letter as the ledger keeps it (RULES 13)./// A dunning letter as the ledger keeps it (RULES 13).
#[derive(Clone, PartialEq, Debug)]
pub struct LetterRecord {
    pub number: String,
    pub date: NaiveDate,
    pub customer: String,
    /// The highest level on the letter (its title).
    pub level: u8,
    /// The new payment deadline.
    pub pay_by: NaiveDate,
    pub claim: Decimal,
    pub batch: u64,
    pub line: u64,
}

/// One invoice on a dunning letter, at the level it reached by it.
#[derive(Clone, PartialEq, Debug)]
pub struct DunnedRecord {
    pub letter: String,
    pub date: NaiveDate,
    pub customer: String,
    pub invoice: String,
    pub position: u32,
    pub level: u8,
    pub due_date: NaiveDate,
    pub interest_from: Option<NaiveDate>,
    pub interest_to: Option<NaiveDate>,
    pub open: Decimal,
    pub interest: Decimal,
    pub fee: Decimal,
    pub claim: Decimal,
    pub batch: u64,
    pub line: u64,
}

#[derive(Clone, Default, Debug)]
pub struct Ledger {
    pub invoices: Vec<IssuedInvoice>,
    pub lines: Vec<LineRow>,
    /// Dunning letters and the invoices on them, in ledger order.
    pub letters: Vec<LetterRecord>,
    pub dunned: Vec<DunnedRecord>,
    /// Items billed by invoices that are not cancelled (F18, RULES 6).
    pub items: BilledItems,
    /// Original invoice number -> the cancellation that cancels it.
    pub cancelled_by: HashMap<String, String>,
    pub last_batch: u64,
    /// Bytes of the committed part: anything after it is an unfinished batch.
    pub committed_len: usize,
    /// Rows after the last commit (a crash during an append), dropped.
    pub dropped_rows: usize,
}

impl Ledger {
    pub(crate) fn from_rows(invoices: Vec<IssuedInvoice>, lines: Vec<LineRow>) -> Ledger {
        let mut l = Ledger {
            invoices,
            lines,
            ..Ledger::default()
        };
        for i in &l.invoices {
            if let (true, Some(orig)) = (i.is_cancellation(), &i.refers_to) {
                l.cancelled_by.insert(orig.clone(), i.number.clone());
            }
            l.last_batch = l.last_batch.max(i.batch);
        }
        let live: HashMap<&str, bool> = l
            .invoices
            .iter()
            .map(|i| {
                (
                    i.number.as_str(),
                    !i.is_cancellation() && !l.cancelled_by.contains_key(&i.number),
                )
            })
            .collect();
        l.items = BilledItems::of(&l.lines, |n| live.get(n) == Some(&true));
        l
    }

    /// The line of a live invoice that bills `item` (its invoice, rule,
    /// minutes and amount as billed).
    pub fn is_billed(&self, item: &Item) -> Option<&LineRow> {
        let at = self.items.at.find(item_hash(item), |j| {
            self.lines[*j as usize].item.as_ref() == Some(item)
        })?;
        Some(&self.lines[*at as usize])
    }
    /// Every item billed by a live invoice, with its line (in no order).
    pub fn billed(&self) -> impl Iterator<Item = (&Item, &LineRow)> + '_ {
        self.items.at.iter().filter_map(|j| {
            let r = &self.lines[*j as usize];
            Some((r.item.as_ref()?, r))
        })
    }
    /// Nothing billed yet (before the first issue, or all cancelled).
    pub fn nothing_billed(&self) -> bool {
        self.items.at.is_empty()
    }
    pub fn invoice(&self, number: &str) -> Option<&IssuedInvoice> {
        self.invoices.iter().find(|i| i.number == number)
    }
    pub fn lines_of<'a>(&'a self, number: &'a str) -> impl Iterator<Item = &'a LineRow> + 'a {
        self.lines.iter().filter(move |l| *l.invoice == *number)
    }
    /// The next gapless sequence number of `year` in a range: invoices, or
    /// cancellations (their own range).
    pub fn next_seq(&self, year: i32, cancellation: bool) -> u32 {
        self.invoices
            .iter()
            .filter(|i| i.issue_date.year() == year && i.is_cancellation() == cancellation)
            .count() as u32
            + 1
    }
    /// The next gapless number of `year` in the letters' range.
    pub fn next_letter_seq(&self, year: i32) -> u32 {
        self.letters
            .iter()
            .filter(|l| l.date.year() == year)
            .count() as u32
            + 1
    }
    /// The dunning records of an invoice, in the order they were issued.
    pub fn dunning_of<'a>(
        &'a self,
        invoice: &'a str,
    ) -> impl Iterator<Item = &'a DunnedRecord> + 'a {
        self.dunned.iter().filter(move |d| d.invoice == invoice)
    }
    pub(crate) fn with_letters(
        mut self,
        letters: Vec<LetterRecord>,
        dunned: Vec<DunnedRecord>,
    ) -> Ledger {
        for l in &letters {
            self.last_batch = self.last_batch.max(l.batch);
        }
        self.letters = letters;
        self.dunned = dunned;
        self
    }
    pub fn has_batch(&self, batch: u64) -> bool {
        self.last_batch >= batch && batch > 0
    }
    /// The ledger as it was before batch `batch` was appended (the tests
    /// compare `audit::scan` with it).
    #[cfg(test)]
    pub fn before(&self, batch: u64) -> Ledger {
        let mut l = Ledger::from_rows(
            self.invoices
                .iter()
                .filter(|i| i.batch < batch)
                .cloned()
                .collect(),
            self.lines
                .iter()
                .filter(|r| r.batch < batch)
                .cloned()
                .collect(),
        )
        .with_letters(
            self.letters
                .iter()
                .filter(|r| r.batch < batch)
                .cloned()
                .collect(),
            self.dunned
                .iter()
                .filter(|r| r.batch < batch)
                .cloned()
                .collect(),
        );
        l.last_batch = l.last_batch.min(batch.saturating_sub(1));
        l
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

pub(crate) enum Row<'r> {
    Invoice(IssuedInvoice),
    Line(LineView<'r>),
    Letter(LetterRecord),
    Dunned(DunnedRecord),
    Commit(u64),
}

/// Reads the ledger. Rows after the last `commit` are an unfinished batch
/// and are dropped; a malformed committed row is an error.
pub fn parse(bytes: &[u8]) -> (Ledger, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Some(t) = Table::open(FILE, bytes, COLUMNS, &mut diags) else {
        return (Ledger::default(), diags);
    };
    let (at, first_line) = t.body_at(bytes);
    // Each chunk sorts its rows by record as it parses them: no vector of
    // every row of the file beside the ledger made of them.
    let (chunks, d, _) = t
        .chunks_in(
            &bytes[at..],
            first_line,
            true,
            Rows::default,
            |r, into| {
                match row(r, &mut into.names)? {
                    Row::Invoice(i) => into.invoices.push(i),
                    Row::Line(l) => into.lines.push(l.owned()),
                    Row::Letter(m) => into.letters.push(m),
                    Row::Dunned(x) => into.dunned.push(x),
                    Row::Commit(line) => into.last_commit = line,
                }
                Some(())
            },
            |into, _| into,
        )
        .unwrap_or_default();
    let last_commit_line = chunks.iter().map(|c| c.last_commit).max().unwrap_or(0);
    let mut all = Rows::joined(chunks);
    // Rows after the last commit are a batch cut short by a crash: dropped.
    let dropped = all.keep_before(last_commit_line);
    let mut ledger =
        Ledger::from_rows(all.invoices, all.lines).with_letters(all.letters, all.dunned);
    ledger.dropped_rows = dropped;
    // A row cut short by a crash is part of the dropped batch, not an error.
    diags.extend(d.into_iter().filter(|x| x.line <= last_commit_line));
    ledger.committed_len = end_of_line(bytes, last_commit_line);
    (ledger, diags)
}

/// The rows of a ledger (or of a chunk of it) by record.
#[derive(Default)]
pub(crate) struct Rows {
    pub invoices: Vec<IssuedInvoice>,
    pub lines: Vec<LineRow>,
    pub letters: Vec<LetterRecord>,
    pub dunned: Vec<DunnedRecord>,
    /// The line of the last commit row seen.
    pub last_commit: u64,
    pub names: Names,
}

/// One shared copy of each text that many lines repeat.
#[derive(Default)]
pub(crate) struct Names(rustc_hash::FxHashSet<Arc<str>>);

impl Names {
    fn of(&mut self, text: &str) -> Arc<str> {
        if let Some(a) = self.0.get(text) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(text);
        self.0.insert(a.clone());
        a
    }
}

impl Rows {
    /// The chunks' rows, in file order.
    pub(crate) fn joined(chunks: Vec<Rows>) -> Rows {
        fn join<T>(parts: Vec<Vec<T>>) -> Vec<T> {
            let mut out = Vec::with_capacity(parts.iter().map(Vec::len).sum());
            for mut p in parts {
                out.append(&mut p);
            }
            out
        }
        let mut by = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for c in chunks {
            by.0.push(c.invoices);
            by.1.push(c.lines);
            by.2.push(c.letters);
            by.3.push(c.dunned);
        }
        Rows {
            invoices: join(by.0),
            lines: join(by.1),
            letters: join(by.2),
            dunned: join(by.3),
            last_commit: 0,
            names: Names::default(),
        }
    }
    /// Keeps the rows before line `commit`; returns how many were dropped.
    pub(crate) fn keep_before(&mut self, commit: u64) -> usize {
        fn cut<T>(v: &mut Vec<T>, line: impl Fn(&T) -> u64, commit: u64) -> usize {
            let keep = v.partition_point(|x| line(x) < commit);
            let dropped = v.len() - keep;
            v.truncate(keep);
            dropped
        }
        cut(&mut self.invoices, |x| x.line, commit)
            + cut(&mut self.lines, |x| x.line, commit)
            + cut(&mut self.letters, |x| x.line, commit)
            + cut(&mut self.dunned, |x| x.line, commit)
    }
}

/// One row of the ledger; `None` (with a diagnostic) when it is malformed.
/// A ledger line as parsed, its texts borrowed from the row: `owned` when
/// it is kept.
pub(crate) struct LineView<'r> {
    pub invoice: Arc<str>,
    pub line_no: u32,
    pub kind: Arc<str>,
    pub item: Option<ItemRef<'r>>,
    pub entry: Option<(&'r str, u32)>,
    pub rule: Arc<str>,
    pub minutes: Option<u32>,
    pub date: Option<NaiveDate>,
    pub description: &'r str,
    pub quantity: Decimal,
    pub unit: Arc<str>,
    pub unit_price: Decimal,
    pub amount: Decimal,
    pub batch: u64,
    pub line: u64,
}

impl LineView<'_> {
    pub fn owned(self) -> LineRow {
        LineRow {
            invoice: self.invoice,
            line_no: self.line_no,
            kind: self.kind,
            item: self.item.map(ItemRef::owned),
            entry: self.entry.map(|(e, p)| (e.to_string(), p)),
            rule: self.rule,
            minutes: self.minutes,
            date: self.date,
            description: self.description.to_string(),
            quantity: self.quantity,
            unit: self.unit,
            unit_price: self.unit_price,
            amount: self.amount,
            batch: self.batch,
            line: self.line,
        }
    }
}

pub(crate) fn row<'r>(r: &mut table::Row<'r>, names: &mut Names) -> Option<Row<'r>> {
    let record = r.str(0, "invoice, line or commit")?;
    let batch = r.uint(1, "a batch number")? as u64;
    match record {
        "invoice" => {
            let number = r.str(2, "an invoice number")?.to_string();
            let issue_date = r.date(3)?;
            let customer = r.str(4, "a customer id")?.to_string();
            let kind = r.str(5, "monthly, project or cancellation")?.to_string();
            let project = r.opt_str(6).ok()?.map(str::to_string);
            let period = r.opt_str(7).ok()?.unwrap_or_default().to_string();
            let service_from = r.date(8)?;
            let service_to = r.date(9)?;
            let due_date = r.opt_date(10).ok()?;
            let vat_rate = signed(r, 11)?;
            let tax_note = r.opt_str(12).ok()?.unwrap_or_default().to_string();
            let refers_to = r.opt_str(13).ok()?.map(str::to_string);
            let reason = r.opt_str(14).ok()?.map(str::to_string);
            let net = signed(r, 15)?;
            let vat = signed(r, 16)?;
            let gross = signed(r, 17)?;
            Some(Row::Invoice(IssuedInvoice {
                number,
                issue_date,
                customer,
                kind,
                project,
                period,
                service_from,
                service_to,
                due_date,
                vat_rate,
                tax_note,
                refers_to,
                reason,
                net,
                vat,
                gross,
                batch,
                line: r.line,
            }))
        }
        "line" => {
            let invoice = names.of(r.str(2, "an invoice number")?);
            let line_no = r.uint(18, "a line number")?;
            let kind = names.of(r.str(19, "fee, work, travel, project or proof")?);
            let entry = r
                .opt_str(30)
                .ok()?
                .and_then(|x| x.rsplit_once('#'))
                .and_then(|(e, p)| Some((e, p.parse().ok()?)));
            let item = match (r.opt_str(20).ok()?, r.opt_str(21).ok()?) {
                (Some(k), Some(reference)) => match ItemRef::parse(k, reference) {
                    Some(i) => Some(i),
                    None => {
                        r.error(21, format!("'{reference}' is not a {k} reference"));
                        return None;
                    }
                },
                _ => None,
            };
            let rule = names.of(r.opt_str(22).ok()?.unwrap_or_default());
            let minutes = r.opt_str(23).ok()?.and_then(|m| m.parse().ok());
            let date = r.opt_date(24).ok()?;
            let description = r.opt_str(25).ok()?.unwrap_or_default();
            let quantity = signed(r, 26)?;
            let unit = names.of(r.opt_str(27).ok()?.unwrap_or_default());
            let unit_price = signed(r, 28)?;
            let amount = signed(r, 29)?;
            Some(Row::Line(LineView {
                invoice,
                line_no,
                kind,
                item,
                entry,
                rule,
                minutes,
                date,
                description,
                quantity,
                unit,
                unit_price,
                amount,
                batch,
                line: r.line,
            }))
        }
        "letter" => {
            let number = r.str(2, "a letter number")?.to_string();
            let date = r.date(3)?;
            let customer = r.str(4, "a customer id")?.to_string();
            let level = level(r, 22)?;
            let pay_by = r.date(10)?;
            let claim = signed(r, 17)?;
            Some(Row::Letter(LetterRecord {
                number,
                date,
                customer,
                level,
                pay_by,
                claim,
                batch,
                line: r.line,
            }))
        }
        "dunned" => {
            let letter = r.str(2, "a letter number")?.to_string();
            let date = r.date(3)?;
            let customer = r.str(4, "a customer id")?.to_string();
            let due_date = r.date(10)?;
            let invoice = r.str(13, "the dunned invoice's number")?.to_string();
            let position = r.uint(18, "the position on the letter")?;
            let level = level(r, 22)?;
            let interest_from = r.opt_date(8).ok()?;
            let interest_to = r.opt_date(9).ok()?;
            let open = signed(r, 15)?;
            let interest = signed(r, 28)?;
            let fee = signed(r, 29)?;
            let claim = signed(r, 17)?;
            Some(Row::Dunned(DunnedRecord {
                letter,
                date,
                customer,
                invoice,
                position,
                level,
                due_date,
                interest_from,
                interest_to,
                open,
                interest,
                fee,
                claim,
                batch,
                line: r.line,
            }))
        }
        "commit" => Some(Row::Commit(r.line)),
        other => {
            r.error(
                0,
                format!(
                    "unknown record '{other}' (expected invoice, line, letter, dunned or commit)"
                ),
            );
            None
        }
    }
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

fn level(r: &mut table::Row, col: usize) -> Option<u8> {
    let n = r.uint(col, "a dunning level 1, 2 or 3")?;
    if (1..=3).contains(&n) {
        Some(n as u8)
    } else {
        r.error(
            col,
            format!("'{n}' is not a dunning level (expected 1, 2 or 3)"),
        );
        None
    }
}

/// Byte offset just after line `line` (1-based); line 0 keeps the header.
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

/// A new batch to append: invoices with their lines, then the commit row.
#[derive(Default)]
pub struct Batch {
    pub number: u64,
    pub invoices: Vec<IssuedInvoice>,
    pub lines: Vec<LineRow>,
    pub letters: Vec<LetterRecord>,
    pub dunned: Vec<DunnedRecord>,
}

/// The header line, for a new ledger.
pub fn header() -> Vec<u8> {
    let mut w = crate::csvout::writer();
    w.write_record(COLUMNS).expect("write to memory");
    w.into_inner().expect("flush to memory")
}

/// The rows of a batch, ending with its commit row.
pub fn batch_bytes(b: &Batch) -> Vec<u8> {
    let mut out = batch_rows(b);
    out.extend(commit_row(b.number));
    out
}

/// The commit row that ends batch `number`: what is after the last one
/// is a torn batch.
pub fn commit_row(number: u64) -> Vec<u8> {
    let mut w = crate::csvout::writer();
    let mut row = [""; 31];
    let batch = number.to_string();
    row[0] = "commit";
    row[1] = &batch;
    w.write_record(row).expect("write to memory");
    w.into_inner().expect("flush to memory")
}

/// The rows of a batch without its commit row. A monthly run makes them
/// invoice by invoice as it renders and puts them together in order.
pub fn batch_rows(b: &Batch) -> Vec<u8> {
    use crate::money::{money, percent};
    let mut w = crate::csvout::writer();
    let batch = b.number.to_string();
    let d = |x: Option<NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
    let blank = || [""; 31].map(String::from);
    // Each invoice's lines, in their order, found once (a scan of every
    // line per invoice was 3,001 x 225,000 comparisons in a large run).
    let mut lines_of: HashMap<&str, Vec<&LineRow>> = HashMap::new();
    for l in &b.lines {
        lines_of.entry(&*l.invoice).or_default().push(l);
    }
    // Invoice and line rows borrow their text: only numbers, dates and
    // amounts are formatted (a large batch has a million line rows).
    for i in &b.invoices {
        let (issue, from, to) = (
            i.issue_date.to_string(),
            i.service_from.to_string(),
            i.service_to.to_string(),
        );
        let (due, rate) = (d(i.due_date), percent(i.vat_rate));
        let (net, vat, gross) = (money(i.net), money(i.vat), money(i.gross));
        let mut row = [""; 31];
        row[0] = "invoice";
        row[1] = &batch;
        row[2] = &i.number;
        row[3] = &issue;
        row[4] = &i.customer;
        row[5] = &i.kind;
        row[6] = i.project.as_deref().unwrap_or_default();
        row[7] = &i.period;
        row[8] = &from;
        row[9] = &to;
        row[10] = &due;
        row[11] = &rate;
        row[12] = &i.tax_note;
        row[13] = i.refers_to.as_deref().unwrap_or_default();
        row[14] = i.reason.as_deref().unwrap_or_default();
        row[15] = &net;
        row[16] = &vat;
        row[17] = &gross;
        w.write_record(row).expect("write to memory");
        for l in lines_of.get(i.number.as_str()).into_iter().flatten() {
            let line_no = l.line_no.to_string();
            let reference = l.item.as_ref().map_or(String::new(), Item::reference);
            let entry = l
                .entry
                .as_ref()
                .map_or(String::new(), |(e, p)| format!("{e}#{p}"));
            let minutes = l.minutes.map(|m| m.to_string()).unwrap_or_default();
            let date = d(l.date);
            let (quantity, unit_price, amount) =
                (money(l.quantity), money(l.unit_price), money(l.amount));
            let mut row = [""; 31];
            row[0] = "line";
            row[1] = &batch;
            row[2] = &l.invoice;
            row[18] = &line_no;
            row[19] = &l.kind;
            row[20] = l.item.as_ref().map_or("", |x| x.kind());
            row[21] = &reference;
            row[30] = &entry;
            row[22] = &l.rule;
            row[23] = &minutes;
            row[24] = &date;
            row[25] = &l.description;
            row[26] = &quantity;
            row[27] = &l.unit;
            row[28] = &unit_price;
            row[29] = &amount;
            w.write_record(row).expect("write to memory");
        }
    }
    for m in &b.letters {
        let mut row = blank();
        row[0] = "letter".into();
        row[1] = batch.clone();
        row[2] = m.number.clone();
        row[3] = m.date.to_string();
        row[4] = m.customer.clone();
        row[5] = "dunning".into();
        row[10] = m.pay_by.to_string();
        row[17] = money(m.claim);
        row[22] = m.level.to_string();
        w.write_record(&row).expect("write to memory");
        for x in b.dunned.iter().filter(|x| x.letter == m.number) {
            let mut row = blank();
            row[0] = "dunned".into();
            row[1] = batch.clone();
            row[2] = x.letter.clone();
            row[3] = x.date.to_string();
            row[4] = x.customer.clone();
            row[8] = d(x.interest_from);
            row[9] = d(x.interest_to);
            row[10] = x.due_date.to_string();
            row[13] = x.invoice.clone();
            row[15] = money(x.open);
            row[17] = money(x.claim);
            row[18] = x.position.to_string();
            row[22] = x.level.to_string();
            row[28] = money(x.interest);
            row[29] = money(x.fee);
            w.write_record(&row).expect("write to memory");
        }
    }
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

    fn invoice(number: &str, batch: u64) -> IssuedInvoice {
        let d = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        IssuedInvoice {
            number: number.into(),
            issue_date: d,
            customer: "C2".into(),
            kind: "monthly".into(),
            project: None,
            period: "2026-10".into(),
            service_from: d,
            service_to: d,
            due_date: None,
            vat_rate: Decimal::from(19),
            tax_note: String::new(),
            refers_to: None,
            reason: None,
            net: Decimal::new(4320, 2),
            vat: Decimal::new(821, 2),
            gross: Decimal::new(5141, 2),
            batch,
            line: 0,
        }
    }

    fn line(number: &str, batch: u64) -> LineRow {
        LineRow {
            invoice: number.into(),
            line_no: 1,
            kind: "work".into(),
            item: Some(Item::Part {
                entry: "e2".into(),
                part: 2,
            }),
            entry: Some(("e2".into(), 2)),
            rule: "K7;A1".into(),
            minutes: Some(30),
            date: None,
            description: "Arbeit, mit Komma".into(),
            quantity: Decimal::new(50, 2),
            unit: "h".into(),
            unit_price: Decimal::new(8640, 2),
            amount: Decimal::new(4320, 2),
            batch,
            line: 0,
        }
    }

    #[test]
    fn an_unfinished_batch_is_dropped() {
        let b = Batch {
            number: 1,
            invoices: vec![invoice("RE-2026-00001", 1)],
            lines: vec![line("RE-2026-00001", 1)],
            ..Default::default()
        };
        let mut bytes = header();
        bytes.extend(batch_bytes(&b));
        let committed = bytes.len();
        let (l, d) = parse(&bytes);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(l.invoices.len(), 1);
        assert_eq!(l.lines[0].description, "Arbeit, mit Komma");
        assert_eq!(l.committed_len, committed);
        assert_eq!(l.next_seq(2026, false), 2);
        assert!(l
            .is_billed(&Item::Part {
                entry: "e2".into(),
                part: 2
            })
            .is_some());
        // A second batch cut short before its commit row.
        let mut b2 = batch_bytes(&Batch {
            number: 2,
            invoices: vec![invoice("RE-2026-00002", 2)],
            lines: vec![],
            ..Default::default()
        });
        b2.truncate(b2.len() - 20);
        bytes.extend(b2);
        let (l, d) = parse(&bytes);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(l.invoices.len(), 1);
        assert_eq!(l.dropped_rows, 1);
        assert_eq!(l.committed_len, committed);
    }

    #[test]
    fn a_cancelled_invoice_releases_its_items() {
        let mut c = invoice("ST-2026-00001", 2);
        c.kind = "cancellation".into();
        c.refers_to = Some("RE-2026-00001".into());
        let mut cl = line("ST-2026-00001", 2);
        cl.amount = -cl.amount;
        let mut bytes = header();
        bytes.extend(batch_bytes(&Batch {
            number: 1,
            invoices: vec![invoice("RE-2026-00001", 1)],
            lines: vec![line("RE-2026-00001", 1)],
            ..Default::default()
        }));
        bytes.extend(batch_bytes(&Batch {
            number: 2,
            invoices: vec![c],
            lines: vec![cl],
            ..Default::default()
        }));
        let (l, d) = parse(&bytes);
        assert!(d.is_empty(), "{d:?}");
        assert!(l
            .is_billed(&Item::Part {
                entry: "e2".into(),
                part: 2
            })
            .is_none());
        assert_eq!(
            l.cancelled_by.get("RE-2026-00001").map(String::as_str),
            Some("ST-2026-00001")
        );
        assert_eq!(l.next_seq(2026, true), 2);
        assert_eq!(l.next_seq(2026, false), 2);
        assert!(l
            .before(2)
            .is_billed(&Item::Part {
                entry: "e2".into(),
                part: 2
            })
            .is_some());
    }
}
