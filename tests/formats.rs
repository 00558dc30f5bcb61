//! The machine-readable reports: JSON, SARIF, workflow commands and JUnit XML, each
//! pinned in a snapshot (read before it was accepted) and checked for what its readers
//! rely on: SARIF against the standard's schema, fingerprints that survive edits
//! elsewhere, and charter text that stays data in every format.

use std::path::{Path, PathBuf};

use peerlint::check::{self, FileReport};
use peerlint::policy::{Builder, RuleSet};
use peerlint::report::{github, human::Human, json, junit, sarif};
use serde_json::Value;

fn rules() -> RuleSet {
    Builder::with_default_pack()
        .and_then(Builder::build)
        .expect("the default pack loads")
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// An example charter, checked under its full path so that every format has to make it
/// relative to the root.
fn example(name: &str, rules: &RuleSet) -> FileReport {
    let path = root().join("examples").join(name);
    let text = std::fs::read_to_string(&path).expect("the example is readable");
    check::check_source(&path, text, rules)
}

fn charter(name: &str, text: &str, rules: &RuleSet) -> FileReport {
    check::check_source(&root().join(name), text.to_string(), rules)
}

/// Two examples: a short one, and one whose findings have secondary places.
fn examples(rules: &RuleSet) -> Vec<FileReport> {
    vec![
        example("gryphon-bdfl.charter", rules),
        example("riverbend-housing.charter", rules),
    ]
}

/// A charter that does not parse, and a file that does not exist.
fn unusable(rules: &RuleSet) -> Vec<FileReport> {
    vec![
        charter(
            "drafts/broken.charter",
            "charter \"Broken\" {\n  kind bylaws\n}\nrole member\nclause 1 {\n  member may\n}\n",
            rules,
        ),
        check::check_path(Path::new("drafts/missing.charter"), rules),
    ]
}

/// Text that means something to every format: markup, quotes, an ampersand, terminal
/// escapes, a percent sign, a line break inside quoted text, and a workflow command.
const HOSTILE: &str = "charter \"Escapes <script>alert(1)</script>\" {
  kind bylaws
}
role member \"A member & \\\"friend\\\"\"
role leader within member
body assembly = every member

clause 1 \"Data :: 100% <b>\\\"bold\\\"</b>\" {
  member consents to \"sharing \u{1b}[31mred\u{1b}[0m data & <script>alert(\\\"x\\\")</script> at 100%
::error file=x::pwned, then more\" { form implied }
  leader may remove member
}
";

// ---------------------------------------------------------------------------------
// Snapshots

#[test]
fn json_of_two_examples() {
    let rules = rules();
    insta::assert_snapshot!(json::render(&examples(&rules), &rules, root()));
}

#[test]
fn sarif_of_two_examples() {
    let rules = rules();
    insta::assert_snapshot!(sarif::render(&examples(&rules), &rules, root()));
}

#[test]
fn github_commands_of_two_examples() {
    let rules = rules();
    insta::assert_snapshot!(github::render(&examples(&rules), &rules, root()));
}

#[test]
fn junit_of_two_examples() {
    let rules = rules();
    insta::assert_snapshot!(junit::render(&examples(&rules), &rules, root()));
}

#[test]
fn json_of_files_that_could_not_be_checked() {
    let rules = rules();
    insta::assert_snapshot!(json::render(&unusable(&rules), &rules, root()));
}

#[test]
fn sarif_of_files_that_could_not_be_checked() {
    let rules = rules();
    let out = sarif::render(&unusable(&rules), &rules, root());
    // The rules' descriptions are pinned by the examples' snapshot; here, the rest.
    let mut log: Value = serde_json::from_str(&out).expect("SARIF is JSON");
    log["runs"][0]["tool"]["driver"]["rules"]
        .as_array_mut()
        .expect("a list of rules")
        .retain(|r| r["properties"]["tags"][0] == "structure");
    insta::assert_snapshot!(serde_json::to_string_pretty(&log).expect("JSON"));
}

#[test]
fn github_commands_of_files_that_could_not_be_checked() {
    let rules = rules();
    insta::assert_snapshot!(github::render(&unusable(&rules), &rules, root()));
}

#[test]
fn junit_of_files_that_could_not_be_checked() {
    let rules = rules();
    insta::assert_snapshot!(junit::render(&unusable(&rules), &rules, root()));
}

// ---------------------------------------------------------------------------------
// JSON

#[test]
fn json_places_match_the_terminal_report() {
    let rules = rules();
    let report = example("riverbend-housing.charter", &rules);
    let out: Value =
        serde_json::from_str(&json::render(std::slice::from_ref(&report), &rules, root()))
            .expect("the JSON report parses");
    assert_eq!(out["version"], 1);
    assert_eq!(out["tool"]["name"], "peerlint");
    assert_eq!(out["tool"]["version"], env!("CARGO_PKG_VERSION"));
    let file = &out["files"][0];
    assert_eq!(file["path"], "examples/riverbend-housing.charter");

    // The terminal report heads each excerpt with `[path:line:column]` of its first
    // place; for a finding with one place, that is its primary label.
    let terminal = Human::new(false, 100).render_file(&report);
    let heads: Vec<(usize, usize)> = terminal
        .lines()
        .filter_map(|l| l.split_once(".charter:").map(|(_, rest)| rest))
        .filter_map(|rest| {
            let (line, column) = rest.trim_end_matches(']').split_once(':')?;
            Some((line.parse().ok()?, column.parse().ok()?))
        })
        .collect();
    let diagnostics = file["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(heads.len(), diagnostics.len());
    let mut compared = 0;
    for (d, head) in diagnostics.iter().zip(&heads) {
        let labels = d["labels"].as_array().expect("labels");
        if labels.len() != 1 {
            continue;
        }
        let start = &labels[0]["start"];
        assert_eq!(labels[0]["primary"], true);
        assert_eq!(
            (start["line"].as_u64(), start["column"].as_u64()),
            (Some(head.0 as u64), Some(head.1 as u64)),
            "{}",
            d["message"]
        );
        let offset = start["offset"].as_u64().expect("an offset") as usize;
        let end = labels[0]["end"]["offset"].as_u64().expect("an offset") as usize;
        assert!(offset <= end && end <= report.source.len());
        compared += 1;
    }
    assert!(compared > 5, "only {compared} findings compared");

    // One finding in full: the vote weights of clause 1.2.
    let founders = diagnostics
        .iter()
        .find(|d| d["clause"]["id"] == "1.2")
        .expect("a finding in clause 1.2");
    assert_eq!(founders["clause"]["title"], "Founders' votes");
    assert_eq!(founders["principle"], "equality");
    let summary = &out["summary"];
    assert_eq!(summary["files"], 1);
    assert_eq!(
        summary["errors"].as_u64().unwrap_or(0) + summary["warnings"].as_u64().unwrap_or(0),
        diagnostics.len() as u64
    );
}

#[test]
fn json_columns_count_characters_not_bytes() {
    let rules = rules();
    let report = charter(
        "accents.charter",
        "charter \"Coopérative\" {\n  kind bylaws\n}\nrole membre\nrole chef within membre\nbody assemblée = every membre\nclause 1 \"Exclusion\" {\n  chef may remove membre\n}\n",
        &rules,
    );
    let out: Value =
        serde_json::from_str(&json::render(std::slice::from_ref(&report), &rules, root()))
            .expect("the JSON report parses");
    // `charter "Coopérative"`: the title starts at byte 8, column 9, and ends after
    // the é (two bytes, one character) at byte 22, column 22 (a count of bytes would
    // make it column 23).
    let header = out["files"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["labels"][0]["start"]["line"] == 1)
        .expect("a finding on the header");
    let label = &header["labels"][0];
    assert_eq!(label["start"]["offset"], 8);
    assert_eq!(label["start"]["column"], 9);
    assert_eq!(label["end"]["offset"], 22);
    assert_eq!(label["end"]["column"], 22);
}

// ---------------------------------------------------------------------------------
// SARIF

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("tests/sarif-schema-2.1.0.json"))
        .expect("the vendored schema is readable");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
}

/// The problems the schema finds in a log, one per line; empty when it is valid.
fn schema_errors(validator: &jsonschema::Validator, log: &Value) -> String {
    validator
        .iter_errors(log)
        .map(|e| format!("{}: {e}\n", e.instance_path()))
        .collect()
}

fn assert_valid_sarif(out: &str) -> Value {
    let log: Value = serde_json::from_str(out).expect("SARIF is JSON");
    let errors = schema_errors(&sarif_validator(), &log);
    assert!(errors.is_empty(), "invalid SARIF:\n{errors}");
    log
}

#[test]
fn sarif_conforms_to_the_standard_schema() {
    let rules = rules();
    let mut reports = examples(&rules);
    reports.extend(unusable(&rules));
    reports.push(charter("hostile.charter", HOSTILE, &rules));
    let log = assert_valid_sarif(&sarif::render(&reports, &rules, root()));

    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "peerlint");
    let descriptors = driver["rules"].as_array().expect("rules");
    assert!(
        descriptors.len() > rules.rules.len(),
        "structural codes too"
    );
    for r in &rules.rules {
        assert!(
            descriptors.iter().any(|d| d["id"] == r.spec.id.as_str()),
            "{} is described",
            r.spec.id
        );
    }
    for result in run["results"].as_array().expect("results") {
        let index = result["ruleIndex"].as_u64().expect("a rule index") as usize;
        assert_eq!(descriptors[index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(location["region"]["startLine"].as_u64() >= Some(1));
    }
    let notifications = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications for the files that could not be checked");
    assert_eq!(notifications.len(), 2);
}

#[test]
fn the_schema_rejects_a_log_with_a_corrupted_field() {
    let rules = rules();
    let out = sarif::render(&examples(&rules), &rules, root());
    let mut log: Value = serde_json::from_str(&out).expect("SARIF is JSON");
    let validator = sarif_validator();
    assert_eq!(schema_errors(&validator, &log), "");

    let mut bad_level = log.clone();
    bad_level["runs"][0]["results"][0]["level"] = "severe".into();
    assert_ne!(schema_errors(&validator, &bad_level), "");

    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert_ne!(schema_errors(&validator, &log), "");
}

#[test]
fn sarif_columns_count_utf16_code_units() {
    let rules = rules();
    // 😀 is one character but two UTF-16 code units.
    let report = charter(
        "emoji.charter",
        "charter \"😀 Club\" {\n  kind bylaws\n}\nrole member\nrole chef within member\nbody assembly = every member\nclause 1 \"Exclusion\" {\n  chef may remove member\n}\n",
        &rules,
    );
    let log = assert_valid_sarif(&sarif::render(
        std::slice::from_ref(&report),
        &rules,
        root(),
    ));
    assert_eq!(log["runs"][0]["columnKind"], "utf16CodeUnits");
    let header = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| &r["locations"][0]["physicalLocation"]["region"])
        .find(|r| r["startLine"] == 1)
        .expect("a finding on the header")
        .clone();
    // `"😀 Club"` starts at column 9 and is 9 code units long.
    assert_eq!(header["startColumn"], 9);
    assert_eq!(header["endColumn"], 18);
}

const CLAUSES: &str = "charter \"Fingerprints\" {
  kind bylaws
}
role member \"A member\"
role leader within member {
  elected by assembly for 1 year
  removable by assembly
}
body assembly = every member
";

const REMOVAL: &str = "
clause 1 \"Removal\" {
  leader may remove member
}
";

/// Each result's rule, clause, start line and fingerprint.
fn fingerprints(text: &str) -> Vec<(String, String, u64, String)> {
    let rules = rules();
    let report = charter("fingerprints.charter", text, &rules);
    let log = assert_valid_sarif(&sarif::render(
        std::slice::from_ref(&report),
        &rules,
        root(),
    ));
    log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap_or_default().to_string(),
                r["properties"]["clause"]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap_or_default(),
                r["partialFingerprints"][sarif::FINGERPRINT]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect()
}

fn fingerprint_of(results: &[(String, String, u64, String)], rule: &str) -> (u64, String) {
    results
        .iter()
        .find(|(r, c, _, _)| r == rule && c == "1")
        .map(|(_, _, line, f)| (*line, f.clone()))
        .unwrap_or_else(|| panic!("{rule} fires in clause 1"))
}

#[test]
fn fingerprints_survive_lines_and_clauses_added_above() {
    let before = fingerprints(&format!("{CLAUSES}{REMOVAL}"));
    let after = fingerprints(&format!(
        "{CLAUSES}\n# A comment, and a blank line.\n\nclause 0 \"Purpose\" {{\n  text \"The members keep a garden.\"\n  member may vote in assembly\n}}\n{REMOVAL}"
    ));
    for rule in ["sanction-without-notice", "sanction-without-hearing"] {
        let (line_before, print_before) = fingerprint_of(&before, rule);
        let (line_after, print_after) = fingerprint_of(&after, rule);
        assert_eq!(line_after, line_before + 7, "{rule} moved down");
        assert_eq!(print_after, print_before, "{rule} keeps its fingerprint");
    }
    // The finding on the header, above the insertion, keeps its own as well.
    let header = |r: &[(String, String, u64, String)]| {
        r.iter()
            .find(|(rule, ..)| rule == "no-dispute-process")
            .map(|(.., f)| f.clone())
    };
    assert_eq!(header(&after), header(&before));
    assert!(header(&before).is_some());
}

#[test]
fn fingerprints_change_with_the_clauses_own_text() {
    let before = fingerprints(&format!("{CLAUSES}{REMOVAL}"));
    let reworded = fingerprints(&format!(
        "{CLAUSES}{}",
        REMOVAL.replace(
            "leader may remove member",
            "leader may remove member { grounds \"misconduct\" }"
        )
    ));
    let renumbered = fingerprints(&format!(
        "{CLAUSES}{}",
        REMOVAL.replace("clause 1 ", "clause 2 ")
    ));
    let (_, original) = fingerprint_of(&before, "sanction-without-notice");
    let (_, changed) = fingerprint_of(&reworded, "sanction-without-notice");
    assert_ne!(changed, original);
    let moved = renumbered
        .iter()
        .find(|(r, ..)| r == "sanction-without-notice")
        .map(|(.., f)| f.clone());
    assert!(moved.is_some_and(|f| f != original));
}

#[test]
fn identical_findings_get_distinct_fingerprints() {
    let twice = format!(
        "{CLAUSES}{}",
        REMOVAL.replace(
            "  leader may remove member\n",
            "  member consents to \"photos\" { form implied }\n  member consents to \"photos\" { form implied }\n"
        )
    );
    let results = fingerprints(&twice);
    let implied: Vec<&String> = results
        .iter()
        .filter(|(r, ..)| r == "implied-consent")
        .map(|(.., f)| f)
        .collect();
    assert_eq!(implied.len(), 2);
    assert_ne!(implied[0], implied[1]);
    // The same hash, told apart by the order of the findings.
    assert_eq!(
        implied[0].split_once(':').map(|p| p.0),
        implied[1].split_once(':').map(|p| p.0)
    );
}

// ---------------------------------------------------------------------------------
// Charter text stays data

#[test]
fn hostile_text_stays_data_in_json() {
    let rules = rules();
    let report = charter("hostile.charter", HOSTILE, &rules);
    let out = json::render(std::slice::from_ref(&report), &rules, root());
    assert!(!out.contains('\u{1b}'), "no raw terminal escape");
    let parsed: Value = serde_json::from_str(&out).expect("the JSON report parses");
    let messages: Vec<&str> = parsed["files"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    // The text comes back exactly as the charter has it.
    assert!(messages.iter().any(|m| m.contains(
        "sharing \u{1b}[31mred\u{1b}[0m data & <script>alert(\"x\")</script> at 100%\n::error file=x::pwned"
    )));
    let clause = parsed["files"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find_map(|d| d["clause"]["title"].as_str())
        .expect("a clause title");
    assert_eq!(clause, "Data :: 100% <b>\"bold\"</b>");
}

#[test]
fn hostile_text_stays_data_in_sarif() {
    let rules = rules();
    let report = charter("hostile.charter", HOSTILE, &rules);
    let out = sarif::render(std::slice::from_ref(&report), &rules, root());
    assert!(!out.contains('\u{1b}'), "no raw terminal escape");
    let log = assert_valid_sarif(&out);
    let texts: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["message"]["text"].as_str())
        .collect();
    assert!(texts
        .iter()
        .any(|t| t.contains("<script>alert(\"x\")</script> at 100%\n::error")));
}

#[test]
fn hostile_text_stays_data_in_junit() {
    let rules = rules();
    let report = charter("hostile.charter", HOSTILE, &rules);
    let out = junit::render(std::slice::from_ref(&report), &rules, root());
    let messages = parse_xml(&out);
    // Control characters XML cannot carry are replaced; the rest comes back intact.
    assert!(messages.iter().any(|m| m.contains(
        "sharing \u{fffd}[31mred\u{fffd}[0m data & <script>alert(\"x\")</script> at 100%\n::error file=x::pwned"
    )));
}

/// Reads the whole document with a conforming parser, returning every `message`
/// attribute; panics on the first error.
fn parse_xml(xml: &str) -> Vec<String> {
    use quick_xml::events::{BytesStart, Event};
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut messages = Vec::new();
    let mut open: Vec<Vec<u8>> = Vec::new();
    let mut attributes = |e: &BytesStart, decoder| {
        for a in e.attributes() {
            let a = a.expect("a well-formed attribute");
            let value = a
                .decoded_and_normalized_value(quick_xml::XmlVersion::Explicit1_0, decoder)
                .expect("an attribute value that unescapes")
                .into_owned();
            assert!(
                value.chars().all(allowed),
                "XML 1.0 forbids a character of {value:?}"
            );
            if a.key.as_ref() == b"message" {
                messages.push(value);
            }
        }
    };
    loop {
        match reader.read_event() {
            Err(e) => panic!(
                "invalid XML at byte {}: {e}\n{xml}",
                reader.buffer_position()
            ),
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) => {
                attributes(&e, reader.decoder());
                open.push(e.name().as_ref().to_vec());
            }
            Ok(Event::Empty(e)) => attributes(&e, reader.decoder()),
            Ok(Event::End(e)) => {
                assert_eq!(
                    open.pop().as_deref(),
                    Some(e.name().as_ref()),
                    "balanced tags"
                );
            }
            Ok(Event::Text(t)) => {
                let text = t.decode().expect("text in UTF-8");
                let text = quick_xml::escape::unescape(&text).expect("text that unescapes");
                assert!(
                    text.chars().all(allowed),
                    "XML 1.0 forbids a character of {text:?}"
                );
            }
            Ok(_) => {}
        }
    }
    assert!(open.is_empty(), "every element is closed");
    assert!(!messages.is_empty(), "the document has messages");
    messages
}

#[test]
fn hostile_text_stays_one_workflow_command_per_finding() {
    let rules = rules();
    let report = charter("hostile.charter", HOSTILE, &rules);
    let out = github::render(std::slice::from_ref(&report), &rules, root());
    assert!(!out.contains('\u{1b}'), "no raw terminal escape");
    assert!(!out.contains('\r'));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), report.diagnostics.len());
    for line in &lines {
        let (command, message) = line
            .strip_prefix("::")
            .and_then(|l| l.split_once("::"))
            .unwrap_or_else(|| panic!("not a workflow command: {line}"));
        let (kind, properties) = command.split_once(' ').expect("properties");
        assert!(["error", "warning", "notice"].contains(&kind), "{line}");
        for p in properties.split(',') {
            let (key, _) = p.split_once('=').unwrap_or_else(|| panic!("{p} in {line}"));
            assert!(
                ["file", "line", "endLine", "col", "endColumn", "title"].contains(&key),
                "{line}"
            );
        }
        // A `%` in the message is always the start of an escape.
        assert!(message
            .split('%')
            .skip(1)
            .all(|rest| ["25", "0A", "0D"].iter().any(|e| rest.starts_with(e))));
    }
    let consent = lines
        .iter()
        .find(|l| l.contains("implied-consent"))
        .expect("the implied consent is flagged");
    // It runs over two lines of the charter, so it has no columns.
    assert!(consent.contains("line=9,endLine=10,title="), "{consent}");
    assert!(
        consent.contains("at 100%25%0A::error file=x::pwned"),
        "{consent}"
    );
}

#[test]
fn paths_outside_the_root_stay_as_given() {
    let rules = rules();
    let report = check::check_source(
        &PathBuf::from("/elsewhere/bylaws.charter"),
        format!("{CLAUSES}{REMOVAL}"),
        &rules,
    );
    let reports = std::slice::from_ref(&report);
    let out: Value = serde_json::from_str(&json::render(reports, &rules, root())).expect("JSON");
    assert_eq!(out["files"][0]["path"], "/elsewhere/bylaws.charter");
    let log = assert_valid_sarif(&sarif::render(reports, &rules, root()));
    let artifact =
        &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(artifact["uri"], "file:///elsewhere/bylaws.charter");
    assert!(artifact.get("uriBaseId").is_none());
}
