//! `peerlint config`: the configuration in force and where each part comes from.

use super::{overrides, print};
use crate::cli::{ConfigArgs, EXIT_CLEAN, EXIT_UNUSABLE};
use crate::config;
use crate::report::policy_error;

pub fn run(args: &ConfigArgs) -> u8 {
    let (builder, found) = match config::builder_for(&args.path, &overrides(&args.policy)) {
        Ok(b) => b,
        Err(e) => {
            super::eprint(&policy_error::render(&e, false));
            return EXIT_UNUSABLE;
        }
    };
    let mut out = String::new();
    match &found {
        Some(c) => out.push_str(&format!("configuration: {}\n", c.path.display())),
        None => out.push_str("configuration: none found (defaults only)\n"),
    }
    out.push_str("\npolicies:\n");
    for (name, origin) in builder.policy_origins() {
        out.push_str(&format!("  {name}  (from {origin})\n"));
    }
    out.push_str("\nlevels changed:\n");
    if builder.level_overrides().is_empty() {
        out.push_str("  none\n");
    }
    for o in builder.level_overrides() {
        out.push_str(&format!(
            "  {}: {}  (from {})\n",
            o.rule,
            o.level.as_str(),
            o.source.name
        ));
    }
    out.push_str("\nvocabulary:\n");
    let origins = builder.vocabulary_origins();
    let rules = match builder.build() {
        Ok(r) => r,
        Err(e) => {
            super::eprint(&policy_error::render_policy_error(&e, false));
            return EXIT_UNUSABLE;
        }
    };
    for (name, vocab) in &rules.vocabularies.entries {
        let from: Vec<String> = origins
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, o)| o.to_string())
            .collect();
        let words: Vec<String> = vocab.all_words().into_iter().collect();
        out.push_str(&format!(
            "  {name}: {}  (from {})\n",
            words.join(", "),
            from.join("; ")
        ));
    }
    out.push_str(&format!(
        "\nrules in force: {}\n",
        rules
            .rules
            .iter()
            .filter(|r| r.level.severity().is_some())
            .count()
    ));
    print(&out);
    EXIT_CLEAN
}
