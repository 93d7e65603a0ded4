//! `spy-wasm [--argv0 NAME] [--timeout SECS] FILE.wasm [ARGS...]` (what `spy-bootstrap
//! run-wasm` runs, and what `spy0 build -x --target wasi` runs through it): runs a
//! wasm32-wasi (preview 1) command module, as `spy0 build -x --target wasi` builds it, under
//! wasmtime: its argv is NAME (default FILE.wasm) then ARGS, stdin, stdout and stderr are
//! ours, the current folder is preopened as `.` (read-write) so that programs open
//! relative paths, and its exit status becomes ours:
//! - `return N` from main or `exit(N)`: N (a panic is libspy's `exit(1)` after its message);
//! - a trap (out-of-bounds access, stack overflow, `unreachable`): a line on stderr and 134,
//!   the status of a native program killed by abort();
//! - longer than the timeout (`--timeout`, else `$SPY_WASM_TIMEOUT`, else 60 s; 0 means
//!   none): the same, with "timed out". Epoch interruption checks it, so a guest that
//!   loops forever cannot hang the caller; with no timeout, the module is compiled
//!   without those checks (`make bench` runs so).

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;
use wasmtime::{Config, Engine, Linker, Module, Store, Trap};
use wasmtime_wasi::p1::{self, WasiP1Ctx};
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

const USAGE: &str = "usage: spy-bootstrap run-wasm [--argv0 NAME] [--timeout SECS] FILE.wasm [ARGS...]";

/// The exit status of a module that trapped or timed out.
const TRAP_STATUS: u8 = 134;

/// One epoch tick; the timeout is counted in ticks.
const TICK: Duration = Duration::from_millis(10);

const DEFAULT_TIMEOUT_SECS: u64 = 60;

/// Wasm frames live on the native stack: the guest's own 8 MiB stack is in linear memory
/// (`--stack-first`), but each call also takes a native frame, and programs nest red calls
/// 20,000 deep (`MAX_CALL_DEPTH`). The guest runs on a thread with this much stack, and
/// wasmtime may use all but a margin of it.
const THREAD_STACK: usize = 512 << 20;
const MAX_WASM_STACK: usize = 448 << 20;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args = &args[..];
    let mut argv0 = None;
    let mut timeout = None;
    let mut i = 0;
    while i < args.len() && args[i].starts_with("--") {
        match (args[i].as_str(), args.get(i + 1)) {
            ("--argv0", Some(v)) => argv0 = Some(v.clone()),
            ("--timeout", Some(v)) => match v.parse::<u64>() {
                Ok(secs) => timeout = Some(secs),
                Err(_) => return usage(),
            },
            _ => return usage(),
        }
        i += 2;
    }
    let Some(wasm) = args.get(i).cloned() else { return usage() };
    let timeout = timeout.or_else(|| std::env::var("SPY_WASM_TIMEOUT").ok().and_then(|v| v.parse().ok()));
    let timeout = timeout.unwrap_or(DEFAULT_TIMEOUT_SECS);
    let mut argv = vec![argv0.unwrap_or_else(|| wasm.clone())];
    argv.extend(args[i + 1..].iter().cloned());
    let worker =
        std::thread::Builder::new().stack_size(THREAD_STACK).spawn(move || run(Path::new(&wasm), &argv, timeout));
    match worker.map(|handle| handle.join()) {
        Ok(Ok(Ok(status))) => ExitCode::from(status),
        Ok(Ok(Err(message))) => {
            eprintln!("spy-bootstrap: {message}");
            ExitCode::FAILURE
        }
        _ => {
            eprintln!("spy-bootstrap: internal error: the wasm runner thread failed");
            ExitCode::from(101)
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

/// Runs `wasm` to its end: its exit status, or Err for a module that cannot run at all.
fn run(wasm: &Path, argv: &[String], timeout_secs: u64) -> Result<u8, String> {
    let shown = wasm.display();
    let mut config = Config::new();
    // The check costs a load and a compare at every function entry and loop back-edge:
    // without a timeout the code is compiled without it.
    config.epoch_interruption(timeout_secs != 0);
    config.max_wasm_stack(MAX_WASM_STACK);
    // Only used by async calls (none here), but it must not be below max_wasm_stack.
    config.async_stack_size(MAX_WASM_STACK + (1 << 20));
    let engine = Engine::new(&config).map_err(|e| format!("cannot start wasmtime: {e}"))?;
    let module = Module::from_file(&engine, wasm).map_err(|e| format!("cannot load {shown}: {e:#}"))?;

    let mut wasi = WasiCtxBuilder::new();
    wasi.inherit_stdio().args(argv);
    // The whole file system is preopened and the guest is told our folder (`PWD`,
    // where libspy's wasi.c changes to), so a path opens as it does natively, `../x` and
    // `/tmp/x` included; `.` stays preopened for a guest that does not change folder.
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    wasi.env("PWD", cwd.to_string_lossy());
    // Each top-level folder is its own preopen: Debian's wasi-libc (2022-05) does not match
    // an absolute path against a preopen named `/` itself.
    for entry in std::fs::read_dir("/").map_err(|e| format!("cannot list /: {e}"))?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            let name = path.to_string_lossy().into_owned();
            // A folder that cannot be opened (no permission) is left out, as natively it
            // could not be read either.
            let _ = wasi.preopened_dir(&path, &name, FsPerms::ReadWrite);
        }
    }
    wasi.preopened_dir(".", ".", FsPerms::ReadWrite).map_err(|e| format!("cannot preopen the current folder: {e}"))?;
    let mut linker: Linker<WasiP1Ctx> = Linker::new(&engine);
    p1::add_to_linker_sync(&mut linker, |cx| cx).map_err(|e| format!("cannot link WASI: {e}"))?;
    let mut store = Store::new(&engine, wasi.build_p1());
    if timeout_secs != 0 {
        let ticks = timeout_secs.saturating_mul(1000) / TICK.as_millis() as u64;
        store.set_epoch_deadline(ticks);
        let ticker = engine.clone();
        // Detached: it ends with the process.
        std::thread::spawn(move || loop {
            std::thread::sleep(TICK);
            ticker.increment_epoch();
        });
    }
    let instance = linker.instantiate(&mut store, &module).map_err(|e| format!("cannot instantiate {shown}: {e:#}"))?;
    let start = instance
        .get_typed_func::<(), ()>(&mut store, "_start")
        .map_err(|e| format!("{shown} is not a WASI command (no _start): {e}"))?;
    match start.call(&mut store, ()) {
        Ok(()) => Ok(0),
        Err(e) => {
            if let Some(I32Exit(code)) = e.downcast_ref::<I32Exit>() {
                return Ok(*code as u8);
            }
            match e.downcast_ref::<Trap>() {
                Some(Trap::Interrupt) => {
                    eprintln!("spy-bootstrap: {shown} timed out after {timeout_secs} s (wasm trap: interrupt)");
                    Ok(TRAP_STATUS)
                }
                Some(trap) => {
                    eprintln!("spy-bootstrap: {shown}: wasm trap: {trap}");
                    Ok(TRAP_STATUS)
                }
                None => Err(format!("{shown} failed: {e:#}")),
            }
        }
    }
}
