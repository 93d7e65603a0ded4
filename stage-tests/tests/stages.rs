//! The stage tests: every case of the corpus (`stage_tests::cases()`: every folder of
//! `cases/` is an area, and so is `examples/`) through every runner its goldens select
//! (docs/architecture.md "Runners"; the rule is in `stage-tests/src/lib.rs`). Each (runner,
//! case) pair is one test, named `<runner>::<area>/<path>.spy` with the runner's name
//! spelled as a Rust identifier (`seed_parse::syntax/while_loop.spy` for `seed-parse`),
//! so `cargo test -p stage-tests -- seed_interp::` runs one runner and nextest counts
//! every pair. This is a `harness = false` test: `main` makes one libtest-mimic `Trial`
//! per pair.
//!
//! A runner is one row of `RUNNERS`. It runs a program from `stage-tests/` with the case
//! path relative to it (`cases/syntax/<name>.spy`; `../examples/hello.spy` for an example),
//! and compares, after `normalize()`:
//! - stdout with the runner's stdout golden (`.parse` for `seed-parse`, absent = empty),
//! - stderr with `<name>.err` (absent = empty),
//! - the exit code with `<name>.code` (absent = 0).
//!
//! `<name>.args` (one argument per line) is passed to the program after the case path.
//! `<name>.flags` (one option per line) is passed to spy0 just before the case path.
//!
//! `<name>.targets` lists the targets a case cannot run on, one line each:
//! `not <target>: <reason>` (e.g. `not wasi: opens a path outside the preopened folder`).
//! A runner that builds for a target (`--target T` in its args) still has its test for
//! such a case, so the case stays in the test list, but the test runs nothing: it checks
//! the file's format, prints `SKIP <test>: not T: <reason>` on stderr and passes.
//!
//! A program case with no golden at all (`.out`, `.err` or `.code`) fails: a missing
//! golden is an error. A dump case is made by creating its dump golden, empty if need
//! be (`touch cases/lexer/x.tokens`), then blessing it.
//!
//! `BLESS=1 cargo test -p stage-tests -- FILTER` rewrites the goldens of each failing
//! case from the seed's actual output (and deletes those that became empty or 0, except
//! the dump golden that selects the runner), prints the files it wrote, and passes.
//! Runners of other programs (stage1) never bless. `git diff stage-tests/` is then the review.

mod invariants;

use libtest_mimic::{Arguments, Failed, Trial};
use stage_tests::support::{spy0, stage1, target_dir};
use stage_tests::{cases, crate_dir, normalize, Case};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One way of running a case.
struct Runner {
    /// The runner's name in docs/architecture.md; the first part of its test names is the
    /// same name with `_` for `-`.
    name: &'static str,
    program: Program,
    /// The program's arguments; `CASE` stands for the case path, `BUILD` for its build folder.
    args: &'static [&'static str],
    /// Extension of the golden that stdout is compared with. For a dump runner this
    /// golden also selects the cases it runs; `out` makes a program runner, which runs
    /// every case that has no dump golden.
    stdout_golden: &'static str,
    /// What to check before comparing (a failure there is a bug, not a golden to bless).
    invariants: Invariants,
}

/// Which executable a runner starts.
#[derive(Clone, Copy)]
enum Program {
    /// The seed (`support::spy0`).
    Spy0,
    /// The compiler in SPy built by the seed (`support::stage1`, `make stage1`). Its
    /// goldens are the seed's: BLESS never writes them from this program.
    Stage1,
}

#[derive(Clone, Copy, PartialEq)]
enum Invariants {
    None,
    /// `invariants::check_parse_invariants` on the case: every span lies inside its file.
    Ast,
    /// On the `tokens` dump: every span lies inside the file, the last token is the
    /// only `EndMarker`, at the end of the file, and an `Error` token comes only just before it.
    Tokens,
}

/// Stands for the case path in `Runner::args`.
const CASE: &str = "{case}";

/// Stands for the case's own build folder, `target/stage-tests/<runner>/<case path>`.
const BUILD: &str = "{build}";

/// Longest a runner may take on one case before the case fails.
const TIMEOUT: Duration = Duration::from_secs(60);

const RUNNERS: &[Runner] = &[
    // `spy0 tokens cases/lexer/<name>.spy`: the token dump (kind, byte span, value).
    Runner {
        name: "seed-tokens",
        program: Program::Spy0,
        args: &["tokens", CASE],
        stdout_golden: "tokens",
        invariants: Invariants::Tokens,
    },
    // `build/stage1/spy tokens`: the self-hosted lexer, against the seed's goldens, byte for byte.
    Runner {
        name: "stage1-tokens",
        program: Program::Stage1,
        args: &["tokens", CASE],
        stdout_golden: "tokens",
        invariants: Invariants::Tokens,
    },
    // `spy0 parse cases/syntax/<name>.spy`: the AST dump, or the parse diagnostic.
    Runner {
        name: "seed-parse",
        program: Program::Spy0,
        args: &["parse", CASE],
        stdout_golden: "parse",
        invariants: Invariants::Ast,
    },
    // `build/stage1/spy parse`: the self-hosted parser, against the seed's goldens, byte for byte.
    Runner {
        name: "stage1-parse",
        program: Program::Stage1,
        args: &["parse", CASE],
        stdout_golden: "parse",
        invariants: Invariants::None,
    },
    // `spy0 symtable cases/scope/<name>.spy`: the scope analysis (docs/spec/LANGUAGE.md §2.6), or its diagnostic.
    Runner {
        name: "seed-symtable",
        program: Program::Spy0,
        args: &["symtable", CASE],
        stdout_golden: "symtable",
        invariants: Invariants::None,
    },
    // `build/stage1/spy symtable`: the self-hosted scope analysis, against the seed's goldens, byte for byte.
    Runner {
        name: "stage1-symtable",
        program: Program::Stage1,
        args: &["symtable", CASE],
        stdout_golden: "symtable",
        invariants: Invariants::None,
    },
    // `spy0 imports cases/imports/<name>.spy`: the import tree and order (§2.5), or the ImportError.
    Runner {
        name: "seed-imports",
        program: Program::Spy0,
        args: &["imports", CASE],
        stdout_golden: "imports",
        invariants: Invariants::None,
    },
    // `build/stage1/spy imports`: the self-hosted loader, against the seed's goldens, byte for byte.
    Runner {
        name: "stage1-imports",
        program: Program::Stage1,
        args: &["imports", CASE],
        stdout_golden: "imports",
        invariants: Invariants::None,
    },
    // `spy0 redshift cases/redshift/<name>.spy`: the redshifted module (§5.11).
    Runner {
        name: "seed-redshift-print",
        program: Program::Spy0,
        args: &["redshift", CASE],
        stdout_golden: "redshift",
        invariants: Invariants::None,
    },
    // `spy0 colorize --format json cases/colorize/<name>.spy`: the color of every expression.
    Runner {
        name: "seed-colorize",
        program: Program::Spy0,
        args: &["colorize", "--format", "json", CASE],
        stdout_golden: "colors",
        invariants: Invariants::None,
    },
    // `spy0 cases/<area>/<name>.spy`: runs the program (stdout `.out`, stderr `.err`, status `.code`).
    Runner {
        name: "seed-interp",
        program: Program::Spy0,
        args: &[CASE],
        stdout_golden: "out",
        invariants: Invariants::None,
    },
    // `spy0 redshift -x cases/<area>/<name>.spy`: the same program, run from its redshifted form.
    Runner {
        name: "seed-redshift",
        program: Program::Spy0,
        args: &["redshift", "-x", CASE],
        stdout_golden: "out",
        invariants: Invariants::None,
    },
    // `spy0 build -x cases/<area>/<name>.spy`: the same program compiled to C with libspy and run
    // natively. Each case has its own build folder under target/, reused while its C
    // does not change.
    Runner {
        name: "seed-native",
        program: Program::Spy0,
        args: &["build", "-x", "--Werror", "-b", BUILD, CASE],
        stdout_golden: "out",
        invariants: Invariants::None,
    },
    // `spy0 build -x --target wasi cases/<area>/<name>.spy`: the same C built for
    // wasm32-wasi with clang-14 and run under wasmtime by `spy-bootstrap run-wasm`.
    Runner {
        name: "seed-wasi",
        program: Program::Spy0,
        args: &["build", "-x", "--target", "wasi", "--Werror", "-b", BUILD, CASE],
        stdout_golden: "out",
        invariants: Invariants::None,
    },
    // `spy0 build -x --target baremetal cases/<area>/<name>.spy`: the same C built for a
    // Cortex-M3 with arm-none-eabi-gcc and picolibc, run in QEMU by `spy-bootstrap run-baremetal`.
    Runner {
        name: "seed-baremetal",
        program: Program::Spy0,
        args: &["build", "-x", "--target", "baremetal", "--Werror", "-b", BUILD, CASE],
        stdout_golden: "out",
        invariants: Invariants::None,
    },
];

impl Runner {
    /// Whether the goldens of `case` select this runner (the rule in `stage-tests/src/lib.rs`).
    fn runs(&self, case: &Case) -> bool {
        if self.stdout_golden == "out" {
            case.is_program()
        } else {
            case.has(self.stdout_golden)
        }
    }

    fn test_name(&self, case: &Case) -> String {
        format!("{}::{}", self.name.replace('-', "_"), case.name)
    }
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    for case in cases() {
        for runner in RUNNERS {
            if runner.runs(&case) {
                let case = case.clone();
                trials.push(Trial::test(runner.test_name(&case), move || run_case(runner, &case)));
            }
        }
    }
    libtest_mimic::run(&args, trials).exit();
}

fn fail<T>(message: String) -> Result<T, Failed> {
    Err(Failed::from(message))
}

/// What a program printed and how it ended, after `normalize()`.
#[derive(PartialEq)]
struct Outcome {
    stdout: String,
    stderr: String,
    code: i32,
}

fn run_case(runner: &Runner, case: &Case) -> Result<(), Failed> {
    let test_name = runner.test_name(case);
    let bless_command = format!("BLESS=1 cargo test -p stage-tests -- {test_name}");
    let rel = &case.rel;

    if let Some(target) = runner.args.iter().skip_while(|&&a| a != "--target").nth(1) {
        if let Some(reason) = not_on_target(&case.path.with_extension("targets"), target)? {
            eprintln!("SKIP {test_name}: not {target}: {reason}");
            return Ok(());
        }
    }

    if runner.invariants == Invariants::Ast {
        let bytes = match std::fs::read(&case.path) {
            Ok(bytes) => bytes,
            Err(err) => return fail(format!("cannot read {rel}: {err}")),
        };
        if let Err(violation) = invariants::check_parse_invariants(rel, &bytes) {
            return fail(format!(
                "{rel}: the AST breaks an invariant (this is a seed bug, not a golden to bless):\n{violation}"
            ));
        }
    }

    let stdout_golden = case.golden(runner.stdout_golden);
    let has_golden = stdout_golden.is_file() || case.has("err") || case.has("code");
    let expected = Outcome {
        stdout: read_golden(&stdout_golden)?,
        stderr: read_golden(&case.golden("err"))?,
        code: match read_golden(&case.golden("code"))?.trim() {
            "" => 0,
            text => match text.parse() {
                Ok(code) => code,
                Err(_) => {
                    return fail(format!(
                        "{}: expected an exit code (a number), found {text:?}",
                        rel_with_extension(rel, "code")
                    ))
                }
            },
        },
    };

    let actual = run_program(runner, case)?;
    if runner.invariants == Invariants::Tokens && actual.code == 0 {
        let len = std::fs::metadata(&case.path).map(|m| m.len()).unwrap_or(0);
        if let Err(violation) = check_token_dump(&actual.stdout, len) {
            return fail(format!(
                "{rel}: the {} runner's token dump breaks an invariant (a lexer bug, not a golden to bless): {violation}",
                runner.name
            ));
        }
    }
    if has_golden && actual == expected {
        return Ok(());
    }
    if blessing() && matches!(runner.program, Program::Spy0) {
        let written = bless(case, runner, &actual)?;
        eprintln!("BLESS {test_name}: {}", written.join(", "));
        return Ok(());
    }
    let mut report = String::new();
    if !has_golden {
        report.push_str(&format!(
            "missing golden: none of {}, {} and .code exists (run with BLESS=1 to write them from the output below: {bless_command})\n",
            rel_with_extension(rel, runner.stdout_golden),
            rel_with_extension(rel, "err"),
        ));
    } else {
        report.push_str(&format!("{rel}: the {} runner's output differs from the goldens\n", runner.name));
    }
    report.push_str(&diff(&format!("stdout (.{})", runner.stdout_golden), &expected.stdout, &actual.stdout));
    report.push_str(&diff("stderr (.err)", &expected.stderr, &actual.stderr));
    report.push_str(&diff("exit code (.code)", &format!("{}\n", expected.code), &format!("{}\n", actual.code)));
    report.push_str(&format!(
        "\nif the new output is right, bless it and review the diff:\n    {bless_command}\n    git diff stage-tests/ examples/\n"
    ));
    fail(report)
}

/// The invariants of a `tokens` dump (`Kind start end [value]` per line) of a file of
/// `len` bytes: spans inside the file, one final `EndMarker` at its end, and an
/// `Error` token only just before it (the lexer stops at its first error).
fn check_token_dump(dump: &str, len: u64) -> Result<(), String> {
    let lines: Vec<&str> = dump.lines().collect();
    for (idx, line) in lines.iter().enumerate() {
        let mut words = line.splitn(4, ' ');
        let kind = words.next().unwrap_or("");
        let span: Vec<Option<u64>> = words.take(2).map(|w| w.parse().ok()).collect();
        let (Some(Some(start)), Some(Some(end))) = (span.first(), span.get(1)) else {
            return Err(format!("line {}: no span in {line:?}", idx + 1));
        };
        if start > end || *end > len {
            return Err(format!("line {}: span {start}..{end} is not inside the file's {len} bytes", idx + 1));
        }
        let last = idx + 1 == lines.len();
        if (kind == "EndMarker") != last {
            return Err(format!("line {}: the EndMarker must be the last token, and only it", idx + 1));
        }
        if last && (*start, *end) != (len, len) {
            return Err(format!("the EndMarker is at {start}..{end}, not at the end of the file ({len})"));
        }
        if kind == "Error" && idx + 2 != lines.len() {
            return Err(format!("line {}: an Error token must come just before the EndMarker", idx + 1));
        }
    }
    if lines.is_empty() {
        return Err("no EndMarker".to_string());
    }
    Ok(())
}

/// A golden's text, or "" when the file does not exist.
fn read_golden(path: &Path) -> Result<String, Failed> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(normalize(&text)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(err) => fail(format!("cannot read {}: {err}", path.display())),
    }
}

fn rel_with_extension(case: &str, ext: &str) -> String {
    format!("{}.{ext}", case.strip_suffix(".spy").unwrap_or(case))
}

/// A unified diff of one stream, or "" when both sides are equal.
fn diff(stream: &str, expected: &str, actual: &str) -> String {
    if expected == actual {
        return String::new();
    }
    let text_diff = similar::TextDiff::from_lines(expected, actual);
    let mut unified = text_diff.unified_diff();
    format!("\n{stream}:\n{}", unified.context_radius(3).header("expected", "actual"))
}

fn blessing() -> bool {
    std::env::var("BLESS").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Writes the goldens of `actual` beside the case, deleting those that became empty
/// (or 0), and returns what it did, one entry per file.
/// Writes the goldens of `actual` beside the case, deleting those that became empty
/// (or 0), and returns what it did, one entry per file. A dump runner's stdout golden
/// stays, empty if need be: it is what selects the runner.
fn bless(case: &Case, runner: &Runner, actual: &Outcome) -> Result<Vec<String>, Failed> {
    let code = if actual.code == 0 { String::new() } else { format!("{}\n", actual.code) };
    let mut done = Vec::new();
    for (ext, text) in [(runner.stdout_golden, &actual.stdout), ("err", &actual.stderr), ("code", &code)] {
        let golden = case.golden(ext);
        let shown = rel_with_extension(&case.rel, ext);
        let keep = ext == runner.stdout_golden && ext != "out";
        if text.is_empty() && !keep {
            if golden.exists() {
                if let Err(err) = std::fs::remove_file(&golden) {
                    return fail(format!("cannot delete {shown}: {err}"));
                }
                done.push(format!("deleted {shown}"));
            }
        } else if std::fs::read_to_string(&golden).ok().as_deref() != Some(text.as_str()) {
            if let Err(err) = std::fs::write(&golden, text) {
                return fail(format!("cannot write {shown}: {err}"));
            }
            done.push(format!("wrote {shown}"));
        }
    }
    Ok(done)
}

/// Runs `runner` on `case` from `stage-tests/`, with the case path relative to it.
fn run_program(runner: &Runner, case: &Case) -> Result<Outcome, Failed> {
    let program = match runner.program {
        Program::Spy0 => spy0()?,
        Program::Stage1 => stage1()?,
    };
    let rel = case.rel.as_str();
    // `<name>.flags`: options for the phase, one per line, just before the case path
    // (e.g. `--full-fqn` for a redshift case).
    let flags = std::fs::read_to_string(case.golden("flags")).unwrap_or_default();
    // `make test-sanitize` sets SPY_SANITIZE: native builds use ASan and UBSan.
    let sanitize = std::env::var("SPY_SANITIZE").is_ok_and(|v| !v.is_empty() && v != "0");
    let build_root = if sanitize { format!("{}-sanitize", runner.name) } else { runner.name.to_string() };
    let build_dir = target_dir().join("stage-tests").join(build_root).join(case.name.trim_end_matches(".spy"));
    let build_dir = build_dir.to_string_lossy().into_owned();
    let mut args: Vec<&str> = Vec::new();
    for &a in runner.args {
        if a == CASE {
            args.extend(flags.lines());
            args.push(rel);
        } else if a == BUILD {
            args.push(&build_dir);
        } else {
            args.push(a);
            // The sanitizers are native only: a runner with `--target` builds without them.
            if a == "build" && sanitize && !runner.args.contains(&"--target") {
                args.push("--sanitize");
            }
        }
    }
    // `<name>.args`: the program's arguments, one per line, after the case path.
    let argv = std::fs::read_to_string(case.golden("args")).unwrap_or_default();
    if runner.args.last() == Some(&CASE) {
        args.extend(argv.lines());
    }
    let shown = format!("{} {}", program.display(), args.join(" "));
    let mut child = match Command::new(&program)
        .args(&args)
        .current_dir(crate_dir())
        // Relative, so goldens that show a stdlib frame hold the same path in any clone.
        .env("SPY_STDLIB", "../stdlib")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(err) => return fail(format!("cannot run `{shown}`: {err}")),
    };
    let stdout = drain(child.stdout.take().expect("piped"));
    let stderr = drain(child.stderr.take().expect("piped"));
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return fail(format!(
                    "`{shown}` (in stage-tests/) did not finish in {} s; killed it",
                    TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(err) => return fail(format!("waiting for `{shown}`: {err}")),
        }
    };
    let stdout = normalize(&String::from_utf8_lossy(&stdout.join().expect("reader thread")));
    let stderr = normalize(&String::from_utf8_lossy(&stderr.join().expect("reader thread")));
    match status.code() {
        Some(code) => Ok(Outcome { stdout, stderr, code }),
        // Killed by a signal (a crash, e.g. a stack overflow): never a golden.
        None => fail(format!("`{shown}` (in stage-tests/) was killed: {status}\nstdout:\n{stdout}\nstderr:\n{stderr}")),
    }
}

/// Reads a pipe to its end on its own thread, so neither pipe can fill up and block
/// the child while we wait for it.
fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

/// The reason `<name>.targets` gives for the case not running on `target`, if it does.
/// Every line must be `not <target>: <reason>` with a known target and a reason.
fn not_on_target(file: &Path, target: &str) -> Result<Option<String>, Failed> {
    const TARGETS: &[&str] = &["native", "wasi", "baremetal"];
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return fail(format!("cannot read {}: {err}", file.display())),
    };
    let mut found = None;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match line.strip_prefix("not ").and_then(|rest| rest.split_once(':')) {
            Some((t, reason)) if TARGETS.contains(&t.trim()) && !reason.trim().is_empty() => {
                if t.trim() == target {
                    found = Some(reason.trim().to_string());
                }
            }
            _ => {
                return fail(format!(
                    "{}: expected lines `not <target>: <reason>` (targets: {}), found {line:?}",
                    file.display(),
                    TARGETS.join(", ")
                ))
            }
        }
    }
    Ok(found)
}
