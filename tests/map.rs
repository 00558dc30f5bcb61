//! `peerlint map`'s renderer: who holds power over whom in the bundled examples, the
//! highlights it draws attention to, and drawings no charter text can break out of.

use std::path::Path;

use peerlint::check;
use peerlint::policy::{Builder, RuleSet};
use peerlint::report::map::{self, Highlight, PowerKind, PowerMap, Target};

fn rules() -> RuleSet {
    Builder::with_default_pack()
        .expect("the default pack loads")
        .build()
        .expect("the default pack builds")
}

fn map_of_source(name: &str, text: &str) -> PowerMap {
    let rules = rules();
    let report = check::check_source(Path::new(name), text.to_string(), &rules);
    assert!(report.unusable.is_none(), "{name} must parse");
    let model = report.model.expect("a parsed charter has a model");
    map::power_map(&model, &rules)
}

fn example(name: &str) -> PowerMap {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(format!("{name}.charter"));
    let text = std::fs::read_to_string(&path).expect("the example exists");
    map_of_source(&format!("{name}.charter"), &text)
}

fn without_say(map: &PowerMap, holder: &str) -> bool {
    map.highlights
        .iter()
        .any(|h| matches!(h, Highlight::PowerWithoutSay { holder: x, .. } if x == holder))
}

// ---------------------------------------------------------------------------------
// Snapshots

#[test]
fn gryphon_as_text() {
    insta::assert_snapshot!(map::text(&example("gryphon-bdfl")));
}

#[test]
fn gryphon_as_dot() {
    insta::assert_snapshot!(map::dot(&example("gryphon-bdfl")));
}

#[test]
fn riverbend_as_text() {
    insta::assert_snapshot!(map::text(&example("riverbend-housing")));
}

#[test]
fn riverbend_as_dot() {
    insta::assert_snapshot!(map::dot(&example("riverbend-housing")));
}

#[test]
fn pandas_steering_committee_as_text() {
    insta::assert_snapshot!(map::text(&example("pandas-steering-committee")));
}

#[test]
fn pandas_steering_committee_as_dot() {
    insta::assert_snapshot!(map::dot(&example("pandas-steering-committee")));
}

// ---------------------------------------------------------------------------------
// Highlights

#[test]
fn the_gryphon_bdfl_holds_power_over_peers_who_have_no_say_over_it() {
    let map = example("gryphon-bdfl");
    let Some(Highlight::PowerWithoutSay { over, clauses, .. }) = map
        .highlights
        .iter()
        .find(|h| matches!(h, Highlight::PowerWithoutSay { holder, .. } if holder == "bdfl"))
    else {
        panic!("bdfl is not highlighted: {:#?}", map.highlights);
    };
    assert_eq!(over, &vec![Target::Everyone]);
    for clause in ["participants.2", "evolution"] {
        assert!(
            clauses.iter().any(|c| c == clause),
            "{clause} in {clauses:?}"
        );
    }
    // Its removal of participants is a sanction, drawn in red.
    assert!(map.edges.iter().any(|e| e.holder == "bdfl"
        && e.kind == PowerKind::Sanction
        && e.clause.as_deref() == Some("participants.2")
        && e.highlighted));
    // Naming its own successor is not a power over the others.
    assert!(map
        .edges
        .iter()
        .any(|e| e.holder == "bdfl" && e.kind == PowerKind::Appoint && !e.highlighted));
    // The membership as a whole answers to itself.
    assert!(!without_say(&map, "participant"));
}

#[test]
fn the_riverbend_board_judges_its_own_cause_when_it_fines() {
    let map = example("riverbend-housing");
    let own_cause: Vec<&Highlight> = map
        .highlights
        .iter()
        .filter(|h| matches!(h, Highlight::JudgesOwnCause { .. }))
        .collect();
    assert_eq!(
        own_cause,
        vec![&Highlight::JudgesOwnCause {
            holder: "board".into(),
            action: "fine member".into(),
            stage: "the case and the appeal".into(),
            clause: Some("3.2".into()),
        }],
        "only the fines of clause 3.2: the expulsions of 3.1 are heard by the assembly"
    );
    let judging: Vec<_> = map
        .edges
        .iter()
        .filter(|e| e.holder == "board" && e.kind == PowerKind::Judge && e.highlighted)
        .map(|e| e.clause.as_deref())
        .collect();
    assert_eq!(judging, vec![Some("3.2"), Some("3.2")]);
    // The board is elected and removable by the assembly of every member.
    assert!(!without_say(&map, "board"));
    // The founders' veto answers to no one.
    assert!(without_say(&map, "founder"));
}

#[test]
fn the_elected_pandas_steering_committee_is_not_power_without_say() {
    let map = example("pandas-steering-committee");
    assert!(map.edges.iter().any(|e| e.holder == "steering-committee"));
    assert!(
        !without_say(&map, "steering-committee"),
        "{:#?}",
        map.highlights
    );
    assert!(!map
        .edges
        .iter()
        .any(|e| e.holder == "steering-committee" && e.highlighted));
    // The stewards amend the governance for every contributor.
    assert!(without_say(&map, "stewards"));
}

// ---------------------------------------------------------------------------------
// Drawings that charter text cannot break

const HOSTILE: &str = r#"charter "Escapes <b>&</b> 'quoted'" {
  kind bylaws
}
role member "A member & \"friend\" <script>alert('x')</script> \\ back"
role guest "A visitor"
role warden within member "Keeps \"order\"
over two lines" {
  appointed by warden
}
body assembly = every member

clause 1 "Order" {
  warden may expel member {
    grounds open
  }
}
"#;

#[test]
fn the_svg_escapes_charter_text_and_has_no_script() {
    let map = map_of_source("hostile.charter", HOSTILE);
    assert!(map.edges.iter().any(|e| e.holder == "warden"));
    let svg = map::svg(&map);
    assert!(!svg.to_lowercase().contains("<script"), "{svg}");
    assert!(svg.contains("&lt;script&gt;"), "{svg}");
    assert!(svg.contains("&quot;friend&quot;"), "{svg}");
    assert!(svg.contains("&amp;"), "{svg}");

    let mut reader = quick_xml::Reader::from_str(&svg);
    let mut elements = Vec::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                elements.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
            }
            Ok(_) => {}
            Err(e) => panic!("the SVG is not well-formed XML: {e}\n{svg}"),
        }
    }
    assert_eq!(elements.first().map(String::as_str), Some("svg"));
    assert!(!elements.iter().any(|e| e.eq_ignore_ascii_case("script")));
    assert!(elements.iter().any(|e| e == "line"));
}

#[test]
fn the_dot_escapes_quotes_backslashes_and_line_breaks() {
    let dot = map::dot(&map_of_source("hostile.charter", HOSTILE));
    assert!(
        dot.contains(r#"tooltip="A member & \"friend\" <script>alert('x')</script> \\ back""#),
        "{dot}"
    );
    assert!(
        dot.contains(r#"tooltip="Keeps \"order\"\nover two lines""#),
        "{dot}"
    );
    assert!(
        dot.contains(r#"digraph "Escapes <b>&</b> 'quoted'" {"#),
        "{dot}"
    );
    // No line of the graph is left inside an open string.
    for line in dot.lines() {
        let unescaped_quotes = line
            .replace("\\\\", "")
            .replace("\\\"", "")
            .matches('"')
            .count();
        assert_eq!(unescaped_quotes % 2, 0, "unbalanced quotes in {line}");
    }
}

#[test]
fn a_charter_with_no_roles_has_nothing_to_map() {
    let map = map_of_source(
        "empty.charter",
        "charter \"Empty\" {\n  kind bylaws\n}\nclause 1 \"Purpose\" {\n  text \"We meet.\"\n}\n",
    );
    assert!(map.offices.is_empty());
    assert_eq!(map::text(&map), "no roles or bodies: nothing to map\n");
    let svg = map::svg(&map);
    assert!(svg.contains("nothing to map"));
}

/// The map calls a power a sanction exactly when the policies' `sanction` predicate
/// does: an organisation that widens the adverse actions widens the map with them.
#[test]
fn sanctions_are_what_the_packs_predicate_says() {
    let text = "charter \"C\" { kind bylaws }\nrole member\nrole director within member { elected by assembly }\nbody assembly = every member\nbody board = every director\nclause 1 \"Shunning\" {\n  board may shun member { grounds \"x\" notice 7 days hearing appeal to assembly }\n}\n";
    let sanctions = |rules: &RuleSet| -> Vec<String> {
        let report = check::check_source(Path::new("c.charter"), text.to_string(), rules);
        map::power_map(report.model.as_ref().unwrap(), rules)
            .edges
            .into_iter()
            .filter(|e| e.kind == PowerKind::Sanction)
            .map(|e| e.action)
            .collect()
    };
    assert_eq!(sanctions(&rules()), Vec::<String>::new());
    let mut builder = Builder::with_default_pack().unwrap();
    builder.extend_vocabulary(
        "adverse",
        serde_yaml::from_str("[shun]").unwrap(),
        peerlint::policy::Origin::CommandLine,
    );
    let widened = builder.build().unwrap();
    assert_eq!(sanctions(&widened), ["shun member"]);
}
