//! A hand-written parser for the charter grammar, tried before pest on every item.
//!
//! pest is the authority on the language: `grammar/charter.pest` defines it, and the pest
//! path in [`super::parser`] produces every syntax error. But most of the time pest spends
//! on a valid charter goes to its own machinery (rule bookkeeping, position snapshots, the
//! queue of tokens that the tree is then built from), not to reading the text. This module
//! reads the same grammar by recursive descent over the bytes and builds the syntax tree
//! directly.
//!
//! The contract: when [`parse_item`] returns `Some`, pest returns the same tree for the same
//! text, every span included. When the text is not a valid item, or when this parser meets
//! anything it is not sure of, it returns `None`, and pest parses the item again and says
//! what is wrong. A `None` costs only time. The differential tests (tests/fast_parser.rs)
//! and the `parse_agree` fuzz target keep the two paths equal.
//!
//! Each function mirrors one rule of the grammar and keeps pest's semantics for it:
//!
//! - ordered choice: the first alternative that matches wins, and a later failure never
//!   goes back into it; repetitions are greedy and give nothing back;
//! - a failed element consumes nothing: `Parser::opt` and `Parser::rep` put the
//!   position back where the element began;
//! - in non-atomic rules pest skips blanks and comments between elements (and between the
//!   iterations of a repetition); atomic rules (`@{}` and `${}`) skip nothing. A skip before
//!   an optional element is not undone when the element is missing, so a node may end with
//!   the blanks and comment after its last word: the spans here end the same way. The skip
//!   between two iterations of a repetition is undone with the iteration that fails.
//!
//! Keywords are matched by comparing the run of identifier characters at the position with
//! the keyword, which is what the grammar's `"word" ~ !ident_char` guard amounts to.

use std::cell::Cell;

use pest::unicode::{LETTER, MARK, NUMBER};

use super::ast::*;
use super::chunk::MAX_NESTING;
use super::parser::{threshold, unescape};
use crate::span::{Span, Spanned};

/// Parses the text of one top-level item whose text starts at byte `offset` of the file,
/// as `item_only = SOI ~ gap ~ item ~ gap ~ EOI` does; `None` when it cannot vouch that
/// pest would build the same tree.
pub fn parse_item(text: &str, offset: usize) -> Option<Item> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        offset,
        gave_up: false,
        scratch: SCRATCH.take(),
    };
    let item = parser.item_only();
    SCRATCH.set(parser.scratch.emptied());
    item
}

thread_local! {
    /// The scratch stacks of the last item read on this thread, kept for the next.
    static SCRATCH: Cell<Scratch> = const { Cell::new(Scratch::new()) };
}

/// A function that reads what follows an attribute's keyword and returns its arguments.
type AttrArgs<'t> = fn(&mut Parser<'t>) -> Option<Vec<Arg>>;

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    /// The byte position in `text`.
    pos: usize,
    /// Where `text` starts in the file: every span is shifted by it.
    offset: usize,
    /// Set when the parser refused to go on (articles nested too deep), so that no
    /// alternative reading of the text can be returned as if it were pest's.
    gave_up: bool,
    scratch: Scratch,
}

/// Stacks on which the lists of the tree are gathered, so that each list is allocated
/// once, at its final length, rather than grown and then shrunk. A rule that pushes onto
/// a stack takes its part back off (from the length it found) before it can fail, so
/// that nested rules of the same kind (articles in articles) each get their own.
#[derive(Default)]
struct Scratch {
    items: Vec<Item>,
    statements: Vec<Statement>,
    steps: Vec<Step>,
    attrs: Vec<Attr>,
}

impl Scratch {
    const fn new() -> Self {
        Scratch {
            items: Vec::new(),
            statements: Vec::new(),
            steps: Vec::new(),
            attrs: Vec::new(),
        }
    }

    /// The stacks with nothing on them, for the next item. They are empty after every
    /// parse already; this makes sure nothing of one item reaches the next, and that the
    /// room one huge item needed is not kept for the life of the thread.
    fn emptied(mut self) -> Self {
        fn empty<T>(stack: &mut Vec<T>) {
            stack.clear();
            stack.shrink_to(Scratch::KEPT);
        }
        empty(&mut self.items);
        empty(&mut self.statements);
        empty(&mut self.steps);
        empty(&mut self.attrs);
        self
    }

    /// How many entries of room each stack keeps between items: more than any real
    /// clause needs.
    const KEPT: usize = 256;
}

/// The part of `stack` above `base`, as a list without spare room.
fn take<T>(stack: &mut Vec<T>, base: usize) -> Vec<T> {
    stack.drain(base..).collect()
}

impl<'t> Parser<'t> {
    // -----------------------------------------------------------------------------------
    // Combinators with pest's semantics

    /// `x?` (and one alternative of a choice): on failure, nothing is consumed.
    #[inline]
    fn opt<T>(&mut self, element: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let start = self.pos;
        let result = element(self);
        if result.is_none() {
            self.pos = start;
        }
        result
    }

    /// `x*` in a non-atomic rule: the iterations are separated by a skip, which is undone
    /// with the iteration that fails. `each` keeps what it read only when it succeeds.
    #[inline]
    fn rep(&mut self, mut each: impl FnMut(&mut Self) -> Option<()>) {
        let mut start = self.pos;
        if each(self).is_none() {
            self.pos = start;
            return;
        }
        loop {
            start = self.pos;
            self.skip();
            if each(self).is_none() {
                self.pos = start;
                return;
            }
        }
    }

    /// The implicit `(WHITESPACE | COMMENT)*`: spaces and tabs, then at most one comment,
    /// which runs to the end of the line (a comment can only be followed by a newline).
    #[inline]
    fn skip(&mut self) {
        let bytes = self.bytes;
        let mut i = self.pos;
        while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'#' {
            while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                i += 1;
            }
        }
        self.pos = i;
    }

    /// One `nl | ";"` (and `","` when `commas`).
    #[inline]
    fn separator(&mut self, commas: bool) -> bool {
        match self.peek() {
            b'\n' | b';' => self.pos += 1,
            b',' if commas => self.pos += 1,
            b'\r' => {
                self.pos += if self.byte_at(self.pos + 1) == b'\n' {
                    2
                } else {
                    1
                }
            }
            _ => return false,
        }
        true
    }

    /// `(nl | ";")*`, or `(nl | ";" | ",")*` when `commas`.
    fn separators(&mut self, commas: bool) {
        if !self.separator(commas) {
            return;
        }
        loop {
            let start = self.pos;
            self.skip();
            if !self.separator(commas) {
                self.pos = start;
                return;
            }
        }
    }

    /// `gap = (nl | ";")*`
    fn gap(&mut self) {
        self.separators(false);
    }

    /// `asep = (nl | ";" | ",")*`
    fn asep(&mut self) {
        self.separators(true);
    }

    /// `sep = (nl | ";")+`, which pest reads as `(nl | ";") ~ (nl | ";")*`: the skip
    /// between the two parts stays even when no second separator follows.
    fn sep(&mut self) -> bool {
        if !self.separator(false) {
            return false;
        }
        self.skip();
        self.gap();
        true
    }

    // -----------------------------------------------------------------------------------
    // Characters, words and keywords

    /// The byte at `i`, or 0 past the end. Only for dispatch on bytes the grammar names,
    /// none of which is 0.
    #[inline]
    fn byte_at(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(0)
    }

    #[inline]
    fn peek(&self) -> u8 {
        self.byte_at(self.pos)
    }

    /// The character at byte `i`, which is always on a character boundary: the parser
    /// moves over ASCII bytes or over whole characters.
    fn char_at(&self, i: usize) -> Option<char> {
        self.text[i..].chars().next()
    }

    /// `ident_char = ASCII_ALPHANUMERIC | "_" | "-" | LETTER | MARK | NUMBER` at byte `i`.
    #[inline]
    fn ident_char_at(&self, i: usize) -> bool {
        match self.bytes.get(i) {
            None => false,
            Some(&b) if b < 0x80 => is_ascii_ident_char(b),
            Some(_) => self.char_at(i).is_some_and(is_unicode_ident_char),
        }
    }

    /// The end of the run of identifier characters that starts at `i`.
    #[inline]
    fn ident_run_end(&self, mut i: usize) -> usize {
        while let Some(&b) = self.bytes.get(i) {
            match BYTE_CLASS[usize::from(b)] {
                ASCII_IDENT => i += 1,
                NOT_ASCII => match self.char_at(i) {
                    Some(c) if is_unicode_ident_char(c) => i += c.len_utf8(),
                    _ => break,
                },
                _ => break,
            }
        }
        i
    }

    /// The run of identifier characters at the position: a keyword `k` guarded by
    /// `!ident_char` matches exactly when this run is `k`.
    #[inline]
    fn word(&self) -> &'t [u8] {
        let bytes: &'t [u8] = self.bytes;
        &bytes[self.pos..self.ident_run_end(self.pos)]
    }

    #[inline]
    fn at_keyword(&self, keyword: &[u8]) -> bool {
        self.bytes[self.pos..].starts_with(keyword) && !self.ident_char_at(self.pos + keyword.len())
    }

    /// A keyword rule such as `k_within = @{ "within" ~ !ident_char }`.
    #[inline]
    fn keyword(&mut self, keyword: &[u8]) -> Option<()> {
        if self.at_keyword(keyword) {
            self.pos += keyword.len();
            Some(())
        } else {
            None
        }
    }

    /// A literal such as `"{"` or `","`.
    #[inline]
    fn byte(&mut self, expected: u8) -> Option<()> {
        if self.peek() == expected {
            self.pos += 1;
            Some(())
        } else {
            None
        }
    }

    /// `(A | B | …) ~ !ident_char` over literals: the first literal that matches is the
    /// choice, and the guard then decides, without trying the literals after it.
    fn first_literal<T: Copy>(&self, at: usize, table: &[(&[u8], T)]) -> Option<(usize, T)> {
        let rest = &self.bytes[at..];
        let &(literal, value) = table
            .iter()
            .find(|(literal, _)| rest.starts_with(literal))?;
        let end = at + literal.len();
        (!self.ident_char_at(end)).then_some((end, value))
    }

    /// `ident = @{ (ASCII_ALPHA | "_" | LETTER) ~ ident_char* }`: its end.
    fn ident_end(&self, at: usize) -> Option<usize> {
        let starts = match self.bytes.get(at) {
            None => false,
            Some(&b) if b < 0x80 => b.is_ascii_alphabetic() || b == b'_',
            Some(_) => self.char_at(at).is_some_and(LETTER),
        };
        starts.then(|| self.ident_run_end(at))
    }

    // -----------------------------------------------------------------------------------
    // Tokens

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(start + self.offset, end + self.offset)
    }

    fn span_from(&self, start: usize) -> Span {
        self.span(start, self.pos)
    }

    /// The text from `start` to `end` as a name with its span.
    fn text_at(&self, start: usize, end: usize) -> Name {
        Spanned::new(self.text[start..end].to_string(), self.span(start, end))
    }

    /// `name = @{ !reserved ~ ident }`, and `word` and `action`, which are the same.
    fn name(&mut self) -> Option<Name> {
        let start = self.pos;
        let end = self.ident_end(start)?;
        if is_reserved(&self.bytes[start..end]) {
            return None;
        }
        self.pos = end;
        Some(self.text_at(start, end))
    }

    /// `thing = @{ ident }`: a name that may be a reserved word.
    fn thing(&mut self) -> Option<Name> {
        let start = self.pos;
        let end = self.ident_end(start)?;
        self.pos = end;
        Some(self.text_at(start, end))
    }

    /// `string = ${ "\"" ~ string_body ~ "\"" }`: the text between the quotes, unescaped,
    /// with the span of the whole string. A backslash takes the next character, whatever it
    /// is; a backslash at the end of the text leaves the string unclosed.
    fn string(&mut self) -> Option<Name> {
        let start = self.pos;
        if self.peek() != b'"' {
            return None;
        }
        let body = start + 1;
        let mut i = body;
        let mut escaped = false;
        loop {
            let found = self.bytes[i..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\')?;
            i += found;
            if self.bytes[i] == b'"' {
                break;
            }
            escaped = true;
            let next = self.char_at(i + 1)?;
            i += 1 + next.len_utf8();
        }
        let raw = &self.text[body..i];
        self.pos = i + 1;
        let value = if escaped {
            unescape(raw)
        } else {
            raw.to_string()
        };
        Some(Spanned::new(value, self.span_from(start)))
    }

    /// `clause_id = @{ (ASCII_ALPHANUMERIC | "_")
    ///   ~ (ASCII_ALPHANUMERIC | "." | "(" | ")" | "-" | "_")* }`
    fn clause_id(&mut self) -> Option<Name> {
        let start = self.pos;
        let first = self.peek();
        if !(first.is_ascii_alphanumeric() || first == b'_') {
            return None;
        }
        let mut end = start + 1;
        while is_clause_id_char(self.byte_at(end)) {
            end += 1;
        }
        self.pos = end;
        Some(self.text_at(start, end))
    }

    /// The end of `ASCII_DIGIT+` at `at`.
    fn digits_end(&self, at: usize) -> Option<usize> {
        let mut end = at;
        while self.byte_at(end).is_ascii_digit() {
            end += 1;
        }
        (end > at).then_some(end)
    }

    /// The end of `number = @{ ASCII_DIGIT+ ~ ("." ~ ASCII_DIGIT+)? }` at `at`.
    fn number_end(&self, at: usize) -> Option<usize> {
        let end = self.digits_end(at)?;
        if self.byte_at(end) == b'.' {
            if let Some(decimals) = self.digits_end(end + 1) {
                return Some(decimals);
            }
        }
        Some(end)
    }

    /// The end of `ASCII_DIGIT+ ~ "<between>" ~ ASCII_DIGIT+` (`fraction`, `odds`) at `at`.
    fn ratio_end(&self, at: usize, between: u8) -> Option<usize> {
        let end = self.digits_end(at)?;
        if self.byte_at(end) != between {
            return None;
        }
        self.digits_end(end + 1)
    }

    /// The end of `percent = @{ number ~ "%" }` at `at`.
    fn percent_end(&self, at: usize) -> Option<usize> {
        let end = self.number_end(at)?;
        (self.byte_at(end) == b'%').then_some(end + 1)
    }

    fn number(&mut self) -> Option<Arg> {
        let start = self.pos;
        let end = self.number_end(start)?;
        self.pos = end;
        let value = self.text[start..end].parse().unwrap_or(0.0);
        Some(Arg::Number(Spanned::new(value, self.span(start, end))))
    }

    /// A threshold token (`fraction`, `odds`, `percent`, `named_threshold`) that ends at `end`.
    fn threshold_to(&mut self, end: usize) -> Arg {
        let start = self.pos;
        self.pos = end;
        let value = threshold(&self.text[start..end]);
        Arg::Threshold(Spanned::new(value, self.span(start, end)))
    }

    /// `duration = ${ number ~ WHITESPACE+ ~ unit }`
    fn duration(&mut self) -> Option<Arg> {
        let start = self.pos;
        let number_end = self.number_end(start)?;
        let mut unit_start = number_end;
        while matches!(self.byte_at(unit_start), b' ' | b'\t') {
            unit_start += 1;
        }
        if unit_start == number_end {
            return None;
        }
        let (end, unit) = self.first_literal(unit_start, UNITS)?;
        self.pos = end;
        let amount = self.text[start..number_end].parse().unwrap_or(0.0);
        Some(Arg::Duration(Spanned::new(
            Duration { amount, unit },
            self.span(start, end),
        )))
    }

    /// One of an attribute's fixed words (`vague`, `permitted`, `open_grounds`…), a
    /// guarded choice of literals, as a keyword argument.
    fn fixed_word(&mut self, words: &[(&[u8], ())]) -> Option<Arg> {
        let start = self.pos;
        let (end, ()) = self.first_literal(start, words)?;
        self.pos = end;
        Some(Arg::Keyword(self.text_at(start, end)))
    }

    /// A keyword rule that the tree keeps as a keyword argument (`k_none`).
    fn keyword_arg(&mut self, keyword: &[u8]) -> Option<Arg> {
        let start = self.pos;
        self.keyword(keyword)?;
        Some(Arg::Keyword(self.text_at(start, self.pos)))
    }

    fn text_arg(&mut self) -> Option<Arg> {
        self.string().map(Arg::Text)
    }

    fn word_arg(&mut self) -> Option<Arg> {
        self.name().map(Arg::Word)
    }

    fn actor_arg(&mut self) -> Option<Arg> {
        self.actor().map(Arg::Actor)
    }

    // -----------------------------------------------------------------------------------
    // Top level

    /// `item_only = _{ SOI ~ gap ~ item ~ gap ~ EOI }`
    fn item_only(&mut self) -> Option<Item> {
        self.skip();
        self.gap();
        self.skip();
        let item = self.item(0)?;
        self.skip();
        self.gap();
        self.skip();
        (self.pos == self.bytes.len() && !self.gave_up).then_some(item)
    }

    /// `item = _{ clause | role_decl | body_decl | party_decl | article | header }`: each
    /// alternative starts with its own keyword, so the keyword picks the only one that can
    /// match.
    fn item(&mut self, depth: usize) -> Option<Item> {
        match self.word() {
            b"clause" => self.clause().map(Item::Clause),
            b"role" => self.role_decl().map(Item::Role),
            b"body" => self.body_decl().map(Item::Body),
            b"party" => self.party_decl().map(Item::Role),
            b"article" => self.article(depth).map(Item::Article),
            b"charter" => self.header().map(Item::Header),
            _ => None,
        }
    }

    /// `header = { k_charter ~ string ~ lbrace ~ asep ~ (header_attr ~ asep)* ~ rbrace }`
    fn header(&mut self) -> Option<Header> {
        let start = self.pos;
        self.keyword(b"charter")?;
        self.skip();
        let name = self.string()?;
        self.skip();
        let attrs = self.braced_attrs(Self::header_attr)?;
        Some(Header {
            name,
            attrs,
            span: self.span_from(start),
        })
    }

    /// `role_decl = { k_role ~ name ~ (k_within ~ name)? ~ string? ~ attr_block? }`
    fn role_decl(&mut self) -> Option<RoleDecl> {
        let start = self.pos;
        self.keyword(b"role")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        let within = self.opt(|p| p.keyword_then_name(b"within"));
        self.skip();
        let description = self.opt(Self::string);
        self.skip();
        let attrs = self.opt(Self::attr_block).unwrap_or_default();
        Some(RoleDecl {
            is_party: false,
            name,
            within,
            description,
            attrs,
            span: self.span_from(start),
        })
    }

    /// `party_decl = { k_party ~ name ~ string? ~ attr_block? }`
    fn party_decl(&mut self) -> Option<RoleDecl> {
        let start = self.pos;
        self.keyword(b"party")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        let description = self.opt(Self::string);
        self.skip();
        let attrs = self.opt(Self::attr_block).unwrap_or_default();
        Some(RoleDecl {
            is_party: true,
            name,
            within: None,
            description,
            attrs,
            span: self.span_from(start),
        })
    }

    /// `body_decl = { k_body ~ name ~ ("=" ~ members)? ~ string? ~ attr_block? }`
    fn body_decl(&mut self) -> Option<BodyDecl> {
        let start = self.pos;
        self.keyword(b"body")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        let members = self.opt(|p| {
            p.byte(b'=')?;
            p.skip();
            p.members()
        });
        self.skip();
        let description = self.opt(Self::string);
        self.skip();
        let attrs = self.opt(Self::attr_block).unwrap_or_default();
        Some(BodyDecl {
            name,
            members,
            description,
            attrs,
            span: self.span_from(start),
        })
    }

    /// `members = { k_external | (every_of | name) ~ ("," ~ (every_of | name))* }`
    fn members(&mut self) -> Option<Members> {
        let start = self.pos;
        if self.keyword(b"external").is_some() {
            return Some(Members::External(self.span_from(start)));
        }
        let mut roles = vec![self.member()?];
        self.skip();
        self.rep(|p| {
            p.byte(b',')?;
            p.skip();
            roles.push(p.member()?);
            Some(())
        });
        Some(Members::Roles(exact(roles)))
    }

    /// `every_of | name`, as the name of the role.
    fn member(&mut self) -> Option<Name> {
        self.opt(Self::every_of).or_else(|| self.name())
    }

    /// `every_of = { k_every ~ name }`: the name.
    fn every_of(&mut self) -> Option<Name> {
        self.keyword(b"every")?;
        self.skip();
        self.name()
    }

    /// `clause = { k_clause ~ clause_id ~ string? ~ lbrace ~ gap
    ///   ~ (statement ~ (sep | &rbrace))* ~ rbrace }`
    fn clause(&mut self) -> Option<Clause> {
        let start = self.pos;
        self.keyword(b"clause")?;
        self.skip();
        let id = self.clause_id()?;
        self.skip();
        let title = self.opt(Self::string);
        self.skip();
        self.byte(b'{')?;
        self.skip();
        self.gap();
        self.skip();
        let base = self.scratch.statements.len();
        self.rep(|p| {
            let statement = p.statement()?;
            p.skip();
            if !(p.sep() || p.peek() == b'}') {
                return None;
            }
            p.scratch.statements.push(statement);
            Some(())
        });
        let statements = take(&mut self.scratch.statements, base);
        self.skip();
        self.byte(b'}')?;
        Some(Clause {
            id,
            title,
            statements,
            span: self.span_from(start),
        })
    }

    /// `article = { k_article ~ clause_id ~ string? ~ lbrace ~ gap
    ///   ~ ((clause | article) ~ gap)* ~ rbrace }`
    fn article(&mut self, depth: usize) -> Option<Article> {
        // The chunker refuses deeper nesting before parsing; this only bounds the recursion.
        if depth >= MAX_NESTING {
            self.gave_up = true;
            return None;
        }
        let start = self.pos;
        self.keyword(b"article")?;
        self.skip();
        let id = self.clause_id()?;
        self.skip();
        let title = self.opt(Self::string);
        self.skip();
        self.byte(b'{')?;
        self.skip();
        self.gap();
        self.skip();
        let base = self.scratch.items.len();
        self.rep(|p| {
            let item = match p.word() {
                b"clause" => Item::Clause(p.clause()?),
                b"article" => Item::Article(p.article(depth + 1)?),
                _ => return None,
            };
            p.skip();
            p.gap();
            p.scratch.items.push(item);
            Some(())
        });
        let items = take(&mut self.scratch.items, base);
        self.skip();
        self.byte(b'}')?;
        Some(Article {
            id,
            title,
            items,
            span: self.span_from(start),
        })
    }

    // -----------------------------------------------------------------------------------
    // Statements

    /// `statement = _{ &"t" ~ text_stmt | &"d" ~ (decision_stmt | dispute_stmt)
    ///   | &"a" ~ appeal_route | &"r" ~ regarding_stmt | actor_stmt }`
    ///
    /// A statement is always reached right after a skip, so the skip after each look-ahead
    /// moves nothing.
    fn statement(&mut self) -> Option<Statement> {
        let start = self.pos;
        let keyworded = match self.peek() {
            b't' => self.opt(Self::text_stmt),
            b'd' => self
                .opt(Self::decision_stmt)
                .or_else(|| self.opt(Self::dispute_stmt)),
            b'a' => self.opt(Self::appeal_route),
            b'r' => self.opt(Self::regarding_stmt),
            _ => None,
        };
        let kind = match keyworded {
            Some(kind) => kind,
            None => self.actor_stmt()?,
        };
        Some(Statement {
            kind,
            span: self.span_from(start),
        })
    }

    /// `text_stmt = { k_text ~ string }`
    fn text_stmt(&mut self) -> Option<StatementKind> {
        self.keyword(b"text")?;
        self.skip();
        self.string().map(StatementKind::Text)
    }

    /// `decision_stmt = { k_decision ~ (string | word) ~ attr_block? }`
    fn decision_stmt(&mut self) -> Option<StatementKind> {
        self.keyword(b"decision")?;
        self.skip();
        let subject = if self.peek() == b'"' {
            self.string()?
        } else {
            self.name()?
        };
        self.skip();
        let attrs = self.opt(Self::attr_block).unwrap_or_default();
        Some(StatementKind::Decision { subject, attrs })
    }

    /// `dispute_stmt = { k_dispute ~ (k_between ~ actor ~ k_and ~ actor)? ~ string? ~ lbrace
    ///   ~ gap ~ (step ~ (sep | &rbrace | &k_then))* ~ rbrace }`
    fn dispute_stmt(&mut self) -> Option<StatementKind> {
        self.keyword(b"dispute")?;
        self.skip();
        let between = self.opt(|p| {
            p.keyword(b"between")?;
            p.skip();
            let first = p.actor()?;
            p.skip();
            p.keyword(b"and")?;
            p.skip();
            let second = p.actor()?;
            Some((first, second))
        });
        self.skip();
        let title = self.opt(Self::string);
        self.skip();
        self.byte(b'{')?;
        self.skip();
        self.gap();
        self.skip();
        let base = self.scratch.steps.len();
        self.rep(|p| {
            let step = p.step()?;
            p.skip();
            if !(p.sep() || p.peek() == b'}' || p.at_keyword(b"then")) {
                return None;
            }
            p.scratch.steps.push(step);
            Some(())
        });
        let steps = take(&mut self.scratch.steps, base);
        self.skip();
        self.byte(b'}')?;
        Some(StatementKind::Dispute {
            between,
            title,
            steps,
        })
    }

    /// `step = { k_then? ~ thing ~ (k_by ~ actor)? ~ attr_block? }`
    fn step(&mut self) -> Option<Step> {
        let start = self.pos;
        // `k_then?`: when it matches, `thing` must follow; PEG never retries without it.
        let _ = self.keyword(b"then");
        self.skip();
        let kind = self.thing()?;
        self.skip();
        let by = self.opt(|p| {
            p.keyword(b"by")?;
            p.skip();
            p.actor()
        });
        self.skip();
        let attrs = self.opt(Self::attr_block).unwrap_or_default();
        Some(Step {
            kind,
            by,
            attrs,
            span: self.span_from(start),
        })
    }

    /// `appeal_route = { k_appeals ~ k_from ~ actor ~ k_to ~ actor ~ attr_block? }`
    fn appeal_route(&mut self) -> Option<StatementKind> {
        self.keyword(b"appeals")?;
        self.skip();
        self.keyword(b"from")?;
        self.skip();
        let from = self.actor()?;
        self.skip();
        self.keyword(b"to")?;
        self.skip();
        let to = self.actor()?;
        self.skip();
        let attrs = self.opt(Self::attr_block).unwrap_or_default();
        Some(StatementKind::AppealRoute { from, to, attrs })
    }

    /// `regarding_stmt = { k_regarding ~ k_clause ~ clause_id ~ attr_block }`
    fn regarding_stmt(&mut self) -> Option<StatementKind> {
        self.keyword(b"regarding")?;
        self.skip();
        self.keyword(b"clause")?;
        self.skip();
        let clause = self.clause_id()?;
        self.skip();
        let attrs = self.attr_block()?;
        Some(StatementKind::Regarding { clause, attrs })
    }

    /// `actor_stmt = { actor ~ (modal_stmt | consent | disclosure | grant | exemption) }`,
    /// read as the statement it ends with, its subject first. The five alternatives start
    /// with different words (a modality, `consents`, `discloses`, `grants`, `is`), so at
    /// most one can get past its first word and the word picks it.
    fn actor_stmt(&mut self) -> Option<StatementKind> {
        let who = self.actor()?;
        self.skip();
        match self.word() {
            b"consents" => self.consent(who),
            b"discloses" => self.disclosure(who),
            b"grants" => self.grant(who),
            b"is" => self.exemption(who),
            _ => self.modal_stmt(who),
        }
    }

    /// `modal_stmt = { modality ~ action ~ object? ~ (k_in ~ name)? ~ attr_block? }`
    fn modal_stmt(&mut self, who: Actor) -> Option<StatementKind> {
        let start = self.pos;
        let modality = self.modality()?;
        let modality = Spanned::new(modality, self.span_from(start));
        self.skip();
        let action = self.name()?;
        self.skip();
        let object = self.opt(Self::object);
        self.skip();
        let in_body = self.opt(|p| p.keyword_then_name(b"in"));
        self.skip();
        let attrs = self.opt(Self::attr_block).unwrap_or_default();
        Some(StatementKind::Modal {
            who,
            modality,
            action,
            object,
            in_body,
            attrs,
        })
    }

    /// `modality = @{ "must" ~ WHITESPACE+ ~ "not" ~ !ident_char | "must" ~ !ident_char
    ///   | "may" … | "should" … | "need" ~ WHITESPACE+ ~ "not" ~ !ident_char
    ///   | "cannot" ~ !ident_char }`:
    /// each alternative carries its own guard, so `must notify` falls back to `must`.
    fn modality(&mut self) -> Option<Modality> {
        let rest = &self.bytes[self.pos..];
        let (len, alone, negated) = if rest.starts_with(b"must") {
            (4, Some(Modality::Must), Some(Modality::MustNot))
        } else if rest.starts_with(b"may") {
            (3, Some(Modality::May), Some(Modality::MayNot))
        } else if rest.starts_with(b"should") {
            (6, Some(Modality::Should), Some(Modality::ShouldNot))
        } else if rest.starts_with(b"need") {
            (4, None, Some(Modality::NeedNot))
        } else if rest.starts_with(b"cannot") {
            (6, Some(Modality::Cannot), None)
        } else {
            return None;
        };
        let word_end = self.pos + len;
        if let Some(negated) = negated {
            if let Some(end) = self.blanks_then_not(word_end) {
                self.pos = end;
                return Some(negated);
            }
        }
        let alone = alone?;
        if self.ident_char_at(word_end) {
            return None;
        }
        self.pos = word_end;
        Some(alone)
    }

    /// The end of `WHITESPACE+ ~ "not" ~ !ident_char` at `at`.
    fn blanks_then_not(&self, at: usize) -> Option<usize> {
        let mut i = at;
        while matches!(self.byte_at(i), b' ' | b'\t') {
            i += 1;
        }
        if i == at || !self.bytes[i..].starts_with(b"not") || self.ident_char_at(i + 3) {
            return None;
        }
        Some(i + 3)
    }

    /// `object = { string | !(k_in | k_of) ~ thing ~ (k_of ~ name)? }`
    fn object(&mut self) -> Option<Object> {
        if self.peek() == b'"' {
            // Were the string unclosed, `thing` could not start at a quote either.
            return self.string().map(Object::Text);
        }
        if self.at_keyword(b"in") || self.at_keyword(b"of") {
            return None;
        }
        let thing = self.thing()?;
        self.skip();
        let of = self.opt(|p| p.keyword_then_name(b"of"));
        Some(Object::Word { thing, of })
    }

    /// `consent = { k_consents ~ k_to ~ string ~ (("," | k_and) ~ string)* ~ attr_block? }`
    fn consent(&mut self, who: Actor) -> Option<StatementKind> {
        self.keyword(b"consents")?;
        self.skip();
        self.keyword(b"to")?;
        self.skip();
        let mut purposes = vec![self.string()?];
        self.skip();
        self.rep(|p| {
            if p.byte(b',').is_none() {
                p.keyword(b"and")?;
            }
            p.skip();
            purposes.push(p.string()?);
            Some(())
        });
        self.skip();
        let attrs = self.opt(Self::attr_block).unwrap_or_default();
        Some(StatementKind::Consent {
            who,
            purposes: exact(purposes),
            attrs,
        })
    }

    /// `disclosure = { k_discloses ~ string ~ (k_to ~ actor)? ~ (k_about ~ actor)? ~ attr_block? }`
    fn disclosure(&mut self, who: Actor) -> Option<StatementKind> {
        let (what, to) = self.what_and_to(b"discloses")?;
        let about = self.opt(|p| p.keyword_then_actor(b"about"));
        self.skip();
        let attrs = self.opt(Self::attr_block).unwrap_or_default();
        Some(StatementKind::Disclosure {
            who,
            what,
            to,
            about,
            attrs,
        })
    }

    /// `grant = { k_grants ~ string ~ (k_to ~ actor)? ~ attr_block? }`
    fn grant(&mut self, who: Actor) -> Option<StatementKind> {
        let (what, to) = self.what_and_to(b"grants")?;
        let attrs = self.opt(Self::attr_block).unwrap_or_default();
        Some(StatementKind::Grant {
            who,
            what,
            to,
            attrs,
        })
    }

    /// The start `disclosure` and `grant` share, `KEYWORD ~ string ~ (k_to ~ actor)?`,
    /// with the skip after it.
    fn what_and_to(&mut self, keyword: &[u8]) -> Option<(Name, Option<Actor>)> {
        self.keyword(keyword)?;
        self.skip();
        let what = self.string()?;
        self.skip();
        let to = self.opt(|p| p.keyword_then_actor(b"to"));
        self.skip();
        Some((what, to))
    }

    /// `exemption = { k_is ~ k_exempt ~ k_from ~ (clause_ref | string) ~ attr_block? }`,
    /// with `clause_ref = { k_clause ~ clause_id }`.
    fn exemption(&mut self, who: Actor) -> Option<StatementKind> {
        self.keyword(b"is")?;
        self.skip();
        self.keyword(b"exempt")?;
        self.skip();
        self.keyword(b"from")?;
        self.skip();
        let from = if self.peek() == b'"' {
            ExemptFrom::Text(self.string()?)
        } else {
            self.keyword(b"clause")?;
            self.skip();
            ExemptFrom::Clause(self.clause_id()?)
        };
        self.skip();
        let attrs = self.opt(Self::attr_block).unwrap_or_default();
        Some(StatementKind::Exemption { who, from, attrs })
    }

    /// `k_x ~ actor`
    fn keyword_then_actor(&mut self, keyword: &[u8]) -> Option<Actor> {
        self.keyword(keyword)?;
        self.skip();
        self.actor()
    }

    /// `KEYWORD ~ name`: `within ROLE`, `in BODY`, `of ROLE`.
    fn keyword_then_name(&mut self, keyword: &[u8]) -> Option<Name> {
        self.keyword(keyword)?;
        self.skip();
        self.name()
    }

    /// `actor = { k_nobody | k_anyone | every_of | name | string }`
    fn actor(&mut self) -> Option<Actor> {
        let start = self.pos;
        let kind = if self.peek() == b'"' {
            ActorKind::Described(self.string()?.node)
        } else if self.keyword(b"nobody").is_some() {
            ActorKind::Nobody
        } else if self.keyword(b"anyone").is_some() {
            ActorKind::Anyone
        } else if let Some(role) = self.opt(Self::every_of) {
            ActorKind::Every(role.node)
        } else {
            ActorKind::Named(self.name()?.node)
        };
        Some(Spanned::new(kind, self.span_from(start)))
    }

    // -----------------------------------------------------------------------------------
    // Attributes

    /// `attr_block = { lbrace ~ asep ~ (attribute ~ asep)* ~ rbrace }`
    fn attr_block(&mut self) -> Option<Vec<Attr>> {
        self.braced_attrs(Self::attribute)
    }

    /// `lbrace ~ asep ~ (attr ~ asep)* ~ rbrace`, for attribute blocks and the header.
    fn braced_attrs(
        &mut self,
        mut attr: impl FnMut(&mut Self) -> Option<Attr>,
    ) -> Option<Vec<Attr>> {
        self.byte(b'{')?;
        self.skip();
        self.asep();
        self.skip();
        let base = self.scratch.attrs.len();
        self.rep(|p| {
            let one = attr(p)?;
            p.skip();
            p.asep();
            p.scratch.attrs.push(one);
            Some(())
        });
        let attrs = take(&mut self.scratch.attrs, base);
        self.skip();
        self.byte(b'}')?;
        Some(attrs)
    }

    /// `header_attr = _{ kind_attr | version_attr | effective_attr | includes_attr
    ///   | unknown_attr }`
    fn header_attr(&mut self) -> Option<Attr> {
        let word = self.word();
        let known: Option<(&'static str, AttrArgs<'t>)> = match word {
            b"kind" => Some(("kind", |p| p.then_one(Self::word_arg))),
            b"version" => Some(("version", |p| p.then_one(Self::text_arg))),
            b"effective" => Some(("effective", |p| p.then_one(Self::text_or_date))),
            b"includes" => Some(("includes", |p| p.then_one(Self::text_arg))),
            _ => None,
        };
        self.known_or_unknown_attr(word.len(), known)
    }

    /// `attribute`: the grammar tries the attributes whose keyword starts with the same
    /// letter, then `unknown_attr`. Every alternative starts with its own keyword, so the
    /// word at the position picks the only one that can match.
    fn attribute(&mut self) -> Option<Attr> {
        let word = self.word();
        if let b"may" | b"cannot" = word {
            if let Some(attr) = self.opt(Self::leave) {
                return Some(attr);
            }
            return self.unknown_attr();
        }
        let known: Option<(&'static str, AttrArgs<'t>)> = match word {
            b"notice" => Some(("notice", |p| p.then_one(Self::notice_value))),
            b"neutral" => Some(("neutral", Self::no_args)),
            b"hearing" => Some(("hearing", Self::hearing_args)),
            b"hereditary" => Some(("hereditary", Self::no_args)),
            b"appeal" => Some(("appeal", Self::appeal_args)),
            b"automatic" => Some(("automatic", Self::no_args)),
            b"appointed" => Some(("appointed", Self::chosen_by_args)),
            b"grounds" => Some(("grounds", Self::grounds_args)),
            b"threshold" => Some(("threshold", |p| p.then_one(Self::threshold_value))),
            b"timing" => Some(("timing", |p| p.then_one(|p| p.fixed_word(BEFORE_AFTER)))),
            b"term" => Some(("term", |p| p.then_one(Self::term_value))),
            b"recusal" => Some(("recusal", Self::recusal_args)),
            b"revocable" => Some(("revocable", Self::no_args)),
            b"reconsent" => Some(("reconsent", |p| {
                p.then_one(|p| p.fixed_word(RECONSENT_KINDS))
            })),
            b"reason" => Some(("reason", |p| p.then_one(Self::text_arg))),
            b"removable" => Some(("removable", |p| {
                p.then_keywords(&[b"by"])?;
                p.then_one(Self::actor_arg)
            })),
            b"by" => Some(("by", |p| p.then_one(Self::actor_arg))),
            b"bundled" => Some(("bundled with", |p| {
                p.then_keywords(&[b"with"])?;
                p.then_list(Self::text_arg)
            })),
            b"casting" => Some(("casting vote", Self::casting_vote_args)),
            b"condition" => Some(("condition", Self::condition_args)),
            b"cure" => Some(("cure", |p| p.then_one(Self::duration))),
            b"cost" => Some(("cost", |p| {
                p.then_one(|p| p.keyword_arg(b"none").or_else(|| p.text_arg()))
            })),
            b"criteria" => Some(("criteria", |p| p.then_one(Self::text_arg))),
            b"category" => Some(("category", |p| p.then_one(Self::word_arg))),
            b"silence" => Some(("silence counts as assent", |p| {
                p.then_keywords(&[b"counts", b"as", b"assent"])?;
                Some(Vec::new())
            })),
            b"stay" => Some(("stay pending appeal", |p| {
                p.then_keywords(&[b"pending", b"appeal"])?;
                Some(Vec::new())
            })),
            b"scope" => Some(("scope", |p| p.then_one(Self::text_arg))),
            b"self-selected" => Some(("self-selected", Self::no_args)),
            b"seats" => Some(("seats", |p| p.then_one(Self::number))),
            b"weight" => Some(("weight", |p| p.then_one(Self::number))),
            b"withdrawal" => Some(("withdrawal cost", |p| {
                p.then_keywords(&[b"cost"])?;
                p.then_one(Self::text_arg)
            })),
            b"window" => Some(("window", |p| p.then_one(Self::duration))),
            b"elected" => Some(("elected", Self::chosen_by_args)),
            b"quorum" => Some(("quorum", |p| p.then_one(Self::quorum_value))),
            b"disclose" => Some(("disclose", |p| p.then_list(Self::word_arg))),
            b"duration" => Some(("duration", |p| p.then_one(Self::grant_term))),
            b"defined" => Some(("defined in", |p| {
                p.then_keywords(&[b"in"])?;
                p.then_one(Self::text_arg)
            })),
            b"proxies" => Some(("proxies", |p| p.then_one(|p| p.fixed_word(PERMITTED)))),
            b"permanent" => Some(("permanent", Self::no_args)),
            b"form" => Some(("form", |p| p.then_one(Self::word_arg))),
            b"irrevocable" => Some(("irrevocable", Self::no_args)),
            b"interim" => Some(("interim", Self::no_args)),
            b"joins" => Some(("joins", Self::joins_args)),
            b"objections" => Some(("objections", |p| {
                p.then_keywords(&[b"within"])?;
                p.then_one(Self::duration)
            })),
            _ => None,
        };
        self.known_or_unknown_attr(word.len(), known)
    }

    /// A known attribute, read by `args` after its keyword (the word of `keyword_len`
    /// bytes at the position); when there is none, or it does not match, `unknown_attr`.
    fn known_or_unknown_attr(
        &mut self,
        keyword_len: usize,
        known: Option<(&'static str, AttrArgs<'t>)>,
    ) -> Option<Attr> {
        if let Some((key, args)) = known {
            let start = self.pos;
            let parsed = self.opt(|p| {
                p.pos = start + keyword_len;
                args(p)
            });
            if let Some(args) = parsed {
                return Some(self.known_attr(start, key, args));
            }
        }
        self.unknown_attr()
    }

    /// A known attribute that began at `start` and ends at the position. Its key has the
    /// span of the keyword as the tree has always given it: the length of the canonical
    /// words from the start, within the attribute.
    fn known_attr(&self, start: usize, key: &'static str, args: Vec<Arg>) -> Attr {
        let span = self.span_from(start);
        let key_end = (span.start + key.len()).min(span.end);
        Attr {
            key: Spanned::new(key.to_string(), Span::new(span.start, key_end)),
            args,
            unknown: false,
            span,
        }
    }

    /// An attribute that is its keyword alone (`revocable`, `interim`…).
    fn no_args(&mut self) -> Option<Vec<Arg>> {
        Some(Vec::new())
    }

    /// `~ x`: a skip, then the attribute's one argument.
    fn then_one(&mut self, arg: impl FnOnce(&mut Self) -> Option<Arg>) -> Option<Vec<Arg>> {
        self.skip();
        Some(vec![arg(self)?])
    }

    /// `~ k_a ~ k_b …`: the further keywords of a keyword of several words.
    fn then_keywords(&mut self, keywords: &[&[u8]]) -> Option<()> {
        for keyword in keywords {
            self.skip();
            self.keyword(keyword)?;
        }
        Some(())
    }

    /// `~ x ~ ("," ~ x)*`
    fn then_list(&mut self, item: impl Fn(&mut Self) -> Option<Arg>) -> Option<Vec<Arg>> {
        self.skip();
        let mut args = vec![item(self)?];
        self.skip();
        self.rep(|p| {
            p.byte(b',')?;
            p.skip();
            args.push(item(p)?);
            Some(())
        });
        Some(exact(args))
    }

    /// `effective_attr`'s `(string | date)`, with `date = @{ ASCII_DIGIT{4} ~ "-" ~
    /// ASCII_DIGIT{2} ~ "-" ~ ASCII_DIGIT{2} }`.
    fn text_or_date(&mut self) -> Option<Arg> {
        if self.peek() == b'"' {
            return self.text_arg();
        }
        let start = self.pos;
        let digits = |at: usize, n: usize| (at..at + n).all(|i| self.byte_at(i).is_ascii_digit());
        let shaped = digits(start, 4)
            && self.byte_at(start + 4) == b'-'
            && digits(start + 5, 2)
            && self.byte_at(start + 7) == b'-'
            && digits(start + 8, 2);
        if !shaped {
            return None;
        }
        self.pos = start + 10;
        Some(Arg::Word(self.text_at(start, self.pos)))
    }

    /// `notice_value = _{ duration | k_none | vague | string }`
    fn notice_value(&mut self) -> Option<Arg> {
        match self.peek() {
            b'0'..=b'9' => self.duration(),
            b'n' => self.keyword_arg(b"none"),
            b'"' => self.text_arg(),
            _ => self.fixed_word(VAGUE),
        }
    }

    /// `hearing = { kw_hearing ~ (k_none | k_before ~ actor)? }`
    fn hearing_args(&mut self) -> Option<Vec<Arg>> {
        self.skip();
        let arg = self.opt(|p| {
            p.keyword_arg(b"none")
                .or_else(|| p.keyword_then_actor(b"before").map(Arg::Actor))
        });
        Some(arg.into_iter().collect())
    }

    /// `appeal = { kw_appeal ~ (k_none | k_to ~ actor ~ (k_within ~ duration)?)? }`
    fn appeal_args(&mut self) -> Option<Vec<Arg>> {
        self.skip();
        let args = self.opt(|p| {
            if let Some(none) = p.keyword_arg(b"none") {
                return Some(vec![none]);
            }
            let to = p.keyword_then_actor(b"to")?;
            p.skip();
            match p.opt(|p| p.keyword_then_duration(b"within")) {
                Some(within) => Some(vec![Arg::Actor(to), within]),
                None => Some(vec![Arg::Actor(to)]),
            }
        });
        Some(args.unwrap_or_default())
    }

    /// `elected_by` and `appointed_by`: `kw ~ k_by ~ actor ~ (k_for ~ duration)?`
    fn chosen_by_args(&mut self) -> Option<Vec<Arg>> {
        self.skip();
        let by = self.keyword_then_actor(b"by")?;
        self.skip();
        match self.opt(|p| p.keyword_then_duration(b"for")) {
            Some(term) => Some(vec![Arg::Actor(by), term]),
            None => Some(vec![Arg::Actor(by)]),
        }
    }

    /// `k_x ~ duration`
    fn keyword_then_duration(&mut self, keyword: &[u8]) -> Option<Arg> {
        self.keyword(keyword)?;
        self.skip();
        self.duration()
    }

    /// `grounds = { kw_grounds ~ (open_grounds | string ~ ("," ~ string)*) }`
    fn grounds_args(&mut self) -> Option<Vec<Arg>> {
        if let Some(open) = self.opt(|p| p.then_one(|p| p.fixed_word(OPEN_GROUNDS))) {
            return Some(open);
        }
        self.then_list(Self::text_arg)
    }

    /// `threshold_value = _{ fraction | odds | percent | named_threshold }`
    fn threshold_value(&mut self) -> Option<Arg> {
        let start = self.pos;
        if self.peek().is_ascii_digit() {
            let end = self
                .ratio_end(start, b'/')
                .or_else(|| self.ratio_end(start, b':'))
                .or_else(|| self.percent_end(start))?;
            return Some(self.threshold_to(end));
        }
        let (end, ()) = self.first_literal(start, NAMED_THRESHOLDS)?;
        Some(self.threshold_to(end))
    }

    /// `quorum = { kw_quorum ~ (percent | fraction | number) }`
    fn quorum_value(&mut self) -> Option<Arg> {
        let start = self.pos;
        match self
            .percent_end(start)
            .or_else(|| self.ratio_end(start, b'/'))
        {
            Some(end) => Some(self.threshold_to(end)),
            None => self.number(),
        }
    }

    /// `term = { kw_term ~ (duration | k_until ~ string) }`
    fn term_value(&mut self) -> Option<Arg> {
        if let Some(duration) = self.opt(Self::duration) {
            return Some(duration);
        }
        self.keyword(b"until")?;
        self.skip();
        self.text_arg()
    }

    /// `term_of_grant = { kw_duration ~ (duration | perpetual | string) }`
    fn grant_term(&mut self) -> Option<Arg> {
        match self.peek() {
            b'"' => self.text_arg(),
            b'p' => self.fixed_word(PERPETUAL),
            _ => self.duration(),
        }
    }

    /// `recusal = { kw_recusal ~ string? }`
    fn recusal_args(&mut self) -> Option<Vec<Arg>> {
        self.skip();
        Some(self.opt(Self::text_arg).into_iter().collect())
    }

    /// `casting_vote = { kw_casting ~ kw_vote ~ k_by ~ actor ~ tie_only? }`, with
    /// `tie_only = @{ "ties" ~ !ident_char ~ WHITESPACE+ ~ "only" ~ !ident_char }`.
    fn casting_vote_args(&mut self) -> Option<Vec<Arg>> {
        self.then_keywords(&[b"vote"])?;
        self.skip();
        let by = self.keyword_then_actor(b"by")?;
        self.skip();
        let start = self.pos;
        if !self.at_keyword(b"ties") {
            return Some(vec![Arg::Actor(by)]);
        }
        let mut only = start + 4;
        while matches!(self.byte_at(only), b' ' | b'\t') {
            only += 1;
        }
        if only == start + 4
            || !self.bytes[only..].starts_with(b"only")
            || self.ident_char_at(only + 4)
        {
            return Some(vec![Arg::Actor(by)]);
        }
        self.pos = only + 4;
        Some(vec![
            Arg::Actor(by),
            Arg::Keyword(self.text_at(start, self.pos)),
        ])
    }

    /// `condition = { kw_condition ~ string ~ (kw_judged ~ k_by ~ actor)? }`
    fn condition_args(&mut self) -> Option<Vec<Arg>> {
        self.skip();
        let text = self.text_arg()?;
        self.skip();
        let judge = self.opt(|p| {
            p.keyword(b"judged")?;
            p.skip();
            p.keyword_then_actor(b"by")
        });
        Some(match judge {
            Some(judge) => vec![text, Arg::Actor(judge)],
            None => vec![text],
        })
    }

    /// `joins = { kw_joins ~ k_by ~ word ~ ("," ~ word)* ~ (kw_approved ~ k_by ~ actor)? }`
    fn joins_args(&mut self) -> Option<Vec<Arg>> {
        self.then_keywords(&[b"by"])?;
        let mut args = self.then_list(Self::word_arg)?;
        self.skip();
        let approver = self.opt(|p| {
            p.keyword(b"approved")?;
            p.skip();
            p.keyword_then_actor(b"by")
        });
        if let Some(approver) = approver {
            args.reserve_exact(1);
            args.push(Arg::Actor(approver));
        }
        Some(args)
    }

    /// `leave = { may_leave | cannot_leave }`, with `may_leave = { kw_may ~ k_leave ~ (k_with
    /// ~ kw_notice ~ duration)? }` and `cannot_leave = { kw_cannot ~ k_leave }`. The tree
    /// keeps `may` or `cannot` as a keyword argument spanning the whole attribute.
    fn leave(&mut self) -> Option<Attr> {
        let start = self.pos;
        let may = self.keyword(b"may").is_some();
        if !may {
            self.keyword(b"cannot")?;
        }
        self.then_keywords(&[b"leave"])?;
        let notice = if may {
            self.skip();
            self.opt(|p| {
                p.keyword(b"with")?;
                p.then_keywords(&[b"notice"])?;
                p.skip();
                p.duration()
            })
        } else {
            None
        };
        let word = if may { "may" } else { "cannot" };
        let keyword = Arg::Keyword(Spanned::new(word.to_string(), self.span_from(start)));
        let args = match notice {
            Some(notice) => vec![keyword, notice],
            None => vec![keyword],
        };
        Some(self.known_attr(start, "leave", args))
    }

    /// `unknown_attr = { ident ~ (!(nl | ";" | "}" | "{" | attr_start) ~ (string | loose))* }`:
    /// any other attribute, kept so that lowering can name it.
    fn unknown_attr(&mut self) -> Option<Attr> {
        let start = self.pos;
        let key_end = self.ident_end(start)?;
        let key = self.text_at(start, key_end);
        self.pos = key_end;
        self.skip();
        let mut args = Vec::new();
        self.rep(|p| {
            if p.ends_unknown_attr() {
                return None;
            }
            let arg = if p.peek() == b'"' {
                Arg::Text(p.string()?)
            } else {
                Arg::Word(p.loose()?)
            };
            args.push(arg);
            Some(())
        });
        Some(Attr {
            key,
            args: exact(args),
            unknown: true,
            span: self.span_from(start),
        })
    }

    /// `nl | ";" | "}" | "{" | attr_start` at the position.
    fn ends_unknown_attr(&self) -> bool {
        match self.peek() {
            b'\n' | b'\r' | b';' | b'}' | b'{' => true,
            _ => is_attr_start(self.word()),
        }
    }

    /// `loose = @{ (!(WHITESPACE | nl | ";" | "}" | "{" | "\"") ~ ANY)+ }`: every byte it
    /// stops at is ASCII, so it never stops inside a character.
    fn loose(&mut self) -> Option<Name> {
        let start = self.pos;
        let mut end = start;
        while let Some(&b) = self.bytes.get(end) {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b';' | b'}' | b'{' | b'"') {
                break;
            }
            end += 1;
        }
        if end == start {
            return None;
        }
        self.pos = end;
        Some(self.text_at(start, end))
    }
}

/// A list without spare capacity: across a large charter the spare room of the tree's
/// lists would outweigh the tree itself.
fn exact<T>(mut list: Vec<T>) -> Vec<T> {
    list.shrink_to_fit();
    list
}

#[inline]
fn is_ascii_ident_char(b: u8) -> bool {
    BYTE_CLASS[usize::from(b)] == ASCII_IDENT
}

/// What a byte can be in an identifier: [`ASCII_IDENT`], [`NOT_ASCII`] (part of a
/// character the Unicode tables decide), or neither.
const BYTE_CLASS: [u8; 256] = {
    let mut class = [0; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        class[b] = if byte >= 0x80 {
            NOT_ASCII
        } else if byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-' {
            ASCII_IDENT
        } else {
            0
        };
        b += 1;
    }
    class
};
const ASCII_IDENT: u8 = 1;
const NOT_ASCII: u8 = 2;

/// `LETTER | MARK | NUMBER`, for characters beyond ASCII (pest's own tables).
fn is_unicode_ident_char(c: char) -> bool {
    LETTER(c) || MARK(c) || NUMBER(c)
}

/// A character of a `clause_id` after its first.
fn is_clause_id_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'(' | b')' | b'-' | b'_')
}

/// `reserved`: the words that cannot be a name.
fn is_reserved(word: &[u8]) -> bool {
    matches!(
        word,
        b"article"
            | b"appeals"
            | b"anyone"
            | b"body"
            | b"charter"
            | b"clause"
            | b"cannot"
            | b"decision"
            | b"dispute"
            | b"every"
            | b"must"
            | b"may"
            | b"nobody"
            | b"need"
            | b"not"
            | b"party"
            | b"regarding"
            | b"role"
            | b"should"
            | b"text"
            | b"then"
            | b"within"
    )
}

/// `attr_start`: the words that begin a known attribute. No word of the list is the start
/// of a later one, so the guarded choice matches exactly when the word is in the list.
fn is_attr_start(word: &[u8]) -> bool {
    matches!(
        word,
        b"self-selected"
            | b"defined"
            | b"irrevocable"
            | b"hereditary"
            | b"objections"
            | b"withdrawal"
            | b"appointed"
            | b"automatic"
            | b"condition"
            | b"effective"
            | b"permanent"
            | b"reconsent"
            | b"removable"
            | b"revocable"
            | b"threshold"
            | b"category"
            | b"criteria"
            | b"disclose"
            | b"duration"
            | b"includes"
            | b"bundled"
            | b"casting"
            | b"elected"
            | b"grounds"
            | b"hearing"
            | b"interim"
            | b"neutral"
            | b"proxies"
            | b"recusal"
            | b"silence"
            | b"version"
            | b"appeal"
            | b"notice"
            | b"quorum"
            | b"reason"
            | b"timing"
            | b"weight"
            | b"window"
            | b"joins"
            | b"scope"
            | b"seats"
            | b"cost"
            | b"cure"
            | b"form"
            | b"kind"
            | b"stay"
            | b"term"
    )
}

// The guarded choices of literals, in the grammar's order (the first literal that matches
// is the one the guard then checks).

/// `unit`
const UNITS: &[(&[u8], TimeUnit)] = &[
    (b"business days", TimeUnit::BusinessDay),
    (b"business day", TimeUnit::BusinessDay),
    (b"hours", TimeUnit::Hour),
    (b"hour", TimeUnit::Hour),
    (b"days", TimeUnit::Day),
    (b"day", TimeUnit::Day),
    (b"weeks", TimeUnit::Week),
    (b"week", TimeUnit::Week),
    (b"months", TimeUnit::Month),
    (b"month", TimeUnit::Month),
    (b"years", TimeUnit::Year),
    (b"year", TimeUnit::Year),
];

/// `named_threshold`
const NAMED_THRESHOLDS: &[(&[u8], ())] = &[
    (b"simple majority", ()),
    (b"majority", ()),
    (b"consensus minus one", ()),
    (b"lazy consensus", ()),
    (b"consensus", ()),
    (b"unanimity", ()),
    (b"plurality", ()),
];

/// `vague`
const VAGUE: &[(&[u8], ())] = &[(b"reasonable", ()), (b"prompt", ()), (b"timely", ())];

/// `open_grounds`
const OPEN_GROUNDS: &[(&[u8], ())] = &[(b"open", ()), (b"any", ()), (b"discretion", ())];

/// `permitted`
const PERMITTED: &[(&[u8], ())] = &[(b"allowed", ()), (b"forbidden", ())];

/// `before_after`
const BEFORE_AFTER: &[(&[u8], ())] = &[(b"before", ()), (b"after", ())];

/// `reconsent_kind`
const RECONSENT_KINDS: &[(&[u8], ())] = &[(b"explicit", ()), (b"deemed", ()), (b"none", ())];

/// `perpetual`
const PERPETUAL: &[(&[u8], ())] = &[(b"perpetual", ())];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parser::parse_item_with_pest;

    const OFFSET: usize = 10;

    /// The fast path reads `text`, and its tree is pest's, spans included.
    fn same_as_pest(text: &str) -> Item {
        let fast =
            parse_item(text, OFFSET).unwrap_or_else(|| panic!("the fast path declines {text:?}"));
        let pest = parse_item_with_pest(text, OFFSET)
            .unwrap_or_else(|e| panic!("pest rejects {text:?}: {e}"));
        assert_eq!(format!("{fast:?}"), format!("{pest:?}"), "{text:?}");
        fast
    }

    /// Neither path accepts `text`.
    fn rejected(text: &str) {
        assert!(
            parse_item(text, 0).is_none(),
            "the fast path accepts {text:?}"
        );
        assert!(
            parse_item_with_pest(text, 0).is_err(),
            "pest accepts {text:?}"
        );
    }

    /// The text under `span` (which includes [`OFFSET`]).
    fn spanned(text: &str, span: Span) -> &str {
        &text[span.start - OFFSET..span.end - OFFSET]
    }

    fn statements(item: Item) -> Vec<Statement> {
        match item {
            Item::Clause(clause) => clause.statements,
            other => panic!("not a clause: {other:?}"),
        }
    }

    fn modal(statement: &Statement) -> (&Actor, Modality, &str, &[Attr]) {
        match &statement.kind {
            StatementKind::Modal {
                who,
                modality,
                action,
                attrs,
                ..
            } => (who, modality.node, action.node.as_str(), attrs),
            other => panic!("not a modal statement: {other:?}"),
        }
    }

    #[test]
    fn a_node_ends_after_the_blanks_and_comment_of_a_missing_optional_part() {
        let text = "clause 1 {\n  board may act   # note\n  board may vote\n}";
        let found = statements(same_as_pest(text));
        assert_eq!(spanned(text, found[0].span), "board may act   # note");
        assert_eq!(spanned(text, found[1].span), "board may vote");
        let text = "role member   # who\n";
        assert_eq!(
            spanned(text, same_as_pest(text).span()),
            "role member   # who"
        );
        // An unknown attribute with no words keeps the blanks after its key; with words
        // it ends at the last one, because a failed repetition gives its skip back.
        same_as_pest("role a {\n  foo   # c\n  foo bar   # c\n}");
        same_as_pest("clause 1 { a may b { grounds \"x\"   # c\n grounds \"x\", \"y\"  \n } }");
    }

    #[test]
    fn must_not_is_one_modality_and_must_notify_is_another_reading() {
        let found = statements(same_as_pest(
            "clause 1 {\n  a must notify b\n  a must not x\n  a must \t not y\n  a need not z\n  a cannot w\n}",
        ));
        let read: Vec<_> = found
            .iter()
            .map(|s| {
                let (_, modality, action, _) = modal(s);
                (modality, action)
            })
            .collect();
        assert_eq!(
            read,
            [
                (Modality::Must, "notify"),
                (Modality::MustNot, "x"),
                (Modality::MustNot, "y"),
                (Modality::NeedNot, "z"),
                (Modality::Cannot, "w"),
            ]
        );
        // `need` is a modality only with `not`; `not` is reserved, so it is no action.
        rejected("clause 1 { a need act }");
        rejected("clause 1 { a must not }");
    }

    #[test]
    fn keywords_inside_names_are_names() {
        let found = statements(same_as_pest("clause 1 { mayor may act }"));
        let (who, modality, action, _) = modal(&found[0]);
        assert_eq!(who.node, ActorKind::Named("mayor".into()));
        assert_eq!((modality, action), (Modality::May, "act"));
        same_as_pest("role bodyguard");
        same_as_pest("body roles = every bodyguard, must-have, text_2");
        same_as_pest("clause 1 { bodyguard may guard roles of everyone in bodyguards }");
        same_as_pest("clause 1 { anyone may read \"x\" }");
        rejected("role must");
        rejected("role every");
    }

    #[test]
    fn an_unknown_attribute_stops_before_a_known_one_on_the_same_line() {
        let found = statements(same_as_pest(
            "clause 1 { board may act { foo bar \"baz\" x#y notice 3 days } }",
        ));
        let (_, _, _, attrs) = modal(&found[0]);
        assert_eq!(attrs.len(), 2);
        assert!(attrs[0].unknown);
        assert_eq!(attrs[0].key.node, "foo");
        assert_eq!(attrs[0].args.len(), 3);
        assert!(!attrs[1].unknown);
        assert_eq!(attrs[1].key.node, "notice");
        // A known keyword whose words do not fit is an unknown attribute.
        same_as_pest("clause 1 { a may b { notice soon; kind x, threshold 2/3 } }");
        same_as_pest("charter \"x\" { kind policy notice 3 days version \"1\" }");
    }

    #[test]
    fn strings_are_unescaped() {
        let item =
            same_as_pest("clause 1 \"say \\\"hi\\\" \\\\ \\n\\t\\é\" {\n text \"multi\nline\"\n}");
        let Item::Clause(clause) = item else {
            panic!("not a clause")
        };
        assert_eq!(clause.title.unwrap().node, "say \"hi\" \\ \n\té");
        rejected("clause 1 \"open\\");
        rejected("clause 1 \"open");
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        same_as_pest("clause 1 {\r\n  a may b # c\r\n  c must d\r\n}\r\n");
        same_as_pest("clause 1 {\r  a may b\r\r  c must d\r}\r");
        same_as_pest("role a {\r\n  removable by b\r\n  seats 3\r\n}");
    }

    #[test]
    fn semicolons_separate_statements_and_attributes() {
        let found = statements(same_as_pest("clause 1 { a may b; c must d;; e should f; }"));
        assert_eq!(found.len(), 3);
        same_as_pest("role a { seats 3; weight 2, neutral }");
        same_as_pest("clause 1 { dispute { complaint by a; then hearing by b then appeal } }");
    }

    #[test]
    fn names_may_be_written_in_any_script() {
        same_as_pest("role élève");
        same_as_pest("role 中文 \"a\"");
        same_as_pest("role e\u{301}cole");
        same_as_pest("role x٣");
        same_as_pest("clause 1 { ñandú may vote }");
        // A name cannot start with a mark or a digit.
        rejected("role \u{301}x");
        rejected("role ٣x");
    }

    #[test]
    fn every_attribute_reads_as_pest_reads_it() {
        same_as_pest(
            "clause 1 {\n  board may remove member {\n    notice 14 business days, hearing before board\n    \
             appeal to members within 30 days; grounds \"a\", \"b\"\n    threshold consensus minus one\n    \
             quorum 50%\n    by board\n    casting vote by chair ties \t only\n    silence counts as assent\n    \
             objections within 2 weeks\n    recusal \"interest\"\n    form written\n    disclose reasons, votes\n    \
             revocable irrevocable interim automatic permanent hereditary self-selected neutral\n    \
             withdrawal cost \"none\"\n    bundled with \"a\", \"b\"\n    timing before\n    \
             condition \"x\" judged by board\n    reconsent deemed\n    reason \"r\"\n    stay pending appeal\n    \
             cure 10 days\n    scope \"s\"\n    duration perpetual\n    cost none\n    criteria \"c\"\n    \
             joins by invitation, vote approved by board\n    elected by members for 2 years\n    \
             appointed by board\n    term until \"the end\"\n    removable by members\n    \
             may leave with notice 1 month\n    cannot leave\n    seats 5\n    window 3 hours\n    \
             category safety\n    defined in \"rules\"\n    proxies allowed\n    weight 2.5\n  }\n}",
        );
        same_as_pest(
            "clause 1 { a may b { threshold 3:1 quorum 2/3 quorum 12 notice reasonable } }",
        );
        same_as_pest(
            "clause 1 { a may b { appeal; appeal none; hearing; grounds open; notice none } }",
        );
        same_as_pest(
            "charter \"c\" { kind bylaws; version \"2\"; effective 2024-01-31, includes \"x\" }",
        );
    }

    #[test]
    fn every_statement_reads_as_pest_reads_it() {
        same_as_pest(
            "article 2 \"A\" {\n  clause 2.1(a) \"T\" {\n    text \"t\"\n    decision budget { threshold majority }\n    \
             decision \"d\"\n    dispute between a and \"b\" \"title\" {\n      complaint by a\n      then hearing by b { notice 3 days }\n    }\n    \
             appeals from board to members { appeal none }\n    regarding clause 1.1 { notice 3 days }\n    \
             nobody is exempt from clause 1.2\n    every member is exempt from \"dues\" { reason \"r\" }\n    \
             member consents to \"a\", \"b\" and \"c\" { reconsent explicit }\n    \
             board discloses \"minutes\" to members about anyone\n    board grants \"use\" to every member { scope \"s\" }\n    \
             board may remove posts of member in committee { grounds any }\n  }\n  article 3 { }\n}",
        );
        same_as_pest("party provider \"p\" { defined in \"x\" }");
        same_as_pest("body courts = external \"c\"");
        same_as_pest("role user within customer \"u\" { elected by members }");
    }

    #[test]
    fn what_pest_rejects_the_fast_path_declines() {
        rejected("clause 1 { a may b c d }");
        rejected("clause 1 { a may b } x");
        rejected("role member\n{\n}");
        rejected("clause 1 { dispute { then } }");
        rejected("body x = every");
        rejected("");
    }

    /// This parser restates the grammar: a change to the grammar's rules must be made here
    /// too, or the two paths part on whatever text the change is about.
    #[test]
    fn the_grammar_is_the_one_this_parser_restates() {
        let grammar = include_str!("../../grammar/charter.pest");
        let rules = grammar
            .lines()
            .map(|line| line.split("//").next().unwrap_or(""))
            .flat_map(str::split_whitespace)
            .collect::<Vec<_>>()
            .join(" ");
        // FNV-1a: stable across platforms and Rust versions.
        let hash = rules.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        assert_eq!(
            hash, 0x7156_bf52_8b8b_8538,
            "grammar/charter.pest changed: make src/syntax/fast.rs read the new grammar (the \
             differential tests in tests/fast_parser.rs check it), then update this hash"
        );
    }

    #[test]
    fn ascii_character_classes_agree_with_pests_tables() {
        for b in 0u8..0x80 {
            let c = char::from(b);
            assert_eq!(LETTER(c), c.is_ascii_alphabetic(), "{c:?}");
            assert!(!MARK(c), "{c:?}");
            assert_eq!(NUMBER(c), c.is_ascii_digit(), "{c:?}");
        }
    }

    #[test]
    fn articles_nested_past_the_limit_are_left_to_pest() {
        let deep = format!(
            "{}{}",
            "article 1 { ".repeat(MAX_NESTING + 1),
            "}".repeat(MAX_NESTING + 1)
        );
        assert!(parse_item(&deep, 0).is_none());
        let fine = format!("{}{}", "article 1 { ".repeat(8), "}".repeat(8));
        same_as_pest(&fine);
    }
}
