#!/usr/bin/env bash
# Tests of the VS Code extension: the grammar against the assertions in tests/*.charter, and
# the manifest, language configuration and extension.js in tests/extension.test.js.
# Needs Node.js 20 or later and npm; run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")"

npm ci --no-audit --no-fund --loglevel=error >/dev/null
npm test --silent
