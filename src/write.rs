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
    for (file, bytes) in files {
        let path = staging.path().join(file);
        let mut f = fs::File::create(&path).map_err(io(&path))?;
        f.write_all(bytes).map_err(io(&path))?;
        f.sync_all().map_err(io(&path))?;
    }
    if out.exists() {
        // Empty, as checked above; rename needs it gone.
        fs::remove_dir(out).map_err(io(out))?;
    }
    let staged = staging.keep();
    fs::rename(&staged, out).map_err(|e| {
        let _ = fs::remove_dir_all(&staged);
        io(out)(e)
    })?;
    if let Ok(d) = fs::File::open(&parent) {
        let _ = d.sync_all();
    }
    Ok(())
}
