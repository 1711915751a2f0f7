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
//! **Decision: written in the same pass as the pages.** Until issue 23
//! printpdf wrote the PDF and lopdf parsed it again to add these parts;
//! now `render::pdf` hands the open file (`render::pdf_file`) to [`write`]
//! before the catalog is closed, and the catalog gets the entries back.
//! The document info and the XMP come from the same values ([`DocInfo`]),
//! so they agree by construction (PDF/A 6.6.2.3); the dates are the
//! document date, never the clock. Same inputs, same bytes (RULES 7).
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

use super::pdf_file::{self, PdfFile};
use crate::einvoice::Profile;
use chrono::{Datelike, NaiveDate};
use std::sync::OnceLock;

/// The sRGB profile of the OutputIntent (`assets/icc/`, Zlib licence).
const SRGB_ICC: &[u8] = include_bytes!("../../assets/icc/sRGB.icc");

/// What an invoice PDF carries as its e-invoice.
pub struct Attachment<'a> {
    /// The CII XML, byte for byte the file beside the PDF.
    pub xml: &'a [u8],
    pub profile: &'a Profile,
    pub invoice_number: &'a str,
    /// The embedded file's modification date: the document date (for a
    /// draft its last day of service), never the clock.
    pub date: NaiveDate,
}

/// The document info (ISO 32000-1, 14.3.3), also mirrored into the XMP.
pub struct DocInfo<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub creator: &'a str,
    pub producer: &'a str,
    /// Creation and modification date (midnight UTC).
    pub date: NaiveDate,
}

impl DocInfo<'_> {
    /// The info dictionary: only entries with a value (an empty one would
    /// have no XMP twin to agree with).
    pub fn dictionary(&self) -> Vec<u8> {
        let mut d = b"<<".to_vec();
        let date = pdf_date(self.date);
        for (key, value) in [
            ("CreationDate", date.as_str()),
            ("ModDate", date.as_str()),
            ("Title", self.title),
            ("Author", self.author),
            ("Creator", self.creator),
            ("Producer", self.producer),
            ("Subject", self.subject),
        ] {
            if value.is_empty() {
                continue;
            }
            d.push(b'/');
            d.extend_from_slice(key.as_bytes());
            pdf_file::text(&mut d, value);
        }
        d.extend_from_slice(b">>");
        d
    }
}

/// Writes the embedded file, its Filespec, the XMP metadata and the ICC
/// profile into `file`, and the catalog entries that refer to them
/// (`/Names`, `/AF`, `/Metadata`, `/OutputIntents`) into `catalog`.
pub fn write(file: &mut PdfFile, a: &Attachment, info: &DocInfo, catalog: &mut Vec<u8>) {
    let name = a.profile.attachment_name();
    let (embedded, spec, metadata, icc) = (file.alloc(), file.alloc(), file.alloc(), file.alloc());

    // The embedded file and its Filespec (PDF/A-3 6.8, Factur-X 1.0 spec).
    let mut d = b"/Type/EmbeddedFile/Subtype/text#2Fxml/Params<</ModDate".to_vec();
    pdf_file::literal(&mut d, &pdf_date(a.date));
    d.extend_from_slice(b"/Size ");
    pdf_file::int(&mut d, a.xml.len() as i64);
    d.extend_from_slice(b">>");
    file.stream(embedded, &d, &pdf_file::deflate(a.xml), true);

    let mut d = b"<</Type/Filespec/F".to_vec();
    pdf_file::literal(&mut d, name);
    d.extend_from_slice(b"/UF");
    pdf_file::text(&mut d, name);
    d.extend_from_slice(b"/Desc");
    let desc = format!(
        "{} XML of invoice {}",
        a.profile.conformance_level(),
        a.invoice_number
    );
    pdf_file::text(&mut d, &desc);
    d.extend_from_slice(b"/AFRelationship/Alternative/EF<</F ");
    pdf_file::reference(&mut d, embedded);
    d.extend_from_slice(b"/UF ");
    pdf_file::reference(&mut d, embedded);
    d.extend_from_slice(b">>>>");
    file.object(spec, &d);

    // XMP: stored unfiltered, as PDF/A requires of the metadata stream.
    let xmp = xmp(info, a.profile);
    file.stream(
        metadata,
        b"/Type/Metadata/Subtype/XML",
        xmp.as_bytes(),
        false,
    );
    file.stream(icc, b"/N 3", icc_deflated(), true);

    catalog.extend_from_slice(b"/Names<</EmbeddedFiles<</Names[");
    pdf_file::literal(catalog, name);
    catalog.push(b' ');
    pdf_file::reference(catalog, spec);
    catalog.extend_from_slice(b"]>>>>/AF[");
    pdf_file::reference(catalog, spec);
    catalog.extend_from_slice(b"]/Metadata ");
    pdf_file::reference(catalog, metadata);
    // OutputIntent: sRGB, for the device RGB and grey the pages use.
    catalog.extend_from_slice(
        b"/OutputIntents[<</Type/OutputIntent/S/GTS_PDFA1\
/OutputConditionIdentifier(sRGB IEC61966-2.1)/RegistryName(http://www.color.org)\
/Info(sRGB IEC61966-2.1)/DestinationOutputProfile ",
    );
    pdf_file::reference(catalog, icc);
    catalog.extend_from_slice(b">>]");
}

/// The ICC profile, deflated once per process (the same bytes every time:
/// deflate is deterministic).
fn icc_deflated() -> &'static [u8] {
    static ICC: OnceLock<Vec<u8>> = OnceLock::new();
    ICC.get_or_init(|| pdf_file::deflate(SRGB_ICC))
}

/// `D:YYYYMMDD000000+00'00'`: the date at midnight UTC.
fn pdf_date(d: NaiveDate) -> String {
    format!(
        "D:{:04}{:02}{:02}000000+00'00'",
        d.year(),
        d.month(),
        d.day()
    )
}

/// The same instant as XMP writes it: `2026-10-31T00:00:00+00:00`.
fn xmp_date(d: NaiveDate) -> String {
    format!(
        "{:04}-{:02}-{:02}T00:00:00+00:00",
        d.year(),
        d.month(),
        d.day()
    )
}

/// The XMP packet: PDF/A-3b identification, the document info, the Factur-X
/// properties and the extension schema description that PDF/A demands for
/// the `fx` namespace (text as in the Factur-X 1.0 specification's
/// `Factur-X_extension_schema.xmp`).
fn xmp(info: &DocInfo, profile: &Profile) -> String {
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
    if let Some(t) = Some(info.title).filter(|s| !s.is_empty()) {
        x.push_str(&format!(
            "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>\n",
            esc(t)
        ));
    }
    if let Some(a) = Some(info.author).filter(|s| !s.is_empty()) {
        x.push_str(&format!(
            "   <dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n",
            esc(a)
        ));
    }
    if let Some(s) = Some(info.subject).filter(|s| !s.is_empty()) {
        x.push_str(&format!(
            "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>\n",
            esc(s)
        ));
    }
    x.push_str("  </rdf:Description>\n");

    x.push_str("  <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
    if let Some(p) = Some(info.producer).filter(|s| !s.is_empty()) {
        x.push_str(&format!("   <pdf:Producer>{}</pdf:Producer>\n", esc(p)));
    }
    x.push_str("  </rdf:Description>\n");

    x.push_str("  <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
    if let Some(c) = Some(info.creator).filter(|s| !s.is_empty()) {
        x.push_str(&format!(
            "   <xmp:CreatorTool>{}</xmp:CreatorTool>\n",
            esc(c)
        ));
    }
    let d = xmp_date(info.date);
    x.push_str(&format!("   <xmp:CreateDate>{d}</xmp:CreateDate>\n"));
    x.push_str(&format!("   <xmp:ModifyDate>{d}</xmp:ModifyDate>\n"));
    x.push_str(&format!("   <xmp:MetadataDate>{d}</xmp:MetadataDate>\n"));
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
    fn dates_in_pdf_and_xmp_form() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        assert_eq!(pdf_date(d), "D:20261103000000+00'00'");
        assert_eq!(xmp_date(d), "2026-11-03T00:00:00+00:00");
    }

    #[test]
    fn the_info_dictionary_leaves_out_empty_entries() {
        let info = DocInfo {
            title: "Rechnung RE-1",
            author: "",
            subject: "Müller",
            creator: "faktura",
            producer: "faktura 0",
            date: NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(),
        };
        let d = String::from_utf8(info.dictionary()).unwrap();
        assert!(!d.contains("/Author"), "{d}");
        assert!(d.contains("/Subject<feff004d00fc006c006c00650072>"), "{d}");
        assert!(
            d.starts_with("<</CreationDate(D:20261103000000+00'00')"),
            "{d}"
        );
    }
}
