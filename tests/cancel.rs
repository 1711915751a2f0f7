//! Corrections (RULES 6, F18): a cancellation invoice references the
//! original, negates every line, and releases what the original billed, so
//! the next run bills it afresh from the corrected inputs.

mod common;
use common::{demo_copy, example_copy, faktura};
use std::path::Path;
use std::process::{Command, Output};

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    csv::Reader::from_path(path)
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn numbers(data: &Path, prefix: &str) -> Vec<String> {
    csv_rows(&data.join("ledger.csv"))
        .into_iter()
        .filter(|r| r[0] == "invoice" && r[2].starts_with(prefix))
        .map(|r| r[2].clone())
        .collect()
}

#[test]
fn correct_a_rate_cancel_and_rebill_at_the_corrected_price() {
    let tmp = tempfile::tempdir().unwrap();
    let data = demo_copy(tmp.path(), true);
    let d = data.to_str().unwrap();
    let out = |n: &str| tmp.path().join(n).display().to_string();
    let o = faktura(&[
        "run",
        "--data",
        d,
        "--period",
        "2026-10",
        "--out",
        &out("oct"),
        "--issue",
        "--date",
        "2026-11-02",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    // K-1008's only billable work: T-000206 (phone, 95.00 an hour).
    let invoices = csv_rows(&tmp.path().join("oct/invoices.csv"));
    let k1008 = invoices
        .iter()
        .find(|r| r[2] == "K-1008")
        .expect("K-1008 has an October invoice")[0]
        .clone();

    // The phone rate was wrong: 95.00 should have been 90.00.
    let rates = data.join("rates/rates.csv");
    let card = std::fs::read_to_string(&rates).unwrap();
    std::fs::write(
        &rates,
        card.replace(
            "phone,Telefon-Support,hour,95.00,",
            "phone,Telefon-Support,hour,90.00,",
        ),
    )
    .unwrap();
    let o = faktura(&[
        "run",
        "--data",
        d,
        "--period",
        "2026-10",
        "--out",
        &out("draft"),
    ]);
    assert!(o.status.success());
    let warnings = text(&o);
    assert!(
        warnings.contains(&format!("on issued invoice {k1008}"))
            && warnings.contains(&format!("faktura cancel --invoice {k1008}")),
        "{warnings}"
    );

    let o = faktura(&[
        "cancel",
        "--data",
        d,
        "--invoice",
        &k1008,
        "--reason",
        "Falscher Stundensatz Telefon-Support",
        "--date",
        "2026-11-10",
        "--out",
        &out("storno"),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let storno = csv_rows(&tmp.path().join("storno/invoices.csv"));
    assert_eq!(storno.len(), 1);
    assert_eq!(storno[0][0], "ST-2026-00001");
    assert_eq!(storno[0][1], "cancellation");
    // Original plus cancellation is zero in every amount column, line by line.
    let orig_lines: Vec<Vec<String>> = csv_rows(&tmp.path().join("oct/invoice_lines.csv"))
        .into_iter()
        .filter(|r| r[0] == k1008)
        .collect();
    let st_lines = csv_rows(&tmp.path().join("storno/invoice_lines.csv"));
    assert_eq!(orig_lines.len(), st_lines.len());
    let dec = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
    for (a, b) in orig_lines.iter().zip(&st_lines) {
        assert_eq!(a[3..6], b[3..6], "same entry, part and date");
        assert_eq!(
            dec(&a[7]) + dec(&b[7]),
            rust_decimal::Decimal::ZERO,
            "quantity"
        );
        assert_eq!(
            dec(&a[10]) + dec(&b[10]),
            rust_decimal::Decimal::ZERO,
            "amount"
        );
        assert_eq!(a[9], b[9], "unit price");
    }
    let orig_inv = invoices.iter().find(|r| r[0] == k1008).unwrap();
    for col in [8, 10, 11] {
        assert_eq!(
            dec(&orig_inv[col]) + dec(&storno[0][col]),
            rust_decimal::Decimal::ZERO,
            "invoices.csv column {col}"
        );
    }
    // The PDF names the original.
    let pdf = tmp.path().join("storno/ST-2026-00001.pdf");
    if let Ok(o) = Command::new("pdftotext").arg(&pdf).arg("-").output() {
        let t = String::from_utf8_lossy(&o.stdout);
        assert!(
            t.contains(&format!(
                "Stornorechnung zu Rechnung {k1008} vom 02.11.2026"
            )),
            "{t}"
        );
    }

    // The next run bills the released items afresh, at the corrected price.
    let o = faktura(&[
        "run",
        "--data",
        d,
        "--period",
        "2026-10",
        "--out",
        &out("rebill"),
        "--issue",
        "--date",
        "2026-11-11",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let rebill = csv_rows(&tmp.path().join("rebill/invoices.csv"));
    assert_eq!(rebill.len(), 1, "{rebill:?}");
    assert_eq!(rebill[0][2], "K-1008");
    let lines = csv_rows(&tmp.path().join("rebill/invoice_lines.csv"));
    let work: Vec<&Vec<String>> = lines.iter().filter(|r| r[2] == "work").collect();
    assert!(!work.is_empty());
    assert!(work.iter().all(|r| r[9] == "90.00"), "{work:?}");

    // Numbers unique and gapless in both ranges.
    let re = numbers(&data, "RE-");
    assert_eq!(
        re,
        (1..=re.len())
            .map(|i| format!("RE-2026-{i:05}"))
            .collect::<Vec<_>>()
    );
    assert_eq!(numbers(&data, "ST-"), ["ST-2026-00001"]);
    // And the ledger passes verify for the cancellation and the new run.
    for o in ["storno", "rebill"] {
        let v = faktura(&["verify", "--data", d, "--out", &out(o)]);
        assert!(v.status.success(), "{o}: {}", text(&v));
    }
    let l = faktura(&["ledger", "--data", d]);
    let t = text(&l);
    assert!(
        t.contains(&format!("cancelled by ST-2026-00001"))
            && t.contains(&format!("cancellation of {k1008}")),
        "{t}"
    );
}

#[test]
fn refusals_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = demo_copy(tmp.path(), true);
    let d = data.to_str().unwrap();
    let out = |n: &str| tmp.path().join(n).display().to_string();
    assert!(faktura(&[
        "run",
        "--data",
        d,
        "--period",
        "2026-10",
        "--out",
        &out("oct"),
        "--issue",
        "--date",
        "2026-11-02"
    ])
    .status
    .success());
    assert!(faktura(&[
        "cancel",
        "--data",
        d,
        "--invoice",
        "RE-2026-00003",
        "--reason",
        "Falsche Adresse",
        "--date",
        "2026-11-03",
        "--out",
        &out("st1")
    ])
    .status
    .success());
    let before = std::fs::read(data.join("ledger.csv")).unwrap();
    for (args, expected) in [
        (["RE-2026-00003", "st2"], "faktura: refused: RE-2026-00003 is already cancelled by ST-2026-00001; nothing written\n"),
        (["ST-2026-00001", "st3"], "faktura: refused: ST-2026-00001 is itself a cancellation (of RE-2026-00003); a cancellation cannot be cancelled; nothing written\n"),
        (["RE-2026-09999", "st4"], "faktura: refused: no invoice RE-2026-09999 in the ledger (expected the number of an issued invoice); nothing written\n"),
    ] {
        let o = faktura(&["cancel", "--data", d, "--invoice", args[0], "--reason", "x", "--date", "2026-11-04", "--out", &out(args[1])]);
        assert_eq!(o.status.code(), Some(3), "{}", text(&o));
        assert_eq!(String::from_utf8_lossy(&o.stderr), expected);
        assert!(!tmp.path().join(args[1]).exists());
    }
    assert_eq!(std::fs::read(data.join("ledger.csv")).unwrap(), before);
}

/// F18: an entry with a part on an issued invoice is decided differently
/// afterwards (an earlier entry used up the contract hours, so all of it is
/// over the quota now). The new part is not billed piece by piece (the same
/// minutes could be billed twice); the run names the part, the entry and
/// the invoice to cancel, and says which billed part is no longer billable.
#[test]
fn a_part_of_an_entry_decided_differently_after_its_invoice_is_not_billed() {
    let tmp = tempfile::tempdir().unwrap();
    let data = example_copy(tmp.path());
    let d = data.to_str().unwrap();
    let run = |name: &str, issue: bool| {
        let out = tmp.path().join(name).display().to_string();
        let mut args = vec!["run", "--data", d, "--period", "2026-10", "--out", &out];
        if issue {
            args.extend(["--issue", "--date", "2026-11-02"]);
        }
        let o = faktura(&args);
        assert!(o.status.success(), "{}", text(&o));
        text(&o)
    };
    run("oct", true);
    // e1 now takes the whole 2 contract hours: e2 is all over the quota.
    let log = data.join("timelog.csv");
    let t = std::fs::read_to_string(&log).unwrap();
    std::fs::write(
        &log,
        t.replacen(
            "e1,2026-10-06,10:00,11:30,",
            "e1,2026-10-06,10:00,12:00,",
            1,
        ),
    )
    .unwrap();
    let said = run("again", false);
    assert!(
        said.contains("F18: e2#1 was not billed: other parts of entry e2 are on an issued invoice and the entry was decided differently since; correct it with faktura cancel --invoice RE-2026-00001 and run again"),
        "{said}"
    );
    assert!(
        said.contains(
            "F18: e2#2 is on issued invoice RE-2026-00001 (K7;A1 43.20) but is no longer billable"
        ),
        "{said}"
    );
    let lines = csv_rows(&tmp.path().join("again/invoice_lines.csv"));
    assert!(
        lines.iter().all(|r| !r.iter().any(|f| f == "e2#1")),
        "{lines:?}"
    );
}
