//! The command line, as clap derive structs. Help texts are written for a
//! billing clerk who has never seen faktura before.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "faktura",
    version,
    about = "Billing and invoicing from staff time logs, maintenance contracts and projects",
    long_about = "faktura turns a data folder (company.toml, customers, contracts, approvals, \
projects, acceptances and the time log, plus the rate card named in company.toml) into \
invoices, by the company's cost decision scheme: covered work is free, referring a third \
party's fault is free, chargeable work is billed only with the customer's prior approval, and \
a project only after final acceptance. Everything held back is reported, never lost.\n\n\
Exit codes: 0 success, 1 invalid input (nothing written), 2 usage error, 3 refused action, \
4 the run failed (I/O, nothing half-written).",
    after_help = "Start with `faktura check --data fixtures/demo`, then \
`faktura run --data fixtures/demo --period 2026-10 --out out/2026-10`."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Validate every input file and print every problem at once (exit 0 only when clean)
    #[command(
        long_about = "Reads every file of the data folder (bank statements and manual.csv in \
payments/ included) and the rate card, and prints each \
problem as `file:line: column: what is wrong (what was expected)`, sorted by file and line, \
with a summary line last. Warnings (such as overlapping entries of one staff member) do not \
fail the check. Writes nothing."
    )]
    Check {
        /// The data folder (holds company.toml, customers.csv, timelog.csv, ...)
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
    },
    /// The monthly run: decide and price every entry, write charges and held work
    #[command(
        long_about = "Decides every time entry (rules K1..K8, A1..A3), prices it by the rate \
card, and writes the outputs of the period into a new output folder: charges.csv (every \
decided part, for auditors), held.csv (chargeable work without valid approval, for \
follow-up with the customer), invoices.csv, invoice_lines.csv and one PDF per invoice. \
Without --issue the invoices are drafts (DRAFT-..., marked ENTWURF/DRAFT) and the ledger is \
not touched; check them, then run again with --issue --date to assign numbers and record \
them in the ledger (ledger.csv in the data folder). Issuing the same period twice issues \
nothing new. The output folder must not exist yet or be empty; files appear whole or not at \
all."
    )]
    Run {
        /// The data folder
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The month to invoice, e.g. 2026-10
        #[arg(long, value_name = "YYYY-MM")]
        period: String,
        /// A new, empty folder for the outputs
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Issue the invoices: assign numbers and record them in the ledger (needs --date)
        #[arg(long, requires = "date")]
        issue: bool,
        /// The issue date printed on the invoices (due date = date + payment_days)
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// List every project with its status, the next missing step and the effort booked on it
    #[command(
        long_about = "Shows every project of projects.csv: its status (requirements paper, \
solution document, approved, in progress, QA accepted, accepted, invoiced), the next missing \
step, the due date (overdue ones marked with !), the agreed fee, and the effort booked on it in \
the time log (hours by staff) with its value at the rate card's remote price, so fixed-price \
projects that run over stand out. Writes nothing."
    )]
    Projects {
        /// The data folder
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The day to judge due dates against (default: today)
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// The ad-hoc invoice of one accepted project (draft, or --issue --date)
    #[command(
        long_about = "Writes the invoice of one project that has its approval, internal QA \
acceptance and final customer acceptance (F17 in docs/RULES.md) into a new output folder: the PDF, \
invoices.csv and invoice_lines.csv. Without --issue it is a draft; with --issue --date it gets \
the next number and is recorded in the ledger, exactly as the monthly run would do it (the \
month-end run will not invoice it again). A project that is not accepted or already invoiced \
is refused with exit code 3 and the reason; nothing is written."
    )]
    Invoice {
        /// The data folder
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The project_id of a row in projects.csv
        #[arg(long, value_name = "ID")]
        project: String,
        /// A new, empty folder for the outputs
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Issue the invoice: assign its number and record it in the ledger (needs --date)
        #[arg(long, requires = "date")]
        issue: bool,
        /// The issue date printed on the invoice
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// Cancel an issued invoice with a cancellation invoice (Stornorechnung)
    #[command(
        long_about = "Issues a cancellation invoice for an issued invoice: its own number from \
the cancellation range (cancellation_number_format in company.toml, default \
ST-{year}-{seq:05}), every line of the original negated, the same VAT treatment, and the \
reference \"Stornorechnung zu Rechnung RE-... vom ...\" with the reason. The original's files \
stay as they are; the ledger records that it is cancelled, and everything it billed (entry \
parts, fee months, travel days, a project) is free to be billed again by the next run or \
ad-hoc invoice, from the current inputs. An unknown number, an invoice already cancelled and \
a cancellation itself are refused with exit code 3; nothing is written."
    )]
    Cancel {
        /// The data folder
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The number of the issued invoice to cancel, e.g. RE-2026-00042
        #[arg(long, value_name = "NUMBER")]
        invoice: String,
        /// Why it is cancelled (printed on the cancellation)
        #[arg(long, value_name = "TEXT")]
        reason: String,
        /// The issue date of the cancellation
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// A new, empty folder for the outputs
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Payment reminders and dunning letters for overdue invoices (draft, or --issue)
    #[command(
        long_about = "Writes the letters due on --date into a new output folder: one letter per \
customer listing each overdue invoice at its next level (1 payment reminder, reminder_after_days \
after the due date; 2 dunning notice and 3 final notice, each dunning_interval_days after the \
previous level), with default interest under BGB section 288 on levels 2 and 3 (base rate of \
base_rates.csv in the rate card plus 9 points for businesses, 5 for consumers), the 40.00 EUR \
flat fee once per invoice for businesses, a new deadline (reminder_pay_days) and a GiroCode of \
the total claim. Writes reminders.csv, one PDF per letter and MANIFEST.csv. Without --issue \
the letters are drafts (marked ENTWURF/DRAFT) and the ledger is not touched; with --issue they \
get numbers of their own range (dunning_number_format, default MA-{year}-{seq:05}) and are \
recorded in the ledger, so no level is ever sent twice. When no letter is due, nothing is \
written."
    )]
    Remind {
        /// The data folder
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The date of the letters: overdue days, interest and the deadline count from it
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// A new, empty folder for the outputs
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Issue the letters: assign numbers and record them in the ledger
        #[arg(long)]
        issue: bool,
    },
    /// The books for the accountant: a DATEV Buchungsstapel or an hledger journal
    #[command(
        long_about = "Exports every issued invoice and cancellation whose issue date lies in \
--from..--to (both inclusive), from the ledger, into a new output folder with MANIFEST.csv. \
--format datev writes EXTF_Buchungsstapel_<from>_<to>.csv, the DATEV import file for the \
tax adviser (Windows-1252; needs datev_consultant and datev_client in company.toml and a \
debtor_account for every exported customer in customers.csv; one fiscal and calendar year \
per file). --format hledger writes faktura.journal, plain-text books that `hledger check` \
accepts. The same ledger and range give the same bytes; `faktura verify` recomputes them."
    )]
    Export {
        /// The data folder
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The first issue (or booking) date to export
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: String,
        /// The last issue (or booking) date to export
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: String,
        /// datev (DATEV Buchungsstapel) or hledger (hledger journal)
        #[arg(long, value_name = "FORMAT", value_parser = ["datev", "hledger"])]
        format: String,
        /// A new, empty folder for the export
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// The issued invoices with paid, open and status, and totals per month
    #[command(
        long_about = "Lists every issued invoice with what was paid on it and what is open on \
the --as-of day (payments of payments/ matched as `faktura payments` does), its status (paid, \
partly-paid, unpaid, overdue, cancelled) and each customer's credit, then totals per month of \
issue. Writes nothing."
    )]
    Ledger {
        /// The data folder
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The day to judge payments and due dates on (default: today)
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
    },
    /// Match the bank statements (camt.053) to the invoices: payments, open items, unmatched
    #[command(
        long_about = "Reads the bank statements in payments/ of the data folder (ISO 20022 \
camt.053 XML, versions .001.02 to .001.08) and payments/manual.csv (cash, cheques, and the \
clerk's assignment of a payment that matched nothing), and matches every payment booked up to \
--as-of: M1 by the invoice numbers or RF references in the remittance, M2 by a customer id \
alone (oldest open invoice first), otherwise M3: unmatched, listed for the clerk. Writes \
payments.csv, open_items.csv, unmatched.csv and MANIFEST.csv into a new, empty folder and \
prints a summary. A malformed statement is an input error with its file and line; nothing \
is written then."
    )]
    Payments {
        /// The data folder (its payments/ folder holds the statements)
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The day to report on: payments booked up to it count (default: today)
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// A new, empty folder for the outputs
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Recompute a run from its inputs and report every difference (for auditors)
    #[command(
        long_about = "Reads MANIFEST.csv of an output folder, recomputes that run (monthly run, \
ad-hoc project invoice, cancellation, payments run or export, draft or issued, with the \
ledger as it was; or an estimate, price list or offer) from the data folder, and compares every output file: CSVs field by field, the exported books line by line (`file:line: \
column: expected X, found Y`), PDFs byte by byte. A run made by a faktura before 0.2.0 (no \
GiroCode yet) is compared by its content: a PDF or XML that differs only by the GiroCode's \
changes is a note, not a difference; so is a PDF of a run by an older faktura \
(another PDF writer before 0.3.0, another GiroCode mask before 0.4.0) whose page text and embedded XML equal the recomputation's. Names every input whose hash changed since the run. Also checks the \
ledger: numbers unique and gapless, each invoice's net the sum of its items, VAT and gross \
right, no item billed twice, every billed entry part still in the time log. Exit 0 only when \
everything matches, 1 otherwise. Writes nothing."
    )]
    Verify {
        /// The data folder
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The output folder of the run to verify
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Cost notices of planned work, with the approval slip, before the work (RULES 11)
    #[command(
        long_about = "Reads a plan (a CSV outside the data folder: item, customer_id, date, \
start, end, channel, responsibility, activity, ticket, description; one planned piece of work \
a row) and tells each customer, before the work, what it will cost: every item decided and \
priced exactly as `faktura run` will bill it once it is logged with an approval (the plan and \
the time log are decided together, so contract hours, surcharges, discounts and travel are \
the run's own). Writes estimate.csv (the items' parts in the columns of charges.csv), one \
estimate-<customer_id>.pdf per customer (the cost notice with the reply slip: the one-time \
order form for a customer without contract, else the approval of extra cost) and \
approvals-proposed.csv (the rows to append to approvals.csv once the signed slip is back, \
with granted_on filled in). The output folder must be new or empty."
    )]
    Estimate {
        /// The data folder
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The plan CSV (planned work, one item a row)
        #[arg(long, value_name = "FILE")]
        plan: PathBuf,
        /// A new, empty folder for the outputs
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The notice's date (default: the earliest item date)
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// The price list (Verrechnungssätze) valid on a date, as CSV and PDF (de, en)
    #[command(
        long_about = "Writes the published rates valid on --date: prices-<D>.csv, \
Verrechnungssaetze-<D>.pdf (German) and price-list-<D>.pdf (English): every rate in force \
with its net and gross price and its billing rule in words, every surcharge in force, the \
travel fee, and the cost decision scheme in the customer's words (what is free, what costs, \
and that chargeable work needs prior approval). Reads nothing but company.toml and the rate \
card it names. The output folder must be new or empty."
    )]
    Prices {
        /// The data folder (only company.toml and its rate card are read)
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The day the prices are valid on
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// A new, empty folder for the outputs
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// The offer (Angebot) of a project, with the approval slip, before its approval
    #[command(
        long_about = "Writes offer-<project_id>.pdf (in the customer's language) and \
offer-<project_id>.csv: the project's title, the agreed fee net, VAT by the customer's \
country, gross, the steps done (requirements paper, solution document) and to come \
(approval, completion date, implementation, internal QA, roll-out, final acceptance, then \
the invoice), the validity (estimate_valid_days in company.toml, default 14) and an approval \
slip. A project already approved, or without its solution document (solution_on), is \
refused with exit code 3 and the reason; nothing is written."
    )]
    Offer {
        /// The data folder
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The project_id of a row in projects.csv
        #[arg(long, value_name = "ID")]
        project: String,
        /// The offer's date
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// A new, empty folder for the outputs
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Tell the story of one time entry: facts, rules tried, and the arithmetic
    Explain {
        /// The data folder
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The entry_id of a row in timelog.csv
        #[arg(value_name = "ENTRY_ID")]
        entry: String,
    },
}
