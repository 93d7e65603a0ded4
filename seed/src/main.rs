//! The `spy0` command line, upstream's commands (docs/spec/BACKEND.md §11): `spy0 FILE [ARGS...]`
//! runs a program; `redshift [-x] [--full-fqn]`, `parse`, `symtable`, `imports` show a
//! phase (`redshift --vm`, spyboot's own, shows the code the interpreter runs). Output goes to stdout; diagnostics go to stderr with exit status 1 (docs/spec/LANGUAGE.md
//! §17 #13); usage errors exit with 2. Options come before FILE; what follows is argv.

use std::process::ExitCode;

const USAGE: &str = "usage: spy0 [execute] [-E eager|lazy|warn] FILE [ARGS...]
       spy0 redshift|rs [-x] [--full-fqn] [--vm] [-E eager|lazy|warn] FILE [ARGS...]
       spy0 build [-x] [-o OUT] [-b DIR] [-O0|-O2] [-v] [--Werror] [--sanitize] [--target native|wasi|baremetal] [-E MODE] FILE [ARGS...]
       spy0 cwrite [-b DIR] [-E MODE] FILE
       spy0 colorize [--format json] FILE
       spy0 parse|symtable|imports|tokens FILE";

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
        [cmd, path] if cmd == "tokens" => show(path, seed::tokens_to_text),
        [cmd, path] if cmd == "symtable" => show(path, |path, _| seed::symtable_to_text(path)),
        [cmd, path] if cmd == "imports" => show(path, |path, _| seed::imports_to_text(path)),
        [cmd, rest @ ..] if cmd == "redshift" || cmd == "rs" => cmd_redshift(rest),
        [cmd, path] if cmd == "colorize" => {
            cmd_run(path, &[], seed::Mode::Colorize { json: false }, seed::vm::world::ErrorMode::Eager)
        }
        [cmd, f, json, path] if cmd == "colorize" && (f == "-f" || f == "--format") && json == "json" => {
            cmd_run(path, &[], seed::Mode::Colorize { json: true }, seed::vm::world::ErrorMode::Eager)
        }
        [cmd, rest @ ..] if cmd == "execute" => cmd_execute(rest),
        [cmd, rest @ ..] if cmd == "build" => cmd_build(rest, false),
        [cmd, rest @ ..] if cmd == "cwrite" => cmd_build(rest, true),
        [first, ..] if first.starts_with('-') || first.ends_with(".spy") || first.ends_with(".py") => cmd_execute(args),
        _ => usage(),
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

/// The options before FILE, which every command ends with: `take(option, next)` reads
/// the command's own options and says how many arguments it used, None for an option
/// it does not know, which must then be `-E MODE`, `--error-mode MODE` or
/// `--error-mode=MODE`. Returns the error mode and FILE's index, or None for a usage error.
fn read_options(
    args: &[String],
    mut take: impl FnMut(&str, Option<&String>) -> Option<usize>,
) -> Option<(seed::vm::world::ErrorMode, usize)> {
    let mut error_mode = seed::vm::world::ErrorMode::Eager;
    let mut i = 0;
    while i < args.len() && args[i].starts_with('-') {
        if let Some(used) = take(&args[i], args.get(i + 1)) {
            i += used;
            continue;
        }
        let (value, used) = match args[i].as_str() {
            "-E" | "--error-mode" => (args.get(i + 1).map(String::as_str), 2),
            other => (Some(other.strip_prefix("--error-mode=")?), 1),
        };
        error_mode = match value {
            Some("eager") => seed::vm::world::ErrorMode::Eager,
            Some("lazy") => seed::vm::world::ErrorMode::Lazy,
            Some("warn") => seed::vm::world::ErrorMode::Warn,
            _ => return None,
        };
        i += used;
    }
    args.get(i).map(|_| (error_mode, i))
}

fn cmd_execute(args: &[String]) -> ExitCode {
    let Some((error_mode, i)) = read_options(args, |_, _| None) else { return usage() };
    cmd_run(&args[i], &args[i + 1..], seed::Mode::Execute, error_mode)
}

fn cmd_redshift(args: &[String]) -> ExitCode {
    let mut execute = false;
    let mut full_fqn = false;
    let mut vm = false;
    let parsed = read_options(args, |option, _| {
        match option {
            "-x" | "--execute" => execute = true,
            "--full-fqn" => full_fqn = true,
            "--vm" => vm = true,
            _ => return None,
        }
        Some(1)
    });
    let Some((error_mode, i)) = parsed else { return usage() };
    let path = &args[i];
    let mode = if execute { seed::Mode::Execute } else { seed::Mode::PrintRedshift { full_fqn, vm } };
    cmd_run(path, &args[i + 1..], mode, error_mode)
}

fn cmd_run(path: &str, argv: &[String], mode: seed::Mode, error_mode: seed::vm::world::ErrorMode) -> ExitCode {
    if let Err(code) = read_spy_file(path) {
        return code;
    }
    let full_argv = [&[path.to_string()], argv].concat();
    match seed::run_program(path, &full_argv, mode, error_mode) {
        Ok(status) => ExitCode::from(status as u8),
        Err(rendered) => {
            eprint!("{rendered}");
            ExitCode::from(1)
        }
    }
}

/// `spy0 build` and `spy0 cwrite` (docs/spec/BACKEND.md §8, §11.2): write the C, then (build)
/// compile it and, with `-x`, run it: its stdout, stderr and exit status become ours,
/// and its `argv[0]` is FILE as given, as in `spy0 FILE`.
fn cmd_build(args: &[String], c_only: bool) -> ExitCode {
    let mut options = seed::cbuild::BuildOptions {
        build_dir: None,
        output: None,
        opt_level: 0,
        werror: false,
        verbose: false,
        sanitize: false,
        program_root: String::new(),
        target: seed::cbuild::Target::Native,
    };
    let mut execute = false;
    let parsed = read_options(args, |option, value| {
        match option {
            "-x" | "--execute" if !c_only => execute = true,
            "-v" | "--verbose" if !c_only => options.verbose = true,
            "--Werror" if !c_only => options.werror = true,
            "--sanitize" if !c_only => options.sanitize = true,
            "-O0" if !c_only => options.opt_level = 0,
            "-O2" if !c_only => options.opt_level = 2,
            "-o" if !c_only && value.is_some() => {
                options.output = value.map(Into::into);
                return Some(2);
            }
            "-b" | "--build-dir" if value.is_some() => {
                options.build_dir = value.map(Into::into);
                return Some(2);
            }
            "-t" | "--target" if !c_only && value.is_some_and(|v| seed::cbuild::Target::from_name(v).is_some()) => {
                options.target = value.and_then(|v| seed::cbuild::Target::from_name(v)).unwrap_or_default();
                return Some(2);
            }
            _ => return None,
        }
        Some(1)
    });
    let Some((error_mode, i)) = parsed else { return usage() };
    let path = &args[i];
    if options.sanitize && options.target != seed::cbuild::Target::Native {
        eprintln!("Error: --sanitize is for the native target only");
        return ExitCode::from(2);
    }
    if let Err(code) = read_spy_file(path) {
        return code;
    }
    options.program_root = seed::source::program_root(path).to_string();
    let files = match seed::program_to_c(path, error_mode) {
        Ok(files) => files,
        Err(rendered) => {
            eprint!("{rendered}");
            return ExitCode::from(1);
        }
    };
    let build_dir = options.build_dir.clone().unwrap_or_else(|| seed::cbuild::default_build_dir(path));
    let changed = match seed::cbuild::write_files(&build_dir, &files) {
        Ok(changed) => changed,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(1);
        }
    };
    if c_only {
        let names: Vec<String> =
            files.iter().map(|f| seed::cbuild::c_dir(&build_dir).join(&f.name).display().to_string()).collect();
        println!("C files:      {}", names.join(" "));
        return ExitCode::SUCCESS;
    }
    let stem = std::path::Path::new(path).file_stem().map_or("a.out".into(), |s| s.to_string_lossy().into_owned());
    let exe = options.output.clone().unwrap_or_else(|| seed::cbuild::default_output(&build_dir, &stem, options.target));
    if let Err(message) = seed::cbuild::compile(&build_dir, &files, &exe, changed, &options) {
        eprintln!("{message}");
        return ExitCode::from(if message.starts_with("internal error") { 101 } else { 1 });
    }
    if !execute {
        let kind = if options.opt_level == 0 { "debug" } else { "release" };
        println!("[{kind}] {} ", exe.display());
        return ExitCode::SUCCESS;
    }
    if options.target != seed::cbuild::Target::Native {
        return match seed::cbuild::run_target_command(options.target, &exe, path, &args[i + 1..]) {
            Ok(mut cmd) => run_command(&mut cmd, &exe),
            Err(message) => {
                eprintln!("{message}");
                ExitCode::from(1)
            }
        };
    }
    run_executable(&exe, path, &args[i + 1..])
}

fn run_executable(exe: &std::path::Path, arg0: &str, args: &[String]) -> ExitCode {
    use std::os::unix::process::CommandExt;
    // A bare name would be looked up in PATH.
    let exe = if exe.is_relative() { std::path::Path::new(".").join(exe) } else { exe.to_path_buf() };
    run_command(std::process::Command::new(&exe).arg0(arg0).args(args), &exe)
}

/// Runs `cmd` (which runs the program `exe`): its exit status becomes ours.
fn run_command(cmd: &mut std::process::Command, exe: &std::path::Path) -> ExitCode {
    use std::os::unix::process::ExitStatusExt;
    match cmd.status() {
        Ok(status) => match (status.code(), status.signal()) {
            (Some(code), _) => ExitCode::from(code as u8),
            (None, Some(sig)) => {
                eprintln!("internal error: {} was killed by signal {sig}", exe.display());
                ExitCode::from(101)
            }
            _ => ExitCode::from(101),
        },
        Err(err) => {
            eprintln!("Error: cannot run {}: {}", exe.display(), io_reason(&err));
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

/// Runs a dump command (`parse`, `symtable`, `imports`, `tokens`) on one file.
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
