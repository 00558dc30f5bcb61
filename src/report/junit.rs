//! JUnit XML, for CI systems that show test results: each charter is a test suite, each
//! rule that ran on it a test case, and each finding a failure of its rule.

use super::markup::{escape, text};
use std::fmt::Write as _;
use std::path::Path;

use super::json::{relative_path, unusable_message, LineIndex};
use crate::check::{FileReport, Unusable};
use crate::diagnostic::Diagnostic;
use crate::policy::RuleSet;

pub fn render(reports: &[FileReport], rules: &RuleSet, root: &Path) -> String {
    let suites: Vec<Suite> = reports.iter().map(|r| suite(r, rules, root)).collect();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
        env!("CARGO_PKG_NAME"),
        suites.iter().map(|s| s.cases.len()).sum::<usize>(),
        suites.iter().map(Suite::failures).sum::<usize>(),
        suites.iter().map(Suite::errors).sum::<usize>(),
    );
    for s in &suites {
        s.write(&mut out);
    }
    out.push_str("</testsuites>\n");
    out
}

struct Suite {
    name: String,
    cases: Vec<Case>,
}

struct Case {
    name: String,
    /// `failure` or `error`.
    element: &'static str,
    problems: Vec<Problem>,
}

struct Problem {
    message: String,
    kind: String,
    body: String,
}

impl Suite {
    fn failures(&self) -> usize {
        self.count("failure")
    }

    fn errors(&self) -> usize {
        self.count("error")
    }

    fn count(&self, element: &str) -> usize {
        self.cases
            .iter()
            .filter(|c| c.element == element && !c.problems.is_empty())
            .count()
    }

    fn write(&self, out: &mut String) {
        let name = escape(&self.name);
        let _ = writeln!(
            out,
            "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
            self.cases.len(),
            self.failures(),
            self.errors()
        );
        for case in &self.cases {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{name}\"",
                escape(&case.name)
            );
            if case.problems.is_empty() {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            for p in &case.problems {
                let _ = writeln!(
                    out,
                    "      <{e} message=\"{}\" type=\"{}\">{}</{e}>",
                    escape(&p.message),
                    escape(&p.kind),
                    text(&p.body),
                    e = case.element
                );
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
}

fn suite(report: &FileReport, rules: &RuleSet, root: &Path) -> Suite {
    let path = relative_path(&report.path, root);
    let lines = LineIndex::new(&report.source);
    let problem = |d: &Diagnostic| {
        let at = lines.position(d.primary_span().start);
        let mut body = format!("{path}:{}:{}: {}", at.line, at.column, d.severity.as_str());
        if let Some(c) = &d.clause {
            let _ = write!(body, " in clause {}", c.id);
            if let Some(t) = &c.title {
                let _ = write!(body, " \"{t}\"");
            }
        }
        if let Some(help) = &d.help {
            let _ = write!(body, "\nhelp: {help}");
        }
        Problem {
            message: d.message.clone(),
            kind: format!("{} {}", d.code, d.name),
            body,
        }
    };
    if let Some(u) = &report.unusable {
        // The rules did not run: one error says why, with every problem found.
        let mut body = String::new();
        for d in &report.diagnostics {
            let at = lines.position(d.primary_span().start);
            let _ = writeln!(body, "{path}:{}:{}: {}", at.line, at.column, d.message);
        }
        let kind = match u {
            Unusable::Input(_) => "input",
            Unusable::Syntax => "syntax",
        };
        return Suite {
            name: path.clone(),
            cases: vec![Case {
                name: "check".into(),
                element: "error",
                problems: vec![Problem {
                    message: unusable_message(u),
                    kind: kind.into(),
                    body: body.trim_end().to_string(),
                }],
            }],
        };
    }
    // Each rule that visited something in the charter, in the rule set's order.
    let mut cases: Vec<Case> = rules
        .rules
        .iter()
        .filter(|r| {
            let ran = r.level.severity().is_some()
                && report
                    .model
                    .as_ref()
                    .is_some_and(|m| r.kinds.iter().any(|k| !m.of_kind(*k).is_empty()));
            ran || report.diagnostics.iter().any(|d| d.name == r.spec.id)
        })
        .map(|r| Case {
            name: r.spec.id.clone(),
            element: "failure",
            problems: Vec::new(),
        })
        .collect();
    for d in &report.diagnostics {
        let p = problem(d);
        match cases.iter_mut().find(|c| c.name == d.name) {
            Some(case) => case.problems.push(p),
            // A problem of the charter's structure, which no rule reports.
            None => cases.push(Case {
                name: d.name.clone(),
                element: "failure",
                problems: vec![p],
            }),
        }
    }
    Suite { name: path, cases }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_forbidden_characters_are_escaped() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
        assert_eq!(
            escape("a\u{1b}[31m\u{0}b\u{ffff}"),
            "a\u{fffd}[31m\u{fffd}b\u{fffd}"
        );
        assert_eq!(escape("one\ntwo\tthree\r"), "one&#10;two&#9;three&#13;");
        assert_eq!(text("one\ntwo\tthree\r"), "one\ntwo\tthree&#13;");
        assert_eq!(text("\"'<&>"), "\"'&lt;&amp;&gt;");
    }
}
