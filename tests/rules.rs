//! The cost decision scheme as a table: one row per rule or edge case, named
//! by its rule id (RULES 4, 5, F1..F13). Each row is a tiny time log on the
//! data set of `common` (C1: contract with remote covered, 2 h, 10 %; C2: no
//! contract; C3: remote only, unlimited) and the exact `charges.csv` rows it
//! must give.

mod common;
use common::*;

struct Case {
    name: &'static str,
    approvals: &'static str,
    timelog: &'static str,
    expected: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "K1 project work is never billed by the hour; a named approval is ignored (F9)",
        approvals: "",
        timelog: "t1,2026-10-05,09:00,10:00,Anna,C1,,,,,a1,P1,Projektarbeit\n",
        expected: "t1,1,2026-10-05,C1,K1,project,,60,,,,,,,,,",
    },
    Case {
        name: "K1 wins over every other rule, also with channel and responsibility filled",
        approvals: "",
        timelog: "t1,2026-10-05,09:00,10:00,Anna,C1,,remote,tampering,fix,,P1,Projektarbeit\n",
        expected: "t1,1,2026-10-05,C1,K1,project,,60,,,,,,,,,",
    },
    Case {
        name: "K2 third-party diagnosis is a free referral; approval not shown (F9)",
        approvals: "",
        timelog: "t1,2026-10-05,09:00,09:20,Anna,C1,,phone,third_party,diagnosis,a1,,Verweis\n",
        expected: "t1,1,2026-10-05,C1,K2,referral,,20,,,,,,,,,",
    },
    Case {
        name: "K2 third-party referral is free also without contract",
        approvals: "",
        timelog: "t1,2026-10-05,09:00,09:20,Anna,C2,,phone,third_party,referral,,,Verweis\n",
        expected: "t1,1,2026-10-05,C2,K2,referral,,20,,,,,,,,,",
    },
    Case {
        name: "K3 third-party fix is chargeable even where the contract covers the channel (F4); discount applies (F8)",
        approvals: "",
        timelog: "t1,2026-10-05,09:00,10:00,Anna,C1,,remote,third_party,fix,a1,,Fremdfehler behoben\n",
        expected: "t1,1,2026-10-05,C1,K3;A1,billable,,60,60,remote,100.00,0,10,90.00,90.00,a1,",
    },
    Case {
        name: "K3 third-party support is chargeable",
        approvals: "",
        timelog: "t1,2026-10-05,09:00,09:30,Anna,C2,,email,third_party,support,o2,,Support Fremdprodukt\n",
        expected: "t1,1,2026-10-05,C2,K3;A1,billable,,30,30,email,90.00,0,0,90.00,45.00,o2,",
    },
    Case {
        name: "K4 tampering is chargeable whatever the activity",
        approvals: "",
        timelog: "t1,2026-10-05,09:00,09:10,Anna,C1,,phone,tampering,diagnosis,a1,,Eingriff Dritter\n",
        expected: "t1,1,2026-10-05,C1,K4;A1,billable,,10,15,phone,90.00,0,10,81.00,20.25,a1,",
    },
    Case {
        name: "K5 covered work is free; the approval is ignored and uses no hours (F9)",
        approvals: "",
        timelog: "t1,2026-10-05,09:00,10:00,Anna,C1,,remote,ours,fix,a1,,Fehler behoben\n",
        expected: "t1,1,2026-10-05,C1,K5,covered,,60,,,,,,,,,",
    },
    Case {
        name: "K5 ours with diagnosis goes through K5..K8, not K2 (F4)",
        approvals: "",
        timelog: "t1,2026-10-05,09:00,09:30,Anna,C1,,phone,ours,diagnosis,,,Analyse\n",
        expected: "t1,1,2026-10-05,C1,K5,covered,,30,,,,,,,,,",
    },
    Case {
        name: "K5 unlimited hours (empty included_hours, F5)",
        approvals: "",
        timelog: "t1,2026-10-05,08:00,18:00,Anna,C3,,remote,ours,fix,,,Langer Tag\n",
        expected: "t1,1,2026-10-05,C3,K5,covered,,600,,,,,,,,,",
    },
    Case {
        name: "K6 channel not covered: chargeable with the contract's discount; on-site brings travel (F12)",
        approvals: "",
        timelog: "t1,2026-10-05,09:00,10:00,Anna,C1,,onsite,ours,fix,a1,,Vor-Ort-Einsatz\n",
        expected: "t1,1,2026-10-05,C1,K6;A1,billable,,60,60,onsite,120.00,0,10,108.00,108.00,a1,
t1,2,2026-10-05,C1,travel,billable,,,,travel,50.00,0,10,45.00,45.00,a1,",
    },
    Case {
        name: "K7 monthly hours used up: overage is chargeable",
        approvals: "",
        timelog: "t1,2026-10-05,09:00,11:00,Anna,C1,,remote,ours,fix,,,Zwei Stunden\nt2,2026-10-05,13:00,13:30,Anna,C1,,remote,ours,fix,a1,,Mehr\n",
        expected: "t1,1,2026-10-05,C1,K5,covered,,120,,,,,,,,,
t2,1,2026-10-05,C1,K7;A1,billable,,30,30,remote,100.00,0,10,90.00,45.00,a1,",
    },
    Case {
        name: "K7 quota split at the minute: covered part first, rest chargeable (RULES 4)",
        approvals: "",
        timelog: "t1,2026-10-05,09:00,10:30,Anna,C1,,remote,ours,fix,,,Teil eins\nt2,2026-10-05,11:00,12:00,Anna,C1,,remote,ours,support,a1,,Teil zwei\n",
        expected: "t1,1,2026-10-05,C1,K5,covered,,90,,,,,,,,,
t2,1,2026-10-05,C1,K5,covered,,30,,,,,,,,,
t2,2,2026-10-05,C1,K7;A1,billable,,30,30,remote,100.00,0,10,90.00,45.00,a1,",
    },
    Case {
        name: "K7 one minute over the quota is billed as one increment (F6)",
        approvals: "",
        timelog: "t1,2026-10-05,09:00,11:01,Anna,C1,,remote,ours,fix,a1,,Knapp drüber\n",
        expected: "t1,1,2026-10-05,C1,K5,covered,,120,,,,,,,,,
t1,2,2026-10-05,C1,K7;A1,billable,,1,15,remote,100.00,0,10,90.00,22.50,a1,",
    },
    Case {
        name: "K7 the split part keeps the surcharge of the entry's start (F6)",
        approvals: "",
        timelog: "t1,2026-10-05,08:00,09:30,Anna,C1,,remote,ours,fix,,,Morgens\nt2,2026-10-05,17:30,18:30,Anna,C1,,remote,ours,fix,a1,,Bis in den Abend\n",
        expected: "t1,1,2026-10-05,C1,K5,covered,,90,,,,,,,,,
t2,1,2026-10-05,C1,K5,covered,,30,,,,,,,,,
t2,2,2026-10-05,C1,K7;A1,billable,,30,30,remote,100.00,0,10,90.00,45.00,a1,",
    },
    Case {
        name: "K7 quota is consumed in (date, start, entry_id) order, not file order",
        approvals: "",
        timelog: "z9,2026-10-05,13:00,13:30,Anna,C1,,remote,ours,fix,a1,,Später\na0,2026-10-05,09:00,11:00,Anna,C1,,remote,ours,fix,,,Früher\n",
        expected: "a0,1,2026-10-05,C1,K5,covered,,120,,,,,,,,,
z9,1,2026-10-05,C1,K7;A1,billable,,30,30,remote,100.00,0,10,90.00,45.00,a1,",
    },
    Case {
        name: "K7 at the same date and start the entry_id decides, also past an 8-byte shared prefix",
        approvals: "",
        timelog: "entry-000b,2026-10-05,09:00,10:30,Bernd,C1,,remote,ours,fix,a1,,Zweiter\nentry-000a,2026-10-05,09:00,10:30,Anna,C1,,remote,ours,fix,,,Erster\n",
        expected: "entry-000a,1,2026-10-05,C1,K5,covered,,90,,,,,,,,,
entry-000b,1,2026-10-05,C1,K5,covered,,30,,,,,,,,,
entry-000b,2,2026-10-05,C1,K7;A1,billable,,60,60,remote,100.00,0,10,90.00,90.00,a1,",
    },
    Case {
        name: "K5 quota is per calendar month: a new month has the full hours again",
        approvals: "",
        timelog: "t1,2026-09-30,09:00,11:00,Anna,C1,,remote,ours,fix,,,Ende September\nt2,2026-10-01,09:00,10:00,Anna,C1,,remote,ours,fix,,,Anfang Oktober\n",
        expected: "t1,1,2026-09-30,C1,K5,covered,,120,,,,,,,,,
t2,1,2026-10-01,C1,K5,covered,,60,,,,,,,,,",
    },
    Case {
        name: "K8 no contract: on-demand work, no discount (F8)",
        approvals: "",
        timelog: "t1,2026-10-05,09:00,09:40,Anna,C2,,email,ours,support,o2,,Auf Abruf\n",
        expected: "t1,1,2026-10-05,C2,K8;A1,billable,,40,45,email,90.00,0,0,90.00,67.50,o2,",
    },
    Case {
        name: "A2 no-approval: held with price shown but no billed minutes or amount (F11)",
        approvals: "",
        timelog: "t1,2026-10-05,09:00,10:00,Anna,C1,,remote,third_party,fix,,,Ohne Freigabe\n",
        expected: "t1,1,2026-10-05,C1,K3;A2,held,no-approval,60,,remote,100.00,0,10,90.00,,,",
    },
    Case {
        name: "A2 approved-after-work",
        approvals: "late,C1,approval,2026-10-06,,,\n",
        timelog: "t1,2026-10-05,09:00,10:00,Anna,C1,,remote,third_party,fix,late,,Zu spät freigegeben\n",
        expected: "t1,1,2026-10-05,C1,K3;A2,held,approved-after-work,60,,remote,100.00,0,10,90.00,,late,",
    },
    Case {
        name: "A1 an approval granted on the day of the work counts as prior (F3)",
        approvals: "same,C1,approval,2026-10-05,2026-10-05,,\n",
        timelog: "t1,2026-10-05,09:00,10:00,Anna,C1,,remote,third_party,fix,same,,Am selben Tag\n",
        expected: "t1,1,2026-10-05,C1,K3;A1,billable,,60,60,remote,100.00,0,10,90.00,90.00,same,",
    },
    Case {
        name: "A2 approval-expired (valid_until is the last day, F3)",
        approvals: "exp,C1,approval,2026-09-01,2026-10-04,,\n",
        timelog: "t1,2026-10-05,09:00,10:00,Anna,C1,,remote,third_party,fix,exp,,Abgelaufen\n",
        expected: "t1,1,2026-10-05,C1,K3;A2,held,approval-expired,60,,remote,100.00,0,10,90.00,,exp,",
    },
    Case {
        name: "A2 ticket-mismatch, also for an entry without ticket (F9)",
        approvals: "tk,C1,approval,2026-10-01,,T-1,\n",
        timelog: "t1,2026-10-05,09:00,10:00,Anna,C1,T-2,remote,third_party,fix,tk,,Anderes Ticket\nt2,2026-10-05,11:00,12:00,Anna,C1,,remote,third_party,fix,tk,,Kein Ticket\nt3,2026-10-05,13:00,14:00,Anna,C1,T-1,remote,third_party,fix,tk,,Richtiges Ticket\n",
        expected: "t1,1,2026-10-05,C1,K3;A2,held,ticket-mismatch,60,,remote,100.00,0,10,90.00,,tk,
t2,1,2026-10-05,C1,K3;A2,held,ticket-mismatch,60,,remote,100.00,0,10,90.00,,tk,
t3,1,2026-10-05,C1,K3;A1,billable,,60,60,remote,100.00,0,10,90.00,90.00,tk,",
    },
    Case {
        name: "A2 reasons in F9 order: approved-after-work before ticket-mismatch; approval-expired before ticket-mismatch",
        approvals: "x1,C1,approval,2026-10-06,,T-9,\nx2,C1,approval,2026-10-01,2026-10-02,T-9,\n",
        timelog: "t1,2026-10-05,09:00,10:00,Anna,C1,T-2,remote,third_party,fix,x1,,Zwei Gründe\nt2,2026-10-05,11:00,12:00,Anna,C1,T-2,remote,third_party,fix,x2,,Zwei Gründe\n",
        expected: "t1,1,2026-10-05,C1,K3;A2,held,approved-after-work,60,,remote,100.00,0,10,90.00,,x1,
t2,1,2026-10-05,C1,K3;A2,held,approval-expired,60,,remote,100.00,0,10,90.00,,x2,",
    },
    Case {
        name: "A3 max_hours 0: everything over budget (F10)",
        approvals: "z,C1,approval,2026-10-01,,,0\n",
        timelog: "t1,2026-10-05,09:00,10:00,Anna,C1,,remote,third_party,fix,z,,Kein Budget\n",
        expected: "t1,1,2026-10-05,C1,K3;A3,held,over-budget,60,,remote,100.00,0,10,90.00,,z,",
    },
    Case {
        name: "A3 budget split: the largest multiple of the increment that fits is billable, the rest held with raw minutes (F10)",
        approvals: "b,C1,approval,2026-10-01,,,1\n",
        timelog: "t1,2026-10-05,09:00,09:45,Anna,C1,,remote,third_party,fix,b,,Erster Teil\nt2,2026-10-05,10:00,10:40,Anna,C1,,remote,third_party,fix,b,,Zweiter Teil\n",
        expected: "t1,1,2026-10-05,C1,K3;A1,billable,,45,45,remote,100.00,0,10,90.00,67.50,b,
t2,1,2026-10-05,C1,K3;A1,billable,,15,15,remote,100.00,0,10,90.00,22.50,b,
t2,2,2026-10-05,C1,K3;A3,held,over-budget,25,,remote,100.00,0,10,90.00,,b,",
    },
    Case {
        name: "A3 a fitting piece below the minimum holds the whole part; minutes left stay usable by later parts (F10)",
        approvals: "c,C1,approval,2026-10-01,,,0.5\n",
        timelog: "t1,2026-10-05,09:00,10:00,Anna,C1,,onsite,third_party,fix,c,,Vor Ort\nt2,2026-10-05,11:00,11:10,Anna,C1,,phone,third_party,fix,c,,Telefon\n",
        expected: "t1,1,2026-10-05,C1,K3;A3,held,over-budget,60,,onsite,120.00,0,10,108.00,,c,
t2,1,2026-10-05,C1,K3;A1,billable,,10,15,phone,90.00,0,10,81.00,20.25,c,",
    },
    Case {
        name: "A3 budgets run across months in chronological order",
        approvals: "m,C2,order,2026-09-01,,,1\n",
        timelog: "t2,2026-10-01,09:00,09:30,Anna,C2,,remote,ours,fix,m,,Oktober\nt1,2026-09-30,09:00,10:00,Anna,C2,,remote,ours,fix,m,,September\n",
        expected: "t1,1,2026-09-30,C2,K8;A1,billable,,60,60,remote,100.00,0,0,100.00,100.00,m,
t2,1,2026-10-01,C2,K8;A3,held,over-budget,30,,remote,100.00,0,0,100.00,,m,",
    },
    Case {
        name: "F1 work past midnight: 23:30-00:30 is 60 minutes of its date, night surcharge",
        approvals: "",
        timelog: "t1,2026-10-05,23:30,00:30,Anna,C2,,remote,ours,fix,o2,,Nachts\n",
        expected: "t1,1,2026-10-05,C2,K8;A1,billable,,60,60,remote,100.00,50,0,150.00,150.00,o2,",
    },
    Case {
        name: "F7 a holiday is `holiday`, not its weekday: 2026-10-03 is a Saturday (40) and a holiday (100)",
        approvals: "",
        timelog: "t1,2026-10-03,10:00,11:00,Anna,C2,,remote,ours,fix,o2,,Feiertag\nt2,2026-10-10,10:00,11:00,Anna,C2,,remote,ours,fix,o2,,Samstag\n",
        expected: "t1,1,2026-10-03,C2,K8;A1,billable,,60,60,remote,100.00,100,0,200.00,200.00,o2,
t2,1,2026-10-10,C2,K8;A1,billable,,60,60,remote,100.00,40,0,140.00,140.00,o2,",
    },
    Case {
        name: "F7 a window past midnight, tested on the entry's own date; windows are half-open",
        approvals: "",
        timelog: "t1,2026-10-06,01:00,01:30,Anna,C2,,remote,ours,fix,o2,,Früh\nt2,2026-10-06,06:00,06:30,Anna,C2,,remote,ours,fix,o2,,Sechs Uhr\nt3,2026-10-06,22:00,22:30,Anna,C2,,remote,ours,fix,o2,,Zweiundzwanzig Uhr\nt4,2026-10-09,18:00,18:30,Anna,C2,,remote,ours,fix,o2,,Freitagabend\n",
        expected: "t1,1,2026-10-06,C2,K8;A1,billable,,30,30,remote,100.00,50,0,150.00,75.00,o2,
t2,1,2026-10-06,C2,K8;A1,billable,,30,30,remote,100.00,0,0,100.00,50.00,o2,
t3,1,2026-10-06,C2,K8;A1,billable,,30,30,remote,100.00,50,0,150.00,75.00,o2,
t4,1,2026-10-09,C2,K8;A1,billable,,30,30,remote,100.00,25,0,125.00,62.50,o2,",
    },
    Case {
        name: "F7 the highest percent wins: a holiday night is 100, not 50",
        approvals: "",
        timelog: "t1,2026-10-03,23:00,23:30,Anna,C2,,remote,ours,fix,o2,,Feiertagsnacht\n",
        expected: "t1,1,2026-10-03,C2,K8;A1,billable,,30,30,remote,100.00,100,0,200.00,100.00,o2,",
    },
    Case {
        name: "RULES 5 the mid-month price change: old entries keep old prices",
        approvals: "",
        timelog: "t1,2026-10-14,10:00,11:00,Anna,C2,,remote,ours,fix,o2,,Vorher\nt2,2026-10-15,10:00,11:00,Anna,C2,,remote,ours,fix,o2,,Nachher\n",
        expected: "t1,1,2026-10-14,C2,K8;A1,billable,,60,60,remote,100.00,0,0,100.00,100.00,o2,
t2,1,2026-10-15,C2,K8;A1,billable,,60,60,remote,120.00,0,0,120.00,120.00,o2,",
    },
    Case {
        name: "F12 travel: one line per customer and day, on the first entry with a billable on-site part; held visits bring none",
        approvals: "",
        timelog: "t1,2026-10-05,09:00,09:30,Anna,C2,,onsite,ours,fix,o2,,Kurz vor Ort\nt2,2026-10-05,14:00,15:30,Anna,C2,,onsite,ours,fix,o2,,Nochmal vor Ort\nt3,2026-10-06,09:00,10:00,Anna,C2,,onsite,ours,fix,,,Ohne Auftrag\nt4,2026-10-06,11:00,12:00,Anna,C2,,onsite,ours,fix,o2,,Mit Auftrag\nt5,2026-10-07,09:00,10:00,Anna,C2,,onsite,ours,fix,,,Nur gehalten\n",
        expected: "t1,1,2026-10-05,C2,K8;A1,billable,,30,60,onsite,120.00,0,0,120.00,120.00,o2,
t1,2,2026-10-05,C2,travel,billable,,,,travel,50.00,0,0,50.00,50.00,o2,
t2,1,2026-10-05,C2,K8;A1,billable,,90,90,onsite,120.00,0,0,120.00,180.00,o2,
t3,1,2026-10-06,C2,K8;A2,held,no-approval,60,,onsite,120.00,0,0,120.00,,,
t4,1,2026-10-06,C2,K8;A1,billable,,60,60,onsite,120.00,0,0,120.00,120.00,o2,
t4,2,2026-10-06,C2,travel,billable,,,,travel,50.00,0,0,50.00,50.00,o2,
t5,1,2026-10-07,C2,K8;A2,held,no-approval,60,,onsite,120.00,0,0,120.00,,,",
    },
];

#[test]
fn rule_table() {
    let mut failures = Vec::new();
    for case in CASES {
        let t = Texts::with(case.approvals, case.timelog);
        let (ds, parts) = decide_texts(&t);
        let got = charges(&ds, &parts);
        let want: Vec<&str> = case.expected.lines().collect();
        if got != want {
            failures.push(format!(
                "{}\n  expected:\n    {}\n  got:\n    {}",
                case.name,
                want.join("\n    "),
                got.join("\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}

#[test]
fn spec_example_numbers() {
    // RULES 9 as a library call; the CLI golden test covers the same file.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/spec-example");
    let raw = faktura::load::load(&dir).unwrap();
    let ds = faktura::validate::validate(&raw).dataset.unwrap();
    let parts = faktura::decide::decide(&ds);
    let amounts: Vec<String> = parts
        .iter()
        .filter_map(|p| p.amount())
        .map(|a| a.to_string())
        .collect();
    assert_eq!(amounts, ["43.20", "27.00"]);
}
