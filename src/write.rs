//! The only place that writes: a run's output folder, all or nothing. Files
//! are written into a staging folder beside the target, the folder is made
//! durable at once (one `syncfs`), and renamed into place, so a crash leaves
//! no output or all of it.

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
    let staging = Staging::begin(out)?;
    for (name, bytes) in files {
        staging.put(name, bytes)?;
    }
    staging.finish()
}

/// A run's output folder being filled: each file goes into a staging
/// folder beside `out` as soon as it is made, so a run never holds
/// all its outputs in memory; only their names, sizes and sha256 are kept
/// for the manifest. `finish` (drafts) or `issue` puts the folder in place;
/// dropped before that, the staging folder is removed again (for an issue
/// in progress it is left to `recover`, which the pending note names).
pub struct Staging {
    dir: PathBuf,
    /// The staging folder, open from the start: `syncfs` reports the
    /// write-back errors since this handle was opened, so it must be
    /// older than every file written (D31a).
    handle: Option<fs::File>,
    /// Starts the disk writing early (see `Pacer`).
    pacer: Pacer,
    out: PathBuf,
    /// The pending note of an issue (written before anything else).
    pending: Option<PathBuf>,
    written: std::sync::Mutex<Vec<crate::manifest::FileRow>>,
    done: bool,
}

impl Staging {
    /// An empty staging folder for drafts; `out` must be new or empty.
    pub fn begin(out: &Path) -> Result<Staging, WriteError> {
        check_out(out)?;
        let dir = staging_dir(out)?;
        // Folders cannot be opened everywhere (Windows); where there is
        // `syncfs` they can, and must.
        let handle = fs::File::open(&dir);
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let handle = Some(handle.map_err(io(&dir))?);
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        let handle = handle.ok();
        let pacer = Pacer::start(&dir);
        Ok(Staging {
            dir,
            handle,
            pacer,
            out: out.to_path_buf(),
            pending: None,
            written: Default::default(),
            done: false,
        })
    }

    /// The same for an issue of ledger batch `batch_no`: the note of the
    /// issue in progress names the staging folder before anything is in it,
    /// so a crash at any later point can be cleaned up.
    pub fn begin_issue(data: &Path, out: &Path, batch_no: u64) -> Result<Staging, WriteError> {
        let mut staging = Staging::begin(out)?;
        let pending = data.join(PENDING_FILE);
        let tmp = data.join(format!("{PENDING_FILE}.tmp"));
        let note = format!(
            "batch={batch_no}\nstaging={}\nout={}\n",
            staging.dir.display(),
            out.display()
        );
        fs::write(&tmp, note).map_err(io(&tmp))?;
        fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(io(&tmp))?;
        fs::rename(&tmp, &pending).map_err(io(&pending))?;
        sync_dir(data);
        staging.pending = Some(pending);
        crash_point("pending");
        Ok(staging)
    }

    /// Writes one whole file (any thread).
    pub fn put(&self, name: &str, bytes: &[u8]) -> Result<(), WriteError> {
        self.put_with(name, &mut |w| w.write_all(bytes))
    }

    /// Writes one file piece by piece through `write` (any thread).
    pub fn put_with(
        &self,
        name: &str,
        write: &mut dyn FnMut(&mut (dyn Write + Send)) -> std::io::Result<()>,
    ) -> Result<(), WriteError> {
        use sha2::{Digest, Sha256};
        /// Counts and hashes what passes through.
        struct Hashing {
            inner: std::io::BufWriter<fs::File>,
            hash: Sha256,
            size: u64,
        }
        impl Write for Hashing {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                let n = self.inner.write(buf)?;
                self.hash.update(&buf[..n]);
                self.size += n as u64;
                Ok(n)
            }
            fn flush(&mut self) -> std::io::Result<()> {
                self.inner.flush()
            }
        }
        let path = self.dir.join(name);
        let file = fs::File::create(&path).map_err(io(&path))?;
        let mut w = Hashing {
            inner: std::io::BufWriter::with_capacity(1 << 16, file),
            hash: Sha256::new(),
            size: 0,
        };
        write(&mut w).map_err(io(&path))?;
        w.flush().map_err(io(&path))?;
        // Not synced here: `durable` syncs the whole folder once (D31a).
        let row = crate::manifest::FileRow {
            role: "output".into(),
            path: name.to_string(),
            size: w.size,
            sha256: crate::manifest::hex(&w.hash.finalize()),
        };
        self.pacer.wrote(w.size);
        self.written.lock().expect("no writer panicked").push(row);
        Ok(())
    }

    /// Every file written so far on disk, with its name in the folder:
    /// one `syncfs` of the staging folder's file system instead of a sync
    /// per file (D31a). Where there is no `syncfs`, each file and the
    /// folder are synced.
    fn durable(&mut self) -> Result<(), WriteError> {
        self.pacer.stop();
        #[cfg(any(target_os = "linux", target_os = "android"))]
        if let Some(h) = &self.handle {
            rustix::fs::syncfs(h).map_err(|e| io(&self.dir)(e.into()))?;
        }
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        {
            for row in self.written.lock().expect("no writer panicked").iter() {
                let path = self.dir.join(&row.path);
                fs::File::open(&path)
                    .and_then(|f| f.sync_all())
                    .map_err(io(&path))?;
            }
            if let Some(h) = &self.handle {
                h.sync_all().map_err(io(&self.dir))?;
            }
        }
        Ok(())
    }

    /// The files written so far, by name.
    pub fn written(&self) -> Vec<crate::manifest::FileRow> {
        let mut rows = self.written.lock().expect("no writer panicked").clone();
        rows.sort_by(|a, b| a.path.cmp(&b.path));
        rows
    }

    /// Drafts: the folder goes into place, its files on disk first.
    pub fn finish(mut self) -> Result<(), WriteError> {
        self.durable()?;
        put_in_place(&self.dir, &self.out)?;
        self.done = true;
        Ok(())
    }

    /// Issues: the batch's rows appended to the ledger without their commit
    /// row (`Append`, while the files were rendered), the files complete in
    /// the staging folder (synced), then `tail` and the commit row (synced),
    /// then the files moved into place, then the note removed. A crash
    /// before the commit row leaves the old state (readers drop rows after
    /// the last commit; recovery cuts them off and removes the staging
    /// folder); after it, the new state (recovery finishes the move).
    pub fn issue(mut self, mut ledger: Append, tail: &[u8]) -> Result<(), WriteError> {
        let Some(pending) = self.pending.clone() else {
            return Err(WriteError::Io {
                path: self.dir.clone(),
                source: std::io::Error::other("an issue must begin with begin_issue"),
            });
        };
        self.durable()?;
        crash_point("staged");
        ledger.commit(tail)?;
        crash_point("ledger");
        self.done = true;
        put_in_place(&self.dir, &self.out)?;
        crash_point("renamed");
        fs::remove_file(&pending).map_err(io(&pending))?;
        if let Some(data) = pending.parent() {
            sync_dir(data);
        }
        Ok(())
    }
}

/// The ledger opened for appending an issue's batch. Its rows go in as
/// they are made, after the last commit row, where every reader drops
/// them, until `Staging::issue` writes the commit row: a year's batch is
/// never held in memory. Opened after the pending note, so that recovery
/// cuts off the rows of a run that never committed.
pub struct Append {
    path: PathBuf,
    file: std::io::BufWriter<fs::File>,
}

impl Append {
    /// `committed_len`: the bytes of the ledger as read; anything after
    /// them is a torn batch of an earlier crash, dropped first.
    pub fn open(data: &Path, committed_len: usize) -> Result<Append, WriteError> {
        let path = data.join(crate::ledger::FILE);
        let mut f = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(io(&path))?;
        let len = f.metadata().map_err(io(&path))?.len();
        if len == 0 {
            f.write_all(&crate::ledger::header()).map_err(io(&path))?;
        } else if len as usize > committed_len && committed_len > 0 {
            f.set_len(committed_len as u64).map_err(io(&path))?;
        }
        use std::io::Seek;
        f.seek(std::io::SeekFrom::End(0)).map_err(io(&path))?;
        Ok(Append {
            path,
            file: std::io::BufWriter::with_capacity(1 << 20, f),
        })
    }

    /// `tail` (the commit row, after the rest of the batch if any) written
    /// and the whole file synced: the commit point.
    fn commit(&mut self, tail: &[u8]) -> Result<(), WriteError> {
        self.file.write_all(tail).map_err(io(&self.path))?;
        self.file.flush().map_err(io(&self.path))?;
        self.file.get_ref().sync_all().map_err(io(&self.path))
    }
}

impl Write for Append {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Every `PACE` bytes written, a background thread asks the file system to
/// write what it holds so far (`syncfs` on a handle of its own), so that
/// the disk works while the run renders and the one `syncfs` that counts
/// (`Staging::durable`) waits only for the last part. Its results are
/// ignored: the final `syncfs` reports every error since the staging
/// folder was opened (each handle has its own view, D31a).
struct Pacer {
    written: std::sync::atomic::AtomicU64,
    kick: Option<std::sync::mpsc::SyncSender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

const PACE: u64 = 64 << 20;

impl Pacer {
    fn start(dir: &Path) -> Pacer {
        let mut pacer = Pacer {
            written: Default::default(),
            kick: None,
            thread: None,
        };
        #[cfg(any(target_os = "linux", target_os = "android"))]
        if let Ok(handle) = fs::File::open(dir) {
            let (tx, rx) = std::sync::mpsc::sync_channel::<()>(1);
            pacer.kick = Some(tx);
            pacer.thread = Some(std::thread::spawn(move || {
                for () in rx {
                    let _ = rustix::fs::syncfs(&handle);
                }
            }));
        }
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        let _ = dir;
        pacer
    }

    /// Counts a written file; a new `PACE` crossed kicks the thread (a
    /// kick while it is busy is dropped: its sync will take that along).
    fn wrote(&self, bytes: u64) {
        use std::sync::atomic::Ordering;
        let before = self.written.fetch_add(bytes, Ordering::Relaxed);
        if (before + bytes) / PACE > before / PACE {
            if let Some(tx) = &self.kick {
                let _ = tx.try_send(());
            }
        }
    }

    fn stop(&mut self) {
        drop(self.kick.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // Drafts that failed leave nothing; an issue in progress is left
        // to `recover`, which its pending note points to.
        self.pacer.stop();
        if !self.done && self.pending.is_none() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
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

/// Issues `files` as the folder `out` and ledger batch `batch_no` (see
/// `Staging::issue`).
pub fn issue(
    data: &Path,
    out: &Path,
    files: &[(String, Vec<u8>)],
    committed_len: usize,
    batch_no: u64,
    batch: &[u8],
) -> Result<(), WriteError> {
    let staging = Staging::begin_issue(data, out, batch_no)?;
    let ledger = Append::open(data, committed_len)?;
    for (name, bytes) in files {
        staging.put(name, bytes)?;
    }
    staging.issue(ledger, batch)
}
