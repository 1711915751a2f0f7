//! RULES 11, E1..E5: what the customer approves is exactly what the run
//! bills. The plan `fixtures/demo-plan/plan.csv` has items of every kind
//! (covered, covered up to the quota then overage, referral, third-party
//! fix, tampering, channel not in the contract, no contract, on site with
//! travel, evening, Saturday and holiday surcharges, discounts, reverse
//! charge, a customer outside the EU); it is estimated on a copy of
//! `fixtures/demo`, then logged with the proposed approvals granted, and the
//! month's run must bill exactly the estimated parts and amounts.

mod common;
use common::demo_copy;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn faktura(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_faktura"))
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// CSV rows as field lists (header first), by the csv crate.
fn rows(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    r.records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn plan() -> PathBuf {
    root().join("fixtures/demo-plan/plan.csv")
}

fn estimate(data: &Path, out: &Path) -> Output {
    faktura(&[
        "estimate",
        "--data",
        data.to_str().unwrap(),
        "--plan",
        plan().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

#[test]
fn e1_the_run_bills_exactly_what_was_estimated() {
    let tmp = tempfile::tempdir().unwrap();
    let data = demo_copy(tmp.path(), false);
    let est = tmp.path().join("est");
    ok(&estimate(&data, &est));
    let estimated = rows(&est.join("estimate.csv"));
    let proposed = rows(&est.join("approvals-proposed.csv"));
    assert_eq!(estimated[0].join(","), "entry_id,part,date,customer_id,rule,outcome,reason,minutes,billed_minutes,rate_code,price,surcharge_percent,discount_percent,unit_price,amount,approval_id,invoice_no");
    let rule = |id: &str, part: &str| {
        estimated
            .iter()
            .find(|r| r[0] == id && r[1] == part)
            .map(|r| (r[4].clone(), r[14].clone()))
            .unwrap_or_else(|| panic!("no row {id} {part}"))
    };
    // Every kind the plan is made of, with its amount (E2).
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(rule("PL-01", "1"), s("K5", ""));
    assert_eq!(rule("PL-02", "1"), s("K5", ""));
    assert_eq!(rule("PL-02", "2"), s("K7;A1", "47.50"));
    assert_eq!(rule("PL-03", "1"), s("K7;A1", "47.50"));
    assert_eq!(rule("PL-04", "1"), s("K2", ""));
    assert_eq!(rule("PL-05", "1"), s("K3;A1", "75.60"));
    assert_eq!(rule("PL-06", "1"), s("K4;A1", "119.00"));
    assert_eq!(rule("PL-07", "1"), s("K6;A1", "84.00"));
    assert_eq!(rule("PL-08", "1"), s("K8;A1", "128.00"));
    assert_eq!(rule("PL-08", "2"), s("travel", "65.00"));
    assert_eq!(rule("PL-10", "2"), s("travel", "58.50"));
    assert_eq!(rule("PL-11", "1"), s("K3;A1", "226.80"));
    assert_eq!(rule("PL-12", "1"), s("K8;A1", "95.00"));
    assert!(estimated[1..]
        .iter()
        .all(|r| r[15].is_empty() && r[16].is_empty()));

    // The customer signs: the proposed rows get granted_on and go into
    // approvals.csv; the items are logged naming them.
    let granted: BTreeMap<String, String> = proposed[1..]
        .iter()
        .map(|r| (r[1].clone(), r[0].clone()))
        .collect();
    let mut approvals = std::fs::read_to_string(data.join("approvals.csv")).unwrap();
    for r in &proposed[1..] {
        let mut r = r.clone();
        r[3] = "2026-12-01".into();
        approvals.push_str(&r.join(","));
        approvals.push('\n');
    }
    std::fs::write(data.join("approvals.csv"), approvals).unwrap();
    let mut log = std::fs::read_to_string(data.join("timelog.csv")).unwrap();
    for r in &rows(&plan())[1..] {
        let approval = granted.get(&r[1]).cloned().unwrap_or_default();
        let quoted = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        log.push_str(&format!(
            "{},{},{},{},Felix Wagner,{},{},{},{},{},{},,{}\n",
            r[0],
            r[2],
            r[3],
            r[4],
            r[1],
            r[8],
            r[5],
            r[6],
            r[7],
            approval,
            quoted(&r[9])
        ));
    }
    std::fs::write(data.join("timelog.csv"), log).unwrap();

    let run = tmp.path().join("run");
    ok(&faktura(&[
        "run",
        "--data",
        data.to_str().unwrap(),
        "--period",
        "2026-12",
        "--out",
        run.to_str().unwrap(),
    ]));
    let charged: Vec<Vec<String>> = rows(&run.join("charges.csv"))
        .into_iter()
        .filter(|r| r[0].starts_with("PL-"))
        .collect();
    // Same parts, same decisions, same money, part by part; the run also
    // names the approval the items were logged with.
    assert_eq!(charged.len(), estimated.len() - 1);
    for (e, c) in estimated[1..].iter().zip(&charged) {
        assert_eq!(e[..15], c[..15], "estimate vs run");
        let expect = if e[9].is_empty() {
            ""
        } else {
            granted[&e[3]].as_str()
        };
        assert_eq!(c[15], expect, "approval of {} {}", c[0], c[1]);
    }
    // Nothing of the plan is held.
    assert!(charged.iter().all(|r| r[5] != "held"));
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn plan_errors_are_reported_all_at_once_under_the_plans_own_name() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = faktura(&[
        "estimate",
        "--data",
        root().join("fixtures/demo").to_str().unwrap(),
        "--plan",
        root()
            .join("fixtures/demo-plan/bad-plan.csv")
            .to_str()
            .unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "bad-plan.csv:1: project_id: a plan has no project work (expected no project_id column; a project is offered with `faktura offer --project ID`)
bad-plan.csv:2: customer_id: unknown customer 'K-9999' (expected the id of a row in customers.csv)
bad-plan.csv:3: date: '2026-02-30' is not a day of the calendar (expected a real date YYYY-MM-DD)
bad-plan.csv:4: channel: unknown value 'onsight' (expected one of phone, email, ticket, remote, onsite; did you mean 'onsite'?)
bad-plan.csv:5: end: end equals start 09:00 (expected a duration above zero; an end before the start means past midnight, F1)
bad-plan.csv:6: item: 'T-000001' is already an entry_id of timelog.csv (expected an id that is not in the time log yet: the item becomes that entry)
6 errors, 0 warnings in 1 file; nothing written
"
    );
    assert!(!out.exists(), "nothing written");
}

/// The demo with three projects at the offer step or before it.
fn offer_data(dir: &Path) -> PathBuf {
    let data = demo_copy(dir, false);
    let mut p = std::fs::read_to_string(data.join("projects.csv")).unwrap();
    p.push_str("P-2026-04,K-1011,Backup concept and new NAS for the Munich office,4800.00,2026-11-02,2026-11-20,,\n");
    p.push_str("P-2026-05,K-1006,Neue Zeiterfassung für die Werkstatt,2900.00,2026-11-10,,,\n");
    p.push_str("P-2026-06,K-1003,Digitale Patientenaufnahme mit Tablets,6350.00,2026-11-03,2026-11-24,,2027-02-26\n");
    std::fs::write(data.join("projects.csv"), p).unwrap();
    data
}

fn offer(data: &Path, project: &str, out: &Path) -> Output {
    faktura(&[
        "offer",
        "--data",
        data.to_str().unwrap(),
        "--project",
        project,
        "--date",
        "2026-11-25",
        "--out",
        out.to_str().unwrap(),
    ])
}

#[test]
fn offer_refusals_say_why_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = offer_data(tmp.path());
    let out = tmp.path().join("out");
    let o = offer(&data, "P-2026-03", &out);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(stderr(&o), "faktura: refused: project P-2026-03 is already approved (approved on 2026-09-24); an offer comes before the approval; nothing written\n");
    let o = offer(&data, "P-2026-05", &out);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(stderr(&o), "faktura: refused: project P-2026-05 has no solution yet (solution_on is empty); the solution document with the expected cost comes first; nothing written\n");
    let o = offer(&data, "P-9", &out);
    assert_eq!(o.status.code(), Some(2));
    assert!(!out.exists());
}

/// The PDF's text by the real `pdftotext` (poppler-utils), spaces squeezed.
fn pdf_text(pdf: &Path) -> Option<String> {
    let o = Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output();
    match o {
        Ok(o) if o.status.success() => {
            let t = String::from_utf8_lossy(&o.stdout).into_owned();
            Some(t.split_whitespace().collect::<Vec<_>>().join(" "))
        }
        _ => {
            eprintln!("SKIP: pdftotext (poppler-utils) is not installed");
            None
        }
    }
}

fn has(text: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(text.contains(w), "missing {w:?} in:\n{text}");
    }
}

#[test]
fn offer_pdf_and_csv_in_the_customers_language() {
    let tmp = tempfile::tempdir().unwrap();
    let data = offer_data(tmp.path());
    let de = tmp.path().join("de");
    ok(&offer(&data, "P-2026-06", &de));
    assert_eq!(
        std::fs::read_to_string(de.join("offer-P-2026-06.csv")).unwrap(),
        "project_id,customer_id,title,fee,vat_rate,vat,gross,tax_note,date,valid_until\nP-2026-06,K-1003,Digitale Patientenaufnahme mit Tablets,6350.00,19,1206.50,7556.50,,2026-11-25,2026-12-09\n"
    );
    assert!(de.join("MANIFEST.csv").exists());
    if let Some(t) = pdf_text(&de.join("offer-P-2026-06.pdf")) {
        has(
            &t,
            &[
                "Angebot P-2026-06",
                "Digitale Patientenaufnahme mit Tablets",
                "6.350,00 EUR",
                "USt 19 % 1.206,50 EUR",
                "7.556,50 EUR",
                "Lösungsdokument mit den erwarteten Kosten: 24.11.2026",
                "Ihre Endabnahme",
                "Dieses Angebot gilt bis zum 09.12.2026.",
                "Rückantwort: Freigabe des Angebots",
                "Ort, Datum",
                "Unterschrift",
            ],
        );
    }
    let en = tmp.path().join("en");
    ok(&offer(&data, "P-2026-04", &en));
    if let Some(t) = pdf_text(&en.join("offer-P-2026-04.pdf")) {
        has(
            &t,
            &[
                "Offer P-2026-04",
                "4,800.00 EUR",
                "VAT 0% 0.00 EUR",
                "Not taxable in Germany",
                "your final acceptance",
                "valid until 9 Dec 2026",
                "Reply: approval of the offer",
                "Place, date",
                "Signature",
            ],
        );
    }
}

#[test]
fn notices_read_back_in_both_languages_with_decisions_amounts_and_slip() {
    let tmp = tempfile::tempdir().unwrap();
    let est = tmp.path().join("est");
    ok(&estimate(&root().join("fixtures/demo"), &est));
    let Some(de) = pdf_text(&est.join("estimate-K-1002.pdf")) else {
        return;
    };
    has(&de, &[
        "Kostenhinweis und Freigabe",
        "kostenfrei: im Wartungsvertrag enthalten",
        "kostenpflichtig: das monatliche Stundenkontingent Ihres Wartungsvertrags ist aufgebraucht",
        "30 min, abgerechnet 30 min (je angefangene 15 min, mindestens 15 min)",
        "Nettobetrag 95,00 EUR",
        "USt 19 % 18,05 EUR",
        "Gesamtbetrag 113,05 EUR",
        "Die kostenpflichtigen Arbeiten beginnen erst, wenn Ihre schriftliche Freigabe vorliegt",
        "Dieser Kostenhinweis gilt bis zum 15.12.2026.",
        "FG-2026-024",
        "Rückantwort: Freigabe zusätzlicher Kosten",
        "Freigabe-Nr. EST-20261201-K-1002",
        "Ticket TK-26002",
        "Höchstumfang 1,00 h",
        "Gültig bis 16.12.2026",
        "Ort, Datum",
        "Name in Druckbuchstaben",
        "Unterschrift",
    ]);
    let order = pdf_text(&est.join("estimate-K-1006.pdf")).unwrap();
    has(
        &order,
        &[
            "kostenpflichtig: kein Wartungsvertrag",
            "Anfahrtspauschale Vor-Ort-Einsatz",
            "Einmalige Beauftragung von Support-Dienstleistungen",
            "Auftrags-Nr. EST-20261201-K-1006",
            "Höchstumfang 1,25 h",
            "Gesamtbetrag 257,93 EUR",
        ],
    );
    let surcharges = pdf_text(&est.join("estimate-K-1004.pdf")).unwrap();
    has(
        &surcharges,
        &[
            "kostenpflichtig: Folge eines unautorisierten Eingriffs",
            "112,00 EUR × 1,25 (+25 % Zuschlag) × 0,85 (−15 % Rabatt) = 119,00 EUR/h",
        ],
    );
    let free = pdf_text(&est.join("estimate-K-1005.pdf")).unwrap();
    has(
        &free,
        &[
            "kostenfrei: Verweis an den zuständigen Partner",
            "Alle geplanten Arbeiten sind für Sie kostenfrei",
        ],
    );
    assert!(!free.contains("Rückantwort"), "no slip when all is free");
    let en = pdf_text(&est.join("estimate-K-1011.pdf")).unwrap();
    has(
        &en,
        &[
            "Cost notice and approval request",
            "chargeable: fix or support for a third party's product",
            "Net amount 95.00 EUR",
            "Not taxable in Germany",
            "The chargeable work starts only once we have your written approval",
            "Your approval FG-2026-022 (left: no limit) would already cover: PL-13.",
            "Reply: approval of extra cost",
            "Approval no. EST-20261201-K-1011",
            "Maximum 1.00 h",
            "Place, date",
        ],
    );
}

#[test]
fn price_list_in_both_languages_and_reproducible() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |name: &str| {
        let out = tmp.path().join(name);
        ok(&faktura(&[
            "prices",
            "--data",
            root().join("fixtures/demo").to_str().unwrap(),
            "--date",
            "2026-12-01",
            "--out",
            out.to_str().unwrap(),
        ]));
        out
    };
    let (a, b) = (run("a"), run("b"));
    for f in [
        "prices-2026-12-01.csv",
        "Verrechnungssaetze-2026-12-01.pdf",
        "price-list-2026-12-01.pdf",
    ] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
    let csv = std::fs::read_to_string(a.join("prices-2026-12-01.csv")).unwrap();
    assert!(
        csv.contains(
            "rate,remote,Fernwartung (Remote-Support),hour,112.00,133.28,19,15,15,,,,,2026-10-15\n"
        ),
        "{csv}"
    );
    assert!(csv.contains("rate,travel,Anfahrtspauschale (Vor-Ort-Einsatz),visit,65.00,77.35,19,,,,,,,2026-10-15\n"), "{csv}");
    assert!(csv.contains("surcharge,evening,Abendzuschlag (Mo-Fr 18-22 Uhr),,,,,,,mon;tue;wed;thu;fri,18:00,22:00,25,2025-01-01\n"), "{csv}");
    let Some(de) = pdf_text(&a.join("Verrechnungssaetze-2026-12-01.pdf")) else {
        return;
    };
    has(
        &de,
        &[
            "Verrechnungssätze",
            "Fernwartung (Remote-Support) Stunde 112,00 EUR 133,28 EUR",
            "je angefangene 15 Minuten, mindestens 60 Minuten",
            "Abendzuschlag Mo–Fr 18:00–22:00 Uhr +25 %",
            "Kostenfrei für Sie",
            "Kostenpflichtige Arbeit beginnt erst nach Ihrer vorherigen schriftlichen Freigabe",
        ],
    );
    let en = pdf_text(&a.join("price-list-2026-12-01.pdf")).unwrap();
    has(
        &en,
        &[
            "Price list (hourly rates)",
            "Remote support hour 112.00 EUR 133.28 EUR",
            "billed per started 15 minutes, at least 15 minutes",
            "Call-out fee (on-site work)",
            "Free of charge for you",
            "Chargeable work starts only after your prior written approval",
        ],
    );
}

#[test]
fn estimate_outputs_are_byte_identical_on_a_second_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    ok(&estimate(&root().join("fixtures/demo"), &a));
    ok(&estimate(&root().join("fixtures/demo"), &b));
    let mut names: Vec<_> = std::fs::read_dir(&a)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert!(names.len() >= 12);
    for n in names {
        if n == "MANIFEST.csv" {
            continue; // names its own --out
        }
        assert_eq!(
            std::fs::read(a.join(&n)).unwrap(),
            std::fs::read(b.join(&n)).unwrap(),
            "{n:?}"
        );
    }
    // A folder with files is refused (exit 3), as for `run`.
    assert_eq!(
        estimate(&root().join("fixtures/demo"), &a).status.code(),
        Some(3)
    );
}

#[test]
fn a_notice_dated_after_chargeable_items_warns_and_still_estimates() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = faktura(&[
        "estimate",
        "--data",
        root().join("fixtures/demo").to_str().unwrap(),
        "--plan",
        plan().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--date",
        "2026-12-03",
    ]);
    ok(&o);
    assert_eq!(
        stderr(&o),
        "warning: item PL-02 is dated 2026-12-01, before the notice's date 2026-12-03: an approval granted after the work does not cover it (A2 approved-after-work)
warning: item PL-03 is dated 2026-12-02, before the notice's date 2026-12-03: an approval granted after the work does not cover it (A2 approved-after-work)
"
    );
    // The proposed approvals carry the notice's date in their id.
    let proposed = std::fs::read_to_string(out.join("approvals-proposed.csv")).unwrap();
    assert!(
        proposed.contains("\nEST-20261203-K-1002,K-1002,approval,,2026-12-17,TK-26002,1\n"),
        "{proposed}"
    );
}

#[test]
fn prices_read_nothing_but_company_and_rate_card() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let company = std::fs::read_to_string(root().join("fixtures/demo/company.toml")).unwrap();
    let rates = root().join("rates").display().to_string();
    std::fs::write(
        data.join("company.toml"),
        company.replace("\"../../rates\"", &format!("{rates:?}")),
    )
    .unwrap();
    let out = tmp.path().join("out");
    ok(&faktura(&[
        "prices",
        "--data",
        data.to_str().unwrap(),
        "--date",
        "2026-10-14",
        "--out",
        out.to_str().unwrap(),
    ]));
    let manifest = rows(&out.join("MANIFEST.csv"));
    let files: Vec<(&str, &str)> = manifest
        .iter()
        .filter(|r| !r[1].is_empty() && r[0] != "command")
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(
        files.iter().filter(|f| f.0 == "input").count(),
        1,
        "{files:?}"
    );
    assert_eq!(
        files.iter().filter(|f| f.0 == "rate-card").count(),
        3,
        "{files:?}"
    );
    // The day before the price change: the old remote price.
    let csv = std::fs::read_to_string(out.join("prices-2026-10-14.csv")).unwrap();
    assert!(
        csv.contains(
            "rate,remote,Fernwartung (Remote-Support),hour,105.00,124.95,19,15,15,,,,,2025-01-01\n"
        ),
        "{csv}"
    );
}

#[test]
fn offers_are_byte_identical_on_a_second_run() {
    let tmp = tempfile::tempdir().unwrap();
    let data = offer_data(tmp.path());
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    ok(&offer(&data, "P-2026-06", &a));
    ok(&offer(&data, "P-2026-06", &b));
    for f in ["offer-P-2026-06.pdf", "offer-P-2026-06.csv"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn verify_recomputes_notices_price_lists_and_offers() {
    let tmp = tempfile::tempdir().unwrap();
    let data = offer_data(tmp.path());
    let verify = |out: &Path| {
        faktura(&[
            "verify",
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
    };
    let est = tmp.path().join("est");
    ok(&estimate(&data, &est));
    let prices = tmp.path().join("prices");
    ok(&faktura(&[
        "prices",
        "--data",
        data.to_str().unwrap(),
        "--date",
        "2026-12-01",
        "--out",
        prices.to_str().unwrap(),
    ]));
    let off = tmp.path().join("offer");
    ok(&offer(&data, "P-2026-06", &off));
    for out in [&est, &prices, &off] {
        ok(&verify(out));
    }
    // A changed amount and a changed PDF are named.
    let csv = std::fs::read_to_string(est.join("estimate.csv")).unwrap();
    std::fs::write(
        est.join("estimate.csv"),
        csv.replace(",119.00,119.00,", ",119.00,190.00,"),
    )
    .unwrap();
    let mut pdf = std::fs::read(off.join("offer-P-2026-06.pdf")).unwrap();
    let last = pdf.len() - 10;
    pdf[last] ^= 1;
    std::fs::write(off.join("offer-P-2026-06.pdf"), pdf).unwrap();
    let o = verify(&est);
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("estimate.csv:") && text.contains("amount"),
        "{text}"
    );
    let o = verify(&off);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("offer-P-2026-06.pdf"));
}
