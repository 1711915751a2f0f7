//! The structured creditor reference RF of ISO 11649 (RULES 12, G1): built from
//! an invoice number, checked by mod 97, and found again in a remittance
//! text. Pure.

/// The letters and digits of `s`, upper case; everything else dropped.
fn body(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// `s` (upper-case letters and digits) mod 97, letters counted A=10 .. Z=35.
fn mod97(s: &str) -> u32 {
    s.chars().fold(0u32, |r, c| match c.to_digit(36) {
        Some(v) if v >= 10 => (r * 100 + v) % 97,
        Some(v) => (r * 10 + v) % 97,
        None => r,
    })
}

/// The RF reference of `number`: `RF` + two check digits + its letters and
/// digits (`RE-2026-00042` -> `RF82RE202600042`). `None` when nothing is
/// left or the body is longer than the 21 characters the standard allows.
pub fn of(number: &str) -> Option<String> {
    let b = body(number);
    if b.is_empty() || b.len() > 21 {
        return None;
    }
    let check = 98 - mod97(&format!("{b}RF00"));
    Some(format!("RF{check:02}{b}"))
}

/// Whether `s` (spaces allowed, any case) is a valid RF reference: the
/// form `RF` + 2 digits + 1-21 letters/digits, and mod 97 of the rearranged
/// string is 1.
pub fn is_valid(s: &str) -> bool {
    let c = body(s);
    let ok_form = c.len() >= 5
        && c.len() <= 25
        && c.starts_with("RF")
        && c[2..4].chars().all(|d| d.is_ascii_digit());
    ok_form && mod97(&format!("{}{}", &c[4..], &c[..4])) == 1
}

/// In groups of four, as printed for people to type (`RF82 RE20 2600 042`).
pub fn grouped(rf: &str) -> String {
    let chars: Vec<char> = rf.chars().collect();
    chars
        .chunks(4)
        .map(|g| g.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// G1: the published ISO 11649 examples and the invoice numbers.
    #[test]
    fn g1_iso11649_examples() {
        for (input, rf) in [
            ("539007547034", "RF18539007547034"),
            ("AB2G5", "RF68AB2G5"),
            ("12345 12345", "RF451234512345"),
            ("TU06FX", "RF96TU06FX"),
            ("X2HU4TC28XTYLHASYWT91", "RF14X2HU4TC28XTYLHASYWT91"),
            ("RE-2026-00042", "RF82RE202600042"),
            ("RE-2026-00001", "RF25RE202600001"),
        ] {
            assert_eq!(of(input).as_deref(), Some(rf), "{input}");
            assert!(is_valid(rf), "{rf}");
            assert!(is_valid(&grouped(rf)), "{rf} grouped");
        }
        assert_eq!(of("--"), None);
        assert_eq!(of("X2HU4TC28XTYLHASYWT912"), None);
        assert!(!is_valid("RF19539007547034"));
        assert!(!is_valid("RF18539007547043"));
        assert_eq!(grouped("RF82RE202600042"), "RF82 RE20 2600 042");
    }

    proptest::proptest! {
        /// G1: every reference built round-trips (mod 97 = 1), and a changed
        /// character is caught.
        #[test]
        fn g1_round_trip(n in "[A-Za-z0-9-]{1,21}", pos in 0usize..21, by in 1u32..10) {
            if let Some(rf) = of(&n) {
                proptest::prop_assert!(is_valid(&rf));
                let mut chars: Vec<char> = rf.chars().collect();
                let i = 4 + pos % (chars.len() - 4);
                if let Some(d) = chars[i].to_digit(10) {
                    chars[i] = char::from_digit((d + by) % 10, 10).unwrap();
                    let changed: String = chars.into_iter().collect();
                    proptest::prop_assert!(!is_valid(&changed));
                }
            }
        }
    }
}
