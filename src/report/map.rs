//! `peerlint map`: who holds power over whom. The map is worked out once from the
//! resolved model ([`power_map`]) and drawn three ways: readable text ([`text`]),
//! Graphviz DOT ([`dot`]) and a standalone SVG drawn here ([`svg`]).
//!
//! Actions are classified through the policies: sanctions, amendments and judging
//! one's own cause by the pack's predicates (`sanction`, `amendment_power`,
//! `same_as_holder_hearing`…), the rest by its vocabularies (`vetoes`, `admissions`,
//! `term_changes`…), so a configuration that extends a list changes the map the way it
//! changes the rules.

use super::markup::escape;
use crate::policy::vocabulary;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;

use crate::model::{Actor, Kind, Model, Node, NodeId, Value};
use crate::policy::eval::Evaluator;
use crate::policy::RuleSet;

/// Who holds which power over whom, and what stands out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PowerMap {
    /// The charter's name, when its header gives one.
    pub charter: Option<String>,
    /// Every role and body, in the order the charter declares them.
    pub offices: Vec<Office>,
    /// Every power, one edge per statement or declaration that grants it.
    pub edges: Vec<Edge>,
    /// The powers that deserve a second look, most serious first.
    pub highlights: Vec<Highlight>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Office {
    pub name: String,
    pub kind: OfficeKind,
    pub description: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfficeKind {
    Role,
    Body,
}

impl OfficeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OfficeKind::Role => "role",
            OfficeKind::Body => "body",
        }
    }
}

/// The kinds of power the map tells apart, in the order it lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PowerKind {
    Veto,
    Amend,
    Admit,
    Sanction,
    Judge,
    ChangeTerms,
    Decide,
    Elect,
    Appoint,
    Remove,
}

impl PowerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PowerKind::Veto => "veto",
            PowerKind::Amend => "amend",
            PowerKind::Admit => "admit",
            PowerKind::Sanction => "sanction",
            PowerKind::Judge => "judge",
            PowerKind::ChangeTerms => "change the terms",
            PowerKind::Decide => "decide",
            PowerKind::Elect => "elect",
            PowerKind::Appoint => "appoint",
            PowerKind::Remove => "remove",
        }
    }

    /// Filling an office is not a power over the peers the office then acts on.
    fn acts_on_peers(self) -> bool {
        !matches!(self, PowerKind::Elect | PowerKind::Appoint)
    }
}

/// Over whom a power is held.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// A role or body of the charter.
    Office(String),
    /// The whole membership: every peer.
    Everyone,
    /// The parties to a dispute the charter does not name (its title or a description).
    Parties(String),
}

impl Target {
    pub fn label(&self) -> String {
        match self {
            Target::Office(name) => name.clone(),
            Target::Everyone => "everyone".into(),
            Target::Parties(what) => format!("the parties to {what}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// The role or body that holds the power.
    pub holder: String,
    pub kind: PowerKind,
    pub over: Target,
    /// The power in the charter's words: `fine member`, `hears the appeal of …`.
    pub action: String,
    /// The clause that grants it; none for a power given in a role's or body's own
    /// declaration (`removable by board`).
    pub clause: Option<String>,
    /// Part of a highlight.
    pub highlighted: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Highlight {
    /// A role or body holds power over peers who have no say over it: it is not the
    /// whole membership, no body that includes them elects it, and none that includes
    /// them can remove it.
    PowerWithoutSay {
        holder: String,
        /// Over whom, in the order first met.
        over: Vec<Target>,
        /// The clauses that grant those powers.
        clauses: Vec<String>,
    },
    /// A role or body sanctions a peer and also hears the case or the appeal.
    JudgesOwnCause {
        holder: String,
        /// The sanction: `fine member`.
        action: String,
        /// `the case`, `the appeal` or `the case and the appeal`.
        stage: String,
        clause: Option<String>,
    },
}

impl Highlight {
    pub fn holder(&self) -> &str {
        match self {
            Highlight::PowerWithoutSay { holder, .. }
            | Highlight::JudgesOwnCause { holder, .. } => holder,
        }
    }

    /// One sentence in the charter's words.
    pub fn message(&self) -> String {
        match self {
            Highlight::PowerWithoutSay {
                holder,
                over,
                clauses,
            } => {
                let over: Vec<String> = over.iter().map(Target::label).collect();
                let mut m = format!(
                    "{holder} holds power over {}, who have no say over it: it is not the whole membership, no body of theirs elects it, and none can remove it",
                    over.join(" and ")
                );
                match clauses.as_slice() {
                    [] => {}
                    [one] => {
                        let _ = write!(m, " (clause {one})");
                    }
                    many => {
                        let _ = write!(m, " (clauses {})", many.join(", "));
                    }
                }
                m
            }
            Highlight::JudgesOwnCause {
                holder,
                action,
                stage,
                clause,
            } => {
                let mut m = format!(
                    "{holder} judges its own cause: it may {action} and hears {stage} itself"
                );
                if let Some(c) = clause {
                    let _ = write!(m, " (clause {c})");
                }
                m
            }
        }
    }
}

/// The words a vocabulary holds, or none when no policy declares it.
fn words(rules: &RuleSet, name: &str) -> BTreeSet<String> {
    rules
        .vocabularies
        .get(name)
        .map(|v| v.all_words())
        .unwrap_or_default()
}

struct Vocab {
    adverse: BTreeSet<String>,
    recalls: BTreeSet<String>,
    vetoes: BTreeSet<String>,
    term_changes: BTreeSet<String>,
    changeable_terms: BTreeSet<String>,
    sovereign_decisions: BTreeSet<String>,
    sovereign_objects: BTreeSet<String>,
    admissions: BTreeSet<String>,
}

impl Vocab {
    fn new(rules: &RuleSet) -> Self {
        let mut admissions = words(rules, "admissions");
        // The one verb the language gives admission, whatever the policies add.
        admissions.insert("admit".into());
        Vocab {
            adverse: words(rules, "adverse"),
            recalls: words(rules, "recalls"),
            vetoes: words(rules, "vetoes"),
            term_changes: words(rules, "term_changes"),
            changeable_terms: words(rules, "changeable_terms"),
            sovereign_decisions: words(rules, "sovereign_decisions"),
            sovereign_objects: words(rules, "sovereign_objects"),
            admissions,
        }
    }
}

/// Whether a field names a vocabulary item (see [`vocabulary::mentions`]).
fn mentions(value: Option<&Value>, words: &BTreeSet<String>) -> bool {
    value.is_some_and(|v| vocabulary::mentions(v, words))
}

fn actor_node(value: Option<&Value>) -> Option<NodeId> {
    match value {
        Some(Value::Actor(Actor::Node(id))) => Some(*id),
        _ => None,
    }
}

fn is_office(model: &Model, id: NodeId) -> bool {
    model
        .get(id)
        .is_some_and(|n| matches!(n.kind, Kind::Role | Kind::Body))
}

/// The role or body an office field names, with a body of one role taking the field
/// from that role (see [`Model::office_field`]).
fn office_field(model: &Model, id: NodeId, name: &str) -> Option<NodeId> {
    actor_node(model.office_field(id, name).map(|f| &f.value))
}

fn clause_name(model: &Model, clause: Option<NodeId>) -> Option<String> {
    clause
        .filter(|c| model.get(*c).is_some())
        .map(|c| model.name_of(c))
}

/// The object as written: `member`, `"the governance structure"`.
fn object_phrase(node: &Node) -> Option<String> {
    let phrase = node.text("object_phrase").or_else(|| node.text("object"))?;
    if matches!(node.value("object"), Some(Value::Text(_))) {
        Some(format!("\"{phrase}\""))
    } else {
        Some(phrase.to_string())
    }
}

struct Builder<'a> {
    model: &'a Model,
    vocab: Vocab,
    edges: Vec<Edge>,
    /// For each edge, the roles it acts on (empty for the whole membership, see
    /// `everyone`), used to find power without say.
    reach: Vec<Reach>,
    /// For each edge, the power statement it comes from, if any.
    origin: Vec<Option<NodeId>>,
    sanctions: HashSet<NodeId>,
    /// Powers to change the charter itself, as the pack's `amendment_power` says.
    amendments: HashSet<NodeId>,
}

#[derive(Clone, Default)]
struct Reach {
    everyone: bool,
    roles: Vec<NodeId>,
}

impl<'a> Builder<'a> {
    fn target(&self, id: Option<NodeId>) -> (Target, Reach) {
        match id.filter(|t| is_office(self.model, *t)) {
            Some(t) if self.model.is_whole_membership(&Actor::Node(t)) => (
                Target::Everyone,
                Reach {
                    everyone: true,
                    roles: Vec::new(),
                },
            ),
            Some(t) => (
                Target::Office(self.model.name_of(t)),
                Reach {
                    everyone: false,
                    roles: self.model.covered_roles(&Actor::Node(t)),
                },
            ),
            None => (
                Target::Everyone,
                Reach {
                    everyone: true,
                    roles: Vec::new(),
                },
            ),
        }
    }

    fn push(
        &mut self,
        holder: NodeId,
        kind: PowerKind,
        (over, reach): (Target, Reach),
        action: String,
        clause: Option<NodeId>,
        origin: Option<NodeId>,
    ) {
        self.origin.push(origin);
        self.edges.push(Edge {
            holder: self.model.name_of(holder),
            kind,
            over,
            action,
            clause: clause_name(self.model, clause),
            highlighted: false,
        });
        self.reach.push(reach);
    }

    /// Whether a power is a sanction, as the pack's `sanction` predicate says.
    fn is_sanction(&self, id: NodeId) -> bool {
        self.sanctions.contains(&id)
    }

    fn power(&mut self, id: NodeId) {
        let model = self.model;
        let Some(node) = model.get(id) else { return };
        let Some(holder) = actor_node(node.value("holder")).filter(|h| is_office(model, *h)) else {
            return;
        };
        let Some(action) = node.text("action") else {
            return;
        };
        let object = node.value("object");
        let target = actor_node(node.value("target"));
        let phrase = match object_phrase(node) {
            Some(o) => format!("{action} {o}"),
            None => action.to_string(),
        };
        let v = &self.vocab;
        let amends = self.amendments.contains(&id);
        let role_target = target.is_some_and(|t| model.get(t).map(|n| n.kind) == Some(Kind::Role));
        let kind = if amends {
            Some(PowerKind::Amend)
        } else if v.vetoes.contains(action) && !(role_target && v.adverse.contains(action)) {
            Some(PowerKind::Veto)
        } else if self.is_sanction(id) {
            Some(PowerKind::Sanction)
        } else if v.adverse.contains(action) && v.recalls.contains(action) && role_target {
            Some(PowerKind::Remove)
        } else if v.admissions.contains(action) {
            Some(PowerKind::Admit)
        } else if v.term_changes.contains(action) && mentions(object, &v.changeable_terms) {
            Some(PowerKind::ChangeTerms)
        } else if v.sovereign_decisions.contains(action) && mentions(object, &v.sovereign_objects) {
            Some(PowerKind::Decide)
        } else {
            None
        };
        let Some(kind) = kind else { return };
        let over = self.target(target);
        self.push(holder, kind, over, phrase.clone(), node.clause, Some(id));
        if kind == PowerKind::Sanction {
            self.judges(id, holder, node, &phrase);
        }
    }

    /// Who hears the case and the appeal of a sanction.
    fn judges(&mut self, id: NodeId, holder: NodeId, node: &Node, phrase: &str) {
        let model = self.model;
        let target = actor_node(node.value("target"));
        let holder_name = model.name_of(holder);
        for (field, stage) in [("hearing.body", "the case"), ("appeal.body", "the appeal")] {
            let Some(f) = node.get(field) else { continue };
            let Some(judge) = actor_node(Some(&f.value)).filter(|j| is_office(model, *j)) else {
                continue;
            };
            let over = self.target(target);
            let action = format!("hears {stage}: {holder_name} may {phrase}");
            self.push(
                judge,
                PowerKind::Judge,
                over,
                action,
                f.clause.or(node.clause),
                Some(id),
            );
        }
    }

    fn decision(&mut self, id: NodeId) {
        let model = self.model;
        let Some(node) = model.get(id) else { return };
        let Some(by) = actor_node(node.value("by")).filter(|b| is_office(model, *b)) else {
            return;
        };
        let subject = node.text("subject").unwrap_or("decision");
        // A decision that names an office the same body elects is that election.
        let normal = |s: &str| s.to_lowercase().replace(['-', '_'], " ");
        let elected = model
            .of_kind(Kind::Role)
            .iter()
            .chain(model.of_kind(Kind::Body))
            .copied()
            .find(|o| {
                office_field(model, *o, "elected_by") == Some(by)
                    && normal(subject).contains(&normal(&model.name_of(*o)))
            });
        let (kind, over) = match elected {
            Some(o) => (PowerKind::Elect, self.target(Some(o))),
            None => (PowerKind::Decide, self.target(None)),
        };
        self.push(
            by,
            kind,
            over,
            format!("decides {subject}"),
            node.clause,
            None,
        );
    }

    fn step(&mut self, id: NodeId) {
        let model = self.model;
        let Some(node) = model.get(id) else { return };
        let Some(by) = actor_node(node.value("by")).filter(|b| is_office(model, *b)) else {
            return;
        };
        let step = node.text("step").unwrap_or("step");
        let dispute = match node.value("dispute") {
            Some(Value::Node(d)) => model.get(*d),
            _ => None,
        };
        let between: Vec<NodeId> = match dispute.and_then(|d| d.value("between")) {
            Some(Value::List(items)) => items
                .iter()
                .filter_map(|i| actor_node(Some(i)))
                .filter(|p| is_office(model, *p))
                .collect(),
            _ => Vec::new(),
        };
        let title = match dispute.and_then(|d| d.text("title")) {
            Some(t) => format!("\"{t}\""),
            None if between.is_empty() => "a dispute".to_string(),
            None => {
                let names: Vec<String> = between.iter().map(|p| model.name_of(*p)).collect();
                format!("the dispute between {}", names.join(" and "))
            }
        };
        let parties: Vec<NodeId> = between.into_iter().filter(|p| *p != by).collect();
        let action = format!("{step} in {title}");
        if parties.is_empty() {
            self.push(
                by,
                PowerKind::Judge,
                (Target::Parties(title), Reach::default()),
                action,
                node.clause,
                None,
            );
            return;
        }
        let mut seen = BTreeSet::new();
        for p in parties {
            let over = self.target(Some(p));
            if seen.insert(over.0.clone()) {
                self.push(
                    by,
                    PowerKind::Judge,
                    over,
                    action.clone(),
                    node.clause,
                    None,
                );
            }
        }
    }

    /// Powers a role's or body's own declaration gives others over it.
    fn office(&mut self, id: NodeId) {
        let model = self.model;
        let Some(node) = model.get(id) else { return };
        let name = model.name_of(id);
        let fields = [
            ("approved_by", PowerKind::Admit, "approves who joins"),
            ("elected_by", PowerKind::Elect, "elects"),
            ("appointed_by", PowerKind::Appoint, "appoints"),
            ("removable_by", PowerKind::Remove, "may remove"),
        ];
        for (field, kind, verb) in fields {
            let Some(f) = node.get(field) else { continue };
            let Some(by) = actor_node(Some(&f.value)).filter(|b| is_office(model, *b)) else {
                continue;
            };
            let over = self.target(Some(id));
            self.push(by, kind, over, format!("{verb} {name}"), f.clause, None);
        }
    }

    /// Whether the peers an edge reaches have a say over its holder.
    fn answerable(&self, holder: NodeId, reach: &Reach) -> bool {
        let model = self.model;
        let includes = |who: NodeId| {
            if reach.everyone {
                model.is_whole_membership(&Actor::Node(who))
            } else {
                let covered = model.covered_roles(&Actor::Node(who));
                reach.roles.iter().all(|r| covered.binary_search(r).is_ok())
            }
        };
        if model.is_whole_membership(&Actor::Node(holder)) {
            return true;
        }
        [
            office_field(model, holder, "elected_by"),
            office_field(model, holder, "removable_by"),
        ]
        .into_iter()
        .flatten()
        .any(includes)
    }

    /// The peers an edge acts on, leaving out the holder's own roles (an office that
    /// names its successor acts on itself).
    fn peers(&self, holder: NodeId, reach: &Reach) -> Reach {
        if reach.everyone {
            return reach.clone();
        }
        let own = self.model.covered_roles(&Actor::Node(holder));
        Reach {
            everyone: false,
            roles: reach
                .roles
                .iter()
                .copied()
                .filter(|r| own.binary_search(r).is_err())
                .collect(),
        }
    }
}

/// The powers for which a named predicate of the policies in force holds (`sanction`,
/// `same_as_holder_hearing`), so that the map and the due-process rules always agree;
/// none when no policy defines it.
fn powers_where(model: &Model, rules: &RuleSet, predicate: &str) -> HashSet<NodeId> {
    let Ok(condition) = rules.condition(predicate, Kind::Power) else {
        return HashSet::new();
    };
    let mut eval = Evaluator::new(model, &rules.vocabularies);
    model
        .of_kind(Kind::Power)
        .iter()
        .copied()
        .filter(|&id| eval.test(&condition, id).unwrap_or(false))
        .collect()
}

/// Works out who holds which power over whom in a charter, and the highlights.
pub fn power_map(model: &Model, rules: &RuleSet) -> PowerMap {
    let offices: Vec<NodeId> = model.ids().filter(|id| is_office(model, *id)).collect();
    let mut b = Builder {
        model,
        vocab: Vocab::new(rules),
        edges: Vec::new(),
        reach: Vec::new(),
        origin: Vec::new(),
        sanctions: powers_where(model, rules, "sanction"),
        amendments: powers_where(model, rules, "amendment_power"),
    };
    for &id in &offices {
        b.office(id);
    }
    for &id in model.of_kind(Kind::Power) {
        b.power(id);
    }
    for &id in model.of_kind(Kind::Decision) {
        b.decision(id);
    }
    for &id in model.of_kind(Kind::Step) {
        b.step(id);
    }

    let mut highlights = Vec::new();

    // Power over peers who have no say over the holder.
    for &holder in &offices {
        let name = model.name_of(holder);
        let mut over: Vec<Target> = Vec::new();
        let mut clauses: Vec<String> = Vec::new();
        let mut flagged = Vec::new();
        for (i, (edge, reach)) in b.edges.iter().zip(&b.reach).enumerate() {
            if edge.holder != name || !edge.kind.acts_on_peers() {
                continue;
            }
            let peers = b.peers(holder, reach);
            if !peers.everyone && peers.roles.is_empty() {
                continue;
            }
            if b.answerable(holder, &peers) {
                continue;
            }
            flagged.push(i);
            if !over.contains(&edge.over) {
                over.push(edge.over.clone());
            }
            if let Some(c) = &edge.clause {
                if !clauses.contains(c) {
                    clauses.push(c.clone());
                }
            }
        }
        if !flagged.is_empty() {
            for i in flagged {
                if let Some(e) = b.edges.get_mut(i) {
                    e.highlighted = true;
                }
            }
            highlights.push(Highlight::PowerWithoutSay {
                holder: name,
                over,
                clauses,
            });
        }
    }

    // A sanction heard, or appealed, before the body that imposes it.
    let heard_by_own = powers_where(model, rules, "same_as_holder_hearing");
    let appealed_to_own = powers_where(model, rules, "same_as_holder_appeal");
    for &id in model.of_kind(Kind::Power) {
        let Some(node) = model.get(id) else { continue };
        let Some(holder) = actor_node(node.value("holder")).filter(|h| is_office(model, *h)) else {
            continue;
        };
        if !b.is_sanction(id) {
            continue;
        }
        let own_stages = [
            ("hearing.body", heard_by_own.contains(&id)),
            ("appeal.body", appealed_to_own.contains(&id)),
        ];
        let stage = match own_stages.map(|(_, own)| own) {
            [true, true] => "the case and the appeal",
            [true, false] => "the case",
            [false, true] => "the appeal",
            [false, false] => continue,
        };
        let own_judges: Vec<String> = own_stages
            .iter()
            .filter(|(_, own)| *own)
            .filter_map(|(field, _)| actor_node(node.value(field)))
            .map(|j| model.name_of(j))
            .collect();
        let holder_name = model.name_of(holder);
        let action = match object_phrase(node) {
            Some(o) => format!("{} {o}", node.text("action").unwrap_or_default()),
            None => node.text("action").unwrap_or_default().to_string(),
        };
        let clause = clause_name(model, node.clause);
        for (e, origin) in b.edges.iter_mut().zip(&b.origin) {
            if *origin != Some(id) {
                continue;
            }
            let judged_here = e.kind == PowerKind::Judge && own_judges.contains(&e.holder);
            if e.kind == PowerKind::Sanction || judged_here {
                e.highlighted = true;
            }
        }
        highlights.push(Highlight::JudgesOwnCause {
            holder: holder_name,
            action,
            stage: stage.into(),
            clause,
        });
    }

    let charter = model
        .of_kind(Kind::Charter)
        .first()
        .and_then(|c| model.get(*c))
        .and_then(|c| c.text("name"))
        .map(str::to_string);
    PowerMap {
        charter,
        offices: offices
            .iter()
            .filter_map(|id| {
                let node = model.get(*id)?;
                Some(Office {
                    name: model.name_of(*id),
                    kind: if node.kind == Kind::Role {
                        OfficeKind::Role
                    } else {
                        OfficeKind::Body
                    },
                    description: node.text("description").map(str::to_string),
                })
            })
            .collect(),
        edges: b.edges,
        highlights,
    }
}

const NOTHING_TO_MAP: &str = "no roles or bodies: nothing to map\n";

/// The map as text: highlights first, then each holder's powers grouped by kind.
pub fn text(map: &PowerMap) -> String {
    if map.offices.is_empty() {
        return NOTHING_TO_MAP.into();
    }
    let mut out = String::new();
    match &map.charter {
        Some(name) => {
            let _ = writeln!(out, "power map of \"{name}\"");
        }
        None => out.push_str("power map\n"),
    }
    out.push('\n');
    if map.highlights.is_empty() {
        out.push_str("highlights: none\n");
    } else {
        out.push_str("highlights:\n");
        for h in &map.highlights {
            let _ = writeln!(out, "  ! {}", h.message());
        }
    }
    let mut idle = Vec::new();
    for office in &map.offices {
        let edges: Vec<&Edge> = map
            .edges
            .iter()
            .filter(|e| e.holder == office.name)
            .collect();
        if edges.is_empty() {
            idle.push(office.name.as_str());
            continue;
        }
        let _ = writeln!(out, "\n{} {}", office.kind.as_str(), office.name);
        let mut kinds: Vec<PowerKind> = edges.iter().map(|e| e.kind).collect();
        kinds.sort();
        kinds.dedup();
        for kind in kinds {
            let _ = writeln!(out, "  {}", kind.as_str());
            for e in edges.iter().filter(|e| e.kind == kind) {
                let mark = if e.highlighted { "!" } else { "-" };
                let place = e
                    .clause
                    .as_ref()
                    .map_or_else(|| "its declaration".to_string(), |c| format!("clause {c}"));
                let _ = writeln!(
                    out,
                    "    {mark} over {}: {} ({place})",
                    e.over.label(),
                    e.action
                );
            }
        }
    }
    if map.edges.is_empty() {
        out.push_str("\nno role or body holds power over another\n");
    }
    if !idle.is_empty() && !map.edges.is_empty() {
        let _ = writeln!(out, "\nholding no power here: {}", idle.join(", "));
    }
    out
}

/// Text for a double-quoted DOT string: backslashes, quotes and line breaks escaped, so
/// that no charter text can end the string or become an escape of its own.
fn dot_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// The nodes a drawing needs: every office, then the targets that are not offices.
fn graph_nodes(map: &PowerMap) -> Vec<(Target, String, Option<String>)> {
    let mut nodes: Vec<(Target, String, Option<String>)> = map
        .offices
        .iter()
        .map(|o| {
            (
                Target::Office(o.name.clone()),
                format!("{} ({})", o.name, o.kind.as_str()),
                o.description.clone(),
            )
        })
        .collect();
    for e in &map.edges {
        if !nodes.iter().any(|(t, _, _)| *t == e.over) {
            nodes.push((e.over.clone(), e.over.label(), None));
        }
    }
    nodes
}

/// The map as a Graphviz graph: roles and bodies as boxes, one labelled edge per power,
/// highlighted powers in bold red.
pub fn dot(map: &PowerMap) -> String {
    let mut out = String::new();
    let title = map.charter.as_deref().unwrap_or("power map");
    let _ = writeln!(out, "digraph \"{}\" {{", dot_escape(title));
    out.push_str("  rankdir=LR;\n");
    out.push_str("  node [shape=box, fontname=\"Helvetica\"];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    let nodes = graph_nodes(map);
    let id_of = |t: &Target| nodes.iter().position(|(n, _, _)| n == t);
    for (i, (target, label, description)) in nodes.iter().enumerate() {
        let mut attrs = format!("label=\"{}\"", dot_escape(label));
        if let Some(d) = description {
            let _ = write!(attrs, ", tooltip=\"{}\"", dot_escape(d));
        }
        if !matches!(target, Target::Office(_)) {
            attrs.push_str(", shape=ellipse");
        }
        let _ = writeln!(out, "  n{i} [{attrs}];");
    }
    for e in &map.edges {
        let (Some(from), Some(to)) = (id_of(&Target::Office(e.holder.clone())), id_of(&e.over))
        else {
            continue;
        };
        let mut label = e.kind.as_str().to_string();
        if let Some(c) = &e.clause {
            let _ = write!(label, "\n{c}");
        }
        let mut attrs = format!(
            "label=\"{}\", tooltip=\"{}\"",
            dot_escape(&label),
            dot_escape(&e.action)
        );
        if e.highlighted {
            attrs.push_str(", color=red, fontcolor=red, penwidth=2, style=bold");
        }
        let _ = writeln!(out, "  n{from} -> n{to} [{attrs}];");
    }
    out.push_str("}\n");
    out
}

const BOX_WIDTH: f64 = 220.0;
const BOX_HEIGHT: f64 = 34.0;
const ROW: f64 = 52.0;
const LEFT_X: f64 = 20.0;
const RIGHT_X: f64 = 560.0;
const WIDTH: f64 = 800.0;
const TOP: f64 = 70.0;

/// Text broken into lines of at most `width` characters, at spaces where it can be.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A name cut to fit its box.
fn fit(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut cut: String = s.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// The map as a standalone SVG document, laid out in two columns: the holders of power
/// on the left, those it is held over on the right, one line per pair labelled with the
/// kinds of power, highlighted lines in red. Every piece of charter text is escaped;
/// the document has no script.
pub fn svg(map: &PowerMap) -> String {
    let mut holders: Vec<&str> = Vec::new();
    for o in &map.offices {
        if map.edges.iter().any(|e| e.holder == o.name) {
            holders.push(&o.name);
        }
    }
    let mut targets: Vec<Target> = Vec::new();
    for (t, _, _) in graph_nodes(map) {
        if map.edges.iter().any(|e| e.over == t) {
            targets.push(t);
        }
    }
    // One line per holder and target carrying every kind of power between them, and a
    // second, red one beside it for the highlighted kinds.
    let mut lines: BTreeMap<(usize, usize, bool), BTreeSet<PowerKind>> = BTreeMap::new();
    for e in &map.edges {
        let from = holders.iter().position(|h| *h == e.holder);
        let to = targets.iter().position(|t| *t == e.over);
        if let (Some(from), Some(to)) = (from, to) {
            lines
                .entry((from, to, e.highlighted))
                .or_default()
                .insert(e.kind);
        }
    }
    let highlight_lines: Vec<Vec<String>> = map
        .highlights
        .iter()
        .map(|h| wrap(&h.message(), 120))
        .collect();
    let rows = holders.len().max(targets.len()).max(1);
    let highlights_top = TOP + rows as f64 * ROW + 20.0;
    let text_lines: usize = highlight_lines.iter().map(Vec::len).sum();
    let height = highlights_top + 24.0 + text_lines as f64 * 16.0 + 20.0;
    let describe = |name: &str| {
        map.offices
            .iter()
            .find(|o| o.name == name)
            .map(|o| match &o.description {
                Some(d) => format!("{} {}: {d}", o.kind.as_str(), o.name),
                None => format!("{} {}", o.kind.as_str(), o.name),
            })
    };

    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" font-family=\"Helvetica, Arial, sans-serif\">"
    );
    let title = map.charter.as_deref().unwrap_or("power map");
    let _ = writeln!(out, "  <title>{}</title>", escape(title));
    let _ = writeln!(
        out,
        "  <rect x=\"0\" y=\"0\" width=\"{WIDTH}\" height=\"{height}\" fill=\"white\"/>"
    );
    let _ = writeln!(
        out,
        "  <text x=\"{LEFT_X}\" y=\"28\" font-size=\"16\" font-weight=\"bold\">{}</text>",
        escape(&fit(title, 90))
    );
    if map.offices.is_empty() {
        let _ = writeln!(
            out,
            "  <text x=\"{LEFT_X}\" y=\"{TOP}\" font-size=\"13\">{}</text>",
            escape(NOTHING_TO_MAP.trim_end())
        );
        out.push_str("</svg>\n");
        return out;
    }
    let _ = writeln!(
        out,
        "  <text x=\"{LEFT_X}\" y=\"52\" font-size=\"12\" fill=\"#555555\">holds power</text>"
    );
    let _ = writeln!(
        out,
        "  <text x=\"{RIGHT_X}\" y=\"52\" font-size=\"12\" fill=\"#555555\">over</text>"
    );
    let row_y = |i: usize| TOP + i as f64 * ROW;

    out.push_str("  <g id=\"powers\">\n");
    let count = lines.len().max(1);
    for (n, ((from, to, highlighted), kinds)) in lines.iter().enumerate() {
        let twin = lines.contains_key(&(*from, *to, !*highlighted));
        let shift = match (twin, *highlighted) {
            (false, _) => 0.0,
            (true, true) => 5.0,
            (true, false) => -5.0,
        };
        let x1 = LEFT_X + BOX_WIDTH;
        let y1 = row_y(*from) + BOX_HEIGHT / 2.0 + shift;
        let x2 = RIGHT_X;
        let y2 = row_y(*to) + BOX_HEIGHT / 2.0 + shift;
        let (stroke, width) = if *highlighted {
            ("#cc0000", 2.5)
        } else {
            ("#555555", 1.0)
        };
        let label: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
        let label = label.join(", ");
        // Labels sit at different points along their lines so that lines leaving one
        // holder do not stack their labels on each other.
        let t = if count > 1 {
            0.2 + 0.6 * (n % 4) as f64 / 3.0
        } else {
            0.5
        };
        let lx = x1 + (x2 - x1) * t;
        let ly = y1 + (y2 - y1) * t + if shift > 0.0 { 13.0 } else { -4.0 };
        let _ = writeln!(
            out,
            "    <line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" stroke=\"{stroke}\" stroke-width=\"{width}\" marker-end=\"url(#arrow{})\"/>",
            if *highlighted { "-red" } else { "" }
        );
        let _ = writeln!(
            out,
            "    <text x=\"{lx:.1}\" y=\"{ly:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{stroke}\">{}</text>",
            escape(&label)
        );
    }
    out.push_str("  </g>\n");
    out.push_str("  <defs>\n");
    for (id, color) in [("arrow", "#555555"), ("arrow-red", "#cc0000")] {
        let _ = writeln!(
            out,
            "    <marker id=\"{id}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"{color}\"/></marker>"
        );
    }
    out.push_str("  </defs>\n");

    let flagged: BTreeSet<&str> = map.highlights.iter().map(Highlight::holder).collect();
    let draw_box = |out: &mut String,
                    x: f64,
                    y: f64,
                    name: &str,
                    tip: Option<String>,
                    red: bool| {
        let stroke = if red { "#cc0000" } else { "#333333" };
        let _ = writeln!(out, "    <g>");
        if let Some(tip) = tip {
            let _ = writeln!(out, "      <title>{}</title>", escape(&tip));
        }
        let _ = writeln!(
            out,
            "      <rect x=\"{x}\" y=\"{y}\" width=\"{BOX_WIDTH}\" height=\"{BOX_HEIGHT}\" rx=\"4\" fill=\"#f4f4f4\" stroke=\"{stroke}\" stroke-width=\"{}\"/>",
            if red { 2 } else { 1 }
        );
        let _ = writeln!(
            out,
            "      <text x=\"{}\" y=\"{}\" font-size=\"13\" text-anchor=\"middle\">{}</text>",
            x + BOX_WIDTH / 2.0,
            y + BOX_HEIGHT / 2.0 + 4.5,
            escape(&fit(name, 30))
        );
        let _ = writeln!(out, "    </g>");
    };
    out.push_str("  <g id=\"holders\">\n");
    for (i, h) in holders.iter().enumerate() {
        draw_box(
            &mut out,
            LEFT_X,
            row_y(i),
            h,
            describe(h),
            flagged.contains(h),
        );
    }
    out.push_str("  </g>\n  <g id=\"held\">\n");
    for (i, t) in targets.iter().enumerate() {
        let tip = match t {
            Target::Office(name) => describe(name),
            Target::Everyone => Some("the whole membership".into()),
            Target::Parties(_) => Some(t.label()),
        };
        draw_box(&mut out, RIGHT_X, row_y(i), &t.label(), tip, false);
    }
    out.push_str("  </g>\n");

    let _ = writeln!(
        out,
        "  <text x=\"{LEFT_X}\" y=\"{highlights_top}\" font-size=\"13\" font-weight=\"bold\">{}</text>",
        if map.highlights.is_empty() {
            "highlights: none"
        } else {
            "highlights"
        }
    );
    let mut y = highlights_top + 20.0;
    for lines in &highlight_lines {
        for (i, line) in lines.iter().enumerate() {
            let x = if i == 0 { LEFT_X } else { LEFT_X + 12.0 };
            let _ = writeln!(
                out,
                "  <text x=\"{x}\" y=\"{y}\" font-size=\"11\" fill=\"#cc0000\">{}</text>",
                escape(line)
            );
            y += 16.0;
        }
    }
    out.push_str("</svg>\n");
    out
}
