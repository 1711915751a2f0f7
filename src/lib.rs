//! faktura: turns staff time logs and project completions into invoices, by
//! the company's cost decision scheme (SPEC.md).
//!
//! # Glossary
//! - **entry**: one piece of staff work from `timelog.csv`.
//! - **part**: an entry's decided piece; an entry splits into parts at a
//!   contract's monthly quota (K5/K7) or an approval's budget (A3).
//! - **rule**: K1..K8 decide who pays, A1..A3 whether consent exists.
//! - **covered**: free under the maintenance contract (K5).
//! - **referral**: free pointer to the responsible third party (K2).
//! - **billable**: chargeable and approved (A1): goes on an invoice.
//! - **held**: chargeable without valid consent (A2/A3): reported, never billed.
//! - **rate card**: prices, surcharges and holidays (`rates/`).
//! - **approval**: the customer's prior consent (order form or Freigabe).
//! - **ledger**: what was issued, so nothing is billed or numbered twice.
//!
//! # The pipeline
//! `load` (files -> bytes) -> `validate` (bytes -> typed `Dataset` +
//! diagnostics) -> `decide` (entries -> parts, K1..K8, A1..A3) -> `price`
//! (rates, surcharges, discounts, the two formulas) -> `invoice` -> `render`.
//! Only `load` and `write` touch the file system.

pub mod cli;
pub mod cmd;
pub mod decide;
pub mod diagnostic;
pub mod explain;
pub mod invoice;
pub mod ledger;
pub mod load;
pub mod model;
pub mod period;
pub mod price;
pub mod render;
pub mod table;
pub mod validate;
pub mod write;
