//! Tidy: every file a comment names exists in the repository. Comments cite the spec
//! (`docs/spec/LANGUAGE.md §17`), other docs, and source files (`vm/inline.rs`); a rename
//! or a deletion that leaves a comment pointing at nothing fails here.
//!
//! What counts as a citation: a word ending in `.md`, `.rs`, `.spy`, `.c`, `.h`, `.py` or
//! `.sh` inside a comment (`//`, `/* */`, `#`) or a SPy/Python docstring. A document
//! (`.md`) is named by its path from the repository root or from the citing file's
//! folder; a source file may also be named by the end of its path (`vm/inline.rs`,
//! `parser.spy`). Placeholders are written `<name>.spy`, and dotted module names
//! (`a.b.spy`) are examples; neither is a citation. The files checked and the files that
//! may be cited are those git tracks.

use stage_tests::workspace_dir;
use std::path::{Path, PathBuf};

/// Files named in comments that are not this repository's: the C header every build
/// writes, and files of upstream SPy and CPython whose behaviour the code follows.
const NOT_OURS: &[&str] = &["spy_structdefs.h", "spy/ast.py", "Objects/floatobject.c"];

const CITED: &[&str] = &["md", "rs", "spy", "c", "h", "py", "sh"];

/// The files git tracks, relative to the repository root.
fn tracked_files() -> Vec<String> {
    let out = std::process::Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(workspace_dir())
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git ls-files failed");
    String::from_utf8_lossy(&out.stdout).split('\0').filter(|p| !p.is_empty()).map(str::to_string).collect()
}

/// The comment text of a file, line by line (code and string literals blanked).
fn comments(path: &Path, text: &str) -> Vec<String> {
    let ext = path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
    let hash_comments = matches!(ext.as_str(), "spy" | "py" | "sh" | "toml" | "") || path.ends_with("Makefile");
    let mut out = Vec::new();
    let mut in_block = false;
    let mut in_docstring = false;
    for line in text.lines() {
        let mut found = String::new();
        if hash_comments {
            let quotes = line.matches("\"\"\"").count();
            if in_docstring || quotes > 0 {
                found.push_str(line);
            } else if let Some(i) = line.find('#') {
                found.push_str(&line[i..]);
            }
            if quotes % 2 == 1 {
                in_docstring = !in_docstring;
            }
        } else {
            let mut rest = line;
            loop {
                if in_block {
                    match rest.find("*/") {
                        Some(i) => {
                            found.push_str(&rest[..i]);
                            rest = &rest[i + 2..];
                            in_block = false;
                        }
                        None => {
                            found.push_str(rest);
                            break;
                        }
                    }
                } else {
                    let line_comment = rest.find("//");
                    let block = rest.find("/*");
                    match (line_comment, block) {
                        (Some(l), b) if b.is_none_or(|b| l < b) => {
                            found.push_str(&rest[l..]);
                            break;
                        }
                        (_, Some(b)) => {
                            rest = &rest[b + 2..];
                            in_block = true;
                        }
                        _ => break,
                    }
                }
            }
        }
        out.push(found);
    }
    out
}

/// The citations in a comment: words like `docs/spec/LANGUAGE.md` or `vm/inline.rs`.
fn citations(comment: &str) -> Vec<String> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/');
    let mut out = Vec::new();
    for word in comment.split(|c: char| !is_word(c)) {
        let word = word.trim_end_matches('.').trim_start_matches("./");
        let Some((stem, ext)) = word.rsplit_once('.') else { continue };
        let name = stem.rsplit('/').next().unwrap_or(stem);
        let example = name.contains('.') || NOT_OURS.contains(&word);
        if CITED.contains(&ext)
            && !name.is_empty()
            && !example
            && !stem.starts_with('.')
            && !word.contains("//")
            && !word.starts_with('/')
        {
            out.push(word.to_string());
        }
    }
    out
}

#[test]
fn files_named_in_comments_exist() {
    let root = workspace_dir();
    let repo = tracked_files();
    let code = |p: &&String| {
        let ext = p.rsplit_once('.').map_or("", |(_, e)| e);
        !p.starts_with("docs/")
            && (matches!(ext, "rs" | "spy" | "c" | "h" | "py" | "sh" | "toml")
                || p.ends_with("Makefile")
                || p.as_str() == ".ci/run")
    };
    let files: Vec<PathBuf> = repo.iter().filter(code).map(|p| root.join(p)).collect();
    let mut problems = Vec::new();
    let mut checked = 0;
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        let rel = file.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        let folder = Path::new(&rel).parent().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
        for (idx, comment) in comments(file, &text).iter().enumerate() {
            for cited in citations(comment) {
                checked += 1;
                let from_folder = if folder.is_empty() { cited.clone() } else { format!("{folder}/{cited}") };
                let exists = if cited.ends_with(".md") {
                    repo.contains(&cited) || repo.contains(&from_folder)
                } else {
                    repo.iter().any(|p| p == &cited || p.ends_with(&format!("/{cited}")))
                };
                if !exists {
                    problems.push(format!("{rel}:{}: names `{cited}`, which is not in the repository", idx + 1));
                }
            }
        }
    }
    assert!(checked > 200, "only {checked} citations found: is the scan broken?");
    assert!(problems.is_empty(), "{} stale citations:\n{}", problems.len(), problems.join("\n"));
}
