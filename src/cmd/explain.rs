//! `faktura explain`: how one entry was decided and priced.

use crate::{decide, explain};
use std::path::Path;

pub fn run(data: &Path, entry: &str) -> u8 {
    let (raw, ds, _) = match super::load_valid(data) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let Some(i) = ds.entries.iter().position(|e| e.id() == entry) else {
        eprintln!(
            "faktura: no entry '{entry}' in {} (expected an entry_id of timelog.csv)",
            raw.timelog.path.display()
        );
        return super::USAGE;
    };
    let parts = decide::decide(&ds);
    let (rates, surcharges) = raw
        .rate_card
        .as_ref()
        .map_or(("rates.csv".into(), "surcharges.csv".into()), |r| {
            (r.rates.name.clone(), r.surcharges.name.clone())
        });
    print!("{}", explain::explain(&ds, &parts, i, &rates, &surcharges));
    super::OK
}
