//! The typed syntax tree: what the charter says, as written, with a span on every node.

use crate::span::{Span, Spanned};

pub type Name = Spanned<String>;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ast {
    pub items: Vec<Item>,
    /// Every comment with its span, in source order (the tree itself has none).
    pub comments: Vec<Comment>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Header(Header),
    Role(RoleDecl),
    Body(BodyDecl),
    Clause(Clause),
    Article(Article),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Header(h) => h.span,
            Item::Role(r) => r.span,
            Item::Body(b) => b.span,
            Item::Clause(c) => c.span,
            Item::Article(a) => a.span,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    pub name: Name,
    pub attrs: Vec<Attr>,
    pub span: Span,
}

/// A role (a class of peers) or, in a contract, a party.
#[derive(Clone, Debug, PartialEq)]
pub struct RoleDecl {
    pub is_party: bool,
    pub name: Name,
    pub within: Option<Name>,
    pub description: Option<Name>,
    pub attrs: Vec<Attr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BodyDecl {
    pub name: Name,
    pub members: Option<Members>,
    pub description: Option<Name>,
    pub attrs: Vec<Attr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Members {
    External(Span),
    Roles(Vec<Name>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    pub id: Name,
    pub title: Option<Name>,
    pub statements: Vec<Statement>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Article {
    pub id: Name,
    pub title: Option<Name>,
    pub items: Vec<Item>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub kind: StatementKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StatementKind {
    Text(Name),
    Decision {
        subject: Name,
        attrs: Vec<Attr>,
    },
    Dispute {
        between: Option<(Actor, Actor)>,
        title: Option<Name>,
        steps: Vec<Step>,
    },
    AppealRoute {
        from: Actor,
        to: Actor,
        attrs: Vec<Attr>,
    },
    Regarding {
        clause: Name,
        attrs: Vec<Attr>,
    },
    Exemption {
        who: Actor,
        from: ExemptFrom,
        attrs: Vec<Attr>,
    },
    Consent {
        who: Actor,
        purposes: Vec<Name>,
        attrs: Vec<Attr>,
    },
    Disclosure {
        who: Actor,
        what: Name,
        to: Option<Actor>,
        about: Option<Actor>,
        attrs: Vec<Attr>,
    },
    Grant {
        who: Actor,
        what: Name,
        to: Option<Actor>,
        attrs: Vec<Attr>,
    },
    Modal {
        who: Actor,
        modality: Spanned<Modality>,
        action: Name,
        object: Option<Object>,
        in_body: Option<Name>,
        attrs: Vec<Attr>,
    },
}

impl StatementKind {
    /// The attributes in the statement's `{ … }` block (none for text and disputes,
    /// whose blocks hold prose or steps).
    pub fn attrs(&self) -> &[Attr] {
        match self {
            StatementKind::Text(_) | StatementKind::Dispute { .. } => &[],
            StatementKind::Decision { attrs, .. }
            | StatementKind::AppealRoute { attrs, .. }
            | StatementKind::Regarding { attrs, .. }
            | StatementKind::Exemption { attrs, .. }
            | StatementKind::Consent { attrs, .. }
            | StatementKind::Disclosure { attrs, .. }
            | StatementKind::Grant { attrs, .. }
            | StatementKind::Modal { attrs, .. } => attrs,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExemptFrom {
    Clause(Name),
    Text(Name),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub kind: Name,
    pub by: Option<Actor>,
    pub attrs: Vec<Attr>,
    pub span: Span,
}

pub type Actor = Spanned<ActorKind>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActorKind {
    Nobody,
    Anyone,
    /// `every ROLE`
    Every(String),
    /// A role or body by name.
    Named(String),
    /// A quoted description of someone outside the charter's roles ("an external arbiter").
    Described(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Modality {
    May,
    MayNot,
    Must,
    MustNot,
    Should,
    ShouldNot,
    NeedNot,
    Cannot,
}

impl Modality {
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::May => "may",
            Modality::MayNot => "may not",
            Modality::Must => "must",
            Modality::MustNot => "must not",
            Modality::Should => "should",
            Modality::ShouldNot => "should not",
            Modality::NeedNot => "need not",
            Modality::Cannot => "cannot",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Object {
    /// A quoted object: `may publish "the annual accounts"`.
    Text(Name),
    /// A word, optionally a thing belonging to someone: `remove posts of member`.
    Word { thing: Name, of: Option<Name> },
}

/// An attribute inside `{ ... }`: its keyword and its arguments in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Attr {
    pub key: Name,
    pub args: Vec<Arg>,
    /// Set when the keyword is not one the language knows.
    pub unknown: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// A bare word: a vocabulary item, a step kind, a form.
    Word(Name),
    /// A fixed keyword of the attribute (`none`, `reasonable`, `open`, `before`, `explicit`…).
    Keyword(Name),
    Text(Name),
    Number(Spanned<f64>),
    Duration(Spanned<Duration>),
    Threshold(Spanned<Threshold>),
    Actor(Actor),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Duration {
    pub amount: f64,
    pub unit: TimeUnit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    Hour,
    Day,
    BusinessDay,
    Week,
    Month,
    Year,
}

impl Duration {
    /// Calendar days, so that rules can compare notices written in different units.
    pub fn days(self) -> f64 {
        let per = match self.unit {
            TimeUnit::Hour => 1.0 / 24.0,
            TimeUnit::Day => 1.0,
            TimeUnit::BusinessDay => 7.0 / 5.0,
            TimeUnit::Week => 7.0,
            TimeUnit::Month => 30.0,
            TimeUnit::Year => 365.0,
        };
        self.amount * per
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Threshold {
    /// The share of votes needed, from 0 to 1 (`2/3`, `3:1` = 0.75, `50%`).
    pub share: f64,
    /// How it was written: `fraction`, `majority`, `consensus`, `lazy consensus`…
    pub kind: String,
}
