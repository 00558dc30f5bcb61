//! `peerlint check`: every charter under the paths, with a summary and an exit code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{eprint, load_rules, print};
use crate::baseline;
use crate::check::{self, FileReport, Unusable};
use crate::cli::Format;
use crate::cli::{CheckArgs, EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE};
use crate::config;
use crate::diagnostic::Severity;
use crate::input;
use crate::policy::RuleSet;
use crate::report;
use crate::report::human::Human;

pub fn run(args: &CheckArgs) -> u8 {
    let color = args.color.enabled() && args.format == Format::Human;
    let mut human = Human::new(color, 100);
    human.max_per_file = args.max_findings;
    let (files, errors) = input::discover(&args.paths);
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
    let mut rules_in_force = None;
    if groups.is_empty() {
        match load_rules(Path::new("."), &args.policy, color) {
            Ok(r) => rules_in_force = Some(r),
            Err(code) => return code,
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
        rules_in_force = Some(rules);
    }
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    let Some(rules) = rules_in_force else {
        return EXIT_UNUSABLE;
    };
    let root = Path::new(".");
    let unusable = errors.len() + reports.iter().filter(|r| r.unusable.is_some()).count();

    if let Some(path) = &args.write_baseline {
        if unusable > 0 {
            eprint(&human.plain_error(&format!(
                "the baseline `{}` was not written: {} could not be checked",
                path.display(),
                plural(unusable, "input")
            )));
        } else if let Err(e) = baseline::write(&baseline::build(&reports, root), path) {
            eprint(&human.plain_error(&e.to_string()));
            return EXIT_UNUSABLE;
        }
    }
    let mut baselined = 0;
    if let Some(path) = &args.baseline {
        match baseline::read(path) {
            Ok(b) => baselined = baseline::filter(&mut reports, &b, root),
            Err(e) => {
                eprint(&human.plain_error(&e.to_string()));
                return EXIT_UNUSABLE;
            }
        }
    }

    let mut totals = [0usize; 3];
    let mut failing = false;
    let threshold = args.fail_on.threshold();
    for r in &reports {
        for d in &r.diagnostics {
            totals[d.severity as usize] += 1;
            if threshold.is_some_and(|t| d.severity >= t) {
                failing = true;
            }
        }
    }

    let out = match args.format {
        Format::Human => {
            let mut out = String::new();
            for e in &errors {
                out.push_str(&human.plain_error(&e.to_string()));
            }
            for r in &reports {
                if !args.quiet || matches!(r.unusable, Some(Unusable::Input(_))) {
                    out.push_str(&human.render_file(r));
                }
            }
            for r in &reports {
                if let Some(score) = &r.score {
                    out.push_str(&format!("{}: {}\n", r.path.display(), score.line()));
                }
            }
            out.push_str(&summary(reports.len(), totals, unusable, baselined));
            free_at_exit(reports);
            out
        }
        machine => {
            // Inputs that could not even be found are reported like unreadable files,
            // so that machine readers see them too.
            let mut all: Vec<FileReport> = errors.into_iter().map(FileReport::unreadable).collect();
            all.extend(reports);
            let out = match machine {
                Format::Json => report::json::render(&all, &rules, root),
                Format::Sarif => report::sarif::render(&all, &rules, root),
                Format::Github => report::github::render(&all, &rules, root),
                _ => report::junit::render(&all, &rules, root),
            };
            free_at_exit(all);
            out
        }
    };
    print(&out);
    if unusable > 0 {
        EXIT_UNUSABLE
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// The reports are not freed one node and one finding at a time: on a large charter
/// that took 8% of the check, for memory the process returns whole when it exits
/// right after printing.
fn free_at_exit(reports: Vec<FileReport>) {
    std::mem::forget(reports);
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn summary(files: usize, totals: [usize; 3], unusable: usize, baselined: usize) -> String {
    let mut line = format!(
        "checked {}: {}, {}, {}",
        plural(files, "file"),
        plural(totals[Severity::Error as usize], "error"),
        plural(totals[Severity::Warning as usize], "warning"),
        plural(totals[Severity::Info as usize], "info")
    );
    if baselined > 0 {
        line.push_str(&format!(
            "; {} in the baseline not shown",
            plural(baselined, "finding")
        ));
    }
    if unusable > 0 {
        line.push_str(&format!(
            "; {} could not be checked",
            plural(unusable, "input")
        ));
    }
    line.push('\n');
    line
}
