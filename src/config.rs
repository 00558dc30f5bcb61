//! `peerlint.yaml`: an organization's own policies, levels and vocabulary, found from the
//! checked file upward.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::policy::load::{self, PolicyError, PolicySource};
use crate::policy::spec::Level;
use crate::policy::vocabulary::VocabularySpec;
use crate::policy::{Builder, LevelOverride, LoadError, Origin, RuleSet};
use crate::span::Span;

pub const CONFIG_NAMES: [&str; 2] = ["peerlint.yaml", ".peerlint.yaml"];

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Extra policy files, relative to the configuration file.
    #[serde(default)]
    pub policies: Vec<String>,
    /// Levels by rule id or code: `error`, `warning`, `info` or `off`.
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
    /// Words added to the vocabularies the rules use.
    #[serde(default)]
    pub vocabulary: BTreeMap<String, VocabularySpec>,
    #[serde(default)]
    pub consent: Option<ConsentConfig>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentConfig {
    /// The items a consent must disclose: a list, or a map by consent category.
    pub requires: VocabularySpec,
}

/// A configuration file as read, with its text for error messages.
#[derive(Clone, Debug)]
pub struct Config {
    pub path: PathBuf,
    pub source: PolicySource,
    pub file: ConfigFile,
}

/// The nearest configuration file in `start` or a directory above it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = if start.is_dir() {
        start.to_path_buf()
    } else {
        start
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    let absolute = if start.as_os_str().is_empty() {
        std::env::current_dir().ok()?
    } else {
        start.canonicalize().ok()?
    };
    for dir in absolute.ancestors() {
        for name in CONFIG_NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

pub fn read(path: &Path) -> Result<Config, LoadError> {
    let source = load::read_source(path).map_err(LoadError::Message)?;
    let file: ConfigFile = serde_yaml::from_str(&source.text).map_err(|e| {
        let span = e.location().map_or(Span::new(0, 0), |l| {
            let at = l.index().min(source.text.len());
            Span::new(at, (at + 1).min(source.text.len()))
        });
        let message = load::yaml_message(&e.to_string());
        LoadError::Policy(PolicyError {
            source: source.clone(),
            span,
            message,
            help: Some("docs/configuration.md lists every setting".into()),
        })
    })?;
    Ok(Config {
        path: path.to_path_buf(),
        source,
        file,
    })
}

/// What the command line adds to configuration.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub policies: Vec<PathBuf>,
}

/// The rule builder for files under `start`: the default pack, then the configuration's
/// policies, levels and vocabulary, then the command line's policies.
pub fn builder_for(
    start: &Path,
    overrides: &Overrides,
) -> Result<(Builder, Option<Config>), LoadError> {
    let mut builder = Builder::with_default_pack()?;
    let config_path = overrides.config.clone().or_else(|| discover(start));
    let config = config_path.as_deref().map(read).transpose()?;
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    if let Some(c) = &config {
        let root = c
            .path
            .parent()
            .map_or_else(|| cwd.clone(), Path::to_path_buf);
        let root = if root.as_os_str().is_empty() {
            cwd.clone()
        } else {
            root
        };
        let origin = Origin::Config(c.path.display().to_string());
        for p in &c.file.policies {
            let path = load::resolve_include(&c.path, p, &root).map_err(|m| {
                LoadError::Policy(PolicyError {
                    source: c.source.clone(),
                    span: find(&c.source.text, p),
                    message: m,
                    help: None,
                })
            })?;
            builder.add_file(&path, &root, origin.clone())?;
        }
        for (name, spec) in &c.file.vocabulary {
            builder.extend_vocabulary(name, spec.clone(), origin.clone());
        }
        if let Some(consent) = &c.file.consent {
            builder.extend_vocabulary(
                "required_disclosures",
                consent.requires.clone(),
                origin.clone(),
            );
        }
        for (rule, level) in &c.file.rules {
            builder.set_level(LevelOverride {
                rule: rule.clone(),
                level: *level,
                source: c.source.clone(),
                span: find(&c.source.text, rule),
            });
        }
    }
    for p in &overrides.policies {
        let root = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map_or_else(|| cwd.clone(), Path::to_path_buf);
        builder.add_file(p, &root, Origin::CommandLine)?;
    }
    Ok((builder, config))
}

pub fn rules_for(start: &Path, overrides: &Overrides) -> Result<RuleSet, LoadError> {
    let (builder, _) = builder_for(start, overrides)?;
    builder.build().map_err(LoadError::Policy)
}

fn find(text: &str, needle: &str) -> Span {
    text.find(needle)
        .map_or(Span::new(0, 0), |s| Span::new(s, s + needle.len()))
}

/// The default configuration text, for `peerlint config --init`-style help.
pub fn example() -> Arc<str> {
    Arc::from(
        "# peerlint.yaml\npolicies: [our-rules.yaml]\nrules:\n  sanction-without-notice: warning\nvocabulary:\n  adverse: [evict]\nconsent:\n  requires: [purpose, recipients, retention]\n",
    )
}
