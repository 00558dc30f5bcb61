//! Every example in the language reference (`docs/language.md`) is a charter that
//! parses and resolves on its own, so that the reference cannot drift from the language.

use std::fmt::Write as _;
use std::path::Path;

use peerlint::diagnostic::{Diagnostic, Severity};
use peerlint::model;
use peerlint::syntax;

/// The reference must keep at least this many examples, so that the test cannot pass
/// because the examples were lost.
const MIN_EXAMPLES: usize = 25;

/// One fenced ```charter block of the reference.
struct Example {
    /// The line of the opening fence, counted from 1.
    fence_line: usize,
    source: String,
}

impl Example {
    /// The line of the reference on which a byte offset of the example falls.
    fn doc_line(&self, offset: usize) -> usize {
        let before = self.source.get(..offset).unwrap_or(&self.source);
        self.fence_line + 1 + before.matches('\n').count()
    }
}

fn reference() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/language.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The ```charter blocks of a Markdown text. Blocks fenced with another language (the
/// examples of errors are ```text) are skipped.
fn charter_examples(markdown: &str) -> Vec<Example> {
    let mut examples = Vec::new();
    let mut open: Option<(usize, bool, String)> = None;
    for (index, line) in markdown.lines().enumerate() {
        let trimmed = line.trim();
        match open.take() {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    open = Some((index + 1, info.trim() == "charter", String::new()));
                }
            }
            Some((fence_line, is_charter, source)) if trimmed == "```" => {
                if is_charter {
                    examples.push(Example { fence_line, source });
                }
            }
            Some((fence_line, is_charter, mut source)) => {
                source.push_str(line);
                source.push('\n');
                open = Some((fence_line, is_charter, source));
            }
        }
    }
    examples
}

fn describe(example: &Example, diagnostic: &Diagnostic) -> String {
    let line = example.doc_line(diagnostic.primary_span().start);
    format!(
        "    line {line}: {} ({}) {}",
        diagnostic.code, diagnostic.name, diagnostic.message
    )
}

#[test]
fn the_reference_has_enough_examples() {
    let examples = charter_examples(&reference());
    assert!(
        examples.len() >= MIN_EXAMPLES,
        "docs/language.md has {} ```charter examples, fewer than {MIN_EXAMPLES}",
        examples.len()
    );
}

#[test]
fn every_example_in_the_reference_parses_and_resolves() {
    let mut failures = String::new();
    for example in charter_examples(&reference()) {
        let parsed = syntax::parse(&example.source);
        let model = model::lower(&parsed.ast);
        let errors: Vec<&Diagnostic> = parsed
            .errors
            .iter()
            .chain(&model.diagnostics)
            .filter(|d| d.severity == Severity::Error)
            .collect();
        if errors.is_empty() {
            continue;
        }
        let _ = writeln!(
            failures,
            "the example at docs/language.md:{} does not check:",
            example.fence_line
        );
        for d in errors {
            let _ = writeln!(failures, "{}", describe(&example, d));
        }
    }
    assert!(failures.is_empty(), "\n{failures}");
}

#[test]
fn examples_are_found_with_their_fence_lines() {
    let markdown = "# Title\n\n```charter\nrole member\n```\n\n```text\nnot a charter\n```\n\n```charter\nrole a\nrole b\n```\n";
    let examples = charter_examples(markdown);
    let found: Vec<(usize, &str)> = examples
        .iter()
        .map(|e| (e.fence_line, e.source.as_str()))
        .collect();
    assert_eq!(found, vec![(3, "role member\n"), (11, "role a\nrole b\n")]);
    assert_eq!(examples[1].doc_line("role a\n".len()), 13);
}
