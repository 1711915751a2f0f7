//! The only place that opens input files: the data folder and the rate card
//! folder its `company.toml` names, read whole into memory as bytes. What the
//! bytes mean is `validate`'s business.

use std::path::{Path, PathBuf};

/// One input file: its name as messages show it, its path, and its bytes
/// (`None` when the file does not exist).
#[derive(Clone, Debug)]
pub struct Source {
    pub name: String,
    pub path: PathBuf,
    pub bytes: Option<Vec<u8>>,
}

impl Source {
    /// An in-memory source, for tests and generated data.
    pub fn text(name: &str, text: &str) -> Source {
        Source {
            name: name.to_string(),
            path: PathBuf::from(name),
            bytes: Some(text.as_bytes().to_vec()),
        }
    }
    /// A file that is not there (an optional input left out).
    pub fn absent(name: &str) -> Source {
        Source {
            name: name.to_string(),
            path: PathBuf::from(name),
            bytes: None,
        }
    }
}

/// Every input file of a data set, unread meaning.
#[derive(Clone, Debug)]
pub struct RawInputs {
    pub company: Source,
    pub customers: Source,
    pub contracts: Source,
    pub approvals: Source,
    pub projects: Source,
    pub acceptances: Source,
    pub timelog: Source,
    /// Optional `einvoice.csv` (absent: EN 16931 for everyone).
    pub einvoice: Source,
    /// The rate card files; absent when `company.toml` names no folder.
    pub rate_card: Option<RateCardSources>,
}

#[derive(Clone, Debug)]
pub struct RateCardSources {
    pub rates: Source,
    pub surcharges: Source,
    pub holidays: Source,
}

impl RawInputs {
    pub fn sources(&self) -> Vec<&Source> {
        let mut v = vec![
            &self.company,
            &self.customers,
            &self.contracts,
            &self.approvals,
            &self.projects,
            &self.acceptances,
            &self.timelog,
        ];
        if self.einvoice.bytes.is_some() {
            v.push(&self.einvoice);
        }
        if let Some(rc) = &self.rate_card {
            v.extend([&rc.rates, &rc.surcharges, &rc.holidays]);
        }
        v
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("data folder {0} does not exist or is not a folder")]
    NoDataDir(PathBuf),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn read(dir: &Path, file: &str, name: String) -> Result<Source, LoadError> {
    let path = dir.join(file);
    let bytes = match std::fs::read(&path) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(LoadError::Read { path, source: e }),
    };
    Ok(Source { name, path, bytes })
}

/// Reads every input of the data folder `dir`.
pub fn load(dir: &Path) -> Result<RawInputs, LoadError> {
    if !dir.is_dir() {
        return Err(LoadError::NoDataDir(dir.to_path_buf()));
    }
    let data = |f: &str| read(dir, f, f.to_string());
    let company = data("company.toml")?;
    let rate_card = match company
        .bytes
        .as_deref()
        .and_then(|b| rates_folder(&String::from_utf8_lossy(b)))
    {
        Some(folder) => {
            let rdir = dir.join(&folder);
            let card = |f: &str| read(&rdir, f, format!("{}/{f}", folder.trim_end_matches('/')));
            Some(RateCardSources {
                rates: card("rates.csv")?,
                surcharges: card("surcharges.csv")?,
                holidays: card("holidays.csv")?,
            })
        }
        None => None,
    };
    Ok(RawInputs {
        company,
        customers: data("customers.csv")?,
        contracts: data("contracts.csv")?,
        approvals: data("approvals.csv")?,
        projects: data("projects.csv")?,
        acceptances: data("acceptances.csv")?,
        timelog: data("timelog.csv")?,
        einvoice: data(crate::einvoice::FILE)?,
        rate_card,
    })
}

/// The `rates` key of `company.toml`, if it is a string.
pub fn rates_folder(toml_text: &str) -> Option<String> {
    let table: toml::Table = toml_text.parse().ok()?;
    table.get("rates")?.as_str().map(str::to_string)
}

/// The data folder's ledger (`None` before the first issue).
pub fn ledger(dir: &Path) -> Result<Source, LoadError> {
    read(dir, crate::ledger::FILE, crate::ledger::FILE.to_string())
}
