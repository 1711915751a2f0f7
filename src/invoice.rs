//! Parts -> invoices (RULES 6, 7): what a run bills, grouped per customer with
//! the contract fees, travel and proof-of-work lines; project invoices; VAT
//! by country (F15); numbers from the ledger when issuing. Pure: the issue
//! date and the ledger are inputs; the words are in the customer's language.

use crate::decide::{Outcome, Part, Rule, K};
use crate::ledger::{self, Item, Ledger};
use crate::model::*;
use crate::period::Period;
use crate::price;
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// The ledger key of what a part bills: the part itself, or for a travel
/// row the customer's day (one call-out fee per customer and day, F12).
pub fn item_of(ds: &Dataset, p: &Part) -> Item {
    let e = &ds.entries[p.entry];
    if p.rule == Rule::Travel {
        Item::Travel {
            customer: ds.customer_of(e).to_string(),
            date: e.date,
        }
    } else {
        Item::Part {
            entry: e.id().to_string(),
            part: p.part,
        }
    }
}

/// The rows of `charges.csv` for a period (RULES 7): every part of an entry
/// dated in the period, plus the billable work and travel rows of earlier
/// entries that are not yet on an issued invoice (`billed` says which are).
/// `parts` are in `decide`'s (date, start, entry_id) order, so the period is
/// one run of them, found by bisection.
pub fn charges_of_period<'p>(
    ds: &Dataset,
    parts: &'p [Part],
    period: Period,
    billed: impl Fn(&Part) -> bool + Sync,
) -> Vec<&'p Part> {
    positions_of_period(ds, parts, period, billed)
        .into_iter()
        .map(|i| &parts[i as usize])
        .collect()
}

/// [`charges_of_period`] as positions in `parts`.
fn positions_of_period(
    ds: &Dataset,
    parts: &[Part],
    period: Period,
    billed: impl Fn(&Part) -> bool + Sync,
) -> Vec<u32> {
    let (first, last) = (period.first_day(), period.last_day());
    let date = |p: &Part| ds.entries[p.entry].date;
    debug_assert!(parts.windows(2).all(|w| date(&w[0]) <= date(&w[1])));
    let from = parts.partition_point(|p| date(p) < first);
    let to = parts.partition_point(|p| date(p) <= last);
    let mut out: Vec<u32> = (0..from as u32)
        .into_par_iter()
        .filter(|&i| {
            let p = &parts[i as usize];
            p.outcome == Outcome::Billable && !billed(p)
        })
        .collect();
    out.extend(from as u32..to as u32);
    out
}

/// The rows of `charges.csv`: each part of the run with the invoice that
/// bills it, as two positions (8 bytes a row where a reference and a
/// number took 24: a large month has a million rows).
pub struct Charges<'p> {
    parts: &'p [Part],
    /// (position in `parts`, position in `numbers` + 1, or 0 for none).
    pub rows: Vec<(u32, u32)>,
    numbers: Vec<Arc<str>>,
}

impl<'p> Charges<'p> {
    pub fn part(&self, row: &(u32, u32)) -> &'p Part {
        &self.parts[row.0 as usize]
    }
    pub fn number(&self, row: &(u32, u32)) -> Option<&str> {
        row.1.checked_sub(1).map(|n| &*self.numbers[n as usize])
    }
    pub fn len(&self) -> usize {
        self.rows.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
    /// The parts, in row order.
    pub fn parts(&self) -> impl Iterator<Item = &'p Part> + Clone + '_ {
        self.rows.iter().map(|r| self.part(r))
    }
}

/// EU member states (ISO 3166 alpha-2; Greece is `GR`, F15).
const EU: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// VAT rate and note by the customer's country (F15).
pub fn tax_of(company: &Company, c: &Customer) -> (Decimal, TaxNote) {
    if c.country == "DE" {
        (company.vat_rate, TaxNote::None)
    } else if EU.contains(&c.country.as_str()) {
        if c.vat_id.is_some() {
            (Decimal::ZERO, TaxNote::ReverseCharge)
        } else {
            (company.vat_rate, TaxNote::None)
        }
    } else {
        (Decimal::ZERO, TaxNote::NotTaxableInDe)
    }
}

const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_name(lang: Language, p: Period) -> String {
    let names = match lang {
        Language::De => MONTHS_DE,
        Language::En => MONTHS_EN,
    };
    format!("{} {}", names[(p.month - 1) as usize], p.year)
}

pub fn date_text(lang: Language, d: NaiveDate) -> String {
    match lang {
        Language::De => d.format("%d.%m.%Y").to_string(),
        Language::En => d.format("%Y-%m-%d").to_string(),
    }
}

pub fn channel_label(lang: Language, c: Channel) -> &'static str {
    match (lang, c) {
        (Language::De, Channel::Phone) => "Telefon",
        (Language::De, Channel::Email) => "E-Mail",
        (Language::De, Channel::Ticket) => "Ticketsystem",
        (Language::De, Channel::Remote) => "Fernwartung",
        (Language::De, Channel::Onsite) => "vor Ort",
        (Language::En, Channel::Phone) => "phone",
        (Language::En, Channel::Email) => "e-mail",
        (Language::En, Channel::Ticket) => "ticket system",
        (Language::En, Channel::Remote) => "remote",
        (Language::En, Channel::Onsite) => "on site",
    }
}

/// Why the work costs money, in the customer's words (RULES 4 sources).
fn rule_label(lang: Language, k: K) -> &'static str {
    match (lang, k) {
        (Language::De, K::K3) => "Leistung für Drittanbieter",
        (Language::De, K::K4) => "Folge eines unautorisierten Eingriffs",
        (Language::De, K::K6) => "Kanal nicht im Wartungsvertrag",
        (Language::De, K::K7) => "über das Vertragskontingent hinaus",
        (Language::De, K::K8) => "Einzelauftrag nach Verrechnungssätzen",
        (Language::En, K::K3) => "work for a third party",
        (Language::En, K::K4) => "after unauthorised intervention",
        (Language::En, K::K6) => "channel not in the maintenance contract",
        (Language::En, K::K7) => "beyond the contract's monthly hours",
        (Language::En, K::K8) => "on-demand order at hourly rates",
        _ => "",
    }
}

fn hours_of(minutes: u32) -> Decimal {
    crate::money::round2(Decimal::from(minutes) / Decimal::from(60))
}

fn work_line(ds: &Dataset, p: &Part, lang: Language) -> Line {
    let e = &ds.entries[p.entry];
    let pr = p.priced.as_ref();
    let mut notes: Vec<String> = Vec::new();
    if let Some(c) = e.channel {
        notes.push(channel_label(lang, c).to_string());
    }
    if let Rule::Decided(k, _) = p.rule {
        let l = rule_label(lang, k);
        if !l.is_empty() {
            notes.push(l.to_string());
        }
    }
    if let Some(pr) = pr {
        if !pr.surcharge_percent.is_zero() {
            notes.push(match lang {
                Language::De => format!("Zuschlag {} %", pr.surcharge_percent.normalize()),
                Language::En => format!("surcharge {} %", pr.surcharge_percent.normalize()),
            });
        }
        if !pr.discount_percent.is_zero() {
            notes.push(match lang {
                Language::De => format!("Rabatt {} %", pr.discount_percent.normalize()),
                Language::En => format!("discount {} %", pr.discount_percent.normalize()),
            });
        }
    }
    if let Some(t) = e.ticket() {
        notes.push(format!("Ticket {t}"));
    }
    let billed = p.billed_minutes.get().unwrap_or(0);
    Line {
        kind: LineKind::Work,
        entry: Some(EntryId::new(e.id())),
        part: Some(p.part),
        date: Some(e.date),
        description: format!("{} ({})", e.description(), notes.join(", ")),
        quantity: hours_of(billed),
        minutes: Some(billed),
        unit: "h",
        unit_price: pr.map_or(Decimal::ZERO, |x| x.unit_price),
        amount: p.amount().unwrap_or(Decimal::ZERO),
    }
}

fn travel_line(ds: &Dataset, p: &Part, lang: Language) -> Line {
    let e = &ds.entries[p.entry];
    let unit_price = p.priced.as_ref().map_or(Decimal::ZERO, |x| x.unit_price);
    let discount = p
        .priced
        .as_ref()
        .map_or(Decimal::ZERO, |x| x.discount_percent);
    let mut description = match lang {
        Language::De => "Anfahrtspauschale Vor-Ort-Einsatz".to_string(),
        Language::En => "Call-out fee, on-site visit".to_string(),
    };
    if !discount.is_zero() {
        description.push_str(&match lang {
            Language::De => format!(" (Rabatt {} %)", discount.normalize()),
            Language::En => format!(" (discount {} %)", discount.normalize()),
        });
    }
    Line {
        kind: LineKind::Travel,
        entry: Some(EntryId::new(e.id())),
        part: Some(p.part),
        date: Some(e.date),
        description,
        quantity: Decimal::ONE,
        minutes: None,
        unit: "visit",
        unit_price,
        amount: p.amount().unwrap_or(Decimal::ZERO),
    }
}

fn proof_line(ds: &Dataset, p: &Part, lang: Language) -> Line {
    let e = &ds.entries[p.entry];
    let why = match (lang, p.outcome) {
        (Language::De, Outcome::Covered) => "im Wartungsvertrag enthalten",
        (Language::De, _) => "Verweis an den zuständigen Partner, kostenfrei",
        (Language::En, Outcome::Covered) => "covered by the maintenance contract",
        (Language::En, _) => "referred to the responsible partner, free of charge",
    };
    let minutes = p.minutes.get().unwrap_or(0);
    Line {
        kind: LineKind::Proof,
        entry: Some(EntryId::new(e.id())),
        part: Some(p.part),
        date: Some(e.date),
        description: format!("{} ({why})", e.description()),
        quantity: hours_of(minutes),
        minutes: Some(minutes),
        unit: "h",
        unit_price: Decimal::ZERO,
        amount: Decimal::ZERO,
    }
}

/// Days of `period` on which the contract is active.
fn active_days(c: &Contract, period: Period) -> u32 {
    let from = c.start.max(period.first_day());
    let to = c
        .end
        .map_or(period.last_day(), |e| e.min(period.last_day()));
    if to < from {
        0
    } else {
        (to - from).num_days() as u32 + 1
    }
}

fn fee_line(c: &Contract, period: Period, lang: Language) -> Option<Line> {
    let days = active_days(c, period);
    if days == 0 {
        return None;
    }
    let all = period.days();
    let amount = price::prorated_fee(c.monthly_fee, days, all);
    let mut description = match lang {
        Language::De => format!(
            "Wartungsvertrag {} ({}), {}",
            c.tier,
            c.id,
            month_name(lang, period)
        ),
        Language::En => format!(
            "Maintenance contract {} ({}), {}",
            c.tier,
            c.id,
            month_name(lang, period)
        ),
    };
    if days < all {
        description.push_str(&match lang {
            Language::De => format!(", anteilig {days} von {all} Tagen"),
            Language::En => format!(", prorated {days} of {all} days"),
        });
    }
    Some(Line {
        kind: LineKind::Fee,
        entry: None,
        part: None,
        date: Some(c.start.max(period.first_day())),
        description,
        quantity: Decimal::ONE,
        minutes: None,
        unit: "month",
        unit_price: amount,
        amount,
    })
}

/// F17: approved, a `qa` acceptance, and a `customer` acceptance on or
/// after the earliest QA date; the acceptance date is the earliest such.
pub fn acceptance_date(ds: &Dataset, p: &Project) -> Option<NaiveDate> {
    p.approved_on?;
    let mine = ds.acceptances.iter().filter(|a| a.project == p.id);
    let qa = mine
        .clone()
        .filter(|a| a.stage == Stage::Qa)
        .map(|a| a.date)
        .min()?;
    mine.filter(|a| a.stage == Stage::Customer && a.date >= qa)
        .map(|a| a.date)
        .min()
}

/// Totals and VAT (RULES 6): `vat = round2(net * rate / 100)` on the total.
fn totals(lines: &[Line], rate: Decimal) -> (Decimal, Decimal, Decimal) {
    let net: Decimal = lines.iter().map(|l| l.amount).sum();
    let vat = crate::money::round2(net * rate / Decimal::ONE_HUNDRED);
    (net, vat, net + vat)
}

/// A project's invoice (RULES 5, 6): one line, the agreed fee. Shared by the
/// monthly run and the ad-hoc command.
pub fn project_invoice(
    ds: &Dataset,
    p: &Project,
    accepted: NaiveDate,
    period: Period,
) -> Option<Invoice> {
    let c = ds.customers.get(&p.customer)?;
    let lang = c.language;
    let description = match lang {
        Language::De => format!(
            "Projekt {}: {}, abgenommen am {}",
            p.id,
            p.title,
            date_text(lang, accepted)
        ),
        Language::En => format!(
            "Project {}: {}, accepted on {}",
            p.id,
            p.title,
            date_text(lang, accepted)
        ),
    };
    let lines = vec![Line {
        kind: LineKind::Project,
        entry: None,
        part: None,
        date: Some(accepted),
        description,
        quantity: Decimal::ONE,
        minutes: None,
        unit: "project",
        unit_price: p.fee,
        amount: p.fee,
    }];
    let mut inv = Invoice::draft(
        ds,
        c,
        InvoiceKind::Project,
        period,
        (accepted, accepted),
        lines,
    );
    inv.number = format!("DRAFT-{}", p.id);
    inv.project = Some(p.id.clone());
    Some(inv)
}

/// What a run produces: its invoices (numbered when issued), the rows of
/// `charges.csv` with the invoice that bills each, the ledger batch to
/// append when issuing, and the F18 warnings.
pub struct Run<'p> {
    /// What goes on each invoice, in number order.
    pub plans: Vec<Plan<'p>>,
    /// Each plan's invoice number: issued numbers, or DRAFT- names.
    pub numbers: Vec<Arc<str>>,
    pub charges: Charges<'p>,
    /// Where the numbers start and the ledger batch, when issuing.
    pub batch: Option<BatchStart>,
    /// The issue date (or the date printed on drafts).
    pub date: Option<NaiveDate>,
    pub payment_days: u32,
    pub period: Period,
    pub warnings: Vec<String>,
    /// Items of the period already on issued invoices (for "nothing new").
    pub already_billed: usize,
}

/// Draft or issue: `issue` is the issue date when issuing; `date` the date
/// printed on drafts (optional).
#[derive(Clone, Copy, Debug)]
pub struct Mode {
    pub issue: bool,
    pub date: Option<NaiveDate>,
}

/// The monthly run (RULES 6): per customer one invoice with fee, billable and
/// travel lines and the period's proof of work; one invoice per accepted,
/// not yet invoiced project.
pub fn monthly_run<'p>(
    ds: &Dataset,
    parts: &'p [Part],
    period: Period,
    led: &Ledger,
    mode: &Mode,
) -> Run<'p> {
    let last = period.last_day();
    let mut warnings = Vec::new();
    // Before the first issue nothing is billed: no item keys to build.
    let billed = |p: &Part| !led.nothing_billed() && led.is_billed(&item_of(ds, p)).is_some();

    // F18: billed parts that would now be decided or priced differently.
    let mut current: HashSet<Item> = HashSet::new();
    // Each entry with a billed part, and an invoice that bills one.
    let mut entries_with_billed: HashMap<&str, &str> = HashMap::new();
    for (i, b) in led.billed() {
        if let Item::Part { entry, .. } = i {
            entries_with_billed
                .entry(entry.as_str())
                .or_insert(&*b.invoice);
        }
    }
    let fix = "the issued invoice stays as it is; to correct it: faktura cancel --invoice";
    // Nothing issued yet, nothing to compare: no item keys to build (a
    // million of them on a large month's first run).
    let issued = !led.nothing_billed();
    for p in parts
        .iter()
        .filter(|p| issued && p.outcome == Outcome::Billable)
    {
        let item = item_of(ds, p);
        if let Some(b) = led.is_billed(&item) {
            let now = (
                p.rule.to_string(),
                p.billed_minutes.get(),
                p.amount().unwrap_or_default(),
            );
            if (&*b.rule, b.minutes, b.amount) != (now.0.as_str(), now.1, now.2) {
                warnings.push(format!(
                    "F18: {} is on issued invoice {} as {} {} min {} but would now be {} {} min {}; {fix} {} (then run again)",
                    item.reference(), b.invoice, b.rule, b.minutes.map_or("-".into(), |m| m.to_string()), crate::money::money(b.amount),
                    now.0, now.1.map_or("-".into(), |m| m.to_string()), crate::money::money(now.2), b.invoice
                ));
            }
        }
        current.insert(item);
    }
    let mut gone: Vec<(&Item, &ledger::LineRow)> = led
        .billed()
        .filter(|(item, _)| {
            matches!(item, Item::Part { .. } | Item::Travel { .. }) && !current.contains(*item)
        })
        .collect();
    gone.sort_by(|a, b| a.0.cmp(b.0));
    for (item, b) in gone {
        warnings.push(format!(
            "F18: {} is on issued invoice {} ({} {}) but is no longer billable; {fix} {} (then run again)",
            item.reference(), b.invoice, b.rule, crate::money::money(b.amount), b.invoice
        ));
    }
    // An entry whose parts changed after invoicing is not billed anew piece
    // by piece: that could bill the same minutes twice (F18).
    let withheld = |p: &Part| {
        let e = &ds.entries[p.entry];
        p.rule != Rule::Travel && entries_with_billed.contains_key(e.id()) && !billed(p)
    };
    for p in parts.iter().filter(|p| {
        p.outcome == Outcome::Billable && ds.entries[p.entry].date <= last && withheld(p)
    }) {
        warnings.push(format!(
            "F18: {} was not billed: other parts of entry {} are on an issued invoice and the entry was decided differently since; correct it with faktura cancel --invoice {} and run again",
            item_of(ds, p).reference(), ds.entries[p.entry].id(),
            entries_with_billed.get(ds.entries[p.entry].id()).copied().unwrap_or("")
        ));
    }

    // Billable work and travel, dated in the period or earlier, not yet billed.
    let mut by_customer: BTreeMap<&CustomerId, Vec<&'p Part>> = BTreeMap::new();
    let mut proof: BTreeMap<&CustomerId, Vec<&'p Part>> = BTreeMap::new();
    let mut already_billed = 0;
    for p in parts {
        let e = &ds.entries[p.entry];
        if e.date > last {
            continue;
        }
        match p.outcome {
            Outcome::Billable if billed(p) => {
                if period.contains(e.date) {
                    already_billed += 1;
                }
            }
            Outcome::Billable if !withheld(p) => {
                by_customer.entry(ds.customer_of(e)).or_default().push(p)
            }
            Outcome::Covered | Outcome::Referral if period.contains(e.date) => {
                proof.entry(ds.customer_of(e)).or_default().push(p)
            }
            _ => {}
        }
    }
    // One plan per invoice, in number order (monthly invoices by customer
    // id, then projects by project id); the lines are made when each
    // invoice is rendered.
    let mut plans: Vec<Plan<'p>> = Vec::new();
    for (cid, c) in &ds.customers {
        let lang = c.language;
        let mut fees = Vec::new();
        let from = ds.contracts.partition_point(|k| &k.customer < cid);
        for k in ds.contracts[from..]
            .iter()
            .take_while(|k| &k.customer == cid)
        {
            let item = Item::Fee {
                contract: k.id.to_string(),
                month: period,
            };
            if led.is_billed(&item).is_some() {
                already_billed += 1;
                continue;
            }
            if let Some(l) = fee_line(k, period, lang) {
                fees.push((l, item));
            }
        }
        let work = by_customer.remove(cid).unwrap_or_default();
        // F16: only money lines make an invoice.
        if fees.is_empty() && work.is_empty() {
            continue;
        }
        plans.push(Plan::Monthly {
            customer: cid.clone(),
            fees,
            work,
            proof: proof.remove(cid).unwrap_or_default(),
        });
    }
    for p in ds.projects.values() {
        let Some(accepted) = acceptance_date(ds, p) else {
            continue;
        };
        let item = Item::Project {
            project: p.id.to_string(),
        };
        if accepted > last {
            continue;
        }
        if led.is_billed(&item).is_some() {
            if period.contains(accepted) {
                already_billed += 1;
            }
            continue;
        }
        if let Some(invoice) = project_invoice(ds, p, accepted, period) {
            plans.push(Plan::Project {
                invoice: Box::new(invoice),
                item,
            });
        }
    }
    // Numbers in plan order when issuing; drafts keep their DRAFT- names.
    let batch = match (mode.issue, mode.date) {
        (true, Some(date)) => Some(BatchStart {
            number: led.last_batch + 1,
            seq: led.next_seq(date.year(), false),
            year: date.year(),
        }),
        _ => None,
    };
    let numbers: Vec<Arc<str>> = plans
        .iter()
        .enumerate()
        .map(|(k, plan)| match &batch {
            Some(b) => Arc::from(ledger::format_number(
                &ds.company.invoice_number_format,
                b.year,
                b.seq + k as u32,
            )),
            None => Arc::from(plan.draft_number(period)),
        })
        .collect();

    // charges.csv with the invoice of each billable and travel row: this
    // run's invoice of the customer, or the issued one that billed it.
    let plan_of: HashMap<&CustomerId, usize> = plans
        .iter()
        .enumerate()
        .filter_map(|(k, plan)| match plan {
            Plan::Monthly { customer, .. } => Some((customer, k)),
            Plan::Project { .. } => None,
        })
        .collect();
    // The run's own numbers first, then those of issued invoices as met.
    let mut charge_numbers = numbers.clone();
    let mut issued_no: HashMap<Arc<str>, u32> = HashMap::new();
    let rows = positions_of_period(ds, parts, period, billed)
        .into_iter()
        .map(|i| {
            let p = &parts[i as usize];
            if !(mode.issue && p.outcome == Outcome::Billable) {
                return (i, 0);
            }
            let e = &ds.entries[p.entry];
            let on_run = batch.is_some() && e.date <= last && !billed(p) && !withheld(p);
            let no = match plan_of.get(ds.customer_of(e)) {
                Some(&k) if on_run => k as u32 + 1,
                _ => match led.is_billed(&item_of(ds, p)) {
                    Some(b) => *issued_no.entry(b.invoice.clone()).or_insert_with(|| {
                        charge_numbers.push(b.invoice.clone());
                        charge_numbers.len() as u32
                    }),
                    None => 0,
                },
            };
            (i, no)
        })
        .collect();
    let charges = Charges {
        parts,
        rows,
        numbers: charge_numbers,
    };
    Run {
        plans,
        numbers,
        charges,
        batch,
        date: mode.date,
        payment_days: ds.company.payment_days,
        period,
        warnings,
        already_billed,
    }
}

/// What goes on one invoice of a monthly run. The invoice is made from it
/// when it is rendered ([`Run::invoice`]) and dropped after: a large month
/// never holds all its invoice lines at once (a million on a large month).
pub enum Plan<'p> {
    Monthly {
        customer: CustomerId,
        /// The contract fees not yet billed, with their ledger items.
        fees: Vec<(Line, Item)>,
        /// Billable work and travel not yet billed, in `decide`'s order.
        work: Vec<&'p Part>,
        /// Covered and referral work of the period (proof of work).
        proof: Vec<&'p Part>,
    },
    Project {
        invoice: Box<Invoice>,
        item: Item,
    },
}

impl Plan<'_> {
    fn draft_number(&self, period: Period) -> String {
        match self {
            Plan::Monthly { customer, .. } => format!("DRAFT-{customer}-{period}"),
            Plan::Project { invoice, .. } => invoice.number.clone(),
        }
    }
}

/// Where the numbers of an issuing run start.
#[derive(Clone, Copy, Debug)]
pub struct BatchStart {
    /// The ledger batch this run appends.
    pub number: u64,
    /// The first invoice's sequence number in `year`.
    pub seq: u32,
    pub year: i32,
}

impl Run<'_> {
    /// The number of invoices.
    pub fn len(&self) -> usize {
        self.plans.len()
    }
    pub fn is_empty(&self) -> bool {
        self.plans.is_empty()
    }
    /// Invoice `k` (in number order) with what each of its lines bills
    /// (for the ledger batch; empty unless issuing).
    pub fn invoice(&self, ds: &Dataset, k: usize) -> (Invoice, Vec<Billing>) {
        let billing = self.batch.is_some();
        let mut its = Vec::new();
        let mut inv = match &self.plans[k] {
            Plan::Monthly {
                customer,
                fees,
                work,
                proof,
            } => {
                let c = &ds.customers[customer];
                let lang = c.language;
                let mut lines = Vec::with_capacity(fees.len() + work.len() + proof.len());
                for (l, item) in fees {
                    lines.push(l.clone());
                    if billing {
                        its.push(Some((item.clone(), "fee".to_string())));
                    }
                }
                for p in work {
                    lines.push(if p.rule == Rule::Travel {
                        travel_line(ds, p, lang)
                    } else {
                        work_line(ds, p, lang)
                    });
                    if billing {
                        its.push(Some((item_of(ds, p), p.rule.to_string())));
                    }
                }
                for p in proof {
                    lines.push(proof_line(ds, p, lang));
                    if billing {
                        its.push(None);
                    }
                }
                let earliest = lines
                    .iter()
                    .filter_map(|l| l.date)
                    .min()
                    .unwrap_or(self.period.first_day());
                let service = (
                    earliest.min(self.period.first_day()),
                    self.period.last_day(),
                );
                Invoice::draft(ds, c, InvoiceKind::Monthly, self.period, service, lines)
            }
            Plan::Project { invoice, item } => {
                if billing {
                    its.push(Some((item.clone(), "project".to_string())));
                }
                (**invoice).clone()
            }
        };
        inv.number = self.numbers[k].to_string();
        inv.draft = !billing;
        inv.issue_date = self.date;
        inv.due_date = self
            .date
            .map(|d| d + chrono::Duration::days(i64::from(self.payment_days)));
        (inv, its)
    }
    /// The billable work and travel parts on invoice `k` (none on a
    /// project's invoice).
    pub fn work(&self, k: usize) -> &[&Part] {
        match &self.plans[k] {
            Plan::Monthly { work, .. } => work,
            Plan::Project { .. } => &[],
        }
    }
    /// Every invoice at once, for small runs and tests; a large run renders
    /// them one by one (`render::run_files`).
    pub fn invoices(&self, ds: &Dataset) -> Vec<Invoice> {
        (0..self.len()).map(|k| self.invoice(ds, k).0).collect()
    }
    /// The ledger batch of an issuing run, whole, for small runs and tests.
    pub fn batch(&self, ds: &Dataset) -> Option<ledger::Batch> {
        let start = self.batch?;
        let mut batch = ledger::Batch {
            number: start.number,
            ..Default::default()
        };
        for k in 0..self.len() {
            let (inv, its) = self.invoice(ds, k);
            record(&inv, &its, &mut batch);
        }
        Some(batch)
    }
}

/// What a line bills (the ledger item and the rule that decided it), or
/// `None` for a proof-of-work line. One per line of an invoice.
pub type Billing = Option<(Item, String)>;

/// Dates, and when issuing numbers in a deterministic order (monthly
/// invoices by customer id, then projects by project id) and the ledger
/// batch. Drafts keep their DRAFT- names. `items` has one `Billing` per line.
pub fn finish(
    ds: &Dataset,
    led: &Ledger,
    mode: &Mode,
    invoices: &mut [Invoice],
    items: Vec<Vec<Billing>>,
) -> Option<ledger::Batch> {
    for inv in invoices.iter_mut() {
        inv.issue_date = mode.date;
        inv.due_date = mode
            .date
            .map(|d| d + chrono::Duration::days(i64::from(ds.company.payment_days)));
    }
    if !mode.issue {
        return None;
    }
    let date = mode.date?;
    let mut seq = led.next_seq(date.year(), false);
    let mut batch = ledger::Batch {
        number: led.last_batch + 1,
        invoices: Vec::new(),
        lines: Vec::new(),
        ..Default::default()
    };
    for (inv, its) in invoices.iter_mut().zip(items) {
        inv.number = ledger::format_number(&ds.company.invoice_number_format, date.year(), seq);
        inv.draft = false;
        seq += 1;
        record(inv, &its, &mut batch);
    }
    Some(batch)
}

/// Adds an issued invoice and its lines to a ledger batch.
pub fn record(inv: &Invoice, items: &[Billing], batch: &mut ledger::Batch) {
    batch.invoices.push(ledger::IssuedInvoice {
        number: inv.number.clone(),
        issue_date: inv.issue_date.unwrap_or(inv.service_to),
        customer: inv.customer.to_string(),
        kind: inv.kind.as_str().into(),
        project: inv.project.as_ref().map(|p| p.to_string()),
        period: inv.period.to_string(),
        service_from: inv.service_from,
        service_to: inv.service_to,
        due_date: inv.due_date,
        vat_rate: inv.vat_rate,
        tax_note: inv.tax_note.as_str().into(),
        refers_to: inv.refers_to.as_ref().map(|r| r.number.clone()),
        reason: inv.reason.clone(),
        net: inv.net,
        vat: inv.vat,
        gross: inv.gross,
        batch: batch.number,
        line: 0,
    });
    let number: std::sync::Arc<str> = inv.number.as_str().into();
    for (n, l) in inv.lines.iter().enumerate() {
        let billing = items.get(n).cloned().flatten();
        batch.lines.push(ledger::LineRow {
            invoice: number.clone(),
            line_no: n as u32 + 1,
            kind: l.kind.as_str().into(),
            rule: billing.as_ref().map_or("".into(), |b| b.1.as_str().into()),
            item: billing.map(|b| b.0),
            entry: l
                .entry
                .as_ref()
                .zip(l.part)
                .map(|(e, p)| (e.to_string(), p)),
            minutes: l.minutes,
            date: l.date,
            description: l.description.clone(),
            quantity: l.quantity,
            unit: l.unit.into(),
            unit_price: l.unit_price,
            amount: l.amount,
            batch: batch.number,
            line: 0,
        });
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum InvoiceKind {
    Monthly,
    Project,
    /// A Stornorechnung: every line of the original negated.
    Cancellation,
}

impl InvoiceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceKind::Monthly => "monthly",
            InvoiceKind::Project => "project",
            InvoiceKind::Cancellation => "cancellation",
        }
    }
}

/// Why an invoice carries no German VAT (F15), or `None` for 19 %.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TaxNote {
    None,
    /// Another EU member with a VAT id: the customer owes the tax.
    ReverseCharge,
    /// Outside the EU: not taxable in Germany.
    NotTaxableInDe,
}

impl TaxNote {
    pub fn as_str(self) -> &'static str {
        match self {
            TaxNote::None => "",
            TaxNote::ReverseCharge => "reverse-charge",
            TaxNote::NotTaxableInDe => "not-taxable-in-DE",
        }
    }

    /// The legal note the PDF prints and the e-invoice gives as the
    /// exemption reason (BT-120); `None` for 19 %.
    pub fn text(self, lang: Language) -> Option<&'static str> {
        match (self, lang) {
            (TaxNote::None, _) => None,
            (TaxNote::ReverseCharge, Language::De) => Some(
                "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge, \
                 Art. 196 MwStSystRL). Die Umsatzsteuer schuldet der Leistungsempfänger.",
            ),
            (TaxNote::ReverseCharge, Language::En) => Some(
                "Reverse charge: the recipient of the service is liable for the VAT \
                 (Art. 196 Council Directive 2006/112/EC; Steuerschuldnerschaft des \
                 Leistungsempfängers).",
            ),
            (TaxNote::NotTaxableInDe, Language::De) => Some(
                "Nicht im Inland steuerbare Leistung (Leistungsort im Ausland, \
                 § 3a Abs. 2 UStG).",
            ),
            (TaxNote::NotTaxableInDe, Language::En) => Some(
                "Not taxable in Germany (place of supply outside Germany, \
                 Sec. 3a (2) German VAT Act).",
            ),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LineKind {
    Fee,
    Work,
    Travel,
    Project,
    /// Covered or referral work shown at 0.00 as proof of work.
    Proof,
}

impl LineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Fee => "fee",
            LineKind::Work => "work",
            LineKind::Travel => "travel",
            LineKind::Project => "project",
            LineKind::Proof => "proof",
        }
    }
}

/// One line of an invoice.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub kind: LineKind,
    pub entry: Option<EntryId>,
    pub part: Option<u32>,
    pub date: Option<NaiveDate>,
    /// In the customer's language.
    pub description: String,
    /// Hours for work and proof lines (billed minutes / 60, shown rounded);
    /// 1 for fee, travel and project lines.
    pub quantity: Decimal,
    /// Minutes billed (work) or worked (proof); `None` for other lines.
    pub minutes: Option<u32>,
    /// `h`, `month`, `visit` or `project`.
    pub unit: &'static str,
    pub unit_price: Decimal,
    pub amount: Decimal,
}

/// One invoice, draft or issued.
#[derive(Clone, Debug, PartialEq)]
pub struct Invoice {
    /// `RE-2026-00042` when issued, `DRAFT-C2-2026-10` / `DRAFT-P-1` as a draft.
    pub number: String,
    pub draft: bool,
    pub kind: InvoiceKind,
    pub customer: CustomerId,
    pub project: Option<ProjectId>,
    pub period: Period,
    pub issue_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub service_from: NaiveDate,
    pub service_to: NaiveDate,
    pub lines: Vec<Line>,
    pub net: Decimal,
    pub vat_rate: Decimal,
    pub vat: Decimal,
    pub gross: Decimal,
    pub tax_note: TaxNote,
    pub currency: String,
    /// A cancellation's original invoice (RULES 6, F18); `None` otherwise.
    pub refers_to: Option<Reference>,
    /// Why a cancellation was issued.
    pub reason: Option<String>,
}

/// The invoice a cancellation refers to: its number and issue date.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    pub number: String,
    pub issue_date: NaiveDate,
}

impl Invoice {
    /// An unnumbered draft of `lines` for customer `c`: its tax treatment
    /// and totals (RULES 5); the caller names it and the run numbers and
    /// dates it.
    fn draft(
        ds: &Dataset,
        c: &Customer,
        kind: InvoiceKind,
        period: Period,
        (service_from, service_to): (NaiveDate, NaiveDate),
        lines: Vec<Line>,
    ) -> Invoice {
        let (vat_rate, tax_note) = tax_of(&ds.company, c);
        let (net, vat, gross) = totals(&lines, vat_rate);
        Invoice {
            number: String::new(),
            draft: true,
            kind,
            customer: c.id.clone(),
            project: None,
            period,
            issue_date: None,
            due_date: None,
            service_from,
            service_to,
            lines,
            net,
            vat_rate,
            vat,
            gross,
            tax_note,
            currency: ds.company.currency.clone(),
            refers_to: None,
            reason: None,
        }
    }
    /// The date the invoice's documents carry (the PDF's creation and
    /// modification dates, its XMP and the embedded XML's date): the issue
    /// date, or for a draft without `--date` the last day of its service
    /// (a monthly draft: the period's last day; a project draft: the
    /// acceptance date, D35). Never the clock, so a re-run gives the same
    /// bytes.
    pub fn document_date(&self) -> NaiveDate {
        self.issue_date.unwrap_or(self.service_to)
    }
    /// The PDF's file name in the output folder.
    pub fn file_name(&self) -> String {
        format!("{}.pdf", file_safe(&self.number))
    }
    /// The e-invoice XML beside the PDF: `<invoice file name>.xml`.
    pub fn xml_name(&self) -> String {
        format!("{}.xml", file_safe(&self.number))
    }
}

/// A name that is safe as one file name on every system: path separators,
/// reserved and control characters become `_` (ids may hold any text, F2).
pub fn file_safe(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    if s.starts_with('.') {
        format!("_{s}")
    } else {
        s
    }
}
