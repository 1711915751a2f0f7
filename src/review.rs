//! What the review page shows (RULES 15): the content of an output folder's
//! `index.html` as plain values, for the person who checks a run before
//! issuing. This module gathers it from the run (invoices, decided parts,
//! warnings); `render::review` turns a [`Page`] into HTML. Pure: values in,
//! values out.
//!
//! A command that writes a folder of its own (payments, reminders,
//! estimates) fills a [`Page`] with [`Page::new`], its invoices if any,
//! and its own tables in [`Page::sections`], and hands it to
//! `render::review::html`.

use crate::decide::{HeldReason, Outcome, Part, Rule, K};
use crate::invoice::{Invoice, LineKind};
use crate::model::{Dataset, Language};
use crate::period::Period;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// At most this many held entries are listed one by one with their
/// decision; beyond it the groups keep their counts and hours and the page
/// points to `held.csv` (a month of a million entries stays a page).
pub const HELD_LISTED: usize = 1000;

/// Everything the page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub language: Language,
    pub company: String,
    pub currency: String,
    pub kind: Kind,
    pub invoices: Vec<InvoiceRow>,
    /// Held work by customer, then by reason.
    pub held: Vec<HeldCustomer>,
    /// Contract hours of the period; `None` where the folder has no month
    /// (an ad-hoc invoice, a cancellation): the section is left out.
    pub quotas: Option<Vec<Quota>>,
    /// What was invoiced, by the rule that made it chargeable.
    pub revenue: Vec<(Revenue, Decimal)>,
    /// F18, acceptances, staff overlaps: one line each.
    pub warnings: Vec<String>,
    /// The folder's other files worth opening (CSVs, the manifest).
    pub files: Vec<String>,
    /// Tables of other commands (payments, reminders, estimates).
    pub sections: Vec<Section>,
}

/// Which output folder the page belongs to; it names the page.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// `faktura run`: the month, and whether it was issued.
    Run { period: Period, issued: bool },
    /// `faktura invoice`: the ad-hoc invoice of a project.
    Invoice { project: String, issued: bool },
    /// `faktura cancel`: the cancellation of an invoice.
    Cancel { number: String },
    /// Any other command: its title in German and English.
    Other { de: String, en: String },
}

#[derive(Clone, Debug, PartialEq)]
pub struct InvoiceRow {
    pub number: String,
    pub draft: bool,
    pub customer_id: String,
    pub customer_name: String,
    /// The project of a project invoice.
    pub project: Option<String>,
    /// The invoice a cancellation cancels.
    pub refers_to: Option<String>,
    pub net: Decimal,
    pub vat: Decimal,
    pub gross: Decimal,
    /// File names in the folder.
    pub pdf: String,
    pub xml: String,
}

impl InvoiceRow {
    pub fn of(ds: &Dataset, inv: &Invoice) -> InvoiceRow {
        InvoiceRow {
            number: inv.number.clone(),
            draft: inv.draft,
            customer_id: inv.customer.to_string(),
            customer_name: ds
                .customers
                .get(&inv.customer)
                .map_or(String::new(), |c| c.name.clone()),
            project: inv.project.as_ref().map(ToString::to_string),
            refers_to: inv.refers_to.as_ref().map(|r| r.number.clone()),
            net: inv.net,
            vat: inv.vat,
            gross: inv.gross,
            pdf: inv.file_name(),
            xml: inv.xml_name(),
        }
    }
}

/// One customer's held work.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldCustomer {
    pub customer_id: String,
    pub customer_name: String,
    pub reasons: Vec<HeldGroup>,
}

/// The held parts of one customer for one reason.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldGroup {
    pub reason: HeldReason,
    /// Held parts in the group, all of them.
    pub count: usize,
    /// Their raw minutes, all of them.
    pub minutes: u32,
    /// The parts listed one by one (at most [`HELD_LISTED`] on the page).
    pub entries: Vec<HeldEntry>,
}

/// One held part with its decision in words.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldEntry {
    pub entry_id: String,
    pub part: u32,
    pub date: chrono::NaiveDate,
    /// `HH:MM-HH:MM`.
    pub time: String,
    pub staff: String,
    pub minutes: u32,
    /// F11, e.g. `K4;A2`.
    pub rule: String,
    pub approval: Option<String>,
    /// As written in the time log (shown as text, never as markup).
    pub description: String,
    /// The sentences of `explain` for the rules that decided.
    pub decision: Vec<String>,
}

/// One contract's hours in the period.
#[derive(Clone, Debug, PartialEq)]
pub struct Quota {
    pub contract_id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub tier: String,
    /// `None`: unlimited (F5).
    pub included_minutes: Option<u32>,
    /// Covered minutes (K5).
    pub covered_minutes: u32,
    /// Minutes past the quota (K7, billable or held).
    pub over_minutes: u32,
}

impl Quota {
    pub fn over(&self) -> bool {
        self.over_minutes > 0
    }
}

/// The revenue categories of the chart (RULES 15).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Revenue {
    Fees,
    K3,
    K4,
    K6,
    K7,
    K8,
    Travel,
    Projects,
}

impl Revenue {
    pub const ALL: [Revenue; 8] = [
        Revenue::Fees,
        Revenue::K3,
        Revenue::K4,
        Revenue::K6,
        Revenue::K7,
        Revenue::K8,
        Revenue::Travel,
        Revenue::Projects,
    ];
    /// From a rule as written in the ledger (`K7;A1`, `travel`, `fee`).
    pub fn of_text(kind: &str, rule: &str) -> Option<Revenue> {
        match (kind, rule.split(';').next().unwrap_or("")) {
            ("fee", _) => Some(Revenue::Fees),
            ("travel", _) | (_, "travel") => Some(Revenue::Travel),
            ("project", _) => Some(Revenue::Projects),
            (_, "K3") => Some(Revenue::K3),
            (_, "K4") => Some(Revenue::K4),
            (_, "K6") => Some(Revenue::K6),
            (_, "K7") => Some(Revenue::K7),
            (_, "K8") => Some(Revenue::K8),
            _ => None,
        }
    }
}

/// A table of another command: a heading and rows of cells; it also gets
/// a card (its row count) in the summary strip.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// The anchor (`id`) of the section.
    pub id: String,
    pub title_de: String,
    pub title_en: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Its card in the summary strip is marked (e.g. unmatched payments).
    pub attention: bool,
    /// An amount the card shows under the row count (e.g. the open total).
    pub sum: Option<Decimal>,
}

impl Section {
    /// A section with the head in the page's language.
    pub fn new(lang: Language, id: &str, title: (&str, &str), head: &[(&str, &str)]) -> Section {
        Section {
            id: id.to_string(),
            title_de: title.0.to_string(),
            title_en: title.1.to_string(),
            head: head.iter().map(|h| pick(lang, *h).to_string()).collect(),
            rows: Vec::new(),
            attention: false,
            sum: None,
        }
    }
}

/// The German or the English of a label.
fn pick<'a>(lang: Language, (de, en): (&'a str, &'a str)) -> &'a str {
    match lang {
        Language::De => de,
        Language::En => en,
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    /// A right-aligned amount.
    Money(Decimal),
    /// A link to a file of the folder: (text, file name).
    File(String, String),
    /// A day, written in the page's language.
    Date(chrono::NaiveDate),
    /// A right-aligned count (items, days, a level).
    Count(i64),
    /// An id (invoice, customer, payment): never broken across lines.
    Id(String),
}

impl Cell {
    /// Right-aligned, and so is its column's heading.
    pub fn is_number(&self) -> bool {
        matches!(self, Cell::Money(_) | Cell::Count(_))
    }
}

impl Page {
    /// An empty page of `kind` for the data set's company.
    pub fn new(ds: &Dataset, kind: Kind) -> Page {
        Page {
            language: ds.company.language,
            company: ds.company.name.clone(),
            currency: ds.company.currency.clone(),
            kind,
            invoices: Vec::new(),
            held: Vec::new(),
            quotas: None,
            revenue: Vec::new(),
            warnings: ds.warnings.clone(),
            files: Vec::new(),
            sections: Vec::new(),
        }
    }

    /// Adds the invoices and their revenue; a work line's category comes
    /// from `rule_of` (its entry and part -> rule text, e.g. `K7;A1`).
    pub fn with_invoices(
        self,
        ds: &Dataset,
        invoices: &[Invoice],
        rule_of: &dyn Fn(&str, u32) -> Option<String>,
    ) -> Page {
        let mut revenue = BTreeMap::new();
        for inv in invoices {
            add_revenue(&mut revenue, inv, rule_of);
        }
        self.with_rows(ds, invoices, &revenue)
    }
    /// The invoices (their lines need not be there) and what they invoiced
    /// by category, summed beforehand ([`add_revenue`]).
    pub fn with_rows(
        mut self,
        ds: &Dataset,
        invoices: &[Invoice],
        revenue: &BTreeMap<Revenue, Decimal>,
    ) -> Page {
        self.invoices = invoices.iter().map(|inv| InvoiceRow::of(ds, inv)).collect();
        self.revenue = Revenue::ALL
            .iter()
            .map(|c| (*c, revenue.get(c).copied().unwrap_or_default()))
            .collect();
        self
    }
}

/// Adds what `inv`'s lines invoice to the revenue by category; `rule_of`
/// names the rule of a work line's entry part.
pub fn add_revenue(
    revenue: &mut BTreeMap<Revenue, Decimal>,
    inv: &Invoice,
    rule_of: &dyn Fn(&str, u32) -> Option<String>,
) {
    for l in &inv.lines {
        let cat = match l.kind {
            LineKind::Fee => Some(Revenue::Fees),
            LineKind::Travel => Some(Revenue::Travel),
            LineKind::Project => Some(Revenue::Projects),
            LineKind::Proof => None,
            LineKind::Work => match (&l.entry, l.part) {
                (Some(e), Some(p)) => {
                    rule_of(e.as_str(), p).and_then(|r| Revenue::of_text("work", &r))
                }
                _ => None,
            },
        };
        if let Some(c) = cat {
            *revenue.entry(c).or_default() += l.amount;
        }
    }
}

/// The page of a monthly run: its invoices, the held parts and the
/// contract hours of `period` among `charges` (the run's rows), the run's
/// own warnings (F18) after the data set's.
pub fn of_run<'p>(
    ds: &Dataset,
    invoices: &[Invoice],
    revenue: &BTreeMap<Revenue, Decimal>,
    charges: impl Iterator<Item = &'p Part> + Clone,
    run_warnings: &[String],
    period: Period,
    issued: bool,
) -> Page {
    let mut page = Page::new(ds, Kind::Run { period, issued }).with_rows(ds, invoices, revenue);
    page.warnings.extend(run_warnings.iter().cloned());
    let parts = charges;
    page.held = held(ds, parts.clone());
    page.quotas = Some(quotas(ds, parts, period));
    page.files = [
        "invoices.csv",
        "invoice_lines.csv",
        "charges.csv",
        "held.csv",
        crate::manifest::FILE,
    ]
    .map(String::from)
    .to_vec();
    page
}

/// The page of a folder of single invoices (`invoice`, `cancel`).
pub fn of_invoices(
    ds: &Dataset,
    kind: Kind,
    invoices: &[Invoice],
    rule_of: &dyn Fn(&str, u32) -> Option<String>,
) -> Page {
    let mut page = Page::new(ds, kind).with_invoices(ds, invoices, rule_of);
    page.files = ["invoices.csv", "invoice_lines.csv", crate::manifest::FILE]
        .map(String::from)
        .to_vec();
    page
}

/// The held parts grouped by customer and reason, in (customer, reason,
/// date, start, entry_id) order; the first [`HELD_LISTED`] with their
/// decision in words.
pub fn held<'p>(ds: &Dataset, parts: impl Iterator<Item = &'p Part> + Clone) -> Vec<HeldCustomer> {
    let mut groups: BTreeMap<(&str, HeldReason), Vec<&Part>> = BTreeMap::new();
    for p in parts.clone().filter(|p| p.outcome == Outcome::Held) {
        let e = &ds.entries[p.entry];
        let reason = p.reason.unwrap_or(HeldReason::NoApproval);
        groups
            .entry((ds.customer_of(e).as_str(), reason))
            .or_default()
            .push(p);
    }
    // The parts of each listed entry, gathered once (explain reads them
    // all); only the listed ones: a large month holds many more.
    let mut of_entry: HashMap<usize, Vec<&Part>> = groups
        .values()
        .flatten()
        .take(HELD_LISTED)
        .map(|p| (p.entry, Vec::new()))
        .collect();
    for p in parts {
        if let Some(mine) = of_entry.get_mut(&p.entry) {
            mine.push(p);
        }
    }
    let mut listed = 0;
    let mut out: Vec<HeldCustomer> = Vec::new();
    for ((customer, reason), ps) in groups {
        let mut entries = Vec::new();
        for p in &ps {
            if listed == HELD_LISTED {
                break;
            }
            listed += 1;
            let e = &ds.entries[p.entry];
            let mine = of_entry.get(&p.entry).map_or(&[][..], Vec::as_slice);
            entries.push(HeldEntry {
                entry_id: e.id().to_string(),
                part: p.part,
                date: e.date,
                time: format!(
                    "{}-{}",
                    crate::model::format_minute(e.start),
                    crate::model::format_minute(e.end)
                ),
                staff: ds.staff_of(e).to_string(),
                minutes: p.minutes.get().unwrap_or(0),
                rule: p.rule.to_string(),
                approval: ds.approval_id_of(e).map(ToString::to_string),
                description: e.description().to_string(),
                decision: crate::explain::decision(ds, e, mine, ds.company.language),
            });
        }
        let group = HeldGroup {
            reason,
            count: ps.len(),
            minutes: ps.iter().filter_map(|p| p.minutes.get()).sum(),
            entries,
        };
        match out.last_mut() {
            Some(c) if c.customer_id == customer => c.reasons.push(group),
            _ => out.push(HeldCustomer {
                customer_id: customer.to_string(),
                customer_name: ds
                    .customers
                    .get(customer)
                    .map_or(String::new(), |c| c.name.clone()),
                reasons: vec![group],
            }),
        }
    }
    out
}

/// Per contract active in `period`: covered (K5) and overage (K7) minutes
/// of the entries dated in it.
pub fn quotas<'p>(
    ds: &Dataset,
    parts: impl Iterator<Item = &'p Part>,
    period: Period,
) -> Vec<Quota> {
    let (first, last) = (period.first_day(), period.last_day());
    let mut used: HashMap<usize, (u32, u32)> = HashMap::new();
    for p in parts {
        let e = &ds.entries[p.entry];
        if e.date < first || e.date > last {
            continue;
        }
        let (covered, over) = match p.rule {
            Rule::Decided(K::K5, _) => (p.minutes.get().unwrap_or(0), 0),
            Rule::Decided(K::K7, _) => (0, p.minutes.get().unwrap_or(0)),
            _ => continue,
        };
        if let Some(c) = ds.contract_index_of(e) {
            let u = used.entry(c).or_default();
            u.0 += covered;
            u.1 += over;
        }
    }
    let mut out: Vec<Quota> = ds
        .contracts
        .iter()
        .enumerate()
        .filter(|(_, c)| c.start <= last && c.end.is_none_or(|end| end >= first))
        .map(|(i, c)| {
            let (covered, over) = used.get(&i).copied().unwrap_or_default();
            Quota {
                contract_id: c.id.to_string(),
                customer_id: c.customer.to_string(),
                customer_name: ds
                    .customers
                    .get(&c.customer)
                    .map_or(String::new(), |c| c.name.clone()),
                tier: c.tier.clone(),
                included_minutes: c.included_minutes,
                covered_minutes: covered,
                over_minutes: over,
            }
        })
        .collect();
    // Over quota first: what the clerk must look at.
    out.sort_by(|a, b| {
        b.over()
            .cmp(&a.over())
            .then_with(|| a.contract_id.cmp(&b.contract_id))
    });
    out
}

/// The page of `faktura payments` (RULES 12, 15): the overdue items and
/// the unmatched payments first (what the clerk acts on), then every open
/// item, the matched payments with their allocations and the customers'
/// credits; each card carries its total.
pub fn of_payments(
    ds: &Dataset,
    rec: &crate::payment::Receivables,
    led: &crate::ledger::Ledger,
    as_of: chrono::NaiveDate,
) -> Page {
    use crate::payment::{Rule as M, Status};
    let lang = ds.company.language;
    let mut page = Page::new(
        ds,
        Kind::Other {
            de: format!("Zahlungen zum {}", as_of.format("%d.%m.%Y")),
            en: format!("Payments as of {}", as_of.format("%-d %b %Y")),
        },
    );
    let name = |c: &str| {
        ds.customers
            .get(&crate::model::CustomerId::new(c))
            .map_or(String::new(), |c| c.name.clone())
    };
    let items = rec.open_items(led, as_of);
    let item_head: &[(&str, &str)] = &[
        ("Rechnung", "Invoice"),
        ("Kunde", "Customer"),
        ("Name", "Name"),
        ("Fällig", "Due"),
        ("Tage überfällig", "Days overdue"),
        ("Brutto", "Gross"),
        ("Bezahlt", "Paid"),
        ("Offen", "Open"),
        ("Status", "Status"),
    ];
    let item_row = |i: &crate::payment::OpenItem| {
        vec![
            Cell::Id(i.invoice_no.clone()),
            Cell::Id(i.customer.clone()),
            Cell::Text(name(&i.customer)),
            i.due_date.map_or(Cell::Text(String::new()), Cell::Date),
            Cell::Count(i.days_overdue),
            Cell::Money(i.gross),
            Cell::Money(i.paid),
            Cell::Money(i.open),
            Cell::Text(status(i.status, lang).to_string()),
        ]
    };
    let mut overdue = Section::new(lang, "overdue", ("Überfällig", "Overdue"), item_head);
    let mut open = Section::new(lang, "open", ("Offene Posten", "Open items"), item_head);
    for i in items.iter().filter(|i| i.open > Decimal::ZERO) {
        if i.status == Status::Overdue {
            overdue.rows.push(item_row(i));
        }
        open.rows.push(item_row(i));
    }
    let open_of = |f: &dyn Fn(&&crate::payment::OpenItem) -> bool| -> Decimal {
        items
            .iter()
            .filter(|i| i.open > Decimal::ZERO)
            .filter(f)
            .map(|i| i.open)
            .sum()
    };
    overdue.sum = Some(open_of(&|i| i.status == Status::Overdue));
    overdue.attention = !overdue.rows.is_empty();
    open.sum = Some(open_of(&|_| true));
    let booked: Vec<_> = rec
        .payments
        .iter()
        .filter(|m| m.payment.date <= as_of)
        .collect();
    let mut unmatched = Section::new(
        lang,
        "unmatched",
        ("Nicht zugeordnet", "Unmatched"),
        &[
            ("Zahlung", "Payment"),
            ("Gebucht", "Booked"),
            ("Betrag", "Amount"),
            ("Zahler", "Payer"),
            ("Verwendungszweck", "Remittance"),
            ("Grund", "Reason"),
        ],
    );
    let mut matched = Section::new(
        lang,
        "payments",
        ("Zugeordnete Zahlungen", "Matched payments"),
        &[
            ("Zahlung", "Payment"),
            ("Gebucht", "Booked"),
            ("Betrag", "Amount"),
            ("Zahler", "Payer"),
            ("Regel", "Rule"),
            ("Zugeordnet", "Allocated to"),
            ("Guthaben", "Credit"),
        ],
    );
    let (mut unmatched_sum, mut matched_sum) = (Decimal::ZERO, Decimal::ZERO);
    for m in booked {
        let p = &m.payment;
        if m.rule == M::M3 {
            unmatched_sum += p.amount;
            unmatched.rows.push(vec![
                Cell::Id(p.id.clone()),
                Cell::Date(p.date),
                Cell::Money(p.amount),
                Cell::Text(p.payer.clone()),
                Cell::Text(p.remittance.clone()),
                Cell::Text(m.reason.as_ref().map(|r| r.text(lang)).unwrap_or_default()),
            ]);
        } else {
            matched_sum += p.amount;
            let alloc: Vec<String> = m
                .allocations
                .iter()
                .map(|(no, a)| format!("{no}: {}", money_text(*a, lang)))
                .collect();
            matched.rows.push(vec![
                Cell::Id(p.id.clone()),
                Cell::Date(p.date),
                Cell::Money(p.amount),
                Cell::Text(p.payer.clone()),
                Cell::Text(m.rule.as_str().to_string()),
                Cell::Text(alloc.join("; ")),
                Cell::Money(m.credit),
            ]);
        }
    }
    unmatched.sum = Some(unmatched_sum);
    unmatched.attention = !unmatched.rows.is_empty();
    matched.sum = Some(matched_sum);
    let mut credits = Section::new(
        lang,
        "credits",
        ("Guthaben der Kunden", "Customer credits"),
        &[
            ("Kunde", "Customer"),
            ("Name", "Name"),
            ("Guthaben", "Credit"),
        ],
    );
    let mut credit_sum = Decimal::ZERO;
    for c in rec.credits.keys() {
        let credit = rec.credit(c, as_of);
        if !credit.is_zero() {
            credit_sum += credit;
            credits.rows.push(vec![
                Cell::Id(c.clone()),
                Cell::Text(name(c)),
                Cell::Money(credit),
            ]);
        }
    }
    credits.sum = Some(credit_sum);
    page.sections = vec![overdue, unmatched, open, matched, credits];
    page.files = [
        "open_items.csv",
        "unmatched.csv",
        "payments.csv",
        crate::manifest::FILE,
    ]
    .map(String::from)
    .to_vec();
    page
}

/// An amount inside a text cell, in the page's number format.
fn money_text(d: Decimal, lang: Language) -> String {
    let s = crate::money::money(d);
    match lang {
        Language::En => group(&s, ',', '.'),
        Language::De => group(&s, '.', ','),
    }
}

/// `1234.56` with thousands grouped and the given decimal mark.
fn group(plain: &str, thousands: char, mark: char) -> String {
    let (sign, digits) = plain.strip_prefix('-').map_or(("", plain), |d| ("-", d));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(thousands);
        }
        out.push(ch);
    }
    format!("{sign}{out}{mark}{frac}")
}

/// The page of `faktura remind` (RULES 13, 15): every letter with its
/// customer, level, claim and PDF, then every invoice on a letter with
/// its open amount, interest and fee. `letters` pairs each letter with
/// its number; `pdf` names a letter's file (`None`: no PDF was written).
/// The caller lists the folder's other files in `files`.
pub fn of_reminders(
    ds: &Dataset,
    letters: &[(String, crate::dunning::Letter)],
    pdf: &dyn Fn(&str, &crate::dunning::Letter) -> Option<String>,
    date: chrono::NaiveDate,
    issued: bool,
) -> Page {
    let lang = ds.company.language;
    let (de, en) = if issued {
        ("Mahnungen", "Reminders")
    } else {
        ("Mahnungen (Entwurf)", "Reminders (draft)")
    };
    let mut page = Page::new(
        ds,
        Kind::Other {
            de: format!("{de} vom {}", date.format("%d.%m.%Y")),
            en: format!("{en} of {}", date.format("%-d %b %Y")),
        },
    );
    let name = |c: &str| {
        ds.customers
            .get(&crate::model::CustomerId::new(c))
            .map_or(String::new(), |c| c.name.clone())
    };
    let mut list = Section::new(
        lang,
        "letters",
        ("Schreiben", "Letters"),
        &[
            ("Nummer", "Number"),
            ("Kunde", "Customer"),
            ("Name", "Name"),
            ("Stufe", "Level"),
            ("Zahlbar bis", "Pay by"),
            ("Offen", "Open"),
            ("Zinsen", "Interest"),
            ("Gebühr", "Fee"),
            ("Forderung", "Claim"),
            ("PDF", "PDF"),
        ],
    );
    let mut items = Section::new(
        lang,
        "dunned",
        ("Gemahnte Rechnungen", "Invoices on the letters"),
        &[
            ("Schreiben", "Letter"),
            ("Rechnung", "Invoice"),
            ("Stufe", "Level"),
            ("Fällig", "Due"),
            ("Tage überfällig", "Days overdue"),
            ("Offen", "Open"),
            ("Zinsen", "Interest"),
            ("Gebühr", "Fee"),
            ("Forderung", "Claim"),
        ],
    );
    let mut claim = Decimal::ZERO;
    for (no, l) in letters {
        claim += l.claim;
        list.rows.push(vec![
            Cell::Id(no.clone()),
            Cell::Id(l.customer.clone()),
            Cell::Text(name(&l.customer)),
            Cell::Count(i64::from(l.level)),
            Cell::Date(l.pay_by),
            Cell::Money(l.open),
            Cell::Money(l.interest),
            Cell::Money(l.fee),
            Cell::Money(l.claim),
            pdf(no, l).map_or(Cell::Text(String::new()), |f| Cell::File("PDF".into(), f)),
        ]);
        for i in &l.items {
            items.rows.push(vec![
                Cell::Id(no.clone()),
                Cell::Id(i.invoice.clone()),
                Cell::Count(i64::from(i.level)),
                Cell::Date(i.due_date),
                Cell::Count(i.days_overdue),
                Cell::Money(i.open),
                Cell::Money(i.interest_amount()),
                Cell::Money(i.fee),
                Cell::Money(i.claim),
            ]);
        }
    }
    list.sum = Some(claim);
    page.sections = vec![list, items];
    page
}

/// The page of `faktura estimate` (RULES 11, 15): per customer the notice
/// with its chargeable and free items, net and gross and the approval it
/// proposes; then every item with its rule and amount. `pdf` names a
/// customer's notice file (`None`: no PDF was written).
pub fn of_estimate(
    est: &crate::estimate::Estimate,
    pdf: &dyn Fn(&crate::model::CustomerId) -> Option<String>,
) -> Page {
    let ds = &est.ds;
    let lang = ds.company.language;
    let mut page = Page::new(
        ds,
        Kind::Other {
            de: format!("Kostenschätzung vom {}", est.date.format("%d.%m.%Y")),
            en: format!("Estimate of {}", est.date.format("%-d %b %Y")),
        },
    );
    let name = |c: &crate::model::CustomerId| {
        ds.customers
            .get(c)
            .map_or(String::new(), |c| c.name.clone())
    };
    let mut notices = Section::new(
        lang,
        "notices",
        ("Kostenhinweise", "Notices"),
        &[
            ("Kunde", "Customer"),
            ("Name", "Name"),
            ("Kostenpflichtig", "Chargeable"),
            ("Kostenfrei", "Free"),
            ("Netto", "Net"),
            ("Brutto", "Gross"),
            ("Vorgeschlagene Freigabe", "Proposed approval"),
            ("PDF", "PDF"),
        ],
    );
    let mut list = Section::new(
        lang,
        "items",
        ("Positionen", "Items"),
        &[
            ("Position", "Item"),
            ("Kunde", "Customer"),
            ("Datum", "Date"),
            ("Minuten", "Minutes"),
            ("Regel", "Rule"),
            ("Kostenpflichtig", "Chargeable"),
            ("Netto", "Net"),
            ("Beschreibung", "Description"),
        ],
    );
    let (yes, no) = match lang {
        Language::De => ("ja", "nein"),
        Language::En => ("yes", "no"),
    };
    let mut gross = Decimal::ZERO;
    for n in &est.notices {
        gross += n.gross;
        // An item is chargeable when one of its parts is billed.
        let mut by_item: BTreeMap<usize, Vec<&Part>> = BTreeMap::new();
        for p in est.parts_of(n) {
            by_item.entry(p.entry).or_default().push(p);
        }
        let mut chargeable = 0;
        for (entry, parts) in &by_item {
            let e = &ds.entries[*entry];
            let paid = parts.iter().any(|p| p.outcome == Outcome::Billable);
            chargeable += usize::from(paid);
            let rules: Vec<String> = parts.iter().map(|p| p.rule.to_string()).collect();
            list.rows.push(vec![
                Cell::Id(e.id().to_string()),
                Cell::Id(n.customer.to_string()),
                Cell::Date(e.date),
                Cell::Count(i64::from(
                    parts.iter().filter_map(|p| p.minutes.get()).sum::<u32>(),
                )),
                Cell::Text(rules.join(" + ")),
                Cell::Text(if paid { yes } else { no }.to_string()),
                Cell::Money(parts.iter().filter_map(|p| p.amount()).sum()),
                Cell::Text(e.description().to_string()),
            ]);
        }
        let proposal = match (&n.proposal, lang) {
            (Some(p), Language::De) => format!(
                "{} {} · {} h · bis {}",
                match p.kind {
                    crate::model::ApprovalKind::Order => "Auftrag",
                    crate::model::ApprovalKind::Approval => "Freigabe",
                },
                p.id,
                money_text(p.max_hours, lang),
                p.valid_until.format("%d.%m.%Y")
            ),
            (Some(p), Language::En) => format!(
                "{} {} · {} h · until {}",
                p.kind.as_str(),
                p.id,
                money_text(p.max_hours, lang),
                p.valid_until.format("%-d %b %Y")
            ),
            (None, Language::De) => "keine (alles kostenfrei)".to_string(),
            (None, Language::En) => "none (all free)".to_string(),
        };
        notices.rows.push(vec![
            Cell::Id(n.customer.to_string()),
            Cell::Text(name(&n.customer)),
            Cell::Count(chargeable as i64),
            Cell::Count((by_item.len() - chargeable) as i64),
            Cell::Money(n.net),
            Cell::Money(n.gross),
            Cell::Text(proposal),
            pdf(&n.customer).map_or(Cell::Text(String::new()), |f| Cell::File("PDF".into(), f)),
        ]);
    }
    notices.sum = Some(gross);
    list.sum = Some(est.notices.iter().map(|n| n.net).sum());
    page.sections = vec![notices, list];
    page.files = [
        "estimate.csv",
        "approvals-proposed.csv",
        crate::manifest::FILE,
    ]
    .map(String::from)
    .to_vec();
    page
}

/// An open item's status in the page's language.
fn status(s: crate::payment::Status, lang: Language) -> &'static str {
    use crate::payment::Status as S;
    match (lang, s) {
        (Language::En, _) => s.as_str(),
        (Language::De, S::Paid) => "bezahlt",
        (Language::De, S::PartlyPaid) => "teilweise bezahlt",
        (Language::De, S::Unpaid) => "offen",
        (Language::De, S::Overdue) => "überfällig",
        (Language::De, S::Cancelled) => "storniert",
    }
}
