//! Charter text → syntax tree, with every recoverable syntax error.

pub mod ast;
pub mod chunk;
mod error;
pub mod fast;
pub mod lexical;
pub mod parser;
mod shift;

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Label};
use crate::span::Span;
use ast::{Ast, Comment, Item};
use shift::Shift;

pub use error::{SYNTAX_ERROR, TOO_DEEP};

/// The tree of everything that parsed, and an error for each item that did not.
#[derive(Debug, Default)]
pub struct Parsed {
    pub ast: Ast,
    pub errors: Vec<Diagnostic>,
}

pub fn parse(source: &str) -> Parsed {
    parse_items(source, parser::parse_item)
}

/// [`parse`] with pest reading every item, without the fast path: what the tests and
/// timings that hold the fast path to pest compare it with.
pub fn parse_with_pest(source: &str) -> Parsed {
    parse_items(source, parser::parse_item_with_pest)
}

/// The top-level items of the last parse, by their text, with spans as if each began
/// the file. An editor parses again after every keystroke; one edit changes one item,
/// and every other is taken from here and moved to its place.
#[derive(Default)]
pub struct ParseCache {
    previous: HashMap<Box<str>, Item>,
    current: HashMap<Box<str>, Item>,
}

impl ParseCache {
    fn item(&mut self, text: &str, offset: usize) -> Result<Item, Box<parser::Error>> {
        let relative = match self.previous.remove(text) {
            Some(item) => item,
            None => match self.current.get(text) {
                Some(item) => item.clone(),
                None => parser::parse_item(text, 0)?,
            },
        };
        let mut placed = relative.clone();
        placed.shift(offset);
        self.current.insert(text.into(), relative);
        Ok(placed)
    }

    /// Forgets the items the last parse did not use.
    fn finish(&mut self) {
        self.previous = std::mem::take(&mut self.current);
    }
}

/// [`parse`], reusing the items of unchanged text from the cache.
pub fn parse_with_cache(source: &str, cache: &mut ParseCache) -> Parsed {
    let parsed = parse_items(source, |text, offset| cache.item(text, offset));
    cache.finish();
    parsed
}

fn parse_items(
    source: &str,
    mut parse_item: impl FnMut(&str, usize) -> Result<Item, Box<parser::Error>>,
) -> Parsed {
    let scan = chunk::scan(source);
    let mut parsed = Parsed::default();
    parsed.ast.comments = scan
        .comments
        .iter()
        .map(|span| Comment {
            text: source[span.range()].to_string(),
            span: *span,
        })
        .collect();
    if let Some(brace) = scan.too_deep {
        parsed.errors.push(
            Diagnostic::error(
                TOO_DEEP.0,
                TOO_DEEP.1,
                format!("blocks nest more than {} levels deep", chunk::MAX_NESTING),
                Label::new(brace, "this block is too deep"),
            )
            .with_help("a charter needs only a few levels: articles, clauses, statements"),
        );
    }
    if let Some(quote) = scan.unclosed_quote {
        parsed.errors.push(
            Diagnostic::error(
                SYNTAX_ERROR.0,
                SYNTAX_ERROR.1,
                "this quoted text is never closed",
                Label::new(Span::new(quote, quote + 1), "opened here"),
            )
            .with_help("add the closing `\"`; a quoted text may span lines, so everything after it was read as its words"),
        );
    }
    for c in &scan.chunks {
        let text = &source[c.span.range()];
        // The chunk holding an unclosed quote would only repeat that error, worse.
        if scan
            .unclosed_quote
            .is_some_and(|q| c.span.start <= q && q < c.span.end)
        {
            continue;
        }
        if scan
            .too_deep
            .is_some_and(|b| c.span.start <= b.start && b.start < c.span.end)
        {
            continue;
        }
        match parse_item(text, c.span.start) {
            Ok(item) => parsed.ast.items.push(item),
            Err(err) => parsed
                .errors
                .push(error::from_pest(&err, text, c.span.start)),
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spans included: `Spanned` equality ignores them, the debug form does not.
    fn exact(parsed: &Parsed) -> String {
        format!("{:?} {:?}", parsed.ast, parsed.errors)
    }

    #[test]
    fn the_cache_gives_what_a_fresh_parse_gives() {
        let mut cache = ParseCache::default();
        let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
        let mut files: Vec<_> = std::fs::read_dir(examples)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            assert_eq!(
                exact(&parse_with_cache(&text, &mut cache)),
                exact(&parse(&text))
            );
            // Text inserted above moves every item; a broken item in the middle.
            let edited = format!("role newcomer\n\n{text}\nclause 99 {{ board may }}\n");
            assert_eq!(
                exact(&parse_with_cache(&edited, &mut cache)),
                exact(&parse(&edited))
            );
            let doubled = format!("{text}\n{}", text.replace("clause ", "clause 1"));
            assert_eq!(
                exact(&parse_with_cache(&doubled, &mut cache)),
                exact(&parse(&doubled))
            );
        }
    }
}
