//! Quick fixes for the findings in a range: the rule's own fix, when it has one, and
//! a suppression to fill in with the reason the exception is accepted. An edit is only
//! offered when the charter it leaves still parses.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, TextEdit, WorkspaceEdit};

use super::diagnostics::to_lsp;
use super::document::{Analysis, Document};
use crate::fix::{self, Edit};
use crate::span::Span;
use crate::syntax::{self, ast::Ast};

pub fn code_actions(
    document: &Document,
    analysis: &Analysis,
    range: Span,
    docs: &str,
) -> Vec<CodeActionOrCommand> {
    let Some(model) = analysis.report.model.as_ref() else {
        return Vec::new();
    };
    // The text the check read: offsets are the document's, line ends the parser's.
    let source: &str = &analysis.report.source;
    let mut actions = Vec::new();
    for finding in &analysis.report.findings {
        let span = finding.diagnostic.primary_span();
        if span.end < range.start || span.start > range.end {
            continue;
        }
        let diagnostic = to_lsp(document, &finding.diagnostic, docs);
        if let Some((title, edit)) =
            fix::for_finding(source, &analysis.ast, model, &analysis.rules, finding)
        {
            if parses(source, &analysis.ast, &edit) {
                actions.push(action(document, title, edit, &diagnostic, true));
            }
        }
        if let Some(node) = model.get(finding.node) {
            let edit = fix::suppress(source, node.span(), &finding.diagnostic.code);
            let title = format!(
                "Accept as an exception: allow {} here, with a reason",
                finding.diagnostic.code
            );
            actions.push(action(document, title, edit, &diagnostic, false));
        }
    }
    actions
}

/// Whether the charter still parses with the edit. Only the top-level item the edit
/// falls in can change, so only that item is parsed again: a request for the actions
/// of a whole document must not parse it once per finding.
fn parses(source: &str, ast: &Ast, edit: &Edit) -> bool {
    let within = ast
        .items
        .iter()
        .map(|item| item.span())
        .find(|s| s.start <= edit.span.start && edit.span.end <= s.end);
    let text = match within {
        Some(item) => format!(
            "{}{}{}",
            &source[item.start..edit.span.start],
            edit.text,
            &source[edit.span.end..item.end]
        ),
        None => edit.apply(source),
    };
    syntax::parse(&text).errors.is_empty()
}

fn action(
    document: &Document,
    title: String,
    edit: Edit,
    diagnostic: &lsp_types::Diagnostic,
    preferred: bool,
) -> CodeActionOrCommand {
    let text_edit = TextEdit {
        range: document.lines.range(&document.text, edit.span),
        new_text: edit.text,
    };
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(document.uri.clone(), vec![text_edit])])),
            ..WorkspaceEdit::default()
        }),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    })
}
