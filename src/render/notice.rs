//! The documents that come before the work (SPEC 11): the cost notice with
//! its reply slip (E3), the price list (Verrechnungssätze) and the project
//! offer, as PDFs in the invoice's letter layout (`pdf.rs`'s letterhead,
//! address window, footer and fonts), and their CSVs. Decides nothing: the
//! estimate, the price list and the offer arrive computed.

use crate::estimate::Estimate;
use crate::money::money;
use crate::render::csv::writer;

/// `estimate.csv` (E2): the items' parts in the columns and order of
/// `charges.csv`, `approval_id` and `invoice_no` empty.
pub fn estimate_csv(est: &Estimate) -> Vec<u8> {
    let parts: Vec<&crate::decide::Part> = est.parts.iter().collect();
    crate::render::csv::charges(&est.ds, &parts)
}

/// `approvals-proposed.csv` (E4): one row per customer with chargeable
/// items, in the columns of `approvals.csv`, `granted_on` empty.
pub fn proposals_csv(est: &Estimate) -> Vec<u8> {
    let mut w = writer();
    w.write_record(crate::validate::APPROVALS)
        .expect("write to memory");
    for (customer, p) in crate::estimate::proposals(est) {
        w.write_record([
            p.id.as_str(),
            customer.as_str(),
            p.kind.as_str(),
            "",
            &p.valid_until.to_string(),
            p.ticket.as_deref().unwrap_or(""),
            &crate::money::percent(p.max_hours),
        ])
        .expect("write to memory");
    }
    w.into_inner().expect("flush to memory")
}

/// Every file of an estimate but the manifest: `estimate.csv`,
/// `approvals-proposed.csv` and one notice PDF per customer.
pub fn estimate_files(est: &Estimate) -> crate::Files {
    let mut files = vec![
        ("estimate.csv".to_string(), estimate_csv(est)),
        ("approvals-proposed.csv".to_string(), proposals_csv(est)),
    ];
    let _ = money;
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}
