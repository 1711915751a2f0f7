//! The receivables' CSV files (RULES 12): `payments.csv` (every payment with
//! its rule and allocations), `open_items.csv` (every issued invoice as of
//! the day, and each customer's credit) and `unmatched.csv` (what the clerk
//! has to assign). Values in, bytes out.

use crate::ledger::Ledger;
use crate::money::money;
use crate::payment::{Receivables, Rule};
use chrono::NaiveDate;

pub const PAYMENTS_COLUMNS: &[&str] = &[
    "payment_id",
    "bank_ref",
    "source",
    "booking_date",
    "amount",
    "payer",
    "remittance",
    "rule",
    "allocations",
    "credit",
];

pub const OPEN_ITEMS_COLUMNS: &[&str] = &[
    "invoice_no",
    "customer_id",
    "issue_date",
    "due_date",
    "gross",
    "paid",
    "open",
    "days_overdue",
    "status",
    "dunning_level",
];

pub const UNMATCHED_COLUMNS: &[&str] = &[
    "payment_id",
    "bank_ref",
    "source",
    "booking_date",
    "amount",
    "currency",
    "payer",
    "remittance",
    "reason",
];

fn csv(columns: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = crate::csvout::writer();
    w.write_record(columns).expect("write to memory");
    for r in rows {
        w.write_record(&r).expect("write to memory");
    }
    w.into_inner().expect("flush to memory")
}

/// `payments.csv`: the payments booked up to `as_of`, in matching order.
pub fn payments(rec: &Receivables, as_of: NaiveDate) -> Vec<u8> {
    csv(
        PAYMENTS_COLUMNS,
        rec.payments
            .iter()
            .filter(|m| m.payment.date <= as_of)
            .map(|m| {
                let p = &m.payment;
                let alloc: Vec<String> = m
                    .allocations
                    .iter()
                    .map(|(no, a)| format!("{no}:{}", money(*a)))
                    .collect();
                vec![
                    p.id.clone(),
                    p.bank_ref.clone(),
                    p.source.clone(),
                    p.date.to_string(),
                    money(p.amount),
                    p.payer.clone(),
                    p.remittance.clone(),
                    m.rule.as_str().to_string(),
                    alloc.join(";"),
                    money(m.credit),
                ]
            }),
    )
}

/// `open_items.csv`: every issued invoice up to `as_of` with paid, open and
/// status, and after a customer's invoices a `credit` row when a customer
/// has one (its `open` negative: what the company owes). `dunning_level`
/// is the highest level of a letter dated up to `as_of` (RULES 13), 0 before
/// the first.
pub fn open_items(rec: &Receivables, led: &Ledger, as_of: NaiveDate) -> Vec<u8> {
    let items = rec.open_items(led, as_of);
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut customers: Vec<&str> = items.iter().map(|i| i.customer.as_str()).collect();
    customers.extend(rec.credits.keys().map(String::as_str));
    customers.sort_unstable();
    customers.dedup();
    for c in customers {
        for i in items.iter().filter(|i| i.customer == c) {
            rows.push(vec![
                i.invoice_no.clone(),
                i.customer.clone(),
                i.issue_date.to_string(),
                i.due_date.map(|d| d.to_string()).unwrap_or_default(),
                money(i.gross),
                money(i.paid),
                money(i.open),
                i.days_overdue.to_string(),
                i.status.as_str().to_string(),
                led.dunning_of(&i.invoice_no)
                    .filter(|d| d.date <= as_of)
                    .map(|d| d.level)
                    .max()
                    .unwrap_or(0)
                    .to_string(),
            ]);
        }
        let credit = rec.credit(c, as_of);
        if !credit.is_zero() {
            rows.push(vec![
                String::new(),
                c.to_string(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                money(-credit),
                "0".to_string(),
                "credit".to_string(),
                String::new(),
            ]);
        }
    }
    csv(OPEN_ITEMS_COLUMNS, rows.into_iter())
}

/// `unmatched.csv`: the payments up to `as_of` that M1 and M2 could not
/// place, with the reason.
pub fn unmatched(rec: &Receivables, as_of: NaiveDate) -> Vec<u8> {
    csv(
        UNMATCHED_COLUMNS,
        rec.payments
            .iter()
            .filter(|m| m.rule == Rule::M3 && m.payment.date <= as_of)
            .map(|m| {
                let p = &m.payment;
                vec![
                    p.id.clone(),
                    p.bank_ref.clone(),
                    p.source.clone(),
                    p.date.to_string(),
                    money(p.amount),
                    p.currency.clone(),
                    p.payer.clone(),
                    p.remittance.clone(),
                    m.reason
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                ]
            }),
    )
}

/// The files of `faktura payments`, sorted by name: the three CSVs and
/// the review page (RULES 15).
pub fn files(
    ds: &crate::model::Dataset,
    rec: &Receivables,
    led: &Ledger,
    as_of: NaiveDate,
) -> crate::Files {
    let page = crate::review::of_payments(ds, rec, led, as_of);
    vec![
        (super::review::FILE.to_string(), super::review::html(&page)),
        ("open_items.csv".to_string(), open_items(rec, led, as_of)),
        ("payments.csv".to_string(), payments(rec, as_of)),
        ("unmatched.csv".to_string(), unmatched(rec, as_of)),
    ]
}
