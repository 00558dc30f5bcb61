//! Hovers: the rule behind a finding or a suppressed code, and what a role, body or
//! clause is and holds. Charter words are escaped: they read as text, never as markup.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::document::{Analysis, Document};
use super::navigation::target_at;
use crate::model::{Actor, Kind, Model, NodeId, Value};
use crate::policy::load::Rule;
use crate::report::markup::{fenced, markdown};
use crate::span::Span;

/// Holdings listed in a hover before the rest are counted.
const MAX_HOLDINGS: usize = 25;
/// Lines of a declaration or clause shown in a hover.
const MAX_LINES: usize = 12;

pub fn hover(document: &Document, analysis: &Analysis, offset: usize) -> Option<Hover> {
    // On a name inside a flagged statement, both the name and the finding matter.
    let (text, span) = suppressed_rule(document, analysis, offset).or_else(|| {
        match (
            named(document, analysis, offset),
            findings(analysis, offset),
        ) {
            (Some((name, word)), Some((found, _))) => {
                Some((format!("{}\n\n---\n\n{found}", name.trim_end()), word))
            }
            (name, found) => name.or(found),
        }
    })?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(document.lines.range(&document.text, span)),
    })
}

/// A rule named in a `# peerlint: allow …` comment.
fn suppressed_rule(
    document: &Document,
    analysis: &Analysis,
    offset: usize,
) -> Option<(String, Span)> {
    let comment = analysis
        .ast
        .comments
        .iter()
        .find(|c| c.span.start <= offset && offset <= c.span.end)?;
    if !comment.text.contains("peerlint:") {
        return None;
    }
    let word = word_at(&document.text, offset)?;
    let rule = analysis.rules.find(&document.text[word.range()])?;
    Some((rule_text(rule), word))
}

/// The findings whose words are under the cursor, each with its rule.
fn findings(analysis: &Analysis, offset: usize) -> Option<(String, Span)> {
    let hits: Vec<_> = analysis
        .report
        .findings
        .iter()
        .filter(|f| {
            let s = f.diagnostic.primary_span();
            s.start <= offset && offset <= s.end
        })
        .collect();
    let first = hits.first()?;
    let text = hits
        .iter()
        .filter_map(|f| {
            let rule = analysis.rules.rules.get(f.rule)?;
            Some(format!(
                "{}\n\n{}",
                markdown(&f.diagnostic.message),
                rule_text(rule)
            ))
        })
        .collect::<Vec<_>>()
        .join("\n\n---\n\n");
    Some((text, first.diagnostic.primary_span()))
}

pub fn rule_text(rule: &Rule) -> String {
    let s = &rule.spec;
    format!(
        "**{} · {}** ({}, {})\n\n{}\n\n{}",
        s.code,
        s.id,
        s.principle.title(),
        rule.level.as_str(),
        s.summary,
        s.explanation.trim_end()
    )
}

/// A role, body or clause: its declaration, and what it may and must do.
fn named(document: &Document, analysis: &Analysis, offset: usize) -> Option<(String, Span)> {
    let model = analysis.report.model.as_ref()?;
    let target = target_at(model, offset)?;
    let word = word_at(&document.text, offset).unwrap_or(Span::new(offset, offset));
    let node = model.node(target);
    let declaration = excerpt(&document.text, node.span().trim_end(&document.text));
    let mut text = fenced("charter", &declaration);
    if matches!(node.kind, Kind::Role | Kind::Body) {
        text.push_str(&holdings(document, model, target));
    }
    Some((text, word))
}

fn holdings(document: &Document, model: &Model, id: NodeId) -> String {
    let held: Vec<NodeId> = [Kind::Power, Kind::Duty, Kind::Prohibition, Kind::Vote]
        .into_iter()
        .flat_map(|k| model.of_kind(k).iter().copied())
        .filter(|n| model.node(*n).value("holder") == Some(&Value::Actor(Actor::Node(id))))
        .collect();
    if held.is_empty() {
        return "\n\nHolds no power or duty in this charter.".into();
    }
    let mut out = String::from("\n\nIn this charter:\n");
    for n in held.iter().take(MAX_HOLDINGS) {
        let node = model.node(*n);
        let statement = first_line(&document.text[node.span().trim_end(&document.text).range()]);
        let place = node
            .clause
            .map(|c| format!(" (clause {})", model.name_of(c)))
            .unwrap_or_default();
        out.push_str(&format!("- {}{}\n", markdown(&statement), markdown(&place)));
    }
    if held.len() > MAX_HOLDINGS {
        out.push_str(&format!("- …and {} more\n", held.len() - MAX_HOLDINGS));
    }
    out
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    line.trim_end_matches('{').trim_end().to_string()
}

fn excerpt(text: &str, span: Span) -> String {
    let lines: Vec<&str> = text[span.range()].lines().collect();
    if lines.len() <= MAX_LINES {
        return lines.join("\n");
    }
    format!("{}\n…", lines[..MAX_LINES].join("\n"))
}

/// The word at `offset`: letters, digits, `-`, `_` and `.` (rule ids, codes, names).
fn word_at(text: &str, offset: usize) -> Option<Span> {
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    (start < end).then(|| Span::new(start, end))
}
