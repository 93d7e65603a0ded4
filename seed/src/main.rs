//! The `spy0` command line, upstream's commands (BACKEND.md §11): `spy0 FILE [ARGS...]`
//! runs a program; `redshift [-x] [--full-fqn]`, `parse`, `symtable`, `imports` show a
//! phase. Output goes to stdout; diagnostics go to stderr with exit status 1 (LANGUAGE.md
//! §17 #13); usage errors exit with 2. Options come before FILE; what follows is argv.

use std::process::ExitCode;

const USAGE: &str = "usage: spy0 [execute] [-E eager|lazy|warn] FILE [ARGS...]
       spy0 redshift|rs [-x] [--full-fqn] [-E eager|lazy|warn] FILE [ARGS...]
       spy0 colorize [--format json] FILE
       spy0 parse|symtable|imports FILE";

/// Parsing recurses once per nesting level; the parser caps nesting, and this stack
/// leaves a wide margin below that cap on every platform.
const STACK_SIZE: usize = 256 * 1024 * 1024;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let worker = std::thread::Builder::new().stack_size(STACK_SIZE).spawn(move || run(&args));
    match worker.and_then(|handle| handle.join().map_err(|_| std::io::Error::other("internal error: spy0 panicked"))) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::from(101)
        }
    }
}

fn run(args: &[String]) -> ExitCode {
    match args {
        [cmd, path] if cmd == "parse" => show(path, seed::parse_to_text),
        [cmd, path] if cmd == "symtable" => show(path, seed::symtable_to_text),
        [cmd, path] if cmd == "imports" => show(path, seed::imports_to_text),
        [cmd, rest @ ..] if cmd == "redshift" || cmd == "rs" => cmd_redshift(rest),
        [cmd, path] if cmd == "colorize" => {
            cmd_run(path, &[], seed::Mode::Colorize { json: false }, seed::vm::ErrorMode::Eager)
        }
        [cmd, f, json, path] if cmd == "colorize" && (f == "-f" || f == "--format") && json == "json" => {
            cmd_run(path, &[], seed::Mode::Colorize { json: true }, seed::vm::ErrorMode::Eager)
        }
        [cmd, rest @ ..] if cmd == "execute" => cmd_execute(rest),
        [first, ..] if first.starts_with('-') || first.ends_with(".spy") || first.ends_with(".py") => cmd_execute(args),
        _ => usage(),
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

/// `-E MODE`, `--error-mode MODE` or `--error-mode=MODE` at `args[*i]`: the mode, and
/// `*i` moved past it; None when `args[*i]` is another option; Err for a bad mode.
fn error_mode_option(args: &[String], i: &mut usize) -> Option<Result<seed::vm::ErrorMode, ()>> {
    let (value, used) = match args[*i].as_str() {
        "-E" | "--error-mode" => (args.get(*i + 1).map(String::as_str), 2),
        other => (Some(other.strip_prefix("--error-mode=")?), 1),
    };
    *i += used;
    Some(match value {
        Some("eager") => Ok(seed::vm::ErrorMode::Eager),
        Some("lazy") => Ok(seed::vm::ErrorMode::Lazy),
        Some("warn") => Ok(seed::vm::ErrorMode::Warn),
        _ => Err(()),
    })
}

fn cmd_execute(args: &[String]) -> ExitCode {
    let mut error_mode = seed::vm::ErrorMode::Eager;
    let mut i = 0;
    while i < args.len() && args[i].starts_with('-') {
        match error_mode_option(args, &mut i) {
            Some(Ok(m)) => error_mode = m,
            _ => return usage(),
        }
    }
    let Some(path) = args.get(i) else { return usage() };
    cmd_run(path, &args[i + 1..], seed::Mode::Execute, error_mode)
}

fn cmd_redshift(args: &[String]) -> ExitCode {
    let mut execute = false;
    let mut full_fqn = false;
    let mut error_mode = seed::vm::ErrorMode::Eager;
    let mut i = 0;
    while i < args.len() && args[i].starts_with('-') {
        match args[i].as_str() {
            "-x" | "--execute" => execute = true,
            "--full-fqn" => full_fqn = true,
            _ => match error_mode_option(args, &mut i) {
                Some(Ok(m)) => {
                    error_mode = m;
                    continue;
                }
                _ => return usage(),
            },
        }
        i += 1;
    }
    let Some(path) = args.get(i) else { return usage() };
    let mode = if execute { seed::Mode::Execute } else { seed::Mode::PrintRedshift { full_fqn } };
    cmd_run(path, &args[i + 1..], mode, error_mode)
}

fn cmd_run(path: &str, argv: &[String], mode: seed::Mode, error_mode: seed::vm::ErrorMode) -> ExitCode {
    if let Err(code) = read_spy_file(path) {
        return code;
    }
    let mut full_argv = vec![path.to_string()];
    full_argv.extend(argv.iter().cloned());
    match seed::run_program(path, &full_argv, mode, error_mode) {
        Ok(status) => ExitCode::from(status as u8),
        Err(rendered) => {
            eprint!("{rendered}");
            ExitCode::from(1)
        }
    }
}

fn read_spy_file(path: &str) -> Result<Vec<u8>, ExitCode> {
    if path.ends_with(".py") {
        eprintln!("Error: {path} is a .py file, not a .spy file.");
        return Err(ExitCode::from(1));
    }
    std::fs::read(path).map_err(|err| {
        eprintln!("Error: cannot read {path}: {}", io_reason(&err));
        ExitCode::from(1)
    })
}

/// The OS reason without Rust's " (os error N)" suffix, so the text is the same
/// whichever implementation prints it.
fn io_reason(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Runs a dump command (`parse`, `symtable`, `imports`) on one file.
fn show(path: &str, dump: fn(&str, &[u8]) -> Result<String, String>) -> ExitCode {
    let bytes = match read_spy_file(path) {
        Ok(bytes) => bytes,
        Err(code) => return code,
    };
    match dump(path, &bytes) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(rendered) => {
            eprint!("{rendered}");
            ExitCode::from(1)
        }
    }
}
