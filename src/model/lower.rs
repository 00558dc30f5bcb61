//! Syntax tree → resolved model: declarations first, then statements, so that every
//! name can be resolved wherever it is used.

// foldhash rather than SipHash: these maps are read for every name a charter uses.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::sync::Arc;

use super::attrs::{AttrLowering, CHARTER_KINDS, INVALID_VALUE};
use super::strings::Strings;
use super::{Actor, Kind, Model, Node, NodeId, Reference, Value};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::span::{Span, Spanned};
use crate::suggest::did_you_mean;
use crate::syntax::ast::{self, ActorKind, Ast, ExemptFrom, Item, Modality, Object, StatementKind};

pub const DUPLICATE_CLAUSE: (&str, &str) = ("S003", "duplicate-clause-id");
pub const UNDEFINED: (&str, &str) = ("S004", "undefined-reference");
pub const DUPLICATE_NAME: (&str, &str) = ("S008", "duplicate-definition");
pub const UNUSED_ROLE: (&str, &str) = ("S009", "unused-role");
pub const EMPTY_CLAUSE: (&str, &str) = ("S010", "empty-clause");
pub const NO_HEADER: (&str, &str) = ("S011", "missing-header");
pub const WRONG_KIND: (&str, &str) = ("S013", "wrong-kind-of-name");
pub const UNKNOWN_STEP: (&str, &str) = ("S014", "unknown-dispute-step");
pub const ROLE_CYCLE: (&str, &str) = ("S015", "role-within-itself");
pub const NOTHING_TO_GUARD: (&str, &str) = ("S016", "regarding-without-power");

/// Steps of a dispute process the language knows; another word is allowed but is
/// checked for a misspelling of one of these.
pub const DISPUTE_STEPS: &[&str] = &[
    "complaint",
    "report",
    "discussion",
    "consultation",
    "escalation",
    "negotiation",
    "conciliation",
    "facilitation",
    "mediation",
    "moderation",
    "investigation",
    "hearing",
    "review",
    "ruling",
    "decision",
    "vote",
    "arbitration",
    "adjudication",
    "appeal",
    "court",
    "litigation",
];

/// Lowers a whole syntax tree: its declarations first, then its clauses and articles.
pub fn lower(ast: &Ast) -> Model {
    let mut lowerer = Lowerer::new(ast.items.iter().filter(|i| is_declaration(i)));
    lowerer
        .lowering
        .model
        .nodes
        .reserve_exact(node_estimate(&ast.items));
    for item in ast.items.iter().filter(|i| !is_declaration(i)) {
        lowerer.item(item);
    }
    lowerer.finish()
}

/// Whether an item declares names (the header, a role, party or body) rather than
/// stating clauses: declarations are lowered before anything that names them.
fn is_declaration(item: &Item) -> bool {
    matches!(item, Item::Header(_) | Item::Role(_) | Item::Body(_))
}

/// Lowering one clause or article at a time, so that a caller can parse an item, lower
/// it and free it before the next: the syntax tree of a large charter is then never
/// whole. The declarations come first, since every statement may name them; a clause
/// may name a clause that comes after it, and those names are resolved at the end.
pub struct Lowerer {
    lowering: Lowering,
}

impl Lowerer {
    /// Lowering that lists every use of a name (`Model::references`), as an editor's
    /// "find references" needs.
    pub fn new<'d>(declarations: impl IntoIterator<Item = &'d Item>) -> Self {
        Self::begin(declarations, true)
    }

    /// Lowering that notes only which names are used: what a check needs.
    pub fn without_references<'d>(declarations: impl IntoIterator<Item = &'d Item>) -> Self {
        Self::begin(declarations, false)
    }

    fn begin<'d>(declarations: impl IntoIterator<Item = &'d Item>, keep_references: bool) -> Self {
        let mut lowering = Lowering {
            keep_references,
            ..Lowering::default()
        };
        let declared: Vec<(NodeId, &Item)> = declarations
            .into_iter()
            .filter_map(|item| Some((lowering.declare(item)?, item)))
            .collect();
        lowering.resolve_declarations(&declared);
        Lowerer { lowering }
    }

    /// Lowers the next clause or article, in source order. A declaration given here is
    /// declared late: the names it defines resolve only in the items after it.
    pub fn item(&mut self, item: &Item) {
        self.lowering.item(item, None);
    }

    pub fn finish(self) -> Model {
        let mut lowering = self.lowering;
        lowering.report_missing_header();
        lowering.resolve_forward_exemptions();
        lowering.apply_regarding();
        lowering.report_unused();
        let mut model = lowering.model;
        model.finish();
        model
    }
}

#[derive(Default)]
struct Lowering {
    model: Model,
    names: HashMap<String, (NodeId, Span)>,
    clause_ids: HashMap<String, NodeId>,
    roles: Vec<NodeId>,
    /// The header's name, once one is declared.
    header: Option<Span>,
    /// `regarding clause X { … }`, applied once every clause is lowered: (the
    /// reference, its attributes, the clause that refers).
    regarding: Vec<(Spanned<String>, Vec<ast::Attr>, NodeId)>,
    /// Exemptions from a clause not yet lowered when they were: (the exemption, the
    /// clause named).
    forward_exemptions: Vec<(NodeId, Spanned<String>)>,
    /// "Did you mean" for object words, once per distinct word.
    near_names: HashMap<String, Option<String>>,
    /// Powers by (kind, holder, action, object) so that statements about the same power
    /// gather into one node.
    powers: HashMap<(Kind, Actor, Arc<str>, Arc<str>), NodeId>,
    strings: Strings,
    /// Which nodes some statement or declaration names, by node.
    used: Vec<bool>,
    /// Whether to list every reference (for an editor); a check needs only `used`.
    keep_references: bool,
}

impl Lowering {
    fn push(&mut self, node: Node) -> NodeId {
        let id = NodeId(self.model.nodes.len() as u32);
        self.model.nodes.push(node);
        id
    }

    fn diag(&mut self, d: Diagnostic) {
        self.model.diagnostics.push(d);
    }

    /// A word of the charter as a field's value, in its one shared copy.
    fn word(&mut self, word: &str) -> Value {
        Value::Word(self.strings.get(word))
    }

    /// Quoted prose of the charter as a field's value, in its one shared copy.
    fn text(&mut self, text: &str) -> Value {
        Value::Text(self.strings.get(text))
    }

    /// A use of a defined name.
    fn refer(&mut self, target: NodeId, span: Span) {
        if self.used.len() <= target.index() {
            self.used.resize(target.index() + 1, false);
        }
        self.used[target.index()] = true;
        if self.keep_references {
            self.model.references.push(Reference { target, span });
        }
    }

    /// Makes the node of a header, role, party or body and defines its name; the names
    /// it uses are resolved once every declaration is made.
    fn declare(&mut self, item: &Item) -> Option<NodeId> {
        match item {
            Item::Header(h) => {
                if let Some(first) = self.header {
                    let d = Diagnostic::error(
                        DUPLICATE_NAME.0,
                        DUPLICATE_NAME.1,
                        "the charter has two headers",
                        Label::new(h.name.span, "second header"),
                    )
                    .with_label(Label::new(first, "first header"));
                    self.diag(d);
                    return None;
                }
                let mut node = Node::new(Kind::Charter, h.span, h.name.span, None);
                node.set("name", self.text(&h.name.node), h.name.span, None);
                self.header = Some(h.name.span);
                Some(self.push(node))
            }
            Item::Role(r) => {
                let mut node = Node::new(Kind::Role, r.span, r.name.span, None);
                node.set("name", self.word(&r.name.node), r.name.span, None);
                node.set("is_party", Value::Bool(r.is_party), r.name.span, None);
                if let Some(d) = &r.description {
                    node.set("description", self.text(&d.node), d.span, None);
                }
                let id = self.push(node);
                self.define(&r.name, id);
                self.roles.push(id);
                Some(id)
            }
            Item::Body(b) => {
                let mut node = Node::new(Kind::Body, b.span, b.name.span, None);
                node.set("name", self.word(&b.name.node), b.name.span, None);
                if let Some(d) = &b.description {
                    node.set("description", self.text(&d.node), d.span, None);
                }
                let id = self.push(node);
                self.define(&b.name, id);
                Some(id)
            }
            Item::Clause(_) | Item::Article(_) => {
                self.item(item, None);
                None
            }
        }
    }

    /// A clause with its statements, or an article with its clauses.
    fn item(&mut self, item: &Item, article: Option<&Spanned<String>>) {
        match item {
            Item::Clause(c) => {
                let id = self.declare_clause(c, article);
                self.lower_statements(id, c);
            }
            Item::Article(a) => {
                for inner in &a.items {
                    self.item(inner, Some(&a.id));
                }
            }
            Item::Header(_) | Item::Role(_) | Item::Body(_) => {
                if let Some(id) = self.declare(item) {
                    self.resolve_declarations(&[(id, item)]);
                }
            }
        }
    }

    fn declare_clause(&mut self, c: &ast::Clause, article: Option<&Spanned<String>>) -> NodeId {
        let focus = c.title.as_ref().map_or(c.id.span, |t| c.id.span.to(t.span));
        let mut node = Node::new(Kind::Clause, c.span, focus, None);
        node.set("id", self.word(&c.id.node), c.id.span, None);
        if let Some(t) = &c.title {
            node.set("title", self.text(&t.node), t.span, None);
        }
        if let Some(a) = article {
            node.set("article", self.word(&a.node), a.span, None);
        }
        let id = self.push(node);
        if let Some(first) = self.clause_ids.get(&c.id.node) {
            let first_span = self
                .model
                .node(*first)
                .get("id")
                .map_or(c.id.span, |f| f.span());
            let d = Diagnostic::error(
                DUPLICATE_CLAUSE.0,
                DUPLICATE_CLAUSE.1,
                format!("clause `{}` is numbered twice", c.id.node),
                Label::new(c.id.span, "second clause with this number"),
            )
            .with_label(Label::new(first_span, "first clause with this number"))
            .with_help(
                "give each clause its own number, so that findings and suppressions can name it",
            );
            self.diag(d);
        } else {
            self.clause_ids.insert(c.id.node.clone(), id);
        }
        id
    }

    fn define(&mut self, name: &Spanned<String>, id: NodeId) {
        if let Some((_, first)) = self.names.get(&name.node) {
            let d = Diagnostic::error(
                DUPLICATE_NAME.0,
                DUPLICATE_NAME.1,
                format!("`{}` is defined twice", name.node),
                Label::new(name.span, "defined again here"),
            )
            .with_label(Label::new(*first, "first defined here"))
            .with_help("roles, parties and bodies share one set of names");
            self.diag(d);
            return;
        }
        self.names.insert(name.node.clone(), (id, name.span));
    }

    /// Resolves a name used in a statement, reporting it with both places when it is
    /// undefined: the use, and the nearest name that is defined.
    fn resolve_name(&mut self, name: &str, span: Span, expected: &str) -> Option<NodeId> {
        if let Some((id, _)) = self.names.get(name) {
            let id = *id;
            self.refer(id, span);
            return Some(id);
        }
        let suggestion =
            did_you_mean(name, self.names.keys().map(String::as_str)).map(str::to_string);
        let mut d = Diagnostic::error(
            UNDEFINED.0,
            UNDEFINED.1,
            format!("`{name}` is not a defined {expected}"),
            Label::new(span, "used here"),
        );
        d = match suggestion {
            Some(s) => {
                let def = self.names.get(&s).map(|(_, sp)| *sp);
                let d = d.with_help(format!("did you mean `{s}`?"));
                match def {
                    Some(sp) => d.with_label(Label::new(sp, format!("`{s}` is defined here"))),
                    None => d,
                }
            }
            None => d.with_help(format!(
                "define it with `role {name}` or `body {name} = …`, or quote it (\"…\") if it is someone outside the charter"
            )),
        };
        self.diag(d);
        None
    }

    /// Reports a name that is defined, but as the wrong kind of thing.
    fn expect_kind(&mut self, id: NodeId, kind: Kind, used: &Spanned<String>, why: &str) -> bool {
        let found = self.model.node(id).kind;
        if found == kind {
            return true;
        }
        let defined = self.model.node(id).focus();
        let d = Diagnostic::error(
            WRONG_KIND.0,
            WRONG_KIND.1,
            format!(
                "`{}` is a {}, not a {}",
                used.node,
                found.as_str(),
                kind.as_str()
            ),
            Label::new(used.span, format!("a {} is needed here", kind.as_str())),
        )
        .with_label(Label::new(
            defined,
            format!("`{}` is defined as a {} here", used.node, found.as_str()),
        ))
        .with_help(why.to_string());
        self.diag(d);
        false
    }

    fn resolve(&mut self, actor: &ast::Actor) -> Actor {
        match &actor.node {
            ActorKind::Nobody => Actor::Nobody,
            ActorKind::Anyone => Actor::Anyone,
            ActorKind::Described(s) => Actor::Outside(self.strings.get(s)),
            ActorKind::Named(name) | ActorKind::Every(name) => {
                // `every ROLE` names the role; its span starts after `every`.
                let span = if matches!(actor.node, ActorKind::Every(_)) {
                    Span::new(actor.span.end.saturating_sub(name.len()), actor.span.end)
                } else {
                    actor.span
                };
                match self.resolve_name(name, span, "role or body") {
                    Some(id) => Actor::Node(id),
                    None => Actor::Outside(self.strings.get(name)),
                }
            }
        }
    }

    fn lower_attrs(&mut self, id: NodeId, attrs: &[ast::Attr], clause: Option<NodeId>) {
        let kind = self.model.node(id).kind;
        let label = kind_label(kind);
        let mut diagnostics = std::mem::take(&mut self.model.diagnostics);
        let fields = {
            let mut lowering = AttrLowering {
                kind,
                kind_label: label,
                diagnostics: &mut diagnostics,
            };
            let mut resolve = |a: &ast::Actor| self.resolve(a);
            lowering.lower(attrs, &mut resolve)
        };
        // Diagnostics raised while resolving went to self.model.diagnostics meanwhile.
        diagnostics.append(&mut self.model.diagnostics);
        self.model.diagnostics = diagnostics;
        let node = &mut self.model.nodes[id.index()];
        for (name, value, span) in fields {
            node.set(name, self.strings.share(value), span, clause);
        }
        // A node's own fields and attributes are all set by now: without spare room its
        // field list takes half the memory on a large charter.
        node.fields.shrink_to_fit();
    }

    /// Resolves the names the declarations use (`within`, a body's members, the
    /// actors in their attributes) and lowers their attributes.
    fn resolve_declarations(&mut self, declared: &[(NodeId, &Item)]) {
        for &(id, item) in declared {
            if let Item::Header(h) = item {
                self.resolve_header(id, h);
            }
        }
        for &(id, item) in declared {
            if let Item::Role(r) = item {
                self.resolve_role(id, r);
            }
        }
        self.break_within_cycles();
        for &(id, item) in declared {
            if let Item::Body(b) = item {
                self.resolve_body(id, b);
            }
        }
    }

    fn resolve_header(&mut self, id: NodeId, h: &ast::Header) {
        self.lower_attrs(id, &h.attrs, None);
        let kind = self.model.node(id).get("kind").cloned();
        if let Some(field) = kind {
            if let Value::Word(k) = &field.value {
                if !CHARTER_KINDS.contains(&&**k) {
                    let help = match did_you_mean(k, CHARTER_KINDS.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "a charter is `bylaws`, a `contract`, a `policy` or an `agreement`"
                            .into(),
                    };
                    let d = Diagnostic::error(
                        INVALID_VALUE.0,
                        INVALID_VALUE.1,
                        format!("`{k}` is not a kind of charter"),
                        Label::new(field.span(), "unknown kind"),
                    )
                    .with_help(help);
                    self.diag(d);
                }
            }
        }
    }

    /// A charter without a header still gets its node, so that rules about the charter
    /// as a whole have one to look at.
    fn report_missing_header(&mut self) {
        if self.header.is_some() {
            return;
        }
        let d = Diagnostic::error(
            NO_HEADER.0,
            NO_HEADER.1,
            "the charter has no header",
            Label::bare(Span::new(0, 0)),
        )
        .with_severity(Severity::Info)
        .with_help(
            "start with `charter \"NAME\" { kind bylaws  version \"1.0\" }` so reports can name it",
        );
        self.diag(d);
        self.push(Node::new(
            Kind::Charter,
            Span::default(),
            Span::default(),
            None,
        ));
    }

    fn resolve_role(&mut self, id: NodeId, r: &ast::RoleDecl) {
        if let Some(parent) = &r.within {
            if let Some(p) = self.resolve_name(&parent.node, parent.span, "role") {
                if self.expect_kind(
                    p,
                    Kind::Role,
                    parent,
                    "a role can only be within another role",
                ) {
                    self.model.nodes[id.index()].set(
                        "within",
                        Value::Actor(Actor::Node(p)),
                        parent.span,
                        None,
                    );
                }
            }
        }
        self.lower_attrs(id, &r.attrs, None);
    }

    fn resolve_body(&mut self, id: NodeId, b: &ast::BodyDecl) {
        match &b.members {
            Some(ast::Members::External(span)) => {
                self.model.nodes[id.index()].set("external", Value::Bool(true), *span, None);
            }
            Some(ast::Members::Roles(names)) => {
                let mut members = Vec::new();
                for n in names {
                    if let Some(r) = self.resolve_name(&n.node, n.span, "role") {
                        if self.expect_kind(r, Kind::Role, n, "a body's members are roles") {
                            members.push(Value::Actor(Actor::Node(r)));
                        }
                    }
                }
                let span = names
                    .first()
                    .map_or(b.span, |f| names.iter().fold(f.span, |s, n| s.to(n.span)));
                self.model.nodes[id.index()].set(
                    "members",
                    Value::List(members.into()),
                    span,
                    None,
                );
            }
            None => {}
        }
        self.lower_attrs(id, &b.attrs, None);
    }

    /// A role within itself, directly or through others, would make every walk over
    /// the hierarchy loop: report it and cut the cycle.
    fn break_within_cycles(&mut self) {
        // Each role is walked up its `within` chain once: a chain that reaches a role
        // already known to end cleanly stops there.
        let mut ends_cleanly: HashSet<NodeId> = HashSet::new();
        for id in self.roles.clone() {
            let mut path = vec![id];
            let mut current = id;
            loop {
                if ends_cleanly.contains(&current) {
                    break;
                }
                let Some(Value::Actor(Actor::Node(parent))) =
                    self.model.node(current).value("within").cloned()
                else {
                    break;
                };
                if path.contains(&parent) {
                    let role = self.model.node(id);
                    let span = role.get("within").map_or(role.focus(), |w| w.span());
                    let d = Diagnostic::error(
                        ROLE_CYCLE.0,
                        ROLE_CYCLE.1,
                        format!("role `{}` is within itself", self.model.name_of(id)),
                        Label::new(span, "this makes a circle of roles"),
                    );
                    self.diag(d);
                    self.model.nodes[id.index()]
                        .fields
                        .retain(|f| f.name != "within");
                    path.truncate(1);
                    break;
                }
                path.push(parent);
                current = parent;
            }
            ends_cleanly.extend(path);
        }
    }

    fn lower_statements(&mut self, clause_id: NodeId, clause: &ast::Clause) {
        if clause.statements.is_empty() {
            let d = Diagnostic::error(
                EMPTY_CLAUSE.0,
                EMPTY_CLAUSE.1,
                format!("clause `{}` says nothing", clause.id.node),
                Label::new(clause.id.span, "empty clause"),
            )
            .with_severity(Severity::Warning)
            .with_help("add its `text` and the statements it makes, or remove it");
            self.diag(d);
        }
        let mut text = String::new();
        let mut text_span: Option<Span> = None;
        for st in &clause.statements {
            if let StatementKind::Text(t) = &st.kind {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(&t.node);
                text_span = Some(text_span.map_or(t.span, |s| s.to(t.span)));
                continue;
            }
            self.statement(clause_id, st);
        }
        if let Some(span) = text_span {
            self.model.nodes[clause_id.index()].set("text", Value::Text(text.into()), span, None);
        }
    }

    fn statement(&mut self, clause: NodeId, st: &ast::Statement) {
        let c = Some(clause);
        match &st.kind {
            StatementKind::Text(_) => {}
            StatementKind::Modal {
                who,
                modality,
                action,
                object,
                in_body,
                attrs,
            } => self.modal(
                clause,
                st,
                who,
                modality,
                action,
                object.as_ref(),
                in_body.as_ref(),
                attrs,
            ),
            StatementKind::Decision { subject, attrs } => {
                let mut node = Node::new(Kind::Decision, st.span, subject.span, c);
                node.set("subject", self.word(&subject.node), subject.span, c);
                self.finish(node, clause, attrs);
            }
            StatementKind::Consent {
                who,
                purposes,
                attrs,
            } => {
                let focus = purposes.last().map_or(who.span, |p| who.span.to(p.span));
                let mut node = Node::new(Kind::Consent, st.span, focus, c);
                let holder = self.resolve(who);
                node.set("holder", Value::Actor(holder), who.span, c);
                let list = purposes.iter().map(|p| self.text(&p.node)).collect();
                node.set("purposes", Value::List(list), focus, c);
                self.finish(node, clause, attrs);
            }
            StatementKind::Disclosure {
                who,
                what,
                to,
                about,
                attrs,
            } => {
                let mut node = Node::new(Kind::Disclosure, st.span, who.span.to(what.span), c);
                self.holder_and_what(&mut node, who, what, to.as_ref(), clause);
                if let Some(a) = about {
                    let v = self.resolve(a);
                    node.set("about", Value::Actor(v), a.span, c);
                }
                self.finish(node, clause, attrs);
            }
            StatementKind::Grant {
                who,
                what,
                to,
                attrs,
            } => {
                let mut node = Node::new(Kind::Grant, st.span, who.span.to(what.span), c);
                self.holder_and_what(&mut node, who, what, to.as_ref(), clause);
                self.finish(node, clause, attrs);
            }
            StatementKind::Exemption { who, from, attrs } => {
                let mut node = Node::new(Kind::Exemption, st.span, st.span, c);
                let holder = self.resolve(who);
                node.set("holder", Value::Actor(holder), who.span, c);
                let mut forward = None;
                match from {
                    ExemptFrom::Clause(id) => match self.clause_ids.get(&id.node) {
                        Some(_) => {
                            if let Some(target) = self.resolve_clause(id) {
                                node.set("from_clause", Value::Node(target), id.span, c);
                            }
                        }
                        None => {
                            // A clause further on: the field keeps its place among the
                            // others and gets its value once every clause is known.
                            node.set("from_clause", Value::None, id.span, c);
                            forward = Some(id.clone());
                        }
                    },
                    ExemptFrom::Text(t) => {
                        node.set("from", self.text(&t.node), t.span, c);
                    }
                }
                let id = self.finish(node, clause, attrs);
                if let Some(target) = forward {
                    self.forward_exemptions.push((id, target));
                }
            }
            StatementKind::AppealRoute { from, to, attrs } => {
                let mut node = Node::new(Kind::AppealRoute, st.span, from.span.to(to.span), c);
                let f = self.resolve(from);
                let t = self.resolve(to);
                node.set("from", Value::Actor(f), from.span, c);
                node.set("to", Value::Actor(t), to.span, c);
                self.finish(node, clause, attrs);
            }
            StatementKind::Regarding {
                clause: target,
                attrs,
            } => self.regarding.push((target.clone(), attrs.clone(), clause)),
            StatementKind::Dispute {
                between,
                title,
                steps,
            } => {
                let focus = title.as_ref().map_or(st.span, |t| t.span);
                let mut node = Node::new(Kind::Dispute, st.span, focus, c);
                if let Some(t) = title {
                    node.set("title", self.text(&t.node), t.span, c);
                }
                if let Some((a, b)) = between {
                    let (x, y) = (self.resolve(a), self.resolve(b));
                    node.set(
                        "between",
                        Value::List(Box::new([Value::Actor(x), Value::Actor(y)])),
                        a.span.to(b.span),
                        c,
                    );
                }
                let dispute = self.push(node);
                let mut step_ids = Vec::new();
                for (order, step) in steps.iter().enumerate() {
                    self.check_step_word(&step.kind);
                    let mut s = Node::new(Kind::Step, step.span, step.kind.span, c);
                    s.set("step", self.word(&step.kind.node), step.kind.span, c);
                    s.set("order", Value::Num(order as f64 + 1.0), step.kind.span, c);
                    s.set("dispute", Value::Node(dispute), st.span, c);
                    if let Some(by) = &step.by {
                        let a = self.resolve(by);
                        s.set("by", Value::Actor(a), by.span, c);
                    }
                    let id = self.push(s);
                    self.lower_attrs(id, &step.attrs, c);
                    step_ids.push(Value::Node(id));
                }
                let span = st.span;
                self.model.nodes[dispute.index()].set(
                    "steps",
                    Value::List(step_ids.into()),
                    span,
                    c,
                );
            }
        }
    }

    fn holder_and_what(
        &mut self,
        node: &mut Node,
        who: &ast::Actor,
        what: &Spanned<String>,
        to: Option<&ast::Actor>,
        clause: NodeId,
    ) {
        let c = Some(clause);
        let holder = self.resolve(who);
        node.set("holder", Value::Actor(holder), who.span, c);
        node.set("what", self.text(&what.node), what.span, c);
        if let Some(t) = to {
            let v = self.resolve(t);
            node.set("to", Value::Actor(v), t.span, c);
        }
    }

    fn finish(&mut self, node: Node, clause: NodeId, attrs: &[ast::Attr]) -> NodeId {
        let id = self.push(node);
        self.lower_attrs(id, attrs, Some(clause));
        id
    }

    #[allow(clippy::too_many_arguments)]
    fn modal(
        &mut self,
        clause: NodeId,
        st: &ast::Statement,
        who: &ast::Actor,
        modality: &Spanned<Modality>,
        action: &Spanned<String>,
        object: Option<&Object>,
        in_body: Option<&Spanned<String>>,
        attrs: &[ast::Attr],
    ) {
        let c = Some(clause);
        let holder = self.resolve(who);
        let kind = match (modality.node, action.node.as_str()) {
            (Modality::May, "vote") => Kind::Vote,
            // `need not` lifts a duty: a liberty, kept as a power with its own modality.
            (Modality::May | Modality::NeedNot, _) => Kind::Power,
            (Modality::Must | Modality::Should, _) => Kind::Duty,
            _ => Kind::Prohibition,
        };
        let kind = if holder == Actor::Nobody && kind == Kind::Power {
            Kind::Prohibition
        } else {
            kind
        };
        let object_span = object.map(|o| match o {
            Object::Text(t) => t.span,
            Object::Word { thing, of } => of.as_ref().map_or(thing.span, |o| thing.span.to(o.span)),
        });
        let focus = who.span.to(object_span.unwrap_or(action.span));
        let mut node = Node::new(kind, st.span, focus, c);
        node.set("holder", Value::Actor(holder.clone()), who.span, c);
        node.set(
            "modality",
            Value::Word(modality.node.as_str().into()),
            modality.span,
            c,
        );
        let action_word = self.strings.get(&action.node);
        node.set(
            "action",
            Value::Word(Arc::clone(&action_word)),
            action.span,
            c,
        );
        // The object as written keys the power too: statements of one power gather.
        let mut object_key = None;
        if let Some(o) = object {
            // The object as written, for messages: `posts of member`, `"the accounts"`.
            let (phrase, span) = match o {
                Object::Text(t) => (t.node.clone(), t.span),
                Object::Word {
                    thing,
                    of: Some(owner),
                } => (
                    format!("{} of {}", thing.node, owner.node),
                    thing.span.to(owner.span),
                ),
                Object::Word { thing, of: None } => (thing.node.clone(), thing.span),
            };
            let phrase = self.strings.get(&phrase);
            node.set("object_phrase", Value::Text(Arc::clone(&phrase)), span, c);
            object_key = Some(phrase);
        }
        match object {
            Some(Object::Text(t)) => {
                node.set("object", self.text(&t.node), t.span, c);
            }
            Some(Object::Word { thing, of }) => {
                if let Some(owner) = of {
                    node.set("object", self.word(&thing.node), thing.span, c);
                    node.set("thing", self.word(&thing.node), thing.span, c);
                    if let Some(t) = self.resolve_name(&owner.node, owner.span, "role or body") {
                        node.set("target", Value::Actor(Actor::Node(t)), owner.span, c);
                    }
                } else if let Some((t, _)) = self.names.get(&thing.node).copied() {
                    self.refer(t, thing.span);
                    node.set("object", self.word(&thing.node), thing.span, c);
                    node.set("target", Value::Actor(Actor::Node(t)), thing.span, c);
                } else {
                    node.set("object", self.word(&thing.node), thing.span, c);
                    self.warn_near_name(thing);
                }
            }
            None => {}
        }
        if let Some(b) = in_body {
            if let Some(id) = self.resolve_name(&b.node, b.span, "body") {
                if self.expect_kind(
                    id,
                    Kind::Body,
                    b,
                    "votes and powers are exercised `in` a body",
                ) {
                    node.set("in", Value::Actor(Actor::Node(id)), b.span, c);
                }
            }
        }
        let object_key = object_key.unwrap_or_else(|| self.strings.get(""));
        let key = (kind, holder, action_word, object_key);
        if let Some(existing) = self.powers.get(&key).copied() {
            // The same power stated again: its safeguards join the first statement.
            self.model.gather(existing, clause, st.span);
            self.lower_attrs(existing, attrs, c);
            return;
        }
        let id = self.finish(node, clause, attrs);
        self.powers.insert(key, id);
    }

    /// A step word that is close to a known step but not one is most likely a typo.
    fn check_step_word(&mut self, word: &Spanned<String>) {
        if DISPUTE_STEPS.contains(&word.node.as_str()) {
            return;
        }
        if let Some(s) = did_you_mean(&word.node, DISPUTE_STEPS.iter().copied()) {
            let d = Diagnostic::error(
                UNKNOWN_STEP.0,
                UNKNOWN_STEP.1,
                format!("`{}` is not a dispute step the checker knows", word.node),
                Label::new(word.span, "unknown step"),
            )
            .with_severity(Severity::Warning)
            .with_help(format!("did you mean `{s}`?"));
            self.diag(d);
        }
    }

    /// An object word that is not a role but is spelt like one is most likely a typo.
    fn warn_near_name(&mut self, word: &Spanned<String>) {
        let suggestion = match self.near_names.get(&word.node) {
            Some(s) => s.clone(),
            None => {
                let s = did_you_mean(&word.node, self.names.keys().map(String::as_str))
                    .map(str::to_string);
                self.near_names.insert(word.node.clone(), s.clone());
                s
            }
        };
        if let Some(s) = suggestion {
            let d = Diagnostic::error(
                UNDEFINED.0,
                UNDEFINED.1,
                format!(
                    "`{}` is not a role or body, so the checker reads it as a thing",
                    word.node
                ),
                Label::new(word.span, "not a defined name"),
            )
            .with_severity(Severity::Warning)
            .with_help(format!("did you mean `{s}`?"));
            self.diag(d);
        }
    }

    fn resolve_clause(&mut self, id: &Spanned<String>) -> Option<NodeId> {
        if let Some(c) = self.clause_ids.get(&id.node) {
            let c = *c;
            self.refer(c, id.span);
            return Some(c);
        }
        let suggestion =
            did_you_mean(&id.node, self.clause_ids.keys().map(String::as_str)).map(str::to_string);
        let mut d = Diagnostic::error(
            UNDEFINED.0,
            UNDEFINED.1,
            format!("there is no clause `{}`", id.node),
            Label::new(id.span, "referred to here"),
        );
        if let Some(s) = suggestion {
            let at = self
                .clause_ids
                .get(&s)
                .and_then(|c| self.model.node(*c).get("id"))
                .map(|f| f.span());
            d = d.with_help(format!("did you mean clause `{s}`?"));
            if let Some(at) = at {
                d = d.with_label(Label::new(at, format!("clause `{s}` is here")));
            }
        }
        self.diag(d);
        None
    }

    /// Exemptions from a clause that came after them, now that every clause is known.
    fn resolve_forward_exemptions(&mut self) {
        for (exemption, reference) in std::mem::take(&mut self.forward_exemptions) {
            let target = self.resolve_clause(&reference);
            let fields = &mut self.model.nodes[exemption.index()].fields;
            match target {
                Some(target) => {
                    if let Some(f) = fields.iter_mut().find(|f| f.name == "from_clause") {
                        f.value = Value::Node(target);
                    }
                }
                None => fields.retain(|f| f.name != "from_clause"),
            }
        }
    }

    /// `regarding clause X { … }` adds safeguards to the powers that clause grants.
    fn apply_regarding(&mut self) {
        if self.regarding.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.regarding);
        let targets: Vec<Option<NodeId>> = pending
            .iter()
            .map(|(reference, _, _)| self.resolve_clause(reference))
            .collect();
        let wanted: HashSet<NodeId> = targets.iter().flatten().copied().collect();
        // The powers each clause referred to states, including those gathered into a
        // power first stated elsewhere: found before any safeguard is added, and only
        // for those clauses.
        let mut by_clause: HashMap<NodeId, Vec<NodeId>> = HashMap::new();
        for (i, n) in self.model.nodes.iter().enumerate() {
            if !matches!(n.kind, Kind::Power | Kind::Duty | Kind::Prohibition) {
                continue;
            }
            let id = NodeId(i as u32);
            for c in n
                .clause
                .into_iter()
                .chain(self.model.also_in(id).iter().map(|(c, _)| *c))
                .filter(|c| wanted.contains(c))
            {
                let list = by_clause.entry(c).or_default();
                if !list.contains(&id) {
                    list.push(id);
                }
            }
        }
        for ((reference, attrs, referring), target) in pending.into_iter().zip(targets) {
            let Some(target) = target else {
                continue;
            };
            let powers = by_clause.get(&target).cloned().unwrap_or_default();
            if powers.is_empty() {
                let d = Diagnostic::error(
                    NOTHING_TO_GUARD.0,
                    NOTHING_TO_GUARD.1,
                    format!(
                        "clause `{}` grants no power to add safeguards to",
                        reference.node
                    ),
                    Label::new(reference.span, "referred to here"),
                );
                self.diag(d);
                continue;
            }
            for p in powers {
                self.model.gather(p, referring, reference.span);
                self.lower_attrs(p, &attrs, Some(referring));
            }
        }
    }

    /// A role that no statement names grants no power and binds no one: most likely a
    /// leftover or a typo.
    fn report_unused(&mut self) {
        // Roles named inside role and body declarations count as used too.
        for id in self.roles.clone() {
            if !self.used.get(id.index()).copied().unwrap_or(false) {
                let d = Diagnostic::error(
                    UNUSED_ROLE.0,
                    UNUSED_ROLE.1,
                    format!(
                        "role `{}` is never granted, bound or named",
                        self.model.name_of(id)
                    ),
                    Label::new(self.model.node(id).focus(), "defined here"),
                )
                .with_severity(Severity::Warning)
                .with_help(
                    "remove the role, or add the clauses that give it its powers and duties",
                );
                self.diag(d);
            }
        }
    }
}

/// How many nodes lowering makes at most (the header's placeholder and repeated powers
/// aside): the model's node list is sized once rather than doubled as it grows.
fn node_estimate(items: &[Item]) -> usize {
    items
        .iter()
        .map(|item| match item {
            Item::Article(a) => node_estimate(&a.items),
            Item::Clause(c) => {
                1 + c
                    .statements
                    .iter()
                    .map(|st| match &st.kind {
                        StatementKind::Text(_) | StatementKind::Regarding { .. } => 0,
                        StatementKind::Dispute { steps, .. } => 1 + steps.len(),
                        _ => 1,
                    })
                    .sum::<usize>()
            }
            _ => 1,
        })
        .sum::<usize>()
        + 1
}

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Charter => "the charter header",
        Kind::Role => "a role",
        Kind::Body => "a body",
        Kind::Clause => "a clause",
        Kind::Power => "a power",
        Kind::Duty => "a duty",
        Kind::Prohibition => "a prohibition",
        Kind::Vote => "a vote",
        Kind::Decision => "a decision rule",
        Kind::Consent => "a consent",
        Kind::Disclosure => "a disclosure",
        Kind::Grant => "a grant",
        Kind::Exemption => "an exemption",
        Kind::Dispute => "a dispute process",
        Kind::Step => "a dispute step",
        Kind::AppealRoute => "an appeal route",
    }
}
