//! The review page (RULES 15): every `run`, `invoice` and `cancel` folder
//! holds `index.html`, self-contained, listed in the manifest and checked by
//! verify. The demo month's page is opened in headless Chromium: its
//! screenshot is not blank, its DOM holds every invoice number and every
//! held entry, every link stays inside the folder, and time log text shows
//! as text, never as markup. Where Chromium cannot start these checks say
//! so (SKIP) and the checks on the file itself still run.

mod common;
use common::{demo_copy, faktura};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

fn column(path: &Path, name: &str) -> Vec<String> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let i = r.headers().unwrap().iter().position(|h| h == name).unwrap();
    r.records().map(|x| x.unwrap()[i].to_string()).collect()
}

/// `faktura run` of the demo month (data folder `data`) into `out`.
fn run_month(data: &str, out: &Path) {
    let o = faktura(&[
        "run",
        "--data",
        data,
        "--period",
        "2026-10",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
}

fn demo() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/demo")
        .display()
        .to_string()
}

/// Headless Chromium, with nothing that phones home; `None` (and a SKIP
/// line) where it is not installed or cannot start.
struct Chromium(PathBuf);

impl Chromium {
    /// Chromium, if it starts headless here: it must render a small page
    /// of its own. Anything else is a SKIP line, never a silent pass.
    fn find() -> Option<Chromium> {
        let exe = std::env::var_os("CHROMIUM")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("chromium"));
        let probe = tempfile::tempdir().unwrap();
        let page = probe.path().join("probe.html");
        std::fs::write(&page, "<p>chromium-probe-ok</p>").unwrap();
        let c = Chromium(exe);
        let o = c
            .cmd(&probe.path().join("profile"))
            .arg("--dump-dom")
            .arg(url(&page))
            .output();
        match o {
            Ok(o) if String::from_utf8_lossy(&o.stdout).contains("chromium-probe-ok") => Some(c),
            Ok(o) => {
                skip(&format!(
                    "{} does not start headless here ({}); the review page is not opened in a browser",
                    c.0.display(),
                    text(&o).trim()
                ));
                None
            }
            Err(e) => {
                skip(&format!(
                    "{} cannot start ({e}); install the distribution's chromium (scripts/test.sh does) to open the review page in a browser",
                    c.0.display()
                ));
                None
            }
        }
    }

    fn cmd(&self, profile: &Path) -> Command {
        let mut c = Command::new(&self.0);
        c.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()));
        c
    }

    /// The page as Chromium built it (scripts would have run by then).
    fn dom(&self, page: &Path) -> String {
        let profile = tempfile::tempdir().unwrap();
        let o = self
            .cmd(profile.path())
            .arg("--dump-dom")
            .arg(url(page))
            .output()
            .unwrap();
        assert!(o.status.success(), "chromium --dump-dom: {}", text(&o));
        String::from_utf8(o.stdout).unwrap()
    }

    /// A screenshot `width` wide; also returns the URLs the page itself
    /// asked for beyond its folder (from Chromium's network log).
    fn screenshot(&self, page: &Path, width: u32, png: &Path) -> Vec<String> {
        let profile = tempfile::tempdir().unwrap();
        let netlog = profile.path().join("net.json");
        let o = self
            .cmd(profile.path())
            .arg(format!("--screenshot={}", png.display()))
            .arg(format!("--window-size={width},2000"))
            .arg(format!("--log-net-log={}", netlog.display()))
            .arg(url(page))
            .output()
            .unwrap();
        assert!(o.status.success(), "chromium --screenshot: {}", text(&o));
        page_requests(&std::fs::read(&netlog).unwrap())
    }
}

/// The network requests a page started: Chromium's own (update checks
/// and the like, which its flags do not all silence) have the initiator
/// "not an origin"; a page's have its origin (`null` for a file).
fn page_requests(netlog: &[u8]) -> Vec<String> {
    let log: serde_json::Value = serde_json::from_slice(netlog).expect("a JSON net log");
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].clone();
    assert!(
        start_job.is_number(),
        "the net log names URL_REQUEST_START_JOB"
    );
    log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == start_job)
        .filter(|e| e["params"]["initiator"] != "not an origin")
        .filter_map(|e| e["params"]["url"].as_str())
        .filter(|u| !u.starts_with("file:"))
        .map(str::to_string)
        .collect()
}

/// A SKIP line on the real stderr: the test harness captures `eprintln!`
/// of passing tests, not a direct write, so the line is always seen.
fn skip(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIP: {why}");
}

fn url(page: &Path) -> String {
    format!("file://{}", page.canonicalize().unwrap().display())
}

/// Distinct colours and the share of pixels that are not near white.
fn colours(png_file: &Path) -> (usize, f64, u32) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_file).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    assert!(channels >= 3, "an RGB(A) screenshot");
    let mut seen = HashSet::new();
    let mut coloured = 0usize;
    let px = &buf[..info.buffer_size()];
    for p in px.chunks(channels) {
        seen.insert((p[0], p[1], p[2]));
        if p[0] < 235 || p[1] < 235 || p[2] < 235 {
            coloured += 1;
        }
    }
    let total = px.len() / channels;
    (seen.len(), coloured as f64 / total as f64, info.width)
}

/// Every `href="..."` and `src="..."` value of the page.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    out
}

/// The checks on the file alone: links resolve inside the folder, anchors
/// exist, nothing can reach the network, no script.
fn self_contained(out: &Path) -> String {
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    for l in links(&html) {
        if let Some(anchor) = l.strip_prefix('#') {
            assert!(
                html.contains(&format!("id=\"{anchor}\"")),
                "anchor #{anchor} has no target"
            );
        } else {
            assert!(
                !l.contains('/') && !l.contains('\\') && out.join(&l).is_file(),
                "link {l:?} is not a file of the folder"
            );
        }
    }
    for banned in [
        "://", "\"//", "'//", "<script", "<link", "<img", "<iframe", "@import", "url(",
    ] {
        assert!(!html.contains(banned), "the page holds {banned:?}");
    }
    html
}

#[test]
fn the_demo_months_review_page_in_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_month(&demo(), &out);
    let html = self_contained(&out);
    // Listed in the manifest with its hash, and verify recomputes it.
    let manifest = std::fs::read_to_string(out.join("MANIFEST.csv")).unwrap();
    assert!(manifest.contains("output,index.html,"), "{manifest}");
    let v = faktura(&["verify", "--data", &demo(), "--out", out.to_str().unwrap()]);
    assert!(v.status.success(), "{}", text(&v));

    let invoices = column(&out.join("invoices.csv"), "invoice_no");
    let held = column(&out.join("held.csv"), "entry_id");
    assert_eq!(invoices.len(), 12);
    assert_eq!(held.len(), 8);
    for n in invoices.iter().chain(&held) {
        assert!(html.contains(n.as_str()), "{n} is not on the page");
    }

    let Some(chromium) = Chromium::find() else {
        return;
    };
    let dom = chromium.dom(&out.join("index.html"));
    for n in invoices.iter().chain(&held) {
        assert!(dom.contains(n.as_str()), "{n} is not in the DOM");
    }
    for anchor in [
        "id=\"held\"",
        "id=\"quota\"",
        "href=\"#held\"",
        "href=\"#quota\"",
    ] {
        assert!(dom.contains(anchor), "{anchor} missing from the DOM");
    }
    for (width, min_colours) in [(1280, 200), (390, 100)] {
        let png = tmp.path().join(format!("review-{width}.png"));
        let requests = chromium.screenshot(&out.join("index.html"), width, &png);
        let (n, share, w) = colours(&png);
        assert_eq!(w, width);
        assert!(
            n >= min_colours,
            "{width} px: only {n} distinct colours: a blank page?"
        );
        assert!(
            share > 0.10,
            "{width} px: only {share:.3} of the pixels are not white"
        );
        // The network log names every URL the page asked for.
        assert!(
            requests.is_empty(),
            "requests left the folder: {requests:?}"
        );
    }
}

#[test]
fn the_request_check_catches_a_page_that_loads_from_the_network() {
    let Some(chromium) = Chromium::find() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("index.html");
    std::fs::write(
        &page,
        "<html><body><img src=\"http://127.0.0.1:9/logo.png\">bad</body></html>",
    )
    .unwrap();
    let requests = chromium.screenshot(&page, 400, &tmp.path().join("bad.png"));
    assert_eq!(requests, ["http://127.0.0.1:9/logo.png"]);
}

#[test]
fn time_log_text_is_shown_as_text_not_markup() {
    let tmp = tempfile::tempdir().unwrap();
    let data = demo_copy(tmp.path(), false);
    // T-000054 is held (no approval): its description is on the page.
    let evil = "<script>alert(1)</script> & Co";
    let file = data.join("timelog.csv");
    let mut r = csv::Reader::from_path(&file).unwrap();
    let head = r.headers().unwrap().clone();
    let desc = head.iter().position(|h| h == "description").unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let mut w = csv::Writer::from_path(&file).unwrap();
    w.write_record(&head).unwrap();
    for row in rows {
        let mut f: Vec<&str> = row.iter().collect();
        if f[0] == "T-000054" {
            f[desc] = evil;
        }
        w.write_record(&f).unwrap();
    }
    w.flush().unwrap();
    let out = tmp.path().join("out");
    run_month(data.to_str().unwrap(), &out);
    let html = self_contained(&out);
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co";
    assert!(html.contains(escaped), "the description is not escaped");

    let Some(chromium) = Chromium::find() else {
        return;
    };
    let dom = chromium.dom(&out.join("index.html"));
    assert!(!dom.contains("<script"), "a script element in the DOM");
    assert!(
        dom.contains(escaped),
        "the description is not shown as text"
    );
}

#[test]
fn the_page_is_the_same_bytes_every_time_and_matches_its_golden_file() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    run_month(&demo(), &a);
    run_month(&demo(), &b);
    let page = std::fs::read(a.join("index.html")).unwrap();
    assert_eq!(page, std::fs::read(b.join("index.html")).unwrap());
    // The golden file itself is compared by tests/cli_golden.rs (demo-run).
    let golden = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/demo-run/index.html");
    if std::env::var_os("BLESS").is_none() {
        assert!(
            std::fs::read(golden).unwrap() == page,
            "index.html differs from tests/golden/demo-run/index.html (BLESS=1 cargo test --test cli_golden to rewrite it)"
        );
    }
}

#[test]
fn english_by_the_companys_language_and_a_bad_language_is_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    let data = demo_copy(tmp.path(), false);
    let toml = std::fs::read_to_string(data.join("company.toml")).unwrap();
    std::fs::write(
        data.join("company.toml"),
        format!("{toml}language = \"en\"\n"),
    )
    .unwrap();
    let out = tmp.path().join("en");
    run_month(data.to_str().unwrap(), &out);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Held work") && html.contains("Over quota"));
    assert!(html.contains("2,440.80"), "English number format");

    std::fs::write(
        data.join("company.toml"),
        format!("{toml}language = \"fr\"\n"),
    )
    .unwrap();
    let o = faktura(&["check", "--data", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("company.toml:")
            && t.contains(": language: unknown value 'fr' (expected one of de, en"),
        "{t}"
    );
}

#[test]
fn invoice_and_cancel_folders_have_their_page_too() {
    let tmp = tempfile::tempdir().unwrap();
    let data = demo_copy(tmp.path(), false);
    let d = data.to_str().unwrap();
    let path = |n: &str| tmp.path().join(n);
    let o = faktura(&[
        "invoice",
        "--data",
        d,
        "--project",
        "P-2026-01",
        "--out",
        path("p").to_str().unwrap(),
        "--issue",
        "--date",
        "2026-11-02",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let o = faktura(&[
        "cancel",
        "--data",
        d,
        "--invoice",
        "RE-2026-00001",
        "--reason",
        "Festpreis falsch",
        "--date",
        "2026-11-03",
        "--out",
        path("c").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    for (dir, must) in [
        ("p", ["Projektrechnung P-2026-01", "RE-2026-00001"]),
        ("c", ["Storno von RE-2026-00001", "ST-2026-00001"]),
    ] {
        let html = self_contained(&path(dir));
        for m in must {
            assert!(html.contains(m), "{dir}: {m} missing");
        }
        assert!(
            !html.contains("id=\"quota\""),
            "{dir}: no month, no contract hours"
        );
        let manifest = std::fs::read_to_string(path(dir).join("MANIFEST.csv")).unwrap();
        assert!(manifest.contains("output,index.html,"), "{manifest}");
        let v = faktura(&["verify", "--data", d, "--out", path(dir).to_str().unwrap()]);
        assert!(v.status.success(), "{dir}: {}", text(&v));
    }
}

// ---------------------------------------------------------------------------
// The page's content, rule by rule (docs/RULES.md section 15), on small data sets
// ---------------------------------------------------------------------------

use common::{decide_texts, Texts};
use faktura::decide::HeldReason;
use faktura::invoice::{self, Mode};
use faktura::period::Period;
use faktura::review::{self, Revenue};

fn october() -> Period {
    Period::parse("2026-10").unwrap()
}

/// C1 (V1: remote covered, 2 h, 10 %): 90 + 60 min of remote work, the
/// second entry crossing the quota (30 min K7, approved by a1); C2 (no
/// contract): two K8 entries without approval, held; C3 (V3, unlimited).
const LOG: &str = "\
x1,2026-10-06,10:00,11:30,Anna,C1,,remote,ours,fix,,,Server neu gestartet
x2,2026-10-07,09:00,10:00,Anna,C1,,remote,ours,support,a1,,Drucker <b>eingerichtet</b>
x3,2026-10-08,09:00,09:20,Ben,C2,,phone,ours,support,,,Frage zu Outlook
x4,2026-10-09,09:00,10:00,Ben,C2,,remote,ours,fix,,,Backup repariert
x5,2026-10-12,14:00,15:00,Ben,C3,,remote,ours,fix,,,Update
";

fn page_of(t: &Texts) -> review::Page {
    let (ds, parts) = decide_texts(t);
    let mode = Mode {
        issue: false,
        date: None,
    };
    let run = invoice::monthly_run(&ds, &parts, october(), &Default::default(), &mode);
    let files = faktura::render::Memory::default();
    let done = faktura::render::run_files(&ds, &run, &|| {}, &files, None);
    review::of_run(
        &ds,
        &done.invoices,
        &done.revenue,
        run.charges.parts(),
        &run.warnings,
        october(),
        false,
    )
}

#[test]
fn r5_contract_hours_covered_overage_and_over_quota_first() {
    let page = page_of(&Texts::with("", LOG));
    let quotas = page.quotas.expect("a month run has contract hours");
    let ids: Vec<&str> = quotas.iter().map(|q| q.contract_id.as_str()).collect();
    assert_eq!(ids, ["V1", "V3"], "over quota first, then by id");
    assert_eq!(
        (quotas[0].covered_minutes, quotas[0].over_minutes),
        (120, 30)
    );
    assert_eq!(quotas[0].included_minutes, Some(120));
    assert!(quotas[0].over());
    assert_eq!((quotas[1].covered_minutes, quotas[1].over_minutes), (60, 0));
    assert_eq!(quotas[1].included_minutes, None, "unlimited (F5)");
    assert!(!quotas[1].over());
}

#[test]
fn r5_revenue_by_rule_adds_up_to_the_net_total() {
    let page = page_of(&Texts::with("", LOG));
    let get = |r: Revenue| page.revenue.iter().find(|(x, _)| *x == r).unwrap().1;
    // V1 150.00 + V3 300.00; x2's 30 min K7 at 100.00 less 10 % = 45.00.
    assert_eq!(get(Revenue::Fees).to_string(), "450.00");
    assert_eq!(get(Revenue::K7).to_string(), "45.00");
    assert!(get(Revenue::K8).is_zero(), "K8 work is held, not billed");
    let sum: rust_decimal::Decimal = page.revenue.iter().map(|(_, d)| *d).sum();
    let net: rust_decimal::Decimal = page.invoices.iter().map(|i| i.net).sum();
    assert_eq!(sum, net);
    assert_eq!(page.revenue.len(), 8, "every category, zero or not");
}

#[test]
fn r5_r6_held_work_by_customer_and_reason_with_explains_decision() {
    let t = Texts::with("", LOG);
    let page = page_of(&t);
    assert_eq!(page.held.len(), 1);
    let c2 = &page.held[0];
    assert_eq!(
        (c2.customer_id.as_str(), c2.customer_name.as_str()),
        ("C2", "Kunde Zwei KG")
    );
    assert_eq!(c2.reasons.len(), 1);
    let g = &c2.reasons[0];
    assert_eq!(
        (g.reason, g.count, g.minutes),
        (HeldReason::NoApproval, 2, 80)
    );
    let ids: Vec<&str> = g.entries.iter().map(|e| e.entry_id.as_str()).collect();
    assert_eq!(ids, ["x3", "x4"]);
    // The decision is explain's own sentences, the rules passed over left out.
    let (ds, parts) = decide_texts(&t);
    let i = ds.entries.iter().position(|e| e.id() == "x4").unwrap();
    let story = faktura::explain::explain(&ds, &parts, i, "rates.csv", "surcharges.csv");
    let d = &g.entries[1].decision;
    assert_eq!(d.len(), 2, "{d:?}");
    // The page speaks the company's language (German here) ...
    assert!(
        d[0].starts_with("K8 trifft zu: kein Wartungsvertrag von C2")
            && d[1].starts_with("A2 Teil 1: zurückgehalten, keine Freigabe"),
        "{d:?}"
    );
    // ... and says what explain says, rule by rule: the same ids in the
    // same order as explain's matched lines, which are the English ones.
    let mine: Vec<&faktura::decide::Part> = parts.iter().filter(|p| p.entry == i).collect();
    let en = faktura::explain::decision(&ds, &ds.entries[i], &mine, faktura::model::Language::En);
    assert!(en[0].starts_with("K8 matches") && en[1].starts_with("A2 part 1: held, no-approval"));
    let id = |l: &String| l.split(' ').next().unwrap().to_string();
    assert_eq!(
        d.iter().map(id).collect::<Vec<_>>(),
        en.iter().map(id).collect::<Vec<_>>()
    );
    for line in &en {
        assert!(story.contains(line.as_str()), "{line:?} is not explain's");
    }
    assert!(
        story.contains("K5, K6, K7 no:"),
        "explain keeps the rules passed over"
    );
}

#[test]
fn r8_a_long_held_list_is_shortened_but_every_group_keeps_its_count() {
    // 1,100 held K8 entries of C2 (no approval), ten minutes each.
    let mut log = String::new();
    for i in 0..1100u32 {
        let day = 1 + i / 40;
        let minute = 8 * 60 + (i % 40) * 15;
        log.push_str(&format!(
            "h{i:04},2026-10-{day:02},{:02}:{:02},{:02}:{:02},Ben,C2,,phone,ours,support,,,Frage {i}\n",
            minute / 60,
            minute % 60,
            (minute + 10) / 60,
            (minute + 10) % 60
        ));
    }
    let (ds, parts) = decide_texts(&Texts::with("", &log));
    let held = review::held(&ds, parts.iter());
    let g = &held[0].reasons[0];
    assert_eq!(g.count, 1100);
    assert_eq!(g.minutes, 11000);
    assert_eq!(g.entries.len(), review::HELD_LISTED);
    let html = String::from_utf8(faktura::render::review::html(&review::Page {
        held,
        ..review::Page::new(
            &ds,
            review::Kind::Run {
                period: october(),
                issued: false,
            },
        )
    }))
    .unwrap();
    assert!(
        html.contains("100 weitere Einträge in held.csv"),
        "the rest is named"
    );
    assert!(html.contains("h0999") && !html.contains("h1000"));
}

#[test]
fn r3_r7_labels_follow_the_language_and_input_text_is_escaped() {
    let t = Texts::with("", LOG);
    let mut page = page_of(&t);
    // x2's description holds markup; put it on a held entry's place.
    page.held[0].reasons[0].entries[0].description = "Drucker <b>eingerichtet</b> & Co".into();
    let de = String::from_utf8(faktura::render::review::html(&page)).unwrap();
    assert!(de.contains("<html lang=\"de\">") && de.contains("Zurückgehaltene Arbeit"));
    assert!(de.contains("Keine Freigabe") && de.contains("Über Kontingent"));
    assert!(de.contains("Drucker &lt;b&gt;eingerichtet&lt;/b&gt; &amp; Co"));
    assert!(!de.contains("<b>"));
    page.language = faktura::model::Language::En;
    let en = String::from_utf8(faktura::render::review::html(&page)).unwrap();
    assert!(en.contains("<html lang=\"en\">") && en.contains("Held work"));
    assert!(en.contains("No approval") && en.contains("Over quota"));
    assert!(!en.contains("Zurückgehalten"));
}

#[test]
fn r1_another_command_adds_its_page_with_a_section() {
    let (ds, _) = decide_texts(&Texts::with("", LOG));
    let mut page = review::Page::new(
        &ds,
        review::Kind::Other {
            de: "Zahlungseingänge 2026-11".into(),
            en: "Payments 2026-11".into(),
        },
    );
    page.sections.push(review::Section {
        id: "payments".into(),
        title_de: "Zahlungen".into(),
        title_en: "Payments".into(),
        head: vec!["Rechnung".into(), "Betrag".into(), "Beleg".into()],
        rows: vec![vec![
            review::Cell::Text("RE-2026-00001 <x>".into()),
            review::Cell::Money("1234.5".parse().unwrap()),
            review::Cell::File("Auszug".into(), "camt.xml".into()),
        ]],
        attention: true,
        sum: None,
    });
    page.files = vec!["payments.csv".into()];
    let html = String::from_utf8(faktura::render::review::html(&page)).unwrap();
    assert!(html.contains("<title>Zahlungseingänge 2026-11 – Bergmann IT-Service GmbH</title>"));
    assert!(html.contains("<section id=\"payments\">"));
    assert!(html.contains("RE-2026-00001 &lt;x&gt;"));
    assert!(html.contains(">1.234,50</td>"));
    assert!(html.contains("<a href=\"camt.xml\">Auszug</a>"));
    assert!(html.contains("<a href=\"payments.csv\">payments.csv</a>"));
    assert!(!html.contains("id=\"quota\"") && !html.contains("id=\"held\""));
    assert!(
        !html.contains("id=\"invoices\"") && !html.contains("href=\"#invoices\""),
        "no invoices, no invoice section"
    );
    assert!(
        html.contains("<a class=\"card warn\" href=\"#payments\">"),
        "the section's card"
    );
}

#[test]
fn r5_every_warning_is_on_the_page_staff_overlaps_and_f18() {
    let tmp = tempfile::tempdir().unwrap();
    // A staff overlap (a validation warning).
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/invalid/staff-overlap-warning")
        .display()
        .to_string();
    let out = tmp.path().join("overlap");
    run_month(&fixture, &out);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        html.contains("<li>timelog.csv:7: start: warning: entry 'e6' of Jonas Huber starts at 2026-10-09 15:30"),
        "{html}"
    );
    assert_eq!(warnings_on(&html), (1, 1));
    let v = faktura(&["verify", "--data", &fixture, "--out", out.to_str().unwrap()]);
    assert!(v.status.success(), "{}", text(&v));

    // F18: October issued, then the phone rate corrected; the next run's
    // page names the issued invoice that now prices differently.
    let data = demo_copy(tmp.path(), true);
    let d = data.to_str().unwrap();
    let o = faktura(&[
        "run",
        "--data",
        d,
        "--period",
        "2026-10",
        "--out",
        tmp.path().join("oct").to_str().unwrap(),
        "--issue",
        "--date",
        "2026-11-02",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let rates = data.join("rates/rates.csv");
    let card = std::fs::read_to_string(&rates).unwrap();
    std::fs::write(
        &rates,
        card.replace(
            "phone,Telefon-Support,hour,95.00,",
            "phone,Telefon-Support,hour,90.00,",
        ),
    )
    .unwrap();
    let again = tmp.path().join("again");
    run_month(d, &again);
    let html = std::fs::read_to_string(again.join("index.html")).unwrap();
    let f18 = html.matches("faktura cancel --invoice RE-2026-").count();
    assert!(f18 > 0, "no F18 warning on the page");
    assert_eq!(warnings_on(&html), (f18, f18));
}

/// (the warnings card's number, the lines of the warnings list).
fn warnings_on(html: &str) -> (usize, usize) {
    let card = &html[html.find("href=\"#warnings\"").unwrap()..];
    let n = card["<span class=\"n\">".len() + card.find("<span class=\"n\">").unwrap()..]
        .split('<')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let list = html.split("<ul class=\"warnings\">").nth(1).map_or(0, |l| {
        l.split("</ul>").next().unwrap().matches("<li>").count()
    });
    (n, list)
}

// ---------------------------------------------------------------------------
// The pages of payments, remind and estimate (R9)
// ---------------------------------------------------------------------------

/// A copy of a fixture folder at `to/fixtures/<name>`, with the shared
/// `rates/` beside it where its company.toml looks (`../../rates`).
fn fixture_copy(name: &str, to: &Path) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for (from, dest) in [
        (
            root.join("fixtures").join(name),
            to.join("fixtures").join(name),
        ),
        (root.join("rates"), to.join("rates")),
    ] {
        for e in walk(&from) {
            let target = dest.join(e.strip_prefix(&from).unwrap());
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(&e, &target).unwrap();
        }
    }
    to.join("fixtures").join(name)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// R9: the folder's page is self-contained, in the manifest, verified
/// clean, and in Chromium its DOM holds every id of `ids`; a screenshot
/// 1280 wide is not blank (kept where `FAKTURA_SHOTS` points, to look at).
fn check_page(data: &Path, out: &Path, ids: &[String], name: &str) {
    assert!(!ids.is_empty(), "{name}: nothing to look for");
    let html = self_contained(out);
    for id in ids {
        assert!(
            html.contains(id.as_str()),
            "{name}: {id} is not on the page"
        );
    }
    let manifest = std::fs::read_to_string(out.join("MANIFEST.csv")).unwrap();
    assert!(manifest.contains("output,index.html,"), "{manifest}");
    let v = faktura(&[
        "verify",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(v.status.success(), "{name}: {}", text(&v));
    assert!(!text(&v).contains("index.html"), "{name}: {}", text(&v));
    let Some(chromium) = Chromium::find() else {
        return;
    };
    let dom = chromium.dom(&out.join("index.html"));
    for id in ids {
        assert!(dom.contains(id.as_str()), "{name}: {id} is not in the DOM");
    }
    let png = match std::env::var_os("FAKTURA_SHOTS") {
        Some(d) => PathBuf::from(d).join(format!("{name}.png")),
        None => out.parent().unwrap().join(format!("{name}.png")),
    };
    let requests = chromium.screenshot(&out.join("index.html"), 1280, &png);
    assert!(
        requests.is_empty(),
        "{name}: requests left the folder: {requests:?}"
    );
    let (n, share, w) = colours(&png);
    assert_eq!(w, 1280);
    assert!(
        n >= 50 && share > 0.05,
        "{name}: a blank page? {n} colours, {share:.3}"
    );
}

#[test]
fn r9_the_payments_folder_has_its_page_with_overdue_and_unmatched_first() {
    let tmp = tempfile::tempdir().unwrap();
    let data = fixture_copy("payments", tmp.path());
    // Without the cash of manual.csv RE-2026-00002 stays open past its due day.
    std::fs::remove_file(data.join("payments/manual.csv")).unwrap();
    let out = tmp.path().join("pay");
    let o = faktura(&[
        "payments",
        "--data",
        data.to_str().unwrap(),
        "--as-of",
        "2026-11-30",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let rows = |file: &str, col: &str| column(&out.join(file), col);
    let statuses = rows("open_items.csv", "status");
    let overdue: Vec<String> = rows("open_items.csv", "invoice_no")
        .into_iter()
        .zip(&statuses)
        .filter(|(_, s)| s.as_str() == "overdue")
        .map(|(n, _)| n)
        .collect();
    assert_eq!(overdue, ["RE-2026-00002"]);
    let unmatched = rows("unmatched.csv", "payment_id");
    assert_eq!(unmatched.len(), 1);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    // The clerk's work first: overdue, then unmatched, marked.
    let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(at("id=\"overdue\"") < at("id=\"unmatched\""));
    assert!(at("id=\"unmatched\"") < at("id=\"payments\""));
    assert!(
        html.contains("class=\"card warn\" href=\"#overdue\""),
        "{html}"
    );
    assert!(html.contains("class=\"card warn\" href=\"#unmatched\""));
    let mut ids = overdue;
    ids.extend(unmatched);
    ids.extend(rows("payments.csv", "payment_id"));
    check_page(&data, &out, &ids, "payments");
}

#[test]
fn r9_the_remind_folder_has_its_page_with_every_letter_and_its_pdf() {
    let tmp = tempfile::tempdir().unwrap();
    let data = fixture_copy("payments", tmp.path());
    std::fs::remove_dir_all(data.join("payments")).unwrap();
    let out = tmp.path().join("rem");
    let o = faktura(&[
        "remind",
        "--data",
        data.to_str().unwrap(),
        "--date",
        "2026-11-30",
        "--out",
        out.to_str().unwrap(),
        "--issue",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let letters = column(&out.join("reminders.csv"), "letter_no");
    assert!(!letters.is_empty());
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    for l in &letters {
        assert!(
            html.contains(&format!("href=\"{l}.pdf\"")),
            "no link to {l}.pdf"
        );
    }
    let mut ids = letters;
    ids.extend(column(&out.join("reminders.csv"), "invoice_no"));
    check_page(&data, &out, &ids, "remind");
}

#[test]
fn r9_the_estimate_folder_has_its_page_with_each_customers_notice() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("est");
    let plan = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo-plan/plan.csv");
    let o = faktura(&[
        "estimate",
        "--data",
        &demo(),
        "--plan",
        plan.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let mut customers = column(&out.join("estimate.csv"), "customer_id");
    customers.sort();
    customers.dedup();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    for c in &customers {
        assert!(
            html.contains(&format!("href=\"estimate-{c}.pdf\"")),
            "no notice of {c}"
        );
    }
    let mut ids = customers;
    ids.extend(column(&out.join("approvals-proposed.csv"), "approval_id"));
    check_page(Path::new(&demo()), &out, &ids, "estimate");
}

#[test]
fn r7_r9_an_english_company_gets_english_payments_remind_and_estimate_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let data = fixture_copy("payments", tmp.path());
    let toml = std::fs::read_to_string(data.join("company.toml")).unwrap();
    std::fs::write(
        data.join("company.toml"),
        format!("{toml}language = \"en\"\n"),
    )
    .unwrap();
    let d = data.to_str().unwrap();
    let page = |args: &[&str], out: &str| {
        let out = tmp.path().join(out);
        let mut all = args.to_vec();
        all.extend(["--data", d, "--out", out.to_str().unwrap()]);
        let o = faktura(&all);
        assert!(o.status.success(), "{}", text(&o));
        std::fs::read_to_string(out.join("index.html")).unwrap()
    };
    let pay = page(&["payments", "--as-of", "2026-11-30"], "pay");
    assert!(pay.contains("<html lang=\"en\">"));
    for s in [
        "Payments as of 30 Nov 2026",
        "Matched payments",
        "Customer credits",
        "383.18",
    ] {
        assert!(pay.contains(s), "payments: {s} missing");
    }
    std::fs::remove_dir_all(data.join("payments")).unwrap();
    let rem = page(&["remind", "--date", "2026-11-30"], "rem");
    for s in [
        "Reminders (draft) of 30 Nov 2026",
        "Invoices on the letters",
        "Pay by",
    ] {
        assert!(rem.contains(s), "remind: {s} missing");
    }
    let plan = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo-plan/plan.csv");
    let demo_en = demo_copy(tmp.path(), false);
    let toml = std::fs::read_to_string(demo_en.join("company.toml")).unwrap();
    std::fs::write(
        demo_en.join("company.toml"),
        format!("{toml}language = \"en\"\n"),
    )
    .unwrap();
    let out = tmp.path().join("est");
    let o = faktura(&[
        "estimate",
        "--data",
        demo_en.to_str().unwrap(),
        "--plan",
        plan.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let est = std::fs::read_to_string(out.join("index.html")).unwrap();
    for s in [
        "Estimate of 1 Dec 2026",
        "Proposed approval",
        "none (all free)",
        "Chargeable",
    ] {
        assert!(est.contains(s), "estimate: {s} missing");
    }
}
