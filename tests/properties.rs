//! Properties of the decision and the arithmetic over random time logs on the
//! `common` data set (RULES 4, 5, 7): parts add up, billed minutes round
//! correctly, amounts follow the formula, and row order of any input file
//! changes no byte of `charges.csv`.

mod common;
use common::*;
use faktura::decide::{Outcome, Rule};
use faktura::money::round2;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;

const CHANNELS: &[&str] = &["phone", "email", "ticket", "remote", "onsite"];
const RESP: &[&str] = &["ours", "third_party", "tampering"];
const ACT: &[&str] = &["diagnosis", "referral", "fix", "support"];

/// Approvals with small budgets, tickets and expiry so that A2 and A3 occur.
const EXTRA_APPROVALS: &str = "b1,C1,approval,2026-10-01,,,1.5
b2,C2,order,2026-09-15,2026-10-20,,2
b3,C3,approval,2026-10-10,,T-7,0.75
b4,C1,approval,2026-10-12,2026-10-25,T-7,
";

fn entry_row() -> impl Strategy<Value = String> {
    (
        0usize..3,
        1u32..=31,
        0u16..1440,
        1u16..300,
        0usize..5,
        0usize..3,
        0usize..4,
        0usize..7,
        0usize..3,
        0usize..10,
        0usize..10,
    )
        .prop_map(|(c, day, start, dur, ch, r, a, ap, tk, proj, m)| {
            // Mostly one month; sometimes a year or more apart, so that the
            // chronological order is also made by comparison, not only by
            // counting minutes (decide::chronological).
            let month = match m {
                0 => "2027-07",
                1 => "2028-01",
                _ => "2026-10",
            };
            let customer = ["C1", "C2", "C3"][c];
            let end = (start + dur) % 1440;
            let approval = match (ap, customer) {
                (0, _) => "",
                (1, "C1") => "a1",
                (1, "C2") => "o2",
                (2, "C1") => "b1",
                (2, "C2") => "b2",
                (2, "C3") => "b3",
                (3, "C1") => "b4",
                _ => "",
            };
            let ticket = ["", "T-7", "T-8"][tk];
            let project = if customer == "C1" && proj == 0 { "P1" } else { "" };
            format!(
                "{{id}},{month}-{day:02},{:02}:{:02},{:02}:{:02},{{staff}},{customer},{ticket},{},{},{},{approval},{project},Arbeit",
                start / 60,
                start % 60,
                end / 60,
                end % 60,
                CHANNELS[ch],
                RESP[r],
                ACT[a]
            )
        })
}

fn timelog(rows: &[String]) -> String {
    rows.iter()
        .enumerate()
        // Each entry its own staff member: overlaps are warnings anyway.
        .map(|(i, r)| {
            r.replace("{id}", &format!("e{i:03}"))
                .replace("{staff}", &format!("S{i}"))
                + "\n"
        })
        .collect()
}

/// Shuffles the body rows of a CSV text by a permutation seed.
fn shuffle(text: &str, seed: u64) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    let mut s = seed | 1;
    for i in (1..lines.len()).rev() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        lines.swap(i, (s % (i as u64 + 1)) as usize);
    }
    let mut out = String::from(header);
    out.push('\n');
    for l in lines {
        out.push_str(l);
        out.push('\n');
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn parts_add_up_and_amounts_follow_the_formula(rows in prop::collection::vec(entry_row(), 1..40)) {
        let t = Texts::with(EXTRA_APPROVALS, &timelog(&rows));
        let (ds, parts) = decide_texts(&t);
        let mut minutes: HashMap<usize, u32> = HashMap::new();
        for p in &parts {
            if p.rule != Rule::Travel {
                *minutes.entry(p.entry).or_default() += p.minutes.get().unwrap();
            }
            if let (Some(b), Some(pr)) = (p.billed_minutes.get(), &p.priced) {
                let rate = ds.rate_card.rate_on(&pr.rate_code, ds.entries[p.entry].date).unwrap();
                let m = p.minutes.get().unwrap();
                prop_assert!(b >= m, "billed {b} < minutes {m}");
                prop_assert!(b % rate.increment_minutes == 0 || b == rate.minimum_minutes);
                prop_assert!(b >= rate.minimum_minutes);
                let amount = round2(pr.unit_price * Decimal::from(b) / Decimal::from(60));
                prop_assert_eq!(p.amount(), Some(amount));
            }
            // Only billable rows carry an amount (F11).
            prop_assert_eq!(p.amount().is_some(), p.outcome == Outcome::Billable);
        }
        for (i, e) in ds.entries.iter().enumerate() {
            prop_assert_eq!(minutes.get(&i).copied(), Some(e.minutes()), "entry {}", e.id());
        }
        // Parts come in (date, start, entry_id) order (RULES 4).
        let key = |p: &faktura::decide::Part| {
            let e = &ds.entries[p.entry];
            (e.date, e.start, e.id())
        };
        for w in parts.windows(2) {
            prop_assert!(key(&w[0]) <= key(&w[1]), "{:?} after {:?}", key(&w[1]), key(&w[0]));
        }
    }

    #[test]
    fn approval_budgets_are_never_exceeded(rows in prop::collection::vec(entry_row(), 1..40)) {
        let t = Texts::with(EXTRA_APPROVALS, &timelog(&rows));
        let (ds, parts) = decide_texts(&t);
        let mut used: HashMap<String, u32> = HashMap::new();
        for p in parts.iter().filter(|p| p.rule != Rule::Travel) {
            if let (Some(a), Some(b)) = (p.approval(&ds), p.billed_minutes.get()) {
                *used.entry(a.to_string()).or_default() += b;
            }
        }
        for (a, m) in used {
            let ap = ds.approvals.iter().find(|x| x.id.as_str() == a).unwrap();
            if let Some(max) = ap.max_minutes {
                prop_assert!(m <= max, "approval {a}: {m} > {max}");
            }
        }
    }

    #[test]
    fn row_order_of_any_input_changes_no_byte(rows in prop::collection::vec(entry_row(), 1..40), seed in any::<u64>()) {
        let t = Texts::with(EXTRA_APPROVALS, &timelog(&rows));
        let (ds, parts) = decide_texts(&t);
        let before = faktura::render::csv::charges(&ds, &parts.iter().collect::<Vec<_>>());
        let mut s = Texts::with(EXTRA_APPROVALS, &timelog(&rows));
        s.customers = shuffle(&s.customers, seed);
        s.contracts = shuffle(&s.contracts, seed ^ 1);
        s.approvals = shuffle(&s.approvals, seed ^ 2);
        s.projects = shuffle(&s.projects, seed ^ 3);
        s.timelog = shuffle(&s.timelog, seed ^ 4);
        s.rates = shuffle(&s.rates, seed ^ 5);
        s.surcharges = shuffle(&s.surcharges, seed ^ 6);
        let (ds2, parts2) = decide_texts(&s);
        let after = faktura::render::csv::charges(&ds2, &parts2.iter().collect::<Vec<_>>());
        prop_assert_eq!(String::from_utf8(before).unwrap(), String::from_utf8(after).unwrap());
    }
}
