//! Raw input bytes -> a typed, cross-checked `Dataset` plus every diagnostic
//! (SPEC 3). Nothing here stops at the first problem: every file is read,
//! every row checked, and all problems are returned together. Pure.

use crate::diagnostic::{self, Diagnostic};
use crate::load::{RawInputs, Source};
use crate::model::*;
use crate::table::{self, Row, Table};
use chrono::{Datelike, NaiveDate, Weekday};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
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
];
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

const CHANNELS: &[(&str, Channel)] = &[
    ("phone", Channel::Phone),
    ("email", Channel::Email),
    ("ticket", Channel::Ticket),
    ("remote", Channel::Remote),
    ("onsite", Channel::Onsite),
];
const RESPONSIBILITIES: &[(&str, Responsibility)] = &[
    ("ours", Responsibility::Ours),
    ("third_party", Responsibility::ThirdParty),
    ("tampering", Responsibility::Tampering),
];
const ACTIVITIES: &[(&str, Activity)] = &[
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
    let mut diags = Vec::new();
    let mut counts = Vec::new();
    let company = company(&raw.company, &mut diags);

    let card = match &raw.rate_card {
        Some(rc) => rate_card(
            &rc.rates,
            &rc.surcharges,
            &rc.holidays,
            &mut diags,
            &mut counts,
        ),
        None => RateCard::default(),
    };

    let customers = parse_csv(&raw.customers, CUSTOMERS, &mut diags, &mut counts, customer);
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

    let contracts = parse_csv(&raw.contracts, CONTRACTS, &mut diags, &mut counts, |r| {
        contract(r, &customer_ids)
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

    let approvals = parse_csv(&raw.approvals, APPROVALS, &mut diags, &mut counts, |r| {
        approval(r, &customer_ids)
    });
    let approvals = unique(
        approvals,
        &raw.approvals.name,
        "approval_id",
        |a: &Approval| a.id.as_str(),
        |a| a.line,
        &mut diags,
    );
    let approvals: HashMap<ApprovalId, Approval> =
        approvals.into_iter().map(|a| (a.id.clone(), a)).collect();

    let projects = parse_csv(&raw.projects, PROJECTS, &mut diags, &mut counts, |r| {
        project(r, &customer_ids)
    });
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

    let acceptances = parse_csv(
        &raw.acceptances,
        ACCEPTANCES,
        &mut diags,
        &mut counts,
        |r| acceptance(r, &projects),
    );

    let refs = EntryRefs {
        customers: &customer_ids,
        approvals: &approvals,
        projects: &projects,
        card: &card,
        card_file: raw.rate_card.as_ref().map(|rc| rc.rates.name.as_str()),
    };
    let entries = parse_csv(&raw.timelog, TIMELOG, &mut diags, &mut counts, |r| {
        entry(r, &refs)
    });
    let entries = unique(
        entries,
        &raw.timelog.name,
        "entry_id",
        |e: &Entry| e.id.as_str(),
        |e| e.line,
        &mut diags,
    );
    staff_overlaps(&entries, &raw.timelog.name, &mut diags);

    diagnostic::sort(&mut diags);
    let has_errors = diags.iter().any(Diagnostic::is_error);
    let dataset = match (has_errors, company) {
        (false, Some(company)) => Some(Dataset {
            company,
            customers,
            contracts,
            approvals,
            projects,
            acceptances,
            entries,
            rate_card: card,
        }),
        _ => None,
    };
    Validated {
        dataset,
        diagnostics: diags,
        counts,
    }
}

fn parse_csv<T: Send>(
    src: &Source,
    columns: &'static [&'static str],
    diags: &mut Vec<Diagnostic>,
    counts: &mut Vec<(String, usize)>,
    parse: impl Fn(&mut Row) -> Option<T> + Sync,
) -> Vec<T> {
    let Some(bytes) = &src.bytes else {
        diags.push(Diagnostic::error(
            &src.name,
            1,
            "file",
            format!(
                "not found at {} (expected a CSV file with the header: {})",
                src.path.display(),
                columns.join(", ")
            ),
        ));
        return Vec::new();
    };
    let Some(table) = Table::open(&src.name, bytes, columns, diags) else {
        return Vec::new();
    };
    let (rows, d) = table.rows(parse);
    diags.extend(d);
    counts.push((src.name.clone(), rows.len()));
    rows
}

/// Keeps the first row of each id; later ones are reported as duplicates.
fn unique<T>(
    rows: Vec<T>,
    file: &str,
    column: &str,
    id: impl Fn(&T) -> &str,
    line: impl Fn(&T) -> u64,
    diags: &mut Vec<Diagnostic>,
) -> Vec<T> {
    let mut first: HashMap<&str, u64> = HashMap::with_capacity(rows.len());
    let mut dup = vec![false; rows.len()];
    for (i, r) in rows.iter().enumerate() {
        if let Some(l) = first.get(id(r)) {
            diags.push(Diagnostic::error(
                file,
                line(r),
                column,
                format!(
                    "duplicate id '{}' (expected each id once; first on line {l})",
                    id(r)
                ),
            ));
            dup[i] = true;
        } else {
            first.insert(id(r), line(r));
        }
    }
    drop(first);
    rows.into_iter()
        .zip(dup)
        .filter(|(_, d)| !d)
        .map(|(r, _)| r)
        .collect()
}

fn reference<'m, K>(
    row: &mut Row,
    col: usize,
    ids: &'m HashMap<&str, &K>,
    what: &str,
) -> Option<&'m K> {
    let s = row.str(col, &format!("a {what} id"))?;
    match ids.get(s) {
        Some(k) => Some(*k),
        None => {
            row.error(
                col,
                format!("unknown {what} '{s}' (expected the id of a row in {what}s.csv)"),
            );
            None
        }
    }
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
    let vat_id = r.opt_str(6).ok()?;
    let email = r.opt_str(7).ok()?;
    let language = r.choice(8, LANGUAGES);
    let country = country.filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))?;
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
        line: r.line,
    })
}

fn contract(r: &mut Row, customers: &HashMap<&str, &CustomerId>) -> Option<Contract> {
    let id = r.str(0, "a contract id");
    let customer = reference(r, 1, customers, "customer").cloned();
    let tier = r.str(2, "the contract's tier, e.g. Basis");
    let start = r.date(3);
    let end = r.opt_date(4).ok()?;
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
    let included = r.opt_hours_as_minutes(7).ok()?;
    let discount = r.percent(8, Some(100));
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

/// Two contracts of one customer active on the same day are an error (SPEC 3).
fn contract_overlaps(contracts: &[Contract], file: &str, diags: &mut Vec<Diagnostic>) {
    for pair in contracts.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.customer == b.customer && a.end.is_none_or(|e| e >= b.start) {
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

fn approval(r: &mut Row, customers: &HashMap<&str, &CustomerId>) -> Option<Approval> {
    let id = r.str(0, "an approval id");
    let customer = reference(r, 1, customers, "customer").cloned();
    let kind = r.choice(2, KINDS);
    let granted = r.date(3);
    let until = r.opt_date(4).ok()?;
    let ticket = r.opt_str(5).ok()?;
    let max = r.opt_hours_as_minutes(6).ok()?;
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

fn project(r: &mut Row, customers: &HashMap<&str, &CustomerId>) -> Option<Project> {
    let id = r.str(0, "a project id");
    let customer = reference(r, 1, customers, "customer").cloned();
    let title = r.str(2, "the project's title");
    let fee = r.money(3);
    let concept = r.opt_date(4).ok()?;
    let solution = r.opt_date(5).ok()?;
    let approved = r.opt_date(6).ok()?;
    let due = r.opt_date(7).ok()?;
    Some(Project {
        id: ProjectId::new(id?),
        customer: customer?,
        title: title?.to_string(),
        fee: fee?,
        concept_on: concept,
        solution_on: solution,
        approved_on: approved,
        due_on: due,
        line: r.line,
    })
}

fn acceptance(r: &mut Row, projects: &BTreeMap<ProjectId, Project>) -> Option<Acceptance> {
    let pid = r.str(0, "a project id");
    let project = match pid {
        Some(p) => match projects.get_key_value(p) {
            Some((k, _)) => Some(k.clone()),
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
    customers: &'a HashMap<&'a str, &'a CustomerId>,
    approvals: &'a HashMap<ApprovalId, Approval>,
    projects: &'a BTreeMap<ProjectId, Project>,
    card: &'a RateCard,
    card_file: Option<&'a str>,
}

fn entry(r: &mut Row, refs: &EntryRefs) -> Option<Entry> {
    let id = r.str(0, "an entry id");
    let date = r.date(1);
    let start = r.time(2, false);
    let end = r.time(3, false);
    let staff = r.str(4, "the staff member's name");
    let customer = reference(r, 5, refs.customers, "customer").cloned();
    let ticket = r.opt_str(6).ok()?;
    let channel = r.opt_choice(7, CHANNELS).ok()?;
    let responsibility = r.opt_choice(8, RESPONSIBILITIES).ok()?;
    let activity = r.opt_choice(9, ACTIVITIES).ok()?;
    let approval_id = r.opt_str(10).ok()?;
    let project_id = r.opt_str(11).ok()?;
    let description = r.str(12, "a description of the work");

    if let (Some(s), Some(e)) = (start, end) {
        if s == e {
            r.error(3, format!("end equals start {} (expected a duration above zero; F1: end before start means past midnight)", format_minute(s)));
            return None;
        }
    }
    let approval = match approval_id {
        Some(a) => match refs.approvals.get_key_value(a) {
            Some((k, ap)) => {
                if let Some(c) = &customer {
                    if &ap.customer != c {
                        r.error(10, format!("approval '{a}' belongs to customer '{}', not '{c}' (expected an approval of the entry's customer)", ap.customer));
                        return None;
                    }
                }
                Some(k.clone())
            }
            None => {
                r.error(
                    10,
                    format!("unknown approval '{a}' (expected the id of a row in approvals.csv)"),
                );
                return None;
            }
        },
        None => None,
    };
    let project = match project_id {
        Some(p) => match refs.projects.get_key_value(p) {
            Some((k, pr)) => {
                if let Some(c) = &customer {
                    if &pr.customer != c {
                        r.error(11, format!("project '{p}' belongs to customer '{}', not '{c}' (expected a project of the entry's customer)", pr.customer));
                        return None;
                    }
                }
                Some(k.clone())
            }
            None => {
                r.error(
                    11,
                    format!("unknown project '{p}' (expected the id of a row in projects.csv)"),
                );
                return None;
            }
        },
        None => None,
    };
    if project.is_none() {
        // A support entry needs all three to be decided (SPEC 2).
        let names = [
            (7, channel.is_none(), "phone, email, ticket, remote, onsite"),
            (8, responsibility.is_none(), "ours, third_party, tampering"),
            (9, activity.is_none(), "diagnosis, referral, fix, support"),
        ];
        let mut missing = false;
        for (col, absent, choices) in names {
            if absent && r.opt_str(col).ok().flatten().is_none() {
                r.error(col, format!("empty (expected one of {choices}; only an entry with a project_id may leave it empty)"));
                missing = true;
            }
        }
        if missing {
            return None;
        }
    }
    let (date, channel_v) = (date?, channel);
    // A date with no valid rate for a code the entry may need (SPEC 3): every
    // support entry that is not a free referral may become chargeable.
    if project.is_none() {
        let free_referral = responsibility == Some(Responsibility::ThirdParty)
            && matches!(activity, Some(Activity::Diagnosis | Activity::Referral));
        if let (Some(ch), false) = (channel_v, free_referral) {
            let mut codes = vec![ch.as_str()];
            if ch == Channel::Onsite {
                codes.push("travel");
            }
            for code in codes {
                if refs.card.rate_on(code, date).is_none() {
                    let file = refs.card_file.unwrap_or("rates.csv");
                    r.error(1, format!("no rate for '{code}' valid on {date} (expected a row of {file} with code {code} and valid_from on or before {date})"));
                }
            }
        }
    }
    Some(Entry {
        id: EntryId::new(id?),
        date,
        start: start?,
        end: end?,
        staff: Arc::from(staff?),
        customer: customer?,
        ticket: ticket.map(Arc::from),
        channel,
        responsibility,
        activity,
        approval,
        project,
        description: Box::from(description?),
        line: r.line,
    })
}

/// Overlapping entries of one staff member are warnings (SPEC 3).
fn staff_overlaps(entries: &[Entry], file: &str, diags: &mut Vec<Diagnostic>) {
    let abs = |e: &Entry| i64::from(e.date.num_days_from_ce()) * 1440 + i64::from(e.start);
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        let (x, y) = (&entries[a], &entries[b]);
        (&x.staff, abs(x), x.id.as_str()).cmp(&(&y.staff, abs(y), y.id.as_str()))
    });
    let mut latest: Option<(usize, i64)> = None;
    for &i in &order {
        let e = &entries[i];
        let (s, end) = (abs(e), abs(e) + i64::from(e.minutes()));
        if let Some((j, j_end)) = latest {
            let o = &entries[j];
            if o.staff == e.staff && s < j_end {
                diags.push(Diagnostic::warning(
                    file,
                    e.line,
                    "start",
                    format!(
                        "entry '{}' of {} starts at {} {} while entry '{}' (line {}) runs until {} (expected no overlapping work of one staff member)",
                        e.id, e.staff, e.date, format_minute(e.start), o.id, o.line, format_minute(((j_end % 1440) as u16).min(1439))
                    ),
                ));
            }
            if o.staff != e.staff || end > j_end {
                latest = Some((i, end));
            }
        } else {
            latest = Some((i, end));
        }
    }
}

fn rate_card(
    rates: &Source,
    surcharges: &Source,
    holidays: &Source,
    diags: &mut Vec<Diagnostic>,
    counts: &mut Vec<(String, usize)>,
) -> RateCard {
    let mut card = RateCard::default();
    for r in parse_csv(rates, RATES, diags, counts, rate) {
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
    card
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
            "0 for an hourly rate (expected an increment of at least 1 minute)",
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
];

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
            diags.push(Diagnostic::error(
                file,
                line,
                "toml",
                format!("{msg} (expected flat key = value lines)"),
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
                diags.push(Diagnostic::error(
                    file,
                    1,
                    key,
                    "missing key (expected a line key = \"value\")",
                ));
                None
            }
            Some(toml::Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(_) => {
                diags.push(Diagnostic::error(
                    file,
                    line_of(key),
                    key,
                    "not a non-empty string (expected key = \"value\")",
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
                    diags.push(Diagnostic::error(
                        file,
                        1,
                        key,
                        format!("missing key (expected {expected})"),
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
    if let Some(f) = &format {
        if !f.contains("{seq") {
            diags.push(Diagnostic::error(
                file,
                line_of("invoice_number_format"),
                "invoice_number_format",
                format!("'{f}' has no {{seq}} (expected a pattern such as RE-{{year}}-{{seq:05}})"),
            ));
        }
    }
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
        managing_director: managing_director?,
        bank: bank?,
        iban: iban?,
        bic: bic?,
        vat_rate: vat_rate?,
        currency: currency?,
        invoice_number_format: format?,
        payment_days: u32::try_from(payment_days?.trunc().mantissa()).ok()?,
        rates: rates?,
    })
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
