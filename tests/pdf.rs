//! The invoice PDF (RULES 6, 7): every field § 14 (4) UStG asks for is on it,
//! in the customer's language and number format, and the bytes are the same
//! on every run, sequential or parallel.
//!
//! The text is read back with poppler's `pdftotext -layout` and the file is
//! checked with `qpdf --check`. Both must be installed (Debian/Ubuntu:
//! `apt-get install -y poppler-utils qpdf`); without them these tests fail.

use chrono::NaiveDate;
use faktura::invoice::{Invoice, InvoiceKind, Line, LineKind, Reference, TaxNote};
use faktura::model::{Company, Customer, CustomerId, EntryId, Language};
use faktura::period::Period;
use faktura::render::pdf::{invoice_pdf, Fonts};
use rayon::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use std::path::Path;
use std::process::Command;
use std::str::FromStr;
use std::sync::OnceLock;

// --- the business case ------------------------------------------------------

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(Fonts::load)
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::from_str(s).unwrap()
}

fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
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
        iban: "DE89370400440532013000".into(),
        bic: "COBADEFFXXX".into(),
        vat_rate: dec("19"),
        currency: "EUR".into(),
        invoice_number_format: "RE-{year}-{seq:05}".into(),
        cancellation_number_format: "ST-{year}-{seq:05}".into(),
        payment_days: 14,
        estimate_valid_days: 14,
        rates: "../../rates".into(),
        dunning: Default::default(),
        language: Language::De,
        datev: Default::default(),
    }
}

fn customer_de() -> Customer {
    Customer {
        id: CustomerId::new("C2"),
        name: "Huber & Söhne Steuerberatung GmbH".into(),
        street: "Nymphenburger Straße 14".into(),
        postcode: "80335".into(),
        city: "München".into(),
        country: "DE".into(),
        vat_id: Some("DE136598171".into()),
        email: Some("buero@huber-soehne-stb.example".into()),
        language: Language::De,
        consumer: false,
        debtor_account: None,
        line: 2,
    }
}

fn customer_at_en() -> Customer {
    Customer {
        id: CustomerId::new("C7"),
        name: "Alpenblick Software GmbH".into(),
        street: "Museumstraße 21".into(),
        postcode: "6020".into(),
        city: "Innsbruck".into(),
        country: "AT".into(),
        vat_id: Some("ATU63358479".into()),
        email: Some("office@alpenblick.example".into()),
        language: Language::En,
        consumer: false,
        debtor_account: None,
        line: 3,
    }
}

/// A work line: `minutes` billed at `unit_price`, amount by RULES 5.
fn work(entry: &str, date: &str, description: &str, minutes: u32, unit_price: &str) -> Line {
    let unit_price = dec(unit_price);
    Line {
        kind: LineKind::Work,
        entry: Some(EntryId::new(entry)),
        part: Some(1),
        date: Some(day(date)),
        description: description.into(),
        quantity: round2(Decimal::from(minutes) / Decimal::from(60)),
        minutes: Some(minutes),
        unit: "h",
        unit_price,
        amount: round2(unit_price * Decimal::from(minutes) / Decimal::from(60)),
    }
}

fn proof(entry: &str, date: &str, description: &str, minutes: u32) -> Line {
    Line {
        kind: LineKind::Proof,
        unit_price: Decimal::ZERO,
        amount: Decimal::ZERO,
        ..work(entry, date, description, minutes, "0.00")
    }
}

fn fee(description: &str, amount: &str) -> Line {
    Line {
        kind: LineKind::Fee,
        entry: None,
        part: None,
        date: None,
        description: description.into(),
        quantity: Decimal::ONE,
        minutes: None,
        unit: "month",
        unit_price: dec(amount),
        amount: dec(amount),
    }
}

fn travel(entry: &str, date: &str, amount: &str) -> Line {
    Line {
        kind: LineKind::Travel,
        entry: Some(EntryId::new(entry)),
        part: Some(2),
        date: Some(day(date)),
        description: "Anfahrt (Vor-Ort-Einsatz)".into(),
        quantity: Decimal::ONE,
        minutes: None,
        unit: "visit",
        unit_price: dec(amount),
        amount: dec(amount),
    }
}

/// An October 2026 invoice of `customer` over `lines`, totals by RULES 6.
fn invoice(number: &str, customer: &Customer, lines: Vec<Line>, tax_note: TaxNote) -> Invoice {
    let net: Decimal = lines.iter().map(|l| l.amount).sum();
    let vat_rate = if tax_note == TaxNote::None {
        dec("19")
    } else {
        Decimal::ZERO
    };
    let vat = round2(net * vat_rate / Decimal::from(100));
    Invoice {
        number: number.into(),
        draft: false,
        kind: InvoiceKind::Monthly,
        customer: customer.id.clone(),
        project: None,
        period: Period {
            year: 2026,
            month: 10,
        },
        issue_date: Some(day("2026-10-31")),
        due_date: Some(day("2026-11-14")),
        service_from: day("2026-10-01"),
        service_to: day("2026-10-31"),
        lines,
        net,
        vat_rate,
        vat,
        gross: net + vat,
        tax_note,
        currency: "EUR".into(),
        refers_to: None,
        reason: None,
    }
}

/// C2's October: the worked example of RULES 9 and some more, 10 lines.
fn german_invoice() -> Invoice {
    let lines = vec![
        fee("Wartungsvertrag Basis, Oktober 2026", "150.00"),
        work("e2", "2026-10-07", "Fernwartung: Druckerwarteschlange nach Treiber-Update repariert (Kontingent überschritten)", 30, "86.40"),
        work("e3", "2026-10-08", "Fremdsoftware: DATEV-Schnittstelle nach Update des Herstellers neu eingerichtet, Abendeinsatz", 15, "108.00"),
        work("e6", "2026-10-13", "Vor-Ort-Einsatz: Netzwerkdrucker im 2. OG nach Eingriff eines Dritten wiederhergestellt", 90, "118.80"),
        travel("e6", "2026-10-13", "40.50"),
        work("e8", "2026-10-20", "Telefonsupport zu Fremdprodukt (Steuerprogramm), Übergabe an Hersteller-Hotline", 45, "86.40"),
        work("e9", "2026-10-27", "Fernwartung: Outlook-Profile nach Manipulation neu angelegt", 75, "86.40"),
        proof("e1", "2026-10-06", "Fernwartung: Fehler im Dokumentenmanagement behoben", 90),
        proof("e4", "2026-10-09", "Telefon: Störung der Telefonanlage diagnostiziert, an Anbieter verwiesen", 20),
        proof("e7", "2026-10-15", "Ticket: Passwort-Richtlinie angepasst", 30),
    ];
    invoice("RE-2026-00042", &customer_de(), lines, TaxNote::None)
}

fn reverse_charge_invoice() -> Invoice {
    let lines = vec![
        fee("Maintenance contract Premium, October 2026", "480.00"),
        work(
            "x1",
            "2026-10-05",
            "Remote support: migration of the build server, third-party CI plugin",
            120,
            "96.00",
        ),
        work(
            "x2",
            "2026-10-21",
            "Remote support: firewall rules restored after unauthorised change",
            45,
            "96.00",
        ),
    ];
    invoice(
        "RE-2026-00043",
        &customer_at_en(),
        lines,
        TaxNote::ReverseCharge,
    )
}

fn draft_invoice() -> Invoice {
    let mut inv = german_invoice();
    inv.number = "DRAFT-C2-2026-10".into();
    inv.draft = true;
    inv.issue_date = None;
    inv.due_date = None;
    inv
}

/// 120 lines of work: a long invoice over several pages.
fn long_invoice() -> Invoice {
    let texts = [
        "Fernwartung: Benutzerkonto entsperrt",
        "Vor-Ort-Einsatz: Arbeitsplatzrechner nach Wasserschaden eines Dritten neu aufgesetzt, Daten aus Sicherung zurückgespielt und Drucker eingerichtet",
        "Telefonsupport zu Fremdprodukt",
        "Fernwartung: Zertifikat des Mailservers erneuert, nachdem der Dienstleister des Kunden es gelöscht hatte",
    ];
    let lines = (0..120)
        .map(|i| {
            let d = format!("2026-10-{:02}", 1 + i % 31);
            work(
                &format!("w{i}"),
                &d,
                texts[i % texts.len()],
                15 + 15 * (i as u32 % 7),
                "96.00",
            )
        })
        .collect();
    invoice("RE-2026-00044", &customer_de(), lines, TaxNote::None)
}

// --- reading the PDF back ----------------------------------------------------

fn tool(name: &str) -> Command {
    let ok = Command::new(name).arg("-v").output().is_ok();
    assert!(
        ok,
        "`{name}` is not installed: these tests read the PDFs back with poppler-utils \
         (pdftotext) and check them with qpdf; install them with \
         `apt-get install -y poppler-utils qpdf`"
    );
    Command::new(name)
}

/// Writes the PDF into `dir`, checks it with qpdf, returns its text.
fn check_and_read(dir: &Path, name: &str, pdf: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    // To look at them: FAKTURA_PDF_OUT=/tmp/pdfs cargo test --test pdf
    if let Some(keep) = std::env::var_os("FAKTURA_PDF_OUT") {
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::write(Path::new(&keep).join(name), pdf).unwrap();
    }
    let qpdf = tool("qpdf").arg("--check").arg(&path).output().unwrap();
    assert!(
        qpdf.status.success(),
        "qpdf --check {name}: {}{}",
        String::from_utf8_lossy(&qpdf.stdout),
        String::from_utf8_lossy(&qpdf.stderr)
    );
    let out = tool("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftotext {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn render(inv: &Invoice, customer: &Customer) -> Vec<u8> {
    invoice_pdf(inv, &company(), customer, None, fonts())
}

fn assert_has(text: &str, wanted: &[&str]) {
    let missing: Vec<&&str> = wanted.iter().filter(|w| !text.contains(**w)).collect();
    assert!(missing.is_empty(), "missing {missing:?} in:\n{text}");
}

fn pages(text: &str) -> usize {
    text.matches('\u{c}').count()
}

// --- § 14 (4) UStG, field by field ------------------------------------------

#[test]
fn german_invoice_carries_every_mandatory_field_in_german_format() {
    let dir = tempfile::tempdir().unwrap();
    let inv = german_invoice();
    let text = check_and_read(dir.path(), "de.pdf", &render(&inv, &customer_de()));
    assert_has(
        &text,
        &[
            // Nr. 1: seller and buyer, names and addresses
            "Bergmann IT-Service GmbH",
            "Landsberger Straße 302",
            "80687 München",
            "Huber & Söhne Steuerberatung GmbH",
            "Nymphenburger Straße 14",
            "80335 München",
            // Nr. 2: tax number and VAT id of the seller
            "Steuernummer: 143/218/40571",
            "USt-IdNr.: DE287654324",
            // Nr. 3, 4: issue date (German format) and number
            "Rechnungsdatum",
            "31.10.2026",
            "Rechnungsnummer",
            "RE-2026-00042",
            // Nr. 6: service period
            "Leistungszeitraum",
            "01.10.2026 – 31.10.2026",
            // Nr. 5: quantity and kind of service
            "1,50 h",
            "Vor-Ort-Einsatz: Netzwerkdrucker",
            "1 Monat",
            "Wartungsvertrag Basis, Oktober 2026",
            // Nr. 7, 8: net, VAT rate and amount, gross (1.234,56 EUR)
            "Nettobetrag",
            "USt 19 %",
            "Gesamtbetrag",
            // payment terms, bank, page numbers, § 35a GmbHG
            "Zahlbar ohne Abzug bis 14.11.2026",
            "IBAN DE89 3704 0044 0532 0130 00",
            "BIC COBADEFFXXX",
            "Sitz der Gesellschaft: München",
            "Amtsgericht München, HRB 234567",
            "Geschäftsführer: Thomas Bergmann",
            // proof of work, visibly not charged
            "Leistungsnachweis (ohne Berechnung)",
            "Ticket: Passwort-Richtlinie angepasst",
            "kostenfrei",
        ],
    );
    // The totals, from the lines: 150.00 + 43.20 + 27.00 + 178.20 + 40.50
    // + 64.80 + 108.00 = 611.70; VAT round2(611.70 * 0.19) = 116.22.
    assert_eq!(inv.net, dec("611.70"));
    assert_has(&text, &["611,70 EUR", "116,22 EUR", "727,92 EUR", "118,80"]);
    assert!(!text.contains("ENTWURF"), "an issued invoice is no draft");
    let n = pages(&text);
    for p in 1..=n {
        assert_has(&text, &[&format!("Seite {p} von {n}")]);
    }
}

#[test]
fn thousands_are_grouped_in_the_customers_format() {
    let dir = tempfile::tempdir().unwrap();
    let big = vec![fee("Projekt Netzwerkumbau, Festpreis", "12345.60")];
    let de = invoice("RE-2026-00050", &customer_de(), big.clone(), TaxNote::None);
    let text = check_and_read(dir.path(), "big-de.pdf", &render(&de, &customer_de()));
    // 12,345.60 * 19 % = 2,345.664 -> 2,345.66; gross 14,691.26
    assert_has(&text, &["12.345,60 EUR", "2.345,66 EUR", "14.691,26 EUR"]);

    let en = invoice(
        "RE-2026-00051",
        &customer_at_en(),
        big,
        TaxNote::ReverseCharge,
    );
    let text = check_and_read(dir.path(), "big-en.pdf", &render(&en, &customer_at_en()));
    assert_has(&text, &["12,345.60 EUR", "0.00 EUR", "VAT 0%"]);
}

#[test]
fn reverse_charge_invoice_is_in_english_with_the_note_and_both_vat_ids() {
    let dir = tempfile::tempdir().unwrap();
    let inv = reverse_charge_invoice();
    let text = check_and_read(dir.path(), "rc.pdf", &render(&inv, &customer_at_en()));
    assert_has(
        &text,
        &[
            "Invoice",
            "Invoice number",
            "RE-2026-00043",
            "Invoice date",
            "31 Oct 2026",
            "Service period",
            "1 Oct 2026 – 31 Oct 2026",
            "Alpenblick Software GmbH",
            "Museumstraße 21",
            "6020 Innsbruck",
            "AUSTRIA",
            "Reverse charge",
            "Supplier's VAT ID: DE287654324",
            "Customer's VAT ID: ATU63358479",
            "2.00 h",
            "Remote support: migration of the build server",
            "Net amount",
            "VAT 0%",
            // 480.00 + 192.00 + 72.00
            "744.00 EUR",
            "Total amount",
            "Payable without deduction by 14 Nov 2026",
            "Page 1 of 1",
        ],
    );
}

#[test]
fn not_taxable_in_germany_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut ch = customer_at_en();
    ch.country = "CH".into();
    ch.vat_id = None;
    let inv = invoice(
        "RE-2026-00045",
        &ch,
        vec![fee("Maintenance contract", "99.00")],
        TaxNote::NotTaxableInDe,
    );
    let text = check_and_read(dir.path(), "ch.pdf", &render(&inv, &ch));
    assert_has(
        &text,
        &["Not taxable in Germany", "SWITZERLAND", "99.00 EUR"],
    );
}

#[test]
fn an_xrechnung_customers_leitweg_id_is_printed() {
    let dir = tempfile::tempdir().unwrap();
    let inv = german_invoice();
    let with = invoice_pdf(
        &inv,
        &company(),
        &customer_de(),
        Some("04011000-12345-03"),
        fonts(),
    );
    let text = check_and_read(dir.path(), "leitweg.pdf", &with);
    assert_has(&text, &["Leitweg-ID", "04011000-12345-03"]);
    let without = check_and_read(dir.path(), "plain.pdf", &render(&inv, &customer_de()));
    assert!(!without.contains("Leitweg-ID"), "{without}");
}

#[test]
fn draft_is_marked_and_shows_the_payment_terms_in_days() {
    let dir = tempfile::tempdir().unwrap();
    let text = check_and_read(
        dir.path(),
        "draft.pdf",
        &render(&draft_invoice(), &customer_de()),
    );
    assert_has(
        &text,
        &[
            "ENTWURF",
            "DRAFT-C2-2026-10",
            "Zahlbar ohne Abzug innerhalb von 14 Tagen nach Rechnungsdatum",
            "Leistungszeitraum",
        ],
    );
    assert!(
        !text.contains("Rechnungsdatum   "),
        "a draft without --date has no issue date"
    );
}

#[test]
fn cancellation_refers_to_the_original_and_negates_it() {
    let dir = tempfile::tempdir().unwrap();
    let original = german_invoice();
    let negate = |l: &Line| Line {
        quantity: -l.quantity,
        amount: -l.amount,
        ..l.clone()
    };
    let mut inv = invoice(
        "ST-2026-00001",
        &customer_de(),
        original.lines.iter().map(negate).collect(),
        TaxNote::None,
    );
    inv.kind = InvoiceKind::Cancellation;
    inv.issue_date = Some(day("2026-11-05"));
    inv.due_date = None;
    inv.refers_to = Some(Reference {
        number: original.number.clone(),
        issue_date: original.issue_date.unwrap(),
    });
    inv.reason = Some("Falscher Stundensatz für Position 3".into());
    let text = check_and_read(dir.path(), "storno.pdf", &render(&inv, &customer_de()));
    assert_has(
        &text,
        &[
            "Stornorechnung",
            "ST-2026-00001",
            "Stornorechnung zu Rechnung RE-2026-00042 vom 31.10.2026",
            "Grund: Falscher Stundensatz für Position 3",
            "-611,70 EUR",
            "-116,22 EUR",
            "-727,92 EUR",
            "Es ist keine Zahlung fällig.",
        ],
    );
}

#[test]
fn odd_text_is_drawn_safely() {
    let dir = tempfile::tempdir().unwrap();
    let mut cu = customer_de();
    cu.name = "Allgemeine Ortskrankenkassen-Verwaltungsgesellschaft für Informationstechnik \
               und Datenverarbeitung mbH & Co. KG"
        .into();
    let lines = vec![
        work(
            "o1",
            "2026-10-02",
            "Tab\there, emoji 😀, CJK 漢字 and a very long \
              Donaudampfschifffahrtsgesellschaftskapitänskajütentürschlüsselanhänger",
            60,
            "96.00",
        ),
        work("o2", "2026-10-03", "", 15, "96.00"),
        work(
            "o3",
            "2026-10-04",
            "Lizenz „Äöü“ à 12,50 € – ß",
            30,
            "96.00",
        ),
    ];
    let inv = invoice("RE-2026-00046", &cu, lines, TaxNote::None);
    let text = check_and_read(dir.path(), "odd.pdf", &render(&inv, &cu));
    // Characters the font lacks become '?', nothing is dropped silently.
    assert_has(
        &text,
        &["emoji ?", "CJK ?? and", "Lizenz „Äöü“ à 12,50 € – ß"],
    );
    // The buyer's full name, however long (§ 14 (4) Nr. 1 UStG).
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_has(
        &flat,
        &["Informationstechnik und Datenverarbeitung mbH & Co. KG"],
    );
}

/// Letters outside the subset every PDF shares (ASCII, German, €,
/// punctuation) but in the font: drawn from a subset of the document's own, in both
/// faces, and read back as text; never a `?`.
#[test]
fn glyphs_beyond_the_shared_subset_are_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let mut cu = customer_de();
    cu.name = "Łódź Żółć Sp. z o.o.".into();
    cu.city = "Łódź".into();
    let lines = vec![work(
        "g1",
        "2026-10-02",
        "Šťastný Dvořák, Søren Ångström, Ωmega Αθήνα, Жуков",
        60,
        "96.00",
    )];
    let inv = invoice("RE-2026-00047", &cu, lines, TaxNote::None);
    let pdf = render(&inv, &cu);
    let text = check_and_read(dir.path(), "beyond.pdf", &pdf);
    assert_has(
        &text,
        &[
            "Łódź Żółć Sp. z o.o.",
            "Šťastný Dvořák, Søren Ångström, Ωmega Αθήνα,",
            "Жуков",
        ],
    );
    assert!(!text.contains('?'), "{text}");
    // The shared subset alone would not have these: the fonts are the
    // document's own, and still much smaller than the whole font.
    assert!(pdf.len() < 120_000, "{} bytes", pdf.len());
}

#[test]
fn long_invoice_continues_over_pages_with_header_and_page_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let inv = long_invoice();
    let text = check_and_read(dir.path(), "long.pdf", &render(&inv, &customer_de()));
    let n = pages(&text);
    assert!(n >= 3, "120 lines give at least 3 pages, got {n}");
    for p in 1..=n {
        assert_has(&text, &[&format!("Seite {p} von {n}")]);
    }
    // The header row is repeated on every page, the footer is on every page.
    assert_eq!(text.matches("Einzelpreis").count(), n, "{text}");
    assert_eq!(text.matches("Steuernummer: 143/218/40571").count(), n);
    // Every line is there, the last one included.
    assert_has(&text, &["120 27.10.2026", "Gesamtbetrag"]);
}

// --- reproducibility (RULES 7) -------------------------------------------------

#[test]
fn same_invoice_gives_the_same_bytes() {
    let inv = german_invoice();
    let a = render(&inv, &customer_de());
    let b = render(&inv, &customer_de());
    assert!(a == b, "two renderings differ");
    let other = render(&reverse_charge_invoice(), &customer_at_en());
    assert!(a != other);
}

#[test]
fn parallel_rendering_gives_the_same_bytes_as_sequential() {
    let work: Vec<(Invoice, Customer)> = (0..50)
        .map(|i| {
            let (mut inv, cu) = match i % 4 {
                0 => (german_invoice(), customer_de()),
                1 => (reverse_charge_invoice(), customer_at_en()),
                2 => (draft_invoice(), customer_de()),
                _ => (long_invoice(), customer_de()),
            };
            if !inv.draft {
                inv.number = format!("RE-2026-{:05}", 100 + i);
            }
            (inv, cu)
        })
        .collect();
    let sequential: Vec<Vec<u8>> = work.iter().map(|(inv, cu)| render(inv, cu)).collect();
    let parallel: Vec<Vec<u8>> = work.par_iter().map(|(inv, cu)| render(inv, cu)).collect();
    let differing = sequential
        .iter()
        .zip(&parallel)
        .filter(|(s, p)| s != p)
        .count();
    assert_eq!(
        differing, 0,
        "{differing} of 50 PDFs differ between sequential and parallel"
    );
    let again: Vec<Vec<u8>> = work.par_iter().map(|(inv, cu)| render(inv, cu)).collect();
    assert!(again == parallel);
}

/// Size and speed, for the 10,000-invoice benchmark to come:
/// `cargo test --release --test pdf -- --nocapture size_and_speed`.
#[test]
fn size_and_speed() {
    let cases = [
        ("de, 10 lines", german_invoice(), customer_de()),
        (
            "en reverse charge",
            reverse_charge_invoice(),
            customer_at_en(),
        ),
        ("120 lines", long_invoice(), customer_de()),
    ];
    let t = std::time::Instant::now();
    let _ = fonts();
    println!("Fonts::load: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    for (name, inv, cu) in &cases {
        let rounds = 20;
        let t = std::time::Instant::now();
        let mut size = 0;
        for _ in 0..rounds {
            size = render(inv, cu).len();
        }
        let ms = t.elapsed().as_secs_f64() * 1e3 / rounds as f64;
        println!("{name}: {size} bytes, {ms:.2} ms per PDF");
        assert!(
            size < 100_000,
            "{name}: {size} bytes: is the whole font embedded again?"
        );
    }
}

/// The deflate level, measured on real streams (docs/BENCHMARKS.md,
/// 2026-12-05 second session): the streams of the PDFs in
/// `FAKTURA_DEFLATE_DIR` (e.g. a run's output folder; the first 60), or of
/// this file's invoices, decompressed and deflated again at each level.
/// `FAKTURA_DEFLATE_DIR=/tmp/out cargo test --release --test pdf -- --ignored --nocapture deflate_levels`
#[test]
#[ignore = "a measurement, not a check: run it by hand"]
fn deflate_levels_on_real_streams() {
    use faktura::render::pdf_file::deflate_at;
    let pdfs: Vec<Vec<u8>> = match std::env::var_os("FAKTURA_DEFLATE_DIR") {
        Some(dir) => {
            let mut names: Vec<_> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
                .collect();
            names.sort();
            names.truncate(60);
            names.iter().map(|p| std::fs::read(p).unwrap()).collect()
        }
        None => vec![
            render(&german_invoice(), &customer_de()),
            render(&long_invoice(), &customer_de()),
            render(&reverse_charge_invoice(), &customer_at_en()),
        ],
    };
    // Per kind: the streams, decompressed.
    let mut kinds: std::collections::BTreeMap<&str, Vec<Vec<u8>>> = Default::default();
    for pdf in &pdfs {
        let doc = lopdf::Document::load_mem(pdf).unwrap();
        for object in doc.objects.values() {
            let lopdf::Object::Stream(s) = object else {
                continue;
            };
            let name = |k: &[u8]| s.dict.get(k).and_then(|o| o.as_name()).ok();
            let kind = if name(b"Type") == Some(b"EmbeddedFile") {
                "embedded XML (per invoice)"
            } else if name(b"Type") == Some(b"Metadata") {
                continue;
            } else if s.dict.has(b"Length1") {
                "font program (once per run)"
            } else if s.dict.has(b"N") {
                "ICC profile (once per run)"
            } else {
                let data = s.decompressed_content().unwrap_or_default();
                if data.windows(9).any(|w| w == b"begincmap") {
                    "ToUnicode (once per run)"
                } else {
                    "page content (per page)"
                }
            };
            let data = s
                .decompressed_content()
                .unwrap_or_else(|_| s.content.clone());
            kinds.entry(kind).or_default().push(data);
        }
    }
    println!("{} PDFs", pdfs.len());
    for (kind, streams) in &kinds {
        let raw: usize = streams.iter().map(Vec::len).sum();
        println!("{kind}: {} streams, {raw} bytes", streams.len());
        for level in [1, 2, 3, 4, 6, 9] {
            let t = std::time::Instant::now();
            let mut size = 0;
            let rounds = 5;
            for _ in 0..rounds {
                size = streams
                    .iter()
                    .map(|s| deflate_at(s, level).len())
                    .sum::<usize>();
            }
            let secs = t.elapsed().as_secs_f64() / rounds as f64;
            println!(
                "  level {level}: {size} bytes ({:.1} %), {:.2} ms, {:.0} MB/s",
                100.0 * size as f64 / raw as f64,
                secs * 1e3,
                raw as f64 / secs / 1e6
            );
        }
    }
}
