//! Diagnostics: an error is a value (kind, message, annotations, traceback frames);
//! `render` is the only code that turns one into text, in the layout of docs/spec/LANGUAGE.md
//! §15.2, byte for byte, without colours. The CLI writes it to stderr (§17 #13).

use crate::source::{SourceMap, Span};
use std::fmt;

/// The error classes of docs/spec/LANGUAGE.md §11.1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Exception,
    StaticError,
    TypeError,
    ValueError,
    OverflowError,
    IndexError,
    KeyError,
    ZeroDivisionError,
    AssertionError,
    OSError,
    NotImplementedError,
    NameError,
    ImportError,
    ScopeError,
    ParseError,
    PanicError,
    Wip,
}

/// Every error kind with its name and its parent class (docs/spec/LANGUAGE.md §11.1), in the order
/// of their exception types in the VM (`vm::types::builtin_types::EXCEPTION` onwards).
/// The one list of error kinds: the VM's exception classes and the builtins scope's
/// exception names are read from it.
const KINDS: [(ErrorKind, &str, Option<ErrorKind>); 17] = [
    (ErrorKind::Exception, "Exception", None),
    (ErrorKind::StaticError, "StaticError", Some(ErrorKind::Exception)),
    (ErrorKind::TypeError, "TypeError", Some(ErrorKind::StaticError)),
    (ErrorKind::ValueError, "ValueError", Some(ErrorKind::Exception)),
    (ErrorKind::OverflowError, "OverflowError", Some(ErrorKind::Exception)),
    (ErrorKind::IndexError, "IndexError", Some(ErrorKind::Exception)),
    (ErrorKind::KeyError, "KeyError", Some(ErrorKind::Exception)),
    (ErrorKind::ZeroDivisionError, "ZeroDivisionError", Some(ErrorKind::Exception)),
    (ErrorKind::AssertionError, "AssertionError", Some(ErrorKind::Exception)),
    (ErrorKind::OSError, "OSError", Some(ErrorKind::Exception)),
    (ErrorKind::NotImplementedError, "NotImplementedError", Some(ErrorKind::Exception)),
    (ErrorKind::NameError, "NameError", Some(ErrorKind::Exception)),
    (ErrorKind::ImportError, "ImportError", Some(ErrorKind::Exception)),
    (ErrorKind::ScopeError, "ScopeError", Some(ErrorKind::Exception)),
    (ErrorKind::ParseError, "ParseError", Some(ErrorKind::Exception)),
    (ErrorKind::PanicError, "PanicError", Some(ErrorKind::Exception)),
    (ErrorKind::Wip, "WIP", Some(ErrorKind::Exception)),
];

impl ErrorKind {
    /// Every kind, in the order of `KINDS`.
    pub fn all() -> impl Iterator<Item = ErrorKind> {
        KINDS.iter().map(|(k, _, _)| *k)
    }

    /// The kind's place in `KINDS`: its exception type is `EXCEPTION + index`.
    pub fn index(self) -> usize {
        KINDS.iter().position(|(k, _, _)| *k == self).expect("internal error: every kind is in KINDS")
    }

    pub fn name(self) -> &'static str {
        KINDS[self.index()].1
    }

    pub fn parent(self) -> Option<ErrorKind> {
        KINDS[self.index()].2
    }

    pub fn from_name(name: &str) -> Option<ErrorKind> {
        KINDS.iter().find(|(_, n, _)| *n == name).map(|(k, _, _)| *k)
    }

    /// `StaticError` and its subclass `TypeError` (docs/spec/LANGUAGE.md §5.10).
    pub fn is_static(self) -> bool {
        matches!(self, ErrorKind::StaticError | ErrorKind::TypeError)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Error,
    Note,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Annotation {
    pub level: Level,
    pub message: String,
    pub span: Span,
}

/// One traceback entry: `  * <name> at <file>:<line>` plus the underlined location.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub kind: ErrorKind,
    pub message: String,
    pub annotations: Vec<Annotation>,
    pub frames: Vec<Frame>,
    /// Prints `Static error during redshift:` above the traceback.
    pub during_redshift: bool,
    /// While the error travels out of a function: the innermost operation it passed
    /// through there, which becomes that function's traceback frame. Not printed.
    pub site: Option<Span>,
}

impl Diagnostic {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            kind,
            message: message.into(),
            annotations: Vec::new(),
            frames: Vec::new(),
            during_redshift: false,
            site: None,
        }
    }

    /// Adds an `error`-level annotation.
    pub fn annotate(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.annotations.push(Annotation { level: Level::Error, message: message.into(), span });
        self
    }

    pub fn note(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.annotations.push(Annotation { level: Level::Note, message: message.into(), span });
        self
    }

    /// Where the error was first reported: its first annotation, if any.
    pub fn primary_span(&self) -> Option<Span> {
        self.annotations.first().map(|a| a.span)
    }

    pub fn render(&self, sources: &SourceMap) -> String {
        let mut out = String::new();
        if self.during_redshift {
            out.push_str("Static error during redshift:\n");
        }
        out.push_str("Traceback (most recent call last):\n");
        for frame in &self.frames {
            let file = sources.file(frame.span.file);
            let line = file.line_of(frame.span.start);
            out.push_str(&format!("  * {} at {}:{}\n", frame.name, file.path, line));
            render_location(&mut out, sources, frame.span, "");
        }
        out.push('\n');
        out.push_str(&format!("{}: {}\n", self.kind, self.message));
        for ann in &self.annotations {
            let file = sources.file(ann.span.file);
            out.push_str(&format!("  | {}:{}\n", file.path, file.line_of(ann.span.start)));
            render_location(&mut out, sources, ann.span, &ann.message);
            out.push('\n');
        }
        out
    }
}

/// An uncaught run-time error, in the panic format of docs/spec/LANGUAGE.md §11.4, which every
/// runner prints (§17 #13): the location is the SPy line of the failing operation, and
/// there is one `^` per byte of that line. An empty message prints the kind alone, as
/// Python does.
pub fn render_runtime_error(kind: &str, message: &str, span: Span, sources: &SourceMap) -> String {
    let file = sources.file(span.file);
    let line = file.line_of(span.start);
    let text = file.line_text(line);
    let mut out = if message.is_empty() { format!("{kind}\n") } else { format!("{kind}: {message}\n") };
    out.push_str(&format!("   --> {}:{}\n", file.path, line));
    out.push_str(&format!("{line:3} | {text}\n"));
    out.push_str(&format!("    | {}\n", "^".repeat(text.len().max(1))));
    out
}

/// Two lines: `  | <source line>` and `  | <underline> <message>`. Only the first line
/// of a multi-line span is underlined, up to its end (at least one caret).
fn render_location(out: &mut String, sources: &SourceMap, span: Span, message: &str) {
    let file = sources.file(span.file);
    let line = file.line_of(span.start);
    let (line_start, line_end) = file.line_range(line);
    let text = &file.text[line_start..line_end];
    let col_start = span.start as usize - line_start;
    let col_end = (span.end as usize).min(line_end).max(span.start as usize) - line_start;
    out.push_str("  | ");
    out.push_str(text);
    out.push('\n');
    out.push_str("  | ");
    out.push_str(&underline(col_start, col_end));
    if !message.is_empty() {
        out.push(' ');
        out.push_str(message);
    }
    out.push('\n');
}

/// `col_start` spaces, then `^`/`^^` for widths 1-2 or `|___|` for wider ranges.
pub fn underline(col_start: usize, col_end: usize) -> String {
    let width = col_end.saturating_sub(col_start).max(1);
    let mut s = " ".repeat(col_start);
    if width <= 2 {
        s.push_str(&"^".repeat(width));
    } else {
        s.push('|');
        s.push_str(&"_".repeat(width - 2));
        s.push('|');
    }
    s
}
