//! SPEC 11, E1..E5: what the customer approves is exactly what the run
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
