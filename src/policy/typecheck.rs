//! Load-time checking of conditions against the model's schema: a rule that names a
//! field or vocabulary that does not exist is rejected before it runs.

use super::expr::{Expr, Path};
use super::vocabulary::Vocabularies;
use crate::model::{FieldType, Kind};
use crate::suggest::did_you_mean;

/// What a path stands for, as far as loading can tell.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    Node(Kind),
    /// The node a rule matches, when the rule matches several kinds: a field is known
    /// if any of them has it.
    Nodes(Vec<Kind>),
    /// A role or body (or someone outside the charter).
    Actor,
    Scalar(FieldType),
    List(Box<Ty>),
    Vocabulary,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeError {
    pub message: String,
    pub help: Option<String>,
}

/// Names in scope: the matched node under its kind's name, then one per quantifier.
pub struct Scopes<'a> {
    pub vocabularies: &'a Vocabularies,
    pub stack: Vec<(String, Ty)>,
}

/// Fields every node has, beyond its kind's own.
pub const COMMON_FIELDS: &[&str] = &["kind"];

impl Scopes<'_> {
    pub fn check(&mut self, expr: &Expr) -> Result<(), TypeError> {
        match expr {
            Expr::Or(parts) | Expr::And(parts) => parts.iter().try_for_each(|p| self.check(p)),
            Expr::Not(e) => self.check(e),
            Expr::Compare(a, _, b) => {
                self.check(a)?;
                self.check(b)
            }
            Expr::Is { operand, .. } => self.check(operand),
            Expr::In { item, set, .. } => {
                self.check(item)?;
                self.check(set)
            }
            Expr::Except(first, rest) => {
                self.check(first)?;
                rest.iter().try_for_each(|r| self.check(r))
            }
            Expr::Quantifier {
                source,
                alias,
                filter,
                ..
            } => {
                let (item_ty, default_name) = self.source(source)?;
                let name = alias.clone().unwrap_or(default_name);
                self.stack.push((name, item_ty));
                let result = filter.as_ref().map_or(Ok(()), |f| self.check(f));
                self.stack.pop();
                result
            }
            Expr::Path(p) => self.path(p).map(|_| ()),
            Expr::Num(_) | Expr::Days(_) | Expr::Str(_) | Expr::Bool(_) => Ok(()),
        }
    }

    /// What a quantifier ranges over: every node of a kind, or the items of a list.
    pub fn source(&mut self, source: &Expr) -> Result<(Ty, String), TypeError> {
        let Expr::Path(path) = source else {
            // A computed list (`a except b`): its items are words.
            self.check(source)?;
            return Ok((Ty::Scalar(FieldType::Word), "item".into()));
        };
        if let [single] = path.segments.as_slice() {
            if let Some(kind) = Kind::parse(single) {
                if path.index.is_none() {
                    return Ok((Ty::Node(kind), single.clone()));
                }
            }
        }
        let name = path.segments.last().cloned().unwrap_or_default();
        match self.path(path)? {
            Ty::List(item) => Ok((*item, name)),
            Ty::Vocabulary => Ok((Ty::Scalar(FieldType::Word), name)),
            other => Err(TypeError {
                message: format!(
                    "`{path}` is {}, not a list or a kind of node",
                    describe(&other)
                ),
                help: Some(format!(
                    "count or quantify over a kind ({}) or a list field",
                    Kind::ALL
                        .iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }),
        }
    }

    pub fn path(&self, path: &Path) -> Result<Ty, TypeError> {
        if let Some(index) = &path.index {
            self.path(index)?;
            if path.segments.len() != 1 || self.vocabularies.get(&path.segments[0]).is_none() {
                return Err(TypeError {
                    message: format!(
                        "only a vocabulary can be indexed, and `{}` is not one",
                        path.dotted()
                    ),
                    help: Some(self.vocabulary_help()),
                });
            }
            return Ok(Ty::Vocabulary);
        }
        let segments = &path.segments;
        let Some(first) = segments.first() else {
            return Err(TypeError {
                message: "an empty path".into(),
                help: None,
            });
        };
        // A bound name, innermost first; then the charter; then a vocabulary; then a
        // field of the innermost item.
        if let Some((_, ty)) = self.stack.iter().rev().find(|(n, _)| n == first) {
            return self.walk(ty.clone(), &segments[1..], path);
        }
        if first == "charter" {
            return self.walk(Ty::Node(Kind::Charter), &segments[1..], path);
        }
        if self.vocabularies.get(first).is_some() {
            if segments.len() > 1 {
                return Err(TypeError {
                    message: format!("`{first}` is a vocabulary and has no fields"),
                    help: None,
                });
            }
            return Ok(Ty::Vocabulary);
        }
        let Some((_, innermost)) = self.stack.last() else {
            return Err(TypeError {
                message: format!("`{first}` is not defined here"),
                help: None,
            });
        };
        self.walk(innermost.clone(), segments, path).map_err(|e| {
            if segments.len() > 1 {
                return e;
            }
            // A single unknown name may be a misspelt field or a misspelt vocabulary.
            let fields: Vec<&str> = match innermost {
                Ty::Node(k) => k.fields().into_iter().map(|(n, _)| n).collect(),
                Ty::Nodes(ks) => ks.iter().flat_map(|k| k.fields()).map(|(n, _)| n).collect(),
                Ty::Actor => Kind::Role.fields().into_iter().map(|(n, _)| n).collect(),
                _ => Vec::new(),
            };
            let vocabularies: Vec<&str> = self
                .vocabularies
                .entries
                .keys()
                .map(String::as_str)
                .collect();
            let candidates = fields.iter().copied().chain(vocabularies.iter().copied());
            TypeError {
                message: format!("`{first}` is neither a field here nor a vocabulary"),
                help: Some(match did_you_mean(first, candidates) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => self.vocabulary_help(),
                }),
            }
        })
    }

    fn vocabulary_help(&self) -> String {
        let names: Vec<&str> = self
            .vocabularies
            .entries
            .keys()
            .map(String::as_str)
            .collect();
        format!("the vocabularies are: {}", names.join(", "))
    }

    fn walk(&self, mut ty: Ty, mut rest: &[String], whole: &Path) -> Result<Ty, TypeError> {
        while !rest.is_empty() {
            if let Ty::Nodes(kinds) = &ty {
                let mut first_error = None;
                for k in kinds {
                    match self.walk(Ty::Node(*k), rest, whole) {
                        Ok(t) => return Ok(t),
                        Err(e) => first_error = first_error.or(Some(e)),
                    }
                }
                return Err(first_error.unwrap_or(TypeError {
                    message: "a rule must match at least one kind".into(),
                    help: None,
                }));
            }
            let kind = match &ty {
                Ty::Node(k) => *k,
                Ty::Actor => Kind::Role,
                other => {
                    return Err(TypeError {
                        message: format!(
                            "`{}` is {} and has no field `{}`",
                            whole.dotted(),
                            describe(other),
                            rest[0]
                        ),
                        help: None,
                    })
                }
            };
            // The longest dotted prefix that names a field (`appeal.body` before `appeal`).
            let found = (1..=rest.len()).rev().find_map(|n| {
                let name = rest[..n].join(".");
                field_type(kind, &name).map(|t| (n, t))
            });
            match found {
                Some((n, t)) => {
                    ty = field_ty(t);
                    rest = &rest[n..];
                }
                None => {
                    let fields = kind.fields();
                    let candidates = fields
                        .iter()
                        .map(|(n, _)| *n)
                        .chain(COMMON_FIELDS.iter().copied());
                    let what = if ty == Ty::Actor {
                        "role or body"
                    } else {
                        kind.as_str()
                    };
                    return Err(TypeError {
                        message: format!("a {what} has no field `{}`", rest[0]),
                        help: Some(match did_you_mean(&rest[0], candidates) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!(
                                "a {what} has: {}",
                                fields
                                    .iter()
                                    .map(|(n, _)| *n)
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        }),
                    });
                }
            }
        }
        Ok(ty)
    }
}

fn field_type(kind: Kind, name: &str) -> Option<FieldType> {
    if COMMON_FIELDS.contains(&name) {
        return Some(FieldType::Word);
    }
    kind.field_type(name)
}

fn field_ty(t: FieldType) -> Ty {
    match t {
        FieldType::Actor => Ty::Actor,
        FieldType::Actors => Ty::List(Box::new(Ty::Actor)),
        FieldType::Clause => Ty::Node(Kind::Clause),
        FieldType::Dispute => Ty::Node(Kind::Dispute),
        FieldType::Steps => Ty::List(Box::new(Ty::Node(Kind::Step))),
        FieldType::Words => Ty::List(Box::new(Ty::Scalar(FieldType::Word))),
        FieldType::Texts => Ty::List(Box::new(Ty::Scalar(FieldType::Text))),
        other => Ty::Scalar(other),
    }
}

fn describe(ty: &Ty) -> String {
    match ty {
        Ty::Node(k) => format!("a {}", k.as_str()),
        Ty::Nodes(ks) => ks
            .iter()
            .map(|k| format!("a {}", k.as_str()))
            .collect::<Vec<_>>()
            .join(" or "),
        Ty::Actor => "a role or body".into(),
        Ty::Scalar(t) => format!("a {}", t.describe()),
        Ty::List(_) => "a list".into(),
        Ty::Vocabulary => "a vocabulary".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::expr::parse_condition;
    use crate::policy::vocabulary::VocabularySpec;

    fn check(kind: Kind, condition: &str) -> Result<(), TypeError> {
        let mut vocab = Vocabularies::default();
        vocab.extend("adverse", &VocabularySpec::List(vec!["expel".into()]));
        let mut scopes = Scopes {
            vocabularies: &vocab,
            stack: vec![(kind.as_str().to_string(), Ty::Node(kind))],
        };
        scopes.check(&parse_condition(condition).expect("parses"))
    }

    #[test]
    fn accepts_fields_navigation_and_vocabularies() {
        assert!(check(Kind::Power, "action in adverse and not hearing").is_ok());
        assert!(check(
            Kind::Power,
            "appeal.body == holder and holder.elected_by.is_whole_membership"
        )
        .is_ok());
        assert!(check(
            Kind::Power,
            "none(appeal_route as r where r.from == power.holder)"
        )
        .is_ok());
        assert!(check(Kind::Dispute, "all(steps where by == dispute.between)").is_ok());
        assert!(check(
            Kind::Charter,
            "count(dispute) == 0 and count(role where not is_party) > 1"
        )
        .is_ok());
    }

    #[test]
    fn rejects_unknown_fields_with_a_suggestion() {
        let err = check(Kind::Power, "not hearng").expect_err("unknown field");
        assert_eq!(
            err.message,
            "`hearng` is neither a field here nor a vocabulary"
        );
        assert_eq!(err.help.as_deref(), Some("did you mean `hearing`?"));
        assert!(check(Kind::Power, "holder.elected_bye").is_err());
        assert!(check(Kind::Power, "action in adversee").is_err());
    }

    #[test]
    fn rejects_quantifiers_over_non_lists() {
        assert!(check(Kind::Power, "any(holder)").is_err());
    }
}
