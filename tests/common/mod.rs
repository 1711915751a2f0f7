//! A small data set as text, for rule tables and properties: the seller, three
//! customers, a rate card with a price change on 2026-10-15, surcharges for
//! evenings, nights, Saturdays and Sundays/holidays, and 2026-10-03 a holiday.
#![allow(dead_code)]

use faktura::decide::{self, Part};
use faktura::load::{RateCardSources, RawInputs, Source};
use faktura::model::Dataset;
use faktura::validate;

pub const COMPANY: &str = r#"name = "Bergmann IT-Service GmbH"
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
rates = "card"
"#;

pub const CUSTOMERS: &str = "customer_id,name,street,postcode,city,country,vat_id,email,language
C1,Kunde Eins GmbH,Hauptstraße 1,80331,München,DE,DE111111111,a@example.com,de
C2,Kunde Zwei KG,Nebenstraße 2,80333,München,DE,,b@example.com,de
C3,Kunde Drei AG,Ring 3,80335,München,DE,,,de
";

/// C1: remote is covered, onsite is not; 2 h a month; 10 % discount.
/// C2: no contract (on demand). C3: remote only, unlimited hours.
pub const CONTRACTS: &str =
    "contract_id,customer_id,tier,start,end,monthly_fee,channels,included_hours,discount_percent
V1,C1,Basis,2026-01-01,,150.00,phone;email;ticket;remote,2,10
V3,C3,Flat,2026-01-01,,300.00,remote,,0
";

pub const APPROVALS_HEADER: &str =
    "approval_id,customer_id,kind,granted_on,valid_until,ticket,max_hours\n";
/// a1 for C1 and o2 (order form) for C2, unlimited, from 2026-09-01.
pub const APPROVALS: &str = "a1,C1,approval,2026-09-01,,,
o2,C2,order,2026-09-01,,,
";

pub const PROJECTS: &str =
    "project_id,customer_id,title,fee,concept_on,solution_on,approved_on,due_on
P1,C1,Neues Netzwerk,5000.00,2026-08-01,2026-08-15,2026-09-01,2026-11-30
";
pub const ACCEPTANCES: &str = "project_id,stage,date,signed_by\n";

pub const TIMELOG_HEADER: &str = "entry_id,date,start,end,staff,customer_id,ticket,channel,responsibility,activity,approval_id,project_id,description\n";

/// remote 100.00 until 2026-10-14, 120.00 from 2026-10-15; onsite has a
/// one-hour minimum.
pub const RATES: &str = "code,description,unit,price,increment_minutes,minimum_minutes,valid_from
phone,Telefon,hour,90.00,15,15,2026-01-01
email,E-Mail,hour,90.00,15,15,2026-01-01
ticket,Ticket,hour,90.00,15,15,2026-01-01
remote,Fernwartung,hour,100.00,15,15,2026-01-01
remote,Fernwartung,hour,120.00,15,15,2026-10-15
onsite,Vor Ort,hour,120.00,15,60,2026-01-01
travel,Anfahrt,visit,50.00,0,0,2026-01-01
";

pub const SURCHARGES: &str = "code,description,days,from,to,percent,valid_from
evening,Abend,mon;tue;wed;thu;fri,18:00,22:00,25,2026-01-01
night,Nacht,mon;tue;wed;thu;fri;sat;sun;holiday,22:00,06:00,50,2026-01-01
saturday,Samstag,sat,00:00,00:00,40,2026-01-01
sunday_holiday,Sonn- und Feiertag,sun;holiday,00:00,00:00,100,2026-01-01
";

pub const HOLIDAYS: &str = "date,name
2026-10-03,Tag der Deutschen Einheit
";

pub struct Texts {
    pub company: String,
    pub customers: String,
    pub contracts: String,
    pub approvals: String,
    pub projects: String,
    pub acceptances: String,
    pub timelog: String,
    pub rates: String,
    pub surcharges: String,
    pub holidays: String,
}

impl Texts {
    /// The base set with extra approval rows and the given time log rows.
    pub fn with(approvals: &str, timelog: &str) -> Texts {
        Texts {
            company: COMPANY.into(),
            customers: CUSTOMERS.into(),
            contracts: CONTRACTS.into(),
            approvals: format!("{APPROVALS_HEADER}{APPROVALS}{approvals}"),
            projects: PROJECTS.into(),
            acceptances: ACCEPTANCES.into(),
            timelog: format!("{TIMELOG_HEADER}{timelog}"),
            rates: RATES.into(),
            surcharges: SURCHARGES.into(),
            holidays: HOLIDAYS.into(),
        }
    }
    pub fn raw(&self) -> RawInputs {
        RawInputs {
            company: Source::text("company.toml", &self.company),
            customers: Source::text("customers.csv", &self.customers),
            contracts: Source::text("contracts.csv", &self.contracts),
            approvals: Source::text("approvals.csv", &self.approvals),
            projects: Source::text("projects.csv", &self.projects),
            acceptances: Source::text("acceptances.csv", &self.acceptances),
            timelog: Source::text("timelog.csv", &self.timelog),
            einvoice: Source::absent("einvoice.csv"),
            rate_card: Some(RateCardSources {
                rates: Source::text("card/rates.csv", &self.rates),
                surcharges: Source::text("card/surcharges.csv", &self.surcharges),
                holidays: Source::text("card/holidays.csv", &self.holidays),
            }),
        }
    }
    pub fn dataset(&self) -> Dataset {
        let v = validate::validate(&self.raw());
        let errors: Vec<String> = v
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "the test data set is invalid:\n{}",
            errors.join("\n")
        );
        v.dataset.expect("valid")
    }
}

/// Every part as `charges.csv` rows (without header).
pub fn charges(ds: &Dataset, parts: &[Part]) -> Vec<String> {
    let bytes = faktura::render::csv::charges(ds, &parts.iter().collect::<Vec<_>>());
    String::from_utf8(bytes)
        .unwrap()
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect()
}

pub fn decide_texts(t: &Texts) -> (Dataset, Vec<Part>) {
    let ds = t.dataset();
    let parts = decide::decide(&ds);
    (ds, parts)
}

/// The repository's root (fixtures, rates).
pub fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the spec example with its own rate card in `dir/data`, so a
/// test can issue into its own ledger and change any input.
pub fn example_copy(dir: &std::path::Path) -> std::path::PathBuf {
    let data = dir.join("data");
    std::fs::create_dir_all(data.join("rates")).unwrap();
    for f in [
        "company.toml",
        "customers.csv",
        "contracts.csv",
        "approvals.csv",
        "projects.csv",
        "acceptances.csv",
        "timelog.csv",
        "rates/rates.csv",
        "rates/surcharges.csv",
        "rates/holidays.csv",
    ] {
        std::fs::copy(root().join("fixtures/spec-example").join(f), data.join(f)).unwrap();
    }
    data
}

/// A copy of `fixtures/demo` in `dir/data`, so a test can issue into its own
/// ledger. With `own_card` the rate card is copied too (so a test can change
/// it); otherwise `company.toml` points at the repository's `rates/`.
pub fn demo_copy(dir: &std::path::Path, own_card: bool) -> std::path::PathBuf {
    let data = dir.join("data");
    std::fs::create_dir_all(data.join("rates")).unwrap();
    for f in [
        "customers.csv",
        "contracts.csv",
        "approvals.csv",
        "projects.csv",
        "acceptances.csv",
        "timelog.csv",
        "einvoice.csv",
    ] {
        std::fs::copy(root().join("fixtures/demo").join(f), data.join(f)).unwrap();
    }
    let rates = if own_card {
        for f in ["rates.csv", "surcharges.csv", "holidays.csv"] {
            std::fs::copy(root().join("rates").join(f), data.join("rates").join(f)).unwrap();
        }
        "rates".to_string()
    } else {
        root().join("rates").display().to_string()
    };
    let company = std::fs::read_to_string(root().join("fixtures/demo/company.toml")).unwrap();
    std::fs::write(
        data.join("company.toml"),
        company.replace("\"../../rates\"", &format!("{rates:?}")),
    )
    .unwrap();
    data
}

/// Runs the real binary.
pub fn faktura(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_faktura"))
        .args(args)
        .output()
        .unwrap()
}
