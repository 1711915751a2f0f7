//! The floors of ARCHITECTURE.md: no import circle between faktura's
//! modules. The test reads every `src/**/*.rs`, collects the `crate::...`
//! paths (in `use` lines and in code) and the `super::...` paths of the
//! render submodules, builds the graph of modules (each top-level module a
//! node; `render::cii`, `render::csv`, `render::facturx`, `render::pdf`
//! nodes of their own beside `render`) and fails naming the first circle it
//! finds. `cmd` (the commands), `bin`, `main.rs` and `lib.rs` are the top
//! floor: they may use anything and nothing may use them, so they are left
//! out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The render submodules that are nodes of their own.
const RENDER_SUBS: &[&str] = &["cii", "csv", "facturx", "font", "pdf", "pdf_file"];

/// The node of a source file, `None` for the top floor.
fn node_of(rel: &Path) -> Option<String> {
    let parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    match parts.as_slice() {
        [top, ..] if top == "cmd" || top == "bin" || top == "main" || top == "lib" => None,
        [render, sub] if render == "render" => Some(if sub == "mod" {
            "render".to_string()
        } else {
            format!("render::{sub}")
        }),
        [one] => Some(one.clone()),
        [first, ..] => Some(first.clone()),
        [] => None,
    }
}

/// The node a path below `crate::` names: its first segment, or
/// `render::<sub>` for a render submodule. Items of the crate root
/// (`crate::Files`, `crate::month_end`: the pipeline in `lib.rs`) and the
/// commands are the top floor, no node.
fn node_of_path(segments: &[&str], modules: &BTreeSet<String>) -> Option<String> {
    let first = *segments.first()?;
    if first == "render" {
        if let Some(sub) = segments.get(1).filter(|s| RENDER_SUBS.contains(s)) {
            return Some(format!("render::{sub}"));
        }
    }
    if first == "cmd" || first == "bin" || !modules.contains(first) {
        return None;
    }
    Some(first.to_string())
}

/// The crate's modules: the files and folders directly in `src`.
fn modules_of(src: &Path) -> BTreeSet<String> {
    std::fs::read_dir(src)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", src.display()))
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|x| x == "rs"))
        .filter_map(|p| Some(p.file_stem()?.to_string_lossy().into_owned()))
        .filter(|m| m != "lib" && m != "main")
        .collect()
}

/// Code without its comments (whole-line and trailing `//` comments), so
/// that a doc link to `crate::x` is no dependency.
fn code_only(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        // A trailing comment starts at ` //` outside a string (good enough
        // for this code base: no string holds " //").
        let code = match line.find(" //") {
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        };
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// The use trees after `crate::` (or `super::`) at `rest`: every path as
/// segments, with nested groups (`crate::{a, render::{csv, pdf}}`) expanded.
fn paths_at(rest: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    tree(rest, Vec::new(), &mut out);
    out
}

fn tree(s: &str, prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let s_trim = s.trim_start();
    let skipped = s.len() - s_trim.len();
    if let Some(inner) = s_trim.strip_prefix('{') {
        // A group: items split at commas, until the matching brace.
        let mut i = 0;
        loop {
            let rest = &inner[i..];
            let r = rest.trim_start();
            i += rest.len() - r.len();
            if r.starts_with('}') {
                return skipped + 1 + i + 1;
            }
            if r.is_empty() {
                return skipped + 1 + i;
            }
            i += tree(r, prefix.clone(), out);
            let r = inner[i..].trim_start();
            let ws = inner[i..].len() - r.len();
            if r.starts_with(',') {
                i += ws + 1;
            } else if r.starts_with('}') {
                i += ws;
            } else {
                return skipped + 1 + i;
            }
        }
    }
    // A segment: an identifier, then `::` and more, or the end of the path.
    let len = s_trim
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s_trim.len());
    let mut path = prefix;
    if len > 0 {
        path.push(s_trim[..len].to_string());
    }
    let after = &s_trim[len..];
    if let Some(next) = after.strip_prefix("::") {
        return skipped + len + 2 + tree(next, path, out);
    }
    if !path.is_empty() {
        out.push(path);
    }
    skipped + len
}

/// The module graph of the source tree at `src`.
fn graph_of(src: &Path) -> Graph {
    let mut graph = Graph::new();
    let modules = modules_of(src);
    let mut files = Vec::new();
    collect(src, &mut files);
    for file in files {
        let rel = file.strip_prefix(src).expect("below src");
        let Some(node) = node_of(rel) else { continue };
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let edges = graph.entry(node.clone()).or_default();
        edges.extend(edges_of(&node, &code_only(&text), &modules));
        edges.remove(&node);
    }
    graph
}

/// The modules a node's code names (with repeats).
fn edges_of(node: &str, code: &str, modules: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    let in_render_sub = node.starts_with("render::");
    for (key, is_super) in [("crate::", false), ("super::", true)] {
        let mut from = 0;
        while let Some(at) = code[from..].find(key) {
            let start = from + at;
            from = start + key.len();
            // `crate::` inside a longer identifier (`foocrate::`) is no path.
            if code[..start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
            {
                continue;
            }
            let mut nodes = Vec::new();
            for path in paths_at(&code[from..]) {
                let segs: Vec<&str> = path.iter().map(String::as_str).collect();
                let target = if is_super {
                    if !in_render_sub {
                        continue; // `super::` in tests means the module itself
                    }
                    match segs.first() {
                        Some(s) if RENDER_SUBS.contains(s) => Some(format!("render::{s}")),
                        _ => Some("render".to_string()),
                    }
                } else {
                    node_of_path(&segs, modules)
                };
                nodes.extend(target);
            }
            found.extend(nodes);
        }
    }
    // `render/mod.rs` uses its submodules by their short names.
    if node == "render" {
        for sub in RENDER_SUBS {
            if code.contains(&format!("{sub}::")) {
                found.push(format!("render::{sub}"));
            }
        }
    }
    found
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("a folder entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, files);
        } else if p.extension().is_some_and(|x| x == "rs") {
            files.push(p);
        }
    }
}

/// The first circle of the graph (depth first, nodes in name order), as
/// its nodes with the first repeated at the end.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        n: &str,
        graph: &Graph,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(n) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let from = stack.iter().position(|s| s == n).expect("open is stacked");
                let mut cycle = stack[from..].to_vec();
                cycle.push(n.to_string());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(n.to_string(), Mark::Open);
        stack.push(n.to_string());
        for m in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, graph, marks, stack) {
                return Some(c);
            }
        }
        stack.pop();
        marks.insert(n.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for n in graph.keys() {
        let mut stack = Vec::new();
        if let Some(c) = visit(n, graph, &mut marks, &mut stack) {
            return Some(c);
        }
    }
    None
}

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_import_circle_between_modules() {
    let graph = graph_of(&src());
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "import circle: {} (a lower module must not import a higher one; see the floors in ARCHITECTURE.md)",
            cycle.join(" -> ")
        );
    }
}

/// The parser sees the real edges (a graph without edges has no circle
/// either, so this keeps the test above honest).
#[test]
fn the_graph_has_the_known_edges() {
    let graph = graph_of(&src());
    let has = |a: &str, b: &str| graph.get(a).is_some_and(|e| e.contains(b));
    for (a, b) in [
        ("invoice", "ledger"),
        ("ledger", "csvout"),
        ("manifest", "csvout"),
        ("render::csv", "csvout"),
        ("render::csv", "money"),
        ("render::cii", "invoice"),
        ("render", "render::pdf"),
        ("decide", "price"),
        ("price", "money"),
        ("validate", "table"),
        ("verify", "manifest"),
    ] {
        assert!(has(a, b), "expected an edge {a} -> {b}; graph: {graph:?}");
    }
    for top in ["cmd", "bin", "main", "lib", "month_end", "Files"] {
        assert!(
            !graph.contains_key(top),
            "{top} is the top floor, not a node"
        );
    }
    // The ground floor calls nothing of faktura.
    for ground in ["money", "csvout", "diagnostic", "period"] {
        assert!(
            graph.get(ground).is_none_or(BTreeSet::is_empty),
            "{ground} is on the ground floor but uses {:?}",
            graph[ground]
        );
    }
}

#[test]
fn use_trees_are_expanded() {
    let paths = paths_at("{a, render::{csv::writer, pdf}, b::C};\nfn x() {}");
    let got: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(got, ["a", "render::csv::writer", "render::pdf", "b::C"]);
    let code = code_only(
        "use crate::x::Y; // crate::z\n/// [`crate::w`]\nlet a = crate::v::f();\ncrate::month_end(1);\n",
    );
    let modules: BTreeSet<String> = ["x", "v", "z", "w"].map(String::from).into();
    let edges = edges_of("m", &code, &modules);
    assert_eq!(edges, ["x", "v"]);
}

#[test]
fn a_circle_is_found_and_named() {
    let mut g = Graph::new();
    let mut edge = |a: &str, b: &str| {
        g.entry(a.to_string()).or_default().insert(b.to_string());
    };
    edge("ledger", "render::csv");
    edge("render::csv", "invoice");
    edge("invoice", "ledger");
    edge("invoice", "money");
    let cycle = find_cycle(&g).expect("the circle is found");
    assert_eq!(
        cycle.join(" -> "),
        "invoice -> ledger -> render::csv -> invoice"
    );
    g.get_mut("invoice").unwrap().remove("ledger");
    assert_eq!(find_cycle(&g), None);
}
