//! `peerlint fmt`: one canonical layout for a charter.
//!
//! The layout comes from the syntax tree: one item, statement and attribute per line,
//! two spaces of indentation per block, one blank line between top-level items, and a
//! block of one short attribute kept on its statement's line. Every token is printed
//! from the source as written, with the blanks between tokens made single, so quoted
//! prose and comments are kept exactly and the formatted charter means the same.

use crate::diagnostic::Diagnostic;
use crate::lines::Lines;
use crate::span::Span;
use crate::syntax::lexical::Code;
use crate::syntax::{self, ast};

/// Lines wider than this put a block's single attribute on its own line.
const WIDTH: usize = 90;

/// The formatted text, or the syntax errors that prevent formatting.
pub fn format(source: &str) -> Result<String, Vec<Diagnostic>> {
    let parsed = syntax::parse(source);
    if !parsed.errors.is_empty() {
        return Err(parsed.errors);
    }
    let mut printer = Printer {
        src: source,
        lines: Vec::new(),
    };
    let mut previous_simple = false;
    for (i, item) in parsed.ast.items.iter().enumerate() {
        let simple = is_simple_declaration(item);
        let blank = i > 0 && !(simple && previous_simple);
        printer.item(item, 0, blank);
        previous_simple = simple;
    }
    let comments: Vec<Span> = parsed.ast.comments.iter().map(|c| c.span).collect();
    Ok(printer.finish(&comments))
}

/// A role, party or body declared on one line, which sits with its neighbours.
fn is_simple_declaration(item: &ast::Item) -> bool {
    match item {
        ast::Item::Role(r) => r.attrs.is_empty(),
        ast::Item::Body(b) => b.attrs.is_empty(),
        _ => false,
    }
}

struct Line {
    /// Where in the source the line's content starts: comments are placed by it.
    origin: usize,
    indent: usize,
    text: String,
    blank_before: bool,
}

struct Printer<'s> {
    src: &'s str,
    lines: Vec<Line>,
}

impl Printer<'_> {
    fn push(&mut self, origin: usize, indent: usize, text: String, blank_before: bool) {
        self.lines.push(Line {
            origin,
            indent,
            text,
            blank_before,
        });
    }

    fn slice(&self, span: Span) -> &str {
        self.src.get(span.range()).unwrap_or_default()
    }

    fn item(&mut self, item: &ast::Item, indent: usize, blank: bool) {
        match item {
            ast::Item::Header(h) => {
                let head = head_of(self.slice(h.span));
                self.block(h.span, head, &spans(&h.attrs), indent, blank);
            }
            ast::Item::Role(r) => {
                let head = head_of(self.slice(r.span));
                self.block(r.span, head, &spans(&r.attrs), indent, blank);
            }
            ast::Item::Body(b) => {
                let head = head_of(self.slice(b.span));
                self.block(b.span, head, &spans(&b.attrs), indent, blank);
            }
            ast::Item::Clause(c) => {
                let head = head_of(self.slice(c.span));
                self.push(c.span.start, indent, format!("{head} {{"), blank);
                for st in &c.statements {
                    self.statement(st, indent + 1);
                }
                self.push(c.span.end.saturating_sub(1), indent, "}".into(), false);
            }
            ast::Item::Article(a) => {
                let head = head_of(self.slice(a.span));
                self.push(a.span.start, indent, format!("{head} {{"), blank);
                for (i, inner) in a.items.iter().enumerate() {
                    self.item(inner, indent + 1, i > 0);
                }
                self.push(a.span.end.saturating_sub(1), indent, "}".into(), false);
            }
        }
    }

    fn statement(&mut self, st: &ast::Statement, indent: usize) {
        use ast::StatementKind as K;
        let text = self.slice(st.span);
        match &st.kind {
            K::Dispute { steps, .. } => {
                let head = head_of(text);
                let steps: Vec<Span> = steps.iter().map(|s| s.span).collect();
                // Steps always go one per line: the order of a process reads downwards.
                self.push(st.span.start, indent, format!("{head} {{"), false);
                for s in steps {
                    self.push(s.start, indent + 1, flat(self.slice(s)), false);
                }
                self.push(st.span.end.saturating_sub(1), indent, "}".into(), false);
            }
            K::Text(_) => self.push(st.span.start, indent, flat(text), false),
            other => {
                let head = head_of(text);
                self.block(st.span, head, &spans(other.attrs()), indent, false);
            }
        }
    }

    /// A head with an optional block of attributes: inline when it is one short one.
    fn block(&mut self, span: Span, head: String, attrs: &[Span], indent: usize, blank: bool) {
        match attrs {
            [] => self.push(span.start, indent, head, blank),
            [one] => {
                let attr = flat(self.slice(*one));
                let inline = format!("{head} {{ {attr} }}");
                if inline.len() + indent * 2 <= WIDTH {
                    self.push(span.start, indent, inline, blank);
                } else {
                    self.push(span.start, indent, format!("{head} {{"), blank);
                    self.push(one.start, indent + 1, attr, false);
                    self.push(span.end.saturating_sub(1), indent, "}".into(), false);
                }
            }
            many => {
                self.push(span.start, indent, format!("{head} {{"), blank);
                for a in many {
                    self.push(a.start, indent + 1, flat(self.slice(*a)), false);
                }
                self.push(span.end.saturating_sub(1), indent, "}".into(), false);
            }
        }
    }

    /// The printed lines with every comment put back: a comment that followed code on
    /// its line follows the same code; any other comment goes above the next line.
    fn finish(self, comments: &[Span]) -> String {
        let lines = Lines::new(self.src);
        let mut trailing: Vec<Option<&str>> = vec![None; self.lines.len()];
        let mut leading: Vec<Vec<(usize, &str, bool)>> = vec![Vec::new(); self.lines.len() + 1];
        for &c in comments {
            let text = self.src.get(c.range()).unwrap_or_default().trim_end();
            let source_line = lines.line_of(c.start);
            let (line_start, _) = lines.range(source_line, self.src.len());
            let after_code = !self.src[line_start..c.start].trim().is_empty();
            if after_code {
                let owner = self
                    .lines
                    .iter()
                    .rposition(|l| l.origin < c.start && lines.line_of(l.origin) == source_line);
                if let Some(i) = owner {
                    if trailing[i].is_none() {
                        trailing[i] = Some(text);
                        continue;
                    }
                }
            }
            let next = self
                .lines
                .iter()
                .position(|l| l.origin > c.start)
                .unwrap_or(self.lines.len());
            // A blank line before a comment in the source stays, so comment paragraphs
            // keep their shape.
            let blank = source_line > 0 && {
                let (s, e) = lines.range(source_line - 1, self.src.len());
                self.src[s..e].trim().is_empty()
            };
            leading[next].push((c.start, text, blank));
        }
        let mut out = String::new();
        for (i, line) in self.lines.iter().enumerate() {
            let indent = "  ".repeat(line.indent);
            let group = &leading[i];
            if (line.blank_before || group.first().is_some_and(|(_, _, b)| *b)) && !out.is_empty() {
                out.push('\n');
            }
            for (j, (_, text, blank)) in group.iter().enumerate() {
                if j > 0 && *blank {
                    out.push('\n');
                }
                out.push_str(&indent);
                out.push_str(text);
                out.push('\n');
            }
            out.push_str(&indent);
            out.push_str(&line.text);
            if let Some(t) = trailing[i] {
                out.push_str("   ");
                out.push_str(t);
            }
            out.push('\n');
        }
        let tail = &leading[self.lines.len()];
        if !tail.is_empty() && !out.is_empty() {
            out.push('\n');
        }
        for (_, text, _) in tail {
            out.push_str(text);
            out.push('\n');
        }
        out
    }
}

fn spans(attrs: &[ast::Attr]) -> Vec<Span> {
    attrs.iter().map(|a| a.span).collect()
}

/// The text of a construct up to its block, made flat.
fn head_of(text: &str) -> String {
    let end = first_brace(text).unwrap_or(text.len());
    flat(&text[..end])
}

/// The first `{` outside quotes and comments.
pub(crate) fn first_brace(text: &str) -> Option<usize> {
    Code::new(text).find(|&(_, c)| c == '{').map(|(i, _)| i)
}

/// The tokens of `text` separated by single spaces: quoted prose is copied exactly,
/// comments are left out (they are placed separately), every other run of blanks and
/// newlines becomes one space.
fn flat(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push('"');
                let mut escaped = false;
                for s in chars.by_ref() {
                    out.push(s);
                    if escaped {
                        escaped = false;
                    } else if s == '\\' {
                        escaped = true;
                    } else if s == '"' {
                        break;
                    }
                }
            }
            '#' => {
                for s in chars.by_ref() {
                    if s == '\n' {
                        break;
                    }
                }
                pending_space = true;
            }
            c if c.is_whitespace() || c == ';' => pending_space = true,
            ',' => {
                out.push(',');
                pending_space = true;
            }
            '=' => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push('=');
                pending_space = true;
            }
            c => {
                if pending_space && !out.is_empty() && c != '}' {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattens_blanks_but_keeps_quoted_prose() {
        assert_eq!(
            flat("board   may\tfine \"a  b\\\" c\"  "),
            "board may fine \"a  b\\\" c\""
        );
        assert_eq!(
            flat("disclose purpose ,recipients"),
            "disclose purpose, recipients"
        );
        assert_eq!(flat("a # note\n b"), "a b");
    }

    #[test]
    fn finds_the_block_outside_quotes() {
        assert_eq!(first_brace("clause 1 \"{\" {"), Some(13));
        assert_eq!(first_brace("role x # {\n"), None);
    }
}
