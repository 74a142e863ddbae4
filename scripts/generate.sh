#!/usr/bin/env bash
# Regenerates the files under workflows/ that simplepipe itself writes, from the examples they describe,
# with the built app. test/workflows/generated.test.ts runs this into a scratch folder and compares.
# Usage: npm run generate [-- <output folder, default workflows/>]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-workflows}
mkdir -p "$out/dashboards"
app=(node dist/app.js)

# The example workflow's dashboard, from a sample of the file its run-job step writes, and the overview.
"${app[@]}" dashboard examples/timed-job.json timed-job --format configmap > "$out/dashboards/timed-job.configmap.yaml"
"${app[@]}" dashboard --overview --format configmap > "$out/dashboards/overview.configmap.yaml"
