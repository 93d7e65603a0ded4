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
