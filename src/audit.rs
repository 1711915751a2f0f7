//! The ledger as `faktura verify` audits it: read block by block, once.
//! The rows of the batches before the verified run are kept whole (the
//! ledger as that run saw it, which it is recomputed with); of every
//! committed row the audit keeps the invoices, letters and dunning rows
//! (a few per invoice) and, of each line, only what the consistency checks
//! need: its invoice, its item by a compact key, and its amount folded into
//! its invoice's total and fingerprints. A year of lines is never held
//! whole, and neither are the file's bytes. Pure: blocks in, values out.

use crate::diagnostic::Diagnostic;
use crate::ledger::{
    self, DunnedRecord, IssuedInvoice, Item, ItemRef, Ledger, LetterRecord, LineView, Row, Rows,
};
use crate::table::{BlockReader, BlockSource, Table};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// A billed item as the audit keys it: an entry part the time log still
/// has, by its entry's position and part (8 bytes instead of the id
/// text); anything else (fees, call-outs, projects, a part that is gone)
/// by the item itself.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Key {
    Part { entry: u32, part: u32 },
    Item(Box<Item>),
}

/// One committed ledger line as the audit keeps it: 24 bytes.
#[derive(Clone, Debug)]
pub struct LineFact {
    pub item: Option<Key>,
    /// The invoice's number, by its position in `Audit::numbers`.
    pub invoice: u32,
    /// Line in `ledger.csv`.
    pub line: u32,
}

/// An invoice's lines, summed, and fingerprinted in file order.
#[derive(Clone, Default, Debug)]
pub struct Totals {
    pub net: Decimal,
    /// Per line: a fingerprint of (amount, item, unit price), and of the
    /// same with the amount negated. A cancellation negates its original
    /// line by line when its `as_is` equals the original's `negated`.
    pub as_is: Vec<u64>,
    pub negated: Vec<u64>,
}

/// What the audit keeps of the committed ledger (or of a stretch of it).
#[derive(Default, Debug)]
pub struct Audit {
    pub invoices: Vec<IssuedInvoice>,
    pub letters: Vec<LetterRecord>,
    pub dunned: Vec<DunnedRecord>,
    /// The invoice numbers the lines name, each once, and their totals.
    pub numbers: Vec<Arc<str>>,
    pub totals: Vec<Totals>,
    ids: FxHashMap<Arc<str>, u32>,
    /// Every line, in file order.
    pub lines: Vec<LineFact>,
}

impl Audit {
    /// The totals of the lines that name `number` (none: empty).
    pub fn totals_of(&self, number: &str) -> Option<&Totals> {
        self.ids.get(number).map(|&id| &self.totals[id as usize])
    }
    /// Whether batch `batch` was committed.
    pub fn has_batch(&self, batch: u64) -> bool {
        let last = self.invoices.iter().map(|i| i.batch);
        let last = last.chain(self.letters.iter().map(|l| l.batch)).max();
        batch > 0 && last.unwrap_or(0) >= batch
    }
    fn rows(&self) -> usize {
        self.invoices.len() + self.letters.len() + self.dunned.len() + self.lines.len()
    }
    fn id(&mut self, number: &Arc<str>) -> u32 {
        if let Some(&id) = self.ids.get(number) {
            return id;
        }
        let id = self.numbers.len() as u32;
        self.numbers.push(number.clone());
        self.totals.push(Totals::default());
        self.ids.insert(number.clone(), id);
        id
    }
    /// `later` appended: the stretch of the file after this one.
    fn absorb(&mut self, later: Audit) {
        self.invoices.extend(later.invoices);
        self.letters.extend(later.letters);
        self.dunned.extend(later.dunned);
        let mut to = Vec::with_capacity(later.numbers.len());
        for (number, t) in later.numbers.iter().zip(later.totals) {
            let id = self.id(number);
            to.push(id);
            let mine = &mut self.totals[id as usize];
            mine.net += t.net;
            mine.as_is.extend(t.as_is);
            mine.negated.extend(t.negated);
        }
        self.lines.extend(later.lines.into_iter().map(|mut l| {
            l.invoice = to[l.invoice as usize];
            l
        }));
    }
    fn line(&mut self, l: &LineView, key: &KeyOf<'_>) {
        let id = self.id(&l.invoice);
        let t = &mut self.totals[id as usize];
        t.net += l.amount;
        t.as_is.push(fingerprint(l.amount, l.item, l.unit_price));
        t.negated.push(fingerprint(-l.amount, l.item, l.unit_price));
        self.lines.push(LineFact {
            item: l.item.map(key),
            invoice: id,
            // A ledger of four billion lines is past any year's.
            line: u32::try_from(l.line).unwrap_or(u32::MAX),
        });
    }
}

/// A line's (amount, item, unit price), as 64 bits of its SHA-256: equal
/// values give equal fingerprints whatever their scale (1.0 and 1.00).
fn fingerprint(amount: Decimal, item: Option<ItemRef>, unit_price: Decimal) -> u64 {
    let canon = |d: Decimal| {
        if d.is_zero() {
            Decimal::ZERO.serialize()
        } else {
            d.normalize().serialize()
        }
    };
    let mut h = Sha256::new();
    h.update(canon(amount));
    h.update(canon(unit_price));
    match item {
        Some(ItemRef::Part { entry, part }) => {
            h.update(b"part\x1e");
            h.update(entry);
            h.update(part.to_le_bytes());
        }
        Some(other) => {
            let item = other.owned();
            h.update(item.kind());
            h.update([0x1e]);
            h.update(item.reference());
        }
        None => {}
    }
    let d = h.finalize();
    u64::from_le_bytes(d[..8].try_into().expect("8 bytes"))
}

/// Size of the blocks the ledger is read in: smaller than the time log's
/// (`load::BLOCK`), as the reader holds a few blocks ahead and the audit's
/// own share is small (measured on the 1M month: 4 MB blocks peaked 24 MB
/// higher, 1 MB blocks cost 0.2 s).
pub const BLOCK: usize = 1 << 20;

/// How the caller keys a line's item.
pub type KeyOf<'a> = dyn Fn(ItemRef) -> Key + Sync + 'a;

/// The ledger read for an audit: the ledger as it was before batch
/// `before` (whole), and the audit of every committed row.
pub struct Scanned {
    pub before: Ledger,
    pub audit: Audit,
}

/// One parse chunk's share: the rows before batch `before` whole, and the
/// audit in stretches that each end at a commit row (`Some(line)`), the
/// last one maybe open.
struct Chunk {
    before: Rows,
    stretches: Vec<(Audit, Option<u64>)>,
}

/// Reads the ledger in blocks. `key` keys each line's item. Rows after the
/// last commit are a batch cut short by a crash: dropped, as `ledger::parse`
/// drops them, and so are their diagnostics.
pub fn scan<B: BlockSource>(
    blocks: Option<B>,
    block: usize,
    before: u64,
    key: &KeyOf<'_>,
) -> (Scanned, Vec<Diagnostic>) {
    let (mut diags, mut row_diags) = (Vec::new(), Vec::new());
    let empty = || Scanned {
        before: Ledger::default(),
        audit: Audit::default(),
    };
    let Some(blocks) = blocks else {
        return (empty(), diags);
    };
    let unreadable = |e: std::io::Error| {
        Diagnostic::error(
            ledger::FILE,
            1,
            "file",
            format!("cannot be read: {e} (expected a readable file)"),
        )
    };
    let mut reader = BlockReader::new(blocks, block);
    let header = match reader.head() {
        Ok(head) => match Table::open(ledger::FILE, head, ledger::COLUMNS, &mut diags) {
            Some(t) => {
                let (at, line) = t.body_at(head);
                let header = t.header();
                reader.skip_header(at, line);
                header
            }
            None => return (empty(), diags),
        },
        Err(e) => {
            diags.push(unreadable(e));
            return (empty(), diags);
        }
    };
    let mut kept: Vec<Rows> = Vec::new();
    let (mut audit, mut open) = (Audit::default(), Audit::default());
    let mut last_commit = 0u64;
    while let Some(body) = reader.next_body() {
        let (body, line, last) = match body {
            Ok(b) => b,
            Err(e) => {
                diags.push(unreadable(e));
                break;
            }
        };
        let parsed = header.chunks_in(
            body,
            line,
            last,
            || Chunk {
                before: Rows::default(),
                stretches: vec![(Audit::default(), None)],
            },
            |r, c: &mut Chunk| {
                let row = ledger::row(r, &mut c.before.names)?;
                if c.stretches.last().is_some_and(|s| s.1.is_some()) {
                    c.stretches.push((Audit::default(), None));
                }
                let (into, closed) = c.stretches.last_mut().expect("one open stretch");
                match row {
                    Row::Invoice(i) => {
                        if i.batch < before {
                            c.before.invoices.push(i.clone());
                        }
                        into.invoices.push(i);
                    }
                    Row::Line(l) => {
                        into.line(&l, key);
                        if l.batch < before {
                            c.before.lines.push(l.owned());
                        }
                    }
                    Row::Letter(m) => {
                        if m.batch < before {
                            c.before.letters.push(m.clone());
                        }
                        into.letters.push(m);
                    }
                    Row::Dunned(x) => {
                        if x.batch < before {
                            c.before.dunned.push(x.clone());
                        }
                        into.dunned.push(x);
                    }
                    Row::Commit(line) => *closed = Some(line),
                }
                Some(())
            },
            |c, _| c,
        );
        let Some((chunks, d, next_line)) = parsed else {
            reader.refuse();
            continue;
        };
        reader.done(next_line);
        row_diags.extend(d);
        for c in chunks {
            kept.push(c.before);
            for (stretch, commit) in c.stretches {
                open.absorb(stretch);
                if let Some(line) = commit {
                    audit.absorb(std::mem::take(&mut open));
                    last_commit = line;
                }
            }
        }
    }
    let mut rows = Rows::joined(kept);
    let dropped = open.rows();
    rows.keep_before(last_commit);
    let mut led =
        Ledger::from_rows(rows.invoices, rows.lines).with_letters(rows.letters, rows.dunned);
    led.last_batch = led.last_batch.min(before.saturating_sub(1));
    led.dropped_rows = dropped;
    diags.extend(row_diags.into_iter().filter(|x| x.line <= last_commit));
    (Scanned { before: led, audit }, diags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Source;

    const LEDGER: &str = "\
record,batch,invoice_no,issue_date,customer_id,kind,project_id,period,service_from,service_to,due_date,vat_rate,tax_note,refers_to,reason,net,vat,gross,line,line_kind,item,ref,rule,minutes,date,description,quantity,unit,unit_price,amount,entry
invoice,1,RE-2026-00001,2026-11-02,C2,monthly,,2026-10,2026-10-01,2026-10-31,2026-11-16,19,,,,193.20,36.71,229.91,,,,,,,,,,,,,
line,1,RE-2026-00001,,,,,,,,,,,,,,,,1,fee,fee,V-C2-1@2026-10,fee,,2026-10-01,\"Wartung, Oktober\",1.00,month,150.00,150.00,
line,1,RE-2026-00001,,,,,,,,,,,,,,,,2,work,part,e2#2,K7;A1,30,2026-10-07,\"Scan-Ablage\nzweite Zeile\",0.50,h,86.40,43.20,e2#2
line,1,RE-2026-00001,,,,,,,,,,,,,,,,3,proof,,,,90,2026-10-06,DATEV,1.50,h,0.00,0.00,e1#1
commit,1,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
invoice,2,ST-2026-00001,2026-11-03,C2,cancellation,,2026-10,2026-10-01,2026-10-31,,19,,RE-2026-00001,x,-193.20,-36.71,-229.91,,,,,,,,,,,,,
line,2,ST-2026-00001,,,,,,,,,,,,,,,,1,fee,fee,V-C2-1@2026-10,fee,,2026-10-01,\"Wartung, Oktober\",-1.00,month,150.00,-150.00,
line,2,ST-2026-00001,,,,,,,,,,,,,,,,2,work,part,e2#2,K7;A1,30,2026-10-07,Scan,-0.50,h,86.4,-43.2,e2#2
line,2,ST-2026-00001,,,,,,,,,,,,,,,,3,proof,,,,90,2026-10-06,DATEV,-1.50,h,0.00,0.00,e1#1
commit,2,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
invoice,3,RE-2026-00002,2026-11-04,C2,monthly,,2026-10,2026-10-01,2026-10-31,2026-11-18,19,,,,1.00,0.19,1.19,,,,,,,,,,,,,
line,3,RE-2026-00002,,,,,,,,,,,,,,,,1,work,part,e9#1,K3,15,2026-10-08,x,1,h,1.00,1.00,e9#1
";

    fn key(item: ItemRef) -> Key {
        match item {
            ItemRef::Part { entry: "e2", part } => Key::Part { entry: 2, part },
            other => Key::Item(Box::new(other.owned())),
        }
    }

    /// Cut anywhere (inside a quoted line break too), the scan reads what
    /// `ledger::parse` reads: the same ledger before the batch, every
    /// committed row audited, the unfinished batch dropped.
    #[test]
    fn blocks_of_any_size_give_the_ledger_parse_gives() {
        let (whole, d) = ledger::parse(LEDGER.as_bytes());
        assert!(d.is_empty(), "{d:?}");
        for block in [1, 5, 64, 300, 1 << 20] {
            let src = Source::text(ledger::FILE, LEDGER);
            let (read, d) = scan(src.blocks(block), block, 2, &key);
            assert!(d.is_empty(), "{d:?}");
            let before = whole.before(2);
            assert_eq!(read.before.invoices, before.invoices, "block {block}");
            assert_eq!(read.before.lines, before.lines, "block {block}");
            assert_eq!(read.before.last_batch, 1);
            assert_eq!(read.before.dropped_rows, 2);
            let a = &read.audit;
            assert_eq!(a.invoices, whole.invoices);
            assert!(a.has_batch(2) && !a.has_batch(3));
            let lines: Vec<u32> = a.lines.iter().map(|l| l.line).collect();
            assert_eq!(lines, [3, 4, 6, 9, 10, 11], "block {block}");
            assert_eq!(a.lines[1].item, Some(Key::Part { entry: 2, part: 2 }));
            assert_eq!(a.lines[2].item, None);
            let re = a.totals_of("RE-2026-00001").unwrap();
            let st = a.totals_of("ST-2026-00001").unwrap();
            assert_eq!(re.net, Decimal::new(19320, 2));
            assert_eq!(st.net, Decimal::new(-19320, 2));
            // 86.40 and 86.4 are one price: the cancellation negates.
            assert_eq!(re.negated, st.as_is);
            assert_ne!(re.as_is, st.as_is);
            assert!(a.totals_of("RE-2026-00002").is_none());
        }
    }

    #[test]
    fn a_malformed_committed_row_is_named_one_after_the_last_commit_is_not() {
        let bad = LEDGER.replacen(",0.50,h,86.40,43.20,", ",0.50,h,86.40,4x3,", 1);
        let (_, d) = scan(Source::text(ledger::FILE, &bad).blocks(64), 64, 2, &key);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column.as_str()), (4, "amount"));
        let tail = LEDGER.replace(",x,1,h,1.00,1.00,", ",x,1,h,1.00,zz,");
        let (_, d) = scan(Source::text(ledger::FILE, &tail).blocks(64), 64, 2, &key);
        assert!(d.is_empty(), "{d:?}");
    }
}
