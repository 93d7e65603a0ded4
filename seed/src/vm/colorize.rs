//! `spy0 colorize`: the entry module's source with every expression that redshift
//! evaluated painted by its color (docs/spec/LANGUAGE.md §5.12): ANSI backgrounds (256-color 110
//! blue, 174 red, black text), an inner node's color winning over its parent's; or, with
//! `--format json`, the list of colored ranges.

use super::world::World;
use crate::ast::Color;
use crate::source::{FileId, Span};

const BLUE: &str = "\x1b[30;48;5;110m";
const RED: &str = "\x1b[30;48;5;174m";
const RESET: &str = "\x1b[0m";

/// The recorded ranges of `file`, sorted by position (outer before inner), once each.
fn ranges(world: &World, file: FileId) -> Vec<(Span, Color)> {
    let mut spans: Vec<(Span, Color)> =
        world.colors.iter().flatten().filter(|(span, _)| span.file == file).copied().collect();
    spans.sort_by_key(|(span, color)| (span.start, std::cmp::Reverse(span.end), *color == Color::Red));
    spans.dedup_by_key(|(span, _)| (span.start, span.end));
    spans
}

pub fn colorize_text(world: &World, file: FileId) -> String {
    let text = &world.sources.file(file).text;
    // Paint outer ranges first so that inner ones override them.
    let mut paint: Vec<Option<Color>> = vec![None; text.len()];
    for (span, color) in ranges(world, file) {
        for cell in &mut paint[span.start as usize..span.end as usize] {
            *cell = Some(color);
        }
    }
    let mut out = String::with_capacity(text.len() * 2);
    let mut current = None;
    for (idx, ch) in text.char_indices() {
        let color = if ch == '\n' { None } else { paint[idx] };
        if color != current {
            if current.is_some() {
                out.push_str(RESET);
            }
            match color {
                Some(Color::Blue) => out.push_str(BLUE),
                Some(Color::Red) => out.push_str(RED),
                None => {}
            }
            current = color;
        }
        out.push(ch);
    }
    if current.is_some() {
        out.push_str(RESET);
    }
    out
}

pub fn colorize_json(world: &World, file: FileId) -> String {
    let src = world.sources.file(file);
    let items: Vec<String> = ranges(world, file)
        .into_iter()
        .map(|(span, color)| {
            let line = src.line_of(span.start);
            let col = src.col_of(span.start);
            let line_end = src.line_range(line).1;
            let length = (span.end as usize).min(line_end) - span.start as usize;
            let kind = if color == Color::Blue { "blue" } else { "red" };
            format!("{{\"line\": {line}, \"col\": {col}, \"length\": {length}, \"type\": \"{kind}\"}}")
        })
        .collect();
    format!("[{}]\n", items.join(", "))
}
