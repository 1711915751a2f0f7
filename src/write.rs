//! The only place that writes: a run's output folder, all or nothing. Files
//! are written into a staging folder beside the target, synced, and the
//! folder is renamed into place, so a crash leaves no output or all of it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("output folder {0} already holds files (expected a new or empty folder: a run never overwrites an earlier run's output)")]
    NotEmpty(PathBuf),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Refuses an output folder that already holds anything.
pub fn check_out(out: &Path) -> Result<(), WriteError> {
    match fs::read_dir(out) {
        Ok(mut it) => {
            if it.next().is_some() {
                Err(WriteError::NotEmpty(out.to_path_buf()))
            } else {
                Ok(())
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(out)(e)),
    }
}

/// Writes `files` (name, bytes) as the folder `out`, atomically.
pub fn write_outputs(out: &Path, files: &[(String, Vec<u8>)]) -> Result<(), WriteError> {
    check_out(out)?;
    let staged = staging_dir(out)?;
    if let Err(e) = fill(&staged, files).and_then(|()| put_in_place(&staged, out)) {
        let _ = fs::remove_dir_all(&staged);
        return Err(e);
    }
    Ok(())
}

/// The lock file in the data folder: one run at a time per ledger.
pub const LOCK_FILE: &str = ".faktura.lock";
/// The note of an issue in progress: what to finish or undo after a crash.
pub const PENDING_FILE: &str = "ledger.pending";

#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("another faktura run is working on {0} (its lock file {LOCK_FILE} is held); nothing was written: try again when it has finished")]
    Locked(PathBuf),
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Held while the run works on the data folder's ledger; released on drop.
pub struct Lock {
    _file: fs::File,
}

/// Takes the data folder's lock, failing at once if another run holds it.
pub fn lock(data: &Path) -> Result<Lock, IssueError> {
    let path = data.join(LOCK_FILE);
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| WriteError::Io {
            path: path.clone(),
            source: e,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(Lock { _file: file }),
        Err(fs::TryLockError::WouldBlock) => Err(IssueError::Locked(data.to_path_buf())),
        Err(fs::TryLockError::Error(e)) => Err(WriteError::Io { path, source: e }.into()),
    }
}

/// Test hook: `FAKTURA_CRASH_AT=<step>` ends the process abruptly at that
/// step of an issue, as a power cut would, so tests can prove recovery.
fn crash_point(step: &str) {
    if std::env::var("FAKTURA_CRASH_AT").is_ok_and(|s| s == step) {
        std::process::exit(99);
    }
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// An empty staging folder beside `out`, kept until moved or removed.
fn staging_dir(out: &Path) -> Result<PathBuf, WriteError> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io(&parent))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.staging-"))
        .tempdir_in(&parent)
        .map_err(io(&parent))?;
    Ok(staging.keep())
}

fn fill(staging: &Path, files: &[(String, Vec<u8>)]) -> Result<(), WriteError> {
    for (file, bytes) in files {
        let path = staging.join(file);
        let mut f = fs::File::create(&path).map_err(io(&path))?;
        f.write_all(bytes).map_err(io(&path))?;
        f.sync_all().map_err(io(&path))?;
    }
    sync_dir(staging);
    Ok(())
}

fn put_in_place(staged: &Path, out: &Path) -> Result<(), WriteError> {
    if out.exists() {
        fs::remove_dir(out).map_err(io(out))?;
    }
    fs::rename(staged, out).map_err(io(out))?;
    if let Some(p) = out.parent() {
        sync_dir(if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        });
    }
    Ok(())
}

/// What recovery did, for the terminal.
pub fn recover(data: &Path) -> Result<Option<String>, WriteError> {
    let pending = data.join(PENDING_FILE);
    let text = match fs::read_to_string(&pending) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(&pending)(e)),
    };
    let field = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .unwrap_or("")
            .to_string()
    };
    let batch: u64 = field("batch").parse().unwrap_or(0);
    let staging = PathBuf::from(field("staging"));
    let out = PathBuf::from(field("out"));
    let ledger_path = data.join(crate::ledger::FILE);
    let bytes = fs::read(&ledger_path).unwrap_or_default();
    let (led, _) = crate::ledger::parse(&bytes);
    let msg = if led.has_batch(batch) {
        // The ledger has the invoices: finish moving their files into place.
        if staging.is_dir() && !out.exists() {
            put_in_place(&staging, &out)?;
        }
        format!("recovered an interrupted issue: batch {batch} is in the ledger, its files are now in {}", out.display())
    } else {
        // The ledger never got the batch: undo, nothing was issued.
        if bytes.len() > led.committed_len {
            let f = fs::OpenOptions::new()
                .write(true)
                .open(&ledger_path)
                .map_err(io(&ledger_path))?;
            f.set_len(led.committed_len as u64)
                .map_err(io(&ledger_path))?;
            f.sync_all().map_err(io(&ledger_path))?;
        }
        if staging.is_dir() {
            fs::remove_dir_all(&staging).map_err(io(&staging))?;
        }
        format!("cleaned up an interrupted issue: batch {batch} never reached the ledger, nothing of it was issued")
    };
    fs::remove_file(&pending).map_err(io(&pending))?;
    sync_dir(data);
    Ok(Some(msg))
}

/// Issues: a note of the issue in progress naming an empty staging folder,
/// the files complete in that folder, then the ledger append (synced), then the files moved into
/// place, then the note removed. A crash before the append leaves the old
/// state (recovery removes the staging folder); after it, the new state
/// (recovery finishes the move).
pub fn issue(
    data: &Path,
    out: &Path,
    files: &[(String, Vec<u8>)],
    committed_len: usize,
    batch_no: u64,
    batch: &[u8],
) -> Result<(), WriteError> {
    check_out(out)?;
    // The note names the staging folder before anything is in it, so a
    // crash at any later point can be cleaned up.
    let staged = staging_dir(out)?;
    let pending = data.join(PENDING_FILE);
    let tmp = data.join(format!("{PENDING_FILE}.tmp"));
    let note = format!(
        "batch={batch_no}\nstaging={}\nout={}\n",
        staged.display(),
        out.display()
    );
    fs::write(&tmp, note).map_err(io(&tmp))?;
    fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(io(&tmp))?;
    fs::rename(&tmp, &pending).map_err(io(&pending))?;
    sync_dir(data);
    crash_point("pending");
    fill(&staged, files)?;
    crash_point("staged");
    let ledger_path = data.join(crate::ledger::FILE);
    let mut f = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&ledger_path)
        .map_err(io(&ledger_path))?;
    let len = f.metadata().map_err(io(&ledger_path))?.len();
    if len == 0 {
        f.write_all(&crate::ledger::header())
            .map_err(io(&ledger_path))?;
    } else if len as usize > committed_len && committed_len > 0 {
        // A torn batch of an earlier crash: drop it before appending.
        f.set_len(committed_len as u64).map_err(io(&ledger_path))?;
    }
    use std::io::Seek;
    f.seek(std::io::SeekFrom::End(0))
        .map_err(io(&ledger_path))?;
    f.write_all(batch).map_err(io(&ledger_path))?;
    f.sync_all().map_err(io(&ledger_path))?;
    crash_point("ledger");
    put_in_place(&staged, out)?;
    crash_point("renamed");
    fs::remove_file(&pending).map_err(io(&pending))?;
    sync_dir(data);
    Ok(())
}
