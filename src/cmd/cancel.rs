//! `faktura cancel`: a cancellation invoice for an issued invoice.

use crate::money::money;
use crate::Refusal;
use std::path::Path;

pub fn run(data: &Path, number: &str, reason: &str, date: &str, out: &Path) -> u8 {
    let date = match super::parse_date_arg(Some(date)) {
        Ok(Some(d)) => d,
        Ok(None) | Err(_) => return super::USAGE,
    };
    if reason.trim().is_empty() {
        eprintln!("faktura: --reason is empty (expected why the invoice is cancelled; it is printed on the cancellation)");
        return super::USAGE;
    }
    let super::Prepared {
        raw,
        ds,
        led,
        _lock,
    } = match super::prepare(data, out, true) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let (inv, batch, mut files) = match crate::cancellation(&ds, &led, number, reason, date, &|| {})
    {
        Ok(v) => v,
        Err(Refusal::Unknown(m) | Refusal::Refused(m)) => {
            eprintln!("faktura: refused: {m}; nothing written");
            return super::REFUSED;
        }
    };
    let facts = crate::manifest::Facts {
        kind: "cancel".into(),
        invoice: Some(number.to_string()),
        reason: Some(reason.to_string()),
        issued: true,
        date: Some(date.to_string()),
        ..super::facts(&led)
    };
    if let Err(code) = super::add_manifest(&raw, &facts, &mut files) {
        return code;
    }
    if let Err(code) = super::write_folder(data, out, &files, &led, Some(&batch)) {
        return code;
    }
    println!(
        "issued {} cancelling {} ({}): net {} + VAT {} = gross {} {}; its items can be billed again by the next run; written to {}",
        inv.number,
        number,
        inv.customer,
        money(inv.net),
        money(inv.vat),
        money(inv.gross),
        inv.currency,
        out.display()
    );
    super::OK
}
