#!/usr/bin/env bash
# Runs each fuzz target for a bounded time (FUZZ_SECONDS, default 60) with cargo-fuzz
# on the nightly toolchain, seeded with the bundled examples and the default policies.
# Targets: check (parse, lower, rules), policy (loading, conditions), format (the round
# trip), lsp (the language server's message handling), parse_agree (the fast parser
# against pest, item by item).
# Installs cargo-fuzz when it is missing. Any crash stops the script with the input
# libFuzzer saved under fuzz/artifacts/; make it a regression test in tests/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
mkdir -p fuzz/corpus/check fuzz/corpus/format fuzz/corpus/policy fuzz/corpus/lsp fuzz/corpus/parse_agree
for f in examples/*.charter tests/corpus/*.charter; do
  seed="$(basename "$(dirname "$f")")-$(basename "$f")"
  cp "$f" "fuzz/corpus/check/$seed"
  cp "$f" "fuzz/corpus/format/$seed"
  cp "$f" "fuzz/corpus/lsp/$seed"
  cp "$f" "fuzz/corpus/parse_agree/$seed"
done
cp policies/*.yaml fuzz/corpus/policy/
for target in ${FUZZ_TARGETS:-check policy format lsp parse_agree}; do
  echo "fuzzing $target for ${seconds}s"
  cargo +nightly fuzz run "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 2>&1 |
    grep -E "^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss|cov:|==[0-9]+== ERROR|SUMMARY)" | tail -4
done
