//! `peerlint review FILE`: the reviewer's report of one draft.

use super::{eprint, load_rules, print};
use crate::baseline::write_atomically;
use crate::check::{self, Unusable};
use crate::cli::{ReviewArgs, ReviewFormat, EXIT_CLEAN, EXIT_UNUSABLE};
use crate::report::review;

pub fn run(args: &ReviewArgs) -> u8 {
    let rules = match load_rules(&args.file, &args.policy, false) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let report = check::check_path(&args.file, &rules);
    if let Some(Unusable::Input(e)) = &report.unusable {
        eprint(&format!("error: {e}\n"));
        return EXIT_UNUSABLE;
    }
    let text = match args.format {
        ReviewFormat::Markdown => review::markdown(&report, &rules),
        ReviewFormat::Html => review::html(&report, &rules),
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = write_atomically(path, text.as_bytes()) {
                eprint(&format!("error: cannot write `{}`: {e}\n", path.display()));
                return EXIT_UNUSABLE;
            }
        }
        None => print(&text),
    }
    // A draft with syntax errors is reviewed as far as it can be read, and the exit
    // code says that it could not be checked in full.
    if report.unusable.is_some() {
        EXIT_UNUSABLE
    } else {
        EXIT_CLEAN
    }
}
