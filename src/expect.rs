//! Expectation annotations in charters: `# expect: RULE` and `# expect-not: RULE`
//! comments say which rules must and must not report a finding at a place, so that a
//! checker's judgement on real documents can be measured (recall and precision) and
//! kept as regression tests.

use std::collections::BTreeSet;

pub use crate::annotation::Target;
use crate::annotation::{covers, target_of};
use crate::check::FileReport;
use crate::diagnostic::{Diagnostic, Label};
use crate::lines::Lines;
use crate::policy::RuleSet;
use crate::span::Span;

pub const BAD_ANNOTATION: (&str, &str) = ("S017", "invalid-expectation");

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
        let Some((target, line)) = target_of(text, &lines, span) else {
            errors.push(bad(
                span,
                "this annotation is not followed by anything it could apply to",
                None,
            ));
            continue;
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

fn applies(e: &Expectation, finding: &Diagnostic, lines: &Lines) -> bool {
    covers(&e.rule, &e.target, finding, lines)
}

/// Compares a checked file's findings with its annotations.
pub fn compare(
    report: &FileReport,
    expectations: Vec<Expectation>,
    errors: Vec<Diagnostic>,
) -> Outcome {
    let lines = Lines::new(&report.source);
    let findings: Vec<&Diagnostic> = report.findings.iter().map(|f| &*f.diagnostic).collect();
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
            .filter(|(_, e)| e.fires && applies(e, f, &lines))
            .map(|(i, _)| i)
            .collect();
        if covering.is_empty() {
            let broken = expectations
                .iter()
                .find(|e| !e.fires && applies(e, f, &lines))
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
