//! `peerlint fmt`: the formatted charter means the same, formatting twice changes
//! nothing, and comments and quoted prose survive.

mod common;

use std::path::Path;

use peerlint::format::format;
use peerlint::model::{self, Model};
use peerlint::syntax;

fn model_of(text: &str) -> Model {
    let parsed = syntax::parse(text);
    assert!(parsed.errors.is_empty(), "{:?}\n{text}", parsed.errors);
    model::lower(&parsed.ast)
}

fn comments(text: &str) -> Vec<String> {
    syntax::parse(text)
        .ast
        .comments
        .iter()
        .map(|c| c.text.trim_end().to_string())
        .collect()
}

fn assert_round_trip(name: &str, text: &str) {
    let formatted = format(text).unwrap_or_else(|e| panic!("{name} does not format: {e:?}"));
    assert_eq!(
        model_of(text).structure(),
        model_of(&formatted).structure(),
        "{name}: the model changed\n{formatted}"
    );
    assert_eq!(
        format(&formatted).expect("formats again"),
        formatted,
        "{name}: formatting twice changed it"
    );
    assert_eq!(
        comments(text),
        comments(&formatted),
        "{name}: comments changed"
    );
}

#[test]
fn every_example_and_corpus_charter_formats_to_the_same_model() {
    for dir in ["examples", "tests/corpus"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for entry in std::fs::read_dir(&dir).expect("a directory") {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == "charter") {
                let text = std::fs::read_to_string(&path).expect("readable");
                assert_round_trip(&path.display().to_string(), &text);
            }
        }
    }
}

#[test]
fn a_messy_charter_gets_the_canonical_layout() {
    let messy = "# Riverbend\ncharter \"Riverbend\"   {kind bylaws;version \"2.1\"}\nrole member   { may leave }   # everyone\nrole director within member{elected by assembly for 2 years; removable by assembly}\nbody assembly=every member\nbody board = every director\n\n\n\nclause 3.1 \"Expulsion\" { board   may expel member { grounds \"conduct  that endangers\"  notice 30 days\n hearing before assembly } ; text \"Keep   this   spacing.\" }\n# the end\n";
    let formatted = format(messy).expect("formats");
    insta::assert_snapshot!(formatted);
    assert_round_trip("messy", messy);
}

#[test]
fn an_unparsable_charter_is_not_formatted() {
    assert!(format("clause 1 {\n  board may\n").is_err());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// Generated charters of every size and seed keep their model and are stable.
    #[test]
    fn generated_charters_round_trip(seed in 0u64..1_000_000, size in 0usize..40_000) {
        let text = peerlint::generate::charter(size, seed);
        assert_round_trip(&format!("seed {seed}, size {size}"), &text);
    }

    /// Blank lines, spaces and comments sprinkled between a charter's lines change
    /// nothing once formatted, except that the comments are kept.
    #[test]
    fn layout_noise_does_not_change_the_model(seed in 0u64..1_000_000, noise in proptest::collection::vec(0u8..4, 1..400)) {
        let text = peerlint::generate::charter(4_000, seed);
        let mut noisy = String::new();
        for (i, line) in text.lines().enumerate() {
            match noise.get(i % noise.len()).copied().unwrap_or(0) {
                0 => noisy.push_str(line),
                1 => { noisy.push_str("   "); noisy.push_str(line); noisy.push_str("   "); }
                2 => { noisy.push('\n'); noisy.push_str(line); }
                _ => { noisy.push_str("# noise\n"); noisy.push_str(line); }
            }
            noisy.push('\n');
        }
        assert_round_trip("noisy", &noisy);
        let a = format(&text).expect("formats");
        let b = format(&noisy).expect("formats");
        let strip = |s: &str| s.lines().filter(|l| !l.trim().starts_with('#') && !l.trim().is_empty()).map(str::to_string).collect::<Vec<_>>();
        proptest::prop_assert_eq!(strip(&a), strip(&b));
    }
}

const MESSY: &str = "charter \"Riverbend\"   {kind bylaws}\nrole member   { may leave }\nbody assembly=every member\nclause 1 \"Votes\" { member may vote in assembly }\nclause 2 { dispute between member and member { mediation by \"a mediator\" } }\n";

#[test]
fn fmt_check_shows_the_diff_and_changes_nothing() {
    let test = common::Test::new().file("bylaws.charter", MESSY);
    let out = test.run_with(["fmt", "--check", "bylaws.charter"]);
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    insta::assert_snapshot!(out.snapshot());
    assert_eq!(
        std::fs::read_to_string(test.path().join("bylaws.charter")).expect("kept"),
        MESSY
    );
}

#[test]
fn fmt_rewrites_the_file_and_then_finds_nothing_to_do() {
    let test = common::Test::new().file("bylaws.charter", MESSY);
    let first = test.run_with(["fmt", "bylaws.charter"]);
    assert_eq!(first.code, Some(0), "{}", first.stdout);
    assert!(
        first.stdout.contains("1 file reformatted"),
        "{}",
        first.stdout
    );
    let again = test.run_with(["fmt", "--check", "bylaws.charter"]);
    assert_eq!(again.code, Some(0), "{}", again.stdout);
    assert!(
        again
            .stdout
            .contains("0 files would be reformatted, 1 already formatted"),
        "{}",
        again.stdout
    );
}

#[test]
fn fmt_leaves_an_unparsable_file_alone_and_says_why() {
    let broken = "clause 1 {\n  board may\n";
    let test = common::Test::new().file("broken.charter", broken);
    let out = test.run_with(["fmt", "broken.charter"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stdout
            .contains("has 1 syntax error; it was left as it is"),
        "{}",
        out.stdout
    );
    assert_eq!(
        std::fs::read_to_string(test.path().join("broken.charter")).expect("kept"),
        broken
    );
}
