//! Running spy0 from the generated-program tests (`tests/fuzz.rs`): one process with a
//! time limit, what it printed and how it ended (`Outcome`), whether an ending is one the
//! spec allows (`verdict`), and a pool that runs jobs on every core.
//!
//! A process runs in its own process group, so a timeout kills the program that
//! `spy0 build -x` started too, not only spy0.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How a process ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    /// Killed by this signal.
    Signal(i32),
    /// Still running after the time limit; killed.
    Timeout,
}

/// What a process printed and how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub exit: Exit,
}

impl Outcome {
    /// The exit, stderr and stdout, cut to `max` bytes each, for a report.
    pub fn summary(&self, max: usize) -> String {
        format!("exit {:?}\nstderr:\n{}\nstdout:\n{}", self.exit, cut(&self.stderr, max), cut(&self.stdout, max))
    }
}

/// `text`, cut to its first `max` bytes (at a char boundary).
pub fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}... ({} bytes in all)", &text[..end], text.len())
}

/// Runs `program args` in `dir` with stdin closed, for at most `timeout`.
pub fn run(program: &Path, args: &[&str], dir: &Path, env: &[(&str, &str)], timeout: Duration) -> Outcome {
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir(dir).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.process_group(0);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(err) => {
            return Outcome {
                stdout: String::new(),
                stderr: format!("cannot run {}: {err}", program.display()),
                exit: Exit::Code(-1),
            }
        }
    };
    let (out, err) = (drain(child.stdout.take()), drain(child.stderr.take()));
    let start = Instant::now();
    let mut pause = Duration::from_micros(200);
    let exit = loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                break match (status.code(), status.signal()) {
                    (Some(code), _) => Exit::Code(code),
                    (None, Some(sig)) => Exit::Signal(sig),
                    _ => Exit::Code(-1),
                }
            }
            Ok(None) if start.elapsed() > timeout => {
                // The whole group: spy0 and whatever it started (pid = pgid, we made it so).
                let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", child.id())]).status();
                let _ = child.kill();
                let _ = child.wait();
                break Exit::Timeout;
            }
            Ok(None) => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(5));
            }
            Err(_) => break Exit::Code(-1),
        }
    };
    let text =
        |h: std::thread::JoinHandle<Vec<u8>>| String::from_utf8_lossy(&h.join().unwrap_or_default()).into_owned();
    Outcome { stdout: text(out), stderr: text(err), exit }
}

fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut buf);
        }
        buf
    })
}

/// Whether stderr starts with a static diagnostic (docs/spec/LANGUAGE.md §15.2): the
/// traceback header, possibly after `Static error during redshift:` or a `[warning]`.
pub fn is_static_diagnostic(stderr: &str) -> bool {
    let s = stderr.strip_prefix("[warning] ").unwrap_or(stderr);
    let s = s.strip_prefix("Static error during redshift:\n").unwrap_or(s);
    s.starts_with("Traceback (most recent call last):\n") && has_error_line(s)
}

/// A line `<ErrorType>: <message>` or `<ErrorType>` alone after a blank line (§15.2).
fn has_error_line(s: &str) -> bool {
    let lines: Vec<&str> = s.lines().collect();
    lines.windows(2).any(|w| w[0].is_empty() && is_error_head(w[1]))
}

/// `ValueError: bad`, `IndexError`, `WIP: ...`: an identifier, then `:` or nothing.
fn is_error_head(line: &str) -> bool {
    let name = line.split(':').next().unwrap_or("");
    !name.is_empty()
        && name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && (line.len() == name.len() || line[name.len()..].starts_with(": ") || line[name.len()..] == *":")
}

/// Whether stderr holds an uncaught run-time error in the §11.4 format
/// (`<ErrorType>: <message>` then `   --> <file>:<line>`), after whatever the program
/// itself wrote there.
pub fn has_runtime_error(stderr: &str) -> bool {
    let lines: Vec<&str> = stderr.lines().collect();
    lines.windows(2).any(|w| is_error_head(w[0]) && w[1].starts_with("   --> "))
}

/// Why an ending is not one the spec allows, or None when it is: a diagnostic in the
/// spec's layout with status 1, or a run (any status the program chose). Never a Rust
/// panic, a signal, a C compiler failure on emitted C, or a hang.
pub fn verdict(outcome: &Outcome) -> Option<String> {
    let err = &outcome.stderr;
    if err.contains("panicked at") || err.contains("has overflowed its stack") {
        return Some("Rust panic".into());
    }
    if err.contains("internal error: the C compiler failed") {
        return Some("C compiler failed on emitted C".into());
    }
    if err.contains("internal error") {
        return Some("internal error".into());
    }
    match outcome.exit {
        Exit::Timeout => Some("hang (timeout)".into()),
        Exit::Signal(sig) => Some(format!("killed by signal {sig}")),
        // Status 1 with something on stderr must be a diagnostic; main may return 1 silently.
        Exit::Code(1) if !err.is_empty() && !is_static_diagnostic(err) && !has_runtime_error(err) => {
            Some("status 1 without a diagnostic in the spec's layout".into())
        }
        Exit::Code(-1) => Some("could not run".into()),
        _ => None,
    }
}

/// Runs `job(worker, item)` for every item on `jobs` threads; results in item order.
/// `stop` is checked before each item: when it returns true, the remaining items are skipped.
pub fn pool<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    job: impl Fn(usize, usize, &T) -> R + Sync,
    stop: impl Fn() -> bool + Sync,
) -> Vec<Option<R>> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for worker in 0..jobs.max(1) {
            let (next, results, job, stop) = (&next, &results, &job, &stop);
            scope.spawn(move || loop {
                let idx = next.fetch_add(1, Ordering::Relaxed);
                if idx >= items.len() || stop() {
                    break;
                }
                let result = job(worker, idx, &items[idx]);
                results.lock().unwrap()[idx] = Some(result);
            });
        }
    });
    results.into_inner().unwrap()
}

/// A parameter from the environment (`FUZZ_COUNT=...`), else `default`.
pub fn env_param(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => {
            let text = text.trim();
            let parsed = match text.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => text.parse(),
            };
            parsed.unwrap_or_else(|_| panic!("{name}={text:?} is not a number"))
        }
        Err(_) => default,
    }
}

/// Worker threads: `FUZZ_JOBS`, else one per core.
pub fn jobs() -> usize {
    env_param("FUZZ_JOBS", std::thread::available_parallelism().map_or(2, |n| n.get() as u64)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ending(stderr: &str, code: i32) -> Option<String> {
        verdict(&Outcome { stdout: String::new(), stderr: stderr.into(), exit: Exit::Code(code) })
    }

    #[test]
    fn verdict_accepts_the_spec_layouts_and_refuses_crashes() {
        let parse = "Traceback (most recent call last):\n\nParseError: invalid syntax\n  | f.spy:1\n";
        let redshift = "Static error during redshift:\nTraceback (most recent call last):\n  * [redshift] f::main at f.spy:2\n  |     x\n  |     ^\n\nNameError: name `x` is not defined\n";
        let runtime = "partial output\nValueError: bad\n   --> f.spy:3\n  3 |     raise ValueError(\"bad\")\n";
        assert_eq!(ending(parse, 1), None);
        assert_eq!(ending(redshift, 1), None);
        assert_eq!(ending(runtime, 1), None);
        assert_eq!(ending("", 1), None);
        assert_eq!(ending("", 42), None);
        assert!(ending("thread 'main' panicked at seed/src/vm/x.rs:1:2:\n", 101).is_some());
        assert!(ending("internal error: the C compiler failed on the generated C\n", 101).is_some());
        assert!(ending("something odd\n", 1).is_some());
    }
}
