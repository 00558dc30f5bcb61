//! Edits that mend a finding where it stands: set the attribute a rule asks for on the
//! statement it flags, or record the finding as an accepted exception. The language
//! server offers them as quick fixes; `peerlint test` proves each rule's fix on the
//! rule's own examples (the edited charter parses and the rule no longer fires).

use crate::format::first_brace;
use crate::model::Model;
use crate::policy::engine::Finding;
use crate::policy::RuleSet;
use crate::span::Span;
use crate::syntax::ast::{Ast, Item, Statement};

/// Replace the text at `span` with `text` (an insertion when the span is empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

impl Edit {
    pub fn apply(&self, source: &str) -> String {
        let mut out = String::with_capacity(source.len() + self.text.len());
        out.push_str(&source[..self.span.start]);
        out.push_str(&self.text);
        out.push_str(&source[self.span.end..]);
        out
    }
}

/// The fix the finding's rule offers, as a title and an edit of `source`; none when
/// the rule has no fix or the finding is not about one statement.
pub fn for_finding(
    source: &str,
    ast: &Ast,
    model: &Model,
    rules: &RuleSet,
    finding: &Finding,
) -> Option<(String, Edit)> {
    let fix = rules.rules.get(finding.rule)?.spec.fix.as_ref()?;
    let statement = statement_at(ast, model.get(finding.node)?.span())?;
    let edit = set_attribute(source, statement, fix.attribute.trim());
    Some((fix.title.clone(), edit))
}

/// The statement written exactly at `span`, wherever it is nested.
pub fn statement_at(ast: &Ast, span: Span) -> Option<&Statement> {
    fn search(items: &[Item], span: Span) -> Option<&Statement> {
        items.iter().find_map(|item| match item {
            Item::Clause(c) if c.span.start <= span.start && span.end <= c.span.end => {
                c.statements.iter().find(|s| s.span == span)
            }
            Item::Article(a) if a.span.start <= span.start && span.end <= a.span.end => {
                search(&a.items, span)
            }
            _ => None,
        })
    }
    search(&ast.items, span)
}

/// Sets `attribute` (`notice 14 days`) on a statement: it replaces an attribute with
/// the same keyword (`notice none`), or joins the statement's block, which is created
/// when there is none. The block keeps its layout: one line stays one line, a block of
/// several lines gets a line of its own at the same indentation.
pub fn set_attribute(source: &str, statement: &Statement, attribute: &str) -> Edit {
    let attrs = statement.kind.attrs();
    if let Some(same) = attrs.iter().find(|a| same_keyword(&a.key.node, attribute)) {
        return Edit {
            span: same.span.trim_end(source),
            text: attribute.to_string(),
        };
    }
    let span = statement.span.trim_end(source);
    let text = &source[span.range()];
    let Some(brace) = first_brace(text).map(|b| span.start + b) else {
        return Edit {
            span: Span::new(span.end, span.end),
            text: format!(" {{ {attribute} }}"),
        };
    };
    let after = attrs
        .last()
        .map_or(brace + 1, |a| a.span.trim_end(source).end);
    let closing = span.end.saturating_sub(1);
    if !source[brace..closing].contains('\n') {
        let separator = if attrs.is_empty() { " " } else { "  " };
        return Edit {
            span: Span::new(after, after),
            text: format!("{separator}{attribute}"),
        };
    }
    let indent = match attrs.last() {
        Some(last) => indentation(source, last.span.start).to_string(),
        None => format!("{}  ", indentation(source, span.start)),
    };
    Edit {
        span: Span::new(after, after),
        text: format!("{}{indent}{attribute}", line_end(source)),
    }
}

/// A suppression of `rule` on the line above the statement, with an empty reason: it
/// hides nothing until someone writes down why the exception is accepted.
pub fn suppress(source: &str, statement_span: Span, rule: &str) -> Edit {
    let line_start = source[..statement_span.start]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let indent = indentation(source, statement_span.start);
    Edit {
        span: Span::new(line_start, line_start),
        text: format!(
            "{indent}# peerlint: allow {rule} reason \"\"{}",
            line_end(source)
        ),
    }
}

/// The line end the text uses, so that an edit does not mix them.
fn line_end(source: &str) -> &'static str {
    if source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// Whether `attribute` starts with the keyword `key` (`notice 14 days` and `notice`).
fn same_keyword(key: &str, attribute: &str) -> bool {
    !key.is_empty()
        && attribute
            .strip_prefix(key)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// The blanks that start the line holding `at`.
fn indentation(source: &str, at: usize) -> &str {
    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &source[line_start..];
    let end = line
        .find(|c: char| c != ' ' && c != '\t')
        .unwrap_or(line.len());
    &line[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax;

    const HEAD: &str = "charter \"C\" { kind bylaws }\nrole member\nbody board = every member\n\n";

    /// Applies a fix to the first statement of the charter and returns the result,
    /// which must parse.
    fn fixed(body: &str, attribute: &str) -> String {
        let source = format!("{HEAD}{body}");
        let parsed = syntax::parse(&source);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let Item::Clause(c) = parsed.ast.items.last().unwrap() else {
            panic!("the last item is a clause")
        };
        let edit = set_attribute(&source, &c.statements[0], attribute);
        let out = edit.apply(&source);
        let reparsed = syntax::parse(&out);
        assert!(reparsed.errors.is_empty(), "{out}\n{:?}", reparsed.errors);
        out[HEAD.len()..].to_string()
    }

    #[test]
    fn creates_a_block() {
        assert_eq!(
            fixed("clause 1 { board may expel member }\n", "notice 14 days"),
            "clause 1 { board may expel member { notice 14 days } }\n"
        );
    }

    #[test]
    fn joins_a_block_on_one_line() {
        assert_eq!(
            fixed(
                "clause 1 {\n  board may expel member { grounds \"fraud\" }\n}\n",
                "hearing"
            ),
            "clause 1 {\n  board may expel member { grounds \"fraud\"  hearing }\n}\n"
        );
    }

    #[test]
    fn adds_a_line_to_a_block_of_several() {
        assert_eq!(
            fixed(
                "clause 1 {\n  board may expel member {\n    grounds \"fraud\"\n  }\n}\n",
                "appeal"
            ),
            "clause 1 {\n  board may expel member {\n    grounds \"fraud\"\n    appeal\n  }\n}\n"
        );
    }

    #[test]
    fn replaces_an_attribute_with_the_same_keyword() {
        assert_eq!(
            fixed(
                "clause 1 {\n  board may expel member { notice none  hearing }\n}\n",
                "notice 14 days"
            ),
            "clause 1 {\n  board may expel member { notice 14 days  hearing }\n}\n"
        );
    }

    #[test]
    fn a_brace_in_quoted_prose_is_not_the_block() {
        assert_eq!(
            fixed(
                "clause 1 {\n  member consents to \"the {rules}\"\n}\n",
                "disclose purpose"
            ),
            "clause 1 {\n  member consents to \"the {rules}\" { disclose purpose }\n}\n"
        );
    }

    #[test]
    fn edits_keep_the_texts_line_ends() {
        let source = "clause 1 {\r\n  board may expel member\r\n}\r\n";
        let at = source.find("board").unwrap();
        let span = Span::new(at, at + "board may expel member".len());
        assert_eq!(
            suppress(source, span, "DP003").text,
            "  # peerlint: allow DP003 reason \"\"\r\n"
        );
    }

    #[test]
    fn a_suppression_goes_above_with_the_same_indentation() {
        let source = "clause 1 {\n  board may expel member\n}\n";
        let at = source.find("board").unwrap();
        let span = Span::new(at, at + "board may expel member".len());
        assert_eq!(
            suppress(source, span, "DP003").apply(source),
            "clause 1 {\n  # peerlint: allow DP003 reason \"\"\n  board may expel member\n}\n"
        );
    }
}
