//! `faktura check` over every data set in `fixtures/invalid/` and
//! `fixtures/valid/`: the real binary, run from the repository root with the
//! relative path, must print exactly the reviewed `expected.stderr` and exit
//! with `expected.exit` (RULES 3, 8). `BLESS=1 cargo test --test cli_check`
//! rewrites both files; review the diff line by line before committing.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn faktura(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_faktura"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the faktura binary runs")
}

/// The case folders of `fixtures/<kind>/`, by name, as relative paths.
fn cases(kind: &str) -> Vec<String> {
    let dir = root().join("fixtures").join(kind);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("a folder entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| format!("fixtures/{kind}/{}", e.file_name().to_string_lossy()))
        .collect();
    names.sort();
    names
}

/// Expected and actual lines side by side, `-` expected, `+` actual, for
/// the lines that differ (a plain line-by-line diff: the files are short).
fn diff(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let mut out = String::new();
    for i in 0..e.len().max(a.len()) {
        match (e.get(i), a.get(i)) {
            (Some(x), Some(y)) if x == y => out.push_str(&format!("    {x}\n")),
            (x, y) => {
                if let Some(x) = x {
                    out.push_str(&format!("  - {x}\n"));
                }
                if let Some(y) = y {
                    out.push_str(&format!("  + {y}\n"));
                }
            }
        }
    }
    out
}

fn check_case(case: &str, failures: &mut Vec<String>) {
    let dir = root().join(case);
    let out = faktura(&["check", "--data", case]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out.status.code().expect("exited, not killed");
    let (stderr_file, exit_file) = (dir.join("expected.stderr"), dir.join("expected.exit"));
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&stderr_file, &stderr).unwrap();
        std::fs::write(&exit_file, format!("{code}\n")).unwrap();
        return;
    }
    let read =
        |p: &Path| std::fs::read_to_string(p).unwrap_or_else(|_| format!("(no {})", p.display()));
    let expected_stderr = read(&stderr_file);
    let expected_exit = read(&exit_file);
    let mut problems = Vec::new();
    if expected_exit.trim() != code.to_string() {
        problems.push(format!(
            "exit code {code}, expected {}",
            expected_exit.trim()
        ));
    }
    if expected_stderr != stderr {
        problems.push(format!(
            "stderr differs (- expected, + actual):\n{}",
            diff(&expected_stderr, &stderr)
        ));
    }
    if !out.stdout.is_empty() {
        problems.push(format!(
            "check printed to stdout: {}",
            String::from_utf8_lossy(&out.stdout)
        ));
    }
    if !problems.is_empty() {
        failures.push(format!("{case}: {}", problems.join("\n")));
    }
}

#[test]
fn every_fixture_data_set_gives_exactly_its_stored_messages() {
    let invalid = cases("invalid");
    let valid = cases("valid");
    assert!(
        invalid.len() >= 24,
        "fixtures/invalid/ has {} cases",
        invalid.len()
    );
    assert!(
        valid.len() >= 4,
        "fixtures/valid/ has {} cases",
        valid.len()
    );
    let mut failures = Vec::new();
    for case in invalid.iter().chain(&valid) {
        check_case(case, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed (BLESS=1 rewrites the expected files):\n\n{}",
        failures.len(),
        invalid.len() + valid.len(),
        failures.join("\n\n")
    );
}

/// What the stored expectations promise, beyond matching the binary: an
/// invalid case fails with errors, the valid ones are clean, and every
/// message names its file relative to the data folder, never an absolute
/// path.
#[test]
fn the_stored_expectations_say_what_the_case_names_promise() {
    if std::env::var_os("BLESS").is_some() {
        // The files are being rewritten by the other test right now.
        return;
    }
    let mut failures = Vec::new();
    for case in cases("invalid").iter().chain(&cases("valid")) {
        let dir = root().join(case);
        let stderr = std::fs::read_to_string(dir.join("expected.stderr")).unwrap_or_default();
        let exit = std::fs::read_to_string(dir.join("expected.exit")).unwrap_or_default();
        let summary = stderr.lines().last().unwrap_or("");
        let warnings_only = case.ends_with("-warning");
        let want_exit = if case.starts_with("fixtures/valid/") || warnings_only {
            "0"
        } else {
            "1"
        };
        if exit.trim() != want_exit {
            failures.push(format!(
                "{case}: expected.exit is {exit:?}, the case needs {want_exit}"
            ));
        }
        if case.starts_with("fixtures/invalid/")
            && !warnings_only
            && summary.starts_with("0 errors")
        {
            failures.push(format!("{case}: no error in expected.stderr"));
        }
        if warnings_only && !(summary.starts_with("0 errors") && stderr.contains(": warning: ")) {
            failures.push(format!("{case}: expected only warnings, found: {summary}"));
        }
        if case.starts_with("fixtures/valid/") && !summary.starts_with("0 errors, 0 warnings") {
            failures.push(format!(
                "{case}: a valid case must be clean, found: {summary}"
            ));
        }
        if stderr.contains(root().to_string_lossy().as_ref()) {
            failures.push(format!("{case}: a message holds an absolute path"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_run_over_invalid_data_exits_1_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("out");
    let out = faktura(&[
        "run",
        "--data",
        "fixtures/invalid/bad-date",
        "--period",
        "2026-10",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(
        stderr.contains("timelog.csv:4: date: '08.10.2026' is not a date"),
        "stderr:\n{stderr}"
    );
    assert!(!out_dir.exists(), "{} was created", out_dir.display());
    // Nor anything beside it (no staging folder left behind).
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "left in the temp folder: {left:?}");
}

/// A number pattern that cannot be a file name is refused by every command
/// that validates, `run` and `invoice` as `check` (RULES 3, 6): it used to
/// write `_.._RE-2026-00013.pdf`.
#[test]
fn a_number_format_that_is_no_file_name_is_refused_by_run_and_invoice() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("out");
    let data = "fixtures/invalid/invoice-number-format-parent-dir";
    for args in [
        vec!["run", "--data", data, "--period", "2026-10"],
        vec!["invoice", "--data", data, "--project", "P-1"],
    ] {
        let mut args = args;
        // Drafts: an issuing command would take the data folder's lock.
        args.extend(["--out", out_dir.to_str().unwrap(), "--date", "2026-11-02"]);
        let out = faktura(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: stderr:\n{stderr}");
        assert!(
            stderr.starts_with(
                "company.toml:18: invoice_number_format: '../RE-{year}-{seq:05}' has '..'"
            ),
            "{args:?}: stderr:\n{stderr}"
        );
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert!(
            left.is_empty(),
            "{args:?}: left in the temp folder: {left:?}"
        );
    }
    // Nor the data folder's ledger.
    for f in ["ledger.csv", "ledger.pending"] {
        assert!(!root().join(data).join(f).exists(), "{f} was written");
    }
}
