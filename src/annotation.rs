//! Directives written as comments next to what they are about: expectation
//! annotations (`# expect: RULE`) and suppressions (`# peerlint: allow RULE …`). Both
//! apply to the next line of charter text, or to their own line when they trail it.

use crate::diagnostic::Diagnostic;
use crate::lines::Lines;
use crate::span::Span;

/// What a directive applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Findings whose main place starts on this line (0-based).
    Line(usize),
    /// Every finding in the clause with this id.
    Clause(String),
}

/// Where the directive in the comment at `span` applies, and the 0-based line it
/// applies to; none when no charter text follows it.
pub fn target_of(text: &str, lines: &Lines, span: Span) -> Option<(Target, usize)> {
    let own_line = lines.line_of(span.start);
    let (line_start, _) = lines.range(own_line, text.len());
    let trailing = !text[line_start..span.start].trim().is_empty();
    let line = if trailing {
        own_line
    } else {
        (own_line + 1..lines.count()).find(|&l| {
            let (s, e) = lines.range(l, text.len());
            let t = text[s..e].trim();
            !t.is_empty() && !t.starts_with('#')
        })?
    };
    let (s, e) = lines.range(line, text.len());
    let code = text[s..e].trim();
    let target = match code.strip_prefix("clause ") {
        Some(rest) => Target::Clause(
            rest.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string(),
        ),
        None => Target::Line(line),
    };
    Some((target, line))
}

/// Whether a directive for `rule` at `target` applies to `finding`.
pub fn covers(rule: &str, target: &Target, finding: &Diagnostic, lines: &Lines) -> bool {
    if rule != finding.name {
        return false;
    }
    match target {
        Target::Line(l) => lines.line_of(finding.primary_span().start) == *l,
        Target::Clause(id) => finding.clause.as_ref().is_some_and(|c| *c.id == **id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_map_offsets() {
        let l = Lines::new("a\nbc\n\nd");
        assert_eq!(l.line_of(0), 0);
        assert_eq!(l.line_of(2), 1);
        assert_eq!(l.line_of(5), 2);
        assert_eq!(l.line_of(6), 3);
        assert_eq!(l.place("a\nbc\n\nd", 3), (2, 2));
    }

    #[test]
    fn a_directive_applies_to_the_next_line_or_its_own() {
        let text = "# note\nclause 1 {\n  a may b   # x\n}\n";
        let lines = Lines::new(text);
        let above = Span::new(0, 6);
        assert_eq!(
            target_of(text, &lines, above),
            Some((Target::Clause("1".into()), 1))
        );
        let trailing = Span::new(
            text.find("# x").unwrap_or(0),
            text.find("# x").unwrap_or(0) + 3,
        );
        assert_eq!(
            target_of(text, &lines, trailing),
            Some((Target::Line(2), 2))
        );
        assert_eq!(
            target_of("x\n# last\n", &Lines::new("x\n# last\n"), Span::new(2, 8)),
            None
        );
    }
}
