//! The policy file format, as written in YAML. Unknown fields are rejected so that a
//! misspelt key is an error, not a silently ignored rule.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::vocabulary::VocabularySpec;
use crate::diagnostic::{Principle, Severity};

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    /// The policy's name (`due-process`).
    pub policy: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Other policy files to load first, relative to this one (inside the project).
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub vocabulary: BTreeMap<String, VocabularySpec>,
    /// Named conditions that rules of any policy can use by name.
    #[serde(default)]
    pub predicates: BTreeMap<String, String>,
    /// Charter text placed before every example of this file's rules, so that examples
    /// can be single clauses that use the roles and bodies it declares.
    #[serde(default)]
    pub prelude: Option<String>,
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub code: String,
    pub principle: Principle,
    pub level: Level,
    pub summary: String,
    pub explanation: String,
    /// The kinds of node the rule visits (`power`, or a list).
    #[serde(rename = "match")]
    pub matches: OneOrMany,
    /// Which of those nodes the rule applies to; each counts as one check for scoring.
    #[serde(rename = "where", default)]
    pub scope: Option<String>,
    /// When an applicable node violates the principle.
    pub when: String,
    pub message: String,
    #[serde(default)]
    pub help: Option<String>,
    /// Wording a drafter could use instead, shown in reviews.
    #[serde(default)]
    pub suggestion: Option<String>,
    /// The concrete situation a finding allows, in plain words, for reviews
    /// ("{holder} can fine a member without a hearing: …").
    #[serde(default)]
    pub scenario: Option<String>,
    /// An attribute that mends the finding, offered by editors as a quick fix.
    #[serde(default)]
    pub fix: Option<FixSpec>,
    /// Fields whose places are shown beside the main one.
    #[serde(default)]
    pub also: Vec<Also>,
    #[serde(default)]
    pub examples: Examples,
}

/// `fix: { title: "Give notice", attribute: "notice 14 days" }`: the attribute is set
/// on the flagged statement, replacing one with the same keyword.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixSpec {
    /// What the editor shows (`Add a notice period`).
    pub title: String,
    /// One attribute, as a drafter would write it in the statement's block.
    pub attribute: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(untagged, expecting = "a kind of node, or a list of kinds")]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn items(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(
    untagged,
    expecting = "a field path, or a mapping with `path`, `label` and an optional `when`"
)]
pub enum Also {
    Path(String),
    Labelled {
        path: String,
        label: String,
        /// Show this place only when the condition holds.
        #[serde(default)]
        when: Option<String>,
    },
}

impl Also {
    pub fn path(&self) -> &str {
        match self {
            Also::Path(p) | Also::Labelled { path: p, .. } => p,
        }
    }

    pub fn label(&self) -> Option<&str> {
        match self {
            Also::Path(_) => None,
            Also::Labelled { label, .. } => Some(label),
        }
    }

    pub fn condition(&self) -> Option<&str> {
        match self {
            Also::Path(_) => None,
            Also::Labelled { when, .. } => when.as_deref(),
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default)]
    pub fires: Vec<String>,
    #[serde(default)]
    pub silent: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
            Level::Off => "off",
        }
    }
}
