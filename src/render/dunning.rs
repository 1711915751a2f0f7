//! The dunning letters' files (RULES 13, D4): `reminders.csv` and one PDF
//! per letter, a DIN 5008 business letter in the customer's language with
//! the invoices, what is open, the interest and the fee with their basis,
//! the total claim, the new deadline and the bank details with the
//! GiroCode of the total claim.
//!
//! Decides nothing: every amount comes computed on the
//! [`Letter`](crate::dunning::Letter). The letterhead, address field,
//! footer, fonts and document step are the invoice PDF's (`render::pdf`),
//! so both kinds of letter look alike.

use super::pdf::{
    self, date, iban_grouped, money, plain, style, Canvas, Fonts, Ink, BODY, BODY_BOLD,
    BODY_BOTTOM_MM, BODY_TOP_FIRST_MM, BODY_TOP_NEXT_MM, COL_AMOUNT_R_MM, HEADER_ROW_MM,
    INFO_FIRST_MM, INFO_X_MM, LEFT_MM, PAGE_NUMBER_MM, RIGHT_MM, ROW_LINE_MM, ROW_PAD_MM,
    SMALL_GREY, TABLE_HEAD,
};
use crate::dunning::{Item, Letter};
use crate::model::{Company, Customer, Language};
use crate::{creditor_ref, girocode};
use rust_decimal::Decimal;

pub const CSV: &str = "reminders.csv";
pub const COLUMNS: &[&str] = &[
    "letter_no",
    "customer_id",
    "invoice_no",
    "level",
    "due_date",
    "days_overdue",
    "open",
    "interest_from",
    "interest_to",
    "interest",
    "fee",
    "claim",
];

/// `reminders.csv`: one row per invoice on a letter (D4).
pub fn reminders_csv(letters: &[(String, Letter)]) -> Vec<u8> {
    use crate::money::money;
    let mut w = crate::csvout::writer();
    w.write_record(COLUMNS).expect("write to memory");
    for (no, l) in letters {
        for i in &l.items {
            let (from, to) = i
                .interest
                .as_ref()
                .map_or((String::new(), String::new()), |x| {
                    (x.from.to_string(), x.to.to_string())
                });
            w.write_record([
                no.as_str(),
                &l.customer,
                &i.invoice,
                &i.level.to_string(),
                &i.due_date.to_string(),
                &i.days_overdue.to_string(),
                &money(i.open),
                &from,
                &to,
                &money(i.interest_amount()),
                &money(i.fee),
                &money(i.claim),
            ])
            .expect("write to memory");
        }
    }
    w.into_inner().expect("flush to memory")
}

/// A letter's file name.
pub fn file_name(number: &str) -> String {
    format!("{number}.pdf")
}

struct Words {
    titles: [&'static str; 3],
    draft: &'static str,
    draft_banner: &'static str,
    letter_no: &'static str,
    letter_date: &'static str,
    customer_number: &'static str,
    pay_by_label: &'static str,
    salutation: &'static str,
    /// Per level: the text for one invoice, and for several.
    intro: [[&'static str; 2]; 3],
    default_note: &'static str,
    fee_note: &'static str,
    invoice: &'static str,
    invoice_date: &'static str,
    due: &'static str,
    days: &'static str,
    level: &'static str,
    open: &'static str,
    interest: &'static str,
    fee: &'static str,
    claim: &'static str,
    amounts_in: &'static str,
    paid_part: &'static str,
    interest_basis: &'static str,
    day_unit: &'static str,
    base_rate: &'static str,
    fee_basis: &'static str,
    fee_claimed: &'static str,
    total_open: &'static str,
    total_interest: &'static str,
    total_fee: &'static str,
    total_claim: &'static str,
    no_vat: &'static str,
    transfer: &'static str,
    reference: &'static str,
    scan: &'static str,
    already_paid: &'static str,
    closing: &'static str,
    page: &'static str,
    of: &'static str,
    continued: &'static str,
}

const DE: Words = Words {
    titles: ["Zahlungserinnerung", "Mahnung", "Letzte Mahnung"],
    draft: "ENTWURF",
    draft_banner: "ENTWURF – nicht versenden",
    letter_no: "Schreiben Nr.",
    letter_date: "Datum",
    customer_number: "Kundennummer",
    pay_by_label: "Zahlbar bis",
    salutation: "Sehr geehrte Damen und Herren,",
    intro: [
        [
            "sicher ist es Ihrer Aufmerksamkeit entgangen: Für die folgende Rechnung haben wir \
             noch keinen vollständigen Zahlungseingang festgestellt. Wir bitten Sie, den offenen \
             Betrag bis zum {date} zu überweisen.",
            "sicher ist es Ihrer Aufmerksamkeit entgangen: Für die folgenden Rechnungen haben \
             wir noch keinen vollständigen Zahlungseingang festgestellt. Wir bitten Sie, den \
             offenen Betrag bis zum {date} zu überweisen.",
        ],
        [
            "trotz unserer Zahlungserinnerung ist die folgende Rechnung noch nicht bezahlt. \
             Sie befinden sich mit der Zahlung in Verzug. Bitte überweisen Sie den \
             Gesamtbetrag bis zum {date}.",
            "trotz unserer Zahlungserinnerung sind die folgenden Rechnungen noch nicht bezahlt. \
             Sie befinden sich mit der Zahlung in Verzug. Bitte überweisen Sie den \
             Gesamtbetrag bis zum {date}.",
        ],
        [
            "trotz Zahlungserinnerung und Mahnung ist die folgende Rechnung noch immer nicht \
             bezahlt. Dies ist unsere letzte Mahnung: Bitte überweisen Sie den Gesamtbetrag \
             bis spätestens {date}. Geht die Zahlung bis dahin nicht ein, werden wir die \
             Forderung ohne weitere Ankündigung gerichtlich geltend machen.",
            "trotz Zahlungserinnerung und Mahnung sind die folgenden Rechnungen noch immer \
             nicht bezahlt. Dies ist unsere letzte Mahnung: Bitte überweisen Sie den \
             Gesamtbetrag bis spätestens {date}. Geht die Zahlung bis dahin nicht ein, werden \
             wir die Forderung ohne weitere Ankündigung gerichtlich geltend machen.",
        ],
    ],
    default_note: "Für die Dauer des Verzugs berechnen wir Verzugszinsen nach § 288 BGB \
                   ({points} Prozentpunkte über dem Basiszinssatz).",
    fee_note: "Als Unternehmer schulden Sie außerdem je Rechnung die Pauschale von 40,00 EUR \
               nach § 288 Abs. 5 BGB.",
    invoice: "Rechnung",
    invoice_date: "Datum",
    due: "fällig",
    days: "Tage",
    level: "Stufe",
    open: "offen",
    interest: "Zinsen",
    fee: "Pauschale",
    claim: "Summe",
    amounts_in: "Beträge in",
    paid_part: "Rechnungsbetrag {gross}, davon bezahlt {paid}",
    interest_basis: "Zinsen {from} – {to}: {open} × {rate} % × {days} / 365",
    day_unit: "Tage",
    base_rate: "Basiszinssatz",
    fee_basis: "Pauschale nach § 288 Abs. 5 BGB",
    fee_claimed: "Pauschale nach § 288 Abs. 5 BGB bereits mit früherem Schreiben geltend gemacht",
    total_open: "Offene Rechnungsbeträge",
    total_interest: "Verzugszinsen",
    total_fee: "Pauschalen (§ 288 Abs. 5 BGB)",
    total_claim: "Gesamtforderung",
    no_vat: "Verzugszinsen und Pauschalen sind kein Entgelt für eine Leistung und enthalten \
             keine Umsatzsteuer.",
    transfer: "Bitte überweisen Sie {amount} bis zum {date} auf unser Konto:",
    reference: "Verwendungszweck",
    scan: "GiroCode: mit der Banking-App scannen",
    already_paid: "Sollten Sie die Zahlung inzwischen geleistet haben, betrachten Sie dieses \
                   Schreiben bitte als gegenstandslos.",
    closing: "Mit freundlichen Grüßen",
    page: "Seite",
    of: "von",
    continued: "Fortsetzung",
};

const EN: Words = Words {
    titles: ["Payment reminder", "Dunning notice", "Final notice"],
    draft: "DRAFT",
    draft_banner: "DRAFT – do not send",
    letter_no: "Letter no.",
    letter_date: "Date",
    customer_number: "Customer number",
    pay_by_label: "Payable by",
    salutation: "Dear Sir or Madam,",
    intro: [
        [
            "perhaps this has escaped your attention: we have not yet received full payment of \
             the invoice below. Please transfer the amount open by {date}.",
            "perhaps this has escaped your attention: we have not yet received full payment of \
             the invoices below. Please transfer the amount open by {date}.",
        ],
        [
            "despite our payment reminder, the invoice below is still unpaid. You are in \
             default of payment. Please transfer the total amount by {date}.",
            "despite our payment reminder, the invoices below are still unpaid. You are in \
             default of payment. Please transfer the total amount by {date}.",
        ],
        [
            "despite our reminder and dunning notice, the invoice below is still unpaid. This \
             is our final notice: please transfer the total amount by {date} at the latest. If \
             we have not received payment by then, we will take legal action without further \
             notice.",
            "despite our reminder and dunning notice, the invoices below are still unpaid. \
             This is our final notice: please transfer the total amount by {date} at the \
             latest. If we have not received payment by then, we will take legal action \
             without further notice.",
        ],
    ],
    default_note: "For the time of default we charge default interest under section 288 of \
                   the German Civil Code (BGB) at {points} percentage points above the base \
                   rate.",
    fee_note: "As a business you also owe the flat fee of EUR 40.00 per invoice under \
               section 288 (5) BGB.",
    invoice: "Invoice",
    invoice_date: "Date",
    due: "due",
    days: "Days",
    level: "Level",
    open: "Open",
    interest: "Interest",
    fee: "Flat fee",
    claim: "Total",
    amounts_in: "Amounts in",
    paid_part: "Invoice amount {gross}, of which paid {paid}",
    interest_basis: "Interest {from} – {to}: {open} × {rate} % × {days} / 365",
    day_unit: "days",
    base_rate: "base rate",
    fee_basis: "Flat fee under section 288 (5) BGB",
    fee_claimed: "Flat fee under section 288 (5) BGB already claimed in an earlier letter",
    total_open: "Invoice amounts open",
    total_interest: "Default interest",
    total_fee: "Flat fees (section 288 (5) BGB)",
    total_claim: "Total claim",
    no_vat: "Default interest and flat fees are not consideration for a supply and carry \
             no VAT.",
    transfer: "Please transfer {amount} by {date} to our account:",
    reference: "Payment reference",
    scan: "GiroCode: scan with your banking app",
    already_paid: "If you have paid in the meantime, please disregard this letter.",
    closing: "Yours faithfully",
    page: "Page",
    of: "of",
    continued: "continued",
};

fn words(lang: Language) -> &'static Words {
    match lang {
        Language::De => &DE,
        Language::En => &EN,
    }
}

// Table columns (right edges, except the invoice number's left edge).
const COL_INVOICE_X_MM: f32 = LEFT_MM + 1.0;
const COL_DATE_R_MM: f32 = 66.0;
const COL_DUE_R_MM: f32 = 86.0;
const COL_DAYS_R_MM: f32 = 97.0;
const COL_LEVEL_R_MM: f32 = 108.0;
const COL_OPEN_R_MM: f32 = 131.0;
/// Table rows: a little smaller than body text, so that English dates
/// (`16 Nov 2026`) fit their columns.
const ROW: pdf::Style = style(false, 8.5, Ink::Black);
const ROW_BOLD: pdf::Style = style(true, 8.5, Ink::Black);
const COL_INTEREST_R_MM: f32 = 149.0;
const COL_FEE_R_MM: f32 = 168.0;
const QR_MM: f32 = 28.0;

/// The letter as a PDF: A4, the customer's language. Same inputs, same bytes.
pub fn letter_pdf(
    letter: &Letter,
    number: &str,
    draft: bool,
    company: &Company,
    customer: &Customer,
    fonts: &Fonts,
) -> Vec<u8> {
    let w = words(customer.language);
    let title = w.titles[usize::from(letter.level.clamp(1, 3)) - 1];
    let canvas = Writer {
        letter,
        number,
        draft,
        company,
        customer,
        lang: customer.language,
        w,
        canvas: Canvas::new(fonts),
        y_mm: BODY_TOP_FIRST_MM,
    }
    .write();
    pdf::document(
        canvas,
        fonts,
        &pdf::Meta {
            title: format!("{title} {number}"),
            author: company.name.clone(),
            subject: format!("{title} {number} – {}", customer.name),
            identifier: number.to_string(),
            date: Some(letter.date),
        },
    )
}

struct Writer<'a> {
    letter: &'a Letter,
    number: &'a str,
    draft: bool,
    company: &'a Company,
    customer: &'a Customer,
    lang: Language,
    w: &'static Words,
    canvas: Canvas<'a>,
    y_mm: f32,
}

impl<'a> Writer<'a> {
    fn write(mut self) -> Canvas<'a> {
        pdf::letterhead(&mut self.canvas, self.company, self.lang);
        pdf::address_field(&mut self.canvas, self.company, self.customer, self.lang);
        self.info_block();
        self.title();
        self.intro();
        self.table();
        self.totals();
        self.payment();
        self.finish_pages();
        self.canvas
    }

    fn title_word(&self) -> &'static str {
        self.w.titles[usize::from(self.letter.level.clamp(1, 3)) - 1]
    }

    fn info_block(&mut self) {
        let (w, lang, l) = (self.w, self.lang, self.letter);
        let rows = [
            (w.letter_no, self.number.to_string()),
            (w.letter_date, date(l.date, lang)),
            (w.customer_number, self.customer.id.to_string()),
            (w.pay_by_label, date(l.pay_by, lang)),
        ];
        let label = style(false, 8.5, Ink::Grey);
        let value = style(false, 8.5, Ink::Black);
        let label_w_mm = rows
            .iter()
            .map(|(l, _)| self.canvas.width_mm(label, l))
            .fold(0.0, f32::max);
        let value_x_mm = INFO_X_MM + label_w_mm + 3.0;
        let mut y_mm = INFO_FIRST_MM;
        for (i, (l, v)) in rows.iter().enumerate() {
            self.canvas.text(INFO_X_MM, y_mm, label, l);
            let st = if i == 3 {
                style(true, 8.5, Ink::Black)
            } else {
                value
            };
            self.canvas.text(value_x_mm, y_mm, st, v);
            y_mm += 4.3;
        }
    }

    fn title(&mut self) {
        let title = self.title_word();
        let draft = self.draft.then_some((self.w.draft, self.w.draft_banner));
        self.y_mm = pdf::title_line(&mut self.canvas, self.y_mm, title, draft);
        self.y_mm += 12.0;
    }

    /// A paragraph over the full text width, kept on one page.
    fn paragraph(&mut self, st: pdf::Style, text: &str) {
        let lines = self.canvas.wrap(st, text, RIGHT_MM - LEFT_MM);
        let line_mm = st.size_pt * 0.45;
        self.ensure(lines.len() as f32 * line_mm + 1.0);
        for l in &lines {
            self.y_mm += line_mm;
            self.canvas.text(LEFT_MM, self.y_mm, st, l);
        }
        self.y_mm += 1.5;
    }

    fn ensure(&mut self, height_mm: f32) -> bool {
        if self.y_mm + height_mm <= BODY_BOTTOM_MM {
            return false;
        }
        self.canvas.add_page();
        self.y_mm = BODY_TOP_NEXT_MM;
        true
    }

    fn intro(&mut self) {
        let (w, l) = (self.w, self.letter);
        self.paragraph(BODY, w.salutation);
        self.y_mm += 1.0;
        let level = usize::from(l.level.clamp(1, 3)) - 1;
        let many = usize::from(l.items.len() > 1);
        let text = w.intro[level][many].replace("{date}", &date(l.pay_by, self.lang));
        self.paragraph(BODY, &text);
        if l.items.iter().any(|i| i.interest.is_some()) {
            let points = crate::dunning::points(l.consumer);
            let mut note = w
                .default_note
                .replace("{points}", &plain(points, self.lang));
            if l.fee > Decimal::ZERO {
                note.push(' ');
                note.push_str(w.fee_note);
            }
            self.paragraph(BODY, &note);
        }
        self.y_mm += 2.0;
    }

    fn table_header(&mut self) {
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
        let h = TABLE_HEAD;
        self.canvas.text(COL_INVOICE_X_MM, y_mm, h, w.invoice);
        self.canvas
            .text_right(COL_DATE_R_MM, y_mm, h, w.invoice_date);
        self.canvas.text_right(COL_DUE_R_MM, y_mm, h, w.due);
        self.canvas.text_right(COL_DAYS_R_MM, y_mm, h, w.days);
        self.canvas.text_right(COL_LEVEL_R_MM, y_mm, h, w.level);
        if self.with_charges() {
            self.canvas.text_right(COL_OPEN_R_MM, y_mm, h, w.open);
            self.canvas
                .text_right(COL_INTEREST_R_MM, y_mm, h, w.interest);
            self.canvas.text_right(COL_FEE_R_MM, y_mm, h, w.fee);
            self.canvas.text_right(COL_AMOUNT_R_MM, y_mm, h, w.claim);
        } else {
            self.canvas.text_right(COL_AMOUNT_R_MM, y_mm, h, w.open);
        }
        self.y_mm = top_mm + HEADER_ROW_MM;
    }

    /// Interest and fee columns: only when the letter claims either (a
    /// reminder of level 1 alone shows what is open, nothing more).
    fn with_charges(&self) -> bool {
        self.letter.items.iter().any(|i| i.level >= 2)
    }

    /// The lines under an item: what was paid, the interest's basis, the fee.
    fn basis(&self, i: &Item) -> Vec<String> {
        let (w, lang) = (self.w, self.lang);
        let mut out = Vec::new();
        if i.paid != Decimal::ZERO {
            out.push(
                w.paid_part
                    .replace("{gross}", &money(i.gross, lang))
                    .replace("{paid}", &money(i.paid, lang)),
            );
        }
        if let Some(x) = &i.interest {
            for s in &x.spans {
                out.push(format!(
                    "{} ({} {} % + {} = {} %)",
                    w.interest_basis
                        .replace("{from}", &date(s.from, lang))
                        .replace("{to}", &date(s.to, lang))
                        .replace("{open}", &money(s.open, lang))
                        .replace("{rate}", &plain(s.rate, lang))
                        .replace("{days}", &format!("{} {}", s.days, w.day_unit)),
                    w.base_rate,
                    plain(s.base, lang),
                    plain(s.rate - s.base, lang),
                    plain(s.rate, lang),
                ));
            }
        }
        if i.fee > Decimal::ZERO {
            out.push(w.fee_basis.to_string());
        } else if i.fee_claimed_before {
            out.push(w.fee_claimed.to_string());
        }
        out
    }

    fn table(&mut self) {
        let lang = self.lang;
        let amounts_in = format!("{} {}", self.w.amounts_in, self.company.currency);
        self.canvas
            .text_right(RIGHT_MM, self.y_mm, SMALL_GREY, &amounts_in);
        self.y_mm += 1.5;
        self.ensure(HEADER_ROW_MM + 3.0 * ROW_LINE_MM);
        self.table_header();
        let note = style(false, 7.5, Ink::Grey);
        for i in &self.letter.items {
            let basis = self.basis(i);
            let row_mm = ROW_LINE_MM + basis.len() as f32 * 3.4 + ROW_PAD_MM;
            if self.ensure(row_mm) {
                self.table_header();
            }
            let y_mm = self.y_mm + ROW_LINE_MM;
            self.canvas.text(COL_INVOICE_X_MM, y_mm, ROW, &i.invoice);
            self.canvas
                .text_right(COL_DATE_R_MM, y_mm, ROW, &date(i.issue_date, lang));
            self.canvas
                .text_right(COL_DUE_R_MM, y_mm, ROW, &date(i.due_date, lang));
            self.canvas
                .text_right(COL_DAYS_R_MM, y_mm, ROW, &i.days_overdue.to_string());
            self.canvas
                .text_right(COL_LEVEL_R_MM, y_mm, ROW, &i.level.to_string());
            if self.with_charges() {
                self.canvas
                    .text_right(COL_OPEN_R_MM, y_mm, ROW, &money(i.open, lang));
                self.canvas.text_right(
                    COL_INTEREST_R_MM,
                    y_mm,
                    ROW,
                    &money(i.interest_amount(), lang),
                );
                self.canvas
                    .text_right(COL_FEE_R_MM, y_mm, ROW, &money(i.fee, lang));
            }
            self.canvas
                .text_right(COL_AMOUNT_R_MM, y_mm, ROW_BOLD, &money(i.claim, lang));
            let mut y = y_mm;
            for b in &basis {
                y += 3.4;
                self.canvas.text(COL_INVOICE_X_MM + 3.0, y, note, b);
            }
            self.y_mm = y + ROW_PAD_MM;
            self.canvas
                .rule(LEFT_MM, RIGHT_MM, self.y_mm, 0.4, Ink::Hairline);
        }
    }

    fn totals(&mut self) {
        let (w, lang, l) = (self.w, self.lang, self.letter);
        let cur = &self.company.currency;
        let label_x_mm = 112.0;
        let row_mm = 5.0;
        self.ensure(4.0 * row_mm + 10.0);
        let mut y_mm = self.y_mm + 5.5;
        let mut rows = vec![(w.total_open, l.open)];
        if l.interest > Decimal::ZERO {
            rows.push((w.total_interest, l.interest));
        }
        if l.fee > Decimal::ZERO {
            rows.push((w.total_fee, l.fee));
        }
        for (label, amount) in &rows {
            self.canvas.text(label_x_mm, y_mm, BODY, label);
            let v = format!("{} {cur}", money(*amount, lang));
            self.canvas.text_right(COL_AMOUNT_R_MM, y_mm, BODY, &v);
            y_mm += row_mm;
        }
        y_mm -= 2.8;
        self.canvas
            .rule(label_x_mm, RIGHT_MM, y_mm, 0.8, Ink::Black);
        y_mm += 4.8;
        let big = style(true, 10.0, Ink::Black);
        self.canvas.text(label_x_mm, y_mm, big, w.total_claim);
        let v = format!("{} {cur}", money(l.claim, lang));
        self.canvas.text_right(COL_AMOUNT_R_MM, y_mm, big, &v);
        y_mm += 1.6;
        self.canvas
            .rule(label_x_mm, RIGHT_MM, y_mm, 0.4, Ink::Black);
        self.canvas
            .rule(label_x_mm, RIGHT_MM, y_mm + 0.7, 0.4, Ink::Black);
        self.y_mm = y_mm + 2.0;
        if l.interest > Decimal::ZERO || l.fee > Decimal::ZERO {
            self.paragraph(style(false, 8.0, Ink::Grey), w.no_vat);
        }
        self.y_mm += 1.0;
    }

    /// The new deadline, the bank details and beside them the GiroCode of
    /// the total claim (a clearly separate block: the QR can be swapped).
    fn payment(&mut self) {
        let (w, lang, l, c) = (self.w, self.lang, self.letter, self.company);
        let cur = &c.currency;
        // The reference and GiroCode of G1, as on invoices: only on an
        // issued letter in EUR with a claim a transfer can carry.
        let payable = !self.draft
            && cur == "EUR"
            && l.claim > Decimal::ZERO
            && l.claim <= Decimal::new(99_999_999_999, 2);
        let rf = payable.then(|| creditor_ref::of(self.number)).flatten();
        let qr = rf
            .as_deref()
            .and_then(|rf| girocode::modules(&girocode::payload(c, l.claim, rf)));
        self.ensure(QR_MM + 8.0);
        let ask = w
            .transfer
            .replace("{amount}", &format!("{} {cur}", money(l.claim, lang)))
            .replace("{date}", &date(l.pay_by, lang));
        let text_w_mm = RIGHT_MM - LEFT_MM - QR_MM - 8.0;
        let top_mm = self.y_mm;
        let mut y_mm = top_mm;
        for part in self.canvas.wrap(BODY_BOLD, &ask, text_w_mm) {
            y_mm += 4.2;
            self.canvas.text(LEFT_MM, y_mm, BODY_BOLD, &part);
        }
        y_mm += 1.5;
        let label = style(false, 9.0, Ink::Grey);
        let mut rows = vec![
            ("Bank", c.bank.clone()),
            ("IBAN", iban_grouped(&c.iban)),
            ("BIC", c.bic.clone()),
        ];
        if let Some(rf) = &rf {
            rows.push((w.reference, creditor_ref::grouped(rf)));
        }
        let label_w_mm = rows
            .iter()
            .map(|(l, _)| self.canvas.width_mm(label, l))
            .fold(0.0, f32::max);
        for (k, v) in &rows {
            y_mm += 4.5;
            self.canvas.text(LEFT_MM, y_mm, label, k);
            self.canvas.text(LEFT_MM + label_w_mm + 3.0, y_mm, BODY, v);
        }
        if let Some(qr) = &qr {
            let x_mm = RIGHT_MM - QR_MM;
            pdf::draw_qr(&mut self.canvas, qr, x_mm, top_mm + 1.0, QR_MM);
            let caption = style(false, 7.0, Ink::Grey);
            self.canvas
                .text_right(RIGHT_MM, top_mm + QR_MM + 3.5, caption, w.scan);
        }
        // The code's square and caption reach further down than the text.
        let bottom_mm = if qr.is_some() {
            y_mm.max(top_mm + QR_MM + 4.0)
        } else {
            y_mm + 2.0
        };
        self.y_mm = bottom_mm + 2.0;
        self.paragraph(BODY, w.already_paid);
        self.y_mm += 2.0;
        self.ensure(10.0);
        self.paragraph(BODY, w.closing);
        self.paragraph(BODY, &c.name);
    }

    fn finish_pages(&mut self) {
        let count = self.canvas.page_count();
        for page in 0..count {
            self.canvas.page = page;
            if page == 0 {
                pdf::fold_marks(&mut self.canvas);
            } else {
                let head = style(false, 8.0, Ink::Grey);
                self.canvas.text(
                    LEFT_MM,
                    15.0,
                    style(true, 8.0, Ink::Grey),
                    &self.company.name,
                );
                let which = format!(
                    "{} {}  ·  {}",
                    self.title_word(),
                    self.number,
                    self.w.continued
                );
                self.canvas.text_right(RIGHT_MM, 15.0, head, &which);
                self.canvas
                    .rule(LEFT_MM, RIGHT_MM, 17.5, 0.4, Ink::Hairline);
            }
            let label = format!("{} {} {} {}", self.w.page, page + 1, self.w.of, count);
            self.canvas
                .text_right(RIGHT_MM, PAGE_NUMBER_MM, SMALL_GREY, &label);
            pdf::footer(&mut self.canvas, self.company, self.lang);
            if self.draft {
                pdf::watermark(&mut self.canvas, self.w.draft);
            }
        }
    }
}
