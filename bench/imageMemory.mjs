// The memory a push needs in the image: for each input, the smallest podman --memory limit (in steps) under
// which the image's push of it succeeds, and Node's peak resident memory there. Run after npm run test:image
// has built the image: node bench/imageMemory.mjs. docs/image.md quotes its output; a measure, not a test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway } from './gateway.mjs';
import { writeInputs } from './inputs.mjs';

const image = process.env.SIMPLEPIPE_IMAGE ?? 'ghcr.io/simplepipe/simplepipe:0.1.0';
const containers = join(process.cwd(), '.cache', 'containers');
if (existsSync(join(containers, 'containers.conf'))) {
  process.env.CONTAINERS_CONF ??= join(containers, 'containers.conf');
  process.env.CONTAINERS_STORAGE_CONF ??= join(containers, 'storage.conf');
}
const LIMITS_MIB = [16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120, 128, 144, 160, 192, 256, 320];

const dir = mkdtempSync(join(tmpdir(), 'simplepipe-image-memory-'));
const probe = join(dir, 'peak.cjs');
writeFileSync(probe, "process.on('exit', () => process.stderr.write(`\\npeak-rss-kib=${process.resourceUsage().maxRSS}\\n`));\n");
const inputs = writeInputs(dir);
const cases = [
  ['1,000 series, distinct names', inputs.distinct[1_000]],
  ['10,000 series, distinct names', inputs.distinct[10_000]],
  ['100,000 series, distinct names', inputs.distinct[100_000]],
  ['100,000 series, one name, two labels', inputs.oneFamily],
];

function push(file, limitMiB, gateway) {
  const run = spawnSync('podman', [
    'run', '--rm', '--network=host', '--read-only', '--read-only-tmpfs=false', '--cap-drop=ALL', '--security-opt=no-new-privileges',
    `--memory=${limitMiB}m`, `--memory-swap=${limitMiB}m`,
    `--volume=${file}:/tmp/metric-in.json:ro`, `--volume=${probe}:/probe/peak.cjs:ro`,
    '--env=NODE_OPTIONS=--max-semi-space-size=4 --require /probe/peak.cjs', `--env=PUSHGATEWAY_URL=${gateway.url}`,
    '--entrypoint=node', image, 'app.js', '/tmp/metric-in.json', 'memory',
  ], { encoding: 'utf8' });
  const peak = /peak-rss-kib=(\d+)/.exec(run.stderr ?? '');
  return { code: run.status, peakMiB: peak ? Math.round(Number(peak[1]) / 1024) : undefined };
}

const gateway = await startGateway(dir);
try {
  console.log(`image ${image}, limits tried ${LIMITS_MIB.join(', ')} MiB`);
  for (const [name, file] of cases) {
    let below;
    for (const limit of LIMITS_MIB) {
      const run = push(file, limit, gateway);
      if (run.code === 0) {
        console.log(`${name}: pushes under ${limit} MiB; under ${below?.limit ?? '-'} MiB: exit ${below?.code ?? '-'} (Node's peak RSS ${run.peakMiB} MiB, the mapped node binary included)`);
        break;
      }
      below = { limit, code: run.code };
    }
  }
} finally {
  await gateway.stop();
  rmSync(dir, { recursive: true, force: true });
}
