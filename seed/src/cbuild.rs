//! `spy0 build` (docs/spec/BACKEND.md §8): write the program's C into `<build>/c/`, compile it
//! with libspy into `<build>/<name>`, and optionally run it. The C compiler is the `cc`
//! crate's choice for the host (it honours `CC`); a failure to compile generated C is an
//! internal error that shows the compiler's diagnostics.

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

/// The libspy build a program links: `native`, or `native-sanitize` for `--sanitize`.
fn libspy_variant(options: &BuildOptions) -> &'static str {
    if options.sanitize {
        "native-sanitize"
    } else {
        "native"
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
    let stamp = build_dir.join("build.flags");
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
    let mut cmd = compiler(options.opt_level)?;
    // No fused multiply-add: floats round as in the interpreter, on every target.
    cmd.args(["-std=c99", "-Wall", "-Wextra", "-fwrapv", "-ffp-contract=off", "-DSPY_TARGET_NATIVE"]);
    cmd.arg(format!("-O{}", options.opt_level));
    if options.opt_level >= 2 {
        // Each SPy module is its own .c: link-time optimisation inlines across them
        // (a list's `__getitem__` into the loop that calls it).
        cmd.arg("-flto=auto");
    }
    if options.werror {
        cmd.arg("-Werror");
    }
    cmd.arg("-I").arg(libspy.join("include"));
    cmd.arg(format!("-DSPY_PROGRAM_ROOT={}", crate::cwrite::program::c_string(options.program_root.as_bytes())));
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
