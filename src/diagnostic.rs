//! Problems found in the data: values, collected and never raised, so one run
//! reports them all (RULES 3). Each names its file, line and column.

use std::fmt;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file as the user knows it: `timelog.csv`, or `rates/rates.csv` for
    /// the rate card (its folder name and the file).
    pub file: String,
    /// 1-based; the header is line 1. `0`: the problem has no line (a key
    /// missing from `company.toml`), and none is printed.
    pub line: u64,
    /// The column (or key) the problem is in; `row` for a whole row.
    pub column: String,
    /// What is wrong, then in parentheses what was expected.
    pub message: String,
}

impl Diagnostic {
    pub fn error(file: &str, line: u64, column: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            line,
            column: column.to_string(),
            message: message.into(),
        }
    }
    /// An error of the file as a whole, with no line to point at: printed
    /// `file: column: message`.
    pub fn whole_file(file: &str, column: &str, message: impl Into<String>) -> Self {
        Diagnostic::error(file, 0, column, message)
    }
    pub fn warning(file: &str, line: u64, column: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, line, column, message)
        }
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tag = match self.severity {
            Severity::Error => "",
            Severity::Warning => "warning: ",
        };
        if self.line == 0 {
            return write!(f, "{}: {}: {}{}", self.file, self.column, tag, self.message);
        }
        write!(
            f,
            "{}:{}: {}: {}{}",
            self.file, self.line, self.column, tag, self.message
        )
    }
}

/// Sorted by file and line, then column and text, so output is stable.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, &a.column, &a.message, a.severity)
            .cmp(&(&b.file, b.line, &b.column, &b.message, b.severity))
    });
}

/// `3 errors, 1 warning in 2 files`.
pub fn summary(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let mut files: Vec<&str> = diags.iter().map(|d| d.file.as_str()).collect();
    files.sort_unstable();
    files.dedup();
    format!(
        "{} {}, {} {} in {} {}",
        errors,
        plural(errors, "error", "errors"),
        warnings,
        plural(warnings, "warning", "warnings"),
        files.len(),
        plural(files.len(), "file", "files")
    )
}

pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}
