//! Any text as a policy file, loaded with the default pack: YAML, the rule format, the
//! condition language and its checks. It must never panic or hang.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use peerlint::policy::load::PolicySource;
use peerlint::policy::{Builder, Origin};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(mut builder) = Builder::with_default_pack() else {
        return;
    };
    let source = PolicySource {
        name: "fuzz.yaml".into(),
        text: Arc::from(text),
    };
    if builder.add_source(source, Origin::CommandLine).is_ok() {
        let _ = builder.build();
    }
    let _ = peerlint::policy::expr::parse_condition(text);
});
