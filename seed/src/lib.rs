//! spy0, the seed (stage0) implementation of SPy. This file is the table of contents:
//! source -> tokens (`lexer`) -> AST (`parser`, `ast`) -> text (`dump`). Later phases
//! (scope, importing, vm, redshift, cwrite) hang off the same AST and diagnostics.

pub mod ast;
pub mod diag;
pub mod dump;
pub mod invariants;
pub mod lexer;
pub mod parser;
pub mod repr;
pub mod source;
pub mod token;

use ast::{AstArena, Names};
use diag::{Diagnostic, ErrorKind};
use source::{FileId, SourceMap};

/// Adds a file's bytes to `sources`. Invalid UTF-8 is a `ParseError` pointing at the
/// line of the first bad byte (the file is kept, lossily decoded, so the line prints).
pub fn load_source(sources: &mut SourceMap, path: &str, bytes: &[u8]) -> Result<FileId, Diagnostic> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(sources.add(path.to_string(), text.to_string())),
        Err(err) => {
            let bad = err.valid_up_to();
            let line = 1 + bytes[..bad].iter().filter(|&&b| b == b'\n').count();
            let text = String::from_utf8_lossy(bytes).into_owned();
            let file = sources.add(path.to_string(), text);
            let message = format!("invalid UTF-8: byte 0x{:02x} on line {line} is not valid UTF-8", bytes[bad]);
            Err(Diagnostic::new(ErrorKind::ParseError, message).annotate(sources.line_span(file, line), ""))
        }
    }
}

/// `spy0 parse`: the AST dump of a file, or its rendered diagnostic.
pub fn parse_to_text(path: &str, bytes: &[u8]) -> Result<String, String> {
    let mut sources = SourceMap::new();
    let file = load_source(&mut sources, path, bytes).map_err(|d| d.render(&sources))?;
    let arena = AstArena::new();
    let mut names = Names::new();
    match parser::parse_module(&arena, &mut names, &sources, file) {
        Ok(module) => Ok(dump::dump_module(&module, &names)),
        Err(diag) => Err(diag.render(&sources)),
    }
}

/// For the stage-tests harness: Ok when `bytes` fails to parse or when its AST
/// satisfies every invariant of `invariants.rs`.
pub fn check_parse_invariants(path: &str, bytes: &[u8]) -> Result<(), String> {
    let mut sources = SourceMap::new();
    let Ok(file) = load_source(&mut sources, path, bytes) else { return Ok(()) };
    let arena = AstArena::new();
    let mut names = Names::new();
    let Ok(module) = parser::parse_module(&arena, &mut names, &sources, file) else { return Ok(()) };
    let problems = invariants::check_module(&module, sources.file(file).text.len());
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}
