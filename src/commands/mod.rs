//! One module per command.

pub mod check;
pub mod config;
pub mod diff;
pub mod fmt;
pub mod map;
pub mod review;
pub mod rules;
pub mod test;
pub mod waivers;

use std::io::Write;
use std::path::Path;

use crate::cli::{PolicyArgs, EXIT_UNUSABLE};
use crate::config::{self as cfg, Overrides};
use crate::policy::RuleSet;
use crate::report::policy_error;

/// Writes to standard output; a closed pipe (`peerlint … | head`) is not an error.
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

pub fn eprint(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
}

pub fn overrides(args: &PolicyArgs) -> Overrides {
    Overrides {
        config: args.config.clone(),
        policies: args.policies.clone(),
    }
}

/// The rules in force for files under `start`, or the exit code after reporting why
/// they could not be loaded.
pub fn load_rules(start: &Path, args: &PolicyArgs, color: bool) -> Result<RuleSet, u8> {
    cfg::rules_for(start, &overrides(args)).map_err(|e| {
        eprint(&policy_error::render(&e, color));
        EXIT_UNUSABLE
    })
}
