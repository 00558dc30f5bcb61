//! One charter through every stage: read, parse, lower, check.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Severity};
use crate::input::{self, InputError};
use crate::model::{self, Model};
use crate::policy::{engine, RuleSet};
use crate::score::{self, Score};
use crate::span::Span;
use crate::suppress::{self, Suppression};
use crate::syntax::{self, ast::Ast};

/// Everything peerlint found in one file.
#[derive(Debug)]
pub struct FileReport {
    pub path: PathBuf,
    pub source: Arc<str>,
    /// Sorted by position, then code. A finding's diagnostic is the one its
    /// [`engine::Finding`] holds.
    pub diagnostics: Vec<Arc<Diagnostic>>,
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
    // Each clause is lowered as soon as it is parsed and freed before the next: on a
    // large charter the whole syntax tree would be the largest structure of the check.
    let syntax::Declarations { items, rest } = syntax::parse_declarations(&source);
    let mut lowerer = model::Lowerer::without_references(&items);
    // Lowered, the declarations are not needed again.
    drop(items);
    let parsing = rest.parse_each(&source, |item| lowerer.item(&item));
    let model = lowerer.finish();
    let lowered = Lowered {
        errors: parsing.errors,
        comments: parsing.comments,
        empty: parsing.items == 0,
        model,
    };
    check_lowered(path, source, lowered, rules)
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
    let syntax::Parsed { ast, errors } = parsed;
    let lowered = Lowered {
        errors,
        comments: ast.comments.iter().map(|c| c.span).collect(),
        empty: ast.items.is_empty(),
        model: model::lower(&ast),
    };
    // The tree is the largest structure of a check and the rules read only the model:
    // freed here, it is never alive beside the findings.
    let tree = keep_tree.then_some(ast);
    (check_lowered(path, source, lowered, rules), tree)
}

/// A charter parsed and lowered, whichever way: what the rules and suppressions need.
struct Lowered {
    errors: Vec<Diagnostic>,
    comments: Vec<Span>,
    /// No item parsed.
    empty: bool,
    model: Model,
}

fn check_lowered(path: &Path, source: Arc<str>, lowered: Lowered, rules: &RuleSet) -> FileReport {
    let text: &str = &source;
    let Lowered {
        errors,
        comments: comment_spans,
        empty,
        model,
    } = lowered;
    let mut unusable = None;
    let mut diagnostics: Vec<Arc<Diagnostic>> = errors.into_iter().map(Arc::new).collect();
    if !diagnostics.is_empty() {
        unusable = Some(Unusable::Syntax);
    } else if empty {
        unusable = Some(Unusable::Input(InputError::Empty(path.to_path_buf())));
    }
    // A file with nothing in it gets one message, not also a missing header.
    if !matches!(unusable, Some(Unusable::Input(_))) {
        diagnostics.extend(model.diagnostics.iter().cloned().map(Arc::new));
    }
    let mut score = None;
    let mut findings = Vec::new();
    let mut suppressed = Vec::new();
    let mut all_suppressions = Vec::new();
    if unusable.is_none() {
        let mut outcome = engine::run(rules, &model);
        diagnostics.extend(outcome.errors.drain(..).map(Arc::new));
        let (suppressions, malformed) = suppress::parse(text, &comment_spans, rules);
        diagnostics.extend(malformed.into_iter().map(Arc::new));
        let applied = suppress::apply(
            text,
            outcome.findings.iter().map(|f| &*f.diagnostic),
            &suppressions,
            &suppress::today(),
        );
        diagnostics.extend(applied.diagnostics.into_iter().map(Arc::new));
        let hidden: std::collections::BTreeMap<usize, usize> = applied.hidden.into_iter().collect();
        // The findings stay in the list the rules filled, and only their copies for the
        // report's list are made: on a large charter a second list of findings, or one
        // grown by doubling, would be the peak of the check.
        let mut index = 0;
        outcome.findings.retain(|f| {
            let i = index;
            index += 1;
            let Some(&si) = hidden.get(&i) else {
                return true;
            };
            // An accepted exception is no longer a finding, but its check still counts:
            // the score says how the charter fares with its exceptions.
            if let Some(p) = f.diagnostic.principle {
                let tally = outcome.tallies.entry(p).or_default();
                tally.findings = tally.findings.saturating_sub(1);
                tally.failed_weight -= engine::level_weight(f.diagnostic.severity);
            }
            suppressed.push(Suppressed {
                finding: Diagnostic::clone(&f.diagnostic),
                suppression: suppressions[si].clone(),
            });
            false
        });
        findings = outcome.findings;
        findings.shrink_to_fit();
        diagnostics.reserve_exact(findings.len());
        diagnostics.extend(findings.iter().map(|f| Arc::clone(&f.diagnostic)));
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
    FileReport {
        path: path.to_path_buf(),
        source,
        diagnostics,
        unusable,
        model: Some(model),
        score,
        findings,
        suppressed,
        suppressions: all_suppressions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn charters(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                charters(&path, out);
            } else if path.extension().is_some_and(|e| e == "charter") {
                out.push(path);
            }
        }
    }

    /// Everything a report says, positions included, one line per item.
    fn exact(report: &FileReport) -> Vec<String> {
        let model = report.model.as_ref().unwrap();
        let mut lines: Vec<String> = report
            .diagnostics
            .iter()
            .map(|d| format!("{d:?}"))
            .collect();
        lines.extend(model.nodes.iter().map(|n| format!("{n:?}")));
        lines.extend(model.ids().map(|id| format!("{:?}", model.also_in(id))));
        lines.push(format!("{:?} {:?}", model.top_roles, model.diagnostics));
        lines.push(format!("{:?} {:?}", report.score, report.unusable));
        lines
    }

    /// The check that lowers clause by clause must say exactly what the check of a
    /// whole tree says: on every charter of the repository (broken ones included),
    /// with clauses named before they are defined, and with declarations after the
    /// clauses that use them. (Only the editor's path lists references.)
    #[test]
    fn lowering_item_by_item_gives_what_the_whole_tree_gives() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["examples", "tests"] {
            charters(&root.join(dir), &mut files);
        }
        files.sort();
        let mut texts: Vec<(String, String)> = files
            .iter()
            .filter_map(|f| Some((f.display().to_string(), std::fs::read_to_string(f).ok()?)))
            .collect();
        texts.push((
            "forward references".into(),
            "clause 1 {\n  member is exempt from clause 3 { reason \"x\" }\n  regarding clause 2 { notice 14 days }\n  member is exempt from clause 9\n}\nclause 2 {\n  board may suspend member\n}\nclause 3 {\n  regarding clause 4 { hearing before board }\n}\nclause 4 {\n  board may fine member\n}\nrole member\nbody board = every member\ncharter \"Late\" { kind bylaws }\n".into(),
        ));
        texts.push(("generated".into(), crate::generate::charter(40_000, 3)));
        let rules = crate::policy::Builder::with_default_pack()
            .unwrap()
            .build()
            .unwrap();
        for (name, text) in texts {
            let path = Path::new("x.charter");
            let streamed = check_source(path, text.clone(), &rules);
            let (whole, _) = check_parsed(
                path,
                Arc::from(text.as_str()),
                syntax::parse(&text),
                &rules,
                false,
            );
            let (streamed, whole) = (exact(&streamed), exact(&whole));
            let first = streamed.iter().zip(&whole).position(|(a, b)| a != b);
            assert!(
                first.is_none() && streamed.len() == whole.len(),
                "{name}: from line {first:?}:\n{:?}\n{:?}",
                first.map(|i| &streamed[i]),
                first.map(|i| &whole[i]),
            );
        }
    }
}
