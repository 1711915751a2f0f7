//! `faktura verify` (issue: auditors): passes on fresh runs, and names the
//! exact place of every tampering: an amount in invoice_lines.csv, a byte of
//! a PDF, a rate in the rate card, a deleted ledger row.

mod common;
use common::example_copy;
use std::path::Path;
use std::process::{Command, Output};

fn faktura(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_faktura"))
        .args(args)
        .output()
        .unwrap()
}

fn run(data: &Path, out: &Path, issue: bool) {
    let mut args = vec![
        "run",
        "--data",
        data.to_str().unwrap(),
        "--period",
        "2026-10",
        "--out",
        out.to_str().unwrap(),
    ];
    if issue {
        args.extend(["--issue", "--date", "2026-11-02"]);
    }
    let o = faktura(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn verify(data: &Path, out: &Path) -> (i32, String) {
    let o = faktura(&[
        "verify",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    (
        o.status.code().unwrap(),
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr),
    )
}

#[test]
fn passes_on_a_fresh_draft_and_a_fresh_issued_run() {
    let tmp = tempfile::tempdir().unwrap();
    let data = example_copy(tmp.path());
    run(&data, &tmp.path().join("draft"), false);
    let (code, text) = verify(&data, &tmp.path().join("draft"));
    assert_eq!(code, 0, "{text}");
    run(&data, &tmp.path().join("issued"), true);
    let (code, text) = verify(&data, &tmp.path().join("issued"));
    assert_eq!(code, 0, "{text}");
    // The draft still verifies after the issue: it is recomputed with the ledger it saw.
    let (code, text) = verify(&data, &tmp.path().join("draft"));
    assert_eq!(code, 0, "{text}");
}

#[test]
fn a_changed_amount_in_invoice_lines_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let data = example_copy(tmp.path());
    let out = tmp.path().join("out");
    run(&data, &out, true);
    let path = out.join("invoice_lines.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen(",86.40,43.20", ",86.40,43.21", 1)).unwrap();
    let (code, text) = verify(&data, &out);
    assert_eq!(code, 1);
    assert!(
        text.contains("invoice_lines.csv:3: amount: expected \"43.20\", found \"43.21\""),
        "{text}"
    );
}

#[test]
fn one_changed_byte_of_a_pdf_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let data = example_copy(tmp.path());
    let out = tmp.path().join("out");
    run(&data, &out, true);
    let path = out.join("RE-2026-00001.pdf");
    let mut bytes = std::fs::read(&path).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&path, bytes).unwrap();
    let (code, text) = verify(&data, &out);
    assert_eq!(code, 1);
    assert!(
        text.contains(&format!(
            "RE-2026-00001.pdf: bytes differ from offset {mid}"
        )),
        "{text}"
    );
}

#[test]
fn a_changed_rate_in_the_rate_card_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let data = example_copy(tmp.path());
    let out = tmp.path().join("out");
    run(&data, &out, false);
    let path = data.join("rates/rates.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("hour,96.00,", "hour,97.00,")).unwrap();
    let (code, text) = verify(&data, &out);
    assert_eq!(code, 1);
    assert!(
        text.contains("rates/rates.csv: input changed since the run"),
        "{text}"
    );
    assert!(
        text.contains("charges.csv:4: price: expected \"97.00\", found \"96.00\""),
        "{text}"
    );
}

#[test]
fn a_deleted_ledger_row_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let data = example_copy(tmp.path());
    let out = tmp.path().join("out");
    run(&data, &out, true);
    let path = data.join("ledger.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains(",part,e3#1,"))
        .collect();
    assert_eq!(kept.len() + 1, text.lines().count());
    std::fs::write(&path, kept.join("\n") + "\n").unwrap();
    let (code, text) = verify(&data, &out);
    assert_eq!(code, 1);
    assert!(
        text.contains(
            "ledger.csv:2: net: RE-2026-00001: expected 193.20 (the sum of its lines), found 220.20"
        ),
        "{text}"
    );
}

/// Every kind of inconsistency in the ledger is named at its line, all at
/// once: a line of an invoice the ledger lacks, a cancellation that does
/// not negate its original, an item on two live invoices, a billed entry
/// part that left the time log. Rows after the last commit (a batch cut
/// short) are not checked.
#[test]
fn every_inconsistency_in_the_ledger_is_named_at_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let data = example_copy(tmp.path());
    let out = tmp.path().join("out");
    run(&data, &out, true);
    let d = data.to_str().unwrap();
    let c = tmp.path().join("cancel");
    let o = faktura(&[
        "cancel",
        "--data",
        d,
        "--invoice",
        "RE-2026-00001",
        "--reason",
        "x",
        "--date",
        "2026-11-03",
        "--out",
        c.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The items are free again: the period issued anew as RE-2026-00002.
    run(&data, &tmp.path().join("again"), true);
    let path = data.join("ledger.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut rows: Vec<String> = text.lines().map(str::to_string).collect();
    let at =
        |rows: &[String], needle: &str| rows.iter().position(|r| r.contains(needle)).unwrap() + 1;
    // The cancellation now takes back e3#2 instead of e3#1.
    let cancel_e3 = at(&rows, "line,2,ST-2026-00001,,,,,,,,,,,,,,,,3,");
    rows[cancel_e3 - 1] = rows[cancel_e3 - 1].replace(",e3#1,", ",e3#2,");
    let e3_live = at(&rows, "line,3,RE-2026-00002,,,,,,,,,,,,,,,,3,");
    let first = rows.len() + 1;
    let line = |inv: &str, no: u32, item: &str, amount: &str| {
        format!("line,4,{inv},,,,,,,,,,,,,,,,{no},work,part,{item},K3,15,2026-10-08,x,0.25,h,{amount},{amount},{item}")
    };
    rows.extend([
        "invoice,4,RE-2026-00003,2026-11-04,C2,monthly,,2026-10,2026-10-01,2026-10-31,2026-11-18,19,,,,54.00,10.26,64.26,,,,,,,,,,,,,".to_string(),
        line("RE-2026-00003", 1, "e3#1", "27.00"),
        line("RE-2026-00003", 2, "e9#1", "27.00"),
        line("RE-2099-00009", 1, "e1#1", "5.00"),
        "commit,4,,,,,,,,,,,,,,,,,,,,,,,,,,,,,".to_string(),
        // Cut short by a crash: dropped, not checked.
        "invoice,5,RE-2026-00009,2026-11-05,C2,monthly,,2026-10,2026-10-01,2026-10-31,2026-11-18,19,,,,1.00,0.00,9.00,,,,,,,,,,,,,".to_string(),
        line("RE-2099-00008", 1, "e3#1", "1.00"),
    ]);
    std::fs::write(&path, rows.join("\n") + "\n").unwrap();
    let (code, text) = verify(&data, &out);
    assert_eq!(code, 1, "{text}");
    let problems: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("ledger.csv"))
        .collect();
    assert_eq!(
        problems,
        [
            format!("ledger.csv:{}: invoice_no: line of RE-2099-00009 which is not in the ledger", first + 3),
            "ledger.csv:10: refers_to: cancellation ST-2026-00001 does not negate every line of RE-2026-00001".to_string(),
            format!("ledger.csv:{}: ref: part e3#1 is billed on RE-2026-00003 and on RE-2026-00002 (line {e3_live}) (expected once)", first + 1),
            format!("ledger.csv:{}: ref: e9#1 on RE-2026-00003 is no longer in timelog.csv (expected every billed entry part to stay)", first + 2),
        ],
        "{text}"
    );
}

/// A run made before faktura's own PDF writer (0.2.0: printpdf and lopdf)
/// has the same pages in other bytes: verify compares such a PDF by its
/// text and embedded XML and says so in a note; other text is a difference,
/// and the same bytes under this version's name are one too.
#[test]
fn a_pdf_of_the_older_writer_is_compared_by_content() {
    let tmp = tempfile::tempdir().unwrap();
    let data = example_copy(tmp.path());
    let out = tmp.path().join("out");
    run(&data, &out, true);
    let path = out.join("RE-2026-00001.pdf");
    let set = |version: &str| {
        let b = std::fs::read(&path).unwrap();
        as_if_made_by(&out, version, "RE-2026-00001.pdf", &b);
    };
    // Written again by lopdf: the same objects, other bytes.
    let mut doc = lopdf::Document::load(&path).unwrap();
    doc.save(&path).unwrap();
    set("0.2.0");
    let (code, text) = verify(&data, &out);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("note: RE-2026-00001.pdf: made by faktura 0.2.0; PDF bytes differ"),
        "{text}"
    );
    set(env!("CARGO_PKG_VERSION"));
    let (code, text) = verify(&data, &out);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("RE-2026-00001.pdf: bytes differ"), "{text}");

    // One more word on the first page is a difference, whatever the version.
    let page = *doc.get_pages().values().next().unwrap();
    let content = doc.get_page_content(page);
    let mut more = content.clone();
    more.extend_from_slice(b"\nBT\n/FR 9 Tf\n10 10 Td\n<0021> Tj\nET\n");
    doc.change_page_content(page, more).unwrap();
    doc.save(&path).unwrap();
    set("0.2.0");
    let (code, text) = verify(&data, &out);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("RE-2026-00001.pdf: made by faktura 0.2.0; its text differs"),
        "{text}"
    );
}

/// A run of 0.3.0 names that version as its PDFs' producer and drew its
/// GiroCodes with the best-scoring mask: its PDFs are compared by content,
/// and the note says why the bytes differ.
#[test]
fn a_pdf_of_0_3_0_is_compared_by_content() {
    let tmp = tempfile::tempdir().unwrap();
    let data = example_copy(tmp.path());
    let out = tmp.path().join("out");
    run(&data, &out, true);
    let path = out.join("RE-2026-00001.pdf");
    let this = format!("faktura {}", env!("CARGO_PKG_VERSION"));
    let mut bytes = std::fs::read(&path).unwrap();
    let mut replaced = 0;
    for i in 0..bytes.len().saturating_sub(this.len()) {
        if bytes[i..].starts_with(this.as_bytes()) {
            bytes[i..i + this.len()].copy_from_slice(b"faktura 0.3.0");
            replaced += 1;
        }
    }
    assert!(replaced >= 1, "the PDF names its producer");
    std::fs::write(&path, &bytes).unwrap();
    as_if_made_by(&out, "0.3.0", "RE-2026-00001.pdf", &bytes);
    let (code, text) = verify(&data, &out);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains(
            "note: RE-2026-00001.pdf: made by faktura 0.3.0; PDF bytes differ (GiroCode with a fixed mask since 0.4.0), its text and embedded XML match the recomputation"
        ),
        "{text}"
    );
}

#[test]
fn an_indented_xml_of_a_run_before_0_3_0_is_compared_by_content() {
    let tmp = tempfile::tempdir().unwrap();
    let data = example_copy(tmp.path());
    let out = tmp.path().join("out");
    run(&data, &out, true);
    let name = "RE-2026-00001.xml";
    let path = out.join(name);
    let flat = std::fs::read_to_string(&path).unwrap();
    // The XML as faktura wrote it before 0.3.0: two spaces per level.
    let mut depth = 0usize;
    let mut indented = String::new();
    for line in flat.lines() {
        let closing = line.starts_with("</");
        if closing {
            depth = depth.saturating_sub(1);
        }
        indented.push_str(&"  ".repeat(depth));
        indented.push_str(line);
        indented.push('\n');
        if line.starts_with('<')
            && !line.starts_with("<?")
            && !closing
            && !line.contains("</")
            && !line.ends_with("/>")
        {
            depth += 1;
        }
    }
    assert_ne!(indented, flat);
    let set = |version: &str, bytes: &[u8]| {
        std::fs::write(&path, bytes).unwrap();
        as_if_made_by(&out, version, name, bytes);
    };
    set("0.2.0", indented.as_bytes());
    let (code, text) = verify(&data, &out);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains(&format!(
            "note: {name}: made by faktura 0.2.0; indented XML"
        )),
        "{text}"
    );
    // Indentation is forgiven only for runs of the older writer ...
    set(env!("CARGO_PKG_VERSION"), indented.as_bytes());
    let (code, text) = verify(&data, &out);
    assert_eq!(code, 1, "{text}");
    // ... and never a changed amount.
    let changed = indented.replacen("<ram:GrandTotalAmount>", "<ram:GrandTotalAmount>1", 1);
    assert_ne!(changed, indented);
    set("0.2.0", changed.as_bytes());
    let (code, text) = verify(&data, &out);
    assert_eq!(code, 1, "{text}");
}

/// The run's manifest rewritten as if faktura `version` had made it, with
/// `file` (changed by the test to `bytes`) recorded as it now is.
fn as_if_made_by(out: &std::path::Path, version: &str, file: &str, bytes: &[u8]) {
    let m = std::fs::read_to_string(out.join("MANIFEST.csv")).unwrap();
    let fixed: Vec<String> = m
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            if f[0] == "version" {
                format!("version,,,,{version}")
            } else if f[0] == "output" && f[1] == file {
                format!(
                    "output,{},{},{},",
                    f[1],
                    bytes.len(),
                    faktura::manifest::sha256(bytes)
                )
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(out.join("MANIFEST.csv"), fixed.join("\n") + "\n").unwrap();
}
