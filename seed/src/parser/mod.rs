//! Parser: tokens -> AST, with nom over the token stream. One function per grammar
//! rule (Python 3.12's grammar, written above each function), spread over `expr.rs`,
//! `stmt.rs` and `decl.rs`. Errors come in the order upstream SPy reports them: a
//! Python syntax error anywhere in the file wins (CPython parses the whole file
//! first); otherwise the first construct SPy rejects (LANGUAGE.md §1.5), in source order.

mod decl;
mod expr;
mod stmt;

use crate::ast::{AstArena, Expr, ExprKind, Module, Names, Symbol};
use crate::diag::{Diagnostic, ErrorKind};
use crate::lexer;
use crate::source::{FileId, SourceMap, Span};
use crate::token::{Token, TokenKind, TokenValue};
use nom::{IResult, Needed};
use std::cell::{Cell, RefCell};

/// Deeper nesting than this (brackets, unary operators, blocks...) is refused with a
/// diagnostic instead of growing the stack without bound.
const MAX_DEPTH: u32 = 1000;

/// CPython's limit on indentation levels (its tokenizer's MAXINDENT).
const MAX_INDENT_LEVELS: u32 = 100;

/// The parser's input: a window `[start, end)` of the file's tokens. The whole token
/// vector stays reachable so that spans of consumed tokens can be recovered.
#[derive(Clone, Copy, Debug)]
pub struct Toks<'t> {
    all: &'t [Token],
    start: usize,
    end: usize,
}

impl<'t> Toks<'t> {
    fn new(all: &'t [Token]) -> Toks<'t> {
        Toks { all, start: 0, end: all.len() }
    }

    /// The next token; past the end, the final `EndMarker`.
    fn peek(&self) -> &'t Token {
        &self.all[self.start.min(self.all.len() - 1)]
    }

    fn peek_at(&self, n: usize) -> &'t Token {
        &self.all[(self.start + n).min(self.all.len() - 1)]
    }

    fn kind(&self) -> TokenKind {
        self.peek().kind
    }

    fn advance(&self, n: usize) -> Toks<'t> {
        Toks { all: self.all, start: (self.start + n).min(self.end), end: self.end }
    }

    /// Span of the last token consumed before this position.
    fn prev_span(&self) -> Span {
        self.all[self.start.saturating_sub(1)].span
    }
}

impl<'t> nom::Input for Toks<'t> {
    type Item = &'t Token;
    type Iter = std::slice::Iter<'t, Token>;
    type IterIndices = std::iter::Enumerate<std::slice::Iter<'t, Token>>;

    fn input_len(&self) -> usize {
        self.end - self.start
    }

    fn take(&self, index: usize) -> Self {
        Toks { all: self.all, start: self.start, end: self.start + index }
    }

    fn take_from(&self, index: usize) -> Self {
        Toks { all: self.all, start: self.start + index, end: self.end }
    }

    fn take_split(&self, index: usize) -> (Self, Self) {
        (self.take_from(index), self.take(index))
    }

    fn position<P: Fn(Self::Item) -> bool>(&self, predicate: P) -> Option<usize> {
        self.all[self.start..self.end].iter().position(predicate)
    }

    fn iter_elements(&self) -> Self::Iter {
        self.all[self.start..self.end].iter()
    }

    fn iter_indices(&self) -> Self::IterIndices {
        self.iter_elements().enumerate()
    }

    fn slice_index(&self, count: usize) -> Result<usize, Needed> {
        if self.input_len() >= count {
            Ok(count)
        } else {
            Err(Needed::new(count - self.input_len()))
        }
    }
}

/// A failed parse. `Soft` (inside `nom::Err::Error`) means "this rule does not match
/// here" and lets alternatives be tried; `Hard` (inside `nom::Err::Failure`) is final.
#[derive(Debug)]
pub enum PError {
    Soft { at: usize },
    Hard(Box<Diagnostic>),
}

impl<'t> nom::error::ParseError<Toks<'t>> for PError {
    fn from_error_kind(input: Toks<'t>, _kind: nom::error::ErrorKind) -> Self {
        PError::Soft { at: input.start }
    }

    fn append(_input: Toks<'t>, _kind: nom::error::ErrorKind, other: Self) -> Self {
        other
    }

    /// Between two failed alternatives, the one that got further explains more.
    fn or(self, other: Self) -> Self {
        match (&self, &other) {
            (PError::Soft { at: a }, PError::Soft { at: b }) if a > b => self,
            (PError::Hard(_), _) => self,
            _ => other,
        }
    }
}

pub type PResult<'t, O> = IResult<Toks<'t>, O, PError>;

pub struct Parser<'a, 's> {
    arena: &'a AstArena<'a>,
    names: RefCell<&'s mut Names>,
    sources: &'s SourceMap,
    file: FileId,
    /// The first construct SPy rejects, kept until the whole file has parsed.
    rejected: RefCell<Option<Diagnostic>>,
    depth: Cell<u32>,
    indent_levels: Cell<u32>,
    /// Number of enclosing `def`s (0 at module and class level).
    func_depth: Cell<u32>,
    /// The next `for` loop index of the current outermost function.
    for_counter: Cell<u32>,
}

/// Parses one file into a module, or returns its first error.
pub fn parse_module<'a>(
    arena: &'a AstArena<'a>,
    names: &mut Names,
    sources: &SourceMap,
    file: FileId,
) -> Result<Module<'a>, Diagnostic> {
    let tokens = lexer::lex(file, &sources.file(file).text);
    let parser = Parser {
        arena,
        names: RefCell::new(names),
        sources,
        file,
        rejected: RefCell::new(None),
        depth: Cell::new(0),
        indent_levels: Cell::new(0),
        func_depth: Cell::new(0),
        for_counter: Cell::new(0),
    };
    let input = Toks::new(&tokens);
    match parser.file_input(input) {
        Ok((_, module)) => match parser.rejected.into_inner() {
            Some(diag) => Err(diag),
            None => Ok(module),
        },
        Err(nom::Err::Failure(PError::Hard(diag))) | Err(nom::Err::Error(PError::Hard(diag))) => Err(*diag),
        Err(nom::Err::Error(PError::Soft { at })) | Err(nom::Err::Failure(PError::Soft { at })) => {
            Err(parser.invalid_syntax_at(&tokens, at))
        }
        Err(nom::Err::Incomplete(_)) => Err(parser.invalid_syntax_at(&tokens, tokens.len() - 1)),
    }
}

impl<'a, 's> Parser<'a, 's> {
    fn intern(&self, s: &str) -> Symbol {
        self.names.borrow_mut().intern(s)
    }

    fn name_of(&self, tok: &Token) -> Symbol {
        let text = &self.sources.file(self.file).text[tok.span.start as usize..tok.span.end as usize];
        self.intern(text)
    }

    fn text_of(&self, span: Span) -> &'s str {
        &self.sources.file(self.file).text[span.start as usize..span.end as usize]
    }

    fn expr(&self, kind: ExprKind<'a>, span: Span) -> &'a Expr<'a> {
        self.arena.expr(kind, span)
    }

    /// Records that SPy rejects the construct at `span`. The earliest one in the file
    /// is reported; for nested constructs starting at the same place, the outer one
    /// (recorded last) wins, as upstream's converter visits outer nodes first.
    fn reject(&self, span: Span, message: impl Into<String>, annotation: &str) {
        let mut slot = self.rejected.borrow_mut();
        let replace = match &*slot {
            None => true,
            Some(prev) => prev.primary_span().is_none_or(|p| span.start <= p.start),
        };
        if replace {
            *slot = Some(Diagnostic::new(ErrorKind::ParseError, message).annotate(span, annotation));
        }
    }

    /// `not implemented yet: <what>` / `this is not supported`
    fn reject_unimplemented(&self, span: Span, what: &str) {
        self.reject(span, format!("not implemented yet: {what}"), "this is not supported");
    }

    /// A Python syntax error: CPython's message, annotated on the whole offending line.
    fn syntax_error_on_line(&self, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(ErrorKind::ParseError, message).annotate(self.sources.line_span(self.file, line), "")
    }

    /// The line CPython blames for an error at token `idx`: the token's own line, except
    /// at the end of the file, where it is the line of the last real token.
    fn blame_line(&self, tokens: &[Token], idx: usize) -> usize {
        let file = self.sources.file(self.file);
        let idx = idx.min(tokens.len() - 1);
        let at_eof = matches!(tokens[idx].kind, TokenKind::EndMarker | TokenKind::Dedent)
            && tokens[idx..].iter().all(|t| matches!(t.kind, TokenKind::Dedent | TokenKind::EndMarker));
        if at_eof {
            let last_real = tokens[..idx]
                .iter()
                .rev()
                .find(|t| !matches!(t.kind, TokenKind::Newline | TokenKind::Indent | TokenKind::Dedent));
            if let Some(tok) = last_real {
                return file.line_of(tok.span.start);
            }
        }
        file.line_of(tokens[idx].span.start)
    }

    /// The diagnostic for a lexical error token.
    fn lex_error(&self, tok: &Token) -> Diagnostic {
        let message = match &tok.value {
            TokenValue::Error(err) => err.message(),
            _ => "invalid syntax".to_string(),
        };
        let line = self.sources.file(self.file).line_of(tok.span.start);
        self.syntax_error_on_line(line, message)
    }

    /// `invalid syntax` at token `idx` -- unless the tokenizer failed somewhere in the
    /// file: CPython tokenizes the rest of the source before settling on a generic
    /// "invalid syntax", and a tokenizer error found that way takes precedence.
    fn invalid_syntax_at(&self, tokens: &[Token], idx: usize) -> Diagnostic {
        let idx = idx.min(tokens.len() - 1);
        if let Some(tok) = tokens.iter().find(|t| t.kind == TokenKind::Error) {
            let replaces = match &tok.value {
                TokenValue::Error(err) if err.message().ends_with("was never closed") => {
                    tok.span.start < tokens[idx].span.start
                }
                TokenValue::Error(err) => err.replaces_invalid_syntax(),
                _ => false,
            };
            if replaces || tok.span.start <= tokens[idx].span.start {
                return self.lex_error(tok);
            }
        }
        self.syntax_error_on_line(self.blame_line(tokens, idx), "invalid syntax")
    }

    /// A final syntax error with a specific message at the next token of `i`. A lexical
    /// error token there takes precedence: CPython's tokenizer fails before its parser.
    fn fail<T>(&self, i: Toks, message: impl Into<String>) -> PResult<'static, T> {
        let tok = i.peek();
        let diag = if tok.kind == TokenKind::Error {
            self.lex_error(tok)
        } else {
            self.syntax_error_on_line(self.blame_line(i.all, i.start), message)
        };
        Err(nom::Err::Failure(PError::Hard(Box::new(diag))))
    }

    /// A final `invalid syntax` at the next token of `i`.
    fn invalid<T>(&self, i: Toks) -> PResult<'static, T> {
        let diag = if i.peek().kind == TokenKind::Error {
            self.lex_error(i.peek())
        } else {
            self.invalid_syntax_at(i.all, i.start)
        };
        Err(nom::Err::Failure(PError::Hard(Box::new(diag))))
    }

    /// Consumes one token of `kind`, or fails softly.
    fn tok<'t>(&self, kind: TokenKind) -> impl Fn(Toks<'t>) -> PResult<'t, &'t Token> {
        move |i: Toks<'t>| {
            let tok = i.peek();
            if tok.kind == kind {
                Ok((i.advance(1), tok))
            } else {
                Err(nom::Err::Error(PError::Soft { at: i.start }))
            }
        }
    }

    /// Consumes one token of `kind`, or fails with `invalid syntax`.
    fn expect<'t>(&self, i: Toks<'t>, kind: TokenKind) -> PResult<'t, &'t Token> {
        match self.tok(kind)(i) {
            Ok(res) => Ok(res),
            Err(_) => self.invalid(i),
        }
    }

    /// Fails when a chain of `links` more nodes (`a + b + ...`, `a.b.c...`) would make
    /// the tree deeper than the nesting limit: every later phase recurses over it.
    fn check_chain<'t>(&self, i: Toks<'t>, links: u32) -> PResult<'t, ()> {
        if self.depth.get() + links >= MAX_DEPTH {
            return self.fail(i, format!("too complex: nesting deeper than {MAX_DEPTH} levels"));
        }
        Ok((i, ()))
    }

    /// Runs `f` one nesting level deeper, refusing pathological nesting.
    fn nested<'t, T>(&self, i: Toks<'t>, f: impl FnOnce(Toks<'t>) -> PResult<'t, T>) -> PResult<'t, T> {
        if self.depth.get() >= MAX_DEPTH {
            return self.fail(i, format!("too complex: nesting deeper than {MAX_DEPTH} levels"));
        }
        self.depth.set(self.depth.get() + 1);
        let res = f(i);
        self.depth.set(self.depth.get() - 1);
        res
    }
}

#[cfg(test)]
mod tests {
    /// Parses `src` and checks that its flattened dump (no newlines or indentation), or
    /// its diagnostic's `Kind: message` line, contains `expected`.
    fn check(src: &str, expected: &str) {
        let flat = match crate::parse_to_text("t.spy", src.as_bytes()) {
            Ok(dump) => dump.lines().map(str::trim).collect::<String>(),
            Err(diag) => diag.lines().nth(2).unwrap_or("").to_string(),
        };
        assert!(flat.contains(expected), "expected `{expected}` in:\n{flat}");
    }

    fn check_error_line(src: &str, message: &str, line: usize) {
        let diag = crate::parse_to_text("t.spy", src.as_bytes()).expect_err("should not parse");
        assert!(diag.contains(message), "expected `{message}` in:\n{diag}");
        assert!(diag.contains(&format!("t.spy:{line}\n")), "expected line {line} in:\n{diag}");
    }

    fn in_main(body: &str) -> String {
        format!("def main() -> None:\n    {body}\n")
    }

    #[test]
    fn power_is_right_associative_and_binds_tighter_than_minus() {
        check(&in_main("x = -a ** b ** c"), "UnaryOp(op='-',value=BinOp(op='**',left=Name(id='a'),right=BinOp(op='**'");
    }

    #[test]
    fn minus_folds_into_number_literals_only() {
        check(&in_main("x = -5"), "value=Literal(value=-5)");
        check(&in_main("x = -2.5"), "value=Literal(value=-2.5)");
        check(&in_main("x = -(5)"), "value=Literal(value=-5)");
        check(&in_main("x = -True"), "UnaryOp(op='-',value=Literal(value=True),)");
    }

    #[test]
    fn typed_literals_fold_and_are_range_checked() {
        check(&in_main("x = u8(255)"), "Literal(value=u8(255))");
        check(&in_main("x = i8(-128)"), "Literal(value=i8(-128))");
        check(&in_main("x = f32(0.1)"), "Literal(value=f32(0.10000000149011612))");
        check(&in_main("x = f64(3)"), "Literal(value=3.0)");
        check(&in_main("x = i32(y)"), "Call(func=Name(id='i32')");
        check(&in_main("x = i32(1.5)"), "Call(func=Name(id='i32')");
        check(&in_main("x = u8(256)"), "ParseError: u8 literal 256 is out of range [0, 255]");
    }

    #[test]
    fn method_calls_and_multi_index_subscripts() {
        check(&in_main("a.b(1)"), "CallMethod(target=Name(id='a'),method='b',args=[Literal(value=1),],)");
        check(&in_main("a[i, j]"), "GetItem(value=Name(id='a'),args=[Name(id='i'),Name(id='j'),],)");
        check(&in_main("a[(i, j)]"), "args=[Tuple(");
        check(&in_main("a[1:]"), "Slice(start=Literal(value=1),stop=None,step=None,)");
    }

    #[test]
    fn for_loops_are_numbered_per_outermost_function() {
        let src = "def f() -> None:\n    for i in x:\n        pass\n    def g() -> None:\n        for j in y:\n            pass\n    for k in z:\n        pass\ndef h() -> None:\n    for m in w:\n        pass\n";
        check(src, "For(index=0,target='i'");
        check(src, "For(index=1,target='j'");
        check(src, "For(index=2,target='k'");
        check(src, "For(index=0,target='m'");
    }

    #[test]
    fn docstrings_are_taken_out_of_bodies() {
        check(
            "\"\"\"mod\"\"\"\ndef f() -> None:\n    'doc'\n    'kept'\n",
            "docstring='doc',body=[StmtExpr(value=StrLiteral(value='kept'),),]",
        );
        check("\"\"\"mod\"\"\"\n", "docstring='mod'");
    }

    #[test]
    fn var_and_const_are_markers_only_before_a_name() {
        check("var x: i32 = 1\n", "VarDef(kind='var',name='x'");
        check("const y = 2\n", "VarDef(kind='const',name='y'");
        check(&in_main("var = 3"), "Assign(target='var',value=Literal(value=3),)");
    }

    #[test]
    fn soft_keywords_are_names_elsewhere() {
        check(&in_main("match(x)"), "Call(func=Name(id='match')");
        check(&in_main("type = 3"), "Assign(target='type'");
        check(
            "def f() -> None:\n    match x:\n        case 1:\n            pass\n",
            "ParseError: not implemented yet: Match",
        );
    }

    #[test]
    fn a_python_syntax_error_later_in_the_file_wins_over_a_rejection() {
        check_error_line("def f() -> None:\n    x = a if b else c\n    y = (\n", "'(' was never closed", 3);
        check_error_line("def f() -> None:\n    x = a if b else c\n    y = = 1\n", "invalid syntax", 3);
    }

    #[test]
    fn only_some_later_tokenizer_errors_replace_invalid_syntax() {
        check_error_line("x = = 1\ny = 0x\n", "invalid hexadecimal literal", 2);
        check_error_line("x = = 1\ny = 'abc\n", "unterminated string literal (detected at line 2)", 2);
        check_error_line("x = = 1\nif x:\n    y\n  z\n", "invalid syntax", 1);
        check_error_line("x = = 1\ny = (\n", "invalid syntax", 1);
        check_error_line("y = (\nx = = 1\n", "'(' was never closed", 1);
    }

    #[test]
    fn the_outer_rejection_wins_when_two_start_together() {
        check(&in_main("x = (lambda: 1) if a else b"), "not implemented yet: IfExp");
        check("print(1 if a else b)\n", "only function and variable definitions are allowed at global scope");
    }

    #[test]
    fn cpython_messages_for_common_mistakes() {
        check_error_line("def f()\n    pass\n", "expected ':'", 1);
        check_error_line("if x:\npass\n", "expected an indented block after 'if' statement on line 1", 2);
        check_error_line("def f() -> None:\n    g(a b)\n", "invalid syntax. Perhaps you forgot a comma?", 2);
        check_error_line(
            "def f() -> None:\n    if x = 1:\n        pass\n",
            "Maybe you meant '==' or ':=' instead of '='?",
            2,
        );
        check_error_line("def f() -> None:\n    f() = 1\n", "cannot assign to function call here.", 2);
        check_error_line(
            "def f() -> None:\n    a, b += 1\n",
            "'tuple' is an illegal expression for augmented assignment",
            2,
        );
        check_error_line(
            "def f(a=1, b) -> None:\n    pass\n",
            "parameter without a default follows parameter with a default",
            1,
        );
        check_error_line("def f() -> None:\n    g(x=1, 2)\n", "positional argument follows keyword argument", 2);
        check_error_line("x = b'a' 'b'\n", "cannot mix bytes and nonbytes literals", 1);
    }

    #[test]
    fn deep_nesting_is_a_diagnostic() {
        let unary = format!("x = {}1\n", "-".repeat(5000));
        check(&unary, "ParseError: too complex: nesting deeper than 1000 levels");
        let mut blocks = String::new();
        for level in 0..120 {
            blocks.push_str(&" ".repeat(level));
            blocks.push_str("if x:\n");
        }
        blocks.push_str(&" ".repeat(120));
        blocks.push_str("pass\n");
        check(
            &format!("def f() -> None:\n{}", blocks.lines().map(|l| format!(" {l}\n")).collect::<String>()),
            "too many levels of indentation",
        );
    }
}
