//! `peerlint fmt [--check] [PATHS]`: rewrite charters in the canonical layout.

use similar::TextDiff;

use super::print;
use crate::baseline::write_atomically;
use crate::cli::{FmtArgs, EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNUSABLE};
use crate::format::format;
use crate::input;

pub fn run(args: &FmtArgs) -> u8 {
    let (files, errors) = input::discover(&args.paths);
    let mut out = String::new();
    let mut unusable = errors.len();
    for e in &errors {
        out.push_str(&format!("error: {e}\n"));
    }
    let (mut changed, mut unchanged) = (0usize, 0usize);
    for path in &files {
        let text = match input::read(path) {
            Ok(t) => t,
            Err(e) => {
                out.push_str(&format!("error: {e}\n"));
                unusable += 1;
                continue;
            }
        };
        match format(&text) {
            Err(errors) => {
                unusable += 1;
                out.push_str(&format!(
                    "error: `{}` has {} syntax {}; it was left as it is (`peerlint check {}` shows {})\n",
                    path.display(),
                    errors.len(),
                    if errors.len() == 1 { "error" } else { "errors" },
                    path.display(),
                    if errors.len() == 1 { "it" } else { "them" },
                ));
            }
            Ok(formatted) if formatted == text => unchanged += 1,
            Ok(formatted) => {
                changed += 1;
                if args.check {
                    let name = path.display().to_string();
                    let diff = TextDiff::from_lines(&text, &formatted);
                    out.push_str(
                        &diff
                            .unified_diff()
                            .context_radius(2)
                            .header(&name, &name)
                            .to_string(),
                    );
                } else if let Err(e) = write_atomically(path, formatted.as_bytes()) {
                    out.push_str(&format!("error: cannot write `{}`: {e}\n", path.display()));
                    unusable += 1;
                }
            }
        }
    }
    let verb = if args.check {
        "would be reformatted"
    } else {
        "reformatted"
    };
    out.push_str(&format!(
        "{changed} {} {verb}, {unchanged} already formatted",
        if changed == 1 { "file" } else { "files" }
    ));
    if unusable > 0 {
        out.push_str(&format!("; {unusable} could not be formatted"));
    }
    out.push('\n');
    print(&out);
    if unusable > 0 {
        EXIT_UNUSABLE
    } else if args.check && changed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
