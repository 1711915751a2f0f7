//! `faktura-bench`: generates large valid data sets and measures the stages
//! of faktura on them (docs/BENCHMARKS.md).
//!
//! ```text
//! faktura-bench gen --entries 1000000 --customers 5000 --out DIR
//! faktura-bench bare DIR                      # csv::ByteRecord pass (yardstick)
//! faktura-bench load DIR                      # load + validate
//! faktura-bench run DIR --period 2026-10 [--stages] [--full] [--keep DIR]
//! faktura-bench pdf DIR --period 2026-10 --invoices 10000
//! faktura-bench suite DIR --period 2026-10 [--pdf-data DIR2]
//! faktura-bench month DIR --period 2026-10 --date 2026-11-02 [--repeat N] [--faktura BIN]
//! faktura-bench draft DIR --period 2026-10 [--repeat 3] [--faktura BIN]...
//! faktura-bench year DIR --first 2026-01 [--months 12] [--at 1,6,12] [--faktura BIN]
//! ```
//!
//! Every measurement runs `--repeat` times (default 3) and prints the
//! minimum and the median, one line per figure. Peak memory is the
//! process's `VmHWM` (from `/proc/self/status`), reset before each timed
//! iteration and stage by writing `5` to `/proc/self/clear_refs` (Linux
//! 4.0+), so each figure is the peak of that piece of work alone (the
//! memory already held when it starts included); the peak of a whole
//! iteration is the maximum over its stages. The first iteration's peak is
//! the one to quote (a fresh process); later ones start from memory glibc
//! kept. `suite` runs every subcommand as its own process.

use clap::{Parser, Subcommand};
use faktura::bench_data::{self, Config};
use faktura::decide::Part;
use faktura::invoice::{self, Invoice, Mode};
use faktura::ledger::{self, Ledger};
use faktura::model::Dataset;
use faktura::period::Period;
use faktura::render;
use faktura::{load, validate};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(
    name = "faktura-bench",
    about = "Generate benchmark data sets and measure faktura's stages"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Writes a deterministic, valid data set (with its own rate card copy).
    Gen {
        #[arg(long, default_value_t = 1_000_000)]
        entries: usize,
        #[arg(long, default_value_t = 5_000)]
        customers: usize,
        /// First month of the time log.
        #[arg(long, default_value = "2026-09")]
        first: String,
        /// Months the time log spans.
        #[arg(long, default_value_t = 2)]
        months: u32,
        #[arg(long, default_value_t = 20261031)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
    /// A bare csv::ByteRecord pass over DIR/timelog.csv: the yardstick.
    Bare {
        dir: PathBuf,
        #[arg(long, default_value_t = 3)]
        repeat: usize,
    },
    /// Loads and validates DIR (issue 2 benchmark).
    Load {
        dir: PathBuf,
        #[arg(long, default_value_t = 3)]
        repeat: usize,
    },
    /// The draft run pipeline, after a bare pass in the same process.
    Run(RunOpts),
    /// Renders `--invoices` PDFs (the run's invoices, cycled) with rayon.
    Pdf {
        dir: PathBuf,
        #[arg(long)]
        period: String,
        #[arg(long, default_value_t = 10_000)]
        invoices: usize,
        #[arg(long, default_value_t = 3)]
        repeat: usize,
        /// Thread counts to measure, e.g. `1,2`; default: 1 and all cores.
        #[arg(long, value_delimiter = ',')]
        threads: Vec<usize>,
        /// Also write the first few sample PDFs into this folder, to look at.
        #[arg(long)]
        sample_out: Option<PathBuf>,
    },
    /// The real `faktura run` (draft), `run --issue` and `verify` of one
    /// month side by side, each as its own process under /usr/bin/time;
    /// the ledger is put back after each round. Odd rounds run the draft
    /// first, even rounds the issue and verify first.
    Month(MonthOpts),
    /// The whole draft `faktura run` of a month beside `cp -r` of its own
    /// output folder, best of `--repeat` each, in one invocation; with
    /// several `--faktura` binaries their rounds alternate (A/B).
    Draft(DraftOpts),
    /// Issues every month of a year in turn; at the months of `--at`, the
    /// draft, issue and verify of that month are measured (ledger growth).
    Year(YearOpts),
    /// Runs bare, load, run, run --full and pdf, each as its own process.
    Suite {
        dir: PathBuf,
        #[arg(long)]
        period: String,
        /// The data set for the PDF benchmark (default: DIR).
        #[arg(long)]
        pdf_data: Option<PathBuf>,
        #[arg(long, default_value_t = 10_000)]
        invoices: usize,
        #[arg(long, default_value_t = 3)]
        repeat: usize,
    },
}

#[derive(clap::Args)]
struct RunOpts {
    dir: PathBuf,
    #[arg(long)]
    period: String,
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// Print the per-stage breakdown (time and peak memory per stage).
    #[arg(long)]
    stages: bool,
    /// The whole draft `faktura run` instead of the charges.csv pipeline:
    /// monthly_run, every output (PDFs included, via cmd::render_outputs)
    /// and the atomic, synced write_outputs.
    #[arg(long)]
    full: bool,
    /// Skip the bare pass (e.g. under a profiler).
    #[arg(long)]
    no_bare: bool,
    /// Also save the last run's charges.csv into this folder (to compare
    /// outputs between builds); not timed.
    #[arg(long)]
    keep: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Cmd::Gen { .. } | Cmd::Suite { .. }) {
        let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        println!(
            "[env] {} cores (rayon threads {}), load average {}",
            std::thread::available_parallelism().map_or(0, |n| n.get()),
            rayon::current_num_threads(),
            load.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    let result = match cli.command {
        Cmd::Gen {
            entries,
            customers,
            first,
            months,
            seed,
            out,
        } => gen(entries, customers, &first, months, seed, &out),
        Cmd::Bare { dir, repeat } => bare_cmd(&dir, repeat),
        Cmd::Load { dir, repeat } => load_cmd(&dir, repeat),
        Cmd::Run(o) => run_cmd(&o),
        Cmd::Month(o) => month_cmd(&o),
        Cmd::Year(o) => year_cmd(&o),
        Cmd::Draft(o) => draft_cmd(&o),
        Cmd::Pdf {
            dir,
            period,
            invoices,
            repeat,
            threads,
            sample_out,
        } => pdf_cmd(
            &dir,
            &period,
            invoices,
            repeat,
            threads,
            sample_out.as_deref(),
        ),
        Cmd::Suite {
            dir,
            period,
            pdf_data,
            invoices,
            repeat,
        } => suite(&dir, &period, pdf_data.as_deref(), invoices, repeat),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("faktura-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

type Res<T> = Result<T, String>;

// ---------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------

/// A `kB` field of `/proc/self/status`, in bytes.
fn status_bytes(key: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// User + system CPU seconds of the whole process so far (all threads),
/// from `/proc/self/stat` (clock ticks of 1/100 s).
fn cpu() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses).
    let rest = s.rsplit_once(')').map_or("", |r| r.1);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    // utime and stime are fields 14 and 15 of the line: 12 and 13 here.
    (ticks(11) + ticks(12)) as f64 / 100.0
}

fn peak() -> u64 {
    status_bytes("VmHWM")
}

fn rss() -> u64 {
    status_bytes("VmRSS")
}

/// Resets VmHWM to the current RSS; false where the kernel does not allow it.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Hands freed heap memory back to the kernel (glibc keeps it otherwise),
/// so that the next iteration starts from a small RSS like a new process.
fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: glibc's malloc_trim only releases free memory of the heap.
        unsafe {
            malloc_trim(0);
        }
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

fn max_u(v: &[u64]) -> u64 {
    v.iter().copied().max().unwrap_or(0)
}

fn median_u(v: &[u64]) -> u64 {
    median(&v.iter().map(|&x| x as f64).collect::<Vec<_>>()) as u64
}

/// One line: `[tag] what: min X s, median Y s (n runs)`.
fn time_line(tag: &str, what: &str, v: &[f64]) {
    println!(
        "[{tag}] {what}: min {:.3} s, median {:.3} s ({} runs)",
        min(v),
        median(v),
        v.len()
    );
}

fn rate_line(tag: &str, what: &str, n: u64, v: &[f64]) {
    println!(
        "[{tag}] {what}: {} best, {} median",
        thousands((n as f64 / min(v)) as u64),
        thousands((n as f64 / median(v)) as u64)
    );
}

/// Timings and peaks of named stages over several iterations.
#[derive(Default)]
struct Stages {
    names: Vec<&'static str>,
    secs: Vec<Vec<f64>>,
    cpu: Vec<Vec<f64>>,
    peaks: Vec<Vec<u64>>,
    /// RSS when the stage ended (what stays held).
    after: Vec<Vec<u64>>,
    /// The highest VmHWM seen since `take_peak`: each stage resets VmHWM,
    /// so the peak of a whole iteration is the maximum over its stages.
    running_peak: u64,
}

impl Stages {
    /// The peak since the last call (over all stages and what ran between).
    fn take_peak(&mut self) -> u64 {
        let p = self.running_peak.max(peak());
        self.running_peak = 0;
        p
    }

    fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        reset_peak();
        let (t, c) = (Instant::now(), cpu());
        let v = f();
        self.record(name, t, c);
        v
    }

    /// Records a stage that began at `t` (with `c` CPU seconds used) and ends now.
    fn record(&mut self, name: &'static str, t: Instant, c: f64) {
        let s = t.elapsed().as_secs_f64();
        let c = cpu() - c;
        let i = match self.names.iter().position(|n| *n == name) {
            Some(i) => i,
            None => {
                self.names.push(name);
                self.secs.push(Vec::new());
                self.cpu.push(Vec::new());
                self.peaks.push(Vec::new());
                self.after.push(Vec::new());
                self.names.len() - 1
            }
        };
        self.secs[i].push(s);
        self.cpu[i].push(c);
        let p = peak();
        self.running_peak = self.running_peak.max(p);
        self.peaks[i].push(p);
        self.after[i].push(rss());
    }

    fn print(&self, tag: &str, reference: u64) {
        let total: f64 = self.secs.iter().map(|v| median(v)).sum();
        println!(
            "[{tag}] stage                      min s   median s   share   CPU s   peak RSS 1st run (x timelog)   RSS after"
        );
        for (i, n) in self.names.iter().enumerate() {
            // Memory of the first run: a fresh process, nothing retained.
            let p = self.peaks[i][0];
            println!(
                "[{tag}] {:<24} {:>7.3}   {:>8.3}   {:>4.0} %  {:>6.2}   {:>9} ({:>4.2}x)   {:>9}",
                n,
                min(&self.secs[i]),
                median(&self.secs[i]),
                100.0 * median(&self.secs[i]) / total,
                median(&self.cpu[i]),
                mb(p),
                p as f64 / reference.max(1) as f64,
                mb(self.after[i][0]),
            );
        }
        println!("[{tag}] sum of stage medians: {total:.3} s");
    }
}

// ---------------------------------------------------------------------------
// gen
// ---------------------------------------------------------------------------

fn gen(
    entries: usize,
    customers: usize,
    first: &str,
    months: u32,
    seed: u64,
    out: &Path,
) -> Res<()> {
    let first = Period::parse(first).ok_or(format!("--first '{first}' is not YYYY-MM"))?;
    if customers == 0 || months == 0 {
        return Err("--customers and --months must be at least 1".into());
    }
    let cfg = Config {
        entries,
        customers,
        first,
        months,
        seed,
    };
    let t = Instant::now();
    let s =
        bench_data::write(out, &cfg).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!(
        "[gen] wrote {} in {:.2} s: months {} to {}, {} staff",
        out.display(),
        t.elapsed().as_secs_f64(),
        cfg.first,
        cfg.last_month(),
        s.staff
    );
    for (f, n) in &s.rows {
        println!("[gen] {f}: {} rows", thousands(*n as u64));
    }
    println!("[gen] timelog.csv size: {}", mb(s.timelog_bytes));
    Ok(())
}

// ---------------------------------------------------------------------------
// bare
// ---------------------------------------------------------------------------

/// Reads `timelog.csv` with one reused ByteRecord: rows, fields, seconds.
fn bare_pass(path: &Path) -> Res<(u64, u64, f64)> {
    let t = Instant::now();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut rec = csv::ByteRecord::new();
    let (mut rows, mut fields) = (0u64, 0u64);
    while rdr
        .read_byte_record(&mut rec)
        .map_err(|e| format!("{}: {e}", path.display()))?
    {
        rows += 1;
        fields += rec.len() as u64;
    }
    Ok((rows, fields, t.elapsed().as_secs_f64()))
}

fn timelog_size(dir: &Path) -> Res<u64> {
    let p = dir.join("timelog.csv");
    std::fs::metadata(&p)
        .map(|m| m.len())
        .map_err(|e| format!("{}: {e}", p.display()))
}

fn bare_cmd(dir: &Path, repeat: usize) -> Res<()> {
    let size = timelog_size(dir)?;
    let mut secs = Vec::new();
    let mut rows = 0;
    let mut fields = 0;
    for _ in 0..repeat.max(1) {
        let (r, f, s) = bare_pass(&dir.join("timelog.csv"))?;
        rows = r;
        fields = f;
        secs.push(s);
    }
    println!(
        "[bare] timelog.csv: {} rows, {} columns, {}",
        thousands(rows),
        fields / rows.max(1),
        mb(size)
    );
    time_line("bare", "ByteRecord pass", &secs);
    rate_line("bare", "rows/s", rows, &secs);
    println!("[bare] peak RSS: {}", mb(peak()));
    Ok(())
}

// ---------------------------------------------------------------------------
// load
// ---------------------------------------------------------------------------

fn valid(raw: &load::RawInputs) -> Res<(Dataset, usize)> {
    let v = validate::validate(raw);
    let errors = v.errors();
    if errors > 0 {
        let first: Vec<String> = v
            .diagnostics
            .iter()
            .take(5)
            .map(|d| d.to_string())
            .collect();
        return Err(format!(
            "{errors} errors in the data set, e.g.\n{}",
            first.join("\n")
        ));
    }
    let warnings = v.diagnostics.len();
    for d in v.diagnostics.iter().take(3) {
        eprintln!("warning: {d}");
    }
    Ok((v.dataset.ok_or("no data set")?, warnings))
}

fn load_cmd(dir: &Path, repeat: usize) -> Res<()> {
    let size = timelog_size(dir)?;
    let resettable = reset_peak();
    let mut st = Stages::default();
    let mut total = Vec::new();
    let mut peaks = Vec::new();
    let mut held = Vec::new();
    let mut entries = 0;
    let mut warnings = 0;
    let mut cpus = Vec::new();
    for _ in 0..repeat.max(1) {
        reset_peak();
        st.take_peak();
        let (t, c) = (Instant::now(), cpu());
        let raw = st
            .time("load (read files)", || load::load(dir))
            .map_err(|e| e.to_string())?;
        let (ds, w) = st.time("validate", || valid(&raw))?;
        let s = t.elapsed().as_secs_f64();
        cpus.push(cpu() - c);
        peaks.push(st.take_peak());
        total.push(s);
        held.push(rss());
        entries = ds.entries.len() as u64;
        warnings = w;
        st.time("drop raw bytes", || drop(raw));
        st.time("drop dataset", || drop(ds));
        trim();
    }
    println!(
        "[load] data set: {} entries, timelog.csv {}, {} warnings",
        thousands(entries),
        mb(size),
        warnings
    );
    println!(
        "[load] struct sizes: Entry {} B, Part {} B, Priced {} B",
        std::mem::size_of::<faktura::model::Entry>(),
        std::mem::size_of::<Part>(),
        std::mem::size_of::<faktura::decide::Priced>()
    );
    time_line("load", "load+validate wall time", &total);
    rate_line("load", "entries/s (load+validate)", entries, &total);
    time_line("load", "load+validate CPU time (all threads)", &cpus);
    let p = peaks[0];
    println!(
        "[load] peak RSS of load+validate (first run, fresh process): {} = {:.2}x timelog.csv{}",
        mb(p),
        p as f64 / size as f64,
        if resettable {
            ""
        } else {
            " (VmHWM not resettable: whole process)"
        }
    );
    let h = held[0];
    println!(
        "[load] RSS holding raw bytes + Dataset (first run): {} = {:.2}x timelog.csv",
        mb(h),
        h as f64 / size as f64
    );
    st.print("load", size);
    Ok(())
}

// ---------------------------------------------------------------------------
// run
// ---------------------------------------------------------------------------

#[derive(clap::Args)]
struct MonthOpts {
    dir: PathBuf,
    #[arg(long)]
    period: String,
    /// The issue date.
    #[arg(long)]
    date: String,
    #[arg(long, default_value_t = 1)]
    repeat: usize,
    /// The faktura binary to measure (default: the one beside this one).
    #[arg(long)]
    faktura: Option<PathBuf>,
}

#[derive(clap::Args)]
struct DraftOpts {
    dir: PathBuf,
    #[arg(long)]
    period: String,
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// The faktura binaries to measure, in turn each round (default: the
    /// one beside this one); e.g. `--faktura before --faktura after`.
    #[arg(long)]
    faktura: Vec<PathBuf>,
}

#[derive(clap::Args)]
struct YearOpts {
    /// A data set without ledger.csv whose time log spans the months.
    dir: PathBuf,
    #[arg(long)]
    first: String,
    #[arg(long, default_value_t = 12)]
    months: u32,
    /// The months (1 = the first) to measure.
    #[arg(long, value_delimiter = ',', default_value = "1,6,12")]
    at: Vec<u32>,
    #[arg(long)]
    faktura: Option<PathBuf>,
}

fn ledger_of(dir: &Path) -> Res<Ledger> {
    let src = load::ledger(dir).map_err(|e| e.to_string())?;
    Ok(match src.bytes {
        Some(b) => ledger::parse(&b).0,
        None => Ledger::default(),
    })
}

/// The draft pipeline of the issue: parse, validate, decide (and price),
/// select the period's charges, render charges.csv, write it to a temp
/// file. Returns (entries, charges rows, charges.csv bytes).
fn pipeline(
    dir: &Path,
    period: Period,
    tmp: &Path,
    st: &mut Stages,
    keep: Option<&Path>,
) -> Res<(u64, u64, u64)> {
    let raw = st
        .time("load (read files)", || load::load(dir))
        .map_err(|e| e.to_string())?;
    let (ds, _) = st.time("validate", || valid(&raw))?;
    let led = st.time("ledger", || ledger_of(dir))?;
    let parts = st.time("decide+price", || faktura::decide::decide(&ds));
    let selected: Vec<&Part> = st.time("select period", || {
        invoice::charges_of_period(&ds, &parts, period, |p| {
            !led.nothing_billed() && led.is_billed(&invoice::item_of(&ds, p)).is_some()
        })
    });
    // As `faktura run` writes it: rendered in batches straight into the
    // staging folder (hashed, synced), which is then put in place.
    let out_dir = tmp.join("charges-out");
    let written = st.time("render + write charges.csv", || -> Res<u64> {
        let staging = faktura::write::Staging::begin(&out_dir).map_err(|e| e.to_string())?;
        staging
            .put_with("charges.csv", &mut |w| {
                render::csv::write_charges(&ds, &selected, w)
            })
            .map_err(|e| e.to_string())?;
        let size = staging.written().iter().map(|f| f.size).sum();
        staging.finish().map_err(|e| e.to_string())?;
        Ok(size)
    })?;
    if let Some(k) = keep {
        std::fs::create_dir_all(k).map_err(|e| e.to_string())?;
        std::fs::copy(out_dir.join("charges.csv"), k.join("charges.csv"))
            .map_err(|e| e.to_string())?;
    }
    let _ = std::fs::remove_dir_all(&out_dir);
    let out = (ds.entries.len() as u64, selected.len() as u64, written);
    reset_peak();
    let (t, c) = (Instant::now(), cpu());
    drop(selected);
    // As `faktura run` ends.
    faktura::cmd::drop_both(parts, ds);
    drop(led);
    drop(raw);
    st.record("drop everything", t, c);
    Ok(out)
}

/// The whole draft `faktura run` (cmd::run without the terminal summary):
/// monthly_run, cmd::render_outputs (PDFs and CSVs, in memory) and the
/// atomic write_outputs. Returns (entries, charges rows, bytes written).
fn pipeline_full(dir: &Path, period: Period, tmp: &Path, st: &mut Stages) -> Res<(u64, u64, u64)> {
    let raw = st
        .time("load (read files)", || load::load(dir))
        .map_err(|e| e.to_string())?;
    let (ds, _) = st.time("validate", || valid(&raw))?;
    let led = st.time("ledger", || ledger_of(dir))?;
    let parts = st.time("decide+price", || faktura::decide::decide(&ds));
    let mode = Mode {
        issue: false,
        date: None,
    };
    let run = st.time("monthly_run (invoices)", || {
        invoice::monthly_run(&ds, &parts, period, &led, &mode)
    });
    // As `faktura run` does it: every file into the staging folder as it
    // is rendered, then the manifest, then the folder put in place.
    let out_dir = tmp.join("out");
    let written = st.time(
        "render + write outputs (PDF+XML+CSV, synced)",
        || -> Res<u64> {
            let staging = faktura::write::Staging::begin(&out_dir).map_err(|e| e.to_string())?;
            let sink = faktura::cmd::StagingSink::new(&staging);
            faktura::render::run_files(&ds, &run, &|| {}, &sink, None);
            if let Some(e) = sink.error() {
                return Err(e.to_string());
            }
            let facts = faktura::manifest::Facts::default();
            let manifest = faktura::cmd::manifest(&raw, &facts, &staging.written())
                .map_err(|code| format!("manifest failed ({code})"))?;
            staging
                .put(faktura::manifest::FILE, &manifest)
                .map_err(|e| e.to_string())?;
            let size = staging.written().iter().map(|f| f.size).sum();
            staging.finish().map_err(|e| e.to_string())?;
            Ok(size)
        },
    )?;
    let out = (ds.entries.len() as u64, run.charges.len() as u64, written);
    println!("[run --full] invoices: {}", run.len());
    reset_peak();
    let (t, c) = (Instant::now(), cpu());
    drop(run);
    // As `faktura run` ends.
    faktura::cmd::drop_both(parts, ds);
    drop(led);
    drop(raw);
    st.record("drop everything", t, c);
    let _ = std::fs::remove_dir_all(&out_dir);
    Ok(out)
}

fn run_cmd(o: &RunOpts) -> Res<()> {
    let (dir, period, repeat, stages, full, no_bare) = (
        o.dir.as_path(),
        o.period.as_str(),
        o.repeat,
        o.stages,
        o.full,
        o.no_bare,
    );
    let period = Period::parse(period).ok_or(format!("--period '{period}' is not YYYY-MM"))?;
    let size = timelog_size(dir)?;
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let tag = if full { "run --full" } else { "run" };
    let mut st = Stages::default();
    let (mut bare, mut wall, mut peaks, mut ratios) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut shape = (0, 0, 0);
    let mut cpus = Vec::new();
    for _ in 0..repeat.max(1) {
        if !no_bare {
            let (_, _, b) = bare_pass(&dir.join("timelog.csv"))?;
            bare.push(b);
        }
        reset_peak();
        st.take_peak();
        let (t, c) = (Instant::now(), cpu());
        shape = if full {
            pipeline_full(dir, period, tmp.path(), &mut st)?
        } else {
            pipeline(dir, period, tmp.path(), &mut st, o.keep.as_deref())?
        };
        let w = t.elapsed().as_secs_f64();
        cpus.push(cpu() - c);
        peaks.push(st.take_peak());
        if let Some(b) = bare.last() {
            ratios.push(w / b);
        }
        wall.push(w);
        trim();
    }
    let (entries, rows, bytes) = shape;
    println!(
        "[{tag}] period {period}: {} entries, timelog.csv {}, {} charges rows, {} written",
        thousands(entries),
        mb(size),
        thousands(rows),
        mb(bytes)
    );
    if !bare.is_empty() {
        time_line(tag, "bare ByteRecord pass (same process)", &bare);
    }
    time_line(tag, "draft pipeline wall time", &wall);
    rate_line(tag, "entries/s", entries, &wall);
    time_line(tag, "draft pipeline CPU time (all threads)", &cpus);
    if !ratios.is_empty() {
        println!(
            "[{tag}] ratio pipeline / bare pass: min {:.2}x, median {:.2}x (goal: within 3x)",
            min(&ratios),
            median(&ratios)
        );
    }
    let p = peaks[0];
    println!(
        "[{tag}] peak RSS (first run, fresh process): {} (max of runs {}) = {:.2}x timelog.csv {} (goal: under 2x)",
        mb(p),
        mb(max_u(&peaks)),
        p as f64 / size as f64,
        mb(size)
    );
    if stages {
        st.print(tag, size);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// pdf
// ---------------------------------------------------------------------------

/// One `faktura` command as its own process under `/usr/bin/time`: wall
/// time (measured here, to the microsecond), CPU time (user + system) and
/// peak RSS.
struct Proc {
    wall: f64,
    /// User and system CPU.
    cpu: f64,
    /// User CPU alone: the program's own work, steadier than the system
    /// time, which swings with the file system's state.
    user: f64,
    peak: u64,
}

fn timed(faktura: &Path, args: &[&str]) -> Res<Proc> {
    timed_program(faktura, args)
}

/// Any program under `/usr/bin/time` (its standard output discarded).
fn timed_program(faktura: &Path, args: &[&str]) -> Res<Proc> {
    let out = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
    let start = Instant::now();
    let status = std::process::Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%e %U %S %M")
        .arg("-o")
        .arg(out.path())
        .arg(faktura)
        .args(args)
        .stdout(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("cannot start /usr/bin/time {}: {e}", faktura.display()))?;
    let wall = start.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!(
            "{} {} failed ({status})",
            faktura.display(),
            args.join(" ")
        ));
    }
    let text = std::fs::read_to_string(out.path()).map_err(|e| e.to_string())?;
    let f: Vec<f64> = text
        .lines()
        .last()
        .unwrap_or("")
        .split(' ')
        .filter_map(|x| x.parse().ok())
        .collect();
    let [_, user, sys, kb] = f[..] else {
        return Err(format!("/usr/bin/time printed {text:?}"));
    };
    Ok(Proc {
        wall,
        cpu: user + sys,
        user,
        peak: kb as u64 * 1024,
    })
}

/// The `faktura` binary beside this one (or `--faktura`).
fn faktura_bin(given: &Option<PathBuf>) -> Res<PathBuf> {
    match given {
        Some(p) => Ok(p.clone()),
        None => Ok(std::env::current_exe()
            .map_err(|e| e.to_string())?
            .with_file_name("faktura")),
    }
}

/// The draft run, the issued run and `verify` of that issued run of one
/// month, each measured; the ledger as it was is put back afterwards
/// unless `keep` (then the month stays issued). `draft_last` (not with
/// `keep`) runs the draft after the issue and its verify, on the ledger as
/// it was: whichever command follows another's writing pays for the state
/// it left (see BENCHMARKS), so `month` alternates the order.
fn month_round(
    faktura: &Path,
    dir: &Path,
    period: &str,
    date: &str,
    tmp: &Path,
    keep: bool,
    draft_last: bool,
) -> Res<[Proc; 3]> {
    let data = dir.to_str().ok_or("data folder: not UTF-8")?;
    let ledger = dir.join("ledger.csv");
    let saved = std::fs::read(&ledger).ok();
    // Every round's folders stay until the benchmark ends (`KEPT`).
    let n = KEPT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let (draft_out, issued_out) = (
        tmp.join(format!("draft-{n}")),
        tmp.join(format!("issued-{n}")),
    );
    let s = |p: &Path| p.to_string_lossy().into_owned();
    let (draft_dir, issued_dir) = (s(&draft_out), s(&issued_out));
    let run = |out: &str, issue: bool| {
        let mut args = vec!["run", "--data", data, "--period", period, "--out", out];
        if issue {
            args.extend(["--issue", "--date", date]);
        }
        timed(faktura, &args)
    };
    let put_back = || {
        match &saved {
            Some(b) => std::fs::write(&ledger, b),
            None => std::fs::remove_file(&ledger),
        }
        .map_err(|e| format!("cannot put {} back: {e}", ledger.display()))
    };
    let draft_first = !draft_last || keep;
    let draft = if draft_first {
        Some(run(&draft_dir, false)?)
    } else {
        None
    };
    let issue = run(&issued_dir, true)?;
    let verify = timed(
        faktura,
        &["verify", "--data", data, "--out", &s(&issued_out)],
    );
    if !keep {
        put_back()?;
    }
    let draft = match draft {
        Some(d) => d,
        None => run(&draft_dir, false)?,
    };
    Ok([draft, issue, verify?])
}

fn ledger_rows(dir: &Path) -> usize {
    std::fs::read(dir.join("ledger.csv"))
        .map(|b| b.iter().filter(|&&c| c == b'\n').count().saturating_sub(1))
        .unwrap_or(0)
}

fn proc_line(tag: &str, what: &str, p: &Proc, draft: &Proc) {
    println!(
        "[{tag}] {what:<7} wall {:>7.2} s ({:.2}x draft)  CPU {:>7.2} s ({:.2}x), user {:.2} s ({:.2}x)  peak RSS {}",
        p.wall,
        p.wall / draft.wall,
        p.cpu,
        p.cpu / draft.cpu,
        p.user,
        p.user / draft.user,
        mb(p.peak)
    );
}

/// `month`: draft, issue and verify of one month side by side, `repeat`
/// rounds, each command its own process; the ledger is put back after each
/// round.
fn month_cmd(o: &MonthOpts) -> Res<()> {
    let faktura = faktura_bin(&o.faktura)?;
    let size = timelog_size(&o.dir)?;
    let tmp = tempfile::tempdir_in(o.dir.parent().unwrap_or(Path::new("/tmp")))
        .map_err(|e| e.to_string())?;
    let tag = format!("month {}", o.period);
    println!(
        "[{tag}] {} on {} (timelog.csv {}), ledger {} rows",
        faktura.display(),
        o.dir.display(),
        mb(size),
        ledger_rows(&o.dir)
    );
    let mut ratios = Vec::new();
    let mut rounds = Vec::new();
    for round in 1..=o.repeat.max(1) {
        // Odd rounds draft first, even rounds issue first.
        let draft_last = round % 2 == 0;
        let [d, i, v] = month_round(
            &faktura,
            &o.dir,
            &o.period,
            &o.date,
            tmp.path(),
            false,
            draft_last,
        )?;
        println!(
            "[{tag}] round {round} ({})",
            if draft_last {
                "issue, verify, then draft"
            } else {
                "draft, issue, verify"
            }
        );
        proc_line(&tag, "draft", &d, &d);
        proc_line(&tag, "issue", &i, &d);
        proc_line(&tag, "verify", &v, &d);
        println!(
            "[{tag}] verify peak RSS = {:.2}x timelog.csv",
            v.peak as f64 / size as f64
        );
        ratios.push([
            i.wall / d.wall,
            i.cpu / d.cpu,
            v.wall / d.wall,
            v.cpu / d.cpu,
            i.user / d.user,
            v.user / d.user,
        ]);
        rounds.push([d, i, v]);
    }
    let med = |k: usize| median(&ratios.iter().map(|r| r[k]).collect::<Vec<_>>());
    println!(
        "[{tag}] median of rounds: issue/draft wall {:.2}x CPU {:.2}x user {:.2}x (goal 1.15x); verify/draft wall {:.2}x CPU {:.2}x user {:.2}x (goal 1.2x)",
        med(0),
        med(1),
        med(4),
        med(2),
        med(3),
        med(5)
    );
    // Best against best, as for the copy in `draft`: the kernel's share of
    // a round swings by a second with the file system's state.
    let best = |k: usize, f: fn(&Proc) -> f64| {
        rounds
            .iter()
            .map(|r| f(&r[k]))
            .fold(f64::INFINITY, f64::min)
    };
    let (wall, cpu, user): (fn(&Proc) -> f64, fn(&Proc) -> f64, fn(&Proc) -> f64) =
        (|p| p.wall, |p| p.cpu, |p| p.user);
    println!(
        "[{tag}] best of rounds: issue/draft wall {:.2}x CPU {:.2}x user {:.2}x; verify/draft wall {:.2}x CPU {:.2}x user {:.2}x",
        best(1, wall) / best(0, wall),
        best(1, cpu) / best(0, cpu),
        best(1, user) / best(0, user),
        best(2, wall) / best(0, wall),
        best(2, cpu) / best(0, cpu),
        best(2, user) / best(0, user),
    );
    Ok(())
}

/// The files of a folder: how many PDFs (one per invoice), how many files
/// and how many bytes in all.
fn folder_size(dir: &Path) -> Res<(u64, u64, u64)> {
    let (mut pdfs, mut files, mut bytes) = (0, 0, 0);
    for e in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let e = e.map_err(|e| e.to_string())?;
        let meta = e.metadata().map_err(|e| e.to_string())?;
        if meta.is_file() {
            files += 1;
            bytes += meta.len();
            if e.file_name().to_string_lossy().ends_with(".pdf") {
                pdfs += 1;
            }
        }
    }
    Ok((pdfs, files, bytes))
}

/// Writes back the page cache's dirty pages (untimed), so that each timed
/// command starts without the writeback of the one before.
/// Output folders made so far. A benchmark deletes none of them before it
/// ends: on ext4, creating files shortly after thousands were deleted
/// skips the recently freed inodes one by one in the kernel (measured:
/// `cp -r` of a 300k month's output 0.24 s, or 1.03 s within a minute of
/// deleting another such folder), which would time the file system's
/// bookkeeping instead of faktura.
static KEPT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn settle() {
    let _ = std::process::Command::new("sync").status();
}

/// `draft`: the draft run of a month and `cp -r` of its own output folder
/// (page cache warm: the files were just written), each its own process
/// under /usr/bin/time, `repeat` rounds; the binaries of `--faktura`
/// alternate within each round. Reports the best of the rounds each, the
/// run/copy ratio, CPU (user + system) per invoice and peak RSS against
/// the time log's size.
fn draft_cmd(o: &DraftOpts) -> Res<()> {
    let bins = if o.faktura.is_empty() {
        vec![faktura_bin(&None)?]
    } else {
        o.faktura.clone()
    };
    let size = timelog_size(&o.dir)?;
    let data = o.dir.to_str().ok_or("data folder: not UTF-8")?;
    let tmp = tempfile::tempdir_in(o.dir.parent().unwrap_or(Path::new("/tmp")))
        .map_err(|e| e.to_string())?;
    let s = |p: &Path| p.to_string_lossy().into_owned();
    // Per binary: (run, copy) of each round, and the output's size.
    let mut got: Vec<(Vec<Proc>, Vec<Proc>, (u64, u64, u64))> = bins
        .iter()
        .map(|_| (Vec::new(), Vec::new(), (0, 0, 0)))
        .collect();
    for round in 1..=o.repeat.max(1) {
        for (b, bin) in bins.iter().enumerate() {
            // Each round's folders stay until the end (`KEPT`).
            let n = KEPT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let (out, copy) = (
                tmp.path().join(format!("draft-{n}")),
                tmp.path().join(format!("copy-{n}")),
            );
            settle();
            let run = timed(
                bin,
                &[
                    "run",
                    "--data",
                    data,
                    "--period",
                    &o.period,
                    "--out",
                    &s(&out),
                ],
            )?;
            let sizes = folder_size(&out)?;
            settle();
            let cp = timed_program(Path::new("cp"), &["-r", &s(&out), &s(&copy)])?;
            println!(
                "[draft {}] round {round} {}: run wall {:.3} s CPU {:.2} s peak {}; cp -r wall {:.3} s CPU {:.2} s",
                o.period,
                bin.display(),
                run.wall,
                run.cpu,
                mb(run.peak),
                cp.wall,
                cp.cpu
            );
            let g = &mut got[b];
            g.0.push(run);
            g.1.push(cp);
            g.2 = sizes;
        }
    }
    println!(
        "[draft {}] {} (timelog.csv {}), best of {} each:",
        o.period,
        o.dir.display(),
        mb(size),
        o.repeat.max(1)
    );
    for (bin, (runs, cps, (pdfs, files, bytes))) in bins.iter().zip(&got) {
        let best = |v: &[Proc], f: fn(&Proc) -> f64| min(&v.iter().map(f).collect::<Vec<_>>());
        let (run_wall, run_cpu) = (best(runs, |p| p.wall), best(runs, |p| p.cpu));
        let cp_wall = best(cps, |p| p.wall);
        let peak = runs.iter().map(|p| p.peak).max().unwrap_or(0);
        println!(
            "[draft {}] {}: {pdfs} invoices, {files} files, {}; run {run_wall:.2} s wall, cp -r {cp_wall:.3} s: {:.1}x (goal 8x); CPU {run_cpu:.2} s = {:.2} ms per invoice (goal 2 ms); peak RSS {} = {:.2}x timelog.csv (goal 2x)",
            o.period,
            bin.display(),
            mb(*bytes),
            run_wall / cp_wall,
            1e3 * run_cpu / (*pdfs).max(1) as f64,
            mb(peak),
            peak as f64 / size as f64
        );
    }
    Ok(())
}

/// `year`: issues month after month of a time log spanning a year; at the
/// months named in `at` the draft, issue and verify of that month are
/// measured (the ledger then holds the months before it, and verify reads
/// them all).
fn year_cmd(o: &YearOpts) -> Res<()> {
    let faktura = faktura_bin(&o.faktura)?;
    let first = Period::parse(&o.first).ok_or(format!("--first '{}' is not YYYY-MM", o.first))?;
    let tmp = tempfile::tempdir_in(o.dir.parent().unwrap_or(Path::new("/tmp")))
        .map_err(|e| e.to_string())?;
    if o.dir.join("ledger.csv").exists() {
        return Err(format!(
            "{}: start from a data set without ledger.csv",
            o.dir.display()
        ));
    }
    let mut period = first;
    for month in 1..=o.months {
        let p = period.to_string();
        // Issued on the first day of the next month.
        let date = period.last_day().succ_opt().ok_or("date")?.to_string();
        if o.at.contains(&month) {
            let before = ledger_rows(&o.dir);
            let [d, i, v] = month_round(&faktura, &o.dir, &p, &date, tmp.path(), true, false)?;
            let tag = format!("year month {month:>2} {p}");
            println!(
                "[{tag}] ledger before: {before} rows; after: {} rows",
                ledger_rows(&o.dir)
            );
            proc_line(&tag, "draft", &d, &d);
            proc_line(&tag, "issue", &i, &d);
            proc_line(&tag, "verify", &v, &d);
        } else {
            // Kept until the end, as every round's folders (`KEPT`).
            let n = KEPT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let out = tmp.path().join(format!("issued-{n}"));
            let s = out.to_string_lossy().into_owned();
            let data = o.dir.to_string_lossy().into_owned();
            timed(
                &faktura,
                &[
                    "run", "--data", &data, "--period", &p, "--out", &s, "--issue", "--date", &date,
                ],
            )?;
        }
        period = period.next();
    }
    Ok(())
}

fn pdf_cmd(
    dir: &Path,
    period: &str,
    n: usize,
    repeat: usize,
    threads: Vec<usize>,
    sample_out: Option<&Path>,
) -> Res<()> {
    use faktura::render::pdf::{invoice_pdf, Fonts};
    use sha2::{Digest, Sha256};
    let period = Period::parse(period).ok_or(format!("--period '{period}' is not YYYY-MM"))?;
    let raw = load::load(dir).map_err(|e| e.to_string())?;
    let (ds, _) = valid(&raw)?;
    drop(raw);
    let parts = faktura::decide::decide(&ds);
    let led = ledger_of(dir)?;
    let mode = Mode {
        issue: false,
        date: Some(period.next().first_day()),
    };
    let invoices: Vec<Invoice> =
        invoice::monthly_run(&ds, &parts, period, &led, &mode).invoices(&ds);
    drop(parts);
    if invoices.is_empty() {
        return Err("the run has no invoices".into());
    }
    let lines: Vec<f64> = invoices.iter().map(|i| i.lines.len() as f64).collect();
    println!(
        "[pdf] {} distinct invoices of {period} (cycled to {}): lines per invoice median {}, mean {:.1}, max {}",
        invoices.len(),
        thousands(n as u64),
        median(&lines),
        lines.iter().sum::<f64>() / lines.len() as f64,
        lines.iter().copied().fold(0.0, f64::max)
    );
    let t = Instant::now();
    let fonts = Fonts::load();
    println!("[pdf] Fonts::load: {:.3} s", t.elapsed().as_secs_f64());
    let render = |i: usize| {
        let inv = &invoices[i % invoices.len()];
        let c = &ds.customers[&inv.customer];
        invoice_pdf(inv, &ds.company, c, None, &fonts)
    };

    // Untimed: pages of a sample spread over all invoices, and whether
    // rendering on rayon's threads gives the same bytes as one by one.
    let sample = invoices.len().min(300);
    let picks: Vec<usize> = (0..sample).map(|k| k * invoices.len() / sample).collect();
    let seq: Vec<(usize, [u8; 32])> = picks
        .iter()
        .map(|&i| {
            let pdf = render(i);
            let pages = lopdf::Document::load_mem(&pdf).map_or(0, |d| d.get_pages().len());
            (pages, Sha256::digest(&pdf).into())
        })
        .collect();
    let par: Vec<[u8; 32]> = picks
        .par_iter()
        .map(|&i| Sha256::digest(render(i)).into())
        .collect();
    let same = seq.iter().zip(&par).filter(|(a, b)| a.1 == **b).count();
    if let Some(out) = sample_out {
        std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
        for &i in picks.iter().step_by((sample / 5).max(1)) {
            let p = out.join(invoices[i].file_name());
            std::fs::write(&p, render(i)).map_err(|e| format!("{}: {e}", p.display()))?;
        }
    }
    let pages: Vec<f64> = seq.iter().map(|s| s.0 as f64).collect();
    println!(
        "[pdf] sample of {sample} invoices: pages median {}, mean {:.1}, max {}; rayon vs sequential bytes identical: {same}/{sample}",
        median(&pages),
        pages.iter().sum::<f64>() / sample as f64,
        pages.iter().copied().fold(0.0, f64::max)
    );

    let mut threads = threads;
    if threads.is_empty() {
        threads = vec![1, rayon::current_num_threads()];
        threads.dedup();
    }
    let base = rss();
    println!(
        "[pdf] RSS before rendering (data set + invoices): {}",
        mb(base)
    );
    for t in threads {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .map_err(|e| e.to_string())?;
        let (mut secs, mut peaks, mut cpus) = (Vec::new(), Vec::new(), Vec::new());
        let mut bytes = 0u64;
        for _ in 0..repeat.max(1) {
            reset_peak();
            let (start, c) = (Instant::now(), cpu());
            // Only the sizes are kept: no PDF stays in memory.
            bytes = pool.install(|| (0..n).into_par_iter().map(|i| render(i).len() as u64).sum());
            secs.push(start.elapsed().as_secs_f64());
            cpus.push(cpu() - c);
            peaks.push(peak());
        }
        let tag = format!("pdf {t} thread{}", if t == 1 { "" } else { "s" });
        time_line(&tag, &format!("{} invoices", thousands(n as u64)), &secs);
        rate_line(&tag, "invoices/s", n as u64, &secs);
        time_line(&tag, "CPU time (all threads)", &cpus);
        println!(
            "[{tag}] CPU per invoice: {:.2} ms (median)",
            1e3 * median(&cpus) / n as f64
        );
        println!(
            "[{tag}] bytes: {} total, {:.1} KB per PDF",
            mb(bytes),
            bytes as f64 / n as f64 / 1e3
        );
        let p = median_u(&peaks);
        println!(
            "[{tag}] peak RSS while rendering: {} (+{} over the {} before)",
            mb(p),
            mb(p.saturating_sub(base)),
            mb(base)
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// suite
// ---------------------------------------------------------------------------

fn suite(
    dir: &Path,
    period: &str,
    pdf_data: Option<&Path>,
    invoices: usize,
    repeat: usize,
) -> Res<()> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let d = dir.to_string_lossy().to_string();
    let pd = pdf_data.unwrap_or(dir).to_string_lossy().to_string();
    let r = repeat.to_string();
    let n = invoices.to_string();
    let runs: Vec<Vec<&str>> = vec![
        vec!["bare", &d, "--repeat", &r],
        vec!["load", &d, "--repeat", &r],
        vec!["run", &d, "--period", period, "--stages", "--repeat", &r],
        vec![
            "run", &d, "--period", period, "--full", "--stages", "--repeat", &r,
        ],
        vec![
            "pdf",
            &pd,
            "--period",
            period,
            "--invoices",
            &n,
            "--repeat",
            &r,
        ],
    ];
    for args in runs {
        println!("$ faktura-bench {}", args.join(" "));
        std::io::stdout().flush().ok();
        let status = std::process::Command::new(&exe)
            .args(&args)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("faktura-bench {} failed: {status}", args.join(" ")));
        }
    }
    Ok(())
}
