// What the real Pushgateway spends on one push of each shape the limits bound (docs/security.md, Limits):
// one series with many labels, one long label value, many series. For each it reports the wall time of
// the PUT and the gateway's CPU time (user + system, from /proc), and then of one scrape of /metrics,
// which Prometheus repeats every scrape interval for as long as the group stays.
// Run: node bench/gatewayLimits.mjs   (needs prometheus-pushgateway; Linux for /proc)
/* global fetch */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { startGateway } from './gateway.mjs';

const ticks = 100; // USER_HZ on Linux
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}

async function measure(gateway, pid, name, body) {
  let cpu = cpuSeconds(pid);
  let started = performance.now();
  const response = await fetch(`${gateway.url}/metrics/job/${name}`, { method: 'PUT', body });
  await response.text();
  const push = { status: response.status, wallS: (performance.now() - started) / 1000, cpuS: cpuSeconds(pid) - cpu };
  cpu = cpuSeconds(pid);
  started = performance.now();
  const scraped = await (await fetch(`${gateway.url}/metrics`)).text();
  const scrape = { wallS: (performance.now() - started) / 1000, cpuS: cpuSeconds(pid) - cpu, bytes: scraped.length };
  await fetch(`${gateway.url}/metrics/job/${name}`, { method: 'DELETE' });
  return { name, bodyBytes: Buffer.byteLength(body), push, scrape };
}

const labels = (count, valueBytes = 8) => Array.from({ length: count }, (_, i) => `l${i}="${'v'.repeat(valueBytes)}"`).join(',');
const shapes = [
  ...[30, 100, 300, 1000, 3000].map((count) => [`labels_${count}`, `# TYPE m gauge\nm{${labels(count)}} 1\n`]),
  ...[1, 64, 1024, 4096].map((kib) => [`value_${kib}KiB`, `# TYPE m gauge\nm{a="${'v'.repeat(kib * 1024)}"} 1\n`]),
  ...[10_000, 100_000, 300_000].map((count) => [
    `series_${count}`,
    `# TYPE m gauge\n${Array.from({ length: count }, (_, i) => `m{model="m${i}",stage="train",run="r${i % 7}"} ${i}\n`).join('')}`,
  ]),
  // Many series of many labels: the cost of labels per series, times the series.
  ...[[1000, 30], [1000, 100], [1000, 300], [10_000, 30], [10_000, 100]].map(([count, perSeries]) => [
    `grid_${count}x${perSeries}`,
    `# TYPE m gauge\n${Array.from({ length: count }, (_, i) => `m{id="${i}",${labels(perSeries - 1)}} ${i}\n`).join('')}`,
  ]),
];
// `node bench/gatewayLimits.mjs grid` measures only the shapes whose names start with "grid".
const only = process.argv[2];

const gateway = await startGateway(tmpdir());
try {
  for (const [name, body] of shapes.filter(([name]) => only === undefined || name.startsWith(only))) console.log(JSON.stringify(await measure(gateway, gateway.pid, name, body)));
} finally {
  await gateway.stop();
}
