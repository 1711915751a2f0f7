//! args -> command -> exit code; nothing else.

use clap::Parser;
use faktura::cli::{Cli, Command};
use faktura::cmd;
use std::process::ExitCode;

fn main() -> ExitCode {
    fixed_mmap_threshold();
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check { data } => cmd::check::run(&data),
        Command::Run {
            data,
            period,
            out,
            issue,
            date,
        } => cmd::run::run(&data, &period, &out, issue, date.as_deref()),
        Command::Estimate {
            data,
            plan,
            out,
            date,
        } => cmd::estimate::run(&data, &plan, &out, date.as_deref()),
        Command::Prices { data, date, out } => cmd::prices::run(&data, &date, &out),
        Command::Offer {
            data,
            project,
            date,
            out,
        } => cmd::offer::run(&data, &project, &date, &out),
        Command::Explain { data, entry } => cmd::explain::run(&data, &entry),
        Command::Cancel {
            data,
            invoice,
            reason,
            date,
            out,
        } => cmd::cancel::run(&data, &invoice, &reason, &date, &out),
        Command::Remind {
            data,
            date,
            out,
            issue,
        } => cmd::remind::run(&data, &date, &out, issue),
        Command::Ledger { data, as_of } => cmd::ledger::run(&data, as_of.as_deref()),
        Command::Payments { data, as_of, out } => cmd::payments::run(&data, as_of.as_deref(), &out),
        Command::Export {
            data,
            from,
            to,
            format,
            out,
        } => cmd::export::run(&data, &from, &to, &format, &out),
        Command::Verify { data, out } => cmd::verify::run(&data, &out),
        Command::Projects { data, date } => cmd::projects::run(&data, date.as_deref()),
        Command::Invoice {
            data,
            project,
            out,
            issue,
            date,
        } => cmd::invoice::run(&data, &project, &out, issue, date.as_deref()),
    };
    ExitCode::from(code)
}

/// glibc raises its mmap threshold to the size of each large block freed
/// (up to 32 MiB); blocks below it then come from the heap and stay with
/// the process when freed. A month's run frees blocks of megabytes early
/// (read buffers, hash sets, rendered batches), so its peak memory was a
/// fifth above what it ever held at once. A fixed threshold hands large
/// blocks back when they are freed. Fixing it also fixes the trim
/// threshold, at 128 KiB: each thread's heap was then cut back and paged
/// in again thousands of times a run (twice the page faults, half a
/// second of system time on the 300k month); 4 MiB keeps that off
/// (DECISIONS D38).
fn fixed_mmap_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` sets parameters of the allocator and touches no
    // memory of ours; it is called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 4 * 1024 * 1024);
    }
}
