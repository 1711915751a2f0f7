//! The only place that opens input files: the data folder and the rate card
//! folder its `company.toml` names, read whole into memory as bytes, except
//! the time log, which is read in blocks while it is validated (a large one
//! would otherwise be held whole next to what it becomes). What the bytes
//! mean is `validate`'s business. `faktura verify` also reads an output folder
//! back through it (`output_file`, `folder_names`).

use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// One input file: its name as messages show it, its path, and its bytes
/// (`None` when the file does not exist, or when it is `streamed`).
#[derive(Clone, Debug)]
pub struct Source {
    pub name: String,
    pub path: PathBuf,
    pub bytes: Option<Vec<u8>>,
    /// Set for a file that exists and is read in blocks (`blocks`).
    pub streamed: Option<Streamed>,
}

/// What reading a streamed file saw: its size and sha256 once read to the
/// end, so that the manifest names exactly the bytes that were validated.
#[derive(Clone, Debug, Default)]
pub struct Streamed {
    seen: Arc<OnceLock<(u64, String)>>,
}

/// Blocks of a file's bytes, in order; an error ends them. A block the
/// parser is done with goes back to the reader (`give_back`) to be filled
/// again: its pages are in memory already, where a fresh block's pages
/// fault in one by one (measured: 2,200 fewer page faults in a run of the
/// 1M benchmark set).
pub struct Blocks {
    blocks: Box<dyn Iterator<Item = std::io::Result<Vec<u8>>> + Send>,
    spent: Option<std::sync::mpsc::SyncSender<Vec<u8>>>,
}

impl Iterator for Blocks {
    type Item = std::io::Result<Vec<u8>>;
    fn next(&mut self) -> Option<Self::Item> {
        self.blocks.next()
    }
}

impl crate::table::BlockSource for Blocks {
    fn give_back(&mut self, spent: Vec<u8>) {
        if let Some(tx) = &self.spent {
            // When the reader has spare blocks enough, this one is freed.
            let _ = tx.try_send(spent);
        }
    }
}

/// Size of the blocks a streamed file is read in.
pub const BLOCK: usize = 1 << 20;

impl Source {
    /// An in-memory source, for tests and generated data.
    pub fn text(name: &str, text: &str) -> Source {
        Source {
            name: name.to_string(),
            path: PathBuf::from(name),
            bytes: Some(text.as_bytes().to_vec()),
            streamed: None,
        }
    }
    /// A file that is not there (an optional input left out).
    pub fn absent(name: &str) -> Source {
        Source {
            name: name.to_string(),
            path: PathBuf::from(name),
            bytes: None,
            streamed: None,
        }
    }
    pub fn exists(&self) -> bool {
        self.bytes.is_some() || self.streamed.is_some()
    }
    /// The bytes in blocks of `size` (`None`: no such file). A streamed
    /// file is read by a thread of its own, one block ahead, and hashed on
    /// the way.
    pub fn blocks(&self, size: usize) -> Option<Blocks> {
        if let Some(bytes) = &self.bytes {
            let blocks: Vec<Vec<u8>> = bytes.chunks(size.max(1)).map(<[u8]>::to_vec).collect();
            return Some(Blocks {
                blocks: Box::new(blocks.into_iter().map(Ok)),
                spent: None,
            });
        }
        let seen = self.streamed.as_ref()?.seen.clone();
        let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<u8>>>(1);
        let (spent_tx, spent_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
        let path = self.path.clone();
        std::thread::spawn(move || {
            let mut file = match std::fs::File::open(&path) {
                Ok(f) => f,
                Err(e) => return drop(tx.send(Err(e))),
            };
            let (mut hash, mut size_seen) = (Sha256::new(), 0u64);
            // Blocks end after their last LF, the rest starts the next one:
            // the parser can then take a block over as it is instead of
            // copying it behind the unfinished line of the one before.
            let mut carry: Vec<u8> = Vec::new();
            loop {
                let mut block = spent_rx.try_recv().unwrap_or_default();
                block.clear();
                block.reserve_exact(size + carry.len());
                block.append(&mut carry);
                let old = block.len();
                match (&mut file).take(size as u64).read_to_end(&mut block) {
                    Ok(0) => {
                        if !block.is_empty() {
                            let _ = tx.send(Ok(block));
                        }
                        break;
                    }
                    Ok(n) => {
                        hash.update(&block[old..]);
                        size_seen += n as u64;
                        if let Some(lf) = memchr::memrchr(b'\n', &block) {
                            carry = block[lf + 1..].to_vec();
                            block.truncate(lf + 1);
                        }
                        if tx.send(Ok(block)).is_err() {
                            return; // the reader stopped early
                        }
                    }
                    Err(e) => return drop(tx.send(Err(e))),
                }
            }
            let digest = crate::manifest::hex(&hash.finalize());
            let _ = seen.set((size_seen, digest));
        });
        Some(Blocks {
            blocks: Box::new(rx.into_iter()),
            spent: Some(spent_tx),
        })
    }
    /// The size in bytes, as far as known without reading (0 if not).
    pub fn size_hint(&self) -> u64 {
        match &self.bytes {
            Some(b) => b.len() as u64,
            None => std::fs::metadata(&self.path).map_or(0, |m| m.len()),
        }
    }
    /// Size and sha256 of the file as read (a streamed file that was not
    /// read to the end is read now).
    pub fn size_and_sha256(&self) -> std::io::Result<(u64, String)> {
        if let Some(b) = &self.bytes {
            return Ok((b.len() as u64, crate::manifest::sha256(b)));
        }
        let Some(s) = &self.streamed else {
            return Ok((0, crate::manifest::sha256(&[])));
        };
        if let Some(seen) = s.seen.get() {
            return Ok(seen.clone());
        }
        let bytes = std::fs::read(&self.path)?;
        Ok((bytes.len() as u64, crate::manifest::sha256(&bytes)))
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
        if self.einvoice.exists() {
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
    Ok(Source {
        name,
        path,
        bytes,
        streamed: None,
    })
}

/// A file read later in blocks (`Source::blocks`); only whether it exists
/// is checked now.
fn stream(dir: &Path, file: &str) -> Result<Source, LoadError> {
    let path = dir.join(file);
    let streamed = match std::fs::metadata(&path) {
        Ok(m) if m.is_file() => Some(Streamed::default()),
        Ok(_) => {
            return Err(LoadError::Read {
                path,
                source: std::io::Error::other("not a file"),
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(LoadError::Read { path, source: e }),
    };
    Ok(Source {
        name: file.to_string(),
        path,
        bytes: None,
        streamed,
    })
}

/// Reads `company.toml` and the rate card it names, nothing else (the
/// price list, RULES 11).
pub fn company_and_card(dir: &Path) -> Result<(Source, Option<RateCardSources>), LoadError> {
    if !dir.is_dir() {
        return Err(LoadError::NoDataDir(dir.to_path_buf()));
    }
    let company = read(dir, "company.toml", "company.toml".to_string())?;
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
    Ok((company, rate_card))
}

/// Reads every input of the data folder `dir`.
pub fn load(dir: &Path) -> Result<RawInputs, LoadError> {
    let (company, rate_card) = company_and_card(dir)?;
    let data = |f: &str| read(dir, f, f.to_string());
    Ok(RawInputs {
        company,
        customers: data("customers.csv")?,
        contracts: data("contracts.csv")?,
        approvals: data("approvals.csv")?,
        projects: data("projects.csv")?,
        acceptances: data("acceptances.csv")?,
        timelog: stream(dir, "timelog.csv")?,
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

/// The data folder's ledger, to be read in blocks (`faktura verify`,
/// `audit::scan`): a year's ledger is never held whole.
pub fn ledger_in_blocks(dir: &Path) -> Result<Source, LoadError> {
    stream(dir, crate::ledger::FILE)
}

/// The rate card's `base_rates.csv` (RULES 13, D2), read only by the
/// commands that compute default interest; `None` when `company.toml`
/// names no rate card folder. The source's bytes are `None` when the file
/// is absent.
pub fn base_rates(dir: &Path) -> Result<Option<Source>, LoadError> {
    let toml = read(dir, "company.toml", "company.toml".into())?;
    let Some(folder) = toml
        .bytes
        .as_deref()
        .and_then(|b| rates_folder(&String::from_utf8_lossy(b)))
    else {
        return Ok(None);
    };
    let file = "base_rates.csv";
    let name = format!("{}/{file}", folder.trim_end_matches('/'));
    read(&dir.join(&folder), file, name).map(Some)
}

/// One file of an output folder (`faktura verify` reads a run's folder).
pub fn output_file(dir: &Path, name: &str) -> std::io::Result<Vec<u8>> {
    std::fs::read(dir.join(name))
}

/// One file of an output folder, opened to be read in pieces (`faktura
/// verify` compares a large file as its recomputation is made).
pub fn output_reader(dir: &Path, name: &str) -> Option<Box<dyn std::io::Read + Send>> {
    let file = std::fs::File::open(dir.join(name)).ok()?;
    Some(Box::new(file))
}

/// The names in an output folder, sorted (byte order); empty when the
/// folder cannot be listed.
pub fn folder_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// A plan of planned work (`faktura estimate --plan`), read whole; it lives
/// outside the data folder and is named in messages by its file name.
pub fn plan(path: &Path) -> Result<Source, LoadError> {
    let name = path.file_name().map_or_else(
        || "plan.csv".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let dir = path.parent().unwrap_or(Path::new(""));
    read(dir, &name, name.clone())
}

/// The optional `payments/` folder (RULES 12): its bank statements
/// (`*.xml`, sorted by name) and `manual.csv`.
#[derive(Clone, Debug)]
pub struct PaymentSources {
    /// Whether the data folder has a `payments/` folder at all.
    pub folder: bool,
    pub statements: Vec<Source>,
    pub manual: Source,
}

impl PaymentSources {
    /// Every file that exists, for the manifest.
    pub fn sources(&self) -> Vec<&Source> {
        let mut v: Vec<&Source> = self.statements.iter().collect();
        if self.manual.exists() {
            v.push(&self.manual);
        }
        v
    }
    /// The statements as (name, bytes), in name order.
    pub fn statement_bytes(&self) -> Vec<(String, Vec<u8>)> {
        self.statements
            .iter()
            .map(|s| (s.name.clone(), s.bytes.clone().unwrap_or_default()))
            .collect()
    }
}

/// Reads `payments/` of the data folder; no folder: no payments.
pub fn payments(dir: &Path) -> Result<PaymentSources, LoadError> {
    let pdir = dir.join("payments");
    let mut statements = Vec::new();
    let mut folder = false;
    match std::fs::read_dir(&pdir) {
        Ok(entries) => {
            folder = true;
            let mut names = Vec::new();
            for e in entries {
                let e = e.map_err(|source| LoadError::Read {
                    path: pdir.clone(),
                    source,
                })?;
                let name = e.file_name().to_string_lossy().into_owned();
                if name.to_ascii_lowercase().ends_with(".xml") && e.path().is_file() {
                    names.push(name);
                }
            }
            names.sort();
            for n in names {
                statements.push(read(&pdir, &n, format!("payments/{n}"))?);
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => return Err(LoadError::Read { path: pdir, source }),
    }
    Ok(PaymentSources {
        folder,
        statements,
        manual: read(&pdir, "manual.csv", crate::payment::MANUAL_FILE.to_string())?,
    })
}
