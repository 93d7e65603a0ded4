//! The stage tests: every case under `cases/` through every runner that applies to it
//! (ARCHITECTURE.md "Runners"). Each (runner, case) pair is one test, named
//! `<runner>::<area>/<name>.spy`, with the runner's name spelled as a Rust identifier
//! (`seed_parse::syntax/while_loop.spy` for the runner `seed-parse`), because
//! datatest-stable names a test after its test function and the path below its root.
//!
//! A runner is one row of `RUNNERS` plus one line in `harness!` at the bottom. It runs
//! a program with the case path relative to `stage-tests/` (`cases/syntax/x.spy`),
//! from `stage-tests/`, and compares, after `normalize()`:
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
//! A case with no golden at all (stdout, `.err` or `.code`) fails: a missing golden is an error.
//!
//! `BLESS=1 cargo test -p stage-tests -- FILTER` rewrites the goldens of each failing
//! case from the actual output (and deletes those that became empty or 0), prints the
//! files it wrote, and passes. `git diff stage-tests/` is then the review.

use datatest_stable::Utf8Path;
use stage_tests::{crate_dir, normalize, workspace_dir};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// One way of running a case.
struct Runner {
    /// The runner's name in ARCHITECTURE.md; its test function (and so the first part
    /// of its test names) is the same name with `_` for `-`.
    name: &'static str,
    program: Program,
    /// The program's arguments; `CASE` stands for the case path.
    args: &'static [&'static str],
    /// Extension of the golden that stdout is compared with.
    stdout_golden: &'static str,
    /// Check `seed::check_parse_invariants` on the case before comparing.
    parse_invariants: bool,
}

/// Which executable a runner starts.
enum Program {
    /// The seed: `$SPY0`, else `<workspace>/target/debug/spy0`.
    Spy0,
    /// The compiler in SPy built by the seed: `<workspace>/build/stage1/spy` (`make stage1`).
    /// Its goldens are the seed's: BLESS never writes them from this program.
    Stage1,
}

/// Stands for the case path in `Runner::args`.
const CASE: &str = "{case}";

/// Stands for the case's own build folder, `target/stage-tests/<runner>/<area>/<name>`.
const BUILD: &str = "{build}";

/// Longest a runner may take on one case before the case fails.
const TIMEOUT: Duration = Duration::from_secs(60);

const RUNNERS: &[Runner] = &[
    // `spy0 parse cases/syntax/x.spy`: the AST dump, or the parse diagnostic.
    Runner {
        name: "seed-parse",
        program: Program::Spy0,
        args: &["parse", CASE],
        stdout_golden: "parse",
        parse_invariants: true,
    },
    // `spy0 cases/x/y.spy`: runs the program (stdout `.out`, stderr `.err`, status `.code`).
    Runner {
        name: "seed-interp",
        program: Program::Spy0,
        args: &[CASE],
        stdout_golden: "out",
        parse_invariants: false,
    },
    // `spy0 redshift -x cases/x/y.spy`: the same program, run from its redshifted form.
    Runner {
        name: "seed-redshift",
        program: Program::Spy0,
        args: &["redshift", "-x", CASE],
        stdout_golden: "out",
        parse_invariants: false,
    },
    // `spy0 build -x cases/x/y.spy`: the same program compiled to C with libspy and run
    // natively. Each case has its own build folder under target/, reused while its C
    // does not change.
    Runner {
        name: "seed-native",
        program: Program::Spy0,
        args: &["build", "-x", "--Werror", "-b", BUILD, CASE],
        stdout_golden: "out",
        parse_invariants: false,
    },
    // `spy0 build -x --target wasi cases/x/y.spy`: the same C built for wasm32-wasi with
    // clang-14 and run under wasmtime by `spy-bootstrap run-wasm` (target/debug/).
    Runner {
        name: "seed-wasi",
        program: Program::Spy0,
        args: &["build", "-x", "--target", "wasi", "--Werror", "-b", BUILD, CASE],
        stdout_golden: "out",
        parse_invariants: false,
    },
    // `spy0 build -x --target baremetal cases/x/y.spy`: the same C built for a Cortex-M3 with
    // arm-none-eabi-gcc and picolibc, run in QEMU by `spy-bootstrap run-baremetal`.
    Runner {
        name: "seed-baremetal",
        program: Program::Spy0,
        args: &["build", "-x", "--target", "baremetal", "--Werror", "-b", BUILD, CASE],
        stdout_golden: "out",
        parse_invariants: false,
    },
    // `build/stage1/spy parse cases/syntax/x.spy`: the self-hosted parser, against the
    // seed's goldens, byte for byte.
    Runner {
        name: "stage1-parse",
        program: Program::Stage1,
        args: &["parse", CASE],
        stdout_golden: "parse",
        parse_invariants: false,
    },
    // `spy0 redshift cases/redshift/x.spy`: the redshifted module (LANGUAGE.md §5.11).
    Runner {
        name: "seed-redshift-print",
        program: Program::Spy0,
        args: &["redshift", CASE],
        stdout_golden: "rs",
        parse_invariants: false,
    },
    // `spy0 colorize --format json cases/colorize/x.spy`: the color of every expression.
    Runner {
        name: "seed-colorize",
        program: Program::Spy0,
        args: &["colorize", "--format", "json", CASE],
        stdout_golden: "colors",
        parse_invariants: false,
    },
];

fn seed_redshift_print(path: &Utf8Path) -> datatest_stable::Result<()> {
    run_case("seed-redshift-print", path)
}

fn seed_colorize(path: &Utf8Path) -> datatest_stable::Result<()> {
    run_case("seed-colorize", path)
}

fn seed_parse(path: &Utf8Path) -> datatest_stable::Result<()> {
    run_case("seed-parse", path)
}

fn stage1_parse(path: &Utf8Path) -> datatest_stable::Result<()> {
    run_case("stage1-parse", path)
}

fn seed_interp(path: &Utf8Path) -> datatest_stable::Result<()> {
    run_case("seed-interp", path)
}

fn seed_redshift(path: &Utf8Path) -> datatest_stable::Result<()> {
    run_case("seed-redshift", path)
}

fn seed_native(path: &Utf8Path) -> datatest_stable::Result<()> {
    run_case("seed-native", path)
}

fn seed_wasi(path: &Utf8Path) -> datatest_stable::Result<()> {
    run_case("seed-wasi", path)
}

fn seed_baremetal(path: &Utf8Path) -> datatest_stable::Result<()> {
    run_case("seed-baremetal", path)
}

// One line per runner: its test function, and which cases it runs (`pattern` is matched
// against the path below `cases/`).
datatest_stable::harness! {
    { test = seed_parse, root = stage_tests::cases_dir().display().to_string(), pattern = r"^syntax/[^/]+\.spy$" },
    { test = stage1_parse, root = stage_tests::cases_dir().display().to_string(), pattern = r"^syntax/[^/]+\.spy$" },
    { test = seed_interp, root = stage_tests::cases_dir().display().to_string(), pattern = PROGRAM_AREAS },
    { test = seed_redshift, root = stage_tests::cases_dir().display().to_string(), pattern = PROGRAM_AREAS },
    { test = seed_native, root = stage_tests::cases_dir().display().to_string(), pattern = PROGRAM_AREAS },
    { test = seed_wasi, root = stage_tests::cases_dir().display().to_string(), pattern = PROGRAM_AREAS },
    { test = seed_baremetal, root = stage_tests::cases_dir().display().to_string(), pattern = PROGRAM_AREAS },
    { test = seed_redshift_print, root = stage_tests::cases_dir().display().to_string(), pattern = r"^redshift/[^/]+\.spy$" },
    { test = seed_colorize, root = stage_tests::cases_dir().display().to_string(), pattern = r"^colorize/[^/]+\.spy$" },
}

/// The areas whose cases are whole programs, run by every execution runner.
const PROGRAM_AREAS: &str = r"^(types|operators|control|functions|structs|blue|errors-static|errors-runtime|generics|list|dict|tuple|metafunc|str|files|programs|unsafe|stdlib|modules)/[^/]+\.spy$";

/// A failed test: its message is printed as it is (datatest-stable prints an error
/// with `{:?}`, which would quote and escape a plain `String`).
struct Failure(String);

impl std::fmt::Debug for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failure {}

fn fail<T>(message: String) -> datatest_stable::Result<T> {
    Err(Box::new(Failure(message)))
}

/// What a program printed and how it ended, after `normalize()`.
#[derive(PartialEq)]
struct Outcome {
    stdout: String,
    stderr: String,
    code: i32,
}

fn run_case(runner_name: &str, path: &Utf8Path) -> datatest_stable::Result<()> {
    let runner = RUNNERS.iter().find(|r| r.name == runner_name).expect("every harness! line has a row in RUNNERS");
    let path = Path::new(path.as_str());
    let rel_path = path.strip_prefix(crate_dir()).unwrap_or(path);
    let case = rel_path.to_string_lossy().replace('\\', "/");
    let below_cases = case.strip_prefix("cases/").unwrap_or(&case);
    let test_name = format!("{}::{below_cases}", runner.name.replace('-', "_"));
    let bless_command = format!("BLESS=1 cargo test -p stage-tests -- {test_name}");
    let abs_path = crate_dir().join(rel_path);

    if let Some(target) = runner.args.iter().skip_while(|&&a| a != "--target").nth(1) {
        if let Some(reason) = not_on_target(&abs_path.with_extension("targets"), target)? {
            eprintln!("SKIP {test_name}: not {target}: {reason}");
            return Ok(());
        }
    }

    if runner.parse_invariants {
        let bytes = match std::fs::read(&abs_path) {
            Ok(bytes) => bytes,
            Err(err) => return fail(format!("cannot read {case}: {err}")),
        };
        if let Err(violation) = seed::check_parse_invariants(&case, &bytes) {
            return fail(format!(
                "{case}: the AST breaks an invariant (this is a seed bug, not a golden to bless):\n{violation}"
            ));
        }
    }

    let stdout_golden = abs_path.with_extension(runner.stdout_golden);
    let err_golden = abs_path.with_extension("err");
    let code_golden = abs_path.with_extension("code");
    let has_golden = stdout_golden.is_file() || err_golden.is_file() || code_golden.is_file();
    let expected = Outcome {
        stdout: read_golden(&stdout_golden)?,
        stderr: read_golden(&err_golden)?,
        code: match read_golden(&code_golden)?.trim() {
            "" => 0,
            text => match text.parse() {
                Ok(code) => code,
                Err(_) => {
                    return fail(format!("{}: expected an exit code (a number), found {text:?}", code_golden.display()))
                }
            },
        },
    };

    let actual = run_program(runner, &case)?;
    if has_golden && actual == expected {
        return Ok(());
    }
    if blessing() && matches!(runner.program, Program::Spy0) {
        let written = bless(&abs_path, runner, &actual)?;
        eprintln!("BLESS {test_name}: {}", written.join(", "));
        return Ok(());
    }
    let mut report = String::new();
    if !has_golden {
        report.push_str(&format!(
            "missing golden: none of {}, {} and .code exists (run with BLESS=1 to write them from the output below: {bless_command})\n",
            rel_with_extension(&case, runner.stdout_golden),
            rel_with_extension(&case, "err"),
        ));
    } else {
        report.push_str(&format!("{case}: the {} runner's output differs from the goldens\n", runner.name));
    }
    report.push_str(&diff(&format!("stdout (.{})", runner.stdout_golden), &expected.stdout, &actual.stdout));
    report.push_str(&diff("stderr (.err)", &expected.stderr, &actual.stderr));
    report.push_str(&diff("exit code (.code)", &format!("{}\n", expected.code), &format!("{}\n", actual.code)));
    report.push_str(&format!(
        "\nif the new output is right, bless it and review the diff:\n    {bless_command}\n    git diff stage-tests/\n"
    ));
    fail(report)
}

/// The reason `<name>.targets` gives for the case not running on `target`, if it does.
/// Every line must be `not <target>: <reason>` with a known target and a reason.
fn not_on_target(file: &Path, target: &str) -> datatest_stable::Result<Option<String>> {
    const TARGETS: &[&str] = &["native", "wasi", "baremetal"];
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return fail(format!("cannot read {}: {err}", file.display())),
    };
    let mut found = None;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let parsed = line.strip_prefix("not ").and_then(|rest| rest.split_once(':'));
        match parsed {
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

/// A golden's text, or "" when the file does not exist.
fn read_golden(path: &Path) -> datatest_stable::Result<String> {
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
fn bless(case: &Path, runner: &Runner, actual: &Outcome) -> datatest_stable::Result<Vec<String>> {
    let code = if actual.code == 0 { String::new() } else { format!("{}\n", actual.code) };
    let mut done = Vec::new();
    for (ext, text) in [(runner.stdout_golden, &actual.stdout), ("err", &actual.stderr), ("code", &code)] {
        let golden = case.with_extension(ext);
        let shown = golden.strip_prefix(crate_dir()).unwrap_or(&golden).display().to_string();
        if text.is_empty() {
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

/// Runs `runner` on `case` (a path relative to `stage-tests/`) from `stage-tests/`.
fn run_program(runner: &Runner, case: &str) -> datatest_stable::Result<Outcome> {
    let program = match runner.program {
        Program::Spy0 => spy0()?,
        Program::Stage1 => stage1()?,
    };
    // `<name>.flags`: options for the phase, one per line, just before the case path
    // (e.g. `--full-fqn` for a redshift case).
    let flags = std::fs::read_to_string(crate_dir().join(case).with_extension("flags")).unwrap_or_default();
    // `make test-sanitize` sets SPY_SANITIZE: native builds use ASan and UBSan.
    let sanitize = std::env::var("SPY_SANITIZE").is_ok_and(|v| !v.is_empty() && v != "0");
    let build_root = if sanitize { format!("{}-sanitize", runner.name) } else { runner.name.to_string() };
    let build_dir = target_dir().join("stage-tests").join(build_root).join(case.trim_end_matches(".spy"));
    let build_dir = build_dir.to_string_lossy().into_owned();
    let mut args: Vec<&str> = Vec::new();
    for &a in runner.args {
        if a == CASE {
            args.extend(flags.lines());
            args.push(case);
        } else if a == BUILD {
            args.push(&build_dir);
        } else {
            args.push(a);
            // (the sanitizers are native only: a runner with `--target` builds without them)
            if a == "build" && sanitize && !runner.args.contains(&"--target") {
                args.push("--sanitize");
            }
        }
    }
    // `<name>.args`: the program's arguments, one per line, after the case path.
    let argv_file = crate_dir().join(case).with_extension("args");
    let argv = std::fs::read_to_string(&argv_file).unwrap_or_default();
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

/// Cargo's target directory: `$CARGO_TARGET_DIR`, else the workspace's `target/`.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace_dir().join(dir),
        None => workspace_dir().join("target"),
    }
}

/// The seed binary: `$SPY0` if set, else `spy0` in the workspace's target directory,
/// which must be newer than every source it was built from (`cargo test -p stage-tests`
/// rebuilds the seed library, not the binary; `make test` builds both).
fn spy0() -> datatest_stable::Result<PathBuf> {
    if let Some(path) = std::env::var_os("SPY0") {
        let path = PathBuf::from(path);
        if !path.is_file() {
            return fail(format!("SPY0={} is not a file", path.display()));
        }
        return Ok(path);
    }
    let path = target_dir().join("debug").join(format!("spy0{}", std::env::consts::EXE_SUFFIX));
    let built = match std::fs::metadata(&path).and_then(|m| m.modified()) {
        Ok(time) => time,
        Err(_) => {
            return fail(format!(
                "{} does not exist: run `cargo build -p seed` first (`make test` does it), or set SPY0=/path/to/spy0",
                path.display()
            ))
        }
    };
    // Cargo's dep-info file lists exactly the sources the binary was built from.
    let dep_info = path.with_extension("d");
    let sources = std::fs::read_to_string(&dep_info).unwrap_or_default();
    let mut newest: Option<(SystemTime, PathBuf)> = None;
    for source in sources.split_once(':').map_or("", |(_, deps)| deps).split_whitespace() {
        newest_file(Path::new(source), &mut newest);
    }
    not_older(path, built, newest, "run `cargo build -p seed` first (`make test` does it)")
}

/// `build/stage1/spy`, checked to be newer than every source it is built from.
fn stage1() -> datatest_stable::Result<PathBuf> {
    let path = workspace_dir().join("build/stage1/spy");
    let rebuild = "run `make stage1` (`make test` does it)";
    let built = match std::fs::metadata(&path).and_then(|m| m.modified()) {
        Ok(time) => time,
        Err(_) => return fail(format!("{} does not exist: {rebuild}", path.display())),
    };
    let mut newest: Option<(SystemTime, PathBuf)> = None;
    for dir in ["spy-in-spy", "stdlib"] {
        let Ok(entries) = std::fs::read_dir(workspace_dir().join(dir)) else { continue };
        for entry in entries.flatten() {
            if entry.path().extension().is_some_and(|e| e == "spy") {
                newest_file(&entry.path(), &mut newest);
            }
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
) -> datatest_stable::Result<PathBuf> {
    match newest {
        Some((time, source)) if time > built => fail(format!(
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
