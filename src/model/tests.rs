use super::*;
use crate::syntax;

fn model(src: &str) -> Model {
    let parsed = syntax::parse(src);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    lower(&parsed.ast)
}

fn codes(m: &Model) -> Vec<String> {
    m.diagnostics.iter().map(|d| d.name.clone()).collect()
}

#[test]
fn safeguards_in_another_clause_join_the_power() {
    let m = model(
        "role member\nbody board = every member\nclause 1 {\n  board may fine member\n}\nclause 2 {\n  board may fine member { hearing before board }\n}\nclause 3 {\n  regarding clause 1 { notice 14 days }\n}\n",
    );
    let powers = m.of_kind(Kind::Power);
    assert_eq!(powers.len(), 1);
    let p = m.node(powers[0]);
    assert_eq!(p.value("hearing"), Some(&Value::Bool(true)));
    assert_eq!(p.value("notice"), Some(&Value::Days(14.0)));
    assert_eq!(m.also_in(powers[0]).len(), 2);
}

#[test]
fn undefined_names_are_reported_with_a_suggestion() {
    let m = model("role member\nclause 1 {\n  membr may vote\n}\n");
    let d = m
        .diagnostics
        .iter()
        .find(|d| d.name == "undefined-reference")
        .expect("reported");
    assert_eq!(d.help.as_deref(), Some("did you mean `member`?"));
    assert_eq!(
        d.labels.len(),
        2,
        "both the use and the definition are labelled"
    );
}

#[test]
fn duplicate_clause_ids_point_at_both() {
    let m =
        model("role member\nclause 1 {\n  member may vote\n}\nclause 1 {\n  member may leave\n}\n");
    let d = m
        .diagnostics
        .iter()
        .find(|d| d.name == "duplicate-clause-id")
        .expect("reported");
    assert_eq!(d.labels.len(), 2);
}

#[test]
fn whole_membership_covers_every_top_level_role() {
    let m = model(
        "role member\nrole director within member\nbody assembly = every member\nbody board = every director\nclause 1 {\n  assembly may amend charter\n  board may amend budget\n  director may vote in assembly\n}\n",
    );
    let assembly = Actor::Node(m.of_kind(Kind::Body)[0]);
    let board = Actor::Node(m.of_kind(Kind::Body)[1]);
    assert!(m.is_whole_membership(&assembly));
    assert!(!m.is_whole_membership(&board));
}

#[test]
fn a_role_within_itself_is_cut_and_reported() {
    let m = model("role a within b\nrole b within a\nclause 1 {\n  a may vote\n  b may vote\n}\n");
    assert!(codes(&m).iter().any(|c| c == "role-within-itself"));
    assert!(
        !m.is_whole_membership(&Actor::Node(m.of_kind(Kind::Role)[0])) || m.top_roles.len() == 1
    );
}

#[test]
fn misspelt_attributes_get_a_suggestion() {
    let m = model("role member\nbody board = every member\nclause 1 {\n  board may expel member { hearng before board }\n}\n");
    let d = m
        .diagnostics
        .iter()
        .find(|d| d.name == "unknown-attribute")
        .expect("reported");
    assert_eq!(d.help.as_deref(), Some("did you mean `hearing`?"));
}

#[test]
fn an_attribute_in_the_wrong_place_is_reported() {
    let m = model("role member\nclause 1 {\n  member consents to \"photos\" { weight 2 }\n}\n");
    assert!(codes(&m).contains(&"misplaced-attribute".to_string()));
}

#[test]
fn a_malformed_notice_says_how_to_write_it() {
    let m = model("role member\nbody board = every member\nclause 1 {\n  board may fine member { notice 30 dayz }\n}\n");
    let d = m
        .diagnostics
        .iter()
        .find(|d| d.name == "invalid-value")
        .expect("reported");
    assert!(d.help.as_deref().unwrap_or_default().contains("30 days"));
}

#[test]
fn an_action_starting_with_not_is_not_read_as_a_negation() {
    let m = model("role member\nbody board = every member\nclause 1 {\n  member must notify board\n  member may note \"the minutes\"\n}\n");
    let duties = m.of_kind(Kind::Duty);
    assert_eq!(duties.len(), 1);
    assert_eq!(m.node(duties[0]).text("action"), Some("notify"));
    assert_eq!(m.of_kind(Kind::Power).len(), 1);
}

#[test]
fn clauses_named_before_they_are_defined_resolve() {
    let m = model(
        "charter \"x\" { kind bylaws }\nrole member\nbody board = every member\nclause 1 {\n  member is exempt from clause 3 { reason \"x\" }\n  member is exempt from clause 9\n  regarding clause 2 { notice 14 days }\n}\nclause 2 {\n  board may suspend member\n}\nclause 3 {\n  member may vote\n}\n",
    );
    let exemptions = m.of_kind(Kind::Exemption);
    let from = |i: usize| m.node(exemptions[i]).value("from_clause").cloned();
    let clause_3 = m.of_kind(Kind::Clause)[2];
    assert_eq!(from(0), Some(Value::Node(clause_3)));
    let names: Vec<_> = m
        .node(exemptions[0])
        .fields
        .iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(
        names,
        ["holder", "from_clause", "reason"],
        "in the order written"
    );
    assert_eq!(from(1), None, "no clause 9");
    assert_eq!(codes(&m), ["undefined-reference"]);
    let power = m.node(m.of_kind(Kind::Power)[0]);
    assert_eq!(power.value("notice"), Some(&Value::Days(14.0)));
    let targets: Vec<_> = m.references.iter().map(|r| r.span.start).collect();
    assert!(
        targets.windows(2).all(|w| w[0] <= w[1]),
        "in the order of the text"
    );
}

#[test]
fn a_declaration_given_late_is_kept_and_names_only_what_follows() {
    let parsed = syntax::parse(
        "charter \"x\" { kind bylaws }\nclause 1 {\n  member may vote\n}\nrole member\nclause 2 {\n  member may leave\n}\n",
    );
    let mut lowerer = Lowerer::new(std::iter::empty());
    for item in &parsed.ast.items {
        lowerer.item(item);
    }
    let m = lowerer.finish();
    assert_eq!(m.of_kind(Kind::Role).len(), 1, "the role is declared");
    assert_eq!(m.of_kind(Kind::Charter).len(), 1, "and the header");
    let undefined: Vec<_> = m
        .diagnostics
        .iter()
        .filter(|d| d.name == "undefined-reference")
        .map(|d| d.primary_span().start)
        .collect();
    assert_eq!(
        undefined.len(),
        1,
        "only the use before the role: {undefined:?}"
    );
}
