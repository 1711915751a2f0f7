//! The DATEV "Buchungsstapel" (RULES 14 X1): format `EXTF`, header version
//! 700, category 21, Formatversion 13 with its 125 columns. Line 1 is the
//! header (consultant, client, fiscal year, range), line 2 the column
//! headings, then one booking a line: per invoice its gross on the debtor
//! (S) against the revenue account of its tax case, a cancellation the other
//! way round (H), a payment on the bank (S) against the debtor. Windows-1252,
//! `;`, decimal comma, `\r\n`. The revenue accounts are DATEV's automatic
//! accounts (Automatikkonten), so the tax key (BU-Schlüssel) stays empty and
//! DATEV splits off the VAT itself. Pure: values in, bytes and diagnostics
//! out.

use super::{Document, Entry, Payment, Range, TaxCase};
use crate::diagnostic::Diagnostic;
use crate::model::{Chart, Company, Customer, DatevKeys};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The column headings of Formatversion 13, in DATEV's order (DATEV maps
/// columns by position; every one must be present).
pub const COLUMNS: [&str; 125] = [
    "Umsatz (ohne Soll/Haben-Kz)",
    "Soll/Haben-Kennzeichen",
    "WKZ Umsatz",
    "Kurs",
    "Basis-Umsatz",
    "WKZ Basis-Umsatz",
    "Konto",
    "Gegenkonto (ohne BU-Schlüssel)",
    "BU-Schlüssel",
    "Belegdatum",
    "Belegfeld 1",
    "Belegfeld 2",
    "Skonto",
    "Buchungstext",
    "Postensperre",
    "Diverse Adressnummer",
    "Geschäftspartnerbank",
    "Sachverhalt",
    "Zinssperre",
    "Beleglink",
    "Beleginfo - Art 1",
    "Beleginfo - Inhalt 1",
    "Beleginfo - Art 2",
    "Beleginfo - Inhalt 2",
    "Beleginfo - Art 3",
    "Beleginfo - Inhalt 3",
    "Beleginfo - Art 4",
    "Beleginfo - Inhalt 4",
    "Beleginfo - Art 5",
    "Beleginfo - Inhalt 5",
    "Beleginfo - Art 6",
    "Beleginfo - Inhalt 6",
    "Beleginfo - Art 7",
    "Beleginfo - Inhalt 7",
    "Beleginfo - Art 8",
    "Beleginfo - Inhalt 8",
    "KOST1 - Kostenstelle",
    "KOST2 - Kostenstelle",
    "Kost-Menge",
    "EU-Land u. UStID (Bestimmung)",
    "EU-Steuersatz (Bestimmung)",
    "Abw. Versteuerungsart",
    "Sachverhalt L+L",
    "Funktionsergänzung L+L",
    "BU 49 Hauptfunktionstyp",
    "BU 49 Hauptfunktionsnummer",
    "BU 49 Funktionsergänzung",
    "Zusatzinformation - Art 1",
    "Zusatzinformation- Inhalt 1",
    "Zusatzinformation - Art 2",
    "Zusatzinformation- Inhalt 2",
    "Zusatzinformation - Art 3",
    "Zusatzinformation- Inhalt 3",
    "Zusatzinformation - Art 4",
    "Zusatzinformation- Inhalt 4",
    "Zusatzinformation - Art 5",
    "Zusatzinformation- Inhalt 5",
    "Zusatzinformation - Art 6",
    "Zusatzinformation- Inhalt 6",
    "Zusatzinformation - Art 7",
    "Zusatzinformation- Inhalt 7",
    "Zusatzinformation - Art 8",
    "Zusatzinformation- Inhalt 8",
    "Zusatzinformation - Art 9",
    "Zusatzinformation- Inhalt 9",
    "Zusatzinformation - Art 10",
    "Zusatzinformation- Inhalt 10",
    "Zusatzinformation - Art 11",
    "Zusatzinformation- Inhalt 11",
    "Zusatzinformation - Art 12",
    "Zusatzinformation- Inhalt 12",
    "Zusatzinformation - Art 13",
    "Zusatzinformation- Inhalt 13",
    "Zusatzinformation - Art 14",
    "Zusatzinformation- Inhalt 14",
    "Zusatzinformation - Art 15",
    "Zusatzinformation- Inhalt 15",
    "Zusatzinformation - Art 16",
    "Zusatzinformation- Inhalt 16",
    "Zusatzinformation - Art 17",
    "Zusatzinformation- Inhalt 17",
    "Zusatzinformation - Art 18",
    "Zusatzinformation- Inhalt 18",
    "Zusatzinformation - Art 19",
    "Zusatzinformation- Inhalt 19",
    "Zusatzinformation - Art 20",
    "Zusatzinformation- Inhalt 20",
    "Stück",
    "Gewicht",
    "Zahlweise",
    "Forderungsart",
    "Veranlagungsjahr",
    "Zugeordnete Fälligkeit",
    "Skontotyp",
    "Auftragsnummer",
    "Buchungstyp",
    "USt-Schlüssel (Anzahlungen)",
    "EU-Land (Anzahlungen)",
    "Sachverhalt L+L (Anzahlungen)",
    "EU-Steuersatz (Anzahlungen)",
    "Erlöskonto (Anzahlungen)",
    "Herkunft-Kz",
    "Buchungs GUID",
    "KOST-Datum",
    "SEPA-Mandatsreferenz",
    "Skontosperre",
    "Gesellschaftername",
    "Beteiligtennummer",
    "Identifikationsnummer",
    "Zeichnernummer",
    "Postensperre bis",
    "Bezeichnung SoBil-Sachverhalt",
    "Kennzeichen SoBil-Buchung",
    "Festschreibung",
    "Leistungsdatum",
    "Datum Zuord. Steuerperiode",
    "Fälligkeit",
    "Generalumkehr (GU)",
    "Steuersatz",
    "Land",
    "Abrechnungsreferenz",
    "BVV-Position",
    "EU-Land u. UStID (Ursprung)",
    "EU-Steuersatz (Ursprung)",
    "Abw. Skontokonto",
];

/// Number of fields of the header line (line 1).
pub const HEADER_FIELDS: usize = 31;
/// Longest Belegfeld 1 DATEV takes.
pub const BELEGFELD1_MAX: usize = 36;
/// Longest Buchungstext DATEV keeps (longer ones are cut on import).
pub const BUCHUNGSTEXT_MAX: usize = 60;
/// Most bookings one Buchungstapel may hold.
pub const MAX_BOOKINGS: usize = 99_999;

// Field positions (1-based, as DATEV numbers them) of what we fill.
const UMSATZ: usize = 1;
const SOLL_HABEN: usize = 2;
const WKZ: usize = 3;
const KURS_BASIS_WKZ: usize = 6;
const KONTO: usize = 7;
const GEGENKONTO: usize = 8;
const BU: usize = 9;
const BELEGDATUM: usize = 10;
const BELEGFELD1: usize = 11;
const BELEGFELD2: usize = 12;
const BUCHUNGSTEXT: usize = 14;
const EU_USTID: usize = 40;

/// The revenue account of a tax case in a chart (4-digit number): DATEV's
/// automatic accounts. Domestic 19 % 8400 / 4400 (7 % 8300 / 4300); other
/// services taxable in another EU state, the recipient owes the VAT, 8336 /
/// 4336; taxable in a third country, not in Germany, 8338 / 4338.
pub fn revenue_account(chart: Chart, case: TaxCase) -> Result<u32, String> {
    let skr03 = match case {
        TaxCase::EuReverseCharge => 8336,
        TaxCase::NonEu => 8338,
        TaxCase::Domestic(rate) if rate == Decimal::from(19) => 8400,
        TaxCase::Domestic(rate) if rate == Decimal::from(7) => 8300,
        TaxCase::Domestic(rate) => {
            return Err(format!(
                "no automatic revenue account for VAT {} % in {} (expected 19 or 7 %)",
                rate.normalize(),
                chart.as_str()
            ))
        }
    };
    Ok(match chart {
        Chart::Skr03 => skr03,
        // SKR04 keeps revenue in class 4: the same last three digits.
        Chart::Skr04 => skr03 - 4000,
    })
}

/// The bank's G/L account by default: 1200 in SKR03, 1800 in SKR04.
pub fn default_bank_account(chart: Chart) -> u32 {
    match chart {
        Chart::Skr03 => 1200,
        Chart::Skr04 => 1800,
    }
}

/// A 4-digit chart account at the client's G/L account length: DATEV
/// extends account numbers with zeros at the end (8400 -> 84000 at 5).
pub fn gl_account(account: u32, length: u32) -> String {
    let s = account.to_string();
    let pad = (length as usize).saturating_sub(s.len());
    format!("{s}{}", "0".repeat(pad))
}

/// The first day of the fiscal year that holds `d`.
pub fn fiscal_year_of(keys: &DatevKeys, d: NaiveDate) -> NaiveDate {
    let (m, day) = keys.fiscal_year_start;
    // `validate` accepts only a month and day that every year has.
    let start = |y: i32| NaiveDate::from_ymd_opt(y, m, day).expect("a valid MM-DD");
    if start(d.year()) <= d {
        start(d.year())
    } else {
        start(d.year() - 1)
    }
}

/// One Buchungsstapel holds one fiscal year, and its "Datum vom" and
/// "Datum bis" lie in one calendar year (DATEV refuses others, REW04404):
/// the range's fiscal year start, or why the range cannot be one file.
pub fn check_range(keys: &DatevKeys, range: Range) -> Result<NaiveDate, String> {
    let fy = fiscal_year_of(keys, range.from);
    if fy != fiscal_year_of(keys, range.to) {
        return Err(format!(
            "--from {} and --to {} lie in different fiscal years (the fiscal year starts {:02}-{:02}); a DATEV batch holds one fiscal year: export each on its own",
            range.from, range.to, keys.fiscal_year_start.0, keys.fiscal_year_start.1
        ));
    }
    if range.from.year() != range.to.year() {
        return Err(format!(
            "--from {} and --to {} lie in different calendar years; DATEV takes a batch within one calendar year: export each on its own",
            range.from, range.to
        ));
    }
    Ok(fy)
}

/// The file's name: `EXTF_Buchungsstapel_<from>_<to>.csv` (DATEV's import
/// looks for the `EXTF_` prefix).
pub fn file_name(range: Range) -> String {
    format!(
        "EXTF_Buchungsstapel_{}_{}.csv",
        range.from.format("%Y%m%d"),
        range.to.format("%Y%m%d")
    )
}

/// An amount as DATEV wants it: no sign, decimal comma, two decimals, at
/// most ten integer digits; `None` when it has more.
pub fn amount(d: Decimal) -> Option<String> {
    let mut a = d.abs();
    a.rescale(2);
    let s = a.to_string().replace('.', ",");
    (s.len() <= 13).then_some(s)
}

/// Belegfeld 1 may hold at most 36 of `A-Z a-z 0-9 $ & % * + - /`.
pub fn is_belegfeld1(s: &str) -> bool {
    !s.is_empty()
        && s.chars().count() <= BELEGFELD1_MAX
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "$&%*+-/".contains(c))
}

/// The characters of `s` that Windows-1252 cannot hold.
pub fn unmappable(s: &str) -> Vec<char> {
    s.chars().filter(|c| !is_cp1252(*c)).collect()
}

fn is_cp1252(c: char) -> bool {
    let mut buf = [0u8; 4];
    let (_, _, had_errors) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
    !had_errors
}

/// A text for a field: control characters (CR, LF, TAB are not allowed in
/// a field) become spaces, characters Windows-1252 lacks become `?`, then
/// it is cut to `max` characters.
fn clean(s: &str, max: usize) -> String {
    s.chars()
        .map(|c| match c {
            c if c.is_control() => ' ',
            c if !is_cp1252(c) => '?',
            c => c,
        })
        .take(max)
        .collect()
}

/// A quoted text field, inner quotes doubled.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A booking line: 125 fields, those not given empty.
fn line(fields: &BTreeMap<usize, String>) -> String {
    (1..=COLUMNS.len())
        .map(|i| fields.get(&i).map_or("", String::as_str))
        .collect::<Vec<_>>()
        .join(";")
}

/// The header (line 1). "Erzeugt am" is the range's last day at 00:00:00.000,
/// never the clock, so that the same export gives the same bytes (X3).
pub fn header(keys: &DatevKeys, currency: &str, range: Range, fy: NaiveDate) -> String {
    let date = |d: NaiveDate| d.format("%Y%m%d").to_string();
    let chart = match keys.chart {
        Chart::Skr03 => "03",
        Chart::Skr04 => "04",
    };
    let fields: [String; HEADER_FIELDS] = [
        quoted("EXTF"),
        "700".into(),
        "21".into(),
        quoted("Buchungsstapel"),
        "13".into(),
        format!("{}000000000", date(range.to)),
        String::new(),
        quoted("RE"),
        quoted("faktura"),
        quoted(""),
        keys.consultant.map_or(String::new(), |n| n.to_string()),
        keys.client.map_or(String::new(), |n| n.to_string()),
        date(fy),
        keys.account_length.to_string(),
        date(range.from),
        date(range.to),
        quoted(&format!("faktura {}..{}", range.from, range.to)),
        quoted(""),
        // Buchungstyp 1 = Finanzbuchführung; Rechnungslegungszweck 0 =
        // independent; Festschreibung 0 = not locked, so the adviser can
        // review before locking.
        "1".into(),
        "0".into(),
        "0".into(),
        quoted(currency),
        String::new(),
        quoted(""),
        String::new(),
        String::new(),
        quoted(chart),
        String::new(),
        String::new(),
        quoted(""),
        quoted(""),
    ];
    fields.join(";")
}

/// A booking's facts before they become a line.
struct Booking {
    amount: Decimal,
    konto: String,
    gegenkonto: String,
    date: NaiveDate,
    belegfeld1: String,
    text: String,
    eu_vat_id: Option<String>,
}

impl Booking {
    fn line(&self, currency: &str, text: &str) -> String {
        let mut f = BTreeMap::new();
        // Not 0,00 (checked by the caller) and at most 10 digits (too).
        f.insert(UMSATZ, amount(self.amount).unwrap_or_default());
        let side = if self.amount.is_sign_negative() {
            "H"
        } else {
            "S"
        };
        f.insert(SOLL_HABEN, quoted(side));
        f.insert(WKZ, quoted(currency));
        f.insert(KURS_BASIS_WKZ, quoted(""));
        f.insert(KONTO, self.konto.clone());
        f.insert(GEGENKONTO, self.gegenkonto.clone());
        // Empty: the revenue accounts are automatic accounts (REW00306).
        f.insert(BU, quoted(""));
        f.insert(BELEGDATUM, self.date.format("%d%m").to_string());
        f.insert(BELEGFELD1, quoted(&self.belegfeld1));
        f.insert(BELEGFELD2, quoted(""));
        f.insert(BUCHUNGSTEXT, quoted(text));
        if let Some(v) = &self.eu_vat_id {
            f.insert(EU_USTID, quoted(v));
        }
        line(&f)
    }
}

/// A customer's VAT id as column 40 wants it: country code and number, no
/// spaces (`^[A-Z]{2}[A-Z0-9+*]{2,13}$`).
pub fn eu_vat_id(raw: &str) -> Option<String> {
    let v: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
        .collect::<String>()
        .to_uppercase();
    let ok = (4..=15).contains(&v.len())
        && v.bytes().take(2).all(|b| b.is_ascii_uppercase())
        && v.bytes()
            .skip(2)
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'+' || b == b'*');
    ok.then_some(v)
}

/// The Buchungsstapel of `entries`, or `None` when a setting it needs is
/// missing (the diagnostics say which). Errors and warnings go to `diags`.
pub fn buchungsstapel(
    company: &Company,
    entries: &[Entry],
    range: Range,
    diags: &mut Vec<Diagnostic>,
) -> Option<(String, Vec<u8>)> {
    let keys = &company.datev;
    let before = diags.iter().filter(|d| d.is_error()).count();
    let toml = "company.toml";
    for (key, value, expected) in [
        (
            "datev_consultant",
            keys.consultant,
            "datev_consultant = 1001..9999999, the tax adviser's DATEV Beraternummer",
        ),
        (
            "datev_client",
            keys.client,
            "datev_client = 1..99999, the company's DATEV Mandantennummer at the adviser",
        ),
    ] {
        if value.is_none() {
            diags.push(Diagnostic::error(
                toml,
                0,
                key,
                format!("missing key (expected a line {expected}; needed by --format datev)"),
            ));
        }
    }
    let bank = match keys.bank_account {
        Some(a) if a.to_string().len() == keys.account_length as usize => a.to_string(),
        Some(a) => {
            diags.push(Diagnostic::error(
                toml,
                keys.lines.get("datev_bank_account").copied().unwrap_or(1),
                "datev_bank_account",
                format!(
                    "{a} has {} digits (expected {}, the datev_account_length)",
                    a.to_string().len(),
                    keys.account_length
                ),
            ));
            String::new()
        }
        None => gl_account(default_bank_account(keys.chart), keys.account_length),
    };
    let fy = match check_range(keys, range) {
        Ok(fy) => fy,
        Err(m) => {
            diags.push(Diagnostic::error("export", 0, "range", m));
            return None;
        }
    };
    if entries.len() > MAX_BOOKINGS {
        diags.push(Diagnostic::error(
            "export",
            1,
            "range",
            format!(
                "{} bookings (expected at most {MAX_BOOKINGS} in one DATEV batch: export a shorter range)",
                entries.len()
            ),
        ));
    }

    // Every exported customer needs its debtor account, once per customer.
    let mut debtor: BTreeMap<&str, Option<String>> = BTreeMap::new();
    for e in entries {
        let c = e.customer();
        debtor
            .entry(c.id.as_str())
            .or_insert_with(|| debtor_account(c, keys, e, diags));
    }

    let mut lines = vec![
        header(keys, &company.currency, range, fy),
        COLUMNS.join(";"),
    ];
    for e in entries {
        let c = e.customer();
        let Some(Some(account)) = debtor.get(c.id.as_str()) else {
            continue;
        };
        let booking = match e {
            Entry::Document(d) => document(d, account, keys, diags),
            Entry::Payment(p) => payment(p, account, &bank, diags),
        };
        let Some(b) = booking else { continue };
        // The Buchungstext: the name from customers.csv, its characters
        // that Windows-1252 lacks named.
        let missing = unmappable(&c.name);
        if !missing.is_empty() {
            diags.push(Diagnostic::warning(
                "customers.csv",
                c.line,
                "name",
                format!(
                    "{} not in Windows-1252: written as '?' in the Buchungstext of {} (DATEV reads Windows-1252 only)",
                    missing
                        .iter()
                        .map(|ch| format!("'{ch}' (U+{:04X})", *ch as u32))
                        .collect::<Vec<_>>()
                        .join(", "),
                    b.belegfeld1
                ),
            ));
        }
        let text = clean(&b.text, BUCHUNGSTEXT_MAX);
        lines.push(b.line(&company.currency, &text));
    }
    if diags.iter().filter(|d| d.is_error()).count() > before {
        return None;
    }
    let mut text = lines.join("\r\n");
    text.push_str("\r\n");
    // Every text was cleaned to Windows-1252 characters above.
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    Some((file_name(range), bytes.into_owned()))
}

/// The customer's debtor account, checked against the account length.
fn debtor_account(
    c: &Customer,
    keys: &DatevKeys,
    first: &Entry,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let what = match first {
        Entry::Document(d) => d.invoice.number.clone(),
        Entry::Payment(p) => format!("payment {}", p.payment.payment_id),
    };
    let want = keys.account_length as usize + 1;
    match &c.debtor_account {
        None => {
            diags.push(Diagnostic::error(
                "customers.csv",
                c.line,
                "debtor_account",
                format!(
                    "empty for {} (expected the customer's DATEV debtor account, {want} digits such as 1{}1; needed to export {what})",
                    c.id,
                    "0".repeat(want - 2)
                ),
            ));
            None
        }
        Some(a) if a.len() != want => {
            diags.push(Diagnostic::error(
                "customers.csv",
                c.line,
                "debtor_account",
                format!(
                    "'{a}' has {} digits (expected {want}: a personal account is one digit longer than datev_account_length {})",
                    a.len(),
                    keys.account_length
                ),
            ));
            None
        }
        Some(a) => Some(a.clone()),
    }
}

/// An invoice or cancellation: its gross on the debtor against the revenue
/// account of its tax case; a cancellation (negative gross) is `H`, with
/// Belegfeld 1 the cancelled invoice's number so that DATEV's open items
/// clear it.
fn document(
    d: &Document,
    debtor: &str,
    keys: &DatevKeys,
    diags: &mut Vec<Diagnostic>,
) -> Option<Booking> {
    let inv = d.invoice;
    let f = crate::ledger::FILE;
    let revenue = match revenue_account(keys.chart, d.case) {
        Ok(a) => gl_account(a, keys.account_length),
        Err(m) => {
            diags.push(Diagnostic::error(
                f,
                inv.line,
                "vat_rate",
                format!("{}: {m}", inv.number),
            ));
            return None;
        }
    };
    if inv.gross.is_zero() {
        diags.push(Diagnostic::warning(
            f,
            inv.line,
            "gross",
            format!(
                "{} has gross 0.00: not in the DATEV batch (DATEV takes no booking of 0,00)",
                inv.number
            ),
        ));
        return None;
    }
    if amount(inv.gross).is_none() {
        diags.push(Diagnostic::error(
            f,
            inv.line,
            "gross",
            format!(
                "{}: {} has more than 10 integer digits (expected at most 9999999999.99 for DATEV)",
                inv.number, inv.gross
            ),
        ));
        return None;
    }
    let (belegfeld1, text) = match (d.is_cancellation(), &inv.refers_to) {
        (true, Some(orig)) => (
            orig.clone(),
            format!("{} Storno {orig} {}", inv.number, d.customer.name),
        ),
        _ => (
            inv.number.clone(),
            format!("{} {}", inv.number, d.customer.name),
        ),
    };
    if !is_belegfeld1(&belegfeld1) {
        diags.push(Diagnostic::error(
            f,
            inv.line,
            "invoice_no",
            format!(
                "'{belegfeld1}' cannot be DATEV's Belegfeld 1 (expected at most {BELEGFELD1_MAX} of A-Z a-z 0-9 $ & % * + - /: change invoice_number_format)"
            ),
        ));
        return None;
    }
    let eu_vat_id = match d.case {
        TaxCase::EuReverseCharge => {
            let raw = d.customer.vat_id.as_deref().unwrap_or("");
            let v = eu_vat_id(raw);
            if v.is_none() {
                diags.push(Diagnostic::warning(
                    "customers.csv",
                    d.customer.line,
                    "vat_id",
                    format!(
                        "'{raw}' is not a VAT id DATEV takes: column EU-Land u. UStID of {} left empty (expected e.g. ATU12345678)",
                        inv.number
                    ),
                ));
            }
            v
        }
        _ => None,
    };
    Some(Booking {
        amount: inv.gross,
        konto: debtor.to_string(),
        gegenkonto: revenue,
        date: inv.issue_date,
        belegfeld1,
        text,
        eu_vat_id,
    })
}

/// A payment: the bank (S) against the debtor; a returned payment (negative)
/// the other way round. Belegfeld 1 = the invoice it pays.
fn payment(p: &Payment, debtor: &str, bank: &str, diags: &mut Vec<Diagnostic>) -> Option<Booking> {
    let pay = p.payment;
    let source = format!("payment {}", pay.payment_id);
    if pay.amount.is_zero() {
        return None;
    }
    if amount(pay.amount).is_none() {
        diags.push(Diagnostic::error(
            &source,
            0,
            "amount",
            format!("{} has more than 10 integer digits", pay.amount),
        ));
        return None;
    }
    let belegfeld1 = pay.invoice_no.clone().unwrap_or_default();
    if !belegfeld1.is_empty() && !is_belegfeld1(&belegfeld1) {
        diags.push(Diagnostic::error(
            &source,
            0,
            "invoice_no",
            format!("'{belegfeld1}' cannot be DATEV's Belegfeld 1 (expected at most {BELEGFELD1_MAX} of A-Z a-z 0-9 $ & % * + - /)"),
        ));
        return None;
    }
    let text = match &pay.invoice_no {
        Some(n) => format!("Zahlung {n} {}", p.customer.name),
        None => format!("Zahlung {} Guthaben {}", p.customer.id, p.customer.name),
    };
    Some(Booking {
        amount: pay.amount,
        konto: bank.to_string(),
        gegenkonto: debtor.to_string(),
        date: pay.date,
        belegfeld1,
        text,
        eu_vat_id: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::table::parse_date(s).unwrap()
    }

    #[test]
    fn x1_revenue_accounts_per_chart_and_tax_case() {
        let de = TaxCase::Domestic(Decimal::from(19));
        let table = [
            (Chart::Skr03, de, 8400),
            (Chart::Skr03, TaxCase::EuReverseCharge, 8336),
            (Chart::Skr03, TaxCase::NonEu, 8338),
            (Chart::Skr04, de, 4400),
            (Chart::Skr04, TaxCase::EuReverseCharge, 4336),
            (Chart::Skr04, TaxCase::NonEu, 4338),
            (Chart::Skr03, TaxCase::Domestic(Decimal::from(7)), 8300),
            (Chart::Skr04, TaxCase::Domestic(Decimal::from(7)), 4300),
        ];
        for (chart, case, want) in table {
            assert_eq!(revenue_account(chart, case), Ok(want), "{chart:?} {case:?}");
        }
        assert!(revenue_account(Chart::Skr03, TaxCase::Domestic(Decimal::from(16))).is_err());
        assert_eq!(default_bank_account(Chart::Skr03), 1200);
        assert_eq!(default_bank_account(Chart::Skr04), 1800);
        assert_eq!(gl_account(8400, 4), "8400");
        assert_eq!(gl_account(8400, 6), "840000");
    }

    #[test]
    fn x1_amounts_have_a_decimal_comma_and_no_sign() {
        let table = [
            ("1190.00", "1190,00"),
            ("-1190.5", "1190,50"),
            ("0.01", "0,01"),
            ("9999999999.99", "9999999999,99"),
        ];
        for (input, want) in table {
            assert_eq!(amount(input.parse().unwrap()).as_deref(), Some(want));
        }
        assert_eq!(amount("10000000000.00".parse().unwrap()), None);
    }

    #[test]
    fn x1_belegfeld1_characters_and_length() {
        assert!(is_belegfeld1("RE-2026-00001"));
        assert!(is_belegfeld1("2026/17"));
        assert!(!is_belegfeld1("RE_2026_00001"));
        assert!(!is_belegfeld1("RE 1"));
        assert!(!is_belegfeld1(&"A".repeat(37)));
        assert!(!is_belegfeld1(""));
    }

    #[test]
    fn x1_windows_1252_text_is_cleaned_and_cut() {
        assert_eq!(unmappable("Müller € – „Ä“"), Vec::<char>::new());
        assert_eq!(unmappable("Yılmaz Łódź"), vec!['ı', 'Ł', 'ź']);
        assert_eq!(clean("a\tb\r\nc", 60), "a b  c");
        assert_eq!(clean("Yılmaz", 60), "Y?lmaz");
        assert_eq!(clean(&"x".repeat(70), 60).len(), 60);
    }

    #[test]
    fn x1_one_fiscal_year_and_one_calendar_year_per_batch() {
        let mut keys = DatevKeys::default();
        let r = |a: &str, b: &str| Range::new(d(a), d(b)).unwrap();
        assert_eq!(
            check_range(&keys, r("2026-10-01", "2026-10-31")),
            Ok(d("2026-01-01"))
        );
        assert!(check_range(&keys, r("2026-12-01", "2027-01-31")).is_err());
        keys.fiscal_year_start = (7, 1);
        assert_eq!(
            check_range(&keys, r("2026-03-01", "2026-03-31")),
            Ok(d("2025-07-01"))
        );
        assert!(check_range(&keys, r("2026-06-01", "2026-07-31")).is_err());
        // Inside one fiscal year but across New Year: DATEV refuses it.
        assert!(check_range(&keys, r("2026-12-01", "2027-01-31")).is_err());
    }

    #[test]
    fn x1_header_has_31_fields_and_a_reproducible_timestamp() {
        let keys = DatevKeys {
            consultant: Some(29098),
            client: Some(55003),
            ..DatevKeys::default()
        };
        let range = Range::new(d("2026-10-01"), d("2026-11-30")).unwrap();
        let h = header(&keys, "EUR", range, d("2026-01-01"));
        assert_eq!(
            h,
            "\"EXTF\";700;21;\"Buchungsstapel\";13;20261130000000000;;\"RE\";\"faktura\";\"\";29098;55003;20260101;4;20261001;20261130;\"faktura 2026-10-01..2026-11-30\";\"\";1;0;0;\"EUR\";;\"\";;;\"03\";;;\"\";\"\""
        );
        assert_eq!(h.split(';').count(), HEADER_FIELDS);
        assert_eq!(COLUMNS.len(), 125);
        assert_eq!(eu_vat_id("ATU 642 358 75").as_deref(), Some("ATU64235875"));
        assert_eq!(eu_vat_id("EL123456789").as_deref(), Some("EL123456789"));
        assert_eq!(eu_vat_id("12"), None);
    }
}
