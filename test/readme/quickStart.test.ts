import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { codeBlocks, readmeSection } from '../support/readme.js';
import { REPO_ROOT } from '../workflows/manifests.js';

const run = promisify(execFile);

/** The README's quick start, line by line, as a newcomer types it in a clone: the gateway it names is a real one. */
const quickStart = codeBlocks(readmeSection('Quick start'), 'sh')[0]!
  .split('\n')
  .filter((line) => line.trim() !== '');
const NAMED_GATEWAY = 'http://localhost:9091';

interface LineRun {
  line: string;
  code: number;
  stdout: string;
  stderr: string;
}

async function runLine(line: string, cwd: string, gateway: string): Promise<LineRun> {
  const command = line.replaceAll(NAMED_GATEWAY, gateway);
  // Nothing of the test's own environment may pick the gateway: only what the line says.
  const env = { ...process.env };
  for (const name of ['PUSHGATEWAY_URL', 'PUSH_GATEWAY_HOSTNAME', 'PUSHGATEWAY_USERNAME', 'PUSHGATEWAY_PASSWORD']) delete env[name];
  try {
    const { stdout, stderr } = await run('bash', ['-o', 'pipefail', '-c', command], { cwd, env });
    return { line, code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { line, code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('the README’s quick start', () => {
  it('builds from a clone first, then runs only the built CLI, never the image’s node app.js', () => {
    expect(quickStart[0]).toBe('npm ci && npm run build');
    for (const line of quickStart.slice(1)) expect(line, line).not.toMatch(/\bnode app\.js\b/);
    expect(quickStart.filter((line) => line.includes('node dist/app.js')).length).toBeGreaterThanOrEqual(5);
  });

  it('shows no `node app.js` in any command block of the README: that name exists only in the image', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    for (const block of [...codeBlocks(readme, 'sh'), ...codeBlocks(readme, '')]) expect(block).not.toMatch(/\bnode app\.js\b/);
  });

  describe('run line by line against a real Pushgateway, in a directory laid out like a built clone', () => {
    let gateway: Pushgateway;
    let clone: string;
    const runs: LineRun[] = [];

    beforeAll(async () => {
      gateway = await startPushgateway();
      clone = mkdtempSync(join(tmpdir(), 'simplepipe-quick-start-'));
      // The build line is what vitest's globalSetup has just done to this tree (it builds dist/app.js), so
      // the clone borrows its dist/ and examples/; the lines' own output files land in the clone.
      symlinkSync(join(REPO_ROOT, 'dist'), join(clone, 'dist'));
      symlinkSync(join(REPO_ROOT, 'examples'), join(clone, 'examples'));
      for (const line of quickStart.slice(1)) {
        const result = await runLine(line, clone, gateway.url);
        runs.push(result);
        if (result.code !== 0) break;
        if (line.includes('examples/training-run.json train --gateway')) {
          const train = (await gateway.groups()).find((group) => group.labels.job === 'train');
          expect(train?.model_accuracy_ratio, 'the push of training-run.json').toBeDefined();
        }
      }
    });

    afterAll(async () => {
      await gateway?.stop();
      if (clone) rmSync(clone, { recursive: true, force: true });
    });

    it('every line exits 0', () => {
      expect(runs.length).toBe(quickStart.length - 1);
      for (const result of runs) expect(result.code, `${result.line}\n${result.stderr}`).toBe(0);
    });

    it('the curl line shows the pushed accuracy', () => {
      const curl = runs.find((result) => result.line.startsWith('curl '));
      expect(curl?.stdout).toMatch(/^model_accuracy_ratio\{[^}]*job="train"[^}]*\} 0\.913$/m);
    });

    it('the Python way and the inline metrics each leave their group; the delete leaves no group "train"', async () => {
      const jobs = (await gateway.groupsWhen((groups) => !groups.some((group) => group.labels.job === 'train'))).map((group) => group.labels.job);
      expect(jobs.sort()).toEqual(['simple', 'train-workflow']);
    });

    it('the rules line writes a PrometheusRule for the job train', () => {
      const rules = join(clone, 'train.prometheusrule.yaml');
      expect(existsSync(rules)).toBe(true);
      expect(readFileSync(rules, 'utf8')).toMatch(/^kind: PrometheusRule$/m);
    });
  });
});
