//! `faktura verify`: the comparisons, without I/O. A recomputed run is
//! compared with the files found, CSVs field by field and PDFs byte by byte;
//! the inputs with the hashes the manifest recorded; the ledger is checked
//! on its own (numbers gapless and unique, each invoice's net the sum of its
//! items, VAT and gross right, no item twice, every billed entry part still
//! in the time log). Every difference is a line
//! `file:line: column: expected X, found Y`. The command (`cmd::verify`)
//! reads the folder and the inputs, calls [`verify`], prints the report.
//!
//! The recomputation calls the pipeline of the crate root (`month_end`,
//! `project_adhoc`, `cancellation`) and `export::export`, exactly as the commands that made the
//! folder did: so this module is the top of the core, used only by the
//! command.

use crate::decide::Part;
use crate::invoice::{tax_of, Mode};
use crate::ledger::{self, Item, Ledger};
use crate::manifest::{self, sha256, Facts, FileRow};
use crate::model::Dataset;
use crate::money::money;
use crate::money::round2;
use crate::period::Period;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What `faktura verify` found: every difference, and the counts of the
/// closing line.
#[derive(Debug, Default, PartialEq)]
pub struct Report {
    /// One line per difference, in the order: inputs, outputs, ledger.
    pub problems: Vec<String>,
    /// Files of a run made by an older faktura that differ from the
    /// recomputation only by what a later version changed on purpose
    /// (the GiroCode of G1): named, not counted as differences.
    pub notes: Vec<String>,
    /// The version of faktura that made the run (for the notes' summary).
    pub version: String,
    /// Output files the recomputation produced.
    pub files: usize,
    /// Input files compared.
    pub inputs: usize,
    /// Invoices in the ledger.
    pub invoices: usize,
    /// Whether the ledger was checked (a price list reads none).
    pub ledger_checked: bool,
}

impl Report {
    /// Nothing differs.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
    /// The lines to print: every difference, then the summary.
    pub fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = self.notes.iter().map(|n| format!("note: {n}")).collect();
        out.extend(self.problems.iter().cloned());
        if self.is_clean() {
            let older = if self.notes.is_empty() {
                String::new()
            } else {
                format!(
                    " ({} files made by faktura {}, content identical)",
                    self.notes.len(),
                    self.version
                )
            };
            let ledger = if self.ledger_checked {
                format!(", ledger consistent ({} invoices)", self.invoices)
            } else {
                String::new()
            };
            out.push(format!(
                "verified: {} output files recomputed from {} inputs{ledger}{older}",
                self.files, self.inputs
            ));
        } else {
            out.push(format!(
                "{} {} found",
                self.problems.len(),
                crate::diagnostic::plural(self.problems.len(), "difference", "differences")
            ));
        }
        out
    }
}

/// What the command read for a verification.
pub struct Found<'a> {
    /// The manifest's facts and file rows.
    pub facts: &'a Facts,
    pub recorded: &'a [FileRow],
    /// Every input now: (name as in the manifest, sha256).
    pub inputs: &'a [(String, String)],
    /// The names in the output folder (the manifest included), sorted.
    pub listing: &'a [String],
    /// A file of the output folder by name; `None` where it cannot be read.
    /// Handed in by the command and called once per recomputed file, so a
    /// large run's folder is never held in memory beside its recomputation.
    pub read: &'a dyn Fn(&str) -> Option<Vec<u8>>,
    /// The output folder as the user named it, for the messages.
    pub out: &'a str,
    /// A payments run's receivables, recomputed from the statements now in
    /// the data folder with the ledger as the run saw it (RULES 12).
    pub receivables: Option<&'a crate::payment::Receivables>,
    /// The payments an export books (as `cmd::export` finds them).
    pub payments: &'a [crate::export::BookedPayment],
    /// An estimate's plan, read again from the path its manifest names
    /// (RULES 11).
    pub plan: Option<&'a [crate::plan::Item]>,
    /// A remind run's base rates and each invoice's payments, read now
    /// with the ledger as the run saw it (RULES 13).
    pub dunning: Option<Dunning<'a>>,
}

/// What a remind run read besides the data set and the ledger.
#[derive(Clone, Copy)]
pub struct Dunning<'a> {
    pub base_rates: &'a [crate::model::BaseRate],
    pub payments: &'a std::collections::HashMap<String, Vec<(chrono::NaiveDate, Decimal)>>,
}

/// Recomputes the run a manifest records and compares everything.
/// `Err(message)` when the manifest does not say what to recompute (a
/// missing period, an unknown kind): an invalid input, nothing compared.
pub fn verify(ds: &Dataset, led: &Ledger, found: &Found) -> Result<Report, String> {
    let facts = found.facts;
    let mut problems = inputs(found.inputs, found.recorded);
    let parts = crate::decide::decide(ds);
    let (mut files, refused) = recompute(ds, &parts, led, facts, found)?;
    problems.extend(refused);
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let (differences, notes) = outputs(&files, found);
    problems.extend(differences);
    problems.extend(check_ledger(ds, &parts, led));
    if facts.issued {
        let batch = facts.ledger_batches + 1;
        if !led.has_batch(batch) {
            problems.push(format!(
                "ledger.csv: batch {batch} of this issued run is missing from the ledger"
            ));
        }
    }
    Ok(Report {
        problems,
        notes,
        version: facts.version.clone(),
        files: files.len(),
        inputs: found.inputs.len(),
        invoices: led.invoices.len(),
        ledger_checked: true,
    })
}

/// A price list (RULES 11) recomputed from `company.toml` and the rate card
/// alone, and compared; there is no data set and no ledger to check.
pub fn verify_prices(
    company: &crate::model::Company,
    card: &crate::model::RateCard,
    found: &Found,
) -> Result<Report, String> {
    let Some(date) = found
        .facts
        .date
        .as_deref()
        .and_then(crate::table::parse_date)
    else {
        return Err(format!(
            "faktura: {}: date: missing (expected YYYY-MM-DD)",
            manifest::FILE
        ));
    };
    let mut problems = inputs(found.inputs, found.recorded);
    let pl = crate::pricelist::on(company, card, date);
    let files = crate::render::notice::price_list_files(&pl, company);
    let (differences, notes) = outputs(&files, found);
    problems.extend(differences);
    Ok(Report {
        problems,
        notes,
        version: found.facts.version.clone(),
        files: files.len(),
        inputs: found.inputs.len(),
        invoices: 0,
        ledger_checked: false,
    })
}

/// Which inputs changed since the run, by hash.
fn inputs(now: &[(String, String)], recorded: &[FileRow]) -> Vec<String> {
    let mut out = Vec::new();
    for (name, sha) in now {
        match recorded
            .iter()
            .find(|r| r.role != "output" && &r.path == name)
        {
            Some(r) if &r.sha256 != sha => out.push(format!(
                "{name}: input changed since the run (sha256 {} at the run, now {sha})",
                r.sha256
            )),
            None => out.push(format!("{name}: input not in the manifest")),
            _ => {}
        }
    }
    for r in recorded.iter().filter(|r| r.role != "output") {
        if !now.iter().any(|(name, _)| name == &r.path) {
            out.push(format!(
                "{}: input of the run no longer in the data folder",
                r.path
            ));
        }
    }
    out
}

/// The run's files again, with the ledger as the run saw it; the problems
/// of a recorded invoice or cancellation that can no longer be made.
fn recompute(
    ds: &Dataset,
    parts: &[Part],
    led: &Ledger,
    facts: &Facts,
    found: &Found,
) -> Result<(crate::Files, Vec<String>), String> {
    let before = led.before(facts.ledger_batches + 1);
    let date = facts.date.as_deref().and_then(crate::table::parse_date);
    let mode = Mode {
        issue: facts.issued,
        date,
    };
    let mut problems = Vec::new();
    let files = match facts.kind.as_str() {
        "run" => {
            let Some(period) = facts.period.as_deref().and_then(Period::parse) else {
                return Err(format!(
                    "faktura: {}: period: missing (expected YYYY-MM)",
                    manifest::FILE
                ));
            };
            crate::month_end(ds, parts, &before, period, &mode, &|| {}).1
        }
        "invoice" => {
            let project = facts.project.clone().unwrap_or_default();
            match crate::project_adhoc(ds, parts, &before, &project, &mode, &|| {}) {
                Ok((_, _, files)) => files,
                Err(crate::Refusal::Unknown(m) | crate::Refusal::Refused(m)) => {
                    problems.push(format!(
                        "{}: the recorded invoice of project {project} cannot be recomputed: {m}",
                        manifest::FILE
                    ));
                    Vec::new()
                }
            }
        }
        "cancel" => {
            let number = facts.invoice.clone().unwrap_or_default();
            let reason = facts.reason.clone().unwrap_or_default();
            match date.map(|d| crate::cancellation(ds, &before, &number, &reason, d, &|| {})) {
                Some(Ok((_, _, files))) => files,
                Some(Err(crate::Refusal::Unknown(m) | crate::Refusal::Refused(m))) => {
                    problems.push(format!(
                        "{}: the recorded cancellation of {number} cannot be recomputed: {m}",
                        manifest::FILE
                    ));
                    Vec::new()
                }
                None => {
                    problems.push(format!(
                        "{}: date: missing for a cancellation",
                        manifest::FILE
                    ));
                    Vec::new()
                }
            }
        }
        "export" => {
            // The export as it was made: the ledger it saw, the same range.
            let format = facts
                .format
                .as_deref()
                .and_then(crate::export::Format::parse);
            let day = |d: &Option<String>| d.as_deref().and_then(crate::table::parse_date);
            let range = match (day(&facts.from), day(&facts.to)) {
                (Some(f), Some(t)) => crate::export::Range::new(f, t),
                _ => None,
            };
            let (Some(format), Some(range)) = (format, range) else {
                return Err(format!(
                    "faktura: {}: format, from, to: missing or wrong (expected the facts of an export)",
                    manifest::FILE
                ));
            };
            match crate::export::export(ds, &before, found.payments, format, range) {
                Ok(done) => done.files,
                Err(diags) => {
                    problems.extend(diags.iter().filter(|d| d.is_error()).map(|d| {
                        format!(
                            "{}: the recorded export cannot be recomputed: {d}",
                            manifest::FILE
                        )
                    }));
                    Vec::new()
                }
            }
        }
        "payments" => match (found.receivables, date) {
            (Some(rec), Some(as_of)) => crate::render::payments::files(ds, rec, &before, as_of),
            _ => {
                problems.push(format!(
                    "{}: date: missing for a payments run",
                    manifest::FILE
                ));
                Vec::new()
            }
        },
        "remind" => match (found.dunning, date) {
            (Some(dn), Some(d)) => {
                let claims = crate::dunning_claims(&before, dn.payments);
                match crate::reminders(ds, &before, &claims, dn.base_rates, d, facts.issued) {
                    Ok(r) => r.files,
                    Err(missing) => {
                        problems.push(format!(
                            "{}: the recorded letters cannot be recomputed: no base rate in force on {} (for {})",
                            manifest::FILE,
                            missing[0].day,
                            missing[0].invoice
                        ));
                        Vec::new()
                    }
                }
            }
            _ => {
                problems.push(format!(
                    "{}: date: missing for a remind run",
                    manifest::FILE
                ));
                Vec::new()
            }
        },
        // The documents before the work (RULES 11) touch no ledger.
        "estimate" => match (found.plan, date) {
            (Some(items), Some(d)) => {
                crate::render::notice::estimate_files(&crate::estimate::estimate(ds, items, Some(d)))
            }
            _ => {
                problems.push(format!(
                    "{}: the plan or the date of the estimate is missing",
                    manifest::FILE
                ));
                Vec::new()
            }
        },
        "offer" => {
            let project = facts.project.clone().unwrap_or_default();
            match date.map(|d| crate::offer::offer(ds, &project, d)) {
                Some(Ok(o)) => crate::render::notice::offer_files(&o, &ds.company),
                Some(Err(
                    crate::offer::NoOffer::Unknown(m) | crate::offer::NoOffer::Refused(m),
                )) => {
                    problems.push(format!(
                        "{}: the recorded offer of project {project} cannot be recomputed: {m}",
                        manifest::FILE
                    ));
                    Vec::new()
                }
                None => {
                    problems.push(format!("{}: date: missing for an offer", manifest::FILE));
                    Vec::new()
                }
            }
        }
        other => {
            return Err(format!(
                "faktura: {}: kind: unknown '{other}' (expected run, invoice, cancel, payments, export, estimate, offer, prices or remind)",
                manifest::FILE
            ))
        }
    };
    Ok((files, problems))
}

/// Every recomputed file against the one in the folder; files the manifest
/// names that were not recomputed; files in the folder the manifest does
/// not name. Returns the differences and the notes on files of an older
/// faktura that differ only by design.
fn outputs(files: &[(String, Vec<u8>)], found: &Found) -> (Vec<String>, Vec<String>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let older = before_girocode(&found.facts.version);
    for (name, expected) in files {
        match (found.read)(name) {
            // The review page came with the same version as the GiroCode:
            // an older run's folder has none, by design.
            None if older && name == crate::render::review::FILE => notes.push(format!(
                "{name}: made by faktura {}; no review page (since {})",
                found.facts.version,
                crate::girocode::SINCE_VERSION
            )),
            None => out.push(format!(
                "{name}: missing from {} (expected by the recomputation)",
                found.out
            )),
            Some(bytes) => {
                if let Some(encoding) = text_book(name) {
                    out.extend(compare_lines(name, expected, &bytes, encoding));
                } else if name.ends_with(".csv") {
                    out.extend(compare_csv(name, expected, &bytes));
                } else if let Some(p) = compare_bytes(name, expected, &bytes) {
                    // A run of a faktura before G1: its PDFs and XML may
                    // differ by the GiroCode's changes alone.
                    match older.then(|| compare_older(name, &found.facts.version, expected, &bytes))
                    {
                        Some(Ok(note)) => notes.push(note),
                        Some(Err(p)) => out.push(p),
                        None => out.push(p),
                    }
                }
                if let Some(r) = found
                    .recorded
                    .iter()
                    .find(|r| r.role == "output" && &r.path == name)
                {
                    if r.sha256 != sha256(&bytes) {
                        out.push(format!("{name}: sha256 differs from the manifest's (the file was changed after the run)"));
                    }
                }
            }
        }
    }
    for r in found.recorded.iter().filter(|r| r.role == "output") {
        if !files.iter().any(|(n, _)| n == &r.path) {
            out.push(format!(
                "{}: in the manifest but not produced by the recomputation",
                r.path
            ));
        }
    }
    for n in found.listing {
        if n != manifest::FILE && !found.recorded.iter().any(|r| &r.path == n) {
            out.push(format!("{n}: in the output folder but not in the manifest"));
        }
    }
    (out, notes)
}

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

/// The exports' books are compared line by line, decoded as they are
/// written: the DATEV batch (`;`, Windows-1252) and the hledger journal.
pub fn text_book(name: &str) -> Option<&'static encoding_rs::Encoding> {
    if name.starts_with("EXTF_") {
        Some(encoding_rs::WINDOWS_1252)
    } else if name.ends_with(".journal") {
        Some(encoding_rs::UTF_8)
    } else {
        None
    }
}

/// Compares two text files line by line: every differing line.
pub fn compare_lines(
    file: &str,
    expected: &[u8],
    found: &[u8],
    encoding: &'static encoding_rs::Encoding,
) -> Vec<String> {
    let (e, _) = encoding.decode_without_bom_handling(expected);
    let (f, _) = encoding.decode_without_bom_handling(found);
    let lines = |t: &'_ str| -> Vec<String> {
        t.split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
            .collect()
    };
    let (e, f) = (lines(&e), lines(&f));
    let mut out = Vec::new();
    for i in 0..e.len().max(f.len()) {
        let (a, b) = (e.get(i), f.get(i));
        if a != b {
            out.push(format!(
                "{file}:{}: line: expected {:?}, found {:?}",
                i + 1,
                a.map_or("(no line)", String::as_str),
                b.map_or("(no line)", String::as_str)
            ));
        }
    }
    if out.is_empty() && expected != found {
        out.push(format!(
            "{file}:1: bytes: same lines, different bytes (line ends or encoding)"
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

/// The dunning letters in the ledger (RULES 13): numbers unique and gapless
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

/// A version `a.b.c` as numbers, for "made by an older faktura".
pub fn version(v: &str) -> Vec<u64> {
    v.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// Whether a run recorded by faktura `recorded` predates the GiroCode
/// (G1): its PDFs have no QR code and its e-invoices name the invoice
/// number as BT-83, not the RF reference.
pub fn before_girocode(recorded: &str) -> bool {
    version(recorded) < version(crate::girocode::SINCE_VERSION)
}

/// The e-invoice XML with the text of BT-83 (`ram:PaymentReference`)
/// blanked: what two versions of faktura that differ only in G1 agree on.
pub fn without_payment_reference(xml: &[u8]) -> Vec<u8> {
    const OPEN: &[u8] = b"<ram:PaymentReference>";
    const CLOSE: &[u8] = b"</ram:PaymentReference>";
    let find = |hay: &[u8], needle: &[u8], from: usize| {
        hay.get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    match find(xml, OPEN, 0).and_then(|s| Some((s, find(xml, CLOSE, s)?))) {
        Some((s, e)) => [&xml[..s + OPEN.len()], &xml[e..]].concat(),
        None => xml.to_vec(),
    }
}

/// The e-invoice XML embedded in a Factur-X PDF (its `/EmbeddedFile`
/// stream), if the PDF has one.
pub fn embedded_xml(pdf: &[u8]) -> Option<Vec<u8>> {
    let doc = lopdf::Document::load_mem(pdf).ok()?;
    doc.objects.values().find_map(|o| {
        let lopdf::Object::Stream(s) = o else {
            return None;
        };
        let embedded = s
            .dict
            .get(b"Type")
            .and_then(lopdf::Object::as_name)
            .is_ok_and(|n| n == b"EmbeddedFile");
        if !embedded {
            return None;
        }
        s.decompressed_content()
            .ok()
            .or_else(|| Some(s.content.clone()))
    })
}

/// An output of a run recorded by an older faktura (before G1) against
/// its recomputation by this one: `Ok(note)` when they differ only by what
/// G1 changed (the PDF's layout and producer, BT-83 of the XML), `Err`
/// when the content differs.
pub fn compare_older(
    name: &str,
    recorded_version: &str,
    expected: &[u8],
    found: &[u8],
) -> Result<String, String> {
    let made = format!("made by faktura {recorded_version}");
    if name.ends_with(".xml") {
        if without_payment_reference(expected) == without_payment_reference(found) {
            return Ok(format!(
                "{name}: {made}; identical but for BT-83 (the RF reference since {})",
                crate::girocode::SINCE_VERSION
            ));
        }
        return Err(compare_bytes(name, expected, found).unwrap_or_default());
    }
    match (embedded_xml(expected), embedded_xml(found)) {
        (Some(e), Some(f)) if without_payment_reference(&e) == without_payment_reference(&f) => {
            Ok(format!(
                "{name}: {made}; PDF layout differs (GiroCode since {}), its embedded e-invoice XML matches the recomputation",
                crate::girocode::SINCE_VERSION
            ))
        }
        (Some(_), Some(_)) => Err(format!(
            "{name}: {made}; its embedded e-invoice XML differs from the recomputation's"
        )),
        _ => Err(compare_bytes(name, expected, found).unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(role: &str, path: &str, bytes: &[u8]) -> FileRow {
        manifest::file_row(role, path, bytes)
    }

    #[test]
    fn outputs_names_every_kind_of_difference_in_order() {
        let files = vec![
            ("a.csv".to_string(), b"x,y\n1,2\n".to_vec()),
            ("b.pdf".to_string(), b"%PDF-1".to_vec()),
            ("c.xml".to_string(), b"<x/>".to_vec()),
        ];
        let recorded = vec![
            row("output", "a.csv", b"x,y\n1,2\n"),
            row("output", "b.pdf", b"%PDF-1"),
            row("output", "gone.pdf", b""),
            row("input", "timelog.csv", b""),
        ];
        let listing: Vec<String> = ["MANIFEST.csv", "a.csv", "b.pdf", "extra.txt"]
            .map(String::from)
            .to_vec();
        let read = |name: &str| match name {
            "a.csv" => Some(b"x,y\n1,3\n".to_vec()),
            "b.pdf" => Some(b"%PDF-2".to_vec()),
            _ => None,
        };
        let facts = Facts::default();
        let found = Found {
            facts: &facts,
            recorded: &recorded,
            inputs: &[],
            listing: &listing,
            read: &read,
            out: "out/x",
            receivables: None,
            payments: &[],
            plan: None,
            dunning: None,
        };
        assert_eq!(
            outputs(&files, &found).0,
            [
                "a.csv:2: y: expected \"2\", found \"3\"",
                "a.csv: sha256 differs from the manifest's (the file was changed after the run)",
                "b.pdf: bytes differ from offset 5 (expected 6 bytes, found 6; the recomputed file is not the one on disk)",
                "b.pdf: sha256 differs from the manifest's (the file was changed after the run)",
                "c.xml: missing from out/x (expected by the recomputation)",
                "gone.pdf: in the manifest but not produced by the recomputation",
                "extra.txt: in the output folder but not in the manifest",
            ]
        );
    }

    #[test]
    fn inputs_changed_or_unknown_are_named() {
        let recorded = vec![
            row("input", "timelog.csv", b"old"),
            row("input", "payments/gone.xml", b""),
            row("output", "new.csv", b""),
        ];
        let now = vec![
            ("timelog.csv".to_string(), sha256(b"new")),
            ("new.csv".to_string(), sha256(b"")),
        ];
        let got = inputs(&now, &recorded);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[0].starts_with("timelog.csv: input changed since the run (sha256 "));
        assert_eq!(got[1], "new.csv: input not in the manifest");
        assert_eq!(
            got[2],
            "payments/gone.xml: input of the run no longer in the data folder"
        );
    }

    #[test]
    fn the_report_ends_with_its_summary() {
        let clean = Report {
            problems: vec![],
            notes: vec![],
            version: "0.2.0".into(),
            files: 3,
            inputs: 9,
            invoices: 2,
            ledger_checked: true,
        };
        assert_eq!(
            clean.lines(),
            ["verified: 3 output files recomputed from 9 inputs, ledger consistent (2 invoices)"]
        );
        // A price list reads no ledger (RULES 11): none is claimed.
        let prices = Report {
            ledger_checked: false,
            invoices: 0,
            problems: vec![],
            notes: vec![],
            version: "0.2.0".into(),
            files: 3,
            inputs: 4,
        };
        assert_eq!(
            prices.lines(),
            ["verified: 3 output files recomputed from 4 inputs"]
        );
        let one = Report {
            problems: vec!["x: y".into()],
            ..clean
        };
        assert_eq!(one.lines(), ["x: y", "1 difference found"]);
    }
}
