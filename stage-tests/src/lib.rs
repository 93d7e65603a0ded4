//! The stage-test corpus: where the cases are, which files are goldens, which runners
//! a case's goldens select, and the one `normalize()` for volatile text.
//! `tests/stages.rs` runs every case through every runner its goldens select; the unit
//! tests at the bottom of this file are the tidy check of the corpus. `support` holds
//! what every test program of the workspace shares (finding spy0 and stage1, the RNG
//! and the mutators of the generated-input tests).
//!
//! Layout (docs/architecture.md "Crates and folders"):
//! - An area is a folder: every folder of `cases/` (`cases/lexer/`, `cases/syntax/`...),
//!   plus the workspace's `examples/`, the area `examples`. A new folder is a new area;
//!   nothing lists them.
//! - `cases/<area>/<name>.spy` is a case. So is `examples/<name>.spy` when it has a golden.
//! - A folder inside an area, `<area>/<folder>/`, is a module folder: its `.spy` files
//!   that have a golden are cases, the others are modules those cases import (the
//!   module search path is the main file's folder plus the stdlib, docs/spec/LANGUAGE.md §2.5,
//!   so a case and its modules sit in one folder). `cases/modules/shapes/` holds
//!   `shapes.spy` and the cases that import it; `examples/<dir>/<dir>.spy` is an
//!   example made of the modules beside it. No deeper folders.
//! - The goldens sit beside the case, `<name>.<ext>`, with the kinds of `GOLDEN_EXTENSIONS`.
//!
//! Which runners a case gets (`runs()`): each dump golden (`DUMP_GOLDENS`: `.tokens`
//! `.parse` `.symtable` `.imports` `.redshift` `.colors`) selects the runners of that
//! dump, also when it is empty (the case of a diagnostic, whose stdout is empty). A case
//! with no dump golden is a program, run by the program runners and compared with
//! `.out`, `.err` and `.code`. `.err` and `.code` go with whichever runner runs the case.

use std::path::{Path, PathBuf};

pub mod mutants;
pub mod progen;
pub mod run;
pub mod support;

/// Every kind of golden file, by extension: what a runner prints (the dumps, `.out`,
/// `.err`, `.code`) and what it is given (`.args`, `.flags`, `.targets`). A file under
/// `cases/` is a case or module (`.spy`), one of these, or a note (`.md`, `.txt`, `.py`
/// as a module that cannot be imported); anything else is reported by the tidy check.
pub const GOLDEN_EXTENSIONS: &[&str] =
    &["tokens", "parse", "symtable", "imports", "redshift", "colors", "out", "err", "code", "args", "flags", "targets"];

/// The goldens of a phase dump: each selects the runners that print that dump.
pub const DUMP_GOLDENS: &[&str] = &["tokens", "parse", "symtable", "imports", "redshift", "colors"];

/// The `stage-tests/` directory. Runners run with it as their working directory and
/// get case paths relative to it (`cases/syntax/while_loop.spy`, `../examples/hello.spy`),
/// so diagnostics print those relative paths and goldens need no path rewriting.
pub fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace root (the parent of `stage-tests/`).
pub fn workspace_dir() -> &'static Path {
    crate_dir().parent().expect("stage-tests/ sits inside the workspace")
}

/// `stage-tests/cases/`.
pub fn cases_dir() -> PathBuf {
    crate_dir().join("cases")
}

/// One case of the corpus.
#[derive(Clone, Debug)]
pub struct Case {
    /// `syntax/while_loop.spy`, `modules/shapes/import_module_as_alias.spy`,
    /// `examples/hello.spy`: the area and the path below it, the second half of a test name.
    pub name: String,
    /// The path the runners are given, relative to `stage-tests/` (their working directory):
    /// `cases/syntax/while_loop.spy`, `../examples/hello.spy`.
    pub rel: String,
    /// The case file itself.
    pub path: PathBuf,
}

impl Case {
    /// The golden of kind `ext` beside the case (it may not exist).
    pub fn golden(&self, ext: &str) -> PathBuf {
        self.path.with_extension(ext)
    }

    /// Whether the case has a golden of kind `ext`.
    pub fn has(&self, ext: &str) -> bool {
        self.golden(ext).is_file()
    }

    /// Whether the case is a program: it has no dump golden.
    pub fn is_program(&self) -> bool {
        !DUMP_GOLDENS.iter().any(|ext| self.has(ext))
    }
}

/// Every area: (name, folder, whether a `.spy` at its top is a case without a golden).
/// The folders of `cases/` in name order, then `examples`.
pub fn areas() -> Vec<(String, PathBuf, bool)> {
    let mut areas = Vec::new();
    if let Ok(entries) = std::fs::read_dir(cases_dir()) {
        for entry in entries.flatten() {
            if entry.path().is_dir() {
                areas.push((entry.file_name().to_string_lossy().into_owned(), entry.path(), true));
            }
        }
    }
    areas.sort();
    areas.push(("examples".to_string(), workspace_dir().join("examples"), false));
    areas
}

/// Every case of every area, in area order, then path order.
pub fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for (area, dir, top_needs_no_golden) in areas() {
        for file in spy_files(&dir) {
            let below = file.strip_prefix(&dir).unwrap_or(&file);
            let top = below.components().count() == 1;
            if (top && top_needs_no_golden) || has_any_golden(&file) {
                let rel = file
                    .strip_prefix(crate_dir())
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|_| Path::new("..").join(file.strip_prefix(workspace_dir()).unwrap_or(&file)));
                cases.push(Case { name: format!("{area}/{}", slashed(below)), rel: slashed(&rel), path: file.clone() });
            }
        }
    }
    cases
}

/// Whether any golden of any kind sits beside `spy`.
fn has_any_golden(spy: &Path) -> bool {
    GOLDEN_EXTENSIONS.iter().any(|ext| spy.with_extension(ext).is_file())
}

fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The one place where volatile text is made stable before actual output is compared
/// with a golden, and before a golden is written by `BLESS=1`. Both sides of every
/// comparison go through it.
///
/// Today it only turns `\r\n` into `\n` (a golden checked out with CRLF line ends
/// still matches). Absolute paths, addresses and timings, if a runner ever prints
/// them, are rewritten here and nowhere else.
pub fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// The tidy rules of the corpus under `cases`, one message per violation (empty when
/// tidy): every `.spy` is `cases/<area>/<name>.spy` or `cases/<area>/<folder>/<name>.spy`
/// (a module of a folder may also sit deeper, in a package folder of it);
/// every golden has its `.spy` beside it (no orphans); no other kind of file (a
/// mistyped golden extension would otherwise be ignored silently); in a module folder,
/// at least one file is a case, and every module is imported by a file beside it (a
/// case that lost its goldens would otherwise pass for a module). Paths in the messages
/// are relative to `cases`.
pub fn tidy_problems(cases: &Path) -> Vec<String> {
    let mut files = Vec::new();
    if let Err(err) = walk(cases, &mut files) {
        return vec![format!("cannot read {}: {err}", cases.display())];
    }
    files.sort();
    let mut problems = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(cases).unwrap_or(file);
        let shown = slashed(rel);
        let depth = rel.components().count();
        let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext == "spy" {
            if depth >= 3 && !has_any_golden(file) {
                // A module of a module folder `<area>/<folder>/`, maybe in a subfolder of it
                // (`<folder>/pkg/m.spy` is the module `pkg.m`, docs/decisions.md).
                let mut parts: Vec<String> =
                    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                let folder = cases.join(&parts[0]).join(&parts[1]);
                let last = parts.len() - 1;
                parts[last] = file.file_stem().unwrap_or_default().to_string_lossy().into_owned();
                let stem = parts[2..].join(".");
                let siblings = spy_files(&folder);
                if !siblings.iter().any(|s| has_any_golden(s)) {
                    problems.push(format!("{shown}: a module folder needs a case (a .spy with a golden)"));
                } else if !siblings.iter().any(|s| s != file && imports(s, &stem)) {
                    problems.push(format!(
                        "{shown}: has no golden, so it is a module, but no file beside it imports `{stem}`"
                    ));
                }
            } else if depth != 2 && depth != 3 {
                problems.push(format!(
                    "{shown}: a case must be cases/<area>/<name>.spy or cases/<area>/<folder>/<name>.spy"
                ));
            }
        } else if GOLDEN_EXTENSIONS.contains(&ext) {
            if !file.with_extension("spy").is_file() {
                problems.push(format!(
                    "{shown}: orphan golden: there is no {} beside it",
                    rel.with_extension("spy").file_name().unwrap_or_default().to_string_lossy()
                ));
            }
        } else if ext != "md" && ext != "txt" && ext != "py" {
            let known: Vec<String> = GOLDEN_EXTENSIONS.iter().map(|e| format!(".{e}")).collect();
            problems.push(format!("{shown}: unknown kind of file (a case is .spy; goldens are {})", known.join(" ")));
        }
    }
    problems
}

/// The orphan goldens of `examples/` (a golden with no `.spy` beside it), relative to it.
/// Other files are the examples' own business.
pub fn orphan_goldens(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    let _ = walk(dir, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for file in files {
        let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
        if GOLDEN_EXTENSIONS.contains(&ext) && !file.with_extension("spy").is_file() {
            problems.push(format!("{}: orphan golden", slashed(file.strip_prefix(dir).unwrap_or(&file))));
        }
    }
    problems
}

/// Whether the source `file` has `import NAME` or `from NAME import` in it.
fn imports(file: &Path, name: &str) -> bool {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    text.lines().any(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["import", rest @ ..] => rest.iter().any(|w| w.trim_end_matches(',') == name),
            ["from", module, "import", ..] => *module == name,
            _ => false,
        }
    })
}

/// Every `.spy` file below `dir`, recursively, in path order (none if `dir` is missing).
pub fn spy_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let _ = walk(dir, &mut files);
    files.retain(|f| f.extension().is_some_and(|e| e == "spy"));
    files.sort();
    files
}

/// Every file below `dir`, recursively.
fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_cases_have_an_area_and_goldens_have_a_case() {
        let problems = tidy_problems(&cases_dir());
        assert!(problems.is_empty(), "stage-tests/cases/ is not tidy:\n  {}\n", problems.join("\n  "));
        let problems = orphan_goldens(&workspace_dir().join("examples"));
        assert!(problems.is_empty(), "examples/ has orphan goldens:\n  {}\n", problems.join("\n  "));
    }

    #[test]
    fn tidy_reports_orphans_loose_cases_unknown_files_and_stray_modules() {
        let root = std::env::temp_dir().join(format!("stage-tests-tidy-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (path, text) in [
            ("syntax/ok.spy", ""),
            ("syntax/ok.parse", ""),
            ("syntax/orphan.err", ""),
            ("syntax/typo.pasre", ""),
            ("syntax/README.md", ""),
            ("lexer/ok.tokens", ""),
            ("lexer/ok.spy", ""),
            ("lexer/gone.tokens", ""),
            ("scope/gone.symtable", ""),
            ("redshift/gone.redshift", ""),
            ("loose.spy", ""),
            ("modules/pair/main.spy", "import helper\n"),
            ("modules/pair/main.out", ""),
            ("modules/pair/helper.spy", ""),
            ("modules/pair/unused.spy", ""),
            ("modules/lonely/helper.spy", ""),
            ("syntax/deeper/still/nested.spy", ""),
        ] {
            let file = root.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        let problems = tidy_problems(&root);
        let _ = std::fs::remove_dir_all(&root);
        let heads: Vec<&str> = problems.iter().map(|p| p.split(':').next().unwrap()).collect();
        assert_eq!(
            heads,
            [
                "lexer/gone.tokens",
                "loose.spy",
                "modules/lonely/helper.spy",
                "modules/pair/unused.spy",
                "redshift/gone.redshift",
                "scope/gone.symtable",
                "syntax/deeper/still/nested.spy",
                "syntax/orphan.err",
                "syntax/typo.pasre",
            ],
            "{problems:#?}"
        );
    }

    #[test]
    fn every_area_folder_is_an_area_and_examples_is_one_more() {
        let names: Vec<String> = areas().into_iter().map(|(name, _, _)| name).collect();
        assert!(
            names.iter().any(|n| n == "lexer") && names.last().map(String::as_str) == Some("examples"),
            "{names:?}"
        );
        let cases = cases();
        let hello = cases.iter().find(|c| c.name == "examples/hello.spy").expect("examples/hello.spy is a case");
        assert_eq!(hello.rel, "../examples/hello.spy");
        assert!(hello.is_program());
    }

    #[test]
    fn normalize_turns_crlf_into_lf() {
        assert_eq!(normalize("a\r\nb\n\r"), "a\nb\n\r");
    }
}
