//! `peerlint review`: the reviewer's report, in Markdown and HTML.

mod common;

use common::Test;
use insta::assert_snapshot;

fn example(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))).expect("readable")
}

#[test]
fn the_markdown_review_goes_clause_by_clause() {
    let out = Test::new()
        .file("riverbend.charter", example("riverbend-housing.charter"))
        .args(["review", "riverbend.charter"])
        .run();
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("## What this draft allows"));
    assert!(out.stdout.contains(
        "board can fine member and then judge the case itself: clause 3.2 puts the hearing or the appeal before board."
    ));
    assert!(out.stdout.contains("### Clause 1.1 — One member, one vote\n\n> Each member has one vote at the general assembly.\n\nSound: nothing to report."));
    assert_snapshot!(out.stdout);
}

const EVIL: &str = "charter \"<script>alert(1)</script> & Co\" { kind bylaws }\nrole member \"<img src=x onerror=alert(2)>\" { may leave }\nbody board = every member\nclause 1 \"<b>Fines</b>\" {\n  text \"</blockquote><script>document.body.setAttribute('data-pwned','1')</script>\"\n  board may fine member\n}\n";

#[test]
fn the_html_review_is_self_contained_and_charter_text_stays_text() {
    let test = Test::new().file("evil.charter", EVIL);
    let out = test.run_with([
        "review",
        "--format",
        "html",
        "-o",
        "review.html",
        "evil.charter",
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let html = std::fs::read_to_string(test.path().join("review.html")).expect("written");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<script").count(), 0, "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains(
        "&lt;script&gt;document.body.setAttribute(&apos;data-pwned&apos;,&apos;1&apos;)&lt;/script&gt;"
    ));
    assert!(html.contains("<svg"), "the score chart is inline");
    for remote in ["src=", "href=", "<link", "url(", "@import"] {
        assert!(
            !html.contains(remote),
            "{remote} in a self-contained page:\n{html}"
        );
    }
    let addresses = html.matches("http://").count() + html.matches("https://").count();
    let namespaces = html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
    assert_eq!(
        addresses, namespaces,
        "the only address is the SVG namespace"
    );
    assert!(
        html.contains("default-src 'none'"),
        "the page forbids scripts and fetches"
    );
}

#[test]
fn a_draft_with_syntax_errors_is_reviewed_as_far_as_it_can_be_read() {
    let draft = "charter \"Draft\" { kind bylaws }\nrole member { may leave }\nclause 1 \"Votes\" {\n  text \"Each member has one vote.\"\n  member may vote\n}\nclause 2 \"Broken\" {\n  member mayy leave\n}\n";
    let out = Test::new()
        .file("draft.charter", draft)
        .args(["review", "draft.charter"])
        .run();
    assert_eq!(out.code, Some(2));
    assert!(
        out.stdout.contains("## The draft does not parse"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("> Each member has one vote."),
        "{}",
        out.stdout
    );
}
