//! Properties of single phases that are not data (their stage-test cases are under
//! stage-tests/cases/): the lexer on generated inputs, the tables scope analysis gives
//! the VM, line/column arithmetic, diagnostic underlines, C name mangling, and a main
//! file that does not exist. Moved out of seed/src so that the seed's source is the
//! compiler alone.

use seed::ast::{AstArena, ClassDef, Decl, FuncDef, Names, Stmt, StmtKind, Symbol};
use seed::cwrite::names::{c_name, local_name};
use seed::diag::{underline, Diagnostic, ErrorKind};
use seed::lexer::lex;
use seed::scope::{build_symtables, SymTables, TableId};
use seed::source::{FileId, SourceFile, SourceMap, Span};
use seed::token::{Token, TokenKind};
use stage_tests::support::Rng;

// ------------------------------------------------------------------ lexer

// What the lexer does on a given input is stage-test data: `stage-tests/cases/lexer/`,
// one case per behaviour, with the `spy0 tokens` dump (`dump::dump_tokens`, the one
// token dump) as its `.tokens` golden. What stays here runs on generated inputs
// (every prefix, random edits, megabyte inputs), which no file of goldens can hold:
// the lexer must not panic on them and its token list must keep its invariants.

/// Lexes `src` and checks what every token list satisfies: spans inside the text, one
/// final `EndMarker` at the end, an `Error` only just before it.
fn lex_checked(src: &str) -> Vec<Token> {
    let tokens = lex(FileId(0), src);
    let n = tokens.len();
    assert_eq!(tokens[n - 1].kind, TokenKind::EndMarker);
    assert_eq!((tokens[n - 1].span.start, tokens[n - 1].span.end), (src.len() as u32, src.len() as u32));
    for (idx, tok) in tokens[..n - 1].iter().enumerate() {
        let (start, end) = (tok.span.start as usize, tok.span.end as usize);
        assert!(start <= end && end <= src.len(), "bad span {start}..{end} in {src:?}");
        assert!(tok.kind != TokenKind::EndMarker && (tok.kind != TokenKind::Error || idx == n - 2));
    }
    tokens
}

const SAMPLE: &str = "\"\"\"Doc \u{e9}\"\"\"\nfrom m import a, b\n\n@blue\ndef f[T](x: T, *args) -> T:\n\
    \x20   var y: i32 = 0x_ff + 0o17 - 0b1 * 1_000 // 3.5e-2j\n\
    \x20   const s = r'\\d' b\"\\x41\" '\\u20ac\\n'\n\
    \x20   z = a \\\n        + b\n\
    \x20   return f\"{x!r:>{y}}\" + '''a\r\nb'''\n\
    \x0cclass C:\n\tif x and not y or (1,\n\t\t[2, {3: 4}]):  # comment \u{20ac}\n\
    \t\tw <<= 1\n\telif y != ... @ z: pass\nx = .5; w = 1\n";

#[test]
fn every_prefix_of_a_program_lexes() {
    for end in 0..=SAMPLE.len() {
        if SAMPLE.is_char_boundary(end) {
            lex_checked(&SAMPLE[..end]);
        }
    }
    assert!(lex_checked(SAMPLE).iter().all(|t| t.kind != TokenKind::Error));
}

#[test]
fn random_mutations_never_panic() {
    let alphabet: &[&str] = &[
        "\0", "\t", "\n", "\r", "\x0c", " ", "\"", "'", "\\", "(", ")", "[", "]", "{", "}", "0", "1", "8", "_", ".",
        "e", "j", "x", "o", "b", "r", "f", "u", "N", "#", "$", "!", "=", "\u{e9}", "\u{20ac}", "\u{feff}", "\"\"\"",
        "'''", "\\\n",
    ];
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for _ in 0..3000 {
        let mut src = SAMPLE.to_string();
        for _ in 0..1 + rng.below(4) {
            let mut at = rng.below(src.len() + 1);
            while !src.is_char_boundary(at) {
                at -= 1;
            }
            if rng.below(3) == 0 {
                let end = src[at..].chars().next().map_or(at, |ch| at + ch.len_utf8());
                src.replace_range(at..end, "");
            } else {
                src.insert_str(at, alphabet[rng.below(alphabet.len())]);
            }
        }
        lex_checked(&src);
    }
}

#[test]
fn megabyte_inputs() {
    let lines = "x = (1, 'a', 2.5)  # c\n".repeat(50_000);
    let tokens = lex_checked(&lines);
    let last = &tokens[tokens.len() - 2];
    assert_eq!((last.kind, last.span.start, last.span.end), (TokenKind::Newline, 1_149_999, 1_150_000));
    let inputs = [
        format!("'{}'", "a\\n".repeat(500_000)),
        format!("\"\"\"{}", "\u{e9}\n".repeat(300_000)),
        format!("# {}", "\u{20ac}".repeat(300_000)),
        "9".repeat(1_000_000),
        format!("1.{}", "0".repeat(1_000_000)),
        "if x:\n".repeat(200_000),
        ")".repeat(1_000_000),
    ];
    for src in &inputs {
        lex_checked(src);
    }
}

// ------------------------------------------------------------------ scope

// What scope analysis makes of a given module is stage-test data:
// `stage-tests/cases/scope/`, one case per behaviour, with the `spy0 symtable` dump
// (or the ScopeError) as its golden. What `spy0 symtable` cannot show is checked
// here, on those same cases: the table the VM finds through a def or class node is
// the one named after it.

#[test]
fn node_tables_match_their_nodes_in_every_scope_case() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../stage-tests/cases/scope");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("stage-tests/cases/scope/ exists") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_none_or(|e| e != "spy") {
            continue;
        }
        let mut sources = SourceMap::new();
        let text = std::fs::read_to_string(&path).expect("a case is text");
        let file = sources.add(path.display().to_string(), text);
        let arena = AstArena::new();
        let mut names = Names::new();
        let Ok(module) = seed::parser::parse_module(&arena, &mut names, &sources, file) else { continue };
        let Ok(tables) = build_symtables(&module, "demo", &mut names) else { continue };
        for decl in &module.decls {
            match decl {
                Decl::FuncDef(f) => check_func_tables(&tables, &names, f),
                Decl::ClassDef(c) => check_class_tables(&tables, &names, c),
                Decl::VarDef(_) | Decl::Import(_) => {}
            }
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} scope cases in {}", dir.display());
}

/// The VM finds the table of a def or class through its node: it must be the table
/// named after the node, and a generic's wrapper must be its parent.
fn check_func_tables(tables: &SymTables, names: &Names, f: &FuncDef) {
    check_node_table(tables, names, f.name, tables.table_of_func(f), tables.generic_table_of_func(f));
    check_body_tables(tables, names, &f.body);
}

fn check_class_tables(tables: &SymTables, names: &Names, c: &ClassDef) {
    check_node_table(tables, names, c.name, tables.table_of_class(c), tables.generic_table_of_class(c));
    check_body_tables(tables, names, &c.body);
}

fn check_node_table(tables: &SymTables, names: &Names, name: Symbol, body: TableId, generic: Option<TableId>) {
    let table = tables.table(body);
    assert!(table.name.ends_with(&format!("::{}", names.get(name))), "{} for `{}`", table.name, names.get(name));
    if let Some(generic) = generic {
        assert_eq!(table.parent, Some(generic));
        assert_eq!(tables.table(generic).children, vec![body]);
    }
}

fn check_body_tables(tables: &SymTables, names: &Names, body: &[&Stmt]) {
    for stmt in body {
        match &stmt.kind {
            StmtKind::FuncDef(f) => check_func_tables(tables, names, f),
            StmtKind::ClassDef(c) => check_class_tables(tables, names, c),
            StmtKind::If { then_body, else_body, .. } => {
                check_body_tables(tables, names, then_body);
                check_body_tables(tables, names, else_body);
            }
            StmtKind::While { body, .. } | StmtKind::For { body, .. } => check_body_tables(tables, names, body),
            _ => {}
        }
    }
}

// ------------------------------------------------------------------ source

#[test]
fn lines_and_columns() {
    let f = SourceFile::new("t.spy".into(), "ab\ncd\r\n\nx\ry".into());
    assert_eq!(f.line_count(), 5);
    assert_eq!(f.line_text(5), "y");
    assert_eq!((f.line_of(0), f.col_of(0)), (1, 0));
    assert_eq!((f.line_of(2), f.col_of(2)), (1, 2));
    assert_eq!((f.line_of(3), f.col_of(3)), (2, 0));
    assert_eq!(f.line_text(2), "cd");
    assert_eq!(f.line_text(3), "");
    assert_eq!(f.line_text(4), "x");
}

// ------------------------------------------------------------------ diagnostics

fn check(src: &str, start: usize, end: usize, expected: &str) {
    let mut sources = SourceMap::new();
    let file = sources.add("/tmp/p.spy".into(), src.into());
    let diag = Diagnostic::new(ErrorKind::ParseError, "not implemented yet: IfExp")
        .annotate(Span::new(file, start, end), "this is not supported");
    assert_eq!(diag.render(&sources), expected);
}

#[test]
fn renders_the_spec_example() {
    let src = "def f(a: i32, b: i32) -> i32:\n    return a if a > b else b\n";
    let start = src.find("a if").unwrap();
    check(
        src,
        start,
        start + "a if a > b else b".len(),
        "Traceback (most recent call last):\n\nParseError: not implemented yet: IfExp\n  | /tmp/p.spy:2\n  |     return a if a > b else b\n  |            |_______________| this is not supported\n\n",
    );
}

#[test]
fn narrow_and_empty_spans_use_carets() {
    assert_eq!(underline(2, 3), "  ^");
    assert_eq!(underline(2, 4), "  ^^");
    assert_eq!(underline(2, 2), "  ^");
    assert_eq!(underline(0, 3), "|_|");
}

#[test]
fn multi_line_span_underlines_the_first_line_only() {
    check(
        "x = (1,\n 2)\n",
        4,
        11,
        "Traceback (most recent call last):\n\nParseError: not implemented yet: IfExp\n  | /tmp/p.spy:1\n  | x = (1,\n  |     |_| this is not supported\n\n",
    );
}

// ------------------------------------------------------------------ C names

#[test]
fn mangles_like_backend_md() {
    assert_eq!(c_name("mymod::main"), "spy_mymod$main");
    assert_eq!(c_name("a.b.c::xxx#1"), "spy_a_b_c$xxx$1");
    assert_eq!(c_name("a::b[x, y]::c#2"), "spy_a$b__x_y$c$2");
    assert_eq!(c_name("_list::list[builtins::str]::_ListImpl"), "spy__list$list__builtins$str$_ListImpl");
    assert_eq!(c_name("unsafe::gc_ptr[builtins::u8]"), "spy_unsafe$gc_ptr__builtins$u8");
    assert_eq!(c_name("mymod::inc#__bare__"), "spy_mymod$inc$__bare__");
    assert_eq!(c_name("__spy__::_stdout_write"), "spy___spy__$_stdout_write");
    assert_eq!(
        c_name("_dict::dict[builtins::str, _list::list[builtins::i32]::_ListImpl]::_dict"),
        "spy__dict$dict__builtins$str__list$list__builtins$i32$_ListImpl$_dict"
    );
}

#[test]
fn escapes_c_keywords_in_locals() {
    assert_eq!(local_name("default"), "default$");
    assert_eq!(local_name("x"), "x");
    assert_eq!(local_name("_$iter0"), "_$iter0");
    assert_eq!(local_name("spy_x"), "spy_x$");
}

// ------------------------------------------------------------------ importing

/// A main file that does not exist: the ImportError of docs/spec/LANGUAGE.md §2.5 for the
/// root module (no case can be a file that does not exist).
#[test]
fn missing_entry_module() {
    let missing = std::env::temp_dir().join(format!("spy0-missing-{}/main.spy", std::process::id()));
    let rendered = seed::imports_to_text(&missing.to_string_lossy()).expect_err("the module does not exist");
    assert_eq!(rendered, "Traceback (most recent call last):\n\nImportError: module `main` does not exist\n");
}
