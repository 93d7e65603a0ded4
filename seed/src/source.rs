//! Source files and spans. A `SourceMap` owns every file the compiler has read;
//! a `Span` is a byte range inside one of them. Lines are 1-based and columns are
//! 0-based byte offsets, as in CPython's AST (and therefore upstream SPy).

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range `[start, end)` in one file. Every AST node and token carries one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span { file, start: start as u32, end: end as u32 }
    }

    /// The smallest span covering both `self` and `other` (same file).
    pub fn to(self, other: Span) -> Span {
        Span { file: self.file, start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

pub struct SourceFile {
    /// The path exactly as the user gave it: diagnostics print it verbatim, so the
    /// output does not depend on the current directory.
    pub path: String,
    pub text: String,
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(path: String, text: String) -> SourceFile {
        // Line breaks are `\n`, `\r\n` and a lone `\r`, as for Python's tokenizer.
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                line_starts.push(i as u32 + 1);
            }
        }
        SourceFile { path, text, line_starts }
    }

    /// 1-based line number of the byte at `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// 0-based byte column of `offset` within its line.
    pub fn col_of(&self, offset: u32) -> usize {
        let line = self.line_of(offset);
        (offset - self.line_starts[line - 1]) as usize
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte range of line `line` (1-based), without its line terminator.
    pub fn line_range(&self, line: usize) -> (usize, usize) {
        let start = self.line_starts[line - 1] as usize;
        let mut end = match self.line_starts.get(line) {
            Some(&next) => next as usize - 1,
            None => self.text.len(),
        };
        if end > start && self.text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        (start, end)
    }

    /// Text of line `line` (1-based), without its line terminator.
    pub fn line_text(&self, line: usize) -> &str {
        let (start, end) = self.line_range(line);
        &self.text[start..end]
    }
}

/// The folder of a program's main file as given, with its trailing `/` (`cases/<area>/` for
/// `cases/<area>/<name>.spy`, empty for `<name>.spy`). The program's other modules are read from it, and
/// the C of a program names source files relative to it (docs/spec/BACKEND.md §3: no machine path
/// in emitted C).
pub fn program_root(entry: &str) -> &str {
    match entry.rfind('/') {
        Some(i) => &entry[..=i],
        None => "",
    }
}

#[derive(Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    pub fn add(&mut self, path: String, text: String) -> FileId {
        self.files.push(SourceFile::new(path, text));
        FileId(self.files.len() as u32 - 1)
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// Span of the whole of line `line` (1-based) of `file`, terminator excluded.
    pub fn line_span(&self, file: FileId, line: usize) -> Span {
        let (start, end) = self.file(file).line_range(line);
        Span::new(file, start, end)
    }
}

impl fmt::Display for FileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "file#{}", self.0)
    }
}
