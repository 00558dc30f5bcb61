//! The rule reference: `peerlint rules`, `peerlint explain` and docs/rules.md, all from
//! the policies themselves.

use serde::Serialize;

use crate::diagnostic::Principle;
use crate::policy::load::Rule;
use crate::policy::RuleSet;

#[derive(Serialize)]
struct RuleJson<'a> {
    id: &'a str,
    code: &'a str,
    principle: Principle,
    level: &'a str,
    default_level: &'a str,
    matches: Vec<&'a str>,
    summary: &'a str,
    policy: &'a str,
}

pub fn table(rules: &RuleSet) -> String {
    let width = rules
        .rules
        .iter()
        .map(|r| r.spec.id.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut out = format!(
        "{:<6}  {:<width$}  {:<11}  {:<7}  summary\n",
        "code", "rule", "principle", "level"
    );
    for r in &rules.rules {
        out.push_str(&format!(
            "{:<6}  {:<width$}  {:<11}  {:<7}  {}\n",
            r.spec.code,
            r.spec.id,
            r.spec.principle.as_str(),
            r.level.as_str(),
            r.spec.summary
        ));
    }
    out
}

pub fn json(rules: &RuleSet) -> String {
    let list: Vec<RuleJson> = rules
        .rules
        .iter()
        .map(|r| RuleJson {
            id: &r.spec.id,
            code: &r.spec.code,
            principle: r.spec.principle,
            level: r.level.as_str(),
            default_level: r.spec.level.as_str(),
            matches: r.kinds.iter().map(|k| k.as_str()).collect(),
            summary: &r.spec.summary,
            policy: &r.source.name,
        })
        .collect();
    serde_json::to_string_pretty(&list).unwrap_or_default() + "\n"
}

/// `peerlint explain RULE`: what it flags, why, and examples.
pub fn explain(rule: &Rule) -> String {
    let s = &rule.spec;
    let mut out = format!(
        "{} {}: {}\n\nprinciple: {}    level: {}    matches: {}\n\n{}\n",
        s.code,
        s.id,
        s.summary,
        s.principle.title(),
        rule.level.as_str(),
        rule.kinds
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        s.explanation.trim_end()
    );
    if let Some(first) = s.examples.fires.first() {
        out.push_str("\nFlagged:\n\n");
        out.push_str(&indent(first));
    }
    if let Some(first) = s.examples.silent.first() {
        out.push_str("\nNot flagged:\n\n");
        out.push_str(&indent(first));
    }
    out
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

/// docs/rules.md, generated: a test fails when the committed file differs.
pub fn markdown(rules: &RuleSet) -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated from the default policy pack by `peerlint rules --format markdown`; do not edit by hand.\n\n",
    );
    out.push_str("| code | rule | principle | level | flags |\n|---|---|---|---|---|\n");
    for r in &rules.rules {
        out.push_str(&format!(
            "| {} | [`{}`](#{}) | {} | {} | {} |\n",
            r.spec.code,
            r.spec.id,
            r.spec.id,
            r.spec.principle.as_str(),
            r.spec.level.as_str(),
            r.spec.summary
        ));
    }
    for r in &rules.rules {
        let s = &r.spec;
        out.push_str(&format!(
            "\n## {}\n\n`{}` · {} · default level **{}** · matches {} · from `{}`\n\n{}\n",
            s.id,
            s.code,
            s.principle.title(),
            s.level.as_str(),
            r.kinds
                .iter()
                .map(|k| format!("`{}`", k.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
            r.source.name,
            s.explanation.trim_end()
        ));
        out.push_str(&format!(
            "\nCondition: `{}`",
            s.when.split_whitespace().collect::<Vec<_>>().join(" ")
        ));
        if let Some(scope) = &s.scope {
            out.push_str(&format!(
                ", applied where `{}`",
                scope.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
        }
        out.push_str(".\n");
        if let Some(fix) = &s.fix {
            out.push_str(&format!(
                "\nQuick fix in editors: {} (`{}`).\n",
                fix.title, fix.attribute
            ));
        }
        for (title, list) in [
            ("Flagged", &s.examples.fires),
            ("Not flagged", &s.examples.silent),
        ] {
            for ex in list {
                out.push_str(&format!("\n{title}:\n\n```charter\n{}```\n", ex));
            }
        }
    }
    out
}
