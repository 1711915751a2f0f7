//! A billing period: one calendar month, written `YYYY-MM`.

use chrono::{Datelike, NaiveDate};
use std::fmt;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Period {
    pub year: i32,
    pub month: u32,
}

impl Period {
    pub fn parse(s: &str) -> Option<Period> {
        let b = s.as_bytes();
        if b.len() != 7
            || b[4] != b'-'
            || !b
                .iter()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit())
        {
            return None;
        }
        let year = s[..4].parse().ok()?;
        let month = s[5..].parse().ok()?;
        (1..=12).contains(&month).then_some(Period { year, month })
    }
    pub fn of(d: NaiveDate) -> Period {
        Period {
            year: d.year(),
            month: d.month(),
        }
    }
    pub fn first_day(self) -> NaiveDate {
        // Month 1..=12 by construction.
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid month")
    }
    pub fn last_day(self) -> NaiveDate {
        self.next()
            .first_day()
            .pred_opt()
            .expect("not the first day ever")
    }
    pub fn days(self) -> u32 {
        self.last_day().day()
    }
    pub fn next(self) -> Period {
        if self.month == 12 {
            Period {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Period {
                year: self.year,
                month: self.month + 1,
            }
        }
    }
    pub fn contains(self, d: NaiveDate) -> bool {
        Period::of(d) == self
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}
