//! `peerlint check`: every charter under the paths, with a summary and an exit code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{load_rules, print};
use crate::check::{self, FileReport, Unusable};
use crate::cli::{CheckArgs, EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE};
use crate::config;
use crate::diagnostic::Severity;
use crate::input;
use crate::policy::RuleSet;
use crate::report::human::Human;

pub fn run(args: &CheckArgs) -> u8 {
    let color = args.color.enabled();
    let human = Human::new(color, 100);
    let (files, errors) = input::discover(&args.paths);
    let mut out = String::new();
    let mut unusable = errors.len();
    for e in &errors {
        out.push_str(&human.plain_error(&e.to_string()));
    }
    // Files under the same configuration share one rule set.
    let mut groups: BTreeMap<Option<PathBuf>, Vec<&PathBuf>> = BTreeMap::new();
    for f in &files {
        let key = if args.policy.config.is_some() {
            None
        } else {
            config::discover(f)
        };
        groups.entry(key).or_default().push(f);
    }
    // With no charter to check, the policies and configuration are still loaded, so
    // that an error in them is not hidden behind "no charters".
    if groups.is_empty() {
        if let Err(code) = load_rules(Path::new("."), &args.policy, color) {
            return code;
        }
    }
    let mut reports: Vec<FileReport> = Vec::new();
    for group in groups.values() {
        let start: &Path = group.first().map_or(Path::new("."), |p| p.as_path());
        let rules: RuleSet = match load_rules(start, &args.policy, color) {
            Ok(r) => r,
            Err(code) => return code,
        };
        let checked: Vec<FileReport> = group
            .par_iter()
            .map(|f| check::check_path(f, &rules))
            .collect();
        reports.extend(checked);
    }
    reports.sort_by(|a, b| a.path.cmp(&b.path));

    let mut totals = [0usize; 3];
    let mut failing = false;
    let threshold = args.fail_on.threshold();
    for r in &reports {
        if r.unusable.is_some() {
            unusable += 1;
        }
        for d in &r.diagnostics {
            totals[d.severity as usize] += 1;
            if threshold.is_some_and(|t| d.severity >= t) {
                failing = true;
            }
        }
        if !args.quiet || matches!(r.unusable, Some(Unusable::Input(_))) {
            out.push_str(&human.render_file(r));
        }
    }
    for r in &reports {
        if let Some(score) = &r.score {
            out.push_str(&format!("{}: {}\n", r.path.display(), score.line()));
        }
    }
    out.push_str(&summary(reports.len(), totals, unusable));
    print(&out);
    if unusable > 0 {
        EXIT_UNUSABLE
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

fn summary(files: usize, totals: [usize; 3], unusable: usize) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let mut line = format!(
        "checked {}: {}, {}, {}",
        plural(files, "file"),
        plural(totals[Severity::Error as usize], "error"),
        plural(totals[Severity::Warning as usize], "warning"),
        plural(totals[Severity::Info as usize], "info")
    );
    if unusable > 0 {
        line.push_str(&format!(
            "; {} could not be checked",
            plural(unusable, "input")
        ));
    }
    line.push('\n');
    line
}
