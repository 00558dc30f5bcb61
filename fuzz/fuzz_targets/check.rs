//! Any bytes through the whole check: decode, parse, lower, every rule, suppressions,
//! and the human, JSON and SARIF renderings. It must never panic or hang.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use peerlint::policy::{Builder, RuleSet};

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        Builder::with_default_pack()
            .and_then(Builder::build)
            .expect("the default pack loads")
    })
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.charter");
    let Ok(text) = peerlint::input::decode(path, data.to_vec()) else {
        return;
    };
    let report = peerlint::check::check_source(path, text, rules());
    let reports = [report];
    let _ = peerlint::report::human::Human::new(false, 100).render_file(&reports[0]);
    let _ = peerlint::report::json::render(&reports, rules(), Path::new("."));
    let _ = peerlint::report::sarif::render(&reports, rules(), Path::new("."));
});
