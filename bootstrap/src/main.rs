//! `spy-bootstrap`: the stage driver (docs/architecture.md). `stage1` compiles the compiler
//! written in SPy (`spy-in-spy/` + `stdlib/`) with the seed: `spy0 cwrite` to
//! `build/stage1/c/`, then the C compiler with libspy to `build/stage1/spy`. Each step
//! prints its command, then its wall time and peak RSS; a failing step stops the build
//! with its exit status. `run-wasm` runs a module built by `spy0 build --target wasi`
//! under wasmtime (through `spy-wasm`, `wasm.rs`), `run-baremetal` a `--target baremetal`
//! ELF in QEMU (`baremetal.rs`): spy0 runs those builds through them, so that neither the
//! seed nor this driver links wasmtime.

mod baremetal;
mod measure;
mod wasm;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "usage: spy-bootstrap stage1 [--spy0 PATH] [--root DIR]
       spy-bootstrap run-wasm [--argv0 NAME] [--timeout SECS] FILE.wasm [ARGS...]
       spy-bootstrap run-baremetal [--argv0 NAME] [--timeout SECS] FILE.elf [ARGS...]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else { return usage() };
    if cmd == "run-wasm" {
        return wasm::main(rest);
    }
    if cmd == "run-baremetal" {
        return baremetal::main(rest);
    }
    let mut spy0 = None;
    let mut root = None;
    let mut i = 0;
    while i < rest.len() {
        match (rest[i].as_str(), rest.get(i + 1)) {
            ("--spy0", Some(v)) => spy0 = Some(PathBuf::from(v)),
            ("--root", Some(v)) => root = Some(PathBuf::from(v)),
            _ => return usage(),
        }
        i += 2;
    }
    let root = root.unwrap_or_else(repo_root);
    let spy0 = spy0.unwrap_or_else(|| sibling_exe("spy0"));
    let result = match cmd.as_str() {
        "stage1" => stage1(&root, &spy0),
        _ => return usage(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("spy-bootstrap: {message}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

/// The repository: the parent of this crate's folder.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// An executable next to this one (`target/debug/spy0` beside `target/debug/spy-bootstrap`).
fn sibling_exe(name: &str) -> PathBuf {
    let me = std::env::current_exe().unwrap_or_default();
    me.parent().map_or_else(|| PathBuf::from(name), |dir| dir.join(name))
}

/// stage0 compiles the compiler: `spy-in-spy/main.spy` -> `build/stage1/c/` -> `build/stage1/spy`.
fn stage1(root: &Path, spy0: &Path) -> Result<(), String> {
    let build = root.join("build/stage1");
    let main = root.join("spy-in-spy/main.spy");
    let c_dir = seed::cbuild::c_dir(&build);
    // Files of an earlier build that the compiler no longer emits must not be linked.
    if c_dir.exists() {
        std::fs::remove_dir_all(&c_dir).map_err(|e| format!("cannot clean {}: {e}", c_dir.display()))?;
    }
    let mut cwrite = Command::new(spy0);
    cwrite.arg("cwrite").arg("-b").arg(&build).arg(&main).env("SPY_STDLIB", root.join("stdlib"));
    measure::step("stage1: spy0 -> C", &mut cwrite)?;

    let mut c_files: Vec<PathBuf> = std::fs::read_dir(&c_dir)
        .map_err(|e| format!("cannot read {}: {e}", c_dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "c"))
        .collect();
    c_files.sort();
    let options = seed::cbuild::BuildOptions {
        build_dir: Some(build.clone()),
        output: None,
        opt_level: 2,
        werror: true,
        verbose: false,
        sanitize: false,
        program_root: seed::source::program_root(&main.to_string_lossy()).to_string(),
        target: seed::cbuild::Target::Native,
    };
    let exe = build.join("spy");
    let mut cc = seed::cbuild::compile_command(&c_files, &exe, &options)?;
    measure::step("stage1: C -> build/stage1/spy", &mut cc)?;
    println!("stage1 ready: {}", exe.display());
    Ok(())
}
