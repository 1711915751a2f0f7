//! Bank statements in ISO 20022 camt.053 (RULES 12), versions `.001.02` to
//! `.001.08` (any `camt.053.001.NN`): the booked credits of a statement
//! file as payments, and the returns (a debit with `RvslInd` true or with
//! `RtrInf` in its transaction details) as negative payments; every other
//! debit is ignored. A batch entry with several `TxDtls` is one payment per
//! transaction. Elements are matched by local name, so a prefixed or
//! misspelt namespace of the same shape reads too. Pure: bytes in, values
//! and diagnostics (with line numbers) out.

use crate::diagnostic::Diagnostic;
use chrono::NaiveDate;
use roxmltree::{Document, Node};
use rust_decimal::Decimal;
use std::collections::HashSet;
use std::str::FromStr;

/// One payment read from a statement: a booked credit entry, one
/// transaction of a batch entry, or a return (negative amount).
#[derive(Clone, Debug, PartialEq)]
pub struct BankPayment {
    /// `<file>:<entry>` or `<file>:<entry>.<transaction>`, `file` without
    /// the folder, entries counted from 1 over the whole file.
    pub id: String,
    /// The file as messages name it (`payments/2026-11.xml`).
    pub source: String,
    /// Position in the file (entries and transactions in order), for the
    /// matching order.
    pub position: usize,
    /// Line of the `Ntry` element.
    pub line: u64,
    /// The own account (IBAN or other id) of the statement.
    pub account: String,
    /// `AcctSvcrRef` of the entry (may be `NONREF` or empty).
    pub bank_ref: String,
    pub booking_date: NaiveDate,
    /// Credit positive, a return negative.
    pub amount: Decimal,
    pub currency: String,
    pub payer: String,
    /// Every `Ustrd`, in order.
    pub unstructured: Vec<String>,
    /// Every `Strd/CdtrRefInf/Ref`.
    pub structured: Vec<String>,
    pub end_to_end: String,
    /// The return reason code (`RtrInf/Rsn/Cd`) of a returned payment.
    pub return_reason: Option<String>,
}

impl BankPayment {
    /// The remittance as shown in outputs: the structured references, then
    /// the `Ustrd` pieces joined by a space.
    pub fn remittance(&self) -> String {
        let mut parts: Vec<&str> = self.structured.iter().map(String::as_str).collect();
        let text = self.unstructured.join(" ");
        if !text.is_empty() {
            parts.push(&text);
        }
        parts.join(" ")
    }
}

/// What identifies the same bank entry in two files (RULES 12): account,
/// booking date, direction, amount, `AcctSvcrRef`, end-to-end ids and
/// remittance of the entry and its transactions.
type EntryKey = String;

/// Reads every statement file, in the given order (the shell sorts them by
/// name): the payments in file order, an entry already read from an earlier
/// file counted once, and every problem of every file.
pub fn read_all(files: &[(String, Vec<u8>)]) -> (Vec<BankPayment>, Vec<Diagnostic>) {
    let mut seen: HashSet<EntryKey> = HashSet::new();
    let mut payments = Vec::new();
    let mut diags = Vec::new();
    for (name, bytes) in files {
        let (entries, d) = read_file(name, bytes);
        diags.extend(d);
        let mut here = HashSet::new();
        for (key, ps) in entries {
            // Within one file every entry counts; across files once.
            if seen.contains(&key) {
                continue;
            }
            here.insert(key);
            payments.extend(ps);
        }
        seen.extend(here);
    }
    (payments, diags)
}

/// Reads one statement file: per entry its key and its payments (none for
/// an ignored entry).
pub fn read_file(name: &str, bytes: &[u8]) -> (Vec<(EntryKey, Vec<BankPayment>)>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let err = |line: u64, col: &str, msg: String| Diagnostic::error(name, line, col, msg);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            diags.push(err(
                line as u64,
                "xml",
                "not UTF-8 text (expected a camt.053 XML file)".into(),
            ));
            return (Vec::new(), diags);
        }
    };
    let doc = match Document::parse(text) {
        Ok(d) => d,
        Err(e) => {
            // A file cut short is reported at its end, where it breaks off.
            let row = match e {
                roxmltree::Error::UnclosedRootNode => 1 + text.lines().count().saturating_sub(1),
                roxmltree::Error::DtdDetected => {
                    1 + text
                        .lines()
                        .take_while(|l| !l.contains("<!DOCTYPE"))
                        .count()
                }
                _ => e.pos().row as usize,
            };
            diags.push(err(
                row as u64,
                "xml",
                format!("not well-formed XML: {e} (expected a camt.053 statement)"),
            ));
            return (Vec::new(), diags);
        }
    };
    let line_of = |n: Node| u64::from(doc.text_pos_at(n.range().start).row);
    let root = doc.root_element();
    let ns = root.tag_name().namespace().unwrap_or("");
    let stmt_root = child(root, "BkToCstmrStmt");
    if root.tag_name().name() != "Document" || !ns.contains("camt.053.001.") || stmt_root.is_none()
    {
        diags.push(err(
            line_of(root),
            "Document",
            format!(
                "<{}> in namespace '{ns}' is not a camt.053 bank statement (expected \
                 Document/BkToCstmrStmt in urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN)",
                root.tag_name().name()
            ),
        ));
        return (Vec::new(), diags);
    }
    let short = name.rsplit('/').next().unwrap_or(name);
    let mut out = Vec::new();
    let mut entry_no = 0usize;
    let mut position = 0usize;
    for stmt in children(stmt_root.unwrap_or(root), "Stmt") {
        let account = path(stmt, &["Acct", "Id", "IBAN"])
            .or_else(|| path(stmt, &["Acct", "Id", "Othr", "Id"]))
            .map(text_of)
            .unwrap_or_default();
        for ntry in children(stmt, "Ntry") {
            entry_no += 1;
            let at = Entry {
                file: name,
                short,
                no: entry_no,
                line: line_of(ntry),
                account,
            };
            match read_entry(&at, ntry, &mut position, &line_of) {
                Ok(Some(e)) => out.push(e),
                Ok(None) => {}
                Err(problems) => diags.extend(problems),
            }
        }
    }
    (out, diags)
}

/// Where an entry is: its file, number in the file, line and account.
struct Entry<'a> {
    file: &'a str,
    /// The file name without its folder, for payment ids.
    short: &'a str,
    no: usize,
    line: u64,
    account: &'a str,
}

impl Entry<'_> {
    fn error(&self, col: &str, msg: String) -> Diagnostic {
        Diagnostic::error(self.file, self.line, col, msg)
    }
}

/// One `Ntry`: its key and payments (none when it is not booked or a debit
/// that is no return), or its problems. `position` counts the payments of
/// the file.
fn read_entry(
    at: &Entry,
    ntry: Node,
    position: &mut usize,
    line_of: &dyn Fn(Node) -> u64,
) -> Result<Option<(EntryKey, Vec<BankPayment>)>, Vec<Diagnostic>> {
    let no = at.no;
    let mut problems = Vec::new();
    let amt = child(ntry, "Amt");
    let amount = match amt.map(|a| (a, Decimal::from_str(text_of(a).trim()))) {
        None => {
            problems.push(at.error(
                "Amt",
                format!("entry {no} has no amount (expected <Amt Ccy=\"EUR\">123.45</Amt>)"),
            ));
            None
        }
        Some((_, Ok(d))) if d >= Decimal::ZERO => Some(d),
        Some((a, _)) => {
            problems.push(Diagnostic::error(
                at.file,
                line_of(a),
                "Amt",
                format!(
                    "'{}' is not an amount (expected an unsigned decimal such as 123.45)",
                    text_of(a)
                ),
            ));
            None
        }
    };
    let currency = amt
        .and_then(|a| a.attribute("Ccy"))
        .unwrap_or("")
        .to_string();
    if amt.is_some() && currency.is_empty() {
        problems.push(at.error(
            "Amt",
            "amount without currency (expected the attribute Ccy)".into(),
        ));
    }
    let direction = child(ntry, "CdtDbtInd").map(text_of).unwrap_or("").trim();
    if direction != "CRDT" && direction != "DBIT" {
        problems.push(at.error(
            "CdtDbtInd",
            format!("'{direction}' is not a direction (expected CRDT or DBIT)"),
        ));
    }
    // `.02`-`.06`: `Sts` holds the code; from `.07` on `Sts/Cd` (or `Prtry`).
    let status = child(ntry, "Sts")
        .map(|s| {
            child(s, "Cd")
                .or_else(|| child(s, "Prtry"))
                .map_or(text_of(s), text_of)
        })
        .unwrap_or("");
    let booked = status.trim() == "BOOK";
    let date = child(ntry, "BookgDt")
        .and_then(|b| child(b, "Dt").or_else(|| child(b, "DtTm")))
        .and_then(|d| NaiveDate::parse_from_str(text_of(d).trim().get(..10)?, "%Y-%m-%d").ok());
    if booked && date.is_none() {
        problems.push(at.error(
            "BookgDt",
            "booked entry without a booking date (expected BookgDt/Dt YYYY-MM-DD)".into(),
        ));
    }
    let reversal =
        child(ntry, "RvslInd").is_some_and(|r| matches!(text_of(r).trim(), "true" | "1"));
    let txs: Vec<Node> = children(ntry, "NtryDtls")
        .flat_map(|d| children(d, "TxDtls"))
        .collect();
    let returned = txs.iter().any(|t| child(*t, "RtrInf").is_some());
    // A credit is a payment, a return a negative one; other debits are
    // the company's own spending.
    let counts = booked && (direction == "CRDT" || reversal || returned);
    // Transaction amounts: own `Amt` (.04 on), else `AmtDtls/TxAmt`.
    let tx_amounts: Vec<Option<Decimal>> = txs
        .iter()
        .map(|t| {
            child(*t, "Amt")
                .or_else(|| path(*t, &["AmtDtls", "TxAmt", "Amt"]))
                .and_then(|a| Decimal::from_str(text_of(a).trim()).ok())
        })
        .collect();
    if counts && txs.len() > 1 {
        for (k, (t, a)) in txs.iter().zip(&tx_amounts).enumerate() {
            if a.is_none() {
                problems.push(Diagnostic::error(at.file, line_of(*t), "TxDtls", format!("transaction {} of batch entry {no} has no amount (expected TxDtls/Amt or TxDtls/AmtDtls/TxAmt/Amt)", k + 1)));
            }
        }
        if let (Some(total), true) = (amount, tx_amounts.iter().all(Option::is_some)) {
            let sum: Decimal = tx_amounts.iter().flatten().sum();
            if sum != total {
                problems.push(at.error("TxDtls", format!("the transactions of batch entry {no} sum to {sum}, the entry's amount is {total} (expected the sum to equal Amt)")));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let (Some(total), Some(date)) = (amount, date) else {
        // Not booked (no date needed) or nothing to read.
        return Ok(None);
    };
    let sign = if direction == "CRDT" {
        Decimal::ONE
    } else {
        -Decimal::ONE
    };
    let bank_ref = child(ntry, "AcctSvcrRef")
        .map(text_of)
        .unwrap_or("")
        .trim()
        .to_string();
    let base = BankPayment {
        id: String::new(),
        source: at.file.to_string(),
        position: 0,
        line: at.line,
        account: at.account.to_string(),
        bank_ref,
        booking_date: date,
        amount: Decimal::ZERO,
        currency,
        payer: String::new(),
        unstructured: Vec::new(),
        structured: Vec::new(),
        end_to_end: String::new(),
        return_reason: None,
    };
    let mut payments = Vec::new();
    if txs.len() > 1 {
        for (k, (t, a)) in txs.iter().zip(&tx_amounts).enumerate() {
            let id = format!("{}:{no}.{}", at.short, k + 1);
            payments.push(transaction(
                &base,
                Some(*t),
                sign * a.unwrap_or_default(),
                id,
            ));
        }
    } else {
        let id = format!("{}:{no}", at.short);
        payments.push(transaction(&base, txs.first().copied(), sign * total, id));
    }
    let mut key = format!(
        "{}|{date}|{direction}|{total}|{}",
        at.account, base.bank_ref
    );
    for p in &payments {
        key.push_str(&format!(
            "|{}|{}|{}",
            p.end_to_end,
            p.unstructured.join("\u{1f}"),
            p.structured.join("\u{1f}")
        ));
    }
    if !counts {
        payments.clear();
    }
    for p in &mut payments {
        *position += 1;
        p.position = *position;
    }
    Ok(Some((key, payments)))
}

/// One payment: the entry's facts with a transaction's payer, references
/// and remittance.
fn transaction(base: &BankPayment, tx: Option<Node>, amount: Decimal, id: String) -> BankPayment {
    let texts = |names: &[&str]| -> Vec<String> {
        tx.map(|t| {
            all(t, names)
                .map(|n| text_of(n).trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
    };
    let first = |paths: &[&[&str]]| -> String {
        tx.and_then(|t| paths.iter().find_map(|p| path(t, p)))
            .map(|n| text_of(n).trim().to_string())
            .unwrap_or_default()
    };
    // `.02`-`.06` name the payer directly, from `.07` on inside `Pty`.
    let payer = first(&[
        &["RltdPties", "Dbtr", "Nm"],
        &["RltdPties", "Dbtr", "Pty", "Nm"],
        &["RltdPties", "UltmtDbtr", "Nm"],
        &["RltdPties", "UltmtDbtr", "Pty", "Nm"],
    ]);
    let reason = first(&[&["RtrInf", "Rsn", "Cd"]]);
    BankPayment {
        id,
        amount,
        payer,
        unstructured: texts(&["RmtInf", "Ustrd"]),
        structured: texts(&["RmtInf", "Strd", "CdtrRefInf", "Ref"]),
        end_to_end: first(&[&["Refs", "EndToEndId"]]),
        return_reason: (!reason.is_empty()).then_some(reason),
        ..base.clone()
    }
}

fn text_of<'a>(n: Node<'a, '_>) -> &'a str {
    n.text().unwrap_or("")
}

fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'i: 'a>(n: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

fn path<'a, 'i>(n: Node<'a, 'i>, names: &[&str]) -> Option<Node<'a, 'i>> {
    names.iter().try_fold(n, |n, name| child(n, name))
}

/// Every node at the end of `names` (each step may repeat).
fn all<'a, 'i: 'a>(n: Node<'a, 'i>, names: &[&str]) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    let mut level = vec![n];
    for name in names {
        level = level
            .into_iter()
            .flat_map(|x| {
                x.children()
                    .filter(|c| c.is_element() && c.tag_name().name() == *name)
            })
            .collect();
    }
    level.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    const V08: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ns2:Document xmlns:ns2="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
 <ns2:BkToCstmrStmt>
  <ns2:Stmt>
   <ns2:Acct><ns2:Id><ns2:Othr><ns2:Id>4711</ns2:Id></ns2:Othr></ns2:Id></ns2:Acct>
   <ns2:Ntry>
    <ns2:Amt Ccy="EUR">12.50</ns2:Amt>
    <ns2:CdtDbtInd>CRDT</ns2:CdtDbtInd>
    <ns2:Sts><ns2:Cd>BOOK</ns2:Cd></ns2:Sts>
    <ns2:BookgDt><ns2:DtTm>2026-11-03T10:00:00+01:00</ns2:DtTm></ns2:BookgDt>
    <ns2:AcctSvcrRef>NONREF</ns2:AcctSvcrRef>
    <ns2:NtryDtls><ns2:TxDtls>
     <ns2:Refs><ns2:EndToEndId>E2E-1</ns2:EndToEndId></ns2:Refs>
     <ns2:RltdPties><ns2:Dbtr><ns2:Pty><ns2:Nm>Kunde</ns2:Nm></ns2:Pty></ns2:Dbtr></ns2:RltdPties>
     <ns2:RmtInf><ns2:Ustrd>RE-2026-0000</ns2:Ustrd><ns2:Ustrd>1 Danke</ns2:Ustrd></ns2:RmtInf>
    </ns2:TxDtls></ns2:NtryDtls>
   </ns2:Ntry>
   <ns2:Ntry>
    <ns2:Amt Ccy="EUR">12.50</ns2:Amt>
    <ns2:CdtDbtInd>CRDT</ns2:CdtDbtInd>
    <ns2:Sts><ns2:Cd>INFO</ns2:Cd></ns2:Sts>
   </ns2:Ntry>
  </ns2:Stmt>
 </ns2:BkToCstmrStmt>
</ns2:Document>
"#;

    #[test]
    fn reads_a_prefixed_v08_statement() {
        let (ps, d) = read_all(&[("payments/s.xml".into(), V08.as_bytes().to_vec())]);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(ps.len(), 1, "the INFO entry is not booked");
        let p = &ps[0];
        assert_eq!(p.id, "s.xml:1");
        assert_eq!(p.line, 6);
        assert_eq!(p.account, "4711");
        assert_eq!(p.bank_ref, "NONREF");
        assert_eq!(
            p.booking_date,
            NaiveDate::from_ymd_opt(2026, 11, 3).unwrap()
        );
        assert_eq!(p.amount, Decimal::new(1250, 2));
        assert_eq!(p.payer, "Kunde");
        assert_eq!(p.unstructured, ["RE-2026-0000", "1 Danke"]);
        assert_eq!(p.remittance(), "RE-2026-0000 1 Danke");
    }

    #[test]
    fn the_same_entry_in_two_files_counts_once_within_one_file_twice() {
        let twice = V08.replacen(
            "<ns2:Ntry>",
            &format!(
                "{}<ns2:Ntry>",
                &V08[V08.find("<ns2:Ntry>").unwrap()..V08.find("</ns2:Ntry>").unwrap() + 11]
            ),
            1,
        );
        let files = vec![
            ("payments/a.xml".to_string(), twice.into_bytes()),
            ("payments/b.xml".to_string(), V08.as_bytes().to_vec()),
        ];
        let (ps, d) = read_all(&files);
        assert!(d.is_empty(), "{d:?}");
        let ids: Vec<&str> = ps.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["a.xml:1", "a.xml:2"]);
        // A different end-to-end id makes it another entry.
        let other = V08.replace("E2E-1", "E2E-2");
        let (ps, _) = read_all(&[
            files[0].clone(),
            ("payments/b.xml".into(), other.into_bytes()),
        ]);
        assert_eq!(ps.len(), 3);
    }
}
