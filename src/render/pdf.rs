//! The invoice PDF (RULES 6, 7): one A4 document per invoice, laid out as a
//! German business letter (DIN 5008 form B) in the customer's language.
//!
//! Owns the layout, the wording and the number and date formats of the PDF,
//! and the drawing of a page into its content stream (`Canvas`). It decides
//! nothing: every amount, date and line comes computed on the [`Invoice`];
//! this module only places it on paper, so that each field § 14 (4) UStG
//! asks for (and § 35a GmbHG for the footer) is visible.
//!
//! Reproducible by construction (RULES 7: same inputs, same bytes, also when
//! rayon renders many invoices at once in one process): fixed font resource
//! names, document dates taken from the issue date, the trailer `/ID` hashed
//! from the invoice number, and no clock, counter or random id anywhere.
//!
//! The canvas writes the content-stream operators itself as it draws (text,
//! lines, filled rectangles, colours, the rotated watermark), numbers
//! formatted by `pdf_file::num` without `fmt`; `document` puts pages, fonts
//! (`render::font`) and, for an invoice, the Factur-X parts
//! (`render::facturx`) into one PDF file in one pass (`render::pdf_file`).
//!
//! Geometry is in millimetres measured from the *top* left corner of the page
//! (as in DIN 5008), converted to PDF points (from the bottom) only when an
//! operation is emitted. Floats are used for geometry only; money stays
//! `Decimal` until it is formatted as text.

use super::facturx;
pub use super::font::Fonts;
use super::pdf_file::{self, PdfFile};
use crate::einvoice::Profile;
use crate::invoice::{Invoice, InvoiceKind, Line, LineKind, TaxNote};
use crate::model::{Company, Customer, Language};
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use sha2::{Digest, Sha256};

// ---------------------------------------------------------------------------
// Page geometry (mm from the top left corner, DIN 5008 form B)
// ---------------------------------------------------------------------------

pub(super) const PAGE_W_MM: f32 = 210.0;
pub(super) const PAGE_H_MM: f32 = 297.0;
/// Left text margin (DIN 5008: 25 mm) and right edge of the text (20 mm margin).
pub(super) const LEFT_MM: f32 = 25.0;
pub(super) const RIGHT_MM: f32 = 190.0;
/// The address field of a window envelope: 20 mm from the left, 45 mm from
/// the top, 85 x 45 mm. Its first 17.7 mm hold the sender line, the rest the
/// recipient.
const WINDOW_X_MM: f32 = 20.0;
const WINDOW_Y_MM: f32 = 45.0;
const WINDOW_W_MM: f32 = 85.0;
const WINDOW_INSET_MM: f32 = 5.0;
const SENDER_LINE_MM: f32 = WINDOW_Y_MM + 15.5;
const RECIPIENT_FIRST_MM: f32 = WINDOW_Y_MM + 22.0;
/// The information block (and the seller block above it) start here.
pub(super) const INFO_X_MM: f32 = 125.0;
pub(super) const INFO_FIRST_MM: f32 = 52.0;
/// Where the body starts on the first page (below the address field and the
/// first fold mark zone) and on the continuation pages.
pub(super) const BODY_TOP_FIRST_MM: f32 = 98.0;
pub(super) const BODY_TOP_NEXT_MM: f32 = 27.0;
/// Nothing of the body goes below this line: the page number and the footer
/// with the legal data live underneath.
pub(super) const BODY_BOTTOM_MM: f32 = 262.0;
pub(super) const PAGE_NUMBER_MM: f32 = 266.5;
const FOOTER_RULE_MM: f32 = 270.0;
const FOOTER_FIRST_MM: f32 = 274.0;
/// Fold marks (105 mm, 210 mm) and the punch mark (148.5 mm) of form B.
const FOLD_MARKS_MM: [(f32, f32); 3] = [(105.0, 5.0), (148.5, 7.0), (210.0, 5.0)];

/// The line table's columns: left edges of text columns, right edges of
/// number columns.
pub(super) const COL_POS_X_MM: f32 = LEFT_MM + 1.0;
pub(super) const COL_DATE_X_MM: f32 = 33.0;
pub(super) const COL_DESC_X_MM: f32 = 53.0;
pub(super) const COL_DESC_W_MM: f32 = 72.0;
pub(super) const COL_QTY_R_MM: f32 = 142.0;
pub(super) const COL_PRICE_R_MM: f32 = 165.0;
pub(super) const COL_AMOUNT_R_MM: f32 = RIGHT_MM - 1.0;
/// Line pitch of a wrapped description and the padding of a table row.
pub(super) const ROW_LINE_MM: f32 = 4.1;
pub(super) const ROW_PAD_MM: f32 = 1.8;
pub(super) const HEADER_ROW_MM: f32 = 6.5;

const PT_PER_MM: f32 = 72.0 / 25.4;

/// Text style: face, size, ink.
#[derive(Clone, Copy)]
pub(super) struct Style {
    pub(super) bold: bool,
    pub(super) size_pt: f32,
    pub(super) ink: Ink,
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Ink {
    Black,
    Grey,
    Red,
    /// The background "ENTWURF" of a draft.
    Watermark,
    /// Table header background.
    Band,
    /// Hairlines between table rows.
    Hairline,
}

impl Ink {
    /// The colour operator of this ink: grey levels (`g`, `G`) or RGB
    /// (`rg`, `RG`), for filling or (`stroke`) for lines.
    fn write(self, out: &mut Vec<u8>, stroke: bool) {
        let grey = match self {
            Ink::Black => 0.0,
            Ink::Grey => 0.38,
            Ink::Red => {
                out.extend_from_slice(b"0.78 0.08 0.08 ");
                out.extend_from_slice(if stroke { b"RG\n" } else { b"rg\n" });
                return;
            }
            Ink::Watermark => 0.9,
            Ink::Band => 0.92,
            Ink::Hairline => 0.8,
        };
        pdf_file::num(out, grey);
        out.extend_from_slice(if stroke { b" G\n" } else { b" g\n" });
    }
}

pub(super) const fn style(bold: bool, size_pt: f32, ink: Ink) -> Style {
    Style { bold, size_pt, ink }
}

pub(super) const BODY: Style = style(false, 9.0, Ink::Black);
pub(super) const BODY_BOLD: Style = style(true, 9.0, Ink::Black);
pub(super) const SMALL_GREY: Style = style(false, 8.0, Ink::Grey);
pub(super) const TABLE_HEAD: Style = style(true, 8.5, Ink::Black);
const PROOF: Style = style(false, 9.0, Ink::Grey);

// ---------------------------------------------------------------------------
// Canvas: text and lines at absolute positions, page by page
// ---------------------------------------------------------------------------

/// The pages' content streams as they are drawn, and per face whether it
/// is used and which glyphs outside its shared subset the text needs.
pub(super) struct Canvas<'f> {
    fonts: &'f Fonts,
    pages: Vec<Page>,
    /// The page that drawing goes to.
    pub(super) page: usize,
    /// Per face (regular, bold): drawn at all, and its extra glyphs.
    used: [bool; 2],
    extra: [Vec<(char, u16)>; 2],
}

/// One page's content stream, and the graphics state it leaves behind, so
/// that colour, line width and font are written only when they change
/// (smaller content streams, less to compress).
#[derive(Default)]
struct Page {
    content: Vec<u8>,
    fill: Option<Ink>,
    stroke: Option<(Ink, f32)>,
    font: Option<(bool, f32)>,
}

impl Page {
    fn set_fill(&mut self, ink: Ink) {
        if self.fill != Some(ink) {
            self.fill = Some(ink);
            ink.write(&mut self.content, false);
        }
    }

    fn set_stroke(&mut self, ink: Ink, thickness_pt: f32) {
        if self.stroke != Some((ink, thickness_pt)) {
            self.stroke = Some((ink, thickness_pt));
            ink.write(&mut self.content, true);
            pdf_file::num(&mut self.content, thickness_pt);
            self.content.extend_from_slice(b" w\n");
        }
    }

    /// Forget the state: the next operation writes its own in full.
    fn reset_state(&mut self) {
        self.fill = None;
        self.stroke = None;
        self.font = None;
    }

    /// `x y` and a space: a point in PDF points.
    fn point(&mut self, x_pt: f32, y_pt: f32) {
        pdf_file::num(&mut self.content, x_pt);
        self.content.push(b' ');
        pdf_file::num(&mut self.content, y_pt);
        self.content.push(b' ');
    }
}

fn x_pt(x_mm: f32) -> f32 {
    x_mm * PT_PER_MM
}

/// PDF measures y upwards from the bottom edge.
fn y_pt(y_mm_from_top: f32) -> f32 {
    (PAGE_H_MM - y_mm_from_top) * PT_PER_MM
}

/// Where a text's baseline starts: a point, or a full text matrix (the
/// rotated watermark).
enum Placement {
    At(f32, f32),
    Matrix([f32; 6]),
}

impl<'f> Canvas<'f> {
    pub(super) fn new(fonts: &'f Fonts) -> Self {
        Canvas {
            fonts,
            pages: vec![Page::default()],
            page: 0,
            used: [false; 2],
            extra: [Vec::new(), Vec::new()],
        }
    }

    fn current(&mut self) -> &mut Page {
        &mut self.pages[self.page]
    }

    pub(super) fn page_count(&self) -> usize {
        self.pages.len()
    }

    pub(super) fn fonts(&self) -> &'f Fonts {
        self.fonts
    }

    pub(super) fn add_page(&mut self) {
        self.pages.push(Page::default());
        self.page = self.pages.len() - 1;
    }

    pub(super) fn width_mm(&self, st: Style, text: &str) -> f32 {
        self.fonts.face(st.bold).width_pt(text, st.size_pt) / PT_PER_MM
    }

    /// `text` with its left end at `x_mm` and its baseline at `y_mm`.
    pub(super) fn text(&mut self, x_mm: f32, y_mm: f32, st: Style, text: &str) {
        self.place_text(Placement::At(x_pt(x_mm), y_pt(y_mm)), st, text);
    }

    /// `text` with its right end at `right_mm` (numbers in columns).
    pub(super) fn text_right(&mut self, right_mm: f32, y_mm: f32, st: Style, text: &str) {
        let x_mm = right_mm - self.width_mm(st, text);
        self.text(x_mm, y_mm, st, text);
    }

    fn place_text(&mut self, at: Placement, st: Style, text: &str) {
        let face = self.fonts.face(st.bold);
        if text.chars().all(|c| face.drawable(c).is_whitespace()) {
            return;
        }
        let which = usize::from(st.bold);
        self.used[which] = true;
        let extra = &mut self.extra[which];
        let page = &mut self.pages[self.page];
        page.set_fill(st.ink);
        page.content.extend_from_slice(b"BT\n");
        // The font is part of the graphics state: it outlives the text object.
        if page.font != Some((st.bold, st.size_pt)) {
            page.font = Some((st.bold, st.size_pt));
            page.content.push(b'/');
            page.content.extend_from_slice(face.resource.as_bytes());
            page.content.push(b' ');
            pdf_file::num(&mut page.content, st.size_pt);
            page.content.extend_from_slice(b" Tf\n");
        }
        match at {
            Placement::At(x, y) => {
                page.point(x, y);
                page.content.extend_from_slice(b"Td\n");
            }
            Placement::Matrix([a, b, c, d, x, y]) => {
                for v in [a, b, c, d] {
                    pdf_file::num_dp(&mut page.content, v, 6);
                    page.content.push(b' ');
                }
                page.point(x, y);
                page.content.extend_from_slice(b"Tm\n");
            }
        }
        // Identity-H: two bytes per character, its CID (`font::Face::cid`),
        // in a literal string: half the bytes of hex, less to deflate.
        page.content.push(b'(');
        for c in text.chars() {
            let cid = face.cid(face.drawable(c), extra);
            for b in cid.to_be_bytes() {
                // Escaped: the delimiters, and line ends (which a reader
                // would normalise, ISO 32000-1, 7.3.4.2).
                match b {
                    b'(' | b')' | b'\\' => page.content.extend_from_slice(&[b'\\', b]),
                    b'\r' => page.content.extend_from_slice(b"\\r"),
                    b'\n' => page.content.extend_from_slice(b"\\n"),
                    _ => page.content.push(b),
                }
            }
        }
        page.content.extend_from_slice(b") Tj\nET\n");
    }

    /// A horizontal line at `y_mm`.
    pub(super) fn rule(&mut self, x1_mm: f32, x2_mm: f32, y_mm: f32, thickness_pt: f32, ink: Ink) {
        self.line(x1_mm, y_mm, x2_mm, y_mm, thickness_pt, ink);
    }

    pub(super) fn line(
        &mut self,
        x1_mm: f32,
        y1_mm: f32,
        x2_mm: f32,
        y2_mm: f32,
        thickness_pt: f32,
        ink: Ink,
    ) {
        let page = self.current();
        page.set_stroke(ink, thickness_pt);
        page.point(x_pt(x1_mm), y_pt(y1_mm));
        page.content.extend_from_slice(b"m\n");
        page.point(x_pt(x2_mm), y_pt(y2_mm));
        page.content.extend_from_slice(b"l\nS\n");
    }

    /// A filled rectangle whose top left corner is at (`x_mm`, `y_mm`).
    pub(super) fn band(&mut self, x_mm: f32, y_mm: f32, w_mm: f32, h_mm: f32, ink: Ink) {
        let page = self.current();
        page.set_fill(ink);
        page.point(x_pt(x_mm), y_pt(y_mm + h_mm));
        page.point(w_mm * PT_PER_MM, h_mm * PT_PER_MM);
        page.content.extend_from_slice(b"re\nf\n");
    }

    /// Black squares on a grid of `module_mm` whose top left corner is at
    /// (`x_mm`, `y_mm`): each run `(row, column, length)` is one rectangle
    /// of `length` squares. The grid's units are set once (`cm`, y down),
    /// so every rectangle is four small integers. Each is filled on its
    /// own: one fill of all of them leaves grey seams at low resolution
    /// that a scanner misreads (D37).
    pub(super) fn grid_runs(
        &mut self,
        x_mm: f32,
        y_mm: f32,
        module_mm: f32,
        runs: &[(u16, u16, u16)],
    ) {
        let page = self.current();
        page.set_fill(Ink::Black);
        let m = module_mm * PT_PER_MM;
        page.content.extend_from_slice(b"q\n");
        pdf_file::num(&mut page.content, m);
        page.content.extend_from_slice(b" 0 0 ");
        pdf_file::num(&mut page.content, -m);
        page.content.push(b' ');
        page.point(x_pt(x_mm), y_pt(y_mm));
        page.content.extend_from_slice(b"cm\n");
        for &(row, column, length) in runs {
            for (i, n) in [column, row, length].into_iter().enumerate() {
                if i > 0 {
                    page.content.push(b' ');
                }
                pdf_file::int(&mut page.content, i64::from(n));
            }
            page.content.extend_from_slice(b" 1 re f\n");
        }
        page.content.extend_from_slice(b"Q\n");
    }

    /// `text` broken into lines of at most `max_mm`, at spaces and line
    /// breaks (a no-break space holds its words together); a word longer
    /// than a line is cut.
    pub(super) fn wrap(&self, st: Style, text: &str, max_mm: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let words = paragraph
                .split(|c: char| c.is_ascii_whitespace())
                .filter(|w| !w.is_empty());
            for word in words {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.width_mm(st, &candidate) <= max_mm {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // The word alone, cut into pieces that fit (at least one
                // character each).
                for c in word.chars() {
                    line.push(c);
                    if line.chars().count() > 1 && self.width_mm(st, &line) > max_mm {
                        line.pop();
                        lines.push(std::mem::replace(&mut line, c.to_string()));
                    }
                }
            }
            if !line.is_empty() || lines.is_empty() {
                lines.push(line);
            }
        }
        lines
    }

    /// The largest size up to `st.size_pt` (and at least `min_pt`) at which
    /// `text` fits in `max_mm`.
    pub(super) fn fitted(&self, st: Style, text: &str, max_mm: f32, min_pt: f32) -> Style {
        let w_mm = self.width_mm(st, text);
        if w_mm <= max_mm {
            return st;
        }
        // Whole tenths of a point: tidy numbers in the content stream.
        let size_pt = (st.size_pt * max_mm / w_mm * 10.0).floor() / 10.0;
        Style {
            size_pt: size_pt.max(min_pt),
            ..st
        }
    }
}

// ---------------------------------------------------------------------------
// Words and formats per language
// ---------------------------------------------------------------------------

struct Words {
    invoice: &'static str,
    cancellation: &'static str,
    /// `{number}` and `{date}` of the cancelled invoice.
    cancels: &'static str,
    reason: &'static str,
    intro_cancellation: &'static str,
    draft: &'static str,
    draft_banner: &'static str,
    invoice_number: &'static str,
    issue_date: &'static str,
    customer_number: &'static str,
    buyer_reference: &'static str,
    service_period: &'static str,
    service_date: &'static str,
    due_date: &'static str,
    customer_vat_id: &'static str,
    intro: &'static str,
    pos: &'static str,
    date: &'static str,
    description: &'static str,
    quantity: &'static str,
    unit_price: &'static str,
    amount: &'static str,
    amounts_in: &'static str,
    net: &'static str,
    vat: &'static str,
    gross: &'static str,
    seller_vat_id: &'static str,
    buyer_vat_id: &'static str,
    pay_by: &'static str,
    pay_within: &'static str,
    no_payment: &'static str,
    transfer: &'static str,
    /// With a GiroCode: the transfer text naming the reference and the code.
    transfer_rf: &'static str,
    payment_reference: &'static str,
    girocode: &'static str,
    thanks: &'static str,
    proof_title: &'static str,
    proof_note: &'static str,
    no_charge: &'static str,
    page: &'static str,
    of: &'static str,
    continued: &'static str,
    phone: &'static str,
    email: &'static str,
    managing_director: &'static str,
    seat: &'static str,
    tax_number: &'static str,
    vat_id: &'static str,
}

const DE: Words = Words {
    invoice: "Rechnung",
    cancellation: "Stornorechnung",
    cancels: "Stornorechnung zu Rechnung {number} vom {date}",
    reason: "Grund",
    intro_cancellation: "Wir stornieren die folgenden Positionen:",
    draft: "ENTWURF",
    draft_banner: "ENTWURF – keine gültige Rechnung, bitte nicht bezahlen",
    invoice_number: "Rechnungsnummer",
    issue_date: "Rechnungsdatum",
    customer_number: "Kundennummer",
    buyer_reference: "Leitweg-ID",
    service_period: "Leistungszeitraum",
    service_date: "Leistungsdatum",
    due_date: "Fällig am",
    customer_vat_id: "Ihre USt-IdNr.",
    intro: "Für unsere Leistungen berechnen wir Ihnen:",
    pos: "Pos.",
    date: "Datum",
    description: "Beschreibung",
    quantity: "Menge",
    unit_price: "Einzelpreis",
    amount: "Betrag",
    amounts_in: "Beträge in",
    net: "Nettobetrag",
    vat: "USt",
    gross: "Gesamtbetrag",
    seller_vat_id: "USt-IdNr. des Leistenden",
    buyer_vat_id: "USt-IdNr. des Leistungsempfängers",
    pay_by: "Zahlbar ohne Abzug bis",
    pay_within: "Zahlbar ohne Abzug innerhalb von {days} Tagen nach Rechnungsdatum.",
    no_payment: "Es ist keine Zahlung fällig.",
    transfer: "Bitte überweisen Sie den Gesamtbetrag unter Angabe der Rechnungsnummer auf \
               unser Konto:",
    transfer_rf: "Bitte überweisen Sie den Gesamtbetrag mit dem Verwendungszweck unten auf \
                  unser Konto, oder scannen Sie den GiroCode mit Ihrer Banking-App:",
    payment_reference: "Verwendungszweck",
    girocode: "GiroCode",
    thanks: "Vielen Dank für Ihren Auftrag.",
    proof_title: "Leistungsnachweis (ohne Berechnung)",
    proof_note: "Im Wartungsvertrag enthaltene oder kostenfreie Leistungen dieses Zeitraums. \
                 Sie sind nicht Teil des Rechnungsbetrags.",
    no_charge: "kostenfrei",
    page: "Seite",
    of: "von",
    continued: "Fortsetzung",
    phone: "Tel.",
    email: "E-Mail",
    managing_director: "Geschäftsführer",
    seat: "Sitz der Gesellschaft",
    tax_number: "Steuernummer",
    vat_id: "USt-IdNr.",
};

const EN: Words = Words {
    invoice: "Invoice",
    cancellation: "Cancellation invoice",
    cancels: "Cancellation of invoice {number} of {date}",
    reason: "Reason",
    intro_cancellation: "We cancel the following items:",
    draft: "DRAFT",
    draft_banner: "DRAFT – not a valid invoice, please do not pay",
    invoice_number: "Invoice number",
    issue_date: "Invoice date",
    customer_number: "Customer number",
    buyer_reference: "Buyer reference (Leitweg-ID)",
    service_period: "Service period",
    service_date: "Date of service",
    due_date: "Due date",
    customer_vat_id: "Your VAT ID",
    intro: "We invoice you for our services as follows:",
    pos: "Pos.",
    date: "Date",
    description: "Description",
    quantity: "Quantity",
    unit_price: "Unit price",
    amount: "Amount",
    amounts_in: "Amounts in",
    net: "Net amount",
    vat: "VAT",
    gross: "Total amount",
    seller_vat_id: "Supplier's VAT ID",
    buyer_vat_id: "Customer's VAT ID",
    pay_by: "Payable without deduction by",
    pay_within: "Payable without deduction within {days} days of the invoice date.",
    no_payment: "No payment is due.",
    transfer: "Please transfer the total amount to our account, quoting the invoice number:",
    transfer_rf: "Please transfer the total amount to our account with the payment reference \
                  below, or scan the GiroCode with your banking app:",
    payment_reference: "Payment reference",
    girocode: "GiroCode",
    thanks: "Thank you for your business.",
    proof_title: "Proof of work (covered, no charge)",
    proof_note: "Work of this period covered by the maintenance contract or free of charge. \
                 It is not part of the invoice total.",
    no_charge: "no charge",
    page: "Page",
    of: "of",
    continued: "continued",
    phone: "Phone",
    email: "E-mail",
    managing_director: "Managing director",
    seat: "Registered office",
    tax_number: "Tax number",
    vat_id: "VAT ID",
};

/// "Rechnung", or "Stornorechnung" for a cancellation.
fn title_word(kind: InvoiceKind, w: &Words) -> &'static str {
    match kind {
        InvoiceKind::Monthly | InvoiceKind::Project => w.invoice,
        InvoiceKind::Cancellation => w.cancellation,
    }
}

fn words(lang: Language) -> &'static Words {
    match lang {
        Language::De => &DE,
        Language::En => &EN,
    }
}

/// `1.234,56` (de) or `1,234.56` (en): two decimals, rounded half away from
/// zero should a value ever carry more (amounts arrive rounded already).
pub(super) fn money(d: Decimal, lang: Language) -> String {
    fixed(d, 2, lang)
}

pub(super) fn money_with_currency(d: Decimal, currency: &str, lang: Language) -> String {
    format!("{} {currency}", money(d, lang))
}

/// `d` with exactly `dp` decimals and grouped thousands (also the review page's).
pub(super) fn fixed(d: Decimal, dp: u32, lang: Language) -> String {
    let mut r = d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(dp);
    let plain = r.abs().to_string();
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    let (group_sep, dec_sep) = match lang {
        Language::De => ('.', ','),
        Language::En => (',', '.'),
    };
    let mut out = String::new();
    if r.is_sign_negative() && !r.is_zero() {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group_sep);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(dec_sep);
        out.push_str(frac);
    }
    out
}

/// A count or percentage without trailing zeros: `19`, `12,5` (de) /
/// `12.5` (en).
pub(super) fn plain(d: Decimal, lang: Language) -> String {
    let s = d.normalize().to_string();
    match lang {
        Language::De => s.replace('.', ","),
        Language::En => s,
    }
}

/// `31.10.2026` (de) or `31 Oct 2026` (en).
pub(super) fn date(d: NaiveDate, lang: Language) -> String {
    match lang {
        Language::De => d.format("%d.%m.%Y").to_string(),
        Language::En => d.format("%-d %b %Y").to_string(),
    }
}

/// Quantity and unit as a customer reads them: hours with two decimals
/// (`1,50 h`), other units as counted (`1 Monat`).
fn quantity(line: &Line, lang: Language) -> String {
    if line.unit == "h" {
        return format!("{} h", fixed(line.quantity, 2, lang));
    }
    let unit = match (line.unit, lang) {
        ("month", Language::De) => "Monat",
        ("visit", Language::De) => "Anfahrt",
        ("project", Language::De) => "Projekt",
        (other, _) => other,
    };
    format!("{} {unit}", plain(line.quantity, lang))
}

/// The IBAN in groups of four, as printed on paper (DIN 5008).
pub(super) fn iban_grouped(iban: &str) -> String {
    let compact: Vec<char> = iban.chars().filter(|c| !c.is_whitespace()).collect();
    compact
        .chunks(4)
        .map(|g| g.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The country line of a foreign address, in capitals (DIN 5008); the ISO
/// code itself where the name is not in this table.
fn country_name(code: &str, lang: Language) -> String {
    let (de, en) = match code {
        "AT" => ("Österreich", "Austria"),
        "BE" => ("Belgien", "Belgium"),
        "BG" => ("Bulgarien", "Bulgaria"),
        "CH" => ("Schweiz", "Switzerland"),
        "CY" => ("Zypern", "Cyprus"),
        "CZ" => ("Tschechien", "Czechia"),
        "DE" => ("Deutschland", "Germany"),
        "DK" => ("Dänemark", "Denmark"),
        "EE" => ("Estland", "Estonia"),
        "ES" => ("Spanien", "Spain"),
        "FI" => ("Finnland", "Finland"),
        "FR" => ("Frankreich", "France"),
        "GB" => ("Vereinigtes Königreich", "United Kingdom"),
        "GR" => ("Griechenland", "Greece"),
        "HR" => ("Kroatien", "Croatia"),
        "HU" => ("Ungarn", "Hungary"),
        "IE" => ("Irland", "Ireland"),
        "IT" => ("Italien", "Italy"),
        "LI" => ("Liechtenstein", "Liechtenstein"),
        "LT" => ("Litauen", "Lithuania"),
        "LU" => ("Luxemburg", "Luxembourg"),
        "LV" => ("Lettland", "Latvia"),
        "MT" => ("Malta", "Malta"),
        "NL" => ("Niederlande", "Netherlands"),
        "NO" => ("Norwegen", "Norway"),
        "PL" => ("Polen", "Poland"),
        "PT" => ("Portugal", "Portugal"),
        "RO" => ("Rumänien", "Romania"),
        "SE" => ("Schweden", "Sweden"),
        "SI" => ("Slowenien", "Slovenia"),
        "SK" => ("Slowakei", "Slovakia"),
        "US" => ("Vereinigte Staaten", "United States"),
        other => (other, other),
    };
    match lang {
        Language::De => de.to_uppercase(),
        Language::En => en.to_uppercase(),
    }
}

// ---------------------------------------------------------------------------
// The letter's fixed parts, shared with the documents before the work
// (`notice.rs`): letterhead, address window, footer
// ---------------------------------------------------------------------------

/// The seller, top right: name, address, phone, e-mail.
pub(super) fn letterhead(canvas: &mut Canvas, c: &Company, lang: Language) {
    let max_mm = RIGHT_MM - INFO_X_MM;
    let name_style = canvas.fitted(style(true, 13.0, Ink::Black), &c.name, max_mm, 8.0);
    canvas.text(INFO_X_MM, 20.0, name_style, &c.name);
    let lines = [
        c.street.clone(),
        format!("{} {}", c.postcode, c.city),
        format!("{} {}", words(lang).phone, c.phone),
        format!("{} {}", words(lang).email, c.email),
    ];
    let mut y_mm = 25.5;
    for (i, l) in lines.iter().enumerate() {
        if i == 2 {
            y_mm += 1.5;
        }
        let st = canvas.fitted(BODY, l, max_mm, 6.0);
        canvas.text(INFO_X_MM, y_mm, st, l);
        y_mm += 4.0;
    }
}

/// The window of the envelope: the sender in one small line, then the
/// recipient (DIN 5008 form B).
pub(super) fn address_field(canvas: &mut Canvas, c: &Company, cu: &Customer, lang: Language) {
    let x_mm = WINDOW_X_MM + WINDOW_INSET_MM;
    let max_mm = WINDOW_W_MM - 2.0 * WINDOW_INSET_MM;
    let sender = format!("{} · {} · {} {}", c.name, c.street, c.postcode, c.city);
    let st = canvas.fitted(style(false, 7.0, Ink::Grey), &sender, max_mm, 5.0);
    canvas.text(x_mm, SENDER_LINE_MM, st, &sender);
    let w_mm = canvas.width_mm(st, &sender);
    canvas.rule(x_mm, x_mm + w_mm, SENDER_LINE_MM + 1.0, 0.3, Ink::Grey);

    // The address zone holds six lines. The name is the buyer's full
    // legal name (§ 14 (4) Nr. 1 UStG): never cut, set smaller instead.
    let mut tail = vec![cu.street.clone(), format!("{} {}", cu.postcode, cu.city)];
    if cu.country != c.country {
        tail.push(country_name(&cu.country, lang));
    }
    let mut recipient = style(false, 10.0, Ink::Black);
    let mut lines = canvas.wrap(recipient, &cu.name, max_mm);
    while lines.len() + tail.len() > 6 && recipient.size_pt > 7.0 {
        recipient.size_pt -= 0.5;
        lines = canvas.wrap(recipient, &cu.name, max_mm);
    }
    lines.extend(tail);
    let pitch_mm = recipient.size_pt * 0.42;
    let mut y_mm = RECIPIENT_FIRST_MM;
    for l in &lines {
        let st = canvas.fitted(recipient, l, max_mm, 6.0);
        canvas.text(x_mm, y_mm, st, l);
        y_mm += pitch_mm;
    }
}

/// The seller's legal data on every page (§ 14 (4) Nr. 1, 2 UStG;
/// § 35a GmbHG): address, seat, register, managing director, tax
/// number, VAT id, bank. Three columns: left, centred, right-aligned block.
pub(super) fn footer(canvas: &mut Canvas, c: &Company, lang: Language) {
    let w = words(lang);
    let st = style(false, 7.0, Ink::Grey);
    let columns: [Vec<String>; 3] = [
        vec![
            c.name.clone(),
            c.street.clone(),
            format!("{} {}", c.postcode, c.city),
            format!("{} {}", w.phone, c.phone),
        ],
        vec![
            format!("{}: {}", w.seat, c.seat),
            c.register.clone(),
            format!("{}: {}", w.managing_director, c.managing_director),
            format!("{}: {}", w.tax_number, c.tax_number),
            format!("{}: {}", w.vat_id, c.vat_id),
        ],
        vec![
            c.bank.clone(),
            format!("IBAN {}", iban_grouped(&c.iban)),
            format!("BIC {}", c.bic),
        ],
    ];
    let widths_mm: Vec<f32> = columns
        .iter()
        .map(|col| {
            col.iter()
                .map(|l| canvas.width_mm(st, l))
                .fold(0.0, f32::max)
        })
        .collect();
    let left_x_mm = LEFT_MM;
    let right_x_mm = RIGHT_MM - widths_mm[2];
    let gap_mm = right_x_mm - (left_x_mm + widths_mm[0]);
    let middle_x_mm = left_x_mm + widths_mm[0] + (gap_mm - widths_mm[1]) / 2.0;
    canvas.rule(LEFT_MM, RIGHT_MM, FOOTER_RULE_MM, 0.4, Ink::Hairline);
    for (col, x_mm) in columns.iter().zip([left_x_mm, middle_x_mm, right_x_mm]) {
        for (k, l) in col.iter().enumerate() {
            canvas.text(x_mm, FOOTER_FIRST_MM + k as f32 * 3.2, st, l);
        }
    }
}

/// The information block right of the address window: labels left, values
/// in a second column.
pub(super) fn info_rows(canvas: &mut Canvas, rows: &[(&str, String)]) {
    let label = style(false, 8.5, Ink::Grey);
    let value = style(false, 8.5, Ink::Black);
    let label_w_mm = rows
        .iter()
        .map(|(l, _)| canvas.width_mm(label, l))
        .fold(0.0, f32::max);
    let value_x_mm = INFO_X_MM + label_w_mm + 3.0;
    let mut y_mm = INFO_FIRST_MM;
    for (l, v) in rows {
        canvas.text(INFO_X_MM, y_mm, label, l);
        let st = canvas.fitted(value, v, RIGHT_MM - value_x_mm, 6.0);
        canvas.text(value_x_mm, y_mm, st, v);
        y_mm += 4.3;
    }
}

/// The fold and punch marks of form B, on a letter's first page.
pub(super) fn fold_marks(canvas: &mut Canvas) {
    for (y_mm, len_mm) in FOLD_MARKS_MM {
        canvas.rule(3.0, 3.0 + len_mm, y_mm, 0.4, Ink::Grey);
    }
}

// ---------------------------------------------------------------------------
// The invoice, top to bottom
// ---------------------------------------------------------------------------

/// The invoice as a PDF document: A4, the customer's language, every field
/// of § 14 (4) UStG. Same inputs, same bytes.
/// `buyer_reference` is the customer's Leitweg-ID for XRechnung (BT-10),
/// printed so that the paper copy names it too.
pub fn invoice_pdf(
    inv: &Invoice,
    company: &Company,
    customer: &Customer,
    buyer_reference: Option<&str>,
    fonts: &Fonts,
) -> Vec<u8> {
    letter_document(inv, company, customer, buyer_reference, fonts, None)
}

/// The hybrid invoice (Factur-X / ZUGFeRD, PDF/A-3b): the invoice PDF with
/// `xml`, its CII XML in `profile`, embedded, written in the same pass.
pub fn hybrid_invoice_pdf(
    inv: &Invoice,
    company: &Company,
    customer: &Customer,
    profile: &Profile,
    xml: &[u8],
    fonts: &Fonts,
) -> Vec<u8> {
    let attachment = facturx::Attachment {
        xml,
        profile,
        invoice_number: &inv.number,
        date: inv.document_date(),
    };
    let reference = profile.buyer_reference();
    letter_document(inv, company, customer, reference, fonts, Some(&attachment))
}

fn letter_document(
    inv: &Invoice,
    company: &Company,
    customer: &Customer,
    buyer_reference: Option<&str>,
    fonts: &Fonts,
    attachment: Option<&facturx::Attachment>,
) -> Vec<u8> {
    let canvas = Letter::new(inv, company, customer, buyer_reference, fonts).write();
    let w = words(customer.language);
    let title = title_word(inv.kind, w);
    let meta = Meta {
        title: format!("{title} {}", inv.number),
        author: company.name.clone(),
        subject: format!("{title} {} – {}", inv.number, customer.name),
        identifier: inv.number.clone(),
        date: Some(inv.document_date()),
    };
    write_document(canvas, fonts, &meta, attachment)
}

/// A letter's title at `y_mm`, with the red draft mark and banner under it
/// for a draft (`draft` = the mark and the banner); returns the height
/// below, where the text goes on.
pub(super) fn title_line(
    canvas: &mut Canvas,
    mut y_mm: f32,
    title: &str,
    draft: Option<(&str, &str)>,
) -> f32 {
    let title_style = style(true, 15.0, Ink::Black);
    canvas.text(LEFT_MM, y_mm + 5.0, title_style, title);
    if let Some((mark, banner)) = draft {
        let x_mm = LEFT_MM + canvas.width_mm(title_style, title) + 4.0;
        canvas.text(x_mm, y_mm + 5.0, style(true, 15.0, Ink::Red), mark);
        y_mm += 7.0;
        canvas.text(LEFT_MM, y_mm + 4.5, style(true, 9.0, Ink::Red), banner);
    }
    y_mm
}

/// The QR `modules` as a square of `size_mm` at (`x_mm`, `y_mm`), the
/// quiet zone of four modules inside it: each row's run of dark modules is
/// one rectangle.
pub(super) fn draw_qr(
    canvas: &mut Canvas,
    modules: &[Vec<bool>],
    x_mm: f32,
    y_mm: f32,
    size_mm: f32,
) {
    const QUIET: f32 = 4.0;
    let module = size_mm / (modules.len() as f32 + 2.0 * QUIET);
    let mut runs = Vec::new();
    for (r, row) in modules.iter().enumerate() {
        let mut c = 0;
        while c < row.len() {
            if !row[c] {
                c += 1;
                continue;
            }
            let start = c;
            while c < row.len() && row[c] {
                c += 1;
            }
            runs.push((r as u16, start as u16, (c - start) as u16));
        }
    }
    canvas.grid_runs(x_mm + QUIET * module, y_mm + QUIET * module, module, &runs);
}

/// What a document's info dictionary says, and the date that stands for
/// its creation (no clock: `None` is a fixed epoch).
pub(super) struct Meta {
    pub(super) title: String,
    pub(super) author: String,
    pub(super) subject: String,
    /// Also the seed of the trailer `/ID`.
    pub(super) identifier: String,
    pub(super) date: Option<NaiveDate>,
}

/// The drawn pages as PDF bytes: fonts, the document info and `/ID` from
/// `meta`, streams deflated. Same canvas, same meta: same bytes.
pub(super) fn document(canvas: Canvas, fonts: &Fonts, meta: &Meta) -> Vec<u8> {
    write_document(canvas, fonts, meta, None)
}

/// The PDF in one pass: catalog, page tree and document info first (their
/// ids), then the fonts, the pages with their content streams, for an
/// invoice the Factur-X parts (`attachment`), and the xref table.
fn write_document(
    canvas: Canvas,
    fonts: &Fonts,
    meta: &Meta,
    attachment: Option<&facturx::Attachment>,
) -> Vec<u8> {
    let content_len: usize = canvas.pages.iter().map(|p| p.content.len()).sum();
    let xml_len = attachment.map_or(0, |a| a.xml.len());
    let mut file = PdfFile::new(64 * 1024 + content_len / 3 + xml_len / 4);
    let (catalog, tree, info) = (file.alloc(), file.alloc(), file.alloc());

    let mut resources = b"<</Font<<".to_vec();
    for (which, bold) in [(0, false), (1, true)] {
        if canvas.used[which] {
            let face = fonts.face(bold);
            let id = face.write(&mut file, &canvas.extra[which]);
            resources.push(b'/');
            resources.extend_from_slice(face.resource.as_bytes());
            resources.push(b' ');
            pdf_file::reference(&mut resources, id);
        }
    }
    resources.extend_from_slice(b">>>>");

    let mut kids = Vec::with_capacity(canvas.pages.len());
    for page in &canvas.pages {
        let (id, content) = (file.alloc(), file.alloc());
        kids.push(id);
        file.stream(content, b"", &pdf_file::deflate(&page.content), true);
        let mut d = b"<</Type/Page/Parent ".to_vec();
        pdf_file::reference(&mut d, tree);
        // A4 in points.
        d.extend_from_slice(b"/MediaBox[0 0 ");
        pdf_file::num(&mut d, x_pt(PAGE_W_MM));
        d.push(b' ');
        pdf_file::num(&mut d, PAGE_H_MM * PT_PER_MM);
        d.extend_from_slice(b"]/Resources");
        d.extend_from_slice(&resources);
        d.extend_from_slice(b"/Contents ");
        pdf_file::reference(&mut d, content);
        d.extend_from_slice(b">>");
        file.object(id, &d);
    }
    let mut d = b"<</Type/Pages/Count ".to_vec();
    pdf_file::int(&mut d, kids.len() as i64);
    d.extend_from_slice(b"/Kids[");
    for (i, kid) in kids.iter().enumerate() {
        if i > 0 {
            d.push(b' ');
        }
        pdf_file::reference(&mut d, *kid);
    }
    d.extend_from_slice(b"]>>");
    file.object(tree, &d);

    // The document's dates are the issue date, or a draft's last day of
    // service (D35), never the clock, so that a re-run gives the same bytes.
    let date = meta
        .date
        .unwrap_or(NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date"));
    let doc_info = facturx::DocInfo {
        title: &meta.title,
        author: &meta.author,
        subject: &meta.subject,
        creator: "faktura",
        producer: concat!("faktura ", env!("CARGO_PKG_VERSION")),
        date,
    };
    file.object(info, &doc_info.dictionary());

    let mut d = b"<</Type/Catalog/Pages ".to_vec();
    pdf_file::reference(&mut d, tree);
    if let Some(a) = attachment {
        facturx::write(&mut file, a, &doc_info, &mut d);
    }
    d.extend_from_slice(b">>");
    file.object(catalog, &d);

    // The trailer /ID: the document's identifier (the invoice number), hashed.
    let digest = Sha256::digest(meta.identifier.as_bytes());
    file.finish(catalog, info, &digest[..16])
}

/// The invoice laid out as a letter: a cursor (`y_mm`) moving down the
/// pages, page breaks with the table header repeated.
struct Letter<'a> {
    inv: &'a Invoice,
    company: &'a Company,
    customer: &'a Customer,
    /// The Leitweg-ID of an XRechnung customer.
    buyer_reference: Option<&'a str>,
    lang: Language,
    w: &'static Words,
    canvas: Canvas<'a>,
    /// The top of the next block, mm from the top of the current page.
    y_mm: f32,
}

/// Which table a page break has to repeat the header of.
#[derive(Clone, Copy, PartialEq)]
enum Table {
    None,
    Charged,
    Proof,
}

impl<'a> Letter<'a> {
    fn new(
        inv: &'a Invoice,
        company: &'a Company,
        customer: &'a Customer,
        buyer_reference: Option<&'a str>,
        fonts: &'a Fonts,
    ) -> Self {
        let lang = customer.language;
        Letter {
            inv,
            company,
            customer,
            buyer_reference,
            lang,
            w: words(lang),
            canvas: Canvas::new(fonts),
            y_mm: BODY_TOP_FIRST_MM,
        }
    }

    fn write(mut self) -> Canvas<'a> {
        self.letterhead();
        self.address_field();
        self.info_block();
        self.title();
        let (proof, charged): (Vec<_>, Vec<_>) = self
            .inv
            .lines
            .iter()
            .enumerate()
            .partition(|(_, l)| l.kind == LineKind::Proof);
        self.table(&charged, Table::Charged);
        self.totals();
        self.tax_note();
        self.payment();
        if !proof.is_empty() {
            self.proof_section(&proof);
        }
        self.finish_pages();
        self.canvas
    }

    // --- first page: letterhead, address field, information block -------

    fn letterhead(&mut self) {
        letterhead(&mut self.canvas, self.company, self.lang);
    }

    fn address_field(&mut self) {
        address_field(&mut self.canvas, self.company, self.customer, self.lang);
    }

    /// Invoice number, dates, customer number, service period: labels left,
    /// values in a second column, right of the address field.
    fn info_block(&mut self) {
        let (inv, w, lang) = (self.inv, self.w, self.lang);
        let mut rows: Vec<(&str, String)> = vec![(w.invoice_number, inv.number.clone())];
        if let Some(d) = inv.issue_date {
            rows.push((w.issue_date, date(d, lang)));
        }
        rows.push((w.customer_number, self.customer.id.to_string()));
        if inv.service_from == inv.service_to {
            rows.push((w.service_date, date(inv.service_from, lang)));
        } else {
            let period = format!(
                "{} – {}",
                date(inv.service_from, lang),
                date(inv.service_to, lang)
            );
            rows.push((w.service_period, period));
        }
        if let Some(d) = inv.due_date {
            rows.push((w.due_date, date(d, lang)));
        }
        if let Some(vat_id) = &self.customer.vat_id {
            rows.push((w.customer_vat_id, vat_id.clone()));
        }
        if let Some(r) = self.buyer_reference {
            rows.push((w.buyer_reference, r.to_string()));
        }
        info_rows(&mut self.canvas, &rows);
    }

    /// "Rechnung" (with the draft mark; a cancellation with its original),
    /// and the line leading into the table.
    fn title(&mut self) {
        let title = title_word(self.inv.kind, self.w);
        let draft = self
            .inv
            .draft
            .then_some((self.w.draft, self.w.draft_banner));
        self.y_mm = title_line(&mut self.canvas, self.y_mm, title, draft);
        if let Some(r) = &self.inv.refers_to {
            // § 31 (5) UStDV: a correction refers unambiguously to the original.
            let reference = self
                .w
                .cancels
                .replace("{number}", &r.number)
                .replace("{date}", &date(r.issue_date, self.lang));
            self.y_mm += 7.0;
            self.canvas
                .text(LEFT_MM, self.y_mm + 4.5, BODY_BOLD, &reference);
            if let Some(reason) = &self.inv.reason {
                let line = format!("{}: {reason}", self.w.reason);
                for part in self.canvas.wrap(BODY, &line, RIGHT_MM - LEFT_MM) {
                    self.y_mm += 4.5;
                    self.canvas.text(LEFT_MM, self.y_mm + 4.5, BODY, &part);
                }
            }
        }
        self.y_mm += 11.5;
        let intro = match self.inv.kind {
            InvoiceKind::Cancellation => self.w.intro_cancellation,
            InvoiceKind::Monthly | InvoiceKind::Project => self.w.intro,
        };
        self.canvas.text(LEFT_MM, self.y_mm, BODY, intro);
        let amounts_in = format!("{} {}", self.w.amounts_in, self.inv.currency);
        self.canvas
            .text_right(RIGHT_MM, self.y_mm, SMALL_GREY, &amounts_in);
        self.y_mm += 3.0;
    }

    // --- body: tables, totals, notes -------------------------------------

    /// Move to the next page if `height_mm` does not fit on this one;
    /// repeat the header of `table` there.
    fn ensure(&mut self, height_mm: f32, table: Table) {
        if self.y_mm + height_mm <= BODY_BOTTOM_MM {
            return;
        }
        self.canvas.add_page();
        self.y_mm = BODY_TOP_NEXT_MM;
        if table != Table::None {
            self.table_header(table);
        }
    }

    fn table_header(&mut self, table: Table) {
        let w = self.w;
        let top_mm = self.y_mm;
        self.canvas.band(
            LEFT_MM,
            top_mm,
            RIGHT_MM - LEFT_MM,
            HEADER_ROW_MM,
            Ink::Band,
        );
        let y_mm = top_mm + 4.4;
        self.canvas.text(COL_POS_X_MM, y_mm, TABLE_HEAD, w.pos);
        self.canvas.text(COL_DATE_X_MM, y_mm, TABLE_HEAD, w.date);
        self.canvas
            .text(COL_DESC_X_MM, y_mm, TABLE_HEAD, w.description);
        self.canvas
            .text_right(COL_QTY_R_MM, y_mm, TABLE_HEAD, w.quantity);
        if table == Table::Charged {
            self.canvas
                .text_right(COL_PRICE_R_MM, y_mm, TABLE_HEAD, w.unit_price);
        }
        self.canvas
            .text_right(COL_AMOUNT_R_MM, y_mm, TABLE_HEAD, w.amount);
        self.y_mm = top_mm + HEADER_ROW_MM;
    }

    fn row_style(table: Table) -> Style {
        if table == Table::Proof {
            PROOF
        } else {
            BODY
        }
    }

    /// The height a table needs on the page where it starts: its header and
    /// its first rows (up to three), so that a header never stands alone.
    fn table_start_mm(&self, lines: &[(usize, &Line)], table: Table) -> f32 {
        let text = Self::row_style(table);
        let rows_mm: f32 = lines
            .iter()
            .take(3)
            .map(|(_, l)| {
                let n = self.canvas.wrap(text, &l.description, COL_DESC_W_MM).len();
                n as f32 * ROW_LINE_MM + ROW_PAD_MM
            })
            .sum();
        HEADER_ROW_MM + rows_mm
    }

    /// The lines of `table`, each with its position on the invoice (its
    /// 1-based index among all the invoice's lines).
    fn table(&mut self, lines: &[(usize, &Line)], table: Table) {
        self.ensure(self.table_start_mm(lines, table), Table::None);
        self.table_header(table);
        let text = Self::row_style(table);
        for (i, line) in lines {
            let desc = self.canvas.wrap(text, &line.description, COL_DESC_W_MM);
            let row_mm = desc.len() as f32 * ROW_LINE_MM + ROW_PAD_MM;
            // Keep a row on one page when it fits on a page at all.
            if row_mm <= BODY_BOTTOM_MM - BODY_TOP_NEXT_MM - HEADER_ROW_MM {
                self.ensure(row_mm, table);
            }
            let mut y_mm = self.y_mm + ROW_LINE_MM;
            self.canvas
                .text(COL_POS_X_MM, y_mm, text, &(i + 1).to_string());
            if let Some(d) = line.date {
                self.canvas
                    .text(COL_DATE_X_MM, y_mm, text, &date(d, self.lang));
            }
            self.canvas
                .text_right(COL_QTY_R_MM, y_mm, text, &quantity(line, self.lang));
            if table == Table::Charged {
                let price = money(line.unit_price, self.lang);
                self.canvas.text_right(COL_PRICE_R_MM, y_mm, text, &price);
            } else {
                let note = style(false, 8.0, Ink::Grey);
                self.canvas
                    .text_right(COL_PRICE_R_MM, y_mm, note, self.w.no_charge);
            }
            self.canvas
                .text_right(COL_AMOUNT_R_MM, y_mm, text, &money(line.amount, self.lang));
            for (k, part) in desc.iter().enumerate() {
                if k > 0 {
                    // A break inside a row: only for a row longer than a page.
                    if y_mm + ROW_LINE_MM > BODY_BOTTOM_MM {
                        self.y_mm = y_mm;
                        self.ensure(ROW_LINE_MM + ROW_PAD_MM, table);
                        y_mm = self.y_mm;
                    }
                    y_mm += ROW_LINE_MM;
                }
                self.canvas.text(COL_DESC_X_MM, y_mm, text, part);
            }
            self.y_mm = y_mm + ROW_PAD_MM;
            self.canvas
                .rule(LEFT_MM, RIGHT_MM, self.y_mm, 0.4, Ink::Hairline);
        }
    }

    /// Net, VAT per rate, gross: right-aligned under the amount column.
    fn totals(&mut self) {
        let (inv, w, lang) = (self.inv, self.w, self.lang);
        let label_x_mm = 118.0;
        let row_mm = 5.0;
        self.ensure(3.0 * row_mm + 6.0, Table::None);
        let mut y_mm = self.y_mm + 5.5;
        self.canvas.text(label_x_mm, y_mm, BODY, w.net);
        self.canvas.text_right(
            COL_AMOUNT_R_MM,
            y_mm,
            BODY,
            &money_with_currency(inv.net, &inv.currency, lang),
        );
        y_mm += row_mm;
        let sep = if lang == Language::De { " " } else { "" };
        let vat_label = format!("{} {}{sep}%", w.vat, plain(inv.vat_rate, lang));
        self.canvas.text(label_x_mm, y_mm, BODY, &vat_label);
        let vat = money_with_currency(inv.vat, &inv.currency, lang);
        self.canvas.text_right(COL_AMOUNT_R_MM, y_mm, BODY, &vat);
        y_mm += 2.2;
        self.canvas
            .rule(label_x_mm, RIGHT_MM, y_mm, 0.8, Ink::Black);
        y_mm += 4.8;
        let gross_style = style(true, 10.0, Ink::Black);
        self.canvas.text(label_x_mm, y_mm, gross_style, w.gross);
        let gross = money_with_currency(inv.gross, &inv.currency, lang);
        self.canvas
            .text_right(COL_AMOUNT_R_MM, y_mm, gross_style, &gross);
        y_mm += 1.6;
        self.canvas
            .rule(label_x_mm, RIGHT_MM, y_mm, 0.4, Ink::Black);
        self.canvas
            .rule(label_x_mm, RIGHT_MM, y_mm + 0.7, 0.4, Ink::Black);
        self.y_mm = y_mm + 5.0;
    }

    /// A paragraph over the full text width, kept on one page.
    fn paragraph(&mut self, st: Style, text: &str) {
        let lines = self.canvas.wrap(st, text, RIGHT_MM - LEFT_MM);
        let line_mm = st.size_pt * 0.45;
        self.ensure(lines.len() as f32 * line_mm + 1.0, Table::None);
        for l in &lines {
            self.y_mm += line_mm;
            self.canvas.text(LEFT_MM, self.y_mm, st, l);
        }
        self.y_mm += 1.5;
    }

    /// Why there is no German VAT (F15), with both VAT ids for reverse charge
    /// (§ 14a (1) UStG).
    fn tax_note(&mut self) {
        let w = self.w;
        let note = self.inv.tax_note.text(self.lang).unwrap_or_default();
        match self.inv.tax_note {
            TaxNote::None => {}
            TaxNote::ReverseCharge => {
                self.paragraph(BODY_BOLD, note);
                let ids = format!(
                    "{}: {}  ·  {}: {}",
                    w.seller_vat_id,
                    self.company.vat_id,
                    w.buyer_vat_id,
                    self.customer.vat_id.as_deref().unwrap_or("–"),
                );
                self.paragraph(BODY, &ids);
                self.y_mm += 2.0;
            }
            TaxNote::NotTaxableInDe => {
                self.paragraph(BODY_BOLD, note);
                self.y_mm += 2.0;
            }
        }
    }

    /// Payment terms with the due date, and where to pay; for an invoice
    /// paid by transfer (G1) the RF reference as "Verwendungszweck" and the
    /// GiroCode beside the text.
    fn payment(&mut self) {
        let (inv, w, lang, c) = (self.inv, self.w, self.lang, self.company);
        if inv.gross <= Decimal::ZERO {
            self.paragraph(BODY_BOLD, w.no_payment);
        } else {
            let terms = match inv.due_date {
                Some(d) => format!("{} {}.", w.pay_by, date(d, lang)),
                None => w.pay_within.replace("{days}", &c.payment_days.to_string()),
            };
            let bank = format!(
                "{}  ·  IBAN {}  ·  BIC {}",
                c.bank,
                iban_grouped(&c.iban),
                c.bic
            );
            let rf = crate::girocode::reference(inv);
            let qr = rf.as_deref().and_then(|rf| {
                crate::girocode::modules(&crate::girocode::payload(c, inv.gross, rf))
            });
            match (rf, qr) {
                (Some(rf), Some(qr)) => self.payment_with_code(&terms, &bank, &rf, &qr),
                _ => {
                    self.paragraph(BODY_BOLD, &terms);
                    self.paragraph(BODY, w.transfer);
                    self.paragraph(BODY, &bank);
                }
            }
        }
        if inv.kind != InvoiceKind::Cancellation {
            self.y_mm += 2.0;
            self.paragraph(BODY, w.thanks);
        }
    }

    /// The payment block of G1: terms, transfer text, bank and reference on
    /// the left, the GiroCode (with its quiet zone, `QR_MM` square) on the
    /// right, kept together on one page.
    fn payment_with_code(&mut self, terms: &str, bank: &str, rf: &str, qr: &[Vec<bool>]) {
        const QR_MM: f32 = 28.0;
        let w = self.w;
        let text_mm = RIGHT_MM - LEFT_MM - QR_MM - 4.0;
        let reference = format!(
            "{}: {}",
            w.payment_reference,
            crate::creditor_ref::grouped(rf)
        );
        let ref_style = style(true, 10.0, Ink::Black);
        let blocks: Vec<(Style, Vec<String>)> = [
            (BODY_BOLD, terms),
            (BODY, w.transfer_rf),
            (BODY, bank),
            (ref_style, reference.as_str()),
        ]
        .into_iter()
        .map(|(st, t)| (st, self.canvas.wrap(st, t, text_mm)))
        .collect();
        let text_height: f32 = blocks
            .iter()
            .map(|(st, lines)| lines.len() as f32 * st.size_pt * 0.45 + 1.5)
            .sum::<f32>()
            + 1.5;
        let caption = 4.0;
        self.ensure(text_height.max(QR_MM + caption) + 1.0, Table::None);
        let top = self.y_mm;
        for (i, (st, lines)) in blocks.iter().enumerate() {
            if i == 3 {
                self.y_mm += 1.5;
            }
            for l in lines {
                self.y_mm += st.size_pt * 0.45;
                self.canvas.text(LEFT_MM, self.y_mm, *st, l);
            }
            self.y_mm += 1.5;
        }
        draw_qr(&mut self.canvas, qr, RIGHT_MM - QR_MM, top + 1.0, QR_MM);
        let label_w = self.canvas.width_mm(SMALL_GREY, w.girocode);
        self.canvas.text(
            RIGHT_MM - QR_MM / 2.0 - label_w / 2.0,
            top + 1.0 + QR_MM + 2.5,
            SMALL_GREY,
            w.girocode,
        );
        self.y_mm = self.y_mm.max(top + 1.0 + QR_MM + caption);
    }

    /// Work shown at 0.00 (covered or referral), apart from what is charged.
    fn proof_section(&mut self, lines: &[(usize, &Line)]) {
        self.y_mm += 3.0;
        let title = style(true, 10.0, Ink::Black);
        self.ensure(14.0 + self.table_start_mm(lines, Table::Proof), Table::None);
        self.y_mm += 4.5;
        self.canvas
            .text(LEFT_MM, self.y_mm, title, self.w.proof_title);
        self.y_mm += 0.5;
        self.paragraph(SMALL_GREY, self.w.proof_note);
        self.y_mm += 1.0;
        self.table(lines, Table::Proof);
    }

    // --- every page: marks, page numbers, footer, draft watermark --------

    fn finish_pages(&mut self) {
        let count = self.canvas.pages.len();
        for page in 0..count {
            self.canvas.page = page;
            if page == 0 {
                fold_marks(&mut self.canvas);
            } else {
                self.continuation_head();
            }
            let label = format!("{} {} {} {}", self.w.page, page + 1, self.w.of, count);
            self.canvas
                .text_right(RIGHT_MM, PAGE_NUMBER_MM, SMALL_GREY, &label);
            self.footer();
            if self.inv.draft {
                self.watermark();
            }
        }
    }

    /// Pages 2..: who wrote it and which invoice this page belongs to.
    fn continuation_head(&mut self) {
        let head = style(false, 8.0, Ink::Grey);
        self.canvas.text(
            LEFT_MM,
            15.0,
            style(true, 8.0, Ink::Grey),
            &self.company.name,
        );
        let which = format!(
            "{} {}  ·  {} {}  ·  {}",
            title_word(self.inv.kind, self.w),
            self.inv.number,
            self.w.customer_number,
            self.customer.id,
            self.w.continued
        );
        self.canvas.text_right(RIGHT_MM, 15.0, head, &which);
        self.canvas
            .rule(LEFT_MM, RIGHT_MM, 17.5, 0.4, Ink::Hairline);
    }

    fn footer(&mut self) {
        footer(&mut self.canvas, self.company, self.lang);
    }

    /// A large light-grey diagonal "ENTWURF" behind the page's content.
    fn watermark(&mut self) {
        watermark(&mut self.canvas, self.w.draft);
    }
}

/// A large light-grey diagonal `text` (ENTWURF) behind the current page's
/// content: the draft mark of every letter.
pub(super) fn watermark(canvas: &mut Canvas, text: &str) {
    let st = style(true, 96.0, Ink::Watermark);
    let w_pt = canvas.fonts.face(true).width_pt(text, st.size_pt);
    // Along the page's diagonal, centred: start half the text's width
    // (and half its cap height) back from the centre.
    // sin and cos of atan(297 / 210), written out: a libm call might
    // round differently on another platform, and these land in the PDF.
    let (sin, cos) = (0.816_510_f32, 0.577_331_f32);
    let cap_pt = st.size_pt * 0.7;
    let centre_x_pt = PAGE_W_MM / 2.0 * PT_PER_MM;
    let centre_y_pt = PAGE_H_MM / 2.0 * PT_PER_MM;
    let x_pt = centre_x_pt - cos * w_pt / 2.0 + sin * cap_pt / 2.0;
    let y_pt = centre_y_pt - sin * w_pt / 2.0 - cos * cap_pt / 2.0;
    let at = Placement::Matrix([cos, sin, -sin, cos, x_pt, y_pt]);
    // Drawn last but moved first, so that everything else lies on top
    // of it. It writes its state in full, and so does the page's first
    // operation (the state starts unknown), so the move changes nothing
    // else.
    let page = canvas.current();
    page.reset_state();
    let before = page.content.len();
    canvas.place_text(at, st, text);
    let page = canvas.current();
    let added = page.content.len() - before;
    page.content.rotate_right(added);
    page.reset_state();
}
