//! Quick fixes for the findings in a range: the rule's own fix, when it has one, and
//! a suppression to fill in with the reason the exception is accepted. An edit is only
//! offered when the charter it leaves still parses.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, TextEdit, WorkspaceEdit};

use super::diagnostics::to_lsp;
use super::document::{Analysis, Document};
use crate::fix::{self, Edit};
use crate::span::Span;
use crate::syntax;

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
            if parses(source, &edit) {
                actions.push(action(document, title, edit, &diagnostic, true));
            }
        }
        if let Some(node) = model.get(finding.node) {
            let edit = fix::suppress(source, node.span, &finding.diagnostic.code);
            let title = format!(
                "Accept as an exception: allow {} here, with a reason",
                finding.diagnostic.code
            );
            actions.push(action(document, title, edit, &diagnostic, false));
        }
    }
    actions
}

fn parses(source: &str, edit: &Edit) -> bool {
    syntax::parse(&edit.apply(source)).errors.is_empty()
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
