//! Suppressions: a charter's own record that a finding is an accepted exception.
//!
//! ```charter
//! # peerlint: allow minority-veto reason "the founders' veto lapses in 2027" approved-by "general assembly, resolution 14" expires 2027-06-30
//! clause 1.2 "Founders' veto" { founder may veto amendment }
//! ```
//!
//! Bylaws are governance records, so an exception says why, may say who approved it,
//! and may expire. A suppression without a reason suppresses nothing and is itself a
//! finding; an expired one lets its finding through again; one that suppresses nothing
//! is reported as unused.

use crate::annotation::{covers, target_of, Target};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::lines::Lines;
use crate::policy::RuleSet;
use crate::span::Span;

pub const NO_REASON: (&str, &str) = ("S018", "suppression-without-reason");
pub const EXPIRED: (&str, &str) = ("S019", "expired-suppression");
pub const UNUSED: (&str, &str) = ("S020", "unused-suppression");
pub const MALFORMED: (&str, &str) = ("S021", "invalid-suppression");

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub rules: Vec<String>,
    pub reason: Option<String>,
    pub approved_by: Option<String>,
    /// `YYYY-MM-DD`
    pub expires: Option<String>,
    pub target: Target,
    /// The 0-based line it applies to.
    pub line: usize,
    /// The comment.
    pub span: Span,
}

impl Suppression {
    pub fn is_expired(&self, today: &str) -> bool {
        self.expires.as_deref().is_some_and(|d| d < today)
    }
}

/// Reads every `# peerlint: allow …` comment; malformed ones become diagnostics.
pub fn parse(
    text: &str,
    comments: &[Span],
    rules: &RuleSet,
) -> (Vec<Suppression>, Vec<Diagnostic>) {
    // Most charters have no suppression: the line index is built for the first.
    let lines = std::cell::OnceCell::new();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for &span in comments {
        let body = text[span.range()].trim_start_matches('#').trim();
        let Some(directive) = body.strip_prefix("peerlint:") else {
            continue;
        };
        match parse_directive(directive.trim()) {
            Err(message) => errors.push(malformed(span, &message, None)),
            Ok(mut s) => {
                let unknown: Vec<&String> =
                    s.rules.iter().filter(|r| rules.find(r).is_none()).collect();
                if let Some(rule) = unknown.first() {
                    let hint = rules.suggest(rule).map(|x| format!("did you mean `{x}`?"));
                    errors.push(malformed(
                        span,
                        &format!("the suppression names no rule `{rule}`"),
                        hint,
                    ));
                    continue;
                }
                // Codes are accepted too; keep the rule ids.
                s.rules = s
                    .rules
                    .iter()
                    .filter_map(|r| rules.find(r).map(|x| x.spec.id.clone()))
                    .collect();
                let lines = lines.get_or_init(|| Lines::new(text));
                match target_of(text, lines, span) {
                    None => errors.push(malformed(
                        span,
                        "this suppression is not followed by anything it could apply to",
                        None,
                    )),
                    Some((target, line)) => out.push(Suppression {
                        target,
                        line,
                        span,
                        ..s
                    }),
                }
            }
        }
    }
    (out, errors)
}

fn malformed(span: Span, message: &str, help: Option<String>) -> Diagnostic {
    Diagnostic::error(MALFORMED.0, MALFORMED.1, message, Label::new(span, "this suppression"))
        .with_help_opt(help.or_else(|| {
            Some("write `# peerlint: allow RULE reason \"…\"`, optionally with `approved-by \"…\"` and `expires YYYY-MM-DD`".into())
        }))
}

/// `allow RULE[, RULE] [reason "…"] [approved-by "…"] [expires YYYY-MM-DD]`
fn parse_directive(text: &str) -> Result<Suppression, String> {
    let rest = text.strip_prefix("allow").ok_or_else(|| {
        format!(
            "`{}` is not a directive; the one directive is `allow`",
            text.split_whitespace().next().unwrap_or("")
        )
    })?;
    let mut s = Suppression {
        rules: Vec::new(),
        reason: None,
        approved_by: None,
        expires: None,
        target: Target::Line(0),
        line: 0,
        span: Span::default(),
    };
    let mut rest = rest.trim_start();
    // Rules until the first keyword.
    loop {
        let word_end = rest
            .find(|c: char| c.is_whitespace() || c == ',')
            .unwrap_or(rest.len());
        let word = &rest[..word_end];
        if word.is_empty() || ["reason", "approved-by", "expires"].contains(&word) {
            break;
        }
        s.rules.push(word.to_string());
        rest = rest[word_end..]
            .trim_start()
            .trim_start_matches(',')
            .trim_start();
    }
    if s.rules.is_empty() {
        return Err("the suppression names no rule".into());
    }
    while !rest.is_empty() {
        let key_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let key = &rest[..key_end];
        rest = rest[key_end..].trim_start();
        match key {
            "reason" | "approved-by" => {
                let (value, after) =
                    quoted(rest).ok_or_else(|| format!("`{key}` takes a quoted text"))?;
                if key == "reason" {
                    s.reason = Some(value).filter(|v| !v.trim().is_empty());
                } else {
                    s.approved_by = Some(value);
                }
                rest = after.trim_start();
            }
            "expires" => {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let date = &rest[..end];
                if !is_date(date) {
                    return Err(format!(
                        "`expires` takes a date like 2027-06-30, not `{date}`"
                    ));
                }
                s.expires = Some(date.to_string());
                rest = rest[end..].trim_start();
            }
            other => return Err(format!("`{other}` is not part of a suppression")),
        }
    }
    Ok(s)
}

fn quoted(text: &str) -> Option<(String, &str)> {
    let inner = text.strip_prefix('"')?;
    let end = inner.find('"')?;
    Some((inner[..end].to_string(), &inner[end + 1..]))
}

fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    matches!(parts.as_slice(), [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2
        && text.chars().all(|c| c.is_ascii_digit() || c == '-')
        && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&d.parse::<u32>().unwrap_or(0)))
}

/// Today's date as `YYYY-MM-DD`; `PEERLINT_TODAY` overrides it (for reproducible
/// checks of expiry dates).
pub fn today() -> String {
    if let Ok(d) = std::env::var("PEERLINT_TODAY") {
        if is_date(&d) {
            return d;
        }
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date((secs / 86_400) as i64)
}

/// Days since 1970-01-01 → `YYYY-MM-DD` (Howard Hinnant's civil-from-days algorithm).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// What became of the findings and the suppressions of one file.
#[derive(Debug, Default)]
pub struct Applied {
    /// Indexes of the findings a suppression hides, with the suppression.
    pub hidden: Vec<(usize, usize)>,
    /// New diagnostics: suppressions without reason, expired, unused.
    pub diagnostics: Vec<Diagnostic>,
}

pub fn apply<'d>(
    text: &str,
    findings: impl IntoIterator<Item = &'d Diagnostic>,
    suppressions: &[Suppression],
    today: &str,
) -> Applied {
    let mut applied = Applied::default();
    if suppressions.is_empty() {
        return applied;
    }
    let lines = Lines::new(text);
    let mut used = vec![false; suppressions.len()];
    for (fi, f) in findings.into_iter().enumerate() {
        let found = suppressions
            .iter()
            .enumerate()
            .find(|(_, s)| s.rules.iter().any(|r| covers(r, &s.target, f, &lines)));
        let Some((si, s)) = found else { continue };
        used[si] = true;
        if s.reason.is_none() || s.is_expired(today) {
            continue;
        }
        applied.hidden.push((fi, si));
    }
    for (si, s) in suppressions.iter().enumerate() {
        let label = Label::new(s.span, "this suppression");
        let d = if s.reason.is_none() {
            Diagnostic::error(NO_REASON.0, NO_REASON.1, "a suppression must give its reason", label)
                .with_help("add `reason \"…\"`: bylaws record why an exception was made; until then the finding stands")
        } else if s.is_expired(today) {
            Diagnostic::error(
                EXPIRED.0,
                EXPIRED.1,
                format!(
                    "this exception expired on {}",
                    s.expires.as_deref().unwrap_or("")
                ),
                label,
            )
            .with_help("renew it with a new date and approval, or mend the clause")
        } else if !used[si] {
            Diagnostic::error(
                UNUSED.0,
                UNUSED.1,
                format!(
                    "this suppression of {} suppresses nothing",
                    s.rules.join(", ")
                ),
                label,
            )
            .with_help("the clause no longer trips the rule: remove the suppression")
        } else {
            continue;
        };
        applied.diagnostics.push(d.with_severity(Severity::Warning));
    }
    applied
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_directive() {
        let s = parse_directive(
            r#"allow minority-veto, EQ001 reason "lapses in 2027" approved-by "assembly, resolution 14" expires 2027-06-30"#,
        )
        .expect("parses");
        assert_eq!(s.rules, vec!["minority-veto", "EQ001"]);
        assert_eq!(s.reason.as_deref(), Some("lapses in 2027"));
        assert_eq!(s.approved_by.as_deref(), Some("assembly, resolution 14"));
        assert_eq!(s.expires.as_deref(), Some("2027-06-30"));
    }

    #[test]
    fn rejects_what_it_cannot_read() {
        assert!(parse_directive("deny x").is_err());
        assert!(parse_directive("allow").is_err());
        assert!(parse_directive("allow x expires tomorrow").is_err());
        assert!(parse_directive("allow x reason unquoted").is_err());
        assert_eq!(
            parse_directive("allow x reason \"\"").map(|s| s.reason),
            Ok(None)
        );
    }

    #[test]
    fn computes_civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_454), "2026-01-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
    }
}
