#!/usr/bin/env bash
# Regenerates the files under workflows/ that simplepipe itself writes, from the examples they describe,
# with the built app. test/workflows/generated.test.ts runs this into a scratch folder and compares.
# Usage: npm run generate [-- <output folder, default workflows/>]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-workflows}
mkdir -p "$out/dashboards" "$out/alerts"
app=(node dist/app.js)

# The example workflow's dashboard, from a sample of the file its run-job step writes, and the overview.
"${app[@]}" dashboard examples/timed-job.json timed-job --format configmap > "$out/dashboards/timed-job.configmap.yaml"
"${app[@]}" dashboard --overview --format configmap > "$out/dashboards/overview.configmap.yaml"

# The example workflow's alert rules, team-a's: from the same sample (its workflow label changes with every run),
# and from the file that describes what its onExit handler pushes (its status label changes).
"${app[@]}" rules examples/timed-job.json timed-job --run-label workflow --namespace team-a > "$out/alerts/timed-job.prometheusrule.yaml"
"${app[@]}" rules workflows/alerts/timed-job-workflow.metrics.json timed-job-workflow --run-label status --namespace team-a \
  > "$out/alerts/timed-job-workflow.prometheusrule.yaml"

# The rules that watch each namespace's gateway itself, shipped with its overlay (an overlay that builds on
# another, as team-a-basic-auth on team-a, has them from there).
for overlay in team-a team-b; do
  mkdir -p "$out/pushgateway/overlays/$overlay"
  "${app[@]}" rules --namespace "$overlay" > "$out/pushgateway/overlays/$overlay/pushgateway.prometheusrule.yaml"
done
