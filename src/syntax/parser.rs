//! The pest path: text of one top-level item → syntax tree. pest is the authority on the
//! grammar and the source of every syntax error; the fast path in [`super::fast`] reads
//! the items it can vouch for first.

use pest::iterators::Pair;
use pest::Parser;

use super::ast::*;
use crate::span::{Span, Spanned};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/charter.pest"]
pub struct CharterParser;

/// A syntax error as pest reports it, before it is put in the charter's words.
pub type Error = pest::error::Error<Rule>;

/// Parses one top-level item whose text starts at byte `offset` of the file.
///
/// The hand-written parser in [`super::fast`] reads the item first; pest, the authority
/// on the grammar, reads it when that parser cannot vouch for its tree, which includes
/// every item with a syntax error.
pub fn parse_item(text: &str, offset: usize) -> Result<Item, Box<Error>> {
    match super::fast::parse_item(text, offset) {
        Some(item) => Ok(item),
        None => parse_item_with_pest(text, offset),
    }
}

/// [`parse_item`] by pest alone, for the tests that hold the fast path to it.
pub fn parse_item_with_pest(text: &str, offset: usize) -> Result<Item, Box<Error>> {
    let mut pairs = CharterParser::parse(Rule::item_only, text).map_err(Box::new)?;
    let builder = Builder { offset };
    match pairs.next() {
        Some(pair) => Ok(builder.item(pair)),
        None => Err(Box::new(pest::error::Error::new_from_pos(
            pest::error::ErrorVariant::CustomError {
                message: "empty item".into(),
            },
            pest::Position::from_start(text),
        ))),
    }
}

struct Builder {
    offset: usize,
}

impl Builder {
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        Span::new(s.start() + self.offset, s.end() + self.offset)
    }

    fn name(&self, pair: &Pair<Rule>) -> Name {
        Spanned::new(pair.as_str().to_string(), self.span(pair))
    }

    fn string(&self, pair: Pair<Rule>) -> Name {
        let span = self.span(&pair);
        let raw = pair.into_inner().find(not_brace).map_or("", |p| p.as_str());
        Spanned::new(unescape(raw), span)
    }

    fn item(&self, pair: Pair<Rule>) -> Item {
        match pair.as_rule() {
            Rule::header => Item::Header(self.header(pair)),
            Rule::role_decl => Item::Role(self.role(pair, false)),
            Rule::party_decl => Item::Role(self.role(pair, true)),
            Rule::body_decl => Item::Body(self.body(pair)),
            Rule::article => Item::Article(self.article(pair)),
            _ => Item::Clause(self.clause(pair)),
        }
    }

    fn header(&self, pair: Pair<Rule>) -> Header {
        let span = self.span(&pair);
        let mut name = Spanned::new(String::new(), span);
        let mut attrs = Vec::new();
        for p in pair.into_inner().filter(not_brace) {
            match p.as_rule() {
                Rule::string => name = self.string(p),
                Rule::k_charter => {}
                _ => attrs.push(self.attr(p)),
            }
        }
        Header { name, attrs, span }
    }

    fn role(&self, pair: Pair<Rule>, is_party: bool) -> RoleDecl {
        let span = self.span(&pair);
        let mut decl = RoleDecl {
            is_party,
            name: Spanned::new(String::new(), span),
            within: None,
            description: None,
            attrs: Vec::new(),
            span,
        };
        let mut after_within = false;
        for p in pair.into_inner().filter(not_brace) {
            match p.as_rule() {
                Rule::k_within => after_within = true,
                Rule::name if after_within => decl.within = Some(self.name(&p)),
                Rule::name => decl.name = self.name(&p),
                Rule::string => decl.description = Some(self.string(p)),
                Rule::attr_block => decl.attrs = self.attrs(p),
                _ => {}
            }
        }
        decl
    }

    fn body(&self, pair: Pair<Rule>) -> BodyDecl {
        let span = self.span(&pair);
        let mut decl = BodyDecl {
            name: Spanned::new(String::new(), span),
            members: None,
            description: None,
            attrs: Vec::new(),
            span,
        };
        for p in pair.into_inner().filter(not_brace) {
            match p.as_rule() {
                Rule::name => decl.name = self.name(&p),
                Rule::members => decl.members = Some(self.members(p)),
                Rule::string => decl.description = Some(self.string(p)),
                Rule::attr_block => decl.attrs = self.attrs(p),
                _ => {}
            }
        }
        decl
    }

    fn members(&self, pair: Pair<Rule>) -> Members {
        let mut roles = Vec::new();
        for p in pair.into_inner().filter(not_brace) {
            match p.as_rule() {
                Rule::k_external => return Members::External(self.span(&p)),
                Rule::every_of => {
                    if let Some(n) = p
                        .into_inner()
                        .filter(not_brace)
                        .find(|q| q.as_rule() == Rule::name)
                    {
                        roles.push(self.name(&n));
                    }
                }
                Rule::name => roles.push(self.name(&p)),
                _ => {}
            }
        }
        Members::Roles(roles)
    }

    fn clause(&self, pair: Pair<Rule>) -> Clause {
        let span = self.span(&pair);
        let mut clause = Clause {
            id: Spanned::new(String::new(), span),
            title: None,
            statements: Vec::new(),
            span,
        };
        for p in pair.into_inner().filter(not_brace) {
            match p.as_rule() {
                Rule::k_clause => {}
                Rule::clause_id => clause.id = self.name(&p),
                Rule::string => clause.title = Some(self.string(p)),
                _ => clause.statements.push(self.statement(p)),
            }
        }
        clause.statements.shrink_to_fit();
        clause
    }

    fn article(&self, pair: Pair<Rule>) -> Article {
        let span = self.span(&pair);
        let mut article = Article {
            id: Spanned::new(String::new(), span),
            title: None,
            items: Vec::new(),
            span,
        };
        for p in pair.into_inner().filter(not_brace) {
            match p.as_rule() {
                Rule::k_article => {}
                Rule::clause_id => article.id = self.name(&p),
                Rule::string => article.title = Some(self.string(p)),
                _ => article.items.push(self.item(p)),
            }
        }
        article.items.shrink_to_fit();
        article
    }

    fn statement(&self, pair: Pair<Rule>) -> Statement {
        let span = self.span(&pair);
        let mut rule = pair.as_rule();
        let mut children: Vec<Pair<Rule>> = pair.into_inner().filter(not_brace).collect();
        // `actor_stmt` is the subject, then the rest of one kind of statement: read it
        // as that statement with the subject first.
        if rule == Rule::actor_stmt {
            if let [actor, tail] = children.as_slice() {
                rule = tail.as_rule();
                let mut flat = vec![actor.clone()];
                flat.extend(tail.clone().into_inner().filter(not_brace));
                children = flat;
            }
        }
        let mut inner = children
            .iter()
            .filter(|p| !is_keyword(p.as_rule()))
            .cloned();
        let placeholder = || Spanned::new(String::new(), span);
        let kind = match rule {
            Rule::text_stmt => {
                StatementKind::Text(inner.next().map_or_else(placeholder, |p| self.string(p)))
            }
            Rule::decision_stmt => {
                let subject = inner
                    .next()
                    .map_or_else(placeholder, |p| self.text_or_word(p));
                StatementKind::Decision {
                    subject,
                    attrs: self.rest_attrs(inner),
                }
            }
            Rule::dispute_stmt => {
                let mut actors = Vec::new();
                let mut title = None;
                let mut steps = Vec::new();
                for p in inner {
                    match p.as_rule() {
                        Rule::actor => actors.push(self.actor(p)),
                        Rule::string => title = Some(self.string(p)),
                        _ => steps.push(self.step(p)),
                    }
                }
                let mut actors = actors.into_iter();
                let between = match (actors.next(), actors.next()) {
                    (Some(a), Some(b)) => Some((a, b)),
                    _ => None,
                };
                StatementKind::Dispute {
                    between,
                    title,
                    steps,
                }
            }
            Rule::appeal_route => {
                let from = self.next_actor(&mut inner, span);
                let to = self.next_actor(&mut inner, span);
                StatementKind::AppealRoute {
                    from,
                    to,
                    attrs: self.rest_attrs(inner),
                }
            }
            Rule::regarding_stmt => {
                let clause = inner.next().map_or_else(placeholder, |p| self.name(&p));
                StatementKind::Regarding {
                    clause,
                    attrs: self.rest_attrs(inner),
                }
            }
            Rule::exemption => {
                let who = self.next_actor(&mut inner, span);
                let from = match inner.next() {
                    Some(p) if p.as_rule() == Rule::clause_ref => ExemptFrom::Clause(
                        p.into_inner()
                            .filter(not_brace)
                            .find(|q| q.as_rule() == Rule::clause_id)
                            .map_or_else(placeholder, |q| self.name(&q)),
                    ),
                    Some(p) => ExemptFrom::Text(self.string(p)),
                    None => ExemptFrom::Text(placeholder()),
                };
                StatementKind::Exemption {
                    who,
                    from,
                    attrs: self.rest_attrs(inner),
                }
            }
            Rule::consent => {
                let who = self.next_actor(&mut inner, span);
                let mut purposes = Vec::new();
                let mut attrs = Vec::new();
                for p in inner {
                    match p.as_rule() {
                        Rule::string => purposes.push(self.string(p)),
                        _ => attrs = self.attrs(p),
                    }
                }
                StatementKind::Consent {
                    who,
                    purposes,
                    attrs,
                }
            }
            Rule::disclosure | Rule::grant => {
                let who = self.next_actor(&mut inner, span);
                let what = inner.next().map_or_else(placeholder, |p| self.string(p));
                let (mut to, mut about, mut attrs) = (None, None, Vec::new());
                // `to` and `about` carry the same kind of node: the keyword before tells them apart.
                let mut after_about = false;
                for p in children
                    .iter()
                    .skip_while(|p| p.as_rule() != Rule::string)
                    .skip(1)
                {
                    match p.as_rule() {
                        Rule::k_about => after_about = true,
                        Rule::k_to => after_about = false,
                        Rule::actor if after_about => about = Some(self.actor(p.clone())),
                        Rule::actor => to = Some(self.actor(p.clone())),
                        Rule::attr_block => attrs = self.attrs(p.clone()),
                        _ => {}
                    }
                }
                if rule == Rule::grant {
                    StatementKind::Grant {
                        who,
                        what,
                        to,
                        attrs,
                    }
                } else {
                    StatementKind::Disclosure {
                        who,
                        what,
                        to,
                        about,
                        attrs,
                    }
                }
            }
            _ => self.modal(inner, span),
        };
        Statement { kind, span }
    }

    fn modal<'i>(&self, inner: impl Iterator<Item = Pair<'i, Rule>>, span: Span) -> StatementKind {
        let mut inner = inner.peekable();
        let who = self.next_actor(&mut inner, span);
        let modality = inner.next().map_or(Spanned::new(Modality::May, span), |p| {
            Spanned::new(modality(p.as_str()), self.span(&p))
        });
        let action = inner
            .next()
            .map_or_else(|| Spanned::new(String::new(), span), |p| self.name(&p));
        let (mut object, mut in_body, mut attrs) = (None, None, Vec::new());
        for p in inner {
            match p.as_rule() {
                Rule::object => object = Some(self.object(p)),
                Rule::name => in_body = Some(self.name(&p)),
                _ => attrs = self.attrs(p),
            }
        }
        StatementKind::Modal {
            who,
            modality,
            action,
            object,
            in_body,
            attrs,
        }
    }

    fn object(&self, pair: Pair<Rule>) -> Object {
        let mut inner = pair
            .into_inner()
            .filter(not_brace)
            .filter(|p| !is_keyword(p.as_rule()));
        match inner.next() {
            Some(p) if p.as_rule() == Rule::string => Object::Text(self.string(p)),
            Some(p) => Object::Word {
                thing: self.name(&p),
                of: inner.next().map(|q| self.name(&q)),
            },
            None => Object::Text(Spanned::new(String::new(), Span::default())),
        }
    }

    fn step(&self, pair: Pair<Rule>) -> Step {
        let span = self.span(&pair);
        let mut step = Step {
            kind: Spanned::new(String::new(), span),
            by: None,
            attrs: Vec::new(),
            span,
        };
        for p in pair.into_inner().filter(not_brace) {
            match p.as_rule() {
                Rule::thing => step.kind = self.name(&p),
                Rule::actor => step.by = Some(self.actor(p)),
                Rule::attr_block => step.attrs = self.attrs(p),
                _ => {}
            }
        }
        step
    }

    fn next_actor<'i>(
        &self,
        inner: &mut impl Iterator<Item = Pair<'i, Rule>>,
        span: Span,
    ) -> Actor {
        inner
            .next()
            .map_or(Spanned::new(ActorKind::Nobody, span), |p| self.actor(p))
    }

    fn actor(&self, pair: Pair<Rule>) -> Actor {
        let span = self.span(&pair);
        let kind = match pair.into_inner().find(not_brace) {
            Some(p) => match p.as_rule() {
                Rule::k_nobody => ActorKind::Nobody,
                Rule::k_anyone => ActorKind::Anyone,
                Rule::every_of => ActorKind::Every(
                    p.into_inner()
                        .filter(not_brace)
                        .find(|q| q.as_rule() == Rule::name)
                        .map_or_else(String::new, |q| q.as_str().to_string()),
                ),
                Rule::string => ActorKind::Described(self.string(p).node),
                _ => ActorKind::Named(p.as_str().to_string()),
            },
            None => ActorKind::Nobody,
        };
        Spanned::new(kind, span)
    }

    fn text_or_word(&self, pair: Pair<Rule>) -> Name {
        if pair.as_rule() == Rule::string {
            self.string(pair)
        } else {
            self.name(&pair)
        }
    }

    fn rest_attrs<'i>(&self, inner: impl Iterator<Item = Pair<'i, Rule>>) -> Vec<Attr> {
        inner
            .filter(|p| p.as_rule() == Rule::attr_block)
            .flat_map(|p| self.attrs(p))
            .collect()
    }

    fn attrs(&self, pair: Pair<Rule>) -> Vec<Attr> {
        exact(
            pair.into_inner()
                .filter(not_brace)
                .map(|p| self.attr(p))
                .collect(),
        )
    }

    fn attr(&self, pair: Pair<Rule>) -> Attr {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        if rule == Rule::unknown_attr {
            let mut inner = pair.into_inner().filter(not_brace);
            let key = inner
                .next()
                .map_or_else(|| Spanned::new(String::new(), span), |p| self.name(&p));
            let args = inner
                .map(|p| {
                    if p.as_rule() == Rule::string {
                        Arg::Text(self.string(p))
                    } else {
                        Arg::Word(self.name(&p))
                    }
                })
                .collect();
            return Attr {
                key,
                args: exact(args),
                unknown: true,
                span,
            };
        }
        let key_text = attr_keyword(rule);
        let key_end = (span.start + key_text.len()).min(span.end);
        let key = Spanned::new(key_text.to_string(), Span::new(span.start, key_end));
        let mut args = Vec::new();
        self.collect_args(pair, &mut args);
        Attr {
            key,
            args: exact(args),
            unknown: false,
            span,
        }
    }

    fn collect_args(&self, pair: Pair<Rule>, args: &mut Vec<Arg>) {
        for p in pair.into_inner().filter(not_brace) {
            let span = self.span(&p);
            match p.as_rule() {
                Rule::actor => args.push(Arg::Actor(self.actor(p))),
                Rule::string => args.push(Arg::Text(self.string(p))),
                Rule::word | Rule::date => args.push(Arg::Word(self.name(&p))),
                Rule::number => args.push(Arg::Number(Spanned::new(
                    p.as_str().parse().unwrap_or(0.0),
                    span,
                ))),
                Rule::duration => args.push(Arg::Duration(Spanned::new(duration(p), span))),
                Rule::fraction | Rule::odds | Rule::percent | Rule::named_threshold => {
                    args.push(Arg::Threshold(Spanned::new(threshold(p.as_str()), span)))
                }
                Rule::k_none
                | Rule::vague
                | Rule::open_grounds
                | Rule::permitted
                | Rule::tie_only
                | Rule::before_after
                | Rule::reconsent_kind
                | Rule::perpetual => args.push(Arg::Keyword(self.name(&p))),
                Rule::leave | Rule::may_leave | Rule::cannot_leave => {
                    let word = if p.as_rule() == Rule::cannot_leave {
                        "cannot"
                    } else {
                        "may"
                    };
                    if p.as_rule() != Rule::leave {
                        args.push(Arg::Keyword(Spanned::new(word.to_string(), span)));
                    }
                    self.collect_args(p, args);
                }
                _ => {}
            }
        }
    }
}

/// A list without spare capacity. Collected from pest's filtered iterators, whose size is
/// unknown, a list of one attribute would otherwise reserve room for four: across a
/// large charter the spare room outweighs the tree itself.
fn exact<T>(mut list: Vec<T>) -> Vec<T> {
    list.shrink_to_fit();
    list
}

fn not_brace(pair: &Pair<Rule>) -> bool {
    !matches!(pair.as_rule(), Rule::lbrace | Rule::rbrace)
}

fn is_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::k_charter
            | Rule::k_role
            | Rule::k_party
            | Rule::k_body
            | Rule::k_clause
            | Rule::k_article
            | Rule::k_within
            | Rule::k_every
            | Rule::k_external
            | Rule::k_text
            | Rule::k_decision
            | Rule::k_dispute
            | Rule::k_between
            | Rule::k_and
            | Rule::k_then
            | Rule::k_by
            | Rule::k_to
            | Rule::k_from
            | Rule::k_of
            | Rule::k_in
            | Rule::k_about
            | Rule::k_for
            | Rule::k_with
            | Rule::k_before
            | Rule::k_appeals
            | Rule::k_regarding
            | Rule::k_is
            | Rule::k_exempt
            | Rule::k_consents
            | Rule::k_discloses
            | Rule::k_grants
            | Rule::k_leave
    )
}

fn modality(text: &str) -> Modality {
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        ["must", "not"] => Modality::MustNot,
        ["must"] => Modality::Must,
        ["may", "not"] => Modality::MayNot,
        ["should", "not"] => Modality::ShouldNot,
        ["should"] => Modality::Should,
        ["need", "not"] => Modality::NeedNot,
        ["cannot"] => Modality::Cannot,
        _ => Modality::May,
    }
}

fn duration(pair: Pair<Rule>) -> Duration {
    let mut amount = 0.0;
    let mut unit = TimeUnit::Day;
    for p in pair.into_inner().filter(not_brace) {
        match p.as_rule() {
            Rule::number => amount = p.as_str().parse().unwrap_or(0.0),
            _ => {
                let u = p.as_str();
                unit = if u.starts_with("business") {
                    TimeUnit::BusinessDay
                } else if u.starts_with("hour") {
                    TimeUnit::Hour
                } else if u.starts_with("week") {
                    TimeUnit::Week
                } else if u.starts_with("month") {
                    TimeUnit::Month
                } else if u.starts_with("year") {
                    TimeUnit::Year
                } else {
                    TimeUnit::Day
                };
            }
        }
    }
    Duration { amount, unit }
}

pub(super) fn threshold(text: &str) -> Threshold {
    let ratio = |sep: char| -> Option<(f64, f64)> {
        let (a, b) = text.split_once(sep)?;
        Some((a.parse().ok()?, b.parse().ok()?))
    };
    let (share, kind) = if let Some((a, b)) = ratio('/') {
        (if b > 0.0 { a / b } else { 0.0 }, "fraction")
    } else if let Some((a, b)) = ratio(':') {
        (if a + b > 0.0 { a / (a + b) } else { 0.0 }, "ratio")
    } else if let Some(p) = text.strip_suffix('%') {
        (p.parse::<f64>().unwrap_or(0.0) / 100.0, "percent")
    } else {
        let normalized = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let share = match normalized.as_str() {
            "unanimity" | "consensus" => 1.0,
            "consensus minus one" => 0.99,
            "plurality" => 0.0,
            _ => 0.5,
        };
        return Threshold {
            share,
            kind: normalized,
        };
    };
    Threshold {
        share,
        kind: kind.to_string(),
    }
}

/// The keyword an attribute is written with, for its span and for messages.
pub fn attr_keyword(rule: Rule) -> &'static str {
    match rule {
        Rule::kind_attr => "kind",
        Rule::version_attr => "version",
        Rule::effective_attr => "effective",
        Rule::includes_attr => "includes",
        Rule::weight => "weight",
        Rule::grounds => "grounds",
        Rule::notice => "notice",
        Rule::hearing => "hearing",
        Rule::appeal => "appeal",
        Rule::decided_by => "by",
        Rule::threshold => "threshold",
        Rule::quorum => "quorum",
        Rule::proxies => "proxies",
        Rule::casting_vote => "casting vote",
        Rule::silence_assent => "silence counts as assent",
        Rule::objection_window => "objections",
        Rule::recusal => "recusal",
        Rule::form => "form",
        Rule::disclose => "disclose",
        Rule::revocable => "revocable",
        Rule::irrevocable => "irrevocable",
        Rule::withdrawal_cost => "withdrawal cost",
        Rule::bundled_with => "bundled with",
        Rule::timing => "timing",
        Rule::condition => "condition",
        Rule::reconsent => "reconsent",
        Rule::reason => "reason",
        Rule::stay => "stay pending appeal",
        Rule::cure => "cure",
        Rule::interim => "interim",
        Rule::automatic => "automatic",
        Rule::scope => "scope",
        Rule::term_of_grant => "duration",
        Rule::cost => "cost",
        Rule::criteria => "criteria",
        Rule::joins => "joins",
        Rule::elected_by => "elected",
        Rule::appointed_by => "appointed",
        Rule::term => "term",
        Rule::permanent => "permanent",
        Rule::hereditary => "hereditary",
        Rule::self_selected => "self-selected",
        Rule::removable_by => "removable",
        Rule::leave => "leave",
        Rule::seats => "seats",
        Rule::neutral => "neutral",
        Rule::window => "window",
        Rule::category => "category",
        Rule::defined_in => "defined in",
        _ => "",
    }
}

pub(super) fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}
