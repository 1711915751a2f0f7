//! `MANIFEST.csv`: what a run read and wrote, so that an auditor (and
//! `faktura verify`) can prove the outputs follow from the inputs: the
//! SHA-256 and size of every input file and every output file, the faktura
//! version, the command line, the period, the issue date and how much of the
//! ledger the run saw. Pure: bytes in, bytes out.

use crate::diagnostic::Diagnostic;
use crate::table::Table;
use sha2::{Digest, Sha256};

pub const FILE: &str = "MANIFEST.csv";
pub const COLUMNS: &[&str] = &["role", "path", "size", "sha256", "value"];

pub fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// A digest as the manifest writes it: lower-case hex.
pub fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The facts of a run that are not files.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    pub version: String,
    pub command: String,
    /// `run`, `invoice`, `cancel` or `export`.
    pub kind: String,
    pub period: Option<String>,
    pub project: Option<String>,
    /// For `cancel`: the cancelled invoice and the reason.
    pub invoice: Option<String>,
    pub reason: Option<String>,
    pub issued: bool,
    pub date: Option<String>,
    /// Committed ledger batches the run read (its own batch is the next).
    pub ledger_batches: u64,
    /// For `export`: the format and the range (written only when set).
    pub format: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// One file of the manifest.
#[derive(Clone, Debug, PartialEq)]
pub struct FileRow {
    /// `input`, `rate-card` or `output`.
    pub role: String,
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

pub fn file_row(role: &str, path: &str, bytes: &[u8]) -> FileRow {
    FileRow {
        role: role.into(),
        path: path.into(),
        size: bytes.len() as u64,
        sha256: sha256(bytes),
    }
}

/// The manifest's bytes: facts first, then inputs, then outputs.
pub fn build(facts: &Facts, files: &[FileRow]) -> Vec<u8> {
    let mut w = crate::csvout::writer();
    let mut fact = |k: &str, v: &str| w.write_record([k, "", "", "", v]).expect("write to memory");
    fact("version", &facts.version);
    fact("command", &facts.command);
    fact("kind", &facts.kind);
    fact("period", facts.period.as_deref().unwrap_or(""));
    fact("project", facts.project.as_deref().unwrap_or(""));
    fact("invoice", facts.invoice.as_deref().unwrap_or(""));
    fact("reason", facts.reason.as_deref().unwrap_or(""));
    fact("issued", if facts.issued { "yes" } else { "no" });
    fact("date", facts.date.as_deref().unwrap_or(""));
    fact("ledger-batches", &facts.ledger_batches.to_string());
    for (key, value) in [
        ("format", &facts.format),
        ("from", &facts.from),
        ("to", &facts.to),
    ] {
        if let Some(v) = value {
            fact(key, v);
        }
    }
    for f in files {
        w.write_record([f.role.as_str(), &f.path, &f.size.to_string(), &f.sha256, ""])
            .expect("write to memory");
    }
    let body = w.into_inner().expect("flush to memory");
    let mut out = COLUMNS.join(",").into_bytes();
    out.push(b'\n');
    out.extend(body);
    out
}

/// Reads a manifest back.
pub fn parse(bytes: &[u8]) -> Result<(Facts, Vec<FileRow>), Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let Some(t) = Table::open(FILE, bytes, COLUMNS, &mut diags) else {
        return Err(diags);
    };
    let (rows, d) = t.rows(|r| {
        let role = r.str(0, "a role")?.to_string();
        let path = r.opt_str(1).ok()?.unwrap_or("").to_string();
        let size = r.opt_str(2).ok()?.and_then(|s| s.parse().ok()).unwrap_or(0);
        let sha = r.opt_str(3).ok()?.unwrap_or("").to_string();
        let value = r.opt_str(4).ok()?.unwrap_or("").to_string();
        Some((role, path, size, sha, value))
    });
    diags.extend(d);
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut facts = Facts::default();
    let mut files = Vec::new();
    let opt = |v: String| (!v.is_empty()).then_some(v);
    for (role, path, size, sha256, value) in rows {
        match role.as_str() {
            "version" => facts.version = value,
            "command" => facts.command = value,
            "kind" => facts.kind = value,
            "period" => facts.period = opt(value),
            "project" => facts.project = opt(value),
            "invoice" => facts.invoice = opt(value),
            "reason" => facts.reason = opt(value),
            "issued" => facts.issued = value == "yes",
            "date" => facts.date = opt(value),
            "ledger-batches" => facts.ledger_batches = value.parse().unwrap_or(0),
            "format" => facts.format = opt(value),
            "from" => facts.from = opt(value),
            "to" => facts.to = opt(value),
            _ => files.push(FileRow {
                role,
                path,
                size,
                sha256,
            }),
        }
    }
    Ok((facts, files))
}
