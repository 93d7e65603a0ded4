//! libspy, the C runtime of compiled programs, against its oracle, the seed: the
//! interpreter and a compiled program must print the same bytes and raise the same
//! errors. The test builds libspy (`make -C libspy`, with `$CC` or gcc), compiles the C
//! drivers of `libspy/tests/` against it, writes commands to the driver's stdin (one
//! process per test), and compares each result line with what the seed's own functions
//! (`seed::vm::ops::call`, `World::run_builtin`, `render_runtime_error`) give for the
//! same inputs. The protocol is described at the top of `libspy/tests/driver.c`.
//!
//! The same commands also go to `spy-in-spy/ops_driver.spy` (built once per test run with
//! `spy0 build -O2`), which runs them through `spy-in-spy/vm/ops.spy`, the SPy twin of
//! `ops.rs`: the test fails if either libspy or ops.spy drifts from the seed. That driver
//! skips what ops.spy does not cover (`ops_driver_covers`).
//!
//! Inputs are fixed (edge values) or pseudo-random with a fixed seed, so a failure
//! reproduces; a failure lists the first mismatching commands.

use seed::ast::Names;
use seed::source::SourceMap;
use seed::vm::builtins::{ArithOp, Builtin, CmpKind, MathFn, MemOp};
use seed::vm::ops;
use seed::vm::types::{Prim, TypeId};
use seed::vm::value::{FileHandle, PtrValue, StructValue, Value};
use stage_tests::support::{spy0, target_dir, Rng};
use stage_tests::workspace_dir;
use std::cell::RefCell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::sync::OnceLock;

// ------------------------------------------------------------------ building

struct Drivers {
    driver: PathBuf,
    panic: PathBuf,
}

/// libspy and the two drivers, built once per test process. nextest runs each test in
/// its own process, so the build holds a lock file, skips drivers newer than their
/// inputs, and renames fresh executables into place (a running driver is never
/// overwritten). With `LIBSPY_SANITIZE=1`, against libspy's `native-sanitize` variant.
fn drivers() -> &'static Drivers {
    static BUILT: OnceLock<Drivers> = OnceLock::new();
    BUILT.get_or_init(|| {
        let lib = workspace_dir().join("libspy");
        let cc = std::env::var("CC").unwrap_or_else(|_| "gcc".into());
        let sanitize = std::env::var_os("LIBSPY_SANITIZE").is_some_and(|v| !v.is_empty() && v != "0");
        let variant = if sanitize { "native-sanitize" } else { "native" };
        let build = lib.join("build").join(variant);
        let dir = build.join("tests");
        std::fs::create_dir_all(&dir).expect("cannot create the drivers' directory");
        let lock = std::fs::File::create(lib.join("build").join(".test.lock")).expect("lock file");
        lock.lock().expect("cannot lock libspy/build/.test.lock");
        let out = Command::new("make")
            .args(["-s", "-j2", "-C"])
            .arg(&lib)
            .arg(format!("CC={cc}"))
            .arg(variant)
            .output()
            .expect("cannot run make");
        assert!(out.status.success(), "make -C libspy {variant} failed:\n{}", String::from_utf8_lossy(&out.stderr));
        let archive = build.join("libspy.a");
        let mtime = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        let compile = |src: &str| {
            let exe = dir.join(src.trim_end_matches(".c"));
            let inputs =
                [archive.clone(), lib.join("tests").join(src), lib.join("include/spy.h"), lib.join("src/internal.h")];
            let newest = inputs.iter().filter_map(|p| mtime(p)).max();
            if matches!((mtime(&exe), newest), (Some(e), Some(n)) if e >= n) {
                return exe;
            }
            let tmp = dir.join(format!("{}.{}.tmp", src, std::process::id()));
            let mut cmd = Command::new(&cc);
            cmd.args(["-std=c99", "-O1", "-Wall", "-Wextra", "-Werror", "-I"])
                .arg(lib.join("include"))
                .arg("-I")
                .arg(lib.join("src"))
                .arg(lib.join("tests").join(src))
                .arg(&archive);
            if sanitize {
                cmd.args(["-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"]);
            } else {
                cmd.arg("-lgc");
            }
            let out = cmd.args(["-lm", "-o"]).arg(&tmp).output().expect("cannot run the C compiler");
            assert!(out.status.success(), "compiling {src} failed:\n{}", String::from_utf8_lossy(&out.stderr));
            std::fs::rename(&tmp, &exe).expect("cannot move the driver into place");
            exe
        };
        let drivers = Drivers { driver: compile("driver.c"), panic: compile("panic.c") };
        drop(lock);
        drivers
    })
}

/// `spy-in-spy/ops_driver.spy` compiled by the seed (`spy0 build -O2`), once per test
/// run: under a lock, skipped when the executable is newer than spy0 and every `.spy`
/// of spy-in-spy/ and stdlib/, built in a folder of its own and renamed into place.
fn ops_driver() -> &'static PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let spy0 = spy0().unwrap_or_else(|e| panic!("{e}"));
        let dir = target_dir().join("ops-driver");
        std::fs::create_dir_all(&dir).expect("cannot create target/ops-driver");
        let lock = std::fs::File::create(dir.join(".lock")).expect("lock file");
        lock.lock().expect("cannot lock target/ops-driver/.lock");
        let exe = dir.join("ops_driver");
        let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        let mut inputs = vec![spy0.clone()];
        for sub in ["spy-in-spy", "spy-in-spy/vm", "stdlib"] {
            for entry in std::fs::read_dir(workspace_dir().join(sub)).expect("source folder").flatten() {
                if entry.path().extension().is_some_and(|e| e == "spy") {
                    inputs.push(entry.path());
                }
            }
        }
        let newest = inputs.iter().filter_map(|p| mtime(p)).max();
        if !matches!((mtime(&exe), newest), (Some(e), Some(n)) if e >= n) {
            let build = dir.join(format!("build.{}", std::process::id()));
            let out = Command::new(&spy0)
                .args(["build", "-O2", "-b"])
                .arg(&build)
                .arg(workspace_dir().join("spy-in-spy/ops_driver.spy"))
                .output()
                .expect("cannot run spy0 build");
            assert!(
                out.status.success(),
                "spy0 build -O2 spy-in-spy/ops_driver.spy failed:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            std::fs::rename(build.join("ops_driver"), &exe).expect("cannot move ops_driver into place");
            let _ = std::fs::remove_dir_all(&build);
        }
        drop(lock);
        exe
    })
}

/// Whether `ops_driver.spy` runs a command: everything but the bulk memory helpers
/// (`World::run_builtin` in the seed, not `ops::call`), the file layer (not ported to
/// ops.spy) and `is_compiled` (True in libspy, False in both VMs).
fn ops_driver_covers(cmd: &str) -> bool {
    let word = cmd.split(' ').next().unwrap_or("");
    let file = word.starts_with('f') && word != "float";
    !(file || word == "mem" || word == "is_compiled")
}

// ------------------------------------------------------------------ the protocol

/// One command for the driver and the line the seed says it must print.
struct Case {
    cmd: String,
    expected: Vec<u8>,
}

fn hex(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "-".into();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn f64_text(x: f64) -> String {
    if x.is_nan() {
        "nan".into()
    } else {
        format!("d:{:016x}", x.to_bits())
    }
}

/// A value as the driver prints it.
fn canon(v: &Value) -> String {
    match v {
        Value::I8(x) => x.to_string(),
        Value::U8(x) => x.to_string(),
        Value::I32(x) => x.to_string(),
        Value::U32(x) => x.to_string(),
        Value::I64(x) => x.to_string(),
        Value::U64(x) => x.to_string(),
        Value::Bool(b) => (*b as i32).to_string(),
        Value::F64(x) => f64_text(*x),
        Value::F32(x) if x.is_nan() => "nan".into(),
        Value::F32(x) => format!("f:{:08x}", x.to_bits()),
        Value::Complex(re, im) => format!("c:{}:{}", f64_text(*re), f64_text(*im)),
        Value::Str(s) | Value::Bytes(s) => format!("s:{}", hex(s).replace('-', "")),
        Value::None => "0".into(),
        _ => panic!("no canonical form for {v:?}"),
    }
}

/// The line for a seed result: `= value` or `! hex("Kind: message")`.
fn line(r: Result<Value, ops::OpError>) -> Vec<u8> {
    match r {
        Ok(v) => format!("= {}", canon(&v)).into_bytes(),
        Err(e) => format!("! {}", hex(format!("{}: {}", e.kind, e.message).as_bytes())).into_bytes(),
    }
}

fn case(cmd: String, r: Result<Value, ops::OpError>) -> Case {
    Case { cmd, expected: line(r) }
}

/// Decodes the hex of an error line, for failure messages.
fn readable(l: &[u8]) -> String {
    let text = String::from_utf8_lossy(l).into_owned();
    match text.strip_prefix("! ") {
        Some(h) if h.len() % 2 == 0 => {
            let bytes: Vec<u8> =
                (0..h.len()).step_by(2).filter_map(|i| u8::from_str_radix(&h[i..i + 2], 16).ok()).collect();
            format!("{text}  ({})", String::from_utf8_lossy(&bytes))
        }
        _ => text,
    }
}

/// Runs the C driver on every command, then ops_driver.spy on those it covers, and
/// compares the lines with the seed's; returns the count.
fn run_cases(what: &str, cases: &[Case]) -> usize {
    let all: Vec<&Case> = cases.iter().collect();
    run_driver(&drivers().driver, "libspy", what, &all);
    let covered: Vec<&Case> = cases.iter().filter(|c| ops_driver_covers(&c.cmd)).collect();
    if !covered.is_empty() {
        run_driver(ops_driver(), "ops.spy", &format!("{what} (ops.spy)"), &covered);
    }
    cases.len()
}

/// Runs one driver on the commands and compares each line with the seed's.
fn run_driver(exe: &Path, label: &str, what: &str, cases: &[&Case]) {
    let mut input = Vec::new();
    for c in cases {
        assert!(!c.cmd.contains('\n'), "command with a newline: {}", c.cmd);
        input.extend_from_slice(c.cmd.as_bytes());
        input.push(b'\n');
    }
    let mut child = Command::new(exe)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start the driver");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("driver output");
    writer.join().expect("writer thread").expect("writing the commands");
    assert!(
        out.status.success(),
        "{what}: the driver failed: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let mut got: Vec<&[u8]> = out.stdout.split(|b| *b == b'\n').collect();
    if got.last() == Some(&&b""[..]) {
        got.pop();
    }
    let mut failures = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let g = got.get(i).copied().unwrap_or(b"<no output>");
        if g != c.expected.as_slice() {
            failures.push(format!("  {}\n    seed:   {}\n    {label}: {}", c.cmd, readable(&c.expected), readable(g)));
        }
    }
    assert_eq!(got.len(), cases.len(), "{what}: {} result lines for {} commands", got.len(), cases.len());
    assert!(
        failures.is_empty(),
        "{what}: {} of {} cases differ from the seed; the first ones:\n{}",
        failures.len(),
        cases.len(),
        failures.iter().take(25).cloned().collect::<Vec<_>>().join("\n")
    );
    println!("{what}: {} cases agree with the seed", cases.len());
}

// ------------------------------------------------------------------ inputs

const INTS: [Prim; 6] = [Prim::I8, Prim::U8, Prim::I32, Prim::U32, Prim::I64, Prim::U64];

fn name(p: Prim) -> &'static str {
    p.name()
}

fn bits(p: Prim) -> i128 {
    match p {
        Prim::I8 | Prim::U8 => 8,
        Prim::I32 | Prim::U32 => 32,
        _ => 64,
    }
}

/// A value as a driver argument: integers in decimal, floats as their bits.
fn arg(v: &Value) -> String {
    match v {
        Value::F64(x) => format!("{:016x}", x.to_bits()),
        Value::F32(x) => format!("{:08x}", x.to_bits()),
        Value::Bool(b) => (*b as i32).to_string(),
        _ => canon(v),
    }
}

/// The edge values of an integer type, then pseudo-random ones.
fn int_values(p: Prim, rng: &mut Rng, random: usize) -> Vec<Value> {
    let (min, max) = ops::int_range(p);
    let b = bits(p);
    let mut xs: Vec<i128> = vec![
        min,
        min + 1,
        min / 2,
        -100,
        -8,
        -3,
        -2,
        -1,
        0,
        1,
        2,
        3,
        5,
        7,
        10,
        b - 1,
        b,
        b + 1,
        100,
        max / 2,
        max - 1,
        max,
    ];
    xs.retain(|x| (min..=max).contains(x));
    for i in 0..random {
        xs.push(match i % 3 {
            0 => rng.next() as i128,
            1 => rng.range(-20, 20) as i128,
            _ => (rng.next() >> rng.below(64)) as i128,
        });
    }
    xs.into_iter().map(|x| ops::wrap(p, x)).collect()
}

const FLOAT_EDGES: [f64; 28] = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    -0.5,
    1.5,
    -2.5,
    2.0,
    3.0,
    -3.0,
    7.0,
    -7.5,
    0.1,
    1.0 / 3.0,
    123.456,
    1e16,
    1e300,
    -1e308,
    1.7976931348623157e308,
    2.2250738585072014e-308,
    5e-324,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    -f64::NAN,
    2147483648.5,
    -9.3e18,
];

fn float_values(rng: &mut Rng, random: usize) -> Vec<f64> {
    let mut xs = FLOAT_EDGES.to_vec();
    for i in 0..random {
        xs.push(match i % 3 {
            0 => f64::from_bits(rng.next()),
            1 => rng.range(-50, 50) as f64 / 4.0,
            _ => (rng.range(-1000, 1000) as f64) * 10f64.powi(rng.range(-8, 8) as i32),
        });
    }
    xs
}

// ------------------------------------------------------------------ floats print like the seed

/// f64 `str`/`repr` (Python's shortest round-trip) on 200k bit patterns and the hard
/// cases; f32 `str` (`%.7g`) on 200k; complex `str`.
#[test]
fn floats_print_like_the_seed() {
    let mut rng = Rng(0x2545F4914F6CDD1D);
    let mut f64s: Vec<f64> = FLOAT_EDGES.to_vec();
    for e in -330..=310 {
        let p = format!("1e{e}").parse::<f64>().expect("power of ten");
        f64s.extend([p, -p, f64::from_bits(p.to_bits() + 1), f64::from_bits(p.to_bits().saturating_sub(1))]);
    }
    for e in -1074..=1023 {
        f64s.push(2f64.powi(e));
    }
    // subnormals, halfway-looking decimals, integers around 2^53
    for i in 0..2000u64 {
        f64s.push(f64::from_bits(i * 1_234_567_891 % (1 << 52)));
        f64s.push((i as f64 + 0.5) / 1000.0);
        f64s.push(9007199254740992.0 + (i as f64) * 2.0 - 2000.0);
    }
    for i in 0..200_000 {
        let r = rng.next();
        f64s.push(f64::from_bits(match i % 4 {
            // any bit pattern; then exponents near 1 (fixed notation); then short decimals
            0 | 3 => r,
            1 => (r & 0x800f_ffff_ffff_ffff) | ((1023 - 30 + (r >> 20) % 90) << 52),
            _ => ((r % 100_000) as f64 * 10f64.powi((r >> 40) as i32 % 40 - 20)).to_bits(),
        }));
    }
    let mut cases: Vec<Case> = f64s
        .iter()
        .map(|&x| {
            let v = Value::F64(x);
            case(format!("float str f64 {}", arg(&v)), ops::call(Builtin::ToStr(Prim::F64), &[v]))
        })
        .collect();
    for &x in &FLOAT_EDGES {
        let v = Value::F64(x);
        cases.push(case(format!("float repr f64 {}", arg(&v)), ops::call(Builtin::Repr(Prim::F64), &[v])));
    }
    let mut f32s: Vec<f32> = FLOAT_EDGES.iter().map(|&x| x as f32).collect();
    f32s.extend([1234567.5f32, 1234568.5, 9999999.0, 0.00001, 1.5e-5, 1e10, 3.4028235e38, 1e-45, 0.1, 3.0]);
    for e in -45..=38 {
        let p = format!("1e{e}").parse::<f32>().expect("power of ten");
        f32s.extend([p, f32::from_bits(p.to_bits() + 1), f32::from_bits(p.to_bits().saturating_sub(1))]);
    }
    for i in 0..200_000 {
        let r = rng.next() as u32;
        f32s.push(match i % 2 {
            0 => f32::from_bits(r),
            _ => f32::from_bits((r & 0x807f_ffff) | ((127 - 20 + (r >> 8) % 40) << 23)),
        });
    }
    for &x in &f32s {
        let v = Value::F32(x);
        cases.push(case(format!("float str f32 {}", arg(&v)), ops::call(Builtin::ToStr(Prim::F32), &[v])));
    }
    let parts = float_values(&mut rng, 30);
    for &re in &parts {
        for &im in &parts {
            let v = Value::Complex(re, im);
            let cmd = format!("complex str {} {}", arg(&Value::F64(re)), arg(&Value::F64(im)));
            cases.push(case(cmd, ops::call(Builtin::ToStr(Prim::Complex), &[v])));
        }
    }
    let n = run_cases("float and complex printing", &cases);
    assert!(n > 400_000);
}

// ------------------------------------------------------------------ integers

const INT_BINOPS: [(&str, ArithOp); 12] = [
    ("add", ArithOp::Add),
    ("sub", ArithOp::Sub),
    ("mul", ArithOp::Mul),
    ("div", ArithOp::Div),
    ("floordiv", ArithOp::FloorDiv),
    ("mod", ArithOp::Mod),
    ("pow", ArithOp::Pow),
    ("lshift", ArithOp::LShift),
    ("rshift", ArithOp::RShift),
    ("and", ArithOp::And),
    ("or", ArithOp::Or),
    ("xor", ArithOp::Xor),
];

const CMPS: [(&str, CmpKind); 6] = [
    ("eq", CmpKind::Eq),
    ("ne", CmpKind::Ne),
    ("lt", CmpKind::Lt),
    ("le", CmpKind::Le),
    ("gt", CmpKind::Gt),
    ("ge", CmpKind::Ge),
];

/// Wrapping arithmetic, Python's `//` and `%`, `**`, shifts of every count, the
/// unchecked divisions, comparisons, hash, str and repr of every
/// integer type, on edge values and pseudo-random pairs.
#[test]
fn integers_compute_like_the_seed() {
    let mut rng = Rng(0x9E3779B97F4A7C15);
    let mut cases = Vec::new();
    for p in INTS {
        let xs = int_values(p, &mut rng, 40);
        let pairs: Vec<(Value, Value)> =
            xs.iter().flat_map(|a| xs.iter().map(move |b| (a.clone(), b.clone()))).collect();
        for (a, b) in &pairs {
            let cmd = |op: &str| format!("int {op} {} {} {}", name(p), arg(a), arg(b));
            let args = [a.clone(), b.clone()];
            for (op, arith) in INT_BINOPS {
                cases.push(case(cmd(op), ops::call(Builtin::Arith(arith, p), &args)));
            }
            for (op, arith) in [("udiv", ArithOp::Div), ("ufloordiv", ArithOp::FloorDiv), ("umod", ArithOp::Mod)] {
                cases.push(case(cmd(op), ops::call(Builtin::Unchecked(arith, p), &args)));
            }
            for (op, c) in CMPS {
                cases.push(case(cmd(op), ops::call(Builtin::Cmp(c, p), &args)));
            }
        }
        for a in &xs {
            let cmd = |op: &str| format!("int {op} {} {} 0", name(p), arg(a));
            let one = [a.clone()];
            cases.push(case(cmd("neg"), ops::call(Builtin::Neg(p), &one)));
            cases.push(case(cmd("hash"), ops::call(Builtin::Hash(p), &one)));
            cases.push(case(cmd("str"), ops::call(Builtin::ToStr(p), &one)));
            cases.push(case(cmd("repr"), ops::call(Builtin::Repr(p), &one)));
        }
    }
    run_cases("integer arithmetic", &cases);
}

// ------------------------------------------------------------------ floats

/// f32 and f64 operators (`/`, `//`, `%`, `**` with Python's errors, ieee754_div,
/// unchecked_*), comparisons with NaN, str and repr.
#[test]
fn floats_compute_like_the_seed() {
    let mut rng = Rng(0xD1B54A32D192ED03);
    let mut cases = Vec::new();
    let xs = float_values(&mut rng, 30);
    for p in [Prim::F32, Prim::F64] {
        let val = |x: f64| if p == Prim::F32 { Value::F32(x as f32) } else { Value::F64(x) };
        for &x in &xs {
            for &y in &xs {
                let (a, b) = (val(x), val(y));
                let cmd = |op: &str| format!("float {op} {} {} {}", name(p), arg(&a), arg(&b));
                let args = [a.clone(), b.clone()];
                for (op, arith) in &INT_BINOPS[..7] {
                    cases.push(case(cmd(op), ops::call(Builtin::Arith(*arith, p), &args)));
                }
                for (op, arith) in [("udiv", ArithOp::Div), ("ufloordiv", ArithOp::FloorDiv), ("umod", ArithOp::Mod)] {
                    cases.push(case(cmd(op), ops::call(Builtin::Unchecked(arith, p), &args)));
                }
                cases.push(case(cmd("ieee"), ops::call(Builtin::Ieee754Div(p), &args)));
                for (op, c) in CMPS {
                    cases.push(case(cmd(op), ops::call(Builtin::Cmp(c, p), &args)));
                }
            }
            let a = val(x);
            let cmd = |op: &str| format!("float {op} {} {} 0", name(p), arg(&a));
            let one = [a.clone()];
            cases.push(case(cmd("neg"), ops::call(Builtin::Neg(p), &one)));
            cases.push(case(cmd("repr"), ops::call(Builtin::Repr(p), &one)));
        }
    }
    run_cases("float arithmetic", &cases);
}

/// complex128 arithmetic, equality, str/repr; bool's operators.
#[test]
fn complex_and_bool_compute_like_the_seed() {
    let mut rng = Rng(0x8CB92BA72F3D8DD7);
    let mut cases = Vec::new();
    let parts = float_values(&mut rng, 6);
    let mut zs = Vec::new();
    for (i, &re) in parts.iter().enumerate() {
        zs.push((re, parts[(i * 7 + 3) % parts.len()]));
        zs.push((re, 0.0));
        zs.push((0.0, re));
    }
    for &(a, b) in &zs {
        for &(c, d) in &zs {
            let args = [Value::Complex(a, b), Value::Complex(c, d)];
            let cmd = |op: &str| {
                format!(
                    "complex {op} {} {} {} {}",
                    arg(&Value::F64(a)),
                    arg(&Value::F64(b)),
                    arg(&Value::F64(c)),
                    arg(&Value::F64(d))
                )
            };
            for (op, arith) in &INT_BINOPS[..4] {
                cases.push(case(cmd(op), ops::call(Builtin::Arith(*arith, Prim::Complex), &args)));
            }
            cases.push(case(cmd("eq"), ops::call(Builtin::Cmp(CmpKind::Eq, Prim::Complex), &args)));
            cases.push(case(cmd("ne"), ops::call(Builtin::Cmp(CmpKind::Ne, Prim::Complex), &args)));
        }
        let z = [Value::Complex(a, b)];
        let cmd = |op: &str| format!("complex {op} {} {}", arg(&Value::F64(a)), arg(&Value::F64(b)));
        cases.push(case(cmd("neg"), ops::call(Builtin::Neg(Prim::Complex), &z)));
        cases.push(case(cmd("repr"), ops::call(Builtin::Repr(Prim::Complex), &z)));
    }
    for a in [false, true] {
        for b in [false, true] {
            let args = [Value::Bool(a), Value::Bool(b)];
            let cmd = |op: &str| format!("bool {op} {} {}", a as i32, b as i32);
            for (op, arith) in [("and", ArithOp::And), ("or", ArithOp::Or), ("xor", ArithOp::Xor)] {
                cases.push(case(cmd(op), ops::call(Builtin::Arith(arith, Prim::Bool), &args)));
            }
            for (op, c) in CMPS {
                cases.push(case(cmd(op), ops::call(Builtin::Cmp(c, Prim::Bool), &args)));
            }
        }
        let one = [Value::Bool(a)];
        let cmd = |op: &str| format!("bool {op} {} 0", a as i32);
        cases.push(case(cmd("not"), ops::call(Builtin::Not, &one)));
        cases.push(case(cmd("hash"), ops::call(Builtin::Hash(Prim::Bool), &one)));
        cases.push(case(cmd("str"), ops::call(Builtin::ToStr(Prim::Bool), &one)));
        cases.push(case(cmd("repr"), ops::call(Builtin::Repr(Prim::Bool), &one)));
    }
    run_cases("complex and bool", &cases);
}

// ------------------------------------------------------------------ conversions, parsing

/// Every `FROM_to_TO` the seed's `convert` handles: wrapping between integers,
/// saturating float -> int with NaN -> 0, i64 -> f32 through f64.
#[test]
fn conversions_like_the_seed() {
    let mut rng = Rng(0x5851F42D4C957F2D);
    let mut cases = Vec::new();
    let targets = [
        Prim::I8,
        Prim::U8,
        Prim::I32,
        Prim::U32,
        Prim::I64,
        Prim::U64,
        Prim::F32,
        Prim::F64,
        Prim::Complex,
        Prim::Bool,
    ];
    let mut sources: Vec<(Prim, Vec<Value>)> = INTS.iter().map(|&p| (p, int_values(p, &mut rng, 30))).collect();
    sources.push((Prim::Bool, vec![Value::Bool(false), Value::Bool(true)]));
    let mut fs = float_values(&mut rng, 60);
    fs.extend([
        127.5,
        127.9,
        128.0,
        -128.9,
        -129.0,
        255.9,
        256.0,
        -0.9,
        2147483647.5,
        2147483648.0,
        -2147483648.9,
        -2147483649.0,
        4294967295.5,
        4294967296.0,
        9223372036854775807.0,
        -9223372036854775808.0,
        18446744073709551615.0,
        1e19,
        2e19,
        16777217.0,
        9007199254740993.0,
    ]);
    sources.push((Prim::F64, fs.iter().map(|&x| Value::F64(x)).collect()));
    sources.push((Prim::F32, fs.iter().map(|&x| Value::F32(x as f32)).collect()));
    let extra: Vec<Value> = [9007199254740993i64, 9007199254740995, -9007199254740993, 36028797018963971, i64::MAX]
        .iter()
        .map(|&x| Value::I64(x))
        .collect();
    sources[4].1.extend(extra);
    for (from, values) in &sources {
        for &to in &targets {
            if to == Prim::Bool && from.is_float() {
                continue; // not a conversion of the seed
            }
            for v in values {
                let cmd = format!("conv {} {} {}", name(*from), name(to), arg(v));
                cases.push(case(cmd, Ok(ops::convert(*from, to, v))));
            }
        }
    }
    run_cases("conversions", &cases);
}

/// `i32("...")` and friends: Python's int() grammar and the seed's messages.
#[test]
fn int_parsing_like_the_seed() {
    let mut rng = Rng(0x6C62272E07BB0142);
    let mut texts: Vec<Vec<u8>> = [
        "0",
        "-0",
        "+0",
        "42",
        " 42 ",
        "\t-7\n",
        "+1_000",
        "1__0",
        "_1",
        "1_",
        "-",
        "+",
        "",
        "   ",
        "--1",
        "+-1",
        "1 2",
        "0x10",
        "1e3",
        "12a",
        "\u{e9}",
        "\u{a0}1",
        "\x0b\x0c\x1c\x1d\x1e\x1f5",
        "00042",
        "0_0_7",
        "1\x00",
        "99999999999999999999999999999999",
        "-99999999999999999999999999999999",
        "+18446744073709551616",
        "18446744073709551615",
        "-18446744073709551615",
        "-18446744073709551616",
        "1_8446744073709551616",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    texts.push(b"\xff12".to_vec());
    texts.push(b"12\xc3".to_vec());
    for p in INTS {
        let (min, max) = ops::int_range(p);
        for x in [min - 1, min, min + 1, max - 1, max, max + 1, -max, -max - 2] {
            texts.push(x.to_string().into_bytes());
            texts.push(format!(" +{x}\n").replace("+-", "-").into_bytes());
        }
    }
    let alphabet: [&[u8]; 14] =
        [b"0", b"1", b"5", b"9", b"_", b"-", b"+", b" ", b"\t", b"\n", b"a", b"\xc3\xa9", b"\xff", b"'"];
    for _ in 0..3000 {
        let mut t = Vec::new();
        for _ in 0..rng.below(12) {
            let piece = rng.pick(&alphabet);
            t.extend_from_slice(piece);
        }
        texts.push(t);
        let digits: String = (0..rng.range(1, 25)).map(|_| char::from(b'0' + rng.below(10) as u8)).collect();
        texts.push(if rng.below(2) == 0 { format!("-{digits}") } else { digits }.into_bytes());
    }
    let mut cases = Vec::new();
    for t in &texts {
        for p in INTS {
            let cmd = format!("parse {} {}", name(p), hex(t));
            cases.push(case(cmd, ops::call(Builtin::ParseInt(p), &[Value::Str(Rc::from(t.as_slice()))])));
        }
    }
    run_cases("int parsing", &cases);
}

// ------------------------------------------------------------------ str and bytes

fn s(b: &[u8]) -> Value {
    Value::Str(Rc::from(b))
}

fn b(bytes: &[u8]) -> Value {
    Value::Bytes(Rc::from(bytes))
}

fn list_line(parts: Result<Vec<Vec<u8>>, ops::OpError>) -> Vec<u8> {
    match parts {
        Ok(parts) => {
            let hexes: Vec<String> = parts.iter().map(|p| hex(p).replace('-', "")).collect();
            format!("= l:{}", hexes.join(".")).into_bytes()
        }
        Err(e) => line(Err(e)),
    }
}

/// The str and bytes operations: repr (quotes, escapes, invalid UTF-8), hash, slicing,
/// find/count/replace/split, upper/isspace..., encode/decode, print.
#[test]
fn str_methods_like_the_seed() {
    let mut rng = Rng(0x94D049BB133111EB);
    let snippets: [&[u8]; 26] = [
        b"a",
        b"b",
        b"ab",
        b"aa",
        b" ",
        b"  ",
        b"\t",
        b"\n",
        b"\r",
        b"\x0b",
        b"\x1c",
        b"\x1f",
        b"'",
        b"\"",
        b"\\",
        b"\x01",
        b"\x7f",
        b"\xc3\xa9",
        b"\xff",
        b"\xc3",
        b"\xe2\x82",
        b"\xe2\x82\xac",
        b"\xf0\x9f\x98\x80",
        b"\xed\xa0\x80",
        b"x",
        b"Az",
    ];
    let mut strings: Vec<Vec<u8>> = vec![vec![], b"a b  c ".to_vec(), b"it's".to_vec(), b"'\"".to_vec()];
    for _ in 0..600 {
        let mut t = Vec::new();
        for _ in 0..rng.below(8) {
            let piece = rng.pick(&snippets);
            t.extend_from_slice(piece);
        }
        strings.push(t);
    }
    let subs: Vec<Vec<u8>> =
        [&b""[..], b"a", b"b", b"ab", b" ", b"aa", b"\xc3", b"zz", b"\n"].iter().map(|x| x.to_vec()).collect();
    let mut cases = Vec::new();
    let none_or = |rng: &mut Rng| -> (i32, i32) {
        if rng.below(4) == 0 {
            (rng.range(-3, 3) as i32, 1)
        } else {
            (rng.range(-12, 12) as i32, 0)
        }
    };
    for t in &strings {
        let h = hex(t);
        let one = [s(t)];
        let ob = [b(t)];
        cases.push(case(format!("srepr {h}"), ops::call(Builtin::Repr(Prim::Str), &one)));
        cases.push(case(format!("sstr {h}"), ops::call(Builtin::ToStr(Prim::Str), &one)));
        cases.push(case(format!("brepr {h}"), ops::call(Builtin::Repr(Prim::Bytes), &ob)));
        cases.push(case(format!("bstr {h}"), ops::call(Builtin::ToStr(Prim::Bytes), &ob)));
        cases.push(case(format!("shash {h}"), ops::call(Builtin::Hash(Prim::Str), &one)));
        cases.push(case(format!("bhash {h}"), ops::call(Builtin::Hash(Prim::Bytes), &ob)));
        cases.push(case(format!("slen {h}"), ops::call(Builtin::StrLen, &one)));
        cases.push(case(format!("blen {h}"), ops::call(Builtin::BytesLen, &ob)));
        cases.push(case(format!("supper {h}"), ops::call(Builtin::StrUpper, &one)));
        cases.push(case(format!("sisascii {h}"), ops::call(Builtin::StrIsAscii, &one)));
        cases.push(case(format!("sisspace {h}"), ops::call(Builtin::StrIsSpace, &one)));
        cases.push(case(format!("ord {h}"), ops::call(Builtin::OrdStr, &one)));
        cases.push(Case { cmd: format!("split {h}"), expected: list_line(Ok(ops::split_whitespace(t))) });
        for enc in [&b"utf-8"[..], b"ascii", b"UTF-8", b""] {
            let e = hex(enc);
            cases.push(case(format!("sencode {h} {e}"), ops::call(Builtin::StrEncode, &[s(t), s(enc)])));
            cases.push(case(format!("bdecode {h} {e}"), ops::call(Builtin::BytesDecode, &[b(t), s(enc)])));
        }
        for n in [-1, 0, 1, 3] {
            cases.push(case(format!("smul {h} {n}"), ops::call(Builtin::StrMul, &[s(t), Value::I32(n)])));
            cases.push(case(format!("bmul {h} {n}"), ops::call(Builtin::BytesMul, &[b(t), Value::I32(n)])));
        }
        for _ in 0..3 {
            let i = rng.range(-10, 10) as i32;
            cases.push(case(format!("sgetitem {h} {i}"), ops::call(Builtin::StrGetItem, &[s(t), Value::I32(i)])));
            cases.push(case(format!("bgetitem {h} {i}"), ops::call(Builtin::BytesGetItem, &[b(t), Value::I32(i)])));
            let (a, an) = none_or(&mut rng);
            let (z, zn) = none_or(&mut rng);
            let (st, sn) = if rng.below(3) == 0 { (rng.range(-3, 3) as i32, 0) } else { (1, rng.below(2) as i32) };
            let slice = Value::Struct(Rc::new(StructValue {
                ty: TypeId(0),
                fields: [a, an, z, zn, st, sn].iter().map(|&x| Value::I32(x)).collect(),
            }));
            cases.push(case(
                format!("sslice {h} {a} {an} {z} {zn} {st} {sn}"),
                ops::call(Builtin::StrSlice, &[s(t), slice]),
            ));
        }
        let other = rng.pick(&strings).clone();
        let o = hex(&other);
        cases.push(case(format!("seq {h} {o}"), ops::call(Builtin::Cmp(CmpKind::Eq, Prim::Str), &[s(t), s(&other)])));
        cases.push(case(format!("sne {h} {h}"), ops::call(Builtin::Cmp(CmpKind::Ne, Prim::Str), &[s(t), s(t)])));
        cases.push(case(format!("beq {h} {h}"), ops::call(Builtin::Cmp(CmpKind::Eq, Prim::Bytes), &[b(t), b(t)])));
        cases.push(case(format!("bne {h} {o}"), ops::call(Builtin::Cmp(CmpKind::Ne, Prim::Bytes), &[b(t), b(&other)])));
        cases.push(case(format!("sadd {h} {o}"), ops::call(Builtin::StrAdd, &[s(t), s(&other)])));
        cases.push(case(format!("badd {h} {o}"), ops::call(Builtin::BytesAdd, &[b(t), b(&other)])));
        for sub in subs.iter().chain([&other]) {
            let u = hex(sub);
            cases.push(case(format!("scontains {h} {u}"), ops::call(Builtin::StrContains, &[s(t), s(sub)])));
            cases.push(Case { cmd: format!("splitsep {h} {u}"), expected: list_line(ops::split_on(t, sub)) });
            let new = rng.pick(&subs).clone();
            cases.push(case(
                format!("sreplace {h} {u} {}", hex(&new)),
                ops::call(Builtin::StrReplace, &[s(t), s(sub), s(&new)]),
            ));
            for _ in 0..2 {
                let start = rng.range(-12, 12) as i32;
                let end = rng.range(-12, 12) as i32;
                let has_end = rng.below(2) == 1;
                let endv = if has_end { Value::I32(end) } else { Value::None };
                let args = [s(t), s(sub), Value::I32(start), endv];
                let tail = format!("{h} {u} {start} {end} {}", has_end as i32);
                cases.push(case(format!("sfind {tail}"), ops::call(Builtin::StrFind, &args)));
                cases.push(case(format!("scount {tail}"), ops::call(Builtin::StrCount, &args)));
            }
        }
    }
    run_cases("str and bytes", &cases);
}

// ------------------------------------------------------------------ math, range, pointers

/// `math` with its domain and range errors, range's helpers, pointer checks.
#[test]
fn math_range_and_pointer_checks_like_the_seed() {
    let mut rng = Rng(0xBF58476D1CE4E5B9);
    let mut xs = float_values(&mut rng, 40);
    xs.extend([-1.0000001, 0.9999999, 710.0, -710.0, 1e-310, -1e-310, 0.25, -8.0, 1.0 / 3.0, 2.5, -2.0, 100.0]);
    let mut cases = Vec::new();
    for (name, f) in MathFn::ALL {
        for &x in &xs {
            if f.arity() == 1 {
                let cmd = format!("math {name} {}", arg(&Value::F64(x)));
                cases.push(case(cmd, ops::call(Builtin::Math(f), &[Value::F64(x)])));
            } else {
                for _ in 0..8 {
                    let y = *rng.pick(&xs);
                    let cmd = format!("math {name} {} {}", arg(&Value::F64(x)), arg(&Value::F64(y)));
                    cases.push(case(cmd, ops::call(Builtin::Math(f), &[Value::F64(x), Value::F64(y)])));
                }
            }
        }
    }
    for (what, field) in [("ptr_getitem", false), ("ptr_store", false), ("ptr_getfield", true), ("ptr_setfield", true)]
    {
        for null in [true, false] {
            for len in [0u32, 1, 3] {
                // field access is always item 0
                let indices: &[i32] = if field { &[0] } else { &[-1, 0, 1, 2, 3, 4, i32::MIN] };
                for &i in indices {
                    let item = Value::Struct(Rc::new(StructValue { ty: TypeId(0), fields: vec![Value::I32(7)] }));
                    let mem = (!null).then(|| Rc::new(RefCell::new(vec![item; len as usize])));
                    let len = if null { 0 } else { len };
                    let ptr = Value::Ptr(PtrValue { mem, offset: 0, len });
                    let r = match what {
                        "ptr_getitem" => ops::call(Builtin::PtrLoad, &[ptr, Value::I32(i)]),
                        "ptr_store" => ops::call(Builtin::PtrStore, &[ptr, Value::I32(i), Value::I32(1)]),
                        "ptr_getfield" => ops::call(Builtin::PtrFieldLoad(0), &[ptr]),
                        _ => ops::call(Builtin::PtrFieldStore(0), &[ptr, Value::I32(1)]),
                    };
                    let r = r.map(|_| Value::None);
                    cases.push(case(format!("ptrcheck {what} {} {len} {i}", if null { "N" } else { "P" }), r));
                }
            }
        }
    }
    cases.push(Case { cmd: "is_compiled".into(), expected: b"= 1".to_vec() }); // the seed says 0: by design
    run_cases("math, range and pointer checks", &cases);
}

/// The bulk memory helpers of `unsafe` on two 16-item blocks (i32 items, u8 for the
/// byte helpers): results, contents afterwards, and the errors (NULL, bounds, overlap,
/// length mismatch), against `World::run_builtin(Builtin::Mem(..))`.
#[test]
fn memory_helpers_like_the_seed() {
    let mut rng = Rng(0x94D049BB133111EB ^ 0x1234);
    let mut world = seed::vm::world::World::new(Names::new(), SourceMap::new());
    let mut cases = Vec::new();
    for _ in 0..6000 {
        let (opname, m) = *rng.pick(&MemOp::ALL);
        let bytes = opname.starts_with("mem");
        let item = |x: i32| if bytes { Value::U8(x as u8) } else { Value::I32(x) };
        let blocks = [
            Rc::new(RefCell::new((0..16).map(|i| item(i + 1)).collect::<Vec<_>>())),
            Rc::new(RefCell::new((0..16).map(|i| item(101 + i)).collect::<Vec<_>>())),
        ];
        let ptr = |rng: &mut Rng| -> (String, Value) {
            if rng.below(12) == 0 {
                return ("N".into(), Value::Ptr(PtrValue { mem: None, offset: 0, len: 0 }));
            }
            let which = rng.below(2);
            let off = rng.range(0, 15) as u32;
            let len = if rng.below(4) == 0 { rng.range(0, 16 - off as i64) as u32 } else { 16 - off };
            let spec = format!("{}:{off}:{len}", if which == 0 { "A" } else { "B" });
            (spec, Value::Ptr(PtrValue { mem: Some(blocks[which].clone()), offset: off, len }))
        };
        let small = |rng: &mut Rng| rng.range(-1, 17) as i32;
        let mut words = vec![opname.to_string()];
        let mut args = Vec::new();
        for kind in m.signature().chars() {
            match kind {
                'p' => {
                    let (spec, v) = ptr(&mut rng);
                    words.push(spec);
                    args.push(v);
                }
                'b' => {
                    let random = rng.below(256) as u8;
                    let byte = *rng.pick(&[0u8, 1, 0x7f, 0xff, random]);
                    words.push(byte.to_string());
                    args.push(Value::U8(byte));
                }
                _ => {
                    let n = small(&mut rng);
                    words.push(n.to_string());
                    args.push(Value::I32(n));
                }
            }
        }
        // Slices of equal length more often than not.
        if m.signature() == "piipii" && rng.below(3) != 0 {
            let (s0, e0) = (args[1].as_i32(), args[2].as_i32());
            let s1 = args[4].as_i32();
            args[5] = Value::I32(s1 + (e0 - s0));
            words[6] = (s1 + (e0 - s0)).to_string();
        }
        let r = world.run_builtin(Builtin::Mem(m), &args);
        let expected = match r {
            Err(e) => line(Err(e)),
            Ok(v) => {
                let result = match v {
                    Value::I32(x) => x,
                    _ => 0,
                };
                let mut text = format!("= {result}:");
                for block in &blocks {
                    for v in block.borrow().iter() {
                        text.push_str(&canon(v));
                        text.push(',');
                    }
                }
                text.into_bytes()
            }
        };
        cases.push(Case { cmd: format!("mem {}", words.join(" ")), expected });
    }
    run_cases("memory helpers", &cases);
}

// ------------------------------------------------------------------ files

/// A file script, in the driver's words, for a directory; the seed runs the same one.
fn file_script(dir: &std::path::Path) -> Vec<Vec<String>> {
    let p = |name: &str| hex(dir.join(name).to_string_lossy().as_bytes());
    let t = |text: &str| hex(text.as_bytes());
    let script = [
        // write, then read back line by line, by counts, everything
        format!("fopen 0 {} {}", p("a.txt"), t("w")),
        format!("fwrite 0 {}", t("hello\nworld\nlast")),
        "ftell 0".into(),
        "fileno 0".into(),
        format!("fwrite 0 {}", t("")),
        "fflush 0".into(),
        "fclose 0".into(),
        format!("fopen 0 {} {}", p("a.txt"), t("r")),
        "freadline 0".into(),
        "ftell 0".into(),
        "fread 0 3".into(),
        "freadline 0".into(),
        "freadline 0".into(),
        "freadline 0".into(),
        "fread 0 10".into(),
        "fseek 0 0 0".into(),
        "fread 0 0".into(),
        "fread 0 -1".into(),
        "fseek 0 -1 0".into(),
        "fseek 0 2 0".into(),
        "fseek 0 3 1".into(),
        "ftell 0".into(),
        "fseek 0 -4 2".into(),
        "freadall 0".into(),
        "fseek 0 -100 1".into(),
        "fseek 0 1 7".into(),
        "ftell 0".into(),
        format!("fwrite 0 {}", t("x")),
        format!("fwrite 0 {}", t("")),
        "fclose 0".into(),
        "fclose 0".into(),
        // a closed handle (no fopen in between, so its FILE* is not reused)
        "fread 0 5".into(),
        "freadline 0".into(),
        "freadall 0".into(),
        "ftell 0".into(),
        "fseek 0 0 0".into(),
        format!("fwrite 0 {}", t("x")),
        "fflush 0".into(),
        "fileno 0".into(),
        // _FILE_NULL
        "fnull 4".into(),
        "fread 4 3".into(),
        format!("fwrite 4 {}", t("x")),
        "ftell 4".into(),
        "fseek 4 0 1".into(),
        "fileno 4".into(),
        "fflush 4".into(),
        "fclose 4".into(),
        // open errors
        format!("fopen 1 {} {}", p("missing/x.txt"), t("r")),
        format!("fopen 1 {} {}", p("a.txt"), t("rb")),
        format!("fopen 1 {} {}", p("a.txt"), t("")),
        format!("fopen 1 {} {}", p("a.txt"), t("+")),
        format!("fopen 1 {} {}", p("a.txt"), t("r++")),
        format!("fopen 1 {}00 {}", p("a"), t("w")),
        format!("fopen 1 {} {}", p("nope.txt"), t("r+")),
        // update modes: read then write then read
        format!("fopen 1 {} {}", p("a.txt"), t("r+")),
        "fread 1 2".into(),
        format!("fwrite 1 {}", t("ZZ")),
        "ftell 1".into(),
        "freadline 1".into(),
        "fseek 1 0 0".into(),
        "freadall 1".into(),
        "fclose 1".into(),
        format!("fopen 2 {} {}", p("b.txt"), t("a")),
        format!("fwrite 2 {}", t("1")),
        "fread 2 -1".into(),
        "fclose 2".into(),
        format!("fopen 2 {} {}", p("b.txt"), t("a+")),
        "fread 2 -1".into(),
        format!("fwrite 2 {}", t("2")),
        "ftell 2".into(),
        "fseek 2 0 0".into(),
        "freadall 2".into(),
        "fclose 2".into(),
        format!("fopen 3 {} {}", p("c.txt"), t("w+")),
        format!("fwrite 3 {}", t("abc\ndef")),
        "fseek 3 0 0".into(),
        "freadline 3".into(),
        format!("fwrite 3 {}", t("X")),
        "fseek 3 0 0".into(),
        "freadall 3".into(),
        "fclose 3".into(),
        // two handles on one file: writes reach the OS at once
        format!("fopen 5 {} {}", p("d.txt"), t("w")),
        format!("fopen 6 {} {}", p("d.txt"), t("r")),
        format!("fwrite 5 {}", t("shared\n")),
        "freadline 6".into(),
        format!("fwrite 5 {}", t("more")),
        "freadall 6".into(),
        "fread 6 1".into(),
        "fclose 5".into(),
        "fclose 6".into(),
        format!("fopen 7 {} {}", p("e.txt"), t("w")),
        format!("fwrite 7 {}", "00ff0a".to_string() + &"41".repeat(70000)),
        "fclose 7".into(),
        format!("fopen 7 {} {}", p("e.txt"), t("r")),
        "freadline 7".into(),
        "fread 7 65537".into(),
        "freadall 7".into(),
        "fclose 7".into(),
    ];
    script.iter().map(|l| l.split(' ').map(str::to_string).collect()).collect()
}

fn unhex(h: &str) -> Vec<u8> {
    if h == "-" {
        return vec![];
    }
    (0..h.len()).step_by(2).map(|i| u8::from_str_radix(&h[i..i + 2], 16).expect("hex")).collect()
}

/// Runs a file script with the seed's file operations.
fn seed_file_results(script: &[Vec<String>]) -> Vec<Vec<u8>> {
    let mut handles: Vec<Value> = (0..8).map(|_| Value::File(Rc::new(RefCell::new(FileHandle::new(None))))).collect();
    let mut out = Vec::new();
    for w in script {
        let h = w[1].parse::<usize>().expect("handle");
        let f = handles[h].clone();
        let ok = || Ok(Value::None);
        let r = match w[0].as_str() {
            "fopen" => ops::call(Builtin::Fopen, &[s(&unhex(&w[2])), s(&unhex(&w[3]))]).map(|v| {
                handles[h] = v;
                Value::None
            }),
            "fnull" => {
                handles[h] = Value::File(Rc::new(RefCell::new(FileHandle::new(None))));
                ok()
            }
            "fwrite" => ops::call(Builtin::Fwrite, &[f, s(&unhex(&w[2]))]),
            "fread" => ops::call(Builtin::Fread, &[f, Value::I32(w[2].parse().expect("n"))]),
            "freadline" => ops::call(Builtin::Freadline, &[f]),
            "freadall" => ops::call(Builtin::Freadall, &[f]),
            "ftell" => ops::call(Builtin::Ftell, &[f]),
            "fseek" => ops::call(
                Builtin::Fseek,
                &[f, Value::I32(w[2].parse().expect("offset")), Value::I32(w[3].parse().expect("whence"))],
            ),
            "fflush" => ops::call(Builtin::Fflush, &[f]),
            "fclose" => ops::call(Builtin::Fclose, &[f]),
            "fileno" => ops::call(Builtin::Fileno, &[f]).map(|v| Value::I32((v.as_i32() >= 0) as i32)),
            other => panic!("unknown file command {other}"),
        };
        out.push(line(r));
    }
    out
}

/// posix._fopen & co. on real files: the seed and libspy run the same script, each in
/// its own directory, and must read, write, seek and fail the same way.
#[test]
fn files_like_the_seed() {
    let base = std::env::temp_dir().join(format!("spyboot-libspy-files-{}", std::process::id()));
    let (dir_c, dir_seed) = (base.join("c"), base.join("seed"));
    for d in [&dir_c, &dir_seed] {
        let _ = std::fs::remove_dir_all(d);
        std::fs::create_dir_all(d).expect("temp dir");
    }
    let expected = seed_file_results(&file_script(&dir_seed));
    let cases: Vec<Case> = file_script(&dir_c)
        .into_iter()
        .zip(expected)
        .map(|(words, expected)| Case { cmd: words.join(" "), expected })
        .collect();
    run_cases("files", &cases);
    for name in ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"] {
        let c = std::fs::read(dir_c.join(name)).expect("file written by libspy");
        let s = std::fs::read(dir_seed.join(name)).expect("file written by the seed");
        assert!(
            c == s,
            "{name}: libspy wrote {:?}, the seed {:?}",
            String::from_utf8_lossy(&c),
            String::from_utf8_lossy(&s)
        );
    }
    let _ = std::fs::remove_dir_all(&base);
}

// ------------------------------------------------------------------ panics

/// spy_panic: stdout flushed first, the seed's runtime error format on stderr, exit
/// status 1 (not a signal: never abort()).
#[test]
fn panics_like_the_seed() {
    let cases: [(&str, &str, &str, usize, &str, bool); 6] = [
        ("ValueError", "bad size", "/home/me/demo.spy", 12, "        raise ValueError(\"bad size\")", false),
        ("ZeroDivisionError", "integer division or modulo by zero", "t.spy", 1, "x = a // b", false),
        ("IndexError", "", "dir/prog.spy", 7, "    return l[9]", false),
        ("PanicError", "ptr_getitem out of bounds", "p.spy", 1234, "", false),
        (
            "OverflowError",
            "i8 value 300 out of range [-128, 127]",
            "caf\u{e9}.spy",
            99,
            "y = i8(\"300\") # \u{e9}t\u{e9}",
            true,
        ),
        ("AssertionError", "assertion failed", "a.spy", 100, "\tassert x", false),
    ];
    for (kind, msg, file, line_no, text, via_str) in cases {
        let mut cmd = Command::new(&drivers().panic);
        cmd.args([kind, msg, file, &line_no.to_string(), text]);
        if via_str {
            cmd.arg("str");
        }
        let out = cmd.output().expect("cannot run the panic driver");
        let mut sources = SourceMap::new();
        let source = format!("{}{text}\npass\n", "pass\n".repeat(line_no - 1));
        let id = sources.add(file.to_string(), source);
        let span = sources.line_span(id, line_no);
        let expected = seed::diag::render_runtime_error(kind, msg, span, &sources);
        assert_eq!(out.status.code(), Some(1), "{kind}: exit status {:?}", out.status);
        assert_eq!(String::from_utf8_lossy(&out.stdout), "before the panic\n42 0.5\n", "{kind}: stdout");
        assert_eq!(String::from_utf8_lossy(&out.stderr), expected, "{kind}: stderr");
    }
    println!("panics: {} cases agree with the seed", cases.len());
}
