//! Rules as data: the policy format, the condition language, and the engine.

pub mod engine;
pub mod eval;
pub mod expr;
pub mod load;
pub mod plan;
pub mod spec;
pub mod template;
pub mod typecheck;
pub mod vocabulary;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use load::{Parsed, PolicyError, PolicySource, Rule};
use spec::Level;
use vocabulary::{Vocabularies, VocabularySpec};

use crate::model::Kind;
use crate::span::Span;
use crate::suggest::did_you_mean;

/// The default pack, compiled into the binary so that a fresh machine needs no files
/// besides the charters.
pub const DEFAULT_PACK: &[(&str, &str)] = &[
    (
        "policies/vocabulary.yaml",
        include_str!("../../policies/vocabulary.yaml"),
    ),
    (
        "policies/equality.yaml",
        include_str!("../../policies/equality.yaml"),
    ),
    (
        "policies/consent.yaml",
        include_str!("../../policies/consent.yaml"),
    ),
    (
        "policies/due-process.yaml",
        include_str!("../../policies/due-process.yaml"),
    ),
];

/// Every rule in force, indexed by the kinds of node it visits.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub vocabularies: Vocabularies,
    /// The named conditions of every policy, for reports that classify nodes the way
    /// the rules do (see [`RuleSet::condition`]).
    predicates: BTreeMap<String, expr::Expr>,
    by_kind: Vec<Vec<usize>>,
}

impl RuleSet {
    pub fn for_kind(&self, kind: Kind) -> &[usize] {
        self.by_kind.get(kind as usize).map_or(&[], Vec::as_slice)
    }

    /// A condition on nodes of one kind, in the policies' language, with their
    /// predicates and vocabularies: the power map asks the pack which powers are
    /// sanctions rather than deciding it again.
    pub fn condition(&self, text: &str, kind: Kind) -> Result<expr::Expr, String> {
        let e = expr::parse_condition(text).map_err(|e| e.message)?;
        let e = expr::expand(e, &self.predicates, 0)?;
        load::scopes_for(&[kind], &self.vocabularies)
            .check(&e)
            .map_err(|t| t.message)?;
        Ok(e)
    }

    pub fn find(&self, id_or_code: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.spec.id == id_or_code || r.spec.code.eq_ignore_ascii_case(id_or_code))
    }

    pub fn suggest(&self, id_or_code: &str) -> Option<&str> {
        did_you_mean(id_or_code, self.rules.iter().map(|r| r.spec.id.as_str()))
    }
}

/// Where a setting came from, for `peerlint config`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Default,
    Policy(String),
    Config(String),
    CommandLine,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Default => write!(f, "the default pack"),
            Origin::Policy(p) => write!(f, "policy {p}"),
            Origin::Config(p) => write!(f, "configuration {p}"),
            Origin::CommandLine => write!(f, "the command line"),
        }
    }
}

/// A rule's level set by configuration, with the place it was set.
#[derive(Clone, Debug)]
pub struct LevelOverride {
    pub rule: String,
    pub level: Level,
    pub source: PolicySource,
    pub span: Span,
}

/// Collects policy files, vocabulary extensions and level overrides, then checks them
/// all together.
#[derive(Default)]
pub struct Builder {
    parsed: Vec<(Parsed, Origin)>,
    vocabulary: Vec<(String, VocabularySpec, Origin)>,
    levels: Vec<LevelOverride>,
    loaded_paths: BTreeSet<PathBuf>,
}

impl Builder {
    pub fn with_default_pack() -> Result<Self, PolicyError> {
        let mut b = Builder::default();
        for (name, text) in DEFAULT_PACK {
            let source = PolicySource {
                name: (*name).to_string(),
                text: Arc::from(*text),
            };
            b.parsed.push((load::parse_file(source)?, Origin::Default));
        }
        Ok(b)
    }

    /// Adds a policy from text (tests, `peerlint test` on a single file).
    pub fn add_source(&mut self, source: PolicySource, origin: Origin) -> Result<(), PolicyError> {
        let parsed = load::parse_file(source)?;
        self.parsed.push((parsed, origin));
        Ok(())
    }

    /// Adds a policy file and, first, the files it includes; `root` confines includes.
    pub fn add_file(&mut self, path: &Path, root: &Path, origin: Origin) -> Result<(), LoadError> {
        let mut chain = Vec::new();
        self.add_file_inner(path, root, &origin, &mut chain)
    }

    fn add_file_inner(
        &mut self,
        path: &Path,
        root: &Path,
        origin: &Origin,
        chain: &mut Vec<PathBuf>,
    ) -> Result<(), LoadError> {
        let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if chain.contains(&canonical) {
            return Err(LoadError::Message(format!(
                "policy `{}` includes itself (through {})",
                path.display(),
                chain
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" → ")
            )));
        }
        if self.loaded_paths.contains(&canonical) {
            return Ok(());
        }
        let source = load::read_source(path).map_err(LoadError::Message)?;
        let parsed = load::parse_file(source).map_err(LoadError::Policy)?;
        chain.push(canonical.clone());
        for include in parsed.file.include.clone() {
            let target = load::resolve_include(path, &include, root).map_err(|m| {
                let span = parsed
                    .source
                    .text
                    .find(include.as_str())
                    .map_or(Span::new(0, 0), |s| Span::new(s, s + include.len()));
                LoadError::Policy(PolicyError {
                    source: parsed.source.clone(),
                    span,
                    message: m,
                    help: None,
                })
            })?;
            self.add_file_inner(&target, root, origin, chain)?;
        }
        chain.pop();
        self.loaded_paths.insert(canonical);
        self.parsed.push((parsed, origin.clone()));
        Ok(())
    }

    /// Like [`Builder::add_file`], but a file whose `policy:` name is a default pack
    /// policy replaces that policy instead of clashing with it.
    pub fn add_file_replacing(
        &mut self,
        path: &Path,
        root: &Path,
        origin: Origin,
    ) -> Result<(), LoadError> {
        let source = load::read_source(path).map_err(LoadError::Message)?;
        let parsed = load::parse_file(source).map_err(LoadError::Policy)?;
        let name = parsed.file.policy.clone();
        self.parsed
            .retain(|(p, o)| !(matches!(o, Origin::Default) && p.file.policy == name));
        self.add_file(path, root, origin)
    }

    pub fn extend_vocabulary(&mut self, name: &str, spec: VocabularySpec, origin: Origin) {
        self.vocabulary.push((name.to_string(), spec, origin));
    }

    pub fn set_level(&mut self, o: LevelOverride) {
        self.levels.push(o);
    }

    pub fn build(self) -> Result<RuleSet, PolicyError> {
        let mut vocabularies = Vocabularies::default();
        for (parsed, _) in &self.parsed {
            for (name, spec) in &parsed.file.vocabulary {
                vocabularies.extend(name, spec);
            }
        }
        for (name, spec, _) in &self.vocabulary {
            vocabularies.extend(name, spec);
        }
        vocabularies.finish();
        let mut predicates = BTreeMap::new();
        for (parsed, _) in &self.parsed {
            for (name, e) in load::predicates(parsed)? {
                predicates.insert(name, e);
            }
        }
        let env = load::Env {
            vocabularies,
            predicates,
        };
        let mut rules: Vec<Rule> = Vec::new();
        let mut seen: BTreeMap<String, (String, String)> = BTreeMap::new();
        for (parsed, _) in &self.parsed {
            for rule in load::compile(parsed, &env)? {
                for key in [&rule.spec.id, &rule.spec.code] {
                    if let Some((first_id, first_file)) = seen.get(key) {
                        let field = if key == &rule.spec.id { "id" } else { "code" };
                        return Err(PolicyError {
                            source: parsed.source.clone(),
                            span: load::locate(&parsed.source.text, &rule.spec.id, field, None),
                            message: format!("`{key}` is already used by rule `{first_id}` in {first_file}"),
                            help: Some(
                                "give the rule its own id and code; to replace a rule, switch the old one off in peerlint.yaml"
                                    .into(),
                            ),
                        });
                    }
                    seen.insert(
                        key.clone(),
                        (rule.spec.id.clone(), parsed.source.name.clone()),
                    );
                }
                rules.push(rule);
            }
        }
        for o in &self.levels {
            match rules
                .iter_mut()
                .find(|r| r.spec.id == o.rule || r.spec.code.eq_ignore_ascii_case(&o.rule))
            {
                Some(rule) => rule.level = o.level,
                None => {
                    let help = did_you_mean(&o.rule, rules.iter().map(|r| r.spec.id.as_str()))
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| "`peerlint rules` lists every rule".into());
                    return Err(PolicyError {
                        source: o.source.clone(),
                        span: o.span,
                        message: format!("there is no rule `{}`", o.rule),
                        help: Some(help),
                    });
                }
            }
        }
        let mut by_kind = vec![Vec::new(); Kind::ALL.len()];
        for (i, r) in rules.iter().enumerate() {
            for k in &r.kinds {
                by_kind[*k as usize].push(i);
            }
        }
        Ok(RuleSet {
            rules,
            vocabularies: env.vocabularies,
            predicates: env.predicates,
            by_kind,
        })
    }

    /// Every vocabulary extension with where it came from, for `peerlint config`.
    pub fn vocabulary_origins(&self) -> Vec<(String, Origin)> {
        let mut out = Vec::new();
        for (parsed, origin) in &self.parsed {
            for name in parsed.file.vocabulary.keys() {
                let o = match origin {
                    Origin::Default => Origin::Default,
                    _ => Origin::Policy(parsed.source.name.clone()),
                };
                out.push((name.clone(), o));
            }
        }
        for (name, _, origin) in &self.vocabulary {
            out.push((name.clone(), origin.clone()));
        }
        out
    }

    pub fn policy_origins(&self) -> Vec<(String, Origin)> {
        self.parsed
            .iter()
            .map(|(p, o)| (p.source.name.clone(), o.clone()))
            .collect()
    }

    pub fn level_overrides(&self) -> &[LevelOverride] {
        &self.levels
    }
}

#[derive(Debug)]
pub enum LoadError {
    Policy(PolicyError),
    Message(String),
}

impl From<PolicyError> for LoadError {
    fn from(e: PolicyError) -> Self {
        LoadError::Policy(e)
    }
}
