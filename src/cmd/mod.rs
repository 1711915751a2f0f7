//! One file per subcommand: read, call the core, write, choose the exit code.

pub mod cancel;
pub mod check;
pub mod estimate;
pub mod explain;
pub mod export;
pub mod invoice;
pub mod ledger;
pub mod offer;
pub mod payments;
pub mod prices;
pub mod projects;
pub mod remind;
pub mod run;
pub mod verify;

use crate::diagnostic::Diagnostic;
use crate::load;
use crate::model::Dataset;
use crate::validate::{self, Validated};
use std::path::Path;

/// Exit codes (RULES 8, plus 4 for a failed run).
pub const OK: u8 = 0;
pub const INVALID_INPUT: u8 = 1;
pub const USAGE: u8 = 2;
pub const REFUSED: u8 = 3;
pub const FAILED: u8 = 4;

/// Frees the data set and its parts on two threads at the end of a run:
/// each is a million values holding an `Arc`, about 15 ms to drop
/// (measured with the draft run of `faktura-bench`: 28 -> 19 ms).
pub fn drop_both<A: Send, B: Send>(a: A, b: B) {
    rayon::join(|| drop(a), || drop(b));
}

/// Loads and validates the data folder; prints the diagnostics to stderr.
/// `Err(exit code)` when the data cannot be used.
pub fn load_valid(data: &Path) -> Result<(load::RawInputs, Dataset, Vec<Diagnostic>), u8> {
    let raw = load::load(data).map_err(|e| {
        eprintln!("faktura: {e}");
        FAILED
    })?;
    let Validated {
        dataset,
        diagnostics,
        ..
    } = validate::validate(&raw);
    for d in &diagnostics {
        eprintln!("{d}");
    }
    match dataset {
        Some(ds) => Ok((raw, ds, diagnostics)),
        None => {
            eprintln!(
                "{}; nothing written",
                crate::diagnostic::summary(&diagnostics)
            );
            Err(INVALID_INPUT)
        }
    }
}

/// Reads and checks the ledger; errors in it are input errors.
pub fn load_ledger(data: &Path) -> Result<crate::ledger::Ledger, u8> {
    let src = load::ledger(data).map_err(|e| {
        eprintln!("faktura: {e}");
        FAILED
    })?;
    let Some(bytes) = src.bytes else {
        return Ok(crate::ledger::Ledger::default());
    };
    let (led, diags) = crate::ledger::parse(&bytes);
    for d in &diags {
        eprintln!("{d}");
    }
    if diags.iter().any(Diagnostic::is_error) {
        eprintln!("{}; nothing written", crate::diagnostic::summary(&diags));
        return Err(INVALID_INPUT);
    }
    Ok(led)
}

/// Takes the data folder's lock and finishes or undoes an interrupted issue.
pub fn lock_and_recover(data: &Path) -> Result<crate::write::Lock, u8> {
    let lock = crate::write::lock(data).map_err(|e| {
        eprintln!("faktura: {e}");
        REFUSED
    })?;
    match crate::write::recover(data) {
        Ok(Some(msg)) => eprintln!("faktura: {msg}"),
        Ok(None) => {}
        Err(e) => {
            eprintln!("faktura: {e}");
            return Err(FAILED);
        }
    }
    Ok(lock)
}

/// `--date`, if given, as a date; a bad one is a usage error.
pub fn parse_date_arg(date: Option<&str>) -> Result<Option<chrono::NaiveDate>, u8> {
    match date {
        None => Ok(None),
        Some(d) => crate::table::parse_date(d).map(Some).ok_or_else(|| {
            eprintln!("faktura: --date '{d}' is not a date (expected YYYY-MM-DD)");
            USAGE
        }),
    }
}

/// The manifest facts every command shares: version, command line, ledger seen.
pub fn facts(led: &crate::ledger::Ledger) -> crate::manifest::Facts {
    let args: Vec<String> = std::env::args().skip(1).collect();
    crate::manifest::Facts {
        version: env!("CARGO_PKG_VERSION").to_string(),
        command: format!("faktura {}", args.join(" ")),
        ledger_batches: led.last_batch,
        ..Default::default()
    }
}

/// Appends `MANIFEST.csv` (inputs read, outputs written) to the files.
/// Fails (exit code) only if a streamed input cannot be read again.
pub fn add_manifest(
    raw: &load::RawInputs,
    facts: &crate::manifest::Facts,
    files: &mut crate::Files,
) -> Result<(), u8> {
    add_manifest_with(raw, &[], facts, files)
}

/// `add_manifest` with rate card files read besides the usual inputs
/// (`base_rates.csv` for the dunning letters).
pub fn add_manifest_with(
    raw: &load::RawInputs,
    extra: &[&load::Source],
    facts: &crate::manifest::Facts,
    files: &mut crate::Files,
) -> Result<(), u8> {
    let outputs: Vec<_> = files
        .iter()
        .map(|(name, bytes)| crate::manifest::file_row("output", name, bytes))
        .collect();
    let bytes = manifest_with(raw, extra, facts, &outputs)?;
    files.push((crate::manifest::FILE.to_string(), bytes));
    Ok(())
}

/// `MANIFEST.csv`: the facts, every input read and the `outputs` written.
pub fn manifest(
    raw: &load::RawInputs,
    facts: &crate::manifest::Facts,
    outputs: &[crate::manifest::FileRow],
) -> Result<Vec<u8>, u8> {
    manifest_with(raw, &[], facts, outputs)
}

/// `manifest` with `extra` inputs beyond the data set (the statements).
pub fn manifest_with(
    raw: &load::RawInputs,
    extra: &[&load::Source],
    facts: &crate::manifest::Facts,
    outputs: &[crate::manifest::FileRow],
) -> Result<Vec<u8>, u8> {
    use crate::manifest::{build, FileRow};
    let mut rows = Vec::new();
    let card: Vec<&str> = raw
        .rate_card
        .iter()
        .flat_map(|rc| {
            [
                rc.rates.name.as_str(),
                rc.surcharges.name.as_str(),
                rc.holidays.name.as_str(),
            ]
        })
        .collect();
    // The base rates (dunning letters) belong to the rate card as well.
    let base_rates: Option<String> = raw.rate_card.as_ref().map(|rc| {
        let folder = rc.rates.name.strip_suffix("rates.csv").unwrap_or("");
        format!("{folder}base_rates.csv")
    });
    let card: Vec<&str> = card.into_iter().chain(base_rates.as_deref()).collect();
    for src in raw.sources().into_iter().chain(extra.iter().copied()) {
        let role = if card.contains(&src.name.as_str()) {
            "rate-card"
        } else {
            "input"
        };
        let (size, sha256) = src.size_and_sha256().map_err(|e| {
            eprintln!("faktura: cannot read {}: {e}", src.path.display());
            FAILED
        })?;
        rows.push(FileRow {
            role: role.into(),
            path: src.name.clone(),
            size,
            sha256,
        });
    }
    rows.extend(outputs.iter().cloned());
    Ok(build(facts, &rows))
}

/// The render sink of a command: files go into its staging folder; the
/// first write error is kept for the exit code.
pub struct StagingSink<'s> {
    staging: &'s crate::write::Staging,
    error: std::sync::Mutex<Option<crate::write::WriteError>>,
}

impl<'s> StagingSink<'s> {
    pub fn new(staging: &'s crate::write::Staging) -> Self {
        StagingSink {
            staging,
            error: Default::default(),
        }
    }
    pub fn error(self) -> Option<crate::write::WriteError> {
        self.error.into_inner().unwrap_or(None)
    }
    fn keep(&self, r: Result<(), crate::write::WriteError>) {
        if let (Err(e), Ok(mut first)) = (r, self.error.lock()) {
            first.get_or_insert(e);
        }
    }
}

impl crate::render::Sink for StagingSink<'_> {
    fn put(&self, name: &str, bytes: Vec<u8>) {
        self.keep(self.staging.put(name, &bytes));
    }
    fn put_with(
        &self,
        name: &str,
        write: &mut dyn FnMut(&mut (dyn std::io::Write + Send)) -> std::io::Result<()>,
    ) {
        self.keep(self.staging.put_with(name, write));
    }
}

/// What every writing command starts from: the output folder checked, the
/// lock held when `lock` (issuing), the data validated, the ledger read.
pub struct Prepared {
    pub raw: load::RawInputs,
    pub ds: Dataset,
    pub led: crate::ledger::Ledger,
    pub _lock: Option<crate::write::Lock>,
}

/// Checks `out`, takes the lock (and recovers) when `lock`, loads and
/// validates the data folder and reads the ledger; `Err(exit code)`.
pub fn prepare(data: &Path, out: &Path, lock: bool) -> Result<Prepared, u8> {
    if let Err(e) = crate::write::check_out(out) {
        eprintln!("faktura: {e}");
        return Err(REFUSED);
    }
    // Drafts only read the ledger (a torn batch reads as absent), so only
    // issuing takes the lock and repairs an interrupted issue.
    let _lock = if lock {
        Some(lock_and_recover(data)?)
    } else {
        None
    };
    let (raw, ds, _) = load_valid(data)?;
    let led = load_ledger(data)?;
    Ok(Prepared {
        raw,
        ds,
        led,
        _lock,
    })
}

/// The customer ids M2 looks for: those of `customers.csv`.
pub fn customer_ids(ds: &Dataset) -> std::collections::HashSet<String> {
    ds.customers.keys().map(|c| c.to_string()).collect()
}

/// Reads `payments/` and matches its payments against `led` (RULES 12);
/// problems in the statements or `manual.csv` are input errors (printed).
pub fn load_receivables(
    data: &Path,
    ds: &Dataset,
    led: &crate::ledger::Ledger,
) -> Result<(load::PaymentSources, crate::payment::Receivables), u8> {
    let src = load::payments(data).map_err(|e| {
        eprintln!("faktura: {e}");
        FAILED
    })?;
    let rec = receivables(&src, ds, led)?;
    Ok((src, rec))
}

/// Matches the payments of `src` against `led`; problems in the statements
/// or `manual.csv` are input errors (printed).
pub fn receivables(
    src: &load::PaymentSources,
    ds: &Dataset,
    led: &crate::ledger::Ledger,
) -> Result<crate::payment::Receivables, u8> {
    crate::payment::from_inputs(
        led,
        &customer_ids(ds),
        &ds.company.currency,
        &src.statement_bytes(),
        src.manual.bytes.as_deref(),
    )
    .map_err(|diags| {
        for d in &diags {
            eprintln!("{d}");
        }
        eprintln!("{}; nothing written", crate::diagnostic::summary(&diags));
        INVALID_INPUT
    })
}

/// `--as-of`, or today (the shell may read the clock; the core never does).
pub fn as_of_or_today(as_of: Option<&str>) -> Result<chrono::NaiveDate, u8> {
    match as_of {
        None => Ok(chrono::Local::now().date_naive()),
        Some(d) => crate::table::parse_date(d).ok_or_else(|| {
            eprintln!("faktura: --as-of '{d}' is not a date (expected YYYY-MM-DD)");
            USAGE
        }),
    }
}

/// Writes a folder's files: drafts straight into `out`, an issued batch by
/// the issue protocol (lock held by the caller, ledger pending, files, ledger
/// append, rename). A failure is printed; `Err(FAILED)`.
pub fn write_folder(
    data: &Path,
    out: &Path,
    files: &crate::Files,
    led: &crate::ledger::Ledger,
    batch: Option<&crate::ledger::Batch>,
) -> Result<(), u8> {
    let written = match batch {
        Some(b) => crate::write::issue(
            data,
            out,
            files,
            led.committed_len,
            b.number,
            &crate::ledger::batch_bytes(b),
        ),
        None => crate::write::write_outputs(out, files),
    };
    written.map_err(|e| {
        eprintln!("faktura: {e}");
        FAILED
    })
}
