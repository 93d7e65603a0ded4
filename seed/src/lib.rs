//! spy0, the seed (stage0) implementation of SPy. This file is the table of contents:
//! source -> tokens (`lexer`) -> AST (`parser`, `ast`) -> text (`dump`). Later phases
//! (scope, importing, vm, redshift, cwrite) hang off the same AST and diagnostics.

pub mod ast;
pub mod cbuild;
pub mod cwrite;
pub mod diag;
pub mod dump;
pub mod importing;
pub mod invariants;
pub mod lexer;
pub mod parser;
pub mod repr;
pub mod scope;
pub mod source;
pub mod token;
pub mod vm;

use ast::{AstArena, Names};
use source::{FileId, SourceMap};

/// Lexes and parses `bytes` (no dump): Ok, or the rendered diagnostic.
pub fn parse_source(path: &str, bytes: &[u8]) -> Result<(), String> {
    let mut sources = SourceMap::new();
    let file = importing::load_source(&mut sources, path, bytes).map_err(|d| d.render(&sources))?;
    let arena = AstArena::new();
    let mut names = Names::new();
    parser::parse_module(&arena, &mut names, &sources, file).map(|_| ()).map_err(|diag| diag.render(&sources))
}

/// `spy0 parse`: the AST dump of a file, or its rendered diagnostic.
pub fn parse_to_text(path: &str, bytes: &[u8]) -> Result<String, String> {
    let mut sources = SourceMap::new();
    let file = importing::load_source(&mut sources, path, bytes).map_err(|d| d.render(&sources))?;
    let arena = AstArena::new();
    let mut names = Names::new();
    match parser::parse_module(&arena, &mut names, &sources, file) {
        Ok(module) => Ok(dump::dump_module(&module, &names)),
        Err(diag) => Err(diag.render(&sources)),
    }
}

/// `spy0 tokens`: the lexer's tokens, one per line (`dump::dump_tokens`), or the
/// rendered diagnostic of a file that is not UTF-8.
pub fn tokens_to_text(path: &str, bytes: &[u8]) -> Result<String, String> {
    let mut sources = SourceMap::new();
    let file = importing::load_source(&mut sources, path, bytes).map_err(|d| d.render(&sources))?;
    let text = &sources.file(file).text;
    Ok(dump::dump_tokens(&lexer::lex(file, text), text))
}

/// For the stage-tests harness: Ok when `bytes` fails to parse or when its AST
/// satisfies every invariant of `invariants.rs`.
pub fn check_parse_invariants(path: &str, bytes: &[u8]) -> Result<(), String> {
    let mut sources = SourceMap::new();
    let Ok(file) = importing::load_source(&mut sources, path, bytes) else { return Ok(()) };
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

/// `spy0 symtable`: the scope analysis of one file (LANGUAGE.md §2.6), or its rendered diagnostic.
pub fn symtable_to_text(path: &str, _bytes: &[u8]) -> Result<String, String> {
    let mut sources = SourceMap::new();
    let file = importing::read_entry(path, &mut sources).map_err(|d| d.render(&sources))?;
    let arena = AstArena::new();
    let mut names = Names::new();
    let module = parser::parse_module(&arena, &mut names, &sources, file).map_err(|d| d.render(&sources))?;
    match scope::build_symtables(&module, &importing::module_name(path), &mut names) {
        Ok(tables) => Ok(tables.dump_symtables(&names)),
        Err(diag) => Err(diag.render(&sources)),
    }
}

/// `spy0 imports`: the import graph of a program (LANGUAGE.md §2.5), or the rendered diagnostic.
pub fn imports_to_text(path: &str, _bytes: &[u8]) -> Result<String, String> {
    let mut sources = SourceMap::new();
    let arena = AstArena::new();
    let mut names = Names::new();
    match importing::load_all(path, &arena, &mut names, &mut sources) {
        Ok(program) => Ok(importing::dump_imports(&program, &names)),
        Err(diag) => Err(diag.render(&sources)),
    }
}

/// What `spy0 FILE` and `spy0 redshift` do after loading the program.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Run `main` (`spy0 FILE`, `spy0 redshift -x FILE`).
    Execute,
    /// Print the redshifted entry module (`spy0 redshift FILE`); with `vm`, as the
    /// interpreter runs it, after `vm/inline.rs` (`spy0 redshift --vm FILE`).
    PrintRedshift { full_fqn: bool, vm: bool },
    /// Print the entry module's source painted blue and red (`spy0 colorize FILE`).
    Colorize { json: bool },
}

/// Loads a program, runs its module bodies, redshifts every red function (so every
/// static error is reported before anything runs, LANGUAGE.md §17), then runs `main`
/// or prints the redshifted module. Program output goes to stdout as it is produced;
/// the result is the exit status, or the rendered error for stderr.
pub fn run_program(path: &str, argv: &[String], mode: Mode, error_mode: vm::world::ErrorMode) -> Result<i32, String> {
    with_program(path, error_mode, matches!(mode, Mode::Colorize { .. }), |world, entry, entry_file| {
        world.argv = argv.to_vec();
        match mode {
            Mode::PrintRedshift { full_fqn, vm } => {
                let text = vm::print::print_module(world, entry, full_fqn, vm);
                world.write_out(text.as_bytes());
                Ok(0)
            }
            Mode::Colorize { json } => {
                let text = if json {
                    vm::colorize::colorize_json(world, entry_file)
                } else {
                    vm::colorize::colorize_text(world, entry_file)
                };
                world.write_out(text.as_bytes());
                Ok(0)
            }
            Mode::Execute => world.run_main(entry),
        }
    })
}

/// `spy0 cwrite` / `spy0 build`: the program's C files (BACKEND.md §3), or the rendered
/// static error.
pub fn program_to_c(path: &str, error_mode: vm::world::ErrorMode) -> Result<Vec<cwrite::CFile>, String> {
    with_program(path, error_mode, false, |world, entry, file| cwrite::write_program(world, entry, file))
}

/// Loads a program, runs its module bodies and redshifts every red function (so every
/// static error is reported before anything runs, LANGUAGE.md §17), then hands the
/// world, the entry module and its file to `then`. Output the program wrote is flushed.
fn with_program<R>(
    path: &str,
    error_mode: vm::world::ErrorMode,
    record_colors: bool,
    then: impl for<'a> FnOnce(&mut vm::world::World<'a>, vm::types::ModId, FileId) -> vm::world::VmResult<R>,
) -> Result<R, String> {
    let mut sources = SourceMap::new();
    let arena = AstArena::new();
    let mut names = Names::new();
    let program = importing::load_all(path, &arena, &mut names, &mut sources).map_err(|d| d.render(&sources))?;
    let mut world = vm::world::World::new(names, sources);
    world.error_mode = error_mode;
    world.add_native_modules(&|names, name| {
        let empty = ast::Module {
            filename: String::new(),
            docstring: None,
            decls: vec![],
            span: source::Span::new(FileId(0), 0, 0),
        };
        scope::build_symtables(&empty, name, names).expect("internal error: an empty module has scope errors")
    });
    if record_colors {
        world.colors = Some(Vec::new());
    }
    let result = import_program(&mut world, program).and_then(|(entry, file)| then(&mut world, entry, file));
    world.flush_out();
    result.map_err(|e| e.render(&world.sources))
}

/// Runs the module bodies in import order and redshifts every red function; returns the
/// entry module and its file.
fn import_program<'a>(
    world: &mut vm::world::World<'a>,
    program: importing::Program<'a>,
) -> vm::world::VmResult<(vm::types::ModId, FileId)> {
    let mut loaded: Vec<Option<importing::LoadedModule<'a>>> = program.modules.into_iter().map(Some).collect();
    let mut entry = None;
    for imported in &program.order {
        let importing::Found::File(idx) = imported.found else { continue };
        let module = loaded[idx].take().expect("internal error: module imported twice");
        if module.dir_index == 0 {
            world.stdlib_files.insert(module.file);
        }
        let id = vm::types::ModId(world.modules.len() as u32);
        world.modules.push(vm::world::ModuleObj {
            name: module.name.clone(),
            globals: Default::default(),
            symtables: module.symtables,
        });
        world.run_module_body(id, &module.ast)?;
        entry = Some((id, module.file));
    }
    world.redshift_all()?;
    Ok(entry.expect("internal error: no entry module"))
}
