//! Evaluating a condition on one node of the model. Bounded: every step counts against
//! a budget, so no rule can make a check run away.

use std::collections::BTreeSet;

// foldhash rather than SipHash: the plans and indexes are read on every step.
use foldhash::{HashMap, HashMapExt};
use std::rc::Rc;
use std::sync::Arc;

use super::expr::{CmpOp, Expr, Path, Quant, State};
use super::plan::{self, Plan};
use super::vocabulary::{self, Vocabularies};
use crate::model::{Actor, Kind, Model, NodeId, Value};
use crate::span::Span;

/// Steps one rule may take on one node before it is stopped and reported.
pub const STEP_BUDGET: u64 = 2_000_000;

#[derive(Clone, Debug)]
pub enum Ev<'m> {
    Absent,
    Val(&'m Value),
    Own(Value),
    Node(NodeId),
    Words(&'m BTreeSet<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError(pub String);

pub struct Evaluator<'m> {
    pub model: &'m Model,
    pub vocabularies: &'m Vocabularies,
    scopes: Vec<(&'m str, Ev<'m>)>,
    steps: u64,
    /// Per quantifier (by address) and matched kind: how to evaluate it.
    /// Shared, so that looking a plan up costs no copy of its paths.
    plans: HashMap<(usize, Kind), Rc<Plan>>,
    /// Values of quantifiers that depend on the charter only.
    constants: HashMap<usize, Ev<'m>>,
    /// Indexes of a kind's nodes by a path, per quantifier.
    indexes: HashMap<usize, HashMap<Key, Rc<[NodeId]>>>,
}

/// A value usable as an index key; equal keys are exactly the values `==` equates.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Actor(Actor),
    Str(Arc<str>),
    Num(i64),
    Bool(bool),
}

impl<'m> Evaluator<'m> {
    pub fn new(model: &'m Model, vocabularies: &'m Vocabularies) -> Self {
        Evaluator {
            model,
            vocabularies,
            scopes: Vec::new(),
            steps: 0,
            plans: HashMap::new(),
            constants: HashMap::new(),
            indexes: HashMap::new(),
        }
    }

    /// Evaluates `expr` with `node` as the item in scope, bound under its kind's name.
    pub fn test(&mut self, expr: &'m Expr, node: NodeId) -> Result<bool, EvalError> {
        self.steps = 0;
        self.scopes.clear();
        self.scopes
            .push((self.model.node(node).kind.as_str(), Ev::Node(node)));
        self.scopes.push(("this", Ev::Node(node)));
        Ok(self.eval(expr)?.truthy())
    }

    pub fn value_of(&mut self, expr: &'m Expr, node: NodeId) -> Result<Ev<'m>, EvalError> {
        self.steps = 0;
        self.scopes.clear();
        self.scopes
            .push((self.model.node(node).kind.as_str(), Ev::Node(node)));
        self.scopes.push(("this", Ev::Node(node)));
        self.eval(expr)
    }

    pub fn value(
        &mut self,
        path: &'m Path,
        node: NodeId,
    ) -> Result<(Ev<'m>, Option<Span>), EvalError> {
        self.steps = 0;
        self.scopes.clear();
        self.scopes
            .push((self.model.node(node).kind.as_str(), Ev::Node(node)));
        self.scopes.push(("this", Ev::Node(node)));
        self.path(path)
    }

    fn tick(&mut self) -> Result<(), EvalError> {
        self.steps += 1;
        if self.steps > STEP_BUDGET {
            return Err(EvalError(format!(
                "stopped after {STEP_BUDGET} steps: the condition does too much work for one node"
            )));
        }
        Ok(())
    }

    fn eval(&mut self, expr: &'m Expr) -> Result<Ev<'m>, EvalError> {
        self.tick()?;
        Ok(match expr {
            Expr::Or(parts) => {
                for p in parts {
                    if self.eval(p)?.truthy() {
                        return Ok(bool_ev(true));
                    }
                }
                bool_ev(false)
            }
            Expr::And(parts) => {
                for p in parts {
                    if !self.eval(p)?.truthy() {
                        return Ok(bool_ev(false));
                    }
                }
                bool_ev(true)
            }
            Expr::Not(e) => bool_ev(!self.eval(e)?.truthy()),
            Expr::Compare(a, op, b) => {
                let (a, b) = (self.eval(a)?, self.eval(b)?);
                bool_ev(self.compare(&a, *op, &b))
            }
            Expr::Is {
                operand,
                negated,
                state,
            } => {
                let v = self.eval(operand)?;
                let holds = match (state, v.value()) {
                    (State::Absent, _) => matches!(v, Ev::Absent),
                    (State::Set, _) => !matches!(v, Ev::Absent),
                    (State::None, Some(Value::None)) => true,
                    (State::Vague, Some(Value::Vague(_))) => true,
                    (State::Open, Some(Value::Open)) => true,
                    _ => false,
                };
                bool_ev(holds != *negated)
            }
            Expr::In { item, negated, set } => {
                let (item, set) = (self.eval(item)?, self.eval(set)?);
                bool_ev(self.contains(&set, &item)? != *negated)
            }
            Expr::Except(first, rest) => {
                let first = self.eval(first)?;
                let mut items = self.items(first)?;
                for r in rest {
                    let remove = self.eval(r)?;
                    let mut kept = Vec::with_capacity(items.len());
                    for i in items {
                        if !self.contains(&remove, &i)? {
                            kept.push(i);
                        }
                    }
                    items = kept;
                }
                Ev::Own(Value::List(
                    items.iter().filter_map(|i| self.owned(i)).collect(),
                ))
            }
            Expr::Quantifier {
                kind,
                source,
                alias,
                filter,
            } => self.quantify(*kind, source, alias.as_deref(), filter.as_deref())?,
            Expr::Path(p) => self.path(p)?.0,
            Expr::Num(n) => Ev::Own(Value::Num(*n)),
            Expr::Days(d) => Ev::Own(Value::Days(*d)),
            Expr::Str(s) => Ev::Own(Value::Text(Arc::clone(s))),
            Expr::Bool(b) => bool_ev(*b),
        })
    }

    fn quantify(
        &mut self,
        kind: Quant,
        source: &'m Expr,
        alias: Option<&'m str>,
        filter: Option<&'m Expr>,
    ) -> Result<Ev<'m>, EvalError> {
        let id = source as *const Expr as usize;
        let root = self.root_kind();
        let default = match source {
            Expr::Path(p) => p.segments.last().map_or("item", String::as_str),
            _ => "item",
        };
        let name = alias.unwrap_or(default);
        let plan = match self.plans.get(&(id, root)) {
            Some(p) => Rc::clone(p),
            None => {
                let outer: Vec<&str> = self.scopes.iter().map(|(n, _)| *n).collect();
                let p = Rc::new(plan::plan(source, name, filter, self.vocabularies, &outer));
                self.plans.insert((id, root), Rc::clone(&p));
                p
            }
        };
        match &*plan {
            Plan::Constant => {
                if let Some(v) = self.constants.get(&id) {
                    return Ok(v.clone());
                }
                let saved = std::mem::take(&mut self.scopes);
                let v = self.quantify_scan(kind, source, name, filter, None);
                self.scopes = saved;
                let v = v?;
                self.constants.insert(id, v.clone());
                Ok(v)
            }
            Plan::Index {
                key_path,
                probe,
                prefilter,
            } => {
                let probe_value = self.path(probe)?.0;
                let candidates: Rc<[NodeId]> = match key_of(&probe_value) {
                    Some(k) => self
                        .index(id, source, key_path, name, filter, prefilter)?
                        .get(&k)
                        .cloned()
                        .unwrap_or_else(|| Rc::from([])),
                    None => Rc::from([]),
                };
                self.quantify_scan(kind, source, name, filter, Some(candidates))
            }
            Plan::Scan => self.quantify_scan(kind, source, name, filter, None),
        }
    }

    fn root_kind(&self) -> Kind {
        match self.scopes.first() {
            Some((_, Ev::Node(id))) => self.model.node(*id).kind,
            _ => Kind::Charter,
        }
    }

    /// The index of a kind's nodes by `key_path`, built on first use.
    fn index(
        &mut self,
        id: usize,
        source: &Expr,
        key_path: &Path,
        name: &'m str,
        filter: Option<&'m Expr>,
        prefilter: &[usize],
    ) -> Result<&HashMap<Key, Rc<[NodeId]>>, EvalError> {
        if !self.indexes.contains_key(&id) {
            let prefilter: Vec<&'m Expr> = match filter {
                Some(Expr::And(parts)) => prefilter.iter().filter_map(|i| parts.get(*i)).collect(),
                Some(single) if prefilter == [0] => vec![single],
                _ => Vec::new(),
            };
            let kind = match source {
                Expr::Path(p) => p
                    .segments
                    .first()
                    .and_then(|s| Kind::parse(s))
                    .unwrap_or(Kind::Charter),
                _ => Kind::Charter,
            };
            let mut index: HashMap<Key, Vec<NodeId>> = HashMap::new();
            for &node in self.model.of_kind(kind) {
                self.tick()?;
                if !prefilter.is_empty() {
                    self.scopes.push((name, Ev::Node(node)));
                    let mut passes = Ok(true);
                    for &c in &prefilter {
                        match self.eval(c) {
                            Ok(v) if v.truthy() => {}
                            Ok(_) => {
                                passes = Ok(false);
                                break;
                            }
                            Err(e) => {
                                passes = Err(e);
                                break;
                            }
                        }
                    }
                    self.scopes.pop();
                    if !passes? {
                        continue;
                    }
                }
                let (v, _) = self.walk(Ev::Node(node), &key_path.segments)?;
                if let Some(k) = key_of(&v) {
                    index.entry(k).or_default().push(node);
                }
            }
            let index = index.into_iter().map(|(k, v)| (k, Rc::from(v))).collect();
            self.indexes.insert(id, index);
        }
        self.indexes
            .get(&id)
            .ok_or_else(|| EvalError("an index was not built".into()))
    }

    fn quantify_scan(
        &mut self,
        kind: Quant,
        source: &'m Expr,
        name: &'m str,
        filter: Option<&'m Expr>,
        candidates: Option<Rc<[NodeId]>>,
    ) -> Result<Ev<'m>, EvalError> {
        // A kind's nodes (or the candidates an index found among them) are walked in
        // place: collecting every node of the kind for each matched node made the
        // rules quadratic in the charter's size even where an index answers.
        let model = self.model;
        let items: Box<dyn Iterator<Item = Ev<'m>> + 'm> = match (candidates, source) {
            (Some(c), _) => Box::new((0..c.len()).map(move |i| Ev::Node(c[i]))),
            (None, Expr::Path(p))
                if p.index.is_none()
                    && p.segments.len() == 1
                    && self.is_kind_name(&p.segments[0]) =>
            {
                let k = Kind::parse(&p.segments[0]).unwrap_or(Kind::Charter);
                Box::new(model.of_kind(k).iter().map(|id| Ev::Node(*id)))
            }
            (None, Expr::Path(p)) => {
                let v = self.path(p)?.0;
                Box::new(self.items(v)?.into_iter())
            }
            (None, other) => {
                let v = self.eval(other)?;
                Box::new(self.items(v)?.into_iter())
            }
        };
        let mut count = 0usize;
        for item in items {
            self.tick()?;
            let passes = match filter {
                None => true,
                Some(f) => {
                    self.scopes.push((name, item));
                    let r = self.eval(f);
                    self.scopes.pop();
                    r?.truthy()
                }
            };
            if passes {
                count += 1;
                if kind == Quant::Any {
                    return Ok(bool_ev(true));
                }
                if kind == Quant::None {
                    return Ok(bool_ev(false));
                }
            } else if kind == Quant::All {
                return Ok(bool_ev(false));
            }
        }
        Ok(match kind {
            Quant::Any => bool_ev(false),
            Quant::None | Quant::All => bool_ev(true),
            Quant::Count => Ev::Own(Value::Num(count as f64)),
        })
    }

    /// In a quantifier's source, a kind's name means every node of that kind, even
    /// where the same name is bound to the matched node.
    fn is_kind_name(&self, name: &str) -> bool {
        Kind::parse(name).is_some()
    }

    /// Resolves a path to its value and the place that value was written.
    pub fn path(&mut self, path: &Path) -> Result<(Ev<'m>, Option<Span>), EvalError> {
        self.tick()?;
        let segments = path.segments.as_slice();
        let Some(first) = segments.first() else {
            return Ok((Ev::Absent, None));
        };
        if let Some(index) = &path.index {
            let key = self.path(index)?.0;
            let key = key.as_str().map(str::to_string);
            return Ok((
                self.vocabularies
                    .get(first)
                    .map_or(Ev::Absent, |v| Ev::Words(v.lookup(key.as_deref()))),
                None,
            ));
        }
        if let Some((_, item)) = self.scopes.iter().rev().find(|(n, _)| n == first) {
            let item = item.clone();
            return self.walk(item, &segments[1..]);
        }
        if first == "charter" {
            let charter = self.model.of_kind(Kind::Charter).first().copied();
            return match charter {
                Some(c) => self.walk(Ev::Node(c), &segments[1..]),
                None => Ok((Ev::Absent, None)),
            };
        }
        if let Some(v) = self.vocabularies.get(first) {
            return Ok((Ev::Words(v.lookup(None)), None));
        }
        let innermost = self.scopes.last().map_or(Ev::Absent, |(_, i)| i.clone());
        self.walk(innermost, segments)
    }

    fn walk(
        &mut self,
        mut at: Ev<'m>,
        mut rest: &[String],
    ) -> Result<(Ev<'m>, Option<Span>), EvalError> {
        let mut span = None;
        while !rest.is_empty() {
            self.tick()?;
            let actor = match &at {
                Ev::Node(id) => Actor::Node(*id),
                Ev::Val(Value::Actor(a)) => a.clone(),
                Ev::Own(Value::Actor(a)) => a.clone(),
                Ev::Val(Value::Node(id)) => Actor::Node(*id),
                _ => return Ok((Ev::Absent, span)),
            };
            let (n, value, at_span) = self.field(&actor, rest);
            at = value;
            span = at_span.or(span);
            rest = &rest[n.max(1)..];
        }
        Ok((at, span))
    }

    /// The longest dotted field name at the start of `rest` on this actor, with how
    /// many segments it used.
    fn field(&self, actor: &Actor, rest: &[String]) -> (usize, Ev<'m>, Option<Span>) {
        // Dotted field names (`appeal.body`) have two parts; try them before the first
        // part alone, and only when the first part starts one.
        if let [first, second, ..] = rest {
            if dotted_prefixes().contains(first.as_str()) {
                // Joined on the stack: this runs on every step of many rules.
                let mut buffer = [0u8; 64];
                let found = match join_dotted(&mut buffer, first, second) {
                    Some(dotted) => self.lookup(actor, dotted),
                    None => self.lookup(actor, &format!("{first}.{second}")),
                };
                if let Some((v, s)) = found {
                    return (2, v, s);
                }
            }
        }
        match rest.first().and_then(|first| self.lookup(actor, first)) {
            Some((v, s)) => (1, v, s),
            None => (rest.len(), Ev::Absent, None),
        }
    }

    fn lookup(&self, actor: &Actor, name: &str) -> Option<(Ev<'m>, Option<Span>)> {
        let model = self.model;
        match actor {
            Actor::Node(id) => {
                let node = model.get(*id)?;
                if let Some(f) = model.office_field(*id, name) {
                    return Some((Ev::Val(&f.value), Some(f.span())));
                }
                match name {
                    "kind" => return Some((Ev::Own(Value::Word(node.kind.as_str().into())), None)),
                    "clause" => return node.clause.map(|c| (Ev::Node(c), None)),
                    "is_whole_membership" if matches!(node.kind, Kind::Role | Kind::Body) => {
                        return Some((bool_ev(model.is_whole_membership(actor)), None))
                    }
                    "covers" if matches!(node.kind, Kind::Role | Kind::Body) => {
                        let roles = model
                            .covered_roles(actor)
                            .into_iter()
                            .map(|r| Value::Actor(Actor::Node(r)))
                            .collect();
                        return Some((Ev::Own(Value::List(roles)), None));
                    }
                    _ => {}
                }
                None
            }
            Actor::Anyone => match name {
                "name" => Some((Ev::Own(Value::Word("anyone".into())), None)),
                "is_whole_membership" => Some((bool_ev(true), None)),
                _ => None,
            },
            Actor::Nobody => match name {
                "name" => Some((Ev::Own(Value::Word("nobody".into())), None)),
                _ => None,
            },
            Actor::Outside(s) => match name {
                "name" => Some((Ev::Own(Value::Text(s.clone())), None)),
                "external" => Some((bool_ev(true), None)),
                _ => None,
            },
        }
    }

    fn items(&self, v: Ev<'m>) -> Result<Vec<Ev<'m>>, EvalError> {
        Ok(match v {
            Ev::Val(Value::List(items)) => items.iter().map(|i| Ev::Val(i).normalize()).collect(),
            Ev::Own(Value::List(items)) => items
                .into_vec()
                .into_iter()
                .map(|i| Ev::Own(i).normalize())
                .collect(),
            Ev::Words(words) => words
                .iter()
                .map(|w| Ev::Own(Value::Word(w.as_str().into())))
                .collect(),
            Ev::Absent => Vec::new(),
            other => vec![other],
        })
    }

    fn owned(&self, e: &Ev<'m>) -> Option<Value> {
        match e {
            Ev::Absent => None,
            Ev::Val(v) => Some((*v).clone()),
            Ev::Own(v) => Some(v.clone()),
            Ev::Node(id) => Some(Value::Node(*id)),
            Ev::Words(w) => Some(Value::List(
                w.iter().map(|s| Value::Word(s.as_str().into())).collect(),
            )),
        }
    }

    fn contains(&self, set: &Ev<'m>, item: &Ev<'m>) -> Result<bool, EvalError> {
        if let Ev::Words(words) = set {
            return Ok(item.value().is_some_and(|v| vocabulary::mentions(v, words)));
        }
        for candidate in self.items(set.clone())? {
            if self.compare(&candidate, CmpOp::Eq, item) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn compare(&self, a: &Ev<'m>, op: CmpOp, b: &Ev<'m>) -> bool {
        if matches!(a, Ev::Absent) || matches!(b, Ev::Absent) {
            return op == CmpOp::Ne && !(matches!(a, Ev::Absent) && matches!(b, Ev::Absent));
        }
        if let (Some(x), Some(y)) = (a.number(), b.number()) {
            return match op {
                CmpOp::Eq => (x - y).abs() < 1e-9,
                CmpOp::Ne => (x - y).abs() >= 1e-9,
                CmpOp::Lt => x < y,
                CmpOp::Le => x <= y,
                CmpOp::Gt => x > y,
                CmpOp::Ge => x >= y,
            };
        }
        let equal = match (a.actor(), b.actor()) {
            (Some(x), Some(y)) => x == y,
            _ => match (a.as_str(), b.as_str()) {
                (Some(x), Some(y)) => x == y,
                _ => match (a.value(), b.value()) {
                    (Some(x), Some(y)) => x == y,
                    _ => false,
                },
            },
        };
        match op {
            CmpOp::Eq => equal,
            CmpOp::Ne => !equal,
            _ => false,
        }
    }
}

/// The first parts of the schema's dotted field names (`appeal` of `appeal.body`).
fn dotted_prefixes() -> &'static std::collections::HashSet<&'static str> {
    static PREFIXES: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    PREFIXES.get_or_init(|| {
        Kind::ALL
            .iter()
            .flat_map(|k| k.fields())
            .filter_map(|(name, _)| name.split_once('.').map(|(prefix, _)| prefix))
            .collect()
    })
}

/// `first.second` in `buffer`, or None when it does not fit.
fn join_dotted<'b>(buffer: &'b mut [u8; 64], first: &str, second: &str) -> Option<&'b str> {
    let len = first.len() + 1 + second.len();
    let out = buffer.get_mut(..len)?;
    out[..first.len()].copy_from_slice(first.as_bytes());
    out[first.len()] = b'.';
    out[first.len() + 1..].copy_from_slice(second.as_bytes());
    std::str::from_utf8(out).ok()
}

fn key_of(v: &Ev) -> Option<Key> {
    if let Some(a) = v.actor() {
        return Some(Key::Actor(a));
    }
    match v.value()? {
        Value::Num(n) | Value::Days(n) => Some(Key::Num((n * 1e6).round() as i64)),
        Value::Text(s) | Value::Word(s) | Value::Vague(s) => Some(Key::Str(Arc::clone(s))),
        Value::Bool(b) => Some(Key::Bool(*b)),
        _ => None,
    }
}

fn bool_ev<'m>(b: bool) -> Ev<'m> {
    Ev::Own(Value::Bool(b))
}

impl<'m> Ev<'m> {
    pub fn value(&self) -> Option<&Value> {
        match self {
            Ev::Val(v) => Some(v),
            Ev::Own(v) => Some(v),
            _ => None,
        }
    }

    fn normalize(self) -> Self {
        match self.value() {
            Some(Value::Node(id)) => Ev::Node(*id),
            _ => self,
        }
    }

    pub fn truthy(&self) -> bool {
        match self {
            Ev::Absent => false,
            Ev::Node(_) => true,
            Ev::Words(w) => !w.is_empty(),
            Ev::Val(v) => v.is_truthy(),
            Ev::Own(v) => v.is_truthy(),
        }
    }

    fn number(&self) -> Option<f64> {
        match self.value()? {
            Value::Num(n) | Value::Days(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self.value()? {
            Value::Word(s) | Value::Text(s) | Value::Vague(s) => Some(s),
            _ => None,
        }
    }

    pub fn actor(&self) -> Option<Actor> {
        match self {
            Ev::Node(id) => Some(Actor::Node(*id)),
            _ => match self.value()? {
                Value::Actor(a) => Some(a.clone()),
                Value::Node(id) => Some(Actor::Node(*id)),
                _ => None,
            },
        }
    }
}
