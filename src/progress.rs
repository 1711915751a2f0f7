//! A progress bar on long runs, only when stdout is a terminal: scripts and
//! CI see nothing of it.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A bar for `len` steps, drawn on stderr; hidden unless stdout is a terminal
/// (a person is watching) and the work is long.
pub fn bar(len: u64, what: &str) -> ProgressBar {
    if !std::io::stdout().is_terminal() || len < 200 {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})") {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(what.to_string());
    pb
}
