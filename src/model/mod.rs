//! The resolved model of a charter: every role, body, clause and statement as a node
//! with named fields, references resolved, and statements about the same power gathered.
//! This is what the rule engine queries; it knows nothing about any rule.

mod attrs;
mod lower;
pub mod schema;
mod strings;
mod value;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub use attrs::{allowed as allowed_attributes, shape as attribute_shape};
pub use lower::{lower, Lowerer, DISPUTE_STEPS, UNUSED_ROLE};
pub use schema::{FieldType, Kind};
pub use value::{trim_number, Actor, DaysDisplay, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One field of a node, with the place it was written and the clause that says it
/// (which may differ from the node's own clause when statements are gathered).
#[derive(Clone, PartialEq)]
pub struct Field {
    pub name: &'static str,
    pub value: Value,
    /// The span in 32-bit offsets (a charter is far smaller than 4 GB): a large
    /// charter has hundreds of thousands of fields, read on every step of every rule.
    at: [u32; 2],
    pub clause: Option<NodeId>,
}

impl Field {
    pub fn new(name: &'static str, value: Value, span: Span, clause: Option<NodeId>) -> Self {
        Field {
            name,
            value,
            at: span32(span),
            clause,
        }
    }

    pub fn span(&self) -> Span {
        Span::new(self.at[0] as usize, self.at[1] as usize)
    }
}

impl fmt::Debug for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Field")
            .field("name", &self.name)
            .field("value", &self.value)
            .field("span", &self.span())
            .field("clause", &self.clause)
            .finish()
    }
}

/// Offsets beyond 4 GB cannot occur: inputs that large are refused when read.
fn span32(span: Span) -> [u32; 2] {
    let offset = |o: usize| u32::try_from(o).unwrap_or(u32::MAX);
    [offset(span.start), offset(span.end)]
}

#[derive(Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    /// The whole statement or declaration, in 32-bit offsets as a field's.
    at: [u32; 2],
    /// The exact words a finding about this node points at (the grant, the name).
    focus_at: [u32; 2],
    /// The clause that holds the statement (none for roles, bodies and the header).
    pub clause: Option<NodeId>,
    pub fields: Vec<Field>,
}

impl fmt::Debug for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Node")
            .field("kind", &self.kind)
            .field("span", &self.span())
            .field("focus", &self.focus())
            .field("clause", &self.clause)
            .field("fields", &self.fields)
            .finish()
    }
}

impl Node {
    pub fn new(kind: Kind, span: Span, focus: Span, clause: Option<NodeId>) -> Self {
        Node {
            kind,
            at: span32(span),
            focus_at: span32(focus),
            clause,
            fields: Vec::new(),
        }
    }

    /// The whole statement or declaration.
    pub fn span(&self) -> Span {
        Span::new(self.at[0] as usize, self.at[1] as usize)
    }

    /// The exact words a finding about this node points at (the grant, the name).
    pub fn focus(&self) -> Span {
        Span::new(self.focus_at[0] as usize, self.focus_at[1] as usize)
    }

    pub fn get(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| same_name(f.name, name))
    }

    pub fn value(&self, name: &str) -> Option<&Value> {
        self.get(name).map(|f| &f.value)
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        self.shared_text(name).map(|s| &**s)
    }

    /// [`Node::text`], as the shared copy the model holds.
    pub fn shared_text(&self, name: &str) -> Option<&Arc<str>> {
        match self.value(name)? {
            Value::Text(s) | Value::Word(s) => Some(s),
            _ => None,
        }
    }

    /// Sets a field unless it is already set; returns whether it was new.
    pub fn set(
        &mut self,
        name: &'static str,
        value: Value,
        span: Span,
        clause: Option<NodeId>,
    ) -> bool {
        if self.get(name).is_some() {
            return false;
        }
        self.fields.push(Field::new(name, value, span, clause));
        true
    }
}

/// A use of a defined name: `board` in `board may suspend member`, `3.2` in
/// `regarding clause 3.2`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reference {
    pub target: NodeId,
    pub span: Span,
}

/// Field names are short and looked up on every step of every rule: most differ in
/// length or first letter, which is decided here without a call to `memcmp`.
fn same_name(field: &str, wanted: &str) -> bool {
    field.len() == wanted.len()
        && field.as_bytes().first() == wanted.as_bytes().first()
        && field == wanted
}

/// Office fields a body takes from its one member role when it does not state them.
const OFFICE_INHERITED: &[&str] = &[
    "elected_by",
    "appointed_by",
    "term",
    "permanent",
    "hereditary",
    "self_selected",
    "removable_by",
];

#[derive(Debug, Default)]
pub struct Model {
    pub nodes: Vec<Node>,
    /// Structural problems found while lowering: undefined references, duplicate ids,
    /// unknown attributes.
    pub diagnostics: Vec<Diagnostic>,
    /// The top-level peer roles: those within no other role.
    pub top_roles: Vec<NodeId>,
    /// Every place a role, body or clause is named after its definition, in the order
    /// of the text: what an editor's "find references" lists. Empty when lowered by
    /// [`Lowerer::without_references`], as a check is.
    pub references: Vec<Reference>,
    by_kind: Vec<Vec<NodeId>>,
    hierarchy: Hierarchy,
    /// Further statements gathered into a node, with their clauses: few nodes have
    /// any, so they are kept beside the nodes rather than in each.
    also_in: HashMap<NodeId, Vec<(NodeId, Span)>>,
}

impl Model {
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    pub fn get(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id.index())
    }

    /// The further statements gathered into a node (the same power stated again, or
    /// safeguards added `regarding` its clause), with their clauses.
    pub fn also_in(&self, id: NodeId) -> &[(NodeId, Span)] {
        self.also_in.get(&id).map_or(&[], Vec::as_slice)
    }

    fn gather(&mut self, id: NodeId, clause: NodeId, span: Span) {
        self.also_in.entry(id).or_default().push((clause, span));
    }

    /// Every node of one kind, in source order.
    pub fn of_kind(&self, kind: Kind) -> &[NodeId] {
        self.by_kind.get(kind as usize).map_or(&[], Vec::as_slice)
    }

    pub fn ids(&self) -> impl Iterator<Item = NodeId> {
        (0..self.nodes.len() as u32).map(NodeId)
    }

    /// Indexes nodes by kind and works out the hierarchy of roles; called once the
    /// nodes are final.
    fn finish(&mut self) {
        // Fields are set one at a time, so their lists carry spare room: on a large
        // charter the model is the largest structure alive while the rules run.
        for node in &mut self.nodes {
            node.fields.shrink_to_fit();
        }
        self.nodes.shrink_to_fit();
        // Lowering meets a clause named before it is defined only at the end: in the
        // order of the text, a reader (and an editor's "find references") sees them.
        self.references.sort_by_key(|r| r.span.start);
        self.references.shrink_to_fit();
        self.index_kinds();
        self.top_roles = self
            .of_kind(Kind::Role)
            .iter()
            .copied()
            .filter(|r| self.node(*r).value("within").is_none())
            .collect();
        self.build_hierarchy();
    }

    fn index_kinds(&mut self) {
        self.by_kind = vec![Vec::new(); Kind::ALL.len()];
        for (i, n) in self.nodes.iter().enumerate() {
            self.by_kind[n.kind as usize].push(NodeId(i as u32));
        }
    }

    /// What the charter says without where it says it: every node's kind and fields,
    /// spans aside. Two texts that mean the same have the same structure.
    pub fn structure(&self) -> Vec<(Kind, Vec<(&'static str, Value)>)> {
        self.nodes
            .iter()
            .map(|n| {
                (
                    n.kind,
                    n.fields.iter().map(|f| (f.name, f.value.clone())).collect(),
                )
            })
            .collect()
    }

    /// A field of a node, or, for a body of one role that does not state an office
    /// field (`elected_by`, `term`, `removable_by`…), that role's: a board of directors
    /// is elected the way directors are.
    pub fn office_field(&self, id: NodeId, name: &str) -> Option<&Field> {
        let node = self.get(id)?;
        if let Some(f) = node.get(name) {
            return Some(f);
        }
        if node.kind != Kind::Body || !OFFICE_INHERITED.contains(&name) {
            return None;
        }
        match node.value("members") {
            Some(Value::List(members)) => match &members[..] {
                [Value::Actor(Actor::Node(role))] if *role != id => self.get(*role)?.get(name),
                _ => None,
            },
            _ => None,
        }
    }

    /// The name a reader knows this node by: a role's name, a clause's number.
    pub fn name_of(&self, id: NodeId) -> String {
        let node = self.node(id);
        match node.kind {
            Kind::Clause => node.text("id").unwrap_or_default().to_string(),
            _ => node
                .text("name")
                .map(str::to_string)
                .unwrap_or_else(|| node.kind.as_str().to_string()),
        }
    }

    pub fn actor_name(&self, actor: &Actor) -> String {
        match actor {
            Actor::Node(id) => self.name_of(*id),
            Actor::Anyone => "anyone".into(),
            Actor::Nobody => "nobody".into(),
            Actor::Outside(s) => s.to_string(),
        }
    }

    /// The roles a role or body covers: the role and every role within it, or every
    /// role the body's members cover.
    pub fn covered_roles(&self, actor: &Actor) -> Vec<NodeId> {
        let starts: Vec<NodeId> = match actor {
            Actor::Node(id) => match self.node(*id).kind {
                Kind::Role => vec![*id],
                Kind::Body => self.hierarchy.members.get(id).cloned().unwrap_or_default(),
                _ => Vec::new(),
            },
            Actor::Anyone => return self.of_kind(Kind::Role).to_vec(),
            _ => Vec::new(),
        };
        // Iterative, so that a long `within` chain cannot exhaust the stack; `seen`
        // guards against any cycle left.
        let mut seen = HashSet::new();
        let mut stack = starts;
        while let Some(x) = stack.pop() {
            if seen.insert(x) {
                stack.extend(
                    self.hierarchy
                        .children
                        .get(&x)
                        .into_iter()
                        .flatten()
                        .copied(),
                );
            }
        }
        let mut list: Vec<NodeId> = seen.into_iter().collect();
        list.sort();
        list
    }

    /// Whether an actor stands for every peer: `anyone`, or a role or body covering
    /// every top-level role that is not a party to a contract (or, in a charter of
    /// parties only, every party).
    pub fn is_whole_membership(&self, actor: &Actor) -> bool {
        match actor {
            Actor::Anyone => true,
            Actor::Node(id) => self.hierarchy.whole.contains(id),
            _ => false,
        }
    }

    /// Works out who is within whom once. A top-level role is covered only by itself,
    /// so a role or body stands for every peer exactly when the peers' top-level roles
    /// are all among its own members: no walk over the hierarchy is needed.
    fn build_hierarchy(&mut self) {
        let mut children: HashMap<NodeId, Vec<NodeId>> = HashMap::new();
        for &r in self.of_kind(Kind::Role) {
            if let Some(Value::Actor(Actor::Node(parent))) = self.node(r).value("within") {
                children.entry(*parent).or_default().push(r);
            }
        }
        let mut members: HashMap<NodeId, Vec<NodeId>> = HashMap::new();
        for &b in self.of_kind(Kind::Body) {
            let mut list: Vec<NodeId> = Vec::new();
            if let Some(Value::List(ms)) = self.node(b).value("members") {
                for m in ms {
                    if let Value::Actor(Actor::Node(r)) = m {
                        list.push(*r);
                    }
                }
            }
            members.insert(b, list);
        }
        let mut peers: Vec<NodeId> = self
            .top_roles
            .iter()
            .copied()
            .filter(|r| {
                !self
                    .node(*r)
                    .value("is_party")
                    .is_some_and(Value::is_truthy)
            })
            .collect();
        // In a contract the parties are the peers.
        if peers.is_empty() {
            peers = self.top_roles.clone();
        }
        let mut whole = HashSet::new();
        if !peers.is_empty() {
            if let [only] = peers.as_slice() {
                whole.insert(*only);
            }
            for (b, list) in &members {
                if peers.iter().all(|p| list.contains(p)) {
                    whole.insert(*b);
                }
            }
        }
        self.hierarchy = Hierarchy {
            children,
            members,
            whole,
        };
    }
}

/// Who covers whom: see [`Model::covered_roles`] and [`Model::is_whole_membership`].
#[derive(Debug, Default)]
struct Hierarchy {
    children: HashMap<NodeId, Vec<NodeId>>,
    members: HashMap<NodeId, Vec<NodeId>>,
    whole: HashSet<NodeId>,
}

#[cfg(test)]
mod tests;
