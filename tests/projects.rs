//! Projects (P6, RULES 5, 6, F17): the ad-hoc invoice and the monthly run share
//! one code path, so a project is invoiced exactly once whichever comes first.

mod common;
use common::{demo_copy, faktura};
use std::path::Path;

fn project_invoices(data: &Path) -> Vec<String> {
    let ledger = std::fs::read_to_string(data.join("ledger.csv")).unwrap();
    ledger
        .lines()
        .filter(|l| l.starts_with("line,") && l.contains(",project,P-2026-01,"))
        .map(str::to_string)
        .collect()
}

#[test]
fn ad_hoc_first_then_the_month_invoices_the_project_once() {
    let tmp = tempfile::tempdir().unwrap();
    let data = demo_copy(tmp.path(), false);
    let d = data.to_str().unwrap();
    let adhoc = tmp.path().join("adhoc");
    let o = faktura(&[
        "invoice",
        "--data",
        d,
        "--project",
        "P-2026-01",
        "--out",
        adhoc.to_str().unwrap(),
        "--issue",
        "--date",
        "2026-10-22",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(adhoc.join("RE-2026-00001.pdf").exists());
    let month = tmp.path().join("month");
    let o = faktura(&[
        "run",
        "--data",
        d,
        "--period",
        "2026-10",
        "--out",
        month.to_str().unwrap(),
        "--issue",
        "--date",
        "2026-11-02",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(project_invoices(&data).len(), 1);
    let invoices = std::fs::read_to_string(month.join("invoices.csv")).unwrap();
    assert!(
        !invoices.contains("P-2026-01"),
        "the month invoiced the project again:\n{invoices}"
    );
    // Asking again names the invoice.
    let again = tmp.path().join("again");
    let o = faktura(&[
        "invoice",
        "--data",
        d,
        "--project",
        "P-2026-01",
        "--out",
        again.to_str().unwrap(),
        "--issue",
        "--date",
        "2026-11-03",
    ]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("already invoiced on RE-2026-00001 (issued 2026-10-22)"),
        "{err}"
    );
    assert!(!again.exists());
}

#[test]
fn the_month_first_then_ad_hoc_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let data = demo_copy(tmp.path(), false);
    let d = data.to_str().unwrap();
    let month = tmp.path().join("month");
    let o = faktura(&[
        "run",
        "--data",
        d,
        "--period",
        "2026-10",
        "--out",
        month.to_str().unwrap(),
        "--issue",
        "--date",
        "2026-11-02",
    ]);
    assert!(o.status.success());
    let invoices = std::fs::read_to_string(month.join("invoices.csv")).unwrap();
    let line = invoices
        .lines()
        .find(|l| l.contains(",P-2026-01,"))
        .expect("the month invoices the accepted project");
    let number = line.split(',').next().unwrap();
    let adhoc = tmp.path().join("adhoc");
    let o = faktura(&[
        "invoice",
        "--data",
        d,
        "--project",
        "P-2026-01",
        "--out",
        adhoc.to_str().unwrap(),
        "--issue",
        "--date",
        "2026-11-03",
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains(&format!("already invoiced on {number}")));
    assert_eq!(project_invoices(&data).len(), 1);
    assert!(!adhoc.exists());
    // The projects table shows it as invoiced.
    let o = faktura(&["projects", "--data", d, "--date", "2026-11-03"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("invoiced {number}")));
}

#[test]
fn acceptance_warnings_keep_the_data_valid() {
    let tmp = tempfile::tempdir().unwrap();
    let data = demo_copy(tmp.path(), false);
    let mut acc = std::fs::read_to_string(data.join("acceptances.csv")).unwrap();
    // A customer acceptance before QA and a second QA for P-2026-02.
    acc.push_str("P-2026-02,customer,2026-10-20,Kunde\nP-2026-02,qa,2026-10-30,Zweite QA\n");
    std::fs::write(data.join("acceptances.csv"), acc).unwrap();
    let d = data.to_str().unwrap();
    let o = faktura(&["check", "--data", d]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("acceptances.csv:5: date: warning: customer acceptance of project P-2026-02 on 2026-10-20 before its QA acceptance on 2026-10-29"), "{err}");
    assert!(
        err.contains(
            "acceptances.csv:6: stage: warning: second 'qa' acceptance of project P-2026-02"
        ),
        "{err}"
    );
    // Still not invoiceable: the customer acceptance predates QA (F17).
    let o = faktura(&[
        "invoice",
        "--data",
        d,
        "--project",
        "P-2026-02",
        "--out",
        tmp.path().join("x").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("predates QA"));
}
