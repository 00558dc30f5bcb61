//! `peerlint map FILE`: who may veto, amend, admit, sanction, judge and change the
//! terms, over whom, and where power escapes the peers.

use super::{load_rules, print};
use crate::check::{self, Unusable};
use crate::cli::{MapArgs, MapFormat, EXIT_CLEAN, EXIT_UNUSABLE};
use crate::report::human::Human;
use crate::report::map;

pub fn run(args: &MapArgs) -> u8 {
    let rules = match load_rules(&args.file, &args.policy, false) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let report = check::check_path(&args.file, &rules);
    if report.unusable.is_some() {
        let mut out = Human::new(false, 100).render_file(&report);
        if matches!(report.unusable, Some(Unusable::Syntax)) {
            out.push_str("the map needs a charter that parses\n");
        }
        print(&out);
        return EXIT_UNUSABLE;
    }
    let Some(model) = report.model.as_ref() else {
        return EXIT_UNUSABLE;
    };
    let power = map::power_map(model, &rules);
    print(&match args.format {
        MapFormat::Text => map::text(&power),
        MapFormat::Dot => map::dot(&power),
        MapFormat::Svg => map::svg(&power),
    });
    EXIT_CLEAN
}
