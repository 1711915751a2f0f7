//! E1 as a property (RULES 11): for random time logs and random plans on the
//! `common` data set, logging the plan's items with the proposed approvals
//! granted gives, part by part, exactly the estimated rows of
//! `charges.csv`: same rule, outcome, minutes, billed minutes, prices and
//! amounts, whatever the items' dates relative to the logged work.

mod common;
use common::*;
use faktura::estimate;
use faktura::model::*;
use faktura::plan::Item;
use proptest::prelude::*;

const CHANNELS: [Channel; 5] = Channel::ALL;
const RESP: [Responsibility; 3] = [
    Responsibility::Ours,
    Responsibility::ThirdParty,
    Responsibility::Tampering,
];
const ACT: [Activity; 4] = [
    Activity::Diagnosis,
    Activity::Referral,
    Activity::Fix,
    Activity::Support,
];

type Work = (usize, u32, u16, u16, usize, usize, usize, usize);

fn work() -> impl Strategy<Value = Work> {
    (
        0usize..3,
        1u32..=30,
        0u16..1440,
        1u16..200,
        0usize..5,
        0usize..3,
        0usize..4,
        0usize..3,
    )
}

fn hhmm(m: u16) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// A logged entry; approval a1 (C1) or o2 (C2) where `w.7` says so.
fn logged_row(i: usize, w: &Work) -> String {
    let (c, day, start, dur, ch, r, a, ap) = *w;
    let customer = ["C1", "C2", "C3"][c];
    let approval = match (ap, customer) {
        (1, "C1") => "a1",
        (1, "C2") => "o2",
        _ => "",
    };
    format!(
        "e{i:03},2026-10-{day:02},{},{},S{i},{customer},,{},{},{},{approval},,Arbeit\n",
        hhmm(start),
        hhmm((start + dur) % 1440),
        CHANNELS[ch].as_str(),
        RESP[r].as_str(),
        ACT[a].as_str()
    )
}

fn item(k: usize, w: &Work) -> Item {
    let (c, day, start, dur, ch, r, a, tk) = *w;
    Item {
        id: format!("i{k:03}"),
        customer: CustomerId::new(["C1", "C2", "C3"][c]),
        date: chrono::NaiveDate::from_ymd_opt(2026, 10, day).unwrap(),
        start,
        end: (start + dur) % 1440,
        channel: CHANNELS[ch],
        responsibility: RESP[r],
        activity: ACT[a],
        ticket: [None, Some("T-1"), Some("T-2")][tk].map(str::to_string),
        description: "Geplant".into(),
        line: k as u64 + 2,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn e1_logged_items_are_billed_as_estimated(
        logged in prop::collection::vec(work(), 0..25),
        planned in prop::collection::vec(work(), 1..12),
    ) {
        let log: String = logged.iter().enumerate().map(|(i, w)| logged_row(i, w)).collect();
        let ds = Texts::with("", &log).dataset();
        let items: Vec<Item> = planned.iter().enumerate().map(|(k, w)| item(k, w)).collect();
        let est = estimate::estimate(&ds, &items, None);
        let estimated = charges(&est.ds, &est.parts);

        // The customer signs: proposed approvals granted on the notice's
        // date (the earliest item date), the items logged naming them.
        let mut approvals = String::new();
        for (customer, p) in estimate::proposals(&est) {
            approvals.push_str(&format!(
                "{},{customer},{},{},{},{},{}\n",
                p.id,
                p.kind.as_str(),
                est.date,
                p.valid_until,
                p.ticket.as_deref().unwrap_or(""),
                p.max_hours
            ));
        }
        let proposal_of = |c: &CustomerId| {
            estimate::proposals(&est)
                .into_iter()
                .find(|(x, _)| *x == c)
                .map(|(_, p)| p.id.to_string())
                .unwrap_or_default()
        };
        let mut log2 = log.clone();
        for it in &items {
            log2.push_str(&format!(
                "{},{},{},{},Plan,{},{},{},{},{},{},,Geplant\n",
                it.id,
                it.date,
                hhmm(it.start),
                hhmm(it.end),
                it.customer,
                it.ticket.as_deref().unwrap_or(""),
                it.channel.as_str(),
                it.responsibility.as_str(),
                it.activity.as_str(),
                proposal_of(&it.customer)
            ));
        }
        let ds2 = Texts::with(&approvals, &log2).dataset();
        let parts = faktura::decide::decide(&ds2);
        let billed: Vec<String> = charges(&ds2, &parts)
            .into_iter()
            .filter(|r| r.starts_with('i'))
            .collect();
        prop_assert!(estimated.len() >= items.len());
        prop_assert_eq!(billed.len(), estimated.len());
        for (e, b) in estimated.iter().zip(&billed) {
            let e: Vec<&str> = e.split(',').collect();
            let b: Vec<&str> = b.split(',').collect();
            prop_assert_eq!(&e[..15], &b[..15]);
            prop_assert_ne!(b[5], "held");
        }
    }
}

/// E4: a proposed id never equals an approval on file.
#[test]
fn e4_a_proposed_id_never_equals_an_existing_approval() {
    let ds = Texts::with(
        "EST-20261005-C2,C2,order,2026-09-01,,,\nEST-20261005-C2-2,C2,order,2026-09-01,,,\n",
        "",
    )
    .dataset();
    let w: Work = (1, 5, 600, 30, 3, 0, 2, 0);
    let est = estimate::estimate(&ds, &[item(0, &w)], None);
    let proposed = estimate::proposals(&est);
    assert_eq!(proposed.len(), 1);
    assert_eq!(proposed[0].1.id.as_str(), "EST-20261005-C2-3");
    assert_eq!(
        proposed[0].1.kind,
        ApprovalKind::Order,
        "C2 has no contract"
    );
}
