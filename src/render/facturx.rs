//! The hybrid invoice (Factur-X / ZUGFeRD): the invoice PDF as PDF/A-3b with
//! its CII XML (`render::cii`) embedded as an associated file, so that one
//! file is both the printable letter and the e-invoice.
//!
//! Owns the PDF/A-3 and Factur-X container parts: the embedded file
//! (`factur-x.xml`, or `xrechnung.xml` for the XRECHNUNG level), its
//! Filespec in the catalog's `/AF` array and `/Names /EmbeddedFiles`, the
//! XMP metadata (`pdfaid` part 3 conformance B, the Factur-X `fx:` schema
//! and its PDF/A extension schema description, and the document info
//! mirrored as PDF/A demands), and the sRGB OutputIntent. It does not lay
//! out pages (`render::pdf` does) and decides nothing about the invoice.
//!
//! **Decision: post-process with lopdf.** printpdf 0.12.8 cannot attach
//! files and writes only a fixed XMP (its "A3" is a label), and moving the
//! layout to krilla would mean a second PDF stack. Post-processing the
//! finished PDF with lopdf (already a dependency, the version printpdf
//! uses) is a small, separate step that the layout code does not need to
//! know about, and it stays byte-reproducible: lopdf keeps object numbers
//! and dictionary order, every added value comes from the inputs (the date
//! is a parameter, never the clock), and the trailer `/ID` the PDF already
//! has is kept (or, when absent, derived from the invoice number with
//! SHA-256). Same inputs, same bytes (RULES 7).
//!
//! **`/AFRelationship /Alternative`**: for the levels EN 16931 and
//! XRECHNUNG the XML is an equivalent representation of the visible
//! invoice, which the Factur-X specification marks `Alternative` (`Data` is
//! for MINIMUM and BASIC WL only); DATEV's importer is reported to require
//! it.
//!
//! Not verified here: full PDF/A-3 conformance of the page content (fonts,
//! colours) is the layout's part, and neither veraPDF nor Mustang is
//! available offline; run them once before a release.

use crate::einvoice::Profile;
use chrono::NaiveDate;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// The sRGB profile of the OutputIntent (`assets/icc/`, Zlib licence).
const SRGB_ICC: &[u8] = include_bytes!("../../assets/icc/sRGB.icc");

#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// The input is not a PDF that lopdf can read.
    #[error("cannot read the invoice PDF: {0}")]
    Pdf(#[from] lopdf::Error),
    /// Writing the result into memory failed (it does not in practice).
    #[error("cannot write the hybrid PDF: {0}")]
    Write(#[from] std::io::Error),
}

/// Embeds `xml` (the invoice's CII XML in `profile`) into `pdf` and makes it
/// a Factur-X / ZUGFeRD PDF/A-3b. `date` is the embedded file's modification
/// date: the issue date (for a draft, its last day of service), never the
/// clock, so the output is reproducible.
pub fn embed_facturx(
    pdf: &[u8],
    xml: &[u8],
    profile: &Profile,
    invoice_number: &str,
    date: NaiveDate,
) -> Result<Vec<u8>, EmbedError> {
    let mut doc = Document::load_mem(pdf)?;
    // PDF/A-3 is based on PDF 1.7 (associated files come from it).
    doc.version = "1.7".to_string();
    let name = profile.attachment_name();

    // The embedded file and its Filespec (PDF/A-3 6.8, Factur-X 1.0 spec).
    let mut file = Stream::new(
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"EmbeddedFile".to_vec())),
            ("Subtype", Object::Name(b"text/xml".to_vec())),
            (
                "Params",
                Object::Dictionary(Dictionary::from_iter(vec![
                    ("ModDate", Object::string_literal(pdf_date(date))),
                    ("Size", Object::Integer(xml.len() as i64)),
                ])),
            ),
        ]),
        xml.to_vec(),
    );
    file.compress()?;
    let file_id = doc.add_object(file);
    let filespec_id = doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Filespec".to_vec())),
        ("F", Object::string_literal(name)),
        ("UF", text_string(name)),
        (
            "Desc",
            text_string(&format!(
                "{} XML of invoice {invoice_number}",
                profile.conformance_level()
            )),
        ),
        ("AFRelationship", Object::Name(b"Alternative".to_vec())),
        (
            "EF",
            Object::Dictionary(Dictionary::from_iter(vec![
                ("F", Object::Reference(file_id)),
                ("UF", Object::Reference(file_id)),
            ])),
        ),
    ]));

    // The document info, kept only where XMP can mirror it exactly.
    let info = normalise_info(&mut doc)?;

    // XMP: stored unfiltered, as PDF/A requires of the metadata stream.
    let mut metadata = Stream::new(
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Metadata".to_vec())),
            ("Subtype", Object::Name(b"XML".to_vec())),
        ]),
        xmp(&info, profile).into_bytes(),
    );
    metadata.allows_compression = false;
    let metadata_id = doc.add_object(metadata);

    // OutputIntent: sRGB, for the device RGB and grey the pages use.
    let icc_id = doc.add_object(icc_stream());
    let intent = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFA1".to_vec())),
        (
            "OutputConditionIdentifier",
            Object::string_literal("sRGB IEC61966-2.1"),
        ),
        (
            "RegistryName",
            Object::string_literal("http://www.color.org"),
        ),
        ("Info", Object::string_literal("sRGB IEC61966-2.1")),
        ("DestinationOutputProfile", Object::Reference(icc_id)),
    ]);

    let root = doc.trailer.get(b"Root")?.as_reference()?;
    let mut names = match doc.get_dictionary(root)?.get(b"Names") {
        Ok(Object::Reference(id)) => doc.get_dictionary(*id)?.clone(),
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    names.set(
        "EmbeddedFiles",
        Object::Dictionary(Dictionary::from_iter(vec![(
            "Names",
            Object::Array(vec![
                Object::string_literal(name),
                Object::Reference(filespec_id),
            ]),
        )])),
    );
    let catalog = doc.get_dictionary_mut(root)?;
    catalog.set("Names", Object::Dictionary(names));
    catalog.set("AF", Object::Array(vec![Object::Reference(filespec_id)]));
    catalog.set("Metadata", Object::Reference(metadata_id));
    catalog.set(
        "OutputIntents",
        Object::Array(vec![Object::Dictionary(intent)]),
    );

    if doc.trailer.get(b"ID").is_err() {
        let digest = Sha256::digest(invoice_number.as_bytes());
        let id = Object::String(digest[..16].to_vec(), StringFormat::Hexadecimal);
        doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    }
    // Replaced metadata, output intents or a names dictionary are dropped.
    doc.prune_objects();

    let mut out = Vec::with_capacity(pdf.len() + xml.len() + SRGB_ICC.len() + 8 * 1024);
    doc.save_to(&mut out)?;
    Ok(out)
}

/// The ICC profile as a PDF stream, compressed once per process (the same
/// bytes every time: flate is deterministic).
fn icc_stream() -> Stream {
    static ICC: OnceLock<Stream> = OnceLock::new();
    ICC.get_or_init(|| {
        let mut s = Stream::new(
            Dictionary::from_iter(vec![("N", Object::Integer(3))]),
            SRGB_ICC.to_vec(),
        );
        // Compressing in memory cannot fail; uncompressed is valid too.
        let _ = s.compress();
        s
    })
    .clone()
}

/// `D:YYYYMMDD000000+00'00'`: the date at midnight UTC.
fn pdf_date(d: NaiveDate) -> String {
    format!("D:{}000000+00'00'", d.format("%Y%m%d"))
}

/// A PDF text string: literal for ASCII, else UTF-16BE with BOM.
fn text_string(s: &str) -> Object {
    if s.is_ascii() {
        Object::string_literal(s)
    } else {
        let mut b = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            b.extend_from_slice(&u.to_be_bytes());
        }
        Object::String(b, StringFormat::Literal)
    }
}

/// The document info entries that PDF/A wants mirrored in XMP, decoded.
#[derive(Default)]
struct Info {
    title: Option<String>,
    author: Option<String>,
    subject: Option<String>,
    keywords: Option<String>,
    creator: Option<String>,
    producer: Option<String>,
    /// XMP form, `2026-10-31T00:00:00+00:00`.
    created: Option<String>,
    modified: Option<String>,
}

/// Keeps the standard document info entries that have a value and an exact
/// XMP equivalent, and removes every other key (empty strings, `Trapped`,
/// printpdf's `GTS_PDFXVersion` and `Identifier`): PDF/A requires each info
/// entry to match its XMP property, and a key that is not there cannot
/// disagree.
fn normalise_info(doc: &mut Document) -> Result<Info, lopdf::Error> {
    let id: Option<ObjectId> = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| o.as_reference().ok());
    let Some(id) = id else {
        doc.trailer.remove(b"Info");
        return Ok(Info::default());
    };
    let dict = doc.get_dictionary_mut(id)?;
    let mut info = Info::default();
    let mut keep = Dictionary::new();
    for (key, value) in dict.iter() {
        let Ok(bytes) = value.as_str() else { continue };
        let text = decode_text(bytes);
        if text.is_empty() {
            continue;
        }
        let slot = match key.as_slice() {
            b"Title" => Some(&mut info.title),
            b"Author" => Some(&mut info.author),
            b"Subject" => Some(&mut info.subject),
            b"Keywords" => Some(&mut info.keywords),
            b"Creator" => Some(&mut info.creator),
            b"Producer" => Some(&mut info.producer),
            b"CreationDate" | b"ModDate" => {
                let Some(x) = xmp_date(&text) else { continue };
                if key.as_slice() == b"CreationDate" {
                    info.created = Some(x);
                } else {
                    info.modified = Some(x);
                }
                None
            }
            _ => continue,
        };
        if let Some(slot) = slot {
            *slot = Some(text);
        }
        keep.set(key.clone(), value.clone());
    }
    *dict = keep;
    Ok(info)
}

/// A PDF text string: UTF-16BE with a BOM, else PDFDocEncoding (read as
/// Latin-1, which agrees with it on ASCII and on the letters of German).
fn decode_text(b: &[u8]) -> String {
    if let Some(rest) = b.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        b.iter().map(|&c| char::from(c)).collect()
    }
}

/// `D:YYYYMMDDHHmmSS+HH'mm'` (later parts optional, `Z` for UTC) as the XMP
/// date `YYYY-MM-DDTHH:mm:SS+HH:mm`; `None` when it is not a PDF date.
fn xmp_date(s: &str) -> Option<String> {
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits < 4 || digits % 2 != 0 || digits > 14 {
        return None;
    }
    let d = &s[..digits];
    let part = |from: usize, default: &'static str| d.get(from..from + 2).unwrap_or(default);
    let (year, month, day) = (&d[..4], part(4, "01"), part(6, "01"));
    let (hour, minute, second) = (part(8, "00"), part(10, "00"), part(12, "00"));
    let zone = match &s[digits..] {
        "" | "Z" | "Z00'00'" | "Z00'00" => "Z".to_string(),
        z => {
            let sign = z.chars().next().filter(|c| *c == '+' || *c == '-')?;
            let rest: String = z[1..].chars().filter(char::is_ascii_digit).collect();
            if rest.len() != 4 {
                return None;
            }
            format!("{sign}{}:{}", &rest[..2], &rest[2..])
        }
    };
    Some(format!(
        "{year}-{month}-{day}T{hour}:{minute}:{second}{zone}"
    ))
}

/// The XMP packet: PDF/A-3b identification, the document info, the Factur-X
/// properties and the extension schema description that PDF/A demands for
/// the `fx` namespace (text as in the Factur-X 1.0 specification's
/// `Factur-X_extension_schema.xmp`).
fn xmp(info: &Info, profile: &Profile) -> String {
    let mut x = String::with_capacity(4096);
    x.push_str("<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    x.push_str("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n");
    x.push_str(" <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");

    x.push_str(
        "  <rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n",
    );
    x.push_str("   <pdfaid:part>3</pdfaid:part>\n");
    x.push_str("   <pdfaid:conformance>B</pdfaid:conformance>\n");
    x.push_str("  </rdf:Description>\n");

    x.push_str(
        "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n",
    );
    x.push_str("   <dc:format>application/pdf</dc:format>\n");
    if let Some(t) = &info.title {
        x.push_str(&format!(
            "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>\n",
            esc(t)
        ));
    }
    if let Some(a) = &info.author {
        x.push_str(&format!(
            "   <dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n",
            esc(a)
        ));
    }
    if let Some(s) = &info.subject {
        x.push_str(&format!(
            "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>\n",
            esc(s)
        ));
    }
    x.push_str("  </rdf:Description>\n");

    x.push_str("  <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
    if let Some(p) = &info.producer {
        x.push_str(&format!("   <pdf:Producer>{}</pdf:Producer>\n", esc(p)));
    }
    if let Some(k) = &info.keywords {
        x.push_str(&format!("   <pdf:Keywords>{}</pdf:Keywords>\n", esc(k)));
    }
    x.push_str("  </rdf:Description>\n");

    x.push_str("  <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
    if let Some(c) = &info.creator {
        x.push_str(&format!(
            "   <xmp:CreatorTool>{}</xmp:CreatorTool>\n",
            esc(c)
        ));
    }
    if let Some(d) = &info.created {
        x.push_str(&format!("   <xmp:CreateDate>{d}</xmp:CreateDate>\n"));
    }
    if let Some(d) = &info.modified {
        x.push_str(&format!("   <xmp:ModifyDate>{d}</xmp:ModifyDate>\n"));
        x.push_str(&format!("   <xmp:MetadataDate>{d}</xmp:MetadataDate>\n"));
    }
    x.push_str("  </rdf:Description>\n");

    x.push_str("  <rdf:Description rdf:about=\"\" xmlns:fx=\"urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#\">\n");
    x.push_str("   <fx:DocumentType>INVOICE</fx:DocumentType>\n");
    x.push_str(&format!(
        "   <fx:DocumentFileName>{}</fx:DocumentFileName>\n",
        profile.attachment_name()
    ));
    x.push_str("   <fx:Version>1.0</fx:Version>\n");
    x.push_str(&format!(
        "   <fx:ConformanceLevel>{}</fx:ConformanceLevel>\n",
        profile.conformance_level()
    ));
    x.push_str("  </rdf:Description>\n");

    x.push_str(EXTENSION_SCHEMA);
    x.push_str(" </rdf:RDF>\n");
    x.push_str("</x:xmpmeta>\n");
    x.push_str("<?xpacket end=\"w\"?>");
    x
}

const EXTENSION_SCHEMA: &str = r#"  <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>fx</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>DocumentFileName</pdfaProperty:name>
         <pdfaProperty:valueType>Text</pdfaProperty:valueType>
         <pdfaProperty:category>external</pdfaProperty:category>
         <pdfaProperty:description>name of the embedded XML invoice file</pdfaProperty:description>
        </rdf:li>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>DocumentType</pdfaProperty:name>
         <pdfaProperty:valueType>Text</pdfaProperty:valueType>
         <pdfaProperty:category>external</pdfaProperty:category>
         <pdfaProperty:description>INVOICE</pdfaProperty:description>
        </rdf:li>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>Version</pdfaProperty:name>
         <pdfaProperty:valueType>Text</pdfaProperty:valueType>
         <pdfaProperty:category>external</pdfaProperty:category>
         <pdfaProperty:description>The actual version of the Factur-X XML schema</pdfaProperty:description>
        </rdf:li>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>ConformanceLevel</pdfaProperty:name>
         <pdfaProperty:valueType>Text</pdfaProperty:valueType>
         <pdfaProperty:category>external</pdfaProperty:category>
         <pdfaProperty:description>The conformance level of the embedded Factur-X data</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
"#;

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' && c != '\r' => {}
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_become_xmp_dates() {
        let table = [
            ("D:20261031000000+00'00'", Some("2026-10-31T00:00:00+00:00")),
            ("D:20261031123456Z", Some("2026-10-31T12:34:56Z")),
            ("D:20261031123456-05'30'", Some("2026-10-31T12:34:56-05:30")),
            ("D:2026", Some("2026-01-01T00:00:00Z")),
            ("yesterday", None),
        ];
        for (pdf, xmp) in table {
            assert_eq!(xmp_date(pdf).as_deref(), xmp, "{pdf}");
        }
        assert_eq!(
            pdf_date(NaiveDate::from_ymd_opt(2026, 11, 3).unwrap()),
            "D:20261103000000+00'00'"
        );
    }

    #[test]
    fn text_strings_round_trip() {
        for s in ["RE-2026-00042", "Rechnung für Müller & Söhne"] {
            let Object::String(b, _) = text_string(s) else {
                panic!("not a string")
            };
            assert_eq!(decode_text(&b), s);
        }
    }
}
