#!/usr/bin/env bash
# The whole check, as CI runs it: install what is missing, build, lint, typecheck, then every test
# (unit tests, and integration tests against a real Pushgateway, Prometheus and S3-protocol server).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run build
npm run lint
npm run typecheck
mkdir -p .cache
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.cache/vitest-results.json "$@" || status=$?
# One plain closing line, 'N passed, N failed, N skipped', whatever the reporter printed above it.
node -e '
  const r = JSON.parse(require("fs").readFileSync(".cache/vitest-results.json", "utf8"));
  console.log(`node${process.versions.node.split(".")[0]}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || true
exit "$status"
