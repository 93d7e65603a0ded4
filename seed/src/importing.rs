//! Importing (docs/spec/LANGUAGE.md §2.5): from the entry file, finds, parses and scope-analyses
//! every module the program needs (explicit imports first, then implicit ones) and
//! returns them in import order: depth-first post-order, each module once, entry last.
//! Nothing runs here; the VM executes the module bodies in this order.

use crate::ast::{AstArena, Decl, Import, Module, Names};
use crate::diag::{Diagnostic, ErrorKind};
use crate::parser::parse_module;
use crate::scope::{build_symtables, SymTables};
use crate::source::{FileId, SourceMap, Span};
use std::path::{Path, PathBuf};

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

/// Modules implemented inside the VM (`vm/natives.rs`): always available, never read
/// from a file. Upstream's `jsffi` (emscripten only) and `rawbuffer` are not implemented
/// (docs/spec/LANGUAGE.md §14.10, §14.11).
pub const BUILTIN_MODULES: &[&str] = &["builtins", "operator", "math", "unsafe", "posix", "time", "types", "__spy__"];

/// `$SPY_STDLIB` if set, else the repository's `stdlib/`.
pub fn stdlib_dir() -> PathBuf {
    match std::env::var_os("SPY_STDLIB") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        // The repository root without a `seed/..` detour, as diagnostics show it.
        _ => match std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent() {
            Some(root) => root.join("stdlib"),
            None => PathBuf::from("stdlib"),
        },
    }
}

/// A `.spy` file of the program, parsed and analysed.
pub struct LoadedModule<'a> {
    pub name: String,
    /// The path the file was read from: `<search dir>/<name>.spy`, or the entry exactly
    /// as given on the command line.
    pub path: String,
    /// Index in `Program::search_path` of the directory the file is in.
    pub dir_index: usize,
    pub file: FileId,
    pub ast: Module<'a>,
    pub symtables: SymTables,
    /// Direct imports, each once: explicit ones in source order, then implicit ones.
    pub imports: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    /// Index in `Program::modules`.
    File(usize),
    /// A native module of the VM (`BUILTIN_MODULES`).
    Builtin,
    /// An implicit import whose stdlib file does not exist: the VM reports it when a
    /// name that needs the module is evaluated.
    Missing,
}

pub struct ImportedModule {
    pub name: String,
    pub found: Found,
}

pub struct Program<'a> {
    /// Every module in import order (§2.5), builtin and missing ones included; the entry is last.
    pub order: Vec<ImportedModule>,
    /// The modules read from files, also in import order.
    pub modules: Vec<LoadedModule<'a>>,
    /// `p0`: the stdlib directory; `p1`: the entry's directory (both as given).
    pub search_path: Vec<String>,
}

impl<'a> Program<'a> {
    pub fn entry(&self) -> &LoadedModule<'a> {
        match self.modules.last() {
            Some(module) => module,
            None => panic!("internal error: a program without its entry module"),
        }
    }

    pub fn find(&self, name: &str) -> Option<Found> {
        self.order.iter().find(|m| m.name == name).map(|m| m.found)
    }
}

/// The module name of a file: its name without the extension (`a.b.spy` is `a.b`).
pub fn module_name(path: &str) -> String {
    let file_name = Path::new(path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    match file_name.strip_suffix(".spy").or_else(|| file_name.strip_suffix(".py")) {
        Some(stem) => stem.to_string(),
        None => file_name,
    }
}

/// Reads the entry file into `sources`. A file that cannot be read is the root-module
/// case of §2.5: `module \`m\` does not exist`, without an annotation.
pub fn read_entry(path: &str, sources: &mut SourceMap) -> Result<FileId, Diagnostic> {
    match std::fs::read(path) {
        Ok(bytes) => load_source(sources, path, &bytes),
        Err(_) => {
            Err(Diagnostic::new(ErrorKind::ImportError, format!("module `{}` does not exist", module_name(path))))
        }
    }
}

pub fn load_all<'a>(
    entry: &str,
    arena: &'a AstArena<'a>,
    names: &mut Names,
    sources: &mut SourceMap,
) -> Result<Program<'a>, Diagnostic> {
    let stdlib = stdlib_dir().to_string_lossy().into_owned();
    load_with_stdlib(entry, &stdlib, arena, names, sources)
}

fn load_with_stdlib<'a>(
    entry: &str,
    stdlib: &str,
    arena: &'a AstArena<'a>,
    names: &mut Names,
    sources: &mut SourceMap,
) -> Result<Program<'a>, Diagnostic> {
    let entry_dir = match Path::new(entry).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_string_lossy().into_owned(),
        _ => ".".to_string(),
    };
    let mut loader = Loader {
        arena,
        names,
        sources,
        search_path: vec![stdlib.to_string(), entry_dir],
        search_roots: vec![format!("{stdlib}/"), crate::source::program_root(entry).to_string()],
        order: Vec::new(),
        modules: Vec::new(),
        in_progress: Vec::new(),
    };
    let file = read_entry(entry, loader.sources)?;
    loader.load_module(&module_name(entry), entry.to_string(), 1, file, None)?;
    Ok(Program { order: loader.order, modules: loader.modules, search_path: loader.search_path })
}

/// Where a module name was found on the search path.
enum Lookup {
    Spy {
        dir_index: usize,
        path: String,
    },
    /// Only a `.py` file: it exists, but cannot be imported.
    Py,
    Nowhere,
}

struct Loader<'a, 'r> {
    arena: &'a AstArena<'a>,
    names: &'r mut Names,
    sources: &'r mut SourceMap,
    search_path: Vec<String>,
    /// The same folders as path prefixes: `<stdlib>/`, and the main file's folder as
    /// given (empty when the main file was named without one), so module paths read as
    /// the user wrote the main file's (`<module>.spy` beside `<main>.spy`, not `./<module>.spy`).
    search_roots: Vec<String>,
    order: Vec<ImportedModule>,
    modules: Vec<LoadedModule<'a>>,
    /// The modules being loaded, outermost first, with the import that started each one
    /// (None for the entry): meeting one of them again is a circular import.
    in_progress: Vec<(String, Option<Span>)>,
}

impl<'a, 'r> Loader<'a, 'r> {
    /// Parses and analyses one file, loads what it imports, then appends it to the order.
    fn load_module(
        &mut self,
        name: &str,
        path: String,
        dir_index: usize,
        file: FileId,
        imported_at: Option<Span>,
    ) -> Result<(), Diagnostic> {
        let ast = parse_module(self.arena, self.names, self.sources, file)?;
        let symtables = build_symtables(&ast, name, self.names)?;
        self.in_progress.push((name.to_string(), imported_at));
        let mut imports: Vec<String> = Vec::new();
        for decl in &ast.decls {
            if let Decl::Import(import) = decl {
                let module = self.names.get(import.module).to_string();
                if !imports.contains(&module) {
                    imports.push(module.clone());
                }
                self.import_explicit(&module, import)?;
            }
        }
        for module in &symtables.implicit_imports {
            // The stdlib modules use each other's displays (and `_list` its own): an
            // implicit import of a module already being loaded is skipped, not an error.
            if self.in_progress.iter().any(|(m, _)| m == module) {
                continue;
            }
            if !imports.contains(module) {
                imports.push(module.clone());
            }
            self.import_implicit(module)?;
        }
        self.in_progress.pop();
        self.order.push(ImportedModule { name: name.to_string(), found: Found::File(self.modules.len()) });
        self.modules.push(LoadedModule { name: name.to_string(), path, dir_index, file, ast, symtables, imports });
        Ok(())
    }

    /// `import m` / `from m import x`: the module must exist as a `.spy` file or be builtin.
    fn import_explicit(&mut self, module: &str, import: &Import) -> Result<(), Diagnostic> {
        if self.order.iter().any(|m| m.name == module) {
            return Ok(());
        }
        let what = match import.attr {
            Some(attr) => format!("{module}.{}", self.names.get(attr)),
            None => module.to_string(),
        };
        let cannot_import = Diagnostic::new(ErrorKind::ImportError, format!("cannot import `{what}`"));
        // The note points at the import that started loading `module`, which is still
        // running: together with the annotation, it shows both ends of the cycle.
        if let Some((_, started_at)) = self.in_progress.iter().find(|(m, _)| m == module) {
            return Err(cannot_import
                .annotate(import.span, format!("module `{module}` does not exist"))
                .note(started_at.unwrap_or(import.span), "this is likely a circular import (WIP)"));
        }
        if BUILTIN_MODULES.contains(&module) {
            self.order.push(ImportedModule { name: module.to_string(), found: Found::Builtin });
            return Ok(());
        }
        match self.lookup(module) {
            Lookup::Spy { dir_index, path } => {
                // Invalid UTF-8 is the file's own ParseError; an unreadable file fails the import.
                let file = match std::fs::read(&path) {
                    Ok(bytes) => load_source(self.sources, &path, &bytes)?,
                    Err(err) => {
                        let reason = format!("cannot read `{path}`: {}", err.kind());
                        return Err(cannot_import.annotate(import.span, reason));
                    }
                };
                self.load_module(module, path, dir_index, file, Some(import.span))
            }
            Lookup::Py => Err(cannot_import
                .annotate(import.span, format!("file `{module}.py` exists, but py files cannot be imported"))),
            Lookup::Nowhere => Err(cannot_import.annotate(import.span, format!("module `{module}` does not exist"))),
        }
    }

    /// A stdlib module needed by a display or a builtin (§2.5). While `stdlib/` is being
    /// written, a missing one is recorded and left to the VM, which fails only if the
    /// code that needs it is evaluated.
    fn import_implicit(&mut self, module: &str) -> Result<(), Diagnostic> {
        if self.order.iter().any(|m| m.name == module) {
            return Ok(());
        }
        match self.lookup(module) {
            Lookup::Spy { dir_index, path } => {
                let file = match std::fs::read(&path) {
                    Ok(bytes) => load_source(self.sources, &path, &bytes)?,
                    Err(err) => {
                        let message = format!("cannot import `{module}`: cannot read `{path}`: {}", err.kind());
                        return Err(Diagnostic::new(ErrorKind::ImportError, message));
                    }
                };
                self.load_module(module, path, dir_index, file, None)
            }
            Lookup::Py | Lookup::Nowhere => {
                self.order.push(ImportedModule { name: module.to_string(), found: Found::Missing });
                Ok(())
            }
        }
    }

    /// Search path order, and `.spy` before `.py` within one directory.
    /// A dotted name is first a file of that name (`a.b.spy`, as upstream), then a file
    /// in a folder (`a/<b>.spy`, as a Python package would be; docs/decisions.md).
    fn lookup(&self, module: &str) -> Lookup {
        let nested = module.replace('.', "/");
        for (dir_index, root) in self.search_roots.iter().enumerate() {
            for stem in [module, nested.as_str()] {
                let path = format!("{root}{stem}.spy");
                if Path::new(&path).is_file() {
                    return Lookup::Spy { dir_index, path };
                }
                if Path::new(&format!("{root}{stem}.py")).is_file() {
                    return Lookup::Py;
                }
            }
        }
        Lookup::Nowhere
    }
}

/// `spy0 imports`: the import tree, the search path and the import order, in the format
/// of docs/spec/BACKEND.md §11.3 (see docs/symtable-format.md). `names` is not needed yet; it keeps
/// the signature of the other dumps.
pub fn dump_imports(program: &Program, _names: &Names) -> String {
    let mut out = String::from("Import tree:\n");
    let entry = program.entry();
    out.push_str(&format!("  {}\n", entry.name));
    dump_tree(program, entry, "  ", &mut out);
    out.push_str("\nvm.path:\n");
    for (index, dir) in program.search_path.iter().enumerate() {
        out.push_str(&format!("  p{index} = {dir}\n"));
    }
    out.push_str("\nImport order:\n");
    // A module's place: its path below its search folder (`<m>.spy`, `<pkg>/<m>.spy`).
    let roots = [format!("{}/", program.search_path[0]), crate::source::program_root(&entry.path).to_string()];
    let width = program.order.iter().map(|m| m.name.len()).max().unwrap_or(0);
    for (index, imported) in program.order.iter().enumerate() {
        let place = match imported.found {
            Found::File(i) => {
                let module = &program.modules[i];
                let place = module.path.strip_prefix(roots[module.dir_index].as_str()).unwrap_or(&module.path);
                format!("$p{}/{place}", module.dir_index)
            }
            Found::Builtin => "(already imported)".to_string(),
            Found::Missing => "ImportError".to_string(),
        };
        out.push_str(&format!("{index:>3}  {:>width$} => {place}\n", imported.name));
    }
    out
}

/// The children of `module`, drawn with `├── `, `└── ` and `│   `. A module imported by
/// several others appears (with its own imports) under each of them.
fn dump_tree(program: &Program, module: &LoadedModule, prefix: &str, out: &mut String) {
    for (index, child) in module.imports.iter().enumerate() {
        let last = index + 1 == module.imports.len();
        let branch = if last { "└── " } else { "├── " };
        out.push_str(&format!("{prefix}{branch}{child}\n"));
        if let Some(Found::File(i)) = program.find(child) {
            let nested = format!("{prefix}{}", if last { "    " } else { "│   " });
            dump_tree(program, &program.modules[i], &nested, out);
        }
    }
}
