//! The JSON report: a versioned schema for programs that read peerlint's results
//! (docs/json-output.md). Within a version, fields are only ever added.
//!
//! This file also holds what every machine-readable format needs from a report: the
//! line and column of a byte offset, a path relative to the project root, and the
//! reason a file could not be checked.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use serde::Serialize;

use crate::check::{FileReport, Unusable};
use crate::diagnostic::{Diagnostic, Principle, Severity};
use crate::lines::Lines;
use crate::policy::RuleSet;
use crate::score::Score;

/// The schema's version: raised only when a field is removed, renamed or changes
/// meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// Every file's results with a summary, as pretty-printed JSON ending in a newline.
pub fn render(reports: &[FileReport], _rules: &RuleSet, root: &Path) -> String {
    let output = Output {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        files: reports.iter().map(|r| file(r, root)).collect(),
        summary: summary(reports),
    };
    serde_json::to_string_pretty(&output).unwrap_or_default() + "\n"
}

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    files: Vec<File<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct File<'a> {
    path: String,
    checked: bool,
    unusable: Option<UnusableJson>,
    score: Option<ScoreJson>,
    diagnostics: Vec<DiagnosticJson<'a>>,
}

#[derive(Serialize)]
struct UnusableJson {
    reason: &'static str,
    message: String,
}

#[derive(Serialize)]
struct ScoreJson {
    overall: Option<f64>,
    checks: usize,
    findings: usize,
    principles: BTreeMap<&'static str, PrincipleJson>,
}

#[derive(Serialize)]
struct PrincipleJson {
    score: f64,
    checks: usize,
    findings: usize,
}

#[derive(Serialize)]
struct DiagnosticJson<'a> {
    code: &'a str,
    rule: &'a str,
    level: Severity,
    principle: Option<Principle>,
    message: &'a str,
    help: Option<&'a str>,
    clause: Option<ClauseJson<'a>>,
    labels: Vec<LabelJson<'a>>,
}

#[derive(Serialize)]
struct ClauseJson<'a> {
    id: &'a str,
    title: Option<&'a str>,
}

#[derive(Serialize)]
struct LabelJson<'a> {
    primary: bool,
    message: Option<&'a str>,
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    unusable: usize,
}

fn file<'a>(report: &'a FileReport, root: &Path) -> File<'a> {
    let lines = LineIndex::new(&report.source);
    File {
        path: relative_path(&report.path, root),
        checked: report.unusable.is_none(),
        unusable: report.unusable.as_ref().map(|u| UnusableJson {
            reason: match u {
                Unusable::Input(_) => "input",
                Unusable::Syntax => "syntax",
            },
            message: unusable_message(u),
        }),
        score: report.score.as_ref().map(score),
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| diagnostic(d, &lines))
            .collect(),
    }
}

fn score(s: &Score) -> ScoreJson {
    ScoreJson {
        overall: s.overall,
        checks: s.principles.values().map(|p| p.checks).sum(),
        findings: s.principles.values().map(|p| p.findings).sum(),
        principles: s
            .principles
            .iter()
            .map(|(p, s)| {
                (
                    p.as_str(),
                    PrincipleJson {
                        score: s.score,
                        checks: s.checks,
                        findings: s.findings,
                    },
                )
            })
            .collect(),
    }
}

fn diagnostic<'a>(d: &'a Diagnostic, lines: &LineIndex) -> DiagnosticJson<'a> {
    DiagnosticJson {
        code: &d.code,
        rule: &d.name,
        level: d.severity,
        principle: d.principle,
        message: &d.message,
        help: d.help.as_deref(),
        clause: d.clause.as_ref().map(|c| ClauseJson {
            id: &c.id,
            title: c.title.as_deref(),
        }),
        labels: d
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| LabelJson {
                primary: i == 0,
                message: l.message.as_deref(),
                start: lines.position(l.span.start),
                end: lines.position(l.span.end),
            })
            .collect(),
    }
}

fn summary(reports: &[FileReport]) -> Summary {
    let count = |s: Severity| reports.iter().map(|r| r.count(s)).sum();
    Summary {
        files: reports.len(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
        unusable: reports.iter().filter(|r| r.unusable.is_some()).count(),
    }
}

/// Why a file could not be checked, in words.
pub fn unusable_message(unusable: &Unusable) -> String {
    match unusable {
        Unusable::Input(e) => e.to_string(),
        Unusable::Syntax => "the charter has syntax errors, so no rule was checked".into(),
    }
}

/// A place in a source: its byte offset, and its 1-based line and column. `column`
/// counts Unicode scalar values; `column_utf16` counts UTF-16 code units, as editors
/// built on JavaScript and the SARIF format do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Position {
    pub offset: usize,
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub column_utf16: usize,
}

/// The byte offset where each line starts, found once per source, so that each
/// position costs a binary search and a walk along one line.
pub struct LineIndex<'s> {
    source: &'s str,
    lines: Lines,
}

impl<'s> LineIndex<'s> {
    pub fn new(source: &'s str) -> Self {
        LineIndex {
            source,
            lines: Lines::new(source),
        }
    }

    /// The position of a byte offset; an offset past the end or inside a character is
    /// moved back to the nearest character boundary.
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.boundary(offset);
        let line = self.lines.line_of(offset);
        let start = self.lines.start(line).unwrap_or(0);
        let before = self.source.get(start..offset).unwrap_or("");
        Position {
            offset,
            line: line + 1,
            column: before.chars().count() + 1,
            column_utf16: before.encode_utf16().count() + 1,
        }
    }

    /// The whole lines that a byte range touches, without their line ends.
    pub fn lines_of(&self, start: usize, end: usize) -> &'s str {
        let start = self.boundary(start);
        let end = self.boundary(end.max(start));
        let from = self.source.get(..start).and_then(|s| s.rfind('\n'));
        let from = from.map_or(0, |i| i + 1);
        let to = self
            .source
            .get(end..)
            .and_then(|s| s.find('\n'))
            .map_or(self.source.len(), |i| end + i);
        self.source
            .get(from..to)
            .unwrap_or("")
            .trim_end_matches('\r')
    }

    /// The text of a byte range, or nothing when it does not fall on characters.
    pub fn text(&self, start: usize, end: usize) -> &'s str {
        self.source.get(start..end).unwrap_or("")
    }

    fn boundary(&self, offset: usize) -> usize {
        let mut at = offset.min(self.source.len());
        while !self.source.is_char_boundary(at) {
            at -= 1;
        }
        at
    }
}

/// A report's path relative to `root`, with forward slashes whatever the platform.
/// A path outside `root` is kept as it was given.
pub fn relative_path(path: &Path, root: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let mut out = String::new();
    for c in relative.components() {
        let part = match c {
            Component::Prefix(p) => p.as_os_str().to_string_lossy(),
            Component::RootDir => {
                out.push('/');
                continue;
            }
            Component::CurDir => continue,
            Component::ParentDir => "..".into(),
            Component::Normal(s) => s.to_string_lossy(),
        };
        if !out.is_empty() && !out.ends_with('/') {
            out.push('/');
        }
        out.push_str(&part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_utf16_units() {
        let lines = LineIndex::new("ab\n\u{e9}\u{1f600}x\nlast");
        let p = lines.position(3 + 2 + 4);
        assert_eq!((p.line, p.column, p.column_utf16), (2, 3, 4));
        assert_eq!(lines.position(0).line, 1);
        assert_eq!(lines.position(3).line, 2);
        let end = lines.position(1000);
        assert_eq!((end.offset, end.line, end.column), (15, 3, 5));
    }

    #[test]
    fn an_offset_inside_a_character_moves_back_to_its_start() {
        let lines = LineIndex::new("\u{e9}t\u{e9}");
        assert_eq!(lines.position(1).offset, 0);
    }

    #[test]
    fn the_lines_of_a_range_are_whole_lines() {
        let lines = LineIndex::new("one\r\n  two three\nfour\n");
        assert_eq!(lines.lines_of(9, 12), "  two three");
        assert_eq!(lines.lines_of(9, 20), "  two three\nfour");
    }

    #[test]
    fn paths_are_relative_to_the_root_with_forward_slashes() {
        let root = Path::new("/project");
        assert_eq!(
            relative_path(Path::new("/project/docs/a.charter"), root),
            "docs/a.charter"
        );
        assert_eq!(
            relative_path(Path::new("./docs/a.charter"), Path::new(".")),
            "docs/a.charter"
        );
        assert_eq!(
            relative_path(Path::new("/elsewhere/a.charter"), root),
            "/elsewhere/a.charter"
        );
    }
}
