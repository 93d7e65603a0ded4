//! The stage-test corpus: where the cases are, which files are goldens, and the one
//! `normalize()` for volatile text. `tests/stages.rs` runs every case through every
//! runner; the unit tests at the bottom of this file are the tidy check of the corpus.
//!
//! Layout (ARCHITECTURE.md "Crates and folders"): `cases/<area>/<name>.spy`, with the
//! goldens beside it: `<name>.parse` (`spy0 parse` stdout), `<name>.out` (stdout),
//! `<name>.err` (stderr), `<name>.code` (exit code when not 0), `<name>.args` (argv),
//! `<name>.targets` (the targets a case cannot run on, with the reason).

use std::path::{Path, PathBuf};

/// Every kind of golden file, by extension. A file under `cases/` is a case (`.spy`),
/// one of these, or a `.md` note; anything else is reported by the tidy check.
pub const GOLDEN_EXTENSIONS: &[&str] = &["parse", "out", "err", "code", "args", "flags", "targets", "colors", "rs"];

/// The `stage-tests/` directory. Runners run with it as their working directory and
/// get case paths relative to it (`cases/syntax/while_loop.spy`), so diagnostics
/// print those relative paths and goldens need no path rewriting.
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
/// tidy): every `.spy` is `cases/<area>/<name>.spy`; every golden has its `.spy`
/// beside it (no orphans); no other kind of file (a mistyped golden extension would
/// otherwise be ignored silently). Paths in the messages are relative to `cases`.
pub fn tidy_problems(cases: &Path) -> Vec<String> {
    let mut files = Vec::new();
    if let Err(err) = walk(cases, &mut files) {
        return vec![format!("cannot read {}: {err}", cases.display())];
    }
    files.sort();
    let mut problems = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(cases).unwrap_or(file);
        let shown = rel.to_string_lossy().replace('\\', "/");
        let depth = rel.components().count();
        let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext == "spy" {
            if depth != 2 {
                problems.push(format!("{shown}: a case must be cases/<area>/<name>.spy (one area folder, no deeper)"));
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
    }

    #[test]
    fn tidy_reports_orphans_loose_cases_and_unknown_files() {
        let root = std::env::temp_dir().join(format!("stage-tests-tidy-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (path, text) in [
            ("syntax/ok.spy", ""),
            ("syntax/ok.parse", ""),
            ("syntax/orphan.err", ""),
            ("syntax/typo.pasre", ""),
            ("syntax/README.md", ""),
            ("loose.spy", ""),
            ("syntax/deeper/nested.spy", ""),
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
            ["loose.spy", "syntax/deeper/nested.spy", "syntax/orphan.err", "syntax/typo.pasre"],
            "{problems:#?}"
        );
    }

    #[test]
    fn normalize_turns_crlf_into_lf() {
        assert_eq!(normalize("a\r\nb\n\r"), "a\nb\n\r");
    }
}
