//! The dates a PDF carries (D35): the issue date, or for a draft without
//! `--date` the last day of its service (a monthly draft: the period's last
//! day; a project draft, from `run` or `invoice`: its acceptance date).
//! Never 1970, never the clock.
//! Read back with poppler's `pdfinfo` (the document info and the XMP
//! metadata), as a viewer or a document system would show them.

mod common;

use common::{faktura, root};
use std::path::Path;
use std::process::Command;

/// `CreationDate`, `ModDate` (ISO, from the info dictionary) and every XMP
/// date (`xmp:CreateDate`, `xmp:ModifyDate`, `xmp:MetadataDate`) of a PDF.
fn dates(pdf: &Path) -> Vec<String> {
    let run = |args: &[&str]| {
        let out = Command::new("pdfinfo")
            .args(args)
            .arg(pdf)
            .output()
            .expect("pdfinfo (poppler-utils) is installed: apt-get install -y poppler-utils");
        assert!(out.status.success(), "pdfinfo {}", pdf.display());
        String::from_utf8(out.stdout).unwrap()
    };
    let mut found = Vec::new();
    for line in run(&["-isodates"]).lines() {
        if let Some(v) = line
            .strip_prefix("CreationDate:")
            .or_else(|| line.strip_prefix("ModDate:"))
        {
            found.push(v.trim().to_string());
        }
    }
    for line in run(&["-meta"]).lines() {
        let line = line.trim();
        for tag in ["xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"] {
            if let Some(v) = line
                .strip_prefix(&format!("<{tag}>"))
                .and_then(|v| v.strip_suffix(&format!("</{tag}>")))
            {
                found.push(v.to_string());
            }
        }
    }
    found
}

/// Every PDF of `dir` whose name starts with `prefix` carries `day` in all
/// five places; returns how many there are.
fn assert_dated(dir: &Path, prefix: &str, day: &str) -> usize {
    let mut pdfs: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    pdfs.sort();
    assert!(!pdfs.is_empty(), "no PDF in {}", dir.display());
    for pdf in &pdfs {
        let found = dates(pdf);
        assert_eq!(found.len(), 5, "{}: {found:?}", pdf.display());
        for d in &found {
            assert!(
                d.starts_with(&format!("{day}T00:00:00")),
                "{}: a date {d}, expected {day} (D35): {found:?}",
                pdf.display()
            );
        }
    }
    pdfs.len()
}

fn out_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("faktura-dates-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn run_ok(args: &[&str]) {
    let out = faktura(args);
    assert!(
        out.status.success(),
        "faktura {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn d35_a_monthly_draft_without_date_carries_the_last_day_of_the_period() {
    let out = out_dir("run");
    let data = root().join("fixtures/demo");
    run_ok(&[
        "run",
        "--data",
        data.to_str().unwrap(),
        "--period",
        "2026-10",
        "--out",
        out.to_str().unwrap(),
    ]);
    let n = assert_dated(&out, "DRAFT-K-", "2026-10-31");
    assert!(n >= 10, "the demo month has {n} monthly drafts");
    // The project accepted in the month: its acceptance date, as from
    // `faktura invoice` (the same draft, the same bytes).
    assert_eq!(assert_dated(&out, "DRAFT-P-", "2026-10-21"), 1);
    let adhoc = out_dir("run-adhoc");
    run_ok(&[
        "invoice",
        "--data",
        data.to_str().unwrap(),
        "--project",
        "P-2026-01",
        "--out",
        adhoc.to_str().unwrap(),
    ]);
    let name = "DRAFT-P-2026-01.pdf";
    assert!(
        std::fs::read(out.join(name)).unwrap() == std::fs::read(adhoc.join(name)).unwrap(),
        "{name} differs between run and invoice"
    );
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::remove_dir_all(&adhoc).unwrap();
}

#[test]
fn d35_a_draft_with_date_carries_that_date() {
    let out = out_dir("run-dated");
    let data = root().join("fixtures/demo");
    run_ok(&[
        "run",
        "--data",
        data.to_str().unwrap(),
        "--period",
        "2026-10",
        "--out",
        out.to_str().unwrap(),
        "--date",
        "2026-11-02",
    ]);
    assert!(assert_dated(&out, "", "2026-11-02") >= 11);
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn d35_a_project_draft_without_date_carries_its_acceptance_date() {
    // P-2026-01: QA on 2026-10-09, the customer's acceptance on 2026-10-21.
    let out = out_dir("invoice");
    let data = root().join("fixtures/demo");
    run_ok(&[
        "invoice",
        "--data",
        data.to_str().unwrap(),
        "--project",
        "P-2026-01",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(assert_dated(&out, "", "2026-10-21"), 1);
    std::fs::remove_dir_all(&out).unwrap();
}
