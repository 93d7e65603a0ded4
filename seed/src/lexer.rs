//! Lexer: source text in, tokens out, following CPython 3.12's tokenizer (LANGUAGE.md §1.1)
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
        if i < self.bytes.len() {
            self.bytes[i]
        } else {
            EOF
        }
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
    /// declaration marker `Var`/`Const` (LANGUAGE.md §1.2). Nothing can come between
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
            self.scan_string(start, quote, triple)?
        };
        let end = self.pos;
        let body = self.text.get(body_start..body_end).unwrap_or("");
        let decoded = if prefix.format {
            // Not decoded: the parser rejects f-strings (LANGUAGE.md §1.4).
            Ok(body.as_bytes().to_vec())
        } else if prefix.bytes {
            if !body.is_ascii() {
                let error = message("bytes can only contain ASCII literal characters");
                return Err(Failure::new(start, end, error));
            }
            if prefix.raw {
                Ok(translate_newlines(body).into_bytes())
            } else {
                decode_bytes(translate_newlines(body).as_bytes())
            }
        } else if prefix.raw {
            Ok(translate_newlines(body).into_bytes())
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

    /// Moves past the closing quote(s) and returns where the body ends.
    fn scan_string(&mut self, start: usize, quote: u8, triple: bool) -> Result<usize, Failure> {
        loop {
            let c = self.peek();
            if c == EOF {
                return Err(self.unterminated(start, triple, false, self.eof_line()));
            }
            if !triple && (c == b'\n' || c == b'\r') {
                return Err(self.unterminated(start, false, false, self.line_of(self.pos)));
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
        loop {
            let c = self.peek();
            if c == EOF {
                return Err(self.unterminated(outer_start, outer_triple, true, self.eof_line()));
            }
            if !triple && (c == b'\n' || c == b'\r') {
                return Err(self.unterminated(outer_start, outer_triple, true, self.line_of(self.pos)));
            }
            if self.closes(c, quote, triple) {
                self.pos += if triple { 3 } else { 1 };
                return Ok(());
            }
            self.pos += 1;
            if c == b'\\' {
                self.skip_escaped();
            }
        }
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
        let mut line = 1;
        for i in 0..end {
            match self.bytes[i] {
                b'\n' => line += 1,
                b'\r' if self.at(i + 1) != b'\n' => line += 1,
                _ => {}
            }
        }
        line
    }

    /// The line CPython is on when it hits the end of the text: that of the last
    /// character (a final line break does not start a new line).
    fn eof_line(&self) -> usize {
        self.line_of(self.bytes.len().saturating_sub(1))
    }

    fn line_start(&self, pos: usize) -> usize {
        let mut start = pos.min(self.bytes.len());
        while start > 0 && !matches!(self.bytes[start - 1], b'\n' | b'\r') {
            start -= 1;
        }
        start
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

#[cfg(test)]
mod tests {
    use super::*;

    /// One token per line: `start..end Kind`, then the name, the value, or for an error
    /// its message and CPython-style position `@line:column` (1-based, column counted in
    /// characters), to compare with `python3 -c 'compile(...)'`. Also checks what every
    /// token list must satisfy; the final `EndMarker` is checked, then left out.
    fn dump_tokens(src: &str) -> String {
        let tokens = lex(FileId(0), src);
        let n_tokens = tokens.len();
        assert_eq!(tokens[n_tokens - 1].kind, TokenKind::EndMarker);
        assert_eq!(
            (tokens[n_tokens - 1].span.start, tokens[n_tokens - 1].span.end),
            (src.len() as u32, src.len() as u32)
        );
        let mut lines = Vec::new();
        for (idx, tok) in tokens[..n_tokens - 1].iter().enumerate() {
            let (start, end) = (tok.span.start as usize, tok.span.end as usize);
            assert!(start <= end && end <= src.len(), "bad span {start}..{end} in {src:?}");
            assert!(tok.kind != TokenKind::EndMarker && (tok.kind != TokenKind::Error || idx == n_tokens - 2));
            let mut line = format!("{start}..{end} {:?}", tok.kind);
            match &tok.value {
                TokenValue::None if tok.kind == TokenKind::Name => line += &format!(" {}", &src[start..end]),
                TokenValue::None => {}
                TokenValue::Int(value) => line += &format!(" {value}"),
                TokenValue::Float(value) => line += &format!(" {value:?}"),
                TokenValue::Str(value) => {
                    let prefix = if value.is_bytes {
                        "b"
                    } else if value.is_fstring {
                        "f"
                    } else {
                        ""
                    };
                    line += &format!(" {prefix}\"{}\"", value.bytes.escape_ascii());
                }
                TokenValue::Error(error) => {
                    let mut line_no = 1;
                    let mut line_start = 0;
                    for (i, b) in src.bytes().enumerate().take(start) {
                        if b == b'\n' || (b == b'\r' && src.as_bytes().get(i + 1) != Some(&b'\n')) {
                            line_no += 1;
                            line_start = i + 1;
                        }
                    }
                    let col = src[line_start..start].chars().count() + 1;
                    line += &format!(" {:?} @{line_no}:{col}", error.message());
                }
            }
            lines.push(line);
        }
        lines.join("\n")
    }

    fn check(src: &str, expected: &str) {
        let expected: Vec<&str> = expected.trim().lines().map(|line| line.trim()).collect();
        let actual = dump_tokens(src);
        assert_eq!(actual, expected.join("\n"), "\n--- actual for {src:?}:\n{actual}\n");
    }

    #[test]
    fn simple_statement() {
        check(
            "x = 1\n",
            r#"
            0..1 Name x
            2..3 Equal
            4..5 Int 1
            5..6 Newline
            "#,
        );
    }

    #[test]
    fn eof_without_newline() {
        check(
            "x = 1",
            r#"
            0..1 Name x
            2..3 Equal
            4..5 Int 1
            5..5 Newline
            "#,
        );
    }

    #[test]
    fn empty_and_blank_files() {
        check(
            "\n  \n# only a comment",
            r#"

            "#,
        );
    }

    #[test]
    fn indent_and_dedent() {
        check(
            "if a:\n    b\nc\n",
            r#"
            0..2 If
            3..4 Name a
            4..5 Colon
            5..6 Newline
            6..10 Indent
            10..11 Name b
            11..12 Newline
            12..12 Dedent
            12..13 Name c
            13..14 Newline
            "#,
        );
    }

    #[test]
    fn dedent_closes_two_blocks() {
        check(
            "if a:\n  if b:\n    c\n\n  # x\nd\n",
            r#"
            0..2 If
            3..4 Name a
            4..5 Colon
            5..6 Newline
            6..8 Indent
            8..10 If
            11..12 Name b
            12..13 Colon
            13..14 Newline
            14..18 Indent
            18..19 Name c
            19..20 Newline
            27..27 Dedent
            27..27 Dedent
            27..28 Name d
            28..29 Newline
            "#,
        );
    }

    #[test]
    fn dedent_at_eof_closes_all_blocks() {
        check(
            "if a:\n  if b:\n    c",
            r#"
            0..2 If
            3..4 Name a
            4..5 Colon
            5..6 Newline
            6..8 Indent
            8..10 If
            11..12 Name b
            12..13 Colon
            13..14 Newline
            14..18 Indent
            18..19 Name c
            19..19 Newline
            19..19 Dedent
            19..19 Dedent
            "#,
        );
    }

    #[test]
    fn tab_indentation_is_consistent_with_itself() {
        check(
            "if a:\n\tif b:\n\t\tc\n\td\n",
            r#"
            0..2 If
            3..4 Name a
            4..5 Colon
            5..6 Newline
            6..7 Indent
            7..9 If
            10..11 Name b
            11..12 Colon
            12..13 Newline
            13..15 Indent
            15..16 Name c
            16..17 Newline
            18..18 Dedent
            18..19 Name d
            19..20 Newline
            20..20 Dedent
            "#,
        );
    }

    #[test]
    fn tab_then_eight_spaces_is_inconsistent() {
        check(
            "if a:\n\tb\n        c\n",
            r#"
            0..2 If
            3..4 Name a
            4..5 Colon
            5..6 Newline
            6..7 Indent
            7..8 Name b
            8..9 Newline
            9..10 Error "inconsistent use of tabs and spaces in indentation" @3:1
            "#,
        );
    }

    #[test]
    fn spaces_then_tab_to_same_column_is_inconsistent() {
        check(
            "if a:\n        b\n\tc\n",
            r#"
            0..2 If
            3..4 Name a
            4..5 Colon
            5..6 Newline
            6..14 Indent
            14..15 Name b
            15..16 Newline
            16..17 Error "inconsistent use of tabs and spaces in indentation" @3:1
            "#,
        );
    }

    #[test]
    fn bad_dedent() {
        check(
            "if a:\n    b\n  c\n",
            r#"
            0..2 If
            3..4 Name a
            4..5 Colon
            5..6 Newline
            6..10 Indent
            10..11 Name b
            11..12 Newline
            15..15 Error "unindent does not match any outer indentation level" @3:4
            "#,
        );
    }

    #[test]
    fn form_feed_resets_the_column() {
        check(
            "if a:\n  b\n\u{c}c\n",
            r#"
            0..2 If
            3..4 Name a
            4..5 Colon
            5..6 Newline
            6..8 Indent
            8..9 Name b
            9..10 Newline
            11..11 Dedent
            11..12 Name c
            12..13 Newline
            "#,
        );
    }

    #[test]
    fn brackets_join_lines() {
        check(
            "x = (1,\n  2)\ny = [\n\n# c\n]\n",
            r#"
            0..1 Name x
            2..3 Equal
            4..5 LParen
            5..6 Int 1
            6..7 Comma
            10..11 Int 2
            11..12 RParen
            12..13 Newline
            13..14 Name y
            15..16 Equal
            17..18 LBracket
            24..25 RBracket
            25..26 Newline
            "#,
        );
    }

    #[test]
    fn backslash_continues_a_line() {
        check(
            "x = 1 + \\\n  2\n",
            r#"
            0..1 Name x
            2..3 Equal
            4..5 Int 1
            6..7 Plus
            12..13 Int 2
            13..14 Newline
            "#,
        );
    }

    #[test]
    fn backslash_in_indentation() {
        check(
            "if a:\n  \\\n    b\n",
            r#"
            0..2 If
            3..4 Name a
            4..5 Colon
            5..6 Newline
            6..14 Indent
            14..15 Name b
            15..16 Newline
            16..16 Dedent
            "#,
        );
    }

    #[test]
    fn char_after_backslash() {
        check(
            "a \\ b\n",
            r#"
            0..1 Name a
            3..4 Error "unexpected character after line continuation character" @1:4
            "#,
        );
    }

    #[test]
    fn backslash_at_eof() {
        check(
            "a + \\\n",
            r#"
            0..1 Name a
            2..3 Plus
            5..5 Error "unexpected EOF while parsing" @1:6
            "#,
        );
    }

    #[test]
    fn backslash_at_eof_inside_brackets() {
        check(
            "(a + \\\n",
            r#"
            0..1 LParen
            1..2 Name a
            3..4 Plus
            0..1 Error "'(' was never closed" @1:1
            "#,
        );
    }

    #[test]
    fn crlf_and_cr_line_breaks() {
        check(
            "if a:\r\n  b\r\rc",
            r#"
            0..2 If
            3..4 Name a
            4..5 Colon
            5..7 Newline
            7..9 Indent
            9..10 Name b
            10..11 Newline
            12..12 Dedent
            12..13 Name c
            13..13 Newline
            "#,
        );
    }

    #[test]
    fn comment_line_with_other_indentation() {
        check(
            "if a:\n  b\n# c\n      # d\n  e\n",
            r#"
            0..2 If
            3..4 Name a
            4..5 Colon
            5..6 Newline
            6..8 Indent
            8..9 Name b
            9..10 Newline
            26..27 Name e
            27..28 Newline
            28..28 Dedent
            "#,
        );
    }

    #[test]
    fn names_and_keywords() {
        check(
            "def f(_a1, None_, async): return await True\n",
            r#"
            0..3 Def
            4..5 Name f
            5..6 LParen
            6..9 Name _a1
            9..10 Comma
            11..16 Name None_
            16..17 Comma
            18..23 Async
            23..24 RParen
            24..25 Colon
            26..32 Return
            33..38 Await
            39..43 True
            43..44 Newline
            "#,
        );
    }

    #[test]
    fn var_const_fusion() {
        check(
            "var x = 1\nconst y: i32 = 2\n",
            r#"
            0..3 Var
            4..5 Name x
            6..7 Equal
            8..9 Int 1
            9..10 Newline
            10..15 Const
            16..17 Name y
            17..18 Colon
            19..22 Name i32
            23..24 Equal
            25..26 Int 2
            26..27 Newline
            "#,
        );
    }

    #[test]
    fn var_const_without_a_name() {
        check(
            "var = 3\nvar\nx\nconst.x\nvar if\n",
            r#"
            0..3 Name var
            4..5 Equal
            6..7 Int 3
            7..8 Newline
            8..11 Name var
            11..12 Newline
            12..13 Name x
            13..14 Newline
            14..19 Name const
            19..20 Dot
            20..21 Name x
            21..22 Newline
            22..25 Name var
            26..28 If
            28..29 Newline
            "#,
        );
    }

    #[test]
    fn var_fusion_across_continuation() {
        check(
            "var \\\n  x\n(var\n y)\n",
            r#"
            0..3 Var
            8..9 Name x
            9..10 Newline
            10..11 LParen
            11..14 Var
            16..17 Name y
            17..18 RParen
            18..19 Newline
            "#,
        );
    }

    #[test]
    fn operators_longest_match() {
        check(
            "**= //= >>= <<= ... -> := != ** // >> << <= >= == @= %= &= |= ^= += -= *= /=\n",
            r#"
            0..3 DoubleStarEqual
            4..7 DoubleSlashEqual
            8..11 RightShiftEqual
            12..15 LeftShiftEqual
            16..19 Ellipsis
            20..22 RArrow
            23..25 ColonEqual
            26..28 NotEqual
            29..31 DoubleStar
            32..34 DoubleSlash
            35..37 RightShift
            38..40 LeftShift
            41..43 LessEqual
            44..46 GreaterEqual
            47..49 EqEqual
            50..52 AtEqual
            53..55 PercentEqual
            56..58 AmpEqual
            59..61 VBarEqual
            62..64 CircumflexEqual
            65..67 PlusEqual
            68..70 MinusEqual
            71..73 StarEqual
            74..76 SlashEqual
            76..77 Newline
            "#,
        );
    }

    #[test]
    fn single_char_operators() {
        check(
            "( ) [ ] { } : , ; + - * / | & < > = . % ~ ^ @ !\n",
            r#"
            0..1 LParen
            2..3 RParen
            4..5 LBracket
            6..7 RBracket
            8..9 LBrace
            10..11 RBrace
            12..13 Colon
            14..15 Comma
            16..17 Semi
            18..19 Plus
            20..21 Minus
            22..23 Star
            24..25 Slash
            26..27 VBar
            28..29 Amp
            30..31 Less
            32..33 Greater
            34..35 Equal
            36..37 Dot
            38..39 Percent
            40..41 Tilde
            42..43 Circumflex
            44..45 At
            46..47 Exclamation
            47..48 Newline
            "#,
        );
    }

    #[test]
    fn two_dots_are_two_tokens() {
        check(
            "a..b <>\n",
            r#"
            0..1 Name a
            1..2 Dot
            2..3 Dot
            3..4 Name b
            5..6 Less
            6..7 Greater
            7..8 Newline
            "#,
        );
    }

    #[test]
    fn decimal_ints() {
        check(
            "0 000 0_0 7 1_000 123456789\n",
            r#"
            0..1 Int 0
            2..5 Int 0
            6..9 Int 0
            10..11 Int 7
            12..17 Int 1000
            18..27 Int 123456789
            27..28 Newline
            "#,
        );
    }

    #[test]
    fn radix_ints() {
        check(
            "0x1F 0X_ff 0o17 0O_7_7 0b101 0B_1_0\n",
            r#"
            0..4 Int 31
            5..10 Int 255
            11..15 Int 15
            16..22 Int 63
            23..28 Int 5
            29..35 Int 2
            35..36 Newline
            "#,
        );
    }

    #[test]
    fn int_too_large_for_i128() {
        check(
            "170141183460469231731687303715884105727 170141183460469231731687303715884105728\n",
            r#"
            0..39 Int 170141183460469231731687303715884105727
            40..79 Error "integer literal too large" @1:41
            "#,
        );
    }

    #[test]
    fn floats() {
        check(
            "1. .5 1.5e-3 1e5 1E+5 1_0.0_1 09.5 00e5 1.e5\n",
            r#"
            0..2 Float 1.0
            3..5 Float 0.5
            6..12 Float 0.0015
            13..16 Float 100000.0
            17..21 Float 100000.0
            22..29 Float 10.01
            30..34 Float 9.5
            35..39 Float 0.0
            40..44 Float 100000.0
            44..45 Newline
            "#,
        );
    }

    #[test]
    fn imaginary() {
        check(
            "3j 1.5J 1e3j 09j .5j\n",
            r#"
            0..2 Imaginary 3.0
            3..7 Imaginary 1.5
            8..12 Imaginary 1000.0
            13..16 Imaginary 9.0
            17..20 Imaginary 0.5
            20..21 Newline
            "#,
        );
    }

    #[test]
    fn keyword_right_after_number() {
        check(
            "1if x else 2\n0b1and 1\n1in y\n",
            r#"
            0..1 Int 1
            1..3 If
            4..5 Name x
            6..10 Else
            11..12 Int 2
            12..13 Newline
            13..16 Int 1
            16..19 And
            20..21 Int 1
            21..22 Newline
            22..23 Int 1
            23..25 In
            26..27 Name y
            27..28 Newline
            "#,
        );
    }

    #[test]
    fn leading_zeros() {
        check(
            "012\n",
            r#"
            0..2 Error "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers" @1:1
            "#,
        );
    }

    #[test]
    fn leading_zeros_with_underscore() {
        check(
            "0_7\n",
            r#"
            0..3 Error "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers" @1:1
            "#,
        );
    }

    #[test]
    fn trailing_underscore() {
        check(
            "1_\n",
            r#"
            1..2 Error "invalid decimal literal" @1:2
            "#,
        );
    }

    #[test]
    fn double_underscore() {
        check(
            "1__0\n",
            r#"
            1..2 Error "invalid decimal literal" @1:2
            "#,
        );
    }

    #[test]
    fn letter_after_number() {
        check(
            "1abc\n",
            r#"
            0..1 Error "invalid decimal literal" @1:1
            "#,
        );
    }

    #[test]
    fn underscore_after_fraction() {
        check(
            "1.5_\n",
            r#"
            3..4 Error "invalid decimal literal" @1:4
            "#,
        );
    }

    #[test]
    fn exponent_without_digits() {
        check(
            "1e\n",
            r#"
            0..1 Error "invalid decimal literal" @1:1
            "#,
        );
    }

    #[test]
    fn exponent_sign_without_digits() {
        check(
            "1e+\n",
            r#"
            2..3 Error "invalid decimal literal" @1:3
            "#,
        );
    }

    #[test]
    fn hex_without_digits() {
        check(
            "0x\n",
            r#"
            1..2 Error "invalid hexadecimal literal" @1:2
            "#,
        );
    }

    #[test]
    fn bad_hex_digit() {
        check(
            "0xg\n",
            r#"
            1..2 Error "invalid hexadecimal literal" @1:2
            "#,
        );
    }

    #[test]
    fn hex_followed_by_keyword_like_word() {
        check(
            "0x1foror\n",
            r#"
            3..4 Error "invalid hexadecimal literal" @1:4
            "#,
        );
    }

    #[test]
    fn octal_without_digits() {
        check(
            "0o\n",
            r#"
            1..2 Error "invalid octal literal" @1:2
            "#,
        );
    }

    #[test]
    fn bad_octal_digit() {
        check(
            "0o78\n",
            r#"
            3..4 Error "invalid digit '8' in octal literal" @1:4
            "#,
        );
    }

    #[test]
    fn binary_without_digits() {
        check(
            "0b_\n",
            r#"
            2..3 Error "invalid binary literal" @1:3
            "#,
        );
    }

    #[test]
    fn bad_binary_digit() {
        check(
            "0b12\n",
            r#"
            3..4 Error "invalid digit '2' in binary literal" @1:4
            "#,
        );
    }

    #[test]
    fn imaginary_followed_by_letter() {
        check(
            "1jj\n",
            r#"
            1..2 Error "invalid imaginary literal" @1:2
            "#,
        );
    }

    #[test]
    fn strings_all_quotes() {
        check(
            "'a' \"b\" '''c\nd''' \"\"\"e\"\"\" '' \"\"\n",
            r#"
            0..3 String "a"
            4..7 String "b"
            8..17 String "c\nd"
            18..25 String "e"
            26..28 String ""
            29..31 String ""
            31..32 Newline
            "#,
        );
    }

    #[test]
    fn string_prefixes() {
        check(
            "r'\\n' u'x' R\"\\d\" b'y' Br'\\x' rB'z' f'{x}' Rf'a' fR'b'\n",
            r#"
            0..5 String "\\n"
            6..10 String "x"
            11..16 String "\\d"
            17..21 String b"y"
            22..28 String b"\\x"
            29..34 String b"z"
            35..41 String f"{x}"
            42..47 String f"a"
            48..53 String f"b"
            53..54 Newline
            "#,
        );
    }

    #[test]
    fn invalid_prefixes_are_names() {
        check(
            "ub'x' bu'y' uf'z'\n",
            r#"
            0..2 Name ub
            2..5 String "x"
            6..8 Name bu
            8..11 String "y"
            12..14 Name uf
            14..17 String "z"
            17..18 Newline
            "#,
        );
    }

    #[test]
    fn simple_escapes() {
        check(
            "'\\\\ \\' \\\" \\a \\b \\f \\n \\r \\t \\v'\n",
            r#"
            0..31 String "\\ \' \" \x07 \x08 \x0c \n \r \t \x0b"
            31..32 Newline
            "#,
        );
    }

    #[test]
    fn escaped_line_break_is_removed() {
        check(
            "'ab\\\ncd' 'x\\\r\ny'\n",
            r#"
            0..8 String "abcd"
            9..16 String "xy"
            16..17 Newline
            "#,
        );
    }

    #[test]
    fn octal_and_hex_escapes() {
        check(
            "'\\0 \\12 \\101 \\777 \\x41 \\xe9'\n",
            r#"
            0..28 String "\x00 \n A \xc7\xbf A \xc3\xa9"
            28..29 Newline
            "#,
        );
    }

    #[test]
    fn unicode_escapes() {
        check(
            "'\\u20ac \\U0001F600'\n",
            r#"
            0..19 String "\xe2\x82\xac \xf0\x9f\x98\x80"
            19..20 Newline
            "#,
        );
    }

    #[test]
    fn unknown_escapes_are_kept() {
        check(
            "'\\q \\8 \\é'\n",
            r#"
            0..11 String "\\q \\8 \\\xc3\xa9"
            11..12 Newline
            "#,
        );
    }

    #[test]
    fn line_breaks_in_strings_become_lf() {
        check(
            "'''a\r\nb\rc'''\n",
            r#"
            0..12 String "a\nb\nc"
            12..13 Newline
            "#,
        );
    }

    #[test]
    fn non_ascii_in_str() {
        check(
            "'é€'\n",
            r#"
            0..7 String "\xc3\xa9\xe2\x82\xac"
            7..8 Newline
            "#,
        );
    }

    #[test]
    fn bytes_escapes() {
        check(
            "b'\\x41\\101\\777\\n\\u1234\\N{x}\\q'\n",
            r#"
            0..30 String b"AA\xff\n\\u1234\\N{x}\\q"
            30..31 Newline
            "#,
        );
    }

    #[test]
    fn raw_bytes_keep_backslashes() {
        check(
            "rb'\\x41\\''\n",
            r#"
            0..10 String b"\\x41\\\'"
            10..11 Newline
            "#,
        );
    }

    #[test]
    fn truncated_x_escape() {
        check(
            "\"\\x1\"\n",
            r#"
            0..5 Error "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \\xXX escape" @1:1
            "#,
        );
    }

    #[test]
    fn truncated_x_escape_after_non_ascii() {
        check(
            "\"é\\x1\"\n",
            r#"
            0..7 Error "(unicode error) 'unicodeescape' codec can't decode bytes in position 10-12: truncated \\xXX escape" @1:1
            "#,
        );
    }

    #[test]
    fn truncated_u_escape() {
        check(
            "'\\u12'\n",
            r#"
            0..6 Error "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-3: truncated \\uXXXX escape" @1:1
            "#,
        );
    }

    #[test]
    fn truncated_big_u_escape() {
        check(
            "'\\U0001F60'\n",
            r#"
            0..11 Error "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-8: truncated \\UXXXXXXXX escape" @1:1
            "#,
        );
    }

    #[test]
    fn big_u_escape_out_of_range() {
        check(
            "'\\U00110000'\n",
            r#"
            0..12 Error "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-9: illegal Unicode character" @1:1
            "#,
        );
    }

    #[test]
    fn named_escape_is_not_supported() {
        check(
            "'\\N{DASH}'\n",
            r#"
            0..10 Error "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-7: unknown Unicode character name" @1:1
            "#,
        );
    }

    #[test]
    fn malformed_named_escape() {
        check(
            "'\\N{}'\n",
            r#"
            0..6 Error "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: malformed \\N character escape" @1:1
            "#,
        );
    }

    #[test]
    fn surrogate_escape() {
        check(
            "'\\ud800'\n",
            r#"
            0..8 Error "(unicode error) 'utf-8' codec can't encode character '\\ud800' in position 0: surrogates not allowed" @1:1
            "#,
        );
    }

    #[test]
    fn bytes_bad_x_escape() {
        check(
            "b'ab\\x4'\n",
            r#"
            0..8 Error "(value error) invalid \\x escape at position 2" @1:1
            "#,
        );
    }

    #[test]
    fn bytes_non_ascii() {
        check(
            "b'aé'\n",
            r#"
            0..6 Error "bytes can only contain ASCII literal characters" @1:1
            "#,
        );
    }

    #[test]
    fn unterminated_string() {
        check(
            "a = 'bc\nd\n",
            r#"
            0..1 Name a
            2..3 Equal
            4..5 Error "unterminated string literal (detected at line 1)" @1:5
            "#,
        );
    }

    #[test]
    fn unterminated_string_at_eof() {
        check(
            "b\"abc",
            r#"
            0..1 Error "unterminated string literal (detected at line 1)" @1:1
            "#,
        );
    }

    #[test]
    fn unterminated_string_after_escaped_line_break() {
        check(
            "'abc\\\ndef\n",
            r#"
            0..1 Error "unterminated string literal (detected at line 2)" @1:1
            "#,
        );
    }

    #[test]
    fn unterminated_triple_quoted_string() {
        check(
            "a = \"\"\"bc\n\n",
            r#"
            0..1 Name a
            2..3 Equal
            4..5 Error "unterminated triple-quoted string literal (detected at line 2)" @1:5
            "#,
        );
    }

    #[test]
    fn unterminated_triple_quoted_string_no_final_newline() {
        check(
            "'''abc\n\nd",
            r#"
            0..1 Error "unterminated triple-quoted string literal (detected at line 3)" @1:1
            "#,
        );
    }

    #[test]
    fn fstring_with_nested_same_quotes() {
        check(
            "f\"{x[\"a\"]} {{\" + f'''{'}'}'''\n",
            r#"
            0..14 String f"{x[\"a\"]} {{"
            15..16 Plus
            17..29 String f"{\'}\'}"
            29..30 Newline
            "#,
        );
    }

    #[test]
    fn unterminated_fstring() {
        check(
            "f'{x}\n",
            r#"
            0..1 Error "unterminated f-string literal (detected at line 1)" @1:1
            "#,
        );
    }

    #[test]
    fn unmatched_closer() {
        check(
            "a)\n",
            r#"
            0..1 Name a
            1..2 Error "unmatched ')'" @1:2
            "#,
        );
    }

    #[test]
    fn mismatched_closer_same_line() {
        check(
            "(]\n",
            r#"
            0..1 LParen
            1..2 Error "closing parenthesis ']' does not match opening parenthesis '('" @1:2
            "#,
        );
    }

    #[test]
    fn mismatched_closer_other_line() {
        check(
            "(\n]\n",
            r#"
            0..1 LParen
            2..3 Error "closing parenthesis ']' does not match opening parenthesis '(' on line 1" @2:1
            "#,
        );
    }

    #[test]
    fn never_closed_reports_innermost() {
        check(
            "(1,\n[2,\n",
            r#"
            0..1 LParen
            1..2 Int 1
            2..3 Comma
            4..5 LBracket
            5..6 Int 2
            6..7 Comma
            4..5 Error "'[' was never closed" @2:1
            "#,
        );
    }

    #[test]
    fn invalid_character() {
        check(
            "1 + €\n",
            r#"
            0..1 Int 1
            2..3 Plus
            4..7 Error "invalid character '€' (U+20AC)" @1:5
            "#,
        );
    }

    #[test]
    fn invalid_character_inside_name() {
        check(
            "abc€ = 1\n",
            r#"
            3..6 Error "invalid character '€' (U+20AC)" @1:4
            "#,
        );
    }

    #[test]
    fn non_ascii_letter_is_not_a_name() {
        check(
            "é = 1\n",
            r#"
            0..2 Error "invalid character 'é' (U+00E9)" @1:1
            "#,
        );
    }

    #[test]
    fn non_printable_non_ascii() {
        check(
            "a\u{a0}\n",
            r#"
            1..3 Error "invalid non-printable character U+00A0" @1:2
            "#,
        );
    }

    #[test]
    fn byte_order_mark() {
        check(
            "\u{feff}x = 1\n",
            r#"
            0..3 Error "invalid non-printable character U+FEFF" @1:1
            "#,
        );
    }

    #[test]
    fn non_ascii_after_number() {
        check(
            "1€\n",
            r#"
            0..1 Int 1
            1..4 Error "invalid character '€' (U+20AC)" @1:2
            "#,
        );
    }

    #[test]
    fn control_character() {
        check(
            "a\u{1}\n",
            r#"
            0..1 Name a
            1..2 Error "invalid non-printable character U+0001" @1:2
            "#,
        );
    }

    #[test]
    fn delete_character() {
        check(
            "a\u{7f}\n",
            r#"
            0..1 Name a
            1..2 Error "invalid non-printable character U+007F" @1:2
            "#,
        );
    }

    #[test]
    fn null_byte() {
        check(
            "x = 1\ny = '\u{0}'\n",
            r#"
            11..12 Error "source code cannot contain null bytes" @2:6
            "#,
        );
    }

    #[test]
    fn dollar_question_backtick() {
        check(
            "a $ b\n",
            r#"
            0..1 Name a
            2..3 Error "invalid syntax" @1:3
            "#,
        );
    }

    #[test]
    fn exclamation() {
        check(
            "!a != b\n",
            r#"
            0..1 Exclamation
            1..2 Name a
            3..5 NotEqual
            6..7 Name b
            7..8 Newline
            "#,
        );
    }

    #[test]
    fn comments_and_non_ascii_inside_them() {
        check(
            "x = 1 # é€ \u{1}\n# only\n",
            r#"
            0..1 Name x
            2..3 Equal
            4..5 Int 1
            15..16 Newline
            "#,
        );
    }

    #[test]
    fn too_many_indentation_levels() {
        // Line k is indented by k-1 spaces: 99 nested blocks are fine, a 100th is not.
        let src: String = (0..101).map(|depth| " ".repeat(depth) + "if x:\n").collect();
        let line_101 = src.len() - "if x:\n".len() - 100;
        let expected = format!("{line_101}..{} Error \"too many levels of indentation\" @101:1", line_101 + 1);
        assert_eq!(dump_tokens(&src).lines().last(), Some(expected.as_str()));
    }

    #[test]
    fn nesting_limit() {
        let fine = "(".repeat(200) + &")".repeat(200);
        assert!(!dump_tokens(&fine).contains("Error"));
        let expected = "200..201 Error \"too many nested parentheses\" @1:201";
        assert_eq!(dump_tokens(&"(".repeat(201)).lines().last(), Some(expected));
    }

    const SAMPLE: &str = "\"\"\"Doc \u{e9}\"\"\"\nfrom m import a, b\n\n@blue\ndef f[T](x: T, *args) -> T:\n\
        \x20   var y: i32 = 0x_ff + 0o17 - 0b1 * 1_000 // 3.5e-2j\n\
        \x20   const s = r'\\d' b\"\\x41\" '\\u20ac\\n'\n\
        \x20   z = a \\\n        + b\n\
        \x20   return f\"{x!r:>{y}}\" + '''a\r\nb'''\n\
        \x0cclass C:\n\tif x and not y or (1,\n\t\t[2, {3: 4}]):  # comment \u{20ac}\n\
        \t\tw <<= 1\n\telif y != ... @ z: pass\nx = .5; w = 1\n";

    /// Checks the invariants `dump_tokens` asserts (spans inside the text, one final
    /// `EndMarker`, an `Error` only just before it).
    #[test]
    fn every_prefix_of_a_program_lexes() {
        for end in 0..=SAMPLE.len() {
            if SAMPLE.is_char_boundary(end) {
                dump_tokens(&SAMPLE[..end]);
            }
        }
        assert!(!dump_tokens(SAMPLE).contains("Error"));
    }

    #[test]
    fn random_mutations_never_panic() {
        let alphabet: &[&str] = &[
            "\0", "\t", "\n", "\r", "\x0c", " ", "\"", "'", "\\", "(", ")", "[", "]", "{", "}", "0", "1", "8", "_",
            ".", "e", "j", "x", "o", "b", "r", "f", "u", "N", "#", "$", "!", "=", "\u{e9}", "\u{20ac}", "\u{feff}",
            "\"\"\"", "'''", "\\\n",
        ];
        // xorshift64: deterministic, no dependency.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        for _ in 0..3000 {
            let mut src = SAMPLE.to_string();
            for _ in 0..1 + next(4) {
                let mut at = next(src.len() + 1);
                while !src.is_char_boundary(at) {
                    at -= 1;
                }
                if next(3) == 0 {
                    let end = src[at..].chars().next().map_or(at, |ch| at + ch.len_utf8());
                    src.replace_range(at..end, "");
                } else {
                    src.insert_str(at, alphabet[next(alphabet.len())]);
                }
            }
            dump_tokens(&src);
        }
    }

    #[test]
    fn megabyte_inputs() {
        let lines = "x = (1, 'a', 2.5)  # c\n".repeat(50_000);
        assert!(dump_tokens(&lines).ends_with("1149999..1150000 Newline"));
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
            lex(FileId(0), src);
        }
    }
}
