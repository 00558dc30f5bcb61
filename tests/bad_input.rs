//! Inputs that are not charters, or not usable ones: each must end in a clear message
//! and the right exit code, never a crash.

mod common;

use std::io::Write;

use common::{unindent, Test};
use insta::assert_snapshot;

fn default_rules() -> peerlint::policy::RuleSet {
    peerlint::policy::Builder::with_default_pack()
        .and_then(peerlint::policy::Builder::build)
        .expect("the default pack loads")
}

/// A small charter with nothing wrong in it.
const CLEAN: &str = r#"
    # Riverbend Housing Cooperative
    charter "Riverbend Housing Cooperative" { kind bylaws  version "2.1" }
    role member "A resident holding one share" { joins by application approved by board; criteria "lives in the building"; may leave with notice 30 days }
    role director within member { elected by assembly for 2 years; removable by assembly }
    body assembly = every member
    body board = every director
    clause 3.1 "Expulsion" {
      text "The board may expel a member after a hearing."
      board may expel member { grounds "conduct that endangers residents" notice 30 days hearing before assembly appeal to assembly }
    }
    clause 5 "Amendments" {
      decision amendment { by assembly  threshold 2/3  quorum 50%  notice 21 days }
    }
    clause 6 "Disputes" {
      dispute between member and member { mediation by "a mediator both sides accept" }
    }
"#;

/// A charter that parses and resolves, with three warnings: an unused role, an object
/// spelt like a role, and an empty clause.
const WITH_WARNINGS: &str = r#"
    charter "Riverbend Housing Cooperative" { kind bylaws  version "2.1" }
    role member "A resident holding one share" { joins by application approved by board; criteria "lives in the building"; may leave with notice 30 days }
    role director within member { elected by assembly for 2 years; removable by assembly }
    role guest "A visitor staying with a member"
    body assembly = every member
    body board = every director
    clause 3.1 "Expulsion" {
      text "The board may expel a member after a hearing."
      board may expel member { grounds "conduct that endangers residents" notice 30 days hearing before assembly appeal to assembly }
    }
    clause 3.2 "Fines" {
      board may fine membr
    }
    clause 6 "Reserved" {
    }
    clause 7 "Disputes" {
      dispute between member and member { mediation by "a mediator both sides accept" }
    }
"#;

/// A charter whose only problem is an error-level reference error.
const WITH_AN_ERROR: &str = r#"
    charter "Riverbend Housing Cooperative" { kind bylaws }
    role member
    body assembly = every member
    clause 1 "Voting" {
      member may vote in assembly { weight 1 }
      treasurer must publish "the annual accounts"
    }
    clause 2 "Disputes" {
      dispute between member and member { mediation by "a mediator both sides accept" }
    }
"#;

fn check(name: &str, contents: impl AsRef<[u8]>) -> common::Output {
    Test::new().file(name, contents).args(["check", name]).run()
}

#[test]
fn a_valid_charter_exits_0() {
    let out = check("bylaws.charter", unindent(CLEAN));
    assert_eq!(out.code, Some(0));
    assert_snapshot!(out.snapshot());
}

#[test]
fn warnings_do_not_fail_by_default() {
    let out = check("bylaws.charter", unindent(WITH_WARNINGS));
    assert_eq!(out.code, Some(0));
    assert_snapshot!(out.snapshot());
}

#[test]
fn fail_on_warning_fails_on_a_warning() {
    let out = Test::new()
        .file("bylaws.charter", unindent(WITH_WARNINGS))
        .args(["check", "--fail-on", "warning", "bylaws.charter"])
        .run();
    assert_eq!(out.code, Some(1));
    assert_eq!(
        out.summary(),
        "checked 1 file: 0 errors, 3 warnings, 0 infos"
    );
}

#[test]
fn fail_on_info_fails_on_an_info() {
    // Without a header the charter gets one info (`missing-header`) and nothing else.
    let text =
        "role member\nbody assembly = every member\nclause 1 {\n  member may vote in assembly\n}\nclause 2 {\n  dispute between member and member { mediation by \"a mediator\" }\n}\n";
    let default = check("bylaws.charter", text);
    assert_eq!(default.code, Some(0));
    let warning = Test::new()
        .file("bylaws.charter", text)
        .args(["check", "--fail-on", "warning", "bylaws.charter"])
        .run();
    assert_eq!(warning.code, Some(0));
    let info = Test::new()
        .file("bylaws.charter", text)
        .args(["check", "--fail-on", "info", "bylaws.charter"])
        .run();
    assert_eq!(info.code, Some(1));
    assert_snapshot!(info.snapshot());
}

#[test]
fn an_error_fails_by_default_and_fail_on_never_passes() {
    let default = check("bylaws.charter", unindent(WITH_AN_ERROR));
    assert_eq!(default.code, Some(1));
    assert_snapshot!(default.snapshot());
    let never = Test::new()
        .file("bylaws.charter", unindent(WITH_AN_ERROR))
        .args(["check", "--fail-on", "never", "bylaws.charter"])
        .run();
    assert_eq!(never.code, Some(0));
    assert_eq!(never.stdout, default.stdout);
}

#[test]
fn fail_on_never_still_fails_on_an_unusable_input() {
    let out = Test::new()
        .file(
            "bylaws.charter",
            "role member\nclause 1 {\n  member mayy vote\n}\n",
        )
        .args(["check", "--fail-on", "never", "bylaws.charter"])
        .run();
    assert_eq!(out.code, Some(2));
}

#[test]
fn invalid_utf8_names_the_line_and_column() {
    // `é` in Latin-1 is the byte 0xE9; the line before it holds a valid `ë`, so the
    // column counts characters, not bytes: the bad byte is the 23rd character.
    let mut bytes = b"charter \"Riverbend\" { kind bylaws }\n".to_vec();
    bytes.extend_from_slice("role member \"Zoë's caf".as_bytes());
    bytes.push(0xE9);
    bytes.extend_from_slice(b" group\"\n");
    let out = check("bylaws.charter", bytes);
    assert_eq!(out.code, Some(2));
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_binary_file_is_refused() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
    let out = check("logo.charter", png);
    assert_eq!(out.code, Some(2));
    assert_snapshot!(out.snapshot());
}

#[test]
fn an_empty_file_has_nothing_to_check() {
    let out = check("bylaws.charter", "");
    assert_eq!(out.code, Some(2));
    assert_snapshot!(out.snapshot());
}

#[test]
fn an_empty_file_counts_no_finding_it_does_not_show() {
    let out = check("bylaws.charter", "");
    assert_eq!(
        out.summary(),
        "checked 1 file: 0 errors, 0 warnings, 0 infos; 1 input could not be checked"
    );
}

#[test]
fn a_file_of_only_comments_has_nothing_to_check() {
    let text = "# Riverbend Housing Cooperative\n# bylaws to be written\n\n   # indented\n";
    let out = check("bylaws.charter", text);
    assert_eq!(out.code, Some(2));
    assert_snapshot!(out.snapshot());
}

/// Writes `size` bytes of charter-like text (a comment line, repeated) without holding
/// them in memory.
fn write_large(path: &std::path::Path, size: u64) {
    let file = std::fs::File::create(path).expect("the large file can be created");
    let mut w = std::io::BufWriter::new(file);
    let line = b"# a line of commentary that fills the file up to the wanted size\n";
    let mut left = size;
    while left > 0 {
        let n = left.min(line.len() as u64) as usize;
        w.write_all(line.get(..n).unwrap_or(line))
            .expect("the large file can be written");
        left -= n as u64;
    }
    w.flush().expect("the large file can be written");
}

#[test]
fn a_50_mb_file_is_refused_before_it_is_read() {
    let test = Test::new();
    write_large(&test.path().join("huge.charter"), 50_000_000);
    let out = test.args(["check", "huge.charter"]).run();
    assert_eq!(out.code, Some(2));
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_file_one_byte_over_the_limit_is_refused() {
    let test = Test::new();
    write_large(
        &test.path().join("huge.charter"),
        peerlint::input::MAX_FILE_BYTES + 1,
    );
    let out = test.args(["check", "huge.charter"]).run();
    assert_eq!(out.code, Some(2));
    assert_snapshot!(out.snapshot());
}

fn nested_articles(depth: usize) -> String {
    let mut text = String::with_capacity(depth * 24);
    for i in 0..depth {
        text.push_str(&format!("article {i} \"Level {i}\" {{\n"));
    }
    text.push_str("clause 1 \"Innermost\" {\n  text \"deep\"\n}\n");
    for _ in 0..depth {
        text.push_str("}\n");
    }
    text
}

#[test]
fn a_hundred_thousand_nested_articles_are_an_error_not_a_crash() {
    let text = nested_articles(100_000);
    let out = check("deep.charter", &text);
    assert_eq!(out.code, Some(2));
    assert_snapshot!(out.snapshot());

    // The library itself, on this test's own (smaller) thread stack.
    let parsed = peerlint::syntax::parse(&text);
    let codes: Vec<&str> = parsed.errors.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["S002"]);
    let model = peerlint::model::lower(&parsed.ast);
    assert!(model.diagnostics.iter().all(|d| d.code != "S002"));
}

#[test]
fn a_hundred_thousand_open_braces_are_an_error_not_a_crash() {
    let text = format!("clause 1 \"Braces\" {}\n", "{".repeat(100_000));
    let out = check("braces.charter", &text);
    assert_eq!(out.code, Some(2));
    // The excerpt quotes the 100,000-brace line in full; the snapshot keeps its ends.
    let collapsed = common::Output {
        stdout: collapse_runs(&out.stdout, '{', 12),
        ..out
    };
    assert_snapshot!(collapsed.snapshot());

    let report = peerlint::check::check_source(
        std::path::Path::new("braces.charter"),
        text,
        &default_rules(),
    );
    assert!(report.unusable.is_some());
    assert!(report.diagnostics.iter().any(|d| d.code == "S002"));
}

#[test]
fn nesting_at_the_limit_parses() {
    // Articles within articles, as deep as the limit allows, on this test's thread.
    let depth = peerlint::syntax::chunk::MAX_NESTING - 1;
    let text = format!(
        "charter \"Deep\" {{ kind bylaws }}\nrole member\n{}",
        nested_articles(depth).replace("text \"deep\"", "member may vote")
    );
    let parsed = peerlint::syntax::parse(&text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let model = peerlint::model::lower(&parsed.ast);
    assert!(model.diagnostics.is_empty(), "{:?}", model.diagnostics);
}

/// Shortens every run of `ch` longer than `keep` to `keep` characters around a count.
fn collapse_runs(text: &str, ch: char, keep: usize) -> String {
    let mut out = String::with_capacity(text.len().min(1 << 16));
    let mut run = 0usize;
    let flush = |out: &mut String, run: usize| {
        if run > keep {
            let half = keep / 2;
            out.extend(std::iter::repeat_n(ch, half));
            out.push_str(&format!("…({} in all)…", run));
            out.extend(std::iter::repeat_n(ch, keep - half));
        } else {
            out.extend(std::iter::repeat_n(ch, run));
        }
    };
    for c in text.chars() {
        if c == ch {
            run += 1;
        } else {
            flush(&mut out, run);
            run = 0;
            out.push(c);
        }
    }
    flush(&mut out, run);
    out
}

#[test]
fn crlf_line_endings_give_the_same_findings_as_lf() {
    let lf = unindent(WITH_WARNINGS);
    let crlf = lf.replace('\n', "\r\n");
    let out = Test::new()
        .file("lf.charter", &lf)
        .file("crlf.charter", &crlf)
        .args(["check", "crlf.charter"])
        .run();
    assert_eq!(out.code, Some(0));
    let lf_out = check("lf.charter", &lf);
    assert_eq!(
        out.stdout.replace("crlf.charter", "lf.charter"),
        lf_out.stdout
    );
    assert_snapshot!(out.snapshot());
}

#[test]
fn cr_line_endings_give_the_same_findings_as_lf() {
    let lf = unindent(WITH_WARNINGS);
    let cr = lf.replace('\n', "\r");
    let out = check("cr.charter", &cr);
    let lf_out = check("cr.charter", &lf);
    assert_eq!(out.code, Some(0));
    assert_eq!(out.summary(), lf_out.summary());
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let text = format!("\u{feff}{}", unindent(WITH_WARNINGS));
    let out = check("bylaws.charter", &text);
    assert_eq!(out.code, Some(0));
    let without = check("bylaws.charter", unindent(WITH_WARNINGS));
    assert_eq!(out.stdout, without.stdout, "positions do not shift");
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_byte_order_mark_with_crlf_is_ignored() {
    let text = format!("\u{feff}{}", unindent(CLEAN).replace('\n', "\r\n"));
    let out = check("bylaws.charter", text);
    assert_eq!(out.code, Some(0));
    assert_eq!(
        out.summary(),
        "checked 1 file: 0 errors, 0 warnings, 0 infos"
    );
}

#[test]
fn a_path_that_does_not_exist() {
    let out = Test::new().args(["check", "missing.charter"]).run();
    assert_eq!(out.code, Some(2));
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_directory_with_no_charters() {
    let out = Test::new()
        .file("docs/README.md", "# Bylaws\n")
        .file("docs/bylaws.txt", "role member\n")
        .dir("docs/empty")
        .args(["check", "docs"])
        .run();
    assert_eq!(out.code, Some(2));
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_directory_of_good_and_bad_charters_reports_every_one() {
    let out = Test::new()
        .file("charters/a-clean.charter", unindent(CLEAN))
        .file("charters/b-warnings.charter", unindent(WITH_WARNINGS))
        .file(
            "charters/c-syntax.charter",
            "role member\nclause 1 \"Voting\" {\n  member mayy vote\n}\n",
        )
        .file("charters/d-binary.charter", b"\0\x01\x02\x03")
        .file("charters/e-latin1.charter", b"role caf\xe9\n")
        .file("charters/f-empty.charter", "")
        .file("charters/nested/g-error.charter", unindent(WITH_AN_ERROR))
        .file("charters/notes.txt", "not a charter")
        .file("charters/.hidden.charter", "\0")
        .args(["check"])
        .run();
    assert_eq!(out.code, Some(2));
    assert_snapshot!(out.snapshot());
}

#[test]
fn several_paths_are_all_reported() {
    let out = Test::new()
        .file("good.charter", unindent(CLEAN))
        .dir("empty")
        .args(["check", "good.charter", "missing.charter", "empty"])
        .run();
    assert_eq!(out.code, Some(2));
    assert_snapshot!(out.snapshot());
}

#[test]
fn a_symbolic_link_loop_is_not_followed() {
    let test = Test::new().file("charters/bylaws.charter", unindent(CLEAN));
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        test.path().join("charters"),
        test.path().join("charters/loop"),
    )
    .expect("a symbolic link can be made");
    let out = test.args(["check", "charters"]).run();
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    assert_eq!(
        out.summary(),
        "checked 1 file: 0 errors, 0 warnings, 0 infos"
    );
}

#[test]
fn files_git_ignores_are_not_checked() {
    let out = Test::new()
        .file("charters/bylaws.charter", unindent(CLEAN))
        .file("charters/drafts/broken.charter", "clause {")
        .file("charters/.gitignore", "drafts/\n")
        .args(["check", "charters"])
        .run();
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    assert_eq!(
        out.summary(),
        "checked 1 file: 0 errors, 0 warnings, 0 infos"
    );
}

#[test]
fn control_characters_in_charter_text_never_reach_the_terminal() {
    let text = "charter \"Evil \u{1b}[31mred\u{1b}[0m\" { kind bylaws }\nrole member { may leave }\nbody board = every member\nclause 1 \"T\u{202e}sdrawkcab\" {\n  text \"\u{1b}]8;;http://x\u{7}click\u{1b}]8;;\u{7}\"\n  board may fine member\n}\n";
    let out = check("evil.charter", text);
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    for c in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(
            !out.stdout.contains(c),
            "{c:?} reached the output:\n{}",
            out.stdout
        );
    }
    assert!(
        out.stdout.contains("text \"?]8;;http://x?click?]8;;?\""),
        "{}",
        out.stdout
    );
}

#[test]
fn a_file_with_hundreds_of_findings_prints_the_first_and_counts_all() {
    let mut text = String::from(
        "charter \"C\" { kind bylaws }\nrole member { may leave }\nbody board = every member\n",
    );
    for i in 0..100 {
        text.push_str(&format!(
            "role r{i} within member\nclause {i} {{ board may fine r{i} }}\n"
        ));
    }
    text.push_str(
        "clause d { dispute between member and member { mediation by \"a mediator\" } }\n",
    );
    let out = check("many.charter", &text);
    assert_eq!(out.code, Some(1));
    assert!(
        out.stdout.contains("… and 200 more in many.charter"),
        "{}",
        out.stdout
    );
    assert_eq!(
        out.summary(),
        "checked 1 file: 400 errors, 0 warnings, 0 infos"
    );
    let fewer = Test::new()
        .file("many.charter", &text)
        .args(["check", "--max-findings", "3", "many.charter"])
        .run();
    assert!(fewer.stdout.contains("… and 397 more"), "{}", fewer.stdout);
}
