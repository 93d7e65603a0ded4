//! `spy-bootstrap run-baremetal [--argv0 NAME] [--timeout SECS] FILE.elf [ARGS...]`: runs
//! a Cortex-M3 program built by `spy0 build --target baremetal` in QEMU (`mps2-an385`,
//! ARM semihosting; docs/toolchains.md §4). The program's stdout and stderr are QEMU's (libspy
//! writes them through semihosting's ":tt" files), its argv is NAME (default FILE.elf)
//! then ARGS, and its exit status becomes ours (picolibc's semihosting crt0 ends QEMU
//! with it; a CPU fault prints the registers and exits with 1). Arguments cannot hold
//! spaces: semihosting hands the program one command line, which picolibc splits at
//! spaces. Longer than the timeout (`--timeout`, else `$SPY_BAREMETAL_TIMEOUT`, else
//! 60 s; 0 means none): QEMU is killed, a line goes to stderr and the status is 134.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

pub const USAGE: &str = "usage: spy-bootstrap run-baremetal [--argv0 NAME] [--timeout SECS] FILE.elf [ARGS...]";

const TIMEOUT_STATUS: u8 = 134;
const DEFAULT_TIMEOUT_SECS: u64 = 60;

pub fn main(args: &[String]) -> ExitCode {
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
    let Some(elf) = args.get(i) else { return usage() };
    let timeout = timeout.or_else(|| std::env::var("SPY_BAREMETAL_TIMEOUT").ok().and_then(|v| v.parse().ok()));
    let timeout = timeout.unwrap_or(DEFAULT_TIMEOUT_SECS);
    let mut argv = vec![argv0.unwrap_or_else(|| elf.clone())];
    argv.extend(args[i + 1..].iter().cloned());
    if let Some(bad) = argv.iter().find(|a| a.is_empty() || a.contains(char::is_whitespace)) {
        eprintln!(
            "spy-bootstrap: run-baremetal: argument {bad:?} is empty or holds a space: semihosting cannot pass it"
        );
        return ExitCode::from(2);
    }
    match run(Path::new(elf), &argv, timeout) {
        Ok(status) => ExitCode::from(status),
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

/// `-semihosting-config enable=on,target=native,arg=A,arg=B...`: a comma inside a value
/// is written twice (QEMU's option syntax).
fn semihosting_config(argv: &[String]) -> String {
    let mut config = String::from("enable=on,target=native");
    for arg in argv {
        config.push_str(",arg=");
        config.push_str(&arg.replace(',', ",,"));
    }
    config
}

fn run(elf: &Path, argv: &[String], timeout_secs: u64) -> Result<u8, String> {
    if !elf.is_file() {
        return Err(format!("cannot run {}: no such file", elf.display()));
    }
    let mut qemu = Command::new("qemu-system-arm");
    qemu.args(["-M", "mps2-an385", "-cpu", "cortex-m3", "-display", "none", "-monitor", "none", "-serial", "none"]);
    qemu.arg("-semihosting-config").arg(semihosting_config(argv)).arg("-kernel").arg(elf);
    let mut child = qemu
        .spawn()
        .map_err(|e| format!("cannot run qemu-system-arm: {e} (scripts/setup.sh baremetal installs it)"))?;
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                return match status.code() {
                    Some(code) => Ok(code as u8),
                    None => Err(format!("qemu-system-arm running {} was killed: {status}", elf.display())),
                };
            }
            Ok(None) if timeout_secs != 0 && start.elapsed() > Duration::from_secs(timeout_secs) => {
                let _ = child.kill();
                let _ = child.wait();
                eprintln!("spy-bootstrap: {} timed out after {timeout_secs} s (QEMU killed)", elf.display());
                return Ok(TIMEOUT_STATUS);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(e) => return Err(format!("waiting for qemu-system-arm: {e}")),
        }
    }
}
