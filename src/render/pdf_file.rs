//! PDF file syntax (ISO 32000-1, 7): numbered objects, streams, the
//! cross-reference table and the trailer, written front to back in one pass.
//!
//! Owns the bytes of the file and nothing of its meaning: the layout
//! (`render::pdf`) and the Factur-X parts (`render::facturx`) say which
//! objects there are, this module writes them. It also owns the number
//! formatting of the content streams and the deflate of every stream.
//!
//! **Decision: our own writer.** printpdf built an object tree per PDF,
//! lopdf serialised it and, for an invoice, parsed it again to add the
//! e-invoice; the fonts were subset and every stream compressed anew for
//! each file. A PDF of a few dozen objects is simple enough to write
//! directly: ids are handed out up front (`alloc`), each object is written
//! once at its final offset, and the xref table comes from those offsets.
//! Same calls, same bytes.
//!
//! **Deflate** goes through `flate2` with the `zlib-rs` backend at level
//! [`LEVEL`] 2. Measured on a 300k month (docs/BENCHMARKS.md, 2026-12-05,
//! second session), the per-invoice streams (page content, embedded XML)
//! deflate twice as fast at level 2 as at 6 for 28 % more compressed bytes
//! (the whole run: 24 % less CPU, PDFs 6.7 % larger); level 1 is faster
//! still but leaves page content half again as large (its quick mode uses
//! fixed Huffman codes), level 4 saves little time. Streams made once per
//! process (fonts, ICC profile) use the same level: their CPU is spent once.

/// The first version of faktura whose PDFs this writer made: `verify`
/// compares the PDFs of runs made before it by content, not by bytes.
pub const SINCE_VERSION: &str = "0.3.0";

/// The deflate level of every stream: see the module doc.
pub const LEVEL: u32 = 2;

/// zlib-deflated `data` (`/Filter /FlateDecode`) at [`LEVEL`].
pub fn deflate(data: &[u8]) -> Vec<u8> {
    deflate_at(data, LEVEL)
}

/// zlib-deflated `data` at `level` (0-9); the benchmark compares levels.
/// Each thread keeps one compressor and resets it for the next stream: a
/// new one allocates and clears its window and tables for each of a
/// month's many thousand streams. The calls are those of flate2's
/// `ZlibEncoder` (the input without flushing, then the end), so the bytes
/// are the same.
pub fn deflate_at(data: &[u8], level: u32) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    use std::cell::RefCell;
    thread_local! {
        static Z: RefCell<Option<(u32, Compress)>> = const { RefCell::new(None) };
    }
    Z.with(|z| {
        let mut z = z.borrow_mut();
        let c = match &mut *z {
            Some((l, c)) if *l == level => {
                c.reset();
                c
            }
            other => {
                let (_, c) = other.insert((level, Compress::new(Compression::new(level), true)));
                c
            }
        };
        let mut out = Vec::with_capacity(data.len() / 3 + 64);
        let mut input = data;
        let mut flush = FlushCompress::None;
        loop {
            if out.capacity() - out.len() < 1024 {
                out.reserve(out.capacity().max(4096));
            }
            let before = c.total_in();
            // Deflating into memory cannot fail.
            let status = c
                .compress_vec(input, &mut out, flush)
                .expect("deflate to memory");
            input = &input[(c.total_in() - before) as usize..];
            if status == Status::StreamEnd {
                return out;
            }
            if input.is_empty() {
                flush = FlushCompress::Finish;
            }
        }
    })
}

/// One PDF file being written.
pub struct PdfFile {
    buf: Vec<u8>,
    /// Byte offset of each object, by id - 1 (0: allocated, not written yet).
    offsets: Vec<usize>,
}

impl PdfFile {
    /// A file with the PDF 1.7 header (PDF/A-3 is based on 1.7) and the
    /// binary comment line that marks it as binary for transfer tools.
    pub fn new(capacity: usize) -> PdfFile {
        let mut buf = Vec::with_capacity(capacity);
        buf.extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
        PdfFile {
            buf,
            offsets: Vec::new(),
        }
    }

    /// A new object id, to refer to before the object is written.
    pub fn alloc(&mut self) -> u32 {
        self.offsets.push(0);
        self.offsets.len() as u32
    }

    /// Object `id` with the dictionary or value `body`.
    pub fn object(&mut self, id: u32, body: &[u8]) {
        self.begin(id);
        self.buf.extend_from_slice(body);
        self.buf.extend_from_slice(b"\nendobj\n");
    }

    /// Object `id`, a stream: `dict` holds the dictionary's entries other
    /// than `/Length` and `/Filter`; `deflated` says that `data` is
    /// deflated already (`/Filter /FlateDecode`).
    pub fn stream(&mut self, id: u32, dict: &[u8], data: &[u8], deflated: bool) {
        self.begin(id);
        self.buf.extend_from_slice(b"<<");
        self.buf.extend_from_slice(dict);
        if deflated {
            self.buf.extend_from_slice(b"/Filter/FlateDecode");
        }
        self.buf.extend_from_slice(b"/Length ");
        int(&mut self.buf, data.len() as i64);
        self.buf.extend_from_slice(b">>\nstream\n");
        self.buf.extend_from_slice(data);
        self.buf.extend_from_slice(b"\nendstream\nendobj\n");
    }

    fn begin(&mut self, id: u32) {
        let slot = &mut self.offsets[id as usize - 1];
        debug_assert_eq!(*slot, 0, "object {id} written twice");
        *slot = self.buf.len();
        int(&mut self.buf, i64::from(id));
        self.buf.extend_from_slice(b" 0 obj\n");
    }

    /// The cross-reference table and the trailer: the finished file.
    /// `id` is the file identifier (both halves of `/ID`).
    pub fn finish(mut self, root: u32, info: u32, id: &[u8]) -> Vec<u8> {
        let xref = self.buf.len();
        let size = self.offsets.len() + 1;
        self.buf.extend_from_slice(b"xref\n0 ");
        int(&mut self.buf, size as i64);
        self.buf.extend_from_slice(b"\n0000000000 65535 f \n");
        for &offset in &self.offsets {
            assert!(offset > 0, "an allocated object was never written");
            // Ten digits, zero-padded: each entry is exactly 20 bytes.
            let mut digits = [b'0'; 10];
            let mut n = offset;
            for d in digits.iter_mut().rev() {
                *d = b'0' + (n % 10) as u8;
                n /= 10;
            }
            self.buf.extend_from_slice(&digits);
            self.buf.extend_from_slice(b" 00000 n \n");
        }
        self.buf.extend_from_slice(b"trailer\n<</Size ");
        int(&mut self.buf, size as i64);
        self.buf.extend_from_slice(b"/Root ");
        reference(&mut self.buf, root);
        self.buf.extend_from_slice(b"/Info ");
        reference(&mut self.buf, info);
        self.buf.extend_from_slice(b"/ID[");
        hex(&mut self.buf, id);
        hex(&mut self.buf, id);
        self.buf.extend_from_slice(b"]>>\nstartxref\n");
        int(&mut self.buf, xref as i64);
        self.buf.extend_from_slice(b"\n%%EOF\n");
        self.buf
    }
}

// ---------------------------------------------------------------------------
// Values: numbers, strings, references (no `fmt` machinery: the content
// streams of a month's invoices hold some hundred million numbers)
// ---------------------------------------------------------------------------

/// `n` in decimal.
pub fn int(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut m = n.unsigned_abs();
    loop {
        i -= 1;
        digits[i] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// `v` with at most three decimals, trailing zeros dropped (`12.5`, `0.38`,
/// `-3`): a thousandth of a point is far below what any device shows.
pub fn num(out: &mut Vec<u8>, v: f32) {
    num_dp(out, v, 3);
}

/// `v` with at most `dp` decimals (up to 9), trailing zeros dropped: six
/// for the sine and cosine of a rotation, whose error grows with the
/// distance from the origin.
pub fn num_dp(out: &mut Vec<u8>, v: f32, dp: u32) {
    let scale = 10u64.pow(dp);
    let scaled = (f64::from(v) * scale as f64).round() as i64;
    if scaled < 0 {
        out.push(b'-');
    }
    let m = scaled.unsigned_abs();
    int(out, (m / scale) as i64);
    let mut frac = m % scale;
    if frac != 0 {
        out.push(b'.');
        let mut div = scale / 10;
        while frac != 0 {
            out.push(b'0' + (frac / div) as u8);
            frac %= div;
            div /= 10;
        }
    }
}

/// `id 0 R`.
pub fn reference(out: &mut Vec<u8>, id: u32) {
    int(out, i64::from(id));
    out.extend_from_slice(b" 0 R");
}

/// `<...>`: bytes as a hexadecimal string.
pub fn hex(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'<');
    for b in bytes {
        out.push(HEX[usize::from(b >> 4)]);
        out.push(HEX[usize::from(b & 15)]);
    }
    out.push(b'>');
}

/// `(...)`: an ASCII string as a literal string, `\`, `(` and `)` escaped.
pub fn literal(out: &mut Vec<u8>, s: &str) {
    out.push(b'(');
    for b in s.bytes() {
        if matches!(b, b'\\' | b'(' | b')') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
}

/// A text string (ISO 32000-1, 7.9.2.2): literal for ASCII, else UTF-16BE
/// with a byte order mark, as a hexadecimal string.
pub fn text(out: &mut Vec<u8>, s: &str) {
    if s.is_ascii() {
        literal(out, s);
    } else {
        let mut b = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            b.extend_from_slice(&u.to_be_bytes());
        }
        hex(out, &b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(f: impl Fn(&mut Vec<u8>)) -> String {
        let mut v = Vec::new();
        f(&mut v);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn numbers_are_written_without_fmt_and_agree_with_it() {
        for (v, want) in [
            (0.0, "0"),
            (12.5, "12.5"),
            (0.38, "0.38"),
            (-0.81651, "-0.817"),
            (595.2756, "595.276"),
            (0.0004, "0"),
            (1000.0, "1000"),
            (0.05, "0.05"),
            (-3.0, "-3"),
        ] {
            assert_eq!(s(|o| num(o, v)), want, "{v}");
        }
        assert_eq!(s(|o| num_dp(o, 0.577331, 6)), "0.577331");
        assert_eq!(s(|o| num_dp(o, -0.81651, 6)), "-0.81651");
        for n in [0i64, 7, -7, 1234567890, i64::MIN + 1] {
            assert_eq!(s(|o| int(o, n)), n.to_string());
        }
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(s(|o| literal(o, "a(b)\\c")), "(a\\(b\\)\\\\c)");
        assert_eq!(s(|o| text(o, "RE-1")), "(RE-1)");
        assert_eq!(s(|o| text(o, "ü")), "<feff00fc>");
    }

    #[test]
    fn the_xref_points_at_the_objects() {
        let mut f = PdfFile::new(0);
        let (a, b) = (f.alloc(), f.alloc());
        f.object(b, b"<</Type/Info>>");
        f.object(a, b"<</Type/Catalog>>");
        let pdf = f.finish(a, b, b"0123456789abcdef");
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        assert_eq!(
            doc.catalog()
                .unwrap()
                .get(b"Type")
                .unwrap()
                .as_name()
                .unwrap(),
            b"Catalog"
        );
    }
}
