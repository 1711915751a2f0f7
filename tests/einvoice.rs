//! E-invoices: every invoice also as EN 16931 CII XML (Factur-X / ZUGFeRD
//! profile EN 16931, or XRechnung 3.0), embedded in a PDF/A-3.
//!
//! Each business case is an invoice built by hand, as the monthly run would
//! build it (amounts by RULES 5's formulas): its XML is compared with a
//! reviewed golden file and validated offline against the Factur-X 1.09
//! XSD and EN 16931 schematron (`scripts/validate_cii.py`). Every finding
//! fails, `failed-assert` and `successful-report` alike, warnings included.
//!
//! Needs `FAKTURA_CII_VALIDATOR`: a Python with factur-x, saxonche and lxml
//! (`scripts/einvoice-venv.sh DIR`, then `FAKTURA_CII_VALIDATOR=DIR/bin/python`);
//! the hybrid PDF tests need `pdfdetach` (poppler-utils) and `qpdf`.
//! `BLESS=1` rewrites the golden files.

use chrono::NaiveDate;
use faktura::einvoice::{parse_einvoice, Profile};
use faktura::invoice::{Invoice, InvoiceKind, Line, LineKind, Reference, TaxNote};
use faktura::model::{Company, Customer, CustomerId, EntryId, Language, ProjectId};
use faktura::period::Period;
use faktura::render::cii;
use faktura::render::pdf::hybrid_invoice_pdf;
use faktura::{money, price};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::process::Command;

// ---------------------------------------------------------------------------
// The business cases
// ---------------------------------------------------------------------------

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

fn company() -> Company {
    Company {
        name: "Bergmann IT-Service GmbH".into(),
        street: "Landsberger Straße 302".into(),
        postcode: "80687".into(),
        city: "München".into(),
        country: "DE".into(),
        vat_id: "DE287654324".into(),
        tax_number: "143/218/40571".into(),
        email: "rechnung@bergmann-it.example".into(),
        phone: "+49 89 5432100".into(),
        register: "Amtsgericht München, HRB 234567".into(),
        seat: "München".into(),
        managing_director: "Thomas Bergmann".into(),
        bank: "Commerzbank".into(),
        iban: "DE89 3704 0044 0532 0130 00".into(),
        bic: "COBADEFFXXX".into(),
        vat_rate: dec("19"),
        currency: "EUR".into(),
        invoice_number_format: "RE-{year}-{seq:05}".into(),
        cancellation_number_format: "ST-{year}-{seq:05}".into(),
        payment_days: 14,
        estimate_valid_days: 14,
        rates: "rates".into(),
        dunning: Default::default(),
        language: Language::De,
        datev: Default::default(),
    }
}

#[allow(clippy::too_many_arguments)]
fn customer(
    id: &str,
    name: &str,
    street: &str,
    postcode: &str,
    city: &str,
    country: &str,
    vat_id: Option<&str>,
    email: Option<&str>,
    language: Language,
) -> Customer {
    Customer {
        id: CustomerId::new(id),
        name: name.into(),
        street: street.into(),
        postcode: postcode.into(),
        city: city.into(),
        country: country.into(),
        vat_id: vat_id.map(Into::into),
        email: email.map(Into::into),
        language,
        consumer: false,
        debtor_account: None,
        line: 2,
    }
}

fn german() -> Customer {
    customer(
        "K-1001",
        "Brauerei Schweiger GmbH & Co. KG",
        "Lindwurmstraße 145",
        "80337",
        "München",
        "DE",
        Some("DE136695976"),
        Some("it@brauerei-schweiger.example"),
        Language::De,
    )
}

fn austrian() -> Customer {
    customer(
        "K-1009",
        "Tiroler Sporthandel GmbH",
        "Museumstraße 8",
        "6020",
        "Innsbruck",
        "AT",
        Some("ATU64235875"),
        Some("office@tiroler-sporthandel.example"),
        Language::De,
    )
}

fn american() -> Customer {
    customer(
        "K-1011",
        "Lakeview Software, Inc.",
        "233 S Wacker Dr, Suite 4100",
        "60606",
        "Chicago, IL",
        "US",
        None,
        Some("it-europe@lakeview-software.example"),
        Language::En,
    )
}

/// A public authority: XRechnung with its Leitweg-ID, no e-mail on file.
fn authority() -> Customer {
    customer(
        "K-1013",
        "Stadtverwaltung Freising <Amt für IT>",
        "Obere Hauptstraße 2",
        "85354",
        "Freising",
        "DE",
        None,
        None,
        Language::De,
    )
}

const LEITWEG_ID: &str = "04011000-12345-67";

fn xrechnung() -> Profile {
    Profile::XRechnung {
        buyer_reference: LEITWEG_ID.into(),
    }
}

/// A billable work part: `unit_price` per hour, `minutes` billed (RULES 5).
fn work(entry: &str, part: u32, date: &str, text: &str, minutes: u32, unit_price: &str) -> Line {
    let unit_price = dec(unit_price);
    Line {
        kind: LineKind::Work,
        entry: Some(EntryId::new(entry)),
        part: Some(part),
        date: Some(d(date)),
        description: text.into(),
        quantity: money::round2(Decimal::from(minutes) / Decimal::from(60)),
        minutes: Some(minutes),
        unit: "h",
        unit_price,
        amount: price::amount(unit_price, minutes),
    }
}

fn proof(entry: &str, part: u32, date: &str, text: &str, minutes: u32) -> Line {
    Line {
        kind: LineKind::Proof,
        entry: Some(EntryId::new(entry)),
        part: Some(part),
        date: Some(d(date)),
        description: text.into(),
        quantity: money::round2(Decimal::from(minutes) / Decimal::from(60)),
        minutes: Some(minutes),
        unit: "h",
        unit_price: Decimal::ZERO,
        amount: Decimal::ZERO,
    }
}

fn one(kind: LineKind, unit: &'static str, date: &str, text: &str, amount: &str) -> Line {
    Line {
        kind,
        entry: None,
        part: None,
        date: Some(d(date)),
        description: text.into(),
        quantity: Decimal::ONE,
        minutes: None,
        unit,
        unit_price: dec(amount),
        amount: dec(amount),
    }
}

fn travel(entry: &str, part: u32, date: &str, text: &str, amount: &str) -> Line {
    Line {
        entry: Some(EntryId::new(entry)),
        part: Some(part),
        ..one(LineKind::Travel, "visit", date, text, amount)
    }
}

/// An issued invoice with the totals of RULES 6 and the VAT of F15.
fn issued(number: &str, c: &Customer, lines: Vec<Line>, issue: &str) -> Invoice {
    let (rate, note) = faktura::invoice::tax_of(&company(), c);
    let net: Decimal = lines.iter().map(|l| l.amount).sum();
    let vat = money::round2(net * rate / Decimal::ONE_HUNDRED);
    let service_from = lines
        .iter()
        .filter_map(|l| l.date)
        .min()
        .unwrap()
        .min(d("2026-10-01"));
    Invoice {
        number: number.into(),
        draft: false,
        kind: InvoiceKind::Monthly,
        customer: c.id.clone(),
        project: None,
        period: Period::of(d("2026-10-01")),
        issue_date: Some(d(issue)),
        due_date: Some(d(issue) + chrono::Duration::days(14)),
        service_from,
        service_to: d("2026-10-31"),
        lines,
        net,
        vat_rate: rate,
        vat,
        gross: net + vat,
        tax_note: note,
        currency: "EUR".into(),
        refers_to: None,
        reason: None,
    }
}

/// German customer, 19 %: contract fee, work (one with a surcharge), a
/// call-out fee, and covered work as proof at 0.00.
fn german_invoice() -> Invoice {
    issued(
        "RE-2026-00042",
        &german(),
        vec![
            one(
                LineKind::Fee,
                "month",
                "2026-10-01",
                "Wartungsvertrag Premium (WV-2025-004), Oktober 2026",
                "490.00",
            ),
            work(
                "e2",
                2,
                "2026-10-07",
                "Kassensystem: Druckerwarteschlange (Fernwartung, über das Vertragskontingent hinaus, Rabatt 10 %, Ticket T-4711)",
                30,
                "94.50",
            ),
            work(
                "e3",
                1,
                "2026-10-08",
                "Router \"Filiale Süd\" neu eingerichtet (Fernwartung, Leistung für Drittanbieter, Zuschlag 25 %, Rabatt 10 %)",
                105,
                "118.13",
            ),
            work(
                "e7",
                1,
                "2026-10-20",
                "Server-Tausch vor Ort (vor Ort, Folge eines unautorisierten Eingriffs, Rabatt 10 %)",
                60,
                "115.20",
            ),
            travel("e7", 2, "2026-10-20", "Anfahrtspauschale Vor-Ort-Einsatz (Rabatt 10 %)", "58.50"),
            proof(
                "e1",
                1,
                "2026-10-06",
                "Passwort zurückgesetzt (im Wartungsvertrag enthalten)",
                90,
            ),
        ],
        "2026-11-03",
    )
}

/// Austrian customer with a VAT id: reverse charge (AE), 0 %.
fn reverse_charge_invoice() -> Invoice {
    issued(
        "RE-2026-00043",
        &austrian(),
        vec![
            one(
                LineKind::Fee,
                "month",
                "2026-10-01",
                "Wartungsvertrag Premium (WV-2026-002), Oktober 2026",
                "490.00",
            ),
            work(
                "e40",
                2,
                "2026-10-14",
                "Webshop-Zertifikat erneuert (Fernwartung, über das Vertragskontingent hinaus, Rabatt 10 %)",
                45,
                "94.50",
            ),
        ],
        "2026-11-03",
    )
}

/// US customer: not taxable in Germany (O), 0 %, in English; one older
/// billable entry from September.
fn non_eu_invoice() -> Invoice {
    issued(
        "RE-2026-00044",
        &american(),
        vec![
            work(
                "e12",
                1,
                "2026-09-29",
                "VPN gateway migration (remote, on-demand order at hourly rates)",
                120,
                "105.00",
            ),
            work(
                "e51",
                1,
                "2026-10-21",
                "On-site network audit (on site, on-demand order at hourly rates)",
                75,
                "128.00",
            ),
            travel(
                "e51",
                2,
                "2026-10-21",
                "Call-out fee, on-site visit",
                "65.00",
            ),
        ],
        "2026-11-03",
    )
}

/// A project invoice: one line, the agreed fee, at its acceptance date.
fn project_invoice() -> Invoice {
    let mut inv = issued(
        "RE-2026-00045",
        &german(),
        vec![one(
            LineKind::Project,
            "project",
            "2026-10-23",
            "Projekt P-2026-03: Neues WLAN Sudhaus & Lager, abgenommen am 23.10.2026",
            "12500.00",
        )],
        "2026-11-03",
    );
    inv.kind = InvoiceKind::Project;
    inv.project = Some(ProjectId::new("P-2026-03"));
    inv.service_from = d("2026-10-23");
    inv.service_to = d("2026-10-23");
    inv
}

/// A public authority invoiced in XRechnung: on-demand work and travel.
fn xrechnung_invoice() -> Invoice {
    issued(
        "RE-2026-00046",
        &authority(),
        vec![
            work(
                "e60",
                1,
                "2026-10-12",
                "Fachverfahren: Schnittstelle zum Meldewesen geprüft (Ticketsystem, Einzelauftrag nach Verrechnungssätzen, Ticket 2026-0815)",
                45,
                "95.00",
            ),
            work(
                "e61",
                1,
                "2026-10-13",
                "Arbeitsplatzrechner Bürgerbüro eingerichtet (vor Ort, Einzelauftrag nach Verrechnungssätzen)",
                70,
                "120.00",
            ),
            travel("e61", 2, "2026-10-13", "Anfahrtspauschale Vor-Ort-Einsatz", "59.00"),
        ],
        "2026-11-03",
    )
}

/// A cancellation of the German invoice as `faktura cancel` builds it:
/// every line negated (quantity and amount; the price stays), totals
/// negated, the original named.
fn cancellation_invoice() -> Invoice {
    let orig = german_invoice();
    let neg = |d: Decimal| if d.is_zero() { d } else { -d };
    let mut inv = orig.clone();
    inv.number = "ST-2026-00001".into();
    inv.kind = InvoiceKind::Cancellation;
    inv.issue_date = Some(d("2026-11-10"));
    inv.due_date = None;
    for l in &mut inv.lines {
        l.quantity = neg(l.quantity);
        l.amount = neg(l.amount);
    }
    inv.net = neg(orig.net);
    inv.vat = neg(orig.vat);
    inv.gross = neg(orig.gross);
    inv.refers_to = Some(Reference {
        number: orig.number.clone(),
        issue_date: orig.issue_date.unwrap(),
    });
    inv.reason = Some("Leistungszeitraum falsch".into());
    inv
}

/// The golden cases: (file name, invoice, customer, profile).
fn cases() -> Vec<(&'static str, Invoice, Customer, Profile)> {
    vec![
        ("german", german_invoice(), german(), Profile::En16931),
        (
            "reverse-charge",
            reverse_charge_invoice(),
            austrian(),
            Profile::En16931,
        ),
        ("non-eu", non_eu_invoice(), american(), Profile::En16931),
        ("project", project_invoice(), german(), Profile::En16931),
        ("xrechnung", xrechnung_invoice(), authority(), xrechnung()),
        (
            "cancellation",
            cancellation_invoice(),
            german(),
            Profile::En16931,
        ),
    ]
}

fn xml_of(inv: &Invoice, c: &Customer, p: &Profile) -> String {
    String::from_utf8(cii::invoice_xml(inv, &company(), c, p)).expect("UTF-8")
}

// ---------------------------------------------------------------------------
// The offline validator
// ---------------------------------------------------------------------------

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Python that runs `scripts/validate_cii.py`: never skipped silently.
fn validator() -> PathBuf {
    match std::env::var_os("FAKTURA_CII_VALIDATOR") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => panic!(
            "FAKTURA_CII_VALIDATOR is not set: the e-invoices cannot be validated.\n\
             Set it up once with\n  bash scripts/einvoice-venv.sh target/cii-venv\n\
             and run\n  FAKTURA_CII_VALIDATOR=$PWD/target/cii-venv/bin/python cargo test --test einvoice\n\
             (scripts/test.sh does both; CI sets it)."
        ),
    }
}

/// What the validator said about one file.
#[derive(Debug)]
struct Verdict {
    valid: bool,
    findings: Vec<String>,
}

/// Validates the files in one run (the schematron compiles once). A file is
/// valid only with 0 errors and 0 warnings: `failed-assert` and
/// `successful-report` both count.
fn validate(files: &[PathBuf]) -> HashMap<PathBuf, Verdict> {
    let out = Command::new(validator())
        .arg(manifest().join("scripts/validate_cii.py"))
        .arg("--level")
        .arg("en16931")
        .args(files)
        .output()
        .expect("run the validator (is FAKTURA_CII_VALIDATOR a Python interpreter?)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "the validator failed to run ({:?}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let mut verdicts = HashMap::new();
    for f in files {
        let prefix = format!("{}: ", f.display());
        let mine: Vec<&str> = stdout
            .lines()
            .filter_map(|l| l.strip_prefix(prefix.as_str()))
            .collect();
        let last = mine.last().copied().unwrap_or("no verdict");
        verdicts.insert(
            f.clone(),
            Verdict {
                valid: last == "VALID (0 errors, 0 warnings)",
                findings: mine.iter().map(|s| s.to_string()).collect(),
            },
        );
    }
    // The exit code agrees with the verdicts.
    let all_valid = verdicts.values().all(|v| v.valid);
    if all_valid {
        assert_eq!(out.status.code(), Some(0), "{stdout}");
    }
    verdicts
}

/// The Factur-X schematron knows the EN 16931 profiles only and rejects the
/// XRechnung specification id (FX-SCH-A-000556), and the XRechnung
/// schematron is not available offline. XRechnung is a CIUS, a subset of
/// EN 16931: its XML is checked with the EN 16931 id put in, and what
/// XRechnung adds is checked by [`xrechnung_fields`].
fn as_en16931(xml: &str) -> String {
    let xr = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0";
    assert!(xml.contains(xr), "not an XRechnung");
    xml.replace(xr, "urn:cen.eu:en16931:2017")
}

// ---------------------------------------------------------------------------
// A tiny reader for the asserts
// ---------------------------------------------------------------------------

/// The texts of every `<tag ...>text</tag>` in document order.
fn texts(xml: &str, tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml;
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        // `<ram:ID` must not match `<ram:IDx`.
        if !after.starts_with('>') && !after.starts_with(' ') {
            rest = after;
            continue;
        }
        let gt = after.find('>').unwrap();
        let end = after.find(&close).unwrap();
        out.push(after[gt + 1..end].to_string());
        rest = &after[end..];
    }
    out
}

fn text(xml: &str, tag: &str) -> String {
    let t = texts(xml, tag);
    assert_eq!(t.len(), 1, "{tag}: {t:?}");
    t[0].clone()
}

/// Each `<ram:IncludedSupplyChainTradeLineItem>` of the XML.
fn line_items(xml: &str) -> Vec<&str> {
    xml.split("<ram:IncludedSupplyChainTradeLineItem>")
        .skip(1)
        .map(|s| {
            s.split("</ram:IncludedSupplyChainTradeLineItem>")
                .next()
                .unwrap()
        })
        .collect()
}

fn golden(name: &str, bytes: &[u8]) {
    let path = manifest().join(format!("tests/golden/einvoice/{name}.xml"));
    if std::env::var_os("BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        return;
    }
    let want = std::fs::read(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: review the XML and write it with BLESS=1",
            path.display()
        )
    });
    if want != bytes {
        let (w, g) = (
            String::from_utf8_lossy(&want),
            String::from_utf8_lossy(bytes),
        );
        let first = w
            .lines()
            .zip(g.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(w.lines().count().min(g.lines().count()));
        panic!(
            "{} differs from the golden file at line {} (BLESS=1 rewrites it after review):\n  golden: {}\n  got:    {}",
            path.display(),
            first + 1,
            w.lines().nth(first).unwrap_or("<end>"),
            g.lines().nth(first).unwrap_or("<end>")
        );
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

/// Every kind of invoice validates (XSD + EN 16931 schematron), and its
/// bytes are the reviewed golden file. Also a draft.
#[test]
fn every_kind_of_invoice_is_valid_en16931_and_matches_its_golden_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (name, inv, c, p) in cases() {
        let xml = xml_of(&inv, &c, &p);
        golden(name, xml.as_bytes());
        let checked = match p {
            Profile::En16931 => xml,
            Profile::XRechnung { .. } => as_en16931(&xml),
        };
        let f = dir.path().join(format!("{name}.xml"));
        std::fs::write(&f, checked).unwrap();
        files.push(f);
    }
    // A draft (no number, no issue or due date) is a preview, but valid too.
    let mut draft = german_invoice();
    draft.number = "DRAFT-K-1001-2026-10".into();
    draft.draft = true;
    draft.issue_date = None;
    draft.due_date = None;
    let f = dir.path().join("draft.xml");
    std::fs::write(&f, xml_of(&draft, &german(), &Profile::En16931)).unwrap();
    files.push(f);
    let verdicts = validate(&files);
    let bad: Vec<String> = files
        .iter()
        .filter(|f| !verdicts[*f].valid)
        .map(|f| format!("{}:\n  {}", f.display(), verdicts[f].findings.join("\n  ")))
        .collect();
    assert!(bad.is_empty(), "invalid e-invoices:\n{}", bad.join("\n"));
}

/// The validation can fail: a tampered total breaks the BR-CO sums, and an
/// element the profile does not use is a `successful-report`, counted too.
#[test]
fn broken_invoices_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let xml = xml_of(&german_invoice(), &german(), &Profile::En16931);
    let grand = text(&xml, "ram:GrandTotalAmount");
    assert_eq!(grand, "1092.04");
    let tampered = xml.replacen(
        "<ram:GrandTotalAmount>1092.04</ram:GrandTotalAmount>",
        "<ram:GrandTotalAmount>1092.05</ram:GrandTotalAmount>",
        1,
    );
    assert_ne!(tampered, xml);
    let f1 = dir.path().join("tampered-total.xml");
    std::fs::write(&f1, tampered).unwrap();
    // BT-1 with a scheme: "not used in this context" (successful-report).
    let with_scheme = xml.replacen(
        "<ram:ID>RE-2026-00042</ram:ID>",
        "<ram:ID schemeID=\"0088\">RE-2026-00042</ram:ID>",
        1,
    );
    assert_ne!(with_scheme, xml);
    let f2 = dir.path().join("unused-element.xml");
    std::fs::write(&f2, with_scheme).unwrap();
    let verdicts = validate(&[f1.clone(), f2.clone()]);
    let v1 = &verdicts[&f1];
    assert!(!v1.valid, "a tampered total passed: {v1:?}");
    assert!(
        v1.findings
            .iter()
            .any(|f| f.contains("BR-CO-15") || f.contains("BR-CO-16")),
        "{v1:?}"
    );
    let v2 = &verdicts[&f2];
    assert!(!v2.valid, "an element outside the profile passed: {v2:?}");
}

/// The XML carries the invoice's own Decimals, the same as the PDF and the
/// CSVs: every line in invoice order (LineID = the `line` of
/// `invoice_lines.csv`), and the totals chain BR-CO-10..16 exactly.
#[test]
fn amounts_are_the_invoices_own() {
    let money = faktura::money::money;
    for (name, inv, c, p) in cases() {
        let xml = xml_of(&inv, &c, &p);
        let items = line_items(&xml);
        assert_eq!(items.len(), inv.lines.len(), "{name}");
        // A cancellation (381, credit note) credits the negated amounts.
        let money = |x: Decimal| match inv.kind {
            InvoiceKind::Cancellation if !x.is_zero() => money(-x),
            _ => money(x),
        };
        for (n, (item, l)) in items.iter().zip(&inv.lines).enumerate() {
            assert_eq!(text(item, "ram:LineID"), (n + 1).to_string(), "{name}");
            assert_eq!(text(item, "ram:LineTotalAmount"), money(l.amount), "{name}");
        }
        let settlement = xml
            .split("<ram:ApplicableHeaderTradeSettlement>")
            .nth(1)
            .unwrap();
        assert_eq!(
            text(settlement, "ram:LineTotalAmount"),
            money(inv.net),
            "{name}"
        );
        assert_eq!(
            text(settlement, "ram:TaxBasisTotalAmount"),
            money(inv.net),
            "{name}"
        );
        assert_eq!(
            text(settlement, "ram:BasisAmount"),
            money(inv.net),
            "{name}"
        );
        assert_eq!(
            text(settlement, "ram:CalculatedAmount"),
            money(inv.vat),
            "{name}"
        );
        assert_eq!(
            text(settlement, "ram:TaxTotalAmount"),
            money(inv.vat),
            "{name}"
        );
        assert_eq!(
            text(settlement, "ram:GrandTotalAmount"),
            money(inv.gross),
            "{name}"
        );
        assert_eq!(
            text(settlement, "ram:DuePayableAmount"),
            money(inv.gross),
            "{name}"
        );
        let sum: Decimal = inv.lines.iter().map(|l| l.amount).sum();
        assert_eq!(sum, inv.net, "{name}: BR-CO-10");
    }
}

/// RULES 5 / the issue: a work line is billed minutes (`MIN`) at the hourly
/// price per base quantity 60 `MIN`, so quantity × price / base quantity is
/// the line amount to the cent (PEPPOL-EN16931-R120); fee, travel and
/// project lines are 1 `C62` at price = amount.
#[test]
fn quantity_times_price_over_base_quantity_is_the_line_amount() {
    let mut work_lines = 0;
    for (name, inv, c, p) in cases() {
        let xml = xml_of(&inv, &c, &p);
        for (item, l) in line_items(&xml).iter().zip(&inv.lines) {
            let qty = texts(item, "ram:BilledQuantity");
            let price = dec(&text(item, "ram:ChargeAmount"));
            let amount = dec(&text(item, "ram:LineTotalAmount"));
            assert!(!amount.is_sign_negative(), "{name}: no negative amounts");
            assert_eq!(amount, l.amount.abs(), "{name}");
            match l.kind {
                LineKind::Work | LineKind::Proof => {
                    work_lines += 1;
                    assert!(
                        item.contains("<ram:BilledQuantity unitCode=\"MIN\">"),
                        "{name}"
                    );
                    assert!(
                        item.contains("<ram:BasisQuantity unitCode=\"MIN\">60</ram:BasisQuantity>"),
                        "{name}"
                    );
                    let minutes = dec(&qty[0]);
                    assert_eq!(minutes, Decimal::from(l.minutes.unwrap()), "{name}");
                    assert_eq!(price, l.unit_price, "{name}");
                    assert_eq!(
                        money::round2(minutes * price / Decimal::from(60)),
                        amount,
                        "{name}: {minutes} min at {price}/h"
                    );
                }
                LineKind::Fee | LineKind::Travel | LineKind::Project => {
                    assert!(
                        item.contains(
                            "<ram:BilledQuantity unitCode=\"C62\">1</ram:BilledQuantity>"
                        ),
                        "{name}"
                    );
                    assert!(!item.contains("BasisQuantity"), "{name}");
                    assert_eq!(price, amount, "{name}");
                }
            }
        }
    }
    assert!(work_lines >= 8);
    // Odd minutes and prices: the formula of RULES 5 is the formula of R120.
    for (minutes, unit_price) in [
        (1, "95.00"),
        (7, "118.13"),
        (105, "118.13"),
        (61, "0.01"),
        (599, "99.99"),
    ] {
        let l = work("x", 1, "2026-10-01", "x", minutes, unit_price);
        let exact = Decimal::from(minutes) * dec(unit_price) / Decimal::from(60);
        assert_eq!(money::round2(exact), l.amount);
        assert!((exact - l.amount).abs() < dec("0.01"));
    }
}

/// Decision "proof lines": covered and referral work stays on the XML as a
/// 0.00 line (EN 16931 allows zero lines), as on the PDF; totals unchanged.
#[test]
fn proof_of_work_is_a_zero_line() {
    let inv = german_invoice();
    let xml = xml_of(&inv, &german(), &Profile::En16931);
    let items = line_items(&xml);
    let (n, _) = inv
        .lines
        .iter()
        .enumerate()
        .find(|(_, l)| l.kind == LineKind::Proof)
        .unwrap();
    let proof = items[n];
    assert_eq!(
        text(proof, "ram:Name"),
        "Leistungsnachweis (ohne Berechnung)"
    );
    assert_eq!(text(proof, "ram:ChargeAmount"), "0.00");
    assert_eq!(text(proof, "ram:LineTotalAmount"), "0.00");
    assert!(proof.contains("<ram:BilledQuantity unitCode=\"MIN\">90</ram:BilledQuantity>"));
    assert_eq!(text(proof, "ram:Content"), "Zeiteintrag e1/1");
}

/// F15 in the XML: S at the company rate; AE with both VAT ids and the
/// reason; O with its reason and without any VAT id (BR-O-02) or line rate
/// (BR-O-05), the seller then identified by its tax number.
#[test]
fn vat_category_by_the_customers_country() {
    let de = xml_of(&german_invoice(), &german(), &Profile::En16931);
    assert_eq!(texts(&de, "ram:CategoryCode"), vec!["S"; 7]);
    assert_eq!(texts(&de, "ram:RateApplicablePercent"), vec!["19"; 7]);
    assert!(de.contains("<ram:ID schemeID=\"VA\">DE287654324</ram:ID>"));
    assert!(de.contains("<ram:ID schemeID=\"VA\">DE136695976</ram:ID>"));
    assert!(de.contains("<ram:ID schemeID=\"FC\">143/218/40571</ram:ID>"));
    assert!(!de.contains("ExemptionReason"));

    let at = xml_of(&reverse_charge_invoice(), &austrian(), &Profile::En16931);
    assert_eq!(texts(&at, "ram:CategoryCode"), vec!["AE"; 3]);
    assert_eq!(texts(&at, "ram:RateApplicablePercent"), vec!["0"; 3]);
    assert_eq!(text(&at, "ram:ExemptionReasonCode"), "VATEX-EU-AE");
    assert!(text(&at, "ram:ExemptionReason")
        .starts_with("Steuerschuldnerschaft des Leistungsempfängers"));
    assert!(at.contains("<ram:ID schemeID=\"VA\">DE287654324</ram:ID>"));
    assert!(at.contains("<ram:ID schemeID=\"VA\">ATU64235875</ram:ID>"));
    assert_eq!(text(&at, "ram:TaxTotalAmount"), "0.00");

    let us = xml_of(&non_eu_invoice(), &american(), &Profile::En16931);
    assert_eq!(texts(&us, "ram:CategoryCode"), vec!["O"; 4]);
    assert_eq!(text(&us, "ram:ExemptionReasonCode"), "VATEX-EU-O");
    assert!(text(&us, "ram:ExemptionReason").starts_with("Not taxable in Germany"));
    assert!(
        !us.contains("schemeID=\"VA\""),
        "BR-O-02: no VAT ids on an O invoice"
    );
    for item in line_items(&us) {
        assert!(!item.contains("RateApplicablePercent"), "BR-O-05");
    }
    assert!(us.contains("<ram:ID schemeID=\"FC\">143/218/40571</ram:ID>"));
    assert_eq!(text(&us, "ram:TaxTotalAmount"), "0.00");
}

/// What XRechnung 3.0 adds to EN 16931 (BR-DE-*, PEPPOL rules), checked
/// here because its schematron is not available offline.
#[test]
fn xrechnung_fields() {
    let xml = xml_of(&xrechnung_invoice(), &authority(), &xrechnung());
    let has = |s: &str| assert!(xml.contains(s), "missing {s}");
    has("<ram:ID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</ram:ID>");
    // BT-23 (PEPPOL-EN16931-R001), BT-10 Leitweg-ID (BR-DE-15).
    has("<ram:BusinessProcessSpecifiedDocumentContextParameter>\n<ram:ID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</ram:ID>");
    assert_eq!(text(&xml, "ram:BuyerReference"), LEITWEG_ID);
    // BG-6 seller contact with name, phone, e-mail (BR-DE-2, -5, -6, -7).
    assert_eq!(text(&xml, "ram:PersonName"), "Thomas Bergmann");
    assert_eq!(text(&xml, "ram:CompleteNumber"), "+49 89 5432100");
    has(
        "<ram:EmailURIUniversalCommunication>\n<ram:URIID>rechnung@bergmann-it.example</ram:URIID>",
    );
    // BT-34 and BT-49 (PEPPOL-EN16931-R020, -R010): no e-mail on file, so
    // the Leitweg-ID (scheme 0204).
    has("<ram:URIID schemeID=\"EM\">rechnung@bergmann-it.example</ram:URIID>");
    has(&format!(
        "<ram:URIID schemeID=\"0204\">{LEITWEG_ID}</ram:URIID>"
    ));
    // Postcode and city of both parties (BR-DE-3, -4, -8, -9).
    assert_eq!(texts(&xml, "ram:PostcodeCode"), vec!["80687", "85354"]);
    assert_eq!(texts(&xml, "ram:CityName"), vec!["München", "Freising"]);
    // Payment instructions with IBAN for code 58 (BR-DE-1, -23-a), terms.
    assert_eq!(text(&xml, "ram:IBANID"), "DE89370400440532013000");
    let terms = xml
        .split("<ram:SpecifiedTradePaymentTerms>")
        .nth(1)
        .unwrap();
    assert_eq!(
        texts(terms, "ram:Description")[0],
        "Zahlbar ohne Abzug bis 17.11.2026."
    );
    assert!(text(&xml, "ram:DueDateDateTime").contains("20261117"));
    // Seller tax id (BR-DE-16), VAT rate in the breakdown (BR-DE-14).
    has("<ram:ID schemeID=\"VA\">DE287654324</ram:ID>");
    let settlement = xml
        .split("<ram:ApplicableHeaderTradeSettlement>")
        .nth(1)
        .unwrap();
    assert_eq!(texts(settlement, "ram:RateApplicablePercent"), vec!["19"]);
    // PEPPOL-EN16931-R008: no empty elements.
    assert!(!xml.contains("></ram:"), "an empty element");
}

/// Drafts have no issue date: BT-2 is the last day of service and a note
/// says it is a draft; the terms name the payment days.
#[test]
fn a_draft_is_marked_and_dated_by_its_service() {
    let mut inv = german_invoice();
    inv.number = "DRAFT-K-1001-2026-10".into();
    inv.draft = true;
    inv.issue_date = None;
    inv.due_date = None;
    let xml = xml_of(&inv, &german(), &Profile::En16931);
    let doc = xml.split("<rsm:ExchangedDocument>").nth(1).unwrap();
    assert_eq!(
        text(
            doc.split("</rsm:ExchangedDocument>").next().unwrap(),
            "ram:ID"
        ),
        "DRAFT-K-1001-2026-10"
    );
    assert!(doc.contains("<udt:DateTimeString format=\"102\">20261031</udt:DateTimeString>"));
    assert!(doc.contains(
        "<ram:Content>ENTWURF – keine gültige Rechnung, bitte nicht zahlen</ram:Content>"
    ));
    assert!(xml.contains("<ram:Description>Zahlbar ohne Abzug innerhalb von 14 Tagen nach Rechnungsdatum.</ram:Description>"));
    assert!(!xml.contains("DueDateDateTime"));
}

/// Text from the data is escaped, never taken for markup.
#[test]
fn text_is_escaped() {
    let xml = xml_of(&xrechnung_invoice(), &authority(), &xrechnung());
    assert!(xml.contains("<ram:Name>Stadtverwaltung Freising &lt;Amt für IT&gt;</ram:Name>"));
    let de = xml_of(&german_invoice(), &german(), &Profile::En16931);
    assert!(de.contains("<ram:Name>Brauerei Schweiger GmbH &amp; Co. KG</ram:Name>"));
    assert!(de.contains("Router &quot;Filiale Süd&quot; neu eingerichtet"));
}

/// A cancellation is a credit note (381) with positive amounts, names the
/// invoice it cancels (BG-3) and says why (BT-22); an invoice is 380.
#[test]
fn a_cancellation_is_a_credit_note_referring_to_its_invoice() {
    let inv = cancellation_invoice();
    assert!(inv.gross.is_sign_negative());
    let xml = xml_of(&inv, &german(), &Profile::En16931);
    let head = xml.split("</rsm:ExchangedDocument>").next().unwrap();
    assert_eq!(text(head, "ram:TypeCode"), "381");
    assert_eq!(
        text(head, "ram:Content"),
        "Stornorechnung zur Rechnung RE-2026-00042 vom 03.11.2026. Grund: Leistungszeitraum falsch"
    );
    assert!(xml.contains(
        "<ram:InvoiceReferencedDocument>\n<ram:IssuerAssignedID>RE-2026-00042</ram:IssuerAssignedID>\n<ram:FormattedIssueDateTime>\n<qdt:DateTimeString format=\"102\">20261103</qdt:DateTimeString>"
    ));
    assert_eq!(text(&xml, "ram:GrandTotalAmount"), "1092.04");
    assert!(!xml.contains(">-"), "no negative number in a credit note");
    assert!(xml.contains("<ram:Description>Es ist keine Zahlung fällig.</ram:Description>"));
    assert_eq!(cii::type_code(&inv), 381);
    assert_eq!(cii::type_code(&german_invoice()), 380);
}

/// `einvoice.csv`: which customer gets which profile; the file's errors
/// read `einvoice.csv:LINE: column: message`; unknown customers are found.
#[test]
fn einvoice_csv_chooses_the_profile() {
    let (settings, diags) = parse_einvoice(
        "customer_id,profile,buyer_reference\nK-1013,xrechnung,04011000-12345-67\nK-1001,en16931,\nK-9999,en16931,\n".as_bytes(),
    );
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(settings.profile_of("K-1013"), xrechnung());
    assert_eq!(settings.profile_of("K-1001"), Profile::En16931);
    assert_eq!(settings.profile_of("K-1011"), Profile::En16931);
    let customers: BTreeMap<CustomerId, Customer> = [german(), authority()]
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect();
    let unknown: Vec<String> = settings
        .check_customers(|c| customers.contains_key(c))
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        unknown,
        vec!["einvoice.csv:4: customer_id: unknown customer 'K-9999' (expected the id of a row in customers.csv)"]
    );
    assert!(settings
        .check_customers(|c| customers.contains_key(c) || c == "K-9999")
        .is_empty());
    // No file: EN 16931 for everyone.
    assert_eq!(
        faktura::einvoice::Settings::default().profile_of("K-1013"),
        Profile::En16931
    );
}

// ---------------------------------------------------------------------------
// The hybrid PDF (Factur-X / ZUGFeRD)
// ---------------------------------------------------------------------------

/// The hybrid invoice as the run writes it: the invoice's own layout with
/// the XML embedded in the same pass (the layout itself is tested in
/// tests/pdf.rs).
fn hybrid(inv: &Invoice, c: &Customer, p: &Profile, xml: &[u8]) -> Vec<u8> {
    static FONTS: std::sync::OnceLock<faktura::render::pdf::Fonts> = std::sync::OnceLock::new();
    let fonts = FONTS.get_or_init(faktura::render::pdf::Fonts::load);
    hybrid_invoice_pdf(inv, &company(), c, p, xml, fonts)
}

fn tool(name: &str) -> Command {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        found,
        "`{name}` is not installed: apt-get install poppler-utils qpdf (scripts/test.sh does)"
    );
    Command::new(name)
}

fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The XML is attached byte for byte (`pdfdetach`), the file is sound
/// (`qpdf --check`), the PDF/A-3 and Factur-X parts are in place, and the
/// same inputs give the same bytes.
#[test]
fn hybrid_pdf_carries_the_xml() {
    let dir = tempfile::tempdir().unwrap();
    for (name, inv, c, p) in cases() {
        let xml = cii::invoice_xml(&inv, &company(), &c, &p);
        let date = inv.document_date();
        let pdf = hybrid(&inv, &c, &p, &xml);
        let again = hybrid(&inv, &c, &p, &xml);
        assert!(pdf == again, "{name}: not reproducible");

        let f = dir.path().join(format!("{name}.pdf"));
        std::fs::write(&f, &pdf).unwrap();
        run_ok(tool("qpdf").arg("--check").arg(&f));
        // The printable side: the page text names the invoice.
        let text = run_ok(tool("pdftotext").arg(&f).arg("-"));
        assert!(text.contains(&inv.number), "{name}: {text}");
        let list = run_ok(tool("pdfdetach").arg("-list").arg(&f));
        let attachment = p.attachment_name();
        assert!(list.contains(&format!("1: {attachment}")), "{name}: {list}");
        assert!(list.starts_with("1 embedded files"), "{name}: {list}");
        let out = dir.path().join(format!("{name}.detached.xml"));
        run_ok(
            tool("pdfdetach")
                .arg("-save")
                .arg("1")
                .arg("-o")
                .arg(&out)
                .arg(&f),
        );
        assert!(
            std::fs::read(&out).unwrap() == xml,
            "{name}: attachment differs from the XML"
        );

        // The container, read back with lopdf.
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        assert_eq!(doc.version, "1.7");
        let id = doc.trailer.get(b"ID").unwrap().as_array().unwrap();
        let digest = <sha2::Sha256 as sha2::Digest>::digest(inv.number.as_bytes());
        assert_eq!(
            id[0].as_str().unwrap(),
            &digest[..16],
            "{name}: /ID from the invoice number"
        );
        let catalog = doc.catalog().unwrap();
        let af = catalog.get(b"AF").unwrap().as_array().unwrap();
        assert_eq!(af.len(), 1);
        let spec = doc.get_dictionary(af[0].as_reference().unwrap()).unwrap();
        assert_eq!(
            spec.get(b"AFRelationship").unwrap().as_name().unwrap(),
            b"Alternative"
        );
        assert_eq!(
            spec.get(b"F").unwrap().as_str().unwrap(),
            attachment.as_bytes()
        );
        let ef = spec.get(b"EF").unwrap().as_dict().unwrap();
        let file = doc
            .get_object(ef.get(b"F").unwrap().as_reference().unwrap())
            .unwrap();
        let file = file.as_stream().unwrap();
        assert_eq!(
            file.dict.get(b"Subtype").unwrap().as_name().unwrap(),
            b"text/xml"
        );
        let params = file.dict.get(b"Params").unwrap().as_dict().unwrap();
        assert_eq!(
            params.get(b"ModDate").unwrap().as_str().unwrap(),
            format!("D:{}000000+00'00'", date.format("%Y%m%d")).as_bytes()
        );
        assert_eq!(
            params.get(b"Size").unwrap().as_i64().unwrap(),
            xml.len() as i64
        );
        let intents = catalog.get(b"OutputIntents").unwrap().as_array().unwrap();
        let intent = intents[0].as_dict().unwrap();
        assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFA1");
        let icc = doc
            .get_object(
                intent
                    .get(b"DestinationOutputProfile")
                    .unwrap()
                    .as_reference()
                    .unwrap(),
            )
            .unwrap()
            .as_stream()
            .unwrap();
        assert_eq!(icc.dict.get(b"N").unwrap().as_i64().unwrap(), 3);
        let meta = doc
            .get_object(catalog.get(b"Metadata").unwrap().as_reference().unwrap())
            .unwrap()
            .as_stream()
            .unwrap();
        assert!(meta.dict.get(b"Filter").is_err(), "PDF/A: XMP unfiltered");
        let xmp = String::from_utf8(meta.content.clone()).unwrap();
        for want in [
            "<pdfaid:part>3</pdfaid:part>".to_string(),
            "<pdfaid:conformance>B</pdfaid:conformance>".to_string(),
            "<fx:DocumentType>INVOICE</fx:DocumentType>".to_string(),
            format!("<fx:DocumentFileName>{attachment}</fx:DocumentFileName>"),
            "<fx:Version>1.0</fx:Version>".to_string(),
            format!(
                "<fx:ConformanceLevel>{}</fx:ConformanceLevel>",
                p.conformance_level()
            ),
            "<pdfaSchema:prefix>fx</pdfaSchema:prefix>".to_string(),
            format!(" {}</rdf:li></rdf:Alt></dc:title>", inv.number),
            format!(
                "<xmp:CreateDate>{}T00:00:00+00:00</xmp:CreateDate>",
                date.format("%Y-%m-%d")
            ),
        ] {
            assert!(xmp.contains(&want), "{name}: XMP lacks {want}\n{xmp}");
        }
        // The document info says nothing the XMP does not (PDF/A 6.6.2.3).
        let info_ref = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
        let info = doc.get_dictionary(info_ref).unwrap();
        let keys: Vec<String> = info
            .iter()
            .map(|(k, _)| String::from_utf8_lossy(k).into_owned())
            .collect();
        assert_eq!(
            keys,
            [
                "CreationDate",
                "ModDate",
                "Title",
                "Author",
                "Creator",
                "Producer",
                "Subject"
            ],
            "{name}"
        );
    }
}

/// The factur-x library (the validator's venv) finds and XSD-checks the
/// embedded XML of an EN 16931 hybrid the way receivers do.
#[test]
fn facturx_library_reads_the_hybrid() {
    let dir = tempfile::tempdir().unwrap();
    let inv = german_invoice();
    let xml = cii::invoice_xml(&inv, &company(), &german(), &Profile::En16931);
    let pdf = hybrid(&inv, &german(), &Profile::En16931, &xml);
    let f = dir.path().join("hybrid.pdf");
    std::fs::write(&f, pdf).unwrap();
    let script = "import sys, facturx\n\
                  name, xml = facturx.get_xml_from_pdf(open(sys.argv[1], 'rb').read(), check_xsd=True)\n\
                  sys.stdout.write(name + '\\n')\n\
                  sys.stdout.buffer.write(xml)\n";
    let out = run_ok(Command::new(validator()).arg("-c").arg(script).arg(&f));
    let (name, extracted) = out.split_once('\n').unwrap();
    assert_eq!(name, "factur-x.xml");
    assert_eq!(extracted.as_bytes(), xml.as_slice());
}

// ---------------------------------------------------------------------------
// A whole month from the data, as the run produces it
// ---------------------------------------------------------------------------

/// The demo month (fixtures/demo, October 2026, issued): every invoice's
/// XML validates, and its totals are those of `invoices.csv`.
#[test]
fn demo_month_every_invoice_is_valid_and_agrees_with_invoices_csv() {
    use faktura::invoice::{monthly_run, Mode};
    let raw = faktura::load::load(&manifest().join("fixtures/demo")).expect("load the demo");
    let v = faktura::validate::validate(&raw);
    let ds = v.dataset.expect("the demo data set is valid");
    let parts = faktura::decide::decide(&ds);
    let run = monthly_run(
        &ds,
        &parts,
        Period::parse("2026-10").unwrap(),
        &faktura::ledger::Ledger::default(),
        &Mode {
            issue: true,
            date: Some(d("2026-11-03")),
        },
    );
    let invoices = run.invoices(&ds);
    assert!(invoices.len() >= 10);
    let notes: Vec<TaxNote> = invoices.iter().map(|i| i.tax_note).collect();
    assert!(notes.contains(&TaxNote::ReverseCharge) && notes.contains(&TaxNote::NotTaxableInDe));
    assert!(invoices.iter().any(|i| i.kind == InvoiceKind::Project));

    let csv = faktura::render::csv::invoices(&invoices);
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let header = reader.headers().unwrap().clone();
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let (no, net, vat, gross) = (col("invoice_no"), col("net"), col("vat"), col("gross"));
    let csv_totals: HashMap<String, (String, String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[no].to_string(),
                (r[net].to_string(), r[vat].to_string(), r[gross].to_string()),
            )
        })
        .collect();
    assert_eq!(csv_totals.len(), invoices.len());

    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for inv in &invoices {
        let c = &ds.customers[&inv.customer];
        let xml = xml_of(inv, c, &Profile::En16931);
        let settlement = xml
            .split("<ram:ApplicableHeaderTradeSettlement>")
            .nth(1)
            .unwrap();
        let (n, v, g) = &csv_totals[&inv.number];
        assert_eq!(
            &text(settlement, "ram:TaxBasisTotalAmount"),
            n,
            "{}",
            inv.number
        );
        assert_eq!(&text(settlement, "ram:TaxTotalAmount"), v, "{}", inv.number);
        assert_eq!(
            &text(settlement, "ram:GrandTotalAmount"),
            g,
            "{}",
            inv.number
        );
        let f = dir.path().join(format!("{}.xml", inv.number));
        std::fs::write(&f, xml).unwrap();
        files.push(f);
    }
    let verdicts = validate(&files);
    let bad: Vec<String> = files
        .iter()
        .filter(|f| !verdicts[*f].valid)
        .map(|f| format!("{}:\n  {}", f.display(), verdicts[f].findings.join("\n  ")))
        .collect();
    assert!(
        bad.is_empty(),
        "invalid e-invoices of the demo month:\n{}",
        bad.join("\n")
    );
}
