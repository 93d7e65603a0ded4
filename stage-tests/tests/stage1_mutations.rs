//! `build/stage1/spy parse` against the seed's `parse_to_text` on generated inputs:
//! thousands of broken and odd programs, where the two front ends must still print the
//! same dump or the same diagnostic (stdout, stderr and exit status), and the compiled
//! parser must neither crash nor hang. The inputs are deterministic (xorshift, fixed
//! seed), made from every `.spy` of the repository:
//! - `byte_mutations`: bytes flipped, inserted, deleted, snippets spliced in;
//! - `word_shuffles`: words permuted, duplicated or dropped, whitespace kept;
//! - `limits`: nesting at and past each limit (indents, brackets, expression depth).
//!
//! `interpreted_twin` runs the same SPy front end in the seed's interpreter on two files.

use stage_tests::{spy_files, workspace_dir};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BYTE_MUTATIONS: usize = 3000;
const WORD_SHUFFLES: usize = 1000;
const TIMEOUT: Duration = Duration::from_secs(10);
const MAX_REPORTED: usize = 5;
/// spy0's stack (seed/src/main.rs): the seed's parser recurses once per nesting level.
const STACK_SIZE: usize = 256 * 1024 * 1024;

/// Bytes and snippets that matter to a lexer or parser.
const INTERESTING: &[u8] = b"()[]{}:;,.=+-*/%<>!&|^~@\"'\\#\n\r\t 0123456789_abcxyzjJeExXoObB\x00\x80\xc3\xff";
const SNIPPETS: &[&str] = &[
    "\n    ",
    "\n\t",
    "(",
    ")",
    "[",
    "]",
    "\"\"\"",
    "'",
    "\\\n",
    "def ",
    "class ",
    "var ",
    "const ",
    "if x:\n",
    "else:\n",
    "return",
    "lambda",
    "yield",
    "0x",
    "1e",
    "1_",
    "0o8",
    "f\"{",
    "b'\\xff'",
    "i8(300)",
    "f32(1.5)",
    "-",
    "**",
    ":=",
    "->",
    "...",
    "@blue",
    "import ",
    "from . import x",
];

#[test]
fn byte_mutations() {
    run_family("byte_mutations", |rng, corpus| {
        (0..BYTE_MUTATIONS)
            .map(|_| {
                let mut bytes = corpus[rng.below(corpus.len())].clone();
                for _ in 0..1 + rng.below(3) {
                    mutate(rng, &mut bytes);
                }
                bytes
            })
            .collect()
    });
}

#[test]
fn word_shuffles() {
    run_family("word_shuffles", |rng, corpus| {
        (0..WORD_SHUFFLES)
            .map(|_| {
                let program = &corpus[rng.below(corpus.len())];
                shuffle_words(rng, program)
            })
            .collect()
    });
}

#[test]
fn limits() {
    run_family("limits", |_, _| {
        let mut inputs = Vec::new();
        for levels in [98, 99, 100, 101] {
            let mut text = String::from("def main() -> None:\n");
            for level in 1..=levels {
                text.push_str(&format!("{}if x:\n", "    ".repeat(level)));
            }
            text.push_str(&format!("{}pass\n", "    ".repeat(levels + 1)));
            inputs.push(text.into_bytes());
        }
        for depth in [199, 200, 201, 999, 1000, 1001, 5000] {
            for (open, close) in [("(", ")"), ("[", "]"), ("-", ""), ("not ", ""), ("a.", "b")] {
                let text = format!("x = {}1{}\n", open.repeat(depth), close.repeat(depth));
                inputs.push(text.into_bytes());
            }
        }
        inputs
    });
}

/// The same SPy sources, interpreted by spy0 instead of compiled: `spy0 spy-in-spy/main.spy
/// parse F` prints what `spy0 parse F` prints (the interpreter and the C backend agree on
/// the compiler too, not only on the test cases).
#[test]
fn interpreted_twin() {
    let spy0 = workspace_dir().join("target/debug/spy0");
    assert!(spy0.is_file(), "{} does not exist: run `cargo build -p seed`", spy0.display());
    for (cmd, file) in
        [("parse", "stdlib/_list.spy"), ("tokens", "stage-tests/cases/syntax/float_exponent_literal.spy")]
    {
        let run = |args: &[&str]| {
            let out = Command::new(&spy0).args(args).current_dir(workspace_dir()).output().expect("run spy0");
            (String::from_utf8_lossy(&out.stdout).into_owned(), out.status.code())
        };
        let expected = run(&[cmd, file]);
        let actual = run(&["spy-in-spy/main.spy", cmd, file]);
        assert_eq!(expected.1, Some(0), "spy0 {cmd} {file} failed");
        assert!(expected == actual, "spy0 spy-in-spy/main.spy {cmd} {file} differs from spy0 {cmd} {file}");
    }
}

/// Generates the family's inputs from the corpus, runs both parsers on each, and fails
/// with the first few disagreements.
fn run_family(family: &str, generate: impl FnOnce(&mut Rng, &[Vec<u8>]) -> Vec<Vec<u8>>) {
    let stage1 = workspace_dir().join("build/stage1/spy");
    assert!(stage1.is_file(), "{} does not exist: run `make stage1` (`make test` does it)", stage1.display());
    let mut rng = Rng(0x5eed_0000_0000_0001 ^ family.len() as u64);
    let inputs = generate(&mut rng, &corpus());
    let dir = std::env::temp_dir().join(format!("spy-stage1-{family}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let start = Instant::now();
    let mut failures = Vec::new();
    for (idx, input) in inputs.iter().enumerate() {
        let name = format!("m{idx}.spy");
        std::fs::write(dir.join(&name), input).expect("write input");
        let expected = seed_parse(&name, input.clone());
        let actual = stage1_parse(&stage1, &dir, &name);
        if actual.as_ref() != Ok(&expected) {
            failures.push(format!("input {idx} ({}): expected {expected:?}\n   got {actual:?}", escape(input)));
            if failures.len() == MAX_REPORTED {
                break;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!("{family}: {} inputs in {:.1} s", inputs.len(), start.elapsed().as_secs_f64());
    assert!(failures.is_empty(), "{family}: stage1 and the seed disagree:\n{}", failures.join("\n"));
}

/// (stdout, stderr, exit status) as `spy0 parse NAME` gives them (main.rs `show`).
type Outcome = (String, String, i32);

fn seed_parse(name: &str, bytes: Vec<u8>) -> Outcome {
    let name = name.to_string();
    let worker = std::thread::Builder::new().stack_size(STACK_SIZE).spawn(move || seed::parse_to_text(&name, &bytes));
    match worker.expect("spawn").join().expect("the seed's parser does not panic") {
        Ok(dump) => (dump, String::new(), 0),
        Err(diagnostic) => (String::new(), diagnostic, 1),
    }
}

fn stage1_parse(stage1: &Path, dir: &Path, name: &str) -> Result<Outcome, String> {
    let mut child = Command::new(stage1)
        .args(["parse", name])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run stage1: {e}"))?;
    let (out, err) = (drain(child.stdout.take()), drain(child.stderr.take()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("hang: no answer in {} s", TIMEOUT.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let text =
        |h: std::thread::JoinHandle<Vec<u8>>| String::from_utf8_lossy(&h.join().unwrap_or_default()).into_owned();
    match status.code() {
        Some(code) => Ok((text(out), text(err), code)),
        None => Err(format!("killed by a signal ({status}); stderr: {}", text(err))),
    }
}

fn drain<R: std::io::Read + Send + 'static>(pipe: Option<R>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut buf);
        }
        buf
    })
}

/// Every `.spy` of stage-tests/cases, stdlib/ and spy-in-spy/, in path order.
fn corpus() -> Vec<Vec<u8>> {
    ["stage-tests/cases", "stdlib", "spy-in-spy"]
        .iter()
        .flat_map(|dir| spy_files(&workspace_dir().join(dir)))
        .map(|f| std::fs::read(f).expect("read corpus file"))
        .collect()
}

/// xorshift64: a fixed seed gives the same inputs on every run and machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let pos = rng.below(bytes.len() + 1);
    match rng.below(5) {
        0 if pos < bytes.len() => bytes[pos] ^= 1 << rng.below(8),
        1 => bytes.insert(pos, INTERESTING[rng.below(INTERESTING.len())]),
        2 => {
            let snippet = SNIPPETS[rng.below(SNIPPETS.len())].as_bytes();
            bytes.splice(pos..pos, snippet.iter().copied());
        }
        3 => bytes.insert(pos, rng.next() as u8),
        _ => {
            let end = (pos + 1 + rng.below(8)).min(bytes.len());
            bytes.drain(pos.min(end)..end);
        }
    }
}

/// Words (runs of non-whitespace) permuted, duplicated or dropped, put back into the
/// program's own whitespace so that lines and indentation mostly survive.
fn shuffle_words(rng: &mut Rng, program: &[u8]) -> Vec<u8> {
    let mut words: Vec<&[u8]> = program.split(|b| b.is_ascii_whitespace()).filter(|w| !w.is_empty()).collect();
    let gaps: Vec<&[u8]> = program.split(|b| !b.is_ascii_whitespace()).filter(|g| !g.is_empty()).collect();
    if words.len() < 2 {
        return program.to_vec();
    }
    let n = words.len();
    let (a, b) = (rng.below(n), rng.below(n));
    match rng.below(4) {
        0 => words.swap(a, b),
        1 => words.insert(b, words[a]),
        2 => {
            words.remove(a);
        }
        _ => {
            let end = (a + 2 + rng.below(6)).min(words.len());
            words[a..end].reverse();
        }
    }
    let mut out = Vec::with_capacity(program.len() + 16);
    let leading = program.first().is_some_and(u8::is_ascii_whitespace);
    let mut gaps = gaps.into_iter();
    if leading {
        out.extend_from_slice(gaps.next().unwrap_or(b""));
    }
    for word in words {
        out.extend_from_slice(word);
        out.extend_from_slice(gaps.next().unwrap_or(b" "));
    }
    out
}

fn escape(input: &[u8]) -> String {
    let text: String = input.iter().take(300).flat_map(|b| std::ascii::escape_default(*b)).map(char::from).collect();
    if input.len() > 300 {
        format!("{text}... ({} bytes)", input.len())
    } else {
        text
    }
}
