//! Issuing (RULES 6, 8): numbers, the ledger, twice-issuing, two runs at
//! once, and crashes at every step of an issue. Each test works on its own
//! copy of `fixtures/demo` in a temporary folder.

mod common;
use common::demo_copy;
use std::path::Path;
use std::process::{Command, Output};

fn faktura(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_faktura"));
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn issue(data: &Path, out: &Path, period: &str, date: &str, env: &[(&str, &str)]) -> Output {
    faktura(
        &[
            "run",
            "--data",
            data.to_str().unwrap(),
            "--period",
            period,
            "--out",
            out.to_str().unwrap(),
            "--issue",
            "--date",
            date,
        ],
        env,
    )
}

fn ledger(data: &Path) -> String {
    std::fs::read_to_string(data.join("ledger.csv")).unwrap_or_default()
}

/// The ledger's rows as field lists.
fn rows(data: &Path) -> Vec<Vec<String>> {
    let text = ledger(data);
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Invoice numbers in the ledger, in order.
fn numbers(data: &Path) -> Vec<String> {
    rows(data)
        .into_iter()
        .filter(|r| r[0] == "invoice")
        .map(|r| r[2].clone())
        .collect()
}

/// No item (entry part, fee month, travel day, project) twice in the ledger.
fn assert_no_item_twice(data: &Path) {
    let mut seen = std::collections::HashSet::new();
    for r in rows(data)
        .into_iter()
        .filter(|r| r[0] == "line" && !r[20].is_empty())
    {
        assert!(
            seen.insert((r[20].clone(), r[21].clone())),
            "billed twice: {r:?}"
        );
    }
}

fn assert_gapless(data: &Path, year: &str) {
    let n = numbers(data);
    let want: Vec<String> = (1..=n.len()).map(|i| format!("RE-{year}-{i:05}")).collect();
    assert_eq!(n, want);
}

#[test]
fn issuing_twice_issues_nothing_new() {
    let tmp = tempfile::tempdir().unwrap();
    let data = demo_copy(tmp.path(), false);
    let o = issue(&data, &tmp.path().join("a"), "2026-10", "2026-11-02", &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(numbers(&data).len(), 12);
    let before = ledger(&data);
    let o = issue(&data, &tmp.path().join("b"), "2026-10", "2026-11-03", &[]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("nothing new to issue"));
    assert!(!tmp.path().join("b").exists());
    assert_eq!(ledger(&data), before);
}

#[test]
fn numbers_are_gapless_across_periods_and_late_entries_are_billed_next_time() {
    let tmp = tempfile::tempdir().unwrap();
    let data = demo_copy(tmp.path(), false);
    assert!(
        issue(&data, &tmp.path().join("sep"), "2026-09", "2026-10-01", &[])
            .status
            .success()
    );
    let sep = numbers(&data).len();
    assert!(sep > 0);
    assert!(
        issue(&data, &tmp.path().join("oct"), "2026-10", "2026-11-02", &[])
            .status
            .success()
    );
    // A late entry for October, recorded after October was issued.
    let mut log = std::fs::read_to_string(data.join("timelog.csv")).unwrap();
    log.push_str("T-LATE,2026-10-30,16:00,17:00,Anna Weber,K-1008,,remote,ours,fix,EB-2026-003,,Nachgetragener Einsatz\n");
    std::fs::write(data.join("timelog.csv"), log).unwrap();
    let o = issue(&data, &tmp.path().join("nov"), "2026-11", "2026-12-01", &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_gapless(&data, "2026");
    assert_no_item_twice(&data);
    let charges = std::fs::read_to_string(tmp.path().join("nov/charges.csv")).unwrap();
    let late: Vec<&str> = charges
        .lines()
        .filter(|l| l.starts_with("T-LATE,"))
        .collect();
    assert_eq!(late.len(), 1, "{charges}");
    assert!(
        late[0].ends_with(",RE-2026-") || late[0].contains(",RE-2026-"),
        "{}",
        late[0]
    );
    // September's invoices carry September's fees, October's invoices October's.
    assert!(ledger(&data).contains(",fee,WV-"));
}

#[test]
fn a_second_run_at_the_same_time_is_refused_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = demo_copy(tmp.path(), false);
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(data.join(".faktura.lock"))
        .unwrap();
    f.lock().unwrap();
    let o = issue(&data, &tmp.path().join("a"), "2026-10", "2026-11-02", &[]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("another faktura run"));
    assert!(!tmp.path().join("a").exists());
    assert!(!data.join("ledger.csv").exists());
    drop(f);
    assert!(
        issue(&data, &tmp.path().join("a"), "2026-10", "2026-11-02", &[])
            .status
            .success()
    );
}

#[test]
fn a_crash_at_any_step_leaves_old_or_new_state_and_the_next_run_completes() {
    for (step, issued_by_first) in [
        ("pending", false),
        ("staged", false),
        ("ledger", true),
        ("renamed", true),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let data = demo_copy(tmp.path(), false);
        let first = tmp.path().join("first");
        let o = issue(
            &data,
            &first,
            "2026-10",
            "2026-11-02",
            &[("FAKTURA_CRASH_AT", step)],
        );
        assert_eq!(
            o.status.code(),
            Some(99),
            "{step}: the crash hook did not fire"
        );
        // The next run repairs, then issues what is left.
        let second = tmp.path().join("second");
        let o = issue(&data, &second, "2026-10", "2026-11-02", &[]);
        assert!(
            o.status.success(),
            "{step}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(numbers(&data).len(), 12, "{step}");
        assert_gapless(&data, "2026");
        assert_no_item_twice(&data);
        assert!(!data.join("ledger.pending").exists(), "{step}");
        let (with_files, without) = if issued_by_first {
            (&first, &second)
        } else {
            (&second, &first)
        };
        assert!(
            with_files.join("RE-2026-00001.pdf").exists()
                || with_files.join("invoices.csv").exists(),
            "{step}"
        );
        assert!(
            !without.exists(),
            "{step}: {} should not exist",
            without.display()
        );
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("staging"))
            .collect();
        assert!(
            leftovers.is_empty(),
            "{step}: staging left behind: {leftovers:?}"
        );
        let invoices = std::fs::read_to_string(with_files.join("invoices.csv")).unwrap();
        assert_eq!(invoices.lines().count(), 13, "{step}");
    }
}

#[test]
fn a_draft_run_touches_no_ledger() {
    let tmp = tempfile::tempdir().unwrap();
    let data = demo_copy(tmp.path(), false);
    let o = faktura(
        &[
            "run",
            "--data",
            data.to_str().unwrap(),
            "--period",
            "2026-10",
            "--out",
            tmp.path().join("d").to_str().unwrap(),
        ],
        &[],
    );
    assert!(o.status.success());
    let names: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.contains("ledger") || n.contains("lock")),
        "{names:?}"
    );
}

/// The ledger rows an issue writes as it renders each invoice
/// (`render::csv::ledger_rows_of`) are, byte for byte, what
/// `invoice::record` and `ledger::batch_rows` make of it: on every invoice
/// of the demo month (fees, work, travel, a project, reverse charge, quoted
/// descriptions) and on one with a reason that needs quoting, a reference
/// to another invoice and negative amounts, as a cancellation has.
#[test]
fn ledger_rows_streamed_equal_the_batch_rows() {
    use faktura::invoice::{monthly_run, record, Mode, Reference};
    let raw = faktura::load::load(&common::root().join("fixtures/demo")).expect("load the demo");
    let ds = faktura::validate::validate(&raw)
        .dataset
        .expect("the demo data set is valid");
    let parts = faktura::decide::decide(&ds);
    let run = monthly_run(
        &ds,
        &parts,
        faktura::period::Period::parse("2026-10").unwrap(),
        &faktura::ledger::Ledger::default(),
        &Mode {
            issue: true,
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 3),
        },
    );
    let both = |inv: &faktura::invoice::Invoice, its: &[faktura::invoice::Billing]| {
        let mut batch = faktura::ledger::Batch {
            number: 7,
            ..Default::default()
        };
        record(inv, its, &mut batch);
        let mut streamed = Vec::new();
        faktura::render::csv::ledger_rows_of(inv, its, 7, &mut streamed);
        (
            String::from_utf8(faktura::ledger::batch_rows(&batch)).unwrap(),
            String::from_utf8(streamed).unwrap(),
        )
    };
    assert!(run.len() >= 10);
    let mut lines = 0;
    for k in 0..run.len() {
        let (inv, its) = run.invoice(&ds, k);
        lines += inv.lines.len();
        let (expected, streamed) = both(&inv, &its);
        assert_eq!(streamed, expected, "{}", inv.number);
    }
    assert!(lines > 50, "{lines} lines");

    let (mut inv, its) = run.invoice(&ds, 0);
    inv.reason = Some("Fehler, \"falscher\" Satz\nzweite Zeile".into());
    inv.refers_to = Some(Reference {
        number: "RE-2026-00001".into(),
        issue_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
    });
    inv.due_date = None;
    for l in &mut inv.lines {
        l.amount = -l.amount;
        l.quantity = -l.quantity;
        l.description.push_str(", mit Komma");
    }
    (inv.net, inv.vat, inv.gross) = (-inv.net, -inv.vat, -inv.gross);
    let (expected, streamed) = both(&inv, &its);
    assert!(expected.contains("\"Fehler, \"\"falscher\"\" Satz\nzweite Zeile\""));
    assert_eq!(streamed, expected);
}
