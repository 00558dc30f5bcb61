//! Conditions as written in policies: parsed once at load time into a small tree.

use pest::iterators::Pair;
use pest::Parser;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/condition.pest"]
struct ConditionParser;

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
    Compare(Box<Expr>, CmpOp, Box<Expr>),
    Is {
        operand: Box<Expr>,
        negated: bool,
        state: State,
    },
    In {
        item: Box<Expr>,
        negated: bool,
        set: Box<Expr>,
    },
    Except(Box<Expr>, Vec<Expr>),
    Quantifier {
        kind: Quant,
        /// A kind of node (every node of it), or any expression giving a list.
        source: Box<Expr>,
        alias: Option<String>,
        filter: Option<Box<Expr>>,
    },
    Path(Path),
    Num(f64),
    Days(f64),
    /// Shared, so that evaluating the literal copies no text.
    Str(std::sync::Arc<str>),
    Bool(bool),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    pub segments: Vec<String>,
    /// `vocabulary[key]`: a lookup in a vocabulary map, keyed by another path.
    pub index: Option<Box<Path>>,
}

impl Path {
    pub fn dotted(&self) -> String {
        self.segments.join(".")
    }
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.dotted())?;
        if let Some(i) = &self.index {
            write!(f, "[{i}]")?;
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    None,
    Vague,
    Open,
    Set,
    Absent,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quant {
    Any,
    All,
    None,
    Count,
}

/// A parse error with the byte offset into the condition text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

/// How deeply a condition may nest (parentheses, `not`, quantifiers). The parser and
/// the evaluator recurse once per level, so the limit is checked before either runs.
pub const MAX_DEPTH: usize = 64;

/// The first place where `text` nests deeper than [`MAX_DEPTH`], if any.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut nots = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            'n' if text[i..].starts_with("not")
                && !text[i + 3..]
                    .starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-')
                && (i == 0 || !(bytes[i - 1] as char).is_alphanumeric()) =>
            {
                nots += 1;
            }
            _ => {}
        }
        if depth + nots > MAX_DEPTH {
            return Some(i);
        }
    }
    None
}

pub fn parse_condition(text: &str) -> Result<Expr, SyntaxError> {
    if let Some(offset) = too_deep(text) {
        return Err(SyntaxError {
            offset,
            message: format!("the condition nests more than {MAX_DEPTH} levels deep"),
        });
    }
    let mut pairs =
        ConditionParser::parse(Rule::condition_only, text).map_err(|e| syntax_error(&e))?;
    pairs.next().map(build).ok_or_else(|| SyntaxError {
        offset: 0,
        message: "the condition is empty".into(),
    })
}

/// A value expression, as used in message placeholders: a path, a count, a difference.
pub fn parse_operand(text: &str) -> Result<Expr, SyntaxError> {
    if let Some(offset) = too_deep(text) {
        return Err(SyntaxError {
            offset,
            message: format!("the placeholder nests more than {MAX_DEPTH} levels deep"),
        });
    }
    let mut pairs =
        ConditionParser::parse(Rule::operand_only, text).map_err(|e| syntax_error(&e))?;
    pairs.next().map(build).ok_or_else(|| SyntaxError {
        offset: 0,
        message: "the placeholder is empty".into(),
    })
}

/// Replaces every name that is a predicate by the predicate's condition.
pub fn expand(
    expr: Expr,
    predicates: &std::collections::BTreeMap<String, Expr>,
    depth: usize,
) -> Result<Expr, String> {
    if depth > 16 {
        return Err("predicates refer to each other in a circle".into());
    }
    let go = |e: Expr| expand(e, predicates, depth);
    let boxed = |e: Box<Expr>| expand(*e, predicates, depth).map(Box::new);
    Ok(match expr {
        Expr::Path(p)
            if p.segments.len() == 1
                && p.index.is_none()
                && predicates.contains_key(&p.segments[0]) =>
        {
            let body = predicates
                .get(&p.segments[0])
                .cloned()
                .unwrap_or(Expr::Bool(false));
            expand(body, predicates, depth + 1)?
        }
        Expr::Or(parts) => Expr::Or(parts.into_iter().map(go).collect::<Result<_, _>>()?),
        Expr::And(parts) => Expr::And(parts.into_iter().map(go).collect::<Result<_, _>>()?),
        Expr::Not(e) => Expr::Not(boxed(e)?),
        Expr::Compare(a, op, b) => Expr::Compare(boxed(a)?, op, boxed(b)?),
        Expr::Is {
            operand,
            negated,
            state,
        } => Expr::Is {
            operand: boxed(operand)?,
            negated,
            state,
        },
        Expr::In { item, negated, set } => Expr::In {
            item: boxed(item)?,
            negated,
            set: boxed(set)?,
        },
        Expr::Except(first, rest) => Expr::Except(
            boxed(first)?,
            rest.into_iter().map(go).collect::<Result<_, _>>()?,
        ),
        Expr::Quantifier {
            kind,
            source,
            alias,
            filter,
        } => Expr::Quantifier {
            kind,
            source: boxed(source)?,
            alias,
            filter: filter.map(boxed).transpose()?,
        },
        other => other,
    })
}

pub fn parse_path(text: &str) -> Result<Path, SyntaxError> {
    let mut pairs = ConditionParser::parse(Rule::path_only, text).map_err(|e| syntax_error(&e))?;
    pairs.next().map(path).ok_or_else(|| SyntaxError {
        offset: 0,
        message: "the path is empty".into(),
    })
}

fn syntax_error(e: &pest::error::Error<Rule>) -> SyntaxError {
    let offset = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let expected: Vec<&str> = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            let mut v: Vec<&str> = positives.iter().filter_map(|r| describe(*r)).collect();
            v.dedup();
            v
        }
        pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let message = if expected.is_empty() {
        "the condition does not parse here".to_string()
    } else {
        format!("expected {}", expected.join(", or "))
    };
    SyntaxError { offset, message }
}

fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::path | Rule::first | Rule::segment | Rule::ident => "a field name",
        Rule::cmp_op | Rule::compare => "a comparison (`==`, `!=`, `<`, `>`)",
        Rule::k_and | Rule::k_or => "`and` or `or`",
        Rule::k_is | Rule::is_state => "`is`",
        Rule::state => "`none`, `vague`, `open`, `set` or `absent`",
        Rule::k_in | Rule::membership => "`in`",
        Rule::number | Rule::duration => "a number",
        Rule::string => "a quoted text",
        Rule::quantifier | Rule::quant_kind => "`any(…)`, `all(…)` or `none(…)`",
        Rule::count => "`count(…)`",
        Rule::or_expr | Rule::and_expr | Rule::not_expr | Rule::comparison | Rule::operand => {
            "a condition"
        }
        Rule::EOI => "the end of the condition",
        Rule::k_where => "`where`",
        Rule::k_as => "`as`",
        Rule::index => "`[`",
        _ => return None,
    })
}

fn build(pair: Pair<Rule>) -> Expr {
    let rule = pair.as_rule();
    let mut inner: Vec<Pair<Rule>> = pair.clone().into_inner().collect();
    match rule {
        Rule::or_expr | Rule::and_expr => {
            let parts: Vec<Expr> = inner
                .into_iter()
                .filter(|p| !matches!(p.as_rule(), Rule::k_or | Rule::k_and))
                .map(build)
                .collect();
            if parts.len() == 1 {
                parts.into_iter().next().unwrap_or(Expr::Bool(true))
            } else if rule == Rule::or_expr {
                Expr::Or(parts)
            } else {
                Expr::And(parts)
            }
        }
        Rule::not_expr => {
            if inner.first().is_some_and(|p| p.as_rule() == Rule::k_not) {
                let rest = inner.pop().map_or(Expr::Bool(true), build);
                Expr::Not(Box::new(rest))
            } else {
                inner.pop().map_or(Expr::Bool(true), build)
            }
        }
        Rule::comparison => {
            let mut it = inner.into_iter();
            let left = it.next().map_or(Expr::Bool(true), build);
            match it.next() {
                None => left,
                Some(tail) => {
                    let tail_rule = tail.as_rule();
                    let parts: Vec<Pair<Rule>> = tail.into_inner().collect();
                    let negated = parts.iter().any(|p| p.as_rule() == Rule::k_not);
                    match tail_rule {
                        Rule::compare => {
                            let op = parts.first().map_or(CmpOp::Eq, |p| cmp_op(p.as_str()));
                            let right = parts.into_iter().nth(1).map_or(Expr::Bool(true), build);
                            Expr::Compare(Box::new(left), op, Box::new(right))
                        }
                        Rule::is_state => {
                            let state = parts
                                .iter()
                                .find(|p| p.as_rule() == Rule::state)
                                .map_or(State::Set, |p| state(p.as_str()));
                            Expr::Is {
                                operand: Box::new(left),
                                negated,
                                state,
                            }
                        }
                        _ => {
                            let set = parts
                                .into_iter()
                                .rfind(|p| p.as_rule() == Rule::operand)
                                .map_or(Expr::Bool(true), build);
                            Expr::In {
                                item: Box::new(left),
                                negated,
                                set: Box::new(set),
                            }
                        }
                    }
                }
            }
        }
        Rule::operand => {
            let mut parts = inner
                .into_iter()
                .filter(|p| p.as_rule() != Rule::k_except)
                .map(build);
            let first = parts.next().unwrap_or(Expr::Bool(true));
            let rest: Vec<Expr> = parts.collect();
            if rest.is_empty() {
                first
            } else {
                Expr::Except(Box::new(first), rest)
            }
        }
        Rule::quantifier | Rule::count => {
            let kind = if rule == Rule::count {
                Quant::Count
            } else {
                match pair.clone().into_inner().next().map(|p| p.as_str()) {
                    Some("any") => Quant::Any,
                    Some("all") => Quant::All,
                    _ => Quant::None,
                }
            };
            let mut source = Expr::Bool(false);
            let mut alias = None;
            let mut filter = None;
            for p in inner {
                match p.as_rule() {
                    Rule::source => {
                        if let Some(inner) = p.into_inner().next() {
                            source = build(inner);
                        }
                    }
                    Rule::ident => alias = Some(p.as_str().to_string()),
                    Rule::or_expr => filter = Some(Box::new(build(p))),
                    _ => {}
                }
            }
            Expr::Quantifier {
                kind,
                source: Box::new(source),
                alias,
                filter,
            }
        }
        Rule::path => Expr::Path(path(pair)),
        Rule::duration => {
            let mut amount = 0.0;
            let mut per = 1.0;
            for p in inner {
                match p.as_rule() {
                    Rule::number => amount = number(p.as_str()),
                    _ => {
                        per = match p.as_str().trim_end_matches('s') {
                            "week" => 7.0,
                            "month" => 30.0,
                            "year" => 365.0,
                            _ => 1.0,
                        }
                    }
                }
            }
            Expr::Days(amount * per)
        }
        Rule::number => Expr::Num(number(pair.as_str())),
        Rule::string => Expr::Str(
            inner
                .first()
                .map_or_else(String::new, |p| p.as_str().replace("\\\"", "\""))
                .into(),
        ),
        Rule::boolean => Expr::Bool(pair.as_str() == "true"),
        _ => inner.pop().map_or(Expr::Bool(true), build),
    }
}

fn path(pair: Pair<Rule>) -> Path {
    let mut segments = Vec::new();
    let mut index = None;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::first | Rule::segment => segments.push(p.as_str().to_string()),
            Rule::index => {
                if let Some(inner) = p.into_inner().next() {
                    index = Some(Box::new(path(inner)));
                }
            }
            _ => {}
        }
    }
    Path { segments, index }
}

fn number(text: &str) -> f64 {
    if let Some(p) = text.strip_suffix('%') {
        return number(p) / 100.0;
    }
    if let Some((a, b)) = text.split_once('/') {
        let (a, b): (f64, f64) = (a.parse().unwrap_or(0.0), b.parse().unwrap_or(1.0));
        return if b == 0.0 { 0.0 } else { a / b };
    }
    text.parse().unwrap_or(0.0)
}

fn cmp_op(text: &str) -> CmpOp {
    match text {
        "!=" => CmpOp::Ne,
        "<" => CmpOp::Lt,
        "<=" => CmpOp::Le,
        ">" => CmpOp::Gt,
        ">=" => CmpOp::Ge,
        _ => CmpOp::Eq,
    }
}

fn state(text: &str) -> State {
    match text {
        "none" => State::None,
        "vague" => State::Vague,
        "open" => State::Open,
        "absent" => State::Absent,
        _ => State::Set,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(segments: &[&str]) -> Expr {
        Expr::Path(Path {
            segments: segments.iter().map(|s| s.to_string()).collect(),
            index: None,
        })
    }

    #[test]
    fn parses_precedence_of_not_and_or() {
        let e = parse_condition("not hearing and notice or appeal").expect("parses");
        assert_eq!(
            e,
            Expr::Or(vec![
                Expr::And(vec![Expr::Not(Box::new(p(&["hearing"]))), p(&["notice"])]),
                p(&["appeal"]),
            ])
        );
    }

    #[test]
    fn parses_comparisons_states_and_membership() {
        assert_eq!(
            parse_condition("notice < 14 days").expect("parses"),
            Expr::Compare(
                Box::new(p(&["notice"])),
                CmpOp::Lt,
                Box::new(Expr::Days(14.0))
            )
        );
        assert!(matches!(
            parse_condition("grounds is open").expect("parses"),
            Expr::Is {
                state: State::Open,
                negated: false,
                ..
            }
        ));
        assert!(matches!(
            parse_condition("action not in adverse").expect("parses"),
            Expr::In { negated: true, .. }
        ));
        assert_eq!(
            parse_condition("threshold < 2/3").expect("parses"),
            Expr::Compare(
                Box::new(p(&["threshold"])),
                CmpOp::Lt,
                Box::new(Expr::Num(2.0 / 3.0))
            )
        );
    }

    #[test]
    fn parses_quantifiers_with_alias_and_filter() {
        let e = parse_condition("none(appeal_route as r where r.from == power.holder)")
            .expect("parses");
        match e {
            Expr::Quantifier {
                kind,
                alias,
                filter,
                ..
            } => {
                assert_eq!(kind, Quant::None);
                assert_eq!(alias.as_deref(), Some("r"));
                assert!(filter.is_some());
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(parse_condition("count(dispute) == 0").is_ok());
    }

    #[test]
    fn parses_dotted_paths_and_indexes() {
        assert_eq!(
            parse_path("appeal.body.elected_by")
                .expect("parses")
                .segments
                .len(),
            3
        );
        let e = parse_condition("required_disclosures[category] except disclose").expect("parses");
        assert!(matches!(e, Expr::Except(..)));
    }

    #[test]
    fn refuses_conditions_nested_too_deep() {
        let deep = format!("{}grounds{}", "(".repeat(100), ")".repeat(100));
        assert!(parse_condition(&deep)
            .expect_err("too deep")
            .message
            .contains("nests"));
        assert!(parse_condition(&"not ".repeat(100)).is_err());
        assert!(parse_condition("not notice and not hearing").is_ok());
        assert!(parse_condition("(\"((((((\" == grounds)").is_ok());
    }

    #[test]
    fn reports_where_a_condition_stops_parsing() {
        let err = parse_condition("hearing ==").expect_err("incomplete");
        assert_eq!(err.offset, 10);
        assert!(parse_condition("hearing and and").is_err());
    }
}
