//! What the benchmarks share: every way `peerlint` prints a finished check.

use std::path::Path;

use peerlint::check::FileReport;
use peerlint::policy::RuleSet;
use peerlint::report::{self, human::Human};

pub type Renderer<'r> = Box<dyn Fn(&[FileReport]) -> String + 'r>;

/// Each output of `peerlint check` and the reviewer's report, by name.
pub fn renderers<'r>(rules: &'r RuleSet, human: &'r Human) -> Vec<(&'static str, Renderer<'r>)> {
    let root = Path::new(".");
    vec![
        ("human", Box::new(|r| human.render_file(&r[0]))),
        (
            "json",
            Box::new(move |r| report::json::render(r, rules, root)),
        ),
        (
            "sarif",
            Box::new(move |r| report::sarif::render(r, rules, root)),
        ),
        (
            "github",
            Box::new(move |r| report::github::render(r, rules, root)),
        ),
        (
            "junit",
            Box::new(move |r| report::junit::render(r, rules, root)),
        ),
        (
            "review markdown",
            Box::new(move |r| report::review::markdown(&r[0], rules)),
        ),
        (
            "review html",
            Box::new(move |r| report::review::html(&r[0], rules)),
        ),
    ]
}
