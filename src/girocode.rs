//! The GiroCode of an invoice (RULES 12, G1): the EPC069-12 payload of a SEPA
//! credit transfer (version 002, SCT, UTF-8) with the invoice's RF creditor
//! reference, and its QR modules (error level M). Which invoices carry one
//! is decided here, so the PDF and the e-invoice XML agree. Pure.

use crate::invoice::{Invoice, InvoiceKind};
use crate::model::Company;
use rust_decimal::Decimal;

/// The version of faktura that first printed the GiroCode (and wrote the RF
/// reference as BT-83): runs recorded by an older one have neither.
pub const SINCE_VERSION: &str = "0.2.0";

/// The payment reference of an invoice to be paid by transfer: the RF
/// reference of an issued EUR invoice (not a draft, not a cancellation)
/// with something to pay; `None` otherwise.
pub fn reference(inv: &Invoice) -> Option<String> {
    let payable = !inv.draft
        && inv.kind != InvoiceKind::Cancellation
        && inv.currency == "EUR"
        && inv.gross > Decimal::ZERO
        && inv.gross <= Decimal::new(99_999_999_999, 2);
    if payable {
        crate::creditor_ref::of(&inv.number)
    } else {
        None
    }
}

/// The EPC069-12 payload (LF-separated, nothing after the reference line):
/// BCD, 002, 1 (UTF-8), SCT, BIC, name (max 70), IBAN, EUR amount,
/// purpose (empty), RF reference.
pub fn payload(company: &Company, amount: Decimal, rf: &str) -> String {
    let compact = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let name: String = company.name.chars().take(70).collect();
    let amount = crate::money::money(crate::money::round2(amount));
    [
        "BCD",
        "002",
        "1",
        "SCT",
        &compact(&company.bic),
        &name,
        &compact(&company.iban),
        &format!("EUR{amount}"),
        "",
        rf,
    ]
    .join("\n")
}

/// The QR code of `payload` at error level M, as rows of modules (`true`
/// dark), without the quiet zone; `None` if it does not fit a QR code.
/// `fast_qr` picks the smallest version and the mask of least penalty
/// (ISO/IEC 18004) as the `qrcode` crate did, at a fraction of its CPU:
/// the mask scoring of `qrcode` was a fifth of an issue run's CPU.
pub fn modules(payload: &str) -> Option<Vec<Vec<bool>>> {
    use fast_qr::{QRBuilder, ECL};
    let code = QRBuilder::new(payload.as_bytes())
        .ecl(ECL::M)
        .build()
        .ok()?;
    let width = code.size;
    Some(
        code.data[..width * width]
            .chunks(width)
            .map(|row| row.iter().map(|m| m.value()).collect())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g1_payload_lines() {
        let c = Company {
            name: "Muster IT GmbH".into(),
            iban: "DE89 3704 0044 0532 0130 00".into(),
            bic: "COBADEFFXXX".into(),
            ..crate::model::Company::default()
        };
        let p = payload(&c, Decimal::new(123450, 2), "RF82RE202600042");
        assert_eq!(
            p,
            "BCD\n002\n1\nSCT\nCOBADEFFXXX\nMuster IT GmbH\nDE89370400440532013000\nEUR1234.50\n\nRF82RE202600042"
        );
        let m = modules(&p).unwrap();
        assert!(m.len() >= 21 && m.iter().all(|r| r.len() == m.len()));
    }
}
