//! Running one build step as a child process: its command line first, then its wall
//! time and peak resident set size (from `wait4`'s rusage, so it is the child's own).

use std::process::Command;
use std::time::Instant;

/// Runs `cmd` with inherited stdout/stderr. Err when it cannot start or exits non-zero.
pub fn step(title: &str, cmd: &mut Command) -> Result<(), String> {
    println!("[{title}] {}", seed::cbuild::render_command(cmd));
    let start = Instant::now();
    let child = cmd.spawn().map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    let (status, max_rss_kib) = wait_with_rusage(child.id() as libc::pid_t)?;
    let secs = start.elapsed().as_secs_f64();
    println!("[{title}] wall {secs:.2} s, peak RSS {:.1} MiB", max_rss_kib as f64 / 1024.0);
    match status {
        0 => Ok(()),
        code => Err(format!("step `{title}` failed with exit status {code}")),
    }
}

/// Waits for `pid`; returns its exit status (128 + signal when killed) and its peak RSS
/// in KiB.
fn wait_with_rusage(pid: libc::pid_t) -> Result<(i32, i64), String> {
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value, and wait4 writes only into the two
    // locals it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if got != pid {
        return Err(format!("wait4 failed: {}", std::io::Error::last_os_error()));
    }
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { 128 + libc::WTERMSIG(status) };
    Ok((code, usage.ru_maxrss as i64))
}
