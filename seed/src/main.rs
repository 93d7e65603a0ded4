//! The `spy0` command line: `spy0 parse FILE`. Output goes to stdout; diagnostics go
//! to stderr with exit status 1 (LANGUAGE.md §17 #13); usage errors exit with 2.

use std::process::ExitCode;

const USAGE: &str = "usage: spy0 parse FILE";

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
        [cmd, path] if cmd == "parse" => cmd_parse(path),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
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

fn cmd_parse(path: &str) -> ExitCode {
    let bytes = match read_spy_file(path) {
        Ok(bytes) => bytes,
        Err(code) => return code,
    };
    match seed::parse_to_text(path, &bytes) {
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
