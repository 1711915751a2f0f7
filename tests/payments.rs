//! Payments and open items (RULES 12) and the GiroCode (G1), end to end on
//! the demo month issued in a temporary data folder: bank statements the
//! test writes itself (camt.053.001.02 and .08), `manual.csv`, the
//! `payments` command's files, `ledger --as-of`, `verify`, and the QR code
//! read back from the rendered PDF with `zbarimg`.

mod common;
use common::{demo_copy, faktura};
use std::path::{Path, PathBuf};
use std::process::Output;

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    csv::Reader::from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn row<'a>(rows: &'a [Vec<String>], key: &str) -> &'a Vec<String> {
    rows.iter()
        .find(|r| r[0] == key)
        .unwrap_or_else(|| panic!("no row {key} in {rows:?}"))
}

/// The demo month issued on 2026-11-02 (RE-2026-00001 .. 00012, due
/// 2026-11-16), and RE-2026-00010 cancelled on 2026-11-05.
fn issued_demo(tmp: &Path) -> PathBuf {
    let data = demo_copy(tmp, false);
    let d = data.to_str().unwrap();
    let out = tmp.join("oct");
    let o = faktura(&[
        "run",
        "--data",
        d,
        "--period",
        "2026-10",
        "--out",
        out.to_str().unwrap(),
        "--issue",
        "--date",
        "2026-11-02",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let o = faktura(&[
        "cancel",
        "--data",
        d,
        "--invoice",
        "RE-2026-00010",
        "--reason",
        "falscher Kunde",
        "--date",
        "2026-11-05",
        "--out",
        tmp.join("st").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    data
}

/// One camt.053 entry. `txs`: (amount or none, Ustrd pieces, Strd ref,
/// payer, return reason).
struct Tx<'a> {
    amount: Option<&'a str>,
    ustrd: &'a [&'a str],
    strd: Option<&'a str>,
    payer: &'a str,
    rtr: bool,
}

const TX: Tx = Tx {
    amount: None,
    ustrd: &[],
    strd: None,
    payer: "",
    rtr: false,
};

#[allow(clippy::too_many_arguments)]
fn ntry(
    v08: bool,
    amount: &str,
    ccy: &str,
    dir: &str,
    status: &str,
    date: &str,
    reversal: bool,
    bank_ref: &str,
    txs: &[Tx],
) -> String {
    let sts = if v08 {
        format!("<Sts><Cd>{status}</Cd></Sts>")
    } else {
        format!("<Sts>{status}</Sts>")
    };
    let mut s = format!(
        "<Ntry>\n<Amt Ccy=\"{ccy}\">{amount}</Amt>\n<CdtDbtInd>{dir}</CdtDbtInd>\n{}{sts}\n\
         <BookgDt><Dt>{date}</Dt></BookgDt><ValDt><Dt>{date}</Dt></ValDt>\n\
         <AcctSvcrRef>{bank_ref}</AcctSvcrRef>\n\
         <BkTxCd><Prtry><Cd>NTRF+166</Cd><Issr>ZKA</Issr></Prtry></BkTxCd>\n<NtryDtls>\n",
        if reversal {
            "<RvslInd>true</RvslInd>\n"
        } else {
            ""
        }
    );
    for t in txs {
        s.push_str("<TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>\n");
        if let Some(a) = t.amount {
            if v08 {
                s.push_str(&format!(
                    "<Amt Ccy=\"{ccy}\">{a}</Amt><CdtDbtInd>{dir}</CdtDbtInd>\n"
                ));
            } else {
                s.push_str(&format!(
                    "<AmtDtls><TxAmt><Amt Ccy=\"{ccy}\">{a}</Amt></TxAmt></AmtDtls>\n"
                ));
            }
        }
        if v08 {
            s.push_str(&format!(
                "<RltdPties><Dbtr><Pty><Nm>{}</Nm></Pty></Dbtr></RltdPties>\n",
                t.payer
            ));
        } else {
            s.push_str(&format!(
                "<RltdPties><Dbtr><Nm>{}</Nm></Dbtr></RltdPties>\n",
                t.payer
            ));
        }
        s.push_str("<RmtInf>");
        for u in t.ustrd {
            s.push_str(&format!("<Ustrd>{u}</Ustrd>"));
        }
        if let Some(r) = t.strd {
            s.push_str(&format!(
                "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>{r}</Ref></CdtrRefInf></Strd>"
            ));
        }
        s.push_str("</RmtInf>\n");
        if t.rtr {
            s.push_str("<RtrInf><Rsn><Cd>AC06</Cd></Rsn></RtrInf>\n");
        }
        s.push_str("</TxDtls>\n");
    }
    s.push_str("</NtryDtls>\n</Ntry>\n");
    s
}

fn statement(v08: bool, entries: &[String]) -> String {
    let v = if v08 { "08" } else { "02" };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{v}\">\n<BkToCstmrStmt>\n\
         <GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-11-30T18:00:00</CreDtTm></GrpHdr>\n\
         <Stmt><Id>S1</Id><CreDtTm>2026-11-30T18:00:00</CreDtTm>\n\
         <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>\n{}</Stmt>\n\
         </BkToCstmrStmt>\n</Document>\n",
        entries.concat()
    )
}

fn crdt(amount: &str, date: &str, bank_ref: &str, tx: Tx) -> String {
    ntry(
        false,
        amount,
        "EUR",
        "CRDT",
        "BOOK",
        date,
        false,
        bank_ref,
        &[tx],
    )
}

/// Statement A (.02): the month's payments.
fn statement_a() -> String {
    let e = vec![
        // 1 full payment
        crdt(
            "1129.31",
            "2026-11-10",
            "REF-1",
            Tx {
                ustrd: &["RE-2026-00002"],
                payer: "Mueller Schmidt",
                ..TX
            },
        ),
        // 2 partial payment
        crdt(
            "400.00",
            "2026-11-10",
            "REF-2",
            Tx {
                ustrd: &["Rechnung RE-2026-00003 Teilzahlung"],
                payer: "Praxis Hofmann",
                ..TX
            },
        ),
        // 3 one payment for three invoices, the text cut mid-number by the bank
        crdt(
            "8531.49",
            "2026-11-11",
            "NONREF",
            Tx {
                ustrd: &[
                    "Sammelzahlung RE-2026-00004, RE-2026-00005 und RE-20",
                    "26-00006",
                ],
                payer: "Lechner Gruppe",
                ..TX
            },
        ),
        // 4 overpayment, by the RF reference of the GiroCode
        crdt(
            "100.00",
            "2026-11-11",
            "REF-4",
            Tx {
                strd: Some("RF30RE202600008"),
                payer: "Baeckerei Wimmer",
                ..TX
            },
        ),
        // 5 customer id only
        crdt(
            "1000.00",
            "2026-11-12",
            "REF-5",
            Tx {
                ustrd: &["Kd-Nr k-1001 Abschlag"],
                payer: "Brauerei Schweiger",
                ..TX
            },
        ),
        // 6 unknown reference
        crdt(
            "50.00",
            "2026-11-12",
            "REF-6",
            Tx {
                ustrd: &["Spende Sommerfest"],
                payer: "Max Mustermann",
                ..TX
            },
        ),
        // 7 batch entry: two transactions
        ntry(
            false,
            "1301.58",
            "EUR",
            "CRDT",
            "BOOK",
            "2026-11-12",
            false,
            "REF-7",
            &[
                Tx {
                    amount: Some("893.83"),
                    ustrd: &["RE-2026-00009"],
                    payer: "Alpine Tech AG",
                    ..TX
                },
                Tx {
                    amount: Some("407.75"),
                    ustrd: &["Invoice RE-2026-00011"],
                    payer: "Danube Systems",
                    ..TX
                },
            ],
        ),
        // 8 payment to a cancelled invoice
        crdt(
            "322.14",
            "2026-11-13",
            "REF-8",
            Tx {
                ustrd: &["RE-2026-00010"],
                payer: "Kunde 1010",
                ..TX
            },
        ),
        // 9 the RF reference typed in groups into the text
        crdt(
            "1867.50",
            "2026-11-13",
            "REF-9",
            Tx {
                ustrd: &["RF57 RE20 2600 007 danke"],
                payer: "Kunde 1007",
                ..TX
            },
        ),
        // 10 an ordinary debit: ignored
        ntry(
            false,
            "99.00",
            "EUR",
            "DBIT",
            "BOOK",
            "2026-11-13",
            false,
            "REF-10",
            &[Tx {
                ustrd: &["RE-2026-00001"],
                ..TX
            }],
        ),
        // 11 a pending credit: ignored
        ntry(
            false,
            "77.00",
            "EUR",
            "CRDT",
            "PDNG",
            "2026-11-13",
            false,
            "REF-11",
            &[Tx {
                ustrd: &["RE-2026-00001"],
                ..TX
            }],
        ),
    ];
    statement(false, &e)
}

/// Statement B (.08): overlaps A by its first entry, then a return of the
/// partial payment and a payment in CHF.
fn statement_b() -> String {
    let e = vec![
        crdt(
            "1129.31",
            "2026-11-10",
            "REF-1",
            Tx {
                ustrd: &["RE-2026-00002"],
                payer: "Mueller Schmidt",
                ..TX
            },
        ),
        ntry(
            true,
            "400.00",
            "EUR",
            "DBIT",
            "BOOK",
            "2026-11-20",
            true,
            "NONREF",
            &[Tx {
                ustrd: &["Rechnung RE-2026-00003 Teilzahlung"],
                payer: "Praxis Hofmann",
                rtr: true,
                ..TX
            }],
        ),
        ntry(
            true,
            "250.00",
            "CHF",
            "CRDT",
            "BOOK",
            "2026-11-21",
            false,
            "REF-CHF",
            &[Tx {
                ustrd: &["RE-2026-00012"],
                payer: "Brauerei Schweiger",
                ..TX
            }],
        ),
    ];
    statement(true, &e)
}

const MANUAL: &str = "payment_id,date,amount,payer,reference,invoice_no,customer_id
CASH-1,2026-11-14,20.00,Brauerei Schweiger (bar),Quittung 17,RE-2026-00001,
KL-1,2026-11-12,50.00,Max Mustermann,2026-11-a.xml:6,RE-2026-00012,
";

fn write_payments(data: &Path) {
    let p = data.join("payments");
    std::fs::create_dir_all(&p).unwrap();
    std::fs::write(p.join("2026-11-a.xml"), statement_a()).unwrap();
    std::fs::write(p.join("2026-11-b.xml"), statement_b()).unwrap();
    std::fs::write(p.join("manual.csv"), MANUAL).unwrap();
}

fn payments_run(data: &Path, as_of: &str, out: &Path) -> Output {
    faktura(&[
        "payments",
        "--data",
        data.to_str().unwrap(),
        "--as-of",
        as_of,
        "--out",
        out.to_str().unwrap(),
    ])
}

#[test]
fn m1_m2_m3_every_case_of_the_demo_month() {
    let tmp = tempfile::tempdir().unwrap();
    let data = issued_demo(tmp.path());
    write_payments(&data);
    let out = tmp.path().join("pay");
    let o = payments_run(&data, "2026-11-30", &out);
    assert!(o.status.success(), "{}", text(&o));
    let summary = text(&o);

    let pay = csv_rows(&out.join("payments.csv"));
    let rule = |id: &str| row(&pay, id)[7].clone();
    let alloc = |id: &str| row(&pay, id)[8].clone();
    let credit = |id: &str| row(&pay, id)[9].clone();
    // M1: full, partial, three invoices (text joined without a separator).
    assert_eq!(
        (rule("2026-11-a.xml:1"), alloc("2026-11-a.xml:1")),
        ("M1".into(), "RE-2026-00002:1129.31".into())
    );
    assert_eq!(alloc("2026-11-a.xml:2"), "RE-2026-00003:400.00");
    assert_eq!(
        alloc("2026-11-a.xml:3"),
        "RE-2026-00004:3747.79;RE-2026-00005:3815.93;RE-2026-00006:967.77"
    );
    // Overpayment by the RF reference: the rest is the customer's credit.
    assert_eq!(
        (alloc("2026-11-a.xml:4"), credit("2026-11-a.xml:4")),
        ("RE-2026-00008:56.53".into(), "43.47".into())
    );
    // M2: the customer id alone, oldest (then lowest number) first.
    assert_eq!(
        (rule("2026-11-a.xml:5"), alloc("2026-11-a.xml:5")),
        ("M2".into(), "RE-2026-00001:1000.00".into())
    );
    // The batch entry: one payment per transaction.
    assert_eq!(alloc("2026-11-a.xml:7.1"), "RE-2026-00009:893.83");
    assert_eq!(alloc("2026-11-a.xml:7.2"), "RE-2026-00011:407.75");
    // A cancelled invoice has nothing open: all of it is credit.
    assert_eq!(
        (
            rule("2026-11-a.xml:8"),
            alloc("2026-11-a.xml:8"),
            credit("2026-11-a.xml:8")
        ),
        ("M1".into(), String::new(), "322.14".into())
    );
    // The RF reference typed in groups of four.
    assert_eq!(alloc("2026-11-a.xml:9"), "RE-2026-00007:1867.50");
    // Debit and pending entries are not payments; the overlap counts once.
    assert!(pay
        .iter()
        .all(|r| r[0] != "2026-11-a.xml:10" && r[0] != "2026-11-a.xml:11"));
    assert!(
        pay.iter().all(|r| r[0] != "2026-11-b.xml:1"),
        "overlapping entry counted twice"
    );
    // The return takes the partial payment back.
    assert_eq!(
        (
            row(&pay, "2026-11-b.xml:2")[4].as_str(),
            alloc("2026-11-b.xml:2")
        ),
        ("-400.00", "RE-2026-00003:-400.00".into())
    );
    // The clerk's rows: the unknown payment assigned, and cash.
    assert!(
        pay.iter().all(|r| r[0] != "2026-11-a.xml:6"),
        "the assigned bank entry is taken as the manual row"
    );
    assert_eq!(
        (rule("KL-1"), alloc("KL-1")),
        ("manual".into(), "RE-2026-00012:50.00".into())
    );
    assert_eq!(
        (rule("CASH-1"), alloc("CASH-1")),
        ("manual".into(), "RE-2026-00001:20.00".into())
    );
    // Matching order: booking date, then file, manual rows after the
    // statements of their day.
    let order: Vec<&str> = pay.iter().map(|r| r[0].as_str()).collect();
    let pos = |id: &str| order.iter().position(|x| *x == id).unwrap();
    assert!(pos("2026-11-a.xml:7.2") < pos("KL-1") && pos("KL-1") < pos("2026-11-a.xml:8"));

    // M3: unmatched, with the reason; another currency is never matched.
    let un = csv_rows(&out.join("unmatched.csv"));
    assert_eq!(un.len(), 1, "{un:?}");
    assert_eq!(
        (un[0][0].as_str(), un[0][5].as_str()),
        ("2026-11-b.xml:3", "CHF")
    );
    assert!(un[0][8].contains("currency CHF"), "{:?}", un[0]);

    // Open items on 2026-11-30 (due 2026-11-16).
    let items = csv_rows(&out.join("open_items.csv"));
    let item = |no: &str| {
        let r = row(&items, no);
        (r[5].clone(), r[6].clone(), r[7].clone(), r[8].clone())
    };
    let s = |a: &str, b: &str, c: &str, d: &str| {
        (a.to_string(), b.to_string(), c.to_string(), d.to_string())
    };
    assert_eq!(
        item("RE-2026-00001"),
        s("1020.00", "1420.80", "14", "overdue")
    );
    assert_eq!(item("RE-2026-00002"), s("1129.31", "0.00", "0", "paid"));
    assert_eq!(item("RE-2026-00003"), s("0.00", "805.63", "14", "overdue"));
    assert_eq!(item("RE-2026-00008"), s("56.53", "0.00", "0", "paid"));
    assert_eq!(item("RE-2026-00010"), s("0.00", "0.00", "0", "cancelled"));
    assert_eq!(
        item("RE-2026-00012"),
        s("50.00", "21965.00", "14", "overdue")
    );
    assert!(
        items.iter().all(|r| !r[0].starts_with("ST-")),
        "cancellations are no open items"
    );
    let credits: Vec<(&str, &str)> = items
        .iter()
        .filter(|r| r[8] == "credit")
        .map(|r| (r[1].as_str(), r[6].as_str()))
        .collect();
    assert_eq!(credits, [("K-1008", "-43.47"), ("K-1010", "-322.14")]);
    assert!(summary.contains("unmatched     1"), "{summary}");
    assert!(
        summary.contains("overdue       3      24191.43"),
        "{summary}"
    );

    // Before the due date and the return: partly paid, not overdue.
    let early = tmp.path().join("pay-early");
    let o = payments_run(&data, "2026-11-15", &early);
    assert!(o.status.success(), "{}", text(&o));
    let items = csv_rows(&early.join("open_items.csv"));
    assert_eq!(row(&items, "RE-2026-00003")[8], "partly-paid");
    assert_eq!(row(&items, "RE-2026-00012")[8], "partly-paid");
    assert_eq!(row(&items, "RE-2026-00012")[5], "50.00");
    let pay = csv_rows(&early.join("payments.csv"));
    assert!(
        pay.iter().all(|r| r[3].as_str() <= "2026-11-15"),
        "payments booked later left out"
    );
    // Before any payment: unpaid.
    let first = tmp.path().join("pay-first");
    assert!(payments_run(&data, "2026-11-09", &first).status.success());
    let items = csv_rows(&first.join("open_items.csv"));
    assert!(
        items
            .iter()
            .all(|r| r[8] == "unpaid" || r[8] == "cancelled"),
        "{items:?}"
    );

    // The ledger shows the same.
    let o = faktura(&[
        "ledger",
        "--data",
        data.to_str().unwrap(),
        "--as-of",
        "2026-11-30",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let l = text(&o);
    let line = |no: &str| l.lines().find(|x| x.starts_with(no)).unwrap().to_string();
    let tail = |no: &str, n: usize| {
        let l = line(no);
        let w: Vec<&str> = l.split_whitespace().collect();
        w[w.len() - n..].join(" ")
    };
    assert_eq!(tail("RE-2026-00002", 3), "1129.31 0.00 paid", "{l}");
    assert_eq!(
        tail("RE-2026-00001", 5),
        "1020.00 1420.80 overdue 14 d",
        "{l}"
    );
    assert!(
        line("RE-2026-00010").contains("cancelled by ST-2026-00001"),
        "{l}"
    );
    assert!(l.contains("K-1010  322.14"), "{l}");

    // verify recomputes the payments run; a changed file is caught.
    let v = faktura(&[
        "verify",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(v.status.success(), "{}", text(&v));
    let p = out.join("payments.csv");
    let changed = std::fs::read_to_string(&p)
        .unwrap()
        .replace("RE-2026-00002:1129.31", "RE-2026-00002:1000.00");
    std::fs::write(&p, changed).unwrap();
    let v = faktura(&[
        "verify",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!v.status.success());
    assert!(
        text(&v).contains("payments.csv:2: allocations: expected \"RE-2026-00002:1129.31\", found \"RE-2026-00002:1000.00\""),
        "{}",
        text(&v)
    );

    // Same inputs, same outputs.
    let again = tmp.path().join("pay-again");
    assert!(payments_run(&data, "2026-11-30", &again).status.success());
    for f in ["open_items.csv", "unmatched.csv", "MANIFEST.csv"] {
        let a = std::fs::read_to_string(out.join(f)).unwrap();
        let b = std::fs::read_to_string(again.join(f)).unwrap();
        if f == "MANIFEST.csv" {
            // Only the command line (its --out) differs.
            assert_eq!(a.lines().count(), b.lines().count());
        } else {
            assert_eq!(a, b, "{f}");
        }
    }
}

#[test]
fn a_malformed_statement_is_an_input_error_with_file_and_line_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let data = issued_demo(tmp.path());
    let p = data.join("payments");
    std::fs::create_dir_all(&p).unwrap();
    // An entry without amount (line 8), a batch whose parts do not add up.
    let no_amount = statement(
        false,
        &[
            crdt(
                "1129.31",
                "2026-11-10",
                "REF-1",
                Tx {
                    ustrd: &["RE-2026-00002"],
                    ..TX
                },
            ),
            ntry(
                false,
                "X",
                "EUR",
                "CRDT",
                "BOOK",
                "2026-11-10",
                false,
                "R",
                &[Tx {
                    ustrd: &["RE-2026-00003"],
                    ..TX
                }],
            )
            .replace("<Amt Ccy=\"EUR\">X</Amt>\n", ""),
            ntry(
                false,
                "100.00",
                "EUR",
                "CRDT",
                "BOOK",
                "2026-11-10",
                false,
                "R",
                &[
                    Tx {
                        amount: Some("60.00"),
                        ..TX
                    },
                    Tx {
                        amount: Some("30.00"),
                        ..TX
                    },
                ],
            ),
        ],
    );
    let entry_line = |n: usize| {
        1 + no_amount
            .lines()
            .enumerate()
            .filter(|(_, l)| *l == "<Ntry>")
            .nth(n)
            .unwrap()
            .0
    };
    std::fs::write(p.join("a.xml"), &no_amount).unwrap();
    // A file cut short, and one that is no statement at all.
    let cut = statement_a();
    std::fs::write(p.join("b.xml"), &cut[..cut.len() / 2]).unwrap();
    std::fs::write(p.join("c.xml"), "<?xml version=\"1.0\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\"/>\n").unwrap();
    std::fs::write(p.join("manual.csv"), "payment_id,date,amount,payer,reference,invoice_no,customer_id\nC1,2026-13-01,abc,,,RE-2099-00001,\n").unwrap();
    let out = tmp.path().join("pay");
    let o = payments_run(&data, "2026-11-30", &out);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let e = text(&o);
    for want in [
        format!("payments/a.xml:{}: Amt: entry 2 has no amount", entry_line(1)),
        format!("payments/a.xml:{}: TxDtls: the transactions of batch entry 3 sum to 90.00, the entry's amount is 100.00", entry_line(2)),
        format!("payments/b.xml:{}: xml: not well-formed XML", cut[..cut.len() / 2].lines().count()),
        "payments/c.xml:2: Document: <Document> in namespace 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03' is not a camt.053 bank statement".to_string(),
        "payments/manual.csv:2: date:".to_string(),
        "payments/manual.csv:2: amount: 'abc' is not an amount".to_string(),
    ] {
        assert!(e.contains(&want), "missing\n  {want}\nin\n{e}");
    }
    assert!(e.contains("nothing written"), "{e}");
    assert!(!out.exists(), "nothing written");
    // `check` reports the same problems.
    let c = faktura(&["check", "--data", data.to_str().unwrap()]);
    assert_eq!(c.status.code(), Some(1));
    let ct = text(&c);
    assert!(
        ct.contains(&format!(
            "payments/a.xml:{}: Amt: entry 2 has no amount",
            entry_line(1)
        )),
        "{ct}"
    );
    assert!(
        ct.contains("payments/manual.csv:2: invoice_no: no invoice 'RE-2099-00001' in the ledger"),
        "{ct}"
    );
}

/// G1: the QR code on the rendered page decodes to the EPC payload with the
/// invoice's gross amount and RF reference, and the XML carries the same
/// reference as BT-83.
#[test]
fn g1_girocode_decodes_to_the_epc_fields() {
    for tool in ["pdftoppm", "zbarimg"] {
        if std::process::Command::new(tool).arg("-h").output().is_err() {
            eprintln!("SKIP: {tool} not installed (poppler-utils, zbar-tools)");
            return;
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let data = issued_demo(tmp.path());
    let oct = tmp.path().join("oct");
    let invoices = csv_rows(&oct.join("invoices.csv"));
    let mut checked = 0;
    for inv in invoices
        .iter()
        .filter(|r| ["RE-2026-00002", "RE-2026-00008", "RE-2026-00009"].contains(&r[0].as_str()))
    {
        let no = &inv[0];
        let gross = inv[11].clone();
        let rf = faktura::creditor_ref::of(no).unwrap();
        let png = tmp.path().join(no);
        let o = std::process::Command::new("pdftoppm")
            .args(["-r", "200", "-png"])
            .arg(oct.join(format!("{no}.pdf")))
            .arg(&png)
            .output()
            .unwrap();
        assert!(o.status.success());
        let mut found = Vec::new();
        for e in std::fs::read_dir(tmp.path()).unwrap().flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.starts_with(no.as_str()) && n.ends_with(".png") {
                let z = std::process::Command::new("zbarimg")
                    .args(["-q", "--raw"])
                    .arg(e.path())
                    .output()
                    .unwrap();
                found.push(String::from_utf8_lossy(&z.stdout).into_owned());
            }
        }
        let codes: Vec<&String> = found.iter().filter(|s| !s.is_empty()).collect();
        assert_eq!(
            codes.len(),
            1,
            "{no}: one QR code on its pages, found {found:?}"
        );
        let fields: Vec<&str> = codes[0].trim_end_matches('\n').split('\n').collect();
        assert_eq!(
            fields,
            [
                "BCD",
                "002",
                "1",
                "SCT",
                "COBADEFFXXX",
                "Bergmann IT-Service GmbH",
                "DE89370400440532013000",
                &format!("EUR{gross}"),
                "",
                &rf
            ],
            "{no}"
        );
        let xml = std::fs::read_to_string(oct.join(format!("{no}.xml"))).unwrap();
        assert!(
            xml.contains(&format!(
                "<ram:PaymentReference>{rf}</ram:PaymentReference>"
            )),
            "{no}"
        );
        let txt = std::process::Command::new("pdftotext")
            .args(["-layout"])
            .arg(oct.join(format!("{no}.pdf")))
            .arg("-")
            .output()
            .unwrap();
        let grouped = faktura::creditor_ref::grouped(&rf);
        assert!(
            String::from_utf8_lossy(&txt.stdout).contains(&format!("Verwendungszweck: {grouped}")),
            "{no}"
        );
        checked += 1;
    }
    assert_eq!(checked, 3);
    // No code on a cancellation.
    let st = std::fs::read_dir(tmp.path().join("st"))
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().ends_with(".pdf"))
        .unwrap();
    let png = tmp.path().join("st-page");
    std::process::Command::new("pdftoppm")
        .args(["-r", "200", "-png"])
        .arg(st.path())
        .arg(&png)
        .output()
        .unwrap();
    for e in std::fs::read_dir(tmp.path()).unwrap().flatten() {
        if e.file_name().to_string_lossy().starts_with("st-page") {
            let z = std::process::Command::new("zbarimg")
                .args(["-q", "--raw"])
                .arg(e.path())
                .output()
                .unwrap();
            assert!(z.stdout.is_empty(), "a cancellation carries no GiroCode");
        }
    }
    drop(data);
}

/// A run recorded by a faktura before the GiroCode (its manifest names the
/// older version) still verifies: PDFs that differ only in layout and XML
/// that differs only in BT-83 are notes; a changed amount is an error.
#[test]
fn a_run_of_an_older_version_verifies_with_notes() {
    let tmp = tempfile::tempdir().unwrap();
    let data = issued_demo(tmp.path());
    let oct = tmp.path().join("oct");
    // Make RE-2026-00002 look as 0.1.0 wrote it: BT-83 the invoice number,
    // a PDF of other bytes (its producer) with that XML embedded.
    let xml_path = oct.join("RE-2026-00002.xml");
    let xml = std::fs::read_to_string(&xml_path).unwrap();
    let old_xml = xml.replace(
        "RF95RE202600002</ram:PaymentReference>",
        "RE-2026-00002</ram:PaymentReference>",
    );
    assert_ne!(xml, old_xml);
    std::fs::write(&xml_path, &old_xml).unwrap();
    let pdf_path = oct.join("RE-2026-00002.pdf");
    let mut doc = lopdf::Document::load(&pdf_path).unwrap();
    for o in doc.objects.values_mut() {
        if let lopdf::Object::Stream(s) = o {
            if s.dict
                .get(b"Type")
                .and_then(lopdf::Object::as_name)
                .is_ok_and(|n| n == b"EmbeddedFile")
            {
                s.dict.remove(b"Filter");
                s.set_content(old_xml.clone().into_bytes());
            }
        }
        if let lopdf::Object::Dictionary(d) = o {
            if d.has(b"Producer") {
                d.set("Producer", lopdf::Object::string_literal("faktura 0.1.0"));
            }
        }
    }
    doc.save(&pdf_path).unwrap();
    let rewrite_manifest = |oct: &Path| {
        let m = std::fs::read_to_string(oct.join("MANIFEST.csv")).unwrap();
        let fixed: Vec<String> = m
            .lines()
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                if f[0] == "version" {
                    "version,,,,0.1.0".to_string()
                } else if f[0] == "output" && f[1].starts_with("RE-2026-00002") {
                    let b = std::fs::read(oct.join(f[1])).unwrap();
                    format!(
                        "output,{},{},{},",
                        f[1],
                        b.len(),
                        faktura::manifest::sha256(&b)
                    )
                } else {
                    l.to_string()
                }
            })
            .collect();
        std::fs::write(oct.join("MANIFEST.csv"), fixed.join("\n") + "\n").unwrap();
    };
    rewrite_manifest(&oct);
    let d = data.to_str().unwrap();
    let v = faktura(&["verify", "--data", d, "--out", oct.to_str().unwrap()]);
    let t = text(&v);
    assert!(v.status.success(), "{t}");
    assert!(
        t.contains("note: RE-2026-00002.pdf: made by faktura 0.1.0; PDF layout differs"),
        "{t}"
    );
    assert!(
        t.contains("note: RE-2026-00002.xml: made by faktura 0.1.0; identical but for BT-83"),
        "{t}"
    );
    // The same files under this version's name are differences.
    let m = std::fs::read_to_string(oct.join("MANIFEST.csv")).unwrap();
    std::fs::write(
        oct.join("MANIFEST.csv"),
        m.replace(
            "version,,,,0.1.0",
            &format!("version,,,,{}", env!("CARGO_PKG_VERSION")),
        ),
    )
    .unwrap();
    let v = faktura(&["verify", "--data", d, "--out", oct.to_str().unwrap()]);
    assert!(!v.status.success(), "{}", text(&v));
    // An old run whose amount was changed is not excused.
    std::fs::write(&xml_path, old_xml.replace("1129.31", "1129.13")).unwrap();
    rewrite_manifest(&oct);
    let v = faktura(&["verify", "--data", d, "--out", oct.to_str().unwrap()]);
    assert!(!v.status.success(), "{}", text(&v));
    assert!(
        text(&v).contains("RE-2026-00002.xml: bytes differ"),
        "{}",
        text(&v)
    );
}
