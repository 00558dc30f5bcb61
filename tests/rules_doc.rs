//! docs/rules.md is generated from the default pack; it must not drift from it.

use peerlint::policy::Builder;
use peerlint::report::rules::markdown;

#[test]
fn docs_rules_md_is_up_to_date() {
    let rules = Builder::with_default_pack()
        .and_then(Builder::build)
        .expect("the default pack loads");
    let expected = markdown(&rules);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}

#[test]
fn the_default_pack_covers_the_catalog_with_examples() {
    let rules = Builder::with_default_pack()
        .and_then(Builder::build)
        .expect("the default pack loads");
    assert!(rules.rules.len() >= 22, "{} rules", rules.rules.len());
    for r in &rules.rules {
        assert!(
            r.spec.examples.fires.len() >= 2,
            "{} needs two examples that fire",
            r.spec.id
        );
        assert!(
            r.spec.examples.silent.len() >= 2,
            "{} needs two silent examples",
            r.spec.id
        );
    }
    let catalog = [
        "unequal-vote",
        "minority-veto",
        "unelected-power",
        "unremovable-office",
        "exemption-from-rules",
        "unilateral-amendment",
        "unequal-admission",
        "one-sided-terms",
        "consent-without-disclosure",
        "incomplete-disclosure",
        "implied-consent",
        "irrevocable-consent",
        "bundled-consent",
        "unilateral-change-of-terms",
        "no-exit",
        "information-asymmetry",
        "sanction-without-grounds",
        "sanction-without-notice",
        "sanction-without-hearing",
        "sanction-without-appeal",
        "judge-in-own-cause",
        "no-dispute-process",
        "no-neutral",
    ];
    for id in catalog {
        assert!(rules.find(id).is_some(), "the catalog rule {id} is missing");
    }
}
