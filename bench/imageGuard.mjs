// Where the memory guard (src/memory.ts) answers in the image under a podman --memory limit, and whether
// what it lets through really completes. For each limit: the guard's own figure for the input that fits
// (from its refusal of a file far too large), then pushes of record-per-series files around that figure,
// each run twice: with the guard as shipped, and with the container's limit hidden from it (a file saying
// "max" mounted over cgroup v1's memory.limit_in_bytes, and V8's old space set to what Node gave it under
// the limit, since Node sizes it from the same file) to see what the kernel would do without the guard.
// Run after npm run test:image: node bench/imageGuard.mjs [limitMiB...] (default 128); SHARES=0.96,0.96
// or SIZES_MIB=13.5,14.5 choose the sizes, GUARDED_ONLY=1 or UNGUARDED_ONLY=1 one of the two runs.
// docs/image.md quotes its output; a measure, not a test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway } from './gateway.mjs';

const image = process.env.SIMPLEPIPE_IMAGE ?? 'ghcr.io/simplepipe/simplepipe:0.1.0';
const containers = join(process.cwd(), '.cache', 'containers');
if (existsSync(join(containers, 'containers.conf'))) {
  process.env.CONTAINERS_CONF ??= join(containers, 'containers.conf');
  process.env.CONTAINERS_STORAGE_CONF ??= join(containers, 'storage.conf');
}
const limits = process.argv.slice(2).map(Number);
if (limits.length === 0) limits.push(128);
/** Input sizes to try, as shares of the guard's figure; SIZES_MIB=16,18,... tries those instead. */
const SHARES = (process.env.SHARES ?? '0.5,0.8,0.95,1.1,1.3').split(',').map(Number);
const SIZES_MIB = process.env.SIZES_MIB?.split(',').map(Number);
const RECORD_BYTES = 134;

const dir = mkdtempSync(join(tmpdir(), 'simplepipe-image-guard-'));
const probe = join(dir, 'peak.cjs');
writeFileSync(probe, "process.on('exit', () => process.stderr.write(`\\npeak-rss-kib=${process.resourceUsage().maxRSS}\\n`));\n");
const noLimit = join(dir, 'no-limit');
writeFileSync(noLimit, 'max\n');

/** The bench's record-per-series shape (bench/inputs.mjs), `count` distinct names; about 134 bytes a record (at 100,000 records). */
function distinct(count) {
  const file = join(dir, `distinct-${count}.json`);
  if (!existsSync(file)) {
    const records = Array.from({ length: count }, (_, i) => ({
      name: `pipeline_step_${i}_seconds`,
      description: `run time of pipeline step ${i}`,
      value: (i * 0.37) % 1000,
      metric_type: 'gauge',
    }));
    writeFileSync(file, JSON.stringify(records));
  }
  return file;
}

function push(file, limitMiB, gateway, { guard = true, oldSpaceMiB } = {}) {
  const args = [
    'run', '--rm', '--network=host', '--read-only', '--read-only-tmpfs=false', '--cap-drop=ALL', '--security-opt=no-new-privileges', '--user=1000:1000',
    `--memory=${limitMiB}m`, `--memory-swap=${limitMiB}m`,
    `--volume=${file}:/tmp/metric-in.json:ro`, `--volume=${probe}:/probe/peak.cjs:ro`,
    `--env=NODE_OPTIONS=--max-semi-space-size=4 --require /probe/peak.cjs${guard ? '' : ` --max-old-space-size=${oldSpaceMiB}`}`,
    `--env=PUSHGATEWAY_URL=${gateway.url}`,
  ];
  if (!guard) args.push(`--volume=${noLimit}:/sys/fs/cgroup/memory/memory.limit_in_bytes:ro`);
  args.push('--entrypoint=node', image, 'app.js', '/tmp/metric-in.json', 'guard', '--max-series', '10000000', '--max-input-bytes', '512MiB');
  const run = spawnSync('podman', args, { encoding: 'utf8' });
  const peak = /peak-rss-kib=(\d+)/.exec(run.stderr ?? '');
  const refusal = (run.stderr ?? '').split('\n').find((line) => /memory/.test(line) && !line.startsWith('peak'));
  return { code: run.status, peakMiB: peak ? Math.round(Number(peak[1]) / 1024) : undefined, refusal, stderr: run.stderr };
}

const gateway = await startGateway(dir);
try {
  console.log(`image ${image}`);
  for (const limit of limits) {
    const huge = push(distinct(Math.round((limit * 2 ** 20) / RECORD_BYTES)), limit, gateway);
    console.log(`--memory ${limit}m, a file of ${limit} MiB: exit ${huge.code}: ${huge.refusal}`);
    const fitsMiB = Number(/about (\d+) MiB of input/.exec(huge.refusal ?? '')?.[1]);
    const oldSpaceMiB = Number(/(\d+) MiB of it old space/.exec(huge.refusal ?? '')?.[1]);
    if (!fitsMiB || !oldSpaceMiB) continue;
    for (const wantedMiB of SIZES_MIB ?? SHARES.map((share) => share * fitsMiB)) {
      const file = distinct(Math.round((wantedMiB * 2 ** 20) / RECORD_BYTES));
      const mib = (statSync(file).size / 2 ** 20).toFixed(1);
      const guarded = process.env.UNGUARDED_ONLY ? { code: '-' } : push(file, limit, gateway);
      const bare = process.env.GUARDED_ONLY ? { code: '-' } : push(file, limit, gateway, { guard: false, oldSpaceMiB });
      console.log(
        `--memory ${limit}m, ${mib} MiB (the guard admits about ${fitsMiB} MiB): ` +
          `guarded exit ${guarded.code} (peak RSS ${guarded.peakMiB ?? '-'} MiB); unguarded exit ${bare.code} (peak RSS ${bare.peakMiB ?? '-'} MiB)`,
      );
      for (const run of [guarded, bare]) if (run.stderr && run.code !== 0 && run.code !== 71) console.log(run.stderr.slice(-600));
    }
  }
} finally {
  await gateway.stop();
  rmSync(dir, { recursive: true, force: true });
}
