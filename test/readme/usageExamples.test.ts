import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheus, type Prometheus } from '../support/prometheus.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { codeBlocks, readmeSection } from '../support/readme.js';
import { REPO_ROOT } from '../workflows/manifests.js';

const run = promisify(execFile);

/**
 * The README's usage examples, each run as written against real servers: the gateway and the two
 * remote-write receivers they name are a real Pushgateway and a real Prometheus receiver, the default
 * gateway of a pod (`http://pushgateway:9091`) is given by PUSHGATEWAY_URL, and `metrics.json` is
 * examples/training-alerts.json (a file that expects values, so `rules` has something to write).
 */
const examples = codeBlocks(readmeSection('Usage'), 'sh')[0]!
  .split('\n')
  .filter((line) => line.trim() !== '');

describe('the README’s usage examples', () => {
  let gateway: Pushgateway;
  let receiver: Prometheus;
  let dir: string;

  beforeAll(async () => {
    [gateway, receiver] = await Promise.all([startPushgateway(), startPrometheus({ remoteWriteReceiver: true })]);
    dir = mkdtempSync(join(tmpdir(), 'simplepipe-usage-'));
    symlinkSync(join(REPO_ROOT, 'dist'), join(dir, 'dist'));
    copyFileSync(join(REPO_ROOT, 'examples/training-alerts.json'), join(dir, 'metrics.json'));
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), receiver?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const command = (line: string): string =>
    line
      .replace(/#.*$/, '')
      .trim()
      .replaceAll('http://localhost:9091', gateway.url)
      .replaceAll('http://mimir:8080/api/v1/push', `${receiver.url}/api/v1/write`)
      .replaceAll('http://prometheus:9090/api/v1/write', `${receiver.url}/api/v1/write`)
      .replaceAll('/shared/metrics.json', 'metrics.json');
  const env = (): NodeJS.ProcessEnv => {
    const copy: NodeJS.ProcessEnv = { ...process.env, PUSHGATEWAY_URL: gateway.url };
    delete copy.PUSH_GATEWAY_HOSTNAME;
    return copy;
  };

  it('are all run here: they only use node dist/app.js', () => {
    expect(examples.length).toBeGreaterThanOrEqual(8);
    for (const line of examples) expect(line).toMatch(/^node dist\/app\.js /);
  });

  it.each(examples.filter((line) => !line.includes(' watch ')))('%s', async (line) => {
    const grouping = /^node dist\/app\.js delete (\S+)((?: --grouping \S+)*)/.exec(line);
    if (grouping) {
      // A delete removes a group that a push made before it.
      await run('bash', ['-c', `node dist/app.js metrics.json ${grouping[1]}${grouping[2]}`], { cwd: dir, env: env() });
    }
    const result = await run('bash', ['-o', 'pipefail', '-c', command(line)], { cwd: dir, env: env() }).then(
      () => 0,
      (error: { code?: number; stderr?: string }) => {
        throw new Error(`${line}: exit ${error.code}\n${error.stderr}`);
      },
    );
    expect(result).toBe(0);
    if (line.includes(' rules ')) expect(existsSync(join(dir, 'my-job.prometheusrule.yaml'))).toBe(true);
    if (line.includes('--remote-write')) {
      const grouping = line.includes('run=42') ? ', run="42"' : '';
      expect(await receiver.eventually(`model_accuracy_ratio{job="train"${grouping}}`)).not.toEqual([]);
    }
    if (line.includes('my-job --gateway')) expect((await gateway.groups()).some((group) => group.labels.job === 'my-job')).toBe(true);
  });

  it.each(examples.filter((line) => line.includes(' watch ')))('%s: pushes the file, and on SIGTERM exits 0', async (line) => {
    const child = spawn('bash', ['-c', `exec ${command(line)}`], { cwd: dir, env: env(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const job = /watch \S+ (\S+)/.exec(line)![1]!;
      await gateway.groupsWhen((groups) => groups.some((group) => group.labels.job === job));
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code, stderr).toBe(0);
  });
});
