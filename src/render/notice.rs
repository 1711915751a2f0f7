//! The documents that come before the work (RULES 11): the cost notice with
//! its reply slip (E3), the price list (Verrechnungssätze) and the project
//! offer, as PDFs in the invoice's letter layout (`pdf.rs`'s letterhead,
//! address window, footer and fonts), and their CSVs. Decides nothing: the
//! estimate, the price list and the offer arrive computed.

use super::pdf::{
    address_field, date, document, fixed, fold_marks, footer, info_rows, letterhead,
    money as amount, plain, style, Canvas, Fonts, Ink, Meta, Style, BODY, BODY_BOLD,
    BODY_BOTTOM_MM, BODY_TOP_FIRST_MM, BODY_TOP_NEXT_MM, COL_AMOUNT_R_MM, COL_DATE_X_MM,
    COL_DESC_W_MM, COL_DESC_X_MM, COL_POS_X_MM, COL_PRICE_R_MM, COL_QTY_R_MM, HEADER_ROW_MM,
    LEFT_MM, PAGE_NUMBER_MM, RIGHT_MM, ROW_LINE_MM, ROW_PAD_MM, SMALL_GREY, TABLE_HEAD,
};
use crate::csvout::writer;
use crate::decide::{Outcome, Part, Rule, K};
use crate::estimate::{Estimate, Notice, Proposal};
use crate::invoice::TaxNote;
use crate::model::{ApprovalKind, Channel, Company, Customer, Language, Unit};
use crate::money::{money, percent};
use crate::offer::Offer;
use crate::pricelist::PriceList;
use rust_decimal::Decimal;

/// `estimate.csv` (E2): the items' parts in the columns and order of
/// `charges.csv`, `approval_id` and `invoice_no` empty.
pub fn estimate_csv(est: &Estimate) -> Vec<u8> {
    let parts: Vec<&crate::decide::Part> = est.parts.iter().collect();
    crate::render::csv::charges(&est.ds, &parts)
}

/// `approvals-proposed.csv` (E4): one row per customer with chargeable
/// items, in the columns of `approvals.csv`, `granted_on` empty.
pub fn proposals_csv(est: &Estimate) -> Vec<u8> {
    let mut w = writer();
    w.write_record(crate::validate::APPROVALS)
        .expect("write to memory");
    for (customer, p) in crate::estimate::proposals(est) {
        w.write_record([
            p.id.as_str(),
            customer.as_str(),
            p.kind.as_str(),
            "",
            &p.valid_until.to_string(),
            p.ticket.as_deref().unwrap_or(""),
            &crate::money::percent(p.max_hours),
        ])
        .expect("write to memory");
    }
    w.into_inner().expect("flush to memory")
}

/// Every file of an estimate but the manifest: `estimate.csv`,
/// `approvals-proposed.csv` and one notice PDF per customer.
pub fn estimate_files(est: &Estimate) -> crate::Files {
    let mut files = vec![
        ("estimate.csv".to_string(), estimate_csv(est)),
        ("approvals-proposed.csv".to_string(), proposals_csv(est)),
    ];
    let fonts = Fonts::load();
    // One notice per customer, rendered in parallel like the invoices.
    use rayon::prelude::*;
    let notices: Vec<(String, Vec<u8>)> = est
        .notices
        .par_iter()
        .filter_map(|n| {
            let cu = est.ds.customers.get(&n.customer)?;
            Some((notice_name(&n.customer), notice_pdf(est, n, cu, &fonts)))
        })
        .collect();
    files.extend(notices);
    // The review page (RULES 15) links the notices written above.
    let page = {
        let written: std::collections::HashSet<&str> = files.iter().map(|f| f.0.as_str()).collect();
        let pdf = |c: &crate::model::CustomerId| {
            Some(notice_name(c)).filter(|f| written.contains(f.as_str()))
        };
        crate::review::of_estimate(est, &pdf)
    };
    files.push((super::review::FILE.to_string(), super::review::html(&page)));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// A customer's notice file.
fn notice_name(c: &crate::model::CustomerId) -> String {
    format!("estimate-{}.pdf", crate::invoice::file_safe(c.as_str()))
}

// ---------------------------------------------------------------------------
// A letter being written: the invoice's fixed parts, a cursor down the pages
// ---------------------------------------------------------------------------

/// A document before the work, laid out as the invoice is: letterhead,
/// address window and information block on page 1, the footer with the
/// company's legal data and "page x of n" on every page.
struct Doc<'a> {
    canvas: Canvas<'a>,
    company: &'a Company,
    lang: Language,
    /// What pages 2.. say at the top (the document and the customer).
    running_head: String,
    y_mm: f32,
}

const HEADING: Style = style(true, 10.0, Ink::Black);
const TITLE: Style = style(true, 15.0, Ink::Black);

impl<'a> Doc<'a> {
    fn new(
        fonts: &'a Fonts,
        company: &'a Company,
        customer: Option<&Customer>,
        lang: Language,
        info: &[(&str, String)],
        running_head: String,
    ) -> Self {
        let mut canvas = Canvas::new(fonts);
        letterhead(&mut canvas, company, lang);
        info_rows(&mut canvas, info);
        // A letter has its recipient in the window; a handout (the price
        // list) has none and starts below the information block.
        let y_mm = match customer {
            Some(cu) => {
                address_field(&mut canvas, company, cu, lang);
                BODY_TOP_FIRST_MM
            }
            None => 62.0,
        };
        Doc {
            canvas,
            company,
            lang,
            running_head,
            y_mm,
        }
    }

    fn new_page(&mut self) {
        self.canvas.add_page();
        self.y_mm = BODY_TOP_NEXT_MM;
    }

    /// A new page unless `height_mm` still fits on this one.
    fn ensure(&mut self, height_mm: f32) -> bool {
        if self.y_mm + height_mm <= BODY_BOTTOM_MM {
            return false;
        }
        self.new_page();
        true
    }

    fn title(&mut self, title: &str, subtitle: Option<&str>) {
        self.canvas.text(LEFT_MM, self.y_mm + 5.0, TITLE, title);
        self.y_mm += 7.0;
        if let Some(sub) = subtitle {
            self.y_mm += 5.0;
            let st = self.canvas.fitted(HEADING, sub, RIGHT_MM - LEFT_MM, 7.0);
            self.canvas.text(LEFT_MM, self.y_mm, st, sub);
        }
        self.y_mm += 4.0;
    }

    fn paragraph(&mut self, st: Style, text: &str) {
        self.paragraph_at(LEFT_MM, st, text);
    }

    /// A paragraph from `x_mm` to the right margin, kept on one page.
    fn paragraph_at(&mut self, x_mm: f32, st: Style, text: &str) {
        let lines = self.canvas.wrap(st, text, RIGHT_MM - x_mm);
        let line_mm = st.size_pt * 0.45;
        self.ensure(lines.len() as f32 * line_mm + 1.0);
        for l in &lines {
            self.y_mm += line_mm;
            self.canvas.text(x_mm, self.y_mm, st, l);
        }
        self.y_mm += 1.5;
    }

    fn heading(&mut self, text: &str) {
        self.ensure(14.0);
        self.y_mm += 5.0;
        self.canvas.text(LEFT_MM, self.y_mm, HEADING, text);
        self.y_mm += 1.0;
    }

    /// A bullet list item.
    fn bullet(&mut self, st: Style, text: &str) {
        self.item("•", st, text);
    }

    /// A list item with its marker (a bullet or a step's number).
    fn item(&mut self, marker: &str, st: Style, text: &str) {
        let before = self.y_mm;
        self.paragraph_at(LEFT_MM + 4.0, st, text);
        // The bullet on the item's first line (the item may have moved to
        // a new page).
        let first = if self.y_mm < before {
            BODY_TOP_NEXT_MM
        } else {
            before
        };
        let line_mm = st.size_pt * 0.45;
        self.canvas.text(LEFT_MM + 0.5, first + line_mm, st, marker);
        self.y_mm -= 0.5;
    }

    /// A table header band with the columns' names.
    fn table_header(&mut self, cols: &[(f32, bool, &str)]) {
        let top = self.y_mm;
        self.canvas
            .band(LEFT_MM, top, RIGHT_MM - LEFT_MM, HEADER_ROW_MM, Ink::Band);
        for (x, right, name) in cols {
            if *right {
                self.canvas.text_right(*x, top + 4.4, TABLE_HEAD, name);
            } else {
                self.canvas.text(*x, top + 4.4, TABLE_HEAD, name);
            }
        }
        self.y_mm = top + HEADER_ROW_MM;
    }

    /// One table row: text cells at the row's first line, and a block of
    /// description lines (each with its style) in the description column.
    fn table_row(
        &mut self,
        cells: &[(f32, bool, Style, String)],
        desc: &[(Style, String)],
        header: &[(f32, bool, &str)],
    ) {
        let mut lines: Vec<(Style, String)> = Vec::new();
        for (st, text) in desc {
            for l in self.canvas.wrap(*st, text, COL_DESC_W_MM) {
                lines.push((*st, l));
            }
        }
        let row_mm = lines.len() as f32 * ROW_LINE_MM + ROW_PAD_MM;
        if self.ensure(row_mm) {
            self.table_header(header);
        }
        let y0 = self.y_mm + ROW_LINE_MM;
        for (x, right, st, text) in cells {
            if *right {
                self.canvas.text_right(*x, y0, *st, text);
            } else {
                self.canvas.text(*x, y0, *st, text);
            }
        }
        let mut y = y0;
        for (k, (st, l)) in lines.iter().enumerate() {
            if k > 0 {
                y += ROW_LINE_MM;
            }
            self.canvas.text(COL_DESC_X_MM, y, *st, l);
        }
        self.y_mm = y + ROW_PAD_MM;
        self.canvas
            .rule(LEFT_MM, RIGHT_MM, self.y_mm, 0.4, Ink::Hairline);
    }

    /// Net, VAT, gross under the amount column, and the note why there is
    /// no German VAT (F15).
    fn totals(
        &mut self,
        net: Decimal,
        vat_rate: Decimal,
        vat: Decimal,
        gross: Decimal,
        note: TaxNote,
        currency: &str,
    ) {
        let w = words(self.lang);
        let lang = self.lang;
        let label_x = 110.0;
        self.ensure(24.0);
        let cur = |d: Decimal| format!("{} {currency}", amount(d, lang));
        let mut y = self.y_mm + 5.5;
        self.canvas.text(label_x, y, BODY, w.net);
        self.canvas.text_right(COL_AMOUNT_R_MM, y, BODY, &cur(net));
        y += 5.0;
        let sep = if lang == Language::De { " " } else { "" };
        let vat_label = format!("{} {}{sep}%", w.vat, plain(vat_rate, lang));
        self.canvas.text(label_x, y, BODY, &vat_label);
        self.canvas.text_right(COL_AMOUNT_R_MM, y, BODY, &cur(vat));
        y += 2.2;
        self.canvas.rule(label_x, RIGHT_MM, y, 0.8, Ink::Black);
        y += 4.8;
        let gross_style = style(true, 10.0, Ink::Black);
        self.canvas.text(label_x, y, gross_style, w.gross);
        self.canvas
            .text_right(COL_AMOUNT_R_MM, y, gross_style, &cur(gross));
        y += 1.6;
        self.canvas.rule(label_x, RIGHT_MM, y, 0.4, Ink::Black);
        self.canvas
            .rule(label_x, RIGHT_MM, y + 0.7, 0.4, Ink::Black);
        self.y_mm = y + 4.0;
        if let Some(t) = note.text(lang) {
            self.paragraph(SMALL_GREY, t);
        }
    }

    /// Label: value lines of a form, values in bold.
    fn fields(&mut self, rows: &[(&str, String)]) {
        let label = style(false, 9.0, Ink::Grey);
        let x = LEFT_MM + 52.0;
        for (l, v) in rows {
            let lines = self.canvas.wrap(BODY_BOLD, v, RIGHT_MM - x);
            self.ensure(lines.len() as f32 * 4.5 + 1.0);
            self.y_mm += 5.0;
            self.canvas.text(LEFT_MM, self.y_mm, label, l);
            for (k, line) in lines.iter().enumerate() {
                if k > 0 {
                    self.y_mm += 4.3;
                }
                self.canvas.text(x, self.y_mm, BODY_BOLD, line);
            }
        }
        self.y_mm += 2.0;
    }

    /// Lines to write on by hand: place and date, name, signature.
    fn signature_lines(&mut self) {
        let w = words(self.lang);
        self.ensure(40.0);
        let label = style(false, 7.5, Ink::Grey);
        self.y_mm += 16.0;
        let mid = (LEFT_MM + RIGHT_MM) / 2.0;
        self.canvas
            .rule(LEFT_MM, mid - 6.0, self.y_mm, 0.5, Ink::Black);
        self.canvas
            .rule(mid + 6.0, RIGHT_MM, self.y_mm, 0.5, Ink::Black);
        self.canvas
            .text(LEFT_MM, self.y_mm + 3.5, label, w.place_date);
        self.canvas.text(mid + 6.0, self.y_mm + 3.5, label, w.name);
        self.y_mm += 16.0;
        self.canvas
            .rule(LEFT_MM, mid - 6.0, self.y_mm, 0.5, Ink::Black);
        self.canvas
            .text(LEFT_MM, self.y_mm + 3.5, label, w.signature);
        self.y_mm += 6.0;
    }

    /// A dashed line to cut the reply slip off along, with its title.
    fn slip_start(&mut self, title: &str) {
        if self.ensure(110.0) {
            // A slip on a page of its own needs no cut line.
        } else {
            self.y_mm += 6.0;
            let mut x = LEFT_MM;
            while x < RIGHT_MM {
                self.canvas
                    .rule(x, (x + 2.0).min(RIGHT_MM), self.y_mm, 0.4, Ink::Grey);
                x += 3.5;
            }
            self.canvas.text(
                LEFT_MM,
                self.y_mm - 1.2,
                style(false, 6.5, Ink::Grey),
                words(self.lang).cut_here,
            );
            self.y_mm += 4.0;
        }
        self.canvas.text(
            LEFT_MM,
            self.y_mm + 5.0,
            style(true, 12.0, Ink::Black),
            title,
        );
        self.y_mm += 8.0;
    }

    /// Page numbers, the continuation head, fold marks and the footer;
    /// then the PDF.
    fn finish(mut self, meta: &Meta) -> Vec<u8> {
        let w = words(self.lang);
        let count = self.canvas.page_count();
        for page in 0..count {
            self.canvas.page = page;
            if page == 0 {
                fold_marks(&mut self.canvas);
            } else {
                let head = style(false, 8.0, Ink::Grey);
                self.canvas.text(
                    LEFT_MM,
                    15.0,
                    style(true, 8.0, Ink::Grey),
                    &self.company.name,
                );
                let which = format!("{}  ·  {}", self.running_head, w.continued);
                self.canvas.text_right(RIGHT_MM, 15.0, head, &which);
                self.canvas
                    .rule(LEFT_MM, RIGHT_MM, 17.5, 0.4, Ink::Hairline);
            }
            let label = format!("{} {} {} {}", w.page, page + 1, w.of, count);
            self.canvas
                .text_right(RIGHT_MM, PAGE_NUMBER_MM, SMALL_GREY, &label);
            footer(&mut self.canvas, self.company, self.lang);
        }
        let fonts = self.canvas_fonts();
        document(self.canvas, fonts, meta)
    }

    fn canvas_fonts(&self) -> &'a Fonts {
        self.canvas.fonts()
    }
}

// ---------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------

struct Words {
    net: &'static str,
    vat: &'static str,
    gross: &'static str,
    page: &'static str,
    of: &'static str,
    continued: &'static str,
    place_date: &'static str,
    name: &'static str,
    signature: &'static str,
    cut_here: &'static str,
    date: &'static str,
    customer_number: &'static str,
    valid_until: &'static str,
    pos: &'static str,
    work: &'static str,
    time: &'static str,
    unit_price: &'static str,
    amount: &'static str,
    free: &'static str,
    // The cost notice (E3)
    notice_title: &'static str,
    notice_intro: &'static str,
    notice_all_free: &'static str,
    approval_first: &'static str,
    free_without_approval: &'static str,
    validity: &'static str,
    billing_note: &'static str,
    existing_title: &'static str,
    existing: &'static str,
    existing_note: &'static str,
    unlimited: &'static str,
    covered: &'static str,
    referral: &'static str,
    k3: &'static str,
    k4: &'static str,
    k6: &'static str,
    k7: &'static str,
    k8: &'static str,
    travel: &'static str,
    part: &'static str,
    billed_rule: &'static str,
    surcharge: &'static str,
    discount: &'static str,
    per_hour: &'static str,
    slip_approval: &'static str,
    slip_order: &'static str,
    slip_approval_text: &'static str,
    slip_order_text: &'static str,
    slip_return: &'static str,
    approval_no: &'static str,
    order_no: &'static str,
    customer: &'static str,
    notice_of: &'static str,
    ticket: &'static str,
    any_ticket: &'static str,
    items: &'static str,
    max_hours: &'static str,
    expected: &'static str,
    // The price list
    prices_title: &'static str,
    prices_intro: &'static str,
    valid_on: &'static str,
    service: &'static str,
    unit: &'static str,
    price_net: &'static str,
    price_gross: &'static str,
    billing: &'static str,
    per_visit: &'static str,
    surcharges_title: &'static str,
    surcharges_intro: &'static str,
    days: &'static str,
    window: &'static str,
    percent: &'static str,
    scheme_title: &'static str,
    scheme_free: &'static str,
    scheme_cost: &'static str,
    scheme: [&'static str; 7],
    scheme_approval: &'static str,
    scheme_projects: &'static str,
    prices_vat: &'static str,
    // The offer
    offer_title: &'static str,
    offer_intro: &'static str,
    project: &'static str,
    fixed_fee: &'static str,
    steps_done: &'static str,
    concept_on: &'static str,
    solution_on: &'static str,
    steps_next: &'static str,
    steps: [&'static str; 7],
    offer_validity: &'static str,
    offer_slip: &'static str,
    offer_slip_text: &'static str,
}

const DE: Words = Words {
    net: "Nettobetrag",
    vat: "USt",
    gross: "Gesamtbetrag",
    page: "Seite",
    of: "von",
    continued: "Fortsetzung",
    place_date: "Ort, Datum",
    name: "Name in Druckbuchstaben",
    signature: "Unterschrift (und Firmenstempel)",
    cut_here: "hier abtrennen",
    date: "Datum",
    customer_number: "Kundennummer",
    valid_until: "Gültig bis",
    pos: "Pos.",
    work: "Geplante Leistung und Entscheidung",
    time: "Zeit",
    unit_price: "Preis/h",
    amount: "Betrag",
    free: "kostenfrei",
    notice_title: "Kostenhinweis und Freigabe",
    notice_intro: "Sehr geehrte Damen und Herren,\nbevor wir die folgenden Arbeiten ausführen, sagen wir Ihnen, was davon kostenfrei ist und was Kosten verursacht, und warum. So entstehen Ihnen keine überraschenden Kosten.",
    notice_all_free: "Alle geplanten Arbeiten sind für Sie kostenfrei. Eine Freigabe ist nicht nötig; wir beginnen wie geplant.",
    approval_first: "Die kostenpflichtigen Arbeiten beginnen erst, wenn Ihre schriftliche Freigabe vorliegt (Rückantwort unten). Ohne Freigabe führen wir nur die kostenfreien Arbeiten aus.",
    free_without_approval: "Kostenfreie Arbeiten (Wartungsvertrag, Verweis an den zuständigen Partner) brauchen keine Freigabe.",
    validity: "Dieser Kostenhinweis gilt bis zum {date}.",
    billing_note: "Abgerechnet wird der tatsächliche Aufwand nach unseren Verrechnungssätzen; bei gleichem Aufwand genau die hier genannten Beträge.",
    existing_title: "Bereits erteilte Freigaben",
    existing: "{kind} {id} (noch offen: {left}) würde abdecken: {items}.",
    existing_note: "Genügt Ihnen das, reicht eine kurze formlose Bestätigung; sonst unterschreiben Sie bitte die neue Freigabe unten.",
    unlimited: "unbegrenzt",
    covered: "kostenfrei: im Wartungsvertrag enthalten",
    referral: "kostenfrei: Verweis an den zuständigen Partner",
    k3: "kostenpflichtig: Fehlerbehebung oder Unterstützung für das Produkt eines Drittanbieters (nicht vom Wartungsvertrag umfasst)",
    k4: "kostenpflichtig: Folge eines unautorisierten Eingriffs Dritter (nicht vom Wartungsvertrag umfasst)",
    k6: "kostenpflichtig: der Kanal „{channel}“ ist nicht Teil Ihres Wartungsvertrags",
    k7: "kostenpflichtig: das monatliche Stundenkontingent Ihres Wartungsvertrags ist aufgebraucht",
    k8: "kostenpflichtig: kein Wartungsvertrag, Einzelauftrag nach unseren Verrechnungssätzen",
    travel: "Anfahrtspauschale Vor-Ort-Einsatz",
    part: "Teil",
    billed_rule: "{minutes} min, abgerechnet {billed} min (je angefangene {inc} min, mindestens {min} min)",
    surcharge: "Zuschlag",
    discount: "Rabatt",
    per_hour: "/h",
    slip_approval: "Rückantwort: Freigabe zusätzlicher Kosten",
    slip_order: "Einmalige Beauftragung von Support-Dienstleistungen",
    slip_approval_text: "Hiermit geben wir die im Kostenhinweis genannten kostenpflichtigen Arbeiten frei, bis zum genannten Höchstumfang. Abgerechnet wird der tatsächliche Aufwand nach den Verrechnungssätzen.",
    slip_order_text: "Hiermit beauftragen wir einmalig die im Kostenhinweis genannten Support-Dienstleistungen, bis zum genannten Höchstumfang. Abgerechnet wird der tatsächliche Aufwand nach den Verrechnungssätzen.",
    slip_return: "Bitte unterschrieben zurück an {email} oder per Post an die Adresse oben.",
    approval_no: "Freigabe-Nr.",
    order_no: "Auftrags-Nr.",
    customer: "Kunde",
    notice_of: "Kostenhinweis vom",
    ticket: "Ticket",
    any_ticket: "alle Positionen dieses Kostenhinweises",
    items: "Positionen",
    max_hours: "Höchstumfang",
    expected: "voraussichtlich",
    prices_title: "Verrechnungssätze",
    prices_intro: "Unsere Preise für Support außerhalb des Wartungsvertrags und für Kunden ohne Wartungsvertrag (Einzelauftrag).",
    valid_on: "Gültig am",
    service: "Leistung",
    unit: "Einheit",
    price_net: "netto",
    price_gross: "brutto",
    billing: "Abrechnung",
    per_visit: "Einsatz",
    surcharges_title: "Zuschläge außerhalb der Geschäftszeiten",
    surcharges_intro: "Auf den Stundensatz; es zählt der Beginn der Arbeit, bei mehreren passenden Zuschlägen der höchste. An gesetzlichen Feiertagen gilt der Feiertagszuschlag.",
    days: "Tage",
    window: "Uhrzeit",
    percent: "Zuschlag",
    scheme_title: "Wer zahlt? Unser Kostenentscheidungsschema",
    scheme_free: "Kostenfrei für Sie:",
    scheme_cost: "Kosten entstehen nur, wenn:",
    scheme: [
        "Alles in unserem Betreuungsbereich, was Ihr Wartungsvertrag abdeckt (Kanal im Vertrag, Stundenkontingent noch nicht aufgebraucht).",
        "Ein Fehler außerhalb unseres Programmbereichs: wir erkennen ihn und verweisen Sie an den zuständigen Partner bzw. dessen Support-Dokument.",
        "wir Fehler für Drittanbieter beheben oder Support für Produkte Dritter leisten;",
        "der Fehler durch einen unautorisierten Eingriff Dritter entstanden ist;",
        "Sie uns über einen Kanal erreichen, den Ihr Wartungsvertrag nicht umfasst;",
        "das monatliche Stundenkontingent Ihres Wartungsvertrags aufgebraucht ist;",
        "Sie keinen Wartungsvertrag haben (Einzelauftrag, „Einmalige Beauftragung“).",
    ],
    scheme_approval: "Kostenpflichtige Arbeit beginnt erst nach Ihrer vorherigen schriftlichen Freigabe. Wir weisen Sie vorab gesondert darauf hin; ohne Freigabe wird nichts berechnet.",
    scheme_projects: "Projekte rechnen wir nicht nach Stunden ab, sondern zum vereinbarten Festpreis nach Ihrer Endabnahme.",
    prices_vat: "Bruttopreise mit {rate} % Umsatzsteuer (Kunden in Deutschland).",
    offer_title: "Angebot",
    offer_intro: "Sehr geehrte Damen und Herren,\nauf Grundlage unseres Lösungsdokuments bieten wir Ihnen das folgende Projekt zum Festpreis an.",
    project: "Projekt",
    fixed_fee: "Festpreis",
    steps_done: "Bisher erledigt",
    concept_on: "Anforderungspapier",
    solution_on: "Lösungsdokument mit den erwarteten Kosten",
    steps_next: "Die nächsten Schritte",
    steps: [
        "Ihre Freigabe dieses Angebots (Rückantwort unten)",
        "wir nennen Ihnen den Fertigstellungstermin",
        "Umsetzung",
        "interne Abnahme durch unsere Qualitätssicherung",
        "Roll-out bei Ihnen",
        "Ihre Endabnahme",
        "erst danach: Rechnung über den vereinbarten Festpreis",
    ],
    offer_validity: "Dieses Angebot gilt bis zum {date}.",
    offer_slip: "Rückantwort: Freigabe des Angebots",
    offer_slip_text: "Hiermit geben wir das oben genannte Projekt zum genannten Festpreis frei und beauftragen die Umsetzung.",
};

const EN: Words = Words {
    net: "Net amount",
    vat: "VAT",
    gross: "Total amount",
    page: "Page",
    of: "of",
    continued: "continued",
    place_date: "Place, date",
    name: "Name in capitals",
    signature: "Signature (and company stamp)",
    cut_here: "cut here",
    date: "Date",
    customer_number: "Customer number",
    valid_until: "Valid until",
    pos: "Pos.",
    work: "Planned work and decision",
    time: "Time",
    unit_price: "Price/h",
    amount: "Amount",
    free: "no charge",
    notice_title: "Cost notice and approval request",
    notice_intro: "Dear Sir or Madam,\nbefore we do the following work, we tell you which of it is free of charge and what costs money, and why. So there are no surprise costs.",
    notice_all_free: "All of the planned work is free of charge for you. No approval is needed; we start as planned.",
    approval_first: "The chargeable work starts only once we have your written approval (reply slip below). Without it we do only the free work.",
    free_without_approval: "Free work (maintenance contract, referral to the responsible partner) needs no approval.",
    validity: "This cost notice is valid until {date}.",
    billing_note: "We bill the actual time at our published rates; for the time planned here, exactly the amounts shown.",
    existing_title: "Approvals you have already given",
    existing: "{kind} {id} (left: {left}) would already cover: {items}.",
    existing_note: "If that is enough for you, a short confirmation will do; otherwise please sign the new approval below.",
    unlimited: "no limit",
    covered: "free: covered by the maintenance contract",
    referral: "free: referral to the responsible partner",
    k3: "chargeable: fix or support for a third party's product (not covered by the maintenance contract)",
    k4: "chargeable: caused by an unauthorised intervention of a third party (not covered by the maintenance contract)",
    k6: "chargeable: the channel \"{channel}\" is not part of your maintenance contract",
    k7: "chargeable: the monthly hours of your maintenance contract are used up",
    k8: "chargeable: no maintenance contract, on-demand order at our published rates",
    travel: "Call-out fee, on-site visit",
    part: "part",
    billed_rule: "{minutes} min, billed {billed} min (per started {inc} min, at least {min} min)",
    surcharge: "surcharge",
    discount: "discount",
    per_hour: "/h",
    slip_approval: "Reply: approval of extra cost",
    slip_order: "One-time order of support services (Einmalige Beauftragung von Support-Dienstleistungen)",
    slip_approval_text: "We approve the chargeable work named in the cost notice, up to the maximum stated. The actual time is billed at the published rates.",
    slip_order_text: "We order the support services named in the cost notice once, up to the maximum stated. The actual time is billed at the published rates.",
    slip_return: "Please sign and return to {email} or by post to the address above.",
    approval_no: "Approval no.",
    order_no: "Order no.",
    customer: "Customer",
    notice_of: "Cost notice of",
    ticket: "Ticket",
    any_ticket: "all items of this cost notice",
    items: "Items",
    max_hours: "Maximum",
    expected: "expected",
    prices_title: "Price list (hourly rates)",
    prices_intro: "Our prices for support outside the maintenance contract and for customers without a maintenance contract (one-time order).",
    valid_on: "Valid on",
    service: "Service",
    unit: "Unit",
    price_net: "net",
    price_gross: "gross",
    billing: "Billing",
    per_visit: "per visit",
    surcharges_title: "Surcharges outside business hours",
    surcharges_intro: "On the hourly rate; the start of the work counts, and where several apply, the highest. On public holidays the holiday surcharge applies.",
    days: "Days",
    window: "Time",
    percent: "Surcharge",
    scheme_title: "Who pays? Our cost decision scheme",
    scheme_free: "Free of charge for you:",
    scheme_cost: "Costs arise only when:",
    scheme: [
        "Everything in our care area that your maintenance contract covers (channel in the contract, monthly hours not used up).",
        "A fault outside our program area: we recognise it and refer you to the responsible partner or the partner's support document.",
        "we fix faults for third parties or support third parties' products;",
        "the fault was caused by an unauthorised intervention of a third party;",
        "you reach us by a channel your maintenance contract does not include;",
        "the monthly hours of your maintenance contract are used up;",
        "you have no maintenance contract (one-time order).",
    ],
    scheme_approval: "Chargeable work starts only after your prior written approval. We point it out to you separately beforehand; without approval nothing is billed.",
    scheme_projects: "Projects are not billed by the hour but at the agreed fixed price after your final acceptance.",
    prices_vat: "Gross prices with {rate} % VAT (customers in Germany).",
    offer_title: "Offer",
    offer_intro: "Dear Sir or Madam,\nbased on our solution document, we offer you the following project at a fixed price.",
    project: "Project",
    fixed_fee: "Fixed price",
    steps_done: "Done so far",
    concept_on: "Requirements paper",
    solution_on: "Solution document with the expected cost",
    steps_next: "The next steps",
    steps: [
        "your approval of this offer (reply slip below)",
        "we give you the completion date",
        "implementation",
        "internal acceptance by our quality assurance",
        "roll-out at your site",
        "your final acceptance",
        "only then: the invoice of the agreed fixed price",
    ],
    offer_validity: "This offer is valid until {date}.",
    offer_slip: "Reply: approval of the offer",
    offer_slip_text: "We approve the project above at the fixed price stated and order its implementation.",
};

fn words(lang: Language) -> &'static Words {
    match lang {
        Language::De => &DE,
        Language::En => &EN,
    }
}

fn channel_name(lang: Language, c: Channel) -> &'static str {
    match (lang, c) {
        (Language::De, Channel::Phone) => "Telefon",
        (Language::De, Channel::Email) => "E-Mail",
        (Language::De, Channel::Ticket) => "Ticketsystem",
        (Language::De, Channel::Remote) => "Fernwartung",
        (Language::De, Channel::Onsite) => "Vor-Ort-Einsatz",
        (Language::En, Channel::Phone) => "phone",
        (Language::En, Channel::Email) => "e-mail",
        (Language::En, Channel::Ticket) => "ticket system",
        (Language::En, Channel::Remote) => "remote",
        (Language::En, Channel::Onsite) => "on site",
    }
}

fn hours(minutes: u32, lang: Language) -> String {
    format!(
        "{} h",
        fixed(Decimal::from(minutes) / Decimal::from(60), 2, lang)
    )
}

fn eur(d: Decimal, lang: Language, currency: &str) -> String {
    format!("{} {currency}", amount(d, lang))
}

// ---------------------------------------------------------------------------
// The cost notice (E3)
// ---------------------------------------------------------------------------

/// The decision of a part in the customer's words (E3).
fn decision(p: &Part, channel: Option<Channel>, lang: Language) -> String {
    let w = words(lang);
    match (p.rule, p.outcome) {
        (Rule::Travel, _) => w.travel.to_string(),
        (_, Outcome::Covered) => w.covered.to_string(),
        (_, Outcome::Referral) => w.referral.to_string(),
        (Rule::Decided(k, _), _) => match k {
            K::K3 => w.k3.to_string(),
            K::K4 => w.k4.to_string(),
            K::K6 => {
                w.k6.replace("{channel}", channel.map_or("", |c| channel_name(lang, c)))
            }
            K::K7 => w.k7.to_string(),
            K::K8 => w.k8.to_string(),
            _ => String::new(),
        },
    }
}

/// The price arithmetic of a charged part: billed time and the unit price
/// from the rate with surcharge and discount.
fn arithmetic(est: &Estimate, p: &Part, lang: Language, currency: &str) -> Vec<String> {
    let w = words(lang);
    let Some(pr) = p.priced.as_deref() else {
        return Vec::new();
    };
    // The formula of RULES 5 as factors, in the order it is applied:
    // price x (100 + surcharge) / 100 x (100 - discount) / 100.
    let hundred = Decimal::ONE_HUNDRED;
    let mut price = eur(pr.price, lang, currency);
    if !pr.surcharge_percent.is_zero() {
        price.push_str(&format!(
            " × {} (+{} % {})",
            plain((hundred + pr.surcharge_percent) / hundred, lang),
            plain(pr.surcharge_percent, lang),
            w.surcharge
        ));
    }
    if !pr.discount_percent.is_zero() {
        price.push_str(&format!(
            " × {} (−{} % {})",
            plain((hundred - pr.discount_percent) / hundred, lang),
            plain(pr.discount_percent, lang),
            w.discount
        ));
    }
    if p.rule == Rule::Travel {
        if pr.discount_percent.is_zero() {
            return Vec::new();
        }
        return vec![format!("{price} = {}", eur(pr.unit_price, lang, currency))];
    }
    let mut lines = Vec::new();
    let e = est.entry_of(p);
    if let (Some(m), Some(b), Some(rate)) = (
        p.minutes.get(),
        p.billed_minutes.get(),
        est.ds.rate_card.rate_on(&pr.rate_code, e.date),
    ) {
        lines.push(
            w.billed_rule
                .replace("{minutes}", &m.to_string())
                .replace("{billed}", &b.to_string())
                .replace("{inc}", &rate.increment_minutes.to_string())
                .replace("{min}", &rate.minimum_minutes.to_string()),
        );
    }
    let unit = format!("{}{}", eur(pr.unit_price, lang, currency), w.per_hour);
    if pr.surcharge_percent.is_zero() && pr.discount_percent.is_zero() {
        lines.push(unit);
    } else {
        lines.push(format!("{price} = {unit}"));
    }
    lines
}

fn notice_pdf(est: &Estimate, n: &Notice, cu: &Customer, fonts: &Fonts) -> Vec<u8> {
    let lang = cu.language;
    let w = words(lang);
    let company = &est.ds.company;
    let currency = company.currency.as_str();
    let mut info: Vec<(&str, String)> = vec![
        (w.date, date(est.date, lang)),
        (w.customer_number, cu.id.to_string()),
        (w.valid_until, date(est.valid_until, lang)),
    ];
    if let Some(p) = &n.proposal {
        info.push((slip_no_label(p, w), p.id.to_string()));
    }
    let head = format!("{}  ·  {} {}", w.notice_title, w.customer_number, cu.id);
    let mut doc = Doc::new(fonts, company, Some(cu), lang, &info, head);
    doc.title(w.notice_title, None);
    doc.paragraph(BODY, w.notice_intro);
    doc.y_mm += 2.0;

    let header: [(f32, bool, &str); 6] = [
        (COL_POS_X_MM, false, w.pos),
        (COL_DATE_X_MM, false, w.date),
        (COL_DESC_X_MM, false, w.work),
        (COL_QTY_R_MM, true, w.time),
        (COL_PRICE_R_MM, true, w.unit_price),
        (COL_AMOUNT_R_MM, true, w.amount),
    ];
    doc.ensure(30.0);
    doc.table_header(&header);
    let parts: Vec<&Part> = est.parts_of(n).collect();
    let free_note = style(false, 8.0, Ink::Grey);
    let small = style(false, 8.0, Ink::Black);
    for (k, p) in parts.iter().enumerate() {
        let e = est.entry_of(p);
        let several = parts
            .iter()
            .filter(|q| q.entry == p.entry && q.rule != Rule::Travel)
            .count()
            > 1;
        let mut desc: Vec<(Style, String)> = Vec::new();
        let title = if p.rule == Rule::Travel {
            format!("{} ({})", w.travel, e.id())
        } else if several {
            format!("{} ({}, {} {})", e.description(), e.id(), w.part, p.part)
        } else {
            format!("{} ({})", e.description(), e.id())
        };
        desc.push((BODY_BOLD, title));
        if p.rule != Rule::Travel {
            let mut facts = vec![format!(
                "{}–{}",
                crate::model::format_minute(e.start),
                crate::model::format_minute(e.end)
            )];
            if let Some(c) = e.channel {
                facts.push(channel_name(lang, c).to_string());
            }
            if let Some(t) = e.ticket() {
                facts.push(format!("{} {t}", w.ticket));
            }
            desc.push((small, facts.join(" · ")));
            let st = if p.outcome == Outcome::Billable {
                style(true, 8.0, Ink::Black)
            } else {
                style(true, 8.0, Ink::Grey)
            };
            desc.push((st, decision(p, e.channel, lang)));
        }
        for l in arithmetic(est, p, lang, currency) {
            desc.push((style(false, 8.0, Ink::Grey), l));
        }
        let charged = p.outcome == Outcome::Billable;
        let qty = match (p.rule, charged) {
            (Rule::Travel, _) => format!(
                "1 {}",
                if lang == Language::De {
                    "Anfahrt"
                } else {
                    "visit"
                }
            ),
            (_, true) => hours(p.billed_minutes.get().unwrap_or(0), lang),
            (_, false) => hours(p.minutes.get().unwrap_or(0), lang),
        };
        let mut cells = vec![
            (COL_POS_X_MM, false, BODY, (k + 1).to_string()),
            (COL_DATE_X_MM, false, BODY, date(e.date, lang)),
            (COL_QTY_R_MM, true, BODY, qty),
            (
                COL_AMOUNT_R_MM,
                true,
                BODY,
                amount(p.amount().unwrap_or(Decimal::ZERO), lang),
            ),
        ];
        if charged {
            let up = p.priced.as_ref().map_or(Decimal::ZERO, |x| x.unit_price);
            cells.push((COL_PRICE_R_MM, true, BODY, amount(up, lang)));
        } else {
            cells.push((COL_PRICE_R_MM, true, free_note, w.free.to_string()));
        }
        doc.table_row(&cells, &desc, &header);
    }
    doc.totals(n.net, n.vat_rate, n.vat, n.gross, n.tax_note, currency);
    doc.y_mm += 2.0;
    match &n.proposal {
        None => doc.paragraph(BODY_BOLD, w.notice_all_free),
        Some(_) => {
            doc.paragraph(BODY_BOLD, w.approval_first);
            doc.paragraph(BODY, w.free_without_approval);
        }
    }
    let mut validity = w.validity.replace("{date}", &date(est.valid_until, lang));
    if n.proposal.is_some() {
        validity = format!("{validity} {}", w.billing_note);
    }
    doc.paragraph(BODY, &validity);
    if !n.existing.is_empty() {
        doc.heading(w.existing_title);
        for x in &n.existing {
            let left = x.hours_left.map_or(w.unlimited.to_string(), |h| {
                format!("{} h", fixed(h, 2, lang))
            });
            let kind = match (x.kind, lang) {
                (ApprovalKind::Order, Language::De) => "Ihr bereits erteilter Einzelauftrag",
                (ApprovalKind::Approval, Language::De) => "Ihre bereits erteilte Freigabe",
                (ApprovalKind::Order, Language::En) => "Your order",
                (ApprovalKind::Approval, Language::En) => "Your approval",
            };
            let text = w
                .existing
                .replace("{id}", x.approval.as_str())
                .replace("{kind}", kind)
                .replace("{left}", &left)
                .replace("{items}", &x.items.join(", "));
            doc.bullet(BODY, &text);
        }
        if n.proposal.is_some() {
            doc.paragraph(BODY, w.existing_note);
        }
    }
    if let Some(p) = &n.proposal {
        slip(&mut doc, est, n, p, cu);
    }
    doc.finish(&Meta {
        title: format!("{} {}", w.notice_title, cu.id),
        author: company.name.clone(),
        subject: format!("{} – {}", w.notice_title, cu.name),
        identifier: format!("estimate {} {}", cu.id, est.date),
        date: Some(est.date),
    })
}

fn slip_no_label(p: &Proposal, w: &'static Words) -> &'static str {
    match p.kind {
        ApprovalKind::Order => w.order_no,
        ApprovalKind::Approval => w.approval_no,
    }
}

/// The reply slip (E3): the proposed approval with every field the clerk
/// copies into `approvals.csv`, and room for place, date, name, signature.
fn slip(doc: &mut Doc, est: &Estimate, n: &Notice, p: &Proposal, cu: &Customer) {
    let lang = doc.lang;
    let w = words(lang);
    let currency = est.ds.company.currency.as_str();
    let (title, text) = match p.kind {
        ApprovalKind::Order => (w.slip_order, w.slip_order_text),
        ApprovalKind::Approval => (w.slip_approval, w.slip_approval_text),
    };
    doc.slip_start(title);
    let items: Vec<String> = {
        let mut v: Vec<String> = est
            .parts_of(n)
            .filter(|q| q.outcome == Outcome::Billable && q.rule != Rule::Travel)
            .map(|q| est.entry_of(q).id().to_string())
            .collect();
        v.dedup();
        v
    };
    let max = format!(
        "{} h ({} {} {} / {} {})",
        fixed(p.max_hours, 2, lang),
        w.expected,
        eur(n.net, lang, currency),
        w.price_net,
        eur(n.gross, lang, currency),
        w.price_gross
    );
    doc.fields(&[
        (slip_no_label(p, w), p.id.to_string()),
        (w.customer, format!("{} ({})", cu.name, cu.id)),
        (w.notice_of, date(est.date, lang)),
        (
            w.ticket,
            p.ticket.clone().unwrap_or_else(|| w.any_ticket.to_string()),
        ),
        (w.items, items.join(", ")),
        (w.max_hours, max),
        (w.valid_until, date(p.valid_until, lang)),
    ]);
    doc.paragraph(BODY, text);
    doc.signature_lines();
    doc.paragraph(
        SMALL_GREY,
        &w.slip_return.replace("{email}", &est.ds.company.email),
    );
}

// ---------------------------------------------------------------------------
// The price list (Verrechnungssätze)
// ---------------------------------------------------------------------------

/// The file names of the price list of `date`: CSV, German PDF, English PDF.
pub fn price_list_names(date: chrono::NaiveDate) -> [String; 3] {
    [
        format!("prices-{date}.csv"),
        format!("Verrechnungssaetze-{date}.pdf"),
        format!("price-list-{date}.pdf"),
    ]
}

/// The price list's files (CSV, a PDF per language), sorted by name.
pub fn price_list_files(pl: &PriceList, company: &Company) -> crate::Files {
    let [csv, de, en] = price_list_names(pl.date);
    let fonts = Fonts::load();
    let mut files = vec![
        (csv, price_list_csv(pl)),
        (de, price_list_pdf(pl, company, Language::De, &fonts)),
        (en, price_list_pdf(pl, company, Language::En, &fonts)),
    ];
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// `prices-<D>.csv`: one row per rate and per surcharge in force.
pub fn price_list_csv(pl: &PriceList) -> Vec<u8> {
    let mut w = writer();
    w.write_record([
        "kind",
        "code",
        "description",
        "unit",
        "price",
        "price_gross",
        "vat_rate",
        "increment_minutes",
        "minimum_minutes",
        "days",
        "from",
        "to",
        "percent",
        "valid_from",
    ])
    .expect("write to memory");
    for r in &pl.rates {
        let visit = r.unit == Unit::Visit;
        w.write_record([
            "rate",
            &r.code,
            &r.description,
            r.unit.as_str(),
            &money(r.price),
            &money(crate::pricelist::gross(r.price, pl.vat_rate)),
            &percent(pl.vat_rate),
            &if visit {
                String::new()
            } else {
                r.increment_minutes.to_string()
            },
            &if visit {
                String::new()
            } else {
                r.minimum_minutes.to_string()
            },
            "",
            "",
            "",
            "",
            &r.valid_from.to_string(),
        ])
        .expect("write to memory");
    }
    for s in &pl.surcharges {
        w.write_record([
            "surcharge",
            &s.code,
            &s.description,
            "",
            "",
            "",
            "",
            "",
            "",
            &day_codes(s),
            &crate::model::format_minute(s.from),
            &crate::model::format_minute(s.to),
            &percent(s.percent),
            &s.valid_from.to_string(),
        ])
        .expect("write to memory");
    }
    w.into_inner().expect("flush to memory")
}

const DAY_KINDS: [crate::model::DayKind; 8] = {
    use crate::model::DayKind::*;
    use chrono::Weekday::*;
    [
        Weekday(Mon),
        Weekday(Tue),
        Weekday(Wed),
        Weekday(Thu),
        Weekday(Fri),
        Weekday(Sat),
        Weekday(Sun),
        Holiday,
    ]
};

fn day_codes(s: &crate::model::Surcharge) -> String {
    DAY_KINDS
        .iter()
        .filter(|d| s.days.contains(**d))
        .map(|d| d.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// The days of a surcharge as a customer reads them: `Mo–Fr`, `Sa`,
/// `So, Feiertag`, `täglich`.
fn day_words(s: &crate::model::Surcharge, lang: Language) -> String {
    let names: [&str; 8] = match lang {
        Language::De => ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So", "Feiertag"],
        Language::En => [
            "Mon",
            "Tue",
            "Wed",
            "Thu",
            "Fri",
            "Sat",
            "Sun",
            "public holiday",
        ],
    };
    let on: Vec<bool> = DAY_KINDS.iter().map(|d| s.days.contains(*d)).collect();
    if on.iter().all(|b| *b) {
        return match lang {
            Language::De => "täglich, auch feiertags".into(),
            Language::En => "every day, also public holidays".into(),
        };
    }
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < 7 {
        if !on[i] {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < 7 && on[j + 1] {
            j += 1;
        }
        parts.push(if j >= i + 2 {
            format!("{}–{}", names[i], names[j])
        } else if j == i + 1 {
            format!("{}, {}", names[i], names[j])
        } else {
            names[i].to_string()
        });
        i = j + 1;
    }
    if on[7] {
        parts.push(names[7].to_string());
    }
    parts.join(", ")
}

fn window_words(s: &crate::model::Surcharge, lang: Language) -> String {
    if s.from == s.to {
        return match lang {
            Language::De => "ganztägig".into(),
            Language::En => "all day".into(),
        };
    }
    let t = crate::model::format_minute;
    match lang {
        Language::De => format!("{}–{} Uhr", t(s.from), t(s.to)),
        Language::En => format!("{}–{}", t(s.from), t(s.to)),
    }
}

/// What a rate code means to a customer: the channel's name, or the
/// rate card's own description.
fn rate_name(r: &crate::model::Rate, lang: Language) -> String {
    let channel = Channel::ALL.into_iter().find(|c| c.as_str() == &*r.code);
    match (channel, lang, &*r.code) {
        (Some(c), Language::En, _) => match c {
            Channel::Phone => "Phone support".into(),
            Channel::Email => "E-mail support".into(),
            Channel::Ticket => "Support via the ticket system".into(),
            Channel::Remote => "Remote support".into(),
            Channel::Onsite => "On-site work".into(),
        },
        (None, Language::En, "travel") => "Call-out fee (on-site work)".into(),
        _ => r.description.clone(),
    }
}

/// The billing rule of a rate in words (RULES 5, F13).
fn billing_words(r: &crate::model::Rate, lang: Language) -> String {
    if r.unit == Unit::Visit {
        return match lang {
            Language::De => "einmal je Kunde und Tag mit Vor-Ort-Einsatz".into(),
            Language::En => "once per customer and day with on-site work".into(),
        };
    }
    match lang {
        Language::De => format!(
            "je angefangene {} Minuten, mindestens {} Minuten",
            r.increment_minutes, r.minimum_minutes
        ),
        Language::En => format!(
            "billed per started {} minutes, at least {} minutes",
            r.increment_minutes, r.minimum_minutes
        ),
    }
}

fn price_list_pdf(pl: &PriceList, company: &Company, lang: Language, fonts: &Fonts) -> Vec<u8> {
    let w = words(lang);
    let cur = pl.currency.as_str();
    let info = vec![(w.valid_on, date(pl.date, lang))];
    let head = format!(
        "{}  ·  {} {}",
        w.prices_title,
        w.valid_on,
        date(pl.date, lang)
    );
    let mut doc = Doc::new(fonts, company, None, lang, &info, head);
    doc.title(w.prices_title, None);
    doc.paragraph(BODY, w.prices_intro);
    doc.y_mm += 2.0;
    let c_unit = 86.0;
    let c_net = 119.0;
    let c_gross = 143.0;
    let header: [(f32, bool, &str); 4] = [
        (COL_POS_X_MM, false, w.service),
        (c_unit, false, w.unit),
        (c_net, true, w.price_net),
        (c_gross, true, w.price_gross),
    ];
    let header_cols: Vec<(f32, bool, &str)> = header
        .iter()
        .copied()
        .chain([(c_gross + 4.0, false, w.billing)])
        .collect();
    doc.table_header(&header_cols);
    for r in &pl.rates {
        let unit = match (r.unit, lang) {
            (Unit::Hour, Language::De) => "Stunde",
            (Unit::Hour, Language::En) => "hour",
            (Unit::Visit, _) => w.per_visit,
        };
        let name = rate_name(r, lang);
        let billing = billing_words(r, lang);
        let bill_lines = doc.canvas.wrap(
            style(false, 8.0, Ink::Grey),
            &billing,
            RIGHT_MM - c_gross - 5.0,
        );
        let name_lines = doc
            .canvas
            .wrap(BODY_BOLD, &name, c_unit - COL_POS_X_MM - 3.0);
        let n = bill_lines.len().max(name_lines.len());
        let row_mm = n as f32 * ROW_LINE_MM + ROW_PAD_MM;
        if doc.ensure(row_mm) {
            doc.table_header(&header_cols);
        }
        let y0 = doc.y_mm + ROW_LINE_MM;
        for (k, l) in name_lines.iter().enumerate() {
            doc.canvas
                .text(COL_POS_X_MM, y0 + k as f32 * ROW_LINE_MM, BODY_BOLD, l);
        }
        doc.canvas.text(c_unit, y0, BODY, unit);
        doc.canvas
            .text_right(c_net, y0, BODY, &eur(r.price, lang, cur));
        let g = crate::pricelist::gross(r.price, pl.vat_rate);
        doc.canvas.text_right(c_gross, y0, BODY, &eur(g, lang, cur));
        for (k, l) in bill_lines.iter().enumerate() {
            doc.canvas.text(
                c_gross + 4.0,
                y0 + k as f32 * ROW_LINE_MM,
                style(false, 8.0, Ink::Grey),
                l,
            );
        }
        doc.y_mm = y0 + (n - 1) as f32 * ROW_LINE_MM + ROW_PAD_MM;
        doc.canvas
            .rule(LEFT_MM, RIGHT_MM, doc.y_mm, 0.4, Ink::Hairline);
    }
    doc.y_mm += 1.0;
    doc.paragraph(
        SMALL_GREY,
        &w.prices_vat.replace("{rate}", &plain(pl.vat_rate, lang)),
    );
    if !pl.surcharges.is_empty() {
        doc.heading(w.surcharges_title);
        doc.paragraph(SMALL_GREY, w.surcharges_intro);
        let sh: Vec<(f32, bool, &str)> = vec![
            (COL_POS_X_MM, false, w.service),
            (90.0, false, w.days),
            (140.0, false, w.window),
            (COL_AMOUNT_R_MM, true, w.percent),
        ];
        doc.ensure(20.0);
        doc.table_header(&sh);
        for s in &pl.surcharges {
            let cells = vec![
                (90.0, false, BODY, day_words(s, lang)),
                (140.0, false, BODY, window_words(s, lang)),
                (
                    COL_AMOUNT_R_MM,
                    true,
                    BODY,
                    format!("+{} %", plain(s.percent, lang)),
                ),
            ];
            let name = surcharge_name(s, lang);
            if doc.ensure(ROW_LINE_MM + ROW_PAD_MM) {
                doc.table_header(&sh);
            }
            let y0 = doc.y_mm + ROW_LINE_MM;
            doc.canvas.text(COL_POS_X_MM, y0, BODY_BOLD, &name);
            for (x, right, st, t) in cells {
                if right {
                    doc.canvas.text_right(x, y0, st, &t);
                } else {
                    doc.canvas.text(x, y0, st, &t);
                }
            }
            doc.y_mm = y0 + ROW_PAD_MM;
            doc.canvas
                .rule(LEFT_MM, RIGHT_MM, doc.y_mm, 0.4, Ink::Hairline);
        }
    }
    doc.heading(w.scheme_title);
    doc.paragraph(BODY_BOLD, w.scheme_free);
    for t in &w.scheme[..2] {
        doc.bullet(BODY, t);
    }
    doc.y_mm += 1.0;
    doc.paragraph(BODY_BOLD, w.scheme_cost);
    for t in &w.scheme[2..] {
        doc.bullet(BODY, t);
    }
    doc.y_mm += 1.0;
    doc.paragraph(BODY_BOLD, w.scheme_approval);
    doc.paragraph(BODY, w.scheme_projects);
    doc.finish(&Meta {
        title: format!("{} {}", w.prices_title, pl.date),
        author: company.name.clone(),
        subject: format!("{} – {}", w.prices_title, company.name),
        identifier: format!("prices {} {}", lang.as_str(), pl.date),
        date: Some(pl.date),
    })
}

/// A surcharge's name: the card's description in German, a plain English
/// name for the usual codes.
fn surcharge_name(s: &crate::model::Surcharge, lang: Language) -> String {
    if lang == Language::De {
        // The card's description, without a parenthesis that repeats the
        // days and hours shown beside it.
        return s
            .description
            .split(" (")
            .next()
            .unwrap_or(&s.description)
            .to_string();
    }
    match &*s.code {
        "evening" => "Evening".into(),
        "night" => "Night".into(),
        "saturday" => "Saturday".into(),
        "sunday_holiday" => "Sunday and public holiday".into(),
        other => other.replace('_', " "),
    }
}

// ---------------------------------------------------------------------------
// The project offer (Angebot)
// ---------------------------------------------------------------------------

/// `offer-<project>.csv` and `offer-<project>.pdf`, sorted by name.
pub fn offer_files(o: &Offer, company: &Company) -> crate::Files {
    let id = crate::invoice::file_safe(o.project.id.as_str());
    let fonts = Fonts::load();
    vec![
        (format!("offer-{id}.csv"), offer_csv(o)),
        (format!("offer-{id}.pdf"), offer_pdf(o, company, &fonts)),
    ]
}

pub fn offer_csv(o: &Offer) -> Vec<u8> {
    let mut w = writer();
    w.write_record([
        "project_id",
        "customer_id",
        "title",
        "fee",
        "vat_rate",
        "vat",
        "gross",
        "tax_note",
        "date",
        "valid_until",
    ])
    .expect("write to memory");
    w.write_record([
        o.project.id.as_str(),
        o.customer.id.as_str(),
        &o.project.title,
        &money(o.fee),
        &percent(o.vat_rate),
        &money(o.vat),
        &money(o.gross),
        o.tax_note.as_str(),
        &o.date.to_string(),
        &o.valid_until.to_string(),
    ])
    .expect("write to memory");
    w.into_inner().expect("flush to memory")
}

fn offer_pdf(o: &Offer, company: &Company, fonts: &Fonts) -> Vec<u8> {
    let cu = o.customer;
    let lang = cu.language;
    let w = words(lang);
    let cur = company.currency.as_str();
    let info = vec![
        (w.date, date(o.date, lang)),
        (w.customer_number, cu.id.to_string()),
        (w.project, o.project.id.to_string()),
        (w.valid_until, date(o.valid_until, lang)),
    ];
    let head = format!(
        "{} {}  ·  {} {}",
        w.offer_title, o.project.id, w.customer_number, cu.id
    );
    let mut doc = Doc::new(fonts, company, Some(cu), lang, &info, head);
    let title = format!("{} {}", w.offer_title, o.project.id);
    doc.title(&title, Some(&o.project.title));
    doc.paragraph(BODY, w.offer_intro);
    doc.y_mm += 2.0;
    let header: [(f32, bool, &str); 4] = [
        (COL_POS_X_MM, false, w.pos),
        (COL_DATE_X_MM, false, w.project),
        (COL_PRICE_R_MM, true, w.fixed_fee),
        (COL_AMOUNT_R_MM, true, w.amount),
    ];
    doc.table_header(&header);
    let desc = vec![
        (BODY_BOLD, o.project.title.clone()),
        (
            style(false, 8.0, Ink::Grey),
            format!("{} {}", w.project, o.project.id),
        ),
    ];
    // The offer's one line spans from the date column on.
    let mut lines: Vec<(Style, String)> = Vec::new();
    for (st, t) in &desc {
        for l in doc
            .canvas
            .wrap(*st, t, COL_PRICE_R_MM - 30.0 - COL_DATE_X_MM)
        {
            lines.push((*st, l));
        }
    }
    let y0 = doc.y_mm + ROW_LINE_MM;
    doc.canvas.text(COL_POS_X_MM, y0, BODY, "1");
    for (k, (st, l)) in lines.iter().enumerate() {
        doc.canvas
            .text(COL_DATE_X_MM, y0 + k as f32 * ROW_LINE_MM, *st, l);
    }
    doc.canvas
        .text_right(COL_PRICE_R_MM, y0, BODY, &amount(o.fee, lang));
    doc.canvas
        .text_right(COL_AMOUNT_R_MM, y0, BODY, &amount(o.fee, lang));
    doc.y_mm = y0 + (lines.len() - 1) as f32 * ROW_LINE_MM + ROW_PAD_MM;
    doc.canvas
        .rule(LEFT_MM, RIGHT_MM, doc.y_mm, 0.4, Ink::Hairline);
    doc.totals(o.fee, o.vat_rate, o.vat, o.gross, o.tax_note, cur);

    doc.heading(w.steps_done);
    for (label, d) in [
        (w.concept_on, o.project.concept_on),
        (w.solution_on, o.project.solution_on),
    ] {
        if let Some(d) = d {
            doc.bullet(BODY, &format!("{label}: {}", date(d, lang)));
        }
    }
    doc.heading(w.steps_next);
    for (k, s) in w.steps.iter().enumerate() {
        doc.item(&format!("{}.", k + 1), BODY, s);
    }
    doc.y_mm += 2.0;
    doc.paragraph(
        BODY_BOLD,
        &w.offer_validity
            .replace("{date}", &date(o.valid_until, lang)),
    );

    doc.slip_start(w.offer_slip);
    doc.fields(&[
        (w.project, format!("{} – {}", o.project.id, o.project.title)),
        (w.customer, format!("{} ({})", cu.name, cu.id)),
        (
            w.fixed_fee,
            format!(
                "{} {} / {} {}",
                eur(o.fee, lang, cur),
                w.price_net,
                eur(o.gross, lang, cur),
                w.price_gross
            ),
        ),
        (w.valid_until, date(o.valid_until, lang)),
    ]);
    doc.paragraph(BODY, w.offer_slip_text);
    doc.signature_lines();
    doc.paragraph(
        SMALL_GREY,
        &w.slip_return.replace("{email}", &company.email),
    );
    doc.finish(&Meta {
        title: title.clone(),
        author: company.name.clone(),
        subject: format!("{title} – {}", cu.name),
        identifier: format!("offer {} {}", o.project.id, o.date),
        date: Some(o.date),
    })
}
