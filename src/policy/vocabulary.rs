//! Vocabulary as data: which words mean what (adverse actions, vetoes, implied forms of
//! consent, required disclosures). Policies declare lists; configuration extends them.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::model::Value;

/// A vocabulary is a list of words, or a map from a key (a consent's category, say) to
/// a list, with `default` used for keys the map does not name.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(
    untagged,
    expecting = "a list of words, or a map from a category to a list of words"
)]
pub enum VocabularySpec {
    List(Vec<String>),
    Map(BTreeMap<String, Vec<String>>),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vocabulary {
    pub words: BTreeSet<String>,
    pub keyed: BTreeMap<String, BTreeSet<String>>,
}

impl Vocabulary {
    pub fn extend(&mut self, spec: &VocabularySpec) {
        match spec {
            VocabularySpec::List(words) => self.words.extend(words.iter().cloned()),
            VocabularySpec::Map(map) => {
                for (k, words) in map {
                    self.keyed
                        .entry(k.clone())
                        .or_default()
                        .extend(words.iter().cloned());
                }
            }
        }
    }

    /// Words given as a plain list apply under every key of a keyed vocabulary (a
    /// configuration's `consent: requires: [...]` adds to every category).
    fn spread_plain_words(&mut self) {
        if self.keyed.is_empty() {
            return;
        }
        self.keyed.entry("default".into()).or_default();
        for set in self.keyed.values_mut() {
            set.extend(self.words.iter().cloned());
        }
    }

    /// The words for a key, falling back to `default`, then to the plain list.
    pub fn lookup(&self, key: Option<&str>) -> &BTreeSet<String> {
        key.and_then(|k| self.keyed.get(k))
            .or_else(|| self.keyed.get("default"))
            .unwrap_or(&self.words)
    }

    pub fn all_words(&self) -> BTreeSet<String> {
        let mut all = self.words.clone();
        for v in self.keyed.values() {
            all.extend(v.iter().cloned());
        }
        all
    }
}

/// Whether a value names a vocabulary item: a word that is one, or quoted prose that
/// is one or mentions one (`"this Privacy Statement"` is in a list holding `statement`).
pub fn mentions(value: &Value, words: &BTreeSet<String>) -> bool {
    match value {
        Value::Word(w) | Value::Vague(w) => words.contains(&**w),
        Value::Text(text) => {
            let lower = text.to_lowercase();
            words.contains(&lower)
                || lower
                    .split(|c: char| !(c.is_alphanumeric() || c == '-'))
                    .any(|w| !w.is_empty() && words.contains(w))
        }
        _ => false,
    }
}

#[derive(Clone, Debug, Default)]
pub struct Vocabularies {
    pub entries: BTreeMap<String, Vocabulary>,
}

impl Vocabularies {
    pub fn extend(&mut self, name: &str, spec: &VocabularySpec) {
        self.entries
            .entry(name.to_string())
            .or_default()
            .extend(spec);
    }

    /// Called once every policy and configuration has added its words.
    pub fn finish(&mut self) {
        for v in self.entries.values_mut() {
            v.spread_plain_words();
        }
    }

    pub fn get(&self, name: &str) -> Option<&Vocabulary> {
        self.entries.get(name)
    }
}
