//! What the workspace's test programs share: finding the binaries under test (with the
//! check that they are not older than their sources), the one pseudo-random generator,
//! and the mutators that turn programs into broken programs. Used by
//! `stage-tests/tests/*.rs` and by `seed/tests/robustness.rs` (a dev-dependency of the
//! seed: this library itself depends on nothing).

use crate::workspace_dir;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Cargo's target directory: `$CARGO_TARGET_DIR`, else the workspace's `target/`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace_dir().join(dir),
        None => workspace_dir().join("target"),
    }
}

/// The seed binary: `$SPY0` if set, else `spy0` in the workspace's target directory,
/// which must be newer than every source it was built from (`cargo test -p stage-tests`
/// rebuilds the seed library, not the binary; `make test` builds both). Err says how
/// to get a fresh one.
pub fn spy0() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("SPY0") {
        let path = PathBuf::from(path);
        if !path.is_file() {
            return Err(format!("SPY0={} is not a file", path.display()));
        }
        return Ok(path);
    }
    let path = target_dir().join("debug").join(format!("spy0{}", std::env::consts::EXE_SUFFIX));
    let rebuild = "run `cargo build -p seed` first (`make test` does it), or set SPY0=/path/to/spy0";
    let built = match std::fs::metadata(&path).and_then(|m| m.modified()) {
        Ok(time) => time,
        Err(_) => return Err(format!("{} does not exist: {rebuild}", path.display())),
    };
    // Cargo's dep-info file lists exactly the sources the binary was built from.
    let sources = std::fs::read_to_string(path.with_extension("d")).unwrap_or_default();
    let mut newest: Option<(SystemTime, PathBuf)> = None;
    for source in sources.split_once(':').map_or("", |(_, deps)| deps).split_whitespace() {
        newest_file(Path::new(source), &mut newest);
    }
    not_older(path, built, newest, rebuild)
}

/// The compiler in SPy built by the seed: `$SPY_STAGE1` if set, else
/// `<workspace>/build/stage1/spy`, checked to be newer than spy-in-spy/, stdlib/ and spy0.
pub fn stage1() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("SPY_STAGE1") {
        let path = PathBuf::from(path);
        if !path.is_file() {
            return Err(format!("SPY_STAGE1={} is not a file", path.display()));
        }
        return Ok(path);
    }
    let path = workspace_dir().join("build/stage1/spy");
    let rebuild = "run `make stage1` (`make test` does it)";
    let built = match std::fs::metadata(&path).and_then(|m| m.modified()) {
        Ok(time) => time,
        Err(_) => return Err(format!("{} does not exist: {rebuild}", path.display())),
    };
    let mut newest: Option<(SystemTime, PathBuf)> = None;
    for dir in ["spy-in-spy", "stdlib"] {
        for file in crate::spy_files(&workspace_dir().join(dir)) {
            newest_file(&file, &mut newest);
        }
    }
    newest_file(&spy0()?, &mut newest);
    not_older(path, built, newest, rebuild)
}

/// `path` (built at `built`) when no source in `newest` is more recent; else how to rebuild it.
fn not_older(
    path: PathBuf,
    built: SystemTime,
    newest: Option<(SystemTime, PathBuf)>,
    rebuild: &str,
) -> Result<PathBuf, String> {
    match newest {
        Some((time, source)) if time > built => Err(format!(
            "{} is older than {}: {rebuild}",
            path.display(),
            source.strip_prefix(workspace_dir()).unwrap_or(&source).display()
        )),
        _ => Ok(path),
    }
}

/// Keeps in `newest` the most recently modified of `newest` and the file `path`.
fn newest_file(path: &Path, newest: &mut Option<(SystemTime, PathBuf)>) {
    let Ok(meta) = std::fs::metadata(path) else { return };
    if let Ok(time) = meta.modified() {
        if newest.as_ref().is_none_or(|(t, _)| time > *t) {
            *newest = Some((time, path.to_path_buf()));
        }
    }
}

/// xorshift64: a fixed seed gives the same numbers on every run and machine.
pub struct Rng(pub u64);

impl Rng {
    /// The next number of the sequence (not an `Iterator`: it never ends).
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    /// One of `items` (not empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Bytes that matter to a lexer or parser, used more often than random ones.
pub const INTERESTING: &[u8] =
    b"()[]{}:,.;=+-*/%<>!&|^~@\"'\\#\n\r\t 0123456789_abcxyzeEjJrRbBfFoOX\x00\x7f\x80\xbf\xc3\xe9\xf0\xff";

/// Snippets inserted whole.
pub const SNIPPETS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    "\n",
    "    ",
    "\n    ",
    "\t",
    "\n\t",
    "\"",
    "'",
    "\"\"\"",
    "'''",
    "\\",
    "\\\n",
    "#",
    "@",
    "@blue",
    "def ",
    "class ",
    "if ",
    "if x:\n",
    "else:",
    "else:\n",
    "elif ",
    "while ",
    "for ",
    " in ",
    "return",
    "yield",
    "var ",
    "const ",
    "not ",
    " and ",
    " or ",
    "-",
    "**",
    "//",
    ":=",
    "->",
    "...",
    "0x",
    "1e",
    "1_",
    "0o8",
    "b'",
    "r\"",
    "f\"",
    "f\"{",
    "b'\\xff'",
    "i8(300)",
    "f32(1.5)",
    "\u{e9}",
    "\u{1f40d}",
    "\r\n",
    "\x0c",
    "\u{feff}",
    "lambda",
    "pass",
    "import ",
    "from . import x",
];

/// One random edit: overwrite, insert or delete bytes, or insert a snippet.
pub fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let pos = rng.below(bytes.len() + 1);
    match rng.below(6) {
        0 if pos < bytes.len() => bytes[pos] ^= 1 << rng.below(8),
        1 if pos < bytes.len() => bytes[pos] = INTERESTING[rng.below(INTERESTING.len())],
        2 => bytes.insert(pos, INTERESTING[rng.below(INTERESTING.len())]),
        3 => {
            let snippet = SNIPPETS[rng.below(SNIPPETS.len())].as_bytes();
            bytes.splice(pos..pos, snippet.iter().copied());
        }
        4 => bytes.insert(pos, rng.next() as u8),
        _ => {
            let end = (pos + 1 + rng.below(8)).min(bytes.len());
            bytes.drain(pos.min(end)..end);
        }
    }
}

/// The program's words (runs of non-whitespace) permuted, duplicated or dropped, put
/// back into the program's own whitespace, so lines and indentation mostly survive.
pub fn shuffle_words(rng: &mut Rng, program: &[u8]) -> Vec<u8> {
    let mut words: Vec<&[u8]> = Vec::new();
    let mut gaps: Vec<&[u8]> = Vec::new(); // gaps[i] comes before words[i]; one more at the end
    let mut i = 0;
    loop {
        let start = i;
        while i < program.len() && program[i].is_ascii_whitespace() {
            i += 1;
        }
        gaps.push(&program[start..i]);
        if i == program.len() {
            break;
        }
        let start = i;
        while i < program.len() && !program[i].is_ascii_whitespace() {
            i += 1;
        }
        words.push(&program[start..i]);
    }
    if words.is_empty() {
        return program.to_vec();
    }
    for _ in 0..1 + rng.below(3) {
        let n = words.len();
        let (a, b) = (rng.below(n), rng.below(n));
        match rng.below(5) {
            0 => words.swap(a, b),
            1 => words.insert(b, words[a]),
            2 if n > 1 => {
                words.remove(a);
            }
            3 => {
                let end = (a + 2 + rng.below(6)).min(n);
                words[a..end].reverse();
            }
            _ => {
                let word = words.remove(a);
                words.insert(b.min(words.len()), word);
            }
        }
    }
    let mut out = Vec::with_capacity(program.len() + 16);
    for (k, word) in words.iter().enumerate() {
        out.extend_from_slice(if k < gaps.len() - 1 { gaps[k] } else { b" " });
        out.extend_from_slice(word);
    }
    out.extend_from_slice(gaps[gaps.len() - 1]);
    out
}

/// An input as an escaped byte-string literal, cut to its first 300 bytes.
pub fn escape(input: &[u8]) -> String {
    let shown: String = input.iter().take(300).flat_map(|&b| std::ascii::escape_default(b)).map(char::from).collect();
    if input.len() > 300 {
        format!("b\"{shown}\"... ({} bytes in all)", input.len())
    } else {
        format!("b\"{shown}\"")
    }
}
