//! The policy engine through the real binary: the default pack's own examples, a new
//! rule added with no Rust change, configuration, and every way a policy can be broken.

mod common;

use common::Test;
use insta::assert_snapshot;

const POLICIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/policies");

#[test]
fn the_default_pack_passes_its_own_examples() {
    let out = Test::new().args(["test", POLICIES]).run();
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    assert!(out.stdout.contains(" 0 failed"), "{}", out.stdout);
    assert!(!out.stdout.contains("FAIL"), "{}", out.stdout);
}

/// The rule a co-op might add: a sanction's appeal must go to someone other than the
/// body that sanctioned. It is written in YAML only.
const APPEAL_ELSEWHERE: &str = r#"
policy: co-op-appeals
description: Our co-op's own rule.
rules:
  - id: appeal-to-the-same-body
    code: COOP1
    principle: due-process
    level: error
    summary: a sanction can only be appealed to the body that imposed it
    explanation: |
      Every sanction must allow an appeal to a body other than the one that sanctioned.
    match: power
    where: action in adverse and target
    when: not appeal.body or appeal.body == holder
    message: "{holder} may {action} {target}, but the appeal does not go to another body"
    also: [appeal.body]
    examples:
      fires:
        - |
          role member
          body board = every member
          clause 1 { board may fine member { appeal to board } }
        - |
          role member
          body board = every member
          clause 1 { board may suspend member }
      silent:
        - |
          role member
          body board = every member
          body assembly = every member
          clause 1 { board may fine member { appeal to assembly } }
        - |
          role member
          body board = every member
          clause 1 { board may praise member }
"#;

const TWO_FINES: &str = r#"
charter "Riverbend" { kind bylaws }
role member { may leave }
role director within member { elected by assembly for 2 years  removable by assembly }
body assembly = every member
body board = every director
clause 3.1 "Fines" {
  board may fine member { grounds "unpaid dues" notice 30 days hearing before assembly appeal to board }
}
clause 3.2 "Suspension" {
  board may suspend member { grounds "violence" notice 7 days hearing before assembly appeal to assembly }
}
clause 6 "Disputes" { dispute between member and member { mediation by "an outside mediator" } }
"#;

#[test]
fn a_new_policy_fires_with_no_rust_change() {
    let test = Test::new()
        .file("rules/appeals.yaml", APPEAL_ELSEWHERE)
        .file("bylaws.charter", TWO_FINES);
    let out = test
        .args(["check", "--policy", "rules/appeals.yaml", "bylaws.charter"])
        .run();
    assert_eq!(out.code, Some(1));
    let hits: Vec<&str> = out.stdout.lines().filter(|l| l.contains("COOP1")).collect();
    assert_eq!(
        hits.len(),
        1,
        "only clause 3.1 appeals to the same body:\n{}",
        out.stdout
    );
    assert!(out
        .stdout
        .contains("board may fine member, but the appeal does not go to another body"));
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_new_policy_passes_its_own_examples() {
    let out = Test::new()
        .file("appeals.yaml", APPEAL_ELSEWHERE)
        .args(["test", "appeals.yaml"])
        .run();
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_policy_example_that_misbehaves_fails_the_test() {
    let broken = APPEAL_ELSEWHERE.replace(
        "when: not appeal.body or appeal.body == holder",
        "when: appeal.body == holder",
    );
    let out = Test::new()
        .file("appeals.yaml", broken)
        .args(["test", "appeals.yaml"])
        .run();
    assert_eq!(out.code, Some(1));
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_fix_is_proved_on_the_examples_that_fire() {
    let with_fix = |attribute: &str| {
        APPEAL_ELSEWHERE.replace(
            "    also: [appeal.body]",
            &format!("    also: [appeal.body]\n    fix:\n      title: Appeal elsewhere\n      attribute: \"{attribute}\""),
        )
    };
    // Both examples that fire are mended: the appeal goes to the whole membership.
    let mended = with_fix("appeal to \\\"the general meeting\\\"");
    let out = Test::new()
        .file("appeals.yaml", mended)
        .args(["test", "appeals.yaml"])
        .run();
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    // `appeal to board` leaves the finding; `hearing before` leaves no valid charter.
    for attribute in ["appeal to board", "hearing before"] {
        let out = Test::new()
            .file("appeals.yaml", with_fix(attribute))
            .args(["test", "appeals.yaml"])
            .run();
        assert_eq!(out.code, Some(1), "{}", out.stdout);
        assert_snapshot!(attribute.replace(' ', "-"), out.snapshot());
    }
}

#[test]
fn configuration_switches_rules_off_and_relevels_them() {
    let charter = "charter \"C\" { kind bylaws }\nrole member { may leave }\nbody board = every member\nclause 1 \"Fines\" {\n  board may fine member { grounds \"dues\" notice 14 days hearing before board appeal none }\n}\nclause 2 \"Disputes\" { dispute between member and member { mediation by \"a mediator\" } }\n";
    let plain = Test::new()
        .file("c.charter", charter)
        .args(["check", "c.charter"])
        .run();
    assert!(plain.stdout.contains("DP004"));
    assert!(plain.stdout.contains("DP005"));
    let configured = Test::new()
        .file("c.charter", charter)
        .file(
            "peerlint.yaml",
            "rules:\n  sanction-without-appeal: off\n  DP005: warning\n",
        )
        .args(["check", "c.charter"])
        .run();
    assert!(
        !configured.stdout.contains("DP004"),
        "{}",
        configured.stdout
    );
    assert!(
        configured
            .stdout
            .contains("⚠ board may fine member and also judges the case"),
        "{}",
        configured.stdout
    );
    assert_eq!(
        configured.code,
        Some(0),
        "a warning does not fail by default"
    );
}

#[test]
fn configuration_extends_vocabulary_and_required_disclosures() {
    let charter = "charter \"C\" { kind bylaws }\nrole member { may leave }\nbody board = every member\nclause 1 \"Eviction\" {\n  board may evict-from-garden member\n}\nclause 2 \"Photos\" {\n  member consents to \"photos\" { disclose purpose, recipients, retention  form written }\n}\nclause 3 { dispute between member and member { mediation by \"a mediator\" } }\n";
    let out = Test::new()
        .file("c.charter", charter)
        .file(
            "peerlint.yaml",
            "vocabulary:\n  adverse: [evict-from-garden]\nconsent:\n  requires: [purpose, recipients, retention, risks]\n",
        )
        .args(["check", "c.charter"])
        .run();
    assert!(
        out.stdout
            .contains("board may evict-from-garden member without a hearing"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("does not disclose risks"),
        "{}",
        out.stdout
    );
}

#[test]
fn peerlint_config_names_where_each_part_comes_from() {
    let out = Test::new()
        .file("extra.yaml", APPEAL_ELSEWHERE)
        .file(
            "peerlint.yaml",
            "policies: [extra.yaml]\nrules:\n  DP005: warning\nvocabulary:\n  adverse: [evict]\n",
        )
        .args(["config"])
        .run();
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_snapshot!(out.snapshot());
}

#[test]
fn rules_lists_the_pack_and_explain_prints_one() {
    let rules = Test::new().args(["rules"]).run();
    assert_eq!(rules.code, Some(0));
    assert_snapshot!("rules_table", rules.stdout);
    let explain = Test::new().args(["explain", "DP003"]).run();
    assert_eq!(explain.code, Some(0));
    assert_snapshot!("explain_dp003", explain.stdout);
    let unknown = Test::new()
        .args(["explain", "sanction-without-hearng"])
        .run();
    assert_eq!(unknown.code, Some(2));
    assert!(
        unknown
            .stderr
            .contains("did you mean `sanction-without-hearing`?"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn rules_as_json_lists_every_rule() {
    let out = Test::new().args(["rules", "--format", "json"]).run();
    let rules: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    let list = rules.as_array().expect("a list");
    assert!(list.len() >= 22);
    assert!(list
        .iter()
        .all(|r| r["id"].is_string() && r["code"].is_string() && r["principle"].is_string()));
}

/// One broken policy or configuration per case, each with the message it must give.
fn broken(name: &str, file: &str, contents: &str, args: &[&str]) -> common::Output {
    let out = Test::new().file(file, contents).args(args).run();
    assert_eq!(out.code, Some(2), "{name}: {}{}", out.stdout, out.stderr);
    out
}

fn rule_with(key_line: &str) -> String {
    APPEAL_ELSEWHERE.replace(
        "    when: not appeal.body or appeal.body == holder",
        key_line,
    )
}

#[test]
fn malformed_yaml_points_at_the_place() {
    let out = broken(
        "yaml",
        "p.yaml",
        "policy: x\nrules:\n  - id: [unclosed\n",
        &["test", "p.yaml"],
    );
    assert_snapshot!(out.snapshot());
}

#[test]
fn an_unknown_field_is_rejected() {
    let out = broken(
        "field",
        "p.yaml",
        &APPEAL_ELSEWHERE.replace("    summary:", "    sumary: x\n    summary:"),
        &["test", "p.yaml"],
    );
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_condition_that_does_not_parse_points_into_it() {
    let out = broken(
        "parse",
        "p.yaml",
        &rule_with("    when: not appeal.body or or holder"),
        &["test", "p.yaml"],
    );
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_condition_naming_an_unknown_field_suggests_one() {
    let out = broken(
        "unknown field",
        "p.yaml",
        &rule_with("    when: not apeal.body"),
        &["test", "p.yaml"],
    );
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_condition_naming_an_unknown_vocabulary_is_rejected() {
    let out = broken(
        "vocabulary",
        "p.yaml",
        &APPEAL_ELSEWHERE.replace(
            "where: action in adverse and target",
            "where: action in adversities and target",
        ),
        &["test", "p.yaml"],
    );
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_template_with_an_unknown_placeholder_is_rejected() {
    let out = broken(
        "placeholder",
        "p.yaml",
        &APPEAL_ELSEWHERE.replace("\"{holder} may {action}", "\"{holdr} may {action}"),
        &["test", "p.yaml"],
    );
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_policy_that_includes_itself_is_rejected() {
    let out = broken(
        "include",
        "p.yaml",
        &APPEAL_ELSEWHERE.replace(
            "policy: co-op-appeals",
            "policy: co-op-appeals\ninclude: [p.yaml]",
        ),
        &["check", "--policy", "p.yaml", "."],
    );
    assert_snapshot!(out.snapshot());
}

#[test]
fn an_include_outside_the_project_is_refused() {
    let out = Test::new()
        .file(
            "project/p.yaml",
            APPEAL_ELSEWHERE.replace(
                "policy: co-op-appeals",
                "policy: co-op-appeals\ninclude: [../outside.yaml]",
            ),
        )
        .file("outside.yaml", "policy: outside\n")
        .file("project/peerlint.yaml", "policies: [p.yaml]\n")
        .file(
            "project/c.charter",
            "role member\nclause 1 { member may vote }\n",
        )
        .args(["check", "project/c.charter"])
        .run();
    assert_eq!(out.code, Some(2), "{}", out.stdout);
    assert!(
        out.stderr.contains("outside the project directory"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_yaml_alias_bomb_is_stopped() {
    let mut bomb =
        String::from("policy: bomb\nvocabulary:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] {
        bomb.push_str(&format!("  {name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        prev = name;
    }
    let out = broken("bomb", "p.yaml", &bomb, &["test", "p.yaml"]);
    assert_snapshot!(out.snapshot());
}

#[test]
fn an_unknown_rule_in_configuration_is_rejected_with_its_place() {
    let out = Test::new()
        .file("peerlint.yaml", "rules:\n  sanction-without-hearng: off\n")
        .file("c.charter", "role member\nclause 1 { member may vote }\n")
        .args(["check", "c.charter"])
        .run();
    assert_eq!(out.code, Some(2));
    assert_snapshot!(out.snapshot());
}

#[test]
fn an_unknown_key_in_configuration_is_rejected() {
    let out = Test::new()
        .file("peerlint.yaml", "rule:\n  DP001: off\n")
        .file("c.charter", "role member\nclause 1 { member may vote }\n")
        .args(["check", "c.charter"])
        .run();
    assert_eq!(out.code, Some(2));
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_duplicate_rule_id_names_both_policies() {
    let out = broken(
        "duplicate",
        "p.yaml",
        &APPEAL_ELSEWHERE.replace(
            "id: appeal-to-the-same-body",
            "id: sanction-without-hearing",
        ),
        &["check", "--policy", "p.yaml", "."],
    );
    assert_snapshot!(out.snapshot());
}
