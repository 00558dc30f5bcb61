//! `peerlint waivers`: the register of exceptions the charters grant themselves.

use std::path::Path;

use super::{load_rules, print};
use crate::annotation::Target;
use crate::check::{self, FileReport};
use crate::cli::{WaiversArgs, EXIT_CLEAN, EXIT_UNUSABLE};
use crate::input;
use crate::lines::Lines;
use crate::model::Kind;
use crate::suppress::{self, Suppression};

pub fn run(args: &WaiversArgs) -> u8 {
    let (files, errors) = input::discover(&args.paths);
    let mut out = String::new();
    for e in &errors {
        out.push_str(&format!("error: {e}\n"));
    }
    let start = files.first().map_or(Path::new("."), |f| f.as_path());
    let rules = match load_rules(start, &args.policy, false) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let today = suppress::today();
    let mut rows: Vec<[String; 7]> = Vec::new();
    for f in &files {
        let report = check::check_path(f, &rules);
        for s in &report.suppressions {
            rows.push([
                report.path.display().to_string(),
                clause_of(&report, s),
                s.rules.join(", "),
                s.reason.clone().unwrap_or_else(|| "(none given)".into()),
                s.approved_by.clone().unwrap_or_else(|| "-".into()),
                s.expires.clone().unwrap_or_else(|| "-".into()),
                status(&report, s, &today).into(),
            ]);
        }
    }
    let header = [
        "file",
        "clause",
        "rule",
        "reason",
        "approved by",
        "expires",
        "status",
    ];
    let mut widths = header.map(str::len);
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 7]| {
        let parts: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        parts.join("  ").trim_end().to_string() + "\n"
    };
    out.push_str(&line(header));
    for r in &rows {
        out.push_str(&line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5], &r[6]]));
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    out.push_str(&format!(
        "{} in {}\n",
        plural(rows.len(), "exception", "exceptions"),
        plural(files.len(), "file", "files")
    ));
    print(&out);
    if errors.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_UNUSABLE
    }
}

fn clause_of(report: &FileReport, s: &Suppression) -> String {
    match &s.target {
        Target::Clause(id) => id.clone(),
        Target::Line(line) => {
            let (start, _) = Lines::new(&report.source).range(*line, report.source.len());
            report
                .model
                .as_ref()
                .and_then(|m| {
                    m.of_kind(Kind::Clause)
                        .iter()
                        .find(|c| {
                            m.node(**c).span().start <= start && start < m.node(**c).span().end
                        })
                        .map(|c| m.name_of(*c))
                })
                .unwrap_or_else(|| "-".into())
        }
    }
}

fn status(report: &FileReport, s: &Suppression, today: &str) -> &'static str {
    if s.reason.is_none() {
        "not applied: no reason"
    } else if s.is_expired(today) {
        "expired"
    } else if report
        .suppressed
        .iter()
        .any(|x| x.suppression.span == s.span)
    {
        "in force"
    } else {
        "unused"
    }
}
