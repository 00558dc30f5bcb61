//! The bundled example charters through the real binary: every finding is pinned in a
//! snapshot (read before it was accepted), and lowering loses nothing.

mod common;

use std::path::{Path, PathBuf};

use common::Test;
use peerlint::model::{self, Kind};
use peerlint::syntax::{self, ast};

fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "charter"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "at least five examples");
    files
}

fn name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn every_example_checks_as_its_snapshot_says() {
    for path in examples() {
        let text = std::fs::read_to_string(&path).expect("readable");
        let file = format!("{}.charter", name(&path));
        let out = Test::new()
            .file(&file, &text)
            .args(["check", "--color", "never", &file])
            .run();
        assert_ne!(out.code, Some(2), "{file} must parse:\n{}", out.stdout);
        insta::with_settings!({ snapshot_suffix => name(&path) }, {
            insta::assert_snapshot!(out.snapshot());
        });
    }
}

#[test]
fn every_example_is_between_60_and_300_lines() {
    for path in examples() {
        let lines = std::fs::read_to_string(&path)
            .expect("readable")
            .lines()
            .count();
        assert!(
            (60..=300).contains(&lines),
            "{} has {lines} lines",
            path.display()
        );
    }
}

/// Counts clauses and statements straight from the text: a line that opens with
/// `clause` is a clause; inside a clause's braces, every line at the clause's own depth
/// that is not blank, a comment or a closing brace starts a statement.
fn count_in_source(text: &str) -> (usize, usize) {
    let (mut clauses, mut statements) = (0, 0);
    let mut depth = 0usize;
    let mut clause_depth: Option<usize> = None;
    let mut in_string = false;
    for line in text.lines() {
        let trimmed = line.trim();
        let line_starts_at = depth;
        if !in_string {
            if trimmed.starts_with("clause ") {
                clauses += 1;
                clause_depth = Some(depth + 1);
            } else if clause_depth == Some(line_starts_at)
                && !trimmed.is_empty()
                && !trimmed.starts_with('#')
                && !trimmed.starts_with('}')
                && !trimmed.starts_with("then ")
            {
                statements += split_statements(trimmed);
            }
        }
        // A one-line clause (`clause 1 { a; b }`) holds its statements on the same line.
        if trimmed.starts_with("clause ") {
            if let (Some(open), Some(close)) = (trimmed.find('{'), trimmed.rfind('}')) {
                if open < close {
                    statements += split_statements(&trimmed[open + 1..close]);
                }
            }
        }
        for c in line.chars() {
            match c {
                '"' => in_string = !in_string,
                '{' if !in_string => depth += 1,
                '}' if !in_string => {
                    depth = depth.saturating_sub(1);
                    if clause_depth.is_some_and(|d| depth < d) {
                        clause_depth = None;
                    }
                }
                '#' if !in_string => break,
                _ => {}
            }
        }
    }
    (clauses, statements)
}

/// How many statements a line holds: `;` outside quotes separates them.
fn split_statements(line: &str) -> usize {
    let mut in_string = false;
    let mut parts = vec![String::new()];
    for c in line.chars() {
        match c {
            '"' => in_string = !in_string,
            ';' if !in_string => parts.push(String::new()),
            '#' if !in_string => break,
            _ => {}
        }
        if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts
        .iter()
        .filter(|p| !p.trim().trim_start_matches(';').trim().is_empty())
        .count()
}

fn clauses_in(items: &[ast::Item], out: &mut Vec<ast::Clause>) {
    for item in items {
        match item {
            ast::Item::Clause(c) => out.push(c.clone()),
            ast::Item::Article(a) => clauses_in(&a.items, out),
            _ => {}
        }
    }
}

#[test]
fn lowering_keeps_every_clause_and_statement() {
    for path in examples() {
        let text = std::fs::read_to_string(&path).expect("readable");
        let parsed = syntax::parse(&text);
        assert!(
            parsed.errors.is_empty(),
            "{}: {:?}",
            path.display(),
            parsed.errors
        );
        let mut clauses = Vec::new();
        clauses_in(&parsed.ast.items, &mut clauses);
        let ast_statements: usize = clauses.iter().map(|c| c.statements.len()).sum();
        let (source_clauses, source_statements) = count_in_source(&text);
        assert_eq!(
            clauses.len(),
            source_clauses,
            "{}: clauses in the tree",
            path.display()
        );
        assert_eq!(
            ast_statements,
            source_statements,
            "{}: statements in the tree",
            path.display()
        );

        let m = model::lower(&parsed.ast);
        assert_eq!(
            m.of_kind(Kind::Clause).len(),
            source_clauses,
            "{}: clauses in the model",
            path.display()
        );
        // Every statement is a node, or was gathered into one (`also_in`), or is text
        // kept on its clause, or is a `regarding` that added safeguards to another.
        let statement_kinds = [
            Kind::Power,
            Kind::Duty,
            Kind::Prohibition,
            Kind::Vote,
            Kind::Decision,
            Kind::Consent,
            Kind::Disclosure,
            Kind::Grant,
            Kind::Exemption,
            Kind::Dispute,
            Kind::AppealRoute,
        ];
        let nodes: usize = statement_kinds.iter().map(|k| m.of_kind(*k).len()).sum();
        let gathered: usize = m.ids().map(|id| m.also_in(id).len()).sum();
        let texts: usize = clauses
            .iter()
            .flat_map(|c| &c.statements)
            .filter(|s| matches!(s.kind, ast::StatementKind::Text(_)))
            .count();
        assert_eq!(
            nodes + gathered + texts,
            source_statements,
            "{}: statements in the model",
            path.display()
        );
    }
}

#[test]
fn the_dictator_version_of_pandas_scores_lower_on_equality() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let out = Test::new()
        .file(
            "bdfl.charter",
            std::fs::read(dir.join("pandas-bdfl.charter")).expect("readable"),
        )
        .file(
            "committee.charter",
            std::fs::read(dir.join("pandas-steering-committee.charter")).expect("readable"),
        )
        .args(["check", "bdfl.charter", "committee.charter"])
        .run();
    let equality = |file: &str| -> f64 {
        let line = out
            .stdout
            .lines()
            .find(|l| l.starts_with(file))
            .expect("a score line");
        let after = line
            .split("equality of peers ")
            .nth(1)
            .expect("an equality score");
        after
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok())
            .expect("a number")
    };
    assert!(
        equality("bdfl.charter") + 30.0 <= equality("committee.charter"),
        "{}",
        out.stdout
    );
}

#[test]
fn every_rule_of_the_default_pack_fires_on_some_example() {
    let rules = peerlint::policy::Builder::with_default_pack()
        .and_then(peerlint::policy::Builder::build)
        .expect("the default pack loads");
    let mut fired = std::collections::BTreeSet::new();
    for path in examples() {
        let text = std::fs::read_to_string(&path).expect("readable");
        let report = peerlint::check::check_source(&path, text, &rules);
        fired.extend(report.findings.iter().map(|f| f.diagnostic.name.clone()));
    }
    let silent: Vec<&str> = rules
        .rules
        .iter()
        .map(|r| r.spec.id.as_str())
        .filter(|id| !fired.contains(*id))
        .collect();
    assert!(
        silent.is_empty(),
        "rules that fire on no example: {silent:?}"
    );
}
