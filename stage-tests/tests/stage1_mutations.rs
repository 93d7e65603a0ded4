//! `build/stage1/spy parse` against the seed's `parse_to_text` on generated inputs:
//! thousands of broken and odd programs, where the two front ends must still print the
//! same dump or the same diagnostic (stdout, stderr and exit status), and the compiled
//! parser must neither crash nor hang. The inputs are deterministic (`stage_tests::support`'s
//! fixed-seed generator and mutators), made from every `.spy` of the repository:
//! - `byte_mutations`: bytes flipped, inserted, deleted, snippets spliced in;
//! - `word_shuffles`: words permuted, duplicated or dropped, whitespace kept;
//! - `limits`: nesting at and past each limit (indents, brackets, expression depth).
//!
//! `interpreted_twin` runs the same SPy front end and scope analysis in the seed's
//! interpreter on three files.

use stage_tests::support::{escape, mutate, shuffle_words, spy0, stage1, Rng};
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
/// CMD F` prints what `spy0 CMD F` prints (`parse`, `tokens`, `symtable`) (the interpreter and the C backend agree on
/// the compiler too, not only on the test cases).
#[test]
fn interpreted_twin() {
    let spy0 = spy0().unwrap_or_else(|err| panic!("{err}"));
    for (cmd, file) in [
        ("parse", "stdlib/_list.spy"),
        ("tokens", "stage-tests/cases/syntax/float_exponent_literal.spy"),
        ("symtable", "spy-in-spy/scope.spy"),
    ] {
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
    let stage1 = stage1().unwrap_or_else(|err| panic!("{err}"));
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
