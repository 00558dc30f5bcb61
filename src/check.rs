//! One charter through every stage: read, parse, lower, check.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Severity};
use crate::input::{self, InputError};
use crate::model::{self, Model};
use crate::policy::{engine, RuleSet};
use crate::score::{self, Score};
use crate::suppress::{self, Suppression};
use crate::syntax::{self, ast::Ast};

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
    /// Findings hidden by a suppression with a reason that has not expired.
    pub suppressed: Vec<Suppressed>,
    /// Every well-formed suppression in the file, used or not.
    pub suppressions: Vec<Suppression>,
}

/// A finding and the exception that hides it.
#[derive(Debug, Clone)]
pub struct Suppressed {
    pub finding: Diagnostic,
    pub suppression: Suppression,
}

#[derive(Debug)]
pub enum Unusable {
    Input(InputError),
    Syntax,
}

impl FileReport {
    /// A file that could not be read at all.
    pub fn unreadable(error: InputError) -> Self {
        let path = match &error {
            InputError::NotFound(p)
            | InputError::Unreadable(p, _)
            | InputError::TooLarge(p, _)
            | InputError::Binary(p)
            | InputError::Empty(p)
            | InputError::NoCharters(p) => p.clone(),
            InputError::NotUtf8 { path, .. } => path.clone(),
        };
        FileReport {
            path,
            source: Arc::from(""),
            diagnostics: Vec::new(),
            unusable: Some(Unusable::Input(error)),
            model: None,
            score: None,
            findings: Vec::new(),
            suppressed: Vec::new(),
            suppressions: Vec::new(),
        }
    }

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
        Err(e) => FileReport::unreadable(e),
    }
}

pub fn check_source(path: &Path, text: String, rules: &RuleSet) -> FileReport {
    // The report keeps the text: copied into its shared form before the syntax tree
    // exists, so that two copies are never alive beside the tree and the model.
    let source: Arc<str> = Arc::from(text);
    let parsed = syntax::parse(&source);
    check_parsed(path, source, parsed, rules, false).0
}

/// [`check_source`], returning the syntax tree too, for callers that look at where
/// things are written after the check (comments, statements to fix).
pub fn check_keeping_tree(path: &Path, text: String, rules: &RuleSet) -> (FileReport, Ast) {
    let source: Arc<str> = Arc::from(text);
    let parsed = syntax::parse(&source);
    let (report, tree) = check_parsed(path, source, parsed, rules, true);
    (report, tree.unwrap_or_default())
}

/// The check of a text already parsed. The syntax tree is returned when `keep_tree` is
/// set: an editor parses with its cache, and answers questions about where things are
/// written (outline, quick fixes) after the check. Otherwise it is freed as soon as the
/// model is built.
pub fn check_parsed(
    path: &Path,
    source: Arc<str>,
    parsed: syntax::Parsed,
    rules: &RuleSet,
    keep_tree: bool,
) -> (FileReport, Option<Ast>) {
    let text: &str = &source;
    let syntax::Parsed { ast, errors } = parsed;
    let mut unusable = None;
    let mut diagnostics = errors;
    if !diagnostics.is_empty() {
        unusable = Some(Unusable::Syntax);
    } else if ast.items.is_empty() {
        unusable = Some(Unusable::Input(InputError::Empty(path.to_path_buf())));
    }
    let model = model::lower(&ast);
    // The tree is the largest structure of a check and the rules read only the model:
    // freed here, it is never alive beside the findings.
    let comment_spans: Vec<_> = ast.comments.iter().map(|c| c.span).collect();
    let tree = keep_tree.then_some(ast);
    // A file with nothing in it gets one message, not also a missing header.
    if !matches!(unusable, Some(Unusable::Input(_))) {
        diagnostics.extend(model.diagnostics.iter().cloned());
    }
    let mut score = None;
    let mut findings = Vec::new();
    let mut suppressed = Vec::new();
    let mut all_suppressions = Vec::new();
    if unusable.is_none() {
        let mut outcome = engine::run(rules, &model);
        diagnostics.append(&mut outcome.errors);
        let (suppressions, malformed) = suppress::parse(text, &comment_spans, rules);
        diagnostics.extend(malformed);
        let applied = suppress::apply(
            text,
            outcome.findings.iter().map(|f| &f.diagnostic),
            &suppressions,
            &suppress::today(),
        );
        diagnostics.extend(applied.diagnostics);
        let hidden: std::collections::BTreeMap<usize, usize> = applied.hidden.into_iter().collect();
        for (i, f) in outcome.findings.into_iter().enumerate() {
            match hidden.get(&i) {
                Some(&si) => {
                    // An accepted exception is no longer a finding, but its check still
                    // counts: the score says how the charter fares with its exceptions.
                    if let Some(p) = f.diagnostic.principle {
                        let tally = outcome.tallies.entry(p).or_default();
                        tally.findings = tally.findings.saturating_sub(1);
                        tally.failed_weight -= engine::level_weight(f.diagnostic.severity);
                    }
                    suppressed.push(Suppressed {
                        finding: f.diagnostic,
                        suppression: suppressions[si].clone(),
                    });
                }
                None => {
                    diagnostics.push(f.diagnostic.clone());
                    findings.push(f);
                }
            }
        }
        score = Some(score::score(&outcome.tallies));
        all_suppressions = suppressions;
    }
    diagnostics.sort_by(|a, b| {
        (a.primary_span().start, &a.code, &a.message).cmp(&(
            b.primary_span().start,
            &b.code,
            &b.message,
        ))
    });
    let report = FileReport {
        path: path.to_path_buf(),
        source,
        diagnostics,
        unusable,
        model: Some(model),
        score,
        findings,
        suppressed,
        suppressions: all_suppressions,
    };
    (report, tree)
}
