#!/usr/bin/env bash
# The whole check, as CI runs it: install what is missing, build, lint, typecheck, then every test
# (unit tests, and integration tests against a real Pushgateway, Prometheus and S3-protocol server).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run build
npm run lint
npm run typecheck
npx vitest run "$@"
