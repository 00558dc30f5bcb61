//! `peerlint test POLICY…`: every rule's examples must fire or stay silent as they say,
//! the way a policy author checks their own rules; a rule's fix must mend each example
//! that fires and leave a valid charter.

use std::path::{Path, PathBuf};

use super::{eprint, print};
use crate::check::{self, FileReport};
use crate::cli::{TestArgs, EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE};
use crate::diagnostic::Severity;
use crate::expect;
use crate::fix;
use crate::input;
use crate::policy::load::Rule;
use crate::policy::{Builder, Origin, RuleSet};
use crate::report::policy_error;
use crate::syntax::ast::Ast;

pub fn run(args: &TestArgs) -> u8 {
    if args.expect {
        return expectations(args);
    }
    let files = match policy_files(&args.paths) {
        Ok(f) => f,
        Err(m) => {
            eprint(&format!("error: {m}\n"));
            return EXIT_UNUSABLE;
        }
    };
    let rules = match load(&files) {
        Ok(r) => r,
        Err(text) => {
            eprint(&text);
            return EXIT_UNUSABLE;
        }
    };
    let tested: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let mut out = String::new();
    let (mut passed, mut failed) = (0usize, 0usize);
    for rule in rules
        .rules
        .iter()
        .filter(|r| tested.contains(&r.source.name))
    {
        let failures = run_rule(rule, &rules);
        let examples = rule.spec.examples.fires.len() + rule.spec.examples.silent.len();
        if failures.is_empty() {
            out.push_str(&format!("ok    {} ({} examples)\n", rule.spec.id, examples));
            passed += examples;
        } else {
            failed += failures.len();
            passed += examples.saturating_sub(failures.len());
            out.push_str(&format!("FAIL  {}\n", rule.spec.id));
            for f in failures {
                out.push_str(&f);
            }
        }
    }
    out.push_str(&format!("{passed} passed, {failed} failed\n"));
    print(&out);
    if failed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// `peerlint test --expect`: every annotated charter's findings against its annotations.
fn expectations(args: &TestArgs) -> u8 {
    let (files, errors) = input::discover(&args.paths);
    if let Some(e) = errors.first() {
        eprint(&format!("error: {e}\n"));
        return EXIT_UNUSABLE;
    }
    let start = files.first().map_or(Path::new("."), |f| f.as_path());
    let rules = match super::load_rules(start, &args.policy, false) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut out = String::new();
    let mut totals = expect::Outcome::default();
    let mut broken = false;
    for file in &files {
        let (report, tree) = match input::read(file) {
            Ok(text) => check::check_keeping_tree(file, text, &rules),
            Err(e) => (FileReport::unreadable(e), Default::default()),
        };
        if report.unusable.is_some() {
            out.push_str(&format!(
                "{}: cannot be checked (run `peerlint check` on it)\n",
                file.display()
            ));
            broken = true;
            continue;
        }
        let spans: Vec<_> = tree.comments.iter().map(|c| c.span).collect();
        let (annotations, annotation_errors) = expect::annotations(&report.source, &spans, &rules);
        let o = expect::compare(&report, annotations, annotation_errors);
        let lines = crate::lines::Lines::new(&report.source);
        let place = |offset: usize| {
            let line = lines.line_of(offset);
            let (start, _) = lines.range(line, report.source.len());
            let column = report.source[start..offset.min(report.source.len())]
                .chars()
                .count()
                + 1;
            format!("{}:{}:{}", file.display(), line + 1, column)
        };
        for e in &o.errors {
            out.push_str(&format!(
                "{}: error: {}\n",
                place(e.primary_span().start),
                e.message
            ));
        }
        for m in &o.misses {
            out.push_str(&format!(
                "{}: missed: `{}` reports nothing on line {}\n",
                place(m.span.start),
                m.rule,
                m.line + 1
            ));
        }
        for (f, silence) in &o.false_alarms {
            let why = if silence.is_some() {
                "despite expect-not"
            } else {
                "not expected"
            };
            out.push_str(&format!(
                "{}: false alarm ({why}): {} {}: {}\n",
                place(f.primary_span().start),
                f.code,
                f.name,
                f.message
            ));
        }
        out.push_str(&format!(
            "{}: {} expected, {} silences, {} missed, {} false alarms\n",
            file.display(),
            o.expected,
            o.silences,
            o.misses.len(),
            o.false_alarms.len()
        ));
        broken |= !o.errors.is_empty();
        totals.expected += o.expected;
        totals.silences += o.silences;
        totals.found += o.found;
        totals.reported += o.reported;
        totals.covered += o.covered;
        totals.misses.extend(o.misses);
        totals.false_alarms.extend(o.false_alarms);
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    out.push_str(&format!(
        "recall {:.3} ({} of {} expected findings reported), precision {:.3} ({} of {} findings expected)\n",
        ratio(totals.found, totals.expected),
        totals.found,
        totals.expected,
        ratio(totals.covered, totals.reported),
        totals.covered,
        totals.reported
    ));
    let failed = totals.misses.len() + totals.false_alarms.len();
    out.push_str(&format!(
        "{} passed, {} failed\n",
        totals.found
            + totals.silences.saturating_sub(
                totals
                    .false_alarms
                    .iter()
                    .filter(|(_, s)| s.is_some())
                    .count()
            ),
        failed
    ));
    print(&out);
    if broken {
        EXIT_UNUSABLE
    } else if failed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// The outcome of one example: what went wrong, if anything.
pub fn run_rule(rule: &Rule, rules: &RuleSet) -> Vec<String> {
    let mut failures = Vec::new();
    let examples = &rule.spec.examples;
    if examples.fires.is_empty() || examples.silent.is_empty() {
        failures.push(format!(
            "      the rule needs at least one example that fires and one that stays silent (it has {} and {})\n",
            examples.fires.len(),
            examples.silent.len()
        ));
    }
    let cases = examples
        .fires
        .iter()
        .enumerate()
        .map(|(i, e)| (true, i, e))
        .chain(
            examples
                .silent
                .iter()
                .enumerate()
                .map(|(i, e)| (false, i, e)),
        );
    for (should_fire, i, example) in cases {
        let what = if should_fire { "fires" } else { "silent" };
        let text = with_prelude(rule.prelude.as_deref(), example);
        let name = format!("{}#{}/{}/{}", rule.source.name, rule.spec.id, what, i + 1);
        let (report, tree) = check::check_keeping_tree(Path::new(&name), text, rules);
        let broken = structural_errors(&report);
        if !broken.is_empty() {
            failures.push(format!(
                "      {what} example {} is not a valid charter: {}\n{}",
                i + 1,
                broken.join("; "),
                indent(example)
            ));
            continue;
        }
        let hits: Vec<&str> = report
            .diagnostics
            .iter()
            .filter(|d| d.name == rule.spec.id)
            .map(|d| d.message.as_str())
            .collect();
        if should_fire && hits.is_empty() {
            failures.push(format!(
                "      fires example {} stayed silent:\n{}",
                i + 1,
                indent(example)
            ));
        } else if should_fire {
            if let Some(problem) = fix_problem(&report, &tree, rule, rules, hits.len()) {
                failures.push(format!(
                    "      the fix on fires example {} {problem}",
                    i + 1
                ));
            }
        } else if !should_fire && !hits.is_empty() {
            failures.push(format!(
                "      silent example {} fired: {}\n{}",
                i + 1,
                hits.join("; "),
                indent(example)
            ));
        }
    }
    failures
}

/// What is wrong with a rule's fix applied to its first finding in an example, if
/// anything: the edited charter must parse and the finding must be gone.
fn fix_problem(
    report: &FileReport,
    tree: &Ast,
    rule: &Rule,
    rules: &RuleSet,
    hits: usize,
) -> Option<String> {
    rule.spec.fix.as_ref()?;
    let model = report.model.as_ref()?;
    let finding = report
        .findings
        .iter()
        .find(|f| rules.rules[f.rule].spec.id == rule.spec.id)?;
    let Some((_, edit)) = fix::for_finding(&report.source, tree, model, rules, finding) else {
        return Some("cannot be placed: the finding is not about one statement".into());
    };
    let fixed = edit.apply(&report.source);
    let after = check::check_source(&report.path, fixed.clone(), rules);
    // The example as the author wrote it, without the prelude placed before it.
    let shown = rule
        .prelude
        .as_deref()
        .and_then(|p| fixed.strip_prefix(p))
        .unwrap_or(&fixed)
        .trim_start_matches('\n');
    let broken = structural_errors(&after);
    if !broken.is_empty() {
        return Some(format!(
            "leaves a charter that is not valid ({}):\n{}",
            broken.join("; "),
            indent(shown)
        ));
    }
    let left = after
        .diagnostics
        .iter()
        .filter(|d| d.name == rule.spec.id)
        .count();
    (left >= hits).then(|| format!("does not mend the finding:\n{}", indent(shown)))
}

/// The errors that make a text no valid charter (syntax, references), as opposed to
/// the findings of rules.
fn structural_errors(report: &FileReport) -> Vec<&str> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && d.principle.is_none())
        .map(|d| d.message.as_str())
        .collect()
}

/// An example that is a whole charter (it has a header) stands alone; any other is
/// placed after the policy's prelude.
pub fn with_prelude(prelude: Option<&str>, example: &str) -> String {
    let whole = example.trim_start().starts_with("charter ") || example.contains("\ncharter ");
    match prelude {
        Some(p) if !whole => format!("{p}\n{example}"),
        _ => example.to_string(),
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("        | {l}\n")).collect()
}

fn policy_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| format!("cannot read `{}`: {e}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(format!("no policy files (`*.yaml`) in `{}`", p.display()));
            }
            files.extend(found);
        } else if p.exists() {
            files.push(p.clone());
        } else {
            return Err(format!("`{}` does not exist", p.display()));
        }
    }
    Ok(files)
}

/// The default pack with the tested files in it; a tested file replaces the default
/// policy of the same name, so that the pack's own files can be tested in place.
fn load(files: &[PathBuf]) -> Result<RuleSet, String> {
    let mut builder =
        Builder::with_default_pack().map_err(|e| policy_error::render_policy_error(&e, false))?;
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    for f in files {
        let root = f
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map_or_else(|| cwd.clone(), Path::to_path_buf);
        builder
            .add_file_replacing(f, &root, Origin::CommandLine)
            .map_err(|e| policy_error::render(&e, false))?;
    }
    let mut rules = builder
        .build()
        .map_err(|e| policy_error::render_policy_error(&e, false))?;
    // A rule shipped switched off is still tested: its examples must hold when someone
    // switches it on.
    for rule in &mut rules.rules {
        if rule.level == crate::policy::spec::Level::Off {
            rule.level = crate::policy::spec::Level::Info;
        }
    }
    Ok(rules)
}
