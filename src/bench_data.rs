//! A deterministic generator of large, valid data sets for `faktura-bench`
//! (docs/BENCHMARKS.md). Seeded, no external crates: the same `Config`
//! always gives byte-identical files.
//!
//! The data set carries its own copy of the repository's rate card (folder
//! `rates/` beside `company.toml`), thousands of customers, contracts,
//! approvals and projects, and a time log of `entries` rows over `months`
//! calendar months. Every row is valid (RULES 3): references point at rows
//! of the entry's own customer, at most one contract per customer is active
//! on any day, and no staff member's entries overlap (each staff member
//! works fixed, disjoint slots of the day), so `validate` reports neither
//! errors nor warnings. Descriptions are about 40 characters; about one in
//! five holds a comma and so is quoted, a few hold escaped quotes.
//!
//! The mix exercises every rule: contracts ending or changing tier mid-range
//! (K5..K8, quota splits), approvals with and without tickets, budgets and
//! expiry dates (A1..A3 and every held reason), on-site work (travel),
//! evening, night, weekend and holiday work (surcharges), the mid-October
//! 2026 price change of the repository's card, and project work (K1).

use crate::period::Period;
use chrono::{Datelike, Duration, NaiveDate};
use std::fmt::Write as _;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// The repository's rate card, copied into every generated data set.
const RATES_CSV: &str = include_str!("../rates/rates.csv");
const SURCHARGES_CSV: &str = include_str!("../rates/surcharges.csv");
const HOLIDAYS_CSV: &str = include_str!("../rates/holidays.csv");

/// xorshift64*: tiny, fast, and good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng((seed ^ 0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64() >> 11) * u128::from(n)) >> 53) as u64
    }
    /// True with `percent` % probability.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct Config {
    pub entries: usize,
    pub customers: usize,
    /// The first month of the time log.
    pub first: Period,
    /// How many calendar months the time log spans.
    pub months: u32,
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            entries: 1_000_000,
            customers: 5_000,
            first: Period {
                year: 2026,
                month: 9,
            },
            months: 2,
            seed: 20261031,
        }
    }
}

impl Config {
    pub fn first_day(&self) -> NaiveDate {
        self.first.first_day()
    }
    pub fn last_month(&self) -> Period {
        let mut p = self.first;
        for _ in 1..self.months.max(1) {
            p = p.next();
        }
        p
    }
    pub fn last_day(&self) -> NaiveDate {
        self.last_month().last_day()
    }
    pub fn days(&self) -> i64 {
        (self.last_day() - self.first_day()).num_days() + 1
    }
}

/// Rows written per file, and the time log's size in bytes.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub rows: Vec<(&'static str, usize)>,
    pub timelog_bytes: u64,
    pub staff: usize,
}

/// The files of a data set, in memory (`company.toml`, the CSVs and
/// `rates/*.csv`): (relative path, bytes).
pub fn generate(cfg: &Config) -> (Vec<(String, Vec<u8>)>, Summary) {
    let mut files = Vec::new();
    let summary = generate_into(cfg, |name, bytes| {
        files.push((name.to_string(), bytes));
        Ok(())
    })
    .expect("writing to memory cannot fail");
    (files, summary)
}

/// Writes a data set into the folder `dir` (created; existing files with
/// the same names are replaced).
pub fn write(dir: &Path, cfg: &Config) -> io::Result<Summary> {
    fs::create_dir_all(dir.join("rates"))?;
    generate_into(cfg, |name, bytes| {
        let mut f = BufWriter::new(fs::File::create(dir.join(name))?);
        f.write_all(&bytes)?;
        f.flush()
    })
}

const FIRST_NAMES: &[&str] = &[
    "Anna",
    "Felix",
    "Jonas",
    "Sophie",
    "Mehmet",
    "Lena",
    "Lukas",
    "Marie",
    "Paul",
    "Emma",
    "Leon",
    "Mia",
    "Finn",
    "Hannah",
    "Elias",
    "Lea",
    "Noah",
    "Laura",
    "Ben",
    "Clara",
    "Tobias",
    "Julia",
    "Maximilian",
    "Katharina",
    "Sebastian",
    "Johanna",
    "Florian",
    "Theresa",
    "Andreas",
    "Sabine",
    "Stefan",
    "Petra",
    "Michael",
    "Ayşe",
    "Jürgen",
    "Zoë",
    "Björn",
    "Małgorzata",
    "Dragan",
    "Ingrid",
];
const LAST_NAMES: &[&str] = &[
    "Weber",
    "Wagner",
    "Huber",
    "Schneider",
    "Yılmaz",
    "Müller",
    "Schmidt",
    "Fischer",
    "Meyer",
    "Becker",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Schmitz",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Schulze",
    "Maier",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber-Lechner",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
];
const TRADES: &[&str] = &[
    "Brauerei",
    "Autohaus",
    "Praxis Dr. med.",
    "Steuerkanzlei",
    "Zahnarztpraxis",
    "Schreinerei",
    "Bäckerei",
    "Hotel",
    "Ingenieurbüro",
    "Apotheke",
    "Metzgerei",
    "Architekturbüro",
    "Elektro",
    "Sanitär",
    "Reisebüro",
    "Druckerei",
];
const FORMS: &[&str] = &[
    "GmbH",
    "GmbH & Co. KG",
    "e.K.",
    "KG",
    "AG",
    "OHG",
    "GbR",
    "UG (haftungsbeschränkt)",
];
const STREETS: &[&str] = &[
    "Lindwurmstraße",
    "Leopoldstraße",
    "Rosenheimer Straße",
    "Münchner Straße",
    "Landsberger Straße",
    "Dachauer Straße",
    "Ingolstädter Straße",
    "Hauptstraße",
    "Bahnhofstraße",
    "Am Marktplatz",
    "Schillerstraße",
    "Goethestraße",
];
const CITIES: &[(&str, &str)] = &[
    ("80337", "München"),
    ("85354", "Freising"),
    ("85221", "Dachau"),
    ("82110", "Germering"),
    ("85435", "Erding"),
    ("83022", "Rosenheim"),
    ("86150", "Augsburg"),
    ("85049", "Ingolstadt"),
    ("84028", "Landshut"),
    ("82319", "Starnberg"),
];
const OBJECTS: &[&str] = &[
    "Netzwerkdrucker in der Werkstatt",
    "VPN-Zugang für Außendienst",
    "Praxisrechner Anmeldung 2",
    "Firewall-Regeln am Standort",
    "Mailpostfach der Buchhaltung",
    "Backup des Dateiservers",
    "WLAN im Besprechungsraum",
    "Kassensystem im Verkaufsraum",
    "Benutzerprofil Empfang",
    "Warenwirtschaft (Datenbank)",
    "Telefonanlage und Headsets",
    "Scan-Ordner der Verwaltung",
    "Zertifikat des Webshops",
    "Notebook Geschäftsführung",
    "Terminalserver Lager",
];
const VERBS: &[&str] = &[
    "eingerichtet",
    "repariert",
    "neu installiert",
    "geprüft und dokumentiert",
    "aktualisiert",
    "wiederhergestellt",
    "Fehler analysiert",
    "konfiguriert und getestet",
    "Rückfrage beantwortet",
    "auf neue Version migriert",
];
const TIERS: &[(&str, &str, &str, &str, &str)] = &[
    // tier, channels, included_hours, monthly_fee, discount_percent
    ("Basis", "phone;email;ticket", "2", "149.00", "0"),
    ("Komfort", "phone;email;ticket;remote", "4", "290.00", "5"),
    (
        "Premium",
        "phone;email;ticket;remote;onsite",
        "8",
        "490.00",
        "10",
    ),
    ("Flat", "phone;email;ticket;remote", "", "890.00", "10"),
    ("Minimal", "phone", "0", "49.00", "0"),
    (
        "Basis Plus",
        "phone;email;ticket;remote",
        "2.5",
        "199.50",
        "7.5",
    ),
];
const CHANNELS: &[(&str, u64)] = &[
    ("phone", 25),
    ("email", 15),
    ("ticket", 20),
    ("remote", 30),
    ("onsite", 10),
];
const MAX_HOURS: &[&str] = &[
    "", "1", "2", "4", "8", "16", "40", "0.5", "1.25", "0", "100",
];

/// CSV quoting as the spec's readers expect: quotes only where needed.
fn field(out: &mut String, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push('"');
        for c in s.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(s);
    }
}

fn row(out: &mut String, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, f);
    }
    out.push('\n');
}

fn date(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn time(m: i64) -> String {
    let m = m.rem_euclid(1440);
    format!("{:02}:{:02}", m / 60, m % 60)
}

struct Approval {
    id: String,
    ticket: Option<String>,
}

struct Customer {
    id: String,
    approvals: Vec<Approval>,
    project: Option<String>,
}

fn generate_into(
    cfg: &Config,
    mut put: impl FnMut(&str, Vec<u8>) -> io::Result<()>,
) -> io::Result<Summary> {
    let mut rng = Rng::new(cfg.seed);
    let first = cfg.first_day();
    let days = cfg.days();
    let day = |n: i64| first + Duration::days(n);
    let mut summary = Summary::default();

    put(
        "company.toml",
        COMPANY_TOML.replace("{rates}", "rates").into_bytes(),
    )?;
    put("rates/rates.csv", RATES_CSV.as_bytes().to_vec())?;
    put("rates/surcharges.csv", SURCHARGES_CSV.as_bytes().to_vec())?;
    put("rates/holidays.csv", HOLIDAYS_CSV.as_bytes().to_vec())?;

    // Customers.
    let mut customers = Vec::with_capacity(cfg.customers);
    let mut text =
        String::from("customer_id,name,street,postcode,city,country,vat_id,email,language\n");
    for i in 0..cfg.customers {
        let id = format!("K-{:05}", i + 1);
        let last = rng.pick(LAST_NAMES);
        let name = if rng.chance(15) {
            format!(
                "{}, {} & Partner {}",
                last,
                rng.pick(LAST_NAMES),
                rng.pick(FORMS)
            )
        } else {
            format!("{} {} {}", rng.pick(TRADES), last, rng.pick(FORMS))
        };
        let street = format!("{} {}", rng.pick(STREETS), rng.range(1, 250));
        let (country, vat_id, lang) = match rng.below(100) {
            0..=84 => (
                "DE",
                rng.chance(60)
                    .then(|| format!("DE{:09}", rng.below(1_000_000_000))),
                if rng.chance(5) { "en" } else { "de" },
            ),
            85..=89 => (
                "AT",
                Some(format!("ATU{:08}", rng.below(100_000_000))),
                "de",
            ),
            90..=92 => ("FR", None, "en"),
            93..=95 => (
                "NL",
                Some(format!("NL{:09}B01", rng.below(1_000_000_000))),
                "en",
            ),
            _ => ("CH", None, "de"),
        };
        let (postcode, city) = match country {
            "DE" => {
                let (p, c) = rng.pick(CITIES);
                (p.to_string(), c.to_string())
            }
            "AT" => ("5020".to_string(), "Salzburg".to_string()),
            "FR" => ("67000".to_string(), "Strasbourg".to_string()),
            "NL" => ("1012 AB".to_string(), "Amsterdam".to_string()),
            _ => ("8001".to_string(), "Zürich".to_string()),
        };
        let email = rng
            .chance(90)
            .then(|| format!("it@{}-{}.example", last.to_lowercase(), i + 1));
        row(
            &mut text,
            &[
                &id,
                &name,
                &street,
                &postcode,
                &city,
                country,
                vat_id.as_deref().unwrap_or(""),
                email.as_deref().unwrap_or(""),
                lang,
            ],
        );
        customers.push(Customer {
            id,
            approvals: Vec::new(),
            project: None,
        });
    }
    summary.rows.push(("customers.csv", customers.len()));
    put("customers.csv", text.into_bytes())?;

    // Contracts: at most one active per customer and day (RULES 3).
    let mut text = String::from(
        "contract_id,customer_id,tier,start,end,monthly_fee,channels,included_hours,discount_percent\n",
    );
    let mut n_contracts = 0;
    for c in &customers {
        if !rng.chance(65) {
            continue;
        }
        let start = first - Duration::days(rng.range(30, 700));
        let mut spans: Vec<(NaiveDate, Option<NaiveDate>)> = Vec::new();
        match rng.below(100) {
            0..=69 => spans.push((start, None)),
            70..=84 => spans.push((start, Some(day(rng.range(3, days - 3))))),
            _ => {
                let change = rng.range(3, days - 3);
                spans.push((start, Some(day(change - 1))));
                spans.push((day(change), None));
            }
        }
        for (s, e) in spans {
            n_contracts += 1;
            let (tier, channels, hours, fee, discount) = *rng.pick(TIERS);
            row(
                &mut text,
                &[
                    &format!("WV-{n_contracts:06}"),
                    &c.id,
                    tier,
                    &date(s),
                    &e.map(date).unwrap_or_default(),
                    fee,
                    channels,
                    hours,
                    discount,
                ],
            );
        }
    }
    summary.rows.push(("contracts.csv", n_contracts));
    put("contracts.csv", text.into_bytes())?;

    // Approvals: an open order form for some, a Freigabe with a budget,
    // maybe a ticket and an expiry for most; some granted after work began.
    let mut text =
        String::from("approval_id,customer_id,kind,granted_on,valid_until,ticket,max_hours\n");
    let mut n_approvals = 0;
    for c in customers.iter_mut() {
        if rng.chance(55) {
            n_approvals += 1;
            let id = format!("EB-{n_approvals:06}");
            let granted = first - Duration::days(rng.range(1, 60));
            let max = if rng.chance(50) { "" } else { "40" };
            row(
                &mut text,
                &[&id, &c.id, "order", &date(granted), "", "", max],
            );
            c.approvals.push(Approval { id, ticket: None });
        }
        let k = if rng.chance(30) { 2 } else { 1 };
        for _ in 0..k {
            if !rng.chance(75) {
                continue;
            }
            n_approvals += 1;
            let id = format!("FG-{n_approvals:06}");
            let granted = day(rng.range(-30, days / 2));
            let until = rng
                .chance(40)
                .then(|| date(granted + Duration::days(rng.range(5, 60))));
            let ticket = rng
                .chance(30)
                .then(|| format!("TK-{:06}", rng.below(1_000_000)));
            let max = *rng.pick(MAX_HOURS);
            row(
                &mut text,
                &[
                    &id,
                    &c.id,
                    "approval",
                    &date(granted),
                    until.as_deref().unwrap_or(""),
                    ticket.as_deref().unwrap_or(""),
                    max,
                ],
            );
            c.approvals.push(Approval { id, ticket });
        }
    }
    summary.rows.push(("approvals.csv", n_approvals));
    put("approvals.csv", text.into_bytes())?;

    // Projects, and their acceptances (some accepted in the range).
    let mut text = String::from(
        "project_id,customer_id,title,fee,concept_on,solution_on,approved_on,due_on\n",
    );
    let mut acc = String::from("project_id,stage,date,signed_by\n");
    let (mut n_projects, mut n_acceptances) = (0, 0);
    for c in customers.iter_mut() {
        if !rng.chance(20) {
            continue;
        }
        n_projects += 1;
        let id = format!("P-{n_projects:05}");
        let concept = first - Duration::days(rng.range(90, 200));
        let solution = concept + Duration::days(rng.range(5, 30));
        let approved = rng
            .chance(85)
            .then(|| solution + Duration::days(rng.range(5, 30)));
        let due = rng.chance(70).then(|| day(rng.range(0, days + 60)));
        let title = format!(
            "{}: Erneuerung und Migration, Phase {}",
            rng.pick(OBJECTS),
            rng.range(1, 4)
        );
        row(
            &mut text,
            &[
                &id,
                &c.id,
                &title,
                &format!("{}.00", rng.range(10, 500) * 100),
                &date(concept),
                &date(solution),
                &approved.map(date).unwrap_or_default(),
                &due.map(date).unwrap_or_default(),
            ],
        );
        if approved.is_some() && rng.chance(60) {
            let qa = day(rng.range(0, days - 1));
            row(
                &mut acc,
                &[
                    &id,
                    "qa",
                    &date(qa),
                    &format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)),
                ],
            );
            n_acceptances += 1;
            if rng.chance(75) {
                // On or after QA (before it would be a warning, F17).
                let d = qa + Duration::days(rng.range(0, 12));
                row(
                    &mut acc,
                    &[
                        &id,
                        "customer",
                        &date(d),
                        &format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)),
                    ],
                );
                n_acceptances += 1;
            }
        }
        c.project = Some(id);
    }
    summary.rows.push(("projects.csv", n_projects));
    summary.rows.push(("acceptances.csv", n_acceptances));
    put("projects.csv", text.into_bytes())?;
    put("acceptances.csv", acc.into_bytes())?;

    // The time log. Entry k works on day k / per_day, for staff member
    // (k % per_day) / SLOTS, in slot k % SLOTS of that member's day. Slots
    // are disjoint: 07:00 + 80 min * s (+0..10 min), at most 75 min long;
    // the last slot is in the evening (surcharge) or runs past midnight
    // (night surcharge, F1), ending before the next day's 07:00.
    const SLOTS: usize = 10;
    let per_day = cfg.entries.div_ceil(days as usize).max(1);
    let staff_count = per_day.div_ceil(SLOTS);
    summary.staff = staff_count;
    let staff_names: Vec<String> = (0..staff_count)
        .map(|s| {
            let (f, l) = (FIRST_NAMES.len(), LAST_NAMES.len());
            let base = format!("{} {}", FIRST_NAMES[s % f], LAST_NAMES[(s / f) % l]);
            if s < f * l {
                base
            } else {
                format!("{base} {}", s / (f * l) + 1)
            }
        })
        .collect();
    let channel_total: u64 = CHANNELS.iter().map(|c| c.1).sum();
    let mut out = String::with_capacity(cfg.entries * 150 + 200);
    out.push_str("entry_id,date,start,end,staff,customer_id,ticket,channel,responsibility,activity,approval_id,project_id,description\n");
    let n_customers = customers.len() as u64;
    let mut desc = String::new();
    for k in 0..cfg.entries {
        let d = day((k / per_day) as i64);
        let r = k % per_day;
        let (staff, slot) = (r / SLOTS, r % SLOTS);
        let (start, minutes) = if slot == SLOTS - 1 {
            if rng.chance(50) {
                (19 * 60 + rng.range(0, 10), rng.range(5, 75))
            } else {
                (23 * 60 + rng.range(0, 10), rng.range(30, 90))
            }
        } else {
            (
                7 * 60 + 80 * slot as i64 + rng.range(0, 10),
                rng.range(5, 65),
            )
        };
        // Skewed: low customer numbers work with us more often.
        let u = rng.below(1 << 20) as f64 / f64::from(1 << 20);
        let ci = if rng.chance(50) {
            (u * u * n_customers as f64) as usize
        } else {
            (u * n_customers as f64) as usize
        }
        .min(customers.len() - 1);
        let c = &customers[ci];

        let project = c.project.as_deref().filter(|_| rng.chance(30));
        let (mut channel, mut resp, mut act) = ("", "", "");
        if project.is_none() || rng.chance(50) {
            let mut x = rng.below(channel_total);
            for (name, w) in CHANNELS {
                if x < *w {
                    channel = name;
                    break;
                }
                x -= w;
            }
            resp = match rng.below(100) {
                0..=69 => "ours",
                70..=89 => "third_party",
                _ => "tampering",
            };
            act = *rng.pick(&["diagnosis", "referral", "fix", "support"]);
        }
        let approval = (project.is_none() && !c.approvals.is_empty() && rng.chance(55))
            .then(|| rng.pick(&c.approvals));
        let ticket = match approval.and_then(|a| a.ticket.clone()) {
            Some(t) if rng.chance(85) => Some(t),
            _ => rng
                .chance(70)
                .then(|| format!("TK-{:06}", rng.below(1_000_000))),
        };
        desc.clear();
        let _ = write!(desc, "{} {}", rng.pick(OBJECTS), rng.pick(VERBS));
        match rng.below(1000) {
            0..=199 => {
                let _ = write!(desc, ", {}", rng.pick(VERBS));
            }
            200..=204 => desc.push_str(", Tool \"Fernhilfe\" neu gestartet"),
            _ => {}
        }
        row(
            &mut out,
            &[
                &format!("T-{:07}", k + 1),
                &date(d),
                &time(start),
                &time(start + minutes),
                &staff_names[staff],
                &c.id,
                ticket.as_deref().unwrap_or(""),
                channel,
                resp,
                act,
                approval.map_or("", |a| a.id.as_str()),
                project.unwrap_or(""),
                &desc,
            ],
        );
    }
    summary.timelog_bytes = out.len() as u64;
    summary.rows.push(("timelog.csv", cfg.entries));
    put("timelog.csv", out.into_bytes())?;
    Ok(summary)
}

const COMPANY_TOML: &str = r#"# Generated by faktura-bench gen (src/bench_data.rs): benchmark data.
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
rates = "{rates}"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Config {
        Config {
            entries: 20_000,
            customers: 300,
            ..Config::default()
        }
    }

    #[test]
    fn deterministic() {
        let (a, _) = generate(&small());
        let (b, _) = generate(&small());
        assert_eq!(a, b);
    }

    #[test]
    fn generated_data_is_valid_without_warnings() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = small();
        write(dir.path(), &cfg).unwrap();
        let raw = crate::load::load(dir.path()).unwrap();
        let v = crate::validate::validate(&raw);
        let shown: Vec<String> = v
            .diagnostics
            .iter()
            .take(5)
            .map(|d| d.to_string())
            .collect();
        assert!(v.diagnostics.is_empty(), "{shown:#?}");
        let ds = v.dataset.expect("valid");
        assert_eq!(ds.entries.len(), cfg.entries);
        // Every outcome occurs.
        let parts = crate::decide::decide(&ds);
        for o in ["covered", "referral", "project", "billable", "held"] {
            assert!(parts.iter().any(|p| p.outcome.as_str() == o), "no {o} part");
        }
    }
}
