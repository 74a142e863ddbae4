import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../support/files.js';
import { createConsumerProject, typecheckConsumer } from '../support/packedConsumer.js';
import { startPushgateway, type GatewayFamily, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';

const fixture = (name: string): string => fileURLToPath(new URL(`consumer/${name}`, import.meta.url));
const SCRIPTS = ['pushes.mjs', 'untilSigterm.mjs'];

let gateway: Pushgateway;
let project: string;
beforeAll(async () => {
  [gateway, project] = await Promise.all([startPushgateway(), Promise.resolve().then(() => createConsumerProject(SCRIPTS.map(fixture)))]);
}, 180_000);
afterAll(async () => {
  await gateway?.stop();
  if (project !== undefined) rmSync(project, { recursive: true, force: true });
});

const value = async (job: string, name: string): Promise<string | undefined> =>
  ((await gateway.group({ job }))?.[name] as GatewayFamily | undefined)?.metrics[0]?.value;

describe('simplepipe imported by a separate ESM project', () => {
  it('type-checks against the published declarations', () => {
    expect(() => typecheckConsumer(project, SCRIPTS)).not.toThrow();
  });

  it('pushes with parseAndPush, loadAndPush and push(), and throws typed errors', async () => {
    const run = await runApp([gateway.url, tempFile(SIMPLEPIPE_EXAMPLE)], { script: join(project, 'pushes.mjs'), cwd: project });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { refused: unknown; wrongArgument: unknown; beforeStop: number; afterStop: number; collected: number };
    expect(report.refused).toEqual({ code: 'SIMPLEPIPE_DATA', exitCode: 65 });
    expect(report.wrongArgument).toEqual({
      code: 'SIMPLEPIPE_CONFIG',
      exitCode: 78,
      message: 'new MetricCollector takes a gateway URL ("http://localhost:9091") and/or an options object, not number',
    });
    // new MetricCollector("http://…") pushes to that gateway, as Simplepipe's first line does.
    expect(await value('example_from_dict', 'example_metric')).toBe('0');

    expect(await value('consumer-parse', 'parsed')).toBe('6');
    expect((await gateway.group({ job: 'consumer-parse' }))?.parsed).toMatchObject({ metrics: [{ labels: { source: 'consumer' } }] });
    expect(await value('consumer-load', 'simple')).toBe('6');
    expect(await value('consumer-push', 'composed')).toBe('2');
    expect(await gateway.group({ job: 'consumer-bad' })).toBeUndefined();

    // At least two periodic pushes, then one more on stop(), which the gateway holds last.
    expect(report.beforeStop).toBeGreaterThanOrEqual(2);
    expect(report.afterStop).toBe(report.beforeStop + 1);
    expect(await value('consumer-periodic', 'collections_total')).toBe(String(report.collected));
    expect(await value('consumer-periodic', 'final_push')).toBe('1');
  });

  it('the periodic pusher pushes until SIGTERM, pushes once more, and lets the signal end the process', async () => {
    const child = spawn(process.execPath, [join(project, 'untilSigterm.mjs'), gateway.url], { cwd: project, stdio: 'pipe' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));

    let seen = 0;
    const deadline = Date.now() + 30_000;
    while (seen < 2 && Date.now() < deadline) {
      seen = Number((await value('consumer-sigterm', 'collections_total')) ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seen).toBeGreaterThanOrEqual(2);
    expect(await value('consumer-sigterm', 'final_push')).toBe('0');

    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    expect(stderr).toBe('');
    expect(await value('consumer-sigterm', 'final_push')).toBe('1');
    expect(Number(await value('consumer-sigterm', 'collections_total'))).toBeGreaterThan(seen);
  });
});

