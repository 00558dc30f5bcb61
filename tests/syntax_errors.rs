//! The report a charter's author reads for each kind of syntax error and reference
//! error: what is wrong, where, and how to mend it.

mod common;

use common::{Output, Test};
use insta::assert_snapshot;

/// Checks one charter, written indented, and returns what the binary printed.
fn check(text: &str) -> Output {
    Test::new()
        .charter("bylaws.charter", text)
        .args(["check", "--color", "never", "bylaws.charter"])
        .run()
}

/// Exit code for a charter that cannot be parsed.
const UNPARSABLE: Option<i32> = Some(2);
/// Exit code for a charter that parses but has an error-level finding.
const FAILING: Option<i32> = Some(1);

#[test]
fn a_missing_name_after_within() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member
        role director within
        body assembly = every member
        clause 1 "Voting" {
          member may vote in assembly
          director may vote in assembly
        }
        "#,
    );
    assert_eq!(out.code, UNPARSABLE);
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_misspelt_modality_suggests_the_keyword() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member
        body assembly = every member
        clause 1.1 "One member, one vote" {
          member mayy vote in assembly { weight 1 }
        }
        "#,
    );
    assert_eq!(out.code, UNPARSABLE);
    assert!(out.stdout.contains("did you mean `may`?"));
    assert_snapshot!(out.snapshot());
}

#[test]
fn an_unclosed_clause_does_not_hide_the_next_one() {
    // Clause 1 lacks its `}`; clause 2 is still read, and its own error reported.
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member
        body assembly = every member
        clause 1 "Voting" {
          member may vote in assembly
        clause 2 "Leaving" {
          membr may leave
        }
        "#,
    );
    assert_eq!(out.code, UNPARSABLE);
    assert!(out.stdout.contains("bylaws.charter:6:1"));
    assert!(out.stdout.contains("`membr` is not a defined role or body"));
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_clause_unclosed_at_the_end_of_the_file() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member
        body assembly = every member
        clause 1 "Voting" {
          member may vote in assembly
        "#,
    );
    assert_eq!(out.code, UNPARSABLE);
    assert_snapshot!(out.snapshot());
}

#[test]
fn an_unclosed_text() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member
        body assembly = every member
        clause 1 "Voting" {
          text "Each member has one vote.
          member may vote in assembly
        }
        clause 2 "Leaving" {
          member may leave
        }
        "#,
    );
    assert_eq!(out.code, UNPARSABLE);
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_malformed_attribute_says_how_to_write_it() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member
        role director within member
        body board = every director
        clause 3.2 "Fines" {
          board may fine member { notice 30 dayz }
        }
        "#,
    );
    assert_eq!(out.code, FAILING);
    assert!(out.stdout.contains("`30 days`"));
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_malformed_attribute_does_not_hide_the_next_on_its_line() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member
        role director within member
        body assembly = every member
        body board = every director
        clause 3.1 "Expulsion" {
          board may expel member { notice 30 dayz  hearng before assembly }
        }
        "#,
    );
    assert!(
        out.stdout.contains("`notice` is not written"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("unknown attribute `hearng`"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_unknown_attribute_suggests_the_nearest() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member
        role director within member
        body assembly = every member
        body board = every director
        clause 3.1 "Expulsion" {
          board may expel member { grounds "conduct that endangers residents"  hearng before assembly }
        }
        "#,
    );
    assert_eq!(out.code, FAILING);
    assert!(out.stdout.contains("did you mean `hearing`?"));
    assert_snapshot!(out.snapshot());
}

#[test]
fn an_attribute_that_does_not_apply_lists_those_that_do() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member
        clause 2.1 "Photos" {
          member consents to "publication of photos" { form written  weight 2 }
        }
        "#,
    );
    assert_eq!(out.code, FAILING);
    assert_snapshot!(out.snapshot());
}

#[test]
fn an_unknown_charter_kind_suggests_the_nearest() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylawz  version "2.1" }
        role member
        body assembly = every member
        clause 1 "Voting" {
          member may vote in assembly
        }
        "#,
    );
    assert_eq!(out.code, FAILING);
    assert!(out.stdout.contains("did you mean `bylaws`?"));
    assert_snapshot!(out.snapshot());
}

#[test]
fn an_undefined_role_points_at_the_use_and_the_nearest_definition() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member
        body assembly = every member
        clause 1 "Voting" {
          membr may vote in assembly
        }
        "#,
    );
    assert_eq!(out.code, FAILING);
    assert!(out.stdout.contains("used here"));
    assert!(out.stdout.contains("`member` is defined here"));
    assert_snapshot!(out.snapshot());
}

#[test]
fn an_undefined_role_with_nothing_near_says_how_to_define_it() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member
        body assembly = every member
        clause 1 "Accounts" {
          member may vote in assembly
          treasurer must publish "the annual accounts"
        }
        "#,
    );
    assert_eq!(out.code, FAILING);
    assert_snapshot!(out.snapshot());
}

#[test]
fn an_undefined_clause_in_regarding() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member
        role director within member
        body assembly = every member
        body board = every director
        clause 3.2 "Fines" {
          board may fine member
        }
        clause 4 "Safeguards" {
          regarding clause 3.3 { hearing before assembly }
          regarding clause 9 { appeal to assembly }
        }
        "#,
    );
    assert_eq!(out.code, FAILING);
    assert!(out.stdout.contains("there is no clause `3.3`"));
    assert!(out.stdout.contains("did you mean clause `3.2`?"));
    assert!(out.stdout.contains("there is no clause `9`"));
    assert_snapshot!(out.snapshot());
}

#[test]
fn the_suggestion_between_equally_near_candidates_is_stable() {
    let text = r#"
        charter "Riverbend" { kind bylaws }
        role member
        role membe
        body assembly = every member, membe
        clause 3.2 "Fines" {
          assembly may fine member
        }
        clause 3.4 "Suspension" {
          assembly may suspend member
        }
        clause 4 "Safeguards" {
          regarding clause 3.3 { hearing before assembly }
          membr may vote in assembly
        }
        "#;
    let mut outputs: Vec<String> = (0..16).map(|_| check(text).stdout).collect();
    outputs.sort();
    outputs.dedup();
    assert_eq!(outputs.len(), 1, "{outputs:#?}");
}

#[test]
fn regarding_a_clause_that_grants_no_power() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member
        body assembly = every member
        clause 1 "Purpose" {
          text "The cooperative provides housing to its members."
        }
        clause 2 "Safeguards" {
          regarding clause 1 { hearing before assembly }
        }
        "#,
    );
    assert_eq!(out.code, FAILING);
    assert_snapshot!(out.snapshot());
}

#[test]
fn regarding_a_clause_that_restates_a_power() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member
        body board = every member
        clause 1 "Fines" {
          board may fine member
        }
        clause 2 "Fines, again" {
          board may fine member { notice 14 days }
        }
        clause 3 "Safeguards" {
          regarding clause 2 { hearing before board }
        }
        "#,
    );
    // Clause 2 restates clause 1's power, so `regarding clause 2` adds to it: the power
    // has its notice and its hearing, and nothing says clause 2 grants no power.
    assert!(!out.stdout.contains("grants no power"), "{}", out.stdout);
    assert!(!out.stdout.contains("DP002"), "{}", out.stdout);
    assert!(!out.stdout.contains("DP003"), "{}", out.stdout);
}

#[test]
fn a_duplicate_clause_id_points_at_both() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member
        body assembly = every member
        clause 4 "Voting" {
          member may vote in assembly
        }
        clause 4 "Leaving" {
          member may leave
        }
        "#,
    );
    assert_eq!(out.code, FAILING);
    assert!(out.stdout.contains("first clause with this number"));
    assert!(out.stdout.contains("second clause with this number"));
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_role_defined_twice_points_at_both() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member "A resident holding one share"
        body assembly = every member
        role member "A resident of the building"
        clause 1 "Voting" {
          member may vote in assembly
        }
        "#,
    );
    assert_eq!(out.code, FAILING);
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_role_within_itself() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member within member
        body assembly = every member
        clause 1 "Voting" {
          member may vote in assembly
        }
        "#,
    );
    assert_eq!(out.code, FAILING);
    assert_snapshot!(out.snapshot());
}

#[test]
fn roles_within_each_other() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member within director
        role director within member
        body assembly = every member
        clause 1 "Voting" {
          member may vote in assembly
          director may vote in assembly
        }
        "#,
    );
    assert_eq!(out.code, FAILING);
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_role_within_a_body() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member
        body board = every member
        role director within board
        clause 1 "Voting" {
          director may vote in board
        }
        "#,
    );
    assert_eq!(out.code, FAILING);
    assert!(out.stdout.contains("`board`"), "{}", out.stdout);
}

#[test]
fn something_other_than_a_step_after_then() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member
        clause 4 "Disputes" {
          dispute between member and member {
            mediation by "a mediator both sides accept"
            then "arbitration" by "an external arbiter"
          }
        }
        "#,
    );
    assert_eq!(out.code, UNPARSABLE);
    assert_snapshot!(out.snapshot());
}

#[test]
fn nothing_after_then() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member
        clause 4 "Disputes" {
          dispute between member and member {
            mediation by "a mediator both sides accept"
            then
          }
        }
        "#,
    );
    assert_eq!(out.code, UNPARSABLE);
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_misspelt_step_after_then() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        role member
        clause 4 "Disputes" {
          dispute between member and member {
            mediation by "a mediator both sides accept"
            then arbitraton by "an external arbiter"
          }
        }
        "#,
    );
    assert!(out.stdout.contains("arbitraton"), "{}", out.stdout);
    assert!(out.stdout.contains("`arbitration`"), "{}", out.stdout);
}

#[test]
fn misspelt_top_level_keywords_suggest_the_keyword() {
    let out = check(
        r#"
        charter "Riverbend" { kind bylaws }
        rol member
        body assembly = every member
        clase 1 "Voting" {
          member may vote in assembly
        }
        "#,
    );
    assert_eq!(out.code, UNPARSABLE);
    assert!(out.stdout.contains("did you mean `role`?"));
    assert!(out.stdout.contains("did you mean `clause`?"));
    assert_snapshot!(out.snapshot());
}

#[test]
fn every_broken_clause_is_reported() {
    let out = check(
        r#"
        charter "Riverbend Housing Cooperative" { kind bylaws  version "2.1" }
        role member "A resident holding one share"
        role director within member { elected by assembly for 2 years }
        body assembly = every member
        body board = every director

        clause 1.1 "One member, one vote" {
          member mayy vote in assembly { weight 1 }
        }
        clause 2.1 "Photos" {
          member consents "publication of photos" { form implied }
        }
        clause 2.2 "Contact data" {
          member consents to "sharing contact data" { disclose purpose, recipients }
        }
        clause 3.1 "Expulsion" {
          board may expel member { notice 30 dayz  hearng before assembly }
        }
        clause 3.2 "Fines" {
          bord may fine member
        }
        clause 4 "Disputes" {
          dispute between member {
            mediation by "a mediator both sides accept"
          }
        }
        clause 5 "Amendments" {
          decision amendment { by assembly  threshold 2/3  quorum 50%  notice 21 days }
        }
        clause 5 "Dissolution" {
          decision dissolution { by assembly  threshold unanimity }
        }
        "#,
    );
    assert_eq!(out.code, UNPARSABLE);
    for expected in [
        "bylaws.charter:8:10",  // mayy
        "bylaws.charter:11:19", // consents without `to`
        "bylaws.charter:17:28", // notice 30 dayz
        "bylaws.charter:20:3",  // bord
        "bylaws.charter:23:26", // dispute between one party
        "bylaws.charter:30:8",  // clause 5 again
    ] {
        assert!(out.stdout.contains(expected), "{expected} is reported");
    }
    assert_snapshot!(out.snapshot());
}
