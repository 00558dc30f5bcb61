//! Findings as the protocol's diagnostics: the rule's code with a link to its
//! documentation, the level in force, and the secondary places as related information.

use lsp_types::{
    CodeDescription, Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
    DiagnosticTag, Location, NumberOrString, Uri,
};

use super::document::Document;
use crate::diagnostic::{Diagnostic, Severity};
use crate::span::Span;
use crate::suppress;

/// Where the rules are documented; a finding's code links to its rule's section. The
/// documentation ships with the source peerlint was built from, so the link works on
/// the machine that built it; an editor can point elsewhere with the `rulesUrl`
/// initialization option.
pub fn rules_documentation() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    super::uri::from_path(std::path::Path::new(path))
        .map_or_else(String::new, |u| u.as_str().to_string())
}

pub fn to_lsp(document: &Document, d: &Diagnostic, docs: &str) -> LspDiagnostic {
    let range = document.lines.range(&document.text, d.primary_span());
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .skip(1)
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(
                document.uri.clone(),
                document.lines.range(&document.text, label.span),
            ),
            message: label.message.clone().unwrap_or_else(|| d.message.clone()),
        })
        .collect();
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    // Rules have documentation; structural problems (S…) explain themselves.
    let code_description = d
        .principle
        .and_then(|_| format!("{docs}#{}", d.name).parse::<Uri>().ok())
        .map(|href| CodeDescription { href });
    let unnecessary = d.code == suppress::UNUSED.0 || d.code == crate::model::UNUSED_ROLE.0;
    LspDiagnostic {
        range,
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.clone())),
        code_description,
        source: Some("peerlint".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: unnecessary.then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: None,
    }
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// A document that was not checked (over the size limit) gets one diagnostic, at its
/// start, saying why.
pub fn refused(document: &Document, why: &str) -> LspDiagnostic {
    LspDiagnostic {
        range: document.lines.range(&document.text, Span::new(0, 0)),
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some("peerlint".into()),
        message: why.to_string(),
        ..LspDiagnostic::default()
    }
}
