//! The formatter's round trip on any charter that parses: the formatted text parses to
//! the same model (spans aside), and formatting it again changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peerlint::model::{self, Kind, Value};

fn shape(text: &str) -> Option<Vec<(Kind, Vec<(&'static str, Value)>)>> {
    let parsed = peerlint::syntax::parse(text);
    parsed
        .errors
        .is_empty()
        .then(|| model::lower(&parsed.ast).structure())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(before) = shape(text) else { return };
    let formatted = peerlint::format::format(text).expect("a charter that parses formats");
    assert_eq!(
        shape(&formatted),
        Some(before),
        "formatting changed the model"
    );
    assert_eq!(
        peerlint::format::format(&formatted).expect("formats again"),
        formatted,
        "not idempotent"
    );
});
