//! Completion where it is cheap and certain: the keywords that may start what is
//! being written, the attributes the enclosing statement accepts, the charter's own
//! role and body names, and rule codes in a suppression comment.

use lsp_types::{CompletionItem, CompletionItemKind};

use super::document::Analysis;
use crate::model::{allowed_attributes, attribute_shape, Kind, DISPUTE_STEPS};
use crate::syntax::lexical::{Code, Within};

const TOP_LEVEL: &[&str] = &["charter", "role", "party", "body", "article", "clause"];
const STATEMENTS: &[&str] = &[
    "text",
    "decision",
    "dispute",
    "appeals from",
    "regarding clause",
    "may",
    "may not",
    "must",
    "must not",
    "should",
    "should not",
    "need not",
    "cannot",
    "consents to",
    "discloses",
    "grants",
    "is exempt from",
    "anyone",
    "nobody",
    "every",
];

/// Where the cursor is, as far as completion cares.
#[derive(Debug, PartialEq, Eq)]
enum Context {
    TopLevel,
    /// In an article: clauses and nested articles.
    Article,
    Clause,
    /// In the block of a statement or declaration of this kind.
    Block(Kind),
    DisputeSteps,
    Suppression,
    /// In prose or a comment: nothing to complete.
    Prose,
}

pub fn complete(text: &str, offset: usize, analysis: Option<&Analysis>) -> Vec<CompletionItem> {
    let context = context_at(text, offset.min(text.len()));
    let keywords = |words: &[&str], detail: &str| -> Vec<CompletionItem> {
        words
            .iter()
            .map(|w| item(w, CompletionItemKind::KEYWORD, detail))
            .collect()
    };
    let mut items = match &context {
        Context::Prose => return Vec::new(),
        Context::Suppression => return analysis.map(rule_codes).unwrap_or_default(),
        Context::TopLevel | Context::Article => keywords(TOP_LEVEL, "declaration"),
        Context::Clause => keywords(STATEMENTS, "statement"),
        Context::DisputeSteps => keywords(DISPUTE_STEPS, "dispute step"),
        Context::Block(kind) => allowed_attributes(*kind)
            .iter()
            .map(|a| {
                let key = a.split(' ').next().unwrap_or(a);
                let detail = attribute_shape(key).map_or_else(
                    || format!("attribute of a {}", kind.as_str()),
                    str::to_string,
                );
                item(a, CompletionItemKind::PROPERTY, &detail)
            })
            .collect(),
    };
    if matches!(
        context,
        Context::Clause | Context::Block(_) | Context::DisputeSteps
    ) {
        if let Some(model) = analysis.and_then(|a| a.report.model.as_ref()) {
            for kind in [Kind::Role, Kind::Body] {
                for &id in model.of_kind(kind) {
                    let name = model.name_of(id);
                    items.push(item(&name, CompletionItemKind::CLASS, kind.as_str()));
                }
            }
        }
    }
    items
}

fn rule_codes(analysis: &Analysis) -> Vec<CompletionItem> {
    analysis
        .rules
        .rules
        .iter()
        .flat_map(|r| {
            [&r.spec.code, &r.spec.id]
                .map(|label| item(label, CompletionItemKind::VALUE, &r.spec.summary))
        })
        .collect()
}

fn item(label: &str, kind: CompletionItemKind, detail: &str) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: Some(detail.to_string()),
        ..CompletionItem::default()
    }
}

/// Reads the text up to the cursor as the grammar would at the level of blocks:
/// quoted prose and comments aside, which block is open and what opened it.
fn context_at(text: &str, offset: usize) -> Context {
    let mut heads: Vec<usize> = Vec::new();
    // Where the words before the next `{` began: after the last line end or brace.
    let mut statement_start = 0;
    let mut code = Code::new(&text[..offset]);
    for (i, c) in code.by_ref() {
        match c {
            '{' => heads.push(statement_start),
            '}' => {
                heads.pop();
            }
            '\n' => {}
            _ => continue,
        }
        statement_start = i + 1;
    }
    match code.within() {
        Within::Comment(start) if text[start..offset].contains("peerlint:") => {
            return Context::Suppression
        }
        Within::Comment(_) | Within::Quote(_) => return Context::Prose,
        Within::Code => {}
    }
    let Some(&head_start) = heads.last() else {
        return Context::TopLevel;
    };
    let head_end =
        crate::format::first_brace(&text[head_start..offset]).map_or(offset, |i| head_start + i);
    block_kind(&text[head_start..head_end])
}

/// What a block is, from the words that open it.
fn block_kind(head: &str) -> Context {
    let head = head.trim();
    let first = head.split_whitespace().next().unwrap_or("");
    let has = |words: &str| head.contains(words);
    match first {
        "article" => Context::Article,
        "clause" => Context::Clause,
        "charter" => Context::Block(Kind::Charter),
        "role" | "party" => Context::Block(Kind::Role),
        "body" => Context::Block(Kind::Body),
        "decision" => Context::Block(Kind::Decision),
        "dispute" => Context::DisputeSteps,
        "appeals" => Context::Block(Kind::AppealRoute),
        _ if has(" consents to ") => Context::Block(Kind::Consent),
        _ if has(" discloses ") => Context::Block(Kind::Disclosure),
        _ if has(" grants ") => Context::Block(Kind::Grant),
        _ if has(" is exempt from ") => Context::Block(Kind::Exemption),
        _ => Context::Block(Kind::Power),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_cursor(text: &str) -> Context {
        let offset = text.find('|').expect("a cursor");
        let text = text.replace('|', "");
        context_at(&text, offset)
    }

    #[test]
    fn knows_which_block_the_cursor_is_in() {
        assert_eq!(at_cursor("role member\n|"), Context::TopLevel);
        assert_eq!(at_cursor("clause 1 \"A {title}\" {\n  |"), Context::Clause);
        assert_eq!(
            at_cursor("clause 1 {\n  board may expel member {\n    |"),
            Context::Block(Kind::Power)
        );
        assert_eq!(
            at_cursor("clause 1 {\n  member consents to \"x\" { |"),
            Context::Block(Kind::Consent)
        );
        assert_eq!(
            at_cursor("role director within member {\n  |"),
            Context::Block(Kind::Role)
        );
        assert_eq!(
            at_cursor("article I {\n  clause 1 { board may x }\n  |"),
            Context::Article
        );
        assert_eq!(
            at_cursor("clause 1 {\n  dispute between a and b {\n    |"),
            Context::DisputeSteps
        );
    }

    #[test]
    fn prose_and_comments_are_left_alone() {
        assert_eq!(at_cursor("clause 1 {\n  text \"the {|"), Context::Prose);
        assert_eq!(at_cursor("# a note about {|"), Context::Prose);
        assert_eq!(
            at_cursor("clause 1 {\n  # peerlint: allow |"),
            Context::Suppression
        );
    }
}
