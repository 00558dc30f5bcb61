//! Suppressions written in the charter: with a reason, approved by someone, expiring;
//! without a reason, expired, unused or naming no rule, each is reported.

mod common;

use common::Test;
use insta::assert_snapshot;

const CHARTER: &str = r#"charter "Riverbend" { kind bylaws }
role member { may leave }
role founder within member { permanent  removable by assembly }
body assembly = every member
# peerlint: allow minority-veto reason "the founders' veto lapses in 2027" approved-by "general assembly, resolution 14" expires 2027-06-30
clause 1.2 "Founders' veto" { founder may veto amendment }
clause 1.3 "Old exception" {
  founder may block "any sale of the building"   # peerlint: allow minority-veto reason "protects the land trust" expires 2020-01-01
}
# peerlint: allow unequal-vote
clause 1.4 "Votes" { founder may vote in assembly { weight 2 }; member may vote in assembly }
# peerlint: allow no-exit reason "kept from an older draft"
clause 1.5 "Leaving" { member may leave }
# peerlint: allow sanction-without-hearng reason "a typo"
clause 1.6 "Disputes" { dispute between member and member { mediation by "a mediator" } }
"#;

fn run(args: &[&str]) -> common::Output {
    Test::new()
        .file("bylaws.charter", CHARTER)
        .env("PEERLINT_TODAY", "2026-11-25")
        .args(args)
        .run()
}

#[test]
fn each_kind_of_suppression_is_handled_and_reported() {
    let out = run(&["check", "bylaws.charter"]);
    // Clause 1.2's veto is hidden; 1.3's exception expired, so its finding stands; 1.4
    // gives no reason, so its finding stands too.
    let codes: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with(['E', 'C', 'D', 'S']))
        .collect();
    assert_eq!(
        codes,
        vec![
            "EQ002(minority-veto)",
            "S019(expired-suppression)",
            "S018(suppression-without-reason)",
            "EQ001(unequal-vote)",
            "S020(unused-suppression)",
            "S021(invalid-suppression)",
        ],
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("founder may veto amendment, although"),
        "{}",
        out.stdout
    );
    assert_snapshot!(out.snapshot());
}

#[test]
fn an_exception_in_force_today_expires_later() {
    let later = Test::new()
        .file("bylaws.charter", CHARTER)
        .env("PEERLINT_TODAY", "2027-07-01")
        .args(["check", "bylaws.charter"])
        .run();
    assert!(
        later
            .stdout
            .contains("founder may veto amendment, although"),
        "{}",
        later.stdout
    );
    assert!(
        later
            .stdout
            .contains("this exception expired on 2027-06-30"),
        "{}",
        later.stdout
    );
}

#[test]
fn waivers_prints_the_register_of_exceptions() {
    let out = run(&["waivers", "bylaws.charter"]);
    assert_eq!(out.code, Some(0));
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_suppression_lowers_the_findings_but_not_the_checks() {
    let with = run(&["check", "bylaws.charter"]);
    let without = Test::new()
        .file(
            "bylaws.charter",
            CHARTER.replace(
                "# peerlint: allow minority-veto reason \"the founders'",
                "# the founders'",
            ),
        )
        .env("PEERLINT_TODAY", "2026-11-25")
        .args(["check", "bylaws.charter"])
        .run();
    let equality = |out: &common::Output| -> u32 {
        let line = out
            .stdout
            .lines()
            .find(|l| l.contains("P2P-correctness"))
            .unwrap_or_default();
        let after = line.split("equality of peers ").nth(1).unwrap_or_default();
        after
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    assert!(
        equality(&with) > equality(&without),
        "{}\n{}",
        with.stdout,
        without.stdout
    );
}
