//! Receivables (RULES 12): the payments of the bank statements and of
//! `payments/manual.csv` matched to the issued invoices by M1 (invoice
//! numbers or RF references named in the remittance), M2 (a customer id
//! only: oldest open first) or M3 (unmatched, for the clerk); what each
//! invoice was paid and when, each customer's credit, and every invoice's
//! status on a day. Recomputed from the statements on every call, like the
//! cost decisions: the statements are the record. Pure: values in, values
//! out.
//!
//! For the features that build on it (dunning, the DATEV export):
//! [`match_payments`] gives a [`Receivables`]; its `allocations` hold per
//! invoice `(booking date, amount, payment id)` and
//! [`Receivables::open_items`] the invoices' state as of a day.

use crate::camt::BankPayment;
use crate::diagnostic::Diagnostic;
use crate::ledger::{IssuedInvoice, Ledger};
use crate::table::Table;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The clerk's file of cash, cheques and assignments.
pub const MANUAL_FILE: &str = "payments/manual.csv";
pub const MANUAL_COLUMNS: &[&str] = &[
    "payment_id",
    "date",
    "amount",
    "payer",
    "reference",
    "invoice_no",
    "customer_id",
];

/// What a manual row assigns its payment to.
#[derive(Clone, Debug, PartialEq)]
pub enum Assign {
    Invoice(String),
    Customer(String),
}

/// One payment to match: a bank entry (or one transaction of a batch), or a
/// row of `manual.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct Payment {
    /// `<file>:<entry>[.<tx>]` for a bank entry, the clerk's id otherwise.
    pub id: String,
    /// The bank's `AcctSvcrRef`; a manual row's `reference`.
    pub bank_ref: String,
    /// The file it was read from (`payments/...`).
    pub source: String,
    /// Order within the source (entry/transaction, or the manual row's line).
    pub position: usize,
    pub date: NaiveDate,
    /// Positive: money in; negative: a return.
    pub amount: Decimal,
    pub currency: String,
    pub payer: String,
    /// The remittance as shown in `payments.csv`.
    pub remittance: String,
    /// Where M1 and M2 look, in order: the structured references, the
    /// `Ustrd` pieces joined by a space, and joined without a separator
    /// (banks cut long texts mid-word).
    pub texts: Vec<String>,
    /// A manual row's invoice or customer (rule `manual`).
    pub assign: Option<Assign>,
    pub manual: bool,
}

impl Payment {
    pub fn from_bank(b: &BankPayment) -> Payment {
        let mut texts = b.structured.clone();
        texts.push(b.unstructured.join(" "));
        if b.unstructured.len() > 1 {
            texts.push(b.unstructured.concat());
        }
        Payment {
            id: b.id.clone(),
            bank_ref: b.bank_ref.clone(),
            source: b.source.clone(),
            position: b.position,
            date: b.booking_date,
            amount: b.amount,
            currency: b.currency.clone(),
            payer: b.payer.clone(),
            remittance: b.remittance(),
            texts,
            assign: None,
            manual: false,
        }
    }
}

/// Which rule matched a payment (RULES 12), the first that applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// The remittance names issued invoice numbers (or their RF
    /// references): the amount goes to them in the order named, each up to
    /// its open amount; what is left is a credit of the customer of the
    /// last one named.
    M1,
    /// No invoice is named but a customer id is: to that customer's open
    /// invoices, oldest first; what is left is the customer's credit.
    M2,
    /// Otherwise unmatched, allocated to nothing, listed for the clerk; no
    /// matching on names or amounts alone.
    M3,
    /// A row of `manual.csv` naming an invoice or a customer.
    Manual,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::M1 => "M1",
            Rule::M2 => "M2",
            Rule::M3 => "M3",
            Rule::Manual => "manual",
        }
    }
}

/// A payment with what it was allocated to.
#[derive(Clone, Debug, PartialEq)]
pub struct Matched {
    pub payment: Payment,
    pub rule: Rule,
    /// (invoice number, amount), in the order allocated.
    pub allocations: Vec<(String, Decimal)>,
    /// What is left, as the credit of `customer` (negative: a return took
    /// back more than was allocated).
    pub credit: Decimal,
    pub customer: Option<String>,
    /// Why a payment is unmatched (M3).
    pub reason: Option<Unmatched>,
}

/// Why a payment stays unmatched (M3). `unmatched.csv` keeps the English
/// wording (a file for machines and auditors, the same in every
/// installation); the review page words it in its own language.
#[derive(Clone, Debug, PartialEq)]
pub enum Unmatched {
    /// Paid in another currency than the invoices'.
    Currency { got: String, expected: String },
    /// The remittance names nothing faktura can match.
    NoReference,
    /// The remittance names several customers and no invoice.
    SeveralCustomers(Vec<String>),
}

impl Unmatched {
    pub fn text(&self, lang: crate::model::Language) -> String {
        use crate::model::Language::{De, En};
        match (self, lang) {
            (Unmatched::Currency { got, expected }, En) => {
                format!("currency {got} (expected {expected}): not matched")
            }
            (Unmatched::Currency { got, expected }, De) => {
                format!("Währung {got} (erwartet {expected}): nicht zugeordnet")
            }
            (Unmatched::NoReference, En) => {
                "no invoice number, RF reference or customer id in the remittance".into()
            }
            (Unmatched::NoReference, De) => {
                "keine Rechnungsnummer, RF-Referenz oder Kundennummer im Verwendungszweck".into()
            }
            (Unmatched::SeveralCustomers(c), En) => {
                format!("names several customers ({}) and no invoice", c.join(", "))
            }
            (Unmatched::SeveralCustomers(c), De) => {
                format!("nennt mehrere Kunden ({}) und keine Rechnung", c.join(", "))
            }
        }
    }
}

impl std::fmt::Display for Unmatched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(crate::model::Language::En))
    }
}

/// One allocation to an invoice, or to a customer's credit.
#[derive(Clone, Debug, PartialEq)]
pub struct Allocation {
    /// The payment's booking date.
    pub date: NaiveDate,
    pub amount: Decimal,
    pub payment_id: String,
}

/// Every payment matched, and what each invoice and customer received.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Receivables {
    /// In matching order (booking date, file, position; manual rows after
    /// the statements of the same date).
    pub payments: Vec<Matched>,
    /// Invoice number -> its allocations in booking order.
    pub allocations: BTreeMap<String, Vec<Allocation>>,
    /// Customer id -> the credits (and returns taken from credit).
    pub credits: BTreeMap<String, Vec<Allocation>>,
}

/// An issued invoice's state on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Paid,
    PartlyPaid,
    Unpaid,
    Overdue,
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Paid => "paid",
            Status::PartlyPaid => "partly-paid",
            Status::Unpaid => "unpaid",
            Status::Overdue => "overdue",
            Status::Cancelled => "cancelled",
        }
    }
}

/// One issued invoice (not a cancellation) as of a day.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenItem {
    pub invoice_no: String,
    pub customer: String,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub gross: Decimal,
    pub paid: Decimal,
    /// gross - paid; 0 for a cancelled invoice.
    pub open: Decimal,
    pub days_overdue: i64,
    pub status: Status,
}

impl Receivables {
    /// The allocations of one invoice: (booking date, amount, payment id).
    pub fn allocations_of(&self, invoice: &str) -> &[Allocation] {
        self.allocations.get(invoice).map_or(&[], Vec::as_slice)
    }

    /// What was paid on `invoice` by payments booked up to `as_of`.
    pub fn paid(&self, invoice: &str, as_of: NaiveDate) -> Decimal {
        sum_to(self.allocations_of(invoice), as_of)
    }

    /// A customer's credit from payments booked up to `as_of`.
    pub fn credit(&self, customer: &str, as_of: NaiveDate) -> Decimal {
        self.credits
            .get(customer)
            .map_or(Decimal::ZERO, |a| sum_to(a, as_of))
    }

    /// Every issued invoice (cancellations themselves left out) issued up
    /// to `as_of`, with paid, open and status on that day, ordered by
    /// customer, issue date and number. Payments booked after `as_of` do
    /// not count (matching goes in booking order, so they never changed an
    /// earlier allocation).
    pub fn open_items(&self, led: &Ledger, as_of: NaiveDate) -> Vec<OpenItem> {
        let mut items: Vec<OpenItem> = led
            .invoices
            .iter()
            .filter(|i| !i.is_cancellation() && i.issue_date <= as_of)
            .map(|i| self.item(led, i, as_of))
            .collect();
        items.sort_by(|a, b| {
            (&a.customer, a.issue_date, &a.invoice_no).cmp(&(
                &b.customer,
                b.issue_date,
                &b.invoice_no,
            ))
        });
        items
    }

    /// One invoice's state on `as_of`.
    pub fn item(&self, led: &Ledger, i: &IssuedInvoice, as_of: NaiveDate) -> OpenItem {
        let paid = self.paid(&i.number, as_of);
        let cancelled = led.cancelled_by.contains_key(&i.number);
        let open = if cancelled {
            Decimal::ZERO
        } else {
            i.gross - paid
        };
        let late = i.due_date.filter(|d| *d < as_of && open > Decimal::ZERO);
        let status = if cancelled {
            Status::Cancelled
        } else if open <= Decimal::ZERO {
            Status::Paid
        } else if late.is_some() {
            Status::Overdue
        } else if paid > Decimal::ZERO {
            Status::PartlyPaid
        } else {
            Status::Unpaid
        };
        OpenItem {
            invoice_no: i.number.clone(),
            customer: i.customer.clone(),
            issue_date: i.issue_date,
            due_date: i.due_date,
            gross: i.gross,
            paid,
            open,
            days_overdue: late.map_or(0, |d| (as_of - d).num_days()),
            status,
        }
    }
}

fn sum_to(a: &[Allocation], as_of: NaiveDate) -> Decimal {
    a.iter().filter(|x| x.date <= as_of).map(|x| x.amount).sum()
}

/// Reads `manual.csv`. A row whose `reference` is the id of a bank payment
/// stands for that payment (the clerk's assignment of an unmatched entry);
/// the ids of the bank payments so replaced come back too.
pub fn parse_manual(
    bytes: &[u8],
    bank: &[BankPayment],
    led: &Ledger,
    customers: &HashSet<String>,
    currency: &str,
) -> (Vec<Payment>, HashSet<String>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Some(t) = Table::open(MANUAL_FILE, bytes, MANUAL_COLUMNS, &mut diags) else {
        return (Vec::new(), HashSet::new(), diags);
    };
    let bank_ids: HashMap<&str, &BankPayment> = bank.iter().map(|b| (b.id.as_str(), b)).collect();
    let (rows, d) = t.rows(|r| {
        // Every field is read before giving up on the row: all its
        // problems are reported at once.
        let id = r.str(0, "a payment id").map(str::to_string);
        let date = r.date(1);
        let amount = r.str(2, "an amount such as 120.00").and_then(|text| {
            match crate::table::parse_decimal(text) {
                Some(a) if !a.is_zero() && a.scale() <= 2 => Some(a),
                _ => {
                    r.error(2, format!("'{text}' is not an amount (expected a non-zero decimal with at most two decimals, e.g. 120.00 or -50.00)"));
                    None
                }
            }
        });
        let payer = r.opt_str(3).ok().flatten().unwrap_or("").to_string();
        let reference = r.opt_str(4).ok().flatten().unwrap_or("").to_string();
        let invoice = r.opt_str(5).ok().flatten().map(str::to_string);
        let customer = r.opt_str(6).ok().flatten().map(str::to_string);
        let invoice_known = invoice.as_ref().is_none_or(|no| led.invoice(no).is_some());
        if !invoice_known {
            let no = invoice.as_deref().unwrap_or_default();
            r.error(5, format!("no invoice '{no}' in the ledger (expected the number of an issued invoice)"));
        }
        let mut ok = invoice_known;
        if let Some(id) = id.as_deref().filter(|id| bank_ids.contains_key(id)) {
            r.error(0, format!("'{id}' is the id of a bank payment (expected an id of your own, e.g. CASH-1; put the bank payment's id into reference)"));
            ok = false;
        }
        let mut replaced = None;
        if let Some(b) = bank_ids.get(reference.as_str()) {
            if amount.is_some_and(|a| a != b.amount) {
                let a = amount.unwrap_or_default();
                r.error(2, format!("{a} differs from bank payment {reference}'s amount {} (expected the bank payment's amount)", b.amount));
                ok = false;
            }
            replaced = Some(reference.clone());
        } else if reference.contains(".xml:") {
            r.error(4, format!("no bank payment '{reference}' in the statements (expected a payment_id of payments.csv)"));
            ok = false;
        }
        let assign = match (&invoice, &customer) {
            (Some(no), c) => {
                let owner = led.invoice(no).map(|i| i.customer.as_str());
                if let (Some(c), Some(owner)) = (c, owner) {
                    if c != owner {
                        r.error(6, format!("invoice {no} is of customer {owner}, not {c} (expected its customer or nothing)"));
                        ok = false;
                    }
                }
                Some(Assign::Invoice(no.clone()))
            }
            (None, Some(c)) => {
                if !customers.contains(c) {
                    r.error(6, format!("unknown customer '{c}' (expected a customer_id of customers.csv)"));
                    ok = false;
                }
                Some(Assign::Customer(c.clone()))
            }
            (None, None) => None,
        };
        let (Some(id), Some(date), Some(amount), true) = (id, date, amount, ok) else {
            return None;
        };
        let texts = vec![reference.clone()];
        Some((
            Payment {
                id,
                bank_ref: reference.clone(),
                source: MANUAL_FILE.to_string(),
                position: r.line as usize,
                date,
                amount,
                currency: currency.to_string(),
                payer,
                remittance: reference,
                texts,
                assign,
                manual: true,
            },
            replaced,
            r.line,
        ))
    });
    diags.extend(d);
    let mut ids = HashSet::new();
    let mut replaced = HashSet::new();
    let mut payments = Vec::new();
    for (p, rep, line) in rows {
        if !ids.insert(p.id.clone()) {
            diags.push(Diagnostic::error(
                MANUAL_FILE,
                line,
                "payment_id",
                format!("'{}' is used twice (expected each payment_id once)", p.id),
            ));
            continue;
        }
        if let Some(rep) = rep {
            if !replaced.insert(rep.clone()) {
                diags.push(Diagnostic::error(MANUAL_FILE, line, "reference", format!("bank payment '{rep}' is assigned twice (expected one row per bank payment)")));
                continue;
            }
        }
        payments.push(p);
    }
    (payments, replaced, diags)
}

/// The payments to match: the bank's, less those a manual row stands for,
/// and the manual rows.
pub fn combine(
    bank: &[BankPayment],
    manual: Vec<Payment>,
    replaced: &HashSet<String>,
) -> Vec<Payment> {
    bank.iter()
        .filter(|b| !replaced.contains(&b.id))
        .map(Payment::from_bank)
        .chain(manual)
        .collect()
}

/// Matches every payment, in booking order, by M1, M2, M3 (or the clerk's
/// assignment). `customers`: the customer ids M2 looks for; `currency`:
/// the data set's (a payment in another is not matched).
pub fn match_payments(
    led: &Ledger,
    customers: &HashSet<String>,
    currency: &str,
    mut payments: Vec<Payment>,
) -> Receivables {
    payments.sort_by(|a, b| {
        (a.date, a.manual, &a.source, a.position).cmp(&(b.date, b.manual, &b.source, b.position))
    });
    let mut book = Book::new(led, customers);
    let mut rec = Receivables::default();
    for p in payments {
        let m = book.one(p, currency);
        for (no, amount) in &m.allocations {
            rec.allocations
                .entry(no.clone())
                .or_default()
                .push(Allocation {
                    date: m.payment.date,
                    amount: *amount,
                    payment_id: m.payment.id.clone(),
                });
        }
        if let (Some(c), false) = (&m.customer, m.credit.is_zero()) {
            rec.credits.entry(c.clone()).or_default().push(Allocation {
                date: m.payment.date,
                amount: m.credit,
                payment_id: m.payment.id.clone(),
            });
        }
        rec.payments.push(m);
    }
    rec
}

/// The running state of the matching: what each invoice has received.
struct Book<'l> {
    led: &'l Ledger,
    paid: Vec<Decimal>,
    /// Upper-case invoice number and RF reference -> its index in the
    /// ledger; a dunning letter's number and RF reference (RULES 13, D4) ->
    /// the invoices on the letter, in the letter's order.
    names: HashMap<String, Vec<usize>>,
    /// Upper-case customer id -> the id.
    customers: HashMap<String, String>,
    /// Customer id -> their invoices, oldest first (issue date, number).
    by_customer: HashMap<String, Vec<usize>>,
    /// Characters other than letters and digits that occur in invoice
    /// numbers or customer ids: they belong to a token, others split.
    joiners: HashSet<char>,
}

impl<'l> Book<'l> {
    fn new(led: &'l Ledger, customers: &HashSet<String>) -> Book<'l> {
        let mut names = HashMap::new();
        let mut joiners = HashSet::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (k, i) in led.invoices.iter().enumerate() {
            names.insert(i.number.to_uppercase(), vec![k]);
            if let Some(rf) = crate::creditor_ref::of(&i.number) {
                names.insert(rf, vec![k]);
            }
            joiners.extend(i.number.chars().filter(|c| !c.is_alphanumeric()));
            index.insert(i.number.as_str(), k);
        }
        // A payment by a dunning letter's GiroCode names the letter.
        for l in &led.letters {
            let on: Vec<usize> = led
                .dunned
                .iter()
                .filter(|d| d.letter == l.number)
                .filter_map(|d| index.get(d.invoice.as_str()).copied())
                .collect();
            if let Some(rf) = crate::creditor_ref::of(&l.number) {
                names.insert(rf, on.clone());
            }
            names.insert(l.number.to_uppercase(), on);
            joiners.extend(l.number.chars().filter(|c| !c.is_alphanumeric()));
        }
        let mut all: HashMap<String, String> = HashMap::new();
        for c in customers
            .iter()
            .chain(led.invoices.iter().map(|i| &i.customer))
        {
            all.insert(c.to_uppercase(), c.clone());
            joiners.extend(c.chars().filter(|c| !c.is_alphanumeric()));
        }
        joiners.retain(|c| !c.is_whitespace());
        let mut by_customer: HashMap<String, Vec<usize>> = HashMap::new();
        for (k, i) in led.invoices.iter().enumerate() {
            by_customer.entry(i.customer.clone()).or_default().push(k);
        }
        for v in by_customer.values_mut() {
            v.sort_by(|a, b| {
                let (x, y) = (&led.invoices[*a], &led.invoices[*b]);
                (x.issue_date, &x.number).cmp(&(y.issue_date, &y.number))
            });
        }
        Book {
            by_customer,
            led,
            paid: vec![Decimal::ZERO; led.invoices.len()],
            names,
            customers: all,
            joiners,
        }
    }

    /// An invoice that can receive money: issued, not a cancellation, not cancelled.
    fn live(&self, k: usize) -> bool {
        let i = &self.led.invoices[k];
        !i.is_cancellation() && !self.led.cancelled_by.contains_key(&i.number)
    }

    fn open(&self, k: usize) -> Decimal {
        if self.live(k) {
            (self.led.invoices[k].gross - self.paid[k]).max(Decimal::ZERO)
        } else {
            Decimal::ZERO
        }
    }

    /// The whole tokens of `text`, upper case, with their positions.
    fn tokens<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, String)> + 't {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            let part = c.is_alphanumeric() || self.joiners.contains(&c);
            match (part, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    // A joiner at the end of a token is punctuation ("RE-1-").
                    let tok = text[s..i].trim_end_matches(|c: char| !c.is_alphanumeric());
                    if !tok.is_empty() {
                        out.push((s, tok.to_uppercase()));
                    }
                    start = None;
                }
                _ => {}
            }
        }
        out.into_iter()
    }

    /// The invoices `texts` name, in order of first mention: whole-token
    /// invoice numbers, and RF references also when written in groups
    /// (`RF82 RE20 2600 042`).
    fn named(&self, texts: &[String]) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for text in texts {
            let mut hits: Vec<(usize, &[usize])> = self
                .tokens(text)
                .filter_map(|(pos, t)| self.names.get(&t).map(|k| (pos, k.as_slice())))
                .collect();
            hits.extend(self.grouped_rf(text));
            // By position; a letter's invoices keep the letter's order.
            hits.sort_by_key(|h| h.0);
            for (_, ks) in hits {
                for &k in ks {
                    if !out.contains(&k) {
                        out.push(k);
                    }
                }
            }
        }
        out
    }

    /// RF references written with spaces: the letters and digits of `text`
    /// read as one string, a known RF starting and ending at a word border.
    fn grouped_rf(&self, text: &str) -> Vec<(usize, &[usize])> {
        let mut compact = String::new();
        let mut pos = Vec::new(); // original byte position per compact char
        let mut border_after = Vec::new(); // a non-alphanumeric follows
        for (i, c) in text.char_indices() {
            if c.is_ascii_alphanumeric() {
                compact.push(c.to_ascii_uppercase());
                pos.push(i);
                border_after.push(false);
            } else if c.is_alphanumeric() {
                // Not ASCII: part of a word, never of an RF.
                compact.push('_');
                pos.push(i);
                border_after.push(false);
            } else if let Some(b) = border_after.last_mut() {
                *b = true;
            }
        }
        let n = compact.len();
        if let Some(b) = border_after.last_mut() {
            *b = true;
        }
        let mut hits = Vec::new();
        for s in 0..n.saturating_sub(4) {
            if !compact[s..].starts_with("RF") || (s > 0 && !border_after[s - 1]) {
                continue;
            }
            for e in (s + 5..=n.min(s + 25)).rev() {
                if border_after[e - 1] {
                    if let Some(k) = self.names.get(&compact[s..e]) {
                        hits.push((pos[s], k.as_slice()));
                        break;
                    }
                }
            }
        }
        hits
    }

    /// The customers `texts` name as whole tokens.
    fn named_customers(&self, texts: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for text in texts {
            for (_, t) in self.tokens(text) {
                if let Some(c) = self.customers.get(&t) {
                    if !out.contains(c) {
                        out.push(c.clone());
                    }
                }
            }
        }
        out
    }

    fn one(&mut self, p: Payment, currency: &str) -> Matched {
        let unmatched = |p: Payment, reason: Unmatched| Matched {
            payment: p,
            rule: Rule::M3,
            allocations: Vec::new(),
            credit: Decimal::ZERO,
            customer: None,
            reason: Some(reason),
        };
        if p.currency != currency {
            let reason = Unmatched::Currency {
                got: p.currency.clone(),
                expected: currency.to_string(),
            };
            return unmatched(p, reason);
        }
        match p.assign.clone() {
            Some(Assign::Invoice(no)) => {
                let named: Vec<usize> = self
                    .led
                    .invoices
                    .iter()
                    .position(|i| i.number == no)
                    .into_iter()
                    .collect();
                return self.by_invoices(p, &named, Rule::Manual);
            }
            Some(Assign::Customer(c)) => return self.by_customer(p, &c, Rule::Manual),
            None => {}
        }
        let named = self.named(&p.texts);
        if !named.is_empty() {
            return self.by_invoices(p, &named, Rule::M1);
        }
        match self.named_customers(&p.texts).as_slice() {
            [c] => {
                let c = c.clone();
                self.by_customer(p, &c, Rule::M2)
            }
            [] => unmatched(p, Unmatched::NoReference),
            many => {
                let reason = Unmatched::SeveralCustomers(many.to_vec());
                unmatched(p, reason)
            }
        }
    }

    /// M1: to the named invoices in order, each up to its open amount (a
    /// return: each down to what it received); the rest is the credit of
    /// the last one's customer.
    fn by_invoices(&mut self, p: Payment, named: &[usize], rule: Rule) -> Matched {
        let customer = named.last().map(|k| self.led.invoices[*k].customer.clone());
        let (allocations, rest) = self.spread(p.amount, named);
        Matched {
            payment: p,
            rule,
            allocations,
            credit: rest,
            customer,
            reason: None,
        }
    }

    /// M2: to the customer's open invoices issued by the booking date,
    /// oldest first (a return: newest first); the rest is their credit.
    fn by_customer(&mut self, p: Payment, customer: &str, rule: Rule) -> Matched {
        let mut order: Vec<usize> = self
            .by_customer
            .get(customer)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .copied()
            .filter(|k| self.live(*k) && self.led.invoices[*k].issue_date <= p.date)
            .collect();
        if p.amount < Decimal::ZERO {
            order.reverse();
        }
        let (allocations, rest) = self.spread(p.amount, &order);
        Matched {
            payment: p,
            rule,
            allocations,
            credit: rest,
            customer: Some(customer.to_string()),
            reason: None,
        }
    }

    /// Spreads `amount` over `invoices` in order; returns the allocations
    /// and what is left.
    fn spread(&mut self, amount: Decimal, invoices: &[usize]) -> (Vec<(String, Decimal)>, Decimal) {
        let mut rest = amount;
        let mut out = Vec::new();
        for &k in invoices {
            if rest.is_zero() {
                break;
            }
            let a = if rest > Decimal::ZERO {
                rest.min(self.open(k))
            } else if self.live(k) {
                -(-rest).min(self.paid[k])
            } else {
                Decimal::ZERO
            };
            if !a.is_zero() {
                self.paid[k] += a;
                rest -= a;
                out.push((self.led.invoices[k].number.clone(), a));
            }
        }
        (out, rest)
    }
}

/// Statements and `manual.csv` to matched receivables: every problem of
/// every file, or the matching. `statements`: (name, bytes) in name order.
pub fn from_inputs(
    led: &Ledger,
    customers: &HashSet<String>,
    currency: &str,
    statements: &[(String, Vec<u8>)],
    manual: Option<&[u8]>,
) -> Result<Receivables, Vec<Diagnostic>> {
    let (bank, mut diags) = crate::camt::read_all(statements);
    let (manual, replaced) = match manual {
        Some(bytes) => {
            let (m, r, d) = parse_manual(bytes, &bank, led, customers, currency);
            diags.extend(d);
            (m, r)
        }
        None => (Vec::new(), HashSet::new()),
    };
    if diags.iter().any(Diagnostic::is_error) {
        crate::diagnostic::sort(&mut diags);
        return Err(diags);
    }
    let payments = combine(&bank, manual, &replaced);
    Ok(match_payments(led, customers, currency, payments))
}

/// One allocation as the books need it (the DATEV export, dunning): the
/// payment's booking date, the invoice (none for a customer's credit), its
/// customer, the amount and the payment.
#[derive(Clone, Debug, PartialEq)]
pub struct Booking {
    pub date: NaiveDate,
    pub invoice: Option<String>,
    pub customer: String,
    pub amount: Decimal,
    pub payment_id: String,
}

impl Receivables {
    /// Every allocation and credit, in matching order.
    pub fn bookings(&self, led: &Ledger) -> Vec<Booking> {
        let customer_of: HashMap<&str, &str> = led
            .invoices
            .iter()
            .map(|i| (i.number.as_str(), i.customer.as_str()))
            .collect();
        let mut out = Vec::new();
        for m in &self.payments {
            for (no, amount) in &m.allocations {
                out.push(Booking {
                    date: m.payment.date,
                    invoice: Some(no.clone()),
                    customer: customer_of
                        .get(no.as_str())
                        .copied()
                        .unwrap_or("")
                        .to_string(),
                    amount: *amount,
                    payment_id: m.payment.id.clone(),
                });
            }
            if let (Some(c), false) = (&m.customer, m.credit.is_zero()) {
                out.push(Booking {
                    date: m.payment.date,
                    invoice: None,
                    customer: c.clone(),
                    amount: m.credit,
                    payment_id: m.payment.id.clone(),
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{Batch, IssuedInvoice};

    fn d(s: &str) -> NaiveDate {
        crate::table::parse_date(s).unwrap()
    }
    fn dec(s: &str) -> Decimal {
        crate::table::parse_decimal(s).unwrap()
    }

    fn inv(number: &str, customer: &str, issued: &str, gross: &str) -> IssuedInvoice {
        IssuedInvoice {
            number: number.into(),
            issue_date: d(issued),
            customer: customer.into(),
            kind: "monthly".into(),
            project: None,
            period: "2026-10".into(),
            service_from: d(issued),
            service_to: d(issued),
            due_date: Some(d(issued) + chrono::Duration::days(14)),
            vat_rate: Decimal::from(19),
            tax_note: String::new(),
            refers_to: None,
            reason: None,
            net: dec(gross),
            vat: Decimal::ZERO,
            gross: dec(gross),
            batch: 1,
            line: 0,
        }
    }

    /// RE-1 (C1, 100.00), RE-12 (C1, 50.00), RE-2 (C2, 80.00), RE-3 (C2,
    /// 30.00, cancelled by ST-1).
    fn ledger() -> Ledger {
        let mut st = inv("ST-1", "C2", "2026-11-03", "-30.00");
        st.kind = "cancellation".into();
        st.refers_to = Some("RE-3".into());
        let mut bytes = crate::ledger::header();
        bytes.extend(crate::ledger::batch_bytes(&Batch {
            number: 1,
            invoices: vec![
                inv("RE-1", "C1", "2026-11-01", "100.00"),
                inv("RE-12", "C1", "2026-11-02", "50.00"),
                inv("RE-2", "C2", "2026-11-01", "80.00"),
                inv("RE-3", "C2", "2026-11-01", "30.00"),
                st,
            ],
            lines: vec![],
            ..Default::default()
        }));
        let (led, diags) = crate::ledger::parse(&bytes);
        assert!(diags.is_empty(), "{diags:?}");
        led
    }

    fn pay(id: &str, date: &str, amount: &str, texts: &[&str]) -> Payment {
        Payment {
            id: id.into(),
            bank_ref: String::new(),
            source: "payments/a.xml".into(),
            position: id.len(),
            date: d(date),
            amount: dec(amount),
            currency: "EUR".into(),
            payer: String::new(),
            remittance: texts.join(" "),
            // As `from_bank` reads the Ustrd pieces.
            texts: vec![texts.join(" "), texts.concat()],
            assign: None,
            manual: false,
        }
    }

    fn run(payments: Vec<Payment>) -> Receivables {
        let customers: HashSet<String> = ["C1", "C2", "C3"].map(String::from).into();
        match_payments(&ledger(), &customers, "EUR", payments)
    }

    /// (remittance, amount) -> (rule, allocations, credit).
    #[test]
    fn m1_m2_m3_table() {
        let rf12 = crate::creditor_ref::of("RE-12").unwrap();
        let grouped = crate::creditor_ref::grouped(&rf12);
        // (case, remittance pieces, amount, rule, allocations, credit)
        type Case<'a> = (&'a str, Vec<&'a str>, &'a str, &'a str, &'a str, &'a str);
        let cases: Vec<Case> = vec![
            (
                "M1 whole token, not a prefix",
                vec!["Rechnung RE-12"],
                "50.00",
                "M1",
                "RE-12:50.00",
                "0",
            ),
            (
                "M1 case-insensitive",
                vec!["re-1 danke"],
                "100.00",
                "M1",
                "RE-1:100.00",
                "0",
            ),
            ("M1 partial", vec!["RE-1"], "40.00", "M1", "RE-1:40.00", "0"),
            (
                "M1 in the order named, rest to the last one's customer",
                vec!["RE-2, RE-1"],
                "200.00",
                "M1",
                "RE-2:80.00;RE-1:100.00",
                "20.00",
            ),
            (
                "M1 pieces joined without separator",
                vec!["RE-1 und RE", "-12"],
                "150.00",
                "M1",
                "RE-1:100.00;RE-12:50.00",
                "0",
            ),
            (
                "M1 RF reference",
                vec![rf12.as_str()],
                "50.00",
                "M1",
                "RE-12:50.00",
                "0",
            ),
            (
                "M1 RF reference in groups",
                vec![grouped.as_str()],
                "50.00",
                "M1",
                "RE-12:50.00",
                "0",
            ),
            (
                "M1 cancelled: all credit",
                vec!["RE-3"],
                "30.00",
                "M1",
                "",
                "30.00",
            ),
            (
                "M2 oldest first",
                vec!["Kunde C1"],
                "120.00",
                "M2",
                "RE-1:100.00;RE-12:20.00",
                "0",
            ),
            (
                "M2 overpaid: credit",
                vec!["c2"],
                "100.00",
                "M2",
                "RE-2:80.00",
                "20.00",
            ),
            (
                "M3 nothing named",
                vec!["Miete November"],
                "10.00",
                "M3",
                "",
                "0",
            ),
            (
                "M3 a name is no id",
                vec!["Kunde Eins GmbH RE-99"],
                "10.00",
                "M3",
                "",
                "0",
            ),
            (
                "M3 several customers",
                vec!["C1 C2"],
                "10.00",
                "M3",
                "",
                "0",
            ),
            (
                "M3 invoice number glued to a word",
                vec!["XRE-1"],
                "10.00",
                "M3",
                "",
                "0",
            ),
        ];
        for (name, texts, amount, rule, alloc, credit) in cases {
            let rec = run(vec![pay("p1", "2026-11-10", amount, &texts)]);
            let m = &rec.payments[0];
            let got: Vec<String> = m
                .allocations
                .iter()
                .map(|(n, a)| format!("{n}:{a}"))
                .collect();
            assert_eq!(m.rule.as_str(), rule, "{name}");
            assert_eq!(got.join(";"), alloc, "{name}");
            assert_eq!(m.credit, dec(credit), "{name}");
        }
    }

    #[test]
    fn m1_a_return_takes_back_what_was_paid_and_status_follows() {
        let rec = run(vec![
            pay("p1", "2026-11-10", "100.00", &["RE-1"]),
            pay("p2", "2026-11-20", "-100.00", &["RE-1"]),
            pay("p3", "2026-11-05", "60.00", &["RE-2"]),
        ]);
        assert_eq!(rec.payments[0].payment.id, "p3", "booking order");
        let led = ledger();
        let status = |no: &str, day: &str| {
            let i = led.invoice(no).unwrap();
            rec.item(&led, i, d(day)).status
        };
        assert_eq!(status("RE-1", "2026-11-12"), Status::Paid);
        assert_eq!(status("RE-1", "2026-11-20"), Status::Overdue);
        assert_eq!(status("RE-1", "2026-11-14"), Status::Paid);
        assert_eq!(status("RE-2", "2026-11-10"), Status::PartlyPaid);
        assert_eq!(status("RE-12", "2026-11-10"), Status::Unpaid);
        assert_eq!(status("RE-3", "2026-11-10"), Status::Cancelled);
        assert_eq!(rec.paid("RE-1", d("2026-11-30")), Decimal::ZERO);
        let allocations: Vec<(NaiveDate, Decimal)> = rec
            .allocations_of("RE-1")
            .iter()
            .map(|a| (a.date, a.amount))
            .collect();
        assert_eq!(
            allocations,
            [
                (d("2026-11-10"), dec("100.00")),
                (d("2026-11-20"), dec("-100.00"))
            ]
        );
        let items = rec.open_items(&led, d("2026-11-30"));
        let open: Vec<&str> = items.iter().map(|i| i.invoice_no.as_str()).collect();
        assert_eq!(
            open,
            ["RE-1", "RE-12", "RE-2", "RE-3"],
            "no cancellation among them"
        );
        let b = rec.bookings(&led);
        assert_eq!(b[0].customer, "C2");
        assert_eq!(b.len(), 3);
    }

    #[test]
    fn m3_another_currency_is_not_matched() {
        let mut p = pay("p1", "2026-11-10", "100.00", &["RE-1"]);
        p.currency = "CHF".into();
        let rec = run(vec![p]);
        assert_eq!(rec.payments[0].rule, Rule::M3);
        assert!(rec.payments[0]
            .reason
            .as_ref()
            .unwrap()
            .to_string()
            .contains("CHF"));
        assert!(rec.allocations.is_empty());
    }

    proptest::proptest! {
        /// Whatever the payments, money is neither made nor lost: what the
        /// invoices and credits received adds up to the matched payments,
        /// and no invoice is paid above its gross or below zero.
        #[test]
        fn allocations_add_up(ps in proptest::collection::vec(
            (0usize..6, -20_000i64..40_000, 1u32..28), 0..12)) {
            let texts = ["RE-1", "RE-12 RE-2", "C1", "C2", "RE-3", "nichts"];
            let payments: Vec<Payment> = ps.iter().enumerate().map(|(k, (t, cents, day))| {
                let mut p = pay(&format!("p{k}"), &format!("2026-11-{day:02}"), "1", &[texts[*t]]);
                p.amount = Decimal::new(*cents, 2);
                p
            }).collect();
            let total: Decimal = payments.iter().map(|p| p.amount).sum();
            let rec = run(payments);
            let matched: Decimal = rec.payments.iter().filter(|m| m.rule != Rule::M3).map(|m| m.payment.amount).sum();
            let unmatched: Decimal = rec.payments.iter().filter(|m| m.rule == Rule::M3).map(|m| m.payment.amount).sum();
            let allocated: Decimal = rec.allocations.values().flatten().map(|a| a.amount).sum();
            let credit: Decimal = rec.credits.values().flatten().map(|a| a.amount).sum();
            proptest::prop_assert_eq!(matched + unmatched, total);
            proptest::prop_assert_eq!(allocated + credit, matched);
            let led = ledger();
            for i in rec.open_items(&led, d("2026-12-31")) {
                proptest::prop_assert!(i.paid >= Decimal::ZERO && i.paid <= i.gross.max(Decimal::ZERO), "{:?}", i);
            }
        }
    }
}
