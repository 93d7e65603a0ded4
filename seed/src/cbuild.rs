//! `spy0 build` (docs/spec/BACKEND.md §8): write the program's C into `<build>/c/`, compile it
//! with libspy into `<build>/<name>`, and optionally run it. The C compiler is the `cc`
//! crate's choice for the host (it honours `CC`); a failure to compile generated C is an
//! internal error that shows the compiler's diagnostics.
//!
//! `--target wasi` compiles the same C with clang-14 for wasm32-wasi against
//! `libspy/build/wasi/libspy.a` into `<build>/<name>.wasm`, `--target baremetal` with
//! arm-none-eabi-gcc for a Cortex-M3 into `<build>/<name>.elf` (docs/targets.md). spy0
//! runs neither itself: `spy-bootstrap run-wasm` / `run-baremetal` do (`run_target_command`).

use crate::cwrite::CFile;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct BuildOptions {
    /// `-b DIR`: the build folder (default: `build/` next to the source).
    pub build_dir: Option<PathBuf>,
    /// `-o OUT`: the executable (default: `<build>/<stem>`).
    pub output: Option<PathBuf>,
    /// `-O0` / `-O2`.
    pub opt_level: u32,
    /// `--Werror`: warnings in the generated C are errors.
    pub werror: bool,
    /// `-v`: print the compiler's command line.
    pub verbose: bool,
    /// `--sanitize`: build with AddressSanitizer and UBSan (`make test-sanitize`), against
    /// the sanitized libspy, without the GC (ASan must see every allocation).
    pub sanitize: bool,
    /// The main file's folder as given (`source::program_root`): passed to the C compiler
    /// as `SPY_PROGRAM_ROOT`, so that the C itself names no machine path.
    pub program_root: String,
    /// `--target native|wasi|baremetal`.
    pub target: Target,
}

/// What a build produces: a host executable, a wasm32-wasi module, or a Cortex-M3 ELF.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Target {
    #[default]
    Native,
    Wasi,
    Baremetal,
}

impl Target {
    pub fn from_name(name: &str) -> Option<Target> {
        match name {
            "native" => Some(Target::Native),
            "wasi" => Some(Target::Wasi),
            "baremetal" => Some(Target::Baremetal),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Target::Native => "native",
            Target::Wasi => "wasi",
            Target::Baremetal => "baremetal",
        }
    }
}

/// The build's output for a program named `stem`: `<build>/<stem>`, `<stem>.wasm`, `<stem>.elf`.
pub fn default_output(build_dir: &Path, stem: &str, target: Target) -> PathBuf {
    match target {
        Target::Native => build_dir.join(stem),
        Target::Wasi => build_dir.join(format!("{stem}.wasm")),
        Target::Baremetal => build_dir.join(format!("{stem}.elf")),
    }
}

/// `$SPY_LIBSPY` if set, else the repository's `libspy/`.
pub fn libspy_dir() -> PathBuf {
    match std::env::var_os("SPY_LIBSPY") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => match Path::new(env!("CARGO_MANIFEST_DIR")).parent() {
            Some(root) => root.join("libspy"),
            None => PathBuf::from("libspy"),
        },
    }
}

/// The libspy build a program links: `native`, `native-sanitize` for `--sanitize`, or the target's.
fn libspy_variant(options: &BuildOptions) -> &'static str {
    match (options.target, options.sanitize) {
        (Target::Wasi, _) => "wasi",
        (Target::Baremetal, _) => "baremetal",
        (Target::Native, true) => "native-sanitize",
        (Target::Native, false) => "native",
    }
}

/// The default build folder: `build/` next to the source file.
pub fn default_build_dir(source: &str) -> PathBuf {
    match Path::new(source).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join("build"),
        _ => PathBuf::from("build"),
    }
}

/// Where a build keeps its C files.
pub fn c_dir(build_dir: &Path) -> PathBuf {
    build_dir.join("c")
}

/// Writes the C files into `<build>/c/`. Files whose content did not change are not
/// rewritten; returns whether anything changed.
pub fn write_files(build_dir: &Path, files: &[CFile]) -> Result<bool, String> {
    let src = c_dir(build_dir);
    std::fs::create_dir_all(&src).map_err(|e| format!("Error: cannot create {}: {e}", src.display()))?;
    let mut changed = false;
    for file in files {
        let path = src.join(&file.name);
        if std::fs::read(&path).ok().as_deref() == Some(file.text.as_bytes()) {
            continue;
        }
        std::fs::write(&path, &file.text).map_err(|e| format!("Error: cannot write {}: {e}", path.display()))?;
        changed = true;
    }
    Ok(changed)
}

/// Compiles `files` (already written under `<build>/c/`) and links them with libspy.
/// Skips the compiler when the sources are unchanged and the executable exists.
pub fn compile(
    build_dir: &Path,
    files: &[CFile],
    exe: &Path,
    changed: bool,
    options: &BuildOptions,
) -> Result<(), String> {
    let (libspy, variant) = (libspy_dir(), libspy_variant(options));
    let archive = libspy.join("build").join(variant).join("libspy.a");
    // What the executable depends on besides the C files: flags, libspy and its header.
    let stamp = build_dir.join(match options.target {
        Target::Native => "build.flags".to_string(),
        target => format!("build-{}.flags", target.name()),
    });
    let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let flags = format!(
        "O{} werror={} sanitize={} root={:?} libspy={:?} header={:?}\n",
        options.opt_level,
        options.werror,
        options.sanitize,
        options.program_root,
        mtime(&archive),
        mtime(&libspy.join("include/spy.h"))
    );
    if !changed && exe.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(flags.as_str()) {
        return Ok(());
    }
    if !archive.exists() {
        return Err(format!(
            "Error: libspy is not built ({} is missing): run `make -C {} {variant}`",
            archive.display(),
            libspy.display()
        ));
    }
    let c_files: Vec<PathBuf> =
        files.iter().filter(|f| f.name.ends_with(".c")).map(|f| c_dir(build_dir).join(&f.name)).collect();
    let mut cmd = compile_command(&c_files, exe, options)?;
    if options.verbose {
        eprintln!("{}", render_command(&cmd));
    }
    let out = cmd.output().map_err(|e| format!("Error: cannot run the C compiler: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "internal error: the C compiler failed on the generated C\n{}\n{}{}",
            render_command(&cmd),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let _ = std::fs::write(&stamp, flags);
    Ok(())
}

/// The command that compiles `c_files` with libspy's header and links them with libspy
/// into `exe` (also used by `spy-bootstrap`, which runs it as a step of its own).
pub fn compile_command(c_files: &[PathBuf], exe: &Path, options: &BuildOptions) -> Result<Command, String> {
    let (libspy, variant) = (libspy_dir(), libspy_variant(options));
    let archive = libspy.join("build").join(variant).join("libspy.a");
    match options.target {
        Target::Wasi => return Ok(wasi_compile_command(c_files, exe, options, &libspy, &archive)),
        Target::Baremetal => return Ok(baremetal_compile_command(c_files, exe, options, &libspy, &archive)),
        Target::Native => {}
    }
    let mut cmd = compiler(options.opt_level)?;
    common_flags(&mut cmd, options, &libspy, "-DSPY_TARGET_NATIVE");
    if options.opt_level >= 2 {
        // Each SPy module is its own .c: link-time optimisation inlines across them
        // (a list's `__getitem__` into the loop that calls it).
        cmd.arg("-flto=auto");
    }
    cmd.args(c_files);
    if options.sanitize {
        cmd.args(["-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"]);
    }
    cmd.arg("-o").arg(exe).arg(&archive);
    if !options.sanitize {
        cmd.arg("-lgc");
    }
    cmd.arg("-lm");
    Ok(cmd)
}

/// What every target's compile line has: C99 with every warning, wrapping signed
/// arithmetic, no fused multiply-add (floats round as in the interpreter), the optimisation
/// level, libspy's header, and the program's root for error locations (`SPY_PROGRAM_ROOT`).
fn common_flags(cmd: &mut Command, options: &BuildOptions, libspy: &Path, target_define: &str) {
    cmd.args(["-std=c99", "-Wall", "-Wextra", "-fwrapv", "-ffp-contract=off", target_define]);
    cmd.arg(format!("-O{}", options.opt_level));
    if options.werror {
        cmd.arg("-Werror");
    }
    cmd.arg("-I").arg(libspy.join("include"));
    cmd.arg(format!("-DSPY_PROGRAM_ROOT={}", crate::cwrite::program::c_string(options.program_root.as_bytes())));
}

/// clang-14 (`$SPY_WASI_CC` if set) for wasm32-wasi with Debian's wasi-libc: only its
/// headers (`-nostdlibinc`, so that no host header leaks in), an 8 MiB stack placed below
/// the data (an overflow traps instead of overwriting globals), no GC (docs/toolchains.md §2).
/// A release build (-O2) is stripped of its names and debug sections.
fn wasi_compile_command(
    c_files: &[PathBuf],
    exe: &Path,
    options: &BuildOptions,
    libspy: &Path,
    archive: &Path,
) -> Command {
    let cc = std::env::var_os("SPY_WASI_CC").filter(|cc| !cc.is_empty()).unwrap_or_else(|| "clang-14".into());
    let mut cmd = Command::new(cc);
    // SIMD (wasm 2.0, on in wasmtime and node): clang vectorises loops of f64 with it.
    cmd.args(["--target=wasm32-wasi", "-msimd128", "-nostdlibinc", "-isystem", "/usr/include/wasm32-wasi"]);
    common_flags(&mut cmd, options, libspy, "-DSPY_TARGET_WASI");
    cmd.arg("-DSPY_GC_NONE");
    if options.opt_level >= 2 {
        cmd.args(["-flto", "-s"]);
    }
    cmd.args(c_files);
    cmd.args(["-Wl,--stack-first", "-Wl,-z,stack-size=8388608"]);
    cmd.arg("-o").arg(exe).arg(archive).arg("-lm");
    cmd
}

/// arm-none-eabi-gcc (`$SPY_ARM_CC` if set) for a Cortex-M3 on QEMU's mps2-an385 (4 MiB
/// of code at 0, 4 MiB of RAM at 0x20000000), with picolibc over ARM semihosting and its
/// semihosting crt0 (which passes the exit status to QEMU). 1 MiB of the RAM is kept for
/// the stack, the rest is libspy's heap (docs/toolchains.md §4, docs/targets.md).
fn baremetal_compile_command(
    c_files: &[PathBuf],
    exe: &Path,
    options: &BuildOptions,
    libspy: &Path,
    archive: &Path,
) -> Command {
    let cc = std::env::var_os("SPY_ARM_CC").filter(|cc| !cc.is_empty()).unwrap_or_else(|| "arm-none-eabi-gcc".into());
    let mut cmd = Command::new(cc);
    cmd.args(["-mcpu=cortex-m3", "-mthumb", "--specs=picolibc.specs", "--oslib=semihost", "--crt0=semihost"]);
    common_flags(&mut cmd, options, libspy, "-DSPY_TARGET_BAREMETAL");
    cmd.arg("-DSPY_GC_NONE");
    if options.opt_level >= 2 {
        cmd.arg("-flto=auto");
    }
    cmd.args(c_files);
    cmd.arg(
        "-Wl,--defsym=__flash=0x0,--defsym=__flash_size=0x400000,--defsym=__ram=0x20000000,\
         --defsym=__ram_size=0x400000,--defsym=__stack_size=0x300000",
    );
    // libspy's baremetal.c drops the crt0's fixed argv[0] before main.
    cmd.arg("-Wl,--wrap=main");
    cmd.arg("-o").arg(exe).arg(archive).arg("-lm");
    cmd
}

/// The command that runs a build of `--target wasi` or `baremetal`: `spy-bootstrap
/// run-wasm|run-baremetal --argv0 ARGV0 FILE ARGS...`. spy-bootstrap is `$SPY_BOOTSTRAP`,
/// else the one next to this executable (`target/debug/`), so that spy0 itself never
/// links wasmtime.
pub fn run_target_command(target: Target, file: &Path, argv0: &str, args: &[String]) -> Result<Command, String> {
    let runner = match std::env::var_os("SPY_BOOTSTRAP").filter(|p| !p.is_empty()) {
        Some(path) => PathBuf::from(path),
        None => {
            let me = std::env::current_exe().map_err(|e| format!("Error: cannot find spy0's own folder: {e}"))?;
            me.with_file_name(format!("spy-bootstrap{}", std::env::consts::EXE_SUFFIX))
        }
    };
    if !runner.is_file() {
        return Err(format!(
            "Error: cannot run {}: the runner {} is missing: build it with `cargo build -p spy-bootstrap` \
             (`make stage1` does it), or set SPY_BOOTSTRAP=/path/to/spy-bootstrap",
            file.display(),
            runner.display()
        ));
    }
    let mut cmd = Command::new(runner);
    cmd.arg(if target == Target::Baremetal { "run-baremetal" } else { "run-wasm" });
    cmd.arg("--argv0").arg(argv0).arg(file).args(args);
    Ok(cmd)
}

/// The host C compiler as the `cc` crate finds it (`CC`, else `cc`/`gcc`/`clang`).
fn compiler(opt_level: u32) -> Result<Command, String> {
    let host = env!("SPY_HOST_TARGET");
    let tool = cc::Build::new()
        .target(host)
        .host(host)
        .opt_level(opt_level)
        .cargo_metadata(false)
        .warnings(false)
        .try_get_compiler()
        .map_err(|e| format!("Error: no C compiler found: {e}"))?;
    Ok(Command::new(tool.path()))
}

pub fn render_command(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}
