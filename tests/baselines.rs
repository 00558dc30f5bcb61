//! Baselines through the real binary: findings keyed by clause and content survive
//! edits elsewhere, come back when their clause changes, and bad baselines are refused.

mod common;

use common::Test;
use insta::assert_snapshot;

const BYLAWS: &str = r#"charter "Riverbend" { kind bylaws }
role member { may leave }
role director within member { elected by assembly for 2 years  removable by assembly }
body assembly = every member
body board = every director
clause 3.2 "Fines" {
  board may fine member
}
clause 6 "Disputes" { dispute between member and member { mediation by "a mediator" } }
"#;

fn edited_elsewhere() -> String {
    BYLAWS.replace(
        "clause 3.2 \"Fines\" {",
        "# A new clause and a comment above the baselined one.\nclause 1 \"Purpose\" {\n  text \"The co-op houses its members.\"\n  member may vote in assembly\n}\n\nclause 3.2 \"Fines\" {",
    )
}

#[test]
fn a_baselined_finding_stays_hidden_when_other_clauses_move() {
    let test = Test::new().file("bylaws.charter", BYLAWS);
    let first = test.run_with([
        "check",
        "--write-baseline",
        "baseline.json",
        "bylaws.charter",
    ]);
    assert_eq!(
        first.code,
        Some(1),
        "the findings still fail the run that writes the baseline"
    );
    let baseline = std::fs::read_to_string(test.path().join("baseline.json")).expect("written");
    assert!(
        baseline.contains("\"rule\": \"sanction-without-hearing\""),
        "{baseline}"
    );

    std::fs::write(test.path().join("bylaws.charter"), edited_elsewhere()).expect("edited");
    let again = test.run_with(["check", "--baseline", "baseline.json", "bylaws.charter"]);
    assert_eq!(again.code, Some(0), "{}", again.stdout);
    assert!(
        again
            .stdout
            .contains("4 findings in the baseline not shown"),
        "{}",
        again.stdout
    );
}

#[test]
fn changing_the_clause_itself_brings_its_findings_back() {
    let test = Test::new().file("bylaws.charter", BYLAWS);
    test.run_with([
        "check",
        "--write-baseline",
        "baseline.json",
        "bylaws.charter",
    ]);
    std::fs::write(
        test.path().join("bylaws.charter"),
        BYLAWS.replace(
            "board may fine member",
            "board may fine member { notice 7 days }",
        ),
    )
    .expect("edited");
    let out = test.run_with(["check", "--baseline", "baseline.json", "bylaws.charter"]);
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("board may fine member without a hearing"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_corrupt_baseline_is_refused() {
    let out = Test::new()
        .file("bylaws.charter", BYLAWS)
        .file(
            "baseline.json",
            "{ \"version\": 1, \"tool\": \"peerlint\", \"findings\": [ {\"file\": 3} ] }",
        )
        .args(["check", "--baseline", "baseline.json", "bylaws.charter"])
        .run();
    assert_eq!(out.code, Some(2));
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_baseline_of_another_version_is_refused() {
    let out = Test::new()
        .file("bylaws.charter", BYLAWS)
        .file("baseline.json", "{ \"version\": 7, \"findings\": [] }")
        .args(["check", "--baseline", "baseline.json", "bylaws.charter"])
        .run();
    assert_eq!(out.code, Some(2));
    assert_snapshot!(out.snapshot());
}

#[test]
fn no_baseline_is_written_when_an_input_cannot_be_checked() {
    let test = Test::new()
        .file("bylaws.charter", BYLAWS)
        .file("broken.charter", "clause {")
        .file("baseline.json", "old contents\n");
    let out = test.run_with([
        "check",
        "--write-baseline",
        "baseline.json",
        "bylaws.charter",
        "broken.charter",
    ]);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("was not written"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(test.path().join("baseline.json")).expect("kept"),
        "old contents\n"
    );
}

#[test]
fn every_format_gives_the_same_exit_code() {
    for format in ["human", "json", "sarif", "github", "junit"] {
        let out = Test::new()
            .file("bylaws.charter", BYLAWS)
            .args(["check", "--format", format, "bylaws.charter"])
            .run();
        assert_eq!(out.code, Some(1), "{format}");
        let missing = Test::new()
            .args(["check", "--format", format, "missing.charter"])
            .run();
        assert_eq!(missing.code, Some(2), "{format}");
        assert!(
            missing.stdout.contains("missing.charter"),
            "{format}: {}",
            missing.stdout
        );
    }
    let sarif = Test::new()
        .file("bylaws.charter", BYLAWS)
        .args(["check", "--format", "sarif", "bylaws.charter"])
        .run();
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
}
