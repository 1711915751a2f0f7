//! The review page (`index.html`, RULES 15): a [`Page`] as one
//! self-contained HTML file. Inline CSS and SVG only: no script, font,
//! image or link that leaves the folder, so it reads the same with scripts
//! off and offline. Everything from the inputs goes through maud's
//! escaping; the only unescaped text is this file's own CSS. The bytes
//! depend on the page alone (no clock, no paths): verify recomputes them.

use super::pdf::{date, fixed};
use crate::decide::HeldReason;
use crate::model::Language;
use crate::review::{Cell, HeldEntry, Kind, Page, Quota, Revenue, Section};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use rust_decimal::Decimal;
use std::io::Write;

/// The page's file name in every output folder.
pub const FILE: &str = "index.html";

/// The page as bytes.
pub fn html(page: &Page) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    write_html(page, &mut out).expect("write to memory");
    out
}

/// The page written to `w` as it is split into lines: a month's page is
/// megabytes, and held twice (as maud made it and split) it was the
/// largest thing `verify` held at its end.
pub fn write_html(page: &Page, to: &mut dyn std::io::Write) -> std::io::Result<()> {
    let w = words(page.language);
    let lang = page.language;
    let net: Decimal = page.invoices.iter().map(|i| i.net).sum();
    let vat: Decimal = page.invoices.iter().map(|i| i.vat).sum();
    let gross: Decimal = page.invoices.iter().map(|i| i.gross).sum();
    let held_count: usize = page
        .held
        .iter()
        .flat_map(|c| &c.reasons)
        .map(|g| g.count)
        .sum();
    let held_minutes: u32 = page
        .held
        .iter()
        .flat_map(|c| &c.reasons)
        .map(|g| g.minutes)
        .sum();
    let held_listed: usize = page
        .held
        .iter()
        .flat_map(|c| &c.reasons)
        .map(|g| g.entries.len())
        .sum();
    let over = page
        .quotas
        .as_ref()
        .map(|q| q.iter().filter(|q| q.over()).count());
    let title = title(&page.kind, w);
    // A page of another command shows invoices only when it has some.
    let show_invoices = !matches!(page.kind, Kind::Other { .. }) || !page.invoices.is_empty();
    let cur = page.currency.as_str();
    // Written piece by piece as the pieces are made (a section, a
    // customer's held work, a contract's hours): a large month's page is
    // megabytes. The pieces are the one page's text in order, cut where
    // the skeleton holds `SLOT`.
    let mut out = Lines::new(to);
    let (head, tail) = around(html! {
        (DOCTYPE)
        html lang=(lang.as_str()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – " (page.company) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header {
                    div.company { (page.company) " · " (w.review) }
                    h1 { (title) }
                }
                main {
                    nav.strip aria-label=(w.summary) {
                        @if show_invoices {
                            a.card href="#invoices" {
                                span.label { (w.invoices) }
                                span.n { (count(page.invoices.len(), lang)) }
                                span.sub { (w.gross) " " (fixed(gross, 2, lang)) " " (cur) }
                            }
                        }
                        @for s in &page.sections {
                            a.card.(if s.attention { "warn" } else { "" }) href={ "#" (s.id) } {
                                span.label { (section_title(s, lang)) }
                                span.n { (count(s.rows.len(), lang)) }
                                @if let Some(sum) = s.sum {
                                    span.sub { (fixed(sum, 2, lang)) " " (cur) }
                                }
                            }
                        }
                        @if page.quotas.is_some() || held_count > 0 {
                            a.card.(if held_count > 0 { "warn" } else { "ok" }) href="#held" {
                                span.label { (w.held) }
                                span.n { (count(held_count, lang)) }
                                span.sub { (hours(held_minutes, lang)) }
                                @if !page.held.is_empty() {
                                    (first_few(page.held.iter().map(|c| c.customer_id.as_str())))
                                }
                            }
                        }
                        @if let Some(n) = over {
                            a.card.(if n > 0 { "alert" } else { "ok" }) href="#quota" {
                                span.label { (w.over_quota) }
                                span.n { (count(n, lang)) }
                                span.sub { (w.contracts) }
                                @if n > 0 {
                                    (first_few(page.quotas.iter().flatten().filter(|q| q.over()).map(|q| q.contract_id.as_str())))
                                }
                            }
                        }
                        a.card.(if page.warnings.is_empty() { "ok" } else { "warn" }) href="#warnings" {
                            span.label { (w.warnings) }
                            span.n { (count(page.warnings.len(), lang)) }
                        }
                    }

                    (PreEscaped(SLOT))
                }
            }
        }
    });
    out.put(&head)?;
    if show_invoices {
        out.put_markup(html! {
            section #invoices {
                h2 { (w.invoices) }
                @if page.invoices.is_empty() {
                    p.none { (w.no_invoices) }
                } @else {
                    div.scroll {
                        table.invoices {
                            thead { tr {
                                th { (w.number) }
                                th { (w.customer) }
                                th.num { (w.net) }
                                th.num { (w.vat) }
                                th.num { (w.gross) }
                                th { (w.files) }
                            } }
                            tbody {
                                @for i in &page.invoices {
                                    tr {
                                        td.no {
                                            (i.number)
                                            @if i.draft { " " span.badge { (w.draft) } }
                                            @if let Some(p) = &i.project { br; small { (w.project) " " (p) } }
                                            @if let Some(r) = &i.refers_to { br; small { (w.cancels) " " (r) } }
                                        }
                                        td { (i.customer_id) br; small { (i.customer_name) } }
                                        td.num data-label=(w.net) { (fixed(i.net, 2, lang)) }
                                        td.num data-label=(w.vat) { (fixed(i.vat, 2, lang)) }
                                        td.num.gross data-label=(w.gross) { (fixed(i.gross, 2, lang)) }
                                        td.links { a href=(i.pdf) { "PDF" } " " a href=(i.xml) { "XML" } }
                                    }
                                }
                            }
                            tfoot { tr {
                                th { (w.total) }
                                th { (page.invoices.len()) " " (if page.invoices.len() == 1 { w.invoice_one } else { w.invoices_count }) }
                                th.num data-label=(w.net) { (fixed(net, 2, lang)) }
                                th.num data-label=(w.vat) { (fixed(vat, 2, lang)) }
                                th.num.gross data-label=(w.gross) { (fixed(gross, 2, lang)) " " (cur) }
                                th {}
                            } }
                        }
                    }
                }
            }
        })?;
    }
    if page.quotas.is_some() || held_count > 0 {
        let (open, close) = around(html! {
            section #held {
                h2 { (w.held_work) " " span.count { (count(held_count, lang)) } }
                @if page.held.is_empty() {
                    p.none { (w.no_held) }
                } @else {
                    p.hint { (w.held_hint) }
                }
                (PreEscaped(SLOT))
                @if held_listed < held_count {
                    p.more { (w.capped) }
                }
            }
        });
        out.put(&open)?;
        for c in &page.held {
            out.put_markup(html! {
                div.customer {
                    h3 { (c.customer_id) " " span.name { (c.customer_name) } }
                    @for g in &c.reasons {
                        h4 {
                            (reason(g.reason, w)) " "
                            code { (g.reason.as_str()) }
                            span.count { (count(g.count, lang)) " · " (hours(g.minutes, lang)) }
                        }
                        @for e in &g.entries { (entry(e, w, lang)) }
                        @if g.entries.len() < g.count {
                            p.more { (count(g.count - g.entries.len(), lang)) " " (w.more_in_held) }
                        }
                    }
                }
            })?;
        }
        out.put(&close)?;
    }
    if let Some(quotas) = &page.quotas {
        let (open, close) = around(html! {
            section #quota {
                h2 { (w.contract_hours) }
                @if quotas.is_empty() {
                    p.none { (w.no_contracts) }
                } @else {
                    p.legend {
                        span.key.covered {} (w.covered) " "
                        span.key.over {} (w.over) " "
                        span.key.limit {} (w.included)
                    }
                    (PreEscaped(SLOT))
                }
            }
        });
        out.put(&open)?;
        for q in quotas {
            out.put_markup(quota(q, w, lang))?;
        }
        out.put(&close)?;
    }
    out.put_markup(html! {
        @if !page.revenue.is_empty() {
            section #revenue {
                h2 { (w.revenue) }
                (revenue(&page.revenue, w, lang, cur))
            }
        }

        @for s in &page.sections {
            section id=(s.id) {
                h2 { (section_title(s, lang)) }
                @if s.rows.is_empty() {
                    p.none { (if lang == Language::De { "Keine." } else { "None." }) }
                } @else {
                div.scroll { table {
                    thead { tr { @for (k, h) in s.head.iter().enumerate() {
                        th.(if s.rows.first().and_then(|r| r.get(k)).is_some_and(Cell::is_number) { "num" } else { "" }) { (h) }
                    } } }
                    tbody { @for r in &s.rows { tr { @for c in r {
                        @match c {
                            Cell::Text(t) => td { (t) },
                            Cell::Money(d) => td.num { (fixed(*d, 2, lang)) },
                            Cell::File(t, f) => td { a href=(f) { (t) } },
                            Cell::Date(d) => td.date { (date(*d, lang)) },
                            Cell::Count(n) => td.num { (n) },
                            Cell::Id(t) => td.id { (t) },
                        }
                    } } } }
                } }
                }
            }
        }

        section #warnings {
            h2 { (w.warnings) " " span.count { (count(page.warnings.len(), lang)) } }
            @if page.warnings.is_empty() {
                p.none { (w.no_warnings) }
            } @else {
                ul.warnings { @for x in &page.warnings { li { (x) } } }
            }
        }

        section #files {
            h2 { (w.files) }
            ul.files { @for f in &page.files { li { a href=(f) { (f) } } } }
        }
    })?;
    out.put(&tail)?;
    out.finish()
}

/// Where the pieces of the page go in its skeleton. Text from the inputs
/// cannot hold it: maud escapes its `<`.
const SLOT: &str = "<faktura-slot/>";

/// A piece of markup as its text before and after `SLOT` (all of it
/// before, when it holds none).
fn around(m: Markup) -> (String, String) {
    let mut text = m.into_string();
    match text.find(SLOT) {
        Some(at) => {
            let after = text[at + SLOT.len()..].to_string();
            text.truncate(at);
            (text, after)
        }
        None => (text, String::new()),
    }
}

/// Block elements start a line of their own, so that the file reads (and
/// diffs) line by line; maud writes one long line. Whitespace before a
/// block element does not change the page. Text from the inputs cannot
/// match: maud escaped its `<`.
struct Lines<'w> {
    out: std::io::BufWriter<&'w mut dyn std::io::Write>,
    /// Whether what is written so far is empty or ends a line.
    at_line_start: bool,
}

impl<'w> Lines<'w> {
    fn new(to: &'w mut dyn std::io::Write) -> Self {
        Lines {
            out: std::io::BufWriter::with_capacity(1 << 16, to),
            at_line_start: true,
        }
    }
    fn put_markup(&mut self, m: Markup) -> std::io::Result<()> {
        self.put(&m.into_string())
    }
    /// The next piece of the page.
    fn put(&mut self, html: &str) -> std::io::Result<()> {
        const BLOCKS: &[&str] = &[
            "head",
            "body",
            "meta",
            "title",
            "style",
            "header",
            "main",
            "nav",
            "section",
            "div",
            "h1",
            "h2",
            "h3",
            "h4",
            "p",
            "table",
            "thead",
            "tbody",
            "tfoot",
            "tr",
            "ul",
            "li",
            "svg",
            "a class=\"card",
        ];
        let mut rest = html;
        while let Some(i) = rest.find('<') {
            let tag = &rest[i + 1..];
            let block = BLOCKS.iter().any(|b| {
                tag.strip_prefix(b)
                    .is_some_and(|after| b.ends_with('"') || after.starts_with([' ', '>']))
            });
            let text = &rest[..i];
            self.text(text)?;
            if block && !self.at_line_start {
                self.out.write_all(b"\n")?;
            }
            self.out.write_all(b"<")?;
            self.at_line_start = false;
            rest = &rest[i + 1..];
        }
        self.text(rest)
    }
    fn text(&mut self, text: &str) -> std::io::Result<()> {
        if !text.is_empty() {
            self.out.write_all(text.as_bytes())?;
            self.at_line_start = text.ends_with('\n');
        }
        Ok(())
    }
    /// The page's last line end.
    fn finish(mut self) -> std::io::Result<()> {
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}

fn title(kind: &Kind, w: &Words) -> String {
    match kind {
        Kind::Run { period, issued } => format!(
            "{} {period} ({})",
            w.run,
            if *issued { w.issued } else { w.drafts }
        ),
        Kind::Invoice { project, issued } => format!(
            "{} {project} ({})",
            w.project_invoice,
            if *issued { w.issued } else { w.draft_one }
        ),
        Kind::Cancel { number } => format!("{} {number}", w.cancellation),
        Kind::Other { de, en } => {
            if w.lang == Language::De {
                de.clone()
            } else {
                en.clone()
            }
        }
    }
}

/// The first three ids, and how many more: `K-1006, K-1007, K-1008 +2`.
/// Each id stays on one line.
fn first_few<'a>(ids: impl Iterator<Item = &'a str>) -> Markup {
    let ids: Vec<&str> = ids.collect();
    html! {
        span.ids {
            @for (i, id) in ids.iter().take(3).enumerate() {
                @if i > 0 { ", " }
                span.nw { (id) }
            }
            @if ids.len() > 3 { " +" (ids.len() - 3) }
        }
    }
}

/// A count with grouped thousands: `28.619` (de), `28,619` (en).
fn count(n: usize, lang: Language) -> String {
    fixed(Decimal::from(n), 0, lang)
}

fn section_title(s: &Section, lang: Language) -> &str {
    match lang {
        Language::De => &s.title_de,
        Language::En => &s.title_en,
    }
}

fn hours(minutes: u32, lang: Language) -> String {
    format!(
        "{} h",
        fixed(Decimal::from(minutes) / Decimal::from(60), 2, lang)
    )
}

fn entry(e: &HeldEntry, w: &Words, lang: Language) -> Markup {
    html! {
        div.entry {
            div.head {
                strong.id { (e.entry_id) }
                @if e.part > 1 { " " small { (w.part) " " (e.part) } }
                " · " (date(e.date, lang)) " " (e.time)
                " · " (e.minutes) " min"
                " · " code { (e.rule) }
                " · " (e.staff)
                @if let Some(a) = &e.approval { " · " (w.approval) " " (a) }
            }
            p.desc { (e.description) }
            ul.decision { @for d in &e.decision { li { (d) } } }
        }
    }
}

/// Bar width of `part` out of `whole`, in tenths of the 200-unit track.
fn width(part: u32, whole: u32) -> String {
    let t = u64::from(part) * 2000 / u64::from(whole.max(1));
    format!("{}.{}", t / 10, t % 10)
}

fn quota(q: &Quota, w: &Words, lang: Language) -> Markup {
    let used = q.covered_minutes + q.over_minutes;
    let scale = q.included_minutes.unwrap_or(0).max(used).max(1);
    let label = match q.included_minutes {
        Some(inc) => format!(
            "{} / {} {}",
            hours(used, lang),
            hours(inc, lang),
            w.included
        ),
        None => format!("{} ({})", hours(used, lang), w.unlimited),
    };
    html! {
        div.quota.(if q.over() { "over" } else { "" }) {
            div.qhead {
                strong { (q.contract_id) } " " (q.tier) " · " (q.customer_id) " " span.name { (q.customer_name) }
                @if q.over() { " " span.badge.red { (w.over_quota) ": +" (hours(q.over_minutes, lang)) } }
            }
            svg.bar viewBox="0 0 200 12" preserveAspectRatio="none" role="img" aria-label=(label) {
                rect.track x="0" y="0" width="200" height="12" {}
                rect.covered x="0" y="0" width=(width(q.covered_minutes, scale)) height="12" {}
                @if q.over_minutes > 0 {
                    rect.over x=(width(q.covered_minutes, scale)) y="0" width=(width(q.over_minutes, scale)) height="12" {}
                }
                @if let Some(inc) = q.included_minutes {
                    rect.limit x=(width(inc, scale)) y="0" width="1.2" height="12" {}
                }
            }
            div.qlabel { (label) }
        }
    }
}

fn revenue(rows: &[(Revenue, Decimal)], w: &Words, lang: Language, cur: &str) -> Markup {
    let max = rows.iter().map(|(_, d)| d.abs()).max().unwrap_or_default();
    let total: Decimal = rows.iter().map(|(_, d)| *d).sum();
    let bar = |d: Decimal| -> String {
        if max.is_zero() {
            return "0".into();
        }
        // Tenths of the 200-unit track, exact decimal then printed.
        let t = (d.abs() * Decimal::from(2000) / max).round();
        let t = u64::try_from(t).unwrap_or(0);
        format!("{}.{}", t / 10, t % 10)
    };
    html! {
        div.chart role="img" aria-label=(w.revenue) {
            @for (r, d) in rows {
                div.row {
                    span.rlabel { (revenue_label(*r, w)) }
                    svg.rbar viewBox="0 0 200 14" preserveAspectRatio="none" {
                        rect.track x="0" y="0" width="200" height="14" {}
                        rect.(revenue_class(*r)) x="0" y="0" width=(bar(*d)) height="14" {}
                    }
                    span.num { (fixed(*d, 2, lang)) }
                }
            }
            div.row.total {
                span.rlabel { (w.total) }
                span {}
                span.num { (fixed(total, 2, lang)) " " (cur) }
            }
        }
    }
}

fn revenue_class(r: Revenue) -> &'static str {
    match r {
        Revenue::Fees => "fees",
        Revenue::Travel => "travel",
        Revenue::Projects => "projects",
        _ => "work",
    }
}

fn revenue_label(r: Revenue, w: &Words) -> &'static str {
    match r {
        Revenue::Fees => w.fees,
        Revenue::K3 => w.k3,
        Revenue::K4 => w.k4,
        Revenue::K6 => w.k6,
        Revenue::K7 => w.k7,
        Revenue::K8 => w.k8,
        Revenue::Travel => w.travel,
        Revenue::Projects => w.projects,
    }
}

fn reason(r: HeldReason, w: &Words) -> &'static str {
    match r {
        HeldReason::NoApproval => w.no_approval,
        HeldReason::ApprovedAfterWork => w.approved_after_work,
        HeldReason::ApprovalExpired => w.approval_expired,
        HeldReason::TicketMismatch => w.ticket_mismatch,
        HeldReason::OverBudget => w.over_budget,
    }
}

struct Words {
    lang: Language,
    review: &'static str,
    summary: &'static str,
    run: &'static str,
    project_invoice: &'static str,
    cancellation: &'static str,
    issued: &'static str,
    drafts: &'static str,
    draft_one: &'static str,
    draft: &'static str,
    invoices: &'static str,
    invoices_count: &'static str,
    invoice_one: &'static str,
    no_invoices: &'static str,
    number: &'static str,
    customer: &'static str,
    net: &'static str,
    vat: &'static str,
    gross: &'static str,
    total: &'static str,
    project: &'static str,
    cancels: &'static str,
    held: &'static str,
    held_work: &'static str,
    held_hint: &'static str,
    no_held: &'static str,
    more_in_held: &'static str,
    capped: &'static str,
    part: &'static str,
    approval: &'static str,
    over_quota: &'static str,
    contracts: &'static str,
    contract_hours: &'static str,
    no_contracts: &'static str,
    covered: &'static str,
    over: &'static str,
    included: &'static str,
    unlimited: &'static str,
    revenue: &'static str,
    fees: &'static str,
    k3: &'static str,
    k4: &'static str,
    k6: &'static str,
    k7: &'static str,
    k8: &'static str,
    travel: &'static str,
    projects: &'static str,
    warnings: &'static str,
    no_warnings: &'static str,
    files: &'static str,
    no_approval: &'static str,
    approved_after_work: &'static str,
    approval_expired: &'static str,
    ticket_mismatch: &'static str,
    over_budget: &'static str,
}

const DE: Words = Words {
    lang: Language::De,
    review: "Prüfseite",
    summary: "Übersicht",
    run: "Monatslauf",
    project_invoice: "Projektrechnung",
    cancellation: "Storno von",
    issued: "ausgestellt",
    drafts: "Entwürfe",
    draft_one: "Entwurf",
    draft: "ENTWURF",
    invoices: "Rechnungen",
    invoices_count: "Rechnungen",
    invoice_one: "Rechnung",
    no_invoices: "Keine Rechnung in diesem Ordner.",
    number: "Nummer",
    customer: "Kunde",
    net: "Netto",
    vat: "USt",
    gross: "Brutto",
    total: "Summe",
    project: "Projekt",
    cancels: "storniert",
    held: "Zurückgehalten",
    held_work: "Zurückgehaltene Arbeit",
    held_hint: "Berechenbare Arbeit ohne gültige Freigabe: nicht berechnet, mit dem Kunden zu klären (held.csv). Die Entscheidung steht wie bei „faktura explain“.",
    no_held: "Keine zurückgehaltene Arbeit.",
    more_in_held: "weitere Einträge in held.csv",
    capped: "Die Liste ist gekürzt; alle Einträge stehen in held.csv.",
    part: "Teil",
    approval: "Freigabe",
    over_quota: "Über Kontingent",
    contracts: "Verträge",
    contract_hours: "Vertragsstunden des Monats",
    no_contracts: "Kein Vertrag in diesem Monat aktiv.",
    covered: "abgedeckt",
    over: "über Kontingent",
    included: "inklusive",
    unlimited: "unbegrenzt",
    revenue: "Umsatz nach Regel",
    fees: "Vertragsgebühren",
    k3: "K3 Fehler Dritter",
    k4: "K4 Fremdeingriff",
    k6: "K6 Kanal nicht im Vertrag",
    k7: "K7 über Kontingent",
    k8: "K8 ohne Vertrag",
    travel: "Anfahrten",
    projects: "Projekte",
    warnings: "Warnungen",
    no_warnings: "Keine Warnungen.",
    files: "Dateien",
    no_approval: "Keine Freigabe",
    approved_after_work: "Freigabe erst nach der Arbeit",
    approval_expired: "Freigabe abgelaufen",
    ticket_mismatch: "Freigabe für ein anderes Ticket",
    over_budget: "Freigabe-Stunden aufgebraucht",
};

const EN: Words = Words {
    lang: Language::En,
    review: "Review",
    summary: "Summary",
    run: "Monthly run",
    project_invoice: "Project invoice",
    cancellation: "Cancellation of",
    issued: "issued",
    drafts: "drafts",
    draft_one: "draft",
    draft: "DRAFT",
    invoices: "Invoices",
    invoices_count: "invoices",
    invoice_one: "invoice",
    no_invoices: "No invoice in this folder.",
    number: "Number",
    customer: "Customer",
    net: "Net",
    vat: "VAT",
    gross: "Gross",
    total: "Total",
    project: "Project",
    cancels: "cancels",
    held: "Held",
    held_work: "Held work",
    held_hint: "Chargeable work without valid consent: not billed, to be settled with the customer (held.csv). Each decision as “faktura explain” gives it.",
    no_held: "No held work.",
    more_in_held: "more entries in held.csv",
    capped: "The list is shortened; every entry is in held.csv.",
    part: "part",
    approval: "approval",
    over_quota: "Over quota",
    contracts: "contracts",
    contract_hours: "Contract hours of the month",
    no_contracts: "No contract active in this month.",
    covered: "covered",
    over: "over quota",
    included: "included",
    unlimited: "unlimited",
    revenue: "Revenue by rule",
    fees: "Contract fees",
    k3: "K3 third-party fault",
    k4: "K4 tampering",
    k6: "K6 channel not covered",
    k7: "K7 over quota",
    k8: "K8 on demand",
    travel: "Travel",
    projects: "Projects",
    warnings: "Warnings",
    no_warnings: "No warnings.",
    files: "Files",
    no_approval: "No approval",
    approved_after_work: "Approved after the work",
    approval_expired: "Approval expired",
    ticket_mismatch: "Approval for another ticket",
    over_budget: "Approval's hours used up",
};

fn words(lang: Language) -> &'static Words {
    match lang {
        Language::De => &DE,
        Language::En => &EN,
    }
}

/// The page's only style sheet: system fonts, no external resource.
const CSS: &str = "
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:#1f2937;background:#eef1f5}
header{background:#1e3a5f;color:#fff;padding:14px 20px}
header .company{opacity:.85;font-size:.9em}
h1{margin:.15em 0 0;font-size:1.45em}
h2{margin:0 0 .6em;font-size:1.2em}
h3{margin:1em 0 .3em;font-size:1.05em}
h4{margin:.8em 0 .4em;font-size:.98em;color:#92400e}
main{max-width:1100px;margin:0 auto;padding:12px 16px 32px}
.strip{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:10px;margin:6px 0 14px}
.card{display:flex;flex-direction:column;background:#fff;border-radius:8px;padding:10px 14px;text-decoration:none;color:inherit;border-left:6px solid #64748b;box-shadow:0 1px 2px rgba(0,0,0,.1)}
.card .label{font-size:.85em;text-transform:uppercase;letter-spacing:.04em;color:#475569}
.card .n{font-size:1.8em;font-weight:700;line-height:1.15}
.card .sub{font-size:.85em;color:#475569}
.card .ids{font-size:.8em;color:#334155;font-weight:600}
.nw{white-space:nowrap}
.card.ok{border-left-color:#15803d}
.card.warn{border-left-color:#d97706;background:#fffbeb}
.card.alert{border-left-color:#b91c1c;background:#fef2f2}
.card.alert .n{color:#b91c1c}
.card.warn .n{color:#b45309}
.card:hover,.card:focus{outline:2px solid #1e3a5f}
section{background:#fff;border-radius:8px;padding:14px 16px;margin:14px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.count{display:inline-block;min-width:1.6em;padding:0 .45em;border-radius:1em;background:#e2e8f0;font-size:.8em;font-weight:600;text-align:center;margin-left:.3em}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{padding:6px 8px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
thead th{font-size:.85em;color:#475569;border-bottom:2px solid #cbd5e1}
tfoot th{border-top:2px solid #cbd5e1;border-bottom:0}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.id,td.date{white-space:nowrap}
td.no{white-space:nowrap;font-weight:600}
small{color:#64748b;font-weight:400}
.links{white-space:nowrap}
.links a{display:inline-block;padding:1px 8px;margin:1px 2px;border:1px solid #93c5fd;border-radius:4px;text-decoration:none;color:#1d4ed8;font-size:.85em}
.badge{display:inline-block;padding:0 6px;border-radius:4px;background:#e2e8f0;color:#334155;font-size:.75em;font-weight:700;letter-spacing:.03em}
.badge.red{background:#b91c1c;color:#fff}
.hint,.none,.more,.legend{color:#475569;font-size:.9em}
.customer{border-top:1px solid #e5e7eb}
.customer:first-of-type{border-top:0}
.name{color:#475569;font-weight:400}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;background:#f1f5f9;padding:0 4px;border-radius:3px}
h4 .count{background:#fde68a}
.entry{border-left:4px solid #f59e0b;background:#fffbeb;padding:8px 10px;margin:6px 0;border-radius:0 6px 6px 0}
.entry .head{font-size:.92em}
.entry .id{font-size:1.05em}
.entry .desc{margin:.3em 0;font-style:italic;overflow-wrap:anywhere}
.decision{margin:.2em 0 0;padding-left:1.2em;font-size:.88em;color:#374151}
.quota{padding:8px 0;border-bottom:1px solid #e5e7eb}
.quota.over{background:#fef2f2;border-left:5px solid #b91c1c;padding-left:8px;margin:4px 0}
.qhead{font-size:.95em;margin-bottom:4px}
svg.bar{display:block;width:100%;height:16px;border-radius:3px}
.qlabel{font-size:.85em;color:#475569;margin-top:2px}
rect.track{fill:#e2e8f0}
rect.covered{fill:#2563eb}
rect.over{fill:#dc2626}
rect.limit{fill:#0f172a}
.key{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-1px;margin:0 4px 0 10px}
.key.covered{background:#2563eb}.key.over{background:#dc2626}.key.limit{background:#0f172a;width:3px}
.chart .row{display:grid;grid-template-columns:minmax(9em,14em) 1fr 8.5em;gap:10px;align-items:center;padding:3px 0}
.chart .row.total{border-top:2px solid #cbd5e1;font-weight:700;margin-top:4px;padding-top:6px}
svg.rbar{display:block;width:100%;height:16px}
rect.work{fill:#2563eb}rect.fees{fill:#0d9488}rect.travel{fill:#7c3aed}rect.projects{fill:#ea580c}
.warnings li{margin:.25em 0;overflow-wrap:anywhere}
.files{columns:2;padding-left:1.2em}
a{color:#1d4ed8}
@media (max-width:640px){
body{font-size:14px}
header{padding:10px 12px}
h1{font-size:1.2em}
main{padding:8px 8px 24px}
section{padding:10px 10px;margin:10px 0}
.strip{grid-template-columns:1fr 1fr;gap:8px}
.card .n{font-size:1.5em}
th,td{padding:5px 5px}
.chart .row{grid-template-columns:1fr auto;gap:4px 8px}
.chart .row .rlabel{grid-column:1;grid-row:1}
.chart .row .num{grid-column:2;grid-row:1}
.chart .row svg{grid-column:1 / -1;grid-row:2}
.files{columns:1}
table.invoices,table.invoices tbody,table.invoices tfoot{display:block}
table.invoices thead{display:none}
table.invoices tr{display:grid;grid-template-columns:1fr 1fr 1.2fr;border-bottom:1px solid #cbd5e1;padding:6px 0}
table.invoices td,table.invoices th{border:0;padding:2px 4px}
table.invoices td.no,table.invoices td:nth-child(2),table.invoices td.links,table.invoices tfoot th:nth-child(-n+2){grid-column:1 / -1}
table.invoices tfoot tr{border-top:2px solid #cbd5e1;border-bottom:0}
table.invoices .num::before{content:attr(data-label);display:block;font-size:.75em;color:#64748b;font-weight:400}
table.invoices .gross{font-weight:700}
table.invoices tfoot th:last-child{display:none}
}
";
