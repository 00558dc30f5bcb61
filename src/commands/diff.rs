//! `peerlint diff OLD NEW`: what a revision of a draft introduced, resolved and kept,
//! with findings matched by clause and content rather than line numbers.

use std::collections::BTreeSet;
use std::path::Path;

use super::{load_rules, print};
use crate::baseline;
use crate::check::{self, FileReport};
use crate::cli::{DiffArgs, EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE};
use crate::diagnostic::{Diagnostic, Principle};
use crate::lines::Lines;
use crate::model::Kind;
use crate::report::human::Human;

/// One finding, known by clause, rule and the fingerprint of its clause's content.
struct Keyed<'a> {
    finding: &'a Diagnostic,
    exact: (Option<String>, String, String),
    loose: (Option<String>, String),
}

fn keyed(report: &FileReport) -> Vec<Keyed<'_>> {
    report
        .findings
        .iter()
        .map(|f| {
            let e = baseline::entry(report, &f.diagnostic, Path::new(""));
            Keyed {
                finding: &f.diagnostic,
                exact: (e.clause.clone(), e.rule.clone(), e.fingerprint),
                loose: (e.clause, e.rule),
            }
        })
        .collect()
}

pub fn run(args: &DiffArgs) -> u8 {
    let rules = match load_rules(&args.new, &args.policy, false) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let old = check::check_path(&args.old, &rules);
    let new = check::check_path(&args.new, &rules);
    if old.unusable.is_some() || new.unusable.is_some() {
        let human = Human::new(false, 100);
        let mut out = String::new();
        for r in [&old, &new] {
            if r.unusable.is_some() {
                out.push_str(&human.render_file(r));
            }
        }
        out.push_str("the drafts cannot be compared until both can be checked\n");
        print(&out);
        return EXIT_UNUSABLE;
    }
    let (old_keys, new_keys) = (keyed(&old), keyed(&new));
    let mut old_left: Vec<bool> = vec![true; old_keys.len()];
    let mut status: Vec<Option<&'static str>> = vec![None; new_keys.len()];
    // First the same finding in an unchanged clause, then the same rule in the same
    // clause whose wording changed.
    for pass in 0..2 {
        for (ni, n) in new_keys.iter().enumerate() {
            if status[ni].is_some() {
                continue;
            }
            let found = old_keys.iter().enumerate().find(|(oi, o)| {
                old_left[*oi]
                    && if pass == 0 {
                        o.exact == n.exact
                    } else {
                        o.loose == n.loose
                    }
            });
            if let Some((oi, _)) = found {
                old_left[oi] = false;
                status[ni] = Some(if pass == 0 {
                    "unchanged"
                } else {
                    "kept in a reworded clause"
                });
            }
        }
    }
    let introduced: Vec<&Keyed> = new_keys
        .iter()
        .zip(&status)
        .filter(|(_, s)| s.is_none())
        .map(|(k, _)| k)
        .collect();
    let resolved: Vec<&Keyed> = old_keys
        .iter()
        .zip(&old_left)
        .filter(|(_, l)| **l)
        .map(|(k, _)| k)
        .collect();
    let unchanged = status.iter().filter(|s| **s == Some("unchanged")).count();
    let reworded = status
        .iter()
        .filter(|s| **s == Some("kept in a reworded clause"))
        .count();

    let mut out = format!("{} → {}\n", args.old.display(), args.new.display());
    let (old_ids, new_ids) = (clause_ids(&old), clause_ids(&new));
    if !old_ids.is_empty() && !new_ids.is_empty() && old_ids.is_disjoint(&new_ids) {
        out.push_str(
            "note: the two charters share no clause number; they look unrelated, so every finding is compared as new or resolved\n",
        );
    }
    out.push_str(&format!("\nintroduced ({}):\n", introduced.len()));
    for k in &introduced {
        out.push_str(&line(k.finding, &new));
    }
    out.push_str(&format!("\nresolved ({}):\n", resolved.len()));
    for k in &resolved {
        out.push_str(&line(k.finding, &old));
    }
    out.push_str(&format!(
        "\nunchanged: {unchanged}; kept in reworded clauses: {reworded}\n"
    ));
    out.push_str(&scores(&old, &new));
    print(&out);
    let threshold = args.fail_on.threshold();
    if introduced
        .iter()
        .any(|k| threshold.is_some_and(|t| k.finding.severity >= t))
    {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

fn clause_ids(report: &FileReport) -> BTreeSet<String> {
    report.model.as_ref().map_or_else(BTreeSet::new, |m| {
        m.of_kind(Kind::Clause)
            .iter()
            .map(|c| m.name_of(*c))
            .collect()
    })
}

fn line(d: &Diagnostic, report: &FileReport) -> String {
    let (l, c) = Lines::new(&report.source).place(&report.source, d.primary_span().start);
    let clause = d
        .clause
        .as_ref()
        .map_or_else(String::new, |c| match &c.title {
            Some(t) => format!(" clause {} \"{}\":", c.id, t),
            None => format!(" clause {}:", c.id),
        });
    format!(
        "  {} {} {}{} {} ({}:{l}:{c})\n",
        d.severity.as_str(),
        d.code,
        d.name,
        clause,
        crate::report::human::sanitize(&d.message),
        report.path.display()
    )
}

fn scores(old: &FileReport, new: &FileReport) -> String {
    let (Some(a), Some(b)) = (&old.score, &new.score) else {
        return String::new();
    };
    let mut parts = Vec::new();
    for p in Principle::ALL {
        if let (Some(x), Some(y)) = (a.principles.get(&p), b.principles.get(&p)) {
            parts.push(format!(
                "{} {:.0} → {:.0} ({:+.0})",
                p.title(),
                x.score,
                y.score,
                y.score - x.score
            ));
        }
    }
    if let (Some(x), Some(y)) = (a.overall, b.overall) {
        parts.push(format!("overall {x:.0} → {y:.0} ({:+.0})", y - x));
    }
    format!("P2P-correctness: {}\n", parts.join(", "))
}
