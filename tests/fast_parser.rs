//! The hand-written fast path against pest, item by item.
//!
//! pest is the authority on the grammar; the fast path may decline any item (pest then
//! parses it), but when it returns a tree, that tree must be pest's, spans included. The
//! inputs: every charter of the repository, generated charters, thousands of mutants of
//! the examples, and edge cases of the grammar. On an item pest parses, the fast path must
//! not decline either: declining valid text would only cost speed, but valid text is what
//! the fast path is for.

use std::collections::HashSet;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use peerlint::syntax::{self, chunk, fast, parser};

/// How the items of some inputs went.
#[derive(Default, Debug)]
struct Tally {
    items: usize,
    /// Items pest parses.
    valid: usize,
    /// Items the fast path read itself.
    fast: usize,
}

impl Tally {
    fn fallback_on_valid(&self) -> usize {
        self.valid - self.fast
    }
}

/// Compares the two paths on every item of `source` whose text was not seen before.
fn compare_items(source: &str, seen: &mut HashSet<String>, tally: &mut Tally, origin: &str) {
    let scan = chunk::scan(source);
    for c in &scan.chunks {
        // Chunks holding a block nested past the limit never reach a parser.
        if scan
            .too_deep
            .is_some_and(|b| c.span.start <= b.start && b.start < c.span.end)
        {
            continue;
        }
        let text = &source[c.span.range()];
        if !seen.insert(text.to_string()) {
            continue;
        }
        compare_item(text, c.span.start, tally, origin);
    }
}

/// The contract on one item: a tree from the fast path is pest's tree, and an item pest
/// parses is one the fast path reads.
fn compare_item(text: &str, offset: usize, tally: &mut Tally, origin: &str) {
    tally.items += 1;
    let fast = fast::parse_item(text, offset);
    let pest = parser::parse_item_with_pest(text, offset);
    match (&fast, &pest) {
        (Some(fast), Ok(pest)) => {
            let (fast, pest) = (format!("{fast:?}"), format!("{pest:?}"));
            assert!(
                fast == pest,
                "the fast path and pest build different trees ({origin}) for the item\n\
                 ---\n{text}\n---\n{text:?}\n{}\nfast: {fast}\npest: {pest}",
                first_difference(&fast, &pest)
            );
        }
        (Some(fast), Err(err)) => panic!(
            "the fast path accepts an item pest rejects ({origin})\n---\n{text}\n---\n{text:?}\n\
             fast: {fast:?}\npest: {err}"
        ),
        (None, Ok(pest)) => panic!(
            "the fast path declines an item pest parses ({origin})\n---\n{text}\n---\n{text:?}\n\
             pest: {pest:?}"
        ),
        (None, Err(_)) => {}
    }
    if pest.is_ok() {
        tally.valid += 1;
    }
    if fast.is_some() {
        tally.fast += 1;
    }
}

/// Where two debug strings part, with some context, for a readable failure.
fn first_difference(fast: &str, pest: &str) -> String {
    let at = fast
        .char_indices()
        .zip(pest.chars())
        .find(|((_, a), b)| a != b)
        .map_or(fast.len().min(pest.len()), |((i, _), _)| i);
    let from = (0..=at.saturating_sub(120))
        .rev()
        .find(|&i| fast.is_char_boundary(i) && pest.is_char_boundary(i))
        .unwrap_or(0);
    let tail = |s: &str| s[from..].chars().take(240).collect::<String>();
    format!(
        "first difference at {at}:\n  fast: …{}\n  pest: …{}",
        tail(fast),
        tail(pest)
    )
}

fn charter_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            charter_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "charter") {
            files.push(path);
        }
    }
}

/// Every charter of the repository, as text (a file that is not UTF-8 is read as the
/// checker would see it after replacing the bad bytes).
fn repository_charters() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    charter_files(&root.join("examples"), &mut files);
    charter_files(&root.join("tests"), &mut files);
    assert!(files.len() > 20, "the charters of the repository are found");
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            let name = path.strip_prefix(root).unwrap().display().to_string();
            (name, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

#[test]
fn the_repository_charters_parse_the_same() {
    let mut seen = HashSet::new();
    let mut tally = Tally::default();
    for (name, text) in repository_charters() {
        compare_items(&text, &mut seen, &mut tally, &name);
    }
    println!("repository charters: {tally:?}");
    assert!(tally.valid > 200, "{tally:?}");
    assert_eq!(tally.fallback_on_valid(), 0);
}

#[test]
fn generated_charters_parse_the_same() {
    let mut tally = Tally::default();
    for (bytes, seed) in [(0, 1), (20_000, 2), (60_000, 3), (150_000, 4)] {
        let text = peerlint::generate::charter(bytes, seed);
        // Generated items repeat little; each is compared even if its text was seen.
        compare_items(
            &text,
            &mut HashSet::new(),
            &mut tally,
            &format!("generated {bytes} bytes, seed {seed}"),
        );
    }
    println!("generated charters: {tally:?}");
    assert_eq!(tally.fallback_on_valid(), 0);
    assert_eq!(tally.valid, tally.items, "generated charters are valid");
}

/// xorshift64*: small, and the same mutants on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Every word and sign of the grammar, and the characters that test its edges.
const TOKENS: &[&str] = &[
    // Top level and statements.
    "charter",
    "role",
    "party",
    "body",
    "clause",
    "article",
    "within",
    "until",
    "every",
    "external",
    "text",
    "decision",
    "dispute",
    "between",
    "and",
    "then",
    "by",
    "to",
    "from",
    "of",
    "in",
    "about",
    "for",
    "with",
    "before",
    "appeals",
    "regarding",
    "is",
    "exempt",
    "consents",
    "discloses",
    "grants",
    "nobody",
    "anyone",
    "none",
    "leave",
    "must",
    "may",
    "should",
    "need",
    "not",
    "cannot",
    "must not",
    "may not",
    "should not",
    "need not",
    // Attribute keywords.
    "kind",
    "version",
    "effective",
    "includes",
    "weight",
    "grounds",
    "notice",
    "hearing",
    "appeal",
    "threshold",
    "quorum",
    "proxies",
    "casting",
    "vote",
    "silence",
    "counts",
    "as",
    "assent",
    "objections",
    "recusal",
    "form",
    "disclose",
    "revocable",
    "irrevocable",
    "withdrawal",
    "cost",
    "bundled",
    "timing",
    "condition",
    "judged",
    "reconsent",
    "reason",
    "stay",
    "pending",
    "cure",
    "interim",
    "automatic",
    "scope",
    "duration",
    "criteria",
    "joins",
    "approved",
    "elected",
    "appointed",
    "term",
    "permanent",
    "hereditary",
    "self-selected",
    "removable",
    "seats",
    "neutral",
    "window",
    "category",
    "defined",
    // Fixed words of attributes.
    "open",
    "any",
    "discretion",
    "reasonable",
    "prompt",
    "timely",
    "allowed",
    "forbidden",
    "ties only",
    "ties",
    "only",
    "after",
    "explicit",
    "deemed",
    "perpetual",
    "simple majority",
    "majority",
    "consensus minus one",
    "lazy consensus",
    "consensus",
    "unanimity",
    "plurality",
    "2024-01-31",
    // Signs, blanks and numbers.
    "{",
    "}",
    ";",
    ",",
    "=",
    "\"",
    "\\\"",
    "\\\\",
    "\\",
    "#c",
    "# note",
    "\n",
    "\r\n",
    "\r",
    " ",
    "  ",
    "\t",
    "0",
    "7",
    "12",
    "3.5",
    "2/3",
    "3:1",
    "50%",
    "14 business days",
    "1 day",
    "2 weeks",
    "3\tmonths",
    "x",
    "_",
    "-",
    "1.2(a)",
    // Beyond ASCII: letters, a combining mark, digits of other scripts, symbols.
    "é",
    "ñ",
    "٣",
    "e\u{301}",
    "\u{301}",
    "中",
    "Ω",
    "ß",
    "🙂",
    "\u{a0}",
    "\u{2028}",
    "\0",
];

/// Moves `at` back to the nearest character boundary.
fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One random edit: delete a range, duplicate a range, swap two lines or insert a token.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let len = text.len();
    let start = boundary(text, rng.below(len + 1));
    let end = boundary(text, start + 1 + rng.below(40));
    match rng.below(4) {
        0 => format!("{}{}", &text[..start], &text[end..]),
        1 => format!("{}{}", &text[..end], &text[start..]),
        2 => {
            let mut lines: Vec<&str> = text.split('\n').collect();
            let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
            lines.swap(a, b);
            lines.join("\n")
        }
        _ => {
            let token = TOKENS[rng.below(TOKENS.len())];
            let pad = [" ", ""][rng.below(2)];
            format!("{}{pad}{token}{pad}{}", &text[..start], &text[start..])
        }
    }
}

#[test]
fn mutants_of_the_examples_parse_the_same() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    charter_files(&root.join("examples"), &mut files);
    let mut seen = HashSet::new();
    let mut tally = Tally::default();
    let per_file = 8000 / files.len();
    for (index, path) in files.iter().enumerate() {
        let original = std::fs::read_to_string(path).unwrap();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (index as u64 + 1));
        for n in 0..per_file {
            // One to three edits, so that some mutants stray far from the original.
            let mut text = mutate(&original, &mut rng);
            for _ in 0..rng.below(3) {
                text = mutate(&text, &mut rng);
            }
            let origin = format!("mutant {n} of {}", path.display());
            compare_items(&text, &mut seen, &mut tally, &origin);
        }
    }
    println!(
        "mutants: {tally:?}, fast path on {:.1}% of the items pest parses",
        100.0 * tally.fast as f64 / tally.valid.max(1) as f64
    );
    assert!(tally.items > 8000, "{tally:?}");
    assert_eq!(tally.fallback_on_valid(), 0);
}

/// Edge cases of the grammar; an input on which the two paths are ever found to disagree
/// (by the fuzz target, say) belongs here too.
#[test]
fn regressions_parse_the_same() {
    let cases: &[&str] = &[
        "role member",
        "clause 1 { board may act   # note\n}",
        "clause 1 {\n  a must notify b\n  a must not x\n  a must\tnot y\n}",
        // `not-x` is one word, so `must` stands alone and `not-x` is the action.
        "clause 1 { a must not-x }",
        // Header attributes and block attributes are different sets.
        "role a { kind x }",
        "charter \"x\" { notice 3 days }",
        // A choice of literals commits to the first that matches, guard or not.
        "clause 1 { a may b { threshold consensus minus two } }",
        "clause 1 { a may b { notice 3 business dayx } }",
        "clause 1 { a may b { casting vote by c ties  only } }",
        "clause 1 { a may b { casting vote by c ties } }",
        "clause 1 { dispute { complaint then hearing } }",
        "clause 1 { dispute between a and b { then } }",
        "body x = every a, b, every c \"d\" { seats 1 }",
        "body x = external, a",
        "clause 1 { a may b { foo \"unclosed } }",
        "clause 1 { a may b { foo bar#baz \"q\"#c\n } }",
        "\u{feff}role a",
        "role a\0",
        "clause 1 {\n a may b # c\r\n}",
        ";\n  role a ; \n",
    ];
    let mut tally = Tally::default();
    for (n, text) in cases.iter().enumerate() {
        compare_item(text, 7, &mut tally, &format!("regression {n}"));
    }
}

/// How much faster the whole parse of a generated 5 MiB charter is with the fast path
/// than with pest alone, as the median of several runs. A timing, not a check: run it in
/// a release build with
/// `cargo test --release --test fast_parser -- --ignored --nocapture`.
#[test]
#[ignore = "a timing, meaningful only in a release build"]
fn timing_of_the_fast_path() {
    const RUNS: usize = 9;
    let text = peerlint::generate::charter(5 * 1024 * 1024, 1);
    let fast = syntax::parse(&text);
    let pest = syntax::parse_with_pest(&text);
    assert!(fast.errors.is_empty() && pest.errors.is_empty());
    assert_eq!(format!("{:?}", fast.ast), format!("{:?}", pest.ast));
    drop((fast, pest));
    let time = |parse: fn(&str) -> syntax::Parsed| {
        let start = Instant::now();
        let parsed = parse(black_box(&text));
        let elapsed = start.elapsed();
        drop(black_box(parsed));
        elapsed
    };
    let (mut with_fast, mut with_pest) = (Vec::new(), Vec::new());
    // Alternated, so that a slower moment of the machine weighs on both.
    for _ in 0..RUNS {
        with_fast.push(time(syntax::parse));
        with_pest.push(time(syntax::parse_with_pest));
    }
    let median = |times: &mut Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let (fast, pest) = (median(&mut with_fast), median(&mut with_pest));
    let mib = text.len() as f64 / (1024.0 * 1024.0);
    println!(
        "parse of {mib:.1} MiB, median of {RUNS}: fast path {fast:.1?} ({:.0} MiB/s), pest alone {pest:.1?} ({:.0} MiB/s): {:.2}x",
        mib / fast.as_secs_f64(),
        mib / pest.as_secs_f64(),
        pest.as_secs_f64() / fast.as_secs_f64()
    );
}
