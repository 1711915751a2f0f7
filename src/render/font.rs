//! The embedded font of every PDF: Liberation Sans regular and bold,
//! bundled, measured here and embedded as subsets, so that umlauts and €
//! render everywhere and `pdftotext` gets the text back.
//!
//! Owns the font files, the measuring of text (advance widths from `hmtx`,
//! no kerning, matching how the text is drawn), the mapping of characters to
//! the codes in the content streams, and the font objects of a PDF (Type0
//! with Identity-H, a CIDFontType2 descendant with its widths, the font
//! descriptor, the TrueType subset as `FontFile2`, the ToUnicode CMap).
//!
//! **Decision: one shared subset per face, made once per process.** It
//! holds ASCII, the German letters, the euro sign, typographic punctuation
//! and a few symbols and accents (130 glyphs, 19 KB deflated per face): what
//! German and English invoices of ours draw. It is subset, deflated, and
//! its widths array and ToUnicode CMap written when the fonts are
//! loaded; each PDF copies those bytes. The code of a character (its CID)
//! is its place in that subset, fixed for the process, so that the content
//! streams can be written while drawing. A document that draws a glyph
//! outside the set (a Polish, Greek or Cyrillic name, which the font has)
//! gets its own subset: the shared glyphs in the same places and its extra
//! glyphs after them, so the CIDs already written stay right. A character
//! the font lacks is drawn as `?`, visible in review. Subset names carry a
//! tag hashed from the face and its glyph list: the same set, the same name.
//!
//! The set is a trade of bytes in every PDF against CPU in the few that
//! fall back (figures in docs/BENCHMARKS.md, 2026-12-05 second session):
//! all of Latin-1 would be 207 glyphs and 24 KB per face, with Latin
//! Extended-A 335 glyphs and 30 KB, each kilobyte in every one of a month's
//! PDFs; a subset of its own per document (as before issue 23) is some
//! 12 KB per face but costs 0.4-0.7 ms of CPU per face and document.

use super::pdf_file::{self, PdfFile};
use sha2::{Digest, Sha256};

const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");

/// The characters of the shared subset (see the module doc): ASCII, the
/// German letters, the euro sign, typographic punctuation and the few
/// symbols and accents German business text uses.
fn shared_chars() -> impl Iterator<Item = char> {
    const MORE: &str = "\u{A0}ÄÖÜäöüß€–—‚‘’„“”•…·§°×²³µ«»éèàáçñ";
    (0x20u8..=0x7E).map(char::from).chain(MORE.chars())
}

/// Both faces, loaded once per command and shared across threads (rayon
/// renders documents in parallel).
pub struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    pub fn load() -> Fonts {
        Fonts {
            regular: Face::parse("LiberationSans", "FR", REGULAR_TTF),
            bold: Face::parse("LiberationSans-Bold", "FB", BOLD_TTF),
        }
    }

    pub(super) fn face(&self, bold: bool) -> &Face {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }
}

/// One font file, parsed once: its glyphs per character and the shared
/// subset ready to copy into a PDF.
pub(super) struct Face {
    /// The font's PostScript name, written (with a subset tag) as `/BaseFont`.
    name: &'static str,
    /// The PDF resource name in the pages' `/Font` dictionary.
    pub(super) resource: &'static str,
    bytes: &'static [u8],
    units_per_em: u16,
    /// Glyph id and advance width per character of the Basic Multilingual
    /// Plane (gid 0: the font lacks it): text is measured character by
    /// character, so this lookup is the hot path of the layout.
    glyphs: Vec<(u16, u16)>,
    /// Advance width of glyph 0 (`.notdef`), the first entry of `/W`.
    notdef_advance: u16,
    /// The shared subset's CID of each glyph id (0: not in it).
    shared_cid: Vec<u16>,
    /// The shared subset's glyphs in CID order, each with the character it
    /// stands for (CID 0: `.notdef`).
    shared_list: Vec<(char, u16)>,
    shared: Subset,
    /// `/Flags ... /StemV`: the font descriptor's metrics.
    metrics: Vec<u8>,
}

/// A subset of a face as PDF bytes, ready to copy.
struct Subset {
    /// `ABCDEF+LiberationSans`.
    base_font: String,
    /// The deflated TrueType program and its length before deflating; or
    /// the whole font, should subsetting ever fail (a larger PDF, never a
    /// wrong one), with `cid_to_gid` then mapping the codes to its glyphs.
    program: Vec<u8>,
    program_len: usize,
    cid_to_gid: Option<Vec<u8>>,
    /// The deflated ToUnicode CMap.
    to_unicode: Vec<u8>,
    /// `[0[...]]`: the widths by CID, in thousandths of the em.
    widths: Vec<u8>,
}

impl Face {
    fn parse(name: &'static str, resource: &'static str, bytes: &'static [u8]) -> Face {
        use allsorts::binary::read::ReadScope;
        use allsorts::font::{Font, MatchingPresentation};
        use allsorts::font_data::FontData;
        // The font files are compiled in and covered by the tests: a parse
        // failure is a broken build, not bad user data.
        let broken = |what: &str| -> ! { panic!("bundled font {name}: {what}") };
        let data = ReadScope::new(bytes)
            .read::<FontData<'_>>()
            .unwrap_or_else(|_| broken("does not parse"));
        let provider = data
            .table_provider(0)
            .unwrap_or_else(|_| broken("has no font 0"));
        let mut font = Font::new(provider).unwrap_or_else(|_| broken("has no usable cmap"));
        let glyphs: Vec<(u16, u16)> = (0..=u32::from(u16::MAX))
            .map(|cp| {
                let gid = char::from_u32(cp).map_or(0, |c| {
                    font.lookup_glyph_index(c, MatchingPresentation::NotRequired, None)
                        .0
                });
                (gid, font.horizontal_advance(gid).unwrap_or(0))
            })
            .collect();
        let units_per_em = font.head_table.units_per_em;
        let notdef_advance = font.horizontal_advance(0).unwrap_or(0);
        let thousandths = |v: i16| i64::from(v) * 1000 / i64::from(units_per_em);
        let head = &font.head_table;
        let (ascent, descent) = (font.hhea_table.ascender, font.hhea_table.descender);
        let cap = font
            .os2_table()
            .ok()
            .flatten()
            .and_then(|os2| os2.version2to4.map(|v| v.s_cap_height))
            .unwrap_or(ascent);
        let mut metrics = b"/Flags 32/FontBBox[".to_vec();
        for (i, v) in [head.x_min, head.y_min, head.x_max, head.y_max]
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                metrics.push(b' ');
            }
            pdf_file::int(&mut metrics, thousandths(v));
        }
        metrics.extend_from_slice(b"]/ItalicAngle 0/Ascent ");
        pdf_file::int(&mut metrics, thousandths(ascent));
        metrics.extend_from_slice(b"/Descent ");
        pdf_file::int(&mut metrics, thousandths(descent));
        metrics.extend_from_slice(b"/CapHeight ");
        pdf_file::int(&mut metrics, thousandths(cap));
        metrics.extend_from_slice(b"/StemV 80");

        let mut shared_cid = vec![0u16; usize::from(font.num_glyphs())];
        let mut shared_list = vec![('\0', 0u16)];
        for c in shared_chars() {
            let gid = glyphs[c as usize].0;
            if gid != 0 && shared_cid[usize::from(gid)] == 0 {
                shared_cid[usize::from(gid)] = shared_list.len() as u16;
                shared_list.push((c, gid));
            }
        }
        let mut face = Face {
            name,
            resource,
            bytes,
            units_per_em,
            glyphs,
            notdef_advance,
            shared_cid,
            shared_list: Vec::new(),
            shared: Subset::empty(),
            metrics,
        };
        face.shared = face.subset(&shared_list);
        face.shared_list = shared_list;
        face
    }

    /// The glyph of `c`, or `None` when the font lacks it.
    fn glyph(&self, c: char) -> Option<u16> {
        self.glyphs
            .get(c as usize)
            .map(|g| g.0)
            .filter(|gid| *gid != 0)
    }

    /// `c` as it will be drawn: control characters become spaces, characters
    /// the font lacks become `?` (an empty box would hide that something is
    /// missing; a `?` is visible in review).
    pub(super) fn drawable(&self, c: char) -> char {
        if c.is_control() {
            ' '
        } else if self.glyph(c).is_some() {
            c
        } else {
            '?'
        }
    }

    /// Width of `text` in points at `size_pt`: the sum of the glyphs' advance
    /// widths (hmtx). No kerning, matching how the text is drawn.
    pub(super) fn width_pt(&self, text: &str, size_pt: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| u32::from(self.glyphs[self.drawable(c) as usize].1))
            .sum();
        units as f32 * size_pt / f32::from(self.units_per_em)
    }

    /// The code of drawable `c` in a document's font: its CID in the shared
    /// subset, or after it, in `extra` (the document's glyphs outside the
    /// shared subset, in order of first use).
    pub(super) fn cid(&self, c: char, extra: &mut Vec<(char, u16)>) -> u16 {
        let gid = self.glyphs[c as usize].0;
        let cid = self.shared_cid[usize::from(gid)];
        if cid != 0 {
            return cid;
        }
        let at = extra.iter().position(|e| e.1 == gid).unwrap_or_else(|| {
            extra.push((c, gid));
            extra.len() - 1
        });
        (self.shared_list.len() + at) as u16
    }

    /// This face reduced to `list` (glyph 0 first, no glyph twice; CID i
    /// is `list[i]`), as PDF bytes.
    fn subset(&self, list: &[(char, u16)]) -> Subset {
        use allsorts::binary::read::ReadScope;
        use allsorts::font_data::FontData;
        use allsorts::subset::{subset, CmapTarget, SubsetProfile};
        use allsorts::tag;

        let ids: Vec<u16> = list.iter().map(|e| e.1).collect();
        // The tables a PDF TrueType font program needs (ISO 32000-1, 9.9),
        // plus `cmap`. allsorts gives glyph `ids[i]` the new id i (the
        // parts of composite glyphs go after them), so CID = new glyph id.
        let tables = vec![
            tag::CMAP,
            tag::HEAD,
            tag::HHEA,
            tag::HMTX,
            tag::MAXP,
            tag::CVT,
            tag::FPGM,
            tag::PREP,
        ];
        let program = ReadScope::new(self.bytes)
            .read::<FontData<'_>>()
            .ok()
            .and_then(|font| font.table_provider(0).ok())
            .and_then(|provider| {
                subset(
                    &provider,
                    &ids,
                    &SubsetProfile::Custom(tables),
                    CmapTarget::Unicode,
                )
                .ok()
            });
        let (program, cid_to_gid) = match program {
            Some(p) => (p, None),
            None => {
                let map: Vec<u8> = ids.iter().flat_map(|g| g.to_be_bytes()).collect();
                (self.bytes.to_vec(), Some(pdf_file::deflate(&map)))
            }
        };

        // ISO 32000-1, 9.6.4: a subset font's name carries a six-letter tag,
        // here derived from the face and the glyph list, so it is stable
        // across runs and differs between the faces (which share glyph ids).
        let mut hash = Sha256::new();
        hash.update(self.name.as_bytes());
        for g in &ids {
            hash.update(g.to_be_bytes());
        }
        let digest = hash.finalize();
        let tag: String = digest[..6]
            .iter()
            .map(|b| char::from(b'A' + b % 26))
            .collect();

        let mut widths = b"[0[".to_vec();
        for (i, (c, _)) in list.iter().enumerate() {
            if i > 0 {
                widths.push(b' ');
            }
            let advance = if i == 0 {
                self.notdef_advance
            } else {
                self.glyphs[*c as usize].1
            };
            let w = (u32::from(advance) * 1000 * 2 + u32::from(self.units_per_em))
                / (2 * u32::from(self.units_per_em));
            pdf_file::int(&mut widths, i64::from(w));
        }
        widths.extend_from_slice(b"]]");

        Subset {
            base_font: format!("{tag}+{}", self.name),
            program_len: program.len(),
            program: pdf_file::deflate(&program),
            cid_to_gid,
            to_unicode: pdf_file::deflate(&to_unicode(list)),
            widths,
        }
    }

    /// Writes this face's font objects into `file` (a subset of its own when
    /// the document drew glyphs outside the shared one) and returns the id
    /// of the font dictionary.
    pub(super) fn write(&self, file: &mut PdfFile, extra: &[(char, u16)]) -> u32 {
        let own;
        let sub = if extra.is_empty() {
            &self.shared
        } else {
            let mut list = self.shared_list.clone();
            list.extend_from_slice(extra);
            own = self.subset(&list);
            &own
        };
        let (font, descriptor, program, cmap) =
            (file.alloc(), file.alloc(), file.alloc(), file.alloc());
        let map = sub.cid_to_gid.as_ref().map(|_| file.alloc());

        let mut d = Vec::with_capacity(512 + sub.widths.len());
        d.extend_from_slice(b"<</Type/Font/Subtype/Type0/BaseFont/");
        d.extend_from_slice(sub.base_font.as_bytes());
        d.extend_from_slice(
            b"/Encoding/Identity-H/DescendantFonts[<</Type/Font/Subtype/CIDFontType2/BaseFont/",
        );
        d.extend_from_slice(sub.base_font.as_bytes());
        d.extend_from_slice(
            b"/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>/FontDescriptor ",
        );
        pdf_file::reference(&mut d, descriptor);
        d.extend_from_slice(b"/DW 1000/W");
        d.extend_from_slice(&sub.widths);
        d.extend_from_slice(b"/CIDToGIDMap");
        match map {
            Some(id) => {
                d.push(b' ');
                pdf_file::reference(&mut d, id);
            }
            None => d.extend_from_slice(b"/Identity"),
        }
        d.extend_from_slice(b">>]/ToUnicode ");
        pdf_file::reference(&mut d, cmap);
        d.extend_from_slice(b">>");
        file.object(font, &d);

        d.clear();
        d.extend_from_slice(b"<</Type/FontDescriptor/FontName/");
        d.extend_from_slice(sub.base_font.as_bytes());
        d.extend_from_slice(&self.metrics);
        d.extend_from_slice(b"/FontFile2 ");
        pdf_file::reference(&mut d, program);
        d.extend_from_slice(b">>");
        file.object(descriptor, &d);

        d.clear();
        d.extend_from_slice(b"/Length1 ");
        pdf_file::int(&mut d, sub.program_len as i64);
        file.stream(program, &d, &sub.program, true);
        file.stream(cmap, b"", &sub.to_unicode, true);
        if let (Some(id), Some(bytes)) = (map, &sub.cid_to_gid) {
            file.stream(id, b"", bytes, true);
        }
        font
    }
}

impl Subset {
    fn empty() -> Subset {
        Subset {
            base_font: String::new(),
            program: Vec::new(),
            program_len: 0,
            cid_to_gid: None,
            to_unicode: Vec::new(),
            widths: Vec::new(),
        }
    }
}

/// The ToUnicode CMap (ISO 32000-1, 9.10.3): CID i stands for `list[i].0`,
/// so that text extraction and search give the characters back.
fn to_unicode(list: &[(char, u16)]) -> Vec<u8> {
    let mut m = Vec::with_capacity(64 * list.len() + 512);
    m.extend_from_slice(
        b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
          /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
          /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
          1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(usize, char)> = list
        .iter()
        .enumerate()
        .skip(1)
        .map(|(cid, (c, _))| (cid, *c))
        .collect();
    // At most 100 entries per block (ISO 32000-1, 9.10.3).
    for block in entries.chunks(100) {
        pdf_file::int(&mut m, block.len() as i64);
        m.extend_from_slice(b" beginbfchar\n");
        for (cid, c) in block {
            m.push(b'<');
            hex4(&mut m, *cid as u16);
            m.extend_from_slice(b"> <");
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units).iter() {
                hex4(&mut m, *u);
            }
            m.extend_from_slice(b">\n");
        }
        m.extend_from_slice(b"endbfchar\n");
    }
    m.extend_from_slice(b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    m
}

/// `hhhh`: a two-byte code in hex, as in the content streams' strings.
pub(super) fn hex4(out: &mut Vec<u8>, v: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for shift in [12, 8, 4, 0] {
        out.push(HEX[usize::from((v >> shift) & 15)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_subset_holds_what_letters_draw() {
        let fonts = Fonts::load();
        for face in [&fonts.regular, &fonts.bold] {
            for c in "Rechnung für Müller & Söhne – 1.234,56 € „Straße“ ·".chars() {
                assert_ne!(
                    face.shared_cid[usize::from(face.glyphs[c as usize].0)],
                    0,
                    "{c}"
                );
            }
            assert!(face.shared.cid_to_gid.is_none(), "the subset was made");
            assert!(face.shared.program_len < face.bytes.len() / 2);
        }
    }

    #[test]
    fn glyphs_outside_the_shared_subset_follow_it() {
        let fonts = Fonts::load();
        let face = &fonts.regular;
        let mut extra = Vec::new();
        let n = face.shared_list.len() as u16;
        assert_eq!(face.cid('Ł', &mut extra), n);
        assert_eq!(
            face.cid('a', &mut extra),
            face.shared_cid[usize::from(face.glyphs['a' as usize].0)]
        );
        assert_eq!(face.cid('Ω', &mut extra), n + 1);
        assert_eq!(face.cid('Ł', &mut extra), n);
        assert_eq!(extra.len(), 2);
    }
}
