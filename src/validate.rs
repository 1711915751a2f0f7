//! Raw input bytes -> a typed, cross-checked `Dataset` plus every diagnostic
//! (RULES 3). Nothing here stops at the first problem: every file is read,
//! every row checked, and all problems are returned together. Pure.

use crate::diagnostic::{self, Diagnostic};
use crate::idmap::IdMap;
use crate::load::{RawInputs, Source};
use crate::model::*;
use crate::table::{self, Row, Table};
use chrono::{Datelike, NaiveDate, Weekday};
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

pub const CUSTOMERS: &[&str] = &[
    "customer_id",
    "name",
    "street",
    "postcode",
    "city",
    "country",
    "vat_id",
    "email",
    "language",
    "debtor_account",
    "consumer",
];
/// Columns a table's header may leave out (read as empty then).
pub const OPTIONAL_COLUMNS: &[&str] = &["debtor_account", "consumer"];
pub const CONTRACTS: &[&str] = &[
    "contract_id",
    "customer_id",
    "tier",
    "start",
    "end",
    "monthly_fee",
    "channels",
    "included_hours",
    "discount_percent",
];
pub const APPROVALS: &[&str] = &[
    "approval_id",
    "customer_id",
    "kind",
    "granted_on",
    "valid_until",
    "ticket",
    "max_hours",
];
pub const PROJECTS: &[&str] = &[
    "project_id",
    "customer_id",
    "title",
    "fee",
    "concept_on",
    "solution_on",
    "approved_on",
    "due_on",
];
pub const ACCEPTANCES: &[&str] = &["project_id", "stage", "date", "signed_by"];
pub const TIMELOG: &[&str] = &[
    "entry_id",
    "date",
    "start",
    "end",
    "staff",
    "customer_id",
    "ticket",
    "channel",
    "responsibility",
    "activity",
    "approval_id",
    "project_id",
    "description",
];
pub const RATES: &[&str] = &[
    "code",
    "description",
    "unit",
    "price",
    "increment_minutes",
    "minimum_minutes",
    "valid_from",
];
pub const SURCHARGES: &[&str] = &[
    "code",
    "description",
    "days",
    "from",
    "to",
    "percent",
    "valid_from",
];
pub const HOLIDAYS: &[&str] = &["date", "name"];

pub(crate) const CHANNELS: &[(&str, Channel)] = &[
    ("phone", Channel::Phone),
    ("email", Channel::Email),
    ("ticket", Channel::Ticket),
    ("remote", Channel::Remote),
    ("onsite", Channel::Onsite),
];
pub(crate) const RESPONSIBILITIES: &[(&str, Responsibility)] = &[
    ("ours", Responsibility::Ours),
    ("third_party", Responsibility::ThirdParty),
    ("tampering", Responsibility::Tampering),
];
pub(crate) const ACTIVITIES: &[(&str, Activity)] = &[
    ("diagnosis", Activity::Diagnosis),
    ("referral", Activity::Referral),
    ("fix", Activity::Fix),
    ("support", Activity::Support),
];
const KINDS: &[(&str, ApprovalKind)] = &[
    ("order", ApprovalKind::Order),
    ("approval", ApprovalKind::Approval),
];
const STAGES: &[(&str, Stage)] = &[("qa", Stage::Qa), ("customer", Stage::Customer)];
const LANGUAGES: &[(&str, Language)] = &[("de", Language::De), ("en", Language::En)];
const UNITS: &[(&str, Unit)] = &[("hour", Unit::Hour), ("visit", Unit::Visit)];
const DAYS: &[(&str, DayKind)] = &[
    ("mon", DayKind::Weekday(Weekday::Mon)),
    ("tue", DayKind::Weekday(Weekday::Tue)),
    ("wed", DayKind::Weekday(Weekday::Wed)),
    ("thu", DayKind::Weekday(Weekday::Thu)),
    ("fri", DayKind::Weekday(Weekday::Fri)),
    ("sat", DayKind::Weekday(Weekday::Sat)),
    ("sun", DayKind::Weekday(Weekday::Sun)),
    ("holiday", DayKind::Holiday),
];

/// The outcome of validation: the data set when there is no error, and every
/// diagnostic (errors and warnings), sorted by file and line.
pub struct Validated {
    pub dataset: Option<Dataset>,
    pub diagnostics: Vec<Diagnostic>,
    /// How many rows each file had, for the summary.
    pub counts: Vec<(String, usize)>,
}

impl Validated {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// Validates all inputs at once.
pub fn validate(raw: &RawInputs) -> Validated {
    validate_in_blocks(raw, crate::load::BLOCK)
}

/// `validate`, reading the time log in blocks of `block` bytes (tests use
/// small ones to cut between every kind of record).
pub fn validate_in_blocks(raw: &RawInputs, block: usize) -> Validated {
    let mut diags = Vec::new();
    let mut counts = Vec::new();
    let company = company(&raw.company, &mut diags);

    // Without a rate card (company.toml names none, or cannot be read) its
    // error is already reported; no entry is checked against it.
    let (card, rates_unparsed) = match &raw.rate_card {
        Some(rc) => rate_card(
            &rc.rates,
            &rc.surcharges,
            &rc.holidays,
            &mut diags,
            &mut counts,
        ),
        None => (RateCard::default(), Unparsed::All),
    };

    let (customers, customers_unparsed) = parse_keyed(
        &raw.customers,
        CUSTOMERS,
        &mut diags,
        &mut counts,
        |c: &Customer| c.id.as_str(),
        customer,
    );
    let customers = unique(
        customers,
        &raw.customers.name,
        "customer_id",
        |c: &Customer| c.id.as_str(),
        |c| c.line,
        &mut diags,
    );
    let customers: BTreeMap<CustomerId, Customer> =
        customers.into_iter().map(|c| (c.id.clone(), c)).collect();
    let customer_ids: HashMap<&str, &CustomerId> =
        customers.keys().map(|k| (k.as_str(), k)).collect();
    let known_customers = Known {
        ids: &customer_ids,
        unparsed: &customers_unparsed,
    };

    let contracts = parse_csv(&raw.contracts, CONTRACTS, &mut diags, &mut counts, |r| {
        contract(r, &known_customers)
    });
    let mut contracts = unique(
        contracts,
        &raw.contracts.name,
        "contract_id",
        |c: &Contract| c.id.as_str(),
        |c| c.line,
        &mut diags,
    );
    contracts.sort_by(|a, b| (&a.customer, a.start, &a.id).cmp(&(&b.customer, b.start, &b.id)));
    contract_overlaps(&contracts, &raw.contracts.name, &mut diags);

    let (approvals, approvals_unparsed) = parse_keyed(
        &raw.approvals,
        APPROVALS,
        &mut diags,
        &mut counts,
        |a: &Approval| a.id.as_str(),
        |r| approval(r, &known_customers),
    );
    let approvals = unique(
        approvals,
        &raw.approvals.name,
        "approval_id",
        |a: &Approval| a.id.as_str(),
        |a| a.line,
        &mut diags,
    );
    let mut approvals = approvals;
    approvals.sort_unstable_by(|a, b| a.id.cmp(&b.id));

    let (projects, projects_unparsed) = parse_keyed(
        &raw.projects,
        PROJECTS,
        &mut diags,
        &mut counts,
        |p: &Project| p.id.as_str(),
        |r| project(r, &known_customers),
    );
    let projects = unique(
        projects,
        &raw.projects.name,
        "project_id",
        |p: &Project| p.id.as_str(),
        |p| p.line,
        &mut diags,
    );
    let projects: BTreeMap<ProjectId, Project> =
        projects.into_iter().map(|p| (p.id.clone(), p)).collect();
    let customer_ids: Vec<CustomerId> = customers.keys().cloned().collect();
    let project_ids: Vec<ProjectId> = projects.keys().cloned().collect();

    let acceptances = parse_csv(
        &raw.acceptances,
        ACCEPTANCES,
        &mut diags,
        &mut counts,
        |r| acceptance(r, &projects, &projects_unparsed),
    );

    let customer_no = numbers(customer_ids.iter().map(|c| c.as_str()));
    // Each approval and project with its customer's number: the entry's
    // owner check compares numbers, not id texts.
    let approval_no = owned(
        approvals.iter().map(|a| (a.id.as_str(), &a.customer)),
        &customer_no,
    );
    let project_no = owned(
        project_ids
            .iter()
            .map(|p| (p.as_str(), &projects[p].customer)),
        &customer_no,
    );
    let refs = EntryRefs {
        customer_no,
        customer_ids: &customer_ids,
        customers_unparsed: &customers_unparsed,
        approval_no,
        approvals_unparsed: &approvals_unparsed,
        project_no,
        projects_unparsed: &projects_unparsed,
        rates_from: {
            let from = |code: &str| {
                card.rates
                    .get(code)
                    .and_then(|r| r.first())
                    .map(|r| r.valid_from)
            };
            let c = Channel::ALL.map(|c| from(c.as_str()));
            [c[0], c[1], c[2], c[3], c[4], from("travel")]
        },
        rates_unparsed: &rates_unparsed,
        card_file: raw.rate_card.as_ref().map(|rc| rc.rates.name.as_str()),
    };
    let (entries, staff) = timelog(&raw.timelog, block, &refs, &mut diags, &mut counts);
    let entries = unique(
        entries,
        &raw.timelog.name,
        "entry_id",
        |e: &Entry| e.id(),
        |e| u64::from(e.line),
        &mut diags,
    );
    staff_overlaps(&entries, &staff, &raw.timelog.name, &mut diags);

    // Optional: which customers get XRechnung instead of EN 16931.
    let einvoice = match &raw.einvoice.bytes {
        None => crate::einvoice::Settings::default(),
        Some(bytes) => {
            let (settings, d) = crate::einvoice::parse_einvoice(bytes);
            diags.extend(d);
            diags
                .extend(settings.check_customers(|c| {
                    customers.contains_key(c) || customers_unparsed.covers(c)
                }));
            counts.push((raw.einvoice.name.clone(), settings.profiles().count()));
            settings
        }
    };

    diagnostic::sort(&mut diags);
    let has_errors = diags.iter().any(Diagnostic::is_error);
    let dataset = match (has_errors, company) {
        (false, Some(company)) => Some(Dataset {
            company,
            customers,
            contracts_of: Dataset::contract_ranges(&customer_ids, &contracts),
            contracts,
            approvals,
            projects,
            acceptances,
            entries,
            customer_ids,
            project_ids,
            staff,
            rate_card: card,
            einvoice,
            warnings: Vec::new(),
        }),
        _ => None,
    };
    let mut dataset = dataset;
    if let Some(ds) = &mut dataset {
        // Project lifecycle oddities are warnings only (F17 decides).
        diags.extend(crate::project::acceptance_warnings(
            ds,
            &raw.acceptances.name,
        ));
        diagnostic::sort(&mut diags);
        // The review page shows them (RULES 15), also when verify recomputes it.
        ds.warnings = diags.iter().map(ToString::to_string).collect();
    }
    Validated {
        dataset,
        diagnostics: diags,
        counts,
    }
}

/// `company.toml` and the rate card alone (the price list reads nothing
/// else): both when there is no error, and every diagnostic.
pub fn company_and_card(
    company_src: &Source,
    card: Option<&crate::load::RateCardSources>,
) -> (Option<(Company, RateCard)>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let company = company(company_src, &mut diags);
    let card = card.map(|rc| {
        rate_card(
            &rc.rates,
            &rc.surcharges,
            &rc.holidays,
            &mut diags,
            &mut Vec::new(),
        )
        .0
    });
    diagnostic::sort(&mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    (company.zip(card), diags)
}

/// What is left of a table's rows that failed, so that a reference to one
/// of them is not reported a second time as unknown: that row's own error
/// already says what is wrong, and fixing it fixes the reference.
enum Unparsed {
    /// The file could not be read at all (missing, or a broken header).
    All,
    /// The first-column values (ids, rate codes) of the rows that failed.
    Keys(HashSet<String>),
}

impl Unparsed {
    fn covers(&self, key: &str) -> bool {
        match self {
            Unparsed::All => true,
            Unparsed::Keys(keys) => keys.contains(key),
        }
    }
}

/// The ids a reference may name, and those of rows that failed.
struct Known<'a, K> {
    ids: &'a HashMap<&'a str, &'a K>,
    unparsed: &'a Unparsed,
}

fn open_table<'b>(
    src: &'b Source,
    columns: &'static [&'static str],
    diags: &mut Vec<Diagnostic>,
) -> Option<Table<'b>> {
    let Some(bytes) = &src.bytes else {
        diags.push(not_found(src, columns));
        return None;
    };
    Table::open_optional(&src.name, bytes, columns, OPTIONAL_COLUMNS, diags)
}

fn not_found(src: &Source, columns: &[&str]) -> Diagnostic {
    Diagnostic::error(
        &src.name,
        1,
        "file",
        format!(
            "not found at {} (expected a CSV file with the header: {})",
            src.path.display(),
            columns.join(", ")
        ),
    )
}

fn parse_csv<T: Send>(
    src: &Source,
    columns: &'static [&'static str],
    diags: &mut Vec<Diagnostic>,
    counts: &mut Vec<(String, usize)>,
    parse: impl Fn(&mut Row) -> Option<T> + Sync,
) -> Vec<T> {
    let Some(table) = open_table(src, columns, diags) else {
        return Vec::new();
    };
    let (rows, d) = table.rows(parse);
    diags.extend(d);
    counts.push((src.name.clone(), rows.len()));
    rows
}

/// `parse_csv` for a table that others refer to by its first column: also
/// returns what the failed rows were meant to define.
fn parse_keyed<T: Send>(
    src: &Source,
    columns: &'static [&'static str],
    diags: &mut Vec<Diagnostic>,
    counts: &mut Vec<(String, usize)>,
    key: impl Fn(&T) -> &str,
    parse: impl Fn(&mut Row) -> Option<T> + Sync,
) -> (Vec<T>, Unparsed) {
    let Some(table) = open_table(src, columns, diags) else {
        return (Vec::new(), Unparsed::All);
    };
    let (rows, d) = table.rows(parse);
    // A row fails only with an error of its own or one of a row it refers
    // to: without any error so far, every row parsed.
    let all_parsed = !d.iter().chain(diags.iter()).any(Diagnostic::is_error);
    diags.extend(d);
    counts.push((src.name.clone(), rows.len()));
    if all_parsed {
        return (rows, Unparsed::Keys(HashSet::new()));
    }
    // A key is unparsed when the file has more rows of it than parsed: a
    // rate code may have good rows and a failed one. A row can also fail
    // without an error of its own, when it refers to a failed row.
    let mut left: HashMap<String, usize> = HashMap::new();
    for v in table.column_values(0) {
        *left.entry(v).or_default() += 1;
    }
    for r in &rows {
        if let Some(n) = left.get_mut(key(r)) {
            *n = n.saturating_sub(1);
        }
    }
    let keys = left
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, _)| k)
        .collect();
    (rows, Unparsed::Keys(keys))
}

/// Keeps the first row of each id; later ones are reported as duplicates.
/// Ids are grouped by sorting their hashes (a million-row time log would
/// otherwise need a map of a million strings); equal hashes are compared
/// as text.
fn unique<T: Sync>(
    rows: Vec<T>,
    file: &str,
    column: &str,
    id: impl Fn(&T) -> &str + Sync,
    line: impl Fn(&T) -> u64,
    diags: &mut Vec<Diagnostic>,
) -> Vec<T> {
    // Ids in strictly increasing order, as exports often write them, are
    // unique as they are: one pass instead of hashing and sorting.
    if rows.par_windows(2).all(|w| id(&w[0]) < id(&w[1])) {
        return rows;
    }
    use std::hash::BuildHasher;
    let hasher = rustc_hash::FxBuildHasher;
    // The hash's high bits and the row's index in one word: a sort of
    // plain integers, half the bytes of (hash, index) pairs. Rows whose
    // high bits agree are candidates, compared by their ids.
    let bits = usize::BITS - rows.len().leading_zeros();
    let low = (1u64 << bits) - 1;
    let mut hashes: Vec<u64> = rows
        .par_iter()
        .enumerate()
        .map(|(i, r)| (hasher.hash_one(id(r)) & !low) | i as u64)
        .collect();
    hashes.par_sort_unstable();
    let mut dup = vec![false; rows.len()];
    let mut any = false;
    for run in hashes
        .chunk_by(|a, b| (a & !low) == (b & !low))
        .filter(|run| run.len() > 1)
    {
        // In file order (the index is the low bits): the first of each id
        // is kept.
        let mut seen: Vec<(&str, u64)> = Vec::new();
        for &key in run {
            let i = key & low;
            let r = &rows[i as usize];
            match seen.iter().find(|(s, _)| *s == id(r)) {
                Some((_, l)) => {
                    diags.push(Diagnostic::error(
                        file,
                        line(r),
                        column,
                        format!(
                            "duplicate id '{}' (expected each id once; first on line {l})",
                            id(r)
                        ),
                    ));
                    dup[i as usize] = true;
                    any = true;
                }
                None => seen.push((id(r), line(r))),
            }
        }
    }
    drop(hashes);
    if !any {
        return rows;
    }
    rows.into_iter()
        .zip(dup)
        .filter(|(_, d)| !d)
        .map(|(r, _)| r)
        .collect()
}

fn reference<V>(
    row: &mut Row,
    col: usize,
    get: impl Fn(&str) -> Option<V>,
    unparsed: &Unparsed,
    what: &str,
) -> Option<V> {
    let s = match row.opt_str(col) {
        Ok(Some(s)) => s,
        Ok(None) => {
            row.error(col, format!("empty (expected a {what} id)"));
            return None;
        }
        Err(()) => return None,
    };
    match get(s) {
        Some(k) => Some(k),
        None if unparsed.covers(s) => None,
        None => {
            row.error(
                col,
                format!("unknown {what} '{s}' (expected the id of a row in {what}s.csv)"),
            );
            None
        }
    }
}

/// Each id's position, with the number of the customer it belongs to.
fn owned<'a>(
    ids: impl Iterator<Item = (&'a str, &'a CustomerId)>,
    customer_no: &IdMap<RowNo>,
) -> IdMap<(RowNo, RowNo)> {
    ids.enumerate()
        .filter_map(|(i, (id, c))| Some((id, (i as RowNo, customer_no.get(c.as_str())?))))
        .collect()
}

/// Each id's position in `ids`, for the time log's references.
fn numbers<'a>(ids: impl Iterator<Item = &'a str>) -> IdMap<RowNo> {
    ids.enumerate().map(|(i, id)| (id, i as RowNo)).collect()
}

fn customer(r: &mut Row) -> Option<Customer> {
    let id = r.str(0, "a customer id");
    let name = r.str(1, "the customer's name");
    let street = r.str(2, "a street and number");
    let postcode = r.str(3, "a postcode");
    let city = r.str(4, "a city");
    let country = r.str(5, "an ISO 3166 alpha-2 country code such as DE");
    if let Some(c) = country {
        if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
            r.error(5, format!("'{c}' is not a country code (expected ISO 3166 alpha-2 in capitals, e.g. DE, AT, CH)"));
        }
    }
    let vat_id = r.opt_str(6);
    let email = r.opt_str(7);
    let language = r.choice(8, LANGUAGES);
    let debtor_account = r.opt_str(9).ok()?;
    if let Some(a) = debtor_account {
        if !is_debtor_account(a) {
            r.error(9, format!("'{a}' is not a debtor account (expected the customer's DATEV personal account: 5 to 9 digits starting with 1 to 6, e.g. 10001)"));
        }
    }
    let debtor_account = debtor_account.filter(|a| is_debtor_account(a));
    // `yes` or empty (also when the header has no such column): anything
    // else is a typo, not a business (RULES 13, D2).
    let consumer = match r.opt_str(10) {
        Ok(None) => Some(false),
        Ok(Some("yes")) => Some(true),
        Ok(Some(other)) => {
            r.error(
                10,
                format!("'{other}' is not yes or empty (expected yes for a consumer, empty for a business)"),
            );
            None
        }
        Err(()) => None,
    };
    let country = country.filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))?;
    let (vat_id, email) = (vat_id.ok()?, email.ok()?);
    Some(Customer {
        id: CustomerId::new(id?),
        name: name?.to_string(),
        street: street?.to_string(),
        postcode: postcode?.to_string(),
        city: city?.to_string(),
        country: country.to_string(),
        vat_id: vat_id.map(str::to_string),
        email: email.map(str::to_string),
        language: language?,
        debtor_account: debtor_account.map(str::to_string),
        consumer: consumer?,
        line: r.line,
    })
}

/// A DATEV personal account of a debtor: the G/L account length plus one
/// digit (5..9), debtors in 10000..69999 (creditors start with 7..9).
fn is_debtor_account(a: &str) -> bool {
    (5..=9).contains(&a.len())
        && a.bytes().all(|b| b.is_ascii_digit())
        && (b'1'..=b'6').contains(&a.as_bytes()[0])
}

fn contract(r: &mut Row, customers: &Known<CustomerId>) -> Option<Contract> {
    let id = r.str(0, "a contract id");
    let customer = reference(
        r,
        1,
        |s| customers.ids.get(s).copied(),
        customers.unparsed,
        "customer",
    )
    .cloned();
    let tier = r.str(2, "the contract's tier, e.g. Basis");
    let start = r.date(3);
    let end = r.opt_date(4);
    let fee = r.money(5);
    let channels = match r.str(6, "a ;-separated list of channels, e.g. phone;email;remote") {
        Some(list) => {
            let mut set = ChannelSet::default();
            let mut ok = true;
            for item in list.split(';') {
                match table::choice(item, CHANNELS) {
                    Ok(c) => set.insert(c),
                    Err(m) => {
                        r.error(6, m);
                        ok = false;
                    }
                }
            }
            ok.then_some(set)
        }
        None => None,
    };
    let included = r.opt_hours_as_minutes(7);
    let discount = r.percent(8, Some(100));
    let (end, included) = (end.ok()?, included.ok()?);
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            r.error(
                4,
                format!("end {e} is before start {s} (expected end on or after start, or empty)"),
            );
            return None;
        }
    }
    Some(Contract {
        id: ContractId::new(id?),
        customer: customer?,
        tier: tier?.to_string(),
        start: start?,
        end,
        monthly_fee: fee?,
        channels: channels?,
        included_minutes: included,
        discount_percent: discount?,
        line: r.line,
    })
}

/// Two contracts of one customer active on the same day are an error (RULES 3).
/// `contracts` are sorted by customer and start; each is compared with the
/// customer's earlier contract that runs longest, not only its neighbour, so
/// that an open-ended contract clashes with every later one.
fn contract_overlaps(contracts: &[Contract], file: &str, diags: &mut Vec<Diagnostic>) {
    // `None` as an end is open-ended: later than any date.
    let ends_later = |a: &Contract, b: &Contract| match (a.end, b.end) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(x), Some(y)) => x > y,
    };
    let mut longest: Option<&Contract> = None;
    for b in contracts {
        let Some(a) = longest.filter(|a| a.customer == b.customer) else {
            longest = Some(b);
            continue;
        };
        if ends_later(b, a) {
            longest = Some(b);
        }
        if a.end.is_none_or(|e| e >= b.start) {
            let later = if a.line > b.line { a } else { b };
            let other = if a.line > b.line { b } else { a };
            diags.push(Diagnostic::error(
                file,
                later.line,
                "start",
                format!(
                    "contract '{}' of customer '{}' is active on {} like contract '{}' (line {}) (expected at most one active contract per customer and day)",
                    later.id, later.customer, b.start, other.id, other.line
                ),
            ));
        }
    }
}

fn approval(r: &mut Row, customers: &Known<CustomerId>) -> Option<Approval> {
    let id = r.str(0, "an approval id");
    let customer = reference(
        r,
        1,
        |s| customers.ids.get(s).copied(),
        customers.unparsed,
        "customer",
    )
    .cloned();
    let kind = r.choice(2, KINDS);
    let granted = r.date(3);
    let until = r.opt_date(4);
    let ticket = r.opt_str(5);
    let max = r.opt_hours_as_minutes(6);
    let (until, ticket, max) = (until.ok()?, ticket.ok()?, max.ok()?);
    if let (Some(g), Some(u)) = (granted, until) {
        if u < g {
            r.error(4, format!("valid_until {u} is before granted_on {g} (expected a last valid day on or after granted_on, or empty)"));
            return None;
        }
    }
    Some(Approval {
        id: ApprovalId::new(id?),
        customer: customer?,
        kind: kind?,
        granted_on: granted?,
        valid_until: until,
        ticket: ticket.map(str::to_string),
        max_minutes: max,
        line: r.line,
    })
}

fn project(r: &mut Row, customers: &Known<CustomerId>) -> Option<Project> {
    let id = r.str(0, "a project id");
    let customer = reference(
        r,
        1,
        |s| customers.ids.get(s).copied(),
        customers.unparsed,
        "customer",
    )
    .cloned();
    let title = r.str(2, "the project's title");
    let fee = r.money(3);
    let concept = r.opt_date(4);
    let solution = r.opt_date(5);
    let approved = r.opt_date(6);
    let due = r.opt_date(7);
    Some(Project {
        id: ProjectId::new(id?),
        customer: customer?,
        title: title?.to_string(),
        fee: fee?,
        concept_on: concept.ok()?,
        solution_on: solution.ok()?,
        approved_on: approved.ok()?,
        due_on: due.ok()?,
        line: r.line,
    })
}

fn acceptance(
    r: &mut Row,
    projects: &BTreeMap<ProjectId, Project>,
    unparsed: &Unparsed,
) -> Option<Acceptance> {
    let pid = r.str(0, "a project id");
    let project = match pid {
        Some(p) => match projects.get_key_value(p) {
            Some((k, _)) => Some(k.clone()),
            None if unparsed.covers(p) => None,
            None => {
                r.error(
                    0,
                    format!("unknown project '{p}' (expected the id of a row in projects.csv)"),
                );
                None
            }
        },
        None => None,
    };
    let stage = r.choice(1, STAGES);
    let date = r.date(2);
    let signed = r.str(3, "who signed the acceptance");
    Some(Acceptance {
        project: project?,
        stage: stage?,
        date: date?,
        signed_by: signed?.to_string(),
        line: r.line,
    })
}

struct EntryRefs<'a> {
    customer_no: IdMap<RowNo>,
    customer_ids: &'a [CustomerId],
    customers_unparsed: &'a Unparsed,
    /// Approval id -> (its number, its customer's number).
    approval_no: IdMap<(RowNo, RowNo)>,
    approvals_unparsed: &'a Unparsed,
    /// Project id -> (its number, its customer's number).
    project_no: IdMap<(RowNo, RowNo)>,
    projects_unparsed: &'a Unparsed,
    /// The first valid_from of each channel's rate and (last) of travel.
    rates_from: [Option<NaiveDate>; 6],
    /// Rate codes whose rows failed: no "no rate" error for them.
    rates_unparsed: &'a Unparsed,
    card_file: Option<&'a str>,
}

/// What a chunk of the time log builds besides its rows: one text buffer
/// for all their ids, tickets and descriptions, and numbers of its own for
/// staff not met in earlier blocks (made global when the chunks are joined).
#[derive(Default)]
struct EntryChunk {
    /// Full buffers, when one would pass 4 GiB (offsets are `u32`).
    full: Vec<String>,
    text: String,
    staff: IdMap<RowNo>,
    staff_names: Vec<Box<str>>,
    /// The last staff name numbered, and its number: a time log has each
    /// staff member's entries in runs, and comparing the name is cheaper
    /// than looking it up.
    last_staff: (String, Option<RowNo>),
}

/// An entry before its chunk's text buffer is shared.
struct Draft {
    buffer: u32,
    at: u32,
    lens: [u32; 3],
    fields: EntryFields,
}

/// Parses the time log in parallel chunks; returns its entries in file
/// order and the staff names they number.
fn timelog(
    src: &Source,
    block: usize,
    refs: &EntryRefs,
    diags: &mut Vec<Diagnostic>,
    counts: &mut Vec<(String, usize)>,
) -> (Vec<Entry>, Vec<Arc<str>>) {
    let Some(blocks) = src.blocks(block) else {
        diags.push(not_found(src, TIMELOG));
        return (Vec::new(), Vec::new());
    };
    let unreadable = |e: std::io::Error, line: u64| {
        Diagnostic::error(
            &src.name,
            line,
            "file",
            format!("cannot be read: {e} (expected a readable file)"),
        )
    };
    let mut reader = table::BlockReader::new(blocks, block);
    let header = match reader.head() {
        Ok(head) => match Table::open(&src.name, head, TIMELOG, diags) {
            Some(t) => {
                let (at, line) = t.body_at(head);
                let header = t.header();
                reader.skip_header(at, line);
                header
            }
            None => return (Vec::new(), Vec::new()),
        },
        Err(e) => {
            diags.push(unreadable(e, 1));
            return (Vec::new(), Vec::new());
        }
    };
    // One staff numbering for the whole file, in the order first met; each
    // block's entries join the rest as soon as it is parsed.
    let mut entries: Vec<Entry> = Vec::new();
    let mut staff: Vec<Arc<str>> = Vec::new();
    // The names met in earlier blocks, read by every chunk of the next.
    let mut numbers: IdMap<RowNo> = IdMap::default();
    while let Some(body) = reader.next_body() {
        let (body, line, last) = match body {
            Ok(b) => b,
            Err(e) => {
                diags.push(unreadable(e, 1));
                break;
            }
        };
        let body_len = body.len() as u64;
        let known = &numbers;
        let parsed = header.chunks_in(
            body,
            line,
            last,
            EntryChunk::default,
            |r, chunk| entry(r, refs, known, chunk),
            |mut chunk: EntryChunk, drafts| {
                let mut buffers: Vec<Arc<String>> = chunk.full.into_iter().map(Arc::new).collect();
                chunk.text.shrink_to_fit();
                buffers.push(Arc::new(chunk.text));
                let entries: Vec<Entry> = drafts
                    .into_iter()
                    .map(|d| Entry::new(buffers[d.buffer as usize].clone(), d.at, d.lens, d.fields))
                    .collect();
                (entries, chunk.staff_names)
            },
        );
        let Some((chunks, d, next_line)) = parsed else {
            reader.refuse();
            continue;
        };
        reader.done(next_line);
        diags.extend(d);
        if entries.is_empty() && !last {
            // Room for the whole file by the first block's rows per byte, so
            // that appending never copies the entries into a larger vector;
            // capacity never written is never paged in.
            let rows: u64 = chunks.iter().map(|(c, _)| c.len() as u64).sum();
            let estimate = src.size_hint().saturating_mul(rows) / body_len.max(1);
            entries.reserve((estimate + estimate / 10) as usize + 1024);
            crate::model::touch_pages(&mut entries, (estimate - estimate / 50) as usize);
        }
        for (mut chunk, names) in chunks {
            if !names.is_empty() {
                let remap: Vec<RowNo> = names
                    .iter()
                    .map(|n| {
                        let next = staff.len() as RowNo;
                        let no = numbers.insert_first(n, next);
                        if no == next {
                            staff.push(Arc::from(&**n));
                        }
                        no
                    })
                    .collect();
                for e in chunk.iter_mut().filter(|e| e.staff & NEW_STAFF != 0) {
                    e.staff = remap[(e.staff & !NEW_STAFF) as usize];
                }
            }
            entries.append(&mut chunk);
        }
    }
    counts.push((src.name.clone(), entries.len()));
    (entries, staff)
}

/// Every field is read, and every problem of the row reported, before the
/// row is given up.
fn entry(
    r: &mut Row,
    refs: &EntryRefs,
    known_staff: &IdMap<RowNo>,
    chunk: &mut EntryChunk,
) -> Option<Draft> {
    let id = r.str(0, "an entry id");
    let date = r.date(1);
    let start = r.time(2, false);
    let end = r.time(3, false);
    let staff = r.str(4, "the staff member's name");
    let customer = reference(
        r,
        5,
        |s| refs.customer_no.get(s),
        refs.customers_unparsed,
        "customer",
    );
    let ticket = r.opt_str(6);
    let channel = r.opt_choice(7, CHANNELS);
    let responsibility = r.opt_choice(8, RESPONSIBILITIES);
    let activity = r.opt_choice(9, ACTIVITIES);
    let approval_id = r.opt_str(10);
    let project_id = r.opt_str(11);
    let description = r.str(12, "a description of the work");
    let mut ok = true;

    if let (Some(s), Some(e)) = (start, end) {
        if s == e {
            r.error(3, format!("end equals start {} (expected a duration above zero; an end before the start means past midnight, F1)", format_minute(s)));
            ok = false;
        }
    }
    let approval = owned_reference(
        r,
        10,
        approval_id,
        "approval",
        &refs.approval_no,
        refs.approvals_unparsed,
        (customer, refs.customer_ids),
        &mut ok,
    );
    let project = owned_reference(
        r,
        11,
        project_id,
        "project",
        &refs.project_no,
        refs.projects_unparsed,
        (customer, refs.customer_ids),
        &mut ok,
    );
    // Project work is any entry that names a project, known or not.
    let support = matches!(project_id, Ok(None));
    if support {
        // A support entry needs all three to be decided (RULES 2).
        let names = [
            (
                7,
                matches!(channel, Ok(None)),
                "phone, email, ticket, remote, onsite",
            ),
            (
                8,
                matches!(responsibility, Ok(None)),
                "ours, third_party, tampering",
            ),
            (
                9,
                matches!(activity, Ok(None)),
                "diagnosis, referral, fix, support",
            ),
        ];
        for (col, empty, choices) in names {
            if empty {
                r.error(col, format!("empty (expected one of {choices}; only an entry with a project_id may leave it empty)"));
                ok = false;
            }
        }
    }
    // A date with no valid rate for a code the entry may need (RULES 3): every
    // support entry that is not a free referral may become chargeable.
    if let (true, Some(date), Ok(Some(ch)), Ok(resp), Ok(act)) =
        (support, date, channel, responsibility, activity)
    {
        let free_referral = resp == Some(Responsibility::ThirdParty)
            && matches!(act, Some(Activity::Diagnosis | Activity::Referral));
        let travel = if ch == Channel::Onsite {
            Some("travel")
        } else {
            None
        };
        for code in std::iter::once(ch.as_str()).chain(travel) {
            // Rows are sorted by valid_from: the first says from when.
            let first = if code == "travel" {
                refs.rates_from[5]
            } else {
                refs.rates_from[ch as usize]
            };
            if !free_referral && first.is_none_or(|f| f > date) && !refs.rates_unparsed.covers(code)
            {
                let file = refs.card_file.unwrap_or("rates.csv");
                r.error(1, format!("no rate for '{code}' valid on {date} (expected a row of {file} with code {code} and valid_from on or before {date})"));
                ok = false;
            }
        }
    }
    if !ok {
        return None;
    }
    let (id, staff, description) = (id?, staff?, description?);
    let ticket = ticket.ok()?.unwrap_or("");
    let fields = EntryFields {
        date: date?,
        start: start?,
        end: end?,
        staff: chunk.staff_no(staff, known_staff),
        customer: customer?,
        approval,
        project,
        line: u32::try_from(r.line).unwrap_or(u32::MAX),
        channel: channel.ok()?,
        responsibility: responsibility.ok()?,
        activity: activity.ok()?,
    };
    let (buffer, at) = chunk.push(&[id, ticket, description]);
    Some(Draft {
        buffer,
        at,
        lens: [
            id.len() as u32,
            ticket.len() as u32,
            description.len() as u32,
        ],
        fields,
    })
}

/// An entry's optional reference to an approval or project, which must
/// exist and belong to the entry's customer; `ok` turns false on any
/// problem (reported here unless the row it names failed itself).
#[allow(clippy::too_many_arguments)]
fn owned_reference(
    r: &mut Row,
    col: usize,
    id: table::Field<&str>,
    what: &str,
    numbers: &IdMap<(RowNo, RowNo)>,
    unparsed: &Unparsed,
    (customer, customer_ids): (Option<RowNo>, &[CustomerId]),
    ok: &mut bool,
) -> Option<RowNo> {
    let id = match id {
        Ok(Some(id)) => id,
        Ok(None) => return None,
        Err(()) => {
            *ok = false;
            return None;
        }
    };
    match numbers.get(id) {
        Some((_, owner)) if customer.is_some_and(|c| c != owner) => {
            let c = customer.map_or("", |c| customer_ids[c as usize].as_str());
            let owner = &customer_ids[owner as usize];
            r.error(col, format!("{what} '{id}' belongs to customer '{owner}', not '{c}' (expected {} {what} of the entry's customer)", if what == "approval" { "an" } else { "a" }));
            *ok = false;
            None
        }
        Some((no, _)) => Some(no),
        None => {
            if !unparsed.covers(id) {
                r.error(
                    col,
                    format!("unknown {what} '{id}' (expected the id of a row in {what}s.csv)"),
                );
            }
            *ok = false;
            None
        }
    }
}

/// Marks a chunk's own staff number, until it is made global.
const NEW_STAFF: RowNo = 1 << 31;

impl EntryChunk {
    /// The global number of a known name, else one of the chunk's own.
    fn staff_no(&mut self, name: &str, known: &IdMap<RowNo>) -> RowNo {
        if let (last, Some(no)) = &self.last_staff {
            if last == name {
                return *no;
            }
        }
        let no = match known.get(name) {
            Some(no) => no,
            None => {
                let next = self.staff_names.len() as RowNo;
                let no = self.staff.insert_first(name, next);
                if no == next {
                    self.staff_names.push(Box::from(name));
                }
                no | NEW_STAFF
            }
        };
        self.last_staff.0.clear();
        self.last_staff.0.push_str(name);
        self.last_staff.1 = Some(no);
        no
    }
    /// Appends the texts; returns the buffer and where they start in it.
    fn push(&mut self, texts: &[&str]) -> (u32, u32) {
        let len: usize = texts.iter().map(|t| t.len()).sum();
        if self.text.len() + len > u32::MAX as usize {
            self.full.push(std::mem::take(&mut self.text));
        }
        let at = self.text.len() as u32;
        for t in texts {
            self.text.push_str(t);
        }
        (self.full.len() as u32, at)
    }
}

/// Overlapping entries of one staff member are warnings (RULES 3): each
/// entry, in (date, start, entry_id) order per staff member, against the
/// one of the same person that ends last so far.
fn staff_overlaps(entries: &[Entry], staff: &[Arc<str>], file: &str, diags: &mut Vec<Diagnostic>) {
    let report = |i: usize, (j, j_end): (usize, i64)| {
        let (e, o) = (&entries[i], &entries[j]);
        Diagnostic::warning(
            file,
            u64::from(e.line),
            "start",
            format!(
                "entry '{}' of {} starts at {} {} while entry '{}' (line {}) runs until {} (expected no overlapping work of one staff member)",
                e.id(), staff[e.staff as usize], e.date, format_minute(e.start), o.id(), o.line, format_minute(((j_end % 1440) as u16).min(1439))
            ),
        )
    };
    // A time log that lists each person's work in time order (by date, or
    // by person and date, as exports do) is checked as it stands, in one
    // pass; any other order is sorted first.
    if let Some(found) = overlaps_in_file_order(entries, staff.len(), &report) {
        diags.extend(found);
        return;
    }
    // (staff, absolute start minute) packed in one integer, so the sort and
    // the scan compare integers; ids only break ties. The minutes ride
    // along (in what would be padding), so the scan reads the sorted list
    // only and touches an entry just to report it.
    let order: Vec<(u64, u32, u32)> = entries
        .par_iter()
        .enumerate()
        .map(|(i, e)| {
            (
                (u64::from(e.staff) << 40) | e.start_minute(),
                i as u32,
                e.minutes(),
            )
        })
        .collect();
    // By staff member by counting (in file order), then each one's entries
    // by start, the few runs of one key (a staff member's two entries
    // starting at the same minute) in id order, and scanned: one staff
    // member per task.
    let (mut order, starts) =
        crate::order::by_bucket(&order, staff.len(), |o| (o.0 >> 40) as usize);
    const MINUTES: u64 = (1 << 40) - 1;
    let found: Vec<Vec<Diagnostic>> = crate::order::buckets_mut(&mut order, &starts)
        .into_par_iter()
        .map(|one| {
            one.sort_unstable();
            for run in one
                .chunk_by_mut(|a, b| a.0 == b.0)
                .filter(|run| run.len() > 1)
            {
                run.sort_unstable_by(|a, b| {
                    entries[a.1 as usize].id().cmp(entries[b.1 as usize].id())
                });
            }
            let mut latest = Latest::default();
            one.iter()
                .filter_map(|&(key, i, minutes)| {
                    let start = (key & MINUTES) as i64;
                    latest.next(i as usize, start, start + i64::from(minutes))
                })
                .map(|hit| report(hit.0, hit.1))
                .collect()
        })
        .collect();
    diags.extend(found.into_iter().flatten());
}

/// The scan of one staff member's entries in order: the entry that runs
/// until the latest end so far.
#[derive(Default)]
struct Latest(Option<(usize, i64)>);

impl Latest {
    /// Entry `i` next: the entry it overlaps (and that one's end), if any.
    fn next(&mut self, i: usize, start: i64, end: i64) -> Option<(usize, (usize, i64))> {
        match self.0 {
            Some((j, j_end)) => {
                if end > j_end {
                    self.0 = Some((i, end));
                }
                (start < j_end).then_some((i, (j, j_end)))
            }
            None => {
                self.0 = Some((i, end));
                None
            }
        }
    }
}

/// `staff_overlaps` in file order, if each staff member's entries are in
/// (date, start, entry_id) order there; `None` at the first that is not.
fn overlaps_in_file_order(
    entries: &[Entry],
    staff: usize,
    report: &impl Fn(usize, (usize, i64)) -> Diagnostic,
) -> Option<Vec<Diagnostic>> {
    let mut before: Vec<Option<(i64, usize)>> = vec![None; staff];
    let mut latest: Vec<Latest> = (0..staff).map(|_| Latest::default()).collect();
    let mut found = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let (s, start) = (e.staff as usize, e.start_minute() as i64);
        if let Some((b, j)) = before[s] {
            if start < b || (start == b && e.id() <= entries[j].id()) {
                return None;
            }
        }
        before[s] = Some((start, i));
        if let Some(hit) = latest[s].next(i, start, start + i64::from(e.minutes())) {
            found.push(report(hit.0, hit.1));
        }
    }
    Some(found)
}

fn rate_card(
    rates: &Source,
    surcharges: &Source,
    holidays: &Source,
    diags: &mut Vec<Diagnostic>,
    counts: &mut Vec<(String, usize)>,
) -> (RateCard, Unparsed) {
    let mut card = RateCard::default();
    let (rows, unparsed) = parse_keyed(rates, RATES, diags, counts, |r: &Rate| &r.code, rate);
    for r in rows {
        card.rates.entry(r.code.clone()).or_default().push(r);
    }
    for list in card.rates.values_mut() {
        list.sort_by_key(|r| (r.valid_from, r.line));
        for w in list.windows(2) {
            if w[0].valid_from == w[1].valid_from {
                diags.push(Diagnostic::error(&rates.name, w[1].line, "valid_from", format!(
                    "second row for code '{}' valid from {} (expected one row per code and valid_from; the other is line {})",
                    w[1].code, w[1].valid_from, w[0].line)));
            }
        }
    }
    for s in parse_csv(surcharges, SURCHARGES, diags, counts, surcharge) {
        card.surcharges.entry(s.code.clone()).or_default().push(s);
    }
    for list in card.surcharges.values_mut() {
        list.sort_by_key(|s| (s.valid_from, s.line));
        for w in list.windows(2) {
            if w[0].valid_from == w[1].valid_from {
                diags.push(Diagnostic::error(&surcharges.name, w[1].line, "valid_from", format!(
                    "second row for code '{}' valid from {} (expected one row per code and valid_from; the other is line {})",
                    w[1].code, w[1].valid_from, w[0].line)));
            }
        }
    }
    for h in parse_csv(holidays, HOLIDAYS, diags, counts, holiday) {
        if let Some(first) = card.holidays.get(&h.date) {
            diags.push(Diagnostic::error(
                &holidays.name,
                h.line,
                "date",
                format!(
                    "{} is listed twice (expected each date once; first on line {})",
                    h.date, first.line
                ),
            ));
        } else {
            card.holidays.insert(h.date, h);
        }
    }
    (card, unparsed)
}

fn rate(r: &mut Row) -> Option<Rate> {
    let code = r.str(
        0,
        "a rate code: phone, email, ticket, remote, onsite or travel",
    );
    let description = r.str(1, "a description of the rate");
    let unit = r.choice(2, UNITS);
    let price = r.money(3);
    let inc = r.uint(4, "whole minutes");
    let min = r.uint(5, "whole minutes");
    let from = r.date(6);
    let (code, unit) = (code?, unit?);
    let is_support = CHANNELS.iter().any(|(n, _)| *n == code);
    if is_support && unit != Unit::Hour {
        r.error(
            2,
            format!(
                "'{}' for support code '{code}' (expected hour)",
                unit.as_str()
            ),
        );
        return None;
    }
    if code == "travel" && unit != Unit::Visit {
        r.error(
            2,
            format!(
                "'{}' for code 'travel' (expected visit: the flat call-out fee)",
                unit.as_str()
            ),
        );
        return None;
    }
    if unit == Unit::Hour && inc.is_some_and(|i| i < 1) {
        r.error(
            4,
            "'0' minutes for an hourly rate (expected an increment of at least 1 minute)",
        );
        return None;
    }
    Some(Rate {
        code: Arc::from(code),
        description: description?.to_string(),
        unit,
        price: price?,
        increment_minutes: inc?,
        minimum_minutes: min?,
        valid_from: from?,
        line: r.line,
    })
}

fn surcharge(r: &mut Row) -> Option<Surcharge> {
    let code = r.str(0, "a surcharge code");
    let description = r.str(1, "a description of the surcharge");
    let days = match r.str(
        2,
        "a ;-separated list of mon, tue, wed, thu, fri, sat, sun, holiday",
    ) {
        Some(list) => {
            let mut set = DaySet::default();
            let mut ok = true;
            for item in list.split(';') {
                match table::choice(item, DAYS) {
                    Ok(d) => set.insert(d),
                    Err(m) => {
                        r.error(2, m);
                        ok = false;
                    }
                }
            }
            ok.then_some(set)
        }
        None => None,
    };
    let from = r.time(3, false);
    let to = r.time(4, true);
    let percent = r.percent(5, None);
    let valid_from = r.date(6);
    Some(Surcharge {
        code: Arc::from(code?),
        description: description?.to_string(),
        days: days?,
        from: from?,
        to: to?,
        percent: percent?,
        valid_from: valid_from?,
        line: r.line,
    })
}

fn holiday(r: &mut Row) -> Option<Holiday> {
    let date = r.date(0);
    let name = r.str(1, "the holiday's name");
    Some(Holiday {
        date: date?,
        name: name?.to_string(),
        line: r.line,
    })
}

pub const COMPANY_KEYS: &[&str] = &[
    "name",
    "street",
    "postcode",
    "city",
    "country",
    "vat_id",
    "tax_number",
    "email",
    "phone",
    "register",
    "managing_director",
    "bank",
    "iban",
    "bic",
    "vat_rate",
    "currency",
    "invoice_number_format",
    "payment_days",
    "rates",
    // Optional: the separate number range of cancellations (RULES 6).
    "cancellation_number_format",
    // Optional: the registered seat (§ 35a GmbHG), when it is not `city`.
    "seat",
    // Optional: reminders and dunning letters (RULES 13).
    "dunning_number_format",
    "reminder_after_days",
    "dunning_interval_days",
    "reminder_pay_days",
    // Optional: days a cost notice or offer stands (RULES 11, E3), default 14.
    "estimate_valid_days",
    // Optional: the language of the review page, `de` (default) or `en`.
    "language",
    // Optional; consultant and client are needed by the DATEV export (RULES 14 X1).
    "datev_consultant",
    "datev_client",
    "datev_fiscal_year_start",
    "datev_account_length",
    "datev_chart",
    "datev_bank_account",
];

/// How long a cost notice or offer stands when `company.toml` does not say.
pub const DEFAULT_ESTIMATE_VALID_DAYS: u32 = 14;

/// The cancellation range when `company.toml` names none.
pub const DEFAULT_CANCELLATION_FORMAT: &str = "ST-{year}-{seq:05}";

/// `company.toml`: flat keys, all required. Numbers are read from their
/// source text so that no floating point touches the VAT rate.
fn company(src: &Source, diags: &mut Vec<Diagnostic>) -> Option<Company> {
    let file = src.name.as_str();
    let Some(bytes) = &src.bytes else {
        diags.push(Diagnostic::error(
            file,
            1,
            "file",
            format!(
                "not found at {} (expected the seller's company.toml)",
                src.path.display()
            ),
        ));
        return None;
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.strip_prefix('\u{feff}').unwrap_or(t),
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            diags.push(Diagnostic::error(
                file,
                line,
                "file",
                "not valid UTF-8 (expected a UTF-8 text file)",
            ));
            return None;
        }
    };
    let table: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(e) => {
            let line = e
                .span()
                .map_or(1, |s| 1 + text[..s.start].matches('\n').count() as u64);
            let msg = e.message().trim().replace('\n', " ");
            // The key of the broken line, if it has one, is the column.
            let key = text
                .lines()
                .nth(line as usize - 1)
                .and_then(|l| l.split_once('='))
                .map(|(k, _)| k.trim())
                .filter(|k| {
                    !k.is_empty()
                        && k.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                })
                .unwrap_or("file");
            diags.push(Diagnostic::error(
                file,
                line,
                key,
                format!(
                    "not valid TOML: {msg} (expected lines such as key = \"text\" or key = 19)"
                ),
            ));
            return None;
        }
    };
    let line_of = |key: &str| -> u64 {
        text.lines()
            .position(|l| {
                let l = l.trim_start();
                l.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
                    || l.trim_end() == format!("[{key}]")
            })
            .map_or(1, |i| i as u64 + 1)
    };
    let raw_value = |key: &str| -> Option<String> {
        let l = text.lines().nth(line_of(key) as usize - 1)?;
        let v = l.split_once('=')?.1;
        let v = v.split('#').next()?.trim().trim_matches('"');
        Some(v.to_string())
    };
    let before = diags.len();
    for key in table.keys() {
        if !COMPANY_KEYS.contains(&key.as_str()) {
            let hint = table::suggest(key, COMPANY_KEYS)
                .map(|s| format!("; did you mean '{s}'?"))
                .unwrap_or_default();
            diags.push(Diagnostic::error(
                file,
                line_of(key),
                key,
                format!(
                    "unknown key (expected only: {}{hint})",
                    COMPANY_KEYS.join(", ")
                ),
            ));
        }
    }
    let string = |key: &str, diags: &mut Vec<Diagnostic>| -> Option<String> {
        match table.get(key) {
            None => {
                diags.push(Diagnostic::whole_file(
                    file,
                    key,
                    format!("missing key (expected a line {key} = \"...\")"),
                ));
                None
            }
            Some(toml::Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(_) => {
                diags.push(Diagnostic::error(
                    file,
                    line_of(key),
                    key,
                    format!("not a non-empty string (expected {key} = \"...\")"),
                ));
                None
            }
        }
    };
    let mut get = |key: &str| string(key, diags);
    let name = get("name");
    let street = get("street");
    let postcode = get("postcode");
    let city = get("city");
    let country = get("country");
    let vat_id = get("vat_id");
    let tax_number = get("tax_number");
    let email = get("email");
    let phone = get("phone");
    let register = get("register");
    let managing_director = get("managing_director");
    let bank = get("bank");
    let iban = get("iban");
    let bic = get("bic");
    let currency = get("currency");
    let format = get("invoice_number_format");
    let rates = get("rates");
    let mut number =
        |key: &str, check: &dyn Fn(&Decimal) -> bool, expected: &str| -> Option<Decimal> {
            match table.get(key) {
                None => {
                    diags.push(Diagnostic::whole_file(
                        file,
                        key,
                        format!("missing key (expected a line {key} = ..., {expected})"),
                    ));
                    None
                }
                Some(toml::Value::Integer(_) | toml::Value::Float(_)) => {
                    let raw = raw_value(key).unwrap_or_default();
                    match table::parse_decimal(&raw).filter(|d| check(d)) {
                        Some(d) => Some(d),
                        None => {
                            diags.push(Diagnostic::error(
                                file,
                                line_of(key),
                                key,
                                format!("'{raw}' is out of range (expected {expected})"),
                            ));
                            None
                        }
                    }
                }
                Some(_) => {
                    diags.push(Diagnostic::error(
                        file,
                        line_of(key),
                        key,
                        format!("not a number (expected {expected})"),
                    ));
                    None
                }
            }
        };
    let vat_rate = number(
        "vat_rate",
        &|d| !d.is_sign_negative() && *d <= Decimal::from(100),
        "a percentage such as 19",
    );
    let payment_days = number(
        "payment_days",
        &|d| d.fract().is_zero() && !d.is_sign_negative() && *d <= Decimal::from(365),
        "a whole number of days such as 14",
    );
    if let Some(c) = &currency {
        if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
            diags.push(Diagnostic::error(
                file,
                line_of("currency"),
                "currency",
                format!("'{c}' is not a currency code (expected ISO 4217, e.g. EUR)"),
            ));
        }
    }
    let cancellation = match table.get("cancellation_number_format") {
        None => Some(DEFAULT_CANCELLATION_FORMAT.to_string()),
        Some(toml::Value::String(c)) if number_format_problem(c).is_some() => {
            let problem = number_format_problem(c).unwrap_or_default();
            diags.push(Diagnostic::error(
                file,
                line_of("cancellation_number_format"),
                "cancellation_number_format",
                format!("{problem} (expected a pattern such as ST-{{year}}-{{seq:05}}: one file name, different from invoice_number_format)"),
            ));
            None
        }
        Some(toml::Value::String(c)) if Some(c) != format.as_ref() => Some(c.clone()),
        Some(_) => {
            diags.push(Diagnostic::error(
                file,
                line_of("cancellation_number_format"),
                "cancellation_number_format",
                "not a number pattern of its own (expected e.g. \"ST-{year}-{seq:05}\", different from invoice_number_format)",
            ));
            None
        }
    };
    let seat = match table.get("seat") {
        None => city.clone(),
        Some(toml::Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(_) => {
            diags.push(Diagnostic::error(
                file,
                line_of("seat"),
                "seat",
                "not a non-empty string (expected seat = \"...\", the town of the registered seat)",
            ));
            None
        }
    };
    let dunning = dunning_terms(
        &table,
        format.as_deref(),
        cancellation.as_deref(),
        &line_of,
        file,
        diags,
    );
    let language = match table.get("language") {
        None => Some(Language::De),
        Some(toml::Value::String(l)) if LANGUAGES.iter().any(|(k, _)| k == l) => {
            LANGUAGES.iter().find(|(k, _)| k == l).map(|(_, v)| *v)
        }
        Some(v) => {
            let shown = v.as_str().map_or(v.to_string(), str::to_string);
            diags.push(Diagnostic::error(
                file,
                line_of("language"),
                "language",
                format!("unknown value '{shown}' (expected one of de, en: the language of the review page)"),
            ));
            None
        }
    };
    let estimate_valid_days = match table.get("estimate_valid_days") {
        None => Some(DEFAULT_ESTIMATE_VALID_DAYS),
        Some(toml::Value::Integer(n)) if (1..=365).contains(n) => Some(*n as u32),
        Some(_) => {
            let raw = raw_value("estimate_valid_days").unwrap_or_default();
            diags.push(Diagnostic::error(
                file,
                line_of("estimate_valid_days"),
                "estimate_valid_days",
                format!("'{raw}' is not a number of days (expected a whole number from 1 to 365, e.g. 14)"),
            ));
            None
        }
    };
    if let Some(problem) = format.as_deref().and_then(number_format_problem) {
        diags.push(Diagnostic::error(
            file,
            line_of("invoice_number_format"),
            "invoice_number_format",
            format!("{problem} (expected a pattern such as RE-{{year}}-{{seq:05}}: one file name)"),
        ));
    }
    let datev = datev_keys(&table, file, &line_of, diags);
    if diags.len() > before {
        return None;
    }
    Some(Company {
        name: name?,
        street: street?,
        postcode: postcode?,
        city: city?,
        country: country?,
        vat_id: vat_id?,
        tax_number: tax_number?,
        email: email?,
        phone: phone?,
        register: register?,
        seat: seat?,
        managing_director: managing_director?,
        bank: bank?,
        iban: iban?,
        bic: bic?,
        vat_rate: vat_rate?,
        currency: currency?,
        invoice_number_format: format?,
        cancellation_number_format: cancellation?,
        payment_days: u32::try_from(payment_days?.trunc().mantissa()).ok()?,
        estimate_valid_days: estimate_valid_days?,
        rates: rates?,
        language: language?,
        datev: datev?,
        dunning: dunning?,
    })
}

/// The optional `datev_*` keys of `company.toml`: a given key must be
/// right; a missing one is an error only for the DATEV export (which checks
/// consultant and client itself).
fn datev_keys(
    table: &toml::Table,
    file: &str,
    line_of: &dyn Fn(&str) -> u64,
    diags: &mut Vec<Diagnostic>,
) -> Option<DatevKeys> {
    let before = diags.len();
    let mut keys = DatevKeys::default();
    let bad = |key: &'static str, expected: &str, diags: &mut Vec<Diagnostic>| {
        diags.push(Diagnostic::error(
            file,
            line_of(key),
            key,
            format!("not {expected}"),
        ))
    };
    let int = |key: &'static str,
               range: std::ops::RangeInclusive<i64>,
               expected: &str,
               diags: &mut Vec<Diagnostic>|
     -> Option<u32> {
        match table.get(key)? {
            toml::Value::Integer(n) if range.contains(n) => u32::try_from(*n).ok(),
            _ => {
                diags.push(Diagnostic::error(
                    file,
                    line_of(key),
                    key,
                    format!("not {expected}"),
                ));
                None
            }
        }
    };
    keys.consultant = int(
        "datev_consultant",
        1001..=9_999_999,
        "a DATEV consultant number (expected a whole number 1001..9999999, the Beraternummer)",
        diags,
    );
    keys.client = int(
        "datev_client",
        1..=99_999,
        "a DATEV client number (expected a whole number 1..99999, the Mandantennummer)",
        diags,
    );
    if let Some(n) = int(
        "datev_account_length",
        4..=8,
        "a G/L account length (expected a whole number 4..8, the Sachkontenlänge; SKR03/SKR04 use 4)",
        diags,
    ) {
        keys.account_length = n;
    }
    keys.bank_account = int(
        "datev_bank_account",
        1..=99_999_999,
        "a G/L account (expected the bank's account number, e.g. 1200 in SKR03, 1800 in SKR04)",
        diags,
    );
    match table.get("datev_chart") {
        None => {}
        Some(toml::Value::String(c)) if c == "SKR03" => keys.chart = Chart::Skr03,
        Some(toml::Value::String(c)) if c == "SKR04" => keys.chart = Chart::Skr04,
        Some(_) => bad(
            "datev_chart",
            "a chart of accounts (expected \"SKR03\" or \"SKR04\")",
            diags,
        ),
    }
    match table.get("datev_fiscal_year_start") {
        None => {}
        Some(toml::Value::String(s)) if month_day(s).is_some() => {
            keys.fiscal_year_start = month_day(s)?;
        }
        Some(_) => bad(
            "datev_fiscal_year_start",
            "a first day of the fiscal year (expected \"MM-DD\", e.g. \"01-01\" or \"07-01\"; not 02-29)",
            diags,
        ),
    }
    for key in [
        "datev_consultant",
        "datev_client",
        "datev_fiscal_year_start",
        "datev_account_length",
        "datev_chart",
        "datev_bank_account",
    ] {
        if table.contains_key(key) {
            keys.lines.insert(key, line_of(key));
        }
    }
    (diags.len() == before).then_some(keys)
}

/// `MM-DD` of a day every year has (so not 02-29).
fn month_day(s: &str) -> Option<(u32, u32)> {
    let (m, d) = s.split_once('-')?;
    if m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (m, d) = (m.parse().ok()?, d.parse().ok()?);
    NaiveDate::from_ymd_opt(2026, m, d).map(|_| (m, d))
}

/// The optional dunning keys of `company.toml` (RULES 13), each with its
/// default; a wrong value is an error naming the key.
fn dunning_terms(
    table: &toml::Table,
    invoice_format: Option<&str>,
    cancellation_format: Option<&str>,
    line_of: &dyn Fn(&str) -> u64,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<DunningTerms> {
    let mut terms = DunningTerms::default();
    let mut ok = true;
    match table.get("dunning_number_format") {
        None => {}
        Some(toml::Value::String(f)) if number_format_problem(f).is_some() => {
            let problem = number_format_problem(f).unwrap_or_default();
            diags.push(Diagnostic::error(
                file,
                line_of("dunning_number_format"),
                "dunning_number_format",
                format!(
                    "{problem} (expected a pattern such as MA-{{year}}-{{seq:05}}: one file name)"
                ),
            ));
            ok = false;
        }
        Some(toml::Value::String(f))
            if Some(f.as_str()) != invoice_format && Some(f.as_str()) != cancellation_format =>
        {
            terms.number_format = f.clone();
        }
        Some(_) => {
            diags.push(Diagnostic::error(
                file,
                line_of("dunning_number_format"),
                "dunning_number_format",
                "not a number pattern of its own (expected e.g. \"MA-{year}-{seq:05}\", different from the invoice and cancellation formats)",
            ));
            ok = false;
        }
    }
    for (key, slot, min) in [
        ("reminder_after_days", &mut terms.reminder_after_days, 0),
        ("dunning_interval_days", &mut terms.interval_days, 1),
        ("reminder_pay_days", &mut terms.pay_days, 1),
    ] {
        match table.get(key) {
            None => {}
            Some(toml::Value::Integer(n)) if (min..=365).contains(n) => *slot = *n as u32,
            Some(_) => {
                diags.push(Diagnostic::error(
                    file,
                    line_of(key),
                    key,
                    format!(
                        "not a whole number of days from {min} to 365 (expected e.g. {key} = {})",
                        *slot
                    ),
                ));
                ok = false;
            }
        }
    }
    ok.then_some(terms)
}

pub const BASE_RATES: &[&str] = &["valid_from", "percent"];

/// `base_rates.csv` of the rate card (RULES 13, D2): the Bundesbank's base
/// rate per half year, each row in force from `valid_from` (1 January or
/// 1 July, § 247 BGB) to the end of that half year. Sorted by date.
pub fn base_rates(src: &Source) -> (Vec<BaseRate>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut counts = Vec::new();
    let mut rows = parse_csv(src, BASE_RATES, &mut diags, &mut counts, |r| {
        let valid_from = r.date(0)?;
        if !(valid_from.day() == 1 && (valid_from.month() == 1 || valid_from.month() == 7)) {
            r.error(0, format!("{valid_from} is not the start of a half year (expected a date YYYY-01-01 or YYYY-07-01: the base rate changes only then, § 247 BGB)"));
            return None;
        }
        let raw = r.str(1, "the base rate in percent, e.g. 1.27 or -0.88")?;
        let Some(percent) = table::parse_decimal(raw).filter(|p| p.abs() < Decimal::from(100))
        else {
            r.error(
                1,
                format!("'{raw}' is not a percentage (expected e.g. 1.27 or -0.88)"),
            );
            return None;
        };
        Some(BaseRate {
            valid_from,
            percent,
            line: r.line,
        })
    });
    rows.sort_by_key(|r| (r.valid_from, r.line));
    for w in rows.windows(2) {
        if w[0].valid_from == w[1].valid_from {
            diags.push(Diagnostic::error(
                &src.name,
                w[1].line,
                "valid_from",
                format!(
                "second row valid from {} (expected one row per half year; the other is line {})",
                w[1].valid_from, w[0].line),
            ));
        }
    }
    rows.dedup_by_key(|r| r.valid_from);
    (rows, diags)
}

/// What makes a number pattern unusable, if anything. An invoice's number
/// is its file name (`RE-2026-00042.pdf`), so the pattern must give one
/// file name inside the output folder: no path separator, no `..`, no
/// control character; and it must count (`{seq}`, or `{seq:05}` for five
/// digits). `{year}` is the only other placeholder.
pub fn number_format_problem(f: &str) -> Option<String> {
    if f.contains("..") {
        return Some(format!("'{f}' has '..', a step out of the output folder"));
    }
    if let Some(c) = f.chars().find(|c| *c == '/' || *c == '\\') {
        return Some(format!("'{f}' has the path separator '{c}'"));
    }
    if let Some(c) = f.chars().find(|c| c.is_control()) {
        return Some(format!(
            "'{}' has the control character U+{:04X}",
            f.escape_debug(),
            c as u32
        ));
    }
    let mut rest = f;
    let mut seq = false;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            return Some(format!("'{f}' has a '{{' without its '}}'"));
        };
        let name = &rest[open + 1..open + len];
        let width = name.strip_prefix("seq:");
        if name == "seq"
            || width.is_some_and(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()))
        {
            seq = true;
        } else if name != "year" {
            return Some(format!(
                "'{f}' has the unknown placeholder {{{name}}} (known: {{year}}, {{seq}}, {{seq:05}})"
            ));
        }
        rest = &rest[open + len + 1..];
    }
    if !seq {
        return Some(format!("'{f}' has no {{seq}}"));
    }
    None
}

/// The minutes of a calendar month, for tests and reports.
pub fn days_in_month(d: NaiveDate) -> u32 {
    let (y, m) = (d.year(), d.month());
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).map_or(30, |l| l.day())
}
