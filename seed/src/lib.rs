//! spy0, the seed (stage0) implementation of SPy. This file is the table of contents of
//! the pipeline; each phase is a module, and data flows one way:
//!
//! ```text
//! bytes --lexer--> tokens --parser--> AST --scope--> symbol tables       one file
//! main file --importing--> every module, lexed, parsed and scoped, in import order
//! modules --vm (module bodies, blue code)--> the frozen world
//! world --vm::redshift--> shifted code --vm::run--> the program runs      spy0 FILE
//!                                      --cwrite--> C --cbuild--> an executable
//! ```
//!
//! Every entry point below works on one `Compilation`: the sources read so far, the arena
//! their ASTs live in, and the interned names. The VM's `World` takes them over.

// Files, spans, diagnostics and Python's text forms of values.
pub mod diag;
pub mod repr;
pub mod source;
// The front end.
pub mod ast;
pub mod dump;
pub mod lexer;
pub mod parser;
pub mod token;
// The middle: scopes, the program's modules, the VM and redshift.
pub mod importing;
pub mod scope;
pub mod vm;
// The back end.
pub mod cbuild;
pub mod cwrite;

use ast::{AstArena, Names};
use diag::Diagnostic;
use source::{FileId, SourceMap};
use vm::types::ModId;
use vm::world::{ErrorMode, VmResult, World};

/// One compilation: the sources read so far, the arena the ASTs live in, the interned names.
pub struct Compilation<'a> {
    pub sources: SourceMap,
    pub names: Names,
    pub arena: &'a AstArena<'a>,
}

impl<'a> Compilation<'a> {
    pub fn new(arena: &'a AstArena<'a>) -> Compilation<'a> {
        Compilation { sources: SourceMap::new(), names: Names::new(), arena }
    }

    /// Adds a file's bytes (a `ParseError` when they are not UTF-8).
    pub fn add_file(&mut self, path: &str, bytes: &[u8]) -> Result<FileId, Diagnostic> {
        importing::load_source(&mut self.sources, path, bytes)
    }

    pub fn parse(&mut self, file: FileId) -> Result<ast::Module<'a>, Diagnostic> {
        parser::parse_module(self.arena, &mut self.names, &self.sources, file)
    }

    /// The main file and every module it imports, each lexed, parsed and scoped.
    pub fn load_program(&mut self, entry: &str) -> Result<importing::Program<'a>, Diagnostic> {
        importing::load_all(entry, self.arena, &mut self.names, &mut self.sources)
    }
}

/// Runs `phases` on a fresh compilation; a diagnostic comes back rendered.
fn compile<R>(phases: impl for<'a> FnOnce(&mut Compilation<'a>) -> Result<R, Diagnostic>) -> Result<R, String> {
    let arena = AstArena::new();
    let mut compilation = Compilation::new(&arena);
    phases(&mut compilation).map_err(|diag| diag.render(&compilation.sources))
}

/// Lexes and parses `bytes` (no dump): Ok, or the rendered diagnostic.
pub fn parse_source(path: &str, bytes: &[u8]) -> Result<(), String> {
    compile(|c| {
        let file = c.add_file(path, bytes)?;
        c.parse(file).map(|_| ())
    })
}

/// `spy0 parse`: the AST dump of a file, or its rendered diagnostic.
pub fn parse_to_text(path: &str, bytes: &[u8]) -> Result<String, String> {
    compile(|c| {
        let file = c.add_file(path, bytes)?;
        let module = c.parse(file)?;
        Ok(dump::dump_module(&module, &c.names))
    })
}

/// `spy0 tokens`: the lexer's tokens, one per line (`dump::dump_tokens`), or the
/// rendered diagnostic of a file that is not UTF-8.
pub fn tokens_to_text(path: &str, bytes: &[u8]) -> Result<String, String> {
    compile(|c| {
        let file = c.add_file(path, bytes)?;
        let text = &c.sources.file(file).text;
        Ok(dump::dump_tokens(&lexer::lex(file, text), text))
    })
}

/// `spy0 symtable`: the scope analysis of one file (docs/spec/LANGUAGE.md §2.6), or its rendered diagnostic.
pub fn symtable_to_text(path: &str) -> Result<String, String> {
    compile(|c| {
        let file = importing::read_entry(path, &mut c.sources)?;
        let module = c.parse(file)?;
        let tables = scope::build_symtables(&module, &importing::module_name(path), &mut c.names)?;
        Ok(tables.dump_symtables(&c.names))
    })
}

/// `spy0 imports`: the import graph of a program (docs/spec/LANGUAGE.md §2.5), or the rendered diagnostic.
pub fn imports_to_text(path: &str) -> Result<String, String> {
    compile(|c| {
        let program = c.load_program(path)?;
        Ok(importing::dump_imports(&program, &c.names))
    })
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
/// static error is reported before anything runs, docs/spec/LANGUAGE.md §17), then runs `main`
/// or prints the redshifted module. Program output goes to stdout as it is produced;
/// the result is the exit status, or the rendered error for stderr.
pub fn run_program(path: &str, argv: &[String], mode: Mode, error_mode: ErrorMode) -> Result<i32, String> {
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

/// `spy0 cwrite` / `spy0 build`: the program's C files (docs/spec/BACKEND.md §3), or the rendered
/// static error.
pub fn program_to_c(path: &str, error_mode: ErrorMode) -> Result<Vec<cwrite::CFile>, String> {
    with_program(path, error_mode, false, |world, entry, file| cwrite::write_program(world, entry, file))
}

/// Loads a program, runs its module bodies and redshifts every red function (so every
/// static error is reported before anything runs, docs/spec/LANGUAGE.md §17), then hands the
/// world, the entry module and its file to `then`. Output the program wrote is flushed.
fn with_program<R>(
    path: &str,
    error_mode: ErrorMode,
    record_colors: bool,
    then: impl for<'a> FnOnce(&mut World<'a>, ModId, FileId) -> VmResult<R>,
) -> Result<R, String> {
    let arena = AstArena::new();
    let mut c = Compilation::new(&arena);
    let program = c.load_program(path).map_err(|diag| diag.render(&c.sources))?;
    let mut world = World::new(c.names, c.sources);
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
fn import_program<'a>(world: &mut World<'a>, program: importing::Program<'a>) -> VmResult<(ModId, FileId)> {
    let mut loaded: Vec<Option<importing::LoadedModule<'a>>> = program.modules.into_iter().map(Some).collect();
    let mut entry = None;
    for imported in &program.order {
        let importing::Found::File(idx) = imported.found else { continue };
        let module = loaded[idx].take().expect("internal error: module imported twice");
        if module.dir_index == 0 {
            world.stdlib_files.insert(module.file);
        }
        let id = ModId(world.modules.len() as u32);
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
