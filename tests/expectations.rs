//! `peerlint test --expect`: annotations in charters say which rules must and must not
//! fire where; the command reports misses and false alarms with recall and precision.

mod common;

use common::Test;
use insta::assert_snapshot;

const ANNOTATED: &str = r#"charter "Riverbend" { kind bylaws }   # expect: no-dispute-process
role member { may leave }
body board = every member
# expect: sanction-without-hearing, sanction-without-grounds
clause 1 "Fines" {
  board may fine member { notice 14 days appeal to board }   # expect: judge-in-own-cause
  # expect-not: sanction-without-notice
  board may suspend member { notice 7 days grounds "unpaid dues" hearing before board appeal none }
}
# expect: unequal-vote
clause 2 "Votes" { member may vote }
"#;

#[test]
fn misses_and_false_alarms_are_listed_with_their_places() {
    let out = Test::new()
        .file("bylaws.charter", ANNOTATED)
        .args(["test", "--expect", "bylaws.charter"])
        .run();
    assert_eq!(out.code, Some(1));
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_charter_whose_annotations_all_hold_passes() {
    let text = ANNOTATED
        .replace("# expect: unequal-vote\n", "# expect-not: unequal-vote\n")
        .replace("# expect: judge-in-own-cause", "# expect: judge-in-own-cause, sanction-without-appeal")
        .replace(
            "  # expect-not: sanction-without-notice\n",
            "  # expect: sanction-without-appeal, judge-in-own-cause\n  # expect-not: sanction-without-notice\n",
        );
    let out = Test::new()
        .file("bylaws.charter", text)
        .args(["test", "--expect", "bylaws.charter"])
        .run();
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    assert!(out.stdout.contains("recall 1.000"), "{}", out.stdout);
    assert!(out.stdout.contains("precision 1.000"), "{}", out.stdout);
}

#[test]
fn an_annotation_naming_no_rule_or_nothing_is_an_error_with_its_place() {
    let text = format!("{ANNOTATED}# expect: sanction-without-hearng\nclause 3 {{ member may leave }}\n# expect: no-exit\n");
    let out = Test::new()
        .file("bylaws.charter", text)
        .args(["test", "--expect", "bylaws.charter"])
        .run();
    assert_eq!(out.code, Some(2));
    assert!(
        out.stdout
            .contains("bylaws.charter:12:1: error: there is no rule `sanction-without-hearng`"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("bylaws.charter:14:1: error: this annotation is not followed by anything"),
        "{}",
        out.stdout
    );
}
