//! The annotated corpus: every governance document in the corpus, formalized under
//! tests/corpus/ with `# expect:` and `# expect-not:` annotations written from reading
//! the source. The checker must report every expected finding and nothing else.

mod common;

use common::Test;

#[test]
fn the_checker_agrees_with_the_annotated_corpus() {
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
    let out = Test::new().args(["test", "--expect", corpus]).run();
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    assert!(out.stdout.contains("recall 1.000"), "{}", out.stdout);
    assert!(out.stdout.contains("precision 1.000"), "{}", out.stdout);
}

#[test]
fn the_corpus_has_enough_annotations_and_silences() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let (mut expect, mut silent, mut files) = (0, 0, 0);
    for entry in std::fs::read_dir(dir).expect("tests/corpus exists") {
        let text = std::fs::read_to_string(entry.expect("an entry").path()).expect("readable");
        files += 1;
        for line in text.lines() {
            let count = |l: &str| l.split(',').filter(|r| !r.trim().is_empty()).count();
            if let Some((_, rules)) = line.split_once("# expect-not:") {
                silent += count(rules);
            } else if let Some((_, rules)) = line.split_once("# expect:") {
                expect += count(rules);
            }
        }
    }
    assert_eq!(files, 9, "one charter per corpus document");
    assert!(
        expect + silent >= 150,
        "{expect} expected findings and {silent} silences"
    );
    assert!(
        silent * 3 >= expect + silent,
        "at least a third are expected silences"
    );
}
