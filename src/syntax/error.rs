//! Turning pest's errors into messages in the charter's own words.

use pest::error::{ErrorVariant, InputLocation};

use super::parser::Rule;
use crate::diagnostic::{Diagnostic, Label};
use crate::span::Span;
use crate::suggest::did_you_mean;

pub const SYNTAX_ERROR: (&str, &str) = ("S001", "syntax-error");
pub const TOO_DEEP: (&str, &str) = ("S002", "nesting-too-deep");

/// What a grammar rule stands for, said the way a charter's author would say it.
fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::name | Rule::every_of | Rule::actor => "a role or body name",
        Rule::word => "a word",
        Rule::action => "an action (a verb like `vote`, `expel`, `amend`)",
        Rule::string => "a quoted text",
        Rule::clause_id => "a clause number",
        Rule::number => "a number",
        Rule::duration => "a duration like `30 days`",
        Rule::unit => "a unit of time (`days`, `weeks`, `months`, `years`)",
        Rule::modality => {
            "a modal word (`may`, `must`, `must not`, `should`, `need not`, `cannot`)"
        }
        Rule::k_is => "`is exempt from`",
        Rule::k_exempt => "`exempt`",
        Rule::k_consents => "`consents to`",
        Rule::k_discloses => "`discloses`",
        Rule::k_grants => "`grants`",
        Rule::k_within => "`within`",
        Rule::k_by => "`by`",
        Rule::k_to => "`to`",
        Rule::k_from => "`from`",
        Rule::k_and => "`and`",
        Rule::k_clause => "`clause`",
        Rule::k_before => "`before`",
        Rule::k_none => "`none`",
        Rule::header | Rule::k_charter => "`charter`",
        Rule::role_decl | Rule::k_role => "`role`",
        Rule::party_decl | Rule::k_party => "`party`",
        Rule::body_decl | Rule::k_body => "`body`",
        Rule::clause => "`clause`",
        Rule::article | Rule::k_article => "`article`",
        Rule::attr_block | Rule::lbrace => "`{`",
        Rule::rbrace => "`}`",
        Rule::vague => "`reasonable`",
        Rule::open_grounds => "`open`",
        Rule::fraction | Rule::odds | Rule::percent | Rule::named_threshold => {
            "a threshold like `2/3`, `50%`, `majority` or `consensus`"
        }
        Rule::before_after => "`before` or `after`",
        Rule::reconsent_kind => "`explicit`, `deemed` or `none`",
        Rule::permitted => "`allowed` or `forbidden`",
        Rule::perpetual => "`perpetual`",
        Rule::EOI => "the end of the item",
        Rule::text_stmt
        | Rule::decision_stmt
        | Rule::dispute_stmt
        | Rule::appeal_route
        | Rule::regarding_stmt
        | Rule::exemption
        | Rule::consent
        | Rule::disclosure
        | Rule::grant
        | Rule::modal_stmt
        | Rule::actor_stmt => "a statement",
        Rule::step => "a dispute step like `mediation by \"…\"`",
        _ => return None,
    })
}

/// The keywords a rule accepts, for "did you mean".
fn keywords(rule: Rule) -> &'static [&'static str] {
    match rule {
        Rule::modality => &["may", "must", "should", "need", "cannot"],
        Rule::k_is => &["is"],
        Rule::k_consents => &["consents"],
        Rule::k_discloses => &["discloses"],
        Rule::k_grants => &["grants"],
        Rule::k_within => &["within"],
        Rule::header | Rule::k_charter => &["charter"],
        Rule::role_decl | Rule::k_role => &["role"],
        Rule::party_decl | Rule::k_party => &["party"],
        Rule::body_decl | Rule::k_body => &["body"],
        Rule::clause | Rule::k_clause => &["clause"],
        Rule::article | Rule::k_article => &["article"],
        Rule::unit => &["days", "weeks", "months", "years", "hours"],
        Rule::text_stmt => &["text"],
        Rule::decision_stmt => &["decision"],
        Rule::dispute_stmt => &["dispute"],
        Rule::appeal_route => &["appeals"],
        Rule::regarding_stmt => &["regarding"],
        _ => &[],
    }
}

pub fn from_pest(err: &pest::error::Error<Rule>, text: &str, offset: usize) -> Diagnostic {
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let found = token_at(text, pos);
    let mut expected: Vec<&'static str> = Vec::new();
    let mut candidates: Vec<&'static str> = Vec::new();
    if let ErrorVariant::ParsingError { positives, .. } = &err.variant {
        for rule in positives {
            if let Some(d) = describe(*rule) {
                if !expected.contains(&d) {
                    expected.push(d);
                }
            }
            candidates.extend_from_slice(keywords(*rule));
        }
    }
    let at_line_start = text[..pos.min(text.len())]
        .rsplit('\n')
        .next()
        .is_some_and(|l| l.trim().is_empty());
    if at_line_start {
        // A name at the start of a line is the subject of a new statement.
        for e in expected.iter_mut() {
            if *e == "a role or body name" {
                *e = "a statement (like `member may vote`)";
            }
        }
    }
    // The commonest continuation first: most statements are `WHO may/must …`.
    expected.sort_by_key(|e| !e.starts_with("a modal word"));
    // After `within` only a role can follow (bodies are not nested).
    if previous_token(text, pos).as_deref() == Some("within") {
        for e in expected.iter_mut() {
            if *e == "a role or body name" {
                *e = "a role name";
            }
        }
    }
    let expected_text = match expected.as_slice() {
        [] => "something else".to_string(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    };
    let message = match previous_token(text, pos) {
        Some(prev) => format!("expected {expected_text} after `{prev}`"),
        None => format!("expected {expected_text}"),
    };
    let (label_text, width) = match &found {
        Some(tok) => (format!("found `{tok}`"), tok.len()),
        None if pos >= text.trim_end().len() => ("the text ends here".to_string(), 0),
        None => ("the line ends here".to_string(), 0),
    };
    let span = Span::new(offset + pos, offset + pos + width);
    let mut diag = Diagnostic::error(
        SYNTAX_ERROR.0,
        SYNTAX_ERROR.1,
        message,
        Label::new(span, label_text),
    );
    if let Some(tok) = &found {
        if let Some(s) = did_you_mean(tok, candidates.iter().copied()) {
            diag = diag.with_help(format!("did you mean `{s}`?"));
        }
    }
    diag
}

/// The word or symbol that starts at `pos` on its line, if any.
fn token_at(text: &str, pos: usize) -> Option<String> {
    let rest = text.get(pos..)?;
    let first = rest.chars().next()?;
    if first == '\n' || first == '\r' {
        return None;
    }
    if first == '"' {
        let end = rest[1..].find('"').map_or(rest.len(), |e| e + 2);
        let quoted: String = rest[..end].chars().take(40).collect();
        return Some(quoted);
    }
    if is_word_char(first) {
        let end = rest.find(|c: char| !is_word_char(c)).unwrap_or(rest.len());
        return Some(rest[..end].to_string());
    }
    Some(first.to_string())
}

/// The token before `pos`, skipping blanks and comments on the same line.
fn previous_token(text: &str, pos: usize) -> Option<String> {
    let before = text.get(..pos)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before[line_start..].trim_end();
    if line.is_empty() {
        return None;
    }
    if let Some(stripped) = line.strip_suffix('"') {
        let open = stripped.rfind('"')?;
        let quoted = &line[open..];
        return Some(if quoted.chars().count() > 40 {
            format!("{}…\"", quoted.chars().take(38).collect::<String>())
        } else {
            quoted.to_string()
        });
    }
    let last = line.chars().next_back()?;
    if !is_word_char(last) {
        return Some(last.to_string());
    }
    let start = line
        .char_indices()
        .rev()
        .find(|(_, c)| !is_word_char(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    Some(line[start..].to_string())
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || c == '_'
        || c == '-'
        || c == '.'
        || c == '('
        || c == ')'
        || c == '/'
        || c == '%'
}
