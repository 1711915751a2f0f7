//! Golden command-line scenarios over the fixture data sets: the real binary,
//! its exit code, its terminal output and every file it writes, compared with
//! reviewed files under `tests/golden/<scenario>/`. `BLESS=1 cargo test`
//! rewrites them (review the diff before committing).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Scenario {
    name: &'static str,
    args: &'static [&'static str],
    /// Files of the output folder to compare (the folder is `OUT`).
    files: &'static [&'static str],
    exit: i32,
}

const SCENARIOS: &[Scenario] = &[
    // RULES 12: November's statement and cash against three issued
    // invoices; the cash of 2026-11-20 is after the day and left out.
    Scenario {
        name: "payments-november",
        args: &[
            "payments",
            "--data",
            "fixtures/payments",
            "--as-of",
            "2026-11-18",
            "--out",
            "OUT",
        ],
        files: &[
            "index.html",
            "payments.csv",
            "open_items.csv",
            "unmatched.csv",
        ],
        exit: 0,
    },
    Scenario {
        name: "payments-ledger",
        args: &[
            "ledger",
            "--data",
            "fixtures/payments",
            "--as-of",
            "2026-11-18",
        ],
        files: &[],
        exit: 0,
    },
    Scenario {
        name: "demo-projects",
        args: &[
            "projects",
            "--data",
            "fixtures/demo",
            "--date",
            "2026-10-31",
        ],
        files: &[],
        exit: 0,
    },
    Scenario {
        name: "demo-estimate",
        args: &[
            "estimate",
            "--data",
            "fixtures/demo",
            "--plan",
            "fixtures/demo-plan/plan.csv",
            "--out",
            "OUT",
        ],
        files: &["index.html", "estimate.csv", "approvals-proposed.csv"],
        exit: 0,
    },
    Scenario {
        name: "demo-estimate-bad-plan",
        args: &[
            "estimate",
            "--data",
            "fixtures/demo",
            "--plan",
            "fixtures/demo-plan/bad-plan.csv",
            "--out",
            "OUT",
        ],
        files: &[],
        exit: 1,
    },
    Scenario {
        name: "demo-prices",
        args: &[
            "prices",
            "--data",
            "fixtures/demo",
            "--date",
            "2026-12-01",
            "--out",
            "OUT",
        ],
        files: &["prices-2026-12-01.csv"],
        exit: 0,
    },
    Scenario {
        name: "demo-offer-approved-refused",
        args: &[
            "offer",
            "--data",
            "fixtures/demo",
            "--project",
            "P-2026-03",
            "--date",
            "2026-09-20",
            "--out",
            "OUT",
        ],
        files: &[],
        exit: 3,
    },
    Scenario {
        name: "demo-invoice-accepted-project",
        args: &[
            "invoice",
            "--data",
            "fixtures/demo",
            "--project",
            "P-2026-01",
            "--out",
            "OUT",
        ],
        files: &["index.html", "invoices.csv", "invoice_lines.csv"],
        exit: 0,
    },
    Scenario {
        name: "demo-invoice-qa-only-refused",
        args: &[
            "invoice",
            "--data",
            "fixtures/demo",
            "--project",
            "P-2026-02",
            "--out",
            "OUT",
        ],
        files: &[],
        exit: 3,
    },
    Scenario {
        name: "demo-invoice-in-progress-refused",
        args: &[
            "invoice",
            "--data",
            "fixtures/demo",
            "--project",
            "P-2026-03",
            "--out",
            "OUT",
        ],
        files: &[],
        exit: 3,
    },
    Scenario {
        name: "spec-example-run",
        args: &[
            "run",
            "--data",
            "fixtures/spec-example",
            "--period",
            "2026-10",
            "--out",
            "OUT",
        ],
        files: &[
            "charges.csv",
            "held.csv",
            "index.html",
            "invoices.csv",
            "invoice_lines.csv",
        ],
        exit: 0,
    },
    Scenario {
        name: "demo-run",
        args: &[
            "run",
            "--data",
            "fixtures/demo",
            "--period",
            "2026-10",
            "--out",
            "OUT",
        ],
        files: &[
            "charges.csv",
            "held.csv",
            "index.html",
            "invoices.csv",
            "invoice_lines.csv",
        ],
        exit: 0,
    },
    Scenario {
        name: "demo-run-draft-dated",
        args: &[
            "run",
            "--data",
            "fixtures/demo",
            "--period",
            "2026-10",
            "--out",
            "OUT",
            "--date",
            "2026-11-02",
        ],
        files: &["invoices.csv"],
        exit: 0,
    },
    Scenario {
        name: "spec-example-explain-e2",
        args: &["explain", "--data", "fixtures/spec-example", "e2"],
        files: &[],
        exit: 0,
    },
    Scenario {
        name: "demo-explain-budget-split",
        args: &["explain", "--data", "fixtures/demo", "T-000199"],
        files: &[],
        exit: 0,
    },
    Scenario {
        name: "explain-unknown-entry",
        args: &["explain", "--data", "fixtures/spec-example", "nope"],
        files: &[],
        exit: 2,
    },
    Scenario {
        name: "check-demo",
        args: &["check", "--data", "fixtures/demo"],
        files: &[],
        exit: 0,
    },
    Scenario {
        name: "run-bad-period",
        args: &[
            "run",
            "--data",
            "fixtures/demo",
            "--period",
            "2026-13",
            "--out",
            "OUT",
        ],
        files: &[],
        exit: 2,
    },
];

fn compare(name: &str, file: &str, actual: &[u8], failures: &mut Vec<String>) {
    let path = root().join("tests/golden").join(name).join(file);
    if std::env::var_os("BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_default();
    if expected != actual {
        let e = String::from_utf8_lossy(&expected);
        let a = String::from_utf8_lossy(actual);
        let mut diff = String::new();
        for (i, (x, y)) in e.lines().zip(a.lines()).enumerate() {
            if x != y {
                diff = format!(
                    "first difference at line {}:\n  expected: {x}\n  actual:   {y}",
                    i + 1
                );
                break;
            }
        }
        if diff.is_empty() {
            diff = format!(
                "{} lines expected, {} found",
                e.lines().count(),
                a.lines().count()
            );
        }
        failures.push(format!("{name}/{file}: {diff}"));
    }
}

#[test]
fn golden_scenarios() {
    let mut failures = Vec::new();
    for s in SCENARIOS {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let args: Vec<String> = s
            .args
            .iter()
            .map(|a| {
                if *a == "OUT" {
                    out.display().to_string()
                } else {
                    a.to_string()
                }
            })
            .collect();
        let o = Command::new(env!("CARGO_BIN_EXE_faktura"))
            .args(&args)
            .current_dir(root())
            .output()
            .unwrap();
        let redact = |b: &[u8]| {
            String::from_utf8_lossy(b)
                .replace(&out.display().to_string(), "OUT")
                .into_bytes()
        };
        if o.status.code() != Some(s.exit) {
            failures.push(format!(
                "{}: exit {:?}, expected {}\n{}",
                s.name,
                o.status.code(),
                s.exit,
                String::from_utf8_lossy(&o.stderr)
            ));
        }
        compare(s.name, "stdout", &redact(&o.stdout), &mut failures);
        compare(s.name, "stderr", &redact(&o.stderr), &mut failures);
        for f in s.files {
            let bytes = std::fs::read(out.join(f))
                .unwrap_or_else(|_| panic!("{}: {f} not written", s.name));
            compare(s.name, f, &bytes, &mut failures);
        }
    }
    assert!(
        failures.is_empty(),
        "golden mismatches (BLESS=1 rewrites after review):\n{}",
        failures.join("\n")
    );
}

#[test]
fn spec_example_matches_section_9_verbatim() {
    // The rows of RULES 9 exactly as printed there, independent of any golden file.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let st = Command::new(env!("CARGO_BIN_EXE_faktura"))
        .args([
            "run",
            "--data",
            "fixtures/spec-example",
            "--period",
            "2026-10",
            "--out",
        ])
        .arg(&out)
        .current_dir(root())
        .status()
        .unwrap();
    assert!(st.success());
    let got = std::fs::read_to_string(out.join("charges.csv")).unwrap();
    let want = "entry_id,part,date,customer_id,rule,outcome,reason,minutes,billed_minutes,rate_code,price,surcharge_percent,discount_percent,unit_price,amount,approval_id,invoice_no
e1,1,2026-10-06,C2,K5,covered,,90,,,,,,,,,
e2,1,2026-10-07,C2,K5,covered,,30,,,,,,,,,
e2,2,2026-10-07,C2,K7;A1,billable,,30,30,remote,96.00,0,10,86.40,43.20,a7,
e3,1,2026-10-08,C2,K3;A1,billable,,10,15,remote,96.00,25,10,108.00,27.00,a7,
e4,1,2026-10-09,C2,K2,referral,,20,,,,,,,,,
e5,1,2026-10-09,C2,K4;A2,held,no-approval,60,,remote,96.00,0,10,86.40,,,
";
    assert_eq!(got, want);
}

#[test]
fn run_refuses_a_folder_with_files() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("keep.txt"), "earlier run").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_faktura"))
        .args([
            "run",
            "--data",
            "fixtures/spec-example",
            "--period",
            "2026-10",
            "--out",
        ])
        .arg(tmp.path())
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, [std::ffi::OsString::from("keep.txt")]);
    let _ = Path::new("");
}

#[test]
fn spec_example_invoice_totals_and_lines_sum_to_net() {
    let tmp = tempfile::tempdir().unwrap();
    for (data, period) in [
        ("fixtures/spec-example", "2026-10"),
        ("fixtures/demo", "2026-10"),
    ] {
        let out = tmp.path().join(data.replace('/', "_"));
        let st = Command::new(env!("CARGO_BIN_EXE_faktura"))
            .args(["run", "--data", data, "--period", period, "--out"])
            .arg(&out)
            .current_dir(root())
            .status()
            .unwrap();
        assert!(st.success());
        let invoices = std::fs::read_to_string(out.join("invoices.csv")).unwrap();
        let lines = std::fs::read_to_string(out.join("invoice_lines.csv")).unwrap();
        let dec = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
        for inv in invoices.lines().skip(1) {
            let f: Vec<&str> = inv.split(',').collect();
            let sum: rust_decimal::Decimal = lines
                .lines()
                .skip(1)
                .filter(|l| l.starts_with(&format!("{},", f[0])))
                .map(|l| dec(l.rsplit(',').next().unwrap()))
                .sum();
            assert_eq!(
                sum,
                dec(f[8]),
                "{}: lines sum to {sum}, net is {}",
                f[0],
                f[8]
            );
            assert_eq!(
                dec(f[8]) + dec(f[10]),
                dec(f[11]),
                "{}: net + vat != gross",
                f[0]
            );
        }
        if data.ends_with("spec-example") {
            // RULES 9: fee 150.00 + 43.20 + 27.00 = net 220.20, VAT 41.84, gross 262.04.
            assert!(invoices.contains(",220.20,19,41.84,262.04,"), "{invoices}");
        }
    }
}
