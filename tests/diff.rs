//! `peerlint diff OLD NEW` through the real binary.

mod common;

use common::Test;
use insta::assert_snapshot;

fn example(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))).expect("readable")
}

#[test]
fn the_move_from_a_dictator_to_an_elected_committee_resolves_the_equality_findings() {
    let out = Test::new()
        .file("bdfl.charter", example("pandas-bdfl.charter"))
        .file(
            "committee.charter",
            example("pandas-steering-committee.charter"),
        )
        .args(["diff", "bdfl.charter", "committee.charter"])
        .run();
    let resolved = out.stdout.split("resolved (").nth(1).unwrap_or_default();
    let resolved = resolved.split("\nunchanged").next().unwrap_or_default();
    for rule in [
        "EQ002 minority-veto",
        "EQ003 unelected-power",
        "EQ006 unilateral-amendment",
    ] {
        assert!(
            resolved.contains(rule),
            "{rule} not resolved:\n{}",
            out.stdout
        );
    }
    assert!(
        out.stdout.contains("equality of peers 14 → 59 (+45)"),
        "{}",
        out.stdout
    );
    assert_snapshot!(out.snapshot());
}

const DRAFT: &str = r#"charter "Riverbend" { kind bylaws }
role member { may leave }
role director within member { elected by assembly for 2 years  removable by assembly }
body assembly = every member
body board = every director
clause 3.1 "Fines" { board may fine member }
clause 3.2 "Expulsion" { board may expel member { grounds "violence" notice 30 days hearing before assembly appeal to assembly } }
clause 6 "Disputes" { dispute between member and member { mediation by "a mediator" } }
"#;

#[test]
fn moving_clauses_changes_nothing_and_mending_one_resolves_its_findings() {
    let moved = DRAFT.replace(
        "clause 3.1 \"Fines\" { board may fine member }\nclause 3.2",
        "clause 1 \"Purpose\" { member may vote in assembly }\nclause 3.2",
    ) + "clause 3.1 \"Fines\" { board may fine member }\n";
    let same = Test::new()
        .file("old.charter", DRAFT)
        .file("new.charter", moved)
        .args(["diff", "old.charter", "new.charter"])
        .run();
    assert_eq!(same.code, Some(0), "{}", same.stdout);
    assert!(same.stdout.contains("introduced (0)"), "{}", same.stdout);
    assert!(same.stdout.contains("resolved (0)"), "{}", same.stdout);

    let mended = DRAFT.replace(
        "board may fine member }",
        "board may fine member { grounds \"unpaid dues\" notice 30 days hearing before assembly appeal to assembly } }",
    );
    let better = Test::new()
        .file("old.charter", DRAFT)
        .file("new.charter", mended)
        .args(["diff", "old.charter", "new.charter"])
        .run();
    assert_eq!(better.code, Some(0), "{}", better.stdout);
    assert!(better.stdout.contains("resolved (4)"), "{}", better.stdout);
}

#[test]
fn a_regression_fails_the_diff() {
    let worse = DRAFT.replace("hearing before assembly appeal to assembly } }", "} }");
    let out = Test::new()
        .file("old.charter", DRAFT)
        .file("new.charter", worse.clone())
        .args(["diff", "old.charter", "new.charter"])
        .run();
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert!(out.stdout.contains("introduced (2)"), "{}", out.stdout);
    let tolerant = Test::new()
        .file("old.charter", DRAFT)
        .file("new.charter", worse)
        .args(["diff", "--fail-on", "never", "old.charter", "new.charter"])
        .run();
    assert_eq!(tolerant.code, Some(0));
}

#[test]
fn unrelated_charters_are_said_to_be_unrelated() {
    let out = Test::new()
        .file("a.charter", example("gryphon-bdfl.charter"))
        .file("b.charter", example("cloud-service-agreement.charter"))
        .args(["diff", "a.charter", "b.charter"])
        .run();
    assert!(out.stdout.contains("they look unrelated"), "{}", out.stdout);
}

#[test]
fn a_draft_that_cannot_be_checked_stops_the_comparison() {
    let out = Test::new()
        .file("old.charter", DRAFT)
        .file("new.charter", "clause {")
        .args(["diff", "old.charter", "new.charter"])
        .run();
    assert_eq!(out.code, Some(2));
    assert!(out.stdout.contains("cannot be compared"), "{}", out.stdout);
}
