//! Query planning for quantifiers, so that a rule's cost grows with the charter, not
//! with its square. Two plans, both decided once per quantifier:
//!
//! - a quantifier that refers to nothing outside itself has one value per charter and
//!   is computed once;
//! - a quantifier over a kind whose filter requires `item.path == outer` is answered
//!   from an index of the kind's nodes by that path, built once per charter.

use super::expr::{CmpOp, Expr, Path};
use super::vocabulary::Vocabularies;
use crate::model::Kind;

#[derive(Clone, Debug, PartialEq)]
pub enum Plan {
    /// Evaluate as written.
    Scan,
    /// The value depends on the charter only.
    Constant,
    /// Look candidates up by `key_path` (rooted at the quantifier's item) equal to the
    /// value of `probe` (evaluated outside); the whole filter is still applied to them.
    Index {
        key_path: Path,
        probe: Path,
        /// Positions of the filter's conjuncts that concern the item alone: applied
        /// once, when the index is built, so candidates are only the items that pass.
        prefilter: Vec<usize>,
    },
}

/// Decides how to evaluate `source` / `filter` bound under `name`, where `outer` are the
/// names bound around the quantifier (the matched node's, enclosing quantifiers').
pub fn plan(
    source: &Expr,
    name: &str,
    filter: Option<&Expr>,
    vocabularies: &Vocabularies,
    outer: &[&str],
) -> Plan {
    let over_kind = matches!(source, Expr::Path(p) if p.index.is_none() && p.segments.len() == 1 && Kind::parse(&p.segments[0]).is_some());
    if !over_kind {
        return Plan::Scan;
    }
    let Some(filter) = filter else {
        return Plan::Constant;
    };
    let own = Own {
        name,
        vocabularies,
        outer,
    };
    if !own.refers_outside(filter) {
        return Plan::Constant;
    }
    let conjuncts: Vec<&Expr> = match filter {
        Expr::And(parts) => parts.iter().collect(),
        other => vec![other],
    };
    let prefilter: Vec<usize> = conjuncts
        .iter()
        .enumerate()
        .filter(|(_, c)| !own.refers_outside(c))
        .map(|(i, _)| i)
        .collect();
    for c in &conjuncts {
        if let Expr::Compare(a, CmpOp::Eq, b) = c {
            for (inner, outer) in [(a, b), (b, a)] {
                if let Expr::Path(p) = inner.as_ref() {
                    if let (Some(key_path), Expr::Path(probe)) = (own.own_path(p), outer.as_ref()) {
                        if !own.refers_inside(outer) {
                            return Plan::Index {
                                key_path,
                                probe: probe.clone(),
                                prefilter,
                            };
                        }
                    }
                }
            }
        }
    }
    Plan::Scan
}

/// Which names belong to the quantifier's own item.
struct Own<'a> {
    name: &'a str,
    vocabularies: &'a Vocabularies,
    outer: &'a [&'a str],
}

impl Own<'_> {
    /// The path relative to the item, when `p` starts at the item: `x.holder` with
    /// alias `x`, or a bare field name.
    fn own_path(&self, p: &Path) -> Option<Path> {
        if p.index.is_some() {
            return None;
        }
        let first = p.segments.first()?;
        if first == self.name {
            if p.segments.len() < 2 {
                return None;
            }
            return Some(Path {
                segments: p.segments[1..].to_vec(),
                index: None,
            });
        }
        if self.is_global(first) || self.is_outer(first) {
            return None;
        }
        // Any other name is a field of the innermost item, which is this one.
        Some(p.clone())
    }

    fn is_outer(&self, first: &str) -> bool {
        first != self.name && self.outer.contains(&first)
    }

    fn is_global(&self, first: &str) -> bool {
        first == "charter" || self.vocabularies.get(first).is_some()
    }

    /// Whether `e` mentions the item (so it cannot be evaluated outside it).
    fn refers_inside(&self, e: &Expr) -> bool {
        let mut found = false;
        visit_paths(e, &mut |p, bound| {
            let Some(first) = p.segments.first() else {
                return;
            };
            if bound.iter().any(|b| b == first) {
                return;
            }
            if first == self.name
                || (bound.is_empty() && !self.is_global(first) && !self.is_outer(first))
            {
                found = true;
            }
        });
        found
    }

    /// Whether `e` mentions anything bound outside the quantifier (the matched node, an
    /// enclosing quantifier's item).
    fn refers_outside(&self, e: &Expr) -> bool {
        let mut found = false;
        visit_paths(e, &mut |p, bound| {
            let Some(first) = p.segments.first() else {
                return;
            };
            if !bound.iter().any(|b| b == first) && self.is_outer(first) {
                found = true;
            }
        });
        found
    }
}

/// Calls `f` on every path with the names bound by quantifiers around it (inside `e`).
fn visit_paths(e: &Expr, f: &mut dyn FnMut(&Path, &[String])) {
    fn go(e: &Expr, bound: &mut Vec<String>, f: &mut dyn FnMut(&Path, &[String])) {
        match e {
            Expr::Or(parts) | Expr::And(parts) => parts.iter().for_each(|p| go(p, bound, f)),
            Expr::Not(x) => go(x, bound, f),
            Expr::Compare(a, _, b) => {
                go(a, bound, f);
                go(b, bound, f);
            }
            Expr::Is { operand, .. } => go(operand, bound, f),
            Expr::In { item, set, .. } => {
                go(item, bound, f);
                go(set, bound, f);
            }
            Expr::Except(first, rest) => {
                go(first, bound, f);
                rest.iter().for_each(|r| go(r, bound, f));
            }
            Expr::Quantifier {
                source,
                alias,
                filter,
                ..
            } => {
                // A kind's name as the source means every node of it, not a binding.
                let over_kind = matches!(source.as_ref(), Expr::Path(p) if p.index.is_none() && p.segments.len() == 1 && Kind::parse(&p.segments[0]).is_some());
                if !over_kind {
                    go(source, bound, f);
                }
                let name = alias.clone().or_else(|| match source.as_ref() {
                    Expr::Path(p) => p.segments.last().cloned(),
                    _ => Some("item".into()),
                });
                if let Some(filter) = filter {
                    // Inside a nested quantifier, bare names are its item's fields.
                    bound.push(name.unwrap_or_default());
                    bound.push(String::from("\u{0}nested"));
                    go(filter, bound, f);
                    bound.pop();
                    bound.pop();
                }
            }
            Expr::Path(p) => {
                f(p, bound);
                if let Some(i) = &p.index {
                    f(i, bound);
                }
            }
            Expr::Num(_) | Expr::Days(_) | Expr::Str(_) | Expr::Bool(_) => {}
        }
    }
    go(e, &mut Vec::new(), f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::expr::parse_condition;
    use crate::policy::vocabulary::VocabularySpec;

    fn plan_of(condition: &str) -> Plan {
        let mut v = Vocabularies::default();
        v.extend("overrides", &VocabularySpec::List(vec!["override".into()]));
        match parse_condition(condition).expect("parses") {
            Expr::Quantifier {
                source,
                alias,
                filter,
                ..
            } => {
                let name = alias.unwrap_or_else(|| match source.as_ref() {
                    Expr::Path(p) => p.segments[0].clone(),
                    _ => String::new(),
                });
                plan(&source, &name, filter.as_deref(), &v, &["power", "this"])
            }
            other => panic!("not a quantifier: {other:?}"),
        }
    }

    #[test]
    fn a_correlated_equality_uses_an_index() {
        match plan_of("any(appeal_route as r where r.from == power.holder)") {
            Plan::Index { key_path, .. } => assert_eq!(key_path.dotted(), "from"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            plan_of("any(power as o where o.action in overrides and o.target == power.holder)"),
            Plan::Index { .. }
        ));
    }

    #[test]
    fn a_self_contained_quantifier_is_constant() {
        assert_eq!(plan_of("count(dispute)"), Plan::Constant);
        assert_eq!(plan_of("count(role where not is_party)"), Plan::Constant);
    }

    #[test]
    fn other_correlations_are_scanned() {
        assert_eq!(
            plan_of("any(dispute as d where power.holder in d.between)"),
            Plan::Scan
        );
    }
}
