//! The repository stands on its own: the rule book `docs/RULES.md` has its
//! ten sections and every rule id, the links between the docs land on an
//! anchor that exists, and nothing points at a rule file outside the
//! repository (a clone has no folder beside it).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

/// Every text file below `dir` (relative to the root), sorted.
fn files(dir: &str, out: &mut Vec<PathBuf>) {
    let path = root().join(dir);
    if path.is_file() {
        out.push(path);
        return;
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("cannot list {dir}: {e}"))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        let rel = p
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if p.is_dir() {
            files(&rel, out);
        } else if std::fs::read_to_string(&p).is_ok() {
            out.push(p);
        }
    }
}

/// The anchors of a markdown file: `<a id="...">` and the GitHub slug of
/// every heading.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        if let Some(h) = line.strip_prefix('#') {
            let title = h.trim_start_matches('#').trim();
            let slug: String = title
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '-' || *c == ' ' || *c == '_')
                .map(|c| if c == ' ' { '-' } else { c })
                .collect();
            out.insert(slug);
        }
        let mut rest = line;
        while let Some(at) = rest.find("<a id=\"") {
            rest = &rest[at + 7..];
            if let Some(end) = rest.find('"') {
                out.insert(rest[..end].to_string());
            }
        }
    }
    out
}

/// The links `](target#anchor)` of a markdown text.
fn links(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find(')') else { break };
        let target = &rest[..end];
        if let Some((file, anchor)) = target.split_once('#') {
            out.push((file.to_string(), anchor.to_string()));
        }
    }
    out
}

#[test]
fn the_rule_book_has_its_ten_sections_and_every_rule_id() {
    let rules = read("docs/RULES.md");
    for n in 1..=10 {
        assert!(
            rules.lines().any(|l| l.starts_with(&format!("## {n}. "))),
            "docs/RULES.md has no section \"## {n}. ...\" (RULES {n} must work as a reference)"
        );
    }
    let mut ids: Vec<String> = Vec::new();
    ids.extend((1..=6).map(|i| format!("**P{i} ")));
    ids.extend((1..=8).map(|i| format!("| K{i} |")));
    ids.extend((1..=3).map(|i| format!("| A{i} |")));
    ids.extend((1..=18).map(|i| format!("<a id=\"f{i}\"></a>**F{i} ")));
    let missing: Vec<&String> = ids
        .iter()
        .filter(|id| !rules.contains(id.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/RULES.md does not define {missing:?}"
    );
}

#[test]
fn every_decision_has_an_anchor_and_every_link_between_the_docs_lands() {
    let decisions = read("docs/DECISIONS.md");
    for line in decisions.lines().filter(|l| l.starts_with("- ")) {
        if line.contains("**D") {
            assert!(
                line.starts_with("- <a id=\"d"),
                "a decision without its anchor: {line}"
            );
        }
    }
    let mut failures = Vec::new();
    let mut checked = 0;
    for doc in ["README.md", "ARCHITECTURE.md", "docs"] {
        let mut found = Vec::new();
        files(doc, &mut found);
        for path in found
            .iter()
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
        {
            let text = std::fs::read_to_string(path).unwrap();
            for (file, anchor) in links(&text) {
                if file.contains("://") {
                    continue;
                }
                let target = if file.is_empty() {
                    path.clone()
                } else {
                    path.parent().unwrap().join(&file)
                };
                checked += 1;
                match std::fs::read_to_string(&target) {
                    Err(_) => failures.push(format!("{}: link to missing {file}", path.display())),
                    Ok(t) if !anchors(&t).contains(&anchor) => failures.push(format!(
                        "{}: link to {file}#{anchor}, which has no such anchor",
                        path.display()
                    )),
                    Ok(_) => {}
                }
            }
        }
    }
    assert!(checked >= 30, "only {checked} links checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn nothing_points_outside_the_repository_for_the_rules() {
    // Spelled in pieces so that this file does not find itself.
    let outside = ["shared", "/"].concat();
    let spec = ["SP", "EC"].concat();
    let mut found = Vec::new();
    for dir in [
        "README.md",
        "ARCHITECTURE.md",
        "docs",
        "src",
        "tests",
        "scripts",
        "fixtures",
        "rates",
        ".ci",
        "Cargo.toml",
    ] {
        files(dir, &mut found);
    }
    let mut failures = Vec::new();
    for path in &found {
        let text = std::fs::read_to_string(path).unwrap();
        for (i, line) in text.lines().enumerate() {
            let words: Vec<&str> = line.split(|c: char| !c.is_alphanumeric()).collect();
            let names_spec = words
                .windows(2)
                .any(|w| w[0] == spec && (w[1] == "md" || w[1] == "section" || w[1] == "sections"))
                || words
                    .windows(2)
                    .any(|w| w[0] == spec && w[1].starts_with(|c: char| c.is_ascii_digit()));
            if line.contains(&outside) || names_spec {
                failures.push(format!(
                    "{}:{}: {}",
                    path.strip_prefix(root())
                        .unwrap_or(Path::new("?"))
                        .display(),
                    i + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "pointers outside the repository (cite docs/RULES.md, \"RULES 7\", instead):\n{}",
        failures.join("\n")
    );
}
