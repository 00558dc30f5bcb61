//! The rules in force for each document: the default pack with the nearest
//! `peerlint.yaml`, loaded once per configuration and forgotten when a YAML file of the
//! workspace changes. A configuration that does not load is reported where it is
//! written, and its documents are checked with the default pack meanwhile.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{self, Overrides};
use crate::policy::{Builder, LoadError, RuleSet};
use crate::span::Span;

/// A configuration or policy file that could not be loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigProblem {
    /// The file at fault, when the error names one that exists.
    pub file: Option<PathBuf>,
    pub text: Arc<str>,
    pub span: Span,
    pub message: String,
}

#[derive(Default)]
pub struct RuleCache {
    default: Option<Arc<RuleSet>>,
    by_config: HashMap<PathBuf, Arc<RuleSet>>,
    config_of_dir: HashMap<PathBuf, Option<PathBuf>>,
    /// Problems found since they were last taken.
    problems: Vec<ConfigProblem>,
}

impl RuleCache {
    /// The rules for a document at `path` (none for an unsaved buffer: the default pack).
    pub fn for_document(&mut self, path: Option<&Path>) -> Arc<RuleSet> {
        let Some(config) = path.and_then(|p| self.config_for(p)) else {
            return self.default_pack();
        };
        if let Some(rules) = self.by_config.get(&config) {
            return rules.clone();
        }
        let overrides = Overrides {
            config: Some(config.clone()),
            policies: Vec::new(),
        };
        let rules = match config::rules_for(&config, &overrides) {
            Ok(rules) => Arc::new(rules),
            Err(e) => {
                self.problems.push(problem(&config, e));
                self.default_pack()
            }
        };
        self.by_config.insert(config, rules.clone());
        rules
    }

    /// Forgets every loaded configuration: one of them, or a policy it names, changed.
    pub fn clear(&mut self) {
        self.by_config.clear();
        self.config_of_dir.clear();
    }

    pub fn take_problems(&mut self) -> Vec<ConfigProblem> {
        std::mem::take(&mut self.problems)
    }

    fn config_for(&mut self, path: &Path) -> Option<PathBuf> {
        let dir = path.parent()?.to_path_buf();
        self.config_of_dir
            .entry(dir)
            .or_insert_with_key(|dir| config::discover(dir))
            .clone()
    }

    fn default_pack(&mut self) -> Arc<RuleSet> {
        self.default
            .get_or_insert_with(|| {
                // The embedded pack is tested in every build; should it ever fail, an
                // empty rule set keeps the server answering.
                Arc::new(
                    Builder::with_default_pack()
                        .and_then(Builder::build)
                        .unwrap_or_default(),
                )
            })
            .clone()
    }
}

fn problem(config: &Path, error: LoadError) -> ConfigProblem {
    match error {
        LoadError::Policy(e) => {
            let file = Path::new(&e.source.name);
            ConfigProblem {
                file: Some(if file.is_file() {
                    file.to_path_buf()
                } else {
                    config.to_path_buf()
                }),
                text: e.source.text.clone(),
                span: e.span,
                message: match e.help {
                    Some(help) => format!("{}\nhelp: {help}", e.message),
                    None => e.message,
                },
            }
        }
        LoadError::Message(message) => ConfigProblem {
            file: Some(config.to_path_buf()),
            text: Arc::from(""),
            span: Span::default(),
            message,
        },
    }
}
