//! The CSV dialect of every file faktura writes (F14): UTF-8 without BOM,
//! `\n` line ends, quotes only where needed. On the ground floor with
//! `money`: the outputs (`render::csv`), the ledger and the manifest all
//! write through it, and it calls nothing of faktura, so none of them has
//! to import another to share it.

/// A CSV writer into memory, in faktura's dialect.
pub fn writer() -> csv::Writer<Vec<u8>> {
    writer_to(Vec::new())
}

/// The same into any writer (a file being written piece by piece).
pub fn writer_to<W: std::io::Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(w)
}
