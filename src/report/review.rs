//! The reviewer's report of one draft (`peerlint review`): its score per principle,
//! then clause by clause its prose, its findings with their explanation and suggested
//! wording, the situations it allows in plain words, and which clauses are sound.
//! Markdown, or one self-contained HTML page with an inline SVG chart.

use std::collections::BTreeMap;

use super::markup::{self, escape};
use crate::check::FileReport;
use crate::diagnostic::{Diagnostic, Principle, Severity};
use crate::lines::Lines;
use crate::model::{Kind, Model, NodeId};
use crate::policy::engine::render;
use crate::policy::eval::Evaluator;
use crate::policy::RuleSet;
use crate::report::human::sanitize;

/// What the report says, independent of its format.
struct Review {
    title: String,
    facts: Vec<(String, String)>,
    errors: Vec<String>,
    scores: Vec<(String, f64, usize, usize)>,
    overall: Option<f64>,
    clauses: Vec<ClauseReview>,
    general: Vec<Item>,
    /// What the draft allows, in plain words: each finding's scenario, in order.
    situations: Vec<String>,
}

struct ClauseReview {
    id: String,
    title: Option<String>,
    text: Option<String>,
    items: Vec<Item>,
}

struct Item {
    level: Severity,
    code: String,
    rule: String,
    message: String,
    why: String,
    help: Option<String>,
    suggestion: Option<String>,
    scenario: Option<String>,
    place: String,
}

fn build(report: &FileReport, rules: &RuleSet) -> Review {
    let lines = Lines::new(&report.source);
    let place = |d: &Diagnostic| {
        let (l, c) = lines.place(&report.source, d.primary_span().start);
        format!("line {l}, column {c}")
    };
    let empty = Model::default();
    let model = report.model.as_ref().unwrap_or(&empty);
    let charter = model.of_kind(Kind::Charter).first().map(|c| model.node(*c));
    let text_of = |name: &str| charter.and_then(|c| c.text(name)).map(str::to_string);
    let title = text_of("name").unwrap_or_else(|| report.path.display().to_string());
    let mut facts = vec![("file".to_string(), report.path.display().to_string())];
    for (label, field) in [
        ("kind", "kind"),
        ("version", "version"),
        ("effective", "effective"),
    ] {
        if let Some(v) = text_of(field) {
            facts.push((label.into(), v));
        }
    }
    let errors = if report.unusable.is_some() {
        report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error && d.principle.is_none())
            .map(|d| format!("{} ({}): {}", sanitize(&d.message), place(d), d.code))
            .collect()
    } else {
        Vec::new()
    };
    let (scores, overall) = match &report.score {
        Some(s) => (
            Principle::ALL
                .iter()
                .filter_map(|p| {
                    s.principles
                        .get(p)
                        .map(|x| (p.title().to_string(), x.score, x.checks, x.findings))
                })
                .collect(),
            s.overall,
        ),
        None => (Vec::new(), None),
    };
    // Findings grouped by the clause they are in.
    let mut eval = Evaluator::new(model, &rules.vocabularies);
    let mut by_clause: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    let mut general = Vec::new();
    for f in &report.findings {
        let Some(rule) = rules.rules.get(f.rule) else {
            continue;
        };
        let d = &f.diagnostic;
        let item = Item {
            level: d.severity,
            code: d.code.clone(),
            rule: d.name.clone(),
            message: sanitize(&d.message),
            why: why_it_matters(&rule.spec.explanation),
            help: d.help.as_deref().map(sanitize),
            suggestion: rendered(&mut eval, rule.suggestion.as_ref(), f.node),
            scenario: rendered(&mut eval, rule.scenario.as_ref(), f.node),
            place: place(d),
        };
        match &d.clause {
            Some(c) => by_clause.entry(c.id.to_string()).or_default().push(item),
            None => general.push(item),
        }
    }
    let clauses: Vec<ClauseReview> = model
        .of_kind(Kind::Clause)
        .iter()
        .map(|id| {
            let n = model.node(*id);
            let cid = n.text("id").unwrap_or_default().to_string();
            ClauseReview {
                items: by_clause.remove(&cid).unwrap_or_default(),
                id: cid,
                title: n.text("title").map(sanitize),
                text: n.text("text").map(sanitize),
            }
        })
        .collect();
    let situations = clauses
        .iter()
        .flat_map(|c| &c.items)
        .chain(&general)
        .filter_map(|i| i.scenario.clone())
        .collect();
    Review {
        situations,
        title: sanitize(&title),
        facts,
        errors,
        scores,
        overall,
        clauses,
        general,
    }
}

fn rendered<'m>(
    eval: &mut Evaluator<'m>,
    template: Option<&'m crate::policy::template::Template>,
    node: NodeId,
) -> Option<String> {
    template.map(|t| sanitize(&render(eval, t, node)))
}

/// The "Why it matters" paragraph of a rule's explanation, or its first paragraph.
fn why_it_matters(explanation: &str) -> String {
    let paragraphs: Vec<&str> = explanation.split("\n\n").map(str::trim).collect();
    let why = paragraphs
        .iter()
        .find(|p| p.starts_with("Why it matters:"))
        .or_else(|| paragraphs.first())
        .copied()
        .unwrap_or_default();
    why.trim_start_matches("Why it matters:")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn markdown(report: &FileReport, rules: &RuleSet) -> String {
    let r = build(report, rules);
    let md = markup::markdown;
    let mut out = format!("# Review of {}\n\n", md(&r.title));
    for (k, v) in &r.facts {
        out.push_str(&format!("- {k}: {}\n", md(v)));
    }
    if !r.errors.is_empty() {
        out.push_str("\n## The draft does not parse\n\nThese errors must be mended before the draft can be checked; the clauses that could be read are shown below, without findings.\n\n");
        for e in &r.errors {
            out.push_str(&format!("- {}\n", md(e)));
        }
    }
    if let Some(overall) = r.overall {
        out.push_str(&format!("\n## P2P-correctness: {overall:.0}/100\n\n| principle | score | | checks | findings |\n|---|---|---|---|---|\n"));
        for (name, score, checks, findings) in &r.scores {
            let bar = "█".repeat((score / 10.0).round() as usize);
            out.push_str(&format!(
                "| {name} | {score:.0} | `{bar:<10}` | {checks} | {findings} |\n"
            ));
        }
    }
    if !r.situations.is_empty() {
        out.push_str("\n## What this draft allows\n\n");
        for s in &r.situations {
            out.push_str(&format!("- {}\n", md(s)));
        }
    }
    if !r.general.is_empty() {
        out.push_str("\n## The charter as a whole\n\n");
        for i in &r.general {
            out.push_str(&item_markdown(i));
        }
    }
    out.push_str("\n## Clause by clause\n");
    for c in &r.clauses {
        let title = c
            .title
            .as_deref()
            .map(|t| format!(" — {}", md(t)))
            .unwrap_or_default();
        out.push_str(&format!("\n### Clause {}{}\n\n", md(&c.id), title));
        if let Some(t) = &c.text {
            for line in t.lines() {
                out.push_str(&format!("> {}\n", md(line)));
            }
            out.push('\n');
        }
        if c.items.is_empty() {
            out.push_str("Sound: nothing to report.\n");
        }
        for i in &c.items {
            out.push_str(&item_markdown(i));
        }
    }
    out
}

fn item_markdown(i: &Item) -> String {
    let md = markup::markdown;
    let mut out = format!(
        "- **{}** {} — {} (`{}`, {}, {})\n  - Why it matters: {}\n",
        i.level.as_str(),
        md(&i.message),
        md(&i.rule),
        i.code,
        i.level.as_str(),
        i.place,
        md(&i.why)
    );
    if let Some(h) = &i.help {
        out.push_str(&format!("  - What to do: {}\n", md(h)))
    }
    if let Some(s) = &i.suggestion {
        out.push_str(&format!(
            "  - Suggested wording: `{}`\n",
            s.replace('`', "'")
        ))
    }
    out
}

pub fn html(report: &FileReport, rules: &RuleSet) -> String {
    let r = build(report, rules);
    let e = escape;
    let mut body = format!("<header><h1>Review of {}</h1><dl>", e(&r.title));
    for (k, v) in &r.facts {
        body.push_str(&format!("<dt>{}</dt><dd>{}</dd>", e(k), e(v)));
    }
    body.push_str("</dl></header>");
    if !r.errors.is_empty() {
        body.push_str("<section class=\"errors\"><h2>The draft does not parse</h2><p>These errors must be mended before the draft can be checked; the clauses that could be read are shown below, without findings.</p><ul>");
        for x in &r.errors {
            body.push_str(&format!("<li>{}</li>", e(x)));
        }
        body.push_str("</ul></section>");
    }
    if let Some(overall) = r.overall {
        body.push_str(&format!(
            "<section><h2>P2P-correctness: {overall:.0}/100</h2>{}</section>",
            chart(&r.scores)
        ));
    }
    if !r.situations.is_empty() {
        body.push_str("<section><h2>What this draft allows</h2><ul class=\"situations\">");
        for s in &r.situations {
            body.push_str(&format!("<li>{}</li>", e(s)));
        }
        body.push_str("</ul></section>");
    }
    if !r.general.is_empty() {
        body.push_str("<section><h2>The charter as a whole</h2>");
        for i in &r.general {
            body.push_str(&item_html(i));
        }
        body.push_str("</section>");
    }
    body.push_str("<section><h2>Clause by clause</h2>");
    for c in &r.clauses {
        let sound = c.items.is_empty();
        body.push_str(&format!(
            "<article class=\"clause{}\"><h3>Clause {}{}</h3>",
            if sound { " sound" } else { "" },
            e(&c.id),
            c.title
                .as_deref()
                .map(|t| format!(" — {}", e(t)))
                .unwrap_or_default()
        ));
        if let Some(t) = &c.text {
            body.push_str(&format!("<blockquote>{}</blockquote>", e(t)));
        }
        if sound {
            body.push_str("<p class=\"ok\">Sound: nothing to report.</p>");
        }
        for i in &c.items {
            body.push_str(&item_html(i));
        }
        body.push_str("</article>");
    }
    body.push_str("</section>");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"><title>Review of {}</title><style>{}</style></head><body>{}</body></html>\n",
        e(&r.title),
        STYLE,
        body
    )
}

fn item_html(i: &Item) -> String {
    let e = escape;
    let mut out = format!(
        "<div class=\"finding {}\"><p><strong>{}</strong> {} <span class=\"rule\">{} {} · {}</span></p><p class=\"why\">Why it matters: {}</p>",
        i.level.as_str(),
        e(i.level.as_str()),
        e(&i.message),
        e(&i.code),
        e(&i.rule),
        e(&i.place),
        e(&i.why)
    );
    if let Some(h) = &i.help {
        out.push_str(&format!("<p class=\"help\">What to do: {}</p>", e(h)));
    }
    if let Some(s) = &i.suggestion {
        out.push_str(&format!(
            "<p class=\"suggestion\">Suggested wording: <code>{}</code></p>",
            e(s)
        ));
    }
    out.push_str("</div>");
    out
}

/// A bar per principle, drawn inline so the page needs nothing from the network.
fn chart(scores: &[(String, f64, usize, usize)]) -> String {
    let row = 34;
    let height = row * scores.len() + 10;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"score per principle\" viewBox=\"0 0 420 {height}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, (name, score, checks, findings)) in scores.iter().enumerate() {
        let y = 5 + i * row;
        let width = (score.clamp(0.0, 100.0) * 2.2).round();
        let color = if *score >= 80.0 {
            "#2e7d32"
        } else if *score >= 50.0 {
            "#f9a825"
        } else {
            "#c62828"
        };
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{}\" font-size=\"13\">{}</text><rect x=\"150\" y=\"{}\" width=\"220\" height=\"18\" fill=\"#eee\"/><rect x=\"150\" y=\"{}\" width=\"{width}\" height=\"18\" fill=\"{color}\"/><text x=\"376\" y=\"{}\" font-size=\"13\">{score:.0}</text><title>{} checks, {} findings</title>",
            y + 14,
            escape(name),
            y,
            y,
            y + 14,
            checks,
            findings
        ));
    }
    svg.push_str("</svg>");
    svg
}

const STYLE: &str = "body{font:16px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;max-width:52rem;margin:0 auto;padding:1rem;color:#1b1b1b}\
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}h3{margin-bottom:.3rem}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem}dt{color:#555}dd{margin:0}\
blockquote{margin:.4rem 0;padding:.3rem .8rem;border-left:4px solid #bbb;background:#f7f7f7;white-space:pre-wrap}\
.finding{margin:.5rem 0;padding:.4rem .8rem;border-left:4px solid #c62828;background:#fff5f5}\
.finding.warning{border-color:#f9a825;background:#fffbea}.finding.info{border-color:#1565c0;background:#f2f7ff}\
.finding p{margin:.2rem 0}.rule{color:#555;font-size:.85rem}.ok{color:#2e7d32}.chart{max-width:100%;height:auto}\
code{white-space:pre-wrap;word-break:break-word}.situations li{margin:.3rem 0}\
@media print{body{max-width:none}.finding,blockquote{break-inside:avoid}}";
