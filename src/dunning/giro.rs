//! The payment block of a letter (SPEC 13, D4, after G1): the ISO 11649
//! creditor reference (RF) of the letter number and the EPC069-12
//! "GiroCode" payload for the total claim, and the QR code's modules.
//!
//! Kept apart so that it can be swapped for the payments feature's own
//! builder of the same things (SPEC 12, G1) when both meet. Pure.

use rust_decimal::Decimal;

/// `RF` + two check digits + the letters and digits of `number`, upper
/// case (ISO 11649): `RE-2026-00042` -> `RF82RE202600042`.
pub fn rf_reference(number: &str) -> String {
    let body: String = number
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    // Move "RF00" behind the body, letters A=10..Z=35, mod 97.
    let r = mod97(&format!("{body}RF00"));
    format!("RF{:02}{body}", 98 - r)
}

/// The remainder mod 97 of a string read as digits, letters as 10..35.
fn mod97(s: &str) -> u32 {
    let mut r = 0u32;
    for c in s.chars() {
        let v = c.to_digit(36).unwrap_or(0);
        if v >= 10 {
            r = (r * 100 + v) % 97;
        } else {
            r = (r * 10 + v) % 97;
        }
    }
    r
}

/// Whether `rf` is a valid creditor reference (check digits included).
pub fn rf_valid(rf: &str) -> bool {
    let compact: String = rf.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() < 5 || !compact.starts_with("RF") {
        return false;
    }
    let (head, tail) = compact.split_at(4);
    mod97(&format!("{tail}{head}")) == 1
}

/// The RF reference in groups of four, as printed.
pub fn grouped(rf: &str) -> String {
    rf.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The EPC QR payload (version 002, UTF-8, SCT) for `amount` EUR to the
/// company's account with the structured reference `rf`.
pub fn epc_payload(name: &str, iban: &str, bic: &str, amount: Decimal, rf: &str) -> String {
    let iban: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
    let name: String = name.chars().take(70).collect();
    let amount = crate::money::money(amount);
    // Lines 9 (purpose) and 11 (text) stay empty; nothing after line 10.
    format!("BCD\n002\n1\nSCT\n{bic}\n{name}\n{iban}\nEUR{amount}\n\n{rf}")
}

/// The QR code of `payload` at error correction level M (EPC069-12), as
/// rows of dark (true) and light modules, without the quiet zone.
pub fn qr_modules(payload: &str) -> Option<Vec<Vec<bool>>> {
    let code =
        qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    Some(
        colors
            .chunks(width)
            .map(|row| row.iter().map(|c| *c == qrcode::Color::Dark).collect())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rf_vectors_of_the_reference() {
        assert_eq!(rf_reference("RE-2026-00042"), "RF82RE202600042");
        assert_eq!(rf_reference("RE-2026-00001"), "RF25RE202600001");
        assert_eq!(rf_reference("539007547034"), "RF18539007547034");
        assert_eq!(rf_reference("AB2G5"), "RF68AB2G5");
        assert_eq!(rf_reference("TU06FX"), "RF96TU06FX");
        assert_eq!(
            rf_reference("X2HU4TC28XTYLHASYWT91"),
            "RF14X2HU4TC28XTYLHASYWT91"
        );
        assert!(rf_valid("RF18 5390 0754 7034"));
        assert!(!rf_valid("RF19539007547034"));
        assert!(rf_valid(&rf_reference("MA-2026-00001")));
    }

    #[test]
    fn payload_lines() {
        let p = epc_payload(
            "Bergmann IT-Service GmbH",
            "DE89 3704 0044 0532 0130 00",
            "COBADEFFXXX",
            Decimal::new(12345, 2),
            "RF25RE202600001",
        );
        assert_eq!(
            p.lines().collect::<Vec<_>>(),
            [
                "BCD",
                "002",
                "1",
                "SCT",
                "COBADEFFXXX",
                "Bergmann IT-Service GmbH",
                "DE89370400440532013000",
                "EUR123.45",
                "",
                "RF25RE202600001"
            ]
        );
        let m = qr_modules(&p).unwrap();
        assert!(m.len() >= 21 && m.iter().all(|r| r.len() == m.len()));
    }
}
