//! `peerlint rules` and `peerlint explain`.

use std::path::Path;

use super::{eprint, load_rules, print};
use crate::cli::{ExplainArgs, RulesArgs, RulesFormat, EXIT_CLEAN, EXIT_UNUSABLE};
use crate::report::rules;

pub fn list(args: &RulesArgs) -> u8 {
    let rules_in_force = match load_rules(Path::new("."), &args.policy, false) {
        Ok(r) => r,
        Err(code) => return code,
    };
    print(&match args.format {
        RulesFormat::Table => rules::table(&rules_in_force),
        RulesFormat::Json => rules::json(&rules_in_force),
        RulesFormat::Markdown => rules::markdown(&rules_in_force),
    });
    EXIT_CLEAN
}

pub fn explain(args: &ExplainArgs) -> u8 {
    let rules_in_force = match load_rules(Path::new("."), &args.policy, false) {
        Ok(r) => r,
        Err(code) => return code,
    };
    match rules_in_force.find(&args.rule) {
        Some(rule) => {
            print(&rules::explain(rule));
            EXIT_CLEAN
        }
        None => {
            let hint = rules_in_force
                .suggest(&args.rule)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_else(|| "; `peerlint rules` lists them".into());
            eprint(&format!("error: there is no rule `{}`{hint}\n", args.rule));
            EXIT_UNUSABLE
        }
    }
}
