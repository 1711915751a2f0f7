//! Reminders and dunning (RULES 13, D1..D3) as a table of cases over the pure
//! core (`faktura::dunning`). Every expected interest amount is written out
//! here as its own arithmetic (amount x rate x days / 36500, summed per
//! stretch, rounded once), not computed by the code under test.

use chrono::NaiveDate;
use faktura::dunning::{self, Claim, Previous, Rules};
use faktura::model::{BaseRate, DunningTerms};
use rust_decimal::Decimal;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The Bundesbank's base rates of 2023..2026 (as shipped in rates/).
fn rates() -> Vec<BaseRate> {
    [
        ("2023-01-01", "1.62"),
        ("2023-07-01", "3.12"),
        ("2024-01-01", "3.62"),
        ("2024-07-01", "3.37"),
        ("2025-01-01", "2.27"),
        ("2025-07-01", "1.27"),
        ("2026-01-01", "1.27"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (f, p))| BaseRate {
        valid_from: d(f),
        percent: dec(p),
        line: i as u64 + 2,
    })
    .collect()
}

fn claim(due: &str, gross: &str) -> Claim {
    Claim {
        number: "RE-2024-00001".into(),
        customer: "C1".into(),
        issue_date: d("2024-01-02"),
        due_date: d(due),
        gross: dec(gross),
        cancelled: false,
        payments: vec![],
        previous: vec![],
    }
}

fn sent(date: &str, level: u8, fee: &str) -> Previous {
    Previous {
        date: d(date),
        level,
        fee: dec(fee),
    }
}

/// Exact expected interest: the sum of amount * rate * days over the
/// stretches, divided by 36500, rounded half away from zero to cents.
fn expected(stretches: &[(&str, &str, i64)]) -> Decimal {
    let n: Decimal = stretches
        .iter()
        .map(|(a, r, days)| dec(a) * dec(r) * Decimal::from(*days))
        .sum();
    (n / Decimal::from(36500))
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

fn next(c: &Claim, date: &str, consumer: bool) -> Option<dunning::Item> {
    let terms = DunningTerms::default();
    let rates = rates();
    let no_holidays = |_: NaiveDate| false;
    let rules = Rules {
        terms: &terms,
        base_rates: &rates,
        holiday: &no_holidays,
    };
    dunning::next_item(c, d(date), consumer, &rules).expect("base rates cover the case")
}

struct Case {
    name: &'static str,
    claim: Claim,
    date: &'static str,
    consumer: bool,
    /// None: no letter for the invoice.
    want: Option<Want>,
}

struct Want {
    level: u8,
    open: &'static str,
    interest_from: Option<&'static str>,
    interest: Decimal,
    fee: &'static str,
}

#[test]
fn d1_d2_d3_interest_and_levels_table() {
    let cases = vec![
        Case {
            // Due Wed 2024-05-15, reminded 2024-06-10: default from 06-11
            // (earlier than due + 31 = 06-15). Interest 06-11..07-15:
            // 20 days of June at 3.62 + 9, 15 days of July at 3.37 + 9.
            name: "D2 base rate changes inside the interest period",
            claim: Claim {
                previous: vec![sent("2024-06-10", 1, "0.00")],
                ..claim("2024-05-15", "1000.00")
            },
            date: "2024-07-15",
            consumer: false,
            want: Some(Want {
                level: 2,
                open: "1000.00",
                interest_from: Some("2024-06-11"),
                // 1000 * 12.62 * 20 + 1000 * 12.37 * 15 = 437950 / 36500 = 11.9986..
                interest: expected(&[("1000", "12.62", 20), ("1000", "12.37", 15)]),
                fee: "40.00",
            }),
        },
        Case {
            // As above, 400.00 paid on 2024-07-01: from that day 600.00 open.
            name: "D2 a partial payment inside the interest period",
            claim: Claim {
                previous: vec![sent("2024-06-10", 1, "0.00")],
                payments: vec![(d("2024-07-01"), dec("400.00"))],
                ..claim("2024-05-15", "1000.00")
            },
            date: "2024-07-15",
            consumer: false,
            want: Some(Want {
                level: 2,
                open: "600.00",
                interest_from: Some("2024-06-11"),
                interest: expected(&[("1000", "12.62", 20), ("600", "12.37", 15)]),
                fee: "40.00",
            }),
        },
        Case {
            // 2024 is a leap year: 2024-02-16..2024-03-15 are 29 days
            // (29 February counted), still divided by 365 (the spec's rule).
            name: "D2 leap year divides by 365",
            claim: Claim {
                previous: vec![sent("2024-02-15", 1, "0.00")],
                ..claim("2024-02-05", "5000.00")
            },
            date: "2024-03-15",
            consumer: false,
            want: Some(Want {
                level: 2,
                open: "5000.00",
                interest_from: Some("2024-02-16"),
                // 5000 * 12.62 * 29 / 36500 = 50.134..
                interest: expected(&[("5000", "12.62", 29)]),
                fee: "40.00",
            }),
        },
        Case {
            // A consumer: 5 points, no flat fee, and no default by the
            // 30-day rule: the reminder of 2024-08-20 (due + 97 days) starts it.
            name: "D2 D3 consumer: base + 5, no fee, default only by the reminder",
            claim: Claim {
                previous: vec![sent("2024-08-20", 1, "0.00")],
                ..claim("2024-05-15", "200.00")
            },
            date: "2024-09-03",
            consumer: true,
            want: Some(Want {
                level: 2,
                open: "200.00",
                interest_from: Some("2024-08-21"),
                // 2024-08-21..2024-09-03 = 14 days at 3.37 + 5.
                interest: expected(&[("200", "8.37", 14)]),
                fee: "0.00",
            }),
        },
        Case {
            // The same late reminder for a business: default came by law on
            // due + 31 = 2024-06-15, long before the letter.
            name: "D2 business: default at the latest 31 days after the due date",
            claim: Claim {
                previous: vec![sent("2024-08-20", 1, "0.00")],
                ..claim("2024-05-15", "200.00")
            },
            date: "2024-09-03",
            consumer: false,
            want: Some(Want {
                level: 2,
                open: "200.00",
                interest_from: Some("2024-06-15"),
                // 06-15..06-30 = 16 days at 12.62, 07-01..09-03 = 65 days at 12.37.
                interest: expected(&[("200", "12.62", 16), ("200", "12.37", 65)]),
                fee: "40.00",
            }),
        },
        Case {
            name: "D1 paid in full after level 1: no level 2",
            claim: Claim {
                previous: vec![sent("2024-06-10", 1, "0.00")],
                payments: vec![(d("2024-06-20"), dec("1000.00"))],
                ..claim("2024-05-15", "1000.00")
            },
            date: "2024-07-15",
            consumer: false,
            want: None,
        },
        Case {
            name: "D1 a payment after the letter's date does not count yet",
            claim: Claim {
                previous: vec![sent("2024-06-10", 1, "0.00")],
                payments: vec![(d("2024-07-16"), dec("1000.00"))],
                ..claim("2024-05-15", "1000.00")
            },
            date: "2024-07-15",
            consumer: false,
            want: Some(Want {
                level: 2,
                open: "1000.00",
                interest_from: Some("2024-06-11"),
                interest: expected(&[("1000", "12.62", 20), ("1000", "12.37", 15)]),
                fee: "40.00",
            }),
        },
        Case {
            name: "D1 cancelled while overdue: nothing open, no letter",
            claim: Claim {
                cancelled: true,
                previous: vec![sent("2024-06-10", 1, "0.00")],
                ..claim("2024-05-15", "1000.00")
            },
            date: "2024-07-15",
            consumer: false,
            want: None,
        },
        Case {
            // Due Saturday 2024-06-01: moved to Monday 06-03 (BGB 193);
            // 7 days overdue on 06-10, only 6 on 06-09.
            name: "D1 BGB 193: a due date on Saturday counts from Monday",
            claim: claim("2024-06-01", "100.00"),
            date: "2024-06-09",
            consumer: false,
            want: None,
        },
        Case {
            name: "D1 level 1 after reminder_after_days, no interest, no fee",
            claim: claim("2024-06-01", "100.00"),
            date: "2024-06-10",
            consumer: false,
            want: Some(Want {
                level: 1,
                open: "100.00",
                interest_from: None,
                interest: Decimal::ZERO,
                fee: "0.00",
            }),
        },
        Case {
            name: "D1 level 2 not before dunning_interval_days after level 1",
            claim: Claim {
                previous: vec![sent("2024-06-10", 1, "0.00")],
                ..claim("2024-06-01", "100.00")
            },
            date: "2024-06-23",
            consumer: false,
            want: None,
        },
        Case {
            // Level 3: the fee was claimed on level 2, so none now.
            name: "D3 level 3: the fee only once per invoice",
            claim: Claim {
                previous: vec![
                    sent("2024-06-10", 1, "0.00"),
                    sent("2024-06-24", 2, "40.00"),
                ],
                ..claim("2024-06-01", "100.00")
            },
            date: "2024-07-08",
            consumer: false,
            // Due moved to 06-03; default from 06-11; 06-11..06-30 = 20 days
            // at 12.62, 07-01..07-08 = 8 days at 12.37.
            want: Some(Want {
                level: 3,
                open: "100.00",
                interest_from: Some("2024-06-11"),
                interest: expected(&[("100", "12.62", 20), ("100", "12.37", 8)]),
                fee: "0.00",
            }),
        },
        Case {
            name: "D1 never above level 3",
            claim: Claim {
                previous: vec![
                    sent("2024-06-10", 1, "0.00"),
                    sent("2024-06-24", 2, "40.00"),
                    sent("2024-07-08", 3, "0.00"),
                ],
                ..claim("2024-06-01", "100.00")
            },
            date: "2024-09-01",
            consumer: false,
            want: None,
        },
    ];
    for c in cases {
        let got = next(&c.claim, c.date, c.consumer);
        match (&c.want, &got) {
            (None, None) => {}
            (Some(w), Some(g)) => {
                assert_eq!(g.level, w.level, "{}", c.name);
                assert_eq!(g.open, dec(w.open), "{}", c.name);
                assert_eq!(
                    g.interest.as_ref().map(|i| i.from),
                    w.interest_from.map(d),
                    "{}",
                    c.name
                );
                if let Some(i) = &g.interest {
                    assert_eq!(i.to, d(c.date), "{}: interest runs to D inclusive", c.name);
                }
                assert_eq!(g.interest_amount(), w.interest, "{}", c.name);
                assert_eq!(g.fee, dec(w.fee), "{}", c.name);
                assert_eq!(g.claim, g.open + w.interest + dec(w.fee), "{}", c.name);
            }
            _ => panic!(
                "{}: expected {:?} letter, got {got:?}",
                c.name,
                c.want.is_some()
            ),
        }
    }
}

#[test]
fn d2_the_written_out_sums() {
    // The table's expectations, as plain numbers, so that `expected` itself
    // is checked: 437950 / 36500 = 11.998630.. -> 12.00.
    assert_eq!(
        expected(&[("1000", "12.62", 20), ("1000", "12.37", 15)]),
        dec("12.00")
    );
    // 5000 * 12.62 * 29 = 1829900 / 36500 = 50.1342.. -> 50.13.
    assert_eq!(expected(&[("5000", "12.62", 29)]), dec("50.13"));
    // 200 * 8.37 * 14 = 23436 / 36500 = 0.64208.. -> 0.64.
    assert_eq!(expected(&[("200", "8.37", 14)]), dec("0.64"));
}

#[test]
fn d2_a_day_without_a_base_rate_is_named() {
    let terms = DunningTerms::default();
    let rates = rates();
    let none = |_: NaiveDate| false;
    let rules = Rules {
        terms: &terms,
        base_rates: &rates,
        holiday: &none,
    };
    let c = Claim {
        previous: vec![sent("2026-06-20", 1, "0.00")],
        ..claim("2026-06-01", "100.00")
    };
    let err = dunning::next_item(&c, d("2026-07-10"), false, &rules).unwrap_err();
    assert_eq!(err.day, d("2026-07-01"));
    assert_eq!(err.invoice, "RE-2024-00001");
}

#[test]
fn d1_one_letter_per_customer_titled_by_its_highest_level() {
    let terms = DunningTerms::default();
    let rates = rates();
    let none = |_: NaiveDate| false;
    let rules = Rules {
        terms: &terms,
        base_rates: &rates,
        holiday: &none,
    };
    let a = Claim {
        number: "RE-2024-00001".into(),
        previous: vec![sent("2024-06-10", 1, "0.00")],
        ..claim("2024-05-15", "1000.00")
    };
    let b = Claim {
        number: "RE-2024-00002".into(),
        ..claim("2024-07-01", "50.00")
    };
    let other = Claim {
        number: "RE-2024-00003".into(),
        customer: "C2".into(),
        ..claim("2024-07-01", "70.00")
    };
    let letters =
        dunning::letters(&[b, other, a], d("2024-07-15"), &|c| c == "C2", &rules).unwrap();
    assert_eq!(letters.len(), 2);
    let c1 = &letters[0];
    assert_eq!(c1.customer, "C1");
    assert_eq!(c1.level, 2);
    assert_eq!(
        c1.items
            .iter()
            .map(|i| (i.invoice.as_str(), i.level))
            .collect::<Vec<_>>(),
        [("RE-2024-00001", 2), ("RE-2024-00002", 1)]
    );
    assert_eq!(
        c1.claim,
        dec("1000.00") + dec("12.00") + dec("40.00") + dec("50.00")
    );
    assert_eq!(c1.pay_by, d("2024-07-22"));
    assert!(letters[1].consumer && letters[1].level == 1);
}

// --- the letter PDF of a partly paid invoice --------------------------------

fn company() -> faktura::model::Company {
    faktura::model::Company {
        name: "Bergmann IT-Service GmbH".into(),
        street: "Landsberger Straße 302".into(),
        postcode: "80687".into(),
        city: "München".into(),
        country: "DE".into(),
        vat_id: "DE287654324".into(),
        tax_number: "143/218/40571".into(),
        email: "rechnung@bergmann-it.example".into(),
        phone: "+49 89 5432100".into(),
        register: "Amtsgericht München, HRB 234567".into(),
        seat: "München".into(),
        managing_director: "Thomas Bergmann".into(),
        bank: "Commerzbank".into(),
        iban: "DE89370400440532013000".into(),
        bic: "COBADEFFXXX".into(),
        vat_rate: dec("19"),
        currency: "EUR".into(),
        invoice_number_format: "RE-{year}-{seq:05}".into(),
        cancellation_number_format: "ST-{year}-{seq:05}".into(),
        payment_days: 14,
        rates: "rates".into(),
        dunning: DunningTerms::default(),
        ..Default::default()
    }
}

fn customer(lang: faktura::model::Language) -> faktura::model::Customer {
    faktura::model::Customer {
        id: faktura::model::CustomerId::new("C1"),
        name: "Huber & Söhne Steuerberatung GmbH".into(),
        street: "Nymphenburger Straße 14".into(),
        postcode: "80335".into(),
        city: "München".into(),
        country: "DE".into(),
        vat_id: None,
        email: None,
        language: lang,
        consumer: false,
        debtor_account: None,
        line: 2,
    }
}

#[test]
fn d4_a_partly_paid_invoice_shows_its_basis_and_the_pdf_is_reproducible() {
    use faktura::model::Language;
    use faktura::render::dunning::letter_pdf;
    let terms = DunningTerms::default();
    let rates = rates();
    let none = |_: NaiveDate| false;
    let rules = Rules {
        terms: &terms,
        base_rates: &rates,
        holiday: &none,
    };
    let c = Claim {
        previous: vec![sent("2024-06-10", 1, "0.00")],
        payments: vec![(d("2024-07-01"), dec("400.00"))],
        ..claim("2024-05-15", "1000.00")
    };
    let letters = dunning::letters(&[c], d("2024-07-15"), &|_| false, &rules).unwrap();
    let fonts = faktura::render::pdf::Fonts::load();
    let (co, de, en) = (company(), customer(Language::De), customer(Language::En));
    let pdf = letter_pdf(&letters[0], "MA-2024-00007", false, &co, &de, &fonts);
    assert_eq!(
        pdf,
        letter_pdf(&letters[0], "MA-2024-00007", false, &co, &de, &fonts),
        "same letter, same bytes"
    );
    let en_pdf = letter_pdf(&letters[0], "MA-2024-00007", false, &co, &en, &fonts);
    if std::env::var("FAKTURA_KEEP_LETTERS").is_ok() {
        std::fs::write("/tmp/letter-de.pdf", &pdf).unwrap();
        std::fs::write("/tmp/letter-en.pdf", &en_pdf).unwrap();
    }
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!("SKIP: pdftotext is not installed");
        return;
    }
    let read = |bytes: &[u8]| {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("l.pdf");
        std::fs::write(&f, bytes).unwrap();
        let o = std::process::Command::new("pdftotext")
            .args(["-layout", f.to_str().unwrap(), "-"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let text = read(&pdf);
    for want in [
        "Rechnungsbetrag 1.000,00, davon bezahlt 400,00",
        "Zinsen 11.06.2024 – 30.06.2024: 1.000,00 × 12,62 % × 20 Tage / 365",
        "Zinsen 01.07.2024 – 15.07.2024: 600,00 × 12,37 % × 15 Tage / 365",
        "(Basiszinssatz 3,62 % + 9 = 12,62 %)",
        "Pauschale nach § 288 Abs. 5 BGB",
        "Gesamtforderung",
        // 600.00 + 9.97 interest + 40.00.
        "649,97 EUR",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    // The interest of the letter: 1000 * 12.62 * 20 + 600 * 12.37 * 15 =
    // 363730 / 36500 = 9.9652.. -> 9.97.
    assert_eq!(letters[0].interest, dec("9.97"));
    let text = read(&en_pdf);
    for want in [
        "Invoice amount 1,000.00, of which paid 400.00",
        "Interest 1 Jul 2024 – 15 Jul 2024: 600.00 × 12.37 % × 15 days / 365",
        "649.97 EUR",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
}
