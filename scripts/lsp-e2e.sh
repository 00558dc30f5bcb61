#!/usr/bin/env bash
# End-to-end tests of `peerlint lsp` through a third-party client (pytest-lsp, on pygls
# and lsprotocol): the server is started as a process over stdio, as an editor starts
# it. Builds peerlint, sets up a Python virtual environment with the pinned client in
# ${TMPDIR:-/tmp}/peerlint-lsp-venv (reused when present) and runs tests/lsp_e2e.
# Extra arguments go to pytest (`-k hover`, `-x`, `-v`).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet
target="${CARGO_TARGET_DIR:-target}"
bin="$(cd "$target/debug" && pwd)/peerlint"
test -x "$bin" || { echo "lsp e2e: no peerlint binary at $bin" >&2; exit 1; }

python=""
for candidate in python3.11 python3.12 python3.13 python3.10 python3; do
  if command -v "$candidate" >/dev/null 2>&1 \
    && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    python="$candidate"
    break
  fi
done
test -n "$python" || { echo "lsp e2e: Python 3.10 or newer is needed" >&2; exit 1; }

venv="${TMPDIR:-/tmp}/peerlint-lsp-venv"
export PIP_DISABLE_PIP_VERSION_CHECK=1
if ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
  rm -rf "$venv"
  if ! "$python" -m venv "$venv" >/dev/null 2>&1; then
    # Debian ships venv (with ensurepip) as a package of its own.
    rm -rf "$venv"
    if command -v apt-get >/dev/null 2>&1; then
      version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python$version-venv" >/dev/null \
        || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    fi
    "$python" -m venv "$venv"
  fi
fi
"$venv/bin/python" -m pip install -q -r tests/lsp_e2e/requirements.txt

# No bytecode or pytest cache left in the work tree. Each wait in the tests is bounded;
# the whole run is too, so that a server that hangs cannot hold CI.
export PYTHONDONTWRITEBYTECODE=1
PEERLINT_BIN="$bin" timeout -k 10 300 "$venv/bin/python" -m pytest -q tests/lsp_e2e "$@"
