//! Parser: tokens -> AST, with nom combinators over the token stream. One function per
//! grammar rule (Python 3.12's grammar, written above each function), spread over
//! `expr.rs`, `stmt.rs` and `decl.rs`. Errors come in the order upstream SPy reports
//! them: a Python syntax error anywhere in the file wins (CPython parses the whole file
//! first); otherwise the first construct SPy rejects (docs/spec/LANGUAGE.md §1.5), in source order.

mod decl;
mod expr;
mod stmt;

use crate::ast::{AstArena, Expr, ExprKind, Module, Names, Symbol};
use crate::diag::{Diagnostic, ErrorKind};
use crate::lexer;
use crate::source::{FileId, SourceMap, Span};
use crate::token::{Token, TokenKind, TokenValue};
use nom::combinator::{cut, not, opt};
use nom::multi::{fold_many0, separated_list0};
use nom::sequence::{preceded, terminated};
use nom::{IResult, Needed, Parser as _};
use std::cell::RefCell;
use typed_arena::Arena;

/// Deeper nesting than this (brackets, unary operators, blocks...) is refused with a
/// diagnostic instead of growing the stack without bound.
const MAX_DEPTH: u16 = 1000;

/// CPython's limit on indentation levels (its tokenizer's MAXINDENT).
const MAX_INDENT_LEVELS: u8 = 100;

/// The parser's input: a window `[start, end)` of the file's tokens (all of them stay
/// reachable, for the spans of consumed ones), and what the parse knows at that point.
/// It is a plain value: a rule that learns something returns it in the rest it hands
/// back, so an alternative that is abandoned leaves nothing behind. Every rule copies
/// it around, so it is kept small (32 bytes).
#[derive(Clone, Copy, Debug)]
pub struct Toks<'t> {
    all: &'t Vec<Token>,
    start: u32,
    end: u32,
    /// The next `for` loop index of the current outermost function.
    for_counter: u32,
    /// Nesting rules (brackets, unary operators, blocks...) around this position.
    depth: u16,
    /// Indented blocks around this position.
    indent_levels: u8,
    /// Enclosing `def`s (a class body starts afresh); blocks bound it to 100.
    func_depth: u8,
    /// The first construct SPy rejects before this position (see `Parser::reject`).
    rejected: Option<&'t Diagnostic>,
}

impl<'t> Toks<'t> {
    fn new(all: &'t Vec<Token>) -> Toks<'t> {
        let end = u32::try_from(all.len()).expect("internal error: more than 2^32 tokens");
        Toks { all, start: 0, end, for_counter: 0, depth: 0, indent_levels: 0, func_depth: 0, rejected: None }
    }

    /// The index of the next token.
    fn pos(&self) -> usize {
        self.start as usize
    }

    /// The next token; past the end, the final `EndMarker`.
    fn peek(&self) -> &'t Token {
        &self.all[self.pos().min(self.all.len() - 1)]
    }

    fn peek_at(&self, n: usize) -> &'t Token {
        &self.all[(self.pos() + n).min(self.all.len() - 1)]
    }

    fn kind(&self) -> TokenKind {
        self.peek().kind
    }

    fn advance(&self, n: usize) -> Toks<'t> {
        Toks { start: (self.start + n as u32).min(self.end), ..*self }
    }

    /// Span of the last token consumed before this position.
    fn prev_span(&self) -> Span {
        self.all[self.pos().saturating_sub(1)].span
    }
}

impl<'t> nom::Input for Toks<'t> {
    type Item = &'t Token;
    type Iter = std::slice::Iter<'t, Token>;
    type IterIndices = std::iter::Enumerate<std::slice::Iter<'t, Token>>;

    fn input_len(&self) -> usize {
        (self.end - self.start) as usize
    }

    fn take(&self, index: usize) -> Self {
        Toks { end: self.start + index as u32, ..*self }
    }

    fn take_from(&self, index: usize) -> Self {
        Toks { start: self.start + index as u32, ..*self }
    }

    fn take_split(&self, index: usize) -> (Self, Self) {
        (self.take_from(index), self.take(index))
    }

    fn position<P: Fn(Self::Item) -> bool>(&self, predicate: P) -> Option<usize> {
        self.all[self.pos()..self.end as usize].iter().position(predicate)
    }

    fn iter_elements(&self) -> Self::Iter {
        self.all[self.pos()..self.end as usize].iter()
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

/// A failed parse. Inside `nom::Err::Error` it means "this rule does not match here"
/// and lets alternatives be tried; inside `nom::Err::Failure` it is final.
#[derive(Debug)]
pub enum PError {
    /// `invalid syntax` at token `at`: the diagnostic is only built if it is final.
    Invalid {
        at: usize,
    },
    Diag(Box<Diagnostic>),
}

impl<'t> nom::error::ParseError<Toks<'t>> for PError {
    fn from_error_kind(input: Toks<'t>, _kind: nom::error::ErrorKind) -> Self {
        PError::Invalid { at: input.pos() }
    }

    fn append(_input: Toks<'t>, _kind: nom::error::ErrorKind, other: Self) -> Self {
        other
    }

    /// Between two failed alternatives, the one that got further explains more.
    fn or(self, other: Self) -> Self {
        match (&self, &other) {
            (PError::Invalid { at: a }, PError::Invalid { at: b }) if a > b => self,
            (PError::Diag(_), _) => self,
            _ => other,
        }
    }
}

pub type PResult<'t, O> = IResult<Toks<'t>, O, PError>;
type PExpr<'t, 'a> = PResult<'t, &'a Expr<'a>>;

/// "Does not match here": lets an enclosing `alt`, `opt` or `many0` try something else.
fn soft<T>(i: Toks) -> PResult<T> {
    Err(nom::Err::Error(PError::Invalid { at: i.pos() }))
}

/// A final `invalid syntax` at the next token of `i`.
fn invalid<T>(i: Toks) -> PResult<T> {
    Err(nom::Err::Failure(PError::Invalid { at: i.pos() }))
}

/// One token of `kind`.
fn tok<'t>(kind: TokenKind) -> impl Fn(Toks<'t>) -> PResult<'t, &'t Token> + Copy {
    move |i: Toks<'t>| if i.kind() == kind { Ok((i.advance(1), i.peek())) } else { soft(i) }
}

/// One token of any of `kinds`.
fn one_of<'t>(kinds: &'static [TokenKind]) -> impl Fn(Toks<'t>) -> PResult<'t, &'t Token> + Copy {
    move |i: Toks<'t>| if kinds.contains(&i.kind()) { Ok((i.advance(1), i.peek())) } else { soft(i) }
}

/// One token of `kind`, or a final `invalid syntax`.
fn expect<'t>(kind: TokenKind) -> impl Fn(Toks<'t>) -> PResult<'t, &'t Token> + Copy {
    move |i: Toks<'t>| cut(tok(kind)).parse(i)
}

/// `item*`: nom's `many0`, except that nothing is allocated while nothing matches
/// (most repetitions here match nothing: no `;` after a statement, no `,` after an item).
fn many<'t, O>(
    item: impl nom::Parser<Toks<'t>, Output = O, Error = PError>,
) -> impl nom::Parser<Toks<'t>, Output = Vec<O>, Error = PError> {
    fold_many0(item, Vec::new, |mut items, item| {
        items.push(item);
        items
    })
}

/// `[item (',' item)* [',']] close`: a comma list in brackets whose opening bracket has
/// been read, as CPython reads it: a comma may end it, and once a token other than
/// `close` begins an item, the item must parse.
fn items<'t, O>(
    close: TokenKind,
    item: impl nom::Parser<Toks<'t>, Output = O, Error = PError>,
) -> impl nom::Parser<Toks<'t>, Output = Vec<O>, Error = PError> {
    let list = separated_list0(tok(TokenKind::Comma), preceded(not(tok(close)), cut(item)));
    terminated(list, (opt(tok(TokenKind::Comma)), expect(close)))
}

/// `(',' item)* [','] close`: the rest of such a list after its first item.
fn more_items<'t, O>(
    close: TokenKind,
    item: impl nom::Parser<Toks<'t>, Output = O, Error = PError>,
) -> impl nom::Parser<Toks<'t>, Output = Vec<O>, Error = PError> {
    let list = many(preceded((tok(TokenKind::Comma), not(tok(close))), cut(item)));
    terminated(list, (opt(tok(TokenKind::Comma)), expect(close)))
}

pub struct Parser<'a, 't> {
    arena: &'a AstArena<'a>,
    /// Where names are interned. Like the arena, it only receives the parser's output:
    /// no parsing decision reads it (spellings are read from the source text).
    names: RefCell<&'t mut Names>,
    sources: &'t SourceMap,
    file: FileId,
    /// Holds the diagnostics that `Toks::rejected` points to.
    rejections: &'t Arena<Diagnostic>,
}

/// Parses one file into a module, or returns its first error.
pub fn parse_module<'a>(
    arena: &'a AstArena<'a>,
    names: &mut Names,
    sources: &SourceMap,
    file: FileId,
) -> Result<Module<'a>, Diagnostic> {
    let tokens = lexer::lex(file, &sources.file(file).text);
    let rejections = Arena::new();
    let parser = Parser { arena, names: RefCell::new(names), sources, file, rejections: &rejections };
    let err = match parser.file_input(Toks::new(&tokens)) {
        Ok((rest, module)) => return rest.rejected.map_or(Ok(module), |diag| Err(diag.clone())),
        Err(nom::Err::Error(err) | nom::Err::Failure(err)) => err,
        Err(nom::Err::Incomplete(_)) => PError::Invalid { at: tokens.len() - 1 },
    };
    Err(match err {
        PError::Diag(diag) => *diag,
        PError::Invalid { at } => parser.invalid_at(&tokens, at),
    })
}

impl<'a, 't> Parser<'a, 't> {
    fn intern(&self, s: &str) -> Symbol {
        self.names.borrow_mut().intern(s)
    }

    fn name_of(&self, tok: &Token) -> Symbol {
        self.intern(self.text_of(tok.span))
    }

    fn text_of(&self, span: Span) -> &'t str {
        &self.sources.file(self.file).text[span.start as usize..span.end as usize]
    }

    fn line_of(&self, span: Span) -> usize {
        self.sources.file(self.file).line_of(span.start)
    }

    fn expr(&self, kind: ExprKind<'a>, span: Span) -> &'a Expr<'a> {
        self.arena.expr(kind, span)
    }

    /// Records in `i` that SPy rejects the construct at `span`. The earliest one in the
    /// file is reported; for nested constructs starting at the same place, the outer one
    /// (recorded last) wins, as upstream's converter visits outer nodes first.
    fn reject(&self, i: Toks<'t>, span: Span, message: impl Into<String>, annotation: &str) -> Toks<'t> {
        if i.rejected.and_then(Diagnostic::primary_span).is_some_and(|prev| span.start > prev.start) {
            return i;
        }
        let diag = Diagnostic::new(ErrorKind::ParseError, message).annotate(span, annotation);
        Toks { rejected: Some(self.rejections.alloc(diag)), ..i }
    }

    /// `not implemented yet: <what>` / `this is not supported`
    fn reject_unimplemented(&self, i: Toks<'t>, span: Span, what: &str) -> Toks<'t> {
        self.reject(i, span, format!("not implemented yet: {what}"), "this is not supported")
    }

    /// A Python syntax error: CPython's message, annotated on the whole offending line.
    fn syntax_error_on_line(&self, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(ErrorKind::ParseError, message).annotate(self.sources.line_span(self.file, line), "")
    }

    /// A final syntax error with CPython's `message`, blamed on the line of `span`.
    fn fail_on_line<T>(&self, span: Span, message: impl Into<String>) -> PResult<'t, T> {
        Err(nom::Err::Failure(PError::Diag(Box::new(self.syntax_error_on_line(self.line_of(span), message)))))
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
        self.syntax_error_on_line(self.line_of(tok.span), message)
    }

    /// `invalid syntax` at token `idx`. A lexical error token there speaks for itself,
    /// and so may one elsewhere in the file: CPython tokenizes the rest of the source
    /// before settling on a generic "invalid syntax", and a tokenizer error found that
    /// way takes precedence.
    fn invalid_at(&self, tokens: &[Token], idx: usize) -> Diagnostic {
        let idx = idx.min(tokens.len() - 1);
        if tokens[idx].kind == TokenKind::Error {
            return self.lex_error(&tokens[idx]);
        }
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
    fn fail<T>(&self, i: Toks, message: impl Into<String>) -> PResult<'t, T> {
        let tok = i.peek();
        let diag = if tok.kind == TokenKind::Error {
            self.lex_error(tok)
        } else {
            self.syntax_error_on_line(self.blame_line(i.all, i.pos()), message)
        };
        Err(nom::Err::Failure(PError::Diag(Box::new(diag))))
    }

    /// `p`, committed: where it does not match, a final syntax error with `message`.
    fn or_fail<'p, O, P: nom::Parser<Toks<'t>, Output = O, Error = PError> + 'p>(
        &'p self,
        mut p: P,
        message: &'static str,
    ) -> impl FnMut(Toks<'t>) -> PResult<'t, O> + use<'p, 'a, 't, O, P> {
        move |i| match p.parse(i) {
            Err(nom::Err::Error(_)) => self.fail(i, message),
            res => res,
        }
    }

    /// Fails when a chain of `links` more nodes (`a + b + ...`, `a.b.c...`) would make
    /// the tree deeper than the nesting limit: every later phase recurses over it.
    fn check_chain(&self, i: Toks<'t>, links: u32) -> PResult<'t, ()> {
        if u32::from(i.depth) + links >= u32::from(MAX_DEPTH) {
            return self.fail(i, format!("too complex: nesting deeper than {MAX_DEPTH} levels"));
        }
        Ok((i, ()))
    }

    /// Runs `f` one nesting level deeper, refusing pathological nesting.
    fn nested<T>(&self, i: Toks<'t>, f: impl FnOnce(Toks<'t>) -> PResult<'t, T>) -> PResult<'t, T> {
        if i.depth >= MAX_DEPTH {
            return self.fail(i, format!("too complex: nesting deeper than {MAX_DEPTH} levels"));
        }
        let (rest, res) = f(Toks { depth: i.depth + 1, ..i })?;
        Ok((Toks { depth: i.depth, ..rest }, res))
    }
}
