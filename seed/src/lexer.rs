//! Lexer: source text in, tokens out, following CPython 3.12's tokenizer (docs/spec/LANGUAGE.md §1.1)
//! plus SPy's `var`/`const` markers (§1.2). Strings and numbers carry their decoded values.
//! The result always ends with `EndMarker`; the first lexical problem becomes one `Error`
//! token, placed where CPython reports it, and lexing stops there. Linear time, no
//! recursion, and no panics on any input.

use crate::source::{FileId, Span};
use crate::token::{LexError, StrValue, Token, TokenKind, TokenValue};

/// CPython's `tabsize`: a tab moves the column to the next multiple of 8.
const TAB_SIZE: usize = 8;
/// CPython's MAXINDENT: the indentation stack, base level included, holds fewer than 100 levels.
const MAX_INDENT: usize = 100;
/// CPython's MAXLEVEL: at most 200 brackets may be open at once.
const MAX_PAREN_LEVEL: usize = 200;
/// What `Lexer::at` returns past the end of the text. It cannot be mistaken for a real
/// character because `lex` refuses any text containing a NUL byte before scanning it.
const EOF: u8 = 0;

/// Lexes a whole file. The result always ends with `EndMarker`. At the first lexical
/// error it emits one `TokenKind::Error` token (value `TokenValue::Error(..)`) whose span
/// is where CPython reports that error, then `EndMarker`, and stops.
pub fn lex(file: FileId, text: &str) -> Vec<Token> {
    let mut lexer = Lexer {
        file,
        text,
        bytes: text.as_bytes(),
        pos: 0,
        tokens: Vec::new(),
        indents: vec![(0, 0)],
        brackets: Vec::new(),
    };
    let result = match text.bytes().position(|b| b == 0) {
        // CPython 3.12 refuses such a source before producing any token.
        Some(nul) => Err(Failure::new(nul, nul + 1, message("source code cannot contain null bytes"))),
        None => lexer.run(),
    };
    if let Err(failure) = result {
        let span = Span::new(file, failure.start, failure.end);
        lexer.tokens.push(Token { kind: TokenKind::Error, span, value: TokenValue::Error(failure.error) });
    }
    let end = text.len();
    lexer.tokens.push(Token { kind: TokenKind::EndMarker, span: Span::new(file, end, end), value: TokenValue::None });
    lexer.tokens
}

/// The first lexical error: what it is and the byte range it is reported at.
struct Failure {
    start: usize,
    end: usize,
    error: LexError,
}

impl Failure {
    fn new(start: usize, end: usize, error: LexError) -> Failure {
        Failure { start, end, error }
    }
}

fn message(text: impl Into<String>) -> LexError {
    LexError::Message(text.into())
}

/// The letters before a string's opening quote.
#[derive(Clone, Copy, Default)]
struct StrPrefix {
    bytes: bool,
    raw: bool,
    unicode: bool,
    format: bool,
}

#[derive(Clone, Copy)]
enum NumberKind {
    /// The radix; for 2, 8 and 16 the literal starts with a two-character prefix.
    Int(u32),
    Float,
    Imaginary,
}

struct Lexer<'a> {
    file: FileId,
    text: &'a str,
    bytes: &'a [u8],
    /// The next byte to read; always on a character boundary between tokens.
    pos: usize,
    tokens: Vec<Token>,
    /// Open indentation levels, innermost last, each measured twice: tabs to the next
    /// multiple of 8, and tabs as one column. Comparing both is how CPython detects
    /// indentation whose meaning depends on the tab size. The base level is never popped.
    indents: Vec<(usize, usize)>,
    /// Open brackets, innermost last: the bracket and its byte offset.
    brackets: Vec<(u8, usize)>,
}

impl<'a> Lexer<'a> {
    fn at(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(EOF)
    }

    fn peek(&self) -> u8 {
        self.at(self.pos)
    }

    /// CPython's `tok_nextc`: reads one byte; at the end it returns EOF and stays put.
    /// The number scanner is written with it so that it can follow CPython step by step.
    fn next_byte(&mut self) -> u8 {
        let c = self.peek();
        if c != EOF {
            self.pos += 1;
        }
        c
    }

    /// CPython's `tok_backup`: un-reads `c`, which `next_byte` just returned.
    fn backup(&mut self, c: u8) {
        if c != EOF {
            self.pos = self.pos.saturating_sub(1);
        }
    }

    fn push(&mut self, kind: TokenKind, start: usize, end: usize, value: TokenValue) {
        self.tokens.push(Token { kind, span: Span::new(self.file, start, end), value });
    }

    /// Consumes one line break: `\n`, `\r\n` or a lone `\r`, as CPython's universal newlines.
    fn skip_newline(&mut self) {
        if self.peek() == b'\r' {
            self.pos += 1;
        }
        if self.peek() == b'\n' {
            self.pos += 1;
        }
    }

    /// CPython's `tok_get`, one token (or line break) per turn of the loop.
    fn run(&mut self) -> Result<(), Failure> {
        let mut at_line_start = true;
        // A line holding only whitespace and comments yields no NEWLINE and leaves the
        // indentation alone (CPython's `blankline`).
        let mut blank_line = false;
        loop {
            if at_line_start {
                at_line_start = false;
                blank_line = self.indentation()?;
            }
            while matches!(self.peek(), b' ' | b'\t' | 0x0c) {
                self.pos += 1;
            }
            if self.peek() == b'#' {
                while !matches!(self.peek(), b'\n' | b'\r' | EOF) {
                    self.pos += 1;
                }
            }
            let start = self.pos;
            match self.peek() {
                EOF => return self.end_of_file(blank_line),
                b'\n' | b'\r' => {
                    self.skip_newline();
                    at_line_start = true;
                    if !blank_line && self.brackets.is_empty() {
                        self.push(TokenKind::Newline, start, self.pos, TokenValue::None);
                    }
                }
                b'\\' => {
                    self.pos += 1;
                    self.line_continuation(start)?;
                }
                b'a'..=b'z' | b'A'..=b'Z' | b'_' | 0x80..=0xff => self.name_or_string(start)?,
                b'0'..=b'9' => self.number(start)?,
                b'.' if self.at(start + 1).is_ascii_digit() => self.number(start)?,
                b'\'' | b'"' => self.string(start, StrPrefix::default())?,
                _ => self.operator(start)?,
            }
        }
    }

    /// Measures the indentation of the line starting at `self.pos`, consumes it and emits
    /// its INDENT or DEDENTs. Returns whether the line is blank.
    fn indentation(&mut self) -> Result<bool, Failure> {
        let line_start = self.pos;
        let mut col = 0;
        let mut alt_col = 0;
        let mut cont_line_col = 0;
        loop {
            match self.peek() {
                b' ' => {
                    col += 1;
                    alt_col += 1;
                }
                b'\t' => {
                    col = (col / TAB_SIZE + 1) * TAB_SIZE;
                    alt_col += 1;
                }
                // A form feed (page break) starts the column over, as in CPython.
                0x0c => {
                    col = 0;
                    alt_col = 0;
                }
                b'\\' => {
                    // Indentation cannot be split over lines with backslashes: the first
                    // backslash fixes the column (CPython 3.12 treats column 0 as "unset").
                    if cont_line_col == 0 {
                        cont_line_col = col;
                    }
                    let backslash = self.pos;
                    self.pos += 1;
                    self.line_continuation(backslash)?;
                    continue;
                }
                _ => break,
            }
            self.pos += 1;
        }
        // At the end of the text there is either nothing left, and `end_of_file` closes
        // every block, or only whitespace, which CPython (having added a line break to the
        // last line) sees as a blank line.
        if matches!(self.peek(), b'#' | b'\n' | b'\r' | EOF) {
            return Ok(true);
        }
        if !self.brackets.is_empty() {
            return Ok(false);
        }
        if cont_line_col != 0 {
            col = cont_line_col;
            alt_col = cont_line_col;
        }
        let (top_col, top_alt_col) = self.indents[self.indents.len() - 1];
        if col == top_col {
            if alt_col != top_alt_col {
                return Err(self.tab_error());
            }
        } else if col > top_col {
            if self.indents.len() >= MAX_INDENT {
                let start = self.line_start(self.pos);
                return Err(self.error_at(start, message("too many levels of indentation")));
            }
            if alt_col <= top_alt_col {
                return Err(self.tab_error());
            }
            self.indents.push((col, alt_col));
            self.push(TokenKind::Indent, line_start, self.pos, TokenValue::None);
        } else {
            let mut n_dedents = 0;
            while self.indents.len() > 1 && col < self.indents[self.indents.len() - 1].0 {
                self.indents.pop();
                n_dedents += 1;
            }
            let (top_col, top_alt_col) = self.indents[self.indents.len() - 1];
            if col != top_col {
                // CPython points just past the end of the offending line.
                let end = self.line_end(self.pos);
                let error = message("unindent does not match any outer indentation level");
                return Err(Failure::new(end, end, error));
            }
            if alt_col != top_alt_col {
                return Err(self.tab_error());
            }
            for _ in 0..n_dedents {
                self.push(TokenKind::Dedent, self.pos, self.pos, TokenValue::None);
            }
        }
        Ok(false)
    }

    fn tab_error(&self) -> Failure {
        let start = self.line_start(self.pos);
        self.error_at(start, message("inconsistent use of tabs and spaces in indentation"))
    }

    /// At the end of the text: the last line's NEWLINE if it had no line break, then a
    /// DEDENT for every open block. Open brackets are an error instead.
    fn end_of_file(&mut self, blank_line: bool) -> Result<(), Failure> {
        if !self.brackets.is_empty() {
            return Err(self.never_closed());
        }
        let end = self.bytes.len();
        if !blank_line {
            self.push(TokenKind::Newline, end, end, TokenValue::None);
        }
        while self.indents.len() > 1 {
            self.indents.pop();
            self.push(TokenKind::Dedent, end, end, TokenValue::None);
        }
        Ok(())
    }

    /// CPython reports the innermost bracket still open at the end of the text.
    fn never_closed(&self) -> Failure {
        let (open, open_pos) = match self.brackets.last() {
            Some(&bracket) => bracket,
            None => (b'(', 0),
        };
        self.error_at(open_pos, message(format!("'{}' was never closed", open as char)))
    }

    /// Called after a `\` (at `backslash`) outside a string: consumes the line break that
    /// must follow it. The next line may not be missing.
    fn line_continuation(&mut self, backslash: usize) -> Result<(), Failure> {
        match self.peek() {
            b'\n' | b'\r' => self.skip_newline(),
            // CPython gives the last line a line break, so `\` at the very end is `\`+newline.
            EOF => {}
            _ => {
                let error = message("unexpected character after line continuation character");
                return Err(self.error_at(self.pos, error));
            }
        }
        if self.peek() == EOF {
            if !self.brackets.is_empty() {
                return Err(self.never_closed());
            }
            return Err(self.error_at(backslash + 1, message("unexpected EOF while parsing")));
        }
        Ok(())
    }

    /// A name, a keyword, or a string literal with a prefix. Prefix letters are read the
    /// way CPython does: any order and case of `b`/`r`, `f`/`r`, or a lone `u`. Anything
    /// else (`ub"x"`) is a name followed by a string.
    fn name_or_string(&mut self, start: usize) -> Result<(), Failure> {
        let mut prefix = StrPrefix::default();
        let mut c = self.next_byte();
        loop {
            let lower = c.to_ascii_lowercase();
            if lower == b'b' && !(prefix.bytes || prefix.unicode || prefix.format) {
                prefix.bytes = true;
            } else if lower == b'u' && !(prefix.bytes || prefix.unicode || prefix.raw || prefix.format) {
                prefix.unicode = true;
            } else if lower == b'r' && !(prefix.raw || prefix.unicode) {
                prefix.raw = true;
            } else if lower == b'f' && !(prefix.format || prefix.bytes || prefix.unicode) {
                prefix.format = true;
            } else {
                break;
            }
            c = self.next_byte();
            if c == b'\'' || c == b'"' {
                self.backup(c);
                return self.string(start, prefix);
            }
        }
        // Like CPython, take every non-ASCII character into the name first, then reject
        // the first one: SPy names are ASCII only.
        while c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
            c = self.next_byte();
        }
        self.backup(c);
        let name = self.text.get(start..self.pos).unwrap_or("");
        if let Some(offset) = name.bytes().position(|b| b >= 0x80) {
            return Err(self.invalid_character(start + offset));
        }
        let kind = Token::keyword(name).unwrap_or(TokenKind::Name);
        if kind == TokenKind::Name {
            self.fuse_var_const();
        }
        self.push(kind, start, self.pos, TokenValue::None);
        Ok(())
    }

    /// A name directly after the name `var` or `const` turns that word into the
    /// declaration marker `Var`/`Const` (docs/spec/LANGUAGE.md §1.2). Nothing can come between
    /// the two tokens, so they are on the same logical line.
    fn fuse_var_const(&mut self) {
        let text = self.text;
        if let Some(prev) = self.tokens.last_mut() {
            if prev.kind == TokenKind::Name {
                match text.get(prev.span.start as usize..prev.span.end as usize) {
                    Some("var") => prev.kind = TokenKind::Var,
                    Some("const") => prev.kind = TokenKind::Const,
                    _ => {}
                }
            }
        }
    }

    fn invalid_character(&self, pos: usize) -> Failure {
        let ch = self.text.get(pos..).and_then(|rest| rest.chars().next()).unwrap_or('\u{fffd}');
        let text = if is_printable(ch) {
            format!("invalid character '{}' (U+{:04X})", ch, ch as u32)
        } else {
            format!("invalid non-printable character U+{:04X}", ch as u32)
        };
        self.error_at(pos, message(text))
    }

    /// Operators, delimiters and the characters CPython has no token for.
    fn operator(&mut self, start: usize) -> Result<(), Failure> {
        let c = self.at(start);
        let c2 = self.at(start + 1);
        let c3 = self.at(start + 2);
        let three = match (c, c2, c3) {
            (b'*', b'*', b'=') => Some(TokenKind::DoubleStarEqual),
            (b'/', b'/', b'=') => Some(TokenKind::DoubleSlashEqual),
            (b'<', b'<', b'=') => Some(TokenKind::LeftShiftEqual),
            (b'>', b'>', b'=') => Some(TokenKind::RightShiftEqual),
            (b'.', b'.', b'.') => Some(TokenKind::Ellipsis),
            _ => None,
        };
        if let Some(kind) = three {
            self.pos += 3;
            self.push(kind, start, self.pos, TokenValue::None);
            return Ok(());
        }
        // CPython also knows `<>`, but only for the `barry_as_FLUFL` joke; without it the
        // parser rejects it, which `<` followed by `>` gets us too.
        let two = match (c, c2) {
            (b'!', b'=') => Some(TokenKind::NotEqual),
            (b'%', b'=') => Some(TokenKind::PercentEqual),
            (b'&', b'=') => Some(TokenKind::AmpEqual),
            (b'*', b'*') => Some(TokenKind::DoubleStar),
            (b'*', b'=') => Some(TokenKind::StarEqual),
            (b'+', b'=') => Some(TokenKind::PlusEqual),
            (b'-', b'=') => Some(TokenKind::MinusEqual),
            (b'-', b'>') => Some(TokenKind::RArrow),
            (b'/', b'/') => Some(TokenKind::DoubleSlash),
            (b'/', b'=') => Some(TokenKind::SlashEqual),
            (b':', b'=') => Some(TokenKind::ColonEqual),
            (b'<', b'<') => Some(TokenKind::LeftShift),
            (b'<', b'=') => Some(TokenKind::LessEqual),
            (b'=', b'=') => Some(TokenKind::EqEqual),
            (b'>', b'=') => Some(TokenKind::GreaterEqual),
            (b'>', b'>') => Some(TokenKind::RightShift),
            (b'@', b'=') => Some(TokenKind::AtEqual),
            (b'^', b'=') => Some(TokenKind::CircumflexEqual),
            (b'|', b'=') => Some(TokenKind::VBarEqual),
            _ => None,
        };
        if let Some(kind) = two {
            self.pos += 2;
            self.push(kind, start, self.pos, TokenValue::None);
            return Ok(());
        }
        let kind = match c {
            b'(' | b'[' | b'{' => {
                if self.brackets.len() >= MAX_PAREN_LEVEL {
                    return Err(self.error_at(start, message("too many nested parentheses")));
                }
                self.brackets.push((c, start));
                match c {
                    b'(' => TokenKind::LParen,
                    b'[' => TokenKind::LBracket,
                    _ => TokenKind::LBrace,
                }
            }
            b')' | b']' | b'}' => {
                let (open, open_pos) = match self.brackets.pop() {
                    Some(bracket) => bracket,
                    None => return Err(self.error_at(start, message(format!("unmatched '{}'", c as char)))),
                };
                let (expected, kind) = match open {
                    b'(' => (b')', TokenKind::RParen),
                    b'[' => (b']', TokenKind::RBracket),
                    _ => (b'}', TokenKind::RBrace),
                };
                if c != expected {
                    let mut text = format!(
                        "closing parenthesis '{}' does not match opening parenthesis '{}'",
                        c as char, open as char
                    );
                    let open_line = self.line_of(open_pos);
                    if open_line != self.line_of(start) {
                        text.push_str(&format!(" on line {open_line}"));
                    }
                    return Err(self.error_at(start, message(text)));
                }
                kind
            }
            b':' => TokenKind::Colon,
            b',' => TokenKind::Comma,
            b';' => TokenKind::Semi,
            b'+' => TokenKind::Plus,
            b'-' => TokenKind::Minus,
            b'*' => TokenKind::Star,
            b'/' => TokenKind::Slash,
            b'|' => TokenKind::VBar,
            b'&' => TokenKind::Amp,
            b'<' => TokenKind::Less,
            b'>' => TokenKind::Greater,
            b'=' => TokenKind::Equal,
            b'.' => TokenKind::Dot,
            b'%' => TokenKind::Percent,
            b'~' => TokenKind::Tilde,
            b'^' => TokenKind::Circumflex,
            b'@' => TokenKind::At,
            b'!' => TokenKind::Exclamation,
            // CPython makes these an OP token that no grammar rule accepts.
            b'$' | b'?' | b'`' => return Err(self.error_at(start, message("invalid syntax"))),
            // Everything printable is handled above, so `c` is an ASCII control character.
            _ => {
                let text = format!("invalid non-printable character U+{:04X}", c);
                return Err(self.error_at(start, message(text)));
            }
        };
        self.pos += 1;
        self.push(kind, start, self.pos, TokenValue::None);
        Ok(())
    }

    /// Numbers, following CPython's `tok_get` step by step (same reads, same un-reads)
    /// so that errors are detected, and reported, at the same characters.
    fn number(&mut self, start: usize) -> Result<(), Failure> {
        let first = self.next_byte();
        let mut c;
        let mut in_fraction = false;
        if first == b'.' {
            c = self.next_byte();
            in_fraction = true;
        } else if first == b'0' {
            c = self.next_byte();
            match c {
                b'x' | b'X' => return self.radix_number(start, 16),
                b'o' | b'O' => return self.radix_number(start, 8),
                b'b' | b'B' => return self.radix_number(start, 2),
                _ => {}
            }
            // Zeros only (`0`, `00`, `0_0`), unless a fraction, exponent or `j` follows:
            // `012` would be an old-style octal literal, which Python 3 forbids.
            let mut nonzero = false;
            loop {
                if c == b'_' {
                    c = self.next_byte();
                    if !c.is_ascii_digit() {
                        self.backup(c);
                        return Err(self.error_before(self.pos, message("invalid decimal literal")));
                    }
                }
                if c != b'0' {
                    break;
                }
                c = self.next_byte();
            }
            let zeros_end = self.pos;
            if c.is_ascii_digit() {
                nonzero = true;
                c = self.decimal_tail()?;
            }
            if c == b'.' {
                c = self.next_byte();
                in_fraction = true;
            } else if !matches!(c, b'e' | b'E' | b'j' | b'J') {
                if nonzero {
                    let text = "leading zeros in decimal integer literals are not permitted; \
                                use an 0o prefix for octal integers";
                    return Err(Failure::new(start, zeros_end, message(text)));
                }
                self.end_of_number(c, "decimal")?;
                self.backup(c);
                return self.push_number(start, NumberKind::Int(10));
            }
        } else {
            c = self.decimal_tail()?;
            if c == b'.' {
                c = self.next_byte();
                in_fraction = true;
            }
        }
        let mut is_float = in_fraction;
        if in_fraction && c.is_ascii_digit() {
            c = self.decimal_tail()?;
        }
        if c == b'e' || c == b'E' {
            let e = c;
            c = self.next_byte();
            if c == b'+' || c == b'-' {
                c = self.next_byte();
                if !c.is_ascii_digit() {
                    self.backup(c);
                    return Err(self.error_before(self.pos, message("invalid decimal literal")));
                }
            } else if !c.is_ascii_digit() {
                // No exponent after all: in `1else` the `e` starts the next token.
                self.backup(c);
                self.end_of_number(e, "decimal")?;
                self.backup(e);
                let kind = if is_float { NumberKind::Float } else { NumberKind::Int(10) };
                return self.push_number(start, kind);
            }
            c = self.decimal_tail()?;
            is_float = true;
        }
        let kind;
        if c == b'j' || c == b'J' {
            c = self.next_byte();
            self.end_of_number(c, "imaginary")?;
            kind = NumberKind::Imaginary;
        } else {
            self.end_of_number(c, "decimal")?;
            kind = if is_float { NumberKind::Float } else { NumberKind::Int(10) };
        }
        self.backup(c);
        self.push_number(start, kind)
    }

    /// CPython's `tok_decimal_tail`: after a digit, reads `[0-9]*(_[0-9]+)*` and returns
    /// the byte after it (already read).
    fn decimal_tail(&mut self) -> Result<u8, Failure> {
        loop {
            let mut c = self.next_byte();
            while c.is_ascii_digit() {
                c = self.next_byte();
            }
            if c != b'_' {
                return Ok(c);
            }
            c = self.next_byte();
            if !c.is_ascii_digit() {
                self.backup(c);
                return Err(self.error_before(self.pos, message("invalid decimal literal")));
            }
        }
    }

    /// The rest of `0x...`, `0o...` or `0b...`, the prefix having been read.
    fn radix_number(&mut self, start: usize, radix: u32) -> Result<(), Failure> {
        let name = match radix {
            16 => "hexadecimal",
            8 => "octal",
            _ => "binary",
        };
        let is_digit = |c: u8| (c as char).is_digit(radix);
        let mut c = self.next_byte();
        loop {
            if c == b'_' {
                c = self.next_byte();
            }
            if !is_digit(c) {
                if radix != 16 && c.is_ascii_digit() {
                    return Err(self.invalid_digit(c, name));
                }
                self.backup(c);
                return Err(self.error_before(self.pos, message(format!("invalid {name} literal"))));
            }
            c = self.next_byte();
            while is_digit(c) {
                c = self.next_byte();
            }
            if c != b'_' {
                break;
            }
        }
        if radix != 16 && c.is_ascii_digit() {
            return Err(self.invalid_digit(c, name));
        }
        self.end_of_number(c, name)?;
        self.backup(c);
        self.push_number(start, NumberKind::Int(radix))
    }

    fn invalid_digit(&self, c: u8, name: &str) -> Failure {
        let text = format!("invalid digit '{}' in {name} literal", c as char);
        self.error_before(self.pos, message(text))
    }

    /// CPython's `verify_end_of_number`: `c`, just read, follows a number. A letter there
    /// is an error, except where a keyword that may follow a number starts (`1if x else
    /// y`), checked CPython's way: `and`, `else`, `for`, `not`, `or` must be whole words,
    /// while for `if`, `in`, `is` two letters suffice. Non-ASCII characters are left to
    /// the next token, which reports them as invalid characters.
    fn end_of_number(&mut self, c: u8, kind: &str) -> Result<(), Failure> {
        let keyword_follows = match c {
            b'a' => self.word_follows(b"nd"),
            b'e' => self.word_follows(b"lse"),
            b'f' => self.word_follows(b"or"),
            b'i' => matches!(self.peek(), b'f' | b'n' | b's'),
            b'n' => self.word_follows(b"ot"),
            b'o' => self.word_follows(b"r"),
            _ => false,
        };
        if !keyword_follows && (c.is_ascii_alphanumeric() || c == b'_') {
            self.backup(c);
            return Err(self.error_before(self.pos, message(format!("invalid {kind} literal"))));
        }
        Ok(())
    }

    /// CPython's `lookahead`: whether `rest` comes next, and then no identifier character.
    fn word_follows(&self, rest: &[u8]) -> bool {
        let after = self.pos + rest.len();
        let next = self.at(after);
        self.bytes.get(self.pos..after) == Some(rest) && !(next.is_ascii_alphanumeric() || next == b'_' || next >= 0x80)
    }

    /// Pushes the number token `start..self.pos` with its value.
    fn push_number(&mut self, start: usize, kind: NumberKind) -> Result<(), Failure> {
        let end = self.pos;
        let literal = self.text.get(start..end).unwrap_or("");
        let cleaned: String = literal.chars().filter(|&ch| ch != '_').collect();
        let (token_kind, value) = match kind {
            NumberKind::Int(radix) => {
                let digits = if radix == 10 { cleaned.as_str() } else { cleaned.get(2..).unwrap_or("") };
                match parse_int(digits, radix) {
                    Some(value) => (TokenKind::Int, TokenValue::Int(value)),
                    None => return Err(Failure::new(start, end, message("integer literal too large"))),
                }
            }
            NumberKind::Float | NumberKind::Imaginary => {
                let mut text = cleaned.as_str();
                let token_kind = match kind {
                    NumberKind::Imaginary => {
                        text = text.get(..text.len().saturating_sub(1)).unwrap_or("");
                        TokenKind::Imaginary
                    }
                    _ => TokenKind::Float,
                };
                // Rust's parser rounds correctly, as Python's does, and accepts every form
                // the scanner lets through (`1.`, `.5`, `1.e5`).
                match text.parse::<f64>() {
                    Ok(value) => (token_kind, TokenValue::Float(value)),
                    Err(_) => return Err(Failure::new(start, end, message("invalid decimal literal"))),
                }
            }
        };
        self.push(token_kind, start, end, value);
        Ok(())
    }

    /// A string literal whose prefix starts at `start`; `self.pos` is at the opening quote.
    fn string(&mut self, start: usize, prefix: StrPrefix) -> Result<(), Failure> {
        let quote = self.peek();
        self.pos += 1;
        let triple = self.peek() == quote && self.at(self.pos + 1) == quote;
        if triple {
            self.pos += 2;
        }
        let body_start = self.pos;
        let body_end = if prefix.format {
            self.scan_fstring(start, quote, triple)?
        } else {
            self.scan_string(start, quote, triple, triple, false)?
        };
        let end = self.pos;
        let body = self.text.get(body_start..body_end).unwrap_or("");
        let decoded = if prefix.format {
            // Not decoded: the parser rejects f-strings (docs/spec/LANGUAGE.md §1.4).
            Ok(body.as_bytes().to_vec())
        } else if prefix.bytes && !body.is_ascii() {
            let error = message("bytes can only contain ASCII literal characters");
            return Err(Failure::new(start, end, error));
        } else if prefix.raw {
            Ok(translate_newlines(body).into_bytes())
        } else if prefix.bytes {
            decode_bytes(translate_newlines(body).as_bytes())
        } else {
            decode_str(&translate_newlines(body))
        };
        let bytes = match decoded {
            Ok(bytes) => bytes,
            Err(text) => return Err(Failure::new(start, end, message(text))),
        };
        let value = StrValue { bytes, is_bytes: prefix.bytes, is_fstring: prefix.format };
        self.push(TokenKind::String, start, end, TokenValue::Str(Box::new(value)));
        Ok(())
    }

    /// Moves past the closing quote(s) and returns where the body ends. An unterminated
    /// string is reported as the literal at `start`, triple-quoted if `report_triple`, an
    /// f-string if `fstring`: a string nested in an f-string reports the f-string.
    fn scan_string(
        &mut self,
        start: usize,
        quote: u8,
        triple: bool,
        report_triple: bool,
        fstring: bool,
    ) -> Result<usize, Failure> {
        loop {
            let c = self.peek();
            if c == EOF {
                return Err(self.unterminated(start, report_triple, fstring, self.eof_line()));
            }
            if !triple && (c == b'\n' || c == b'\r') {
                return Err(self.unterminated(start, report_triple, fstring, self.line_of(self.pos)));
            }
            if self.closes(c, quote, triple) {
                let body_end = self.pos;
                self.pos += if triple { 3 } else { 1 };
                return Ok(body_end);
            }
            self.pos += 1;
            if c == b'\\' {
                self.skip_escaped();
            }
        }
    }

    /// Whether `c`, at `self.pos`, starts the closing quote(s).
    fn closes(&self, c: u8, quote: u8, triple: bool) -> bool {
        c == quote && (!triple || (self.at(self.pos + 1) == quote && self.at(self.pos + 2) == quote))
    }

    /// After a backslash in a string: skips the byte it escapes, `\r\n` counting as one
    /// (so `\` at the end of a line continues the string). Skipping a single byte of a
    /// multi-byte character is harmless: the rest are never quotes or backslashes.
    fn skip_escaped(&mut self) {
        match self.peek() {
            EOF => {}
            b'\r' => self.skip_newline(),
            _ => self.pos += 1,
        }
    }

    /// Finds the end of an f-string, like `scan_string`. Python 3.12 lets a replacement
    /// field `{...}` contain strings using the same quote, so inside braces a quote starts
    /// a nested literal, which is skipped whole (nested fields inside it are not tracked).
    fn scan_fstring(&mut self, start: usize, quote: u8, triple: bool) -> Result<usize, Failure> {
        let mut depth = 0usize;
        loop {
            let c = self.peek();
            if c == EOF {
                return Err(self.unterminated(start, triple, true, self.eof_line()));
            }
            if !triple && (c == b'\n' || c == b'\r') {
                return Err(self.unterminated(start, false, true, self.line_of(self.pos)));
            }
            if depth == 0 && self.closes(c, quote, triple) {
                let body_end = self.pos;
                self.pos += if triple { 3 } else { 1 };
                return Ok(body_end);
            }
            self.pos += 1;
            match c {
                b'\\' => self.skip_escaped(),
                // `{{` outside a field is a literal brace.
                b'{' if depth == 0 && self.peek() == b'{' => self.pos += 1,
                b'{' => depth += 1,
                b'}' if depth > 0 => depth -= 1,
                b'\'' | b'"' if depth > 0 => self.skip_nested_string(c, start, triple)?,
                _ => {}
            }
        }
    }

    /// Skips a string inside an f-string's replacement field; `self.pos` is after its
    /// opening quote `quote`. Errors are reported for the enclosing f-string.
    fn skip_nested_string(&mut self, quote: u8, outer_start: usize, outer_triple: bool) -> Result<(), Failure> {
        let triple = self.peek() == quote && self.at(self.pos + 1) == quote;
        if triple {
            self.pos += 2;
        }
        self.scan_string(outer_start, quote, triple, outer_triple, true)?;
        Ok(())
    }

    /// CPython reports an unterminated string at its first character (prefix included),
    /// naming the line where it noticed.
    fn unterminated(&self, start: usize, triple: bool, fstring: bool, line: usize) -> Failure {
        let error = match (fstring, triple) {
            (false, false) => LexError::UnterminatedString { detected_at_line: line },
            (false, true) => LexError::UnterminatedTripleQuotedString { detected_at_line: line },
            (true, false) => message(format!("unterminated f-string literal (detected at line {line})")),
            (true, true) => message(format!("unterminated triple-quoted f-string literal (detected at line {line})")),
        };
        self.error_at(start, error)
    }

    /// An error CPython reports at `pos`: the character there, or an empty span at a line
    /// break or the end of the text.
    fn error_at(&self, pos: usize, error: LexError) -> Failure {
        let ch = self.text.get(pos..).and_then(|rest| rest.chars().next());
        let end = match ch {
            Some(ch) if ch != '\n' && ch != '\r' => pos + ch.len_utf8(),
            _ => pos.min(self.bytes.len()),
        };
        Failure::new(pos.min(end), end, error)
    }

    /// An error at the character before `cur`, where CPython's `syntaxerror` points.
    fn error_before(&self, cur: usize, error: LexError) -> Failure {
        let cur = cur.min(self.bytes.len());
        let mut start = cur.saturating_sub(1);
        while start > 0 && !self.text.is_char_boundary(start) {
            start -= 1;
        }
        Failure::new(start, cur, error)
    }

    /// 1-based line of `pos`, with `\n`, `\r\n` and a lone `\r` as line breaks, as in
    /// CPython. Only error messages need it, so scanning from the start is fine.
    fn line_of(&self, pos: usize) -> usize {
        let end = pos.min(self.bytes.len());
        let breaks =
            (0..end).filter(|&i| self.bytes[i] == b'\n' || (self.bytes[i] == b'\r' && self.at(i + 1) != b'\n'));
        breaks.count() + 1
    }

    /// The line CPython is on when it hits the end of the text: that of the last
    /// character (a final line break does not start a new line).
    fn eof_line(&self) -> usize {
        self.line_of(self.bytes.len().saturating_sub(1))
    }

    fn line_start(&self, pos: usize) -> usize {
        let before = &self.bytes[..pos.min(self.bytes.len())];
        before.iter().rposition(|b| matches!(b, b'\n' | b'\r')).map_or(0, |i| i + 1)
    }

    fn line_end(&self, pos: usize) -> usize {
        let mut end = pos;
        while !matches!(self.at(end), b'\n' | b'\r' | EOF) {
            end += 1;
        }
        end
    }
}

/// `digits` (no prefix, no `_`) in `radix`, or `None` if it does not fit in an i128.
fn parse_int(digits: &str, radix: u32) -> Option<i128> {
    let mut value: i128 = 0;
    for ch in digits.chars() {
        let digit = ch.to_digit(radix)?;
        value = value.checked_mul(radix as i128)?.checked_add(digit as i128)?;
    }
    Some(value)
}

/// The tokenizer hands CPython's string decoder bodies whose line breaks are all `\n`.
fn translate_newlines(body: &str) -> String {
    if body.contains('\r') {
        body.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        body.to_string()
    }
}

/// Python's `str.isprintable` for a non-ASCII character, minus the "unassigned" category,
/// for which we would need Unicode tables: control, separator, format and private-use
/// characters, and noncharacters, are not printable.
fn is_printable(ch: char) -> bool {
    let cp = ch as u32;
    let is_format = matches!(
        cp,
        0xad | 0x600..=0x605
            | 0x61c
            | 0x6dd
            | 0x70f
            | 0x890..=0x891
            | 0x8e2
            | 0x180e
            | 0x200b..=0x200f
            | 0x202a..=0x202e
            | 0x2060..=0x2064
            | 0x2066..=0x206f
            | 0xfeff
            | 0xfff9..=0xfffb
            | 0x110bd
            | 0x110cd
            | 0x13430..=0x1343f
            | 0x1bca0..=0x1bca3
            | 0x1d173..=0x1d17a
            | 0xe0001
            | 0xe0020..=0xe007f
    );
    let is_private_use = matches!(cp, 0xe000..=0xf8ff | 0xf0000..=0xffffd | 0x100000..=0x10fffd);
    let is_noncharacter = (cp & 0xfffe) == 0xfffe || (0xfdd0..=0xfdef).contains(&cp);
    !(ch.is_control() || ch.is_whitespace() || is_format || is_private_use || is_noncharacter)
}

/// Decodes the body of a non-raw str literal to UTF-8, or gives CPython's error message.
/// CPython first rewrites each non-ASCII character as a `\UXXXXXXXX` escape (and a
/// backslash in front of one as `\u005c`), then runs the `unicode_escape` codec on that
/// ASCII text; its error positions count bytes of the rewritten text, so we rewrite too.
fn decode_str(body: &str) -> Result<Vec<u8>, String> {
    if !body.contains('\\') {
        return Ok(body.as_bytes().to_vec());
    }
    let ascii = escape_non_ascii(body);
    let code_points = unicode_escape(&ascii)?;
    let mut out = Vec::with_capacity(code_points.len());
    let mut i = 0;
    while i < code_points.len() {
        match char::from_u32(code_points[i]) {
            Some(ch) => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                i += 1;
            }
            // A surrogate: CPython accepts it in a str, but it has no UTF-8 encoding,
            // so we report what encoding the str as UTF-8 in CPython would.
            None => {
                let mut run_end = i + 1;
                while run_end < code_points.len() && (0xd800..=0xdfff).contains(&code_points[run_end]) {
                    run_end += 1;
                }
                let text = if run_end - i == 1 {
                    format!("can't encode character '\\u{:04x}' in position {i}", code_points[i])
                } else {
                    format!("can't encode characters in position {}-{}", i, run_end - 1)
                };
                return Err(format!("(unicode error) 'utf-8' codec {text}: surrogates not allowed"));
            }
        }
    }
    Ok(out)
}

/// The ASCII rewrite of `decode_str`, as in CPython's `decode_unicode_with_escapes`.
fn escape_non_ascii(body: &str) -> Vec<u8> {
    let bytes = body.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            out.push(b'\\');
            i += 1;
            if i >= bytes.len() || bytes[i] >= 0x80 {
                out.extend_from_slice(b"u005c");
                if i >= bytes.len() {
                    break;
                }
            }
        }
        if bytes[i] >= 0x80 {
            let ch = body.get(i..).and_then(|rest| rest.chars().next()).unwrap_or('\u{fffd}');
            out.extend_from_slice(format!("\\U{:08x}", ch as u32).as_bytes());
            i += ch.len_utf8();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// CPython's `unicode_escape` decoder (strict), on ASCII input, giving code points.
/// `\N{...}` always fails: the seed has no Unicode name database, so every name is
/// "unknown" (CPython would accept the valid ones).
fn unicode_escape(buf: &[u8]) -> Result<Vec<u32>, String> {
    let end = buf.len();
    let mut out = Vec::with_capacity(end);
    let mut s = 0;
    while s < end {
        let c = buf[s];
        s += 1;
        if c != b'\\' {
            out.push(c as u32);
            continue;
        }
        let escape_start = s - 1;
        if s >= end {
            return Err(decode_error(buf, escape_start, s, "\\ at end of string"));
        }
        let c = buf[s];
        s += 1;
        match c {
            b'\n' => {}
            b'\\' | b'\'' | b'"' => out.push(c as u32),
            b'a' => out.push(0x07),
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b'n' => out.push(0x0a),
            b'r' => out.push(0x0d),
            b't' => out.push(0x09),
            b'v' => out.push(0x0b),
            b'0'..=b'7' => {
                let mut value = (c - b'0') as u32;
                for _ in 0..2 {
                    if s < end && (b'0'..=b'7').contains(&buf[s]) {
                        value = value * 8 + (buf[s] - b'0') as u32;
                        s += 1;
                    }
                }
                out.push(value);
            }
            b'x' | b'u' | b'U' => {
                let (count, reason) = match c {
                    b'x' => (2, "truncated \\xXX escape"),
                    b'u' => (4, "truncated \\uXXXX escape"),
                    _ => (8, "truncated \\UXXXXXXXX escape"),
                };
                let mut value: u32 = 0;
                for _ in 0..count {
                    let digit = if s < end { (buf[s] as char).to_digit(16) } else { None };
                    match digit {
                        Some(digit) => value = value * 16 + digit,
                        None => return Err(decode_error(buf, escape_start, s, reason)),
                    }
                    s += 1;
                }
                if value > 0x10ffff {
                    return Err(decode_error(buf, escape_start, s, "illegal Unicode character"));
                }
                out.push(value);
            }
            b'N' => {
                let mut reason = "malformed \\N character escape";
                if s < end && buf[s] == b'{' {
                    s += 1;
                    let name_start = s;
                    while s < end && buf[s] != b'}' {
                        s += 1;
                    }
                    if s < end && s > name_start {
                        s += 1;
                        reason = "unknown Unicode character name";
                    }
                }
                return Err(decode_error(buf, escape_start, s, reason));
            }
            // Unknown escapes stay as written (CPython warns about them).
            _ => {
                out.push(b'\\' as u32);
                out.push(c as u32);
            }
        }
    }
    Ok(out)
}

/// CPython's text for a `UnicodeDecodeError` over `buf[start..end]`, as the parser shows it.
fn decode_error(buf: &[u8], start: usize, end: usize, reason: &str) -> String {
    let codec = "(unicode error) 'unicodeescape' codec can't decode";
    if end == start + 1 {
        format!("{codec} byte 0x{:02x} in position {start}: {reason}", buf[start])
    } else {
        format!("{codec} bytes in position {}-{}: {reason}", start, end.saturating_sub(1))
    }
}

/// Decodes the body of a non-raw bytes literal (already known to be ASCII), as CPython's
/// `_PyBytes_DecodeEscape`: `\u`, `\U` and `\N` are not escapes in bytes.
fn decode_bytes(body: &[u8]) -> Result<Vec<u8>, String> {
    let end = body.len();
    let mut out = Vec::with_capacity(end);
    let mut s = 0;
    while s < end {
        let c = body[s];
        s += 1;
        if c != b'\\' || s >= end {
            out.push(c);
            continue;
        }
        let c = body[s];
        s += 1;
        match c {
            b'\n' => {}
            b'\\' | b'\'' | b'"' => out.push(c),
            b'a' => out.push(0x07),
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b'n' => out.push(0x0a),
            b'r' => out.push(0x0d),
            b't' => out.push(0x09),
            b'v' => out.push(0x0b),
            b'0'..=b'7' => {
                let mut value = (c - b'0') as u32;
                for _ in 0..2 {
                    if s < end && (b'0'..=b'7').contains(&body[s]) {
                        value = value * 8 + (body[s] - b'0') as u32;
                        s += 1;
                    }
                }
                // Values above 0o377 keep their low byte (CPython warns).
                out.push((value & 0xff) as u8);
            }
            b'x' => {
                let high = if s < end { (body[s] as char).to_digit(16) } else { None };
                let low = if s + 1 < end { (body[s + 1] as char).to_digit(16) } else { None };
                match (high, low) {
                    (Some(high), Some(low)) => {
                        out.push((high * 16 + low) as u8);
                        s += 2;
                    }
                    _ => return Err(format!("(value error) invalid \\x escape at position {}", s - 2)),
                }
            }
            // Unknown escapes stay as written; `c` is read again as an ordinary byte.
            _ => {
                out.push(b'\\');
                s -= 1;
            }
        }
    }
    Ok(out)
}
