//! The CSV outputs of SPEC 7, formatted by F14: money with two decimals,
//! percentages without trailing zeros, minutes as integers, UTF-8 without
//! BOM, `\n` line ends, quotes only where needed.

use crate::decide::Part;
use crate::model::Dataset;
use rust_decimal::Decimal;

pub const CHARGES_HEADER: &[&str] = &[
    "entry_id",
    "part",
    "date",
    "customer_id",
    "rule",
    "outcome",
    "reason",
    "minutes",
    "billed_minutes",
    "rate_code",
    "price",
    "surcharge_percent",
    "discount_percent",
    "unit_price",
    "amount",
    "approval_id",
    "invoice_no",
];

/// Money as F14 wants it: exactly two decimals.
pub fn money(d: Decimal) -> String {
    let mut r = d;
    r.rescale(2);
    r.to_string()
}

/// A percentage as a plain number: `25`, `12.5`, `0`.
pub fn percent(d: Decimal) -> String {
    d.normalize().to_string()
}

pub fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

/// `charges.csv` (or `held.csv`) without invoice numbers (drafts, held).
pub fn charges<'p>(
    ds: &Dataset,
    parts: impl IntoIterator<Item = &'p Part>,
    invoice_no: impl Fn(&Part) -> Option<String>,
) -> Vec<u8> {
    charges_numbered(ds, parts.into_iter().map(|p| (p, invoice_no(p))))
}

/// `charges.csv`: one row per part with the invoice that bills it, in the order given.
pub fn charges_numbered<'p>(
    ds: &Dataset,
    rows: impl IntoIterator<Item = (&'p Part, Option<String>)>,
) -> Vec<u8> {
    use rayon::prelude::*;
    let rows: Vec<(&Part, Option<String>)> = rows.into_iter().collect();
    let mut w = writer();
    // Writing to a Vec cannot fail.
    w.write_record(CHARGES_HEADER).expect("write to memory");
    let mut out = w.into_inner().expect("flush to memory");
    // Rows are independent: render blocks in parallel, join them in order.
    let blocks: Vec<Vec<u8>> = rows
        .par_chunks(16_384)
        .map(|block| charge_rows(ds, block))
        .collect();
    for b in blocks {
        out.extend_from_slice(&b);
    }
    out
}

fn charge_rows(ds: &Dataset, rows: &[(&Part, Option<String>)]) -> Vec<u8> {
    use std::fmt::Write;
    let mut w = writer();
    let mut buf = String::new();
    for (p, number) in rows {
        let e = &ds.entries[p.entry];
        let pr = p.priced.as_ref();
        // One reused buffer per number field: no allocation per field.
        let mut num = |w: &mut csv::Writer<Vec<u8>>, v: Option<&dyn std::fmt::Display>| {
            buf.clear();
            if let Some(v) = v {
                let _ = write!(buf, "{v}");
            }
            w.write_field(buf.as_bytes()).expect("write to memory");
        };
        w.write_field(e.id.as_str()).expect("write to memory");
        num(&mut w, Some(&p.part));
        num(&mut w, Some(&e.date));
        w.write_field(e.customer.as_str()).expect("write to memory");
        num(&mut w, Some(&p.rule));
        w.write_field(p.outcome.as_str()).expect("write to memory");
        w.write_field(p.reason.map_or("", |r| r.as_str()))
            .expect("write to memory");
        num(
            &mut w,
            p.minutes.as_ref().map(|m| m as &dyn std::fmt::Display),
        );
        num(
            &mut w,
            p.billed_minutes
                .as_ref()
                .map(|m| m as &dyn std::fmt::Display),
        );
        w.write_field(pr.map_or("", |x| &*x.rate_code))
            .expect("write to memory");
        let money_of = |d: Decimal| {
            let mut r = d;
            r.rescale(2);
            r
        };
        num(
            &mut w,
            pr.map(|x| money_of(x.price))
                .as_ref()
                .map(|m| m as &dyn std::fmt::Display),
        );
        num(
            &mut w,
            pr.map(|x| x.surcharge_percent.normalize())
                .as_ref()
                .map(|m| m as &dyn std::fmt::Display),
        );
        num(
            &mut w,
            pr.map(|x| x.discount_percent.normalize())
                .as_ref()
                .map(|m| m as &dyn std::fmt::Display),
        );
        num(
            &mut w,
            pr.map(|x| money_of(x.unit_price))
                .as_ref()
                .map(|m| m as &dyn std::fmt::Display),
        );
        num(
            &mut w,
            p.amount
                .map(money_of)
                .as_ref()
                .map(|m| m as &dyn std::fmt::Display),
        );
        w.write_field(p.approval.as_ref().map_or("", |a| a.as_str()))
            .expect("write to memory");
        w.write_field(number.as_deref().unwrap_or(""))
            .expect("write to memory");
        w.write_record(None::<&[u8]>).expect("write to memory");
    }
    w.into_inner().expect("flush to memory")
}

pub const INVOICES_HEADER: &[&str] = &[
    "invoice_no",
    "kind",
    "customer_id",
    "project_id",
    "period",
    "issue_date",
    "service_from",
    "service_to",
    "net",
    "vat_rate",
    "vat",
    "gross",
    "currency",
    "tax_note",
    "due_date",
    "file",
];

pub const LINES_HEADER: &[&str] = &[
    "invoice_no",
    "line",
    "kind",
    "entry_id",
    "part",
    "date",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "amount",
];

/// `invoices.csv`: one row per invoice with its totals (SPEC 7).
pub fn invoices(invoices: &[crate::invoice::Invoice]) -> Vec<u8> {
    let mut w = writer();
    w.write_record(INVOICES_HEADER).expect("write to memory");
    let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
    for i in invoices {
        w.write_record([
            i.number.as_str(),
            i.kind.as_str(),
            i.customer.as_str(),
            i.project.as_ref().map_or("", |p| p.as_str()),
            &i.period.to_string(),
            &d(i.issue_date),
            &i.service_from.to_string(),
            &i.service_to.to_string(),
            &money(i.net),
            &percent(i.vat_rate),
            &money(i.vat),
            &money(i.gross),
            &i.currency,
            i.tax_note.as_str(),
            &d(i.due_date),
            &i.file_name(),
        ])
        .expect("write to memory");
    }
    w.into_inner().expect("flush to memory")
}

/// `invoice_lines.csv`: every line with the entry part or item it bills.
/// Quantity of work is hours with two decimals, shown rounded, never used
/// to compute the amount (SPEC 7).
pub fn invoice_lines(invoices: &[crate::invoice::Invoice]) -> Vec<u8> {
    let mut w = writer();
    w.write_record(LINES_HEADER).expect("write to memory");
    for i in invoices {
        for (n, l) in i.lines.iter().enumerate() {
            w.write_record([
                i.number.as_str(),
                &(n + 1).to_string(),
                l.kind.as_str(),
                l.entry.as_ref().map_or("", |e| e.as_str()),
                &l.part.map(|p| p.to_string()).unwrap_or_default(),
                &l.date.map(|d| d.to_string()).unwrap_or_default(),
                &l.description,
                &money(l.quantity),
                l.unit,
                &money(l.unit_price),
                &money(l.amount),
            ])
            .expect("write to memory");
        }
    }
    w.into_inner().expect("flush to memory")
}
