//! Typed domain values: what the validated inputs mean. Owns the nouns of the
//! glossary (customer, contract, approval, project, entry, rate card) and
//! nothing else: no parsing, no I/O, no decisions.

use chrono::{Datelike, NaiveDate, Weekday};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        pub struct $name(pub Arc<str>);
        impl $name {
            pub fn new(s: &str) -> Self {
                $name(Arc::from(s))
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        // Hash and Ord of the id are those of its text, so maps can be
        // searched by `&str`.
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A customer's id, any string (F2); ordered as plain bytes (F3).
    CustomerId
);
id_type!(ContractId);
id_type!(ApprovalId);
id_type!(ProjectId);
id_type!(EntryId);

/// Support channel of a time entry; also the rate code that prices it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Channel {
    Phone,
    Email,
    Ticket,
    Remote,
    Onsite,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Phone,
        Channel::Email,
        Channel::Ticket,
        Channel::Remote,
        Channel::Onsite,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::Email => "email",
            Channel::Ticket => "ticket",
            Channel::Remote => "remote",
            Channel::Onsite => "onsite",
        }
    }
    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The channels a contract covers.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub struct ChannelSet(u8);

impl ChannelSet {
    pub fn insert(&mut self, c: Channel) {
        self.0 |= c.bit();
    }
    pub fn contains(self, c: Channel) -> bool {
        self.0 & c.bit() != 0
    }
    pub fn iter(self) -> impl Iterator<Item = Channel> {
        Channel::ALL.into_iter().filter(move |c| self.contains(*c))
    }
}

/// Who caused the problem the entry worked on (P2..P4).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Responsibility {
    Ours,
    ThirdParty,
    Tampering,
}

impl Responsibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Responsibility::Ours => "ours",
            Responsibility::ThirdParty => "third_party",
            Responsibility::Tampering => "tampering",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Activity {
    Diagnosis,
    Referral,
    Fix,
    Support,
}

impl Activity {
    pub fn as_str(self) -> &'static str {
        match self {
            Activity::Diagnosis => "diagnosis",
            Activity::Referral => "referral",
            Activity::Fix => "fix",
            Activity::Support => "support",
        }
    }
}

/// `order` is the one-time order form, `approval` the Freigabe of extra cost;
/// they decide alike (F9) and differ only in wording.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ApprovalKind {
    Order,
    Approval,
}

impl ApprovalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalKind::Order => "order",
            ApprovalKind::Approval => "approval",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Stage {
    Qa,
    Customer,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Qa => "qa",
            Stage::Customer => "customer",
        }
    }
}

/// German unless said otherwise (the company's default, RULES 15).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Language {
    #[default]
    De,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::De => "de",
            Language::En => "en",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Unit {
    Hour,
    Visit,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Hour => "hour",
            Unit::Visit => "visit",
        }
    }
}

/// A day kind of the surcharge table: a weekday, or `holiday` (which replaces
/// the weekday of a public holiday, F7).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DayKind {
    Weekday(Weekday),
    Holiday,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Weekday(w) => match w {
                Weekday::Mon => "mon",
                Weekday::Tue => "tue",
                Weekday::Wed => "wed",
                Weekday::Thu => "thu",
                Weekday::Fri => "fri",
                Weekday::Sat => "sat",
                Weekday::Sun => "sun",
            },
            DayKind::Holiday => "holiday",
        }
    }
    fn bit(self) -> u8 {
        match self {
            DayKind::Weekday(w) => 1 << w.num_days_from_monday(),
            DayKind::Holiday => 1 << 7,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub struct DaySet(u8);

impl DaySet {
    pub fn insert(&mut self, d: DayKind) {
        self.0 |= d.bit();
    }
    pub fn contains(self, d: DayKind) -> bool {
        self.0 & d.bit() != 0
    }
}

/// A minute of the day, 0..=1440 (1440 only as a window's `24:00` end).
pub type Minute = u16;

pub fn format_minute(m: Minute) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// The seller, from `company.toml`.
#[derive(Clone, Debug, Default)]
pub struct Company {
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub vat_id: String,
    pub tax_number: String,
    pub email: String,
    pub phone: String,
    pub register: String,
    /// The registered seat (§ 35a GmbHG); `city` unless `seat` says otherwise.
    pub seat: String,
    pub managing_director: String,
    pub bank: String,
    pub iban: String,
    pub bic: String,
    pub vat_rate: Decimal,
    pub currency: String,
    pub invoice_number_format: String,
    /// The separate range of cancellation invoices (default `ST-{year}-{seq:05}`).
    pub cancellation_number_format: String,
    pub payment_days: u32,
    /// How long a cost notice or offer stands, in days from its date
    /// (RULES 11, default 14).
    pub estimate_valid_days: u32,
    /// The rate card folder, as written (relative to `company.toml`).
    pub rates: String,
    /// Reminders and dunning letters (RULES 13): optional keys with defaults.
    pub dunning: DunningTerms,
    /// The language of the company's own pages (the review page, RULES 15);
    /// `de` unless `company.toml` says `language = "en"`.
    pub language: Language,
    /// The `datev_*` keys, for `faktura export --format datev` (RULES 14 X1).
    pub datev: DatevKeys,
}

/// The chart of accounts (Standardkontenrahmen) the tax adviser keeps the
/// books in; it decides the revenue and bank accounts of the DATEV export.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Chart {
    #[default]
    Skr03,
    Skr04,
}

impl Chart {
    pub fn as_str(self) -> &'static str {
        match self {
            Chart::Skr03 => "SKR03",
            Chart::Skr04 => "SKR04",
        }
    }
}

/// The DATEV keys of `company.toml`. Consultant and client have no default:
/// they are needed only by the DATEV export, which fails without them.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DatevKeys {
    /// Beraternummer (`datev_consultant`, 1001..9999999).
    pub consultant: Option<u32>,
    /// Mandantennummer (`datev_client`, 1..99999).
    pub client: Option<u32>,
    /// First day of the fiscal year as (month, day) (`datev_fiscal_year_start`,
    /// `MM-DD`, default 01-01).
    pub fiscal_year_start: (u32, u32),
    /// Sachkontenlänge (`datev_account_length`, 4..8, default 4).
    pub account_length: u32,
    /// `datev_chart`: SKR03 (default) or SKR04.
    pub chart: Chart,
    /// `datev_bank_account`: the bank's G/L account, where payments are
    /// booked (default 1200 in SKR03, 1800 in SKR04).
    pub bank_account: Option<u32>,
    /// Line of each given key in `company.toml`, for messages.
    pub lines: BTreeMap<&'static str, u64>,
}

impl Default for DatevKeys {
    fn default() -> Self {
        DatevKeys {
            consultant: None,
            client: None,
            fiscal_year_start: (1, 1),
            account_length: 4,
            chart: Chart::Skr03,
            bank_account: None,
            lines: BTreeMap::new(),
        }
    }
}

/// The company's dunning terms (RULES 13, D1, D4), from optional keys of
/// `company.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct DunningTerms {
    /// `dunning_number_format`: the letters' own range.
    pub number_format: String,
    /// `reminder_after_days`: days overdue before the first reminder.
    pub reminder_after_days: u32,
    /// `dunning_interval_days`: days between one level and the next.
    pub interval_days: u32,
    /// `reminder_pay_days`: the new deadline is the letter's date plus these.
    pub pay_days: u32,
}

impl Default for DunningTerms {
    fn default() -> Self {
        DunningTerms {
            number_format: "MA-{year}-{seq:05}".into(),
            reminder_after_days: 7,
            interval_days: 14,
            pay_days: 7,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Customer {
    pub id: CustomerId,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub vat_id: Option<String>,
    pub email: Option<String>,
    pub language: Language,
    /// The customer's DATEV personal account (Debitorenkonto), digits;
    /// optional column, needed by the DATEV export (RULES 14 X1).
    pub debtor_account: Option<String>,
    /// A consumer (`customers.csv` column `consumer` = `yes`): 5 instead of
    /// 9 points of default interest and no flat fee (RULES 13, D2, D3).
    pub consumer: bool,
    pub line: u64,
}

/// A maintenance contract (Wartungsvertrag).
#[derive(Clone, Debug)]
pub struct Contract {
    pub id: ContractId,
    pub customer: CustomerId,
    pub tier: String,
    pub start: NaiveDate,
    /// Last day, inclusive (F3).
    pub end: Option<NaiveDate>,
    pub monthly_fee: Decimal,
    pub channels: ChannelSet,
    /// Per calendar month; `None` = unlimited (F5).
    pub included_minutes: Option<u32>,
    pub discount_percent: Decimal,
    pub line: u64,
}

impl Contract {
    pub fn active_on(&self, d: NaiveDate) -> bool {
        self.start <= d && self.end.is_none_or(|e| d <= e)
    }
}

/// A customer's prior consent to chargeable work.
#[derive(Clone, Debug)]
pub struct Approval {
    pub id: ApprovalId,
    pub customer: CustomerId,
    pub kind: ApprovalKind,
    pub granted_on: NaiveDate,
    /// Last day, inclusive (F3).
    pub valid_until: Option<NaiveDate>,
    pub ticket: Option<String>,
    /// `None` = unlimited (F10).
    pub max_minutes: Option<u32>,
    pub line: u64,
}

#[derive(Clone, Debug)]
pub struct Project {
    pub id: ProjectId,
    pub customer: CustomerId,
    pub title: String,
    pub fee: Decimal,
    pub concept_on: Option<NaiveDate>,
    pub solution_on: Option<NaiveDate>,
    pub approved_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub line: u64,
}

#[derive(Clone, Debug)]
pub struct Acceptance {
    pub project: ProjectId,
    pub stage: Stage,
    pub date: NaiveDate,
    pub signed_by: String,
    pub line: u64,
}

/// A row of one of the data set's tables, by its position: the time log's
/// million rows refer to customers, approvals and projects by number, not
/// by a copy of their id (see `Dataset::customer_ids` and friends).
pub type RowNo = u32;

/// One piece of staff work from `timelog.csv`. Its texts (id, ticket,
/// description) live in one buffer shared by the entries of a parsed chunk
/// of the file, and it names staff, customer, approval and project by
/// number: four heap strings and three shared ids per row were most of a
/// large run's memory (docs/BENCHMARKS.md).
#[derive(Clone, Debug)]
pub struct Entry {
    /// The chunk's buffer as it was built (an `Arc<str>` would copy it).
    text: Arc<String>,
    /// `text[at..id_end]` is the id, then the ticket up to `ticket_end`
    /// (empty: none), then the description up to `desc_end`.
    at: u32,
    id_end: u32,
    ticket_end: u32,
    desc_end: u32,
    pub date: NaiveDate,
    pub start: Minute,
    pub end: Minute,
    /// Index into `Dataset::staff`.
    pub staff: RowNo,
    /// Index into `Dataset::customer_ids`.
    pub customer: RowNo,
    /// Index + 1 into `Dataset::approvals`; 0 = none.
    approval: RowNo,
    /// Index + 1 into `Dataset::project_ids`; 0 = none.
    project: RowNo,
    pub line: u32,
    pub channel: Option<Channel>,
    pub responsibility: Option<Responsibility>,
    pub activity: Option<Activity>,
}

/// What `Entry::new` needs besides the shared text buffer.
#[derive(Clone, Copy, Debug)]
pub struct EntryFields {
    pub date: NaiveDate,
    pub start: Minute,
    pub end: Minute,
    pub staff: RowNo,
    pub customer: RowNo,
    pub approval: Option<RowNo>,
    pub project: Option<RowNo>,
    pub line: u32,
    pub channel: Option<Channel>,
    pub responsibility: Option<Responsibility>,
    pub activity: Option<Activity>,
}

impl Entry {
    /// Date and start as one number of minutes, counted from year -1 so
    /// that every four-digit year is positive (and fits in 40 bits): the
    /// key of the date-ordered passes.
    pub fn start_minute(&self) -> u64 {
        let day = (i64::from(self.date.num_days_from_ce()) + 366) as u64;
        day * 1440 + u64::from(self.start)
    }
    /// Asks the cache for the start of this entry's texts (its id): a
    /// pass in date order would otherwise wait for each.
    #[inline]
    pub fn prefetch_text(&self) {
        prefetch_index::prefetch_index(self.text.as_bytes(), self.at as usize);
    }
    /// `text[at..]` holds id, ticket and description back to back with the
    /// given lengths.
    pub fn new(text: Arc<String>, at: u32, lens: [u32; 3], f: EntryFields) -> Entry {
        let id_end = at + lens[0];
        let ticket_end = id_end + lens[1];
        let desc_end = ticket_end + lens[2];
        debug_assert!(text.is_char_boundary(desc_end as usize));
        Entry {
            text,
            at,
            id_end,
            ticket_end,
            desc_end,
            date: f.date,
            start: f.start,
            end: f.end,
            staff: f.staff,
            customer: f.customer,
            approval: f.approval.map_or(0, |a| a + 1),
            project: f.project.map_or(0, |p| p + 1),
            line: f.line,
            channel: f.channel,
            responsibility: f.responsibility,
            activity: f.activity,
        }
    }
    pub fn id(&self) -> &str {
        &self.text[self.at as usize..self.id_end as usize]
    }
    pub fn ticket(&self) -> Option<&str> {
        Some(&self.text[self.id_end as usize..self.ticket_end as usize]).filter(|t| !t.is_empty())
    }
    pub fn description(&self) -> &str {
        &self.text[self.ticket_end as usize..self.desc_end as usize]
    }
    /// Index into `Dataset::approvals`.
    pub fn approval_no(&self) -> Option<usize> {
        (self.approval > 0).then(|| self.approval as usize - 1)
    }
    /// Index into `Dataset::project_ids`.
    pub fn project_no(&self) -> Option<usize> {
        (self.project > 0).then(|| self.project as usize - 1)
    }
    pub fn is_project_work(&self) -> bool {
        self.project > 0
    }
    /// F1: `(end - start) mod 1440`; the whole entry belongs to its date.
    pub fn minutes(&self) -> u32 {
        (u32::from(self.end) + 1440 - u32::from(self.start)) % 1440
    }
}

#[derive(Clone, Debug)]
pub struct Rate {
    pub code: Arc<str>,
    pub description: String,
    pub unit: Unit,
    pub price: Decimal,
    pub increment_minutes: u32,
    pub minimum_minutes: u32,
    pub valid_from: NaiveDate,
    pub line: u64,
}

#[derive(Clone, Debug)]
pub struct Surcharge {
    pub code: Arc<str>,
    pub description: String,
    pub days: DaySet,
    pub from: Minute,
    pub to: Minute,
    pub percent: Decimal,
    pub valid_from: NaiveDate,
    pub line: u64,
}

#[derive(Clone, Debug)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: String,
    pub line: u64,
}

/// The Bundesbank's base rate (Basiszinssatz, § 247 BGB) from `valid_from`
/// for its half year (`base_rates.csv` of the rate card).
#[derive(Clone, Debug, PartialEq)]
pub struct BaseRate {
    pub valid_from: NaiveDate,
    pub percent: Decimal,
    pub line: u64,
}

/// The rate card folder: prices, surcharges and public holidays.
#[derive(Clone, Debug, Default)]
pub struct RateCard {
    /// Per code, sorted by `valid_from`.
    pub rates: BTreeMap<Arc<str>, Vec<Rate>>,
    /// Per code, sorted by `valid_from`.
    pub surcharges: BTreeMap<Arc<str>, Vec<Surcharge>>,
    pub holidays: BTreeMap<NaiveDate, Holiday>,
}

impl RateCard {
    /// The row of `code` whose `valid_from` is the latest on or before `date` (RULES 5).
    pub fn rate_on(&self, code: &str, date: NaiveDate) -> Option<&Rate> {
        self.rates
            .get(code)?
            .iter()
            .rev()
            .find(|r| r.valid_from <= date)
    }
    /// A public holiday counts as `holiday`, not as its weekday (F7).
    pub fn day_kind(&self, date: NaiveDate) -> DayKind {
        if self.holidays.contains_key(&date) {
            DayKind::Holiday
        } else {
            DayKind::Weekday(date.weekday())
        }
    }
}

/// Every input, typed and cross-checked: what the pure core works on.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub company: Company,
    pub customers: BTreeMap<CustomerId, Customer>,
    /// Sorted by (customer, start, id).
    pub contracts: Vec<Contract>,
    /// Sorted by id; entries refer to them by index.
    pub approvals: Vec<Approval>,
    pub projects: BTreeMap<ProjectId, Project>,
    pub acceptances: Vec<Acceptance>,
    pub entries: Vec<Entry>,
    /// The keys of `customers` in order: what `Entry::customer` indexes.
    pub customer_ids: Vec<CustomerId>,
    /// The keys of `projects` in order: what `Entry::project_no` indexes.
    pub project_ids: Vec<ProjectId>,
    /// Staff names, numbered in the order first met in the time log.
    pub staff: Vec<Arc<str>>,
    /// Per customer number: the range of its contracts in `contracts`.
    pub contracts_of: Vec<std::ops::Range<u32>>,
    pub rate_card: RateCard,
    /// Which e-invoice profile each customer gets (`einvoice.csv`).
    pub einvoice: crate::einvoice::Settings,
    /// Every warning of the validation (staff overlaps, acceptance
    /// oddities) as `file:line: column: message`, for the review page.
    pub warnings: Vec<String>,
}

impl Dataset {
    /// Asks the cache for entry `i`: both cache lines it may span (an
    /// entry is 56 bytes). Only a hint: any `i` is safe.
    #[inline]
    pub fn prefetch_entry(&self, i: usize) {
        prefetch_index::prefetch_index(&self.entries, i);
        prefetch_index::prefetch_index(&self.entries, i + 1);
    }
    pub fn customer_of(&self, e: &Entry) -> &CustomerId {
        &self.customer_ids[e.customer as usize]
    }
    pub fn approval_of(&self, e: &Entry) -> Option<&Approval> {
        e.approval_no().map(|i| &self.approvals[i])
    }
    pub fn approval_id_of(&self, e: &Entry) -> Option<&ApprovalId> {
        self.approval_of(e).map(|a| &a.id)
    }
    pub fn project_of(&self, e: &Entry) -> Option<&ProjectId> {
        e.project_no().map(|i| &self.project_ids[i])
    }
    pub fn staff_of(&self, e: &Entry) -> &str {
        &self.staff[e.staff as usize]
    }
    /// The contract of the entry's customer active on its date; validation
    /// guarantees at most one (RULES 3).
    pub fn contract_of(&self, e: &Entry) -> Option<&Contract> {
        self.contract_index_of(e).map(|i| &self.contracts[i])
    }
    pub fn contract_index_of(&self, e: &Entry) -> Option<usize> {
        let r = self.contracts_of.get(e.customer as usize)?;
        let (from, to) = (r.start as usize, r.end as usize);
        self.contracts[from..to]
            .iter()
            .position(|c| c.active_on(e.date))
            .map(|i| from + i)
    }
    /// `contracts_of` for contracts sorted by (customer, start) and the
    /// sorted customer ids.
    pub fn contract_ranges(
        customer_ids: &[CustomerId],
        contracts: &[Contract],
    ) -> Vec<std::ops::Range<u32>> {
        // One walk along both sorted lists.
        let mut at = 0;
        customer_ids
            .iter()
            .map(|id| {
                while contracts.get(at).is_some_and(|c| &c.customer < id) {
                    at += 1;
                }
                let from = at;
                while contracts.get(at).is_some_and(|c| &c.customer == id) {
                    at += 1;
                }
                from as u32..at as u32
            })
            .collect()
    }
}

/// Maps a large vector's spare capacity for its first `n` more elements
/// into memory on all threads, one write per page, so that the serial code
/// filling it later does not stop at every new page (profiled: most of the
/// main thread's own time). Only what will surely be used: a touched page
/// counts as memory used.
pub fn touch_pages<T: Send>(v: &mut Vec<T>, n: usize) {
    use rayon::prelude::*;
    let per_page = (4096 / std::mem::size_of::<T>().max(1)).max(1);
    let spare = v.spare_capacity_mut();
    let n = n.min(spare.len());
    spare[..n].par_chunks_mut(per_page * 256).for_each(|pages| {
        for slot in pages.iter_mut().step_by(per_page) {
            *slot = std::mem::MaybeUninit::zeroed();
        }
    });
}
