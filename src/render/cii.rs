//! The invoice as an e-invoice: UN/CEFACT Cross Industry Invoice (CII) XML
//! by EN 16931, in the Factur-X / ZUGFeRD profile EN 16931 or the German
//! CIUS XRechnung 3.0 ([`Profile`]). The same XML is valid on its own and
//! embedded in the PDF (`render::facturx`).
//!
//! Owns the mapping of an [`Invoice`] to the business terms (BT-n / BG-n of
//! EN 16931, XPaths in `reference/invoicing-de.md` 3.4). It decides nothing:
//! every amount is the `Decimal` already on the invoice, also on the PDF and
//! in the CSVs, written with two decimals; no floating point. Child order
//! follows the XSD sequence (it is a sequence: order matters). Plain string
//! building, so the bytes are deterministic.
//!
//! Decisions (cite them by name):
//! - **Proof lines** (covered or referral work at 0.00, RULES 6) are written
//!   as invoice lines with price 0.00 and amount 0.00, like on the PDF:
//!   EN 16931 allows zero lines, the totals are unchanged, and the XML (the
//!   authoritative part of a hybrid) then shows everything the PDF shows.
//! - **Work lines** carry the billed minutes as quantity (unit `MIN`) and the
//!   hourly unit price per base quantity 60 `MIN`, so that quantity × price /
//!   base quantity is the line amount to the cent (RULES 5 `amount =
//!   round2(unit_price * billed_minutes / 60)`; PEPPOL-EN16931-R120 of
//!   XRechnung). Fee, travel and project lines are quantity 1 `C62` (one)
//!   at price = amount.
//! - **VAT category** by the invoice's tax note (F15): `S` at the invoice's
//!   rate; `AE` (reverse charge, § 14a UStG) with reason text and
//!   `VATEX-EU-AE` and both VAT ids; `O` (not subject to German VAT, place of
//!   supply abroad, § 3a (2) UStG) with reason text and `VATEX-EU-O`. An `O`
//!   invoice must carry neither the seller's nor the buyer's VAT id
//!   (BR-O-02) and no rate on its lines (BR-O-05): the seller is identified
//!   by its tax number (BT-32, scheme `FC`), which § 14 (4) Nr. 2 UStG
//!   accepts in place of the VAT id. The breakdown of `O` keeps rate 0, which
//!   EN 16931 allows and XRechnung (BR-DE-14) wants.
//! - **Cancellations** (`InvoiceKind::Cancellation`, every line of the
//!   original negated) are credit notes, type code 381, whose amounts are
//!   positive by definition: the XML writes the negated amounts back with a
//!   positive sign (the 381 says they are credited), names the cancelled
//!   invoice in BG-3 (BT-25, BT-26; § 31 (5) UStDV) and the reason in a note
//!   (BT-22). Quantities are the positive minutes or 1, as on the original.
//! - **Drafts** have no issue date: BT-2 is then the last day of service
//!   (`service_to`), and a note (BT-22) says that the document is a draft.
//!   A draft is a preview; its XML is never sent.
//! - **Seller contact** (BG-6): the managing director (the company's legal
//!   representative, § 35a GmbHG) with the company's phone and e-mail;
//!   the company name when no managing director is set. XRechnung requires
//!   the contact (BR-DE-2); for EN 16931 it is harmless and keeps one path.
//! - **Electronic addresses**: the seller's e-mail (BT-34, scheme `EM`); the
//!   buyer's e-mail (BT-49) when known, else for XRechnung the buyer
//!   reference as Leitweg-ID (scheme `0204`), as XRechnung requires BT-49.

use crate::invoice::{Invoice, InvoiceKind, Line, LineKind, TaxNote};
use crate::model::{Company, Customer, Language};
use crate::money::{money, percent};
use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use crate::einvoice::Profile;

/// BT-3 (UNTDID 1001): 381 credit note for a cancellation, else 380 invoice.
pub fn type_code(inv: &Invoice) -> u16 {
    match inv.kind {
        InvoiceKind::Cancellation => 381,
        InvoiceKind::Monthly | InvoiceKind::Project => 380,
    }
}

const NS: &str = concat!(
    "xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\" ",
    "xmlns:ram=\"urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100\" ",
    "xmlns:qdt=\"urn:un:unece:uncefact:data:standard:QualifiedDataType:100\" ",
    "xmlns:udt=\"urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100\""
);

/// BT-23 for XRechnung (PEPPOL-EN16931-R001).
const PEPPOL_BILLING: &str = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

/// The invoice (or cancellation) as CII XML in the given profile.
pub fn invoice_xml(
    inv: &Invoice,
    company: &Company,
    customer: &Customer,
    profile: &Profile,
) -> Vec<u8> {
    let lang = customer.language;
    let tax = Tax::of(inv, lang);
    let mut x = Xml::new();
    x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.open_with("rsm:CrossIndustryInvoice", NS);

    x.open("rsm:ExchangedDocumentContext");
    if let Profile::XRechnung { .. } = profile {
        x.open("ram:BusinessProcessSpecifiedDocumentContextParameter");
        x.leaf("ram:ID", PEPPOL_BILLING);
        x.close();
    }
    x.open("ram:GuidelineSpecifiedDocumentContextParameter");
    x.leaf("ram:ID", profile.guideline_id());
    x.close();
    x.close();

    x.open("rsm:ExchangedDocument");
    x.leaf("ram:ID", &inv.number);
    x.leaf("ram:TypeCode", &type_code(inv).to_string());
    x.open("ram:IssueDateTime");
    x.date(
        "udt:DateTimeString",
        inv.issue_date.unwrap_or(inv.service_to),
    );
    x.close();
    if inv.draft {
        x.open("ram:IncludedNote");
        x.leaf("ram:Content", words(lang).draft);
        x.close();
    }
    if inv.kind == InvoiceKind::Cancellation {
        x.open("ram:IncludedNote");
        x.leaf("ram:Content", &cancellation_note(inv, lang));
        x.close();
    }
    x.close();

    x.open("rsm:SupplyChainTradeTransaction");
    for (n, l) in inv.lines.iter().enumerate() {
        line(&mut x, n + 1, l, &tax, lang, sign(inv));
    }

    // BG-4 seller, BG-7 buyer (ApplicableHeaderTradeAgreement).
    x.open("ram:ApplicableHeaderTradeAgreement");
    if let Some(buyer_reference) = profile.buyer_reference() {
        x.leaf("ram:BuyerReference", buyer_reference);
    }
    seller(&mut x, company, &tax, lang);
    buyer(&mut x, customer, &tax, profile);
    x.close();

    // BT-72: the last day of service (for a project its acceptance).
    x.open("ram:ApplicableHeaderTradeDelivery");
    x.open("ram:ActualDeliverySupplyChainEvent");
    x.open("ram:OccurrenceDateTime");
    x.date("udt:DateTimeString", inv.service_to);
    x.close();
    x.close();
    x.close();

    settlement(&mut x, inv, company, &tax, lang);

    x.close(); // SupplyChainTradeTransaction
    x.close(); // CrossIndustryInvoice
    x.finish()
}

/// The VAT treatment of the whole invoice (F15: one per invoice).
struct Tax {
    /// BT-118 / BT-151.
    category: &'static str,
    /// BT-119 / BT-152; `None` where a rate must not be given.
    line_rate: Option<Decimal>,
    rate: Decimal,
    /// BT-120, BT-121.
    exemption: Option<(&'static str, &'static str)>,
    /// Whether VAT ids may be written (not for `O`, BR-O-02).
    vat_ids: bool,
}

impl Tax {
    fn of(inv: &Invoice, lang: Language) -> Tax {
        let note = inv.tax_note.text(lang).unwrap_or_default();
        match inv.tax_note {
            TaxNote::None => Tax {
                category: "S",
                line_rate: Some(inv.vat_rate),
                rate: inv.vat_rate,
                exemption: None,
                vat_ids: true,
            },
            TaxNote::ReverseCharge => Tax {
                category: "AE",
                line_rate: Some(Decimal::ZERO),
                rate: Decimal::ZERO,
                exemption: Some((note, "VATEX-EU-AE")),
                vat_ids: true,
            },
            TaxNote::NotTaxableInDe => Tax {
                category: "O",
                line_rate: None,
                rate: Decimal::ZERO,
                exemption: Some((note, "VATEX-EU-O")),
                vat_ids: false,
            },
        }
    }
}

/// BG-25, one invoice line.
fn line(x: &mut Xml, id: usize, l: &Line, tax: &Tax, lang: Language, sign: Decimal) {
    let w = words(lang);
    x.open("ram:IncludedSupplyChainTradeLineItem");
    x.open("ram:AssociatedDocumentLineDocument");
    x.leaf("ram:LineID", &id.to_string());
    if let (Some(e), Some(p)) = (&l.entry, l.part) {
        // BT-127: the time entry and part the line bills (GoBD traceability).
        x.open("ram:IncludedNote");
        x.leaf("ram:Content", &format!("{} {e}/{p}", w.entry));
        x.close();
    }
    x.close();

    x.open("ram:SpecifiedTradeProduct");
    x.leaf("ram:Name", item_name(l.kind, w));
    x.leaf("ram:Description", &l.description);
    x.close();

    // Work and proof lines: minutes at the hourly price per 60 minutes.
    let (quantity, unit, base) = match (l.kind, l.minutes) {
        (LineKind::Work | LineKind::Proof, Some(m)) => (m.to_string(), "MIN", Some("60")),
        _ => ("1".to_string(), "C62", None),
    };
    let amount = signed(l.amount, sign);
    let price = match base {
        Some(_) => l.unit_price,
        None => amount,
    };
    x.open("ram:SpecifiedLineTradeAgreement");
    x.open("ram:NetPriceProductTradePrice");
    x.leaf("ram:ChargeAmount", &money(price));
    if let Some(b) = base {
        x.leaf_attr("ram:BasisQuantity", &[("unitCode", unit)], b);
    }
    x.close();
    x.close();

    x.open("ram:SpecifiedLineTradeDelivery");
    x.leaf_attr("ram:BilledQuantity", &[("unitCode", unit)], &quantity);
    x.close();

    x.open("ram:SpecifiedLineTradeSettlement");
    x.open("ram:ApplicableTradeTax");
    x.leaf("ram:TypeCode", "VAT");
    x.leaf("ram:CategoryCode", tax.category);
    if let Some(r) = tax.line_rate {
        x.leaf("ram:RateApplicablePercent", &percent(r));
    }
    x.close();
    if let (Some(d), false) = (l.date, l.kind == LineKind::Fee) {
        // BG-26: the day of the work, travel or acceptance. A fee covers its
        // month, which BG-14 states already.
        x.open("ram:BillingSpecifiedPeriod");
        x.open("ram:StartDateTime");
        x.date("udt:DateTimeString", d);
        x.close();
        x.open("ram:EndDateTime");
        x.date("udt:DateTimeString", d);
        x.close();
        x.close();
    }
    x.open("ram:SpecifiedTradeSettlementLineMonetarySummation");
    x.leaf("ram:LineTotalAmount", &money(amount));
    x.close();
    x.close();

    x.close();
}

/// +1, or -1 for a cancellation: its negated amounts are written as the
/// positive amounts of a credit note (381).
fn sign(inv: &Invoice) -> Decimal {
    match inv.kind {
        InvoiceKind::Cancellation => Decimal::NEGATIVE_ONE,
        InvoiceKind::Monthly | InvoiceKind::Project => Decimal::ONE,
    }
}

/// `d * sign`, never a negative zero (which would print as `-0.00`).
fn signed(d: Decimal, sign: Decimal) -> Decimal {
    if d.is_zero() {
        Decimal::ZERO
    } else {
        d * sign
    }
}

/// BT-22 of a cancellation: which invoice it cancels, and why.
fn cancellation_note(inv: &Invoice, lang: Language) -> String {
    let w = words(lang);
    let mut note = match &inv.refers_to {
        Some(r) => format!(
            "{} {} {} {}.",
            w.cancellation_of,
            r.number,
            w.of_date,
            crate::invoice::date_text(lang, r.issue_date)
        ),
        None => w.cancellation.to_string(),
    };
    if let Some(reason) = inv.reason.as_deref().filter(|r| !r.trim().is_empty()) {
        note.push_str(&format!(" {}: {reason}", w.reason));
    }
    note
}

fn item_name(kind: LineKind, w: &Words) -> &'static str {
    match kind {
        LineKind::Fee => w.fee,
        LineKind::Work => w.work,
        LineKind::Travel => w.travel,
        LineKind::Project => w.project,
        LineKind::Proof => w.proof,
    }
}

/// BG-4 the seller, with BG-5 address, BG-6 contact, BT-30..34.
fn seller(x: &mut Xml, c: &Company, tax: &Tax, lang: Language) {
    let w = words(lang);
    x.open("ram:SellerTradeParty");
    x.leaf("ram:Name", &c.name);
    if !c.managing_director.is_empty() {
        // BT-33: additional legal information (§ 35a GmbHG).
        x.leaf(
            "ram:Description",
            &format!("{}: {}", w.managing_director, c.managing_director),
        );
    }
    if !c.register.is_empty() {
        // BT-30: the commercial register entry (court and HRB number).
        x.open("ram:SpecifiedLegalOrganization");
        x.leaf("ram:ID", &c.register);
        x.close();
    }
    x.open("ram:DefinedTradeContact");
    let person = if c.managing_director.is_empty() {
        &c.name
    } else {
        &c.managing_director
    };
    x.leaf("ram:PersonName", person);
    if !c.phone.is_empty() {
        x.open("ram:TelephoneUniversalCommunication");
        x.leaf("ram:CompleteNumber", &c.phone);
        x.close();
    }
    if !c.email.is_empty() {
        x.open("ram:EmailURIUniversalCommunication");
        x.leaf("ram:URIID", &c.email);
        x.close();
    }
    x.close();
    address(x, &c.postcode, &c.street, &c.city, &c.country);
    if !c.email.is_empty() {
        x.open("ram:URIUniversalCommunication");
        x.leaf_attr("ram:URIID", &[("schemeID", "EM")], &c.email);
        x.close();
    }
    if !c.tax_number.is_empty() {
        x.open("ram:SpecifiedTaxRegistration");
        x.leaf_attr("ram:ID", &[("schemeID", "FC")], &c.tax_number);
        x.close();
    }
    if tax.vat_ids && !c.vat_id.is_empty() {
        x.open("ram:SpecifiedTaxRegistration");
        x.leaf_attr("ram:ID", &[("schemeID", "VA")], &c.vat_id);
        x.close();
    }
    x.close();
}

/// BG-7 the buyer, with BT-46 (customer number), BG-8 address, BT-48, BT-49.
fn buyer(x: &mut Xml, c: &Customer, tax: &Tax, profile: &Profile) {
    x.open("ram:BuyerTradeParty");
    x.leaf("ram:ID", c.id.as_str());
    x.leaf("ram:Name", &c.name);
    address(x, &c.postcode, &c.street, &c.city, &c.country);
    match (&c.email, profile) {
        (Some(e), _) => {
            x.open("ram:URIUniversalCommunication");
            x.leaf_attr("ram:URIID", &[("schemeID", "EM")], e);
            x.close();
        }
        (None, Profile::XRechnung { buyer_reference }) => {
            x.open("ram:URIUniversalCommunication");
            x.leaf_attr("ram:URIID", &[("schemeID", "0204")], buyer_reference);
            x.close();
        }
        (None, Profile::En16931) => {}
    }
    if let (true, Some(v)) = (tax.vat_ids, &c.vat_id) {
        x.open("ram:SpecifiedTaxRegistration");
        x.leaf_attr("ram:ID", &[("schemeID", "VA")], v);
        x.close();
    }
    x.close();
}

fn address(x: &mut Xml, postcode: &str, street: &str, city: &str, country: &str) {
    x.open("ram:PostalTradeAddress");
    x.leaf("ram:PostcodeCode", postcode);
    x.leaf("ram:LineOne", street);
    x.leaf("ram:CityName", city);
    x.leaf("ram:CountryID", country);
    x.close();
}

/// ApplicableHeaderTradeSettlement: payment, VAT breakdown (BG-23), period
/// (BG-14), terms (BT-20, BT-9), totals (BG-22), preceding invoice (BG-3).
fn settlement(x: &mut Xml, inv: &Invoice, c: &Company, tax: &Tax, lang: Language) {
    let w = words(lang);
    let sign = sign(inv);
    let (net, vat, gross) = (
        signed(inv.net, sign),
        signed(inv.vat, sign),
        signed(inv.gross, sign),
    );
    x.open("ram:ApplicableHeaderTradeSettlement");
    // BT-83: the RF creditor reference of G1 where the invoice carries a
    // GiroCode (the same the PDF prints), else the invoice number.
    let reference = crate::girocode::reference(inv).unwrap_or_else(|| inv.number.clone());
    x.leaf("ram:PaymentReference", &reference);
    x.leaf("ram:InvoiceCurrencyCode", &inv.currency);

    // BG-16: SEPA credit transfer to the company's account.
    x.open("ram:SpecifiedTradeSettlementPaymentMeans");
    x.leaf("ram:TypeCode", "58");
    x.open("ram:PayeePartyCreditorFinancialAccount");
    let iban: String = c.iban.chars().filter(|ch| !ch.is_whitespace()).collect();
    x.leaf("ram:IBANID", &iban);
    x.leaf("ram:AccountName", &c.name);
    x.close();
    if !c.bic.is_empty() {
        x.open("ram:PayeeSpecifiedCreditorFinancialInstitution");
        x.leaf("ram:BICID", c.bic.trim());
        x.close();
    }
    x.close();

    // BG-23: one breakdown, since an invoice has one VAT treatment (F15).
    x.open("ram:ApplicableTradeTax");
    x.leaf("ram:CalculatedAmount", &money(vat));
    x.leaf("ram:TypeCode", "VAT");
    if let Some((text, _)) = tax.exemption {
        x.leaf("ram:ExemptionReason", text);
    }
    x.leaf("ram:BasisAmount", &money(net));
    x.leaf("ram:CategoryCode", tax.category);
    if let Some((_, code)) = tax.exemption {
        x.leaf("ram:ExemptionReasonCode", code);
    }
    x.leaf("ram:RateApplicablePercent", &percent(tax.rate));
    x.close();

    x.open("ram:BillingSpecifiedPeriod");
    x.open("ram:StartDateTime");
    x.date("udt:DateTimeString", inv.service_from);
    x.close();
    x.open("ram:EndDateTime");
    x.date("udt:DateTimeString", inv.service_to);
    x.close();
    x.close();

    // BT-20 always (BR-CO-25 is still enforced by XRechnung), BT-9 when known.
    x.open("ram:SpecifiedTradePaymentTerms");
    let terms = if inv.gross <= Decimal::ZERO {
        // Nothing to pay: a zero invoice, or a cancellation (credited).
        w.no_payment.to_string()
    } else {
        match inv.due_date {
            Some(d) => format!("{} {}.", w.pay_by, crate::invoice::date_text(lang, d)),
            None => w.pay_within.replace("{days}", &c.payment_days.to_string()),
        }
    };
    x.leaf("ram:Description", &terms);
    if let Some(d) = inv.due_date {
        x.open("ram:DueDateDateTime");
        x.date("udt:DateTimeString", d);
        x.close();
    }
    x.close();

    // BG-22: the invoice's own totals; the chain BR-CO-10..16 holds because
    // net is the sum of the line amounts and gross = net + vat (RULES 6).
    x.open("ram:SpecifiedTradeSettlementHeaderMonetarySummation");
    x.leaf("ram:LineTotalAmount", &money(net));
    x.leaf("ram:TaxBasisTotalAmount", &money(net));
    x.leaf_attr(
        "ram:TaxTotalAmount",
        &[("currencyID", &inv.currency)],
        &money(vat),
    );
    x.leaf("ram:GrandTotalAmount", &money(gross));
    x.leaf("ram:DuePayableAmount", &money(gross));
    x.close();

    if let Some(r) = &inv.refers_to {
        // BG-3: the invoice a cancellation cancels.
        x.open("ram:InvoiceReferencedDocument");
        x.leaf("ram:IssuerAssignedID", &r.number);
        x.open("ram:FormattedIssueDateTime");
        x.date("qdt:DateTimeString", r.issue_date);
        x.close();
        x.close();
    }
    x.close();
}

/// The XML's words in the customer's language; the tax notes say what the
/// PDF says.
struct Words {
    draft: &'static str,
    cancellation: &'static str,
    cancellation_of: &'static str,
    of_date: &'static str,
    reason: &'static str,
    entry: &'static str,
    fee: &'static str,
    work: &'static str,
    travel: &'static str,
    project: &'static str,
    proof: &'static str,
    managing_director: &'static str,
    pay_by: &'static str,
    pay_within: &'static str,
    no_payment: &'static str,
}

const DE: Words = Words {
    draft: "ENTWURF – keine gültige Rechnung, bitte nicht zahlen",
    cancellation: "Stornorechnung.",
    cancellation_of: "Stornorechnung zur Rechnung",
    of_date: "vom",
    reason: "Grund",
    entry: "Zeiteintrag",
    fee: "Wartungsvertrag",
    work: "IT-Support nach Aufwand",
    travel: "Anfahrtspauschale",
    project: "Projekt (Festpreis)",
    proof: "Leistungsnachweis (ohne Berechnung)",
    managing_director: "Geschäftsführer",
    pay_by: "Zahlbar ohne Abzug bis",
    pay_within: "Zahlbar ohne Abzug innerhalb von {days} Tagen nach Rechnungsdatum.",
    no_payment: "Es ist keine Zahlung fällig.",
};

const EN: Words = Words {
    draft: "DRAFT – not a valid invoice, please do not pay",
    cancellation: "Cancellation invoice.",
    cancellation_of: "Cancellation of invoice",
    of_date: "of",
    reason: "Reason",
    entry: "Time entry",
    fee: "Maintenance contract",
    work: "IT support, time and material",
    travel: "Call-out fee",
    project: "Project (fixed price)",
    proof: "Proof of work (no charge)",
    managing_director: "Managing director",
    pay_by: "Payable without deduction by",
    pay_within: "Payable without deduction within {days} days of the invoice date.",
    no_payment: "No payment is due.",
};

fn words(lang: Language) -> &'static Words {
    match lang {
        Language::De => &DE,
        Language::En => &EN,
    }
}

/// A tiny XML writer: elements opened and closed in order, text and
/// attribute values escaped, one element per line and no indentation (a
/// sixth fewer bytes than indented, still readable and diffable line by
/// line; D31b). Empty leaves are skipped, since XRechnung
/// forbids empty elements (PEPPOL-EN16931-R008) and EN 16931 gives them no
/// meaning.
struct Xml {
    out: String,
    open: Vec<&'static str>,
}

impl Xml {
    fn new() -> Xml {
        Xml {
            out: String::with_capacity(8 * 1024),
            open: Vec::new(),
        }
    }

    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn open(&mut self, tag: &'static str) {
        self.out.push('<');
        self.out.push_str(tag);
        self.out.push_str(">\n");
        self.open.push(tag);
    }

    /// Opens the root with its namespace declarations.
    fn open_with(&mut self, tag: &'static str, attrs: &str) {
        self.out.push('<');
        self.out.push_str(tag);
        self.out.push(' ');
        self.out.push_str(attrs);
        self.out.push_str(">\n");
        self.open.push(tag);
    }

    fn close(&mut self) {
        // Every close matches an open of the same function above.
        let tag = self.open.pop().expect("close without open");
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push_str(">\n");
    }

    fn leaf(&mut self, tag: &str, text: &str) {
        self.leaf_attr(tag, &[], text);
    }

    fn leaf_attr(&mut self, tag: &str, attrs: &[(&str, &str)], text: &str) {
        if text.trim().is_empty() {
            return;
        }
        self.out.push('<');
        self.out.push_str(tag);
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            escape_into(&mut self.out, v);
            self.out.push('"');
        }
        self.out.push('>');
        escape_into(&mut self.out, text);
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push_str(">\n");
    }

    /// A date as `YYYYMMDD` with format 102 (CII's only date format).
    fn date(&mut self, tag: &str, d: NaiveDate) {
        self.leaf_attr(tag, &[("format", "102")], &d.format("%Y%m%d").to_string());
    }

    fn finish(self) -> Vec<u8> {
        debug_assert!(self.open.is_empty(), "unclosed: {:?}", self.open);
        self.out.into_bytes()
    }
}

/// Escapes the five XML specials, and drops the control characters that
/// XML 1.0 cannot carry at all (they can come from a CSV field).
fn escape_into(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_specials_and_drops_invalid_controls() {
        let mut s = String::new();
        escape_into(&mut s, "A&B <c> \"d\" 'e'\u{1}\tf");
        assert_eq!(s, "A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;\tf");
    }
}
