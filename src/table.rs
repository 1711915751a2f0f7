//! A CSV input table read from bytes: the header mapped to the columns of the
//! spec, each row kept with its line (the root of every `file:line` message),
//! and typed field readers that record a diagnostic instead of failing.
//! Pure: takes bytes, returns values and diagnostics. Large tables are split
//! at record boundaries and parsed in parallel; the result does not depend on
//! the split.

use crate::diagnostic::Diagnostic;
use chrono::NaiveDate;
use csv::{ByteRecord, ReaderBuilder};
use rayon::prelude::*;
use rust_decimal::Decimal;

/// A table's header, checked against the columns the spec names (F2).
pub struct Table<'a> {
    pub file: String,
    columns: &'static [&'static str],
    /// Field index of each spec column, in spec order.
    index: Vec<usize>,
    width: usize,
    body: &'a [u8],
    /// Line number of the body's first line.
    body_line: u64,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
/// The field index of an optional column the header leaves out.
const ABSENT: usize = usize::MAX;
const PARALLEL_FROM_BYTES: usize = 1 << 20;

impl<'a> Table<'a> {
    /// Reads the header; `None` (with diagnostics) when a column is missing
    /// and rows cannot be read.
    pub fn open(
        file: &str,
        bytes: &'a [u8],
        columns: &'static [&'static str],
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Table<'a>> {
        Self::open_optional(file, bytes, columns, &[], diags)
    }

    /// `open`, where the columns named in `optional` may be left out of the
    /// header: every row then reads them as empty (e.g. `customers.csv`'s
    /// `debtor_account`, needed only by the DATEV export).
    pub fn open_optional(
        file: &str,
        bytes: &'a [u8],
        columns: &'static [&'static str],
        optional: &[&str],
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Table<'a>> {
        let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
        let mut reader = ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut header = ByteRecord::new();
        let expected = columns.join(", ");
        let found = reader.read_byte_record(&mut header).unwrap_or(false);
        if !found {
            diags.push(Diagnostic::error(
                file,
                1,
                "header",
                format!("file is empty (expected a header row: {expected})"),
            ));
            return None;
        }
        let header_line = record_line(bytes, &header, 1);
        let mut names = Vec::with_capacity(header.len());
        for (i, raw) in header.iter().enumerate() {
            match std::str::from_utf8(raw) {
                Ok(s) => names.push(s.to_string()),
                Err(e) => {
                    diags.push(not_utf8(
                        file,
                        header_line,
                        &format!("column {}", i + 1),
                        raw,
                        e,
                    ));
                    names.push(String::new());
                }
            }
        }
        let mut ok = true;
        let mut index = Vec::with_capacity(columns.len());
        for col in columns {
            let hits: Vec<usize> = (0..names.len()).filter(|&i| names[i] == *col).collect();
            match hits.as_slice() {
                [] if optional.contains(col) => index.push(ABSENT),
                [] => {
                    let hint = names
                        .iter()
                        .find(|n| n.trim().eq_ignore_ascii_case(col))
                        .map(|n| format!("; found '{n}'"))
                        .unwrap_or_default();
                    diags.push(Diagnostic::error(
                        file,
                        header_line,
                        col,
                        format!("missing column (expected the header to name every column: {expected}{hint})"),
                    ));
                    ok = false;
                }
                [i] => index.push(*i),
                [_, ..] => {
                    diags.push(Diagnostic::error(
                        file,
                        header_line,
                        col,
                        "column named twice in the header (expected each column once)",
                    ));
                    ok = false;
                }
            }
        }
        for n in &names {
            if !n.is_empty() && !columns.contains(&n.as_str()) {
                let suggestion = suggest(n, columns)
                    .map(|s| format!("; did you mean '{s}'?"))
                    .unwrap_or_default();
                diags.push(Diagnostic::error(
                    file,
                    header_line,
                    n,
                    format!("unknown column (expected only: {expected}{suggestion})"),
                ));
            }
        }
        if !ok {
            return None;
        }
        let offset = reader.position().byte() as usize;
        Some(Table {
            file: file.to_string(),
            columns,
            index,
            width: names.len(),
            body: &bytes[offset.min(bytes.len())..],
            body_line: 1 + line_ends(bytes, offset.min(bytes.len())),
        })
    }

    /// Parses every row with `parse`, in parallel for large tables; rows come
    /// back in file order with all their diagnostics.
    pub fn rows<T, F>(&self, parse: F) -> (Vec<T>, Vec<Diagnostic>)
    where
        T: Send,
        F: Fn(&mut Row) -> Option<T> + Sync,
    {
        // The whole body is the last block, so it is always parsed.
        let (chunks, diags, _) = self
            .chunks_in(
                self.body,
                self.body_line,
                true,
                || (),
                |r, ()| parse(r),
                |(), v| v,
            )
            .unwrap_or_default();
        (chunks.into_iter().flatten().collect(), diags)
    }

    /// Where the body starts in the bytes given to `open`, and its line.
    pub fn body_at(&self, bytes: &[u8]) -> (usize, u64) {
        (bytes.len() - self.body.len(), self.body_line)
    }

    /// The header alone, for reading the body block by block (`chunks_in`).
    pub fn header(&self) -> Table<'static> {
        Table {
            file: self.file.clone(),
            columns: self.columns,
            index: self.index.clone(),
            width: self.width,
            body: &[],
            body_line: self.body_line,
        }
    }

    /// Parses `body` (a block of this table's body starting on line `line`,
    /// `last` or cut at a record boundary) in parallel chunks, with a state
    /// per chunk: `init` makes it, `parse` reads a row with it, and `finish`
    /// turns the state and the chunk's values into the chunk's result.
    /// Results come back in file order, with the line after the block;
    /// `None` when the block's end is not a record boundary after all.
    #[allow(clippy::too_many_arguments)]
    pub fn chunks_in<S, T, R, I, F, G>(
        &self,
        body: &[u8],
        line: u64,
        last: bool,
        init: I,
        parse: F,
        finish: G,
    ) -> Option<(Vec<R>, Vec<Diagnostic>, u64)>
    where
        R: Send,
        I: Fn() -> S + Sync,
        F: Fn(&mut Row, &mut S) -> Option<T> + Sync,
        G: Fn(S, Vec<T>) -> R + Sync,
    {
        let chunks = match split_checked(body, line, !last) {
            Some(c) => c,
            None if last => vec![(body, line)],
            None => return None,
        };
        let results: Vec<(R, Vec<Diagnostic>, u64)> = chunks
            .into_par_iter()
            .map(|(chunk, first_line)| {
                let mut state = init();
                let (values, diags, end) =
                    self.parse_chunk(chunk, first_line, |row: &mut Row| parse(row, &mut state));
                (finish(state, values), diags, end)
            })
            .collect();
        let mut out = Vec::with_capacity(results.len());
        let mut diags = Vec::new();
        let mut after = line;
        for (r, d, end) in results {
            out.push(r);
            diags.extend(d);
            after = end;
        }
        Some((out, diags, after))
    }

    /// The raw text of one column in every row, in file order, without any
    /// diagnostic (`rows` gave them): what failed rows were meant to hold,
    /// so that references to them are not reported again. Rows too short to
    /// have the column, and values that are not UTF-8, are left out.
    pub fn column_values(&self, col: usize) -> Vec<String> {
        let mut reader = ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(self.body);
        let mut rec = ByteRecord::new();
        let mut out = Vec::new();
        while reader.read_byte_record(&mut rec).unwrap_or(false) {
            if let Some(Ok(s)) = rec.get(self.index[col]).map(std::str::from_utf8) {
                out.push(s.to_string());
            }
        }
        out
    }

    fn parse_chunk<T, F>(
        &self,
        chunk: &[u8],
        first_line: u64,
        mut parse: F,
    ) -> (Vec<T>, Vec<Diagnostic>, u64)
    where
        F: FnMut(&mut Row) -> Option<T>,
    {
        let mut values = Vec::new();
        let mut diags = Vec::new();
        let mut bounds = Vec::with_capacity(self.width);
        // One UTF-8 check for the chunk: a record of it is then text if it
        // starts and ends on character boundaries, which `get` checks.
        let chunk_text = simdutf8::basic::from_utf8(chunk).ok();
        let mut one = |bytes: &[u8],
                       bounds: &[(usize, usize)],
                       line,
                       at: Option<usize>,
                       diags: &mut Vec<_>| {
            if bounds.len() != self.width {
                diags.push(self.width_error(line, bounds.len()));
                return;
            }
            let text = match (chunk_text, at) {
                (Some(t), Some(at)) => t.get(at..at + bytes.len()),
                _ => std::str::from_utf8(bytes).ok(),
            };
            let mut row = Row {
                file: &self.file,
                line,
                text,
                bytes,
                bounds,
                columns: self.columns,
                index: &self.index,
                diags,
            };
            if let Some(v) = parse(&mut row) {
                values.push(v);
            }
        };
        let end = each_record(chunk, first_line, &mut bounds, |bytes, bounds, line, at| {
            one(bytes, bounds, line, at, &mut diags)
        });
        (values, diags, end)
    }

    fn width_error(&self, line: u64, len: usize) -> Diagnostic {
        Diagnostic::error(
            &self.file,
            line,
            "row",
            format!(
                "{} {} (expected {}, as in the header)",
                len,
                crate::diagnostic::plural(len, "field", "fields"),
                self.width
            ),
        )
    }
}

/// The records of a text as the csv reader sees them (tested against it):
/// CR, LF and CRLF end a record and empty records are skipped; a record
/// starts on the line given by the line ends before it (`line_ends`). A
/// record is split at the commas `Scan` finds, a field that is one quoted
/// piece read between its quotes; only a record with `""`, a quoted line
/// end or a quote inside a field goes through csv_core's byte-by-byte
/// machine (D32). `f` gets each record's fields back to back, the fields'
/// byte ranges in them, the record's line, and where the record starts in
/// `text` when those bytes are the text's own (not csv_core's unquoted
/// copy). Returns the line after the text.
fn each_record(
    text: &[u8],
    first_line: u64,
    bounds: &mut Vec<(usize, usize)>,
    mut f: impl FnMut(&[u8], &[(usize, usize)], u64, Option<usize>),
) -> u64 {
    thread_local! {
        // Building the machine costs more than a chunk's quoted records.
        // (Not shared by cloning: csv-core 0.1.13's `Dfa::clone` copies
        // only part of its tables.)
        static MACHINE: std::cell::RefCell<csv_core::Reader> =
            std::cell::RefCell::new(csv_core::Reader::new());
    }
    MACHINE.with_borrow_mut(|quoted| records_with(quoted, text, first_line, bounds, &mut f))
}

fn records_with(
    quoted: &mut csv_core::Reader,
    text: &[u8],
    first_line: u64,
    bounds: &mut Vec<(usize, usize)>,
    f: &mut impl FnMut(&[u8], &[(usize, usize)], u64, Option<usize>),
) -> u64 {
    let (mut out, mut ends) = (vec![0; 1024], vec![0; 64]);
    let mut scan = Scan::new(text);
    let mut line = first_line;
    let mut at = 0;
    loop {
        while let Some(&c @ (b'\n' | b'\r')) = text.get(at) {
            line += u64::from(c == b'\n' || text.get(at + 1) != Some(&b'\n'));
            at += 1;
        }
        if at == text.len() {
            return line;
        }
        let rest = &text[at..];
        bounds.clear();
        scan.seek(at);
        // The field being read starts at `from`; `closed` is the closing
        // quote of a field that is one quoted piece (`"a, b"`), whose
        // bytes are those between its quotes.
        let (mut from, mut closed) = (at, None);
        let field = |from: usize, to: usize, closed: Option<usize>| match closed {
            Some(q) => (from + 1 - at, q - at),
            None => (from - at, to - at),
        };
        let simple = loop {
            match scan.next() {
                Some((q, b'"')) if q == from && closed.is_none() => {
                    // Up to the closing quote, which must end the field; a
                    // quoted line end, `""` or text after the quote is
                    // left to csv_core.
                    let close = loop {
                        match scan.next() {
                            Some((c, b'"')) => break Some(c),
                            Some((_, b',')) => {}
                            _ => break None,
                        }
                    };
                    match close {
                        Some(c) if matches!(text.get(c + 1), None | Some(b',' | b'\n' | b'\r')) => {
                            closed = Some(c)
                        }
                        _ => break false,
                    }
                }
                Some((_, b'"')) => break false,
                Some((comma, b',')) => {
                    bounds.push(field(from, comma, closed));
                    (from, closed) = (comma + 1, None);
                }
                Some((end, _)) => {
                    bounds.push(field(from, end, closed));
                    f(&text[at..end], bounds, line, Some(at));
                    at = end;
                    break true;
                }
                None => {
                    bounds.push(field(from, text.len(), closed));
                    f(rest, bounds, line, Some(at));
                    at = text.len();
                    break true;
                }
            }
        };
        if simple {
            continue;
        }
        bounds.clear();
        quoted.reset();
        let (mut nin, mut nout, mut nends) = (0, 0, 0);
        loop {
            use csv_core::ReadRecordResult::*;
            let (res, i, o, e) =
                quoted.read_record(&rest[nin..], &mut out[nout..], &mut ends[nends..]);
            (nin, nout, nends) = (nin + i, nout + o, nends + e);
            match res {
                InputEmpty => {}
                OutputFull => out.resize(out.len() * 2, 0),
                OutputEndsFull => ends.resize(ends.len() * 2, 0),
                Record | End => break,
            }
        }
        let mut from = 0;
        for &to in &ends[..nends] {
            bounds.push((from, to));
            from = to;
        }
        f(&out[..nout], bounds, line, None);
        // The record's own terminator stays for the skip above to count.
        let used = rest[..nin]
            .iter()
            .rposition(|&c| c != b'\n' && c != b'\r')
            .map_or(nin, |i| i + 1);
        line += line_ends(rest, used);
        at += used;
    }
}

/// The bytes of a text that split its records: `,`, LF, CR and `"`, in
/// order, found 16 bytes per instruction 64 bytes at a time, where `memchr`
/// took a call for each comma and line end (profiled).
struct Scan<'t> {
    text: &'t [u8],
    /// The 64-byte block at hand, and its bits not yet handed out.
    block: usize,
    bits: u64,
}

impl<'t> Scan<'t> {
    fn new(text: &'t [u8]) -> Self {
        Scan {
            text,
            block: 0,
            bits: 0,
        }
    }

    /// Bit k set: byte k of the block is one of `, LF CR "`.
    fn mask(&self, block: usize) -> u64 {
        use wide::u8x16;
        let from = block * 64;
        // The last block is padded with zero bytes, which match nothing.
        let mut padded = [0u8; 64];
        let bytes: &[u8] = match self.text.get(from..from + 64) {
            Some(b) => b,
            None => {
                let rest = &self.text[from.min(self.text.len())..];
                padded[..rest.len()].copy_from_slice(rest);
                &padded
            }
        };
        let [comma, lf, cr, quote] = [b',', b'\n', b'\r', b'"'].map(u8x16::splat);
        let mut m = 0u64;
        for k in 0..4 {
            let x = u8x16::new(bytes[16 * k..16 * k + 16].try_into().expect("16 bytes"));
            let hit = x.simd_eq(comma) | x.simd_eq(lf) | x.simd_eq(cr) | x.simd_eq(quote);
            m |= u64::from(hit.to_bitmask()) << (16 * k);
        }
        m
    }

    /// Goes to `at`: the next byte handed out is the first at or after it.
    fn seek(&mut self, at: usize) {
        self.block = at / 64;
        self.bits = self.mask(self.block) & (!0u64 << (at % 64));
    }

    /// The next `, LF CR "` and where it is.
    fn next(&mut self) -> Option<(usize, u8)> {
        while self.bits == 0 {
            self.block += 1;
            if self.block * 64 >= self.text.len() {
                return None;
            }
            self.bits = self.mask(self.block);
        }
        let at = self.block * 64 + self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1;
        Some((at, self.text[at]))
    }
}

/// The line a record starts on, in a text whose first line is `first_line`.
/// The csv reader positions a record where its read began, which is before
/// any blank lines it skipped; those are stepped over here so that a row
/// after a blank line keeps its true line number (F2).
fn record_line(text: &[u8], rec: &ByteRecord, first_line: u64) -> u64 {
    let Some(pos) = rec.position() else {
        return first_line;
    };
    let from = (pos.byte() as usize).min(text.len());
    let skipped = text[from..]
        .iter()
        .take_while(|&&c| c == b'\n' || c == b'\r')
        .count();
    first_line + line_ends(text, from + skipped)
}

/// The line ends in `text[..end]`: LF, CRLF and a lone CR (old Mac files,
/// which the csv reader also reads as records) each end one line. A CR at
/// `end - 1` is one only if `text[end]` is not its LF.
fn line_ends(text: &[u8], end: usize) -> u64 {
    let lf = memchr::memchr_iter(b'\n', &text[..end]).count();
    let lone_cr = memchr::memchr_iter(b'\r', &text[..end])
        .filter(|&i| text.get(i + 1) != Some(&b'\n'))
        .count();
    (lf + lone_cr) as u64
}

/// Splits a CSV body into chunks at line ends outside quotes: the parity of
/// `"` counts tells whether a newline is inside a quoted field, also with
/// escaped `""`. Returns each chunk with the line number of its first line,
/// or `None` when a cut is not a record boundary. With `ends_cut`
/// the body's own end is a cut too (a block of a longer body) and is
/// checked like the others.
fn split_checked(body: &[u8], body_line: u64, ends_cut: bool) -> Option<Vec<(&[u8], u64)>> {
    if body.len() < PARALLEL_FROM_BYTES {
        return (!ends_cut || ends_at_record_end(body)).then(|| vec![(body, body_line)]);
    }
    let n = rayon::current_num_threads().max(1) * 8;
    let block = body.len().div_ceil(n);
    let quotes: Vec<usize> = body
        .par_chunks(block)
        .map(|b| memchr::memchr_iter(b'"', b).count())
        .collect();
    let mut cuts = vec![0usize];
    let mut before = 0usize;
    for k in 1..quotes.len() {
        before += quotes[k - 1];
        let last = *cuts.last().unwrap_or(&0);
        // Cuts sit where the parity is even, so resuming at one starts even.
        let (mut pos, mut parity) = if last > k * block {
            (last, 0)
        } else {
            (k * block, before)
        };
        while pos < body.len() {
            match body[pos] {
                b'"' => parity += 1,
                b'\n' if parity % 2 == 0 => break,
                _ => {}
            }
            pos += 1;
        }
        let cut = (pos + 1).min(body.len());
        if cut > last {
            cuts.push(cut);
        }
    }
    cuts.push(body.len());
    cuts.dedup();
    let pieces: Vec<&[u8]> = cuts.windows(2).map(|w| &body[w[0]..w[1]]).collect();
    // Quote parity is right for well-formed CSV, but a stray `"` inside an
    // unquoted field (`24" Monitor`) is literal to the csv reader and flips
    // the parity, which could put a cut inside a quoted field. Each piece is
    // checked to end where a record ends when read from a record start; by
    // induction from the body's start every cut is then a record boundary.
    // If one is not, the caller reads the body in one piece: slower, never
    // wrong.
    let checked = if ends_cut {
        pieces.len()
    } else {
        pieces.len().saturating_sub(1)
    };
    if !pieces[..checked].par_iter().all(|p| ends_at_record_end(p)) {
        return None;
    }
    let newlines: Vec<u64> = pieces
        .par_iter()
        // Pieces end after an LF, so no CRLF is split between two.
        .map(|p| line_ends(p, p.len()))
        .collect();
    let mut line = body_line;
    let mut out = Vec::with_capacity(pieces.len());
    for (p, nl) in pieces.into_iter().zip(newlines) {
        out.push((p, line));
        line += nl;
    }
    Some(out)
}

/// A table body read block by block, each block ending at a record
/// boundary, so that a file larger than memory should hold is never held
/// whole (the time log). The blocks come from `load` (a file, or bytes).
/// Where `BlockReader` gets its blocks: in order, and it hands back each
/// block it is done with, which a source may reuse.
pub trait BlockSource: Iterator<Item = std::io::Result<Vec<u8>>> {
    fn give_back(&mut self, _spent: Vec<u8>) {}
}

pub struct BlockReader<B> {
    blocks: B,
    /// Unprocessed bytes: `buf[start..]`.
    buf: Vec<u8>,
    start: usize,
    /// Line number of `buf[start]`.
    line: u64,
    eof: bool,
    /// A cut was not a record boundary: the rest is read in one piece.
    whole: bool,
    block: usize,
    /// Bytes of the last body handed out, to step past.
    handed: usize,
}

impl<B: BlockSource> BlockReader<B> {
    pub fn new(blocks: B, block: usize) -> Self {
        BlockReader {
            blocks,
            buf: Vec::new(),
            start: 0,
            line: 1,
            eof: false,
            whole: false,
            block: block.max(1),
            handed: 0,
        }
    }

    /// Reads until `want` unprocessed bytes are buffered, or to the end.
    fn fill(&mut self, want: usize) -> std::io::Result<()> {
        while !self.eof && self.buf.len() - self.start < want {
            match self.blocks.next() {
                Some(b) => {
                    let b = b?;
                    if self.start == self.buf.len() {
                        // Nothing left over: the block is the buffer.
                        let spent = std::mem::replace(&mut self.buf, b);
                        self.blocks.give_back(spent);
                    } else {
                        if self.start > 0 {
                            self.buf.drain(..self.start);
                        }
                        self.buf.extend_from_slice(&b);
                        self.blocks.give_back(b);
                    }
                    self.start = 0;
                }
                None => self.eof = true,
            }
        }
        Ok(())
    }

    /// The first block, enough to hold the header record (after any blank
    /// lines before it, which the csv reader skips).
    pub fn head(&mut self) -> std::io::Result<&[u8]> {
        let mut want = self.block;
        loop {
            self.fill(want)?;
            let rest = &self.buf[self.start..];
            if self.eof || first_record_ends(rest) {
                return Ok(&self.buf[self.start..]);
            }
            want = want.max(rest.len()) * 2;
        }
    }

    /// Steps past the header: `len` bytes ending before line `line`.
    pub fn skip_header(&mut self, len: usize, line: u64) {
        self.start += len.min(self.buf.len() - self.start);
        self.line = line;
    }

    /// The next body piece: bytes up to a record boundary (by quote
    /// parity; the caller checks it and calls `refuse` if it is not), the
    /// line it starts on, and whether it is the last.
    pub fn next_body(&mut self) -> Option<std::io::Result<(&[u8], u64, bool)>> {
        self.start += self.handed;
        self.handed = 0;
        // What is buffered is handed as soon as it holds a record end: a
        // block of the file reader ends with a line, so it goes as it is.
        let mut want = 1;
        let (len, last) = loop {
            let target = if self.whole { usize::MAX } else { want };
            if let Err(e) = self.fill(target) {
                return Some(Err(e));
            }
            let rest = &self.buf[self.start..];
            if rest.is_empty() {
                return None;
            }
            if self.eof {
                break (rest.len(), true);
            }
            if let Some(cut) = last_even_newline(rest) {
                break (cut, false);
            }
            // No record ends in what is buffered: read more.
            want = rest.len().saturating_mul(2).max(self.block);
        };
        self.handed = len;
        Some(Ok((
            &self.buf[self.start..self.start + len],
            self.line,
            last,
        )))
    }

    /// After a body from `next_body`: steps past it; `next_line` is the
    /// line after it, which parsing it counted (`chunks_in`).
    pub fn done(&mut self, next_line: u64) {
        self.line = next_line;
        self.start += self.handed;
        self.handed = 0;
    }

    /// The last body's cut was no record boundary: from here on the rest is
    /// one body.
    pub fn refuse(&mut self) {
        self.handed = 0;
        self.whole = true;
    }
}

/// Whether `text` holds a whole first record: a line end outside quotes
/// (by parity) after the blank lines at its start.
fn first_record_ends(text: &[u8]) -> bool {
    let from = text
        .iter()
        .take_while(|&&c| c == b'\n' || c == b'\r')
        .count();
    let mut quotes = 0usize;
    for &c in &text[from..] {
        match c {
            b'"' => quotes += 1,
            b'\n' if quotes.is_multiple_of(2) => return true,
            _ => {}
        }
    }
    false
}

/// The end of the last line of `text` whose end is outside quotes by
/// parity, if any (just after its `\n`).
fn last_even_newline(text: &[u8]) -> Option<usize> {
    // A whole block's quotes, counted on both threads: this runs between
    // blocks, when nothing else does.
    let count = |b: &[u8]| memchr::memchr_iter(b'"', b).count();
    let mut quotes = if text.len() >= PARALLEL_FROM_BYTES {
        let (a, b) = text.split_at(text.len() / 2);
        let (x, y) = rayon::join(|| count(a), || count(b));
        x + y
    } else {
        count(text)
    };
    let mut end = text.len();
    while let Some(nl) = memchr::memrchr(b'\n', &text[..end]) {
        quotes -= memchr::memchr_iter(b'"', &text[nl..end]).count();
        if quotes.is_multiple_of(2) {
            return Some(nl + 1);
        }
        end = nl;
    }
    None
}

/// Whether `piece`, read from the start of a record, ends right after a
/// record's line end, following the csv reader's rules: a `"` opens a quoted
/// field only at the start of a field, `""` inside one is a literal quote,
/// and any other quote is an ordinary character.
fn ends_at_record_end(piece: &[u8]) -> bool {
    // Fast path: only the quotes are visited. While every quote that opens
    // a field stands at a field start, quoted-ness is what the quotes say;
    // any other quote sends the piece to the field-by-field walk.
    let mut quoted = false;
    let mut quotes = memchr::memchr_iter(b'"', piece).peekable();
    while let Some(q) = quotes.next() {
        if quoted {
            if quotes.peek() == Some(&(q + 1)) {
                quotes.next(); // `""`: a literal quote
            } else {
                quoted = false;
            }
        } else if q == 0 || matches!(piece[q - 1], b',' | b'\n' | b'\r') {
            quoted = true;
        } else {
            return ends_at_record_end_by_fields(piece);
        }
    }
    piece.is_empty() || (!quoted && matches!(piece[piece.len() - 1], b'\n' | b'\r'))
}

/// `ends_at_record_end`, field by field: only quotes (in a quoted field)
/// and `,` CR LF (outside one) change the state.
fn ends_at_record_end_by_fields(piece: &[u8]) -> bool {
    let n = piece.len();
    let mut i = 0;
    while i < n {
        // At the start of a field.
        if piece[i] == b'"' {
            i += 1;
            loop {
                match memchr::memchr(b'"', &piece[i..]) {
                    None => return false, // ends inside the quotes
                    Some(k) => i += k + 1,
                }
                if piece.get(i) == Some(&b'"') {
                    i += 1; // `""`: a literal quote
                } else {
                    break;
                }
            }
        }
        match memchr::memchr3(b',', b'\n', b'\r', &piece[i..]) {
            None => return false, // ends inside a field
            Some(k) => {
                i += k + 1;
                if i == n {
                    return piece[i - 1] != b',';
                }
            }
        }
    }
    true
}

/// One row being read: typed accessors record a diagnostic on a bad value
/// and return `None`, so the caller can keep reading the other columns.
pub struct Row<'r> {
    pub file: &'r str,
    pub line: u64,
    /// The whole record's fields back to back, when valid UTF-8: one check
    /// per row instead of one per field.
    text: Option<&'r str>,
    bytes: &'r [u8],
    /// Each field's byte range in `bytes`.
    bounds: &'r [(usize, usize)],
    columns: &'static [&'static str],
    index: &'r [usize],
    diags: &'r mut Vec<Diagnostic>,
}

/// What an accessor found: absent (empty) or a value; `Err` already reported.
pub type Field<T> = Result<Option<T>, ()>;

impl<'r> Row<'r> {
    pub fn error(&mut self, col: usize, message: impl Into<String>) {
        let name = self.columns[col];
        self.diags
            .push(Diagnostic::error(self.file, self.line, name, message));
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }
    pub fn name(&self, col: usize) -> &'static str {
        self.columns[col]
    }

    /// The field as text; `None` when empty. Values are not trimmed (F2).
    #[inline]
    pub fn opt_str(&mut self, col: usize) -> Field<&'r str> {
        // An optional column the header leaves out (`ABSENT`) reads as empty.
        let Some(&(from, to)) = self.bounds.get(self.index[col]) else {
            return Ok(None);
        };
        // A field is text if the record is and it starts and ends on
        // character boundaries (`get` checks).
        if let Some(s) = self.text.and_then(|t| t.get(from..to)) {
            return Ok(Some(s).filter(|s| !s.is_empty()));
        }
        self.opt_str_checked(col, from, to)
    }

    /// `opt_str` of a record that is not UTF-8 as a whole.
    #[cold]
    #[inline(never)]
    fn opt_str_checked(&mut self, col: usize, from: usize, to: usize) -> Field<&'r str> {
        let raw: &'r [u8] = &self.bytes[from..to];
        if raw.is_empty() {
            return Ok(None);
        }
        match std::str::from_utf8(raw) {
            Ok(s) => Ok(Some(s)),
            Err(e) => {
                let name = self.columns[col];
                let d = not_utf8(self.file, self.line, name, raw, e);
                self.diags.push(d);
                Err(())
            }
        }
    }

    /// A required text field: empty is an error naming what was expected.
    pub fn str(&mut self, col: usize, expected: &str) -> Option<&'r str> {
        match self.opt_str(col) {
            Ok(Some(s)) => Some(s),
            Ok(None) => {
                self.error(col, format!("empty (expected {expected})"));
                None
            }
            Err(()) => None,
        }
    }

    fn opt_parse<T>(&mut self, col: usize, parse: impl Fn(&str) -> Result<T, String>) -> Field<T> {
        let s = match self.opt_str(col)? {
            None => return Ok(None),
            Some(s) => s,
        };
        match parse(s) {
            Ok(v) => Ok(Some(v)),
            Err(m) => {
                self.error(col, m);
                Err(())
            }
        }
    }

    fn req<T>(&mut self, col: usize, expected: &str, f: Field<T>) -> Option<T> {
        match f {
            Ok(Some(v)) => Some(v),
            Ok(None) => {
                self.error(col, format!("empty (expected {expected})"));
                None
            }
            Err(()) => None,
        }
    }

    pub fn opt_date(&mut self, col: usize) -> Field<NaiveDate> {
        self.opt_parse(col, |s| {
            parse_date(s).ok_or_else(|| {
                if is_date_shaped(s) {
                    format!("'{s}' is not a day of the calendar (expected a real date YYYY-MM-DD)")
                } else {
                    format!("'{s}' is not a date (expected YYYY-MM-DD)")
                }
            })
        })
    }
    pub fn date(&mut self, col: usize) -> Option<NaiveDate> {
        let f = self.opt_date(col);
        self.req(col, "a date YYYY-MM-DD", f)
    }

    /// `HH:MM`, 24 h; `24:00` only where `allow_24` (a window's end, F7).
    pub fn time(&mut self, col: usize, allow_24: bool) -> Option<u16> {
        let f = self.opt_parse(col, |s| {
            parse_time(s, allow_24).ok_or_else(|| {
                let range = if allow_24 {
                    "00:00 to 24:00"
                } else {
                    "00:00 to 23:59"
                };
                format!("'{s}' is not a time (expected HH:MM, 24-hour, {range})")
            })
        });
        self.req(col, "a time HH:MM", f)
    }

    /// Money: a plain decimal with a dot, at most two decimals (F2), not negative.
    pub fn opt_money(&mut self, col: usize) -> Field<Decimal> {
        self.opt_parse(col, |s| match parse_decimal(s) {
            None if s.contains(',') => Err(format!(
                "'{s}' is not an amount (expected a plain decimal with a dot, not a comma, e.g. 95.00)"
            )),
            None => Err(format!(
                "'{s}' is not an amount (expected a plain decimal with a dot, e.g. 95.00)"
            )),
            Some(d) if d.scale() > 2 => Err(format!(
                "'{s}' has {} decimals (expected at most two, e.g. 95.00)",
                d.scale()
            )),
            Some(d) if d.is_sign_negative() => Err(format!(
                "'{s}' is negative (expected an amount of 0.00 or more)"
            )),
            Some(d) => Ok(d),
        })
    }
    pub fn money(&mut self, col: usize) -> Option<Decimal> {
        let f = self.opt_money(col);
        self.req(col, "an amount such as 95.00", f)
    }

    /// A percentage `0..=max` written as a plain number (`25` = 25 %).
    pub fn percent(&mut self, col: usize, max: Option<u32>) -> Option<Decimal> {
        let f = self.opt_parse(col, |s| {
            let bound = max.map_or(String::new(), |m| format!(" from 0 to {m}"));
            parse_decimal(s)
                .filter(|d| !d.is_sign_negative() && max.is_none_or(|m| *d <= Decimal::from(m)))
                .ok_or_else(|| format!("'{s}' is not a percentage (expected a plain number{bound}, e.g. 25 for 25 %)"))
        });
        self.req(col, "a percentage such as 10 (or 0)", f)
    }

    /// Whole minutes from an hours value (`2`, `1.5`): the quota and budget unit.
    pub fn opt_hours_as_minutes(&mut self, col: usize) -> Field<u32> {
        self.opt_parse(col, |s| {
            let d = parse_decimal(s)
                .filter(|d| !d.is_sign_negative())
                .ok_or_else(|| format!("'{s}' is not a number of hours (expected e.g. 2 or 1.5, not negative)"))?;
            let m = d * Decimal::from(60);
            if m.fract() != Decimal::ZERO || m > Decimal::from(u32::MAX) {
                return Err(format!(
                    "'{s}' hours is not a whole number of minutes (expected hours such as 2, 1.5 or 0.25)"
                ));
            }
            Ok(u32::try_from(m.trunc().mantissa() / 10i128.pow(m.trunc().scale())).unwrap_or(u32::MAX))
        })
    }

    pub fn uint(&mut self, col: usize, expected: &str) -> Option<u32> {
        let f = self.opt_parse(col, |s| {
            if s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse::<u32>()
                    .map_err(|_| format!("'{s}' is too large (expected {expected})"))
            } else {
                Err(format!("'{s}' is not a whole number (expected {expected})"))
            }
        });
        self.req(col, expected, f)
    }

    /// One of a fixed vocabulary, with a "did you mean" for near misses.
    pub fn opt_choice<T: Copy>(&mut self, col: usize, choices: &[(&'static str, T)]) -> Field<T> {
        self.opt_parse(col, |s| choice(s, choices))
    }
    pub fn choice<T: Copy>(&mut self, col: usize, choices: &[(&'static str, T)]) -> Option<T> {
        match self.opt_choice(col, choices) {
            Ok(Some(v)) => Some(v),
            Ok(None) => {
                let names: Vec<&str> = choices.iter().map(|c| c.0).collect();
                self.error(col, format!("empty (expected one of {})", names.join(", ")));
                None
            }
            Err(()) => None,
        }
    }
}

/// The column names of a CSV file's header (for optional columns).
pub fn header_names(bytes: &[u8]) -> Vec<String> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut header = ByteRecord::new();
    match reader.read_byte_record(&mut header) {
        Ok(true) => header
            .iter()
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect(),
        _ => Vec::new(),
    }
}

/// Looks `s` up in the vocabulary; the error names every choice and a near miss.
pub fn choice<T: Copy>(s: &str, choices: &[(&'static str, T)]) -> Result<T, String> {
    // Byte by byte, inline: the vocabularies are a few short words, and a
    // million rows have three of them each.
    let same = |n: &str| n.len() == s.len() && n.bytes().zip(s.bytes()).all(|(a, b)| a == b);
    if let Some((_, v)) = choices.iter().find(|(n, _)| same(n)) {
        return Ok(*v);
    }
    let names: Vec<&str> = choices.iter().map(|c| c.0).collect();
    let hint = suggest(s, &names)
        .map(|n| format!("; did you mean '{n}'?"))
        .unwrap_or_default();
    Err(format!(
        "unknown value '{s}' (expected one of {}{hint})",
        names.join(", ")
    ))
}

/// The closest name by edit distance, if close enough to be a typo.
pub fn suggest<'n>(s: &str, names: &[&'n str]) -> Option<&'n str> {
    let lower = s.trim().to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for n in names {
        let d = edit_distance(&lower, n);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, n));
        }
    }
    // A near miss: one edit, or up to one in two characters after the same
    // first two letters (`onsight` -> `onsite`), but not `fr` -> `de` or
    // `note` -> `date`.
    best.filter(|(d, n)| *d <= 1 || (*d <= n.len() / 2 && same_start(&lower, n)))
        .map(|(_, n)| n)
}

fn same_start(a: &str, b: &str) -> bool {
    let (mut a, mut b) = (a.chars(), b.chars());
    (0..2).all(|_| matches!((a.next(), b.next()), (Some(x), Some(y)) if x == y))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn not_utf8(file: &str, line: u64, column: &str, raw: &[u8], e: std::str::Utf8Error) -> Diagnostic {
    let at = e.valid_up_to();
    Diagnostic::error(
        file,
        line,
        column,
        format!(
            "not valid UTF-8 (byte 0x{:02X} after '{}'; expected UTF-8 text: save the file as UTF-8, not Latin-1 or Windows-1252)",
            raw[at],
            String::from_utf8_lossy(&raw[..at])
        ),
    )
}

/// `YYYY-MM-DD`, strictly: four-digit year, two-digit month and day.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = digits(&b[0..4])?;
    let m = digits(&b[5..7])?;
    let d = digits(&b[8..10])?;
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// `NNNN-NN-NN`: written like a date, whether or not the day exists.
fn is_date_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, &c)| {
            if i == 4 || i == 7 {
                c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// `HH:MM` as minutes of the day.
pub fn parse_time(s: &str, allow_24: bool) -> Option<u16> {
    let b = s.as_bytes();
    if b.len() != 5 || b[2] != b':' {
        return None;
    }
    let h = digits(&b[0..2])?;
    let m = digits(&b[3..5])?;
    if m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24)) {
        return None;
    }
    Some((h * 60 + m) as u16)
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut n = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(c - b'0');
    }
    Some(n)
}

/// A plain decimal with a dot: `95`, `95.5`, `-3.25`; no exponent, no
/// thousands separator, no comma.
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    let body = s.strip_prefix('-').unwrap_or(s);
    let mut parts = body.splitn(2, '.');
    let int = parts.next()?;
    let frac = parts.next();
    let ok = !int.is_empty()
        && int.bytes().all(|c| c.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()));
    if !ok {
        return None;
    }
    Decimal::from_str_exact(s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `split_checked` of a whole body, as `Table::rows` uses it: in one
    /// piece when a cut is doubtful.
    fn split(body: &[u8], body_line: u64) -> Vec<(&[u8], u64)> {
        split_checked(body, body_line, false).unwrap_or_else(|| vec![(body, body_line)])
    }

    /// The byte-by-byte state machine `ends_at_record_end` must agree with.
    fn ends_at_record_end_stepwise(piece: &[u8]) -> bool {
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            FieldStart,
            Unquoted,
            Quoted,
            /// A `"` in a quoted field: its end, or the first of `""`.
            QuoteInQuoted,
        }
        let mut state = State::FieldStart;
        let mut at_end = true;
        for &c in piece {
            at_end = false;
            state = match (state, c) {
                (State::Quoted, b'"') => State::QuoteInQuoted,
                (State::Quoted, _) => State::Quoted,
                (State::QuoteInQuoted, b'"') => State::Quoted,
                (State::FieldStart, b'"') => State::Quoted,
                (_, b'\n' | b'\r') => {
                    at_end = true;
                    State::FieldStart
                }
                (_, b',') => State::FieldStart,
                _ => State::Unquoted,
            };
        }
        at_end
    }

    #[test]
    fn record_end_check_agrees_with_the_stepwise_machine() {
        // Every string of up to 7 bytes over the bytes that matter.
        let alphabet = [b'a', b'"', b',', b'\n', b'\r'];
        let mut piece = Vec::new();
        fn all(piece: &mut Vec<u8>, alphabet: &[u8], left: usize) {
            let expected = ends_at_record_end_stepwise(piece);
            let shown = String::from_utf8_lossy(piece);
            assert_eq!(ends_at_record_end(piece), expected, "{shown:?}");
            assert_eq!(ends_at_record_end_by_fields(piece), expected, "{shown:?}");
            if left == 0 {
                return;
            }
            for &c in alphabet {
                piece.push(c);
                all(piece, alphabet, left - 1);
                piece.pop();
            }
        }
        all(&mut piece, &alphabet, 8);
    }

    /// Records and their lines as the csv reader gives them.
    fn csv_records(text: &[u8], first_line: u64) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut reader = ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        let mut rec = ByteRecord::new();
        let mut out = Vec::new();
        while reader.read_byte_record(&mut rec).unwrap() {
            let fields = rec.iter().map(<[u8]>::to_vec).collect();
            out.push((record_line(text, &rec, first_line), fields));
        }
        out
    }

    #[test]
    fn records_agree_with_the_csv_reader() {
        // Every string of up to 7 bytes over the bytes that matter.
        fn all(text: &mut Vec<u8>, left: usize) {
            let mut got = Vec::new();
            each_record(text, 7, &mut Vec::new(), |bytes, bounds, line, _| {
                let fields = bounds.iter().map(|&(a, b)| bytes[a..b].to_vec()).collect();
                got.push((line, fields));
            });
            let shown = String::from_utf8_lossy(text);
            assert_eq!(got, csv_records(text, 7), "{shown:?}");
            if left == 0 {
                return;
            }
            for &c in b"a,\"\n\r" {
                text.push(c);
                all(text, left - 1);
                text.pop();
            }
        }
        all(&mut Vec::new(), 7);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// Longer texts, so that records, fields and quotes cross the 64-byte
        /// blocks of `Scan` anywhere.
        #[test]
        fn long_texts_agree_with_the_csv_reader(
            text in proptest::collection::vec(
                proptest::sample::select(b"aaaaaaaaaa,,,\"\n\r\xc3\xa4".to_vec()),
                0..700,
            )
        ) {
            let mut got = Vec::new();
            each_record(&text, 1, &mut Vec::new(), |bytes, bounds, line, _| {
                let fields = bounds.iter().map(|&(a, b)| bytes[a..b].to_vec()).collect();
                got.push((line, fields));
            });
            proptest::prop_assert_eq!(got, csv_records(&text, 1));
        }
    }

    #[test]
    fn fields_at_every_block_edge_agree_with_the_csv_reader() {
        // A comma, quote or line end at each offset around 64 and 128.
        for at in 0..200 {
            for c in [b',', b'\n', b'\r', b'"'] {
                let mut text = vec![b'x'; 200];
                text[at] = c;
                text.extend_from_slice(b"\ny,z\n");
                let mut got = Vec::new();
                each_record(&text, 1, &mut Vec::new(), |bytes, bounds, line, _| {
                    let fields: Vec<Vec<u8>> =
                        bounds.iter().map(|&(a, b)| bytes[a..b].to_vec()).collect();
                    got.push((line, fields));
                });
                assert_eq!(got, csv_records(&text, 1), "{c} at {at}");
            }
        }
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        let mut got = Vec::new();
        each_record(
            b"a\rb,c\r\rd\r\ne\n\rf",
            1,
            &mut Vec::new(),
            |_, _, line, _| got.push(line),
        );
        assert_eq!(got, [1, 2, 4, 5, 7]);
        let mut diags = Vec::new();
        let t = Table::open("x.csv", b"k,v\r1,2\r\r3\r4,5", &["k", "v"], &mut diags).unwrap();
        let (rows, diags) = t.rows(|r| Some(r.line));
        assert_eq!(rows, [2, 5]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].line, 4);
    }

    #[test]
    fn split_respects_quotes_and_counts_lines() {
        let mut body = Vec::new();
        for i in 0..200_000 {
            body.extend_from_slice(format!("a{i},\"x\ny, \"\"q\"\"\"\n").as_bytes());
        }
        let chunks = split(&body, 2);
        assert!(chunks.len() > 1);
        let joined: Vec<u8> = chunks.iter().flat_map(|c| c.0.iter().copied()).collect();
        assert_eq!(joined, body);
        for (c, line) in &chunks {
            // Every chunk starts at a record: `a<i>,` on an even line offset.
            assert_eq!(c[0], b'a');
            let i: u64 = std::str::from_utf8(&c[1..c.iter().position(|&b| b == b',').unwrap()])
                .unwrap()
                .parse()
                .unwrap();
            assert_eq!(*line, 2 + 2 * i);
        }
    }

    #[test]
    fn split_never_cuts_inside_a_quoted_field_after_a_stray_quote() {
        // The stray `"` is literal to the csv reader; by parity every later
        // newline inside a quoted field would look like a record end.
        let mut body = b"s0,Monitor 24\" getauscht\n".to_vec();
        for i in 0..200_000 {
            body.extend_from_slice(format!("a{i},\"x\ny\"\n").as_bytes());
        }
        let chunks = split(&body, 2);
        let joined: Vec<u8> = chunks.iter().flat_map(|c| c.0.iter().copied()).collect();
        assert_eq!(joined, body);
        for (c, line) in &chunks[1..] {
            assert_eq!(c[0], b'a', "chunk at line {line} starts inside a record");
        }
        assert!(!ends_at_record_end(b"a,\"x\n"));
        assert!(ends_at_record_end(b"a,\"x\"\"\n\"\n"));
        assert!(ends_at_record_end(b"a,5\" x\n"));
    }

    #[test]
    fn suggestions() {
        let ch = ["phone", "email", "ticket", "remote", "onsite"];
        assert_eq!(suggest("onsight", &ch), Some("onsite"));
        assert_eq!(suggest("Remote", &ch), Some("remote"));
        assert_eq!(suggest("carrier pigeon", &ch), None);
        assert_eq!(suggest("fr", &["de", "en"]), None);
        assert_eq!(suggest("note", &["entry_id", "date", "end"]), None);
        assert_eq!(
            suggest("descripton", &["date", "description"]),
            Some("description")
        );
    }

    #[test]
    fn strict_values() {
        assert!(parse_date("2026-10-01").is_some());
        assert!(parse_date("2026-1-01").is_none());
        assert!(parse_date("2026-02-30").is_none());
        assert_eq!(parse_time("23:59", false), Some(1439));
        assert_eq!(parse_time("24:00", false), None);
        assert_eq!(parse_time("24:00", true), Some(1440));
        assert!(parse_decimal("1.234,56").is_none());
        assert!(parse_decimal("1e3").is_none());
        assert!(parse_decimal(" 5").is_none());
        assert_eq!(parse_decimal("95.00").unwrap().to_string(), "95.00");
    }
}
