//! args -> command -> exit code; nothing else.

use clap::Parser;
use faktura::cli::{Cli, Command};
use faktura::cmd;
use std::process::ExitCode;

fn main() -> ExitCode {
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
