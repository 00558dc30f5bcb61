//! The generic rule engine: visits each node once per rule that matches its kind, and
//! turns each violation into a finding that names the charter's own roles and clauses.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::eval::{Ev, Evaluator};
use super::load::Rule;
use super::template::{Part, Template};
use super::RuleSet;
use crate::diagnostic::{ClauseRef, Diagnostic, Label, Principle, Severity};
use crate::model::{trim_number, Actor, DaysDisplay, Kind, Model, NodeId, Value};

pub const RULE_FAILED: (&str, &str) = ("E001", "rule-failed");

/// How many nodes each principle's rules applied to, and how they fared: the input of
/// the P2P-correctness score.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    /// Weighted by level: a check of an error-level rule weighs more than an info one.
    pub checked_weight: f64,
    pub failed_weight: f64,
    pub checks: usize,
    pub findings: usize,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    /// Rules that could not be evaluated (reported, never fatal to the others).
    pub errors: Vec<Diagnostic>,
    pub tallies: BTreeMap<Principle, Tally>,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: usize,
    pub node: NodeId,
    /// Shared with the report's list of diagnostics: a large charter has tens of
    /// thousands of findings, and one copy of each is enough.
    pub diagnostic: Arc<Diagnostic>,
}

/// The weight of one check or finding at a level, for scoring.
pub fn level_weight(severity: Severity) -> f64 {
    match severity {
        Severity::Error => 3.0,
        Severity::Warning => 2.0,
        Severity::Info => 1.0,
    }
}

pub fn run(rules: &RuleSet, model: &Model) -> Outcome {
    let mut outcome = Outcome::default();
    let mut eval = Evaluator::new(model, &rules.vocabularies);
    for kind in Kind::ALL {
        let nodes = model.of_kind(kind);
        if nodes.is_empty() {
            continue;
        }
        let applicable: Vec<(usize, &Rule, Severity)> = rules
            .for_kind(kind)
            .iter()
            .filter_map(|&i| {
                let rule = &rules.rules[i];
                rule.level.severity().map(|s| (i, rule, s))
            })
            .collect();
        // A rule that cannot be evaluated is reported once and not tried again.
        let mut failed = vec![false; applicable.len()];
        // Node by node, every rule of its kind: the node's fields are read by all of
        // them while they are in the cache, where rule by rule a large charter's model
        // was read from memory once per rule.
        for &node in nodes {
            for (slot, &(rule_index, rule, severity)) in applicable.iter().enumerate() {
                if failed[slot] {
                    continue;
                }
                match visit(&mut eval, rule, node) {
                    Ok(Visit::NotApplicable) => {}
                    Ok(outcome_of_visit) => {
                        let tally = outcome.tallies.entry(rule.spec.principle).or_default();
                        tally.checks += 1;
                        tally.checked_weight += level_weight(severity);
                        if let Visit::Violated = outcome_of_visit {
                            tally.findings += 1;
                            tally.failed_weight += level_weight(severity);
                            let diagnostic = finding(&mut eval, rule, severity, node);
                            outcome.findings.push(Finding {
                                rule: rule_index,
                                node,
                                diagnostic: Arc::new(diagnostic),
                            });
                        }
                    }
                    Err(message) => {
                        outcome.errors.push(rule_error(rule, model, node, &message));
                        failed[slot] = true;
                    }
                }
            }
        }
    }
    outcome.findings.sort_by(|a, b| {
        let (x, y) = (&a.diagnostic, &b.diagnostic);
        (x.primary_span().start, &x.code, a.node).cmp(&(y.primary_span().start, &y.code, b.node))
    });
    outcome
}

enum Visit {
    NotApplicable,
    Held,
    Violated,
}

fn visit<'m>(eval: &mut Evaluator<'m>, rule: &'m Rule, node: NodeId) -> Result<Visit, String> {
    if let Some(scope) = &rule.scope {
        if !eval.test(scope, node).map_err(|e| e.0)? {
            return Ok(Visit::NotApplicable);
        }
    }
    Ok(if eval.test(&rule.when, node).map_err(|e| e.0)? {
        Visit::Violated
    } else {
        Visit::Held
    })
}

fn finding<'m>(
    eval: &mut Evaluator<'m>,
    rule: &'m Rule,
    severity: Severity,
    node: NodeId,
) -> Diagnostic {
    let model = eval.model;
    let n = model.node(node);
    let message = render(eval, &rule.message, node);
    let mut d = Diagnostic::error(
        &rule.spec.code,
        &rule.spec.id,
        message,
        Label::new(n.focus(), rule.spec.summary.clone()),
    )
    .with_severity(severity)
    .with_help_opt(rule.help.as_ref().map(|h| render(eval, h, node)));
    for place in &rule.also {
        if let Some(condition) = &place.when {
            if !eval.test(condition, node).unwrap_or(false) {
                continue;
            }
        }
        if let Ok((value, Some(span))) = eval.value(&place.path, node) {
            if span != n.focus() && !matches!(value, Ev::Absent) {
                let label = place
                    .label
                    .clone()
                    .unwrap_or_else(|| place.path.to_string());
                d = d.with_label(Label::new(span, label));
            }
        }
    }
    d.principle = Some(rule.spec.principle);
    d.clause = clause_ref(
        model,
        n.clause.or(if n.kind == Kind::Clause {
            Some(node)
        } else {
            None
        }),
    );
    d
}

pub fn clause_ref(model: &Model, clause: Option<NodeId>) -> Option<crate::diagnostic::ClauseRef> {
    let c = model.get(clause?)?;
    Some(ClauseRef {
        id: Arc::clone(c.shared_text("id")?),
        title: c.shared_text("title").cloned(),
    })
}

fn rule_error(rule: &Rule, model: &Model, node: NodeId, message: &str) -> Diagnostic {
    let n = model.node(node);
    Diagnostic::error(
        RULE_FAILED.0,
        RULE_FAILED.1,
        format!("rule `{}` could not be checked: {message}", rule.spec.id),
        Label::new(n.focus(), "while checking this"),
    )
    .with_help(format!(
        "the rule comes from {}; the other rules were checked",
        rule.source.name
    ))
}

/// Fills a template's placeholders with the names the charter uses.
pub fn render<'m>(eval: &mut Evaluator<'m>, template: &'m Template, node: NodeId) -> String {
    let mut out = String::new();
    for part in &template.parts {
        match part {
            Part::Text(t) => out.push_str(t),
            Part::Value(value) => {
                let text = match eval.value_of(value, node) {
                    Ok(v) => display(eval.model, &v),
                    Err(_) => String::from("?"),
                };
                out.push_str(&text);
            }
        }
    }
    out
}

pub fn display(model: &Model, v: &Ev) -> String {
    match v {
        // Absent values render as nothing, so that `{from_clause}{from}` shows whichever is set.
        Ev::Absent => String::new(),
        Ev::Node(id) => node_name(model, *id),
        Ev::Words(words) => join(words.iter().cloned().collect()),
        Ev::Val(v) => display_value(model, v),
        Ev::Own(v) => display_value(model, v),
    }
}

fn node_name(model: &Model, id: NodeId) -> String {
    match model.node(id).kind {
        Kind::Clause => format!("clause {}", model.name_of(id)),
        _ => model.name_of(id),
    }
}

fn display_value(model: &Model, v: &Value) -> String {
    match v {
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::Num(n) if *n > 0.0 && *n < 1.0 => format!("{}%", trim_number(n * 100.0)),
        Value::Num(n) => trim_number(*n),
        Value::Days(d) => DaysDisplay(*d).to_string(),
        Value::Text(s) | Value::Word(s) | Value::Vague(s) => s.to_string(),
        Value::Actor(Actor::Node(id)) | Value::Node(id) => node_name(model, *id),
        Value::Actor(a) => model.actor_name(a),
        Value::List(items) => join(items.iter().map(|i| display_value(model, i)).collect()),
        Value::None => "none".into(),
        Value::Open => "any reason".into(),
    }
}

fn join(items: Vec<String>) -> String {
    match items.as_slice() {
        [] => "nothing".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {}", init.join(", "), last),
    }
}
