//! `faktura verify`: the comparisons, without I/O. A recomputed run is
//! compared with the files found, CSVs field by field and PDFs byte by byte;
//! the inputs with the hashes the manifest recorded; the ledger is checked
//! on its own (numbers gapless and unique, each invoice's net the sum of its
//! items, VAT and gross right, no item twice, every billed entry part still
//! in the time log). Every difference is a line
//! `file:line: column: expected X, found Y`. The command (`cmd::verify`)
//! reads the folder and the inputs, calls [`verify`], prints the report.
//!
//! The recomputation calls the pipeline of the crate root (`monthly_run`
//! with `render::run_files`, as `month_end` and `faktura run` do;
//! `project_adhoc`, `cancellation`) and `export::export`, exactly as the
//! commands that made the folder did: so this module is the top of the
//! core, used only by the command. The recomputed files go into a
//! [`Compare`] sink, which compares each with the folder's as it is made
//! and keeps only the differences: verify needs the memory of the run it
//! checks, not of its output.

use crate::audit::{Audit, Key, Scanned};
use crate::decide::Part;
use crate::invoice::{tax_of, Mode};
use crate::ledger::{self, Item, ItemRef, Ledger};
use crate::manifest::{self, sha256, Facts, FileRow};
use crate::model::Dataset;
use crate::money::money;
use crate::money::round2;
use crate::period::Period;
use crate::render::Sink;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Read, Write};

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
    /// A file of the output folder by name, opened for reading; `None`
    /// where it cannot be opened. Handed in by the command and called once
    /// per recomputed file as it is compared ([`Compare`]), so neither the
    /// folder nor the recomputation is ever held in memory whole.
    pub open: &'a Open<'a>,
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
pub fn verify(
    ds: &Dataset,
    parts: &[Part],
    read: Scanned,
    found: &Found,
) -> Result<Report, String> {
    let facts = found.facts;
    let mut problems = inputs(found.inputs, found.recorded);
    let Scanned { before, audit } = read;
    let mut ledger_problems = check_ledger(ds, &audit);
    let batch = facts.ledger_batches + 1;
    if facts.issued && !audit.has_batch(batch) {
        ledger_problems.push(format!(
            "ledger.csv: batch {batch} of this issued run is missing from the ledger"
        ));
    }
    let invoices = audit.invoices.len();
    drop(audit);
    let compare = Compare::new(found);
    problems.extend(recompute(ds, parts, &before, facts, found, &compare)?);
    drop(before);
    let (differences, notes, files) = compare.finish(found.listing);
    problems.extend(differences);
    problems.extend(ledger_problems);
    Ok(Report {
        problems,
        notes,
        version: facts.version.clone(),
        files,
        inputs: found.inputs.len(),
        invoices,
        ledger_checked: true,
    })
}

/// The time log's decided parts by entry id, to key the billed parts of
/// the ledger with (`audit::Key`): the entries' positions hashed by id and
/// each entry's number of parts (parts count from 1, RULES 7), about 6
/// bytes an entry where a set of every part's id would take 30.
pub struct Present<'a> {
    ds: &'a Dataset,
    by_id: hashbrown::HashTable<u32>,
    parts: Vec<u8>,
}

fn id_hash(id: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(id)
}

impl<'a> Present<'a> {
    pub fn of(ds: &'a Dataset, parts: &[Part]) -> Present<'a> {
        let mut by_id = hashbrown::HashTable::with_capacity(ds.entries.len());
        for (i, e) in ds.entries.iter().enumerate() {
            // Ids are unique (validated): no lookup before the insert.
            by_id.insert_unique(id_hash(e.id()), i as u32, |j: &u32| {
                id_hash(ds.entries[*j as usize].id())
            });
        }
        let mut count = vec![0u8; ds.entries.len()];
        for p in parts {
            let c = &mut count[p.entry];
            *c = (*c).max(p.part.min(255) as u8);
        }
        Present {
            ds,
            by_id,
            parts: count,
        }
    }
    /// The key of a billed item: its entry's position when the time log
    /// still has the part.
    pub fn key(&self, item: ItemRef) -> Key {
        if let ItemRef::Part { entry, part } = item {
            let found = self.by_id.find(id_hash(entry), |j| {
                self.ds.entries[*j as usize].id() == entry
            });
            if let Some(&e) = found {
                if (1..=u32::from(self.parts[e as usize])).contains(&part) {
                    return Key::Part { entry: e, part };
                }
            }
        }
        Key::Item(Box::new(item.owned()))
    }
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
    let compare = Compare::new(found);
    put_all(
        &compare,
        crate::render::notice::price_list_files(&pl, company),
    );
    let (differences, notes, files) = compare.finish(found.listing);
    problems.extend(differences);
    Ok(Report {
        problems,
        notes,
        version: found.facts.version.clone(),
        files,
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

/// The run's files again, with the ledger as the run saw it, handed to
/// `sink` one by one; the problems of a recorded invoice or cancellation
/// that can no longer be made. A kind of run is one arm here: its files
/// made as its command makes them.
fn recompute(
    ds: &Dataset,
    parts: &[Part],
    before: &Ledger,
    facts: &Facts,
    found: &Found,
    sink: &dyn Sink,
) -> Result<Vec<String>, String> {
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
            // Rendered straight into the comparison, as `faktura run`
            // renders into its staging folder.
            let run = crate::invoice::monthly_run(ds, parts, period, before, &mode);
            crate::render::run_files(ds, &run, &|| {}, sink, None);
            Vec::new()
        }
        "invoice" => {
            let project = facts.project.clone().unwrap_or_default();
            match crate::project_adhoc(ds, parts, before, &project, &mode, &|| {}) {
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
            match date.map(|d| crate::cancellation(ds, before, &number, &reason, d, &|| {})) {
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
            match crate::export::export(ds, before, found.payments, format, range) {
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
            (Some(rec), Some(as_of)) => crate::render::payments::files(ds, rec, before, as_of),
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
                let claims = crate::dunning_claims(before, dn.payments);
                match crate::reminders(ds, before, &claims, dn.base_rates, d, facts.issued) {
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
    put_all(sink, files);
    Ok(problems)
}

/// Hands files made whole (the small runs) to `sink`.
fn put_all(sink: &dyn Sink, files: crate::Files) {
    for (name, bytes) in files {
        sink.put(&name, bytes);
    }
}

/// A file of the output folder opened for reading, by name; `None` where it
/// cannot be opened. Handed in by the command (the core opens nothing).
pub type Open<'a> = dyn Fn(&str) -> Option<Box<dyn std::io::Read + Send>> + Sync + 'a;

/// One recomputed file as compared: its differences and notes.
struct Checked {
    name: String,
    problems: Vec<String>,
    notes: Vec<String>,
}

/// The render sink of a verification: each recomputed file is compared with
/// the one in the output folder as it arrives and then dropped, so verify
/// holds one file per rendering thread, never the whole run. A file
/// streamed piece by piece (the large CSVs) is compared against the file on
/// disk piece by piece; only when it differs is it made again whole, to
/// name the differing fields.
pub struct Compare<'a> {
    open: &'a Open<'a>,
    /// The manifest's output files: name -> sha256.
    recorded: HashMap<&'a str, &'a str>,
    /// The version of faktura that made the run, if it predates G1.
    older: Option<&'a str>,
    /// The version of faktura that made the run, if its PDFs came from the
    /// writer before faktura's own (`render::pdf_file`), whose XML was
    /// indented.
    older_xml: Option<&'a str>,
    /// The version of faktura that made the run, if older than this one:
    /// its PDFs name it as their producer, so their bytes differ.
    older_pdf: Option<&'a str>,
    out: &'a str,
    checked: std::sync::Mutex<Vec<Checked>>,
}

impl<'a> Compare<'a> {
    pub fn new(found: &'a Found) -> Compare<'a> {
        Compare {
            open: found.open,
            recorded: found
                .recorded
                .iter()
                .filter(|r| r.role == "output")
                .map(|r| (r.path.as_str(), r.sha256.as_str()))
                .collect(),
            older: before_girocode(&found.facts.version).then_some(found.facts.version.as_str()),
            older_xml: before_pdf_writer(&found.facts.version)
                .then_some(found.facts.version.as_str()),
            older_pdf: before_this_version(&found.facts.version)
                .then_some(found.facts.version.as_str()),
            out: found.out,
            checked: Default::default(),
        }
    }

    /// Compares a whole recomputed file with `disk` (the folder's file).
    fn check(&self, name: &str, expected: &[u8], disk: Option<Vec<u8>>) {
        let mut c = Checked {
            name: name.to_string(),
            problems: Vec::new(),
            notes: Vec::new(),
        };
        match disk {
            // The review page came with the same version as the GiroCode:
            // an older run's folder has none, by design.
            None if name == crate::render::review::FILE && self.older.is_some() => {
                c.notes.push(format!(
                    "{name}: made by faktura {}; no review page (since {})",
                    self.older.unwrap_or_default(),
                    crate::girocode::SINCE_VERSION
                ))
            }
            None => c.problems.push(self.missing(name)),
            Some(bytes) => {
                if self.older.is_none() && name.ends_with(".xml") && expected != bytes {
                    // An XML of a run before 0.3.0: indented, else the same.
                    if let Some(v) = self.older_xml {
                        if unindented(expected) == unindented(&bytes) {
                            c.notes.push(format!(
                                "{name}: made by faktura {v}; indented XML (one element per line without indentation since {}), its content matches the recomputation",
                                crate::render::pdf_file::SINCE_VERSION
                            ));
                            self.check_sha(name, &sha256(&bytes), &mut c);
                            self.push(c);
                            return;
                        }
                    }
                }
                if self.older.is_none() && name.ends_with(".pdf") && expected != bytes {
                    // A PDF of the older writer: the same content, other bytes.
                    if let Some(v) = self.older_pdf {
                        match compare_pdf_content(name, v, expected, &bytes) {
                            Ok(note) => c.notes.push(note),
                            Err(p) => c.problems.push(p),
                        }
                        self.check_sha(name, &sha256(&bytes), &mut c);
                        self.push(c);
                        return;
                    }
                }
                differences(name, expected, &bytes, self.older, &mut c);
                self.check_sha(name, &sha256(&bytes), &mut c);
            }
        }
        self.push(c);
    }

    fn missing(&self, name: &str) -> String {
        format!(
            "{name}: missing from {} (expected by the recomputation)",
            self.out
        )
    }

    /// A file equal to its recomputation, `sha` its disk bytes' hash: only
    /// the manifest's hash is left to check.
    fn same_bytes(&self, name: &str, sha: &str) {
        let mut c = Checked {
            name: name.to_string(),
            problems: Vec::new(),
            notes: Vec::new(),
        };
        self.check_sha(name, sha, &mut c);
        self.push(c);
    }

    fn check_sha(&self, name: &str, sha: &str, c: &mut Checked) {
        if self.recorded.get(name).is_some_and(|r| *r != sha) {
            c.problems.push(format!(
                "{name}: sha256 differs from the manifest's (the file was changed after the run)"
            ));
        }
    }

    fn push(&self, c: Checked) {
        self.checked.lock().expect("no comparison panicked").push(c);
    }

    fn read(&self, name: &str) -> Option<Vec<u8>> {
        let mut bytes = Vec::new();
        (self.open)(name)?.read_to_end(&mut bytes).ok()?;
        Some(bytes)
    }

    /// Every difference in file-name order, then the manifest's files that
    /// were not recomputed and the folder's files the manifest does not
    /// name; the notes on files of an older faktura that differ only by
    /// design; the number of files recomputed.
    pub fn finish(self, listing: &[String]) -> (Vec<String>, Vec<String>, usize) {
        let mut checked = self.checked.into_inner().expect("no comparison panicked");
        checked.sort_by(|a, b| a.name.cmp(&b.name));
        let made: HashSet<&str> = checked.iter().map(|c| c.name.as_str()).collect();
        let mut problems = Vec::new();
        let mut notes = Vec::new();
        for c in &checked {
            problems.extend(c.problems.iter().cloned());
            notes.extend(c.notes.iter().cloned());
        }
        let mut not_made: Vec<&str> = self
            .recorded
            .keys()
            .copied()
            .filter(|n| !made.contains(n))
            .collect();
        not_made.sort_unstable();
        for n in not_made {
            problems.push(format!(
                "{n}: in the manifest but not produced by the recomputation"
            ));
        }
        for n in listing {
            if n != manifest::FILE && !self.recorded.contains_key(n.as_str()) {
                problems.push(format!("{n}: in the output folder but not in the manifest"));
            }
        }
        (problems, notes, checked.len())
    }
}

impl crate::render::Sink for Compare<'_> {
    fn put(&self, name: &str, bytes: Vec<u8>) {
        // Compared in step with the disk file, 64 KiB at a time: the usual
        // case, equal, never holds the disk file whole beside its
        // recomputation. Only a difference reads it whole to name it.
        if let Some(disk) = (self.open)(name) {
            let mut against = Against::new(disk);
            for piece in bytes.chunks(1 << 16) {
                let _ = std::io::Write::write(&mut against, piece);
            }
            if let Some(sha) = against.finish() {
                self.same_bytes(name, &sha);
                return;
            }
        }
        self.check(name, &bytes, self.read(name));
    }
    fn put_with(
        &self,
        name: &str,
        write: &mut dyn FnMut(&mut (dyn std::io::Write + Send)) -> std::io::Result<()>,
    ) {
        let Some(disk) = (self.open)(name) else {
            self.push(Checked {
                name: name.to_string(),
                problems: vec![self.missing(name)],
                notes: Vec::new(),
            });
            return;
        };
        let mut against = std::io::BufWriter::with_capacity(1 << 16, Against::new(disk));
        let written = write(&mut against).and_then(|()| against.flush());
        let same = match against.into_inner() {
            Ok(a) if written.is_ok() => a.finish(),
            _ => None,
        };
        match same {
            Some(sha) => self.same_bytes(name, &sha),
            // They differ: make the file again whole to name the fields.
            None => {
                let mut expected = Vec::new();
                let _ = write(&mut expected);
                self.check(name, &expected, self.read(name));
            }
        }
    }
}

/// A writer that compares what is written with a file on disk, reading it
/// in step, and hashes the file; it stops reading at the first difference.
struct Against {
    disk: Box<dyn std::io::Read + Send>,
    hash: sha2::Sha256,
    scratch: Vec<u8>,
    same: bool,
}

impl Against {
    fn new(disk: Box<dyn std::io::Read + Send>) -> Against {
        use sha2::Digest;
        Against {
            disk,
            hash: sha2::Sha256::new(),
            scratch: Vec::new(),
            same: true,
        }
    }

    /// Reads up to `n` bytes into the scratch buffer; how many there were.
    fn fill(&mut self, n: usize) -> usize {
        use sha2::Digest;
        self.scratch.resize(n, 0);
        let mut got = 0;
        while got < n {
            match self.disk.read(&mut self.scratch[got..]) {
                Ok(0) => break,
                Ok(k) => got += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => {
                    self.same = false;
                    break;
                }
            }
        }
        self.hash.update(&self.scratch[..got]);
        got
    }

    /// The disk file's sha256 when it is exactly what was written.
    fn finish(mut self) -> Option<String> {
        use sha2::Digest;
        if self.same && self.fill(1) != 0 {
            self.same = false;
        }
        self.same.then(|| manifest::hex(&self.hash.finalize()))
    }
}

impl std::io::Write for Against {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.same {
            let got = self.fill(buf.len());
            self.same = self.same && got == buf.len() && self.scratch[..got] == *buf;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The differences of one recomputed file from the folder's: books line by
/// line, CSVs field by field, the rest byte by byte (a run of a faktura
/// before G1 may differ by the GiroCode's changes alone: a note).
fn differences(name: &str, expected: &[u8], found: &[u8], older: Option<&str>, c: &mut Checked) {
    if expected == found {
        return;
    }
    if let Some(encoding) = text_book(name) {
        c.problems
            .extend(compare_lines(name, expected, found, encoding));
    } else if name.ends_with(".csv") {
        c.problems.extend(compare_csv(name, expected, found));
    } else if let Some(p) = compare_bytes(name, expected, found) {
        match older.map(|v| compare_older(name, v, expected, found)) {
            Some(Ok(note)) => c.notes.push(note),
            Some(Err(p)) => c.problems.push(p),
            None => c.problems.push(p),
        }
    }
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
pub fn check_ledger(ds: &Dataset, audit: &Audit) -> Vec<String> {
    let f = ledger::FILE;
    let mut out = Vec::new();
    // Numbers: unique, and per year of issue the gapless sequence 1..n.
    let mut seen: HashSet<&str> = HashSet::new();
    let mut by_year: BTreeMap<(i32, bool), Vec<&ledger::IssuedInvoice>> = BTreeMap::new();
    for inv in &audit.invoices {
        if !seen.insert(inv.number.as_str()) {
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
    out.extend(check_letters(ds, audit));
    // Net = sum of lines; VAT and gross; cancellations negate their original.
    let number = |l: &crate::audit::LineFact| &*audit.numbers[l.invoice as usize];
    for l in &audit.lines {
        if !seen.contains(number(l)) {
            out.push(format!(
                "{f}:{}: invoice_no: line of {} which is not in the ledger",
                l.line,
                number(l)
            ));
        }
    }
    let no_lines = crate::audit::Totals::default();
    let totals = |n: &str| audit.totals_of(n).unwrap_or(&no_lines);
    for inv in &audit.invoices {
        let sum = totals(&inv.number).net;
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
            // Line by line in file order: the amount negated, the same item
            // and unit price (compared by fingerprint, `audit::Totals`).
            let negated = totals(orig).negated == totals(&inv.number).as_is;
            if !seen.contains(orig.as_str()) || !negated {
                out.push(format!(
                    "{f}:{}: refers_to: cancellation {} does not negate every line of {orig}",
                    inv.line, inv.number
                ));
            }
        }
    }
    let cancelled: HashSet<&str> = audit
        .invoices
        .iter()
        .filter(|i| i.is_cancellation())
        .filter_map(|i| i.refers_to.as_deref())
        .collect();
    let live_numbers: HashSet<&str> = audit
        .invoices
        .iter()
        .filter(|i| !i.is_cancellation() && !cancelled.contains(i.number.as_str()))
        .map(|i| i.number.as_str())
        .collect();
    let live: Vec<&crate::audit::LineFact> = audit
        .lines
        .iter()
        .filter(|l| l.item.is_some() && live_numbers.contains(number(l)))
        .collect();
    let text = |k: &Key| match k {
        Key::Part { entry, part } => (
            "part",
            format!("{}#{part}", ds.entries[*entry as usize].id()),
        ),
        Key::Item(item) => (item.kind(), item.reference()),
    };
    // No item on two live invoices: each later line names the one before.
    let mut by_item: Vec<&crate::audit::LineFact> = live.clone();
    by_item.sort_by(|a, b| (&a.item, a.line).cmp(&(&b.item, b.line)));
    let mut twice: Vec<(u32, String)> = by_item
        .windows(2)
        .filter(|w| w[0].item == w[1].item)
        .map(|w| {
            let (kind, reference) = text(w[1].item.as_ref().expect("an item"));
            (
                w[1].line,
                format!(
                    "{f}:{}: ref: {kind} {reference} is billed on {} and on {} (line {}) (expected once)",
                    w[1].line,
                    number(w[1]),
                    number(w[0]),
                    w[0].line
                ),
            )
        })
        .collect();
    drop(by_item);
    twice.sort_by_key(|(line, _)| *line);
    out.extend(twice.into_iter().map(|(_, m)| m));
    // Every billed entry part still in the time log.
    for l in live {
        if let Some(Key::Item(item)) = &l.item {
            if let Item::Part { entry, part } = &**item {
                out.push(format!(
                    "{f}:{}: ref: {entry}#{part} on {} is no longer in timelog.csv (expected every billed entry part to stay)",
                    l.line,
                    number(l)
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
pub fn check_letters(ds: &Dataset, led: &Audit) -> Vec<String> {
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
    // Found once by number, not searched per dunned row.
    let issued: HashSet<&str> = led.invoices.iter().map(|i| i.number.as_str()).collect();
    for d in &led.dunned {
        if !issued.contains(d.invoice.as_str()) {
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

/// Whether a run recorded by faktura `recorded` had its PDFs written by
/// printpdf and lopdf, before faktura's own PDF writer: the same pages,
/// text and embedded XML in other bytes.
pub fn before_pdf_writer(recorded: &str) -> bool {
    version(recorded) < version(crate::render::pdf_file::SINCE_VERSION)
}

/// Whether a run was recorded by a faktura older than this one: its PDFs
/// carry that version as their producer (and may differ in more, such as
/// the GiroCode's mask before `girocode::MASK_SINCE_VERSION`).
pub fn before_this_version(recorded: &str) -> bool {
    version(recorded) < version(env!("CARGO_PKG_VERSION"))
}

/// Why the PDF bytes of a run made by faktura `recorded` differ from this
/// version's, for the note of `compare_pdf_content`.
fn why_pdf_bytes_differ(recorded: &str) -> String {
    if before_pdf_writer(recorded) {
        format!(
            "faktura's own PDF writer since {}",
            crate::render::pdf_file::SINCE_VERSION
        )
    } else if version(recorded) < version(crate::girocode::MASK_SINCE_VERSION) {
        format!(
            "GiroCode with a fixed mask since {}",
            crate::girocode::MASK_SINCE_VERSION
        )
    } else {
        format!("written by faktura {}", env!("CARGO_PKG_VERSION"))
    }
}

/// A PDF of a run made by an older faktura against its
/// recomputation: `Ok(note)` when the text of every page and the embedded
/// e-invoice XML (if any) are the same, `Err` naming what differs.
pub fn compare_pdf_content(
    name: &str,
    recorded_version: &str,
    expected: &[u8],
    found: &[u8],
) -> Result<String, String> {
    let text = |pdf: &[u8]| {
        let doc = lopdf::Document::load_mem(pdf).ok()?;
        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
        doc.extract_text(&pages).ok()
    };
    let made = format!("made by faktura {recorded_version}");
    match (text(expected), text(found)) {
        (Some(e), Some(f)) if e == f => {}
        (Some(_), Some(_)) => {
            return Err(format!(
                "{name}: {made}; its text differs from the recomputation's"
            ))
        }
        _ => return Err(compare_bytes(name, expected, found).unwrap_or_default()),
    }
    if embedded_xml(expected).map(|x| unindented(&x)) != embedded_xml(found).map(|x| unindented(&x))
    {
        return Err(format!(
            "{name}: {made}; its embedded e-invoice XML differs from the recomputation's"
        ));
    }
    Ok(format!(
        "{name}: {made}; PDF bytes differ ({}), its text and embedded XML match the recomputation",
        why_pdf_bytes_differ(recorded_version)
    ))
}

/// The XML with every line's leading whitespace removed: the indented XML
/// of faktura before 0.3.0 and the flat one since agree on it (the text of
/// an element never starts a line with spaces in faktura's XML).
pub fn unindented(xml: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(xml.len());
    for line in xml.split_inclusive(|b| *b == b'\n') {
        let start = line
            .iter()
            .position(|b| *b != b' ' && *b != b'\t')
            .unwrap_or(line.len());
        out.extend_from_slice(&line[start..]);
    }
    out
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
        if without_payment_reference(&unindented(expected))
            == without_payment_reference(&unindented(found))
        {
            return Ok(format!(
                "{name}: {made}; identical but for BT-83 (the RF reference since {})",
                crate::girocode::SINCE_VERSION
            ));
        }
        return Err(compare_bytes(name, expected, found).unwrap_or_default());
    }
    match (embedded_xml(expected), embedded_xml(found)) {
        (Some(e), Some(f))
            if without_payment_reference(&unindented(&e))
                == without_payment_reference(&unindented(&f)) =>
        {
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
        let open = |name: &str| -> Option<Box<dyn Read + Send>> {
            match name {
                "a.csv" => Some(Box::new(&b"x,y\n1,3\n"[..])),
                "b.pdf" => Some(Box::new(&b"%PDF-2"[..])),
                _ => None,
            }
        };
        let facts = Facts::default();
        let found = Found {
            facts: &facts,
            recorded: &recorded,
            inputs: &[],
            listing: &listing,
            open: &open,
            out: "out/x",
            receivables: None,
            payments: &[],
            plan: None,
            dunning: None,
        };
        let compare = Compare::new(&found);
        // In any order, as the renderer's threads hand them over.
        for (name, bytes) in files.into_iter().rev() {
            compare.put(&name, bytes);
        }
        assert_eq!(
            compare.finish(found.listing).0,
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
    fn a_streamed_file_is_compared_piece_by_piece_and_named_when_it_differs() {
        let disk: &[u8] = b"a,b\n1,2\n3,4\n";
        let recorded = vec![
            row("output", "same.csv", disk),
            row("output", "short.csv", disk),
        ];
        let open = |name: &str| -> Option<Box<dyn Read + Send>> {
            match name {
                "same.csv" | "changed.csv" => Some(Box::new(disk)),
                "short.csv" => Some(Box::new(&disk[..8])),
                _ => None,
            }
        };
        let facts = Facts::default();
        let listing: Vec<String> = vec![];
        let found = Found {
            facts: &facts,
            recorded: &recorded,
            inputs: &[],
            listing: &listing,
            open: &open,
            out: "out/x",
            receivables: None,
            payments: &[],
            plan: None,
            dunning: None,
        };
        let compare = Compare::new(&found);
        // Written in small pieces, as the CSV writers do.
        let rows = |last: &'static [u8]| {
            move |w: &mut (dyn Write + Send)| {
                for piece in [&b"a,b\n"[..], b"1,2\n", last] {
                    w.write_all(piece)?;
                }
                Ok(())
            }
        };
        compare.put_with("same.csv", &mut rows(b"3,4\n"));
        compare.put_with("changed.csv", &mut rows(b"3,5\n"));
        compare.put_with("short.csv", &mut rows(b"3,4\n"));
        compare.put_with("gone.csv", &mut rows(b"3,4\n"));
        let (problems, notes, files) = compare.finish(&listing);
        assert_eq!(
            problems,
            [
                "changed.csv:3: b: expected \"5\", found \"4\"",
                "gone.csv: missing from out/x (expected by the recomputation)",
                "short.csv:3: row: expected \"3,4\", found no row",
                "short.csv: sha256 differs from the manifest's (the file was changed after the run)",
            ]
        );
        assert!(notes.is_empty());
        assert_eq!(files, 4);
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
