//! What each attribute keyword means: which kinds of statement it applies to, and
//! which fields it sets.

use super::{Actor, Kind, Value};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::span::Span;
use crate::suggest::did_you_mean;
use crate::syntax::ast::{self, Arg, Attr};

pub const UNKNOWN_ATTRIBUTE: (&str, &str) = ("S005", "unknown-attribute");
pub const MISPLACED_ATTRIBUTE: (&str, &str) = ("S006", "misplaced-attribute");
pub const INVALID_VALUE: (&str, &str) = ("S007", "invalid-value");
pub const REPEATED_ATTRIBUTE: (&str, &str) = ("S012", "repeated-attribute");

const OFFICE: &[&str] = &[
    "joins",
    "criteria",
    "elected",
    "appointed",
    "term",
    "permanent",
    "hereditary",
    "self-selected",
    "removable",
    "leave",
    "seats",
    "neutral",
    "defined in",
];
const POWER: &[&str] = &[
    "weight",
    "grounds",
    "notice",
    "hearing",
    "appeal",
    "condition",
    "reason",
    "stay pending appeal",
    "cure",
    "interim",
    "automatic",
    "recusal",
    "criteria",
    "reconsent",
    "objections",
    "window",
];
const DECISION: &[&str] = &[
    "by",
    "threshold",
    "quorum",
    "proxies",
    "casting vote",
    "silence counts as assent",
    "objections",
    "recusal",
    "notice",
    "condition",
];
const CONSENT: &[&str] = &[
    "category",
    "form",
    "disclose",
    "revocable",
    "irrevocable",
    "withdrawal cost",
    "bundled with",
    "timing",
    "reason",
];
const DISCLOSURE: &[&str] = &["timing", "form"];
const GRANT: &[&str] = &[
    "scope",
    "duration",
    "cost",
    "revocable",
    "irrevocable",
    "reason",
];
const EXEMPTION: &[&str] = &["reason", "condition"];
const STEP: &[&str] = &["neutral", "recusal", "window", "condition"];
const APPEAL_ROUTE: &[&str] = &["window", "hearing", "stay pending appeal", "recusal"];
const CHARTER: &[&str] = &["kind", "version", "effective", "includes"];

pub const CHARTER_KINDS: &[&str] = &["bylaws", "contract", "policy", "agreement"];

/// The attributes a kind of node accepts.
pub fn allowed(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Charter => CHARTER,
        Kind::Role | Kind::Body => OFFICE,
        Kind::Power | Kind::Duty | Kind::Prohibition | Kind::Vote => POWER,
        Kind::Decision => DECISION,
        Kind::Consent => CONSENT,
        Kind::Disclosure => DISCLOSURE,
        Kind::Grant => GRANT,
        Kind::Exemption => EXEMPTION,
        Kind::Step => STEP,
        Kind::AppealRoute => APPEAL_ROUTE,
        Kind::Clause | Kind::Dispute => &[],
    }
}

/// How a malformed attribute should have been written.
pub fn shape(key: &str) -> Option<&'static str> {
    Some(match key {
        "weight" | "seats" => "a number, like `weight 1`",
        "grounds" => "quoted reasons, or `open` for any reason",
        "notice" => "a duration like `30 days`, `none`, `reasonable` or a quoted text",
        "hearing" => "`hearing before BODY`, `hearing` or `hearing none`",
        "appeal" => "`appeal to BODY`, `appeal to BODY within 30 days` or `appeal none`",
        "threshold" => "`2/3`, `3:1`, `50%`, `majority`, `consensus` or `unanimity`",
        "quorum" => "a share like `50%` or `1/3`, or a number of people",
        "proxies" => "`allowed` or `forbidden`",
        "casting" => "`casting vote by ROLE`, optionally followed by `ties only`",
        "silence" => "`silence counts as assent`",
        "objections" => "`objections within 7 days`",
        "form" | "category" => "one word, like `form written`",
        "disclose" => "words separated by commas, like `disclose purpose, recipients`",
        "withdrawal" => "`withdrawal cost \"…\"`",
        "bundled" => "`bundled with \"…\"`",
        "timing" => "`timing before` or `timing after`",
        "condition" => "`condition \"…\"`, optionally `judged by BODY`",
        "reconsent" => "`explicit`, `deemed` or `none`",
        "reason" | "scope" | "criteria" | "version" | "includes" => "a quoted text",
        "stay" => "`stay pending appeal`",
        "cure" | "window" => "a duration like `30 days`",
        "term" => "a duration like `2 years`, or `until \"an event\"`",
        "duration" => "a duration, `perpetual` or a quoted text",
        "cost" => "`none` or a quoted text",
        "joins" => "`joins by application`, optionally `approved by BODY`",
        "elected" => "`elected by BODY`, optionally `for 2 years`",
        "appointed" => "`appointed by ROLE`, optionally `for 2 years`",
        "removable" => "`removable by BODY`",
        "may" | "cannot" | "leave" => {
            "`may leave`, `may leave with notice 30 days` or `cannot leave`"
        }
        "kind" => "`bylaws`, `contract`, `policy` or `agreement`",
        "defined" => "`defined in \"the document that defines it\"`",
        "effective" => "a date like `2026-03-01` or a quoted text",
        _ => return None,
    })
}

pub type LoweredField = (&'static str, Value, Span);

pub struct AttrLowering<'a> {
    pub kind: Kind,
    pub kind_label: &'a str,
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

impl AttrLowering<'_> {
    /// Lowers one block's attributes into fields, reporting unknown, misplaced,
    /// malformed and repeated ones.
    pub fn lower(
        &mut self,
        attrs: &[Attr],
        resolve: &mut dyn FnMut(&ast::Actor) -> Actor,
    ) -> Vec<LoweredField> {
        // Most attributes give one field: sized once, and no list at all for none.
        let mut out: Vec<LoweredField> = Vec::with_capacity(attrs.len());
        for (i, attr) in attrs.iter().enumerate() {
            let key = attr.key.node.as_str();
            if attr.unknown {
                self.report_unknown(attr);
                continue;
            }
            if !allowed(self.kind).contains(&key) {
                self.diagnostics.push(
                    Diagnostic::error(
                        MISPLACED_ATTRIBUTE.0,
                        MISPLACED_ATTRIBUTE.1,
                        format!("`{key}` does not apply to {}", self.kind_label),
                        Label::new(attr.key.span, "not used here"),
                    )
                    .with_help(format!(
                        "{} takes: {}",
                        self.kind_label,
                        list(allowed(self.kind))
                    )),
                );
                continue;
            }
            // The first attribute with this keyword was kept: known and allowed here.
            let first = attrs[..i]
                .iter()
                .find(|a| !a.unknown && a.key.node == key)
                .map(|a| a.key.span);
            if let Some(first) = first {
                self.diagnostics.push(
                    Diagnostic::error(
                        REPEATED_ATTRIBUTE.0,
                        REPEATED_ATTRIBUTE.1,
                        format!("`{key}` is given twice"),
                        Label::new(attr.key.span, "given again here"),
                    )
                    .with_label(Label::new(first, "first given here"))
                    .with_severity(Severity::Warning)
                    .with_help("the first one counts; remove the other"),
                );
                continue;
            }
            fields_of(attr, resolve, &mut out);
        }
        out
    }

    fn report_unknown(&mut self, attr: &Attr) {
        let key = attr.key.node.as_str();
        let known_first_words: Vec<&str> = allowed(self.kind)
            .iter()
            .map(|k| k.split(' ').next().unwrap_or(k))
            .collect();
        let diag = if let Some(expected) = shape(key) {
            Diagnostic::error(
                INVALID_VALUE.0,
                INVALID_VALUE.1,
                format!("`{key}` is not written the way the language expects"),
                Label::new(attr.span, "cannot read this"),
            )
            .with_help(format!("`{key}` takes {expected}"))
        } else {
            let help = match did_you_mean(key, known_first_words.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("{} takes: {}", self.kind_label, list(allowed(self.kind))),
            };
            Diagnostic::error(
                UNKNOWN_ATTRIBUTE.0,
                UNKNOWN_ATTRIBUTE.1,
                format!("unknown attribute `{key}`"),
                Label::new(attr.key.span, "not an attribute of the language"),
            )
            .with_help(help)
        };
        self.diagnostics.push(diag);
        // A malformed attribute reads to the end of its line; a later word on that line
        // that is spelt like an attribute most likely was meant to start one.
        for arg in &attr.args {
            if let Arg::Word(word) = arg {
                if let Some(s) = did_you_mean(&word.node, known_first_words.iter().copied()) {
                    self.diagnostics.push(
                        Diagnostic::error(
                            UNKNOWN_ATTRIBUTE.0,
                            UNKNOWN_ATTRIBUTE.1,
                            format!("unknown attribute `{}`", word.node),
                            Label::new(word.span, "not an attribute of the language"),
                        )
                        .with_help(format!("did you mean `{s}`?")),
                    );
                }
            }
        }
    }
}

fn list(keys: &[&str]) -> String {
    if keys.is_empty() {
        return "no attributes".into();
    }
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Appends the fields one attribute gives to `out`.
fn fields_of(
    attr: &Attr,
    resolve: &mut dyn FnMut(&ast::Actor) -> Actor,
    out: &mut Vec<LoweredField>,
) {
    let span = attr.span;
    let mut push = |name: &'static str, value: Value, at: Span| out.push((name, value, at));
    let texts = || -> Vec<Value> {
        attr.args
            .iter()
            .filter_map(|a| match a {
                Arg::Text(t) => Some(Value::Text(t.node.as_str().into())),
                _ => None,
            })
            .collect()
    };
    let words = || -> Vec<Value> {
        attr.args
            .iter()
            .filter_map(|a| match a {
                Arg::Word(w) => Some(Value::Word(w.node.as_str().into())),
                _ => None,
            })
            .collect()
    };
    let first_text = || texts().into_iter().next();
    let keyword = || {
        attr.args.iter().find_map(|a| match a {
            Arg::Keyword(k) => Some(k.node.clone()),
            _ => None,
        })
    };
    let days = || {
        attr.args.iter().find_map(|a| match a {
            Arg::Duration(d) => Some((Value::Days(d.node.days()), d.span)),
            _ => None,
        })
    };
    let number = || {
        attr.args.iter().find_map(|a| match a {
            Arg::Number(n) => Some(Value::Num(n.node)),
            _ => None,
        })
    };
    let mut actor = || {
        attr.args.iter().find_map(|a| match a {
            Arg::Actor(x) => Some((x.span, resolve(x))),
            _ => None,
        })
    };
    let flag = Value::Bool(true);
    match attr.key.node.as_str() {
        "weight" | "seats" => {
            let name = if attr.key.node == "weight" {
                "weight"
            } else {
                "seats"
            };
            push(name, number().unwrap_or(Value::Num(0.0)), span);
        }
        "grounds" => {
            let v = if keyword().is_some() {
                Value::Open
            } else {
                Value::List(texts().into())
            };
            push("grounds", v, span);
        }
        "notice" | "duration" | "cost" => {
            let name = match attr.key.node.as_str() {
                "notice" => "notice",
                "duration" => "duration",
                _ => "cost",
            };
            let v = if let Some((d, _)) = days() {
                d
            } else if let Some(k) = keyword() {
                match k.as_str() {
                    "none" => Value::None,
                    _ => Value::Vague(k.into()),
                }
            } else {
                first_text().unwrap_or(Value::None)
            };
            push(name, v, span);
        }
        "hearing" | "appeal" => {
            let (name, body) = if attr.key.node == "hearing" {
                ("hearing", "hearing.body")
            } else {
                ("appeal", "appeal.body")
            };
            if keyword().as_deref() == Some("none") {
                push(name, Value::None, span);
            } else {
                push(name, flag, span);
                if let Some((at, a)) = actor() {
                    push(body, Value::Actor(a), at);
                }
                if let Some((d, at)) = days() {
                    push("appeal.within", d, at);
                }
            }
        }
        "by" => {
            if let Some((at, a)) = actor() {
                push("by", Value::Actor(a), at);
            }
        }
        "threshold" | "quorum" => {
            let name = if attr.key.node == "threshold" {
                "threshold"
            } else {
                "quorum"
            };
            for a in &attr.args {
                match a {
                    Arg::Threshold(t) => {
                        push(name, Value::Num(t.node.share), span);
                        if name == "threshold" {
                            push(
                                "threshold.kind",
                                Value::Word(t.node.kind.as_str().into()),
                                t.span,
                            );
                        }
                    }
                    Arg::Number(n) => push(name, Value::Num(n.node), span),
                    _ => {}
                }
            }
        }
        "casting vote" => {
            if let Some((at, a)) = actor() {
                push("casting_vote", Value::Actor(a), at);
            }
            push(
                "casting_vote.ties_only",
                Value::Bool(keyword().is_some()),
                span,
            );
        }
        "silence counts as assent" => push("silence_assent", flag, span),
        "objections" | "cure" | "term" | "window" => {
            let name = match attr.key.node.as_str() {
                "objections" => "objections",
                "cure" => "cure",
                "term" => "term",
                _ => "window",
            };
            if let Some((d, _)) = days() {
                push(name, d, span);
            } else if let Some(Value::Text(event)) = first_text() {
                // A term that ends with an event: `term until "the next release"`.
                push(name, Value::Text(format!("until {event}").into()), span);
            }
        }
        "recusal" => push(
            "recusal",
            first_text().unwrap_or(Value::Text("required".into())),
            span,
        ),
        "form" | "category" => {
            let name = if attr.key.node == "form" {
                "form"
            } else {
                "category"
            };
            if let Some(w) = words().into_iter().next() {
                push(name, w, span);
            }
        }
        "disclose" => push("disclose", Value::List(words().into()), span),
        "joins" => {
            push("joins", Value::List(words().into()), span);
            if let Some((at, a)) = actor() {
                push("approved_by", Value::Actor(a), at);
            }
        }
        "revocable"
        | "irrevocable"
        | "stay pending appeal"
        | "interim"
        | "automatic"
        | "permanent"
        | "hereditary"
        | "self-selected"
        | "neutral" => {
            let name = match attr.key.node.as_str() {
                "revocable" => "revocable",
                "irrevocable" => "irrevocable",
                "stay pending appeal" => "stay",
                "interim" => "interim",
                "automatic" => "automatic",
                "permanent" => "permanent",
                "hereditary" => "hereditary",
                "self-selected" => "self_selected",
                _ => "neutral",
            };
            push(name, flag, span);
        }
        "withdrawal cost" | "reason" | "scope" | "criteria" | "version" | "effective"
        | "defined in" => {
            let name = match attr.key.node.as_str() {
                "withdrawal cost" => "withdrawal_cost",
                "defined in" => "defined_in",
                "reason" => "reason",
                "scope" => "scope",
                "criteria" => "criteria",
                "version" => "version",
                _ => "effective",
            };
            let v = first_text().or_else(|| {
                attr.args
                    .first()
                    .map(|_| Value::Text(date_text(attr).into()))
            });
            if let Some(v) = v {
                push(name, v, span);
            }
        }
        "includes" | "bundled with" => {
            let name = if attr.key.node == "includes" {
                "includes"
            } else {
                "bundled_with"
            };
            push(name, Value::List(texts().into()), span);
        }
        "timing" | "reconsent" | "proxies" => {
            let name = match attr.key.node.as_str() {
                "timing" => "timing",
                "reconsent" => "reconsent",
                _ => "proxies",
            };
            match keyword() {
                Some(k) if k == "none" => push(name, Value::None, span),
                Some(k) => push(name, Value::Word(k.into()), span),
                None => {}
            }
        }
        "condition" => {
            if let Some(t) = first_text() {
                push("condition", t, span);
            }
            if let Some((at, a)) = actor() {
                push("condition.judge", Value::Actor(a), at);
            }
        }
        "elected" | "appointed" => {
            let name = if attr.key.node == "elected" {
                "elected_by"
            } else {
                "appointed_by"
            };
            if let Some((at, a)) = actor() {
                push(name, Value::Actor(a), at);
            }
            if let Some((d, at)) = days() {
                push("term", d, at);
            }
        }
        "removable" => {
            if let Some((at, a)) = actor() {
                push("removable_by", Value::Actor(a), at);
            }
        }
        "leave" => {
            if let Some(k) = keyword() {
                push("leave", Value::Word(k.into()), span);
            }
            if let Some((d, at)) = days() {
                push("leave.notice", d, at);
            }
        }
        "kind" => {
            if let Some(w) = words().into_iter().next() {
                push("kind", w, span);
            }
        }
        _ => {}
    }
}

/// The text of an unquoted date (`effective 2026-03-01`).
fn date_text(attr: &Attr) -> String {
    attr.args
        .iter()
        .map(|a| match a {
            Arg::Word(w) | Arg::Keyword(w) | Arg::Text(w) => w.node.clone(),
            _ => String::new(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}
