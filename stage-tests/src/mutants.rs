//! The mutation fuzzer through the whole pipeline (`tests/fuzz.rs` `mutants`): programs
//! of the corpus (every `.spy` under `stage-tests/cases/` and `examples/`), changed by
//! the mutators of `support` and by the SPy-aware ones here, run by `spy0 FILE` (parse,
//! scope, import, redshift, run) and, for a share of those that get past redshift, by
//! `spy0 build -x` (cwrite and the C compiler). Each mutant must end as `run::verdict`
//! allows: a diagnostic in the spec's layout, or a run. A mutant that times out in
//! `spy0 FILE` is run again as `spy0 redshift FILE` (no execution): when that finishes,
//! the loop was the program's own (a mutation easily makes `while i < n` endless), and
//! the mutant counts as a run.
//!
//! SPy-aware mutations, each within one program: swap a name, a type, an operator or
//! a literal for another of the same kind (taken from the same program, or from a list
//! of edge values); change an int width; drop, duplicate, swap or move lines; insert a
//! decorator (`@blue`, `@struct`, `@force_inline`, ...) above a `def` or `class`; add
//! or drop `var`/`const`.

use crate::run::{self, Exit, Outcome};
use crate::support::{mutate, shuffle_words, Rng};
use crate::{crate_dir, spy_files, workspace_dir};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One program of the corpus, with the modules beside it that it imports.
pub struct Seed {
    /// Relative to the workspace: `stage-tests/cases/<area>/<name>.spy`.
    pub rel: String,
    pub file_name: String,
    pub text: Vec<u8>,
    /// (file name, text) of the sibling modules it imports, transitively.
    pub modules: Vec<(String, Vec<u8>)>,
    /// Its `.args`, with paths made absolute (they are relative to `stage-tests/`).
    pub args: Vec<String>,
}

/// Every `.spy` under `stage-tests/cases/` and `examples/`, in path order.
pub fn corpus() -> Vec<Seed> {
    let mut seeds = Vec::new();
    for dir in ["stage-tests/cases", "examples"] {
        for file in spy_files(&workspace_dir().join(dir)) {
            let Ok(text) = std::fs::read(&file) else { continue };
            let rel = file.strip_prefix(workspace_dir()).unwrap_or(&file).to_string_lossy().replace('\\', "/");
            let file_name = file.file_name().unwrap_or_default().to_string_lossy().into_owned();
            let modules = sibling_modules(&file, &text);
            let args = std::fs::read_to_string(file.with_extension("args"))
                .unwrap_or_default()
                .lines()
                .map(|a| {
                    let p = crate_dir().join(a);
                    if a.contains('/') && p.exists() {
                        p.to_string_lossy().into_owned()
                    } else {
                        a.to_string()
                    }
                })
                .collect();
            seeds.push(Seed { rel, file_name, text, modules, args });
        }
    }
    seeds
}

/// The `.spy` files beside `file` that it imports, and those they import.
fn sibling_modules(file: &Path, text: &[u8]) -> Vec<(String, Vec<u8>)> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut found: Vec<(String, Vec<u8>)> = Vec::new();
    let mut todo = vec![text.to_vec()];
    while let Some(text) = todo.pop() {
        for name in imported_names(&String::from_utf8_lossy(&text)) {
            let module = format!("{name}.spy");
            let path = dir.join(&module);
            if path != file && path.is_file() && !found.iter().any(|(n, _)| *n == module) {
                let bytes = std::fs::read(&path).unwrap_or_default();
                todo.push(bytes.clone());
                found.push((module, bytes));
            }
        }
    }
    found
}

fn imported_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["import", rest @ ..] => {
                names.extend(rest.iter().map(|w| w.trim_end_matches(',').to_string()).filter(|w| w != "as"))
            }
            ["from", module, "import", ..] => names.push(module.to_string()),
            _ => {}
        }
    }
    names
}

// ---------------------------------------------------------------------------------------
// The SPy-aware mutators

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Name,
    Number,
    Str,
    Op,
}

/// A token of the light lexer: enough to find names, literals and operators.
#[derive(Clone, Copy, Debug)]
struct Tok {
    start: usize,
    end: usize,
    kind: Kind,
}

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "break", "class", "continue", "def", "elif", "else", "for", "from",
    "if", "import", "in", "is", "not", "or", "pass", "raise", "return", "while", "var", "const",
];

const INT_TYPES: &[&str] = &["i8", "u8", "i32", "u32", "i64", "u64"];
const TYPES: &[&str] = &[
    "i8", "u8", "i32", "u32", "i64", "u64", "f64", "f32", "bool", "str", "bytes", "object", "int", "float", "None",
    "dynamic", "type",
];

const OP_CLASSES: &[&[&str]] = &[
    &["+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "@"],
    &["==", "!=", "<", "<=", ">", ">=", "is", "in"],
    &["+=", "-=", "*=", "//=", "%=", "&=", "|=", "^=", "<<=", ">>=", "/=", "**="],
    &["and", "or"],
];

const EDGE_LITERALS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "7",
    "127",
    "128",
    "255",
    "256",
    "-128",
    "2147483647",
    "-2147483648",
    "2147483648",
    "4294967295",
    "i8(-128)",
    "u8(255)",
    "u32(4294967295)",
    "i64(9223372036854775807)",
    "i64(-9223372036854775808)",
    "u64(18446744073709551615)",
    "0.0",
    "-0.0",
    "1e308",
    "1.5",
    "0.1",
    "\"\"",
    "\"a\"",
    "\"\\n\"",
    "'é'",
    "b\"\"",
    "b\"\\xff\"",
    "True",
    "False",
    "None",
    "[]",
    "{}",
    "()",
    "(1, 2)",
    "[1, 2, 3]",
];

const DECORATORS: &[&str] = &[
    "@blue",
    "@struct",
    "@force_inline",
    "@blue.generic",
    "@blue.metafunc",
    "@staticmethod",
    "@property",
    "@classmethod",
];

fn lex(src: &[u8]) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut i = 0;
    let n = src.len();
    while i < n {
        let c = src[i];
        if c == b'#' {
            while i < n && src[i] != b'\n' {
                i += 1;
            }
        } else if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < n && (src[i].is_ascii_alphanumeric() || src[i] == b'_') {
                i += 1;
            }
            // A string prefix: b"..", r'..'.
            if i < n && (src[i] == b'"' || src[i] == b'\'') && i - start <= 2 {
                i = string_end(src, i);
                toks.push(Tok { start, end: i, kind: Kind::Str });
            } else {
                toks.push(Tok { start, end: i, kind: Kind::Name });
            }
        } else if c.is_ascii_digit() || (c == b'.' && i + 1 < n && src[i + 1].is_ascii_digit()) {
            let start = i;
            while i < n && (src[i].is_ascii_alphanumeric() || src[i] == b'_' || src[i] == b'.') {
                i += 1;
            }
            toks.push(Tok { start, end: i, kind: Kind::Number });
        } else if c == b'"' || c == b'\'' {
            let start = i;
            i = string_end(src, i);
            toks.push(Tok { start, end: i, kind: Kind::Str });
        } else {
            let start = i;
            let three = &src[i..(i + 3).min(n)];
            let two = &src[i..(i + 2).min(n)];
            let len = if [b"//=".as_slice(), b"**=", b"<<=", b">>="].contains(&three) {
                3
            } else if [
                b"==".as_slice(),
                b"!=",
                b"<=",
                b">=",
                b"//",
                b"**",
                b"<<",
                b">>",
                b"+=",
                b"-=",
                b"*=",
                b"%=",
                b"&=",
                b"|=",
                b"^=",
                b"/=",
                b"->",
                b":=",
            ]
            .contains(&two)
            {
                2
            } else {
                1
            };
            i += len;
            toks.push(Tok { start, end: i, kind: Kind::Op });
        }
    }
    toks
}

/// The end of the string literal whose quote is at `i`.
fn string_end(src: &[u8], mut i: usize) -> usize {
    let q = src[i];
    let triple = src.len() >= i + 3 && src[i + 1] == q && src[i + 2] == q;
    i += if triple { 3 } else { 1 };
    while i < src.len() {
        if src[i] == b'\\' {
            i += 2;
        } else if triple && src.len() >= i + 3 && src[i] == q && src[i + 1] == q && src[i + 2] == q {
            return i + 3;
        } else if !triple && src[i] == q {
            return i + 1;
        } else if !triple && src[i] == b'\n' {
            return i;
        } else {
            i += 1;
        }
    }
    src.len()
}

fn text<'a>(src: &'a [u8], t: &Tok) -> &'a str {
    std::str::from_utf8(&src[t.start..t.end]).unwrap_or("")
}

fn replace(src: &[u8], t: &Tok, with: &str) -> Vec<u8> {
    let mut out = src[..t.start].to_vec();
    out.extend_from_slice(with.as_bytes());
    out.extend_from_slice(&src[t.end..]);
    out
}

/// One random token of `toks` for which `pred` holds, if any.
fn pick_tok<'a>(rng: &mut Rng, src: &[u8], toks: &'a [Tok], pred: impl Fn(&str, &Tok) -> bool) -> Option<&'a Tok> {
    let chosen: Vec<&Tok> = toks.iter().filter(|t| pred(text(src, t), t)).collect();
    if chosen.is_empty() {
        None
    } else {
        Some(chosen[rng.below(chosen.len())])
    }
}

fn is_name(s: &str, t: &Tok) -> bool {
    t.kind == Kind::Name && !KEYWORDS.contains(&s)
}

/// One SPy-aware mutation, or None when the program has nothing it applies to.
fn spy_mutation(rng: &mut Rng, src: &[u8]) -> Option<Vec<u8>> {
    let toks = lex(src);
    match rng.below(12) {
        // A name for another name of the program.
        0 | 1 => {
            let target = pick_tok(rng, src, &toks, is_name)?;
            let other = pick_tok(rng, src, &toks, is_name)?;
            Some(replace(src, target, text(src, other)))
        }
        // A type for another type (a builtin one or one the program names).
        2 => {
            let target = pick_tok(rng, src, &toks, |s, t| t.kind == Kind::Name && TYPES.contains(&s))?;
            let with = if rng.below(3) == 0 {
                text(
                    src,
                    pick_tok(rng, src, &toks, |s, t| is_name(s, t) && s.starts_with(|c: char| c.is_ascii_uppercase()))?,
                )
                .to_string()
            } else {
                rng.pick(TYPES).to_string()
            };
            Some(replace(src, target, &with))
        }
        // An int width for another.
        3 => {
            let target = pick_tok(rng, src, &toks, |s, t| t.kind == Kind::Name && INT_TYPES.contains(&s))?;
            Some(replace(src, target, *rng.pick(INT_TYPES)))
        }
        // An operator for another of its class.
        4 | 5 => {
            let target = pick_tok(rng, src, &toks, |s, t| {
                matches!(t.kind, Kind::Op | Kind::Name) && OP_CLASSES.iter().any(|c| c.contains(&s))
            })?;
            let class = OP_CLASSES.iter().find(|c| c.contains(&text(src, target)))?;
            Some(replace(src, target, *rng.pick(class)))
        }
        // A literal for another literal of the program, or an edge value.
        6 | 7 => {
            let lit = |_: &str, t: &Tok| matches!(t.kind, Kind::Number | Kind::Str);
            let target = pick_tok(rng, src, &toks, lit)?;
            let with = if rng.below(2) == 0 {
                text(src, pick_tok(rng, src, &toks, lit)?).to_string()
            } else {
                rng.pick(EDGE_LITERALS).to_string()
            };
            Some(replace(src, target, &with))
        }
        8 => Some(line_mutation(rng, src)),
        9 => decorate(rng, src),
        10 => {
            // `var`/`const` added before an assignment, or dropped.
            let target = pick_tok(rng, src, &toks, |s, t| t.kind == Kind::Name && (s == "var" || s == "const"));
            match (target, rng.below(2)) {
                (Some(t), 0) => {
                    let mut out = src[..t.start].to_vec();
                    out.extend_from_slice(&src[(t.end + 1).min(src.len())..]);
                    Some(out)
                }
                _ => {
                    let lines = split_lines(src);
                    let idx = rng.below(lines.len().max(1));
                    let line = lines.get(idx)?;
                    let indent = line.iter().take_while(|&&b| b == b' ').count();
                    let word = if rng.below(2) == 0 { "var " } else { "const " };
                    let mut new_line = line[..indent].to_vec();
                    new_line.extend_from_slice(word.as_bytes());
                    new_line.extend_from_slice(&line[indent..]);
                    Some(join_replacing(&lines, idx, Some(new_line)))
                }
            }
        }
        _ => {
            // A typed literal's width: `i32(5)` -> `u8(5)`, or a bare int literal wrapped.
            let target = pick_tok(rng, src, &toks, |_, t| t.kind == Kind::Number)?;
            let lit = text(src, target).to_string();
            Some(replace(src, target, &format!("{}({lit})", rng.pick(INT_TYPES))))
        }
    }
}

fn split_lines(src: &[u8]) -> Vec<&[u8]> {
    src.split_inclusive(|&b| b == b'\n').collect()
}

fn join_replacing(lines: &[&[u8]], idx: usize, with: Option<Vec<u8>>) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if i == idx {
            if let Some(with) = &with {
                out.extend_from_slice(with);
            }
        } else {
            out.extend_from_slice(line);
        }
    }
    out
}

/// Drop, duplicate, swap (with the next) or move one line.
fn line_mutation(rng: &mut Rng, src: &[u8]) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = split_lines(src).into_iter().map(<[u8]>::to_vec).collect();
    if lines.is_empty() {
        return src.to_vec();
    }
    let n = lines.len();
    let a = rng.below(n);
    match rng.below(4) {
        0 => {
            lines.remove(a);
        }
        1 => {
            let line = lines[a].clone();
            lines.insert(a, line);
        }
        2 if a + 1 < n => lines.swap(a, a + 1),
        _ => {
            let line = lines.remove(a);
            let b = rng.below(lines.len() + 1);
            lines.insert(b, line);
        }
    }
    lines.concat()
}

/// A decorator above a `def`/`class` line (or a decorator line), at its indentation.
fn decorate(rng: &mut Rng, src: &[u8]) -> Option<Vec<u8>> {
    let lines = split_lines(src);
    let spots: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            let t = String::from_utf8_lossy(lines[i]);
            let t = t.trim_start();
            t.starts_with("def ") || t.starts_with("class ") || t.starts_with('@')
        })
        .collect();
    if spots.is_empty() {
        return None;
    }
    let idx = spots[rng.below(spots.len())];
    let indent = lines[idx].iter().take_while(|&&b| b == b' ').count();
    let mut new_line = lines[idx][..indent].to_vec();
    new_line.extend_from_slice(rng.pick(DECORATORS).as_bytes());
    new_line.push(b'\n');
    new_line.extend_from_slice(lines[idx]);
    Some(join_replacing(&lines, idx, Some(new_line)))
}

/// A mutant of `src`: 1 to 3 mutations, mostly SPy-aware, some from `support`.
pub fn mutant(rng: &mut Rng, src: &[u8]) -> Vec<u8> {
    let mut bytes = src.to_vec();
    for _ in 0..1 + rng.below(3) {
        bytes = match rng.below(10) {
            0 => {
                mutate(rng, &mut bytes);
                bytes
            }
            1 => shuffle_words(rng, &bytes),
            _ => spy_mutation(rng, &bytes).unwrap_or(bytes),
        };
    }
    bytes
}

// ---------------------------------------------------------------------------------------
// The run

/// What a fuzz run is asked to do.
pub struct Config {
    pub seed: u64,
    pub count: usize,
    /// One mutant in this many that gets past redshift is also built (`spy0 build -x`).
    pub native_every: usize,
    pub timeout: Duration,
    pub jobs: usize,
    /// Offending mutants are saved below it, one folder each.
    pub out_dir: PathBuf,
}

/// A mutant the spec does not allow, saved for inspection.
pub struct Failure {
    pub index: usize,
    pub seed_rel: String,
    pub command: String,
    pub why: String,
    pub saved: PathBuf,
    pub outcome: Outcome,
}

/// What a run did.
#[derive(Default)]
pub struct Stats {
    pub mutants: usize,
    pub diagnostics: usize,
    pub runs: usize,
    pub own_loops: usize,
    pub native: usize,
}

/// Runs `config.count` mutants; returns the counts and the failures.
pub fn fuzz(config: &Config, spy0: &Path) -> (Stats, Vec<Failure>) {
    let corpus = corpus();
    assert!(!corpus.is_empty(), "no corpus");
    let mut rng = Rng(config.seed.max(1));
    // Generated up front, so the mutants depend on the seed only, not on the threads.
    let items: Vec<(usize, Vec<u8>, u64)> = (0..config.count)
        .map(|_| {
            let which = rng.below(corpus.len());
            (which, mutant(&mut rng, &corpus[which].text), rng.next())
        })
        .collect();
    let _ = std::fs::remove_dir_all(&config.out_dir);
    let work = config.out_dir.join("work");
    let stdlib = workspace_dir().join("stdlib").to_string_lossy().into_owned();
    let env = [("SPY_STDLIB", stdlib.as_str())];
    let results = run::pool(
        &items,
        config.jobs,
        |worker, index, (which, bytes, coin)| {
            let seed = &corpus[*which];
            let dir = work.join(format!("w{worker}"));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("work dir");
            for (name, text) in &seed.modules {
                std::fs::write(dir.join(name), text).expect("write module");
            }
            std::fs::write(dir.join(&seed.file_name), bytes).expect("write mutant");
            let file = seed.file_name.as_str();
            let mut args: Vec<&str> = vec![file];
            args.extend(seed.args.iter().map(String::as_str));
            let mut outcome = run::run(spy0, &args, &dir, &env, config.timeout);
            let mut command = format!("spy0 {}", args.join(" "));
            let mut own_loop = false;
            if outcome.exit == Exit::Timeout {
                let compile = run::run(spy0, &["redshift", file], &dir, &env, config.timeout);
                if compile.exit != Exit::Timeout && run::verdict(&compile).is_none() {
                    own_loop = true;
                } else {
                    outcome = compile;
                    command = format!("spy0 redshift {file}");
                }
            }
            let mut why = if own_loop { None } else { run::verdict(&outcome) };
            let static_error = run::is_static_diagnostic(&outcome.stderr);
            let mut native = false;
            if why.is_none() && !static_error && !own_loop && (*coin as usize) % config.native_every.max(1) == 0 {
                native = true;
                let build = dir.join("build").to_string_lossy().into_owned();
                let mut bargs: Vec<&str> = vec!["build", "-x", "-b", &build, file];
                bargs.extend(seed.args.iter().map(String::as_str));
                let built = run::run(spy0, &bargs, &dir, &env, config.timeout);
                if let Some(w) = run::verdict(&built) {
                    why = Some(w);
                    command = format!("spy0 {}", bargs.join(" "));
                    outcome = built;
                }
            }
            let failure = why.map(|why| {
                let saved = config.out_dir.join(format!("mutant-{index}"));
                let _ = std::fs::create_dir_all(&saved);
                for (name, text) in &seed.modules {
                    let _ = std::fs::write(saved.join(name), text);
                }
                let _ = std::fs::write(saved.join(&seed.file_name), bytes);
                let _ = std::fs::write(
                    saved.join("why.txt"),
                    format!("{why}\nfrom {}\n$ {command}\n{}", seed.rel, outcome.summary(4000)),
                );
                Failure {
                    index,
                    seed_rel: seed.rel.clone(),
                    command: command.clone(),
                    why,
                    saved,
                    outcome: outcome.clone(),
                }
            });
            (static_error, own_loop, native, failure)
        },
        || false,
    );
    let _ = std::fs::remove_dir_all(&work);
    let mut stats = Stats::default();
    let mut failures = Vec::new();
    for (static_error, own_loop, native, failure) in results.into_iter().flatten() {
        stats.mutants += 1;
        stats.diagnostics += static_error as usize;
        stats.runs += !static_error as usize;
        stats.own_loops += own_loop as usize;
        stats.native += native as usize;
        failures.extend(failure);
    }
    (stats, failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexer_finds_names_literals_and_operators() {
        let src = b"def f(x: i32) -> i32:\n    return x // 2 + b'\\x00'  # c\n";
        let toks = lex(src);
        let shown: Vec<(&str, Kind)> = toks.iter().map(|t| (text(src, t), t.kind)).collect();
        assert!(shown.contains(&("//", Kind::Op)), "{shown:?}");
        assert!(shown.contains(&("b'\\x00'", Kind::Str)), "{shown:?}");
        assert!(shown.contains(&("i32", Kind::Name)), "{shown:?}");
        assert!(!shown.iter().any(|(s, _)| *s == "c"), "{shown:?}");
    }

    #[test]
    fn mutants_depend_on_the_seed_only() {
        let src = b"def main() -> None:\n    x: i32 = 1\n    while x < 10:\n        x += 1\n    print(x)\n";
        let a: Vec<Vec<u8>> = (0..50).scan(Rng(7), |r, _| Some(mutant(r, src))).collect();
        let b: Vec<Vec<u8>> = (0..50).scan(Rng(7), |r, _| Some(mutant(r, src))).collect();
        assert_eq!(a, b);
        assert!(a.iter().any(|m| m != src));
    }
}
