//! One charter through every stage: read, parse, lower, check.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Severity};
use crate::input::{self, InputError};
use crate::model::{self, Model};
use crate::policy::{engine, RuleSet};
use crate::score::{self, Score};
use crate::syntax;

/// Everything peerlint found in one file.
#[derive(Debug)]
pub struct FileReport {
    pub path: PathBuf,
    pub source: Arc<str>,
    /// Sorted by position, then code.
    pub diagnostics: Vec<Diagnostic>,
    /// Set when the file could not be read or parsed; its other results are partial.
    pub unusable: Option<Unusable>,
    pub model: Option<Model>,
    /// None when the rules did not run (the file could not be parsed).
    pub score: Option<Score>,
    /// The findings' rule indexes into the rule set, parallel to nothing: kept for
    /// renderers that need the rule's documentation.
    pub findings: Vec<engine::Finding>,
}

#[derive(Debug)]
pub enum Unusable {
    Input(InputError),
    Syntax,
}

impl FileReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

pub fn check_path(path: &Path, rules: &RuleSet) -> FileReport {
    match input::read(path) {
        Ok(text) => check_source(path, text, rules),
        Err(e) => FileReport {
            path: path.to_path_buf(),
            source: Arc::from(""),
            diagnostics: Vec::new(),
            unusable: Some(Unusable::Input(e)),
            model: None,
            score: None,
            findings: Vec::new(),
        },
    }
}

pub fn check_source(path: &Path, text: String, rules: &RuleSet) -> FileReport {
    let parsed = syntax::parse(&text);
    let mut unusable = None;
    let mut diagnostics = parsed.errors;
    if !diagnostics.is_empty() {
        unusable = Some(Unusable::Syntax);
    } else if parsed.ast.items.is_empty() {
        unusable = Some(Unusable::Input(InputError::Empty(path.to_path_buf())));
    }
    let model = model::lower(&parsed.ast);
    // A file with nothing in it gets one message, not also a missing header.
    if !matches!(unusable, Some(Unusable::Input(_))) {
        diagnostics.extend(model.diagnostics.iter().cloned());
    }
    let mut score = None;
    let mut findings = Vec::new();
    if unusable.is_none() {
        let outcome = engine::run(rules, &model);
        diagnostics.extend(outcome.errors);
        diagnostics.extend(outcome.findings.iter().map(|f| f.diagnostic.clone()));
        findings = outcome.findings;
        score = Some(score::score(&outcome.tallies));
    }
    diagnostics.sort_by(|a, b| {
        (a.primary_span().start, &a.code, &a.message).cmp(&(
            b.primary_span().start,
            &b.code,
            &b.message,
        ))
    });
    FileReport {
        path: path.to_path_buf(),
        source: Arc::from(text),
        diagnostics,
        unusable,
        model: Some(model),
        score,
        findings,
    }
}
