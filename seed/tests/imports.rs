//! The files of `seed/src` form a layered graph: no file imports, directly or through
//! others, a file that imports it. An edge A -> B is any path in A's code (a `use`, or
//! a qualified name like `super::types::Prim`) that names B's module or an item of it;
//! `mod` declarations are not edges. `World`'s methods are spread over the files of
//! `vm/` and call each other through `self`, which is no import: that recursion is the
//! evaluator's, and `vm/mod.rs` lists the files in layer order.
//!
//! On failure the test prints the cycle, e.g. `vm/<a>.rs -> vm/<b>.rs -> vm/<a>.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A source file and its module path below the crate root (`["vm", "calls"]`).
struct SourceFile {
    rel: String,
    module: Vec<String>,
    code: String,
}

fn collect(dir: &Path, root: &Path, out: &mut Vec<SourceFile>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, root, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        if rel == "main.rs" {
            continue; // the binary crate: it may use anything of the library
        }
        let mut module: Vec<String> = rel.trim_end_matches(".rs").split('/').map(String::from).collect();
        if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
            module.pop();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // Unit tests sit at the bottom of their file (docs/style.md §6); their imports are not the file's.
        let text = text.split("#[cfg(test)]").next().unwrap_or("");
        out.push(SourceFile { rel, module, code: strip_comments_and_strings(&text) });
    }
}

/// The code without `//` comments and string literals, so prose that names a path is not an edge.
fn strip_comments_and_strings(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut in_str = false;
        let mut prev = ' ';
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if in_str {
                if c == '"' && prev != '\\' {
                    in_str = false;
                }
                prev = if prev == '\\' && c == '\\' { ' ' } else { c };
                continue;
            }
            if c == '/' && chars.peek() == Some(&'/') {
                break;
            }
            if c == '"' {
                in_str = true;
                prev = ' ';
                continue;
            }
            out.push(c);
        }
        out.push('\n');
    }
    out
}

/// Every path in `code` as its segments, with `use a::{b, c::d}` groups expanded one level.
fn paths(code: &str) -> Vec<Vec<String>> {
    let bytes: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = (bytes[i].is_ascii_alphabetic() || bytes[i] == '_')
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == '_' || bytes[i - 1] == ':'));
        if !starts_word {
            i += 1;
            continue;
        }
        let mut segments = Vec::new();
        let mut j = i;
        loop {
            let start = j;
            while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == '_') {
                j += 1;
            }
            if j == start {
                break;
            }
            segments.push(bytes[start..j].iter().collect::<String>());
            if j + 2 < bytes.len() && bytes[j] == ':' && bytes[j + 1] == ':' {
                j += 2;
                if bytes[j] == '{' {
                    let close = (j..bytes.len()).find(|&k| bytes[k] == '}').unwrap_or(bytes.len());
                    let group: String = bytes[j + 1..close].iter().collect();
                    for item in group.split(',') {
                        let first: String = item.trim().split("::").next().unwrap_or("").to_string();
                        if !first.is_empty() {
                            let mut p = segments.clone();
                            p.push(first.split_whitespace().next().unwrap().to_string());
                            found.push(p);
                        }
                    }
                    segments.clear();
                    j = close;
                    break;
                }
                continue;
            }
            break;
        }
        if segments.len() > 1 {
            found.push(segments);
        }
        i = j.max(i + 1);
    }
    found
}

#[test]
fn seed_files_import_no_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    let by_module: BTreeMap<Vec<String>, usize> =
        files.iter().enumerate().map(|(i, f)| (f.module.clone(), i)).collect();
    let mut edges: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); files.len()];
    for (idx, file) in files.iter().enumerate() {
        // The module a path is relative to: a `mod.rs` or `lib.rs` file is its own module's parent
        // for `super`, and its children are named without a prefix.
        let is_dir_module = file.rel.ends_with("mod.rs") || file.rel == "lib.rs";
        for path in paths(&file.code) {
            let mut base: Vec<String> = match path[0].as_str() {
                "crate" => vec![],
                "super" => file.module[..file.module.len().saturating_sub(1)].to_vec(),
                "self" => file.module.clone(),
                _ if is_dir_module => file.module.clone(),
                _ => continue,
            };
            let rest = if matches!(path[0].as_str(), "crate" | "super" | "self") { &path[1..] } else { &path[..] };
            let mut target = by_module.get(&base).copied();
            for seg in rest {
                base.push(seg.clone());
                match by_module.get(&base) {
                    Some(&t) => target = Some(t),
                    None => break,
                }
            }
            if let Some(t) = target.filter(|&t| t != idx) {
                edges[idx].insert(t);
            }
        }
    }
    if let Some(cycle) = find_cycle(&edges) {
        let names: Vec<&str> = cycle.iter().map(|&i| files[i].rel.as_str()).collect();
        panic!("import cycle between seed/src files: {}", names.join(" -> "));
    }
}

/// A cycle in the graph, as a path that ends where it starts.
fn find_cycle(edges: &[BTreeSet<usize>]) -> Option<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(n: usize, edges: &[BTreeSet<usize>], mark: &mut [Mark], stack: &mut Vec<usize>) -> Option<Vec<usize>> {
        mark[n] = Mark::Open;
        stack.push(n);
        for &m in &edges[n] {
            if mark[m] == Mark::Open {
                let from = stack.iter().position(|&s| s == m).unwrap();
                let mut cycle = stack[from..].to_vec();
                cycle.push(m);
                return Some(cycle);
            }
            if mark[m] == Mark::New {
                if let Some(c) = visit(m, edges, mark, stack) {
                    return Some(c);
                }
            }
        }
        stack.pop();
        mark[n] = Mark::Done;
        None
    }
    let mut mark = vec![Mark::New; edges.len()];
    for n in 0..edges.len() {
        if mark[n] == Mark::New {
            if let Some(c) = visit(n, edges, &mut mark, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}
