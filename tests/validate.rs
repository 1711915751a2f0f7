//! Validation against the library API (RULES 3, F1-F3): a small, clean data
//! set as text, broken one way per row of a table, and the one diagnostic
//! each break must give: its file, line, column and the words that say what
//! was expected. Then several breaks in one run, warnings that do not block,
//! and line numbers that stay true past blank lines, quoted line breaks and
//! the parallel parser's chunk boundaries.

use faktura::diagnostic::{Diagnostic, Severity};
use faktura::load::{RateCardSources, RawInputs, Source};
use faktura::validate::{validate, Validated};
use std::collections::BTreeMap;
use std::fmt::Write as _;

const COMPANY: &str = r#"# The seller of the worked example in RULES section 9.
name = "Bergmann IT-Service GmbH"
street = "Landsberger Straße 302"
postcode = "80687"
city = "München"
country = "DE"
vat_id = "DE287654324"
tax_number = "143/218/40571"
email = "rechnung@bergmann-it.example"
phone = "+49 89 5432100"
register = "Amtsgericht München, HRB 234567"
managing_director = "Thomas Bergmann"
bank = "Commerzbank"
iban = "DE89370400440532013000"
bic = "COBADEFFXXX"
vat_rate = 19
currency = "EUR"
invoice_number_format = "RE-{year}-{seq:05}"
payment_days = 14
rates = "rates"
"#;

/// C2 of the worked example (line 2) and C3 (line 3).
const CUSTOMERS: &str = "customer_id,name,street,postcode,city,country,vat_id,email,language
C2,Huber & Söhne Steuerberatung GmbH,Nymphenburger Straße 14,80335,München,DE,DE136598171,buero@huber-soehne-stb.example,de
C3,Alpenblick Hotel KG,Seestraße 3,83700,Rottach-Egern,DE,,info@alpenblick.example,de
";

const CONTRACTS: &str =
    "contract_id,customer_id,tier,start,end,monthly_fee,channels,included_hours,discount_percent
V-C2-1,C2,Basis,2026-01-01,,150.00,phone;email;ticket;remote,2,10
";

/// a7 of C2 (line 2), a9 of C3 (line 3).
const APPROVALS: &str = "approval_id,customer_id,kind,granted_on,valid_until,ticket,max_hours
a7,C2,approval,2026-10-06,,,3
a9,C3,order,2026-10-01,,,
";

/// P1 of C2 (line 2), P3 of C3 (line 3).
const PROJECTS: &str = "project_id,customer_id,title,fee,concept_on,solution_on,approved_on,due_on
P1,C2,Neue Scan-Ablage,1200.00,2026-09-01,2026-09-10,2026-09-15,2026-11-30
P3,C3,WLAN für Gäste,2400.00,2026-08-03,2026-08-20,2026-09-01,2026-11-30
";

const ACCEPTANCES: &str = "project_id,stage,date,signed_by
P1,qa,2026-10-20,Jonas Huber
";

/// e1..e5 of the worked example on lines 2..6, e6 project work on line 7.
const TIMELOG: &str = "entry_id,date,start,end,staff,customer_id,ticket,channel,responsibility,activity,approval_id,project_id,description
e1,2026-10-06,10:00,11:30,Jonas Huber,C2,TK-1041,remote,ours,fix,,,DATEV-Arbeitsplatz nach Update repariert
e2,2026-10-07,09:00,10:00,Jonas Huber,C2,TK-1043,remote,ours,support,a7,,Einrichtung neuer Scan-Ablage
e3,2026-10-08,18:30,18:40,Mehmet Yılmaz,C2,TK-1047,remote,third_party,fix,a7,,\"Zugang zum Portal \"\"ELSTER\"\" wiederhergestellt\"
e4,2026-10-09,14:00,14:20,Sophie Schneider,C2,TK-1050,phone,third_party,diagnosis,,,Störung beim Provider
e5,2026-10-09,15:00,16:00,Jonas Huber,C2,TK-1052,remote,tampering,fix,,,Firewall-Regeln nach unautorisierter Änderung zurückgesetzt
e6,2026-10-12,09:00,11:00,Sophie Schneider,C2,,,,,,P1,Scan-Ablage eingerichtet
";

/// Rows on lines 2..7: phone, email, ticket, remote, onsite, travel.
const RATES: &str = "code,description,unit,price,increment_minutes,minimum_minutes,valid_from
phone,Telefon-Support,hour,86.00,15,15,2026-01-01
email,E-Mail-Support,hour,86.00,15,15,2026-01-01
ticket,Support über Ticketsystem,hour,86.00,15,15,2026-01-01
remote,Fernwartung (Remote-Support),hour,96.00,15,15,2026-01-01
onsite,Vor-Ort-Einsatz,hour,110.00,15,60,2026-01-01
travel,Anfahrtspauschale (Vor-Ort-Einsatz),visit,49.00,0,0,2026-01-01
";

const SURCHARGES: &str = "code,description,days,from,to,percent,valid_from
evening,Abendzuschlag (Mo-Fr 18-22 Uhr),mon;tue;wed;thu;fri,18:00,22:00,25,2026-01-01
";

const HOLIDAYS: &str = "date,name
2026-10-03,Tag der Deutschen Einheit
2026-12-25,1. Weihnachtstag
";

/// Every input file by the name messages give it; `None` is a missing file.
type Files = BTreeMap<&'static str, Option<Vec<u8>>>;

fn base() -> Files {
    [
        ("company.toml", COMPANY),
        ("customers.csv", CUSTOMERS),
        ("contracts.csv", CONTRACTS),
        ("approvals.csv", APPROVALS),
        ("projects.csv", PROJECTS),
        ("acceptances.csv", ACCEPTANCES),
        ("timelog.csv", TIMELOG),
        ("rates/rates.csv", RATES),
        ("rates/surcharges.csv", SURCHARGES),
        ("rates/holidays.csv", HOLIDAYS),
    ]
    .into_iter()
    .map(|(name, text)| (name, Some(text.as_bytes().to_vec())))
    .collect()
}

fn raw(files: &Files) -> RawInputs {
    let source = |name: &str| match &files[name] {
        Some(bytes) => Source {
            bytes: Some(bytes.clone()),
            ..Source::text(name, "")
        },
        None => Source::absent(name),
    };
    RawInputs {
        company: source("company.toml"),
        customers: source("customers.csv"),
        contracts: source("contracts.csv"),
        approvals: source("approvals.csv"),
        projects: source("projects.csv"),
        acceptances: source("acceptances.csv"),
        timelog: source("timelog.csv"),
        einvoice: Source::absent("einvoice.csv"),
        rate_card: Some(RateCardSources {
            rates: source("rates/rates.csv"),
            surcharges: source("rates/surcharges.csv"),
            holidays: source("rates/holidays.csv"),
        }),
    }
}

/// One way to break a file.
#[derive(Clone, Copy)]
enum Break {
    /// Replace the one occurrence of the first text by the second.
    Replace(&'static str, &'static str),
    /// Add rows at the end.
    Append(&'static str),
    /// Re-encode the one occurrence of this text as Latin-1.
    Latin1(&'static str),
    /// Any other change of the whole text.
    With(fn(&str) -> String),
    /// The file does not exist.
    Missing,
}

fn apply(files: &mut Files, file: &str, b: Break) {
    let slot = files
        .get_mut(file)
        .unwrap_or_else(|| panic!("no file {file}"));
    let text = || String::from_utf8(slot.clone().expect("file exists")).expect("base is UTF-8");
    let new = match b {
        Break::Replace(from, to) => {
            let t = text();
            assert_eq!(
                t.matches(from).count(),
                1,
                "'{from}' must occur once in {file}"
            );
            Some(t.replacen(from, to, 1).into_bytes())
        }
        Break::Append(rows) => Some((text() + rows).into_bytes()),
        Break::Latin1(s) => {
            let t = text();
            assert_eq!(t.matches(s).count(), 1, "'{s}' must occur once in {file}");
            let latin1: Vec<u8> = s
                .chars()
                .map(|c| u8::try_from(u32::from(c)).unwrap())
                .collect();
            let (before, after) = t.split_once(s).unwrap();
            Some([before.as_bytes(), &latin1, after.as_bytes()].concat())
        }
        Break::With(f) => Some(f(&text()).into_bytes()),
        Break::Missing => None,
    };
    *slot = new;
}

fn check(breaks: &[(&'static str, Break)]) -> Validated {
    let mut files = base();
    for (file, b) in breaks {
        apply(&mut files, file, *b);
    }
    validate(&raw(&files))
}

/// Adds a column named `name` holding `value` on every row.
fn add_column(text: &str, name: &str, value: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let extra = if i == 0 { name } else { value };
        writeln!(out, "{line},{extra}").unwrap();
    }
    out
}

/// Drops the column at `index` (files without quoted commas only).
fn drop_column(text: &str, index: usize) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut fields: Vec<&str> = line.split(',').collect();
        fields.remove(index);
        writeln!(out, "{}", fields.join(",")).unwrap();
    }
    out
}

/// The diagnostics, one a line; the first 20 of a long list.
fn show(diags: &[Diagnostic]) -> String {
    let mut s: String = diags
        .iter()
        .take(20)
        .map(|d| format!("\n    {d}"))
        .collect();
    if diags.len() > 20 {
        write!(s, "\n    ... {} in all", diags.len()).unwrap();
    }
    s
}

#[test]
fn the_base_data_set_is_clean() {
    let v = check(&[]);
    assert!(v.diagnostics.is_empty(), "{}", show(&v.diagnostics));
    let ds = v.dataset.expect("a clean data set");
    assert_eq!(ds.entries.len(), 6);
    assert_eq!(ds.customers.len(), 2);
}

struct Case {
    what: &'static str,
    breaks: Vec<(&'static str, Break)>,
    /// The one diagnostic expected: file, line, column, words of the message.
    file: &'static str,
    line: u64,
    column: &'static str,
    says: &'static str,
}

fn case(
    what: &'static str,
    breaks: &[(&'static str, Break)],
    (file, line, column): (&'static str, u64, &'static str),
    says: &'static str,
) -> Case {
    Case {
        what,
        breaks: breaks.to_vec(),
        file,
        line,
        column,
        says,
    }
}

use Break::*;

fn cases() -> Vec<Case> {
    vec![
        // Values (RULES 2, F2).
        case(
            "unknown channel, with a near miss",
            &[("timelog.csv", Replace("C2,TK-1041,remote", "C2,TK-1041,onsight"))],
            ("timelog.csv", 2, "channel"),
            "unknown value 'onsight' (expected one of phone, email, ticket, remote, onsite; did you mean 'onsite'?)",
        ),
        case(
            "unknown responsibility, with a near miss",
            &[("timelog.csv", Replace("third_party,diagnosis", "third-party,diagnosis"))],
            ("timelog.csv", 5, "responsibility"),
            "unknown value 'third-party' (expected one of ours, third_party, tampering; did you mean 'third_party'?)",
        ),
        case(
            "unknown language, no far-fetched guess",
            &[("customers.csv", Replace(",DE,,info@alpenblick.example,de", ",DE,,info@alpenblick.example,fr"))],
            ("customers.csv", 3, "language"),
            "unknown value 'fr' (expected one of de, en)",
        ),
        case(
            "values are not trimmed (F2)",
            &[("timelog.csv", Replace("C2,TK-1052,remote", "C2,TK-1052,remote "))],
            ("timelog.csv", 6, "channel"),
            "unknown value 'remote ' (expected one of phone, email, ticket, remote, onsite; did you mean 'remote'?)",
        ),
        case(
            "unknown approval kind",
            &[("approvals.csv", Replace("a9,C3,order", "a9,C3,Auftrag"))],
            ("approvals.csv", 3, "kind"),
            "unknown value 'Auftrag' (expected one of order, approval)",
        ),
        case(
            "unknown acceptance stage",
            &[("acceptances.csv", Replace("P1,qa,", "P1,QS,"))],
            ("acceptances.csv", 2, "stage"),
            "unknown value 'QS' (expected one of qa, customer; did you mean 'qa'?)",
        ),
        case(
            "unknown channel in a contract's list",
            &[("contracts.csv", Replace("phone;email;ticket;remote", "phone;fax;remote"))],
            ("contracts.csv", 2, "channels"),
            "unknown value 'fax' (expected one of phone, email, ticket, remote, onsite)",
        ),
        case(
            "unknown surcharge day, with a near miss",
            &[("rates/surcharges.csv", Replace("mon;tue;wed", "mo;tue;wed"))],
            ("rates/surcharges.csv", 2, "days"),
            "unknown value 'mo' (expected one of mon, tue, wed, thu, fri, sat, sun, holiday; did you mean 'mon'?)",
        ),
        case(
            "country not an ISO code",
            &[("customers.csv", Replace(",80335,München,DE,", ",80335,München,Germany,"))],
            ("customers.csv", 2, "country"),
            "'Germany' is not a country code (expected ISO 3166 alpha-2",
        ),
        case(
            "date written the German way",
            &[("timelog.csv", Replace("e3,2026-10-08", "e3,08.10.2026"))],
            ("timelog.csv", 4, "date"),
            "'08.10.2026' is not a date (expected YYYY-MM-DD)",
        ),
        case(
            "a day that does not exist",
            &[("approvals.csv", Replace("a7,C2,approval,2026-10-06", "a7,C2,approval,2026-02-30"))],
            ("approvals.csv", 2, "granted_on"),
            "'2026-02-30' is not a day of the calendar (expected a real date YYYY-MM-DD)",
        ),
        case(
            "bad optional date",
            &[("projects.csv", Replace("2026-09-15,2026-11-30", "2026-09-15,Ende November"))],
            ("projects.csv", 2, "due_on"),
            "'Ende November' is not a date (expected YYYY-MM-DD)",
        ),
        case(
            "time with one hour digit",
            &[("timelog.csv", Replace("e2,2026-10-07,09:00", "e2,2026-10-07,9:00"))],
            ("timelog.csv", 3, "start"),
            "'9:00' is not a time (expected HH:MM, 24-hour, 00:00 to 23:59)",
        ),
        case(
            "an entry may not end at 24:00 (F1: 00:00 is the next day's start)",
            &[("timelog.csv", Replace("15:00,16:00", "15:00,24:00"))],
            ("timelog.csv", 6, "end"),
            "'24:00' is not a time (expected HH:MM, 24-hour, 00:00 to 23:59)",
        ),
        case(
            "money with a decimal comma",
            &[("contracts.csv", Replace(",150.00,", ",\"150,00\","))],
            ("contracts.csv", 2, "monthly_fee"),
            "'150,00' is not an amount (expected a plain decimal with a dot, not a comma, e.g. 95.00)",
        ),
        case(
            "money with three decimals (F2)",
            &[("projects.csv", Replace("P1,C2,Neue Scan-Ablage,1200.00", "P1,C2,Neue Scan-Ablage,95.001"))],
            ("projects.csv", 2, "fee"),
            "'95.001' has 3 decimals (expected at most two, e.g. 95.00)",
        ),
        case(
            "negative price",
            &[("rates/rates.csv", Replace("hour,110.00", "hour,-110.00"))],
            ("rates/rates.csv", 6, "price"),
            "'-110.00' is negative (expected an amount of 0.00 or more)",
        ),
        case(
            "discount above 100 %",
            &[("contracts.csv", Replace(",2,10\n", ",2,110\n"))],
            ("contracts.csv", 2, "discount_percent"),
            "'110' is not a percentage (expected a plain number from 0 to 100",
        ),
        case(
            "hours that are no whole number of minutes",
            &[("approvals.csv", Replace(",,,3\n", ",,,0.01\n"))],
            ("approvals.csv", 2, "max_hours"),
            "'0.01' hours is not a whole number of minutes",
        ),
        case(
            "increment not a whole number",
            &[("rates/rates.csv", Replace("96.00,15,15", "96.00,7.5,15"))],
            ("rates/rates.csv", 5, "increment_minutes"),
            "'7.5' is not a whole number (expected whole minutes)",
        ),
        case(
            "empty required field",
            &[("timelog.csv", Replace("Sophie Schneider,C2,TK-1050", ",C2,TK-1050"))],
            ("timelog.csv", 5, "staff"),
            "empty (expected the staff member's name)",
        ),
        case(
            "not UTF-8: a Latin-1 byte",
            &[("timelog.csv", Latin1("Änderung"))],
            ("timelog.csv", 6, "description"),
            "not valid UTF-8 (byte 0xC4 after 'Firewall-Regeln nach unautorisierter '",
        ),
        // Columns and rows (F2).
        case(
            "unknown column",
            &[("timelog.csv", With(|t| add_column(t, "note", "x")))],
            ("timelog.csv", 1, "note"),
            "unknown column (expected only: entry_id, date, start, end, staff",
        ),
        case(
            "missing column",
            &[("timelog.csv", With(|t| drop_column(t, 4)))],
            ("timelog.csv", 1, "staff"),
            "missing column (expected the header to name every column",
        ),
        case(
            "column named twice",
            &[("approvals.csv", With(|t| add_column(t, "ticket", "")))],
            ("approvals.csv", 1, "ticket"),
            "column named twice in the header (expected each column once)",
        ),
        case(
            "row with too few fields",
            &[("timelog.csv", Replace(",a7,,Einrichtung", ",a7,Einrichtung"))],
            ("timelog.csv", 3, "row"),
            "12 fields (expected 13, as in the header)",
        ),
        case(
            "row with too many fields",
            &[("rates/holidays.csv", Replace("1. Weihnachtstag", "1. Weihnachtstag,bundesweit"))],
            ("rates/holidays.csv", 3, "row"),
            "3 fields (expected 2, as in the header)",
        ),
        case(
            "empty file",
            &[("acceptances.csv", With(|_| String::new()))],
            ("acceptances.csv", 1, "header"),
            "file is empty (expected a header row: project_id, stage, date, signed_by)",
        ),
        case(
            "missing file",
            &[("timelog.csv", Missing)],
            ("timelog.csv", 1, "file"),
            "not found at timelog.csv (expected a CSV file with the header: entry_id, date",
        ),
        // Ids and references (RULES 3).
        case(
            "duplicate customer id",
            &[("customers.csv", Append("C2,Huber und Söhne,Nymphenburger Straße 14,80335,München,DE,,,de\n"))],
            ("customers.csv", 4, "customer_id"),
            "duplicate id 'C2' (expected each id once; first on line 2)",
        ),
        case(
            "duplicate entry id",
            &[("timelog.csv", Replace("\ne4,", "\ne3,"))],
            ("timelog.csv", 5, "entry_id"),
            "duplicate id 'e3' (expected each id once; first on line 4)",
        ),
        case(
            "duplicate approval id",
            &[("approvals.csv", Replace("a9,C3", "a7,C3"))],
            ("approvals.csv", 3, "approval_id"),
            "duplicate id 'a7' (expected each id once; first on line 2)",
        ),
        case(
            "duplicate holiday",
            &[("rates/holidays.csv", Append("2026-10-03,Einheit\n"))],
            ("rates/holidays.csv", 4, "date"),
            "2026-10-03 is listed twice (expected each date once; first on line 2)",
        ),
        case(
            "entry of an unknown customer",
            &[("timelog.csv", Replace("Sophie Schneider,C2,TK-1050", "Sophie Schneider,C9,TK-1050"))],
            ("timelog.csv", 5, "customer_id"),
            "unknown customer 'C9' (expected the id of a row in customers.csv)",
        ),
        case(
            "contract of an unknown customer",
            &[("contracts.csv", Replace("V-C2-1,C2,", "V-C2-1,C 2,"))],
            ("contracts.csv", 2, "customer_id"),
            "unknown customer 'C 2' (expected the id of a row in customers.csv)",
        ),
        case(
            "unknown approval",
            &[("timelog.csv", Replace("tampering,fix,,,", "tampering,fix,a8,,"))],
            ("timelog.csv", 6, "approval_id"),
            "unknown approval 'a8' (expected the id of a row in approvals.csv)",
        ),
        case(
            "unknown project of an entry",
            &[("timelog.csv", Replace(",P1,Scan-Ablage", ",P2,Scan-Ablage"))],
            ("timelog.csv", 7, "project_id"),
            "unknown project 'P2' (expected the id of a row in projects.csv)",
        ),
        case(
            "acceptance of an unknown project",
            &[("acceptances.csv", Replace("P1,qa", "P7,qa"))],
            ("acceptances.csv", 2, "project_id"),
            "unknown project 'P7' (expected the id of a row in projects.csv)",
        ),
        case(
            "approval of another customer",
            &[("timelog.csv", Replace("tampering,fix,,,", "tampering,fix,a9,,"))],
            ("timelog.csv", 6, "approval_id"),
            "approval 'a9' belongs to customer 'C3', not 'C2' (expected an approval of the entry's customer)",
        ),
        case(
            "project of another customer",
            &[("timelog.csv", Replace(",P1,Scan-Ablage", ",P3,Scan-Ablage"))],
            ("timelog.csv", 7, "project_id"),
            "project 'P3' belongs to customer 'C3', not 'C2' (expected a project of the entry's customer)",
        ),
        // Contracts and approvals.
        case(
            "two contracts of one customer on the same day",
            &[("contracts.csv", Append("V-C2-2,C2,Premium,2026-06-01,,290.00,remote,,15\n"))],
            ("contracts.csv", 3, "start"),
            "contract 'V-C2-2' of customer 'C2' is active on 2026-06-01 like contract 'V-C2-1' (line 2)",
        ),
        case(
            "a contract that ends the day before the next starts is fine, one that ends on it is not (F3)",
            &[
                ("contracts.csv", Replace("2026-01-01,,150.00", "2026-01-01,2026-05-31,150.00")),
                ("contracts.csv", Append("V-C2-2,C2,Premium,2026-06-01,,290.00,remote,,15\nV-C3-1,C3,Basis,2026-05-31,,90.00,remote,,0\nV-C3-2,C3,Basis,2026-01-01,2026-05-31,90.00,remote,,0\n")),
            ],
            ("contracts.csv", 5, "start"),
            "contract 'V-C3-2' of customer 'C3' is active on 2026-05-31 like contract 'V-C3-1' (line 4)",
        ),
        case(
            "contract ending before it starts",
            &[("contracts.csv", Replace("2026-01-01,,150.00", "2026-01-01,2025-12-31,150.00"))],
            ("contracts.csv", 2, "end"),
            "end 2025-12-31 is before start 2026-01-01",
        ),
        case(
            "approval valid until before it was granted",
            &[("approvals.csv", Replace("a9,C3,order,2026-10-01,,", "a9,C3,order,2026-10-01,2026-09-30,"))],
            ("approvals.csv", 3, "valid_until"),
            "valid_until 2026-09-30 is before granted_on 2026-10-01",
        ),
        // Time entries (F1, RULES 2).
        case(
            "zero duration (F1)",
            &[("timelog.csv", Replace("14:00,14:20", "14:00,14:00"))],
            ("timelog.csv", 5, "end"),
            "end equals start 14:00 (expected a duration above zero",
        ),
        case(
            "support entry without channel",
            &[("timelog.csv", Replace("TK-1050,phone,", "TK-1050,,"))],
            ("timelog.csv", 5, "channel"),
            "empty (expected one of phone, email, ticket, remote, onsite; only an entry with a project_id may leave it empty)",
        ),
        case(
            "support entry without activity",
            &[("timelog.csv", Replace("remote,ours,fix,,,", "remote,ours,,,,"))],
            ("timelog.csv", 2, "activity"),
            "empty (expected one of diagnosis, referral, fix, support;",
        ),
        // Rate card (RULES 3).
        case(
            "entry before the first rate",
            &[("timelog.csv", Replace("e1,2026-10-06", "e1,2025-12-15"))],
            ("timelog.csv", 2, "date"),
            "no rate for 'remote' valid on 2025-12-15 (expected a row of rates/rates.csv with code remote and valid_from on or before 2025-12-15)",
        ),
        case(
            "on-site entry without a travel rate",
            &[
                ("timelog.csv", Replace("C2,TK-1052,remote", "C2,TK-1052,onsite")),
                ("rates/rates.csv", Replace("travel,Anfahrtspauschale (Vor-Ort-Einsatz),visit,49.00,0,0,2026-01-01\n", "")),
            ],
            ("timelog.csv", 6, "date"),
            "no rate for 'travel' valid on 2026-10-09",
        ),
        case(
            "a free referral needs no rate",
            &[
                ("timelog.csv", Replace("e4,2026-10-09", "e4,2025-12-30")),
                ("timelog.csv", Replace("e1,2026-10-06", "e1,2025-12-15")),
            ],
            ("timelog.csv", 2, "date"),
            "no rate for 'remote' valid on 2025-12-15",
        ),
        case(
            "two rate rows with the same code and valid_from",
            &[("rates/rates.csv", Append("remote,Fernwartung (neu),hour,99.00,15,15,2026-01-01\n"))],
            ("rates/rates.csv", 8, "valid_from"),
            "second row for code 'remote' valid from 2026-01-01 (expected one row per code and valid_from; the other is line 5)",
        ),
        case(
            "two surcharge rows with the same code and valid_from",
            &[("rates/surcharges.csv", Append("evening,Abend,mon,19:00,22:00,30,2026-01-01\n"))],
            ("rates/surcharges.csv", 3, "valid_from"),
            "second row for code 'evening' valid from 2026-01-01",
        ),
        case(
            "hourly rate with increment 0, and no echo on the entries that use it",
            &[("rates/rates.csv", Replace("96.00,15,15", "96.00,0,15"))],
            ("rates/rates.csv", 5, "increment_minutes"),
            "'0' minutes for an hourly rate (expected an increment of at least 1 minute)",
        ),
        case(
            "support rate by the visit",
            &[("rates/rates.csv", Replace("Telefon-Support,hour", "Telefon-Support,visit"))],
            ("rates/rates.csv", 2, "unit"),
            "'visit' for support code 'phone' (expected hour)",
        ),
        // company.toml (RULES 2, 3).
        case(
            "company.toml without a key the run needs",
            &[("company.toml", Replace("iban = \"DE89370400440532013000\"\n", ""))],
            ("company.toml", 0, "iban"),
            "missing key (expected a line iban = \"...\")",
        ),
        case(
            "company.toml that is no TOML",
            &[("company.toml", Replace("postcode = \"80687\"", "postcode = \"80687"))],
            ("company.toml", 4, "postcode"),
            "not valid TOML: invalid basic string",
        ),
        case(
            "company.toml with an unknown key",
            &[("company.toml", Append("ibna = \"DE12\"\n"))],
            ("company.toml", 21, "ibna"),
            "unknown key (expected only: name, street,",
        ),
        case(
            "VAT rate written as text",
            &[("company.toml", Replace("vat_rate = 19", "vat_rate = \"19 %\""))],
            ("company.toml", 16, "vat_rate"),
            "not a number (expected a percentage such as 19)",
        ),
    ]
}

#[test]
fn each_kind_of_error_is_found_where_it_is() {
    let mut failures = String::new();
    for c in cases() {
        let v = check(&c.breaks);
        let d = &v.diagnostics;
        let found = d.len() == 1
            && d[0].severity == Severity::Error
            && (d[0].file.as_str(), d[0].line, d[0].column.as_str()) == (c.file, c.line, c.column)
            && d[0].message.contains(c.says);
        if !found || v.dataset.is_some() {
            write!(
                failures,
                "\n{}:\n  expected exactly: {}:{}: {}: ...{}...\n  found:{}",
                c.what,
                c.file,
                c.line,
                c.column,
                c.says,
                show(d)
            )
            .unwrap();
            if v.dataset.is_some() {
                failures.push_str("\n  and a data set, despite the error");
            }
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

/// (file, line, column) of each diagnostic, in the order given.
fn places(v: &Validated) -> Vec<(String, u64, String)> {
    v.diagnostics
        .iter()
        .map(|d| (d.file.clone(), d.line, d.column.clone()))
        .collect()
}

fn place(file: &str, line: u64, column: &str) -> (String, u64, String) {
    (file.to_string(), line, column.to_string())
}

#[test]
fn several_errors_in_one_run_are_all_reported_sorted_by_file_and_line() {
    let v = check(&[
        ("timelog.csv", Replace("TK-1050,phone", "TK-1050,fax")),
        ("timelog.csv", Replace("09:00,10:00", "09:00,11:75")),
        (
            "timelog.csv",
            Replace("tampering,fix,,,", "tampering,fix,a8,,"),
        ),
        // Two problems in one row: both are reported.
        (
            "timelog.csv",
            Replace(
                "e1,2026-10-06,10:00,11:30,Jonas Huber,C2,TK-1041,remote,ours",
                "e1,2026-10-06,10:00,11:30,Jonas Huber,C2,TK-1041,remote,our",
            ),
        ),
        ("timelog.csv", Replace(",fix,,,DATEV", ",repair,,,DATEV")),
        ("contracts.csv", Replace(",2,10\n", ",2,110\n")),
        (
            "customers.csv",
            Replace(
                ",DE,,info@alpenblick.example,de",
                ",de,,info@alpenblick.example,de",
            ),
        ),
    ]);
    assert_eq!(
        places(&v),
        vec![
            place("contracts.csv", 2, "discount_percent"),
            place("customers.csv", 3, "country"),
            place("timelog.csv", 2, "activity"),
            place("timelog.csv", 2, "responsibility"),
            place("timelog.csv", 3, "end"),
            place("timelog.csv", 5, "channel"),
            place("timelog.csv", 6, "approval_id"),
        ],
        "{}",
        show(&v.diagnostics)
    );
    assert!(v.dataset.is_none());
    assert_eq!(
        faktura::diagnostic::summary(&v.diagnostics),
        "7 errors, 0 warnings in 3 files"
    );
}

#[test]
fn a_broken_row_is_not_reported_again_where_it_is_named() {
    // C2's row fails (language), so do a7 (its customer) and P1; the
    // contract, approval, project, acceptance and entries that name them
    // are not each reported as naming an unknown id.
    let v = check(&[(
        "customers.csv",
        Replace(
            "buero@huber-soehne-stb.example,de",
            "buero@huber-soehne-stb.example,deutsch",
        ),
    )]);
    assert_eq!(
        places(&v),
        vec![place("customers.csv", 2, "language")],
        "{}",
        show(&v.diagnostics)
    );
    // A failed rate row: entries needing its code are not reported as
    // having no rate; a code with no row at all still is.
    let v = check(&[
        (
            "rates/rates.csv",
            Replace(
                "Fernwartung (Remote-Support),hour,96.00",
                "Fernwartung (Remote-Support),hour,96",
            ),
        ),
        (
            "rates/rates.csv",
            Replace("hour,96,15,15,2026-01-01", "hour,96,15,15,2026-01-32"),
        ),
        (
            "rates/rates.csv",
            Replace("phone,Telefon-Support,hour,86.00,15,15,2026-01-01\n", ""),
        ),
        (
            "timelog.csv",
            Replace("phone,third_party,diagnosis", "phone,ours,diagnosis"),
        ),
    ]);
    assert_eq!(
        places(&v),
        vec![
            place("rates/rates.csv", 4, "valid_from"),
            place("timelog.csv", 5, "date"),
        ],
        "{}",
        show(&v.diagnostics)
    );
    assert!(v.diagnostics[1].message.contains("no rate for 'phone'"));
    // No rate card at all: company.toml says why; the entries say nothing.
    let mut files = base();
    apply(
        &mut files,
        "company.toml",
        Replace("rates = \"rates\"\n", ""),
    );
    let mut r = raw(&files);
    r.rate_card = None;
    let v = validate(&r);
    assert_eq!(
        places(&v),
        vec![place("company.toml", 0, "rates")],
        "{}",
        show(&v.diagnostics)
    );
}

#[test]
fn an_open_contract_clashes_with_every_later_one_not_only_the_next() {
    let v = check(&[(
        "contracts.csv",
        Append(
            "V-C2-2,C2,Kurz,2026-02-01,2026-02-28,50.00,remote,,0\n\
             V-C2-3,C2,Premium,2026-06-01,,290.00,remote,,15\n",
        ),
    )]);
    assert_eq!(
        places(&v),
        vec![
            place("contracts.csv", 3, "start"),
            place("contracts.csv", 4, "start")
        ],
        "{}",
        show(&v.diagnostics)
    );
    assert!(v.diagnostics[1].message.contains("'V-C2-3'"));
    assert!(v.diagnostics[1]
        .message
        .contains("like contract 'V-C2-1' (line 2)"));
}

#[test]
fn warnings_do_not_block() {
    // e7 starts while e5 of the same staff member runs (RULES 3).
    let v = check(&[(
        "timelog.csv",
        Append("e7,2026-10-09,15:30,16:30,Jonas Huber,C2,TK-1053,remote,ours,support,,,Nachbereitung\n"),
    )]);
    assert_eq!(v.diagnostics.len(), 1, "{}", show(&v.diagnostics));
    let d = &v.diagnostics[0];
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(
        (d.file.as_str(), d.line, d.column.as_str()),
        ("timelog.csv", 8, "start")
    );
    assert!(d.message.contains("entry 'e7' of Jonas Huber starts at 2026-10-09 15:30 while entry 'e5' (line 6) runs until 16:00"));
    assert_eq!(v.errors(), 0);
    let ds = v.dataset.expect("warnings do not block");
    assert_eq!(ds.entries.len(), 7);
}

#[test]
fn each_staff_members_overlaps_name_the_entry_that_runs_longest() {
    // Per staff member, in (date, start, entry_id) order, each entry is
    // checked against the one of the same person that ends last so far;
    // other staff in between change nothing.
    let v = check(&[(
        "timelog.csv",
        Append(
            "x1,2026-10-14,09:00,12:00,Anna Lang,C2,,remote,ours,fix,,,Lang\n\
             y1,2026-10-14,09:30,10:00,Bernd Ott,C2,,remote,ours,fix,,,Andere Person\n\
             x2,2026-10-14,10:00,10:30,Anna Lang,C2,,remote,ours,fix,,,Kurz\n\
             x3,2026-10-14,11:00,11:15,Anna Lang,C2,,remote,ours,fix,,,Noch kürzer\n\
             y3,2026-10-14,14:00,14:30,Bernd Ott,C2,,remote,ours,fix,,,Gleicher Beginn\n\
             y2,2026-10-14,14:00,14:10,Bernd Ott,C2,,remote,ours,fix,,,Gleicher Beginn\n",
        ),
    )]);
    assert_eq!(
        places(&v),
        vec![
            place("timelog.csv", 10, "start"),
            place("timelog.csv", 11, "start"),
            place("timelog.csv", 12, "start"),
        ],
        "{}",
        show(&v.diagnostics)
    );
    let m: Vec<&str> = v.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(m[0].contains("entry 'x2' of Anna Lang starts at 2026-10-14 10:00 while entry 'x1' (line 8) runs until 12:00"), "{}", m[0]);
    assert!(m[1].contains("entry 'x3' of Anna Lang starts at 2026-10-14 11:00 while entry 'x1' (line 8) runs until 12:00"), "{}", m[1]);
    // At the same start the entry_id decides which comes first.
    assert!(m[2].contains("entry 'y3' of Bernd Ott starts at 2026-10-14 14:00 while entry 'y2' (line 13) runs until 14:10"), "{}", m[2]);
}

#[test]
fn overlaps_are_the_same_whatever_the_row_order() {
    // In time order per person the log is checked as it stands; reversed,
    // it is sorted first: both find the same overlaps.
    let rows = [
        "z1,2026-10-14,09:00,12:00,Anna Lang,C2,,remote,ours,fix,,,Lang",
        "z2,2026-10-14,09:30,10:00,Bernd Ott,C2,,remote,ours,fix,,,Andere Person",
        "z3,2026-10-14,10:00,10:30,Anna Lang,C2,,remote,ours,fix,,,Kurz",
        "z4,2026-10-14,11:59,13:00,Anna Lang,C2,,remote,ours,fix,,,Spät",
        "z5,2026-10-14,12:30,12:45,Anna Lang,C2,,remote,ours,fix,,,Noch später",
        "z6,2026-10-14,23:30,00:30,Bernd Ott,C2,,remote,ours,fix,,,Nachts",
        "z7,2026-10-15,00:00,00:10,Bernd Ott,C2,,remote,ours,fix,,,Nach Mitternacht",
    ];
    let pairs = |rows: Vec<&str>| {
        let v = check(&[(
            "timelog.csv",
            Append(Box::leak(format!("{}\n", rows.join("\n")).into_boxed_str())),
        )]);
        let mut p: Vec<String> = v
            .diagnostics
            .iter()
            .map(|d| {
                let m = &d.message;
                // "entry 'z3' of ... while entry 'z1' (line 8) runs until 12:00 (...)"
                let ids: Vec<&str> = m.split('\'').collect();
                let until = m
                    .split("runs until ")
                    .nth(1)
                    .unwrap_or("")
                    .get(..5)
                    .unwrap_or("");
                format!("{} {} {}", ids[1], ids[3], until)
            })
            .collect();
        p.sort();
        p
    };
    let forward = pairs(rows.to_vec());
    assert_eq!(
        forward,
        vec!["z3 z1 12:00", "z4 z1 12:00", "z5 z4 13:00", "z7 z6 00:30"]
    );
    assert_eq!(pairs(rows.iter().rev().copied().collect()), forward);
}

#[test]
fn work_past_midnight_overlaps_the_next_days_work() {
    // F1: 23:30-00:30 belongs to its date and runs into the next day.
    let v = check(&[(
        "timelog.csv",
        Append(
            "e7,2026-10-12,23:30,00:30,Mehmet Yılmaz,C2,,remote,ours,fix,,,Nachtwartung\n\
             e8,2026-10-13,00:15,01:00,Mehmet Yılmaz,C2,,remote,ours,fix,,,Nachtwartung Teil 2\n",
        ),
    )]);
    assert_eq!(
        places(&v),
        vec![place("timelog.csv", 9, "start")],
        "{}",
        show(&v.diagnostics)
    );
    assert!(v.diagnostics[0].message.contains("runs until 00:30"));
    assert!(v.dataset.is_some());
}

#[test]
fn blank_lines_are_skipped_but_line_numbers_stay_true() {
    // F2: blank lines (also CRLF ones) are skipped; a bad value after them
    // is reported on the line a text editor shows.
    let v = check(&[
        ("timelog.csv", Replace("\ne3,", "\n\n\r\ne3,")),
        (
            "timelog.csv",
            Replace("e3,2026-10-08,18:30", "e3,2026-10-08,18:3"),
        ),
        ("timelog.csv", Replace("\ne5,", "\n\ne5,")),
        (
            "timelog.csv",
            Replace("C2,TK-1052,remote", "C2,TK-1052,remot"),
        ),
        ("timelog.csv", Append("\n\n")),
        // A blank line before the header too.
        ("customers.csv", With(|t| format!("\n{t}"))),
        (
            "customers.csv",
            Replace(
                ",DE,,info@alpenblick.example,de",
                ",DE,,info@alpenblick.example,dk",
            ),
        ),
    ]);
    assert_eq!(
        places(&v),
        vec![
            place("customers.csv", 4, "language"),
            place("timelog.csv", 6, "start"),
            place("timelog.csv", 9, "channel"),
        ],
        "{}",
        show(&v.diagnostics)
    );
    // Clean, blank lines and all.
    let v = check(&[
        ("timelog.csv", Replace("\ne3,", "\n\n\ne3,")),
        ("customers.csv", With(|t| format!("\u{feff}\n{t}\n"))),
    ]);
    assert!(v.diagnostics.is_empty(), "{}", show(&v.diagnostics));
    let ds = v.dataset.expect("clean");
    let e3 = ds.entries.iter().find(|e| e.id() == "e3").unwrap();
    assert_eq!(e3.line, 6);
    assert_eq!(
        ds.customers.values().map(|c| c.line).collect::<Vec<_>>(),
        vec![3, 4]
    );
}

#[test]
fn a_header_after_blank_lines_is_reported_on_its_line() {
    let v = check(&[(
        "contracts.csv",
        With(|t| format!("\n\n{}", t.replacen("tier", "Tarif", 1))),
    )]);
    assert_eq!(
        places(&v),
        vec![
            place("contracts.csv", 3, "Tarif"),
            place("contracts.csv", 3, "tier")
        ],
        "{}",
        show(&v.diagnostics)
    );
}

#[test]
fn quoted_field_with_newline_keeps_later_line_numbers_right() {
    let v = check(&[
        // e1's description spans lines 2-4, a customer's street lines 2-3.
        ("timelog.csv", Replace("DATEV-Arbeitsplatz nach Update repariert", "\"DATEV-Arbeitsplatz, nach Update:\n- Dienst neu gestartet\r\n- \"\"Pfad\"\" korrigiert\"")),
        ("customers.csv", Replace("Nymphenburger Straße 14", "\"Nymphenburger Straße 14\nRückgebäude\"")),
        // Errors after them, and one inside the multi-line row itself.
        ("timelog.csv", Replace("e3,2026-10-08", "e3,2026-10-8")),
        ("timelog.csv", Replace("remote,ours,fix,,,", "remote,ours,fix,a0,,")),
        ("customers.csv", Replace(",DE,,info@alpenblick.example,de", ",DE,,info@alpenblick.example,es")),
    ]);
    assert_eq!(
        places(&v),
        vec![
            place("customers.csv", 4, "language"),
            place("timelog.csv", 2, "approval_id"),
            place("timelog.csv", 6, "date"),
        ],
        "{}",
        show(&v.diagnostics)
    );
}

/// A time log of more than `bytes` bytes, one staff member, one entry every
/// half hour of the working days from 2026-01-01, every seventh description
/// quoted over two or three lines, some with a stray `"` inside an unquoted
/// field (literal to the csv reader) when `stray` is set. Returns the text
/// and the line each entry starts on.
fn large_timelog(bytes: usize, stray: bool) -> (String, Vec<u64>) {
    let mut text = String::from(TIMELOG.lines().next().unwrap());
    text.push('\n');
    let mut lines = Vec::new();
    let mut line = 2u64;
    let mut i = 0u32;
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    while text.len() < bytes {
        let day = start + chrono::Days::new(u64::from(i / 16));
        let minute = 8 * 60 + (i % 16) * 30;
        let description = match i % 7 {
            0 => format!("\"Wartung {i}, Teil 1\nTeil 2 mit \"\"Zitat\"\"\""),
            3 => format!("\"Wartung {i}\r\nZeile 2\nZeile 3\""),
            5 if stray => format!("Monitor 24\" getauscht ({i})"),
            _ => format!("Wartung {i} am Arbeitsplatz der Buchhaltung und Nachkontrolle"),
        };
        let row = format!(
            "T{i:06},{day},{:02}:{:02},{:02}:{:02},Jonas Huber,C2,TK-{i},remote,ours,fix,,,{description}\n",
            minute / 60,
            minute % 60,
            (minute + 20) / 60,
            (minute + 20) % 60,
        );
        lines.push(line);
        line += row.matches('\n').count() as u64;
        text.push_str(&row);
        i += 1;
    }
    (text, lines)
}

/// Breaks entry `n` of a large time log: its channel becomes `remot`.
fn break_entry(text: &str, n: usize) -> String {
    let id = format!("\nT{n:06},");
    let at = text.find(&id).expect("entry exists");
    let rest = &text[at..];
    let channel = rest.find(",remote,").expect("a remote entry");
    format!(
        "{}{}{}",
        &text[..at + channel],
        ",remot,",
        &text[at + channel + 8..]
    )
}

fn check_large(stray: bool) {
    // The time log is read in blocks (4 MiB by default): one block here,
    // then many small ones (each checked whole), then blocks large enough
    // to be split for parallel parsing themselves.
    let mut seen: Vec<Vec<(String, u32, String)>> = Vec::new();
    for block in [faktura::load::BLOCK, 1 << 16, 3 << 19] {
        seen.push(check_large_in_blocks(stray, block));
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]));
}

/// Every entry as (id, line, description).
fn check_large_in_blocks(stray: bool, block: usize) -> Vec<(String, u32, String)> {
    let validate = |raw: &RawInputs| faktura::validate::validate_in_blocks(raw, block);
    let (text, lines) = large_timelog(3 << 20, stray);
    let n = lines.len();
    assert!(text.len() > 3 << 20 && n > 20_000);
    // Early, middle, and late rows, near the end where the last chunk is.
    let bad = [1, n / 2 + 3, n - 8, n - 1];
    let mut broken = text;
    for &k in &bad {
        broken = break_entry(&broken, k);
    }
    let mut files = base();
    files.insert("timelog.csv", Some(broken.into_bytes()));
    let v = validate(&raw(&files));
    assert_eq!(v.diagnostics.len(), bad.len(), "{}", show(&v.diagnostics));
    let expected: Vec<_> = bad
        .iter()
        .map(|&k| place("timelog.csv", lines[k], "channel"))
        .collect();
    assert_eq!(places(&v), expected, "{}", show(&v.diagnostics));
    for d in &v.diagnostics {
        assert!(d.message.starts_with("unknown value 'remot'"), "{d}");
    }
    // And clean, every entry is read, each with the line it starts on.
    let mut files = base();
    files.insert(
        "timelog.csv",
        Some(large_timelog(3 << 20, stray).0.into_bytes()),
    );
    let v = validate(&raw(&files));
    assert!(v.diagnostics.is_empty(), "{}", show(&v.diagnostics));
    let ds = v.dataset.unwrap();
    let got: Vec<u64> = ds.entries.iter().map(|e| u64::from(e.line)).collect();
    assert_eq!(got, lines, "block {block}");
    let described = ds
        .entries
        .iter()
        .filter(|e| e.description().contains('\n'))
        .count();
    assert_eq!(described, n.div_ceil(7) + (n + 3) / 7);
    ds.entries
        .iter()
        .map(|e| (e.id().to_string(), e.line, e.description().to_string()))
        .collect()
}

#[test]
fn old_mac_and_windows_line_ends_give_the_lines_of_lf() {
    // A lone CR (Excel's "CSV (Macintosh)") and CRLF each end one line, in
    // any block size: the entries keep the lines of the LF file.
    let lf = String::from_utf8(base()["timelog.csv"].clone().unwrap()).unwrap();
    let lines = |text: String, block: usize| -> Vec<(String, u32)> {
        let mut files = base();
        files.insert("timelog.csv", Some(text.into_bytes()));
        let v = faktura::validate::validate_in_blocks(&raw(&files), block);
        assert!(v.diagnostics.is_empty(), "{}", show(&v.diagnostics));
        v.dataset
            .unwrap()
            .entries
            .iter()
            .map(|e| (e.id().to_string(), e.line))
            .collect()
    };
    let expected = lines(lf.clone(), faktura::load::BLOCK);
    assert!(expected.len() > 3 && expected.last().unwrap().1 > 3);
    for block in [1, 7, 64, faktura::load::BLOCK] {
        assert_eq!(
            lines(lf.replace('\n', "\r"), block),
            expected,
            "CR, block {block}"
        );
        assert_eq!(
            lines(lf.replace('\n', "\r\n"), block),
            expected,
            "CRLF, block {block}"
        );
    }
}

#[test]
fn blank_lines_before_the_header_do_not_cut_it_in_small_blocks() {
    // The header is read from the first block; blank lines before it (which
    // the csv reader skips) must not end that block early.
    let text = format!(
        "\n\r\n{}",
        base()["timelog.csv"]
            .clone()
            .map(String::from_utf8)
            .unwrap()
            .unwrap()
    );
    let mut files = base();
    files.insert("timelog.csv", Some(text.into_bytes()));
    let whole = validate(&raw(&files));
    assert!(whole.dataset.is_some(), "{}", show(&whole.diagnostics));
    for block in [1, 7, 20, 64, 200] {
        let v = faktura::validate::validate_in_blocks(&raw(&files), block);
        assert_eq!(
            show(&v.diagnostics),
            show(&whole.diagnostics),
            "block {block}"
        );
        let ids = |v: &faktura::validate::Validated| -> Vec<(String, u32)> {
            v.dataset
                .as_ref()
                .unwrap()
                .entries
                .iter()
                .map(|e| (e.id().to_string(), e.line))
                .collect()
        };
        assert_eq!(ids(&v), ids(&whole), "block {block}");
    }
}

#[test]
fn a_large_timelog_reports_the_right_line() {
    // More than 1 MB: the table is split into chunks and parsed in
    // parallel; quoted line breaks must not shift any line number.
    check_large(false);
}

#[test]
fn a_large_timelog_with_stray_quotes_reports_the_right_line() {
    // A `"` inside an unquoted field is literal to the csv reader but flips
    // the quote parity the splitter counts: the split must still be right.
    check_large(true);
}

/// Number patterns (RULES 3, D25): an invoice's number is its file name, so
/// the pattern must be one file name and must count.
#[test]
fn number_formats_that_cannot_be_a_file_name_are_refused() {
    use faktura::validate::number_format_problem;
    for ok in [
        "RE-{year}-{seq:05}",
        "ST-{year}-{seq:05}",
        "{seq}",
        "R{year}.{seq:6}",
        "Rechnung {seq:04} ({year})",
    ] {
        assert_eq!(number_format_problem(ok), None, "{ok}");
    }
    for (bad, says) in [
        ("../RE-{year}-{seq:05}", "has '..'"),
        ("RE..{seq}", "has '..'"),
        ("RE/{year}/{seq:05}", "the path separator '/'"),
        ("RE\\{seq}", "the path separator '\\'"),
        ("RE-\u{7}{seq}", "the control character U+0007"),
        ("RE-\n{seq}", "the control character U+000A"),
        ("RE-{year}", "has no {seq}"),
        ("RE-{seq:}", "the unknown placeholder {seq:}"),
        ("RE-{yaer}-{seq}", "the unknown placeholder {yaer}"),
        ("RE-{seq", "without its '}'"),
    ] {
        let got = number_format_problem(bad);
        assert!(
            got.as_deref().is_some_and(|g| g.contains(says)),
            "{bad:?}: expected ...{says}..., found {got:?}"
        );
    }
}
