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
    let plan = Plan::new(source);
    let mut parsed = Parsed {
        ast: Ast {
            items: Vec::new(),
            comments: plan.comments(source),
        },
        errors: plan.errors,
    };
    for &span in &plan.chunks {
        match parse_chunk(source, span, &mut parse_item) {
            Ok(item) => parsed.ast.items.push(item),
            Err(error) => parsed.errors.push(*error),
        }
    }
    parsed
}

/// One chunk of the text parsed, or its syntax error in the charter's words.
fn parse_chunk(
    source: &str,
    span: Span,
    parse_item: &mut impl FnMut(&str, usize) -> Result<Item, Box<parser::Error>>,
) -> Result<Item, Box<Diagnostic>> {
    let text = &source[span.range()];
    parse_item(text, span.start).map_err(|err| Box::new(error::from_pest(&err, text, span.start)))
}

/// The declarations of a charter (its header, roles, parties and bodies), parsed
/// first, and what is left to parse: see [`parse_declarations`].
pub struct Declarations {
    pub items: Vec<Item>,
    pub rest: Rest,
}

/// The clauses and articles of a charter, still to be parsed one at a time.
pub struct Rest {
    plan: Plan,
    /// Syntax errors of the declarations, by where their item starts.
    errors: Vec<(usize, Diagnostic)>,
    declarations: usize,
}

/// What [`Rest::parse_each`] leaves once every item has been handed on.
pub struct Parsing {
    /// Where each comment is (the check reads the suppressions among them in place).
    pub comments: Vec<Span>,
    /// In the order [`parse`] gives them.
    pub errors: Vec<Diagnostic>,
    /// How many items parsed, declarations included.
    pub items: usize,
}

/// Parses a charter in two passes, so that a caller can lower each clause as soon as
/// it is parsed and free it: the syntax tree of a large charter is then never whole.
/// The declarations come first because any clause may name them. The items and errors
/// are those [`parse`] gives; which pass an item belongs to is read from its first word,
/// which decides the grammar's choice of item as well.
pub fn parse_declarations(source: &str) -> Declarations {
    let mut plan = Plan::new(source);
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let chunks = std::mem::take(&mut plan.chunks);
    for span in chunks {
        if !chunk::declares(&source[span.range()]) {
            plan.chunks.push(span);
            continue;
        }
        match parse_chunk(source, span, &mut parser::parse_item) {
            Ok(item) => items.push(item),
            Err(error) => errors.push((span.start, *error)),
        }
    }
    let declarations = items.len();
    Declarations {
        items,
        rest: Rest {
            plan,
            errors,
            declarations,
        },
    }
}

impl Rest {
    /// Parses the remaining items in order, handing each to `each` as it is parsed.
    pub fn parse_each(self, source: &str, mut each: impl FnMut(Item)) -> Parsing {
        let Rest {
            plan,
            mut errors,
            declarations,
        } = self;
        let mut items = declarations;
        for &span in &plan.chunks {
            match parse_chunk(source, span, &mut parser::parse_item) {
                Ok(item) => {
                    items += 1;
                    each(item);
                }
                Err(error) => errors.push((span.start, *error)),
            }
        }
        // Items are disjoint, so their starts give the order of the text.
        errors.sort_by_key(|(start, _)| *start);
        let mut all = plan.errors;
        all.extend(errors.into_iter().map(|(_, e)| e));
        Parsing {
            comments: plan.comments,
            errors: all,
            items,
        }
    }
}

/// The chunks of a charter worth parsing, and the errors of the scan that found them.
struct Plan {
    comments: Vec<Span>,
    errors: Vec<Diagnostic>,
    chunks: Vec<Span>,
}

impl Plan {
    fn new(source: &str) -> Plan {
        let scan = chunk::scan(source);
        let mut errors = Vec::new();
        if let Some(brace) = scan.too_deep {
            errors.push(
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
            errors.push(
                Diagnostic::error(
                    SYNTAX_ERROR.0,
                    SYNTAX_ERROR.1,
                    "this quoted text is never closed",
                    Label::new(Span::new(quote, quote + 1), "opened here"),
                )
                .with_help("add the closing `\"`; a quoted text may span lines, so everything after it was read as its words"),
            );
        }
        let chunks = scan
            .chunks
            .iter()
            .map(|c| c.span)
            // The chunk holding an unclosed quote would only repeat that error, worse.
            .filter(|c| {
                !scan
                    .unclosed_quote
                    .is_some_and(|q| c.start <= q && q < c.end)
            })
            .filter(|c| {
                !scan
                    .too_deep
                    .is_some_and(|b| c.start <= b.start && b.start < c.end)
            })
            .collect();
        Plan {
            comments: scan.comments,
            errors,
            chunks,
        }
    }

    fn comments(&self, source: &str) -> Vec<Comment> {
        self.comments
            .iter()
            .map(|span| Comment {
                text: source[span.range()].to_string(),
                span: *span,
            })
            .collect()
    }
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
