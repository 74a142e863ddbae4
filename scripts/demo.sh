#!/usr/bin/env bash
# The main job end to end: start a real Pushgateway on a free loopback port, push the Simplepipe example
# file exactly as the Argo step does (`node app.js <file> simple`), and print what the gateway now holds.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent build

port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
state=$(mktemp -d)
prometheus-pushgateway --web.listen-address="127.0.0.1:${port}" --persistence.file="${state}/persistence" \
  --log.level=warn >"${state}/pushgateway.log" 2>&1 &
gateway_pid=$!
trap 'kill "${gateway_pid}" 2>/dev/null || true; rm -rf "${state}"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:${port}/-/ready" >/dev/null && break; sleep 0.1; done

file=${1:-examples/metric.json}
job=${2:-simple}
echo "== node dist/app.js ${file} ${job}   (PUSH_GATEWAY_HOSTNAME=http://127.0.0.1:${port})"
PUSH_GATEWAY_HOSTNAME="http://127.0.0.1:${port}" node dist/app.js "${file}" "${job}"
echo "== the gateway now holds (GET /metrics, its own go_/process_/pushgateway_ metrics left out):"
curl -fs "http://127.0.0.1:${port}/metrics" | grep -v -E '^(# (HELP|TYPE) )?(go_|process_|pushgateway_)'
