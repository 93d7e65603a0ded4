//! `spy-bootstrap run-wasm ARGS...`: runs `spy-wasm ARGS...` (wasm-runner/, its own
//! workspace, so that neither this crate nor the seed is built with wasmtime's features)
//! and ends with its exit status. `spy-wasm` is `$SPY_WASM` if set, else the one next to
//! this executable (`make wasm-runner` builds it into the same `target/debug/`).

use std::path::PathBuf;
use std::process::{Command, ExitCode};

pub fn main(args: &[String]) -> ExitCode {
    let runner = match std::env::var_os("SPY_WASM").filter(|p| !p.is_empty()) {
        Some(path) => PathBuf::from(path),
        None => crate::sibling_exe("spy-wasm"),
    };
    if !runner.is_file() {
        eprintln!("spy-bootstrap: {} is not built: run `make wasm-runner` (or set SPY_WASM)", runner.display());
        return ExitCode::from(2);
    }
    match Command::new(&runner).args(args).status() {
        Ok(status) => ExitCode::from(status.code().map_or(134, |c| c as u8)),
        Err(err) => {
            eprintln!("spy-bootstrap: cannot run {}: {err}", runner.display());
            ExitCode::from(2)
        }
    }
}
