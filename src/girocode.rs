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
/// Byte mode, the smallest version that holds it, and always mask pattern
/// 4 (`MASK`): scoring all eight masks (ISO/IEC 18004 7.8.3) cost eight
/// times the encoding, 100 µs per invoice, a quarter of what issuing
/// added to a draft's CPU (D37). Every mask decodes alike; 4 is the one that scores best
/// most often on GiroCode payloads (43 % of them).
pub fn modules(payload: &str) -> Option<Vec<Vec<bool>>> {
    use qrcodegen::{QrCode, QrCodeEcc, QrSegment, Version};
    let segments = [QrSegment::make_bytes(payload.as_bytes())];
    let code = QrCode::encode_segments_advanced(
        &segments,
        QrCodeEcc::Medium,
        Version::MIN,
        Version::MAX,
        Some(qrcodegen::Mask::new(MASK)),
        false,
    )
    .ok()?;
    let width = code.size();
    Some(
        (0..width)
            .map(|y| (0..width).map(|x| code.get_module(x, y)).collect())
            .collect(),
    )
}

/// The mask pattern of every GiroCode (see `modules`).
pub const MASK: u8 = 4;

/// The version of faktura since which every GiroCode has mask pattern
/// `MASK`: an older run's QR codes may have another one.
pub const MASK_SINCE_VERSION: &str = "0.4.0";

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
