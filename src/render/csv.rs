//! The CSV outputs of RULES 7, formatted by F14: money with two decimals,
//! percentages without trailing zeros, minutes as integers, UTF-8 without
//! BOM, `\n` line ends, quotes only where needed.

use crate::csvout::writer;
use crate::decide::{Part, Priced};
use crate::model::Dataset;
use crate::money::{money, percent};
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

/// `charges.csv` (or `held.csv`) without invoice numbers (drafts, held).
pub fn charges(ds: &Dataset, parts: &[&Part]) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    write_charges(ds, parts, &mut out).expect("write to memory");
    out
}

/// `charges`, written to `w` as it is rendered.
pub fn write_charges(
    ds: &Dataset,
    parts: &[&Part],
    w: &mut (dyn std::io::Write + Send),
) -> std::io::Result<()> {
    let ids = IdFields::new(ds);
    render_charges(
        parts,
        |p, seen, out| charge_row(out, seen, &ids, ds, p, None),
        |p, text| warm(ds, p, text),
        w,
    )
}

/// `charges.csv`: one row per part with the invoice that bills it, in the
/// order given, written to `w` as it is rendered.
pub fn write_charges_numbered(
    ds: &Dataset,
    charges: &crate::invoice::Charges,
    w: &mut (dyn std::io::Write + Send),
) -> std::io::Result<()> {
    let ids = IdFields::new(ds);
    render_charges(
        &charges.rows,
        |r, seen, out| charge_row(out, seen, &ids, ds, charges.part(r), charges.number(r)),
        |r, text| warm(ds, charges.part(r), text),
        w,
    )
}

/// Rows are independent: batches of blocks are rendered in parallel and
/// written in order, each batch while the next is rendered, so only two
/// batches are held at a time (about 1.5 MB each: larger blocks were no
/// faster and were the largest thing `verify` held while comparing).
fn render_charges<R: Sync>(
    rows: &[R],
    row: impl Fn(&R, &mut SeenPrices, &mut Vec<u8>) + Sync,
    warm: impl Fn(&R, bool) + Sync,
    w: &mut (dyn std::io::Write + Send),
) -> std::io::Result<()> {
    use rayon::prelude::*;
    const BLOCK: usize = 2_048;
    let mut head = writer();
    // Writing to memory cannot fail.
    head.write_record(CHARGES_HEADER).expect("write to memory");
    w.write_all(&head.into_inner().expect("flush to memory"))?;
    let batch = BLOCK * rayon::current_num_threads().max(1) * 2;
    let render = |rows: &[R]| -> Vec<Vec<u8>> {
        rows.par_chunks(BLOCK)
            .map(|block| {
                let mut b = Vec::with_capacity(block.len() * 96);
                let mut seen = SeenPrices::default();
                for (k, r) in block.iter().enumerate() {
                    // Rows come by date, entries lie in file order: ask
                    // for an entry well ahead, and for its id once the
                    // entry itself has arrived.
                    if let Some(r) = block.get(k + 32) {
                        warm(r, false);
                    }
                    if let Some(r) = block.get(k + 16) {
                        warm(r, true);
                    }
                    row(r, &mut seen, &mut b);
                }
                b
            })
            .collect()
    };
    let mut ready: Vec<Vec<u8>> = Vec::new();
    for rows in rows.chunks(batch) {
        let (next, written) = rayon::join(
            || render(rows),
            || ready.iter().try_for_each(|b| w.write_all(b)),
        );
        written?;
        ready = next;
    }
    ready.iter().try_for_each(|b| w.write_all(b))
}

/// Prefetches what `charge_row` reads of the part's entry: the entry
/// (it spans two cache lines), or with `text` its id.
fn warm(ds: &Dataset, p: &Part, text: bool) {
    if text {
        ds.entries[p.entry].prefetch_text();
    } else {
        ds.prefetch_entry(p.entry);
    }
}

/// One row of `charges.csv`, formatted by hand: a million rows through a
/// general CSV writer and `Display` cost more than deciding them. Text
/// fields are quoted exactly where the csv crate would quote them.
fn charge_row(
    out: &mut Vec<u8>,
    seen: &mut SeenPrices,
    ids: &IdFields,
    ds: &Dataset,
    p: &Part,
    number: Option<&str>,
) {
    let e = &ds.entries[p.entry];
    let pr = p.priced.as_deref();
    text(out, e.id());
    out.push(b',');
    uint(out, p.part);
    out.push(b',');
    date(out, e.date);
    out.push(b',');
    out.extend_from_slice(ids.field(ids.customers[e.customer as usize]));
    out.push(b',');
    match p.rule {
        crate::decide::Rule::Travel => out.extend_from_slice(b"travel"),
        crate::decide::Rule::Decided(k, a) => {
            out.extend_from_slice(k.id().as_bytes());
            if let Some(a) = a {
                out.push(b';');
                out.extend_from_slice(a.id().as_bytes());
            }
        }
    }
    out.push(b',');
    out.extend_from_slice(p.outcome.as_str().as_bytes());
    out.push(b',');
    out.extend_from_slice(p.reason.map_or("", |r| r.as_str()).as_bytes());
    out.push(b',');
    if let Some(m) = p.minutes.get() {
        uint(out, m);
    }
    out.push(b',');
    if let Some(m) = p.billed_minutes.get() {
        uint(out, m);
    }
    out.push(b',');
    if let Some(x) = pr {
        out.extend_from_slice(seen.columns(x));
    } else {
        out.extend_from_slice(b",,,,");
    }
    out.push(b',');
    if let Some(a) = p.amount() {
        decimal(out, a, Some(2));
    }
    out.push(b',');
    if let Some(a) = p.approval_no(ds) {
        out.extend_from_slice(ids.field(ids.approvals[a]));
    }
    out.push(b',');
    text(out, number.unwrap_or(""));
    out.push(b'\n');
}

/// The customer and approval ids as `charges.csv` fields, back to back in
/// one buffer: a row copies its ids from these few kilobytes instead of
/// following each id's pointer to its own allocation (a cache miss each,
/// profiled).
struct IdFields {
    text: Vec<u8>,
    customers: Vec<(u32, u32)>,
    approvals: Vec<(u32, u32)>,
}

impl IdFields {
    fn new(ds: &Dataset) -> Self {
        let mut out = Vec::new();
        let mut field = |id: &str| {
            let from = out.len() as u32;
            text(&mut out, id);
            (from, out.len() as u32)
        };
        let customers = ds.customer_ids.iter().map(|c| field(c.as_str())).collect();
        let approvals = ds.approvals.iter().map(|a| field(a.id.as_str())).collect();
        IdFields {
            text: out,
            customers,
            approvals,
        }
    }

    fn field(&self, (from, to): (u32, u32)) -> &[u8] {
        &self.text[from as usize..to as usize]
    }
}

/// The five price columns of each `Priced` a block of rows shares, formatted
/// once: a month has a few dozen distinct prices and a million rows.
#[derive(Default)]
struct SeenPrices {
    at: rustc_hash::FxHashMap<*const Priced, (usize, usize)>,
    text: Vec<u8>,
}

impl SeenPrices {
    fn columns(&mut self, x: &Priced) -> &[u8] {
        let (from, to) = *self.at.entry(x as *const Priced).or_insert_with(|| {
            let out = &mut self.text;
            let from = out.len();
            text(out, &x.rate_code);
            out.push(b',');
            decimal(out, x.price, Some(2));
            out.push(b',');
            decimal(out, x.surcharge_percent, None);
            out.push(b',');
            decimal(out, x.discount_percent, None);
            out.push(b',');
            decimal(out, x.unit_price, Some(2));
            (from, out.len())
        });
        &self.text[from..to]
    }
}

/// A text field, quoted where needed (`,`, `"`, CR, LF) with `""` inside.
fn text(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    if !b.iter().any(|&c| matches!(c, b',' | b'"' | b'\r' | b'\n')) {
        out.extend_from_slice(b);
        return;
    }
    out.push(b'"');
    for &c in b {
        if c == b'"' {
            out.push(b'"');
        }
        out.push(c);
    }
    out.push(b'"');
}

fn uint(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(digits(u128::from(n), &mut [0; 40]));
}

/// The decimal digits of `n`, written into the end of `buf`.
fn digits(mut n: u128, buf: &mut [u8; 40]) -> &[u8] {
    // In u64 pieces of 19 digits: dividing a u128 is a library call, and
    // every amount fits in one piece.
    const E19: u128 = 10_000_000_000_000_000_000;
    let mut end = buf.len();
    while n >= E19 {
        end = put_digits(buf, end, (n % E19) as u64, 19);
        n /= E19;
    }
    let start = put_digits(buf, end, n as u64, 1);
    &buf[start..]
}

/// Writes `n` with at least `width` digits (zero-padded) into `buf`, ending
/// before `end`; returns where it starts.
fn put_digits(buf: &mut [u8; 40], end: usize, mut n: u64, width: usize) -> usize {
    let mut i = end;
    while n > 0 || end - i < width {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    i
}

/// `YYYY-MM-DD` as chrono prints a four-digit year.
fn date(out: &mut Vec<u8>, d: chrono::NaiveDate) {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        out.extend_from_slice(d.to_string().as_bytes());
        return;
    }
    let y = y as u32;
    out.extend_from_slice(&[
        b'0' + (y / 1000) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
        b'-',
        b'0' + (m / 10) as u8,
        b'0' + (m % 10) as u8,
        b'-',
        b'0' + (day / 10) as u8,
        b'0' + (day % 10) as u8,
    ]);
}

/// A decimal as `money` (`Some(2)`: exactly two decimals) or `percent`
/// (`None`: no trailing zeros) would print it.
fn decimal(out: &mut Vec<u8>, d: Decimal, fixed: Option<u32>) {
    let d = match fixed {
        Some(scale) => {
            let mut r = d;
            r.rescale(scale);
            r
        }
        None => d.normalize(),
    };
    let m = d.mantissa();
    let scale = d.scale() as usize;
    // As `Display` does: the sign flag, so a negative zero prints `-0.00`.
    if d.is_sign_negative() {
        out.push(b'-');
    }
    let mut buf = [0; 40];
    let digits = digits(m.unsigned_abs(), &mut buf);
    if digits.len() <= scale {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', scale - digits.len()));
        out.extend_from_slice(digits);
    } else if scale == 0 {
        out.extend_from_slice(digits);
    } else {
        let (int, frac) = digits.split_at(digits.len() - scale);
        out.extend_from_slice(int);
        out.push(b'.');
        out.extend_from_slice(frac);
    }
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

/// `invoices.csv`: one row per invoice with its totals (RULES 7).
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

/// `invoice_lines.csv`: every line with the entry part or item it bills,
/// written piece by piece into `out` (a large month has a million lines).
/// Quantity of work is hours with two decimals, shown rounded, never used
/// to compute the amount (RULES 7).
pub fn write_invoice_lines(
    invoices: &[crate::invoice::Invoice],
    out: &mut (dyn std::io::Write + Send),
) -> std::io::Result<()> {
    out.write_all(&lines_header())?;
    for i in invoices {
        out.write_all(&invoice_lines_of(i))?;
    }
    out.flush()
}

/// The header row of `invoice_lines.csv`.
pub fn lines_header() -> Vec<u8> {
    let mut w = writer();
    w.write_record(LINES_HEADER).expect("write to memory");
    w.into_inner().expect("flush to memory")
}

/// One invoice's rows of `invoice_lines.csv`.
pub fn invoice_lines_of(i: &crate::invoice::Invoice) -> Vec<u8> {
    let mut w = writer();
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
    w.into_inner().expect("flush to memory")
}

/// The ledger rows of one issued invoice (its `invoice` row, then a `line`
/// row per line): the same bytes as `invoice::record` then
/// `ledger::batch_rows` of it alone, formatted straight from the invoice.
/// An issue of a million lines would otherwise copy every line into an
/// owned ledger row first, a dozen allocations each.
pub fn ledger_rows_of(
    inv: &crate::invoice::Invoice,
    items: &[crate::invoice::Billing],
    batch: u64,
    out: &mut Vec<u8>,
) {
    use std::fmt::Write as _;
    let field = |out: &mut Vec<u8>, s: &str| {
        text(out, s);
        out.push(b',');
    };
    let mut batch_text = Vec::new();
    batch_text.extend_from_slice(digits(u128::from(batch), &mut [0; 40]));
    let mut number = Vec::new();
    text(&mut number, &inv.number);
    // invoice,batch,number,issue,customer,kind,project,period,from,to,due,
    // rate,tax_note,refers_to,reason,net,vat,gross, then 13 empty fields.
    out.extend_from_slice(b"invoice,");
    out.extend_from_slice(&batch_text);
    out.push(b',');
    out.extend_from_slice(&number);
    out.push(b',');
    date(out, inv.issue_date.unwrap_or(inv.service_to));
    out.push(b',');
    field(out, inv.customer.as_str());
    field(out, inv.kind.as_str());
    field(out, inv.project.as_ref().map_or("", |p| p.as_str()));
    field(out, &inv.period.to_string());
    date(out, inv.service_from);
    out.push(b',');
    date(out, inv.service_to);
    out.push(b',');
    if let Some(d) = inv.due_date {
        date(out, d);
    }
    out.push(b',');
    decimal(out, inv.vat_rate, None);
    out.push(b',');
    field(out, inv.tax_note.as_str());
    field(
        out,
        inv.refers_to.as_ref().map_or("", |r| r.number.as_str()),
    );
    field(out, inv.reason.as_deref().unwrap_or_default());
    for amount in [inv.net, inv.vat] {
        decimal(out, amount, Some(2));
        out.push(b',');
    }
    decimal(out, inv.gross, Some(2));
    out.extend_from_slice(&[b','; 13]);
    out.push(b'\n');
    let mut scratch = String::new();
    for (n, l) in inv.lines.iter().enumerate() {
        let billing = items.get(n).and_then(|b| b.as_ref());
        // line,batch,number, 15 empty fields, line_no,kind,item kind,
        // reference,rule,minutes,date,description,quantity,unit,
        // unit_price,amount,entry.
        out.extend_from_slice(b"line,");
        out.extend_from_slice(&batch_text);
        out.push(b',');
        out.extend_from_slice(&number);
        out.extend_from_slice(&[b','; 16]);
        uint(out, n as u32 + 1);
        out.push(b',');
        field(out, l.kind.as_str());
        field(out, billing.map_or("", |b| b.0.kind()));
        field(out, &billing.map_or(String::new(), |b| b.0.reference()));
        field(out, billing.map_or("", |b| b.1.as_str()));
        if let Some(m) = l.minutes {
            uint(out, m);
        }
        out.push(b',');
        if let Some(d) = l.date {
            date(out, d);
        }
        out.push(b',');
        field(out, &l.description);
        decimal(out, l.quantity, Some(2));
        out.push(b',');
        field(out, l.unit);
        decimal(out, l.unit_price, Some(2));
        out.push(b',');
        decimal(out, l.amount, Some(2));
        out.push(b',');
        if let (Some(e), Some(p)) = (&l.entry, l.part) {
            scratch.clear();
            let _ = write!(scratch, "{e}#{p}");
            text(out, &scratch);
        }
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_of_every_size() {
        let e19 = 10_000_000_000_000_000_000u128;
        for n in [
            0,
            7,
            10,
            e19 - 1,
            e19,
            e19 + 1,
            e19 * e19,
            u64::MAX as u128,
            u128::MAX,
        ] {
            assert_eq!(digits(n, &mut [0; 40]), n.to_string().as_bytes(), "{n}");
        }
    }
}
