//! Moving a parsed item to another place in the text: every span in it shifts by the
//! same amount. An editor's parse cache reuses the items of unchanged text this way,
//! wherever an edit above them has moved them.

use super::ast::*;
use crate::span::{Span, Spanned};

pub trait Shift {
    /// Moves every span forward by `by` bytes.
    fn shift(&mut self, by: usize);
}

impl Shift for Span {
    fn shift(&mut self, by: usize) {
        self.start += by;
        self.end += by;
    }
}

/// The values inside a `Spanned` hold no spans of their own: names, numbers,
/// durations, thresholds, modalities, actors' kinds.
impl<T> Shift for Spanned<T> {
    fn shift(&mut self, by: usize) {
        self.span.shift(by);
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(&mut self, by: usize) {
        if let Some(x) = self {
            x.shift(by);
        }
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(&mut self, by: usize) {
        for x in self {
            x.shift(by);
        }
    }
}

impl<A: Shift, B: Shift> Shift for (A, B) {
    fn shift(&mut self, by: usize) {
        self.0.shift(by);
        self.1.shift(by);
    }
}

impl Shift for Item {
    fn shift(&mut self, by: usize) {
        match self {
            Item::Header(h) => {
                h.name.shift(by);
                h.attrs.shift(by);
                h.span.shift(by);
            }
            Item::Role(r) => {
                r.name.shift(by);
                r.within.shift(by);
                r.description.shift(by);
                r.attrs.shift(by);
                r.span.shift(by);
            }
            Item::Body(b) => {
                b.name.shift(by);
                match &mut b.members {
                    Some(Members::External(s)) => s.shift(by),
                    Some(Members::Roles(names)) => names.shift(by),
                    None => {}
                }
                b.description.shift(by);
                b.attrs.shift(by);
                b.span.shift(by);
            }
            Item::Clause(c) => c.shift(by),
            Item::Article(a) => {
                a.id.shift(by);
                a.title.shift(by);
                a.items.shift(by);
                a.span.shift(by);
            }
        }
    }
}

impl Shift for Clause {
    fn shift(&mut self, by: usize) {
        self.id.shift(by);
        self.title.shift(by);
        self.statements.shift(by);
        self.span.shift(by);
    }
}

impl Shift for Statement {
    fn shift(&mut self, by: usize) {
        self.span.shift(by);
        match &mut self.kind {
            StatementKind::Text(t) => t.shift(by),
            StatementKind::Decision { subject, attrs } => {
                subject.shift(by);
                attrs.shift(by);
            }
            StatementKind::Dispute {
                between,
                title,
                steps,
            } => {
                between.shift(by);
                title.shift(by);
                steps.shift(by);
            }
            StatementKind::AppealRoute { from, to, attrs } => {
                from.shift(by);
                to.shift(by);
                attrs.shift(by);
            }
            StatementKind::Regarding { clause, attrs } => {
                clause.shift(by);
                attrs.shift(by);
            }
            StatementKind::Exemption { who, from, attrs } => {
                who.shift(by);
                match from {
                    ExemptFrom::Clause(n) | ExemptFrom::Text(n) => n.shift(by),
                }
                attrs.shift(by);
            }
            StatementKind::Consent {
                who,
                purposes,
                attrs,
            } => {
                who.shift(by);
                purposes.shift(by);
                attrs.shift(by);
            }
            StatementKind::Disclosure {
                who,
                what,
                to,
                about,
                attrs,
            } => {
                who.shift(by);
                what.shift(by);
                to.shift(by);
                about.shift(by);
                attrs.shift(by);
            }
            StatementKind::Grant {
                who,
                what,
                to,
                attrs,
            } => {
                who.shift(by);
                what.shift(by);
                to.shift(by);
                attrs.shift(by);
            }
            StatementKind::Modal {
                who,
                modality,
                action,
                object,
                in_body,
                attrs,
            } => {
                who.shift(by);
                modality.shift(by);
                action.shift(by);
                match object {
                    Some(Object::Text(t)) => t.shift(by),
                    Some(Object::Word { thing, of }) => {
                        thing.shift(by);
                        of.shift(by);
                    }
                    None => {}
                }
                in_body.shift(by);
                attrs.shift(by);
            }
        }
    }
}

impl Shift for Step {
    fn shift(&mut self, by: usize) {
        self.kind.shift(by);
        self.by.shift(by);
        self.attrs.shift(by);
        self.span.shift(by);
    }
}

impl Shift for Attr {
    fn shift(&mut self, by: usize) {
        self.key.shift(by);
        self.args.shift(by);
        self.span.shift(by);
    }
}

impl Shift for Arg {
    fn shift(&mut self, by: usize) {
        match self {
            Arg::Word(n) | Arg::Keyword(n) | Arg::Text(n) => n.shift(by),
            Arg::Number(n) => n.shift(by),
            Arg::Duration(d) => d.shift(by),
            Arg::Threshold(t) => t.shift(by),
            Arg::Actor(a) => a.shift(by),
        }
    }
}
