//! Expectation annotations in charters: `# expect: RULE` and `# expect-not: RULE`
//! comments say which rules must and must not report a finding at a place, so that a
//! checker's judgement on real documents can be measured (recall and precision) and
//! kept as regression tests.

use std::collections::BTreeSet;

use crate::check::FileReport;
use crate::diagnostic::{Diagnostic, Label};
use crate::policy::RuleSet;
use crate::span::Span;

pub const BAD_ANNOTATION: (&str, &str) = ("S017", "invalid-expectation");

/// Where an annotation applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Findings whose main place starts on this line (0-based).
    Line(usize),
    /// Every finding in the clause with this id.
    Clause(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    pub rule: String,
    /// True for `expect`, false for `expect-not`.
    pub fires: bool,
    pub target: Target,
    /// The annotation itself, for messages.
    pub span: Span,
    /// The line the annotation applies to (0-based), for messages.
    pub line: usize,
}

/// The outcome for one file.
#[derive(Debug, Default)]
pub struct Outcome {
    pub expected: usize,
    pub silences: usize,
    /// Expected findings that were reported.
    pub found: usize,
    /// Findings reported in total, and those an `expect` covered.
    pub reported: usize,
    pub covered: usize,
    pub misses: Vec<Expectation>,
    /// Findings no `expect` covers (with the `expect-not` they break, if any).
    pub false_alarms: Vec<(Diagnostic, Option<Expectation>)>,
    /// Annotations that are themselves wrong: an unknown rule, nothing to apply to.
    pub errors: Vec<Diagnostic>,
}

/// Line starts of a text, to turn byte offsets into lines.
pub struct Lines(Vec<usize>);

impl Lines {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines(starts)
    }

    /// The 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset).saturating_sub(1)
    }

    pub fn range(&self, line: usize, text_len: usize) -> (usize, usize) {
        let start = self.0.get(line).copied().unwrap_or(text_len);
        let end = self.0.get(line + 1).copied().unwrap_or(text_len);
        (start, end)
    }

    pub fn count(&self) -> usize {
        self.0.len()
    }
}

/// Reads the annotations of one charter; `comments` are the spans of its comments.
pub fn annotations(
    text: &str,
    comments: &[Span],
    rules: &RuleSet,
) -> (Vec<Expectation>, Vec<Diagnostic>) {
    let lines = Lines::new(text);
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for &span in comments {
        let body = text[span.range()].trim_start_matches('#').trim();
        let (fires, list) = if let Some(rest) = body.strip_prefix("expect-not:") {
            (false, rest)
        } else if let Some(rest) = body.strip_prefix("expect:") {
            (true, rest)
        } else {
            continue;
        };
        let own_line = lines.line_of(span.start);
        let (line_start, _) = lines.range(own_line, text.len());
        let trailing = !text[line_start..span.start].trim().is_empty();
        let target_line = if trailing {
            Some(own_line)
        } else {
            (own_line + 1..lines.count()).find(|&l| {
                let (s, e) = lines.range(l, text.len());
                let t = text[s..e].trim();
                !t.is_empty() && !t.starts_with('#')
            })
        };
        let Some(line) = target_line else {
            errors.push(bad(
                span,
                "this annotation is not followed by anything it could apply to",
                None,
            ));
            continue;
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
        for rule in list.split(',').map(str::trim).filter(|r| !r.is_empty()) {
            if rules.find(rule).is_none_or(|r| r.spec.id != rule) {
                let hint = rules.suggest(rule).map(|s| format!("did you mean `{s}`?"));
                errors.push(bad(span, &format!("there is no rule `{rule}`"), hint));
                continue;
            }
            out.push(Expectation {
                rule: rule.to_string(),
                fires,
                target: target.clone(),
                span,
                line,
            });
        }
    }
    (out, errors)
}

fn bad(span: Span, message: &str, help: Option<String>) -> Diagnostic {
    Diagnostic::error(
        BAD_ANNOTATION.0,
        BAD_ANNOTATION.1,
        message,
        Label::new(span, "this annotation"),
    )
    .with_help_opt(help)
}

fn covers(e: &Expectation, finding: &Diagnostic, lines: &Lines) -> bool {
    if e.rule != finding.name {
        return false;
    }
    match &e.target {
        Target::Line(l) => lines.line_of(finding.primary_span().start) == *l,
        Target::Clause(id) => finding.clause.as_ref().is_some_and(|c| &c.id == id),
    }
}

/// Compares a checked file's findings with its annotations.
pub fn compare(
    report: &FileReport,
    expectations: Vec<Expectation>,
    errors: Vec<Diagnostic>,
) -> Outcome {
    let lines = Lines::new(&report.source);
    let findings: Vec<&Diagnostic> = report.findings.iter().map(|f| &f.diagnostic).collect();
    let mut outcome = Outcome {
        errors,
        reported: findings.len(),
        ..Outcome::default()
    };
    let mut satisfied: BTreeSet<usize> = BTreeSet::new();
    for f in &findings {
        let covering: Vec<usize> = expectations
            .iter()
            .enumerate()
            .filter(|(_, e)| e.fires && covers(e, f, &lines))
            .map(|(i, _)| i)
            .collect();
        if covering.is_empty() {
            let broken = expectations
                .iter()
                .find(|e| !e.fires && covers(e, f, &lines))
                .cloned();
            outcome.false_alarms.push(((*f).clone(), broken));
        } else {
            outcome.covered += 1;
            satisfied.extend(covering);
        }
    }
    for (i, e) in expectations.into_iter().enumerate() {
        if e.fires {
            outcome.expected += 1;
            if satisfied.contains(&i) {
                outcome.found += 1;
            } else {
                outcome.misses.push(e);
            }
        } else {
            outcome.silences += 1;
        }
    }
    outcome
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
    }
}
