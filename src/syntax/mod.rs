//! Charter text → syntax tree, with every recoverable syntax error.

pub mod ast;
pub mod chunk;
mod error;
pub mod parser;

use crate::diagnostic::{Diagnostic, Label};
use crate::span::Span;
use ast::{Ast, Comment};

pub use error::{SYNTAX_ERROR, TOO_DEEP};

/// The tree of everything that parsed, and an error for each item that did not.
#[derive(Debug, Default)]
pub struct Parsed {
    pub ast: Ast,
    pub errors: Vec<Diagnostic>,
}

pub fn parse(source: &str) -> Parsed {
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
        match parser::parse_item(text, c.span.start) {
            Ok(item) => parsed.ast.items.push(item),
            Err(err) => parsed
                .errors
                .push(error::from_pest(&err, text, c.span.start)),
        }
    }
    parsed
}
