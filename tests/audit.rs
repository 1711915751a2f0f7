//! An auditor's second implementation: every `amount` and `unit_price` of the
//! demo month's `charges.csv` recomputed from the CSV inputs alone, with
//! integer arithmetic in this file (no call into faktura's pricing): the rate
//! row by date, the surcharge row by day and window, the contract discount,
//! then `unit_price = round2(price * (100 + s) / 100 * (100 - d) / 100)` and
//! `amount = round2(unit_price * billed_minutes / 60)`, rounding half away
//! from zero.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

type Row = HashMap<String, String>;

fn read(path: PathBuf) -> Vec<Row> {
    let mut r = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let h: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|x| {
            h.iter()
                .cloned()
                .zip(x.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// A plain decimal as an integer scaled by 10^4 (money and percentages have
/// at most 4 decimals here).
fn scaled(s: &str) -> i128 {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let frac = format!("{frac:0<4}");
    int.parse::<i128>().unwrap() * 10_000 + frac[..4].parse::<i128>().unwrap()
}

/// num/den rounded half away from zero (both positive here).
fn round_div(num: i128, den: i128) -> i128 {
    (2 * num + den) / (2 * den)
}

fn cents(s: &str) -> i128 {
    scaled(s) / 100
}

fn minutes_of(t: &str) -> i64 {
    let (h, m) = t.split_once(':').unwrap();
    h.parse::<i64>().unwrap() * 60 + m.parse::<i64>().unwrap()
}

fn weekday(date: &str) -> &'static str {
    // Zeller-like: days since 1970-01-01 (a Thursday).
    let y: i64 = date[0..4].parse().unwrap();
    let m: i64 = date[5..7].parse().unwrap();
    let d: i64 = date[8..10].parse().unwrap();
    let (y2, m2) = if m <= 2 { (y - 1, m + 12) } else { (y, m) };
    let days = 365 * y2 + y2 / 4 - y2 / 100 + y2 / 400 + (153 * (m2 - 3) + 2) / 5 + d - 719469;
    ["thu", "fri", "sat", "sun", "mon", "tue", "wed"][days.rem_euclid(7) as usize]
}

#[test]
fn every_amount_of_the_demo_charges_is_reproducible_from_the_csv_inputs() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let st = Command::new(env!("CARGO_BIN_EXE_faktura"))
        .args([
            "run",
            "--data",
            "fixtures/demo",
            "--period",
            "2026-10",
            "--out",
        ])
        .arg(&out)
        .current_dir(&root)
        .status()
        .unwrap();
    assert!(st.success());
    let charges = read(out.join("charges.csv"));
    let entries: HashMap<String, Row> = read(root.join("fixtures/demo/timelog.csv"))
        .into_iter()
        .map(|r| (r["entry_id"].clone(), r))
        .collect();
    let contracts = read(root.join("fixtures/demo/contracts.csv"));
    let rates = read(root.join("rates/rates.csv"));
    let surcharges = read(root.join("rates/surcharges.csv"));
    let holidays: Vec<String> = read(root.join("rates/holidays.csv"))
        .into_iter()
        .map(|r| r["date"].clone())
        .collect();

    let mut checked = 0;
    for c in charges.iter().filter(|c| !c["unit_price"].is_empty()) {
        let e = &entries[&c["entry_id"]];
        let date = &c["date"];
        // The rate row: latest valid_from on or before the date (ISO dates sort as text).
        let rate = rates
            .iter()
            .filter(|r| r["code"] == c["rate_code"] && r["valid_from"] <= *date)
            .max_by(|a, b| a["valid_from"].cmp(&b["valid_from"]))
            .unwrap();
        assert_eq!(
            rate["price"], c["price"],
            "{}#{} price",
            c["entry_id"], c["part"]
        );
        // The discount: the contract active on the date.
        let discount = contracts
            .iter()
            .find(|k| {
                k["customer_id"] == c["customer_id"]
                    && k["start"] <= *date
                    && (k["end"].is_empty() || k["end"] >= *date)
            })
            .map_or("0".to_string(), |k| k["discount_percent"].clone());
        assert_eq!(
            scaled(&discount),
            scaled(&c["discount_percent"]),
            "{}#{} discount",
            c["entry_id"],
            c["part"]
        );
        // The surcharge: by the entry's start, holiday replaces the weekday.
        let surcharge = if c["rule"] == "travel" {
            0
        } else {
            let day = if holidays.contains(date) {
                "holiday"
            } else {
                weekday(date)
            };
            let start = minutes_of(&e["start"]);
            let mut codes: HashMap<&str, &Row> = HashMap::new();
            for s in surcharges.iter().filter(|s| s["valid_from"] <= *date) {
                let keep = codes
                    .get(s["code"].as_str())
                    .is_none_or(|o| o["valid_from"] < s["valid_from"]);
                if keep {
                    codes.insert(&s["code"], s);
                }
            }
            codes
                .values()
                .filter(|s| s["days"].split(';').any(|d| d == day))
                .filter(|s| {
                    let (from, to) = (minutes_of(&s["from"]), minutes_of(&s["to"]));
                    from == to
                        || (from < to && from <= start && start < to)
                        || (from > to && (start >= from || start < to))
                })
                .map(|s| scaled(&s["percent"]))
                .max()
                .unwrap_or(0)
        };
        assert_eq!(
            surcharge,
            scaled(&c["surcharge_percent"]),
            "{}#{} surcharge",
            c["entry_id"],
            c["part"]
        );
        // unit_price in cents: price * (100 + s)/100 * (100 - d)/100, scaled by 10^4 each.
        let num = cents(&c["price"]) * (1_000_000 + surcharge) * (1_000_000 - scaled(&discount));
        let unit = round_div(num, 1_000_000 * 1_000_000);
        assert_eq!(
            unit,
            cents(&c["unit_price"]),
            "{}#{} unit_price",
            c["entry_id"],
            c["part"]
        );
        if c["outcome"] == "billable" {
            let amount = if c["rule"] == "travel" {
                unit
            } else {
                let billed: i128 = c["billed_minutes"].parse().unwrap();
                let minutes: i128 = c["minutes"].parse().unwrap();
                let inc: i128 = rate["increment_minutes"].parse().unwrap();
                let min: i128 = rate["minimum_minutes"].parse().unwrap();
                // Held-over budget splits bill exactly their raw minutes (F10).
                let expected_billed = (((minutes + inc - 1) / inc) * inc).max(min);
                assert_eq!(
                    billed, expected_billed,
                    "{}#{} billed_minutes",
                    c["entry_id"], c["part"]
                );
                round_div(unit * billed, 60)
            };
            assert_eq!(
                amount,
                cents(&c["amount"]),
                "{}#{} amount",
                c["entry_id"],
                c["part"]
            );
            checked += 1;
        }
    }
    assert!(checked > 80, "only {checked} billable rows checked");
}
