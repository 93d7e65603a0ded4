//! Tokens: what the lexer produces and the parser consumes. Python 3.12's token set
//! (docs/spec/LANGUAGE.md §1.1) plus SPy's `var`/`const` declaration markers (§1.2). Lexical
//! problems are not errors here: they are `TokenKind::Error` tokens carrying a
//! `LexError`, which the parser turns into a `ParseError` when it reaches them.

use crate::source::Span;

// SYNC(token-kinds): the same list, in the same order, in spy-in-spy/token.spy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    // Names and literals. Soft keywords (`match`, `case`, `type`, `_`) are `Name`s.
    Name,
    Int,
    Float,
    Imaginary,
    /// One string literal with any prefix (`r`, `b`, `rb`, `f`, `u`, ...): see `StrValue`.
    String,

    // Layout.
    Newline,
    Indent,
    Dedent,
    EndMarker,

    // Keywords (hard keywords of Python 3.12).
    False,
    None,
    True,
    And,
    As,
    Assert,
    Async,
    Await,
    Break,
    Class,
    Continue,
    Def,
    Del,
    Elif,
    Else,
    Except,
    Finally,
    For,
    From,
    Global,
    If,
    Import,
    In,
    Is,
    Lambda,
    Nonlocal,
    Not,
    Or,
    Pass,
    Raise,
    Return,
    Try,
    While,
    With,
    Yield,
    /// `var` or `const` directly followed, on the same line, by a `Name` token
    /// (docs/spec/LANGUAGE.md §1.2). Otherwise `var`/`const` are plain `Name`s.
    Var,
    Const,

    // Operators and delimiters.
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Colon,
    Comma,
    Semi,
    Plus,
    Minus,
    Star,
    Slash,
    VBar,
    Amp,
    Less,
    Greater,
    Equal,
    Dot,
    Percent,
    EqEqual,
    NotEqual,
    LessEqual,
    GreaterEqual,
    Tilde,
    Circumflex,
    LeftShift,
    RightShift,
    DoubleStar,
    PlusEqual,
    MinusEqual,
    StarEqual,
    SlashEqual,
    PercentEqual,
    AmpEqual,
    VBarEqual,
    CircumflexEqual,
    LeftShiftEqual,
    RightShiftEqual,
    DoubleStarEqual,
    DoubleSlash,
    DoubleSlashEqual,
    At,
    AtEqual,
    RArrow,
    Ellipsis,
    ColonEqual,
    /// `!` alone (only `!=` is an operator); the parser reports `invalid syntax`.
    Exclamation,

    /// A lexical error; the token's `value` is `TokenValue::Error`.
    Error,
}

/// The decoded contents of a string literal token.
#[derive(Clone, Debug, PartialEq)]
pub struct StrValue {
    /// Decoded bytes: UTF-8 text for str literals, raw bytes for `b"..."`.
    pub bytes: Vec<u8>,
    pub is_bytes: bool,
    pub is_fstring: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TokenValue {
    None,
    /// `Int`: the value of any int literal form (`0x..`, `0o..`, `0b..`, `_` separators).
    Int(i128),
    /// `Float`: the literal's value; `Imaginary`: the imaginary part.
    Float(f64),
    Str(Box<StrValue>),
    Error(LexError),
}

/// A lexical error. `message()` gives CPython's text for it (docs/spec/LANGUAGE.md §1.1: a
/// Python `SyntaxError` message becomes the `ParseError` message).
#[derive(Clone, Debug, PartialEq)]
pub enum LexError {
    /// `unterminated string literal (detected at line N)`
    UnterminatedString { detected_at_line: usize },
    /// `unterminated triple-quoted string literal (detected at line N)`
    UnterminatedTripleQuotedString { detected_at_line: usize },
    /// Any message CPython's tokenizer produces that carries no data we need later:
    /// `invalid decimal literal`, `invalid character '€' (U+20AC)`,
    /// `unindent does not match any outer indentation level`, `'(' was never closed`, ...
    Message(String),
}

impl LexError {
    /// When the parser fails with a generic `invalid syntax` before reaching this error,
    /// CPython tokenizes the rest of the file and reports this error instead, for these
    /// kinds only. `'(' was never closed` replaces it when the opener comes first.
    pub fn replaces_invalid_syntax(&self) -> bool {
        const KINDS: [&str; 10] = [
            "invalid decimal literal",
            "invalid hexadecimal literal",
            "invalid octal literal",
            "invalid binary literal",
            "invalid digit",
            "invalid imaginary literal",
            "leading zeros in decimal integer literals",
            "invalid character",
            "invalid non-printable character",
            "source code cannot contain null bytes",
        ];
        match self {
            LexError::UnterminatedString { .. } | LexError::UnterminatedTripleQuotedString { .. } => true,
            LexError::Message(m) => {
                KINDS.iter().any(|k| m.starts_with(k))
                    || m.starts_with("unmatched")
                    || m.starts_with("closing parenthesis")
                    || m == "too many nested parentheses"
                    || m.starts_with("unterminated")
            }
        }
    }

    pub fn message(&self) -> String {
        match self {
            LexError::UnterminatedString { detected_at_line } => {
                format!("unterminated string literal (detected at line {detected_at_line})")
            }
            LexError::UnterminatedTripleQuotedString { detected_at_line } => {
                format!("unterminated triple-quoted string literal (detected at line {detected_at_line})")
            }
            LexError::Message(m) => m.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
    pub value: TokenValue,
}

impl Token {
    pub fn keyword(name: &str) -> Option<TokenKind> {
        use TokenKind::*;
        Some(match name {
            "False" => False,
            "None" => None,
            "True" => True,
            "and" => And,
            "as" => As,
            "assert" => Assert,
            "async" => Async,
            "await" => Await,
            "break" => Break,
            "class" => Class,
            "continue" => Continue,
            "def" => Def,
            "del" => Del,
            "elif" => Elif,
            "else" => Else,
            "except" => Except,
            "finally" => Finally,
            "for" => For,
            "from" => From,
            "global" => Global,
            "if" => If,
            "import" => Import,
            "in" => In,
            "is" => Is,
            "lambda" => Lambda,
            "nonlocal" => Nonlocal,
            "not" => Not,
            "or" => Or,
            "pass" => Pass,
            "raise" => Raise,
            "return" => Return,
            "try" => Try,
            "while" => While,
            "with" => With,
            "yield" => Yield,
            _ => return Option::None,
        })
    }
}
