//! Robustness of `seed::parse_to_text`: over 100,000 generated inputs, none may panic
//! or take more than a second. Each answer must be a dump or a diagnostic.
//!
//! The inputs are deterministic (`stage_tests::support`'s fixed-seed generator and
//! mutators, shared with the other generated-input tests), one test per family,
//! so that the families run in parallel:
//! - `prefixes`: every prefix (by byte) of every program (the samples below and every
//!   `.spy` under `stage-tests/cases/`),
//! - `byte_mutations`: random byte flips, insertions and deletions in those programs,
//! - `token_shuffles`: their whitespace-separated words permuted, duplicated, dropped,
//! - `deep_nesting`: one input per limit (10,000 parens, 1 MB files, 1,000 indents...);
//!   10,000-deep nesting must be a diagnostic, a 1 MB file of simple lines a dump.
//!
//! Inputs run on a thread with spy0's 256 MiB stack, so deep inputs behave as they do in
//! the real binary. A failure prints the input, escaped and cut to 300 bytes. Each
//! family prints how many inputs it ran and its slowest one.

use stage_tests::support::{escape, mutate, shuffle_words, Rng};
use std::cell::RefCell;
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

/// spy0's stack (seed/src/main.rs).
const STACK_SIZE: usize = 256 * 1024 * 1024;
/// Longest one input may take.
const SLOW: Duration = Duration::from_secs(1);
/// After this long on one input, the input is reported as a hang. Its thread is left
/// behind (it ends with the test process), so keep this short: a runaway input may be
/// allocating all the while.
const HANG: Duration = Duration::from_secs(5);
/// Failures kept per family (the first ones; a bug usually fails many inputs alike).
const MAX_REPORTED: usize = 10;
/// Prefixes taken per program at most (longer programs use evenly spaced cuts).
const MAX_PREFIXES: usize = 4000;
const MUTATIONS: usize = 120_000;
const SHUFFLES: usize = 50_000;

const SAMPLE_STRUCT: &str = r#""""A module docstring."""
from unsafe import gc_alloc, gc_ptr

@struct
class Point:
    """a point"""
    x: i32
    y: i32
    ORIGIN_NAME = "origin"

    def __add__(self, other: Point) -> Point:
        return Point(self.x + other.x, self.y + other.y)

    @property
    def norm2(self) -> i32:
        return self.x * self.x + self.y * self.y

    @staticmethod
    def origin() -> Point:
        return Point.__make__(0, 0)

@struct
class Node:
    value: i32
    next: gc_ptr[Node]

def main() -> None:
    p = Point(1, -2) + Point.origin()
    print(p.norm2)
"#;

const SAMPLE_GENERIC: &str = r#"@struct
class Box[T]:
    value: T

    def get(self) -> T:
        return self.value

def first[T](xs: list[T]) -> T:
    return xs[0]

@blue.generic
def make_pair(T, U):
    @struct
    class Pair:
        a: T
        b: U
    return Pair

@blue
def adder(n: i32):
    def add(x: i32) -> i32:
        return x + n
    return add

@blue.metafunc
def describe(m_x):
    return OpSpec(describe_i32)

def main() -> None:
    b = Box[i32](42)
    print(first[i32]([1, 2, 3]), b.get(), adder(3)(4))
    PairIF = make_pair[i32, f64]
"#;

const SAMPLE_LOOPS: &str = "var counter: i32 = 0\nconst LIMIT = 10\n\ndef count(n: i32) -> i32:\n    var i = 0\n    total: i32 = 0\n    while i < n:\n        if i % 2 == 0:\n            total += i\n        elif i == 7:\n            break\n        else:\n            i = i + 1\n            continue\n        i = i + 1\n    for j in range(10):\n        total = total + j ** 2 // 3 << 1 | 5 & ~j ^ 9\n    if (y := total) > 3 and not False or y is None:\n        pass\n    assert total != 0, \"total is zero\"\n    return total\n\ndef main() -> None:\n\tx = count(LIMIT)\n\tprint(x, counter)\n\tdo_something(x, [1, 2,\n\t\t3], {\"a\": (1, 2.5, True, None)})  # a comment\n\ty = x \\\n\t\t+ 1\n\traise ValueError(\"bad\")\n";

const SAMPLE_STRINGS: &str = "def main() -> None:\n    s = \"tab\\tnewline\\n quote\\\" backslash\\\\ hex\\x41 uni\\u00e9 oct\\101\"\n    b = b'bytes\\x00\\xff'\n    r = r\"raw\\n\" R'x'\n    rb = rb'\\d' + Br'x'\n    t = \"\"\"triple\n'quoted' \"\"\" + '''other\n\"\"\" triple'''\n    u = 'caf\u{e9} \u{4e16}\u{754c} \u{1f40d}'\n    n = 0xFF + 0o17 + 0b101 + 1_000 + 0 + 00\n    f = -3.5e-2 + 1e10 + .5 + 3j + 1_0.0_1\n    print(s[1:2], s[::2], s[1:], b, r, rb, t, u, n, f)\n    print(i8(-128), u8(255), u64(18446744073709551615), f32(1.5), \"implicit\" 'concatenation')\n";

const SAMPLE_ERRORS: &str = "def f(a, /, b, *, c, **kw):\n    x = y = 1\n    a, *b = c\n    del x\n    with open('f') as g:\n        pass\n    try:\n        pass\n    except E:\n        pass\n    lambda: 0\n    [x for x in y]\n    return x if c else y\n\nclass C(Base, metaclass=M):\n    pass\n\nasync def g():\n    await h()\nvar x\nx = ... + f\"{s}\" + (1 if c else 2) + 007\n";

const SAMPLES: &[(&str, &str)] = &[
    ("sample struct", SAMPLE_STRUCT),
    ("sample generic", SAMPLE_GENERIC),
    ("sample loops", SAMPLE_LOOPS),
    ("sample strings", SAMPLE_STRINGS),
    ("sample errors", SAMPLE_ERRORS),
];

/// What a deep input must give.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Expect {
    Anything,
    Diagnostic,
    Dump,
}

/// The generators start from these, so they must mean what they say: every sample
/// parses, except the one made of rejected constructs.
#[test]
fn samples_parse() {
    for (name, text) in SAMPLES {
        let result = seed::parse_to_text("sample.spy", text.as_bytes());
        match (*name == "sample errors", result) {
            (false, Err(diag)) => panic!("{name} should parse:\n{diag}"),
            (true, Ok(_)) => panic!("{name} should give a diagnostic"),
            _ => {}
        }
    }
}

#[test]
fn prefixes() {
    let report = run_family("prefixes", |fz| {
        for (name, bytes) in corpus() {
            let step = (bytes.len() / MAX_PREFIXES).max(1);
            let mut n = 0;
            while n <= bytes.len() {
                fz.check(&format!("prefix of {n} bytes of {name}"), &bytes[..n], Expect::Anything);
                n += step;
            }
            fz.check(&format!("all of {name}"), &bytes, Expect::Anything);
        }
    });
    finish(&report.family.clone(), &[report]);
}

#[test]
fn byte_mutations() {
    let report = run_family("byte_mutations", |fz| {
        let corpus = corpus();
        let mut rng = Rng(0x5eed_0000_0000_00b1);
        for i in 0..MUTATIONS {
            let (name, original) = pick(&mut rng, &corpus);
            let mut bytes = original.clone();
            let edits = 1 + rng.below(4);
            for _ in 0..edits {
                mutate(&mut rng, &mut bytes);
            }
            fz.check(&format!("mutation #{i} ({edits} edits) of {name}"), &bytes, Expect::Anything);
        }
    });
    finish(&report.family.clone(), &[report]);
}

#[test]
fn token_shuffles() {
    let report = run_family("token_shuffles", |fz| {
        let corpus = corpus();
        let mut rng = Rng(0x5eed_0000_0000_00c2);
        for i in 0..SHUFFLES {
            let (name, original) = pick(&mut rng, &corpus);
            let bytes = shuffle_words(&mut rng, original);
            fz.check(&format!("shuffle #{i} of {name}"), &bytes, Expect::Anything);
        }
    });
    finish(&report.family.clone(), &[report]);
}

#[test]
fn deep_nesting() {
    let n = 10_000;
    // Expressions go in a function body: module level only takes definitions.
    let in_main = |expr: String| format!("def main() -> None:\n    x = {expr}\n").into_bytes();
    let mut cases: Vec<(String, Vec<u8>, Expect)> = vec![
        (format!("{n} '(' unclosed"), "(".repeat(n).into_bytes(), Expect::Diagnostic),
        (format!("{n} '(' closed"), in_main(format!("{}1{}", "(".repeat(n), ")".repeat(n))), Expect::Diagnostic),
        (format!("{n} '[' unclosed"), "[".repeat(n).into_bytes(), Expect::Diagnostic),
        (format!("{n} '[' closed"), in_main(format!("{}1{}", "[".repeat(n), "]".repeat(n))), Expect::Diagnostic),
        (format!("{n} '{{' unclosed"), "{".repeat(n).into_bytes(), Expect::Diagnostic),
        (format!("{n} '{{' closed"), in_main(format!("{}{}", "{".repeat(n), "}".repeat(n))), Expect::Diagnostic),
        (
            format!("{n} nested calls f(f(...))"),
            in_main(format!("{}1{}", "f(".repeat(n), ")".repeat(n))),
            Expect::Diagnostic,
        ),
        (format!("{n} unary '-'"), in_main(format!("{}1", "-".repeat(n))), Expect::Diagnostic),
        (format!("{n} unary '- '"), in_main(format!("{}y", "- ".repeat(n))), Expect::Diagnostic),
        (format!("{n} 'not '"), in_main(format!("{}y", "not ".repeat(n))), Expect::Diagnostic),
        (format!("{n} calls f()()()..."), in_main(format!("f{}", "()".repeat(n))), Expect::Anything),
        (format!("{n} subscripts x[0][0]..."), in_main(format!("x{}", "[0]".repeat(n))), Expect::Anything),
        ("150 nested 'if x:'".to_string(), nested_ifs(150), Expect::Anything),
        ("1000 nested 'if x:'".to_string(), nested_ifs(1000), Expect::Anything),
        (
            "1 MB string literal".to_string(),
            in_main(format!("\"{}\"", "abc\\n\\x41\u{e9} ".repeat(1 << 16))),
            Expect::Anything,
        ),
        (
            "1 MB string literal, unclosed".to_string(),
            in_main(format!("\"{}", "a".repeat(1 << 20))),
            Expect::Diagnostic,
        ),
        ("1 MB file of 'x = 1' lines".to_string(), "x = 1\n".repeat((1 << 20) / 6).into_bytes(), Expect::Dump),
        ("100000 terms 1+1+...".to_string(), in_main(format!("{}1", "1+".repeat(99_999))), Expect::Anything),
        ("50000 names a.b.c...".to_string(), in_main(format!("a{}", ".b".repeat(49_999))), Expect::Anything),
    ];
    // Every deep input on its own thread named after it, so even a stack overflow
    // (which aborts the process rather than panicking) names its input. After a hang
    // the rest is not run: the abandoned thread may still be allocating.
    let mut reports: Vec<Report> = Vec::new();
    for (label, bytes, expect) in cases.drain(..) {
        reports.push(run_family(&format!("deep {label}"), move |fz| fz.check(&label, &bytes, expect)));
        if reports.last().is_some_and(|r| r.hung) {
            break;
        }
    }
    finish("deep_nesting", &reports);
}

/// `if x:` nested `levels` deep in a function, four spaces per level.
fn nested_ifs(levels: usize) -> Vec<u8> {
    let mut text = String::from("def main() -> None:\n");
    for level in 1..=levels {
        text.push_str(&"    ".repeat(level));
        text.push_str("if x:\n");
    }
    text.push_str(&"    ".repeat(levels + 1));
    text.push_str("pass\n");
    text.into_bytes()
}

/// The programs the generators start from: the samples, then every `.spy` under
/// `stage-tests/cases/`, in path order.
fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut programs: Vec<(String, Vec<u8>)> =
        SAMPLES.iter().map(|(name, text)| (name.to_string(), text.as_bytes().to_vec())).collect();
    let cases = stage_tests::cases_dir();
    for file in stage_tests::spy_files(&cases) {
        let bytes = std::fs::read(&file).unwrap_or_else(|err| panic!("cannot read {}: {err}", file.display()));
        let name = file.strip_prefix(&cases).unwrap_or(&file).display().to_string();
        programs.push((name, bytes));
    }
    programs
}

/// A program of the corpus: half the time one of the samples (they are longer and
/// use more of the language than the one-behaviour cases).
fn pick<'a>(rng: &mut Rng, corpus: &'a [(String, Vec<u8>)]) -> &'a (String, Vec<u8>) {
    if rng.below(2) == 0 {
        &corpus[rng.below(SAMPLES.len())]
    } else {
        &corpus[rng.below(corpus.len())]
    }
}

/// The input being parsed, for the watchdog.
struct Current {
    label: String,
    input: Vec<u8>,
    started: Instant,
    running: bool,
    /// Inputs started so far.
    ran: usize,
}

/// Runs inputs through `seed::parse_to_text` and keeps the score.
struct Fuzzer {
    ran: usize,
    dumps: usize,
    slowest: (Duration, String),
    failures: Vec<String>,
    failed: usize,
    current: Arc<Mutex<Current>>,
}

/// What a family did.
struct Report {
    family: String,
    ran: usize,
    /// How many of them parsed (the others gave a diagnostic, or failed).
    dumps: usize,
    slowest: (Duration, String),
    failures: Vec<String>,
    failed: usize,
    elapsed: Duration,
    /// The family was abandoned on an input that did not finish.
    hung: bool,
}

thread_local! {
    /// Set on fuzzing threads: the panic hook records panics there instead of printing.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
    static FUZZING: RefCell<bool> = const { RefCell::new(false) };
}

/// Chains a panic hook that, on fuzzing threads, keeps the panic's message and location
/// for the report instead of printing it (one bug can fail thousands of inputs).
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if FUZZING.with(|f| *f.borrow()) {
                let location =
                    info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
                let payload = info.payload();
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(non-string panic payload)".to_string());
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("panicked at {location}: {message}")));
            } else {
                previous(info);
            }
        }));
    });
}

impl Fuzzer {
    fn check(&mut self, label: &str, input: &[u8], expect: Expect) {
        {
            let mut current = self.current.lock().unwrap();
            current.label.clear();
            current.label.push_str(label);
            current.input.clear();
            current.input.extend_from_slice(input);
            current.started = Instant::now();
            current.running = true;
            current.ran += 1;
        }
        // The one-second limit is on lexing and parsing; the dump (`spy0 parse`'s output,
        // tens of megabytes for the largest inputs) is checked for panics only.
        let start = Instant::now();
        let parsed = catch_unwind(AssertUnwindSafe(|| seed::parse_source("fuzz.spy", input)));
        let took = start.elapsed();
        let result = match parsed {
            Ok(_) => catch_unwind(AssertUnwindSafe(|| seed::parse_to_text("fuzz.spy", input))),
            Err(panic) => Err(panic),
        };
        self.current.lock().unwrap().running = false;
        self.ran += 1;
        if matches!(result, Ok(Ok(_))) {
            self.dumps += 1;
        }
        if took > self.slowest.0 {
            self.slowest = (took, label.to_string());
        }
        let problem = match &result {
            Err(_) => Some(LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| "panicked".to_string())),
            Ok(_) if took > SLOW => Some(format!("took {:.2} s (limit {} s)", took.as_secs_f64(), SLOW.as_secs())),
            Ok(Ok(_)) if expect == Expect::Diagnostic => Some("gave a dump; expected a diagnostic".to_string()),
            Ok(Err(diag)) if expect == Expect::Dump => Some(format!("gave a diagnostic; expected a dump:\n{diag}")),
            Ok(_) => None,
        };
        if let Some(problem) = problem {
            self.failed += 1;
            if self.failures.len() < MAX_REPORTED {
                self.failures.push(format!("{label}: {problem}\n    input: {}", escape(input)));
            }
        }
    }
}

/// Runs `generate` on a thread with spy0's stack while this thread watches for a hang.
fn run_family(family: &str, generate: impl FnOnce(&mut Fuzzer) + Send + 'static) -> Report {
    install_panic_hook();
    let current = Arc::new(Mutex::new(Current {
        label: String::new(),
        input: Vec::new(),
        started: Instant::now(),
        running: false,
        ran: 0,
    }));
    let (done, finished) = mpsc::channel();
    let watched = Arc::clone(&current);
    let start = Instant::now();
    std::thread::Builder::new()
        .name(family.to_string())
        .stack_size(STACK_SIZE)
        .spawn(move || {
            FUZZING.with(|f| *f.borrow_mut() = true);
            let mut fuzzer = Fuzzer {
                ran: 0,
                dumps: 0,
                slowest: (Duration::ZERO, String::new()),
                failures: Vec::new(),
                failed: 0,
                current: watched,
            };
            generate(&mut fuzzer);
            let _ = done.send(fuzzer);
        })
        .expect("spawn the fuzzing thread");
    loop {
        match finished.recv_timeout(Duration::from_millis(200)) {
            Ok(fuzzer) => {
                return Report {
                    family: family.to_string(),
                    ran: fuzzer.ran,
                    dumps: fuzzer.dumps,
                    slowest: fuzzer.slowest,
                    failures: fuzzer.failures,
                    failed: fuzzer.failed,
                    elapsed: start.elapsed(),
                    hung: false,
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{family}: the fuzzing thread died outside an input"),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let current = current.lock().unwrap();
                if current.running && current.started.elapsed() > HANG {
                    return Report {
                        family: family.to_string(),
                        ran: current.ran,
                        dumps: 0,
                        slowest: (current.started.elapsed(), current.label.clone()),
                        failures: vec![format!(
                            "{}: still running after {} s (a hang, or output that grows without bound); abandoned it\n    input: {}",
                            current.label,
                            HANG.as_secs(),
                            escape(&current.input)
                        )],
                        failed: 1,
                        elapsed: start.elapsed(),
                        hung: true,
                    };
                }
            }
        }
    }
}

/// Prints one line for the family (past the test harness's capture, so a normal run
/// shows the counts; the line of each input of a many-input family goes to the
/// captured output) and fails on any failure.
fn finish(family: &str, reports: &[Report]) {
    let mut failures = String::new();
    for r in reports {
        if reports.len() > 1 {
            eprintln!(
                "{}: {:.1} ms{}",
                r.family,
                r.slowest.0.as_secs_f64() * 1000.0,
                if r.failed > 0 { " FAILED" } else { "" }
            );
        }
        for f in &r.failures {
            failures.push_str(&format!("{f}\n"));
        }
        if r.failed > r.failures.len() {
            failures.push_str(&format!("... and {} more failing inputs\n", r.failed - r.failures.len()));
        }
    }
    let ran: usize = reports.iter().map(|r| r.ran).sum();
    let dumps: usize = reports.iter().map(|r| r.dumps).sum();
    let failed: usize = reports.iter().map(|r| r.failed).sum();
    let elapsed: Duration = reports.iter().map(|r| r.elapsed).sum();
    let slowest = reports.iter().map(|r| &r.slowest).max_by_key(|s| s.0).expect("at least one report");
    let line = format!(
        "robustness {family}: {ran} inputs ({dumps} parsed) in {:.2} s, slowest {:.1} ms ({}){}\n",
        elapsed.as_secs_f64(),
        slowest.0.as_secs_f64() * 1000.0,
        slowest.1,
        if failed > 0 { format!(", {failed} FAILED") } else { String::new() },
    );
    if reports.iter().any(|r| r.hung) {
        failures.push_str("(stopped at the first input that did not finish)\n");
    }
    let _ = std::io::stderr().write_all(line.as_bytes());
    assert!(failures.is_empty(), "seed::parse_to_text failed on generated inputs:\n{failures}");
}
