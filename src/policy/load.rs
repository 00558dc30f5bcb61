//! Reading policy files: YAML → checked rules, with every error pointing into the YAML.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::expr::{self, Expr, Path as FieldPath};
use super::spec::{Level, PolicyFile, RuleSpec};
use super::template::{self, Template};
use super::typecheck::{Scopes, Ty};
use super::vocabulary::Vocabularies;
use crate::model::Kind;
use crate::span::Span;
use crate::suggest::did_you_mean;

/// A policy file's text, kept for error messages and for `peerlint test`.
#[derive(Clone, Debug)]
pub struct PolicySource {
    pub name: String,
    pub text: Arc<str>,
}

/// An error in a policy file, with the place in the YAML it is about.
#[derive(Clone, Debug)]
pub struct PolicyError {
    pub source: PolicySource,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.source.name, self.message)
    }
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub spec: RuleSpec,
    pub kinds: Vec<Kind>,
    pub scope: Option<Expr>,
    pub when: Expr,
    pub message: Template,
    pub help: Option<Template>,
    /// Wording to propose in reviews.
    pub suggestion: Option<Template>,
    /// The situation a finding allows, in plain words, for reviews.
    pub scenario: Option<Template>,
    pub also: Vec<AlsoPlace>,
    /// The level in force after configuration.
    pub level: Level,
    pub source: PolicySource,
    pub prelude: Option<String>,
}

/// A secondary place a finding shows: a field's place, its label, and when to show it.
#[derive(Clone, Debug)]
pub struct AlsoPlace {
    pub path: FieldPath,
    pub label: Option<String>,
    pub when: Option<Expr>,
}

/// Parsed but not yet checked: vocabularies from every file must be known before any
/// condition can be checked against them.
pub struct Parsed {
    pub file: PolicyFile,
    pub source: PolicySource,
}

/// Largest policy file read; a policy is a few dozen kilobytes.
pub const MAX_POLICY_BYTES: usize = 4 * 1024 * 1024;

pub fn parse_file(source: PolicySource) -> Result<Parsed, PolicyError> {
    if source.text.len() > MAX_POLICY_BYTES {
        return Err(PolicyError {
            span: Span::new(0, 0),
            message: format!(
                "the policy is {} bytes; policies may be up to 4 MiB",
                source.text.len()
            ),
            help: None,
            source,
        });
    }
    if let Some(e) = alias_expansion_error(&source) {
        return Err(e);
    }
    match serde_yaml::from_str::<PolicyFile>(&source.text) {
        Ok(file) => Ok(Parsed { file, source }),
        Err(e) => {
            let span = e.location().map_or(Span::new(0, 0), |l| {
                let start = l.index().min(source.text.len());
                Span::new(start, next_char_end(&source.text, start))
            });
            let message = yaml_message(&e.to_string());
            Err(PolicyError {
                source,
                span,
                help: yaml_help(&message),
                message,
            })
        }
    }
}

/// YAML anchors and aliases can expand a small file into billions of nodes. The typed
/// parse reports that as a vague mismatch, so a file that uses anchors is first read
/// as plain YAML, whose limit gives the real reason.
fn alias_expansion_error(source: &PolicySource) -> Option<PolicyError> {
    if !source.text.contains('&') {
        return None;
    }
    let e = serde_yaml::from_str::<serde_yaml::Value>(&source.text).err()?;
    let message = yaml_message(&e.to_string());
    let at = match e.location() {
        Some(l) => l.index(),
        None => source.text.find('*').unwrap_or(0),
    };
    let at = at.min(source.text.len());
    Some(PolicyError {
        span: Span::new(at, next_char_end(&source.text, at)),
        help: yaml_help(&message),
        message,
        source: source.clone(),
    })
}

fn next_char_end(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(at, |c| at + c.len_utf8())
}

/// serde_yaml's message in the policy author's words, without its trailing position
/// (the label shows the place) and without the names of Rust types.
pub fn yaml_message(raw: &str) -> String {
    let message = match raw.rfind(" at line ") {
        Some(i) => &raw[..i],
        None => raw,
    };
    let message = message
        .replace(
            "invalid type: sequence, expected struct PolicyFile",
            "a policy file is a mapping (`policy: …`, `rules: …`), not a list",
        )
        .replace(
            "invalid type: sequence, expected struct ConfigFile",
            "a configuration is a mapping (`policies:`, `rules:`, `vocabulary:`, `consent:`), not a list",
        )
        .replace("struct PolicyFile", "a policy (a mapping with `policy:` and `rules:`)")
        .replace("struct ConfigFile", "a configuration (a mapping)")
        .replace("struct RuleSpec", "a rule (a mapping with `id:`, `code:`, `when:` …)");
    if message.contains("found character that cannot start any token") {
        return format!("{message} (YAML does not allow tabs for indentation: indent with spaces)");
    }
    message
}

fn yaml_help(message: &str) -> Option<String> {
    if message.contains("unknown field") {
        Some("check the spelling; docs/policies.md lists every field of a policy and a rule".into())
    } else if message.contains("repetition limit") || message.contains("recursion limit") {
        Some("the file expands YAML aliases too far; write the lists out".into())
    } else {
        None
    }
}

/// Checks and compiles every rule of one parsed file against the merged vocabularies.
pub fn compile(parsed: &Parsed, env: &Env) -> Result<Vec<Rule>, PolicyError> {
    let mut rules = Vec::new();
    for spec in &parsed.file.rules {
        rules.push(compile_rule(spec, parsed, env)?);
    }
    Ok(rules)
}

/// What every rule is checked against: the merged vocabularies and predicates.
pub struct Env {
    pub vocabularies: Vocabularies,
    pub predicates: BTreeMap<String, Expr>,
}

/// Parses the predicates of one file; they are expanded where rules use them.
pub fn predicates(parsed: &Parsed) -> Result<Vec<(String, Expr)>, PolicyError> {
    let mut out = Vec::new();
    for (name, text) in &parsed.file.predicates {
        let e = expr::parse_condition(text).map_err(|e| PolicyError {
            source: parsed.source.clone(),
            span: locate_key(&parsed.source.text, name),
            message: format!("predicate `{name}` does not parse: {}", e.message),
            help: None,
        })?;
        out.push((name.clone(), e));
    }
    Ok(out)
}

fn locate_key(text: &str, key: &str) -> Span {
    let needle = format!("{key}:");
    text.find(&needle)
        .map_or(Span::new(0, 0), |s| Span::new(s, s + key.len()))
}

fn compile_rule(spec: &RuleSpec, parsed: &Parsed, env: &Env) -> Result<Rule, PolicyError> {
    let vocabularies = &env.vocabularies;
    let source = &parsed.source;
    let err =
        |key: &str, offset: Option<usize>, message: String, help: Option<String>| PolicyError {
            source: source.clone(),
            span: locate(&source.text, &spec.id, key, offset),
            message,
            help,
        };
    if !is_kebab(&spec.id) {
        return Err(err(
            "id",
            None,
            format!("rule id `{}` is not kebab-case", spec.id),
            Some("name the rule after what it flags, like `sanction-without-hearing`".into()),
        ));
    }
    let mut kinds = Vec::new();
    for name in spec.matches.items() {
        match Kind::parse(name) {
            Some(k) => kinds.push(k),
            None => {
                let names = Kind::ALL.map(|k| k.as_str());
                let help = match did_you_mean(name, names) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("a rule matches one of: {}", names.join(", ")),
                };
                return Err(err(
                    "match",
                    None,
                    format!("`{name}` is not a kind of statement"),
                    Some(help),
                ));
            }
        }
    }
    let checked = |key: &str, text: &str| -> Result<Expr, PolicyError> {
        let e = expr::parse_condition(text).map_err(|e| {
            err(
                key,
                Some(e.offset),
                format!("the `{key}` condition does not parse: {}", e.message),
                None,
            )
        })?;
        let e = expr::expand(e, &env.predicates, 0).map_err(|m| err(key, None, m, None))?;
        scopes_for(&kinds, vocabularies)
            .check(&e)
            .map_err(|t| err(key, None, format!("in `{key}`: {}", t.message), t.help))?;
        Ok(e)
    };
    let scope = spec
        .scope
        .as_deref()
        .map(|s| checked("where", s))
        .transpose()?;
    let when = checked("when", &spec.when)?;
    let template = |key: &str, text: &str| -> Result<Template, PolicyError> {
        let t = template::parse(text).map_err(|e| err(key, Some(e.offset), e.message, None))?;
        let mut t = t;
        for part in &mut t.parts {
            if let super::template::Part::Value(v) = part {
                *v = expr::expand(v.clone(), &env.predicates, 0)
                    .map_err(|m| err(key, None, m, None))?;
                scopes_for(&kinds, vocabularies).check(v).map_err(|e| {
                    err(
                        key,
                        None,
                        format!(
                            "the `{key}` template has an unknown placeholder: {}",
                            e.message
                        ),
                        e.help,
                    )
                })?;
            }
        }
        Ok(t)
    };
    let message = template("message", &spec.message)?;
    let help = spec
        .help
        .as_deref()
        .map(|h| template("help", h))
        .transpose()?;
    let suggestion = spec
        .suggestion
        .as_deref()
        .map(|h| template("suggestion", h))
        .transpose()?;
    let scenario = spec
        .scenario
        .as_deref()
        .map(|h| template("scenario", h))
        .transpose()?;
    if let Some(fix) = &spec.fix {
        let attribute = fix.attribute.trim();
        if attribute.is_empty() || attribute.contains('\n') || attribute.contains('{') {
            return Err(err(
                "fix",
                None,
                "a fix's `attribute` is one attribute on one line, without braces".into(),
                Some("for example `attribute: \"notice 14 days\"`".into()),
            ));
        }
    }
    let mut also = Vec::new();
    for a in &spec.also {
        let p = expr::parse_path(a.path()).map_err(|e| {
            err(
                "also",
                None,
                format!("`also` names a field path: {}", e.message),
                None,
            )
        })?;
        check_path(&kinds, vocabularies, &p)
            .map_err(|(m, h)| err("also", None, format!("in `also`: {m}"), h))?;
        let when = a.condition().map(|c| checked("also", c)).transpose()?;
        also.push(AlsoPlace {
            path: p,
            label: a.label().map(str::to_string),
            when,
        });
    }
    Ok(Rule {
        spec: spec.clone(),
        kinds,
        scope,
        when,
        message,
        help,
        suggestion,
        scenario,
        also,
        level: spec.level,
        source: source.clone(),
        prelude: parsed.file.prelude.clone(),
    })
}

/// The names a rule's conditions start with: each matched kind by its own name, and
/// the matched node itself as the innermost item.
pub(super) fn scopes_for<'v>(kinds: &[Kind], vocabularies: &'v Vocabularies) -> Scopes<'v> {
    let mut stack: Vec<(String, Ty)> = kinds
        .iter()
        .map(|k| (k.as_str().to_string(), Ty::Node(*k)))
        .collect();
    let root = match kinds {
        [one] => Ty::Node(*one),
        many => Ty::Nodes(many.to_vec()),
    };
    stack.push((String::from("this"), root));
    Scopes {
        vocabularies,
        stack,
    }
}

fn check_path(
    kinds: &[Kind],
    vocabularies: &Vocabularies,
    p: &FieldPath,
) -> Result<(), (String, Option<String>)> {
    scopes_for(kinds, vocabularies)
        .path(p)
        .map(|_| ())
        .map_err(|e| (e.message, e.help))
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// The place of `key:` within the rule whose id is `rule_id`, or the rule's id when the
/// key is not written. With `offset`, the place inside a one-line value.
pub fn locate(text: &str, rule_id: &str, key: &str, offset: Option<usize>) -> Span {
    let Some(id_at) = find_id(text, rule_id) else {
        return Span::new(0, 0);
    };
    let id_span = Span::new(id_at, id_at + rule_id.len());
    let rest = &text[id_at..];
    // The rule ends where the next `- id:` begins.
    let end = rest[1..].find("\n  - ").map_or(rest.len(), |e| e + 1);
    let body = &rest[..end];
    let mut line_start = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start().trim_start_matches("- ");
        if let Some(after) = trimmed.strip_prefix(key).and_then(|a| a.strip_prefix(':')) {
            let value = after.trim_start();
            let value_start = id_at + line_start + (line.len() - value.len());
            let value_text = value.trim_end();
            if value_text.is_empty() || value_text.starts_with('|') || value_text.starts_with('>') {
                let key_start = id_at + line_start + (line.len() - line.trim_start().len());
                return Span::new(key_start, key_start + key.len());
            }
            let quote = usize::from(value_text.starts_with('"') || value_text.starts_with('\''));
            return match offset {
                Some(o) => {
                    let at = (value_start + quote + o).min(value_start + value_text.len());
                    Span::new(at, next_char_end(text, at).max(at))
                }
                None => Span::new(value_start, value_start + value_text.len()),
            };
        }
        line_start += line.len();
    }
    id_span
}

fn find_id(text: &str, rule_id: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(rule_id) {
        let at = from + i;
        let before = text[..at].trim_end_matches([' ', '"', '\'']);
        let after = text[at + rule_id.len()..].chars().next();
        if before.ends_with("id:") && after.is_none_or(|c| !(c.is_alphanumeric() || c == '-')) {
            return Some(at);
        }
        from = at + rule_id.len();
    }
    None
}

/// Reads a policy file from disk.
pub fn read_source(path: &Path) -> Result<PolicySource, String> {
    let meta = std::fs::metadata(path)
        .map_err(|e| format!("cannot read policy `{}`: {e}", path.display()))?;
    if meta.len() > MAX_POLICY_BYTES as u64 {
        return Err(format!(
            "policy `{}` is {} bytes; policies may be up to 4 MiB",
            path.display(),
            meta.len()
        ));
    }
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read policy `{}`: {e}", path.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("policy `{}` is not valid UTF-8", path.display()))?;
    Ok(PolicySource {
        name: path.display().to_string(),
        text: Arc::from(text),
    })
}

/// Where an include points, confined to `root` so that a policy cannot reach files
/// outside the project.
pub fn resolve_include(from: &Path, include: &str, root: &Path) -> Result<PathBuf, String> {
    let base = from.parent().unwrap_or(Path::new("."));
    let target = base.join(include);
    let canonical = target
        .canonicalize()
        .map_err(|e| format!("cannot include `{include}`: {e}"))?;
    let root = root
        .canonicalize()
        .map_err(|e| format!("cannot resolve the project directory: {e}"))?;
    if !canonical.starts_with(&root) {
        return Err(format!(
            "`{include}` is outside the project directory `{}`; policies may only include files inside it",
            root.display()
        ));
    }
    Ok(canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "policy: p\nrules:\n  - id: first-rule\n    when: not hearing\n  - id: second\n    when: \"notice\"\n";

    #[test]
    fn locates_keys_within_the_right_rule() {
        let s = locate(YAML, "second", "when", None);
        assert_eq!(&YAML[s.range()], "\"notice\"");
        let s = locate(YAML, "first-rule", "when", Some(4));
        assert_eq!(&YAML[s.range()], "h");
    }

    #[test]
    fn falls_back_to_the_rule_id() {
        let s = locate(YAML, "second", "help", None);
        assert_eq!(&YAML[s.range()], "second");
    }
}
