//! The hand-written fast path against pest on any text. For every item the chunker splits
//! off, a tree from the fast path must be the tree pest builds, spans included; and an
//! item pest parses must be one the fast path reads rather than declines.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peerlint::syntax::{chunk, fast, parser};

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let scan = chunk::scan(source);
    for c in &scan.chunks {
        // Blocks nested past the limit never reach a parser.
        if scan
            .too_deep
            .is_some_and(|b| c.span.start <= b.start && b.start < c.span.end)
        {
            continue;
        }
        let text = &source[c.span.range()];
        let fast = fast::parse_item(text, c.span.start);
        let pest = parser::parse_item_with_pest(text, c.span.start);
        match (fast, pest) {
            (Some(fast), Ok(pest)) => assert_eq!(
                format!("{fast:?}"),
                format!("{pest:?}"),
                "different trees for {text:?}"
            ),
            (Some(fast), Err(err)) => {
                panic!("the fast path accepts what pest rejects: {text:?}\n{fast:?}\n{err}")
            }
            (None, Ok(pest)) => {
                panic!("the fast path declines what pest parses: {text:?}\n{pest:?}")
            }
            (None, Err(_)) => {}
        }
    }
});
