//! Which e-invoice profile each customer gets (`einvoice.csv`, optional):
//! EN 16931 (Factur-X / ZUGFeRD profile "EN 16931") for everyone by default,
//! XRechnung 3.0 for the customers that need it (public authorities), with
//! their buyer reference (Leitweg-ID, BT-10).
//!
//! Owns the file's columns and rules and the [`Profile`] value. Pure: bytes
//! in, settings and diagnostics out, each diagnostic as
//! `einvoice.csv:LINE: column: message (expected ...)` (RULES 3). It does not
//! render anything (`render::cii` does) and does not open the file (`load`).

use crate::diagnostic::Diagnostic;
use crate::table::Table;
use std::collections::HashMap;

pub const FILE: &str = "einvoice.csv";
pub const COLUMNS: &[&str] = &["customer_id", "profile", "buyer_reference"];

/// The CIUS an invoice's XML follows: what BT-24 says and which extra
/// fields it carries.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Profile {
    /// Factur-X / ZUGFeRD profile EN 16931, BT-24 `urn:cen.eu:en16931:2017`.
    #[default]
    En16931,
    /// XRechnung 3.0 (German CIUS, needed for public authorities): BT-10 is
    /// the buyer reference, usually the Leitweg-ID such as `04011000-12345-03`.
    XRechnung { buyer_reference: String },
}

impl Profile {
    /// BT-24, the specification identifier.
    pub fn guideline_id(&self) -> &'static str {
        match self {
            Profile::En16931 => "urn:cen.eu:en16931:2017",
            Profile::XRechnung { .. } => {
                "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
            }
        }
    }

    /// BT-10, the buyer reference (Leitweg-ID) of an XRechnung customer.
    pub fn buyer_reference(&self) -> Option<&str> {
        match self {
            Profile::En16931 => None,
            Profile::XRechnung { buyer_reference } => Some(buyer_reference),
        }
    }

    /// The Factur-X XMP `fx:ConformanceLevel` of a hybrid PDF.
    pub fn conformance_level(&self) -> &'static str {
        match self {
            Profile::En16931 => "EN 16931",
            Profile::XRechnung { .. } => "XRECHNUNG",
        }
    }

    /// The embedded file's name in a hybrid PDF: ZUGFeRD 2.1+ names the
    /// XRECHNUNG profile's attachment `xrechnung.xml`, all others
    /// `factur-x.xml`.
    pub fn attachment_name(&self) -> &'static str {
        match self {
            Profile::En16931 => "factur-x.xml",
            Profile::XRechnung { .. } => "xrechnung.xml",
        }
    }
}

/// The e-invoice settings of a data set: a profile per customer, with the
/// line of `einvoice.csv` it came from. An absent file is the empty default:
/// EN 16931 for everyone.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    by_customer: HashMap<String, (Profile, u64)>,
}

impl Settings {
    /// The customer's profile; EN 16931 unless `einvoice.csv` says otherwise.
    pub fn profile_of(&self, customer: &str) -> Profile {
        self.by_customer
            .get(customer)
            .map(|(p, _)| p.clone())
            .unwrap_or_default()
    }

    /// Every customer named in the file, with its profile (for reports).
    pub fn profiles(&self) -> impl Iterator<Item = (&str, &Profile)> {
        self.by_customer.iter().map(|(c, (p, _))| (c.as_str(), p))
    }

    /// References to customers that `customers.csv` does not have (RULES 3).
    /// `known` says whether a customer id belongs to a row of
    /// `customers.csv`, parsed or not (an unparsed row has its own error,
    /// and a second one here would only repeat it). A predicate, not the
    /// customer table, so that this module stays below `model`.
    pub fn check_customers(&self, known: impl Fn(&str) -> bool) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = self
            .by_customer
            .iter()
            .filter(|(c, _)| !known(c))
            .map(|(c, (_, line))| {
                Diagnostic::error(
                    FILE,
                    *line,
                    "customer_id",
                    format!("unknown customer '{c}' (expected the id of a row in customers.csv)"),
                )
            })
            .collect();
        out.sort_by_key(|d| d.line);
        out
    }
}

const PROFILES: &[(&str, Kind)] = &[("en16931", Kind::En16931), ("xrechnung", Kind::XRechnung)];

#[derive(Clone, Copy)]
enum Kind {
    En16931,
    XRechnung,
}

/// Reads `einvoice.csv`: `customer_id, profile, buyer_reference`. `profile`
/// is `en16931` or `xrechnung`; `xrechnung` requires `buyer_reference`
/// (BT-10, BR-DE-15), and `en16931` takes none (it would be silently lost
/// otherwise). A customer named twice is an error; the first row counts.
pub fn parse_einvoice(bytes: &[u8]) -> (Settings, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut settings = Settings::default();
    let Some(t) = Table::open(FILE, bytes, COLUMNS, &mut diags) else {
        return (settings, diags);
    };
    let (rows, d) = t.rows(|r| {
        let customer = r.str(0, "a customer id");
        let kind = r.choice(1, PROFILES);
        let reference = r.opt_str(2).ok()?;
        let profile = match (kind?, reference) {
            (Kind::En16931, None) => Profile::En16931,
            (Kind::En16931, Some(s)) => {
                r.error(
                    2,
                    format!("'{s}' given for profile en16931 (expected empty: a buyer reference is written only for xrechnung)"),
                );
                return None;
            }
            (Kind::XRechnung, None) => {
                r.error(
                    2,
                    "empty (expected the buyer reference for xrechnung, usually the Leitweg-ID such as 04011000-12345-03)",
                );
                return None;
            }
            (Kind::XRechnung, Some(s)) => {
                if s.trim() != s || s.chars().any(char::is_control) {
                    r.error(
                        2,
                        format!("'{s}' has leading or trailing spaces or control characters (expected the buyer reference as the customer gave it, e.g. 04011000-12345-03)"),
                    );
                    return None;
                }
                Profile::XRechnung {
                    buyer_reference: s.to_string(),
                }
            }
        };
        Some((customer?.to_string(), profile, r.line))
    });
    diags.extend(d);
    for (customer, profile, line) in rows {
        if let Some((_, first)) = settings.by_customer.get(&customer) {
            diags.push(Diagnostic::error(
                FILE,
                line,
                "customer_id",
                format!(
                    "duplicate customer '{customer}' (expected each customer once; first on line {first})"
                ),
            ));
        } else {
            settings.by_customer.insert(customer, (profile, line));
        }
    }
    (settings, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<String> {
        parse_einvoice(text.as_bytes())
            .1
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn profiles_by_customer_default_en16931() {
        let (s, d) = parse_einvoice(
            b"customer_id,profile,buyer_reference\nC1,en16931,\nC9,xrechnung,04011000-12345-03\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(s.profile_of("C1"), Profile::En16931);
        assert_eq!(s.profile_of("C2"), Profile::En16931);
        assert_eq!(
            s.profile_of("C9"),
            Profile::XRechnung {
                buyer_reference: "04011000-12345-03".into()
            }
        );
    }

    #[test]
    fn errors_name_file_line_column_and_expectation() {
        let table = [
            (
                "customer_id,profile,buyer_reference\nC9,xrechnung,\n",
                "einvoice.csv:2: buyer_reference: empty (expected the buyer reference for xrechnung, usually the Leitweg-ID such as 04011000-12345-03)",
            ),
            (
                "customer_id,profile,buyer_reference\nC1,en16931,X-1\n",
                "einvoice.csv:2: buyer_reference: 'X-1' given for profile en16931 (expected empty: a buyer reference is written only for xrechnung)",
            ),
            (
                "customer_id,profile,buyer_reference\nC1,xrechnug,1-2\n",
                "einvoice.csv:2: profile: unknown value 'xrechnug' (expected one of en16931, xrechnung; did you mean 'xrechnung'?)",
            ),
            (
                "customer_id,profile,buyer_reference\nC1,en16931,\n\nC1,en16931,\n",
                "einvoice.csv:4: customer_id: duplicate customer 'C1' (expected each customer once; first on line 2)",
            ),
            (
                "customer_id,profile\nC1,en16931\n",
                "einvoice.csv:1: buyer_reference: missing column (expected the header to name every column: customer_id, profile, buyer_reference)",
            ),
        ];
        for (input, expected) in table {
            assert_eq!(messages(input), vec![expected.to_string()], "{input}");
        }
    }
}
