#!/usr/bin/env bash
# Opens peerlint's HTML review in headless Chromium: a charter whose prose quotes a
# script must run none of it, and the review of a bundled example is screenshotted.
# `--update-docs` copies the screenshot to docs/review.png.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
cargo build --quiet
bin="${CARGO_TARGET_DIR:-target}/debug/peerlint"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

chrome() {
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" "$@" 2>/dev/null
}

cat > "$work/evil.charter" <<'EOF'
charter "<script>document.title='pwned'</script> Co-op" { kind bylaws }
role member "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">" { may leave }
body board = every member
clause 1 "<b>Fines</b>" {
  text "</blockquote><script>document.body.setAttribute('data-pwned','script')</script>"
  board may fine member
}
EOF
"$bin" review --format html -o "$work/evil.html" "$work/evil.charter"
dom=$(chrome --dump-dom "file://$work/evil.html")
if grep -q '<body[^>]*data-pwned' <<<"$dom" || grep -q '<title>pwned' <<<"$dom"; then
  echo "review in browser: charter text ran as a script" >&2
  exit 1
fi
grep -q 'Review of &lt;script&gt;' <<<"$dom" || { echo "review in browser: the page did not render" >&2; exit 1; }

"$bin" review --format html -o "$work/riverbend.html" examples/riverbend-housing.charter
chrome --screenshot="$work/review.png" --window-size=900,1600 --hide-scrollbars "file://$work/riverbend.html" >/dev/null
test -s "$work/review.png"
if [ "${1:-}" = "--update-docs" ]; then
  cp "$work/review.png" docs/review.png
fi
echo "review in browser: charter text stayed text, and the page was screenshotted"
