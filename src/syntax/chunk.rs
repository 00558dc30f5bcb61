//! Splitting a charter into its top-level items before parsing.
//!
//! Each item is parsed on its own so that one broken clause does not hide the errors in
//! the others. The same scan collects the comments (the tree has none) and enforces the
//! nesting limit before pest or any recursive walk can exhaust the stack.

use crate::span::Span;

/// How deep `{ … }` blocks may nest. Real charters use three or four levels.
pub const MAX_NESTING: usize = 64;

/// A top-level item's text, by its byte range in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk {
    pub span: Span,
}

#[derive(Debug, Default)]
pub struct Scan {
    pub chunks: Vec<Chunk>,
    pub comments: Vec<Span>,
    /// The first brace that opened a block deeper than [`MAX_NESTING`], if any.
    pub too_deep: Option<Span>,
    /// The opening quote of a quoted text that the file never closes.
    pub unclosed_quote: Option<usize>,
}

const TOP_LEVEL_KEYWORDS: [&str; 6] = ["charter", "role", "party", "body", "clause", "article"];

pub fn scan(source: &str) -> Scan {
    let balanced = split(source, false);
    if balanced.balanced {
        return balanced.scan;
    }
    // Unbalanced braces: start a new item at every top-level keyword in the first column,
    // so that a clause missing its `}` does not swallow the rest of the file.
    split(source, true).scan
}

struct Split {
    scan: Scan,
    balanced: bool,
}

fn split(source: &str, resync_at_keywords: bool) -> Split {
    let bytes = source.as_bytes();
    let mut scan = Scan::default();
    let mut depth: usize = 0;
    let mut balanced = true;
    let mut in_string = false;
    let mut quote_start = 0;
    // The first quoted text that ran over a line starting an item: when the file ends
    // inside a quote, that is the one most likely left open.
    let mut swallowing_quote: Option<usize> = None;
    let mut chunk_start: Option<usize> = None;
    let mut at_line_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                b'\n'
                    if swallowing_quote.is_none()
                        && starts_with_top_level_keyword(&source[i + 1..]) =>
                {
                    swallowing_quote = Some(quote_start);
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        if at_line_start && !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'#') {
            let starts_item = if depth == 0 {
                b != b'{'
            } else {
                resync_at_keywords
                    && starts_with_top_level_keyword(&source[i..])
                    && is_first_column(bytes, i)
            };
            if starts_item {
                if let Some(start) = chunk_start {
                    scan.chunks.push(Chunk {
                        span: Span::new(start, i),
                    });
                }
                chunk_start = Some(i);
                depth = 0;
            }
            at_line_start = false;
        }
        match b {
            b'\n' => at_line_start = true,
            b'"' => {
                in_string = true;
                quote_start = i;
            }
            b'#' => {
                let end = memchr_newline(bytes, i);
                scan.comments.push(Span::new(i, end));
                i = end;
                continue;
            }
            b'{' => {
                depth += 1;
                if depth > MAX_NESTING && scan.too_deep.is_none() {
                    scan.too_deep = Some(Span::new(i, i + 1));
                }
            }
            b'}' => {
                if depth == 0 {
                    balanced = false;
                } else {
                    depth -= 1;
                }
            }
            b' ' | b'\t' | b'\r' => {}
            _ => {}
        }
        i += 1;
    }
    if depth != 0 || in_string {
        balanced = false;
    }
    if in_string {
        scan.unclosed_quote = Some(swallowing_quote.unwrap_or(quote_start));
    }
    if let Some(start) = chunk_start {
        scan.chunks.push(Chunk {
            span: Span::new(start, source.len()),
        });
    }
    Split { scan, balanced }
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |p| from + p)
}

fn is_first_column(bytes: &[u8], i: usize) -> bool {
    i == 0 || bytes[i - 1] == b'\n'
}

fn starts_with_top_level_keyword(rest: &str) -> bool {
    TOP_LEVEL_KEYWORDS.iter().any(|kw| {
        rest.starts_with(kw)
            && rest[kw.len()..]
                .chars()
                .next()
                .is_none_or(|c| c == ' ' || c == '\t')
    })
}

/// Whether an item's text is a declaration (the header, a role, a party or a body):
/// its first word after blanks, separators and comments says so, as it decides which
/// item the grammar tries. Errs towards yes on a keyword followed by a character that
/// is not ASCII: such a text parses as no item at all.
pub fn declares(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\r' | b'\n' | b';' => i += 1,
            b'#' => i = memchr_newline(bytes, i),
            _ => break,
        }
    }
    let rest = &bytes[i..];
    ["charter", "role", "party", "body"].iter().any(|kw| {
        rest.starts_with(kw.as_bytes())
            && rest
                .get(kw.len())
                .is_none_or(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(source: &str) -> Vec<&str> {
        scan(source)
            .chunks
            .iter()
            .map(|c| source[c.span.range()].trim_end())
            .collect()
    }

    #[test]
    fn splits_items_at_depth_zero() {
        let src = "role member\nbody a = every member\nclause 1 \"x\" {\n  member may vote\n}\n";
        assert_eq!(
            texts(src),
            vec![
                "role member",
                "body a = every member",
                "clause 1 \"x\" {\n  member may vote\n}"
            ]
        );
    }

    #[test]
    fn a_brace_on_its_own_line_continues_the_item() {
        let src = "role member\n{\n  may leave\n}\nrole x\n";
        assert_eq!(texts(src), vec!["role member\n{\n  may leave\n}", "role x"]);
    }

    #[test]
    fn braces_in_strings_and_comments_do_not_count() {
        let src = "clause 1 \"{\" { # }\n text \"}\"\n}\nrole x\n";
        assert_eq!(texts(src).len(), 2);
        assert_eq!(scan(src).comments.len(), 1);
    }

    #[test]
    fn an_unclosed_clause_does_not_swallow_the_next() {
        let src = "clause 1 {\n  member may vote\nclause 2 {\n  member may leave\n}\n";
        assert_eq!(texts(src).len(), 2);
    }

    #[test]
    fn declarations_are_told_by_their_first_word() {
        assert!(declares("role member"));
        assert!(declares("\n; # a comment\r\n  party buyer \"the buyer\""));
        assert!(declares("body\tboard = every member"));
        assert!(declares("charter \"x\" { }"));
        assert!(!declares("clause 1 { member may vote }"));
        assert!(!declares("article 2 { }"));
        assert!(!declares("roles member"));
        assert!(!declares("body-guard may act"));
        assert!(!declares("# role member\nclause 1 { }"));
    }

    #[test]
    fn nesting_beyond_the_limit_is_flagged() {
        let src = format!("clause 1 {}", "{".repeat(MAX_NESTING + 1));
        assert!(scan(&src).too_deep.is_some());
        assert!(scan("clause 1 { }").too_deep.is_none());
    }
}
